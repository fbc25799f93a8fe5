/*
 * demo_stock.c - counting the shelf and closing the quarter's book:
 * daily spot counts of the parts that moved, a full count at each month's
 * end and the quarterly full count with finance present (R-STK-1); every
 * difference written up with a cause and a responsible person and
 * approved by the service manager, never by who proposed it or who is
 * named (R-STK-2); after each full count, once its write-ups are
 * approved, the service manager's written report of the gains and losses
 * to the general manager and finance's book adjustment (R-STK-2); then
 * the quarter's write-offs (R-WOF-1..6).
 *
 * Where differences come from: goods sometimes move without paperwork (a
 * part taken to the workshop and never booked, an unused one put back
 * without a slip). The generator keeps what is really on the shelf
 * (phys_milli) beside the book (book_milli); counts report the shelf,
 * so a count finds exactly those movements, and its write-up, once
 * approved, brings the book back to the shelf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "money.h"

#define R(x) SVL_ROLE_##x

/* ---- goods that move without paperwork ---------------------------------- */

static int quiet_part(demo_gen *g)
{
	for (int tries = 0; tries < 40; tries++) {
		size_t k = demo_pick(&g->rng, g->n_parts);
		demo_part *p = &g->parts[k];
		/* small things go astray: filters, bulbs, gaskets, not an
		 * A/C compressor */
		if (p->family != FAM_OBSOLETE &&
		    p->book_milli == p->phys_milli &&
		    demo_free_milli(p) >= 4000 && p->std_qty_milli == 1000 &&
		    p->cost_fen <= 30000)
			return (int)k;
	}
	return -1;
}

void demo_shrinkage(demo_gen *g, int day)
{
	int k;
	if (demo_chance(&g->rng, 330) && (k = quiet_part(g)) >= 0) {
		g->parts[k].phys_milli -= 1000; /* walked off the shelf */
		g->st.shrinkage++;
	}
	if (demo_chance(&g->rng, 110) && (k = quiet_part(g)) >= 0) {
		g->parts[k].phys_milli += 1000; /* put back without a slip */
		g->st.shrinkage++;
	}
	(void)day;
}

/* ---- approvals (R-STK-2) ------------------------------------------------- */

static void approve(demo_gen *g, const char *stk, int adj_no, int part,
		    int64_t delta, int64_t t)
{
	demo_part *p = &g->parts[part];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "delta_qty_milli", delta);
	dj_str(jb, "stk_id", stk);
	dj_int(jb, "adj_no", adj_no);
	demo_emit(g, t, SVL_T_ADJUSTMENT_APPROVED, ST_SM, R(SERVICE_MANAGER));
	p->book_milli += delta;
	p->moved_day = demo_day_of(t);
	g->st.adjustments++;
}

/* ---- the report and the book (R-STK-2) ----------------------------------
 */

/* Gains and losses of approved write-ups, valued at the part's cost. */
typedef struct variance {
	int64_t gain_fen, loss_fen;
	int n;
} variance;

static void variance_add(const demo_gen *g, variance *v, int part,
			 int64_t delta_milli)
{
	int64_t fen = svl__line_value_fen(delta_milli, g->parts[part].cost_fen);
	if (fen >= 0)
		v->gain_fen += fen;
	else
		v->loss_fen -= fen;
	v->n++;
}

/* The service manager reports a full count to the general manager once
 * every write-up is approved; finance adjusts the book by what he
 * reported. */
static void report(demo_gen *g, const char *stk, const variance *v, int64_t t)
{
	char text[160], voucher[32];
	if (v->n == 0)
		snprintf(text, sizeof text,
			 "the count agrees with the book; nothing to adjust");
	else
		snprintf(text, sizeof text,
			 "%d differences, each written up with its cause and "
			 "the person responsible, approved",
			 v->n);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "stk_id", stk);
	dj_str(jb, "reported_to_id", demo_person_get(ST_GM)->id);
	dj_int(jb, "gain_fen", v->gain_fen);
	dj_int(jb, "loss_fen", v->loss_fen);
	dj_str(jb, "explanation", text);
	demo_emit(g, t, SVL_T_STOCKTAKE_REPORTED, ST_SM, R(SERVICE_MANAGER));
	snprintf(voucher, sizeof voucher, "FV-%s", stk + 3);
	jb = dj_begin(g);
	dj_str(jb, "stk_id", stk);
	dj_int(jb, "net_fen", v->gain_fen - v->loss_fen);
	dj_str(jb, "voucher_no", voucher);
	demo_emit(g, demo_later(g, t, 30, 90), SVL_T_BOOK_ADJUSTED, ST_FIN,
		  R(FINANCE));
}

/* A month-end full count's id ends in "-M". */
static int monthly(const char *stk)
{
	size_t n = strlen(stk);
	return n >= 2 && strcmp(stk + n - 2, "-M") == 0;
}

void demo_stock_morning(demo_gen *g, int day)
{
	int64_t t = demo_at(day, 8, 15);
	variance v = {0};
	for (int k = 0; k < g->n_spot; k++) {
		approve(g, g->spot[k].stk, g->spot[k].adj_no, g->spot[k].part,
			g->spot[k].delta_milli, t += 20000);
		variance_add(g, &v, g->spot[k].part, g->spot[k].delta_milli);
	}
	/* yesterday's count, the only one waiting: its write-ups are all
	 * approved now */
	if (g->n_spot > 0 && monthly(g->spot[0].stk))
		report(g, g->spot[0].stk, &v, demo_later(g, t, 10, 20));
	g->n_spot = 0;
}

/* ---- a count
 * ----------------------------------------------------------------- */

typedef struct count {
	const char *stk;
	int kind;  /* SVL_STK_KIND_... */
	int64_t t; /* the time of the next event */
	int lines, adj;
	int tech_charged; /* a technician was named for a loss */
} count;

static void open_count(demo_gen *g, count *c, const char *scope)
{
	static const char *const kinds[] = {"daily_spot", "monthly_full",
					    "quarterly_full"};
	int fin = c->kind == SVL_STK_KIND_QUARTERLY_FULL;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "stk_id", c->stk);
	dj_str(jb, "kind", kinds[c->kind]);
	dj_bool(jb, "finance_present", fin);
	if (fin)
		dj_str(jb, "finance_staff_id", demo_person_get(ST_FIN)->id);
	dj_str(jb, "scope", scope);
	demo_emit(g, c->t, SVL_T_STOCKTAKE_OPENED, ST_PM, R(PARTS_MANAGER));
	g->st.counts[c->kind]++;
}

/* The counter: the keeper; at the quarter's end the parts manager and
 * finance take a rack each too. */
static void count_line(demo_gen *g, count *c, int part)
{
	static const int who[3] = {ST_WK, ST_PM, ST_FIN};
	static const int role[3] = {R(WAREHOUSE_KEEPER), R(PARTS_MANAGER),
				    R(FINANCE)};
	demo_part *p = &g->parts[part];
	int k = c->kind == SVL_STK_KIND_QUARTERLY_FULL ? part / 40 % 3 : 0;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "stk_id", c->stk);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "counted_qty_milli", p->phys_milli);
	demo_emit(g, c->t += 8000, SVL_T_STOCKTAKE_LINE_COUNTED, who[k],
		  role[k]);
	c->lines++;
	g->st.count_lines++;
}

static void close_count(demo_gen *g, count *c)
{
	demo_json *jb = dj_begin(g);
	char note[64];
	snprintf(note, sizeof note, "%d lines counted", c->lines);
	dj_str(jb, "stk_id", c->stk);
	dj_int(jb, "lines_counted", c->lines);
	dj_str(jb, "note", note);
	demo_emit(g, c->t += 2 * DEMO_MIN_MS, SVL_T_STOCKTAKE_CLOSED, ST_PM,
		  R(PARTS_MANAGER));
}

/* The write-up of one difference: its cause and who answers for it. The
 * parts manager writes up what the keeper answers for, and the other way
 * round; the service manager approves (R-STK-2). */
static int propose(demo_gen *g, count *c, int part, int *resp)
{
	demo_part *p = &g->parts[part];
	int64_t delta = p->phys_milli - p->book_milli;
	int tech = !c->tech_charged && delta < 0 &&
		   c->kind == SVL_STK_KIND_QUARTERLY_FULL;
	*resp = tech ? demo_tech((int)demo_pick(&g->rng, 5)) : ST_WK;
	const char *cause =
	    delta < 0
		? (tech ? "1 short: taken to the workshop for a job and never "
			  "requisitioned (technician admits it)"
			: "short: issued without a pick list entry, not traced")
		: "over: an unused part put back without a return slip";
	int by = *resp == ST_WK ? ST_PM : ST_WK;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "stk_id", c->stk);
	dj_int(jb, "adj_no", ++c->adj);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "delta_qty_milli", delta);
	dj_str(jb, "cause", cause);
	dj_str(jb, "responsible_id", demo_person_get(*resp)->id);
	demo_emit(g, c->t += DEMO_MIN_MS, SVL_T_ADJUSTMENT_PROPOSED, by,
		  by == ST_PM ? R(PARTS_MANAGER) : R(WAREHOUSE_KEEPER));
	c->tech_charged |= tech;
	return c->adj;
}

static void later_approval(demo_gen *g, const count *c, int adj_no, int part)
{
	if (g->n_spot == DEMO_SPOT_MAX) {
		demo_fail(g, "generator: too many write-ups waiting");
		return;
	}
	struct demo_spot *s = &g->spot[g->n_spot++];
	snprintf(s->stk, sizeof s->stk, "%s", c->stk);
	s->adj_no = adj_no;
	s->part = part;
	s->delta_milli = g->parts[part].phys_milli - g->parts[part].book_milli;
}

/* A daily spot count of what moved today, or a month-end full count;
 * their write-ups are approved the next morning. */
static void routine_count(demo_gen *g, int day, int full)
{
	char stk[24], date[16], scope[64];
	int picked[8], n = 0;
	demo_date(date, sizeof date, day);
	if (full) {
		snprintf(stk, sizeof stk, "STK2026-%.2s-M", date + 5);
	} else {
		size_t start = demo_pick(&g->rng, g->n_parts);
		for (size_t i = 0; i < g->n_parts && n < 8; i++) {
			size_t k = (start + i) % g->n_parts;
			if (g->parts[k].moved_day == day)
				picked[n++] = (int)k;
		}
		if (n == 0)
			return;
		snprintf(stk, sizeof stk, "STK2026-%.2s%.2s-D", date + 5,
			 date + 8);
	}
	count c = {stk,
		   full ? SVL_STK_KIND_MONTHLY_FULL : SVL_STK_KIND_DAILY_SPOT,
		   demo_at(day, 18, 10),
		   0,
		   0,
		   0};
	snprintf(scope, sizeof scope,
		 full ? "every bin" : "%d parts moved today", n);
	open_count(g, &c, scope);
	int total = full ? (int)g->n_parts : n;
	for (int i = 0; i < total; i++)
		count_line(g, &c, full ? i : picked[i]);
	close_count(g, &c);
	int waiting = g->n_spot;
	for (int i = 0; i < total; i++) {
		int part = full ? i : picked[i], resp;
		if (g->parts[part].phys_milli == g->parts[part].book_milli)
			continue;
		later_approval(g, &c, propose(g, &c, part, &resp), part);
	}
	if (full && g->n_spot == waiting) { /* nothing to approve: report */
		variance v = {0};
		report(g, stk, &v, demo_at(day + 1, 8, 40));
	}
}

/* R-STK-2 with R-WOF-3's spirit: a loss a technician answers for is
 * charged to him at the part's cost. */
static void charge_loss(demo_gen *g, const count *c, int part, int who,
			int64_t t)
{
	demo_part *p = &g->parts[part];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "staff_id", demo_person_get(who)->id);
	dj_int(jb, "amount_fen", p->cost_fen);
	dj_str(jb, "cause", "stocktake_loss");
	dj_str(jb, "stk_id", c->stk);
	dj_str(jb, "note", p->name);
	demo_emit(g, t, SVL_T_LIABILITY_CHARGED, ST_SM, R(SERVICE_MANAGER));
}

static void quarterly_count(demo_gen *g, int day)
{
	snprintf(g->q_stk, sizeof g->q_stk, "STK2026-Q3");
	count c = {
	    g->q_stk, SVL_STK_KIND_QUARTERLY_FULL, demo_at(day, 18, 10), 0, 0,
	    0};
	open_count(g, &c, "every bin, with finance (quarter end)");
	g->q_count_at_ms = c.t; /* the book is frozen as of the opening */
	for (size_t k = 0; k < g->n_parts; k++)
		count_line(g, &c, (int)k);
	close_count(g, &c);
	int adj[64], part[64], resp[64], n = 0;
	for (size_t k = 0; k < g->n_parts && n < 64; k++) {
		demo_part *p = &g->parts[k];
		if (p->phys_milli == p->book_milli)
			continue;
		part[n] = (int)k;
		adj[n] = propose(g, &c, (int)k, &resp[n]);
		if (g->q_part < 0 || p->issues < g->parts[g->q_part].issues)
			if (p->issues >= 4)
				g->q_part = (int)k;
		n++;
	}
	int64_t t = c.t + 10 * DEMO_MIN_MS;
	variance v = {0};
	for (int i = 0; i < n; i++) {
		int64_t delta =
		    g->parts[part[i]].phys_milli - g->parts[part[i]].book_milli;
		variance_add(g, &v, part[i], delta);
		approve(g, g->q_stk, adj[i], part[i], delta, t += 30000);
		if (resp[i] != ST_WK)
			charge_loss(g, &c, part[i], resp[i], t + 10000);
	}
	report(g, g->q_stk, &v, t + 5 * DEMO_MIN_MS);
}

/* ---- the quarter's write-offs (R-WOF-1..6)
 * ----------------------------------- */

/* The book cost per unit of a part as the stock card values it now: the
 * card's moving average (on the shelf, or in quarantine). */
static int64_t book_cost(demo_gen *g, int part)
{
	svl_stock_card card;
	const demo_part *p = &g->parts[part];
	if (svl_stock_card_get(g->ledger, p->no, p->bin, NULL, &card) != SVL_OK)
		return p->cost_fen;
	const svl_stock_figures *f = &card.f;
	if (f->on_hand_milli > 0)
		return svl__unit_cost_fen(f->value_fen, f->on_hand_milli);
	if (f->quarantined_milli > 0)
		return svl__unit_cost_fen(f->quarantined_value_fen,
					  f->quarantined_milli);
	return p->cost_fen;
}

typedef struct wof {
	const char *id;
	demo_line lines[16];
	int64_t cost[16];
	const char *reason[16];
	int n;
	int64_t total_fen;
} wof;

static void wof_lines(demo_gen *g, demo_json *jb, const wof *w, int requested)
{
	dj_arr(jb, "lines");
	for (int k = 0; k < w->n; k++) {
		const demo_part *p = &g->parts[w->lines[k].part];
		dj_obj(jb);
		dj_str(jb, "part_no", p->no);
		dj_str(jb, "bin", p->bin);
		dj_int(jb, "qty_milli", w->lines[k].qty_milli);
		dj_int(jb, "unit_cost_fen", w->cost[k]);
		if (requested)
			dj_str(jb, "reason", w->reason[k]);
		dj_end(jb);
	}
	dj_end(jb);
}

static void wof_request(demo_gen *g, wof *w, int who, int64_t t)
{
	demo_json *jb = dj_begin(g);
	w->total_fen = 0;
	for (int k = 0; k < w->n; k++) {
		int64_t v = 0;
		svl_line_value_fen(w->lines[k].qty_milli, w->cost[k], &v);
		w->total_fen += v;
	}
	dj_str(jb, "wof_id", w->id);
	dj_str(jb, "stk_id", g->q_stk); /* R-WOF-4: after the quarterly count */
	dj_bool(jb, "not_claimable", 1);
	dj_bool(jb, "not_returnable", 1);
	dj_bool(jb, "not_repairable", 1);
	wof_lines(g, jb, w, 1);
	demo_emit(g, t, SVL_T_WRITEOFF_REQUESTED, who,
		  who == ST_PM ? R(PARTS_MANAGER) : R(WAREHOUSE_KEEPER));
}

static void appraise(demo_gen *g, const char *id, int who, int agree, int human,
		     const char *note, int64_t t)
{
	static const int roles[] = {[ST_SM] = R(SERVICE_MANAGER),
				    [ST_CLM] = R(CLAIMS_SPECIALIST),
				    [ST_PM] = R(PARTS_MANAGER)};
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wof_id", id);
	dj_bool(jb, "agree", agree);
	dj_bool(jb, "human_caused", human);
	dj_str(jb, "note", note);
	demo_emit(g, t, SVL_T_WRITEOFF_APPRAISED, who, roles[who]);
}

static void charge(demo_gen *g, const char *wof_id, int who, int64_t fen,
		   const char *cause, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "staff_id", demo_person_get(who)->id);
	dj_int(jb, "amount_fen", fen);
	dj_str(jb, "cause", cause);
	dj_str(jb, "wof_id", wof_id);
	demo_emit(g, t, SVL_T_LIABILITY_CHARGED, ST_SM, R(SERVICE_MANAGER));
}

/* Obsolete parts of discontinued models and a defective coil nobody takes
 * back: three appraisers agree, the general manager approves, the shares
 * of R-WOF-6 are charged (the company bears the remaining 70%). */
/* R-BIN-3: the coil leaves quarantine into the write-off applied for. */
static void coil_into_writeoff(demo_gen *g, const char *wof_id, int64_t t)
{
	demo_part *p = &g->parts[g->q_coil];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", 1000);
	dj_str(jb, "outcome", "write_off");
	dj_str(jb, "wof_id", wof_id);
	demo_emit(g, t, SVL_T_QUARANTINE_RELEASED, ST_PM, R(PARTS_MANAGER));
	p->quarantined_milli -= 1000;
	p->book_milli += 1000;
	p->phys_milli += 1000;
}

/* R-WOF-6: the 10% shares, split by the ledger's own rule set. */
static void charge_shares(demo_gen *g, const wof *w, int64_t t)
{
	svl_rules rules;
	int64_t split[SVL_SPLIT_SHARES];
	if (svl_ledger_rules(g->ledger, &rules) != SVL_OK ||
	    svl_writeoff_split(w->total_fen, rules.wof_split_permille, split)) {
		demo_fail(g, "write-off split: %s",
			  svl_ledger_errmsg(g->ledger));
		return;
	}
	charge(g, w->id, ST_SM, split[SVL_SPLIT_SERVICE_MANAGER],
	       "writeoff_share", t);
	charge(g, w->id, ST_PM, split[SVL_SPLIT_PARTS_MANAGER],
	       "writeoff_share", t + DEMO_MIN_MS);
	charge(g, w->id, ST_WK, split[SVL_SPLIT_WAREHOUSE_KEEPER],
	       "writeoff_share", t + 2 * DEMO_MIN_MS);
}

static void obsolete_writeoff(demo_gen *g, int day, int64_t t)
{
	wof w = {.id = "WOF2026-Q3-01"};
	for (size_t k = 0; k < g->n_parts && w.n < 15; k++)
		if (g->parts[k].family == FAM_OBSOLETE &&
		    g->parts[k].book_milli > 0) {
			w.lines[w.n] =
			    (demo_line){(int)k, g->parts[k].book_milli};
			w.reason[w.n] = "obsolete";
			w.cost[w.n] = book_cost(g, (int)k);
			w.n++;
		}
	if (g->q_coil >= 0) {
		w.lines[w.n] = (demo_line){g->q_coil, 1000};
		w.reason[w.n] = "defective";
		w.cost[w.n++] = book_cost(g, g->q_coil);
	}
	if (w.n == 0)
		return;
	wof_request(g, &w, ST_PM, t);
	if (g->q_coil >= 0)
		coil_into_writeoff(g, w.id, t + 2 * DEMO_MIN_MS);
	appraise(
	    g, w.id, ST_SM, 1, 0,
	    "models discontinued in 2014 and 2013; no demand for two years",
	    t + 10 * DEMO_MIN_MS);
	appraise(g, w.id, ST_CLM, 1, 0,
		 "outside every warranty; the maker takes none back",
		 t + 15 * DEMO_MIN_MS);
	appraise(g, w.id, ST_PM, 1, 0,
		 "supplier refuses returns; cannot be repaired",
		 t + 20 * DEMO_MIN_MS);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wof_id", w.id);
	dj_int(jb, "total_fen", w.total_fen);
	wof_lines(g, jb, &w, 0);
	demo_emit(g, t + 40 * DEMO_MIN_MS, SVL_T_WRITEOFF_APPROVED, ST_GM,
		  R(GENERAL_MANAGER));
	charge_shares(g, &w, t + 60 * DEMO_MIN_MS);
	for (int k = 0; k < w.n; k++) {
		g->parts[w.lines[k].part].book_milli -= w.lines[k].qty_milli;
		g->parts[w.lines[k].part].phys_milli -= w.lines[k].qty_milli;
		g->wof_lines[k] = w.lines[k];
	}
	g->n_wof_lines = w.n;
	g->wof_day = day;
	g->wof_fen[0] = w.total_fen;
}

/* Brake pads rusted under a roof leak that had been reported: the
 * appraisers find people caused it, so it is not written off (R-WOF-3):
 * the rejection says so and the loss is charged to those responsible. */
static void human_writeoff(demo_gen *g, int64_t t)
{
	wof w = {.id = "WOF2026-Q3-02"};
	if (g->q_pads < 0)
		return;
	w.lines[0] = (demo_line){g->q_pads, 2000};
	w.reason[0] = "damaged";
	w.cost[0] = book_cost(g, g->q_pads);
	w.n = 1;
	wof_request(g, &w, ST_WK, t);
	appraise(g, w.id, ST_PM, 0, 1,
		 "the leak was reported on 2026-08-20 "
		 "and the rack was not cleared: poor storage",
		 t + 17 * DEMO_MIN_MS);
	appraise(g, w.id, ST_CLM, 0, 1,
		 "not a supplier defect; no claim "
		 "possible",
		 t + 22 * DEMO_MIN_MS);
	appraise(g, w.id, ST_SM, 0, 1, "storage failure, not a write-off",
		 t + 27 * DEMO_MIN_MS);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wof_id", w.id);
	dj_str(jb, "reason",
	       "damage caused by poor storage: charged to the "
	       "keeper and the parts manager, not written off");
	dj_bool(jb, "human_caused", 1);
	demo_emit(g, t + 45 * DEMO_MIN_MS, SVL_T_WRITEOFF_REJECTED, ST_SM,
		  R(SERVICE_MANAGER));
	int64_t keeper = w.total_fen * 6 / 10;
	g->wof_fen[1] = w.total_fen;
	charge(g, w.id, ST_WK, keeper, "poor_storage", t + 65 * DEMO_MIN_MS);
	charge(g, w.id, ST_PM, w.total_fen - keeper, "poor_storage",
	       t + 66 * DEMO_MIN_MS);
}

void demo_counts(demo_gen *g, int day)
{
	if (day != g->days - 1) {
		routine_count(g, day, demo_month_end(day));
		return;
	}
	quarterly_count(g, day);
	/* the write-offs value their lines at the card's cost: bring the
	 * book up to now first */
	int64_t t = demo_at(day, 20, 30);
	if (demo_flush(g, t) != SVL_OK)
		return;
	obsolete_writeoff(g, day, t);
	human_writeoff(g, t + 5 * DEMO_MIN_MS);
}

/* R-WOF-5: the keeper held the written-off parts; they leave for the
 * recycler after the quarter, a sale the service manager approves. */
void demo_stock_tail(demo_gen *g, int day)
{
	if (g->n_wof_lines == 0 || day != g->wof_day + 2)
		return;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wof_id", "WOF2026-Q3-01");
	dj_str(jb, "method", "recycled");
	dj_arr(jb, "lines");
	for (int k = 0; k < g->n_wof_lines; k++) {
		const demo_part *p = &g->parts[g->wof_lines[k].part];
		dj_obj(jb);
		dj_str(jb, "part_no", p->no);
		dj_str(jb, "bin", p->bin);
		dj_int(jb, "qty_milli", g->wof_lines[k].qty_milli);
		dj_end(jb);
	}
	dj_end(jb);
	dj_str(jb, "note", "licensed recycler, weighed and receipted");
	dj_str(jb, "approver_id", demo_person_get(ST_SM)->id);
	demo_emit(g, demo_at(day, 10, 0), SVL_T_WRITEOFF_DISPOSED, ST_WK,
		  R(WAREHOUSE_KEEPER));
}
