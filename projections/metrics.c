/*
 * metrics.c - the satisfaction-metrics fold: a small record per job, the
 * job's contribution to the rows of its delivery period, write-offs and
 * unlinked complaints. docs/projections.md ("Satisfaction metrics")
 * defines every counter; metrics_int.h explains the shape.
 *
 * Invariants:
 *  1. Every row equals the sum of svl__mc_contrib over the jobs delivered
 *     in its period (with its advisor or technician), plus the write-offs
 *     approved and the unlinked complaints opened in it (overall rows).
 *  2. A job contributes nothing until it is delivered; it is moved, never
 *     copied, when its delivery day, advisor or technician changes.
 *  3. Rule knobs are read at fold time (call windows, attempts for
 *     failure, major classes, window days, split) or at contribution time
 *     (scale, threshold, follow-up window): either way the rows are a
 *     function of the log and one rule set, as rebuilds require.
 */
#include <string.h>

#include "metrics_int.h"
#include "svl_decide.h"

#define F(e, T, FIELD) ((e)->v.v[SVL_F_##T##_##FIELD])
#define J(j, X) ((j)->v[SVL__MJ_##X])
#define JS(j, X) ((j)->s[SVL__MJ_##X])

typedef struct m_ev {
	svl_proj_ctx *c;
	const svl_record *r;
	svl_event_view v;
} m_ev;

static int bad_event(m_ev *e, const char *what)
{
	return svl_txn_fail(e->c->txn, SVL_ECORRUPT,
			    "metrics: seq %llu (type %u): %s",
			    (unsigned long long)e->r->seq, e->r->type, what);
}

/* ---- rows ---- */

static size_t row_key(uint8_t *k, char period, char by, int64_t day,
		      const char *id)
{
	size_t n = strlen(id);
	k[0] = 'm';
	k[1] = (uint8_t)period;
	k[2] = (uint8_t)by;
	svl__be32_put(k + 3, svl__day_bias(day));
	memcpy(k + 7, id, n);
	return n + 7;
}

/* row += sign * vec; a row that becomes all zero is deleted. */
static int row_add(m_ev *e, char period, char by, int64_t day, const char *id,
		   const int64_t vec[SVL__MC_N], int sign)
{
	uint8_t k[SVL__MROW_KEY_MAX], buf[SVL__MROW_BUF];
	size_t kl = row_key(k, period, by, day, id);
	int64_t c[SVL__MC_N];
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, k, kl, &v, &n);
	if (rc == SVL_ENOTFOUND)
		memset(c, 0, sizeof c);
	else if (rc != SVL_OK)
		return rc;
	else if (!svl__mrow_decode(v, n, c))
		return bad_event(e, "a metrics row does not decode");
	int any = 0;
	for (int i = 0; i < SVL__MC_N; i++) {
		c[i] += sign * vec[i];
		any |= c[i] != 0;
	}
	if (!any)
		return rc == SVL_OK ? svl__proj_del(e->c, k, kl) : SVL_OK;
	return svl__proj_put(e->c, k, kl, buf, svl__mrow_encode(c, buf));
}

/* vec into the day, week and month rows of `day`, for each `by`. */
static int rows_add(m_ev *e, int64_t day, const char *advisor,
		    const char *technician, const int64_t vec[SVL__MC_N],
		    int sign)
{
	static const char period_tag[3] = {'D', 'W', 'M'};
	int rc = SVL_OK;
	for (int p = 0; p < 3 && rc == SVL_OK; p++) {
		int64_t start =
		    svl__period_start((enum svl_metrics_period)p, day);
		rc = row_add(e, period_tag[p], 'O', start, "", vec, sign);
		if (rc == SVL_OK && advisor[0])
			rc = row_add(e, period_tag[p], 'A', start, advisor, vec,
				     sign);
		if (rc == SVL_OK && technician[0])
			rc = row_add(e, period_tag[p], 'T', start, technician,
				     vec, sign);
	}
	return rc;
}

/* ---- a job's contribution ---- */

static void contrib(const svl_rules *ru, const svl__mj *j,
		    int64_t out[SVL__MC_N])
{
	memset(out, 0, SVL__MC_N * sizeof out[0]);
	int64_t at = J(j, DELIVERED_AT_MS);
	if (!at)
		return;
	out[SVL__MC_DELIVERED] = 1;
	if (J(j, FU_ATTEMPTS) > 0) { /* R-FU-1: called 1 to 3 days after */
		int64_t days = svl_rules_local_day(ru, J(j, FU_FIRST_AT_MS)) -
			       svl_rules_local_day(ru, at);
		out[SVL__MC_FU_COVERED] = 1;
		out[SVL__MC_FU_IN_WINDOW] = days >= ru->followup_min_days &&
					    days <= ru->followup_max_days;
	}
	out[SVL__MC_FU_ATTEMPTS] = J(j, FU_ATTEMPTS);
	out[SVL__MC_FU_ATTEMPTS_CW] = J(j, FU_ATTEMPTS_CW);
	int reached = J(j, FU_RESULT) == SVL_FU_REACHED;
	out[SVL__MC_FU_REACHED] = reached;
	out[SVL__MC_FU_FAILED] = J(j, FU_RESULT) == SVL_FU_FAILED;
	int64_t score = J(j, SCORE);
	int answered = reached && score >= 1 && score <= ru->satisfaction_scale;
	out[SVL__MC_ANSWERED] = answered;
	out[SVL__MC_SATISFIED] =
	    answered && score >= ru->satisfaction_threshold;
	out[SVL__MC_SCORE_SUM] = answered ? score : 0;
	out[SVL__MC_COMPLAINTS] = J(j, COMPLAINTS);
	out[SVL__MC_MAJOR_COMPLAINTS] = J(j, MAJOR);
	out[SVL__MC_REWORKED] = J(j, REWORKED) != 0;
	out[SVL__MC_COMEBACKS] = J(j, CAME_BACK) != 0;
	out[SVL__MC_FIRST_TIME_FIX] = !J(j, REWORKED) && !J(j, CAME_BACK);
	out[SVL__MC_PROMISED] = J(j, PROMISED_AT_MS) != 0;
	out[SVL__MC_ON_TIME] =
	    J(j, PROMISED_AT_MS) != 0 && at <= J(j, PROMISED_AT_MS);
}

/* ---- job records ---- */

static void job_init(svl__mj *j)
{
	memset(j, 0, sizeof *j);
	J(j, JOB_KIND) = -1;
	J(j, FU_LAST) = -1;
}

static size_t job_encode(const svl__mj *j, uint8_t *buf)
{
	uint8_t *p = svl__mp_put_array_hdr(buf, SVL__MJ_NI + SVL__MJ_NS);
	for (int i = 0; i < SVL__MJ_NI; i++)
		p = svl__mp_put_int(p, j->v[i]);
	for (int i = 0; i < SVL__MJ_NS; i++)
		p = svl__mp_put_str(p, j->s[i], (uint32_t)strlen(j->s[i]));
	return (size_t)(p - buf);
}

static bool job_decode(const void *val, size_t len, svl__mj *j)
{
	svl_mp_reader r = {val, (const uint8_t *)val + len};
	uint32_t n;
	if (!svl__mp_read_array(&r, &n) || n != SVL__MJ_NI + SVL__MJ_NS)
		return false;
	for (int i = 0; i < SVL__MJ_NI; i++)
		if (!svl__rd_i64(&r, &j->v[i]))
			return false;
	for (int i = 0; i < SVL__MJ_NS; i++) {
		const char *s;
		if (!svl__mp_read_str(&r, &s, &n) || n > SVL_WO_ID_MAX ||
		    memchr(s, 0, n))
			return false;
		memcpy(j->s[i], s, n);
		j->s[i][n] = '\0';
	}
	return r.p == r.end;
}

static size_t job_key(uint8_t *k, const char *wo)
{
	size_t n = strlen(wo);
	k[0] = 'j';
	memcpy(k + 1, wo, n);
	return n + 1;
}

/* *exists = 0 and an empty record when the job is new. */
static int job_load(m_ev *e, const char *wo, svl__mj *j, int *exists)
{
	uint8_t k[1 + SVL_WO_ID_MAX];
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, k, job_key(k, wo), &v, &n);
	job_init(j);
	*exists = rc == SVL_OK;
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc == SVL_OK && !job_decode(v, n, j))
		return bad_event(e, "a job record does not decode");
	return rc;
}

static bool same_rows(const svl_rules *ru, const svl__mj *a, const svl__mj *b)
{
	return svl_rules_local_day(ru, J(a, DELIVERED_AT_MS)) ==
		   svl_rules_local_day(ru, J(b, DELIVERED_AT_MS)) &&
	       (J(a, DELIVERED_AT_MS) != 0) == (J(b, DELIVERED_AT_MS) != 0) &&
	       strcmp(JS(a, ADVISOR), JS(b, ADVISOR)) == 0 &&
	       strcmp(JS(a, TECHNICIAN), JS(b, TECHNICIAN)) == 0;
}

/* Store the job and move its contribution from old's rows to j's. */
static int job_store(m_ev *e, const char *wo, const svl__mj *old,
		     const svl__mj *j)
{
	const svl_rules *ru = &e->c->st.rules;
	uint8_t k[1 + SVL_WO_ID_MAX], buf[SVL__MJ_BUF];
	int rc =
	    svl__proj_put(e->c, k, job_key(k, wo), buf, job_encode(j, buf));
	int64_t a[SVL__MC_N], b[SVL__MC_N];
	contrib(ru, old, a);
	contrib(ru, j, b);
	if (rc != SVL_OK)
		return rc;
	if (same_rows(ru, old, j)) {
		if (memcmp(a, b, sizeof a) == 0)
			return SVL_OK;
		for (int i = 0; i < SVL__MC_N; i++)
			b[i] -= a[i];
		return rows_add(e,
				svl_rules_local_day(ru, J(j, DELIVERED_AT_MS)),
				JS(j, ADVISOR), JS(j, TECHNICIAN), b, 1);
	}
	if (J(old, DELIVERED_AT_MS))
		rc = rows_add(e,
			      svl_rules_local_day(ru, J(old, DELIVERED_AT_MS)),
			      JS(old, ADVISOR), JS(old, TECHNICIAN), a, -1);
	if (rc == SVL_OK && J(j, DELIVERED_AT_MS))
		rc = rows_add(e, svl_rules_local_day(ru, J(j, DELIVERED_AT_MS)),
			      JS(j, ADVISOR), JS(j, TECHNICIAN), b, 1);
	return rc;
}

/* ---- job events ---- */

static int copy_id(m_ev *e, char *dst, const svl_value *v)
{
	if (!v->present)
		return SVL_OK; /* optional and absent: keep what we knew */
	return svl__wo_copy_id(dst, v, SVL_WO_ID_MAX)
		   ? SVL_OK
		   : bad_event(e, "an id or plate does not fit");
}

/* The advisor, ranked as in work_orders.c: reception 3, quote 2, booking 1. */
static int advisor(m_ev *e, svl__mj *j, int rank)
{
	static const char role[] = "service_advisor";
	if (e->r->role_len != sizeof role - 1 ||
	    memcmp(e->r->role, role, sizeof role - 1) != 0 ||
	    rank < J(j, ADVISOR_RANK))
		return SVL_OK;
	svl_value actor = svl_val_strn(e->r->actor, e->r->actor_len);
	if (e->r->actor_len == 0 ||
	    !svl__wo_copy_id(JS(j, ADVISOR), &actor, SVL_WO_ID_MAX))
		return bad_event(e, "advisor id does not fit");
	J(j, ADVISOR_RANK) = rank;
	return SVL_OK;
}

/* A comeback (work_orders_int.h) marks the original job, whose delivery
 * row is revised: its first-time fix is taken back. */
static int comeback_check(m_ev *e, const char *wo, svl__mj *j)
{
	char prev[SVL_WO_ID_MAX + 1];
	int64_t at;
	if (J(j, IS_COMEBACK) || !svl__comeback_kind(J(j, JOB_KIND)))
		return SVL_OK;
	int rc = svl__vehicle_last(e->c, JS(j, VIN), JS(j, PLATE), prev, &at);
	if (rc != SVL_OK || !prev[0] || strcmp(prev, wo) == 0 ||
	    !svl__comeback_within(at, J(j, FIRST_AT_MS), &e->c->st.rules))
		return rc;
	J(j, IS_COMEBACK) = 1;
	svl__mj orig, before;
	int exists;
	if ((rc = job_load(e, prev, &orig, &exists)) != SVL_OK || !exists ||
	    J(&orig, CAME_BACK))
		return rc;
	before = orig;
	J(&orig, CAME_BACK) = 1;
	return job_store(e, prev, &before, &orig);
}

static int on_booking(m_ev *e, const char *wo, svl__mj *j)
{
	int rc;
	if (e->r->type == SVL_T_BOOKING_CONFIRMED)
		return advisor(e, j, 1);
	if (J(j, FIRST_AT_MS) == 0)
		J(j, FIRST_AT_MS) = e->r->occurred_at_ms;
	if (e->r->type == SVL_T_BOOKING_REQUESTED) {
		J(j, JOB_KIND) = F(e, BOOKING_REQUESTED, JOB_KIND).i;
		if ((rc = copy_id(e, JS(j, VIN),
				  &F(e, BOOKING_REQUESTED, VIN))) ||
		    (rc = copy_id(e, JS(j, PLATE),
				  &F(e, BOOKING_REQUESTED, PLATE))) ||
		    (rc = advisor(e, j, 1)))
			return rc;
	} else { /* SVL_T_VEHICLE_RECEIVED */
		J(j, JOB_KIND) = F(e, VEHICLE_RECEIVED, JOB_KIND).i;
		if ((rc = copy_id(e, JS(j, VIN),
				  &F(e, VEHICLE_RECEIVED, VIN))) ||
		    (rc = copy_id(e, JS(j, PLATE),
				  &F(e, VEHICLE_RECEIVED, PLATE))) ||
		    (rc = advisor(e, j, 3)))
			return rc;
	}
	return comeback_check(e, wo, j);
}

/* A call, or a re-verified contact starting a new round (R-FU-6). */
static int on_followup(m_ev *e, svl__mj *j)
{
	const svl_rules *ru = &e->c->st.rules;
	svl__fu_round f = {J(j, FU_RESULT), J(j, FU_UNREACHED), J(j, FU_PARTS),
			   J(j, FU_LAST), J(j, FU_FAILING)};
	if (e->r->type == SVL_T_CONTACT_REVERIFIED) {
		svl__fu_new_round(&f);
	} else {
		int64_t at = F(e, FOLLOWUP_ATTEMPTED, CALLED_AT_MS).i;
		int64_t outcome = F(e, FOLLOWUP_ATTEMPTED, OUTCOME).i;
		const svl_value *score =
		    &F(e, FOLLOWUP_ATTEMPTED, SATISFACTION_SCORE);
		J(j, FU_ATTEMPTS)++;
		J(j, FU_ATTEMPTS_CW) += svl_rules_in_call_window(ru, at) != 0;
		if (J(j, FU_FIRST_AT_MS) == 0)
			J(j, FU_FIRST_AT_MS) = at;
		svl__fu_call(&f, outcome, at, ru);
		if (outcome == SVL_FU_OUTCOME_REACHED && score->present &&
		    J(j, SCORE) == 0)
			J(j, SCORE) = score->i; /* the first answer counts */
	}
	J(j, FU_RESULT) = f.result;
	J(j, FU_UNREACHED) = f.unreached;
	J(j, FU_PARTS) = f.parts;
	J(j, FU_LAST) = f.last;
	J(j, FU_FAILING) = f.failing;
	return SVL_OK;
}

static int on_job_event(m_ev *e, const char *wo, svl__mj *j)
{
	int rc;
	switch (e->r->type) {
	case SVL_T_BOOKING_REQUESTED:
	case SVL_T_BOOKING_CONFIRMED:
	case SVL_T_VEHICLE_RECEIVED:
		return on_booking(e, wo, j);
	case SVL_T_QUOTE_ISSUED:
		J(j, PROMISED_AT_MS) = F(e, QUOTE_ISSUED, PROMISED_AT_MS).i;
		return advisor(e, j, 2);
	case SVL_T_QUOTE_REVISED:
		J(j, PROMISED_AT_MS) = F(e, QUOTE_REVISED, PROMISED_AT_MS).i;
		return advisor(e, j, 2);
	case SVL_T_WORK_ORDER_CONFIRMED:
		J(j, PROMISED_AT_MS) =
		    F(e, WORK_ORDER_CONFIRMED, PROMISED_AT_MS).i;
		return SVL_OK;
	case SVL_T_WORK_DISPATCHED:
		return copy_id(e, JS(j, TECHNICIAN),
			       &F(e, WORK_DISPATCHED, TECHNICIAN_ID));
	case SVL_T_WORK_COMPLETED:
		return JS(j, TECHNICIAN)[0]
			   ? SVL_OK
			   : copy_id(e, JS(j, TECHNICIAN),
				     &F(e, WORK_COMPLETED, TECHNICIAN_ID));
	case SVL_T_QC_CHECKED:
		J(j, REWORKED) |= !F(e, QC_CHECKED, PASSED).i;
		return SVL_OK;
	case SVL_T_REWORK_ORDERED:
		J(j, REWORKED) = 1;
		return SVL_OK;
	case SVL_T_VEHICLE_DELIVERED:
		J(j, DELIVERED_AT_MS) = e->r->occurred_at_ms;
		rc = svl__vehicle_delivered(e->c, JS(j, VIN), JS(j, PLATE), wo,
					    e->r->occurred_at_ms);
		return rc;
	default: /* SVL_T_FOLLOWUP_ATTEMPTED, SVL_T_CONTACT_REVERIFIED */
		return on_followup(e, j);
	}
}

static int job_event(m_ev *e)
{
	char wo[SVL_WO_ID_MAX + 1];
	svl__mj j, old;
	int exists;
	_Static_assert(SVL_F_BOOKING_REQUESTED_WO_ID == 0 &&
			   SVL_F_VEHICLE_DELIVERED_WO_ID == 0 &&
			   SVL_F_FOLLOWUP_ATTEMPTED_WO_ID == 0 &&
			   SVL_F_QC_CHECKED_WO_ID == 0 &&
			   SVL_F_CONTACT_REVERIFIED_WO_ID == 0,
		       "the job's id is field 0 of wo- stream events");
	if (!e->v.v[0].present ||
	    !svl__wo_copy_id(wo, &e->v.v[0], SVL_WO_ID_MAX))
		return bad_event(e, "work order id");
	int rc = job_load(e, wo, &j, &exists);
	if (rc != SVL_OK)
		return rc;
	old = j;
	if ((rc = on_job_event(e, wo, &j)) != SVL_OK)
		return rc;
	if (exists && memcmp(&old, &j, sizeof j) == 0)
		return SVL_OK; /* nothing the figures need changed */
	return job_store(e, wo, &old, &j);
}

/* ---- complaints (R-CMP-2, R-CMP-5) ----
 * A complaint naming a known job counts with the job (in its delivery
 * rows); one naming none counts on the day it was opened, overall. */

typedef struct cmp_rec {
	char wo[SVL_WO_ID_MAX + 1]; /* "" unlinked */
	int64_t opened_at_ms, severity, major;
} cmp_rec;

static size_t cmp_key(uint8_t *k, const char *cmp)
{
	size_t n = strlen(cmp);
	k[0] = 'c';
	memcpy(k + 1, cmp, n);
	return n + 1;
}

static int cmp_load(m_ev *e, const char *cmp, cmp_rec *out)
{
	uint8_t k[1 + SVL_WO_ID_MAX];
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, k, cmp_key(k, cmp), &v, &n);
	if (rc != SVL_OK)
		return rc;
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len;
	const char *s;
	if (!svl__mp_read_array(&r, &len) || len != 4 ||
	    !svl__mp_read_str(&r, &s, &len) || len > SVL_WO_ID_MAX ||
	    !svl__mp_read_int(&r, &out->opened_at_ms) ||
	    !svl__mp_read_int(&r, &out->severity) ||
	    !svl__mp_read_int(&r, &out->major))
		return bad_event(e, "a complaint record does not decode");
	memcpy(out->wo, s, len);
	out->wo[len] = '\0';
	return SVL_OK;
}

static int cmp_store(m_ev *e, const char *cmp, const cmp_rec *c)
{
	uint8_t k[1 + SVL_WO_ID_MAX], buf[40 + SVL_WO_ID_MAX], *p;
	p = svl__mp_put_array_hdr(buf, 4);
	p = svl__mp_put_str(p, c->wo, (uint32_t)strlen(c->wo));
	p = svl__mp_put_int(p, c->opened_at_ms);
	p = svl__mp_put_int(p, c->severity);
	p = svl__mp_put_int(p, c->major);
	return svl__proj_put(e->c, k, cmp_key(k, cmp), buf, (size_t)(p - buf));
}

/* Count `complaints` more complaints and `major` more major ones, with
 * the job or on the opening day. */
static int cmp_count(m_ev *e, const cmp_rec *c, int64_t complaints,
		     int64_t major)
{
	if (!c->wo[0]) {
		int64_t vec[SVL__MC_N] = {0};
		vec[SVL__MC_COMPLAINTS] = complaints;
		vec[SVL__MC_MAJOR_COMPLAINTS] = major;
		return rows_add(
		    e, svl_rules_local_day(&e->c->st.rules, c->opened_at_ms),
		    "", "", vec, 1);
	}
	svl__mj j, old;
	int exists;
	int rc = job_load(e, c->wo, &j, &exists);
	if (rc != SVL_OK)
		return rc;
	old = j;
	J(&j, COMPLAINTS) += complaints;
	J(&j, MAJOR) += major;
	return job_store(e, c->wo, &old, &j);
}

static int on_complaint(m_ev *e)
{
	char cmp[SVL_WO_ID_MAX + 1];
	cmp_rec c;
	int rc;
	if (e->r->type == SVL_T_COMPLAINT_CLASSIFIED) {
		if (!svl__wo_copy_id(cmp, &F(e, COMPLAINT_CLASSIFIED, CMP_ID),
				     SVL_WO_ID_MAX))
			return bad_event(e, "complaint id");
		if ((rc = cmp_load(e, cmp, &c)) != SVL_OK)
			return rc == SVL_ENOTFOUND ? SVL_OK : rc;
		int64_t sev = F(e, COMPLAINT_CLASSIFIED, SEVERITY).i;
		int64_t major =
		    sev >= 0 && sev < 32 &&
		    ((e->c->st.rules.major_complaint_mask >> sev) & 1u);
		int64_t delta = major - c.major;
		c.severity = sev;
		c.major = major;
		if ((rc = cmp_store(e, cmp, &c)) != SVL_OK || delta == 0)
			return rc;
		return cmp_count(e, &c, 0, delta);
	}
	if (!svl__wo_copy_id(cmp, &F(e, COMPLAINT_OPENED, CMP_ID),
			     SVL_WO_ID_MAX) ||
	    !svl__wo_copy_id(c.wo, &F(e, COMPLAINT_OPENED, WO_ID),
			     SVL_WO_ID_MAX))
		return bad_event(e, "complaint or work order id");
	cmp_rec seen;
	if ((rc = cmp_load(e, cmp, &seen)) != SVL_ENOTFOUND)
		return rc; /* opened twice: counted once */
	svl__mj j;
	int exists = 0;
	if (c.wo[0] && (rc = job_load(e, c.wo, &j, &exists)) != SVL_OK)
		return rc;
	if (!exists)
		c.wo[0] = '\0'; /* names no known job: unlinked */
	c.opened_at_ms = e->r->occurred_at_ms;
	c.severity = -1;
	c.major = 0;
	if ((rc = cmp_store(e, cmp, &c)) != SVL_OK)
		return rc;
	return cmp_count(e, &c, 1, 0);
}

/* ---- write-offs (R-WOF-6) ---- */

_Static_assert(SVL_SPLIT_COMPANY == SVL_WOF_COMPANY &&
		   SVL_SPLIT_SERVICE_MANAGER == SVL_WOF_SERVICE_MANAGER &&
		   SVL_SPLIT_PARTS_MANAGER == SVL_WOF_PARTS_MANAGER &&
		   SVL_SPLIT_WAREHOUSE_KEEPER == SVL_WOF_WAREHOUSE_KEEPER &&
		   SVL_SPLIT_SHARES == SVL_WOF_SHARES,
	       "the rule set's shares are in svl_writeoff_split's order");

static int on_writeoff(m_ev *e)
{
	int64_t total = F(e, WRITEOFF_APPROVED, TOTAL_FEN).i, s[SVL_WOF_SHARES];
	if (total < 0 || total > SVL_FEN_MAX)
		return bad_event(e, "write-off total out of range");
	/* R-WOF-6: each role floor(total x permille / 1000), the company
	 * the rest (svl_decide.h); the rule set's shares sum to 1000 */
	if (svl_writeoff_split(total, e->c->st.rules.wof_split_permille, s) !=
	    SVL_OK)
		return svl_txn_fail(e->c->txn, SVL_EINVAL,
				    "metrics: the rule set's write-off split "
				    "does not sum to 1000 permille");
	int64_t vec[SVL__MC_N] = {0};
	vec[SVL__MC_WRITEOFFS] = 1;
	vec[SVL__MC_WOF_TOTAL_FEN] = total;
	vec[SVL__MC_WOF_COMPANY_FEN] = s[SVL_WOF_COMPANY];
	vec[SVL__MC_WOF_SM_FEN] = s[SVL_WOF_SERVICE_MANAGER];
	vec[SVL__MC_WOF_PM_FEN] = s[SVL_WOF_PARTS_MANAGER];
	vec[SVL__MC_WOF_WK_FEN] = s[SVL_WOF_WAREHOUSE_KEEPER];
	return rows_add(
	    e, svl_rules_local_day(&e->c->st.rules, e->r->occurred_at_ms), "",
	    "", vec, 1);
}

/* ---- one event ---- */

static int metrics_apply(svl_proj_ctx *c, const svl_record *r)
{
	int job = 0;
	switch (r->type) {
	case SVL_T_BOOKING_REQUESTED:
	case SVL_T_BOOKING_CONFIRMED:
	case SVL_T_VEHICLE_RECEIVED:
	case SVL_T_QUOTE_ISSUED:
	case SVL_T_QUOTE_REVISED:
	case SVL_T_WORK_ORDER_CONFIRMED:
	case SVL_T_WORK_DISPATCHED:
	case SVL_T_WORK_COMPLETED:
	case SVL_T_QC_CHECKED:
	case SVL_T_REWORK_ORDERED:
	case SVL_T_VEHICLE_DELIVERED:
	case SVL_T_FOLLOWUP_ATTEMPTED:
	case SVL_T_CONTACT_REVERIFIED:
		job = 1;
		break;
	case SVL_T_COMPLAINT_OPENED:
	case SVL_T_COMPLAINT_CLASSIFIED:
	case SVL_T_WRITEOFF_APPROVED:
		break;
	default:
		return SVL_OK;
	}
	m_ev e;
	e.c = c;
	e.r = r;
	int rc = svl_event_decode(&e.v, r->type, r->schema_version, r->payload,
				  r->payload_len);
	if (rc != SVL_OK)
		return svl_txn_fail(c->txn, rc,
				    "metrics: seq %llu (type %u) does not "
				    "decode",
				    (unsigned long long)r->seq, r->type);
	if (job)
		return job_event(&e);
	return r->type == SVL_T_WRITEOFF_APPROVED ? on_writeoff(&e)
						  : on_complaint(&e);
}

const svl_proj_def svl__proj_metrics = {"metrics", 2, metrics_apply,
					svl__metrics_describe};
