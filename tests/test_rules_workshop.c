/*
 * test_rules_workshop.c - a job from booking to delivery: R-BKG-3, R-BKG-4
 * (and its index: rebuild, appends made around the deciders), R-REC-1,
 * R-QUO-2, R-WO-1, R-WO-2, R-WO-5, R-QC-1, R-QC-3, R-SET-1, R-SET-2.
 */
#include "test_rules_fixture.h"

static const rt_step MAINT[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO3",
		"customer_id": "C3", "owner_name": "Chen Jie", "phone": "13700137000",
		"target": "maintenance_due", "job_kind": "maintenance",
		"items": "oil service", "wanted_at_ms": 1790906400000})},
};

/* Oct 2 10:00 at the shop */
#define SLOT_OCT2 "1790906400000"

Test(rules, parts_check_before_confirming_R_BKG_3)
{
	const rt_case cases[] = {
		{"maintenance confirmed without the parts check", {CH(MAINT)},
		 {SVL_T_BOOKING_CONFIRMED, "E013", NULL, 5, J({"wo_id": "WO3",
		  "slot_at_ms": 1790906400000, "est_labor_min": 60,
		  "est_amount_fen": 50000})}, "R-BKG-3"},
		{"parts checked, none short", {CH(MAINT)},
		 {SVL_T_BOOKING_CONFIRMED, "E013", NULL, 5, J({"wo_id": "WO3",
		  "slot_at_ms": 1790906400000, "est_labor_min": 60,
		  "est_amount_fen": 50000, "parts_short": false})}, NULL},
		{"parts short, no arrival date", {CH(MAINT)},
		 {SVL_T_BOOKING_CONFIRMED, "E013", NULL, 5, J({"wo_id": "WO3",
		  "slot_at_ms": 1790906400000, "est_labor_min": 60,
		  "est_amount_fen": 50000, "parts_short": true})}, "R-BKG-3"},
		{"parts arrive after the slot", {CH(MAINT)},
		 {SVL_T_BOOKING_CONFIRMED, "E013", NULL, 5, J({"wo_id": "WO3",
		  "slot_at_ms": 1790906400000, "est_labor_min": 60,
		  "est_amount_fen": 50000, "parts_short": true,
		  "parts_arrival_date": "2026-10-03"})}, "R-BKG-3"},
		{"parts arrive on the day, customer waits", {CH(MAINT)},
		 {SVL_T_BOOKING_CONFIRMED, "E013", NULL, 5, J({"wo_id": "WO3",
		  "slot_at_ms": 1790906400000, "est_labor_min": 60,
		  "est_amount_fen": 50000, "parts_short": true,
		  "parts_arrival_date": "2026-10-02"})}, NULL},
		{"no booking to confirm", {{0}},
		 {SVL_T_BOOKING_CONFIRMED, "E013", NULL, 5, J({"wo_id": "WO3",
		  "slot_at_ms": 1790906400000, "est_labor_min": 60,
		  "est_amount_fen": 50000, "parts_short": false})}, "R-BKG-2"},
	};
	RT_CASES(cases);
}

/* ---- R-BKG-4: day capacity ---- */

static void book(rt *t, const char *wo, int64_t at_min)
{
	char json[400];
	snprintf(json, sizeof json, "{\"wo_id\": \"%s\", \"customer_id\": \"C1\", "
		 "\"owner_name\": \"Li\", \"phone\": \"13800138000\", \"target\": "
		 "\"customer_request\", \"job_kind\": \"repair\", \"items\": "
		 "\"noise\", \"wanted_at_ms\": 1790906400000}", wo);
	rt_step s = {SVL_T_BOOKING_REQUESTED, "E013", NULL, at_min, json};
	rt_ok(t, &s, 1, wo);
}

static rt_step confirm(const char *wo, const char *slot, char *json)
{
	sprintf(json, "{\"wo_id\": \"%s\", \"slot_at_ms\": %s, \"est_labor_min\": "
		"60, \"est_amount_fen\": 30000}", wo, slot);
	return (rt_step){SVL_T_BOOKING_CONFIRMED, "E013", NULL, 30, json};
}

static rt_step move(const char *wo, const char *slot, char *json)
{
	sprintf(json, "{\"wo_id\": \"%s\", \"slot_at_ms\": %s, \"reason\": "
		"\"customer_request\"}", wo, slot);
	return (rt_step){SVL_T_BOOKING_RESCHEDULED, "E013", NULL, 40, json};
}

#define OCT2_2330 "1790955000000"  /* Oct 2 23:30 local: still Oct 2 */
#define OCT3_0030 "1790958600000"  /* Oct 3 00:30 local (Oct 2 16:30Z) */
#define OCT3 "1790992800000"

Test(rules, day_capacity_R_BKG_4)
{
	rt t;
	char j[8][200];
	rt_open(&t);
	t.opt.day_capacity_jobs = 2;
	for (int k = 1; k <= 4; k++) {
		char wo[16];
		snprintf(wo, sizeof wo, "WO%d", k);
		book(&t, wo, k);
	}
	rt_step s = confirm("WO1", SLOT_OCT2, j[0]);
	rt_expect(&t, &s, NULL, "first job on Oct 2");
	s = confirm("WO2", OCT2_2330, j[1]);
	rt_expect(&t, &s, NULL, "second job on Oct 2 (late evening)");
	s = confirm("WO3", SLOT_OCT2, j[2]);
	rt_expect(&t, &s, "R-BKG-4", "third job on a full Oct 2");
	s = confirm("WO3", OCT3_0030, j[3]);
	rt_expect(&t, &s, NULL, "Oct 3 00:30 local is another day");
	s = confirm("WO1", OCT2_2330, j[4]);
	rt_expect(&t, &s, NULL, "WO1 moves within its own day");
	s = move("WO3", SLOT_OCT2, j[5]);
	rt_expect(&t, &s, "R-BKG-4", "rescheduling into a full day");
	rt_step cancel = {SVL_T_BOOKING_CANCELLED, "E013", NULL, 50,
			  J({"wo_id": "WO1", "reason": "customer_request"})};
	rt_expect(&t, &cancel, NULL, "WO1 cancels");
	rt_expect(&t, &s, NULL, "the freed place is taken");
	s = move("WO4", SLOT_OCT2, j[6]);
	rt_expect(&t, &s, NULL, "an unconfirmed booking moves freely");
	s = confirm("WO4", SLOT_OCT2, j[7]);
	rt_expect(&t, &s, "R-BKG-4", "and is confirmed only where there is room");
	t.opt.day_capacity_jobs = 0;
	rt_expect(&t, &s, NULL, "capacity 0: no limit");
	rt_close(&t);
}

/* On a ledger the capacity is the rule set's knob (model/rules.def), and
 * the zone that draws the day is the rule set's too. */
Test(rules, day_capacity_from_the_rule_set_R_BKG_4)
{
	svl_rules r;
	char err[160], j[3][200];
	const char *json = "{\"id\": \"one-a-day\", \"day_capacity_jobs\": 1}";
	cr_assert_eq(svl_rules_parse(json, strlen(json), &r, err, sizeof err),
		     SVL_OK, "%s", err);
	rt t;
	rt_open_ledger(&t, &r);
	book(&t, "WO1", 1);
	book(&t, "WO2", 2);
	rt_step s = confirm("WO1", SLOT_OCT2, j[0]);
	rt_expect(&t, &s, NULL, "the day's one job");
	s = confirm("WO2", OCT2_2330, j[1]);
	rt_expect(&t, &s, "R-BKG-4", "a second job on Oct 2, capacity 1");
	s = confirm("WO2", OCT3_0030, j[2]);
	rt_expect(&t, &s, NULL, "Oct 3 00:30 at +08:00 is the next day");
	rt_close(&t);
}

/* The index survives a rebuild and folds appends made around it. */
Test(rules, day_index_rebuild_and_catch_up_R_BKG_4)
{
	rt t;
	char j[4][200];
	rt_open(&t);
	t.opt.day_capacity_jobs = 1;
	book(&t, "WO1", 1);
	book(&t, "WO2", 2);
	book(&t, "WO3", 3);
	rt_step s = confirm("WO1", SLOT_OCT2, j[0]);
	rt_expect(&t, &s, NULL, "WO1");
	cr_assert_eq(svl_decide_rebuild(t.log), SVL_OK, "%s",
		     svl_log_errmsg(t.log));
	s = confirm("WO2", SLOT_OCT2, j[1]);
	rt_expect(&t, &s, "R-BKG-4", "after a rebuild the day is still full");
	/* WO3 confirmed for Oct 3 by a plain append, no decider */
	uint8_t buf[RT_PAYLOAD_MAX];
	char stream[SVL_STREAM_MAX + 1];
	svl_event_in ev;
	s = confirm("WO3", OCT3, j[2]);
	rt_build(&s, &ev, buf, stream, "raw");
	cr_assert_eq(svl_log_append(t.log, &ev, 1, NULL), SVL_OK);
	s = confirm("WO2", OCT3, j[3]);
	rt_expect(&t, &s, "R-BKG-4", "the raw append was folded in");
	rt_close(&t);
}

/* ---- the job: reception, quote, signature, work, checks ---- */

static const rt_step JOB[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO1",
		"customer_id": "C1", "owner_name": "Li Wei", "phone": "13800138000",
		"target": "customer_request", "job_kind": "repair",
		"items": "brake squeal", "wanted_at_ms": 1790755200000})},
	{SVL_T_VEHICLE_RECEIVED, "E010", NULL, 60, J({"wo_id": "WO1",
		"customer_id": "C1", "plate": "B12345", "job_kind": "repair",
		"mileage_km": 45000, "fuel_pct": 40, "covers_laid": 3,
		"first_visit": false, "fault_description": "squeal",
		"customer_confirmed": true})},
	{SVL_T_QUOTE_ISSUED, "E010", NULL, 61, J({"wo_id": "WO1", "labor": [],
		"parts": [], "total_fen": 10000, "promised_at_ms": 1790769600000,
		"customer_agreed": true})},
};
static const rt_step SIGNED[] = {
	{SVL_T_WORK_ORDER_CONFIRMED, "E010", NULL, 62, J({"wo_id": "WO1",
		"quote_revision": 1, "customer_signed": true, "total_fen": 10000,
		"promised_at_ms": 1790769600000})},
};
static const rt_step DISPATCHED[] = {
	{SVL_T_WORK_DISPATCHED, "E003", NULL, 63, J({"wo_id": "WO1",
		"technician_id": "E021", "bay": "B3"})},
};
static const rt_step FINDING[] = {
	{SVL_T_ADDITIONAL_WORK_FOUND, "E021", NULL, 70, J({"wo_id": "WO1",
		"finding_no": 1, "description": "brake fluid old",
		"technical": false, "est_amount_fen": 8000})},
};
static const rt_step DECLINED[] = {
	{SVL_T_ADDITIONAL_WORK_DECLINED, "E010", NULL, 71, J({"wo_id": "WO1",
		"finding_no": 1})},
};
static const rt_step COMPLETED[] = {
	{SVL_T_WORK_COMPLETED, "E021", NULL, 120, J({"wo_id": "WO1",
		"technician_id": "E021", "labor_min": 50})},
};
static const rt_step SELF_OK[] = {
	{SVL_T_QC_CHECKED, "E021", NULL, 121, J({"wo_id": "WO1", "stage": "self", "passed": true})},
};
static const rt_step GROUP_FAIL[] = {
	{SVL_T_QC_CHECKED, "E003", NULL, 122, J({"wo_id": "WO1", "stage": "group",
		"passed": false, "defects": "caliper bolt loose"})},
};
static const rt_step REWORK[] = {
	{SVL_T_REWORK_ORDERED, "E003", NULL, 123, J({"wo_id": "WO1",
		"failed_stage": "group", "technician_id": "E021", "reason": "torque"})},
};
static const rt_step CHECKS_OK[] = {
	{SVL_T_QC_CHECKED, "E021", NULL, 121, J({"wo_id": "WO1", "stage": "self", "passed": true})},
	{SVL_T_QC_CHECKED, "E003", NULL, 122, J({"wo_id": "WO1", "stage": "group", "passed": true})},
	{SVL_T_QC_CHECKED, "E004", NULL, 123, J({"wo_id": "WO1", "stage": "final", "passed": true})},
};

#define DISPATCH DISPATCHED[0]
#define QC(actor, stage) {SVL_T_QC_CHECKED, actor, NULL, 130, \
	J({"wo_id": "WO1", "stage": stage, "passed": true})}

Test(rules, customer_signs_before_work_R_WO_1)
{
	const rt_case cases[] = {
		{"dispatch without the signature", {CH(JOB)}, DISPATCH, "R-WO-1"},
		{"dispatch after the signature", {CH(JOB), CH(SIGNED)}, DISPATCH, NULL},
		{"not signed", {CH(JOB)}, {SVL_T_WORK_ORDER_CONFIRMED, "E010", NULL,
		 62, J({"wo_id": "WO1", "quote_revision": 1, "customer_signed": false,
		 "total_fen": 10000, "promised_at_ms": 1790769600000})}, "R-WO-1"},
		{"signing a revision that does not exist", {CH(JOB)},
		 {SVL_T_WORK_ORDER_CONFIRMED, "E010", NULL, 62, J({"wo_id": "WO1",
		  "quote_revision": 2, "customer_signed": true, "total_fen": 10000,
		  "promised_at_ms": 1790769600000})}, "R-WO-1"},
		{"completion without the signature", {CH(JOB)}, COMPLETED[0], "R-WO-1"},
	};
	RT_CASES(cases);
}

Test(rules, work_goes_to_a_technician_R_WO_2)
{
	const rt_case cases[] = {
		{"to the keeper", {CH(JOB), CH(SIGNED)}, {SVL_T_WORK_DISPATCHED,
		 "E003", NULL, 63, J({"wo_id": "WO1", "technician_id": "E012",
		 "bay": "B3"})}, "R-WO-2"},
		{"to a technician", {CH(JOB), CH(SIGNED)}, DISPATCH, NULL},
	};
	RT_CASES(cases);
}

Test(rules, additional_work_needs_signed_approval_R_WO_5)
{
	const rt_case cases[] = {
		{"approved without the customer's signature",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING)},
		 {SVL_T_ADDITIONAL_WORK_APPROVED, "E010", NULL, 71, J({"wo_id": "WO1",
		  "finding_no": 1, "amount_fen": 8000, "customer_signed": false})},
		 "R-WO-5"},
		{"approved with it", {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING)},
		 {SVL_T_ADDITIONAL_WORK_APPROVED, "E010", NULL, 71, J({"wo_id": "WO1",
		  "finding_no": 1, "amount_fen": 8000, "customer_signed": true})}, NULL},
		{"a finding never reported", {CH(JOB), CH(SIGNED), CH(DISPATCHED)},
		 {SVL_T_ADDITIONAL_WORK_APPROVED, "E010", NULL, 71, J({"wo_id": "WO1",
		  "finding_no": 1, "amount_fen": 8000, "customer_signed": true})},
		 "R-WO-5"},
		{"declined, then approved",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING), CH(DECLINED)},
		 {SVL_T_ADDITIONAL_WORK_APPROVED, "E010", NULL, 72, J({"wo_id": "WO1",
		  "finding_no": 1, "amount_fen": 8000, "customer_signed": true})},
		 "R-WO-5"},
		{"completed while the customer has not decided",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING)}, COMPLETED[0],
		 "R-WO-5"},
		{"declined: only the original items, then completed",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING), CH(DECLINED)},
		 COMPLETED[0], NULL},
	};
	RT_CASES(cases);
}

#define WORK CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(COMPLETED)

Test(rules, checks_in_order_failure_means_rework_R_QC_1)
{
	const rt_case cases[] = {
		{"self check before the work is completed",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED)}, QC("E021", "self"), "R-QC-1"},
		{"self check", {WORK}, QC("E021", "self"), NULL},
		{"group check before the self check", {WORK}, QC("E003", "group"),
		 "R-QC-1"},
		{"a workshop manager does not self-check", {WORK},
		 QC("E003", "self"), "R-QC-1"},
		{"a technician does not make the group check",
		 {WORK, CH(SELF_OK)}, QC("E021", "group"), "R-QC-1"},
		{"failed group check, then the final one",
		 {WORK, CH(SELF_OK), CH(GROUP_FAIL)}, QC("E004", "final"), "R-QC-1"},
		{"failed group check, rework", {WORK, CH(SELF_OK), CH(GROUP_FAIL)},
		 REWORK[0], NULL},
		{"rework for a stage that did not fail",
		 {WORK, CH(SELF_OK), CH(GROUP_FAIL)},
		 {SVL_T_REWORK_ORDERED, "E003", NULL, 123, J({"wo_id": "WO1",
		  "failed_stage": "self", "technician_id": "E021", "reason": "x"})},
		 "R-QC-1"},
		{"rework without a failed check", {WORK, CH(SELF_OK)}, REWORK[0],
		 "R-QC-1"},
		{"checks after rework need the work completed again",
		 {WORK, CH(SELF_OK), CH(GROUP_FAIL), CH(REWORK)}, QC("E021", "self"),
		 "R-QC-1"},
		{"rework completed: checks start over from self",
		 {WORK, CH(SELF_OK), CH(GROUP_FAIL), CH(REWORK), CH(COMPLETED)},
		 QC("E021", "self"), NULL},
		{"ready before the final check", {WORK, CH(SELF_OK)},
		 {SVL_T_VEHICLE_READY, "E010", NULL, 140, J({"wo_id": "WO1",
		  "cleaned": true, "old_parts_ready": true, "documents_ready": true})},
		 "R-QC-1"},
		{"ready after three passed checks", {WORK, CH(CHECKS_OK)},
		 {SVL_T_VEHICLE_READY, "E010", NULL, 140, J({"wo_id": "WO1",
		  "cleaned": true, "old_parts_ready": true, "documents_ready": true})},
		 NULL},
		{"a fourth check", {WORK, CH(CHECKS_OK)}, QC("E004", "final"),
		 "R-QC-1"},
		{"completed twice", {WORK}, COMPLETED[0], "R-QC-1"},
	};
	RT_CASES(cases);
}

static const rt_step READY[] = {
	{SVL_T_VEHICLE_READY, "E010", NULL, 140, J({"wo_id": "WO1",
		"cleaned": true, "old_parts_ready": true, "documents_ready": true})},
};
static const rt_step SETTLED[] = {
	{SVL_T_SETTLEMENT_ISSUED, "E010", NULL, 150, J({"wo_id": "WO1",
		"labor_fen": 8000, "parts_fen": 3000, "materials_fen": 500,
		"discount_fen": 1500, "total_fen": 10000, "customer_signed": true})},
};
static const rt_step PAID[] = {
	{SVL_T_PAYMENT_RECEIVED, "E031", NULL, 151, J({"wo_id": "WO1",
		"amount_fen": 10000, "method": "cash"})},
};

#define DELIVER {SVL_T_VEHICLE_DELIVERED, "E010", NULL, 160, J({"wo_id": "WO1", \
	"old_parts": "returned_to_customer", "valuables_returned": true, \
	"next_service_date": "2027-03-30", "next_service_mileage_km": 50000})}

Test(rules, reception_quote_settlement_delivery)
{
	const rt_case cases[] = {
		{"two covers laid R-REC-1", {{0}}, {SVL_T_VEHICLE_RECEIVED, "E010",
		 NULL, 60, J({"wo_id": "WO9", "customer_id": "C1", "plate": "B1",
		 "job_kind": "repair", "mileage_km": 1, "fuel_pct": 40,
		 "covers_laid": 2, "first_visit": true, "fault_description": "x",
		 "customer_confirmed": true})}, "R-REC-1"},
		{"revision 3 after revision 1 R-QUO-2", {CH(JOB)},
		 {SVL_T_QUOTE_REVISED, "E010", NULL, 65, J({"wo_id": "WO1",
		  "revision": 3, "reason": "new item", "labor": [], "parts": [],
		  "total_fen": 12000, "promised_at_ms": 1790769600000,
		  "customer_agreed": true})}, "R-QUO-2"},
		{"revision 2 R-QUO-2", {CH(JOB)},
		 {SVL_T_QUOTE_REVISED, "E010", NULL, 65, J({"wo_id": "WO1",
		  "revision": 2, "reason": "new item", "labor": [], "parts": [],
		  "total_fen": 12000, "promised_at_ms": 1790769600000,
		  "customer_agreed": true})}, NULL},
		{"inspection out of order R-INS-1", {CH(JOB)},
		 {SVL_T_INSPECTION_RECORDED, "E021", NULL, 60, J({"wo_id": "WO1",
		  "checklist": [{"step": "hood", "ok": true}, {"step":
		  "body_walkaround", "ok": true}, {"step": "plate_vin", "ok": true}],
		  "diagnosis": "pads worn", "road_test": false})}, "R-INS-1"},
		{"inspection in order R-INS-1", {CH(JOB)},
		 {SVL_T_INSPECTION_RECORDED, "E021", NULL, 60, J({"wo_id": "WO1",
		  "checklist": [{"step": "hood", "ok": true}, {"step": "plate_vin",
		  "ok": true}, {"step": "body_walkaround", "ok": true}],
		  "diagnosis": "pads worn", "road_test": false})}, NULL},
		{"a part out of stock without arrival date R-QUO-3", {CH(JOB)},
		 {SVL_T_QUOTE_REVISED, "E010", NULL, 65, J({"wo_id": "WO1",
		  "revision": 2, "reason": "pads", "labor": [], "parts": [{"part_no":
		  "P1", "qty_milli": 1000, "unit_price_fen": 46000, "in_stock": false}],
		  "total_fen": 46000, "promised_at_ms": 1790769600000,
		  "customer_agreed": true})}, "R-QUO-3"},
		{"with its arrival date R-QUO-3", {CH(JOB)},
		 {SVL_T_QUOTE_REVISED, "E010", NULL, 65, J({"wo_id": "WO1",
		  "revision": 2, "reason": "pads", "labor": [], "parts": [{"part_no":
		  "P1", "qty_milli": 1000, "unit_price_fen": 46000, "in_stock": false,
		  "arrival_date": "2026-10-01"}], "total_fen": 46000,
		  "promised_at_ms": 1790769600000, "customer_agreed": true})}, NULL},
		{"settlement does not add up R-SET-1", {WORK, CH(CHECKS_OK), CH(READY)},
		 {SVL_T_SETTLEMENT_ISSUED, "E010", NULL, 150, J({"wo_id": "WO1",
		  "labor_fen": 8000, "parts_fen": 3000, "materials_fen": 500,
		  "total_fen": 10000, "customer_signed": true})}, "R-SET-1"},
		{"payment without a settlement R-SET-1", {WORK}, PAID[0], "R-SET-1"},
		{"delivered unpaid R-SET-1",
		 {WORK, CH(CHECKS_OK), CH(READY), CH(SETTLED)}, DELIVER, "R-SET-1"},
		{"delivered before it is ready R-QC-1", {WORK, CH(CHECKS_OK)},
		 DELIVER, "R-QC-1"},
		{"delivered, paid and ready",
		 {WORK, CH(CHECKS_OK), CH(READY), CH(SETTLED), CH(PAID)}, DELIVER, NULL},
		{"valuables kept R-SET-2",
		 {WORK, CH(CHECKS_OK), CH(READY), CH(SETTLED), CH(PAID)},
		 {SVL_T_VEHICLE_DELIVERED, "E010", NULL, 160, J({"wo_id": "WO1",
		  "old_parts": "returned_to_customer", "valuables_returned": false,
		  "next_service_date": "2027-03-30", "next_service_mileage_km": 50000})},
		 "R-SET-2"},
		{"car not clean R-QC-3", {WORK, CH(CHECKS_OK)},
		 {SVL_T_VEHICLE_READY, "E010", NULL, 140, J({"wo_id": "WO1",
		  "cleaned": false, "old_parts_ready": true, "documents_ready": true})},
		 "R-QC-3"},
	};
	RT_CASES(cases);
}
