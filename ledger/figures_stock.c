/*
 * figures_stock.c - the stock figures: late bin card entries (R-BIN-2)
 * and the accuracy of the ledger's own stocktakes.
 *
 *   R-BIN-2  "every movement is entered the same day": a line of a stock
 *            card whose event moves stock (a row of model/stock_moves.def
 *            that is not a fact; the table is asked, never a list of
 *            types) is late when its recorded time (the ledger's clock)
 *            falls on a later local day than its business time. A line
 *            counts in the period it happened in. Read from the cards'
 *            business-time index ('o' keys, stock_int.h): per card one
 *            seek and the range's lines, so the cost grows with the cards
 *            and the movements of the range, not with the log.
 *   stocktakes  the lines a stocktake counted (the latest count of each
 *            card: a recount replaces, as for the deciders' R-STK-2) are
 *            a count sheet, read by svl_reconcile as of the stocktake's
 *            opening ("the book is frozen as of this event", the
 *            catalog's stocktake_opened): lines and lines agreeing with
 *            the book are reconcile's own, never decided again here. A
 *            stocktake counts in the period of its opening (of its first
 *            count when it has no opening).
 */
#include <stdlib.h>

#include "calendar.h"
#include "figures_int.h"
#include "metrics_int.h"
#include "mp.h"
#include "stock_int.h"
#include "stock_moves.h"

/* ---- R-BIN-2 ---- */

typedef struct card_keys {
	uint8_t pb[SVL_STOCK_KEY_MAX];
	size_t pbl;
	svl_fig_late_entry ids; /* part_no and bin */
} card_keys;

/* A length-prefixed text of a key at *p (at most max bytes, before end)
 * into out; false when it does not fit. */
static bool key_text(const uint8_t **p, const uint8_t *end, size_t max,
		     char *out, size_t cap)
{
	size_t len = *p < end ? **p : max + 1;
	if (len > max || len >= cap || (size_t)(end - *p) < 1 + len)
		return false;
	svl__fig_copy(out, cap, (const char *)*p + 1, len);
	*p += 1 + len;
	return true;
}

/* A card's 'c' key (stock_int.h: tag, part, bin); false when malformed. */
static bool card_of(const svl_kv *kv, card_keys *c)
{
	const uint8_t *k = kv->key, *end = k + kv->key_len;
	const uint8_t *p = k + 1;
	if (kv->key_len > sizeof c->pb ||
	    !key_text(&p, end, SVL_PART_MAX, c->ids.part_no,
		      sizeof c->ids.part_no) ||
	    !key_text(&p, end, SVL_BIN_MAX, c->ids.bin, sizeof c->ids.bin) ||
	    p != end)
		return false;
	memcpy(c->pb, k, kv->key_len);
	c->pbl = kv->key_len;
	return true;
}

/* One line of the card: counted when it moves stock, kept when late. */
static int late_line(svl__fig *f, const card_keys *c, const svl_stock_line *ln)
{
	const svl__move_kind *kind = svl__move_kind_of(ln->type);
	svl_figures_row *row;
	if (!kind || kind->fact)
		return SVL_OK;
	int rc = svl__fig_row(f, ln->occurred_at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	row->c.stock_moves++;
	int64_t days = svl_rules_local_day(&f->rules, ln->recorded_at_ms) -
		       svl_rules_local_day(&f->rules, ln->occurred_at_ms);
	if (days <= 0)
		return SVL_OK;
	row->c.late_entries++;
	svl_figures *r = f->out;
	svl_fig_late_entry *x = SVL__FIG_PUSH(r->late, r->n_late, f->cap_late);
	if (!x)
		return SVL_ENOMEM;
	*x = c->ids;
	svl__fig_label(f, ln->occurred_at_ms, x->label);
	x->type = ln->type;
	memcpy(x->doc, ln->doc, sizeof x->doc);
	x->seq = ln->seq;
	x->occurred_at_ms = ln->occurred_at_ms;
	x->recorded_at_ms = ln->recorded_at_ms;
	x->days_late = days;
	return SVL_OK;
}

/* The card's lines that happened in [lo_ms, hi_ms]. */
static int late_card(svl__fig *f, svl_txn *t, unsigned table,
		     const card_keys *c, int64_t lo_ms, int64_t hi_ms)
{
	uint8_t key[SVL_STOCK_KEY_MAX], lkey[SVL_STOCK_KEY_MAX];
	memcpy(key, c->pb, c->pbl);
	memcpy(lkey, c->pb, c->pbl);
	key[0] = 'o';
	lkey[0] = 'l';
	svl__be64_put(key + c->pbl, svl__bias(lo_ms));
	svl_cursor *cur;
	svl_kv kv;
	int rc = svl_cursor_open(t, table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, key, c->pbl + 8, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		const uint8_t *k = kv.key;
		if (kv.key_len != c->pbl + 16 || memcmp(k, key, c->pbl) ||
		    svl__unbias(svl__be64_get(k + c->pbl)) > hi_ms)
			break;
		svl_stock_line ln;
		const void *v;
		size_t n;
		memset(&ln, 0, sizeof ln);
		ln.seq = svl__be64_get(k + c->pbl + 8);
		svl__be64_put(lkey + c->pbl, ln.seq);
		rc = svl_txn_get(t, table, lkey, c->pbl + 8, &v, &n);
		if (rc == SVL_OK && !svl__stock_line_decode(v, n, &ln))
			rc = svl_txn_fail(t, SVL_ECORRUPT,
					  "figures: stock line of seq %llu",
					  (unsigned long long)ln.seq);
		if (rc == SVL_OK)
			rc = late_line(f, c, &ln);
		if (rc != SVL_OK)
			break;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

int svl__fig_late(svl__fig *f, svl_txn *t, unsigned table)
{
	int32_t tz = f->rules.tz_offset_min;
	/* a little wide at the end (a month is at most 31 days): the rows
	 * take only the range's periods */
	int64_t lo_ms = svl__day_start_ms(f->first_day, tz);
	int64_t hi_ms = svl__day_start_ms(f->last_day + 32, tz);
	svl_cursor *cur;
	svl_kv kv;
	uint8_t tag = 'c';
	int rc = svl_cursor_open(t, table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, &tag, 1, &kv);
	     rc == SVL_OK && kv.key_len && *(const uint8_t *)kv.key == 'c';
	     rc = svl_cursor_next(cur, &kv)) {
		card_keys c;
		if (!card_of(&kv, &c)) {
			rc = svl_txn_fail(t, SVL_ECORRUPT,
					  "figures: stock card key");
			break;
		}
		if ((rc = late_card(f, t, table, &c, lo_ms, hi_ms)) != SVL_OK)
			break;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* ---- stocktakes ---- */

static int line_cmp(const void *a, const void *b)
{
	const svl__fig_fact *x = *(const svl__fig_fact *const *)a;
	const svl__fig_fact *y = *(const svl__fig_fact *const *)b;
	int c = strcmp(x->a, y->a);
	if (!c)
		c = strcmp(x->b, y->b);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

_Static_assert(sizeof(((svl_count_line *)0)->part_no) ==
		       sizeof(((svl__fig_fact *)0)->a) &&
		   sizeof(((svl_count_line *)0)->bin) ==
		       sizeof(((svl__fig_fact *)0)->b) &&
		   sizeof(((svl_count_line *)0)->counter) ==
		       sizeof(((svl__fig_fact *)0)->who),
	       "a counted line's fact holds a sheet line's fields");

/* The sheet: the latest count of each card, in (part, bin) order. */
static size_t sheet_of(const svl__fig_fact *v, size_t n,
		       const svl__fig_fact **tmp, svl_count_line *sheet)
{
	size_t k = 0, m = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].type == SVL_T_STOCKTAKE_LINE_COUNTED)
			tmp[k++] = &v[i];
	qsort(tmp, k, sizeof *tmp, line_cmp);
	for (size_t i = 0; i < k; i++) {
		const svl__fig_fact *x = tmp[i];
		if (i + 1 < k && !strcmp(x->a, tmp[i + 1]->a) &&
		    !strcmp(x->b, tmp[i + 1]->b))
			continue; /* recounted later */
		svl_count_line *c = &sheet[m++];
		memset(c, 0, sizeof *c);
		memcpy(c->part_no, x->a, sizeof c->part_no);
		memcpy(c->bin, x->b, sizeof c->bin);
		memcpy(c->counter, x->who, sizeof c->counter);
		c->counted_milli = x->n;
		c->sheet_line = (uint32_t)m;
	}
	return m;
}

/* Reconcile the sheet as of at_ms, a slice at a time; whole when the
 * latest stocktake's result is kept (svl__figures_get_kept), and kept
 * when this one opened last so far. */
static int reconcile(svl__fig *f, const svl_count_line *sheet, size_t n,
		     int64_t at_ms, svl_fig_stocktake *s)
{
	size_t slice = f->keep_stk ? (n ? n : 1) : SVL__FIG_RECON_SLICE;
	for (size_t i = 0; i < n; i += slice) {
		size_t k = n - i < slice ? n - i : slice;
		svl_reconcile_result *res;
		int rc = svl_reconcile(f->l, sheet + i, k, at_ms, &res);
		if (rc != SVL_OK)
			return rc;
		s->lines += (int64_t)res->summary.lines;
		s->lines_exact += (int64_t)res->summary.lines_exact;
		if (f->keep_stk &&
		    (!f->kept_stk || at_ms >= f->kept_stk_at_ms)) {
			svl_reconcile_free(f->kept_stk);
			f->kept_stk = res;
			f->kept_stk_at_ms = at_ms;
		} else {
			svl_reconcile_free(res);
		}
	}
	return SVL_OK;
}

typedef struct stk {
	int opened, closed, kind;
	int64_t opened_ms, closed_ms, first_count_ms, lines;
	int64_t proposed, approved;
} stk;

static stk stk_fold(const svl__fig_fact *v, size_t n)
{
	stk s;
	memset(&s, 0, sizeof s);
	s.kind = -1;
	for (size_t i = 0; i < n; i++) {
		const svl__fig_fact *x = &v[i];
		if (x->type == SVL_T_STOCKTAKE_OPENED && !s.opened) {
			s.opened = 1;
			s.opened_ms = x->at_ms;
			s.kind = (int)x->n;
		} else if (x->type == SVL_T_STOCKTAKE_CLOSED && !s.closed) {
			s.closed = 1;
			s.closed_ms = x->at_ms;
		} else if (x->type == SVL_T_STOCKTAKE_LINE_COUNTED) {
			if (!s.lines++ || x->at_ms < s.first_count_ms)
				s.first_count_ms = x->at_ms;
		}
		s.proposed += x->type == SVL_T_ADJUSTMENT_PROPOSED;
		s.approved += x->type == SVL_T_ADJUSTMENT_APPROVED;
	}
	return s;
}

/* Reconcile the stocktake's sheet: tmp and sheet have room for n. */
static int count_lines(svl__fig *f, const svl__fig_fact *v, size_t n,
		       int64_t at_ms, svl_fig_stocktake *x)
{
	const svl__fig_fact **tmp = malloc(n * sizeof *tmp);
	svl_count_line *sheet = malloc(n * sizeof *sheet);
	int rc = tmp && sheet ? SVL_OK : SVL_ENOMEM;
	if (rc == SVL_OK)
		rc = reconcile(f, sheet, sheet_of(v, n, tmp, sheet), at_ms, x);
	free(tmp);
	free(sheet);
	return rc;
}

static int one_stocktake(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	stk s = stk_fold(v, n);
	int64_t at_ms = s.opened ? s.opened_ms : s.first_count_ms;
	svl_figures_row *row;
	if (!s.lines)
		return SVL_OK;
	int rc = svl__fig_row(f, at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	svl_figures *r = f->out;
	svl_fig_stocktake *x =
	    SVL__FIG_PUSH(r->stocktakes, r->n_stocktakes, f->cap_stk);
	if (!x)
		return SVL_ENOMEM;
	svl__fig_label(f, at_ms, x->label);
	svl__fig_copy(x->stk_id, sizeof x->stk_id, v[0].id, strlen(v[0].id));
	x->kind = s.kind;
	x->opened_at_ms = at_ms;
	x->closed_at_ms = s.closed ? s.closed_ms : 0;
	x->adj_proposed = s.proposed;
	x->adj_approved = s.approved;
	if ((rc = count_lines(f, v, n, at_ms, x)) != SVL_OK)
		return rc;
	x->accuracy_bp = svl__metrics_ratio(x->lines_exact, x->lines, 10000);
	row->c.stocktakes++;
	row->c.count_lines += x->lines;
	row->c.count_lines_exact += x->lines_exact;
	return SVL_OK;
}

int svl__fig_stocktakes(svl__fig *f)
{
	return svl__fig_runs(f, SVL__FIG_STK, one_stocktake);
}
