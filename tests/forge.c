/*
 * forge.c - see forge.h.
 *
 * Shape: every record forgery is a callback that forge_write() runs in one
 * write transaction. forge_write() opens the environment as engine/log.c
 * does (the four named tables, its max dbs; the map size the file already
 * has), doubles the map and runs the callback again from the start when
 * LMDB finds the map full, and commits or aborts. Envelopes are read by a
 * decoder of only what a forger needs: the scalars before the payload
 * (elements 0-12 of docs/format.md), never the payload itself.
 *
 * Invariants:
 *  1. A record is rewritten with a value of its own length, so keys and
 *     the tree's shape stay as they were.
 *  2. prev_hash is overwritten only where the envelope's last 18 bytes
 *     start with c4 10 (bin 8 of 16 bytes), as the format guarantees.
 *  3. meta "head" is rewritten by every forgery that changes a record.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* pread, pwrite, fsync, O_CLOEXEC */
#endif

#include "forge.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lmdb.h>
#include <xxhash.h>

#define FORGE_MAXDBS 36 /* 4 + SVL_TABLES_MAX, as engine/log.c opens it */
#define FORGE_HASH 16	/* XXH3-128, canonical form */
#define FORGE_ID 16	/* event id */
#define FORGE_TAIL 18	/* c4 10 + prev_hash: an envelope's last bytes */
#define FORGE_HEAD 24	/* meta "head": seq u64 BE + hash */
#define FORGE_STREAM_KEY (1 + 255 + 8)
#define FORGE_GROW_TRIES 8
#define FORGE_OWN (-1) /* a failure of ours, its message already in err */

/* MDB_meta of LMDB 0.9 on a 64-bit host, after the 16-byte page header:
 * mm_magic u32, mm_version u32, mm_address, mm_mapsize, mm_dbs[2] (48 bytes
 * each), mm_last_pg, mm_txnid. Written in host byte order. */
#define META_AT 16
#define META_MAGIC 0xBEEFC0DEu
#define META_VERSION 1u
#define META_TXNID (META_AT + 4 + 4 + 8 + 8 + 2 * 48 + 8)

_Static_assert(sizeof(size_t) == 8 && sizeof(void *) == 8,
	       "the MDB_meta offsets are those of a 64-bit host");
_Static_assert(META_TXNID == 144, "mm_txnid is 128 bytes into MDB_meta");

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put a one-line message in err (when the caller gave one); returns -1. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return FORGE_OWN;
}

static void be64_put(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t be64_get(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* Store the hash of record rec's envelope (len: the whole record) in its
 * last 16 bytes, as anyone who can write the file can. */
static void rehash(uint8_t *rec, size_t len)
{
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits(rec, len - FORGE_HASH));
	memcpy(rec + len - FORGE_HASH, c.digest, FORGE_HASH);
}

/* ---- the envelope, as far as a forger reads it ---- */

/* What a forgery needs of an envelope; pointers borrow its bytes. */
typedef struct forge_fields {
	const uint8_t *stream;
	size_t stream_len;
	uint64_t version;
	const uint8_t *id;  /* FORGE_ID bytes */
	size_t payload_at;  /* element 13's offset in the envelope */
	size_t payload_len; /* from there up to prev_hash's c4 10 */
} forge_fields;

/* One msgpack int, nil, str or bin at p[*at..n): an unsigned int's value
 * in *u (0 for the others), a str's or bin's length in *dlen (its bytes end
 * at the new *at). *at moves past the item. -1 for any other type or an
 * item running past n. */
static int mp_scalar(const uint8_t *p, size_t n, size_t *at, uint64_t *u,
		     size_t *dlen)
{
	if (*at >= n)
		return -1;
	uint8_t b = p[(*at)++];
	int bytes = (b >= 0xa0 && b <= 0xbf) || (b >= 0xc4 && b <= 0xc6) ||
		    (b >= 0xd9 && b <= 0xdb);
	size_t w = 0; /* width of the int or length that follows */
	*u = 0;
	*dlen = b >= 0xa0 && b <= 0xbf ? b & 0x1fu : 0;
	if (b <= 0x7f)
		*u = b;
	else if (b == 0xcc || b == 0xd0 || b == 0xc4 || b == 0xd9)
		w = 1;
	else if (b == 0xcd || b == 0xd1 || b == 0xc5 || b == 0xda)
		w = 2;
	else if (b == 0xce || b == 0xd2 || b == 0xc6 || b == 0xdb)
		w = 4;
	else if (b == 0xcf || b == 0xd3)
		w = 8;
	else if (!(b >= 0xe0 || b == 0xc0 || bytes))
		return -1;
	if (w > n - *at)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < w; i++)
		v = v << 8 | p[(*at)++];
	if (!bytes) {
		*u = w ? v : *u; /* a signed int's value is of no use here */
		return 0;
	}
	*dlen = w ? v : *dlen;
	if (*dlen > n - *at)
		return -1;
	*at += *dlen;
	return 0;
}

/* Decode the envelope env (len bytes: a record without its hash) as far
 * as the payload. -1 when it is not shaped as docs/format.md says. */
static int fields_get(const uint8_t *env, size_t len, forge_fields *f)
{
	memset(f, 0, sizeof *f);
	if (len < 1 + FORGE_TAIL || env[0] != 0x9f ||
	    env[len - FORGE_TAIL] != 0xc4 || env[len - FORGE_TAIL + 1] != 0x10)
		return -1;
	size_t at = 1;
	for (int i = 0; i <= 12; i++) {
		uint64_t u;
		size_t dlen;
		if (mp_scalar(env, len - FORGE_TAIL, &at, &u, &dlen) != 0)
			return -1;
		if (i == 2) {
			f->stream = env + at - dlen;
			f->stream_len = dlen;
		} else if (i == 3) {
			f->version = u;
		} else if (i == 8) {
			f->id = env + at - dlen;
			if (dlen != FORGE_ID)
				return -1;
		}
	}
	f->payload_at = at;
	f->payload_len = len - FORGE_TAIL - at;
	return f->stream_len >= 1 && f->stream_len <= 255 ? 0 : -1;
}

/* ---- one write transaction ---- */

/* A write transaction on a ledger, with its four tables open. */
typedef struct forge_db {
	MDB_txn *txn;
	MDB_dbi events, streams, ids, meta;
	char *err;
	size_t errlen;
} forge_db;

/* A forgery: MDB_SUCCESS, an LMDB code, or FORGE_OWN. */
typedef int (*forge_fn)(forge_db *db, void *ctx);

/* Step `what` failed with LMDB code rc: say so in db->err; returns rc. */
static int lmdb_fail(forge_db *db, int rc, const char *what)
{
	fail(db->err, db->errlen, "%s: %s", what, mdb_strerror(rc));
	return rc;
}

/* dir's environment as engine/log.c opens it; its map size is the file's. */
static int env_open(const char *dir, MDB_env **out, char *err, size_t errlen)
{
	char path[4096];
	*out = NULL;
	if (snprintf(path, sizeof path, "%s/data.mdb", dir) >= (int)sizeof path)
		return fail(err, errlen, "%s: path too long", dir);
	if (access(path, F_OK) != 0) /* else LMDB would make a new one */
		return fail(err, errlen, "%s: no ledger here: %s", dir,
			    strerror(errno));
	MDB_env *env;
	int rc = mdb_env_create(&env);
	if (rc != MDB_SUCCESS)
		return fail(err, errlen, "%s: %s", dir, mdb_strerror(rc));
	mdb_env_set_maxdbs(env, FORGE_MAXDBS);
	rc = mdb_env_open(env, dir, MDB_NOTLS, 0644);
	if (rc != MDB_SUCCESS) {
		mdb_env_close(env);
		return fail(err, errlen, "open %s: %s", dir, mdb_strerror(rc));
	}
	*out = env;
	return 0;
}

static int tables_open(forge_db *db)
{
	struct {
		const char *name;
		MDB_dbi *dbi;
	} t[] = {{"events", &db->events},
		 {"streams", &db->streams},
		 {"ids", &db->ids},
		 {"meta", &db->meta}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int rc = mdb_dbi_open(db->txn, t[i].name, 0, t[i].dbi);
		if (rc != MDB_SUCCESS)
			return lmdb_fail(db, rc, t[i].name);
	}
	return MDB_SUCCESS;
}

/* Run fn in one write transaction on dir's ledger and commit it. A full
 * map is doubled and fn run again from the start (nothing of the aborted
 * attempt remains). */
static int forge_write(const char *dir, forge_fn fn, void *ctx, char *err,
		       size_t errlen)
{
	MDB_env *env;
	if (env_open(dir, &env, err, errlen) != 0)
		return -1;
	forge_db db = {.err = err, .errlen = errlen};
	int rc = MDB_MAP_FULL;
	for (int tries = 0; rc == MDB_MAP_FULL && tries < FORGE_GROW_TRIES;
	     tries++) {
		rc = mdb_txn_begin(env, NULL, 0, &db.txn);
		if (rc != MDB_SUCCESS) {
			lmdb_fail(&db, rc, "begin transaction");
			break;
		}
		rc = tables_open(&db);
		if (rc == MDB_SUCCESS)
			rc = fn(&db, ctx);
		if (rc != MDB_SUCCESS)
			mdb_txn_abort(db.txn);
		else if ((rc = mdb_txn_commit(db.txn)) != MDB_SUCCESS)
			lmdb_fail(&db, rc, "commit");
		MDB_envinfo info;
		if (rc == MDB_MAP_FULL && mdb_env_info(env, &info) == 0)
			mdb_env_set_mapsize(env, info.me_mapsize * 2);
	}
	mdb_env_close(env);
	return rc == MDB_SUCCESS ? 0 : -1;
}

/* ---- record forgeries ---- */

static int head_put(forge_db *db, uint64_t seq, const uint8_t *hash)
{
	uint8_t h[FORGE_HEAD];
	be64_put(h, seq);
	memcpy(h + 8, hash, FORGE_HASH);
	MDB_val k = {4, "head"}, v = {sizeof h, h};
	int rc = mdb_put(db->txn, db->meta, &k, &v, 0);
	return rc == MDB_SUCCESS ? rc : lmdb_fail(db, rc, "write head");
}

/* Give the record under cur (key k, value v) the prev_hash `hash`, rehash
 * it and store it in place (invariants 1, 2); `hash` becomes its new hash
 * and *seq its seq. */
static int relink(forge_db *db, MDB_cursor *cur, const MDB_val *k,
		  const MDB_val *v, uint8_t *hash, uint64_t *seq)
{
	size_t len = v->mv_size;
	const uint8_t *old = v->mv_data;
	uint8_t kb[8];
	if (k->mv_size != 8)
		return fail(db->err, db->errlen, "events key of %zu bytes",
			    k->mv_size);
	memcpy(kb, k->mv_data, 8);
	*seq = be64_get(kb);
	size_t tail = len < FORGE_HASH + 1 + FORGE_TAIL
			  ? 0
			  : len - FORGE_HASH - FORGE_TAIL;
	if (tail == 0 || old[tail] != 0xc4 || old[tail + 1] != 0x10)
		return fail(db->err, db->errlen,
			    "seq %llu: envelope does not end in a bin 8 "
			    "prev_hash",
			    (unsigned long long)*seq);
	uint8_t *rec = malloc(len);
	if (!rec)
		return fail(db->err, db->errlen, "out of memory");
	memcpy(rec, old, len);
	memcpy(rec + tail + 2, hash, FORGE_HASH);
	rehash(rec, len);
	memcpy(hash, rec + len - FORGE_HASH, FORGE_HASH);
	MDB_val nk = {8, kb}, nv = {len, rec};
	int rc = mdb_cursor_put(cur, &nk, &nv, MDB_CURRENT);
	free(rec);
	return rc == MDB_SUCCESS ? rc : lmdb_fail(db, rc, "rewrite record");
}

/* Record seq now has hash `hash`: relink every later record and point
 * head at the last one (invariant 3). */
static int rechain(forge_db *db, uint64_t seq, uint8_t *hash)
{
	uint8_t kb[8];
	be64_put(kb, seq);
	MDB_val k = {8, kb}, v;
	MDB_cursor *cur;
	int rc = mdb_cursor_open(db->txn, db->events, &cur);
	if (rc != MDB_SUCCESS)
		return lmdb_fail(db, rc, "open cursor");
	uint64_t last = seq;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET);
	if (rc != MDB_SUCCESS)
		rc = lmdb_fail(db, rc, "find the edited record");
	while (rc == MDB_SUCCESS) {
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		if (rc == MDB_NOTFOUND) {
			rc = head_put(db, last, hash);
			break;
		}
		if (rc != MDB_SUCCESS)
			rc = lmdb_fail(db, rc, "next record");
		else
			rc = relink(db, cur, &k, &v, hash, &last);
	}
	mdb_cursor_close(cur);
	return rc;
}

/* An edit of one record: len bytes of `bytes` at payload offset off, or in
 * place of the first occurrence of `find` in the envelope. */
typedef struct forge_edit {
	uint64_t seq;
	size_t off;
	const uint8_t *find; /* NULL: at payload offset off */
	const uint8_t *bytes;
	size_t len;
} forge_edit;

/* Where in record rec (len bytes, hash included) edit e goes. */
static int edit_at(forge_db *db, const forge_edit *e, const uint8_t *rec,
		   size_t len, size_t *at)
{
	unsigned long long seq = (unsigned long long)e->seq;
	size_t env_len = len - FORGE_HASH;
	if (e->find) {
		for (size_t i = 0; e->len <= env_len && i <= env_len - e->len;
		     i++)
			if (memcmp(rec + i, e->find, e->len) == 0) {
				*at = i;
				return MDB_SUCCESS;
			}
		return fail(db->err, db->errlen,
			    "seq %llu: the %zu bytes to replace are not in "
			    "its envelope",
			    seq, e->len);
	}
	forge_fields f;
	if (fields_get(rec, env_len, &f) != 0)
		return fail(db->err, db->errlen,
			    "seq %llu: envelope not decodable", seq);
	if (e->off > f.payload_len || e->len > f.payload_len - e->off)
		return fail(db->err, db->errlen,
			    "seq %llu: %zu bytes at %zu run past its payload "
			    "of %zu bytes",
			    seq, e->len, e->off, f.payload_len);
	*at = f.payload_at + e->off;
	return MDB_SUCCESS;
}

static int edit_txn(forge_db *db, void *ctx)
{
	const forge_edit *e = ctx;
	uint8_t kb[8], hash[FORGE_HASH];
	be64_put(kb, e->seq);
	MDB_val k = {8, kb}, v;
	int rc = mdb_get(db->txn, db->events, &k, &v);
	if (rc == MDB_NOTFOUND)
		return fail(db->err, db->errlen, "no record seq %llu",
			    (unsigned long long)e->seq);
	if (rc != MDB_SUCCESS)
		return lmdb_fail(db, rc, "read record");
	size_t len = v.mv_size, at = 0;
	if (len < FORGE_HASH + 1 + FORGE_TAIL)
		return fail(db->err, db->errlen, "seq %llu: %zu-byte record",
			    (unsigned long long)e->seq, len);
	uint8_t *rec = malloc(len);
	if (!rec)
		return fail(db->err, db->errlen, "out of memory");
	memcpy(rec, v.mv_data, len);
	rc = edit_at(db, e, rec, len, &at);
	if (rc == MDB_SUCCESS) {
		memcpy(rec + at, e->bytes, e->len);
		rehash(rec, len);
		memcpy(hash, rec + len - FORGE_HASH, FORGE_HASH);
		MDB_val nv = {len, rec};
		if ((rc = mdb_put(db->txn, db->events, &k, &nv, 0)) != 0)
			lmdb_fail(db, rc, "write record");
	}
	free(rec);
	return rc == MDB_SUCCESS ? rechain(db, e->seq, hash) : rc;
}

int forge_edit_record(const char *dir, uint64_t seq, size_t off,
		      const void *bytes, size_t len, char *err, size_t errlen)
{
	if (!dir || !bytes || len == 0)
		return fail(err, errlen,
			    "edit: dir, bytes and len > 0 are required");
	forge_edit e = {.seq = seq, .off = off, .bytes = bytes, .len = len};
	return forge_write(dir, edit_txn, &e, err, errlen);
}

int forge_replace_in_record(const char *dir, uint64_t seq, const void *find,
			    const void *repl, size_t len, char *err,
			    size_t errlen)
{
	if (!dir || !find || !repl || len == 0)
		return fail(err, errlen,
			    "replace: dir, find, repl, len > 0 are required");
	forge_edit e = {.seq = seq, .find = find, .bytes = repl, .len = len};
	return forge_write(dir, edit_txn, &e, err, errlen);
}

/* ---- tail cut ---- */

/* Delete index entry key of table dbi (`name`), which must map to seq. */
static int index_del(forge_db *db, MDB_dbi dbi, const char *name, MDB_val *key,
		     uint64_t seq)
{
	MDB_val v;
	int rc = mdb_get(db->txn, dbi, key, &v);
	if (rc == MDB_NOTFOUND ||
	    (rc == MDB_SUCCESS &&
	     (v.mv_size != 8 || be64_get(v.mv_data) != seq)))
		return fail(db->err, db->errlen,
			    "seq %llu: its %s entry is missing or names "
			    "another seq",
			    (unsigned long long)seq, name);
	if (rc == MDB_SUCCESS)
		rc = mdb_del(db->txn, dbi, key, NULL);
	return rc == MDB_SUCCESS ? rc : lmdb_fail(db, rc, name);
}

/* Delete the record under cur (key k, value v) and its index entries. */
static int cut_one(forge_db *db, MDB_cursor *cur, const MDB_val *k,
		   const MDB_val *v)
{
	forge_fields f;
	if (k->mv_size != 8)
		return fail(db->err, db->errlen, "events key of %zu bytes",
			    k->mv_size);
	uint64_t seq = be64_get(k->mv_data);
	if (v->mv_size < FORGE_HASH ||
	    fields_get(v->mv_data, v->mv_size - FORGE_HASH, &f) != 0)
		return fail(db->err, db->errlen,
			    "seq %llu: envelope not decodable",
			    (unsigned long long)seq);
	/* copies: f borrows the record, which is deleted below */
	uint8_t sk[FORGE_STREAM_KEY], id[FORGE_ID];
	sk[0] = (uint8_t)f.stream_len;
	memcpy(sk + 1, f.stream, f.stream_len);
	be64_put(sk + 1 + f.stream_len, f.version);
	memcpy(id, f.id, FORGE_ID);
	MDB_val skv = {1 + f.stream_len + 8, sk}, idv = {FORGE_ID, id};
	int rc = index_del(db, db->streams, "streams", &skv, seq);
	if (rc == MDB_SUCCESS)
		rc = index_del(db, db->ids, "ids", &idv, seq);
	if (rc == MDB_SUCCESS && (rc = mdb_cursor_del(cur, 0)) != 0)
		lmdb_fail(db, rc, "delete record");
	return rc;
}

/* Head for the last record left under cur: seq 0 and the zero hash when
 * none is. */
static int head_of_last(forge_db *db, MDB_cursor *cur)
{
	uint8_t hash[FORGE_HASH] = {0};
	uint64_t seq = 0;
	MDB_val k, v;
	int rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == MDB_SUCCESS && (k.mv_size != 8 || v.mv_size < FORGE_HASH))
		return fail(db->err, db->errlen, "last record malformed");
	if (rc == MDB_SUCCESS) {
		seq = be64_get(k.mv_data);
		memcpy(hash,
		       (const uint8_t *)v.mv_data + v.mv_size - FORGE_HASH,
		       FORGE_HASH);
	} else if (rc != MDB_NOTFOUND) {
		return lmdb_fail(db, rc, "last record");
	}
	return head_put(db, seq, hash);
}

static int cut_txn(forge_db *db, void *ctx)
{
	uint64_t n = *(const uint64_t *)ctx;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open(db->txn, db->events, &cur);
	if (rc != MDB_SUCCESS)
		return lmdb_fail(db, rc, "open cursor");
	for (uint64_t i = 0; rc == MDB_SUCCESS && i < n; i++) {
		rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
		if (rc == MDB_NOTFOUND)
			rc = fail(db->err, db->errlen,
				  "cannot cut %llu records: the log holds "
				  "%llu",
				  (unsigned long long)n, (unsigned long long)i);
		else if (rc != MDB_SUCCESS)
			lmdb_fail(db, rc, "last record");
		else
			rc = cut_one(db, cur, &k, &v);
	}
	if (rc == MDB_SUCCESS)
		rc = head_of_last(db, cur);
	mdb_cursor_close(cur);
	return rc;
}

int forge_cut_tail(const char *dir, uint64_t n, char *err, size_t errlen)
{
	if (!dir || n == 0)
		return fail(err, errlen, "cut: dir and n > 0 are required");
	return forge_write(dir, cut_txn, &n, err, errlen);
}

/* ---- rollback ---- */

/* The last committed txn id and the page size of dir's environment. */
static int env_txnid(const char *dir, uint64_t *txnid, uint32_t *psize,
		     char *err, size_t errlen)
{
	MDB_env *env;
	MDB_envinfo info;
	MDB_stat st;
	if (env_open(dir, &env, err, errlen) != 0)
		return -1;
	int rc = mdb_env_info(env, &info);
	if (rc == MDB_SUCCESS)
		rc = mdb_env_stat(env, &st);
	mdb_env_close(env);
	if (rc != MDB_SUCCESS)
		return fail(err, errlen, "%s: %s", dir, mdb_strerror(rc));
	*txnid = info.me_last_txnid;
	*psize = st.ms_psize;
	return 0;
}

/* The txn ids of fd's two meta pages; -1 when one is not a meta page. */
static int meta_txnids(int fd, uint32_t psize, uint64_t txn[2])
{
	for (int i = 0; i < 2; i++) {
		uint8_t m[META_TXNID + 8];
		uint32_t magic, version;
		if (pread(fd, m, sizeof m, (off_t)i * psize) !=
		    (ssize_t)sizeof m)
			return -1;
		memcpy(&magic, m + META_AT, 4);
		memcpy(&version, m + META_AT + 4, 4);
		memcpy(&txn[i], m + META_TXNID, 8);
		if (magic != META_MAGIC || version != META_VERSION)
			return -1;
	}
	return 0;
}

/* Set to 0 the txn id of the meta page of dir/data.mdb that holds txn
 * `last`, once the other is seen to hold last - 1. */
static int meta_zap(const char *dir, uint32_t psize, uint64_t last, char *err,
		    size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	uint64_t txn[2] = {0, 0};
	int rc = meta_txnids(fd, psize, txn);
	int newer = txn[1] == last;
	if (rc != 0)
		fail(err, errlen, "%s: no two LMDB 0.9 meta pages", path);
	else if (txn[newer] != last || txn[!newer] != last - 1)
		rc = fail(err, errlen,
			  "%s: meta pages hold txns %llu and %llu, not %llu "
			  "and the one before",
			  path, (unsigned long long)txn[0],
			  (unsigned long long)txn[1], (unsigned long long)last);
	static const uint8_t zero[8];
	off_t at = (off_t)newer * psize + META_TXNID;
	if (rc == 0 && (pwrite(fd, zero, sizeof zero, at) != sizeof zero ||
			fsync(fd) != 0))
		rc = fail(err, errlen, "%s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

int forge_rollback_last_txn(const char *dir, char *err, size_t errlen)
{
	uint64_t before, after;
	uint32_t psize;
	if (!dir)
		return fail(err, errlen, "rollback: dir is required");
	if (env_txnid(dir, &before, &psize, err, errlen) != 0)
		return -1;
	if (before == 0)
		return fail(err, errlen, "%s: nothing committed to roll back",
			    dir);
	if (meta_zap(dir, psize, before, err, errlen) != 0 ||
	    env_txnid(dir, &after, &psize, err, errlen) != 0)
		return -1;
	if (after != before - 1)
		return fail(err, errlen,
			    "%s: after the rollback LMDB opens txn %llu, not "
			    "%llu (is the ledger open elsewhere?)",
			    dir, (unsigned long long)after,
			    (unsigned long long)(before - 1));
	return 0;
}
