/*
 * cmd_common.h - what the ledger-level commands share beyond cli.h:
 * opening the ledger with its projections, the ledger's time zone, and
 * reading an input file or stdin.
 *
 * Times on the command line (cli_opt_time) are read in the ledger's time
 * zone, cmd_ledger_tz (the live rule set's, UTC+08:00 by default),
 * because that is the clock the department works by: "--at
 * 2026-09-30T18:00" is 18:00 at the shop. An explicit offset or Z, or
 * plain UTC milliseconds, is taken as given.
 */
#ifndef SVL_TOOLS_CMD_COMMON_H
#define SVL_TOOLS_CMD_COMMON_H

#include "cli.h"
#include "fmt.h"

/* Open the ledger in dir through svl_ledger_open (flags: SVL_LOG_*), so
 * that projections and the deciders are there. Returns 0 with *out set, or
 * prints the error and returns its exit code. */
int cmd_ledger_open(const cli_ctx *ctx, const char *dir, unsigned flags,
		    svl_ledger **out);

/* The same, creating a copy of the ledger with id ledger_id (NULL: a new
 * id). */
int cmd_ledger_open_id(const cli_ctx *ctx, const char *dir, unsigned flags,
		       const uint8_t *ledger_id, svl_ledger **out);

/* The live rule set's time zone, minutes east of UTC (default on error). */
int32_t cmd_ledger_tz(svl_ledger *l);

/* Whether s is an unsigned decimal integer (a seq rather than a time). */
int cmd_is_uint(const char *s);

/*
 * Read all of `path` ("-" or NULL: stdin) into a malloc'd buffer with a
 * NUL after the data. Returns 0, or prints "PATH: reason" and returns
 * CLI_EXIT_INPUT (no such file, not readable) or CLI_EXIT_ERROR.
 */
int cmd_read_input(const cli_ctx *ctx, const char *path, char **buf,
		   size_t *len);

/* Print a JSON value (stolen) and return `code` unless printing failed. */
int cmd_json_done(const cli_ctx *ctx, json_t *v, int code);

/* A paged list's end (svl_page): "3 work orders", or "5 of 12 work
 * orders; next page: --after CURSOR"; and its JSON, {"count", "total",
 * "next", <key>: items} (items: a new reference, taken). */
void cmd_page_footer(FILE *f, const svl_page *p, const char *one,
		     const char *many);
json_t *cmd_page_json(const svl_page *p, const char *key, json_t *items);
/* The end of a paged list call that returned rc: its error, or the page
 * as JSON ({"count", "total", "next", <key>: *items}, *items taken) or
 * as the table t and its footer. Frees *items (when not taken) and t;
 * returns the exit code. */
int cmd_page_finish(const cli_ctx *ctx, svl_ledger *l, int rc,
		    const svl_page *p, json_t **items, fmt_table *t,
		    const char *key, const char *one, const char *many);

#endif /* SVL_TOOLS_CMD_COMMON_H */
