/*
 * verify.c - proving the log was not altered, from the log alone.
 *
 * Pass 1 walks `events` in key order and checks, per record: the key is the
 * next seq (no gap), the envelope decodes, its seq equals the key, its hash
 * is XXH3-128 of its envelope, its prev_hash is the previous record's hash
 * (genesis for seq 1), and recorded_at never goes back. The envelope must
 * be canonical (svl__record_check). The last record must be the head that
 * meta records (a cut tail is otherwise invisible); a log with records but
 * no head is damaged, an empty one has none yet.
 *
 * The walk steps from leaf to leaf and never reads a branch page's keys,
 * but every lookup (a reader's seek, log --from) descends by them, so a
 * damaged branch key is invisible to the walk and sends lookups astray.
 * Pass 1 therefore also looks records up by key, from the root, and checks
 * that the lookup lands on the very value the walk read. It does so for the
 * first and the last record of each leaf page only: a branch page routes a
 * key by binary search, which is monotone in the key whatever the page
 * holds, so when both ends of a leaf are routed to it, every key between
 * them is too. That costs two descents per leaf instead of one per record;
 * a miss at a page's end is narrowed by bisection to the first seq lost.
 *
 * The indexes are checked without a random lookup per event: each side
 * folds its entries into an order-independent multiset digest (a sum of
 * 64-bit hashes of (key, seq)) plus a count. Pass 1 folds what the indexes
 * ought to hold; pass 2 walks each index in its own key order, checks the
 * per-stream versions run 1, 2, 3..., and folds what they do hold. Only when
 * the digests differ does a slow pass look records up one by one to name the
 * first bad seq and key. Nothing derived is trusted: the indexes are what
 * is checked, and a report gives their real entry counts.
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
	/* the lookup check: the leaf page of the last record walked */
	uintptr_t map, psize, page;
	uint64_t page_first, last_seq;
	const void *last_val;
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
	enum svl__record_status st =
	    svl__record_check(v->mv_data, v->mv_size, &r, &why);
	if (st != SVL__RECORD_OK)
		return bad(rep,
			   st == SVL__RECORD_NOT_CANONICAL
			       ? SVL_VERIFY_NOT_CANONICAL
			       : SVL_VERIFY_UNDECODABLE,
			   seq, "seq %llu: %s", (unsigned long long)seq, why);
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

/* Whether a lookup of seq's key, descending from the root by the branch
 * keys, lands on the value the walk read at val. */
static int found_by_key(walk *w, uint64_t seq, const void *val)
{
	uint8_t kb[8];
	svl__be64_put(kb, seq);
	MDB_val k = {8, kb}, v;
	return mdb_get(w->t->txn, w->t->log->events, &k, &v) == MDB_SUCCESS &&
	       v.mv_data == val;
}

/* Report that seq is not found by a lookup; the last good record is then
 * seq - 1, read again for the report's head. */
static int lookup_bad(walk *w, uint64_t seq)
{
	svl_verify_report *rep = w->rep;
	svl_record r;
	rep->events = seq - 1;
	rep->head.seq = seq - 1;
	if (seq > 1 && svl_txn_record(w->t, seq - 1, &r) == SVL_OK) {
		memcpy(rep->head.hash, r.hash, SVL_HASH_SIZE);
		rep->head.recorded_at_ms = r.recorded_at_ms;
	}
	return bad(rep, SVL_VERIFY_LOOKUP, seq,
		   "seq %llu: a lookup by its key does not find it (the "
		   "B-tree's branch keys are damaged)",
		   (unsigned long long)seq);
}

/* The last record of a page is not found by key: the keys a branch page
 * routes elsewhere are a suffix of the page (routing is monotone), and its
 * first record was found, so the first one lost is found by bisection. */
static int lookup_bad_tail(walk *w)
{
	uint64_t good = w->page_first, lost = w->last_seq;
	while (lost - good > 1) {
		uint64_t mid = good + (lost - good) / 2;
		uint8_t kb[8];
		svl__be64_put(kb, mid);
		MDB_val k = {8, kb}, v;
		/* keys are unique (the walk saw 1, 2, 3...), so a hit is the
		 * very record */
		if (mdb_get(w->t->txn, w->t->log->events, &k, &v) ==
		    MDB_SUCCESS)
			good = mid;
		else
			lost = mid;
	}
	return lookup_bad(w, lost);
}

/* Called for the record just walked (its key at key, value at val): on
 * entering a new leaf page, look up the last record of the page before and
 * the first of this one. Nonzero when a lookup misses. */
static int check_lookup(walk *w, const void *key, uint64_t seq,
			const void *val)
{
	uintptr_t page = ((uintptr_t)key - w->map) / w->psize;
	int first = w->last_val == NULL;
	if (first || page != w->page) {
		if (!first && !found_by_key(w, w->last_seq, w->last_val))
			return lookup_bad_tail(w);
		if (!found_by_key(w, seq, val))
			return lookup_bad(w, seq);
		w->page = page;
		w->page_first = seq;
	}
	w->last_seq = seq;
	w->last_val = val;
	return 0;
}

static int lookup_setup(walk *w)
{
	MDB_stat st;
	MDB_envinfo info;
	int mrc = mdb_env_stat(w->t->log->env, &st);
	if (mrc == MDB_SUCCESS)
		mrc = mdb_env_info(w->t->log->env, &info);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(w->t->log, mrc, "verify page size");
	w->psize = st.ms_psize;
	w->map = (uintptr_t)info.me_mapaddr;
	return SVL_OK;
}

static int walk_chain(walk *w)
{
	int rc = lookup_setup(w);
	if (rc != SVL_OK)
		return rc;
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
		stop = check_record(w, &k, &v, want, &last_ms) ||
		       check_lookup(w, k.mv_data, want, v.mv_data);
	mdb_cursor_close(c);
	if (mrc != MDB_SUCCESS && mrc != MDB_NOTFOUND)
		return svl__lmdb(w->t->log, mrc, "verify walk");
	/* the last record ends its leaf */
	if (!stop && w->last_val && !found_by_key(w, w->last_seq, w->last_val))
		lookup_bad_tail(w);
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
	} else if (mrc == MDB_SUCCESS) {
		bad(w->rep, SVL_VERIFY_NO_HEAD, w->head,
		    "seq %llu: meta head is %zu bytes, not %d",
		    (unsigned long long)w->head, v.mv_size, 8 + SVL_HASH_SIZE);
		return;
	} else if (mrc != MDB_NOTFOUND || w->head > 0) {
		/* no head is an empty log's state until its first append */
		bad(w->rep, SVL_VERIFY_NO_HEAD, w->head,
		    "seq %llu: the log holds seq 1..%llu but meta has no head "
		    "record",
		    (unsigned long long)w->head, (unsigned long long)w->head);
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
	/* the first stream key whose version does not follow its
	 * predecessor's (or is malformed), and the seq it names */
	uint64_t bad_seq, bad_prev_ver;
	uint8_t bad_key[SVL_STREAM_KEY_MAX];
	size_t bad_key_len;
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

static void note_bad_key(index_walk *iw, const MDB_val *k, uint64_t seq,
			 uint64_t prev_ver)
{
	iw->bad_seq = seq ? seq : 1;
	iw->bad_prev_ver = prev_ver;
	iw->bad_key_len = k->mv_size < sizeof iw->bad_key ? k->mv_size
							 : sizeof iw->bad_key;
	memcpy(iw->bad_key, k->mv_data, iw->bad_key_len);
}

/* Pass 2: fold what the stream index holds, checking versions run 1,2,... */
static int walk_streams(svl_txn *t, index_walk *iw)
{
	MDB_cursor *c;
	digest *have = &iw->streams;
	int mrc = mdb_cursor_open(t->txn, t->log->streams, &c);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "verify streams");
	MDB_val k, v;
	uint8_t prev[1 + SVL_STREAM_MAX];
	size_t prev_len = 0;
	uint64_t prev_ver = 0;
	iw->bad_seq = 0;
	for (mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST); mrc == MDB_SUCCESS;
	     mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const uint8_t *kb = k.mv_data;
		uint64_t seq = v.mv_size == 8 ? svl__be64_get(v.mv_data) : 0;
		if (k.mv_size < 10 || k.mv_size != (size_t)kb[0] + 9 ||
		    v.mv_size != 8) {
			note_bad_key(iw, &k, seq, 0);
			break;
		}
		size_t plen = k.mv_size - 8;
		uint64_t ver = svl__be64_get(kb + plen);
		if (!in_chain(iw, seq, &iw->streams_beyond))
			continue;
		int same = plen == prev_len && memcmp(prev, kb, plen) == 0;
		if (ver != (same ? prev_ver + 1 : 1)) {
			note_bad_key(iw, &k, seq, same ? prev_ver : 0);
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

/* ---- naming what is wrong in an index (only after a mismatch) ---- */

/* The first bad seq and one line saying which key is wrong and how. */
typedef struct finding {
	uint64_t seq;
	char what[288];
} finding;

/* A stream index key, or an id index key, as text: "stream 'a' version
 * 3", "id 0123...". Bytes outside printable ASCII are escaped. */
static void key_text(char *out, size_t cap, int streams, const uint8_t *k,
		     size_t klen)
{
	if (!streams) {
		if (klen != SVL_ID_SIZE) {
			snprintf(out, cap, "an id key of %zu bytes", klen);
			return;
		}
		static const char hex[] = "0123456789abcdef";
		size_t n = (size_t)snprintf(out, cap, "id ");
		for (size_t i = 0; i < klen && n + 3 <= cap; i++, n += 2) {
			out[n] = hex[k[i] >> 4];
			out[n + 1] = hex[k[i] & 15];
			out[n + 2] = '\0';
		}
		return;
	}
	if (klen < 10 || klen != (size_t)k[0] + 9) {
		snprintf(out, cap, "a stream key of %zu bytes", klen);
		return;
	}
	char s[4 * 32 + 1];
	size_t n = 0, len = k[0];
	for (size_t i = 0; i < len && i < 32; i++) {
		uint8_t ch = k[1 + i];
		n += (size_t)snprintf(s + n, sizeof s - n,
				      ch >= 0x20 && ch < 0x7f && ch != '\''
					  ? "%c"
					  : "\\x%02x",
				      ch);
	}
	snprintf(out, cap, "stream '%s%s' version %llu", s,
		 len > 32 ? "..." : "",
		 (unsigned long long)svl__be64_get(k + 1 + len));
}

/* Slow pass, only after a digest mismatch: the first record whose index
 * entry is missing or wrong; 0 if every record is indexed right (then
 * the index holds extra entries). */
static int locate(walk *w, int streams, finding *f)
{
	for (uint64_t seq = 1; seq <= w->head; seq++) {
		svl_record r;
		if (svl_txn_record(w->t, seq, &r) != SVL_OK) {
			f->seq = seq;
			snprintf(f->what, sizeof f->what, "record unreadable");
			return 1;
		}
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
		int mrc = mdb_get(w->t->txn, dbi, &k, &v);
		if (mrc == MDB_SUCCESS && v.mv_size == 8 &&
		    svl__be64_get(v.mv_data) == seq)
			continue;
		char kt[192];
		key_text(kt, sizeof kt, streams, k.mv_data, k.mv_size);
		f->seq = seq;
		if (mrc != MDB_SUCCESS)
			snprintf(f->what, sizeof f->what, "no entry for %s", kt);
		else if (v.mv_size != 8)
			snprintf(f->what, sizeof f->what,
				 "the entry for %s holds %zu bytes", kt,
				 v.mv_size);
		else
			snprintf(f->what, sizeof f->what,
				 "the entry for %s names seq %llu", kt,
				 (unsigned long long)svl__be64_get(v.mv_data));
		return 1;
	}
	return 0;
}

/* Whether the index entry k -> seq is backed by record seq. */
static int backed(walk *w, int streams, const MDB_val *k, uint64_t seq)
{
	svl_record r;
	if (seq == 0 || seq > w->head || svl_txn_record(w->t, seq, &r) != SVL_OK)
		return 0;
	if (!streams)
		return k->mv_size == SVL_ID_SIZE &&
		       memcmp(k->mv_data, r.id, SVL_ID_SIZE) == 0;
	uint8_t key[SVL_STREAM_KEY_MAX];
	size_t kl = svl__stream_key(key, r.stream, r.stream_len,
				    r.stream_version);
	return k->mv_size == kl && memcmp(k->mv_data, key, kl) == 0;
}

/* Slow pass, when every record is indexed right but the digests still
 * differ: the index holds an entry no record backs. The smallest seq such
 * an entry names is the first bad seq (an entry naming no seq at all
 * counts as head + 1). */
static void locate_extra(walk *w, int streams, finding *f)
{
	MDB_dbi dbi = streams ? w->t->log->streams : w->t->log->ids;
	MDB_cursor *c;
	f->seq = w->head + 1;
	snprintf(f->what, sizeof f->what, "the index cannot be read");
	if (mdb_cursor_open(w->t->txn, dbi, &c) != MDB_SUCCESS)
		return;
	uint64_t first = 0;
	MDB_val k, v;
	for (int mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST); mrc == MDB_SUCCESS;
	     mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint64_t seq = v.mv_size == 8 ? svl__be64_get(v.mv_data) : 0;
		if (backed(w, streams, &k, seq))
			continue;
		uint64_t at = seq == 0 ? w->head + 1 : seq;
		if (first != 0 && at >= first)
			continue;
		first = at;
		char kt[192];
		key_text(kt, sizeof kt, streams, k.mv_data, k.mv_size);
		f->seq = at;
		snprintf(f->what, sizeof f->what,
			 seq == 0 ? "the entry for %s holds no seq"
			 : seq > w->head
			     ? "the entry for %s names seq %llu, past the log's "
			       "end"
			     : "the entry for %s names seq %llu, which is "
			       "another event",
			 kt, (unsigned long long)seq);
	}
	mdb_cursor_close(c);
}

/* The bad version pass 2 met in the stream index. */
static void version_finding(const index_walk *iw, finding *f)
{
	char kt[192];
	key_text(kt, sizeof kt, 1, iw->bad_key, iw->bad_key_len);
	f->seq = iw->bad_seq;
	if (iw->bad_key_len < 10)
		snprintf(f->what, sizeof f->what, "malformed entry: %s", kt);
	else if (iw->bad_prev_ver)
		snprintf(f->what, sizeof f->what, "%s follows version %llu",
			 kt, (unsigned long long)iw->bad_prev_ver);
	else
		snprintf(f->what, sizeof f->what,
			 "%s is the stream's first entry", kt);
}

static uint64_t entries(walk *w, MDB_dbi dbi)
{
	MDB_stat st;
	return mdb_stat(w->t->txn, dbi, &st) == MDB_SUCCESS ? st.ms_entries
							    : 0;
}

static void report_index(walk *w, int streams, const finding *f)
{
	MDB_dbi dbi = streams ? w->t->log->streams : w->t->log->ids;
	bad(w->rep, streams ? SVL_VERIFY_STREAM_INDEX : SVL_VERIFY_ID_INDEX,
	    f->seq,
	    "%s index disagrees with the log at seq %llu: %s (the index "
	    "holds %llu entries for %llu records)",
	    streams ? "stream" : "idempotency", (unsigned long long)f->seq,
	    f->what, (unsigned long long)entries(w, dbi),
	    (unsigned long long)w->head);
}

static void check_indexes(walk *w, const index_walk *iw)
{
	finding f;
	const digest *have = &iw->streams;
	if (iw->bad_seq || iw->streams_beyond ||
	    have->sum != w->streams_want.sum ||
	    have->count != w->streams_want.count) {
		if (!locate(w, 1, &f)) {
			if (iw->bad_seq)
				version_finding(iw, &f);
			else
				locate_extra(w, 1, &f);
		}
		report_index(w, 1, &f);
		return;
	}
	have = &iw->ids;
	if (iw->ids_beyond || have->sum != w->ids_want.sum ||
	    have->count != w->ids_want.count) {
		if (!locate(w, 0, &f))
			locate_extra(w, 0, &f);
		report_index(w, 0, &f);
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
	case SVL_VERIFY_NOT_CANONICAL: return "not canonical";
	case SVL_VERIFY_LOOKUP: return "lookup by key misses the record";
	case SVL_VERIFY_NO_HEAD: return "no recorded head";
	}
	return "unknown";
}
