/*
 * report_stock.c - the stock as the book knew it (stock cards as of a
 * time, SVL_ASOF_KNOWN: what had been recorded by then): value on hand at
 * each day's end of the period and the parts holding most of it, the
 * period's movements by document, what is held apart at its end; then the
 * period's stocktakes, and the last one's variances with the movements
 * that explain them (svl_reconcile, as the figures read it).
 *
 * Cost: one walk of every card per day of the period (each card as of a
 * time is a seek in its own history, never a replay of the log), and each
 * card's lines of the period once.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "report_int.h"
#include "svl_stock.h"

#define TOP_PARTS 5
#define DAYS_MAX 366 /* a longer period is drawn by week ends */

/* ---- value over time ---------------------------------------------------- */

typedef struct part_value {
	char part_no[SVL_PART_MAX + 1];
	int64_t value_fen;
} part_value;

typedef struct value_walk {
	int64_t total_fen;
	svl_stock_figures sum; /* every figure summed, for the held items */
	part_value *parts;     /* all parts (at the end) or the top ones */
	size_t n, cap;
	int collect; /* 1: collect every part; 0: only the listed ones */
	int rc;
} value_walk;

static void figures_add(svl_stock_figures *s, const svl_stock_figures *f)
{
	s->on_hand_milli += f->on_hand_milli;
	s->value_fen += f->value_fen;
	s->quarantined_milli += f->quarantined_milli;
	s->quarantined_value_fen += f->quarantined_value_fen;
	s->wof_held_milli += f->wof_held_milli;
	s->wof_held_value_fen += f->wof_held_value_fen;
	s->unsettled_issued_milli += f->unsettled_issued_milli;
	s->old_parts_pending_milli += f->old_parts_pending_milli;
	s->claims_pending_milli += f->claims_pending_milli;
}

static int value_card(const svl_stock_card *card, void *payload)
{
	value_walk *w = payload;
	w->total_fen += card->f.value_fen;
	figures_add(&w->sum, &card->f);
	for (size_t i = w->n; i-- > 0;) /* a part's bins come together */
		if (!strcmp(w->parts[i].part_no, card->part_no)) {
			w->parts[i].value_fen += card->f.value_fen;
			return 0;
		}
	if (!w->collect)
		return 0;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 256;
		part_value *p = realloc(w->parts, cap * sizeof *p);
		if (!p)
			return w->rc = SVL_ENOMEM;
		w->parts = p;
		w->cap = cap;
	}
	part_value *p = &w->parts[w->n++];
	memcpy(p->part_no, card->part_no, sizeof p->part_no);
	p->value_fen = card->f.value_fen;
	return 0;
}

static int value_at(svl__rpt *r, int64_t at_ms, value_walk *w)
{
	svl_asof asof = {SVL_ASOF_KNOWN, 0, at_ms};
	w->total_fen = 0;
	memset(&w->sum, 0, sizeof w->sum);
	if (!w->collect)
		for (size_t i = 0; i < w->n; i++)
			w->parts[i].value_fen = 0;
	int rc = svl_stock_cards(r->l, &asof, value_card, w);
	return w->rc ? w->rc : rc;
}

static int by_value_desc(const void *a, const void *b)
{
	const part_value *x = a, *y = b;
	if (x->value_fen != y->value_fen)
		return x->value_fen > y->value_fen ? -1 : 1;
	return strcmp(x->part_no, y->part_no);
}

typedef struct value_series {
	size_t n; /* points */
	char labels[DAYS_MAX][8];
	const char *label_p[DAYS_MAX];
	int64_t total[DAYS_MAX];
	int64_t part[TOP_PARTS][DAYS_MAX];
	size_t n_parts;
	part_value top[TOP_PARTS];
	svl_stock_figures end; /* the figures summed at the period's end */
} value_series;

static int value_chart(svl__rpt *r, const value_series *s)
{
	char source[200];
	struct svl__chart_series total = {svl__rpt_t(r, SVL__RT_ST_ONHAND),
					  s->total, NULL};
	struct svl__line_chart c;
	memset(&c, 0, sizeof c);
	c.text.title = svl__rpt_t(r, SVL__RT_ST_VALUE);
	c.text.units = svl__rpt_t(r, SVL__RT_U_YUAN);
	c.text.source =
	    svl__rpt_source(r, SVL__RT_SRC_STOCK, source, sizeof source);
	c.fmt = SVL__CHART_YUAN;
	c.x_labels = s->label_p;
	c.n_x = s->n;
	c.series = &total;
	c.n_series = 1;
	c.zero_based = 1;
	c.text.lang = svl__rpt_lang(r);
	svl__rpt_fig(r, 0);
	int rc = svl__chart_line(r->out, &c);
	svl__rpt_fig_end(r);
	if (rc != SVL_OK || !s->n_parts)
		return rc;
	struct svl__chart_series parts[TOP_PARTS];
	for (size_t i = 0; i < s->n_parts; i++) {
		parts[i].name = s->top[i].part_no;
		parts[i].values = s->part[i];
		parts[i].present = NULL;
	}
	c.text.title = svl__rpt_t(r, SVL__RT_ST_TOP);
	c.series = parts;
	c.n_series = s->n_parts;
	svl__rpt_fig(r, 0);
	rc = svl__chart_line(r->out, &c);
	svl__rpt_fig_end(r);
	return rc;
}

/* Points: every day's end, or every week's (Sunday's) and the last day's
 * when the period is longer than DAYS_MAX days. */
static int value_points(svl__rpt *r, value_series *s)
{
	value_walk w;
	memset(&w, 0, sizeof w);
	w.collect = 1;
	int rc = value_at(r, r->to_ms - 1, &w);
	if (rc == SVL_OK) {
		s->end = w.sum;
		if (w.n > 1)
			qsort(w.parts, w.n, sizeof *w.parts, by_value_desc);
		while (w.n > 0 && w.parts[w.n - 1].value_fen <= 0)
			w.n--; /* a part with nothing on the shelf is no top */
		s->n_parts = w.n < TOP_PARTS ? w.n : TOP_PARTS;
		if (s->n_parts) {
			memcpy(s->top, w.parts, s->n_parts * sizeof *s->top);
			memcpy(w.parts, s->top, s->n_parts * sizeof *s->top);
		}
		w.n = s->n_parts;
		w.collect = 0;
	}
	int64_t days = r->to_day - r->from_day + 1;
	for (int64_t d = r->from_day; rc == SVL_OK && d <= r->to_day; d++) {
		if (days > DAYS_MAX && svl__weekday(d) != 6 && d != r->to_day)
			continue;
		if (s->n == DAYS_MAX)
			break;
		int64_t end = svl__day_start_ms(d + 1, r->tz) - 1;
		if (end >= r->to_ms)
			end = r->to_ms - 1;
		if ((rc = value_at(r, end, &w)) != SVL_OK)
			break;
		char day[16];
		svl__fmt_day(day, sizeof day, d);
		memcpy(s->labels[s->n], day + 5, 6); /* "09-30" */
		s->label_p[s->n] = s->labels[s->n];
		s->total[s->n] = w.total_fen;
		for (size_t i = 0; i < s->n_parts; i++)
			s->part[i][s->n] = w.parts[i].value_fen;
		s->n++;
	}
	free(w.parts);
	return rc;
}

/* ---- movements ------------------------------------------------------------
 */

typedef struct move_kind {
	uint32_t type;
	int64_t lines, in_milli, out_milli;
} move_kind;

typedef struct move_walk {
	svl__rpt *r;
	uint64_t first_seq, last_seq;
	move_kind k[64];
	size_t n;
	int rc;
} move_walk;

static int move_line(const svl_stock_line *line, void *payload)
{
	move_walk *w = payload;
	size_t i;
	for (i = 0; i < w->n && w->k[i].type != line->type; i++)
		;
	if (i == w->n) {
		if (w->n == sizeof w->k / sizeof *w->k)
			return 0; /* more kinds than the catalog has */
		w->k[w->n++].type = line->type;
	}
	w->k[i].lines++;
	w->k[i].in_milli += line->in_milli;
	w->k[i].out_milli += line->out_milli;
	return 0;
}

static int move_card(const svl_stock_card *card, void *payload)
{
	move_walk *w = payload;
	if (card->last_seq < w->first_seq)
		return 0;
	int rc = svl_stock_card_lines(w->r->l, card->part_no, card->bin,
				      w->first_seq, w->last_seq, move_line, w);
	return rc == SVL_OK ? 0 : (w->rc = rc);
}

static int by_type(const void *a, const void *b)
{
	const move_kind *x = a, *y = b;
	return x->type < y->type ? -1 : x->type > y->type;
}

static int movements(svl__rpt *r)
{
	move_walk w;
	memset(&w, 0, sizeof w);
	w.r = r;
	uint64_t before, last;
	int rc = svl_ledger_seq_at(r->l, r->from_ms - 1, &before);
	if (rc == SVL_OK)
		rc = svl_ledger_seq_at(r->l, r->to_ms - 1, &last);
	if (rc != SVL_OK)
		return rc;
	w.first_seq = before + 1;
	w.last_seq = last;
	if (last >= w.first_seq) {
		rc = svl_stock_cards(r->l, NULL, move_card, &w);
		if (w.rc)
			rc = w.rc;
	}
	if (rc != SVL_OK)
		return rc;
	qsort(w.k, w.n, sizeof *w.k, by_type);
	const char *labels[64];
	int64_t values[64];
	for (size_t i = 0; i < w.n; i++) {
		const svl_event_type *t = svl_event_type_get(w.k[i].type);
		labels[i] = t ? t->name : "-";
		values[i] = w.k[i].lines;
	}
	rc = svl__rpt_bars(r, SVL__RT_ST_MOVES, SVL__RT_U_LINES,
			   SVL__RT_SRC_STOCK, SVL__CHART_COUNT, labels, values,
			   w.n);
	static const enum svl__rt heads[] = {SVL__RT_COL_DOC, SVL__RT_COL_LINES,
					     SVL__RT_COL_IN, SVL__RT_COL_OUT};
	svl__rpt_table(r, "moves", NULL, heads, 4, 1u);
	for (size_t i = 0; i < w.n; i++) {
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, labels[i]);
		svl__rpt_td(r, SVL__CHART_COUNT, w.k[i].lines, 1);
		svl__rpt_raw(r, "<td class=\"n\">");
		svl__rpt_qty(r, w.k[i].in_milli);
		svl__rpt_raw(r, "</td><td class=\"n\">");
		svl__rpt_qty(r, w.k[i].out_milli);
		svl__rpt_raw(r, "</td></tr>\n");
	}
	svl__rpt_table_end(r);
	return rc;
}

/* ---- held apart
 * -------------------------------------------------------------- */

static void held_row(svl__rpt *r, enum svl__rt item, int64_t milli,
		     int64_t value_fen, int has_value)
{
	svl__rpt_raw(r, "<tr><td>");
	svl__rpt_raw(r, svl__rpt_t(r, item));
	svl__rpt_raw(r, "</td><td class=\"n\">");
	svl__rpt_qty(r, milli);
	svl__rpt_raw(r, "</td>");
	svl__rpt_td(r, SVL__CHART_FEN, value_fen, has_value);
	svl__rpt_raw(r, "</tr>\n");
}

static void held(svl__rpt *r, const svl_stock_figures *f)
{
	static const enum svl__rt heads[] = {SVL__RT_COL_ITEM, SVL__RT_COL_QTY,
					     SVL__RT_COL_VALUE};
	svl__rpt_h3(r, SVL__RT_ST_HELD);
	svl__rpt_table(r, "held", NULL, heads, 3, 1u);
	held_row(r, SVL__RT_ST_ONHAND, f->on_hand_milli, f->value_fen, 1);
	held_row(r, SVL__RT_ST_QUARANTINE, f->quarantined_milli,
		 f->quarantined_value_fen, 1);
	held_row(r, SVL__RT_ST_WOF_HELD, f->wof_held_milli,
		 f->wof_held_value_fen, 1);
	held_row(r, SVL__RT_ST_UNSETTLED, f->unsettled_issued_milli, 0, 0);
	held_row(r, SVL__RT_ST_OLDPARTS, f->old_parts_pending_milli, 0, 0);
	held_row(r, SVL__RT_ST_CLAIMS, f->claims_pending_milli, 0, 0);
	svl__rpt_table_end(r);
}

static int stock(svl__rpt *r)
{
	value_series *s = calloc(1, sizeof *s);
	if (!s)
		return SVL_ENOMEM;
	int rc = value_points(r, s);
	if (rc == SVL_OK) {
		svl__rpt_section(r, "stock", NULL, SVL__RT_S_STOCK,
				 SVL__RT_S_STOCK_LEAD);
		svl__rpt_raw(r, SVL__RPT_TILES_OPEN);
		svl__rpt_tile(r, SVL__RT_ST_ONHAND, SVL__CHART_YUAN,
			      s->end.value_fen, 1, 0);
		svl__rpt_tile(r, SVL__RT_ST_QUARANTINE, SVL__CHART_YUAN,
			      s->end.quarantined_value_fen, 1, 0);
		svl__rpt_tile(r, SVL__RT_ST_WOF_HELD, SVL__CHART_YUAN,
			      s->end.wof_held_value_fen, 1, 0);
		svl__rpt_raw(r, SVL__RPT_TILES_CLOSE);
		rc = value_chart(r, s);
	}
	if (rc == SVL_OK)
		rc = movements(r);
	if (rc == SVL_OK) {
		held(r, &s->end);
		svl__rpt_section_end(r);
	}
	free(s);
	return rc;
}

/* ---- the stocktakes
 * ---------------------------------------------------------- */

static int accuracy_chart(svl__rpt *r)
{
	const svl_figures *f = r->fig;
	size_t first = f->n_stocktakes > SVL__CHART_BARS_MAX
			   ? f->n_stocktakes - SVL__CHART_BARS_MAX
			   : 0;
	size_t n = f->n_stocktakes - first;
	const char *labels[SVL__CHART_BARS_MAX];
	int64_t values[SVL__CHART_BARS_MAX];
	for (size_t i = 0; i < n; i++) {
		labels[i] = f->stocktakes[first + i].stk_id;
		values[i] = f->stocktakes[first + i].accuracy_bp / 10;
	}
	int rc = svl__rpt_bars(r, SVL__RT_STK_ACCURACY, SVL__RT_U_ACCURACY,
			       SVL__RT_SRC_RECON, SVL__CHART_PERMILLE, labels,
			       values, n);
	return rc;
}

static void stk_summary(svl__rpt *r, const svl_fig_stocktake *x,
			const svl_recon_summary *s)
{
	svl__rpt_raw(r, "<dl class=\"head\">\n<dt>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_STK_ID));
	svl__rpt_raw(r, "</dt><dd id=\"stk-id\">");
	svl__rpt_esc(r, x->stk_id);
	svl__rpt_raw(r, "</dd>\n<dt>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_STK_KIND));
	svl__rpt_raw(r, "</dt><dd>");
	svl__rpt_esc(r, svl__rpt_enum(r, SVL_T_STOCKTAKE_OPENED,
				      SVL_F_STOCKTAKE_OPENED_KIND, x->kind));
	svl__rpt_raw(r, "</dd>\n<dt>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_STK_OPENED));
	svl__rpt_raw(r, "</dt><dd>");
	svl__rpt_time(r, x->opened_at_ms);
	svl__rpt_raw(r, "</dd>\n<dt>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_STK_CLOSED));
	svl__rpt_raw(r, "</dt><dd>");
	if (x->closed_at_ms)
		svl__rpt_time(r, x->closed_at_ms);
	else
		svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_OPEN));
	svl__rpt_raw(r, "</dd>\n</dl>\n");
	svl__rpt_raw(r, SVL__RPT_TILES_OPEN);
	svl__rpt_tile(r, SVL__RT_STK_LINES, SVL__CHART_COUNT, (int64_t)s->lines,
		      1, 0);
	svl__rpt_tile(r, SVL__RT_STK_EXACT_LINES, SVL__CHART_COUNT,
		      (int64_t)s->lines_exact, 1, 0);
	svl__rpt_tile(r, SVL__RT_STK_ACC, SVL__CHART_PERMILLE,
		      s->accuracy_bp / 10, 1,
		      s->accuracy_bp >= SVL_FIGURES_TARGET_ACCURACY_BP ? 1 : 2);
	svl__rpt_tile(r, SVL__RT_STK_NET, SVL__CHART_FEN,
		      s->net_variance_value_fen, 1, 0);
	svl__rpt_tile(r, SVL__RT_STK_ABS, SVL__CHART_FEN,
		      s->abs_variance_value_fen, 1, 0);
	svl__rpt_raw(r, SVL__RPT_TILES_CLOSE);
}

static int variance_chart(svl__rpt *r, const svl_reconcile_result *res)
{
	const char *labels[SVL__CHART_BARS_MAX];
	int64_t values[SVL__CHART_BARS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < res->n && n < SVL__CHART_BARS_MAX; i++) {
		const svl_recon_line *x = &res->lines[i];
		if (!x->variance_milli)
			continue;
		labels[n] = x->count.bin;
		values[n++] = x->variance_value_fen;
	}
	int rc =
	    svl__rpt_bars(r, SVL__RT_STK_VARIANCE, SVL__RT_U_VARIANCE,
			  SVL__RT_SRC_RECON, SVL__CHART_FEN, labels, values, n);
	return rc;
}

/* The movements since the previous count, newest last. */
static void moves_cell(svl__rpt *r, const svl_recon_line *x)
{
	svl__rpt_raw(r, "<td>");
	if (x->moves_omitted) {
		svl__rpt_raw(r, "… ");
		svl__rpt_num(r, SVL__CHART_COUNT, (int64_t)x->moves_omitted);
		svl__rpt_raw(r, "<br/>");
	}
	size_t shown = 0;
	for (size_t m = 0; m < x->n_moves; m++) {
		const svl_stock_line *l = &x->moves[m];
		const svl_event_type *t = svl_event_type_get(l->type);
		if (!l->in_milli && !l->out_milli)
			continue; /* a fact (a reservation): moves nothing */
		shown++;
		svl__rpt_day(r, l->occurred_at_ms);
		svl__rpt_raw(r, " ");
		svl__rpt_esc(r, t ? t->name : "-");
		svl__rpt_raw(r, " ");
		svl__rpt_esc(r, l->doc);
		svl__rpt_raw(r, " ");
		if (l->in_milli)
			svl__rpt_raw(r, "+"), svl__rpt_qty(r, l->in_milli);
		if (l->out_milli)
			svl__rpt_qty(r, -l->out_milli);
		svl__rpt_raw(r, "<br/>");
	}
	if (!shown)
		svl__rpt_raw(r, "-");
	svl__rpt_raw(r, "</td>");
}

static void variance_table(svl__rpt *r, const svl_reconcile_result *res)
{
	static const enum svl__rt heads[] = {
	    SVL__RT_COL_BIN,	 SVL__RT_COL_PART, SVL__RT_COL_BOOK,
	    SVL__RT_COL_COUNTED, SVL__RT_COL_VAR,  SVL__RT_COL_VAR_VALUE,
	    SVL__RT_COL_MOVES};
	svl__rpt_table(r, "variances", NULL, heads, 7, 0x43u);
	for (size_t i = 0; i < res->n; i++) {
		const svl_recon_line *x = &res->lines[i];
		if (!x->variance_milli)
			continue;
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, x->count.bin);
		svl__rpt_td_text(r, x->count.part_no);
		svl__rpt_raw(r, "<td class=\"n\">");
		svl__rpt_qty(r, x->book_milli);
		svl__rpt_raw(r, "</td><td class=\"n\">");
		svl__rpt_qty(r, x->count.counted_milli);
		svl__rpt_raw(r, "</td><td class=\"n\">");
		svl__rpt_qty(r, x->variance_milli);
		svl__rpt_raw(r, "</td>");
		svl__rpt_td(r, SVL__CHART_FEN, x->variance_value_fen, 1);
		moves_cell(r, x);
		svl__rpt_raw(r, "</tr>\n");
	}
	svl__rpt_table_end(r);
}

static void recon_items(svl__rpt *r, const svl_recon_summary *s)
{
	static const enum svl__rt heads[] = {SVL__RT_COL_ITEM, SVL__RT_COL_QTY,
					     SVL__RT_COL_VALUE};
	svl__rpt_h3(r, SVL__RT_STK_RECON_ITEMS);
	svl__rpt_table(r, "recon", NULL, heads, 3, 1u);
	held_row(r, SVL__RT_ST_UNSETTLED, s->unsettled_issued_milli, 0, 0);
	held_row(r, SVL__RT_ST_OLDPARTS, s->old_parts_pending_milli, 0, 0);
	held_row(r, SVL__RT_ST_QUARANTINE, s->quarantined_milli,
		 s->quarantined_value_fen, 1);
	held_row(r, SVL__RT_ST_CLAIMS, s->claims_pending_milli, 0, 0);
	held_row(r, SVL__RT_ST_WOF_HELD, s->wof_held_milli,
		 s->wof_held_value_fen, 1);
	svl__rpt_table_end(r);
}

static int stocktake(svl__rpt *r)
{
	svl__rpt_section(r, "stocktake", NULL, SVL__RT_S_STK,
			 SVL__RT_S_STK_LEAD);
	int rc = SVL_OK;
	if (!r->fig->n_stocktakes || !r->last_stk || !r->last_stk_fig) {
		svl__rpt_note(r, SVL__RT_STK_NONE);
		svl__rpt_section_end(r);
		return rc;
	}
	stk_summary(r, r->last_stk_fig, &r->last_stk->summary);
	if (r->last_stk->summary.lines_exact == r->last_stk->summary.lines) {
		svl__rpt_note(r, SVL__RT_STK_EXACT);
	} else {
		rc = variance_chart(r, r->last_stk);
		variance_table(r, r->last_stk);
	}
	recon_items(r, &r->last_stk->summary);
	if (rc == SVL_OK)
		rc = accuracy_chart(r);
	svl__rpt_section_end(r);
	return rc;
}

int svl__rpt_stock(svl__rpt *r)
{
	int rc = stock(r);
	return rc == SVL_OK ? stocktake(r) : rc;
}
