/*
 * fmt_figures_trade.c - the promises and the trade in the figures report
 * (svl_figures.h): per period the delays told the customer (R-BKG-8: in
 * advance or after the promise), the requisition lines taken into a parts
 * plan (R-QUO-3), the counter sales priced, paid and outstanding, the
 * warranty claims filed, settled and with parts unshipped; then the
 * lists of what is behind: late notices, requisitions not planned, sales
 * not paid in full, claims with parts not shipped.
 */
#include "cli.h"
#include "fmt_figures.h"

static int trade_any(const svl_figures_counts *c)
{
	return c->delays_notified || c->req_lines || c->sales || c->claims;
}

static void trade_row(fmt_table *t, const svl_figures_row *w)
{
	const svl_figures_counts *c = &w->c;
	char n[9][FMT_NUM_SIZE], m[5][FMT_NUM_SIZE];
	fmt_table_add(
	    t, _(w->label), fmt_count(n[0], c->delays_notified),
	    fmt_count(n[1], c->delays_in_advance),
	    fmt_count(n[2], c->delays_late), fmt_count(n[3], c->req_lines),
	    fmt_count(n[4], c->req_lines_planned), fmt_count(n[5], c->sales),
	    fmt_count(n[6], c->sales_paid), fmt_money(m[0], c->sales_due_fen),
	    fmt_money(m[1], c->sales_due_fen - c->sales_paid_fen),
	    fmt_count(n[7], c->claims), fmt_money(m[2], c->claims_fen),
	    fmt_money(m[3], c->claims_paid_fen),
	    fmt_count(n[8], c->claims_unshipped));
}

static int print_trade_periods(FILE *f, const svl_figures *r)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},	    {"delays told", 'r'},
	    {"in advance", 'r'},    {"late", 'r'},
	    {"req. lines", 'r'},    {"planned", 'r'},
	    {"counter sales", 'r'}, {"paid", 'r'},
	    {"due", 'r'},	    {"outstanding", 'r'},
	    {"claims", 'r'},	    {"claimed", 'r'},
	    {"maker paid", 'r'},    {"parts unshipped", 'r'}};
	fprintf(f,
		_("\npromises and trade per %s (R-BKG-8 delays told the "
		  "customer, R-QUO-3 requisitions taken into a parts plan, "
		  "counter sales, warranty claims)\n"),
		_(fmt_metrics_period_name(r->period)));
	fmt_table *t = fmt_table_new(cols, 14);
	for (size_t i = 0; i < r->n_rows; i++)
		if (trade_any(&r->rows[i].c))
			trade_row(t, &r->rows[i]);
	if (r->n_rows > 1)
		trade_row(t, &r->total);
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	fprintf(f, _("a delay is told in advance when told at or before the "
		     "promise then in force (the quote's, or the last notice's "
		     "new time; R-BKG-8: tell the customer in advance)\n"));
	return rc;
}

static int print_late_delays(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'},
				       {"work order", 'l'},
				       {"told", 'l'},
				       {"promised", 'l'},
				       {"new time", 'l'}};
	size_t k = fmt_fig_heading(f,
				   "R-BKG-8, delays told the customer after "
				   "the promise had passed",
				   r->n_late_delays, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 5);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_delay *d = &r->late_delays[i];
		char a[FMT_TIME_SIZE], b[FMT_TIME_SIZE], c[FMT_TIME_SIZE];
		fmt_table_add(
		    t, d->label, d->wo_id,
		    fmt_time(a, d->notified_at_ms, r->tz_offset_min),
		    fmt_time(b, d->promised_at_ms, r->tz_offset_min),
		    fmt_time(c, d->new_ready_at_ms, r->tz_offset_min));
	}
	return fmt_fig_finish(f, t, r->n_late_delays, k);
}

static int print_unplanned(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'},
				       {"work order", 'l'},
				       {"part", 'l'},
				       {"qty", 'r'},
				       {"requisitioned", 'l'}};
	size_t k = fmt_fig_heading(f,
				   "R-QUO-3, requisition lines no parts plan "
				   "has taken in",
				   r->n_unplanned, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 5);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_requisition *q = &r->unplanned[i];
		char a[FMT_TIME_SIZE], n[FMT_NUM_SIZE];
		fmt_table_add(
		    t, q->label, q->wo_id, q->part_no, fmt_qty(n, q->qty_milli),
		    fmt_time(a, q->requisitioned_at_ms, r->tz_offset_min));
	}
	return fmt_fig_finish(f, t, r->n_unplanned, k);
}

static int print_unpaid(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'}, {"pick list", 'l'},
				       {"priced", 'l'}, {"due", 'r'},
				       {"paid", 'r'},	{"outstanding", 'r'}};
	size_t k = fmt_fig_heading(f, "counter sales not paid in full",
				   r->n_unpaid_sales, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 6);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_sale *s = &r->unpaid_sales[i];
		char a[FMT_TIME_SIZE], d[FMT_NUM_SIZE], p[FMT_NUM_SIZE];
		char o[FMT_NUM_SIZE];
		fmt_table_add(t, s->label, s->pick_id,
			      fmt_time(a, s->priced_at_ms, r->tz_offset_min),
			      fmt_money(d, s->due_fen),
			      fmt_money(p, s->paid_fen),
			      fmt_money(o, s->due_fen - s->paid_fen));
	}
	return fmt_fig_finish(f, t, r->n_unpaid_sales, k);
}

static int print_unshipped(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},	{"claim", 'l'},	  {"work order", 'l'},
	    {"filed", 'l'},	{"claimed", 'r'}, {"parts", 'r'},
	    {"unshipped", 'r'}, {"settled", 'l'}, {"maker paid", 'r'}};
	size_t k = fmt_fig_heading(f,
				   "warranty claims whose claim parts are not "
				   "all shipped",
				   r->n_unshipped_claims, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 9);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_claim *c = &r->unshipped_claims[i];
		char a[FMT_TIME_SIZE], s[FMT_TIME_SIZE], m[FMT_NUM_SIZE];
		char p[FMT_NUM_SIZE], u[FMT_NUM_SIZE], d[FMT_NUM_SIZE];
		fmt_table_add(
		    t, c->label, c->claim_id, c->wo_id,
		    fmt_time(a, c->filed_at_ms, r->tz_offset_min),
		    fmt_money(m, c->claimed_fen), fmt_count(p, c->parts),
		    fmt_count(u, c->parts_unshipped),
		    fmt_time(s, c->settled_at_ms, r->tz_offset_min),
		    c->settled_at_ms ? fmt_money(d, c->paid_fen) : "-");
	}
	return fmt_fig_finish(f, t, r->n_unshipped_claims, k);
}

int print_figures_trade(FILE *f, const svl_figures *r, size_t max_lines)
{
	int rc = 0;
	if (!trade_any(&r->total.c))
		fprintf(f, _("\npromises and trade (R-BKG-8 delays, R-QUO-3 "
			     "requisitions, counter sales, warranty claims): "
			     "nothing counted in that range\n"));
	else
		rc |= print_trade_periods(f, r);
	rc |= print_late_delays(f, r, max_lines);
	rc |= print_unplanned(f, r, max_lines);
	rc |= print_unpaid(f, r, max_lines);
	rc |= print_unshipped(f, r, max_lines);
	return rc;
}
