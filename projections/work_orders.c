/*
 * work_orders.c - the work-order fold: which event moves a job into which
 * state, and which figures of the job it changes. docs/projections.md
 * ("Work orders") states the state machine and each field in words.
 *
 * Invariants:
 *  1. A job's record changes only through events that name it: its own
 *     wo- stream, parts_issued / parts_returned_to_stock and
 *     complaint_opened carrying its wo_id, complaint_classified of a
 *     complaint that names it, and (for came_back_as) the booking or
 *     reception of a comeback.
 *  2. Every index key ('s', 'a', 't', 'u', 'l', 'n', 'b', 'd') exists
 *     exactly when the
 *     record says so; they are fixed from the record's old and new values
 *     at the end of each event, never patched elsewhere.
 *  3. One event makes at most one transition (its seq keys the row).
 * The fold never refuses an event the log holds: the deciders enforced the
 * order when the event was appended; here an odd order is only recorded.
 */
#include <stdio.h>
#include <string.h>

#include "work_orders_int.h"

#define F(e, T, FIELD) ((e)->v.v[SVL_F_##T##_##FIELD])
#define W(e, X) ((e)->w.v[SVL__WO_##X])
#define S(e, X) ((e)->w.s[SVL__WS_##X])

typedef struct wo_ev {
	svl_proj_ctx *c;
	const svl_record *r;
	svl_event_view v;
	char wo[SVL_WO_ID_MAX + 1];
	size_t wo_len;
	char cmp[SVL_WO_ID_MAX + 1]; /* a complaint's id */
	svl__wo w;
	/* what the indexes said before the event */
	int64_t old_state, old_first, old_delivered;
	char old_adv[SVL_WO_ID_MAX + 1], old_tech[SVL_WO_ID_MAX + 1];
	char old_cust[SVL_WO_ID_MAX + 1], old_plate[SVL_WO_PLATE_MAX + 1];
	char old_vin[SVL_WO_VIN_MAX + 1];
} wo_ev;

static int bad_event(wo_ev *e, const char *what)
{
	return svl_txn_fail(e->c->txn, SVL_ECORRUPT,
			    "work_orders: seq %llu (type %u): %s",
			    (unsigned long long)e->r->seq, e->r->type, what);
}

static int copy_str(wo_ev *e, int slot, const svl_value *v, size_t max)
{
	if (!v->present)
		return SVL_OK; /* optional and absent: keep what we knew */
	return svl__wo_copy_id(e->w.s[slot], v, max)
		   ? SVL_OK
		   : bad_event(e, "an id or plate does not fit");
}

/* ---- state ---- */

static int set_state(wo_ev *e, int state)
{
	if (W(e, STATE) == state)
		return SVL_OK;
	W(e, STATE) = state;
	W(e, STATE_AT_MS) = e->r->occurred_at_ms;
	W(e, TRANSITIONS)++;
	uint8_t k[SVL__WO_KEY_MAX], buf[16], *p = buf;
	size_t kl = svl__wo_key(k, 'x', e->wo, e->wo_len);
	k[kl++] = 0;
	svl__be64_put(k + kl, e->r->seq);
	p = svl__mp_put_array_hdr(p, 2);
	p = svl__mp_put_int(p, state);
	p = svl__mp_put_int(p, e->r->occurred_at_ms);
	/* keyed by seq: never in the table yet */
	return svl__proj_put_new(e->c, k, kl + 8, buf, (size_t)(p - buf));
}

/* Signs of work on a dispatched job: parts, findings, consultations. */
static int in_repair(wo_ev *e)
{
	return W(e, STATE) == SVL_WO_DISPATCHED ? set_state(e, SVL_WO_IN_REPAIR)
						: SVL_OK;
}

/* The advisor: the service_advisor who received the car (rank 3), else
 * quoted (2), else booked or confirmed the booking (1). */
static int advisor(wo_ev *e, int rank)
{
	static const char role[] = "service_advisor";
	if (e->r->role_len != sizeof role - 1 ||
	    memcmp(e->r->role, role, sizeof role - 1) != 0 ||
	    rank < W(e, ADVISOR_RANK))
		return SVL_OK;
	if (e->r->actor_len == 0 || e->r->actor_len > SVL_WO_ID_MAX ||
	    memchr(e->r->actor, 0, e->r->actor_len))
		return bad_event(e, "advisor id does not fit");
	memcpy(S(e, ADVISOR), e->r->actor, e->r->actor_len);
	S(e, ADVISOR)[e->r->actor_len] = '\0';
	W(e, ADVISOR_RANK) = rank;
	return SVL_OK;
}

static void first_seen(wo_ev *e)
{
	if (W(e, FIRST_AT_MS) == 0)
		W(e, FIRST_AT_MS) = e->r->occurred_at_ms;
}

/* Is this job a comeback of the vehicle's last delivered job? Checked at
 * each booking or reception until one says yes (work_orders_int.h). */
static int comeback_check(wo_ev *e)
{
	char prev[SVL_WO_ID_MAX + 1];
	int64_t at;
	if (S(e, COMEBACK_OF)[0] || !svl__comeback_kind(W(e, JOB_KIND)))
		return SVL_OK;
	int rc = svl__vehicle_last(e->c, S(e, VIN), S(e, PLATE), prev, &at);
	if (rc != SVL_OK || !prev[0] || strcmp(prev, e->wo) == 0 ||
	    !svl__comeback_within(at, W(e, FIRST_AT_MS), &e->c->st.rules))
		return rc;
	strcpy(S(e, COMEBACK_OF), prev);
	uint8_t k[SVL__WO_KEY_MAX], buf[SVL__WO_BUF];
	size_t kl = svl__wo_key(k, 'w', prev, strlen(prev));
	const void *v;
	size_t n;
	svl__wo orig;
	if ((rc = svl__proj_get(e->c, k, kl, &v, &n)) != SVL_OK)
		return rc == SVL_ENOTFOUND ? SVL_OK : rc;
	if (!svl__wo_decode(v, n, &orig))
		return bad_event(e, "the original job does not decode");
	if (orig.s[SVL__WS_CAME_BACK_AS][0])
		return SVL_OK; /* the first comeback is the one that counts */
	strcpy(orig.s[SVL__WS_CAME_BACK_AS], e->wo);
	return svl__proj_put(e->c, k, kl, buf, svl__wo_encode(&orig, buf));
}

/* ---- booking and reception ---- */

static int on_booking(wo_ev *e)
{
	int rc = SVL_OK;
	switch (e->r->type) {
	case SVL_T_BOOKING_REQUESTED:
		first_seen(e);
		W(e, BOOKED_AT_MS) = e->r->occurred_at_ms;
		W(e, WANTED_AT_MS) = F(e, BOOKING_REQUESTED, WANTED_AT_MS).i;
		W(e, JOB_KIND) = F(e, BOOKING_REQUESTED, JOB_KIND).i;
		if ((rc = copy_str(e, SVL__WS_CUSTOMER,
				   &F(e, BOOKING_REQUESTED, CUSTOMER_ID),
				   SVL_WO_ID_MAX)) ||
		    (rc = copy_str(e, SVL__WS_PLATE,
				   &F(e, BOOKING_REQUESTED, PLATE),
				   SVL_WO_PLATE_MAX)) ||
		    (rc =
			 copy_str(e, SVL__WS_VIN, &F(e, BOOKING_REQUESTED, VIN),
				  SVL_WO_VIN_MAX)) ||
		    (rc = advisor(e, 1)) || (rc = comeback_check(e)))
			return rc;
		return set_state(e, SVL_WO_BOOKED);
	case SVL_T_BOOKING_CONFIRMED:
		W(e, SLOT_AT_MS) = F(e, BOOKING_CONFIRMED, SLOT_AT_MS).i;
		W(e, EST_LABOR_MIN) = F(e, BOOKING_CONFIRMED, EST_LABOR_MIN).i;
		if ((rc = advisor(e, 1)))
			return rc;
		return set_state(e, SVL_WO_CONFIRMED);
	case SVL_T_BOOKING_RESCHEDULED:
		W(e, SLOT_AT_MS) = F(e, BOOKING_RESCHEDULED, SLOT_AT_MS).i;
		W(e, RESCHEDULES)++;
		return set_state(e, SVL_WO_RESCHEDULED);
	case SVL_T_BOOKING_CANCELLED:
		return set_state(e, SVL_WO_CANCELLED);
	case SVL_T_BOOKING_NO_SHOW:
		return set_state(e, SVL_WO_NO_SHOW);
	default:
		return rc;
	}
}

static int on_reception(wo_ev *e)
{
	int rc;
	first_seen(e);
	W(e, RECEIVED_AT_MS) = e->r->occurred_at_ms;
	W(e, JOB_KIND) = F(e, VEHICLE_RECEIVED, JOB_KIND).i;
	W(e, MILEAGE_KM) = F(e, VEHICLE_RECEIVED, MILEAGE_KM).i;
	if ((rc = copy_str(e, SVL__WS_CUSTOMER,
			   &F(e, VEHICLE_RECEIVED, CUSTOMER_ID),
			   SVL_WO_ID_MAX)) ||
	    (rc = copy_str(e, SVL__WS_PLATE, &F(e, VEHICLE_RECEIVED, PLATE),
			   SVL_WO_PLATE_MAX)) ||
	    (rc = copy_str(e, SVL__WS_VIN, &F(e, VEHICLE_RECEIVED, VIN),
			   SVL_WO_VIN_MAX)) ||
	    (rc = advisor(e, 3)) || (rc = comeback_check(e)))
		return rc;
	return set_state(e, SVL_WO_RECEIVED);
}

/* ---- quotes and the signed work order ---- */

static int on_quote(wo_ev *e)
{
	int rc;
	switch (e->r->type) {
	case SVL_T_QUOTE_ISSUED:
		W(e, QUOTES)++;
		W(e, QUOTE_REVISION) = 1;
		W(e, QUOTE_TOTAL_FEN) = F(e, QUOTE_ISSUED, TOTAL_FEN).i;
		W(e, PROMISED_AT_MS) = F(e, QUOTE_ISSUED, PROMISED_AT_MS).i;
		if ((rc = advisor(e, 2)))
			return rc;
		return set_state(e, SVL_WO_QUOTED);
	case SVL_T_QUOTE_REVISED:
		W(e, QUOTES)++;
		W(e, QUOTE_REVISION) = F(e, QUOTE_REVISED, REVISION).i;
		W(e, QUOTE_TOTAL_FEN) = F(e, QUOTE_REVISED, TOTAL_FEN).i;
		W(e, PROMISED_AT_MS) = F(e, QUOTE_REVISED, PROMISED_AT_MS).i;
		if ((rc = advisor(e, 2)))
			return rc;
		/* R-QUO-2: a revision during repair is recorded, the job
		 * stays where it is */
		return W(e, STATE) < SVL_WO_CONFIRMED_BY_CUSTOMER
			   ? set_state(e, SVL_WO_QUOTED)
			   : SVL_OK;
	default: /* SVL_T_WORK_ORDER_CONFIRMED */
		W(e, PROMISED_AT_MS) =
		    F(e, WORK_ORDER_CONFIRMED, PROMISED_AT_MS).i;
		if (!F(e, WORK_ORDER_CONFIRMED, CUSTOMER_SIGNED).i)
			return SVL_OK; /* R-WO-1: not signed, not confirmed */
		W(e, SIGNED_AT_MS) = e->r->occurred_at_ms;
		W(e, SIGNED_TOTAL_FEN) =
		    F(e, WORK_ORDER_CONFIRMED, TOTAL_FEN).i;
		return set_state(e, SVL_WO_CONFIRMED_BY_CUSTOMER);
	}
}

/* ---- additional work (R-WO-4, R-WO-5) ----
 * One 'f' row per finding keeps its estimate and status, so that a
 * decision taken again (declined, then approved) moves the counts once. */

enum { FIND_FOUND = 0, FIND_APPROVED = 1, FIND_DECLINED = 2 };

static int finding(wo_ev *e, int64_t no, int status, int64_t amount)
{
	uint8_t k[SVL__WO_KEY_MAX], buf[32], *p = buf;
	size_t kl = svl__wo_key(k, 'f', e->wo, e->wo_len);
	k[kl++] = 0;
	k[kl++] = (uint8_t)no;
	int64_t est = 0, old = -1, old_amount = 0;
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, k, kl, &v, &n);
	if (rc == SVL_OK) {
		svl_mp_reader r = {v, (const uint8_t *)v + n};
		uint32_t len;
		if (!svl__mp_read_array(&r, &len) || len != 3 ||
		    !svl__rd_i64(&r, &est) || !svl__rd_i64(&r, &old) ||
		    !svl__rd_i64(&r, &old_amount))
			return bad_event(e, "finding record");
	} else if (rc != SVL_ENOTFOUND) {
		return rc;
	}
	if (status == FIND_FOUND) {
		W(e, ADDL_FOUND) += old < 0;
		W(e, ADDL_FOUND_FEN) += amount - est;
		est = amount;
		status = old < 0 ? FIND_FOUND : (int)old;
		amount = old_amount;
	} else {
		if (old == FIND_APPROVED) {
			W(e, ADDL_APPROVED)--;
			W(e, ADDL_APPROVED_FEN) -= old_amount;
		} else if (old == FIND_DECLINED) {
			W(e, ADDL_DECLINED)--;
			W(e, ADDL_DECLINED_FEN) -= est;
		}
		if (status == FIND_APPROVED) {
			W(e, ADDL_APPROVED)++;
			W(e, ADDL_APPROVED_FEN) += amount;
		} else {
			W(e, ADDL_DECLINED)++;
			W(e, ADDL_DECLINED_FEN) += est;
		}
	}
	p = svl__mp_put_array_hdr(p, 3);
	p = svl__mp_put_int(p, est);
	p = svl__mp_put_int(p, status);
	p = svl__mp_put_int(p, amount);
	return svl__proj_put(e->c, k, kl, buf, (size_t)(p - buf));
}

static int on_additional(wo_ev *e)
{
	int rc;
	switch (e->r->type) {
	case SVL_T_ADDITIONAL_WORK_FOUND:
		rc = finding(e, F(e, ADDITIONAL_WORK_FOUND, FINDING_NO).i,
			     FIND_FOUND,
			     F(e, ADDITIONAL_WORK_FOUND, EST_AMOUNT_FEN).i);
		return rc ? rc : in_repair(e);
	case SVL_T_ADDITIONAL_WORK_APPROVED:
		if (!F(e, ADDITIONAL_WORK_APPROVED, CUSTOMER_SIGNED).i)
			return SVL_OK; /* R-WO-5: no signature, no approval */
		return finding(e, F(e, ADDITIONAL_WORK_APPROVED, FINDING_NO).i,
			       FIND_APPROVED,
			       F(e, ADDITIONAL_WORK_APPROVED, AMOUNT_FEN).i);
	case SVL_T_ADDITIONAL_WORK_DECLINED:
		return finding(e, F(e, ADDITIONAL_WORK_DECLINED, FINDING_NO).i,
			       FIND_DECLINED, 0);
	default: /* SVL_T_TECHNICAL_CONSULTATION */
		W(e, CONSULTATIONS)++;
		return in_repair(e);
	}
}

/* ---- workshop and quality checks (R-WO-2, R-QC-1, R-QC-3) ---- */

static int on_workshop(wo_ev *e)
{
	int64_t stage;
	int rc;
	switch (e->r->type) {
	case SVL_T_WORK_DISPATCHED:
		W(e, DISPATCHED_AT_MS) = e->r->occurred_at_ms;
		if (F(e, WORK_DISPATCHED, EST_LABOR_MIN).present)
			W(e, EST_LABOR_MIN) =
			    F(e, WORK_DISPATCHED, EST_LABOR_MIN).i;
		if ((rc = copy_str(e, SVL__WS_TECHNICIAN,
				   &F(e, WORK_DISPATCHED, TECHNICIAN_ID),
				   SVL_WO_ID_MAX)))
			return rc;
		return set_state(e, SVL_WO_DISPATCHED);
	case SVL_T_WORK_COMPLETED:
		W(e, LABOR_MIN) += F(e, WORK_COMPLETED, LABOR_MIN).i;
		W(e, COMPLETED_AT_MS) = e->r->occurred_at_ms;
		if (!S(e, TECHNICIAN)[0] && /* never dispatched */
		    (rc = copy_str(e, SVL__WS_TECHNICIAN,
				   &F(e, WORK_COMPLETED, TECHNICIAN_ID),
				   SVL_WO_ID_MAX)))
			return rc;
		return set_state(e, SVL_WO_COMPLETED);
	case SVL_T_QC_CHECKED:
		stage = F(e, QC_CHECKED, STAGE).i;
		if (stage < 0 || stage >= SVL_QC_STAGE__COUNT)
			return bad_event(e, "unknown qc stage");
		if (F(e, QC_CHECKED, PASSED).i) {
			e->w.v[SVL__WO_QC_PASSED_0 + stage]++;
			return set_state(e, SVL_WO_IN_QC);
		}
		e->w.v[SVL__WO_QC_FAILED_0 + stage]++;
		return set_state(e, SVL_WO_REWORK);
	case SVL_T_REWORK_ORDERED:
		stage = F(e, REWORK_ORDERED, FAILED_STAGE).i;
		if (stage < 0 || stage >= SVL_QC_STAGE__COUNT)
			return bad_event(e, "unknown qc stage");
		e->w.v[SVL__WO_REWORKS_0 + stage]++;
		return set_state(e, SVL_WO_REWORK);
	default: /* SVL_T_VEHICLE_READY */
		W(e, READY_AT_MS) = e->r->occurred_at_ms;
		return set_state(e, SVL_WO_READY);
	}
}

/* ---- settlement, payment, delivery (R-SET-1, R-SET-2) ---- */

static int on_settlement(wo_ev *e)
{
	switch (e->r->type) {
	case SVL_T_SETTLEMENT_ISSUED:
		W(e, LABOR_FEN) = F(e, SETTLEMENT_ISSUED, LABOR_FEN).i;
		W(e, PARTS_FEN) = F(e, SETTLEMENT_ISSUED, PARTS_FEN).i;
		W(e, MATERIALS_FEN) = F(e, SETTLEMENT_ISSUED, MATERIALS_FEN).i;
		W(e, DISCOUNT_FEN) = F(e, SETTLEMENT_ISSUED, DISCOUNT_FEN).i;
		W(e, WARRANTY_FEN) = F(e, SETTLEMENT_ISSUED, WARRANTY_FEN).i;
		W(e, TOTAL_FEN) = F(e, SETTLEMENT_ISSUED, TOTAL_FEN).i;
		W(e, SETTLED_AT_MS) = e->r->occurred_at_ms;
		/* paid before the settlement (a deposit covering it) */
		if (W(e, PAYMENTS) > 0 && W(e, PAID_FEN) >= W(e, TOTAL_FEN)) {
			W(e, PAID_AT_MS) = e->r->occurred_at_ms;
			return set_state(e, SVL_WO_PAID);
		}
		W(e, PAID_AT_MS) = 0;
		return set_state(e, SVL_WO_SETTLED);
	case SVL_T_PAYMENT_RECEIVED:
		W(e, PAYMENTS)++;
		W(e, PAID_FEN) += F(e, PAYMENT_RECEIVED, AMOUNT_FEN).i;
		if (W(e, SETTLED_AT_MS) == 0 || W(e, PAID_AT_MS) != 0 ||
		    W(e, PAID_FEN) < W(e, TOTAL_FEN))
			return SVL_OK;
		W(e, PAID_AT_MS) = e->r->occurred_at_ms;
		return W(e, STATE) == SVL_WO_SETTLED ? set_state(e, SVL_WO_PAID)
						     : SVL_OK;
	default: { /* SVL_T_VEHICLE_DELIVERED */
		W(e, DELIVERED_AT_MS) = e->r->occurred_at_ms;
		int rc = svl__vehicle_delivered(e->c, S(e, VIN), S(e, PLATE),
						e->wo, e->r->occurred_at_ms);
		return rc ? rc : set_state(e, SVL_WO_DELIVERED);
	}
	}
}

/* ---- follow-up (R-FU-1..6) ---- */

static void fu_load(const wo_ev *e, svl__fu_round *f)
{
	f->result = W(e, FU_RESULT);
	f->unreached = W(e, FU_UNREACHED);
	f->parts = W(e, FU_PARTS);
	f->last = W(e, FU_LAST);
	f->failing = W(e, FU_FAILING);
}

static void fu_store(wo_ev *e, const svl__fu_round *f)
{
	W(e, FU_RESULT) = f->result;
	W(e, FU_UNREACHED) = f->unreached;
	W(e, FU_PARTS) = f->parts;
	W(e, FU_LAST) = f->last;
	W(e, FU_FAILING) = f->failing;
}

/* A call, or a re-verified contact (a new round of calls, R-FU-6). The
 * job is following_up while its follow-up is open, closed once reached
 * or failed (model/followup.c has the predicate, the deciders' too). */
static int on_followup(wo_ev *e)
{
	svl__fu_round f;
	int64_t at = e->r->occurred_at_ms;
	fu_load(e, &f);
	int64_t before = f.result;
	if (e->r->type == SVL_T_CONTACT_REVERIFIED) {
		W(e, REVERIFICATIONS)++;
		svl__fu_new_round(&f);
	} else {
		int64_t outcome = F(e, FOLLOWUP_ATTEMPTED, OUTCOME).i;
		const svl_value *score =
		    &F(e, FOLLOWUP_ATTEMPTED, SATISFACTION_SCORE);
		at = F(e, FOLLOWUP_ATTEMPTED, CALLED_AT_MS).i;
		W(e, FU_ATTEMPTS)++;
		if (W(e, FU_FIRST_AT_MS) == 0)
			W(e, FU_FIRST_AT_MS) = at;
		W(e, FU_LAST_AT_MS) = at;
		svl__fu_call(&f, outcome, at, &e->c->st.rules);
		if (outcome == SVL_FU_OUTCOME_REACHED && score->present &&
		    W(e, SATISFACTION_SCORE) == 0)
			W(e, SATISFACTION_SCORE) = score->i;
	}
	fu_store(e, &f);
	if (f.result != before)
		W(e, FU_CLOSED_AT_MS) = f.result == SVL_FU_OPEN ? 0 : at;
	if (f.result == SVL_FU_NONE ||
	    (e->r->type == SVL_T_CONTACT_REVERIFIED && f.result == before))
		return SVL_OK;
	return set_state(e, f.result == SVL_FU_OPEN ? SVL_WO_FOLLOWING_UP
						    : SVL_WO_CLOSED);
}

/* ---- parts (part- streams naming the job) ---- */

static int on_parts(wo_ev *e)
{
	int issued = e->r->type == SVL_T_PARTS_ISSUED;
	const svl_value *part = issued
				    ? &F(e, PARTS_ISSUED, PART_NO)
				    : &F(e, PARTS_RETURNED_TO_STOCK, PART_NO);
	int64_t qty = issued ? F(e, PARTS_ISSUED, QTY_MILLI).i
			     : F(e, PARTS_RETURNED_TO_STOCK, QTY_MILLI).i;
	char pn[SVL_WO_ID_MAX + 1];
	if (!svl__wo_copy_id(pn, part, SVL_WO_ID_MAX) || !pn[0])
		return bad_event(e, "part number");
	uint8_t k[SVL__WO_KEY_MAX], buf[48], *p = buf;
	size_t kl = svl__wo_key2(k, 'p', e->wo, e->wo_len, pn, strlen(pn));
	int64_t f[4] = {0, 0, 0, 0}; /* issued, returned, issues, returns */
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, k, kl, &v, &n);
	if (rc == SVL_OK) {
		svl_mp_reader r = {v, (const uint8_t *)v + n};
		uint32_t len;
		if (!svl__mp_read_array(&r, &len) || len != 4)
			return bad_event(e, "parts record");
		for (int i = 0; i < 4; i++)
			if (!svl__rd_i64(&r, &f[i]))
				return bad_event(e, "parts record");
	} else if (rc != SVL_ENOTFOUND) {
		return rc;
	}
	f[issued ? 0 : 1] += qty;
	f[issued ? 2 : 3]++;
	W(e, PARTS_ISSUES) += issued;
	W(e, PARTS_ISSUED_MILLI) += issued ? qty : 0;
	W(e, PARTS_RETURNS) += !issued;
	W(e, PARTS_RETURNED_MILLI) += issued ? 0 : qty;
	p = svl__mp_put_array_hdr(p, 4);
	for (int i = 0; i < 4; i++)
		p = svl__mp_put_int(p, f[i]);
	if ((rc = svl__proj_put(e->c, k, kl, buf, (size_t)(p - buf))))
		return rc;
	return issued ? in_repair(e) : SVL_OK;
}

static int on_old_part(wo_ev *e)
{
	W(e, OLD_PARTS_RETURNED)++;
	return in_repair(e);
}

/* ---- complaints naming the job (R-CMP-2, R-CMP-5) ---- */

static int complaint_row(wo_ev *e, const char *cmp, int64_t sev)
{
	uint8_t k[SVL__WO_KEY_MAX], buf[8], *p = buf;
	size_t kl = svl__wo_key2(k, 'k', e->wo, e->wo_len, cmp, strlen(cmp));
	int64_t old_sev = -1, old_major = 0;
	int64_t major = sev >= 0 && sev < 32 &&
			((e->c->st.rules.major_complaint_mask >> sev) & 1u);
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, k, kl, &v, &n);
	if (rc == SVL_OK) {
		svl_mp_reader r = {v, (const uint8_t *)v + n};
		uint32_t len;
		if (!svl__mp_read_array(&r, &len) || len != 2 ||
		    !svl__mp_read_int(&r, &old_sev) ||
		    !svl__rd_i64(&r, &old_major))
			return bad_event(e, "complaint record");
		if (sev < 0)
			return SVL_OK; /* opened twice: counted once */
	} else if (rc != SVL_ENOTFOUND) {
		return rc;
	} else {
		W(e, COMPLAINTS)++;
	}
	W(e, MAJOR_COMPLAINTS) += major - old_major;
	p = svl__mp_put_array_hdr(p, 2);
	p = svl__mp_put_int(p, sev);
	p = svl__mp_put_int(p, major);
	return svl__proj_put(e->c, k, kl, buf, (size_t)(p - buf));
}

static int on_complaint(wo_ev *e)
{
	const char *cmp = e->cmp;
	if (e->r->type == SVL_T_COMPLAINT_CLASSIFIED)
		return complaint_row(e, cmp,
				     F(e, COMPLAINT_CLASSIFIED, SEVERITY).i);
	uint8_t k[1 + SVL_WO_ID_MAX], buf[8 + SVL_WO_ID_MAX];
	uint8_t *p = svl__mp_put_str(buf, e->wo, (uint32_t)e->wo_len);
	int rc = svl__proj_put(e->c, k, svl__wo_key(k, 'c', cmp, strlen(cmp)),
			       buf, (size_t)(p - buf));
	return rc ? rc : complaint_row(e, cmp, -1);
}

/* ---- one event ---- */

/* The job's id is field 0 of every wo- stream type the fold reads. */
#define WO_FIRST(T) _Static_assert(SVL_F_##T##_WO_ID == 0, #T)
WO_FIRST(BOOKING_REQUESTED);
WO_FIRST(BOOKING_CONFIRMED);
WO_FIRST(BOOKING_RESCHEDULED);
WO_FIRST(BOOKING_CANCELLED);
WO_FIRST(BOOKING_NO_SHOW);
WO_FIRST(VEHICLE_RECEIVED);
WO_FIRST(INSPECTION_RECORDED);
WO_FIRST(QUOTE_ISSUED);
WO_FIRST(QUOTE_REVISED);
WO_FIRST(WORK_ORDER_CONFIRMED);
WO_FIRST(WORK_DISPATCHED);
WO_FIRST(ADDITIONAL_WORK_FOUND);
WO_FIRST(ADDITIONAL_WORK_APPROVED);
WO_FIRST(ADDITIONAL_WORK_DECLINED);
WO_FIRST(TECHNICAL_CONSULTATION);
WO_FIRST(WORK_COMPLETED);
WO_FIRST(QC_CHECKED);
WO_FIRST(REWORK_ORDERED);
WO_FIRST(VEHICLE_READY);
WO_FIRST(SETTLEMENT_ISSUED);
WO_FIRST(PAYMENT_RECEIVED);
WO_FIRST(VEHICLE_DELIVERED);
WO_FIRST(FOLLOWUP_ATTEMPTED);
WO_FIRST(CONTACT_REVERIFIED);
WO_FIRST(OLD_PART_RETURNED);
#undef WO_FIRST

static int on_inspection(wo_ev *e)
{
	W(e, INSPECTED_AT_MS) = e->r->occurred_at_ms;
	return set_state(e, SVL_WO_INSPECTED);
}

typedef int (*wo_fn)(wo_ev *e);

/* The handler of an event type, NULL for the types the fold skips. */
static wo_fn handler_of(uint32_t type)
{
	switch (type) {
	case SVL_T_BOOKING_REQUESTED:
	case SVL_T_BOOKING_CONFIRMED:
	case SVL_T_BOOKING_RESCHEDULED:
	case SVL_T_BOOKING_CANCELLED:
	case SVL_T_BOOKING_NO_SHOW:
		return on_booking;
	case SVL_T_VEHICLE_RECEIVED:
		return on_reception;
	case SVL_T_INSPECTION_RECORDED:
		return on_inspection;
	case SVL_T_QUOTE_ISSUED:
	case SVL_T_QUOTE_REVISED:
	case SVL_T_WORK_ORDER_CONFIRMED:
		return on_quote;
	case SVL_T_ADDITIONAL_WORK_FOUND:
	case SVL_T_ADDITIONAL_WORK_APPROVED:
	case SVL_T_ADDITIONAL_WORK_DECLINED:
	case SVL_T_TECHNICAL_CONSULTATION:
		return on_additional;
	case SVL_T_WORK_DISPATCHED:
	case SVL_T_WORK_COMPLETED:
	case SVL_T_QC_CHECKED:
	case SVL_T_REWORK_ORDERED:
	case SVL_T_VEHICLE_READY:
		return on_workshop;
	case SVL_T_SETTLEMENT_ISSUED:
	case SVL_T_PAYMENT_RECEIVED:
	case SVL_T_VEHICLE_DELIVERED:
		return on_settlement;
	case SVL_T_FOLLOWUP_ATTEMPTED:
	case SVL_T_CONTACT_REVERIFIED:
		return on_followup;
	case SVL_T_OLD_PART_RETURNED:
		return on_old_part;
	case SVL_T_PARTS_ISSUED:
	case SVL_T_PARTS_RETURNED_TO_STOCK:
		return on_parts;
	case SVL_T_COMPLAINT_OPENED:
	case SVL_T_COMPLAINT_CLASSIFIED:
		return on_complaint;
	default:
		return NULL;
	}
}

/* The job an event names into e->wo (and a complaint's id into e->cmp);
 * returns 1, or 0 when it names none. */
static int job_of(wo_ev *e)
{
	char *cmp = e->cmp;
	const svl_value *id = &e->v.v[0];
	switch (e->r->type) {
	case SVL_T_PARTS_ISSUED:
		id = &F(e, PARTS_ISSUED, WO_ID);
		break;
	case SVL_T_PARTS_RETURNED_TO_STOCK:
		id = &F(e, PARTS_RETURNED_TO_STOCK, WO_ID);
		break;
	case SVL_T_COMPLAINT_OPENED:
		id = &F(e, COMPLAINT_OPENED, WO_ID);
		if (!svl__wo_copy_id(cmp, &F(e, COMPLAINT_OPENED, CMP_ID),
				     SVL_WO_ID_MAX))
			return bad_event(e, "complaint id");
		break;
	case SVL_T_COMPLAINT_CLASSIFIED: {
		if (!svl__wo_copy_id(cmp, &F(e, COMPLAINT_CLASSIFIED, CMP_ID),
				     SVL_WO_ID_MAX))
			return bad_event(e, "complaint id");
		uint8_t k[1 + SVL_WO_ID_MAX];
		const void *v;
		size_t n;
		int rc = svl__proj_get(
		    e->c, k, svl__wo_key(k, 'c', cmp, strlen(cmp)), &v, &n);
		if (rc != SVL_OK)
			return rc == SVL_ENOTFOUND ? 0 : rc;
		svl_mp_reader r = {v, (const uint8_t *)v + n};
		const char *s;
		uint32_t len;
		if (!svl__mp_read_str(&r, &s, &len) || len > SVL_WO_ID_MAX)
			return bad_event(e, "complaint record");
		memcpy(e->wo, s, len);
		e->wo[len] = '\0';
		e->wo_len = len;
		return 1;
	}
	default:
		break;
	}
	if (!id->present)
		return 0;
	if (!svl__wo_copy_id(e->wo, id, SVL_WO_ID_MAX))
		return bad_event(e, "work order id");
	e->wo_len = id->len;
	return 1;
}

static int load(wo_ev *e)
{
	uint8_t k[1 + SVL_WO_ID_MAX];
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, k, svl__wo_key(k, 'w', e->wo, e->wo_len),
			       &v, &n);
	if (rc == SVL_ENOTFOUND)
		svl__wo_init(&e->w);
	else if (rc != SVL_OK)
		return rc;
	else if (!svl__wo_decode(v, n, &e->w))
		return bad_event(e, "the job's record does not decode");
	e->old_state = W(e, STATE);
	e->old_first = W(e, FIRST_AT_MS);
	e->old_delivered = W(e, DELIVERED_AT_MS);
	strcpy(e->old_adv, S(e, ADVISOR));
	strcpy(e->old_tech, S(e, TECHNICIAN));
	strcpy(e->old_cust, S(e, CUSTOMER));
	strcpy(e->old_plate, S(e, PLATE));
	strcpy(e->old_vin, S(e, VIN));
	return SVL_OK;
}

static int reindex_day(wo_ev *e, char tag, int64_t old_ms, int64_t new_ms)
{
	const svl_rules *ru = &e->c->st.rules;
	uint8_t a[SVL__WO_KEY_MAX], b[SVL__WO_KEY_MAX];
	size_t al = svl__wo_key_day(a, tag, svl_rules_local_day(ru, old_ms),
				    e->wo, e->wo_len);
	size_t bl = svl__wo_key_day(b, tag, svl_rules_local_day(ru, new_ms),
				    e->wo, e->wo_len);
	return svl__proj_reindex(e->c, a, al, old_ms != 0, b, bl, new_ms != 0);
}

static int reindex_id(wo_ev *e, char tag, const char *old, const char *now)
{
	uint8_t a[SVL__WO_KEY_MAX], b[SVL__WO_KEY_MAX];
	size_t al = svl__wo_key2(a, tag, old, strlen(old), e->wo, e->wo_len);
	size_t bl = svl__wo_key2(b, tag, now, strlen(now), e->wo, e->wo_len);
	return svl__proj_reindex(e->c, a, al, old[0] != 0, b, bl, now[0] != 0);
}

static int save(wo_ev *e)
{
	uint8_t k[SVL__WO_KEY_MAX], buf[SVL__WO_BUF];
	int rc = svl__proj_put(e->c, k, svl__wo_key(k, 'w', e->wo, e->wo_len),
			       buf, svl__wo_encode(&e->w, buf));
	uint8_t a[SVL__WO_KEY_MAX], b[SVL__WO_KEY_MAX];
	a[0] = b[0] = 's';
	a[1] = (uint8_t)e->old_state;
	b[1] = (uint8_t)W(e, STATE);
	memcpy(a + 2, e->wo, e->wo_len);
	memcpy(b + 2, e->wo, e->wo_len);
	if (rc == SVL_OK)
		rc =
		    svl__proj_reindex(e->c, a, e->wo_len + 2, e->old_state != 0,
				      b, e->wo_len + 2, W(e, STATE) != 0);
	if (rc == SVL_OK)
		rc = reindex_id(e, 'a', e->old_adv, S(e, ADVISOR));
	if (rc == SVL_OK)
		rc = reindex_id(e, 't', e->old_tech, S(e, TECHNICIAN));
	if (rc == SVL_OK) /* the DMS's lookups: customer, plate, VIN */
		rc = reindex_id(e, 'u', e->old_cust, S(e, CUSTOMER));
	if (rc == SVL_OK)
		rc = reindex_id(e, 'l', e->old_plate, S(e, PLATE));
	if (rc == SVL_OK)
		rc = reindex_id(e, 'n', e->old_vin, S(e, VIN));
	if (rc == SVL_OK)
		rc = reindex_day(e, 'b', e->old_first, W(e, FIRST_AT_MS));
	if (rc == SVL_OK)
		rc = reindex_day(e, 'd', e->old_delivered,
				 W(e, DELIVERED_AT_MS));
	return rc;
}

static int wo_apply(svl_proj_ctx *c, const svl_record *r)
{
	wo_fn fn = handler_of(r->type);
	if (!fn)
		return SVL_OK; /* skipped before decoding */
	wo_ev e;
	e.c = c;
	e.r = r;
	e.cmp[0] = '\0';
	int rc = svl_event_decode(&e.v, r->type, r->schema_version, r->payload,
				  r->payload_len);
	if (rc != SVL_OK)
		return svl_txn_fail(c->txn, rc,
				    "work_orders: seq %llu (type %u) does not "
				    "decode",
				    (unsigned long long)r->seq, r->type);
	if ((rc = job_of(&e)) <= 0)
		return rc;
	if ((rc = load(&e)) != SVL_OK || (rc = fn(&e)) != SVL_OK)
		return rc;
	return save(&e);
}

const svl_proj_def svl__proj_work_orders = {"work_orders", 4, wo_apply,
					    svl__wo_describe};
