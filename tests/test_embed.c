/*
 * test_embed.c - the ledger as an embedded backend: several threads of one
 * process sharing one handle, several processes sharing one ledger, and an
 * outbox following the log while writers append. Every command is either
 * appended exactly once or refused; the chain verifies; the projections
 * equal a rebuild from the log.
 *
 * Durability is irrelevant to what is tested here, so the ledgers run with
 * SVL_LOG_NOSYNC to keep the suite fast. SVL_STRESS=1 runs the full
 * size (8 threads x 10,000 commands).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "ledger_fixture.h"
#include "svl_stock.h"

#define THREADS 8

static char *dir;
static svl_ledger *led;

static const char staff[] =
	"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	"\"service_manager\",\"occurred_at_ms\":1782835200000,\"payload\":{"
	"\"staff_id\":\"E001\",\"role\":\"service_manager\",\"from_at_ms\":"
	"1782835200000}}\n"
	"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	"\"service_manager\",\"occurred_at_ms\":1782835200000,\"payload\":{"
	"\"staff_id\":\"E012\",\"role\":\"warehouse_keeper\",\"from_at_ms\":"
	"1782835200000}}\n";

static svl_ledger *open_ledger(int create)
{
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC | (create ? SVL_LOG_CREATE : 0);
	svl_ledger *l;
	int rc = svl_ledger_open(&l, dir, &o);
	cr_assert_eq(rc, SVL_OK, "open: %s", svl_log_last_error());
	return l;
}

static void setup(void)
{
	dir = svl_test_mkdtemp();
	led = open_ledger(1);
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(led, staff, strlen(staff), 0, &r),
		     SVL_OK, "%s", r.message);
}

static void teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

TestSuite(embed, .init = setup, .fini = teardown, .timeout = 300);

static int commands_per_worker(void)
{
	const char *s = getenv("SVL_STRESS");
	return s && *s == '1' ? 10000 : 400;
}

/*
 * Command k of worker w. Every third one claims a bin another worker's
 * part already holds (R-BIN-1: one part per bin) and must be refused once
 * that part exists; the others assign a bin of the worker's own, or move
 * stock of the worker's own parts (roles checked only).
 */
static int command(int w, int k, char *buf, size_t cap, unsigned *flags)
{
	int part = k / 3;
	*flags = 0;
	if (k % 3 == 0)
		return snprintf(buf, cap,
				"{\"type\":\"bin_assigned\",\"actor\":\"E012\","
				"\"role\":\"warehouse_keeper\",\"occurred_at_ms\":"
				"1782900000000,\"payload\":{\"part_no\":"
				"\"P%d-%d\",\"bin\":\"W%d-R%d-1-1\"}}",
				w, part, w, part);
	if (k % 3 == 1) {
		*flags = SVL_SUBMIT_ROLES_ONLY;
		return snprintf(buf, cap,
				"{\"type\":\"parts_shelved\",\"actor\":\"E012\","
				"\"role\":\"warehouse_keeper\",\"occurred_at_ms\":"
				"1782900000000,\"payload\":{\"part_no\":"
				"\"P%d-%d\",\"bin\":\"W%d-R%d-1-1\",\"qty_milli\":"
				"%d,\"unit_cost_fen\":%d}}",
				w, part, w, part, 1000 + k, 100 + w);
	}
	/* claims worker (w+1)'s bin for a part of this worker's */
	int o = (w + 1) % THREADS;
	return snprintf(buf, cap,
			"{\"type\":\"bin_assigned\",\"actor\":\"E012\","
			"\"role\":\"warehouse_keeper\",\"occurred_at_ms\":"
			"1782900000000,\"payload\":{\"part_no\":\"X%d-%d\","
			"\"bin\":\"W%d-R%d-1-1\"}}",
			w, part, o, part);
}

typedef struct tally {
	atomic_long appended, refused, other;
} tally;

static tally counts;

static void run_worker(svl_ledger *l, int w, int n)
{
	char buf[512];
	for (int k = 0; k < n; k++) {
		unsigned flags;
		int len = command(w, k, buf, sizeof buf, &flags);
		svl_submit_result r;
		int rc = svl_ledger_submit_json(l, buf, (size_t)len, flags, &r);
		if (rc == SVL_OK && r.appended == 1)
			atomic_fetch_add(&counts.appended, 1);
		else if (rc == SVL_EREFUSED && strcmp(r.rule, "R-BIN-1") == 0)
			atomic_fetch_add(&counts.refused, 1);
		else
			atomic_fetch_add(&counts.other, 1);
	}
}

struct worker_arg {
	int w, n;
};

static void *thread_main(void *p)
{
	struct worker_arg *a = p;
	run_worker(led, a->w, a->n);
	return NULL;
}

static void check_ledger(uint64_t expect_events)
{
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(svl_ledger_log(led), &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);
	cr_assert_eq(rep.events, expect_events);
	int ok = 0;
	char detail[256];
	cr_assert_eq(svl_ledger_check(led, &ok, detail, sizeof detail), SVL_OK,
		     "%s", svl_ledger_errmsg(led));
	cr_assert(ok, "projections differ from a rebuild: %s", detail);
}

Test(embed, threads_share_one_handle)
{
	int n = commands_per_worker();
	pthread_t th[THREADS];
	struct worker_arg args[THREADS];
	for (int w = 0; w < THREADS; w++) {
		args[w] = (struct worker_arg){w, n};
		cr_assert_eq(pthread_create(&th[w], NULL, thread_main, &args[w]),
			     0);
	}
	for (int w = 0; w < THREADS; w++)
		pthread_join(th[w], NULL);
	cr_assert_eq(atomic_load(&counts.other), 0,
		     "every command is appended or refused by R-BIN-1");
	cr_assert_eq(atomic_load(&counts.appended) +
			     atomic_load(&counts.refused),
		     (long)THREADS * n);
	cr_assert_gt(atomic_load(&counts.refused), 0);
	check_ledger(2 + (uint64_t)atomic_load(&counts.appended));
	/* each worker's stock arrived exactly once */
	svl_stock_card c;
	cr_assert_eq(svl_stock_card_get(led, "P3-1", NULL, NULL, &c), SVL_OK);
	cr_assert_eq(c.f.on_hand_milli, 1000 + 4);
}

Test(embed, processes_share_one_ledger)
{
	int n = commands_per_worker() / 2;
	svl_ledger_close(led); /* children open it after fork, not before */
	led = NULL;
	pid_t pids[3];
	for (int w = 0; w < 3; w++) {
		pids[w] = fork();
		cr_assert_neq(pids[w], -1);
		if (pids[w] == 0) {
			led = open_ledger(0);
			run_worker(led, w, n);
			long bad = atomic_load(&counts.other);
			svl_ledger_close(led);
			_exit(bad ? 1 : 0);
		}
	}
	led = open_ledger(0);
	run_worker(led, 3, n);
	for (int w = 0; w < 3; w++) {
		int st;
		waitpid(pids[w], &st, 0);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			  "child %d saw an unexpected failure", w);
	}
	cr_assert_eq(atomic_load(&counts.other), 0);
	svl_head h;
	cr_assert_eq(svl_log_head(svl_ledger_log(led), &h), SVL_OK);
	check_ledger(h.seq);
	/* every worker's shelving landed once: 1 + n/3 receipts each */
	svl_stock_card c;
	cr_assert_eq(svl_stock_card_get(led, "P0-0", NULL, NULL, &c), SVL_OK);
	cr_assert_eq(c.f.received_milli, 1001);
}

struct follower {
	uint64_t last, seen, out_of_order;
};

static int follow_one(const svl_record *r, void *p)
{
	struct follower *f = p;
	if (r->seq != f->last + 1)
		f->out_of_order++;
	f->last = r->seq;
	f->seen++;
	return 0;
}

static void *follower_main(void *p)
{
	struct follower *f = p;
	svl_head h;
	for (;;) {
		int rc = svl_ledger_wait(led, f->last, 2000);
		if (rc == SVL_ETIMEDOUT)
			break;
		svl_ledger_events_after(led, f->last, 100, follow_one, f, NULL);
		svl_log_head(svl_ledger_log(led), &h);
	}
	return NULL;
}

Test(embed, outbox_follows_every_event_once_in_order)
{
	struct follower f = {0, 0, 0};
	pthread_t ft, th[2];
	struct worker_arg args[2] = {{0, 150}, {1, 150}};
	cr_assert_eq(pthread_create(&ft, NULL, follower_main, &f), 0);
	for (int w = 0; w < 2; w++)
		pthread_create(&th[w], NULL, thread_main, &args[w]);
	for (int w = 0; w < 2; w++)
		pthread_join(th[w], NULL);
	pthread_join(ft, NULL); /* ends 2 s after the last append */
	svl_head h;
	cr_assert_eq(svl_log_head(svl_ledger_log(led), &h), SVL_OK);
	cr_assert_eq(f.out_of_order, 0);
	cr_assert_eq(f.seen, h.seq);
	cr_assert_eq(f.last, h.seq);
}

Test(embed, wait_times_out_when_nothing_comes)
{
	svl_head h;
	cr_assert_eq(svl_log_head(svl_ledger_log(led), &h), SVL_OK);
	cr_assert_eq(svl_ledger_wait(led, h.seq, 30), SVL_ETIMEDOUT);
	cr_assert_eq(svl_ledger_wait(led, h.seq - 1, 30), SVL_OK);
}

/* The commit hook runs once per committed write transaction of the
 * handle, after the commit (a refused submission commits nothing): what
 * wakes svl_ledger_wait's in-process waiters at once. */
static int commits_seen;
static void count_commit(svl_log *log, void *payload)
{
	(void)log;
	(void)payload;
	commits_seen++;
}

Test(embed, commit_hook_runs_once_per_commit)
{
	char *dir2 = svl_test_mkdtemp();
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	svl_log *log;
	uint8_t bufs[2][16];
	o.flags = SVL_LOG_CREATE;
	cr_assert_eq(svl_log_open(&log, dir2, &o), SVL_OK);
	svl_log_set_commit_hook(log, count_commit, NULL);
	commits_seen = 0;
	svl_event_in ev[2] = {svl_test_event("a", bufs[0], 1),
			      svl_test_event("a", bufs[1], 2)};
	cr_assert_eq(svl_log_append(log, ev, 2, NULL), SVL_OK);
	cr_assert_eq(commits_seen, 1, "one batch, one commit");
	ev[0].expected_version = 0; /* stale: refused, nothing committed */
	cr_assert_eq(svl_log_append(log, ev, 1, NULL), SVL_ECONFLICT);
	cr_assert_eq(commits_seen, 1);
	svl_log_close(log);
	svl_test_rmdir(dir2);
}

static void *submit_later(void *p)
{
	(void)p;
	struct timespec ts = {0, 50 * 1000000L};
	nanosleep(&ts, NULL);
	struct worker_arg a = {0, 1};
	thread_main(&a);
	return NULL;
}

Test(embed, a_commit_of_another_thread_ends_the_wait)
{
	svl_head h;
	pthread_t th;
	cr_assert_eq(svl_log_head(svl_ledger_log(led), &h), SVL_OK);
	cr_assert_eq(pthread_create(&th, NULL, submit_later, NULL), 0);
	cr_assert_eq(svl_ledger_wait(led, h.seq, 5000), SVL_OK);
	pthread_join(th, NULL);
}
