/*
 * decide_parts.c - the part stream: stock at a bin, folded for the
 * deciders, and the rules of bins, reservations and the quarantine ledger.
 *
 *   R-BIN-1  one bin per part number and one part number per bin; every
 *            movement names the part's bin.
 *   R-BIN-2  book, card and goods agree: no movement takes the bin's book
 *            below zero (so nothing is issued beyond stock on hand).
 *   R-BIN-3  quarantined parts are on a separate ledger, not sellable, and
 *            leave it only as far as they are in it.
 *   R-BKG-6  reserved parts sit on the dedicated shelf for their job: no
 *            more is reserved than is on hand and not yet reserved.
 *
 * Which event moves which counter, and which way, is the stock card's
 * too: both read model/stock_moves.def (through svl__stock_deltas), so a
 * decider and a card never disagree (tests/test_stock_moves.c). Sellable
 * is the card's on hand: shelved, returned, restocked and adjusted parts
 * minus issued ones, parts quarantined from the shelf, and the lines of
 * approved write-offs (which live in wof- streams: for the "as of" fold
 * here the decider index sums them per part and bin, 'O' keys).
 */
#include "decide_int.h"

typedef struct stock_fold {
	const svl__stock_q *q;
	svl__stock *s;
} stock_fold;

#define QEQ(field, val) ((f->q->field) && svl__veq(f->q->field, (val)))

/* One change of the counters (svl__stock_deltas), where it is the bin or
 * document asked about. */
static int fold_delta(void *st, const svl__stock_delta *d)
{
	stock_fold *f = st;
	svl__stock *s = f->s;
	switch (d->kind) {
	case 'Q':
		if (!svl__veq(d->bin, f->q->bin))
			break;
		s->sellable_milli += d->d[0];
		s->quarantined_milli += d->d[1];
		s->reserved_milli += d->d[2];
		break;
	case 'R':
		if (svl__veq(d->bin, f->q->bin) && QEQ(wo_id, d->doc))
			s->reserved_wo_milli += d->d[0];
		break;
	case 'I':
		if (QEQ(wo_id, d->doc))
			s->issued_wo_milli += d->d[0];
		break;
	case 'K':
		if (QEQ(pick_id, d->doc))
			s->issued_pick_milli += d->d[0];
		break;
	case 'V':
		if (QEQ(po_id, d->doc))
			s->shelved_po_milli += d->d[0];
		break;
	case 'J':
		if (QEQ(stk_id, d->doc) && d->adj_no == f->q->adj_no)
			s->adj_approved = 1;
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int stock_step(void *st, const svl_record *r, const svl_event_view *v)
{
	stock_fold *f = st;
	if (r->type != SVL_T_BIN_ASSIGNED)
		return svl__stock_deltas(v, fold_delta, f);
	f->s->has_bin = 1;
	svl__vcopy(f->s->bin, sizeof f->s->bin, &v->v[SVL_F_BIN_ASSIGNED_BIN]);
	return SVL_OK;
}

int svl__stock_fold(svl__dctx *c, const svl_value *part_no,
		    const svl__stock_q *q, svl__stock *out)
{
	static const svl_value none = {0, NULL, 0, 0};
	if (q->upto_seq == 0) /* the present: the index's counters */
		return svl__stockidx_get(c, part_no, q, out);
	svl__stock_q qq = *q;
	stock_fold f = {&qq, out};
	int64_t gone = 0;
	memset(out, 0, sizeof *out);
	if (!qq.bin) /* only the part's bin is asked for */
		qq.bin = &none;
	int rc = svl__fold(c, "part", part_no, q->upto_seq, stock_step, &f);
	if (rc == SVL_OK && q->bin)
		rc = svl__index_written_off(c, part_no, q->bin, q->upto_seq,
					    &gone);
	out->sellable_milli -= gone;
	return rc;
}

int svl__check_bin(svl__dctx *c, const svl_value *part_no, const svl_value *bin,
		   const svl__stock *s)
{
	if (!s->has_bin)
		return svl__refuse(c, "R-BIN-1",
				   "part %.*s has no bin location "
				   "yet; assign its warehouse-rack-shelf-"
				   "position first",
				   SVL__V(*part_no));
	if (!svl__veqs(bin, s->bin))
		return svl__refuse(c, "R-BIN-1",
				   "part %.*s lives at bin %s, "
				   "not %.*s; one bin per part number",
				   SVL__V(*part_no), s->bin, SVL__V(*bin));
	return SVL_OK;
}

/* Fold the part at the event's bin and check the bin is the part's. */
static int part_at_bin(svl__dctx *c, uint32_t f_part, uint32_t f_bin,
		       svl__stock_q *q, svl__stock *s)
{
	q->bin = SVL__F(c, f_bin);
	int rc = svl__stock_fold(c, SVL__F(c, f_part), q, s);
	return rc != SVL_OK ? rc
			    : svl__check_bin(c, SVL__F(c, f_part), q->bin, s);
}

/* ---- bin_assigned (R-BIN-1) ---- */

static int decide_bin_assigned(svl__dctx *c)
{
	const svl_value *part = SVL__F(c, SVL_F_BIN_ASSIGNED_PART_NO);
	const svl_value *bin = SVL__F(c, SVL_F_BIN_ASSIGNED_BIN);
	char owner[SVL_EV_ID_MAX + 1], q1[32], q2[32];
	int found;
	int rc = svl__index_bin_owner(c, bin, owner, sizeof owner, &found);
	if (rc != SVL_OK)
		return rc;
	if (found && !svl__veqs(part, owner))
		return svl__refuse(c, "R-BIN-1",
				   "bin %.*s already holds part "
				   "%s; one part number per bin",
				   SVL__V(*bin), owner);
	svl__stock s;
	svl__stock_q q = {0};
	if ((rc = svl__stock_fold(c, part, &q, &s)) != SVL_OK || !s.has_bin ||
	    svl__veqs(bin, s.bin))
		return rc;
	svl_value old = {0, s.bin, (uint32_t)strlen(s.bin), 1};
	q.bin = &old;
	if ((rc = svl__stock_fold(c, part, &q, &s)) != SVL_OK)
		return rc;
	if (s.sellable_milli != 0 || s.quarantined_milli != 0)
		return svl__refuse(
		    c, "R-BIN-1",
		    "part %.*s still has %s on the "
		    "shelf and %s quarantined at bin %s; a part "
		    "moves to a new bin only when the old one "
		    "is empty",
		    SVL__V(*part),
		    svl__fmt_qty(q1, sizeof q1, s.sellable_milli),
		    svl__fmt_qty(q2, sizeof q2, s.quarantined_milli), s.bin);
	return SVL_OK;
}

/* ---- reservations (R-BKG-6) ---- */

static int decide_reserved(svl__dctx *c)
{
	svl__stock s;
	svl__stock_q q = {0};
	char a[32], b[32];
	int rc = part_at_bin(c, SVL_F_PARTS_RESERVED_PART_NO,
			     SVL_F_PARTS_RESERVED_BIN, &q, &s);
	if (rc != SVL_OK)
		return rc;
	int64_t qty = SVL__F(c, SVL_F_PARTS_RESERVED_QTY_MILLI)->i;
	int64_t free_milli = s.sellable_milli - s.reserved_milli;
	if (qty > free_milli)
		return svl__refuse(
		    c, "R-BKG-6",
		    "only %s of part %.*s are on "
		    "the shelf and not yet reserved; %s cannot "
		    "be reserved",
		    svl__fmt_qty(a, sizeof a, free_milli > 0 ? free_milli : 0),
		    SVL__V(*SVL__F(c, SVL_F_PARTS_RESERVED_PART_NO)),
		    svl__fmt_qty(b, sizeof b, qty));
	return SVL_OK;
}

static int decide_released(svl__dctx *c)
{
	svl__stock s;
	svl__stock_q q = {0};
	char a[32];
	q.wo_id = SVL__F(c, SVL_F_RESERVATION_RELEASED_WO_ID);
	int rc = part_at_bin(c, SVL_F_RESERVATION_RELEASED_PART_NO,
			     SVL_F_RESERVATION_RELEASED_BIN, &q, &s);
	if (rc != SVL_OK)
		return rc;
	if (SVL__F(c, SVL_F_RESERVATION_RELEASED_QTY_MILLI)->i >
	    s.reserved_wo_milli)
		return svl__refuse(
		    c, "R-BKG-6",
		    "only %s of part %.*s are "
		    "reserved for job %.*s",
		    svl__fmt_qty(a, sizeof a, s.reserved_wo_milli),
		    SVL__V(*SVL__F(c, SVL_F_RESERVATION_RELEASED_PART_NO)),
		    SVL__V(*q.wo_id));
	return SVL_OK;
}

/* ---- returns to stock and the quarantine ledger (R-BIN-2, R-BIN-3) ---- */

static int decide_returned(svl__dctx *c)
{
	svl__stock s;
	svl__stock_q q = {0};
	char a[32];
	const svl_value *wo = SVL__F(c, SVL_F_PARTS_RETURNED_TO_STOCK_WO_ID);
	q.wo_id = wo->present ? wo : NULL;
	int rc = part_at_bin(c, SVL_F_PARTS_RETURNED_TO_STOCK_PART_NO,
			     SVL_F_PARTS_RETURNED_TO_STOCK_BIN, &q, &s);
	if (rc != SVL_OK || !wo->present)
		return rc;
	if (SVL__F(c, SVL_F_PARTS_RETURNED_TO_STOCK_QTY_MILLI)->i >
	    s.issued_wo_milli)
		return svl__refuse(
		    c, "R-BIN-2",
		    "only %s of part %.*s were "
		    "issued to job %.*s; more cannot come back",
		    svl__fmt_qty(a, sizeof a, s.issued_wo_milli),
		    SVL__V(*SVL__F(c, SVL_F_PARTS_RETURNED_TO_STOCK_PART_NO)),
		    SVL__V(*wo));
	return SVL_OK;
}

static int decide_quarantined(svl__dctx *c)
{
	svl__stock s;
	svl__stock_q q = {0};
	char a[32];
	int rc = part_at_bin(c, SVL_F_PARTS_QUARANTINED_PART_NO,
			     SVL_F_PARTS_QUARANTINED_BIN, &q, &s);
	if (rc != SVL_OK || SVL__F(c, SVL_F_PARTS_QUARANTINED_WO_ID)->present)
		return rc; /* back from a job: it was not on the shelf */
	if (SVL__F(c, SVL_F_PARTS_QUARANTINED_QTY_MILLI)->i <= s.sellable_milli)
		return SVL_OK;
	/* name the write-off hold: what approved write-offs took off the
	 * shelf may still sit in the bin, held for disposal (R-WOF-5) */
	int64_t held = 0;
	char b[32];
	const svl_value *part = SVL__F(c, SVL_F_PARTS_QUARANTINED_PART_NO);
	rc = svl__index_written_off(
	    c, part, SVL__F(c, SVL_F_PARTS_QUARANTINED_BIN), 0, &held);
	if (rc != SVL_OK)
		return rc;
	return svl__refuse(
	    c, "R-BIN-2",
	    "only %s of part %.*s are on the shelf to move to quarantine%s%s%s",
	    svl__fmt_qty(a, sizeof a, s.sellable_milli), SVL__V(*part),
	    held > 0 ? "; " : "",
	    held > 0 ? svl__fmt_qty(b, sizeof b, held) : "",
	    held > 0 ? " more were taken off the shelf by approved "
		       "write-offs: the write-off hold, kept by the keeper "
		       "until disposal (R-WOF-5)"
		     : "");
}

static int decide_quarantine_released(svl__dctx *c)
{
	svl__stock s;
	svl__stock_q q = {0};
	char a[32];
	const svl_value *wof = SVL__F(c, SVL_F_QUARANTINE_RELEASED_WOF_ID);
	int rc = part_at_bin(c, SVL_F_QUARANTINE_RELEASED_PART_NO,
			     SVL_F_QUARANTINE_RELEASED_BIN, &q, &s);
	if (rc != SVL_OK)
		return rc;
	if (SVL__F(c, SVL_F_QUARANTINE_RELEASED_QTY_MILLI)->i >
	    s.quarantined_milli)
		return svl__refuse(
		    c, "R-BIN-3",
		    "only %s of part %.*s are in "
		    "quarantine",
		    svl__fmt_qty(a, sizeof a, s.quarantined_milli),
		    SVL__V(*SVL__F(c, SVL_F_QUARANTINE_RELEASED_PART_NO)));
	if (SVL__F(c, SVL_F_QUARANTINE_RELEASED_OUTCOME)->i !=
	    SVL_QUARANTINE_OUTCOME_WRITE_OFF)
		return SVL_OK;
	uint64_t ver = 0;
	if (wof->present && (rc = svl__stream_version(c, "wof", wof, &ver)))
		return rc;
	if (ver == 0)
		return svl__refuse(c, "R-BIN-3",
				   "quarantined parts go to a "
				   "write-off only with the write-off's id, "
				   "after it was applied for");
	return SVL_OK;
}

/* ---- transfers between the group's stores (docs/group.md) ---- */

/* Out: only what is on the shelf, from the part's bin (R-BIN-1, R-BIN-2).
 * Which stores exist is the group's to know, not a store ledger's. */
static int decide_transferred_out(svl__dctx *c)
{
	svl__stock s;
	svl__stock_q q = {0};
	char a[32];
	int rc = part_at_bin(c, SVL_F_STOCK_TRANSFERRED_OUT_PART_NO,
			     SVL_F_STOCK_TRANSFERRED_OUT_BIN, &q, &s);
	if (rc != SVL_OK)
		return rc;
	if (SVL__F(c, SVL_F_STOCK_TRANSFERRED_OUT_QTY_MILLI)->i <=
	    s.sellable_milli)
		return SVL_OK;
	return svl__refuse(
	    c, "R-BIN-2",
	    "only %s of part %.*s are on the shelf to send to store %.*s",
	    svl__fmt_qty(a, sizeof a, s.sellable_milli),
	    SVL__V(*SVL__F(c, SVL_F_STOCK_TRANSFERRED_OUT_PART_NO)),
	    SVL__V(*SVL__F(c, SVL_F_STOCK_TRANSFERRED_OUT_TO_STORE)));
}

/* In: to the part's bin, or its first one (R-BIN-1). What the sender
 * sent is in the sender's ledger: the group ledger pairs the two. */
static int decide_transferred_in(svl__dctx *c)
{
	svl__stock s;
	svl__stock_q q = {0};
	return part_at_bin(c, SVL_F_STOCK_TRANSFERRED_IN_PART_NO,
			   SVL_F_STOCK_TRANSFERRED_IN_BIN, &q, &s);
}

int svl__decide_bins(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_BIN_ASSIGNED:
		return decide_bin_assigned(c);
	case SVL_T_PARTS_RESERVED:
		return decide_reserved(c);
	case SVL_T_RESERVATION_RELEASED:
		return decide_released(c);
	case SVL_T_PARTS_RETURNED_TO_STOCK:
		return decide_returned(c);
	case SVL_T_PARTS_QUARANTINED:
		return decide_quarantined(c);
	case SVL_T_QUARANTINE_RELEASED:
		return decide_quarantine_released(c);
	case SVL_T_STOCK_TRANSFERRED_OUT:
		return decide_transferred_out(c);
	case SVL_T_STOCK_TRANSFERRED_IN:
		return decide_transferred_in(c);
	default:
		return SVL_OK;
	}
}
