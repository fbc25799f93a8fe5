/*
 * cmd_bench.c - `svcledger bench`: the engine's throughput, each figure
 * printed with its conditions and beside the raw limit measured in the
 * same run (cmd_bench_raw.c), then a summary against design.md's targets.
 *
 * What is measured, and what is not:
 *  - Appends time svl_log_append calls only. The events are pre-encoded
 *    (payload msgpack built, svl_event_in filled) before the clock starts;
 *    ids are left zero so the engine generates them, as a live system does.
 *    A pool of BENCH_POOL distinct events is reused round-robin, so memory
 *    stays flat at any --events.
 *  - Each append case runs on a fresh ledger whose map is preset large
 *    enough (growth is a one-off cost per doubling, not a per-event one).
 *  - Durable cases and small batches stop at a time cap: their rate settles
 *    within a second, and a durable million would take minutes.
 *  - Reads run over the ledger the bulk case built, with the page cache
 *    warm (it was just written); cold-cache reads are disk-bound instead.
 */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>
#include <msgpack.h>
#include <sqlite3.h>

#include "bench.h"
#include "bench_proj.h"
#include "cli.h"
#include "fmt.h"

#define BENCH_POOL 10000
#define BENCH_STREAMS 1000
#define BENCH_ACTORS 20
#define BENCH_PAYLOAD_MAX 128
#define BENCH_DEFAULT_EVENTS 1000000
#define BENCH_QUICK_EVENTS 100000
#define BENCH_SEED 0x5eed2026u

/* A text translated where it is shown (peer_row, summary_row): marked
 * for tests/tool_msgs.sh, which extracts N_() like _(). */
#define N_(s) s

_Static_assert(BENCH_POOL % 100 == 0, "batches tile the pool");

static const cli_opt bench_opts[] = {
	{"events", 0, "N", "events in the bulk ledger (default 1,000,000)"},
	{"dir", 0, "DIR",
	 "where to make the scratch directory (default: current directory)"},
	{"quick", 0, NULL, "100,000 events and short caps, for CI"},
	{"proj-events", 0, "N",
	 "events in the generated ledger the projections are measured on "
	 "(default 1,000,000; 50,000 with --quick; 0 skips them)"},
	{"projections-only", 0, NULL, "measure only the projections"},
	{"peer", 0, "sqlite",
	 "also run the same appends, scan and stock-card rebuild on SQLite, "
	 "in the same run"},
	{"scale-record", 0, "FILE",
	 "append this run's figures to FILE, one line (make bench-scale)"},
	{"scale-svg", 0, "FILE",
	 "measure nothing: draw the runs of --scale-record's file as FILE"},
	CLI_OPT_END};
enum { BENCH_EVENTS, BENCH_DIR, BENCH_QUICK, BENCH_PROJ_EVENTS,
       BENCH_PROJ_ONLY, BENCH_PEER, BENCH_SCALE_RECORD, BENCH_SCALE_SVG };

static const cli_spec bench_spec = {
	"bench",
	"[--events N] [--dir DIR] [--quick] [--proj-events N] "
	"[--projections-only] [--peer sqlite] [--scale-record FILE "
	"[--scale-svg FILE]]",
	"Measure the engine on this machine: batched appends (durable and\n"
	"NOSYNC), a full scan and verify, each beside the raw limit measured\n"
	"in the same run (4 KiB fdatasync, LMDB MDB_APPEND puts, LMDB cursor\n"
	"scan with and without XXH3-128), then a summary against the design\n"
	"targets. Then the projections: NDJSON import with the three\n"
	"projections folded inline, as-of stock cards, and a full rebuild\n"
	"with its peak memory, on a generated ledger with the department's\n"
	"mix of events. --peer sqlite does the same appends and scan with\n"
	"SQLite (WAL; synchronous=FULL when durable) and prints each ratio,\n"
	"and rebuilds the stock cards from SQLite's table in SQL and in C,\n"
	"each checked equal to ours (a difference fails the bench).\n"
	"Runs in a scratch directory under DIR that is removed at the\n"
	"end; use a DIR on the disk the ledger will live on (not tmpfs).\n"
	"About 20 s by default, a few seconds with --quick.",
	bench_opts, 0,
	"  $ svcledger bench --quick\n"
	"  (see docs/benchmarks.md for a full run and how to read it)\n"};

typedef struct bench_pool {
	svl_event_in ev[BENCH_POOL];
	uint8_t payload[BENCH_POOL][BENCH_PAYLOAD_MAX];
	char streams[BENCH_STREAMS][16];
	char actors[BENCH_ACTORS][8];
	double payload_mean;
} bench_pool;

typedef struct bench_cfg {
	uint64_t events;
	uint64_t proj_events;
	int proj_only;
	int peer; /* --peer sqlite */
	const char *scale_record, *scale_svg;
	double cap_s;
	size_t map_size;
	char dir[4096]; /* the scratch directory */
} bench_cfg;

/* The figures the summary pairs up. */
typedef struct bench_results {
	bench_rate fsync, durable1, bulk, bulk_sync, scan, verify;
	bench_rate group1, group16; /* svl_ledger_submit, 1 and 16 threads */
	bench_rate durable100;	    /* batch 100, durable */
	bench_rate raw_put, raw_scan, raw_hash;
	bench_rate peer_bulk, peer_check; /* SQLite's, with --peer */
	double record_mean;
} bench_results;

/* ---- the event pool ---- */

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void pack_kv_str(msgpack_packer *pk, const char *k, const char *v)
{
	msgpack_pack_str_with_body(pk, k, strlen(k));
	msgpack_pack_str_with_body(pk, v, strlen(v));
}

/* A ~80-byte payload shaped like a goods receipt. Returns its size. */
static size_t make_payload(uint8_t *out, uint64_t r, size_t i)
{
	char doc[24], bin[16], wo[24];
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 5);
	snprintf(doc, sizeof doc, "GRN-2026-%06zu", i);
	snprintf(bin, sizeof bin, "A-%02u-%02u", (unsigned)(r % 40),
		 (unsigned)(r >> 8) % 60);
	snprintf(wo, sizeof wo, "WO-2026-%05u", (unsigned)(r >> 16) % 100000);
	pack_kv_str(&pk, "doc", doc);
	pack_kv_str(&pk, "bin", bin);
	pack_kv_str(&pk, "wo", wo);
	msgpack_pack_str_with_body(&pk, "qty_milli", 9);
	msgpack_pack_int64(&pk, (int64_t)((r >> 24) % 50000 + 1000));
	msgpack_pack_str_with_body(&pk, "unit_cost_fen", 13);
	msgpack_pack_int64(&pk, (int64_t)((r >> 32) % 900000 + 100));
	size_t n = sb.size <= BENCH_PAYLOAD_MAX ? sb.size : 0;
	memcpy(out, sb.data, n);
	msgpack_sbuffer_destroy(&sb);
	return n;
}

static void make_pool(bench_pool *p)
{
	static const char *const roles[] = {"parts-clerk", "technician"};
	uint64_t s = BENCH_SEED, total = 0;
	for (size_t i = 0; i < BENCH_STREAMS; i++)
		snprintf(p->streams[i], sizeof p->streams[i], "part-%07u",
			 (unsigned)(rnd(&s) % 10000000));
	for (size_t i = 0; i < BENCH_ACTORS; i++)
		snprintf(p->actors[i], sizeof p->actors[i], "E%04zu", 101 + i);
	for (size_t i = 0; i < BENCH_POOL; i++) {
		uint64_t r = rnd(&s);
		svl_event_in *ev = &p->ev[i];
		memset(ev, 0, sizeof *ev);
		ev->stream = p->streams[r % BENCH_STREAMS];
		ev->stream_len = strlen(ev->stream);
		ev->type = 1 + (uint32_t)(r >> 10) % 8;
		ev->schema_version = 1;
		ev->occurred_at_ms = 1790755200000LL + (int64_t)i * 1000;
		ev->actor = p->actors[(r >> 20) % BENCH_ACTORS];
		ev->actor_len = strlen(ev->actor);
		ev->role = roles[(r >> 30) & 1];
		ev->role_len = strlen(ev->role);
		ev->payload = p->payload[i];
		ev->payload_len = make_payload(p->payload[i], rnd(&s), i);
		ev->expected_version = SVL_VERSION_ANY;
		total += ev->payload_len;
	}
	p->payload_mean = (double)total / BENCH_POOL;
}

/* ---- scratch directory ---- */

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove a tree that this run created (never a user's directory). */
static void rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int sub_dir(char *out, size_t size, const bench_cfg *c,
		   const char *name)
{
	snprintf(out, size, "%s/%s", c->dir, name);
	return mkdir(out, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* ---- appends ---- */

typedef struct append_case {
	size_t batch;
	int nosync;
	uint64_t target; /* events */
	double cap_s;    /* stop after this long; 0 = no cap */
	const char *name;
} append_case;

static int append_loop(svl_log *log, const bench_pool *p,
		       const append_case *ac, bench_rate *out)
{
	bench_lat lat = {0};
	int rc = SVL_OK;
	double t0 = bench_now(), t = t0;
	while (out->ops < ac->target &&
	       (ac->cap_s == 0 || t - t0 < ac->cap_s)) {
		uint64_t n = ac->target - out->ops;
		n = n < ac->batch ? n : ac->batch;
		size_t off = (size_t)(out->ops % BENCH_POOL);
		rc = svl_log_append(log, p->ev + off, (size_t)n, NULL);
		if (rc != SVL_OK)
			break;
		double t2 = bench_now();
		if (ac->batch == 1)
			bench_lat_add(&lat, (t2 - t) * 1e6);
		t = t2;
		out->ops += n;
	}
	out->secs = t - t0;
	out->p50_us = bench_lat_pct(&lat, 50);
	out->p99_us = bench_lat_pct(&lat, 99);
	bench_lat_free(&lat);
	return rc;
}

/* Run one case on a fresh ledger; the ledger is left open in *keep when
 * keep is not NULL (the bulk ledger the reads use). */
static int run_append(const cli_ctx *ctx, const bench_cfg *c,
		      const bench_pool *p, const append_case *ac,
		      bench_rate *out, svl_log **keep)
{
	char dir[4200];
	memset(out, 0, sizeof *out);
	if (sub_dir(dir, sizeof dir, c, ac->name) != 0)
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", dir,
				 strerror(errno));
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE | (ac->nosync ? SVL_LOG_NOSYNC : 0);
	o.map_size_bytes = c->map_size;
	svl_log *log;
	int rc = svl_log_open(&log, dir, &o);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_last_error());
	rc = append_loop(log, p, ac, out);
	if (rc != SVL_OK) {
		int code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
		svl_log_close(log);
		return code;
	}
	if (keep) {
		*keep = log;
		return 0;
	}
	svl_log_close(log);
	rm_tree(dir);
	return 0;
}

/* A rate rounded to a whole number, with thousands separators. */
static char *rate(char *buf, double per_s)
{
	return bench_count(buf, (uint64_t)(per_s + 0.5));
}

static void print_append(const append_case *ac, const bench_rate *r)
{
	char n[32], b[32], e[32], c[32];
	printf(_("  batch %-6s  %-17s  %10s events in %6.3f s  %10s "
		 "events/s  %7s commits/s"),
	       bench_count(b, ac->batch),
	       ac->nosync ? "SVL_LOG_NOSYNC" : "durable (default)",
	       bench_count(n, r->ops), r->secs, rate(e, bench_per_s(r)),
	       rate(c, bench_per_s(r) / (double)ac->batch));
	if (ac->batch == 1)
		printf(_("  p50 %.0f us p99 %.0f us"), r->p50_us, r->p99_us);
	putchar('\n');
	fflush(stdout);
}

static int run_appends(const cli_ctx *ctx, const bench_cfg *c,
		       const bench_pool *p, bench_results *res)
{
	const append_case cases[] = {
		{1, 0, c->events, c->cap_s, "a1"},
		{100, 0, c->events, c->cap_s, "a100"},
		{10000, 0, c->events, c->cap_s, "a10000"},
		{1, 1, c->events, c->cap_s, "n1"},
		{100, 1, c->events, c->cap_s, "n100"},
	};
	printf(_("\nappend: svl_log_append of pre-encoded events, fresh ledger "
		 "per case, capped at %.2f s\n"),
	       c->cap_s);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bench_rate r;
		int code = run_append(ctx, c, p, &cases[i], &r, NULL);
		if (code)
			return code;
		print_append(&cases[i], &r);
		if (i == 0)
			res->durable1 = r;
		if (i == 1)
			res->durable100 = r;
	}
	return 0;
}

/* The bulk ledger: batches of 10,000, NOSYNC, all N events, then the one
 * sync an import ends with. */
static int run_bulk(const cli_ctx *ctx, const bench_cfg *c,
		    const bench_pool *p, bench_results *res)
{
	const append_case bulk = {10000, 1, c->events, 0, "bulk"};
	svl_log *log = NULL;
	int code = run_append(ctx, c, p, &bulk, &res->bulk, &log);
	if (code)
		return code;
	print_append(&bulk, &res->bulk);
	double t0 = bench_now();
	int rc = svl_log_sync(log);
	res->bulk_sync.secs = bench_now() - t0;
	res->bulk_sync.ops = res->bulk.ops;
	svl_log_close(log);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, "sync of the bulk ledger failed");
	char r[32];
	printf(_("  then svl_log_sync: %.3f s; import rate with the sync "
		 "included: %s events/s\n"),
	       res->bulk_sync.secs,
	       rate(r, (double)res->bulk.ops /
			   (res->bulk.secs + res->bulk_sync.secs)));
	return 0;
}

/* ---- reads ---- */

static int time_scan(svl_log *log, bench_rate *out)
{
	svl_iter *it;
	svl_record r;
	uint64_t sink = 0;
	memset(out, 0, sizeof *out);
	double t0 = bench_now();
	int rc = svl_log_iter_seq(log, 1, 0, &it);
	if (rc != SVL_OK)
		return rc;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK) {
		out->ops++;
		sink += r.payload_len + r.stream_version;
	}
	svl_iter_close(it);
	out->secs = bench_now() - t0;
	out->bytes = sink;
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static int run_reads(const cli_ctx *ctx, const bench_cfg *c,
		     bench_results *res)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/bulk", c->dir);
	svl_log *log;
	int code = cli_open(ctx, dir, SVL_LOG_RDONLY, &log);
	if (code)
		return code;
	int rc = time_scan(log, &res->scan);
	svl_verify_report rep;
	double t0 = bench_now();
	if (rc == SVL_OK)
		rc = svl_log_verify(log, &rep);
	res->verify.secs = bench_now() - t0;
	res->verify.ops = rep.events;
	if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	else if (!rep.ok)
		code = cli_error(ctx, CLI_EXIT_INTEGRITY,
				 "bulk ledger fails verify: %s", rep.detail);
	svl_log_close(log);
	if (code)
		return code;
	/* The handle is closed: LMDB forbids a second environment on the
	 * same files in one process while the first is open. */
	int mrc = bench_raw_scan(dir, "events", 0, &res->raw_scan);
	if (!mrc)
		mrc = bench_raw_scan(dir, "events", 1, &res->raw_hash);
	if (mrc)
		return cli_error(ctx, CLI_EXIT_ERROR, "raw scan: %s",
				 mdb_strerror(mrc));
	res->record_mean = res->raw_scan.ops ? (double)res->raw_scan.bytes /
						       (double)res->raw_scan.ops
					     : 0;
	return 0;
}

static void print_reads(const bench_results *res)
{
	char n[32], r[4][32];
	printf(_("\nread: over the bulk ledger (%s events, mean record %.0f B "
		 "stored), page cache warm\n"),
	       bench_count(n, res->scan.ops), res->record_mean);
	printf(_("  svl_log_iter_seq full scan (decodes every envelope)  "
		 "%10s events/s   (%.3f s)\n"
		 "  svl_log_verify (chain, hashes, head, both indexes)    "
		 "%10s events/s   (%.3f s)\n"
		 "  raw: LMDB cursor scan of the same events table       "
		 "%10s records/s  (%.3f s)\n"
		 "  raw: LMDB cursor scan + XXH3-128 of each value       "
		 "%10s records/s  (%.3f s)\n"),
	       rate(r[0], bench_per_s(&res->scan)), res->scan.secs,
	       rate(r[1], bench_per_s(&res->verify)), res->verify.secs,
	       rate(r[2], bench_per_s(&res->raw_scan)), res->raw_scan.secs,
	       rate(r[3], bench_per_s(&res->raw_hash)), res->raw_hash.secs);
}

/* ---- raw limits ---- */

static int run_raw_fsync(const cli_ctx *ctx, const bench_cfg *c,
			 bench_results *res)
{
	if (bench_raw_fsync(c->dir, UINT64_MAX, c->cap_s, &res->fsync) != 0)
		return cli_error(ctx, CLI_EXIT_ERROR, "raw fsync: %s",
				 strerror(errno));
	char r[32], f[32];
	printf(_("\nraw disk: 4 KiB pwrite + fdatasync, one preallocated 4 MiB "
		 "file\n  %s syncs/s  p50 %.0f us p99 %.0f us  (%llu in "
		 "%.3f s) -> LMDB commit floor (2 syncs) ~%s commits/s\n"),
	       rate(r, bench_per_s(&res->fsync)), res->fsync.p50_us,
	       res->fsync.p99_us, (unsigned long long)res->fsync.ops,
	       res->fsync.secs, rate(f, bench_per_s(&res->fsync) / 2));
	fflush(stdout);
	return 0;
}

/* One raw put run of n values of `size` bytes in a fresh environment. */
static int raw_put_one(const cli_ctx *ctx, const bench_cfg *c, size_t size,
		       bench_rate *out)
{
	char dir[4200], r[32];
	if (sub_dir(dir, sizeof dir, c, "raw") != 0)
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", dir,
				 strerror(errno));
	int mrc = bench_raw_lmdb_put(dir, c->events, size, 10000, c->map_size,
				     out);
	rm_tree(dir);
	if (mrc)
		return cli_error(ctx, CLI_EXIT_ERROR, "raw put: %s",
				 mdb_strerror(mrc));
	printf(_("  raw: LMDB mdb_put MDB_APPEND, %3zu B values, 10,000 per "
		 "txn, MDB_NOSYNC %10s records/s  (%.3f s)\n"),
	       size, rate(r, bench_per_s(out)), out->secs);
	return 0;
}

/* Raw appends of values the size of this run's mean record (the ceiling
 * the summary compares with), and of 150 B (design.md's reference). */
static int run_raw_put(const cli_ctx *ctx, const bench_cfg *c,
		       bench_results *res)
{
	bench_rate ref;
	int code = raw_put_one(ctx, c, (size_t)(res->record_mean + 0.5),
			       &res->raw_put);
	return code ? code : raw_put_one(ctx, c, 150, &ref);
}

/* Concurrent durable submissions through the ledger: the group commit. */
static int run_group(const cli_ctx *ctx, const bench_cfg *c,
		     bench_results *res)
{
	static const int threads[] = {1, 16};
	bench_rate *out[] = {&res->group1, &res->group16};
	char r[32];
	printf(_("\nsubmit: svl_ledger_submit_json of one booking at a time "
		 "(decided, appended, projected), durable, capped at %.2f s\n"),
	       c->cap_s);
	for (size_t i = 0; i < 2; i++) {
		int rc = bench_group(c->dir, threads[i], c->cap_s, out[i]);
		if (rc != SVL_OK)
			return cli_svl_error(ctx, rc, svl_log_last_error());
		printf(_("  %2d thread%s %10s events/s  p50 %.0f us p99 "
			 "%.0f us  (%llu in %.3f s)\n"),
		       threads[i], threads[i] == 1 ? " " : "s",
		       rate(r, bench_per_s(out[i])), out[i]->p50_us,
		       out[i]->p99_us, (unsigned long long)out[i]->ops,
		       out[i]->secs);
	}
	fflush(stdout);
	return 0;
}

/* ---- the peer: SQLite ---- */

/* s in the tool's language, then spaces up to width display columns
 * (printf's %-*s counts bytes; a Chinese character is three bytes and two
 * columns), then tail. */
static void put_cell(const char *s, size_t width, const char *tail)
{
	size_t w = fmt_width(_(s));
	printf("%s%*s%s", _(s), w < width ? (int)(width - w) : 0, "", tail);
}

static void peer_row(const char *what, const bench_rate *ours,
		     const bench_rate *theirs, const char *unit)
{
	char a[32], b[32];
	double o = bench_per_s(ours), t = bench_per_s(theirs);
	fputs("  ", stdout);
	put_cell(what, 36, "");
	printf(_(" ours %10s  SQLite %10s "), rate(a, o), rate(b, t));
	put_cell(unit, 7, "");
	printf("  x%.1f\n", t > 0 ? o / t : 0.0);
}

/* The same appends and scan on SQLite, beside ours of this run. */
static int run_peer(const cli_ctx *ctx, const bench_cfg *c,
		    const bench_pool *p, bench_results *res)
{
	struct {
		const char *what;
		size_t per_txn;
		int durable;
		uint64_t n;
		double cap;
		const bench_rate *ours;
	} cases[] = {
	    {N_("durable single appends (batch 1)"), 1, 1, c->events, c->cap_s,
	     &res->durable1},
	    {N_("durable batch 100"), 100, 1, c->events, c->cap_s,
	     &res->durable100},
	    {N_("bulk (batch 10,000, NOSYNC / OFF)"), 10000, 0, c->events, 0,
	     &res->bulk},
	};
	char path[4200], err[256];
	bench_rate r, scan;
	printf(_("\npeer: SQLite %s, WAL, events(seq PRIMARY KEY, "
		 "stream+version UNIQUE, id UNIQUE),\n      synchronous=FULL "
		 "when durable, OFF for NOSYNC; same events, same caps; ratio "
		 "= ours / SQLite\n"),
	       sqlite3_libversion());
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "%s/peer-%zu.db", c->dir, i);
		if (bench_sqlite_append(path, p->ev, BENCH_POOL, cases[i].n,
					cases[i].per_txn, cases[i].durable,
					cases[i].cap, &r, err, sizeof err))
			return cli_error(ctx, CLI_EXIT_ERROR, "sqlite: %s", err);
		peer_row(cases[i].what, cases[i].ours, &r, N_("events"));
	}
	res->peer_bulk = r;
	if (bench_sqlite_scan(path, &scan, err, sizeof err))
		return cli_error(ctx, CLI_EXIT_ERROR, "sqlite: %s", err);
	peer_row(N_("full scan (every field of every event)"), &res->scan,
		 &scan, N_("events"));
	if (bench_sqlite_check(path, &res->peer_check, err, sizeof err))
		return cli_error(ctx, CLI_EXIT_ERROR, "sqlite: %s", err);
	peer_row(N_("verify / PRAGMA integrity_check"), &res->verify,
		 &res->peer_check, N_("events"));
	fflush(stdout);
	return 0;
}

/* ---- summary ---- */

static void summary_row(const char *what, double engine, const char *unit,
			double raw, const char *raw_what, const char *target)
{
	char e[32], r[32];
	fputs("  ", stdout);
	put_cell(what, 34, "");
	printf(" %10s ", rate(e, engine));
	put_cell(unit, 7, "");
	printf(" %10s ", rate(r, raw));
	put_cell(raw_what, 16, "");
	printf(" %5.1f%%  %s\n", raw > 0 ? 100.0 * engine / raw : 0.0,
	       _(target));
}

static void print_summary(const bench_results *res)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	putchar('\n');
	put_cell(N_("summary"), 37, "");
	put_cell(N_("engine, per s"), 19, "");
	put_cell(N_("raw limit, same run"), 27, "");
	put_cell(N_("engine/raw"), 12, "");
	put_cell(N_("design target"), 0, "\n");
	summary_row(N_("bulk append (batch 10,000, NOSYNC)"),
		    bench_per_s(&res->bulk), N_("events"),
		    bench_per_s(&res->raw_put), N_("mdb_put APPEND"),
		    N_(">= 4,000,000 events/s"));
	summary_row(N_("durable single appends (batch 1)"),
		    bench_per_s(&res->durable1), N_("events"),
		    bench_per_s(&res->fsync) / 2, N_("fdatasync / 2"),
		    N_("LMDB's two-sync floor"));
	summary_row(N_("16 threads, single durable commands"),
		    bench_per_s(&res->group16), N_("events"),
		    bench_per_s(&res->fsync) / 2, N_("fdatasync / 2"),
		    N_(">= 20,000 events/s, p99 <= 10 ms"));
	printf(_("  %-34s p99 %.1f ms (1 thread: %s events/s, p99 %.1f ms)\n"),
	       "", res->group16.p99_us / 1000.0,
	       rate((char[32]){0}, bench_per_s(&res->group1)),
	       res->group1.p99_us / 1000.0);
	summary_row(N_("full scan (svl_log_iter_seq)"), bench_per_s(&res->scan),
		    N_("events"), bench_per_s(&res->raw_scan),
		    N_("cursor scan"), N_("(none; raw ~26M/s)"));
	summary_row(N_("verify (svl_log_verify)"), bench_per_s(&res->verify),
		    N_("events"), bench_per_s(&res->raw_hash),
		    N_("scan + XXH3-128"), N_(">= 15,000,000 events/s"));
	printf(_("  peak RSS %.0f MiB (getrusage ru_maxrss; counts the "
		 "ledger pages mapped and touched)\n"),
	       (double)ru.ru_maxrss / 1024.0);
	double load[1];
	if (getloadavg(load, 1) == 1)
		printf(_("  load average at the end %.2f on %ld cores (other "
			 "work on the machine lowers every figure)\n"),
		       load[0], sysconf(_SC_NPROCESSORS_ONLN));
}

/* ---- the command ---- */

static int draw_scale(const cli_ctx *ctx, const bench_cfg *c)
{
	char err[512];
	if (bench_scale_write(c->scale_svg, c->scale_record,
			      "svcledger bench --peer sqlite, one run per "
			      "size (docs/benchmarks.md)",
			      err, sizeof err) != 0)
		return cli_error(ctx, CLI_EXIT_ERROR, "--scale-svg: %s", err);
	printf(_("scale: %s drawn from %s\n"), c->scale_svg, c->scale_record);
	return 0;
}

static int setup(const cli_ctx *ctx, const cli_args *a, bench_cfg *c)
{
	int code;
	memset(c, 0, sizeof *c);
	int quick = a->val[BENCH_QUICK] != NULL;
	c->events = quick ? BENCH_QUICK_EVENTS : BENCH_DEFAULT_EVENTS;
	c->proj_events = quick ? 50000 : 1000000;
	c->proj_only = a->val[BENCH_PROJ_ONLY] != NULL;
	if (a->val[BENCH_PEER] && strcmp(a->val[BENCH_PEER], "sqlite") != 0)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--peer: only sqlite is known, not '%s'",
				 a->val[BENCH_PEER]);
	c->peer = a->val[BENCH_PEER] != NULL;
	c->scale_record = a->val[BENCH_SCALE_RECORD];
	c->scale_svg = a->val[BENCH_SCALE_SVG];
	if (c->scale_svg && !c->scale_record)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--scale-svg: give the runs with "
				 "--scale-record FILE");
	if ((code = cli_opt_u64(ctx, "events", a->val[BENCH_EVENTS],
				&c->events)) != 0 ||
	    (code = cli_opt_u64(ctx, "proj-events",
				a->val[BENCH_PROJ_EVENTS],
				&c->proj_events)) != 0)
		return code;
	if (c->events < 1 || c->events > 100000000)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--events: 1..100,000,000");
	/* durable and small-batch cases settle within a second; smaller
	 * runs get proportionally shorter caps so that --quick stays quick */
	c->cap_s = (double)c->events / 400000.0;
	c->cap_s = c->cap_s < 0.05 ? 0.05 : c->cap_s > 1.0 ? 1.0 : c->cap_s;
	/* ~330 B per event in the three tables; 1 KiB leaves room for page
	 * splits, and the map is only address space until written */
	c->map_size = (size_t)(64u << 20) + (size_t)c->events * 1024;
	const char *parent = a->val[BENCH_DIR] ? a->val[BENCH_DIR] : ".";
	if (snprintf(c->dir, sizeof c->dir, "%s/svcledger-bench-XXXXXX",
		     parent) >= (int)sizeof c->dir)
		return cli_error(ctx, CLI_EXIT_USAGE, "--dir: path too long");
	if (!mkdtemp(c->dir))
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", c->dir,
				 strerror(errno));
	return 0;
}

static void print_conditions(const bench_cfg *c, const bench_pool *p)
{
	char n[32], st[32], pool[32];
	bench_describe_machine(c->dir, stdout);
	printf(_("events    %s in the bulk ledger; payload %.0f B msgpack map "
		 "(mean), %s streams\n"
		 "          like %s, %d actors, ids generated by the engine; "
		 "a pool of %s pre-encoded\n"
		 "          events reused round-robin; map preset to %zu MiB "
		 "(growth excluded)\n"),
	       bench_count(n, c->events), p->payload_mean,
	       bench_count(st, BENCH_STREAMS), p->streams[0], BENCH_ACTORS,
	       bench_count(pool, BENCH_POOL), c->map_size >> 20);
	fflush(stdout);
}

static int run_projections(const cli_ctx *ctx, const bench_cfg *c,
			   bench_proj_figs *figs)
{
	if (c->proj_events == 0)
		return 0;
	int rc = bench_projections(c->dir, c->proj_events, c->peer, stdout,
				   figs);
	if (rc == SVL_ECORRUPT) /* the peer's stock cards differ from ours */
		return cli_error(ctx, CLI_EXIT_INTEGRITY,
				 "the peer's stock cards differ from ours "
				 "(see above)");
	return rc == SVL_OK ? 0 : cli_svl_error(ctx, rc, svl_log_last_error());
}

static int64_t per_s(const bench_rate *r)
{
	return (int64_t)(bench_per_s(r) + 0.5);
}

/* This run's line of the scale record (bench_scale.c). */
static int record_scale(const cli_ctx *ctx, const bench_cfg *c,
			const bench_results *res, const bench_proj_figs *pf)
{
	bench_scale_row row;
	int64_t *v = row.v;
	memset(&row, 0, sizeof row);
	v[BENCH_SCALE_EVENTS] = c->proj_only ? (int64_t)c->proj_events
					     : (int64_t)c->events;
	v[BENCH_SCALE_PROJ_EVENTS] = (int64_t)c->proj_events;
	v[BENCH_SCALE_APPEND] = per_s(&res->bulk);
	v[BENCH_SCALE_APPEND_SQLITE] = per_s(&res->peer_bulk);
	v[BENCH_SCALE_VERIFY] = per_s(&res->verify);
	v[BENCH_SCALE_VERIFY_SQLITE] = per_s(&res->peer_check);
	v[BENCH_SCALE_IMPORT] = per_s(&pf->import);
	v[BENCH_SCALE_REBUILD] = per_s(&pf->rebuild);
	v[BENCH_SCALE_ASOF] = per_s(&pf->asof_seq);
	if (pf->has_peer) {
		v[BENCH_SCALE_IMPORT_SQLITE] = per_s(&pf->peer.load);
		v[BENCH_SCALE_REBUILD_SQL] = per_s(&pf->peer.sql);
		v[BENCH_SCALE_REBUILD_C] = per_s(&pf->peer.cursor);
		v[BENCH_SCALE_REBUILD_C_OURS] = per_s(&pf->peer.ours_fold);
		v[BENCH_SCALE_ASOF_SQLITE] = per_s(&pf->peer.asof);
	}
	if (bench_scale_record(c->scale_record, &row) != 0)
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: %s",
				 c->scale_record, strerror(errno));
	printf(_("\nscale: this run's figures appended to %s\n"),
	       c->scale_record);
	return 0;
}

static int run_all(const cli_ctx *ctx, const bench_cfg *c,
		   const bench_pool *p)
{
	bench_results res;
	bench_proj_figs pf;
	memset(&res, 0, sizeof res);
	memset(&pf, 0, sizeof pf);
	if (c->proj_only) {
		int code = run_projections(ctx, c, &pf);
		return !code && c->scale_record
			   ? record_scale(ctx, c, &res, &pf)
			   : code;
	}
	int code = run_raw_fsync(ctx, c, &res);
	if (!code)
		code = run_appends(ctx, c, p, &res);
	if (!code)
		code = run_bulk(ctx, c, p, &res);
	if (!code)
		code = run_group(ctx, c, &res);
	if (!code)
		code = run_reads(ctx, c, &res);
	if (!code) {
		print_reads(&res);
		code = run_raw_put(ctx, c, &res);
	}
	if (!code && c->peer)
		code = run_peer(ctx, c, p, &res);
	if (!code)
		print_summary(&res);
	if (!code)
		code = run_projections(ctx, c, &pf);
	if (!code && c->scale_record)
		code = record_scale(ctx, c, &res, &pf);
	return code;
}

int cli_cmd_bench(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &bench_spec, argc, argv, &a, &code))
		return code;
	bench_cfg c;
	if ((code = setup(ctx, &a, &c)) != 0)
		return code;
	if (c.scale_svg) { /* draw only: the scratch directory is not used */
		rm_tree(c.dir);
		return draw_scale(ctx, &c);
	}
	bench_pool *p = malloc(sizeof *p);
	if (!p) {
		rm_tree(c.dir);
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	}
	make_pool(p);
	print_conditions(&c, p);
	code = run_all(ctx, &c, p);
	free(p);
	rm_tree(c.dir);
	return code;
}
