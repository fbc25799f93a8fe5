/*
 * verify.c - proving the log was not altered, from the log alone.
 *
 * Pass 1 walks `events` in key order and checks, per record: the key is the
 * next seq (no gap), the envelope decodes, its seq equals the key, its hash
 * is XXH3-128 of its envelope, its prev_hash is the previous record's hash
 * (genesis for seq 1), and recorded_at never goes back. The last record must
 * be the head that meta records (a cut tail is otherwise invisible).
 *
 * The indexes are checked without a random lookup per event: each side
 * folds its entries into an order-independent multiset digest (a sum of
 * 64-bit hashes of (key, seq)) plus a count. Pass 1 folds what the indexes
 * ought to hold; pass 2 walks each index in its own key order, checks the
 * per-stream versions run 1, 2, 3..., and folds what they do hold. Only when
 * the digests differ does a slow pass look records up one by one to name the
 * first bad seq. Nothing derived is trusted: the indexes are what is checked.
 */
#define XXH_INLINE_ALL
#include <stdio.h>
#include <xxhash.h>

#include "internal.h"

typedef struct digest {
	uint64_t sum;
	uint64_t count;
} digest;

typedef struct walk {
	svl_txn *t;
	svl_verify_report *rep;
	uint64_t head; /* last seq of the snapshot */
	digest streams_want, ids_want;
} walk;

static void fold(digest *d, const uint8_t *key, size_t klen, uint64_t seq)
{
	uint8_t buf[SVL_STREAM_KEY_MAX + 8];
	memcpy(buf, key, klen);
	svl__be64_put(buf + klen, seq);
	d->sum += XXH3_64bits(buf, klen + 8);
	d->count++;
}

static int bad(svl_verify_report *rep, enum svl_verify_problem p,
	       uint64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad(svl_verify_report *rep, enum svl_verify_problem p,
	       uint64_t seq, const char *fmt, ...)
{
	va_list ap;
	rep->ok = 0;
	rep->problem = p;
	rep->bad_seq = seq;
	va_start(ap, fmt);
	vsnprintf(rep->detail, sizeof rep->detail, fmt, ap);
	va_end(ap);
	return 1;
}

/* Check one record against its predecessor; nonzero when it is bad. */
static int check_record(walk *w, const MDB_val *k, const MDB_val *v,
			uint64_t want, int64_t *last_ms)
{
	svl_verify_report *rep = w->rep;
	if (k->mv_size != 8)
		return bad(rep, SVL_VERIFY_UNDECODABLE, want,
			   "seq %llu: key of %zu bytes", (unsigned long long)want,
			   k->mv_size);
	uint64_t seq = svl__be64_get(k->mv_data);
	if (seq != want)
		return bad(rep, SVL_VERIFY_SEQ_GAP, want,
			   "seq %llu is missing (next key is %llu)",
			   (unsigned long long)want, (unsigned long long)seq);
	svl_record r;
	const char *why;
	if (!svl__record_decode(v->mv_data, v->mv_size, &r, &why))
		return bad(rep, SVL_VERIFY_UNDECODABLE, seq, "seq %llu: %s",
			   (unsigned long long)seq, why);
	if (r.seq != seq)
		return bad(rep, SVL_VERIFY_SEQ_MISMATCH, seq,
			   "seq %llu: envelope says seq %llu",
			   (unsigned long long)seq, (unsigned long long)r.seq);
	uint8_t h[SVL_HASH_SIZE];
	svl__hash(v->mv_data, v->mv_size - SVL_HASH_SIZE, h);
	if (memcmp(h, r.hash, SVL_HASH_SIZE) != 0)
		return bad(rep, SVL_VERIFY_HASH_MISMATCH, seq,
			   "seq %llu: stored hash is not the hash of its "
			   "envelope",
			   (unsigned long long)seq);
	if (memcmp(r.prev_hash, rep->head.hash, SVL_HASH_SIZE) != 0)
		return bad(rep, SVL_VERIFY_BROKEN_LINK, seq,
			   "seq %llu: prev_hash is not the hash of seq %llu",
			   (unsigned long long)seq,
			   (unsigned long long)(seq - 1));
	if (r.recorded_at_ms < *last_ms)
		return bad(rep, SVL_VERIFY_TIME_ORDER, seq,
			   "seq %llu: recorded_at %lld is before seq %llu's",
			   (unsigned long long)seq, (long long)r.recorded_at_ms,
			   (unsigned long long)(seq - 1));
	*last_ms = r.recorded_at_ms;
	memcpy(rep->head.hash, r.hash, SVL_HASH_SIZE);
	rep->head.seq = seq;
	rep->head.recorded_at_ms = r.recorded_at_ms;
	rep->events++;
	uint8_t sk[SVL_STREAM_KEY_MAX];
	fold(&w->streams_want, sk,
	     svl__stream_key(sk, r.stream, r.stream_len, r.stream_version), seq);
	fold(&w->ids_want, r.id, SVL_ID_SIZE, seq);
	return 0;
}

static int walk_chain(walk *w)
{
	MDB_cursor *c;
	int mrc = mdb_cursor_open(w->t->txn, w->t->log->events, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(w->t->log, mrc, "verify cursor");
	MDB_val k, v;
	int64_t last_ms = INT64_MIN;
	uint64_t want = 1;
	int stop = 0;
	for (mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
	     mrc == MDB_SUCCESS && !stop;
	     mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT), want++)
		stop = check_record(w, &k, &v, want, &last_ms);
	mdb_cursor_close(c);
	if (mrc != MDB_SUCCESS && mrc != MDB_NOTFOUND)
		return svl__lmdb(w->t->log, mrc, "verify walk");
	w->head = w->rep->head.seq;
	return SVL_OK;
}

static void check_meta_head(walk *w)
{
	MDB_val k = {4, "head"}, v;
	int mrc = mdb_get(w->t->txn, w->t->log->meta, &k, &v);
	uint64_t seq = 0;
	const uint8_t *hash = svl_log_genesis_hash();
	if (mrc == MDB_SUCCESS && v.mv_size == 8 + SVL_HASH_SIZE) {
		seq = svl__be64_get(v.mv_data);
		hash = (const uint8_t *)v.mv_data + 8;
	} else if (mrc != MDB_NOTFOUND) {
		bad(w->rep, SVL_VERIFY_TRUNCATED, w->head + 1,
		    "meta head record is unreadable");
		return;
	}
	if (seq > w->head)
		bad(w->rep, SVL_VERIFY_TRUNCATED, w->head + 1,
		    "log ends at seq %llu but its recorded head is seq %llu: "
		    "the tail was cut",
		    (unsigned long long)w->head, (unsigned long long)seq);
	else if (seq < w->head)
		bad(w->rep, SVL_VERIFY_TRUNCATED, seq + 1,
		    "log runs to seq %llu past its recorded head seq %llu",
		    (unsigned long long)w->head, (unsigned long long)seq);
	else if (memcmp(hash, w->rep->head.hash, SVL_HASH_SIZE) != 0)
		bad(w->rep, SVL_VERIFY_TRUNCATED, seq,
		    "seq %llu: hash differs from the recorded head's",
		    (unsigned long long)seq);
}

/* What pass 2 found in the indexes, for entries naming seq <= head (an
 * index snapshot taken after the chain's holds later appends too). */
typedef struct index_walk {
	svl_log *log;
	uint64_t head;
	uint64_t later_head; /* the last seq of pass 2's own snapshot */
	digest streams, ids;
	uint64_t bad_seq;  /* a stream's versions do not run 1, 2, 3 */
	/* An entry naming a seq past both snapshots' heads: not a later
	 * append but a bogus entry, which skipping would hide. */
	int streams_beyond, ids_beyond;
	int rc;
} index_walk;

/* Whether an entry for `seq` belongs to pass 2 (1), comes from an append
 * after the chain's snapshot (0), or names no record at all (0, noted). */
static int in_chain(index_walk *iw, uint64_t seq, int *beyond)
{
	if (seq <= iw->head)
		return 1;
	if (seq > iw->later_head)
		*beyond = 1;
	return 0;
}

/* Pass 2: fold what the stream index holds, checking versions run 1,2,... */
static int walk_streams(svl_txn *t, index_walk *iw)
{
	MDB_cursor *c;
	digest *have = &iw->streams;
	uint64_t *bad_seq = &iw->bad_seq;
	int mrc = mdb_cursor_open(t->txn, t->log->streams, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "verify streams");
	MDB_val k, v;
	uint8_t prev[1 + SVL_STREAM_MAX];
	size_t prev_len = 0;
	uint64_t prev_ver = 0;
	*bad_seq = 0;
	for (mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST); mrc == MDB_SUCCESS;
	     mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const uint8_t *kb = k.mv_data;
		if (k.mv_size < 10 || k.mv_size != (size_t)kb[0] + 9 ||
		    v.mv_size != 8) {
			*bad_seq = v.mv_size == 8 ? svl__be64_get(v.mv_data) : 1;
			break;
		}
		size_t plen = k.mv_size - 8;
		uint64_t ver = svl__be64_get(kb + plen);
		uint64_t seq = svl__be64_get(v.mv_data);
		if (!in_chain(iw, seq, &iw->streams_beyond))
			continue;
		int same = plen == prev_len && memcmp(prev, kb, plen) == 0;
		if (ver != (same ? prev_ver + 1 : 1)) {
			*bad_seq = seq;
			break;
		}
		memcpy(prev, kb, plen);
		prev_len = plen;
		prev_ver = ver;
		fold(have, kb, k.mv_size, seq);
	}
	mdb_cursor_close(c);
	if (mrc != MDB_SUCCESS && mrc != MDB_NOTFOUND)
		return svl__lmdb(t->log, mrc, "verify streams walk");
	return SVL_OK;
}

static int walk_ids(svl_txn *t, index_walk *iw)
{
	MDB_cursor *c;
	digest *have = &iw->ids;
	int mrc = mdb_cursor_open(t->txn, t->log->ids, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "verify ids");
	MDB_val k, v;
	for (mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST); mrc == MDB_SUCCESS;
	     mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint64_t seq = v.mv_size == 8 ? svl__be64_get(v.mv_data) : 0;
		if (!in_chain(iw, seq, &iw->ids_beyond))
			continue;
		if (k.mv_size != SVL_ID_SIZE || v.mv_size != 8)
			have->sum ^= 0x5bd1e995u; /* poison: cannot match */
		fold(have, k.mv_data, k.mv_size, seq);
	}
	mdb_cursor_close(c);
	if (mrc != MDB_SUCCESS && mrc != MDB_NOTFOUND)
		return svl__lmdb(t->log, mrc, "verify ids walk");
	return SVL_OK;
}

static int snapshot_head(svl_txn *t, uint64_t *head);

/* Pass 2 in its own snapshot, so that it can run on another core while
 * pass 1 walks the chain. */
static void *index_main(void *arg)
{
	index_walk *iw = arg;
	svl_txn t;
	iw->rc = svl__txn_begin(iw->log, 0, &t);
	if (iw->rc != SVL_OK)
		return NULL;
	iw->rc = snapshot_head(&t, &iw->later_head);
	if (iw->rc == SVL_OK)
		iw->rc = walk_streams(&t, iw);
	if (iw->rc == SVL_OK)
		iw->rc = walk_ids(&t, iw);
	svl__txn_end(&t);
	return NULL;
}

/* Slow pass, only after a digest mismatch: the first record whose index
 * entries are missing or wrong; 0 if every record is indexed right (then
 * the index holds extra entries). */
static uint64_t locate(walk *w, int streams)
{
	for (uint64_t seq = 1; seq <= w->head; seq++) {
		svl_record r;
		if (svl_txn_record(w->t, seq, &r) != SVL_OK)
			return seq;
		uint8_t key[SVL_STREAM_KEY_MAX];
		MDB_val k, v;
		if (streams) {
			k.mv_size = svl__stream_key(key, r.stream, r.stream_len,
						    r.stream_version);
			k.mv_data = key;
		} else {
			k.mv_size = SVL_ID_SIZE;
			k.mv_data = (void *)r.id;
		}
		MDB_dbi dbi = streams ? w->t->log->streams : w->t->log->ids;
		if (mdb_get(w->t->txn, dbi, &k, &v) != MDB_SUCCESS ||
		    v.mv_size != 8 || svl__be64_get(v.mv_data) != seq)
			return seq;
	}
	return 0;
}

/* Slow pass, when every record is indexed right but the digests still
 * differ: the index holds an entry no record backs. The smallest seq such
 * an entry names is the first bad seq (without this, an extra entry was
 * reported at seq 0, which reads as "no position"). */
static uint64_t locate_extra(walk *w, int streams)
{
	MDB_dbi dbi = streams ? w->t->log->streams : w->t->log->ids;
	MDB_cursor *c;
	if (mdb_cursor_open(w->t->txn, dbi, &c) != MDB_SUCCESS)
		return w->head + 1;
	uint64_t first = 0;
	MDB_val k, v;
	for (int mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST); mrc == MDB_SUCCESS;
	     mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint64_t seq = v.mv_size == 8 ? svl__be64_get(v.mv_data) : 0;
		svl_record r;
		int backed = seq != 0 && svl_txn_record(w->t, seq, &r) == SVL_OK;
		if (backed && streams) {
			uint8_t key[SVL_STREAM_KEY_MAX];
			size_t kl = svl__stream_key(key, r.stream, r.stream_len,
						    r.stream_version);
			backed = k.mv_size == kl &&
				 memcmp(k.mv_data, key, kl) == 0;
		} else if (backed) {
			backed = k.mv_size == SVL_ID_SIZE &&
				 memcmp(k.mv_data, r.id, SVL_ID_SIZE) == 0;
		}
		if (!backed && seq == 0)
			seq = w->head + 1; /* names no seq at all */
		if (!backed && (first == 0 || seq < first))
			first = seq;
	}
	mdb_cursor_close(c);
	return first;
}

static void check_indexes(walk *w, const index_walk *iw)
{
	const digest *have = &iw->streams;
	if (iw->bad_seq || iw->streams_beyond ||
	    have->sum != w->streams_want.sum ||
	    have->count != w->streams_want.count) {
		uint64_t at = locate(w, 1);
		if (!at)
			at = iw->bad_seq ? iw->bad_seq : locate_extra(w, 1);
		bad(w->rep, SVL_VERIFY_STREAM_INDEX, at,
		    "stream index disagrees with the log at seq %llu (%llu "
		    "entries for %llu records)",
		    (unsigned long long)at, (unsigned long long)have->count,
		    (unsigned long long)w->streams_want.count);
		return;
	}
	have = &iw->ids;
	if (iw->ids_beyond || have->sum != w->ids_want.sum ||
	    have->count != w->ids_want.count) {
		uint64_t at = locate(w, 0);
		if (!at)
			at = locate_extra(w, 0);
		bad(w->rep, SVL_VERIFY_ID_INDEX, at,
		    "idempotency index disagrees with the log at seq %llu "
		    "(%llu entries for %llu records)",
		    (unsigned long long)at, (unsigned long long)have->count,
		    (unsigned long long)w->ids_want.count);
	}
}

/* The last key of `events` in t: the head pass 2 must stop at. */
static int snapshot_head(svl_txn *t, uint64_t *head)
{
	MDB_cursor *c;
	MDB_val k, v;
	int mrc = mdb_cursor_open(t->txn, t->log->events, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "verify head");
	mrc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	mdb_cursor_close(c);
	*head = mrc == MDB_SUCCESS && k.mv_size == 8 ? svl__be64_get(k.mv_data)
						     : 0;
	return mrc == MDB_SUCCESS || mrc == MDB_NOTFOUND
		       ? SVL_OK
		       : svl__lmdb(t->log, mrc, "verify head");
}

/*
 * Pass 1 (the chain) runs here while pass 2 (the indexes) runs on another
 * thread in a snapshot taken just after this one: the log only grows, so
 * the later snapshot holds every index entry of this one, and entries for
 * later seqs are skipped. The slow pass that names a bad seq runs here.
 */
static int verify_fn(svl_txn *t, void *payload)
{
	walk w = {.t = t, .rep = payload};
	index_walk iw = {.log = t->log};
	int rc = snapshot_head(t, &iw.head);
	if (rc != SVL_OK)
		return rc;
	pthread_t th;
	int threaded = pthread_create(&th, NULL, index_main, &iw) == 0;
	rc = walk_chain(&w);
	if (threaded)
		pthread_join(th, NULL);
	else
		index_main(&iw);
	if (rc != SVL_OK || !w.rep->ok)
		return rc;
	check_meta_head(&w);
	if (!w.rep->ok)
		return SVL_OK;
	if (iw.rc != SVL_OK)
		return iw.rc;
	check_indexes(&w, &iw);
	return SVL_OK;
}

int svl_log_verify(svl_log *log, svl_verify_report *report)
{
	if (!log || !report)
		return svl__fail(log, SVL_EMISUSE, "verify: log and report "
						   "required");
	memset(report, 0, sizeof *report);
	report->ok = 1;
	memcpy(report->head.hash, svl_log_genesis_hash(), SVL_HASH_SIZE);
	int rc = svl_log_read(log, verify_fn, report);
	if (rc == SVL_OK && report->ok)
		snprintf(report->detail, sizeof report->detail,
			 "ok: %llu events, head seq %llu",
			 (unsigned long long)report->events,
			 (unsigned long long)report->head.seq);
	return rc;
}

const char *svl_verify_problem_name(enum svl_verify_problem p)
{
	switch (p) {
	case SVL_VERIFY_OK: return "ok";
	case SVL_VERIFY_HASH_MISMATCH: return "hash mismatch";
	case SVL_VERIFY_BROKEN_LINK: return "broken link";
	case SVL_VERIFY_SEQ_GAP: return "gap in the sequence";
	case SVL_VERIFY_SEQ_MISMATCH: return "seq mismatch";
	case SVL_VERIFY_UNDECODABLE: return "undecodable envelope";
	case SVL_VERIFY_TRUNCATED: return "truncated tail";
	case SVL_VERIFY_STREAM_INDEX: return "stream index disagrees";
	case SVL_VERIFY_ID_INDEX: return "idempotency index disagrees";
	case SVL_VERIFY_TIME_ORDER: return "recorded time goes back";
	}
	return "unknown";
}
