/*
 * report_int.h - what the report's files share: the report being built
 * (one page in one buffer, every figure read once), its texts in both
 * languages, and the few HTML shapes every section is made of.
 *
 * The page is written top to bottom into r->out; a section never reads
 * what another wrote. Every text that comes from the ledger (ids, names,
 * free text) goes through svl__rpt_esc; every number through
 * svl__chart_fmt_value (no locale, no floating point), so the page is the
 * same bytes on every machine.
 */
#ifndef SVL_REPORT_INT_H
#define SVL_REPORT_INT_H

#include <stdint.h>

#include "chart.h"
#include "svl_figures.h"
#include "svl_log.h"
#include "svl_metrics.h"
#include "svl_reconcile.h"
#include "svl_report.h"
#include "svl_rules.h"

/* The page's texts, RT(id, English, Chinese) rows of report_text.def. */
enum svl__rt {
#define RT(id, en, zh) SVL__RT_##id,
#include "report_text.def"
#undef RT
	SVL__RT__COUNT
};

/* What a stocktake's variance lines are explained by: kept by the
 * figures run for the latest stocktake of the period (figures_stock.c). */
typedef struct svl__rpt {
	svl_ledger *l;
	svl_log *log;
	svl_rules rules;
	int zh;			  /* 1: the page is in Chinese */
	int32_t tz;		  /* the rule set's zone, minutes east */
	int64_t from_ms, to_ms;	  /* the period: from_ms <= t < to_ms */
	int64_t from_day, to_day; /* its local days, to_day included */
	int64_t trend_from_ms;	  /* the first month of the KPI trend */
	int64_t generated_at_ms;
	svl_head head;
	char ledger_hex[2 * SVL_ID_SIZE + 1];
	char period_label[48]; /* "2026-09" or "2026-09-01 – 2026-09-14" */
	svl__sbuf *out;
	svl_figures *fig; /* the period's figures, one row per month */
	svl_reconcile_result *last_stk; /* the latest stocktake's lines */
	const svl_fig_stocktake *last_stk_fig; /* ... and its summary */
} svl__rpt;

/* The page's language for the charts' own words: "zh-CN" or "en". */
const char *svl__rpt_lang(const svl__rpt *r);

/* The text id in the page's language. */
const char *svl__rpt_t(const svl__rpt *r, enum svl__rt id);

/* The label of value v of the enum field `field` of event type `type`:
 * its name with spaces (English) or its translation; "-" when v is out
 * of range. */
const char *svl__rpt_enum(const svl__rpt *r, uint32_t type, uint32_t field,
			  int v);

/* ---- HTML shapes -------------------------------------------------------- */

/* Escaped ledger text; s NULL or "" writes "-". */
void svl__rpt_esc(svl__rpt *r, const char *s);
/* Raw markup. */
void svl__rpt_raw(svl__rpt *r, const char *s);
/* v formatted as fmt. */
void svl__rpt_num(svl__rpt *r, enum svl__chart_fmt fmt, int64_t v);
/* A quantity in thousandths as units: "12", "2.5", "-0.125". */
void svl__rpt_qty(svl__rpt *r, int64_t milli);
/* A local time "2026-09-30 18:00"; 0 writes "-". */
void svl__rpt_time(svl__rpt *r, int64_t at_ms);
/* A local day "2026-09-30" of at_ms. */
void svl__rpt_day(svl__rpt *r, int64_t at_ms);

/* <section id=".."><h2>title</h2><p class="lead">lead</p> (lead may be
 * SVL__RT__COUNT: none). attrs (may be NULL) go inside the tag. */
void svl__rpt_section(svl__rpt *r, const char *id, const char *attrs,
		      enum svl__rt title, enum svl__rt lead);
void svl__rpt_section_end(svl__rpt *r);
/* <h3>title</h3> */
void svl__rpt_h3(svl__rpt *r, enum svl__rt title);
/* <p class="note">text</p> */
void svl__rpt_note(svl__rpt *r, enum svl__rt text);

/* A tile: a big number, its label, and its state against a target
 * (state: 0 no target, 1 met, 2 missed; the word says it, not only the
 * colour). */
void svl__rpt_tile(svl__rpt *r, enum svl__rt label, enum svl__chart_fmt fmt,
		   int64_t v, int present, int state);
#define SVL__RPT_TILES_OPEN "<div class=\"tiles\">"
#define SVL__RPT_TILES_CLOSE "</div>"

/* <table class="cls"><thead><tr><th>..</th>..</tr></thead><tbody>: n
 * headers; column i is text (left-aligned) when bit i of text_cols is
 * set, else numbers (right-aligned). */
void svl__rpt_table(svl__rpt *r, const char *cls, const char *attrs,
		    const enum svl__rt *heads, size_t n, unsigned text_cols);
void svl__rpt_table_end(svl__rpt *r);
/* <td class="n">v</td>; present 0 writes "-". */
void svl__rpt_td(svl__rpt *r, enum svl__chart_fmt fmt, int64_t v, int present);
/* <td>text</td>, escaped. */
void svl__rpt_td_text(svl__rpt *r, const char *s);

/* The source line of a chart: "<what>, <period>, ledger <id8>, head seq
 * N" into buf. */
const char *svl__rpt_source(const svl__rpt *r, enum svl__rt what, char *buf,
			    size_t cap);

/* The page's texts of a chart: title, units (text ids) and the source
 * line of what it reads (into src, 200 bytes). */
struct svl__chart_text
svl__rpt_chart_text(const svl__rpt *r, enum svl__rt title, enum svl__rt units,
		    enum svl__rt what, char *src, size_t cap);

/* A full-size bar chart of n labelled values, or a stacked one (values
 * bar by bar, n_segs each), in its <figure>. Return the chart's rc. */
int svl__rpt_bars(svl__rpt *r, enum svl__rt title, enum svl__rt units,
		  enum svl__rt what, enum svl__chart_fmt fmt,
		  const char *const *labels, const int64_t *values, size_t n);
int svl__rpt_stacks(svl__rpt *r, enum svl__rt title, enum svl__rt units,
		    enum svl__rt what, enum svl__chart_fmt fmt,
		    const char *const *bars, size_t n_bars,
		    const char *const *segs, size_t n_segs,
		    const int64_t *values);

/* A chart's grid cell: <figure class="chart small|full">..</figure> is
 * written by the chart call between these two. */
void svl__rpt_fig(svl__rpt *r, int small);
void svl__rpt_fig_end(svl__rpt *r);

/* A ratio of the metrics kind (SVL_METRICS_NONE when undefined). */
int32_t svl__rpt_ratio(int64_t num, int64_t den, int64_t scale);

/* ---- the sections, in page order ----------------------------------------- */

int svl__rpt_head(svl__rpt *r);	 /* report.c */
int svl__rpt_kpi(svl__rpt *r);	 /* report_kpi.c */
int svl__rpt_care(svl__rpt *r);	 /* report_care.c: followup, complaints */
int svl__rpt_stock(svl__rpt *r); /* report_stock.c: stock, stocktake */
int svl__rpt_money(svl__rpt *r); /* report_work.c: write-offs */
int svl__rpt_wip(svl__rpt *r);	 /* report_work.c */

#endif
