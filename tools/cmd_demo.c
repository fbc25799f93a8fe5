/*
 * cmd_demo.c - `svcledger demo`: a short, engine-level tour on a fresh
 * ledger. It appends a few hundred events in batches to a handful of
 * streams, shows that a retried batch appends nothing and that a stale
 * expected version is refused, then prints the head and verifies the chain.
 *
 * Everything is deterministic: content, event ids and recorded times come
 * from a fixed seed and a fixed start time (an import, in the engine's
 * terms), so every run builds byte-identical events and the same head hash.
 * Event type numbers here are placeholders, not the events/ catalog.
 *
 * Safety: the demo directory is removed and recreated, but only when it
 * holds nothing but a ledger (data.mdb, lock.mdb); anything else in it
 * makes the demo stop rather than delete it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <msgpack.h>

#include "cli.h"

#define DEMO_SEED 20260930u
#define DEMO_START_MS 1790755200000LL /* 2026-09-30T08:00:00Z */
#define DEMO_BATCHES 4
#define DEMO_MAX_BATCH 128

static const size_t batch_sizes[DEMO_BATCHES] = {120, 80, 100, 100};

static const char *const streams[] = {
	"part-0001234", "part-0004711", "part-0020518",
	"part-0107733", "wo-2026-00042", "wo-2026-00043"};
#define N_STREAMS (sizeof streams / sizeof streams[0])
#define N_PARTS 4

static const struct {
	const char *actor, *role;
} staff[] = {{"E0101", "parts-clerk"},
	     {"E0102", "parts-clerk"},
	     {"E0201", "technician"},
	     {"E0301", "service-advisor"}};

static const cli_opt demo_opts[] = {
	{"ledger", 'd', "DIR", "where to build it (default ./demo-ledger)"},
	CLI_OPT_END};
enum { DEMO_DIR };

static const cli_spec demo_spec = {
	"demo", "[-d DIR]",
	"Build a small example ledger (400 events, 6 streams, 4 batches) in a\n"
	"fresh directory, show an idempotent retry and a version conflict,\n"
	"then print the head and verify the chain. DIR is removed first, but\n"
	"only if it holds nothing but a ledger. The content is deterministic:\n"
	"every run gives the same head hash.",
	demo_opts, 0,
	"  $ svcledger demo\n"
	"  demo ledger ./demo-ledger (fresh)\n"
	"  batch 1: 120 events appended, seq 1..120\n"
	"  ...\n"
	"  verify: OK: 400 events, head seq 400, hash 749b9460b4a102c4f9ef5e4a2be6319b\n"};

/* ---- deterministic content ---- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

typedef struct demo_batch {
	svl_event_in ev[DEMO_MAX_BATCH];
	msgpack_sbuffer payload[DEMO_MAX_BATCH];
	size_t n;
} demo_batch;

static void pack_str(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* A payload as a parts or work-order event would carry it. */
static void make_payload(msgpack_sbuffer *sb, size_t stream, uint64_t r,
			 uint64_t seq)
{
	char doc[32], bin[16];
	msgpack_packer pk;
	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	pack_str(&pk, "doc");
	snprintf(doc, sizeof doc, "%s-2026-%06llu",
		 stream < N_PARTS ? "GRN" : "WO", (unsigned long long)seq);
	pack_str(&pk, doc);
	pack_str(&pk, stream < N_PARTS ? "bin" : "part");
	snprintf(bin, sizeof bin, "A-%02u-%02u", (unsigned)(r % 12 + 1),
		 (unsigned)(r >> 8) % 40 + 1);
	pack_str(&pk, stream < N_PARTS ? bin : streams[r % N_PARTS]);
	pack_str(&pk, "qty_milli");
	msgpack_pack_int64(&pk, (int64_t)((r >> 16) % 24 + 1) * 1000);
	pack_str(&pk, "unit_cost_fen");
	msgpack_pack_int64(&pk, (int64_t)((r >> 24) % 90000 + 500));
}

/* A time-ordered id: 48-bit ms, 16-bit counter, 64 bits from the seed. */
static void make_id(uint8_t id[SVL_ID_SIZE], int64_t ms, uint64_t count,
		    uint64_t r)
{
	for (int i = 5; i >= 0; i--, ms >>= 8)
		id[i] = (uint8_t)(ms & 0xff);
	id[6] = (uint8_t)(count >> 8);
	id[7] = (uint8_t)count;
	for (int i = 0; i < 8; i++)
		id[8 + i] = (uint8_t)(r >> (8 * i));
}

static void make_batch(demo_batch *b, size_t n, uint64_t *rng,
		       uint64_t *seq, int64_t *at_ms)
{
	b->n = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t r = splitmix(rng);
		size_t s = (size_t)(r % N_STREAMS);
		svl_event_in *ev = &b->ev[i];
		memset(ev, 0, sizeof *ev);
		*at_ms += 1000 + (int64_t)(r >> 40) % 60000;
		++*seq;
		make_payload(&b->payload[i], s, r, *seq);
		ev->stream = streams[s];
		ev->stream_len = strlen(streams[s]);
		ev->type = s < N_PARTS ? 1 + (unsigned)(r >> 12) % 3 : 10;
		ev->schema_version = 1;
		ev->occurred_at_ms = *at_ms - (int64_t)(r >> 50) % 5000;
		ev->recorded_at_ms = *at_ms;
		size_t who = s < N_PARTS ? (r >> 4) % 2 : 2 + (r >> 4) % 2;
		ev->actor = staff[who].actor;
		ev->actor_len = strlen(ev->actor);
		ev->role = staff[who].role;
		ev->role_len = strlen(ev->role);
		make_id(ev->id, *at_ms, *seq, splitmix(rng));
		ev->payload = (const uint8_t *)b->payload[i].data;
		ev->payload_len = b->payload[i].size;
		ev->expected_version = SVL_VERSION_ANY;
	}
}

static void free_batch(demo_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		msgpack_sbuffer_destroy(&b->payload[i]);
	b->n = 0;
}

/* ---- the fresh directory ---- */

static int remove_ledger_dir(const cli_ctx *ctx, const char *dir)
{
	char path[4096];
	static const char *const files[] = {"data.mdb", "lock.mdb"};
	for (size_t i = 0; i < 2; i++) {
		if (snprintf(path, sizeof path, "%s/%s", dir, files[i]) >=
		    (int)sizeof path)
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "%s: path too long", dir);
		if (unlink(path) != 0 && errno != ENOENT && errno != ENOTDIR)
			return cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", path,
					 strerror(errno));
	}
	if (rmdir(dir) != 0 && errno != ENOENT)
		return cli_error(ctx, CLI_EXIT_ERROR,
				 "%s: %s (it holds more than a ledger; not "
				 "removing it)",
				 dir, strerror(errno));
	return 0;
}

/* ---- the tour ---- */

static int append_batches(const cli_ctx *ctx, svl_log *log, demo_batch *b)
{
	uint64_t rng = DEMO_SEED, seq = 0;
	int64_t at_ms = DEMO_START_MS;
	svl_position pos[DEMO_MAX_BATCH];
	for (int k = 0; k < DEMO_BATCHES; k++) {
		free_batch(b);
		make_batch(b, batch_sizes[k], &rng, &seq, &at_ms);
		int rc = svl_log_append(log, b->ev, b->n, pos);
		if (rc != SVL_OK)
			return cli_svl_error(ctx, rc, svl_log_errmsg(log));
		printf("batch %d: %zu events appended, seq %llu..%llu\n", k + 1,
		       b->n, (unsigned long long)pos[0].seq,
		       (unsigned long long)pos[b->n - 1].seq);
	}
	return 0;
}

/* The last batch again, same ids: a safe retry appends nothing. */
static int show_retry(const cli_ctx *ctx, svl_log *log, demo_batch *b)
{
	svl_position pos[DEMO_MAX_BATCH];
	int rc = svl_log_append(log, b->ev, b->n, pos);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_errmsg(log));
	size_t dups = 0;
	for (size_t i = 0; i < b->n; i++)
		dups += pos[i].duplicate != 0;
	printf("retry of batch %d with the same ids: %zu of %zu already in "
	       "the log, nothing appended\n",
	       DEMO_BATCHES, dups, b->n);
	return 0;
}

/* A writer that read part-0001234 at version 1 long ago is refused. */
static int show_conflict(const cli_ctx *ctx, svl_log *log, demo_batch *b)
{
	svl_event_in ev = b->ev[0];
	ev.stream = streams[0];
	ev.stream_len = strlen(streams[0]);
	memset(ev.id, 0, sizeof ev.id);
	ev.recorded_at_ms = 0;
	ev.expected_version = 1;
	int rc = svl_log_append(log, &ev, 1, NULL);
	if (rc != SVL_ECONFLICT)
		return cli_error(ctx, CLI_EXIT_ERROR,
				 "stale append was not refused (%s)",
				 svl_strerror(rc));
	printf("append expecting %s@1: refused, %s\n", streams[0],
	       svl_log_errmsg(log));
	return 0;
}

static int show_state(const cli_ctx *ctx, svl_log *log)
{
	fputs("streams:", stdout);
	for (size_t s = 0; s < N_STREAMS; s++) {
		uint64_t v = 0;
		int rc = svl_log_stream_version(log, streams[s],
						strlen(streams[s]), &v);
		if (rc != SVL_OK)
			return cli_svl_error(ctx, rc, svl_log_errmsg(log));
		printf(" %s@%llu", streams[s], (unsigned long long)v);
	}
	svl_head h;
	svl_verify_report rep;
	int rc = svl_log_head(log, &h);
	if (rc == SVL_OK)
		rc = svl_log_verify(log, &rep);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_errmsg(log));
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)], iso[CLI_ISO_SIZE];
	printf("\nhead seq %llu, hash %s, recorded %s\n",
	       (unsigned long long)h.seq, cli_hex(hash, h.hash, SVL_HASH_SIZE),
	       cli_iso_time(iso, h.recorded_at_ms));
	if (!rep.ok) {
		printf("FAILED at seq %llu: %s: %s\n",
		       (unsigned long long)rep.bad_seq,
		       svl_verify_problem_name(rep.problem), rep.detail);
		return CLI_EXIT_INTEGRITY;
	}
	printf("verify: OK: %llu events, head seq %llu, hash %s\n",
	       (unsigned long long)rep.events,
	       (unsigned long long)rep.head.seq,
	       cli_hex(hash, rep.head.hash, SVL_HASH_SIZE));
	return 0;
}

int cli_cmd_demo(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &demo_spec, argc, argv, &a, &code))
		return code;
	const char *dir = a.val[DEMO_DIR] ? a.val[DEMO_DIR] : "./demo-ledger";
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((code = remove_ledger_dir(ctx, dir)) != 0)
		return code;
	svl_log *log;
	if ((code = cli_open(ctx, dir, SVL_LOG_CREATE, &log)) != 0)
		return code;
	printf("demo ledger %s (fresh)\n", dir);
	demo_batch *b = calloc(1, sizeof *b);
	if (!b)
		code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	if (!code)
		code = append_batches(ctx, log, b);
	if (!code)
		code = show_retry(ctx, log, b);
	if (!code)
		code = show_conflict(ctx, log, b);
	if (!code)
		code = show_state(ctx, log);
	if (b)
		free_batch(b);
	free(b);
	svl_log_close(log);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!code)
		printf("done in %.0f ms; next: svcledger log -d %s --limit 10\n",
		       (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			       (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
		       dir);
	return code;
}
