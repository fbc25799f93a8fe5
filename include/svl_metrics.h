/*
 * svl_metrics.h - the figures the after-sales department is judged by
 * (domain.md section 4, all but stock accuracy), per day, ISO week and
 * month, overall and per service advisor and per technician, as the
 * "metrics" projection folds them under its rule set.
 * docs/projections.md ("Satisfaction metrics") defines every figure.
 *
 * The projection stores counters (numerators and denominators), never
 * ratios: a row's ratios are computed when it is read, so rows can be
 * added up (svl_metrics_add) and the ratios of the sum taken again
 * (svl_metrics_ratios_of) without averaging averages.
 *
 * Attribution: every job figure counts in the period of the job's
 * delivery (local day of vehicle_delivered in the rule set's time zone),
 * for the job's advisor and technician, so numerator and denominator of
 * a ratio describe the same jobs. What happens to a job later (a
 * follow-up call, a complaint, a comeback) revises the row of its
 * delivery. Write-offs count on the day of their approval, overall only;
 * complaints naming no known job count on the day they were opened,
 * overall only.
 *
 * Threads and memory: as svl_ledger.h. A row handed to the callback is
 * the library's and lives until the callback returns.
 */
#ifndef SVL_METRICS_H
#define SVL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "svl_ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_METRICS_KEY_MAX 40	 /* bytes of an advisor or technician id */
#define SVL_METRICS_LABEL_MAX 16 /* "2026-09-30", "2026-W40", "2026-09" */

enum svl_metrics_period {
	SVL_METRICS_DAY = 0,
	SVL_METRICS_WEEK = 1, /* ISO weeks, Monday to Sunday (R-FU-8) */
	SVL_METRICS_MONTH = 2,
};

enum svl_metrics_by {
	SVL_METRICS_OVERALL = 0,
	SVL_METRICS_ADVISOR = 1,    /* the job's service advisor */
	SVL_METRICS_TECHNICIAN = 2, /* the job's (last dispatched) technician */
};

/* The counters of one row. Job counters count jobs delivered in the
 * period (and what became of them); see the attribution note above. */
typedef struct svl_metrics_counters {
	int64_t delivered;    /* jobs delivered */
	int64_t fu_covered;   /* ... with >= 1 follow-up attempt (R-FU-1) */
	int64_t fu_in_window; /* ... whose first attempt fell within the
			       * rule set's follow-up window (R-FU-1) */
	int64_t fu_attempts;  /* follow-up attempts on those jobs */
	int64_t
	    fu_attempts_in_call_window; /* ... inside a call window (R-FU-3) */
	int64_t fu_reached;		/* follow-ups reached */
	int64_t fu_failed;		/* follow-ups failed per R-FU-5 */
	int64_t answered;	  /* reached with a score on the rule set's
				   * scale (1..scale) */
	int64_t satisfied;	  /* answered with score >= threshold */
	int64_t score_sum;	  /* sum of the answered scores */
	int64_t complaints;	  /* complaints naming those jobs (+ unlinked
				   * ones opened in the period, overall) */
	int64_t major_complaints; /* ... of a class the rule set calls major */
	int64_t reworked;	  /* jobs with a failed check or a rework */
	int64_t comebacks;	  /* jobs that came back (first-time fix) */
	int64_t first_time_fix;	  /* jobs neither reworked nor come back */
	int64_t promised;	  /* jobs with a promised time */
	int64_t on_time;	  /* delivered at or before it */
	int64_t writeoffs;	  /* write-offs approved in the period */
	int64_t wof_total_fen;	  /* value written off (R-WOF-6) */
	int64_t wof_company_fen;  /* the company's share: the remainder */
	int64_t wof_service_manager_fen; /* floor(total * permille / 1000) */
	int64_t wof_parts_manager_fen;
	int64_t wof_warehouse_keeper_fen;
} svl_metrics_counters;

#define SVL_METRICS_NONE (-1) /* a ratio whose denominator is 0 */

/* Ratios, rounded half up; SVL_METRICS_NONE when undefined. */
typedef struct svl_metrics_ratios {
	int32_t fu_coverage_permille;	 /* fu_covered / delivered */
	int32_t fu_in_window_permille;	 /* fu_in_window / delivered */
	int32_t fu_call_window_permille; /* in call window / fu_attempts */
	int32_t fu_success_permille;	 /* reached / (reached + failed) */
	int32_t satisfaction_permille;	 /* satisfied / reached */
	int32_t score_avg_milli;	 /* score_sum / answered, x1000 */
	int32_t major_complaint_bp;	 /* major / delivered, basis points:
					  * the R-CMP-5 target is <= 100 */
	int32_t first_time_fix_permille; /* first_time_fix / delivered */
	int32_t comeback_permille;	 /* comebacks / delivered */
	int32_t on_time_permille;	 /* on_time / delivered */
} svl_metrics_ratios;

typedef struct svl_metrics_row {
	enum svl_metrics_period period;
	int64_t period_day;	 /* days since 1970-01-01 of the period's
				  * first local day (a Monday for weeks, the
				  * 1st for months) */
	int64_t period_start_ms; /* UTC ms of that day's local midnight */
	char label[SVL_METRICS_LABEL_MAX];
	enum svl_metrics_by by;
	char key[SVL_METRICS_KEY_MAX + 1]; /* the advisor or technician; ""
					    * for overall rows */
	svl_metrics_counters c;
	svl_metrics_ratios r;
} svl_metrics_row;

/* Called once per row; a non-zero return stops and is returned. */
typedef int (*svl_metrics_fn)(const svl_metrics_row *row, void *payload);

/*
 * svl_metrics_get - the rows of `period` kind for every period that
 * overlaps [from_ms, to_ms), broken down `by`, in period order and then
 * key order. Periods and days are those of the rule set's time zone.
 * Periods with nothing in them have no row. Returns SVL_OK, fn's
 * non-zero value, SVL_EMISUSE (l or fn NULL), SVL_EINVAL (unknown period
 * or by, from_ms >= to_ms), SVL_ECORRUPT.
 */
SVL_API int svl_metrics_get(svl_ledger *l, enum svl_metrics_period period,
			    int64_t from_ms, int64_t to_ms,
			    enum svl_metrics_by by, svl_metrics_fn fn,
			    void *payload);

/* svl_metrics_ratios_of - the ratios of counters c (for sums of rows). */
SVL_API void svl_metrics_ratios_of(const svl_metrics_counters *c,
				   svl_metrics_ratios *out);

/* svl_metrics_add - sum += c, counter by counter. */
SVL_API void svl_metrics_add(svl_metrics_counters *sum,
			     const svl_metrics_counters *c);

#ifdef __cplusplus
}
#endif
#endif /* SVL_METRICS_H */
