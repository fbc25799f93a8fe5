/*
 * bench.h - the pieces of `svcledger bench` (cmd_bench.c) that measure
 * the raw limits of the machine and of LMDB (cmd_bench_raw.c), so that each
 * engine figure is printed beside the ceiling measured in the same run.
 *
 * Every timing uses CLOCK_MONOTONIC around exactly the work named: opening
 * files, creating environments and preparing data are outside the clock.
 */
#ifndef SVL_TOOLS_BENCH_H
#define SVL_TOOLS_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Seconds on the monotonic clock. */
double bench_now(void);

/* Per-operation latencies, for percentiles. */
typedef struct bench_lat {
	double *us;
	size_t n, cap;
} bench_lat;

void bench_lat_add(bench_lat *l, double us);
/* The p-th percentile (0..100) in microseconds; sorts l. 0 when empty. */
double bench_lat_pct(bench_lat *l, double p);
void bench_lat_free(bench_lat *l);

/* What one timed loop did. */
typedef struct bench_rate {
	uint64_t ops;    /* operations (records, events, syncs) */
	double secs;     /* wall time of exactly those operations */
	double p50_us;   /* per-operation latency, when measured */
	double p99_us;
	uint64_t bytes;  /* bytes touched, when it means something */
} bench_rate;

static inline double bench_per_s(const bench_rate *r)
{
	return r->secs > 0 ? (double)r->ops / r->secs : 0;
}

/* 4 KiB pwrite + fdatasync in a preallocated file under dir, until
 * max_ops or max_s. 0 or -1 with errno. */
int bench_raw_fsync(const char *dir, uint64_t max_ops, double max_s,
		    bench_rate *out);

/* n values of val_size bytes put with MDB_APPEND under u64 big-endian keys
 * into a fresh environment at dir (MDB_NOSYNC), per_txn records per
 * transaction. 0, or an LMDB / errno code. */
int bench_raw_lmdb_put(const char *dir, uint64_t n, size_t val_size,
		       size_t per_txn, size_t map_size, bench_rate *out);

/* A cursor walk over the named sub-database of the environment at dir,
 * read-only; with hash, XXH3-128 of every value too. out->bytes gets the
 * sum of value sizes. 0 or an LMDB code. */
int bench_raw_scan(const char *dir, const char *db, int hash,
		   bench_rate *out);

/* Print the machine, build and file-system lines for dir on f. Returns
 * the file system's name (static). */
const char *bench_describe_machine(const char *dir, FILE *f);

/* `threads` threads each submitting one command at a time (a booking,
 * decided and projected) through svl_ledger_submit_json on a fresh durable
 * ledger under dir, for max_s (bench_group.c): out->ops events appended,
 * p50/p99 per submission. SVL_OK, or the first failure. */
int bench_group(const char *dir, int threads, double max_s, bench_rate *out);

/* The peer (bench_sqlite.c): target events from pool (round-robin) into
 * a fresh SQLite database at path, per_txn per transaction, synchronous
 * FULL when durable else OFF, until target or cap_s (0: no cap). And a
 * scan of every row and column of such a database. 0, or -1 with err. */
struct svl_event_in;
int bench_sqlite_append(const char *path, const struct svl_event_in *pool,
			size_t pool_n, uint64_t target, size_t per_txn,
			int durable, double cap_s, bench_rate *out, char *err,
			size_t errlen);
int bench_sqlite_scan(const char *path, bench_rate *out, char *err,
		      size_t errlen);

/* The projections' peer (bench_sqlite.c): a fresh database at path with
 * the same events table plus `body TEXT`, the payload as JSON (what SQL
 * reads), synchronous=OFF; bench_peer_batch inserts n events with their
 * bodies in one transaction, as the appends above do. 0, or -1 with err. */
typedef struct bench_peer bench_peer;
int bench_peer_open(bench_peer **out, const char *path, char *err,
		    size_t errlen);
int bench_peer_batch(bench_peer *p, const struct svl_event_in *evs,
		     const char *const *bodies, size_t n, char *err,
		     size_t errlen);
void bench_peer_close(bench_peer *p); /* NULL: no-op */

/* SQLite's nearest to verify: PRAGMA integrity_check of the database at
 * path (every b-tree page, every index entry against its row; no hash:
 * SQLite keeps none). out->ops = its rows. 0, or -1 with err. */
int bench_sqlite_check(const char *path, bench_rate *out, char *err,
		       size_t errlen);

/* The stock-card projection on the peer (bench_sqlite_stock.c): the
 * ledger l's log loaded into a fresh database at path (bench_peer_*, in
 * batches of 10,000: `load`), then on hand and moving-average value per
 * part and bin rebuilt from that table in SQL (`sql`: a recursive CTE,
 * with the history as stock_lines) and in C over an SQLite cursor
 * (`cursor`), and the same C fold over l's log (`ours_fold`), each
 * compared card for card with l's stock cards (now); then
 * 2,000 as-of reads of a card at a random seq in SQL (`asof`). The
 * rebuilds' ops are the log's events. 0, or -1 with err (the first card
 * that differs, when mismatches > 0). */
struct svl_ledger;
typedef struct bench_stock_figs {
	bench_rate load, sql, cursor, asof;
	bench_rate ours_fold; /* the C fold over our log instead */
	uint64_t movements; /* lines that moved on hand or value */
	uint64_t cards;	    /* our cards checked */
	uint64_t mismatches;
} bench_stock_figs;
int bench_stock_peer(const char *path, struct svl_ledger *l,
		     bench_stock_figs *out, char *err, size_t errlen);

/* How the figures grow with size (bench_scale.c): one run's figures, in
 * events (or reads) a second, rounded; 0 where not measured. */
enum bench_scale_fig {
	BENCH_SCALE_EVENTS,	 /* --events: the bulk ledger's size */
	BENCH_SCALE_PROJ_EVENTS, /* --proj-events: the generated ledger's */
	BENCH_SCALE_APPEND,	 /* bulk append, batch 10,000, NOSYNC */
	BENCH_SCALE_APPEND_SQLITE,
	BENCH_SCALE_IMPORT,	   /* NDJSON import, projections inline */
	BENCH_SCALE_IMPORT_SQLITE, /* the peer's load of the same events */
	BENCH_SCALE_REBUILD,	   /* svl_ledger_rebuild, all 3 */
	BENCH_SCALE_REBUILD_SQL,   /* the stock cards in SQL */
	BENCH_SCALE_REBUILD_C,	   /* the stock cards in C over a cursor */
	BENCH_SCALE_REBUILD_C_OURS, /* the same C fold over our log */
	BENCH_SCALE_VERIFY,
	BENCH_SCALE_VERIFY_SQLITE, /* PRAGMA integrity_check */
	BENCH_SCALE_ASOF,	   /* a stock card as of a seq, reads/s */
	BENCH_SCALE_ASOF_SQLITE,
	BENCH_SCALE_FIGS
};
#define BENCH_SCALE_ROWS_MAX 12 /* sizes one file may draw */

typedef struct bench_scale_row {
	int64_t v[BENCH_SCALE_FIGS];
} bench_scale_row;

/* Append row to the record file at path (created if absent). 0 or -1
 * with errno. */
int bench_scale_record(const char *path, const bench_scale_row *row);
/* The record lines of path into rows (at most cap; other lines are
 * skipped); *n gets their count. 0, or -1 with errno. */
int bench_scale_read(const char *path, bench_scale_row *rows, size_t cap,
		     size_t *n);
/* rows (sorted here by size) as one SVG into b: a line chart per figure,
 * stacked, the sizes as x labels; source is each chart's source line.
 * Returns b->rc (SVL_EINVAL for 0 or more than BENCH_SCALE_ROWS_MAX
 * rows). */
struct svl__sbuf;
int bench_scale_svg(struct svl__sbuf *b, bench_scale_row *rows, size_t n,
		    const char *source);
/* The records of file `record` drawn into file out. 0, or -1 with err. */
int bench_scale_write(const char *out, const char *record, const char *source,
		      char *err, size_t errlen);

/* "1,234,567" into buf (>= 32 bytes). */
char *bench_count(char *buf, uint64_t v);

#endif /* SVL_TOOLS_BENCH_H */
