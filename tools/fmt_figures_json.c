/*
 * fmt_figures_json.c - the figures report (svl_figures.h) as one JSON
 * document, in the library's units and under its names: counters and
 * ratios per period (null when a ratio has no denominator), whether each
 * target is met (null: no figure), the total, and every item of every
 * list (no --max-lines here: a script wants them all).
 */
#include "fmt_figures.h"

static json_t *counters(const svl_figures_counts *c)
{
	return json_pack(
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
	    (json_int_t)c->wof_shares_overdue);
}

static json_t *ratios(const svl_figures_counts *c, const svl_figures_ratios *r)
{
	int overdue = c->wof_shares_due ? c->wof_shares_overdue <=
					      SVL_FIGURES_TARGET_SHARES_OVERDUE
					: -1;
	return json_pack(
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
	    fmt_json_met(fmt_met_max(r->late_entry_permille,
				     SVL_FIGURES_TARGET_LATE_ENTRY_PERMILLE)),
	    "accuracy",
	    fmt_json_met(
		fmt_met_min(r->accuracy_bp, SVL_FIGURES_TARGET_ACCURACY_BP)),
	    "wof_shares_overdue", fmt_json_met(overdue));
}

static json_t *row(const svl_figures_row *w)
{
	return json_pack("{s:s,s:I,s:I,s:o,s:o}", "label", w->label,
			 "period_day", (json_int_t)w->period_day,
			 "period_start_ms", (json_int_t)w->period_start_ms,
			 "counters", counters(&w->c), "ratios",
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
	return json_pack(
	    "{s:s,s:s,s:I,s:o,s:I,s:i,s:{s:i,s:i,s:i,s:i,s:i,s:I},s:o,s:{s:o,"
	    "s:o},s:o,s:o,s:o,s:o,s:o}",
	    "period", fmt_metrics_period_name(r->period), "timezone",
	    fmt_tz(z, tz), "as_of_ms", (json_int_t)r->as_of_ms, "as_of",
	    time_or_null(r->as_of_ms, tz), "head_seq", (json_int_t)r->head_seq,
	    "charge_days", (int)r->charge_days, "targets", "prepick_permille",
	    SVL_FIGURES_TARGET_PREPICK_PERMILLE, "reminded_permille",
	    SVL_FIGURES_TARGET_REMINDED_PERMILLE, "late_entry_permille_max",
	    SVL_FIGURES_TARGET_LATE_ENTRY_PERMILLE, "accuracy_bp",
	    SVL_FIGURES_TARGET_ACCURACY_BP, "wof_shares_overdue_max",
	    SVL_FIGURES_TARGET_SHARES_OVERDUE, "remind_lead_ms",
	    (json_int_t)SVL_FIGURES_REMIND_LEAD_MS, "rows", rows(r), "total",
	    "counters", counters(&r->total.c), "ratios",
	    ratios(&r->total.c, &r->total.r), "prepick_misses",
	    list(r->prepick_misses, r->n_prepick_misses, sizeof(svl_fig_job),
		 job, tz),
	    "unreminded",
	    list(r->unreminded, r->n_unreminded, sizeof(svl_fig_job), job, tz),
	    "late_entries",
	    list(r->late, r->n_late, sizeof(svl_fig_late_entry), late, tz),
	    "stocktakes",
	    list(r->stocktakes, r->n_stocktakes, sizeof(svl_fig_stocktake),
		 stocktake, tz),
	    "writeoffs",
	    list(r->writeoffs, r->n_writeoffs, sizeof(svl_fig_writeoff),
		 writeoff, tz));
}
