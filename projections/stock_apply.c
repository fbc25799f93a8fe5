/*
 * stock_apply.c - the stock-card fold. Which event moves which bucket of
 * a card, and which way, is model/stock_moves.def's (the decider's
 * counters read the same table); here is what a card does with a move:
 * the value that goes with the quantity, the line it writes, and the
 * named handlers for what the table cannot say. docs/projections.md
 * ("Stock cards") states each rule in words.
 *
 * Buckets of a card: on hand (sellable, R-BIN-2), of which reserved;
 * quarantined (R-BIN-3, a separate ledger: not on hand); written off and
 * held until disposal (R-WOF-5, not on hand). The conservation law the
 * tests check: received + returned + adjusted - issued - written off
 * - quarantined from the shelf + restocked from quarantine = on hand.
 */
#include <assert.h>
#include <stddef.h>

#include "stock_int.h"
#include "stock_move.h"
#include "stock_moves.h"
#include "svl_events.h"

#define F(view, T, FIELD) ((view)->v[SVL_F_##T##_##FIELD])

static svl_card_line line_doc(const svl_value *doc, const svl_value *party)
{
	svl_card_line m;
	memset(&m, 0, sizeof m);
	if (doc && doc->present) {
		m.doc = doc->s;
		m.doc_len = doc->len;
	}
	if (party && party->present) {
		m.party = party->s;
		m.party_len = party->len;
	}
	if (!m.doc)
		m.doc = "";
	if (!m.party)
		m.party = "";
	return m;
}

/* ---- one card, one movement ---- */

typedef struct ev {
	svl_proj_ctx *c;
	const svl_record *r;
	svl_event_view v;
} ev;

static int card_begin(ev *e, svl_card *card, const svl_value *part,
		      const svl_value *bin)
{
	return svl__stock_card_load(e->c, card, part->s, part->len,
				    bin ? bin->s : "", bin ? bin->len : 0);
}

/* ---- a move of the table on one card ---- */

/* Where a bucket's quantity and value, and a total, are on the card:
 * offsets into svl_stock_figures, NOWHERE where there is none (OUTSIDE is
 * not on the card; RESERVED, a memo of on hand, has no value). */
#define NOWHERE (-1)
#define AT(x) ((ptrdiff_t)offsetof(svl_stock_figures, x))
static const ptrdiff_t bucket_qty_at[SVL__BUCKETS] = {
    [SVL__BUCKET_OUTSIDE] = NOWHERE,
    [SVL__BUCKET_ON_HAND] = AT(on_hand_milli),
    [SVL__BUCKET_QUARANTINE] = AT(quarantined_milli),
    [SVL__BUCKET_HELD] = AT(wof_held_milli),
    [SVL__BUCKET_RESERVED] = AT(reserved_milli),
};
static const ptrdiff_t bucket_value_at[SVL__BUCKETS] = {
    [SVL__BUCKET_OUTSIDE] = NOWHERE,
    [SVL__BUCKET_ON_HAND] = AT(value_fen),
    [SVL__BUCKET_QUARANTINE] = AT(quarantined_value_fen),
    [SVL__BUCKET_HELD] = AT(wof_held_value_fen),
    [SVL__BUCKET_RESERVED] = NOWHERE,
};
static const ptrdiff_t total_at[] = {
    [SVL__TOTAL_NONE] = NOWHERE,
    [SVL__TOTAL_RECEIVED] = AT(received_milli),
    [SVL__TOTAL_ISSUED] = AT(issued_milli),
    [SVL__TOTAL_RETURNED] = AT(returned_milli),
    [SVL__TOTAL_ADJUSTED] = AT(adjusted_milli),
    [SVL__TOTAL_WRITTEN_OFF] = AT(written_off_milli),
};
#undef AT

static int64_t *figure(svl_stock_figures *f, ptrdiff_t at)
{
	return at == NOWHERE ? NULL : (int64_t *)((char *)f + at);
}
#undef NOWHERE

static int64_t *bucket_qty(svl_stock_figures *f, int b)
{
	return figure(f, bucket_qty_at[b]);
}

static int64_t *bucket_value(svl_stock_figures *f, int b)
{
	return figure(f, bucket_value_at[b]);
}

/* The value leaving bucket b (valued) with q of its quantity. */
static int64_t value_out(svl_stock_figures *f, int b, int64_t q)
{
	if (b == SVL__BUCKET_ON_HAND)
		return svl__stock_out_value(f, q);
	return svl__stock_share(*bucket_value(f, b), *bucket_qty(f, b), q);
}

/*
 * Rule r moves qty (signed) on the card: the quantity from one bucket to
 * the other, and the value with it: a valued bucket gives up its share,
 * the other takes exactly that; from OUTSIDE value comes in at the cost
 * field (a receipt, R-RCV-2: also the card's last cost) or at the average
 * of on hand. The line shows on hand's side of it: in or out, and the
 * cost a unit it moved at.
 */
static void card_move(svl_card *card, const svl__move_rule *r, int64_t qty,
		      const svl_value *cost, svl_card_line *m)
{
	svl_stock_figures *f = &card->f;
	int from, to;
	int64_t q, value = 0;
	svl__move_dir(r, qty, &from, &to, &q);
	if (from == SVL__BUCKET_OUTSIDE) {
		int64_t unit = cost ? cost->i : svl__stock_avg_cost(f);
		value = bucket_value(f, to) ? svl__line_value_fen(q, unit) : 0;
		if (to == SVL__BUCKET_ON_HAND) {
			m->in_milli = q;
			m->unit_cost_fen = unit;
		}
		if (cost)
			f->last_cost_fen = cost->i;
	} else {
		if (from == SVL__BUCKET_ON_HAND) {
			m->out_milli = q;
			m->unit_cost_fen = svl__stock_avg_cost(f);
		}
		if (bucket_value(f, from)) {
			value = value_out(f, from, q);
			*bucket_value(f, from) -= value;
		}
		*bucket_qty(f, from) -= q;
		if (to == SVL__BUCKET_ON_HAND) {
			m->in_milli = q;
			m->unit_cost_fen = svl__unit_cost_fen(value, q);
		}
	}
	if (to != SVL__BUCKET_OUTSIDE) {
		*bucket_qty(f, to) += q;
		if (bucket_value(f, to))
			*bucket_value(f, to) += value;
	}
	if (figure(f, total_at[r->total]))
		*figure(f, total_at[r->total]) += qty;
}

/* ---- the card column of stock_moves.def: what the table cannot say ----
 *
 * Called with the line's card loaded, before the table's moves; may
 * change figures the table does not move, and the quantity moved. */

static int card_received(ev *e, svl_card *card, const svl__move_line *ln,
			 int64_t *qty) /* R-BIN-1: the bin, if none yet */
{
	(void)card;
	(void)qty;
	return svl__stock_set_part_bin(e->c, ln->part, ln->bin, 1);
}

/* Reservations for a job (R-BKG-6): per card and job, never below 0 (a
 * release beyond the job's reservation, appended around the deciders,
 * releases what there is). */
static int card_reserve(ev *e, svl_card *card, const svl__move_line *ln,
			int64_t *qty)
{
	uint8_t key[SVL_STOCK_KEY_MAX + SVL_EV_ID_MAX + 2];
	int64_t held;
	const svl_value *wo = &ln->el[SVL_F_PARTS_RESERVED_WO_ID];
	assert(ln->n_rules == 1); /* into or out of RESERVED, stock_moves.def */
	int in = ln->rule[0]->to == SVL__BUCKET_RESERVED;
	int64_t q = in ? *qty : -*qty;
	(void)card;
	size_t kl = svl__stock_pb(key, 'r', ln->part->s, ln->part->len,
				  ln->bin->s, ln->bin->len);
	key[kl++] = (uint8_t)wo->len;
	memcpy(key + kl, wo->s, wo->len);
	kl += wo->len;
	int rc = svl__stock_get_i64(e->c, key, kl, &held, 1);
	if (rc != SVL_OK)
		return rc;
	if (q < 0 && -q > held)
		q = -held;
	held += q;
	*qty = in ? q : -q;
	return svl__stock_put_i64(e->c, key, kl, &held, 1);
}

_Static_assert((int)SVL_F_PARTS_RESERVED_WO_ID ==
		   (int)SVL_F_RESERVATION_RELEASED_WO_ID,
	       "card_reserve() reads both types' job by position");

/*
 * R-ISS-5 as the deciders apply it: the old part comes back first on picks
 * for a repair or a warranty job, except a repair-purpose pick of a
 * maintenance job (which swaps no old part). The pick's purpose is kept
 * from pick_requested, the job's kind from its booking or reception.
 */
static int issue_counts_old_parts(ev *e, const svl_value *pick,
				  const svl_value *wo, int *counts)
{
	uint8_t key[2 + SVL_EV_ID_MAX];
	int64_t purpose, kind;
	size_t kl = svl__stock_key2(key, 'q', pick, NULL);
	int rc = svl__stock_get_i64(e->c, key, kl, &purpose, 1);
	if (rc == SVL_OK) {
		kl = svl__stock_key2(key, 'j', wo, NULL);
		rc = svl__stock_get_i64(e->c, key, kl, &kind, 1);
	}
	/* both stored + 1, so that 0 means unknown */
	int for_job = purpose == SVL_PICK_PURPOSE_REPAIR + 1 ||
		      purpose == SVL_PICK_PURPOSE_WARRANTY + 1;
	int maint_repair = purpose == SVL_PICK_PURPOSE_REPAIR + 1 &&
			   kind == SVL_JOB_KIND_MAINTENANCE + 1;
	*counts = for_job && !maint_repair;
	return rc;
}

/* Old parts pending per job and part = max(0, issued - returned); gives
 * the change of the part's pending figure. */
static int old_parts(ev *e, const svl_value *wo, const svl_value *part,
		     int64_t issued, int64_t returned, int64_t *change)
{
	uint8_t key[3 + 2 * SVL_EV_ID_MAX];
	int64_t cnt[2];
	size_t kl = svl__stock_key2(key, 'p', wo, part);
	int rc = svl__stock_get_i64(e->c, key, kl, cnt, 2);
	if (rc != SVL_OK)
		return rc;
	int64_t before = cnt[0] > cnt[1] ? cnt[0] - cnt[1] : 0;
	cnt[0] += issued;
	cnt[1] += returned;
	int64_t after = cnt[0] > cnt[1] ? cnt[0] - cnt[1] : 0;
	*change = after - before;
	return svl__stock_put_i64(e->c, key, kl, cnt, 2);
}

/* An issue to a job waits to be settled with it, and (R-ISS-5) for the
 * old part to come back. */
static int card_issued(ev *e, svl_card *card, const svl__move_line *ln,
		       int64_t *qty)
{
	const svl_value *wo = &ln->el[SVL_F_PARTS_ISSUED_WO_ID];
	uint8_t key[2 + SVL_EV_ID_MAX];
	int counts = 1;
	int64_t change = 0;
	if (!wo->present)
		return SVL_OK;
	card->f.unsettled_issued_milli += *qty;
	int rc =
	    svl__stock_list_add(e->c, key, svl__stock_key2(key, 'w', wo, NULL),
				ln->part, ln->bin->s, ln->bin->len, *qty);
	if (rc == SVL_OK)
		rc = issue_counts_old_parts(
		    e, &ln->el[SVL_F_PARTS_ISSUED_PICK_ID], wo, &counts);
	if (rc == SVL_OK && counts)
		rc = old_parts(e, wo, ln->part, *qty, 0, &change);
	card->f.old_parts_pending_milli += change;
	return rc;
}

static int fact_old_part_returned(ev *e) /* R-ISS-5, R-OLD-1 */
{
	const svl_event_view *v = &e->v;
	const svl_value *wo = &F(v, OLD_PART_RETURNED, WO_ID);
	const svl_value *part = &F(v, OLD_PART_RETURNED, PART_NO);
	int64_t change;
	int rc = old_parts(e, wo, part, 0, F(v, OLD_PART_RETURNED, QTY_MILLI).i,
			   &change);
	if (rc != SVL_OK || change == 0)
		return rc;
	const char *bin;
	size_t blen;
	svl_card card;
	if ((rc = svl__stock_part_bin(e->c, part, &bin, &blen)) != SVL_OK ||
	    (rc = svl__stock_card_load(e->c, &card, part->s, part->len, bin,
				       blen)) != SVL_OK)
		return rc;
	card.f.old_parts_pending_milli += change;
	svl_card_line m = line_doc(wo, NULL);
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

/* Take qty of (part, bin) off job wo's unsettled list; returns how much
 * was on it (a return never makes the figure negative). */
static int unsettle(ev *e, const svl_value *wo, const svl_value *part,
		    const svl_value *bin, int64_t q, int64_t *taken)
{
	*taken = 0;
	if (!wo->present)
		return SVL_OK;
	uint8_t key[2 + SVL_EV_ID_MAX];
	size_t kl = svl__stock_key2(key, 'w', wo, NULL);
	const void *v;
	size_t n;
	int rc = svl__proj_get(e->c, key, kl, &v, &n);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len, three;
	int64_t have = 0;
	if (!svl__mp_read_array(&r, &len))
		return svl_txn_fail(e->c->txn, SVL_ECORRUPT, "stock list");
	for (uint32_t i = 0; i < len; i++) {
		const char *ps, *bs;
		uint32_t pl, bl;
		int64_t x;
		if (!svl__mp_read_array(&r, &three) ||
		    !svl__mp_read_str(&r, &ps, &pl) ||
		    !svl__mp_read_str(&r, &bs, &bl) || !svl__mp_read_int(&r, &x))
			return svl_txn_fail(e->c->txn, SVL_ECORRUPT,
					    "stock list");
		if (pl == part->len && !memcmp(ps, part->s, pl) &&
		    bl == bin->len && !memcmp(bs, bin->s, bl))
			have = x;
	}
	*taken = q < have ? q : have;
	if (*taken == 0)
		return SVL_OK;
	return svl__stock_list_add(e->c, key, kl, part, bin->s, bin->len,
				   -*taken);
}

/* Parts back from a job (unused, or for quarantine, R-BIN-3) come off
 * its unsettled list. */
static int card_from_job(ev *e, svl_card *card, const svl__move_line *ln,
			 int64_t *qty)
{
	int64_t taken;
	int rc = unsettle(e, &ln->el[SVL_F_PARTS_QUARANTINED_WO_ID], ln->part,
			  ln->bin, *qty, &taken);
	if (rc == SVL_OK)
		card->f.unsettled_issued_milli -= taken;
	return rc;
}

_Static_assert((int)SVL_F_PARTS_QUARANTINED_WO_ID ==
		   (int)SVL_F_PARTS_RETURNED_TO_STOCK_WO_ID,
	       "card_from_job() reads both types' job by position");

/* ---- a line of the table on its card ---- */

typedef int (*card_fn)(ev *e, svl_card *card, const svl__move_line *ln,
		       int64_t *qty);
#define card_NONE NULL

static card_fn hook_of(uint32_t type)
{
	switch (type) {
#define SVL__HOOK(T, name)                                                     \
	case SVL_T_##T:                                                        \
		return card_##name;
#define SVL_STOCK(T, part, bin, qty, doc, party, cost, card, decide)           \
	SVL__HOOK(T, card)
#define SVL_STOCK_LINES(T, A, part, bin, qty, doc, party, cost, card, decide)  \
	SVL__HOOK(T, card)
#include "stock_moves.def"
#undef SVL__HOOK
	default:
		return NULL;
	}
}

static int card_apply(void *st, const svl__move_line *ln)
{
	ev *e = st;
	const svl__move_kind *k = ln->kind;
	const svl_value *v = e->v.v;
	card_fn hook = hook_of(k->type);
	int64_t qty = ln->qty_milli;
	svl_card card;
	int rc = card_begin(e, &card, ln->part, ln->bin);
	if (rc == SVL_OK && hook)
		rc = hook(e, &card, ln, &qty);
	if (rc != SVL_OK)
		return rc;
	svl_card_line m = line_doc(k->doc >= 0 ? &v[k->doc] : NULL,
				   k->party >= 0 ? &v[k->party] : NULL);
	if (k->party == SVL__FIELD_ACTOR) {
		m.party = e->r->actor;
		m.party_len = (uint32_t)e->r->actor_len;
	}
	for (uint32_t i = 0; i < ln->n_rules; i++)
		card_move(&card, ln->rule[i], qty,
			  k->cost >= 0 ? &v[k->cost] : NULL, &m);
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

/* R-RCV-3: missing or damaged goods on a discrepancy slip are claimed;
 * they stay a reconciling item until the claim is settled. */
static int fact_discrepancy(ev *e)
{
	const svl_event_view *v = &e->v;
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	uint8_t key[3 + 2 * SVL_EV_ID_MAX];
	size_t kl = svl__stock_key2(key, 's', &F(v, DISCREPANCY_RECORDED, PO_ID),
			 &F(v, DISCREPANCY_RECORDED, SLIP_NO));
	int rc = svl_event_array_begin(&it, v, SVL_F_DISCREPANCY_RECORDED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		const svl_value *part =
			&el[SVL_F_DISCREPANCY_RECORDED_LINES_PART_NO];
		int64_t q = el[SVL_F_DISCREPANCY_RECORDED_LINES_QTY_MILLI].i;
		const char *bin;
		size_t blen;
		svl_card card;
		if ((rc = svl__stock_part_bin(e->c, part, &bin, &blen)) != SVL_OK ||
		    (rc = svl__stock_list_add(e->c, key, kl, part, bin, blen, q)) !=
			    SVL_OK ||
		    (rc = svl__stock_card_load(e->c, &card, part->s, part->len,
					       bin, blen)) != SVL_OK)
			return rc;
		card.f.claims_pending_milli += q;
		svl_card_line m = line_doc(&F(v, DISCREPANCY_RECORDED, SLIP_NO),
					   &F(v, DISCREPANCY_RECORDED, PO_ID));
		rc = svl__stock_card_store(e->c, &card, e->r, &m);
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

struct drain_arg {
	size_t figure;       /* offset of the figure to reduce */
	const svl_value *doc;
};

static int drain_item(svl_proj_ctx *c, const svl_record *r, const char *part,
		      uint32_t plen, const char *bin, uint32_t blen,
		      int64_t qty, void *arg)
{
	struct drain_arg *a = arg;
	svl_card card;
	int rc = svl__stock_card_load(c, &card, part, plen, bin, blen);
	if (rc != SVL_OK)
		return rc;
	int64_t *fig = (int64_t *)((char *)&card.f + a->figure);
	*fig -= qty;
	svl_card_line m = line_doc(a->doc, NULL);
	return svl__stock_card_store(c, &card, r, &m);
}

static int fact_claim_settled(ev *e)
{
	const svl_event_view *v = &e->v;
	uint8_t key[3 + 2 * SVL_EV_ID_MAX];
	struct drain_arg a = {offsetof(svl_stock_figures, claims_pending_milli),
			      &F(v, CLAIM_SETTLED, SLIP_NO)};
	size_t kl = svl__stock_key2(key, 's', &F(v, CLAIM_SETTLED, PO_ID),
			 &F(v, CLAIM_SETTLED, SLIP_NO));
	return svl__stock_list_drain(e->c, e->r, key, kl, drain_item, &a);
}

static int fact_settled(ev *e) /* issued parts are settled with the job */
{
	const svl_value *wo = &F(&e->v, SETTLEMENT_ISSUED, WO_ID);
	uint8_t key[2 + SVL_EV_ID_MAX];
	struct drain_arg a = {
		offsetof(svl_stock_figures, unsettled_issued_milli), wo};
	size_t kl = svl__stock_key2(key, 'w', wo, NULL);
	return svl__stock_list_drain(e->c, e->r, key, kl, drain_item, &a);
}

static int fact_counted(ev *e) /* kept for reconciliation against counts */
{
	const svl_event_view *v = &e->v;
	const svl_value *part = &F(v, STOCKTAKE_LINE_COUNTED, PART_NO);
	const svl_value *bin = &F(v, STOCKTAKE_LINE_COUNTED, BIN);
	const svl_value *stk = &F(v, STOCKTAKE_LINE_COUNTED, STK_ID);
	uint8_t key[SVL_STOCK_KEY_MAX], buf[128], *p = buf;
	size_t kl = svl__stock_pb(key, 'k', part->s, part->len, bin->s,
				  bin->len);
	svl__be64_put(key + kl, e->r->seq);
	p = svl__mp_put_array_hdr(p, 3);
	p = svl__mp_put_str(p, stk->s, stk->len);
	p = svl__mp_put_int(p, F(v, STOCKTAKE_LINE_COUNTED, COUNTED_QTY_MILLI).i);
	p = svl__mp_put_int(p, e->r->occurred_at_ms);
	return svl__proj_put(e->c, key, kl + 8, buf, (size_t)(p - buf));
}

/* The job's kind (booking, then reception) and a pick's purpose decide
 * whether an issue waits for an old part (R-ISS-5). Stored + 1. */
static int keep_kind(ev *e, char tag, const svl_value *id, int64_t index)
{
	uint8_t key[2 + SVL_EV_ID_MAX];
	int64_t v = index + 1;
	size_t kl = svl__stock_key2(key, tag, id, NULL);
	return svl__stock_put_i64(e->c, key, kl, &v, 1);
}

static int fact_bin_assigned(ev *e) /* R-BIN-1 */
{
	svl_card card;
	const svl_event_view *v = &e->v;
	int rc = svl__stock_set_part_bin(e->c, &F(v, BIN_ASSIGNED, PART_NO),
					 &F(v, BIN_ASSIGNED, BIN), 0);
	if (rc == SVL_OK)
		rc = card_begin(e, &card, &F(v, BIN_ASSIGNED, PART_NO),
				&F(v, BIN_ASSIGNED, BIN));
	return rc == SVL_OK ? svl__stock_card_open(e->c, &card) : rc;
}

static int fact_booking_kind(ev *e)
{
	return keep_kind(e, 'j', &F(&e->v, BOOKING_REQUESTED, WO_ID),
			 F(&e->v, BOOKING_REQUESTED, JOB_KIND).i);
}

static int fact_reception_kind(ev *e)
{
	return keep_kind(e, 'j', &F(&e->v, VEHICLE_RECEIVED, WO_ID),
			 F(&e->v, VEHICLE_RECEIVED, JOB_KIND).i);
}

static int fact_pick_purpose(ev *e)
{
	return keep_kind(e, 'q', &F(&e->v, PICK_REQUESTED, PICK_ID),
			 F(&e->v, PICK_REQUESTED, PURPOSE).i);
}

/* The facts by their handlers, every move through the table. */
static int dispatch(ev *e)
{
	switch (e->r->type) {
#define SVL_STOCK_FACT(T, name)                                                \
	case SVL_T_##T:                                                        \
		return fact_##name(e);
#include "stock_moves.def"
	default:
		return svl__move_lines(&e->v, card_apply, e);
	}
}

static int stock_apply(svl_proj_ctx *c, const svl_record *r)
{
	if (!svl__move_kind_of(r->type)) /* not in stock_moves.def */
		return SVL_OK;
	ev e = {c, r, {0}};
	int rc = svl_event_decode(&e.v, r->type, r->schema_version, r->payload,
				  r->payload_len);
	if (rc != SVL_OK)
		return svl_txn_fail(c->txn, rc,
				    "stock: seq %llu (type %u) does not decode",
				    (unsigned long long)r->seq, r->type);
	return dispatch(&e);
}

static int stock_describe(const void *key, size_t key_len, const void *ov,
			  size_t ol, const void *nv, size_t nl, char *out,
			  size_t out_len)
{
	const uint8_t *k = key;
	svl_stock_figures a, b;
	uint64_t lines, last;
	if (key_len < 3 || k[0] != 'c')
		return 0;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (ov && !svl__stock_card_decode(ov, ol, &a, &lines, &last))
		return 0;
	if (nv && !svl__stock_card_decode(nv, nl, &b, &lines, &last))
		return 0;
	size_t plen = k[1];
	if (2 + plen >= key_len)
		return 0;
	size_t blen = k[2 + plen];
	snprintf(out, out_len,
		 "stock %.*s@%.*s: on_hand_milli %lld -> %lld, value_fen %lld "
		 "-> %lld",
		 (int)plen, (const char *)k + 2, (int)blen,
		 (const char *)k + 3 + plen, (long long)a.on_hand_milli,
		 (long long)b.on_hand_milli, (long long)a.value_fen,
		 (long long)b.value_fen);
	return 1;
}

/* Lines ('l' pb seq) and business-time deltas ('o' pb occurred seq) end
 * with the seq of their event. */
uint64_t svl__stock_key_seq(const void *key, size_t key_len)
{
	const uint8_t *k = key;
	if (key_len < 11 || (k[0] != 'l' && k[0] != 'o'))
		return 0;
	return svl__be64_get(k + key_len - 8);
}

const svl_proj_def svl__proj_stock = {"stock", 2, stock_apply,
				      stock_describe};
