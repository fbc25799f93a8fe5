#!/bin/sh
# run.sh - run the fuzzers of tests/fuzz: one line per target, the
# reproducer's path for every crash, exit non-zero if any target failed.
#
#   run.sh smoke|fuzz SECONDS JOBS BUILD_DIR NAME...
#
# smoke  first replays every checked-in input of tests/fuzz/corpus/NAME
#        (a regression test: each must pass), then fuzzes for SECONDS;
# fuzz   fuzzes for SECONDS.
# Fuzzing starts from a copy of the corpus in BUILD_DIR/corpus/NAME (the
# checked-in directory is never written; reproducers named *crash-* stay
# out of the copy, the replay covers them) and writes what it finds to
# BUILD_DIR/artifacts/NAME/. JOBS targets run at a time.
set -u
mode=$1
secs=$2
jobs=$3
fz=$4
shift 4
mkdir -p "$fz/logs"

say() { printf '  FUZZ    %-12s %s\n' "$1" "$2"; }

# The first line that says what went wrong, from a libFuzzer log.
why() {
	grep -m1 -E 'fuzz: property broken|runtime error|ERROR: |SUMMARY:' \
		"$1" | sed 's/^==[0-9]*==//' | cut -c1-160
}

# Replay every checked-in input once; returns 1 if any fails.
replay() {
	name=$1
	bin=$fz/fuzz_$name
	log=$fz/logs/$name.replay.log
	set -- $(find "tests/fuzz/corpus/$name" -type f | sort)
	total=$#
	bad=0
	while [ $# -gt 0 ]; do
		if "$bin" -timeout=25 "$@" >"$log" 2>&1; then
			break
		fi
		failed=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
		bad=$((bad + 1))
		say "$name" "FAILED replaying $failed: $(why "$log")"
		[ -n "$failed" ] || break
		while [ $# -gt 0 ] && [ "$1" != "$failed" ]; do shift; done
		[ $# -gt 0 ] && shift
	done
	if [ "$bad" -eq 0 ]; then
		say "$name" "replay: $total inputs pass"
		return 0
	fi
	say "$name" "replay: $bad of $total inputs fail (log $log)"
	return 1
}

# Fuzz for secs seconds from a copy of the corpus; returns 1 on a crash.
run() {
	name=$1
	bin=$fz/fuzz_$name
	work=$fz/corpus/$name
	art=$fz/artifacts/$name
	log=$fz/logs/$name.log
	mkdir -p "$work" "$art"
	for f in "tests/fuzz/corpus/$name"/*; do
		case ${f##*/} in
		*crash-*) ;;
		*) cp "$f" "$work/" ;;
		esac
	done
	"$bin" -max_total_time="$secs" -timeout=25 -print_final_stats=1 \
		-artifact_prefix="$art/" "$work" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	num='\([0-9]*\)'
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
		sed -n "s/.*cov: $num ft: $num corp: $num.*/cov \\1, ft \\2, corpus \\3/p")
	if [ "$rc" -eq 0 ]; then
		say "$name" "ok: ${secs} s, ${runs:-?} runs (${eps:-?}/s), ${cov:-?}"
		return 0
	fi
	repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	say "$name" "CRASH after ${runs:-?} runs: $(why "$log")"
	say "$name" "reproducer: ${repro:-none written} (log $log)"
	return 1
}

one() {
	name=$1
	rc=0
	if [ ! -x "$fz/fuzz_$name" ]; then
		say "$name" "no fuzzer binary $fz/fuzz_$name"
		rc=1
	else
		if [ "$mode" = smoke ]; then
			replay "$name" || rc=1
		fi
		run "$name" || rc=1
	fi
	echo "$rc" >"$fz/logs/$name.rc"
}

n=0
for name in "$@"; do
	rm -f "$fz/logs/$name.rc"
	one "$name" &
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		wait
		n=0
	fi
done
wait

status=0
failed=""
for name in "$@"; do
	if [ "$(cat "$fz/logs/$name.rc" 2>/dev/null)" != 0 ]; then
		status=1
		failed="$failed $name"
	fi
done
if [ "$status" -eq 0 ]; then
	echo "fuzz: $# targets, no crash ($mode, $secs s each)"
else
	echo "fuzz: FAILED:$failed ($mode, $secs s each)"
fi
exit $status
