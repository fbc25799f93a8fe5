/*
 * append.c - appending a batch: validation, idempotency, optimistic
 * concurrency, the chain, and the inline hook.
 *
 * Order of work, and why:
 *  1. Every event of the batch is checked (limits, payload shape) before
 *     anything is written, so a bad event is reported by index and field and
 *     the transaction is simply never committed.
 *  2. Per event, the id is looked up first: a known id returns its original
 *     position and skips the version check (a retried batch must succeed
 *     even though its streams moved on since the first try).
 *  3. The expected version is checked against the stream's version inside
 *     this transaction, counting earlier events of the same batch.
 *  4. The record is encoded linked to the previous record's hash, and put
 *     under the next seq with MDB_APPEND (keys only ever grow).
 *  5. The meta head is rewritten once per batch; verify uses it to detect
 *     a truncated tail.
 *  6. The hook (projections) runs on the new records in the same
 *     transaction: its failure aborts the whole batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

static const uint8_t zero_id[SVL_ID_SIZE];
static const uint8_t genesis[SVL_HASH_SIZE];

const uint8_t *svl_log_genesis_hash(void)
{
	return genesis;
}

/* ---- time-ordered ids ---- */

/*
 * An id is 48 bits of UTC ms, then 80 bits that start at a random point
 * each new millisecond and count up within it. Randomness is drawn once per
 * millisecond, not per id: getrandom() is a system call that cost more than
 * the rest of an append, and counting up keeps ids strictly increasing
 * within the process (so appends take the ids table's MDB_APPEND path).
 * Two processes meet only if their random 80-bit starting points fall
 * within a millisecond's worth of ids of each other. A child after fork()
 * forgets the last id, so it does not count up from its parent's.
 */
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t id_once = PTHREAD_ONCE_INIT;
static uint8_t id_last[SVL_ID_SIZE];

static void id_forget(void)
{
	memset(id_last, 0, sizeof id_last);
}

static void id_init(void)
{
	(void)pthread_atfork(NULL, NULL, id_forget);
}

static void id_random_tail(uint8_t id[SVL_ID_SIZE], const void *salt)
{
	if (getrandom(id + 6, SVL_ID_SIZE - 6, 0) != SVL_ID_SIZE - 6) {
		uint64_t x = XXH3_64bits(id, SVL_ID_SIZE) ^ (uint64_t)salt;
		memcpy(id + 6, &x, 8);
	}
}

void svl_event_id_generate(uint8_t out[SVL_ID_SIZE])
{
	uint8_t fresh[SVL_ID_SIZE];
	uint64_t ms = (uint64_t)svl__now_ms();
	for (int i = 5; i >= 0; i--) {
		fresh[i] = (uint8_t)(ms & 0xff);
		ms >>= 8;
	}
	pthread_once(&id_once, id_init);
	pthread_mutex_lock(&id_lock);
	if (memcmp(fresh, id_last, 6) > 0) {
		/* a new millisecond */
		id_random_tail(fresh, out);
		memcpy(id_last, fresh, SVL_ID_SIZE);
	} else {
		/* same millisecond (or clock stepped back): count up */
		for (int i = SVL_ID_SIZE - 1; i >= 0 && ++id_last[i] == 0; i--)
			;
	}
	memcpy(out, id_last, SVL_ID_SIZE);
	pthread_mutex_unlock(&id_lock);
}

/* ---- validation (step 1) ---- */

static int check_event(svl_log *log, const svl_event_in *ev, size_t i)
{
	if (!ev->stream || ev->stream_len == 0)
		return svl__fail(log, SVL_EINVAL, "event index %zu: stream is empty",
				 i);
	if (ev->stream_len > SVL_STREAM_MAX)
		return svl__fail(log, SVL_ELIMIT,
				 "event index %zu: stream is %zu bytes, limit %d", i,
				 ev->stream_len, SVL_STREAM_MAX);
	if ((ev->actor_len && !ev->actor) || (ev->role_len && !ev->role))
		return svl__fail(log, SVL_EINVAL,
				 "event index %zu: %s is NULL with a length of %zu", i,
				 ev->actor_len && !ev->actor ? "actor" : "role",
				 ev->actor_len && !ev->actor ? ev->actor_len
							     : ev->role_len);
	if (ev->actor_len > SVL_ACTOR_MAX)
		return svl__fail(log, SVL_ELIMIT,
				 "event index %zu: actor is %zu bytes, limit %d", i,
				 ev->actor_len, SVL_ACTOR_MAX);
	if (ev->role_len > SVL_ROLE_MAX)
		return svl__fail(log, SVL_ELIMIT,
				 "event index %zu: role is %zu bytes, limit %d", i,
				 ev->role_len, SVL_ROLE_MAX);
	if (ev->schema_version == 0)
		return svl__fail(log, SVL_EINVAL,
				 "event index %zu: schema_version must be >= 1", i);
	if (ev->expected_version < SVL_VERSION_ANY)
		return svl__fail(log, SVL_EINVAL,
				 "event index %zu: expected_version %lld is invalid",
				 i, (long long)ev->expected_version);
	if (!ev->payload || ev->payload_len == 0)
		return svl__fail(log, SVL_EINVAL, "event index %zu: payload is empty",
				 i);
	if (ev->payload_len > SVL_PAYLOAD_MAX)
		return svl__fail(log, SVL_ELIMIT,
				 "event index %zu: payload is %zu bytes, limit %d", i,
				 ev->payload_len, SVL_PAYLOAD_MAX);
	svl_mp_reader r = {ev->payload, ev->payload + ev->payload_len};
	svl_mp_item it;
	svl_mp_reader peek = r;
	if (!svl__mp_next(&peek, &it) || it.kind != SVL_MP_MAP)
		return svl__fail(log, SVL_EINVAL,
				 "event index %zu: payload is not a msgpack map", i);
	bool too_deep = false;
	bool well_formed = svl__mp_skip_depth(&r, SVL_MSGPACK_DEPTH_MAX,
					      &too_deep);
	/* The depth is a documented limit (SVL_ELIMIT), not bad input. */
	if (too_deep)
		return svl__fail(log, SVL_ELIMIT,
				 "event index %zu: payload nests deeper than the "
				 "limit of %d levels",
				 i, SVL_MSGPACK_DEPTH_MAX);
	if (!well_formed || r.p != r.end)
		return svl__fail(log, SVL_EINVAL,
				 "event index %zu: payload is not one well-formed "
				 "msgpack map (at byte %zu)",
				 i, (size_t)(r.p - ev->payload));
	return SVL_OK;
}

/* ---- head and stream versions ---- */

int svl__txn_load_head(svl_txn *t)
{
	if (t->head_loaded)
		return SVL_OK;
	MDB_cursor *c;
	int mrc = mdb_cursor_open(t->txn, t->log->events, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "open events cursor");
	MDB_val k, v;
	mrc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	mdb_cursor_close(c);
	if (mrc == MDB_NOTFOUND) {
		t->head_seq = 0;
		memcpy(t->head_hash, genesis, SVL_HASH_SIZE);
		t->head_recorded_ms = 0;
	} else if (mrc != MDB_SUCCESS) {
		return svl__lmdb(t->log, mrc, "read head");
	} else {
		svl_record rec;
		const char *why;
		if (k.mv_size != 8 ||
		    !svl__record_decode(v.mv_data, v.mv_size, &rec, &why))
			return svl__fail(t->log, SVL_ECORRUPT,
					 "last record does not decode: %s",
					 k.mv_size != 8 ? "bad key" : why);
		t->head_seq = svl__be64_get(k.mv_data);
		memcpy(t->head_hash, rec.hash, SVL_HASH_SIZE);
		t->head_recorded_ms = rec.recorded_at_ms;
	}
	t->head_loaded = 1;
	return SVL_OK;
}

static int stream_lookup(svl_txn *t, const char *s, size_t len, uint64_t *out)
{
	uint8_t key[SVL_STREAM_KEY_MAX];
	size_t klen = svl__stream_key(key, s, len, UINT64_MAX);
	MDB_cursor *c;
	int mrc = mdb_cursor_open(t->txn, t->log->streams, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "open streams cursor");
	MDB_val k = {klen, key}, v;
	mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	if (mrc == MDB_SUCCESS || mrc == MDB_NOTFOUND)
		mrc = mdb_cursor_get(c, &k, &v,
				     mrc == MDB_SUCCESS ? MDB_PREV : MDB_LAST);
	mdb_cursor_close(c);
	*out = 0;
	if (mrc == MDB_NOTFOUND)
		return SVL_OK;
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "read stream version");
	if (k.mv_size == klen && memcmp(k.mv_data, key, 1 + len) == 0)
		*out = svl__be64_get((const uint8_t *)k.mv_data + 1 + len);
	return SVL_OK;
}

static struct svl_stream_slot *cache_slot(svl_stream_cache *c,
					  const char *s, size_t len,
					  uint64_t h)
{
	size_t mask = c->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct svl_stream_slot *sl = &c->slots[i];
		if (sl->len == 0 || (sl->hash == h && sl->len == len &&
				     memcmp(sl->id, s, len) == 0))
			return sl;
	}
}

static int cache_grow(svl_stream_cache *c)
{
	size_t ncap = c->cap ? c->cap * 2 : 64;
	struct svl_stream_slot *old = c->slots;
	size_t ocap = c->cap;
	c->slots = calloc(ncap, sizeof *c->slots);
	if (!c->slots) {
		c->slots = old;
		return SVL_ENOMEM;
	}
	c->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].len)
			*cache_slot(c, old[i].id, old[i].len, old[i].hash) =
				old[i];
	free(old);
	return SVL_OK;
}

/* The slot holding the stream's current version in this transaction. */
static int stream_version(svl_txn *t, const char *s, size_t len,
			  struct svl_stream_slot **out)
{
	svl_stream_cache *c = &t->streams;
	if (c->used * 2 >= c->cap && cache_grow(c) != SVL_OK)
		return svl__fail(t->log, SVL_ENOMEM, "stream cache: no memory");
	uint64_t h = XXH3_64bits(s, len);
	struct svl_stream_slot *sl = cache_slot(c, s, len, h);
	if (sl->len == 0) {
		int rc = stream_lookup(t, s, len, &sl->version);
		if (rc != SVL_OK)
			return rc;
		sl->hash = h;
		sl->len = (uint8_t)len;
		memcpy(sl->id, s, len);
		c->used++;
	}
	*out = sl;
	return SVL_OK;
}

int svl_txn_stream_version(svl_txn *txn, const char *stream,
			   size_t stream_len, uint64_t *out)
{
	if (!txn || !stream || !out || stream_len == 0 ||
	    stream_len > SVL_STREAM_MAX)
		return svl__fail(txn ? txn->log : NULL, SVL_EINVAL,
				 "stream version: bad arguments");
	struct svl_stream_slot *sl;
	int rc = stream_version(txn, stream, stream_len, &sl);
	if (rc == SVL_OK)
		*out = sl->version;
	return rc;
}

int svl_txn_head(svl_txn *txn, svl_head *out)
{
	int rc = svl__txn_load_head(txn);
	if (rc != SVL_OK)
		return rc;
	out->seq = txn->head_seq;
	memcpy(out->hash, txn->head_hash, SVL_HASH_SIZE);
	out->recorded_at_ms = txn->head_recorded_ms;
	return SVL_OK;
}

/* ---- ids (step 2) ---- */

static int load_max_id(svl_txn *t)
{
	MDB_cursor *c;
	int mrc = mdb_cursor_open(t->txn, t->log->ids, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "open ids cursor");
	MDB_val k, v;
	mrc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	mdb_cursor_close(c);
	if (mrc == MDB_SUCCESS && k.mv_size == SVL_ID_SIZE)
		memcpy(t->max_id, k.mv_data, SVL_ID_SIZE);
	else if (mrc != MDB_NOTFOUND && mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "read ids");
	t->max_id_loaded = 1;
	return SVL_OK;
}

/* Is id known? *seq gets its position. A new id larger than every id in
 * the table cannot be known: no lookup (the common, generated case). */
static int id_known(svl_txn *t, const uint8_t *id, uint64_t *seq, int *fresh_max)
{
	*seq = 0;
	*fresh_max = memcmp(id, t->max_id, SVL_ID_SIZE) > 0;
	if (*fresh_max)
		return SVL_OK;
	MDB_val k = {SVL_ID_SIZE, (void *)id}, v;
	int mrc = mdb_get(t->txn, t->log->ids, &k, &v);
	if (mrc == MDB_NOTFOUND)
		return SVL_OK;
	if (mrc != MDB_SUCCESS || v.mv_size != 8)
		return mrc ? svl__lmdb(t->log, mrc, "read ids")
			   : svl__fail(t->log, SVL_ECORRUPT, "ids value size");
	*seq = svl__be64_get(v.mv_data);
	return SVL_OK;
}

static int same_bytes(const void *a, size_t an, const void *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static int same_opt_id(const uint8_t *a, const uint8_t *b)
{
	return (!a && !b) || (a && b && memcmp(a, b, SVL_ID_SIZE) == 0);
}

/* Which field of ev differs from the stored record rec, or NULL: the same
 * event is the same stream, type, schema version, business time, actor,
 * role, correlation and causation ids and payload bytes (recorded_at is
 * the ledger's, and expected_version is not stored). */
static const char *differs(const svl_event_in *ev, const svl_record *rec)
{
	if (!same_bytes(ev->stream, ev->stream_len, rec->stream,
			rec->stream_len))
		return "stream";
	if (ev->type != rec->type || ev->schema_version != rec->schema_version)
		return "type";
	if (ev->occurred_at_ms != rec->occurred_at_ms)
		return "occurred_at";
	if (!same_bytes(ev->actor, ev->actor_len, rec->actor, rec->actor_len) ||
	    !same_bytes(ev->role, ev->role_len, rec->role, rec->role_len))
		return "actor or role";
	if (!same_opt_id(ev->correlation_id, rec->correlation_id) ||
	    !same_opt_id(ev->causation_id, rec->causation_id))
		return "correlation or causation id";
	if (!same_bytes(ev->payload, ev->payload_len, rec->payload,
			rec->payload_len))
		return "payload";
	return NULL;
}

/* The id is in the log at seq: a retry of that very event gives its
 * position; another event under the same id is a conflict (an idempotency
 * key names one event), and nothing is written. */
static int duplicate_position(svl_txn *t, const svl_event_in *ev,
			      uint64_t seq, svl_position *pos)
{
	svl_record rec;
	int rc = svl_txn_record(t, seq, &rec);
	if (rc != SVL_OK)
		return rc == SVL_ENOTFOUND
			       ? svl__fail(t->log, SVL_ECORRUPT,
					   "id index names seq %llu, which is "
					   "not in the log",
					   (unsigned long long)seq)
			       : rc;
	const char *what = differs(ev, &rec);
	if (what) {
		char hex[2 * SVL_ID_SIZE + 1];
		for (size_t k = 0; k < SVL_ID_SIZE; k++)
			snprintf(hex + 2 * k, 3, "%02x", pos->id[k]);
		return svl__fail(t->log, SVL_ECONFLICT,
				 "id %s is already the id of seq %llu, a "
				 "different event (its %s differs); this one "
				 "would have been seq %llu: an id names one "
				 "event, and a retry resends it unchanged",
				 hex, (unsigned long long)seq, what,
				 (unsigned long long)(t->head_seq + 1));
	}
	pos->seq = seq;
	pos->stream_version = rec.stream_version;
	pos->duplicate = 1;
	return SVL_OK;
}

/* ---- writing one record (steps 3 and 4) ---- */

/*
 * Stream index entries are gathered per batch and written in key order at
 * its end (flush_streams): interleaved with the events and ids appends, a
 * put into the middle of the stream index costs a full descent through
 * cold pages, while sorted puts walk each stream's tail page once. Nothing
 * reads these entries before the flush: versions within the transaction
 * come from the stream cache.
 */
typedef struct stream_entry {
	const char *stream; /* the caller's bytes, valid during the call */
	uint64_t version;
	uint64_t seq;
	uint8_t len;
} stream_entry;

typedef struct stream_batch {
	stream_entry *e;
	size_t n;
} stream_batch;

static int entry_cmp(const void *a, const void *b)
{
	/* the order of the keys len | stream | u64be version under memcmp */
	const stream_entry *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(x->stream, y->stream, x->len);
	if (c != 0)
		return c;
	return (x->version > y->version) - (x->version < y->version);
}

static int flush_streams(svl_txn *t, stream_batch *sb)
{
	if (sb->n > 1)
		qsort(sb->e, sb->n, sizeof *sb->e, entry_cmp);
	for (size_t i = 0; i < sb->n; i++) {
		const stream_entry *se = &sb->e[i];
		uint8_t skey[SVL_STREAM_KEY_MAX], kseq[8];
		svl__be64_put(kseq, se->seq);
		MDB_val sk = {svl__stream_key(skey, se->stream, se->len,
					      se->version),
			      skey};
		MDB_val sv = {8, kseq};
		int mrc = mdb_put(t->txn, t->log->streams, &sk, &sv,
				  MDB_NOOVERWRITE);
		if (mrc != MDB_SUCCESS)
			return mrc == MDB_KEYEXIST
				       ? svl__fail(t->log, SVL_ECORRUPT,
						   "stream index already has "
						   "version %llu",
						   (unsigned long long)
							   se->version)
				       : svl__lmdb(t->log, mrc, "index stream");
	}
	sb->n = 0;
	return SVL_OK;
}

static int put_record(svl_txn *t, const svl_event_in *ev, const uint8_t *id,
		      int fresh_max, struct svl_stream_slot *sl,
		      int64_t recorded_ms, stream_batch *sb, size_t *rec_len)
{
	t->wrote = 1;
	uint64_t seq = t->head_seq + 1;
	uint64_t ver = sl->version + 1;
	size_t len = svl__envelope_encode(t->buf, ev, seq, ver, recorded_ms,
					  id, t->head_hash);
	uint8_t kseq[8];
	svl__be64_put(kseq, seq);
	MDB_val k = {8, kseq}, v = {len, t->buf};
	int mrc = mdb_put(t->txn, t->log->events, &k, &v, MDB_APPEND);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "append record");
	stream_entry *se = &sb->e[sb->n++];
	se->stream = ev->stream;
	se->len = (uint8_t)ev->stream_len;
	se->version = ver;
	se->seq = seq;
	MDB_val sv = {8, kseq};
	MDB_val ik = {SVL_ID_SIZE, (void *)id};
	mrc = mdb_put(t->txn, t->log->ids, &ik, &sv,
		      fresh_max ? MDB_APPEND : MDB_NOOVERWRITE);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "index id");
	if (fresh_max)
		memcpy(t->max_id, id, SVL_ID_SIZE);
	memcpy(t->head_hash, t->buf + len - SVL_HASH_SIZE, SVL_HASH_SIZE);
	t->head_seq = seq;
	t->head_recorded_ms = recorded_ms;
	sl->version = ver;
	*rec_len = len;
	return SVL_OK;
}

static int write_meta_head(svl_txn *t)
{
	uint8_t head[8 + SVL_HASH_SIZE];
	svl__be64_put(head, t->head_seq);
	memcpy(head + 8, t->head_hash, SVL_HASH_SIZE);
	MDB_val k = {4, "head"}, v = {sizeof head, head};
	int mrc = mdb_put(t->txn, t->log->meta, &k, &v, 0);
	return mrc == MDB_SUCCESS ? SVL_OK : svl__lmdb(t->log, mrc, "meta head");
}

/* ---- the batch ---- */

typedef struct arena {
	uint8_t *bytes;
	size_t len, cap;
	size_t *offs; /* start of each appended record */
	size_t n;
} arena;

static int arena_add(arena *a, const uint8_t *rec, size_t len, size_t max_n)
{
	if (!a->offs && !(a->offs = malloc(max_n * sizeof *a->offs)))
		return SVL_ENOMEM;
	if (a->len + len > a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 1 << 16;
		while (ncap < a->len + len)
			ncap *= 2;
		uint8_t *nb = realloc(a->bytes, ncap);
		if (!nb)
			return SVL_ENOMEM;
		a->bytes = nb;
		a->cap = ncap;
	}
	memcpy(a->bytes + a->len, rec, len);
	a->offs[a->n++] = a->len;
	a->len += len;
	return SVL_OK;
}

static int run_hook(svl_txn *t, arena *a)
{
	svl_log *log = t->log;
	if (!log->hook || a->n == 0)
		return SVL_OK;
	svl_record *recs = malloc(a->n * sizeof *recs);
	if (!recs)
		return svl__fail(log, SVL_ENOMEM, "append hook: no memory");
	for (size_t i = 0; i < a->n; i++) {
		size_t end = i + 1 < a->n ? a->offs[i + 1] : a->len;
		const char *why;
		bool ok = svl__record_decode(a->bytes + a->offs[i],
					     end - a->offs[i], &recs[i], &why);
		if (!ok) { /* we just encoded it: a broken invariant */
			free(recs);
			return svl__fail(log, SVL_ECORRUPT,
					 "own record does not decode: %s", why);
		}
	}
	int rc = log->hook(t, recs, a->n, log->hook_payload);
	free(recs);
	return rc;
}

static int64_t recorded_time(svl_txn *t, const svl_event_in *ev, size_t i,
			     int *rc)
{
	*rc = SVL_OK;
	if (ev->recorded_at_ms == 0)
		return t->now_ms > t->head_recorded_ms ? t->now_ms
						      : t->head_recorded_ms;
	if (ev->recorded_at_ms > t->now_ms + SVL_CLOCK_SKEW_MS)
		*rc = svl__fail(t->log, SVL_EINVAL,
				"event index %zu: recorded_at %lld is ahead of this "
				"machine's clock (%lld): only past history "
				"(an import) may carry its own recorded time",
				i, (long long)ev->recorded_at_ms,
				(long long)t->now_ms);
	else if (ev->recorded_at_ms < t->head_recorded_ms)
		*rc = svl__fail(t->log, SVL_EINVAL,
				"event index %zu: recorded_at %lld is before the "
				"head's %lld (recorded time never goes back)",
				i, (long long)ev->recorded_at_ms,
				(long long)t->head_recorded_ms);
	return ev->recorded_at_ms;
}

static int append_one(svl_txn *t, const svl_event_in *ev, size_t i,
		      svl_position *pos, arena *a, stream_batch *sb, size_t n)
{
	uint8_t id[SVL_ID_SIZE];
	uint64_t dup_seq;
	int fresh_max, rc;
	if (memcmp(ev->id, zero_id, SVL_ID_SIZE) == 0)
		svl_event_id_generate(id);
	else
		memcpy(id, ev->id, SVL_ID_SIZE);
	memcpy(pos->id, id, SVL_ID_SIZE);
	if ((rc = id_known(t, id, &dup_seq, &fresh_max)) != SVL_OK)
		return rc;
	if (dup_seq)
		return duplicate_position(t, ev, dup_seq, pos);
	struct svl_stream_slot *sl;
	if ((rc = stream_version(t, ev->stream, ev->stream_len, &sl)) != SVL_OK)
		return rc;
	if (ev->expected_version != SVL_VERSION_ANY &&
	    (uint64_t)ev->expected_version != sl->version) {
		char where[64] = ""; /* the caller numbers a single event */
		if (n > 1)
			snprintf(where, sizeof where,
				 " (event index %zu of the batch)", i);
		return svl__fail(t->log, SVL_ECONFLICT,
				 "stream '%.*s' is at version %llu, expected "
				 "%lld%s",
				 (int)ev->stream_len, ev->stream,
				 (unsigned long long)sl->version,
				 (long long)ev->expected_version, where);
	}
	int64_t rec_ms = recorded_time(t, ev, i, &rc);
	if (rc != SVL_OK)
		return rc;
	size_t len = 0;
	if ((rc = put_record(t, ev, id, fresh_max, sl, rec_ms, sb, &len)) !=
	    SVL_OK)
		return rc;
	pos->seq = t->head_seq;
	pos->stream_version = sl->version;
	pos->duplicate = 0;
	if (t->log->hook && arena_add(a, t->buf, len, n) != SVL_OK)
		return svl__fail(t->log, SVL_ENOMEM, "append: no memory");
	return SVL_OK;
}

int svl_txn_append(svl_txn *t, const svl_event_in *events, size_t n,
		   svl_position *out)
{
	if (!t || (!events && n))
		return svl__fail(t ? t->log : NULL, SVL_EMISUSE,
				 "append: txn and events are required");
	if (!t->write)
		return svl__fail(t->log, SVL_EREADONLY,
				 "append in a read snapshot");
	if (n > SVL_BATCH_MAX)
		return svl__fail(t->log, SVL_ELIMIT,
				 "batch of %zu events, limit %d", n,
				 SVL_BATCH_MAX);
	int rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = check_event(t->log, &events[i], i)) != SVL_OK)
			return rc;
	if ((rc = svl__txn_load_head(t)) != SVL_OK)
		return rc;
	if (!t->max_id_loaded && (rc = load_max_id(t)) != SVL_OK)
		return rc;
	if (!t->buf && !(t->buf = malloc(SVL_RECORD_MAX)))
		return svl__fail(t->log, SVL_ENOMEM, "append: no memory");
	if (t->now_ms == 0)
		t->now_ms = svl__now_ms();
	stream_batch sb = {malloc((n ? n : 1) * sizeof *sb.e), 0};
	if (!sb.e)
		return svl__fail(t->log, SVL_ENOMEM, "append: no memory");
	arena a = {0};
	size_t appended = 0;
	t->wrote = 0;
	for (size_t i = 0; i < n && rc == SVL_OK; i++) {
		svl_position pos;
		rc = append_one(t, &events[i], i, &pos, &a, &sb, n);
		if (rc == SVL_OK && out)
			out[i] = pos;
		appended += rc == SVL_OK && !pos.duplicate;
	}
	/* Only after success: a batch that failed after writing leaves a
	 * transaction that cannot commit (below), and puts into a failed LMDB
	 * transaction would replace the failure's detail with MDB_BAD_TXN. */
	if (rc == SVL_OK)
		rc = flush_streams(t, &sb);
	free(sb.e);
	if (rc == SVL_OK && appended)
		rc = write_meta_head(t);
	if (rc == SVL_OK)
		rc = run_hook(t, &a);
	free(a.bytes);
	free(a.offs);
	/* Failures found before the first put leave the transaction as it
	 * was; later ones leave part of the batch in it: "on any error nothing
	 * is appended" then holds by refusing the commit. */
	if (rc != SVL_OK && t->wrote && !t->failed)
		t->failed = rc;
	return rc;
}

static int append_fn(svl_txn *t, void *payload)
{
	struct {
		const svl_event_in *events;
		size_t n;
		svl_position *out;
	} *arg = payload;
	return svl_txn_append(t, arg->events, arg->n, arg->out);
}

int svl_log_append(svl_log *log, const svl_event_in *events, size_t n,
		   svl_position *out)
{
	struct {
		const svl_event_in *events;
		size_t n;
		svl_position *out;
	} arg = {events, n, out};
	if (!log)
		return svl__fail(NULL, SVL_EMISUSE, "append: log is NULL");
	return svl_log_write(log, append_fn, &arg);
}
