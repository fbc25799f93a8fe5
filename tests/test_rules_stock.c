/*
 * test_rules_stock.c - stocktakes and their adjustments: R-STK-1 and
 * R-STK-2 (counts are not falsified: the write-up equals count minus the
 * book frozen at the opening; nobody approves their own adjustment).
 */
#include "test_rules_fixture.h"

static const rt_step STOCKED[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
};
static const rt_step OPENED[] = {
	{SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
		"kind": "quarterly_full", "finance_present": true,
		"finance_staff_id": "E030"})},
};
/* goods arrive during the count: the frozen book does not see them */
static const rt_step DURING[] = {
	{SVL_T_PARTS_SHELVED, "E012", NULL, 101, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 1000, "unit_cost_fen": 3900})},
};
static const rt_step COUNTED[] = {
	{SVL_T_STOCKTAKE_LINE_COUNTED, "E012", NULL, 102, J({"stk_id": "STK1",
		"part_no": "P1", "bin": "W1-A01-1-01", "counted_qty_milli": 4000})},
};
static const rt_step CLOSED[] = {
	{SVL_T_STOCKTAKE_CLOSED, "E020", NULL, 103, J({"stk_id": "STK1",
		"lines_counted": 1})},
};
static const rt_step PROPOSED[] = {
	{SVL_T_ADJUSTMENT_PROPOSED, "E012", NULL, 104, J({"stk_id": "STK1",
		"adj_no": 1, "part_no": "P1", "bin": "W1-A01-1-01",
		"delta_qty_milli": -1000, "cause": "issued without a pick entry",
		"responsible_id": "E021"})},
};
static const rt_step PROPOSED_E001_RESPONSIBLE[] = {
	{SVL_T_ADJUSTMENT_PROPOSED, "E012", NULL, 104, J({"stk_id": "STK1",
		"adj_no": 1, "part_no": "P1", "bin": "W1-A01-1-01",
		"delta_qty_milli": -1000, "cause": "unrecorded sample",
		"responsible_id": "E001"})},
};
static const rt_step PROPOSED_BY_E006[] = {
	{SVL_T_ADJUSTMENT_PROPOSED, "E006", "warehouse_keeper", 104, J({"stk_id":
		"STK1", "adj_no": 1, "part_no": "P1", "bin": "W1-A01-1-01",
		"delta_qty_milli": -1000, "cause": "breakage",
		"responsible_id": "E021"})},
};
static const rt_step APPROVED[] = {
	{SVL_T_ADJUSTMENT_APPROVED, "E001", NULL, 105, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "delta_qty_milli": -1000, "stk_id": "STK1",
		"adj_no": 1})},
};

#define PROPOSE(delta) {SVL_T_ADJUSTMENT_PROPOSED, "E012", NULL, 104, \
	J({"stk_id": "STK1", "adj_no": 1, "part_no": "P1", "bin": "W1-A01-1-01", \
	   "delta_qty_milli": delta, "cause": "miscount", "responsible_id": "E021"})}
#define COUNT CH(STOCKED), CH(OPENED), CH(DURING), CH(COUNTED)

Test(rules, counts_inside_an_open_stocktake_R_STK_1)
{
	const rt_case cases[] = {
		{"quarterly count without finance", {{0}},
		 {SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
		  "kind": "quarterly_full", "finance_present": false})}, "R-STK-1"},
		{"monthly count without finance", {{0}},
		 {SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
		  "kind": "monthly_full", "finance_present": false})}, NULL},
		{"counting in a stocktake never opened", {CH(STOCKED)}, COUNTED[0],
		 "R-STK-1"},
		{"counting after the close", {CH(STOCKED), CH(OPENED), CH(CLOSED)},
		 COUNTED[0], "R-STK-1"},
		{"opening the same stocktake twice", {CH(OPENED)}, OPENED[0],
		 "R-STK-1"},
		{"a write-up for a stocktake never opened", {CH(STOCKED)},
		 PROPOSED[0], "R-STK-1"},
	};
	RT_CASES(cases);
}

Test(rules, counts_are_not_falsified_R_STK_2)
{
	const rt_case cases[] = {
		{"counted 4, book 5 at the opening: -1", {COUNT}, PROPOSE(-1000),
		 NULL},
		{"-2 (against today's book of 6)", {COUNT}, PROPOSE(-2000),
		 "R-STK-2"},
		{"a gain where there is a loss", {COUNT}, PROPOSE(1000), "R-STK-2"},
		{"a part that was not counted", {CH(STOCKED), CH(OPENED)},
		 PROPOSE(-1000), "R-STK-2"},
		{"the same adjustment number twice", {COUNT, CH(PROPOSED)},
		 PROPOSE(-1000), "R-STK-2"},
	};
	RT_CASES(cases);
}

Test(rules, nobody_approves_their_own_adjustment_R_STK_2)
{
	const rt_case cases[] = {
		{"the service manager approves", {COUNT, CH(PROPOSED)}, APPROVED[0],
		 NULL},
		{"the approver proposed it (keeper and manager in one person)",
		 {COUNT, CH(PROPOSED_BY_E006)},
		 {SVL_T_ADJUSTMENT_APPROVED, "E006", "service_manager", 105,
		  J({"part_no": "P1", "bin": "W1-A01-1-01", "delta_qty_milli": -1000,
		     "stk_id": "STK1", "adj_no": 1})}, "R-STK-2"},
		{"another manager approves E006's proposal",
		 {COUNT, CH(PROPOSED_BY_E006)}, APPROVED[0], NULL},
		{"the approver is named responsible",
		 {COUNT, CH(PROPOSED_E001_RESPONSIBLE)}, APPROVED[0], "R-STK-2"},
		{"approved with another quantity", {COUNT, CH(PROPOSED)},
		 {SVL_T_ADJUSTMENT_APPROVED, "E001", NULL, 105, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "delta_qty_milli": -500, "stk_id": "STK1",
		  "adj_no": 1})}, "R-STK-2"},
		{"approved twice", {COUNT, CH(PROPOSED), CH(APPROVED)}, APPROVED[0],
		 "R-STK-2"},
		{"approving nothing written up", {COUNT}, APPROVED[0], "R-STK-2"},
		{"a parts manager cannot approve", {COUNT, CH(PROPOSED)},
		 {SVL_T_ADJUSTMENT_APPROVED, "E020", NULL, 105, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "delta_qty_milli": -1000, "stk_id": "STK1",
		  "adj_no": 1})}, "R-ROLE-1"},
	};
	RT_CASES(cases);
}

/* The approved loss moved the book: 6 - 1 = 5 on the shelf now. */
Test(rules, approved_adjustment_moves_the_book_R_STK_2)
{
	const rt_case cases[] = {
		{"5 can be quarantined", {COUNT, CH(PROPOSED), CH(APPROVED)},
		 {SVL_T_PARTS_QUARANTINED, "E012", NULL, 110, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 5000, "reason": "recall"})}, NULL},
		{"6 cannot", {COUNT, CH(PROPOSED), CH(APPROVED)},
		 {SVL_T_PARTS_QUARANTINED, "E012", NULL, 110, J({"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 6000, "reason": "recall"})},
		 "R-BIN-2"},
	};
	RT_CASES(cases);
}
