/*
 * test_cli_reconcile.c - `svcledger reconcile`: a blind count sheet
 * against the book as of the count (R-STK-1, R-STK-2, R-BIN-2): the three
 * sections, exit 0 with variances, the JSON figures, the adjustment
 * proposals (accepted by the deciders when appended), and bad input.
 *
 * On the fixture's stock ledger at 07-05 17:30 the book holds 6.5 of
 * 90915-YZZD4 (average 69.00) and 3 of 04465-06240 (460.00, one more in
 * quarantine). The sheet counts 6 (a loss of 34.50), 4 (a gain of
 * 460.00) and 0 of a part with no card (exact).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

static const char sheet[] = "bin,part,counted,counter\n"
			    "W1-A03-2-05,90915-YZZD4,6,E012\n"
			    "W1-A03-2-06,04465-06240,4,E012\n"
			    "W1-A09-9-09,NEW-PART,0,E012\n";

static void setup(void)
{
	svl_cli_setup();
	svl_cli_stock_ledger("L");
	svl_cli_write("count.csv", sheet);
}

TestSuite(cli_reconcile, .init = setup, .fini = svl_cli_teardown);

Test(cli_reconcile, three_sections_and_exit_0_with_variances)
{
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05T17:30"), 0,
		     "%s", last.err);
	const char *o = last.out;
	cr_assert(svl_cli_has(o, "reconciliation of 3 count lines at "
				 "2026-07-05 17:30 (UTC+08:00)"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "\n1. lines") &&
		  svl_cli_has(o, "\n2. reconciling items") &&
		  svl_cli_has(o, "\n3. summary"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "     2  W1-A03-2-05  90915-YZZD4   6.5        "
				 "6      -0.5      69.00  -34.50      34.50  "
				 "-7.7%  E012\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "  33.3%  E012\n"), "the gain: %s", o);
	/* the movements that explain the loss, under its line */
	cr_assert(svl_cli_has(o, "line 2, 90915-YZZD4 at W1-A03-2-05: no "
				 "previous count; 3 movements since"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "     16  2026-07-04 10:00  parts_issued   "
				 "PK-1  WO-1                 1      6.5"),
		  "%s", o);
	/* reconciling items: the issued part and the quarantined one */
	cr_assert(svl_cli_has(o, "  W1-A03-2-06  04465-06240             0      "
				 "             0            1  460.00"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "lines counted 3, agreeing with the book 1, "
				 "accuracy 33.3%"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "gains 460.00, losses 34.50, net variance "
				 "425.50, absolute variance 494.50"),
		  "%s", o);
	cr_assert_str_eq(last.err, "");
}

Test(cli_reconcile, json_lines_and_summary)
{
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05T17:30 "
			 "--json"),
		     0, "%s", last.err);
	json_t *v = svl_cli_json();
	json_t *lines = json_object_get(v, "lines");
	cr_assert_eq(json_array_size(lines), 3);
	json_t *l0 = json_array_get(lines, 0);
	cr_assert_eq(json_integer_value(json_object_get(l0, "book_milli")),
		     6500);
	cr_assert_eq(json_integer_value(json_object_get(l0, "variance_milli")),
		     -500);
	cr_assert_eq(json_integer_value(
			     json_object_get(l0, "variance_value_fen")),
		     -3450);
	cr_assert_eq(json_array_size(json_object_get(l0, "moves")), 3);
	json_t *s = json_object_get(v, "summary");
	cr_assert_eq(json_integer_value(json_object_get(s, "accuracy_bp")),
		     3333);
	cr_assert_eq(json_integer_value(json_object_get(s, "gains_value_fen")),
		     46000);
	cr_assert_eq(json_integer_value(
			     json_object_get(s, "losses_value_fen")),
		     3450);
	cr_assert_eq(json_integer_value(
			     json_object_get(s, "abs_variance_value_fen")),
		     49450);
	cr_assert_eq(json_integer_value(json_object_get(s, "quarantined_milli")),
		     1000);
	cr_assert_str_eq(json_string_value(json_object_get(v, "count_at")),
			 "2026-07-05T17:30:00.000+08:00");
	json_decref(v);
}

#define STK(type, actor, role, at, payload)                                   \
	"{\"type\":\"" type "\",\"actor\":\"" actor "\",\"role\":\"" role    \
	"\",\"occurred_at\":\"2026-07-05T" at ":00+08:00\",\"payload\":{"     \
	"\"stk_id\":\"STK-1\"," payload "}}\n"

Test(cli_reconcile, proposals_are_written_and_the_deciders_accept_them)
{
	svl_cli_write(
		"stk.ndjson",
		STK("stocktake_opened", "E010", "parts_manager", "17:00",
		    "\"kind\":\"monthly_full\",\"finance_present\":false")
		STK("stocktake_line_counted", "E012", "warehouse_keeper",
		    "17:30",
		    "\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\","
		    "\"counted_qty_milli\":6000")
		STK("stocktake_line_counted", "E012", "warehouse_keeper",
		    "17:30",
		    "\"part_no\":\"04465-06240\",\"bin\":\"W1-A03-2-06\","
		    "\"counted_qty_milli\":4000"));
	cr_assert_eq(run("append -d L stk.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05T17:30 "
			 "--proposals p.ndjson --stk-id STK-1 --actor E010"),
		     0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "wrote 2 adjustment proposals for "
					"stocktake STK-1 to p.ndjson"),
		  "%s", last.out);
	cr_assert_eq(run("append -d L --dry-run p.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L p.ndjson"), 0, "%s", last.err);
	cr_assert_str_eq(last.out, "appended 2 events (seq 20..21)\n");
	/* proposed, not approved (R-STK-2): the book has not moved */
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --json"), 0);
	json_t *v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(
			     json_object_get(v, "figures"), "on_hand_milli")),
		     6500);
	json_decref(v);
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05T17:30 "
			 "--proposals q.ndjson --stk-id STK-1 --actor E010 "
			 "--json"),
		     0);
	v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(
			     json_object_get(v, "proposals"), "count")),
		     2);
	json_decref(v);
}

Test(cli_reconcile, bad_sheets_exit_2_with_the_line)
{
	svl_cli_write("bad.csv", "bin,part,counted,counter\n"
				 "W1-A03-2-05,90915-YZZD4,1.2345,E012\n");
	cr_assert_eq(run("reconcile -d L bad.csv --at 2026-07-05"), 2);
	cr_assert_str_eq(last.err, "svcledger: reconcile: bad.csv: line 2: "
				   "counted: '1.2345' has more than 3 "
				   "decimals\n");
	cr_assert_str_eq(last.out, "");
	svl_cli_write("cols.csv", "bin,part,qty,counter\n");
	cr_assert_eq(run("reconcile -d L cols.csv --at 2026-07-05"), 2);
	cr_assert(svl_cli_has(last.err, "unknown column 'qty'"), "%s",
		  last.err);
	cr_assert_eq(run("reconcile -d L none.csv --at 2026-07-05"), 2);
	cr_assert_eq(run("reconcile -d L < count.csv - --at 2026-07-05"), 0,
		     "stdin: %s", last.err);
}

Test(cli_reconcile, usage_errors_exit_1_and_write_nothing)
{
	cr_assert_eq(run("reconcile -d L count.csv"), 1);
	cr_assert(svl_cli_has(last.err, "--at TIME is required"));
	cr_assert_eq(run("reconcile -d L --at 2026-07-05"), 1);
	cr_assert_eq(run("reconcile -d L count.csv --at soon"), 1);
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05 "
			 "--proposals p.ndjson"),
		     1);
	cr_assert(svl_cli_has(last.err, "--proposals needs --stk-id ID and "
					"--actor STAFF"));
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05 "
			 "--proposals p.ndjson --stk-id 'S\"1' --actor E010"),
		     1);
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05 "
			 "--proposals p.ndjson --stk-id S1 --actor E010 "
			 "--role technician"),
		     1);
	cr_assert_eq(run("reconcile -d L count.csv --at 2026-07-05 --stk-id "
			 "S1"),
		     1);
	char path[4200];
	snprintf(path, sizeof path, "%s/p.ndjson", svl_cli_dir());
	cr_assert_neq(access(path, F_OK), 0, "no proposals were written");
}
