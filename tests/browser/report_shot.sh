#!/bin/sh
# report_shot.sh TOOL OUT.png - redraw the README's picture of the report:
# the default demo quarter built in a temporary directory, the report the
# demo writes beside it (report.html, the quarter), and the top of that
# page as headless Chromium draws it 1200 pixels wide (a 1500-pixel
# viewport, not the whole page: the README shows what a reader sees
# first).
#
# The demo is deterministic, so the picture changes only when the report
# or the demo does. A page that logs a console error (a blocked load, a
# script) is not pictured: the script fails and says what was logged.
# Needs python3 and chromium (`sh tools/deps.sh test` installs them).
set -eu

if [ $# -ne 2 ]; then
	echo "usage: report_shot.sh TOOL OUT.png" >&2
	exit 2
fi
tool=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
for prog in python3 chromium; do
	command -v "$prog" >/dev/null 2>&1 || {
		echo "report_shot: $prog not found (sh tools/deps.sh test)" >&2
		exit 2
	}
done
case $tool in /*) ;; *) tool=$(pwd)/$tool ;; esac
case $out in /*) ;; *) out=$(pwd)/$out ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/report_shot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$tool" demo -d "$tmp/demo" --quiet >/dev/null
python3 "$here/cdp.py" "$tmp/demo/report.html" --width 1200 --top 1500 \
	--screenshot "$tmp/shot.png" >"$tmp/seen.json"
python3 - "$tmp/seen.json" <<'EOF'
import json, sys
seen = json.load(open(sys.argv[1]))
errs = seen["console_errors"]
if errs:
    for e in errs:
        print("report_shot: console %s: %s" % (e["level"], e["text"]),
              file=sys.stderr)
    sys.exit(1)
EOF
mv "$tmp/shot.png" "$out"
echo "report_shot: wrote $out"
