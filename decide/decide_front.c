/*
 * decide_front.c - the front office's preparations around a job.
 *
 *   R-BKG-6  the workshop reserves a bay (bay_reserved) for a job with a
 *            live confirmed booking (not cancelled, not a no-show), for a
 *            time that ends after it starts, and never over another live
 *            reservation of the same bay. A reservation stays live until
 *            bay_released ends it: a cancelled or re-timed booking keeps
 *            blocking its bay until the workshop or the advisor releases
 *            it (so the bay stream alone says which bay is taken when). A
 *            release needs a live reservation of that job on that bay.
 *            The advisor's end-of-day preparation (booking_prepared) is for
 *            a live confirmed booking, recorded before its slot and before
 *            the car is received, with a live reservation of that job on
 *            the named bay covering the slot; it is confirmed with the
 *            workshop and with parts (a booking either cannot keep is
 *            re-timed, not prepared), and, for a warranty job, with
 *            claims.
 *   R-BKG-7  only a job flagged with a warranty warning (at booking or at
 *            reception) is handed off to the supervisor; a flagged job is
 *            not dispatched before that hand-off.
 *   R-BKG-8  a delay notice is for a received job not yet delivered that
 *            has a promised time, and moves it later. The promise in force
 *            is the last of: the reception's estimated ready time, the
 *            promised_at_ms of a quote, of a revision or of the signed
 *            work order, the new time of an earlier notice. A notice after
 *            the promise passed is accepted (the shop tells the customer
 *            late rather than never); whether it came in advance is a
 *            figure, not a refusal.
 *   R-QUO-3  a purchase requisition is for a quoted job not yet delivered,
 *            and names only parts the job's latest quote marks as not in
 *            stock. The quote's in_stock is the advisor's stock check,
 *            which also counts parts promised to confirmed bookings that
 *            are not yet on the dedicated shelf; the book of the part
 *            stream cannot see those, so the quote is the check to follow.
 *
 * State: the job's wo- stream (svl__job_fold, plus the front-office facts
 * folded here, which the shared job fold does not keep) and the bay's
 * bay- stream.
 */
#include "decide_int.h"

/* The front-office facts of a job, from its wo- stream. */
typedef struct front_job {
	int flagged;	 /* a warranty warning (R-BKG-7) */
	int handed_off;	 /* warning_handed_off recorded */
	int no_show;	 /* booking_no_show since the last (re)confirmation */
	int has_promise; /* a promised time is in force (R-BKG-8) */
	int64_t promise_ms; /* ... and what it is */
	/* R-QUO-3: the latest quote, against the proposed requisition */
	const svl_event_view *req; /* the proposed requisition, or NULL */
	int64_t missing_line;	   /* its first line not short on the quote */
} front_job;

/* R-QUO-3: the index of the first line of the requisition that the quote
 * (parts array `arr`) does not mark as not in stock; -1 when none. */
static int64_t unquoted_line(const svl_event_view *quote, uint32_t arr,
			     uint32_t f_part, uint32_t f_stock,
			     const svl_event_view *req)
{
	svl_event_array r, q;
	svl_value x[SVL_EVENT_SUBFIELDS_MAX], y[SVL_EVENT_SUBFIELDS_MAX];
	int64_t k = 0;
	svl_event_array_begin(&r, req, SVL_F_PARTS_REQUISITIONED_LINES);
	for (; svl_event_array_next(&r, x) == SVL_OK; k++) {
		int found = 0;
		svl_event_array_begin(&q, quote, arr);
		while (!found && svl_event_array_next(&q, y) == SVL_OK)
			found =
			    !y[f_stock].i &&
			    svl__veq(
				&y[f_part],
				&x[SVL_F_PARTS_REQUISITIONED_LINES_PART_NO]);
		if (!found)
			return k;
	}
	return -1;
}

static void promise(front_job *f, const svl_value *at)
{
	if (!at->present)
		return;
	f->has_promise = 1;
	f->promise_ms = at->i;
}

static void front_quote(front_job *f, uint32_t type, const svl_event_view *v)
{
	const svl_value *x = v->v;
	if (type == SVL_T_QUOTE_ISSUED) {
		promise(f, &x[SVL_F_QUOTE_ISSUED_PROMISED_AT_MS]);
		if (f->req)
			f->missing_line = unquoted_line(
			    v, SVL_F_QUOTE_ISSUED_PARTS,
			    SVL_F_QUOTE_ISSUED_PARTS_PART_NO,
			    SVL_F_QUOTE_ISSUED_PARTS_IN_STOCK, f->req);
		return;
	}
	promise(f, &x[SVL_F_QUOTE_REVISED_PROMISED_AT_MS]);
	if (f->req)
		f->missing_line =
		    unquoted_line(v, SVL_F_QUOTE_REVISED_PARTS,
				  SVL_F_QUOTE_REVISED_PARTS_PART_NO,
				  SVL_F_QUOTE_REVISED_PARTS_IN_STOCK, f->req);
}

static int front_step(void *st, const svl_record *r, const svl_event_view *v)
{
	front_job *f = st;
	const svl_value *x = v->v;
	switch (r->type) {
	case SVL_T_BOOKING_REQUESTED:
		f->flagged |=
		    x[SVL_F_BOOKING_REQUESTED_WARRANTY_WARNING].i != 0;
		break;
	case SVL_T_BOOKING_CONFIRMED:
	case SVL_T_BOOKING_RESCHEDULED:
		f->no_show = 0;
		break;
	case SVL_T_BOOKING_NO_SHOW:
		f->no_show = 1;
		break;
	case SVL_T_VEHICLE_RECEIVED:
		f->flagged |= x[SVL_F_VEHICLE_RECEIVED_WARRANTY_WARNING].i != 0;
		promise(f, &x[SVL_F_VEHICLE_RECEIVED_EST_READY_AT_MS]);
		break;
	case SVL_T_WARNING_HANDED_OFF:
		f->handed_off = 1;
		break;
	case SVL_T_QUOTE_ISSUED:
	case SVL_T_QUOTE_REVISED:
		front_quote(f, r->type, v);
		break;
	case SVL_T_WORK_ORDER_CONFIRMED:
		promise(f, &x[SVL_F_WORK_ORDER_CONFIRMED_PROMISED_AT_MS]);
		break;
	case SVL_T_DELAY_NOTIFIED:
		promise(f, &x[SVL_F_DELAY_NOTIFIED_NEW_READY_AT_MS]);
		break;
	default:
		break;
	}
	return SVL_OK;
}

/* The job `wo` as the shared fold sees it, and its front-office facts. */
static int front_fold(svl__dctx *c, const svl_value *wo, svl__job *w,
		      front_job *f)
{
	memset(f, 0, sizeof *f);
	f->missing_line = -1;
	if (c->ev->type == SVL_T_PARTS_REQUISITIONED)
		f->req = &c->v;
	int rc = svl__job_fold(c, wo, NULL, w);
	return rc == SVL_OK ? svl__fold(c, "wo", wo, 0, front_step, f) : rc;
}

/* A booking the workshop can plan for: confirmed, not cancelled, and the
 * customer did not fail to come to it. */
static int booking_live(const svl__job *w, const front_job *f)
{
	return w->requested && w->confirmed && !w->cancelled && !f->no_show;
}

/* ---- the bay stream (R-BKG-6) ------------------------------------------ */

#define BAY_OVERLAPS 64 /* live reservations a proposed time can meet */

/* What the bay's stream says about one job and one time window. */
typedef struct bay_state {
	const svl_value *wo;	   /* the job asked about */
	int64_t from_ms, until_ms; /* the window asked about (reserve) */
	int64_t slot_ms;	   /* the slot asked about (prepare) */
	int job_live;		   /* wo holds a live reservation */
	int job_covers;		   /* ... one that covers slot_ms */
	/* live reservations (of any job) overlapping the window; overflow:
	 * more met it than are kept, which counts as taken */
	int n;
	int overflow;
	struct {
		char wo[SVL_EV_ID_MAX + 1];
		int64_t from_ms, until_ms;
	} over[BAY_OVERLAPS];
} bay_state;

static void bay_drop(bay_state *b, const svl_value *wo)
{
	char id[SVL_EV_ID_MAX + 1];
	svl__vcopy(id, sizeof id, wo);
	for (int k = 0; k < b->n;)
		if (strcmp(b->over[k].wo, id) == 0)
			b->over[k] = b->over[--b->n];
		else
			k++;
}

static void bay_add(bay_state *b, const svl_value *x)
{
	int64_t from = x[SVL_F_BAY_RESERVED_FROM_AT_MS].i;
	int64_t until = x[SVL_F_BAY_RESERVED_UNTIL_AT_MS].i;
	if (from >= b->until_ms || b->from_ms >= until)
		return;
	if (b->n == BAY_OVERLAPS) {
		b->overflow = 1;
		return;
	}
	svl__vcopy(b->over[b->n].wo, sizeof b->over[b->n].wo,
		   &x[SVL_F_BAY_RESERVED_WO_ID]);
	b->over[b->n].from_ms = from;
	b->over[b->n++].until_ms = until;
}

static int bay_step(void *st, const svl_record *r, const svl_event_view *v)
{
	bay_state *b = st;
	const svl_value *x = v->v;
	if (r->type == SVL_T_BAY_RESERVED) {
		if (svl__veq(&x[SVL_F_BAY_RESERVED_WO_ID], b->wo)) {
			b->job_live = 1;
			b->job_covers |=
			    x[SVL_F_BAY_RESERVED_FROM_AT_MS].i <= b->slot_ms &&
			    b->slot_ms < x[SVL_F_BAY_RESERVED_UNTIL_AT_MS].i;
		}
		bay_add(b, x);
	} else if (r->type == SVL_T_BAY_RELEASED) {
		/* a release ends every reservation of its job on the bay */
		if (svl__veq(&x[SVL_F_BAY_RELEASED_WO_ID], b->wo))
			b->job_live = b->job_covers = 0;
		bay_drop(b, &x[SVL_F_BAY_RELEASED_WO_ID]);
	}
	return SVL_OK;
}

static int bay_fold(svl__dctx *c, const svl_value *bay, bay_state *b)
{
	return svl__fold(c, "bay", bay, 0, bay_step, b);
}

/* ---- the deciders ------------------------------------------------------- */

#define WO(x) SVL__V(*(x))

static int refuse_not_booked(svl__dctx *c, const svl_value *wo,
			     const svl__job *w, const front_job *f,
			     const char *what)
{
	return svl__refuse(c, "R-BKG-6",
			   "job %.*s has %s; %s is for a live confirmed "
			   "booking",
			   WO(wo),
			   !w->requested   ? "no booking"
			   : w->cancelled  ? "a cancelled booking"
			   : !w->confirmed ? "a booking not yet confirmed"
			   : f->no_show
			       ? "a booking the customer did not come to"
			       : "no live booking",
			   what);
}

static int decide_reserved(svl__dctx *c)
{
	const svl_value *bay = SVL__F(c, SVL_F_BAY_RESERVED_BAY);
	const svl_value *wo = SVL__F(c, SVL_F_BAY_RESERVED_WO_ID);
	bay_state b;
	svl__job w;
	front_job f;
	char t0[24], t1[24];
	memset(&b, 0, sizeof b);
	b.wo = wo;
	b.from_ms = SVL__F(c, SVL_F_BAY_RESERVED_FROM_AT_MS)->i;
	b.until_ms = SVL__F(c, SVL_F_BAY_RESERVED_UNTIL_AT_MS)->i;
	b.slot_ms = INT64_MIN;
	if (b.until_ms <= b.from_ms)
		return svl__refuse(c, "R-BKG-6",
				   "the reservation of bay %.*s ends at %s, "
				   "not after it starts (%s)",
				   WO(bay),
				   svl__fmt_time(t1, sizeof t1, b.until_ms,
						 c->rules->tz_offset_min),
				   svl__fmt_time(t0, sizeof t0, b.from_ms,
						 c->rules->tz_offset_min));
	int rc = front_fold(c, wo, &w, &f);
	if (rc != SVL_OK)
		return rc;
	if (!booking_live(&w, &f))
		return refuse_not_booked(c, wo, &w, &f, "a bay reservation");
	if ((rc = bay_fold(c, bay, &b)) != SVL_OK)
		return rc;
	if (b.n == 0 && !b.overflow)
		return SVL_OK;
	if (b.n == 0)
		return svl__refuse(
		    c, "R-BKG-6",
		    "bay %.*s has more than %d live reservations "
		    "in that time; release them first",
		    WO(bay), BAY_OVERLAPS);
	return svl__refuse(
	    c, "R-BKG-6",
	    "bay %.*s is already reserved for %s from %s to %s; one job per "
	    "bay at a time (release that reservation or choose another bay)",
	    WO(bay), b.over[0].wo,
	    svl__fmt_time(t0, sizeof t0, b.over[0].from_ms,
			  c->rules->tz_offset_min),
	    svl__fmt_time(t1, sizeof t1, b.over[0].until_ms,
			  c->rules->tz_offset_min));
}

static int decide_released(svl__dctx *c)
{
	const svl_value *bay = SVL__F(c, SVL_F_BAY_RELEASED_BAY);
	bay_state b;
	memset(&b, 0, sizeof b);
	b.wo = SVL__F(c, SVL_F_BAY_RELEASED_WO_ID);
	b.slot_ms = INT64_MIN;
	b.until_ms = INT64_MIN; /* no window: count no overlaps */
	b.from_ms = INT64_MAX;
	int rc = bay_fold(c, bay, &b);
	if (rc != SVL_OK || b.job_live)
		return rc;
	return svl__refuse(c, "R-BKG-6",
			   "job %.*s holds no live reservation of bay %.*s "
			   "to release",
			   WO(b.wo), WO(bay));
}

/* R-BKG-6: what the advisor confirmed before close of business. */
static int check_confirmations(svl__dctx *c, const svl__job *w)
{
	const svl_value *wo = SVL__F(c, SVL_F_BOOKING_PREPARED_WO_ID);
	int shop = SVL__F(c, SVL_F_BOOKING_PREPARED_WORKSHOP_CONFIRMED)->i != 0;
	int parts = SVL__F(c, SVL_F_BOOKING_PREPARED_PARTS_CONFIRMED)->i != 0;
	if (!shop || !parts)
		return svl__refuse(c, "R-BKG-6",
				   "the booking of %.*s is not confirmed with "
				   "%s; a booking the shop cannot keep is "
				   "re-timed with the customer, not prepared",
				   WO(wo),
				   !shop && !parts ? "the workshop and parts"
				   : !shop	   ? "the workshop"
						   : "parts");
	if (w->job_kind == SVL_JOB_KIND_WARRANTY &&
	    !SVL__F(c, SVL_F_BOOKING_PREPARED_CLAIMS_CONFIRMED)->i)
		return svl__refuse(c, "R-BKG-6",
				   "%.*s is a warranty job: its preparation "
				   "is confirmed with claims too",
				   WO(wo));
	return SVL_OK;
}

static int decide_prepared(svl__dctx *c)
{
	const svl_value *wo = SVL__F(c, SVL_F_BOOKING_PREPARED_WO_ID);
	const svl_value *bay = SVL__F(c, SVL_F_BOOKING_PREPARED_BAY);
	svl__job w;
	front_job f;
	bay_state b;
	char t[24];
	int rc = front_fold(c, wo, &w, &f);
	if (rc != SVL_OK)
		return rc;
	if (!booking_live(&w, &f))
		return refuse_not_booked(c, wo, &w, &f, "a preparation");
	if (w.received || c->ev->occurred_at_ms >= w.slot_at_ms)
		return svl__refuse(c, "R-BKG-6",
				   "%s of %.*s (slot %s); a booking is "
				   "prepared the day before",
				   w.received ? "the car is already received"
					      : "the slot has come",
				   WO(wo),
				   svl__fmt_time(t, sizeof t, w.slot_at_ms,
						 c->rules->tz_offset_min));
	if ((rc = check_confirmations(c, &w)) != SVL_OK)
		return rc;
	memset(&b, 0, sizeof b);
	b.wo = wo;
	b.slot_ms = w.slot_at_ms;
	b.until_ms = INT64_MIN;
	b.from_ms = INT64_MAX;
	if ((rc = bay_fold(c, bay, &b)) != SVL_OK || b.job_covers)
		return rc;
	return svl__refuse(
	    c, "R-BKG-6",
	    "bay %.*s holds no live reservation for %.*s "
	    "covering its slot (%s); the workshop reserves "
	    "the bay first",
	    WO(bay), WO(wo),
	    svl__fmt_time(t, sizeof t, w.slot_at_ms, c->rules->tz_offset_min));
}

/* R-BKG-7: the hand-off, and no dispatch of a flagged job before it. */
static int decide_warning(svl__dctx *c)
{
	const svl_value *wo = &c->v.v[0]; /* wo_id is field 0 of both */
	svl__job w;
	front_job f;
	int rc = front_fold(c, wo, &w, &f);
	if (rc != SVL_OK)
		return rc;
	if (c->ev->type == SVL_T_WARNING_HANDED_OFF) {
		if (f.flagged)
			return SVL_OK;
		return svl__refuse(c, "R-BKG-7",
				   "job %.*s carries no warranty warning (at "
				   "booking or reception) to hand off",
				   WO(wo));
	}
	if (!f.flagged || f.handed_off)
		return SVL_OK;
	return svl__refuse(c, "R-BKG-7",
			   "job %.*s has a warranty warning: it goes to the "
			   "supervisor first (warning_handed_off), then to "
			   "the workshop",
			   WO(wo));
}

/* R-BKG-8: a new promised time, later than the one in force. */
static int decide_delay(svl__dctx *c)
{
	const svl_value *wo = SVL__F(c, SVL_F_DELAY_NOTIFIED_WO_ID);
	int64_t to = SVL__F(c, SVL_F_DELAY_NOTIFIED_NEW_READY_AT_MS)->i;
	svl__job w;
	front_job f;
	char t0[24], t1[24];
	int rc = front_fold(c, wo, &w, &f);
	if (rc != SVL_OK)
		return rc;
	if (!w.received || w.delivered)
		return svl__refuse(
		    c, "R-BKG-8",
		    "job %.*s is %s; a delay is told while the "
		    "shop has the car",
		    WO(wo), w.delivered ? "already delivered" : "not received");
	if (!f.has_promise)
		return svl__refuse(c, "R-BKG-8",
				   "job %.*s has no promised time yet (no "
				   "estimate, quote or notice) to move",
				   WO(wo));
	if (to > f.promise_ms)
		return SVL_OK;
	return svl__refuse(
	    c, "R-BKG-8",
	    "the new time of %.*s (%s) is not later than the "
	    "promise in force (%s)",
	    WO(wo), svl__fmt_time(t1, sizeof t1, to, c->rules->tz_offset_min),
	    svl__fmt_time(t0, sizeof t0, f.promise_ms,
			  c->rules->tz_offset_min));
}

/* R-QUO-3: the advisor's purchase requisition for a quoted job. */
static int decide_requisition(svl__dctx *c)
{
	const svl_value *wo = SVL__F(c, SVL_F_PARTS_REQUISITIONED_WO_ID);
	svl__job w;
	front_job f;
	int rc = front_fold(c, wo, &w, &f);
	if (rc != SVL_OK)
		return rc;
	if (w.quote_rev == 0 || w.delivered)
		return svl__refuse(c, "R-QUO-3",
				   "job %.*s %s; a requisition follows the "
				   "quote of a job the shop still has",
				   WO(wo),
				   w.delivered ? "is already delivered"
					       : "has no quote");
	if (f.missing_line < 0)
		return SVL_OK;
	svl_event_array it;
	svl_value x[SVL_EVENT_SUBFIELDS_MAX];
	svl_event_array_begin(&it, &c->v, SVL_F_PARTS_REQUISITIONED_LINES);
	for (int64_t k = 0; k <= f.missing_line; k++)
		if ((rc = svl_event_array_next(&it, x)) != SVL_OK)
			return rc;
	return svl__refuse(c, "R-QUO-3",
			   "part %.*s is not on the latest quote of %.*s as "
			   "not in stock; the requisition is for the quoted "
			   "parts the stock check found short",
			   SVL__V(x[SVL_F_PARTS_REQUISITIONED_LINES_PART_NO]),
			   WO(wo));
}

int svl__decide_front(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_BAY_RESERVED:
		return decide_reserved(c);
	case SVL_T_BAY_RELEASED:
		return decide_released(c);
	case SVL_T_BOOKING_PREPARED:
		return decide_prepared(c);
	case SVL_T_WARNING_HANDED_OFF:
	case SVL_T_WORK_DISPATCHED:
		return decide_warning(c);
	case SVL_T_DELAY_NOTIFIED:
		return decide_delay(c);
	case SVL_T_PARTS_REQUISITIONED:
		return decide_requisition(c);
	default:
		return SVL_OK;
	}
}
