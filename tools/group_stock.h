/*
 * group_stock.h - a part across a dealer group's stores (group_stock.c).
 */
#ifndef SVL_TOOLS_GROUP_STOCK_H
#define SVL_TOOLS_GROUP_STOCK_H

#include "cli.h"
#include "group_dir.h"

/* Print (or --json) part's card in every store of g that has one (at bin,
 * or each store's assigned bin when bin is NULL), as of asof (words: the
 * as-of in English, for JSON; shown: in the tool's language), and the
 * group's total. Returns 0 or prints the error and returns its exit code
 * (CLI_EXIT_INPUT when no store has the part). */
int group_stock_card(const cli_ctx *ctx, const group_dir *g, const char *part,
		     const char *bin, const svl_asof *asof, const char *words,
		     const char *shown, int json);

#endif /* SVL_TOOLS_GROUP_STOCK_H */
