#!/bin/sh
# po.sh - svcledger's catalogs as GNU gettext files, for translators and
# gettext's tools (docs/cli.md, "Language"). The catalogs themselves are
# the .def files the tool and the library compile in: tools/msg_zh_CN.def
# (the tool's words) and model/msg_zh_CN*.def (the refusals and their
# words). From their MSG and WORD rows this writes
#
#   OUTDIR/svcledger.pot   the English texts, msgstr empty
#   OUTDIR/zh_CN.po        the same with the Chinese as msgstr
#
# with "#, c-format" on the texts that hold a printf conversion, so that
# `msgfmt --check` compares the conversions of every translation.
#
#   sh tools/po.sh OUTDIR
set -eu
if [ $# -ne 1 ]; then
	echo "usage: sh tools/po.sh OUTDIR" >&2
	exit 1
fi
case $1 in
/*) out=$1 ;;
*) out=$(pwd)/$1 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
LC_ALL=C
export LC_ALL
set -- tools/msg_zh_CN.def model/msg_zh_CN*.def # a glob is sorted
v() { sed -n "s/^#define SVL_VERSION_$1 //p" include/svcledger.h; }
version="$(v MAJOR).$(v MINOR).$(v PATCH)"
# the newest catalog's time, so that the same catalogs give the same files
# shellcheck disable=SC2012 # plain paths of this tree
newest=$(ls -t "$@" | head -n 1)
date=$(date -u -r "$newest" '+%Y-%m-%d %H:%M+0000' 2>/dev/null ||
	date -u '+%Y-%m-%d %H:%M+0000')
mkdir -p "$out"
for mode in pot po; do
	case $mode in
	pot) file=$out/svcledger.pot ;;
	po) file=$out/zh_CN.po ;;
	esac
	awk -v mode=$mode -v version="$version" -v date="$date" \
		-f tools/po.awk "$@" > "$file.tmp"
	mv "$file.tmp" "$file"
done
