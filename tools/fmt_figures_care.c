/*
 * fmt_figures_care.c - the after-care part of the figures report
 * (svl_figures.h) as the front desk supervisor and the service manager
 * read it: per period the follow-ups (R-FU-7, success against R-FU-2's
 * 80%), the complaints' resolution, the lost customers and the warranty
 * warnings (R-FU-8, R-BKG-7); then the quality problems and the
 * satisfaction by department, the lost customers by reason; then the
 * lists: the daily problems, the complaint-resolution table, the lost
 * customers, the warning vehicles with their hand-off.
 *
 * A table shows the periods with something in it; the total row when
 * there is more than one period. Names of departments, reasons, classes
 * and outcomes are the catalog's.
 */
#include <string.h>

#include "cli.h"
#include "fmt_figures.h"

/* ---- names ---- */

static const char *enum_name(uint32_t type, int field, int k)
{
	const svl_event_type *t = svl_event_type_get(type);
	const svl_enum_def *e = t ? t->fields[field].enum_def : NULL;
	return e && k >= 0 && (uint32_t)k < e->n ? e->values[k] : "-";
}

const char *fmt_fig_dept_name(int d)
{
	if (d == SVL_FIGURES_DEPT_UNASSIGNED)
		return "unassigned";
	return enum_name(SVL_T_COMPLAINT_PLAN_APPROVED,
			 SVL_F_COMPLAINT_PLAN_APPROVED_DEPARTMENT, d);
}

const char *fmt_fig_lost_reason_name(int k)
{
	return enum_name(SVL_T_CUSTOMER_LOST, SVL_F_CUSTOMER_LOST_REASON, k);
}

const char *fmt_fig_severity_name(int k)
{
	return enum_name(SVL_T_COMPLAINT_CLASSIFIED,
			 SVL_F_COMPLAINT_CLASSIFIED_SEVERITY, k);
}

const char *fmt_fig_outcome_name(int k)
{
	return enum_name(SVL_T_WARNING_HANDED_OFF,
			 SVL_F_WARNING_HANDED_OFF_OUTCOME, k);
}

/* ---- the periods ---- */

static int care_any(const svl_figures_counts *c)
{
	return c->fu_calls || c->fu_reached || c->fu_failed || c->fu_problems ||
	       c->complaints || c->lost || c->warnings;
}

static void care_row(fmt_table *t, const svl_figures_row *w)
{
	const svl_figures_counts *c = &w->c;
	char n[14][FMT_NUM_SIZE], x[FMT_NUM_SIZE], m[FMT_MARK_SIZE];
	fmt_table_add(
	    t, _(w->label), fmt_count(n[0], c->fu_calls),
	    fmt_count(n[1], c->fu_reached), fmt_count(n[2], c->fu_failed),
	    fmt_with_mark(m, fmt_permille(x, w->r.fu_success_permille),
			  fmt_met_min(w->r.fu_success_permille,
				      SVL_FIGURES_TARGET_FU_SUCCESS_PERMILLE),
			  "below"),
	    fmt_count(n[3], c->fu_problems), fmt_count(n[4], c->complaints),
	    fmt_count(n[5], c->cmp_major), fmt_count(n[6], c->cmp_resolved),
	    fmt_count(n[7], c->cmp_on_time), fmt_count(n[8], c->cmp_late),
	    fmt_count(n[9], c->cmp_confirmed), fmt_count(n[10], c->lost),
	    fmt_count(n[11], c->warnings),
	    fmt_count(n[12], c->warnings_handed_off),
	    fmt_count(n[13], c->warnings - c->warnings_handed_off));
}

static int print_care_periods(FILE *f, const svl_figures *r)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},	 {"follow-ups", 'r'}, {"reached", 'r'},
	    {"failed", 'r'},	 {"success", 'r'},    {"problems", 'r'},
	    {"complaints", 'r'}, {"major", 'r'},      {"resolved", 'r'},
	    {"on time", 'r'},	 {"late", 'r'},	      {"confirmed", 'r'},
	    {"lost", 'r'},	 {"warnings", 'r'},   {"handed off", 'r'},
	    {"pending", 'r'}};
	fprintf(f,
		_("\nafter-care per %s (R-FU-7 follow-ups and the problems "
		  "they found, R-FU-8 complaints and lost customers, R-BKG-7 "
		  "warranty warnings)\n"),
		_(fmt_metrics_period_name(r->period)));
	fmt_table *t = fmt_table_new(cols, 16);
	for (size_t i = 0; i < r->n_rows; i++)
		if (care_any(&r->rows[i].c))
			care_row(t, &r->rows[i]);
	if (r->n_rows > 1)
		care_row(t, &r->total);
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	fprintf(f,
		_("targets: follow-up success >= 80%% (R-FU-2); follow-ups "
		  "and jobs settled count in the period of the call, "
		  "complaints in that of their opening (on time: resolved by "
		  "the general manager's deadline); the month's rows are the "
		  "report due to the service manager by the 3rd of the next "
		  "month (R-FU-7, R-FU-8)\n"));
	return rc;
}

/* Problems and satisfaction by department: one column per department. */
static void dept_row(fmt_table *t, const svl_figures_row *w, int sat)
{
	char cell[SVL_FIGURES_DEPTS][2 * FMT_NUM_SIZE];
	const char *cells[SVL_FIGURES_DEPTS + 1] = {_(w->label)};
	for (int d = 0; d < SVL_FIGURES_DEPTS; d++) {
		char a[FMT_NUM_SIZE];
		if (!sat)
			fmt_count(cell[d], w->c.fu_problems_dept[d]);
		else if (!w->c.sat_answers[d])
			strcpy(cell[d], "-");
		else /* hundredths of a point, rounded half up */
			snprintf(cell[d], sizeof cell[d], "%lld.%02lld (%s)",
				 (long long)(w->r.sat_avg_milli[d] + 5) / 1000,
				 (long long)(w->r.sat_avg_milli[d] + 5) / 10 %
				     100,
				 fmt_count(a, w->c.sat_answers[d]));
		cells[d + 1] = cell[d];
	}
	fmt_table_addv(t, cells);
}

static int row_has(const svl_figures_row *w, int sat)
{
	int64_t n = 0;
	for (int d = 0; d < SVL_FIGURES_DEPTS; d++)
		n += sat ? w->c.sat_answers[d] : w->c.fu_problems_dept[d];
	return n != 0;
}

static int print_depts(FILE *f, const svl_figures *r, int sat)
{
	fmt_col cols[SVL_FIGURES_DEPTS + 1] = {{"period", 'l'}};
	for (int d = 0; d < SVL_FIGURES_DEPTS; d++)
		cols[d + 1] = (fmt_col){fmt_fig_dept_name(d), 'r'};
	fprintf(f, "\n%s%s\n",
		sat ? _("R-FU-8, satisfaction per department: the mean score "
			"(1 to the rule set's scale) of each job's first "
			"reached answer, and how many answered; a call naming "
			"no department counts as unassigned")
		    : _("R-FU-7, quality problems found in follow-ups per "
			"department"),
		row_has(&r->total, sat) ? "" : _(": none"));
	if (!row_has(&r->total, sat))
		return 0;
	fmt_table *t = fmt_table_new(cols, SVL_FIGURES_DEPTS + 1);
	for (size_t i = 0; i < r->n_rows; i++)
		if (row_has(&r->rows[i], sat))
			dept_row(t, &r->rows[i], sat);
	if (r->n_rows > 1)
		dept_row(t, &r->total, sat);
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	return rc;
}

static void reason_row(fmt_table *t, const svl_figures_row *w)
{
	char cell[SVL_FIGURES_LOST_REASONS + 1][FMT_NUM_SIZE];
	const char *cells[SVL_FIGURES_LOST_REASONS + 2] = {_(w->label)};
	for (int k = 0; k < SVL_FIGURES_LOST_REASONS; k++)
		cells[k + 1] = fmt_count(cell[k], w->c.lost_reason[k]);
	cells[SVL_FIGURES_LOST_REASONS + 1] =
	    fmt_count(cell[SVL_FIGURES_LOST_REASONS], w->c.lost);
	fmt_table_addv(t, cells);
}

static int print_reasons(FILE *f, const svl_figures *r)
{
	fmt_col cols[SVL_FIGURES_LOST_REASONS + 2] = {{"period", 'l'}};
	for (int k = 0; k < SVL_FIGURES_LOST_REASONS; k++)
		cols[k + 1] = (fmt_col){fmt_fig_lost_reason_name(k), 'r'};
	cols[SVL_FIGURES_LOST_REASONS + 1] = (fmt_col){"lost", 'r'};
	fprintf(f, _("\nR-FU-8, lost customers by reason%s\n"),
		r->total.c.lost ? "" : _(": none"));
	if (!r->total.c.lost)
		return 0;
	fmt_table *t = fmt_table_new(cols, SVL_FIGURES_LOST_REASONS + 2);
	for (size_t i = 0; i < r->n_rows; i++)
		if (r->rows[i].c.lost)
			reason_row(t, &r->rows[i]);
	if (r->n_rows > 1)
		reason_row(t, &r->total);
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	return rc;
}

/* ---- the lists ---- */

static int print_problems(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"day", 'l'},	    {"called", 'l'},
				       {"work order", 'l'}, {"department", 'l'},
				       {"called by", 'l'},  {"problem", 'l'}};
	size_t k = fmt_fig_heading(f,
				   "R-FU-7, quality problems found in "
				   "follow-up calls, day by day (to the front "
				   "desk supervisor the same day)",
				   r->n_problems, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 6);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_problem *p = &r->problems[i];
		char d[FMT_TIME_SIZE], c[FMT_TIME_SIZE];
		fmt_table_add(t, fmt_date(d, p->called_at_ms, r->tz_offset_min),
			      fmt_time(c, p->called_at_ms, r->tz_offset_min),
			      p->wo_id, _(fmt_fig_dept_name(p->department)),
			      p->who, p->problem);
	}
	return fmt_fig_finish(f, t, r->n_problems, k);
}

static const char *on_time_name(int v)
{
	return v == 1 ? _("on time") : v == 0 ? _("late") : "-";
}

static int print_complaints(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {
	    {"period", 'l'},	{"complaint", 'l'}, {"work order", 'l'},
	    {"opened", 'l'},	{"severity", 'l'},  {"department", 'l'},
	    {"deadline", 'l'},	{"resolved", 'l'},  {"closed", 'l'},
	    {"confirmed", 'l'}, {"on time", 'l'}};
	size_t k = fmt_fig_heading(f,
				   "R-FU-8, complaints opened and their "
				   "resolution (major per R-CMP-5 marked *)",
				   r->n_complaints, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 11);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_complaint *c = &r->complaints[i];
		int32_t tz = r->tz_offset_min;
		char o[FMT_TIME_SIZE], d[FMT_TIME_SIZE], v[FMT_TIME_SIZE];
		char s[FMT_TIME_SIZE], sev[FMT_NUM_SIZE];
		snprintf(sev, sizeof sev, "%s%s",
			 _(fmt_fig_severity_name(c->severity)),
			 c->major ? " *" : "");
		fmt_table_add(t, c->label, c->cmp_id, c->wo_id,
			      fmt_time(o, c->opened_at_ms, tz), sev,
			      _(fmt_fig_dept_name(c->department)),
			      fmt_time(d, c->deadline_at_ms, tz),
			      fmt_time(v, c->resolved_at_ms, tz),
			      fmt_time(s, c->closed_at_ms, tz),
			      c->closed_at_ms
				  ? (c->customer_confirmed ? _("yes") : _("no"))
				  : "-",
			      on_time_name(c->on_time));
	}
	return fmt_fig_finish(f, t, r->n_complaints, k);
}

static int print_lost(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'},	  {"customer", 'l'},
				       {"lost", 'l'},	  {"reason", 'l'},
				       {"last job", 'l'}, {"recorded by", 'l'}};
	size_t k = fmt_fig_heading(f, "R-FU-8, lost customers", r->n_lost, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 6);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_lost *x = &r->lost[i];
		char a[FMT_TIME_SIZE];
		fmt_table_add(t, x->label, x->customer_id,
			      fmt_time(a, x->lost_at_ms, r->tz_offset_min),
			      _(fmt_fig_lost_reason_name(x->reason)), x->wo_id,
			      x->who);
	}
	return fmt_fig_finish(f, t, r->n_lost, k);
}

static int print_warnings(FILE *f, const svl_figures *r, size_t max)
{
	static const fmt_col cols[] = {{"period", 'l'},	    {"work order", 'l'},
				       {"flagged", 'l'},    {"at", 'l'},
				       {"handed off", 'l'}, {"outcome", 'l'},
				       {"supervisor", 'l'}};
	size_t k = fmt_fig_heading(f,
				   "R-BKG-7, warranty-warning vehicles and "
				   "their hand-off to the front desk "
				   "supervisor",
				   r->n_warnings, max);
	if (!k)
		return 0;
	fmt_table *t = fmt_table_new(cols, 7);
	for (size_t i = 0; i < k; i++) {
		const svl_fig_warning *w = &r->warnings[i];
		char a[FMT_TIME_SIZE], h[FMT_TIME_SIZE];
		fmt_table_add(
		    t, w->label, w->wo_id,
		    fmt_time(a, w->flagged_at_ms, r->tz_offset_min),
		    w->flagged_by == SVL_T_BOOKING_REQUESTED ? _("booking")
							     : _("reception"),
		    fmt_time(h, w->handed_off_at_ms, r->tz_offset_min),
		    w->outcome < 0 ? _("PENDING")
				   : fmt_fig_outcome_name(w->outcome),
		    w->who);
	}
	return fmt_fig_finish(f, t, r->n_warnings, k);
}

int print_figures_care(FILE *f, const svl_figures *r, size_t max_lines)
{
	int rc = 0;
	if (!care_any(&r->total.c))
		fprintf(f, _("\nafter-care (R-FU-7, R-FU-8, R-BKG-7): nothing "
			     "counted in that range\n"));
	else {
		rc |= print_care_periods(f, r);
		rc |= print_depts(f, r, 0);
		rc |= print_depts(f, r, 1);
		rc |= print_reasons(f, r);
	}
	rc |= print_problems(f, r, max_lines);
	rc |= print_complaints(f, r, max_lines);
	rc |= print_lost(f, r, max_lines);
	rc |= print_warnings(f, r, max_lines);
	return rc;
}
