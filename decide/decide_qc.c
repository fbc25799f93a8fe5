/*
 * decide_qc.c - the second half of a job in the workshop: findings during
 * repair, their consultation and the customer's decision (R-WO-4, R-WO-5,
 * R-QUO-2), completion after the dispatch (R-WO-2), the three quality
 * checks (R-QC-1), the car made ready (R-QC-3) and the settlement against
 * the agreed quote (R-SET-1, R-QUO-2). The rules are listed at the top of
 * decide_workshop.c; the state is the job's svl__job fold.
 */
#include "decide_int.h"

static const char *const stage_names[] = {"self", "group", "final"};

#define WO_ID(c) SVL__V((c)->v.v[0])

/* ---- findings and completion (R-WO-1, R-WO-5) ---- */

static int finding_state(const svl__job *w, int64_t no)
{
	return no >= 1 && no < SVL__FINDINGS ? w->finding[no] : SVL__FIND_NONE;
}

/* R-WO-2: completion, the checks and (decide_followup.c) delivery follow
 * the dispatch to a technician. */
int svl__require_dispatched(svl__dctx *c, const svl__job *w, const char *what)
{
	if (w->dispatched)
		return SVL_OK;
	return svl__refuse(c, "R-WO-2",
			   "job %.*s was never dispatched to a technician; "
			   "no %s before the workshop manager dispatches it",
			   WO_ID(c), what);
}

/* R-WO-4: a technical problem goes to the technical director first. */
static int require_consulted(svl__dctx *c, const svl__job *w, int no,
			     const char *before)
{
	if ((w->finding_flags[no] &
	     (SVL__FIND_TECHNICAL | SVL__FIND_CONSULTED)) !=
	    SVL__FIND_TECHNICAL)
		return SVL_OK;
	return svl__refuse(c, "R-WO-4",
			   "finding %d of job %.*s is a technical problem "
			   "with no consultation of the technical director; "
			   "it is consulted before %s",
			   no, WO_ID(c), before);
}

static int decide_consulted(svl__dctx *c, const svl__job *w)
{
	const svl_value *no =
	    SVL__F(c, SVL_F_TECHNICAL_CONSULTATION_FINDING_NO);
	if (!w->exists)
		return svl__refuse(c, "R-WO-4", "there is no job %.*s",
				   WO_ID(c));
	if (no->present && finding_state(w, no->i) == SVL__FIND_NONE)
		return svl__refuse(c, "R-WO-4",
				   "job %.*s has no finding %lld to consult "
				   "on; the technician reports it first",
				   WO_ID(c), (long long)no->i);
	return SVL_OK;
}

/* R-QUO-2: approved additional work names the agreed revision of the
 * quote that carries it, made after the finding was reported. */
static int check_revision(svl__dctx *c, const svl__job *w, int64_t no)
{
	const svl_value *rev =
	    SVL__F(c, SVL_F_ADDITIONAL_WORK_APPROVED_QUOTE_REVISION);
	if (!rev->present)
		return svl__refuse(
		    c, "R-QUO-2",
		    "additional work %lld on %.*s has no revised "
		    "quote; a new item needs a quote revision, "
		    "agreed again (name it in quote_revision)",
		    (long long)no, WO_ID(c));
	if (rev->i > w->quote_rev)
		return svl__refuse(c, "R-QUO-2",
				   "job %.*s has no quote "
				   "revision %lld",
				   WO_ID(c), (long long)rev->i);
	if (rev->i <= w->finding_rev[no])
		return svl__refuse(
		    c, "R-QUO-2",
		    "quote revision %lld of %.*s was made before "
		    "finding %lld was reported and cannot carry "
		    "it; revise the quote again",
		    (long long)rev->i, WO_ID(c), (long long)no);
	if (!w->rev_agreed[rev->i])
		return svl__refuse(c, "R-QUO-2",
				   "the customer has not agreed quote revision "
				   "%lld of %.*s; it is agreed before the work "
				   "is approved",
				   (long long)rev->i, WO_ID(c));
	return SVL_OK;
}

static int decide_found(svl__dctx *c, const svl__job *w)
{
	int64_t no = SVL__F(c, SVL_F_ADDITIONAL_WORK_FOUND_FINDING_NO)->i;
	if (!w->exists)
		return svl__refuse(c, "R-WO-4", "there is no job %.*s",
				   WO_ID(c));
	if (finding_state(w, no) != SVL__FIND_NONE)
		return svl__refuse(c, "R-WO-4",
				   "finding %lld of job %.*s is "
				   "already reported",
				   (long long)no, WO_ID(c));
	return SVL_OK;
}

static int decide_decided(svl__dctx *c, const svl__job *w, int64_t no)
{
	int st = finding_state(w, no);
	if (st == SVL__FIND_NONE)
		return svl__refuse(c, "R-WO-5", "job %.*s has no finding %lld",
				   WO_ID(c), (long long)no);
	if (st != SVL__FIND_OPEN)
		return svl__refuse(c, "R-WO-5",
				   "finding %lld of job %.*s is "
				   "already %s",
				   (long long)no, WO_ID(c),
				   st == SVL__FIND_APPROVED ? "approved"
							    : "declined");
	int rc = require_consulted(c, w, (int)no,
				   "the customer is asked to decide on it");
	if (rc != SVL_OK || c->ev->type == SVL_T_ADDITIONAL_WORK_DECLINED)
		return rc;
	if (!SVL__F(c, SVL_F_ADDITIONAL_WORK_APPROVED_CUSTOMER_SIGNED)->i)
		return svl__refuse(c, "R-WO-5",
				   "additional work on %.*s needs "
				   "the customer's signed approval; without it "
				   "only the original items are done",
				   WO_ID(c));
	return check_revision(c, w, no);
}

static int decide_completed(svl__dctx *c, const svl__job *w)
{
	int rc;
	if (w->signed_rev == 0)
		return svl__refuse(c, "R-WO-1",
				   "the customer has not signed "
				   "work order %.*s; no work before that",
				   WO_ID(c));
	if ((rc = svl__require_dispatched(c, w, "completion")) != SVL_OK)
		return rc;
	for (int no = 1; no < SVL__FINDINGS; no++) {
		if (w->finding[no] == SVL__FIND_OPEN)
			return svl__refuse(c, "R-WO-5",
					   "finding %d of job %.*s "
					   "waits for the customer's decision; "
					   "the work is completed after it",
					   no, WO_ID(c));
		if ((rc = require_consulted(c, w, no, "the work is completed")))
			return rc;
	}
	if (w->completed)
		return svl__refuse(c, "R-QC-1",
				   "the work on %.*s is already "
				   "completed; the quality checks follow",
				   WO_ID(c));
	return SVL_OK;
}

int svl__decide_workshop_findings(svl__dctx *c, const svl__job *w)
{
	switch (c->ev->type) {
	case SVL_T_ADDITIONAL_WORK_FOUND:
		return decide_found(c, w);
	case SVL_T_ADDITIONAL_WORK_APPROVED:
		return decide_decided(
		    c, w,
		    SVL__F(c, SVL_F_ADDITIONAL_WORK_APPROVED_FINDING_NO)->i);
	case SVL_T_ADDITIONAL_WORK_DECLINED:
		return decide_decided(
		    c, w,
		    SVL__F(c, SVL_F_ADDITIONAL_WORK_DECLINED_FINDING_NO)->i);
	case SVL_T_TECHNICAL_CONSULTATION:
		return decide_consulted(c, w);
	case SVL_T_WORK_COMPLETED:
		return decide_completed(c, w);
	default:
		return SVL_OK;
	}
}

/* ---- quality checks (R-QC-1) ---- */

static int stage_role_ok(int stage, int role)
{
	if (stage == SVL_QC_STAGE_SELF)
		return role == SVL_ROLE_TECHNICIAN;
	if (role == SVL_ROLE_WORKSHOP_MANAGER ||
	    role == SVL_ROLE_TECHNICAL_DIRECTOR)
		return 1;
	return stage == SVL_QC_STAGE_FINAL && role == SVL_ROLE_SERVICE_MANAGER;
}

static int decide_checked(svl__dctx *c, const svl__job *w)
{
	int stage = (int)SVL__F(c, SVL_F_QC_CHECKED_STAGE)->i;
	if (stage < 0 || stage > 2)
		return svl__invalid(c, "qc_checked: stage %d", stage);
	int rc = svl__require_dispatched(c, w, "quality check");
	if (rc != SVL_OK)
		return rc;
	if (!w->completed)
		return svl__refuse(c, "R-QC-1",
				   "the work on %.*s is not "
				   "completed; the checks come after it",
				   WO_ID(c));
	if (w->qc_failed)
		return svl__refuse(c, "R-QC-1",
				   "the %s check of %.*s failed; "
				   "the job goes back to rework first",
				   stage_names[w->qc_failed - 1], WO_ID(c));
	if (w->qc_passed == 3)
		return svl__refuse(c, "R-QC-1",
				   "all three checks of %.*s have "
				   "passed",
				   WO_ID(c));
	if (stage != w->qc_passed)
		return svl__refuse(c, "R-QC-1",
				   "the next check of %.*s is the "
				   "%s check, not the %s check (self, group, "
				   "final, in order)",
				   WO_ID(c), stage_names[w->qc_passed],
				   stage_names[stage]);
	if (!stage_role_ok(stage, c->role))
		return svl__refuse(c, "R-QC-1",
				   "a %s does not make the %s "
				   "check",
				   svl_role_name(c->role), stage_names[stage]);
	return SVL_OK;
}

static int decide_rework(svl__dctx *c, const svl__job *w)
{
	int stage = (int)SVL__F(c, SVL_F_REWORK_ORDERED_FAILED_STAGE)->i;
	if (!w->qc_failed)
		return svl__refuse(c, "R-QC-1",
				   "no check of %.*s has failed; "
				   "rework follows a failed check",
				   WO_ID(c));
	if (stage != w->qc_failed - 1)
		return svl__refuse(c, "R-QC-1",
				   "the check of %.*s that failed "
				   "is the %s check",
				   WO_ID(c), stage_names[w->qc_failed - 1]);
	return SVL_OK;
}

static int decide_ready(svl__dctx *c, const svl__job *w)
{
	if (w->qc_passed != 3 || w->qc_failed)
		return svl__refuse(c, "R-QC-1",
				   "job %.*s has not passed the "
				   "final check",
				   WO_ID(c));
	if (!SVL__F(c, SVL_F_VEHICLE_READY_CLEANED)->i ||
	    !SVL__F(c, SVL_F_VEHICLE_READY_OLD_PARTS_READY)->i ||
	    !SVL__F(c, SVL_F_VEHICLE_READY_DOCUMENTS_READY)->i)
		return svl__refuse(c, "R-QC-3",
				   "before %.*s is ready the car "
				   "is clean and the old parts and papers are "
				   "prepared",
				   WO_ID(c));
	return SVL_OK;
}

/* ---- settlement and payment (R-SET-1) ---- */

/* R-QUO-2: the customer is charged what was quoted and agreed: labour +
 * parts + materials are the total of the latest agreed quote revision,
 * which carries every approved additional item. Only the discount and
 * the warranty's share are deducted, each on its own line (R-SET-1). */
static int check_reconciled(svl__dctx *c, const svl__job *w)
{
	const svl_value *x = c->v.v;
	int64_t gross = x[SVL_F_SETTLEMENT_ISSUED_LABOR_FEN].i +
			x[SVL_F_SETTLEMENT_ISSUED_PARTS_FEN].i +
			x[SVL_F_SETTLEMENT_ISSUED_MATERIALS_FEN].i;
	if (w->agreed_rev == 0)
		return svl__refuse(c, "R-QUO-2",
				   "job %.*s has no quote the customer agreed; "
				   "the settlement is made against one",
				   WO_ID(c));
	if (gross == w->agreed_fen)
		return SVL_OK;
	return svl__refuse(c, "R-QUO-2",
			   "the settlement of %.*s charges labour + parts + "
			   "materials of %lld fen, but the customer agreed "
			   "%lld fen (quote revision %d); a changed item "
			   "needs a revised quote, agreed again",
			   WO_ID(c), (long long)gross, (long long)w->agreed_fen,
			   w->agreed_rev);
}

static int decide_settlement(svl__dctx *c, const svl__job *w)
{
	const svl_value *x = c->v.v;
	int64_t want = x[SVL_F_SETTLEMENT_ISSUED_LABOR_FEN].i +
		       x[SVL_F_SETTLEMENT_ISSUED_PARTS_FEN].i +
		       x[SVL_F_SETTLEMENT_ISSUED_MATERIALS_FEN].i -
		       x[SVL_F_SETTLEMENT_ISSUED_DISCOUNT_FEN].i -
		       x[SVL_F_SETTLEMENT_ISSUED_WARRANTY_FEN].i;
	if (!w->exists || w->settled)
		return svl__refuse(c, "R-SET-1", "job %.*s %s", WO_ID(c),
				   w->settled ? "is already settled"
					      : "does not exist");
	if (x[SVL_F_SETTLEMENT_ISSUED_TOTAL_FEN].i != want)
		return svl__refuse(
		    c, "R-SET-1",
		    "the settlement of %.*s does "
		    "not add up: labour + parts + materials - "
		    "discount - warranty = %lld fen, not %lld",
		    WO_ID(c), (long long)want,
		    (long long)x[SVL_F_SETTLEMENT_ISSUED_TOTAL_FEN].i);
	if (!x[SVL_F_SETTLEMENT_ISSUED_CUSTOMER_SIGNED].i)
		return svl__refuse(c, "R-SET-1",
				   "the customer signs the "
				   "settlement of %.*s",
				   WO_ID(c));
	return check_reconciled(c, w);
}

static int decide_payment(svl__dctx *c, const svl__job *w)
{
	int64_t amt = SVL__F(c, SVL_F_PAYMENT_RECEIVED_AMOUNT_FEN)->i;
	if (!w->settled)
		return svl__refuse(c, "R-SET-1",
				   "job %.*s has no signed "
				   "settlement to pay",
				   WO_ID(c));
	if (w->paid_fen + amt > w->due_fen)
		return svl__refuse(c, "R-SET-1",
				   "job %.*s owes %lld fen; %lld "
				   "fen is more than that",
				   WO_ID(c),
				   (long long)(w->due_fen - w->paid_fen),
				   (long long)amt);
	return SVL_OK;
}

int svl__decide_workshop_qc(svl__dctx *c, const svl__job *w)
{
	switch (c->ev->type) {
	case SVL_T_QC_CHECKED:
		return decide_checked(c, w);
	case SVL_T_REWORK_ORDERED:
		return decide_rework(c, w);
	case SVL_T_VEHICLE_READY:
		return decide_ready(c, w);
	case SVL_T_SETTLEMENT_ISSUED:
		return decide_settlement(c, w);
	case SVL_T_PAYMENT_RECEIVED:
		return decide_payment(c, w);
	default:
		return SVL_OK;
	}
}
