/*
 * fmt_figures.h - the figures report (svl_figures.h) as tables and as
 * JSON, and the target marks it shares with the metrics table
 * (fmt_metrics.c, which defines them).
 *
 * Memory and return values as fmt.h: print_* return 0 or -1, json_*
 * return a new reference or NULL.
 */
#ifndef SVL_TOOLS_FMT_FIGURES_H
#define SVL_TOOLS_FMT_FIGURES_H

#include "fmt.h"

/* ---- target marks (fmt_metrics.c) ---------------------------------------- */

#define FMT_MARK_SIZE (2 * FMT_NUM_SIZE) /* a figure and its mark */

/* 1 target met, 0 missed, -1 no figure (SVL_METRICS_NONE). */
int fmt_met_min(int32_t v, int32_t target);
int fmt_met_max(int32_t v, int32_t target);
/* "figure ok", "figure <miss>", or the figure alone when met < 0. */
const char *fmt_with_mark(char *out, const char *figure, int met,
			  const char *miss);
/* A ratio as JSON: the integer, or null for SVL_METRICS_NONE. */
json_t *fmt_json_ratio(int32_t v);
/* A mark as JSON: true, false, or null (no figure). */
json_t *fmt_json_met(int met);

/* ---- the figures (fmt_figures.c) ----------------------------------------- */

/* The periods with the targets marked, a total row and the targets; then
 * each list, at most max_lines items each (0: all). */
int print_figures(FILE *f, const svl_figures *r, size_t max_lines);
/* "daily_spot", "monthly_full", "quarterly_full"; "-" for -1 (the
 * stocktake was never opened) or an unknown kind. */
const char *fmt_stk_kind_name(int kind);
/* Every row, counter, ratio and list item, in library units. */
json_t *json_figures(const svl_figures *r);

/* The heading of a list (its count, or "none"), and how many of its n
 * items to show under max (0: all). */
size_t fmt_fig_heading(FILE *f, const char *what, size_t n, size_t max);
/* Print and free a list's table t, with a line for the items not shown. */
int fmt_fig_finish(FILE *f, fmt_table *t, size_t n, size_t shown);

/* ---- the after-care figures (fmt_figures_care.c) ------------------------- */

/* R-FU-7, R-FU-8, R-BKG-7: the follow-up and complaint table per period,
 * the departments, the lost customers' reasons, then their lists. */
int print_figures_care(FILE *f, const svl_figures *r, size_t max_lines);
/* The catalog's name of a department (or "unassigned"), a lost-customer
 * reason, a complaint severity, a warning outcome; "-" for -1. */
const char *fmt_fig_dept_name(int d);
const char *fmt_fig_lost_reason_name(int k);
const char *fmt_fig_severity_name(int k);
const char *fmt_fig_outcome_name(int k);

/* ---- the promises and the trade (fmt_figures_trade.c) -------------------- */

/* R-BKG-8 delays, R-QUO-3 requisitions, counter sales and warranty claims
 * per period, then the lists of what is behind. */
int print_figures_trade(FILE *f, const svl_figures *r, size_t max_lines);

#endif /* SVL_TOOLS_FMT_FIGURES_H */
