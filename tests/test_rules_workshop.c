/*
 * test_rules_workshop.c - a job from booking to delivery: R-BKG-3, R-BKG-4
 * (and its index: rebuild, appends made around the deciders), R-REC-1,
 * R-INS-1, R-QUO-2 (revisions, additional work, the settlement), R-WO-1,
 * R-WO-2, R-WO-4, R-WO-5, R-QC-1, R-QC-2, R-QC-3, R-SET-1, R-SET-2, and
 * R-QUO-1 (a quote adds up its lines). The reception sheet (R-REC-2,
 * R-REC-3) is test_rules_reception.c's; the front office's preparations
 * (R-BKG-6..8, R-QUO-3's requisition) are test_rules_front.c's.
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
	RT_RECEIVED("WO1", 59),
	RT_INSPECTED("WO1", 60),
	{SVL_T_QUOTE_ISSUED, "E010", NULL, 61, J({"wo_id": "WO1", "labor": [],
		"parts": [], "total_fen": 11500, "promised_at_ms": 1790769600000,
		"customer_agreed": true})},
};
static const rt_step SIGNED[] = {
	{SVL_T_WORK_ORDER_CONFIRMED, "E010", NULL, 62, J({"wo_id": "WO1",
		"quote_revision": 1, "customer_signed": true, "total_fen": 11500,
		"promised_at_ms": 1790769600000})},
};
static const rt_step DISPATCHED[] = {
	{SVL_T_WORK_DISPATCHED, "E003", NULL, 63, J({"wo_id": "WO1",
		"technician_id": "E021", "bay": "B3"})},
};
/* Finding 1 of WO1, a technical problem (R-WO-4) or not. */
#define FOUND(technical) {SVL_T_ADDITIONAL_WORK_FOUND, "E021", NULL, 70, \
	"{\"wo_id\": \"WO1\", \"finding_no\": 1, \"description\": " \
	"\"brake fluid old\", \"technical\": " #technical ", " \
	"\"est_amount_fen\": 8000}"}
static const rt_step FINDING[] = {FOUND(false)};
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

/* ---- R-INS-1: the whole checklist, then the quote and the work ---- */

static const rt_step ONE_STEP[] = {
	{SVL_T_INSPECTION_RECORDED, "E021", NULL, 60, J({"wo_id": "WO1",
		"checklist": [{"step": "hood", "ok": true}],
		"diagnosis": "pads worn", "road_test": false})},
};

/* JOB is booking, reception, inspection, quote */
#define RECEIVED {JOB, 2}
#define INSPECTION JOB[2]
#define QUOTE JOB[3]

Test(rules, the_whole_checklist_before_the_quote_R_INS_1)
{
	const rt_case cases[] = {
		{"one step of seven", {RECEIVED}, ONE_STEP[0], "R-INS-1"},
		{"all seven in order", {RECEIVED}, INSPECTION, NULL},
		{"a quote with no inspection", {RECEIVED}, QUOTE, "R-INS-1"},
		{"a quote after the inspection", {{JOB, 3}}, QUOTE, NULL},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, JOB, 2, "received");
	rt_refused_saying(&t, &ONE_STEP[0], "R-INS-1",
			  "records 1 of the 7 checklist steps; the pre-check "
			  "form also needs: plate and VIN, engine bay fluids, "
			  "body, spare tire, gauges, valuables");
	rt_refused_saying(&t, &QUOTE, "R-INS-1", "job WO1 has no inspection");
	rt_close(&t);
}

/* History imported with only its roles checked (SVL_DECIDE_ROLES_ONLY),
 * then the next step decided by every rule. */
static void imported(rt *t, const rt_chunk *chunks, size_t n)
{
	t->opt.flags = SVL_DECIDE_ROLES_ONLY;
	for (size_t k = 0; k < n; k++)
		rt_ok(t, chunks[k].s, chunks[k].n, "imported");
	t->opt.flags = 0;
}

/* An imported signed quote with no inspection: the work waits for it. */
Test(rules, no_work_before_the_inspection_R_INS_1)
{
	const rt_chunk uninspected[] = {RECEIVED, {&QUOTE, 1}, CH(SIGNED)};
	rt t;
	rt_open(&t);
	imported(&t, uninspected, 3);
	rt_expect(&t, &DISPATCH, "R-INS-1", "dispatch with no inspection");
	rt_expect(&t, &INSPECTION, NULL, "the inspection");
	rt_expect(&t, &DISPATCH, NULL, "dispatch after it");
	rt_close(&t);
}

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

/* Revision 2 of WO1's quote, agreed (or not) by the customer. */
#define REVISION(agreed, total) {SVL_T_QUOTE_REVISED, "E010", NULL, 71, \
	"{\"wo_id\": \"WO1\", \"revision\": 2, \"reason\": \"brake fluid\", " \
	"\"labor\": [], \"parts\": [], \"total_fen\": " #total ", " \
	"\"promised_at_ms\": 1790769600000, \"customer_agreed\": " #agreed "}"}
static const rt_step REVISED[] = {REVISION(true, 19500)};
static const rt_step REVISED_NOT_AGREED[] = {REVISION(false, 19500)};

/* The customer's answer to finding 1, on revision 2 (0: none named). */
#define ANSWER(signed, rev) {SVL_T_ADDITIONAL_WORK_APPROVED, "E010", NULL, 72, \
	"{\"wo_id\": \"WO1\", \"finding_no\": 1, \"amount_fen\": 8000, " \
	"\"customer_signed\": " #signed rev "}"}
#define ON_REV2 ", \"quote_revision\": 2"
static const rt_step APPROVED[] = {ANSWER(true, ON_REV2)};

#define FOUND_AND_REVISED \
	CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING), CH(REVISED)

Test(rules, additional_work_needs_signed_approval_R_WO_5)
{
	const rt_case cases[] = {
		{"approved without the customer's signature",
		 {FOUND_AND_REVISED}, ANSWER(false, ON_REV2), "R-WO-5"},
		{"approved with it", {FOUND_AND_REVISED}, APPROVED[0], NULL},
		{"a finding never reported",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(REVISED)}, APPROVED[0],
		 "R-WO-5"},
		{"declined, then approved", {FOUND_AND_REVISED, CH(DECLINED)},
		 APPROVED[0], "R-WO-5"},
		{"completed while the customer has not decided",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING)}, COMPLETED[0],
		 "R-WO-5"},
		{"declined: only the original items, then completed",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING), CH(DECLINED)},
		 COMPLETED[0], NULL},
	};
	RT_CASES(cases);
}

Test(rules, additional_work_rides_on_a_revised_quote_R_QUO_2)
{
	const rt_case cases[] = {
		{"approved with no revised quote",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING)}, ANSWER(true, ""),
		 "R-QUO-2"},
		{"approved on a revision that does not exist",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING)},
		 ANSWER(true, ON_REV2), "R-QUO-2"},
		{"approved on a revision made before the finding",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(REVISED), CH(FINDING)},
		 ANSWER(true, ON_REV2), "R-QUO-2"},
		{"approved on a revision the customer did not agree",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(FINDING),
		  CH(REVISED_NOT_AGREED)}, ANSWER(true, ON_REV2), "R-QUO-2"},
		{"approved on the agreed revision carrying it", {FOUND_AND_REVISED},
		 APPROVED[0], NULL},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, JOB, sizeof JOB / sizeof JOB[0], "job");
	rt_ok(&t, FINDING, 1, "finding");
	rt_step s = cases[0].cmd;
	rt_refused_saying(&t, &s, "R-QUO-2",
			  "additional work 1 on WO1 has no revised quote");
	rt_close(&t);
}

/* ---- R-WO-4: a technical problem goes to the technical director ---- */

static const rt_step TECH_FINDING[] = {FOUND(true)};
static const rt_step CONSULTED[] = {
	{SVL_T_TECHNICAL_CONSULTATION, "E004", NULL, 70, J({"wo_id": "WO1",
		"finding_no": 1, "question": "fluid or the master cylinder?",
		"advice": "flush the fluid; the master cylinder is fine",
		"new_fault": false})},
};

#define TECH_FOUND CH(JOB), CH(SIGNED), CH(DISPATCHED), CH(TECH_FINDING)

Test(rules, technical_finding_consulted_first_R_WO_4)
{
	const rt_case cases[] = {
		{"approved with no consultation", {TECH_FOUND, CH(REVISED)},
		 APPROVED[0], "R-WO-4"},
		{"declined with no consultation", {TECH_FOUND}, DECLINED[0],
		 "R-WO-4"},
		{"consulted, then approved",
		 {TECH_FOUND, CH(CONSULTED), CH(REVISED)}, APPROVED[0], NULL},
		{"consulted, then declined", {TECH_FOUND, CH(CONSULTED)},
		 DECLINED[0], NULL},
		{"a consultation on a finding never reported",
		 {CH(JOB), CH(SIGNED), CH(DISPATCHED)}, CONSULTED[0], "R-WO-4"},
		{"a consultation on a reported finding", {TECH_FOUND},
		 CONSULTED[0], NULL},
		{"not technical: no consultation needed", {FOUND_AND_REVISED},
		 APPROVED[0], NULL},
	};
	RT_CASES(cases);
}

Test(rules, technical_finding_consulted_before_completion_R_WO_4)
{
	const rt_chunk approved_unconsulted[] = {TECH_FOUND, CH(REVISED),
						 CH(APPROVED)};
	rt t;
	rt_open(&t);
	imported(&t, approved_unconsulted, 6);
	rt_expect(&t, &COMPLETED[0], "R-WO-4", "completed, never consulted");
	rt_expect(&t, &CONSULTED[0], NULL, "consulted late");
	rt_expect(&t, &COMPLETED[0], NULL, "then completed");
	rt_close(&t);
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

#define DELIVERED_AS(old) {SVL_T_VEHICLE_DELIVERED, "E010", NULL, 160, \
	J({"wo_id": "WO1", "old_parts": old, "valuables_returned": true, \
	"next_service_date": "2027-03-30", "next_service_mileage_km": 50000})}
#define DELIVER DELIVERED_AS("returned_to_customer")

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

/* ---- R-WO-2: nothing after the dispatch without it ---- */

Test(rules, no_work_without_a_dispatch_R_WO_2)
{
	const rt_case cases[] = {
		{"completed, never dispatched", {CH(JOB), CH(SIGNED)},
		 COMPLETED[0], "R-WO-2"},
		{"completed after the dispatch", {CH(JOB), CH(SIGNED),
		 CH(DISPATCHED)}, COMPLETED[0], NULL},
	};
	RT_CASES(cases);
	/* a history imported with only its roles checked, never dispatched */
	const rt_chunk undispatched[] = {CH(JOB), CH(SIGNED), CH(COMPLETED),
					 CH(CHECKS_OK), CH(READY), CH(SETTLED),
					 CH(PAID)};
	rt t;
	rt_open(&t);
	imported(&t, undispatched, 7);
	rt_expect(&t, &SELF_OK[0], "R-WO-2", "a check, never dispatched");
	rt_step deliver = DELIVER;
	rt_expect(&t, &deliver, "R-WO-2", "delivered, never dispatched");
	rt_expect(&t, &DISPATCHED[0], NULL, "dispatched late");
	rt_expect(&t, &deliver, NULL, "then delivered");
	rt_close(&t);
}

/* ---- R-QUO-2: the settlement is the quote the customer agreed ---- */

#define SETTLE(labor, warranty, total) {SVL_T_SETTLEMENT_ISSUED, "E010", \
	NULL, 150, J({"wo_id": "WO1", "labor_fen": labor, "parts_fen": 3000, \
	"materials_fen": 500, "warranty_fen": warranty, "total_fen": total, \
	"customer_signed": true})}

static const rt_step QUOTED_ZERO[] = {
	RT_RECEIVED("WO1", 59),
	RT_INSPECTED("WO1", 60),
	{SVL_T_QUOTE_ISSUED, "E010", NULL, 61, J({"wo_id": "WO1", "labor": [],
		"parts": [], "total_fen": 0, "promised_at_ms": 1790769600000,
		"customer_agreed": true})},
};
static const rt_step NOT_QUOTED[] = {RT_RECEIVED("WO1", 59)};

Test(rules, settled_as_quoted_and_agreed_R_QUO_2)
{
	const rt_case cases[] = {
		{"a quote of 0.00 settled at 300.00", {CH(QUOTED_ZERO)},
		 {SVL_T_SETTLEMENT_ISSUED, "E010", NULL, 150, J({"wo_id": "WO1",
		  "labor_fen": 30000, "parts_fen": 0, "materials_fen": 0,
		  "total_fen": 30000, "customer_signed": true})}, "R-QUO-2"},
		{"settled with no quote", {CH(NOT_QUOTED)}, SETTLED[0],
		 "R-QUO-2"},
		{"the quote, less a discount", {WORK}, SETTLED[0], NULL},
		{"the quote, the warranty's share deducted", {WORK},
		 SETTLE(8000, 11500, 0), NULL},
		{"more than the quote", {WORK}, SETTLE(9000, 0, 12500),
		 "R-QUO-2"},
		{"less than the quote", {WORK}, SETTLE(7000, 0, 10500),
		 "R-QUO-2"},
		{"the first quote after approved extras", {FOUND_AND_REVISED,
		 CH(APPROVED)}, SETTLED[0], "R-QUO-2"},
		{"the revision carrying approved extras", {FOUND_AND_REVISED,
		 CH(APPROVED)}, SETTLE(16000, 0, 19500), NULL},
		{"a revision the customer did not agree",
		 {CH(JOB), CH(SIGNED), CH(REVISED_NOT_AGREED)}, SETTLED[0], NULL},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, NOT_QUOTED, 1, "received");
	rt_refused_saying(&t, &SETTLED[0], "R-QUO-2",
			  "job WO1 has no quote the customer agreed");
	rt_ok(&t, QUOTED_ZERO + 1, 2, "quoted 0.00");
	rt_step s = cases[0].cmd;
	rt_refused_saying(&t, &s, "R-QUO-2",
			  "R-QUO-2: the settlement of WO1 charges labour + "
			  "parts + materials of 30000 fen, but the customer "
			  "agreed 0 fen (quote revision 1); a changed item "
			  "needs a revised quote, agreed again");
	rt_close(&t);
}

/* ---- R-QC-2: a warranty job's old parts go to the warranty ledger ---- */

static const rt_step W_RECEIVED[] = {
	{SVL_T_VEHICLE_RECEIVED, "E011", NULL, 59, J({"wo_id": "WO1",
		"customer_id": "C1", "plate": "B12345", "job_kind": "warranty",
		"mileage_km": 21000, "fuel_pct": 40, "covers_laid": 3,
		"first_visit": false, "fault_description": "window will not close",
		"est_amount_fen": 0, "est_ready_at_ms": 1790769600000,
		"customer_confirmed": true})},
};
static const rt_step W_OLD_PART[] = {
	{SVL_T_OLD_PART_RETURNED, "E021", NULL, 90, J({"wo_id": "WO1",
		"part_no": "P-REG", "qty_milli": 1000, "warranty": true})},
};
static const rt_step W_SETTLED[] = {SETTLE(8000, 11500, 0)};

/* received as a warranty job, then JOB's inspection and quote */
#define W_DONE CH(W_RECEIVED), {JOB + 2, 2}, CH(SIGNED), CH(DISPATCHED), \
	CH(COMPLETED), CH(CHECKS_OK), CH(READY), CH(W_SETTLED)

Test(rules, warranty_old_parts_recovered_R_QC_2)
{
	const rt_case cases[] = {
		{"warranty: old part handed to the customer",
		 {W_DONE, CH(W_OLD_PART)}, DELIVERED_AS("returned_to_customer"),
		 "R-QC-2"},
		{"warranty: old part left to the shop", {W_DONE, CH(W_OLD_PART)},
		 DELIVERED_AS("left_for_disposal"), "R-QC-2"},
		{"warranty: recovered, but none on the warranty ledger",
		 {W_DONE}, DELIVERED_AS("warranty_recovered"), "R-QC-2"},
		{"warranty: recovered to the warranty ledger",
		 {W_DONE, CH(W_OLD_PART)}, DELIVERED_AS("warranty_recovered"),
		 NULL},
		{"warranty: old parts on the ledger said to be none",
		 {W_DONE, CH(W_OLD_PART)}, DELIVERED_AS("none"), "R-QC-2"},
		{"warranty: no part replaced", {W_DONE}, DELIVERED_AS("none"),
		 NULL},
		{"a paid repair: bagged for the customer",
		 {WORK, CH(CHECKS_OK), CH(READY), CH(SETTLED), CH(PAID)},
		 DELIVERED_AS("returned_to_customer"), NULL},
	};
	RT_CASES(cases);
}

/* ---- R-QUO-1: a quote that lists its lines adds up ---- */

/* A quote of WO1 with one labour line of 8000 fen, 1.5 units of a part at
 * 3333 fen (4999.5: 5000, half away from zero) and 500 of materials:
 * 13500 in all. */
#define LINES_QUOTE(type, rev, total)                                          \
	{type, "E010", NULL, 61,                                               \
	 "{\"wo_id\": \"WO1\"" rev ", \"labor\": [{\"op_code\": \"BRK\", "     \
	 "\"description\": \"pads\", \"hours_milli\": 1000, \"amount_fen\": "  \
	 "8000}], \"parts\": [{\"part_no\": \"P1\", \"qty_milli\": 1500, "     \
	 "\"unit_price_fen\": 3333, \"in_stock\": true}], \"materials\": "     \
	 "[{\"description\": \"cleaner\", \"amount_fen\": 500}], "             \
	 "\"total_fen\": " #total ", \"promised_at_ms\": 1790769600000, "      \
	 "\"customer_agreed\": true}"}
#define REV2 ", \"revision\": 2, \"reason\": \"pads\""

Test(rules, a_quote_adds_up_its_lines_R_QUO_1)
{
	const rt_case cases[] = {
		{"labour + parts + materials", {{JOB, 3}},
		 LINES_QUOTE(SVL_T_QUOTE_ISSUED, "", 13500), NULL},
		{"a total above its lines", {{JOB, 3}},
		 LINES_QUOTE(SVL_T_QUOTE_ISSUED, "", 13600), "R-QUO-1"},
		{"the part line cut, not rounded", {{JOB, 3}},
		 LINES_QUOTE(SVL_T_QUOTE_ISSUED, "", 13499), "R-QUO-1"},
		{"a revision adds up", {CH(JOB)},
		 LINES_QUOTE(SVL_T_QUOTE_REVISED, REV2, 13500), NULL},
		{"a revision that does not", {CH(JOB)},
		 LINES_QUOTE(SVL_T_QUOTE_REVISED, REV2, 12000), "R-QUO-1"},
		{"a lump sum with no lines", {{JOB, 3}}, QUOTE, NULL},
		{"no job to quote", {{0}},
		 LINES_QUOTE(SVL_T_QUOTE_ISSUED, "", 13500), "R-QUO-1"},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, JOB, 3, "inspected");
	rt_step s = LINES_QUOTE(SVL_T_QUOTE_ISSUED, "", 13600);
	rt_refused_saying(&t, &s, "R-QUO-1",
			  "the quote of WO1 totals 13600 fen, but its lines "
			  "add up to 13500 (labour 8000 + parts 5000 + "
			  "materials 500)");
	rt_close(&t);
}
