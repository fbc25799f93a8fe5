/*
 * demo_after.c - after the car left: follow-up calls (R-FU-1..6) and
 * complaints (R-CMP-1..5).
 *
 * Follow-up outcomes are drawn so that the department's figures land near
 * the seed's targets without sitting on them: a few jobs are never called
 * (coverage just under 100%, R-FU-1), about one follow-up in seven fails
 * (success near 85% against >= 80%, R-FU-2), and medium and severe
 * complaints come to well under 1% of the jobs (R-CMP-5). A failure is
 * either a wrong or mismatched number, a refusal (R-FU-5), or three
 * unanswered calls in the morning, afternoon and evening (R-FU-4); some
 * failed contacts are re-verified with the advisor and called again
 * (R-FU-6). Calls fall in the call windows 09:00-11:30 and 14:00-19:00
 * (R-FU-3), 1 to 3 days after pick-up (R-FU-1).
 *
 * A call that hears a poor score (1 or 2) records the quality problem and
 * the department it concerns (R-FU-7, the supervisor's daily list); now
 * and then such a customer, or one who refuses the call, is recorded as
 * lost with a reason (R-FU-8).
 */
#include <stdio.h>
#include <string.h>

#include "demo.h"

#define R(x) SVL_ROLE_##x

enum part_of_day { MORNING, AFTERNOON, EVENING };

static int rare(demo_gen *g, int per_10k)
{
	return (int)demo_pick(&g->rng, 10000) < per_10k;
}

/* A call time on `day` in the given part of the day, inside a window. */
static int64_t call_at(demo_gen *g, int day, int part)
{
	static const int from_min[3] = {9 * 60, 14 * 60, 17 * 60};
	static const int span_min[3] = {150, 179, 119};
	/* one draw per statement: the order of draws is the language's, not
	 * the compiler's */
	int64_t min = demo_between(&g->rng, 0, span_min[part]);
	int64_t sec = demo_between(&g->rng, 0, 59);
	return demo_day_ms(day) + (from_min[part] + min) * DEMO_MIN_MS +
	       sec * 1000;
}

/* What a poor score is about: the problem and its department. */
typedef struct fu_problem {
	int department; /* SVL_DEPARTMENT_... */
	const char *said;
} fu_problem;

static const fu_problem problems[] = {
    {SVL_DEPARTMENT_WORKSHOP, "the fault is not fully gone"},
    {SVL_DEPARTMENT_WORKSHOP, "grease marks left on the door trim"},
    {SVL_DEPARTMENT_FRONT_DESK, "the advisor did not explain the bill"},
    {SVL_DEPARTMENT_PARTS, "the new part rattles: the wrong one was fitted"},
    {SVL_DEPARTMENT_SERVICE, "ready later than promised, nobody called"},
};

static void quality_issue(demo_gen *g, demo_json *jb)
{
	const svl_enum_def *dep =
	    svl_event_type_get(SVL_T_FOLLOWUP_ATTEMPTED)
		->fields[SVL_F_FOLLOWUP_ATTEMPTED_DEPARTMENT]
		.enum_def;
	const fu_problem *p =
	    &problems[demo_pick(&g->rng, sizeof problems / sizeof problems[0])];
	dj_str(jb, "quality_issue", p->said);
	dj_str(jb, "department", dep->values[p->department]);
}

static void call(demo_gen *g, const demo_job *j, int64_t t, const char *outcome,
		 int score, const char *note)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "called_at_ms", t);
	dj_str(jb, "outcome", outcome);
	if (score > 0) {
		dj_int(jb, "satisfaction_score", score);
		if (score <= 2)
			quality_issue(g, jb);
	}
	if (note)
		dj_str(jb, "note", note);
	demo_emit(g, t, SVL_T_FOLLOWUP_ATTEMPTED, ST_CS, R(CUSTOMER_SERVICE));
	g->st.fu_calls++;
}

static void reverify(demo_gen *g, const demo_job *j, int64_t t, int corrected)
{
	char phone[24];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_bool(jb, "corrected", corrected);
	if (corrected) {
		int low = (int)demo_between(&g->rng, 0, 9999); /* drawn first */
		int high = (int)demo_between(&g->rng, 0, 9999);
		snprintf(phone, sizeof phone, "+86 139 %04d %04d", high, low);
		dj_str(jb, "phone", phone);
		dj_str(jb, "note", "advisor had the current number");
	} else {
		dj_str(jb, "note", "number confirmed with the advisor");
	}
	demo_emit(g, t, SVL_T_CONTACT_REVERIFIED, ST_CS, R(CUSTOMER_SERVICE));
}

/* R-FU-8: the customer says they will not come back. */
static void lost(demo_gen *g, const demo_job *j, int64_t t, const char *reason)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "customer_id", g->veh[j->vehicle].customer);
	dj_str(jb, "reason", reason);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "note", "said so on the follow-up call");
	demo_emit(g, t, SVL_T_CUSTOMER_LOST, ST_CS, R(CUSTOMER_SERVICE));
}

static int score(demo_gen *g, int late)
{
	static const int w[5] = {25, 45, 110, 260, 560};
	static const int w_late[5] = {60, 90, 200, 300, 350};
	return 1 + (int)demo_weighted(&g->rng, late ? w_late : w, 5);
}

static const char *const retry_outcomes[] = {
    "busy", "switched_off", "voicemail", "driving", "call_later"};

static void complaint(demo_gen *g, const demo_job *j, int severity, int channel,
		      int64_t t);

/* Reached, maybe after a retry or two, from `part` of `day` on, each call
 * at a later part of the day than the one before; returns the calls. */
static int reach(demo_gen *g, const demo_job *j, int day, int part, int late,
		 int tries)
{
	int n = 0;
	for (; n < tries; n++) {
		/* one draw per statement (arguments have no order) */
		const char *outcome = retry_outcomes[demo_pick(&g->rng, 5)];
		call(g, j, call_at(g, day, part), outcome, 0, NULL);
		if (++part == 3) {
			part = MORNING;
			day++;
		}
	}
	int s = score(g, late);
	int64_t t = call_at(g, day, part);
	call(g, j, t, "reached", s, s >= 4 ? "satisfied with the work" : NULL);
	if (s <= 2 && demo_chance(&g->rng, 120))
		complaint(g, j,
			  demo_chance(&g->rng, 250) ? SVL_CMP_SEVERITY_MEDIUM
						    : SVL_CMP_SEVERITY_GENERAL,
			  SVL_CMP_CHANNEL_FOLLOWUP_CALL, t + 2 * DEMO_MIN_MS);
	if (s <= 2 && demo_chance(&g->rng, 150))
		lost(g, j, t + 5 * DEMO_MIN_MS, s == 1 ? "quality" : "service");
	return n + 1;
}

/* Three calls with no answer at three parts of the day (R-FU-4); a
 * switched-off phone first is a retry that counts for nothing (R-FU-5), so
 * the morning is tried again ten minutes later. Then, now and then, the
 * number is checked with the advisor and called again. */
static int unreachable(demo_gen *g, const demo_job *j, int day, int late)
{
	int retry = demo_chance(&g->rng, 300);
	int64_t t = call_at(g, day, MORNING); /* 09:00-11:30 */
	call(g, j, t, retry ? "switched_off" : "no_answer", 0, NULL);
	if (retry)
		call(g, j, t + 10 * DEMO_MIN_MS, "no_answer", 0, NULL);
	call(g, j, call_at(g, day, EVENING), "no_answer", 0, NULL);
	call(g, j, call_at(g, day + 1, AFTERNOON), "no_answer", 0,
	     "third attempt, no answer: failed (R-FU-5)");
	g->st.fu_failed++;
	if (!demo_chance(&g->rng, 250))
		return 3 + retry;
	reverify(g, j, call_at(g, day + 2, MORNING), 0);
	if (demo_chance(&g->rng, 500))
		return 3 + retry + reach(g, j, day + 2, AFTERNOON, late, 0);
	call(g, j, call_at(g, day + 2, EVENING), "no_answer", 0, NULL);
	return 4 + retry;
}

/* One call that fails outright (R-FU-5): wrong number, details that do
 * not match the file, or a refusal; the first two are re-verified. */
static int fails(demo_gen *g, const demo_job *j, int day, int late,
		 const char *outcome, int recover_permille)
{
	static const char *const gone[] = {"competitor", "vehicle_sold",
					   "distance", "price"};
	int64_t t = call_at(g, day, (int)demo_pick(&g->rng, 3));
	call(g, j, t, outcome, 0, NULL);
	g->st.fu_failed++;
	if (strcmp(outcome, "refused") == 0) {
		if (demo_chance(&g->rng, 300))
			lost(g, j, t + 3 * DEMO_MIN_MS,
			     gone[demo_pick(&g->rng, 4)]);
		return 1;
	}
	if (!demo_chance(&g->rng, recover_permille))
		return 1;
	reverify(g, j, call_at(g, day + 1, MORNING), 1);
	return 1 + reach(g, j, day + 1, AFTERNOON, late, 0);
}

void demo_after(demo_gen *g, const demo_job *j, int64_t delivered_ms, int late,
		int *calls)
{
	int day = demo_day_of(delivered_ms) + (int)demo_between(&g->rng, 1, 2);
	*calls = 0;
	if (rare(g, 40))
		return; /* never called: the figure shows it (R-FU-1) */
	if (g->veh[j->vehicle].bad_phone)
		*calls = fails(g, j, day, late, "wrong_number", 600);
	else if (rare(g, 150))
		*calls = fails(g, j, day, late, "refused", 0);
	else if (rare(g, 100))
		*calls = fails(g, j, day, late, "details_mismatch", 500);
	else if (rare(g, 1650))
		*calls = unreachable(g, j, day, late);
	else {
		/* drawn in this order by every compiler (arguments have none) */
		int misses = demo_chance(&g->rng, 250)
				 ? (int)demo_between(&g->rng, 1, 2)
				 : 0;
		int part = (int)demo_pick(&g->rng, 3);
		*calls = reach(g, j, day, part, late, misses);
	}
	/* complaints of every class (R-CMP-2), more after a late delivery */
	static const int per_10k[4] = {90, 70, 38, 14};
	for (int sev = 0; sev < 4; sev++)
		if (rare(g, per_10k[sev] * (late ? 2 : 1))) {
			static const int ch[9] = {25, 0, 20, 3, 5, 5, 4, 15, 3};
			int c = (int)demo_weighted(&g->rng, ch, 9);
			int cday = demo_day_of(delivered_ms) +
				   (int)demo_between(&g->rng, 1, 4);
			complaint(
			    g, j, sev, c,
			    call_at(g, cday,
				    MORNING + (int)demo_pick(&g->rng, 2)));
			break;
		}
}

/* ---- complaints (R-CMP-1..4) -------------------------------------------- */

typedef struct cmp_story {
	const char *said; /* what the customer says */
	int department;	  /* SVL_DEPARTMENT_... */
	int owner;	  /* staff who owns the plan */
	const char *plan, *done;
} cmp_story;

/* clang-format off: one row per line reads as a table */
static const cmp_story stories[] = {
    {"waited 50 minutes at reception before anyone came",
     SVL_DEPARTMENT_FRONT_DESK, ST_FDS,
     "apology call; reception staffing reviewed at the morning meeting",
     "apology made; a second advisor now covers the morning peak"},
    {"the noise came back two days after the repair", SVL_DEPARTMENT_WORKSHOP,
     ST_TD,
     "free re-inspection with the technical director, road test with the "
     "customer",
     "re-inspected; loose heat shield fixed free of charge"},
    {"grease stain on the driver's seat", SVL_DEPARTMENT_WORKSHOP, ST_WM,
     "free interior cleaning at the customer's convenience",
     "seat cleaned; seat covers checked at every job"},
    {"charged for parts that were not on the quote", SVL_DEPARTMENT_FRONT_DESK,
     ST_FDS, "settlement checked line by line with the customer",
     "difference refunded; advisor briefed on R-QUO-2 revisions"},
    {"the car was not ready at the promised time", SVL_DEPARTMENT_SERVICE,
     ST_SM, "apology and a free wash; the late job reviewed",
     "voucher given; the job was late for parts, now told in advance"},
    {"the part had to be ordered twice", SVL_DEPARTMENT_PARTS, ST_PM,
     "parts order traced with the supplier; customer told the date",
     "part fitted; the order slip error corrected"},
    {"warranty claim refused without an explanation", SVL_DEPARTMENT_CLAIMS,
     ST_CLM, "claims specialist explains the maker's ruling in person",
     "ruling explained; goodwill labour discount granted"},
};
/* clang-format on */

static int opener(const demo_job *j, int channel)
{
	if (channel == SVL_CMP_CHANNEL_ON_SITE)
		return j ? j->advisor : ST_FDS;
	return ST_CS;
}

static int opener_role(int who)
{
	return who == ST_CS    ? R(CUSTOMER_SERVICE)
	       : who == ST_FDS ? R(FRONT_DESK_SUPERVISOR)
			       : R(SERVICE_ADVISOR);
}

static void cmp_open(demo_gen *g, const demo_job *j, const char *id,
		     int channel, const cmp_story *s, int64_t t)
{
	const svl_enum_def *ch = svl_event_type_get(SVL_T_COMPLAINT_OPENED)
				     ->fields[SVL_F_COMPLAINT_OPENED_CHANNEL]
				     .enum_def;
	int who = opener(j, channel);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "cmp_id", id);
	if (j) {
		dj_str(jb, "wo_id", j->wo);
		dj_str(jb, "customer_id", g->veh[j->vehicle].customer);
	}
	dj_str(jb, "channel", ch->values[channel]);
	dj_str(jb, "description", s->said);
	demo_emit(g, t, SVL_T_COMPLAINT_OPENED, who, opener_role(who));
}

static int64_t cmp_plan(demo_gen *g, const char *id, int severity,
			const cmp_story *s, int64_t t)
{
	const svl_enum_def *dep =
	    svl_event_type_get(SVL_T_COMPLAINT_PLAN_APPROVED)
		->fields[SVL_F_COMPLAINT_PLAN_APPROVED_DEPARTMENT]
		.enum_def;
	int major = severity >= SVL_CMP_SEVERITY_MEDIUM;
	int64_t at = call_at(g, demo_day_of(t) + 1, MORNING);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "cmp_id", id);
	dj_str(jb, "department", dep->values[s->department]);
	dj_str(jb, "owner_id", demo_person_get(major ? ST_SM : s->owner)->id);
	dj_int(jb, "deadline_at_ms",
	       demo_at(demo_day_of(at) + (major ? 3 : 7), 18, 0));
	dj_str(jb, "plan", s->plan);
	dj_bool(jb, "customer_agreed", 1);
	demo_emit(g, at, SVL_T_COMPLAINT_PLAN_APPROVED, ST_GM,
		  R(GENERAL_MANAGER));
	return at;
}

/* Opened, classified, planned by the general manager and agreed with
 * the customer (R-CMP-3), resolved, and closed once the customer confirms
 * (R-CMP-4). */
static void complaint(demo_gen *g, const demo_job *j, int severity, int channel,
		      int64_t t)
{
	const svl_enum_def *sev =
	    svl_event_type_get(SVL_T_COMPLAINT_CLASSIFIED)
		->fields[SVL_F_COMPLAINT_CLASSIFIED_SEVERITY]
		.enum_def;
	const cmp_story *s = &stories[demo_pick(&g->rng, j ? 7 : 1)];
	int major = severity >= SVL_CMP_SEVERITY_MEDIUM;
	char id[24];
	demo_docid(id, sizeof id, "CMP2026-", ++g->n_cmp, 4);
	g->st.complaints[severity]++;
	cmp_open(g, j, id, channel, s, t);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "cmp_id", id);
	dj_str(jb, "severity", sev->values[severity]);
	int by = severity == SVL_CMP_SEVERITY_SEVERE ? ST_SM : ST_FDS;
	demo_emit(g, t = t + demo_between(&g->rng, 20, 90) * DEMO_MIN_MS,
		  SVL_T_COMPLAINT_CLASSIFIED, by,
		  by == ST_SM ? R(SERVICE_MANAGER) : R(FRONT_DESK_SUPERVISOR));
	t = cmp_plan(g, id, severity, s, t);
	jb = dj_begin(g);
	dj_str(jb, "cmp_id", id);
	dj_str(jb, "resolution", s->done);
	if (major)
		dj_int(jb, "compensation_fen",
		       100 * demo_between(&g->rng, 200, 2000));
	by = major ? ST_SM : ST_FDS;
	demo_emit(g,
		  t = call_at(g,
			      demo_day_of(t) + (int)demo_between(&g->rng, 1, 3),
			      AFTERNOON),
		  SVL_T_COMPLAINT_RESOLVED, by,
		  by == ST_SM ? R(SERVICE_MANAGER) : R(FRONT_DESK_SUPERVISOR));
	jb = dj_begin(g);
	dj_str(jb, "cmp_id", id);
	dj_bool(jb, "customer_confirmed", 1);
	dj_str(jb, "note", "customer confirmed by phone");
	demo_emit(g, call_at(g, demo_day_of(t) + 1, MORNING),
		  SVL_T_COMPLAINT_CLOSED, ST_CS, R(CUSTOMER_SERVICE));
}

/* Complaints that name no job: the booking line, the waiting room. */
void demo_loose_complaints(demo_gen *g, int day)
{
	if (!demo_chance(&g->rng, 60))
		return;
	int sev = demo_chance(&g->rng, 700) ? SVL_CMP_SEVERITY_GRUMBLE
					    : SVL_CMP_SEVERITY_GENERAL;
	int ch = demo_chance(&g->rng, 500) ? SVL_CMP_CHANNEL_PHONE
					   : SVL_CMP_CHANNEL_WECHAT;
	complaint(g, NULL, sev, ch, call_at(g, day, AFTERNOON));
}
