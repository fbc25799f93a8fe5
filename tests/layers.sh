#!/bin/sh
# layers.sh ROOT - the layer rule the compiler cannot see: no file of the
# library or the tool outside engine/ includes engine/internal.h (they use
# engine/fail.h and mp.h). Upward includes are already compile errors:
# each layer is built with its own include path (Makefile, LAYER_INC_*).
# Prints "ok: ..." and exits 0, or names each offending line and exits 1.
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
