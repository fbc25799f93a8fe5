#!/bin/sh
# format_check.sh DIR - verify a ledger's hash chain with stock tools only
# (mdb_dump, xxd, xxhsum, awk), following docs/format.md and nothing of
# svcledger's code:
#   1. mdb_dump -s events: keys are u64 BE seq 1, 2, 3, ... without gaps;
#   2. each value is envelope || hash(16): xxhsum -H2 of the envelope bytes
#      (XXH3-128, canonical form) equals the stored hash;
#   3. the envelope ends with c4 10 and the previous record's hash (16 zero
#      bytes before record 1);
#   4. mdb_dump -s meta: "head" is the last seq followed by the last hash.
# Prints "ok: ..." and exits 0, or names the first bad seq on stderr and
# exits 1 (2 when a tool is missing or the dump fails).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: format_check.sh LEDGER_DIR" >&2
	exit 2
fi
dir=$1
for tool in mdb_dump xxd xxhsum awk; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "format_check: $tool not found" >&2
		exit 2
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/format_check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Sub-databases in mdb_dump's hex form: a key line and a value line, each
# indented by one space, between HEADER=END and DATA=END.
mdb_dump -s events "$dir" >"$tmp/events" || exit 2
mdb_dump -s meta "$dir" >"$tmp/meta" || exit 2
records() {
	awk '/^HEADER=END/ { body = 1; next }
	     /^DATA=END/ { body = 0; next }
	     body { sub(/^ /, "");
		    if (key == "") key = $0; else { print key, $0; key = "" } }' "$1"
}

# Split each record into its envelope (written out as bytes for xxhsum) and
# the fields the chain is checked with: seq, stored hash, prev hash.
records "$tmp/events" | awk -v tmp="$tmp" '
{
	n++
	want = sprintf("%016x", n)
	if ($1 != want) {
		printf "format_check: seq %d: key %s, want %s (a gap or a reorder)\n",
		       n, $1, want > "/dev/stderr"
		exit 1
	}
	len = length($2)
	if (len < 2 * (18 + 16) || len % 2) {
		printf "format_check: seq %d: record of %d hex digits is too short\n",
		       n, len > "/dev/stderr"
		exit 1
	}
	env = substr($2, 1, len - 32)
	elen = length(env)
	file = sprintf("%s/e%09d", tmp, n)
	print env > (file ".hex")
	close(file ".hex")
	# seq, stored hash, prev hash, the bin 8 header before the prev hash
	print n, substr($2, len - 31), substr(env, elen - 31),
	      substr(env, elen - 35, 4), file ".bin" > (tmp "/fields")
}' || exit 1

[ -f "$tmp/fields" ] || : >"$tmp/fields"
while read -r _ _ _ _ bin; do
	xxd -r -p "${bin%.bin}.hex" >"$bin"
	printf '%s\n' "$bin"
done <"$tmp/fields" >"$tmp/files"
# one xxhsum run over all envelopes, in seq order
if [ -s "$tmp/files" ]; then
	xargs xxhsum -H2 <"$tmp/files" | awk '{ print $1 }' >"$tmp/sums"
else
	: >"$tmp/sums"
fi

# the chain, and the recorded head
head_line=$(records "$tmp/meta" | awk '$1 == "68656164" { print $2 }')
paste -d ' ' "$tmp/fields" "$tmp/sums" | awk -v head="$head_line" '
BEGIN { prev = "00000000000000000000000000000000" }
{
	seq = $1; stored = $2; link = $3; marker = $4; computed = $6
	if (computed != stored) {
		printf "format_check: seq %d: hash mismatch: stored %s, envelope hashes to %s\n",
		       seq, stored, computed > "/dev/stderr"
		failed = 1
		exit 1
	}
	if (marker != "c410") {
		printf "format_check: seq %d: envelope does not end with a 16-byte bin prev_hash\n",
		       seq > "/dev/stderr"
		failed = 1
		exit 1
	}
	if (link != prev) {
		printf "format_check: seq %d: broken link: prev_hash %s, hash of seq %d is %s\n",
		       seq, link, seq - 1, prev > "/dev/stderr"
		failed = 1
		exit 1
	}
	prev = stored
	last = seq
}
END {
	if (failed)
		exit 1 # awk runs END after exit: do not report ok
	if (last == "") last = 0
	want = sprintf("%016x%s", last, prev)
	if (last > 0 || head != "") {
		if (head != want) {
			printf "format_check: head record %s, but the log ends at seq %d with hash %s (cut or extended tail)\n",
			       head, last, prev > "/dev/stderr"
			exit 1
		}
	}
	printf "ok: %d records, head seq %d hash %s\n", last, last, prev
}'
