/*
 * decide_receiving.c - from a parts plan to goods on the shelf.
 *
 *   R-PLN-1  a plan is drafted, reviewed by the parts manager, then
 *            approved by the service manager, in that order; a purchase
 *            made for a plan needs the plan approved.
 *   R-PUR-1  a purchase order is made once; cash and out-of-town
 *            purchases are made against an approved plan (the seed's
 *            purchasing steps 2, 5 and 6 work from the plan sheet); local
 *            credit (the supplier delivers) and self pick-up may go
 *            without one (steps 3 and 4 name none).
 *   R-RCV-1  acceptances go in stages: 1 the purchaser against the delivery
 *            note, 2 the keeper with the parts manager (count and quality),
 *            3 at shelving; a stage follows the one before it. Stage 2 is
 *            signed by both: the one who records it and a co-signer, a
 *            different person holding the other role (waivable:
 *            RCV_ONE_SIGNER).
 *   R-RCV-2  stock is received at the quantity accepted: what is shelved
 *            from an order never exceeds what its last acceptance let
 *            through, and nothing is shelved before the count (stage 2).
 *   R-RCV-3  rejected goods never enter stock and no goods vanish: what
 *            stage 2 or 3 accepts plus what it rejects is what the stage
 *            before let through, and any shortfall is on a discrepancy
 *            slip as missing; a rejection names its reason; a claim is
 *            settled once, for at most what was claimed.
 *
 * State: the po- stream (ordered lines, acceptances per stage, discrepancy
 * slips) and the part stream (shelved from this order). Shelving without a
 * purchase order (opening balances) is allowed and documented.
 */
#include "decide_int.h"

/* ---- parts plans (R-PLN-1) ---- */

typedef struct plan_state {
	int drafted, reviewed_ok, approved;
} plan_state;

static int plan_step(void *st, const svl_record *r, const svl_event_view *v)
{
	plan_state *p = st;
	if (r->type == SVL_T_PARTS_PLAN_DRAFTED)
		p->drafted = 1;
	else if (r->type == SVL_T_PARTS_PLAN_REVIEWED)
		p->reviewed_ok = (int)v->v[SVL_F_PARTS_PLAN_REVIEWED_PASSED].i;
	else if (r->type == SVL_T_PARTS_PLAN_APPROVED)
		p->approved = 1;
	return SVL_OK;
}

static int decide_plan(svl__dctx *c, const svl_value *plan)
{
	plan_state p = {0};
	int rc = svl__fold(c, "plan", plan, 0, plan_step, &p);
	if (rc != SVL_OK)
		return rc;
	switch (c->ev->type) {
	case SVL_T_PARTS_PLAN_DRAFTED:
		if (p.drafted)
			return svl__refuse(c, "R-PLN-1",
					   "plan %.*s was already "
					   "drafted",
					   SVL__V(*plan));
		return SVL_OK;
	case SVL_T_PARTS_PLAN_REVIEWED:
		if (!p.drafted || p.approved)
			return svl__refuse(c, "R-PLN-1",
					   "plan %.*s is %s; only "
					   "a drafted plan is reviewed",
					   SVL__V(*plan),
					   p.approved ? "already approved"
						      : "not drafted");
		return SVL_OK;
	case SVL_T_PARTS_PLAN_APPROVED:
		if (p.approved || !p.reviewed_ok)
			return svl__refuse(
			    c, "R-PLN-1", "plan %.*s %s", SVL__V(*plan),
			    p.approved ? "is already approved"
				       : "must first pass the parts "
					 "manager's review");
		return SVL_OK;
	default: /* purchase_ordered */
		if (!p.approved)
			return svl__refuse(c, "R-PLN-1",
					   "plan %.*s is not "
					   "approved by the service manager; "
					   "nothing is bought for it yet",
					   SVL__V(*plan));
		return SVL_OK;
	}
}

/* ---- the purchase order stream ---- */

typedef struct po_state {
	const svl_value *part; /* the part asked about, or NULL */
	const svl_value *slip; /* the slip asked about, or NULL */
	int ordered;	       /* a purchase_ordered exists */
	int on_order;	       /* the part is on it */
	int64_t ordered_milli;
	int64_t accepted_milli[4];	/* per stage 1..3 */
	int64_t rejected_milli[4];	/* per stage 1..3 */
	int64_t rejected_missing_milli; /* rejected as missing, all stages */
	int64_t slipped_missing_milli;	/* missing on the order's slips */
	int stage_seen[4];
	int slip_found, slip_settled;
	int64_t slip_fen; /* amount claimed on the slip */
} po_state;

static void po_ordered(po_state *p, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	if (!p->part ||
	    svl_event_array_begin(&it, v, SVL_F_PURCHASE_ORDERED_LINES))
		return;
	while (svl_event_array_next(&it, el) == SVL_OK)
		if (svl__veq(&el[SVL_F_PURCHASE_ORDERED_LINES_PART_NO],
			     p->part)) {
			p->on_order = 1;
			p->ordered_milli +=
			    el[SVL_F_PURCHASE_ORDERED_LINES_QTY_MILLI].i;
		}
}

/* One line of an acceptance into its stage's totals (recorded ones from
 * the fold, the proposed one by accept_line). */
static void po_count(po_state *p, int stage, const svl_value *el)
{
	int64_t rej = el[SVL_F_GOODS_ACCEPTED_LINES_REJECTED_QTY_MILLI].i;
	p->stage_seen[stage] = 1;
	p->accepted_milli[stage] +=
	    el[SVL_F_GOODS_ACCEPTED_LINES_ACCEPTED_QTY_MILLI].i;
	p->rejected_milli[stage] += rej;
	if (el[SVL_F_GOODS_ACCEPTED_LINES_REJECT_REASON].present &&
	    el[SVL_F_GOODS_ACCEPTED_LINES_REJECT_REASON].i ==
		SVL_REJECT_REASON_MISSING)
		p->rejected_missing_milli += rej;
}

static void po_accepted(po_state *p, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int stage = (int)v->v[SVL_F_GOODS_ACCEPTED_STAGE].i;
	if (!p->part || stage < 1 || stage > 3 ||
	    svl_event_array_begin(&it, v, SVL_F_GOODS_ACCEPTED_LINES))
		return;
	while (svl_event_array_next(&it, el) == SVL_OK)
		if (svl__veq(&el[SVL_F_GOODS_ACCEPTED_LINES_PART_NO], p->part))
			po_count(p, stage, el);
}

/* A slip: its amount when it is the slip asked about; its missing
 * quantity of the part asked about (R-RCV-3: what it explains). */
static void po_slip(po_state *p, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int asked =
	    p->slip &&
	    svl__veq(&v->v[SVL_F_DISCREPANCY_RECORDED_SLIP_NO], p->slip);
	p->slip_found |= asked;
	if (svl_event_array_begin(&it, v, SVL_F_DISCREPANCY_RECORDED_LINES))
		return;
	while (svl_event_array_next(&it, el) == SVL_OK) {
		if (asked)
			p->slip_fen +=
			    el[SVL_F_DISCREPANCY_RECORDED_LINES_AMOUNT_FEN].i;
		if (p->part &&
		    svl__veq(&el[SVL_F_DISCREPANCY_RECORDED_LINES_PART_NO],
			     p->part) &&
		    el[SVL_F_DISCREPANCY_RECORDED_LINES_KIND].i ==
			SVL_REJECT_REASON_MISSING)
			p->slipped_missing_milli +=
			    el[SVL_F_DISCREPANCY_RECORDED_LINES_QTY_MILLI].i;
	}
}

static int po_step(void *st, const svl_record *r, const svl_event_view *v)
{
	po_state *p = st;
	switch (r->type) {
	case SVL_T_PURCHASE_ORDERED:
		p->ordered = 1;
		po_ordered(p, v);
		break;
	case SVL_T_GOODS_ACCEPTED:
		po_accepted(p, v);
		break;
	case SVL_T_DISCREPANCY_RECORDED:
		if (p->slip || p->part)
			po_slip(p, v);
		break;
	case SVL_T_CLAIM_SETTLED:
		if (p->slip &&
		    svl__veq(&v->v[SVL_F_CLAIM_SETTLED_SLIP_NO], p->slip))
			p->slip_settled = 1;
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int po_fold(svl__dctx *c, const svl_value *po, const svl_value *part,
		   const svl_value *slip, po_state *p)
{
	memset(p, 0, sizeof *p);
	p->part = part;
	p->slip = slip;
	return svl__fold(c, "po", po, 0, po_step, p);
}

static int refuse_no_po(svl__dctx *c, const svl_value *po)
{
	return svl__refuse(c, "R-RCV-1",
			   "there is no purchase order %.*s; "
			   "goods are received against an order",
			   SVL__V(*po));
}

/* ---- goods_accepted (R-RCV-1, R-RCV-3) ---- */

static int stage_role_ok(int stage, int role)
{
	switch (stage) {
	case 1:
		return role == SVL_ROLE_PURCHASER;
	case 2:
		return role == SVL_ROLE_WAREHOUSE_KEEPER ||
		       role == SVL_ROLE_PARTS_MANAGER;
	default:
		return role == SVL_ROLE_WAREHOUSE_KEEPER;
	}
}

/* What stage k (2 or 3) left unaccounted of what the stage before let
 * through: the shortfall a discrepancy slip must explain. */
static int64_t shortfall(const po_state *p, int k)
{
	int64_t d = p->accepted_milli[k - 1] - p->accepted_milli[k] -
		    p->rejected_milli[k];
	return p->stage_seen[k] && d > 0 ? d : 0;
}

/* R-RCV-3 for stages 2 and 3, with the proposed line counted in p: the
 * count accounts for every part that arrived from the stage before. What
 * it neither accepts nor rejects must be on the order's slips as missing,
 * beyond what slips already explain (rejections as missing, the other
 * stage's shortfall). */
static int check_accounted(svl__dctx *c, const svl_value *po, int stage,
			   const svl_value *part, const po_state *p)
{
	char a[32], b[32], d[32], e[32];
	int64_t arrived = p->accepted_milli[stage - 1];
	int64_t got = p->accepted_milli[stage] + p->rejected_milli[stage];
	if (got > arrived)
		return svl__refuse(
		    c, "R-RCV-3",
		    "acceptance %d would account for %s of part %.*s "
		    "(accepted and rejected), but only %s passed acceptance "
		    "%d; rejected goods never come back in",
		    stage, svl__fmt_qty(a, sizeof a, got), SVL__V(*part),
		    svl__fmt_qty(b, sizeof b, arrived), stage - 1);
	int64_t explained = p->slipped_missing_milli -
			    p->rejected_missing_milli -
			    shortfall(p, stage == 2 ? 3 : 2);
	if (got == arrived || arrived - got <= explained)
		return SVL_OK;
	return svl__refuse(
	    c, "R-RCV-3",
	    "acceptance %d of order %.*s accepts %s and rejects %s of the "
	    "%s of part %.*s that passed acceptance %d; reject the other %s "
	    "with a reason or record them missing on a discrepancy slip "
	    "first",
	    stage, SVL__V(*po),
	    svl__fmt_qty(b, sizeof b, p->accepted_milli[stage]),
	    svl__fmt_qty(d, sizeof d, p->rejected_milli[stage]),
	    svl__fmt_qty(a, sizeof a, arrived), SVL__V(*part), stage - 1,
	    svl__fmt_qty(e, sizeof e, arrived - got));
}

static int accept_line(svl__dctx *c, const svl_value *po, int stage,
		       const svl_value *el)
{
	const svl_value *part = &el[SVL_F_GOODS_ACCEPTED_LINES_PART_NO];
	char a[32], b[32];
	po_state p;
	int rc = po_fold(c, po, part, NULL, &p);
	if (rc != SVL_OK)
		return rc;
	if (!p.ordered)
		return refuse_no_po(c, po);
	if (!p.on_order)
		return svl__refuse(c, "R-RCV-1",
				   "part %.*s is not on purchase "
				   "order %.*s",
				   SVL__V(*part), SVL__V(*po));
	if (el[SVL_F_GOODS_ACCEPTED_LINES_REJECTED_QTY_MILLI].i > 0 &&
	    !el[SVL_F_GOODS_ACCEPTED_LINES_REJECT_REASON].present)
		return svl__refuse(c, "R-RCV-3",
				   "rejected goods of part %.*s "
				   "need a reason (missing, damaged, inferior, "
				   "overpriced, wrong part)",
				   SVL__V(*part));
	if (stage > 1 && !p.stage_seen[stage - 1])
		return svl__refuse(c, "R-RCV-1",
				   "acceptance %d of part %.*s "
				   "comes after acceptance %d, which is not "
				   "recorded",
				   stage, SVL__V(*part), stage - 1);
	po_count(&p, stage, el);
	if (stage > 1)
		return check_accounted(c, po, stage, part, &p);
	if (p.accepted_milli[1] > p.ordered_milli)
		return svl__refuse(
		    c, "R-RCV-3",
		    "acceptance 1 would let %s of part %.*s through, but "
		    "only %s were ordered; rejected goods never come back in",
		    svl__fmt_qty(a, sizeof a, p.accepted_milli[1]),
		    SVL__V(*part), svl__fmt_qty(b, sizeof b, p.ordered_milli));
	return SVL_OK;
}

/* R-RCV-1: acceptance 2 is counted and signed by the keeper and the parts
 * manager together: the co-signer is another person, holding the role the
 * recorder does not, at the time of the count. A shop that waives it
 * lets one of them sign alone; a co-signer named is still checked. */
static int check_co_signer(svl__dctx *c, const svl_value *po)
{
	const svl_value *co = SVL__F(c, SVL_F_GOODS_ACCEPTED_CO_SIGNER_ID);
	const svl_event_in *ev = c->ev;
	svl_value actor = {0, ev->actor, (uint32_t)ev->actor_len, 1};
	int other = c->role == SVL_ROLE_WAREHOUSE_KEEPER
			? SVL_ROLE_PARTS_MANAGER
			: SVL_ROLE_WAREHOUSE_KEEPER;
	char at[24];
	int held, rc;
	if (!co->present && svl__waives(c->rules, SVL__W_RCV_ONE_SIGNER))
		return SVL_OK;
	if (!co->present)
		return svl__refuse(c, "R-RCV-1",
				   "acceptance 2 of order %.*s is counted "
				   "and checked by the keeper and the parts "
				   "manager together, and both sign: name "
				   "the %s who counted with %.*s "
				   "(co_signer_id)",
				   SVL__V(*po), svl_role_name(other),
				   SVL__V(actor));
	if (svl__veq(co, &actor))
		return svl__refuse(c, "R-RCV-1",
				   "%.*s cannot co-sign the acceptance 2 "
				   "they record; the keeper and the parts "
				   "manager are two different people",
				   SVL__V(actor));
	rc = svl__role_held(c, co->s, co->len, other, ev->occurred_at_ms, &held,
			    NULL, NULL);
	if (rc != SVL_OK || held)
		return rc;
	return svl__refuse(c, "R-RCV-1",
			   "%.*s does not hold the role %s at %s; acceptance "
			   "2 of order %.*s is co-signed by the %s",
			   SVL__V(*co), svl_role_name(other),
			   svl__fmt_time(at, sizeof at, ev->occurred_at_ms,
					 c->rules->tz_offset_min),
			   SVL__V(*po), svl_role_name(other));
}

static int decide_accepted(svl__dctx *c)
{
	const svl_value *po = SVL__F(c, SVL_F_GOODS_ACCEPTED_PO_ID);
	int stage = (int)SVL__F(c, SVL_F_GOODS_ACCEPTED_STAGE)->i;
	static const char *const who[] = {
	    "", "the purchaser", "the warehouse keeper or the parts manager",
	    "the warehouse keeper"};
	if (stage < 1 || stage > 3)
		return svl__invalid(c, "goods_accepted: stage %d", stage);
	if (!stage_role_ok(stage, c->role))
		return svl__refuse(c, "R-RCV-1",
				   "acceptance %d is made by %s, "
				   "not a %s",
				   stage, who[stage], svl_role_name(c->role));
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = stage == 2 ? check_co_signer(c, po) : SVL_OK;
	if (rc == SVL_OK)
		rc = svl_event_array_begin(&it, &c->v,
					   SVL_F_GOODS_ACCEPTED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK)
		rc = accept_line(c, po, stage, el);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* ---- parts_shelved (R-BIN-1, R-RCV-2) ---- */

static int decide_shelved(svl__dctx *c)
{
	const svl_value *part = SVL__F(c, SVL_F_PARTS_SHELVED_PART_NO);
	const svl_value *po = SVL__F(c, SVL_F_PARTS_SHELVED_PO_ID);
	int64_t qty = SVL__F(c, SVL_F_PARTS_SHELVED_QTY_MILLI)->i;
	svl__stock s;
	svl__stock_q q = {0};
	char a[32], b[32];
	q.bin = SVL__F(c, SVL_F_PARTS_SHELVED_BIN);
	q.po_id = po->present ? po : NULL;
	int rc = svl__stock_fold(c, part, &q, &s);
	if (rc != SVL_OK || (rc = svl__check_bin(c, part, q.bin, &s)) ||
	    !po->present)
		return rc;
	po_state p;
	if ((rc = po_fold(c, po, part, NULL, &p)) != SVL_OK)
		return rc;
	if (!p.ordered)
		return refuse_no_po(c, po);
	int last = p.stage_seen[3] ? 3 : p.stage_seen[2] ? 2 : 0;
	if (last == 0)
		return svl__refuse(c, "R-RCV-2",
				   "part %.*s of order %.*s has "
				   "not been counted and checked by the keeper "
				   "with the parts manager (acceptance 2); "
				   "nothing is shelved before that",
				   SVL__V(*part), SVL__V(*po));
	if (s.shelved_po_milli + qty > p.accepted_milli[last])
		return svl__refuse(
		    c, "R-RCV-2",
		    "order %.*s had %s of part "
		    "%.*s accepted and %s already shelved; stock "
		    "is received at the accepted quantity",
		    SVL__V(*po),
		    svl__fmt_qty(a, sizeof a, p.accepted_milli[last]),
		    SVL__V(*part),
		    svl__fmt_qty(b, sizeof b, s.shelved_po_milli));
	return SVL_OK;
}

/* ---- discrepancy slips and claims (R-RCV-3) ---- */

static int decide_discrepancy(svl__dctx *c)
{
	const svl_value *po = SVL__F(c, SVL_F_DISCREPANCY_RECORDED_PO_ID);
	const svl_value *slip = SVL__F(c, SVL_F_DISCREPANCY_RECORDED_SLIP_NO);
	po_state p;
	int rc = po_fold(c, po, NULL, slip, &p);
	if (rc != SVL_OK)
		return rc;
	if (!p.ordered)
		return refuse_no_po(c, po);
	if (p.slip_found)
		return svl__refuse(c, "R-RCV-3",
				   "discrepancy slip %.*s is "
				   "already recorded",
				   SVL__V(*slip));
	return SVL_OK;
}

static int decide_claim(svl__dctx *c)
{
	const svl_value *po = SVL__F(c, SVL_F_CLAIM_SETTLED_PO_ID);
	const svl_value *slip = SVL__F(c, SVL_F_CLAIM_SETTLED_SLIP_NO);
	int64_t got = SVL__F(c, SVL_F_CLAIM_SETTLED_RECOVERED_FEN)->i;
	po_state p;
	int rc = po_fold(c, po, NULL, slip, &p);
	if (rc != SVL_OK)
		return rc;
	if (!p.slip_found || p.slip_settled)
		return svl__refuse(
		    c, "R-RCV-3", "discrepancy slip %.*s %s", SVL__V(*slip),
		    p.slip_found ? "is already settled"
				 : "is not recorded on this order");
	if (got > p.slip_fen)
		return svl__refuse(c, "R-RCV-3",
				   "slip %.*s claimed %lld fen; "
				   "%lld fen cannot be recovered on it",
				   SVL__V(*slip), (long long)p.slip_fen,
				   (long long)got);
	return SVL_OK;
}

/* R-PUR-1: why a purchase mode is made against the plan sheet (the
 * seed's purchasing steps), or NULL when the seed buys without one. */
static const char *plan_needed_for(int64_t mode)
{
	switch (mode) {
	case SVL_PURCHASE_MODE_LOCAL_CASH:
		return "finance pays a cash purchase against the approved "
		       "plan";
	case SVL_PURCHASE_MODE_OUT_OF_TOWN_CASH:
	case SVL_PURCHASE_MODE_OUT_OF_TOWN_CREDIT:
		return "an out-of-town supplier is asked to ship against the "
		       "approved plan";
	default: /* local credit (the supplier delivers), self pick-up */
		return NULL;
	}
}

static int decide_ordered(svl__dctx *c)
{
	const svl_value *po = SVL__F(c, SVL_F_PURCHASE_ORDERED_PO_ID);
	const svl_value *plan = SVL__F(c, SVL_F_PURCHASE_ORDERED_PLAN_ID);
	const svl_value *mode = SVL__F(c, SVL_F_PURCHASE_ORDERED_MODE);
	const char *why = plan_needed_for(mode->i);
	uint64_t ver = 0;
	int rc = svl__stream_version(c, "po", po, &ver);
	if (rc != SVL_OK)
		return rc;
	if (ver != 0)
		return svl__refuse(c, "R-PUR-1",
				   "purchase order %.*s already "
				   "exists",
				   SVL__V(*po));
	if (!plan->present && why)
		return svl__refuse(c, "R-PUR-1",
				   "purchase order %.*s (%.*s) names no parts "
				   "plan; %s: name it (plan_id)",
				   SVL__V(*po), SVL__V(*mode), why);
	return plan->present ? decide_plan(c, plan) : SVL_OK;
}

int svl__decide_receiving(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_PARTS_PLAN_DRAFTED:
	case SVL_T_PARTS_PLAN_REVIEWED:
	case SVL_T_PARTS_PLAN_APPROVED:
		return decide_plan(c, &c->v.v[0]); /* plan_id is field 0 */
	case SVL_T_PURCHASE_ORDERED:
		return decide_ordered(c);
	case SVL_T_GOODS_ACCEPTED:
		return decide_accepted(c);
	case SVL_T_PARTS_SHELVED:
		return decide_shelved(c);
	case SVL_T_DISCREPANCY_RECORDED:
		return decide_discrepancy(c);
	case SVL_T_CLAIM_SETTLED:
		return decide_claim(c);
	default:
		return SVL_OK;
	}
}

_Static_assert(SVL_F_PARTS_PLAN_DRAFTED_PLAN_ID == 0 &&
		   SVL_F_PARTS_PLAN_REVIEWED_PLAN_ID == 0 &&
		   SVL_F_PARTS_PLAN_APPROVED_PLAN_ID == 0,
	       "decide_receiving reads plan_id as field 0");
