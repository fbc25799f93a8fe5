/*
 * read.c - reading: iterators over the global sequence or one stream, single
 * records, the head, and lookups by id.
 *
 * An iterator owns one LMDB read snapshot for its whole life, so everything
 * it returns is consistent and zero-copy: record pointers point into the
 * memory map and stay valid until the iterator moves on or closes. Readers
 * never block the writer (LMDB's MVCC); they only keep old pages from being
 * reused, so iterators should not be held for long.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

struct svl_iter {
	svl_txn txn;      /* own snapshot, or a copy of a borrowed txn */
	int borrowed;     /* made by svl_txn_iter_*: the txn is the caller's */
	MDB_cursor *cur;
	int by_stream;
	int started;
	uint64_t last;  /* last seq or version wanted (0 = no bound) */
	uint64_t first;
	uint64_t at; /* by seq: the seq last returned (keys only ascend) */
	uint8_t key[SVL_STREAM_KEY_MAX];
	size_t prefix_len; /* for streams: 1 + stream length */
};

static int decode_at(svl_log *log, const MDB_val *k, const MDB_val *v,
		     svl_record *out)
{
	const char *why;
	if (k->mv_size != 8)
		return svl__fail(log, SVL_ECORRUPT, "event key of %zu bytes",
				 k->mv_size);
	uint64_t seq = svl__be64_get(k->mv_data);
	if (!svl__record_decode(v->mv_data, v->mv_size, out, &why))
		return svl__fail(log, SVL_ECORRUPT, "seq %llu: %s",
				 (unsigned long long)seq, why);
	if (out->seq != seq)
		return svl__fail(log, SVL_ECORRUPT,
				 "seq %llu: envelope says seq %llu",
				 (unsigned long long)seq,
				 (unsigned long long)out->seq);
	return SVL_OK;
}

int svl_txn_record(svl_txn *txn, uint64_t seq, svl_record *out)
{
	uint8_t kb[8];
	svl__be64_put(kb, seq);
	MDB_val k = {8, kb}, v;
	int mrc = mdb_get(txn->txn, txn->log->events, &k, &v);
	if (mrc == MDB_NOTFOUND)
		return svl__fail(txn->log, SVL_ENOTFOUND, "no record at seq %llu",
				 (unsigned long long)seq);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(txn->log, mrc, "read record");
	return decode_at(txn->log, &k, &v, out);
}

static int iter_new(svl_log *log, svl_txn *borrow, int by_stream,
		    svl_iter **out)
{
	if (!log || !out)
		return svl__fail(log, SVL_EMISUSE, "iter: log and out required");
	svl_iter *it = calloc(1, sizeof *it);
	if (!it)
		return svl__fail(log, SVL_ENOMEM, "iter: out of memory");
	int rc = SVL_OK;
	if (borrow) {
		it->txn.log = log;
		it->txn.txn = borrow->txn;
		it->txn.write = borrow->write;
		it->borrowed = 1;
	} else {
		rc = svl__txn_begin(log, 0, &it->txn);
	}
	if (rc != SVL_OK) {
		free(it);
		return rc;
	}
	MDB_dbi dbi = by_stream ? log->streams : log->events;
	int mrc = mdb_cursor_open(it->txn.txn, dbi, &it->cur);
	if (mrc != MDB_SUCCESS) {
		if (!it->borrowed)
			svl__txn_end(&it->txn);
		free(it);
		return svl__lmdb(log, mrc, "iter cursor");
	}
	it->by_stream = by_stream;
	*out = it;
	return SVL_OK;
}

static void iter_bounds_seq(svl_iter *it, uint64_t first, uint64_t last)
{
	it->first = first ? first : 1;
	it->last = last;
}

static int iter_bounds_stream(svl_iter *it, const char *stream, size_t len,
			      uint64_t first, uint64_t last)
{
	it->first = first ? first : 1;
	it->last = last;
	svl__stream_key(it->key, stream, len, it->first);
	it->prefix_len = 1 + len;
	return SVL_OK;
}

static int check_stream_arg(svl_log *log, const char *stream, size_t len)
{
	if (!stream || len == 0 || len > SVL_STREAM_MAX)
		return svl__fail(log, SVL_EINVAL,
				 "iter: stream must be 1..%d bytes",
				 SVL_STREAM_MAX);
	return SVL_OK;
}

int svl_txn_iter_seq(svl_txn *txn, uint64_t first_seq, uint64_t last_seq,
		     svl_iter **out)
{
	if (!txn)
		return svl__fail(NULL, SVL_EMISUSE, "iter: txn is NULL");
	int rc = iter_new(txn->log, txn, 0, out);
	if (rc == SVL_OK)
		iter_bounds_seq(*out, first_seq, last_seq);
	return rc;
}

int svl_txn_iter_stream(svl_txn *txn, const char *stream, size_t stream_len,
			uint64_t first_version, uint64_t last_version,
			svl_iter **out)
{
	if (!txn)
		return svl__fail(NULL, SVL_EMISUSE, "iter: txn is NULL");
	int rc = check_stream_arg(txn->log, stream, stream_len);
	if (rc == SVL_OK)
		rc = iter_new(txn->log, txn, 1, out);
	if (rc == SVL_OK)
		iter_bounds_stream(*out, stream, stream_len, first_version,
				   last_version);
	return rc;
}

int svl_log_iter_seq(svl_log *log, uint64_t first_seq, uint64_t last_seq,
		     svl_iter **out)
{
	int rc = iter_new(log, NULL, 0, out);
	if (rc == SVL_OK)
		iter_bounds_seq(*out, first_seq, last_seq);
	return rc;
}

int svl_log_iter_stream(svl_log *log, const char *stream, size_t stream_len,
			uint64_t first_version, uint64_t last_version,
			svl_iter **out)
{
	int rc = check_stream_arg(log, stream, stream_len);
	if (rc == SVL_OK)
		rc = iter_new(log, NULL, 1, out);
	if (rc == SVL_OK)
		iter_bounds_stream(*out, stream, stream_len, first_version,
				   last_version);
	return rc;
}

static int next_by_seq(svl_iter *it, svl_record *out)
{
	MDB_val k, v;
	int mrc;
	if (!it->started) {
		uint8_t kb[8];
		svl__be64_put(kb, it->first);
		k.mv_size = 8;
		k.mv_data = kb;
		mrc = mdb_cursor_get(it->cur, &k, &v, MDB_SET_RANGE);
		it->started = 1;
	} else {
		mrc = mdb_cursor_get(it->cur, &k, &v, MDB_NEXT);
	}
	if (mrc == MDB_NOTFOUND)
		return SVL_ITEROVER;
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(it->txn.log, mrc, "iter next");
	uint64_t seq = k.mv_size == 8 ? svl__be64_get(k.mv_data) : 0;
	if (k.mv_size == 8 && it->last && seq > it->last)
		return SVL_ITEROVER;
	/* A damaged branch page can route a lookup to the wrong leaf: never
	 * hand out a record before the one asked for or already given. */
	if (k.mv_size == 8 && (seq < it->first || (it->at && seq <= it->at)))
		return svl__fail(it->txn.log, SVL_ECORRUPT,
				 "the events table gave seq %llu after seq "
				 "%llu was asked for: its B-tree is damaged "
				 "(svcledger verify names where)",
				 (unsigned long long)seq,
				 (unsigned long long)(it->at ? it->at + 1
							     : it->first));
	int rc = decode_at(it->txn.log, &k, &v, out);
	if (rc == SVL_OK)
		it->at = seq;
	return rc;
}

static int next_by_stream(svl_iter *it, svl_record *out)
{
	size_t klen = it->prefix_len + 8;
	MDB_val k = {klen, it->key}, v;
	int mrc = mdb_cursor_get(it->cur, &k, &v,
				 it->started ? MDB_NEXT : MDB_SET_RANGE);
	it->started = 1;
	if (mrc == MDB_NOTFOUND)
		return SVL_ITEROVER;
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(it->txn.log, mrc, "iter next");
	if (k.mv_size != klen || memcmp(k.mv_data, it->key, it->prefix_len))
		return SVL_ITEROVER;
	uint64_t ver = svl__be64_get((const uint8_t *)k.mv_data + it->prefix_len);
	if (it->last && ver > it->last)
		return SVL_ITEROVER;
	if (v.mv_size != 8)
		return svl__fail(it->txn.log, SVL_ECORRUPT,
				 "stream index value of %zu bytes", v.mv_size);
	int rc = svl_txn_record(&it->txn, svl__be64_get(v.mv_data), out);
	if (rc == SVL_OK && out->stream_version != ver)
		return svl__fail(it->txn.log, SVL_ECORRUPT,
				 "stream index version %llu points at a record "
				 "of version %llu",
				 (unsigned long long)ver,
				 (unsigned long long)out->stream_version);
	return rc == SVL_ENOTFOUND ? SVL_ECORRUPT : rc;
}

int svl_iter_next(svl_iter *it, svl_record *out)
{
	if (!it || !out)
		return svl__fail(NULL, SVL_EMISUSE, "iter: it and out required");
	return it->by_stream ? next_by_stream(it, out) : next_by_seq(it, out);
}

int svl_iter_seek(svl_iter *it, uint64_t seq, svl_record *out)
{
	if (!it || !out)
		return svl__fail(NULL, SVL_EMISUSE, "seek: it and out required");
	if (it->by_stream)
		return svl_txn_record(&it->txn, seq, out);
	uint8_t kb[8];
	svl__be64_put(kb, seq);
	MDB_val k = {8, kb}, v;
	/* Look before moving the cursor: LMDB leaves it at the end after a
	 * failed MDB_SET_KEY, so a seek to a missing seq would silently end
	 * the iteration instead of failing without effect. */
	int mrc = mdb_get(it->txn.txn, it->txn.log->events, &k, &v);
	if (mrc == MDB_SUCCESS)
		mrc = mdb_cursor_get(it->cur, &k, &v, MDB_SET_KEY);
	if (mrc == MDB_NOTFOUND)
		return svl__fail(it->txn.log, SVL_ENOTFOUND,
				 "no record at seq %llu",
				 (unsigned long long)seq);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(it->txn.log, mrc, "seek");
	it->started = 1;
	it->first = seq;
	it->at = seq;
	return decode_at(it->txn.log, &k, &v, out);
}

void svl_iter_close(svl_iter *it)
{
	if (!it)
		return;
	mdb_cursor_close(it->cur);
	if (!it->borrowed)
		svl__txn_end(&it->txn);
	free(it);
}

/* ---- handle-level lookups, each in its own snapshot ---- */

static int head_fn(svl_txn *t, void *payload)
{
	return svl_txn_head(t, payload);
}

int svl_log_head(svl_log *log, svl_head *out)
{
	if (!log || !out)
		return svl__fail(log, SVL_EMISUSE, "head: log and out required");
	return svl_log_read(log, head_fn, out);
}

struct version_arg {
	const char *stream;
	size_t len;
	uint64_t *out;
};

static int version_fn(svl_txn *t, void *payload)
{
	struct version_arg *a = payload;
	return svl_txn_stream_version(t, a->stream, a->len, a->out);
}

int svl_log_stream_version(svl_log *log, const char *stream,
			   size_t stream_len, uint64_t *out)
{
	struct version_arg a = {stream, stream_len, out};
	if (!log)
		return svl__fail(NULL, SVL_EMISUSE, "stream version: no log");
	return svl_log_read(log, version_fn, &a);
}

static int find_fn(svl_txn *t, void *payload)
{
	struct {
		const uint8_t *id;
		uint64_t *seq;
	} *a = payload;
	MDB_val k = {SVL_ID_SIZE, (void *)a->id}, v;
	int mrc = mdb_get(t->txn, t->log->ids, &k, &v);
	if (mrc == MDB_NOTFOUND) {
		/* a caller-facing miss: say so, or the detail would be
		 * whatever failed last on this thread */
		char hex[2 * SVL_ID_SIZE + 1];
		for (int i = 0; i < SVL_ID_SIZE; i++)
			snprintf(hex + 2 * i, 3, "%02x", a->id[i]);
		return svl__fail(t->log, SVL_ENOTFOUND,
				 "event id %s is not in the log", hex);
	}
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(t->log, mrc, "find id");
	if (v.mv_size != 8)
		return svl__fail(t->log, SVL_ECORRUPT, "ids value size");
	*a->seq = svl__be64_get(v.mv_data);
	return SVL_OK;
}

int svl_log_find_id(svl_log *log, const uint8_t id[SVL_ID_SIZE],
		    uint64_t *seq_out)
{
	struct {
		const uint8_t *id;
		uint64_t *seq;
	} a = {id, seq_out};
	if (!log || !id || !seq_out)
		return svl__fail(log, SVL_EMISUSE, "find id: bad arguments");
	return svl_log_read(log, find_fn, &a);
}
