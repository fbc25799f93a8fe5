/*
 * test_cli_append.c - `svcledger append`: commands decided and appended
 * atomically; a bad line (exit 2) or a refusal (exit 3, naming the rule)
 * appends nothing; dry runs write nothing; retries with ids append
 * nothing twice; inputs larger than one submission with --atomic are
 * refused before anything is written.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

TestSuite(cli_append, .init = svl_cli_setup, .fini = svl_cli_teardown);

#define SHELVE(at, qty)                                                       \
	"{\"type\":\"parts_shelved\",\"actor\":\"E012\",\"role\":"           \
	"\"warehouse_keeper\",\"occurred_at\":\"2026-07-0" at                 \
	"+08:00\",\"payload\":{\"part_no\":\"90915-YZZD4\",\"bin\":"          \
	"\"W1-A03-2-05\",\"qty_milli\":" qty ",\"unit_cost_fen\":6800}}\n"
#define BIN(part, bin)                                                        \
	"{\"type\":\"bin_assigned\",\"actor\":\"E012\",\"role\":"            \
	"\"warehouse_keeper\",\"occurred_at\":\"2026-07-01T09:00:00+08:00\"," \
	"\"payload\":{\"part_no\":\"" part "\",\"bin\":\"" bin "\"}}\n"

static void staffed(void)
{
	cr_assert_eq(run("init -d L"), 0, "%s", last.err);
	svl_cli_write("staff.ndjson", svl_cli_staff);
	cr_assert_eq(run("append -d L staff.ndjson"), 0, "%s", last.err);
	cr_assert_str_eq(last.out, "appended 9 events (seq 1..9)\n");
}

Test(cli_append, appends_from_a_file_and_from_stdin)
{
	staffed();
	svl_cli_write("a.ndjson", BIN("90915-YZZD4", "W1-A03-2-05") "\n  \n"
						SHELVE("2T09:00:00", "5000"));
	cr_assert_eq(run("append -d L a.ndjson"), 0, "%s", last.err);
	cr_assert_str_eq(last.out, "appended 2 events (seq 10..11)\n");
	svl_cli_write("b.ndjson", SHELVE("3T09:00:00", "2500"));
	cr_assert_eq(run("append -d L - < b.ndjson"), 0, "%s", last.err);
	cr_assert_str_eq(last.out, "appended 1 event (seq 12)\n");
	cr_assert_eq(run("append -d L --json < b.ndjson"), 0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert(json_is_true(json_object_get(v, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(v, "appended")), 1);
	cr_assert_eq(json_integer_value(json_object_get(v, "first_seq")), 13);
	cr_assert_eq(json_integer_value(json_object_get(v, "chunks")), 1);
	cr_assert(json_is_false(json_object_get(v, "dry_run")));
	json_decref(v);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --json"), 0);
	v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(
			     json_object_get(v, "figures"), "on_hand_milli")),
		     10000);
	json_decref(v);
}

Test(cli_append, bad_line_exits_2_names_line_and_field_appends_nothing)
{
	char before[64], after[64];
	staffed();
	svl_cli_head("L", before);
	svl_cli_write("bad.ndjson", BIN("90915-YZZD4", "W1-A03-2-05")
		      "\n" SHELVE("2T09:00:00", "-5"));
	cr_assert_eq(run("append -d L bad.ndjson"), 2, "%s", last.err);
	cr_assert_str_eq(last.err, "svcledger: append: line 3: "
				   "payload.qty_milli: must be > 0, got -5\n");
	cr_assert_str_eq(last.out, "");
	svl_cli_head("L", after);
	cr_assert_str_eq(before, after, "the good first line is not appended");
	cr_assert_eq(run("append -d L --json bad.ndjson"), 2);
	json_t *v = svl_cli_json();
	cr_assert(json_is_false(json_object_get(v, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(v, "line")), 3);
	cr_assert_str_eq(json_string_value(json_object_get(v, "rule")), "");
	json_decref(v);
	svl_cli_write("junk.ndjson", "{\"type\":\"bin_assigned\",\n");
	cr_assert_eq(run("append -d L junk.ndjson"), 2);
	cr_assert(svl_cli_has(last.err, "svcledger: append: line 1: "), "%s",
		  last.err);
	svl_cli_head("L", after);
	cr_assert_str_eq(before, after);
}

Test(cli_append, refusal_exits_3_names_the_rule_R_BIN_1)
{
	char before[64], after[64];
	staffed();
	svl_cli_write("a.ndjson", BIN("90915-YZZD4", "W1-A03-2-05"));
	cr_assert_eq(run("append -d L a.ndjson"), 0, "%s", last.err);
	svl_cli_head("L", before);
	svl_cli_write("b.ndjson", SHELVE("2T09:00:00", "1000")
		      BIN("04152-YZZA1", "W1-A03-2-05"));
	cr_assert_eq(run("append -d L b.ndjson"), 3, "%s", last.err);
	cr_assert(strncmp(last.err, "svcledger: append: line 2: R-BIN-1: ",
			  36) == 0,
		  "%s", last.err);
	cr_assert_eq(svl_cli_lines(last.err), 1);
	svl_cli_head("L", after);
	cr_assert_str_eq(before, after, "the whole input is refused");
	cr_assert_eq(run("append -d L --json b.ndjson"), 3);
	json_t *v = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(v, "rule")),
			 "R-BIN-1");
	cr_assert_eq(json_integer_value(json_object_get(v, "line")), 2);
	json_decref(v);
}

Test(cli_append, issue_without_signed_pick_is_refused_R_ISS_2)
{
	staffed();
	svl_cli_write("a.ndjson",
		      BIN("90915-YZZD4", "W1-A03-2-05")
			      SHELVE("2T09:00:00", "5000"));
	cr_assert_eq(run("append -d L a.ndjson"), 0, "%s", last.err);
	svl_cli_write(
		"issue.ndjson",
		"{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
		"\"warehouse_keeper\",\"occurred_at\":\"2026-07-04T10:00:00+08:"
		"00\",\"payload\":{\"part_no\":\"90915-YZZD4\",\"bin\":"
		"\"W1-A03-2-05\",\"qty_milli\":1000,\"pick_id\":\"PK-1\"}}\n");
	cr_assert_eq(run("append -d L issue.ndjson"), 3);
	cr_assert(svl_cli_has(last.err, "line 1: R-ISS-2: "), "%s", last.err);
	/* --roles-only checks who, not the state rules */
	cr_assert_eq(run("append -d L --roles-only issue.ndjson"), 0, "%s",
		     last.err);
	/* ... but who still counts: E005 is no warehouse keeper */
	svl_cli_write("who.ndjson",
		      "{\"type\":\"parts_issued\",\"actor\":\"E005\",\"role\":"
		      "\"warehouse_keeper\",\"occurred_at\":\"2026-07-04T10:0"
		      "0:00+08:00\",\"payload\":{\"part_no\":\"90915-YZZD4\","
		      "\"bin\":\"W1-A03-2-05\",\"qty_milli\":1000,"
		      "\"pick_id\":\"PK-2\"}}\n");
	cr_assert_eq(run("append -d L --roles-only who.ndjson"), 3);
	cr_assert(svl_cli_has(last.err, "R-ROLE-2"), "%s", last.err);
}

Test(cli_append, dry_run_decides_and_writes_nothing)
{
	char before[64], after[64];
	staffed();
	svl_cli_head("L", before);
	svl_cli_write("a.ndjson", BIN("90915-YZZD4", "W1-A03-2-05")
		      SHELVE("2T09:00:00", "5000"));
	cr_assert_eq(run("append -d L --dry-run a.ndjson"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "dry run: 2 events decided, all "
					"accepted"),
		  "%s", last.out);
	cr_assert_eq(run("append -d L --dry-run --json a.ndjson"), 0);
	json_t *v = svl_cli_json();
	cr_assert(json_is_true(json_object_get(v, "dry_run")));
	cr_assert_eq(json_integer_value(json_object_get(v, "events")), 2);
	cr_assert_eq(json_integer_value(json_object_get(v, "appended")), 0);
	json_decref(v);
	svl_cli_head("L", after);
	cr_assert_str_eq(before, after);
	svl_cli_write("b.ndjson", SHELVE("2T09:00:00", "5000"));
	cr_assert_eq(run("append -d L --dry-run b.ndjson"), 3,
		     "no bin yet: refused in the dry run too");
	svl_cli_head("L", after);
	cr_assert_str_eq(before, after);
}

Test(cli_append, retried_ids_append_nothing_twice)
{
	staffed();
	svl_cli_write("a.ndjson",
		      "{\"type\":\"bin_assigned\",\"id\":"
		      "\"0190f0e0a1b2c3d4e5f60718293a4b5c\",\"actor\":\"E012\","
		      "\"role\":\"warehouse_keeper\",\"occurred_at\":"
		      "\"2026-07-01T09:00:00+08:00\",\"payload\":{\"part_no\":"
		      "\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\"}}\n");
	cr_assert_eq(run("append -d L a.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L a.ndjson"), 0, "%s", last.err);
	cr_assert_str_eq(last.out, "nothing appended: the event is already "
				   "in the log (seq 10)\n");
	cr_assert_eq(run("append -d L --json a.ndjson"), 0);
	json_t *v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(v, "duplicates")), 1);
	cr_assert_eq(json_integer_value(json_object_get(v, "appended")), 0);
	json_decref(v);
}

Test(cli_append, empty_input_and_missing_file_and_ledger)
{
	staffed();
	svl_cli_write("empty.ndjson", "\n\n");
	cr_assert_eq(run("append -d L empty.ndjson"), 0);
	cr_assert_str_eq(last.out, "nothing to append (no events in the "
				   "input)\n");
	cr_assert_eq(run("append -d L nowhere.ndjson"), 2);
	cr_assert_str_eq(last.err, "svcledger: append: nowhere.ndjson: No "
				   "such file or directory\n");
	cr_assert_eq(run("append -d nowhere empty.ndjson"), 2);
	cr_assert(svl_cli_has(last.err, "no ledger here"), "%s", last.err);
	cr_assert_eq(run("append -d L a.ndjson b.ndjson"), 1, "one input");
}

/* More events than one submission holds: --atomic and --dry-run refuse
 * before opening the ledger, so nothing is written. */
Test(cli_append, atomic_refuses_inputs_beyond_one_submission)
{
	char before[64], after[64];
	staffed();
	svl_cli_head("L", before);
	static const char line[] = BIN("P", "W1-A01-1-01");
	size_t n = 100001, len = strlen(line);
	char *big = malloc(n * len + 1);
	cr_assert_not_null(big);
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * len, line, len);
	big[n * len] = '\0';
	svl_cli_write("big.ndjson", big);
	free(big);
	cr_assert_eq(run("append -d L --atomic big.ndjson"), 2);
	cr_assert_str_eq(last.err,
			 "svcledger: append: 100001 events are more than one "
			 "submission holds (100000); nothing was appended "
			 "(drop --atomic to append in chunks)\n");
	cr_assert_eq(run("append -d L --dry-run big.ndjson"), 2);
	cr_assert(svl_cli_has(last.err, "a dry run is one submission"));
	svl_cli_head("L", after);
	cr_assert_str_eq(before, after);
}

/* Beyond one submission the input goes in chunks, each atomic: a bad line
 * in the second chunk leaves the first appended, and the error says so
 * with the line counted from the top of the input. The first chunk is one
 * event retried 100,000 times (one append, the rest duplicates), which
 * keeps the test fast. */
Test(cli_append, chunks_are_atomic_each_and_lines_count_from_the_top)
{
	staffed();
	static const char line[] =
		"{\"type\":\"bin_assigned\",\"id\":"
		"\"0190f0e0a1b2c3d4e5f60718293a4b5c\",\"actor\":\"E012\","
		"\"role\":\"warehouse_keeper\",\"occurred_at\":"
		"\"2026-07-01T09:00:00+08:00\",\"payload\":{\"part_no\":"
		"\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\"}}\n";
	static const char bad[] = BIN("X", "nowhere");
	size_t n = 100000, len = strlen(line);
	char *big = malloc(n * len + sizeof bad);
	cr_assert_not_null(big);
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * len, line, len);
	memcpy(big + n * len, bad, sizeof bad);
	svl_cli_write("big.ndjson", big);
	free(big);
	cr_assert_eq(run("append -d L big.ndjson"), 2, "%s", last.err);
	cr_assert(strncmp(last.err, "svcledger: append: line 100001: "
				    "payload.bin: ",
			  45) == 0,
		  "%s", last.err);
	cr_assert(svl_cli_has(last.err, " (the 1 chunk before line 100001 "
					"was appended, seq 10..10)\n"),
		  "%s", last.err);
	char head[64];
	svl_cli_head("L", head);
	cr_assert(strncmp(head, "10:", 3) == 0, "%s", head);
}
