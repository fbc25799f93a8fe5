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
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* ---- an import is all or nothing, also when killed or raced ---- */

/* A demo week (7,267 events) exported to w.ndjson. */
static void week_export(void)
{
	cr_assert_eq(run("demo -d W --days 7 --quiet"), 0, "%s", last.err);
	cr_assert_eq(run("export -d W -o w.ndjson"), 0, "%s", last.err);
}

/* `svcledger import -d C w.ndjson` started in the test dir. */
static pid_t spawn_import(const char *target)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (chdir(svl_cli_dir()) != 0)
			_exit(99);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(svl_cli_tool(), "svcledger", "import", "-d", target,
		      "w.ndjson", (char *)NULL);
		_exit(98);
	}
	return pid;
}

/* Entries of the test dir whose names start with prefix. */
static int entries_with(const char *prefix)
{
	DIR *d = opendir(svl_cli_dir());
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* Killed while building: the target never appears, and a retry makes the
 * whole ledger (after removing the dead import's build directory). */
Test(cli_xfer, killed_import_leaves_no_ledger_and_a_retry_succeeds,
     .timeout = 120)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGKILL, SIGKILL};
	week_export();
	srand(20261202);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		pid_t pid = spawn_import("C");
		for (int k = 0; k < 2000 && !entries_with(".C.new-"); k++)
			sleep_ms(1);
		sleep_ms(rand() % 40);
		kill(pid, sigs[i]);
		int st;
		cr_assert_eq(waitpid(pid, &st, 0), pid);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			/* finished before the signal: whole, then */
			cr_assert_eq(run("verify -d C"), 0, "%s", last.err);
			char cmd[4300];
			snprintf(cmd, sizeof cmd, "rm -rf '%s/C'", svl_cli_dir());
			cr_assert_eq(system(cmd), 0);
			continue;
		}
		cr_assert_eq(entries_with("C"), 0, "signal %d left C", sigs[i]);
		cr_assert_eq(sigs[i] == SIGKILL ? 1 : entries_with(".C.new-"),
			     sigs[i] == SIGKILL ? 1 : 0,
			     "signal %d left its build directory", sigs[i]);
	}
	cr_assert_eq(run("import -d C w.ndjson"), 0, "%s", last.err);
	cr_assert_eq(entries_with(".C.new-"), 0);
	char a[64], b[64];
	svl_cli_head("W", a);
	svl_cli_head("C", b);
	cr_assert_str_eq(a, b);
	cr_assert_eq(run("verify -d C"), 0, "%s", last.err);
}

/* Two imports into one new directory: exactly one makes it, the other is
 * told so (exit 6), and what is there is the whole ledger. */
Test(cli_xfer, racing_imports_into_one_directory_leave_one_whole_ledger,
     .timeout = 120)
{
	week_export();
	char want[64], got[64];
	svl_cli_head("W", want);
	for (int round = 0; round < 5; round++) {
		pid_t p1 = spawn_import("R"), p2 = spawn_import("R");
		int s1, s2;
		cr_assert_eq(waitpid(p1, &s1, 0), p1);
		cr_assert_eq(waitpid(p2, &s2, 0), p2);
		cr_assert(WIFEXITED(s1) && WIFEXITED(s2));
		int c1 = WEXITSTATUS(s1), c2 = WEXITSTATUS(s2);
		cr_assert((c1 == 0 && c2 == 6) || (c1 == 6 && c2 == 0),
			  "round %d: exits %d and %d", round, c1, c2);
		svl_cli_head("R", got);
		cr_assert_str_eq(got, want);
		cr_assert_eq(entries_with(".R.new-"), 0);
		char cmd[4300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s/R'", svl_cli_dir());
		cr_assert_eq(system(cmd), 0);
	}
}

/* An existing directory with other files is not a new ledger's place. */
Test(cli_xfer, import_into_a_non_empty_directory_exits_6)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/N", svl_cli_dir());
	cr_assert_eq(mkdir(path, 0755), 0);
	svl_cli_write("N/notes.txt", "kept\n");
	cr_assert_eq(run("export -d L -o l.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("import -d N l.ndjson"), 6);
	cr_assert(svl_cli_has(last.err, "not an empty directory"), "%s",
		  last.err);
	cr_assert(exists("N/notes.txt"));
	cr_assert(!exists("N/data.mdb"));
	/* an empty one is fine */
	snprintf(path, sizeof path, "%s/E", svl_cli_dir());
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_eq(run("import -d E l.ndjson"), 0, "%s", last.err);
	cr_assert(exists("E/data.mdb"));
}
