/*
 * test_rules_stock.c - stocktakes and their adjustments: R-STK-1 (finance
 * at the count is a named member of the finance staff; charges cite a
 * stocktake that exists) and R-STK-2 (counts are not falsified: the
 * write-up equals count minus the book frozen at the opening; nobody
 * approves their own adjustment; a stocktake loss names its count); and
 * the decider index's stock counters against the part-stream fold.
 */
#include "test_rules_fixture.h"

#include "decide_int.h" /* white box: the index's stock counters */

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

#define OPEN(kind, finance) {SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, \
	"{\"stk_id\": \"STK1\", \"kind\": \"" kind "\"" finance "}"}
#define FINANCE(id) ", \"finance_present\": true, \"finance_staff_id\": \"" \
	id "\""

Test(rules, finance_at_the_count_is_named_and_holds_the_role_R_STK_1)
{
	const rt_case cases[] = {
		{"quarterly, finance present but nobody named", {{0}},
		 OPEN("quarterly_full", ", \"finance_present\": true"),
		 "R-STK-1"},
		{"quarterly, finance named", {{0}},
		 OPEN("quarterly_full", FINANCE("E030")), NULL},
		{"quarterly, the keeper named as finance", {{0}},
		 OPEN("quarterly_full", FINANCE("E012")), "R-STK-1"},
		{"quarterly, the cashier named as finance", {{0}},
		 OPEN("quarterly_full", FINANCE("E031")), "R-STK-1"},
		{"monthly, finance joins and is named", {{0}},
		 OPEN("monthly_full", FINANCE("E030")), NULL},
		{"monthly, finance named but said absent", {{0}},
		 OPEN("monthly_full", ", \"finance_present\": false, "
		      "\"finance_staff_id\": \"E030\""), "R-STK-1"},
		{"monthly, finance present and nobody named", {{0}},
		 OPEN("monthly_full", ", \"finance_present\": true"),
		 "R-STK-1"},
	};
	RT_CASES(cases);
}

#define CHARGE(cause, stk) {SVL_T_LIABILITY_CHARGED, "E001", NULL, 110, \
	"{\"staff_id\": \"E021\", \"amount_fen\": 3900, \"cause\": \"" \
	cause "\"" stk "}"}
#define OF(stk) ", \"stk_id\": \"" stk "\""

Test(rules, charges_cite_a_stocktake_that_exists_R_STK_1)
{
	const rt_case cases[] = {
		{"a stocktake loss of a count never made", {{0}},
		 CHARGE("stocktake_loss", OF("STK9")), "R-STK-1"},
		{"another charge citing a count never made", {{0}},
		 CHARGE("other", OF("STK9")), "R-STK-1"},
		{"a stocktake loss of the count that found it",
		 {COUNT, CH(PROPOSED), CH(APPROVED)},
		 CHARGE("stocktake_loss", OF("STK1")), NULL},
		{"a charge citing no stocktake", {{0}}, CHARGE("other", ""),
		 NULL},
	};
	RT_CASES(cases);
}

Test(rules, a_stocktake_loss_names_its_count_R_STK_2)
{
	const rt_case cases[] = {
		{"a stocktake loss naming no stocktake",
		 {COUNT, CH(PROPOSED), CH(APPROVED)},
		 CHARGE("stocktake_loss", ""), "R-STK-2"},
		{"a stocktake loss naming its stocktake",
		 {COUNT, CH(PROPOSED), CH(APPROVED)},
		 CHARGE("stocktake_loss", OF("STK1")), NULL},
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
		{"nothing to write up", {CH(STOCKED), CH(OPENED),
		 {(const rt_step[]){{SVL_T_STOCKTAKE_LINE_COUNTED, "E012", NULL,
		  102, J({"stk_id": "STK1", "part_no": "P1", "bin": "W1-A01-1-01",
		  "counted_qty_milli": 5000})}}, 1}}, PROPOSE(-1000), "R-STK-2"},
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

/* ---- the stock counters of the decider index equal the stream fold ---- */

static const char *const PARTS[] = {"P1", "P2"};
static const char *const BINS[] = {"W1-A01-1-01", "W1-A01-1-02"};
static const char *const WOS[] = {"WO1", "WO2"};
static const char *const PICKS[] = {"PK1", "PK2"};
static const char *const POS[] = {"PO1", "PO2"};

/* One random part movement as JSON; *type gets its type. */
static void random_move(uint64_t *st, char *json, size_t cap, uint32_t *type)
{
	const char *p = PARTS[svl_test_below(st, 2)];
	const char *b = BINS[svl_test_below(st, 2)];
	const char *w = WOS[svl_test_below(st, 2)];
	long long q = (long long)(1 + svl_test_below(st, 5)) * 500;
	int opt = (int)svl_test_below(st, 2);
	switch (svl_test_below(st, 9)) {
	case 0: *type = SVL_T_PARTS_SHELVED;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld, \"unit_cost_fen\": 100%s%s%s}",
			 p, b, q, opt ? ", \"po_id\": \"" : "", opt ? POS[svl_test_below(st, 2)] : "", opt ? "\"" : "");
		break;
	case 1: *type = SVL_T_PARTS_RETURNED_TO_STOCK;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld%s%s%s}",
			 p, b, q, opt ? ", \"wo_id\": \"" : "", opt ? w : "", opt ? "\"" : "");
		break;
	case 2: *type = SVL_T_PARTS_ISSUED;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld, \"pick_id\": \"%s\"%s%s%s}",
			 p, b, q, PICKS[svl_test_below(st, 2)], opt ? ", \"wo_id\": \"" : "", opt ? w : "", opt ? "\"" : "");
		break;
	case 3: *type = SVL_T_PARTS_QUARANTINED;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld, \"reason\": \"r\"%s%s%s}",
			 p, b, q, opt ? ", \"wo_id\": \"" : "", opt ? w : "", opt ? "\"" : "");
		break;
	case 4: *type = SVL_T_QUARANTINE_RELEASED;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld, \"outcome\": \"%s\"}",
			 p, b, q, opt ? "restocked" : "returned_to_supplier");
		break;
	case 5: *type = SVL_T_ADJUSTMENT_APPROVED;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"delta_qty_milli\": %lld, \"stk_id\": \"STK1\", \"adj_no\": %d}",
			 p, b, opt ? q : -q, 1 + (int)svl_test_below(st, 3));
		break;
	case 6: *type = SVL_T_PARTS_RESERVED;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld, \"wo_id\": \"%s\"}", p, b, q, w);
		break;
	case 7: *type = SVL_T_RESERVATION_RELEASED;
		snprintf(json, cap, "{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld, \"wo_id\": \"%s\", \"reason\": \"changed\"}", p, b, q, w);
		break;
	default: *type = SVL_T_WRITEOFF_APPROVED;
		snprintf(json, cap, "{\"wof_id\": \"WOF%d\", \"total_fen\": 1, \"lines\": [{\"part_no\": \"%s\", \"bin\": \"%s\", \"qty_milli\": %lld, \"unit_cost_fen\": 1}]}",
			 (int)svl_test_below(st, 3), p, b, q);
		break;
	}
}

typedef struct cmp_arg {
	uint64_t seed;
	int compared;
} cmp_arg;

static int same_stock(const svl__stock *a, const svl__stock *b)
{
	return a->has_bin == b->has_bin && strcmp(a->bin, b->bin) == 0 &&
	       a->sellable_milli == b->sellable_milli &&
	       a->quarantined_milli == b->quarantined_milli &&
	       a->reserved_milli == b->reserved_milli &&
	       a->reserved_wo_milli == b->reserved_wo_milli &&
	       a->issued_wo_milli == b->issued_wo_milli &&
	       a->issued_pick_milli == b->issued_pick_milli &&
	       a->shelved_po_milli == b->shelved_po_milli &&
	       a->adj_approved == b->adj_approved;
}

static const char *show(char *buf, size_t cap, const svl__stock *s)
{
	snprintf(buf, cap, "bin %d '%s' %lld/%lld/%lld res_wo %lld iss_wo %lld "
		 "iss_pick %lld po %lld adj %u", s->has_bin, s->bin,
		 (long long)s->sellable_milli, (long long)s->quarantined_milli,
		 (long long)s->reserved_milli, (long long)s->reserved_wo_milli,
		 (long long)s->issued_wo_milli, (long long)s->issued_pick_milli,
		 (long long)s->shelved_po_milli, s->adj_approved);
	return buf;
}

static svl_value sv(const char *s)
{
	return svl_val_strn(s, strlen(s));
}

static int compare_fn(svl_txn *txn, void *payload)
{
	cmp_arg *a = payload;
	svl__dctx c;
	svl_head head;
	memset(&c, 0, sizeof c);
	c.txn = txn;
	cr_assert_eq(svl__index_open(&c), SVL_OK);
	cr_assert_eq(svl_txn_head(txn, &head), SVL_OK);
	for (int i = 0; i < 64; i++) {
		svl_value part = sv(PARTS[i & 1]), bin = sv(BINS[(i >> 1) & 1]);
		svl_value wo = sv(WOS[(i >> 2) & 1]), pick = sv(PICKS[(i >> 3) & 1]);
		svl_value po = sv(POS[(i >> 4) & 1]), stk = sv("STK1");
		svl__stock_q q = {.bin = &bin, .wo_id = &wo, .pick_id = &pick,
				  .po_id = &po, .stk_id = &stk,
				  .adj_no = 1 + (i >> 5)};
		svl__stock now, fold;
		cr_assert_eq(svl__stock_fold(&c, &part, &q, &now), SVL_OK);
		q.upto_seq = head.seq;
		cr_assert_eq(svl__stock_fold(&c, &part, &q, &fold), SVL_OK);
		char x[160], y[160];
		cr_assert(same_stock(&now, &fold), "seed %llu, query %d: index "
			  "%s, fold %s", (unsigned long long)a->seed, i,
			  show(x, sizeof x, &now), show(y, sizeof y, &fold));
		a->compared++;
	}
	return SVL_OK;
}

Test(rules, stock_counters_equal_the_stream_fold)
{
	uint64_t seed = svl_test_seed(), st = seed;
	rt t;
	rt_open_ex(&t, 0);
	for (int round = 0; round < 4; round++) {
		svl_event_in evs[64];
		uint8_t *bufs = malloc(64 * 1024);
		char json[64][400], streams[64][SVL_STREAM_MAX + 1];
		cr_assert(bufs);
		for (int i = 0; i < 64; i++) {
			uint32_t type;
			svl_event_error err;
			size_t len = 0, slen = 0;
			random_move(&st, json[i], sizeof json[i], &type);
			if (i == 0 && round == 0) {
				type = SVL_T_BIN_ASSIGNED;
				snprintf(json[i], sizeof json[i], "{\"part_no\": "
					 "\"P1\", \"bin\": \"%s\"}", BINS[0]);
			}
			cr_assert_eq(svl_event_from_json_text(bufs + i * 1024, 1024,
				     &len, type, json[i], strlen(json[i]), &err),
				     SVL_OK, "%s: %s", json[i], err.msg);
			cr_assert_eq(svl_event_stream_of(streams[i], sizeof streams[i],
				     &slen, type, svl_event_type_get(type)->version,
				     bufs + i * 1024, len), SVL_OK);
			memset(&evs[i], 0, sizeof evs[i]);
			evs[i] = (svl_event_in){.stream = streams[i], .stream_len = slen,
				.type = type, .schema_version =
				svl_event_type_get(type)->version,
				.occurred_at_ms = RT_T0, .actor = "E1", .actor_len = 2,
				.role = "warehouse_keeper", .role_len = 16,
				.payload = bufs + i * 1024, .payload_len = len,
				.expected_version = SVL_VERSION_ANY};
		}
		/* around the deciders: the index catches up when asked */
		cr_assert_eq(svl_log_append(t.log, evs, 64, NULL), SVL_OK, "%s",
			     svl_log_errmsg(t.log));
		free(bufs);
		cmp_arg a = {seed, 0};
		cr_assert_eq(svl_log_write(t.log, compare_fn, &a), SVL_OK);
		cr_assert_eq(a.compared, 64);
	}
	rt_close(&t);
}
