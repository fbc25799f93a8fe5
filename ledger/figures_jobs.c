/*
 * figures_jobs.c - the booked jobs' figures, from the walk's facts:
 *
 *   R-WO-3   a job is booked when it has a booking_confirmed. Its parts
 *            are picked when a pick list naming the job is approved by
 *            the parts manager (pick_signed as outbound_approval, R-ISS-1)
 *            or parts are issued on it for the job, whichever comes first,
 *            over all its pick lists. A booked job received with a pick
 *            counts in the period of its reception; it was pre-picked when
 *            the pick was at or before the reception. A booked job
 *            received with no pick (yet) took no parts: it is counted
 *            apart (booked_no_pick), not in the ratio.
 *   R-BKG-8  the slot is the last one confirmed or moved (by log order);
 *            the reminder is due at the slot less one hour. A booking
 *            counts in the period of its slot once its reminder was due
 *            by the ledger's clock, unless it was cancelled, or the car
 *            was received, at or before that moment (nobody is reminded
 *            of an appointment that is off, or already kept). It was
 *            reminded in time when a booking_reminded happened at or
 *            after its slot was set and at or before the moment due
 *            (reached or not: the call is the shop's duty; the answer is
 *            the customer's).
 *
 * The facts are joined by document: a pick's run gives its job's first
 * pick (a SVL__FIG_PICKED fact in the job's run), then each job's run is
 * folded in log order.
 */
#include "figures_int.h"

/* ---- picks: the first approval or issue of each, for its job ---- */

static int pick_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	const char *wo = NULL;
	const svl__fig_fact *first = NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i].a[0] && !wo)
			wo = v[i].a; /* the request's job, else an issue's */
		if (v[i].type != SVL_T_PICK_REQUESTED &&
		    (!first || v[i].at_ms < first->at_ms))
			first = &v[i];
	}
	if (!wo || !first)
		return SVL_OK;
	svl__fig_facts *g = &f->g[SVL__FIG_JOBS];
	svl__fig_fact *x = SVL__FIG_PUSH(g->v, g->n, g->cap);
	if (!x)
		return SVL_ENOMEM;
	svl__fig_copy(x->id, sizeof x->id, wo, strlen(wo));
	svl__fig_copy(x->a, sizeof x->a, v[0].id, strlen(v[0].id));
	x->type = SVL__FIG_PICKED;
	x->seq = first->seq;
	x->at_ms = first->at_ms;
	return SVL_OK;
}

/* ---- one job ---- */

typedef struct job {
	int confirmed, received, cancelled, picked;
	int64_t slot_ms, slot_set_ms; /* the last slot and when it was set */
	int64_t received_ms, cancelled_ms, picked_ms;
	const char *pick;
} job;

static void job_step(job *j, const svl__fig_fact *x)
{
	switch (x->type) {
	case SVL_T_BOOKING_CONFIRMED:
	case SVL_T_BOOKING_RESCHEDULED:
		j->confirmed |= x->type == SVL_T_BOOKING_CONFIRMED;
		j->slot_ms = x->n;
		j->slot_set_ms = x->at_ms;
		break;
	case SVL_T_VEHICLE_RECEIVED:
		if (!j->received)
			j->received_ms = x->at_ms;
		j->received = 1;
		break;
	case SVL_T_BOOKING_CANCELLED:
		if (!j->cancelled)
			j->cancelled_ms = x->at_ms;
		j->cancelled = 1;
		break;
	case SVL__FIG_PICKED:
		if (!j->picked || x->at_ms < j->picked_ms) {
			j->picked_ms = x->at_ms;
			j->pick = x->a;
		}
		j->picked = 1;
		break;
	}
}

static svl_fig_job *push_job(svl__fig *f, svl_fig_job **v, size_t *n,
			     size_t *cap, const char *wo, const job *j,
			     int64_t at_ms)
{
	*v = svl__fig_grown(*v, *n, cap, sizeof **v);
	if (*n == *cap)
		return NULL;
	svl_fig_job *x = memset(&(*v)[(*n)++], 0, sizeof **v);
	svl__fig_label(f, at_ms, x->label);
	svl__fig_copy(x->wo_id, sizeof x->wo_id, wo, strlen(wo));
	x->slot_at_ms = j->slot_ms;
	x->received_at_ms = j->received ? j->received_ms : 0;
	x->picked_at_ms = j->picked ? j->picked_ms : 0;
	if (j->pick)
		svl__fig_copy(x->pick_id, sizeof x->pick_id, j->pick,
			      strlen(j->pick));
	return x;
}

/* R-WO-3 for a booked job. */
static int prepick(svl__fig *f, const char *wo, const job *j)
{
	svl_figures_row *row;
	if (!j->received)
		return SVL_OK;
	int rc = svl__fig_row(f, j->received_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	if (!j->picked) {
		row->c.booked_no_pick++;
		return SVL_OK;
	}
	row->c.booked_received++;
	if (j->picked_ms <= j->received_ms) {
		row->c.prepicked++;
		return SVL_OK;
	}
	svl_figures *r = f->out;
	return push_job(f, &r->prepick_misses, &r->n_prepick_misses,
			&f->cap_prepick, wo, j, j->received_ms)
		   ? SVL_OK
		   : SVL_ENOMEM;
}

/* R-BKG-8 for a booked job: v[0..n) are its facts in log order. */
static int remind(svl__fig *f, const char *wo, const job *j,
		  const svl__fig_fact *v, size_t n)
{
	int64_t due_ms = j->slot_ms - SVL_FIGURES_REMIND_LEAD_MS;
	if (due_ms > f->out->as_of_ms ||
	    (j->cancelled && j->cancelled_ms <= due_ms) ||
	    (j->received && j->received_ms <= due_ms))
		return SVL_OK;
	svl_figures_row *row;
	int rc = svl__fig_row(f, j->slot_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	row->c.reminders_due++;
	int in_time = 0;
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].type != SVL_T_BOOKING_REMINDED ||
		    v[i].at_ms < j->slot_set_ms)
			continue;
		in_time |= v[i].at_ms <= due_ms;
		if (!last || v[i].at_ms > last)
			last = v[i].at_ms;
	}
	if (in_time) {
		row->c.reminded_in_time++;
		return SVL_OK;
	}
	svl_figures *r = f->out;
	svl_fig_job *x = push_job(f, &r->unreminded, &r->n_unreminded,
				  &f->cap_unrem, wo, j, j->slot_ms);
	if (!x)
		return SVL_ENOMEM;
	x->reminded_at_ms = last;
	return SVL_OK;
}

static int job_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	job j;
	memset(&j, 0, sizeof j);
	for (size_t k = 0; k < n; k++)
		job_step(&j, &v[k]);
	if (!j.confirmed)
		return SVL_OK; /* a walk-in: neither figure asks about it */
	int rc = prepick(f, v[0].id, &j);
	return rc == SVL_OK ? remind(f, v[0].id, &j, v, n) : rc;
}

int svl__fig_jobs(svl__fig *f)
{
	int rc = svl__fig_runs(f, SVL__FIG_PICKS, pick_run);
	return rc == SVL_OK ? svl__fig_runs(f, SVL__FIG_JOBS, job_run) : rc;
}
