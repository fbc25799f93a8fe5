/*
 * fmt_metrics.c - the figures the department is judged by (domain.md
 * section 4) as a table per period, with the seed's targets beside the
 * three figures that have one, and a total row; then, when the rows hold
 * write-offs, who bears each loss (R-WOF-6: company, service manager,
 * parts manager, warehouse keeper).
 *
 * The total row adds the counters of the rows shown and takes the ratios
 * of the sums (svl_metrics_add, svl_metrics_ratios_of), never an average of
 * the rows' ratios: a quiet week must not weigh as much as a busy one.
 */
#include <string.h>

#include "cli.h"
#include "fmt_figures.h"

const char *fmt_metrics_period_name(enum svl_metrics_period p)
{
	switch (p) {
	case SVL_METRICS_DAY:
		return "day";
	case SVL_METRICS_WEEK:
		return "week";
	case SVL_METRICS_MONTH:
		return "month";
	}
	return "?";
}

const char *fmt_metrics_by_name(enum svl_metrics_by by)
{
	if ((int)by == FMT_METRICS_BY_STORE)
		return "store";
	switch (by) {
	case SVL_METRICS_OVERALL:
		return "overall";
	case SVL_METRICS_ADVISOR:
		return "advisor";
	case SVL_METRICS_TECHNICIAN:
		return "technician";
	}
	return "?";
}

/* The target marks, shared with the figures report (fmt_figures.h).
 * 1 target met, 0 missed, -1 no figure */
int fmt_met_min(int32_t v, int32_t target)
{
	return v == SVL_METRICS_NONE ? -1 : v >= target;
}

int fmt_met_max(int32_t v, int32_t target)
{
	return v == SVL_METRICS_NONE ? -1 : v <= target;
}

const char *fmt_with_mark(char *out, const char *figure, int met,
			  const char *miss)
{
	snprintf(out, FMT_MARK_SIZE, "%s %s", figure,
		 met < 0 ? ""
		 : met	 ? _("ok")
			 : _(miss));
	size_t n = strlen(out);
	if (out[n - 1] == ' ')
		out[n - 1] = '\0';
	return out;
}

static char *score(char *out, int32_t milli)
{
	if (milli < 0) {
		strcpy(out, "-");
		return out;
	}
	int32_t h = (milli + 5) / 10;
	snprintf(out, FMT_NUM_SIZE, "%d.%02d", (int)(h / 100), (int)(h % 100));
	return out;
}

/* One row; key NULL for overall tables, which have no key column. */
static void add_row(fmt_table *t, const char *label, const char *key,
		    const svl_metrics_counters *c, const svl_metrics_ratios *r)
{
	char jobs[FMT_NUM_SIZE], cov[FMT_NUM_SIZE], covm[FMT_MARK_SIZE];
	char suc[FMT_NUM_SIZE], sucm[FMT_MARK_SIZE], sat[FMT_NUM_SIZE];
	char avg[FMT_NUM_SIZE], majm[FMT_MARK_SIZE];
	char ftf[FMT_NUM_SIZE], ont[FMT_NUM_SIZE], wof[FMT_NUM_SIZE];
	char bp[FMT_NUM_SIZE];
	fmt_permille(cov, r->fu_coverage_permille);
	fmt_permille(suc, r->fu_success_permille);
	if (r->major_complaint_bp < 0)
		strcpy(bp, "-");
	else
		fmt_bp(bp, r->major_complaint_bp);
	const char *cells[] = {
	    label,
	    key,
	    fmt_count(jobs, c->delivered),
	    fmt_with_mark(covm, cov,
			  fmt_met_min(r->fu_coverage_permille,
				      FMT_TARGET_FU_COVERAGE_PERMILLE),
			  "below"),
	    fmt_with_mark(sucm, suc,
			  fmt_met_min(r->fu_success_permille,
				      FMT_TARGET_FU_SUCCESS_PERMILLE),
			  "below"),
	    fmt_permille(sat, r->satisfaction_permille),
	    score(avg, r->score_avg_milli),
	    fmt_with_mark(majm, bp,
			  fmt_met_max(r->major_complaint_bp,
				      FMT_TARGET_MAJOR_COMPLAINT_BP),
			  "over"),
	    fmt_permille(ftf, r->first_time_fix_permille),
	    fmt_permille(ont, r->on_time_permille),
	    fmt_money(wof, c->wof_total_fen)};
	if (!key) /* no key column: the label, then the figures */
		cells[1] = cells[0];
	fmt_table_addv(t, key ? cells : cells + 1);
}

static void wof_row(fmt_table *t, const char *label,
		    const svl_metrics_counters *c)
{
	char n[FMT_NUM_SIZE], tot[FMT_NUM_SIZE], co[FMT_NUM_SIZE];
	char sm[FMT_NUM_SIZE], pm[FMT_NUM_SIZE], wk[FMT_NUM_SIZE];
	fmt_table_add(t, label, fmt_count(n, c->writeoffs),
		      fmt_money(tot, c->wof_total_fen),
		      fmt_money(co, c->wof_company_fen),
		      fmt_money(sm, c->wof_service_manager_fen),
		      fmt_money(pm, c->wof_parts_manager_fen),
		      fmt_money(wk, c->wof_warehouse_keeper_fen));
}

/* R-WOF-6: the rows with write-offs (overall rows: a write-off is no
 * job's), and who bears each loss; nothing when there are none. */
static int print_writeoffs(FILE *f, const svl_metrics_row *rows, size_t n)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},	      {"write-offs", 'r'},
	    {"written off", 'r'},     {"company", 'r'},
	    {"service manager", 'r'}, {"parts manager", 'r'},
	    {"warehouse keeper", 'r'}};
	svl_metrics_counters sum;
	size_t shown = 0;
	memset(&sum, 0, sizeof sum);
	fmt_table *t = fmt_table_new(cols, 7);
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].c.writeoffs)
			continue;
		wof_row(t, rows[i].label, &rows[i].c);
		svl_metrics_add(&sum, &rows[i].c);
		shown++;
	}
	if (shown > 1)
		wof_row(t, _("total"), &sum);
	int rc = 0;
	if (shown) {
		fputs(_("write-offs and who bears them (R-WOF-6: each "
			"role its share of the rule set's split, rounded "
			"down; the company the rest)\n"),
		      f);
		rc = fmt_table_print(t, f, 0);
	}
	fmt_table_free(t);
	return rc;
}

int print_metrics(FILE *f, const svl_metrics_row *rows, size_t n,
		  enum svl_metrics_by by)
{
	fmt_col cols[] = {
	    {"period", 'l'},	     {fmt_metrics_by_name(by), 'l'},
	    {"jobs", 'r'},	     {"f-up coverage", 'r'},
	    {"f-up success", 'r'},   {"satisfied", 'r'},
	    {"avg score", 'r'},	     {"major cmp", 'r'},
	    {"first-time fix", 'r'}, {"on time", 'r'},
	    {"written off", 'r'}};
	int keyed = by != SVL_METRICS_OVERALL;
	if (!keyed) /* no key column: "period" moves into its place */
		cols[1] = cols[0];
	fmt_table *t = fmt_table_new(keyed ? cols : cols + 1, keyed ? 11 : 10);
	svl_metrics_counters sum;
	memset(&sum, 0, sizeof sum);
	for (size_t i = 0; i < n; i++) {
		add_row(t, rows[i].label, keyed ? rows[i].key : NULL,
			&rows[i].c, &rows[i].r);
		svl_metrics_add(&sum, &rows[i].c);
	}
	svl_metrics_ratios r;
	svl_metrics_ratios_of(&sum, &r);
	if (n > 1)
		add_row(t, _("total"), keyed ? "" : NULL, &sum, &r);
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	fprintf(f, _("targets (domain.md section 4): follow-up coverage "
		     "100%% (R-FU-1), follow-up success >= 80%% (R-FU-2), "
		     "major complaints <= 1%% of jobs (R-CMP-5)\n"));
	if (print_writeoffs(f, rows, n))
		rc = -1;
	return rc || ferror(f) ? -1 : 0;
}

/* ---- JSON ---- */

static json_t *json_counters(const svl_metrics_counters *c)
{
	return json_pack(
	    "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
	    "s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
	    "delivered", (json_int_t)c->delivered, "fu_covered",
	    (json_int_t)c->fu_covered, "fu_in_window",
	    (json_int_t)c->fu_in_window, "fu_attempts",
	    (json_int_t)c->fu_attempts, "fu_attempts_in_call_window",
	    (json_int_t)c->fu_attempts_in_call_window, "fu_reached",
	    (json_int_t)c->fu_reached, "fu_failed", (json_int_t)c->fu_failed,
	    "answered", (json_int_t)c->answered, "satisfied",
	    (json_int_t)c->satisfied, "score_sum", (json_int_t)c->score_sum,
	    "complaints", (json_int_t)c->complaints, "major_complaints",
	    (json_int_t)c->major_complaints, "reworked",
	    (json_int_t)c->reworked, "comebacks", (json_int_t)c->comebacks,
	    "first_time_fix", (json_int_t)c->first_time_fix, "promised",
	    (json_int_t)c->promised, "on_time", (json_int_t)c->on_time,
	    "writeoffs", (json_int_t)c->writeoffs, "wof_total_fen",
	    (json_int_t)c->wof_total_fen, "wof_company_fen",
	    (json_int_t)c->wof_company_fen, "wof_service_manager_fen",
	    (json_int_t)c->wof_service_manager_fen, "wof_parts_manager_fen",
	    (json_int_t)c->wof_parts_manager_fen, "wof_warehouse_keeper_fen",
	    (json_int_t)c->wof_warehouse_keeper_fen);
}

json_t *fmt_json_ratio(int32_t v)
{
	return v == SVL_METRICS_NONE ? json_null() : json_integer(v);
}

json_t *fmt_json_met(int m)
{
	return m < 0 ? json_null() : json_boolean(m);
}

static json_t *json_ratios(const svl_metrics_ratios *r)
{
	return json_pack(
	    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o}}",
	    "fu_coverage_permille", fmt_json_ratio(r->fu_coverage_permille),
	    "fu_in_window_permille", fmt_json_ratio(r->fu_in_window_permille),
	    "fu_call_window_permille",
	    fmt_json_ratio(r->fu_call_window_permille), "fu_success_permille",
	    fmt_json_ratio(r->fu_success_permille), "satisfaction_permille",
	    fmt_json_ratio(r->satisfaction_permille), "score_avg_milli",
	    fmt_json_ratio(r->score_avg_milli), "major_complaint_bp",
	    fmt_json_ratio(r->major_complaint_bp), "first_time_fix_permille",
	    fmt_json_ratio(r->first_time_fix_permille), "comeback_permille",
	    fmt_json_ratio(r->comeback_permille), "on_time_permille",
	    fmt_json_ratio(r->on_time_permille), "targets_met", "fu_coverage",
	    fmt_json_met(fmt_met_min(r->fu_coverage_permille,
				     FMT_TARGET_FU_COVERAGE_PERMILLE)),
	    "fu_success",
	    fmt_json_met(fmt_met_min(r->fu_success_permille,
				     FMT_TARGET_FU_SUCCESS_PERMILLE)),
	    "major_complaints",
	    fmt_json_met(fmt_met_max(r->major_complaint_bp,
				     FMT_TARGET_MAJOR_COMPLAINT_BP)));
}

json_t *json_metrics(const svl_metrics_row *rows, size_t n,
		     enum svl_metrics_period period, enum svl_metrics_by by)
{
	json_t *arr = json_array();
	svl_metrics_counters sum;
	memset(&sum, 0, sizeof sum);
	for (size_t i = 0; arr && i < n; i++) {
		const svl_metrics_row *w = &rows[i];
		svl_metrics_add(&sum, &w->c);
		if (json_array_append_new(
			arr,
			json_pack("{s:s,s:I,s:I,s:s,s:o,s:o}", "label",
				  w->label, "period_day",
				  (json_int_t)w->period_day, "period_start_ms",
				  (json_int_t)w->period_start_ms, "key", w->key,
				  "counters", json_counters(&w->c), "ratios",
				  json_ratios(&w->r)))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	svl_metrics_ratios r;
	svl_metrics_ratios_of(&sum, &r);
	return json_pack(
	    "{s:s,s:s,s:{s:i,s:i,s:i},s:o,s:{s:o,s:o}}", "period",
	    fmt_metrics_period_name(period), "by", fmt_metrics_by_name(by),
	    "targets", "fu_coverage_permille", FMT_TARGET_FU_COVERAGE_PERMILLE,
	    "fu_success_permille_min", FMT_TARGET_FU_SUCCESS_PERMILLE,
	    "major_complaint_bp_max", FMT_TARGET_MAJOR_COMPLAINT_BP, "rows",
	    arr, "total", "counters", json_counters(&sum), "ratios",
	    json_ratios(&r));
}
