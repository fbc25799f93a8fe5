/*
 * test_rules_office.c - the parts office's money: counter sales priced on
 * their pick and paid at the cash desk (R-ISS-1, R-SET-1, and R-ISS-2 at
 * the issue), supplier invoices and finance's payment approvals (R-PUR-1),
 * the stocktake report and finance's book adjustment (R-STK-2).
 */
#include "test_rules_fixture.h"

/* ---- counter sales: pick PK7 sells 2 of P1 over the counter ---- */

static const rt_step STOCK[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
};
static const rt_step SALE[] = {
	{SVL_T_PICK_REQUESTED, "E020", NULL, 10, J({"pick_id": "PK7",
		"purpose": "counter_sale", "lines": [{"part_no": "P1", "qty_milli": 2000}]})},
};
static const rt_step SALE_TWO_LINES[] = {
	{SVL_T_PICK_REQUESTED, "E020", NULL, 10, J({"pick_id": "PK7",
		"purpose": "counter_sale", "lines": [{"part_no": "P1", "qty_milli": 2000},
		{"part_no": "P2", "qty_milli": 1500}]})},
};
static const rt_step SALE_HUGE[] = {
	{SVL_T_PICK_REQUESTED, "E020", NULL, 10, J({"pick_id": "PK7",
		"purpose": "counter_sale", "lines": [{"part_no": "P1",
		"qty_milli": 1000000000000}]})},
};
static const rt_step INTERNAL[] = {
	{SVL_T_PICK_REQUESTED, "E020", NULL, 10, J({"pick_id": "PK7",
		"purpose": "internal", "lines": [{"part_no": "P1", "qty_milli": 2000}]})},
};
static const rt_step PRICED[] = {
	{SVL_T_COUNTER_SALE_PRICED, "E020", NULL, 11, J({"pick_id": "PK7",
		"buyer": "Zhou Min", "lines": [{"part_no": "P1", "qty_milli": 2000,
		"unit_price_fen": 9800}], "total_fen": 19600})},
};
static const rt_step SIGNED[] = {
	{SVL_T_PICK_SIGNED, "E020", NULL, 12, J({"pick_id": "PK7", "signed_as": "outbound_approval"})},
	{SVL_T_PICK_SIGNED, "E020", NULL, 13, J({"pick_id": "PK7", "signed_as": "issue_parts_manager", "counted": true})},
	{SVL_T_PICK_SIGNED, "E012", NULL, 14, J({"pick_id": "PK7", "signed_as": "issue_keeper", "counted": true})},
	{SVL_T_PICK_SIGNED, "E010", NULL, 15, J({"pick_id": "PK7", "signed_as": "issue_picker", "counted": true})},
};
static const rt_step PAID_HALF[] = {
	{SVL_T_COUNTER_SALE_PAID, "E031", NULL, 20, J({"pick_id": "PK7",
		"amount_fen": 9800, "method": "cash"})},
};

#define PRICE(lines, total) {SVL_T_COUNTER_SALE_PRICED, "E020", NULL, 11, \
	"{\"pick_id\": \"PK7\", \"lines\": [" lines "], \"total_fen\": " total "}"}
#define LINE(part, qty, price) "{\"part_no\": \"" part "\", \"qty_milli\": " \
	qty ", \"unit_price_fen\": " price "}"
#define PAY(amount) {SVL_T_COUNTER_SALE_PAID, "E031", NULL, 21, \
	"{\"pick_id\": \"PK7\", \"amount_fen\": " amount ", \"method\": \"cash\"}"}
#define SELL(at) {SVL_T_PARTS_ISSUED, "E012", NULL, at, J({"part_no": "P1", \
	"bin": "W1-A01-1-01", "qty_milli": 2000, "pick_id": "PK7"})}

Test(rules, counter_sale_is_priced_on_its_pick_R_ISS_1)
{
	const rt_case cases[] = {
		{"the pick's lines, priced", {CH(SALE)}, PRICED[0], NULL},
		{"lines in another order",
		 {CH(SALE_TWO_LINES)},
		 PRICE(LINE("P2", "1500", "1000") ", " LINE("P1", "2000", "9800"),
		       "21100"),
		 NULL},
		{"no such pick", {{0}}, PRICED[0], "R-ISS-1"},
		{"not a counter sale", {CH(INTERNAL)}, PRICED[0], "R-ISS-1"},
		{"another quantity than the pick's", {CH(SALE)},
		 PRICE(LINE("P1", "1000", "9800"), "9800"), "R-ISS-1"},
		{"a part the pick does not have", {CH(SALE)},
		 PRICE(LINE("P1", "2000", "9800") ", " LINE("P2", "1000", "100"),
		       "19700"),
		 "R-ISS-1"},
		{"the same line priced twice", {CH(SALE)},
		 PRICE(LINE("P1", "2000", "9800") ", " LINE("P1", "2000", "9800"),
		       "39200"),
		 "R-ISS-1"},
		{"a line of the pick left out", {CH(SALE_TWO_LINES)},
		 PRICED[0], "R-ISS-1"},
	};
	RT_CASES(cases);
}

Test(rules, counter_sale_slip_adds_up_and_is_paid_within_it_R_SET_1)
{
	const rt_case cases[] = {
		{"total is not the lines' value", {CH(SALE)},
		 PRICE(LINE("P1", "2000", "9800"), "19000"), "R-SET-1"},
		{"a line's value rounds half away from zero (1.5 x 3.33)",
		 {CH(SALE_TWO_LINES)},
		 PRICE(LINE("P1", "2000", "9800") ", " LINE("P2", "1500", "333"),
		       "20100"),
		 NULL},
		{"... and 499.5 fen is not 499", {CH(SALE_TWO_LINES)},
		 PRICE(LINE("P1", "2000", "9800") ", " LINE("P2", "1500", "333"),
		       "20099"),
		 "R-SET-1"},
		{"lines worth more than any amount an event carries",
		 {CH(SALE_HUGE)},
		 PRICE(LINE("P1", "1000000000000", "100000000000000"),
		       "100000000000000"),
		 "R-SET-1"},
		{"priced twice", {CH(SALE), CH(PRICED)},
		 PRICE(LINE("P1", "2000", "9000"), "18000"), "R-SET-1"},
		{"paid before it is priced", {CH(SALE)}, PAY("19600"), "R-SET-1"},
		{"paid in full", {CH(SALE), CH(PRICED)}, PAY("19600"), NULL},
		{"the rest of a part payment", {CH(SALE), CH(PRICED), CH(PAID_HALF)},
		 PAY("9800"), NULL},
		{"more than it owes", {CH(SALE), CH(PRICED), CH(PAID_HALF)},
		 PAY("9801"), "R-SET-1"},
		{"no such sale", {{0}}, PAY("100"), "R-SET-1"},
	};
	RT_CASES(cases);
}

Test(rules, counter_sale_goods_leave_after_the_price_R_ISS_2)
{
	static const rt_step LATE_PRICE[] = {
		{SVL_T_COUNTER_SALE_PRICED, "E020", NULL, 30, J({"pick_id": "PK7",
			"lines": [{"part_no": "P1", "qty_milli": 2000,
			"unit_price_fen": 9800}], "total_fen": 19600})},
	};
	const rt_case cases[] = {
		{"priced, signed, issued", {CH(STOCK), CH(SALE), CH(PRICED), CH(SIGNED)},
		 SELL(16), NULL},
		{"signed but not priced", {CH(STOCK), CH(SALE), CH(SIGNED)},
		 SELL(16), "R-ISS-2"},
		{"issued before the price (dated before it)",
		 {CH(STOCK), CH(SALE), CH(SIGNED), CH(LATE_PRICE)}, SELL(20),
		 "R-ISS-2"},
	};
	RT_CASES(cases);
}

/* ---- supplier invoices and payments: PO1 orders 10 of P1 at 39 yuan,
 * acceptance 2 keeps 8 (312 yuan of goods) ---- */

static const rt_step PLANNED[] = {
	{SVL_T_PARTS_PLAN_DRAFTED, "E012", NULL, 1, J({"plan_id": "PL1",
		"kind": "ad_hoc", "lines": [{"part_no": "P1", "qty_milli": 10000}]})},
	{SVL_T_PARTS_PLAN_REVIEWED, "E020", NULL, 2, J({"plan_id": "PL1", "passed": true})},
	{SVL_T_PARTS_PLAN_APPROVED, "E001", NULL, 3, J({"plan_id": "PL1"})},
};
static const rt_step ORDERED[] = {
	{SVL_T_PURCHASE_ORDERED, "E040", NULL, 4, J({"po_id": "PO1",
		"plan_id": "PL1", "supplier_id": "SUP1", "mode": "local_credit",
		"lines": [{"part_no": "P1", "qty_milli": 10000, "unit_price_fen": 3900}]})},
};
static const rt_step ORDERED_CASH[] = {
	{SVL_T_PURCHASE_ORDERED, "E040", NULL, 4, J({"po_id": "PO1",
		"plan_id": "PL1", "supplier_id": "SUP1", "mode": "out_of_town_cash",
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
/* the supplier's new price list: 40 yuan at receipt (R-RCV-2) */
static const rt_step STAGE2_REPRICED[] = {
	{SVL_T_GOODS_ACCEPTED, "E012", NULL, 6, J({"po_id": "PO1", "stage": 2,
		"lines": [{"part_no": "P1", "accepted_qty_milli": 8000,
			   "rejected_qty_milli": 2000, "reject_reason": "damaged",
			   "unit_price_fen": 4000}],
		"co_signer_id": "E020"})},
};
static const rt_step INVOICED_PART[] = {
	{SVL_T_SUPPLIER_INVOICED, "E040", NULL, 7, J({"po_id": "PO1",
		"invoice_no": "INV1", "amount_fen": 20000})},
};
static const rt_step APPROVED_PART[] = {
	{SVL_T_PURCHASE_PAYMENT_APPROVED, "E030", NULL, 8, J({"po_id": "PO1",
		"notice_no": "PN1", "amount_fen": 15000})},
};

#define INVOICE(amount) {SVL_T_SUPPLIER_INVOICED, "E040", NULL, 9, \
	"{\"po_id\": \"PO1\", \"invoice_no\": \"INV2\", \"amount_fen\": " amount "}"}
#define APPROVE(amount) {SVL_T_PURCHASE_PAYMENT_APPROVED, "E030", NULL, 10, \
	"{\"po_id\": \"PO1\", \"notice_no\": \"PN2\", \"amount_fen\": " amount "}"}
#define RECEIVED CH(PLANNED), CH(ORDERED), CH(STAGE1), CH(STAGE2)

Test(rules, invoices_stay_within_the_goods_received_R_PUR_1)
{
	const rt_case cases[] = {
		{"the goods accepted, invoiced", {RECEIVED}, INVOICE("31200"), NULL},
		{"no such order", {{0}}, INVOICE("100"), "R-PUR-1"},
		{"nothing passed acceptance 2 yet",
		 {CH(PLANNED), CH(ORDERED), CH(STAGE1)}, INVOICE("100"), "R-PUR-1"},
		{"more than was accepted (the rejected 2 are not owed)",
		 {RECEIVED}, INVOICE("31201"), "R-PUR-1"},
		{"at the price taken at receipt",
		 {CH(PLANNED), CH(ORDERED), CH(STAGE1), CH(STAGE2_REPRICED)},
		 INVOICE("32000"), NULL},
		{"a second invoice beyond the goods",
		 {RECEIVED, CH(INVOICED_PART)}, INVOICE("11201"), "R-PUR-1"},
		{"a second invoice for the rest",
		 {RECEIVED, CH(INVOICED_PART)}, INVOICE("11200"), NULL},
	};
	RT_CASES(cases);
}

Test(rules, payments_approved_within_the_invoices_R_PUR_1)
{
	const rt_case cases[] = {
		{"what was invoiced", {RECEIVED, CH(INVOICED_PART)},
		 APPROVE("20000"), NULL},
		{"no such order", {{0}}, APPROVE("100"), "R-PUR-1"},
		{"a credit purchase not invoiced", {RECEIVED}, APPROVE("100"),
		 "R-PUR-1"},
		{"more than invoiced", {RECEIVED, CH(INVOICED_PART)},
		 APPROVE("20001"), "R-PUR-1"},
		{"approvals add up", {RECEIVED, CH(INVOICED_PART), CH(APPROVED_PART)},
		 APPROVE("5001"), "R-PUR-1"},
		{"... to the invoices", {RECEIVED, CH(INVOICED_PART), CH(APPROVED_PART)},
		 APPROVE("5000"), NULL},
		{"a cash purchase paid on its plan, before the goods",
		 {CH(PLANNED), CH(ORDERED_CASH)}, APPROVE("39000"), NULL},
		{"a cash purchase: never above the ordered value",
		 {CH(PLANNED), CH(ORDERED_CASH)}, APPROVE("39001"), "R-PUR-1"},
	};
	RT_CASES(cases);
}

/* ---- the stocktake report and the book: STK1 finds one P1 short ---- */

static const rt_step COUNTED[] = {
	{SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
		"kind": "quarterly_full", "finance_present": true,
		"finance_staff_id": "E030"})},
	{SVL_T_STOCKTAKE_LINE_COUNTED, "E012", NULL, 102, J({"stk_id": "STK1",
		"part_no": "P1", "bin": "W1-A01-1-01", "counted_qty_milli": 4000})},
	{SVL_T_ADJUSTMENT_PROPOSED, "E012", NULL, 103, J({"stk_id": "STK1",
		"adj_no": 1, "part_no": "P1", "bin": "W1-A01-1-01",
		"delta_qty_milli": -1000, "cause": "issued without a pick entry",
		"responsible_id": "E021"})},
};
static const rt_step CLOSED[] = {
	{SVL_T_STOCKTAKE_CLOSED, "E020", NULL, 104, J({"stk_id": "STK1",
		"lines_counted": 1})},
};
static const rt_step APPROVED[] = {
	{SVL_T_ADJUSTMENT_APPROVED, "E001", NULL, 105, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "delta_qty_milli": -1000, "stk_id": "STK1",
		"adj_no": 1})},
};
static const rt_step REPORTED[] = {
	{SVL_T_STOCKTAKE_REPORTED, "E001", NULL, 106, J({"stk_id": "STK1",
		"reported_to_id": "E002", "gain_fen": 0, "loss_fen": 3900,
		"explanation": "one P1 short: issued without a pick entry, charged to E021"})},
};

#define REPORT_TO(who) {SVL_T_STOCKTAKE_REPORTED, "E001", NULL, 106, \
	"{\"stk_id\": \"STK1\", \"reported_to_id\": \"" who "\", " \
	"\"gain_fen\": 0, \"loss_fen\": 3900, \"explanation\": \"one short\"}"}
#define ADJUST(net) {SVL_T_BOOK_ADJUSTED, "E030", NULL, 107, \
	"{\"stk_id\": \"STK1\", \"net_fen\": " net ", \"voucher_no\": \"FV1\"}"}
#define COUNT_DONE CH(STOCK), CH(COUNTED), CH(CLOSED)

static const rt_step ADJUST_ONCE[] = {ADJUST("-3900")};

Test(rules, stocktake_reported_to_the_general_manager_R_STK_2)
{
	const rt_case cases[] = {
		{"closed, reported to the general manager",
		 {COUNT_DONE, CH(APPROVED)}, REPORT_TO("E002"), NULL},
		{"the count is still open", {CH(STOCK), CH(COUNTED)},
		 REPORT_TO("E002"), "R-STK-2"},
		{"a stocktake never opened", {{0}}, REPORT_TO("E002"), "R-STK-2"},
		{"to someone who is not the general manager",
		 {COUNT_DONE, CH(APPROVED)}, REPORT_TO("E001"), "R-STK-2"},
		{"reported twice", {COUNT_DONE, CH(APPROVED), CH(REPORTED)},
		 REPORT_TO("E002"), "R-STK-2"},
	};
	RT_CASES(cases);
}

Test(rules, book_adjusted_after_the_report_and_the_approvals_R_STK_2)
{
	const rt_case cases[] = {
		{"reported and approved: gains less losses",
		 {COUNT_DONE, CH(APPROVED), CH(REPORTED)}, ADJUST("-3900"), NULL},
		{"not reported", {COUNT_DONE, CH(APPROVED)}, ADJUST("-3900"),
		 "R-STK-2"},
		{"a write-up not approved", {COUNT_DONE, CH(REPORTED)},
		 ADJUST("-3900"), "R-STK-2"},
		{"not what was reported", {COUNT_DONE, CH(APPROVED), CH(REPORTED)},
		 ADJUST("3900"), "R-STK-2"},
		{"adjusted twice",
		 {COUNT_DONE, CH(APPROVED), CH(REPORTED), CH(ADJUST_ONCE)},
		 ADJUST("-3900"), "R-STK-2"},
	};
	RT_CASES(cases);
}

/* More write-ups than the decider reads in one fold (32): the one still
 * waiting is named, wherever it stands. */
Test(rules, book_waits_for_every_write_up_R_STK_2)
{
	enum { N = 40, WAITING = 37 };
	static char json[2 * N + 8][400];
	rt_step st[2 * N + 8];
	size_t n = 0;
	rt t;
	rt_open(&t);
	st[n++] = (rt_step){SVL_T_BIN_ASSIGNED, "E012", NULL, 1,
			    J({"part_no": "P1", "bin": "W1-A01-1-01"})};
	st[n++] = (rt_step){SVL_T_PARTS_SHELVED, "E012", NULL, 2,
			    J({"part_no": "P1", "bin": "W1-A01-1-01",
			       "qty_milli": 100000, "unit_cost_fen": 3900})};
	st[n++] = COUNTED[0];
	st[n++] = (rt_step){SVL_T_STOCKTAKE_LINE_COUNTED, "E012", NULL, 102,
			    J({"stk_id": "STK1", "part_no": "P1",
			       "bin": "W1-A01-1-01", "counted_qty_milli": 99000})};
	for (int k = 1; k <= N; k++) {
		snprintf(json[n], sizeof json[n],
			 "{\"stk_id\": \"STK1\", \"adj_no\": %d, \"part_no\": "
			 "\"P1\", \"bin\": \"W1-A01-1-01\", "
			 "\"delta_qty_milli\": -1000, \"cause\": \"miscount\", "
			 "\"responsible_id\": \"E021\"}",
			 k);
		st[n] = (rt_step){SVL_T_ADJUSTMENT_PROPOSED, "E012", NULL, 103,
				  json[n]};
		n++;
	}
	st[n++] = CLOSED[0];
	for (int k = 1; k <= N; k++) {
		if (k == WAITING)
			continue;
		snprintf(json[n], sizeof json[n],
			 "{\"part_no\": \"P1\", \"bin\": \"W1-A01-1-01\", "
			 "\"delta_qty_milli\": -1000, \"stk_id\": \"STK1\", "
			 "\"adj_no\": %d}",
			 k);
		st[n] = (rt_step){SVL_T_ADJUSTMENT_APPROVED, "E001", NULL, 105,
				  json[n]};
		n++;
	}
	st[n++] = (rt_step){SVL_T_STOCKTAKE_REPORTED, "E001", NULL, 106,
			    J({"stk_id": "STK1", "reported_to_id": "E002",
			       "gain_fen": 0, "loss_fen": 156000,
			       "explanation": "forty miscounts"})};
	for (size_t i = 0; i < n; i++)
		rt_ok(&t, &st[i], 1, "the story");
	const rt_step adjust = {SVL_T_BOOK_ADJUSTED, "E030", NULL, 107,
				J({"stk_id": "STK1", "net_fen": -156000})};
	rt_refused_saying(&t, &adjust, "R-STK-2", "adjustment 37 ");
	const rt_step last = {SVL_T_ADJUSTMENT_APPROVED, "E001", NULL, 106,
			      J({"part_no": "P1", "bin": "W1-A01-1-01",
				 "delta_qty_milli": -1000, "stk_id": "STK1",
				 "adj_no": 37})};
	rt_ok(&t, &last, 1, "the last approval");
	rt_expect(&t, &adjust, NULL, "every write-up approved");
	rt_close(&t);
}
