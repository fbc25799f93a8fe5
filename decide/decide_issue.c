/*
 * decide_issue.c - parts leaving the warehouse: the outbound request (pick
 * list), its signatures, the issue itself and the old part handed back.
 *
 *   R-ISS-1  issue only against an outbound request approved by the parts
 *            manager, and for a repair against its work order: only the
 *            parts and quantities on the request, to that job.
 *   R-ISS-2  no goods before paperwork and no IOU: the pick list exists
 *            and every signature predates the issue; a counter sale is
 *            priced by the parts manager (counter_sale_priced, the slip
 *            the cashier collects on) before its goods leave.
 *   R-ISS-3  at issue the parts manager, the keeper and the picker count
 *            together and sign: three capacities, three different people.
 *   R-ISS-4  a repair requisition is signed by the technician and the
 *            service advisor; a warranty one by the claims specialist
 *            first; a warranty job's requests are warranty requests.
 *   R-ISS-5  a new part for a repair or warranty job only after the old
 *            one is handed back (qty returned >= qty issued, per part).
 *   R-BIN-2  nothing is issued beyond stock on hand; R-BIN-3 not from
 *            quarantine; R-BKG-6 not what is reserved for another job.
 *
 * Signing order on one pick: [claims first, for warranty] requisition
 * (technician, advisor) -> outbound approval (parts manager) -> the three
 * issue signatures -> parts_issued. State: the pick- stream, the job's wo-
 * stream and the part stream at the bin.
 */
#include "decide_int.h"
#include "pick_order.h"

typedef struct sig {
	int done;
	char actor[SVL_ACTOR_MAX + 1];
} sig;

typedef struct pick_state {
	const svl_value *part; /* the part asked about, or NULL */
	int exists, purpose;
	char wo[SVL_EV_ID_MAX + 1]; /* "" when the request names no job */
	sig s[SVL_SIGN_AS__COUNT];
	int64_t paper_at_ms; /* the latest signature */
	int priced;	     /* counter sale: counter_sale_priced */
	int64_t priced_at_ms;
	int on_pick;
	int64_t line_milli; /* requested of the part asked about */
} pick_state;

static void pick_lines(pick_state *p, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	if (!p->part ||
	    svl_event_array_begin(&it, v, SVL_F_PICK_REQUESTED_LINES) != SVL_OK)
		return;
	while (svl_event_array_next(&it, el) == SVL_OK)
		if (svl__veq(&el[SVL_F_PICK_REQUESTED_LINES_PART_NO],
			     p->part)) {
			p->on_pick = 1;
			p->line_milli +=
			    el[SVL_F_PICK_REQUESTED_LINES_QTY_MILLI].i;
		}
}

static int pick_step(void *st, const svl_record *r, const svl_event_view *v)
{
	pick_state *p = st;
	if (r->type == SVL_T_PICK_REQUESTED) {
		p->exists = 1;
		p->purpose = (int)v->v[SVL_F_PICK_REQUESTED_PURPOSE].i;
		svl__vcopy(p->wo, sizeof p->wo,
			   &v->v[SVL_F_PICK_REQUESTED_WO_ID]);
		pick_lines(p, v);
	} else if (r->type == SVL_T_PICK_SIGNED) {
		int64_t as = v->v[SVL_F_PICK_SIGNED_SIGNED_AS].i;
		if (as < 0 || as >= SVL_SIGN_AS__COUNT)
			return SVL_OK;
		p->s[as].done = 1;
		svl_value a = {0, r->actor, (uint32_t)r->actor_len, 1};
		svl__vcopy(p->s[as].actor, sizeof p->s[as].actor, &a);
		if (r->occurred_at_ms > p->paper_at_ms)
			p->paper_at_ms = r->occurred_at_ms;
	} else if (r->type == SVL_T_COUNTER_SALE_PRICED) {
		p->priced = 1;
		p->priced_at_ms = r->occurred_at_ms;
	}
	return SVL_OK;
}

static int pick_fold(svl__dctx *c, const svl_value *pick, const svl_value *part,
		     pick_state *p)
{
	memset(p, 0, sizeof *p);
	p->part = part;
	p->paper_at_ms = INT64_MIN;
	return svl__fold(c, "pick", pick, 0, pick_step, p);
}

static int for_job(const pick_state *p)
{
	return svl__pick_for_job(p->purpose);
}

static const char *sign_name(int as)
{
	static const char *const names[SVL_SIGN_AS__COUNT] = {
	    "technician (requisition)",
	    "service advisor (requisition)",
	    "claims specialist (requisition)",
	    "parts manager (outbound approval)",
	    "parts_manager",
	    "warehouse_keeper",
	    "picker"};
	return names[as];
}

/* ---- pick_requested (R-ISS-1, R-ISS-4) ---- */

static int decide_pick_requested(svl__dctx *c)
{
	const svl_value *pick = SVL__F(c, SVL_F_PICK_REQUESTED_PICK_ID);
	const svl_value *wo = SVL__F(c, SVL_F_PICK_REQUESTED_WO_ID);
	int purpose = (int)SVL__F(c, SVL_F_PICK_REQUESTED_PURPOSE)->i;
	uint64_t ver;
	svl__job w;
	int rc = svl__stream_version(c, "pick", pick, &ver);
	if (rc != SVL_OK)
		return rc;
	if (ver != 0)
		return svl__refuse(c, "R-ISS-1",
				   "pick list %.*s already exists",
				   SVL__V(*pick));
	pick_state p = {.purpose = purpose};
	if (!for_job(&p))
		return SVL_OK;
	if (!wo->present)
		return svl__refuse(c, "R-ISS-1",
				   "a %s request names its work "
				   "order",
				   purpose == SVL_PICK_PURPOSE_WARRANTY
				       ? "warranty"
				       : "repair");
	if ((rc = svl__job_fold(c, wo, NULL, &w)) != SVL_OK)
		return rc;
	if (!w.exists)
		return svl__refuse(c, "R-ISS-1", "there is no work order %.*s",
				   SVL__V(*wo));
	if (w.job_kind == SVL_JOB_KIND_WARRANTY &&
	    purpose != SVL_PICK_PURPOSE_WARRANTY)
		return svl__refuse(c, "R-ISS-4",
				   "job %.*s is a warranty job: "
				   "its parts are requested as warranty, which "
				   "the claims specialist signs first",
				   SVL__V(*wo));
	return SVL_OK;
}

/* ---- pick_signed (R-ISS-1, R-ISS-3, R-ISS-4) ---- */

static int sign_role_ok(int as, int role)
{
	switch (as) {
	case SVL_SIGN_AS_REQUISITION_TECHNICIAN:
		return role == SVL_ROLE_TECHNICIAN;
	case SVL_SIGN_AS_REQUISITION_ADVISOR:
		return role == SVL_ROLE_SERVICE_ADVISOR;
	case SVL_SIGN_AS_REQUISITION_CLAIMS:
		return role == SVL_ROLE_CLAIMS_SPECIALIST;
	case SVL_SIGN_AS_OUTBOUND_APPROVAL:
	case SVL_SIGN_AS_ISSUE_PARTS_MANAGER:
		return role == SVL_ROLE_PARTS_MANAGER;
	case SVL_SIGN_AS_ISSUE_KEEPER:
		return role == SVL_ROLE_WAREHOUSE_KEEPER;
	default:
		return role == SVL_ROLE_TECHNICIAN ||
		       role == SVL_ROLE_SERVICE_ADVISOR;
	}
}

static const char *sign_rule(int as)
{
	if (as <= SVL_SIGN_AS_REQUISITION_CLAIMS)
		return "R-ISS-4";
	return as == SVL_SIGN_AS_OUTBOUND_APPROVAL ? "R-ISS-1" : "R-ISS-3";
}

static int is_issue_sig(int as)
{
	return as >= SVL_SIGN_AS_ISSUE_PARTS_MANAGER;
}

/* R-ISS-3: the three issue capacities are three different people. */
static int check_three_people(svl__dctx *c, const svl_value *pick,
			      const pick_state *p, int as)
{
	const svl_event_in *ev = c->ev;
	for (int k = SVL_SIGN_AS_ISSUE_PARTS_MANAGER; k < SVL_SIGN_AS__COUNT;
	     k++) {
		if (k == as || !p->s[k].done)
			continue;
		if (strlen(p->s[k].actor) == ev->actor_len &&
		    memcmp(p->s[k].actor, ev->actor, ev->actor_len) == 0)
			return svl__refuse(
			    c, "R-ISS-3",
			    "pick %.*s is already "
			    "signed by %s as %s; three different "
			    "people must sign",
			    SVL__V(*pick), p->s[k].actor, sign_name(k));
	}
	return SVL_OK;
}

/* The capacities of the pick signed so far, as model/pick_order.h bits. */
static uint32_t signed_mask(const pick_state *p)
{
	uint32_t m = 0;
	for (int k = 0; k < SVL_SIGN_AS__COUNT; k++)
		if (p->s[k].done)
			m |= SVL__SIGN_BIT(k);
	return m;
}

/* What must be signed before capacity `as` may sign: the signing order of
 * model/pick_order.h. A capacity its purpose does not require keeps no
 * place in the order. The refusal names the first step not done. */
static int check_sign_order(svl__dctx *c, const svl_value *pick,
			    const pick_state *p, int as)
{
	uint32_t next = svl__pick_next(p->purpose, signed_mask(p));
	uint32_t bit = SVL__SIGN_BIT(as);
	if (!(svl__pick_required(p->purpose) & bit) || (next & bit))
		return SVL_OK;
	if (next & SVL__SIGN_BIT(SVL_SIGN_AS_REQUISITION_CLAIMS))
		return svl__refuse(c, "R-ISS-4",
				   "warranty pick %.*s lacks the claims "
				   "specialist's signature, which comes first; "
				   "the %s signs after it",
				   SVL__V(*pick), sign_name(as));
	if (next & (SVL__SIGN_BIT(SVL_SIGN_AS_REQUISITION_TECHNICIAN) |
		    SVL__SIGN_BIT(SVL_SIGN_AS_REQUISITION_ADVISOR)))
		return svl__refuse(c, "R-ISS-4",
				   "pick %.*s needs the "
				   "technician's and the service advisor's "
				   "signatures before the parts manager "
				   "approves it",
				   SVL__V(*pick));
	return svl__refuse(c, "R-ISS-1",
			   "pick %.*s is not approved by "
			   "the parts manager; nothing is counted out "
			   "before that",
			   SVL__V(*pick));
}

static int decide_pick_signed(svl__dctx *c)
{
	const svl_value *pick = SVL__F(c, SVL_F_PICK_SIGNED_PICK_ID);
	int as = (int)SVL__F(c, SVL_F_PICK_SIGNED_SIGNED_AS)->i;
	const svl_value *counted = SVL__F(c, SVL_F_PICK_SIGNED_COUNTED);
	pick_state p;
	int rc = pick_fold(c, pick, NULL, &p);
	if (rc != SVL_OK)
		return rc;
	if (!p.exists)
		return svl__refuse(c, "R-ISS-1",
				   "there is no outbound request "
				   "%.*s to sign",
				   SVL__V(*pick));
	if (!sign_role_ok(as, c->role))
		return svl__refuse(c, sign_rule(as),
				   "a %s cannot sign pick "
				   "%.*s as %s",
				   svl_role_name(c->role), SVL__V(*pick),
				   sign_name(as));
	if (p.s[as].done)
		return svl__refuse(c, sign_rule(as),
				   "pick %.*s is already "
				   "signed as %s by %s",
				   SVL__V(*pick), sign_name(as), p.s[as].actor);
	if (is_issue_sig(as) &&
	    (rc = check_three_people(c, pick, &p, as)) != SVL_OK)
		return rc;
	if ((rc = check_sign_order(c, pick, &p, as)) != SVL_OK)
		return rc;
	if (is_issue_sig(as) && !(counted->present && counted->i))
		return svl__refuse(c, "R-ISS-3",
				   "the goods of pick %.*s are "
				   "counted together before signing (counted "
				   "must be true)",
				   SVL__V(*pick));
	return SVL_OK;
}

/* ---- parts_issued ---- */

/* R-ISS-4, R-ISS-1, R-ISS-3 and R-ISS-2 on the paperwork. */
static int check_paperwork(svl__dctx *c, const svl_value *pick,
			   const pick_state *p)
{
	const svl_value *wo = SVL__F(c, SVL_F_PARTS_ISSUED_WO_ID);
	const svl_value *part = SVL__F(c, SVL_F_PARTS_ISSUED_PART_NO);
	char t1[24], t2[24];
	if (for_job(p) && (!p->s[SVL_SIGN_AS_REQUISITION_TECHNICIAN].done ||
			   !p->s[SVL_SIGN_AS_REQUISITION_ADVISOR].done ||
			   (p->purpose == SVL_PICK_PURPOSE_WARRANTY &&
			    !p->s[SVL_SIGN_AS_REQUISITION_CLAIMS].done)))
		return svl__refuse(
		    c, "R-ISS-4",
		    "requisition %.*s lacks the "
		    "%s signatures",
		    SVL__V(*pick),
		    p->purpose == SVL_PICK_PURPOSE_WARRANTY
			? "claims specialist's, technician's and "
			  "advisor's"
			: "technician's and advisor's");
	if (!p->s[SVL_SIGN_AS_OUTBOUND_APPROVAL].done)
		return svl__refuse(c, "R-ISS-1",
				   "pick %.*s is not approved by "
				   "the parts manager",
				   SVL__V(*pick));
	if (!p->on_pick)
		return svl__refuse(c, "R-ISS-1",
				   "part %.*s is not on pick %.*s",
				   SVL__V(*part), SVL__V(*pick));
	if (p->wo[0] && !svl__veqs(wo, p->wo))
		return svl__refuse(c, "R-ISS-1",
				   "pick %.*s is for work order "
				   "%s; parts are issued to that job only",
				   SVL__V(*pick), p->wo);
	for (int k = SVL_SIGN_AS_ISSUE_PARTS_MANAGER; k < SVL_SIGN_AS__COUNT;
	     k++)
		if (!p->s[k].done)
			return svl__refuse(
			    c, "R-ISS-3",
			    "pick %.*s lacks the "
			    "%s's signature; the parts manager, "
			    "the keeper and the picker count and "
			    "sign together",
			    SVL__V(*pick), sign_name(k));
	if (p->purpose == SVL_PICK_PURPOSE_COUNTER_SALE &&
	    (!p->priced || c->ev->occurred_at_ms < p->priced_at_ms))
		return svl__refuse(c, "R-ISS-2",
				   "counter sale %.*s is not priced by the "
				   "parts manager %s: no goods before "
				   "paperwork",
				   SVL__V(*pick),
				   p->priced ? "before this issue" : "yet");
	if (c->ev->occurred_at_ms < p->paper_at_ms)
		return svl__refuse(c, "R-ISS-2",
				   "pick %.*s was signed at %s, "
				   "after the issue at %s: no goods before "
				   "paperwork",
				   SVL__V(*pick),
				   svl__fmt_time(t1, sizeof t1, p->paper_at_ms,
						 c->rules->tz_offset_min),
				   svl__fmt_time(t2, sizeof t2,
						 c->ev->occurred_at_ms,
						 c->rules->tz_offset_min));
	return SVL_OK;
}

/* R-BIN-2, R-BIN-3, R-BKG-6: the goods are on the shelf for this job. */
static int check_stock(svl__dctx *c, const svl__stock *s, int64_t qty)
{
	const svl_value *part = SVL__F(c, SVL_F_PARTS_ISSUED_PART_NO);
	const svl_value *bin = SVL__F(c, SVL_F_PARTS_ISSUED_BIN);
	char a[32], b[32];
	int64_t others = s->reserved_milli - s->reserved_wo_milli;
	if (qty > s->sellable_milli &&
	    qty <= s->sellable_milli + s->quarantined_milli)
		return svl__refuse(
		    c, "R-BIN-3",
		    "only %s of part %.*s at %.*s "
		    "are sellable; %s are quarantined for "
		    "quality problems and are not issued",
		    svl__fmt_qty(a, sizeof a, s->sellable_milli), SVL__V(*part),
		    SVL__V(*bin),
		    svl__fmt_qty(b, sizeof b, s->quarantined_milli));
	if (qty > s->sellable_milli)
		return svl__refuse(
		    c, "R-BIN-2",
		    "only %s of part %.*s are on "
		    "hand at %.*s; %s cannot be issued",
		    svl__fmt_qty(a, sizeof a,
				 s->sellable_milli > 0 ? s->sellable_milli : 0),
		    SVL__V(*part), SVL__V(*bin),
		    svl__fmt_qty(b, sizeof b, qty));
	if (others > 0 && qty > s->sellable_milli - others)
		return svl__refuse(
		    c, "R-BKG-6",
		    "%s of part %.*s at %.*s are "
		    "reserved for other jobs; only %s can be "
		    "issued",
		    svl__fmt_qty(a, sizeof a, others), SVL__V(*part),
		    SVL__V(*bin),
		    svl__fmt_qty(b, sizeof b, s->sellable_milli - others));
	return SVL_OK;
}

/* R-ISS-5: old part back first, for repair and warranty jobs. */
static int check_old_part(svl__dctx *c, const pick_state *p,
			  const svl__stock *s, int64_t qty)
{
	const svl_value *part = SVL__F(c, SVL_F_PARTS_ISSUED_PART_NO);
	svl_value wo = {0, p->wo, (uint32_t)strlen(p->wo), 1};
	svl__job w;
	char a[32], b[32];
	if (!for_job(p) || !p->wo[0])
		return SVL_OK;
	int rc = svl__job_fold(c, &wo, part, &w);
	if (rc != SVL_OK || (p->purpose == SVL_PICK_PURPOSE_REPAIR &&
			     w.job_kind == SVL_JOB_KIND_MAINTENANCE))
		return rc;
	if (w.old_returned_milli < s->issued_wo_milli + qty)
		return svl__refuse(
		    c, "R-ISS-5",
		    "job %s handed back %s old %.*s "
		    "but would get %s new; the old part comes "
		    "back first",
		    p->wo, svl__fmt_qty(a, sizeof a, w.old_returned_milli),
		    SVL__V(*part),
		    svl__fmt_qty(b, sizeof b, s->issued_wo_milli + qty));
	return SVL_OK;
}

static int decide_issued(svl__dctx *c)
{
	const svl_value *pick = SVL__F(c, SVL_F_PARTS_ISSUED_PICK_ID);
	const svl_value *part = SVL__F(c, SVL_F_PARTS_ISSUED_PART_NO);
	int64_t qty = SVL__F(c, SVL_F_PARTS_ISSUED_QTY_MILLI)->i;
	char a[32], b[32];
	pick_state p;
	int rc = pick_fold(c, pick, part, &p);
	if (rc != SVL_OK)
		return rc;
	if (!p.exists)
		return svl__refuse(c, "R-ISS-2",
				   "there is no signed pick list "
				   "%.*s: no goods on an IOU",
				   SVL__V(*pick));
	if ((rc = check_paperwork(c, pick, &p)) != SVL_OK)
		return rc;
	svl__stock s;
	svl_value wo = {0, p.wo, (uint32_t)strlen(p.wo), 1};
	svl__stock_q q = {.bin = SVL__F(c, SVL_F_PARTS_ISSUED_BIN),
			  .pick_id = pick,
			  .wo_id = p.wo[0] ? &wo : NULL};
	if ((rc = svl__stock_fold(c, part, &q, &s)) != SVL_OK)
		return rc;
	if (s.issued_pick_milli + qty > p.line_milli)
		return svl__refuse(
		    c, "R-ISS-1",
		    "pick %.*s asks for %s of %.*s, "
		    "%s already issued; no more than the "
		    "request",
		    SVL__V(*pick), svl__fmt_qty(a, sizeof a, p.line_milli),
		    SVL__V(*part),
		    svl__fmt_qty(b, sizeof b, s.issued_pick_milli));
	if ((rc = svl__check_bin(c, part, q.bin, &s)) != SVL_OK ||
	    (rc = check_stock(c, &s, qty)) != SVL_OK)
		return rc;
	return check_old_part(c, &p, &s, qty);
}

/* ---- old_part_returned (R-ISS-5, R-OLD-1) ---- */

static int decide_old_part(svl__dctx *c)
{
	const svl_value *wo = SVL__F(c, SVL_F_OLD_PART_RETURNED_WO_ID);
	svl__job w;
	int rc = svl__job_fold(c, wo, NULL, &w);
	if (rc != SVL_OK)
		return rc;
	if (!w.exists)
		return svl__refuse(c, "R-ISS-5",
				   "there is no job %.*s to hand "
				   "an old part back from",
				   SVL__V(*wo));
	if (w.job_kind == SVL_JOB_KIND_WARRANTY &&
	    !SVL__F(c, SVL_F_OLD_PART_RETURNED_WARRANTY)->i)
		return svl__refuse(c, "R-OLD-1",
				   "job %.*s is a warranty job: "
				   "its old parts go on the warranty old-part "
				   "ledger (warranty must be true)",
				   SVL__V(*wo));
	return SVL_OK;
}

int svl__decide_issue(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_PICK_REQUESTED:
		return decide_pick_requested(c);
	case SVL_T_PICK_SIGNED:
		return decide_pick_signed(c);
	case SVL_T_PARTS_ISSUED:
		return decide_issued(c);
	case SVL_T_OLD_PART_RETURNED:
		return decide_old_part(c);
	default:
		return SVL_OK;
	}
}
