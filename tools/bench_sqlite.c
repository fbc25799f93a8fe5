/*
 * bench_sqlite.c - the peer in `svcledger bench --peer sqlite`: what a
 * user would pick instead of this engine, an SQL database, doing the same
 * work in the same run. SQLite (libsqlite3) in WAL mode, synchronous=FULL
 * for the durable cases (every commit synced, as ours) and OFF for the
 * NOSYNC ones; the same events in a plain event table:
 *
 *   events(seq INTEGER PRIMARY KEY, stream TEXT, version INTEGER,
 *          id BLOB UNIQUE, type, schema_version, occurred_at, recorded_at,
 *          actor, role, payload BLOB, UNIQUE(stream, version))
 *
 * Each insert gets what our engine gives an event and nothing less: a
 * generated time-ordered id, the stream's next version (looked up from the
 * table, as an optimistic-concurrency check would), the time. No hash
 * chain: the peer does less than the engine per event.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "svcledger.h"

/* The table; with a body (the projections' peer), one more column at the
 * end: the payload as JSON text, which SQL reads with SQLite's JSON1
 * functions (an SQL user's way to query a document column; SQL cannot
 * read msgpack). */
static const char *const schema =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, stream TEXT NOT NULL,"
    " version INTEGER NOT NULL, id BLOB NOT NULL UNIQUE, type INTEGER,"
    " schema_version INTEGER, occurred_at INTEGER, recorded_at INTEGER,"
    " actor TEXT, role TEXT, payload BLOB%s, UNIQUE(stream, version));";

typedef struct bench_peer {
	sqlite3 *db;
	sqlite3_stmt *ins, *ver;
	uint64_t seq;
	int with_body;
} peer;

static int peer_open(peer *p, const char *path, int durable, int with_body)
{
	char sql[512];
	memset(p, 0, sizeof p[0]);
	p->with_body = with_body;
	remove(path);
	snprintf(sql, sizeof sql, schema, with_body ? ", body TEXT" : "");
	if (sqlite3_open(path, &p->db) != SQLITE_OK ||
	    sqlite3_exec(p->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(p->db,
			 durable ? "PRAGMA synchronous=FULL;"
				 : "PRAGMA synchronous=OFF;",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(p->db,
			       with_body ? "INSERT INTO events VALUES"
					   "(?,?,?,?,?,?,?,?,?,?,?,?)"
					 : "INSERT INTO events VALUES"
					   "(?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &p->ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(p->db,
			       "SELECT max(version) FROM events WHERE "
			       "stream = ?",
			       -1, &p->ver, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

static void peer_close(peer *p)
{
	sqlite3_finalize(p->ins);
	sqlite3_finalize(p->ver);
	sqlite3_close(p->db);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One event: the stream's next version, a new id, the row (and the
 * body, when the table has one). */
static int insert(peer *p, const svl_event_in *e, const char *body)
{
	uint8_t id[SVL_ID_SIZE];
	int64_t version = 1;
	sqlite3_bind_text(p->ver, 1, e->stream, (int)e->stream_len,
			  SQLITE_STATIC);
	if (sqlite3_step(p->ver) == SQLITE_ROW &&
	    sqlite3_column_type(p->ver, 0) != SQLITE_NULL)
		version = sqlite3_column_int64(p->ver, 0) + 1;
	sqlite3_reset(p->ver);
	svl_event_id_generate(id);
	sqlite3_stmt *s = p->ins;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)++p->seq);
	sqlite3_bind_text(s, 2, e->stream, (int)e->stream_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, version);
	sqlite3_bind_blob(s, 4, id, SVL_ID_SIZE, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 5, e->type);
	sqlite3_bind_int64(s, 6, e->schema_version);
	sqlite3_bind_int64(s, 7, e->occurred_at_ms);
	sqlite3_bind_int64(s, 8, now_ms());
	sqlite3_bind_text(s, 9, e->actor, (int)e->actor_len, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, e->role, (int)e->role_len, SQLITE_STATIC);
	sqlite3_bind_blob(s, 11, e->payload, (int)e->payload_len,
			  SQLITE_STATIC);
	if (p->with_body)
		sqlite3_bind_text(s, 12, body, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* n events from pool (round-robin from `from`) in one transaction;
 * bodies (NULL: none) go with them. */
static int batch(peer *p, const svl_event_in *pool, size_t pool_n,
		 uint64_t from, uint64_t n, const char *const *bodies)
{
	if (sqlite3_exec(p->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	for (uint64_t k = 0; k < n; k++)
		if (insert(p, &pool[(from + k) % pool_n],
			   bodies ? bodies[(from + k) % pool_n] : NULL) != 0) {
			sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	return sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK
		   ? 0
		   : -1;
}

int bench_sqlite_append(const char *path, const svl_event_in *pool,
			size_t pool_n, uint64_t target, size_t per_txn,
			int durable, double cap_s, bench_rate *out,
			char *err, size_t errlen)
{
	peer p;
	bench_lat lat = {0};
	memset(out, 0, sizeof *out);
	if (peer_open(&p, path, durable, 0) != 0) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(p.db));
		peer_close(&p);
		return -1;
	}
	int rc = 0;
	double t0 = bench_now(), t = t0;
	while (out->ops < target && (cap_s == 0 || t - t0 < cap_s)) {
		uint64_t n = target - out->ops < per_txn ? target - out->ops
							 : per_txn;
		if ((rc = batch(&p, pool, pool_n, out->ops, n, NULL)) != 0) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(p.db));
			break;
		}
		double t2 = bench_now();
		if (per_txn == 1)
			bench_lat_add(&lat, (t2 - t) * 1e6);
		t = t2;
		out->ops += n;
	}
	out->secs = t - t0;
	out->p50_us = bench_lat_pct(&lat, 50);
	out->p99_us = bench_lat_pct(&lat, 99);
	bench_lat_free(&lat);
	peer_close(&p);
	return rc;
}

int bench_sqlite_scan(const char *path, bench_rate *out, char *err,
		      size_t errlen)
{
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	memset(out, 0, sizeof *out);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
		SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT seq, stream, version, id, type, "
			       "schema_version, occurred_at, recorded_at, actor, "
			       "role, payload FROM events ORDER BY seq",
			       -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		sqlite3_finalize(s);
		sqlite3_close(db);
		return -1;
	}
	double t0 = bench_now();
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* read every column, as decoding every envelope does */
		for (int c = 0; c < 11; c++) {
			int t = sqlite3_column_type(s, c);
			if (t == SQLITE_BLOB || t == SQLITE_TEXT)
				out->bytes += (uint64_t)sqlite3_column_bytes(s, c);
			else
				out->bytes += (uint64_t)sqlite3_column_int64(s, c);
		}
		out->ops++;
	}
	out->secs = bench_now() - t0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "scan: %s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* ---- the projections' peer: the same table, loaded batch by batch ---- */

int bench_peer_open(bench_peer **out, const char *path, char *err,
		    size_t errlen)
{
	peer *p = malloc(sizeof *p);
	*out = NULL;
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (peer_open(p, path, 0, 1) != 0) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(p->db));
		peer_close(p);
		free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int bench_peer_batch(bench_peer *p, const svl_event_in *evs,
		     const char *const *bodies, size_t n, char *err,
		     size_t errlen)
{
	if (batch(p, evs, n, 0, n, bodies) == 0)
		return 0;
	snprintf(err, errlen, "%s", sqlite3_errmsg(p->db));
	return -1;
}

void bench_peer_close(bench_peer *p)
{
	if (!p)
		return;
	peer_close(p);
	free(p);
}

int bench_sqlite_check(const char *path, bench_rate *out, char *err,
		       size_t errlen)
{
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	memset(out, 0, sizeof *out);
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1,
					&s, NULL);
	if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		out->ops = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s,
					NULL);
	double t0 = bench_now();
	int ok = rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
		 strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
	out->secs = bench_now() - t0;
	if (!ok)
		snprintf(err, errlen, "%s: integrity_check: %s", path,
			 rc == SQLITE_OK && s && sqlite3_column_text(s, 0)
			     ? (const char *)sqlite3_column_text(s, 0)
			     : sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return ok ? 0 : -1;
}
