/*
 * cmd_metrics.c - `svcledger metrics`: the figures of domain.md section 4
 * per day, ISO week or month, overall or per service advisor or
 * technician, with the seed's targets beside them.
 *
 * Rows are copied out of the library's snapshot and printed after it:
 * the total row needs all of them, and output must not hold a reader.
 *
 * On a group ledger (group_dir.h) each store's rows come from its own
 * replica's projection and are added up per period (the group's rows),
 * or kept apart with the store as their key (--by store): a group figure
 * is by construction the sum of the stores' own.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "fmt.h"
#include "group_dir.h"

static const cli_opt m_opts[] = {
    CLI_OPT_LEDGER,
    {"period", 0, "P", "day, week (ISO, Monday to Sunday) or month"},
    {"from", 0, "DATE", "first day (default: the beginning)"},
    {"to", 0, "DATE", "last day, included (default: the end)"},
    {"by", 0, "B", "overall (default), advisor, technician, or store"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { M_DIR, M_PERIOD, M_FROM, M_TO, M_BY, M_JSON };

static const cli_spec m_spec = {
    "metrics",
    "--period day|week|month [-d DIR] [--from DATE] [--to DATE]\n"
    "                     [--by overall|advisor|technician|store] [--json]",
    "The figures the department is judged by (domain.md section 4), one\n"
    "row per period (and advisor or technician with --by), then a total\n"
    "row: jobs delivered, follow-up coverage (R-FU-1, target 100%),\n"
    "follow-up success (R-FU-2, target >= 80%), satisfied share of\n"
    "reached follow-ups and the average score, major complaint rate\n"
    "(R-CMP-5, target <= 1%), first-time fix, on-time delivery, and the\n"
    "value written off (R-WOF-6). A target figure is marked ok, or below\n"
    "(over for complaints). Ratios are percentages with one decimal; a\n"
    "job counts in the period of its delivery. Days are the rule set's\n"
    "local days; --from and --to are both included. On a group ledger\n"
    "(svcledger group) the rows are the group's, every store's added up,\n"
    "and --by store gives each store's.",
    m_opts,
    0,
    "  $ svcledger metrics --period month --by advisor\n"
    "  period   advisor  jobs  f-up coverage  f-up success  satisfied  avg "
    "score  major cmp  first-time fix  on time  written off\n"
    "  2026-07  E005        1      100.0% ok     100.0% ok     100.0%       "
    "5.00    0.0% ok          100.0%   100.0%         0.00\n"
    "  2026-07  E006        1     0.0% below             -          -          "
    "-    0.0% ok          100.0%     0.0%         0.00\n"
    "  total                2    50.0% below     100.0% ok     100.0%       "
    "5.00    0.0% ok          100.0%    50.0%         0.00\n"
    "  targets (domain.md section 4): follow-up coverage 100% (R-FU-1), "
    "follow-up success >= 80% (R-FU-2), major complaints <= 1% of jobs "
    "(R-CMP-5)\n"};

typedef struct rows {
	svl_metrics_row *v;
	size_t n, cap;
} rows;

static int row_fn(const svl_metrics_row *r, void *p)
{
	rows *a = p;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		svl_metrics_row *nv = realloc(a->v, cap * sizeof *nv);
		if (!nv)
			return 1;
		a->v = nv;
		a->cap = cap;
	}
	a->v[a->n++] = *r;
	return 0;
}

static int parse_enum(const cli_ctx *ctx, const char *opt, const char *s,
		      const char *const *names, int n, int *out)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return cli_error(ctx, CLI_EXIT_USAGE,
			 "--%s: '%s' is not one of %s, %s, %s", opt, s,
			 names[0], names[1], names[2]);
}

typedef struct m_query {
	int period, by;
	int64_t from_ms, to_ms;
} m_query;

static int parse_query(const cli_ctx *ctx, const cli_args *a, int32_t tz,
		       int group, m_query *q)
{
	static const char *const periods[] = {"day", "week", "month"};
	static const char *const bys[] = {"overall", "advisor", "technician"};
	const char *by = a->val[M_BY];
	int code;
	q->by = 0;
	if (by && !strcmp(by, "store")) {
		if (!group)
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--by store reads a group ledger "
					 "(svcledger group)");
		q->by = FMT_METRICS_BY_STORE;
		by = NULL;
	} else if (group && by && strcmp(by, "overall")) {
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "on a group ledger --by takes overall or "
				 "store");
	}
	q->from_ms = SVL_TIME_MIN_MS;
	q->to_ms = SVL_TIME_MAX_MS;
	if (!a->val[M_PERIOD])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--period day|week|month is required");
	if ((code = parse_enum(ctx, "period", a->val[M_PERIOD], periods, 3,
			       &q->period)) ||
	    (by && (code = parse_enum(ctx, "by", by, bys, 3, &q->by))) ||
	    (code = cli_opt_time(ctx, "from", a->val[M_FROM], tz, false,
				 &q->from_ms)) ||
	    (code = cli_opt_time(ctx, "to", a->val[M_TO], tz, true,
				 &q->to_ms)))
		return code;
	if (q->from_ms >= q->to_ms)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--from must come before --to");
	return 0;
}

static int print_rows(const cli_ctx *ctx, const rows *rs, const m_query *q,
		      int json)
{
	int code = 0;
	const rows r = *rs;
	if (json)
		code = cli_json_print(
		    ctx,
		    json_metrics(r.v, r.n, (enum svl_metrics_period)q->period,
				 (enum svl_metrics_by)q->by));
	else if (r.n == 0)
		printf(_("no jobs delivered in that range\n"));
	else if (print_metrics(stdout, r.v, r.n, (enum svl_metrics_by)q->by))
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "out of memory or cannot write");
	return code;
}

static int show(const cli_ctx *ctx, svl_ledger *l, const m_query *q, int json)
{
	rows r = {NULL, 0, 0};
	int rc =
	    svl_metrics_get(l, (enum svl_metrics_period)q->period, q->from_ms,
			    q->to_ms, (enum svl_metrics_by)q->by, row_fn, &r);
	int code = 0;
	if (rc == 1)
		code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	else if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	else
		code = print_rows(ctx, &r, q, json);
	free(r.v);
	return code;
}

/* ---- a group ledger ---- */

static int by_period_then_key(const void *a, const void *b)
{
	const svl_metrics_row *x = a, *y = b;
	if (x->period_day != y->period_day)
		return x->period_day < y->period_day ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Rows sorted by period then key, the rows of one period (and key)
 * added up into one. */
static void merge_rows(rows *r)
{
	size_t out = 0;
	qsort(r->v, r->n, sizeof *r->v, by_period_then_key);
	for (size_t i = 0; i < r->n; i++) {
		if (out && !by_period_then_key(&r->v[out - 1], &r->v[i])) {
			svl_metrics_add(&r->v[out - 1].c, &r->v[i].c);
			svl_metrics_ratios_of(&r->v[out - 1].c,
					      &r->v[out - 1].r);
		} else {
			r->v[out++] = r->v[i];
		}
	}
	r->n = out;
}

static int show_group(const cli_ctx *ctx, const group_dir *g,
		      const m_query *q, int json)
{
	rows r = {NULL, 0, 0};
	int code = 0;
	for (size_t s = 0; !code && s < g->n; s++) {
		size_t first = r.n;
		int rc = svl_metrics_get(
		    g->v[s].l, (enum svl_metrics_period)q->period, q->from_ms,
		    q->to_ms, SVL_METRICS_OVERALL, row_fn, &r);
		if (rc == 1)
			code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
		else if (rc != SVL_OK)
			code = cli_error(ctx, cli_exit_code(rc), "%s: %s",
					 g->v[s].name,
					 svl_ledger_errmsg(g->v[s].l));
		for (size_t i = first; i < r.n; i++) /* the store's, or "" */
			snprintf(r.v[i].key, sizeof r.v[i].key, "%.*s",
				 (int)(sizeof r.v[i].key - 1),
				 q->by == FMT_METRICS_BY_STORE ? g->v[s].name
							       : "");
	}
	if (!code) {
		merge_rows(&r);
		code = print_rows(ctx, &r, q, json);
	}
	free(r.v);
	return code;
}

int cli_cmd_metrics(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &m_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[M_PERIOD]) /* before opening anything */
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--period day|week|month is required");
	const char *dir = cli_ledger_dir(a.val[M_DIR]);
	m_query q;
	if (group_dir_is(dir)) {
		group_dir g;
		if (!(code = group_dir_open(ctx, dir, &g)) &&
		    !(code = parse_query(ctx, &a, cmd_ledger_tz(g.v[0].l), 1,
					 &q)))
			code = show_group(ctx, &g, &q, a.val[M_JSON] != NULL);
		group_dir_close(&g);
		return code;
	}
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, dir, SVL_LOG_RDONLY, &l)))
		return code;
	if (!(code = parse_query(ctx, &a, cmd_ledger_tz(l), 0, &q)))
		code = show(ctx, l, &q, a.val[M_JSON] != NULL);
	svl_ledger_close(l);
	return code;
}
