/*
 * fmt_metrics.c - the figures the department is judged by (domain.md
 * section 4) as a table per period, with the seed's targets beside the
 * three figures that have one, and a total row.
 *
 * The total row adds the counters of the rows shown and takes the ratios
 * of the sums (svl_metrics_add, svl_metrics_ratios_of), never an average of
 * the rows' ratios: a quiet week must not weigh as much as a busy one.
 */
#include <string.h>

#include "fmt.h"

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

#define MARK_SIZE (2 * FMT_NUM_SIZE) /* a figure and its mark */

/* 1 target met, 0 missed, -1 no figure */
static int met_min(int32_t v, int32_t target)
{
	return v == SVL_METRICS_NONE ? -1 : v >= target;
}

static int met_max(int32_t v, int32_t target)
{
	return v == SVL_METRICS_NONE ? -1 : v <= target;
}

static const char *with_mark(char *out, const char *figure, int met,
			     const char *miss)
{
	snprintf(out, MARK_SIZE, "%s %s", figure,
		 met < 0 ? ""
		 : met	 ? "ok"
			 : miss);
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
	char jobs[FMT_NUM_SIZE], cov[FMT_NUM_SIZE], covm[MARK_SIZE];
	char suc[FMT_NUM_SIZE], sucm[MARK_SIZE], sat[FMT_NUM_SIZE];
	char avg[FMT_NUM_SIZE], majm[MARK_SIZE];
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
	    with_mark(covm, cov,
		      met_min(r->fu_coverage_permille,
			      FMT_TARGET_FU_COVERAGE_PERMILLE),
		      "below"),
	    with_mark(
		sucm, suc,
		met_min(r->fu_success_permille, FMT_TARGET_FU_SUCCESS_PERMILLE),
		"below"),
	    fmt_permille(sat, r->satisfaction_permille),
	    score(avg, r->score_avg_milli),
	    with_mark(
		majm, bp,
		met_max(r->major_complaint_bp, FMT_TARGET_MAJOR_COMPLAINT_BP),
		"over"),
	    fmt_permille(ftf, r->first_time_fix_permille),
	    fmt_permille(ont, r->on_time_permille),
	    fmt_money(wof, c->wof_total_fen)};
	if (!key) /* no key column: the label, then the figures */
		cells[1] = cells[0];
	fmt_table_addv(t, key ? cells : cells + 1);
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
		add_row(t, "total", keyed ? "" : NULL, &sum, &r);
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	fprintf(f, "targets (domain.md section 4): follow-up coverage 100%% "
		   "(R-FU-1), follow-up success >= 80%% (R-FU-2), major "
		   "complaints <= 1%% of jobs (R-CMP-5)\n");
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

static json_t *ratio(int32_t v)
{
	return v == SVL_METRICS_NONE ? json_null() : json_integer(v);
}

static json_t *met(int m)
{
	return m < 0 ? json_null() : json_boolean(m);
}

static json_t *json_ratios(const svl_metrics_ratios *r)
{
	return json_pack(
	    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o}}",
	    "fu_coverage_permille", ratio(r->fu_coverage_permille),
	    "fu_in_window_permille", ratio(r->fu_in_window_permille),
	    "fu_call_window_permille", ratio(r->fu_call_window_permille),
	    "fu_success_permille", ratio(r->fu_success_permille),
	    "satisfaction_permille", ratio(r->satisfaction_permille),
	    "score_avg_milli", ratio(r->score_avg_milli), "major_complaint_bp",
	    ratio(r->major_complaint_bp), "first_time_fix_permille",
	    ratio(r->first_time_fix_permille), "comeback_permille",
	    ratio(r->comeback_permille), "on_time_permille",
	    ratio(r->on_time_permille), "targets_met", "fu_coverage",
	    met(met_min(r->fu_coverage_permille,
			FMT_TARGET_FU_COVERAGE_PERMILLE)),
	    "fu_success",
	    met(met_min(r->fu_success_permille,
			FMT_TARGET_FU_SUCCESS_PERMILLE)),
	    "major_complaints",
	    met(met_max(r->major_complaint_bp, FMT_TARGET_MAJOR_COMPLAINT_BP)));
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
