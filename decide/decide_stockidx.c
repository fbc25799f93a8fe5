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
 * They are the fold of decide_parts.c (stock_step) kept incrementally: the
 * same events move the same counters, so the two answer alike (a test
 * compares them on random stories). The fold is still used for "as of"
 * questions (the book frozen at a stocktake's opening).
 */
#include "decide_int.h"

#define KEY_MAX (1 + 3 * (SVL_EV_ID_MAX + 1) + 8)
#define QTY(v, T, F) ((v)->v[SVL_F_##T##_##F].i)

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

#define F(T, FIELD) (&v->v[SVL_F_##T##_##FIELD])

static int apply_out(svl_txn *txn, unsigned t, uint32_t type,
		     const svl_event_view *v)
{
	int rc;
	switch (type) {
	case SVL_T_PARTS_ISSUED: {
		int64_t q = QTY(v, PARTS_ISSUED, QTY_MILLI);
		const svl_value *p = F(PARTS_ISSUED, PART_NO);
		if ((rc = add_bin(txn, t, p, F(PARTS_ISSUED, BIN), -q, 0, 0)) ||
		    (rc =
			 add1(txn, t, 'I', p, F(PARTS_ISSUED, WO_ID), NULL, q)))
			return rc;
		return add1(txn, t, 'K', p, F(PARTS_ISSUED, PICK_ID), NULL, q);
	}
	case SVL_T_PARTS_QUARANTINED: {
		int64_t q = QTY(v, PARTS_QUARANTINED, QTY_MILLI);
		int shelf = !F(PARTS_QUARANTINED, WO_ID)->present;
		return add_bin(txn, t, F(PARTS_QUARANTINED, PART_NO),
			       F(PARTS_QUARANTINED, BIN), shelf ? -q : 0, q, 0);
	}
	case SVL_T_PARTS_RESERVED:
	case SVL_T_RESERVATION_RELEASED: {
		int in = type == SVL_T_PARTS_RESERVED;
		/* both types: part_no, bin, qty_milli, wo_id are fields 0..3 */
		int64_t q = in ? v->v[2].i : -v->v[2].i;
		if ((rc = add_bin(txn, t, &v->v[0], &v->v[1], 0, 0, q)))
			return rc;
		return add1(txn, t, 'R', &v->v[0], &v->v[1], &v->v[3], q);
	}
	default:
		return SVL_OK;
	}
}

_Static_assert(SVL_F_PARTS_RESERVED_PART_NO == 0 &&
		   SVL_F_PARTS_RESERVED_BIN == 1 &&
		   SVL_F_PARTS_RESERVED_QTY_MILLI == 2 &&
		   SVL_F_PARTS_RESERVED_WO_ID == 3 &&
		   SVL_F_RESERVATION_RELEASED_PART_NO == 0 &&
		   SVL_F_RESERVATION_RELEASED_BIN == 1 &&
		   SVL_F_RESERVATION_RELEASED_QTY_MILLI == 2 &&
		   SVL_F_RESERVATION_RELEASED_WO_ID == 3,
	       "reservations are read by position");

static int apply_adjusted(svl_txn *txn, unsigned t, const svl_event_view *v)
{
	uint8_t k[KEY_MAX], adj[8];
	int rc = add_bin(txn, t, F(ADJUSTMENT_APPROVED, PART_NO),
			 F(ADJUSTMENT_APPROVED, BIN),
			 QTY(v, ADJUSTMENT_APPROVED, DELTA_QTY_MILLI), 0, 0);
	if (rc != SVL_OK)
		return rc;
	size_t n = key(k, 'J', F(ADJUSTMENT_APPROVED, PART_NO),
		       F(ADJUSTMENT_APPROVED, STK_ID), NULL);
	svl__be64_put(adj, (uint64_t)QTY(v, ADJUSTMENT_APPROVED, ADJ_NO));
	k[n++] = 0;
	memcpy(k + n, adj, 8);
	return svl_txn_put(txn, t, k, n + 8, "", 0);
}

static int apply_writeoff(svl_txn *txn, unsigned t, const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, v, SVL_F_WRITEOFF_APPROVED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK)
		rc = add_bin(txn, t, &el[SVL_F_WRITEOFF_APPROVED_LINES_PART_NO],
			     &el[SVL_F_WRITEOFF_APPROVED_LINES_BIN],
			     -el[SVL_F_WRITEOFF_APPROVED_LINES_QTY_MILLI].i, 0,
			     0);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

int svl__stockidx_apply(svl_txn *txn, unsigned t, uint32_t type,
			const svl_event_view *v)
{
	int rc;
	switch (type) {
	case SVL_T_PARTS_SHELVED: {
		int64_t q = QTY(v, PARTS_SHELVED, QTY_MILLI);
		const svl_value *p = F(PARTS_SHELVED, PART_NO);
		if ((rc = add_bin(txn, t, p, F(PARTS_SHELVED, BIN), q, 0, 0)))
			return rc;
		return add1(txn, t, 'V', p, F(PARTS_SHELVED, PO_ID), NULL, q);
	}
	case SVL_T_PARTS_RETURNED_TO_STOCK: {
		int64_t q = QTY(v, PARTS_RETURNED_TO_STOCK, QTY_MILLI);
		const svl_value *p = F(PARTS_RETURNED_TO_STOCK, PART_NO);
		if ((rc = add_bin(txn, t, p, F(PARTS_RETURNED_TO_STOCK, BIN), q,
				  0, 0)))
			return rc;
		return add1(txn, t, 'I', p, F(PARTS_RETURNED_TO_STOCK, WO_ID),
			    NULL, -q);
	}
	case SVL_T_QUARANTINE_RELEASED: {
		int64_t q = QTY(v, QUARANTINE_RELEASED, QTY_MILLI);
		int back = QTY(v, QUARANTINE_RELEASED, OUTCOME) !=
			   SVL_QUARANTINE_OUTCOME_RETURNED_TO_SUPPLIER;
		return add_bin(txn, t, F(QUARANTINE_RELEASED, PART_NO),
			       F(QUARANTINE_RELEASED, BIN), back ? q : 0, -q,
			       0);
	}
	case SVL_T_ADJUSTMENT_APPROVED:
		return apply_adjusted(txn, t, v);
	case SVL_T_WRITEOFF_APPROVED:
		return apply_writeoff(txn, t, v);
	default:
		return apply_out(txn, t, type, v);
	}
}

int svl__stockidx_type(uint32_t type)
{
	switch (type) {
	case SVL_T_PARTS_SHELVED:
	case SVL_T_PARTS_RETURNED_TO_STOCK:
	case SVL_T_QUARANTINE_RELEASED:
	case SVL_T_ADJUSTMENT_APPROVED:
	case SVL_T_WRITEOFF_APPROVED:
	case SVL_T_PARTS_ISSUED:
	case SVL_T_PARTS_QUARANTINED:
	case SVL_T_PARTS_RESERVED:
	case SVL_T_RESERVATION_RELEASED:
		return 1;
	default:
		return 0;
	}
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
