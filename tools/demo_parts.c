/*
 * demo_parts.c - the parts flow around the jobs: the weekly forward plan
 * and the day's ad hoc plan (R-PLN-1), purchase orders (R-PUR-1), goods
 * received in three acceptances with a few rejections and discrepancy
 * slips (R-RCV-1..3), shelving at the accepted quantity (R-RCV-2, R-BIN-2),
 * reservations for tomorrow's bookings (R-BKG-6), the quarantine
 * ledger (R-BIN-3), the money of the purchases (R-PUR-1) and counter
 * sales (R-ISS-1..3, R-SET-1).
 *
 * Every order names its approved plan (R-PUR-1 asks it of cash and
 * out-of-town purchases; the demo's local credit and self pick-up orders
 * carry it too). Acceptance 2 is the keeper's, co-signed by the parts
 * manager (R-RCV-1); each acceptance accounts for everything the one
 * before let through, rejecting the rest with a reason (R-RCV-3).
 *
 * The day's rhythm: deliveries are accepted and shelved before 08:30, so
 * that the jobs that waited overnight for them start at 08:45; plans and
 * orders are made in the day and evening; reservations at 17:45 for the
 * next day's booked cars. Ad hoc orders (self pick-up, for a job whose
 * parts were short) never have rejections: the job is waiting for them.
 *
 * The money: the purchaser hands finance the supplier's invoice with the
 * second copy of the acceptance, for what passed acceptance 2 at the
 * price taken at receipt; finance approves payment on the invoice one to
 * three weeks later, or, for an out-of-town cash purchase, against the
 * plan when the order is placed, for the ordered value (R-PUR-1). On
 * most working days somebody buys a part or two over the counter: the
 * parts manager opens the pick and prices the slip, the three count and
 * sign, the keeper issues, the cashier takes the money.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "money.h"

#define R(x) SVL_ROLE_##x

static int64_t units(int64_t milli)
{
	return (milli + 999) / 1000 * 1000;
}

int64_t demo_free_milli(const demo_part *p)
{
	int64_t have =
	    p->phys_milli < p->book_milli ? p->phys_milli : p->book_milli;
	return have - p->reserved_milli - p->committed_milli;
}

/* What the part will have once what is ordered arrives. */
static int64_t position(const demo_part *p)
{
	return demo_free_milli(p) + p->incoming_milli;
}

/* ---- reservations (R-BKG-6) ------------------------------------------------
 */

static void release_line(demo_gen *g, demo_job *j, int k, int64_t at_ms,
			 int reason, int at_close)
{
	const svl_enum_def *e = svl_event_type_get(SVL_T_RESERVATION_RELEASED)
				    ->fields[SVL_F_RESERVATION_RELEASED_REASON]
				    .enum_def;
	demo_part *p = &g->parts[j->lines[k].part];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", j->lines[k].qty_milli);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "reason", e->values[reason]);
	demo_emit(g, at_ms, SVL_T_RESERVATION_RELEASED, ST_WK,
		  R(WAREHOUSE_KEEPER));
	if (at_close)
		p->releasing_milli += j->lines[k].qty_milli;
	else
		p->reserved_milli -= j->lines[k].qty_milli;
	j->held[k] = LINE_FREE;
}

void demo_release_line(demo_gen *g, demo_job *j, int k, int64_t at_ms,
		       int reason)
{
	release_line(g, j, k, at_ms, reason, 0);
}

/* A cancelled or missed booking: the day's jobs are generated one after
 * another, not in time order, so a job of the day timed before the
 * release must still find the parts reserved; they are free from the
 * evening (demo_parts_evening). */
void demo_release(demo_gen *g, demo_job *j, int64_t at_ms, int reason)
{
	for (int k = 0; k < j->n_lines; k++)
		if (j->held[k] == LINE_RESERVED)
			release_line(g, j, k, at_ms + k * 20000, reason, 1);
}

/* Before close of business, the parts of tomorrow's booked jobs go on the
 * dedicated shelf; engine oil stays in the bulk dispenser (promised to the
 * job, drawn at the pick). */
static void reserve_tomorrow(demo_gen *g, int day)
{
	int64_t t = demo_at(day, 17, 45);
	for (size_t n = 0; n < g->n_jobs; n++) {
		demo_job *j = &g->jobs[n];
		if (j->phase != JP_BOOKED || j->slot_day != day + 1)
			continue;
		for (int k = 0; k < j->n_lines; k++) {
			demo_part *p = &g->parts[j->lines[k].part];
			if (j->held[k] != LINE_HELD || p->unit[0] == 'l')
				continue;
			demo_json *jb = dj_begin(g);
			dj_str(jb, "part_no", p->no);
			dj_str(jb, "bin", p->bin);
			dj_int(jb, "qty_milli", j->lines[k].qty_milli);
			dj_str(jb, "wo_id", j->wo);
			demo_emit(g, t += 20000, SVL_T_PARTS_RESERVED, ST_WK,
				  R(WAREHOUSE_KEEPER));
			p->committed_milli -= j->lines[k].qty_milli;
			p->reserved_milli += j->lines[k].qty_milli;
			j->held[k] = LINE_RESERVED;
		}
	}
}

/* ---- plans and orders (R-PLN-1, R-PUR-1) ----------------------------------
 */

static demo_po *po_new(demo_gen *g, int supplier, int due_day, int adhoc,
		       const char *plan)
{
	if (g->n_pos == g->cap_pos) {
		size_t cap = g->cap_pos ? 2 * g->cap_pos : 64;
		demo_po *p = realloc(g->pos, cap * sizeof *p);
		if (!p) {
			demo_fail(g, "out of memory");
			return NULL;
		}
		g->pos = p;
		g->cap_pos = cap;
	}
	demo_po *po = &g->pos[g->n_pos++];
	memset(po, 0, sizeof *po);
	demo_docid(po->id, sizeof po->id, "PO2026-", ++g->n_po, 4);
	snprintf(po->plan, sizeof po->plan, "%s", plan);
	po->supplier = supplier;
	po->due_day = due_day;
	po->adhoc = adhoc;
	return po;
}

static void plan_events(demo_gen *g, const char *plan, int adhoc,
			const demo_line *lines, int n, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "plan_id", plan);
	dj_str(jb, "kind", adhoc ? "ad_hoc" : "forward");
	dj_arr(jb, "lines");
	for (int k = 0; k < n; k++) {
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[lines[k].part].no);
		dj_int(jb, "qty_milli", lines[k].qty_milli);
		dj_end(jb);
	}
	dj_end(jb);
	demo_emit(g, t, SVL_T_PARTS_PLAN_DRAFTED, ST_WK, R(WAREHOUSE_KEEPER));
	int redo = !adhoc && demo_chance(&g->rng, 170);
	jb = dj_begin(g);
	dj_str(jb, "plan_id", plan);
	dj_bool(jb, "passed", !redo);
	if (redo)
		dj_str(jb, "note",
		       "check the tyre quantities against last "
		       "month's sales first");
	demo_emit(g, t = demo_later(g, t, adhoc ? 5 : 40, adhoc ? 10 : 70),
		  SVL_T_PARTS_PLAN_REVIEWED, ST_PM, R(PARTS_MANAGER));
	if (redo) {
		jb = dj_begin(g);
		dj_str(jb, "plan_id", plan);
		dj_bool(jb, "passed", 1);
		dj_str(jb, "note", "quantities confirmed");
		demo_emit(g, t = demo_later(g, t, 30, 60),
			  SVL_T_PARTS_PLAN_REVIEWED, ST_PM, R(PARTS_MANAGER));
	}
	jb = dj_begin(g);
	dj_str(jb, "plan_id", plan);
	demo_emit(g, demo_later(g, t, adhoc ? 5 : 60, adhoc ? 10 : 120),
		  SVL_T_PARTS_PLAN_APPROVED, ST_SM, R(SERVICE_MANAGER));
}

/* ---- the purchase's money (R-PUR-1) -------------------------------------
 */

/* Payment notices and invoices take the order's number: one of each. */
static void approve_payment(demo_gen *g, const demo_po *po, int64_t fen,
			    int64_t t)
{
	char no[24];
	snprintf(no, sizeof no, "PN%s", po->id + 2);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "po_id", po->id);
	dj_str(jb, "notice_no", no);
	dj_int(jb, "amount_fen", fen);
	demo_emit(g, t, SVL_T_PURCHASE_PAYMENT_APPROVED, ST_FIN, R(FINANCE));
}

/* The invoice for what passed acceptance 2 (fen), handed in with the
 * acceptance; paid on it later unless the plan paid it already. */
static void invoice(demo_gen *g, const demo_po *po, int64_t fen, int64_t t)
{
	char no[24];
	if (fen <= 0)
		return;
	snprintf(no, sizeof no, "INV-%s-%s",
		 demo_supplier_get(po->supplier)->id, po->id + 7);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "po_id", po->id);
	dj_str(jb, "invoice_no", no);
	dj_int(jb, "amount_fen", fen);
	demo_emit(g, t, SVL_T_SUPPLIER_INVOICED, ST_PUR, R(PURCHASER));
	if (po->adhoc && demo_supplier_get(po->supplier)->out_of_town)
		return;
	int day = demo_day_of(t) + (int)demo_between(&g->rng, 7, 21);
	approve_payment(g, po, fen, demo_later(g, demo_at(day, 14, 0), 0, 90));
}

static void order_events(demo_gen *g, const demo_po *po, int64_t t)
{
	static const char *const modes[2][2] = {
	    {"local_credit", "out_of_town_credit"},
	    {"self_pickup", "out_of_town_cash"}};
	demo_json *jb = dj_begin(g);
	dj_str(jb, "po_id", po->id);
	dj_str(jb, "plan_id", po->plan);
	dj_str(jb, "supplier_id", demo_supplier_get(po->supplier)->id);
	dj_str(jb, "mode",
	       modes[po->adhoc][demo_supplier_get(po->supplier)->out_of_town]);
	dj_date(jb, "expected_date", po->due_day);
	dj_arr(jb, "lines");
	for (int k = 0; k < po->n; k++) {
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[po->lines[k].part].no);
		dj_int(jb, "qty_milli", po->lines[k].qty_milli);
		dj_int(jb, "unit_price_fen", po->price_fen[k]);
		dj_end(jb);
	}
	dj_end(jb);
	demo_emit(g, t, SVL_T_PURCHASE_ORDERED, ST_PUR, R(PURCHASER));
	if (po->adhoc && demo_supplier_get(po->supplier)->out_of_town) {
		int64_t fen = 0;
		for (int k = 0; k < po->n; k++)
			fen += svl__line_value_fen(po->lines[k].qty_milli,
						   po->price_fen[k]);
		approve_payment(g, po, fen, demo_later(g, t, 15, 30));
	}
}

/* Split a plan's lines into one order per supplier (and per 120 lines). */
static void place_orders(demo_gen *g, const char *plan, int adhoc,
			 const demo_line *lines, int n, int day, int64_t t)
{
	for (int s = 0; s < DEMO_SUPPLIERS; s++) {
		demo_po *po = NULL;
		for (int k = 0; k < n; k++) {
			demo_part *p = &g->parts[lines[k].part];
			if (p->supplier != s)
				continue;
			if (!po || po->n == DEMO_PO_LINES) {
				if (po)
					order_events(
					    g, po, t = demo_later(g, t, 2, 5));
				int due = day + 1 +
					  (adhoc ? 0
						 : 1 + demo_supplier_get(s)
							   ->out_of_town);
				if (!(po = po_new(g, s, due, adhoc, plan)))
					return;
			}
			po->lines[po->n] = lines[k];
			po->price_fen[po->n++] = p->cost_fen;
			p->incoming_milli += lines[k].qty_milli;
		}
		if (po)
			order_events(g, po, t = demo_later(g, t, 2, 5));
	}
}

void demo_adhoc_add(demo_gen *g, int part, int64_t qty_milli)
{
	demo_part *p = &g->parts[part];
	int64_t want = units(qty_milli);
	if (p->reorder_milli > position(p) + want)
		want = units(p->reorder_milli - position(p));
	for (int k = 0; k < g->n_adhoc; k++)
		if (g->adhoc[k].part == part) {
			g->adhoc[k].qty_milli += want;
			p->incoming_milli += want; /* ordered tonight */
			return;
		}
	if (g->n_adhoc == (int)(sizeof g->adhoc / sizeof g->adhoc[0])) {
		demo_fail(g, "generator: ad hoc plan full");
		return;
	}
	g->adhoc[g->n_adhoc].part = part;
	g->adhoc[g->n_adhoc++].qty_milli = want;
	p->incoming_milli += want;
}

static void adhoc_plan(demo_gen *g, int day)
{
	char plan[24];
	if (g->n_adhoc == 0)
		return;
	demo_docid(plan, sizeof plan, "PL2026-AH", ++g->n_plan, 3);
	for (int k = 0; k < g->n_adhoc; k++) /* place_orders adds them again */
		g->parts[g->adhoc[k].part].incoming_milli -=
		    g->adhoc[k].qty_milli;
	int64_t t = demo_at(day, 17, 0);
	plan_events(g, plan, 1, g->adhoc, g->n_adhoc, t);
	place_orders(g, plan, 1, g->adhoc, g->n_adhoc, day,
		     t + 30 * DEMO_MIN_MS);
	g->n_adhoc = 0;
}

/* Mondays: everything below its reorder point, up to its target. */
static void weekly_plan(demo_gen *g, int day)
{
	demo_line *lines = calloc(g->n_parts, sizeof *lines);
	char plan[24];
	int n = 0;
	if (!lines) {
		demo_fail(g, "out of memory");
		return;
	}
	for (size_t k = 0; k < g->n_parts; k++) {
		demo_part *p = &g->parts[k];
		if (p->family == FAM_OBSOLETE ||
		    position(p) >= p->reorder_milli)
			continue;
		lines[n].part = (int)k;
		lines[n++].qty_milli = units(p->target_milli - position(p));
	}
	if (n > 0) {
		snprintf(plan, sizeof plan, "PL2026-W%02d", 27 + (day + 2) / 7);
		int64_t t = demo_later(g, demo_at(day, 9, 30), 0, 20);
		plan_events(g, plan, 0, lines, n, t);
		place_orders(g, plan, 0, lines, n, day, demo_at(day, 15, 0));
	}
	free(lines);
}

void demo_parts_evening(demo_gen *g, int day)
{
	for (size_t k = 0; k < g->n_parts; k++) {
		g->parts[k].reserved_milli -= g->parts[k].releasing_milli;
		g->parts[k].releasing_milli = 0;
	}
	if (day >= 0 && demo_weekday(day) == 0)
		weekly_plan(g, day);
	adhoc_plan(g, day);
	reserve_tomorrow(g, day);
}

/* ---- receiving (R-RCV-1..3)
 * --------------------------------------------------- */

typedef struct rcv_line {
	int64_t ok1, ok2; /* let through by acceptance 1 and 2 */
	int why1, why2;	  /* SVL_REJECT_REASON_..., -1 none */
	int64_t price;	  /* price at receipt (R-RCV-2) */
} rcv_line;

static void accept_events(demo_gen *g, const demo_po *po, const rcv_line *r,
			  int stage, int64_t t, const char *note)
{
	const svl_enum_def *e =
	    svl_event_type_get(SVL_T_DISCREPANCY_RECORDED)
		->fields[SVL_F_DISCREPANCY_RECORDED_CLAIM_AGAINST]
		.enum_def;
	static const char *const why[] = {"missing", "damaged", "inferior",
					  "overpriced", "wrong_part"};
	(void)e;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "po_id", po->id);
	dj_int(jb, "stage", stage);
	if (stage == 1)
		dj_str(jb, "delivery_note", note);
	dj_arr(jb, "lines");
	for (int k = 0; k < po->n; k++) {
		int64_t before = stage == 1   ? po->lines[k].qty_milli
				 : stage == 2 ? r[k].ok1
					      : r[k].ok2;
		int64_t ok = stage == 1 ? r[k].ok1 : r[k].ok2;
		int reason = stage == 1	  ? r[k].why1
			     : stage == 2 ? r[k].why2
					  : -1;
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[po->lines[k].part].no);
		dj_int(jb, "accepted_qty_milli", ok);
		dj_int(jb, "rejected_qty_milli", before - ok);
		if (before > ok)
			dj_str(jb, "reject_reason", why[reason]);
		if (stage == 2 && r[k].price != po->price_fen[k])
			dj_int(jb, "unit_price_fen", r[k].price);
		dj_end(jb);
	}
	dj_end(jb);
	if (stage == 2) /* R-RCV-1: the parts manager counts with the keeper */
		dj_str(jb, "co_signer_id", demo_person_get(ST_PM)->id);
	int who = stage == 1 ? ST_PUR : ST_WK;
	demo_emit(g, t, SVL_T_GOODS_ACCEPTED, who,
		  who == ST_PUR ? R(PURCHASER) : R(WAREHOUSE_KEEPER));
}

/* What the acceptances find, line by line. */
static void inspect_goods(demo_gen *g, const demo_po *po, rcv_line *r)
{
	for (int k = 0; k < po->n; k++) {
		int64_t q = po->lines[k].qty_milli;
		int64_t unit = q >= 2000 ? 1000 : q;
		r[k].why1 = r[k].why2 = -1;
		r[k].ok1 = q;
		r[k].price = po->price_fen[k];
		if (po->adhoc)
			continue; /* a job waits for these: taken as they come
				   */
		if (demo_chance(&g->rng, 15)) {
			r[k].why1 = demo_chance(&g->rng, 500)
					? SVL_REJECT_REASON_MISSING
					: SVL_REJECT_REASON_DAMAGED;
			r[k].ok1 = q - unit;
		}
		r[k].ok2 = r[k].ok1;
		if (r[k].ok1 > 0 && demo_chance(&g->rng, 8)) {
			r[k].why2 = demo_chance(&g->rng, 600)
					? SVL_REJECT_REASON_INFERIOR
					: SVL_REJECT_REASON_WRONG_PART;
			r[k].ok2 =
			    r[k].ok1 - (r[k].ok1 >= 2000 ? 1000 : r[k].ok1);
		}
		if (demo_chance(&g->rng,
				30)) /* the supplier's new price list */
			r[k].price = po->price_fen[k] *
				     demo_between(&g->rng, 97, 108) / 100;
	}
	if (po->adhoc)
		for (int k = 0; k < po->n; k++)
			r[k].ok2 = r[k].ok1;
}

/* A discrepancy slip per party claimed from, settled a week or two later
 * (left open at the quarter's end, they are reconciling items). */
static void slip(demo_gen *g, const demo_po *po, const rcv_line *r, int carrier,
		 int64_t t)
{
	char no[24];
	int64_t fen = 0;
	int n = 0;
	for (int k = 0; k < po->n; k++)
		n += carrier ? r[k].why1 >= 0 : r[k].why2 >= 0;
	if (n == 0)
		return;
	demo_docid(no, sizeof no, "DS2026-", ++g->n_slip, 3);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "po_id", po->id);
	dj_str(jb, "slip_no", no);
	dj_str(jb, "claim_against", carrier ? "carrier" : "supplier");
	dj_arr(jb, "lines");
	static const char *const kind[] = {"missing", "damaged", "inferior",
					   "overpriced", "wrong_part"};
	for (int k = 0; k < po->n; k++) {
		int why = carrier ? r[k].why1 : r[k].why2;
		if (why < 0)
			continue;
		int64_t q = carrier ? po->lines[k].qty_milli - r[k].ok1
				    : r[k].ok1 - r[k].ok2;
		int64_t amount = svl__line_value_fen(q, po->price_fen[k]);
		fen += amount;
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[po->lines[k].part].no);
		dj_int(jb, "qty_milli", q);
		dj_str(jb, "kind", kind[why]);
		dj_int(jb, "amount_fen", amount);
		dj_end(jb);
	}
	dj_end(jb);
	demo_emit(g, t, SVL_T_DISCREPANCY_RECORDED, ST_WK, R(WAREHOUSE_KEEPER));
	g->st.slips++;
	int outcome = (int)demo_pick(&g->rng, 10);
	jb = dj_begin(g);
	dj_str(jb, "po_id", po->id);
	dj_str(jb, "slip_no", no);
	dj_str(jb, "outcome",
	       outcome < 6   ? "accepted"
	       : outcome < 9 ? "partially_accepted"
			     : "rejected");
	dj_int(jb, "recovered_fen",
	       outcome < 6   ? fen
	       : outcome < 9 ? fen / 2
			     : 0);
	demo_emit(
	    g,
	    demo_at(demo_day_of(t) + (int)demo_between(&g->rng, 6, 14), 10, 30),
	    SVL_T_CLAIM_SETTLED, ST_PUR, R(PURCHASER));
}

static void shelve(demo_gen *g, const demo_po *po, int k, int64_t qty,
		   int64_t price, int64_t t)
{
	demo_part *p = &g->parts[po->lines[k].part];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", qty);
	dj_int(jb, "unit_cost_fen", price);
	dj_str(jb, "po_id", po->id);
	dj_str(jb, "supplier_id", demo_supplier_get(po->supplier)->id);
	demo_emit(g, t, SVL_T_PARTS_SHELVED, ST_WK, R(WAREHOUSE_KEEPER));
	p->book_milli += qty;
	p->phys_milli += qty;
	p->cost_fen = price;
	p->moved_day = demo_day_of(t);
}

/* Purchaser against the delivery note, keeper with the parts manager
 * (count and quality), keeper at shelving; stock in at the quantity that
 * passed all three. */
static int64_t receive_po(demo_gen *g, const demo_po *po, int64_t t)
{
	rcv_line *r = calloc((size_t)po->n, sizeof *r);
	char note[24];
	if (!r) {
		demo_fail(g, "out of memory");
		return t;
	}
	inspect_goods(g, po, r);
	snprintf(note, sizeof note, "DN-%06d",
		 300000 + g->n_slip * 7 + (int)(po - g->pos));
	accept_events(g, po, r, 1, t, note);
	accept_events(g, po, r, 2, t += 3 * DEMO_MIN_MS, NULL);
	accept_events(g, po, r, 3, t += 3 * DEMO_MIN_MS, NULL);
	for (int k = 0; k < po->n; k++) {
		g->parts[po->lines[k].part].incoming_milli -=
		    po->lines[k].qty_milli;
		g->st.rejected_lines += r[k].ok2 < po->lines[k].qty_milli;
		if (r[k].ok2 > 0)
			shelve(g, po, k, r[k].ok2, r[k].price, t += 3000);
	}
	slip(g, po, r, 1, t += DEMO_MIN_MS);
	slip(g, po, r, 0, t += DEMO_MIN_MS);
	int64_t fen = 0;
	for (int k = 0; k < po->n; k++)
		fen += svl__line_value_fen(r[k].ok2, r[k].price);
	invoice(g, po, fen,
		demo_later(g, demo_at(demo_day_of(t), 11, 0), 0, 60));
	g->st.receipts++;
	free(r);
	return t + 2 * DEMO_MIN_MS;
}

/* ---- the quarantine ledger (R-BIN-3)
 * ------------------------------------------ */

static void quarantine(demo_gen *g, int part, int64_t qty, const char *why,
		       int64_t t)
{
	demo_part *p = &g->parts[part];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", qty);
	dj_str(jb, "reason", why);
	demo_emit(g, t, SVL_T_PARTS_QUARANTINED, ST_WK, R(WAREHOUSE_KEEPER));
	p->book_milli -= qty;
	p->phys_milli -= qty;
	p->quarantined_milli += qty;
	p->moved_day = demo_day_of(t);
	g->st.quarantined++;
}

static void back_to_supplier(demo_gen *g, int part, int64_t qty, int64_t t)
{
	demo_part *p = &g->parts[part];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", qty);
	dj_str(jb, "outcome", "returned_to_supplier");
	demo_emit(g, t, SVL_T_QUARANTINE_RELEASED, ST_PM, R(PARTS_MANAGER));
	p->quarantined_milli -= qty;
}

/* A part of family f with `units` free units to spare, or -1. */
static int spare(demo_gen *g, int family, int n_units)
{
	size_t start = demo_pick(&g->rng, g->n_parts);
	for (size_t i = 0; i < g->n_parts; i++) {
		size_t k = (start + i) % g->n_parts;
		demo_part *p = &g->parts[k];
		if ((family < 0 || p->family == family) &&
		    p->family != FAM_OBSOLETE &&
		    p->book_milli == p->phys_milli &&
		    demo_free_milli(p) >= (n_units + 2) * 1000)
			return (int)k;
	}
	return -1;
}

/* The morning check finds damaged goods now and then; they go back to the
 * supplier within days. Two finds stay for the quarter's write-offs: a
 * defective coil past the supplier's return window (R-WOF-1), and brake
 * pads rusted under a roof leak that was reported and not acted on (poor
 * storage: people caused it, R-WOF-3). */
static void morning_check(demo_gen *g, int day)
{
	int64_t t = demo_later(g, demo_at(day, 8, 30), 0, 10);
	int k;
	if (day == (g->days < 80 ? g->days / 2 : 40) &&
	    (k = spare(g, FAM_COIL, 1)) >= 0) {
		quarantine(g, k, 1000,
			   "defective: cracked housing found at the "
			   "morning check; supplier return window closed",
			   t);
		g->q_coil = k;
		return;
	}
	if (day == (g->days < 80 ? g->days * 3 / 4 : 70) &&
	    (k = spare(g, FAM_PAD_FRONT, 2)) >= 0) {
		quarantine(g, k, 2000,
			   "backing plates rusted: roof leak over "
			   "the rack reported on 2026-08-20, stock not moved",
			   t);
		g->q_pads = k;
		return;
	}
	if (!demo_chance(&g->rng, 90) || (k = spare(g, -1, 1)) < 0)
		return;
	quarantine(g, k, 1000,
		   "packaging crushed in delivery, found at the "
		   "morning check",
		   t);
	back_to_supplier(
	    g, k, 1000, demo_at(day + (int)demo_between(&g->rng, 2, 8), 15, 0));
}

/* ---- counter sales (R-ISS-1..3, R-SET-1) --------------------------------
 */

typedef struct sale {
	char pick[16];
	int n, part[2];
	int64_t qty_milli[2], total_fen;
} sale;

static void sale_sign(demo_gen *g, const sale *s, const char *as, int who,
		      int role, int64_t t, int counted)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "pick_id", s->pick);
	dj_str(jb, "signed_as", as);
	if (counted)
		dj_bool(jb, "counted", 1);
	demo_emit(g, t, SVL_T_PICK_SIGNED, who, role);
}

/* The outbound slip: the parts manager opens it and prices it. */
static void sale_slip(demo_gen *g, sale *s, const char *buyer, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "pick_id", s->pick);
	dj_str(jb, "purpose", "counter_sale");
	dj_arr(jb, "lines");
	for (int k = 0; k < s->n; k++) {
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[s->part[k]].no);
		dj_int(jb, "qty_milli", s->qty_milli[k]);
		dj_str(jb, "bin", g->parts[s->part[k]].bin);
		dj_end(jb);
	}
	dj_end(jb);
	demo_emit(g, t, SVL_T_PICK_REQUESTED, ST_PM, R(PARTS_MANAGER));
	jb = dj_begin(g);
	dj_str(jb, "pick_id", s->pick);
	dj_str(jb, "buyer", buyer);
	dj_arr(jb, "lines");
	s->total_fen = 0;
	for (int k = 0; k < s->n; k++) {
		const demo_part *p = &g->parts[s->part[k]];
		dj_obj(jb);
		dj_str(jb, "part_no", p->no);
		dj_int(jb, "qty_milli", s->qty_milli[k]);
		dj_int(jb, "unit_price_fen", p->price_fen);
		dj_end(jb);
		s->total_fen +=
		    svl__line_value_fen(s->qty_milli[k], p->price_fen);
	}
	dj_end(jb);
	dj_int(jb, "total_fen", s->total_fen);
	demo_emit(g, t + 2 * DEMO_MIN_MS, SVL_T_COUNTER_SALE_PRICED, ST_PM,
		  R(PARTS_MANAGER));
}

static void sale_issue(demo_gen *g, const sale *s, int k, int64_t t)
{
	demo_part *p = &g->parts[s->part[k]];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", s->qty_milli[k]);
	dj_str(jb, "pick_id", s->pick);
	demo_emit(g, t, SVL_T_PARTS_ISSUED, ST_WK, R(WAREHOUSE_KEEPER));
	p->book_milli -= s->qty_milli[k];
	p->phys_milli -= s->qty_milli[k];
	p->moved_day = demo_day_of(t);
	p->issues++;
	g->st.issues++;
}

/* A walk-in buyer on a working day, now and then: one or two parts the
 * shelf can spare (R-BIN-2, R-BKG-6), priced before anything leaves
 * (R-ISS-2), paid at the cash desk (R-SET-1). */
static void counter_sale(demo_gen *g, int day)
{
	static const char *const buyers[] = {
	    "Qian Bo (walk-in)", "Ruan Xia (walk-in)",
	    "Lucky Auto Repair (trade)", "Shi Lei (walk-in)"};
	static const char *const methods[] = {"cash", "wechat_pay", "alipay",
					      "card"};
	sale s = {.n = 1 + demo_chance(&g->rng, 250)};
	if (demo_weekday(day) == 6 || !demo_chance(&g->rng, 450))
		return;
	for (int k = 0; k < s.n; k++) {
		s.qty_milli[k] = 1000 * demo_between(&g->rng, 1, 2);
		s.part[k] = spare(g, -1, 2);
		if (s.part[k] < 0 || (k == 1 && s.part[1] == s.part[0]))
			return;
	}
	demo_docid(s.pick, sizeof s.pick, "PK2026-", ++g->n_pick, 5);
	int64_t t = demo_later(g, demo_at(day, 10, 0), 0, 240);
	sale_slip(g, &s, buyers[demo_pick(&g->rng, 4)], t);
	sale_sign(g, &s, "outbound_approval", ST_PM, R(PARTS_MANAGER),
		  t = demo_later(g, t + 2 * DEMO_MIN_MS, 1, 3), 0);
	sale_sign(g, &s, "issue_parts_manager", ST_PM, R(PARTS_MANAGER),
		  t = demo_later(g, t, 2, 5), 1);
	sale_sign(g, &s, "issue_keeper", ST_WK, R(WAREHOUSE_KEEPER),
		  t = demo_later(g, t, 0, 1), 1);
	sale_sign(g, &s, "issue_picker", ST_SA1, R(SERVICE_ADVISOR),
		  t = demo_later(g, t, 0, 1), 1);
	for (int k = 0; k < s.n; k++)
		sale_issue(g, &s, k, t = demo_later(g, t, 0, 1));
	demo_json *jb = dj_begin(g);
	dj_str(jb, "pick_id", s.pick);
	dj_int(jb, "amount_fen", s.total_fen);
	dj_str(jb, "method", methods[demo_pick(&g->rng, 4)]);
	demo_emit(g, demo_later(g, t, 2, 6), SVL_T_COUNTER_SALE_PAID, ST_CASH,
		  R(CASHIER));
	g->st.picks++;
}

void demo_parts_morning(demo_gen *g, int day)
{
	int64_t t = demo_at(day, 7, 15);
	for (int pass = 1; pass >= 0; pass--) /* ad hoc first: jobs wait */
		for (size_t k = 0; k < g->n_pos && !g->err[0]; k++)
			if (g->pos[k].due_day == day && g->pos[k].adhoc == pass)
				t = receive_po(g, &g->pos[k], t);
	if (t > demo_at(day, 8, 40))
		demo_fail(g,
			  "generator: receiving ran until past 08:40 on day %d",
			  day);
	morning_check(g, day);
	counter_sale(g, day);
}
