/*
 * stock_apply.c - the stock-card fold: which event moves which card, and
 * how. docs/projections.md ("Stock cards") states each rule in words.
 *
 * Buckets of a card: on hand (sellable, R-BIN-2), of which reserved;
 * quarantined (R-BIN-3, a separate ledger: not on hand); written off and
 * held until disposal (R-WOF-5, not on hand). The conservation law the
 * tests check: received + returned + adjusted - issued - written off
 * - quarantined from the shelf + restocked from quarantine = on hand.
 */
#include "stock_int.h"
#include "stock_move.h"
#include "svl_events.h"

#define F(view, T, FIELD) ((view)->v[SVL_F_##T##_##FIELD])

static svl_move move_doc(const svl_value *doc, const svl_value *party)
{
	svl_move m;
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

/* Inflow at a unit cost (receipts) or at the average (returns, gains). */
static void flow_in(svl_card *card, int64_t q, int64_t cost, svl_move *m)
{
	card->f.on_hand_milli += q;
	card->f.value_fen += svl__stock_cost_value(q, cost);
	m->in_milli = q;
	m->unit_cost_fen = cost;
}

static void flow_out(svl_card *card, int64_t q, svl_move *m, int64_t *value)
{
	int64_t ov = svl__stock_out_value(&card->f, q);
	m->unit_cost_fen = svl__stock_avg_cost(&card->f);
	card->f.on_hand_milli -= q;
	card->f.value_fen -= ov;
	m->out_milli = q;
	if (value)
		*value = ov;
}

static int on_shelved(ev *e) /* R-RCV-2: stock enters at what was accepted */
{
	svl_card card;
	const svl_event_view *v = &e->v;
	int rc = card_begin(e, &card, &F(v, PARTS_SHELVED, PART_NO),
			    &F(v, PARTS_SHELVED, BIN));
	const svl_value *part = &F(v, PARTS_SHELVED, PART_NO);
	if (rc == SVL_OK)
		rc = svl__stock_set_part_bin(e->c, part,
					     &F(v, PARTS_SHELVED, BIN), 1);
	if (rc != SVL_OK)
		return rc;
	svl_move m = move_doc(&F(v, PARTS_SHELVED, PO_ID),
			      &F(v, PARTS_SHELVED, SUPPLIER_ID));
	int64_t q = F(v, PARTS_SHELVED, QTY_MILLI).i;
	int64_t cost = F(v, PARTS_SHELVED, UNIT_COST_FEN).i;
	flow_in(&card, q, cost, &m);
	card.f.last_cost_fen = cost;
	card.f.received_milli += q;
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

static int on_bin_assigned(ev *e) /* R-BIN-1 */
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

/* Reservations for a job (R-BKG-6): per card and job, never below 0. */
static int reserve(ev *e, const svl_value *part, const svl_value *bin,
		   const svl_value *wo, int64_t q)
{
	svl_card card;
	uint8_t key[SVL_STOCK_KEY_MAX + SVL_EV_ID_MAX + 2];
	int64_t held;
	int rc = card_begin(e, &card, part, bin);
	if (rc != SVL_OK)
		return rc;
	size_t kl = svl__stock_pb(key, 'r', part->s, part->len, bin->s,
				  bin->len);
	key[kl++] = (uint8_t)wo->len;
	memcpy(key + kl, wo->s, wo->len);
	kl += wo->len;
	if ((rc = svl__stock_get_i64(e->c, key, kl, &held, 1)) != SVL_OK)
		return rc;
	if (q < 0 && -q > held)
		q = -held;
	held += q;
	card.f.reserved_milli += q;
	if ((rc = svl__stock_put_i64(e->c, key, kl, &held, 1)) != SVL_OK)
		return rc;
	svl_move m = move_doc(wo, NULL);
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

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

static int on_issued(ev *e)
{
	const svl_event_view *v = &e->v;
	const svl_value *wo = &F(v, PARTS_ISSUED, WO_ID);
	const svl_value *part = &F(v, PARTS_ISSUED, PART_NO);
	const svl_value *bin = &F(v, PARTS_ISSUED, BIN);
	int64_t q = F(v, PARTS_ISSUED, QTY_MILLI).i;
	svl_card card;
	int rc = card_begin(e, &card, part, bin);
	if (rc != SVL_OK)
		return rc;
	svl_move m = move_doc(&F(v, PARTS_ISSUED, PICK_ID), wo);
	flow_out(&card, q, &m, NULL);
	card.f.issued_milli += q;
	if (wo->present) {
		uint8_t key[2 + SVL_EV_ID_MAX];
		int counts = 1;
		int64_t change = 0;
		card.f.unsettled_issued_milli += q;
		rc = svl__stock_list_add(e->c, key,
					 svl__stock_key2(key, 'w', wo, NULL),
					 part, bin->s, bin->len, q);
		if (rc == SVL_OK)
			rc = issue_counts_old_parts(e, &F(v, PARTS_ISSUED, PICK_ID),
						    wo, &counts);
		if (rc == SVL_OK && counts)
			rc = old_parts(e, wo, part, q, 0, &change);
		if (rc != SVL_OK)
			return rc;
		card.f.old_parts_pending_milli += change;
	}
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

static int on_old_part_returned(ev *e) /* R-ISS-5, R-OLD-1 */
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
	svl_move m = move_doc(wo, NULL);
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

static int on_returned_to_stock(ev *e)
{
	const svl_event_view *v = &e->v;
	const svl_value *wo = &F(v, PARTS_RETURNED_TO_STOCK, WO_ID);
	const svl_value *part = &F(v, PARTS_RETURNED_TO_STOCK, PART_NO);
	const svl_value *bin = &F(v, PARTS_RETURNED_TO_STOCK, BIN);
	int64_t q = F(v, PARTS_RETURNED_TO_STOCK, QTY_MILLI).i, taken;
	svl_card card;
	int rc = card_begin(e, &card, part, bin);
	if (rc == SVL_OK)
		rc = unsettle(e, wo, part, bin, q, &taken);
	if (rc != SVL_OK)
		return rc;
	svl_move m = move_doc(&F(v, PARTS_RETURNED_TO_STOCK, PICK_ID), wo);
	flow_in(&card, q, svl__stock_avg_cost(&card.f), &m);
	card.f.returned_milli += q;
	card.f.unsettled_issued_milli -= taken;
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

/* R-BIN-3: quality returns go to a separate ledger. From a job (wo_id)
 * they come back from the job at average cost; otherwise off the shelf. */
static int on_quarantined(ev *e)
{
	const svl_event_view *v = &e->v;
	const svl_value *wo = &F(v, PARTS_QUARANTINED, WO_ID);
	const svl_value *part = &F(v, PARTS_QUARANTINED, PART_NO);
	const svl_value *bin = &F(v, PARTS_QUARANTINED, BIN);
	int64_t q = F(v, PARTS_QUARANTINED, QTY_MILLI).i, taken, value;
	svl_card card;
	int rc = card_begin(e, &card, part, bin);
	if (rc != SVL_OK)
		return rc;
	svl_move m = move_doc(wo, NULL);
	if (wo->present) {
		if ((rc = unsettle(e, wo, part, bin, q, &taken)) != SVL_OK)
			return rc;
		card.f.unsettled_issued_milli -= taken;
		value = svl__stock_cost_value(q, svl__stock_avg_cost(&card.f));
	} else {
		flow_out(&card, q, &m, &value);
	}
	card.f.quarantined_milli += q;
	card.f.quarantined_value_fen += value;
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

static int on_quarantine_released(ev *e)
{
	const svl_event_view *v = &e->v;
	int64_t q = F(v, QUARANTINE_RELEASED, QTY_MILLI).i;
	svl_card card;
	int rc = card_begin(e, &card, &F(v, QUARANTINE_RELEASED, PART_NO),
			    &F(v, QUARANTINE_RELEASED, BIN));
	if (rc != SVL_OK)
		return rc;
	int64_t value = card.f.quarantined_milli <= q
				? card.f.quarantined_value_fen
				: svl__div_round((svl_i128)card.f
							 .quarantined_value_fen *
							 q,
						 card.f.quarantined_milli);
	card.f.quarantined_milli -= q;
	card.f.quarantined_value_fen -= value;
	svl_move m = move_doc(&F(v, QUARANTINE_RELEASED, WOF_ID), NULL);
	/* Restocked parts, and parts handed to a write-off (whose approval
	 * then takes them off the shelf into the held bucket), go back on
	 * the book at the value they left with. */
	if (F(v, QUARANTINE_RELEASED, OUTCOME).i !=
	    SVL_QUARANTINE_OUTCOME_RETURNED_TO_SUPPLIER) {
		card.f.on_hand_milli += q;
		card.f.value_fen += value;
		m.in_milli = q;
		m.unit_cost_fen = q ? svl__div_round((svl_i128)value * 1000, q)
				    : 0;
	}
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

/* R-STK-2: only approved adjustments move the book */
static int on_adjusted(ev *e)
{
	const svl_event_view *v = &e->v;
	int64_t d = F(v, ADJUSTMENT_APPROVED, DELTA_QTY_MILLI).i;
	svl_card card;
	int rc = card_begin(e, &card, &F(v, ADJUSTMENT_APPROVED, PART_NO),
			    &F(v, ADJUSTMENT_APPROVED, BIN));
	if (rc != SVL_OK)
		return rc;
	svl_move m = move_doc(&F(v, ADJUSTMENT_APPROVED, STK_ID), NULL);
	m.party = e->r->actor;
	m.party_len = (uint32_t)e->r->actor_len;
	if (d >= 0)
		flow_in(&card, d, svl__stock_avg_cost(&card.f), &m);
	else
		flow_out(&card, -d, &m, NULL);
	card.f.adjusted_milli += d;
	return svl__stock_card_store(e->c, &card, e->r, &m);
}

_Static_assert(SVL_F_WRITEOFF_APPROVED_WOF_ID == 0 &&
		       SVL_F_WRITEOFF_DISPOSED_WOF_ID == 0 &&
		       SVL_F_WRITEOFF_APPROVED_LINES_PART_NO == 0 &&
		       SVL_F_WRITEOFF_APPROVED_LINES_BIN == 1 &&
		       SVL_F_WRITEOFF_APPROVED_LINES_QTY_MILLI == 2 &&
		       SVL_F_WRITEOFF_DISPOSED_LINES_PART_NO == 0 &&
		       SVL_F_WRITEOFF_DISPOSED_LINES_BIN == 1 &&
		       SVL_F_WRITEOFF_DISPOSED_LINES_QTY_MILLI == 2,
	       "writeoff_lines() reads both types by position");

/* Each line of a write-off: approval moves parts off the shelf into the
 * held bucket (R-WOF-5); disposal closes them. */
static int writeoff_lines(ev *e, uint32_t array, int dispose)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	const svl_value *wof = &e->v.v[0]; /* wof_id is field 0 of both */
	int rc = svl_event_array_begin(&it, &e->v, array);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		/* part_no, bin, qty_milli are the first three sub-fields */
		svl_card card;
		int64_t q = el[2].i, value;
		if ((rc = card_begin(e, &card, &el[0], &el[1])) != SVL_OK)
			return rc;
		svl_move m = move_doc(wof, NULL);
		if (dispose) {
			value = card.f.wof_held_milli <= q
					? card.f.wof_held_value_fen
					: svl__div_round(
						  (svl_i128)card.f
								  .wof_held_value_fen *
							  q,
						  card.f.wof_held_milli);
			card.f.wof_held_milli -= q;
			card.f.wof_held_value_fen -= value;
		} else {
			flow_out(&card, q, &m, &value);
			card.f.wof_held_milli += q;
			card.f.wof_held_value_fen += value;
			card.f.written_off_milli += q;
		}
		rc = svl__stock_card_store(e->c, &card, e->r, &m);
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* R-RCV-3: missing or damaged goods on a discrepancy slip are claimed;
 * they stay a reconciling item until the claim is settled. */
static int on_discrepancy(ev *e)
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
		svl_move m = move_doc(&F(v, DISCREPANCY_RECORDED, SLIP_NO),
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
	svl_move m = move_doc(a->doc, NULL);
	return svl__stock_card_store(c, &card, r, &m);
}

static int on_claim_settled(ev *e)
{
	const svl_event_view *v = &e->v;
	uint8_t key[3 + 2 * SVL_EV_ID_MAX];
	struct drain_arg a = {offsetof(svl_stock_figures, claims_pending_milli),
			      &F(v, CLAIM_SETTLED, SLIP_NO)};
	size_t kl = svl__stock_key2(key, 's', &F(v, CLAIM_SETTLED, PO_ID),
			 &F(v, CLAIM_SETTLED, SLIP_NO));
	return svl__stock_list_drain(e->c, e->r, key, kl, drain_item, &a);
}

static int on_settled(ev *e) /* issued parts are settled with the job */
{
	const svl_value *wo = &F(&e->v, SETTLEMENT_ISSUED, WO_ID);
	uint8_t key[2 + SVL_EV_ID_MAX];
	struct drain_arg a = {
		offsetof(svl_stock_figures, unsettled_issued_milli), wo};
	size_t kl = svl__stock_key2(key, 'w', wo, NULL);
	return svl__stock_list_drain(e->c, e->r, key, kl, drain_item, &a);
}

static int on_counted(ev *e) /* kept for reconciliation against counts */
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

static int dispatch(ev *e)
{
	const svl_event_view *v = &e->v;
	switch (e->r->type) {
	case SVL_T_BIN_ASSIGNED: return on_bin_assigned(e);
	case SVL_T_PARTS_SHELVED: return on_shelved(e);
	case SVL_T_PARTS_RESERVED:
		return reserve(e, &F(v, PARTS_RESERVED, PART_NO),
			       &F(v, PARTS_RESERVED, BIN),
			       &F(v, PARTS_RESERVED, WO_ID),
			       F(v, PARTS_RESERVED, QTY_MILLI).i);
	case SVL_T_RESERVATION_RELEASED:
		return reserve(e, &F(v, RESERVATION_RELEASED, PART_NO),
			       &F(v, RESERVATION_RELEASED, BIN),
			       &F(v, RESERVATION_RELEASED, WO_ID),
			       -F(v, RESERVATION_RELEASED, QTY_MILLI).i);
	case SVL_T_PARTS_ISSUED: return on_issued(e);
	case SVL_T_OLD_PART_RETURNED: return on_old_part_returned(e);
	case SVL_T_PARTS_RETURNED_TO_STOCK: return on_returned_to_stock(e);
	case SVL_T_PARTS_QUARANTINED: return on_quarantined(e);
	case SVL_T_QUARANTINE_RELEASED: return on_quarantine_released(e);
	case SVL_T_ADJUSTMENT_APPROVED: return on_adjusted(e);
	case SVL_T_WRITEOFF_APPROVED:
		return writeoff_lines(e, SVL_F_WRITEOFF_APPROVED_LINES, 0);
	case SVL_T_WRITEOFF_DISPOSED:
		return writeoff_lines(e, SVL_F_WRITEOFF_DISPOSED_LINES, 1);
	case SVL_T_DISCREPANCY_RECORDED: return on_discrepancy(e);
	case SVL_T_CLAIM_SETTLED: return on_claim_settled(e);
	case SVL_T_SETTLEMENT_ISSUED: return on_settled(e);
	case SVL_T_STOCKTAKE_LINE_COUNTED: return on_counted(e);
	case SVL_T_BOOKING_REQUESTED:
		return keep_kind(e, 'j', &F(v, BOOKING_REQUESTED, WO_ID),
				 F(v, BOOKING_REQUESTED, JOB_KIND).i);
	case SVL_T_VEHICLE_RECEIVED:
		return keep_kind(e, 'j', &F(v, VEHICLE_RECEIVED, WO_ID),
				 F(v, VEHICLE_RECEIVED, JOB_KIND).i);
	case SVL_T_PICK_REQUESTED:
		return keep_kind(e, 'q', &F(v, PICK_REQUESTED, PICK_ID),
				 F(v, PICK_REQUESTED, PURPOSE).i);
	default: return SVL_OK;
	}
}

static int is_stock_event(uint32_t type)
{
	switch (type) {
	case SVL_T_BIN_ASSIGNED: case SVL_T_PARTS_SHELVED:
	case SVL_T_PARTS_RESERVED: case SVL_T_RESERVATION_RELEASED:
	case SVL_T_PARTS_ISSUED: case SVL_T_OLD_PART_RETURNED:
	case SVL_T_PARTS_RETURNED_TO_STOCK: case SVL_T_PARTS_QUARANTINED:
	case SVL_T_QUARANTINE_RELEASED: case SVL_T_ADJUSTMENT_APPROVED:
	case SVL_T_WRITEOFF_APPROVED: case SVL_T_WRITEOFF_DISPOSED:
	case SVL_T_DISCREPANCY_RECORDED: case SVL_T_CLAIM_SETTLED:
	case SVL_T_SETTLEMENT_ISSUED: case SVL_T_STOCKTAKE_LINE_COUNTED:
	case SVL_T_BOOKING_REQUESTED: case SVL_T_VEHICLE_RECEIVED:
	case SVL_T_PICK_REQUESTED:
		return 1;
	default:
		return 0;
	}
}

static int stock_apply(svl_proj_ctx *c, const svl_record *r)
{
	if (!is_stock_event(r->type))
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
