/*
 * test_group_query.c - a group ledger's figures (group_dir.h): the
 * group's metrics are the stores' added up, period by period; --by store
 * gives each store's own rows; a part's card across the stores and their
 * total; the transfers between stores paired by id, part and sender, in
 * every state (arrived, short, misdirected, in transit, overdue by the
 * group's clock, no sending half); and the commands refusing what does
 * not apply to a group or to a single ledger.
 *
 * The group ledgers here are built by hand in the layout `svcledger
 * group` keeps (G/group.json, G/stores/<store>/ whole ledgers), so that
 * the figures are tested without a NATS cluster; tests/test_group.c
 * fills the same layout from a real one.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

static void group_of(const char *g)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", svl_cli_dir(), g);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/%s/stores", svl_cli_dir(), g);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/group.json", g);
	svl_cli_write(path, "{\"group\":\"acme\"}\n");
}

static void setup(void)
{
	svl_cli_setup();
}

TestSuite(group_query, .init = setup, .fini = svl_cli_teardown);

static json_int_t counter(json_t *row, const char *name)
{
	return json_integer_value(
	    json_object_get(json_object_get(row, "counters"), name));
}

Test(group_query, metrics_add_up_the_stores)
{
	group_of("G");
	svl_cli_jobs_ledger("G/stores/S017");
	svl_cli_jobs_ledger("G/stores/S018");
	cr_assert_eq(run("metrics -d G/stores/S017 --period month --json"), 0,
		     "%s", last.err);
	json_t *one = svl_cli_json();
	json_t *one_total = json_object_get(one, "total");
	cr_assert_eq(run("metrics -d G --period month --json"), 0, "%s",
		     last.err);
	json_t *grp = svl_cli_json();
	json_t *rows = json_object_get(grp, "rows");
	cr_assert_eq(json_array_size(rows),
		     json_array_size(json_object_get(one, "rows")));
	static const char *const names[] = {
	    "delivered", "fu_covered", "fu_reached", "on_time", "promised"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++)
		cr_assert_eq(counter(json_object_get(grp, "total"), names[k]),
			     2 * counter(one_total, names[k]), "%s", names[k]);
	/* the ratios are those of the sums, the same as one store's here */
	cr_assert(
	    json_equal(json_object_get(json_object_get(grp, "total"), "ratios"),
		       json_object_get(one_total, "ratios")));
	json_decref(grp);
	cr_assert_eq(run("metrics -d G --period month --by store --json"), 0,
		     "%s", last.err);
	json_t *by = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(by, "by")), "store");
	rows = json_object_get(by, "rows");
	cr_assert_eq(json_array_size(rows), 2);
	cr_assert_str_eq(
	    json_string_value(json_object_get(json_array_get(rows, 0), "key")),
	    "S017");
	cr_assert_str_eq(
	    json_string_value(json_object_get(json_array_get(rows, 1), "key")),
	    "S018");
	cr_assert(json_equal(
	    json_object_get(json_array_get(rows, 1), "counters"),
	    json_object_get(json_array_get(json_object_get(one, "rows"), 0),
			    "counters")));
	json_decref(by);
	json_decref(one);
	cr_assert_eq(run("metrics -d G --period month --by store"), 0);
	cr_assert(svl_cli_has(last.out, "store"), "%s", last.out);
	cr_assert(svl_cli_has(last.out, "S018"), "%s", last.out);
	/* what a group cannot answer, and what a store cannot */
	cr_assert_eq(run("metrics -d G --period month --by advisor"), 1);
	cr_assert(svl_cli_has(last.err, "overall or store"), "%s", last.err);
	cr_assert_eq(run("metrics -d G/stores/S017 --period month --by "
			 "store"),
		     1);
	cr_assert(svl_cli_has(last.err, "group ledger"), "%s", last.err);
}

static void append_to(const char *dir, const char *name, const char *line)
{
	svl_cli_write(name, line);
	cr_assert_eq(run("append -d %s %s", dir, name), 0, "%s: %s", name,
		     last.err);
}

#define XFER(type, at, body)                                                   \
	"{\"type\":\"" type "\",\"actor\":\"E012\",\"role\":"                  \
	"\"warehouse_keeper\",\"occurred_at\":\"2026-07-05T" at                \
	":00+08:00\",\"payload\":{" body "}}\n"
#define PART "\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\""

Test(group_query, a_part_across_the_stores_and_the_transfers)
{
	group_of("G");
	svl_cli_stock_ledger("G/stores/S017");
	svl_cli_stock_ledger("G/stores/S018");
	/* TR-1: 2 sent, 2 arrived; TR-2: 1 sent, still on the road;
	 * TR-3: named S099, arrived at S018; TR-4: 2 sent, 1 arrived;
	 * TR-9: arrived from a store that is not in the group */
	append_to("G/stores/S017", "o.ndjson",
		  XFER("stock_transferred_out", "09:00",
		       "\"transfer_id\":\"TR-1\"," PART
		       ",\"qty_milli\":2000,\"to_store\":\"S018\"")
		      XFER("stock_transferred_out", "10:00",
			   "\"transfer_id\":\"TR-2\"," PART
			   ",\"qty_milli\":1000,\"to_store\":\"S018\"")
			  XFER("stock_transferred_out", "10:30",
			       "\"transfer_id\":\"TR-3\"," PART
			       ",\"qty_milli\":500,\"to_store\":\"S099\"")
			      XFER("stock_transferred_out", "11:00",
				   "\"transfer_id\":\"TR-4\"," PART
				   ",\"qty_milli\":2000,\"to_store\":"
				   "\"S018\""));
	append_to("G/stores/S018", "i.ndjson",
		  XFER("stock_transferred_in", "15:00",
		       "\"transfer_id\":\"TR-1\"," PART
		       ",\"qty_milli\":2000,\"unit_cost_fen\":6900,"
		       "\"from_store\":\"S017\"")
		      XFER("stock_transferred_in", "15:10",
			   "\"transfer_id\":\"TR-3\"," PART
			   ",\"qty_milli\":500,\"unit_cost_fen\":6900,"
			   "\"from_store\":\"S017\"")
			  XFER("stock_transferred_in", "15:20",
			       "\"transfer_id\":\"TR-4\"," PART
			       ",\"qty_milli\":1000,\"unit_cost_fen\":6900,"
			       "\"from_store\":\"S017\"")
			      XFER("stock_transferred_in", "15:30",
				   "\"transfer_id\":\"TR-9\"," PART
				   ",\"qty_milli\":1000,\"unit_cost_fen\":"
				   "7000,\"from_store\":\"S003\""));
	/* the part in both stores, and the group's total */
	cr_assert_eq(run("stock-card 90915-YZZD4 -d G --all-stores --json"), 0,
		     "%s", last.err);
	json_t *v = svl_cli_json();
	json_t *stores = json_object_get(v, "stores");
	cr_assert_eq(json_array_size(stores), 2);
	json_int_t oh0 = json_integer_value(json_object_get(
	    json_object_get(json_array_get(stores, 0), "figures"),
	    "on_hand_milli"));
	json_int_t oh1 = json_integer_value(json_object_get(
	    json_object_get(json_array_get(stores, 1), "figures"),
	    "on_hand_milli"));
	cr_assert_eq(oh0, 6500 - 5500);			    /* S017 sent 5.5 */
	cr_assert_eq(oh1, 6500 + 2000 + 500 + 1000 + 1000); /* S018 got 4.5 */
	cr_assert_eq(json_integer_value(json_object_get(
			 json_object_get(v, "total"), "on_hand_milli")),
		     oh0 + oh1);
	json_decref(v);
	cr_assert_eq(run("stock-card 90915-YZZD4 -d G --all-stores"), 0);
	cr_assert(svl_cli_has(last.out, "S018"), "%s", last.out);
	cr_assert_eq(run("stock-card NOPE -d G --all-stores"), 2);
	cr_assert_eq(run("stock-card 90915-YZZD4 -d G"), 1);
	cr_assert(svl_cli_has(last.err, "--all-stores"), "%s", last.err);
	cr_assert_eq(run("stock-card 90915-YZZD4 -d G/stores/S017 "
			 "--all-stores"),
		     1);
	/* the transfers, each where it stands */
	cr_assert_eq(run("transfers -d G --json"), 0, "%s", last.err);
	v = svl_cli_json();
	json_t *x = json_object_get(v, "transfers");
	cr_assert_eq(json_array_size(x), 5);
	static const char *const want[][2] = {{"TR-1", "arrived"},
					      {"TR-2", "in transit"},
					      {"TR-3", "misdirected"},
					      {"TR-4", "arrived short"},
					      {"TR-9", "no sending half"}};
	for (size_t i = 0; i < 5; i++) {
		json_t *t = json_array_get(x, i);
		cr_assert_str_eq(
		    json_string_value(json_object_get(t, "transfer_id")),
		    want[i][0]);
		cr_assert_str_eq(json_string_value(json_object_get(t, "state")),
				 want[i][1], "%s", want[i][0]);
	}
	cr_assert_eq(json_integer_value(json_object_get(v, "in_transit")), 1);
	cr_assert_eq(json_integer_value(json_object_get(v, "in_transit_milli")),
		     1000);
	cr_assert_eq(json_integer_value(json_object_get(v, "overdue")), 0);
	json_decref(v);
	/* by the group's clock (15:30) TR-2 has been on the road 5.5 h */
	cr_assert_eq(run("transfers -d G --overdue-hours 5 --json"), 0);
	v = svl_cli_json();
	cr_assert_str_eq(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(v, "transfers"), 1), "state")),
	    "overdue");
	cr_assert_eq(json_integer_value(json_object_get(v, "overdue")), 1);
	json_decref(v);
	cr_assert_eq(run("transfers -d G"), 0);
	cr_assert(svl_cli_has(last.out, "5 transfers; in transit: 1 (1 "
					"units)"),
		  "%s", last.out);
	cr_assert_eq(run("transfers -d G/stores/S017"), 1);
	cr_assert(svl_cli_has(last.err, "not a group ledger"), "%s", last.err);
}
