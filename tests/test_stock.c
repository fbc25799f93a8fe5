/*
 * test_stock.c - stock cards: movements and their values worked out by
 * hand, reconciling items, as-of (by seq, known time, business time)
 * against a naive model, conservation over 100,000 seeded operations,
 * rebuild == incremental, and a valuation rule change.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "ledger_fixture.h"
#include "svl_stock.h"

#define DAY INT64_C(86400000)
#define P "90915-YZZD4"
#define B "A-01-02-03"

static char *dir;
static svl_ledger *led;

static void setup(void)
{
	led = svl_test_ledger(&dir, NULL);
}

static void teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

TestSuite(stock, .init = setup, .fini = teardown);

static uint64_t shelve(int64_t at, int64_t qty, int64_t cost)
{
	return svl_test_putf(led, SVL_T_PARTS_SHELVED, at,
			     "{\"part_no\":\"" P "\",\"bin\":\"" B "\","
			     "\"qty_milli\":%lld,\"unit_cost_fen\":%lld,"
			     "\"po_id\":\"PO-1\",\"supplier_id\":\"SUP-9\"}",
			     (long long)qty, (long long)cost);
}

static uint64_t issue(int64_t at, int64_t qty, const char *wo)
{
	return svl_test_putf(led, SVL_T_PARTS_ISSUED, at,
			     "{\"part_no\":\"" P "\",\"bin\":\"" B "\","
			     "\"qty_milli\":%lld,\"pick_id\":\"PK-1\","
			     "\"wo_id\":\"%s\"}",
			     (long long)qty, wo);
}

static svl_stock_card card_now(void)
{
	svl_stock_card c;
	cr_assert_eq(svl_stock_card_get(led, P, B, NULL, &c), SVL_OK, "%s",
		     svl_ledger_errmsg(led));
	return c;
}

Test(stock, moving_average_values_worked_by_hand_R_BIN_2)
{
	int64_t t = SVL_TEST_T0;
	shelve(t, 10000, 100);            /* 10 @ 1.00: value 1000 */
	shelve(t + 1, 10000, 130);        /* +10 @ 1.30: 2300, avg 115 */
	issue(t + 2, 5000, "WO-1");       /* out round(2300*5/20) = 575 */
	svl_stock_card c = card_now();
	cr_assert_eq(c.f.on_hand_milli, 15000);
	cr_assert_eq(c.f.value_fen, 1725);
	cr_assert_eq(c.f.last_cost_fen, 130);
	svl_test_putf(led, SVL_T_PARTS_RETURNED_TO_STOCK, t + 3,
		      "{\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		      "1000,\"wo_id\":\"WO-1\"}"); /* +1 at avg 115: 1840 */
	svl_test_putf(led, SVL_T_ADJUSTMENT_APPROVED, t + 4,
		      "{\"part_no\":\"" P "\",\"bin\":\"" B "\","
		      "\"delta_qty_milli\":-2000,\"stk_id\":\"STK-1\","
		      "\"adj_no\":1}"); /* -2: out round(1840*2/16)=230 */
	c = card_now();
	cr_assert_eq(c.f.on_hand_milli, 14000);
	cr_assert_eq(c.f.value_fen, 1610);
	cr_assert_eq(c.f.unsettled_issued_milli, 4000, "5 issued, 1 back");
	cr_assert_eq(c.f.received_milli, 20000);
	cr_assert_eq(c.f.issued_milli, 5000);
	cr_assert_eq(c.f.returned_milli, 1000);
	cr_assert_eq(c.f.adjusted_milli, -2000);
	cr_assert_eq(c.lines, 5);
}

Test(stock, writeoff_held_until_disposed_R_WOF_5)
{
	int64_t t = SVL_TEST_T0;
	shelve(t, 14000, 115); /* value 1610 */
	svl_test_putf(led, SVL_T_WRITEOFF_APPROVED, t + 1,
		      "{\"wof_id\":\"WOF-1\",\"total_fen\":460,\"lines\":[{"
		      "\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		      "4000,\"unit_cost_fen\":115}]}");
	svl_stock_card c = card_now();
	cr_assert_eq(c.f.on_hand_milli, 10000);
	cr_assert_eq(c.f.value_fen, 1150); /* 1610 - round(1610*4/14) */
	cr_assert_eq(c.f.wof_held_milli, 4000);
	cr_assert_eq(c.f.wof_held_value_fen, 460);
	cr_assert_eq(c.f.written_off_milli, 4000);
	svl_test_putf(led, SVL_T_WRITEOFF_DISPOSED, t + 2,
		      "{\"wof_id\":\"WOF-1\",\"method\":\"scrapped\",\"lines\":[{"
		      "\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		      "4000}]}");
	c = card_now();
	cr_assert_eq(c.f.wof_held_milli, 0);
	cr_assert_eq(c.f.wof_held_value_fen, 0);
	cr_assert_eq(c.f.on_hand_milli, 10000, "disposal leaves on hand alone");
}

Test(stock, settlement_clears_unsettled_issues)
{
	int64_t t = SVL_TEST_T0;
	shelve(t, 10000, 100);
	issue(t + 1, 2000, "WO-7");
	issue(t + 2, 1000, "WO-8");
	cr_assert_eq(card_now().f.unsettled_issued_milli, 3000);
	svl_test_putf(led, SVL_T_SETTLEMENT_ISSUED, t + 3,
		      "{\"wo_id\":\"WO-7\",\"labor_fen\":100,\"parts_fen\":200,"
		      "\"materials_fen\":0,\"total_fen\":300,"
		      "\"customer_signed\":true}");
	cr_assert_eq(card_now().f.unsettled_issued_milli, 1000);
}

Test(stock, quarantine_is_a_separate_ledger_R_BIN_3)
{
	int64_t t = SVL_TEST_T0;
	shelve(t, 10000, 100);
	svl_test_putf(led, SVL_T_PARTS_QUARANTINED, t + 1,
		      "{\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		      "3000,\"reason\":\"cracked housing\"}");
	svl_stock_card c = card_now();
	cr_assert_eq(c.f.on_hand_milli, 7000);
	cr_assert_eq(c.f.quarantined_milli, 3000);
	cr_assert_eq(c.f.quarantined_value_fen, 300);
	svl_test_putf(led, SVL_T_QUARANTINE_RELEASED, t + 2,
		      "{\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		      "1000,\"outcome\":\"restocked\"}");
	svl_test_putf(led, SVL_T_QUARANTINE_RELEASED, t + 3,
		      "{\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		      "2000,\"outcome\":\"returned_to_supplier\"}");
	c = card_now();
	cr_assert_eq(c.f.on_hand_milli, 8000);
	cr_assert_eq(c.f.quarantined_milli, 0);
	cr_assert_eq(c.f.value_fen, 800);
}

Test(stock, claims_pending_until_settled_R_RCV_3)
{
	int64_t t = SVL_TEST_T0;
	shelve(t, 1000, 100);
	svl_test_putf(led, SVL_T_DISCREPANCY_RECORDED, t + 1,
		      "{\"po_id\":\"PO-1\",\"slip_no\":\"DS-1\",\"claim_against\":"
		      "\"supplier\",\"lines\":[{\"part_no\":\"" P "\","
		      "\"qty_milli\":2000,\"kind\":\"damaged\",\"amount_fen\":200}]}");
	cr_assert_eq(card_now().f.claims_pending_milli, 2000);
	svl_test_putf(led, SVL_T_CLAIM_SETTLED, t + 2,
		      "{\"po_id\":\"PO-1\",\"slip_no\":\"DS-1\",\"outcome\":"
		      "\"accepted\",\"recovered_fen\":200}");
	cr_assert_eq(card_now().f.claims_pending_milli, 0);
}

Test(stock, late_receipt_changes_what_we_now_know_not_what_we_knew)
{
	int64_t t = SVL_TEST_T0; /* 30 Sep 00:00 UTC */
	int64_t rec1 = t + 2 * DAY, rec2 = t + 5 * DAY;
	svl_test_put(led, SVL_T_PARTS_SHELVED, t + 10 * 3600000, rec1,
		     "{\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		     "5000,\"unit_cost_fen\":100}");
	/* entered on 5 Oct, happened on 30 Sep 15:00 */
	svl_test_put(led, SVL_T_PARTS_SHELVED, t + 15 * 3600000, rec2,
		     "{\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		     "3000,\"unit_cost_fen\":100}");
	svl_stock_card c;
	svl_asof known = {SVL_ASOF_KNOWN, 0, t + 3 * DAY};
	cr_assert_eq(svl_stock_card_get(led, P, B, &known, &c), SVL_OK);
	cr_assert_eq(c.f.on_hand_milli, 5000, "on 3 Oct the book said 5");
	svl_asof occurred = {SVL_ASOF_OCCURRED, 0, t + 18 * 3600000};
	cr_assert_eq(svl_stock_card_get(led, P, B, &occurred, &c), SVL_OK);
	cr_assert_eq(c.f.on_hand_milli, 8000, "we now know 8 were there");
	occurred.at_ms = t + 12 * 3600000;
	cr_assert_eq(svl_stock_card_get(led, P, B, &occurred, &c), SVL_OK);
	cr_assert_eq(c.f.on_hand_milli, 5000, "by 12:00 only the first");
	occurred.at_ms = t - 1;
	cr_assert_eq(svl_stock_card_get(led, P, B, &occurred, &c),
		     SVL_ENOTFOUND);
}

Test(stock, unknown_card_is_not_found_with_message)
{
	svl_stock_card c;
	cr_assert_eq(svl_stock_card_get(led, "NOPE", NULL, NULL, &c),
		     SVL_ENOTFOUND);
	cr_assert(strstr(svl_ledger_errmsg(led), "NOPE") != NULL, "%s",
		  svl_ledger_errmsg(led));
}

/* ---- seeded random operations against a naive model ---- */

#define PARTS 4

__extension__ typedef __int128 i128;

typedef struct model {
	int64_t on_hand[PARTS], value[PARTS], last_cost[PARTS];
	int64_t received[PARTS], issued[PARTS], returned[PARTS];
	int64_t adjusted[PARTS], written_off[PARTS];
} model;

static const char *part_name(int p)
{
	static const char *names[PARTS] = {"P-100", "P-200", "P-300", "P-400"};
	return names[p];
}

static int64_t rnd_div(int64_t a, int64_t b) /* half away from zero */
{
	i128 x = a;
	return (int64_t)(x >= 0 ? (x + b / 2) / b : -((-x + b / 2) / b));
}

static int64_t model_out(model *m, int p, int64_t q)
{
	int64_t v, h = m->on_hand[p];
	if (h <= 0) {
		v = rnd_div(q * m->last_cost[p], 1000);
	} else if (q >= h) {
		v = m->value[p];
	} else {
		i128 x = (i128)m->value[p] * q;
		v = (int64_t)(x >= 0 ? (x + h / 2) / h : -((-x + h / 2) / h));
	}
	m->on_hand[p] -= q;
	m->value[p] -= v;
	return v;
}

static int64_t model_avg(const model *m, int p)
{
	if (m->on_hand[p] <= 0)
		return m->last_cost[p];
	i128 x = (i128)m->value[p] * 1000;
	int64_t h = m->on_hand[p];
	return (int64_t)(x >= 0 ? (x + h / 2) / h : -((-x + h / 2) / h));
}

/* One random operation as JSON; applies it to the model. */
static uint32_t random_op(model *m, unsigned *seed, char *json, size_t cap)
{
	int p = (int)(rand_r(seed) % PARTS);
	int64_t q = 1 + (int64_t)(rand_r(seed) % 5000);
	int kind = (int)(rand_r(seed) % 10);
	const char *pn = part_name(p);
	if (kind < 4 || m->on_hand[p] < q) { /* receipt */
		int64_t cost = 50 + (int64_t)(rand_r(seed) % 200);
		snprintf(json, cap,
			 "{\"part_no\":\"%s\",\"bin\":\"W1-R%d-S1-P1\","
			 "\"qty_milli\":%lld,\"unit_cost_fen\":%lld}",
			 pn, p, (long long)q, (long long)cost);
		m->on_hand[p] += q;
		m->value[p] += rnd_div(q * cost, 1000);
		m->last_cost[p] = cost;
		m->received[p] += q;
		return SVL_T_PARTS_SHELVED;
	}
	if (kind < 7) {
		snprintf(json, cap,
			 "{\"part_no\":\"%s\",\"bin\":\"W1-R%d-S1-P1\","
			 "\"qty_milli\":%lld,\"pick_id\":\"PK\"}",
			 pn, p, (long long)q);
		model_out(m, p, q);
		m->issued[p] += q;
		return SVL_T_PARTS_ISSUED;
	}
	if (kind < 8) {
		snprintf(json, cap,
			 "{\"part_no\":\"%s\",\"bin\":\"W1-R%d-S1-P1\","
			 "\"qty_milli\":%lld}",
			 pn, p, (long long)q);
		int64_t avg = model_avg(m, p);
		m->on_hand[p] += q;
		m->value[p] += rnd_div(q * avg, 1000);
		m->returned[p] += q;
		return SVL_T_PARTS_RETURNED_TO_STOCK;
	}
	if (kind < 9) {
		int64_t d = (rand_r(seed) % 2) ? q : -q;
		snprintf(json, cap,
			 "{\"part_no\":\"%s\",\"bin\":\"W1-R%d-S1-P1\","
			 "\"delta_qty_milli\":%lld,\"stk_id\":\"S\",\"adj_no\":1}",
			 pn, p, (long long)d);
		if (d > 0) {
			int64_t avg = model_avg(m, p);
			m->on_hand[p] += d;
			m->value[p] += rnd_div(d * avg, 1000);
		} else {
			model_out(m, p, -d);
		}
		m->adjusted[p] += d;
		return SVL_T_ADJUSTMENT_APPROVED;
	}
	snprintf(json, cap,
		 "{\"wof_id\":\"W\",\"total_fen\":0,\"lines\":[{\"part_no\":"
		 "\"%s\",\"bin\":\"W1-R%d-S1-P1\",\"qty_milli\":%lld,"
		 "\"unit_cost_fen\":0}]}",
		 pn, p, (long long)q);
	model_out(m, p, q);
	m->written_off[p] += q;
	return SVL_T_WRITEOFF_APPROVED;
}

static void check_model(const model *m, const svl_asof *asof)
{
	for (int p = 0; p < PARTS; p++) {
		char bin[32];
		svl_stock_card c;
		snprintf(bin, sizeof bin, "W1-R%d-S1-P1", p);
		int rc = svl_stock_card_get(led, part_name(p), bin, asof, &c);
		if (rc == SVL_ENOTFOUND && m->received[p] == 0)
			continue;
		cr_assert_eq(rc, SVL_OK, "%s", svl_ledger_errmsg(led));
		cr_assert_eq(c.f.on_hand_milli, m->on_hand[p], "part %d", p);
		cr_assert_eq(c.f.value_fen, m->value[p], "part %d value", p);
		/* conservation: receipts - issues +/- adjustments - write-offs
		 * (+ returns) = on hand */
		cr_assert_eq(c.f.received_milli + c.f.returned_milli +
				     c.f.adjusted_milli - c.f.issued_milli -
				     c.f.written_off_milli,
			     c.f.on_hand_milli, "conservation, part %d", p);
	}
}

static void append_ops(unsigned seed, int n, int batch, model *m,
		       model *snap, uint64_t *snap_seq, int snaps)
{
	static svl_event_in evs[1000];
	static uint8_t payloads[1000][512];
	static char streams[1000][64];
	char json[512];
	int taken = 0;
	for (int i = 0; i < n; i += batch) {
		int k = n - i < batch ? n - i : batch;
		for (int j = 0; j < k; j++) {
			uint32_t type = random_op(m, &seed, json, sizeof json);
			size_t len, slen;
			svl_event_error err;
			cr_assert_eq(svl_event_from_json_text(payloads[j], 512,
							      &len, type, json,
							      strlen(json), &err),
				     SVL_OK, "%s", err.msg);
			svl_event_stream_of(streams[j], 64, &slen, type,
					    svl_event_type_get(type)->version,
					    payloads[j], len);
			memset(&evs[j], 0, sizeof evs[j]);
			evs[j].stream = streams[j];
			evs[j].stream_len = slen;
			evs[j].type = type;
			evs[j].schema_version = svl_event_type_get(type)->version;
			evs[j].occurred_at_ms = SVL_TEST_T0 + i + j;
			evs[j].payload = payloads[j];
			evs[j].payload_len = len;
			evs[j].expected_version = SVL_VERSION_ANY;
		}
		svl_position pos[1000];
		cr_assert_eq(svl_log_append(svl_ledger_log(led), evs, (size_t)k,
					    pos),
			     SVL_OK, "%s", svl_ledger_errmsg(led));
		if (snap && taken < snaps && rand_r(&seed) % 3 == 0) {
			snap[taken] = *m;
			snap_seq[taken++] = pos[k - 1].seq;
		}
	}
}

Test(stock, conservation_over_100000_seeded_operations, .timeout = 240)
{
	unsigned seed = (unsigned)(getenv("SVL_SEED") ? atoi(getenv("SVL_SEED"))
						       : 20261127);
	cr_log_info("seed %u (set SVL_SEED to replay)", seed);
	model m;
	memset(&m, 0, sizeof m);
	append_ops(seed, 100000, 1000, &m, NULL, NULL, 0);
	check_model(&m, NULL);
}

Test(stock, as_of_seq_equals_naive_replay_at_random_points)
{
	unsigned seed = 77;
	model m, snap[20];
	uint64_t at[20] = {0};
	memset(&m, 0, sizeof m);
	memset(snap, 0, sizeof snap);
	append_ops(seed, 3000, 50, &m, snap, at, 20);
	int checked = 0;
	for (int i = 0; i < 20 && at[i]; i++, checked++) {
		svl_asof a = {SVL_ASOF_SEQ, at[i], 0};
		check_model(&snap[i], &a);
	}
	cr_assert_gt(checked, 5, "too few snapshots taken");
	check_model(&m, NULL);
}

Test(stock, rebuild_digest_equals_incremental_and_check_passes)
{
	model m;
	memset(&m, 0, sizeof m);
	append_ops(5, 2000, 100, &m, NULL, NULL, 0);
	svl_projection_info before[SVL_PROJECTIONS], after[SVL_PROJECTIONS];
	cr_assert_eq(svl_ledger_projections(led, before, SVL_PROJECTIONS),
		     SVL_OK);
	int ok = 0;
	char detail[256];
	cr_assert_eq(svl_ledger_check(led, &ok, detail, sizeof detail), SVL_OK);
	cr_assert(ok, "%s", detail);
	svl_rebuild_options o = SVL_REBUILD_OPTIONS_INIT;
	o.flags = SVL_REBUILD_DIFF | SVL_REBUILD_SWITCH;
	svl_rebuild_report rep;
	cr_assert_eq(svl_ledger_rebuild(led, NULL, &o, &rep), SVL_OK, "%s",
		     svl_ledger_errmsg(led));
	cr_assert_eq(rep.changed[0], 0);
	cr_assert(rep.switched);
	cr_assert_eq(svl_ledger_projections(led, after, SVL_PROJECTIONS),
		     SVL_OK);
	cr_assert_eq(memcmp(before[0].digest, after[0].digest, 16), 0);
	cr_assert_neq(before[0].live_slot, after[0].live_slot);
	check_model(&m, NULL);
}

static void count_diff(const svl_rebuild_diff *d, void *payload)
{
	if (d->what && strstr(d->what, "stock " P "@" B))
		(*(int *)payload)++;
}

Test(stock, valuation_rule_change_moves_value_only)
{
	int64_t t = SVL_TEST_T0;
	shelve(t, 10000, 100);
	shelve(t + 1, 10000, 130);
	issue(t + 2, 5000, "WO-1");
	svl_stock_card c = card_now();
	cr_assert_eq(c.f.value_fen, 1725);
	svl_rules r;
	svl_rules_default(&r);
	strcpy(r.id, "latest-cost");
	r.valuation = SVL_VALUATION_LATEST_COST;
	int changed = 0;
	svl_rebuild_options o = SVL_REBUILD_OPTIONS_INIT;
	o.flags = SVL_REBUILD_DIFF;
	o.diff = count_diff;
	o.payload = &changed;
	svl_rebuild_report rep;
	cr_assert_eq(svl_ledger_rebuild(led, &r, &o, &rep), SVL_OK);
	cr_assert_eq(changed, 1, "the card's summary line is reported");
	cr_assert_eq(card_now().f.value_fen, 1725, "not switched yet");
	o.flags = SVL_REBUILD_SWITCH;
	cr_assert_eq(svl_ledger_rebuild(led, &r, &o, &rep), SVL_OK);
	c = card_now();
	cr_assert_eq(c.f.value_fen, 1950, "15 on hand at the latest 1.30");
	cr_assert_eq(c.f.on_hand_milli, 15000, "quantities do not move");
	svl_rules live;
	cr_assert_eq(svl_ledger_rules(led, &live), SVL_OK);
	cr_assert_str_eq(live.id, "latest-cost");
}

struct tamper {
	uint64_t seq;
};

/* Change the balance stored on the card line of event `seq`, as a bad
 * write to the projection would (not through the fold). */
static int tamper_fn(svl_txn *t, void *payload)
{
	struct tamper *a = payload;
	unsigned table;
	int rc = svl_log_table(svl_txn_log(t), "p.stock.a", &table);
	if (rc != SVL_OK)
		return rc;
	svl_cursor *cur;
	svl_kv kv;
	if ((rc = svl_cursor_open(t, table, &cur)) != SVL_OK)
		return rc;
	uint8_t key[256], val[512];
	size_t kl = 0, vl = 0;
	for (rc = svl_cursor_seek(cur, "l", 1, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		const uint8_t *k = kv.key;
		if (k[0] != 'l')
			break;
		uint64_t seq = 0;
		for (int i = 0; i < 8; i++)
			seq = seq << 8 | k[kv.key_len - 8 + (size_t)i];
		if (seq == a->seq) {
			kl = kv.key_len;
			vl = kv.val_len;
			memcpy(key, kv.key, kl);
			memcpy(val, kv.val, vl);
			break;
		}
	}
	svl_cursor_close(cur);
	if (!kl)
		return SVL_ENOTFOUND;
	val[vl - 1] ^= 0x01; /* the last figure: claims pending */
	return svl_txn_put(t, table, key, kl, val, vl);
}

Test(stock, check_names_the_first_event_where_a_card_diverges)
{
	int64_t t = SVL_TEST_T0;
	shelve(t, 10000, 100);
	uint64_t bad_seq = issue(t + 1, 2000, "WO-1");
	issue(t + 2, 1000, "WO-2");
	int ok = 1;
	char detail[512];
	cr_assert_eq(svl_ledger_check(led, &ok, detail, sizeof detail), SVL_OK);
	cr_assert(ok, "%s", detail);
	struct tamper a = {bad_seq};
	cr_assert_eq(svl_log_write(svl_ledger_log(led), tamper_fn, &a), SVL_OK);
	cr_assert_eq(svl_ledger_check(led, &ok, detail, sizeof detail), SVL_OK);
	cr_assert_not(ok);
	char want[64];
	snprintf(want, sizeof want, "first diverge at seq %llu",
		 (unsigned long long)bad_seq);
	cr_assert(strstr(detail, want), "%s", detail);
	cr_assert(strstr(detail, "stored digest does not match"), "%s", detail);
}

Test(stock, projections_lagging_the_log_catch_up_on_open)
{
	shelve(SVL_TEST_T0, 1000, 100);
	svl_ledger_close(led);
	led = NULL;
	/* a program that appends without the projections */
	svl_log *log;
	cr_assert_eq(svl_log_open(&log, dir, NULL), SVL_OK);
	uint8_t payload[256];
	size_t len;
	svl_event_error err;
	const char *json = "{\"part_no\":\"" P "\",\"bin\":\"" B "\","
			   "\"qty_milli\":2000,\"unit_cost_fen\":100}";
	cr_assert_eq(svl_event_from_json_text(payload, sizeof payload, &len,
					      SVL_T_PARTS_SHELVED, json,
					      strlen(json), &err),
		     SVL_OK, "%s", err.msg);
	uint8_t scratch[16];
	svl_event_in ev = svl_test_event("part-" P, scratch, 0);
	ev.type = SVL_T_PARTS_SHELVED;
	ev.payload = payload;
	ev.payload_len = len;
	int rc = svl_log_append(log, &ev, 1, NULL);
	cr_assert_eq(rc, SVL_OK, "%s", svl_log_errmsg(log));
	svl_log_close(log);
	led = svl_test_ledger_reopen(dir);
	svl_stock_card c = card_now();
	cr_assert_eq(c.f.on_hand_milli, 3000, "the raw append is folded in");
	svl_projection_info info[SVL_PROJECTIONS];
	cr_assert_eq(svl_ledger_projections(led, info, SVL_PROJECTIONS), SVL_OK);
	cr_assert_eq(info[0].checkpoint, 2);
}

static void job(const char *wo, const char *kind, const char *pick,
		const char *purpose)
{
	int64_t t = SVL_TEST_T0;
	svl_test_putf(led, SVL_T_BOOKING_REQUESTED, t,
		      "{\"wo_id\":\"%s\",\"customer_id\":\"C1\",\"owner_name\":"
		      "\"Li\",\"phone\":\"13800138000\",\"target\":"
		      "\"customer_request\",\"job_kind\":\"%s\",\"items\":\"x\","
		      "\"wanted_at_ms\":1790755200000}",
		      wo, kind);
	svl_test_putf(led, SVL_T_PICK_REQUESTED, t + 1,
		      "{\"pick_id\":\"%s\",\"wo_id\":\"%s\",\"purpose\":\"%s\","
		      "\"lines\":[{\"part_no\":\"" P "\",\"qty_milli\":2000}]}",
		      pick, wo, purpose);
	svl_test_putf(led, SVL_T_PARTS_ISSUED, t + 2,
		      "{\"part_no\":\"" P "\",\"bin\":\"" B "\",\"qty_milli\":"
		      "2000,\"pick_id\":\"%s\",\"wo_id\":\"%s\"}",
		      pick, wo);
}

Test(stock, old_parts_pending_follows_R_ISS_5)
{
	shelve(SVL_TEST_T0, 20000, 100);
	job("WO-1", "repair", "PK-1", "repair");
	cr_assert_eq(card_now().f.old_parts_pending_milli, 2000);
	svl_test_putf(led, SVL_T_OLD_PART_RETURNED, SVL_TEST_T0 + 3,
		      "{\"wo_id\":\"WO-1\",\"part_no\":\"" P "\",\"qty_milli\":"
		      "2000,\"warranty\":false}");
	cr_assert_eq(card_now().f.old_parts_pending_milli, 0, "handed back");
	job("WO-2", "maintenance", "PK-2", "repair");
	cr_assert_eq(card_now().f.old_parts_pending_milli, 0,
		     "maintenance swaps no old part");
	job("WO-3", "maintenance", "PK-3", "warranty");
	cr_assert_eq(card_now().f.old_parts_pending_milli, 2000,
		     "a warranty pick does, whatever the job");
	job("WO-4", "repair", "PK-4", "counter_sale");
	cr_assert_eq(card_now().f.old_parts_pending_milli, 2000,
		     "a counter sale does not");
}
