/*
 * test_concurrency.c - several writers at once: processes appending to one
 * ledger, threads sharing one handle, map growth under contention, and a
 * second process growing the map under the first (MDB_MAP_RESIZED).
 *
 * Helper processes are this binary run again (fixture.h): each is a fresh
 * process that opens the ledger itself; LMDB forbids using an environment
 * across fork. Writers run with SVL_LOG_NOSYNC to keep the suite fast: the
 * durability mode changes when pages reach the disk, not how writers are
 * serialised, which is what these tests are about.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "mp.h"

static char *dir;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	cr_assert_not_null(dir);
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	svl_log_close(log);
}

static void teardown(void)
{
	svl_test_rmdir(dir);
	dir = NULL;
}

TestSuite(concurrency, .init = setup, .fini = teardown);

enum { BATCH = 10, OWN = 5 }; /* per batch: 5 to its own stream, 5 shared */

/*
 * Writer w appends `batches` batches of BATCH events: OWN to "own-<w>",
 * each with the exact expected version (only w writes there), and the rest
 * to "shared" with SVL_VERSION_ANY. Event k of writer w has id (w + 1, k)
 * and payload {"n": k}.
 */
static int write_batches(svl_log *log, int w, int batches, char *err,
			 size_t err_len)
{
	char own[16];
	snprintf(own, sizeof own, "own-%d", w);
	for (int b = 0; b < batches; b++) {
		uint8_t bufs[BATCH][16];
		svl_event_in ev[BATCH];
		for (int i = 0; i < BATCH; i++) {
			int64_t k = (int64_t)b * BATCH + i;
			ev[i] = svl_test_event(i < OWN ? own : "shared",
					       bufs[i], k);
			svl_test_id(ev[i].id, (uint64_t)w + 1, (uint64_t)k);
			if (i < OWN)
				ev[i].expected_version = b * OWN + i;
		}
		int rc = svl_log_append(log, ev, BATCH, NULL);
		if (rc != SVL_OK) {
			snprintf(err, err_len, "writer %d batch %d: %s: %s", w,
				 b, svl_strerror(rc), svl_log_errmsg(log));
			return rc;
		}
	}
	return SVL_OK;
}

/* n of a {"n": n} payload (svl_test_payload), -1 if it is not one. */
static int64_t payload_n(const svl_record *r)
{
	svl_mp_reader rd = {r->payload, r->payload + r->payload_len};
	uint32_t pairs;
	const char *key;
	uint32_t key_len;
	int64_t n;
	if (!svl__mp_read_map(&rd, &pairs) || pairs != 1 ||
	    !svl__mp_read_str(&rd, &key, &key_len) || key_len != 1 ||
	    !svl__mp_read_int(&rd, &n))
		return -1;
	return n;
}

/* What every test checks afterwards: each event once, seq gap-free, each
 * own stream in its writer's order, the shared stream complete, verify. */
static void check_ledger(int writers, int batches)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	uint64_t per = (uint64_t)batches * BATCH;
	uint64_t total = per * (uint64_t)writers;
	uint8_t *seen = calloc(total, 1);
	cr_assert_not_null(seen);
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log, 0, 0, &it), SVL_OK);
	uint64_t seq = 0, switches = 0, last_w = 0;
	while (svl_iter_next(it, &r) == SVL_OK) {
		cr_assert_eq(r.seq, ++seq, "gap before seq %llu",
			     (unsigned long long)r.seq);
		uint64_t w = svl_test_get_be64(r.id) - 1;
		uint64_t k = svl_test_get_be64(r.id + 8);
		cr_assert(w < (uint64_t)writers && k < per, "foreign event");
		cr_assert_eq(seen[w * per + k], 0,
			     "writer %llu event %llu is in the log twice",
			     (unsigned long long)w, (unsigned long long)k);
		seen[w * per + k] = 1;
		switches += seq > 1 && w != last_w;
		last_w = w;
	}
	svl_iter_close(it);
	cr_log_info("%llu writer switches along the log",
		    (unsigned long long)switches);
	cr_assert_eq(seq, total, "%llu events in the log, want %llu",
		     (unsigned long long)seq, (unsigned long long)total);
	free(seen);

	for (int w = 0; w < writers; w++) {
		char own[16];
		snprintf(own, sizeof own, "own-%d", w);
		cr_assert_eq(
		    svl_log_iter_stream(log, own, strlen(own), 0, 0, &it),
		    SVL_OK);
		uint64_t v = 0;
		int64_t last_n = -1;
		while (svl_iter_next(it, &r) == SVL_OK) {
			cr_assert_eq(r.stream_version, ++v);
			int64_t n = payload_n(&r);
			cr_assert_gt(n, last_n, "order of %s", own);
			last_n = n;
		}
		svl_iter_close(it);
		cr_assert_eq(v, (uint64_t)batches * OWN, "%s", own);
	}
	uint64_t shared;
	cr_assert_eq(svl_log_stream_version(log, "shared", 6, &shared), SVL_OK);
	cr_assert_eq(shared,
		     (uint64_t)batches * (BATCH - OWN) * (uint64_t)writers);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);
	cr_assert_eq(rep.events, total);
	svl_log_close(log);
}

/* Size of the data file: proof that a map really had to grow. */
static long long data_bytes(void)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	return (long long)st.st_size;
}

/* Map size and pages in use, as LMDB's mdb_stat reports them. */
static void map_stat(long long *map, long long *pages)
{
	char cmd[4300];
	snprintf(cmd, sizeof cmd, "mdb_stat -e '%s'", dir);
	int status;
	char *out = svl_test_shell(cmd, &status);
	cr_assert_not_null(out);
	cr_assert_eq(status, 0, "%s", out);
	char *m = strstr(out, "Map size: "), *p = strstr(out, "pages used: ");
	cr_assert(m && p, "%s", out);
	*map = atoll(m + 10);
	*pages = atoll(p + 12);
	free(out);
}

/* ---- helper processes ---- */

/* arg: "<dir>|<writer>|<batches>|<map bytes>" */
static int parse_arg(const char *arg, char *d, size_t cap, int *w, int *b,
		     size_t *map)
{
	const char *bar = strchr(arg, '|');
	if (!bar || (size_t)(bar - arg) >= cap)
		return -1;
	memcpy(d, arg, (size_t)(bar - arg));
	d[bar - arg] = '\0';
	return sscanf(bar + 1, "%d|%d|%zu", w, b, map) == 3 ? 0 : -1;
}

int svl_test_child_main(const char *role, const char *arg)
{
	char d[4096], err[512];
	int w, batches;
	size_t map;
	if (parse_arg(arg, d, sizeof d, &w, &batches, &map) != 0)
		return 2;
	svl_log *log = svl_test_open(d, SVL_LOG_NOSYNC, map);
	if (!log) {
		fprintf(stderr, "%s %d: %s\n", role, w, svl_log_last_error());
		return 3;
	}
	/* wait for the start signal so that the writers really overlap */
	printf("ready\n");
	fflush(stdout);
	char line[16];
	svl_test_read_line(0, line, sizeof line);
	int rc = SVL_OK;
	if (strcmp(role, "appender") == 0) {
		rc = write_batches(log, w, batches, err, sizeof err);
	} else if (strcmp(role, "grower") == 0) {
		/* large events: the map must grow several times */
		enum { PAYLOAD = 2000 };
		static uint8_t bufs[100][PAYLOAD];
		for (int b = 0; b < batches && rc == SVL_OK; b++) {
			svl_event_in ev[100];
			for (int i = 0; i < 100; i++) {
				ev[i] = svl_test_event("big", bufs[i], i);
				ev[i].payload_len =
				    svl_test_payload_sized(bufs[i], i, PAYLOAD);
			}
			rc = svl_log_append(log, ev, 100, NULL);
		}
		if (rc != SVL_OK)
			snprintf(err, sizeof err, "grower: %s",
				 svl_log_errmsg(log));
	} else {
		rc = 4;
		snprintf(err, sizeof err, "no role %s", role);
	}
	if (rc == SVL_OK)
		rc = svl_log_sync(log);
	svl_log_close(log);
	if (rc != SVL_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	return 0;
}

typedef struct child {
	pid_t pid;
	int to, from;
} child;

static child start(const char *role, int w, int batches, size_t map)
{
	char arg[4200];
	snprintf(arg, sizeof arg, "%s|%d|%d|%zu", dir, w, batches, map);
	child c;
	c.pid = svl_test_spawn(role, arg, &c.to, &c.from);
	cr_assert_gt(c.pid, 0);
	char line[16];
	svl_test_read_line(c.from, line, sizeof line);
	cr_assert_str_eq(line, "ready", "%s %d did not start", role, w);
	return c;
}

static void go(child *c)
{
	cr_assert_eq(write(c->to, "go\n", 3), 3);
}

static void finish(child *c)
{
	int st = svl_test_wait(c->pid);
	close(c->to);
	close(c->from);
	cr_assert_eq(st, 0, "helper %d exited with %d", (int)c->pid, st);
}

/* ---- processes ---- */

Test(concurrency, processes_appending_at_once_lose_and_repeat_nothing,
     .timeout = 60)
{
	enum { PROCS = 2, BATCHES = 200 };
	child c[PROCS];
	for (int i = 0; i < PROCS; i++)
		c[i] = start("appender", i, BATCHES, 0);
	/* this process is one more writer, with its own handle */
	svl_log *log = svl_test_open(dir, SVL_LOG_NOSYNC, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	for (int i = 0; i < PROCS; i++)
		go(&c[i]);
	char err[512] = "";
	int rc = write_batches(log, PROCS, BATCHES, err, sizeof err);
	cr_assert_eq(rc, SVL_OK, "%s", err);
	for (int i = 0; i < PROCS; i++)
		finish(&c[i]);
	cr_assert_eq(svl_log_sync(log), SVL_OK);
	svl_log_close(log);
	check_ledger(PROCS + 1, BATCHES);
}

Test(concurrency, retries_from_another_process_are_duplicates, .timeout = 60)
{
	/* the same writer id twice: the second run retries every batch of
	 * the first, from another process, while the first still runs */
	child a = start("appender", 0, 100, 0);
	child b = start("appender", 0, 100, 0);
	go(&a);
	go(&b);
	finish(&a);
	finish(&b);
	check_ledger(1, 100);
}

/* ---- threads sharing one handle ---- */

struct thread_arg {
	svl_log *log;
	int w, batches;
	int rc;
	char err[512];
	pthread_barrier_t *start;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	pthread_barrier_wait(a->start);
	a->rc = write_batches(a->log, a->w, a->batches, a->err, sizeof a->err);
	return NULL;
}

static void run_threads(int threads, int batches, size_t map)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_NOSYNC, map);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, (unsigned)threads);
	struct thread_arg *args = calloc((size_t)threads, sizeof *args);
	pthread_t *th = calloc((size_t)threads, sizeof *th);
	cr_assert(args && th);
	for (int i = 0; i < threads; i++) {
		args[i] = (struct thread_arg){log, i, batches, 0, "", &start};
		cr_assert_eq(
		    pthread_create(&th[i], NULL, thread_main, &args[i]), 0);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(args[i].rc, SVL_OK, "%s", args[i].err);
	}
	pthread_barrier_destroy(&start);
	free(args);
	free(th);
	svl_log_close(log);
	check_ledger(threads, batches);
}

Test(concurrency, threads_sharing_one_handle_append_at_once, .timeout = 60)
{
	run_threads(4, 100, 0);
}

Test(concurrency, threads_grow_a_full_map_together, .timeout = 60)
{
	/* a 256 KiB map and a few MiB of events and indexes: the threads
	 * meet a full map several times, each while the others wait */
	svl_test_rmdir(dir);
	dir = svl_test_mkdtemp();
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 256 << 10);
	cr_assert_not_null(log);
	svl_log_close(log);
	run_threads(4, 150, 256 << 10);
	cr_assert_gt(data_bytes(), 4 * (256 << 10), "the map never grew");
	/* Growth doubles the map when it is full, so the map never needs to
	 * be more than twice what is used. Threads that met the same full
	 * map grow it once between them, not once each. */
	long long map, pages;
	map_stat(&map, &pages);
	cr_assert_leq(map, 2 * pages * 4096 + (64 << 10),
		      "map of %lld bytes for %lld used pages: grown more than "
		      "once for one full map",
		      map, pages);
}

struct slow_reader {
	svl_log *log;
	int rc;
};

static void *slow_reader_main(void *p)
{
	struct slow_reader *s = p;
	svl_iter *it;
	svl_record r;
	s->rc = svl_log_iter_seq(s->log, 0, 0, &it);
	if (s->rc != SVL_OK)
		return NULL;
	usleep(300 * 1000); /* holds its snapshot while the map fills */
	while ((s->rc = svl_iter_next(it, &r)) == SVL_OK)
		;
	s->rc = s->rc == SVL_ITEROVER ? SVL_OK : s->rc;
	svl_iter_close(it);
	return NULL;
}

Test(concurrency, map_growth_waits_for_an_open_snapshot, .timeout = 60)
{
	svl_test_rmdir(dir);
	dir = svl_test_mkdtemp();
	svl_log *log =
	    svl_test_open(dir, SVL_LOG_CREATE | SVL_LOG_NOSYNC, 1 << 20);
	cr_assert_not_null(log);
	char err[512] = "";
	cr_assert_eq(write_batches(log, 0, 5, err, sizeof err), SVL_OK, "%s",
		     err);
	struct slow_reader s = {log, -1};
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, slow_reader_main, &s), 0);
	usleep(50 * 1000);
	/* a batch bigger than the map: growth must wait for the reader */
	enum { N = 800, PAYLOAD = 4000 };
	uint8_t *bufs = malloc((size_t)N * PAYLOAD);
	svl_event_in *ev = calloc(N, sizeof *ev);
	cr_assert(bufs && ev);
	for (int i = 0; i < N; i++) {
		uint8_t *b = bufs + (size_t)i * PAYLOAD;
		ev[i] = svl_test_event("bulk", b, i);
		ev[i].payload_len = svl_test_payload_sized(b, i, PAYLOAD);
	}
	cr_assert_eq(svl_log_append(log, ev, N, NULL), SVL_OK, "%s",
		     svl_log_errmsg(log));
	pthread_join(th, NULL);
	cr_assert_eq(s.rc, SVL_OK, "%s", svl_strerror(s.rc));
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 5 * BATCH + N);
	cr_assert_gt(data_bytes(), 2 << 20, "the map never grew");
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);
	svl_log_close(log);
	free(bufs);
	free(ev);
}

/* ---- another process grows the map (MDB_MAP_RESIZED) ---- */

static uint64_t count_records(svl_log *log)
{
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log, 0, 0, &it), SVL_OK, "%s",
		     svl_log_errmsg(log));
	uint64_t n = 0;
	int rc;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK)
		n++;
	cr_assert_eq(rc, SVL_ITEROVER, "%s", svl_log_errmsg(log));
	svl_iter_close(it);
	return n;
}

Test(concurrency, map_grown_by_another_process_is_adopted, .timeout = 60)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_NOSYNC, 1 << 20);
	cr_assert_not_null(log);
	char err[512] = "";
	cr_assert_eq(write_batches(log, 0, 2, err, sizeof err), SVL_OK, "%s",
		     err);
	/* a snapshot from before the growth stays readable throughout */
	svl_iter *old;
	cr_assert_eq(svl_log_iter_seq(log, 0, 0, &old), SVL_OK);

	/* the helper appends ~6 MB through its own 1 MiB map, growing the
	 * file far past the map this process has */
	child g = start("grower", 0, 30, 1 << 20);
	go(&g);
	finish(&g);
	cr_assert_gt(data_bytes(), 4 << 20, "the helper did not grow the map");

	svl_record r;
	uint64_t n_old = 0;
	while (svl_iter_next(old, &r) == SVL_OK)
		n_old++;
	svl_iter_close(old);
	cr_assert_eq(n_old, 2 * BATCH);

	/* the next read and the next write of this process adopt the size */
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK, "%s", svl_log_errmsg(log));
	cr_assert_eq(h.seq, 2 * BATCH + 3000);
	cr_assert_eq(count_records(log), 2 * BATCH + 3000);
	cr_assert_eq(write_batches(log, 1, 3, err, sizeof err), SVL_OK, "%s",
		     err);
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 2 * BATCH + 3000 + 3 * BATCH);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);
	svl_log_close(log);
}

Test(concurrency, map_grown_by_another_process_before_a_write, .timeout = 60)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_NOSYNC, 1 << 20);
	cr_assert_not_null(log);
	char err[512] = "";
	cr_assert_eq(write_batches(log, 0, 1, err, sizeof err), SVL_OK, "%s",
		     err);
	child g = start("grower", 0, 30, 1 << 20);
	go(&g);
	finish(&g);
	/* a write first this time: its begin meets the resized map */
	cr_assert_eq(write_batches(log, 1, 2, err, sizeof err), SVL_OK, "%s",
		     err);
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, BATCH + 3000 + 2 * BATCH);
	svl_log_close(log);
}

Test(concurrency, readonly_handle_adopts_a_map_grown_elsewhere, .timeout = 60)
{
	svl_log *w = svl_test_open(dir, SVL_LOG_NOSYNC, 1 << 20);
	cr_assert_not_null(w);
	char err[512] = "";
	cr_assert_eq(write_batches(w, 0, 1, err, sizeof err), SVL_OK, "%s",
		     err);
	svl_log_close(w);
	svl_log *log = svl_test_open(dir, SVL_LOG_RDONLY, 1 << 20);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	cr_assert_eq(count_records(log), BATCH);
	child g = start("grower", 0, 30, 1 << 20);
	go(&g);
	finish(&g);
	cr_assert_eq(count_records(log), BATCH + 3000);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK, "%s",
		     svl_log_errmsg(log));
	cr_assert(rep.ok, "%s", rep.detail);
	svl_log_close(log);
}
