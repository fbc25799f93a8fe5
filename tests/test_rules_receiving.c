/*
 * test_rules_receiving.c - from a parts plan to the shelf, and the bins:
 * R-PLN-1, R-PUR-1, R-RCV-1 (with its waiver), R-RCV-2, R-RCV-3, R-BIN-1,
 * R-BIN-3 and reservations (R-BKG-6).
 */
#include "test_rules_fixture.h"

static const rt_step PLAN[] = {
	{SVL_T_PARTS_PLAN_DRAFTED, "E012", NULL, 1, J({"plan_id": "PL1",
		"kind": "ad_hoc", "lines": [{"part_no": "P1", "qty_milli": 10000}]})},
};
static const rt_step REVIEWED[] = {
	{SVL_T_PARTS_PLAN_REVIEWED, "E020", NULL, 2, J({"plan_id": "PL1", "passed": true})},
};
static const rt_step REVIEW_FAILED[] = {
	{SVL_T_PARTS_PLAN_REVIEWED, "E020", NULL, 2, J({"plan_id": "PL1", "passed": false})},
};
static const rt_step APPROVED[] = {
	{SVL_T_PARTS_PLAN_APPROVED, "E001", NULL, 3, J({"plan_id": "PL1"})},
};
static const rt_step ORDERED[] = {
	{SVL_T_PURCHASE_ORDERED, "E040", NULL, 4, J({"po_id": "PO1",
		"plan_id": "PL1", "supplier_id": "SUP1", "mode": "local_credit",
		"lines": [{"part_no": "P1", "qty_milli": 10000, "unit_price_fen": 3900}]})},
};
static const rt_step STAGE1[] = {
	{SVL_T_GOODS_ACCEPTED, "E040", NULL, 5, J({"po_id": "PO1", "stage": 1,
		"lines": [{"part_no": "P1", "accepted_qty_milli": 10000,
			   "rejected_qty_milli": 0}]})},
};
static const rt_step STAGE2[] = {
	{SVL_T_GOODS_ACCEPTED, "E012", NULL, 6, J({"po_id": "PO1", "stage": 2,
		"lines": [{"part_no": "P1", "accepted_qty_milli": 8000,
			   "rejected_qty_milli": 2000, "reject_reason": "damaged"}],
		"co_signer_id": "E020"})},
};
static const rt_step BIN[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 7, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
};
static const rt_step SHELVED_5[] = {
	{SVL_T_PARTS_SHELVED, "E012", NULL, 8, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900,
		"po_id": "PO1"})},
};

#define BOUGHT CH(PLAN), CH(REVIEWED), CH(APPROVED), CH(ORDERED)
#define ACCEPTED BOUGHT, CH(STAGE1), CH(STAGE2), CH(BIN)
#define SHELVE(qty) {SVL_T_PARTS_SHELVED, "E012", NULL, 9, J({"part_no": "P1", \
	"bin": "W1-A01-1-01", "qty_milli": qty, "unit_cost_fen": 3900, "po_id": "PO1"})}

Test(rules, plan_reviewed_then_approved_R_PLN_1)
{
	const rt_case cases[] = {
		{"approved before the review", {CH(PLAN)}, APPROVED[0], "R-PLN-1"},
		{"approved after a failed review", {CH(PLAN), CH(REVIEW_FAILED)},
		 APPROVED[0], "R-PLN-1"},
		{"approved after the review", {CH(PLAN), CH(REVIEWED)}, APPROVED[0],
		 NULL},
		{"reviewing a plan never drafted", {{0}}, REVIEWED[0], "R-PLN-1"},
		{"buying for a plan not approved", {CH(PLAN), CH(REVIEWED)},
		 ORDERED[0], "R-PLN-1"},
		{"buying for the approved plan", {CH(PLAN), CH(REVIEWED),
		 CH(APPROVED)}, ORDERED[0], NULL},
	};
	RT_CASES(cases);
}

Test(rules, acceptances_in_stages_R_RCV_1)
{
	const rt_case cases[] = {
		{"stage 2 before stage 1", {BOUGHT}, STAGE2[0], "R-RCV-1"},
		{"stage 1 by the purchaser", {BOUGHT}, STAGE1[0], NULL},
		{"stage 1 by the keeper", {BOUGHT},
		 {SVL_T_GOODS_ACCEPTED, "E012", NULL, 5, J({"po_id": "PO1", "stage": 1,
		  "lines": [{"part_no": "P1", "accepted_qty_milli": 10000,
		  "rejected_qty_milli": 0}]})}, "R-RCV-1"},
		{"goods for an order that does not exist", {{0}}, STAGE1[0],
		 "R-RCV-1"},
		{"a part not ordered", {BOUGHT},
		 {SVL_T_GOODS_ACCEPTED, "E040", NULL, 5, J({"po_id": "PO1", "stage": 1,
		  "lines": [{"part_no": "P7", "accepted_qty_milli": 1000,
		  "rejected_qty_milli": 0}]})}, "R-RCV-1"},
		{"stage 2 after stage 1", {BOUGHT, CH(STAGE1)}, STAGE2[0], NULL},
	};
	RT_CASES(cases);
}

Test(rules, stock_enters_at_the_accepted_quantity_R_RCV_2)
{
	const rt_case cases[] = {
		{"shelving the accepted 8", {ACCEPTED}, SHELVE(8000), NULL},
		{"shelving the 10 ordered", {ACCEPTED}, SHELVE(10000), "R-RCV-2"},
		{"5 shelved, 4 more", {ACCEPTED, CH(SHELVED_5)}, SHELVE(4000),
		 "R-RCV-2"},
		{"5 shelved, the other 3", {ACCEPTED, CH(SHELVED_5)}, SHELVE(3000),
		 NULL},
		{"shelving before the count and check",
		 {BOUGHT, CH(STAGE1), CH(BIN)}, SHELVE(1000), "R-RCV-2"},
		{"opening stock without an order", {CH(BIN)},
		 {SVL_T_PARTS_SHELVED, "E012", NULL, 9, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "unit_cost_fen": 3900})},
		 NULL},
	};
	RT_CASES(cases);
}

Test(rules, rejected_goods_never_enter_R_RCV_3)
{
	const rt_case cases[] = {
		{"stage 2 accepts more than stage 1 let through",
		 {BOUGHT, CH(STAGE1), CH(STAGE2)},
		 {SVL_T_GOODS_ACCEPTED, "E012", NULL, 7, J({"po_id": "PO1", "stage": 3,
		  "lines": [{"part_no": "P1", "accepted_qty_milli": 9000,
		  "rejected_qty_milli": 0}]})}, "R-RCV-3"},
		{"a rejection without its reason", {BOUGHT, CH(STAGE1)},
		 {SVL_T_GOODS_ACCEPTED, "E012", NULL, 6, J({"po_id": "PO1", "stage": 2,
		  "lines": [{"part_no": "P1", "accepted_qty_milli": 8000,
		  "rejected_qty_milli": 2000}], "co_signer_id": "E020"})}, "R-RCV-3"},
		{"stage 1 accepts more than ordered", {BOUGHT},
		 {SVL_T_GOODS_ACCEPTED, "E040", NULL, 5, J({"po_id": "PO1", "stage": 1,
		  "lines": [{"part_no": "P1", "accepted_qty_milli": 12000,
		  "rejected_qty_milli": 0}]})}, "R-RCV-3"},
		{"rejected goods cannot be shelved", {ACCEPTED, CH(SHELVED_5)},
		 SHELVE(5000), "R-RCV-2"},
		{"a discrepancy slip", {BOUGHT, CH(STAGE1), CH(STAGE2)},
		 {SVL_T_DISCREPANCY_RECORDED, "E012", NULL, 7, J({"po_id": "PO1",
		  "slip_no": "DS1", "claim_against": "carrier", "lines": [{"part_no":
		  "P1", "qty_milli": 2000, "kind": "damaged", "amount_fen": 7800}]})},
		 NULL},
		{"settling a claim never recorded", {BOUGHT},
		 {SVL_T_CLAIM_SETTLED, "E040", NULL, 8, J({"po_id": "PO1",
		  "slip_no": "DS1", "outcome": "accepted", "recovered_fen": 7800})},
		 "R-RCV-3"},
	};
	RT_CASES(cases);
}

/* ---- R-PUR-1: which purchases need the approved plan ---- */

#define ORDER(mode, plan) {SVL_T_PURCHASE_ORDERED, "E040", NULL, 4, \
	"{\"po_id\": \"PO1\", " plan "\"supplier_id\": \"SUP1\", " \
	"\"mode\": \"" mode "\", \"lines\": [{\"part_no\": \"P1\", " \
	"\"qty_milli\": 10000, \"unit_price_fen\": 3900}]}"}
#define PLANNED "\"plan_id\": \"PL1\", "

Test(rules, cash_and_out_of_town_purchases_need_the_approved_plan_R_PUR_1)
{
	const rt_case cases[] = {
		{"local cash without a plan", {{0}}, ORDER("local_cash", ""),
		 "R-PUR-1"},
		{"out of town, cash, without a plan", {{0}},
		 ORDER("out_of_town_cash", ""), "R-PUR-1"},
		{"out of town, credit, without a plan", {{0}},
		 ORDER("out_of_town_credit", ""), "R-PUR-1"},
		{"local credit (the supplier delivers) without a plan", {{0}},
		 ORDER("local_credit", ""), NULL},
		{"self pick-up without a plan", {{0}}, ORDER("self_pickup", ""),
		 NULL},
		{"local cash against the approved plan",
		 {CH(PLAN), CH(REVIEWED), CH(APPROVED)},
		 ORDER("local_cash", PLANNED), NULL},
		{"out of town against a plan not approved",
		 {CH(PLAN), CH(REVIEWED)}, ORDER("out_of_town_credit", PLANNED),
		 "R-PLN-1"},
		{"an order id used again", {BOUGHT}, ORDER("self_pickup", ""),
		 "R-PUR-1"},
	};
	RT_CASES(cases);
}

/* ---- R-RCV-1: the keeper and the parts manager count together ---- */

#define STAGE2_BY(actor, role, co) {SVL_T_GOODS_ACCEPTED, actor, role, 6, \
	"{\"po_id\": \"PO1\", \"stage\": 2, \"lines\": [{\"part_no\": " \
	"\"P1\", \"accepted_qty_milli\": 10000, \"rejected_qty_milli\": 0}]" \
	co "}"}
#define CO(id) ", \"co_signer_id\": \"" id "\""

Test(rules, keeper_and_parts_manager_count_and_sign_together_R_RCV_1)
{
	const rt_case cases[] = {
		{"the keeper signs alone", {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E012", NULL, ""), "R-RCV-1"},
		{"the parts manager signs alone", {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E020", NULL, ""), "R-RCV-1"},
		{"the keeper with the parts manager", {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E012", NULL, CO("E020")), NULL},
		{"the parts manager with the keeper", {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E020", NULL, CO("E012")), NULL},
		{"one person in both roles co-signs for themselves",
		 {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E050", "warehouse_keeper", CO("E050")), "R-RCV-1"},
		{"the co-signer is another keeper", {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E050", "warehouse_keeper", CO("E012")), "R-RCV-1"},
		{"the co-signer is the purchaser", {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E012", NULL, CO("E040")), "R-RCV-1"},
		{"the co-signer holds both roles", {BOUGHT, CH(STAGE1)},
		 STAGE2_BY("E012", NULL, CO("E050")), NULL},
	};
	RT_CASES(cases);
}

/* A shop that waives R-RCV-1's second signature lets the keeper sign
 * acceptance 2 alone; the default rule set does not. A co-signer named is
 * still checked. */
Test(rules, one_signer_when_the_rule_set_waives_it_R_RCV_1)
{
	const char *json = "{\"id\": \"one-signer\", \"waive\": [\"R-RCV-1\"]}";
	const rt_chunk story[] = {BOUGHT, CH(STAGE1)};
	const rt_step alone = STAGE2_BY("E012", NULL, "");
	const rt_step purchaser = STAGE2_BY("E012", NULL, CO("E040"));
	char err[200];
	svl_rules r;
	cr_assert_eq(svl_rules_parse(json, strlen(json), &r, err, sizeof err),
		     SVL_OK, "%s", err);
	for (int waived = 0; waived < 2; waived++) {
		rt t;
		rt_open_ledger(&t, waived ? &r : NULL);
		for (size_t k = 0; k < sizeof story / sizeof story[0]; k++)
			rt_ok(&t, story[k].s, story[k].n, "story");
		if (waived)
			rt_expect(&t, &purchaser, "R-RCV-1",
				  "waived: a named co-signer is still checked");
		rt_expect(&t, &alone, waived ? NULL : "R-RCV-1",
			  waived ? "waived: the keeper alone"
				 : "the default rule set: the keeper alone");
		rt_close(&t);
	}
}

/* ---- R-RCV-3: each count accounts for what arrived ---- */

/* Acceptance `stage` of P1 on PO1: 1 by the purchaser, 2 by the keeper
 * with the parts manager, 3 by the keeper. */
#define COUNTED_BY(stage, actor, co, at, acc, rej, extra) \
	{SVL_T_GOODS_ACCEPTED, actor, NULL, at, \
	"{\"po_id\": \"PO1\", \"stage\": " #stage ", \"lines\": " \
	"[{\"part_no\": \"P1\", \"accepted_qty_milli\": " #acc ", " \
	"\"rejected_qty_milli\": " #rej extra "}]" co "}"}
#define COUNTED1(...) COUNTED_BY(1, "E040", "", __VA_ARGS__)
#define COUNTED2(...) COUNTED_BY(2, "E012", CO("E020"), __VA_ARGS__)
#define COUNTED3(...) COUNTED_BY(3, "E012", "", __VA_ARGS__)
#define WHY(r) ", \"reject_reason\": \"" r "\""
#define MISSING_SLIP(qty) {SVL_T_DISCREPANCY_RECORDED, "E012", NULL, 6, \
	"{\"po_id\": \"PO1\", \"slip_no\": \"DS" #qty "\", " \
	"\"claim_against\": \"supplier\", \"lines\": [{\"part_no\": " \
	"\"P1\", \"qty_milli\": " #qty ", \"kind\": \"missing\", " \
	"\"amount_fen\": 1}]}"}

static const rt_step SLIP_MISSING_5000[] = {MISSING_SLIP(5000)};
static const rt_step SLIP_MISSING_3000[] = {MISSING_SLIP(3000)};
static const rt_step SLIP_MISSING_2000[] = {MISSING_SLIP(2000)};
static const rt_step STAGE1_2_MISSING[] = {COUNTED1(5, 8000, 2000,
						  WHY("missing"))};
static const rt_step STAGE2_ALL[] = {COUNTED2(6, 10000, 0, "")};

Test(rules, every_count_accounts_for_what_arrived_R_RCV_3)
{
	const rt_case cases[] = {
		{"half the goods dropped at the count", {BOUGHT, CH(STAGE1)},
		 COUNTED2(6, 5000, 0, ""), "R-RCV-3"},
		{"the other half rejected as missing", {BOUGHT, CH(STAGE1)},
		 COUNTED2(6, 5000, 5000, WHY("missing")), NULL},
		{"the other half on a discrepancy slip as missing",
		 {BOUGHT, CH(STAGE1), CH(SLIP_MISSING_5000)},
		 COUNTED2(7, 5000, 0, ""), NULL},
		{"a slip for fewer than are short",
		 {BOUGHT, CH(STAGE1), CH(SLIP_MISSING_3000)},
		 COUNTED2(7, 5000, 0, ""), "R-RCV-3"},
		{"the slip of acceptance 1's shortage explains nothing more",
		 {BOUGHT, CH(STAGE1_2_MISSING), CH(SLIP_MISSING_2000)},
		 COUNTED2(7, 6000, 0, ""), "R-RCV-3"},
		{"acceptance 1's shortage, then a full count",
		 {BOUGHT, CH(STAGE1_2_MISSING), CH(SLIP_MISSING_2000)},
		 COUNTED2(7, 8000, 0, ""), NULL},
		{"accounting for more than arrived", {BOUGHT, CH(STAGE1)},
		 COUNTED2(6, 8000, 3000, WHY("damaged")), "R-RCV-3"},
		{"acceptance 3 drops some", {BOUGHT, CH(STAGE1), CH(STAGE2_ALL)},
		 COUNTED3(7, 9000, 0, ""), "R-RCV-3"},
		{"acceptance 3 takes all", {BOUGHT, CH(STAGE1), CH(STAGE2_ALL)},
		 COUNTED3(7, 10000, 0, ""), NULL},
		{"acceptance 1 of part of the order (more to come)", {BOUGHT},
		 COUNTED1(5, 6000, 0, ""), NULL},
	};
	RT_CASES(cases);
}

static const rt_step SLIP[] = {
	{SVL_T_DISCREPANCY_RECORDED, "E012", NULL, 7, J({"po_id": "PO1",
		"slip_no": "DS1", "claim_against": "carrier", "lines": [{"part_no":
		"P1", "qty_milli": 2000, "kind": "damaged", "amount_fen": 7800}]})},
};

Test(rules, claims_settled_once_for_what_was_claimed_R_RCV_3)
{
	const rt_case cases[] = {
		{"recovering more than claimed", {BOUGHT, CH(SLIP)},
		 {SVL_T_CLAIM_SETTLED, "E040", NULL, 8, J({"po_id": "PO1",
		  "slip_no": "DS1", "outcome": "accepted", "recovered_fen": 9000})},
		 "R-RCV-3"},
		{"recovering what was claimed", {BOUGHT, CH(SLIP)},
		 {SVL_T_CLAIM_SETTLED, "E040", NULL, 8, J({"po_id": "PO1",
		  "slip_no": "DS1", "outcome": "accepted", "recovered_fen": 7800})},
		 NULL},
		{"the same slip twice", {BOUGHT, CH(SLIP)}, SLIP[0], "R-RCV-3"},
	};
	RT_CASES(cases);
}

/* ---- bins ---- */

static const rt_step STOCKED[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
};
static const rt_step ALL_OUT[] = {
	{SVL_T_PARTS_QUARANTINED, "E012", NULL, 3, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "reason": "recall"})},
	{SVL_T_QUARANTINE_RELEASED, "E012", NULL, 4, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000,
		"outcome": "returned_to_supplier"})},
};

Test(rules, one_bin_per_part_R_BIN_1)
{
	const rt_case cases[] = {
		{"a bin already holding another part", {CH(STOCKED)},
		 {SVL_T_BIN_ASSIGNED, "E012", NULL, 5, J({"part_no": "P2",
		  "bin": "W1-A01-1-01"})}, "R-BIN-1"},
		{"a free bin", {CH(STOCKED)},
		 {SVL_T_BIN_ASSIGNED, "E012", NULL, 5, J({"part_no": "P2",
		  "bin": "W1-A01-1-02"})}, NULL},
		{"moving a part whose bin still holds stock", {CH(STOCKED)},
		 {SVL_T_BIN_ASSIGNED, "E012", NULL, 5, J({"part_no": "P1",
		  "bin": "W1-A02-1-01"})}, "R-BIN-1"},
		{"moving a part whose bin is empty", {CH(STOCKED), CH(ALL_OUT)},
		 {SVL_T_BIN_ASSIGNED, "E012", NULL, 5, J({"part_no": "P1",
		  "bin": "W1-A02-1-01"})}, NULL},
		{"shelving a part that has no bin", {{0}},
		 {SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
		 "R-BIN-1"},
		{"shelving into another bin", {CH(STOCKED)},
		 {SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		  "bin": "W1-A09-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
		 "R-BIN-1"},
	};
	RT_CASES(cases);
}

static const rt_step QUARANTINED_2[] = {
	{SVL_T_PARTS_QUARANTINED, "E012", NULL, 3, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 2000, "reason": "rusty"})},
};

#define RELEASE(qty, outcome) {SVL_T_QUARANTINE_RELEASED, "E012", NULL, 4, \
	J({"part_no": "P1", "bin": "W1-A01-1-01", "qty_milli": qty, "outcome": outcome})}

Test(rules, quarantine_is_a_separate_ledger_R_BIN_3)
{
	const rt_case cases[] = {
		{"quarantining more than is on the shelf", {CH(STOCKED)},
		 {SVL_T_PARTS_QUARANTINED, "E012", NULL, 3, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 6000, "reason": "rusty"})},
		 "R-BIN-2"},
		{"parts back from a job go to quarantine", {CH(STOCKED)},
		 {SVL_T_PARTS_QUARANTINED, "E012", NULL, 3, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 6000, "reason": "cracked",
		  "wo_id": "WO1"})}, NULL},
		{"releasing more than is quarantined",
		 {CH(STOCKED), CH(QUARANTINED_2)}, RELEASE(3000, "restocked"),
		 "R-BIN-3"},
		{"restocking what was quarantined",
		 {CH(STOCKED), CH(QUARANTINED_2)}, RELEASE(2000, "restocked"), NULL},
		{"to a write-off that nobody applied for",
		 {CH(STOCKED), CH(QUARANTINED_2)}, RELEASE(2000, "write_off"),
		 "R-BIN-3"},
	};
	RT_CASES(cases);
}

#define XFER_OUT(qty, bin) {SVL_T_STOCK_TRANSFERRED_OUT, "E012", NULL, 3, \
	J({"transfer_id": "TR1", "part_no": "P1", "bin": bin, "qty_milli": qty, \
	   "to_store": "S018"})}
#define XFER_IN(part, bin) {SVL_T_STOCK_TRANSFERRED_IN, "E012", NULL, 3, \
	J({"transfer_id": "TR7", "part_no": part, "bin": bin, "qty_milli": 2000, \
	   "unit_cost_fen": 4100, "from_store": "S017"})}

/* Transfers between the group's stores (docs/group.md): out only from
 * the shelf of the part's bin, in only to the part's bin (or to its first
 * one, which the transfer assigns as a receipt does). */
Test(rules, transfers_between_stores_move_only_the_shelf_R_BIN_2)
{
	const rt_case cases[] = {
		{"sending what is on the shelf", {CH(STOCKED)},
		 XFER_OUT(5000, "W1-A01-1-01"), NULL},
		{"sending more than is on the shelf", {CH(STOCKED)},
		 XFER_OUT(6000, "W1-A01-1-01"), "R-BIN-2"},
		{"sending what quarantine holds", {CH(STOCKED), CH(QUARANTINED_2)},
		 XFER_OUT(4000, "W1-A01-1-01"), "R-BIN-2"},
		{"sending from another bin", {CH(STOCKED)},
		 XFER_OUT(1000, "W1-A09-1-01"), "R-BIN-1"},
		{"receiving into the part's bin", {CH(STOCKED)},
		 XFER_IN("P1", "W1-A01-1-01"), NULL},
		{"receiving into another bin", {CH(STOCKED)},
		 XFER_IN("P1", "W1-A09-1-01"), "R-BIN-1"},
	};
	RT_CASES(cases);
}

#define RESERVE(qty, wo) {SVL_T_PARTS_RESERVED, "E012", NULL, 5, \
	J({"part_no": "P1", "bin": "W1-A01-1-01", "qty_milli": qty, "wo_id": wo})}

static const rt_step RESERVED_3[] = {RESERVE(3000, "WO1")};

Test(rules, reservations_on_the_dedicated_shelf_R_BKG_6)
{
	const rt_case cases[] = {
		{"reserving what is on the shelf", {CH(STOCKED)}, RESERVE(5000, "WO1"),
		 NULL},
		{"reserving more than is free", {CH(STOCKED), CH(RESERVED_3)},
		 RESERVE(3000, "WO2"), "R-BKG-6"},
		{"releasing more than was reserved", {CH(STOCKED), CH(RESERVED_3)},
		 {SVL_T_RESERVATION_RELEASED, "E012", NULL, 6, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 4000, "wo_id": "WO1",
		  "reason": "booking_cancelled"})}, "R-BKG-6"},
		{"releasing another job's reservation", {CH(STOCKED), CH(RESERVED_3)},
		 {SVL_T_RESERVATION_RELEASED, "E012", NULL, 6, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "wo_id": "WO2",
		  "reason": "booking_cancelled"})}, "R-BKG-6"},
		{"returning to stock more than the job got", {CH(STOCKED)},
		 {SVL_T_PARTS_RETURNED_TO_STOCK, "E012", NULL, 6, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000, "wo_id": "WO1"})},
		 "R-BIN-2"},
	};
	RT_CASES(cases);
}

/* The signers added by R-RCV-1 (goods_accepted v3) and R-WOF-5
 * (writeoff_disposed v2) are optional fields: payloads of the versions
 * before read as they did, without them, and may not carry them. */
static void reads_at(uint32_t type, uint32_t old, const char *without,
		     const char *with, uint32_t field)
{
	uint8_t buf[RT_PAYLOAD_MAX];
	size_t len;
	svl_event_error err;
	svl_event_view v;
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &len, type,
					      without, strlen(without), &err),
		     SVL_OK, "%s", err.msg);
	cr_assert_eq(svl_event_validate(type, old, buf, len, &err), SVL_OK,
		     "%s", err.msg);
	cr_assert_eq(svl_event_decode(&v, type, old, buf, len), SVL_OK);
	cr_assert_eq(v.v[field].present, 0);
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &len, type,
					      with, strlen(with), &err),
		     SVL_OK, "%s", err.msg);
	cr_assert_eq(svl_event_validate(type, old, buf, len, &err), SVL_EINVAL);
	cr_assert(strstr(err.msg, "added in version"), "%s", err.msg);
}

Test(rules, older_acceptances_and_disposals_read_without_the_new_signers)
{
	reads_at(SVL_T_GOODS_ACCEPTED, 2,
		 J({"po_id": "PO1", "stage": 2, "lines": [{"part_no": "P1",
		    "accepted_qty_milli": 1000, "rejected_qty_milli": 0}]}),
		 J({"po_id": "PO1", "stage": 2, "lines": [{"part_no": "P1",
		    "accepted_qty_milli": 1000, "rejected_qty_milli": 0}],
		    "co_signer_id": "E020"}),
		 SVL_F_GOODS_ACCEPTED_CO_SIGNER_ID);
	reads_at(SVL_T_WRITEOFF_DISPOSED, 1,
		 J({"wof_id": "WOF1", "method": "scrapped", "lines": [{"part_no":
		    "P9", "bin": "W2-C01-3-02", "qty_milli": 1000}]}),
		 J({"wof_id": "WOF1", "method": "scrapped", "lines": [{"part_no":
		    "P9", "bin": "W2-C01-3-02", "qty_milli": 1000}],
		    "approver_id": "E020"}),
		 SVL_F_WRITEOFF_DISPOSED_APPROVER_ID);
}
