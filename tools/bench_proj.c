/*
 * bench_proj.c - measuring the projections: how fast all three are rebuilt
 * from a generated ledger, how fast NDJSON is imported through the ledger
 * (parse, validate, decide roles, append, fold inline), how fast a stock
 * card is read as of a point in the past, and how much memory a rebuild
 * takes.
 *
 * The ledger is generated from the catalog's sample payloads
 * (svl_event_sample_json) with their ids rewritten per job, part, pick and
 * order, in the proportions of a service department: per job a booking,
 * reception, inspection, quote, signature, dispatch, completion, three QC
 * checks, readiness, settlement, payment, delivery and one or two
 * follow-up calls; per job one or two part picks with their seven
 * signatures, the old part and the issue; a receipt every few jobs, counts
 * and the odd complaint. The projections fold it like any other log; the
 * deciders are not involved (the import figure includes the role check).
 */
#include "bench_proj.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "svcledger.h"

#define PARTS 500
#define JOB_EVENTS_MAX 48
#define T0_MS INT64_C(1782864000000) /* 2026-07-01T00:00Z */

typedef struct gen {
	json_t *sample[1024]; /* parsed samples by type id */
	uint64_t job;         /* the job being generated */
	int64_t at_ms;
	uint64_t rng;
} gen;

static uint64_t rnd(gen *g)
{
	uint64_t z = (g->rng += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (json_object_get(o, k))
		json_object_set_new(o, k, json_string(v));
}

/* Rewrite the ids of a payload (and of its lines) for this job. */
static void rewrite(gen *g, json_t *p, int part)
{
	char wo[32], pn[32], bin[32], pick[32], po[32], stk[32], wof[32],
		cmp[32];
	snprintf(wo, sizeof wo, "WO-%llu", (unsigned long long)g->job);
	snprintf(pn, sizeof pn, "P-%05d", part);
	snprintf(bin, sizeof bin, "W%d-R%02d-%d-%02d", part % 3 + 1,
		 part / 10 % 40, part % 7 + 1, part % 10);
	snprintf(pick, sizeof pick, "PK-%llu", (unsigned long long)g->job);
	snprintf(po, sizeof po, "PO-%llu", (unsigned long long)g->job / 8);
	snprintf(stk, sizeof stk, "STK-%llu", (unsigned long long)g->job / 40);
	snprintf(wof, sizeof wof, "WOF-%llu", (unsigned long long)g->job / 400);
	snprintf(cmp, sizeof cmp, "CMP-%llu", (unsigned long long)g->job);
	set_str(p, "wo_id", wo);
	set_str(p, "part_no", pn);
	set_str(p, "bin", bin);
	set_str(p, "pick_id", pick);
	set_str(p, "po_id", po);
	set_str(p, "stk_id", stk);
	set_str(p, "wof_id", wof);
	set_str(p, "cmp_id", cmp);
	json_t *lines = json_object_get(p, "lines");
	size_t i;
	json_t *line;
	json_array_foreach(lines, i, line)
	{
		set_str(line, "wo_id", wo);
		set_str(line, "part_no", pn);
		set_str(line, "bin", bin);
	}
}

/* One event of `type` for the current job as an NDJSON line. */
static int line_of(gen *g, uint32_t type, int part, char *out, size_t cap)
{
	json_t *s = g->sample[type];
	if (!s)
		return -1;
	json_t *p = json_deep_copy(s);
	rewrite(g, p, part);
	const svl_event_type *t = svl_event_type_get(type);
	json_t *ev = json_pack("{s:s, s:s, s:s, s:I, s:o}", "type", t->name,
			       "actor", "E001", "role", "service_manager",
			       "occurred_at_ms", (json_int_t)g->at_ms,
			       "payload", p);
	g->at_ms += 1000 + (int64_t)(rnd(g) % 60000);
	int n = ev ? (int)json_dumpb(ev, out, cap, JSON_COMPACT) : -1;
	json_decref(ev);
	return n > 0 && (size_t)n < cap ? n : -1;
}

static const uint32_t job_types[] = {
	SVL_T_BOOKING_REQUESTED,  SVL_T_BOOKING_CONFIRMED,
	SVL_T_VEHICLE_RECEIVED,   SVL_T_INSPECTION_RECORDED,
	SVL_T_QUOTE_ISSUED,       SVL_T_WORK_ORDER_CONFIRMED,
	SVL_T_WORK_DISPATCHED,    SVL_T_PICK_REQUESTED,
	SVL_T_PICK_SIGNED,        SVL_T_PICK_SIGNED,
	SVL_T_PICK_SIGNED,        SVL_T_PICK_SIGNED,
	SVL_T_PICK_SIGNED,        SVL_T_PICK_SIGNED,
	SVL_T_OLD_PART_RETURNED,  SVL_T_PARTS_ISSUED,
	SVL_T_WORK_COMPLETED,     SVL_T_QC_CHECKED,
	SVL_T_QC_CHECKED,         SVL_T_QC_CHECKED,
	SVL_T_VEHICLE_READY,      SVL_T_SETTLEMENT_ISSUED,
	SVL_T_PAYMENT_RECEIVED,   SVL_T_VEHICLE_DELIVERED,
	SVL_T_FOLLOWUP_ATTEMPTED,
};

/* The NDJSON of one job (and the stock and odd events around it). */
static size_t job_lines(gen *g, char *buf, size_t cap, size_t *count)
{
	size_t at = 0;
	int part = (int)(rnd(g) % PARTS);
	uint32_t extra[8];
	size_t ne = 0;
	if (g->job % 4 == 0)
		extra[ne++] = SVL_T_PARTS_SHELVED;
	if (g->job % 10 == 0)
		extra[ne++] = SVL_T_STOCKTAKE_LINE_COUNTED;
	if (g->job % 3 == 0)
		extra[ne++] = SVL_T_FOLLOWUP_ATTEMPTED;
	if (g->job % 50 == 0)
		extra[ne++] = SVL_T_COMPLAINT_OPENED;
	if (g->job % 50 == 0)
		extra[ne++] = SVL_T_COMPLAINT_CLASSIFIED;
	for (size_t i = 0; i < ne; i++) {
		int n = line_of(g, extra[i], part, buf + at, cap - at - 1);
		if (n > 0) {
			at += (size_t)n;
			buf[at++] = '\n';
			(*count)++;
		}
	}
	for (size_t i = 0; i < sizeof job_types / sizeof job_types[0]; i++) {
		int n = line_of(g, job_types[i], part, buf + at, cap - at - 1);
		if (n > 0) {
			at += (size_t)n;
			buf[at++] = '\n';
			(*count)++;
		}
	}
	g->job++;
	return at;
}

static int gen_init(gen *g)
{
	memset(g, 0, sizeof *g);
	g->at_ms = T0_MS;
	g->rng = 20261127;
	for (size_t i = 0; i < svl_event_type_count(); i++) {
		const svl_event_type *t = svl_event_type_at(i);
		const char *s = svl_event_sample_json(t->id);
		if (t->id < 1024 && s)
			g->sample[t->id] = json_loads(s, 0, NULL);
	}
	return g->sample[SVL_T_BOOKING_REQUESTED] ? 0 : -1;
}

static void gen_free(gen *g)
{
	for (size_t i = 0; i < 1024; i++)
		json_decref(g->sample[i]);
}


/* ---- import: parse, validate, append, fold inline ---- */

typedef struct chunk {
	char *text;
	size_t len, cap, events;
} chunk;

#define CHUNK_EVENTS 10000

static int make_chunk(gen *g, chunk *c)
{
	c->len = 0;
	c->events = 0;
	while (c->events < CHUNK_EVENTS) {
		if (c->cap - c->len < JOB_EVENTS_MAX * 2048) {
			size_t ncap = c->cap ? c->cap * 2 : (size_t)8 << 20;
			char *nt = realloc(c->text, ncap);
			if (!nt)
				return SVL_ENOMEM;
			c->text = nt;
			c->cap = ncap;
		}
		c->len += job_lines(g, c->text + c->len, c->cap - c->len,
				    &c->events);
	}
	return SVL_OK;
}

/* Parse and append one chunk; the projections fold inside the append. */
static int import_chunk(svl_ledger *l, const chunk *c, svl_event_in *evs,
			svl_event_arena *arena)
{
	size_t n = 0;
	arena->used = 0;
	for (const char *s = c->text, *end = c->text + c->len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = (size_t)((nl ? nl : end) - s);
		svl_event_error err;
		int rc = svl_event_input_json(&evs[n], arena, s, len, &err);
		if (rc != SVL_OK) {
			fprintf(stderr,
				_("bench: generated line refused: %s: %s\n"),
				err.path, err.msg);
			return rc;
		}
		n++;
		s = nl ? nl + 1 : end;
	}
	return svl_log_append(svl_ledger_log(l), evs, n, NULL);
}

static int run_import(svl_ledger *l, uint64_t target, bench_rate *out)
{
	gen g;
	chunk c = {0};
	svl_event_in *evs = calloc(CHUNK_EVENTS + JOB_EVENTS_MAX, sizeof *evs);
	svl_event_arena arena = {malloc((size_t)64 << 20), (size_t)64 << 20, 0};
	int rc = gen_init(&g) || !evs || !arena.buf ? SVL_ENOMEM : SVL_OK;
	memset(out, 0, sizeof *out);
	while (rc == SVL_OK && out->ops < target) {
		if ((rc = make_chunk(&g, &c)) != SVL_OK) /* outside the clock */
			break;
		double t0 = bench_now();
		rc = import_chunk(l, &c, evs, &arena);
		out->secs += bench_now() - t0;
		out->ops += c.events;
		out->bytes += c.len;
	}
	gen_free(&g);
	free(c.text);
	free(evs);
	free(arena.buf);
	return rc;
}

/* ---- rebuild, in a child process so that its memory is its own ---- */

typedef struct rebuild_fig {
	int rc;
	double secs;
	uint64_t events;
	long hwm_kb;      /* peak resident set (VmHWM), mapped file included */
	long anon_kb;     /* peak anonymous memory seen during the rebuild */
} rebuild_fig;

static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, n) == 0)
			v = strtol(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static void sample_anon(uint64_t done, uint64_t total, int64_t eta,
			void *payload)
{
	(void)done;
	(void)total;
	(void)eta;
	long a = status_kb("RssAnon:");
	rebuild_fig *r = payload;
	if (a > r->anon_kb)
		r->anon_kb = a;
}

static void rebuild_child(const char *ledger_dir, int fd)
{
	rebuild_fig r = {0};
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC;
	svl_ledger *l;
	r.rc = svl_ledger_open(&l, ledger_dir, &o);
	if (r.rc == SVL_OK) {
		svl_rebuild_options ro = SVL_REBUILD_OPTIONS_INIT;
		svl_rebuild_report rep;
		ro.flags = SVL_REBUILD_SWITCH;
		ro.progress = sample_anon;
		ro.payload = &r;
		double t0 = bench_now();
		r.rc = svl_ledger_rebuild(l, NULL, &ro, &rep);
		r.secs = bench_now() - t0;
		r.events = rep.events;
		svl_ledger_close(l);
	}
	r.hwm_kb = status_kb("VmHWM:");
	if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
		_exit(2);
	_exit(0);
}

static int run_rebuild(const char *ledger_dir, rebuild_fig *out)
{
	int fds[2];
	memset(out, 0, sizeof *out);
	if (pipe(fds) != 0)
		return SVL_EIO;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		rebuild_child(ledger_dir, fds[1]);
	}
	close(fds[1]);
	int st = 0;
	ssize_t got = pid > 0 ? read(fds[0], out, sizeof *out) : -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (got != (ssize_t)sizeof *out)
		return SVL_EIO;
	return out->rc;
}

/* ---- as-of stock cards ---- */

static int time_asof(svl_ledger *l, enum svl_asof_kind kind, uint64_t head,
		     int64_t last_ms, bench_rate *out)
{
	bench_lat lat = {0};
	gen g = {.rng = 7};
	memset(out, 0, sizeof *out);
	for (int i = 0; i < 2000; i++) {
		char pn[32];
		snprintf(pn, sizeof pn, "P-%05d", (int)(rnd(&g) % PARTS));
		svl_asof a = {kind, 1 + rnd(&g) % head,
			      T0_MS + (int64_t)(rnd(&g) %
						(uint64_t)(last_ms - T0_MS))};
		svl_stock_card c;
		double t0 = bench_now();
		int rc = svl_stock_card_get(l, pn, NULL, &a, &c);
		double dt = bench_now() - t0;
		if (rc != SVL_OK && rc != SVL_ENOTFOUND) {
			bench_lat_free(&lat);
			return rc;
		}
		out->secs += dt;
		out->ops++;
		bench_lat_add(&lat, dt * 1e6);
	}
	out->p50_us = bench_lat_pct(&lat, 50);
	out->p99_us = bench_lat_pct(&lat, 99);
	bench_lat_free(&lat);
	return SVL_OK;
}

static void print_asof(FILE *out, svl_ledger *l, uint64_t head,
		       bench_rate *seq_out)
{
	static const struct {
		enum svl_asof_kind kind;
		const char *what;
	} kinds[] = {{SVL_ASOF_NOW, "now"},
		     {SVL_ASOF_SEQ, "as of a seq"},
		     {SVL_ASOF_KNOWN, "known at a time"},
		     {SVL_ASOF_OCCURRED, "occurred by a time"}};
	svl_record last;
	svl_iter *it;
	int64_t last_ms = T0_MS + 1;
	if (svl_log_iter_seq(svl_ledger_log(l), head, head, &it) == SVL_OK) {
		if (svl_iter_next(it, &last) == SVL_OK)
			last_ms = last.occurred_at_ms;
		svl_iter_close(it);
	}
	for (size_t k = 0; k < 4; k++) {
		bench_rate r;
		if (time_asof(l, kinds[k].kind, head, last_ms, &r) != SVL_OK)
			continue;
		if (kinds[k].kind == SVL_ASOF_SEQ)
			*seq_out = r;
		fprintf(out,
			_("as-of stock card, %-19s %8.1f us mean, p50 %.1f us, "
			  "p99 %.1f us (2,000 random parts)\n"),
			kinds[k].what, r.secs / (double)r.ops * 1e6, r.p50_us,
			r.p99_us);
	}
}

/* ---- the peer: the stock-card projection on SQLite ---- */

static double ratio(double ours, double theirs)
{
	return theirs > 0 ? ours / theirs : 0;
}

static void print_peer(FILE *out, const bench_proj_figs *f, uint64_t events)
{
	const bench_stock_figs *p = &f->peer;
	double imp = bench_per_s(&f->import), rb = bench_per_s(&f->rebuild);
	double ours_us = f->asof_seq.ops ? f->asof_seq.secs * 1e6 /
					       (double)f->asof_seq.ops
					 : 0;
	double sql_us = p->asof.ops ? p->asof.secs * 1e6 / (double)p->asof.ops
				    : 0;
	fprintf(out,
		_("\npeer: the stock-card projection (on hand and "
		  "moving-average value per part and bin)\n  on SQLite %s: "
		  "the same %llu events in its events table, plus the "
		  "payload as JSON\n  (body TEXT, read by SQL with JSON1), "
		  "synchronous=OFF; ratio = ours / SQLite\n"),
		sqlite3_libversion(), (unsigned long long)events);
	fprintf(out,
		_("  import: ours NDJSON, projections inline %10.0f events/s"
		  "  SQLite inserts, batch 10,000 %10.0f events/s  x%.2f\n"),
		imp, bench_per_s(&p->load), ratio(imp, bench_per_s(&p->load)));
	fprintf(out,
		_("  rebuild: ours, svl_ledger_rebuild (all 3 projections) "
		  "%10.0f events/s (%.2f s)\n"),
		rb, f->rebuild.secs);
	fprintf(out,
		_("  rebuild: SQL (JSON1, window, recursive CTE)           "
		  "%10.0f events/s (%.2f s)  x%.2f\n"),
		bench_per_s(&p->sql), p->sql.secs,
		ratio(rb, bench_per_s(&p->sql)));
	fprintf(out,
		_("  rebuild: C over an SQLite cursor (svl_event_decode)   "
		  "%10.0f events/s (%.2f s)  x%.2f\n"),
		bench_per_s(&p->cursor), p->cursor.secs,
		ratio(rb, bench_per_s(&p->cursor)));
	fprintf(out,
		_("  the same C fold over our log (svl_log_iter_seq)        "
		  "%10.0f events/s (%.2f s)  x%.2f against the SQLite cursor\n"),
		bench_per_s(&p->ours_fold), p->ours_fold.secs,
		ratio(bench_per_s(&p->ours_fold), bench_per_s(&p->cursor)));
	fprintf(out,
		_("  as-of a card at a seq: ours %.1f us mean, SQLite "
		  "(stock_lines) %.1f us mean, p99 %.1f us  x%.2f\n"),
		ours_us, sql_us, p->asof.p99_us, ratio(sql_us, ours_us));
	fprintf(out,
		_("  check: %llu cards, %llu movements: SQL == C == ours, on "
		  "hand and value, card for card\n"),
		(unsigned long long)p->cards,
		(unsigned long long)p->movements);
}

/* The peer over the ledger at path (our rebuild done): SVL_ECORRUPT when
 * a card differs, detail on stderr. */
static int run_peer(const char *dir, const char *path, bench_proj_figs *f)
{
	char db[4200], err[512];
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC;
	svl_ledger *l;
	int rc = svl_ledger_open(&l, path, &o);
	if (rc != SVL_OK) {
		fprintf(stderr, _("bench: %s\n"), svl_log_last_error());
		return rc;
	}
	snprintf(db, sizeof db, "%s/peer-stock.db", dir);
	if (bench_stock_peer(db, l, &f->peer, err, sizeof err) != 0) {
		fprintf(stderr, _("bench: the peer's stock cards: %s\n"), err);
		rc = f->peer.mismatches ? SVL_ECORRUPT : SVL_EIO;
	}
	svl_ledger_close(l);
	f->has_peer = rc == SVL_OK;
	return rc;
}

int bench_projections(const char *dir, uint64_t events, int peer, FILE *out,
		      bench_proj_figs *figs)
{
	bench_proj_figs local;
	bench_proj_figs *f = figs ? figs : &local;
	memset(f, 0, sizeof *f);
	char path[4200];
	snprintf(path, sizeof path, "%s/projections", dir);
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE | SVL_LOG_NOSYNC;
	o.map_size_bytes = (size_t)(256u << 20) + (size_t)events * 3072;
	svl_ledger *l;
	int rc = svl_ledger_open(&l, path, &o);
	if (rc != SVL_OK) {
		fprintf(stderr, _("bench: %s\n"), svl_log_last_error());
		return rc;
	}
	bench_rate imp;
	fprintf(out,
		_("\nprojections: a generated ledger of %llu events (the "
		  "department's mix: jobs, picks,\n  receipts, counts, "
		  "follow-ups; %d parts), NOSYNC\n"),
		(unsigned long long)events, PARTS);
	rc = run_import(l, events, &imp);
	if (rc == SVL_OK)
		fprintf(out,
			_("NDJSON import, parse + validate + append + "
			  "projections inline: %.0f events/s (%llu events, "
			  "%.1f s, %.0f B/line)\n"),
			bench_per_s(&imp), (unsigned long long)imp.ops,
			imp.secs, (double)imp.bytes / (double)imp.ops);
	svl_head h = {0};
	if (rc == SVL_OK)
		rc = svl_log_head(svl_ledger_log(l), &h);
	if (rc == SVL_OK)
		print_asof(out, l, h.seq, &f->asof_seq);
	svl_ledger_close(l);
	rebuild_fig rb;
	if (rc == SVL_OK && (rc = run_rebuild(path, &rb)) == SVL_OK)
		fprintf(out,
			_("full rebuild of the projections: %.0f events/s "
			  "(%llu events, %.1f s); peak memory %ld MiB "
			  "anonymous, %ld MiB resident with the mapped "
			  "ledger\n"),
			(double)rb.events / rb.secs,
			(unsigned long long)rb.events, rb.secs,
			rb.anon_kb / 1024, rb.hwm_kb / 1024);
	f->import = imp;
	f->rebuild.ops = rb.events;
	f->rebuild.secs = rb.secs;
	if (rc == SVL_OK && peer && (rc = run_peer(dir, path, f)) == SVL_OK)
		print_peer(out, f, h.seq);
	return rc;
}
