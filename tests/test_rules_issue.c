/*
 * test_rules_issue.c - parts leaving the warehouse: R-ISS-1..5, stock on
 * hand (R-BIN-2, R-BIN-3, R-BKG-6 at issue), R-OLD-1; and the batch
 * semantics of svl_decide_append (in order, all or nothing, retries).
 */
#include "test_rules_fixture.h"

/* ---- the story: job WO1 (repair) needs 2 of part P1 on pick PK1 ---- */

static const rt_step JOB[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO1",
		"customer_id": "C1", "owner_name": "Li Wei", "phone": "13800138000",
		"target": "customer_request", "job_kind": "repair",
		"items": "brake squeal", "wanted_at_ms": 1790755200000})},
};
static const rt_step WARRANTY_JOB[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO2",
		"customer_id": "C2", "owner_name": "Wang Fang", "phone": "13900139000",
		"target": "warranty_expiring", "job_kind": "warranty",
		"items": "water pump leak", "wanted_at_ms": 1790755200000})},
};
static const rt_step MAINT_JOB[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO3",
		"customer_id": "C3", "owner_name": "Chen Jie", "phone": "13700137000",
		"target": "maintenance_due", "job_kind": "maintenance",
		"items": "oil service", "wanted_at_ms": 1790755200000})},
};
static const rt_step STOCK[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
};
static const rt_step LOW_STOCK[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 1500, "unit_cost_fen": 3900})},
};
static const rt_step PICK[] = {
	{SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK1", "wo_id": "WO1",
		"purpose": "repair", "lines": [{"part_no": "P1", "qty_milli": 2000}]})},
};
static const rt_step REQUISITION[] = {
	{SVL_T_PICK_SIGNED, "E021", NULL, 11, J({"pick_id": "PK1", "signed_as": "requisition_technician"})},
	{SVL_T_PICK_SIGNED, "E010", NULL, 12, J({"pick_id": "PK1", "signed_as": "requisition_advisor"})},
};
static const rt_step APPROVAL[] = {
	{SVL_T_PICK_SIGNED, "E020", NULL, 13, J({"pick_id": "PK1", "signed_as": "outbound_approval"})},
};
static const rt_step THREE[] = {
	{SVL_T_PICK_SIGNED, "E020", NULL, 14, J({"pick_id": "PK1", "signed_as": "issue_parts_manager", "counted": true})},
	{SVL_T_PICK_SIGNED, "E012", NULL, 15, J({"pick_id": "PK1", "signed_as": "issue_keeper", "counted": true})},
	{SVL_T_PICK_SIGNED, "E021", NULL, 16, J({"pick_id": "PK1", "signed_as": "issue_picker", "counted": true})},
};
static const rt_step TWO[] = {
	{SVL_T_PICK_SIGNED, "E020", NULL, 14, J({"pick_id": "PK1", "signed_as": "issue_parts_manager", "counted": true})},
	{SVL_T_PICK_SIGNED, "E012", NULL, 15, J({"pick_id": "PK1", "signed_as": "issue_keeper", "counted": true})},
};
static const rt_step OLD_BACK[] = {
	{SVL_T_OLD_PART_RETURNED, "E021", NULL, 20, J({"wo_id": "WO1",
		"part_no": "P1", "qty_milli": 2000, "warranty": false})},
};
static const rt_step OLD_ONE[] = {
	{SVL_T_OLD_PART_RETURNED, "E021", NULL, 20, J({"wo_id": "WO1",
		"part_no": "P1", "qty_milli": 1000, "warranty": false})},
};
static const rt_step ISSUED_ONE[] = {
	{SVL_T_PARTS_ISSUED, "E012", NULL, 30, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})},
};

#define ISSUE_1 {SVL_T_PARTS_ISSUED, "E012", NULL, 40, J({"part_no": "P1", \
	"bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})}
#define ISSUE_2 {SVL_T_PARTS_ISSUED, "E012", NULL, 40, J({"part_no": "P1", \
	"bin": "W1-A01-1-01", "qty_milli": 2000, "pick_id": "PK1", "wo_id": "WO1"})}
#define PAPER CH(JOB), CH(STOCK), CH(PICK), CH(REQUISITION), CH(APPROVAL), CH(THREE)

Test(rules, issue_against_approved_request_R_ISS_1)
{
	const rt_case cases[] = {
		{"full paperwork, old part back", {PAPER, CH(OLD_BACK)}, ISSUE_2, NULL},
		{"not approved by the parts manager",
		 {CH(JOB), CH(STOCK), CH(PICK), CH(REQUISITION), CH(OLD_BACK)},
		 ISSUE_1, "R-ISS-1"},
		{"part not on the pick", {PAPER, CH(OLD_BACK)},
		 {SVL_T_PARTS_ISSUED, "E012", NULL, 40, J({"part_no": "P2",
		  "bin": "W1-A01-1-02", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})},
		 "R-ISS-1"},
		{"to another job", {PAPER, CH(OLD_BACK)},
		 {SVL_T_PARTS_ISSUED, "E012", NULL, 40, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO9"})},
		 "R-ISS-1"},
		{"without naming the job", {PAPER, CH(OLD_BACK)},
		 {SVL_T_PARTS_ISSUED, "E012", NULL, 40, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1"})},
		 "R-ISS-1"},
		{"more than requested", {PAPER, CH(OLD_BACK), CH(ISSUED_ONE)},
		 ISSUE_2, "R-ISS-1"},
		{"repair request without a work order", {CH(JOB)},
		 {SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK1",
		  "purpose": "repair", "lines": [{"part_no": "P1", "qty_milli": 1000}]})},
		 "R-ISS-1"},
		{"request for an unknown work order", {{0}},
		 {SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK1",
		  "wo_id": "WO404", "purpose": "repair",
		  "lines": [{"part_no": "P1", "qty_milli": 1000}]})},
		 "R-ISS-1"},
		{"counter sale needs no work order", {{0}},
		 {SVL_T_PICK_REQUESTED, "E020", NULL, 10, J({"pick_id": "PK7",
		  "purpose": "counter_sale", "lines": [{"part_no": "P1", "qty_milli": 1000}]})},
		 NULL},
		{"same pick twice", {CH(JOB), CH(PICK)}, PICK[0], "R-ISS-1"},
		{"signing a pick that does not exist", {{0}}, APPROVAL[0], "R-ISS-1"},
		{"counting out before the approval",
		 {CH(JOB), CH(STOCK), CH(PICK), CH(REQUISITION)}, THREE[1], "R-ISS-1"},
		{"a keeper cannot approve",
		 {CH(JOB), CH(PICK), CH(REQUISITION)},
		 {SVL_T_PICK_SIGNED, "E012", NULL, 13, J({"pick_id": "PK1",
		  "signed_as": "outbound_approval"})}, "R-ISS-1"},
	};
	RT_CASES(cases);
}

Test(rules, refuses_iou_R_ISS_2)
{
	const rt_case cases[] = {
		{"no pick list at all: an IOU", {CH(JOB), CH(STOCK), CH(OLD_BACK)},
		 ISSUE_1, "R-ISS-2"},
		{"goods before paperwork (issue dated before the signatures)",
		 {PAPER, CH(OLD_BACK)},
		 {SVL_T_PARTS_ISSUED, "E012", NULL, 5, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})},
		 "R-ISS-2"},
		{"issue right after the last signature", {PAPER, CH(OLD_BACK)},
		 {SVL_T_PARTS_ISSUED, "E012", NULL, 16, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})},
		 NULL},
	};
	RT_CASES(cases);
}

static const rt_step E050_AS_PM[] = {
	{SVL_T_PICK_SIGNED, "E050", "parts_manager", 14, J({"pick_id": "PK1",
		"signed_as": "issue_parts_manager", "counted": true})},
};

Test(rules, three_different_signers_R_ISS_3)
{
	const rt_case cases[] = {
		{"the picker signs twice", {PAPER}, THREE[2], "R-ISS-3"},
		{"the same person twice (parts manager, then keeper)",
		 {CH(JOB), CH(PICK), CH(REQUISITION), CH(APPROVAL), CH(E050_AS_PM)},
		 {SVL_T_PICK_SIGNED, "E050", "warehouse_keeper", 15, J({"pick_id": "PK1",
		  "signed_as": "issue_keeper", "counted": true})}, "R-ISS-3"},
		{"the same capacity twice", {PAPER},
		 {SVL_T_PICK_SIGNED, "E050", "warehouse_keeper", 17, J({"pick_id": "PK1",
		  "signed_as": "issue_keeper", "counted": true})}, "R-ISS-3"},
		{"signing without counting",
		 {CH(JOB), CH(PICK), CH(REQUISITION), CH(APPROVAL)},
		 {SVL_T_PICK_SIGNED, "E012", NULL, 15, J({"pick_id": "PK1",
		  "signed_as": "issue_keeper"})}, "R-ISS-3"},
		{"a claims specialist is not the picker",
		 {CH(JOB), CH(PICK), CH(REQUISITION), CH(APPROVAL)},
		 {SVL_T_PICK_SIGNED, "E011", NULL, 15, J({"pick_id": "PK1",
		  "signed_as": "issue_picker", "counted": true})}, "R-ISS-3"},
		{"issue with two signatures of three",
		 {CH(JOB), CH(STOCK), CH(PICK), CH(REQUISITION), CH(APPROVAL),
		  CH(TWO), CH(OLD_BACK)}, ISSUE_1, "R-ISS-3"},
		{"the picker completes the three",
		 {CH(JOB), CH(PICK), CH(REQUISITION), CH(APPROVAL), CH(TWO)},
		 THREE[2], NULL},
	};
	RT_CASES(cases);
}

Test(rules, pick_signature_message_R_ISS_3)
{
	rt t;
	svl_refusal why;
	rt_open(&t);
	rt_ok(&t, JOB, 1, "job");
	rt_ok(&t, PICK, 1, "pick");
	rt_ok(&t, REQUISITION, 2, "req");
	rt_ok(&t, APPROVAL, 1, "approval");
	rt_ok(&t, E050_AS_PM, 1, "pm");
	rt_step keeper = {SVL_T_PICK_SIGNED, "E050", "warehouse_keeper", 15,
			  J({"pick_id": "PK1", "signed_as": "issue_keeper",
			     "counted": true})};
	cr_assert_eq(rt_run(&t, &keeper, 1, &why, "keeper"), SVL_EREFUSED);
	cr_assert_str_eq(why.msg, "R-ISS-3: pick PK1 is already signed by E050 "
			 "as parts_manager; three different people must sign");
	rt_close(&t);
}

static const rt_step W_PICK[] = {
	{SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK2", "wo_id": "WO2",
		"purpose": "warranty", "lines": [{"part_no": "P1", "qty_milli": 1000}]})},
};
static const rt_step W_CLAIMS[] = {
	{SVL_T_PICK_SIGNED, "E011", NULL, 11, J({"pick_id": "PK2", "signed_as": "requisition_claims"})},
};

Test(rules, requisition_signers_R_ISS_4)
{
	const rt_case cases[] = {
		{"approval before the requisition is signed", {CH(JOB), CH(PICK)},
		 APPROVAL[0], "R-ISS-4"},
		{"approval after technician and advisor",
		 {CH(JOB), CH(PICK), CH(REQUISITION)}, APPROVAL[0], NULL},
		{"warranty: technician before the claims specialist",
		 {CH(WARRANTY_JOB), CH(W_PICK)},
		 {SVL_T_PICK_SIGNED, "E021", NULL, 12, J({"pick_id": "PK2",
		  "signed_as": "requisition_technician"})}, "R-ISS-4"},
		{"warranty: claims specialist first, then technician",
		 {CH(WARRANTY_JOB), CH(W_PICK), CH(W_CLAIMS)},
		 {SVL_T_PICK_SIGNED, "E021", NULL, 12, J({"pick_id": "PK2",
		  "signed_as": "requisition_technician"})}, NULL},
		{"a warranty job's parts requested as repair", {CH(WARRANTY_JOB)},
		 {SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK2",
		  "wo_id": "WO2", "purpose": "repair",
		  "lines": [{"part_no": "P1", "qty_milli": 1000}]})}, "R-ISS-4"},
		{"a technician cannot sign as the advisor", {CH(JOB), CH(PICK)},
		 {SVL_T_PICK_SIGNED, "E021", NULL, 12, J({"pick_id": "PK1",
		  "signed_as": "requisition_advisor"})}, "R-ISS-4"},
	};
	RT_CASES(cases);
}

Test(rules, old_part_back_first_R_ISS_5)
{
	static const rt_step maint_pick[] = {
		{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
		{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
			"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
		{SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK3", "wo_id": "WO3",
			"purpose": "repair", "lines": [{"part_no": "P1", "qty_milli": 1000}]})},
		{SVL_T_PICK_SIGNED, "E021", NULL, 11, J({"pick_id": "PK3", "signed_as": "requisition_technician"})},
		{SVL_T_PICK_SIGNED, "E010", NULL, 12, J({"pick_id": "PK3", "signed_as": "requisition_advisor"})},
		{SVL_T_PICK_SIGNED, "E020", NULL, 13, J({"pick_id": "PK3", "signed_as": "outbound_approval"})},
		{SVL_T_PICK_SIGNED, "E020", NULL, 14, J({"pick_id": "PK3", "signed_as": "issue_parts_manager", "counted": true})},
		{SVL_T_PICK_SIGNED, "E012", NULL, 15, J({"pick_id": "PK3", "signed_as": "issue_keeper", "counted": true})},
		{SVL_T_PICK_SIGNED, "E021", NULL, 16, J({"pick_id": "PK3", "signed_as": "issue_picker", "counted": true})},
	};
	const rt_case cases[] = {
		{"no old part handed back", {PAPER}, ISSUE_1, "R-ISS-5"},
		{"old part back, new part out", {PAPER, CH(OLD_ONE)}, ISSUE_1, NULL},
		{"one old part back, two new asked", {PAPER, CH(OLD_ONE)}, ISSUE_2,
		 "R-ISS-5"},
		{"the second new part needs the second old one",
		 {PAPER, CH(OLD_ONE), CH(ISSUED_ONE)}, ISSUE_1, "R-ISS-5"},
		{"a maintenance job exchanges nothing", {CH(MAINT_JOB), CH(maint_pick)},
		 {SVL_T_PARTS_ISSUED, "E012", NULL, 40, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK3", "wo_id": "WO3"})},
		 NULL},
		{"old part for a job that does not exist", {{0}},
		 {SVL_T_OLD_PART_RETURNED, "E021", NULL, 20, J({"wo_id": "WO404",
		  "part_no": "P1", "qty_milli": 1000, "warranty": false})}, "R-ISS-5"},
	};
	RT_CASES(cases);
}

Test(rules, warranty_old_parts_ledger_R_OLD_1)
{
	const rt_case cases[] = {
		{"warranty job, not on the warranty ledger", {CH(WARRANTY_JOB)},
		 {SVL_T_OLD_PART_RETURNED, "E011", NULL, 20, J({"wo_id": "WO2",
		  "part_no": "P1", "qty_milli": 1000, "warranty": false})}, "R-OLD-1"},
		{"warranty job, on the warranty ledger", {CH(WARRANTY_JOB)},
		 {SVL_T_OLD_PART_RETURNED, "E011", NULL, 20, J({"wo_id": "WO2",
		  "part_no": "P1", "qty_milli": 1000, "warranty": true})}, NULL},
	};
	RT_CASES(cases);
}

/* ---- no issue beyond stock on hand ---- */

static const rt_step QUARANTINE_MOST[] = {
	{SVL_T_PARTS_QUARANTINED, "E012", NULL, 3, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 4500, "reason": "rusty batch"})},
};
static const rt_step RESERVED_OTHER[] = {
	{SVL_T_PARTS_RESERVED, "E012", NULL, 3, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 4500, "wo_id": "WO7"})},
};
static const rt_step RESERVED_OWN[] = {
	{SVL_T_PARTS_RESERVED, "E012", NULL, 3, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 4500, "wo_id": "WO1"})},
};

Test(rules, no_issue_beyond_stock_on_hand_R_BIN_2)
{
	const rt_case cases[] = {
		{"2 asked, 1.5 on hand",
		 {CH(JOB), CH(LOW_STOCK), CH(PICK), CH(REQUISITION), CH(APPROVAL),
		  CH(THREE), CH(OLD_BACK)}, ISSUE_2, "R-BIN-2"},
		{"1 asked, 1.5 on hand",
		 {CH(JOB), CH(LOW_STOCK), CH(PICK), CH(REQUISITION), CH(APPROVAL),
		  CH(THREE), CH(OLD_BACK)}, ISSUE_1, NULL},
		{"quarantined parts are not issued", {PAPER, CH(OLD_BACK),
		 CH(QUARANTINE_MOST)}, ISSUE_1, "R-BIN-3"},
		{"reserved for another job", {PAPER, CH(OLD_BACK), CH(RESERVED_OTHER)},
		 ISSUE_1, "R-BKG-6"},
		{"reserved for this job", {PAPER, CH(OLD_BACK), CH(RESERVED_OWN)},
		 ISSUE_1, NULL},
		{"from another bin than the part's", {PAPER, CH(OLD_BACK)},
		 {SVL_T_PARTS_ISSUED, "E012", NULL, 40, J({"part_no": "P1",
		  "bin": "W1-A01-9-09", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})},
		 "R-BIN-1"},
	};
	RT_CASES(cases);
}

/* ---- batches: decided in order, all or nothing; retries ---- */

Test(rules, batch_is_decided_in_order_and_all_or_nothing)
{
	rt t;
	svl_refusal why;
	rt_step flow[32];
	size_t n = 0;
	const rt_chunk chunks[] = {CH(JOB), CH(STOCK), CH(PICK), CH(REQUISITION),
				   CH(APPROVAL), CH(THREE), CH(OLD_BACK)};
	for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++)
		for (size_t i = 0; i < chunks[k].n; i++)
			flow[n++] = chunks[k].s[i];
	flow[n++] = (rt_step)ISSUE_2;
	rt_open(&t);
	uint64_t head = rt_head(&t);
	/* the same flow with its issue first fails as a whole */
	rt_step bad[32];
	bad[0] = flow[n - 1];
	memcpy(bad + 1, flow, (n - 1) * sizeof flow[0]);
	cr_assert_eq(rt_run(&t, bad, n, &why, "issue first"), SVL_EREFUSED);
	cr_assert_str_eq(why.rule, "R-ISS-2", "%s", why.msg);
	cr_assert_eq(rt_head(&t), head, "nothing of the batch remains");
	cr_assert_eq(rt_run(&t, flow, n, &why, "flow"), SVL_OK, "%s", why.msg);
	cr_assert_eq(rt_head(&t), head + n);
	rt_close(&t);
}

typedef struct retry {
	svl_event_in ev;
	svl_position pos;
	svl_refusal why;
} retry;

static int retry_fn(svl_txn *txn, void *payload)
{
	retry *r = payload;
	return svl_decide_append(txn, &r->ev, 1, NULL, &r->pos, &r->why, NULL);
}

Test(rules, retry_of_a_committed_event_is_not_decided_again)
{
	rt t;
	uint8_t buf[RT_PAYLOAD_MAX];
	char stream[SVL_STREAM_MAX + 1];
	rt_open(&t);
	rt_ok(&t, JOB, 1, "job");
	rt_ok(&t, PICK, 1, "pick");
	retry r;
	rt_build(&REQUISITION[0], &r.ev, buf, stream, "sig");
	svl_test_id(r.ev.id, 42, 1);
	cr_assert_eq(svl_log_write(t.log, retry_fn, &r), SVL_OK, "%s", r.why.msg);
	uint64_t seq = r.pos.seq;
	cr_assert_eq(svl_log_write(t.log, retry_fn, &r), SVL_OK,
		     "a retry is not 'already signed': %s", r.why.msg);
	cr_assert(r.pos.duplicate);
	cr_assert_eq(r.pos.seq, seq);
	memset(r.ev.id, 0, sizeof r.ev.id); /* a new event: decided, refused */
	cr_assert_eq(svl_log_write(t.log, retry_fn, &r), SVL_EREFUSED);
	cr_assert_str_eq(r.why.rule, "R-ISS-4", "%s", r.why.msg);
	rt_close(&t);
}
