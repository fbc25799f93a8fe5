/*
 * test_bench_peer.c - the bench's peer for the projections and its scale
 * chart, at tiny sizes: the stock cards rebuilt on SQLite (in SQL and in
 * C over a cursor) equal ours over every kind of movement that changes on
 * hand or value, the check fails when they do not, `bench --peer sqlite`
 * passes its check end to end, and the scale record draws as well-formed
 * SVG for three sizes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "chart.h"
#include "cli_fixture.h"
#include "svcledger.h"

#define run svl_cli_run
#define last svl_cli_last

TestSuite(bench_peer, .init = svl_cli_setup, .fini = svl_cli_teardown,
	  .timeout = 120);

#define BIN "W1-R01-1-01"
#define EV(type, payload)                                                      \
	"{\"type\":\"" type "\",\"actor\":\"E001\",\"role\":"                  \
	"\"service_manager\",\"occurred_at_ms\":1782864000000,"                \
	"\"payload\":" payload "}"

/* Every movement of stock_moves.def that changes on hand or value, with
 * rounding at each step, an issue past what is on the shelf (on hand
 * below zero) and a receipt into that, and a second card. */
static const char *const story[] = {
    EV("parts_shelved", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			"\"qty_milli\":10000,\"unit_cost_fen\":1234}"),
    EV("parts_shelved", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			"\"qty_milli\":3000,\"unit_cost_fen\":999}"),
    EV("parts_issued", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
		       "\"qty_milli\":4500,\"pick_id\":\"PK-1\","
		       "\"wo_id\":\"WO-1\"}"),
    EV("parts_returned_to_stock", "{\"part_no\":\"P-1\",\"bin\":\"" BIN
				  "\",\"qty_milli\":500,\"wo_id\":\"WO-1\"}"),
    EV("parts_quarantined", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			    "\"qty_milli\":1000,\"reason\":\"bent\"}"),
    EV("parts_quarantined", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			    "\"qty_milli\":2000,\"reason\":\"leaks\","
			    "\"wo_id\":\"WO-1\"}"),
    EV("quarantine_released", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			      "\"qty_milli\":1500,\"outcome\":\"restocked\"}"),
    EV("quarantine_released", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			      "\"qty_milli\":500,"
			      "\"outcome\":\"returned_to_supplier\"}"),
    EV("adjustment_approved", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			      "\"delta_qty_milli\":-333,\"stk_id\":\"STK-1\","
			      "\"adj_no\":1}"),
    EV("adjustment_approved", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			      "\"delta_qty_milli\":111,\"stk_id\":\"STK-1\","
			      "\"adj_no\":2}"),
    EV("writeoff_approved", "{\"wof_id\":\"WOF-1\",\"total_fen\":700,"
			    "\"lines\":[{\"part_no\":\"P-1\",\"bin\":\"" BIN
			    "\",\"qty_milli\":700,\"unit_cost_fen\":1000}]}"),
    EV("parts_issued", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
		       "\"qty_milli\":50000,\"pick_id\":\"PK-2\"}"),
    EV("parts_shelved", "{\"part_no\":\"P-1\",\"bin\":\"" BIN "\","
			"\"qty_milli\":5000,\"unit_cost_fen\":1501}"),
    EV("parts_shelved", "{\"part_no\":\"P-2\",\"bin\":\"W2-R02-2-02\","
			"\"qty_milli\":7,\"unit_cost_fen\":333}"),
    EV("parts_issued", "{\"part_no\":\"P-2\",\"bin\":\"W2-R02-2-02\","
		       "\"qty_milli\":3,\"pick_id\":\"PK-3\"}"),
};
#define STORY_N (sizeof story / sizeof story[0])

/* A ledger under valuation v holding the story; the caller closes it. */
static svl_ledger *story_ledger(const char *dir, enum svl_valuation v)
{
	svl_rules rules;
	svl_rules_default(&rules);
	rules.valuation = v;
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE | SVL_LOG_NOSYNC;
	o.rules = &rules;
	svl_ledger *l;
	cr_assert_eq(svl_ledger_open(&l, dir, &o), SVL_OK, "%s",
		     svl_log_last_error());
	static uint8_t buf[1 << 20];
	svl_event_arena arena = {buf, sizeof buf, 0};
	svl_event_in evs[STORY_N];
	for (size_t i = 0; i < STORY_N; i++) {
		svl_event_error err;
		cr_assert_eq(svl_event_input_json(&evs[i], &arena, story[i],
						  strlen(story[i]), &err),
			     SVL_OK, "line %zu: %s: %s", i, err.path, err.msg);
	}
	cr_assert_eq(svl_log_append(svl_ledger_log(l), evs, STORY_N, NULL),
		     SVL_OK, "%s", svl_ledger_errmsg(l));
	return l;
}

Test(bench_peer, sql_and_c_equal_our_cards_over_every_valued_move)
{
	char dir[4200], db[4200], err[512];
	snprintf(dir, sizeof dir, "%s/l", svl_cli_dir());
	snprintf(db, sizeof db, "%s/peer.db", svl_cli_dir());
	svl_ledger *l = story_ledger(dir, SVL_VALUATION_MOVING_AVERAGE);
	bench_stock_figs f;
	int rc = bench_stock_peer(db, l, &f, err, sizeof err);
	svl_ledger_close(l);
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(f.mismatches, 0);
	cr_assert_eq(f.cards, 2);
	/* every story line moves once, the two quarantines and releases
	 * included; none is skipped */
	cr_assert_eq(f.movements, STORY_N, "%llu movements",
		     (unsigned long long)f.movements);
	cr_assert_eq(f.load.ops, STORY_N);
	cr_assert_eq(f.sql.ops, STORY_N);
	cr_assert_eq(f.cursor.ops, STORY_N);
	cr_assert_eq(f.ours_fold.ops, STORY_N);
	cr_assert_gt(f.asof.ops, 0);
}

/* Ours valued at the latest cost, theirs at the moving average: the
 * check must say which card differs, and fail. */
Test(bench_peer, the_check_fails_when_a_card_differs)
{
	char dir[4200], db[4200], err[512];
	snprintf(dir, sizeof dir, "%s/l", svl_cli_dir());
	snprintf(db, sizeof db, "%s/peer.db", svl_cli_dir());
	svl_ledger *l = story_ledger(dir, SVL_VALUATION_LATEST_COST);
	bench_stock_figs f;
	int rc = bench_stock_peer(db, l, &f, err, sizeof err);
	svl_ledger_close(l);
	cr_assert_eq(rc, -1);
	cr_assert_gt(f.mismatches, 0);
	cr_assert(strstr(err, "differs from ours at P-") != NULL, "%s", err);
}

Test(bench_peer, bench_with_the_peer_passes_its_check_and_records)
{
	cr_assert_eq(run("bench --events 2000 --proj-events 2000 --peer sqlite"
			 " --scale-record scale.txt --dir ."),
		     0, "%s\n%s", last.out, last.err);
	static const char *const want[] = {
	    "PRAGMA integrity_check", "stock-card projection",
	    "rebuild: SQL", "rebuild: C over an SQLite cursor",
	    "SQL == C == ours", "the same C fold over our log",
	    "as-of a card at a seq", "appended to"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(svl_cli_has(last.out, want[i]), "no '%s' in:\n%s",
			  want[i], last.out);
	char path[4200];
	bench_scale_row rows[4];
	size_t n;
	snprintf(path, sizeof path, "%s/scale.txt", svl_cli_dir());
	cr_assert_eq(bench_scale_read(path, rows, 4, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(rows[0].v[BENCH_SCALE_EVENTS], 2000);
	for (int k = BENCH_SCALE_APPEND; k < BENCH_SCALE_FIGS; k++)
		cr_assert_gt(rows[0].v[k], 0, "figure %d not recorded", k);
}

/* Three sizes drawn: one outer <svg> around five charts, the sizes as
 * labels, and (with xmllint) well-formed XML. */
Test(bench_peer, scale_svg_of_three_sizes_is_well_formed)
{
	char rec[4200];
	snprintf(rec, sizeof rec, "%s/scale.txt", svl_cli_dir());
	static const int64_t sizes[] = {10000000, 100000, 1000000};
	for (size_t i = 0; i < 3; i++) {
		bench_scale_row row;
		for (int k = 0; k < BENCH_SCALE_FIGS; k++)
			row.v[k] = 1000 * (k + 1) + (int64_t)i * 7;
		row.v[BENCH_SCALE_EVENTS] = sizes[i];
		row.v[BENCH_SCALE_PROJ_EVENTS] = sizes[i];
		row.v[BENCH_SCALE_VERIFY_SQLITE] = i == 2 ? 0 : 55; /* a gap */
		cr_assert_eq(bench_scale_record(rec, &row), 0);
	}
	cr_assert_eq(run("bench --scale-record scale.txt --scale-svg s.svg"), 0,
		     "%s", last.err);
	char path[4200];
	snprintf(path, sizeof path, "%s/s.svg", svl_cli_dir());
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	static char text[1 << 20];
	size_t len = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[len] = '\0';
	int svgs = 0;
	for (const char *p = text; (p = strstr(p, "<svg")) != NULL; p++)
		svgs++;
	cr_assert_eq(svgs, 6, "%d <svg> elements", svgs);
	cr_assert(strncmp(text, "<svg", 4) == 0);
	cr_assert(strstr(text, ">100k<") && strstr(text, ">1M<") &&
		  strstr(text, ">10M<"));
	/* sorted by size: 100k is the first label */
	cr_assert(strstr(text, ">100k<") < strstr(text, ">10M<"));
	if (system("command -v xmllint >/dev/null 2>&1") != 0)
		cr_skip_test("skipped: xmllint not found (apt-get install "
			     "libxml2-utils): the SVG's well-formedness was "
			     "not checked");
	char cmd[8600];
	snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
	cr_assert_eq(system(cmd), 0, "xmllint refuses %s", path);
}

Test(bench_peer, scale_svg_needs_the_record)
{
	cr_assert_neq(run("bench --scale-svg s.svg"), 0);
	cr_assert(svl_cli_has(last.err, "--scale-record"), "%s", last.err);
}
