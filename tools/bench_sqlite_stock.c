/*
 * bench_sqlite_stock.c - the stock-card projection on the peer, for
 * `svcledger bench --peer sqlite`: the projections' generated ledger
 * loaded into SQLite's events table (bench_sqlite.c's inserts), then on
 * hand and moving-average value per part and bin rebuilt three ways
 * (two over that table, one over our log):
 *
 *  (a) in SQL: the movements read from the JSON body with JSON1 into a
 *      table numbered per card (a window function), then a recursive CTE
 *      that walks each card's movements in seq order carrying on hand,
 *      value, last cost, quarantined and held (moving average is a
 *      recurrence with rounding at every step: no sum or window can say
 *      it); every step is written to stock_lines(part, bin, seq, ...), the
 *      history the SQL as-of reads, and the last per card to stock.
 *  (b) in C over an SQLite cursor: SELECT type, schema_version, payload
 *      ORDER BY seq, each payload decoded with svl_event_decode, folded
 *      into a hash map.
 *  (c) the same C fold over our log (svl_log_iter_seq): the nearest
 *      like-for-like of ours, since svl_ledger_rebuild rebuilds all
 *      three projections together.
 * Each result is checked card for card against our stock cards; the
 * first difference is the error, so the bench fails loudly.
 *
 * Which event moves which bucket is model/stock_moves.def's, read here as
 * data (svl__move_rule_at, svl__move_lines): the SQL is generated from
 * the table and the C fold reads events through it, so both stay in step
 * with the card (projections/stock_apply.c). The rounding is
 * model/money.h's: half away from zero. Only the movements that change on
 * hand or value are followed: reservations (a memo of on hand) are not;
 * quarantine and written-off-held are carried because value comes back
 * from them. The valuation is moving average, the default rule set the
 * bench's ledger is built under.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "chart.h"
#include "money.h"
#include "stock_moves.h"
#include "svcledger.h"

#define LOAD_BATCH 10000
#define LOAD_ARENA ((size_t)32 << 20)
#define ASOF_QUERIES 2000

/* ---- cards: an open-addressing map keyed by part and bin ---- */

#define KEY_MAX (SVL_PART_MAX + SVL_BIN_MAX + 2)

typedef struct card {
	char key[KEY_MAX]; /* part NUL bin; "" when the slot is free */
	size_t klen;
	int64_t oh, v, lc, qq, qv, hq, hv; /* on hand, value, last cost, ... */
	int seen;			    /* in our cards (the check) */
} card;

typedef struct cards {
	card *slot;
	size_t cap, n; /* cap a power of two, n <= cap / 2 */
} cards;

static size_t key_of(char *key, const char *part, size_t plen,
		     const char *bin, size_t blen)
{
	if (plen > SVL_PART_MAX || blen > SVL_BIN_MAX)
		return 0;
	memcpy(key, part, plen);
	key[plen] = '\0';
	memcpy(key + plen + 1, bin, blen);
	return plen + 1 + blen;
}

static uint64_t hash_of(const char *k, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)k[i]) * UINT64_C(1099511628211);
	return h;
}

static card *find(cards *m, const char *key, size_t klen, int add)
{
	if (add && (m->n + 1) * 2 > m->cap) {
		cards g = {calloc(m->cap ? m->cap * 2 : 1024, sizeof(card)),
			      m->cap ? m->cap * 2 : 1024, 0};
		if (!g.slot)
			return NULL;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i].klen)
				*find(&g, m->slot[i].key, m->slot[i].klen, 1) =
				    m->slot[i];
		free(m->slot);
		*m = g;
	}
	if (!m->cap)
		return NULL;
	for (size_t i = hash_of(key, klen) & (m->cap - 1);;
	     i = (i + 1) & (m->cap - 1)) {
		card *c = &m->slot[i];
		if (c->klen == klen && memcmp(c->key, key, klen) == 0)
			return c;
		if (c->klen == 0) {
			if (!add)
				return NULL;
			memcpy(c->key, key, klen);
			c->klen = klen;
			m->n++;
			return c;
		}
	}
}

/* ---- the load: our log into the peer's table ---- */

typedef struct load {
	svl_event_in ev[LOAD_BATCH];
	char *body[LOAD_BATCH];
	uint8_t *arena;
	size_t used, n;
	bench_peer *p;
	bench_rate *out;
} load;

static void *take(load *d, const void *src, size_t n)
{
	void *at = d->arena + d->used;
	memcpy(at, src, n);
	d->used += n;
	return at;
}

static int flush(load *d, char *err, size_t errlen)
{
	double t0 = bench_now();
	int rc = bench_peer_batch(d->p, d->ev, (const char *const *)d->body,
				  d->n, err, errlen);
	d->out->secs += bench_now() - t0;
	d->out->ops += d->n;
	for (size_t i = 0; i < d->n; i++)
		svl_free(d->body[i]);
	d->n = d->used = 0;
	return rc;
}

/* One record as an event to insert (copied: the iterator's pointers live
 * until its next call) with its payload as JSON. Outside the clock. */
static int add_record(load *d, const svl_record *r, char *err, size_t errlen)
{
	size_t need = r->stream_len + r->actor_len + r->role_len +
		      r->payload_len;
	if ((d->n == LOAD_BATCH || d->used + need > LOAD_ARENA) &&
	    flush(d, err, errlen) != 0)
		return -1;
	svl_event_in *e = &d->ev[d->n];
	memset(e, 0, sizeof *e);
	e->stream = take(d, r->stream, r->stream_len);
	e->stream_len = r->stream_len;
	e->type = r->type;
	e->schema_version = r->schema_version;
	e->occurred_at_ms = r->occurred_at_ms;
	e->actor = take(d, r->actor, r->actor_len);
	e->actor_len = r->actor_len;
	e->role = take(d, r->role, r->role_len);
	e->role_len = r->role_len;
	e->payload = take(d, r->payload, r->payload_len);
	e->payload_len = r->payload_len;
	int rc = svl_event_to_json_text(&d->body[d->n], r->type,
					r->schema_version, r->payload,
					r->payload_len, NULL);
	if (rc != SVL_OK) {
		snprintf(err, errlen, "seq %llu: payload as JSON: %s",
			 (unsigned long long)r->seq, svl_strerror(rc));
		return -1;
	}
	d->n++;
	return 0;
}

static int load_log(svl_log *log, const char *path, bench_rate *out,
		    char *err, size_t errlen)
{
	load *d = calloc(1, sizeof *d);
	svl_iter *it = NULL;
	svl_record r;
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (!d || !(d->arena = malloc(LOAD_ARENA))) {
		snprintf(err, errlen, "out of memory");
		goto out_free;
	}
	d->out = out;
	if (bench_peer_open(&d->p, path, err, errlen) != 0)
		goto out_free;
	int src = svl_log_iter_seq(log, 1, 0, &it);
	while (src == SVL_OK && (src = svl_iter_next(it, &r)) == SVL_OK)
		if (add_record(d, &r, err, errlen) != 0)
			goto out_close;
	if (src != SVL_ITEROVER) {
		snprintf(err, errlen, "reading the log: %s", svl_strerror(src));
		goto out_close;
	}
	rc = d->n ? flush(d, err, errlen) : 0;
out_close:
	svl_iter_close(it);
	for (size_t i = 0; i < d->n; i++)
		svl_free(d->body[i]);
	bench_peer_close(d->p);
out_free:
	if (d)
		free(d->arena);
	free(d);
	return rc;
}

/* ---- (a) in SQL ---- */

/* round(a / b), half away from zero, b > 0: money.h's svl__div_round */
#define RND(a, b)                                                              \
	"(CASE WHEN (" a ") >= 0 THEN ((" a ") + (" b ") / 2) / (" b ") "     \
	"ELSE -((-(" a ") + (" b ") / 2) / (" b ")) END)"
#define AVG_COST                                                               \
	"(CASE WHEN s.oh <= 0 THEN s.lc ELSE " RND("s.v * 1000", "s.oh") " END)"
/* the value that moves with m.q from bucket m.fr (stock_apply.c's
 * card_move: in at the cost or the average; out at the bucket's share) */
#define VAL                                                                    \
	"(CASE m.fr WHEN 0 THEN " RND("m.q * coalesce(m.cost, " AVG_COST ")", \
				      "1000")                                  \
	" WHEN 1 THEN (CASE WHEN s.oh <= 0 THEN " RND("m.q * s.lc", "1000")    \
	" WHEN m.q >= s.oh THEN s.v ELSE " RND("s.v * m.q", "s.oh") " END)"    \
	" WHEN 2 THEN (CASE WHEN m.q >= s.qq THEN s.qv ELSE "                  \
	RND("s.qv * m.q", "s.qq") " END)"                                      \
	" ELSE (CASE WHEN m.q >= s.hq THEN s.hv ELSE "                         \
	RND("s.hv * m.q", "s.hq") " END) END)"
#define BUCKET(b, qty, val)                                                    \
	"s." qty " - (CASE WHEN m.fr = " b " THEN m.q ELSE 0 END)"             \
	" + (CASE WHEN m.tu = " b " THEN m.q ELSE 0 END), s." val              \
	" - (CASE WHEN m.fr = " b " THEN " VAL " ELSE 0 END)"                 \
	" + (CASE WHEN m.tu = " b " THEN " VAL " ELSE 0 END)"

_Static_assert(SVL__BUCKET_OUTSIDE == 0 && SVL__BUCKET_ON_HAND == 1 &&
		   SVL__BUCKET_QUARANTINE == 2 && SVL__BUCKET_HELD == 3,
	       "the SQL names the buckets by number");

/* The walk, after the movements (mv): pieces of one script, each a
 * string short enough for every C compiler, joined at run time. */
static const char *const sql_walk[] = {
    "CREATE TABLE m(part TEXT, bin TEXT, n INTEGER, seq INTEGER,"
    " fr INTEGER, tu INTEGER, q INTEGER, cost INTEGER,"
    " PRIMARY KEY(part, bin, n)) WITHOUT ROWID;"
    "INSERT INTO m SELECT part, bin, row_number() OVER"
    " (PARTITION BY part, bin ORDER BY seq, ln, r), seq,"
    " CASE WHEN qty < 0 THEN tu ELSE fr END,"
    " CASE WHEN qty < 0 THEN fr ELSE tu END, abs(qty), cost FROM mv;"
    "CREATE TABLE stock_lines(part TEXT, bin TEXT, seq INTEGER,"
    " n INTEGER, on_hand_milli INTEGER, value_fen INTEGER,"
    " PRIMARY KEY(part, bin, seq, n)) WITHOUT ROWID;"
    "INSERT INTO stock_lines WITH RECURSIVE"
    " s(part, bin, n, seq, oh, v, lc, qq, qv, hq, hv) AS ("
    "  SELECT part, bin, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM m WHERE n = 1"
    "  UNION ALL"
    "  SELECT s.part, s.bin, m.n, m.seq, ",
    BUCKET("1", "oh", "v"),
    ", CASE WHEN m.fr = 0 AND m.cost IS NOT NULL THEN m.cost"
    " ELSE s.lc END, ",
    BUCKET("2", "qq", "qv"),
    ", ",
    BUCKET("3", "hq", "hv"),
    "  FROM s JOIN m ON m.part = s.part AND m.bin = s.bin"
    "   AND m.n = s.n + 1)"
    " SELECT part, bin, seq, n, oh, v FROM s WHERE n > 0;"
    "CREATE TABLE stock(part TEXT, bin TEXT, on_hand_milli INTEGER,"
    " value_fen INTEGER, PRIMARY KEY(part, bin)) WITHOUT ROWID;"
    "INSERT INTO stock SELECT part, bin, on_hand_milli, value_fen"
    " FROM (SELECT part, bin, on_hand_milli, value_fen, max(n)"
    " FROM stock_lines GROUP BY part, bin);",
};

/* The JSON path of field f of type t ("$.part_no"), or of an element of
 * array field a ("$.part_no" read from json_each's value). */
static const char *field_name(const svl_event_type *t, int32_t lines,
			      int32_t f)
{
	const svl_field_def *fd = lines >= 0 ? t->fields[lines].sub : t->fields;
	return fd[f].name;
}

/* One SELECT of mv for rule r: its events' lines as movements. */
static int rule_select(svl__sbuf *b, const svl__move_rule *r, size_t idx)
{
	const svl__move_kind *k = svl__move_kind_of(r->type);
	const svl_event_type *t = svl_event_type_get(r->type);
	if (!k || !t || k->fact)
		return 0;
	const char *el = k->lines >= 0 ? "l.value" : "e.body";
	svl__sbuf_printf(b,
			 "SELECT e.seq AS seq, %s AS ln, %zu AS r, "
			 "json_extract(%s, '$.%s') AS part, "
			 "coalesce(json_extract(%s, '$.%s'), '') AS bin, "
			 "json_extract(%s, '$.%s') AS qty, %d AS fr, %d AS tu, ",
			 k->lines >= 0 ? "l.key" : "0", idx, el,
			 field_name(t, k->lines, k->part), el,
			 field_name(t, k->lines, k->bin), el,
			 field_name(t, k->lines, k->qty), r->from, r->to);
	if (k->cost >= 0)
		svl__sbuf_printf(b,
				 "coalesce(json_extract(e.body, '$.%s'), 0) "
				 "AS cost ",
				 t->fields[k->cost].name);
	else
		svl__sbuf_printf(b, "NULL AS cost ");
	svl__sbuf_printf(b, "FROM ev e");
	if (k->lines >= 0)
		svl__sbuf_printf(b, ", json_each(e.body, '$.%s') l",
				 t->fields[k->lines].name);
	svl__sbuf_printf(b, " WHERE e.type = %u", r->type);
	if (r->when == SVL__WHEN_ALWAYS)
		return 0;
	const svl_field_def *f = &t->fields[r->field];
	const char *op = r->when == SVL__WHEN_PRESENT ? "IS NOT NULL"
			 : r->when == SVL__WHEN_ABSENT ? "IS NULL"
			 : r->when == SVL__WHEN_IS     ? "IS"
						       : "IS NOT";
	svl__sbuf_printf(b, " AND json_extract(e.body, '$.%s') %s", f->name,
			 op);
	if (r->when == SVL__WHEN_IS || r->when == SVL__WHEN_NOT) {
		if (!f->enum_def || r->value < 0 ||
		    r->value >= (int64_t)f->enum_def->n)
			return -1;
		svl__sbuf_printf(b, " '%s'",
				 f->enum_def->values[r->value]);
	}
	return 0;
}

/* The rules that move on hand or value (not the reservation memo). */
static int valued(const svl__move_rule *r)
{
	const svl__move_kind *k = svl__move_kind_of(r->type);
	return k && !k->fact && r->from != SVL__BUCKET_RESERVED &&
	       r->to != SVL__BUCKET_RESERVED;
}

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "SQL: %s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

static int rebuild_sql(sqlite3 *db, bench_rate *out, char *err, size_t errlen)
{
	svl__sbuf mv = SVL__SBUF_INIT;
	const svl__move_rule *r;
	int first = 1;
	/* the script is written outside the clock. One scan of the events
	 * keeps the stock-moving ones (a few percent), so that each rule's
	 * SELECT reads those, not the whole table again. */
	svl__sbuf_printf(&mv, "CREATE TEMP TABLE ev AS SELECT seq, type, body "
			      "FROM events WHERE type IN (");
	for (size_t i = 0; (r = svl__move_rule_at(i)) != NULL; i++) {
		if (!valued(r))
			continue;
		svl__sbuf_printf(&mv, "%s%u", first ? "" : ", ", r->type);
		first = 0;
	}
	svl__sbuf_printf(&mv, ");CREATE TABLE mv AS ");
	first = 1;
	for (size_t i = 0; (r = svl__move_rule_at(i)) != NULL; i++) {
		if (!valued(r))
			continue;
		if (!first)
			svl__sbuf_printf(&mv, " UNION ALL ");
		first = 0;
		if (rule_select(&mv, r, i) != 0)
			svl__sbuf_fail(&mv, SVL_EINVAL, "rule %zu: no enum value",
				       i);
	}
	svl__sbuf_printf(&mv, ";");
	for (size_t i = 0; i < sizeof sql_walk / sizeof sql_walk[0]; i++)
		svl__sbuf_printf(&mv, "%s", sql_walk[i]);
	if (mv.rc != SVL_OK) {
		snprintf(err, errlen, "the movements' SQL: %s", mv.errmsg);
		svl__sbuf_free(&mv);
		return -1;
	}
	double t0 = bench_now();
	int rc = exec(db, "BEGIN", err, errlen);
	if (!rc)
		rc = exec(db, mv.data, err, errlen);
	if (!rc)
		rc = exec(db, "COMMIT", err, errlen);
	out->secs = bench_now() - t0;
	svl__sbuf_free(&mv);
	return rc;
}

/* ---- (b) in C over an SQLite cursor ---- */

typedef struct fold {
	cards m;
	uint64_t movements;
} fold;

static int64_t *bucket_qty(card *c, int b)
{
	return b == SVL__BUCKET_ON_HAND	     ? &c->oh
	       : b == SVL__BUCKET_QUARANTINE ? &c->qq
	       : b == SVL__BUCKET_HELD	     ? &c->hq
					     : NULL;
}

static int64_t *bucket_value(card *c, int b)
{
	return b == SVL__BUCKET_ON_HAND	     ? &c->v
	       : b == SVL__BUCKET_QUARANTINE ? &c->qv
	       : b == SVL__BUCKET_HELD	     ? &c->hv
					     : NULL;
}

/* The share of value leaving a bucket of have with q of it: all of it
 * when q >= have (stock.c's svl__stock_share). */
static int64_t share(int64_t value, int64_t have, int64_t q)
{
	return q >= have ? value : svl__div_round((svl_i128)value * q, have);
}

/* Rule r moves qty (signed) on card c, as the card does (card_move). */
static void move(card *c, const svl__move_rule *r, int64_t qty,
		 const svl_value *cost)
{
	int from, to;
	int64_t q, val;
	svl__move_dir(r, qty, &from, &to, &q);
	if (from == SVL__BUCKET_OUTSIDE) {
		int64_t avg = c->oh <= 0 ? c->lc
					 : svl__unit_cost_fen(c->v, c->oh);
		val = svl__line_value_fen(q, cost ? cost->i : avg);
		if (cost)
			c->lc = cost->i;
	} else {
		if (from == SVL__BUCKET_ON_HAND && c->oh <= 0)
			val = svl__line_value_fen(q, c->lc);
		else
			val = share(*bucket_value(c, from),
				    *bucket_qty(c, from), q);
		*bucket_qty(c, from) -= q;
		*bucket_value(c, from) -= val;
	}
	if (to != SVL__BUCKET_OUTSIDE) {
		*bucket_qty(c, to) += q;
		*bucket_value(c, to) += val;
	}
}

static int fold_line(void *st, const svl__move_line *ln)
{
	fold *f = st;
	char key[KEY_MAX];
	const svl__move_kind *k = ln->kind;
	size_t kl = key_of(key, ln->part->s, ln->part->len,
			   ln->bin->present ? ln->bin->s : "",
			   ln->bin->present ? ln->bin->len : 0);
	card *c = kl ? find(&f->m, key, kl, 1) : NULL;
	if (!c)
		return SVL_ENOMEM;
	for (uint32_t i = 0; i < ln->n_rules; i++) {
		if (!valued(ln->rule[i]))
			continue;
		move(c, ln->rule[i], ln->qty_milli,
		     k->cost >= 0 ? &ln->v->v[k->cost] : NULL);
		f->movements++;
	}
	return SVL_OK;
}

static int rebuild_cursor(sqlite3 *db, fold *f, bench_rate *out, char *err,
			  size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = SVL_OK, step;
	double t0 = bench_now();
	if (sqlite3_prepare_v2(db,
			       "SELECT type, schema_version, payload FROM "
			       "events ORDER BY seq",
			       -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "SQL: %s", sqlite3_errmsg(db));
		return -1;
	}
	while (rc == SVL_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
		uint32_t type = (uint32_t)sqlite3_column_int64(s, 0);
		svl_event_view v;
		out->ops++;
		if (!svl__move_kind_of(type)) /* moves no stock: not decoded */
			continue;
		rc = svl_event_decode(&v, type,
				      (uint32_t)sqlite3_column_int64(s, 1),
				      sqlite3_column_blob(s, 2),
				      (size_t)sqlite3_column_bytes(s, 2));
		if (rc == SVL_OK)
			rc = svl__move_lines(&v, fold_line, f);
	}
	out->secs = bench_now() - t0;
	sqlite3_finalize(s);
	if (rc != SVL_OK || step != SQLITE_DONE) {
		snprintf(err, errlen, "C fold, row %llu: %s",
			 (unsigned long long)out->ops,
			 rc != SVL_OK ? svl_strerror(rc) : sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* The same fold over our log (svl_log_iter_seq): what the peer's C fold
 * costs on our storage, beside SQLite's cursor; checked like the others. */
static int rebuild_log(svl_log *log, fold *f, bench_rate *out, char *err,
		       size_t errlen)
{
	svl_iter *it = NULL;
	svl_record r;
	double t0 = bench_now();
	int rc = svl_log_iter_seq(log, 1, 0, &it);
	while (rc == SVL_OK && (rc = svl_iter_next(it, &r)) == SVL_OK) {
		svl_event_view v;
		out->ops++;
		if (!svl__move_kind_of(r.type))
			continue;
		rc = svl_event_decode(&v, r.type, r.schema_version, r.payload,
				      r.payload_len);
		if (rc == SVL_OK)
			rc = svl__move_lines(&v, fold_line, f);
	}
	svl_iter_close(it);
	out->secs = bench_now() - t0;
	if (rc != SVL_ITEROVER) {
		snprintf(err, errlen, "C fold over our log, record %llu: %s",
			 (unsigned long long)out->ops, svl_strerror(rc));
		return -1;
	}
	return 0;
}

/* ---- the check: ours == SQL == C, card for card ---- */

#define SIDES 3

typedef struct check {
	cards *side[SIDES]; /* SQL, C over SQLite's cursor, C over our log */
	uint64_t cards, bad;
	char *err;
	size_t errlen;
} check;

static void mismatch(check *k, const char *who, const char *key, int64_t oh,
		     int64_t v, int64_t ooh, int64_t ov)
{
	if (k->bad++ == 0)
		snprintf(k->err, k->errlen,
			 "%s differs from ours at %s@%s: on hand %lld, value "
			 "%lld; ours %lld, %lld",
			 who, key, key + strlen(key) + 1, (long long)oh,
			 (long long)v, (long long)ooh, (long long)ov);
}

static int check_card(const svl_stock_card *sc, void *payload)
{
	check *k = payload;
	char key[KEY_MAX];
	size_t kl = key_of(key, sc->part_no, strlen(sc->part_no), sc->bin,
			   strlen(sc->bin));
	static const char *const who[SIDES] = {"SQL", "C over the cursor",
					       "C over our log"};
	k->cards++;
	for (int i = 0; i < SIDES; i++) {
		card *c = find(k->side[i], key, kl, 0);
		int64_t oh = c ? c->oh : 0, v = c ? c->v : 0;
		if (c)
			c->seen = 1;
		if (oh != sc->f.on_hand_milli || v != sc->f.value_fen)
			mismatch(k, who[i], key, oh, v, sc->f.on_hand_milli,
				 sc->f.value_fen);
	}
	return 0;
}

/* A card of theirs that ours does not list must be empty. */
static void check_unseen(check *k, cards *m, const char *who)
{
	for (size_t i = 0; i < m->cap; i++) {
		card *c = &m->slot[i];
		if (c->klen && !c->seen && (c->oh != 0 || c->v != 0))
			mismatch(k, who, c->key, c->oh, c->v, 0, 0);
	}
}

static int read_sql_stock(sqlite3 *db, cards *m, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int step = SQLITE_ERROR;
	if (sqlite3_prepare_v2(db,
			       "SELECT part, bin, on_hand_milli, value_fen "
			       "FROM stock",
			       -1, &s, NULL) == SQLITE_OK)
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			char key[KEY_MAX];
			size_t kl = key_of(
			    key, (const char *)sqlite3_column_text(s, 0),
			    (size_t)sqlite3_column_bytes(s, 0),
			    (const char *)sqlite3_column_text(s, 1),
			    (size_t)sqlite3_column_bytes(s, 1));
			card *c = kl ? find(m, key, kl, 1) : NULL;
			if (!c) {
				step = SQLITE_NOMEM;
				break;
			}
			c->oh = sqlite3_column_int64(s, 2);
			c->v = sqlite3_column_int64(s, 3);
		}
	if (step != SQLITE_DONE)
		snprintf(err, errlen, "reading stock: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return step == SQLITE_DONE ? 0 : -1;
}

/* ---- as of a seq in SQL: the card's last line at or before it ---- */

static int asof_sql(sqlite3 *db, const cards *m, uint64_t head,
		    bench_rate *out, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	bench_lat lat = {0};
	uint64_t rng = 7;
	memset(out, 0, sizeof *out);
	if (m->n == 0 || head == 0)
		return 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT on_hand_milli, value_fen FROM "
			       "stock_lines WHERE part = ? AND bin = ? AND "
			       "seq <= ? ORDER BY seq DESC, n DESC LIMIT 1",
			       -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "SQL: %s", sqlite3_errmsg(db));
		return -1;
	}
	for (int i = 0; i < ASOF_QUERIES; i++) {
		rng = rng * UINT64_C(6364136223846793005) +
		      UINT64_C(1442695040888963407);
		const card *c = &m->slot[(rng >> 20) & (m->cap - 1)];
		while (!c->klen) /* the next card in the table */
			c = &m->slot[(size_t)(c - m->slot + 1) & (m->cap - 1)];
		size_t plen = strlen(c->key);
		double t0 = bench_now();
		sqlite3_bind_text(s, 1, c->key, (int)plen, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, c->key + plen + 1,
				  (int)(c->klen - plen - 1), SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)(1 + (rng >> 11) % head));
		int step = sqlite3_step(s);
		sqlite3_reset(s);
		double dt = bench_now() - t0;
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			snprintf(err, errlen, "as-of: %s", sqlite3_errmsg(db));
			sqlite3_finalize(s);
			bench_lat_free(&lat);
			return -1;
		}
		out->ops++;
		out->secs += dt;
		bench_lat_add(&lat, dt * 1e6);
	}
	out->p50_us = bench_lat_pct(&lat, 50);
	out->p99_us = bench_lat_pct(&lat, 99);
	bench_lat_free(&lat);
	sqlite3_finalize(s);
	return 0;
}

/* ---- the whole peer ---- */

int bench_stock_peer(const char *path, svl_ledger *l, bench_stock_figs *out,
		     char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	fold f = {{NULL, 0, 0}, 0}, fl = {{NULL, 0, 0}, 0};
	cards sql = {NULL, 0, 0};
	svl_head h;
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (svl_log_head(svl_ledger_log(l), &h) != SVL_OK) {
		snprintf(err, errlen, "head: %s", svl_log_last_error());
		return -1;
	}
	if (load_log(svl_ledger_log(l), path, &out->load, err, errlen) != 0)
		return -1;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    exec(db, "PRAGMA synchronous=OFF", err, errlen) != 0)
		goto out_close;
	out->sql.ops = h.seq;
	if (rebuild_sql(db, &out->sql, err, errlen) != 0 ||
	    rebuild_cursor(db, &f, &out->cursor, err, errlen) != 0 ||
	    rebuild_log(svl_ledger_log(l), &fl, &out->ours_fold, err,
			errlen) != 0 ||
	    read_sql_stock(db, &sql, err, errlen) != 0 ||
	    asof_sql(db, &sql, h.seq, &out->asof, err, errlen) != 0)
		goto out_close;
	out->movements = f.movements;
	check k = {{&sql, &f.m, &fl.m}, 0, 0, err, errlen};
	if (svl_stock_cards(l, NULL, check_card, &k) != SVL_OK) {
		snprintf(err, errlen, "our stock cards: %s",
			 svl_ledger_errmsg(l));
		goto out_close;
	}
	check_unseen(&k, &sql, "SQL");
	check_unseen(&k, &f.m, "C over the cursor");
	check_unseen(&k, &fl.m, "C over our log");
	out->cards = k.cards;
	out->mismatches = k.bad;
	rc = k.bad ? -1 : 0;
out_close:
	sqlite3_close(db);
	free(f.m.slot);
	free(fl.m.slot);
	free(sql.slot);
	return rc;
}
