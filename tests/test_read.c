/*
 * test_read.c - reading (engine/read.c): iterators by seq and by stream
 * with inclusive bounds, seek, head, stream versions, id lookups, record
 * fields, snapshots, and readers that never block the writer.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "svl_ledger.h"

static char *dir;
static svl_log *log_;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	cr_assert_not_null(dir);
	log_ = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log_, "%s", svl_log_last_error());
}

static void teardown(void)
{
	svl_log_close(log_);
	log_ = NULL;
	svl_test_rmdir(dir);
	dir = NULL;
}

TestSuite(read, .init = setup, .fini = teardown);

/* 20 events; seq s goes to stream "a" when s % 3 != 0, else "ab" (a
 * prefix-related name that must never leak into "a"). Payload {"n": s}. */
enum { N = 20 };

static const char *stream_for(uint64_t seq)
{
	return seq % 3 ? "a" : "ab";
}

static void fill(void)
{
	for (uint64_t s = 1; s <= N; s += 5) {
		uint8_t bufs[5][16];
		svl_event_in ev[5];
		for (uint64_t i = 0; i < 5; i++) {
			ev[i] = svl_test_event(stream_for(s + i), bufs[i],
					       (int64_t)(s + i));
			svl_test_id(ev[i].id, 1000, s + i);
		}
		cr_assert_eq(svl_log_append(log_, ev, 5, NULL), SVL_OK, "%s",
			     svl_log_errmsg(log_));
	}
}

static int64_t n_of(const svl_record *r)
{
	return r->payload_len == 4 ? r->payload[3] : -1;
}

/* Collect the seqs an iterator yields; returns how many. */
static size_t drain(svl_iter *it, uint64_t *seqs, size_t cap)
{
	size_t n = 0;
	svl_record r;
	int rc;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK) {
		cr_assert_lt(n, cap);
		cr_assert_eq(n_of(&r), (int64_t)r.seq, "payload of seq %llu",
			     (unsigned long long)r.seq);
		seqs[n++] = r.seq;
	}
	cr_assert_eq(rc, SVL_ITEROVER, "%s", svl_log_errmsg(log_));
	/* over stays over */
	cr_assert_eq(svl_iter_next(it, &r), SVL_ITEROVER);
	svl_iter_close(it);
	return n;
}

static void assert_seq_range(uint64_t first, uint64_t last, uint64_t want_lo,
			     uint64_t want_hi)
{
	svl_iter *it;
	cr_assert_eq(svl_log_iter_seq(log_, first, last, &it), SVL_OK);
	uint64_t seqs[N + 1];
	size_t n = drain(it, seqs, N + 1);
	size_t want = want_hi >= want_lo ? (size_t)(want_hi - want_lo + 1) : 0;
	cr_assert_eq(n, want, "iter_seq(%llu, %llu) gave %zu records",
		     (unsigned long long)first, (unsigned long long)last, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(seqs[i], want_lo + i);
}

Test(read, iter_seq_bounds_are_inclusive_and_zero_is_open)
{
	fill();
	assert_seq_range(0, 0, 1, N);
	assert_seq_range(1, N, 1, N);
	assert_seq_range(5, 9, 5, 9);
	assert_seq_range(5, 0, 5, N);
	assert_seq_range(0, 3, 1, 3);
	assert_seq_range(7, 7, 7, 7);
	assert_seq_range(N, 0, N, N);
	assert_seq_range(0, N + 100, 1, N);
	assert_seq_range(N + 1, 0, 1, 0); /* nothing */
	assert_seq_range(9, 5, 1, 0);	  /* nothing */
}

Test(read, iter_seq_of_an_empty_log_is_over_at_once)
{
	assert_seq_range(0, 0, 1, 0);
}

static size_t stream_range(const char *stream, uint64_t first, uint64_t last,
			   uint64_t *seqs)
{
	svl_iter *it;
	cr_assert_eq(
	    svl_log_iter_stream(log_, stream, strlen(stream), first, last, &it),
	    SVL_OK);
	return drain(it, seqs, N + 1);
}

/* The seqs of stream s with versions in [lo, hi] (hi 0 = no bound). */
static size_t expected_stream(const char *s, uint64_t lo, uint64_t hi,
			      uint64_t *seqs)
{
	size_t n = 0;
	uint64_t v = 0;
	for (uint64_t seq = 1; seq <= N; seq++) {
		if (strcmp(stream_for(seq), s) != 0)
			continue;
		v++;
		if (v >= (lo ? lo : 1) && (!hi || v <= hi))
			seqs[n++] = seq;
	}
	return n;
}

Test(read, iter_stream_bounds_are_inclusive_and_zero_is_open)
{
	fill();
	struct {
		const char *s;
		uint64_t lo, hi;
	} cases[] = {{"a", 0, 0},   {"a", 2, 4},  {"a", 4, 0},	{"a", 0, 3},
		     {"a", 5, 5},   {"a", 14, 0}, {"a", 0, 99}, {"ab", 0, 0},
		     {"ab", 2, 3},  {"ab", 6, 6}, {"ab", 7, 0}, {"ab", 3, 2},
		     {"abc", 0, 0}, {"b", 0, 0}};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		uint64_t got[N + 1], want[N + 1];
		size_t n =
		    stream_range(cases[c].s, cases[c].lo, cases[c].hi, got);
		size_t m =
		    expected_stream(cases[c].s, cases[c].lo, cases[c].hi, want);
		cr_assert_eq(n, m, "%s [%llu, %llu]: %zu records, want %zu",
			     cases[c].s, (unsigned long long)cases[c].lo,
			     (unsigned long long)cases[c].hi, n, m);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(got[i], want[i], "%s [%llu, %llu] #%zu",
				     cases[c].s,
				     (unsigned long long)cases[c].lo,
				     (unsigned long long)cases[c].hi, i);
	}
}

Test(read, iter_stream_yields_versions_in_order)
{
	fill();
	svl_iter *it;
	cr_assert_eq(svl_log_iter_stream(log_, "a", 1, 0, 0, &it), SVL_OK);
	svl_record r;
	uint64_t v = 0;
	while (svl_iter_next(it, &r) == SVL_OK) {
		cr_assert_eq(r.stream_version, ++v);
		cr_assert_eq(r.stream_len, 1);
		cr_assert_eq(r.stream[0], 'a');
	}
	svl_iter_close(it);
	uint64_t cur;
	cr_assert_eq(svl_log_stream_version(log_, "a", 1, &cur), SVL_OK);
	cr_assert_eq(v, cur);
}

Test(read, seek_reads_the_record_and_continues_from_there)
{
	fill();
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_seek(it, 10, &r), SVL_OK);
	cr_assert_eq(r.seq, 10);
	cr_assert_eq(n_of(&r), 10);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(r.seq, 11);
	cr_assert_eq(svl_iter_seek(it, 3, &r), SVL_OK); /* backwards too */
	cr_assert_eq(r.seq, 3);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(r.seq, 4);
	/* a seek that fails leaves the iterator where it was */
	cr_assert_eq(svl_iter_seek(it, N + 7, &r), SVL_ENOTFOUND);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK,
		     "a failed seek ended the iteration");
	cr_assert_eq(r.seq, 5, "a failed seek moved the iterator");
	cr_assert_eq(svl_iter_seek(it, N, &r), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_ITEROVER);

	cr_assert_eq(svl_iter_seek(it, N + 1, &r), SVL_ENOTFOUND);
	cr_assert_not_null(strstr(svl_log_errmsg(log_), "21"), "%s",
			   svl_log_errmsg(log_));
	cr_assert_eq(svl_iter_seek(it, 0, &r), SVL_ENOTFOUND);
	svl_iter_close(it);

	/* a fresh iterator: seek before the first next */
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_seek(it, 17, &r), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(r.seq, 18);
	svl_iter_close(it);

	/* any iterator reads any seq, a stream iterator too */
	cr_assert_eq(svl_log_iter_stream(log_, "ab", 2, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_seek(it, 4, &r), SVL_OK);
	cr_assert_eq(r.seq, 4);
	cr_assert_eq(r.stream_len, 1);
	svl_iter_close(it);
}

Test(read, head_is_the_last_record)
{
	fill();
	svl_head h;
	cr_assert_eq(svl_log_head(log_, &h), SVL_OK);
	cr_assert_eq(h.seq, N);
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, N, N, &it), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(memcmp(h.hash, r.hash, SVL_HASH_SIZE), 0);
	cr_assert_eq(h.recorded_at_ms, r.recorded_at_ms);
	svl_iter_close(it);
}

Test(read, stream_version_is_zero_for_an_unknown_stream)
{
	fill();
	uint64_t v = 99;
	cr_assert_eq(svl_log_stream_version(log_, "abc", 3, &v), SVL_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(svl_log_stream_version(log_, "a", 1, &v), SVL_OK);
	cr_assert_eq(v, 14);
	cr_assert_eq(svl_log_stream_version(log_, "ab", 2, &v), SVL_OK);
	cr_assert_eq(v, 6);
	/* a name sorting after every stream, and one before */
	cr_assert_eq(svl_log_stream_version(log_, "zzz", 3, &v), SVL_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(svl_log_stream_version(log_, "\x01", 1, &v), SVL_OK);
	cr_assert_eq(v, 0);
	cr_assert_eq(svl_log_stream_version(log_, "", 0, &v), SVL_EINVAL);
}

Test(read, find_id_gives_the_seq_or_enotfound)
{
	fill();
	for (uint64_t s = 1; s <= N; s++) {
		uint8_t id[SVL_ID_SIZE];
		uint64_t seq = 0;
		svl_test_id(id, 1000, s);
		cr_assert_eq(svl_log_find_id(log_, id, &seq), SVL_OK);
		cr_assert_eq(seq, s);
	}
	/* set an unrelated message first: ENOTFOUND must bring its own */
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_seek(it, 999, &r), SVL_ENOTFOUND);
	svl_iter_close(it);
	uint8_t id[SVL_ID_SIZE];
	uint64_t seq = 77;
	svl_test_id(id, 1000, N + 1);
	cr_assert_eq(svl_log_find_id(log_, id, &seq), SVL_ENOTFOUND);
	const char *msg = svl_log_errmsg(log_);
	cr_assert_null(strstr(msg, "999"), "stale message: %s", msg);
	cr_assert_not_null(strstr(msg, "id"), "%s", msg);
}

/* ---- record fields ---- */

static const uint8_t corr[SVL_ID_SIZE] = "correlation-id-1";
static const uint8_t caus[SVL_ID_SIZE] = "causation--id-02";

static void make_full(svl_event_in ev[3], uint8_t bufs[3][16])
{
	ev[0] = svl_test_event("wo-0001", bufs[0], 1);
	ev[0].type = 4000000000u;
	ev[0].schema_version = 7;
	ev[0].occurred_at_ms = -12345678901;
	ev[0].recorded_at_ms = 1700000000123;
	ev[0].correlation_id = corr;
	ev[0].causation_id = caus;
	svl_test_id(ev[0].id, 0xfeed, 1);

	ev[1] = svl_test_event("part-17", bufs[1], 2);
	ev[1].actor = NULL;
	ev[1].actor_len = 0;
	ev[1].role = "";
	ev[1].role_len = 0;
	ev[1].occurred_at_ms = 0;
	ev[1].recorded_at_ms = 1700000000123; /* same time is allowed */
	ev[1].causation_id = caus;
	svl_test_id(ev[1].id, 0xfeed, 2);

	ev[2] = svl_test_event("wo-0001", bufs[2], 3);
	ev[2].recorded_at_ms = 1700000000999;
	ev[2].actor = "E123";
	ev[2].role = "advisor";
	ev[2].role_len = 7;
	svl_test_id(ev[2].id, 0xfeed, 3);
}

static void assert_fields(const svl_record *r, const svl_event_in *ev,
			  uint64_t seq, uint64_t version)
{
	cr_assert_eq(r->seq, seq);
	cr_assert_eq(r->stream_len, ev->stream_len);
	cr_assert_eq(memcmp(r->stream, ev->stream, ev->stream_len), 0);
	cr_assert_eq(r->stream_version, version);
	cr_assert_eq(r->type, ev->type);
	cr_assert_eq(r->schema_version, ev->schema_version);
	cr_assert_eq(r->occurred_at_ms, ev->occurred_at_ms);
	cr_assert_eq(r->recorded_at_ms, ev->recorded_at_ms);
	cr_assert_eq(r->actor_len, ev->actor_len);
	if (ev->actor_len)
		cr_assert_eq(memcmp(r->actor, ev->actor, ev->actor_len), 0);
	cr_assert_eq(r->role_len, ev->role_len);
	if (ev->role_len)
		cr_assert_eq(memcmp(r->role, ev->role, ev->role_len), 0);
	cr_assert_eq(memcmp(r->id, ev->id, SVL_ID_SIZE), 0);
	if (ev->correlation_id)
		cr_assert_eq(
		    memcmp(r->correlation_id, ev->correlation_id, SVL_ID_SIZE),
		    0);
	else
		cr_assert_null(r->correlation_id);
	if (ev->causation_id)
		cr_assert_eq(
		    memcmp(r->causation_id, ev->causation_id, SVL_ID_SIZE), 0);
	else
		cr_assert_null(r->causation_id);
	cr_assert_eq(r->payload_len, ev->payload_len);
	cr_assert_eq(memcmp(r->payload, ev->payload, ev->payload_len), 0);
	cr_assert_not_null(r->prev_hash);
	cr_assert_not_null(r->hash);
}

struct txn_read {
	svl_event_in *ev;
	int checked;
};

static int txn_record_fn(svl_txn *txn, void *p)
{
	struct txn_read *a = p;
	uint64_t ver[3] = {1, 1, 2};
	for (uint64_t s = 1; s <= 3; s++) {
		svl_record r;
		int rc = svl_txn_record(txn, s, &r);
		if (rc != SVL_OK)
			return rc;
		assert_fields(&r, &a->ev[s - 1], s, ver[s - 1]);
		a->checked++;
	}
	svl_record r;
	return svl_txn_record(txn, 4, &r) == SVL_ENOTFOUND ? SVL_OK
							   : SVL_EINVAL;
}

Test(read, record_fields_are_exactly_what_was_appended)
{
	uint8_t bufs[3][16];
	svl_event_in ev[3];
	make_full(ev, bufs);
	svl_position pos[3];
	cr_assert_eq(svl_log_append(log_, ev, 3, pos), SVL_OK, "%s",
		     svl_log_errmsg(log_));
	uint64_t ver[3] = {1, 1, 2};

	/* by seq, checking the links as well */
	svl_iter *it;
	svl_record r;
	uint8_t prev[SVL_HASH_SIZE];
	memcpy(prev, svl_log_genesis_hash(), SVL_HASH_SIZE);
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	for (uint64_t s = 1; s <= 3; s++) {
		cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
		assert_fields(&r, &ev[s - 1], s, ver[s - 1]);
		cr_assert_eq(memcmp(r.prev_hash, prev, SVL_HASH_SIZE), 0,
			     "seq %llu does not link to its predecessor",
			     (unsigned long long)s);
		memcpy(prev, r.hash, SVL_HASH_SIZE);
	}
	cr_assert_eq(svl_iter_next(it, &r), SVL_ITEROVER);
	svl_iter_close(it);

	/* by stream */
	cr_assert_eq(svl_log_iter_stream(log_, "wo-0001", 7, 0, 0, &it),
		     SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	assert_fields(&r, &ev[0], 1, 1);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	assert_fields(&r, &ev[2], 3, 2);
	cr_assert_eq(svl_iter_next(it, &r), SVL_ITEROVER);
	/* by seek */
	cr_assert_eq(svl_iter_seek(it, 2, &r), SVL_OK);
	assert_fields(&r, &ev[1], 2, 1);
	svl_iter_close(it);

	/* inside a read transaction */
	struct txn_read a = {ev, 0};
	cr_assert_eq(svl_log_read(log_, txn_record_fn, &a), SVL_OK);
	cr_assert_eq(a.checked, 3);

	/* and after reopening */
	svl_log_close(log_);
	log_ = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	cr_assert_not_null(log_);
	a.checked = 0;
	cr_assert_eq(svl_log_read(log_, txn_record_fn, &a), SVL_OK);
	cr_assert_eq(a.checked, 3);
}

Test(read, record_pointers_stay_valid_until_the_iterator_moves)
{
	fill();
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	/* appends after the snapshot must not move what r points at */
	uint8_t buf[16];
	svl_event_in ev[50];
	for (int i = 0; i < 50; i++)
		ev[i] = svl_test_event("a", buf, 99);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(svl_log_append(log_, ev, 50, NULL), SVL_OK);
	cr_assert_eq(r.seq, 1);
	cr_assert_eq(n_of(&r), 1);
	cr_assert_eq(r.stream_len, 1);
	cr_assert_eq(r.stream[0], 'a');
	svl_iter_close(it);
}

/* ---- snapshots ---- */

Test(read, iterator_snapshot_does_not_see_later_appends)
{
	fill();
	svl_iter *by_seq, *by_stream;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &by_seq), SVL_OK);
	cr_assert_eq(svl_log_iter_stream(log_, "a", 1, 0, 0, &by_stream),
		     SVL_OK);
	svl_record r;
	cr_assert_eq(svl_iter_next(by_seq, &r), SVL_OK); /* started */

	uint8_t bufs[5][16];
	svl_event_in ev[5];
	for (int i = 0; i < 5; i++)
		ev[i] = svl_test_event("a", bufs[i], 100 + i);
	cr_assert_eq(svl_log_append(log_, ev, 5, NULL), SVL_OK);

	uint64_t seqs[N + 10];
	size_t n = drain(by_seq, seqs, N + 10);
	cr_assert_eq(n, N - 1, "the started iterator saw later appends");
	n = drain(by_stream, seqs, N + 10);
	cr_assert_eq(n, 14, "the stream iterator saw later appends");
	/* an iterator made after the appends reaches them */
	svl_iter *it;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_seek(it, N + 5, &r), SVL_OK);
	svl_iter_close(it);

	/* a new iterator sees them */
	cr_assert_eq(svl_log_iter_seq(log_, N + 1, 0, &it), SVL_OK);
	int more = 0;
	while (svl_iter_next(it, &r) == SVL_OK)
		more++;
	svl_iter_close(it);
	cr_assert_eq(more, 5);
}

Test(read, snapshot_taken_before_appends_keeps_its_view_for_seek)
{
	fill();
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	uint8_t buf[16];
	svl_event_in ev = svl_test_event("a", buf, 55);
	cr_assert_eq(svl_log_append(log_, &ev, 1, NULL), SVL_OK);
	cr_assert_eq(svl_iter_seek(it, N + 1, &r), SVL_ENOTFOUND,
		     "seek saw an append made after the snapshot");
	svl_iter_close(it);
}

struct writer {
	svl_log *log;
	int batches;
	int rc;
	volatile int done;
};

static void *writer_main(void *p)
{
	struct writer *w = p;
	for (int b = 0; b < w->batches && w->rc == SVL_OK; b++) {
		uint8_t bufs[10][16];
		svl_event_in ev[10];
		for (int i = 0; i < 10; i++)
			ev[i] = svl_test_event("w", bufs[i], i);
		w->rc = svl_log_append(w->log, ev, 10, NULL);
	}
	w->done = 1;
	return NULL;
}

Test(read, reader_never_blocks_the_writer, .timeout = 20)
{
	fill();
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);

	struct writer w = {log_, 40, SVL_OK, 0};
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, writer_main, &w), 0);
	/* the reader holds its snapshot until the writer has committed
	 * everything; a writer waiting for readers would never finish */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	int e = pthread_timedjoin_np(th, NULL, &until);
	cr_assert_eq(e, 0, "the writer is blocked by an open reader");
	cr_assert_eq(w.rc, SVL_OK, "%s", svl_log_errmsg(log_));
	cr_assert(w.done);

	/* the reader still reads its own snapshot */
	int n = 1;
	while (svl_iter_next(it, &r) == SVL_OK)
		n++;
	svl_iter_close(it);
	cr_assert_eq(n, N);
	svl_head h;
	cr_assert_eq(svl_log_head(log_, &h), SVL_OK);
	cr_assert_eq(h.seq, N + 400);
}

Test(read, several_iterators_at_once_in_one_thread)
{
	fill();
	svl_iter *its[6];
	for (int i = 0; i < 6; i++)
		cr_assert_eq(
		    svl_log_iter_seq(log_, (uint64_t)i + 1, 0, &its[i]), SVL_OK,
		    "%s", svl_log_errmsg(log_));
	svl_record r;
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 6; i++) {
			cr_assert_eq(svl_iter_next(its[i], &r), SVL_OK);
			cr_assert_eq(r.seq, (uint64_t)(i + 1 + round));
		}
	for (int i = 0; i < 6; i++)
		svl_iter_close(its[i]);
}

Test(read, more_snapshots_than_reader_slots_gives_ereaders)
{
	/* LMDB sizes the reader table when it creates the lock file: a new
	 * ledger, so that max_readers takes effect */
	svl_log_close(log_);
	svl_test_rmdir(dir);
	dir = svl_test_mkdtemp();
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE;
	o.max_readers = 3;
	cr_assert_eq(svl_log_open(&log_, dir, &o), SVL_OK);
	svl_iter *its[3], *extra = NULL;
	for (int i = 0; i < 3; i++)
		cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &its[i]), SVL_OK);
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &extra), SVL_EREADERS);
	cr_assert_not_null(strstr(svl_log_errmsg(log_), "every reader slot"),
			   "%s", svl_log_errmsg(log_));
	cr_assert_not_null(strstr(svl_log_errmsg(log_), "max_readers"), "%s",
			   svl_log_errmsg(log_));
	cr_assert_str_eq(svl_strerror(SVL_EREADERS),
			 "every reader slot is taken");
	svl_iter_close(its[0]);
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &extra), SVL_OK,
		     "a closed iterator gives its slot back");
	svl_iter_close(extra);
	svl_iter_close(its[1]);
	svl_iter_close(its[2]);
}

/* ---- iterators over a caller's transaction ---- */

static int own_view_fn(svl_txn *txn, void *p)
{
	int *seen = p;
	uint8_t bufs[3][16];
	svl_event_in ev[3];
	for (int i = 0; i < 3; i++)
		ev[i] = svl_test_event("t", bufs[i], 40 + i);
	int rc = svl_txn_append(txn, ev, 3, NULL);
	if (rc != SVL_OK)
		return rc;
	svl_iter *it;
	svl_record r;
	if ((rc = svl_txn_iter_seq(txn, N + 1, 0, &it)) != SVL_OK)
		return rc;
	while (svl_iter_next(it, &r) == SVL_OK)
		seen[0]++;
	svl_iter_close(it);
	if ((rc = svl_txn_iter_stream(txn, "t", 1, 2, 0, &it)) != SVL_OK)
		return rc;
	while (svl_iter_next(it, &r) == SVL_OK)
		seen[1] += (int)r.stream_version;
	svl_iter_close(it);
	svl_head h;
	if ((rc = svl_txn_head(txn, &h)) != SVL_OK)
		return rc;
	seen[2] = (int)h.seq;
	return seen[3] ? SVL_EREFUSED : SVL_OK;
}

Test(read, txn_iterators_see_the_transactions_own_appends)
{
	fill();
	int seen[4] = {0, 0, 0, 1}; /* first run: abort at the end */
	cr_assert_eq(svl_log_write(log_, own_view_fn, seen), SVL_EREFUSED);
	cr_assert_eq(seen[0], 3);
	cr_assert_eq(seen[1], 2 + 3);
	cr_assert_eq(seen[2], N + 3);
	svl_head h;
	cr_assert_eq(svl_log_head(log_, &h), SVL_OK);
	cr_assert_eq(h.seq, N, "the aborted appends are gone");
	memset(seen, 0, sizeof seen);
	cr_assert_eq(svl_log_write(log_, own_view_fn, seen), SVL_OK);
	cr_assert_eq(svl_log_head(log_, &h), SVL_OK);
	cr_assert_eq(h.seq, N + 3);
}

/* ---- corrupt bytes are errors, never crashes ---- */

static void tamper_record(uint64_t seq, uint8_t byte0)
{
	svl_log_close(log_);
	svl_test_raw raw;
	cr_assert_eq(svl_test_raw_begin(&raw, dir, 1), MDB_SUCCESS);
	uint8_t k[8];
	svl_test_be64(k, seq);
	MDB_val key = {8, k}, val;
	cr_assert_eq(mdb_get(raw.txn, raw.events, &key, &val), MDB_SUCCESS);
	uint8_t *copy = malloc(val.mv_size);
	memcpy(copy, val.mv_data, val.mv_size);
	copy[0] = byte0;
	val.mv_data = copy;
	cr_assert_eq(mdb_put(raw.txn, raw.events, &key, &val, 0), MDB_SUCCESS);
	free(copy);
	cr_assert_eq(svl_test_raw_end(&raw, 1), MDB_SUCCESS);
	log_ = svl_test_open(dir, 0, 0);
	cr_assert_not_null(log_);
}

Test(read, undecodable_record_gives_ecorrupt_naming_the_seq)
{
	fill();
	tamper_record(7, 0xc1); /* a byte msgpack never uses */
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 5, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_ECORRUPT);
	cr_assert_not_null(strstr(svl_log_errmsg(log_), "seq 7"), "%s",
			   svl_log_errmsg(log_));
	svl_iter_close(it);
	cr_assert_eq(svl_log_iter_stream(log_, "a", 1, 0, 0, &it), SVL_OK);
	int rc;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK)
		;
	cr_assert_eq(rc, SVL_ECORRUPT);
	svl_iter_close(it);
}

Test(read, stream_index_pointing_nowhere_gives_ecorrupt)
{
	fill();
	svl_log_close(log_);
	svl_test_raw raw;
	cr_assert_eq(svl_test_raw_begin(&raw, dir, 1), MDB_SUCCESS);
	uint8_t key[16], val[8];
	size_t kl = svl_test_stream_key(key, "ab", 2);
	svl_test_be64(val, 999);
	MDB_val k = {kl, key}, v = {8, val};
	cr_assert_eq(mdb_put(raw.txn, raw.streams, &k, &v, 0), MDB_SUCCESS);
	cr_assert_eq(svl_test_raw_end(&raw, 1), MDB_SUCCESS);
	log_ = svl_test_open(dir, 0, 0);
	cr_assert_not_null(log_);
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_stream(log_, "ab", 2, 0, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_ECORRUPT);
	svl_iter_close(it);
}

/* ---- arguments ---- */

Test(read, bad_arguments_are_refused)
{
	svl_iter *it = NULL;
	svl_record r;
	cr_assert_eq(svl_log_iter_stream(log_, "", 0, 0, 0, &it), SVL_EINVAL);
	cr_assert_eq(svl_log_iter_stream(log_, NULL, 1, 0, 0, &it), SVL_EINVAL);
	char longer[SVL_STREAM_MAX + 1];
	memset(longer, 'l', sizeof longer);
	cr_assert_eq(
	    svl_log_iter_stream(log_, longer, sizeof longer, 0, 0, &it),
	    SVL_EINVAL);
	cr_assert_null(it);
	cr_assert_eq(svl_log_iter_seq(NULL, 0, 0, &it), SVL_EMISUSE);
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, NULL), SVL_EMISUSE);
	cr_assert_eq(svl_iter_next(NULL, &r), SVL_EMISUSE);
	cr_assert_eq(svl_iter_seek(NULL, 1, &r), SVL_EMISUSE);
	cr_assert_eq(svl_log_head(log_, NULL), SVL_EMISUSE);
	uint64_t seq;
	cr_assert_eq(svl_log_find_id(log_, NULL, &seq), SVL_EMISUSE);
}

/* The ledger's options carry max_readers to the log (svl_ledger_options). */
Test(read, ledger_options_size_the_reader_table)
{
	char *ldir;
	svl_ledger *l;
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	svl_iter *its[5];
	ldir = svl_test_mkdtemp();
	o.flags = SVL_LOG_CREATE;
	o.max_readers = 4;
	cr_assert_eq(svl_ledger_open(&l, ldir, &o), SVL_OK, "%s",
		     svl_log_last_error());
	int n = 0, rc = SVL_OK;
	while (n < 5 && (rc = svl_log_iter_seq(svl_ledger_log(l), 0, 0,
					       &its[n])) == SVL_OK)
		n++;
	cr_assert_eq(rc, SVL_EREADERS, "slot %d: %s", n, svl_strerror(rc));
	cr_assert_eq(n, 4, "4 slots");
	while (n > 0)
		svl_iter_close(its[--n]);
	svl_ledger_close(l);
	svl_test_rmdir(ldir);
}
