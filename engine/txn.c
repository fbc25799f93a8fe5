/*
 * txn.c - transactions: the write loop that survives a full map, read
 * snapshots, and the table and cursor calls of the layers above.
 *
 * Map growth: LMDB may only resize the map while no transaction of this
 * process is open. Every transaction therefore holds log->map_lock shared;
 * growth takes it exclusive. When a write fails with MDB_MAP_FULL the
 * transaction is aborted (nothing of it remains), the map is doubled, and
 * the caller's function runs again from the start: a batch is never lost and
 * never half-written. When another process grew the file first, LMDB says
 * MDB_MAP_RESIZED and we adopt its size the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <sys/statvfs.h>

#include "internal.h"

#define SVL_GROW_WAIT_S 30
#define SVL_WRITE_RETRIES 64

int64_t svl__now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Grow the map: adopt another process's size, or double the map that was
 * found full (`full_size`). Threads that met the same full map queue here
 * one after the other; only the first doubles it, the others find it grown
 * already and just retry (without that, n threads grew it 2^n-fold).
 */
static int map_grow(svl_log *log, int adopt, size_t full_size)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SVL_GROW_WAIT_S;
	int e = pthread_rwlock_timedwrlock(&log->map_lock, &until);
	if (e != 0)
		return svl__fail(log, SVL_EBUSY,
				 "map is full and cannot grow: a snapshot of "
				 "this process stayed open for %d s",
				 SVL_GROW_WAIT_S);
	MDB_envinfo info;
	mdb_env_info(log->env, &info);
	if (!adopt && info.me_mapsize > full_size) {
		pthread_rwlock_unlock(&log->map_lock);
		return SVL_OK;
	}
	size_t size = adopt ? 0 : info.me_mapsize * 2;
	int mrc = mdb_env_set_mapsize(log->env, size);
	if (mrc == MDB_SUCCESS) {
		mdb_env_info(log->env, &info);
		log->map_size = info.me_mapsize;
	}
	pthread_rwlock_unlock(&log->map_lock);
	return mrc == MDB_SUCCESS ? SVL_OK : svl__lmdb(log, mrc, "grow map");
}

int svl__txn_begin(svl_log *log, int write, svl_txn *t)
{
	memset(t, 0, sizeof *t);
	t->log = log;
	t->write = write;
	for (int tries = 0; tries < SVL_WRITE_RETRIES; tries++) {
		pthread_rwlock_rdlock(&log->map_lock);
		int mrc = mdb_txn_begin(log->env, NULL, write ? 0 : MDB_RDONLY,
					&t->txn);
		if (mrc == MDB_SUCCESS)
			return SVL_OK;
		pthread_rwlock_unlock(&log->map_lock);
		if (mrc != MDB_MAP_RESIZED)
			return svl__lmdb(log, mrc, "begin transaction");
		int rc = map_grow(log, 1, 0);
		if (rc != SVL_OK)
			return rc;
	}
	return svl__fail(log, SVL_EBUSY, "map keeps being resized");
}

/* Release what the transaction holds (after commit or abort). */
void svl__txn_end(svl_txn *t)
{
	if (t->txn) {
		mdb_txn_abort(t->txn);
		t->txn = NULL;
	}
	pthread_rwlock_unlock(&t->log->map_lock);
	free(t->streams.slots);
	free(t->buf);
	free(t->recs);
	t->streams.slots = NULL;
	t->buf = NULL;
	t->recs = NULL;
}

/* LMDB reports a short write of a full disk as EIO: say what it was. */
static const char *commit_what(const svl_log *log, int mrc)
{
	struct statvfs fs;
	if ((mrc == EIO || mrc == ENOSPC) && statvfs(log->path, &fs) == 0 &&
	    (uint64_t)fs.f_bavail * fs.f_frsize < SVL_DISK_LOW_BYTES)
		return "commit: no space left on the device";
	return "commit";
}

int svl_log_write(svl_log *log, svl_txn_fn fn, void *payload)
{
	if (!log || !fn)
		return svl__fail(log, SVL_EMISUSE, "write: log and fn required");
	if (log->flags & SVL_LOG_RDONLY)
		return svl__fail(log, SVL_EREADONLY, "%s is open read-only",
				 log->path);
	for (int tries = 0; tries < SVL_WRITE_RETRIES; tries++) {
		svl_txn t;
		int rc = svl__txn_begin(log, 1, &t);
		if (rc != SVL_OK)
			return rc;
		size_t map_size = log->map_size; /* stable: map_lock is held */
		svl__map_full_take();
		rc = fn(&t, payload);
		if (rc == SVL_OK && t.failed)
			rc = t.failed; /* it holds half a batch: never commit */
		if (rc == SVL_OK) {
			int mrc = mdb_txn_commit(t.txn);
			t.txn = NULL;
			if (mrc != MDB_SUCCESS)
				rc = svl__lmdb(log, mrc, commit_what(log, mrc));
		}
		svl__txn_end(&t);
		if (rc == SVL_OK && log->commit_hook)
			log->commit_hook(log, log->commit_payload);
		if (rc == SVL_OK || !svl__map_full_take())
			return rc;
		if ((rc = map_grow(log, 0, map_size)) != SVL_OK)
			return rc;
	}
	return svl__fail(log, SVL_ELIMIT, "map still full after %d growths",
			 SVL_WRITE_RETRIES);
}

int svl_log_read(svl_log *log, svl_txn_fn fn, void *payload)
{
	if (!log || !fn)
		return svl__fail(log, SVL_EMISUSE, "read: log and fn required");
	svl_txn t;
	int rc = svl__txn_begin(log, 0, &t);
	if (rc != SVL_OK)
		return rc;
	rc = fn(&t, payload);
	svl__txn_end(&t);
	return rc;
}

int svl_log_snapshot_open(svl_log *log, svl_txn **out)
{
	if (!out)
		return svl__fail(log, SVL_EMISUSE, "snapshot: out required");
	*out = NULL;
	if (!log)
		return svl__fail(log, SVL_EMISUSE, "snapshot: log required");
	svl_txn *t = malloc(sizeof *t);
	if (!t)
		return svl__fail(log, SVL_ENOMEM, "snapshot: out of memory");
	int rc = svl__txn_begin(log, 0, t);
	if (rc != SVL_OK) {
		free(t);
		return rc;
	}
	*out = t;
	return SVL_OK;
}

void svl_log_snapshot_close(svl_txn *t)
{
	if (!t)
		return;
	svl__txn_end(t);
	free(t);
}

svl_log *svl_txn_log(svl_txn *txn)
{
	return txn->log;
}

int svl_txn_is_write(const svl_txn *txn)
{
	return txn->write;
}

/* ---- tables ---- */

static int table_dbi(svl_txn *t, unsigned table, MDB_dbi *dbi)
{
	if (!t || table >= t->log->n_tables)
		return svl__fail(t ? t->log : NULL, SVL_EMISUSE,
				 "no table with handle %u", table);
	*dbi = t->log->tables[table];
	return SVL_OK;
}

int svl_txn_get(svl_txn *txn, unsigned table, const void *key,
		size_t key_len, const void **val, size_t *val_len)
{
	MDB_dbi dbi = 0;
	int rc = table_dbi(txn, table, &dbi);
	if (rc != SVL_OK)
		return rc;
	MDB_val k = {key_len, (void *)key}, v;
	int mrc = mdb_get(txn->txn, dbi, &k, &v);
	if (mrc == MDB_NOTFOUND)
		return SVL_ENOTFOUND;
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(txn->log, mrc, "table get");
	*val = v.mv_data;
	*val_len = v.mv_size;
	return SVL_OK;
}

int svl_txn_put(svl_txn *txn, unsigned table, const void *key,
		size_t key_len, const void *val, size_t val_len)
{
	MDB_dbi dbi = 0;
	int rc = table_dbi(txn, table, &dbi);
	if (rc != SVL_OK)
		return rc;
	if (!txn->write)
		return svl__fail(txn->log, SVL_EREADONLY,
				 "table put in a read snapshot");
	MDB_val k = {key_len, (void *)key}, v = {val_len, (void *)val};
	int mrc = mdb_put(txn->txn, dbi, &k, &v, 0);
	return mrc == MDB_SUCCESS ? SVL_OK
				  : svl__lmdb(txn->log, mrc, "table put");
}

int svl_txn_del(svl_txn *txn, unsigned table, const void *key,
		size_t key_len)
{
	MDB_dbi dbi = 0;
	int rc = table_dbi(txn, table, &dbi);
	if (rc != SVL_OK)
		return rc;
	MDB_val k = {key_len, (void *)key};
	int mrc = mdb_del(txn->txn, dbi, &k, NULL);
	if (mrc == MDB_NOTFOUND)
		return SVL_ENOTFOUND;
	return mrc == MDB_SUCCESS ? SVL_OK
				  : svl__lmdb(txn->log, mrc, "table del");
}

static int drop_fn(svl_txn *t, void *payload)
{
	const unsigned *arg = payload;
	MDB_dbi dbi = 0;
	int rc = table_dbi(t, arg[0], &dbi);
	if (rc != SVL_OK)
		return rc;
	int mrc = mdb_drop(t->txn, dbi, 0);
	return mrc == MDB_SUCCESS ? SVL_OK : svl__lmdb(t->log, mrc, "drop");
}

int svl_txn_table_clear(svl_txn *txn, unsigned table)
{
	MDB_dbi dbi = 0;
	int rc = table_dbi(txn, table, &dbi);
	if (rc != SVL_OK)
		return rc;
	if (!txn->write)
		return svl__fail(txn->log, SVL_EREADONLY,
				 "table clear in a read snapshot");
	int mrc = mdb_drop(txn->txn, dbi, 0);
	return mrc == MDB_SUCCESS ? SVL_OK : svl__lmdb(txn->log, mrc, "clear");
}

int svl_log_table_drop(svl_log *log, unsigned table, int del)
{
	/* Deleting the LMDB handle would invalidate table numbers held by
	 * callers; a deleted table is emptied and its handle kept. */
	(void)del;
	unsigned arg[1] = {table};
	return svl_log_write(log, drop_fn, arg);
}

/* ---- cursors ---- */

struct svl_cursor {
	svl_txn *txn;
	MDB_cursor *cur;
};

int svl_cursor_open(svl_txn *txn, unsigned table, svl_cursor **out)
{
	MDB_dbi dbi = 0;
	int rc = table_dbi(txn, table, &dbi);
	if (rc != SVL_OK)
		return rc;
	svl_cursor *c = calloc(1, sizeof *c);
	if (!c)
		return svl__fail(txn->log, SVL_ENOMEM, "cursor: out of memory");
	int mrc = mdb_cursor_open(txn->txn, dbi, &c->cur);
	if (mrc != MDB_SUCCESS) {
		free(c);
		return svl__lmdb(txn->log, mrc, "cursor open");
	}
	c->txn = txn;
	*out = c;
	return SVL_OK;
}

static int cursor_get(svl_cursor *c, MDB_val *k, MDB_cursor_op op,
		      svl_kv *out)
{
	MDB_val v;
	int mrc = mdb_cursor_get(c->cur, k, &v, op);
	if (mrc == MDB_NOTFOUND)
		return SVL_ITEROVER;
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(c->txn->log, mrc, "cursor");
	out->key = k->mv_data;
	out->key_len = k->mv_size;
	out->val = v.mv_data;
	out->val_len = v.mv_size;
	return SVL_OK;
}

int svl_cursor_seek(svl_cursor *cur, const void *key, size_t key_len,
		    svl_kv *out)
{
	MDB_val k = {key_len, (void *)key};
	return cursor_get(cur, &k, key ? MDB_SET_RANGE : MDB_FIRST, out);
}

int svl_cursor_seek_le(svl_cursor *cur, const void *key, size_t key_len,
		       svl_kv *out)
{
	MDB_val k = {key_len, (void *)key};
	if (!key)
		return cursor_get(cur, &k, MDB_LAST, out);
	int rc = cursor_get(cur, &k, MDB_SET_RANGE, out);
	if (rc == SVL_ITEROVER)
		return cursor_get(cur, &k, MDB_LAST, out);
	if (rc != SVL_OK)
		return rc;
	if (out->key_len == key_len && memcmp(out->key, key, key_len) == 0)
		return SVL_OK;
	return cursor_get(cur, &k, MDB_PREV, out);
}

int svl_cursor_next(svl_cursor *cur, svl_kv *out)
{
	MDB_val k;
	return cursor_get(cur, &k, MDB_NEXT, out);
}

int svl_cursor_prev(svl_cursor *cur, svl_kv *out)
{
	MDB_val k;
	return cursor_get(cur, &k, MDB_PREV, out);
}

void svl_cursor_close(svl_cursor *cur)
{
	if (!cur)
		return;
	mdb_cursor_close(cur->cur);
	free(cur);
}

int svl__txn_failed(const svl_txn *t)
{
	return t->failed;
}
