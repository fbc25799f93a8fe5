/*
 * test_log.c - opening and closing a log (engine/log.c), its errors, its
 * process-level invariants (one handle per process, close-on-exec
 * descriptors, stale reader slots cleared), and the user tables.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "svl_events.h"

static char *dir;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	cr_assert_not_null(dir);
}

static void teardown(void)
{
	svl_test_rmdir(dir);
	dir = NULL;
}

TestSuite(log, .init = setup, .fini = teardown);

static svl_log *create(void)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	return log;
}

static void append_n(svl_log *log, const char *stream, int n)
{
	for (int i = 0; i < n; i++) {
		uint8_t buf[16];
		svl_event_in ev = svl_test_event(stream, buf, i);
		cr_assert_eq(svl_log_append(log, &ev, 1, NULL), SVL_OK, "%s",
			     svl_log_errmsg(log));
	}
}

static void assert_one_line(const char *msg)
{
	cr_assert_not_null(msg);
	cr_assert(msg[0] != '\0', "empty error message");
	cr_assert_null(strchr(msg, '\n'), "message has a newline: %s", msg);
	cr_assert_null(strchr(msg, '\r'), "message has a CR: %s", msg);
}

/* ---- open, create, close ---- */

Test(log, create_then_reopen_keeps_records_and_ledger_id)
{
	svl_log *log = create();
	uint8_t id[SVL_ID_SIZE];
	memcpy(id, svl_log_id(log), SVL_ID_SIZE);
	static const uint8_t zero[SVL_ID_SIZE];
	cr_assert_neq(memcmp(id, zero, SVL_ID_SIZE), 0, "ledger id is zero");
	append_n(log, "s", 3);
	svl_log_close(log);

	svl_log *again = NULL;
	cr_assert_eq(svl_log_open(&again, dir, NULL), SVL_OK, "%s",
		     svl_log_last_error());
	cr_assert_eq(memcmp(svl_log_id(again), id, SVL_ID_SIZE), 0,
		     "ledger id changed across reopen");
	svl_head h;
	cr_assert_eq(svl_log_head(again, &h), SVL_OK);
	cr_assert_eq(h.seq, 3);
	svl_log_close(again);

	/* CREATE on an existing ledger opens it, it does not start over */
	log = create();
	cr_assert_eq(memcmp(svl_log_id(log), id, SVL_ID_SIZE), 0);
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 3);
	svl_log_close(log);
}

Test(log, create_makes_the_directory)
{
	char sub[4200];
	snprintf(sub, sizeof sub, "%s/new-ledger", dir);
	svl_log *log = svl_test_open(sub, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	append_n(log, "s", 1);
	svl_log_close(log);
	cr_assert_eq(access(sub, F_OK), 0);
}

Test(log, close_null_is_a_noop)
{
	svl_log_close(NULL);
	svl_iter_close(NULL);
	svl_cursor_close(NULL);
}

Test(log, open_of_missing_ledger_gives_enotfound_with_message)
{
	svl_log *log = (svl_log *)&log; /* must be reset to NULL */
	/* an existing directory without a ledger in it */
	cr_assert_eq(svl_log_open(&log, dir, NULL), SVL_ENOTFOUND);
	cr_assert_null(log);
	const char *msg = svl_log_last_error();
	assert_one_line(msg);
	cr_assert_not_null(strstr(msg, dir),
			   "message does not name the "
			   "directory: %s",
			   msg);
	cr_assert_not_null(strstr(msg, "no ledger"), "%s", msg);

	/* a directory that does not exist at all */
	char missing[4200];
	snprintf(missing, sizeof missing, "%s/nope", dir);
	cr_assert_eq(svl_log_open(&log, missing, NULL), SVL_ENOTFOUND);
	cr_assert_null(log);
	cr_assert_not_null(strstr(svl_log_last_error(), missing), "%s",
			   svl_log_last_error());
	/* and the failed opens created nothing */
	cr_assert_neq(access(missing, F_OK), 0);
}

Test(log, open_of_a_file_gives_einval)
{
	char file[4200];
	snprintf(file, sizeof file, "%s/plain", dir);
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fclose(f);
	svl_log *log;
	cr_assert_eq(svl_log_open(&log, file,
				  &(svl_log_options){
				      .version = SVL_LOG_OPTIONS_VERSION,
				      .flags = SVL_LOG_CREATE}),
		     SVL_EINVAL);
	assert_one_line(svl_log_last_error());
}

Test(log, second_open_in_one_process_gives_ebusy)
{
	svl_log *log = create();
	svl_log *two = (svl_log *)&two;
	cr_assert_eq(svl_log_open(&two, dir, NULL), SVL_EBUSY);
	cr_assert_null(two);
	const char *msg = svl_log_last_error();
	assert_one_line(msg);
	cr_assert_not_null(strstr(msg, "already open"), "%s", msg);

	/* another spelling of the same directory is the same ledger */
	char alias[4200];
	snprintf(alias, sizeof alias, "%s/./", dir);
	cr_assert_eq(svl_log_open(&two, alias, NULL), SVL_EBUSY);

	/* the refused open did not disturb the first handle */
	append_n(log, "s", 2);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);
	svl_log_close(log);

	/* closed: it may be opened again */
	cr_assert_eq(svl_log_open(&two, alias, NULL), SVL_OK, "%s",
		     svl_log_last_error());
	svl_log_close(two);
}

Test(log, options_version_mismatch_gives_emisuse)
{
	unsigned bad[] = {0, SVL_LOG_OPTIONS_VERSION + 1, 0xffffffffu};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		svl_log_options o = SVL_LOG_OPTIONS_INIT;
		o.version = bad[i];
		o.flags = SVL_LOG_CREATE;
		svl_log *log = (svl_log *)&log;
		cr_assert_eq(svl_log_open(&log, dir, &o), SVL_EMISUSE,
			     "version %u", bad[i]);
		cr_assert_null(log);
		const char *msg = svl_log_last_error();
		assert_one_line(msg);
		cr_assert_not_null(strstr(msg, "options version"), "%s", msg);
	}
	/* nothing was created by the refused opens */
	char data[4200];
	snprintf(data, sizeof data, "%s/data.mdb", dir);
	cr_assert_neq(access(data, F_OK), 0);
}

Test(log, create_with_rdonly_gives_einval)
{
	svl_log *log;
	cr_assert_eq(svl_log_open(&log, dir,
				  &(svl_log_options){
				      .version = SVL_LOG_OPTIONS_VERSION,
				      .flags = SVL_LOG_CREATE | SVL_LOG_RDONLY}),
		     SVL_EINVAL);
	assert_one_line(svl_log_last_error());
}

Test(log, null_arguments_give_emisuse)
{
	svl_log *log;
	cr_assert_eq(svl_log_open(NULL, dir, NULL), SVL_EMISUSE);
	cr_assert_eq(svl_log_open(&log, NULL, NULL), SVL_EMISUSE);
	cr_assert_eq(svl_log_append(NULL, NULL, 0, NULL), SVL_EMISUSE);
	assert_one_line(svl_log_last_error());
}

/* ---- read-only ---- */

static int noop_fn(svl_txn *txn, void *payload)
{
	(void)txn;
	(void)payload;
	return SVL_OK;
}

Test(log, readonly_open_reads_and_refuses_appends_with_ereadonly)
{
	svl_log *log = create();
	append_n(log, "s", 4);
	svl_log_close(log);

	log = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 4);
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_stream(log, "s", 1, 0, 0, &it), SVL_OK);
	int n = 0;
	while (svl_iter_next(it, &r) == SVL_OK)
		n++;
	svl_iter_close(it);
	cr_assert_eq(n, 4);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);

	uint8_t buf[16];
	svl_event_in ev = svl_test_event("s", buf, 9);
	cr_assert_eq(svl_log_append(log, &ev, 1, NULL), SVL_EREADONLY);
	const char *msg = svl_log_errmsg(log);
	assert_one_line(msg);
	cr_assert_not_null(strstr(msg, "read-only"), "%s", msg);
	cr_assert_eq(svl_log_write(log, noop_fn, NULL), SVL_EREADONLY);
	unsigned t;
	cr_assert_eq(svl_log_table(log, "never-made", &t), SVL_ENOTFOUND);
	cr_assert_eq(svl_log_sync(log), SVL_OK);
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 4, "a refused append wrote something");
	svl_log_close(log);
}

/* ---- descriptors and reader slots across processes ---- */

static int count_mentions(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void assert_no_fd_leak(svl_log *log)
{
	(void)log;
	int status;
	char *out = svl_test_shell("/bin/sh -c 'ls -l /proc/$$/fd'", &status);
	cr_assert_not_null(out);
	cr_assert_eq(status, 0, "%s", out);
	/* the listing works: it shows the shell's own stdout pipe */
	cr_assert_not_null(strstr(out, "pipe:"), "%s", out);
	cr_assert_eq(count_mentions(out, dir), 0,
		     "a descriptor of the ledger reached the child:\n%s", out);
	free(out);
}

Test(log, no_descriptor_of_the_ledger_leaks_into_a_child_process)
{
	svl_log *log = create();
	append_n(log, "s", 3);
	/* an open snapshot too: it must not add an inheritable descriptor */
	svl_iter *it;
	cr_assert_eq(svl_log_iter_seq(log, 0, 0, &it), SVL_OK);
	assert_no_fd_leak(log);
	svl_iter_close(it);
	svl_log_close(log);

	log = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	assert_no_fd_leak(log);
	svl_log_close(log);
}

/* Helper processes of this file. */
int svl_test_child_main(const char *role, const char *arg)
{
	svl_log *log = svl_test_open(arg, 0, 0);
	if (!log) {
		fprintf(stderr, "%s: %s\n", role, svl_log_last_error());
		return 2;
	}
	if (strcmp(role, "holder") == 0) {
		/* keep the ledger open until stdin closes */
		printf("open\n");
		fflush(stdout);
		char line[64];
		svl_test_read_line(0, line, sizeof line);
		svl_log_close(log);
		return 0;
	}
	if (strcmp(role, "reader") == 0) {
		/* hold a read snapshot until killed */
		svl_iter *it;
		svl_record r;
		if (svl_log_iter_seq(log, 0, 0, &it) != SVL_OK ||
		    svl_iter_next(it, &r) != SVL_OK)
			return 3;
		printf("reading %d\n", (int)getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	return 4;
}

/* Does `mdb_stat -r` list a reader slot of pid? */
static int reader_slot_of(pid_t pid)
{
	char cmd[4300];
	snprintf(cmd, sizeof cmd, "mdb_stat -r '%s'", dir);
	int status;
	/* mdb_stat exits 1 whenever it printed a reader: not a failure */
	char *out = svl_test_shell(cmd, &status);
	cr_assert_not_null(out);
	cr_assert_not_null(strstr(out, "Reader Table"), "status %d: %s", status,
			   out);
	int found = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		long p;
		if (sscanf(line, " %ld", &p) == 1 && p == (long)pid)
			found = 1;
	}
	free(out);
	return found;
}

Test(log, stale_reader_slot_of_a_killed_process_is_cleared_on_open)
{
	svl_log *log = create();
	append_n(log, "s", 2);
	svl_log_close(log);

	/* The holder keeps the environment open, so that the next open is
	 * not the first one: LMDB would otherwise reset the whole reader
	 * table by itself and the test could not see what open does. */
	int to_holder, from_holder, from_reader;
	pid_t holder = svl_test_spawn("holder", dir, &to_holder, &from_holder);
	cr_assert_gt(holder, 0);
	char line[64];
	svl_test_read_line(from_holder, line, sizeof line);
	cr_assert_str_eq(line, "open");

	pid_t reader = svl_test_spawn("reader", dir, NULL, &from_reader);
	cr_assert_gt(reader, 0);
	svl_test_read_line(from_reader, line, sizeof line);
	cr_assert_eq(strncmp(line, "reading", 7), 0, "reader said '%s'", line);
	kill(reader, SIGKILL);
	cr_assert_eq(svl_test_wait(reader), 128 + SIGKILL);
	close(from_reader);
	cr_assert(reader_slot_of(reader),
		  "precondition: the killed reader's slot should be stale");

	log = svl_test_open(dir, 0, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	cr_assert_not(reader_slot_of(reader),
		      "open left the dead reader's slot in the table");
	append_n(log, "s", 1);
	svl_log_close(log);

	close(to_holder);
	close(from_holder);
	cr_assert_eq(svl_test_wait(holder), 0);
}

/* ---- errors ---- */

/*
 * The codes are 0, -1, -2, ... without holes (svl_error.h: never
 * renumbered). Walk down them until the first unknown one: every code up
 * to the last one this test knows of must have its own text, and codes
 * added later are covered as they come. A code added without a text ends
 * the walk early and fails the first check.
 */
Test(log, strerror_covers_every_code)
{
	enum { LAST_KNOWN = SVL_ETIMEDOUT, MAX_CODES = 64 };
	const char *seen[MAX_CODES];
	int rc;
	for (rc = SVL_OK; rc > -MAX_CODES; rc--) {
		const char *s = svl_strerror(rc);
		cr_assert_not_null(s);
		if (strcmp(s, "unknown error") == 0)
			break;
		cr_assert(s[0] != '\0', "code %d", rc);
		cr_assert_null(strchr(s, '\n'));
		for (int k = 0; k < -rc; k++)
			cr_assert_str_neq(
			    seen[k], s, "codes %d and %d share a text", -k, rc);
		seen[-rc] = s;
	}
	cr_assert_lt(rc, LAST_KNOWN, "code %d has no text", rc);
	int unknown[] = {1, rc, -1000, 2147483647, -2147483647 - 1};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		cr_assert_str_eq(svl_strerror(unknown[i]), "unknown error");
}

/* Every code has its own name, the enum's, and unknown codes one name. */
Test(log, error_name_covers_every_code)
{
	cr_assert_str_eq(svl_error_name(SVL_OK), "SVL_OK");
	cr_assert_str_eq(svl_error_name(SVL_EINVAL), "SVL_EINVAL");
	cr_assert_str_eq(svl_error_name(SVL_EREFUSED), "SVL_EREFUSED");
	cr_assert_str_eq(svl_error_name(SVL_EREADERS), "SVL_EREADERS");
	for (int rc = SVL_OK; rc > -64; rc--) {
		int known = strcmp(svl_strerror(rc), "unknown error") != 0;
		const char *n = svl_error_name(rc);
		cr_assert_eq(known, strcmp(n, "SVL_EUNKNOWN") != 0,
			     "code %d: a text and a name go together", rc);
		cr_assert(strncmp(n, "SVL_", 4) == 0, "%s", n);
	}
	cr_assert_str_eq(svl_error_name(1), "SVL_EUNKNOWN");
}

/* What the library allocated for the caller goes back through svl_free. */
Test(log, svl_free_takes_library_text_and_null)
{
	char *text = NULL;
	const svl_event_type *t = svl_event_type_find("booking_cancelled", 17);
	cr_assert(t);
	svl_free(NULL);
	uint8_t buf[256];
	size_t n;
	svl_event_error err;
	const char *j = "{\"wo_id\":\"W1\",\"reason\":\"customer_request\"}";
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n, t->id,
					      j, strlen(j), &err),
		     SVL_OK, "%s", err.msg);
	cr_assert_eq(svl_event_to_json_text(&text, t->id, t->version, buf, n,
					    &err),
		     SVL_OK, "%s", err.msg);
	cr_assert(strstr(text, "W1"));
	svl_free(text); /* LeakSanitizer would name it otherwise */
}

Test(log, verify_problem_name_covers_every_problem)
{
	for (int p = SVL_VERIFY_OK; p <= SVL_VERIFY_NO_HEAD; p++) {
		const char *s = svl_verify_problem_name(
		    (enum svl_verify_problem)p);
		cr_assert_str_neq(s, "unknown", "problem %d has no name", p);
		for (int q = SVL_VERIFY_OK; q < p; q++)
			cr_assert_str_neq(
			    svl_verify_problem_name((enum svl_verify_problem)q),
			    s);
	}
	cr_assert_str_eq(svl_verify_problem_name(SVL_VERIFY_NO_HEAD + 1),
			 "unknown");
}

Test(log, error_messages_are_one_line)
{
	svl_log *log = create();
	append_n(log, "s", 1);
	uint8_t buf[16];
	svl_event_in ev = svl_test_event("s", buf, 1);

	ev.stream_len = 0;
	cr_assert_eq(svl_log_append(log, &ev, 1, NULL), SVL_EINVAL);
	assert_one_line(svl_log_errmsg(log));
	ev = svl_test_event("s", buf, 1);
	ev.expected_version = 7;
	cr_assert_eq(svl_log_append(log, &ev, 1, NULL), SVL_ECONFLICT);
	assert_one_line(svl_log_errmsg(log));
	ev.expected_version = SVL_VERSION_ANY;
	ev.payload_len = SVL_PAYLOAD_MAX + 1;
	cr_assert_eq(svl_log_append(log, &ev, 1, NULL), SVL_ELIMIT);
	assert_one_line(svl_log_errmsg(log));
	unsigned t;
	char name[SVL_TABLE_NAME_MAX + 2];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	cr_assert_eq(svl_log_table(log, name, &t), SVL_ELIMIT);
	assert_one_line(svl_log_errmsg(log));
	svl_iter *it;
	cr_assert_eq(svl_log_iter_seq(log, 0, 0, &it), SVL_OK);
	svl_record r;
	cr_assert_eq(svl_iter_seek(it, 99, &r), SVL_ENOTFOUND);
	assert_one_line(svl_log_errmsg(log));
	svl_iter_close(it);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	assert_one_line(rep.detail);
	/* a message belongs to the handle it was set for */
	cr_assert_str_eq(svl_log_errmsg((svl_log *)&rep), "");
	svl_log_close(log);
}

Test(log, open_of_another_format_version_gives_eformat)
{
	svl_log *log = create();
	svl_log_close(log);
	svl_test_raw raw;
	cr_assert_eq(svl_test_raw_begin(&raw, dir, 1), MDB_SUCCESS);
	uint8_t two[4] = {0, 0, 0, 2};
	MDB_val k = {6, "format"}, v = {4, two};
	cr_assert_eq(mdb_put(raw.txn, raw.meta, &k, &v, 0), MDB_SUCCESS);
	cr_assert_eq(svl_test_raw_end(&raw, 1), MDB_SUCCESS);

	cr_assert_eq(svl_log_open(&log, dir, NULL), SVL_EFORMAT);
	cr_assert_null(log);
	const char *msg = svl_log_last_error();
	assert_one_line(msg);
	cr_assert_not_null(strstr(msg, "format 2"), "%s", msg);
}

Test(log, directory_without_log_tables_gives_eformat)
{
	/* an LMDB environment of someone else */
	MDB_env *env;
	cr_assert_eq(mdb_env_create(&env), MDB_SUCCESS);
	cr_assert_eq(mdb_env_open(env, dir, 0, 0644), MDB_SUCCESS);
	mdb_env_close(env);
	svl_log *log = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	cr_assert_null(log);
	cr_assert_not_null(strstr(svl_log_last_error(), "not a svcledger"),
			   "%s", svl_log_last_error());
}

/* ---- user tables ---- */

struct table_arg {
	unsigned table;
	int fail; /* return this after writing */
};

static int table_write_fn(svl_txn *txn, void *payload)
{
	struct table_arg *a = payload;
	uint8_t buf[16];
	svl_event_in ev = svl_test_event("t", buf, 1);
	int rc = svl_txn_append(txn, &ev, 1, NULL);
	if (rc == SVL_OK)
		rc = svl_txn_put(txn, a->table, "k1", 2, "v1", 2);
	if (rc == SVL_OK)
		rc = svl_txn_put(txn, a->table, "k3", 2, "v3", 2);
	if (rc == SVL_OK && a->fail)
		return svl_txn_fail(txn, a->fail, "refused on purpose");
	return rc;
}

struct table_read {
	unsigned table;
	int found;
	char seek_le[8];
};

static int table_read_fn(svl_txn *txn, void *payload)
{
	struct table_read *a = payload;
	const void *v;
	size_t vl;
	a->found = svl_txn_get(txn, a->table, "k1", 2, &v, &vl) == SVL_OK &&
		   vl == 2 && memcmp(v, "v1", 2) == 0;
	svl_cursor *c;
	int rc = svl_cursor_open(txn, a->table, &c);
	if (rc != SVL_OK)
		return rc;
	svl_kv kv;
	if (svl_cursor_seek_le(c, "k2", 2, &kv) == SVL_OK)
		snprintf(a->seek_le, sizeof a->seek_le, "%.*s", (int)kv.key_len,
			 (const char *)kv.key);
	svl_cursor_close(c);
	return SVL_OK;
}

Test(log, table_writes_commit_or_abort_with_the_append)
{
	svl_log *log = create();
	unsigned t, t2;
	cr_assert_eq(svl_log_table(log, "proj", &t), SVL_OK, "%s",
		     svl_log_errmsg(log));
	cr_assert_eq(svl_log_table(log, "proj", &t2), SVL_OK);
	cr_assert_eq(t, t2, "same name must give the same handle");

	struct table_arg fail = {t, SVL_EREFUSED};
	cr_assert_eq(svl_log_write(log, table_write_fn, &fail), SVL_EREFUSED);
	cr_assert_str_eq(svl_log_errmsg(log), "refused on purpose");
	struct table_read rd = {t, 0, ""};
	cr_assert_eq(svl_log_read(log, table_read_fn, &rd), SVL_OK);
	cr_assert_not(rd.found, "table write survived an aborted txn");
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 0, "append survived an aborted txn");

	struct table_arg ok = {t, 0};
	cr_assert_eq(svl_log_write(log, table_write_fn, &ok), SVL_OK, "%s",
		     svl_log_errmsg(log));
	cr_assert_eq(svl_log_read(log, table_read_fn, &rd), SVL_OK);
	cr_assert(rd.found);
	cr_assert_str_eq(rd.seek_le, "k1");
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 1);
	svl_log_close(log);

	/* tables persist and are found again after reopen */
	log = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	cr_assert_not_null(log);
	cr_assert_eq(svl_log_table(log, "proj", &t), SVL_OK);
	rd.table = t;
	rd.found = 0;
	cr_assert_eq(svl_log_read(log, table_read_fn, &rd), SVL_OK);
	cr_assert(rd.found);
	svl_log_close(log);
}

Test(log, table_limits_give_elimit)
{
	svl_log *log = create();
	unsigned t;
	char name[SVL_TABLE_NAME_MAX + 2];
	memset(name, 'n', SVL_TABLE_NAME_MAX);
	name[SVL_TABLE_NAME_MAX] = '\0';
	cr_assert_eq(svl_log_table(log, name, &t), SVL_OK, "%s",
		     svl_log_errmsg(log));
	strcat(name, "n");
	cr_assert_eq(svl_log_table(log, name, &t), SVL_ELIMIT);
	for (int i = 1; i < SVL_TABLES_MAX; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "t%d", i);
		cr_assert_eq(svl_log_table(log, nm, &t), SVL_OK, "%s: %s", nm,
			     svl_log_errmsg(log));
	}
	cr_assert_eq(svl_log_table(log, "one-too-many", &t), SVL_ELIMIT);
	assert_one_line(svl_log_errmsg(log));
	cr_assert_eq(svl_log_table(log, "", &t), SVL_EMISUSE);
	svl_log_close(log);
}

/* ---- one handle, many threads: error messages do not cross ---- */

static void *conflict_thread(void *arg)
{
	svl_log *log = arg;
	uint8_t buf[16];
	svl_event_in ev = svl_test_event("busy", buf, 1);
	ev.expected_version = 1000000;
	for (int i = 0; i < 50; i++) {
		if (svl_log_append(log, &ev, 1, NULL) != SVL_ECONFLICT ||
		    !strstr(svl_log_errmsg(log), "expected 1000000"))
			return (void *)1;
	}
	return NULL;
}

Test(log, error_messages_are_per_thread)
{
	svl_log *log = create();
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, conflict_thread, log), 0);
	uint8_t buf[16];
	svl_event_in ev = svl_test_event("s", buf, 1);
	ev.stream_len = SVL_STREAM_MAX + 1;
	int crossed = 0;
	for (int i = 0; i < 50; i++) {
		cr_assert_eq(svl_log_append(log, &ev, 1, NULL), SVL_ELIMIT);
		crossed |= strstr(svl_log_errmsg(log), "stream is") == NULL;
	}
	void *res;
	pthread_join(th, &res);
	cr_assert_not(crossed, "another thread's message showed up");
	cr_assert_null(res, "the conflict thread saw a foreign message");
	svl_log_close(log);
}
