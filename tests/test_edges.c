/*
 * test_edges.c - the storage edges of the reliability suite
 * (docs/reliability.md): a full or failing disk, read-only files, and a
 * data.mdb cut short or emptied. The promises:
 *
 *   E1. A full disk (ENOSPC) during init, import or append: exit 5, one
 *       stderr line "svcledger: ..." saying "no space left"; init and
 *       import leave no lock.mdb and no partial ledger behind; append
 *       leaves the head as it was. A failing disk (EIO): exit 5, one
 *       line, the same nothing-written guarantees.
 *   E2. Read-only files (run as a user without write permission): log,
 *       head, verify, stock-card, metrics and export work (exit 0); the
 *       writing commands fail with exit 5 and one line.
 *   E3. A data.mdb cut short (page-aligned or not) or of 0 bytes: every
 *       command, verify included, exits 4 or 5 with one line; never a
 *       signal (SIGBUS 135, SIGABRT 134, SIGSEGV 139); append never starts
 *       a new chain in a 0-byte file, and no command changes the file.
 *
 * The full disk is made two ways: the failshim (tests/shim/failshim.c)
 * returning ENOSPC or EIO from the Nth write/sync call, for every N the
 * command makes, and a small tmpfs mounted as root. Read-only runs drop
 * to user nobody with setpriv. What cannot be done here (no shim, not
 * root, mount refused) is skipped with the reason.
 *
 * Every test checks all its cases, logs each broken promise, and fails at
 * the end naming the first.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>

#include "fixture.h"
#include "harness.h"

static char *tmp;
static char mnt[4200];

typedef struct findings {
	int cases, broken;
	char first[1024];
} findings;

static void edges_setup(void)
{
	tmp = svl_test_mkdtemp();
	cr_assert_not_null(tmp);
	mnt[0] = '\0';
}

static void edges_teardown(void)
{
	if (mnt[0]) {
		char cmd[4300];
		snprintf(cmd, sizeof cmd, "umount '%s' 2>/dev/null", mnt);
		if (system(cmd) != 0)
			fprintf(stderr, "could not unmount %s\n", mnt);
	}
	svl_test_rmdir(tmp);
	tmp = NULL;
}

TestSuite(edges, .init = edges_setup, .fini = edges_teardown, .timeout = 600);

static void broke(findings *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void broke(findings *f, const char *fmt, ...)
{
	char what[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	for (char *c = what; *c; c++)
		if (*c == '\n')
			*c = '|'; /* one log line per broken promise */
	cr_log_error("%s", what);
	if (f->broken++ == 0)
		snprintf(f->first, sizeof f->first, "%s", what);
}

static void verdict(const findings *f, const char *what)
{
	cr_assert_eq(f->broken, 0, "%s: %d broken promises in %d cases; first: %s",
		     what, f->broken, f->cases, f->first);
}

static void need_tool(void)
{
	if (!svl_h_tool_rel())
		cr_skip_test("skipped: no release tool (set SVL_TOOL_REL or "
			     "build build/svcledger; `make test` does both)");
}

static void need_shim(void)
{
	need_tool();
	if (!svl_h_shim())
		cr_skip_test("skipped: no failshim (set SVL_SHIM or build "
			     "build/failshim.so; `make test` does both)");
}

static void path_in(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", tmp, name);
}

static int exists_in(const char *dir, const char *name)
{
	char p[4400];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s/%s", tmp, dir, name);
	return stat(p, &st) == 0;
}

static void rm_in(const char *name)
{
	char p[4200];
	path_in(p, sizeof p, name);
	svl_test_rmdir(strdup(p));
}

static void write_in(const char *name, const char *text)
{
	char p[4200];
	path_in(p, sizeof p, name);
	cr_assert_eq(svl_h_spit(p, text, strlen(text)), 0, "cannot write %s", p);
}

/* The generic checks of a failing command: code, one line, and (when
 * want_text) a phrase of the message (case-insensitive). */
static void check_failure(findings *f, const char *what, const svl_h_res *r,
			  int want_code, const char *want_text)
{
	char why[512];
	if (r->code != want_code)
		broke(f, "%s: exit %d, promised %d; stderr: %.300s", what,
		      r->code, want_code, r->err);
	else if (!svl_h_one_line(r->err, why, sizeof why))
		broke(f, "%s: %s", what, why);
	else if (want_text && !strcasestr(r->err, want_text))
		broke(f, "%s: the message does not say \"%s\": %.300s", what,
		      want_text, r->err);
}

/* ---- ledgers ---- */

#define STAFF_LINE(id, role)                                                  \
	"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"     \
	"\"service_manager\",\"occurred_at\":\"2026-07-01T08:00:00+08:00\","  \
	"\"payload\":{\"staff_id\":\"" id "\",\"role\":\"" role "\","         \
	"\"from_at_ms\":1782835200000}}\n"

#define KEEPER(type, day, payload)                                            \
	"{\"type\":\"" type "\",\"actor\":\"E012\",\"role\":"                 \
	"\"warehouse_keeper\",\"occurred_at\":\"2026-07-0" day                \
	"T09:00:00+08:00\",\"payload\":{" payload "}}\n"

static const char stock_ndjson[] =
	STAFF_LINE("E001", "service_manager")
	STAFF_LINE("E012", "warehouse_keeper")
	KEEPER("bin_assigned", "1", "\"part_no\":\"90915-YZZD4\","
	       "\"bin\":\"W1-A03-2-05\",\"description\":\"oil filter\"")
	KEEPER("parts_shelved", "2", "\"part_no\":\"90915-YZZD4\","
	       "\"bin\":\"W1-A03-2-05\",\"qty_milli\":5000,"
	       "\"unit_cost_fen\":6800");

/* A small stock ledger in tmp/<dir> (4 events), plus many staff events
 * when `bulk` (so that the file spans many pages). */
static void make_ledger(const char *dir, int bulk)
{
	svl_h_res r = {0, NULL, NULL};
	rm_in(dir);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "init", "-d", dir, (char *)NULL),
		     0, "init: %s", r.err);
	write_in("stock.ndjson", stock_ndjson);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "append", "-d", dir,
			       "stock.ndjson", (char *)NULL),
		     0, "append: %s", r.err);
	if (bulk) {
		char p[4200];
		path_in(p, sizeof p, "bulk.ndjson");
		FILE *f = fopen(p, "w");
		cr_assert_not_null(f);
		for (int k = 0; k < 1500; k++)
			fprintf(f,
				"{\"type\":\"staff_role_assigned\",\"actor\":"
				"\"E001\",\"role\":\"service_manager\","
				"\"occurred_at\":\"2026-07-01T08:00:00+08:00\","
				"\"payload\":{\"staff_id\":\"S%d\",\"role\":"
				"\"technician\",\"from_at_ms\":1782835200000,"
				"\"name\":\"technician number %d of the "
				"workshop\"}}\n",
				k, k);
		cr_assert_eq(fclose(f), 0);
		cr_assert_eq(svl_h_run(&r, tmp, NULL, "append", "-d", dir,
				       "bulk.ndjson", (char *)NULL),
			     0, "append: %s", r.err);
	}
	svl_h_res_free(&r);
}

/* A batch of n fresh staff events (numbered from first) in `name`. */
static void write_staff_batch(const char *name, int first, int n)
{
	char p[4200];
	path_in(p, sizeof p, name);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	for (int k = first; k < first + n; k++)
		fprintf(f,
			"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\","
			"\"role\":\"service_manager\",\"occurred_at\":"
			"\"2026-07-01T08:00:00+08:00\",\"payload\":{"
			"\"staff_id\":\"N%d\",\"role\":\"technician\","
			"\"from_at_ms\":1782835200000}}\n",
			k);
	cr_assert_eq(fclose(f), 0);
}

/* ---- E1: full and failing disk through the shim ---- */

/* How many write/sync calls `words` makes (the shim counting). */
static long count_calls(char *const argv[])
{
	char cnt[4200], pre[4300], ce[4300];
	path_in(cnt, sizeof cnt, ".count");
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", svl_h_shim());
	snprintf(ce, sizeof ce, "SVL_SHIM_COUNT=%s", cnt);
	const char *env[] = {pre, "SVL_SHIM_MODE=count", ce, NULL};
	svl_h_res r = {0, NULL, NULL};
	svl_h_runv(&r, tmp, env, svl_h_tool_rel(), argv);
	cr_assert_eq(r.code, 0, "counting run failed (%d): %s", r.code, r.err);
	svl_h_res_free(&r);
	char *s = svl_h_slurp(cnt, NULL);
	cr_assert_not_null(s);
	long n = strtol(s, NULL, 10);
	free(s);
	return n;
}

/* Run argv with the shim failing call n (and every later one) with err. */
static void run_failing(svl_h_res *r, char *const argv[], long n,
			const char *err)
{
	char pre[4300], at[64], en[64];
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", svl_h_shim());
	snprintf(at, sizeof at, "SVL_SHIM_AT=%ld", n);
	snprintf(en, sizeof en, "SVL_SHIM_ERRNO=%s", err);
	const char *env[] = {pre, "SVL_SHIM_MODE=fail", at, en, NULL};
	svl_h_runv(r, tmp, env, svl_h_tool_rel(), argv);
}

/* The message a full disk must carry, or none for EIO. */
static const char *want_text(const char *err)
{
	return strcmp(err, "ENOSPC") == 0 ? "no space left" : NULL;
}

static void init_on_failing_disk(const char *err)
{
	findings f = {0, 0, ""};
	char *argv[] = {NULL, "init", "-d", "new", NULL};
	rm_in("new");
	long calls = count_calls(argv);
	for (long n = 1; n <= calls; n++) {
		svl_h_res r = {0, NULL, NULL};
		char what[128];
		rm_in("new");
		run_failing(&r, argv, n, err);
		f.cases++;
		snprintf(what, sizeof what, "init, %s at write/sync call %ld",
			 err, n);
		if (r.code == 0) {
			svl_h_res_free(&r);
			continue; /* the call was one whose failure is harmless */
		}
		check_failure(&f, what, &r, 5, want_text(err));
		if (exists_in("new", "lock.mdb") || exists_in("new", "data.mdb"))
			broke(&f, "%s: left %s%s behind", what,
			      exists_in("new", "lock.mdb") ? "lock.mdb " : "",
			      exists_in("new", "data.mdb") ? "data.mdb" : "");
		svl_h_res_free(&r);
	}
	verdict(&f, "init on a failing disk");
}

Test(edges, init_on_a_full_disk_exits_5_says_no_space_and_leaves_no_files)
{
	need_shim();
	init_on_failing_disk("ENOSPC");
}

Test(edges, init_on_a_failing_disk_exits_5_and_leaves_no_files)
{
	need_shim();
	init_on_failing_disk("EIO");
}

static void append_on_failing_disk(const char *err)
{
	findings f = {0, 0, ""};
	make_ledger("L", 0);
	write_staff_batch("more.ndjson", 0, 200);
	char *argv[] = {NULL, "append", "-d", "L", "--json", "more.ndjson",
			NULL};
	char h0[80], h1[80];
	/* count on a copy: the counting run appends */
	char cmd[4400];
	int st;
	snprintf(cmd, sizeof cmd, "cd '%s' && rm -rf C && cp -a L C", tmp);
	free(svl_test_shell(cmd, &st));
	char *cargv[] = {NULL, "append", "-d", "C", "--json", "more.ndjson",
			 NULL};
	long calls = count_calls(cargv);
	svl_h_head(tmp, "L", h0);
	for (long n = 1; n <= calls; n++) {
		svl_h_res r = {0, NULL, NULL};
		char what[128];
		run_failing(&r, argv, n, err);
		f.cases++;
		snprintf(what, sizeof what, "append, %s at write/sync call %ld",
			 err, n);
		svl_h_head(tmp, "L", h1);
		if (r.code == 0) {
			/* harmless call: the batch is in; start again */
			make_ledger("L", 0);
			svl_h_head(tmp, "L", h0);
			svl_h_res_free(&r);
			continue;
		}
		check_failure(&f, what, &r, 5, want_text(err));
		if (strcmp(h0, h1) != 0)
			broke(&f, "%s: the head moved: %s -> %s", what, h0, h1);
		if (svl_h_run(&r, tmp, NULL, "verify", "-d", "L", (char *)NULL))
			broke(&f, "%s: verify exits %d afterwards: %.200s", what,
			      r.code, r.err);
		svl_h_res_free(&r);
	}
	verdict(&f, "append on a failing disk");
}

Test(edges, append_on_a_full_disk_exits_5_says_no_space_and_keeps_the_head)
{
	need_shim();
	append_on_failing_disk("ENOSPC");
}

Test(edges, append_on_a_failing_disk_exits_5_and_keeps_the_head)
{
	need_shim();
	append_on_failing_disk("EIO");
}

static void import_on_failing_disk(const char *err)
{
	findings f = {0, 0, ""};
	svl_h_res r = {0, NULL, NULL};
	make_ledger("L", 1);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "export", "-d", "L", "-o",
			       "ex.ndjson", (char *)NULL),
		     0, "%s", r.err);
	char *argv[] = {NULL, "import", "-d", "imp", "ex.ndjson", NULL};
	rm_in("imp");
	long calls = count_calls(argv);
	for (long n = 1; n <= calls; n++) {
		char what[128], p[4200];
		rm_in("imp");
		run_failing(&r, argv, n, err);
		f.cases++;
		snprintf(what, sizeof what, "import, %s at write/sync call %ld",
			 err, n);
		if (r.code == 0)
			continue;
		check_failure(&f, what, &r, 5, want_text(err));
		path_in(p, sizeof p, "imp");
		if (!svl_h_absent_or_empty(p)) {
			char h[80], want[80];
			svl_h_head(tmp, "imp", h);
			svl_h_head(tmp, "L", want);
			broke(&f, "%s: exits %d but the target is left non-empty "
				  "(%s; head %s, the source's %s)",
			      what, r.code,
			      strcmp(h, want) == 0 ? "the complete ledger"
						   : "a partial ledger",
			      h, want);
		}
		int st;
		char cmd[4400];
		snprintf(cmd, sizeof cmd, "cd '%s' && ls -A | grep '^\\.imp'", tmp);
		char *left = svl_test_shell(cmd, &st);
		if (left && *left)
			broke(&f, "%s: left a build directory beside the target: %s",
			      what, left);
		free(left);
		snprintf(cmd, sizeof cmd, "cd '%s' && rm -rf .imp*", tmp);
		free(svl_test_shell(cmd, &st));
	}
	svl_h_res_free(&r);
	verdict(&f, "import on a failing disk");
}

Test(edges, import_on_a_full_disk_exits_5_says_no_space_and_leaves_nothing)
{
	need_shim();
	import_on_failing_disk("ENOSPC");
}

Test(edges, import_on_a_failing_disk_exits_5_and_leaves_nothing)
{
	need_shim();
	import_on_failing_disk("EIO");
}

/* ---- E1: a real full disk, a small tmpfs ---- */

/* Mount a tmpfs of `size` at tmp/mnt, or skip saying why. */
static void mount_tmpfs(const char *size)
{
	char cmd[4400];
	if (geteuid() != 0)
		cr_skip_test("skipped: mounting a small tmpfs needs root (the "
			     "shim tests cover the full disk)");
	path_in(mnt, sizeof mnt, "mnt");
	cr_assert_eq(mkdir(mnt, 0755), 0);
	snprintf(cmd, sizeof cmd,
		 "mount -t tmpfs -o size=%s tmpfs '%s' 2>/dev/null", size, mnt);
	if (system(cmd) != 0) {
		mnt[0] = '\0';
		cr_skip_test("skipped: mount -t tmpfs refused here (no "
			     "CAP_SYS_ADMIN in this container?); the shim "
			     "tests cover the full disk");
	}
}

Test(edges, append_to_a_full_tmpfs_exits_5_says_no_space_and_keeps_the_head)
{
	need_tool();
	mount_tmpfs("256k");
	findings f = {0, 0, ""};
	svl_h_res r = {0, NULL, NULL};
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "init", "-d", "mnt/L",
			       (char *)NULL),
		     0, "init on the tmpfs: %s", r.err);
	/* batches until the disk is full */
	int first = 0, failed = 0;
	for (int round = 0; round < 200 && !failed; round++) {
		char h0[80], h1[80];
		write_staff_batch("more.ndjson", first, 100);
		svl_h_head(tmp, "mnt/L", h0);
		svl_h_run(&r, tmp, NULL, "append", "-d", "mnt/L", "more.ndjson",
			  (char *)NULL);
		first += 100;
		if (r.code == 0)
			continue;
		failed = 1;
		f.cases++;
		check_failure(&f, "append to a full tmpfs", &r, 5,
			      "no space left");
		svl_h_head(tmp, "mnt/L", h1);
		if (strcmp(h0, h1) != 0)
			broke(&f, "append to a full tmpfs: the head moved: %s -> %s",
			      h0, h1);
		if (svl_h_run(&r, tmp, NULL, "verify", "-d", "mnt/L",
			      (char *)NULL) != 0)
			broke(&f, "verify after the full disk exits %d: %.200s",
			      r.code, r.err);
	}
	cr_assert(failed, "20,000 events fitted in a 256 KiB tmpfs?");
	svl_h_res_free(&r);
	verdict(&f, "append to a full tmpfs");
}

Test(edges, init_and_import_into_a_full_tmpfs_exit_5_and_leave_nothing)
{
	need_tool();
	mount_tmpfs("64k");
	findings f = {0, 0, ""};
	svl_h_res r = {0, NULL, NULL};
	make_ledger("L", 1);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "export", "-d", "L", "-o",
			       "ex.ndjson", (char *)NULL),
		     0, "%s", r.err);
	char p[4200];
	svl_h_run(&r, tmp, NULL, "import", "-d", "mnt/imp", "ex.ndjson",
		  (char *)NULL);
	f.cases++;
	check_failure(&f, "import into a full tmpfs", &r, 5, "no space left");
	path_in(p, sizeof p, "mnt/imp");
	if (!svl_h_absent_or_empty(p))
		broke(&f, "import into a full tmpfs left the target non-empty");
	int st;
	char cmd[4400];
	snprintf(cmd, sizeof cmd, "ls -A '%s'", mnt);
	char *left = svl_test_shell(cmd, &st);
	if (left && *left && strcmp(left, "imp\n") != 0)
		broke(&f, "import into a full tmpfs left files: %s", left);
	free(left);
	/* fill the disk, then init */
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && rm -rf ./* .imp* ; dd if=/dev/zero of=fill bs=4k "
		 "2>/dev/null; true",
		 mnt);
	free(svl_test_shell(cmd, &st));
	svl_h_run(&r, tmp, NULL, "init", "-d", "mnt/new", (char *)NULL);
	f.cases++;
	check_failure(&f, "init on a full tmpfs", &r, 5, "no space left");
	if (exists_in("mnt/new", "lock.mdb") || exists_in("mnt/new", "data.mdb"))
		broke(&f, "init on a full tmpfs left lock.mdb or data.mdb");
	svl_h_res_free(&r);
	verdict(&f, "init and import into a full tmpfs");
}

/* ---- E2: read-only files ---- */

/* The release tool copied where user nobody can run it, and the ledger
 * made read-only (a-w on the directory and its files). */
static void read_only_setup(char *tool, size_t cap)
{
	char cmd[8400];
	int st;
	if (geteuid() != 0)
		cr_skip_test("skipped: read-only checks drop to user nobody with "
			     "setpriv, which needs root; as a plain user chmod "
			     "a-w alone would do, but this run is not root");
	if (access("/usr/bin/setpriv", X_OK) != 0)
		cr_skip_test("skipped: no /usr/bin/setpriv (util-linux) to run "
			     "as user nobody");
	make_ledger("L", 0);
	snprintf(tool, cap, "%s/bin/svcledger", tmp);
	snprintf(cmd, sizeof cmd,
		 "chmod 755 '%s' && mkdir -p '%s/bin' && cp '%s' '%s' && "
		 "chmod 755 '%s' && chmod -R a-w '%s/L' && chmod 644 '%s'/*.ndjson",
		 tmp, tmp, svl_h_tool_rel(), tool, tool, tmp, tmp);
	free(svl_test_shell(cmd, &st));
	cr_assert_eq(st, 0, "setting up the read-only ledger failed");
	/* make sure nobody is really refused a write there */
	snprintf(cmd, sizeof cmd,
		 "setpriv --reuid=65534 --regid=65534 --clear-groups "
		 "touch '%s/L/probe' 2>/dev/null",
		 tmp);
	free(svl_test_shell(cmd, &st));
	if (st == 0)
		cr_skip_test("skipped: user nobody can still write the a-w "
			     "ledger here; read-only cannot be tested");
}

/* Run the copied tool as nobody: words after the tool, NULL-terminated. */
static int run_as_nobody(svl_h_res *r, const char *tool, char *const words[])
{
	char *argv[24] = {NULL, "--reuid=65534", "--regid=65534",
			  "--clear-groups", "--", (char *)tool};
	size_t n = 6;
	for (size_t k = 0; words[k] && n < 23; k++)
		argv[n++] = words[k];
	argv[n] = NULL;
	return svl_h_runv(r, tmp, NULL, "/usr/bin/setpriv", argv);
}

Test(edges, read_only_ledger_answers_every_read_only_command)
{
	need_tool();
	char tool[4200];
	read_only_setup(tool, sizeof tool);
	findings f = {0, 0, ""};
	static char *const cmds[][8] = {
	    {"log", "-d", "L", NULL},
	    {"head", "-d", "L", NULL},
	    {"verify", "-d", "L", NULL},
	    {"stock-card", "90915-YZZD4", "-d", "L", NULL},
	    {"stock-cards", "-d", "L", NULL},
	    {"metrics", "--period", "month", "-d", "L", NULL},
	    {"projections", "-d", "L", NULL},
	    {"export", "-d", "L", NULL},
	};
	for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
		svl_h_res r = {0, NULL, NULL};
		f.cases++;
		if (run_as_nobody(&r, tool, cmds[k]) != 0)
			broke(&f, "read-only ledger: `%s` exits %d (promised 0): "
				  "%.300s",
			      cmds[k][0], r.code, r.err);
		svl_h_res_free(&r);
	}
	verdict(&f, "read-only commands on a read-only ledger");
}

Test(edges, read_only_ledger_refuses_every_writing_command_with_exit_5)
{
	need_tool();
	char tool[4200];
	read_only_setup(tool, sizeof tool);
	findings f = {0, 0, ""};
	write_in("r.json", "{\"id\":\"q3\",\"valuation\":\"latest_cost\"}");
	write_staff_batch("more.ndjson", 0, 3);
	char cmd[4400];
	int st;
	snprintf(cmd, sizeof cmd, "chmod 644 '%s'/*.json '%s'/*.ndjson", tmp,
		 tmp);
	free(svl_test_shell(cmd, &st));
	static char *const cmds[][8] = {
	    {"append", "-d", "L", "more.ndjson", NULL},
	    {"rebuild", "-d", "L", "--rules", "r.json", "--switch", NULL},
	    {"check", "-d", "L", NULL},
	    {"import", "-d", "L/sub", "more.ndjson", NULL},
	};
	char h0[80], h1[80];
	svl_h_head(tmp, "L", h0);
	for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
		svl_h_res r = {0, NULL, NULL};
		char what[128];
		snprintf(what, sizeof what, "read-only ledger: `%s`",
			 cmds[k][0]);
		f.cases++;
		run_as_nobody(&r, tool, cmds[k]);
		check_failure(&f, what, &r, 5, NULL);
		svl_h_head(tmp, "L", h1);
		if (strcmp(h0, h1) != 0)
			broke(&f, "%s: the head moved: %s -> %s", what, h0, h1);
		svl_h_res_free(&r);
	}
	verdict(&f, "writing commands on a read-only ledger");
}

/* ---- E3: data.mdb cut short or emptied ---- */

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* How many bytes of tmp/<dir>/data.mdb hold pages in use: (last page
 * number + 1) * page size, from LMDB's meta page. */
static long used_bytes(const char *dir)
{
	char p[4200];
	MDB_env *env;
	MDB_envinfo info;
	MDB_stat st;
	path_in(p, sizeof p, dir);
	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 64), 0);
	int rc = mdb_env_open(env, p, MDB_RDONLY, 0644);
	cr_assert_eq(rc, 0, "mdb_env_open %s: %s", p, mdb_strerror(rc));
	cr_assert_eq(mdb_env_info(env, &info), 0);
	cr_assert_eq(mdb_env_stat(env, &st), 0);
	mdb_env_close(env);
	return (long)(info.me_last_pgno + 1) * (long)st.ms_psize;
}

/* Every command against a copy of L whose data.mdb is cut to `size`. */
static void run_on_truncated(findings *f, long size)
{
	static char *const cmds[][8] = {
	    {"head", "-d", "T", NULL},
	    {"verify", "-d", "T", NULL},
	    {"log", "-d", "T", NULL},
	    {"export", "-d", "T", NULL},
	    {"check", "-d", "T", NULL},
	    {"stock-card", "90915-YZZD4", "-d", "T", NULL},
	    {"stock-cards", "-d", "T", NULL},
	    {"metrics", "--period", "month", "-d", "T", NULL},
	    {"projections", "-d", "T", NULL},
	    {"append", "-d", "T", "more.ndjson", NULL},
	    {"rebuild", "-d", "T", "--rules", "r.json", "--switch", NULL},
	};
	for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
		char cmd[4400], what[160], data[4200];
		int st;
		snprintf(cmd, sizeof cmd,
			 "cd '%s' && rm -rf T && cp -a L T && truncate -s %ld "
			 "T/data.mdb",
			 tmp, size);
		free(svl_test_shell(cmd, &st));
		cr_assert_eq(st, 0);
		path_in(data, sizeof data, "T/data.mdb");
		svl_h_res r = {0, NULL, NULL};
		char *argv[10] = {NULL};
		for (size_t w = 0; cmds[k][w]; w++)
			argv[w + 1] = cmds[k][w];
		svl_h_runv(&r, tmp, NULL, svl_h_tool_rel(), argv);
		f->cases++;
		snprintf(what, sizeof what, "data.mdb cut to %ld bytes: `%s`",
			 size, cmds[k][0]);
		if (r.code > 128)
			broke(f, "%s: killed by signal %d (exit %d)", what,
			      r.code - 128, r.code);
		else if (r.code != 4 && r.code != 5)
			broke(f, "%s: exit %d, promised 4 or 5; stdout: %.120s",
			      what, r.code, r.out);
		else
			check_failure(f, what, &r, r.code, NULL);
		if (file_size(data) != size)
			broke(f, "%s: the file changed size: %ld -> %ld%s", what,
			      size, file_size(data),
			      size == 0 ? " (a new chain in a 0-byte file)" : "");
		svl_h_res_free(&r);
	}
}

Test(edges, cut_or_empty_data_mdb_gives_exit_4_or_5_and_one_line_never_a_signal)
{
	need_tool();
	findings f = {0, 0, ""};
	make_ledger("L", 1);
	write_staff_batch("more.ndjson", 0, 3);
	write_in("r.json", "{\"id\":\"q3\",\"valuation\":\"latest_cost\"}");
	long used = used_bytes("L");
	cr_assert_gt(used, 16 * 4096, "the ledger is too small to cut: %ld",
		     used);
	/* cuts into the pages that hold data (the file may run past them):
	 * page-aligned and not, from the meta pages to the last used page */
	const long sizes[] = {0,
			      1,
			      100,
			      4095,
			      4096,
			      8191,
			      8192,
			      12345,
			      used / 2 + 123,
			      used / 2 / 4096 * 4096,
			      used - 4096,
			      used - 1};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		run_on_truncated(&f, sizes[k]);
	verdict(&f, "truncated data.mdb");
}

Test(edges, zero_length_data_mdb_never_starts_a_new_chain)
{
	need_tool();
	findings f = {0, 0, ""};
	make_ledger("L", 0);
	write_staff_batch("more.ndjson", 0, 3);
	char data[4200], cmd[4400];
	int st;
	path_in(data, sizeof data, "L/data.mdb");
	snprintf(cmd, sizeof cmd, "truncate -s 0 '%s'", data);
	free(svl_test_shell(cmd, &st));
	svl_h_res r = {0, NULL, NULL};
	svl_h_run(&r, tmp, NULL, "append", "-d", "L", "more.ndjson",
		  (char *)NULL);
	f.cases++;
	if (r.code == 0)
		broke(&f, "append into a 0-byte data.mdb exits 0: %.200s", r.out);
	else
		check_failure(&f, "append into a 0-byte data.mdb", &r,
			      r.code == 4 ? 4 : 5, NULL);
	if (file_size(data) != 0)
		broke(&f, "append into a 0-byte data.mdb wrote %ld bytes: a new "
			  "chain",
		      file_size(data));
	snprintf(cmd, sizeof cmd, "truncate -s 0 '%s'", data);
	free(svl_test_shell(cmd, &st));
	svl_h_run(&r, tmp, NULL, "verify", "-d", "L", (char *)NULL);
	f.cases++;
	if (r.code != 4 && r.code != 5)
		broke(&f, "verify of a 0-byte data.mdb exits %d: %.200s%.200s",
		      r.code, r.out, r.err);
	svl_h_res_free(&r);
	verdict(&f, "0-byte data.mdb");
}
