/*
 * test_rules_followup.c - after delivery: follow-up calls (R-FU-1, R-FU-4,
 * R-FU-5: when a follow-up counts as failed, which is what re-verifying
 * the contact needs) and complaints (R-CMP-3, R-CMP-4).
 */
#include "svl_work_orders.h"
#include "test_rules_fixture.h"

/* Job WO1 from booking to delivery, on 2026-09-30. */
static const rt_step DELIVERED[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO1",
		"customer_id": "C1", "owner_name": "Li Wei", "phone": "13800138000",
		"target": "customer_request", "job_kind": "repair",
		"items": "brake squeal", "wanted_at_ms": 1790755200000})},
	RT_RECEIVED("WO1", 59),
	RT_INSPECTED("WO1", 60),
	{SVL_T_QUOTE_ISSUED, "E010", NULL, 61, J({"wo_id": "WO1", "labor": [],
		"parts": [], "total_fen": 10000, "promised_at_ms": 1790769600000,
		"customer_agreed": true})},
	{SVL_T_WORK_ORDER_CONFIRMED, "E010", NULL, 62, J({"wo_id": "WO1",
		"quote_revision": 1, "customer_signed": true, "total_fen": 10000,
		"promised_at_ms": 1790769600000})},
	{SVL_T_WORK_DISPATCHED, "E003", NULL, 63, J({"wo_id": "WO1",
		"technician_id": "E021", "bay": "B3"})},
	{SVL_T_WORK_COMPLETED, "E021", NULL, 120, J({"wo_id": "WO1",
		"technician_id": "E021", "labor_min": 50})},
	{SVL_T_QC_CHECKED, "E021", NULL, 121, J({"wo_id": "WO1", "stage": "self", "passed": true})},
	{SVL_T_QC_CHECKED, "E003", NULL, 122, J({"wo_id": "WO1", "stage": "group", "passed": true})},
	{SVL_T_QC_CHECKED, "E004", NULL, 123, J({"wo_id": "WO1", "stage": "final", "passed": true})},
	{SVL_T_VEHICLE_READY, "E010", NULL, 140, J({"wo_id": "WO1",
		"cleaned": true, "old_parts_ready": true, "documents_ready": true})},
	{SVL_T_SETTLEMENT_ISSUED, "E010", NULL, 150, J({"wo_id": "WO1",
		"labor_fen": 10000, "parts_fen": 0, "materials_fen": 0,
		"total_fen": 10000, "customer_signed": true})},
	{SVL_T_PAYMENT_RECEIVED, "E031", NULL, 151, J({"wo_id": "WO1",
		"amount_fen": 10000, "method": "cash"})},
	{SVL_T_VEHICLE_DELIVERED, "E010", NULL, 160, J({"wo_id": "WO1",
		"old_parts": "returned_to_customer", "valuables_returned": true,
		"next_service_date": "2027-03-30", "next_service_mileage_km": 50000})},
};

/* Calls, local time: Oct 1 09:30, 14:30, 18:00, Oct 2 10:30. */
#define CALL(min, at, outcome) {SVL_T_FOLLOWUP_ATTEMPTED, "E013", NULL, min, \
	J({"wo_id": "WO1", "called_at_ms": at, "outcome": outcome})}

static const rt_step TWO_NO_ANSWER[] = {
	CALL(1530, 1790818200000, "no_answer"),
	CALL(1830, 1790836200000, "no_answer"),
};
static const rt_step THREE_MORNINGS[] = {
	CALL(1530, 1790818200000, "no_answer"),
	CALL(2950, 1790908200000, "no_answer"),
	CALL(4380, 1790989200000, "no_answer"),
};
static const rt_step THREE_TIMES_OF_DAY[] = {
	CALL(1530, 1790818200000, "no_answer"),
	CALL(1830, 1790836200000, "no_answer"),
	CALL(2040, 1790848800000, "no_answer"),
};
static const rt_step LAST_BUSY[] = {
	CALL(1530, 1790818200000, "no_answer"),
	CALL(1830, 1790836200000, "no_answer"),
	CALL(2040, 1790848800000, "busy"),
};
static const rt_step RETRIES_ONLY[] = {
	CALL(1530, 1790818200000, "voicemail"),
	CALL(1830, 1790836200000, "driving"),
	CALL(2040, 1790848800000, "call_later"),
	CALL(2950, 1790908200000, "switched_off"),
};
static const rt_step WRONG_NUMBER[] = {
	CALL(1530, 1790818200000, "wrong_number"),
};
static const rt_step REFUSED[] = {
	CALL(1530, 1790818200000, "refused"),
};
static const rt_step REACHED[] = {
	CALL(1530, 1790818200000, "reached"),
};
static const rt_step REVERIFY[] = {
	{SVL_T_CONTACT_REVERIFIED, "E013", NULL, 3000, J({"wo_id": "WO1",
		"corrected": true, "phone": "13900139000"})},
};

#define VERIFY REVERIFY[0]

Test(rules, followup_fails_after_three_attempts_R_FU_4)
{
	const rt_case cases[] = {
		{"two unanswered calls", {CH(DELIVERED), CH(TWO_NO_ANSWER)},
		 VERIFY, "R-FU-4"},
		{"three unanswered calls, all in the morning",
		 {CH(DELIVERED), CH(THREE_MORNINGS)}, VERIFY, "R-FU-4"},
		{"three unanswered calls: morning, afternoon, evening",
		 {CH(DELIVERED), CH(THREE_TIMES_OF_DAY)}, VERIFY, NULL},
		{"a new round after re-verification starts from zero",
		 {CH(DELIVERED), CH(THREE_TIMES_OF_DAY), CH(REVERIFY)}, VERIFY,
		 "R-FU-4"},
		{"no call at all", {CH(DELIVERED)}, VERIFY, "R-FU-4"},
	};
	RT_CASES(cases);
}

Test(rules, followup_fails_only_for_listed_reasons_R_FU_5)
{
	const rt_case cases[] = {
		{"wrong number: failed at once", {CH(DELIVERED), CH(WRONG_NUMBER)},
		 VERIFY, NULL},
		{"customer refuses follow-up", {CH(DELIVERED), CH(REFUSED)}, VERIFY,
		 NULL},
		{"last call busy: a retry", {CH(DELIVERED), CH(LAST_BUSY)}, VERIFY,
		 "R-FU-5"},
		{"voicemail, driving, call later, switched off: retries",
		 {CH(DELIVERED), CH(RETRIES_ONLY)}, VERIFY, "R-FU-5"},
		{"customer reached", {CH(DELIVERED), CH(REACHED)}, VERIFY, "R-FU-5"},
	};
	RT_CASES(cases);
}

/* The seed (無人接聽三次以上): only "no answer" counts toward a failure;
 * busy and switched off are retries even at different times of day. */
static const rt_step BUSY_OFF_NO_ANSWER[] = {
	CALL(1530, 1790818200000, "busy"),
	CALL(1830, 1790836200000, "switched_off"),
	CALL(2040, 1790848800000, "no_answer"),
};
static const rt_step NO_ANSWER_THRICE_BUSY_BETWEEN[] = {
	CALL(1530, 1790818200000, "no_answer"),
	CALL(1600, 1790822400000, "busy"),
	CALL(1830, 1790836200000, "no_answer"),
	CALL(2040, 1790848800000, "no_answer"),
};
static const rt_step THEN_BUSY[] = {
	CALL(2950, 1790908200000, "busy"),
};

Test(rules, followup_counts_only_no_answer_R_FU_5)
{
	const rt_case cases[] = {
		{"busy, switched off, no answer: one call with no answer",
		 {CH(DELIVERED), CH(BUSY_OFF_NO_ANSWER)}, VERIFY, "R-FU-4"},
		{"three calls with no answer, a busy one between: failed",
		 {CH(DELIVERED), CH(NO_ANSWER_THRICE_BUSY_BETWEEN)}, VERIFY, NULL},
		{"a retry after three with no answer leaves it failed",
		 {CH(DELIVERED), CH(THREE_TIMES_OF_DAY), CH(THEN_BUSY)}, VERIFY,
		 NULL},
	};
	RT_CASES(cases);
}

Test(rules, followup_after_delivery_R_FU_1)
{
	const rt_case cases[] = {
		{"calling before the car left", {{0}},
		 CALL(100, 1790818200000, "reached"), "R-FU-1"},
		{"calling after delivery", {CH(DELIVERED)},
		 CALL(1530, 1790818200000, "reached"), NULL},
	};
	RT_CASES(cases);
}

/* ---- complaints ---- */

static const rt_step OPENED[] = {
	{SVL_T_COMPLAINT_OPENED, "E013", NULL, 10, J({"cmp_id": "CMP1",
		"wo_id": "WO1", "channel": "followup_call",
		"description": "grease stain on the seat"})},
	{SVL_T_COMPLAINT_CLASSIFIED, "E005", NULL, 11, J({"cmp_id": "CMP1",
		"severity": "general"})},
};
static const rt_step PLANNED[] = {
	{SVL_T_COMPLAINT_PLAN_APPROVED, "E002", NULL, 12, J({"cmp_id": "CMP1",
		"department": "workshop", "deadline_at_ms": 1791331200000,
		"plan": "free interior cleaning", "customer_agreed": true})},
};
static const rt_step RESOLVED[] = {
	{SVL_T_COMPLAINT_RESOLVED, "E001", NULL, 13, J({"cmp_id": "CMP1",
		"resolution": "seat cleaned"})},
};
static const rt_step CLOSED[] = {
	{SVL_T_COMPLAINT_CLOSED, "E013", NULL, 14, J({"cmp_id": "CMP1",
		"customer_confirmed": true})},
};

static const rt_step OPENED_ONLY[] = {
	{SVL_T_COMPLAINT_OPENED, "E013", NULL, 10, J({"cmp_id": "CMP1",
		"wo_id": "WO1", "channel": "followup_call",
		"description": "grease stain on the seat"})},
};

Test(rules, complaint_classified_before_its_plan_R_CMP_2)
{
	const rt_case cases[] = {
		{"a plan for a complaint with no class", {CH(OPENED_ONLY)},
		 PLANNED[0], "R-CMP-2"},
		{"a plan for a classified complaint", {CH(OPENED)}, PLANNED[0],
		 NULL},
	};
	RT_CASES(cases);
}

Test(rules, complaint_plan_agreed_R_CMP_3)
{
	const rt_case cases[] = {
		{"plan not agreed with the customer", {CH(OPENED)},
		 {SVL_T_COMPLAINT_PLAN_APPROVED, "E002", NULL, 12, J({"cmp_id":
		  "CMP1", "department": "workshop", "deadline_at_ms": 1791331200000,
		  "plan": "apology", "customer_agreed": false})}, "R-CMP-3"},
		{"resolved without a plan", {CH(OPENED)}, RESOLVED[0], "R-CMP-3"},
		{"resolved under the plan", {CH(OPENED), CH(PLANNED)}, RESOLVED[0],
		 NULL},
		{"a plan for a complaint never opened", {{0}}, PLANNED[0], "R-CMP-1"},
	};
	RT_CASES(cases);
}

Test(rules, complaint_closed_when_customer_confirms_R_CMP_4)
{
	const rt_case cases[] = {
		{"closed before it is resolved", {CH(OPENED), CH(PLANNED)},
		 CLOSED[0], "R-CMP-4"},
		{"closed without the customer's confirmation",
		 {CH(OPENED), CH(PLANNED), CH(RESOLVED)},
		 {SVL_T_COMPLAINT_CLOSED, "E013", NULL, 14, J({"cmp_id": "CMP1",
		  "customer_confirmed": false})}, "R-CMP-4"},
		{"resolved and confirmed", {CH(OPENED), CH(PLANNED), CH(RESOLVED)},
		 CLOSED[0], NULL},
		{"closed twice", {CH(OPENED), CH(PLANNED), CH(RESOLVED), CH(CLOSED)},
		 CLOSED[0], "R-CMP-4"},
	};
	RT_CASES(cases);
}

/* ---- one predicate for deciders and projections (model/followup.c) ---- */

static const rt_step FOURTH_CALL[] = {
	CALL(2950, 1790908200000, "no_answer"),
};

static enum svl_fu_result wo1_fu_result(rt *t)
{
	svl_work_order w;
	int rc = svl_work_order_get(t->ledger, "WO1", &w);
	cr_assert_eq(rc, SVL_OK, "WO1: %s", svl_strerror(rc));
	return w.fu_result;
}

/* A ledger whose rule set asks for n calls, with WO1 delivered. */
static void open_delivered(rt *t, int n)
{
	svl_rules r;
	char err[160], json[128];
	snprintf(json, sizeof json,
		 "{\"id\": \"calls-%d\", \"followup_attempts_for_failure\": %d}",
		 n, n);
	cr_assert_eq(svl_rules_parse(json, strlen(json), &r, err, sizeof err),
		     SVL_OK, "%s", err);
	rt_open_ledger(t, &r);
	rt_ok(t, DELIVERED, sizeof DELIVERED / sizeof DELIVERED[0],
	      "delivered");
}

/* With the rule set's followup_attempts_for_failure at 4, three unanswered
 * calls are not yet a failure for the decider nor for the work order; the
 * fourth fails the round for both at once. Before the predicate had one
 * home, the decider counted 3 and the work order 4. */
Test(rules, followup_knob_moves_decider_and_work_order_together_R_FU_4)
{
	rt t;
	open_delivered(&t, 4);
	rt_ok(&t, THREE_TIMES_OF_DAY, 3, "three calls");
	cr_assert_eq(wo1_fu_result(&t), SVL_FU_OPEN,
		     "the work order: three calls of four are open");
	rt_expect(&t, &VERIFY, "R-FU-4", "three calls under a rule of four");
	rt_ok(&t, FOURTH_CALL, 1, "fourth call");
	cr_assert_eq(wo1_fu_result(&t), SVL_FU_FAILED,
		     "the work order: four calls failed the round");
	rt_expect(&t, &VERIFY, NULL, "four calls under a rule of four");
	rt_close(&t);
}

/* And the decider's refusal says how many calls the rule set asks for. */
Test(rules, followup_refusal_names_the_rule_sets_count_R_FU_4)
{
	rt t;
	open_delivered(&t, 5);
	rt_ok(&t, TWO_NO_ANSWER, 2, "two calls");
	svl_refusal why;
	int rc = rt_run(&t, &VERIFY, 1, &why, "reverify");
	cr_assert_eq(rc, SVL_EREFUSED);
	cr_assert(strstr(why.msg, "after 5 attempts"), "%s", why.msg);
	rt_close(&t);
}

/* The work order reads the same: a retry never fails the follow-up. */
Test(rules, followup_work_order_counts_only_no_answer_R_FU_5)
{
	rt t;
	open_delivered(&t, 3);
	rt_ok(&t, BUSY_OFF_NO_ANSWER, 3, "busy, off, no answer");
	cr_assert_eq(wo1_fu_result(&t), SVL_FU_OPEN);
	rt_ok(&t, THREE_TIMES_OF_DAY, 3, "three with no answer");
	cr_assert_eq(wo1_fu_result(&t), SVL_FU_FAILED);
	rt_ok(&t, THEN_BUSY, 1, "a retry");
	cr_assert_eq(wo1_fu_result(&t), SVL_FU_FAILED,
		     "a retry after the failure does not reopen it");
	rt_close(&t);
}
