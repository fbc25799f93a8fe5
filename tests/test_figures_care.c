/*
 * test_figures_care.c - the after-care figures of svl_figures.h (R-FU-7,
 * R-FU-8, R-BKG-7) on a small ledger built here, every number worked out
 * by hand in the comment of the story below and asserted exactly.
 *
 * Events are appended straight to the log (svl_test_put: no deciders,
 * actor E900), so the story may hold what a decider would refuse and the
 * ledger's clock is its last event. Times are the shop's, UTC+08:00; the
 * rule set is the default one (satisfaction scale 5; a follow-up fails
 * after 3 unanswered calls over 3 parts of the day).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "figures_fixture.h"

FIG_SUITE(figures_care);

/* A call; extra is more JSON members, "" or starting with a comma. */
static void call(const char *wo, int64_t at, const char *outcome,
		 const char *extra)
{
	NOW(FOLLOWUP_ATTEMPTED, at,
	    "{\"wo_id\":\"%s\",\"called_at_ms\":%lld,\"outcome\":\"%s\"%s}", wo,
	    (long long)at, outcome, extra);
}

static void cmp_open(const char *cmp, const char *wo, int64_t at)
{
	NOW(COMPLAINT_OPENED, at,
	    "{\"cmp_id\":\"%s\",\"wo_id\":\"%s\",\"channel\":\"phone\","
	    "\"description\":\"unhappy\"}",
	    cmp, wo);
}

static void cmp_class(const char *cmp, const char *sev, int64_t at)
{
	NOW(COMPLAINT_CLASSIFIED, at, "{\"cmp_id\":\"%s\",\"severity\":\"%s\"}",
	    cmp, sev);
}

static void cmp_plan(const char *cmp, const char *dept, int64_t deadline,
		     int64_t at)
{
	NOW(COMPLAINT_PLAN_APPROVED, at,
	    "{\"cmp_id\":\"%s\",\"department\":\"%s\",\"deadline_at_ms\":%lld,"
	    "\"plan\":\"fix it\",\"customer_agreed\":true}",
	    cmp, dept, (long long)deadline);
}

static void cmp_resolve(const char *cmp, int64_t at)
{
	NOW(COMPLAINT_RESOLVED, at,
	    "{\"cmp_id\":\"%s\",\"resolution\":\"done\"}", cmp);
}

static void lost(const char *cust, const char *reason, int64_t at)
{
	NOW(CUSTOMER_LOST, at, "{\"customer_id\":\"%s\",\"reason\":\"%s\"}",
	    cust, reason);
}

static void request(const char *wo, int warning, int64_t at)
{
	NOW(BOOKING_REQUESTED, at,
	    "{\"wo_id\":\"%s\",\"customer_id\":\"C-%s\",\"owner_name\":\"Li\","
	    "\"phone\":\"13800000000\",\"target\":\"customer_request\","
	    "\"job_kind\":\"repair\",\"items\":\"noise\",\"wanted_at_ms\":%lld,"
	    "\"warranty_warning\":%s}",
	    wo, wo, (long long)(at + DAY), warning ? "true" : "false");
}

static void receive(const char *wo, int warning, int64_t at)
{
	NOW(VEHICLE_RECEIVED, at,
	    "{\"wo_id\":\"%s\",\"customer_id\":\"C-%s\",\"plate\":\"B-1\","
	    "\"job_kind\":\"repair\",\"mileage_km\":1000,\"fuel_pct\":50,"
	    "\"covers_laid\":3,\"first_visit\":false,\"fault_description\":"
	    "\"noise\",\"customer_confirmed\":true,\"warranty_warning\":%s}",
	    wo, wo, warning ? "true" : "false");
}

static void hand_off(const char *wo, const char *outcome, int64_t at)
{
	NOW(WARNING_HANDED_OFF, at, "{\"wo_id\":\"%s\",\"outcome\":\"%s\"}", wo,
	    outcome);
}

/*
 * The story (the ledger's clock: its last event, 08-20 12:00):
 *
 * Follow-ups (a call counts in the period of its called_at_ms; a job's
 * reached or failed follow-up in that of the call that settled it):
 *   WO-1  07-02 10:00 reached, score 5.
 *   WO-2  07-02 10:30 reached, score 2, problem "brakes squeal" named
 *         workshop.
 *   WO-3  no answer 07-03 09:00, 14:00, 18:00 (morning, afternoon,
 *         evening): failed at 18:00.
 *   WO-4  07-04 09:30 wrong number (failed); contact re-verified 07-05
 *         08:00 (a new round); 07-05 10:00 reached, score 4, problem
 *         "long wait at the desk" naming no department: reached, settled
 *         07-05.
 *   WO-5  07-31 20:00 busy (a retry); 08-01 10:00 reached, score 9 (off
 *         the scale of 5: no answer), problem "paint scratch" named
 *         workshop: a July call, reached in August.
 *   WO-6  08-02 10:00 reached, no score, quality_issue "" (not a
 *         problem), department parts.
 *   July: calls 1 + 1 + 3 + 2 + 1 = 8; reached 3 (WO-1, WO-2, WO-4),
 *         failed 1 (WO-3): 3/4 = 750 permille, below the 800 of R-FU-2;
 *         problems 2 (workshop 1, unassigned 1); satisfaction workshop 1
 *         answer (2): 2000 milli, unassigned 2 answers (5, 4): 4500.
 *   August: calls 2; reached 2 (WO-5, WO-6): 1000; problems 1 (workshop);
 *         no answer on the scale.
 *   Total: calls 10, reached 5 of 6: 833; problems 3 (workshop 2).
 *
 * Complaints (in the period of the opening; on time against the last
 * plan's deadline; late also when still open past it by the clock):
 *   CMP-1 07-06 on WO-2, general, plan workshop due 07-10 18:00,
 *         resolved 07-09 12:00, closed confirmed 07-10 09:00: on time.
 *   CMP-2 07-20, severe (major), plan front_desk due 07-25 18:00,
 *         resolved 07-27 10:00: late; not closed.
 *   CMP-3 07-28, medium (major), plan parts due 08-05 18:00, never
 *         resolved; the clock (08-20) passed it: late.
 *   CMP-4 08-15, grumble, plan service due 08-30 18:00, open: not yet.
 *   CMP-5 08-16, neither classed nor planned: not yet, no class.
 *   July: 3 opened, 2 major, 2 resolved, 1 on time, 2 late, 1 confirmed:
 *         1/3 = 333 permille on time. August: 2 opened, nothing else.
 *
 * Lost customers: C-7 07-12 price (last job WO-3), C-8 08-03
 * competitor, C-9 08-20 12:00 price. July 1 (price 1); August 2 (price 1,
 * competitor 1).
 *
 * Warranty warnings (in the period of the first flag):
 *   WO-W1 flagged at its booking 07-01 09:00 and again at reception 07-02
 *         09:00; handed off 07-02 10:00 as a claims case.
 *   WO-W2 booked 07-03 without a flag, flagged at reception 07-30 09:00;
 *         never handed off: pending.
 *   WO-W3 received 08-01 09:00 without a flag; a hand-off 10:00 without
 *         a flag is not a warning.
 *   WO-W4 flagged at reception 08-10 09:00, handed off 09:30 as not
 *         covered.
 *   July 2 (1 handed off), August 1 (1 handed off).
 */
static void story(void)
{
	request("WO-W1", 1, AT(7, 1, 9, 0));
	receive("WO-W1", 1, AT(7, 2, 9, 0));
	hand_off("WO-W1", "claims_case", AT(7, 2, 10, 0));
	call("WO-1", AT(7, 2, 10, 0), "reached", ",\"satisfaction_score\":5");
	call("WO-2", AT(7, 2, 10, 30), "reached",
	     ",\"satisfaction_score\":2,\"quality_issue\":\"brakes squeal\","
	     "\"department\":\"workshop\"");
	request("WO-W2", 0, AT(7, 3, 8, 0));
	call("WO-3", AT(7, 3, 9, 0), "no_answer", "");
	call("WO-3", AT(7, 3, 14, 0), "no_answer", "");
	call("WO-3", AT(7, 3, 18, 0), "no_answer", "");
	call("WO-4", AT(7, 4, 9, 30), "wrong_number", "");
	NOW(CONTACT_REVERIFIED, AT(7, 5, 8, 0),
	    "{\"wo_id\":\"WO-4\",\"corrected\":true}");
	call("WO-4", AT(7, 5, 10, 0), "reached",
	     ",\"satisfaction_score\":4,\"quality_issue\":\"long wait at the "
	     "desk\"");
	cmp_open("CMP-1", "WO-2", AT(7, 6, 10, 0));
	cmp_class("CMP-1", "general", AT(7, 6, 11, 0));
	cmp_plan("CMP-1", "workshop", AT(7, 10, 18, 0), AT(7, 6, 15, 0));
	cmp_resolve("CMP-1", AT(7, 9, 12, 0));
	NOW(COMPLAINT_CLOSED, AT(7, 10, 9, 0),
	    "{\"cmp_id\":\"CMP-1\",\"customer_confirmed\":true}");
	NOW(CUSTOMER_LOST, AT(7, 12, 10, 0),
	    "{\"customer_id\":\"C-7\",\"reason\":\"price\",\"wo_id\":\"WO-"
	    "3\"}");
	cmp_open("CMP-2", "WO-1", AT(7, 20, 10, 0));
	cmp_class("CMP-2", "severe", AT(7, 20, 11, 0));
	cmp_plan("CMP-2", "front_desk", AT(7, 25, 18, 0), AT(7, 20, 15, 0));
	cmp_resolve("CMP-2", AT(7, 27, 10, 0));
	cmp_open("CMP-3", "WO-4", AT(7, 28, 10, 0));
	cmp_class("CMP-3", "medium", AT(7, 28, 11, 0));
	cmp_plan("CMP-3", "parts", AT(8, 5, 18, 0), AT(7, 28, 15, 0));
	receive("WO-W2", 1, AT(7, 30, 9, 0));
	call("WO-5", AT(7, 31, 20, 0), "busy", "");
	receive("WO-W3", 0, AT(8, 1, 9, 0));
	call("WO-5", AT(8, 1, 10, 0), "reached",
	     ",\"satisfaction_score\":9,\"quality_issue\":\"paint scratch\","
	     "\"department\":\"workshop\"");
	hand_off("WO-W3", "proceed", AT(8, 1, 10, 0));
	call("WO-6", AT(8, 2, 10, 0), "reached",
	     ",\"quality_issue\":\"\",\"department\":\"parts\"");
	lost("C-8", "competitor", AT(8, 3, 10, 0));
	receive("WO-W4", 1, AT(8, 10, 9, 0));
	hand_off("WO-W4", "not_covered", AT(8, 10, 9, 30));
	cmp_open("CMP-4", "WO-6", AT(8, 15, 10, 0));
	cmp_class("CMP-4", "grumble", AT(8, 15, 11, 0));
	cmp_plan("CMP-4", "service", AT(8, 30, 18, 0), AT(8, 15, 15, 0));
	cmp_open("CMP-5", "WO-5", AT(8, 16, 9, 0));
	lost("C-9", "price", AT(8, 20, 12, 0));
}

static svl_figures *get(enum svl_metrics_period p, int64_t from, int64_t to)
{
	svl_figures_options o = SVL_FIGURES_OPTIONS_INIT;
	svl_figures *r = NULL;
	o.period = p;
	o.from_ms = from;
	o.to_ms = to;
	cr_assert_eq(svl_figures_get(led, &o, &r), SVL_OK, "%s",
		     svl_ledger_errmsg(led));
	return r;
}

#define EQ(a, b) cr_assert_eq((int64_t)(a), (int64_t)(b), "%s", #a)
#define UNASSIGNED SVL_FIGURES_DEPT_UNASSIGNED

Test(figures_care, followup_quality_by_month_worked_by_hand_R_FU_7)
{
	story();
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	EQ(r->as_of_ms, AT(8, 20, 12, 0));
	cr_assert_eq(r->n_rows, 2);
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	cr_assert_str_eq(jul->label, "2026-07");
	EQ(jul->c.fu_calls, 8);
	EQ(jul->c.fu_reached, 3);
	EQ(jul->c.fu_failed, 1);
	EQ(jul->r.fu_success_permille, 750);
	cr_assert_lt(jul->r.fu_success_permille,
		     SVL_FIGURES_TARGET_FU_SUCCESS_PERMILLE);
	EQ(jul->c.fu_problems, 2);
	EQ(jul->c.fu_problems_dept[SVL_DEPARTMENT_WORKSHOP], 1);
	EQ(jul->c.fu_problems_dept[UNASSIGNED], 1);
	EQ(aug->c.fu_calls, 2);
	EQ(aug->c.fu_reached, 2);
	EQ(aug->c.fu_failed, 0);
	EQ(aug->r.fu_success_permille, 1000);
	EQ(aug->c.fu_problems, 1);
	EQ(aug->c.fu_problems_dept[SVL_DEPARTMENT_WORKSHOP], 1);
	EQ(aug->c.fu_problems_dept[SVL_DEPARTMENT_PARTS], 0);
	EQ(r->total.c.fu_calls, 10);
	EQ(r->total.r.fu_success_permille, 833);
	EQ(r->total.c.fu_problems_dept[SVL_DEPARTMENT_WORKSHOP], 2);
	svl_figures_free(r);
}

Test(figures_care, the_daily_list_of_quality_problems_R_FU_7)
{
	story();
	svl_figures *r = get(SVL_METRICS_DAY, INT64_MIN, INT64_MAX);
	cr_assert_eq(r->n_problems, 3);
	const svl_fig_problem *p = r->problems;
	cr_assert_str_eq(p[0].label, "2026-07-02");
	cr_assert_str_eq(p[0].wo_id, "WO-2");
	cr_assert_str_eq(p[0].problem, "brakes squeal");
	EQ(p[0].department, SVL_DEPARTMENT_WORKSHOP);
	cr_assert_str_eq(p[0].who, "E900");
	EQ(p[0].called_at_ms, AT(7, 2, 10, 30));
	cr_assert_str_eq(p[1].label, "2026-07-05");
	cr_assert_str_eq(p[1].wo_id, "WO-4");
	EQ(p[1].department, UNASSIGNED);
	cr_assert_str_eq(p[2].label, "2026-08-01");
	cr_assert_str_eq(p[2].problem, "paint scratch");
	/* the day's row counts it */
	const svl_figures_row *d = NULL;
	for (size_t i = 0; i < r->n_rows; i++)
		if (!strcmp(r->rows[i].label, "2026-07-02"))
			d = &r->rows[i];
	cr_assert_not_null(d);
	EQ(d->c.fu_calls, 2);
	EQ(d->c.fu_problems, 1);
	EQ(d->c.fu_reached, 2);
	svl_figures_free(r);
}

Test(figures_care, satisfaction_per_department_R_FU_8)
{
	story();
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	EQ(jul->c.sat_answers[SVL_DEPARTMENT_WORKSHOP], 1);
	EQ(jul->c.sat_score_sum[SVL_DEPARTMENT_WORKSHOP], 2);
	EQ(jul->r.sat_avg_milli[SVL_DEPARTMENT_WORKSHOP], 2000);
	EQ(jul->c.sat_answers[UNASSIGNED], 2);
	EQ(jul->r.sat_avg_milli[UNASSIGNED], 4500);
	EQ(jul->r.sat_avg_milli[SVL_DEPARTMENT_PARTS], SVL_METRICS_NONE);
	/* WO-5's 9 is off the scale of 5; WO-6 gave no score */
	for (int d = 0; d < SVL_FIGURES_DEPTS; d++)
		EQ(aug->c.sat_answers[d], 0);
	EQ(r->total.r.sat_avg_milli[UNASSIGNED], 4500);
	svl_figures_free(r);
}

Test(figures_care, the_complaint_resolution_table_R_FU_8_R_CMP_5)
{
	story();
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	EQ(jul->c.complaints, 3);
	EQ(jul->c.cmp_major, 2);
	EQ(jul->c.cmp_resolved, 2);
	EQ(jul->c.cmp_on_time, 1);
	EQ(jul->c.cmp_late, 2);
	EQ(jul->c.cmp_confirmed, 1);
	EQ(jul->r.cmp_on_time_permille, 333);
	EQ(aug->c.complaints, 2);
	EQ(aug->c.cmp_late + aug->c.cmp_on_time, 0);
	EQ(aug->r.cmp_on_time_permille, SVL_METRICS_NONE);
	cr_assert_eq(r->n_complaints, 5);
	const svl_fig_complaint *c = r->complaints;
	cr_assert_str_eq(c[0].cmp_id, "CMP-1");
	cr_assert_str_eq(c[0].wo_id, "WO-2");
	EQ(c[0].severity, SVL_CMP_SEVERITY_GENERAL);
	EQ(c[0].major, 0);
	EQ(c[0].department, SVL_DEPARTMENT_WORKSHOP);
	EQ(c[0].deadline_at_ms, AT(7, 10, 18, 0));
	EQ(c[0].resolved_at_ms, AT(7, 9, 12, 0));
	EQ(c[0].closed_at_ms, AT(7, 10, 9, 0));
	EQ(c[0].customer_confirmed, 1);
	EQ(c[0].on_time, 1);
	cr_assert_str_eq(c[1].cmp_id, "CMP-2");
	EQ(c[1].major, 1);
	EQ(c[1].on_time, 0);
	EQ(c[1].closed_at_ms, 0);
	cr_assert_str_eq(c[2].cmp_id, "CMP-3");
	EQ(c[2].department, SVL_DEPARTMENT_PARTS);
	EQ(c[2].resolved_at_ms, 0);
	EQ(c[2].on_time, 0);
	cr_assert_str_eq(c[3].cmp_id, "CMP-4");
	cr_assert_str_eq(c[3].label, "2026-08");
	EQ(c[3].on_time, -1);
	cr_assert_str_eq(c[4].cmp_id, "CMP-5");
	EQ(c[4].severity, -1);
	EQ(c[4].department, -1);
	EQ(c[4].deadline_at_ms, 0);
	EQ(c[4].on_time, -1);
	svl_figures_free(r);
}

Test(figures_care, lost_customers_by_reason_R_FU_8)
{
	story();
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	EQ(jul->c.lost, 1);
	EQ(jul->c.lost_reason[SVL_LOST_REASON_PRICE], 1);
	EQ(aug->c.lost, 2);
	EQ(aug->c.lost_reason[SVL_LOST_REASON_PRICE], 1);
	EQ(aug->c.lost_reason[SVL_LOST_REASON_COMPETITOR], 1);
	EQ(r->total.c.lost_reason[SVL_LOST_REASON_PRICE], 2);
	cr_assert_eq(r->n_lost, 3);
	cr_assert_str_eq(r->lost[0].customer_id, "C-7");
	cr_assert_str_eq(r->lost[0].wo_id, "WO-3");
	EQ(r->lost[0].reason, SVL_LOST_REASON_PRICE);
	cr_assert_str_eq(r->lost[1].customer_id, "C-8");
	cr_assert_str_eq(r->lost[1].wo_id, "");
	cr_assert_str_eq(r->lost[2].customer_id, "C-9");
	EQ(r->lost[2].lost_at_ms, AT(8, 20, 12, 0));
	svl_figures_free(r);
}

Test(figures_care, warranty_warnings_and_their_hand_off_R_BKG_7)
{
	story();
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	EQ(jul->c.warnings, 2);
	EQ(jul->c.warnings_handed_off, 1);
	EQ(aug->c.warnings, 1);
	EQ(aug->c.warnings_handed_off, 1);
	cr_assert_eq(r->n_warnings, 3);
	const svl_fig_warning *w = r->warnings;
	cr_assert_str_eq(w[0].wo_id, "WO-W1");
	EQ(w[0].flagged_at_ms, AT(7, 1, 9, 0));
	EQ(w[0].flagged_by, SVL_T_BOOKING_REQUESTED);
	EQ(w[0].handed_off_at_ms, AT(7, 2, 10, 0));
	EQ(w[0].outcome, SVL_WARNING_OUTCOME_CLAIMS_CASE);
	cr_assert_str_eq(w[0].who, "E900");
	cr_assert_str_eq(w[1].wo_id, "WO-W2");
	EQ(w[1].flagged_by, SVL_T_VEHICLE_RECEIVED);
	EQ(w[1].handed_off_at_ms, 0);
	EQ(w[1].outcome, -1);
	cr_assert_str_eq(w[1].who, "");
	cr_assert_str_eq(w[2].wo_id, "WO-W4");
	EQ(w[2].outcome, SVL_WARNING_OUTCOME_NOT_COVERED);
	svl_figures_free(r);
}

Test(figures_care, a_range_keeps_only_its_periods_R_FU_7)
{
	story();
	/* August only: WO-5's July call is out, its reaching is in */
	svl_figures *r =
	    get(SVL_METRICS_MONTH, AT(8, 1, 0, 0), AT(8, 31, 0, 0) + DAY);
	cr_assert_eq(r->n_rows, 1);
	EQ(r->rows[0].c.fu_calls, 2);
	EQ(r->rows[0].c.fu_reached, 2);
	cr_assert_eq(r->n_problems, 1);
	cr_assert_eq(r->n_complaints, 2);
	cr_assert_eq(r->n_lost, 2);
	cr_assert_eq(r->n_warnings, 1);
	svl_figures_free(r);
}
