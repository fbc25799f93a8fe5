/*
 * reconcile.c - a count sheet against the book: variances, their value,
 * the movements that explain them, the reconciling items, and the
 * adjustment proposals (which still need approval, R-STK-2).
 *
 * Definitions (docs/projections.md, "Reconciliation"):
 *   book      on hand as of the count, by business time (svl_stock.h:
 *             SVL_ASOF_OCCURRED), so movements entered after the count but
 *             done before it are in the book they are compared with;
 *   variance  counted - book; its value = variance * average unit cost as
 *             of the count, rounded half away from zero;
 *   accuracy  lines whose count equals the book / lines counted;
 *   absolute  gains + |losses|: gains and losses are never netted.
 */
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>

#include "fail.h"
#include "mp.h"
#include "ledger_int.h"
#include "stock_int.h"
#include "stock_move.h"
#include "svl_reconcile.h"

struct rec_arg {
	svl_ledger *l;
	const svl_count_line *lines;
	svl_reconcile_result *res;
	unsigned table;
};

/* The card's latest count strictly before `before_ms`. */
static int previous_count(svl_txn *t, unsigned table, const uint8_t *pb,
			  size_t pbl, int64_t before_ms, svl_recon_line *out)
{
	uint8_t key[SVL_STOCK_KEY_MAX];
	memcpy(key, pb, pbl);
	key[0] = 'k';
	svl_cursor *cur;
	svl_kv kv;
	int rc = svl_cursor_open(t, table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, key, pbl, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		if (kv.key_len != pbl + 8 || memcmp(kv.key, key, pbl))
			break;
		svl_mp_reader r = {kv.val, (const uint8_t *)kv.val + kv.val_len};
		uint32_t n, sl;
		const char *stk;
		int64_t counted, at;
		if (!svl__mp_read_array(&r, &n) || n != 3 ||
		    !svl__mp_read_str(&r, &stk, &sl) ||
		    !svl__mp_read_int(&r, &counted) ||
		    !svl__mp_read_int(&r, &at)) {
			rc = svl_txn_fail(t, SVL_ECORRUPT, "count record");
			break;
		}
		if (at < before_ms && at >= out->prev_count_at_ms) {
			out->prev_count_at_ms = at;
			out->prev_counted_milli = counted;
		}
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || rc == SVL_OK ? SVL_OK : rc;
}

static int add_move(svl_txn *t, unsigned table, const uint8_t *pb,
		    size_t pbl, uint64_t seq, svl_recon_line *out)
{
	uint8_t key[SVL_STOCK_KEY_MAX];
	memcpy(key, pb, pbl);
	key[0] = 'l';
	svl__be64_put(key + pbl, seq);
	const void *v;
	size_t n;
	int rc = svl_txn_get(t, table, key, pbl + 8, &v, &n);
	if (rc != SVL_OK)
		return rc == SVL_ENOTFOUND
			       ? svl_txn_fail(t, SVL_ECORRUPT,
					      "stock index names seq %llu "
					      "without a line",
					      (unsigned long long)seq)
			       : rc;
	if (out->n_moves == SVL_RECON_MOVES_MAX) { /* keep the newest */
		memmove(out->moves, out->moves + 1,
			(SVL_RECON_MOVES_MAX - 1) * sizeof out->moves[0]);
		out->n_moves--;
		out->moves_omitted++;
	}
	svl_stock_line *line = &out->moves[out->n_moves];
	memset(line, 0, sizeof *line);
	line->seq = seq;
	if (!svl__stock_line_decode(v, n, line))
		return svl_txn_fail(t, SVL_ECORRUPT, "stock line");
	out->n_moves++;
	return SVL_OK;
}

/* Movements that happened after the previous count, up to the count. */
static int movements(svl_txn *t, unsigned table, const uint8_t *pb,
		     size_t pbl, int64_t from_ms, int64_t to_ms,
		     svl_recon_line *out)
{
	uint8_t key[SVL_STOCK_KEY_MAX];
	memcpy(key, pb, pbl);
	key[0] = 'o';
	svl__be64_put(key + pbl, svl__bias(from_ms));
	svl_cursor *cur;
	svl_kv kv;
	int rc = svl_cursor_open(t, table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, key, pbl + 8, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		const uint8_t *k = kv.key;
		if (kv.key_len != pbl + 16 || memcmp(k, key, pbl) ||
		    svl__unbias(svl__be64_get(k + pbl)) > to_ms)
			break;
		uint64_t seq = svl__be64_get(k + pbl + 8);
		/* copy: add_move reads the table, the cursor stays valid */
		if ((rc = add_move(t, table, pb, pbl, seq, out)) != SVL_OK)
			break;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || rc == SVL_OK ? SVL_OK : rc;
}

static void value_line(svl_recon_line *o)
{
	o->book_milli = o->figures.on_hand_milli;
	o->variance_milli = o->count.counted_milli - o->book_milli;
	o->unit_cost_fen = svl__stock_avg_cost(&o->figures);
	o->variance_value_fen =
	    svl__line_value_fen(o->variance_milli, o->unit_cost_fen);
	o->abs_variance_value_fen = o->variance_value_fen < 0
					    ? -o->variance_value_fen
					    : o->variance_value_fen;
	if (o->book_milli == 0)
		o->variance_bp = o->variance_milli ? INT64_MAX : 0;
	else
		o->variance_bp = svl__div_round(
			(svl_i128)o->variance_milli * 10000, o->book_milli);
}

static int one_line(struct rec_arg *a, svl_txn *t, size_t i)
{
	svl_recon_line *o = &a->res->lines[i];
	svl_stock_card card;
	svl_asof asof = {SVL_ASOF_OCCURRED, 0, a->res->count_at_ms};
	o->count = a->lines[i];
	int rc = svl__stock_read(a->l, t, o->count.part_no, o->count.bin,
				 &asof, &card);
	if (rc == SVL_ENOTFOUND) /* never on the book by then: book 0 */
		rc = SVL_OK;
	else if (rc == SVL_OK)
		o->figures = card.f;
	if (rc != SVL_OK)
		return rc;
	value_line(o);
	uint8_t pb[SVL_STOCK_KEY_MAX];
	size_t pbl = svl__stock_pb(pb, 'c', o->count.part_no,
				   strlen(o->count.part_no), o->count.bin,
				   strlen(o->count.bin));
	rc = previous_count(t, a->table, pb, pbl, a->res->count_at_ms, o);
	if (rc == SVL_OK)
		rc = movements(t, a->table, pb, pbl,
			       o->prev_count_at_ms ? o->prev_count_at_ms + 1
						   : INT64_MIN,
			       a->res->count_at_ms, o);
	return rc;
}

static void summarise(svl_reconcile_result *res)
{
	svl_recon_summary *s = &res->summary;
	for (size_t i = 0; i < res->n; i++) {
		const svl_recon_line *o = &res->lines[i];
		s->lines++;
		s->lines_exact += o->variance_milli == 0;
		s->net_variance_value_fen += o->variance_value_fen;
		s->abs_variance_value_fen += o->abs_variance_value_fen;
		if (o->variance_value_fen > 0)
			s->gains_value_fen += o->variance_value_fen;
		else
			s->losses_value_fen -= o->variance_value_fen;
		s->unsettled_issued_milli += o->figures.unsettled_issued_milli;
		s->old_parts_pending_milli += o->figures.old_parts_pending_milli;
		s->quarantined_milli += o->figures.quarantined_milli;
		s->quarantined_value_fen += o->figures.quarantined_value_fen;
		s->claims_pending_milli += o->figures.claims_pending_milli;
		s->wof_held_milli += o->figures.wof_held_milli;
		s->wof_held_value_fen += o->figures.wof_held_value_fen;
	}
	s->accuracy_bp = s->lines ? (int64_t)(s->lines_exact * 10000 / s->lines)
				  : 0;
}

static int rec_fn(svl_txn *t, void *payload)
{
	struct rec_arg *a = payload;
	svl_head h;
	int rc = svl__ledger_table(a->l, "stock", t, &a->table);
	if (rc == SVL_OK)
		rc = svl_txn_head(t, &h);
	if (rc != SVL_OK)
		return rc;
	a->res->book_seq = h.seq;
	for (size_t i = 0; i < a->res->n && rc == SVL_OK; i++)
		rc = one_line(a, t, i);
	return rc;
}

int svl_reconcile(svl_ledger *l, const svl_count_line *lines, size_t n,
		  int64_t count_at_ms, svl_reconcile_result **out)
{
	if (!l || !out || (n && !lines))
		return svl__fail(NULL, SVL_EMISUSE, "reconcile: bad arguments");
	*out = NULL;
	if (n > SVL_COUNT_LINES_MAX)
		return svl__fail(svl_ledger_log(l), SVL_ELIMIT,
				 "count sheet of %zu lines, limit %d", n,
				 SVL_COUNT_LINES_MAX);
	svl_reconcile_result *res = calloc(1, sizeof *res);
	if (res && n && !(res->lines = calloc(n, sizeof *res->lines))) {
		free(res);
		res = NULL;
	}
	if (!res)
		return svl__fail(svl_ledger_log(l), SVL_ENOMEM,
				 "reconcile: out of memory");
	res->n = n;
	res->count_at_ms = count_at_ms;
	struct rec_arg a = {l, lines, res, 0};
	int rc = svl__ledger_read(l, rec_fn, &a);
	if (rc != SVL_OK) {
		svl_reconcile_free(res);
		return rc;
	}
	summarise(res);
	*out = res;
	return SVL_OK;
}

void svl_reconcile_free(svl_reconcile_result *r)
{
	if (!r)
		return;
	free(r->lines);
	free(r);
}

/* One proposal line, built with jansson so that every string is escaped
 * whatever the count sheet held. */
static char *proposal_line(const svl_recon_line *o, int adj, int64_t at_ms,
			   const char *stk_id, const char *actor,
			   const char *role)
{
	char cause[128];
	snprintf(cause, sizeof cause,
		 "count variance (sheet line %u): cause to be established",
		 o->count.sheet_line);
	json_t *ev = json_pack(
		"{s:s, s:s, s:s, s:I, s:{s:s, s:i, s:s, s:s, s:I, s:s, s:s}}",
		"type", "adjustment_proposed", "actor", actor, "role", role,
		"occurred_at_ms", (json_int_t)at_ms, "payload", "stk_id", stk_id,
		"adj_no", adj, "part_no", o->count.part_no, "bin",
		o->count.bin, "delta_qty_milli", (json_int_t)o->variance_milli,
		"cause", cause, "responsible_id",
		o->count.counter[0] ? o->count.counter : actor);
	char *line = ev ? json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER)
			: NULL;
	json_decref(ev);
	return line;
}

char *svl_reconcile_proposals_ndjson(const svl_reconcile_result *r,
				     const char *stk_id, const char *actor,
				     const char *role)
{
	size_t cap = 1024, at = 0;
	char *buf = r && stk_id && actor && role ? malloc(cap) : NULL;
	if (!buf)
		return NULL;
	buf[0] = '\0';
	int adj = 0;
	for (size_t i = 0; i < r->n; i++) {
		const svl_recon_line *o = &r->lines[i];
		if (o->variance_milli == 0)
			continue;
		char *line = proposal_line(o, ++adj, r->count_at_ms, stk_id,
					   actor, role);
		size_t n = line ? strlen(line) : 0;
		if (line && at + n + 2 > cap) {
			while (at + n + 2 > cap)
				cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(line);
				line = NULL;
			} else {
				buf = nb;
			}
		}
		if (!line) {
			free(buf);
			return NULL;
		}
		memcpy(buf + at, line, n);
		at += n;
		buf[at++] = '\n';
		buf[at] = '\0';
		free(line);
	}
	return buf;
}
