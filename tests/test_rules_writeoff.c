/*
 * test_rules_writeoff.c - write-offs and liability: R-WOF-1..6 (the
 * disposal's approver, R-WOF-5, and the quarantine refusal naming the
 * write-off hold), the split function (integer fen, the company takes the
 * remainder), line values, and the decider index for shares (rebuild
 * keeps them).
 */
#include "test_rules_fixture.h"

/* Part P9 (an obsolete bumper, 1820 yuan) at W2-C01-3-02: 2 on the shelf;
 * the quarterly count STK1 is closed. */
static const rt_step STOCK[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P9", "bin": "W2-C01-3-02"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P9",
		"bin": "W2-C01-3-02", "qty_milli": 2000, "unit_cost_fen": 182000})},
	{SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
		"kind": "quarterly_full", "finance_present": true,
		"finance_staff_id": "E030"})},
	{SVL_T_STOCKTAKE_CLOSED, "E020", NULL, 101, J({"stk_id": "STK1",
		"lines_counted": 1})},
};
static const rt_step REQUESTED[] = {
	{SVL_T_WRITEOFF_REQUESTED, "E012", NULL, 110, J({"wof_id": "WOF1",
		"stk_id": "STK1", "not_claimable": true, "not_returnable": true,
		"not_repairable": true, "lines": [{"part_no": "P9",
		"bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000,
		"reason": "obsolete"}]})},
};
/* # on the parameters: true and false reach the JSON unexpanded */
#define APPRAISE(actor, role, agree, human) {SVL_T_WRITEOFF_APPRAISED, actor, \
	role, 111, "{\"wof_id\": \"WOF1\", \"agree\": " #agree \
	", \"human_caused\": " #human "}"}
static const rt_step APPRAISED[] = {
	APPRAISE("E001", NULL, true, false),
	APPRAISE("E011", NULL, true, false),
	APPRAISE("E020", NULL, true, false),
};
static const rt_step TWO_APPRAISED[] = {
	APPRAISE("E001", NULL, true, false),
	APPRAISE("E011", NULL, true, false),
};
static const rt_step ONE_DISAGREES[] = {
	APPRAISE("E001", NULL, true, false),
	APPRAISE("E011", NULL, false, false),
	APPRAISE("E020", NULL, true, false),
};
static const rt_step HUMAN_CAUSED[] = {
	APPRAISE("E001", NULL, false, true),
	APPRAISE("E011", NULL, true, false),
	APPRAISE("E020", NULL, true, false),
};
static const rt_step APPROVED[] = {
	{SVL_T_WRITEOFF_APPROVED, "E002", NULL, 120, J({"wof_id": "WOF1",
		"total_fen": 182000, "lines": [{"part_no": "P9",
		"bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000}]})},
};
static const rt_step REJECTED_HUMAN[] = {
	{SVL_T_WRITEOFF_REJECTED, "E001", NULL, 120, J({"wof_id": "WOF1",
		"reason": "claimable in time", "human_caused": true})},
};
static const rt_step DISPOSED[] = {
	{SVL_T_WRITEOFF_DISPOSED, "E012", NULL, 130, J({"wof_id": "WOF1",
		"method": "recycled", "lines": [{"part_no": "P9",
		"bin": "W2-C01-3-02", "qty_milli": 1000}], "approver_id": "E001"})},
};
#define SHARE(staff, fen) {SVL_T_LIABILITY_CHARGED, "E001", NULL, 140, \
	J({"staff_id": staff, "amount_fen": fen, "cause": "writeoff_share", \
	   "wof_id": "WOF1"})}
static const rt_step PM_SHARE[] = {SHARE("E020", 18200)};
#define CHARGE(staff, fen) {SVL_T_LIABILITY_CHARGED, "E001", NULL, 140, \
	J({"staff_id": staff, "amount_fen": fen, "cause": "technician_misuse", \
	   "wof_id": "WOF1"})}
static const rt_step CHARGED_100000[] = {CHARGE("E021", 100000)};

#define APPROVE APPROVED[0]
#define UP_TO_APPRAISAL CH(STOCK), CH(REQUESTED), CH(APPRAISED)

Test(rules, writeoff_eligibility_R_WOF_1)
{
	const rt_case cases[] = {
		{"everything stated", {CH(STOCK)}, REQUESTED[0], NULL},
		{"still claimable under warranty", {CH(STOCK)},
		 {SVL_T_WRITEOFF_REQUESTED, "E012", NULL, 110, J({"wof_id": "WOF1",
		  "stk_id": "STK1", "not_claimable": false, "not_returnable": true,
		  "not_repairable": true, "lines": [{"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000,
		  "reason": "damaged"}]})}, "R-WOF-1"},
		{"still repairable", {CH(STOCK)},
		 {SVL_T_WRITEOFF_REQUESTED, "E012", NULL, 110, J({"wof_id": "WOF1",
		  "stk_id": "STK1", "not_claimable": true, "not_returnable": true,
		  "not_repairable": false, "lines": [{"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000,
		  "reason": "defective"}]})}, "R-WOF-1"},
		{"more than the book holds", {CH(STOCK)},
		 {SVL_T_WRITEOFF_REQUESTED, "E012", NULL, 110, J({"wof_id": "WOF1",
		  "stk_id": "STK1", "not_claimable": true, "not_returnable": true,
		  "not_repairable": true, "lines": [{"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 3000, "unit_cost_fen": 182000,
		  "reason": "obsolete"}]})}, "R-WOF-1"},
		{"approval after the parts left the shelf",
		 {UP_TO_APPRAISAL, {(const rt_step[]){{SVL_T_PARTS_QUARANTINED,
		  "E012", NULL, 115, J({"part_no": "P9", "bin": "W2-C01-3-02",
		  "qty_milli": 1500, "reason": "cracked in storage"})}}, 1}},
		 APPROVE, "R-WOF-1"},
	};
	RT_CASES(cases);
}

Test(rules, three_appraisers_agree_R_WOF_2)
{
	const rt_case cases[] = {
		{"approved by three agreeing appraisers", {UP_TO_APPRAISAL}, APPROVE,
		 NULL},
		{"approved with two appraisals", {CH(STOCK), CH(REQUESTED),
		 CH(TWO_APPRAISED)}, APPROVE, "R-WOF-2"},
		{"one appraiser does not agree", {CH(STOCK), CH(REQUESTED),
		 CH(ONE_DISAGREES)}, APPROVE, "R-WOF-2"},
		{"the parts manager appraises twice", {CH(STOCK), CH(REQUESTED),
		 CH(TWO_APPRAISED), {&APPRAISED[2], 1}},
		 APPRAISE("E020", NULL, true, false), "R-WOF-2"},
		{"one person in two capacities", {CH(STOCK), CH(REQUESTED),
		 {(const rt_step[]){APPRAISE("E006", "service_manager", true, false)}, 1}},
		 APPRAISE("E006", "parts_manager", true, false), "R-WOF-2"},
		{"a second parts manager", {CH(STOCK), CH(REQUESTED),
		 {&APPRAISED[2], 1}}, APPRAISE("E050", "parts_manager", true, false),
		 "R-WOF-2"},
		{"appraising after the approval", {UP_TO_APPRAISAL, CH(APPROVED)},
		 APPRAISE("E006", "service_manager", true, false), "R-WOF-2"},
		{"appraising a write-off never applied for", {CH(STOCK)},
		 APPRAISE("E001", NULL, true, false), "R-WOF-2"},
		{"a keeper is not an appraiser", {CH(STOCK), CH(REQUESTED)},
		 APPRAISE("E012", NULL, true, false), "R-ROLE-1"},
	};
	RT_CASES(cases);
}

Test(rules, human_damage_is_charged_not_written_off_R_WOF_3)
{
	const rt_case cases[] = {
		{"approving damage caused by people",
		 {CH(STOCK), CH(REQUESTED), CH(HUMAN_CAUSED)}, APPROVE, "R-WOF-3"},
		{"rejecting it without saying so",
		 {CH(STOCK), CH(REQUESTED), CH(HUMAN_CAUSED)},
		 {SVL_T_WRITEOFF_REJECTED, "E001", NULL, 120, J({"wof_id": "WOF1",
		  "reason": "no", "human_caused": false})}, "R-WOF-3"},
		{"rejecting it as caused by people",
		 {CH(STOCK), CH(REQUESTED), CH(HUMAN_CAUSED)}, REJECTED_HUMAN[0],
		 NULL},
		{"charging the technician",
		 {CH(STOCK), CH(REQUESTED), CH(HUMAN_CAUSED), CH(REJECTED_HUMAN)},
		 CHARGE("E021", 100000), NULL},
		{"charging more than the parts are worth",
		 {CH(STOCK), CH(REQUESTED), CH(HUMAN_CAUSED), CH(REJECTED_HUMAN),
		  CH(CHARGED_100000)}, CHARGE("E012", 90000), "R-WOF-3"},
		{"charging for a write-off that was approved",
		 {UP_TO_APPRAISAL, CH(APPROVED)}, CHARGE("E021", 1000), "R-WOF-3"},
	};
	RT_CASES(cases);
}

Test(rules, after_a_quarterly_count_with_a_detail_list_R_WOF_4)
{
	const rt_step monthly[] = {
		{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P9", "bin": "W2-C01-3-02"})},
		{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P9",
			"bin": "W2-C01-3-02", "qty_milli": 2000, "unit_cost_fen": 182000})},
		{SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
			"kind": "monthly_full", "finance_present": false})},
		{SVL_T_STOCKTAKE_CLOSED, "E020", NULL, 101, J({"stk_id": "STK1",
			"lines_counted": 1})},
	};
	const rt_case cases[] = {
		{"no stocktake named", {CH(STOCK)},
		 {SVL_T_WRITEOFF_REQUESTED, "E012", NULL, 110, J({"wof_id": "WOF1",
		  "not_claimable": true, "not_returnable": true,
		  "not_repairable": true, "lines": [{"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000,
		  "reason": "obsolete"}]})}, "R-WOF-4"},
		{"after a monthly count", {CH(monthly)}, REQUESTED[0], "R-WOF-4"},
		{"the same part and bin twice", {CH(STOCK)},
		 {SVL_T_WRITEOFF_REQUESTED, "E012", NULL, 110, J({"wof_id": "WOF1",
		  "stk_id": "STK1", "not_claimable": true, "not_returnable": true,
		  "not_repairable": true, "lines": [{"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 500, "unit_cost_fen": 182000,
		  "reason": "obsolete"}, {"part_no": "P9", "bin": "W2-C01-3-02",
		  "qty_milli": 500, "unit_cost_fen": 182000, "reason": "damaged"}]})},
		 "R-WOF-4"},
		{"applied for twice", {CH(STOCK), CH(REQUESTED)}, REQUESTED[0],
		 "R-WOF-4"},
		{"approving other lines than applied for", {UP_TO_APPRAISAL},
		 {SVL_T_WRITEOFF_APPROVED, "E002", NULL, 120, J({"wof_id": "WOF1",
		  "total_fen": 91000, "lines": [{"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 500, "unit_cost_fen": 182000}]})},
		 "R-WOF-4"},
	};
	RT_CASES(cases);
}

Test(rules, parts_held_until_disposal_R_WOF_5)
{
	const rt_case cases[] = {
		{"disposal before approval", {UP_TO_APPRAISAL}, DISPOSED[0],
		 "R-WOF-5"},
		{"disposal after approval", {UP_TO_APPRAISAL, CH(APPROVED)},
		 DISPOSED[0], NULL},
		{"disposed of twice", {UP_TO_APPRAISAL, CH(APPROVED), CH(DISPOSED)},
		 DISPOSED[0], "R-WOF-5"},
		{"disposing of a part not written off",
		 {UP_TO_APPRAISAL, CH(APPROVED)},
		 {SVL_T_WRITEOFF_DISPOSED, "E012", NULL, 130, J({"wof_id": "WOF1",
		  "method": "scrapped", "lines": [{"part_no": "P1",
		  "bin": "W1-A01-1-01", "qty_milli": 1000}],
		  "approver_id": "E020"})}, "R-WOF-5"},
		{"the held part left the shelf: 1 of 2 remains",
		 {UP_TO_APPRAISAL, CH(APPROVED)},
		 {SVL_T_PARTS_QUARANTINED, "E012", NULL, 121, J({"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 1500, "reason": "check"})},
		 "R-BIN-2"},
	};
	RT_CASES(cases);
}

/* R-WOF-5: the keeper does not throw away or sell held parts on their
 * own (不允许私自丢弃、变卖): a disposal names who approved it, another
 * person; a sale (recycled) only the service or general manager. */
#define DISPOSE(actor, method, approver) {SVL_T_WRITEOFF_DISPOSED, actor, \
	NULL, 130, "{\"wof_id\": \"WOF1\", \"method\": \"" method "\", " \
	"\"lines\": [{\"part_no\": \"P9\", \"bin\": \"W2-C01-3-02\", " \
	"\"qty_milli\": 1000}]" approver "}"}
#define BY(id) ", \"approver_id\": \"" id "\""

/* A case on the approved write-off: who disposes, how, approved by. */
#define HELD(name, actor, method, approver, rule) \
	{name, {UP_TO_APPRAISAL, CH(APPROVED)}, \
	 DISPOSE(actor, method, approver), rule}

Test(rules, disposal_approved_by_someone_else_R_WOF_5)
{
	const rt_case cases[] = {
		HELD("the keeper sells on their own", "E012", "recycled", "",
		     "R-WOF-5"),
		HELD("the keeper scraps on their own", "E012", "scrapped", "",
		     "R-WOF-5"),
		HELD("a sale approved by the service manager", "E012",
		     "recycled", BY("E001"), NULL),
		HELD("a sale approved by the general manager", "E012",
		     "recycled", BY("E002"), NULL),
		HELD("a sale approved by the parts manager", "E012", "recycled",
		     BY("E020"), "R-WOF-5"),
		HELD("scrapping approved by the parts manager", "E012",
		     "scrapped", BY("E020"), NULL),
		HELD("back to the maker, approved by the parts manager", "E012",
		     "returned_to_maker", BY("E020"), NULL),
		HELD("scrapping approved by a technician", "E012", "scrapped",
		     BY("E021"), "R-WOF-5"),
		HELD("the keeper approves their own scrapping", "E012",
		     "scrapped", BY("E012"), "R-WOF-5"),
		HELD("the parts manager approves what he records", "E020",
		     "scrapped", BY("E020"), "R-WOF-5"),
	};
	RT_CASES(cases);
}

/* Quarantining parts an approved write-off holds: the refusal says where
 * they went (the issue: it said "only 0 ... on the shelf" and no more). */
Test(rules, quarantine_refusal_names_the_write_off_hold_R_BIN_2)
{
	const rt_step both[] = {{SVL_T_PARTS_QUARANTINED, "E012", NULL, 121,
		J({"part_no": "P9", "bin": "W2-C01-3-02", "qty_milli": 2000,
		   "reason": "check"})}};
	const rt_chunk story[] = {UP_TO_APPRAISAL, CH(APPROVED)};
	svl_refusal why;
	rt t;
	rt_open(&t);
	for (size_t k = 0; k < sizeof story / sizeof story[0]; k++)
		rt_ok(&t, story[k].s, story[k].n, "story");
	cr_assert_eq(rt_run(&t, both, 1, &why, "quarantine"), SVL_EREFUSED);
	cr_assert_str_eq(why.rule, "R-BIN-2");
	cr_assert_str_eq(why.msg, "R-BIN-2: only 1 of part P9 are on the shelf "
			 "to move to quarantine; 1 more were taken off the "
			 "shelf by approved write-offs: the write-off hold, "
			 "kept by the keeper until disposal (R-WOF-5)");
	rt_close(&t);
}

Test(rules, loss_split_70_10_10_10_R_WOF_6)
{
	const rt_case cases[] = {
		{"total is not the lines' value", {UP_TO_APPRAISAL},
		 {SVL_T_WRITEOFF_APPROVED, "E002", NULL, 120, J({"wof_id": "WOF1",
		  "total_fen": 180000, "lines": [{"part_no": "P9",
		  "bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000}]})},
		 "R-WOF-6"},
		{"parts manager's 10%", {UP_TO_APPRAISAL, CH(APPROVED)},
		 SHARE("E020", 18200), NULL},
		{"keeper's 10%", {UP_TO_APPRAISAL, CH(APPROVED)},
		 SHARE("E012", 18200), NULL},
		{"service manager's 10%", {UP_TO_APPRAISAL, CH(APPROVED)},
		 SHARE("E001", 18200), NULL},
		{"a wrong amount", {UP_TO_APPRAISAL, CH(APPROVED)},
		 SHARE("E020", 18000), "R-WOF-6"},
		{"the same share twice", {UP_TO_APPRAISAL, CH(APPROVED), CH(PM_SHARE)},
		 SHARE("E050", 18200), "R-WOF-6"},
		{"someone without a share", {UP_TO_APPRAISAL, CH(APPROVED)},
		 SHARE("E021", 18200), "R-WOF-6"},
		{"a share before approval", {UP_TO_APPRAISAL}, SHARE("E020", 18200),
		 "R-WOF-6"},
		{"a share of no write-off", {{0}},
		 {SVL_T_LIABILITY_CHARGED, "E001", NULL, 140, J({"staff_id": "E020",
		  "amount_fen": 18200, "cause": "writeoff_share"})}, "R-WOF-6"},
	};
	RT_CASES(cases);
}

Test(rules, share_index_survives_rebuild_R_WOF_6)
{
	rt t;
	rt_open(&t);
	const rt_chunk story[] = {CH(STOCK), CH(REQUESTED), CH(APPRAISED),
				  CH(APPROVED), CH(PM_SHARE)};
	for (size_t k = 0; k < sizeof story / sizeof story[0]; k++)
		rt_ok(&t, story[k].s, story[k].n, "story");
	cr_assert_eq(svl_decide_rebuild(t.log), SVL_OK);
	rt_step again = SHARE("E020", 18200);
	rt_expect(&t, &again, "R-WOF-6", "after rebuild the share is charged");
	rt_close(&t);
}

/* ---- the split itself ---- */

static const int32_t SEED_SPLIT[4] = {700, 100, 100, 100};

__extension__ typedef __int128 i128;

Test(split, table_integer_fen_company_takes_remainder_R_WOF_6)
{
	static const struct {
		int64_t total;
		int64_t want[4];
	} rows[] = {
		{182000, {127400, 18200, 18200, 18200}},
		{0, {0, 0, 0, 0}},
		{1, {1, 0, 0, 0}},
		{9, {9, 0, 0, 0}},
		{10, {7, 1, 1, 1}},
		{19, {16, 1, 1, 1}},
		{99999, {70002, 9999, 9999, 9999}},
		{INT64_C(100000000000000), {INT64_C(70000000000000),
		  INT64_C(10000000000000), INT64_C(10000000000000),
		  INT64_C(10000000000000)}},
		{INT64_MAX, {INT64_MAX - 3 * (INT64_MAX / 10),
		  INT64_MAX / 10, INT64_MAX / 10, INT64_MAX / 10}},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t out[4];
		cr_assert_eq(svl_writeoff_split(rows[i].total, SEED_SPLIT, out),
			     SVL_OK);
		for (int k = 0; k < 4; k++)
			cr_assert_eq(out[k], rows[i].want[k], "total %lld share "
				     "%d: %lld, want %lld", (long long)rows[i].total,
				     k, (long long)out[k],
				     (long long)rows[i].want[k]);
	}
}

Test(split, shares_always_add_up)
{
	uint64_t seed = svl_test_seed(), st = seed;
	static const int32_t sets[][4] = {
		{700, 100, 100, 100}, {1000, 0, 0, 0}, {0, 0, 0, 1000},
		{333, 333, 333, 1}, {1, 333, 333, 333}, {600, 150, 150, 100}};
	for (int n = 0; n < 20000; n++) {
		int64_t total = (int64_t)svl_test_below(&st, UINT64_C(1) << 62);
		if (n % 3 == 0)
			total %= 100000;
		const int32_t *p = sets[n % 6];
		int64_t out[4];
		cr_assert_eq(svl_writeoff_split(total, p, out), SVL_OK);
		cr_assert_eq(out[0] + out[1] + out[2] + out[3], total,
			     "seed %llu total %lld", (unsigned long long)seed,
			     (long long)total);
		for (int k = 1; k < 4; k++) {
			/* floor: share * 1000 <= total * p < (share + 1) * 1000 */
			i128 exact = (i128)total * p[k];
			cr_assert((i128)out[k] * 1000 <= exact &&
				  exact < ((i128)out[k] + 1) * 1000,
				  "seed %llu total %lld share %d",
				  (unsigned long long)seed, (long long)total, k);
		}
		cr_assert_geq(out[0], 0);
	}
}

Test(split, bad_input_is_einval)
{
	int64_t out[4] = {1, 2, 3, 4};
	const int32_t bad_sum[4] = {700, 100, 100, 99};
	const int32_t negative[4] = {800, 100, 200, -100};
	cr_assert_eq(svl_writeoff_split(-1, SEED_SPLIT, out), SVL_EINVAL);
	cr_assert_eq(out[0] + out[1] + out[2] + out[3], 0, "zeroed");
	cr_assert_eq(svl_writeoff_split(100, bad_sum, out), SVL_EINVAL);
	cr_assert_eq(svl_writeoff_split(100, negative, out), SVL_EINVAL);
	cr_assert_eq(svl_writeoff_split(100, NULL, out), SVL_EINVAL);
	cr_assert_eq(svl_writeoff_split(100, SEED_SPLIT, NULL), SVL_EINVAL);
}

Test(split, line_value_rounds_half_up)
{
	int64_t v;
	cr_assert_eq(svl_line_value_fen(1000, 182000, &v), SVL_OK);
	cr_assert_eq(v, 182000);
	cr_assert_eq(svl_line_value_fen(1500, 3, &v), SVL_OK);
	cr_assert_eq(v, 5, "4.5 fen rounds up to 5");
	cr_assert_eq(svl_line_value_fen(1, 499, &v), SVL_OK);
	cr_assert_eq(v, 0, "0.499 fen rounds down");
	cr_assert_eq(svl_line_value_fen(INT64_C(1000000000000),
					INT64_C(100000000000000), &v),
		     SVL_ELIMIT);
	cr_assert_eq(svl_line_value_fen(-1, 3, &v), SVL_EINVAL);
}
