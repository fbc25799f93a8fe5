/*
 * chart.c - the line, bar and stacked bar charts of chart.h; the buffer,
 * the XML escaper, numbers as text and scales are chart_text.c's.
 *
 * Why integers all the way: the ledger's figures are integers, and a
 * report is compared byte for byte across machines; a double printed with
 * %g is neither exact nor the same everywhere. Positions are int64 tenths
 * of a pixel, every product goes through svl__div_round on 128 bits.
 *
 * Every chart is drawn in three steps: check all of its input (nothing
 * is written for a refused chart), pick its scale, then write the <svg>
 * (open: title and desc; heading; body; close: source line).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "msgcat.h"
#include "money.h"
#include "svl_error.h"
#include "svl_events.h"

/* ---- the frame every chart shares --------------------------------------- */

/* Okabe & Ito, with vermillion (#D55E00) kept for breaches and black last
 * (it is also the target's colour, dashed there); yellow is faint on
 * white, so it comes only for a seventh series. */
static const char *const palette[SVL__CHART_SERIES_MAX] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
};
#define BREACH_COLOUR "#D55E00"

struct geom {
	int w, h;		      /* the viewBox, px */
	int left, right, top, bottom; /* margins around the plot, px */
	int title_px, text_px;	      /* font sizes */
	int max_ticks, max_xlabels;
};

static const struct geom geoms[2] = {
    [SVL__CHART_FULL] = {720, 360, 76, 24, 56, 76, 16, 11, 7, 10},
    [SVL__CHART_SMALL] = {320, 200, 56, 12, 44, 56, 12, 9, 5, 4},
};

static const struct geom *geom_of(enum svl__chart_size size)
{
	return size == SVL__CHART_SMALL ? &geoms[SVL__CHART_SMALL]
					: &geoms[SVL__CHART_FULL];
}

/* The plot area in tenths of a pixel. */
static int64_t plot_l(const struct geom *g)
{
	return (int64_t)g->left * 10;
}
static int64_t plot_r(const struct geom *g)
{
	return (int64_t)(g->w - g->right) * 10;
}
static int64_t plot_t(const struct geom *g)
{
	return (int64_t)g->top * 10;
}
static int64_t plot_b(const struct geom *g)
{
	return (int64_t)(g->h - g->bottom) * 10;
}

static void put_text(svl__sbuf *b, int64_t x_dp, int64_t y_dp,
		     const char *attrs, const char *s, size_t max)
{
	char xs[24], ys[24];
	svl__sbuf_printf(b, "<text x=\"%s\" y=\"%s\"%s>", svl__chart_dp(xs, x_dp),
			 svl__chart_dp(ys, y_dp), attrs);
	svl__sbuf_put_xml(b, s, max);
	svl__sbuf_put(b, "</text>\n", 8);
}

static void put_line(svl__sbuf *b, int64_t x1, int64_t y1, int64_t x2,
		     int64_t y2, const char *attrs)
{
	char a[24], c[24], d[24], e[24];
	svl__sbuf_printf(
	    b, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"%s/>\n",
	    svl__chart_dp(a, x1), svl__chart_dp(c, y1), svl__chart_dp(d, x2), svl__chart_dp(e, y2), attrs);
}

/* The chart's own words in the language of its texts. */
static const char *word(const struct svl__chart_text *t, const char *en,
			const char *zh)
{
	return t->lang && svl__lang_is_zh(t->lang) ? zh : en;
}

/* <svg>, its accessible name and the start of its <desc>, which the chart
 * continues and svg_heading closes. */
static void svg_open(svl__sbuf *b, const struct geom *g,
		     const struct svl__chart_text *t, const char *kind)
{
	svl__sbuf_printf(b,
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			 "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
			 "role=\"img\" aria-label=\"",
			 g->w, g->h, g->w, g->h);
	svl__sbuf_put_xml(b, t->title, SVL__CHART_TEXT_MAX);
	svl__sbuf_printf(b,
			 "\" font-family=\"sans-serif\" font-size=\"%d\">\n"
			 "<title>",
			 g->text_px);
	svl__sbuf_put_xml(b, t->title, SVL__CHART_TEXT_MAX);
	svl__sbuf_printf(b, "</title>\n<desc>%s", kind);
}

/* Closes the <desc>; the background, the title and the units (with note,
 * when the value axis does not start at zero). */
static void svg_heading(svl__sbuf *b, const struct geom *g,
			const struct svl__chart_text *t, const char *note)
{
	char attrs[64];
	svl__sbuf_printf(b,
			 "</desc>\n<rect width=\"%d\" height=\"%d\" "
			 "fill=\"#FFFFFF\"/>\n",
			 g->w, g->h);
	snprintf(attrs, sizeof attrs, " font-size=\"%d\" font-weight=\"bold\"",
		 g->title_px);
	put_text(b, 80, (int64_t)(g->title_px + 6) * 10, attrs, t->title,
		 SVL__CHART_TEXT_MAX);
	svl__sbuf_printf(b, "<text x=\"8\" y=\"%d\" fill=\"#444444\">",
			 g->title_px + g->text_px + 14);
	svl__sbuf_put_xml(b, t->units, SVL__CHART_TEXT_MAX);
	if (note) {
		svl__sbuf_put(b, t->units && *t->units ? " \xC2\xB7 " : "",
			      t->units && *t->units ? 4 : 0);
		svl__sbuf_put_xml(b, note, SVL__CHART_TEXT_MAX);
	}
	svl__sbuf_put(b, "</text>\n", 8);
}

static void svg_close(svl__sbuf *b, const struct geom *g,
		      const struct svl__chart_text *t)
{
	put_text(b, 80, (int64_t)(g->h - 6) * 10, " fill=\"#444444\"",
		 t->source, SVL__CHART_TEXT_MAX);
	svl__sbuf_put(b, "</svg>\n", 7);
}

/* A chart with nothing to draw: still its frame, title and source. */
static int chart_no_data(svl__sbuf *b, const struct geom *g,
			 const struct svl__chart_text *t, const char *kind)
{
	svg_open(b, g, t, kind);
	svl__sbuf_printf(b, "%s", word(t, " No data.", " 暂无数据。"));
	svg_heading(b, g, t, NULL);
	put_text(b, (plot_l(g) + plot_r(g)) / 2, (plot_t(g) + plot_b(g)) / 2,
		 " text-anchor=\"middle\" fill=\"#444444\" class=\"no-data\"",
		 word(t, "No data", "暂无数据"), SVL__CHART_TEXT_MAX);
	svg_close(b, g, t);
	return b->rc;
}

/* Grid lines and labels at every tick; the zero line whenever zero is on
 * the axis (never for a floored axis, which does not hold it). */
static void draw_value_axis(svl__sbuf *b, const struct geom *g,
			    const struct svl__scale *s, enum svl__chart_fmt fmt)
{
	char label[32];
	for (int i = 0; i < s->n_ticks; i++) {
		int64_t v = s->lo + (int64_t)i * s->step;
		int64_t y = svl__scale_px_dp(s, v);
		put_line(b, plot_l(g), y, plot_r(g), y,
			 " stroke=\"#DDDDDD\" class=\"grid\"");
		put_text(b, plot_l(g) - 60, y + 35, " text-anchor=\"end\"",
			 svl__chart_fmt_value(label, sizeof label, fmt, v),
			 sizeof label);
	}
	if (s->lo <= 0 && 0 <= s->hi) {
		int64_t y0 = svl__scale_px_dp(s, 0);
		put_line(b, plot_l(g), y0, plot_r(g), y0,
			 " stroke=\"#333333\" class=\"zero\"");
	}
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Bytes of a category label or legend name drawn (the <title>s and the
 * <desc> keep up to SVL__CHART_LABEL_MAX). */
#define XLABEL_MAX 24

/* The centre of band i of n across the plot. */
static int64_t band_mid(const struct geom *g, size_t i, size_t n)
{
	return plot_l(g) +
	       svl__div_round((svl_i128)(2 * i + 1) * (plot_r(g) - plot_l(g)),
			      (svl_i128)(2 * n));
}

/* Roughly how wide the first max bytes of s are drawn, in tenths of a
 * pixel: a full em for a character beyond U+07FF (CJK), 0.6 em for
 * others. No font metrics here: this only keeps labels from colliding. */
static int64_t text_width_dp(const struct geom *g, const char *s, size_t max)
{
	int64_t w = 0;
	const unsigned char *u = (const unsigned char *)nz(s);
	for (size_t i = 0; u[i]; i++) {
		if (i >= max)
			return w + g->text_px * 10; /* the ellipsis */
		if ((u[i] & 0xC0) != 0x80)
			w += u[i] >= 0xE0 ? g->text_px * 10 : g->text_px * 6;
	}
	return w;
}

/* The width of a band when n share the plot. */
static int64_t band_width(const struct geom *g, size_t n)
{
	return svl__div_round((svl_i128)(plot_r(g) - plot_l(g)), (svl_i128)n);
}

/* Category labels under the plot: every k-th, so that at most
 * max_xlabels show and the widest fits its room with a gap. */
static void draw_x_labels(svl__sbuf *b, const struct geom *g,
			  const char *const *labels, size_t n)
{
	size_t every =
	    (n + (size_t)g->max_xlabels - 1) / (size_t)g->max_xlabels;
	int64_t widest = 0, band = band_width(g, n);
	for (size_t i = 0; i < n; i++) {
		int64_t w = text_width_dp(g, labels[i], XLABEL_MAX) + 80;
		widest = w > widest ? w : widest;
	}
	while ((int64_t)every * band < widest && every < n)
		every++;
	for (size_t i = 0; i < n; i += every)
		put_text(b, band_mid(g, i, n),
			 plot_b(g) + (int64_t)(g->text_px + 4) * 10,
			 " text-anchor=\"middle\"", labels[i], XLABEL_MAX);
}

/* Swatches and names below the category labels, in at most two rows;
 * what does not fit the second runs on past the plot's edge (seven
 * series of long names; the names are all in the <desc> too). */
static void draw_legend(svl__sbuf *b, const struct geom *g,
			const char *const *names, size_t n)
{
	int64_t x = plot_l(g),
		y = plot_b(g) + (int64_t)(2 * g->text_px + 12) * 10;
	char xs[24], ys[24];
	int row = 0;
	svl__sbuf_put(b, "<g class=\"legend\">\n", 19);
	for (size_t i = 0; i < n; i++) {
		int64_t w = 140 + text_width_dp(g, names[i], XLABEL_MAX);
		if (i && x + w > plot_r(g) && row == 0) {
			row = 1;
			x = plot_l(g);
			y += (int64_t)(g->text_px + 4) * 10;
		}
		svl__sbuf_printf(b,
				 "<rect x=\"%s\" y=\"%s\" width=\"10\" "
				 "height=\"10\" fill=\"%s\"/>\n",
				 svl__chart_dp(xs, x), svl__chart_dp(ys, y - 90), palette[i]);
		put_text(b, x + 140, y, "", names[i], XLABEL_MAX);
		x += w + 160;
	}
	svl__sbuf_put(b, "</g>\n", 5);
}

/* Checks v against the value limit, naming what it is. */
static int check_value(svl__sbuf *b, int64_t v, const char *what, size_t i,
		       size_t j)
{
	if (v < -SVL__CHART_VALUE_MAX || v > SVL__CHART_VALUE_MAX)
		return svl__sbuf_fail(b, SVL_ELIMIT,
				      "chart: %s [%zu][%zu] = %lld is beyond "
				      "+-%lld",
				      what, i, j, (long long)v,
				      (long long)SVL__CHART_VALUE_MAX);
	return SVL_OK;
}

/* ---- the line chart ----------------------------------------------------- */

static int present_at(const struct svl__chart_series *s, size_t i)
{
	return !s->present || s->present[i];
}

static int breaches(const struct svl__line_chart *c, int64_t v)
{
	if (!c->has_target)
		return 0;
	return c->better == SVL__BETTER_LOWER ? v > c->target : v < c->target;
}

/* Checks c (nothing is written for a refused chart) and finds the range
 * of its present values; *n_present 0 when none. */
static int line_check(svl__sbuf *b, const struct svl__line_chart *c,
		      int64_t *dmin, int64_t *dmax, size_t *n_present)
{
	if (c->n_x > SVL__CHART_PERIODS_MAX)
		return svl__sbuf_fail(b, SVL_ELIMIT,
				      "chart: %zu periods, limit %d", c->n_x,
				      SVL__CHART_PERIODS_MAX);
	if (c->n_series > SVL__CHART_SERIES_MAX)
		return svl__sbuf_fail(b, SVL_ELIMIT,
				      "chart: %zu series, limit %d",
				      c->n_series, SVL__CHART_SERIES_MAX);
	if ((c->n_x && !c->x_labels) || (c->n_series && !c->series))
		return svl__sbuf_fail(b, SVL_EMISUSE,
				      "chart: labels or series NULL");
	if (c->has_domain && c->domain_lo > c->domain_hi)
		return svl__sbuf_fail(b, SVL_EMISUSE,
				      "chart: domain_lo above domain_hi");
	*n_present = 0;
	*dmin = INT64_MAX;
	*dmax = INT64_MIN;
	for (size_t k = 0; k < c->n_series; k++) {
		const struct svl__chart_series *s = &c->series[k];
		if (c->n_x && !s->values)
			return svl__sbuf_fail(b, SVL_EMISUSE,
					      "chart: series %zu has no values",
					      k);
		for (size_t i = 0; i < c->n_x; i++) {
			if (!present_at(s, i))
				continue;
			if (check_value(b, s->values[i], "series", k, i))
				return b->rc;
			*dmin = s->values[i] < *dmin ? s->values[i] : *dmin;
			*dmax = s->values[i] > *dmax ? s->values[i] : *dmax;
			++*n_present;
		}
	}
	int64_t extra[3] = {c->target, c->domain_lo, c->domain_hi};
	int has[3] = {c->has_target, c->has_domain, c->has_domain};
	for (int i = 0; i < 3; i++) {
		if (!has[i])
			continue;
		if (check_value(b, extra[i], "target or domain", 0, (size_t)i))
			return b->rc;
		*dmin = extra[i] < *dmin ? extra[i] : *dmin;
		*dmax = extra[i] > *dmax ? extra[i] : *dmax;
	}
	return SVL_OK;
}

/* A dot per present point, with its text for a pointer's hover. */
static void line_point(svl__sbuf *b, const struct svl__line_chart *c, size_t k,
		       size_t i, int64_t x, int64_t y)
{
	char xs[24], ys[24], val[32];
	const struct svl__chart_series *s = &c->series[k];
	svl__sbuf_printf(b,
			 "<circle cx=\"%s\" cy=\"%s\" r=\"2.5\" fill=\"%s\">"
			 "<title>",
			 svl__chart_dp(xs, x), svl__chart_dp(ys, y), palette[k]);
	if (s->name && *s->name) {
		svl__sbuf_put_xml(b, s->name, SVL__CHART_LABEL_MAX);
		svl__sbuf_put(b, ", ", 2);
	}
	svl__sbuf_put_xml(b, c->x_labels[i], SVL__CHART_LABEL_MAX);
	svl__sbuf_printf(
	    b, ": %s</title></circle>\n",
	    svl__chart_fmt_value(val, sizeof val, c->fmt, s->values[i]));
}

/* A ring and a cross: a breach is told by shape, not by colour alone. */
static void line_breach(svl__sbuf *b, size_t k, size_t i, int64_t x, int64_t y)
{
	char xs[24], ys[24], l[24], r[24], t[24], u[24];
	svl__sbuf_printf(b,
			 "<g class=\"breach\" data-series=\"%zu\" "
			 "data-period=\"%zu\" fill=\"none\" stroke=\"%s\" "
			 "stroke-width=\"1.5\"><circle cx=\"%s\" cy=\"%s\" "
			 "r=\"6\"/>",
			 k, i, BREACH_COLOUR, svl__chart_dp(xs, x), svl__chart_dp(ys, y));
	/* each buffer once per call: the order arguments are made in is
	 * unspecified */
	svl__chart_dp(l, x - 40);
	svl__chart_dp(r, x + 40);
	svl__chart_dp(t, y - 40);
	svl__chart_dp(u, y + 40);
	svl__sbuf_printf(b, "<path d=\"M%s %sL%s %sM%s %sL%s %s\"/></g>\n", l,
			 t, r, u, l, u, r, t);
}

/* One series: a polyline per run of present points, and the points. */
static void line_series(svl__sbuf *b, const struct svl__line_chart *c,
			const struct geom *g, const struct svl__scale *s,
			size_t k)
{
	const struct svl__chart_series *se = &c->series[k];
	char xs[24], ys[24];
	svl__sbuf_printf(b, "<g class=\"series\" data-series=\"%zu\">\n", k);
	for (size_t i = 0; i < c->n_x;) {
		size_t j = i;
		while (j < c->n_x && present_at(se, j))
			j++;
		if (j - i >= 2) {
			svl__sbuf_printf(b,
					 "<polyline fill=\"none\" "
					 "stroke=\"%s\" stroke-width=\"2\" "
					 "points=\"",
					 palette[k]);
			for (size_t p = i; p < j; p++)
				svl__sbuf_printf(
				    b, "%s%s,%s", p > i ? " " : "",
				    svl__chart_dp(xs, band_mid(g, p, c->n_x)),
				    svl__chart_dp(ys,
					   svl__scale_px_dp(s, se->values[p])));
			svl__sbuf_put(b, "\"/>\n", 4);
		}
		i = j > i ? j : i + 1;
	}
	for (size_t i = 0; i < c->n_x; i++)
		if (present_at(se, i))
			line_point(b, c, k, i, band_mid(g, i, c->n_x),
				   svl__scale_px_dp(s, se->values[i]));
	svl__sbuf_put(b, "</g>\n", 5);
}

/* Series k's breach marks, drawn after every series so that no line
 * covers one. Returns how many. */
static size_t line_breaches(svl__sbuf *b, const struct svl__line_chart *c,
			    const struct geom *g, const struct svl__scale *s,
			    size_t k)
{
	const struct svl__chart_series *se = &c->series[k];
	size_t n_breach = 0;
	for (size_t i = 0; i < c->n_x; i++)
		if (present_at(se, i) && breaches(c, se->values[i])) {
			line_breach(b, k, i, band_mid(g, i, c->n_x),
				    svl__scale_px_dp(s, se->values[i]));
			n_breach++;
		}
	return n_breach;
}

/* The target: a dashed line across the plot, its label above its right
 * end. */
static void line_target(svl__sbuf *b, const struct svl__line_chart *c,
			const struct geom *g, const struct svl__scale *s)
{
	char val[32], label[48];
	int64_t y = svl__scale_px_dp(s, c->target);
	put_line(
	    b, plot_l(g), y, plot_r(g), y,
	    " stroke=\"#000000\" stroke-dasharray=\"6 4\" class=\"target\"");
	const char *text = c->target_label;
	if (!text) {
		snprintf(
		    label, sizeof label, "%s %s",
		    word(&c->text, "target", "目标"),
		    svl__chart_fmt_value(val, sizeof val, c->fmt, c->target));
		text = label;
	}
	put_text(b, plot_r(g), y - 40, " text-anchor=\"end\" class=\"target\"",
		 text, SVL__CHART_LABEL_MAX);
}

/* The <desc> of a line chart: what it shows and how many points breach. */
static void line_desc(svl__sbuf *b, const struct svl__line_chart *c,
		      const size_t *n_breach)
{
	char val[32];
	int zh = c->text.lang && svl__lang_is_zh(c->text.lang);
	if (zh)
		svl__sbuf_printf(b, " %zu 个期间", c->n_x);
	else
		svl__sbuf_printf(b, " %zu periods", c->n_x);
	if (c->n_x) {
		svl__sbuf_printf(b, "%s", zh ? "，从 " : " from ");
		svl__sbuf_put_xml(b, c->x_labels[0], SVL__CHART_LABEL_MAX);
		svl__sbuf_printf(b, "%s", zh ? " 到 " : " to ");
		svl__sbuf_put_xml(b, c->x_labels[c->n_x - 1],
				  SVL__CHART_LABEL_MAX);
	}
	if (zh)
		svl__sbuf_printf(b, "，%zu 个系列。", c->n_series);
	else
		svl__sbuf_printf(b, ", %zu series.", c->n_series);
	if (!c->has_target)
		return;
	svl__chart_fmt_value(val, sizeof val, c->fmt, c->target);
	if (zh)
		svl__sbuf_printf(b, " 目标 %s，越%s越好。", val,
				 c->better == SVL__BETTER_LOWER ? "低" : "高");
	else
		svl__sbuf_printf(b, " Target %s, %s is better.", val,
				 c->better == SVL__BETTER_LOWER ? "lower"
								: "higher");
	for (size_t k = 0; k < c->n_series; k++) {
		svl__sbuf_put(b, " ", 1);
		svl__sbuf_put_xml(b, nz(c->series[k].name),
				  SVL__CHART_LABEL_MAX);
		if (zh)
			svl__sbuf_printf(b, "：%zu 个点未达目标。", n_breach[k]);
		else
			svl__sbuf_printf(b, ": %zu %s the target.", n_breach[k],
					 n_breach[k] == 1 ? "point breaches"
							  : "points breach");
	}
}

/* What every chart checks first: a buffer, not failed yet, a chart. */
static int chart_start(svl__sbuf *out, const void *c)
{
	if (!out)
		return SVL_EMISUSE;
	if (out->rc)
		return out->rc;
	if (!c)
		return svl__sbuf_fail(out, SVL_EMISUSE, "chart: no chart");
	return SVL_OK;
}

int svl__chart_line(svl__sbuf *out, const struct svl__line_chart *c)
{
	int64_t dmin = 0, dmax = 0;
	size_t n_present = 0, n_breach[SVL__CHART_SERIES_MAX] = {0};
	struct svl__scale s;
	char note[64], val[32];
	int rc = chart_start(out, c);
	if (rc != SVL_OK)
		return rc;
	if (line_check(out, c, &dmin, &dmax, &n_present))
		return out->rc;
	const struct geom *g = geom_of(c->size);
	if (n_present == 0)
		return chart_no_data(out, g, &c->text,
				     word(&c->text, "Line chart.", "折线图。"));
	rc = svl__scale_make(&s, dmin, dmax, c->zero_based, g->max_ticks,
				 c->fmt, plot_b(g), plot_t(g));
	assert(rc == SVL_OK); /* line_check bounded the domain */
	(void)rc;
	for (size_t k = 0; k < c->n_series; k++)
		for (size_t i = 0; i < c->n_x; i++)
			n_breach[k] +=
			    present_at(&c->series[k], i) &&
				    breaches(c, c->series[k].values[i])
				? 1
				: 0;
	svg_open(out, g, &c->text, word(&c->text, "Line chart,", "折线图，"));
	line_desc(out, c, n_breach);
	snprintf(note, sizeof note, "%s %s",
		 word(&c->text, "axis starts at", "坐标轴起于"),
		 svl__chart_fmt_value(val, sizeof val, c->fmt, s.lo));
	if (s.lo > 0 && c->text.lang && svl__lang_is_zh(c->text.lang))
		svl__sbuf_printf(out, " 数值轴起于 %s，而非 0。", val);
	else if (s.lo > 0)
		svl__sbuf_printf(out, " The value axis starts at %s, not at 0.",
				 val);
	svg_heading(out, g, &c->text, s.lo > 0 ? note : NULL);
	draw_value_axis(out, g, &s, c->fmt);
	draw_x_labels(out, g, c->x_labels, c->n_x);
	if (c->has_target)
		line_target(out, c, g, &s);
	for (size_t k = 0; k < c->n_series; k++)
		line_series(out, c, g, &s, k);
	for (size_t k = 0; k < c->n_series; k++) {
		size_t drawn = line_breaches(out, c, g, &s, k);
		assert(drawn == n_breach[k]);
		(void)drawn;
	}
	if (c->n_series > 1) {
		const char *names[SVL__CHART_SERIES_MAX];
		for (size_t k = 0; k < c->n_series; k++)
			names[k] = nz(c->series[k].name);
		draw_legend(out, g, names, c->n_series);
	}
	svg_close(out, g, &c->text);
	return out->rc;
}

/* ---- bars --------------------------------------------------------------- */

/* A bar in band i of n from v0 to v1 (either way up), opened up to its
 * hover text, which the caller writes and closes with bar_rect_close. */
static void bar_rect_open(svl__sbuf *b, const struct geom *g,
			  const struct svl__scale *s, size_t i, size_t n,
			  int64_t v0, int64_t v1, const char *colour)
{
	char xs[24], ys[24], ws[24], hs[24];
	int64_t w = band_width(g, n) * 7 / 10, x = band_mid(g, i, n) - w / 2;
	int64_t y0 = svl__scale_px_dp(s, v0), y1 = svl__scale_px_dp(s, v1);
	int64_t top = y0 < y1 ? y0 : y1, h = y0 < y1 ? y1 - y0 : y0 - y1;
	svl__sbuf_printf(b,
			 "<rect class=\"bar\" x=\"%s\" y=\"%s\" width=\"%s\" "
			 "height=\"%s\" fill=\"%s\"><title>",
			 svl__chart_dp(xs, x), svl__chart_dp(ys, top), svl__chart_dp(ws, w),
			 svl__chart_dp(hs, h), colour);
}

static void bar_rect_close(svl__sbuf *b, const char *value)
{
	svl__sbuf_printf(b, ": %s</title></rect>\n", value);
}

/* A value written just beyond the end of its bar, when it fits the
 * bar's band (otherwise it is in the bar's <title> and the <desc>). */
static void bar_value(svl__sbuf *b, const struct geom *g,
		      const struct svl__scale *s, size_t i, size_t n,
		      int64_t end, const char *value)
{
	if (text_width_dp(g, value, 32) > band_width(g, n))
		return;
	int64_t y = svl__scale_px_dp(s, end);
	y = end < 0 ? y + (int64_t)(g->text_px + 2) * 10 : y - 40;
	put_text(b, band_mid(g, i, n), y,
		 " text-anchor=\"middle\" class=\"value\"", value, 32);
}

int svl__chart_bar(svl__sbuf *out, const struct svl__bar_chart *c)
{
	struct svl__scale s;
	char val[32];
	int rc = chart_start(out, c);
	if (rc != SVL_OK)
		return rc;
	if (c->n > SVL__CHART_BARS_MAX)
		return svl__sbuf_fail(out, SVL_ELIMIT,
				      "chart: %zu bars, limit %d", c->n,
				      SVL__CHART_BARS_MAX);
	if (c->n && (!c->labels || !c->values))
		return svl__sbuf_fail(out, SVL_EMISUSE,
				      "chart: labels or values NULL");
	int64_t dmin = 0, dmax = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (check_value(out, c->values[i], "bar", i, 0))
			return out->rc;
		dmin = c->values[i] < dmin ? c->values[i] : dmin;
		dmax = c->values[i] > dmax ? c->values[i] : dmax;
	}
	const struct geom *g = geom_of(c->size);
	if (c->n == 0)
		return chart_no_data(out, g, &c->text,
				     word(&c->text, "Bar chart.", "柱状图。"));
	rc = svl__scale_make(&s, dmin, dmax, 1, g->max_ticks, c->fmt,
				 plot_b(g), plot_t(g));
	assert(rc == SVL_OK);
	(void)rc;
	svg_open(out, g, &c->text, word(&c->text, "Bar chart:", "柱状图："));
	for (size_t i = 0; i < c->n; i++) {
		svl__sbuf_put(out, i ? "; " : " ", i ? 2 : 1);
		svl__sbuf_put_xml(out, nz(c->labels[i]), SVL__CHART_LABEL_MAX);
		svl__sbuf_printf(out, " %s",
				 svl__chart_fmt_value(val, sizeof val, c->fmt,
						      c->values[i]));
	}
	svl__sbuf_printf(out, "%s", word(&c->text, ".", "。"));
	svg_heading(out, g, &c->text, NULL);
	draw_value_axis(out, g, &s, c->fmt);
	draw_x_labels(out, g, c->labels, c->n);
	for (size_t i = 0; i < c->n; i++) {
		svl__chart_fmt_value(val, sizeof val, c->fmt, c->values[i]);
		bar_rect_open(out, g, &s, i, c->n, 0, c->values[i], palette[0]);
		svl__sbuf_put_xml(out, c->labels[i], SVL__CHART_LABEL_MAX);
		bar_rect_close(out, val);
		bar_value(out, g, &s, i, c->n, c->values[i], val);
	}
	svg_close(out, g, &c->text);
	return out->rc;
}

/* ---- stacked bars ------------------------------------------------------- */

/* Checks c and finds the largest bar total. */
static int stack_check(svl__sbuf *b, const struct svl__stack_chart *c,
		       int64_t *max_total)
{
	if (c->n_bars > SVL__CHART_BARS_MAX ||
	    c->n_segments > SVL__CHART_SERIES_MAX)
		return svl__sbuf_fail(b, SVL_ELIMIT,
				      "chart: %zu bars of %zu segments, limit "
				      "%d of %d",
				      c->n_bars, c->n_segments,
				      SVL__CHART_BARS_MAX,
				      SVL__CHART_SERIES_MAX);
	if ((c->n_bars && !c->bar_labels) ||
	    (c->n_segments && !c->segment_names) ||
	    (c->n_bars && c->n_segments && !c->values))
		return svl__sbuf_fail(b, SVL_EMISUSE,
				      "chart: labels, names or values NULL");
	*max_total = 0;
	for (size_t i = 0; i < c->n_bars; i++) {
		int64_t total = 0;
		for (size_t j = 0; j < c->n_segments; j++) {
			int64_t v = c->values[i * c->n_segments + j];
			if (check_value(b, v, "stack", i, j))
				return b->rc;
			if (v < 0)
				return svl__sbuf_fail(
				    b, SVL_EINVAL,
				    "chart: bar %zu segment %zu is negative "
				    "(%lld); a share is never negative",
				    i, j, (long long)v);
			total += v; /* at most 7 * 1e15: no overflow */
		}
		if (check_value(b, total, "stack total", i, c->n_segments))
			return b->rc;
		*max_total = total > *max_total ? total : *max_total;
	}
	return SVL_OK;
}

/* Bar i: each segment from the running sum before it to the one after
 * it, in the axis' unit (permille of the total when as_share), so the
 * segments meet and the top is exactly the total (or 100.0%). */
static void stack_bar(svl__sbuf *b, const struct svl__stack_chart *c,
		      const struct geom *g, const struct svl__scale *s,
		      size_t i)
{
	const int64_t *row = c->values + i * c->n_segments;
	int64_t total = 0, run = 0, at = 0;
	char val[32], share[32], text[72];
	for (size_t j = 0; j < c->n_segments; j++)
		total += row[j];
	for (size_t j = 0; j < c->n_segments; j++) {
		run += row[j];
		int64_t next = !c->as_share ? run
			       : total
				   ? svl__div_round((svl_i128)run * 1000, total)
				   : 0;
		svl__chart_fmt_value(val, sizeof val, c->fmt, row[j]);
		svl__chart_fmt_value(
		    share, sizeof share, SVL__CHART_PERMILLE,
		    total ? svl__div_round((svl_i128)row[j] * 1000, total) : 0);
		snprintf(text, sizeof text, "%s (%s)", val, share);
		if (next > at) {
			bar_rect_open(b, g, s, i, c->n_bars, at, next,
				      palette[j]);
			svl__sbuf_put_xml(b, c->bar_labels[i],
					  SVL__CHART_LABEL_MAX);
			svl__sbuf_put(b, ", ", 2);
			svl__sbuf_put_xml(b, c->segment_names[j],
					  SVL__CHART_LABEL_MAX);
			bar_rect_close(b, text);
		}
		at = next;
	}
	assert(!c->as_share || total == 0 || at == 1000);
	assert(c->as_share || at == total);
	bar_value(b, g, s, i, c->n_bars, at,
		  svl__chart_fmt_value(val, sizeof val, c->fmt, total));
}

int svl__chart_stack(svl__sbuf *out, const struct svl__stack_chart *c)
{
	struct svl__scale s;
	int64_t max_total = 0;
	int rc = chart_start(out, c);
	if (rc != SVL_OK)
		return rc;
	if (stack_check(out, c, &max_total))
		return out->rc;
	const struct geom *g = geom_of(c->size);
	if (c->n_bars == 0 || c->n_segments == 0)
		return chart_no_data(
		    out, g, &c->text,
		    word(&c->text, "Stacked bar chart.", "堆积柱状图。"));
	enum svl__chart_fmt axis_fmt =
	    c->as_share ? SVL__CHART_PERMILLE : c->fmt;
	rc = svl__scale_make(&s, 0, c->as_share ? 1000 : max_total, 1,
				 g->max_ticks, axis_fmt, plot_b(g), plot_t(g));
	assert(rc == SVL_OK);
	(void)rc;
	int zh = c->text.lang && svl__lang_is_zh(c->text.lang);
	svg_open(out, g, &c->text,
		 word(&c->text, "Stacked bar chart,", "堆积柱状图，"));
	if (zh)
		svl__sbuf_printf(out, " %zu 根柱，各分 %zu 段：", c->n_bars,
				 c->n_segments);
	else
		svl__sbuf_printf(out, " %zu bars of %zu segments:", c->n_bars,
				 c->n_segments);
	for (size_t j = 0; j < c->n_segments; j++) {
		svl__sbuf_printf(out, "%s",
				 j ? word(&c->text, ", ", "、") : " ");
		svl__sbuf_put_xml(out, nz(c->segment_names[j]),
				  SVL__CHART_LABEL_MAX);
	}
	svl__sbuf_printf(
	    out, "%s",
	    c->as_share ? word(&c->text, "; each bar is 100% of its total.",
			       "；每根柱为其合计的 100%。")
			: word(&c->text, ".", "。"));
	svg_heading(out, g, &c->text, NULL);
	draw_value_axis(out, g, &s, axis_fmt);
	draw_x_labels(out, g, c->bar_labels, c->n_bars);
	for (size_t i = 0; i < c->n_bars; i++)
		stack_bar(out, c, g, &s, i);
	const char *names[SVL__CHART_SERIES_MAX];
	for (size_t j = 0; j < c->n_segments; j++)
		names[j] = nz(c->segment_names[j]);
	draw_legend(out, g, names, c->n_segments);
	svg_close(out, g, &c->text);
	return out->rc;
}
