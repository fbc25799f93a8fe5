#!/bin/sh
# tool_msgs.sh - every English text of the svcledger tool that reaches a
# user through its catalog (tools/msg_zh_CN.def), as msgid lines of a PO
# stream (one string a line, C escapes kept):
#   - the formats of cli_error (its 3rd argument) and every _() string
#     (and N_(), a text marked where it is written, translated where
#     it is shown),
#   - the texts the tool hands to a function that translates them:
#     usage's `what`, a page footer's nouns, a work order's stages and
#     lines (kv), a document's detail (tx), a figure's mark, a stock
#     figure's name and note, a figures heading,
#   - the header of every fmt_col table ({"head", 'l'} or 'r').
# Used by tests/test_cli_lang.c; needs xgettext (gettext).
#
#   sh tests/tool_msgs.sh ROOT
set -eu
cd "$1"
x() {
	xgettext --from-code=UTF-8 --no-wrap --omit-header -o - -k "$@" \
		tools/*.c
}
x -k_ -kN_ -kcli_error:3 -kusage:2 -kcmd_page_footer:3 -kkv:2 -ktx:2 \
	-kfmt_with_mark:4 -kfigure_row:2 -kfmt_fig_heading:2 \
	-kcmd_page_finish:8
# a second argument of the same function: a pass of its own (xgettext
# reads "f:3 f:4" as a singular and its plural)
x -kcmd_page_footer:4 -kkv:4 -kfigure_row:5 -kcmd_page_finish:9
grep -ohE "\\{\"([^\"\\\\]|\\\\.)+\", *'[lr]'\\}" tools/*.c |
	sed -E "s/^\\{(\"([^\"\\\\]|\\\\.)+\").*/msgid \\1/"
