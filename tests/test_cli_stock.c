/*
 * test_cli_stock.c - `svcledger stock-card` and `stock-cards` on the
 * fixture's stock ledger: figures and bin card lines (R-BIN-2) in units
 * and yuan, as of a seq, as the book stood at a time (--known) and with
 * what happened by a time (--occurred), JSON parsed, and the errors.
 *
 * The ledger: seq 12 shelves 5 of 90915-YZZD4 at 68.00 (07-02), 13 shelves
 * 4 of 04465-06240, 14 shelves 2.5 more at 71.00 (07-03), 15 quarantines
 * one 04465-06240, 16 issues 1 of 90915-YZZD4 to WO-1 (07-04).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

static void setup(void)
{
	svl_cli_setup();
	svl_cli_stock_ledger("L");
}

TestSuite(cli_stock, .init = setup, .fini = svl_cli_teardown);

static json_int_t fig(json_t *card, const char *name)
{
	return json_integer_value(
		json_object_get(json_object_get(card, "figures"), name));
}

Test(cli_stock, card_shows_figures_and_lines_in_units_and_yuan)
{
	cr_assert_eq(run("stock-card -d L 90915-YZZD4"), 0, "%s", last.err);
	const char *o = last.out;
	cr_assert(strncmp(o, "stock card 90915-YZZD4 at W1-A03-2-05, now "
			     "(times UTC+08:00)\n",
			  60) == 0,
		  "%s", o);
	cr_assert(svl_cli_has(o, "  on hand                     6.5  448.50"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "  issued, job unsettled         1"), "%s", o);
	cr_assert(svl_cli_has(o, "average cost 69.00, last receipt cost 71.00; "
				 "3 lines, last seq 16"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "seq  date              document       doc   "
				 "counterparty   in  out  balance  unit cost"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "   12  2026-07-02 09:00  parts_shelved        "
				 "SUP-9           5             5      68.00  "
				 "340.00\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "   16  2026-07-04 10:00  parts_issued   PK-1  "
				 "WO-1                 1      6.5      69.00  "
				 "448.50\n"),
		  "%s", o);
	cr_assert_str_eq(last.err, "");
}

Test(cli_stock, card_json_carries_the_library_units)
{
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --json"), 0, "%s",
		     last.err);
	json_t *v = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(v, "bin")),
			 "W1-A03-2-05");
	cr_assert_eq(fig(v, "on_hand_milli"), 6500);
	cr_assert_eq(fig(v, "value_fen"), 44850);
	cr_assert_eq(fig(v, "unsettled_issued_milli"), 1000);
	/* the average cost the table prints (69.00), in fen */
	cr_assert_eq(fig(v, "avg_cost_fen"), 6900);
	json_t *lines = json_object_get(v, "lines");
	cr_assert_eq(json_array_size(lines), 3);
	json_t *l3 = json_array_get(lines, 2);
	cr_assert_eq(json_integer_value(json_object_get(l3, "out_milli")), 1000);
	cr_assert_str_eq(json_string_value(json_object_get(l3, "type_name")),
			 "parts_issued");
	cr_assert_str_eq(json_string_value(json_object_get(l3, "occurred_at")),
			 "2026-07-04T10:00:00.000+08:00");
	json_decref(v);
}

Test(cli_stock, lines_keeps_the_latest)
{
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --lines 1 --json"), 0);
	json_t *v = svl_cli_json();
	json_t *lines = json_object_get(v, "lines");
	cr_assert_eq(json_array_size(lines), 1);
	cr_assert_eq(json_integer_value(
			     json_object_get(json_array_get(lines, 0), "seq")),
		     16);
	cr_assert_eq(json_integer_value(json_object_get(v, "lines_omitted")),
		     2);
	json_decref(v);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --lines 2"), 0);
	cr_assert(svl_cli_has(last.out, "... 1 earlier line not shown"),
		  "%s", last.out);
}

Test(cli_stock, as_of_seq_reads_the_card_after_that_record)
{
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of 13 --json"), 0,
		     "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(fig(v, "on_hand_milli"), 5000);
	cr_assert_eq(fig(v, "value_fen"), 34000);
	cr_assert_eq(json_array_size(json_object_get(v, "lines")), 1);
	cr_assert_eq(json_integer_value(json_object_get(v, "last_seq")), 12);
	cr_assert_str_eq(json_string_value(json_object_get(v, "asof")),
			 "as of seq 13");
	json_decref(v);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of 11"), 2);
	cr_assert(svl_cli_has(last.err, "no stock card for part 90915-YZZD4 "
					"as of seq 11"),
		  "%s", last.err);
}

/* the recorded time of one record, from log --ndjson */
static json_int_t recorded_at(int seq)
{
	cr_assert_eq(run("log -d L --ndjson --from %d --to %d", seq, seq), 0);
	json_t *v = svl_cli_json();
	json_int_t at = json_integer_value(json_object_get(v, "recorded_at_ms"));
	json_decref(v);
	return at;
}

Test(cli_stock, known_is_what_the_book_said_occurred_what_happened)
{
	/* the issue (seq 16) was recorded after the rest: as the book stood
	 * at seq 15's recording, it is not there */
	json_int_t t15 = recorded_at(15);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of %lld --json",
			 (long long)t15),
		     0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(fig(v, "on_hand_milli"), 7500);
	cr_assert_eq(json_array_size(json_object_get(v, "lines")), 2);
	json_decref(v);
	/* by business time, on 07-02 at 18:00 only the first shelving had
	 * happened */
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of "
			 "2026-07-02T18:00 --occurred --json"),
		     0, "%s", last.err);
	v = svl_cli_json();
	cr_assert_eq(fig(v, "on_hand_milli"), 5000);
	cr_assert_eq(json_array_size(json_object_get(v, "lines")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(v, "asof")),
			 "with everything that happened by 2026-07-02 18:00");
	json_decref(v);
	/* the same moment as the book stood then: nothing was recorded yet
	 * (every event of the fixture was entered later) */
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of "
			 "2026-07-02T18:00:00+08:00"),
		     2);
	cr_assert(svl_cli_has(last.err, "as the book stood at 2026-07-02 "
					"18:00 UTC+08:00"),
		  "%s", last.err);
}

/* --as-of takes every form of the one time dialect (docs/cli.md, "Times
 * on the command line"): before, an offset needed seconds, a space for
 * the T needed the ledger's zone, and a time before 2000 was refused. */
Test(cli_stock, as_of_in_every_form_of_the_time_dialect)
{
	static const char *const same[] = {
	    "2026-07-02T18:00",		 "'2026-07-02 18:00'",
	    "2026-07-02T18:00:00.000",	 "2026-07-02T10:00Z",
	    "'2026-07-02 10:00:00Z'",	 "2026-07-02T18:00+08:00",
	    "2026-07-02T05:00:00-05:00", "1782986400000",
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of %s "
				 "--occurred --json",
				 same[i]),
			     0, "%s: %s", same[i], last.err);
		json_t *v = svl_cli_json();
		cr_assert_eq(fig(v, "on_hand_milli"), 5000, "%s", same[i]);
		cr_assert_str_eq(
		    json_string_value(json_object_get(v, "asof")),
		    "with everything that happened by 2026-07-02 18:00",
		    "%s", same[i]);
		json_decref(v);
	}
	/* a date is its local midnight: both shelvings, not the issue */
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of 2026-07-04 "
			 "--occurred --json"),
		     0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(fig(v, "on_hand_milli"), 7500);
	json_decref(v);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of "
			 "1999-12-31T23:00:00Z --occurred"),
		     2, "nothing on the card yet: %s", last.err);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of 2026-07-02T18"),
		     1);
	cr_assert(svl_cli_has(last.err, "in UTC+08:00, or with Z or +HH:MM"),
		  "%s", last.err);
}

Test(cli_stock, bad_arguments_exit_1_unknown_cards_exit_2)
{
	cr_assert_eq(run("stock-card -d L NO-SUCH-PART"), 2);
	cr_assert_str_eq(last.err, "svcledger: stock-card: no stock card for "
				   "part NO-SUCH-PART (unknown part, or "
				   "nothing on it)\n");
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 W1-A03-2-06"), 2,
		     "another part's bin");
	cr_assert_eq(run("stock-card -d L"), 1);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --known"), 1);
	cr_assert(svl_cli_has(last.err, "need --as-of TIME"), "%s", last.err);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of 12 --occurred"),
		     1);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --as-of yesterday"), 1);
	cr_assert(svl_cli_has(last.err, "--as-of: 'yesterday' is not a time"),
		  "%s", last.err);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --lines x"), 1);
	cr_assert_eq(run("stock-card -d nowhere 90915-YZZD4"), 2);
}

Test(cli_stock, cards_list_now_and_as_of)
{
	cr_assert_eq(run("stock-cards -d L"), 0, "%s", last.err);
	cr_assert_eq(svl_cli_lines(last.out), 3, "%s", last.out);
	cr_assert(svl_cli_has(last.out, "04465-06240  W1-A03-2-06        3   "
					"      0            1"),
		  "%s", last.out);
	cr_assert_eq(run("stock-cards -d L --json"), 0);
	json_t *v = svl_cli_json();
	json_t *cards = json_object_get(v, "cards");
	cr_assert_eq(json_array_size(cards), 2);
	json_t *c0 = json_array_get(cards, 0);
	cr_assert_str_eq(json_string_value(json_object_get(c0, "part_no")),
			 "04465-06240", "part number order");
	cr_assert_eq(fig(c0, "quarantined_milli"), 1000);
	cr_assert_eq(fig(c0, "quarantined_value_fen"), 46000);
	cr_assert_eq(json_integer_value(json_object_get(c0, "lines")), 2);
	json_decref(v);
	cr_assert_eq(run("stock-cards -d L --as-of 12 --json"), 0);
	v = svl_cli_json();
	cards = json_object_get(v, "cards");
	cr_assert_eq(json_array_size(cards), 1, "only 90915-YZZD4 by seq 12");
	cr_assert(json_is_null(json_object_get(json_array_get(cards, 0),
					       "lines")));
	json_decref(v);
	cr_assert_eq(run("stock-cards -d L --occurred"), 1);
}

/* A page of cards, the cursor of the next, and the total. */
Test(cli_stock, cards_a_page_at_a_time)
{
	cr_assert_eq(run("stock-cards -d L --limit 1"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "\n04465-06240 "), "%s", last.out);
	cr_assert(svl_cli_has(last.out, "\n1 of 2 cards; next page: --after "
					"0b04465-06240.0bW1-A03-2-06\n"),
		  "%s", last.out);
	cr_assert_eq(run("stock-cards -d L --limit 1 --after "
			 "0b04465-06240.0bW1-A03-2-06 --json"),
		     0, "%s", last.err);
	json_t *v = svl_cli_json();
	json_t *cards = json_object_get(v, "cards");
	cr_assert_eq(json_array_size(cards), 1);
	cr_assert_str_eq(json_string_value(json_object_get(
			     json_array_get(cards, 0), "part_no")),
			 "90915-YZZD4");
	cr_assert_eq(json_integer_value(json_object_get(v, "total")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(v, "next")), "");
	json_decref(v);
}

/* Transfers between the group's stores (docs/group.md): out at the
 * average cost of on hand (6.5 at 69.00: 2 leave, 138.00 of value), in
 * at the cost the sending store gives, on the receiving store's card. */
Test(cli_stock, transfers_move_value_at_average_and_given_cost)
{
	svl_cli_write("out.ndjson",
		      "{\"type\":\"stock_transferred_out\",\"actor\":\"E012\","
		      "\"role\":\"warehouse_keeper\",\"occurred_at\":"
		      "\"2026-07-05T09:00:00+08:00\",\"payload\":{"
		      "\"transfer_id\":\"TR-1\",\"part_no\":\"90915-YZZD4\","
		      "\"bin\":\"W1-A03-2-05\",\"qty_milli\":2000,"
		      "\"to_store\":\"S018\"}}\n");
	cr_assert_eq(run("append -d L out.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --json"), 0, "%s",
		     last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(fig(v, "on_hand_milli"), 4500);
	cr_assert_eq(fig(v, "value_fen"), 44850 - 13800);
	json_t *l = json_array_get(json_object_get(v, "lines"), 3);
	cr_assert_str_eq(json_string_value(json_object_get(l, "doc")), "TR-1");
	cr_assert_str_eq(json_string_value(json_object_get(l, "counterparty")),
			 "S018");
	json_decref(v);
	svl_cli_write("in.ndjson",
		      "{\"type\":\"stock_transferred_in\",\"actor\":\"E012\","
		      "\"role\":\"warehouse_keeper\",\"occurred_at\":"
		      "\"2026-07-05T15:00:00+08:00\",\"payload\":{"
		      "\"transfer_id\":\"TR-9\",\"part_no\":\"90915-YZZD4\","
		      "\"bin\":\"W1-A03-2-05\",\"qty_milli\":1000,"
		      "\"unit_cost_fen\":7500,\"from_store\":\"S016\"}}\n");
	cr_assert_eq(run("append -d L in.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("stock-card -d L 90915-YZZD4 --json"), 0);
	v = svl_cli_json();
	cr_assert_eq(fig(v, "on_hand_milli"), 5500);
	cr_assert_eq(fig(v, "value_fen"), 31050 + 7500);
	cr_assert_eq(fig(v, "last_cost_fen"), 7500);
	json_decref(v);
	/* more than the shelf holds: refused by R-BIN-2, nothing written */
	cr_assert_eq(run("append -d L out.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L out.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L out.ndjson"), 3, "%s", last.err);
	cr_assert(svl_cli_has(last.err, "R-BIN-2"), "%s", last.err);
	cr_assert(svl_cli_has(last.err, "to send to store S018"), "%s",
		  last.err);
}
