/*
 * figures_trade.c - the figures of the promises and the trade, from the
 * walk's events, joined per document after it:
 *
 *   R-BKG-8  per job in log order, the promise in force is the last
 *            quote's promised_at_ms (quote_issued, quote_revised) or the
 *            last delay notice's new_ready_at_ms, whichever came later. A
 *            delay_notified counts in the period it happened: in advance
 *            when it happened at or before the promise in force, late when
 *            after it (listed), neither when no promise was made yet.
 *   R-QUO-3  every line of a parts_requisitioned counts in the period of
 *            the requisition; it is planned when a parts_plan_drafted
 *            line names the same job and part, at or after it in the log
 *            (whatever the quantity). The others are listed.
 *   sales    a counter sale (its pick) counts in the period of its last
 *            counter_sale_priced: due its total, paid the sum of its
 *            counter_sale_paid; paid in full when that reaches the total,
 *            else listed as outstanding.
 *   claims   a warranty_claim_filed counts in the period of the filing:
 *            the amount claimed; settled with its first
 *            warranty_claim_settled (what the maker paid); a claim part
 *            is unshipped while the claim_parts_shipped lines of its part
 *            number add up to less than the claim's. Claims with a part
 *            unshipped are listed.
 *
 * Lines are kept one fact each (k 1; the event's own fact has k -1), so
 * a join per document needs no second decoding.
 */
#include "figures_int.h"

/* clang-format off */
static const uint32_t trade_types[] = {
    SVL_T_QUOTE_ISSUED, SVL_T_QUOTE_REVISED, SVL_T_DELAY_NOTIFIED,
    SVL_T_PARTS_REQUISITIONED, SVL_T_PARTS_PLAN_DRAFTED,
    SVL_T_COUNTER_SALE_PRICED, SVL_T_COUNTER_SALE_PAID,
    SVL_T_WARRANTY_CLAIM_FILED, SVL_T_CLAIM_PARTS_SHIPPED,
    SVL_T_WARRANTY_CLAIM_SETTLED,
};
/* clang-format on */

int svl__fig_trade_kept(uint32_t type)
{
	for (size_t i = 0; i < sizeof trade_types / sizeof trade_types[0]; i++)
		if (trade_types[i] == type)
			return 1;
	return 0;
}

static void text(char *dst, size_t cap, const svl_value *v)
{
	if (v->present)
		svl__fig_copy(dst, cap, v->s, v->len);
	else
		dst[0] = '\0';
}

static svl__fig_fact *push(svl__fig *f, int g, const svl_record *r,
			   const svl_value *id, int64_t n)
{
	svl__fig_facts *x = &f->g[g];
	svl__fig_fact *a = SVL__FIG_PUSH(x->v, x->n, x->cap);
	if (!a)
		return NULL;
	text(a->id, sizeof a->id, id);
	svl__fig_copy(a->who, sizeof a->who, r->actor, r->actor_len);
	a->type = r->type;
	a->seq = r->seq;
	a->at_ms = r->occurred_at_ms;
	a->n = n;
	a->k = -1;
	return a;
}

/* One fact per line of array `arr` (part number, quantity), its document
 * the event's id, or the line's own field `line_id` when >= 0 (a plan's
 * lines name their jobs; a line without one is not kept). */
static int lines(svl__fig *f, int g, const svl_record *r,
		 const svl_event_view *v, const svl_value *id, uint32_t arr,
		 int part, int qty, int line_id)
{
	svl_event_array it;
	svl_value e[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, v, arr);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, e)) == SVL_OK) {
		const svl_value *doc = line_id >= 0 ? &e[line_id] : id;
		if (!doc->present)
			continue;
		svl__fig_fact *x = push(f, g, r, doc, e[qty].i);
		if (!x)
			return SVL_ENOMEM;
		text(x->a, sizeof x->a, &e[part]);
		x->k = 1;
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

#define V(T, F) (&v->v[SVL_F_##T##_##F])
#define LINES(g, T, A, id, line_id)                                            \
	lines(f, (g), r, v, (id), SVL_F_##T##_##A, SVL_F_##T##_##A##_PART_NO,  \
	      SVL_F_##T##_##A##_QTY_MILLI, (line_id))

int svl__fig_trade_event(svl__fig *f, const svl_record *r,
			 const svl_event_view *v)
{
	int64_t n = 0;
	int g = SVL__FIG_DELAY;
	const svl_value *id = &v->v[0];
	_Static_assert(SVL_F_QUOTE_ISSUED_WO_ID == 0 &&
			   SVL_F_QUOTE_REVISED_WO_ID == 0 &&
			   SVL_F_DELAY_NOTIFIED_WO_ID == 0 &&
			   SVL_F_PARTS_REQUISITIONED_WO_ID == 0 &&
			   SVL_F_COUNTER_SALE_PRICED_PICK_ID == 0 &&
			   SVL_F_COUNTER_SALE_PAID_PICK_ID == 0 &&
			   SVL_F_WARRANTY_CLAIM_FILED_CLAIM_ID == 0 &&
			   SVL_F_CLAIM_PARTS_SHIPPED_CLAIM_ID == 0 &&
			   SVL_F_WARRANTY_CLAIM_SETTLED_CLAIM_ID == 0,
		       "each event leads with its document");
	switch (r->type) {
	case SVL_T_QUOTE_ISSUED:
		n = V(QUOTE_ISSUED, PROMISED_AT_MS)->i;
		break;
	case SVL_T_QUOTE_REVISED:
		n = V(QUOTE_REVISED, PROMISED_AT_MS)->i;
		break;
	case SVL_T_DELAY_NOTIFIED:
		n = V(DELAY_NOTIFIED, NEW_READY_AT_MS)->i;
		break;
	case SVL_T_PARTS_REQUISITIONED:
		return LINES(SVL__FIG_REQ, PARTS_REQUISITIONED, LINES, id, -1);
	case SVL_T_PARTS_PLAN_DRAFTED:
		return LINES(SVL__FIG_REQ, PARTS_PLAN_DRAFTED, LINES, id,
			     SVL_F_PARTS_PLAN_DRAFTED_LINES_WO_ID);
	case SVL_T_COUNTER_SALE_PRICED:
		g = SVL__FIG_SALE;
		n = V(COUNTER_SALE_PRICED, TOTAL_FEN)->i;
		break;
	case SVL_T_COUNTER_SALE_PAID:
		g = SVL__FIG_SALE;
		n = V(COUNTER_SALE_PAID, AMOUNT_FEN)->i;
		break;
	case SVL_T_WARRANTY_CLAIM_FILED:
		g = SVL__FIG_CLAIM;
		n = V(WARRANTY_CLAIM_FILED, AMOUNT_FEN)->i;
		break;
	case SVL_T_CLAIM_PARTS_SHIPPED:
		return LINES(SVL__FIG_CLAIM, CLAIM_PARTS_SHIPPED, LINES, id,
			     -1);
	default: /* SVL_T_WARRANTY_CLAIM_SETTLED */
		g = SVL__FIG_CLAIM;
		n = V(WARRANTY_CLAIM_SETTLED, PAID_FEN)->i;
		break;
	}
	svl__fig_fact *x = push(f, g, r, id, n);
	if (!x)
		return SVL_ENOMEM;
	if (r->type != SVL_T_WARRANTY_CLAIM_FILED)
		return SVL_OK;
	text(x->a, sizeof x->a, V(WARRANTY_CLAIM_FILED, WO_ID));
	return LINES(SVL__FIG_CLAIM, WARRANTY_CLAIM_FILED, LINES, id, -1);
}

#undef V
#undef LINES

/* ---- R-BKG-8: one job's promises and notices ---- */

static int delay_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	int64_t promise = 0;
	for (size_t i = 0; i < n; i++) {
		const svl__fig_fact *x = &v[i];
		svl_figures_row *row;
		if (x->type != SVL_T_DELAY_NOTIFIED) {
			promise = x->n;
			continue;
		}
		int rc = svl__fig_row(f, x->at_ms, &row);
		int64_t was = promise;
		promise = x->n;
		if (rc != SVL_OK)
			return rc;
		if (!row)
			continue;
		row->c.delays_notified++;
		if (!was)
			continue;
		if (x->at_ms <= was) {
			row->c.delays_in_advance++;
			continue;
		}
		row->c.delays_late++;
		svl_figures *o = f->out;
		svl_fig_delay *d = SVL__FIG_PUSH(
		    o->late_delays, o->n_late_delays, f->cap_delays);
		if (!d)
			return SVL_ENOMEM;
		svl__fig_label(f, x->at_ms, d->label);
		svl__fig_copy(d->wo_id, sizeof d->wo_id, x->id, strlen(x->id));
		d->notified_at_ms = x->at_ms;
		d->promised_at_ms = was;
		d->new_ready_at_ms = x->n;
	}
	return SVL_OK;
}

/* ---- R-QUO-3: one job's requisition and plan lines ---- */

static int planned_after(const svl__fig_fact *v, size_t n, size_t i)
{
	for (size_t k = i + 1; k < n; k++)
		if (v[k].type == SVL_T_PARTS_PLAN_DRAFTED &&
		    !strcmp(v[k].a, v[i].a))
			return 1;
	return 0;
}

static int req_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		svl_figures_row *row;
		if (v[i].type != SVL_T_PARTS_REQUISITIONED)
			continue;
		int rc = svl__fig_row(f, v[i].at_ms, &row);
		if (rc != SVL_OK)
			return rc;
		if (!row)
			continue;
		row->c.req_lines++;
		if (planned_after(v, n, i)) {
			row->c.req_lines_planned++;
			continue;
		}
		svl_figures *o = f->out;
		svl_fig_requisition *q = SVL__FIG_PUSH(
		    o->unplanned, o->n_unplanned, f->cap_unplanned);
		if (!q)
			return SVL_ENOMEM;
		svl__fig_label(f, v[i].at_ms, q->label);
		svl__fig_copy(q->wo_id, sizeof q->wo_id, v[i].id,
			      strlen(v[i].id));
		svl__fig_copy(q->part_no, sizeof q->part_no, v[i].a,
			      strlen(v[i].a));
		q->qty_milli = v[i].n;
		q->requisitioned_at_ms = v[i].at_ms;
	}
	return SVL_OK;
}

/* ---- counter sales: one pick's pricing and payments ---- */

static int sale_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	const svl__fig_fact *priced = NULL;
	int64_t paid = 0;
	svl_figures_row *row;
	for (size_t i = 0; i < n; i++) {
		if (v[i].type == SVL_T_COUNTER_SALE_PRICED)
			priced = &v[i]; /* a new price replaces the old */
		else
			paid += v[i].n;
	}
	if (!priced)
		return SVL_OK;
	int rc = svl__fig_row(f, priced->at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	row->c.sales++;
	row->c.sales_due_fen += priced->n;
	row->c.sales_paid_fen += paid;
	if (paid >= priced->n) {
		row->c.sales_paid++;
		return SVL_OK;
	}
	svl_figures *o = f->out;
	svl_fig_sale *s =
	    SVL__FIG_PUSH(o->unpaid_sales, o->n_unpaid_sales, f->cap_sales);
	if (!s)
		return SVL_ENOMEM;
	svl__fig_label(f, priced->at_ms, s->label);
	svl__fig_copy(s->pick_id, sizeof s->pick_id, priced->id,
		      strlen(priced->id));
	s->priced_at_ms = priced->at_ms;
	s->due_fen = priced->n;
	s->paid_fen = paid;
	return SVL_OK;
}

/* ---- warranty claims: one claim's filing, shipments, settlement ---- */

/* Of the claim's part numbers (its filed lines v[i], k 1), how many were
 * shipped short: the shipped lines of a part add up to less than the
 * filed ones. Each part number is counted once, at its first line. */
static void shipped(const svl__fig_fact *v, size_t n, int64_t *parts,
		    int64_t *short_parts)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].type != SVL_T_WARRANTY_CLAIM_FILED || v[i].k != 1)
			continue;
		int first = 1;
		int64_t filed = 0, sent = 0;
		for (size_t k = 0; k < n; k++) {
			if (v[k].k != 1 || strcmp(v[k].a, v[i].a))
				continue;
			if (v[k].type == SVL_T_WARRANTY_CLAIM_FILED) {
				first &= k >= i;
				filed += v[k].n;
			} else {
				sent += v[k].n;
			}
		}
		if (!first)
			continue;
		(*parts)++;
		*short_parts += sent < filed;
	}
}

static int claim_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	const svl__fig_fact *filed = NULL, *settled = NULL;
	svl_figures_row *row;
	for (size_t i = 0; i < n; i++) {
		if (v[i].k == 1)
			continue;
		if (v[i].type == SVL_T_WARRANTY_CLAIM_FILED && !filed)
			filed = &v[i];
		if (v[i].type == SVL_T_WARRANTY_CLAIM_SETTLED && !settled)
			settled = &v[i];
	}
	if (!filed)
		return SVL_OK;
	int rc = svl__fig_row(f, filed->at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	int64_t parts = 0, short_parts = 0;
	shipped(v, n, &parts, &short_parts);
	row->c.claims++;
	row->c.claims_fen += filed->n;
	row->c.claims_settled += settled != NULL;
	row->c.claims_paid_fen += settled ? settled->n : 0;
	if (!short_parts)
		return SVL_OK;
	row->c.claims_unshipped++;
	svl_figures *o = f->out;
	svl_fig_claim *c = SVL__FIG_PUSH(o->unshipped_claims,
					 o->n_unshipped_claims, f->cap_claims);
	if (!c)
		return SVL_ENOMEM;
	svl__fig_label(f, filed->at_ms, c->label);
	svl__fig_copy(c->claim_id, sizeof c->claim_id, filed->id,
		      strlen(filed->id));
	svl__fig_copy(c->wo_id, sizeof c->wo_id, filed->a, strlen(filed->a));
	c->filed_at_ms = filed->at_ms;
	c->claimed_fen = filed->n;
	c->parts = parts;
	c->parts_unshipped = short_parts;
	c->settled_at_ms = settled ? settled->at_ms : 0;
	c->paid_fen = settled ? settled->n : 0;
	return SVL_OK;
}

int svl__fig_trade(svl__fig *f)
{
	int rc = svl__fig_runs(f, SVL__FIG_DELAY, delay_run);
	if (rc == SVL_OK)
		rc = svl__fig_runs(f, SVL__FIG_REQ, req_run);
	if (rc == SVL_OK)
		rc = svl__fig_runs(f, SVL__FIG_SALE, sale_run);
	if (rc == SVL_OK)
		rc = svl__fig_runs(f, SVL__FIG_CLAIM, claim_run);
	return rc;
}
