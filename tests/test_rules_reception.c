/*
 * test_rules_reception.c - the reception sheet: the customer confirms it
 * (R-REC-2) with its estimate of price and ready time (R-REC-3), each
 * waivable by the rule set. The inspection that follows (R-INS-1) is
 * test_rules_workshop.c's.
 */
#include "test_rules_fixture.h"

/* Job WO1's reception; `sheet` ends the payload (confirmation, estimate). */
#define RECEPTION(sheet)                                                       \
	{SVL_T_VEHICLE_RECEIVED, "E010", NULL, 60,                             \
	 "{\"wo_id\": \"WO1\", \"customer_id\": \"C1\", \"plate\": "           \
	 "\"B12345\", \"job_kind\": \"repair\", \"mileage_km\": 45000, "       \
	 "\"fuel_pct\": 40, \"covers_laid\": 3, \"first_visit\": true, "       \
	 "\"fault_description\": \"squeal\", " sheet "}"}

#define ESTIMATE "\"est_amount_fen\": 10000, \"est_ready_at_ms\": 1790769600000"

static const rt_step UNCONFIRMED[] = {
	RECEPTION(ESTIMATE ", \"customer_confirmed\": false"),
};
static const rt_step NO_ESTIMATE[] = {
	RECEPTION("\"customer_confirmed\": true"),
};
static const rt_step NO_PRICE[] = {
	RECEPTION("\"est_ready_at_ms\": 1790769600000, \"customer_confirmed\": "
		  "true"),
};
static const rt_step NO_READY_TIME[] = {
	RECEPTION("\"est_amount_fen\": 10000, \"customer_confirmed\": true"),
};
static const rt_step RECEIVED[] = {RT_RECEIVED("WO1", 60)};

Test(rules, customer_confirms_the_reception_sheet_R_REC_2)
{
	const rt_case cases[] = {
		{"sheet not confirmed", {{0}}, UNCONFIRMED[0], "R-REC-2"},
		{"sheet confirmed", {{0}}, RECEIVED[0], NULL},
		{"received twice", {CH(RECEIVED)}, RECEIVED[0], "R-REC-2"},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_refused_saying(&t, &UNCONFIRMED[0], "R-REC-2",
		       "the customer has not confirmed the reception sheet of "
		       "WO1");
	rt_close(&t);
}

Test(rules, price_and_time_estimated_at_reception_R_REC_3)
{
	const rt_case cases[] = {
		{"no estimate", {{0}}, NO_ESTIMATE[0], "R-REC-3"},
		{"a ready time, no price", {{0}}, NO_PRICE[0], "R-REC-3"},
		{"a price, no ready time", {{0}}, NO_READY_TIME[0], "R-REC-3"},
		{"price and ready time", {{0}}, RECEIVED[0], NULL},
	};
	RT_CASES(cases);
	rt t;
	rt_open(&t);
	rt_refused_saying(&t, &NO_ESTIMATE[0], "R-REC-3",
		       "has no estimated price or ready time");
	rt_refused_saying(&t, &NO_READY_TIME[0], "R-REC-3",
		       "has no estimated ready time");
	rt_close(&t);
}

/* A rule set that waives one of the two lets that one through, and only
 * that one. */
static void under_waiver(const char *rule, const rt_step *waived,
			 const rt_step *other, const char *other_rule)
{
	char json[96], err[160];
	svl_rules r;
	snprintf(json, sizeof json, "{\"id\": \"paper\", \"waive\": [\"%s\"]}",
		 rule);
	cr_assert_eq(svl_rules_parse(json, strlen(json), &r, err, sizeof err),
		     SVL_OK, "%s", err);
	for (int w = 0; w < 2; w++) {
		rt t;
		rt_open_ledger(&t, w ? &r : NULL);
		rt_expect(&t, other, other_rule, "the other rule still holds");
		rt_expect(&t, waived, w ? NULL : rule,
			  w ? "waived: accepted" : "not waived: refused");
		rt_close(&t);
	}
}

Test(rules, paper_reception_sheet_when_waived_R_REC_2)
{
	under_waiver("R-REC-2", &UNCONFIRMED[0], &NO_ESTIMATE[0], "R-REC-3");
}

Test(rules, estimate_with_the_quote_when_waived_R_REC_3)
{
	under_waiver("R-REC-3", &NO_ESTIMATE[0], &UNCONFIRMED[0], "R-REC-2");
}
