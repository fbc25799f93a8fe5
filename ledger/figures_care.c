/*
 * figures_care.c - the after-care figures, from the walk's events:
 *
 *   R-FU-7   every followup_attempted counts in the period of its
 *            called_at_ms (fu_calls); one with a quality_issue that is
 *            not empty is a problem, listed as the walk meets it (the
 *            day, the job, the problem, the department it names or
 *            "unassigned", who called: the event's actor) and counted by
 *            department. A job's calls are then folded in log order
 *            through the one follow-up round of model/followup.c
 *            (contact_reverified starting a new round, R-FU-6): a job
 *            whose follow-up stands reached or failed counts once, in the
 *            period of the call that settled it last; an open one is
 *            neither. Success is reached / (reached + failed), R-FU-2.
 *   R-FU-8   satisfaction: each job's first reached call that gave a
 *            score (the metrics' answer) counts in the period of that
 *            call, under the department the call named, or unassigned;
 *            a score off the rule set's scale is no answer (as the
 *            metrics'). The mean is in thousandths of a point.
 *            complaints: per complaint_opened, its last class (major as
 *            the live rule set's R-CMP-5 classes), the department and
 *            deadline of its last approved plan, its first resolution and
 *            closing; on time when resolved at or before the deadline,
 *            late when resolved after it or still unresolved when the
 *            ledger's clock passed it. Counted in the period of opening.
 *            lost customers: every customer_lost, listed as the walk
 *            meets it and counted by reason, in the period it happened.
 *   R-BKG-7  a job is a warranty-warning vehicle from its first
 *            booking_requested or vehicle_received with warranty_warning
 *            true, counted and listed in the period of that flag; its
 *            first warning_handed_off is the hand-off (outcome, time,
 *            who); without one it is pending.
 */
#include "figures_int.h"
#include "followup.h"

/* clang-format off */
static const uint32_t care_types[] = {
    SVL_T_FOLLOWUP_ATTEMPTED, SVL_T_CONTACT_REVERIFIED, SVL_T_CUSTOMER_LOST,
    SVL_T_COMPLAINT_OPENED, SVL_T_COMPLAINT_CLASSIFIED,
    SVL_T_COMPLAINT_PLAN_APPROVED, SVL_T_COMPLAINT_RESOLVED,
    SVL_T_COMPLAINT_CLOSED, SVL_T_BOOKING_REQUESTED, SVL_T_VEHICLE_RECEIVED,
    SVL_T_WARNING_HANDED_OFF,
};
/* clang-format on */

int svl__fig_care_kept(uint32_t type)
{
	for (size_t i = 0; i < sizeof care_types / sizeof care_types[0]; i++)
		if (care_types[i] == type)
			return 1;
	return 0;
}

static void copy_value(char *dst, size_t cap, const svl_value *v)
{
	if (v->present)
		svl__fig_copy(dst, cap, v->s, v->len);
	else
		dst[0] = '\0';
}

static int64_t int_or(const svl_value *v, int64_t none)
{
	return v->present ? v->i : none;
}

/* A fact of group g for the event, its document id, n, m and k. */
static svl__fig_fact *push_fact(svl__fig *f, int g, const svl_record *r,
				const svl_value *id)
{
	svl__fig_facts *x = &f->g[g];
	svl__fig_fact *a = SVL__FIG_PUSH(x->v, x->n, x->cap);
	if (!a)
		return NULL;
	copy_value(a->id, sizeof a->id, id);
	svl__fig_copy(a->who, sizeof a->who, r->actor, r->actor_len);
	a->type = r->type;
	a->seq = r->seq;
	a->at_ms = r->occurred_at_ms;
	a->k = -1;
	return a;
}

/* ---- during the walk ---- */

#define V(T, F) (&v->v[SVL_F_##T##_##F])

static int problem(svl__fig *f, const svl_record *r, const svl_event_view *v,
		   int64_t at_ms, int dept)
{
	svl_figures_row *row;
	int rc = svl__fig_row(f, at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	row->c.fu_problems++;
	row->c.fu_problems_dept[dept]++;
	svl_figures *o = f->out;
	svl_fig_problem *p =
	    SVL__FIG_PUSH(o->problems, o->n_problems, f->cap_problems);
	if (!p)
		return SVL_ENOMEM;
	svl__fig_label(f, at_ms, p->label);
	p->day = svl_rules_local_day(&f->rules, at_ms);
	p->called_at_ms = at_ms;
	copy_value(p->wo_id, sizeof p->wo_id, V(FOLLOWUP_ATTEMPTED, WO_ID));
	copy_value(p->problem, sizeof p->problem,
		   V(FOLLOWUP_ATTEMPTED, QUALITY_ISSUE));
	p->department = dept;
	svl__fig_copy(p->who, sizeof p->who, r->actor, r->actor_len);
	return SVL_OK;
}

static int followup(svl__fig *f, const svl_record *r, const svl_event_view *v)
{
	svl__fig_fact *x =
	    push_fact(f, SVL__FIG_FU, r, V(FOLLOWUP_ATTEMPTED, WO_ID));
	if (!x)
		return SVL_ENOMEM;
	x->at_ms = V(FOLLOWUP_ATTEMPTED, CALLED_AT_MS)->i;
	x->n = V(FOLLOWUP_ATTEMPTED, OUTCOME)->i;
	x->m = int_or(V(FOLLOWUP_ATTEMPTED, SATISFACTION_SCORE), 0);
	x->k = int_or(V(FOLLOWUP_ATTEMPTED, DEPARTMENT), -1);
	const svl_value *q = V(FOLLOWUP_ATTEMPTED, QUALITY_ISSUE);
	if (!q->present || q->len == 0)
		return SVL_OK;
	int dept = x->k >= 0 && x->k < SVL_DEPARTMENT__COUNT
		       ? (int)x->k
		       : SVL_FIGURES_DEPT_UNASSIGNED;
	return problem(f, r, v, x->at_ms, dept);
}

static int lost(svl__fig *f, const svl_record *r, const svl_event_view *v)
{
	svl_figures_row *row;
	int64_t reason = V(CUSTOMER_LOST, REASON)->i;
	int rc = svl__fig_row(f, r->occurred_at_ms, &row);
	if (rc != SVL_OK || !row || reason < 0 ||
	    reason >= SVL_FIGURES_LOST_REASONS)
		return rc;
	row->c.lost++;
	row->c.lost_reason[reason]++;
	svl_figures *o = f->out;
	svl_fig_lost *x = SVL__FIG_PUSH(o->lost, o->n_lost, f->cap_lost);
	if (!x)
		return SVL_ENOMEM;
	svl__fig_label(f, r->occurred_at_ms, x->label);
	copy_value(x->customer_id, sizeof x->customer_id,
		   V(CUSTOMER_LOST, CUSTOMER_ID));
	x->lost_at_ms = r->occurred_at_ms;
	x->reason = (int)reason;
	copy_value(x->wo_id, sizeof x->wo_id, V(CUSTOMER_LOST, WO_ID));
	svl__fig_copy(x->who, sizeof x->who, r->actor, r->actor_len);
	return SVL_OK;
}

/* A complaint's event: n its class, deadline or confirmation, k the
 * plan's department, a the job complained about. */
static int complaint(svl__fig *f, const svl_record *r, const svl_event_view *v)
{
	_Static_assert(SVL_F_COMPLAINT_OPENED_CMP_ID == 0 &&
			   SVL_F_COMPLAINT_CLASSIFIED_CMP_ID == 0 &&
			   SVL_F_COMPLAINT_PLAN_APPROVED_CMP_ID == 0 &&
			   SVL_F_COMPLAINT_RESOLVED_CMP_ID == 0 &&
			   SVL_F_COMPLAINT_CLOSED_CMP_ID == 0,
		       "every complaint event leads with its id");
	svl__fig_fact *x = push_fact(f, SVL__FIG_CMP, r, &v->v[0]);
	if (!x)
		return SVL_ENOMEM;
	switch (r->type) {
	case SVL_T_COMPLAINT_OPENED:
		copy_value(x->a, sizeof x->a, V(COMPLAINT_OPENED, WO_ID));
		break;
	case SVL_T_COMPLAINT_CLASSIFIED:
		x->n = V(COMPLAINT_CLASSIFIED, SEVERITY)->i;
		break;
	case SVL_T_COMPLAINT_PLAN_APPROVED:
		x->n = V(COMPLAINT_PLAN_APPROVED, DEADLINE_AT_MS)->i;
		x->k = V(COMPLAINT_PLAN_APPROVED, DEPARTMENT)->i;
		break;
	case SVL_T_COMPLAINT_CLOSED:
		x->n = V(COMPLAINT_CLOSED, CUSTOMER_CONFIRMED)->i;
		break;
	}
	return SVL_OK;
}

/* A warranty flag (kept only when set) or a hand-off: n its outcome. */
static int warning(svl__fig *f, const svl_record *r, const svl_event_view *v)
{
	const svl_value *flag = NULL;
	if (r->type == SVL_T_BOOKING_REQUESTED)
		flag = V(BOOKING_REQUESTED, WARRANTY_WARNING);
	else if (r->type == SVL_T_VEHICLE_RECEIVED)
		flag = V(VEHICLE_RECEIVED, WARRANTY_WARNING);
	if (flag && !(flag->present && flag->i))
		return SVL_OK;
	_Static_assert(SVL_F_BOOKING_REQUESTED_WO_ID == 0 &&
			   SVL_F_VEHICLE_RECEIVED_WO_ID == 0 &&
			   SVL_F_WARNING_HANDED_OFF_WO_ID == 0,
		       "every warning event leads with its job");
	svl__fig_fact *x = push_fact(f, SVL__FIG_WARN, r, &v->v[0]);
	if (!x)
		return SVL_ENOMEM;
	if (!flag)
		x->n = V(WARNING_HANDED_OFF, OUTCOME)->i;
	return SVL_OK;
}

int svl__fig_care_event(svl__fig *f, const svl_record *r,
			const svl_event_view *v)
{
	switch (r->type) {
	case SVL_T_FOLLOWUP_ATTEMPTED:
		return followup(f, r, v);
	case SVL_T_CONTACT_REVERIFIED:
		return push_fact(f, SVL__FIG_FU, r,
				 V(CONTACT_REVERIFIED, WO_ID))
			   ? SVL_OK
			   : SVL_ENOMEM;
	case SVL_T_CUSTOMER_LOST:
		return lost(f, r, v);
	case SVL_T_BOOKING_REQUESTED:
	case SVL_T_VEHICLE_RECEIVED:
	case SVL_T_WARNING_HANDED_OFF:
		return warning(f, r, v);
	default:
		return complaint(f, r, v);
	}
}

#undef V

/* ---- after the walk: one job's follow-up ---- */

/* Satisfaction: the job's first reached answer, if on the scale. */
static int answer(svl__fig *f, const svl__fig_fact *x)
{
	svl_figures_row *row;
	if (x->m < 1 || x->m > f->rules.satisfaction_scale)
		return SVL_OK;
	int rc = svl__fig_row(f, x->at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	int d = x->k >= 0 && x->k < SVL_DEPARTMENT__COUNT
		    ? (int)x->k
		    : SVL_FIGURES_DEPT_UNASSIGNED;
	row->c.sat_answers[d]++;
	row->c.sat_score_sum[d] += x->m;
	return SVL_OK;
}

static int fu_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	svl__fu_round round;
	svl_figures_row *row;
	int64_t settled_ms = 0;
	int answered = 0, rc = SVL_OK;
	svl__fu_init(&round);
	for (size_t i = 0; rc == SVL_OK && i < n; i++) {
		const svl__fig_fact *x = &v[i];
		if (x->type == SVL_T_CONTACT_REVERIFIED) {
			svl__fu_new_round(&round);
			continue;
		}
		int64_t was = round.result;
		svl__fu_call(&round, x->n, x->at_ms, &f->rules);
		if (round.result != was && round.result != SVL_FU_OPEN)
			settled_ms = x->at_ms;
		if ((rc = svl__fig_row(f, x->at_ms, &row)) == SVL_OK && row)
			row->c.fu_calls++;
		if (rc == SVL_OK && !answered &&
		    x->n == SVL_FU_OUTCOME_REACHED && x->m) {
			answered = 1; /* the first answer counts */
			rc = answer(f, x);
		}
	}
	if (rc != SVL_OK ||
	    (round.result != SVL_FU_REACHED && round.result != SVL_FU_FAILED))
		return rc;
	if ((rc = svl__fig_row(f, settled_ms, &row)) != SVL_OK || !row)
		return rc;
	if (round.result == SVL_FU_REACHED)
		row->c.fu_reached++;
	else
		row->c.fu_failed++;
	return SVL_OK;
}

/* ---- one complaint ---- */

static void cmp_step(svl_fig_complaint *c, const svl__fig_fact *x)
{
	switch (x->type) {
	case SVL_T_COMPLAINT_CLASSIFIED:
		c->severity = (int)x->n;
		break;
	case SVL_T_COMPLAINT_PLAN_APPROVED:
		c->deadline_at_ms = x->n;
		c->department = (int)x->k;
		break;
	case SVL_T_COMPLAINT_RESOLVED:
		if (!c->resolved_at_ms)
			c->resolved_at_ms = x->at_ms;
		break;
	case SVL_T_COMPLAINT_CLOSED:
		if (!c->closed_at_ms) {
			c->closed_at_ms = x->at_ms;
			c->customer_confirmed = x->n != 0;
		}
		break;
	}
}

static int on_time(const svl_fig_complaint *c, int64_t now_ms)
{
	if (!c->deadline_at_ms)
		return -1;
	if (c->resolved_at_ms)
		return c->resolved_at_ms <= c->deadline_at_ms;
	return now_ms > c->deadline_at_ms ? 0 : -1;
}

static int cmp_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	svl_figures_row *row;
	if (v[0].type != SVL_T_COMPLAINT_OPENED)
		return SVL_OK; /* its opening is its first event */
	int rc = svl__fig_row(f, v[0].at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	svl_figures *o = f->out;
	svl_fig_complaint *c =
	    SVL__FIG_PUSH(o->complaints, o->n_complaints, f->cap_cmp);
	if (!c)
		return SVL_ENOMEM;
	svl__fig_label(f, v[0].at_ms, c->label);
	svl__fig_copy(c->cmp_id, sizeof c->cmp_id, v[0].id, strlen(v[0].id));
	svl__fig_copy(c->wo_id, sizeof c->wo_id, v[0].a, strlen(v[0].a));
	c->opened_at_ms = v[0].at_ms;
	c->severity = c->department = -1;
	for (size_t i = 1; i < n; i++)
		cmp_step(c, &v[i]);
	c->major = c->severity >= 0 && c->severity < 32 &&
		   ((f->rules.major_complaint_mask >> c->severity) & 1u);
	c->on_time = on_time(c, o->as_of_ms);
	row->c.complaints++;
	row->c.cmp_major += c->major;
	row->c.cmp_resolved += c->resolved_at_ms != 0;
	row->c.cmp_on_time += c->on_time == 1;
	row->c.cmp_late += c->on_time == 0;
	row->c.cmp_confirmed += c->closed_at_ms && c->customer_confirmed;
	return SVL_OK;
}

/* ---- one warranty-warning vehicle ---- */

static int warn_run(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	const svl__fig_fact *flag = NULL, *hand = NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i].type == SVL_T_WARNING_HANDED_OFF)
			hand = hand ? hand : &v[i];
		else
			flag = flag ? flag : &v[i];
	}
	svl_figures_row *row;
	if (!flag)
		return SVL_OK; /* a hand-off without a flag: not a warning */
	int rc = svl__fig_row(f, flag->at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	svl_figures *o = f->out;
	svl_fig_warning *w =
	    SVL__FIG_PUSH(o->warnings, o->n_warnings, f->cap_warn);
	if (!w)
		return SVL_ENOMEM;
	svl__fig_label(f, flag->at_ms, w->label);
	svl__fig_copy(w->wo_id, sizeof w->wo_id, flag->id, strlen(flag->id));
	w->flagged_at_ms = flag->at_ms;
	w->flagged_by = flag->type;
	w->outcome = -1;
	row->c.warnings++;
	if (!hand)
		return SVL_OK;
	row->c.warnings_handed_off++;
	w->handed_off_at_ms = hand->at_ms;
	w->outcome = (int)hand->n;
	svl__fig_copy(w->who, sizeof w->who, hand->who, strlen(hand->who));
	return SVL_OK;
}

int svl__fig_care(svl__fig *f)
{
	int rc = svl__fig_runs(f, SVL__FIG_FU, fu_run);
	if (rc == SVL_OK)
		rc = svl__fig_runs(f, SVL__FIG_CMP, cmp_run);
	if (rc == SVL_OK)
		rc = svl__fig_runs(f, SVL__FIG_WARN, warn_run);
	return rc;
}
