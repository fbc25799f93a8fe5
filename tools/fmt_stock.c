/*
 * fmt_stock.c - a stock card (R-BIN-2) for people and for machines: the
 * figures an auditor reconciles against, then the bin card lines (date,
 * document, counterparty, in, out, balance, unit cost, value).
 *
 * The average cost shown is value / on hand, rounded to the fen as the
 * ledger rounds (model/money.h): it is derived for reading, the ledger
 * values movements itself (docs/projections.md); nothing here feeds back
 * into a figure.
 */
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "money.h"

/* value per unit in fen; -1 when nothing is on hand */
static int64_t avg_cost(int64_t value_fen, int64_t qty_milli)
{
	return qty_milli <= 0 ? -1 : svl__unit_cost_fen(value_fen, qty_milli);
}

static const char *money_or_dash(char *out, int64_t fen)
{
	return fen < 0 ? "-" : fmt_money(out, fen);
}

static void figure_row(fmt_table *t, const char *what, int64_t qty,
		       const int64_t *value, const char *note)
{
	char q[FMT_NUM_SIZE], v[FMT_NUM_SIZE];
	fmt_table_add(t, _(what), fmt_qty(q, qty),
		      value ? fmt_money(v, *value) : "", _(note));
}

static int print_figures(FILE *f, const svl_stock_figures *x)
{
	static const fmt_col cols[] = {
	    {"figure", 'l'}, {"quantity", 'r'}, {"value", 'r'}, {"", 'l'}};
	fmt_table *t = fmt_table_new(cols, 4);
	figure_row(t, "on hand", x->on_hand_milli, &x->value_fen,
		   "book quantity on the shelf");
	figure_row(t, "reserved", x->reserved_milli, NULL,
		   "of on hand, for bookings (R-BKG-6)");
	figure_row(t, "available", x->on_hand_milli - x->reserved_milli, NULL,
		   "");
	figure_row(t, "quarantined", x->quarantined_milli,
		   &x->quarantined_value_fen, "separate ledger (R-BIN-3)");
	figure_row(t, "written off, held", x->wof_held_milli,
		   &x->wof_held_value_fen, "awaiting disposal (R-WOF-5)");
	figure_row(t, "issued, job unsettled", x->unsettled_issued_milli, NULL,
		   "on open work orders");
	figure_row(t, "old parts not back", x->old_parts_pending_milli, NULL,
		   "R-ISS-5");
	figure_row(t, "claims pending", x->claims_pending_milli, NULL,
		   "discrepancy slips open (R-RCV-3)");
	figure_row(t, "received (total)", x->received_milli, NULL, "");
	figure_row(t, "issued (total)", x->issued_milli, NULL, "");
	figure_row(t, "returned to stock", x->returned_milli, NULL, "");
	figure_row(t, "stocktake adjustments", x->adjusted_milli, NULL,
		   "approved gains - losses (R-STK-2)");
	figure_row(t, "written off (total)", x->written_off_milli, NULL, "");
	int rc = fmt_table_print(t, f, 2);
	fmt_table_free(t);
	return rc;
}

static int print_lines(FILE *f, const fmt_card *c)
{
	static const fmt_col cols[] = {{"seq", 'r'},	      {"date", 'l'},
				       {"document", 'l'},     {"doc", 'l'},
				       {"counterparty", 'l'}, {"in", 'r'},
				       {"out", 'r'},	      {"balance", 'r'},
				       {"unit cost", 'r'},    {"value", 'r'}};
	fmt_table *t = fmt_table_new(cols, 10);
	for (size_t i = 0; i < c->n_lines; i++) {
		const svl_stock_line *l = &c->lines[i];
		char seq[FMT_NUM_SIZE], date[FMT_TIME_SIZE], type[FMT_NUM_SIZE];
		char in[FMT_NUM_SIZE] = "", out[FMT_NUM_SIZE] = "";
		char bal[FMT_NUM_SIZE], cost[FMT_NUM_SIZE], val[FMT_NUM_SIZE];
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)l->seq);
		if (l->in_milli)
			fmt_qty(in, l->in_milli);
		if (l->out_milli)
			fmt_qty(out, l->out_milli);
		fmt_table_add(
		    t, seq, fmt_time(date, l->occurred_at_ms, c->tz_offset_min),
		    fmt_type_name(l->type, type), l->doc, l->counterparty, in,
		    out, fmt_qty(bal, l->balance_milli),
		    /* a line that moves no goods (a settlement clearing an
		     * issue) has no cost of its own */
		    l->in_milli || l->out_milli
			? fmt_money(cost, l->unit_cost_fen)
			: "",
		    fmt_money(val, l->value_fen));
	}
	int rc = fmt_table_print(t, f, 2);
	fmt_table_free(t);
	return rc;
}

int print_stock_card(FILE *f, const fmt_card *c)
{
	const svl_stock_card *k = c->card;
	char tz[FMT_NUM_SIZE], a[FMT_NUM_SIZE], b[FMT_NUM_SIZE];
	char n[FMT_NUM_SIZE];
	fprintf(f, _("stock card %s at %s, %s (times %s)\n"), k->part_no,
		k->bin[0] ? k->bin : _("(no bin)"), _(c->asof),
		fmt_tz(tz, c->tz_offset_min));
	if (print_figures(f, &k->f) != 0)
		return -1;
	fprintf(f,
		_("  average cost %s, last receipt cost %s; %s line%s, last "
		  "seq %llu\n\n"),
		money_or_dash(a, avg_cost(k->f.value_fen, k->f.on_hand_milli)),
		fmt_money(b, k->f.last_cost_fen),
		fmt_count(n, (int64_t)k->lines), k->lines == 1 ? "" : "s",
		(unsigned long long)k->last_seq);
	if (c->omitted)
		fprintf(f,
			_("  ... %s earlier line%s not shown (--lines 0 shows "
			  "all)\n"),
			fmt_count(n, (int64_t)c->omitted),
			c->omitted == 1 ? "" : "s");
	if (c->n_lines == 0) {
		fputs(_("  (no lines)\n"), f);
		return ferror(f) ? -1 : 0;
	}
	return print_lines(f, c);
}

/* ---- JSON ---- */

json_t *json_stock_figures(const svl_stock_figures *x)
{
	json_t *o = json_pack(
	    "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
	    "s:I}",
	    "on_hand_milli", (json_int_t)x->on_hand_milli, "reserved_milli",
	    (json_int_t)x->reserved_milli, "quarantined_milli",
	    (json_int_t)x->quarantined_milli, "wof_held_milli",
	    (json_int_t)x->wof_held_milli, "value_fen",
	    (json_int_t)x->value_fen, "quarantined_value_fen",
	    (json_int_t)x->quarantined_value_fen, "wof_held_value_fen",
	    (json_int_t)x->wof_held_value_fen, "last_cost_fen",
	    (json_int_t)x->last_cost_fen, "received_milli",
	    (json_int_t)x->received_milli, "issued_milli",
	    (json_int_t)x->issued_milli, "returned_milli",
	    (json_int_t)x->returned_milli, "adjusted_milli",
	    (json_int_t)x->adjusted_milli, "written_off_milli",
	    (json_int_t)x->written_off_milli, "unsettled_issued_milli",
	    (json_int_t)x->unsettled_issued_milli, "old_parts_pending_milli",
	    (json_int_t)x->old_parts_pending_milli, "claims_pending_milli",
	    (json_int_t)x->claims_pending_milli);
	/* the average cost the table prints: value / on hand, null when
	 * nothing is on hand */
	int64_t avg = avg_cost(x->value_fen, x->on_hand_milli);
	if (o)
		json_object_set_new(o, "avg_cost_fen",
				    avg < 0 ? json_null() : json_integer(avg));
	return o;
}

json_t *json_stock_line(const svl_stock_line *l, int32_t tz)
{
	char iso[FMT_TIME_SIZE], type[FMT_NUM_SIZE];
	return json_pack(
	    "{s:I,s:I,s:s,s:I,s:i,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "seq",
	    (json_int_t)l->seq, "occurred_at_ms", (json_int_t)l->occurred_at_ms,
	    "occurred_at", fmt_iso(iso, l->occurred_at_ms, tz),
	    "recorded_at_ms", (json_int_t)l->recorded_at_ms, "type",
	    (int)l->type, "type_name", fmt_type_name(l->type, type), "doc",
	    l->doc, "counterparty", l->counterparty, "in_milli",
	    (json_int_t)l->in_milli, "out_milli", (json_int_t)l->out_milli,
	    "balance_milli", (json_int_t)l->balance_milli, "unit_cost_fen",
	    (json_int_t)l->unit_cost_fen, "value_fen",
	    (json_int_t)l->value_fen);
}

json_t *json_stock_card(const fmt_card *c)
{
	const svl_stock_card *k = c->card;
	json_t *lines = json_array();
	for (size_t i = 0; lines && i < c->n_lines; i++)
		if (json_array_append_new(
			lines,
			json_stock_line(&c->lines[i], c->tz_offset_min)) != 0) {
			json_decref(lines);
			lines = NULL;
		}
	return json_pack("{s:s,s:s,s:s,s:I,s:I,s:o,s:I,s:o}", "part_no",
			 k->part_no, "bin", k->bin, "asof", c->asof,
			 "lines_total", (json_int_t)k->lines, "last_seq",
			 (json_int_t)k->last_seq, "figures",
			 json_stock_figures(&k->f), "lines_omitted",
			 (json_int_t)c->omitted, "lines", lines);
}

/* ---- the list of cards ---- */

fmt_table *fmt_stock_cards_table(void)
{
	static const fmt_col cols[] = {{"part", 'l'},	     {"bin", 'l'},
				       {"on hand", 'r'},     {"reserved", 'r'},
				       {"quarantined", 'r'}, {"w/o held", 'r'},
				       {"value", 'r'},	     {"avg cost", 'r'},
				       {"lines", 'r'},	     {"last seq", 'r'}};
	return fmt_table_new(cols, 10);
}

void fmt_stock_cards_row(fmt_table *t, const svl_stock_card *c, int asof)
{
	char oh[FMT_NUM_SIZE], rs[FMT_NUM_SIZE], qu[FMT_NUM_SIZE];
	char wo[FMT_NUM_SIZE], va[FMT_NUM_SIZE], av[FMT_NUM_SIZE];
	char li[FMT_NUM_SIZE], ls[FMT_NUM_SIZE];
	snprintf(ls, sizeof ls, "%llu", (unsigned long long)c->last_seq);
	if (asof) /* svl_stock_cards gives the figures as of, not these */
		strcpy(ls, "-");
	fmt_table_add(
	    t, c->part_no, c->bin, fmt_qty(oh, c->f.on_hand_milli),
	    fmt_qty(rs, c->f.reserved_milli),
	    fmt_qty(qu, c->f.quarantined_milli),
	    fmt_qty(wo, c->f.wof_held_milli), fmt_money(va, c->f.value_fen),
	    money_or_dash(av, avg_cost(c->f.value_fen, c->f.on_hand_milli)),
	    asof ? "-" : fmt_count(li, (int64_t)c->lines), ls);
}
