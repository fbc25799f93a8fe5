/*
 * test_demo.c - `svcledger demo`: the generated quarter is deterministic
 * (the same seed gives the same head hash, byte for byte, in any
 * directory; another seed another), its chain verifies, every section of
 * the tour is there, and the demo never removes a directory that is not a
 * ledger.
 *
 * The runs are short (--days 14 or fewer: two weeks of the department,
 * still with its bookings, picks, counts and the closing stocktake with
 * its write-offs), because the tool under test is the sanitizer build.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_fixture.h"

TestSuite(demo, .init = svl_cli_setup, .fini = svl_cli_teardown,
	  .timeout = 600);

/* "chain: OK, 13,727 events, head seq 13727, hash 5f0c..." */
static void chain_line(const char *out, char *hash, unsigned long long *seq)
{
	const char *p = strstr(out, "chain: OK, ");
	cr_assert_not_null(p, "no chain line in: %.400s", out);
	p = strstr(p, "head seq ");
	cr_assert_not_null(p);
	cr_assert_eq(sscanf(p, "head seq %llu, hash %32[0-9a-f]", seq, hash), 2,
		     "%.200s", p);
	cr_assert_eq(strlen(hash), 32);
}

/* The same seed gives the same ledger in two directories, and the one its
 * --help shows: the head hash written in tools/cmd_demo.c, on whatever
 * machine the test runs (a change of the generated quarter, or of how
 * events are encoded, shows here first). */
Test(demo, same_seed_gives_the_same_head_hash_twice)
{
	char a[40], b[40], doc[40];
	unsigned long long sa, sb, sdoc;
	cr_assert_eq(svl_cli_run("demo --help"), 0);
	chain_line(svl_cli_last.out, doc, &sdoc);
	cr_assert_eq(svl_cli_run("demo -d A --days 14 --quiet"), 0, "%s",
		     svl_cli_last.err);
	chain_line(svl_cli_last.out, a, &sa);
	cr_assert_eq(svl_cli_run("demo -d B --days 14 --quiet"), 0, "%s",
		     svl_cli_last.err);
	chain_line(svl_cli_last.out, b, &sb);
	cr_assert_gt(sa, 5000, "two weeks of a department: %llu events", sa);
	cr_assert_eq(sa, sb);
	cr_assert_str_eq(a, b, "same seed, different ledgers");
	cr_assert(sa == sdoc && strcmp(a, doc) == 0,
		  "the default seed's 14 days now end at seq %llu, hash %s; "
		  "demo --help says %llu, %s: if the quarter was changed on "
		  "purpose, update the example in tools/cmd_demo.c",
		  sa, a, sdoc, doc);
	/* and the ledger on disk says so itself */
	char ha[64], hb[64];
	svl_cli_head("A", ha);
	svl_cli_head("B", hb);
	cr_assert_str_eq(ha, hb);
}

Test(demo, another_seed_gives_another_ledger)
{
	char a[40], b[40];
	unsigned long long sa, sb;
	cr_assert_eq(svl_cli_run("demo -d A --days 3 --seed 42 --quiet"), 0,
		     "%s", svl_cli_last.err);
	chain_line(svl_cli_last.out, a, &sa);
	cr_assert_eq(svl_cli_run("demo -d B --days 3 --seed 7 --quiet"), 0,
		     "%s", svl_cli_last.err);
	chain_line(svl_cli_last.out, b, &sb);
	cr_assert_str_neq(a, b);
}

/* Seed 8's ninth day: a booking missed in the morning had its parts
 * released (at 17:30) while a walk-in of 10:24 drew on them; the day's
 * jobs are generated out of time order, so a release frees the parts
 * only from the evening. Every seed runs the rules without a refusal. */
Test(demo, a_release_later_in_the_day_frees_nothing_earlier)
{
	cr_assert_eq(svl_cli_run("demo -d A --days 15 --seed 8 --quiet"), 0,
		     "%s", svl_cli_last.err);
	cr_assert_str_empty(svl_cli_last.err);
}

Test(demo, the_chain_verifies_and_the_tour_has_every_section)
{
	static const char *const sections[] = {
	    "== 1. The chain",
	    "chain: OK, ",
	    "== 2. A stock card",
	    "stock card ",
	    "bin card",
	    "== 3. The quarter-end count",
	    "reconciliation of ",
	    "reconciling items",
	    "accuracy",
	    "== 4. One work order's life",
	    "work order WO2026-",
	    "transitions",
	    "== 5. The figures",
	    "f-up coverage",
	    "f-up success",
	    "major cmp",
	    "targets (domain.md section 4)",
	    "write-offs after the quarterly count",
	    "R-WOF-3",
	    "== 6. A rule change",
	    "rebuilt ",
	    "switched: ",
	    "satisfied answers by month"};
	cr_assert_eq(svl_cli_run("demo -d D --days 14"), 0, "%s",
		     svl_cli_last.err);
	for (size_t k = 0; k < sizeof sections / sizeof *sections; k++)
		cr_assert(svl_cli_has(svl_cli_last.out, sections[k]),
			  "no '%s' in the tour", sections[k]);
	cr_assert_str_empty(svl_cli_last.err);
	cr_assert_eq(svl_cli_run("verify -d D"), 0, "%s", svl_cli_last.err);
	cr_assert(strncmp(svl_cli_last.out, "OK: ", 4) == 0, "%s",
		  svl_cli_last.out);
}

Test(demo, json_carries_every_section)
{
	static const char *const keys[] = {"chain",	     "stock_card",
					   "reconciliation", "work_order",
					   "kpis",	     "rule_change"};
	cr_assert_eq(svl_cli_run("demo -d D --days 3 --json"), 0, "%s",
		     svl_cli_last.err);
	json_t *v = svl_cli_json();
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
		cr_assert_not_null(json_object_get(v, keys[k]), "no %s",
				   keys[k]);
	json_t *chain = json_object_get(v, "chain");
	cr_assert(json_is_true(json_object_get(chain, "ok")));
	cr_assert_gt(json_integer_value(json_object_get(chain, "events")),
		     1000);
	json_decref(v);
}

Test(demo, refuses_to_remove_a_directory_that_is_not_a_ledger)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/D", svl_cli_dir());
	cr_assert_eq(mkdir(path, 0700), 0);
	svl_cli_write("D/notes.txt", "quarter-end notes\n");
	cr_assert_eq(svl_cli_run("demo -d D --days 1"), 5);
	cr_assert(svl_cli_has(svl_cli_last.err, "svcledger: demo: "), "%s",
		  svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.err, "not removing it"), "%s",
		  svl_cli_last.err);
	cr_assert_eq(svl_cli_lines(svl_cli_last.err), 1);
	snprintf(path, sizeof path, "%s/D/notes.txt", svl_cli_dir());
	cr_assert_eq(access(path, F_OK), 0, "the file was removed");
}

Test(demo, replaces_its_own_ledger)
{
	char a[40], b[40];
	unsigned long long sa, sb;
	cr_assert_eq(svl_cli_run("demo -d D --days 1 --quiet"), 0, "%s",
		     svl_cli_last.err);
	chain_line(svl_cli_last.out, a, &sa);
	cr_assert_eq(svl_cli_run("demo -d D --days 1 --quiet"), 0, "%s",
		     svl_cli_last.err);
	chain_line(svl_cli_last.out, b, &sb);
	cr_assert_str_eq(a, b, "a fresh ledger each time, not appended to");
}

Test(demo, days_out_of_range_is_a_usage_error)
{
	cr_assert_eq(svl_cli_run("demo -d D --days 0"), 1);
	cr_assert(svl_cli_has(svl_cli_last.err, "--days"), "%s",
		  svl_cli_last.err);
	cr_assert_eq(svl_cli_run("demo -d D --days 93"), 1);
	cr_assert_eq(svl_cli_run("demo -d D --seed x"), 1);
}
