/*
 * decide_workshop.c - a job from booking to delivery.
 *
 *   R-BKG-2  a booking opens the job; confirming, moving or cancelling one
 *            needs it to exist and be live.
 *   R-BKG-3  a maintenance booking is confirmed only after the parts check
 *            (parts_short stated); short parts need a confirmed arrival
 *            date, and the slot is on or after it.
 *   R-BKG-4  a day takes at most day_capacity_jobs confirmed jobs (local
 *            day of the slot); a full day means proposing another time.
 *   R-REC-1  three protective covers are laid at reception.
 *   R-REC-2  the customer confirms the reception sheet (waivable).
 *   R-REC-3  price and ready time are estimated at reception (waivable).
 *   R-INS-1  the inspection checklist is recorded whole, in its order;
 *            the quote and the work come after it.
 *   R-QUO-1  a quote is for an existing job; one that lists its lines
 *            totals them: labour and materials amounts plus each part's
 *            qty_milli * unit_price_fen / 1000 (model/money.c). A quote
 *            with no line at all is a lump sum, not checked.
 *   R-QUO-2  a revised quote carries the next revision number; approved
 *            additional work names the revision carrying it; the
 *            settlement is the latest agreed revision's total.
 *   R-QUO-3  a quoted part that is not in stock has its arrival date.
 *   R-WO-1   the customer signs the work order, for the latest agreed
 *            quote, before work is dispatched or completed.
 *   R-WO-2   work goes to a person who holds the technician role; no
 *            completion, check or delivery without that dispatch.
 *   R-BKG-7  a job with a warranty warning is not dispatched before the
 *            supervisor took it over (decide_front.c, which folds the
 *            warning and the hand-off).
 *   R-WO-4   a technical finding is consulted with the technical director
 *            before the customer decides on it and before completion.
 *   R-WO-5   additional work is approved with the customer's signature; a
 *            finding is approved or declined once; work is completed only
 *            when every finding is decided.
 *   R-QC-1   self, group and final checks in that order after the work is
 *            completed; a failed check stops the round until rework is
 *            ordered and the work completed again; the car is ready only
 *            after the final check passed.
 *   R-QC-2   a warranty job's old parts are recovered to the warranty
 *            ledger, not handed to the customer (decide_followup.c).
 *   R-SET-1  the settlement adds up and is signed; payment follows it.
 *
 * State: the wo- stream (svl__job_fold) and, for R-BKG-4, the decider
 * index's confirmed slots.
 */
#include "decide_int.h"

static int job(svl__dctx *c, svl__job *w)
{
	return svl__job_fold(c, &c->v.v[0], NULL, w); /* wo_id is field 0 */
}

static int refuse_no_booking(svl__dctx *c, const svl__job *w)
{
	return svl__refuse(c, "R-BKG-2", "job %.*s has %s", SVL__V(c->v.v[0]),
			   w->cancelled ? "a cancelled booking" : "no booking");
}

/* R-BKG-4: the slot's local day has room. */
static int check_capacity(svl__dctx *c, int64_t slot_ms)
{
	uint32_t cap = (uint32_t)c->rules->day_capacity_jobs, n;
	char day[16];
	if (cap == 0)
		return SVL_OK;
	int64_t d = svl__local_day(slot_ms, c->rules->tz_offset_min);
	int64_t from = svl__day_start_ms(d, c->rules->tz_offset_min);
	int rc = svl__index_jobs_between(c, from, from + SVL__DAY_MS,
					 &c->v.v[0], &n);
	if (rc != SVL_OK || n < cap)
		return rc;
	return svl__refuse(c, "R-BKG-4",
			   "%s already has %u confirmed job%s "
			   "(capacity %u); propose the customer another day",
			   svl__fmt_day(day, sizeof day, d), n,
			   n == 1 ? "" : "s", cap);
}

/* R-BKG-3 */
static int check_parts(svl__dctx *c, const svl__job *w, int64_t slot_ms)
{
	const svl_value *shrt = SVL__F(c, SVL_F_BOOKING_CONFIRMED_PARTS_SHORT);
	const svl_value *date =
	    SVL__F(c, SVL_F_BOOKING_CONFIRMED_PARTS_ARRIVAL_DATE);
	char d[16];
	if (w->job_kind == SVL_JOB_KIND_MAINTENANCE && !shrt->present)
		return svl__refuse(c, "R-BKG-3",
				   "maintenance booking %.*s is "
				   "confirmed after checking parts stock (say "
				   "whether parts are short)",
				   SVL__V(c->v.v[0]));
	if (!shrt->present || !shrt->i)
		return SVL_OK;
	if (!date->present)
		return svl__refuse(
		    c, "R-BKG-3",
		    "parts are short for %.*s: the "
		    "customer waits only with a confirmed parts "
		    "arrival date; otherwise re-time the booking",
		    SVL__V(c->v.v[0]));
	if (svl__local_day(slot_ms, c->rules->tz_offset_min) < date->i)
		return svl__refuse(c, "R-BKG-3",
				   "the parts for %.*s arrive on "
				   "%s, after the slot; re-time the booking",
				   SVL__V(c->v.v[0]),
				   svl__fmt_day(d, sizeof d, date->i));
	return SVL_OK;
}

static int decide_booking_event(svl__dctx *c)
{
	svl__job w;
	int rc = job(c, &w);
	if (rc != SVL_OK)
		return rc;
	int64_t slot;
	switch (c->ev->type) {
	case SVL_T_BOOKING_REQUESTED:
		if (w.exists)
			return svl__refuse(c, "R-BKG-2",
					   "job %.*s already "
					   "exists",
					   SVL__V(c->v.v[0]));
		return SVL_OK;
	case SVL_T_BOOKING_CONFIRMED:
		if (!w.requested || w.cancelled)
			return refuse_no_booking(c, &w);
		slot = SVL__F(c, SVL_F_BOOKING_CONFIRMED_SLOT_AT_MS)->i;
		if ((rc = check_parts(c, &w, slot)) != SVL_OK)
			return rc;
		return check_capacity(c, slot);
	case SVL_T_BOOKING_RESCHEDULED:
		if (!w.requested || w.cancelled)
			return refuse_no_booking(c, &w);
		slot = SVL__F(c, SVL_F_BOOKING_RESCHEDULED_SLOT_AT_MS)->i;
		return w.confirmed ? check_capacity(c, slot) : SVL_OK;
	case SVL_T_BOOKING_CANCELLED:
	case SVL_T_BOOKING_NO_SHOW:
	case SVL_T_BOOKING_REMINDED:
		if (!w.requested || w.cancelled)
			return refuse_no_booking(c, &w);
		return SVL_OK;
	default:
		return SVL_OK;
	}
}

int svl__decide_booking(svl__dctx *c)
{
	if (c->ev->type < SVL_T_BOOKING_REQUESTED ||
	    c->ev->type > SVL_T_BOOKING_REMINDED)
		return SVL_OK;
	return decide_booking_event(c);
}

/* ---- reception, quotes, the signed work order ---- */

/* R-REC-3: the price and the ready time are estimated at reception and
 * the customer agrees them (customer_confirmed, R-REC-2). */
static int check_estimate(svl__dctx *c)
{
	int amount = SVL__F(c, SVL_F_VEHICLE_RECEIVED_EST_AMOUNT_FEN)->present;
	int ready = SVL__F(c, SVL_F_VEHICLE_RECEIVED_EST_READY_AT_MS)->present;
	if ((amount && ready) || svl__waives(c->rules, SVL__W_REC_ESTIMATE))
		return SVL_OK;
	return svl__refuse(c, "R-REC-3",
			   "the reception sheet of %.*s has no estimated %s; "
			   "estimate the price and the ready time and have "
			   "the customer agree them",
			   SVL__V(c->v.v[0]),
			   !amount && !ready ? "price or ready time"
			   : !amount	     ? "price"
					     : "ready time");
}

static int decide_received(svl__dctx *c, const svl__job *w)
{
	int64_t covers = SVL__F(c, SVL_F_VEHICLE_RECEIVED_COVERS_LAID)->i;
	if (w->received)
		return svl__refuse(c, "R-REC-2",
				   "the vehicle of job %.*s is "
				   "already received",
				   SVL__V(c->v.v[0]));
	if (covers != 3)
		return svl__refuse(c, "R-REC-1",
				   "three protective covers are "
				   "laid at reception, not %lld",
				   (long long)covers);
	if (!SVL__F(c, SVL_F_VEHICLE_RECEIVED_CUSTOMER_CONFIRMED)->i &&
	    !svl__waives(c->rules, SVL__W_REC_CONFIRMED))
		return svl__refuse(c, "R-REC-2",
				   "the customer has not confirmed the "
				   "reception sheet of %.*s; walk around the "
				   "car with the customer and have the sheet "
				   "(damage, valuables) confirmed",
				   SVL__V(c->v.v[0]));
	return check_estimate(c);
}

#define INS_STEPS SVL_INS_STEP__COUNT /* the seed's pre-check checklist */

_Static_assert(INS_STEPS == 7 && SVL_INS_STEP_VALUABLES == INS_STEPS - 1,
	       "R-INS-1: the checklist has seven steps, valuables last");

/* R-INS-1: the steps of the checklist the inspection left out. */
static int refuse_missing_steps(svl__dctx *c, unsigned done, int n)
{
	static const char *const names[INS_STEPS] = {
	    "hood",	  "plate and VIN", "engine bay fluids", "body",
	    "spare tire", "gauges",	   "valuables"};
	char missing[128];
	size_t used = 0;
	missing[0] = '\0';
	for (int k = 0; k < INS_STEPS; k++) {
		if (done & (1u << k))
			continue;
		int w = snprintf(missing + used, sizeof missing - used, "%s%s",
				 used ? ", " : "", names[k]);
		if (w < 0 || (size_t)w >= sizeof missing - used)
			break;
		used += (size_t)w;
	}
	return svl__refuse(c, "R-INS-1",
			   "the inspection of %.*s records %d of the %d "
			   "checklist steps; the pre-check form also needs: %s",
			   SVL__V(c->v.v[0]), n, INS_STEPS, missing);
}

/* R-INS-1: the whole checklist, walked in its order. */
static int decide_inspection(svl__dctx *c, const svl__job *w)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int64_t last = -1;
	unsigned done = 0;
	int n = 0;
	if (!w->exists)
		return svl__refuse(c, "R-INS-1", "there is no job %.*s",
				   SVL__V(c->v.v[0]));
	int rc = svl_event_array_begin(&it, &c->v,
				       SVL_F_INSPECTION_RECORDED_CHECKLIST);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		int64_t step = el[SVL_F_INSPECTION_RECORDED_CHECKLIST_STEP].i;
		if (step <= last)
			return svl__refuse(
			    c, "R-INS-1",
			    "the inspection of "
			    "%.*s lists '%.*s' out of order (hood, "
			    "plate and VIN, engine bay, body, spare "
			    "tire, gauges, valuables)",
			    SVL__V(c->v.v[0]),
			    SVL__V(
				el[SVL_F_INSPECTION_RECORDED_CHECKLIST_STEP]));
		last = step;
		done |= 1u << step;
		n++;
	}
	if (rc != SVL_ITEROVER)
		return rc;
	return n == INS_STEPS ? SVL_OK : refuse_missing_steps(c, done, n);
}

/* R-INS-1: a quote, and work, come after the inspection. */
static int require_inspected(svl__dctx *c, const svl__job *w, const char *what)
{
	if (w->inspected || !w->exists)
		return SVL_OK;
	return svl__refuse(c, "R-INS-1",
			   "job %.*s has no inspection; %s after the "
			   "pre-check and diagnosis",
			   SVL__V(c->v.v[0]), what);
}

/* R-QUO-3: a part not in stock has a confirmed arrival date. */
static int check_arrivals(svl__dctx *c, uint32_t arr, uint32_t f_part,
			  uint32_t f_stock, uint32_t f_date)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, &c->v, arr);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK)
		if (!el[f_stock].i && !el[f_date].present)
			return svl__refuse(
			    c, "R-QUO-3",
			    "part %.*s is not in "
			    "stock: the quote gives its confirmed "
			    "arrival date",
			    SVL__V(el[f_part]));
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* The sum of the amount_fen of array `arr`'s elements (labour, materials). */
static int sum_amounts(svl__dctx *c, uint32_t arr, uint32_t f_amount,
		       int64_t *out, int64_t *lines)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, &c->v, arr);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		*out += el[f_amount].i;
		++*lines;
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* The parts' value: each line qty_milli * unit_price_fen / 1000, rounded
 * half away from zero (model/money.c), as the settlement counts it. */
static int sum_parts(svl__dctx *c, uint32_t arr, uint32_t f_qty,
		     uint32_t f_price, int64_t *out, int64_t *lines)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, &c->v, arr);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		*out += svl__line_value_fen(el[f_qty].i, el[f_price].i);
		++*lines;
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* The field indexes of one quote type (issued or revised). */
typedef struct quote_fields {
	uint32_t labor, labor_amount, parts, parts_qty, parts_price;
	uint32_t materials, materials_amount, total;
} quote_fields;

static const quote_fields issued_fields = {
    SVL_F_QUOTE_ISSUED_LABOR,
    SVL_F_QUOTE_ISSUED_LABOR_AMOUNT_FEN,
    SVL_F_QUOTE_ISSUED_PARTS,
    SVL_F_QUOTE_ISSUED_PARTS_QTY_MILLI,
    SVL_F_QUOTE_ISSUED_PARTS_UNIT_PRICE_FEN,
    SVL_F_QUOTE_ISSUED_MATERIALS,
    SVL_F_QUOTE_ISSUED_MATERIALS_AMOUNT_FEN,
    SVL_F_QUOTE_ISSUED_TOTAL_FEN};
static const quote_fields revised_fields = {
    SVL_F_QUOTE_REVISED_LABOR,
    SVL_F_QUOTE_REVISED_LABOR_AMOUNT_FEN,
    SVL_F_QUOTE_REVISED_PARTS,
    SVL_F_QUOTE_REVISED_PARTS_QTY_MILLI,
    SVL_F_QUOTE_REVISED_PARTS_UNIT_PRICE_FEN,
    SVL_F_QUOTE_REVISED_MATERIALS,
    SVL_F_QUOTE_REVISED_MATERIALS_AMOUNT_FEN,
    SVL_F_QUOTE_REVISED_TOTAL_FEN};

/* R-QUO-1: a quote that lists its lines adds up to its total. A quote
 * with no line at all (a lump sum, as older records carry) has nothing to
 * add up and is taken as it is. */
static int check_total(svl__dctx *c)
{
	const quote_fields *q = c->ev->type == SVL_T_QUOTE_ISSUED
				    ? &issued_fields
				    : &revised_fields;
	int64_t labor = 0, parts = 0, materials = 0, lines = 0;
	int rc = sum_amounts(c, q->labor, q->labor_amount, &labor, &lines);
	if (rc == SVL_OK)
		rc = sum_parts(c, q->parts, q->parts_qty, q->parts_price,
			       &parts, &lines);
	if (rc == SVL_OK)
		rc = sum_amounts(c, q->materials, q->materials_amount,
				 &materials, &lines);
	int64_t total = SVL__F(c, q->total)->i;
	if (rc != SVL_OK || lines == 0 || labor + parts + materials == total)
		return rc;
	return svl__refuse(c, "R-QUO-1",
			   "the quote of %.*s totals %lld fen, but its lines "
			   "add up to %lld (labour %lld + parts %lld + "
			   "materials %lld)",
			   SVL__V(c->v.v[0]), (long long)total,
			   (long long)(labor + parts + materials),
			   (long long)labor, (long long)parts,
			   (long long)materials);
}

static int decide_quote(svl__dctx *c, const svl__job *w)
{
	int rc = c->ev->type == SVL_T_QUOTE_ISSUED
		     ? check_arrivals(c, SVL_F_QUOTE_ISSUED_PARTS,
				      SVL_F_QUOTE_ISSUED_PARTS_PART_NO,
				      SVL_F_QUOTE_ISSUED_PARTS_IN_STOCK,
				      SVL_F_QUOTE_ISSUED_PARTS_ARRIVAL_DATE)
		     : check_arrivals(c, SVL_F_QUOTE_REVISED_PARTS,
				      SVL_F_QUOTE_REVISED_PARTS_PART_NO,
				      SVL_F_QUOTE_REVISED_PARTS_IN_STOCK,
				      SVL_F_QUOTE_REVISED_PARTS_ARRIVAL_DATE);
	if (rc != SVL_OK)
		return rc;
	if (!w->exists)
		return svl__refuse(c, "R-QUO-1",
				   "there is no job %.*s to quote",
				   SVL__V(c->v.v[0]));
	if ((rc = check_total(c)) != SVL_OK)
		return rc;
	if (c->ev->type == SVL_T_QUOTE_ISSUED) {
		if (w->quote_rev)
			return svl__refuse(c, "R-QUO-2",
					   "job %.*s already has a "
					   "quote; a new item needs a revision",
					   SVL__V(c->v.v[0]));
		return require_inspected(c, w, "the quote comes");
	}
	int64_t rev = SVL__F(c, SVL_F_QUOTE_REVISED_REVISION)->i;
	if (rev != w->quote_rev + 1 || w->quote_rev == 0)
		return svl__refuse(c, "R-QUO-2",
				   "the next quote revision of "
				   "job %.*s is %d, not %lld",
				   SVL__V(c->v.v[0]), w->quote_rev + 1,
				   (long long)rev);
	return SVL_OK;
}

static int decide_signed(svl__dctx *c, const svl__job *w)
{
	int64_t rev = SVL__F(c, SVL_F_WORK_ORDER_CONFIRMED_QUOTE_REVISION)->i;
	if (!SVL__F(c, SVL_F_WORK_ORDER_CONFIRMED_CUSTOMER_SIGNED)->i)
		return svl__refuse(c, "R-WO-1",
				   "the customer has not signed "
				   "work order %.*s",
				   SVL__V(c->v.v[0]));
	if (rev != w->quote_rev || !w->quote_agreed)
		return svl__refuse(c, "R-WO-1",
				   "the customer signs the latest "
				   "agreed quote of %.*s (revision %d%s), not "
				   "revision %lld",
				   SVL__V(c->v.v[0]), w->quote_rev,
				   w->quote_agreed ? "" : ", not yet agreed",
				   (long long)rev);
	return SVL_OK;
}

static int require_signed(svl__dctx *c, const svl__job *w, const char *what)
{
	if (w->signed_rev == 0)
		return svl__refuse(c, "R-WO-1",
				   "the customer has not signed "
				   "work order %.*s; no %s before that",
				   SVL__V(c->v.v[0]), what);
	return SVL_OK;
}

/* R-WO-2: the technician holds the role when the work is dispatched. */
static int check_technician(svl__dctx *c, const svl_value *tech)
{
	int held;
	int rc = svl__role_held(c, tech->s, tech->len, SVL_ROLE_TECHNICIAN,
				c->ev->occurred_at_ms, &held, NULL, NULL);
	if (rc != SVL_OK || held)
		return rc;
	return svl__refuse(c, "R-WO-2",
			   "%.*s is not a technician on shift; "
			   "work goes to a technician",
			   SVL__V(*tech));
}

int svl__decide_workshop(svl__dctx *c)
{
	uint32_t t = c->ev->type;
	if (t < SVL_T_VEHICLE_RECEIVED || t > SVL_T_PAYMENT_RECEIVED)
		return SVL_OK;
	svl__job w;
	int rc = job(c, &w);
	if (rc != SVL_OK)
		return rc;
	switch (t) {
	case SVL_T_VEHICLE_RECEIVED:
		return decide_received(c, &w);
	case SVL_T_INSPECTION_RECORDED:
		return decide_inspection(c, &w);
	case SVL_T_QUOTE_ISSUED:
	case SVL_T_QUOTE_REVISED:
		return decide_quote(c, &w);
	case SVL_T_WORK_ORDER_CONFIRMED:
		return decide_signed(c, &w);
	case SVL_T_WORK_DISPATCHED:
		if ((rc = require_signed(c, &w, "work is dispatched")) ||
		    (rc = require_inspected(c, &w, "work is dispatched")))
			return rc;
		return check_technician(
		    c, SVL__F(c, SVL_F_WORK_DISPATCHED_TECHNICIAN_ID));
	default:
		if ((rc = svl__decide_workshop_findings(c, &w)) != SVL_OK)
			return rc;
		return svl__decide_workshop_qc(c, &w);
	}
}
