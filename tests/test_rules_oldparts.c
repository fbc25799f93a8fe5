/*
 * test_rules_oldparts.c - old parts after the job (R-OLD-1, R-QC-2):
 * warranty claims filed on recovered warranty old parts, their parts
 * shipped back to the maker as claimed, the maker's answer; old parts
 * handed back cleaned to a customer who asks; the periodic disposal of
 * the others, approved by another person in charge.
 */
#include "test_rules_fixture.h"

/* Warranty job WO1: one water pump P1 recovered to the warranty ledger;
 * repair job WO2: two pads P2 returned to the shop's ledger. */
static const rt_step JOBS[] = {
	{SVL_T_VEHICLE_RECEIVED, "E010", NULL, 1, J({"wo_id": "WO1",
		"customer_id": "C1", "plate": "B12345", "job_kind": "warranty",
		"mileage_km": 45000, "fuel_pct": 40, "covers_laid": 3,
		"first_visit": false, "fault_description": "coolant leak",
		"est_amount_fen": 0, "est_ready_at_ms": 1790769600000,
		"customer_confirmed": true})},
	{SVL_T_OLD_PART_RETURNED, "E021", NULL, 20, J({"wo_id": "WO1",
		"part_no": "P1", "qty_milli": 1000, "warranty": true,
		"keeper_id": "E012"})},
	RT_RECEIVED("WO2", 2),
	{SVL_T_OLD_PART_RETURNED, "E022", NULL, 21, J({"wo_id": "WO2",
		"part_no": "P2", "qty_milli": 2000, "warranty": false,
		"keeper_id": "E012"})},
};

#define CLAIM(id, wo, part, qty, fen)                                         \
	{SVL_T_WARRANTY_CLAIM_FILED, "E011", NULL, 100,                        \
	 "{\"claim_id\": \"" id "\", \"wo_id\": \"" wo "\", \"amount_fen\": "  \
	 #fen ", \"lines\": [{\"part_no\": \"" part "\", \"qty_milli\": " #qty \
	 "}]}"}
static const rt_step CLAIMED[] = {CLAIM("WC1", "WO1", "P1", 1000, 50000)};

#define SHIP(part, qty)                                                        \
	{SVL_T_CLAIM_PARTS_SHIPPED, "E011", NULL, 200,                         \
	 "{\"claim_id\": \"WC1\", \"waybill\": \"SF1\", \"lines\": "           \
	 "[{\"part_no\": \"" part "\", \"qty_milli\": " #qty "}]}"}
static const rt_step SHIPPED[] = {SHIP("P1", 1000)};

#define SETTLE(claim, result, paid)                                            \
	{SVL_T_WARRANTY_CLAIM_SETTLED, "E030", NULL, 300,                      \
	 "{\"claim_id\": \"" claim "\", \"result\": \"" result                 \
	 "\", \"paid_fen\": " #paid "}"}
static const rt_step SETTLED[] = {SETTLE("WC1", "approved", 50000)};

#define HAND(wo, part, qty, cleaned)                                           \
	{SVL_T_OLD_PART_HANDED_BACK, "E012", NULL, 60,                         \
	 "{\"wo_id\": \"" wo "\", \"part_no\": \"" part "\", \"qty_milli\": "  \
	 #qty ", \"cleaned\": " #cleaned "}"}
static const rt_step HANDED_ONE[] = {HAND("WO2", "P2", 1000, true)};

#define DISPOSE(actor, approver, batch, lines)                                 \
	{SVL_T_OLD_PARTS_DISPOSED, actor, "warehouse_keeper", 1000,            \
	 "{\"batch_id\": \"" batch "\", \"method\": \"sold_as_scrap\", "       \
	 "\"approver_id\": \"" approver "\", \"lines\": [" lines "]}"}
#define LINE(wo, part, qty)                                                    \
	"{\"wo_id\": \"" wo "\", \"part_no\": \"" part "\", \"qty_milli\": "   \
	#qty "}"
static const rt_step DISPOSED_ONE[] = {
	DISPOSE("E012", "E020", "OLD1", LINE("WO2", "P2", 1000)),
};

Test(rules, claims_rest_on_recovered_warranty_old_parts_R_QC_2)
{
	rt_case cases[] = {
	    {"a claim on the recovered pump", {CH(JOBS)}, CLAIMED[0], NULL},
	    {"a part never recovered to the warranty ledger",
	     {CH(JOBS)},
	     CLAIM("WC1", "WO1", "P7", 1000, 50000),
	     "R-QC-2"},
	    {"more than was recovered",
	     {CH(JOBS)},
	     CLAIM("WC1", "WO1", "P1", 2000, 50000),
	     "R-QC-2"},
	    {"the same pump claimed twice",
	     {CH(JOBS), CH(CLAIMED)},
	     CLAIM("WC2", "WO1", "P1", 1000, 50000),
	     "R-QC-2"},
	};
	RT_CASES(cases);
}

Test(rules, a_claim_is_for_a_warranty_job_once_R_OLD_1)
{
	rt_case cases[] = {
	    {"a warranty job's claim", {CH(JOBS)}, CLAIMED[0], NULL},
	    {"a repair job is not claimed from the maker",
	     {CH(JOBS)},
	     CLAIM("WC1", "WO2", "P2", 1000, 50000),
	     "R-OLD-1"},
	    {"no such job",
	     {CH(JOBS)},
	     CLAIM("WC1", "WO9", "P1", 1000, 50000),
	     "R-OLD-1"},
	    {"the claim id is taken",
	     {CH(JOBS), CH(CLAIMED)},
	     CLAIM("WC1", "WO1", "P1", 1000, 50000),
	     "R-OLD-1"},
	};
	RT_CASES(cases);
}

Test(rules, claim_parts_go_back_as_claimed_R_OLD_1)
{
	rt_case cases[] = {
	    {"the claimed pump shipped", {CH(JOBS), CH(CLAIMED)}, SHIPPED[0],
	     NULL},
	    {"no such claim", {CH(JOBS)}, SHIPPED[0], "R-OLD-1"},
	    {"a part not on the claim",
	     {CH(JOBS), CH(CLAIMED)},
	     SHIP("P2", 1000),
	     "R-OLD-1"},
	    {"more than claimed",
	     {CH(JOBS), CH(CLAIMED)},
	     SHIP("P1", 2000),
	     "R-OLD-1"},
	    {"shipped twice",
	     {CH(JOBS), CH(CLAIMED), CH(SHIPPED)},
	     SHIP("P1", 1000),
	     "R-OLD-1"},
	};
	RT_CASES(cases);
}

Test(rules, the_maker_answers_once_within_the_claim_R_OLD_1)
{
	rt_case cases[] = {
	    {"approved in full", {CH(JOBS), CH(CLAIMED)}, SETTLED[0], NULL},
	    {"partly approved",
	     {CH(JOBS), CH(CLAIMED)},
	     SETTLE("WC1", "partly_approved", 30000),
	     NULL},
	    {"rejected", {CH(JOBS), CH(CLAIMED)}, SETTLE("WC1", "rejected", 0),
	     NULL},
	    {"no such claim", {CH(JOBS)}, SETTLED[0], "R-OLD-1"},
	    {"answered twice",
	     {CH(JOBS), CH(CLAIMED), CH(SETTLED)},
	     SETTLE("WC1", "rejected", 0),
	     "R-OLD-1"},
	    {"paid more than claimed",
	     {CH(JOBS), CH(CLAIMED)},
	     SETTLE("WC1", "partly_approved", 50001),
	     "R-OLD-1"},
	    {"rejected but paid",
	     {CH(JOBS), CH(CLAIMED)},
	     SETTLE("WC1", "rejected", 100),
	     "R-OLD-1"},
	    {"approved but short",
	     {CH(JOBS), CH(CLAIMED)},
	     SETTLE("WC1", "approved", 30000),
	     "R-OLD-1"},
	    {"partly approved in full",
	     {CH(JOBS), CH(CLAIMED)},
	     SETTLE("WC1", "partly_approved", 50000),
	     "R-OLD-1"},
	    {"partly approved for nothing",
	     {CH(JOBS), CH(CLAIMED)},
	     SETTLE("WC1", "partly_approved", 0),
	     "R-OLD-1"},
	};
	RT_CASES(cases);
}

Test(rules, old_parts_handed_back_cleaned_R_OLD_1)
{
	rt_case cases[] = {
	    {"one pad back, cleaned", {CH(JOBS)}, HANDED_ONE[0], NULL},
	    {"both pads back", {CH(JOBS)}, HAND("WO2", "P2", 2000, true), NULL},
	    {"the second pad after the first",
	     {CH(JOBS), CH(HANDED_ONE)},
	     HAND("WO2", "P2", 1000, true),
	     NULL},
	    {"not cleaned", {CH(JOBS)}, HAND("WO2", "P2", 1000, false),
	     "R-OLD-1"},
	    {"more than returned", {CH(JOBS)}, HAND("WO2", "P2", 3000, true),
	     "R-OLD-1"},
	    {"more than is left after one went back",
	     {CH(JOBS), CH(HANDED_ONE)},
	     HAND("WO2", "P2", 2000, true),
	     "R-OLD-1"},
	    {"more than is left after the disposal",
	     {CH(JOBS), CH(DISPOSED_ONE)},
	     HAND("WO2", "P2", 2000, true),
	     "R-OLD-1"},
	    {"a part the job never returned", {CH(JOBS)},
	     HAND("WO2", "P7", 1000, true), "R-OLD-1"},
	    {"no such job", {CH(JOBS)}, HAND("WO9", "P2", 1000, true),
	     "R-OLD-1"},
	};
	RT_CASES(cases);
}

Test(rules, warranty_old_parts_stay_with_the_claim_R_QC_2)
{
	rt_case cases[] = {
	    {"the shop's old part goes back", {CH(JOBS)}, HANDED_ONE[0], NULL},
	    {"the shop's old part is disposed of", {CH(JOBS)},
	     DISPOSED_ONE[0], NULL},
	    {"the warranty pump is not handed to the customer",
	     {CH(JOBS)},
	     HAND("WO1", "P1", 1000, true),
	     "R-QC-2"},
	    {"the warranty pump is not disposed of by the shop",
	     {CH(JOBS)},
	     DISPOSE("E012", "E020", "OLD1", LINE("WO1", "P1", 1000)),
	     "R-QC-2"},
	};
	RT_CASES(cases);
}

Test(rules, periodic_disposal_of_the_old_parts_held_R_OLD_1)
{
	rt_case cases[] = {
	    {"both pads, approved by the parts manager",
	     {CH(JOBS)},
	     DISPOSE("E012", "E020", "OLD1", LINE("WO2", "P2", 2000)),
	     NULL},
	    {"approved by the service manager",
	     {CH(JOBS)},
	     DISPOSE("E012", "E001", "OLD1", LINE("WO2", "P2", 2000)),
	     NULL},
	    {"the other pad, in a later batch",
	     {CH(JOBS), CH(DISPOSED_ONE)},
	     DISPOSE("E012", "E020", "OLD2", LINE("WO2", "P2", 1000)),
	     NULL},
	    {"approved by a technician",
	     {CH(JOBS)},
	     DISPOSE("E012", "E021", "OLD1", LINE("WO2", "P2", 2000)),
	     "R-OLD-1"},
	    {"approved by the person recording it",
	     {CH(JOBS)},
	     DISPOSE("E050", "E050", "OLD1", LINE("WO2", "P2", 2000)),
	     "R-OLD-1"},
	    {"more than returned",
	     {CH(JOBS)},
	     DISPOSE("E012", "E020", "OLD1", LINE("WO2", "P2", 3000)),
	     "R-OLD-1"},
	    {"two lines of one batch together more than held",
	     {CH(JOBS)},
	     DISPOSE("E012", "E020", "OLD1",
		     LINE("WO2", "P2", 1000) ", " LINE("WO2", "P2", 1500)),
	     "R-OLD-1"},
	    {"already disposed of in an earlier batch",
	     {CH(JOBS), CH(DISPOSED_ONE)},
	     DISPOSE("E012", "E020", "OLD2", LINE("WO2", "P2", 2000)),
	     "R-OLD-1"},
	    {"handed back to the customer already",
	     {CH(JOBS), CH(HANDED_ONE)},
	     DISPOSE("E012", "E020", "OLD1", LINE("WO2", "P2", 2000)),
	     "R-OLD-1"},
	    {"a job that does not exist",
	     {CH(JOBS)},
	     DISPOSE("E012", "E020", "OLD1", LINE("WO9", "P2", 1000)),
	     "R-OLD-1"},
	};
	RT_CASES(cases);
}
