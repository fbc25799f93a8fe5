#!/bin/sh
# layers.sh ROOT [OBJDIR TABLE] - the layer rules of docs/architecture.md
# that the per-layer include paths (Makefile, LAYER_INC_*) cannot see:
#   1. no file of the library or the tool outside engine/ includes
#      engine/internal.h (they use engine/fail.h and mp.h);
#   2. with OBJDIR and TABLE: no object of a layer links to a symbol
#      defined in a layer it may not include. TABLE has one line per layer,
#      "layer: dir dir ...", the folders on its include path (the Makefile
#      writes it from LAYER_INC_*, so the two rules cannot drift); OBJDIR
#      holds <layer>/*.o.
# Prints "ok: ..." and exits 0, or names each offence and exits 1.
set -eu
root=${1:-.}
bad=$(cd "$root" && grep -n '#include "internal.h"' \
	catalog/* model/* decide/* projections/* ledger/* trust/* tools/* \
	2>/dev/null || true)
if [ -n "$bad" ]; then
	printf 'engine/internal.h included outside engine/:\n%s\n' "$bad" >&2
	exit 1
fi
echo "ok: engine/internal.h is included by engine/ only"
[ $# -ge 3 ] || exit 0
objdir=$2
table=$3
command -v nm >/dev/null || { echo "skipped: nm not found" >&2; exit 0; }
defs=$(mktemp)
trap 'rm -f "$defs"' EXIT
for layer in $(cut -d: -f1 "$table"); do
	for o in "$objdir/$layer"/*.o; do
		[ -f "$o" ] || continue
		nm -g --defined-only "$o" | awk -v l="$layer" 'NF == 3 { print $3, l }'
	done
done > "$defs"
status=0
while IFS=: read -r layer allowed; do
	for o in "$objdir/$layer"/*.o; do
		[ -f "$o" ] || continue
		for s in $(nm -u "$o" | awk '{ print $NF }'); do
			from=$(awk -v s="$s" '$1 == s { print $2; exit }' "$defs")
			[ -n "$from" ] || continue
			case " $allowed " in
			*" $from "*) ;;
			*)
				echo "$layer/$(basename "$o") uses $s from $from/" >&2
				status=1
				;;
			esac
		done
	done
done < "$table"
[ $status -eq 0 ] && echo "ok: every layer links only to its own and the layers it may include"
exit $status
