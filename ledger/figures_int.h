/*
 * figures_int.h - what the files of the figures report share (not
 * public): the facts one walk of the log keeps, the report being filled,
 * and its periods.
 *
 *   figures.c        svl_figures_get: the order of the work, the periods
 *                    and rows, the lists, the ratios
 *   figures_scan.c   the walk of the log, in one read snapshot: the facts
 *                    below, and the late entries from the stock cards
 *   figures_jobs.c   R-WO-3 and R-BKG-8, from the job and pick facts
 *   figures_stock.c  R-BIN-2 (stock card lines) and the stocktakes
 *                    (svl_reconcile, after the walk)
 *   figures_wof.c    R-WOF-6: the shares of each approval and the
 *                    charges the deciders matched to them
 *   figures_trade.c  R-BKG-8 delays notified, R-QUO-3 requisitions not in
 *                    a parts plan, counter sales, warranty claims
 *   figures_care.c   R-FU-7, R-FU-8, R-BKG-7: the follow-up calls, the
 *                    quality problems, the lost customers (listed as the
 *                    walk meets them), the complaints and the warranty
 *                    warnings (joined per document after it)
 *
 * Why facts and not a projection: the figures need a few events of many
 * streams, joined by document id (a pick and its job, a charge and its
 * write-off), over all of history; one walk that keeps only those events,
 * sorted by (document, seq) afterwards, joins them without an index.
 */
#ifndef SVL_FIGURES_INT_H
#define SVL_FIGURES_INT_H

#include <string.h>

#include "ledger_int.h"
#include "svl_events.h"
#include "svl_figures.h"
#include "svl_reconcile.h"

/* One event the figures need, as the walk keeps it. */
typedef struct svl__fig_fact {
	char id[SVL_FIGURES_ID_MAX + 1]; /* its document: wo, pick, stk, wof */
	char a[SVL_FIGURES_ID_MAX + 1];	 /* a pick's job, a count's part,
					  * a charge's staff, a pick id */
	char b[SVL_FIGURES_ID_MAX + 1];	 /* a count's bin */
	char who[SVL_COUNTER_MAX + 1];	 /* a count's counter */
	uint32_t type;			 /* event type, or SVL__FIG_PICKED */
	uint64_t seq;
	int64_t at_ms; /* occurred */
	int64_t n;     /* a slot, a count, a total, an amount, a kind */
	int64_t m;     /* a charge's share (enum svl_wof_share), a score */
	int64_t k;     /* a department, -1 none (figures_care.c) */
} svl__fig_fact;

/* A job fact derived from its picks: the first approval or issue. */
#define SVL__FIG_PICKED 0u

typedef struct svl__fig_facts {
	svl__fig_fact *v;
	size_t n, cap;
} svl__fig_facts;

enum {
	SVL__FIG_JOBS,
	SVL__FIG_PICKS,
	SVL__FIG_STK,
	SVL__FIG_WOF,
	SVL__FIG_FU,   /* follow-up calls and re-verified contacts, by job */
	SVL__FIG_CMP,  /* complaint events, by complaint */
	SVL__FIG_WARN, /* warranty warnings and their hand-offs, by job */
	SVL__FIG_DELAY, /* quotes' promises and delay notices, by job */
	SVL__FIG_REQ,	/* requisition and plan lines, by job */
	SVL__FIG_SALE,	/* counter sales' pricing and payments, by pick */
	SVL__FIG_CLAIM, /* warranty claims, by claim */
	SVL__FIG_N
};

/* Lines given to one svl_reconcile call: its result holds every line's
 * movements (about 20 KB a line), so a big count is read in slices. */
#define SVL__FIG_RECON_SLICE 256

typedef struct svl__fig {
	svl_ledger *l;
	svl_rules rules; /* the live rule set (the stock projection's) */
	enum svl_metrics_period period;
	int64_t from_ms, to_ms;	     /* the range asked for */
	int64_t first_day, last_day; /* first days of its first and last
				      * periods (figures_scan.c) */
	svl_figures *out;
	size_t cap_rows, cap_prepick, cap_unrem, cap_late, cap_stk, cap_wof;
	size_t cap_problems, cap_cmp, cap_lost, cap_warn;
	size_t cap_delays, cap_unplanned, cap_sales, cap_claims;
	svl__fig_facts g[SVL__FIG_N];
	/* svl__figures_get_kept: the latest stocktake's whole reconcile */
	int keep_stk;
	svl_reconcile_result *kept_stk;
	int64_t kept_stk_at_ms;
} svl__fig;

/* ---- figures.c ---- */

/* svl_figures_get, and also the reconcile result (every line with the
 * movements that explain it) of the stocktake with the latest opening in
 * the range into *last_stk (NULL when none; svl_reconcile_free it): what
 * the report shows of the last count, read with the same sheet. */
int svl__figures_get_kept(svl_ledger *l, const svl_figures_options *opt,
			  svl_figures **out, svl_reconcile_result **last_stk);

/* The row of the period holding at_ms into *out, made when new; NULL
 * when the period is outside the range. SVL_OK or SVL_ENOMEM. Rows move
 * when one is made: use *out before the next call. */
int svl__fig_row(svl__fig *f, int64_t at_ms, svl_figures_row **out);
/* The label of the period holding at_ms. */
void svl__fig_label(const svl__fig *f, int64_t at_ms,
		    char out[SVL_METRICS_LABEL_MAX]);
/* v (room for *cap elements of size bytes, n of them used) with room for
 * one more: grown when full, v itself when it cannot grow (then *cap
 * stays n). */
void *svl__fig_grown(void *v, size_t n, size_t *cap, size_t size);
/* A new zeroed element at the end of array arr (n used, room for cap),
 * or NULL when out of memory. */
#define SVL__FIG_PUSH(arr, n, cap)                                             \
	((arr) = svl__fig_grown((arr), (n), &(cap), sizeof *(arr)),            \
	 (n) < (cap) ? memset(&(arr)[(n)++], 0, sizeof *(arr)) : NULL)
/* Copy len bytes of s into dst (cap bytes), NUL-terminated, cut. */
void svl__fig_copy(char *dst, size_t cap, const char *s, size_t len);
/* Sort the facts of `group` by (document, seq) and call fn once per
 * document with its facts, in log order; the first code other than
 * SVL_OK stops the walk and is returned. */
typedef int (*svl__fig_run_fn)(svl__fig *f, const svl__fig_fact *v, size_t n);
int svl__fig_runs(svl__fig *f, int group, svl__fig_run_fn fn);

/* ---- figures_scan.c ---- */

/* The walk (an svl_log_read function): the rules, the clock, the facts,
 * the late entries. */
int svl__fig_scan(svl_txn *t, void *payload);

/* ---- the figures ---- */

int svl__fig_jobs(svl__fig *f);				    /* figures_jobs.c */
int svl__fig_late(svl__fig *f, svl_txn *t, unsigned stock); /* _stock.c */
int svl__fig_stocktakes(svl__fig *f); /* figures_stock.c */
int svl__fig_writeoffs(svl__fig *f);  /* figures_wof.c */
/* figures_care.c: whether the walk gives it events of this type; one
 * such event (decoded); the joins after the walk. */
int svl__fig_care_kept(uint32_t type);
int svl__fig_care_event(svl__fig *f, const svl_record *r,
			const svl_event_view *v);
int svl__fig_care(svl__fig *f);
/* figures_trade.c: the same for delays, requisitions, counter sales and
 * warranty claims. */
int svl__fig_trade_kept(uint32_t type);
int svl__fig_trade_event(svl__fig *f, const svl_record *r,
			 const svl_event_view *v);
int svl__fig_trade(svl__fig *f);
/* Which share of write-off wof the charge to staff filled: the deciders'
 * own answer (R-WOF-6, decide_writeoff.c), 0 when none (figures_wof.c). */
int svl__fig_share_of(svl__fig *f, svl_txn *t, const svl_value *wof,
		      const svl_value *staff, int64_t *share);
/* R-WOF-6: days after an approval before an uncharged share is overdue.
 * The seed gives no deadline; this is the one place that says 30 (a
 * month's payroll), to become the rule set's knob (figures_wof.c). */
int32_t svl__figures_charge_days(const svl_rules *r);

#endif
