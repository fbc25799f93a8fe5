#!/bin/sh
# soak_group.sh TOOL [STORES] [DAYS] - the dealer group under load
# (docs/group.md, "Soak"): a three-node NATS JetStream cluster on
# loopback, STORES demo stores (seeds 1..STORES, DAYS days each), every
# store shipped at once by its own `svcledger ship`, and one `svcledger
# group --follow` consuming them all into a group ledger. Prints how many
# records went through, the shippers' and the group's throughput, and the
# lag: how long after the last shipper finished the group ledger held
# every store's head. Then checks that every replica's head is its
# store's, and that the group's metrics are the stores' added up.
#
# Long (make group-soak; not part of make test). Needs nats-server and
# python3 (sh tools/deps.sh test).
set -eu
if [ $# -lt 1 ]; then
	echo "usage: soak_group.sh TOOL [STORES] [DAYS]" >&2
	exit 2
fi
tool=$1
stores=${2:-10}
days=${3:-92}
case $tool in /*) ;; *) tool=$(pwd)/$tool ;; esac
for prog in nats-server python3; do
	command -v "$prog" >/dev/null 2>&1 || {
		echo "soak: $prog not found (sh tools/deps.sh test)" >&2
		exit 2
	}
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svl-soak.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
now() { python3 -c 'import time; print("%.3f" % time.time())'; }
# "seq hash" of the ledger in $1; nothing while there is none yet
head_of() {
	[ -e "$1/data.mdb" ] || return 0
	"$tool" head -d "$1" --json 2>/dev/null | python3 -c '
import json, sys
try:
    h = json.load(sys.stdin)
    print(h["seq"], h["hash"])
except ValueError:
    pass'
}

# ---- three nodes ----
ports=$(python3 -c '
import socket
s = [socket.socket() for _ in range(6)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
set -- $ports
c1=$1 c2=$2 c3=$3 r1=$4 r2=$5 r3=$6
urls="nats://127.0.0.1:$c1,nats://127.0.0.1:$c2,nats://127.0.0.1:$c3"
for n in 1 2 3; do
	eval "cp=\$c$n rp=\$r$n"
	mkdir -p "$tmp/n$n"
	cat >"$tmp/n$n.conf" <<EOF
server_name: n$n
listen: 127.0.0.1:$cp
jetstream { store_dir: "$tmp/n$n" }
cluster {
  name: soak
  listen: 127.0.0.1:$rp
  routes: [nats-route://127.0.0.1:$r1, nats-route://127.0.0.1:$r2, nats-route://127.0.0.1:$r3]
}
EOF
	nats-server -c "$tmp/n$n.conf" >"$tmp/n$n.log" 2>&1 &
	pids="$pids $!"
done

# ---- the stores, generated two at a time ----
echo "soak: $stores demo stores of $days days, a 3-node cluster on loopback"
i=1
while [ "$i" -le "$stores" ]; do
	"$tool" demo -d "$tmp/store$i" --seed "$i" --days "$days" --quiet \
		>/dev/null &
	first=$!
	j=$((i + 1))
	if [ "$j" -le "$stores" ]; then
		"$tool" demo -d "$tmp/store$j" --seed "$j" --days "$days" \
			--quiet >/dev/null
	fi
	wait "$first"
	i=$((i + 2))
done
total=0
i=1
while [ "$i" -le "$stores" ]; do
	set -- $(head_of "$tmp/store$i")
	total=$((total + $1))
	i=$((i + 1))
done
echo "soak: $total records in all"

# ---- the group follows, the stores ship at once ----
sleep 3 # the cluster elects its meta leader
"$tool" group -d "$tmp/G" --nats "$urls" --group soak --follow \
	>"$tmp/group.log" 2>&1 &
gpid=$!
pids="$pids $gpid"
t0=$(now)
ship_pids=""
i=1
while [ "$i" -le "$stores" ]; do
	"$tool" ship -d "$tmp/store$i" --nats "$urls" --store "S$i" \
		--group soak >"$tmp/ship$i.log" 2>&1 &
	ship_pids="$ship_pids $!"
	i=$((i + 1))
done
for p in $ship_pids; do
	wait "$p" || { echo "soak: a shipper failed:" >&2; cat "$tmp"/ship*.log >&2; exit 1; }
done
t_ship=$(now)

# ---- until the group holds every store's head ----
deadline=$(python3 -c "print(int($t_ship) + 1800)")
while :; do
	behind=0
	i=1
	while [ "$i" -le "$stores" ]; do
		if [ "$(head_of "$tmp/G/stores/S$i")" != \
			"$(head_of "$tmp/store$i")" ]; then
			behind=$((behind + 1))
		fi
		i=$((i + 1))
	done
	[ "$behind" -eq 0 ] && break
	if [ "$(python3 -c "import time; print(int(time.time()))")" -gt "$deadline" ]; then
		echo "soak: the group did not catch up in 30 min; $behind stores behind" >&2
		cat "$tmp/group.log" >&2
		exit 1
	fi
	sleep 0.5
done
t_done=$(now)
kill "$gpid" 2>/dev/null || true

python3 - "$total" "$t0" "$t_ship" "$t_done" "$stores" <<'EOF'
import sys
total, t0, ts, td, n = int(sys.argv[1]), *map(float, sys.argv[2:5]), sys.argv[5]
print("soak: shipped %d records from %s stores in %.1f s: %.0f records/s"
      % (total, n, ts - t0, total / (ts - t0)))
print("soak: the group held every store's head %.1f s after the start: "
      "%.0f records/s; lag after the last shipper: %.1f s"
      % (td - t0, total / (td - t0), td - ts))
EOF

# ---- the group's figures are the stores' added up ----
sum=0
i=1
while [ "$i" -le "$stores" ]; do
	d=$("$tool" metrics -d "$tmp/store$i" --period month --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["counters"]["delivered"])')
	sum=$((sum + d))
	i=$((i + 1))
done
g=$("$tool" metrics -d "$tmp/G" --period month --json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["counters"]["delivered"])')
if [ "$g" -ne "$sum" ]; then
	echo "soak: the group delivered $g jobs, the stores $sum" >&2
	exit 1
fi
echo "soak: every replica is its store (head seq and hash); jobs delivered: group $g = stores $sum"
