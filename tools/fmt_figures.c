/*
 * fmt_figures.c - the figures report (svl_figures.h) as a service manager
 * reads it: one row per period with the seed's targets marked, a total
 * row (the ratios of the summed counters), the targets; then what is
 * behind each figure that misses, one list per figure, each cut at
 * max_lines items.
 *
 * Targets: R-WO-3's 100% is the seed's number (百分之百); the others are
 * rules without exceptions, read as 100% or none (svl_figures.h). The
 * JSON form is fmt_figures_json.c.
 */
#include <string.h>

#include "cli.h"
#include "fmt_figures.h"

/* ---- the periods ---- */

static const char *ratio_mark(char *out, char *buf, int32_t v, int met,
			      const char *miss)
{
	return fmt_with_mark(out, fmt_permille(buf, v), met, miss);
}

static const char *bp_mark(char *out, char *buf, int32_t bp, int met,
			   const char *miss)
{
	if (bp < 0)
		strcpy(buf, "-");
	else
		fmt_bp(buf, bp);
	return fmt_with_mark(out, buf, met, miss);
}

static void period_row(fmt_table *t, const svl_figures_row *w)
{
	const svl_figures_counts *c = &w->c;
	const svl_figures_ratios *r = &w->r;
	char a[FMT_NUM_SIZE], b[FMT_NUM_SIZE], d[FMT_NUM_SIZE];
	char e[FMT_NUM_SIZE], g[FMT_NUM_SIZE];
	char x1[FMT_NUM_SIZE], x2[FMT_NUM_SIZE], x3[FMT_NUM_SIZE];
	char x4[FMT_NUM_SIZE], x5[FMT_NUM_SIZE];
	char m1[FMT_MARK_SIZE], m2[FMT_MARK_SIZE], m3[FMT_MARK_SIZE];
	char m4[FMT_MARK_SIZE], m5[FMT_MARK_SIZE];
	snprintf(g, sizeof g, "%lld/%lld", (long long)c->wof_shares_charged,
		 (long long)c->wof_shares_due);
	fmt_table_add(
	    t, _(w->label), fmt_count(a, c->booked_received),
	    ratio_mark(m1, x1, r->prepick_permille,
		       fmt_met_min(r->prepick_permille,
				   SVL_FIGURES_TARGET_PREPICK_PERMILLE),
		       "below"),
	    fmt_count(b, c->reminders_due),
	    ratio_mark(m2, x2, r->reminded_permille,
		       fmt_met_min(r->reminded_permille,
				   SVL_FIGURES_TARGET_REMINDED_PERMILLE),
		       "below"),
	    fmt_count(d, c->stock_moves),
	    ratio_mark(m3, x3, r->late_entry_permille,
		       fmt_met_max(r->late_entry_permille,
				   SVL_FIGURES_TARGET_LATE_ENTRY_PERMILLE),
		       "over"),
	    fmt_count(e, c->count_lines),
	    bp_mark(m4, x4, r->accuracy_bp,
		    fmt_met_min(r->accuracy_bp, SVL_FIGURES_TARGET_ACCURACY_BP),
		    "below"),
	    g,
	    fmt_with_mark(m5, fmt_count(x5, c->wof_shares_overdue),
			  c->wof_shares_due
			      ? c->wof_shares_overdue <=
				    SVL_FIGURES_TARGET_SHARES_OVERDUE
			      : -1,
			  "over"));
}

static int print_periods(FILE *f, const svl_figures *r)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},	     {"booked jobs", 'r'},
	    {"pre-picked", 'r'},     {"reminders due", 'r'},
	    {"reminded", 'r'},	     {"stock moves", 'r'},
	    {"late entries", 'r'},   {"lines counted", 'r'},
	    {"stock accuracy", 'r'}, {"w/o shares charged", 'r'},
	    {"overdue", 'r'}};
	fmt_table *t = fmt_table_new(cols, 11);
	for (size_t i = 0; i < r->n_rows; i++)
		period_row(t, &r->rows[i]);
	if (r->n_rows > 1)
		period_row(t, &r->total);
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	fprintf(
	    f,
	    _("targets: pre-picked 100%% (R-WO-3, the seed's number); every "
	      "booking reminded an hour before (R-BKG-8); no late entry "
	      "(R-BIN-2: the same day); stock accuracy 100%% (R-BIN-2: book, "
	      "card and goods agree); no write-off share overdue (R-WOF-6, "
	      "%d days)\n"),
	    (int)r->charge_days);
	return rc;
}

/* ---- the lists ---- */

/* The heading of a list, and how many of its n items to show. */
size_t fmt_fig_heading(FILE *f, const char *what, size_t n, size_t max)
{
	if (n == 0) {
		fprintf(f, _("\n%s: none\n"), _(what));
		return 0;
	}
	char c[FMT_NUM_SIZE];
	fprintf(f, _("\n%s: %s\n"), _(what), fmt_count(c, (int64_t)n));
	return max && n > max ? max : n;
}

int fmt_fig_finish(FILE *f, fmt_table *t, size_t n, size_t shown)
{
	char c[FMT_NUM_SIZE];
	int rc = fmt_table_print(t, f, 2);
	fmt_table_free(t);
	if (shown < n)
		fprintf(f, _("  ... and %s more (--max-lines 0 shows all)\n"),
			fmt_count(c, (int64_t)(n - shown)));
	return rc;
}

static int print_prepick(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'},	    {"work order", 'l'},
				       {"slot", 'l'},	    {"received", 'l'},
				       {"first pick", 'l'}, {"pick list", 'l'}};
	size_t k =
	    fmt_fig_heading(f,
			    "R-WO-3, booked jobs whose parts were picked "
			    "after the vehicle was received",
			    r->n_prepick_misses, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 6);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_job *j = &r->prepick_misses[i];
		char s[FMT_TIME_SIZE], v[FMT_TIME_SIZE], p[FMT_TIME_SIZE];
		fmt_table_add(t, j->label, j->wo_id,
			      fmt_time(s, j->slot_at_ms, r->tz_offset_min),
			      fmt_time(v, j->received_at_ms, r->tz_offset_min),
			      fmt_time(p, j->picked_at_ms, r->tz_offset_min),
			      j->pick_id);
	}
	return fmt_fig_finish(f, t, r->n_prepick_misses, k);
}

static int print_unreminded(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'},
				       {"work order", 'l'},
				       {"slot", 'l'},
				       {"remind by", 'l'},
				       {"last reminder", 'l'}};
	size_t k =
	    fmt_fig_heading(f,
			    "R-BKG-8, confirmed bookings not reminded an hour "
			    "before the slot",
			    r->n_unreminded, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 5);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_job *j = &r->unreminded[i];
		char s[FMT_TIME_SIZE], d[FMT_TIME_SIZE], l[FMT_TIME_SIZE];
		fmt_table_add(
		    t, j->label, j->wo_id,
		    fmt_time(s, j->slot_at_ms, r->tz_offset_min),
		    fmt_time(d, j->slot_at_ms - SVL_FIGURES_REMIND_LEAD_MS,
			     r->tz_offset_min),
		    fmt_time(l, j->reminded_at_ms, r->tz_offset_min));
	}
	return fmt_fig_finish(f, t, r->n_unreminded, k);
}

static int print_late(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},   {"part", 'l'},	 {"bin", 'l'},
	    {"document", 'l'}, {"doc", 'l'},	 {"seq", 'r'},
	    {"happened", 'l'}, {"entered", 'l'}, {"days late", 'r'}};
	size_t k =
	    fmt_fig_heading(f,
			    "R-BIN-2, stock movements entered on a later day "
			    "than they happened",
			    r->n_late, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 9);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_late_entry *x = &r->late[i];
		char ty[FMT_NUM_SIZE], sq[FMT_NUM_SIZE], dl[FMT_NUM_SIZE];
		char o[FMT_TIME_SIZE], e[FMT_TIME_SIZE];
		snprintf(sq, sizeof sq, "%llu", (unsigned long long)x->seq);
		fmt_table_add(t, x->label, x->part_no, x->bin,
			      fmt_type_name(x->type, ty), x->doc, sq,
			      fmt_time(o, x->occurred_at_ms, r->tz_offset_min),
			      fmt_time(e, x->recorded_at_ms, r->tz_offset_min),
			      fmt_count(dl, x->days_late));
	}
	return fmt_fig_finish(f, t, r->n_late, k);
}

const char *fmt_stk_kind_name(int kind)
{
	const svl_event_type *t = svl_event_type_get(SVL_T_STOCKTAKE_OPENED);
	const svl_enum_def *e =
	    t ? t->fields[SVL_F_STOCKTAKE_OPENED_KIND].enum_def : NULL;
	return e && kind >= 0 && (uint32_t)kind < e->n ? e->values[kind] : "-";
}

static int print_stocktakes(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'},	  {"stocktake", 'l'},
				       {"kind", 'l'},	  {"book as of", 'l'},
				       {"closed", 'l'},	  {"lines", 'r'},
				       {"agreeing", 'r'}, {"accuracy", 'r'},
				       {"proposed", 'r'}, {"approved", 'r'}};
	size_t k =
	    fmt_fig_heading(f,
			    "stocktakes, each count against the book as of "
			    "its opening (as reconcile reads a count sheet)",
			    r->n_stocktakes, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 10);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_stocktake *s = &r->stocktakes[i];
		char o[FMT_TIME_SIZE], c[FMT_TIME_SIZE], n[FMT_NUM_SIZE];
		char x[FMT_NUM_SIZE], a[FMT_NUM_SIZE], m[FMT_MARK_SIZE];
		char p[FMT_NUM_SIZE], v[FMT_NUM_SIZE];
		fmt_table_add(
		    t, s->label, s->stk_id, fmt_stk_kind_name(s->kind),
		    fmt_time(o, s->opened_at_ms, r->tz_offset_min),
		    fmt_time(c, s->closed_at_ms, r->tz_offset_min),
		    fmt_count(n, s->lines), fmt_count(x, s->lines_exact),
		    bp_mark(m, a, s->accuracy_bp,
			    fmt_met_min(s->accuracy_bp,
					SVL_FIGURES_TARGET_ACCURACY_BP),
			    "below"),
		    fmt_count(p, s->adj_proposed),
		    fmt_count(v, s->adj_approved));
	}
	return fmt_fig_finish(f, t, r->n_stocktakes, k);
}

/* A share: its amount, and who was charged it, or that nobody was. */
static const char *share_cell(char *out, const svl_fig_writeoff *w, int k)
{
	char m[FMT_NUM_SIZE];
	fmt_money(m, w->share_fen[k]);
	if (k == SVL_WOF_COMPANY || w->share_fen[k] <= 0)
		snprintf(out, FMT_MARK_SIZE, "%s", m);
	else if (w->charged_at_ms[k])
		snprintf(out, FMT_MARK_SIZE, "%s %s", m, w->charged_to[k]);
	else
		snprintf(out, FMT_MARK_SIZE, "%s %s", m,
			 w->overdue[k] ? _("overdue") : _("not yet"));
	return out;
}

static int print_writeoffs(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},	    {"write-off", 'l'},
	    {"approved", 'l'},	    {"total", 'r'},
	    {"company", 'r'},	    {"service manager", 'l'},
	    {"parts manager", 'l'}, {"warehouse keeper", 'l'}};
	char what[160];
	snprintf(what, sizeof what,
		 _("R-WOF-6, approved write-offs and who was charged each "
		   "share (a share not charged %d days after the approval is "
		   "overdue)"),
		 (int)r->charge_days);
	size_t k = fmt_fig_heading(f, what, r->n_writeoffs, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 8);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_writeoff *w = &r->writeoffs[i];
		char a[FMT_TIME_SIZE], tot[FMT_NUM_SIZE];
		char s[SVL_WOF_SHARES][FMT_MARK_SIZE];
		fmt_table_add(t, w->label, w->wof_id,
			      fmt_time(a, w->approved_at_ms, r->tz_offset_min),
			      fmt_money(tot, w->total_fen),
			      share_cell(s[0], w, SVL_WOF_COMPANY),
			      share_cell(s[1], w, SVL_WOF_SERVICE_MANAGER),
			      share_cell(s[2], w, SVL_WOF_PARTS_MANAGER),
			      share_cell(s[3], w, SVL_WOF_WAREHOUSE_KEEPER));
	}
	return fmt_fig_finish(f, t, r->n_writeoffs, k);
}

int print_figures(FILE *f, const svl_figures *r, size_t max_lines)
{
	char tz[FMT_NUM_SIZE], at[FMT_TIME_SIZE];
	fprintf(f,
		_("figures per %s (times %s; as the ledger stood at its last "
		  "event, seq %llu, %s)\n"),
		_(fmt_metrics_period_name(r->period)),
		fmt_tz(tz, r->tz_offset_min), (unsigned long long)r->head_seq,
		fmt_time(at, r->as_of_ms, r->tz_offset_min));
	int rc = 0;
	if (r->n_rows == 0)
		fprintf(f, _("nothing counted in that range\n"));
	else
		rc |= print_periods(f, r);
	rc |= print_prepick(f, r, max_lines);
	rc |= print_unreminded(f, r, max_lines);
	rc |= print_late(f, r, max_lines);
	rc |= print_stocktakes(f, r, max_lines);
	rc |= print_writeoffs(f, r, max_lines);
	rc |= print_figures_care(f, r, max_lines);
	rc |= print_figures_trade(f, r, max_lines);
	return rc || ferror(f) ? -1 : 0;
}
