/*
 * follow.c - following the log from a given seq: the building block of an
 * integrator's outbox (deliver what came after the last seq you stored,
 * store the new last seq with your own commit, repeat).
 *
 * Waiting: a commit of this process wakes its waiters at once (the log's
 * commit hook, ledger.c). Commits of other processes cannot: LMDB offers
 * no notification across processes, so the head is also read every
 * SVL_WAIT_POLL_MS; a read is one short snapshot (a few microseconds).
 */
#include <time.h>

#include "fail.h"
#include "ledger_int.h"

#define SVL_WAIT_POLL_MS 20

struct after_arg {
	uint64_t after;
	size_t max;
	svl_record_fn fn;
	void *payload;
	uint64_t last;
};

static int after_fn(svl_txn *t, void *payload)
{
	struct after_arg *a = payload;
	svl_iter *it;
	svl_record r;
	size_t n = 0;
	int rc = svl_txn_iter_seq(t, a->after + 1, 0, &it);
	if (rc != SVL_OK)
		return rc;
	while ((!a->max || n < a->max) && (rc = svl_iter_next(it, &r)) == SVL_OK) {
		int stop = a->fn(&r, a->payload);
		if (stop) {
			rc = stop;
			break;
		}
		a->last = r.seq;
		n++;
	}
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

int svl_ledger_events_after(svl_ledger *l, uint64_t after_seq, size_t max,
			    svl_record_fn fn, void *payload, uint64_t *last_seq)
{
	if (!l || !fn)
		return svl__fail(l ? l->log : NULL, SVL_EMISUSE,
				 "events after: ledger and fn are required");
	struct after_arg a = {after_seq, max, fn, payload, after_seq};
	int rc = svl_log_read(l->log, after_fn, &a);
	if (last_seq)
		*last_seq = a.last;
	return rc;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep until a commit of this process (one after generation gen) or
 * nap_ms, whichever comes first. */
static void nap(svl_ledger *l, uint64_t gen, int64_t nap_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t ns = ts.tv_nsec + nap_ms * 1000000;
	ts.tv_sec += (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	pthread_mutex_lock(&l->gc_lock);
	while (l->commits == gen &&
	       pthread_cond_timedwait(&l->commit_cond, &l->gc_lock, &ts) == 0)
		;
	pthread_mutex_unlock(&l->gc_lock);
}

int svl_ledger_wait(svl_ledger *l, uint64_t after_seq, int64_t timeout_ms)
{
	if (!l)
		return svl__fail(NULL, SVL_EMISUSE, "wait: ledger is NULL");
	int64_t until = timeout_ms < 0 ? INT64_MAX : mono_ms() + timeout_ms;
	for (;;) {
		svl_head h;
		/* the generation before the read: a commit after it wakes us */
		pthread_mutex_lock(&l->gc_lock);
		uint64_t gen = l->commits;
		pthread_mutex_unlock(&l->gc_lock);
		int rc = svl_log_head(l->log, &h);
		if (rc != SVL_OK)
			return rc;
		if (h.seq > after_seq)
			return SVL_OK;
		int64_t left = until - mono_ms();
		if (left <= 0)
			return SVL_ETIMEDOUT;
		nap(l, gen, left < SVL_WAIT_POLL_MS ? left : SVL_WAIT_POLL_MS);
	}
}
