/*
 * test_cli_xfer.c - `svcledger export` and `import`: a round trip through
 * either form gives a new ledger with the same head hash (and the same
 * projections); every record is checked on the way in, and a bad export
 * leaves no ledger behind.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

static void setup(void)
{
	svl_cli_setup();
	svl_cli_stock_ledger("L");
}

TestSuite(cli_xfer, .init = setup, .fini = svl_cli_teardown);

static int exists(const char *name)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", svl_cli_dir(), name);
	return stat(path, &st) == 0;
}

static char *read_file(const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", svl_cli_dir(), name);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void same_card(const char *a, const char *b)
{
	cr_assert_eq(run("stock-card -d %s 90915-YZZD4 --json", a), 0);
	char *one = strdup(last.out);
	cr_assert_eq(run("stock-card -d %s 90915-YZZD4 --json", b), 0, "%s",
		     last.err);
	cr_assert_str_eq(one, last.out);
	free(one);
}

Test(cli_xfer, ndjson_round_trip_has_the_same_head_hash)
{
	char a[64], b[64];
	cr_assert_eq(run("export -d L -o e.ndjson"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "exported 16 events (seq 1..16, head "
					"hash "),
		  "%s", last.out);
	char *text = read_file("e.ndjson");
	cr_assert_eq(svl_cli_lines(text), 17, "a header and 16 records");
	char *second = strchr(text, '\n') + 1;
	json_t *rec = json_loadb(second, strcspn(second, "\n"), 0, NULL);
	cr_assert_not_null(rec);
	static const char *const keys[] = {
		"seq", "id", "stream", "stream_version", "type",
		"schema_version", "occurred_at_ms", "recorded_at_ms", "actor",
		"role", "correlation_id", "causation_id", "payload_b64",
		"payload", "prev_hash", "hash"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert_not_null(json_object_get(rec, keys[i]), "%s", keys[i]);
	json_decref(rec);
	free(text);
	cr_assert_eq(run("import -d C e.ndjson"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "imported 16 events into C"), "%s",
		  last.out);
	svl_cli_head("L", a);
	svl_cli_head("C", b);
	cr_assert_str_eq(a, b);
	cr_assert_eq(run("verify -d C"), 0, "%s", last.out);
	same_card("L", "C");
	/* the imported ledger goes on taking commands */
	svl_cli_write("bin.ndjson",
		      "{\"type\":\"bin_assigned\",\"actor\":\"E012\",\"role\":"
		      "\"warehouse_keeper\",\"occurred_at\":\"2026-07-06T09:0"
		      "0:00+08:00\",\"payload\":{\"part_no\":\"P-9\",\"bin\":"
		      "\"W1-A03-2-05\"}}\n");
	cr_assert_eq(run("append -d C bin.ndjson"), 3,
		     "the deciders know the imported bins (R-BIN-1)");
}

Test(cli_xfer, msgpack_round_trip_and_json_summaries)
{
	char a[64], b[64];
	cr_assert_eq(run("export -d L --format msgpack -o e.mp --json"), 0,
		     "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(v, "events")), 16);
	cr_assert_str_eq(json_string_value(json_object_get(v, "format")),
			 "msgpack");
	json_decref(v);
	cr_assert_eq(run("import -d C e.mp --json"), 0, "%s", last.err);
	v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(v, "events")), 16);
	const char *h = json_string_value(json_object_get(v, "head_hash"));
	svl_cli_head("L", a);
	cr_assert(svl_cli_has(a, h), "%s vs %s", a, h);
	json_decref(v);
	svl_cli_head("C", b);
	cr_assert_str_eq(a, b);
	same_card("L", "C");
	/* msgpack in through stdin; ndjson out on stdout */
	cr_assert_eq(run("import -d S - < e.mp"), 0, "%s", last.err);
	svl_cli_head("S", b);
	cr_assert_str_eq(a, b);
	cr_assert_eq(run("export -d L"), 0, "%s", last.err);
	cr_assert_eq(svl_cli_lines(last.out), 17);
	svl_cli_write("s.ndjson", last.out);
	cr_assert_eq(run("import -d T - < s.ndjson"), 0, "%s", last.err);
	svl_cli_head("T", b);
	cr_assert_str_eq(a, b);
}

/* Edit the text of an export file: replace the first `from` by `to`. */
static void edit(const char *name, const char *from, const char *to)
{
	char *text = read_file(name);
	char *p = strstr(text, from);
	cr_assert_not_null(p, "no %s in %s", from, name);
	size_t n = strlen(text) - strlen(from) + strlen(to);
	char *out = malloc(n + 1);
	size_t at = (size_t)(p - text);
	memcpy(out, text, at);
	strcpy(out + at, to);
	strcat(out, p + strlen(from));
	svl_cli_write(name, out);
	free(out);
	free(text);
}

/* A line written differently but meaning the same (escapes, upper-case
 * hex, keys in another order) is read by the general JSON path and
 * imports to the same chain. */
Test(cli_xfer, equivalent_json_spellings_import_the_same)
{
	char a[64], b[64];
	cr_assert_eq(run("export -d L -o e.ndjson"), 0, "%s", last.err);
	edit("e.ndjson", "\"actor\":\"E012\"",
	     "\"actor\":\"E\\u0030\\u0031\\u0032\"");
	edit("e.ndjson", "{\"seq\":11,\"id\":\"",
	     "{\"type_name\":null,\"seq\":11,\"id\":\"");
	cr_assert_eq(run("import -d C e.ndjson"), 0, "%s", last.err);
	svl_cli_head("L", a);
	svl_cli_head("C", b);
	cr_assert_str_eq(a, b);
}

Test(cli_xfer, altered_record_exits_4_and_leaves_no_ledger)
{
	cr_assert_eq(run("export -d L -o e.ndjson"), 0, "%s", last.err);
	edit("e.ndjson", "\"actor\":\"E012\"", "\"actor\":\"E013\"");
	cr_assert_eq(run("import -d C e.ndjson"), 4);
	cr_assert(svl_cli_has(last.err, "svcledger: import: seq 10: its "
					"fields do not hash to its hash"),
		  "%s", last.err);
	cr_assert(!exists("C"), "the new ledger is removed");
}

Test(cli_xfer, broken_seq_run_and_truncation_exit_2)
{
	cr_assert_eq(run("export -d L -o e.ndjson"), 0, "%s", last.err);
	edit("e.ndjson", "{\"seq\":3,", "{\"seq\":4,");
	cr_assert_eq(run("import -d C e.ndjson"), 2);
	cr_assert(svl_cli_has(last.err, "seq 4 where seq 3 was expected"),
		  "%s", last.err);
	cr_assert(!exists("C"));
	/* the header promises 16 events, the file holds 15 */
	cr_assert_eq(run("export -d L -o t.ndjson"), 0);
	char *text = read_file("t.ndjson");
	text[strlen(text) - 1] = '\0'; /* drop the last line */
	strrchr(text, '\n')[1] = '\0';
	svl_cli_write("t.ndjson", text);
	free(text);
	cr_assert_eq(run("import -d C t.ndjson"), 2);
	cr_assert(svl_cli_has(last.err, "the export's header says 16 events, "
					"the input holds 15"),
		  "%s", last.err);
	cr_assert(!exists("C"));
}

Test(cli_xfer, import_refuses_an_existing_ledger_and_non_exports)
{
	char a[64], b[64];
	cr_assert_eq(run("export -d L -o e.ndjson"), 0, "%s", last.err);
	svl_cli_head("L", a);
	cr_assert_eq(run("import -d L e.ndjson"), 6);
	cr_assert(svl_cli_has(last.err, "L: a ledger already exists there"),
		  "%s", last.err);
	svl_cli_head("L", b);
	cr_assert_str_eq(a, b);
	svl_cli_write("x.ndjson", "{\"type\":\"bin_assigned\"}\n");
	cr_assert_eq(run("import -d C x.ndjson"), 2);
	cr_assert(svl_cli_has(last.err, "not a svcledger export"), "%s",
		  last.err);
	cr_assert(!exists("C"));
	cr_assert_eq(run("import -d C nowhere.ndjson"), 2);
	cr_assert_eq(run("import -d C"), 1);
	cr_assert_eq(run("import -d C --format csv e.ndjson"), 1);
	cr_assert_eq(run("export -d L --format csv"), 1);
	cr_assert_eq(run("export -d L --json"), 1, "--json needs -o");
	cr_assert_eq(run("export -d nowhere -o n.ndjson"), 2);
	cr_assert(!exists("n.ndjson") && !exists("n.ndjson.partial"));
}

Test(cli_xfer, empty_ledger_round_trips)
{
	char a[64], b[64];
	cr_assert_eq(run("init -d E"), 0);
	cr_assert_eq(run("export -d E -o e.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("import -d C e.ndjson"), 0, "%s", last.err);
	svl_cli_head("E", a);
	svl_cli_head("C", b);
	cr_assert_str_eq(a, b);
}
