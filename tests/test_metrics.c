/*
 * test_metrics.c - the satisfaction-metrics projection driven directly on
 * a slot (as test_proj.c does). Each figure of domain.md section 4 has a
 * small scenario whose numbers are worked out by hand below; each rule
 * knob is changed once to show it moves exactly the figure it should, by
 * the amount it should, and nothing else. Then the calendar, the diff
 * lines, and rebuild == incremental on a seeded random workload, checked
 * against the work-order projection folded from the same log.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "jobs_fixture.h"
#include "ledger_fixture.h"
#include "metrics_int.h"

#define EV(...) cr_assert_eq(svl_jobs_ev(log_, __VA_ARGS__), SVL_OK)
#define OK(x) cr_assert_eq((x), SVL_OK, "%s", svl_log_errmsg(log_))

static char *dir;
static svl_log *log_;
static svl_proj_slot slot, wo_slot;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	log_ = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log_);
	cr_assert_eq(svl__proj_slot_open(log_, &svl__proj_metrics, &slot),
		     SVL_OK);
	cr_assert_eq(
	    svl__proj_slot_open(log_, &svl__proj_work_orders, &wo_slot),
	    SVL_OK);
}

static void teardown(void)
{
	svl_log_close(log_);
	svl_test_rmdir(dir);
}

TestSuite(metrics, .init = setup, .fini = teardown);

/* ---- building a slot and reading its rows ---- */

struct build {
	const svl_proj_slot *s;
	int which;
	const svl_rules *rules;
	uint64_t max;
};

static int reset_fn(svl_txn *t, void *p)
{
	struct build *b = p;
	return svl__proj_reset(t, b->s, b->which, b->rules);
}

static int catch_fn(svl_txn *t, void *p)
{
	struct build *b = p;
	int done = 0, rc;
	while ((rc = svl__proj_catch_up(t, b->s, b->which, b->max, &done)) ==
		   SVL_OK &&
	       !done)
		;
	return rc;
}

static void build_slot(const svl_proj_slot *s, int which,
		       const svl_rules *rules)
{
	svl_rules d;
	svl_rules_default(&d);
	struct build b = {s, which, rules ? rules : &d, 0};
	OK(svl_log_write(log_, reset_fn, &b));
	OK(svl_log_write(log_, catch_fn, &b));
}

static void build(int which, const svl_rules *rules)
{
	build_slot(&slot, which, rules);
}

/* Bring slot a up to the log's head (after more appends). */
static void catch_up(void)
{
	struct build b = {&slot, 0, NULL, 0};
	OK(svl_log_write(log_, catch_fn, &b));
}

#define MAX_ROWS 256

struct rows {
	int which;
	enum svl_metrics_period period;
	enum svl_metrics_by by;
	int64_t from, to;
	int n;
	svl_metrics_row r[MAX_ROWS];
};

static int row_cb(const svl_metrics_row *row, void *p)
{
	struct rows *a = p;
	cr_assert_lt(a->n, MAX_ROWS);
	a->r[a->n++] = *row;
	return 0;
}

static int rows_fn(svl_txn *t, void *p)
{
	struct rows *a = p;
	svl_rules r;
	svl_rules_default(&r);
	return svl__metrics_get_txn(t, slot.table[a->which], &r, a->period,
				    a->from, a->to, a->by, row_cb, a);
}

/* Every row of slot `which` of one kind, over two years around T0. */
static struct rows *rows(int which, enum svl_metrics_period p,
			 enum svl_metrics_by by)
{
	static struct rows a[4];
	static int next;
	struct rows *r = &a[next++ % 4];
	memset(r, 0, sizeof *r);
	r->which = which;
	r->period = p;
	r->by = by;
	r->from = SVL_T0 - 365 * SVL_DAY;
	r->to = SVL_T0 + 365 * SVL_DAY;
	OK(svl_log_read(log_, rows_fn, r));
	return r;
}

/* The row labelled `label` with key `key` ("" overall), or a zero row. */
static svl_metrics_row row(const struct rows *a, const char *label,
			   const char *key)
{
	for (int i = 0; i < a->n; i++)
		if (!strcmp(a->r[i].label, label) && !strcmp(a->r[i].key, key))
			return a->r[i];
	svl_metrics_row none;
	memset(&none, 0, sizeof none);
	return none;
}

static svl_metrics_row day_row(int which, const char *label, const char *key)
{
	enum svl_metrics_by by = !key[0]	 ? SVL_METRICS_OVERALL
				 : key[0] == 'A' ? SVL_METRICS_ADVISOR
						 : SVL_METRICS_TECHNICIAN;
	return row(rows(which, SVL_METRICS_DAY, by), label, key);
}

/* Two slots' rows of one kind differ only in the counters listed. */
static void only_differ(enum svl_metrics_period p, enum svl_metrics_by by,
			const int *counters, int n)
{
	struct rows *a = rows(0, p, by), *b = rows(1, p, by);
	cr_assert_eq(a->n, b->n);
	for (int i = 0; i < a->n; i++) {
		int64_t x[SVL__MC_N], y[SVL__MC_N];
		memcpy(x, &a->r[i].c, sizeof x);
		memcpy(y, &b->r[i].c, sizeof y);
		cr_assert_str_eq(a->r[i].label, b->r[i].label);
		cr_assert_str_eq(a->r[i].key, b->r[i].key);
		for (int k = 0; k < SVL__MC_N; k++) {
			int listed = 0;
			for (int j = 0; j < n; j++)
				listed |= counters[j] == k;
			if (!listed)
				cr_assert_eq(x[k], y[k], "%s %s: counter %d",
					     a->r[i].label, a->r[i].key, k);
		}
	}
}

/* ---- scenario A: follow-up and satisfaction ----
 *
 * Four jobs, all delivered Tuesday 2026-09-29 10:00 (local, UTC+8):
 *   W1 advisor A1, technician T1; W2 A1, T2; W3 A2, T1; W4 A2, T2.
 * Follow-up calls (R-FU-1, R-FU-3 windows 09:00-11:30 and 14:00-19:00):
 *   W1 Wed 10:00 reached, score 5
 *   W2 Wed 10:00 reached, score 3
 *   W3 Sat 20:00, Sun 10:00 and Sun 15:00 no answer: three calls with
 *      no answer at three times of day fail it (R-FU-4, R-FU-5)
 *   W4 never called
 * Tuesday, overall, under the default rules (scale 5, threshold 4):
 *   delivered 4; covered 3 -> coverage 750 permille
 *   in the 1..3 day window: W1, W2 (1 day); W3 starts on day 4 -> 2/4 = 500
 *   attempts 5, in a call window 4 (not Sat 20:00) -> 800
 *   reached 2, failed 1 -> success 2/3 = 667
 *   satisfied 1 (5 >= 4; 3 < 4) of reached 2 -> satisfaction 500
 *   answered 2, score sum 8 -> average 4000 milli
 */
static void scenario_followup(void)
{
	static const char *const wo[4] = {"W1", "W2", "W3", "W4"};
	static const char *const adv[4] = {"A1", "A1", "A2", "A2"};
	static const char *const tech[4] = {"T1", "T2", "T1", "T2"};
	int64_t tue = SVL_T0 + SVL_DAY, wed = tue + SVL_DAY;
	for (int i = 0; i < 4; i++) {
		OK(svl_jobs_receive(log_, wo[i], adv[i], SVL_T0 + 9 * SVL_HOUR,
				    "repair", NULL));
		OK(svl_jobs_dispatch(log_, wo[i], tech[i],
				     SVL_T0 + 10 * SVL_HOUR));
		OK(svl_jobs_deliver(log_, wo[i], adv[i], tue + 10 * SVL_HOUR));
	}
	OK(svl_jobs_call(log_, "W1", wed + 10 * SVL_HOUR, "reached", 5));
	OK(svl_jobs_call(log_, "W2", wed + 10 * SVL_HOUR, "reached", 3));
	OK(svl_jobs_call(log_, "W3", tue + 4 * SVL_DAY + 20 * SVL_HOUR,
			 "no_answer", 0));
	OK(svl_jobs_call(log_, "W3", tue + 5 * SVL_DAY + 10 * SVL_HOUR,
			 "no_answer", 0));
	OK(svl_jobs_call(log_, "W3", tue + 5 * SVL_DAY + 15 * SVL_HOUR,
			 "no_answer", 0));
}

Test(metrics, followup_and_satisfaction_figures_R_FU_1_R_FU_5)
{
	scenario_followup();
	build(0, NULL);
	svl_metrics_row r = day_row(0, "2026-09-29", "");
	cr_assert_eq(r.c.delivered, 4);
	cr_assert_eq(r.c.fu_covered, 3);
	cr_assert_eq(r.r.fu_coverage_permille, 750);
	cr_assert_eq(r.c.fu_in_window, 2);
	cr_assert_eq(r.r.fu_in_window_permille, 500);
	cr_assert_eq(r.c.fu_attempts, 5);
	cr_assert_eq(r.c.fu_attempts_in_call_window, 4);
	cr_assert_eq(r.r.fu_call_window_permille, 800);
	cr_assert_eq(r.c.fu_reached, 2);
	cr_assert_eq(r.c.fu_failed, 1);
	cr_assert_eq(r.r.fu_success_permille, 667);
	cr_assert_eq(r.c.answered, 2);
	cr_assert_eq(r.c.satisfied, 1);
	cr_assert_eq(r.r.satisfaction_permille, 500);
	cr_assert_eq(r.r.score_avg_milli, 4000);
	/* nothing else happened to these jobs */
	cr_assert_eq(r.r.first_time_fix_permille, 1000);
	cr_assert_eq(r.r.major_complaint_bp, 0);
	cr_assert_eq(r.r.on_time_permille, 0, "no promise is never on time");
	cr_assert_eq(r.period_day, SVL_T0_DAY + 1);
	cr_assert_eq(r.period_start_ms, SVL_T0 + SVL_DAY);
	/* the week and the month hold the same four jobs */
	svl_metrics_row w =
	    row(rows(0, SVL_METRICS_WEEK, SVL_METRICS_OVERALL), "2026-W40", "");
	svl_metrics_row m =
	    row(rows(0, SVL_METRICS_MONTH, SVL_METRICS_OVERALL), "2026-09", "");
	cr_assert_eq(memcmp(&w.c, &r.c, sizeof r.c), 0);
	cr_assert_eq(memcmp(&m.c, &r.c, sizeof r.c), 0);
	cr_assert_eq(w.period_day, SVL_T0_DAY, "weeks start on Monday");
}

/* Per advisor: A1 has W1 and W2 (both reached, one satisfied); A2 has W3
 * (failed) and W4 (never called). Per technician: T1 has W1 (reached, 5)
 * and W3 (failed). */
Test(metrics, figures_per_advisor_and_technician)
{
	scenario_followup();
	build(0, NULL);
	svl_metrics_row a1 = day_row(0, "2026-09-29", "A1");
	svl_metrics_row a2 = day_row(0, "2026-09-29", "A2");
	svl_metrics_row t1 = day_row(0, "2026-09-29", "T1");
	cr_assert_eq(a1.by, SVL_METRICS_ADVISOR);
	cr_assert_eq(a1.c.delivered, 2);
	cr_assert_eq(a1.r.fu_coverage_permille, 1000);
	cr_assert_eq(a1.r.satisfaction_permille, 500);
	cr_assert_eq(a2.c.delivered, 2);
	cr_assert_eq(a2.r.fu_coverage_permille, 500);
	cr_assert_eq(a2.r.fu_success_permille, 0);
	cr_assert_eq(a2.r.satisfaction_permille, SVL_METRICS_NONE,
		     "nobody reached: no satisfaction figure");
	cr_assert_eq(t1.by, SVL_METRICS_TECHNICIAN);
	cr_assert_eq(t1.r.fu_success_permille, 500);
	cr_assert_eq(t1.r.satisfaction_permille, 1000);
	/* the breakdowns add up to the overall row */
	svl_metrics_counters sum;
	memset(&sum, 0, sizeof sum);
	svl_metrics_add(&sum, &a1.c);
	svl_metrics_add(&sum, &a2.c);
	svl_metrics_row all = day_row(0, "2026-09-29", "");
	cr_assert_eq(memcmp(&sum, &all.c, sizeof sum), 0);
	svl_metrics_ratios r;
	svl_metrics_ratios_of(&sum, &r);
	cr_assert_eq(r.fu_success_permille, 667);
}

Test(metrics, threshold_change_moves_only_satisfaction)
{
	scenario_followup();
	svl_rules lenient;
	svl_rules_default(&lenient);
	lenient.satisfaction_threshold = 3; /* W2's 3 now counts */
	build(0, NULL);
	build(1, &lenient);
	svl_metrics_row a = day_row(0, "2026-09-29", "");
	svl_metrics_row b = day_row(1, "2026-09-29", "");
	cr_assert_eq(a.r.satisfaction_permille, 500);
	cr_assert_eq(b.r.satisfaction_permille, 1000);
	cr_assert_eq(b.c.satisfied - a.c.satisfied, 1);
	static const int moved[] = {SVL__MC_SATISFIED};
	for (int by = 0; by < 3; by++)
		for (int p = 0; p < 3; p++)
			only_differ((enum svl_metrics_period)p,
				    (enum svl_metrics_by)by, moved, 1);
}

Test(metrics, scale_and_window_knobs_move_their_figures)
{
	scenario_followup();
	svl_rules r;
	svl_rules_default(&r);
	r.followup_max_days = 4; /* W3's first call, day 4, is now in time */
	build(0, NULL);
	build(1, &r);
	cr_assert_eq(day_row(1, "2026-09-29", "").r.fu_in_window_permille, 750);
	static const int window[] = {SVL__MC_FU_IN_WINDOW};
	only_differ(SVL_METRICS_DAY, SVL_METRICS_OVERALL, window, 1);
	/* a 3-point scale: W1's 5 is off the scale, not an answer */
	svl_rules_default(&r);
	r.satisfaction_scale = 3;
	r.satisfaction_threshold = 3;
	build(1, &r);
	svl_metrics_row b = day_row(1, "2026-09-29", "");
	cr_assert_eq(b.c.answered, 1);
	cr_assert_eq(b.c.satisfied, 1); /* W2's 3 */
	cr_assert_eq(b.c.score_sum, 3);
	cr_assert_eq(b.r.satisfaction_permille, 500);
}

/* ---- scenario B: complaints, first-time fix, on time, write-offs ----
 *
 * Four jobs received Monday, delivered Tuesday 2026-09-29 10:00:
 *   W1 promised Tue 12:00 -> on time; complaint CMP1, medium
 *   W2 promised Tue 09:00 -> late; failed its group check (rework);
 *      complaint CMP2, a grumble
 *   W3 promised Wed 00:00 -> on time; VIN ...0003; comes back: W5, a
 *      repair for the same VIN, is booked ten days later (Fri 9 Oct)
 *   W4 promised Tue 10:00 -> on time (delivered exactly then)
 * CMP3 names no job, opened Wed 30 Sep, severe. A write-off of 1003 fen is
 * approved Tuesday 15:00.
 * Tuesday, overall:
 *   promised 4, on time 3 -> 750 permille
 *   reworked 1 (W2), comebacks 1 (W3), first-time fix 2 (W1, W4) -> 500
 *   complaints 2, major 1 (medium) -> 1/4 = 2500 bp
 *   write-off 1003: 100 + 100 + 100 for the three roles (floor of 10%),
 *   the company the remaining 703 (R-WOF-6)
 * Wednesday, overall: complaints 1, major 1, nothing delivered (no rate).
 * Week 2026-W40: delivered 4, complaints 3, major 2 -> 5000 bp.
 */
#define VIN3 "LVSHCAMB1CE000003"

static void job_b(const char *wo, const char *vin, int64_t promised)
{
	OK(svl_jobs_receive(log_, wo, "A1", SVL_T0 + 9 * SVL_HOUR, "repair",
			    vin));
	OK(svl_jobs_quote(log_, wo, "A1", SVL_T0 + 10 * SVL_HOUR, promised));
	OK(svl_jobs_dispatch(log_, wo, "T1", SVL_T0 + 11 * SVL_HOUR));
}

static void scenario_quality(int with_comeback)
{
	int64_t tue = SVL_T0 + SVL_DAY;
	job_b("W1", NULL, tue + 12 * SVL_HOUR);
	job_b("W2", NULL, tue + 9 * SVL_HOUR);
	job_b("W3", VIN3, tue + SVL_DAY);
	job_b("W4", NULL, tue + 10 * SVL_HOUR);
	OK(svl_jobs_qc(log_, "W2", "T1", "group", 0, SVL_T0 + 15 * SVL_HOUR));
	OK(svl_jobs_qc(log_, "W2", "T1", "group", 1, SVL_T0 + 17 * SVL_HOUR));
	static const char *const wo[4] = {"W1", "W2", "W3", "W4"};
	for (int i = 0; i < 4; i++)
		OK(svl_jobs_deliver(log_, wo[i], "A1", tue + 10 * SVL_HOUR));
	OK(svl_jobs_complain(log_, "CMP1", "W1", tue + 12 * SVL_HOUR,
			     "medium"));
	OK(svl_jobs_complain(log_, "CMP2", "W2", tue + 13 * SVL_HOUR,
			     "grumble"));
	OK(svl_jobs_complain(log_, "CMP3", NULL, tue + 34 * SVL_HOUR,
			     "severe"));
	EV("writeoff_approved", "SM1", "service_manager", tue + 15 * SVL_HOUR,
	   "\"wof_id\":\"WOF1\",\"total_fen\":1003,\"lines\":[{\"part_no\":"
	   "\"P-1\",\"bin\":\"A-01-02-03\",\"qty_milli\":1000,"
	   "\"unit_cost_fen\":1003}]");
	if (with_comeback)
		OK(svl_jobs_book(log_, "W5", tue + 10 * SVL_DAY, "repair",
				 VIN3));
}

Test(metrics, first_time_fix_on_time_and_complaints_R_CMP_5)
{
	scenario_quality(1);
	build(0, NULL);
	svl_metrics_row r = day_row(0, "2026-09-29", "");
	cr_assert_eq(r.c.delivered, 4);
	cr_assert_eq(r.c.promised, 4);
	cr_assert_eq(r.c.on_time, 3);
	cr_assert_eq(r.r.on_time_permille, 750);
	cr_assert_eq(r.c.reworked, 1);
	cr_assert_eq(r.c.comebacks, 1);
	cr_assert_eq(r.c.first_time_fix, 2);
	cr_assert_eq(r.r.first_time_fix_permille, 500);
	cr_assert_eq(r.r.comeback_permille, 250);
	cr_assert_eq(r.c.complaints, 2);
	cr_assert_eq(r.c.major_complaints, 1);
	cr_assert_eq(r.r.major_complaint_bp, 2500);
	svl_metrics_row wed = day_row(0, "2026-09-30", "");
	cr_assert_eq(wed.c.complaints, 1);
	cr_assert_eq(wed.c.major_complaints, 1);
	cr_assert_eq(wed.r.major_complaint_bp, SVL_METRICS_NONE);
	svl_metrics_row w =
	    row(rows(0, SVL_METRICS_WEEK, SVL_METRICS_OVERALL), "2026-W40", "");
	cr_assert_eq(w.c.complaints, 3);
	cr_assert_eq(w.r.major_complaint_bp, 5000);
	/* an unlinked complaint and a write-off have no advisor */
	svl_metrics_row a1 = day_row(0, "2026-09-29", "A1");
	cr_assert_eq(a1.c.complaints, 2);
	cr_assert_eq(a1.c.writeoffs, 0);
	cr_assert_eq(day_row(0, "2026-09-30", "A1").c.complaints, 0);
}

Test(metrics, writeoff_loss_and_its_split_R_WOF_6)
{
	scenario_quality(0);
	svl_rules r;
	svl_rules_default(&r);
	r.wof_split_permille[SVL_WOF_COMPANY] = 600;
	r.wof_split_permille[SVL_WOF_SERVICE_MANAGER] = 200;
	build(0, NULL);
	build(1, &r);
	svl_metrics_row a = day_row(0, "2026-09-29", "");
	cr_assert_eq(a.c.writeoffs, 1);
	cr_assert_eq(a.c.wof_total_fen, 1003);
	cr_assert_eq(a.c.wof_service_manager_fen, 100);
	cr_assert_eq(a.c.wof_parts_manager_fen, 100);
	cr_assert_eq(a.c.wof_warehouse_keeper_fen, 100);
	cr_assert_eq(a.c.wof_company_fen, 703, "the company takes the rest");
	/* 200 permille of 1003 is 200.6: 200; the company 1003 - 400 = 603 */
	svl_metrics_row b = day_row(1, "2026-09-29", "");
	cr_assert_eq(b.c.wof_service_manager_fen, 200);
	cr_assert_eq(b.c.wof_company_fen, 603);
	static const int moved[] = {SVL__MC_WOF_COMPANY_FEN,
				    SVL__MC_WOF_SM_FEN};
	for (int p = 0; p < 3; p++)
		only_differ((enum svl_metrics_period)p, SVL_METRICS_OVERALL,
			    moved, 2);
}

Test(metrics, comeback_window_change_moves_only_first_time_fix)
{
	scenario_quality(1);
	svl_rules r;
	svl_rules_default(&r);
	r.comeback_window_days = 7; /* W5 came ten days later: no comeback */
	build(0, NULL);
	build(1, &r);
	svl_metrics_row a = day_row(0, "2026-09-29", "");
	svl_metrics_row b = day_row(1, "2026-09-29", "");
	cr_assert_eq(a.r.first_time_fix_permille, 500);
	cr_assert_eq(b.r.first_time_fix_permille, 750);
	cr_assert_eq(b.r.comeback_permille, 0);
	static const int moved[] = {SVL__MC_COMEBACKS, SVL__MC_FIRST_TIME_FIX};
	for (int by = 0; by < 3; by++)
		for (int p = 0; p < 3; p++)
			only_differ((enum svl_metrics_period)p,
				    (enum svl_metrics_by)by, moved, 2);
}

Test(metrics, major_classes_change_moves_only_major_complaints)
{
	scenario_quality(1);
	svl_rules r;
	svl_rules_default(&r);
	r.major_complaint_mask = SVL_COMPLAINT_SEVERE;
	build(0, NULL);
	build(1, &r);
	cr_assert_eq(day_row(1, "2026-09-29", "").r.major_complaint_bp, 0);
	cr_assert_eq(day_row(1, "2026-09-30", "").c.major_complaints, 1);
	svl_metrics_row w =
	    row(rows(1, SVL_METRICS_WEEK, SVL_METRICS_OVERALL), "2026-W40", "");
	cr_assert_eq(w.r.major_complaint_bp, 2500);
	static const int moved[] = {SVL__MC_MAJOR_COMPLAINTS};
	for (int by = 0; by < 3; by++)
		for (int p = 0; p < 3; p++)
			only_differ((enum svl_metrics_period)p,
				    (enum svl_metrics_by)by, moved, 1);
}

/* A comeback comes after the original's delivery: the fold revises the
 * row of that delivery, incrementally, without a rebuild. */
Test(metrics, a_comeback_revises_the_original_delivery_row)
{
	scenario_quality(0);
	build(0, NULL);
	svl_metrics_row before = day_row(0, "2026-09-29", "");
	cr_assert_eq(before.r.first_time_fix_permille, 750);
	OK(svl_jobs_book(log_, "W5", SVL_T0 + 11 * SVL_DAY, "repair", VIN3));
	catch_up();
	svl_metrics_row after = day_row(0, "2026-09-29", "");
	cr_assert_eq(after.r.first_time_fix_permille, 500);
	cr_assert_eq(after.c.comebacks, 1);
	cr_assert_eq(day_row(0, "2026-09-29", "T1").c.comebacks, 1);
	/* a second comeback of the same job does not count twice */
	OK(svl_jobs_book(log_, "W6", SVL_T0 + 12 * SVL_DAY, "warranty", VIN3));
	catch_up();
	cr_assert_eq(day_row(0, "2026-09-29", "").c.comebacks, 1);
	/* and the booking days of W5 and W6 have no rows: not delivered */
	cr_assert_eq(rows(0, SVL_METRICS_DAY, SVL_METRICS_OVERALL)->n, 2);
}

/* A job re-dispatched after delivery moves, whole, to the new
 * technician's rows; the old rows, now empty, are gone. */
Test(metrics, a_job_moves_between_technicians_whole)
{
	OK(svl_jobs_receive(log_, "W1", "A1", SVL_T0, "repair", NULL));
	OK(svl_jobs_dispatch(log_, "W1", "T1", SVL_T0 + SVL_HOUR));
	OK(svl_jobs_deliver(log_, "W1", "A1", SVL_T0 + 8 * SVL_HOUR));
	OK(svl_jobs_call(log_, "W1", SVL_T0 + SVL_DAY, "reached", 4));
	build(0, NULL);
	cr_assert_eq(day_row(0, "2026-09-28", "T1").c.fu_reached, 1);
	OK(svl_jobs_dispatch(log_, "W1", "T2", SVL_T0 + 2 * SVL_DAY));
	catch_up();
	cr_assert_eq(rows(0, SVL_METRICS_DAY, SVL_METRICS_TECHNICIAN)->n, 1);
	svl_metrics_row t2 = day_row(0, "2026-09-28", "T2");
	cr_assert_eq(t2.c.delivered, 1);
	cr_assert_eq(t2.c.fu_reached, 1);
	cr_assert_eq(t2.c.satisfied, 1);
}

/* ---- the calendar: days, ISO weeks (R-FU-8), months, time zone ---- */

Test(metrics, calendar_periods_and_labels)
{
	struct {
		int y, m, d;
		const char *day, *week, *month;
	} cases[] = {
	    {2026, 9, 28, "2026-09-28", "2026-W40", "2026-09"},
	    {2026, 10, 4, "2026-10-04", "2026-W40", "2026-10"},
	    {2021, 1, 1, "2021-01-01", "2020-W53", "2021-01"},
	    {2026, 12, 31, "2026-12-31", "2026-W53", "2026-12"},
	    {2027, 1, 3, "2027-01-03", "2026-W53", "2027-01"},
	    {2027, 1, 4, "2027-01-04", "2027-W01", "2027-01"},
	    {2024, 2, 29, "2024-02-29", "2024-W09", "2024-02"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[SVL_METRICS_LABEL_MAX];
		char iso[16];
		snprintf(iso, sizeof iso, "%04d-%02d-%02d", cases[i].y,
			 cases[i].m, cases[i].d);
		int64_t ms;
		char t[40];
		snprintf(t, sizeof t, "%sT12:00:00Z", iso);
		cr_assert_eq(svl_time_parse(&ms, t, strlen(t)), SVL_OK);
		int64_t day = ms / SVL_DAY;
		svl__period_label(SVL_METRICS_DAY, day, buf);
		cr_assert_str_eq(buf, cases[i].day);
		int64_t mon = svl__period_start(SVL_METRICS_WEEK, day);
		cr_assert((mon + 3) % 7 == 0, "%s: Monday", iso);
		cr_assert(day - mon >= 0 && day - mon < 7);
		svl__period_label(SVL_METRICS_WEEK, mon, buf);
		cr_assert_str_eq(buf, cases[i].week, "%s", iso);
		int64_t first = svl__period_start(SVL_METRICS_MONTH, day);
		cr_assert_eq(day - first, cases[i].d - 1);
		svl__period_label(SVL_METRICS_MONTH, first, buf);
		cr_assert_str_eq(buf, cases[i].month);
	}
}

Test(metrics, days_are_local_days_of_the_rule_set)
{
	/* delivered Tuesday 23:30 in UTC+8 = 15:30 UTC */
	OK(svl_jobs_receive(log_, "W1", "A1", SVL_T0, "repair", NULL));
	OK(svl_jobs_deliver(log_, "W1", "A1",
			    SVL_T0 + SVL_DAY + 23 * SVL_HOUR + SVL_HOUR / 2));
	build(0, NULL);
	cr_assert_eq(day_row(0, "2026-09-29", "").c.delivered, 1);
	svl_rules tz;
	svl_rules_default(&tz);
	tz.tz_offset_min = -10 * 60; /* Tuesday 05:30 in UTC-10 */
	build(0, &tz);
	cr_assert_eq(day_row(0, "2026-09-29", "").c.delivered, 1);
	tz.tz_offset_min = 9 * 60; /* Wednesday 00:30 in UTC+9 */
	build(0, &tz);
	svl_metrics_row r = row(rows(0, SVL_METRICS_DAY, SVL_METRICS_OVERALL),
				"2026-09-30", "");
	cr_assert_eq(r.c.delivered, 1);
}

struct q {
	enum svl_metrics_period p;
	enum svl_metrics_by by;
	int64_t from, to;
	int n;
};

static int count_cb(const svl_metrics_row *row, void *p)
{
	(void)row;
	((struct q *)p)->n++;
	return 0;
}

static int q_fn(svl_txn *t, void *p)
{
	struct q *q = p;
	svl_rules r;
	svl_rules_default(&r);
	return svl__metrics_get_txn(t, slot.table[0], &r, q->p, q->from, q->to,
				    q->by, count_cb, q);
}

Test(metrics, a_query_takes_the_periods_touching_its_range)
{
	scenario_quality(0); /* rows on Tuesday and Wednesday */
	build(0, NULL);
	int64_t tue = SVL_T0 + SVL_DAY;
	struct q q = {SVL_METRICS_DAY, SVL_METRICS_OVERALL, tue, tue + 1, 0};
	OK(svl_log_read(log_, q_fn, &q));
	cr_assert_eq(q.n, 1, "one millisecond of Tuesday: Tuesday's row");
	q.n = 0;
	q.to = tue + SVL_DAY; /* exclusive: Wednesday 00:00 is not in it */
	OK(svl_log_read(log_, q_fn, &q));
	cr_assert_eq(q.n, 1);
	q.n = 0;
	q.to++;
	OK(svl_log_read(log_, q_fn, &q));
	cr_assert_eq(q.n, 2);
	q.n = 0;
	q.from = INT64_MIN; /* open bounds */
	q.to = INT64_MAX;
	OK(svl_log_read(log_, q_fn, &q));
	cr_assert_eq(q.n, 2);
	q = (struct q){SVL_METRICS_WEEK, SVL_METRICS_ADVISOR, tue, tue + 1, 0};
	OK(svl_log_read(log_, q_fn, &q));
	cr_assert_eq(q.n, 1, "the week of Tuesday, advisor A1");
	q.to = q.from;
	cr_assert_eq(svl_log_read(log_, q_fn, &q), SVL_EINVAL);
	cr_assert(strstr(svl_log_errmsg(log_), "must be before"));
	q.to = q.from + 1;
	q.p = (enum svl_metrics_period)3;
	cr_assert_eq(svl_log_read(log_, q_fn, &q), SVL_EINVAL);
	q.p = SVL_METRICS_DAY;
	q.by = (enum svl_metrics_by)9;
	cr_assert_eq(svl_log_read(log_, q_fn, &q), SVL_EINVAL);
}

/* ---- rebuild diffs ---- */

struct lines {
	int n;
	char text[16][256];
};

static int diff_cb(const svl_kv *o, const svl_kv *n, void *p)
{
	struct lines *l = p;
	char line[256];
	const svl_kv *k = o ? o : n;
	if (svl__proj_metrics.describe(k->key, k->key_len, o ? o->val : NULL,
				       o ? o->val_len : 0, n ? n->val : NULL,
				       n ? n->val_len : 0, line, sizeof line) &&
	    l->n < 16)
		strcpy(l->text[l->n++], line);
	return SVL_OK;
}

static int diff_fn(svl_txn *t, void *p)
{
	uint64_t n;
	return svl__proj_diff(t, slot.table[0], slot.table[1], diff_cb, p, &n);
}

static int has_line(const struct lines *l, const char *want)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->text[i], want))
			return 1;
	return 0;
}

Test(metrics, a_rule_change_is_described_row_by_row)
{
	scenario_followup();
	svl_rules r;
	svl_rules_default(&r);
	r.satisfaction_threshold = 3;
	build(0, NULL);
	build(1, &r);
	struct lines l = {0};
	OK(svl_log_read(log_, diff_fn, &l));
	/* W2 (advisor A1, technician T2) moved: day, week and month rows,
	 * overall, A1 and T2; job records differ in nothing */
	cr_assert_eq(l.n, 9, "%d lines", l.n);
	cr_assert(has_line(&l, "metrics 2026-09-29 overall: satisfaction 500 "
			       "-> 1000 permille"));
	cr_assert(has_line(&l, "metrics 2026-W40 advisor A1: satisfaction 500 "
			       "-> 1000 permille"));
	cr_assert(has_line(&l, "metrics 2026-09 technician T2: satisfaction 0 "
			       "-> 1000 permille"));
}

Test(metrics, a_split_change_is_described_by_its_counters)
{
	scenario_quality(0);
	svl_rules r;
	svl_rules_default(&r);
	r.wof_split_permille[SVL_WOF_COMPANY] = 600;
	r.wof_split_permille[SVL_WOF_PARTS_MANAGER] = 200;
	build(0, NULL);
	build(1, &r);
	struct lines l = {0};
	OK(svl_log_read(log_, diff_fn, &l));
	cr_assert_eq(l.n, 3);
	cr_assert(has_line(&l, "metrics 2026-09 overall: wof_company_fen 703 "
			       "-> 603, wof_parts_manager_fen 100 -> 200"));
}

/* ---- rebuild == incremental, and the rows agree with the jobs ---- */

struct digest {
	const svl_proj_slot *s;
	int which;
	svl_proj_state st;
	uint64_t scan[2], entries;
};

static int digest_fn(svl_txn *t, void *p)
{
	struct digest *d = p;
	int exists;
	int rc = svl__proj_load(t, d->s, d->which, &d->st, &exists);
	if (rc == SVL_OK)
		rc = svl__proj_scan_digest(t, d->s->table[d->which], d->scan,
					   &d->entries);
	return rc;
}

static struct digest digest(int which)
{
	struct digest d;
	memset(&d, 0, sizeof d);
	d.s = &slot;
	d.which = which;
	OK(svl_log_read(log_, digest_fn, &d));
	return d;
}

/* What the work-order projection says of the same jobs. */
struct wo_totals {
	int64_t delivered, covered, reached, failed, reworked, promised;
};

static int wo_cb(const svl_work_order *w, void *p)
{
	struct wo_totals *t = p;
	if (!w->delivered_at_ms)
		return 0;
	t->delivered++;
	t->covered += w->fu_attempts > 0;
	t->reached += w->fu_result == SVL_FU_REACHED;
	t->failed += w->fu_result == SVL_FU_FAILED;
	t->reworked += w->qc_failed[0] + w->qc_failed[1] + w->qc_failed[2] +
			   w->reworks[0] + w->reworks[1] + w->reworks[2] >
		       0;
	t->promised += w->promised_at_ms != 0;
	return 0;
}

static int wo_fn(svl_txn *t, void *p)
{
	svl_rules r;
	svl_rules_default(&r);
	return svl__wo_list_txn(t, wo_slot.table[0], &r, NULL, NULL, wo_cb, p);
}

static void sum_rows(const struct rows *a, int64_t out[SVL__MC_N])
{
	memset(out, 0, SVL__MC_N * sizeof out[0]);
	for (int i = 0; i < a->n; i++) {
		int64_t c[SVL__MC_N];
		memcpy(c, &a->r[i].c, sizeof c);
		for (int k = 0; k < SVL__MC_N; k++)
			out[k] += c[k];
	}
}

Test(metrics, rebuild_equals_incremental_and_rows_add_up)
{
	uint64_t seed = svl_test_seed();
	svl_rules r;
	svl_rules_default(&r);
	struct build inc = {&slot, 0, &r, 5};
	OK(svl_log_write(log_, reset_fn, &inc));
	for (int round = 0; round < 4; round++) {
		cr_assert_gt(
		    svl_jobs_random(log_, seed * 7 + (uint64_t)round, 30), 0,
		    "seed %llu", (unsigned long long)seed);
		OK(svl_log_write(log_, catch_fn, &inc));
	}
	build(1, &r);
	struct digest a = digest(0), b = digest(1);
	cr_assert_eq(a.st.checkpoint, b.st.checkpoint);
	cr_assert_eq(a.st.digest[0], a.scan[0], "seed %llu",
		     (unsigned long long)seed);
	cr_assert_eq(a.st.digest[1], a.scan[1]);
	cr_assert_eq(a.st.digest[0], b.st.digest[0], "seed %llu",
		     (unsigned long long)seed);
	cr_assert_eq(a.st.digest[1], b.st.digest[1]);
	cr_assert_eq(a.st.entries, b.st.entries);
	/* days, weeks and months hold the same totals; so do advisors and
	 * technicians for every job counter (every delivered job has both;
	 * unlinked complaints and write-offs are overall only) */
	int64_t d[SVL__MC_N], w[SVL__MC_N], m[SVL__MC_N], ad[SVL__MC_N],
	    te[SVL__MC_N];
	sum_rows(rows(0, SVL_METRICS_DAY, SVL_METRICS_OVERALL), d);
	sum_rows(rows(0, SVL_METRICS_WEEK, SVL_METRICS_OVERALL), w);
	sum_rows(rows(0, SVL_METRICS_MONTH, SVL_METRICS_OVERALL), m);
	sum_rows(rows(0, SVL_METRICS_MONTH, SVL_METRICS_ADVISOR), ad);
	sum_rows(rows(0, SVL_METRICS_WEEK, SVL_METRICS_TECHNICIAN), te);
	cr_assert_gt(d[SVL__MC_DELIVERED], 20, "seed %llu",
		     (unsigned long long)seed);
	for (int k = 0; k < SVL__MC_N; k++) {
		cr_assert_eq(d[k], w[k], "counter %d, seed %llu", k,
			     (unsigned long long)seed);
		cr_assert_eq(d[k], m[k], "counter %d", k);
		if (k >= SVL__MC_COMPLAINTS && k <= SVL__MC_MAJOR_COMPLAINTS)
			continue;
		cr_assert_eq(ad[k], k < SVL__MC_WRITEOFFS ? d[k] : 0,
			     "counter %d, seed %llu", k,
			     (unsigned long long)seed);
		cr_assert_eq(te[k], ad[k], "counter %d", k);
	}
	/* and the work-order projection of the same log agrees */
	build_slot(&wo_slot, 0, &r);
	struct wo_totals t = {0};
	OK(svl_log_read(log_, wo_fn, &t));
	cr_assert_eq(d[SVL__MC_DELIVERED], t.delivered, "seed %llu",
		     (unsigned long long)seed);
	cr_assert_eq(d[SVL__MC_FU_COVERED], t.covered);
	cr_assert_eq(d[SVL__MC_FU_REACHED], t.reached);
	cr_assert_eq(d[SVL__MC_FU_FAILED], t.failed);
	cr_assert_eq(d[SVL__MC_REWORKED], t.reworked);
	cr_assert_eq(d[SVL__MC_PROMISED], t.promised);
}

/* ---- through the ledger: the public query on the live slot ---- */

static svl_ledger *led;

static void led_setup(void)
{
	led = svl_test_ledger(&dir, NULL);
	cr_assert_not_null(led);
	log_ = svl_ledger_log(led); /* appends run the ledger's hook */
}

static void led_teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

TestSuite(metrics_api, .init = led_setup, .fini = led_teardown);

static int stop_at; /* keep_row returns 9 at this many rows, 0 = never */

static int keep_row(const svl_metrics_row *row, void *p)
{
	struct rows *a = p;
	cr_assert_lt(a->n, MAX_ROWS);
	a->r[a->n++] = *row;
	return a->n == stop_at ? 9 : 0;
}

Test(metrics_api, answers_from_the_live_rows)
{
	scenario_followup();
	static struct rows a;
	memset(&a, 0, sizeof a);
	int64_t tue = SVL_T0 + SVL_DAY;
	OK(svl_metrics_get(led, SVL_METRICS_WEEK, tue, tue + 1,
			   SVL_METRICS_ADVISOR, keep_row, &a));
	cr_assert_eq(a.n, 2);
	cr_assert_str_eq(a.r[0].label, "2026-W40");
	cr_assert_str_eq(a.r[0].key, "A1");
	cr_assert_eq(a.r[0].r.satisfaction_permille, 500);
	cr_assert_str_eq(a.r[1].key, "A2");
	cr_assert_eq(a.r[1].r.fu_coverage_permille, 500);
	/* the callback's non-zero return stops the walk and comes back */
	memset(&a, 0, sizeof a);
	stop_at = 1;
	cr_assert_eq(svl_metrics_get(led, SVL_METRICS_DAY, SVL_T0,
				     SVL_T0 + 30 * SVL_DAY,
				     SVL_METRICS_TECHNICIAN, keep_row, &a),
		     9);
	cr_assert_eq(a.n, 1);
	cr_assert_eq(svl_metrics_get(led, SVL_METRICS_DAY, tue, tue,
				     SVL_METRICS_OVERALL, keep_row, &a),
		     SVL_EINVAL);
	cr_assert_eq(svl_metrics_get(led, SVL_METRICS_DAY, tue, tue + 1,
				     SVL_METRICS_OVERALL, NULL, NULL),
		     SVL_EMISUSE);
	cr_assert_eq(svl_metrics_get(NULL, SVL_METRICS_DAY, tue, tue + 1,
				     SVL_METRICS_OVERALL, keep_row, &a),
		     SVL_EMISUSE);
}

struct seen {
	int n;
	char line[4][256];
};

static void on_diff(const svl_rebuild_diff *d, void *p)
{
	struct seen *s = p;
	if (d->what && !strcmp(d->projection, "metrics") && s->n < 4 &&
	    strstr(d->what, "overall"))
		snprintf(s->line[s->n++], sizeof s->line[0], "%s", d->what);
}

Test(metrics_api, a_rebuild_under_new_rules_shows_the_rows_that_move)
{
	scenario_followup();
	svl_rules r;
	svl_rules_default(&r);
	snprintf(r.id, sizeof r.id, "lenient");
	r.satisfaction_threshold = 3;
	struct seen s;
	memset(&s, 0, sizeof s);
	svl_rebuild_options o = SVL_REBUILD_OPTIONS_INIT;
	o.flags = SVL_REBUILD_DIFF | SVL_REBUILD_SWITCH;
	o.diff = on_diff;
	o.payload = &s;
	OK(svl_ledger_rebuild(led, &r, &o, NULL));
	cr_assert_eq(s.n, 3, "day, week and month");
	cr_assert_str_eq(s.line[0], "metrics 2026-09-29 overall: satisfaction "
				    "500 -> 1000 permille");
	static struct rows a;
	memset(&a, 0, sizeof a);
	OK(svl_metrics_get(led, SVL_METRICS_MONTH, SVL_T0, SVL_T0 + 1,
			   SVL_METRICS_OVERALL, keep_row, &a));
	cr_assert_eq(a.r[0].r.satisfaction_permille, 1000, "switched");
}
