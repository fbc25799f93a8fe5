/*
 * figures_scan.c - the figures' walk: in one read snapshot, the live rule
 * set and the ledger's clock, every event the figures join (kept as facts,
 * figures_int.h), the charges' shares as the deciders matched them, and
 * the late entries of the stock cards; the after-care events are handed
 * to figures_care.c, the delays' and the trade's to figures_trade.c.
 *
 * Cost: every record of the log is read once (its envelope; a payload is
 * decoded only for the types kept), so the walk grows with the log, not
 * with the range asked for: what happened in September may rest on a
 * booking confirmed in August, or a pick requested before the range.
 * Kept facts are a few hundred bytes each, for about one event in four.
 */
#include <stdlib.h>

#include "calendar.h"
#include "fail.h"
#include "figures_int.h"
#include "metrics_int.h"

/* The events kept, and where in each the fields the figures read are:
 * its document (the fact's id; an event without it is not kept), a
 * number (n), and texts (a, b). -1: none. */
typedef struct kept {
	uint32_t type;
	int group;
	int id, n, a, b;
	int a_required; /* an event without field a is not kept */
} kept;

/* clang-format off */
#define F(T, f) SVL_F_##T##_##f
#define JOB(T, n) {SVL_T_##T, SVL__FIG_JOBS, F(T, WO_ID), n, -1, -1, 0}
#define STK(T, n, a, b) {SVL_T_##T, SVL__FIG_STK, F(T, STK_ID), n, a, b, 0}
static const kept kept_types[] = {
    JOB(BOOKING_CONFIRMED, F(BOOKING_CONFIRMED, SLOT_AT_MS)),
    JOB(BOOKING_RESCHEDULED, F(BOOKING_RESCHEDULED, SLOT_AT_MS)),
    JOB(BOOKING_CANCELLED, -1),
    JOB(BOOKING_REMINDED, -1),
    JOB(VEHICLE_RECEIVED, -1),
    /* a pick's job (none: a counter sale, internal use), its approval */
    {SVL_T_PICK_REQUESTED, SVL__FIG_PICKS, F(PICK_REQUESTED, PICK_ID), -1,
     F(PICK_REQUESTED, WO_ID), -1, 1},
    {SVL_T_PICK_SIGNED, SVL__FIG_PICKS, F(PICK_SIGNED, PICK_ID),
     F(PICK_SIGNED, SIGNED_AS), -1, -1, 0},
    {SVL_T_PARTS_ISSUED, SVL__FIG_PICKS, F(PARTS_ISSUED, PICK_ID), -1,
     F(PARTS_ISSUED, WO_ID), -1, 1},
    STK(STOCKTAKE_OPENED, F(STOCKTAKE_OPENED, KIND), -1, -1),
    STK(STOCKTAKE_LINE_COUNTED, F(STOCKTAKE_LINE_COUNTED, COUNTED_QTY_MILLI),
        F(STOCKTAKE_LINE_COUNTED, PART_NO), F(STOCKTAKE_LINE_COUNTED, BIN)),
    STK(STOCKTAKE_CLOSED, -1, -1, -1),
    STK(ADJUSTMENT_PROPOSED, -1, -1, -1),
    STK(ADJUSTMENT_APPROVED, -1, -1, -1),
    {SVL_T_WRITEOFF_APPROVED, SVL__FIG_WOF, F(WRITEOFF_APPROVED, WOF_ID),
     F(WRITEOFF_APPROVED, TOTAL_FEN), -1, -1, 0},
    {SVL_T_LIABILITY_CHARGED, SVL__FIG_WOF, F(LIABILITY_CHARGED, WOF_ID),
     F(LIABILITY_CHARGED, AMOUNT_FEN), F(LIABILITY_CHARGED, STAFF_ID), -1, 0},
};
/* clang-format on */
#undef F
#undef JOB
#undef STK

static const kept *kept_of(uint32_t type)
{
	for (size_t i = 0; i < sizeof kept_types / sizeof kept_types[0]; i++)
		if (kept_types[i].type == type)
			return &kept_types[i];
	return NULL;
}

/* What the table does not say: of the signatures on a pick, only the
 * parts manager's outbound approval (R-ISS-1); of the charges, only the
 * write-off shares (R-WOF-6). */
static int passed_over(const svl_record *r, const svl_event_view *v)
{
	if (r->type == SVL_T_PICK_SIGNED)
		return v->v[SVL_F_PICK_SIGNED_SIGNED_AS].i !=
		       SVL_SIGN_AS_OUTBOUND_APPROVAL;
	if (r->type == SVL_T_LIABILITY_CHARGED)
		return v->v[SVL_F_LIABILITY_CHARGED_CAUSE].i !=
		       SVL_LIABILITY_CAUSE_WRITEOFF_SHARE;
	return 0;
}

static void text(char *out, size_t cap, const svl_event_view *v, int field)
{
	if (field >= 0 && v->v[field].present)
		svl__fig_copy(out, cap, v->v[field].s, v->v[field].len);
}

static int fact(svl__fig *f, svl_txn *t, const kept *k, const svl_record *r,
		const svl_event_view *v)
{
	const svl_value *id = &v->v[k->id];
	if (!id->present || passed_over(r, v) ||
	    (k->a_required && !v->v[k->a].present))
		return SVL_OK;
	svl__fig_facts *g = &f->g[k->group];
	svl__fig_fact *x = SVL__FIG_PUSH(g->v, g->n, g->cap);
	if (!x)
		return SVL_ENOMEM;
	svl__fig_copy(x->id, sizeof x->id, id->s, id->len);
	text(x->a, sizeof x->a, v, k->a);
	text(x->b, sizeof x->b, v, k->b);
	svl__fig_copy(x->who, sizeof x->who, r->actor, r->actor_len);
	x->type = r->type;
	x->seq = r->seq;
	x->at_ms = r->occurred_at_ms;
	x->n = k->n >= 0 ? v->v[k->n].i : 0;
	if (r->type != SVL_T_LIABILITY_CHARGED)
		return SVL_OK;
	return svl__fig_share_of(
	    f, t, id, &v->v[SVL_F_LIABILITY_CHARGED_STAFF_ID], &x->m);
}

static int decode(svl_txn *t, const svl_record *r, svl_event_view *v)
{
	int rc = svl_event_decode(v, r->type, r->schema_version, r->payload,
				  r->payload_len);
	if (rc != SVL_OK)
		return svl_txn_fail(t, SVL_ECORRUPT,
				    "figures: seq %llu does not decode",
				    (unsigned long long)r->seq);
	return SVL_OK;
}

static int keep(svl__fig *f, svl_txn *t, const kept *k, const svl_record *r)
{
	svl_event_view v;
	int rc = decode(t, r, &v);
	return rc == SVL_OK ? fact(f, t, k, r, &v) : rc;
}

/* The follow-ups', complaints' and warnings' events (figures_care.c). */
static int care(svl__fig *f, svl_txn *t, const svl_record *r)
{
	svl_event_view v;
	int rc = decode(t, r, &v);
	return rc == SVL_OK ? svl__fig_care_event(f, r, &v) : rc;
}

/* Delays, requisitions, counter sales, claims (figures_trade.c). */
static int trade(svl__fig *f, svl_txn *t, const svl_record *r)
{
	svl_event_view v;
	int rc = decode(t, r, &v);
	return rc == SVL_OK ? svl__fig_trade_event(f, r, &v) : rc;
}

static int walk(svl__fig *f, svl_txn *t)
{
	svl_iter *it;
	svl_record r;
	int rc = svl_txn_iter_seq(t, 1, 0, &it);
	if (rc == SVL_ENOTFOUND) /* an empty log */
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK) {
		const kept *k = kept_of(r.type);
		if (k && (rc = keep(f, t, k, &r)) != SVL_OK)
			break;
		if (svl__fig_care_kept(r.type) &&
		    (rc = care(f, t, &r)) != SVL_OK)
			break;
		if (svl__fig_trade_kept(r.type) &&
		    (rc = trade(f, t, &r)) != SVL_OK)
			break;
	}
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

int svl__fig_scan(svl_txn *t, void *payload)
{
	svl__fig *f = payload;
	unsigned stock;
	svl_head h;
	int rc = svl__proj_live_table(f->l, "stock", t, &stock, &f->rules);
	if (rc == SVL_OK)
		rc = svl_txn_head(t, &h);
	if (rc != SVL_OK)
		return rc;
	f->out->as_of_ms = h.recorded_at_ms;
	f->out->head_seq = h.seq;
	f->out->tz_offset_min = f->rules.tz_offset_min;
	f->out->charge_days = svl__figures_charge_days(&f->rules);
	f->first_day = svl__period_start(
	    f->period,
	    svl_rules_local_day(&f->rules, svl__clamp_ms(f->from_ms)));
	f->last_day = svl__period_start(
	    f->period,
	    svl_rules_local_day(&f->rules, svl__clamp_ms(f->to_ms - 1)));
	if ((rc = walk(f, t)) != SVL_OK)
		return rc;
	return svl__fig_late(f, t, stock);
}
