/*
 * fmt_figures_json.c - the figures report (svl_figures.h) as one JSON
 * document, in the library's units and under its names: counters and
 * ratios per period (null when a ratio has no denominator), whether each
 * target is met (null: no figure), the total, and every item of every
 * list (no --max-lines here: a script wants them all).
 */
#include "fmt_figures.h"

/* Members added to object o, which is consumed: o, or NULL when o is
 * NULL or out of memory. */
static json_t *with(json_t *o, const char *const *keys, json_t *const *vals,
		    size_t n)
{
	int bad = !o;
	for (size_t i = 0; i < n; i++) {
		if (bad)
			json_decref(vals[i]); /* NULL is fine */
		else if (json_object_set_new(o, keys[i], vals[i]))
			bad = 1; /* it took vals[i] (a NULL is refused) */
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* An object of n integers keyed by name(k). */
static json_t *by_name(const int64_t *v, int n, const char *(*name)(int))
{
	json_t *o = json_object();
	for (int k = 0; o && k < n; k++)
		if (json_object_set_new(o, name(k),
					json_integer((json_int_t)v[k]))) {
			json_decref(o);
			o = NULL;
		}
	return o;
}

static json_t *satisfaction(const svl_figures_counts *c,
			    const svl_figures_ratios *r)
{
	json_t *o = json_object();
	for (int d = 0; o && d < SVL_FIGURES_DEPTS; d++)
		if (json_object_set_new(
			o, fmt_fig_dept_name(d),
			json_pack("{s:I,s:I,s:o}", "answers",
				  (json_int_t)c->sat_answers[d], "score_sum",
				  (json_int_t)c->sat_score_sum[d], "avg_milli",
				  fmt_json_ratio(r->sat_avg_milli[d])))) {
			json_decref(o);
			o = NULL;
		}
	return o;
}

/* R-FU-7, R-FU-8, R-BKG-7 counters, added to o. */
static json_t *care_counters(json_t *o, const svl_figures_counts *c)
{
	static const char *const keys[] = {"fu_calls",
					   "fu_reached",
					   "fu_failed",
					   "fu_problems",
					   "fu_problems_by_department",
					   "complaints",
					   "cmp_major",
					   "cmp_resolved",
					   "cmp_on_time",
					   "cmp_late",
					   "cmp_confirmed",
					   "lost",
					   "lost_by_reason",
					   "warnings",
					   "warnings_handed_off",
					   "warnings_pending"};
	json_t *const vals[] = {
	    json_integer(c->fu_calls),
	    json_integer(c->fu_reached),
	    json_integer(c->fu_failed),
	    json_integer(c->fu_problems),
	    by_name(c->fu_problems_dept, SVL_FIGURES_DEPTS, fmt_fig_dept_name),
	    json_integer(c->complaints),
	    json_integer(c->cmp_major),
	    json_integer(c->cmp_resolved),
	    json_integer(c->cmp_on_time),
	    json_integer(c->cmp_late),
	    json_integer(c->cmp_confirmed),
	    json_integer(c->lost),
	    by_name(c->lost_reason, SVL_FIGURES_LOST_REASONS,
		    fmt_fig_lost_reason_name),
	    json_integer(c->warnings),
	    json_integer(c->warnings_handed_off),
	    json_integer(c->warnings - c->warnings_handed_off)};
	_Static_assert(sizeof keys / sizeof keys[0] ==
			   sizeof vals / sizeof vals[0],
		       "a value per key");
	return with(o, keys, vals, sizeof keys / sizeof keys[0]);
}

/* R-BKG-8 delays, R-QUO-3 requisitions, counter sales, claims, added to
 * o. */
static json_t *trade_counters(json_t *o, const svl_figures_counts *c)
{
	static const char *const keys[] = {
	    "delays_notified", "delays_in_advance", "delays_late",
	    "req_lines",       "req_lines_planned", "sales",
	    "sales_paid",      "sales_due_fen",	    "sales_paid_fen",
	    "claims",	       "claims_fen",	    "claims_settled",
	    "claims_paid_fen", "claims_unshipped"};
	const int64_t v[] = {
	    c->delays_notified, c->delays_in_advance, c->delays_late,
	    c->req_lines,	c->req_lines_planned, c->sales,
	    c->sales_paid,	c->sales_due_fen,     c->sales_paid_fen,
	    c->claims,		c->claims_fen,	      c->claims_settled,
	    c->claims_paid_fen, c->claims_unshipped};
	json_t *vals[sizeof v / sizeof v[0]];
	_Static_assert(sizeof keys / sizeof keys[0] == sizeof v / sizeof v[0],
		       "a value per key");
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		vals[i] = json_integer((json_int_t)v[i]);
	return with(o, keys, vals, sizeof v / sizeof v[0]);
}

static json_t *counters(const svl_figures_counts *c)
{
	return care_counters(
	    json_pack(
		"{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"booked_received", (json_int_t)c->booked_received, "prepicked",
		(json_int_t)c->prepicked, "booked_no_pick",
		(json_int_t)c->booked_no_pick, "reminders_due",
		(json_int_t)c->reminders_due, "reminded_in_time",
		(json_int_t)c->reminded_in_time, "stock_moves",
		(json_int_t)c->stock_moves, "late_entries",
		(json_int_t)c->late_entries, "stocktakes",
		(json_int_t)c->stocktakes, "count_lines",
		(json_int_t)c->count_lines, "count_lines_exact",
		(json_int_t)c->count_lines_exact, "writeoffs",
		(json_int_t)c->writeoffs, "wof_shares_due",
		(json_int_t)c->wof_shares_due, "wof_shares_charged",
		(json_int_t)c->wof_shares_charged, "wof_shares_overdue",
		(json_int_t)c->wof_shares_overdue),
	    c);
}

static json_t *all_counters(const svl_figures_counts *c)
{
	return trade_counters(counters(c), c);
}

static json_t *care_ratios(json_t *o, const svl_figures_counts *c,
			   const svl_figures_ratios *r)
{
	static const char *const keys[] = {"fu_success_permille",
					   "cmp_on_time_permille",
					   "satisfaction_by_department"};
	json_t *const vals[] = {fmt_json_ratio(r->fu_success_permille),
				fmt_json_ratio(r->cmp_on_time_permille),
				satisfaction(c, r)};
	json_t *met = o ? json_object_get(o, "targets_met") : NULL;
	if (!met ||
	    json_object_set_new(met, "fu_success",
				fmt_json_met(fmt_met_min(
				    r->fu_success_permille,
				    SVL_FIGURES_TARGET_FU_SUCCESS_PERMILLE)))) {
		json_decref(o);
		o = NULL;
	}
	return with(o, keys, vals, 3);
}

static json_t *ratios(const svl_figures_counts *c, const svl_figures_ratios *r)
{
	int overdue = c->wof_shares_due ? c->wof_shares_overdue <=
					      SVL_FIGURES_TARGET_SHARES_OVERDUE
					: -1;
	return care_ratios(
	    json_pack(
		"{s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o,s:o,s:o}}", "prepick_permille",
		fmt_json_ratio(r->prepick_permille), "reminded_permille",
		fmt_json_ratio(r->reminded_permille), "late_entry_permille",
		fmt_json_ratio(r->late_entry_permille), "accuracy_bp",
		fmt_json_ratio(r->accuracy_bp), "targets_met", "prepick",
		fmt_json_met(fmt_met_min(r->prepick_permille,
					 SVL_FIGURES_TARGET_PREPICK_PERMILLE)),
		"reminded",
		fmt_json_met(fmt_met_min(r->reminded_permille,
					 SVL_FIGURES_TARGET_REMINDED_PERMILLE)),
		"late_entries",
		fmt_json_met(
		    fmt_met_max(r->late_entry_permille,
				SVL_FIGURES_TARGET_LATE_ENTRY_PERMILLE)),
		"accuracy",
		fmt_json_met(fmt_met_min(r->accuracy_bp,
					 SVL_FIGURES_TARGET_ACCURACY_BP)),
		"wof_shares_overdue", fmt_json_met(overdue)),
	    c, r);
}

static json_t *row(const svl_figures_row *w)
{
	return json_pack("{s:s,s:I,s:I,s:o,s:o}", "label", w->label,
			 "period_day", (json_int_t)w->period_day,
			 "period_start_ms", (json_int_t)w->period_start_ms,
			 "counters", all_counters(&w->c), "ratios",
			 ratios(&w->c, &w->r));
}

/* An array of n items made by fn; NULL when out of memory. */
static json_t *list(const void *v, size_t n, size_t size,
		    json_t *(*fn)(const void *x, int32_t tz), int32_t tz)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a,
					  fn((const char *)v + i * size, tz))) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

static json_t *time_or_null(int64_t ms, int32_t tz)
{
	char b[FMT_TIME_SIZE];
	return ms ? json_string(fmt_iso(b, ms, tz)) : json_null();
}

static json_t *job(const void *p, int32_t tz)
{
	const svl_fig_job *j = p;
	return json_pack(
	    "{s:s,s:s,s:I,s:o,s:I,s:o,s:I,s:o,s:s,s:I,s:o}", "period", j->label,
	    "wo_id", j->wo_id, "slot_at_ms", (json_int_t)j->slot_at_ms,
	    "slot_at", time_or_null(j->slot_at_ms, tz), "received_at_ms",
	    (json_int_t)j->received_at_ms, "received_at",
	    time_or_null(j->received_at_ms, tz), "picked_at_ms",
	    (json_int_t)j->picked_at_ms, "picked_at",
	    time_or_null(j->picked_at_ms, tz), "pick_id", j->pick_id,
	    "reminded_at_ms", (json_int_t)j->reminded_at_ms, "reminded_at",
	    time_or_null(j->reminded_at_ms, tz));
}

static json_t *late(const void *p, int32_t tz)
{
	const svl_fig_late_entry *x = p;
	char ty[FMT_NUM_SIZE];
	return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:I,s:I,s:o,s:I,s:o,s:I}",
			 "period", x->label, "part_no", x->part_no, "bin",
			 x->bin, "type", (int)x->type, "type_name",
			 fmt_type_name(x->type, ty), "doc", x->doc, "seq",
			 (json_int_t)x->seq, "occurred_at_ms",
			 (json_int_t)x->occurred_at_ms, "occurred_at",
			 time_or_null(x->occurred_at_ms, tz), "recorded_at_ms",
			 (json_int_t)x->recorded_at_ms, "recorded_at",
			 time_or_null(x->recorded_at_ms, tz), "days_late",
			 (json_int_t)x->days_late);
}

static json_t *stocktake(const void *p, int32_t tz)
{
	const svl_fig_stocktake *s = p;
	return json_pack(
	    "{s:s,s:s,s:i,s:s,s:I,s:o,s:I,s:o,s:I,s:I,s:o,s:I,s:I}", "period",
	    s->label, "stk_id", s->stk_id, "kind", s->kind, "kind_name",
	    fmt_stk_kind_name(s->kind), "opened_at_ms",
	    (json_int_t)s->opened_at_ms, "opened_at",
	    time_or_null(s->opened_at_ms, tz), "closed_at_ms",
	    (json_int_t)s->closed_at_ms, "closed_at",
	    time_or_null(s->closed_at_ms, tz), "lines", (json_int_t)s->lines,
	    "lines_exact", (json_int_t)s->lines_exact, "accuracy_bp",
	    fmt_json_ratio(s->accuracy_bp), "adjustments_proposed",
	    (json_int_t)s->adj_proposed, "adjustments_approved",
	    (json_int_t)s->adj_approved);
}

static json_t *share(const svl_fig_writeoff *w, int k, int32_t tz)
{
	return json_pack("{s:I,s:I,s:o,s:s,s:b}", "fen",
			 (json_int_t)w->share_fen[k], "charged_at_ms",
			 (json_int_t)w->charged_at_ms[k], "charged_at",
			 time_or_null(w->charged_at_ms[k], tz), "charged_to",
			 w->charged_to[k], "overdue", (int)w->overdue[k]);
}

static json_t *writeoff(const void *p, int32_t tz)
{
	const svl_fig_writeoff *w = p;
	return json_pack(
	    "{s:s,s:s,s:I,s:o,s:I,s:I,s:o,s:I,s:{s:o,s:o,s:o}}", "period",
	    w->label, "wof_id", w->wof_id, "approved_at_ms",
	    (json_int_t)w->approved_at_ms, "approved_at",
	    time_or_null(w->approved_at_ms, tz), "total_fen",
	    (json_int_t)w->total_fen, "due_at_ms", (json_int_t)w->due_at_ms,
	    "due_at", time_or_null(w->due_at_ms, tz), "company_fen",
	    (json_int_t)w->share_fen[SVL_WOF_COMPANY], "shares",
	    "service_manager", share(w, SVL_WOF_SERVICE_MANAGER, tz),
	    "parts_manager", share(w, SVL_WOF_PARTS_MANAGER, tz),
	    "warehouse_keeper", share(w, SVL_WOF_WAREHOUSE_KEEPER, tz));
}

static json_t *problem(const void *p, int32_t tz)
{
	const svl_fig_problem *x = p;
	char d[FMT_TIME_SIZE];
	return json_pack("{s:s,s:s,s:I,s:o,s:s,s:s,s:s,s:s}", "period",
			 x->label, "day", fmt_date(d, x->called_at_ms, tz),
			 "called_at_ms", (json_int_t)x->called_at_ms,
			 "called_at", time_or_null(x->called_at_ms, tz),
			 "wo_id", x->wo_id, "department",
			 fmt_fig_dept_name(x->department), "called_by", x->who,
			 "problem", x->problem);
}

static json_t *name_or_null(int k, const char *(*name)(int))
{
	return k < 0 ? json_null() : json_string(name(k));
}

static json_t *complaint(const void *p, int32_t tz)
{
	const svl_fig_complaint *c = p;
	return json_pack(
	    "{s:s,s:s,s:s,s:I,s:o,s:o,s:b,s:o,s:I,s:o,s:I,s:o,s:I,s:o,s:o,"
	    "s:o}",
	    "period", c->label, "cmp_id", c->cmp_id, "wo_id", c->wo_id,
	    "opened_at_ms", (json_int_t)c->opened_at_ms, "opened_at",
	    time_or_null(c->opened_at_ms, tz), "severity",
	    name_or_null(c->severity, fmt_fig_severity_name), "major", c->major,
	    "department", name_or_null(c->department, fmt_fig_dept_name),
	    "deadline_at_ms", (json_int_t)c->deadline_at_ms, "deadline_at",
	    time_or_null(c->deadline_at_ms, tz), "resolved_at_ms",
	    (json_int_t)c->resolved_at_ms, "resolved_at",
	    time_or_null(c->resolved_at_ms, tz), "closed_at_ms",
	    (json_int_t)c->closed_at_ms, "closed_at",
	    time_or_null(c->closed_at_ms, tz), "customer_confirmed",
	    c->closed_at_ms ? json_boolean(c->customer_confirmed) : json_null(),
	    "on_time", c->on_time < 0 ? json_null() : json_boolean(c->on_time));
}

static json_t *lost_customer(const void *p, int32_t tz)
{
	const svl_fig_lost *x = p;
	return json_pack("{s:s,s:s,s:I,s:o,s:s,s:s,s:s}", "period", x->label,
			 "customer_id", x->customer_id, "lost_at_ms",
			 (json_int_t)x->lost_at_ms, "lost_at",
			 time_or_null(x->lost_at_ms, tz), "reason",
			 fmt_fig_lost_reason_name(x->reason), "wo_id", x->wo_id,
			 "recorded_by", x->who);
}

static json_t *warning(const void *p, int32_t tz)
{
	const svl_fig_warning *w = p;
	return json_pack(
	    "{s:s,s:s,s:I,s:o,s:s,s:I,s:o,s:o,s:s,s:b}", "period", w->label,
	    "wo_id", w->wo_id, "flagged_at_ms", (json_int_t)w->flagged_at_ms,
	    "flagged_at", time_or_null(w->flagged_at_ms, tz), "flagged_at_step",
	    w->flagged_by == SVL_T_BOOKING_REQUESTED ? "booking" : "reception",
	    "handed_off_at_ms", (json_int_t)w->handed_off_at_ms,
	    "handed_off_at", time_or_null(w->handed_off_at_ms, tz), "outcome",
	    name_or_null(w->outcome, fmt_fig_outcome_name), "supervisor",
	    w->who, "pending", w->outcome < 0);
}

/* The after-care lists and target, added to the report o. */
static json_t *care_lists(json_t *o, const svl_figures *r)
{
	static const char *const keys[] = {
	    "problems", "complaints", "lost_customers", "warranty_warnings"};
	int32_t tz = r->tz_offset_min;
	json_t *const vals[] = {
	    list(r->problems, r->n_problems, sizeof(svl_fig_problem), problem,
		 tz),
	    list(r->complaints, r->n_complaints, sizeof(svl_fig_complaint),
		 complaint, tz),
	    list(r->lost, r->n_lost, sizeof(svl_fig_lost), lost_customer, tz),
	    list(r->warnings, r->n_warnings, sizeof(svl_fig_warning), warning,
		 tz)};
	json_t *t = o ? json_object_get(o, "targets") : NULL;
	if (!t || json_object_set_new(
		      t, "fu_success_permille",
		      json_integer(SVL_FIGURES_TARGET_FU_SUCCESS_PERMILLE))) {
		json_decref(o);
		o = NULL;
	}
	return with(o, keys, vals, 4);
}

static json_t *late_delay(const void *p, int32_t tz)
{
	const svl_fig_delay *d = p;
	return json_pack("{s:s,s:s,s:I,s:o,s:I,s:o,s:I,s:o}", "period",
			 d->label, "wo_id", d->wo_id, "notified_at_ms",
			 (json_int_t)d->notified_at_ms, "notified_at",
			 time_or_null(d->notified_at_ms, tz), "promised_at_ms",
			 (json_int_t)d->promised_at_ms, "promised_at",
			 time_or_null(d->promised_at_ms, tz), "new_ready_at_ms",
			 (json_int_t)d->new_ready_at_ms, "new_ready_at",
			 time_or_null(d->new_ready_at_ms, tz));
}

static json_t *unplanned(const void *p, int32_t tz)
{
	const svl_fig_requisition *q = p;
	return json_pack("{s:s,s:s,s:s,s:I,s:I,s:o}", "period", q->label,
			 "wo_id", q->wo_id, "part_no", q->part_no, "qty_milli",
			 (json_int_t)q->qty_milli, "requisitioned_at_ms",
			 (json_int_t)q->requisitioned_at_ms, "requisitioned_at",
			 time_or_null(q->requisitioned_at_ms, tz));
}

static json_t *unpaid(const void *p, int32_t tz)
{
	const svl_fig_sale *x = p;
	return json_pack(
	    "{s:s,s:s,s:I,s:o,s:I,s:I}", "period", x->label, "pick_id",
	    x->pick_id, "priced_at_ms", (json_int_t)x->priced_at_ms,
	    "priced_at", time_or_null(x->priced_at_ms, tz), "due_fen",
	    (json_int_t)x->due_fen, "paid_fen", (json_int_t)x->paid_fen);
}

static json_t *unshipped(const void *p, int32_t tz)
{
	const svl_fig_claim *c = p;
	return json_pack("{s:s,s:s,s:s,s:I,s:o,s:I,s:I,s:I,s:I,s:o,s:I}",
			 "period", c->label, "claim_id", c->claim_id, "wo_id",
			 c->wo_id, "filed_at_ms", (json_int_t)c->filed_at_ms,
			 "filed_at", time_or_null(c->filed_at_ms, tz),
			 "claimed_fen", (json_int_t)c->claimed_fen, "parts",
			 (json_int_t)c->parts, "parts_unshipped",
			 (json_int_t)c->parts_unshipped, "settled_at_ms",
			 (json_int_t)c->settled_at_ms, "settled_at",
			 time_or_null(c->settled_at_ms, tz), "paid_fen",
			 (json_int_t)c->paid_fen);
}

/* The trade's lists, added to the report o. */
static json_t *trade_lists(json_t *o, const svl_figures *r)
{
	static const char *const keys[] = {"late_delays", "unplanned",
					   "unpaid_sales", "unshipped_claims"};
	int32_t tz = r->tz_offset_min;
	json_t *const vals[] = {list(r->late_delays, r->n_late_delays,
				     sizeof(svl_fig_delay), late_delay, tz),
				list(r->unplanned, r->n_unplanned,
				     sizeof(svl_fig_requisition), unplanned,
				     tz),
				list(r->unpaid_sales, r->n_unpaid_sales,
				     sizeof(svl_fig_sale), unpaid, tz),
				list(r->unshipped_claims, r->n_unshipped_claims,
				     sizeof(svl_fig_claim), unshipped, tz)};
	return with(o, keys, vals, 4);
}

static json_t *rows(const svl_figures *r)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < r->n_rows; i++)
		if (json_array_append_new(a, row(&r->rows[i]))) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

json_t *json_figures(const svl_figures *r)
{
	int32_t tz = r->tz_offset_min;
	char z[FMT_NUM_SIZE];
	return trade_lists(
	    care_lists(
		json_pack(
		    "{s:s,s:s,s:I,s:o,s:I,s:i,s:{s:i,s:i,s:i,s:i,s:i,s:I},s:o,"
		    "s:{s:"
		    "o,"
		    "s:o},s:o,s:o,s:o,s:o,s:o}",
		    "period", fmt_metrics_period_name(r->period), "timezone",
		    fmt_tz(z, tz), "as_of_ms", (json_int_t)r->as_of_ms, "as_of",
		    time_or_null(r->as_of_ms, tz), "head_seq",
		    (json_int_t)r->head_seq, "charge_days", (int)r->charge_days,
		    "targets", "prepick_permille",
		    SVL_FIGURES_TARGET_PREPICK_PERMILLE, "reminded_permille",
		    SVL_FIGURES_TARGET_REMINDED_PERMILLE,
		    "late_entry_permille_max",
		    SVL_FIGURES_TARGET_LATE_ENTRY_PERMILLE, "accuracy_bp",
		    SVL_FIGURES_TARGET_ACCURACY_BP, "wof_shares_overdue_max",
		    SVL_FIGURES_TARGET_SHARES_OVERDUE, "remind_lead_ms",
		    (json_int_t)SVL_FIGURES_REMIND_LEAD_MS, "rows", rows(r),
		    "total", "counters", all_counters(&r->total.c), "ratios",
		    ratios(&r->total.c, &r->total.r), "prepick_misses",
		    list(r->prepick_misses, r->n_prepick_misses,
			 sizeof(svl_fig_job), job, tz),
		    "unreminded",
		    list(r->unreminded, r->n_unreminded, sizeof(svl_fig_job),
			 job, tz),
		    "late_entries",
		    list(r->late, r->n_late, sizeof(svl_fig_late_entry), late,
			 tz),
		    "stocktakes",
		    list(r->stocktakes, r->n_stocktakes,
			 sizeof(svl_fig_stocktake), stocktake, tz),
		    "writeoffs",
		    list(r->writeoffs, r->n_writeoffs, sizeof(svl_fig_writeoff),
			 writeoff, tz)),
		r),
	    r);
}
