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

/* "1,234,567" into buf (>= 32 bytes). */
char *bench_count(char *buf, uint64_t v);

#endif /* SVL_TOOLS_BENCH_H */
