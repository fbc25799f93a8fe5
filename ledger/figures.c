/*
 * figures.c - svl_figures_get: the figures of the seed that the metrics
 * projection does not fold (svl_figures.h), per period, with the
 * exceptions behind them. This file orders the work and owns the report:
 * its periods and rows, its lists, its ratios.
 *
 * The work: one read snapshot walks the log and the stock cards
 * (figures_scan.c), then the facts it kept are joined per document
 * (figures_jobs.c, figures_wof.c) and each stocktake is reconciled
 * (figures_stock.c, through svl_reconcile, outside the walk's snapshot:
 * snapshots are never nested, so that map growth can always take its
 * lock).
 *
 * Invariants: a row exists only for a period of the range with something
 * counted in it; rows are in period order; every list item's label is
 * that of a row; the total row is the sum of the rows, its ratios those
 * of the sums (never an average of the rows' ratios).
 */
#include <assert.h>
#include <stdlib.h>

#include "calendar.h"
#include "fail.h"
#include "figures_int.h"
#include "metrics_int.h"

/* ---- small helpers the files share ---- */

void *svl__fig_grown(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t want = *cap ? 2 * *cap : 16;
	void *nv = want <= SIZE_MAX / size ? realloc(v, want * size) : NULL;
	if (!nv)
		return v;
	*cap = want;
	return nv;
}

void svl__fig_copy(char *dst, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

static int fact_cmp(const void *a, const void *b)
{
	const svl__fig_fact *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int svl__fig_runs(svl__fig *f, int group, svl__fig_run_fn fn)
{
	svl__fig_facts *g = &f->g[group];
	int rc = SVL_OK;
	if (g->n > 1)
		qsort(g->v, g->n, sizeof g->v[0], fact_cmp);
	for (size_t i = 0, e; rc == SVL_OK && i < g->n; i = e) {
		for (e = i + 1; e < g->n && !strcmp(g->v[e].id, g->v[i].id);)
			e++;
		rc = fn(f, &g->v[i], e - i);
	}
	return rc;
}

/* ---- periods and rows ---- */

static int64_t period_of(const svl__fig *f, int64_t at_ms)
{
	return svl__period_start(f->period,
				 svl_rules_local_day(&f->rules, at_ms));
}

void svl__fig_label(const svl__fig *f, int64_t at_ms,
		    char out[SVL_METRICS_LABEL_MAX])
{
	svl__period_label(f->period, period_of(f, at_ms), out);
}

int svl__fig_row(svl__fig *f, int64_t at_ms, svl_figures_row **out)
{
	svl_figures *r = f->out;
	int64_t day = period_of(f, at_ms);
	*out = NULL;
	if (day < f->first_day || day > f->last_day)
		return SVL_OK;
	size_t lo = 0, hi = r->n_rows; /* the first row at or after day */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->rows[mid].period_day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n_rows && r->rows[lo].period_day == day) {
		*out = &r->rows[lo];
		return SVL_OK;
	}
	r->rows =
	    svl__fig_grown(r->rows, r->n_rows, &f->cap_rows, sizeof r->rows[0]);
	if (r->n_rows == f->cap_rows)
		return SVL_ENOMEM;
	svl_figures_row *row = &r->rows[lo];
	memmove(row + 1, row, (r->n_rows - lo) * sizeof *row);
	r->n_rows++;
	memset(row, 0, sizeof *row);
	row->period = f->period;
	row->period_day = day;
	row->period_start_ms = svl__day_start_ms(day, f->rules.tz_offset_min);
	svl__period_label(f->period, day, row->label);
	*out = row;
	return SVL_OK;
}

/* ---- ratios and the total ---- */

void svl_figures_ratios_of(const svl_figures_counts *c, svl_figures_ratios *out)
{
	out->prepick_permille =
	    svl__metrics_ratio(c->prepicked, c->booked_received, 1000);
	out->reminded_permille =
	    svl__metrics_ratio(c->reminded_in_time, c->reminders_due, 1000);
	out->late_entry_permille =
	    svl__metrics_ratio(c->late_entries, c->stock_moves, 1000);
	out->accuracy_bp =
	    svl__metrics_ratio(c->count_lines_exact, c->count_lines, 10000);
	out->fu_success_permille = svl__metrics_ratio(
	    c->fu_reached, c->fu_reached + c->fu_failed, 1000);
	out->cmp_on_time_permille = svl__metrics_ratio(
	    c->cmp_on_time, c->cmp_on_time + c->cmp_late, 1000);
	for (int d = 0; d < SVL_FIGURES_DEPTS; d++)
		out->sat_avg_milli[d] = svl__metrics_ratio(
		    c->sat_score_sum[d], c->sat_answers[d], 1000);
}

static void add(svl_figures_counts *sum, const svl_figures_counts *c)
{
	_Static_assert(sizeof *c % sizeof(int64_t) == 0,
		       "counters are int64_t only");
	int64_t *s = (int64_t *)sum;
	const int64_t *x = (const int64_t *)c;
	for (size_t i = 0; i < sizeof *c / sizeof *x; i++)
		s[i] += x[i];
}

/* What every row must hold: a part never exceeds its whole. */
static void check_row(const svl_figures_counts *c)
{
	assert(c->prepicked <= c->booked_received);
	assert(c->reminded_in_time <= c->reminders_due);
	assert(c->late_entries <= c->stock_moves);
	assert(c->count_lines_exact <= c->count_lines);
	assert(c->wof_shares_charged + c->wof_shares_overdue <=
	       c->wof_shares_due);
	assert(c->cmp_on_time + c->cmp_late <= c->complaints);
	assert(c->cmp_on_time <= c->cmp_resolved);
	assert(c->cmp_major <= c->complaints);
	assert(c->warnings_handed_off <= c->warnings);
	assert(c->delays_in_advance + c->delays_late <= c->delays_notified);
	assert(c->req_lines_planned <= c->req_lines);
	assert(c->sales_paid <= c->sales);
	assert(c->claims_settled <= c->claims);
	assert(c->claims_unshipped <= c->claims);
	int64_t problems = 0, lost = 0;
	for (int d = 0; d < SVL_FIGURES_DEPTS; d++)
		problems += c->fu_problems_dept[d];
	for (int k = 0; k < SVL_FIGURES_LOST_REASONS; k++)
		lost += c->lost_reason[k];
	assert(problems == c->fu_problems);
	assert(lost == c->lost);
	(void)c;
	(void)problems;
	(void)lost;
}

static void finish_rows(svl_figures *r)
{
	memset(&r->total, 0, sizeof r->total);
	r->total.period = r->period;
	memcpy(r->total.label, "total", sizeof "total");
	for (size_t i = 0; i < r->n_rows; i++) {
		assert(i == 0 ||
		       r->rows[i - 1].period_day < r->rows[i].period_day);
		check_row(&r->rows[i].c);
		svl_figures_ratios_of(&r->rows[i].c, &r->rows[i].r);
		add(&r->total.c, &r->rows[i].c);
	}
	svl_figures_ratios_of(&r->total.c, &r->total.r);
}

/* ---- the lists, in period order and then time ----
 *
 * Each item counts in the period of one of its times, and the period of
 * a time never goes back as the time goes on: sorting by that time sorts
 * by period too. */

static int by_time(int64_t tx, int64_t ty, const char *x, const char *y)
{
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(x, y);
}

static int prepick_cmp(const void *a, const void *b)
{
	const svl_fig_job *x = a, *y = b;
	return by_time(x->received_at_ms, y->received_at_ms, x->wo_id,
		       y->wo_id);
}

static int unreminded_cmp(const void *a, const void *b)
{
	const svl_fig_job *x = a, *y = b;
	return by_time(x->slot_at_ms, y->slot_at_ms, x->wo_id, y->wo_id);
}

static int late_cmp(const void *a, const void *b)
{
	const svl_fig_late_entry *x = a, *y = b;
	if (x->occurred_at_ms != y->occurred_at_ms)
		return x->occurred_at_ms < y->occurred_at_ms ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return by_time(0, 0, x->part_no, y->part_no);
}

static int stk_cmp(const void *a, const void *b)
{
	const svl_fig_stocktake *x = a, *y = b;
	return by_time(x->opened_at_ms, y->opened_at_ms, x->stk_id, y->stk_id);
}

static int wof_cmp(const void *a, const void *b)
{
	const svl_fig_writeoff *x = a, *y = b;
	return by_time(x->approved_at_ms, y->approved_at_ms, x->wof_id,
		       y->wof_id);
}

static int problem_cmp(const void *a, const void *b)
{
	const svl_fig_problem *x = a, *y = b;
	return by_time(x->called_at_ms, y->called_at_ms, x->wo_id, y->wo_id);
}

static int complaint_cmp(const void *a, const void *b)
{
	const svl_fig_complaint *x = a, *y = b;
	return by_time(x->opened_at_ms, y->opened_at_ms, x->cmp_id, y->cmp_id);
}

static int lost_cmp(const void *a, const void *b)
{
	const svl_fig_lost *x = a, *y = b;
	return by_time(x->lost_at_ms, y->lost_at_ms, x->customer_id,
		       y->customer_id);
}

static int warning_cmp(const void *a, const void *b)
{
	const svl_fig_warning *x = a, *y = b;
	return by_time(x->flagged_at_ms, y->flagged_at_ms, x->wo_id, y->wo_id);
}

static int delay_cmp(const void *a, const void *b)
{
	const svl_fig_delay *x = a, *y = b;
	return by_time(x->notified_at_ms, y->notified_at_ms, x->wo_id,
		       y->wo_id);
}

static int req_cmp(const void *a, const void *b)
{
	const svl_fig_requisition *x = a, *y = b;
	int c = by_time(x->requisitioned_at_ms, y->requisitioned_at_ms,
			x->wo_id, y->wo_id);
	return c ? c : strcmp(x->part_no, y->part_no);
}

static int sale_cmp(const void *a, const void *b)
{
	const svl_fig_sale *x = a, *y = b;
	return by_time(x->priced_at_ms, y->priced_at_ms, x->pick_id,
		       y->pick_id);
}

static int claim_cmp(const void *a, const void *b)
{
	const svl_fig_claim *x = a, *y = b;
	return by_time(x->filed_at_ms, y->filed_at_ms, x->claim_id,
		       y->claim_id);
}

static void sort_lists(svl_figures *r)
{
#define SORT(v, n, cmp)                                                        \
	if ((n) > 1)                                                           \
		qsort((v), (n), sizeof *(v), (cmp));
	SORT(r->prepick_misses, r->n_prepick_misses, prepick_cmp)
	SORT(r->unreminded, r->n_unreminded, unreminded_cmp)
	SORT(r->late, r->n_late, late_cmp)
	SORT(r->stocktakes, r->n_stocktakes, stk_cmp)
	SORT(r->writeoffs, r->n_writeoffs, wof_cmp)
	SORT(r->problems, r->n_problems, problem_cmp)
	SORT(r->complaints, r->n_complaints, complaint_cmp)
	SORT(r->lost, r->n_lost, lost_cmp)
	SORT(r->warnings, r->n_warnings, warning_cmp)
	SORT(r->late_delays, r->n_late_delays, delay_cmp)
	SORT(r->unplanned, r->n_unplanned, req_cmp)
	SORT(r->unpaid_sales, r->n_unpaid_sales, sale_cmp)
	SORT(r->unshipped_claims, r->n_unshipped_claims, claim_cmp)
#undef SORT
}

/* ---- svl_figures_get ---- */

static int check_args(svl_ledger *l, const svl_figures_options *o,
		      svl_figures **out)
{
	if (!l || !out)
		return svl__fail(l ? svl_ledger_log(l) : NULL, SVL_EMISUSE,
				 "figures: ledger and out are required");
	if (o->version != SVL_FIGURES_OPTIONS_VERSION)
		return svl__fail(svl_ledger_log(l), SVL_EMISUSE,
				 "figures: options version %u, this library "
				 "knows %d",
				 o->version, SVL_FIGURES_OPTIONS_VERSION);
	if ((unsigned)o->period > SVL_METRICS_MONTH)
		return svl__fail(svl_ledger_log(l), SVL_EINVAL,
				 "figures: no period %d", (int)o->period);
	if (o->from_ms >= o->to_ms)
		return svl__fail(svl_ledger_log(l), SVL_EINVAL,
				 "figures: from_ms %lld must be before to_ms "
				 "%lld",
				 (long long)o->from_ms, (long long)o->to_ms);
	return SVL_OK;
}

static void free_facts(svl__fig *f)
{
	for (int i = 0; i < SVL__FIG_N; i++)
		free(f->g[i].v);
}

/* After the walk: join the facts, reconcile the stocktakes, finish. */
static int compute(svl__fig *f)
{
	int rc = svl__fig_jobs(f);
	if (rc == SVL_OK)
		rc = svl__fig_writeoffs(f);
	if (rc == SVL_OK)
		rc = svl__fig_care(f);
	if (rc == SVL_OK)
		rc = svl__fig_trade(f);
	if (rc == SVL_OK)
		rc = svl__fig_stocktakes(f);
	if (rc == SVL_ENOMEM)
		return svl__fail(svl_ledger_log(f->l), rc,
				 "figures: out of memory");
	if (rc != SVL_OK)
		return rc;
	finish_rows(f->out);
	sort_lists(f->out);
	return SVL_OK;
}

static int figures_run(svl_ledger *l, const svl_figures_options *opt,
		       svl_figures **out, svl_reconcile_result **last_stk)
{
	static const svl_figures_options defaults = SVL_FIGURES_OPTIONS_INIT;
	const svl_figures_options *o = opt ? opt : &defaults;
	int rc = check_args(l, o, out);
	if (rc != SVL_OK)
		return rc;
	*out = NULL;
	svl__fig f;
	memset(&f, 0, sizeof f);
	f.l = l;
	f.period = o->period;
	f.keep_stk = last_stk != NULL;
	if (!(f.out = calloc(1, sizeof *f.out)))
		return svl__fail(svl_ledger_log(l), SVL_ENOMEM,
				 "figures: out of memory");
	f.out->period = o->period;
	f.from_ms = o->from_ms; /* its periods: once the walk has the rules */
	f.to_ms = o->to_ms;
	rc = svl__ledger_read(l, svl__fig_scan, &f);
	if (rc == SVL_ENOMEM)
		rc = svl__fail(svl_ledger_log(l), rc, "figures: out of memory");
	if (rc == SVL_OK)
		rc = compute(&f);
	free_facts(&f);
	if (rc != SVL_OK) {
		svl_figures_free(f.out);
		svl_reconcile_free(f.kept_stk);
		return rc;
	}
	*out = f.out;
	if (last_stk)
		*last_stk = f.kept_stk;
	return SVL_OK;
}

int svl_figures_get(svl_ledger *l, const svl_figures_options *opt,
		    svl_figures **out)
{
	return figures_run(l, opt, out, NULL);
}

int svl__figures_get_kept(svl_ledger *l, const svl_figures_options *opt,
			  svl_figures **out, svl_reconcile_result **last_stk)
{
	if (!last_stk)
		return SVL_EMISUSE;
	*last_stk = NULL;
	return figures_run(l, opt, out, last_stk);
}

void svl_figures_free(svl_figures *f)
{
	if (!f)
		return;
	free(f->rows);
	free(f->prepick_misses);
	free(f->unreminded);
	free(f->late);
	free(f->stocktakes);
	free(f->writeoffs);
	free(f->problems);
	free(f->complaints);
	free(f->lost);
	free(f->warnings);
	free(f->late_delays);
	free(f->unplanned);
	free(f->unpaid_sales);
	free(f->unshipped_claims);
	free(f);
}
