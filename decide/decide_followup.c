/*
 * decide_followup.c - after the work: delivery, follow-up calls and
 * complaints.
 *
 *   R-SET-2  at delivery the valuables are returned; the car leaves only
 *            paid (R-SET-1: what the settlement says is due), after it
 *            was dispatched (R-WO-2) and passed its checks (R-QC-1).
 *   R-QC-2   a warranty job's old parts are recovered to the warranty
 *            ledger, not handed to the customer.
 *   R-FU-1   follow-up calls are made after the car was delivered.
 *   R-FU-4   a follow-up fails for want of an answer only after at least N
 *            (the rule set's followup_attempts_for_failure, 3) calls with
 *            no answer at min(N, 3) different parts of the day (morning
 *            before 12:00, afternoon 12:00-16:59, evening from 17:00,
 *            local time).
 *   R-FU-5   otherwise only a wrong or empty number, details that do not
 *            match the file, or a refusal make it fail; busy, switched
 *            off, voicemail, driving and "call me later" are retries that
 *            never count toward a failure (the seed: 無人接聽三次以上).
 *   R-FU-6   re-verifying the contact with the advisor (contact_reverified)
 *            follows a failed follow-up, and starts a new round of calls.
 *   R-CMP-2  a complaint is classified (grumble, general, medium, severe)
 *            before its plan is approved, so that none is handled, and
 *            counted as not major, without a class.
 *   R-CMP-3  a complaint's plan is agreed with the customer; a complaint is
 *            resolved only under an approved plan.
 *   R-CMP-4  a complaint is closed only after it was resolved and the
 *            customer confirms it.
 *
 * The failure predicate of R-FU-4/5 is model/followup.c's, which the work
 * orders and metrics use for "failed" too; here it guards
 * contact_reverified, the one event that says a follow-up failed.
 */
#include "decide_int.h"

#define WO_ID(c) SVL__V((c)->v.v[0])

/* R-QC-2: a warranty job's old parts belong to the maker: recovered to
 * the warranty ledger (old_part_returned with warranty), never handed to
 * the customer or left to the shop; "recovered" only when they are on
 * that ledger. Other jobs' old parts are offered to the customer. */
static int check_old_parts(svl__dctx *c, const svl__job *w)
{
	const svl_value *old = SVL__F(c, SVL_F_VEHICLE_DELIVERED_OLD_PARTS);
	int given = old->i == SVL_OLD_PART_DISPOSITION_RETURNED_TO_CUSTOMER ||
		    old->i == SVL_OLD_PART_DISPOSITION_LEFT_FOR_DISPOSAL;
	if (w->job_kind == SVL_JOB_KIND_WARRANTY && given)
		return svl__refuse(c, "R-QC-2",
				   "job %.*s is a warranty job: its old parts "
				   "are recovered to the warranty ledger for "
				   "the maker, not %.*s",
				   WO_ID(c), SVL__V(*old));
	if (old->i == SVL_OLD_PART_DISPOSITION_WARRANTY_RECOVERED &&
	    w->warranty_old_parts == 0)
		return svl__refuse(c, "R-QC-2",
				   "job %.*s has no old part on the warranty "
				   "ledger; the old part is handed back to it "
				   "(warranty) before the car is delivered",
				   WO_ID(c));
	if (old->i == SVL_OLD_PART_DISPOSITION_NONE && w->warranty_old_parts)
		return svl__refuse(
		    c, "R-QC-2",
		    "job %.*s has %d old part%s on the warranty "
		    "ledger; the delivery says warranty_recovered, "
		    "not none",
		    WO_ID(c), w->warranty_old_parts,
		    w->warranty_old_parts == 1 ? "" : "s");
	return SVL_OK;
}

static int decide_delivered(svl__dctx *c, const svl__job *w)
{
	int rc = svl__require_dispatched(c, w, "delivery");
	if (rc != SVL_OK)
		return rc;
	if (!w->ready)
		return svl__refuse(c, "R-QC-1",
				   "job %.*s is not ready (final "
				   "check and preparation) for delivery",
				   WO_ID(c));
	if (!w->settled || w->paid_fen < w->due_fen)
		return svl__refuse(c, "R-SET-1",
				   "job %.*s is not %s; the car "
				   "leaves after the cashier took payment",
				   WO_ID(c), w->settled ? "paid" : "settled");
	if (!SVL__F(c, SVL_F_VEHICLE_DELIVERED_VALUABLES_RETURNED)->i)
		return svl__refuse(c, "R-SET-2",
				   "the customer's valuables are "
				   "returned at delivery of %.*s",
				   WO_ID(c));
	return check_old_parts(c, w);
}

static void parts_list(char *buf, size_t cap, unsigned parts)
{
	static const char *const names[] = {"morning", "afternoon", "evening"};
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < 3; k++)
		if (parts & (1u << k)) {
			int n = snprintf(buf + used, cap - used, "%s%s",
					 used ? ", " : "", names[k]);
			if (n < 0 || (size_t)n >= cap - used)
				break;
			used += (size_t)n;
		}
}

/* R-FU-4, R-FU-5: has this round of follow-up calls failed? The verdict
 * is model/followup.c's, under the ledger's rule set. */
static int decide_reverified(svl__dctx *c, const svl__job *w)
{
	char parts[48];
	const svl__fu_round *f = &w->fu;
	const svl_enum_def *outcomes =
	    svl_event_type_get(SVL_T_FOLLOWUP_ATTEMPTED)
		->fields[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME]
		.enum_def;
	switch (svl__fu_verdict(f, c->rules)) {
	case SVL__FU_FAILED:
		return SVL_OK;
	case SVL__FU_REACHED:
		return svl__refuse(c, "R-FU-5",
				   "the customer of %.*s was "
				   "reached; the follow-up did not fail",
				   WO_ID(c));
	case SVL__FU_TOO_NARROW:
		parts_list(parts, sizeof parts, (unsigned)f->parts);
		return svl__refuse(
		    c, "R-FU-4",
		    "the calls to %.*s that went unanswered were made "
		    "only in the %s; call at another time of day "
		    "before giving up",
		    WO_ID(c), parts);
	case SVL__FU_TOO_FEW:
		break;
	}
	if (f->last >= 0 && svl__fu_is_retry(f->last))
		return svl__refuse(
		    c, "R-FU-5",
		    "the last call to %.*s ended '%s', a retry, not a "
		    "failure; a follow-up fails after %lld calls with no "
		    "answer, and %.*s has %lld",
		    WO_ID(c), outcomes->values[f->last],
		    (long long)svl__fu_attempts(c->rules), WO_ID(c),
		    (long long)f->unreached);
	return svl__refuse(c, "R-FU-4",
			   "job %.*s has %lld unanswered "
			   "follow-up call%s; a follow-up fails only "
			   "after %lld attempts at different times of "
			   "day",
			   WO_ID(c), (long long)f->unreached,
			   f->unreached == 1 ? "" : "s",
			   (long long)svl__fu_attempts(c->rules));
}

static int decide_after(svl__dctx *c)
{
	svl__job w;
	int rc = svl__job_fold(c, &c->v.v[0], NULL, &w); /* wo_id: field 0 */
	if (rc != SVL_OK)
		return rc;
	switch (c->ev->type) {
	case SVL_T_VEHICLE_DELIVERED:
		if (w.delivered)
			return svl__refuse(c, "R-SET-2",
					   "job %.*s is already "
					   "delivered",
					   WO_ID(c));
		return decide_delivered(c, &w);
	case SVL_T_FOLLOWUP_ATTEMPTED:
		if (!w.delivered)
			return svl__refuse(c, "R-FU-1",
					   "job %.*s is not "
					   "delivered; follow-up calls come 1 "
					   "to 3 days after pick-up",
					   WO_ID(c));
		return SVL_OK;
	default:
		return decide_reverified(c, &w);
	}
}

/* ---- complaints ---- */

typedef struct cmp_state {
	int opened, classified, planned, resolved, closed;
} cmp_state;

static int cmp_step(void *st, const svl_record *r, const svl_event_view *v)
{
	cmp_state *s = st;
	(void)v;
	switch (r->type) {
	case SVL_T_COMPLAINT_OPENED:
		s->opened = 1;
		break;
	case SVL_T_COMPLAINT_CLASSIFIED:
		s->classified = 1;
		break;
	case SVL_T_COMPLAINT_PLAN_APPROVED:
		s->planned = 1;
		break;
	case SVL_T_COMPLAINT_RESOLVED:
		s->resolved = 1;
		break;
	case SVL_T_COMPLAINT_CLOSED:
		s->closed = 1;
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int decide_complaint(svl__dctx *c)
{
	const svl_value *id = &c->v.v[0]; /* cmp_id is field 0 */
	cmp_state s = {0};
	int rc = svl__fold(c, "cmp", id, 0, cmp_step, &s);
	if (rc != SVL_OK)
		return rc;
	if (c->ev->type == SVL_T_COMPLAINT_OPENED)
		return s.opened ? svl__refuse(c, "R-CMP-1",
					      "complaint %.*s is "
					      "already open",
					      SVL__V(*id))
				: SVL_OK;
	if (!s.opened || s.closed)
		return svl__refuse(c, s.closed ? "R-CMP-4" : "R-CMP-1",
				   "complaint %.*s is %s", SVL__V(*id),
				   s.closed ? "already closed" : "not open");
	switch (c->ev->type) {
	case SVL_T_COMPLAINT_PLAN_APPROVED:
		if (!s.classified)
			return svl__refuse(c, "R-CMP-2",
					   "complaint %.*s has no severity "
					   "class; it is classified (grumble, "
					   "general, medium, severe) before a "
					   "plan is approved",
					   SVL__V(*id));
		if (!SVL__F(c, SVL_F_COMPLAINT_PLAN_APPROVED_CUSTOMER_AGREED)
			 ->i)
			return svl__refuse(c, "R-CMP-3",
					   "the plan for %.*s is "
					   "agreed with the customer first",
					   SVL__V(*id));
		return SVL_OK;
	case SVL_T_COMPLAINT_RESOLVED:
		if (!s.planned)
			return svl__refuse(c, "R-CMP-3",
					   "complaint %.*s has no "
					   "plan approved by the general "
					   "manager",
					   SVL__V(*id));
		return SVL_OK;
	case SVL_T_COMPLAINT_CLOSED:
		if (!s.resolved)
			return svl__refuse(c, "R-CMP-4",
					   "complaint %.*s is not "
					   "resolved; it is closed only after "
					   "that",
					   SVL__V(*id));
		if (!SVL__F(c, SVL_F_COMPLAINT_CLOSED_CUSTOMER_CONFIRMED)->i)
			return svl__refuse(c, "R-CMP-4",
					   "complaint %.*s is "
					   "closed only when the customer "
					   "confirms it is resolved",
					   SVL__V(*id));
		return SVL_OK;
	default:
		return SVL_OK;
	}
}

int svl__decide_followup(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_VEHICLE_DELIVERED:
	case SVL_T_FOLLOWUP_ATTEMPTED:
	case SVL_T_CONTACT_REVERIFIED:
		return decide_after(c);
	case SVL_T_COMPLAINT_OPENED:
	case SVL_T_COMPLAINT_CLASSIFIED:
	case SVL_T_COMPLAINT_PLAN_APPROVED:
	case SVL_T_COMPLAINT_RESOLVED:
	case SVL_T_COMPLAINT_CLOSED:
		return decide_complaint(c);
	default:
		return SVL_OK;
	}
}

_Static_assert(SVL_F_VEHICLE_DELIVERED_WO_ID == 0 &&
		   SVL_F_FOLLOWUP_ATTEMPTED_WO_ID == 0 &&
		   SVL_F_CONTACT_REVERIFIED_WO_ID == 0 &&
		   SVL_F_COMPLAINT_OPENED_CMP_ID == 0 &&
		   SVL_F_COMPLAINT_CLOSED_CMP_ID == 0,
	       "the deciders read the stream key as field 0");
