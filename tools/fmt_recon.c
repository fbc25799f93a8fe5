/*
 * fmt_recon.c - a reconciliation report (R-STK-1, R-STK-2, R-BIN-2), in
 * the order an auditor works through a count:
 *   1. each counted line against the book as of the count, and under each
 *      line with a variance the movements since its previous count that
 *      explain it;
 *   2. the reconciling items: goods that are legitimately not on the
 *      shelf (on open work orders, old parts not back, quarantine, supplier
 *      claims, written off but not yet disposed);
 *   3. the summary: accuracy, and the variance value net and absolute
 *      (gains and losses never netted in the absolute figure).
 * A variance is a finding, not an error: nothing here decides anything.
 */
#include <string.h>

#include "cli.h"
#include "fmt.h"

static void line_row(fmt_table *t, const svl_recon_line *l)
{
	char sl[FMT_NUM_SIZE], bk[FMT_NUM_SIZE], ct[FMT_NUM_SIZE];
	char va[FMT_NUM_SIZE], uc[FMT_NUM_SIZE], vv[FMT_NUM_SIZE];
	char av[FMT_NUM_SIZE], pc[FMT_NUM_SIZE];
	snprintf(sl, sizeof sl, "%u", l->count.sheet_line);
	fmt_table_add(
	    t, sl, l->count.bin, l->count.part_no, fmt_qty(bk, l->book_milli),
	    fmt_qty(ct, l->count.counted_milli), fmt_qty(va, l->variance_milli),
	    fmt_money(uc, l->unit_cost_fen),
	    fmt_money(vv, l->variance_value_fen),
	    fmt_money(av, l->abs_variance_value_fen),
	    fmt_bp(pc, l->variance_bp), l->count.counter);
}

static int print_lines(FILE *f, const svl_reconcile_result *r)
{
	static const fmt_col cols[] = {
	    {"line", 'r'},	{"bin", 'l'},	  {"part", 'l'},
	    {"book", 'r'},	{"counted", 'r'}, {"variance", 'r'},
	    {"unit cost", 'r'}, {"value", 'r'},	  {"abs value", 'r'},
	    {"%", 'r'},		{"counter", 'l'}};
	fmt_table *t = fmt_table_new(cols, 11);
	for (size_t i = 0; i < r->n; i++)
		line_row(t, &r->lines[i]);
	int rc = fmt_table_print(t, f, 2);
	fmt_table_free(t);
	return rc;
}

static int print_moves(FILE *f, const svl_recon_line *l, int32_t tz)
{
	static const fmt_col cols[] = {{"seq", 'r'},	      {"date", 'l'},
				       {"document", 'l'},     {"doc", 'l'},
				       {"counterparty", 'l'}, {"in", 'r'},
				       {"out", 'r'},	      {"balance", 'r'}};
	char when[FMT_TIME_SIZE], q[FMT_NUM_SIZE], n[FMT_NUM_SIZE];
	fprintf(f, _("\n  line %u, %s at %s: "), l->count.sheet_line,
		l->count.part_no, l->count.bin);
	if (l->prev_count_at_ms)
		fprintf(f, _("previous count %s found %s; "),
			fmt_time(when, l->prev_count_at_ms, tz),
			fmt_qty(q, l->prev_counted_milli));
	else
		fputs(_("no previous count; "), f);
	size_t moves = l->n_moves + l->moves_omitted;
	if (moves)
		fprintf(f, _("%s movement%s since"),
			fmt_count(n, (int64_t)moves), moves == 1 ? "" : "s");
	else
		fputs(_("no movement on the card: nothing on the book explains "
			"it"),
		      f);
	if (l->moves_omitted)
		fprintf(f, _(" (the %zu oldest not shown)"), l->moves_omitted);
	fputc('\n', f);
	if (l->n_moves == 0)
		return ferror(f) ? -1 : 0;
	/* The moves come in business-time order; the card's own balance
	 * column is in the order the book recorded them. Show the balance
	 * in the order shown instead, back from the book at the count, so
	 * that the column reads as the shelf saw it. */
	int64_t bal = l->book_milli;
	for (size_t i = 0; i < l->n_moves; i++)
		bal -= l->moves[i].in_milli - l->moves[i].out_milli;
	fmt_table *t = fmt_table_new(cols, 8);
	for (size_t i = 0; i < l->n_moves; i++) {
		const svl_stock_line *m = &l->moves[i];
		char seq[FMT_NUM_SIZE], ty[FMT_NUM_SIZE], in[FMT_NUM_SIZE] = "";
		char out[FMT_NUM_SIZE] = "", b[FMT_NUM_SIZE];
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)m->seq);
		if (m->in_milli)
			fmt_qty(in, m->in_milli);
		if (m->out_milli)
			fmt_qty(out, m->out_milli);
		bal += m->in_milli - m->out_milli;
		fmt_table_add(t, seq, fmt_time(when, m->occurred_at_ms, tz),
			      fmt_type_name(m->type, ty), m->doc,
			      m->counterparty, in, out, fmt_qty(b, bal));
	}
	int rc = fmt_table_print(t, f, 4);
	fmt_table_free(t);
	return rc;
}

static int has_items(const svl_stock_figures *x)
{
	return x->unsettled_issued_milli || x->old_parts_pending_milli ||
	       x->quarantined_milli || x->claims_pending_milli ||
	       x->wof_held_milli;
}

static void items_row(fmt_table *t, const char *bin, const char *part,
		      int64_t unsettled, int64_t old, int64_t quar,
		      int64_t quar_fen, int64_t claims, int64_t wof,
		      int64_t wof_fen)
{
	char a[FMT_NUM_SIZE], b[FMT_NUM_SIZE], c[FMT_NUM_SIZE];
	char d[FMT_NUM_SIZE], e[FMT_NUM_SIZE], g[FMT_NUM_SIZE];
	char h[FMT_NUM_SIZE];
	fmt_table_add(t, bin, part, fmt_qty(a, unsettled), fmt_qty(b, old),
		      fmt_qty(c, quar), fmt_money(d, quar_fen),
		      fmt_qty(e, claims), fmt_qty(g, wof),
		      fmt_money(h, wof_fen));
}

static int print_items(FILE *f, const svl_reconcile_result *r)
{
	static const fmt_col cols[] = {{"bin", 'l'},
				       {"part", 'l'},
				       {"on open jobs", 'r'},
				       {"old parts not back", 'r'},
				       {"quarantined", 'r'},
				       {"value", 'r'},
				       {"claims pending", 'r'},
				       {"w/o not disposed", 'r'},
				       {"value", 'r'}};
	fmt_table *t = fmt_table_new(cols, 9);
	for (size_t i = 0; i < r->n; i++) {
		const svl_recon_line *l = &r->lines[i];
		const svl_stock_figures *x = &l->figures;
		if (has_items(x))
			items_row(
			    t, l->count.bin, l->count.part_no,
			    x->unsettled_issued_milli,
			    x->old_parts_pending_milli, x->quarantined_milli,
			    x->quarantined_value_fen, x->claims_pending_milli,
			    x->wof_held_milli, x->wof_held_value_fen);
	}
	if (fmt_table_rows(t) == 0) {
		fmt_table_free(t);
		fputs(_("  none on the counted cards\n"), f);
		return ferror(f) ? -1 : 0;
	}
	const svl_recon_summary *s = &r->summary;
	items_row(t, _("total"), "", s->unsettled_issued_milli,
		  s->old_parts_pending_milli, s->quarantined_milli,
		  s->quarantined_value_fen, s->claims_pending_milli,
		  s->wof_held_milli, s->wof_held_value_fen);
	int rc = fmt_table_print(t, f, 2);
	fmt_table_free(t);
	return rc;
}

static void print_summary(FILE *f, const svl_recon_summary *s)
{
	char a[FMT_NUM_SIZE], b[FMT_NUM_SIZE], c[FMT_NUM_SIZE];
	char d[FMT_NUM_SIZE], e[FMT_NUM_SIZE], g[FMT_NUM_SIZE];
	fprintf(f,
		_("  lines counted %s, agreeing with the book %s, accuracy "
		  "%s\n"),
		fmt_count(a, (int64_t)s->lines),
		fmt_count(b, (int64_t)s->lines_exact),
		s->lines ? fmt_bp(c, s->accuracy_bp) : "-");
	fprintf(f,
		_("  gains %s, losses %s, net variance %s, absolute "
		  "variance %s (gains + losses, never netted)\n"),
		fmt_money(d, s->gains_value_fen),
		fmt_money(e, s->losses_value_fen),
		fmt_money(g, s->net_variance_value_fen),
		fmt_money(a, s->abs_variance_value_fen));
}

int print_reconcile(FILE *f, const svl_reconcile_result *r, int32_t tz)
{
	char when[FMT_TIME_SIZE], z[FMT_NUM_SIZE], n[FMT_NUM_SIZE];
	fprintf(f,
		_("reconciliation of %s count line%s at %s (%s); book as of "
		  "the count by business time, read at seq %llu\n\n"
		  "1. lines (money in yuan; %% = variance / book)\n"),
		fmt_count(n, (int64_t)r->n), r->n == 1 ? "" : "s",
		fmt_time(when, r->count_at_ms, tz), fmt_tz(z, tz),
		(unsigned long long)r->book_seq);
	if (print_lines(f, r) != 0)
		return -1;
	size_t explained = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->lines[i].variance_milli == 0)
			continue;
		if (!explained++)
			fputs(_("\n   movements since the previous count, for "
				"each "
				"line with a variance\n   (in the order they "
				"happened; balance: on hand after each):\n"),
			      f);
		if (print_moves(f, &r->lines[i], tz) != 0)
			return -1;
	}
	fputs(_("\n2. reconciling items (as of the count)\n"), f);
	if (print_items(f, r) != 0)
		return -1;
	fputs(_("\n3. summary\n"), f);
	print_summary(f, &r->summary);
	return ferror(f) ? -1 : 0;
}

/* ---- JSON ---- */

static json_t *json_line(const svl_recon_line *l, int32_t tz)
{
	json_t *moves = json_array();
	for (size_t i = 0; moves && i < l->n_moves; i++)
		if (json_array_append_new(moves,
					  json_stock_line(&l->moves[i], tz))) {
			json_decref(moves);
			moves = NULL;
		}
	json_t *bp = l->variance_bp == INT64_MAX
			 ? json_null()
			 : json_integer((json_int_t)l->variance_bp);
	return json_pack(
	    "{s:i,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:I,s:I,s:I,"
	    "s:o}",
	    "sheet_line", (int)l->count.sheet_line, "bin", l->count.bin,
	    "part_no", l->count.part_no, "counter", l->count.counter,
	    "counted_milli", (json_int_t)l->count.counted_milli, "book_milli",
	    (json_int_t)l->book_milli, "variance_milli",
	    (json_int_t)l->variance_milli, "unit_cost_fen",
	    (json_int_t)l->unit_cost_fen, "variance_value_fen",
	    (json_int_t)l->variance_value_fen, "abs_variance_value_fen",
	    (json_int_t)l->abs_variance_value_fen, "variance_bp", bp, "figures",
	    json_stock_figures(&l->figures), "prev_count_at_ms",
	    (json_int_t)l->prev_count_at_ms, "prev_counted_milli",
	    (json_int_t)l->prev_counted_milli, "moves_omitted",
	    (json_int_t)l->moves_omitted, "moves", moves);
}

static json_t *json_summary(const svl_recon_summary *s)
{
	return json_pack(
	    "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
	    "lines", (json_int_t)s->lines, "lines_exact",
	    (json_int_t)s->lines_exact, "accuracy_bp",
	    (json_int_t)s->accuracy_bp, "net_variance_value_fen",
	    (json_int_t)s->net_variance_value_fen, "abs_variance_value_fen",
	    (json_int_t)s->abs_variance_value_fen, "gains_value_fen",
	    (json_int_t)s->gains_value_fen, "losses_value_fen",
	    (json_int_t)s->losses_value_fen, "unsettled_issued_milli",
	    (json_int_t)s->unsettled_issued_milli, "old_parts_pending_milli",
	    (json_int_t)s->old_parts_pending_milli, "quarantined_milli",
	    (json_int_t)s->quarantined_milli, "quarantined_value_fen",
	    (json_int_t)s->quarantined_value_fen, "claims_pending_milli",
	    (json_int_t)s->claims_pending_milli, "wof_held_milli",
	    (json_int_t)s->wof_held_milli, "wof_held_value_fen",
	    (json_int_t)s->wof_held_value_fen);
}

json_t *json_reconcile(const svl_reconcile_result *r, int32_t tz)
{
	char iso[FMT_TIME_SIZE];
	json_t *lines = json_array();
	for (size_t i = 0; lines && i < r->n; i++)
		if (json_array_append_new(lines, json_line(&r->lines[i], tz))) {
			json_decref(lines);
			lines = NULL;
		}
	return json_pack("{s:I,s:s,s:I,s:o,s:o}", "count_at_ms",
			 (json_int_t)r->count_at_ms, "count_at",
			 fmt_iso(iso, r->count_at_ms, tz), "book_seq",
			 (json_int_t)r->book_seq, "lines", lines, "summary",
			 json_summary(&r->summary));
}
