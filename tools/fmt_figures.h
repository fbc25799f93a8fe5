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

#endif /* SVL_TOOLS_FMT_FIGURES_H */
