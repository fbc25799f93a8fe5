/*
 * cmd_proj.c - the projections: `rebuild` under a rule set (beside the
 * live ones, differences shown, switched atomically when asked), `check`
 * (every projection equals a fold of the log) and `projections` (their
 * checkpoints, digests and rule sets).
 *
 * rebuild and check open the ledger writable: both build scratch copies
 * beside the live projections (svl_ledger_rebuild, svl_ledger_check).
 * Appends of other processes go on meanwhile; the live projections keep
 * serving until a switch flips them in one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "fmt.h"
#include "progress.h"

#define DIFF_LINES_DEFAULT 50

static const cli_opt rb_opts[] = {
    CLI_OPT_LEDGER,
    {"rules", 0, "FILE", "the rule set (JSON, see svl_rules.h)"},
    {"diff", 0, NULL, "show the differences line by line"},
    {"switch", 0, NULL, "make the rebuilt projections live"},
    {"max-lines", 0, "N", "differences shown at most (default 50)"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { RB_DIR, RB_RULES, RB_DIFF, RB_SWITCH, RB_MAX, RB_JSON };

static const cli_spec rb_spec = {
    "rebuild",
    "--rules FILE [-d DIR] [--diff] [--switch] [--max-lines N] [--json]",
    "Rebuild all projections from seq 1 under the rule set in FILE\n"
    "(follow-up window, call windows, satisfaction threshold, valuation,\n"
    "write-off split...) beside the live ones, and report how many keys\n"
    "of each projection differ. --diff also prints the differences (live\n"
    "-> rebuilt), at most --max-lines of them. Without --switch the live\n"
    "projections are left as they were; --switch makes the rebuilt ones\n"
    "live, all at once. A progress bar with the time left is drawn on\n"
    "stderr when it is a terminal. Exit 2 when FILE is not a valid rule\n"
    "set.",
    rb_opts,
    0,
    "  $ svcledger rebuild --rules q3.json --diff\n"
    "  rebuilt 2 projections from 47 events under rules '2026-q3' (hash "
    "173bf984f19fd1b8ddeef12ad7f90c97)\n"
    "    projection   keys changed\n"
    "    stock                   8\n"
    "    work_orders             0\n"
    "  differences (live -> rebuilt):\n"
    "    stock 90915-YZZD4@W1-A03-2-05: on_hand_milli 6500 -> 6500, value_fen "
    "44850 -> 46150\n"
    "  ...\n"
    "  not switched: the live projections are unchanged (--switch makes the "
    "rebuilt ones live)\n"};

/* ---- rebuild ---- */

typedef struct diff_acc {
	fmt_rebuild r;
	size_t cap, max;
	int oom;
	cli_progress bar;
} diff_acc;

static void on_diff(const svl_rebuild_diff *d, void *payload)
{
	diff_acc *a = payload;
	if (!a->r.diff)
		return;
	if (!d->what) {
		a->r.unreadable++;
		return;
	}
	if (a->r.n_lines == a->max) {
		a->r.more++;
		return;
	}
	if (a->r.n_lines == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		char **nl = realloc(a->r.lines, cap * sizeof *nl);
		if (!nl) {
			a->oom = 1;
			return;
		}
		a->r.lines = nl;
		a->cap = cap;
	}
	/* the projection's name leads the line, once */
	size_t pl = strlen(d->projection);
	int named =
	    strncmp(d->what, d->projection, pl) == 0 && d->what[pl] == ' ';
	size_t n = pl + strlen(d->what) + 3;
	char *s = malloc(n);
	if (!s) {
		a->oom = 1;
		return;
	}
	snprintf(s, n, "%s%s%s", named ? "" : d->projection, named ? "" : ": ",
		 d->what);
	a->r.lines[a->r.n_lines++] = s;
}

static void on_progress(uint64_t done, uint64_t total, int64_t eta_ms,
			void *payload)
{
	diff_acc *a = payload;
	a->bar.total = total;
	cli_progress_eta(&a->bar, done, eta_ms);
}

static int rebuild(const cli_ctx *ctx, svl_ledger *l, const cli_args *a,
		   const svl_rules *rules, diff_acc *acc)
{
	svl_rebuild_options o = SVL_REBUILD_OPTIONS_INIT;
	svl_rebuild_report rep;
	svl_projection_info info[SVL_PROJECTIONS];
	uint64_t changed[SVL_PROJECTIONS] = {0};
	o.changed = changed;
	o.flags =
	    SVL_REBUILD_DIFF | (a->val[RB_SWITCH] ? SVL_REBUILD_SWITCH : 0u);
	o.progress = on_progress;
	o.diff = on_diff;
	o.payload = acc;
	cli_progress_start(&acc->bar, "rebuild", 0);
	int rc = svl_ledger_rebuild(l, rules, &o, &rep);
	cli_progress_end(&acc->bar);
	memset(info, 0, sizeof info);
	if (rc == SVL_OK)
		rc = svl_ledger_projections(l, info, SVL_PROJECTIONS);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	if (acc->oom)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	acc->r.rep = &rep;
	acc->r.changed = changed;
	acc->r.rules = rules;
	acc->r.proj = info;
	while (acc->r.n_proj < SVL_PROJECTIONS && info[acc->r.n_proj].name)
		acc->r.n_proj++;
	if (a->val[RB_JSON])
		return cli_json_print(ctx, json_rebuild_report(&acc->r));
	return print_rebuild_report(stdout, &acc->r)
		   ? cli_error(ctx, CLI_EXIT_ERROR, "cannot write")
		   : 0;
}

int cli_cmd_rebuild(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &rb_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[RB_RULES])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--rules FILE is required (a rule-set JSON)");
	uint64_t max = DIFF_LINES_DEFAULT;
	if ((code = cli_opt_u64(ctx, "max-lines", a.val[RB_MAX], &max)))
		return code;
	svl_rules rules;
	char err[256] = "";
	int rc = svl_rules_load(a.val[RB_RULES], &rules, err, sizeof err);
	const char *path = a.val[RB_RULES];
	if (rc != SVL_OK) /* the detail may name the file already */
		return cli_error(ctx, cli_exit_code(rc), "%s%s%s",
				 strncmp(err, path, strlen(path)) ? path : "",
				 strncmp(err, path, strlen(path)) ? ": " : "",
				 *err ? err : svl_strerror(rc));
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[RB_DIR]), 0, &l)))
		return code;
	diff_acc acc;
	memset(&acc, 0, sizeof acc);
	acc.r.diff = a.val[RB_DIFF] != NULL;
	acc.max = (size_t)max;
	code = rebuild(ctx, l, &a, &rules, &acc);
	for (size_t i = 0; i < acc.r.n_lines; i++)
		free(acc.r.lines[i]);
	free(acc.r.lines);
	svl_ledger_close(l);
	return code;
}

/* ---- check ---- */

static const cli_opt ck_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON, CLI_OPT_END};
enum { CK_DIR, CK_JSON };

static const cli_spec ck_spec = {
    "check",
    "[-d DIR] [--json]",
    "Prove the projections: recompute each one from the log beside the\n"
    "live one (under the live rules) and compare them key by key, and\n"
    "recompute each live digest from its table. Exit 0 when all agree,\n"
    "4 at the first difference (named with its projection and key). The\n"
    "chain itself is checked by 'svcledger verify'.",
    ck_opts,
    0,
    "  $ svcledger check\n"
    "  OK: every projection equals a fold of the log (2 projections, head seq "
    "47)\n"};

int cli_cmd_check(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &ck_spec, argc, argv, &a, &code))
		return code;
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[CK_DIR]), 0, &l)))
		return code;
	int ok = 0;
	char detail[512] = "";
	svl_head h = {0};
	svl_projection_info info[SVL_PROJECTIONS];
	memset(info, 0, sizeof info);
	int rc = svl_ledger_check(l, &ok, detail, sizeof detail);
	if (rc == SVL_OK)
		rc = svl_log_head(svl_ledger_log(l), &h);
	if (rc == SVL_OK)
		rc = svl_ledger_projections(l, info, SVL_PROJECTIONS);
	size_t n = 0;
	while (n < SVL_PROJECTIONS && info[n].name)
		n++;
	char seq[FMT_NUM_SIZE];
	if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	else if (a.val[CK_JSON])
		code = cmd_json_done(ctx,
				     json_pack("{s:b,s:s,s:I,s:I}", "ok", ok,
					       "detail", detail, "projections",
					       (json_int_t)n, "head_seq",
					       (json_int_t)h.seq),
				     ok ? 0 : CLI_EXIT_INTEGRITY);
	else if (ok)
		printf(_("OK: every projection equals a fold of the log (%zu "
			 "projection%s, head seq %s)\n"),
		       n, n == 1 ? "" : "s", fmt_count(seq, (int64_t)h.seq));
	else
		printf(_("FAILED: %s\n"), detail);
	if (!rc && !a.val[CK_JSON] && !ok)
		code = CLI_EXIT_INTEGRITY;
	svl_ledger_close(l);
	return code;
}

/* ---- projections ---- */

static const cli_opt pj_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON, CLI_OPT_END};
enum { PJ_DIR, PJ_JSON };

static const cli_spec pj_spec = {
    "projections",
    "[-d DIR] [--json]",
    "Show each live projection: the last seq it applied (checkpoint), its\n"
    "keys, the digest of its state, the rule set it was built under and\n"
    "which slot is live; then the live rule set in full. Read-only.",
    pj_opts,
    0,
    "  $ svcledger projections\n"
    "  projection   checkpoint  keys  digest                            rules  "
    "  rules hash                        slot\n"
    "  stock                47    24  1bf5de4c31f07b40ec3ac32f68207e35  "
    "default  b3cc4aed013abc65459d92233c4d2ada  a\n"
    "  work_orders          47    37  8f1a942f39f0f06ce8bca0c02acde356  "
    "default  b3cc4aed013abc65459d92233c4d2ada  a\n"
    "  live rules: {\"id\":\"default\",\"timezone\":\"+08:00\",...}\n"};

int cli_cmd_projections(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &pj_spec, argc, argv, &a, &code))
		return code;
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[PJ_DIR]),
				    SVL_LOG_RDONLY, &l)))
		return code;
	svl_projection_info info[SVL_PROJECTIONS];
	svl_rules rules;
	memset(info, 0, sizeof info);
	int rc = svl_ledger_projections(l, info, SVL_PROJECTIONS);
	if (rc == SVL_OK)
		rc = svl_ledger_rules(l, &rules);
	size_t n = 0;
	while (n < SVL_PROJECTIONS && info[n].name)
		n++;
	char buf[2048];
	if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	else if (a.val[PJ_JSON])
		code = cli_json_print(ctx, json_projections(info, n, &rules));
	else if (print_projections(stdout, info, n) != 0)
		code = cli_error(ctx, CLI_EXIT_ERROR, "cannot write");
	else if (svl_rules_to_json(&rules, buf, sizeof buf) < sizeof buf)
		printf(_("live rules: %s\n"), buf);
	svl_ledger_close(l);
	return code;
}
