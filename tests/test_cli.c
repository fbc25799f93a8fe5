/*
 * test_cli.c - the svcledger tool as a user runs it: exit codes, the
 * one-line error format, output formats (parsed back), --help everywhere.
 *
 * The tool under test is the sanitizer build named by $SVL_TOOL (set by
 * `make test`), else build/svcledger-san. Each test works in a fresh
 * temporary directory; stdout and stderr are captured to files there.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "fixture.h"

static char tool[4096];
static char *tmp;

typedef struct run_result {
	int code;
	char *out;
	char *err;
} run_result;

static run_result last;

static void clear_last(void)
{
	free(last.out);
	free(last.err);
	memset(&last, 0, sizeof last);
}

static void setup(void)
{
	const char *t = getenv("SVL_TOOL");
	if (!realpath(t && *t ? t : "build/svcledger-san", tool))
		cr_assert_fail("no tool at %s", t && *t ? t : "build/svcledger-san");
	tmp = svl_test_mkdtemp();
	cr_assert_not_null(tmp);
}

static void teardown(void)
{
	clear_last();
	svl_test_rmdir(tmp);
	tmp = NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Run the tool with `args` (shell words) inside the temp dir. */
__attribute__((format(printf, 1, 2))) static int run(const char *fmt, ...)
{
	char args[2048], cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && env -u SVCLEDGER_DIR '%s' %s >.out 2>.err", tmp,
		 tool, args);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "tool did not exit: %s", cmd);
	clear_last();
	char path[4200];
	snprintf(path, sizeof path, "%s/.out", tmp);
	last.out = slurp(path);
	snprintf(path, sizeof path, "%s/.err", tmp);
	last.err = slurp(path);
	last.code = WEXITSTATUS(st);
	return last.code;
}

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

static void demo(const char *dir)
{
	cr_assert_eq(run("demo -d %s", dir), 0, "demo: %s", last.err);
}

TestSuite(cli, .init = setup, .fini = teardown);

/* ---- init ---- */

Test(cli, init_creates_then_refuses_a_second_init)
{
	cr_assert_eq(run("init -d L"), 0, "%s", last.err);
	cr_assert(starts_with(last.out, "created ledger L (id "), "%s",
		  last.out);
	cr_assert_eq(run("init -d L"), 6);
	cr_assert_str_eq(last.err, "svcledger: init: L: a ledger already "
				   "exists there; nothing was changed\n");
	cr_assert_str_eq(last.out, "");
}

Test(cli, init_uses_env_then_default_dir)
{
	cr_assert_eq(run("init"), 0, "%s", last.err);
	cr_assert(starts_with(last.out, "created ledger ./ledger "));
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && SVCLEDGER_DIR=E '%s' init >/dev/null 2>&1 && "
		 "test -f E/data.mdb",
		 tmp, tool);
	cr_assert_eq(system(cmd), 0);
}

/* ---- verify ---- */

Test(cli, verify_ok_exits_0)
{
	demo("D");
	cr_assert_eq(run("verify -d D"), 0, "%s", last.err);
	cr_assert(starts_with(last.out, "OK: 400 events, head seq 400, hash "),
		  "%s", last.out);
	const char *h = strstr(last.out, "hash ") + 5;
	cr_assert(is_hex(h, 32) && h[32] == '\n', "%s", last.out);
}

Test(cli, verify_json_parses)
{
	demo("D");
	cr_assert_eq(run("verify -d D --json"), 0, "%s", last.err);
	json_error_t e;
	json_t *v = json_loads(last.out, 0, &e);
	cr_assert_not_null(v, "%s: %s", e.text, last.out);
	cr_assert(json_is_true(json_object_get(v, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(v, "events")), 400);
	cr_assert_eq(json_integer_value(json_object_get(v, "head_seq")), 400);
	const char *h = json_string_value(json_object_get(v, "head_hash"));
	cr_assert(h && strlen(h) == 32 && is_hex(h, 32));
	json_decref(v);
}

/* Change every copy of a payload key in the file (LMDB keeps stale copies
 * of pages it replaced), so the live records differ from their hashes. */
static int tamper(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s/data.mdb", tmp, dir);
	char *buf;
	FILE *f = fopen(path, "r+b");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	buf = malloc((size_t)n);
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
	demo("D");
	cr_assert_gt(tamper("D"), 0);
	cr_assert_eq(run("verify -d D"), 4, "%s%s", last.out, last.err);
	cr_assert(starts_with(last.out, "FAILED at seq 1: hash mismatch: "),
		  "%s", last.out);
	cr_assert_eq(run("verify -d D --json"), 4);
	json_t *v = json_loads(last.out, 0, NULL);
	cr_assert_not_null(v, "%s", last.out);
	cr_assert(json_is_false(json_object_get(v, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(v, "bad_seq")), 1);
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
	cr_assert_eq(strchr(last.err, '\n') - last.err + 1,
		     (long)strlen(last.err), "one line: %s", last.err);
}

/* ---- head ---- */

Test(cli, head_of_empty_and_demo_ledger)
{
	cr_assert_eq(run("init -d L"), 0);
	cr_assert_eq(run("head -d L"), 0);
	cr_assert_str_eq(last.out, "head seq 0 (empty ledger), hash "
				   "00000000000000000000000000000000\n");
	demo("D");
	cr_assert_eq(run("head -d D --json"), 0);
	json_t *v = json_loads(last.out, 0, NULL);
	cr_assert_not_null(v);
	cr_assert_eq(json_integer_value(json_object_get(v, "seq")), 400);
	cr_assert_eq(strlen(json_string_value(json_object_get(v, "hash"))),
		     32);
	json_decref(v);
}

/* ---- log ---- */

Test(cli, log_table_has_header_and_rows)
{
	demo("D");
	cr_assert_eq(run("log -d D --limit 3"), 0, "%s", last.err);
	int lines = 0;
	for (const char *p = last.out; *p; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, 4, "%s", last.out);
	cr_assert(strstr(last.out, "stream@version") &&
		  strstr(last.out, "actor/role"));
	const char *row = strchr(last.out, '\n') + 1;
	cr_assert(starts_with(row, "         1  2026-09-30T08:00:"), "%s", row);
}

Test(cli, log_ndjson_lines_parse_with_every_field)
{
	demo("D");
	cr_assert_eq(run("log -d D --ndjson --from 5 --to 9"), 0, "%s",
		     last.err);
	json_int_t want = 5;
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
		cr_assert(json_is_object(json_object_get(v, "payload")));
		cr_assert(json_is_string(json_object_get(
			json_object_get(v, "payload"), "doc")));
		cr_assert(json_is_null(json_object_get(v, "correlation_id")));
		json_decref(v);
	}
	cr_assert_eq(want, 10);
}

Test(cli, log_json_array_and_filters)
{
	demo("D");
	cr_assert_eq(run("log -d D --json --stream wo-2026-00042 --type 10"),
		     0, "%s", last.err);
	json_t *v = json_loads(last.out, 0, NULL);
	cr_assert(json_is_array(v), "%s", last.out);
	cr_assert_gt(json_array_size(v), 0);
	size_t i;
	json_t *ev;
	json_int_t ver = 0;
	json_array_foreach(v, i, ev)
	{
		cr_assert_str_eq(
			json_string_value(json_object_get(ev, "stream")),
			"wo-2026-00042");
		cr_assert_eq(json_integer_value(
				     json_object_get(ev, "stream_version")),
			     ++ver);
	}
	json_decref(v);
	cr_assert_eq(run("log -d D --json --base64 --limit 1"), 0);
	v = json_loads(last.out, 0, NULL);
	cr_assert(json_is_string(
		json_object_get(json_array_get(v, 0), "payload_b64")));
	json_decref(v);
}

Test(cli, log_time_window_by_iso_and_ms)
{
	demo("D");
	/* the demo starts at 2026-09-30T08:00:00Z = 1790755200000 ms */
	cr_assert_eq(run("log -d D --ndjson --until 2026-09-30T08:00:00Z"), 0);
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("log -d D --ndjson --since 1790755200000 --limit 1"),
		     0);
	cr_assert(starts_with(last.out, "{\"seq\":1,"), "%s", last.out);
	cr_assert_eq(run("log -d D --since yesterday"), 1);
	cr_assert(starts_with(last.err, "svcledger: log: --since: "));
}

Test(cli, log_rejects_both_json_forms)
{
	demo("D");
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
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char want[64];
		snprintf(want, sizeof want, "\n  %s ", commands[i]);
		cr_assert(strstr(top, want), "--help lacks %s", commands[i]);
		cr_assert_eq(run("%s --help", commands[i]), 0, "%s",
			     commands[i]);
		snprintf(want, sizeof want, "usage: svcledger %s ",
			 commands[i]);
		cr_assert(starts_with(last.out, want), "%s", last.out);
		cr_assert(strstr(last.out, "\noptions:\n") &&
			  strstr(last.out, "\nexample:\n"),
			  "%s", last.out);
		cr_assert_eq(run("help %s", commands[i]), 0);
	}
	free(top);
	cr_assert_eq(run("--version"), 0);
	cr_assert(starts_with(last.out, "svcledger "));
	cr_assert_eq(run("%s", ""), 1);
}

/* ---- demo and bench ---- */

Test(cli, demo_is_deterministic_and_refuses_foreign_dirs)
{
	demo("D");
	char first[256], again[256];
	snprintf(first, sizeof first, "%s", strstr(last.out, "head seq"));
	first[strcspn(first, "\n")] = '\0';
	demo("D"); /* removes and rebuilds its own ledger */
	snprintf(again, sizeof again, "%s", strstr(last.out, "head seq"));
	again[strcspn(again, "\n")] = '\0';
	cr_assert_str_eq(again, first);
	cr_assert(strstr(last.out, "100 of 100 already in the log"));
	cr_assert(strstr(last.out, "refused, event 0: stream 'part-0001234'"));
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "mkdir '%s/F' && touch '%s/F/keep'", tmp,
		 tmp);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(run("demo -d F"), 5);
	cr_assert(starts_with(last.err, "svcledger: demo: F: "), "%s",
		  last.err);
}

Test(cli, bench_smoke_prints_its_figures)
{
	cr_assert_eq(run("bench --events 2000 --dir ."), 0, "%s", last.err);
	static const char *const want[] = {
		"machine ", "4 KiB pwrite + fdatasync", "batch 1 ",
		"batch 10,000", "SVL_LOG_NOSYNC", "svl_log_iter_seq",
		"svl_log_verify", "MDB_APPEND", "XXH3-128",
		"durable single appends", "peak RSS"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(strstr(last.out, want[i]), "no '%s' in:\n%s", want[i],
			  last.out);
}
