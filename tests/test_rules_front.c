/*
 * test_rules_front.c - the front office's preparations (decide_front.c):
 * bay reservations and the end-of-day booking preparation (R-BKG-6), the
 * warranty-warning hand-off before dispatch (R-BKG-7), telling a customer
 * early that the promise slips (R-BKG-8), the advisor's purchase
 * requisition (R-QUO-3).
 */
#include "test_rules_fixture.h"

/* Oct 2 10:00 at the shop, the slot of WO1's booking; Oct 2 12:00 */
#define SLOT "1790906400000"
#define SLOT_END "1790913600000"
#define OCT2_0900 "1790902800000"
#define OCT2_1100 "1790910000000"
#define OCT2_1300 "1790917200000"

#define REQUEST(wo, kind, warning)                                             \
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0,                             \
	 "{\"wo_id\": \"" wo "\", \"customer_id\": \"C1\", \"owner_name\": "   \
	 "\"Li Wei\", \"phone\": \"13800138000\", \"target\": "                \
	 "\"customer_request\", \"job_kind\": \"" kind "\", \"items\": "       \
	 "\"noise\", \"wanted_at_ms\": " SLOT                                  \
	 ", \"warranty_warning\": " warning "}"}
#define CONFIRM(wo)                                                            \
	{SVL_T_BOOKING_CONFIRMED, "E013", NULL, 5,                             \
	 "{\"wo_id\": \"" wo "\", \"slot_at_ms\": " SLOT                       \
	 ", \"est_labor_min\": 60, \"est_amount_fen\": 30000}"}
#define RESERVE(bay, wo, from, until)                                          \
	{SVL_T_BAY_RESERVED, "E003", NULL, 600,                                \
	 "{\"bay\": \"" bay "\", \"wo_id\": \"" wo "\", \"from_at_ms\": " from \
	 ", \"until_at_ms\": " until "}"}
#define RELEASE(bay, wo)                                                       \
	{SVL_T_BAY_RELEASED, "E003", NULL, 700,                                \
	 "{\"bay\": \"" bay "\", \"wo_id\": \"" wo "\"}"}
#define PREPARE(bay, shop, parts, claims)                                      \
	{SVL_T_BOOKING_PREPARED, "E010", NULL, 610,                            \
	 "{\"wo_id\": \"WO1\", \"bay\": \"" bay "\", \"workshop_confirmed\": " \
	 shop ", \"parts_confirmed\": " parts claims "}"}

static const rt_step BOOKED[] = {REQUEST("WO1", "repair", "false"),
				 CONFIRM("WO1")};
static const rt_step BOOKED2[] = {REQUEST("WO2", "repair", "false"),
				  CONFIRM("WO2")};
static const rt_step REQUESTED[] = {REQUEST("WO1", "repair", "false")};
static const rt_step W_BOOKED[] = {REQUEST("WO1", "warranty", "false"),
				   CONFIRM("WO1")};
static const rt_step CANCELLED[] = {
	{SVL_T_BOOKING_CANCELLED, "E013", NULL, 500, J({"wo_id": "WO1",
		"reason": "customer_request"})},
};
static const rt_step NO_SHOW[] = {
	{SVL_T_BOOKING_NO_SHOW, "E013", NULL, 500, J({"wo_id": "WO1",
		"slot_at_ms": 1790906400000})},
};
static const rt_step RESERVED[] = {RESERVE("B3", "WO1", SLOT, SLOT_END)};
static const rt_step RESERVED2[] = {RESERVE("B3", "WO2", SLOT, SLOT_END)};
static const rt_step RELEASED[] = {RELEASE("B3", "WO1")};
static const rt_step MOVED[] = {
	{SVL_T_BOOKING_RESCHEDULED, "E013", NULL, 620, J({"wo_id": "WO1",
		"slot_at_ms": 1790992800000, "reason": "customer_request"})},
};

Test(front, bay_reserved_for_a_live_booking_one_job_at_a_time_R_BKG_6)
{
	const rt_case cases[] = {
		{"a confirmed booking", {CH(BOOKED)},
		 RESERVE("B3", "WO1", SLOT, SLOT_END), NULL},
		{"ends before it starts", {CH(BOOKED)},
		 RESERVE("B3", "WO1", SLOT_END, SLOT), "R-BKG-6"},
		{"ends when it starts", {CH(BOOKED)},
		 RESERVE("B3", "WO1", SLOT, SLOT), "R-BKG-6"},
		{"no booking", {{0}}, RESERVE("B3", "WO1", SLOT, SLOT_END),
		 "R-BKG-6"},
		{"a booking not confirmed", {CH(REQUESTED)},
		 RESERVE("B3", "WO1", SLOT, SLOT_END), "R-BKG-6"},
		{"a cancelled booking", {CH(BOOKED), CH(CANCELLED)},
		 RESERVE("B3", "WO1", SLOT, SLOT_END), "R-BKG-6"},
		{"a no-show", {CH(BOOKED), CH(NO_SHOW)},
		 RESERVE("B3", "WO1", SLOT, SLOT_END), "R-BKG-6"},
		{"overlapping another job's reservation",
		 {CH(BOOKED), CH(BOOKED2), CH(RESERVED2)},
		 RESERVE("B3", "WO1", OCT2_1100, OCT2_1300), "R-BKG-6"},
		{"starting when the other ends",
		 {CH(BOOKED), CH(BOOKED2), CH(RESERVED2)},
		 RESERVE("B3", "WO1", SLOT_END, OCT2_1300), NULL},
		{"ending when the other starts",
		 {CH(BOOKED), CH(BOOKED2), CH(RESERVED2)},
		 RESERVE("B3", "WO1", OCT2_0900, SLOT), NULL},
		{"another bay at the same time",
		 {CH(BOOKED), CH(BOOKED2), CH(RESERVED2)},
		 RESERVE("B4", "WO1", SLOT, SLOT_END), NULL},
		{"the other released", {CH(BOOKED), CH(BOOKED2), CH(RESERVED2),
		 {(const rt_step[]){RELEASE("B3", "WO2")}, 1}},
		 RESERVE("B3", "WO1", SLOT, SLOT_END), NULL},
		{"the other job cancelled: its bay is taken until released",
		 {CH(BOOKED), CH(BOOKED2), CH(RESERVED2),
		  {(const rt_step[]){{SVL_T_BOOKING_CANCELLED, "E013", NULL, 650,
		   J({"wo_id": "WO2", "reason": "customer_request"})}}, 1}},
		 RESERVE("B3", "WO1", SLOT, SLOT_END), "R-BKG-6"},
		{"twice the same job", {CH(BOOKED), CH(RESERVED)},
		 RESERVE("B3", "WO1", OCT2_1100, OCT2_1300), "R-BKG-6"},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, BOOKED, 2, "booked");
	rt_ok(&t, BOOKED2, 2, "booked 2");
	rt_ok(&t, RESERVED2, 1, "reserved");
	rt_step s = cases[7].cmd;
	rt_refused_saying(&t, &s, "R-BKG-6",
			  "bay B3 is already reserved for WO2 from "
			  "2026-10-02 10:00 to 2026-10-02 12:00");
	rt_close(&t);
}

Test(front, bay_released_only_when_reserved_R_BKG_6)
{
	const rt_case cases[] = {
		{"a live reservation", {CH(BOOKED), CH(RESERVED)},
		 RELEASE("B3", "WO1"), NULL},
		{"nothing reserved", {CH(BOOKED)}, RELEASE("B3", "WO1"),
		 "R-BKG-6"},
		{"another bay", {CH(BOOKED), CH(RESERVED)},
		 RELEASE("B4", "WO1"), "R-BKG-6"},
		{"another job's reservation",
		 {CH(BOOKED), CH(BOOKED2), CH(RESERVED2)}, RELEASE("B3", "WO1"),
		 "R-BKG-6"},
		{"released twice", {CH(BOOKED), CH(RESERVED), CH(RELEASED)},
		 RELEASE("B3", "WO1"), "R-BKG-6"},
		{"after the booking was cancelled",
		 {CH(BOOKED), CH(RESERVED), CH(CANCELLED)}, RELEASE("B3", "WO1"),
		 NULL},
	};
	RT_CASES(cases);
}

Test(front, booking_prepared_with_its_bay_before_the_slot_R_BKG_6)
{
	const rt_case cases[] = {
		{"confirmed with workshop and parts, bay reserved",
		 {CH(BOOKED), CH(RESERVED)}, PREPARE("B3", "true", "true", ""),
		 NULL},
		{"no bay reserved", {CH(BOOKED)},
		 PREPARE("B3", "true", "true", ""), "R-BKG-6"},
		{"another bay than the reserved one", {CH(BOOKED), CH(RESERVED)},
		 PREPARE("B4", "true", "true", ""), "R-BKG-6"},
		{"the reservation released", {CH(BOOKED), CH(RESERVED),
		 CH(RELEASED)}, PREPARE("B3", "true", "true", ""), "R-BKG-6"},
		{"re-timed: the reservation no longer covers the slot",
		 {CH(BOOKED), CH(RESERVED), CH(MOVED)},
		 PREPARE("B3", "true", "true", ""), "R-BKG-6"},
		{"not confirmed with the workshop", {CH(BOOKED), CH(RESERVED)},
		 PREPARE("B3", "false", "true", ""), "R-BKG-6"},
		{"not confirmed with parts", {CH(BOOKED), CH(RESERVED)},
		 PREPARE("B3", "true", "false", ""), "R-BKG-6"},
		{"a cancelled booking", {CH(BOOKED), CH(RESERVED), CH(CANCELLED)},
		 PREPARE("B3", "true", "true", ""), "R-BKG-6"},
		{"a booking never confirmed", {CH(REQUESTED)},
		 PREPARE("B3", "true", "true", ""), "R-BKG-6"},
		{"after the slot", {CH(BOOKED), CH(RESERVED)},
		 {SVL_T_BOOKING_PREPARED, "E010", NULL, 3000, J({"wo_id": "WO1",
		  "bay": "B3", "workshop_confirmed": true,
		  "parts_confirmed": true})}, "R-BKG-6"},
		{"a warranty job, claims not confirmed",
		 {CH(W_BOOKED), CH(RESERVED)}, PREPARE("B3", "true", "true", ""),
		 "R-BKG-6"},
		{"a warranty job, claims confirmed", {CH(W_BOOKED), CH(RESERVED)},
		 PREPARE("B3", "true", "true", ", \"claims_confirmed\": true"),
		 NULL},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, BOOKED, 2, "booked");
	rt_ok(&t, RESERVED, 1, "reserved");
	rt_step s = cases[5].cmd;
	rt_refused_saying(&t, &s, "R-BKG-6",
			  "not confirmed with the workshop; a booking the "
			  "shop cannot keep is re-timed");
	rt_close(&t);
}

/* ---- R-BKG-7 ---- */

#define FLAGGED_RECEPTION(wo)                                                  \
	{SVL_T_VEHICLE_RECEIVED, "E010", NULL, 59,                             \
	 "{\"wo_id\": \"" wo "\", \"customer_id\": \"C1\", \"plate\": "        \
	 "\"B12345\", \"job_kind\": \"repair\", \"mileage_km\": 45000, "       \
	 "\"fuel_pct\": 40, \"covers_laid\": 3, \"first_visit\": false, "      \
	 "\"fault_description\": \"gearbox\", \"est_amount_fen\": 10000, "     \
	 "\"est_ready_at_ms\": 1790769600000, \"customer_confirmed\": true, "  \
	 "\"warranty_warning\": true}"}

static const rt_step QUOTED_SIGNED[] = {
	RT_INSPECTED("WO1", 60),
	{SVL_T_QUOTE_ISSUED, "E010", NULL, 61, J({"wo_id": "WO1", "labor": [],
		"parts": [], "total_fen": 11500, "promised_at_ms": 1790769600000,
		"customer_agreed": true})},
	{SVL_T_WORK_ORDER_CONFIRMED, "E010", NULL, 62, J({"wo_id": "WO1",
		"quote_revision": 1, "customer_signed": true, "total_fen": 11500,
		"promised_at_ms": 1790769600000})},
};
static const rt_step PLAIN[] = {RT_RECEIVED("WO1", 59)};
static const rt_step FLAGGED[] = {FLAGGED_RECEPTION("WO1")};
static const rt_step FLAGGED_AT_BOOKING[] = {REQUEST("WO1", "warranty", "true"),
					     RT_RECEIVED("WO1", 59)};
#define HAND_OFF                                                               \
	{SVL_T_WARNING_HANDED_OFF, "E005", NULL, 59, J({"wo_id": "WO1",         \
	 "outcome": "claims_case", "note": "claims inspects first"})}
static const rt_step HANDED_OFF[] = {HAND_OFF};
#define DISPATCH                                                               \
	{SVL_T_WORK_DISPATCHED, "E003", NULL, 63, J({"wo_id": "WO1",            \
	 "technician_id": "E021", "bay": "B3"})}

Test(front, warranty_warning_goes_to_the_supervisor_first_R_BKG_7)
{
	const rt_case cases[] = {
		{"hand-off of a job flagged at reception", {CH(FLAGGED)},
		 HAND_OFF, NULL},
		{"hand-off of a job flagged at booking",
		 {CH(FLAGGED_AT_BOOKING)}, HAND_OFF, NULL},
		{"hand-off of a job with no warning", {CH(PLAIN)}, HAND_OFF,
		 "R-BKG-7"},
		{"hand-off of no job", {{0}}, HAND_OFF, "R-BKG-7"},
		{"a flagged job dispatched before the hand-off",
		 {CH(FLAGGED), CH(QUOTED_SIGNED)}, DISPATCH, "R-BKG-7"},
		{"flagged at booking, dispatched before the hand-off",
		 {CH(FLAGGED_AT_BOOKING), CH(QUOTED_SIGNED)}, DISPATCH,
		 "R-BKG-7"},
		{"a flagged job dispatched after it",
		 {CH(FLAGGED), CH(HANDED_OFF), CH(QUOTED_SIGNED)}, DISPATCH,
		 NULL},
		{"a job with no warning dispatched", {CH(PLAIN),
		 CH(QUOTED_SIGNED)}, DISPATCH, NULL},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, FLAGGED, 1, "flagged");
	rt_ok(&t, QUOTED_SIGNED, 3, "quoted");
	rt_step s = DISPATCH;
	rt_refused_saying(&t, &s, "R-BKG-7",
			  "job WO1 has a warranty warning: it goes to the "
			  "supervisor first");
	rt_close(&t);
}

/* ---- R-BKG-8 ---- */

/* WO1 is promised for 2026-09-30 20:00 (RT_RECEIVED's estimate and
 * QUOTED_SIGNED's promise, 1790769600000). */
#define DELAY(min, to)                                                         \
	{SVL_T_DELAY_NOTIFIED, "E010", NULL, min,                              \
	 "{\"wo_id\": \"WO1\", \"new_ready_at_ms\": " to ", \"reason\": "      \
	 "\"pads arrive tomorrow\", \"customer_agreed\": true}"}
#define PROMISE "1790769600000"
#define PROMISE_PLUS_2H "1790776800000"
#define PROMISE_PLUS_1D "1790856000000"
static const rt_step NOTIFIED[] = {DELAY(120, PROMISE_PLUS_2H)};
static const rt_step DELIVERED[] = {
	{SVL_T_VEHICLE_DELIVERED, "E010", NULL, 900, J({"wo_id": "WO1",
		"old_parts": "none", "valuables_returned": true,
		"next_service_date": "2027-03-30",
		"next_service_mileage_km": 50000})},
};
static const rt_step RECEIVED_NO_ESTIMATE[] = {
	{SVL_T_VEHICLE_RECEIVED, "E010", NULL, 59, J({"wo_id": "WO1",
		"customer_id": "C1", "plate": "B12345", "job_kind": "repair",
		"mileage_km": 45000, "fuel_pct": 40, "covers_laid": 3,
		"first_visit": false, "fault_description": "noise",
		"customer_confirmed": true})},
};

Test(front, delay_told_with_a_later_time_R_BKG_8)
{
	svl_rules r;
	char err[160];
	const char *json = "{\"id\": \"no-estimate\", \"waive\": "
			   "[\"R-REC-3\"]}";
	const rt_case cases[] = {
		{"later than the promise", {CH(PLAIN), CH(QUOTED_SIGNED)},
		 DELAY(120, PROMISE_PLUS_2H), NULL},
		{"the same time", {CH(PLAIN), CH(QUOTED_SIGNED)},
		 DELAY(120, PROMISE), "R-BKG-8"},
		{"earlier than the promise", {CH(PLAIN), CH(QUOTED_SIGNED)},
		 DELAY(120, "1790766000000"), "R-BKG-8"},
		{"told late, after the promise passed",
		 {CH(PLAIN), CH(QUOTED_SIGNED)}, DELAY(900, PROMISE_PLUS_1D),
		 NULL},
		{"before the quote: the reception's estimate", {CH(PLAIN)},
		 DELAY(59, PROMISE_PLUS_2H), NULL},
		{"a second notice moves past the first",
		 {CH(PLAIN), CH(QUOTED_SIGNED), CH(NOTIFIED)},
		 DELAY(180, PROMISE_PLUS_1D), NULL},
		{"a second notice not past the first",
		 {CH(PLAIN), CH(QUOTED_SIGNED), CH(NOTIFIED)},
		 DELAY(180, "1790773200000"), "R-BKG-8"},
		{"a car not received", {CH(BOOKED)}, DELAY(60, PROMISE_PLUS_2H),
		 "R-BKG-8"},
	};
	RT_CASES(cases);
	/* a reception with no estimate (waived) and no quote: no promise */
	cr_assert_eq(svl_rules_parse(json, strlen(json), &r, err, sizeof err),
		     SVL_OK, "%s", err);
	rt t;
	rt_open_ledger(&t, &r);
	rt_ok(&t, RECEIVED_NO_ESTIMATE, 1, "received");
	rt_step s = DELAY(60, PROMISE_PLUS_2H);
	rt_refused_saying(&t, &s, "R-BKG-8", "job WO1 has no promised time");
	rt_ok(&t, QUOTED_SIGNED, 3, "quoted");
	rt_expect(&t, &s, NULL, "after the quote's promise");
	rt_close(&t);
}

/* ---- R-QUO-3 ---- */

#define QUOTE_PADS(stock)                                                      \
	{SVL_T_QUOTE_ISSUED, "E010", NULL, 61,                                 \
	 "{\"wo_id\": \"WO1\", \"labor\": [], \"parts\": [{\"part_no\": "      \
	 "\"P1\", \"qty_milli\": 1000, \"unit_price_fen\": 46000, "            \
	 "\"in_stock\": " stock "}], \"total_fen\": 46000, "                   \
	 "\"promised_at_ms\": 1790769600000, \"customer_agreed\": true}"}
static const rt_step SHORT_QUOTED[] = {
	RT_RECEIVED("WO1", 59), RT_INSPECTED("WO1", 60),
	QUOTE_PADS("false, \"arrival_date\": \"2026-10-01\""),
};
static const rt_step STOCK_QUOTED[] = {
	RT_RECEIVED("WO1", 59), RT_INSPECTED("WO1", 60), QUOTE_PADS("true"),
};
#define REQUISITION(part)                                                      \
	{SVL_T_PARTS_REQUISITIONED, "E010", NULL, 65,                          \
	 "{\"wo_id\": \"WO1\", \"lines\": [{\"part_no\": \"" part "\", "       \
	 "\"qty_milli\": 1000}], \"arrival_date\": \"2026-10-01\"}"}
static const rt_step REVISED_IN_STOCK[] = {
	{SVL_T_QUOTE_REVISED, "E010", NULL, 64, J({"wo_id": "WO1",
		"revision": 2, "reason": "pads found in the other store",
		"labor": [], "parts": [{"part_no": "P1", "qty_milli": 1000,
		"unit_price_fen": 46000, "in_stock": true}], "total_fen": 46000,
		"promised_at_ms": 1790769600000, "customer_agreed": true})},
};

Test(front, requisition_for_quoted_short_parts_R_QUO_3)
{
	const rt_case cases[] = {
		{"a part the quote found short", {CH(SHORT_QUOTED)},
		 REQUISITION("P1"), NULL},
		{"no quote", {CH(PLAIN)}, REQUISITION("P1"), "R-QUO-3"},
		{"a part not on the quote", {CH(SHORT_QUOTED)},
		 REQUISITION("P2"), "R-QUO-3"},
		{"a part the quote has in stock", {CH(STOCK_QUOTED)},
		 REQUISITION("P1"), "R-QUO-3"},
		{"in stock on the latest revision",
		 {CH(SHORT_QUOTED), CH(REVISED_IN_STOCK)}, REQUISITION("P1"),
		 "R-QUO-3"},
		{"a job in the workshop", {CH(SHORT_QUOTED), {(const rt_step[]){
		  {SVL_T_WORK_ORDER_CONFIRMED, "E010", NULL, 62, J({"wo_id":
		   "WO1", "quote_revision": 1, "customer_signed": true,
		   "total_fen": 46000, "promised_at_ms": 1790769600000})},
		  {SVL_T_WORK_DISPATCHED, "E003", NULL, 63, J({"wo_id": "WO1",
		   "technician_id": "E021", "bay": "B3"})}}, 2}},
		 REQUISITION("P1"), NULL},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_ok(&t, SHORT_QUOTED, 3, "quoted");
	rt_step s = REQUISITION("P2");
	rt_refused_saying(&t, &s, "R-QUO-3",
			  "part P2 is not on the latest quote of WO1 as not "
			  "in stock");
	rt_close(&t);
}

/* A job delivered (imported with only its roles checked) takes no
 * requisition and no delay notice any more. */
static void delivered(rt *t)
{
	rt_open(t);
	t->opt.flags = SVL_DECIDE_ROLES_ONLY;
	rt_ok(t, SHORT_QUOTED, 3, "quoted");
	rt_step s = REQUISITION("P1");
	rt_expect(t, &s, NULL, "a requisition before delivery");
	s = (rt_step)DELAY(120, PROMISE_PLUS_2H);
	rt_expect(t, &s, NULL, "a notice before delivery");
	rt_ok(t, DELIVERED, 1, "delivered");
	t->opt.flags = 0;
}

Test(front, no_requisition_after_delivery_R_QUO_3)
{
	rt t;
	delivered(&t);
	rt_step s = REQUISITION("P1");
	rt_refused_saying(&t, &s, "R-QUO-3", "job WO1 is already delivered");
	rt_close(&t);
}

Test(front, no_delay_notice_after_delivery_R_BKG_8)
{
	rt t;
	delivered(&t);
	rt_step s = DELAY(950, PROMISE_PLUS_1D);
	rt_refused_saying(&t, &s, "R-BKG-8", "job WO1 is already delivered");
	rt_close(&t);
}
