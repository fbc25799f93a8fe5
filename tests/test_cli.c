/*
 * test_cli.c - the svcledger tool as a user runs it: exit codes, the
 * one-line error format, --help everywhere, and the ledger-wide commands
 * (init, head, verify, log). The other commands have their own
 * test_cli_<group>.c; cli_fixture.h runs the tool.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* exactly one line, in the common error form */
static void one_error_line(const char *cmd)
{
	char want[64];
	snprintf(want, sizeof want, "svcledger: %s: ", cmd);
	cr_assert(starts_with(last.err, want), "%s", last.err);
	cr_assert_eq(svl_cli_lines(last.err), 1, "one line: %s", last.err);
}

TestSuite(cli, .init = svl_cli_setup, .fini = svl_cli_teardown);

/* ---- init ---- */

Test(cli, init_creates_then_refuses_a_second_init)
{
	cr_assert_eq(run("init -d L"), 0, "%s", last.err);
	cr_assert(starts_with(last.out, "created ledger L (id "), "%s",
		  last.out);
	cr_assert(svl_cli_has(last.out, "rules 'default')"), "%s", last.out);
	cr_assert_eq(run("init -d L"), 6);
	cr_assert_str_eq(last.err, "svcledger: init: L: a ledger already "
				   "exists there; nothing was changed\n");
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("init -d M --json"), 0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(v, "dir")), "M");
	cr_assert_str_eq(json_string_value(json_object_get(v, "rules_id")),
			 "default");
	cr_assert_eq(strlen(json_string_value(json_object_get(v, "ledger_id"))),
		     32);
	json_decref(v);
	cr_assert_eq(run("init -d M --json"), 6);
	cr_assert_str_eq(last.out, "");
}

Test(cli, init_uses_env_then_default_dir)
{
	cr_assert_eq(run("init"), 0, "%s", last.err);
	cr_assert(starts_with(last.out, "created ledger ./ledger "));
	cr_assert_eq(run("head -d E"), 2, "no ledger yet");
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && SVCLEDGER_DIR=E '%s' init >/dev/null 2>&1 && "
		 "test -f E/data.mdb",
		 svl_cli_dir(), svl_cli_tool());
	cr_assert_eq(system(cmd), 0);
}

Test(cli, init_makes_a_ledger_queries_can_open_read_only)
{
	cr_assert_eq(run("init -d L"), 0, "%s", last.err);
	/* the projection tables exist from the start */
	cr_assert_eq(run("projections -d L --json"), 0, "%s", last.err);
	cr_assert_eq(run("stock-cards -d L"), 0, "%s", last.err);
	cr_assert_eq(run("work-orders -d L --json"), 0, "%s", last.err);
}

/* ---- verify ---- */

Test(cli, verify_ok_exits_0_and_json_parses)
{
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("verify -d D"), 0, "%s", last.err);
	cr_assert(starts_with(last.out, "OK: 16 events, head seq 16, hash "),
		  "%s", last.out);
	const char *h = strstr(last.out, "hash ") + 5;
	cr_assert(is_hex(h, 32) && h[32] == '\n', "%s", last.out);
	cr_assert_eq(run("verify -d D --json"), 0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert(json_is_true(json_object_get(v, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(v, "events")), 16);
	cr_assert_eq(json_integer_value(json_object_get(v, "head_seq")), 16);
	const char *hh = json_string_value(json_object_get(v, "head_hash"));
	cr_assert(hh && strlen(hh) == 32 && is_hex(hh, 32));
	json_decref(v);
}

/* Change every copy of a payload key in the file (LMDB keeps stale copies
 * of pages it replaced), so the live records differ from their hashes. */
static int tamper(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s/data.mdb", svl_cli_dir(), dir);
	FILE *f = fopen(path, "r+b");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	char *buf = malloc((size_t)n);
	fseek(f, 0, SEEK_SET);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	int changed = 0;
	for (char *p = buf; (p = memmem(p, (size_t)(buf + n - p), "qty_milli",
					9));
	     p += 9, changed++)
		p[8] = 'j';
	fseek(f, 0, SEEK_SET);
	cr_assert_eq(fwrite(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	free(buf);
	return changed;
}

Test(cli, verify_tampered_ledger_exits_4)
{
	svl_cli_stock_ledger("D");
	cr_assert_gt(tamper("D"), 0);
	cr_assert_eq(run("verify -d D"), 4, "%s%s", last.out, last.err);
	cr_assert(starts_with(last.err,
			      "svcledger: verify: FAILED at seq 12: hash "
			      "mismatch: "),
		  "the first shelving: %s", last.err);
	cr_assert_eq(svl_cli_lines(last.err), 1, "%s", last.err);
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("verify -d D --json"), 4);
	json_t *v = svl_cli_json();
	cr_assert(json_is_false(json_object_get(v, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(v, "bad_seq")), 12);
	cr_assert_str_eq(json_string_value(json_object_get(v, "problem")),
			 "hash mismatch");
	json_decref(v);
}

Test(cli, verify_without_ledger_exits_2)
{
	cr_assert_eq(run("verify -d nowhere"), 2);
	cr_assert(starts_with(last.err, "svcledger: verify: nowhere: no "
					"ledger here"),
		  "%s", last.err);
	one_error_line("verify");
}

/* ---- head ---- */

Test(cli, head_of_empty_and_written_ledger)
{
	cr_assert_eq(run("init -d L"), 0);
	cr_assert_eq(run("head -d L"), 0);
	cr_assert_str_eq(last.out, "head seq 0 (empty ledger), hash "
				   "00000000000000000000000000000000\n");
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("head -d D --json"), 0);
	json_t *v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(v, "seq")), 16);
	cr_assert_eq(strlen(json_string_value(json_object_get(v, "hash"))),
		     32);
	cr_assert_eq(strlen(json_string_value(
			     json_object_get(v, "ledger_id"))),
		     32);
	json_decref(v);
	cr_assert_eq(run("head -d nowhere --json"), 2);
	one_error_line("head");
}

/* ---- log ---- */

Test(cli, log_table_has_header_and_named_types)
{
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("log -d D --limit 3"), 0, "%s", last.err);
	cr_assert_eq(svl_cli_lines(last.out), 4, "%s", last.out);
	cr_assert(svl_cli_has(last.out, "stream@version") &&
		  svl_cli_has(last.out, "actor/role"));
	const char *row = strchr(last.out, '\n') + 1;
	cr_assert(starts_with(row, "         1  20"), "%s", row);
	cr_assert(svl_cli_has(row, "staff-E001@1") &&
		  svl_cli_has(row, "staff_role_assigned") &&
		  svl_cli_has(row, "E001/service_manager"),
		  "%s", row);
}

Test(cli, log_ndjson_lines_parse_with_every_field)
{
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("log -d D --ndjson --from 12 --to 14"), 0, "%s",
		     last.err);
	json_int_t want = 12;
	for (char *line = strtok(last.out, "\n"); line;
	     line = strtok(NULL, "\n"), want++) {
		json_error_t e;
		json_t *v = json_loads(line, 0, &e);
		cr_assert_not_null(v, "%s: %s", e.text, line);
		cr_assert_eq(json_integer_value(json_object_get(v, "seq")),
			     want);
		const char *h = json_string_value(json_object_get(v, "hash"));
		const char *id = json_string_value(json_object_get(v, "id"));
		cr_assert(h && strlen(h) == 32 && id && strlen(id) == 32);
		json_t *p = json_object_get(v, "payload");
		cr_assert(json_is_integer(json_object_get(p, "qty_milli")),
			  "%s", line);
		cr_assert_str_eq(json_string_value(
					 json_object_get(v, "type_name")),
				 "parts_shelved");
		cr_assert(json_is_null(json_object_get(v, "correlation_id")));
		json_decref(v);
	}
	cr_assert_eq(want, 15);
}

Test(cli, log_filters_by_stream_type_name_and_actor)
{
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("log -d D --json --stream part-90915-YZZD4 --type "
			 "parts_shelved"),
		     0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(json_array_size(v), 2, "%s", last.out);
	size_t i;
	json_t *ev;
	json_array_foreach(v, i, ev)
	{
		cr_assert_str_eq(json_string_value(
					 json_object_get(ev, "stream")),
				 "part-90915-YZZD4");
		cr_assert_eq(json_integer_value(json_object_get(ev, "type")),
			     421);
	}
	json_decref(v);
	cr_assert_eq(run("log -d D --json --actor E001 --type 601"), 0);
	v = svl_cli_json();
	cr_assert_eq(json_array_size(v), 9, "the staff");
	json_decref(v);
	cr_assert_eq(run("log -d D --json --base64 --limit 1"), 0);
	v = svl_cli_json();
	cr_assert(json_is_string(
		json_object_get(json_array_get(v, 0), "payload_b64")));
	json_decref(v);
	cr_assert_eq(run("log -d D --type no_such_type"), 1);
	one_error_line("log");
	cr_assert(svl_cli_has(last.err, "no event type 'no_such_type'"));
}

Test(cli, log_time_window_by_iso_and_ms)
{
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("log -d D --ndjson --until 2000-01-01T00:00:00Z"), 0);
	cr_assert_str_eq(last.out, "", "recorded now, not in 2000");
	cr_assert_eq(run("log -d D --ndjson --since 946684800000 --limit 1"),
		     0);
	cr_assert(starts_with(last.out, "{\"seq\":1,"), "%s", last.out);
	cr_assert_eq(run("log -d D --since yesterday"), 1);
	cr_assert(starts_with(last.err, "svcledger: log: --since: "));
}

/* log reads --since/--until in the command line's one time dialect
 * (docs/cli.md, "Times on the command line"), in UTC, the zone of its
 * table: before, it took only UTC ms, a date, or
 * YYYY-MM-DDTHH:MM:SS[.mmm]Z. */
Test(cli, log_times_in_the_one_dialect_are_utc_without_an_offset)
{
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("log -d D --ndjson --from 1 --to 1"), 0);
	json_t *v = svl_cli_json();
	char at[40];
	snprintf(at, sizeof at, "%s",
		 json_string_value(json_object_get(v, "recorded_at")));
	json_decref(v);
	size_t n = strlen(at);
	cr_assert(n == 24 && at[n - 1] == 'Z', "%s", at);
	at[n - 1] = '\0'; /* seq 1's recorded time as a wall time */
	cr_assert_eq(run("log -d D --ndjson --since %s --limit 1", at), 0,
		     "%s", last.err);
	cr_assert(starts_with(last.out, "{\"seq\":1,"), "%s", last.out);
	cr_assert_eq(run("log -d D --ndjson --until %s", at), 0, "%s",
		     last.err);
	cr_assert_str_eq(last.out, "", "nothing before seq 1: read as UTC");
	/* a space for the T and an offset: +08:00 is 8 hours earlier, -01:00
	 * an hour later (the fixture was written in seconds) */
	at[10] = ' ';
	cr_assert_eq(run("log -d D --ndjson --since '%s+08:00' --limit 1", at),
		     0, "%s", last.err);
	cr_assert(starts_with(last.out, "{\"seq\":1,"), "%s", last.out);
	cr_assert_eq(run("log -d D --ndjson --since '%s-01:00'", at), 0, "%s",
		     last.err);
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("log -d D --ndjson --since 2000-01-01T00:00 --limit 1"),
		     0, "%s", last.err);
	cr_assert(starts_with(last.out, "{\"seq\":1,"), "%s", last.out);
	cr_assert_eq(run("log -d D --ndjson --until '2000-01-01 08:00+08:00'"),
		     0, "%s", last.err);
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("log -d D --since 2026-02-29"), 1, "no such day");
	cr_assert_str_eq(last.err,
			 "svcledger: log: --since: '2026-02-29' is not a time: "
			 "UTC milliseconds, or YYYY-MM-DD[THH:MM[:SS[.fff]]] in "
			 "UTC+00:00, or with Z or +HH:MM\n");
}

Test(cli, log_rejects_both_json_forms)
{
	svl_cli_stock_ledger("D");
	cr_assert_eq(run("log -d D --json --ndjson"), 1);
	cr_assert_str_eq(last.err, "svcledger: log: --json and --ndjson "
				   "exclude each other\n");
}

/* ---- usage ---- */

Test(cli, unknown_command_exits_1)
{
	cr_assert_eq(run("frobnicate"), 1);
	cr_assert_str_eq(last.err, "svcledger: frobnicate: unknown command "
				   "(see 'svcledger --help')\n");
}

Test(cli, unknown_option_and_bad_value_exit_1)
{
	cr_assert_eq(run("log --bogus"), 1);
	cr_assert(starts_with(last.err, "svcledger: log: unknown option "
					"'--bogus'"),
		  "%s", last.err);
	cr_assert_eq(run("log --from ten"), 1);
	cr_assert_eq(run("log --from"), 1);
	cr_assert_eq(run("head --json=yes"), 1);
	cr_assert_eq(run("init extra"), 1);
}

static const char *const commands[] = {
#define SVL_CLI_COMMAND(name, fn, summary) name,
#include "commands.h"
#undef SVL_CLI_COMMAND
};

Test(cli, help_on_every_command_exits_0)
{
	cr_assert_eq(run("--help"), 0);
	char *top = strdup(last.out);
	cr_assert(svl_cli_has(top, "3 rule refusal, 4 integrity failure"));
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char want[64];
		snprintf(want, sizeof want, "\n  %s ", commands[i]);
		cr_assert(svl_cli_has(top, want), "--help lacks %s",
			  commands[i]);
		cr_assert_eq(run("%s --help", commands[i]), 0, "%s",
			     commands[i]);
		snprintf(want, sizeof want, "usage: svcledger %s ",
			 commands[i]);
		cr_assert(starts_with(last.out, want), "%s", last.out);
		cr_assert(svl_cli_has(last.out, "\noptions:\n") &&
			  svl_cli_has(last.out, "\nexample:\n"),
			  "%s", last.out);
		cr_assert_str_eq(last.err, "");
		cr_assert_eq(run("help %s", commands[i]), 0);
	}
	free(top);
	cr_assert_eq(run("--version"), 0);
	cr_assert(starts_with(last.out, "svcledger "));
	cr_assert_eq(run("%s", ""), 1);
}

/* ---- bench ---- */

/* small sizes: the bench's default projection ledger (a million events)
 * takes over a minute under the sanitizers */
Test(cli, bench_smoke_prints_its_figures)
{
	cr_assert_eq(run("bench --events 2000 --proj-events 2000 --dir ."), 0,
		     "%s", last.err);
	static const char *const want[] = {
		"machine ", "4 KiB pwrite + fdatasync", "batch 1 ",
		"batch 10,000", "SVL_LOG_NOSYNC", "svl_log_iter_seq",
		"svl_log_verify", "MDB_APPEND", "XXH3-128",
		"durable single appends", "peak RSS", "NDJSON import",
		"as-of stock card", "full rebuild of the projections"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(svl_cli_has(last.out, want[i]), "no '%s' in:\n%s",
			  want[i], last.out);
}
