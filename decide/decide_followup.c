/*
 * decide_followup.c - after the work: delivery, follow-up calls and
 * complaints.
 *
 *   R-SET-2  at delivery the valuables are returned; the car leaves only
 *            paid (R-SET-1: what the settlement says is due).
 *   R-FU-1   follow-up calls are made after the car was delivered.
 *   R-FU-4   a follow-up fails for want of an answer only after at least 3
 *            unreached attempts at 3 different parts of the day (morning
 *            before 12:00, afternoon 12:00-16:59, evening from 17:00,
 *            local time), the last one unanswered.
 *   R-FU-5   otherwise only a wrong or empty number, details that do not
 *            match the file, or a refusal make it fail; busy, switched
 *            off, voicemail, driving and "call me later" are retries.
 *   R-FU-6   re-verifying the contact with the advisor (contact_reverified)
 *            follows a failed follow-up, and starts a new round of calls.
 *   R-CMP-3  a complaint's plan is agreed with the customer; a complaint is
 *            resolved only under an approved plan.
 *   R-CMP-4  a complaint is closed only after it was resolved and the
 *            customer confirms it.
 *
 * The failure predicate of R-FU-4/5 is the one the metrics projection uses
 * for "failed" (docs/rules.md); here it guards contact_reverified, the one
 * event that says a follow-up failed.
 */
#include "decide_int.h"

#define WO_ID(c) SVL__V((c)->v.v[0])

static int decide_delivered(svl__dctx *c, const svl__wo *w)
{
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
	return SVL_OK;
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

/* R-FU-4, R-FU-5: has this round of follow-up calls failed? */
static int decide_reverified(svl__dctx *c, const svl__wo *w)
{
	char parts[48];
	const svl_enum_def *outcomes =
	    svl_event_type_get(SVL_T_FOLLOWUP_ATTEMPTED)
		->fields[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME]
		.enum_def;
	if (w->fu_reached)
		return svl__refuse(c, "R-FU-5",
				   "the customer of %.*s was "
				   "reached; the follow-up did not fail",
				   WO_ID(c));
	if (w->fu_failed_reason >= 0)
		return SVL_OK;
	int spread = __builtin_popcount(w->fu_parts);
	if (w->fu_unreached >= 3 && spread >= 3 &&
	    w->fu_last == SVL_FU_OUTCOME_NO_ANSWER)
		return SVL_OK;
	if (w->fu_unreached < 3)
		return svl__refuse(c, "R-FU-4",
				   "job %.*s has %d unanswered "
				   "follow-up call%s; a follow-up fails only "
				   "after 3 attempts at different times of day",
				   WO_ID(c), w->fu_unreached,
				   w->fu_unreached == 1 ? "" : "s");
	parts_list(parts, sizeof parts, w->fu_parts);
	if (spread < 3)
		return svl__refuse(
		    c, "R-FU-4",
		    "the calls to %.*s were made "
		    "only in the %s; call at another time of day "
		    "before giving up",
		    WO_ID(c), parts);
	return svl__refuse(c, "R-FU-5",
			   "the last call to %.*s ended '%s', a "
			   "retry, not a failure",
			   WO_ID(c), outcomes->values[w->fu_last]);
}

static int decide_after(svl__dctx *c)
{
	svl__wo w;
	int rc = svl__wo_fold(c, &c->v.v[0], NULL, &w); /* wo_id: field 0 */
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
	int opened, planned, resolved, closed;
} cmp_state;

static int cmp_step(void *st, const svl_record *r, const svl_event_view *v)
{
	cmp_state *s = st;
	(void)v;
	switch (r->type) {
	case SVL_T_COMPLAINT_OPENED:
		s->opened = 1;
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
