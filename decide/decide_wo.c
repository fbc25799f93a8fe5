/*
 * decide_wo.c - the job (work order) as the deciders see it: one fold of
 * its wo- stream, from booking to follow-up. Only what a rule asks about is
 * kept: where the booking stands (R-BKG-3/4), the inspection (R-INS-1),
 * the quote revisions the customer agreed and the latest one's total
 * (R-WO-1, R-QUO-2), the customer's signature (R-WO-1), the dispatch
 * (R-WO-2), findings, whether they are technical and consulted, and their
 * approvals (R-WO-4/5), the round of quality checks (R-QC-1), settlement,
 * delivery, the follow-up round (R-FU-4/5), and the old parts handed back
 * (R-ISS-5, and those on the warranty ledger: R-QC-2).
 */
#include "decide_int.h"

typedef struct wo_fold {
	svl__job *w;
	const svl_rules *rules;
} wo_fold;

/* A quote revision (1: the first quote); the latest agreed one is what
 * the customer will be settled against (R-QUO-2). */
static void fold_quote(svl__job *w, int64_t rev, int64_t agreed,
		       int64_t total_fen)
{
	w->quote_rev = (int)rev;
	w->quote_agreed = (int)agreed;
	if (rev < 1 || rev >= SVL__REVISIONS || !agreed)
		return;
	w->rev_agreed[rev] = 1;
	w->agreed_rev = (int)rev;
	w->agreed_fen = total_fen;
}

static void fold_booking(svl__job *w, uint32_t type, const svl_value *x)
{
	switch (type) {
	case SVL_T_BOOKING_REQUESTED:
		w->requested = 1;
		w->job_kind = (int)x[SVL_F_BOOKING_REQUESTED_JOB_KIND].i;
		break;
	case SVL_T_BOOKING_CONFIRMED:
		w->confirmed = 1;
		w->slot_at_ms = x[SVL_F_BOOKING_CONFIRMED_SLOT_AT_MS].i;
		break;
	case SVL_T_BOOKING_RESCHEDULED:
		if (w->confirmed)
			w->slot_at_ms =
			    x[SVL_F_BOOKING_RESCHEDULED_SLOT_AT_MS].i;
		break;
	case SVL_T_BOOKING_CANCELLED:
		w->cancelled = 1;
		w->confirmed = 0;
		break;
	case SVL_T_VEHICLE_RECEIVED:
		w->received = 1;
		w->job_kind = (int)x[SVL_F_VEHICLE_RECEIVED_JOB_KIND].i;
		break;
	case SVL_T_INSPECTION_RECORDED:
		w->inspected = 1;
		break;
	case SVL_T_QUOTE_ISSUED:
		fold_quote(w, 1, x[SVL_F_QUOTE_ISSUED_CUSTOMER_AGREED].i,
			   x[SVL_F_QUOTE_ISSUED_TOTAL_FEN].i);
		break;
	case SVL_T_QUOTE_REVISED:
		fold_quote(w, x[SVL_F_QUOTE_REVISED_REVISION].i,
			   x[SVL_F_QUOTE_REVISED_CUSTOMER_AGREED].i,
			   x[SVL_F_QUOTE_REVISED_TOTAL_FEN].i);
		break;
	case SVL_T_WORK_ORDER_CONFIRMED:
		if (x[SVL_F_WORK_ORDER_CONFIRMED_CUSTOMER_SIGNED].i)
			w->signed_rev =
			    (int)x[SVL_F_WORK_ORDER_CONFIRMED_QUOTE_REVISION].i;
		break;
	default:
		break;
	}
}

static void set_finding(svl__job *w, int64_t no, int state)
{
	if (no >= 1 && no < SVL__FINDINGS)
		w->finding[no] = (uint8_t)state;
}

/* A finding reported (R-WO-4): technical or not, and which quote
 * revision stood then (R-QUO-2: the one carrying it comes after). */
static void found(svl__job *w, const svl_value *x)
{
	int64_t no = x[SVL_F_ADDITIONAL_WORK_FOUND_FINDING_NO].i;
	set_finding(w, no, SVL__FIND_OPEN);
	if (no < 1 || no >= SVL__FINDINGS)
		return;
	w->finding_flags[no] = x[SVL_F_ADDITIONAL_WORK_FOUND_TECHNICAL].i
				   ? SVL__FIND_TECHNICAL
				   : 0;
	w->finding_rev[no] = (uint8_t)w->quote_rev;
}

static void consulted(svl__job *w, const svl_value *x)
{
	const svl_value *no = &x[SVL_F_TECHNICAL_CONSULTATION_FINDING_NO];
	if (no->present && no->i >= 1 && no->i < SVL__FINDINGS)
		w->finding_flags[no->i] |= SVL__FIND_CONSULTED;
}

static void fold_work(svl__job *w, uint32_t type, const svl_value *x)
{
	switch (type) {
	case SVL_T_WORK_DISPATCHED:
		w->dispatched = 1;
		break;
	case SVL_T_ADDITIONAL_WORK_FOUND:
		found(w, x);
		break;
	case SVL_T_TECHNICAL_CONSULTATION:
		consulted(w, x);
		break;
	case SVL_T_ADDITIONAL_WORK_APPROVED:
		set_finding(w, x[SVL_F_ADDITIONAL_WORK_APPROVED_FINDING_NO].i,
			    SVL__FIND_APPROVED);
		break;
	case SVL_T_ADDITIONAL_WORK_DECLINED:
		set_finding(w, x[SVL_F_ADDITIONAL_WORK_DECLINED_FINDING_NO].i,
			    SVL__FIND_DECLINED);
		break;
	case SVL_T_WORK_COMPLETED:
		w->completed = 1;
		w->rework_open = 0;
		w->qc_passed = 0;
		w->qc_failed = 0;
		break;
	case SVL_T_QC_CHECKED:
		if (!x[SVL_F_QC_CHECKED_PASSED].i)
			w->qc_failed = (int)x[SVL_F_QC_CHECKED_STAGE].i + 1;
		else if (w->qc_passed == (int)x[SVL_F_QC_CHECKED_STAGE].i)
			w->qc_passed++;
		break;
	case SVL_T_REWORK_ORDERED:
		w->rework_open = 1;
		w->completed = 0;
		w->qc_failed = 0;
		w->qc_passed = 0;
		break;
	case SVL_T_VEHICLE_READY:
		w->ready = 1;
		break;
	default:
		break;
	}
}

static void fold_after(wo_fold *f, uint32_t type, const svl_value *x)
{
	svl__job *w = f->w;
	switch (type) {
	case SVL_T_SETTLEMENT_ISSUED:
		w->settled = 1;
		w->due_fen = x[SVL_F_SETTLEMENT_ISSUED_TOTAL_FEN].i;
		break;
	case SVL_T_PAYMENT_RECEIVED:
		w->paid_fen += x[SVL_F_PAYMENT_RECEIVED_AMOUNT_FEN].i;
		break;
	case SVL_T_VEHICLE_DELIVERED:
		w->delivered = 1;
		break;
	case SVL_T_FOLLOWUP_ATTEMPTED:
		svl__fu_call(&w->fu, x[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME].i,
			     x[SVL_F_FOLLOWUP_ATTEMPTED_CALLED_AT_MS].i,
			     f->rules);
		break;
	case SVL_T_CONTACT_REVERIFIED: /* R-FU-6: a new round of calls */
		svl__fu_new_round(&w->fu);
		break;
	case SVL_T_OLD_PART_RETURNED:
		w->warranty_old_parts +=
		    x[SVL_F_OLD_PART_RETURNED_WARRANTY].i ? 1 : 0;
		if (w->part &&
		    svl__veq(&x[SVL_F_OLD_PART_RETURNED_PART_NO], w->part))
			w->old_returned_milli +=
			    x[SVL_F_OLD_PART_RETURNED_QTY_MILLI].i;
		break;
	default:
		break;
	}
}

static int wo_step(void *st, const svl_record *r, const svl_event_view *v)
{
	wo_fold *f = st;
	f->w->exists = 1;
	fold_booking(f->w, r->type, v->v);
	fold_work(f->w, r->type, v->v);
	fold_after(f, r->type, v->v);
	return SVL_OK;
}

int svl__job_fold(svl__dctx *c, const svl_value *wo_id, const svl_value *part,
		 svl__job *out)
{
	wo_fold f = {out, c->rules};
	memset(out, 0, sizeof *out);
	out->job_kind = -1;
	svl__fu_init(&out->fu);
	out->part = part;
	return svl__fold(c, "wo", wo_id, 0, wo_step, &f);
}
