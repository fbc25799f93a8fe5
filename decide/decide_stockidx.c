/*
 * decide_stockidx.c - the stock counters of the decider index, so that a
 * stock decision costs a few lookups instead of a fold of the whole part
 * stream (an oil filter's stream holds every movement since the ledger
 * began; folding it for every issue made a busy part quadratic).
 *
 * Keys in "decide.index" (strings raw, 0-separated; numbers big-endian,
 * signed as two's complement):
 *
 *   'Q' part 0 bin             -> i64 sellable, i64 quarantined, i64 reserved
 *   'R' part 0 bin 0 wo        -> i64 reserved for the job
 *   'I' part 0 wo              -> i64 net issued to the job (issued - returned)
 *   'K' part 0 pick            -> i64 issued on the pick list
 *   'V' part 0 po              -> i64 shelved from the purchase order
 *   'J' part 0 stk 0 u64 adj   -> ""  the adjustment was approved
 *
 * Which events move which counters is model/stock_moves.def's:
 * svl__stock_deltas() reads an event through it into changes of these
 * keys, and both the index (here) and the fold of decide_parts.c (for
 * "as of" questions: the book frozen at a stocktake's opening) add up the
 * same changes, so the two answer alike (tests compare them on random
 * stories) and both agree with the stock card, which reads the same
 * table (tests/test_stock_moves.c).
 */
#include <assert.h>

#include "decide_int.h"
#include "stock_moves.h"

#define KEY_MAX (1 + 3 * (SVL_EV_ID_MAX + 1) + 8)

static size_t key(uint8_t *k, char kind, const svl_value *a, const svl_value *b,
		  const svl_value *c)
{
	size_t n = 1;
	const svl_value *parts[3] = {a, b, c};
	k[0] = (uint8_t)kind;
	for (int i = 0; i < 3 && parts[i]; i++) {
		if (i)
			k[n++] = 0;
		memcpy(k + n, parts[i]->s, parts[i]->len);
		n += parts[i]->len;
	}
	return n;
}

static int get_i64s(svl_txn *txn, unsigned t, const uint8_t *k, size_t kn,
		    int64_t *out, size_t n)
{
	const void *v;
	size_t len;
	memset(out, 0, n * sizeof out[0]);
	int rc = svl_txn_get(txn, t, k, kn, &v, &len);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	if (len != n * 8)
		return svl_txn_fail(txn, SVL_ECORRUPT,
				    "decide.index: bad stock value");
	for (size_t i = 0; i < n; i++)
		out[i] = (int64_t)svl__be64_get((const uint8_t *)v + 8 * i);
	return SVL_OK;
}

/* Add d[0..n) to the counters at k. */
static int add_i64s(svl_txn *txn, unsigned t, const uint8_t *k, size_t kn,
		    const int64_t *d, size_t n)
{
	int64_t cur[3];
	uint8_t b[24];
	int rc = get_i64s(txn, t, k, kn, cur, n);
	if (rc != SVL_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		svl__be64_put(b + 8 * i, (uint64_t)(cur[i] + d[i]));
	return svl_txn_put(txn, t, k, kn, b, 8 * n);
}

static int add1(svl_txn *txn, unsigned t, char kind, const svl_value *a,
		const svl_value *b, const svl_value *c, int64_t d)
{
	uint8_t k[KEY_MAX];
	if ((b && !b->present) || (c && !c->present))
		return SVL_OK; /* an optional reference that is absent */
	return add_i64s(txn, t, k, key(k, kind, a, b, c), &d, 1);
}

/* sellable, quarantined, reserved of part at bin */
static int add_bin(svl_txn *txn, unsigned t, const svl_value *part,
		   const svl_value *bin, int64_t sell, int64_t quar,
		   int64_t res)
{
	uint8_t k[KEY_MAX];
	const int64_t d[3] = {sell, quar, res};
	return add_i64s(txn, t, k, key(k, 'Q', part, bin, NULL), d, 3);
}

/* ---- the counters' changes, read through the stock-move table ---- */

/* The buckets the counters keep: 'Q' is sellable, quarantined, reserved. */
#define COUNTED                                                                \
	(1u << SVL__BUCKET_ON_HAND | 1u << SVL__BUCKET_QUARANTINE |            \
	 1u << SVL__BUCKET_RESERVED)

static const char tally_key[SVL__TALLIES] = {
    [SVL__TALLY_JOB_ISSUED] = 'I',
    [SVL__TALLY_PICK_ISSUED] = 'K',
    [SVL__TALLY_PO_SHELVED] = 'V',
    [SVL__TALLY_JOB_RESERVED] = 'R',
};

typedef struct emit {
	svl__stock_delta_fn fn;
	void *st;
} emit;

/* R-STK-2: adjustment adj_no of the stocktake is approved (its decider
 * refuses a second approval). */
static int decide_approved(const svl__move_line *ln, emit *x)
{
	const svl_value *v = ln->v->v;
	svl__stock_delta d = {.kind = 'J',
			      .part = ln->part,
			      .doc = &v[SVL_F_ADJUSTMENT_APPROVED_STK_ID],
			      .adj_no = v[SVL_F_ADJUSTMENT_APPROVED_ADJ_NO].i};
	return x->fn(x->st, &d);
}

/* The decide column of stock_moves.def: what the table cannot say. */
typedef int (*decide_fn)(const svl__move_line *ln, emit *x);
#define decide_NONE NULL

static decide_fn hook_of(uint32_t type)
{
	switch (type) {
#define SVL__HOOK(T, name)                                                     \
	case SVL_T_##T:                                                        \
		return decide_##name;
#define SVL_STOCK(T, part, bin, qty, doc, party, cost, card, decide)           \
	SVL__HOOK(T, decide)
#define SVL_STOCK_LINES(T, A, part, bin, qty, doc, party, cost, card, decide)  \
	SVL__HOOK(T, decide)
#include "stock_moves.def"
#undef SVL__HOOK
	default:
		return NULL;
	}
}

static int line_deltas(void *st, const svl__move_line *ln)
{
	emit *x = st;
	int64_t b[SVL__BUCKETS];
	int rc = SVL_OK;
	svl__move_deltas(ln, b);
	if (svl__move_buckets(ln->kind->type) & COUNTED) {
		svl__stock_delta d = {.kind = 'Q',
				      .part = ln->part,
				      .bin = ln->bin,
				      .d = {b[SVL__BUCKET_ON_HAND],
					    b[SVL__BUCKET_QUARANTINE],
					    b[SVL__BUCKET_RESERVED]}};
		rc = x->fn(x->st, &d);
	}
	for (uint32_t k = 0; rc == SVL_OK && k < ln->n_tallies; k++) {
		const svl__move_tally *t = ln->tally[k];
		int per_bin = t->tally == SVL__TALLY_JOB_RESERVED;
		svl__stock_delta d = {.kind = tally_key[t->tally],
				      .part = ln->part,
				      .bin = per_bin ? ln->bin : NULL,
				      .doc = &ln->v->v[t->field],
				      .d = {t->sign * ln->qty_milli}};
		rc = x->fn(x->st, &d);
	}
	decide_fn hook = hook_of(ln->kind->type);
	return rc == SVL_OK && hook ? hook(ln, x) : rc;
}

int svl__stock_deltas(const svl_event_view *v, svl__stock_delta_fn fn, void *st)
{
	emit x = {fn, st};
	return svl__move_lines(v, line_deltas, &x);
}

int svl__stockidx_type(uint32_t type)
{
	return (svl__move_buckets(type) & COUNTED) || svl__move_tallied(type) ||
	       hook_of(type) != NULL;
}

/* ---- the index's side: each change added to its key ---- */

typedef struct index_arg {
	svl_txn *txn;
	unsigned table;
} index_arg;

static int put_delta(void *st, const svl__stock_delta *d)
{
	index_arg *a = st;
	uint8_t k[KEY_MAX];
	switch (d->kind) {
	case 'Q':
		return add_bin(a->txn, a->table, d->part, d->bin, d->d[0],
			       d->d[1], d->d[2]);
	case 'R':
		return add1(a->txn, a->table, 'R', d->part, d->bin, d->doc,
			    d->d[0]);
	case 'J': {
		size_t n = key(k, 'J', d->part, d->doc, NULL);
		k[n++] = 0;
		svl__be64_put(k + n, (uint64_t)d->adj_no);
		return svl_txn_put(a->txn, a->table, k, n + 8, "", 0);
	}
	default:
		return add1(a->txn, a->table, d->kind, d->part, d->doc, NULL,
			    d->d[0]);
	}
}

int svl__stockidx_apply(svl_txn *txn, unsigned t, uint32_t type,
			const svl_event_view *v)
{
	index_arg a = {txn, t};
	assert(v->type->id == type);
	return svl__stock_deltas(v, put_delta, &a);
}

/* ---- the query: svl__stock_fold's answer from the counters ---- */

static int get1(svl__dctx *c, char kind, const svl_value *a, const svl_value *b,
		const svl_value *d, int64_t *out)
{
	uint8_t k[KEY_MAX];
	*out = 0;
	if (!b || (d && !d->present) || !b->present)
		return SVL_OK;
	return get_i64s(c->txn, c->table, k, key(k, kind, a, b, d), out, 1);
}

int svl__stockidx_get(svl__dctx *c, const svl_value *part,
		      const svl__stock_q *q, svl__stock *out)
{
	int64_t qbin[3];
	uint8_t k[KEY_MAX];
	char bin[SVL_EV_ID_MAX + 1];
	int found, rc;
	memset(out, 0, sizeof *out);
	if ((rc = svl__index_part_bin(c, part, bin, sizeof bin, &found)))
		return rc;
	if (found) {
		out->has_bin = 1;
		memcpy(out->bin, bin, sizeof out->bin);
	}
	if (q->bin) {
		rc = get_i64s(c->txn, c->table, k,
			      key(k, 'Q', part, q->bin, NULL), qbin, 3);
		out->sellable_milli = qbin[0];
		out->quarantined_milli = qbin[1];
		out->reserved_milli = qbin[2];
	}
	if (rc == SVL_OK && q->bin && q->wo_id)
		rc = get1(c, 'R', part, q->bin, q->wo_id,
			  &out->reserved_wo_milli);
	if (rc == SVL_OK)
		rc = get1(c, 'I', part, q->wo_id, NULL, &out->issued_wo_milli);
	if (rc == SVL_OK)
		rc = get1(c, 'K', part, q->pick_id, NULL,
			  &out->issued_pick_milli);
	if (rc == SVL_OK)
		rc = get1(c, 'V', part, q->po_id, NULL, &out->shelved_po_milli);
	if (rc != SVL_OK || !q->stk_id)
		return rc;
	size_t n = key(k, 'J', part, q->stk_id, NULL);
	k[n++] = 0;
	svl__be64_put(k + n, (uint64_t)q->adj_no);
	const void *v;
	size_t len;
	rc = svl_txn_get(c->txn, c->table, k, n + 8, &v, &len);
	out->adj_approved = rc == SVL_OK;
	return rc == SVL_ENOTFOUND ? SVL_OK : rc;
}
