/*
 * test_cli_proj.c - the projections from the command line: `projections`
 * (checkpoints, digests, rule sets), `check` (every projection equals a
 * fold of the log) and `rebuild` under a new rule set: differences shown,
 * the live projections untouched until --switch, and a bad rule set
 * refused before anything is built.
 *
 * The rule set used values stock at the latest receipt cost instead of
 * the moving average: 6.5 of 90915-YZZD4 move from 448.50 to 461.50.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "svcledger.h"

#define last svl_cli_last
#define run svl_cli_run

static void setup(void)
{
	svl_cli_setup();
	svl_cli_stock_ledger("L");
	svl_cli_write("q4.json", "{\"id\":\"q4\",\"valuation\":\"latest_cost\"}");
}

TestSuite(cli_proj, .init = setup, .fini = svl_cli_teardown);

/* The live rules id and the stock projection's digest, from --json. */
static void live(char *rules_id, char *digest)
{
	cr_assert_eq(run("projections -d L --json"), 0, "%s", last.err);
	json_t *v = svl_cli_json();
	json_t *arr = json_object_get(v, "projections");
	cr_assert_geq(json_array_size(arr), 1);
	json_t *stock = json_array_get(arr, 0);
	cr_assert_str_eq(json_string_value(json_object_get(stock, "name")),
			 "stock");
	cr_assert_eq(json_integer_value(json_object_get(stock, "checkpoint")),
		     16);
	snprintf(rules_id, 64, "%s",
		 json_string_value(json_object_get(
			 json_object_get(v, "rules"), "id")));
	snprintf(digest, 64, "%s",
		 json_string_value(json_object_get(stock, "digest")));
	json_decref(v);
}

static json_int_t value_fen(void)
{
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --json"), 0);
	json_t *v = svl_cli_json();
	json_int_t x = json_integer_value(
		json_object_get(json_object_get(v, "figures"), "value_fen"));
	json_decref(v);
	return x;
}

Test(cli_proj, projections_show_checkpoints_digests_and_rules)
{
	char id[64], digest[64];
	live(id, digest);
	cr_assert_str_eq(id, "default");
	cr_assert_eq(strlen(digest), 32);
	cr_assert_eq(run("projections -d L"), 0);
	cr_assert(strncmp(last.out, "projection ", 11) == 0, "%s", last.out);
	cr_assert(svl_cli_has(last.out, "\nstock "), "%s", last.out);
	cr_assert(svl_cli_has(last.out, "live rules: {\"id\":\"default\","),
		  "%s", last.out);
	cr_assert_eq(run("projections -d nowhere"), 2);
}

Test(cli_proj, check_agrees_with_the_log)
{
	cr_assert_eq(run("check -d L"), 0, "%s%s", last.out, last.err);
	cr_assert(strncmp(last.out, "OK: every projection equals a fold of "
				    "the log (",
			  38) == 0,
		  "%s", last.out);
	cr_assert_eq(run("check -d L --json"), 0);
	json_t *v = svl_cli_json();
	cr_assert(json_is_true(json_object_get(v, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(v, "head_seq")), 16);
	json_decref(v);
	cr_assert_eq(run("check -d nowhere"), 2);
}

Test(cli_proj, rebuild_shows_differences_and_keeps_the_live_ones)
{
	char id[64], before[64], after[64];
	live(id, before);
	cr_assert_eq(run("rebuild -d L --rules q4.json --diff"), 0, "%s",
		     last.err);
	cr_assert(svl_cli_has(last.out, "rebuilt "), "%s", last.out);
	cr_assert(svl_cli_has(last.out, "under rules 'q4'"), "%s", last.out);
	cr_assert(svl_cli_has(last.out, "  stock 90915-YZZD4@W1-A03-2-05: "
					"on_hand_milli 6500 -> 6500, value_fen "
					"44850 -> 46150\n"),
		  "%s", last.out);
	cr_assert(svl_cli_has(last.out, "not switched"), "%s", last.out);
	live(id, after);
	cr_assert_str_eq(id, "default");
	cr_assert_str_eq(before, after);
	cr_assert_eq(value_fen(), 44850);
	cr_assert_eq(run("rebuild -d L --rules q4.json --json --max-lines 0"),
		     0);
	json_t *v = svl_cli_json();
	cr_assert_gt(json_integer_value(json_object_get(
			     json_object_get(v, "changed"), "stock")),
		     0);
	cr_assert(json_is_false(json_object_get(v, "switched")));
	cr_assert_eq(json_array_size(json_object_get(v, "lines")), 0,
		     "lines only with --diff");
	json_decref(v);
}

Test(cli_proj, rebuild_switch_makes_the_new_rules_live)
{
	char id[64], digest[64];
	cr_assert_eq(run("rebuild -d L --rules q4.json --switch --json"), 0,
		     "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert(json_is_true(json_object_get(v, "switched")));
	cr_assert_str_eq(json_string_value(json_object_get(v, "rules_id")),
			 "q4");
	json_decref(v);
	live(id, digest);
	cr_assert_str_eq(id, "q4");
	cr_assert_eq(value_fen(), 46150);
	cr_assert_eq(run("check -d L"), 0, "%s", last.out);
}

Test(cli_proj, bad_rule_sets_exit_2_and_change_nothing)
{
	char id[64], before[64], after[64];
	live(id, before);
	svl_cli_write("bad.json", "{\"id\":\"x\",\"colour\":1}");
	cr_assert_eq(run("rebuild -d L --rules bad.json"), 2);
	cr_assert_str_eq(last.err, "svcledger: rebuild: bad.json: colour: "
				   "unknown key\n");
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("rebuild -d L --rules none.json"), 2);
	cr_assert(svl_cli_has(last.err, "none.json"), "%s", last.err);
	cr_assert_eq(run("rebuild -d L"), 1);
	cr_assert_eq(run("rebuild -d L --rules q4.json --max-lines x"), 1);
	live(id, after);
	cr_assert_str_eq(id, "default");
	cr_assert_str_eq(before, after);
}

/* A rule-set id is free text: quotes and backslashes are kept and written
 * back escaped, so the ledger still opens after the switch. */
Test(cli_proj, rule_set_id_with_quote_and_backslash_survives_a_switch)
{
	svl_cli_write("odd.json", "{\"id\":\"x\\\"y\\\\z\"}");
	cr_assert_eq(run("rebuild -d L --rules odd.json --switch"), 0, "%s",
		     last.err);
	char id[64], digest[64];
	live(id, digest);
	cr_assert_str_eq(id, "x\"y\\z");
	cr_assert_eq(run("check -d L"), 0, "%s", last.err);
	cr_assert_eq(value_fen(), 44850);
}

/* Control characters would break the one-line tables and messages. */
Test(cli_proj, rule_set_id_with_a_newline_is_refused_in_one_line)
{
	svl_cli_write("nl.json", "{\"id\":\"x\\ny\"}");
	cr_assert_eq(run("rebuild -d L --rules nl.json --switch"), 2);
	cr_assert_eq(svl_cli_lines(last.err), 1, "%s", last.err);
	cr_assert(svl_cli_has(last.err, "id: control characters"), "%s",
		  last.err);
	char id[64], digest[64];
	live(id, digest);
	cr_assert_str_eq(id, "default");
}

static int smash_state(svl_txn *t, void *payload)
{
	return svl_txn_put(t, *(unsigned *)payload, "stock#a", 7,
			   "\xc1garbage", 8);
}

/* A projection state that does not decode is derived data: a writable
 * open refolds it from the log, the figures come back, check agrees. */
Test(cli_proj, undecodable_projection_state_is_rebuilt_from_the_log)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/L", svl_cli_dir());
	svl_log *log;
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	unsigned proj;
	cr_assert_eq(svl_log_open(&log, path, &o), SVL_OK);
	cr_assert_eq(svl_log_table(log, "proj", &proj), SVL_OK);
	cr_assert_eq(svl_log_write(log, smash_state, &proj), SVL_OK);
	svl_log_close(log);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --json"), 0, "%s",
		     last.err);
	cr_assert_eq(value_fen(), 44850);
	cr_assert_eq(run("check -d L"), 0, "%s", last.err);
}
