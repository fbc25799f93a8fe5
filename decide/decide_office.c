/*
 * decide_office.c - the parts office's money: counter sales priced and
 * paid, supplier invoices and finance's payment approvals, the stocktake
 * report to the general manager and finance's book adjustment.
 *
 *   R-ISS-1  a counter sale is priced on its own outbound request: the pick
 *            exists, is a counter sale, and the priced lines are exactly
 *            the pick's lines (part and quantity).
 *   R-SET-1  the outbound slip adds up: total_fen is the sum of the lines'
 *            values (svl_line_value_fen); it is priced once (a new price
 *            is a new pick); the cashier takes payment only on a priced
 *            sale and never more than its total.
 *   R-PUR-1  an invoice is for an existing purchase order, and a PO's
 *            invoices never exceed the value of the goods accepted at
 *            acceptance 2 (at the receipt price when one was taken, else
 *            the ordered price); finance's approvals never exceed what
 *            was invoiced, except in the cash modes (local_cash,
 *            out_of_town_cash), where finance approves payment against
 *            the plan before the goods: there never above the ordered
 *            value.
 *   R-STK-2  the closed count's gains and losses are reported once, by the
 *            service manager, to whoever holds general_manager then;
 *            finance adjusts the book once, after the report, when every
 *            adjustment written up has been approved, by exactly the
 *            reported gains less losses.
 *
 * State: the pick- stream (the request's lines, the price, payments), the
 * po- stream (ordered and accepted values, invoices, approvals), the stk-
 * stream (closing, proposals, report, adjustment) and the decider index
 * (which adjustments were approved). Issues on a counter sale wait for
 * the price (decide_issue.c, R-ISS-2).
 */
#include <stdlib.h>

#include "decide_int.h"

/* Money sums saturate just above SVL_FEN_MAX, the largest amount an event
 * may carry: a sum past it compares as "more" with every amount, and
 * never overflows. */
static void add_fen(int64_t *sum_fen, int64_t fen)
{
	if (fen > SVL_FEN_MAX || *sum_fen > SVL_FEN_MAX - fen)
		*sum_fen = SVL_FEN_MAX + 1;
	else
		*sum_fen += fen;
}

/* sum_fen += the value of a line (model/money.c), saturating likewise. */
static void add_line_value(int64_t *sum_fen, int64_t qty_milli,
			   int64_t unit_fen)
{
	int64_t v;
	if (svl_line_value_fen(qty_milli, unit_fen, &v) != SVL_OK)
		v = SVL_FEN_MAX + 1;
	add_fen(sum_fen, v);
}

/* ---- counter sales: the pick- stream ---- */

#define SALE_LINES 100 /* pick_requested and counter_sale_priced lines */

typedef struct sale_line {
	char part[SVL_EV_ID_MAX + 1];
	int64_t qty_milli;
} sale_line;

typedef struct sale_state {
	int exists, purpose, n;
	sale_line line[SALE_LINES];
	int priced;
	int64_t total_fen, paid_fen;
} sale_state;

static void sale_requested(sale_state *s, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	s->exists = 1;
	s->purpose = (int)v->v[SVL_F_PICK_REQUESTED_PURPOSE].i;
	if (svl_event_array_begin(&it, v, SVL_F_PICK_REQUESTED_LINES) != SVL_OK)
		return;
	while (s->n < SALE_LINES && svl_event_array_next(&it, el) == SVL_OK) {
		svl__vcopy(s->line[s->n].part, sizeof s->line[s->n].part,
			   &el[SVL_F_PICK_REQUESTED_LINES_PART_NO]);
		s->line[s->n++].qty_milli =
		    el[SVL_F_PICK_REQUESTED_LINES_QTY_MILLI].i;
	}
}

static int sale_step(void *st, const svl_record *r, const svl_event_view *v)
{
	sale_state *s = st;
	switch (r->type) {
	case SVL_T_PICK_REQUESTED:
		sale_requested(s, v);
		break;
	case SVL_T_COUNTER_SALE_PRICED:
		s->priced = 1;
		s->total_fen = v->v[SVL_F_COUNTER_SALE_PRICED_TOTAL_FEN].i;
		break;
	case SVL_T_COUNTER_SALE_PAID:
		add_fen(&s->paid_fen,
			v->v[SVL_F_COUNTER_SALE_PAID_AMOUNT_FEN].i);
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int sale_fold(svl__dctx *c, const svl_value *pick, sale_state *s)
{
	memset(s, 0, sizeof *s);
	return svl__fold(c, "pick", pick, 0, sale_step, s);
}

/* R-ISS-1: the priced lines are the pick's lines, each matched once. */
static int check_sale_lines(svl__dctx *c, const svl_value *pick,
			    const sale_state *s, int64_t *value_fen)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	uint8_t used[SALE_LINES] = {0};
	char q[32];
	int rc;
	*value_fen = 0;
	if ((rc = svl_event_array_begin(
		 &it, &c->v, SVL_F_COUNTER_SALE_PRICED_LINES)) != SVL_OK)
		return rc;
	while ((rc = svl_event_array_next(&it, el)) == SVL_OK) {
		const svl_value *part =
		    &el[SVL_F_COUNTER_SALE_PRICED_LINES_PART_NO];
		int64_t qty = el[SVL_F_COUNTER_SALE_PRICED_LINES_QTY_MILLI].i;
		int k = 0;
		while (k < s->n && (used[k] || s->line[k].qty_milli != qty ||
				    !svl__veqs(part, s->line[k].part)))
			k++;
		if (k == s->n)
			return svl__refuse(c, "R-ISS-1",
					   "pick %.*s has no line of %s of "
					   "part %.*s; a counter sale is "
					   "priced on the pick's own lines",
					   SVL__V(*pick),
					   svl__fmt_qty(q, sizeof q, qty),
					   SVL__V(*part));
		used[k] = 1;
		add_line_value(
		    value_fen, qty,
		    el[SVL_F_COUNTER_SALE_PRICED_LINES_UNIT_PRICE_FEN].i);
	}
	if (rc != SVL_ITEROVER)
		return rc;
	for (int k = 0; k < s->n; k++)
		if (!used[k])
			return svl__refuse(
			    c, "R-ISS-1",
			    "the line of %s of part %s of pick %.*s is not "
			    "priced; every line of the pick is",
			    svl__fmt_qty(q, sizeof q, s->line[k].qty_milli),
			    s->line[k].part, SVL__V(*pick));
	return SVL_OK;
}

static int decide_priced(svl__dctx *c)
{
	const svl_value *pick = SVL__F(c, SVL_F_COUNTER_SALE_PRICED_PICK_ID);
	int64_t total = SVL__F(c, SVL_F_COUNTER_SALE_PRICED_TOTAL_FEN)->i;
	int64_t value;
	sale_state s;
	int rc = sale_fold(c, pick, &s);
	if (rc != SVL_OK)
		return rc;
	if (!s.exists)
		return svl__refuse(c, "R-ISS-1",
				   "there is no outbound request %.*s to price",
				   SVL__V(*pick));
	if (s.purpose != SVL_PICK_PURPOSE_COUNTER_SALE)
		return svl__refuse(c, "R-ISS-1",
				   "pick %.*s is not a counter sale; only a "
				   "counter sale is priced at the counter",
				   SVL__V(*pick));
	if (s.priced)
		return svl__refuse(c, "R-SET-1",
				   "pick %.*s is already priced at %lld fen; "
				   "the cashier collects on that slip, a new "
				   "price is a new pick",
				   SVL__V(*pick), (long long)s.total_fen);
	if ((rc = check_sale_lines(c, pick, &s, &value)) != SVL_OK)
		return rc;
	if (value > SVL_FEN_MAX)
		return svl__refuse(c, "R-SET-1",
				   "the lines of pick %.*s are worth more than "
				   "%lld fen, the most a slip can say",
				   SVL__V(*pick), (long long)SVL_FEN_MAX);
	if (total != value)
		return svl__refuse(c, "R-SET-1",
				   "the lines of pick %.*s are worth %lld fen, "
				   "not %lld; the slip adds up",
				   SVL__V(*pick), (long long)value,
				   (long long)total);
	return SVL_OK;
}

static int decide_sale_paid(svl__dctx *c)
{
	const svl_value *pick = SVL__F(c, SVL_F_COUNTER_SALE_PAID_PICK_ID);
	int64_t amount = SVL__F(c, SVL_F_COUNTER_SALE_PAID_AMOUNT_FEN)->i;
	sale_state s;
	int rc = sale_fold(c, pick, &s);
	if (rc != SVL_OK)
		return rc;
	if (!s.priced)
		return svl__refuse(c, "R-SET-1",
				   "counter sale %.*s is not priced by the "
				   "parts manager; the cashier collects on the "
				   "priced slip",
				   SVL__V(*pick));
	if (s.paid_fen + amount > s.total_fen)
		return svl__refuse(c, "R-SET-1",
				   "counter sale %.*s owes %lld fen; %lld fen "
				   "is more than that",
				   SVL__V(*pick),
				   (long long)(s.total_fen - s.paid_fen),
				   (long long)amount);
	return SVL_OK;
}

/* ---- supplier invoices and payment approvals: the po- stream ---- */

typedef struct po_price {
	char part[SVL_EV_ID_MAX + 1];
	int64_t unit_price_fen;
} po_price;

typedef struct po_money {
	int ordered, mode;
	int64_t ordered_fen;  /* the order's lines at the ordered prices */
	int64_t accepted_fen; /* accepted at acceptance 2 (R-RCV-2 prices) */
	int64_t invoiced_fen, approved_fen;
	int n;
	po_price *price; /* [SVL_EV_ITEMS_MAX]: the ordered prices */
} po_money;

static void po_ordered_lines(po_money *p, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	p->ordered = 1;
	p->mode = (int)v->v[SVL_F_PURCHASE_ORDERED_MODE].i;
	if (svl_event_array_begin(&it, v, SVL_F_PURCHASE_ORDERED_LINES) !=
	    SVL_OK)
		return;
	while (svl_event_array_next(&it, el) == SVL_OK) {
		int64_t unit =
		    el[SVL_F_PURCHASE_ORDERED_LINES_UNIT_PRICE_FEN].i;
		add_line_value(&p->ordered_fen,
			       el[SVL_F_PURCHASE_ORDERED_LINES_QTY_MILLI].i,
			       unit);
		if (p->n == SVL_EV_ITEMS_MAX)
			continue;
		svl__vcopy(p->price[p->n].part, sizeof p->price[p->n].part,
			   &el[SVL_F_PURCHASE_ORDERED_LINES_PART_NO]);
		p->price[p->n++].unit_price_fen = unit;
	}
}

static int64_t po_ordered_price(const po_money *p, const svl_value *part)
{
	for (int k = 0; k < p->n; k++)
		if (svl__veqs(part, p->price[k].part))
			return p->price[k].unit_price_fen;
	return 0; /* not on the order: R-RCV-1 accepts none of it */
}

static void po_accepted_lines(po_money *p, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	if (v->v[SVL_F_GOODS_ACCEPTED_STAGE].i != 2 ||
	    svl_event_array_begin(&it, v, SVL_F_GOODS_ACCEPTED_LINES) != SVL_OK)
		return;
	while (svl_event_array_next(&it, el) == SVL_OK) {
		const svl_value *unit =
		    &el[SVL_F_GOODS_ACCEPTED_LINES_UNIT_PRICE_FEN];
		add_line_value(
		    &p->accepted_fen,
		    el[SVL_F_GOODS_ACCEPTED_LINES_ACCEPTED_QTY_MILLI].i,
		    unit->present
			? unit->i
			: po_ordered_price(
			      p, &el[SVL_F_GOODS_ACCEPTED_LINES_PART_NO]));
	}
}

static int po_step(void *st, const svl_record *r, const svl_event_view *v)
{
	po_money *p = st;
	switch (r->type) {
	case SVL_T_PURCHASE_ORDERED:
		po_ordered_lines(p, v);
		break;
	case SVL_T_GOODS_ACCEPTED:
		po_accepted_lines(p, v);
		break;
	case SVL_T_SUPPLIER_INVOICED:
		add_fen(&p->invoiced_fen,
			v->v[SVL_F_SUPPLIER_INVOICED_AMOUNT_FEN].i);
		break;
	case SVL_T_PURCHASE_PAYMENT_APPROVED:
		add_fen(&p->approved_fen,
			v->v[SVL_F_PURCHASE_PAYMENT_APPROVED_AMOUNT_FEN].i);
		break;
	default:
		break;
	}
	return SVL_OK;
}

/* Fold the PO's money; p->price is allocated here and freed by the
 * caller (po_done), also on error. */
static int po_fold(svl__dctx *c, const svl_value *po, po_money *p)
{
	memset(p, 0, sizeof *p);
	p->price = calloc(SVL_EV_ITEMS_MAX, sizeof *p->price);
	if (!p->price)
		return SVL_ENOMEM;
	return svl__fold(c, "po", po, 0, po_step, p);
}

static void po_done(po_money *p)
{
	free(p->price);
	p->price = NULL;
}

static int refuse_no_order(svl__dctx *c, const svl_value *po)
{
	return svl__refuse(c, "R-PUR-1",
			   "there is no purchase order %.*s; invoices and "
			   "payments are for an order",
			   SVL__V(*po));
}

static int decide_invoiced(svl__dctx *c)
{
	const svl_value *po = SVL__F(c, SVL_F_SUPPLIER_INVOICED_PO_ID);
	int64_t amount = SVL__F(c, SVL_F_SUPPLIER_INVOICED_AMOUNT_FEN)->i;
	po_money p;
	int rc = po_fold(c, po, &p);
	if (rc != SVL_OK)
		goto out_free;
	if (!p.ordered) {
		rc = refuse_no_order(c, po);
		goto out_free;
	}
	if (p.invoiced_fen + amount > p.accepted_fen)
		rc = svl__refuse(c, "R-PUR-1",
				 "order %.*s has %lld fen of goods accepted "
				 "(acceptance 2) and %lld fen invoiced; an "
				 "invoice of %lld fen is more than was "
				 "received",
				 SVL__V(*po), (long long)p.accepted_fen,
				 (long long)p.invoiced_fen, (long long)amount);
out_free:
	po_done(&p);
	return rc;
}

/* The cash modes: finance approves payment against the plan, before
 * the goods (配件采购 2, 5). */
static int paid_on_plan(int mode)
{
	return mode == SVL_PURCHASE_MODE_LOCAL_CASH ||
	       mode == SVL_PURCHASE_MODE_OUT_OF_TOWN_CASH;
}

static int decide_payment_approved(svl__dctx *c)
{
	const svl_value *po = SVL__F(c, SVL_F_PURCHASE_PAYMENT_APPROVED_PO_ID);
	int64_t amount =
	    SVL__F(c, SVL_F_PURCHASE_PAYMENT_APPROVED_AMOUNT_FEN)->i;
	po_money p;
	int rc = po_fold(c, po, &p);
	if (rc != SVL_OK)
		goto out_free;
	if (!p.ordered) {
		rc = refuse_no_order(c, po);
		goto out_free;
	}
	int on_plan = paid_on_plan(p.mode);
	int64_t cap = on_plan ? p.ordered_fen : p.invoiced_fen;
	if (p.approved_fen + amount > cap)
		rc = svl__refuse(c, "R-PUR-1",
				 "order %.*s is %s %lld fen and %lld fen is "
				 "approved; %lld fen more is above that",
				 SVL__V(*po),
				 on_plan ? "a cash purchase paid on its plan: "
					   "ordered"
					 : "invoiced",
				 (long long)cap, (long long)p.approved_fen,
				 (long long)amount);
out_free:
	po_done(&p);
	return rc;
}

/* ---- the stocktake report and the book: the stk- stream ---- */

#define STK_PROPOSALS 32 /* proposals checked per fold */

typedef struct stk_prop {
	int64_t adj_no;
	char part[SVL_EV_ID_MAX + 1], bin[SVL_EV_ID_MAX + 1];
} stk_prop;

typedef struct stk_report {
	int closed, reported, adjusted;
	int64_t gain_fen, loss_fen;
	/* the proposals from number `skip` on (in stream order), at most
	 * STK_PROPOSALS of them; seen counts all */
	int skip, seen, n;
	stk_prop prop[STK_PROPOSALS];
} stk_report;

static void stk_proposal(stk_report *s, const svl_value *x)
{
	int k = s->seen++ - s->skip;
	if (k < 0 || k >= STK_PROPOSALS)
		return;
	s->prop[k].adj_no = x[SVL_F_ADJUSTMENT_PROPOSED_ADJ_NO].i;
	svl__vcopy(s->prop[k].part, sizeof s->prop[k].part,
		   &x[SVL_F_ADJUSTMENT_PROPOSED_PART_NO]);
	svl__vcopy(s->prop[k].bin, sizeof s->prop[k].bin,
		   &x[SVL_F_ADJUSTMENT_PROPOSED_BIN]);
	s->n = k + 1;
}

static int stk_step(void *st, const svl_record *r, const svl_event_view *v)
{
	stk_report *s = st;
	const svl_value *x = v->v;
	switch (r->type) {
	case SVL_T_STOCKTAKE_CLOSED:
		s->closed = 1;
		break;
	case SVL_T_STOCKTAKE_REPORTED:
		s->reported = 1;
		s->gain_fen = x[SVL_F_STOCKTAKE_REPORTED_GAIN_FEN].i;
		s->loss_fen = x[SVL_F_STOCKTAKE_REPORTED_LOSS_FEN].i;
		break;
	case SVL_T_BOOK_ADJUSTED:
		s->adjusted = 1;
		break;
	case SVL_T_ADJUSTMENT_PROPOSED:
		stk_proposal(s, x);
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int stk_fold(svl__dctx *c, const svl_value *stk, int skip, stk_report *s)
{
	memset(s, 0, sizeof *s);
	s->skip = skip;
	return svl__fold(c, "stk", stk, 0, stk_step, s);
}

static int decide_reported(svl__dctx *c)
{
	const svl_value *stk = SVL__F(c, SVL_F_STOCKTAKE_REPORTED_STK_ID);
	const svl_value *gm =
	    SVL__F(c, SVL_F_STOCKTAKE_REPORTED_REPORTED_TO_ID);
	int64_t at_ms = c->ev->occurred_at_ms;
	char t[24];
	int held;
	stk_report s;
	int rc = stk_fold(c, stk, 0, &s);
	if (rc != SVL_OK)
		return rc;
	if (!s.closed)
		return svl__refuse(c, "R-STK-2",
				   "stocktake %.*s is not closed; its gains "
				   "and losses are reported when the count "
				   "ends",
				   SVL__V(*stk));
	if (s.reported)
		return svl__refuse(c, "R-STK-2",
				   "stocktake %.*s is already reported",
				   SVL__V(*stk));
	rc = svl__role_held(c, gm->s, gm->len, SVL_ROLE_GENERAL_MANAGER, at_ms,
			    &held, NULL, NULL);
	if (rc != SVL_OK || held)
		return rc;
	return svl__refuse(
	    c, "R-STK-2",
	    "%.*s is not the general manager at %s; the "
	    "report of stocktake %.*s goes to the general "
	    "manager",
	    SVL__V(*gm),
	    svl__fmt_time(t, sizeof t, at_ms, c->rules->tz_offset_min),
	    SVL__V(*stk));
}

/* R-STK-2: every proposal of the stocktake is approved; walks the
 * proposals STK_PROPOSALS at a time. */
static int check_all_approved(svl__dctx *c, const svl_value *stk,
			      const stk_report *first)
{
	stk_report more;
	const stk_report *s = first;
	for (int skip = 0;;) {
		for (int k = 0; k < s->n; k++) {
			svl__stock st;
			svl_value part = {0, s->prop[k].part,
					  (uint32_t)strlen(s->prop[k].part), 1};
			svl_value bin = {0, s->prop[k].bin,
					 (uint32_t)strlen(s->prop[k].bin), 1};
			svl__stock_q q = {.bin = &bin,
					  .stk_id = stk,
					  .adj_no = s->prop[k].adj_no};
			int rc = svl__stock_fold(c, &part, &q, &st);
			if (rc != SVL_OK)
				return rc;
			if (!st.adj_approved)
				return svl__refuse(
				    c, "R-STK-2",
				    "adjustment %lld of stocktake %.*s is "
				    "not approved by the service manager; "
				    "the book is adjusted after every "
				    "write-up is approved",
				    (long long)s->prop[k].adj_no, SVL__V(*stk));
		}
		skip += s->n;
		if (skip >= s->seen)
			return SVL_OK;
		int rc = stk_fold(c, stk, skip, &more);
		if (rc != SVL_OK)
			return rc;
		s = &more;
	}
}

static int decide_book_adjusted(svl__dctx *c)
{
	const svl_value *stk = SVL__F(c, SVL_F_BOOK_ADJUSTED_STK_ID);
	int64_t net = SVL__F(c, SVL_F_BOOK_ADJUSTED_NET_FEN)->i;
	stk_report s;
	int rc = stk_fold(c, stk, 0, &s);
	if (rc != SVL_OK)
		return rc;
	if (!s.reported)
		return svl__refuse(c, "R-STK-2",
				   "stocktake %.*s is not reported to the "
				   "general manager; finance adjusts the book "
				   "after the report",
				   SVL__V(*stk));
	if (s.adjusted)
		return svl__refuse(c, "R-STK-2",
				   "the book is already adjusted for "
				   "stocktake %.*s",
				   SVL__V(*stk));
	if ((rc = check_all_approved(c, stk, &s)) != SVL_OK)
		return rc;
	if (net != s.gain_fen - s.loss_fen)
		return svl__refuse(
		    c, "R-STK-2",
		    "stocktake %.*s was reported with %lld fen "
		    "gained and %lld fen lost: the book moves "
		    "by %lld fen, not %lld",
		    SVL__V(*stk), (long long)s.gain_fen, (long long)s.loss_fen,
		    (long long)(s.gain_fen - s.loss_fen), (long long)net);
	return SVL_OK;
}

int svl__decide_office(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_COUNTER_SALE_PRICED:
		return decide_priced(c);
	case SVL_T_COUNTER_SALE_PAID:
		return decide_sale_paid(c);
	case SVL_T_SUPPLIER_INVOICED:
		return decide_invoiced(c);
	case SVL_T_PURCHASE_PAYMENT_APPROVED:
		return decide_payment_approved(c);
	case SVL_T_STOCKTAKE_REPORTED:
		return decide_reported(c);
	case SVL_T_BOOK_ADJUSTED:
		return decide_book_adjusted(c);
	default:
		return SVL_OK;
	}
}
