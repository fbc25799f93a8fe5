/*
 * demo_book.c - bookings (R-BKG-1..8) and the day's arrivals: booked
 * cars at their slots, walk-ins and comebacks. What happens at the desk
 * is demo_desk.c's, the work demo_work.c's.
 *
 * The shapes of the quarter: ~17 booking requests a day, confirmed up to
 * the day capacity (R-BKG-4: 20 confirmed jobs; a full day means the
 * customer is offered the next day with room); maintenance bookings are
 * checked against parts stock first (R-BKG-3: parts promised to them are
 * held, short parts ordered with a confirmed arrival date); a few are
 * moved or cancelled by the customer, a few customers do not come. Walk-
 * ins fill the rest of the ~30 jobs a day. A job whose parts are short
 * (R-QUO-3) or that finds no technician before 16:30 stays overnight and
 * starts the next morning (demo_resume).
 *
 * The front office around them: before close of business the workshop
 * reserves a bay for each of tomorrow's bookings and the advisor records
 * the booking as prepared with workshop, parts and, for warranty jobs,
 * claims (R-BKG-6); a cancelled or missed booking gives its bay back. A
 * vehicle flagged with a warranty warning, at booking or at reception,
 * goes to the front desk supervisor before it is dispatched (R-BKG-7).
 * The advisor asks parts for what the quote found short (R-QUO-3), and
 * tells the customer early when the job will miss its promise: parts that
 * are still short in the morning, or work that will end after the
 * promised time (R-BKG-8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

#define R(x) SVL_ROLE_##x
#define DAY_CAPACITY SVL_DECIDE_DAY_CAPACITY_DEFAULT /* R-BKG-4 */

/* ---- bookings (R-BKG-1..5) -------------------------------------------------
 */

/* R-BKG-4: the first day from `want` with room for one more job. */
static int find_slot(const demo_gen *g, int want)
{
	for (int d = want; d < g->days; d++)
		if (d >= 0 && g->booked_on[d] < DAY_CAPACITY)
			return d;
	return -1;
}

static int booking_kind(demo_gen *g)
{
	static const int w[4] = {720, 180, 80, 20};
	return (int)demo_weighted(&g->rng, w, 4);
}

static int booking_target(demo_gen *g, int kind)
{
	static const int w[4] = {150, 80, 700, 70};
	if (kind == SVL_JOB_KIND_MAINTENANCE)
		return (int)demo_weighted(&g->rng, w, 4);
	if (kind == SVL_JOB_KIND_WARRANTY && demo_chance(&g->rng, 600))
		return SVL_BOOKING_TARGET_WARRANTY_EXPIRING;
	return SVL_BOOKING_TARGET_CUSTOMER_REQUEST;
}

/* Returns 1 when the booking carries a warranty warning (R-BKG-7). */
static int emit_requested(demo_gen *g, const demo_job *j, int64_t t, int who,
			  int want_day)
{
	const demo_vehicle *v = &g->veh[j->vehicle];
	const svl_enum_def *e = svl_event_type_get(SVL_T_BOOKING_REQUESTED)
				    ->fields[SVL_F_BOOKING_REQUESTED_TARGET]
				    .enum_def;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "customer_id", v->customer);
	dj_str(jb, "owner_name", v->owner);
	dj_str(jb, "phone", v->phone);
	dj_str(jb, "plate", v->plate);
	dj_str(jb, "vin", v->vin);
	dj_str(jb, "target", e->values[booking_target(g, j->kind)]);
	dj_str(jb, "job_kind",
	       svl_event_type_get(SVL_T_VEHICLE_RECEIVED)
		   ->fields[SVL_F_VEHICLE_RECEIVED_JOB_KIND]
		   .enum_def->values[j->kind]);
	dj_str(jb, "items", j->fault);
	dj_int(jb, "wanted_at_ms",
	       demo_day_ms(want_day) + (j->slot_ms - demo_day_ms(j->slot_day)));
	int warning =
	    j->kind == SVL_JOB_KIND_WARRANTY && demo_chance(&g->rng, 100);
	dj_bool(jb, "warranty_warning", warning);
	demo_emit(g, t, SVL_T_BOOKING_REQUESTED, who,
		  who == ST_CS ? R(CUSTOMER_SERVICE) : R(SERVICE_ADVISOR));
	return warning;
}

/* R-BKG-7: the front desk supervisor takes over a flagged vehicle. */
static void hand_off(demo_gen *g, const demo_job *j, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "outcome",
	       j->kind == SVL_JOB_KIND_WARRANTY ? "claims_case" : "proceed");
	dj_str(jb, "note",
	       j->kind == SVL_JOB_KIND_WARRANTY
		   ? "warranty ends soon: claims inspects first"
		   : "warranty ends soon: customer told, repair "
		     "goes on at the customer's cost");
	demo_emit(g, t, SVL_T_WARNING_HANDED_OFF, ST_FDS,
		  R(FRONT_DESK_SUPERVISOR));
}

static void emit_confirmed(demo_gen *g, const demo_job *j, int64_t t, int who,
			   int shrt)
{
	int64_t hours = j->n_lines ? demo_job_hours_milli(g, j) : 1500;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "slot_at_ms", j->slot_ms);
	dj_int(jb, "est_labor_min",
	       hours * 60 / 1000 < 30 ? 30 : hours * 60 / 1000);
	dj_int(jb, "est_amount_fen",
	       j->n_lines ? demo_labor_fen(g, j) + demo_parts_fen(g, j)
			  : 60000);
	if (j->kind == SVL_JOB_KIND_MAINTENANCE) /* R-BKG-3: stock checked */
		dj_bool(jb, "parts_short", shrt);
	if (shrt)
		dj_date(jb, "parts_arrival_date", j->parts_day);
	demo_emit(g, t, SVL_T_BOOKING_CONFIRMED, who,
		  who == ST_CS ? R(CUSTOMER_SERVICE) : R(SERVICE_ADVISOR));
}

/* One customer asks for an appointment at time t of `day`. */
static void book_one(demo_gen *g, int day, int64_t t)
{
	demo_job tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.kind = booking_kind(g);
	int want = day + (int)demo_between(&g->rng, 1, 6);
	int slot = find_slot(g, want < 0 ? 0 : want);
	if (slot < 0)
		return; /* beyond the simulated days: booked into next quarter
			 */
	tmp.vehicle = demo_vehicle_pick(g, slot);
	demo_choose_lines(g, &tmp); /* the customer's items; parts checked only
				     * for maintenance (R-BKG-3) */
	int shrt =
	    tmp.kind == SVL_JOB_KIND_MAINTENANCE && !demo_lines_free(g, &tmp);
	if (shrt && slot < day + 2 && (slot = find_slot(g, day + 2)) < 0)
		return;
	demo_job *j = demo_job_new(g, tmp.vehicle, tmp.kind, day);
	if (!j)
		return;
	memcpy(j->lines, tmp.lines, sizeof j->lines);
	j->n_lines = tmp.n_lines;
	j->booked = 1;
	j->booked_day = day;
	j->phase = JP_BOOKED;
	j->slot_day = slot;
	j->slot_ms = demo_at(slot, 8, 30) +
		     demo_between(&g->rng, 0, 14) * 30 * DEMO_MIN_MS;
	g->veh[j->vehicle].last_day = slot;
	g->booked_on[slot]++;
	g->st.bookings++;
	g->st.booking_moved += slot != want;
	if (shrt)
		demo_order_short(g, j, day);
	if (j->kind == SVL_JOB_KIND_MAINTENANCE)
		demo_hold_lines(g, j);
	demo_job_fault(g, j);
	int who = demo_chance(&g->rng, 800) ? ST_CS : j->advisor;
	if (emit_requested(g, j, t, who, want < 0 ? 0 : want))
		hand_off(g, j, demo_later(g, t, 30, 90));
	emit_confirmed(g, j, demo_later(g, t, 6, 25), who, shrt);
}

static void cancel_booking(demo_gen *g, demo_job *j, int64_t t, int reason,
			   const char *note)
{
	const svl_enum_def *e = svl_event_type_get(SVL_T_BOOKING_CANCELLED)
				    ->fields[SVL_F_BOOKING_CANCELLED_REASON]
				    .enum_def;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "reason", e->values[reason]);
	dj_str(jb, "note", note);
	demo_emit(g, t, SVL_T_BOOKING_CANCELLED, ST_CS, R(CUSTOMER_SERVICE));
	demo_release(g, j, t + 20 * DEMO_MIN_MS,
		     SVL_RELEASE_REASON_BOOKING_CANCELLED);
	demo_unhold_lines(g, j);
	if (j->slot_day >= 0 && j->slot_day < DEMO_DAYS_MAX)
		g->booked_on[j->slot_day]--;
	j->phase = JP_GONE;
	g->st.cancelled++;
}

/* A customer moves the appointment (R-BKG-4 checks the new day). */
static void reschedule(demo_gen *g, demo_job *j, int day)
{
	int to = find_slot(g, j->slot_day + (int)demo_between(&g->rng, 1, 3));
	if (to < 0)
		return;
	g->booked_on[j->slot_day]--;
	g->booked_on[to]++;
	j->slot_ms = demo_day_ms(to) + (j->slot_ms - demo_day_ms(j->slot_day));
	j->slot_day = to;
	g->veh[j->vehicle].last_day = to;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "slot_at_ms", j->slot_ms);
	dj_str(jb, "reason", "customer_request");
	dj_str(jb, "note", "customer travelling; asked for a later day");
	demo_emit(g, demo_later(g, demo_at(day, 10, 0), 0, 360),
		  SVL_T_BOOKING_RESCHEDULED, ST_CS, R(CUSTOMER_SERVICE));
	g->st.rescheduled++;
}

/* ---- bays for tomorrow's bookings (R-BKG-6) --------------------------------
 */

#define BAYS 12	      /* the workshop's bays, B01..B12 */
#define DAY_BOOKED 64 /* bookings of one day considered for a bay */

/* How long a booked job holds its bay: by kind, from the booking alone,
 * so that the plan of a day never changes once it is made. */
static int64_t bay_minutes(const demo_job *j)
{
	return j->kind == SVL_JOB_KIND_MAINTENANCE ? 120
	       : j->kind == SVL_JOB_KIND_ACCIDENT  ? 300
						   : 180;
}

typedef struct day_plan {
	int n;
	size_t job[DAY_BOOKED];
	int bay[DAY_BOOKED]; /* 1..BAYS, 0: none free */
} day_plan;

/* The bay plan of `day`: its bookings by slot (then by booking order)
 * each take the first bay free at their slot. Cancelled bookings keep
 * their place, so the plan made the evening before is the same plan when
 * a booking is later cancelled or missed: the bay to release. */
static void plan_bays(const demo_gen *g, int day, day_plan *p)
{
	int64_t free_at[BAYS];
	p->n = 0;
	for (size_t k = 0; k < g->n_jobs && p->n < DAY_BOOKED; k++) {
		const demo_job *j = &g->jobs[k];
		if (!j->booked || j->slot_day != day)
			continue;
		int at = p->n++;
		while (at > 0 && g->jobs[p->job[at - 1]].slot_ms > j->slot_ms) {
			p->job[at] = p->job[at - 1];
			at--;
		}
		p->job[at] = k;
	}
	for (int b = 0; b < BAYS; b++)
		free_at[b] = INT64_MIN;
	for (int i = 0; i < p->n; i++) {
		const demo_job *j = &g->jobs[p->job[i]];
		p->bay[i] = 0;
		for (int b = 0; b < BAYS && !p->bay[i]; b++)
			if (free_at[b] <= j->slot_ms) {
				free_at[b] =
				    j->slot_ms + bay_minutes(j) * DEMO_MIN_MS;
				p->bay[i] = b + 1;
			}
	}
}

/* The bay reserved for booked job j (0: none). */
static int bay_of(const demo_gen *g, const demo_job *j)
{
	day_plan p;
	plan_bays(g, j->slot_day, &p);
	for (int i = 0; i < p.n; i++)
		if (&g->jobs[p.job[i]] == j)
			return p.bay[i];
	return 0;
}

static void bay_name(char *out, size_t cap, int bay)
{
	snprintf(out, cap, "B%02d", bay);
}

/* A booking that will not come gives its bay back (R-BKG-6). */
static void release_bay(demo_gen *g, const demo_job *j, int64_t t,
			const char *note)
{
	char bay[8];
	int b = bay_of(g, j);
	if (b == 0)
		return;
	bay_name(bay, sizeof bay, b);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "bay", bay);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "note", note);
	demo_emit(g, t, SVL_T_BAY_RELEASED, ST_WM, R(WORKSHOP_MANAGER));
}

static void prepared(demo_gen *g, const demo_job *j, const char *bay, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "bay", bay);
	dj_bool(jb, "workshop_confirmed", 1);
	dj_bool(jb, "parts_confirmed", 1);
	if (j->kind == SVL_JOB_KIND_WARRANTY)
		dj_bool(jb, "claims_confirmed", 1);
	demo_emit(g, t, SVL_T_BOOKING_PREPARED, j->advisor, R(SERVICE_ADVISOR));
}

/* Before close of business on `day`: the workshop reserves a bay for each
 * of tomorrow's bookings, then (after the parts went on the booking
 * shelf, demo_parts_evening) the advisor confirms the booking with the
 * workshop, parts and claims. */
static void prepare_tomorrow(demo_gen *g, int day)
{
	day_plan p;
	int64_t t = demo_at(day, 17, 30), t2 = demo_at(day, 18, 40);
	plan_bays(g, day + 1, &p);
	for (int i = 0; i < p.n && !g->err[0]; i++) {
		const demo_job *j = &g->jobs[p.job[i]];
		char bay[8];
		if (j->phase != JP_BOOKED || p.bay[i] == 0)
			continue;
		bay_name(bay, sizeof bay, p.bay[i]);
		demo_json *jb = dj_begin(g);
		dj_str(jb, "bay", bay);
		dj_str(jb, "wo_id", j->wo);
		dj_int(jb, "from_at_ms", j->slot_ms);
		dj_int(jb, "until_at_ms",
		       j->slot_ms + bay_minutes(j) * DEMO_MIN_MS);
		demo_emit(g, t += 20000, SVL_T_BAY_RESERVED, ST_WM,
			  R(WORKSHOP_MANAGER));
		prepared(g, j, bay, t2 += 30000);
	}
}

void demo_bookings(demo_gen *g, int day)
{
	int wd = demo_weekday(day < 0 ? 0 : day);
	int n = day < 0	  ? 75
		: wd == 6 ? (int)demo_between(&g->rng, 8, 11)
			  : (int)demo_between(&g->rng, 15, 20);
	int64_t t[128];
	for (int k = 0; k < n; k++)
		t[k] = demo_later(g, demo_at(day, 9, 0), 0, 480);
	for (int a = 1; a < n; a++) /* in time order: numbers follow it */
		for (int b = a; b > 0 && t[b] < t[b - 1]; b--) {
			int64_t x = t[b];
			t[b] = t[b - 1];
			t[b - 1] = x;
		}
	for (int k = 0; k < n && !g->err[0]; k++)
		book_one(g, day, t[k]);
	for (size_t k = 0; k < g->n_jobs && day >= 0; k++) {
		demo_job *j = &g->jobs[k];
		if (j->phase != JP_BOOKED || j->booked_day >= day)
			continue;
		if (j->slot_day == day + 1 && demo_chance(&g->rng, 20))
			cancel_booking(
			    g, j, demo_later(g, demo_at(day, 11, 0), 0, 90),
			    SVL_CANCEL_REASON_CUSTOMER_REQUEST,
			    "plans changed; will call again");
		else if (j->slot_day == day + 2 && demo_chance(&g->rng, 30))
			reschedule(g, j, day);
	}
	prepare_tomorrow(g, day);
}

/* ---- the day a booked car is due (R-BKG-8) ---------------------------------
 */

static void remind(demo_gen *g, demo_job *j, int reached)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_bool(jb, "reached", reached);
	if (reached)
		dj_bool(jb, "coming", 1);
	else
		dj_str(jb, "note", "no answer; message left");
	demo_emit(g, j->slot_ms - 60 * DEMO_MIN_MS - 5 * DEMO_MIN_MS,
		  SVL_T_BOOKING_REMINDED, ST_CS, R(CUSTOMER_SERVICE));
}

/* Returns 1 when the car comes. */
static int due_today(demo_gen *g, demo_job *j, int day)
{
	if (demo_chance(&g->rng, 10)) {
		int64_t t = demo_later(g, demo_at(day, 8, 0), 0, 20);
		cancel_booking(
		    g, j, t, SVL_CANCEL_REASON_CUSTOMER_REQUEST,
		    "called in the morning: car not needed serviced now");
		release_bay(g, j, t + 25 * DEMO_MIN_MS, "booking cancelled");
		return 0;
	}
	if (demo_chance(&g->rng, 30)) {
		remind(g, j, 0);
		demo_json *jb = dj_begin(g);
		dj_str(jb, "wo_id", j->wo);
		dj_int(jb, "slot_at_ms", j->slot_ms);
		dj_str(jb, "note", "did not come; no answer by phone");
		demo_emit(g, j->slot_ms + 60 * DEMO_MIN_MS,
			  SVL_T_BOOKING_NO_SHOW, ST_CS, R(CUSTOMER_SERVICE));
		release_bay(g, j, j->slot_ms + 70 * DEMO_MIN_MS,
			    "customer did not come");
		demo_release(g, j, demo_at(day, 17, 30),
			     SVL_RELEASE_REASON_NO_SHOW);
		demo_unhold_lines(g, j);
		j->phase = JP_GONE;
		g->st.no_shows++;
		return 0;
	}
	remind(g, j, !demo_chance(&g->rng, 60));
	return 1;
}

/* ---- what the desk and the workshop just generated ------------------------
 *
 * The reception, the quote and the work of a job are generated at once
 * (demo_receive, demo_work); what the front office does about them is read
 * back from the events still pending, before the day is submitted. */

/* The pending event of `type` on job j's stream, from index `from`; its
 * payload decoded into v. NULL when there is none. */
static const demo_ev *pending(const demo_gen *g, size_t from, uint32_t type,
			      const demo_job *j, svl_event_view *v)
{
	char stream[24];
	int n = snprintf(stream, sizeof stream, "wo-%s", j->wo);
	for (size_t k = from; k < g->n_ev; k++) {
		const demo_ev *e = &g->ev[k];
		if (e->type != type || e->stream_len != (size_t)n ||
		    memcmp(e->data, stream, (size_t)n) != 0)
			continue;
		if (svl_event_decode(v, type, svl_event_type_get(type)->version,
				     e->data + e->stream_len,
				     e->payload_len) != SVL_OK)
			return NULL;
		return e;
	}
	return NULL;
}

/* The advisor (or, for the jobs claims receives, the claims specialist)
 * who quoted job j. */
static int desk_of(const demo_job *j, int *role)
{
	int claims = j->kind == SVL_JOB_KIND_ACCIDENT ||
		     j->kind == SVL_JOB_KIND_WARRANTY;
	*role = claims ? R(CLAIMS_SPECIALIST) : R(SERVICE_ADVISOR);
	return claims ? ST_CLM : j->advisor;
}

/* R-BKG-7: a warning raised at reception goes to the supervisor before
 * the inspection, so long before any dispatch. */
static void reception_warning(demo_gen *g, const demo_job *j, size_t from)
{
	svl_event_view v;
	const demo_ev *e = pending(g, from, SVL_T_VEHICLE_RECEIVED, j, &v);
	if (e && v.v[SVL_F_VEHICLE_RECEIVED_WARRANTY_WARNING].i)
		hand_off(g, j, demo_later(g, e->at_ms, 2, 5));
}

/* R-QUO-3: the quote's short parts go to parts as a requisition, with the
 * arrival date parts confirmed. */
static void requisition(demo_gen *g, const demo_job *j, size_t from)
{
	svl_event_view v;
	int role, n = 0;
	for (int k = 0; k < j->n_lines; k++)
		n += j->short_line[k] != 0;
	const demo_ev *e = pending(g, from, SVL_T_QUOTE_ISSUED, j, &v);
	if (n == 0 || !e)
		return;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_arr(jb, "lines");
	for (int k = 0; k < j->n_lines; k++) {
		if (!j->short_line[k])
			continue;
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[j->lines[k].part].no);
		dj_int(jb, "qty_milli", j->lines[k].qty_milli);
		dj_end(jb);
	}
	dj_end(jb);
	dj_date(jb, "arrival_date", j->parts_day);
	int who = desk_of(j, &role);
	demo_emit(g, e->at_ms + DEMO_MIN_MS, SVL_T_PARTS_REQUISITIONED, who,
		  role);
}

static void delay(demo_gen *g, demo_job *j, int64_t t, int64_t to,
		  const char *why)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "new_ready_at_ms", to);
	dj_str(jb, "reason", why);
	dj_bool(jb, "customer_agreed", 1);
	demo_emit(g, t, SVL_T_DELAY_NOTIFIED, j->advisor, R(SERVICE_ADVISOR));
	j->promised_ms = to;
}

/* R-BKG-8: work that will be ready after the promise. The workshop knows
 * it half-way through the work at the latest; the advisor calls then (or
 * at once, when the promise is nearer) with the new time. */
static void slipping(demo_gen *g, demo_job *j, size_t from)
{
	svl_event_view v;
	const demo_ev *ready = pending(g, from, SVL_T_VEHICLE_READY, j, &v);
	const demo_ev *go = pending(g, from, SVL_T_WORK_DISPATCHED, j, &v);
	if (!ready || !go || ready->at_ms <= j->promised_ms)
		return;
	int64_t half = 30 * DEMO_MIN_MS;
	int64_t t = go->at_ms + (ready->at_ms - go->at_ms) / 2;
	if (t > j->promised_ms - half)
		t = j->promised_ms - half;
	if (t < go->at_ms + 5 * DEMO_MIN_MS)
		t = go->at_ms + 5 * DEMO_MIN_MS;
	delay(g, j, t, (ready->at_ms + half + half - 1) / half * half,
	      "the work takes longer than planned");
}

/* ---- the day's arrivals ----------------------------------------------------
 */

typedef struct arrival {
	int64_t at;
	size_t job;
} arrival;

static int arrival_cmp(const void *a, const void *b)
{
	const arrival *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->job < y->job ? -1 : x->job > y->job;
}

static int walk_in_kind(demo_gen *g)
{
	static const int w[4] = {380, 420, 110, 90};
	return (int)demo_weighted(&g->rng, w, 4);
}

static size_t walk_ins(demo_gen *g, int day, arrival *arr, size_t n)
{
	int wd = demo_weekday(day);
	int count = wd == 6   ? (int)demo_between(&g->rng, 7, 10)
		    : wd == 5 ? (int)demo_between(&g->rng, 13, 17)
			      : (int)demo_between(&g->rng, 11, 15);
	int64_t t[32];
	for (int k = 0; k < count; k++)
		t[k] = demo_later(g, demo_at(day, 8, 30), 0, 450);
	for (int a = 1; a < count; a++)
		for (int b = a; b > 0 && t[b] < t[b - 1]; b--) {
			int64_t x = t[b];
			t[b] = t[b - 1];
			t[b - 1] = x;
		}
	for (int k = 0; k < count && n < 256; k++) {
		int v = demo_vehicle_pick(g, day);
		demo_job *j = demo_job_new(g, v, walk_in_kind(g), day);
		if (!j)
			break;
		g->veh[v].last_day = day;
		g->st.walk_ins++;
		arr[n].at = t[k];
		arr[n++].job = (size_t)(j - g->jobs);
	}
	return n;
}

static size_t comebacks(demo_gen *g, int day, arrival *arr, size_t n)
{
	for (int k = 0; k < g->n_cb && n < 256; k++) {
		demo_cb *c = &g->cb[k];
		if (c->day != day)
			continue;
		demo_job *j =
		    demo_job_new(g, c->vehicle, SVL_JOB_KIND_REPAIR, day);
		if (!j)
			break;
		g->veh[c->vehicle].last_day = day;
		j->comeback = 1;
		g->st.comebacks++;
		arr[n].at = demo_later(g, demo_at(day, 9, 0), 0, 360);
		arr[n++].job = (size_t)(j - g->jobs);
	}
	return n;
}

void demo_plan_comeback(demo_gen *g, const demo_job *j, int day)
{
	if (day >= g->days || g->n_cb >= (int)(sizeof g->cb / sizeof g->cb[0]))
		return;
	demo_cb *c = &g->cb[g->n_cb++];
	c->vehicle = j->vehicle;
	c->day = day;
	snprintf(c->fault, sizeof c->fault, "came back: %.80s", j->fault);
}

void demo_arrivals(demo_gen *g, int day)
{
	arrival arr[256];
	size_t n = 0;
	for (size_t k = 0; k < g->n_jobs && n < 200; k++) {
		demo_job *j = &g->jobs[k];
		if (j->phase == JP_BOOKED && j->slot_day == day &&
		    due_today(g, j, day)) {
			arr[n].at =
			    demo_later(g, j->slot_ms - 10 * DEMO_MIN_MS, 0, 25);
			arr[n++].job = k;
		}
	}
	n = comebacks(g, day, arr, n);
	n = walk_ins(g, day, arr, n);
	qsort(arr, n, sizeof *arr, arrival_cmp);
	for (size_t k = 0; k < n && !g->err[0]; k++) {
		demo_job *j = &g->jobs[arr[k].job];
		if (!j->booked) {
			demo_choose_lines(
			    g, j); /* what the inspection will find */
			demo_job_fault(g, j);
		}
		if (j->comeback)
			for (int c = 0; c < g->n_cb; c++)
				if (g->cb[c].day == day &&
				    g->cb[c].vehicle == j->vehicle)
					snprintf(j->fault, sizeof j->fault,
						 "%s", g->cb[c].fault);
		j->phase = JP_DONE;
		size_t from = g->n_ev;
		demo_receive(g, j, arr[k].at, day);
		reception_warning(g, j, from);
		requisition(g, j, from);
		slipping(g, j, from);
	}
}

/* Jobs kept overnight start first in the morning, once the ad hoc parts
 * are shelved (demo_parts_morning runs before). */
void demo_resume(demo_gen *g, int day)
{
	int64_t from = demo_at(day, 8, 40);
	for (size_t k = 0; k < g->n_jobs && !g->err[0]; k++) {
		demo_job *j = &g->jobs[k];
		if (j->phase != JP_WAITING || j->start_day != day)
			continue;
		demo_unhold_lines(g, j);
		if (!demo_lines_free(g, j)) { /* still short: order again */
			demo_order_short(g, j, day);
			demo_hold_lines(g, j);
			j->start_day = day + 1;
			/* R-BKG-8: the customer hears it in the morning */
			delay(g, j, demo_later(g, demo_at(day, 8, 50), 0, 20),
			      j->promised_ms + 24 * 60 * DEMO_MIN_MS,
			      "a part is still short: it arrives tomorrow");
			continue;
		}
		j->phase = JP_DONE;
		from += 3 * DEMO_MIN_MS;
		size_t ev = g->n_ev;
		demo_start_or_wait(g, j, day, from);
		slipping(g, j, ev);
	}
}
