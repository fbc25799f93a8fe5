/*
 * decide_stock.c - stocktakes and the adjustments they lead to.
 *
 *   R-STK-1  a count happens inside an open stocktake; the quarterly full
 *            count has finance present, and finance present is a named
 *            person holding the finance role when the count opens; a
 *            charge that cites a stocktake cites one that was opened.
 *   R-STK-2  counts are not falsified: a gain or loss is written up with
 *            the count it comes from, and its size is exactly counted minus
 *            book (the book as it stood when the stocktake opened); the
 *            service manager approves it, never the person who proposed it
 *            nor the person it names responsible, and only once, as
 *            proposed; a stocktake loss charged to a person names its
 *            stocktake.
 *
 * State: the stk- stream (opening seq, counted lines, proposals) and the
 * part stream folded up to the opening (the frozen book).
 */
#include "decide_int.h"

typedef struct stk_state {
	/* asked about */
	const svl_value *part, *bin;
	int64_t adj_no;
	/* found */
	int opened, closed, kind;
	uint64_t opened_seq;
	int counted;
	int64_t counted_milli; /* the latest count of part at bin */
	int adj_found;
	char adj_part[SVL_EV_ID_MAX + 1], adj_bin[SVL_EV_ID_MAX + 1];
	int64_t adj_delta_milli;
	char adj_by[SVL_ACTOR_MAX + 1], adj_resp[SVL_EV_ID_MAX + 1];
} stk_state;

static void stk_proposal(stk_state *s, const svl_record *r, const svl_value *x)
{
	if (x[SVL_F_ADJUSTMENT_PROPOSED_ADJ_NO].i != s->adj_no)
		return;
	svl_value by = {0, r->actor, (uint32_t)r->actor_len, 1};
	s->adj_found = 1;
	svl__vcopy(s->adj_part, sizeof s->adj_part,
		   &x[SVL_F_ADJUSTMENT_PROPOSED_PART_NO]);
	svl__vcopy(s->adj_bin, sizeof s->adj_bin,
		   &x[SVL_F_ADJUSTMENT_PROPOSED_BIN]);
	s->adj_delta_milli = x[SVL_F_ADJUSTMENT_PROPOSED_DELTA_QTY_MILLI].i;
	svl__vcopy(s->adj_by, sizeof s->adj_by, &by);
	svl__vcopy(s->adj_resp, sizeof s->adj_resp,
		   &x[SVL_F_ADJUSTMENT_PROPOSED_RESPONSIBLE_ID]);
}

static int stk_step(void *st, const svl_record *r, const svl_event_view *v)
{
	stk_state *s = st;
	const svl_value *x = v->v;
	switch (r->type) {
	case SVL_T_STOCKTAKE_OPENED:
		s->opened = 1;
		s->opened_seq = r->seq;
		s->kind = (int)x[SVL_F_STOCKTAKE_OPENED_KIND].i;
		break;
	case SVL_T_STOCKTAKE_CLOSED:
		s->closed = 1;
		break;
	case SVL_T_STOCKTAKE_LINE_COUNTED:
		if (s->part &&
		    svl__veq(&x[SVL_F_STOCKTAKE_LINE_COUNTED_PART_NO],
			     s->part) &&
		    svl__veq(&x[SVL_F_STOCKTAKE_LINE_COUNTED_BIN], s->bin)) {
			s->counted = 1;
			s->counted_milli =
			    x[SVL_F_STOCKTAKE_LINE_COUNTED_COUNTED_QTY_MILLI].i;
		}
		break;
	case SVL_T_ADJUSTMENT_PROPOSED:
		stk_proposal(s, r, x);
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int stk_fold(svl__dctx *c, const svl_value *stk, stk_state *s)
{
	return svl__fold(c, "stk", stk, 0, stk_step, s);
}

static int refuse_not_open(svl__dctx *c, const svl_value *stk,
			   const stk_state *s)
{
	return svl__refuse(c, "R-STK-1", "stocktake %.*s is %s", SVL__V(*stk),
			   s->closed ? "closed" : "not open");
}

/* R-STK-1: finance at a count is a person, named, who holds the finance
 * role when the count opens; the quarterly full count has them. */
static int check_finance(svl__dctx *c, const svl_value *stk)
{
	const svl_value *here =
	    SVL__F(c, SVL_F_STOCKTAKE_OPENED_FINANCE_PRESENT);
	const svl_value *who =
	    SVL__F(c, SVL_F_STOCKTAKE_OPENED_FINANCE_STAFF_ID);
	const svl_event_in *ev = c->ev;
	char at[24];
	int held;
	if (SVL__F(c, SVL_F_STOCKTAKE_OPENED_KIND)->i ==
		SVL_STK_KIND_QUARTERLY_FULL &&
	    !here->i)
		return svl__refuse(c, "R-STK-1",
				   "the quarterly full count is made with "
				   "finance present: name who from finance "
				   "attends (finance_staff_id)");
	if (!here->i && !who->present)
		return SVL_OK;
	if (!here->i || !who->present)
		return svl__refuse(c, "R-STK-1",
				   "stocktake %.*s %s; finance attending "
				   "is a named member of the finance staff "
				   "(finance_present, finance_staff_id)",
				   SVL__V(*stk),
				   here->i ? "says finance is present but "
					     "names nobody"
					   : "names finance staff but says "
					     "finance is not present");
	int rc = svl__role_held(c, who->s, who->len, SVL_ROLE_FINANCE,
				ev->occurred_at_ms, &held, NULL, NULL);
	if (rc != SVL_OK || held)
		return rc;
	return svl__refuse(c, "R-STK-1",
			   "%.*s does not hold the finance role at %s; the "
			   "finance present at stocktake %.*s is one of the "
			   "finance staff",
			   SVL__V(*who),
			   svl__fmt_time(at, sizeof at, ev->occurred_at_ms,
					 c->rules->tz_offset_min),
			   SVL__V(*stk));
}

static int decide_opened(svl__dctx *c)
{
	const svl_value *stk = SVL__F(c, SVL_F_STOCKTAKE_OPENED_STK_ID);
	stk_state s = {0};
	int rc = stk_fold(c, stk, &s);
	if (rc != SVL_OK)
		return rc;
	if (s.opened)
		return svl__refuse(c, "R-STK-1",
				   "stocktake %.*s was already "
				   "opened",
				   SVL__V(*stk));
	return check_finance(c, stk);
}

static int decide_counting(svl__dctx *c)
{
	const svl_value *stk = &c->v.v[0]; /* stk_id is field 0 */
	stk_state s = {0};
	int rc = stk_fold(c, stk, &s);
	if (rc == SVL_OK && (!s.opened || s.closed))
		return refuse_not_open(c, stk, &s);
	return rc;
}

/* R-STK-2: the write-up matches the count against the frozen book. */
static int decide_proposed(svl__dctx *c)
{
	const svl_value *x = c->v.v;
	const svl_value *stk = &x[SVL_F_ADJUSTMENT_PROPOSED_STK_ID];
	const svl_value *part = &x[SVL_F_ADJUSTMENT_PROPOSED_PART_NO];
	const svl_value *bin = &x[SVL_F_ADJUSTMENT_PROPOSED_BIN];
	int64_t delta = x[SVL_F_ADJUSTMENT_PROPOSED_DELTA_QTY_MILLI].i;
	stk_state s = {.part = part,
		       .bin = bin,
		       .adj_no = x[SVL_F_ADJUSTMENT_PROPOSED_ADJ_NO].i};
	char a[32], b[32], d[32], e[32];
	int rc = stk_fold(c, stk, &s);
	if (rc != SVL_OK)
		return rc;
	if (!s.opened)
		return refuse_not_open(c, stk, &s);
	if (s.adj_found)
		return svl__refuse(c, "R-STK-2",
				   "adjustment %lld of stocktake "
				   "%.*s is already written up",
				   (long long)s.adj_no, SVL__V(*stk));
	if (!s.counted)
		return svl__refuse(c, "R-STK-2",
				   "part %.*s at %.*s was not "
				   "counted in stocktake %.*s; a gain or loss "
				   "comes from a count",
				   SVL__V(*part), SVL__V(*bin), SVL__V(*stk));
	svl__stock st;
	svl__stock_q q = {.bin = bin, .upto_seq = s.opened_seq};
	if ((rc = svl__stock_fold(c, part, &q, &st)) != SVL_OK)
		return rc;
	int64_t want = s.counted_milli - st.sellable_milli;
	if (want == 0)
		return svl__refuse(
		    c, "R-STK-2",
		    "the count of %.*s at %.*s "
		    "agrees with the book (%s); there is nothing "
		    "to write up",
		    SVL__V(*part), SVL__V(*bin),
		    svl__fmt_qty(a, sizeof a, s.counted_milli));
	if (delta != want)
		return svl__refuse(
		    c, "R-STK-2",
		    "the count found %s of %.*s "
		    "at %.*s and the book said %s when the count "
		    "opened, so the difference is %s, not %s; "
		    "counts are not falsified",
		    svl__fmt_qty(a, sizeof a, s.counted_milli), SVL__V(*part),
		    SVL__V(*bin), svl__fmt_qty(b, sizeof b, st.sellable_milli),
		    svl__fmt_qty(d, sizeof d, want),
		    svl__fmt_qty(e, sizeof e, delta));
	return SVL_OK;
}

/* R-STK-2: approved by someone else than the proposer and the
 * responsible person, as proposed, once. */
static int decide_approved(svl__dctx *c)
{
	const svl_value *x = c->v.v;
	const svl_value *stk = &x[SVL_F_ADJUSTMENT_APPROVED_STK_ID];
	const svl_event_in *ev = c->ev;
	char q1[32];
	stk_state s = {.adj_no = x[SVL_F_ADJUSTMENT_APPROVED_ADJ_NO].i};
	int rc = stk_fold(c, stk, &s);
	if (rc != SVL_OK)
		return rc;
	if (!s.adj_found)
		return svl__refuse(c, "R-STK-2",
				   "stocktake %.*s has no "
				   "adjustment %lld written up",
				   SVL__V(*stk), (long long)s.adj_no);
	svl_value actor = {0, ev->actor, (uint32_t)ev->actor_len, 1};
	if (svl__veqs(&actor, s.adj_by) || svl__veqs(&actor, s.adj_resp))
		return svl__refuse(c, "R-STK-2",
				   "%.*s %s adjustment %lld of "
				   "stocktake %.*s and cannot approve it",
				   SVL__V(actor),
				   svl__veqs(&actor, s.adj_by)
				       ? "proposed"
				       : "is named responsible for",
				   (long long)s.adj_no, SVL__V(*stk));
	if (!svl__veqs(&x[SVL_F_ADJUSTMENT_APPROVED_PART_NO], s.adj_part) ||
	    !svl__veqs(&x[SVL_F_ADJUSTMENT_APPROVED_BIN], s.adj_bin) ||
	    x[SVL_F_ADJUSTMENT_APPROVED_DELTA_QTY_MILLI].i != s.adj_delta_milli)
		return svl__refuse(
		    c, "R-STK-2",
		    "adjustment %lld of stocktake "
		    "%.*s was proposed as %s of %s at %s; it is "
		    "approved as proposed",
		    (long long)s.adj_no, SVL__V(*stk),
		    svl__fmt_qty(q1, sizeof q1, s.adj_delta_milli), s.adj_part,
		    s.adj_bin);
	svl__stock st;
	svl__stock_q q = {.bin = &x[SVL_F_ADJUSTMENT_APPROVED_BIN],
			  .stk_id = stk,
			  .adj_no = s.adj_no};
	if ((rc = svl__stock_fold(c, &x[SVL_F_ADJUSTMENT_APPROVED_PART_NO], &q,
				  &st)) != SVL_OK)
		return rc;
	if (st.adj_approved)
		return svl__refuse(c, "R-STK-2",
				   "adjustment %lld of stocktake "
				   "%.*s is already approved",
				   (long long)s.adj_no, SVL__V(*stk));
	return SVL_OK;
}

/* A charge that cites a stocktake cites one that was opened (R-STK-1);
 * a stocktake loss cites its stocktake (R-STK-2). */
static int decide_charged(svl__dctx *c)
{
	const svl_value *stk = SVL__F(c, SVL_F_LIABILITY_CHARGED_STK_ID);
	stk_state s = {0};
	if (!stk->present)
		return SVL__F(c, SVL_F_LIABILITY_CHARGED_CAUSE)->i ==
			       SVL_LIABILITY_CAUSE_STOCKTAKE_LOSS
			   ? svl__refuse(c, "R-STK-2",
					 "a stocktake loss is charged "
					 "against the count that found it: "
					 "name the stocktake (stk_id)")
			   : SVL_OK;
	int rc = stk_fold(c, stk, &s);
	if (rc == SVL_OK && !s.opened)
		return svl__refuse(c, "R-STK-1",
				   "there is no stocktake %.*s; a loss is "
				   "charged against a count that was made",
				   SVL__V(*stk));
	return rc;
}

int svl__decide_stock(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_STOCKTAKE_OPENED:
		return decide_opened(c);
	case SVL_T_STOCKTAKE_LINE_COUNTED:
	case SVL_T_STOCKTAKE_CLOSED:
		return decide_counting(c);
	case SVL_T_ADJUSTMENT_PROPOSED:
		return decide_proposed(c);
	case SVL_T_ADJUSTMENT_APPROVED:
		return decide_approved(c);
	case SVL_T_LIABILITY_CHARGED:
		return decide_charged(c);
	default:
		return SVL_OK;
	}
}

_Static_assert(SVL_F_STOCKTAKE_LINE_COUNTED_STK_ID == 0 &&
		   SVL_F_STOCKTAKE_CLOSED_STK_ID == 0,
	       "decide_counting reads stk_id as field 0");
