/*
 * test_work_orders.c - the work-order projection driven directly on a
 * slot (as test_proj.c does): the state machine of domain.md section 2,
 * every figure of one job, the follow-up outcome of R-FU-5, comebacks,
 * the lists by state, advisor, technician and date, rebuild == incremental
 * on a seeded random workload, and the diff lines of a rule change.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "jobs_fixture.h"
#include "ledger_fixture.h"
#include "work_orders_int.h"

#define EV(...) cr_assert_eq(svl_jobs_ev(log_, __VA_ARGS__), SVL_OK)
#define OK(x) cr_assert_eq((x), SVL_OK, "%s", svl_log_errmsg(log_))

static char *dir;
static svl_log *log_;
static svl_proj_slot slot;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	log_ = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log_);
	cr_assert_eq(svl__proj_slot_open(log_, &svl__proj_work_orders, &slot),
		     SVL_OK);
}

static void teardown(void)
{
	svl_log_close(log_);
	svl_test_rmdir(dir);
}

TestSuite(work_orders, .init = setup, .fini = teardown);

/* ---- building a slot and reading it ---- */

struct build {
	int which;
	const svl_rules *rules;
	uint64_t max; /* events per catch-up call, 0 = all */
};

static int reset_fn(svl_txn *t, void *p)
{
	struct build *b = p;
	return svl__proj_reset(t, &slot, b->which, b->rules);
}

static int catch_fn(svl_txn *t, void *p)
{
	struct build *b = p;
	int done = 0, rc;
	while ((rc = svl__proj_catch_up(t, &slot, b->which, b->max, &done)) ==
		   SVL_OK &&
	       !done)
		;
	return rc;
}

/* Build slot `which` from seq 1 under rules (NULL: defaults). */
static void build(int which, const svl_rules *rules)
{
	svl_rules d;
	svl_rules_default(&d);
	struct build b = {which, rules ? rules : &d, 0};
	OK(svl_log_write(log_, reset_fn, &b));
	OK(svl_log_write(log_, catch_fn, &b));
}

struct get {
	int which;
	const char *wo;
	svl_work_order out;
};

static int get_fn(svl_txn *t, void *p)
{
	struct get *g = p;
	return svl__wo_get_txn(t, slot.table[g->which], g->wo, &g->out);
}

static svl_work_order get(const char *wo)
{
	struct get g;
	memset(&g, 0, sizeof g);
	g.wo = wo;
	OK(svl_log_read(log_, get_fn, &g));
	return g.out;
}

/* ---- one job through every step ---- */

static void full_job(void)
{
	int64_t t = SVL_T0 + 9 * SVL_HOUR;
	OK(svl_jobs_book(log_, "W1", t, "repair", "LVSHCAMB1CE000001"));
	EV("booking_confirmed", "A1", "service_advisor", t + SVL_HOUR,
	   "\"wo_id\":\"W1\",\"slot_at_ms\":%lld,\"est_labor_min\":60,"
	   "\"est_amount_fen\":9000",
	   (long long)(t + SVL_DAY));
	EV("booking_rescheduled", "CS1", "customer_service", t + 2 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"slot_at_ms\":%lld,\"reason\":\"capacity_full\"",
	   (long long)(t + 2 * SVL_DAY));
	t += 2 * SVL_DAY; /* Wednesday 09:00 */
	OK(svl_jobs_receive(log_, "W1", "A2", t, "repair",
			    "LVSHCAMB1CE000001"));
	EV("inspection_recorded", "T1", "technician", t + SVL_HOUR,
	   "\"wo_id\":\"W1\",\"checklist\":[{\"step\":\"hood\",\"ok\":true}],"
	   "\"diagnosis\":\"worn pads\",\"road_test\":true");
	OK(svl_jobs_quote(log_, "W1", "A1", t + 2 * SVL_HOUR,
			  t + SVL_DAY + 8 * SVL_HOUR));
	EV("work_order_confirmed", "A2", "service_advisor", t + 3 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"quote_revision\":1,\"customer_signed\":true,"
	   "\"total_fen\":50000,\"promised_at_ms\":%lld",
	   (long long)(t + SVL_DAY + 8 * SVL_HOUR));
	OK(svl_jobs_dispatch(log_, "W1", "T1", t + 4 * SVL_HOUR));
	EV("parts_issued", "K1", "warehouse_keeper", t + 5 * SVL_HOUR,
	   "\"part_no\":\"P-9\",\"bin\":\"A-01-02-03\",\"qty_milli\":4000,"
	   "\"pick_id\":\"PK1\",\"wo_id\":\"W1\"");
	EV("additional_work_found", "T1", "technician", t + 5 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"finding_no\":1,\"description\":\"leak\","
	   "\"technical\":false,\"est_amount_fen\":8000");
	EV("quote_revised", "A2", "service_advisor", t + 6 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"revision\":2,\"reason\":\"leak\",\"labor\":[],"
	   "\"parts\":[],\"total_fen\":58000,\"promised_at_ms\":%lld,"
	   "\"customer_agreed\":true",
	   (long long)(t + SVL_DAY + 9 * SVL_HOUR));
	EV("additional_work_approved", "A2", "service_advisor",
	   t + 6 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"finding_no\":1,\"amount_fen\":7500,"
	   "\"customer_signed\":true");
	EV("additional_work_found", "T1", "technician", t + 6 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"finding_no\":2,\"description\":\"tyre\","
	   "\"technical\":false,\"est_amount_fen\":3000");
	EV("additional_work_declined", "A2", "service_advisor",
	   t + 7 * SVL_HOUR, "\"wo_id\":\"W1\",\"finding_no\":2");
	EV("parts_returned_to_stock", "K1", "warehouse_keeper",
	   t + 7 * SVL_HOUR,
	   "\"part_no\":\"P-9\",\"bin\":\"A-01-02-03\",\"qty_milli\":1000,"
	   "\"wo_id\":\"W1\"");
	EV("work_completed", "T1", "technician", t + 8 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"technician_id\":\"T1\",\"labor_min\":90");
	OK(svl_jobs_qc(log_, "W1", "T1", "self", 1, t + 9 * SVL_HOUR));
	OK(svl_jobs_qc(log_, "W1", "T1", "group", 0, t + 9 * SVL_HOUR));
	EV("rework_ordered", "WM1", "workshop_manager", t + 9 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"failed_stage\":\"group\",\"technician_id\":"
	   "\"T1\",\"reason\":\"squeal\"");
	EV("work_completed", "T1", "technician", t + 10 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"technician_id\":\"T1\",\"labor_min\":30");
	OK(svl_jobs_qc(log_, "W1", "T1", "self", 1, t + 11 * SVL_HOUR));
	OK(svl_jobs_qc(log_, "W1", "T1", "group", 1, t + 11 * SVL_HOUR));
	OK(svl_jobs_qc(log_, "W1", "T1", "final", 1, t + 11 * SVL_HOUR));
	EV("vehicle_ready", "A2", "service_advisor", t + 12 * SVL_HOUR,
	   "\"wo_id\":\"W1\",\"cleaned\":true,\"old_parts_ready\":true,"
	   "\"documents_ready\":true");
	t += SVL_DAY; /* Thursday 09:00 */
	EV("settlement_issued", "A2", "service_advisor", t,
	   "\"wo_id\":\"W1\",\"labor_fen\":20000,\"parts_fen\":40000,"
	   "\"materials_fen\":5500,\"discount_fen\":1000,\"warranty_fen\":"
	   "500,\"total_fen\":64000,\"customer_signed\":true");
	EV("payment_received", "CA1", "cashier", t + 1,
	   "\"wo_id\":\"W1\",\"amount_fen\":30000,\"method\":\"card\"");
	EV("payment_received", "CA1", "cashier", t + 2,
	   "\"wo_id\":\"W1\",\"amount_fen\":34000,\"method\":\"cash\"");
	OK(svl_jobs_deliver(log_, "W1", "A2", t + 7 * SVL_HOUR)); /* 16:00 */
	OK(svl_jobs_call(log_, "W1", t + SVL_DAY + SVL_HOUR, "busy", 0));
	OK(svl_jobs_call(log_, "W1", t + SVL_DAY + 6 * SVL_HOUR, "reached", 9));
	OK(svl_jobs_complain(log_, "CMP1", "W1", t + 2 * SVL_DAY, "medium"));
}

static const int full_path[] = {SVL_WO_BOOKED,
				SVL_WO_CONFIRMED,
				SVL_WO_RESCHEDULED,
				SVL_WO_RECEIVED,
				SVL_WO_INSPECTED,
				SVL_WO_QUOTED,
				SVL_WO_CONFIRMED_BY_CUSTOMER,
				SVL_WO_DISPATCHED,
				SVL_WO_IN_REPAIR,
				SVL_WO_COMPLETED,
				SVL_WO_IN_QC,
				SVL_WO_REWORK,
				SVL_WO_COMPLETED,
				SVL_WO_IN_QC,
				SVL_WO_READY,
				SVL_WO_SETTLED,
				SVL_WO_PAID,
				SVL_WO_DELIVERED,
				SVL_WO_FOLLOWING_UP,
				SVL_WO_CLOSED};

struct trs {
	int n;
	svl_wo_transition t[32];
};

static int tr_cb(const svl_wo_transition *t, void *p)
{
	struct trs *a = p;
	cr_assert_lt(a->n, 32);
	a->t[a->n++] = *t;
	return 0;
}

static int tr_fn(svl_txn *t, void *p)
{
	return svl__wo_transitions_txn(t, slot.table[0], "W1", tr_cb, p);
}

Test(work_orders, walks_the_service_process_state_machine)
{
	full_job();
	build(0, NULL);
	struct trs a = {0};
	OK(svl_log_read(log_, tr_fn, &a));
	int n = (int)(sizeof full_path / sizeof full_path[0]);
	cr_assert_eq(a.n, n, "%d transitions", a.n);
	for (int i = 0; i < n; i++) {
		cr_assert_eq((int)a.t[i].state, full_path[i], "step %d: %s", i,
			     svl_wo_state_name((int)a.t[i].state));
		cr_assert(i == 0 || a.t[i].seq > a.t[i - 1].seq);
	}
	svl_work_order w = get("W1");
	cr_assert_eq(w.state, SVL_WO_CLOSED);
	cr_assert_eq(w.transitions, n);
	cr_assert_eq(w.state_at_ms, a.t[n - 1].at_ms);
	cr_assert_str_eq(svl_wo_state_name((int)w.state), "closed");
	cr_assert_eq(svl_wo_state_find("confirmed_by_customer", 21),
		     SVL_WO_CONFIRMED_BY_CUSTOMER);
	cr_assert_eq(svl_wo_state_find("nope", 4), -1);
}

struct parts {
	int n;
	svl_wo_part p[4];
	svl_wo_complaint c[4];
};

static int part_cb(const svl_wo_part *p, void *a)
{
	struct parts *x = a;
	x->p[x->n++] = *p;
	return 0;
}

static int cmp_cb(const svl_wo_complaint *c, void *a)
{
	struct parts *x = a;
	x->c[x->n++] = *c;
	return 0;
}

static int parts_fn(svl_txn *t, void *p)
{
	return svl__wo_parts_txn(t, slot.table[0], "W1", part_cb, p);
}

static int cmps_fn(svl_txn *t, void *p)
{
	return svl__wo_complaints_txn(t, slot.table[0], "W1", cmp_cb, p);
}

Test(work_orders, keeps_every_figure_of_the_job)
{
	full_job();
	build(0, NULL);
	svl_work_order w = get("W1");
	int64_t t = SVL_T0 + 9 * SVL_HOUR, r = t + 2 * SVL_DAY;
	cr_assert_str_eq(w.wo_id, "W1");
	cr_assert_str_eq(w.customer_id, "C-W1");
	cr_assert_str_eq(w.plate, "B-W1");
	cr_assert_str_eq(w.vin, "LVSHCAMB1CE000001");
	cr_assert_eq(w.job_kind, SVL_JOB_KIND_REPAIR);
	/* booked by customer service, confirmed by A1, received by A2,
	 * quoted by A1: the receiving advisor is the job's advisor */
	cr_assert_str_eq(w.advisor_id, "A2");
	cr_assert_str_eq(w.technician_id, "T1");
	cr_assert_eq(w.first_at_ms, t);
	cr_assert_eq(w.booked_at_ms, t);
	cr_assert_eq(w.wanted_at_ms, t + SVL_DAY);
	cr_assert_eq(w.slot_at_ms, t + 2 * SVL_DAY);
	cr_assert_eq(w.reschedules, 1);
	cr_assert_eq(w.received_at_ms, r);
	cr_assert_eq(w.mileage_km, 45000);
	cr_assert_eq(w.inspected_at_ms, r + SVL_HOUR);
	cr_assert_eq(w.quotes, 2);
	cr_assert_eq(w.quote_revision, 2);
	cr_assert_eq(w.quote_total_fen, 58000);
	/* the latest promise in log order: the revision's */
	cr_assert_eq(w.promised_at_ms, r + SVL_DAY + 9 * SVL_HOUR);
	cr_assert_eq(w.signed_total_fen, 50000);
	cr_assert_eq(w.signed_at_ms, r + 3 * SVL_HOUR);
	cr_assert_eq(w.dispatched_at_ms, r + 4 * SVL_HOUR);
	cr_assert_eq(w.addl_found, 2);
	cr_assert_eq(w.addl_found_fen, 11000);
	cr_assert_eq(w.addl_approved, 1);
	cr_assert_eq(w.addl_approved_fen, 7500);
	cr_assert_eq(w.addl_declined, 1);
	cr_assert_eq(w.addl_declined_fen, 3000);
	cr_assert_eq(w.parts_issues, 1);
	cr_assert_eq(w.parts_issued_milli, 4000);
	cr_assert_eq(w.parts_returns, 1);
	cr_assert_eq(w.parts_returned_milli, 1000);
	cr_assert_eq(w.labor_min, 120);
	cr_assert_eq(w.completed_at_ms, r + 10 * SVL_HOUR);
	cr_assert_eq(w.qc_passed[SVL_QC_STAGE_SELF], 2);
	cr_assert_eq(w.qc_passed[SVL_QC_STAGE_GROUP], 1);
	cr_assert_eq(w.qc_passed[SVL_QC_STAGE_FINAL], 1);
	cr_assert_eq(w.qc_failed[SVL_QC_STAGE_GROUP], 1);
	cr_assert_eq(w.qc_failed[SVL_QC_STAGE_SELF], 0);
	cr_assert_eq(w.reworks[SVL_QC_STAGE_GROUP], 1);
	cr_assert_eq(w.ready_at_ms, r + 12 * SVL_HOUR);
	cr_assert_eq(w.labor_fen, 20000);
	cr_assert_eq(w.parts_fen, 40000);
	cr_assert_eq(w.materials_fen, 5500);
	cr_assert_eq(w.discount_fen, 1000);
	cr_assert_eq(w.warranty_fen, 500);
	cr_assert_eq(w.total_fen, 64000);
	cr_assert_eq(w.settled_at_ms, r + SVL_DAY);
	cr_assert_eq(w.payments, 2);
	cr_assert_eq(w.paid_fen, 64000);
	cr_assert_eq(w.paid_at_ms, r + SVL_DAY + 2);
	cr_assert_eq(w.delivered_at_ms, r + SVL_DAY + 7 * SVL_HOUR);
	cr_assert_eq(w.on_time, 1);
	cr_assert_eq(w.fu_attempts, 2);
	cr_assert_eq(w.fu_first_at_ms, r + 2 * SVL_DAY + SVL_HOUR);
	cr_assert_eq(w.fu_last_at_ms, r + 2 * SVL_DAY + 6 * SVL_HOUR);
	cr_assert_eq(w.fu_result, SVL_FU_REACHED);
	cr_assert_eq(w.fu_closed_at_ms, w.fu_last_at_ms);
	cr_assert_eq(w.satisfaction_score, 9);
	cr_assert_eq(w.complaints, 1);
	cr_assert_eq(w.major_complaints, 1);
	struct parts p = {0};
	OK(svl_log_read(log_, parts_fn, &p));
	cr_assert_eq(p.n, 1);
	cr_assert_str_eq(p.p[0].part_no, "P-9");
	cr_assert_eq(p.p[0].issued_milli, 4000);
	cr_assert_eq(p.p[0].returned_milli, 1000);
	cr_assert_eq(p.p[0].issues, 1);
	cr_assert_eq(p.p[0].returns, 1);
	memset(&p, 0, sizeof p);
	OK(svl_log_read(log_, cmps_fn, &p));
	cr_assert_eq(p.n, 1);
	cr_assert_str_eq(p.c[0].cmp_id, "CMP1");
	cr_assert_eq(p.c[0].severity, SVL_CMP_SEVERITY_MEDIUM);
	cr_assert_eq(p.c[0].major, 1);
}

Test(work_orders, unknown_job_is_not_found)
{
	full_job();
	build(0, NULL);
	struct get g;
	memset(&g, 0, sizeof g);
	g.wo = "W404";
	cr_assert_eq(svl_log_read(log_, get_fn, &g), SVL_ENOTFOUND);
	cr_assert(strstr(svl_log_errmsg(log_), "no work order W404"));
	g.wo = "";
	cr_assert_eq(svl_log_read(log_, get_fn, &g), SVL_EINVAL);
}

Test(work_orders, delivered_after_the_promise_is_late)
{
	OK(svl_jobs_receive(log_, "W2", "A1", SVL_T0, "repair", NULL));
	OK(svl_jobs_quote(log_, "W2", "A1", SVL_T0, SVL_T0 + 5 * SVL_HOUR));
	OK(svl_jobs_deliver(log_, "W2", "A1", SVL_T0 + 6 * SVL_HOUR));
	OK(svl_jobs_receive(log_, "W3", "A1", SVL_T0, "repair", NULL));
	OK(svl_jobs_deliver(log_, "W3", "A1", SVL_T0 + 6 * SVL_HOUR));
	build(0, NULL);
	cr_assert_eq(get("W2").on_time, 0);
	cr_assert_eq(get("W3").on_time, -1, "no promise: cannot be judged");
	/* a walk-in: its first event is the reception */
	cr_assert_eq(get("W3").first_at_ms, SVL_T0);
	cr_assert_eq(get("W3").state, SVL_WO_DELIVERED);
}

/* ---- the follow-up outcome (R-FU-4, R-FU-5, R-FU-6) ---- */

static void delivered(const char *wo)
{
	OK(svl_jobs_receive(log_, wo, "A1", SVL_T0, "repair", NULL));
	OK(svl_jobs_deliver(log_, wo, "A1", SVL_T0 + 6 * SVL_HOUR));
}

/* Tuesday 10:00 no answer (morning), 14:00 busy (a retry, counts for
 * nothing), 15:00 no answer (afternoon): open; a third call with no
 * answer, at 19:00 (evening), fails it (the seed: 無人接聽三次以上). */
Test(work_orders, no_answer_fails_after_three_calls_at_three_times_R_FU_4)
{
	int64_t t = SVL_T0 + SVL_DAY + 10 * SVL_HOUR;
	delivered("W1");
	OK(svl_jobs_call(log_, "W1", t, "no_answer", 0));
	OK(svl_jobs_call(log_, "W1", t + 4 * SVL_HOUR, "busy", 0));
	OK(svl_jobs_call(log_, "W1", t + 5 * SVL_HOUR, "no_answer", 0));
	build(0, NULL);
	cr_assert_eq(get("W1").fu_result, SVL_FU_OPEN);
	cr_assert_eq(get("W1").state, SVL_WO_FOLLOWING_UP);
	OK(svl_jobs_call(log_, "W1", t + 9 * SVL_HOUR, "no_answer", 0));
	build(0, NULL);
	svl_work_order w = get("W1");
	cr_assert_eq(w.fu_result, SVL_FU_FAILED);
	cr_assert_eq(w.state, SVL_WO_CLOSED);
	cr_assert_eq(w.fu_closed_at_ms, t + 9 * SVL_HOUR);
	/* the rule set says how many calls make a failure */
	svl_rules r;
	svl_rules_default(&r);
	r.followup_attempts_for_failure = 4;
	build(0, &r);
	cr_assert_eq(get("W1").fu_result, SVL_FU_OPEN);
	cr_assert_eq(get("W1").state, SVL_WO_FOLLOWING_UP);
}

Test(work_orders, unanswered_calls_at_one_time_of_day_do_not_fail_R_FU_4)
{
	delivered("W1");
	for (int i = 0; i < 4; i++)
		OK(svl_jobs_call(log_, "W1",
				 SVL_T0 + (1 + i) * SVL_DAY + 10 * SVL_HOUR,
				 "no_answer", 0));
	build(0, NULL);
	cr_assert_eq(get("W1").fu_result, SVL_FU_OPEN, "all in the morning");
	OK(svl_jobs_call(log_, "W1", SVL_T0 + 5 * SVL_DAY + 13 * SVL_HOUR,
			 "no_answer", 0));
	build(0, NULL);
	cr_assert_eq(get("W1").fu_result, SVL_FU_OPEN, "two parts of the day");
	OK(svl_jobs_call(log_, "W1", SVL_T0 + 5 * SVL_DAY + 18 * SVL_HOUR,
			 "no_answer", 0));
	build(0, NULL);
	cr_assert_eq(get("W1").fu_result, SVL_FU_FAILED);
}

Test(work_orders, retries_are_not_failures_R_FU_5)
{
	static const char *const retries[] = {"busy",	    "switched_off",
					      "voicemail",  "driving",
					      "call_later", "busy"};
	delivered("W1");
	for (int i = 0; i < 6; i++)
		OK(svl_jobs_call(log_, "W1", SVL_T0 + SVL_DAY + i * SVL_HOUR,
				 retries[i], 0));
	delivered("W2");
	OK(svl_jobs_call(log_, "W2", SVL_T0 + SVL_DAY, "wrong_number", 0));
	delivered("W3");
	OK(svl_jobs_call(log_, "W3", SVL_T0 + SVL_DAY, "refused", 0));
	build(0, NULL);
	cr_assert_eq(get("W1").fu_result, SVL_FU_OPEN);
	cr_assert_eq(get("W1").fu_attempts, 6);
	cr_assert_eq(get("W2").fu_result, SVL_FU_FAILED, "failed at once");
	cr_assert_eq(get("W3").fu_result, SVL_FU_FAILED);
}

Test(work_orders, reverification_starts_a_new_round_R_FU_6)
{
	delivered("W1");
	OK(svl_jobs_call(log_, "W1", SVL_T0 + SVL_DAY, "wrong_number", 0));
	build(0, NULL);
	cr_assert_eq(get("W1").state, SVL_WO_CLOSED);
	EV("contact_reverified", "A1", "service_advisor", SVL_T0 + 2 * SVL_DAY,
	   "\"wo_id\":\"W1\",\"corrected\":true,\"phone\":\"13900139000\"");
	build(0, NULL);
	svl_work_order w = get("W1");
	cr_assert_eq(w.fu_result, SVL_FU_OPEN);
	cr_assert_eq(w.state, SVL_WO_FOLLOWING_UP);
	cr_assert_eq(w.fu_closed_at_ms, 0);
	OK(svl_jobs_call(log_, "W1", SVL_T0 + 2 * SVL_DAY + SVL_HOUR, "reached",
			 4));
	build(0, NULL);
	w = get("W1");
	cr_assert_eq(w.fu_result, SVL_FU_REACHED);
	cr_assert_eq(w.state, SVL_WO_CLOSED);
	cr_assert_eq(w.reverifications, 1);
	cr_assert_eq(w.satisfaction_score, 4);
	cr_assert_eq(w.fu_closed_at_ms, SVL_T0 + 2 * SVL_DAY + SVL_HOUR);
	cr_assert_eq(w.transitions,
		     5); /* received .. closed, following, closed */
}

/* ---- comebacks ---- */

Test(work_orders, a_repair_within_the_window_is_a_comeback)
{
	const char *vin = "LVSHCAMB1CE000007";
	OK(svl_jobs_receive(log_, "W1", "A1", SVL_T0, "maintenance", vin));
	OK(svl_jobs_deliver(log_, "W1", "A1", SVL_T0 + 6 * SVL_HOUR));
	/* maintenance on the same car later is new work, not a comeback */
	OK(svl_jobs_book(log_, "W2", SVL_T0 + SVL_DAY, "maintenance", vin));
	OK(svl_jobs_book(log_, "W3", SVL_T0 + 3 * SVL_DAY, "repair", vin));
	build(0, NULL);
	cr_assert_str_eq(get("W1").came_back_as, "W3");
	cr_assert_str_eq(get("W3").comeback_of, "W1");
	cr_assert_str_eq(get("W2").comeback_of, "");
	svl_rules r;
	svl_rules_default(&r);
	r.comeback_window_days = 2;
	build(0, &r);
	cr_assert_str_eq(get("W1").came_back_as, "");
	cr_assert_str_eq(get("W3").comeback_of, "");
}

Test(work_orders, a_comeback_is_found_by_plate_without_vin)
{
	OK(svl_jobs_receive(log_, "W1", "A1", SVL_T0, "repair", NULL));
	OK(svl_jobs_deliver(log_, "W1", "A1", SVL_T0 + 6 * SVL_HOUR));
	/* the reception fixture gives plate "B-<wo>": same plate as W1 */
	EV("vehicle_received", "A1", "service_advisor", SVL_T0 + 5 * SVL_DAY,
	   "\"wo_id\":\"W9\",\"customer_id\":\"C-1\",\"plate\":\"B-W1\","
	   "\"job_kind\":\"warranty\",\"mileage_km\":45100,\"fuel_pct\":40,"
	   "\"covers_laid\":3,\"first_visit\":false,\"fault_description\":"
	   "\"same noise\",\"customer_confirmed\":true");
	build(0, NULL);
	cr_assert_str_eq(get("W1").came_back_as, "W9");
	cr_assert_str_eq(get("W9").comeback_of, "W1");
}

/* ---- lists ---- */

static void five_jobs(void)
{
	int64_t mon = SVL_T0, tue = SVL_T0 + SVL_DAY,
		wed = SVL_T0 + 2 * SVL_DAY;
	OK(svl_jobs_receive(log_, "W1", "A1", mon + 9 * SVL_HOUR, "repair",
			    NULL));
	OK(svl_jobs_dispatch(log_, "W1", "T1", mon + 10 * SVL_HOUR));
	OK(svl_jobs_deliver(log_, "W1", "A1", tue + 16 * SVL_HOUR));
	OK(svl_jobs_receive(log_, "W2", "A1", mon + 10 * SVL_HOUR, "repair",
			    NULL));
	OK(svl_jobs_dispatch(log_, "W2", "T2", mon + 11 * SVL_HOUR));
	OK(svl_jobs_book(log_, "W3", wed + 9 * SVL_HOUR, "maintenance", NULL));
	EV("booking_confirmed", "A2", "service_advisor", wed + 10 * SVL_HOUR,
	   "\"wo_id\":\"W3\",\"slot_at_ms\":%lld,\"est_labor_min\":60,"
	   "\"est_amount_fen\":9000",
	   (long long)(wed + SVL_DAY));
	OK(svl_jobs_receive(log_, "W4", "A2", tue + 9 * SVL_HOUR, "repair",
			    NULL));
	OK(svl_jobs_dispatch(log_, "W4", "T1", tue + 10 * SVL_HOUR));
	OK(svl_jobs_qc(log_, "W4", "T1", "self", 0, tue + 12 * SVL_HOUR));
	OK(svl_jobs_book(log_, "W5", tue, "maintenance", NULL));
	EV("booking_cancelled", "CS1", "customer_service", tue + SVL_HOUR,
	   "\"wo_id\":\"W5\",\"reason\":\"customer_request\"");
}

struct list {
	svl_wo_filter f;
	char ids[128];
	int stop_at; /* return 7 at this many jobs, 0 = never */
	int n;
};

static int list_cb(const svl_work_order *w, void *p)
{
	struct list *l = p;
	if (l->ids[0])
		strcat(l->ids, ",");
	strcat(l->ids, w->wo_id);
	return ++l->n == l->stop_at ? 7 : 0;
}

static int list_fn(svl_txn *t, void *p)
{
	struct list *l = p;
	svl_rules r;
	svl_rules_default(&r);
	return svl__wo_list_txn(t, slot.table[0], &r, &l->f, NULL, list_cb, l);
}

static const char *list(const svl_wo_filter *f)
{
	static struct list l;
	memset(&l, 0, sizeof l);
	l.f = *f;
	OK(svl_log_read(log_, list_fn, &l));
	return l.ids;
}

Test(work_orders, lists_by_state_advisor_technician_and_date)
{
	five_jobs();
	build(0, NULL);
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	cr_assert_str_eq(list(&f), "W1,W2,W3,W4,W5");
	f.state = SVL_WO_DISPATCHED;
	cr_assert_str_eq(list(&f), "W2");
	f.state = SVL_WO_CANCELLED;
	cr_assert_str_eq(list(&f), "W5");
	f.state = 0;
	f.advisor_id = "A1";
	cr_assert_str_eq(list(&f), "W1,W2");
	f.advisor_id = "A2";
	cr_assert_str_eq(list(&f), "W3,W4");
	f.state = SVL_WO_REWORK;
	cr_assert_str_eq(list(&f), "W4");
	f.state = 0;
	f.advisor_id = NULL;
	f.technician_id = "T1";
	cr_assert_str_eq(list(&f), "W1,W4");
	f.technician_id = "T9";
	cr_assert_str_eq(list(&f), "");
	f.technician_id = NULL;
	f.date = SVL_WO_DATE_BOOKED;
	f.from_ms = SVL_T0;
	f.to_ms =
	    SVL_T0 + SVL_DAY; /* Monday only: W5 at Tuesday 00:00 is out */
	cr_assert_str_eq(list(&f), "W1,W2");
	f.from_ms = SVL_T0 + SVL_DAY;
	f.to_ms = SVL_T0 + 7 * SVL_DAY; /* by day, then id */
	cr_assert_str_eq(list(&f), "W4,W5,W3");
	f.from_ms = INT64_MIN; /* open bounds */
	f.to_ms = INT64_MAX;
	cr_assert_str_eq(list(&f), "W1,W2,W4,W5,W3");
	f.date = SVL_WO_DATE_DELIVERED;
	f.from_ms = SVL_T0;
	f.to_ms = SVL_T0 + 7 * SVL_DAY;
	cr_assert_str_eq(list(&f), "W1");
	f.advisor_id = "A2";
	cr_assert_str_eq(list(&f), "");
}

Test(work_orders, a_list_stops_when_the_callback_says_so)
{
	five_jobs();
	build(0, NULL);
	static struct list l;
	memset(&l, 0, sizeof l);
	l.f = (svl_wo_filter)SVL_WO_FILTER_INIT;
	l.stop_at = 2;
	cr_assert_eq(svl_log_read(log_, list_fn, &l), 7);
	cr_assert_str_eq(l.ids, "W1,W2");
}

Test(work_orders, refuses_a_bad_filter)
{
	five_jobs();
	build(0, NULL);
	static struct list l;
	memset(&l, 0, sizeof l);
	l.f = (svl_wo_filter)SVL_WO_FILTER_INIT;
	l.f.version = 0;
	cr_assert_eq(svl_log_read(log_, list_fn, &l), SVL_EMISUSE);
	l.f.version = SVL_WO_FILTER_VERSION;
	l.f.state = 99;
	cr_assert_eq(svl_log_read(log_, list_fn, &l), SVL_EINVAL);
	cr_assert(strstr(svl_log_errmsg(log_), "no state 99"));
	l.f.state = 0;
	l.f.date = SVL_WO_DATE_BOOKED;
	l.f.from_ms = l.f.to_ms = SVL_T0;
	cr_assert_eq(svl_log_read(log_, list_fn, &l), SVL_EINVAL);
	l.f.date = (enum svl_wo_date)7;
	cr_assert_eq(svl_log_read(log_, list_fn, &l), SVL_EINVAL);
}

/* ---- rebuilds ---- */

struct digest {
	int which;
	svl_proj_state st;
	uint64_t scan[2], entries;
};

static int digest_fn(svl_txn *t, void *p)
{
	struct digest *d = p;
	int exists;
	int rc = svl__proj_load(t, &slot, d->which, &d->st, &exists);
	if (rc == SVL_OK)
		rc = svl__proj_scan_digest(t, slot.table[d->which], d->scan,
					   &d->entries);
	return rc;
}

Test(work_orders, rebuild_equals_incremental_on_a_random_workload)
{
	uint64_t seed = svl_test_seed();
	svl_rules r;
	svl_rules_default(&r);
	struct build inc = {0, &r, 7};
	OK(svl_log_write(log_, reset_fn, &inc));
	/* fold as the log grows, in small and odd-sized steps */
	for (int round = 0; round < 6; round++) {
		cr_assert_gt(svl_jobs_random(log_, seed + (uint64_t)round, 40),
			     0, "seed %llu", (unsigned long long)seed);
		OK(svl_log_write(log_, catch_fn, &inc));
	}
	build(1, &r);
	struct digest a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	b.which = 1;
	OK(svl_log_read(log_, digest_fn, &a));
	OK(svl_log_read(log_, digest_fn, &b));
	cr_assert_eq(a.st.checkpoint, b.st.checkpoint);
	cr_assert_gt(a.entries, 200, "seed %llu", (unsigned long long)seed);
	cr_assert_eq(a.st.digest[0], a.scan[0], "seed %llu",
		     (unsigned long long)seed);
	cr_assert_eq(a.st.digest[1], a.scan[1]);
	cr_assert_eq(a.st.digest[0], b.st.digest[0], "seed %llu",
		     (unsigned long long)seed);
	cr_assert_eq(a.st.digest[1], b.st.digest[1]);
	cr_assert_eq(a.st.entries, b.st.entries);
}

struct lines {
	int n, shown;
	char first[512];
};

static int diff_cb(const svl_kv *o, const svl_kv *n, void *p)
{
	struct lines *l = p;
	char line[512];
	const svl_kv *k = o ? o : n;
	l->n++;
	if (svl__proj_work_orders.describe(
		k->key, k->key_len, o ? o->val : NULL, o ? o->val_len : 0,
		n ? n->val : NULL, n ? n->val_len : 0, line, sizeof line)) {
		if (!l->shown++)
			strcpy(l->first, line);
	}
	return SVL_OK;
}

static int diff_fn(svl_txn *t, void *p)
{
	uint64_t n;
	return svl__proj_diff(t, slot.table[0], slot.table[1], diff_cb, p, &n);
}

Test(work_orders, a_rule_change_is_described_per_job)
{
	delivered("W1");
	for (int i = 0; i < 3; i++) /* 09:00, 14:00, 19:00 */
		OK(svl_jobs_call(log_, "W1",
				 SVL_T0 + SVL_DAY + (9 + 5 * i) * SVL_HOUR,
				 "no_answer", 0));
	svl_rules r;
	svl_rules_default(&r);
	r.followup_attempts_for_failure = 5;
	build(0, NULL);
	build(1, &r);
	struct lines l = {0};
	OK(svl_log_read(log_, diff_fn, &l));
	/* the job's record, its two state index rows (closed out,
	 * following_up in) and the transition to closed: one line */
	cr_assert_eq(l.n, 4, "%d keys", l.n);
	cr_assert_eq(l.shown, 1);
	cr_assert_str_eq(l.first,
			 "work_orders W1: state closed -> following_up, "
			 "fu_result failed -> open, state_at_ms 1790679600000 "
			 "-> 1790643600000, transitions 4 -> 3, "
			 "fu_closed_at_ms 1790679600000 -> 0");
}

/* ---- through the ledger: the public calls on the live slot ---- */

/* W2..W5 of five_jobs() beside full_job()'s W1. */
static void five_jobs_but_w1(void)
{
	int64_t mon = SVL_T0, tue = SVL_T0 + SVL_DAY;
	OK(svl_jobs_receive(log_, "W2", "A1", mon + 10 * SVL_HOUR, "repair",
			    NULL));
	OK(svl_jobs_dispatch(log_, "W2", "T2", mon + 11 * SVL_HOUR));
	OK(svl_jobs_receive(log_, "W4", "A2", tue + 9 * SVL_HOUR, "repair",
			    NULL));
	OK(svl_jobs_dispatch(log_, "W4", "T1", tue + 10 * SVL_HOUR));
}

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

TestSuite(work_orders_api, .init = led_setup, .fini = led_teardown);

static int count_tr(const svl_wo_transition *t, void *p)
{
	(void)t;
	++*(int *)p;
	return 0;
}

static int list_ids(const svl_work_order *w, void *p)
{
	struct list *l = p;
	if (l->ids[0])
		strcat(l->ids, ",");
	strcat(l->ids, w->wo_id);
	return 0;
}

Test(work_orders_api, reads_the_live_projection_kept_by_appends)
{
	full_job();
	five_jobs_but_w1();
	svl_work_order w;
	OK(svl_work_order_get(led, "W1", &w));
	cr_assert_eq(w.state, SVL_WO_CLOSED);
	cr_assert_eq(w.total_fen, 64000);
	int n = 0;
	OK(svl_work_order_transitions(led, "W1", count_tr, &n));
	cr_assert_eq(n, 20);
	static struct list l;
	memset(&l, 0, sizeof l);
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	f.technician_id = "T1";
	OK(svl_work_orders_list(led, &f, list_ids, &l));
	cr_assert_str_eq(l.ids, "W1,W4");
	cr_assert_eq(svl_work_order_get(led, "W404", &w), SVL_ENOTFOUND);
	cr_assert(strstr(svl_ledger_errmsg(led), "no work order W404"));
	cr_assert_eq(svl_work_order_get(led, NULL, &w), SVL_EMISUSE);
	cr_assert_eq(svl_work_orders_list(led, &f, NULL, NULL), SVL_EMISUSE);
	cr_assert_eq(svl_work_order_get(NULL, "W1", &w), SVL_EMISUSE);
}

struct seen {
	int wo_lines;
	char line[512];
};

static void on_diff(const svl_rebuild_diff *d, void *p)
{
	struct seen *s = p;
	if (d->what && !strcmp(d->projection, "work_orders") && !s->wo_lines++)
		snprintf(s->line, sizeof s->line, "%s", d->what);
}

Test(work_orders_api, a_rebuild_under_new_rules_shows_and_switches)
{
	delivered("W1");
	for (int i = 0; i < 3; i++) /* 09:00, 14:00, 19:00 */
		OK(svl_jobs_call(log_, "W1",
				 SVL_T0 + SVL_DAY + (9 + 5 * i) * SVL_HOUR,
				 "no_answer", 0));
	svl_work_order w;
	OK(svl_work_order_get(led, "W1", &w));
	cr_assert_eq(w.fu_result, SVL_FU_FAILED);
	svl_rules r;
	svl_rules_default(&r);
	snprintf(r.id, sizeof r.id, "patient");
	r.followup_attempts_for_failure = 4;
	struct seen s = {0, ""};
	svl_rebuild_options o = SVL_REBUILD_OPTIONS_INIT;
	o.flags = SVL_REBUILD_DIFF | SVL_REBUILD_SWITCH;
	o.diff = on_diff;
	o.payload = &s;
	OK(svl_ledger_rebuild(led, &r, &o, NULL));
	cr_assert_eq(s.wo_lines, 1);
	cr_assert(strstr(s.line, "work_orders W1: state closed -> "
				 "following_up, fu_result failed -> open"),
		  "%s", s.line);
	OK(svl_work_order_get(led, "W1", &w));
	cr_assert_eq(w.fu_result, SVL_FU_OPEN);
}
