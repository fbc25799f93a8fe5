#!/bin/sh
# run.sh - run every Criterion test binary given, then print one summary
# line "tests: N passed, N failed" that CI reads. Exit non-zero on failure.
set -u
# The suite reads the tool's English: a developer's Chinese locale would
# change it (docs/cli.md "Language"); the tests that want Chinese ask.
unset LANGUAGE LC_ALL LC_MESSAGES
LANG=C
export LANG
passed=0
failed=0
status=0
for t in "$@"; do
	out=$("$t" --jobs 2 2>&1)
	rc=$?
	printf '%s\n' "$out" | tail -n 40 | grep -v '^\[====\] Synthesis' | grep -E 'FAIL|fail|error|ERROR|Assertion|Crash|crash|Warning|SKIP|skipped' | head -n 30
	line=$(printf '%s\n' "$out" | grep 'Synthesis:' | tail -n 1)
	printf '%-28s %s\n' "$(basename "$t")" "${line#*Synthesis: }"
	p=$(printf '%s\n' "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(printf '%s\n' "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
		status=1
		[ -z "$line" ] && { failed=$((failed + 1)); printf '%s\n' "$out" | tail -n 30; }
	fi
	: "${c:=0}"
done
echo "tests: $passed passed, $failed failed"
exit $status
