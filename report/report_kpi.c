/*
 * report_kpi.c - the department's figures against the seed's targets:
 * tiles for the period, each figure by week and by month as a line with
 * its target, the tables of the numbers (the same rows `svcledger metrics
 * --json` prints for the same dates, cell for cell: the browser test
 * compares them), and small multiples per advisor and per technician.
 *
 * Everything comes from the metrics projection (svl_metrics_get); ratios
 * are the projection's, never recomputed here, except where a chart needs
 * a unit the row does not carry (major complaints per mille of jobs).
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "report_int.h"

/* ---- rows ------------------------------------------------------------------
 */

typedef struct rows {
	svl_metrics_row *v;
	size_t n, cap;
	int rc;
} rows;

static int rows_add(const svl_metrics_row *row, void *payload)
{
	rows *rs = payload;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 64;
		svl_metrics_row *v = realloc(rs->v, cap * sizeof *v);
		if (!v)
			return rs->rc = SVL_ENOMEM;
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *row;
	return 0;
}

static int rows_get(svl__rpt *r, rows *rs, enum svl_metrics_period p,
		    int64_t from_ms, enum svl_metrics_by by)
{
	memset(rs, 0, sizeof *rs);
	int rc = svl_metrics_get(r->l, p, from_ms, r->to_ms, by, rows_add, rs);
	return rs->rc ? rs->rc : rc;
}

static svl_metrics_row rows_total(const rows *rs)
{
	svl_metrics_row t;
	memset(&t, 0, sizeof t);
	for (size_t i = 0; i < rs->n; i++)
		svl_metrics_add(&t.c, &rs->v[i].c);
	svl_metrics_ratios_of(&t.c, &t.r);
	return t;
}

/* ---- the figures shown -----------------------------------------------------
 */

enum kpi_unit { PERMILLE, BP, MILLI, COUNT };

typedef struct kpi {
	const char *name; /* the metrics --json key */
	enum svl__rt label;
	enum kpi_unit unit;
	int has_target;
	int64_t target; /* in the unit */
	enum svl__chart_better better;
	enum svl__rt units; /* of its chart */
} kpi;

static const kpi kpis[] = {
    {"delivered", SVL__RT_K_DELIVERED, COUNT, 0, 0, SVL__BETTER_HIGHER,
     SVL__RT_U_JOBS},
    {"fu_coverage_permille", SVL__RT_K_COVERAGE, PERMILLE, 1, 1000,
     SVL__BETTER_HIGHER, SVL__RT_U_SHARE_JOBS},
    {"fu_success_permille", SVL__RT_K_SUCCESS, PERMILLE, 1, 800,
     SVL__BETTER_HIGHER, SVL__RT_U_SHARE_REACHED},
    {"satisfaction_permille", SVL__RT_K_SATISFIED, PERMILLE, 0, 0,
     SVL__BETTER_HIGHER, SVL__RT_U_SHARE_ANSWERED},
    {"score_avg_milli", SVL__RT_K_SCORE, MILLI, 0, 0, SVL__BETTER_HIGHER,
     SVL__RT__COUNT},
    {"major_complaint_bp", SVL__RT_K_MAJOR, BP, 1, 100, SVL__BETTER_LOWER,
     SVL__RT_U_SHARE_JOBS},
    {"first_time_fix_permille", SVL__RT_K_FTF, PERMILLE, 0, 0,
     SVL__BETTER_HIGHER, SVL__RT_U_SHARE_JOBS},
    {"on_time_permille", SVL__RT_K_ONTIME, PERMILLE, 0, 0, SVL__BETTER_HIGHER,
     SVL__RT_U_SHARE_JOBS},
};
#define N_KPIS (sizeof kpis / sizeof *kpis)

enum {
	K_DELIVERED,
	K_COVERAGE,
	K_SUCCESS,
	K_SATISFIED,
	K_SCORE,
	K_MAJOR,
	K_FTF,
	K_ONTIME
};

/* The row's value of figure k, as metrics --json prints it. */
static int64_t kpi_value(const svl_metrics_row *row, size_t k)
{
	const svl_metrics_ratios *x = &row->r;
	switch (k) {
	case K_DELIVERED:
		return row->c.delivered;
	case K_COVERAGE:
		return x->fu_coverage_permille;
	case K_SUCCESS:
		return x->fu_success_permille;
	case K_SATISFIED:
		return x->satisfaction_permille;
	case K_SCORE:
		return x->score_avg_milli;
	case K_MAJOR:
		return x->major_complaint_bp;
	case K_FTF:
		return x->first_time_fix_permille;
	default:
		return x->on_time_permille;
	}
}

/* 1 met, 2 missed, 0 no target or no value. */
static int kpi_state(size_t k, int64_t v)
{
	if (!kpis[k].has_target || v == SVL_METRICS_NONE)
		return 0;
	if (kpis[k].better == SVL__BETTER_HIGHER)
		return v >= kpis[k].target ? 1 : 2;
	return v <= kpis[k].target ? 1 : 2;
}

/* The value as text: per mille as "87.5%", basis points as "1.02%", a
 * score's thousandths with two decimals. */
static void kpi_text(svl__rpt *r, size_t k, int64_t v)
{
	switch (kpis[k].unit) {
	case PERMILLE:
		svl__rpt_num(r, SVL__CHART_PERMILLE, v);
		break;
	case BP:
		svl__rpt_num(r, SVL__CHART_FEN, v);
		svl__rpt_raw(r, "%");
		break;
	case MILLI:
		svl__rpt_num(r, SVL__CHART_FEN, (v + 5) / 10);
		break;
	default:
		svl__rpt_num(r, SVL__CHART_COUNT, v);
	}
}

/* ---- tables ----------------------------------------------------------------
 */

static void kpi_cell(svl__rpt *r, const svl_metrics_row *row, size_t k)
{
	static const char *const cls[] = {"n", "n met", "n missed"};
	int64_t v = kpi_value(row, k);
	int none = k != K_DELIVERED && v == SVL_METRICS_NONE;
	if (none) {
		svl__sbuf_printf(r->out,
				 "<td class=\"n\" data-kpi=\"%s\" "
				 "data-value=\"\">-</td>",
				 kpis[k].name);
		return;
	}
	svl__sbuf_printf(
	    r->out, "<td class=\"%s\" data-kpi=\"%s\" data-value=\"%lld\">",
	    cls[kpi_state(k, v)], kpis[k].name, (long long)v);
	kpi_text(r, k, v);
	svl__rpt_raw(r, "</td>");
}

static void kpi_heads(enum svl__rt first, enum svl__rt *heads)
{
	heads[0] = first;
	for (size_t k = 0; k < N_KPIS; k++)
		heads[k + 1] = kpis[k].label;
}

static void kpi_row(svl__rpt *r, const svl_metrics_row *row, const char *label,
		    const char *text)
{
	svl__rpt_raw(r, strcmp(label, "total") ? "<tr data-label=\""
					       : "<tr class=\"total\" "
						 "data-label=\"");
	svl__rpt_esc(r, label);
	svl__rpt_raw(r, "\"><td>");
	svl__rpt_esc(r, text);
	svl__rpt_raw(r, "</td>");
	for (size_t k = 0; k < N_KPIS; k++)
		kpi_cell(r, row, k);
	svl__rpt_raw(r, "</tr>\n");
}

static void kpi_table(svl__rpt *r, const rows *rs, const char *kind)
{
	enum svl__rt heads[N_KPIS + 1];
	char attrs[64];
	kpi_heads(SVL__RT_COL_PERIOD, heads);
	snprintf(attrs, sizeof attrs, "data-period-kind=\"%s\"", kind);
	svl__rpt_table(r, "kpi", attrs, heads, N_KPIS + 1, 1u);
	for (size_t i = 0; i < rs->n; i++)
		kpi_row(r, &rs->v[i], rs->v[i].label, rs->v[i].label);
	svl_metrics_row t = rows_total(rs);
	kpi_row(r, &t, "total", svl__rpt_t(r, SVL__RT_TOTAL));
	svl__rpt_table_end(r);
}

/* ---- charts
 * ------------------------------------------------------------------ */

/* What a chart draws of figure k: per mille everywhere (a basis-point
 * rate is drawn per mille of jobs, from the row's counters). */
static int64_t chart_value(const svl_metrics_row *row, size_t k, int *present)
{
	int64_t v;
	if (k == K_MAJOR)
		v = svl__rpt_ratio(row->c.major_complaints, row->c.delivered,
				   1000);
	else
		v = kpi_value(row, k);
	*present = v != SVL_METRICS_NONE;
	return *present ? v : 0;
}

static int64_t chart_target(size_t k)
{
	return kpis[k].unit == BP ? kpis[k].target / 10 : kpis[k].target;
}

/* The series of figure k over rows' periods into a chart spec. */
typedef struct series_buf {
	int64_t v[SVL__CHART_PERIODS_MAX];
	unsigned char present[SVL__CHART_PERIODS_MAX];
	const char *labels[SVL__CHART_PERIODS_MAX];
} series_buf;

static size_t series_of(const rows *rs, size_t k, series_buf *b)
{
	size_t n =
	    rs->n < SVL__CHART_PERIODS_MAX ? rs->n : SVL__CHART_PERIODS_MAX;
	for (size_t i = 0; i < n; i++) {
		int present;
		b->v[i] = chart_value(&rs->v[i], k, &present);
		b->present[i] = (unsigned char)present;
		b->labels[i] = rs->v[i].label;
	}
	return n;
}

static int kpi_chart(svl__rpt *r, const series_buf *b, size_t n, size_t k,
		     const char *title, const char *name,
		     enum svl__chart_size size, const int64_t *domain)
{
	char source[200];
	struct svl__chart_series s = {name, b->v, b->present};
	struct svl__line_chart c;
	memset(&c, 0, sizeof c);
	c.text.title = title;
	c.text.units = svl__rpt_t(r, kpis[k].units);
	c.text.source =
	    svl__rpt_source(r, SVL__RT_SRC_METRICS, source, sizeof source);
	c.fmt = kpis[k].unit == COUNT ? SVL__CHART_COUNT : SVL__CHART_PERMILLE;
	c.size = size;
	c.x_labels = b->labels;
	c.n_x = n;
	c.series = &s;
	c.n_series = 1;
	c.has_target = kpis[k].has_target;
	c.target = chart_target(k);
	c.better = kpis[k].better;
	c.zero_based = kpis[k].unit == COUNT || k == K_MAJOR;
	if (domain) {
		c.has_domain = 1;
		c.domain_lo = domain[0];
		c.domain_hi = domain[1];
	}
	c.text.lang = svl__rpt_lang(r);
	svl__rpt_fig(r, size == SVL__CHART_SMALL);
	int rc = svl__chart_line(r->out, &c);
	svl__rpt_fig_end(r);
	return rc;
}

/* One small chart per figure with a ratio (the score is in the table). */
static int kpi_grid(svl__rpt *r, const rows *rs)
{
	series_buf b;
	int rc = SVL_OK;
	svl__rpt_raw(r, "<div class=\"grid\">\n");
	for (size_t k = 0; rc == SVL_OK && k < N_KPIS; k++) {
		if (k == K_SCORE)
			continue;
		size_t n = series_of(rs, k, &b);
		rc = kpi_chart(r, &b, n, k, svl__rpt_t(r, kpis[k].label),
			       svl__rpt_t(r, kpis[k].label), SVL__CHART_SMALL,
			       NULL);
	}
	svl__rpt_raw(r, "</div>\n");
	return rc;
}

/* ---- per person
 * --------------------------------------------------------------- */

/* The person rows (weeks of every key, in period then key order)
 * regrouped: the week labels of `weeks`, one series per key. */
static int person_grid(svl__rpt *r, const rows *weeks, const rows *people,
		       size_t k)
{
	series_buf b;
	int64_t domain[2] = {chart_target(k), 1000};
	size_t n = weeks->n < SVL__CHART_PERIODS_MAX ? weeks->n
						     : SVL__CHART_PERIODS_MAX;
	for (size_t i = 0; i < people->n; i++) {
		int present;
		int64_t v = chart_value(&people->v[i], k, &present);
		if (present && v < domain[0])
			domain[0] = v;
	}
	int rc = SVL_OK;
	svl__rpt_raw(r, "<div class=\"grid\">\n");
	for (size_t i = 0; rc == SVL_OK && i < people->n; i++) {
		const char *key = people->v[i].key;
		size_t j;
		for (j = 0; j < i && strcmp(people->v[j].key, key); j++)
			;
		if (j < i)
			continue; /* drawn with its first row */
		for (size_t w = 0; w < n; w++) {
			b.labels[w] = weeks->v[w].label;
			b.v[w] = 0;
			b.present[w] = 0;
		}
		for (size_t x = i; x < people->n; x++) {
			if (strcmp(people->v[x].key, key))
				continue;
			for (size_t w = 0; w < n; w++) {
				int present;
				if (weeks->v[w].period_day !=
				    people->v[x].period_day)
					continue;
				b.v[w] =
				    chart_value(&people->v[x], k, &present);
				b.present[w] = (unsigned char)present;
			}
		}
		rc = kpi_chart(r, &b, n, k, key, key, SVL__CHART_SMALL, domain);
	}
	svl__rpt_raw(r, "</div>\n");
	return rc;
}

/* The period's rows per person (months of the period, summed by key). */
static void person_table(svl__rpt *r, rows *months, enum svl__rt who)
{
	enum svl__rt heads[N_KPIS + 1];
	kpi_heads(who, heads);
	svl__rpt_table(r, "kpi-people", NULL, heads, N_KPIS + 1, 1u);
	for (size_t i = 0; i < months->n; i++) {
		svl_metrics_row t = months->v[i];
		size_t j;
		for (j = 0; j < i && strcmp(months->v[j].key, t.key); j++)
			;
		if (j < i)
			continue;
		for (size_t x = i + 1; x < months->n; x++)
			if (!strcmp(months->v[x].key, t.key))
				svl_metrics_add(&t.c, &months->v[x].c);
		svl_metrics_ratios_of(&t.c, &t.r);
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, t.key);
		for (size_t k = 0; k < N_KPIS; k++) {
			svl__rpt_raw(r, "<td class=\"n\">");
			int64_t v = kpi_value(&t, k);
			if (k != K_DELIVERED && v == SVL_METRICS_NONE)
				svl__rpt_raw(r, "-");
			else
				kpi_text(r, k, v);
			svl__rpt_raw(r, "</td>");
		}
		svl__rpt_raw(r, "</tr>\n");
	}
	svl__rpt_table_end(r);
}

static int people(svl__rpt *r, const rows *weeks, enum svl_metrics_by by,
		  size_t k, enum svl__rt title, enum svl__rt totals,
		  enum svl__rt who)
{
	rows pw, pm;
	int rc = rows_get(r, &pw, SVL_METRICS_WEEK, r->from_ms, by);
	if (rc == SVL_OK)
		rc = rows_get(r, &pm, SVL_METRICS_MONTH, r->from_ms, by);
	else
		memset(&pm, 0, sizeof pm);
	if (rc == SVL_OK) {
		svl__rpt_h3(r, title);
		rc = person_grid(r, weeks, &pw, k);
		svl__rpt_h3(r, totals);
		person_table(r, &pm, who);
	}
	free(pw.v);
	free(pm.v);
	return rc;
}

/* ---- the section
 * ---------------------------------------------------------------- */

static void tiles(svl__rpt *r, const svl_metrics_row *t)
{
	svl__rpt_raw(r, SVL__RPT_TILES_OPEN);
	for (size_t k = 0; k < N_KPIS; k++) {
		int64_t v = kpi_value(t, k);
		int present = k == K_DELIVERED || v != SVL_METRICS_NONE;
		enum svl__chart_fmt fmt = SVL__CHART_PERMILLE;
		if (kpis[k].unit == COUNT) {
			fmt = SVL__CHART_COUNT;
		} else if (kpis[k].unit == BP) {
			v = svl__rpt_ratio(t->c.major_complaints,
					   t->c.delivered, 1000);
		} else if (kpis[k].unit == MILLI) {
			fmt = SVL__CHART_FEN;
			v = (v + 5) / 10;
		}
		svl__rpt_tile(r, kpis[k].label, fmt, v, present,
			      kpi_state(k, kpi_value(t, k)));
	}
	svl__rpt_raw(r, SVL__RPT_TILES_CLOSE);
}

int svl__rpt_kpi(svl__rpt *r)
{
	char attrs[160], a[16], b[16], c[16];
	snprintf(
	    attrs, sizeof attrs,
	    "data-from=\"%s\" data-to=\"%s\" data-trend-from=\"%s\"",
	    svl__fmt_day(a, sizeof a, r->from_day),
	    svl__fmt_day(b, sizeof b, r->to_day),
	    svl__fmt_day(c, sizeof c, svl__local_day(r->trend_from_ms, r->tz)));
	rows weeks, months, period;
	memset(&months, 0, sizeof months);
	memset(&period, 0, sizeof period);
	int rc = rows_get(r, &weeks, SVL_METRICS_WEEK, r->from_ms,
			  SVL_METRICS_OVERALL);
	if (rc == SVL_OK)
		rc = rows_get(r, &months, SVL_METRICS_MONTH, r->trend_from_ms,
			      SVL_METRICS_OVERALL);
	if (rc == SVL_OK)
		rc = rows_get(r, &period, SVL_METRICS_MONTH, r->from_ms,
			      SVL_METRICS_OVERALL);
	if (rc == SVL_OK) {
		svl__rpt_section(r, "kpi", attrs, SVL__RT_S_KPI,
				 SVL__RT_S_KPI_LEAD);
		svl_metrics_row t = rows_total(&period);
		tiles(r, &t);
		if (!t.c.delivered)
			svl__rpt_note(r, SVL__RT_NO_JOBS);
		svl__rpt_h3(r, SVL__RT_BY_WEEK);
		rc = kpi_grid(r, &weeks);
		kpi_table(r, &weeks, "week");
	}
	if (rc == SVL_OK) {
		svl__rpt_h3(r, SVL__RT_BY_MONTH);
		rc = kpi_grid(r, &months);
		kpi_table(r, &months, "month");
	}
	if (rc == SVL_OK)
		rc = people(r, &weeks, SVL_METRICS_ADVISOR, K_SUCCESS,
			    SVL__RT_BY_ADVISOR, SVL__RT_TOTALS_ADVISOR,
			    SVL__RT_COL_ADVISOR);
	if (rc == SVL_OK)
		rc = people(r, &weeks, SVL_METRICS_TECHNICIAN, K_FTF,
			    SVL__RT_BY_TECH, SVL__RT_TOTALS_TECH,
			    SVL__RT_COL_TECH);
	if (rc == SVL_OK)
		svl__rpt_section_end(r);
	free(weeks.v);
	free(months.v);
	free(period.v);
	return rc;
}
