/*
 * test_crash.c - the crash harness of the reliability suite
 * (docs/reliability.md): the release tool is killed with SIGKILL in the
 * middle of append, import, rebuild --switch and check, and after every
 * kill the ledger must keep its promises:
 *
 *   P1. `svcledger verify` exits 0 and `svcledger check` exits 0;
 *   P2. every event whose append was acknowledged (the tool exited 0 for
 *       it) is in the log exactly once, and a killed append left all of
 *       its batch or none of it; the records before it are unchanged;
 *   P3. a killed import left the target directory absent, empty, or
 *       holding the complete verified ledger; a retry then succeeds;
 *       two imports racing into one new directory leave one complete
 *       ledger, one exit 0 and one exit 6;
 *   P4. a killed rebuild --switch leaves every projection under the same
 *       rule set, the old or the new one, and a killed check changes
 *       nothing; the head is unchanged by both.
 *
 * Two ways to pick the moment of the kill:
 *   - random: the tool is started and killed after a seeded random delay
 *     within 1.5 times its normal run time (SVL_CRASH_SEED replays a
 *     run; the seed is printed with every failure);
 *   - at each write/sync call: the failshim (tests/shim/failshim.c) is
 *     preloaded and raises SIGKILL at call N, for N = 1, 2, ... up to
 *     past the last call the operation makes.
 *
 * SVL_CRASH_POINTS (default 50) is the number of kills per test;
 * `make crash-long` runs 1,000. Every test counts the points that broke a
 * promise rather than stopping at the first, logs each, and fails at the
 * end naming the first; SVL_CRASH_REPORT names a file that receives one
 * line of figures per test (used by `make reliability-long`).
 *
 * The shim and the kills need the release build (ASan refuses a preload
 * and is slow): $SVL_TOOL_REL and $SVL_SHIM, set by `make test`.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "svl_ledger.h" /* SVL_PROJECTIONS */

/* ---- per-test state ---- */

static char *tmp;
static uint64_t seed, rng;
static long points;

typedef struct tally {
	const char *name;
	long points, killed, completed, failures, leftovers;
	long calls; /* write/sync calls of one run, in shim mode */
	int64_t started_us;
	char first[1024];
} tally;

static void crash_setup(void)
{
	tmp = svl_test_mkdtemp();
	cr_assert_not_null(tmp);
	seed = svl_h_seed("SVL_CRASH_SEED");
	rng = seed;
	points = svl_h_env_long("SVL_CRASH_POINTS", 50);
	if (points < 1)
		points = 1;
}

static void crash_teardown(void)
{
	svl_test_rmdir(tmp);
	tmp = NULL;
}

TestSuite(crash, .init = crash_setup, .fini = crash_teardown, .timeout = 3600);

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

static void tally_start(tally *t, const char *name)
{
	memset(t, 0, sizeof *t);
	t->name = name;
	t->started_us = svl_h_now_us();
}

static void broke(tally *t, long point, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One broken promise at one point: logged, counted, the first kept. */
static void broke(tally *t, long point, const char *fmt, ...)
{
	char what[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	for (char *c = what; *c; c++)
		if (*c == '\n')
			*c = '|'; /* one log line per broken promise */
	cr_log_error("%s: point %ld (SVL_CRASH_SEED=%llu): %s", t->name, point,
		     (unsigned long long)seed, what);
	if (t->failures++ == 0)
		snprintf(t->first, sizeof t->first, "point %ld: %s", point,
			 what);
}

/* The figures of the test, then its verdict. */
static void tally_end(tally *t)
{
	double s = (double)(svl_h_now_us() - t->started_us) / 1e6;
	char line[512];
	snprintf(line, sizeof line,
		 "crash figures: %s: %ld points (%ld killed, %ld completed "
		 "before the kill; %ld write/sync calls a run), %ld broke a "
		 "promise, %ld left files beside the target, %.1f s, seed %llu\n",
		 t->name, t->points, t->killed, t->completed, t->calls,
		 t->failures, t->leftovers, s,
		 (unsigned long long)seed);
	fputs(line, stderr);
	const char *report = getenv("SVL_CRASH_REPORT");
	FILE *f = report && *report ? fopen(report, "a") : NULL;
	if (f) {
		fputs(line, f);
		fclose(f);
	}
	cr_assert_eq(t->failures, 0,
		     "%s: %ld of %ld points broke a promise; first: %s "
		     "(replay: SVL_CRASH_SEED=%llu)",
		     t->name, t->failures, t->points, t->first,
		     (unsigned long long)seed);
}

/* ---- running the tool ---- */

static void path_in(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", tmp, name);
}

/* How a kill is chosen: after a delay (us), at shim call N, or by a
 * signal other than SIGKILL. */
typedef struct kill_plan {
	int64_t delay_us; /* < 0: no timed kill */
	long shim_at;	  /* > 0: preload the shim, SIGKILL at call N */
	int sig;	  /* the signal of a timed kill */
} kill_plan;

/* Run the release tool with words argv (argv[0] ignored) under plan;
 * returns its exit status or 128 + signal. *killed says whether it was
 * ended by the plan's signal. */
static int run_planned(char *const argv[], kill_plan plan, int *killed)
{
	char out[4200], err[4200], at[64], pre[4200];
	path_in(out, sizeof out, ".crash_out");
	path_in(err, sizeof err, ".crash_err");
	const char *env[4] = {NULL, NULL, NULL, NULL};
	if (plan.shim_at > 0) {
		snprintf(pre, sizeof pre, "LD_PRELOAD=%s", svl_h_shim());
		snprintf(at, sizeof at, "SVL_SHIM_AT=%ld", plan.shim_at);
		env[0] = pre;
		env[1] = "SVL_SHIM_MODE=kill";
		env[2] = at;
	}
	pid_t pid =
	    svl_h_spawn(tmp, env, svl_h_tool_rel(), argv, out, err);
	cr_assert_gt(pid, 0, "fork failed");
	if (plan.delay_us >= 0) {
		svl_h_sleep_us(plan.delay_us);
		kill(pid, plan.sig ? plan.sig : SIGKILL);
	}
	int code = svl_h_wait(pid);
	int sig = plan.shim_at > 0 ? SIGKILL : (plan.sig ? plan.sig : SIGKILL);
	*killed = code == 128 + sig;
	return code;
}

/* How many write/sync calls the command makes (the shim counting). */
static long count_calls(char *const argv[])
{
	char cnt[4200], pre[4200], cntenv[4300];
	path_in(cnt, sizeof cnt, ".crash_count");
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", svl_h_shim());
	snprintf(cntenv, sizeof cntenv, "SVL_SHIM_COUNT=%s", cnt);
	const char *env[] = {pre, "SVL_SHIM_MODE=count", cntenv, NULL};
	svl_h_res r = {0, NULL, NULL};
	svl_h_runv(&r, tmp, env, svl_h_tool_rel(), argv);
	cr_assert_eq(r.code, 0, "counting run failed (%d): %s", r.code, r.err);
	svl_h_res_free(&r);
	char *s = svl_h_slurp(cnt, NULL);
	cr_assert_not_null(s, "the shim wrote no count");
	long n = strtol(s, NULL, 10);
	free(s);
	return n;
}

/* The normal run time of a command in us: the fastest of three runs
 * (each after removing `fresh`, a directory it creates, when not NULL). */
static int64_t time_run(char *const argv[], const char *fresh)
{
	int64_t best = INT64_MAX;
	for (int i = 0; i < 3; i++) {
		svl_h_res r = {0, NULL, NULL};
		char path[4200];
		if (fresh) {
			path_in(path, sizeof path, fresh);
			svl_test_rmdir(strdup(path));
		}
		int64_t t0 = svl_h_now_us();
		svl_h_runv(&r, tmp, NULL, svl_h_tool_rel(), argv);
		int64_t us = svl_h_now_us() - t0;
		cr_assert_eq(r.code, 0, "timing run failed (%d): %s", r.code,
			     r.err);
		svl_h_res_free(&r);
		best = us < best ? us : best;
	}
	return best;
}

/* A plan for point p: shim call 1 + p mod (1.5 * calls + 2), or a random
 * delay in [0, 1.5 * run_us]. A run's number of calls grows with the
 * ledger (more dirty page runs to write), so the points run past the
 * count measured: the last calls of a commit are always among them. */
static kill_plan plan_for(long p, long calls, int64_t run_us, int sig)
{
	kill_plan k = {-1, 0, sig};
	if (calls > 0)
		k.shim_at = 1 + p % (calls * 3 / 2 + 2);
	else
		k.delay_us = (int64_t)svl_test_below(&rng,
						    (uint64_t)(3 * run_us / 2 + 1));
	return k;
}

/* P1: verify and check exit 0. Returns 1 when both hold. */
static int ledger_sound(tally *t, long p, const char *dir)
{
	svl_h_res r = {0, NULL, NULL};
	int ok = 1;
	if (svl_h_run(&r, tmp, NULL, "verify", "-d", dir, (char *)NULL) != 0) {
		broke(t, p, "verify exits %d: %.200s%.200s", r.code, r.out,
		      r.err);
		ok = 0;
	} else if (svl_h_run(&r, tmp, NULL, "check", "-d", dir,
			     (char *)NULL) != 0) {
		broke(t, p, "check exits %d: %.200s%.200s", r.code, r.out,
		      r.err);
		ok = 0;
	}
	svl_h_res_free(&r);
	return ok;
}

/* ---- append ---- */

/* Our event ids: a fixed prefix and the event's number. */
#define ID_PREFIX "5c1ed9e5"

static void init_staff_ledger(const char *dir)
{
	char file[4200];
	svl_h_res r = {0, NULL, NULL};
	char path[4200];
	path_in(path, sizeof path, dir);
	svl_test_rmdir(strdup(path));
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "init", "-d", dir, (char *)NULL),
		     0, "init: %s", r.err);
	path_in(file, sizeof file, "boss.ndjson");
	const char boss[] =
	    "{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	    "\"service_manager\",\"occurred_at\":\"2026-07-01T08:00:00+08:00\","
	    "\"payload\":{\"staff_id\":\"E001\",\"role\":\"service_manager\","
	    "\"from_at_ms\":1782835200000}}\n";
	cr_assert_eq(svl_h_spit(file, boss, sizeof boss - 1), 0);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "append", "-d", dir,
			       "boss.ndjson", (char *)NULL),
		     0, "append: %s", r.err);
	svl_h_res_free(&r);
}

/* Events first .. first + n - 1 (staff S<k> as technicians, each with
 * its own id) into file `name`. */
static void write_batch(const char *name, long first, long n)
{
	char path[4200];
	path_in(path, sizeof path, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	for (long k = first; k < first + n; k++)
		fprintf(f,
			"{\"id\":\"" ID_PREFIX "%024lx\",\"type\":"
			"\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
			"\"service_manager\",\"occurred_at\":"
			"\"2026-07-01T08:00:00+08:00\",\"payload\":{"
			"\"staff_id\":\"S%ld\",\"role\":\"technician\","
			"\"from_at_ms\":1782835200000}}\n",
			(unsigned long)k, k);
	cr_assert_eq(fclose(f), 0);
}

typedef struct ids {
	long *k;
	size_t n, cap;
	long records;
} ids;

/* Our ids among the records from seq `from` on, in log order. */
static int read_ids(const char *dir, long from, ids *out)
{
	char fromarg[32];
	snprintf(fromarg, sizeof fromarg, "%ld", from < 1 ? 1 : from);
	svl_h_res r = {0, NULL, NULL};
	memset(out, 0, sizeof *out);
	int code = svl_h_run(&r, tmp, NULL, "log", "-d", dir, "--from",
			     fromarg, "--ndjson", (char *)NULL);
	for (char *l = r.out; code == 0 && l && *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		out->records++;
		const char *id = strstr(l, "\"id\":\"" ID_PREFIX);
		if (id) {
			if (out->n == out->cap) {
				out->cap = out->cap ? 2 * out->cap : 256;
				out->k = realloc(out->k,
						 out->cap * sizeof *out->k);
				cr_assert_not_null(out->k);
			}
			out->k[out->n++] =
			    strtol(id + 6 + strlen(ID_PREFIX), NULL, 16);
		}
		l = nl ? nl + 1 : NULL;
	}
	svl_h_res_free(&r);
	return code;
}

static long head_seq(const char *dir, char *hash_out)
{
	char h[80];
	svl_h_head(tmp, dir, h);
	if (strncmp(h, "exit", 4) == 0)
		return -1;
	if (hash_out)
		snprintf(hash_out, 40, "%s", strchr(h, ':') + 1);
	return strtol(h, NULL, 10);
}

/*
 * P2 after an append of events first..first+n-1 that ran from head
 * pre_seq/pre_hash: the records after pre_seq are exactly that batch once
 * (must_all) or nothing or exactly that batch (otherwise), and record
 * pre_seq still has its hash.
 */
static void check_batch(tally *t, long p, const char *dir, long pre_seq,
			const char *pre_hash, long first, long n, int must_all)
{
	ids got;
	int code = read_ids(dir, pre_seq, &got);
	if (code != 0) {
		broke(t, p, "log exits %d after the kill", code);
		free(got.k);
		return;
	}
	/* read from pre_seq: its first record is pre_seq itself */
	size_t skip = 0;
	if (pre_seq > 0 && got.n > 0 && got.k[0] < first)
		skip = 1; /* record pre_seq is one of ours, from before */
	size_t fresh = got.n - skip;
	int ok = fresh == 0 || fresh == (size_t)n;
	for (size_t i = skip; ok && i < got.n; i++)
		ok = got.k[i] == first + (long)(i - skip);
	if (!ok)
		broke(t, p,
		      "after the kill the log holds %zu events of a %ld-event "
		      "batch (or others): not all or nothing, or duplicated",
		      fresh, n);
	else if (must_all && fresh != (size_t)n)
		broke(t, p,
		      "the append of %ld events was acknowledged (exit 0) but "
		      "%zu of them are in the log",
		      n, fresh);
	free(got.k);
	char from[32];
	snprintf(from, sizeof from, "%ld", pre_seq);
	if (pre_seq > 0) {
		svl_h_res r = {0, NULL, NULL};
		svl_h_run(&r, tmp, NULL, "log", "-d", dir, "--from", from,
			  "--to", from, "--ndjson", (char *)NULL);
		const char *h = strstr(r.out, "\",\"hash\":\"");
		if (!h || strncmp(h + 10, pre_hash, 32) != 0)
			broke(t, p,
			      "record %ld (the head before the append) changed: "
			      "%.100s",
			      pre_seq, r.out);
		svl_h_res_free(&r);
	}
}

/* P2 over the whole log: every event 0 .. acked-1 once, no id twice. */
static void check_all_once(tally *t, long p, const char *dir, long acked)
{
	ids got;
	if (read_ids(dir, 1, &got) != 0) {
		broke(t, p, "log of the whole ledger fails");
		free(got.k);
		return;
	}
	unsigned char *seen = calloc((size_t)acked + 1, 1);
	cr_assert_not_null(seen);
	for (size_t i = 0; i < got.n; i++) {
		long k = got.k[i];
		if (k < 0 || k >= acked) {
			broke(t, p, "event %ld is in the log but was never "
				    "appended to this ledger", k);
			continue;
		}
		if (seen[k]++)
			broke(t, p, "event %ld is in the log twice", k);
	}
	for (long k = 0; k < acked; k++)
		if (!seen[k]) {
			broke(t, p, "acknowledged event %ld is missing", k);
			break;
		}
	free(seen);
	free(got.k);
}

/* One kill of an append, its checks, and the retry. Returns the number of
 * events the ledger holds afterwards (next event number). */
static long append_point(tally *t, long p, long next, long n, kill_plan plan)
{
	char pre_hash[40] = "";
	long pre_seq = head_seq("L", pre_hash);
	write_batch("batch.ndjson", next, n);
	char *argv[] = {NULL, "append", "-d", "L", "batch.ndjson", NULL};
	int killed;
	int code = run_planned(argv, plan, &killed);
	t->points++;
	t->killed += killed;
	t->completed += code == 0;
	if (code != 0 && !killed)
		broke(t, p, "append exits %d without being killed", code);
	ledger_sound(t, p, "L");
	check_batch(t, p, "L", pre_seq, pre_hash, next, n, code == 0);
	if (code != 0) {
		/* the retry: the same ids, so whatever part landed is kept
		 * once and the rest appended */
		svl_h_res r = {0, NULL, NULL};
		if (svl_h_run(&r, tmp, NULL, "append", "-d", "L",
			      "batch.ndjson", (char *)NULL) != 0)
			broke(t, p, "the retried append exits %d: %.300s",
			      r.code, r.err);
		svl_h_res_free(&r);
		check_batch(t, p, "L", pre_seq, pre_hash, next, n, 1);
	}
	return next + n;
}

/* Points in epochs of 50 on a fresh ledger each, so that the checks of a
 * long run stay cheap. */
static void append_run(tally *t, int shim)
{
	long next = 0, calls = 0;
	int64_t run_us = 0;
	const long batch = 20;
	for (long p = 0; p < points; p++) {
		if (p % 50 == 0) {
			if (p > 0)
				check_all_once(t, p - 1, "L", next);
			init_staff_ledger("L");
			next = 0;
			write_batch("batch.ndjson", next, batch);
			char *argv[] = {NULL, "append", "-d", "L",
					"batch.ndjson", NULL};
			if (shim) {
				/* the first append into a new ledger makes
				 * fewer calls than the ones after it: count
				 * a later one too, so every point is reached */
				calls = count_calls(argv);
				next += batch;
				write_batch("batch.ndjson", next, batch);
				long later = count_calls(argv);
				calls = later > calls ? later : calls;
				t->calls = calls;
			} else {
				run_us = time_run(argv, NULL);
			}
			next += batch;
		}
		long n = shim ? batch
			      : 1 + (long)svl_test_below(&rng, 2 * batch);
		next = append_point(t, p, next, n,
				    plan_for(p % 50, calls, run_us, SIGKILL));
	}
	check_all_once(t, points - 1, "L", next);
}

Test(crash, append_killed_at_random_moments_keeps_every_acknowledged_event_once)
{
	need_tool();
	tally t;
	tally_start(&t, "append, random kills");
	append_run(&t, 0);
	tally_end(&t);
}

Test(crash, append_killed_at_each_write_and_sync_call_keeps_every_acknowledged_event_once)
{
	need_shim();
	tally t;
	tally_start(&t, "append, kill at each write/sync call");
	append_run(&t, 1);
	tally_end(&t);
}

/* ---- import ---- */

static char export_head[80];

/* A source ledger of n events and its exports ex.ndjson and ex.mp. */
static void make_exports(long n)
{
	svl_h_res r = {0, NULL, NULL};
	init_staff_ledger("src");
	write_batch("src.ndjson", 0, n);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "append", "-d", "src",
			       "src.ndjson", (char *)NULL),
		     0, "%s", r.err);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "export", "-d", "src", "-o",
			       "ex.ndjson", (char *)NULL),
		     0, "%s", r.err);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "export", "-d", "src",
			       "--format", "msgpack", "-o", "ex.mp",
			       (char *)NULL),
		     0, "%s", r.err);
	svl_h_res_free(&r);
	svl_h_head(tmp, "src", export_head);
}

/* The target holds the complete ledger: verify, check, head as exported. */
static int import_complete(tally *t, long p, const char *dir)
{
	char h[80];
	if (!ledger_sound(t, p, dir))
		return 0;
	svl_h_head(tmp, dir, h);
	if (strcmp(h, export_head) != 0) {
		broke(t, p, "the imported ledger's head is %s, the export's %s",
		      h, export_head);
		return 0;
	}
	return 1;
}

static void remove_in_tmp(const char *name)
{
	char path[4200];
	path_in(path, sizeof path, name);
	svl_test_rmdir(strdup(path));
}

/* Anything but the target that a killed import left beside it (its build
 * directory, for one): logged as a warning, not a broken promise, and
 * removed so that the next point starts clean. */
static void note_leftovers(tally *t, long p)
{
	static const char *const keep =
	    "grep -v -x -e '.' -e '..' -e '.crash_out' -e '.crash_err' "
	    "-e '.crash_count' -e '.h_out' -e '.h_err' -e 'L' -e 'src' "
	    "-e 'imp' -e '.*\\.ndjson' -e '.*\\.mp' -e '.*\\.json'";
	char cmd[4400];
	int st;
	snprintf(cmd, sizeof cmd, "cd '%s' && ls -A | %s | head -5", tmp, keep);
	char *out = svl_test_shell(cmd, &st);
	if (out && *out) {
		if (t->leftovers++ == 0)
			fprintf(stderr, "%s: point %ld: left beside the target: %s "
				    "(further ones are counted, not shown)\n",
				    t->name, p, out);
		snprintf(cmd, sizeof cmd, "cd '%s' && ls -A | %s | xargs -r rm -rf",
			 tmp, keep);
		free(svl_test_shell(cmd, &st));
	}
	free(out);
}

static void import_point(tally *t, long p, kill_plan plan)
{
	const char *file = p % 2 ? "ex.mp" : "ex.ndjson";
	remove_in_tmp("imp");
	char *argv[] = {NULL, "import", "-d", "imp", (char *)file, NULL};
	int killed;
	int code = run_planned(argv, plan, &killed);
	t->points++;
	t->killed += killed;
	t->completed += code == 0;
	char path[4200];
	path_in(path, sizeof path, "imp");
	if (code == 0) {
		import_complete(t, p, "imp");
	} else if (!killed) {
		broke(t, p, "import exits %d without being killed", code);
	} else if (!svl_h_absent_or_empty(path)) {
		svl_h_res r = {0, NULL, NULL};
		char h[80];
		int v = svl_h_run(&r, tmp, NULL, "verify", "-d", "imp",
				  (char *)NULL);
		svl_h_head(tmp, "imp", h);
		if (v != 0 || strcmp(h, export_head) != 0)
			broke(t, p,
			      "import killed (%d) at %s left a partial ledger "
			      "in the target: verify exits %d, head %s (the "
			      "export's: %s)",
			      code,
			      plan.shim_at ? "a write/sync call" : "a moment",
			      v, h, export_head);
		else
			import_complete(t, p, "imp");
		svl_h_res_free(&r);
		return; /* a retry into a non-empty dir is exit 6 */
	}
	note_leftovers(t, p);
	if (code != 0) {
		svl_h_res r = {0, NULL, NULL};
		if (svl_h_runv(&r, tmp, NULL, svl_h_tool_rel(), argv) != 0)
			broke(t, p, "the retried import exits %d: %.300s",
			      r.code, r.err);
		else
			import_complete(t, p, "imp");
		svl_h_res_free(&r);
	}
}

static void import_run(tally *t, int shim, int sig)
{
	long calls = 0;
	int64_t run_us = 0;
	make_exports(1500);
	char *argv[] = {NULL, "import", "-d", "imp", "ex.ndjson", NULL};
	remove_in_tmp("imp");
	if (shim)
		t->calls = calls = count_calls(argv);
	else
		run_us = time_run(argv, "imp");
	for (long p = 0; p < points; p++)
		import_point(t, p, plan_for(p, calls, run_us, sig));
}

Test(crash, import_killed_at_random_moments_leaves_nothing_or_the_whole_ledger)
{
	need_tool();
	tally t;
	tally_start(&t, "import, random kills");
	import_run(&t, 0, SIGKILL);
	tally_end(&t);
}

Test(crash, import_killed_at_each_write_and_sync_call_leaves_nothing_or_the_whole_ledger)
{
	need_shim();
	tally t;
	tally_start(&t, "import, kill at each write/sync call");
	import_run(&t, 1, SIGKILL);
	tally_end(&t);
}

Test(crash, import_stopped_by_sigterm_or_sigint_leaves_nothing_or_the_whole_ledger)
{
	need_tool();
	tally t;
	tally_start(&t, "import, SIGTERM/SIGINT");
	make_exports(1500);
	char *argv[] = {NULL, "import", "-d", "imp", "ex.ndjson", NULL};
	remove_in_tmp("imp");
	int64_t run_us = time_run(argv, "imp");
	for (long p = 0; p < points; p++)
		import_point(&t, p,
			     plan_for(p, 0, run_us, p % 2 ? SIGINT : SIGTERM));
	tally_end(&t);
}

Test(crash, two_imports_racing_into_one_new_dir_leave_one_complete_ledger)
{
	need_tool();
	tally t;
	tally_start(&t, "import, two racing");
	make_exports(1500);
	/* a narrow window: as many rounds as points, at least 20 */
	long rounds = points < 20 ? 20 : points;
	for (long p = 0; p < rounds; p++) {
		remove_in_tmp("imp");
		char oa[4200], ea[4200], ob[4200], eb[4200];
		path_in(oa, sizeof oa, ".race_a_out");
		path_in(ea, sizeof ea, ".race_a_err");
		path_in(ob, sizeof ob, ".race_b_out");
		path_in(eb, sizeof eb, ".race_b_err");
		char *a[] = {NULL, "import", "-d", "imp", "ex.ndjson", NULL};
		char *b[] = {NULL, "import", "-d", "imp", "ex.mp", NULL};
		pid_t pa = svl_h_spawn(tmp, NULL, svl_h_tool_rel(), a, oa, ea);
		pid_t pb = svl_h_spawn(tmp, NULL, svl_h_tool_rel(), b, ob, eb);
		int ca = svl_h_wait(pa), cb = svl_h_wait(pb);
		t.points++;
		int lo = ca < cb ? ca : cb, hi = ca < cb ? cb : ca;
		if (lo != 0 || hi != 6) {
			char *sa = svl_h_slurp(ea, NULL), *sb = svl_h_slurp(eb, NULL);
			broke(&t, p,
			      "racing imports exit %d and %d (want one 0 and one "
			      "6): %.200s | %.200s",
			      ca, cb, sa ? sa : "", sb ? sb : "");
			free(sa);
			free(sb);
		} else {
			char *loser = svl_h_slurp(ca == 6 ? ea : eb, NULL);
			char why[512];
			if (!svl_h_one_line(loser ? loser : "", why, sizeof why))
				broke(&t, p, "the losing import: %s", why);
			free(loser);
		}
		import_complete(&t, p, "imp");
	}
	tally_end(&t);
}

/* ---- rebuild --switch and check ---- */

/* A stock ledger: 150 parts, each given a bin and shelved twice, so that
 * the projections have work to redo. */
static void make_stock_ledger(void)
{
	char path[4200];
	svl_h_res r = {0, NULL, NULL};
	init_staff_ledger("L");
	path_in(path, sizeof path, "stock.ndjson");
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	      "\"service_manager\",\"occurred_at\":\"2026-07-01T08:00:00+08:00\","
	      "\"payload\":{\"staff_id\":\"E012\",\"role\":\"warehouse_keeper\","
	      "\"from_at_ms\":1782835200000}}\n",
	      f);
	for (int k = 0; k < 150; k++) {
#define STOCK_EV(type, day, extra)                                            \
	"{\"type\":\"" type "\",\"actor\":\"E012\",\"role\":"           \
	"\"warehouse_keeper\",\"occurred_at\":\"2026-07-0" day                \
	"T09:00:00+08:00\",\"payload\":{\"part_no\":\"P-%04d\",\"bin\":"   \
	"\"W1-R%03d-1-%02d\"" extra "}}\n"
		fprintf(f, STOCK_EV("bin_assigned", "1", ""), k, k / 10,
			k % 10);
		fprintf(f,
			STOCK_EV("parts_shelved", "2",
				 ",\"qty_milli\":5000,\"unit_cost_fen\":6800"),
			k, k / 10, k % 10);
		fprintf(f,
			STOCK_EV("parts_shelved", "3",
				 ",\"qty_milli\":2500,\"unit_cost_fen\":7100"),
			k, k / 10, k % 10);
#undef STOCK_EV
	}
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "append", "-d", "L",
			       "stock.ndjson", (char *)NULL),
		     0, "%s", r.err);
	path_in(path, sizeof path, "r-latest.json");
	const char r1[] = "{\"id\":\"r-latest\",\"valuation\":\"latest_cost\"}";
	cr_assert_eq(svl_h_spit(path, r1, sizeof r1 - 1), 0);
	path_in(path, sizeof path, "r-moving.json");
	const char r2[] = "{\"id\":\"r-moving\",\"valuation\":\"moving_average\"}";
	cr_assert_eq(svl_h_spit(path, r2, sizeof r2 - 1), 0);
	svl_h_res_free(&r);
}

/* The rule set id of each live projection, joined by '|' into out; the
 * whole projections --json into all (may be NULL). */
static int live_rules(char *out, size_t cap, char **all)
{
	svl_h_res r = {0, NULL, NULL};
	out[0] = '\0';
	int code = svl_h_run(&r, tmp, NULL, "projections", "-d", "L", "--json",
			     (char *)NULL);
	size_t at = 0;
	for (const char *s = r.out; code == 0 && (s = strstr(s, "\"rules_id\":\""));) {
		s += 12;
		const char *e = strchr(s, '"');
		at += (size_t)snprintf(out + at, at < cap ? cap - at : 0,
				       "%s%.*s", at ? "|" : "", (int)(e - s), s);
	}
	if (all) {
		*all = r.out;
		r.out = NULL;
	}
	svl_h_res_free(&r);
	return code;
}

static void rebuild_point(tally *t, long p, kill_plan plan)
{
	const char *want = p % 2 ? "r-moving" : "r-latest";
	char file[64], before[256], after[256], want_all[256], h0[80], h1[80];
	snprintf(file, sizeof file, "%s.json", want);
	size_t at = 0; /* every projection under the rule set switched to */
	for (int k = 0; k < SVL_PROJECTIONS; k++)
		at += (size_t)snprintf(want_all + at, sizeof want_all - at,
				       "%s%s", k ? "|" : "", want);
	live_rules(before, sizeof before, NULL);
	svl_h_head(tmp, "L", h0);
	char *argv[] = {NULL, "rebuild", "-d", "L", "--rules", file, "--switch",
			NULL};
	int killed;
	int code = run_planned(argv, plan, &killed);
	t->points++;
	t->killed += killed;
	t->completed += code == 0;
	if (code != 0 && !killed)
		broke(t, p, "rebuild --switch exits %d without being killed",
		      code);
	ledger_sound(t, p, "L");
	svl_h_head(tmp, "L", h1);
	if (strcmp(h0, h1) != 0)
		broke(t, p, "rebuild moved the head: %s -> %s", h0, h1);
	if (live_rules(after, sizeof after, NULL) != 0)
		broke(t, p, "projections fails after the kill");
	else if (code == 0 && strcmp(after, want_all) != 0)
		broke(t, p, "rebuild --switch exited 0 but the live rules are %s",
		      after);
	else if (strcmp(after, before) != 0 && strcmp(after, want_all) != 0)
		broke(t, p,
		      "a killed rebuild --switch left mixed rule sets live: %s "
		      "(before %s, switching to %s)",
		      after, before, want);
	if (code != 0) {
		svl_h_res r = {0, NULL, NULL};
		if (svl_h_runv(&r, tmp, NULL, svl_h_tool_rel(), argv) != 0)
			broke(t, p, "the retried rebuild exits %d: %.300s",
			      r.code, r.err);
		svl_h_res_free(&r);
		live_rules(after, sizeof after, NULL);
		if (strcmp(after, want_all) != 0)
			broke(t, p, "after the retry the live rules are %s",
			      after);
		ledger_sound(t, p, "L");
	}
}

static void check_point(tally *t, long p, kill_plan plan)
{
	char rules[256], h0[80], h1[80];
	char *before = NULL, *after = NULL;
	live_rules(rules, sizeof rules, &before);
	svl_h_head(tmp, "L", h0);
	char *argv[] = {NULL, "check", "-d", "L", NULL};
	int killed;
	int code = run_planned(argv, plan, &killed);
	t->points++;
	t->killed += killed;
	t->completed += code == 0;
	if (code != 0 && !killed)
		broke(t, p, "check exits %d without being killed", code);
	ledger_sound(t, p, "L");
	svl_h_head(tmp, "L", h1);
	if (strcmp(h0, h1) != 0)
		broke(t, p, "check moved the head: %s -> %s", h0, h1);
	live_rules(rules, sizeof rules, &after);
	if (!before || !after || strcmp(before, after) != 0)
		broke(t, p, "a killed check changed the live projections: "
			    "%.200s -> %.200s",
		      before ? before : "(none)", after ? after : "(none)");
	free(before);
	free(after);
}

static void projection_run(tally *t, int shim, int rebuild)
{
	make_stock_ledger();
	long calls = 0;
	int64_t run_us = 0;
	char *rb[] = {NULL, "rebuild", "-d", "L", "--rules", "r-moving.json",
		      "--switch", NULL};
	char *ck[] = {NULL, "check", "-d", "L", NULL};
	char *const *argv = rebuild ? rb : ck;
	if (shim) {
		/* a second run may make more calls than the first (its
		 * scratch tables exist by then): take the larger count */
		calls = count_calls(argv);
		long again = count_calls(argv);
		calls = again > calls ? again : calls;
		t->calls = calls;
	} else
		run_us = time_run(argv, NULL);
	for (long p = 0; p < points; p++) {
		kill_plan plan = plan_for(p, calls, run_us, SIGKILL);
		if (rebuild)
			rebuild_point(t, p, plan);
		else
			check_point(t, p, plan);
	}
}

Test(crash, rebuild_switch_killed_at_random_moments_switches_all_or_nothing)
{
	need_tool();
	tally t;
	tally_start(&t, "rebuild --switch, random kills");
	projection_run(&t, 0, 1);
	tally_end(&t);
}

Test(crash, rebuild_switch_killed_at_each_write_and_sync_call_switches_all_or_nothing)
{
	need_shim();
	tally t;
	tally_start(&t, "rebuild --switch, kill at each write/sync call");
	projection_run(&t, 1, 1);
	tally_end(&t);
}

Test(crash, check_killed_at_random_moments_changes_nothing)
{
	need_tool();
	tally t;
	tally_start(&t, "check, random kills");
	projection_run(&t, 0, 0);
	tally_end(&t);
}

Test(crash, check_killed_at_each_write_and_sync_call_changes_nothing)
{
	need_shim();
	tally t;
	tally_start(&t, "check, kill at each write/sync call");
	projection_run(&t, 1, 0);
	tally_end(&t);
}
