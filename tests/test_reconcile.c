/*
 * test_reconcile.c - count sheets against the book: parsing, variances and
 * their value, movements since the previous count, reconciling items, the
 * summary (gains and losses never netted) and adjustment proposals.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>

#include "fixture.h"
#include "ledger_fixture.h"
#include "svl_reconcile.h"

#define HOUR INT64_C(3600000)

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

TestSuite(reconcile, .init = setup, .fini = teardown);

static void parse_ok(const char *csv, svl_count_line **lines, size_t *n)
{
	char err[200];
	cr_assert_eq(svl_count_sheet_parse(csv, strlen(csv), lines, n, err,
					   sizeof err),
		     SVL_OK, "%s", err);
}

static void parse_fails(const char *csv, const char *want)
{
	char err[200] = "";
	svl_count_line *lines = NULL;
	size_t n = 0;
	cr_assert_eq(svl_count_sheet_parse(csv, strlen(csv), &lines, &n, err,
					   sizeof err),
		     SVL_EINVAL);
	cr_assert_null(lines);
	cr_assert(strstr(err, want), "'%s' should mention '%s'", err, want);
}

Test(reconcile, sheet_parses_decimals_quotes_and_column_order)
{
	svl_count_line *l;
	size_t n;
	parse_ok("part,bin,counter,counted\n"
		 "# comment\n"
		 "P-1,A-01-01-01,E014,12\n"
		 "\"P-2\", A-01-01-02 ,E014,0.5\n\n"
		 "P-3,A-01-01-03,E015,1.125\n",
		 &l, &n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(l[0].part_no, "P-1");
	cr_assert_eq(l[0].counted_milli, 12000);
	cr_assert_str_eq(l[1].part_no, "P-2");
	cr_assert_str_eq(l[1].bin, "A-01-01-02");
	cr_assert_eq(l[1].counted_milli, 500);
	cr_assert_eq(l[2].counted_milli, 1125);
	cr_assert_eq(l[2].sheet_line, 6);
	free(l);
}

Test(reconcile, sheet_errors_name_line_and_column)
{
	parse_fails("bin,part,counted,counter\nA-1-1-1,P,1.2345,E\n",
		    "line 2: counted: '1.2345' has more than 3 decimals");
	parse_fails("bin,part,counted,counter\nA-1-1-1,P,-3,E\n",
		    "line 2: counted: '-3' is not a quantity");
	parse_fails("bin,part,qty,counter\n", "unknown column 'qty'");
	parse_fails("bin,part,counted,counter\nA-1-1-1,P,3\n",
		    "line 2: expected 4 fields, got 3");
	parse_fails("bin,part,counted,counter\n,P,3,E\n", "line 2: bin: empty");
	parse_fails("", "empty");
}

/* What the sheet holds goes into the proposed adjustments: each field is
 * checked as `append` will check it, so the proposals never fail there. */
Test(reconcile, sheet_fields_are_checked_as_the_events_carry_them)
{
	parse_fails("bin,part,counted,counter\nA-1-1-1,P,3,\n",
		    "line 2: counter: empty");
	parse_fails("bin,part,counted,counter\nA-1,P,3,E\n",
		    "line 2: bin: expected a bin location like W1-A03-2-05 "
		    "(R-BIN-1), got \"A-1\"");
	parse_fails("bin,part,counted,counter\nA 1-1-1-1,P,3,E\n",
		    "line 2: bin:");
	parse_fails("bin,part,counted,counter\nA-1-1-1,P 1,3,E\n",
		    "line 2: part: expected letters, digits");
	parse_fails("bin,part,counted,counter\nA-1-1-1,P,3,E 14\n",
		    "line 2: counter: expected letters");
	parse_fails("bin,part,counted,counter\nA-1-1-1,P\xff,3,E\n",
		    "line 2: part: expected letters, digits, '.', '_' or '-', "
		    "starting with a letter or digit, got \"P\\xff\"");
	parse_fails("bin,part,counted,bin\n", "line 1: column 'bin' twice");
}

Test(reconcile, a_nul_byte_in_the_sheet_is_refused_with_its_line)
{
	static const char csv[] = "bin,part,counted,counter\n"
				  "A-1-1-1,P,3,E\n"
				  "A-1-1-2,P\0X,3,E\n";
	char err[200] = "";
	svl_count_line *lines = NULL;
	size_t n = 0;
	cr_assert_eq(svl_count_sheet_parse(csv, sizeof csv - 1, &lines, &n, err,
					   sizeof err),
		     SVL_EINVAL);
	cr_assert_null(lines);
	cr_assert(strstr(err, "line 3: a NUL byte"), "%s", err);
}

static void shelve(const char *part, const char *bin, int64_t at,
		   int64_t recorded, int64_t qty, int64_t cost)
{
	char json[256];
	snprintf(json, sizeof json,
		 "{\"part_no\":\"%s\",\"bin\":\"%s\",\"qty_milli\":%lld,"
		 "\"unit_cost_fen\":%lld}",
		 part, bin, (long long)qty, (long long)cost);
	svl_test_put(led, SVL_T_PARTS_SHELVED, at, recorded, json);
}

Test(reconcile, variances_values_and_summary_never_net)
{
	int64_t t = SVL_TEST_T0;
	shelve("P-1", "A-01-01-01", t, 0, 10000, 100);
	svl_test_putf(led, SVL_T_PARTS_ISSUED, t + HOUR,
		      "{\"part_no\":\"P-1\",\"bin\":\"A-01-01-01\","
		      "\"qty_milli\":2000,\"pick_id\":\"PK-1\",\"wo_id\":"
		      "\"WO-1\"}");
	shelve("P-2", "A-01-01-02", t, 0, 5000, 200);
	svl_count_line *l;
	size_t n;
	parse_ok("bin,part,counted,counter\n"
		 "A-01-01-01,P-1,7,E014\n"  /* book 8: loss of 1 @ 1.00 */
		 "A-01-01-02,P-2,5,E014\n"  /* exact */
		 "A-01-01-03,P-9,3,E015\n", /* no card: gain of 3 at 0 */
		 &l, &n);
	svl_reconcile_result *r;
	cr_assert_eq(svl_reconcile(led, l, n, t + 2 * HOUR, &r), SVL_OK, "%s",
		     svl_ledger_errmsg(led));
	cr_assert_eq(r->n, 3);
	cr_assert_eq(r->lines[0].book_milli, 8000);
	cr_assert_eq(r->lines[0].variance_milli, -1000);
	cr_assert_eq(r->lines[0].variance_value_fen, -100);
	cr_assert_eq(r->lines[0].variance_bp, -1250);
	cr_assert_eq(r->lines[0].n_moves, 2, "receipt and issue explain it");
	cr_assert_eq(r->lines[0].moves[1].out_milli, 2000);
	cr_assert_eq(r->lines[0].figures.unsettled_issued_milli, 2000);
	cr_assert_eq(r->lines[1].variance_milli, 0);
	cr_assert_eq(r->lines[2].book_milli, 0);
	cr_assert_eq(r->lines[2].variance_bp, INT64_MAX);
	cr_assert_eq(r->summary.lines, 3);
	cr_assert_eq(r->summary.lines_exact, 1);
	cr_assert_eq(r->summary.accuracy_bp, 3333);
	cr_assert_eq(r->summary.losses_value_fen, 100);
	cr_assert_eq(r->summary.net_variance_value_fen, -100);
	cr_assert_eq(r->summary.abs_variance_value_fen, 100);
	cr_assert_eq(r->summary.unsettled_issued_milli, 2000);
	svl_reconcile_free(r);
	free(l);
}

Test(reconcile, gains_and_losses_both_count_in_absolute)
{
	int64_t t = SVL_TEST_T0;
	shelve("P-1", "A-01-01-01", t, 0, 10000, 100);
	shelve("P-2", "A-01-01-02", t, 0, 10000, 100);
	svl_count_line *l;
	size_t n;
	parse_ok("bin,part,counted,counter\nA-01-01-01,P-1,12,E\n"
		 "A-01-01-02,P-2,8,E\n",
		 &l, &n);
	svl_reconcile_result *r;
	cr_assert_eq(svl_reconcile(led, l, n, t + HOUR, &r), SVL_OK);
	cr_assert_eq(r->summary.net_variance_value_fen, 0);
	cr_assert_eq(r->summary.abs_variance_value_fen, 400);
	cr_assert_eq(r->summary.gains_value_fen, 200);
	cr_assert_eq(r->summary.losses_value_fen, 200);
	svl_reconcile_free(r);
	free(l);
}

Test(reconcile, late_entry_before_the_count_is_in_the_book)
{
	int64_t t = SVL_TEST_T0;
	shelve("P-1", "A-01-01-01", t, t + 10 * HOUR, 4000, 100);
	/* entered after the count, happened before it */
	shelve("P-1", "A-01-01-01", t + HOUR, t + 30 * HOUR, 1000, 100);
	/* happened after the count: not in the book */
	shelve("P-1", "A-01-01-01", t + 5 * HOUR, t + 31 * HOUR, 9000, 100);
	svl_count_line *l;
	size_t n;
	parse_ok("bin,part,counted,counter\nA-01-01-01,P-1,5,E\n", &l, &n);
	svl_reconcile_result *r;
	cr_assert_eq(svl_reconcile(led, l, n, t + 2 * HOUR, &r), SVL_OK);
	cr_assert_eq(r->lines[0].book_milli, 5000);
	cr_assert_eq(r->lines[0].variance_milli, 0);
	svl_reconcile_free(r);
	free(l);
}

Test(reconcile, movements_start_after_the_previous_count)
{
	int64_t t = SVL_TEST_T0;
	shelve("P-1", "A-01-01-01", t, 0, 4000, 100);
	svl_test_putf(led, SVL_T_STOCKTAKE_LINE_COUNTED, t + HOUR,
		      "{\"stk_id\":\"STK-1\",\"part_no\":\"P-1\",\"bin\":"
		      "\"A-01-01-01\",\"counted_qty_milli\":4000}");
	shelve("P-1", "A-01-01-01", t + 2 * HOUR, 0, 1000, 100);
	svl_count_line *l;
	size_t n;
	parse_ok("bin,part,counted,counter\nA-01-01-01,P-1,5,E\n", &l, &n);
	svl_reconcile_result *r;
	cr_assert_eq(svl_reconcile(led, l, n, t + 3 * HOUR, &r), SVL_OK);
	cr_assert_eq(r->lines[0].prev_count_at_ms, t + HOUR);
	cr_assert_eq(r->lines[0].prev_counted_milli, 4000);
	cr_assert_eq(r->lines[0].n_moves, 1, "only the receipt after it");
	cr_assert_eq(r->lines[0].moves[0].in_milli, 1000);
	svl_reconcile_free(r);
	free(l);
}

Test(reconcile, proposals_are_valid_adjustment_events_R_STK_2)
{
	int64_t t = SVL_TEST_T0;
	shelve("P-1", "A-01-01-01", t, 0, 10000, 100);
	svl_count_line *l;
	size_t n;
	parse_ok("bin,part,counted,counter\nA-01-01-01,P-1,9.5,E014\n", &l, &n);
	svl_reconcile_result *r;
	cr_assert_eq(svl_reconcile(led, l, n, t + HOUR, &r), SVL_OK);
	char *nd = svl_reconcile_proposals_ndjson(r, "STK-9", "E020",
						  "parts_manager");
	cr_assert_not_null(nd);
	char *nl = strchr(nd, '\n');
	cr_assert_not_null(nl);
	cr_assert_eq(nl[1], '\0', "one proposal for one variance");
	static uint8_t arena_buf[65536];
	svl_event_arena arena = {arena_buf, sizeof arena_buf, 0};
	svl_event_in ev;
	svl_event_error err;
	cr_assert_eq(svl_event_input_json(&ev, &arena, nd, (size_t)(nl - nd),
					  &err),
		     SVL_OK, "%s: %s", err.path, err.msg);
	cr_assert_eq(ev.type, SVL_T_ADJUSTMENT_PROPOSED);
	json_t *j = json_loads(nd, 0, NULL);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_object_get(j, "payload"), "delta_qty_milli")),
		     -500);
	json_decref(j);
	free(nd);
	svl_reconcile_free(r);
	free(l);
}

Test(reconcile, proposals_are_lines_append_takes)
{
	shelve("P-1", "A-01-01-01", SVL_TEST_T0, 0, 10000, 100);
	svl_count_line *l;
	size_t n;
	parse_ok("bin,part,counted,counter\nA-01-01-01,P-1,9,E.12\n", &l, &n);
	svl_reconcile_result *r;
	cr_assert_eq(svl_reconcile(led, l, n, SVL_TEST_T0 + HOUR, &r), SVL_OK);
	char *nd = svl_reconcile_proposals_ndjson(r, "STK-1", "E020",
						  "parts_manager");
	cr_assert_not_null(nd);
	json_error_t je;
	json_t *j = json_loads(nd, JSON_DISABLE_EOF_CHECK, &je);
	cr_assert_not_null(j, "%s: %s", je.text, nd);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(j, "payload"), "responsible_id")),
			 "E.12");
	json_decref(j);
	svl_event_in ev;
	svl_event_error e;
	uint8_t abuf[4096];
	svl_event_arena a = {abuf, sizeof abuf, 0};
	cr_assert_eq(svl_event_input_json(&ev, &a, nd, strcspn(nd, "\n"), &e),
		     SVL_OK, "%s", e.msg);
	free(nd);
	svl_reconcile_free(r);
	free(l);
}
