/*
 * cmd_reconcile.c - `svcledger reconcile`: a blind count sheet against the
 * book as of the count (R-STK-1, R-STK-2, R-BIN-2).
 *
 * The ledger is opened read-only: reconciling finds, it never adjusts.
 * The adjustment proposals it can write are a file of adjustment_proposed
 * commands; appending them is a separate, deliberate step, and each still
 * needs the service_manager's approval (R-STK-2) before the book moves.
 * A variance is a finding, not a failure: the exit code is 0 whatever the
 * count found.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "fmt.h"

static const cli_opt rec_opts[] = {
    CLI_OPT_LEDGER,
    {"at", 0, "TIME", "when the count was made (required)"},
    {"proposals", 0, "FILE",
     "write the adjustment proposals (NDJSON commands) to FILE"},
    {"stk-id", 0, "ID", "the stocktake the proposals belong to"},
    {"actor", 0, "STAFF", "who proposes them (a parts_manager)"},
    {"role", 0, "ROLE", "parts_manager (default) or warehouse_keeper"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { RC_DIR, RC_AT, RC_PROP, RC_STK, RC_ACTOR, RC_ROLE, RC_JSON };

static const cli_spec rec_spec = {
    "reconcile",
    "COUNT.csv --at TIME [-d DIR] [--proposals FILE --stk-id ID --actor "
    "STAFF [--role ROLE]] [--json]",
    "Reconcile a blind count sheet (CSV with the header\n"
    "bin,part,counted,counter in any order; quantities in units with up\n"
    "to 3 decimals; '-' reads stdin) against the book as of TIME, by\n"
    "business time (movements entered later but done before the count\n"
    "are in the book). Prints three sections: each line with book,\n"
    "counted, variance, its value at average cost, absolute value and %\n"
    "of book, and the movements since the previous count that explain\n"
    "it; the reconciling items (parts on open work orders, old parts not\n"
    "back, quarantine, supplier claims, written off but not disposed);\n"
    "the summary (accuracy, net and absolute variance value: gains and\n"
    "losses never netted). Exit 0 even when the count found variances.\n"
    "--proposals writes one adjustment_proposed command per variance;\n"
    "append them with 'svcledger append FILE' once causes are known;\n"
    "they still need the service_manager's approval (R-STK-2).",
    rec_opts,
    1,
    "  $ svcledger reconcile count.csv --at 2026-07-05T17:30\n"
    "  reconciliation of 3 count lines at 2026-07-05 17:30 (UTC+08:00); book "
    "as of the count by business time, read at seq 45\n"
    "\n"
    "  1. lines (money in yuan; % = variance / book)\n"
    "    line  bin          part         book  counted  variance  unit cost   "
    "value  abs value      %  counter\n"
    "       2  W1-A03-2-05  90915-YZZD4   6.5        6      -0.5      69.00  "
    "-34.50      34.50  -7.7%  E012\n"
    "  ...\n"
    "  3. summary\n"
    "    lines counted 3, agreeing with the book 1, accuracy 33.3%\n"
    "    gains 460.00, losses 34.50, net variance 425.50, absolute variance "
    "494.50 (gains + losses, never netted)\n"};

/* ids go into JSON text unescaped by the library: keep them plain */
static int plain_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SVL_EV_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!strchr(
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789._-",
			*s))
			return 0;
	return 1;
}

static int check_proposal_args(const cli_ctx *ctx, const cli_args *a)
{
	const char *role = a->val[RC_ROLE] ? a->val[RC_ROLE] : "parts_manager";
	if (!a->val[RC_PROP]) {
		if (a->val[RC_STK] || a->val[RC_ACTOR] || a->val[RC_ROLE])
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--stk-id, --actor and --role go "
					 "with --proposals FILE");
		return 0;
	}
	if (!a->val[RC_STK] || !a->val[RC_ACTOR])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--proposals needs --stk-id ID and --actor "
				 "STAFF");
	if (!plain_id(a->val[RC_STK]) || !plain_id(a->val[RC_ACTOR]))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--stk-id and --actor: 1..%d characters of "
				 "A-Z a-z 0-9 . _ -",
				 SVL_EV_ID_MAX);
	if (strcmp(role, "parts_manager") && strcmp(role, "warehouse_keeper"))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--role: '%s' may not propose adjustments "
				 "(parts_manager or warehouse_keeper)",
				 role);
	return 0;
}

static size_t variances(const svl_reconcile_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->lines[i].variance_milli != 0;
	return n;
}

static int write_proposals(const cli_ctx *ctx, const cli_args *a,
			   const svl_reconcile_result *r)
{
	const char *role = a->val[RC_ROLE] ? a->val[RC_ROLE] : "parts_manager";
	char *text = svl_reconcile_proposals_ndjson(r, a->val[RC_STK],
						    a->val[RC_ACTOR], role);
	if (!text)
		return cli_error(ctx, CLI_EXIT_ERROR,
				 "cannot build the proposals (out of memory)");
	const char *path = a->val[RC_PROP];
	FILE *f = fopen(path, "wb");
	int bad = !f;
	if (f) {
		bad |= fputs(text, f) < 0;
		bad |= fclose(f) != 0;
	}
	free(text);
	if (bad)
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: cannot write", path);
	return 0;
}

static int report(const cli_ctx *ctx, const cli_args *a,
		  const svl_reconcile_result *r, int32_t tz)
{
	size_t nv = variances(r);
	if (a->val[RC_JSON]) {
		json_t *v = json_reconcile(r, tz);
		if (v && a->val[RC_PROP])
			json_object_set_new(v, "proposals",
					    json_pack("{s:s,s:I,s:s}", "file",
						      a->val[RC_PROP], "count",
						      (json_int_t)nv, "stk_id",
						      a->val[RC_STK]));
		return cli_json_print(ctx, v);
	}
	if (print_reconcile(stdout, r, tz) != 0)
		return cli_error(ctx, CLI_EXIT_ERROR,
				 "out of memory or cannot write");
	if (a->val[RC_PROP])
		printf(
		    _("\nwrote %zu adjustment proposal%s for stocktake %s to "
		      "%s; append them once the causes are established; "
		      "each needs the service_manager's approval "
		      "(R-STK-2)\n"),
		    nv, nv == 1 ? "" : "s", a->val[RC_STK], a->val[RC_PROP]);
	return 0;
}

static int run(const cli_ctx *ctx, const cli_args *a,
	       const svl_count_line *lines, size_t n)
{
	svl_ledger *l;
	int code = cmd_ledger_open(ctx, cli_ledger_dir(a->val[RC_DIR]),
				   SVL_LOG_RDONLY, &l);
	if (code)
		return code;
	int32_t tz = cmd_ledger_tz(l);
	int64_t at;
	svl_reconcile_result *r = NULL;
	if (!(code = cli_opt_time(ctx, "at", a->val[RC_AT], tz, false, &at))) {
		int rc = svl_reconcile(l, lines, n, at, &r);
		if (rc != SVL_OK)
			code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	}
	if (!code && a->val[RC_PROP])
		code = write_proposals(ctx, a, r);
	if (!code)
		code = report(ctx, a, r, tz);
	svl_reconcile_free(r);
	svl_ledger_close(l);
	return code;
}

int cli_cmd_reconcile(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &rec_spec, argc, argv, &a, &code))
		return code;
	if (a.npos < 1)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "which count sheet? (svcledger reconcile "
				 "COUNT.csv --at TIME)");
	if (!a.val[RC_AT])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--at TIME is required: when was the count "
				 "made?");
	if ((code = check_proposal_args(ctx, &a)))
		return code;
	char *csv;
	size_t len;
	if ((code = cmd_read_input(ctx, a.pos[0], &csv, &len)))
		return code;
	svl_count_line *lines = NULL;
	size_t n = 0;
	char err[256];
	int rc = svl_count_sheet_parse(csv, len, &lines, &n, err, sizeof err);
	free(csv);
	if (rc != SVL_OK)
		return cli_error(ctx, cli_exit_code(rc), "%s: %s", a.pos[0],
				 err);
	code = run(ctx, &a, lines, n);
	free(lines);
	return code;
}
