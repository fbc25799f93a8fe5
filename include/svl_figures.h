/*
 * svl_figures.h - the figures the seed manual asks for beyond the metrics
 * projection (svl_metrics.h), per day, ISO week or month, with the
 * exceptions behind each one listed:
 *
 *   R-WO-3   pre-picking: of the booked jobs (a booking_confirmed) whose
 *            vehicle was received, the share whose parts were picked (a
 *            pick list for the job approved by the parts manager, or
 *            parts issued on it) at or before the reception; target 100%
 *   R-BKG-8  reminders: of the confirmed bookings whose reminder was due,
 *            the share reminded (booking_reminded) at least one hour
 *            before the slot
 *   R-BIN-2  late entries: stock card movements recorded (the ledger's
 *            clock) on a later local day than they happened; the seed
 *            wants every movement entered the same day
 *   stock accuracy of the ledger's own stocktakes: per stocktake, the
 *            lines counted and the lines agreeing with the book, as
 *            svl_reconcile (svl_reconcile.h) decides for a count sheet
 *            read at the stocktake's opening
 *   R-WOF-6  write-off shares: per approved write-off, each role's share
 *            (svl_writeoff_split of the live rule set) and the
 *            liability_charged that charged it; a share not charged
 *            charge_days (30) days after the approval is overdue
 * docs/projections.md ("Figures of the seed beyond the metrics") defines
 * each one exactly.
 *
 * Where they come from: the late entries from the stock cards' lines
 * (their business-time index: cost grows with the cards and the range's
 * movements); everything else from one walk of the whole log in one read
 * snapshot (cost grows with the log: about 0.1 s for the demo's 85,000
 * events), and each stocktake's book from svl_reconcile, which reads its
 * own snapshot.
 * "Now", for a reminder not yet due or a share not yet overdue, is the
 * ledger's clock: the recorded time of its last event.
 *
 * Periods, days and labels are those of the metrics (the live rule set's
 * time zone); each item counts in the period of one time, said per figure
 * below. Threads and memory: as svl_ledger.h; the result is allocated and
 * owned by the caller (svl_figures_free).
 */
#ifndef SVL_FIGURES_H
#define SVL_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "svl_ledger.h"
#include "svl_metrics.h"
#include "svl_rules.h"
#include "svl_stock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* R-BKG-8: "confirm with the customer one hour before" (提前一小時). */
#define SVL_FIGURES_REMIND_LEAD_MS INT64_C(3600000)

/* The seed's targets: R-WO-3 says 100% in so many words (百分之百); the
 * others are rules without exceptions: every booking reminded (R-BKG-8),
 * every movement entered the same day (R-BIN-2), book, card and goods
 * agreeing (R-BIN-2, 帳、卡、物相符), every share charged (R-WOF-6). */
#define SVL_FIGURES_TARGET_PREPICK_PERMILLE 1000
#define SVL_FIGURES_TARGET_REMINDED_PERMILLE 1000
#define SVL_FIGURES_TARGET_LATE_ENTRY_PERMILLE 0 /* at most */
#define SVL_FIGURES_TARGET_ACCURACY_BP 10000
#define SVL_FIGURES_TARGET_SHARES_OVERDUE 0 /* at most */

#define SVL_FIGURES_ID_MAX 40 /* bytes of a wo, pick, stk, wof or staff id */

#define SVL_FIGURES_OPTIONS_VERSION 1

typedef struct svl_figures_options {
	unsigned version;		/* SVL_FIGURES_OPTIONS_VERSION */
	enum svl_metrics_period period; /* rows per day, ISO week, month */
	int64_t from_ms, to_ms; /* the periods overlapping [from_ms, to_ms) */
	uint32_t reserved[8];	/* zero */
} svl_figures_options;

#define SVL_FIGURES_OPTIONS_INIT                                               \
	{                                                                      \
		SVL_FIGURES_OPTIONS_VERSION, SVL_METRICS_MONTH, INT64_MIN,     \
		    INT64_MAX,                                                 \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/* The counters of one period. */
typedef struct svl_figures_counts {
	/* R-WO-3, in the period of the reception */
	int64_t booked_received; /* booked jobs received that took parts */
	int64_t prepicked;	 /* ... picked at or before the reception */
	int64_t booked_no_pick;	 /* booked jobs received with no pick list
				  * (yet): not in the ratio */
	/* R-BKG-8, in the period of the slot */
	int64_t reminders_due;	  /* confirmed bookings whose reminder was
				   * due by the ledger's clock */
	int64_t reminded_in_time; /* ... reminded >= 1 h before the slot */
	/* R-BIN-2, in the period the movement happened */
	int64_t stock_moves;  /* stock card movement lines */
	int64_t late_entries; /* ... recorded on a later local day */
	/* stock accuracy, in the period of the stocktake's opening */
	int64_t stocktakes;	   /* with at least one line counted */
	int64_t count_lines;	   /* cards counted (a recount replaces) */
	int64_t count_lines_exact; /* ... agreeing with the book */
	/* R-WOF-6, in the period of the approval */
	int64_t writeoffs;	    /* write-offs approved */
	int64_t wof_shares_due;	    /* role shares above 0 fen */
	int64_t wof_shares_charged; /* ... charged (liability_charged) */
	int64_t wof_shares_overdue; /* ... not charged, and overdue */
} svl_figures_counts;

/* Ratios rounded half up, as the metrics' (SVL_METRICS_NONE when the
 * denominator is 0). */
typedef struct svl_figures_ratios {
	int32_t prepick_permille;    /* prepicked / booked_received */
	int32_t reminded_permille;   /* reminded_in_time / reminders_due */
	int32_t late_entry_permille; /* late_entries / stock_moves */
	int32_t accuracy_bp; /* count_lines_exact / count_lines, basis points */
} svl_figures_ratios;

typedef struct svl_figures_row {
	enum svl_metrics_period period;
	int64_t period_day;		   /* the period's first local day */
	int64_t period_start_ms;	   /* UTC ms of its local midnight */
	char label[SVL_METRICS_LABEL_MAX]; /* as the metrics; "total" */
	svl_figures_counts c;
	svl_figures_ratios r;
} svl_figures_row;

/* A booked job behind R-WO-3 or R-BKG-8 (0: that time does not exist). */
typedef struct svl_fig_job {
	char label[SVL_METRICS_LABEL_MAX]; /* its period */
	char wo_id[SVL_FIGURES_ID_MAX + 1];
	int64_t slot_at_ms;	/* the slot, as last confirmed or moved */
	int64_t received_at_ms; /* the reception */
	int64_t picked_at_ms;	/* its first pick approved or issued */
	char pick_id[SVL_FIGURES_ID_MAX + 1]; /* that pick */
	int64_t reminded_at_ms; /* the last reminder for this slot */
} svl_fig_job;

/* R-BIN-2: a movement entered on a later day than it happened. */
typedef struct svl_fig_late_entry {
	char label[SVL_METRICS_LABEL_MAX]; /* the period it happened in */
	char part_no[SVL_PART_MAX + 1];
	char bin[SVL_BIN_MAX + 1];
	uint32_t type;		   /* the event type: the document */
	char doc[SVL_DOC_MAX + 1]; /* its number (PO, pick, stocktake...) */
	uint64_t seq;
	int64_t occurred_at_ms, recorded_at_ms;
	int64_t days_late; /* local days between the two, >= 1 */
} svl_fig_late_entry;

/* One stocktake of the ledger with at least one line counted. */
typedef struct svl_fig_stocktake {
	char label[SVL_METRICS_LABEL_MAX];
	char stk_id[SVL_FIGURES_ID_MAX + 1];
	int kind;	      /* SVL_STK_KIND_..., -1 when not opened */
	int64_t opened_at_ms; /* the book is read as of this time */
	int64_t closed_at_ms; /* 0 while open */
	int64_t lines;	      /* cards counted (a recount replaces) */
	int64_t lines_exact;  /* ... whose count equals the book */
	int32_t accuracy_bp;  /* lines_exact / lines */
	int64_t adj_proposed; /* adjustment_proposed for it (R-STK-2) */
	int64_t adj_approved; /* adjustment_approved for it */
} svl_fig_stocktake;

/* An approved write-off and its R-WOF-6 shares, indexed by enum
 * svl_wof_share (svl_rules.h). The company's share is what remains: it
 * is never charged and never overdue. */
typedef struct svl_fig_writeoff {
	char label[SVL_METRICS_LABEL_MAX];
	char wof_id[SVL_FIGURES_ID_MAX + 1];
	int64_t approved_at_ms;
	int64_t total_fen;
	int64_t due_at_ms; /* approved_at_ms + the charge days */
	int64_t share_fen[SVL_WOF_SHARES];
	int64_t charged_at_ms[SVL_WOF_SHARES]; /* 0: not charged */
	char charged_to[SVL_WOF_SHARES][SVL_FIGURES_ID_MAX + 1];
	uint8_t overdue[SVL_WOF_SHARES]; /* 1: a role share above 0, not
					  * charged, past due_at_ms */
} svl_fig_writeoff;

/* What svl_figures_get returns. Lists are in period order, then time. */
typedef struct svl_figures {
	enum svl_metrics_period period;
	int64_t as_of_ms;      /* the ledger's clock: its last record's time */
	uint64_t head_seq;     /* the snapshot the log was walked in */
	int32_t tz_offset_min; /* the live rule set's zone */
	int32_t charge_days;   /* R-WOF-6: days before a share is overdue */
	size_t n_rows;
	svl_figures_row *rows; /* periods with anything in them */
	svl_figures_row total; /* the sums of the rows, ratios of the sums */
	size_t n_prepick_misses;
	svl_fig_job *prepick_misses; /* R-WO-3: picked after the reception */
	size_t n_unreminded;
	svl_fig_job *unreminded; /* R-BKG-8: due, not reminded in time */
	size_t n_late;
	svl_fig_late_entry *late; /* R-BIN-2 */
	size_t n_stocktakes;
	svl_fig_stocktake *stocktakes;
	size_t n_writeoffs;
	svl_fig_writeoff *writeoffs; /* every approval in the range */
} svl_figures;

/*
 * svl_figures_get - the figures above for every period of `opt->period`
 * kind that overlaps [from_ms, to_ms) (opt NULL: SVL_FIGURES_OPTIONS_INIT,
 * every month). *out is allocated; free it with svl_figures_free. Returns
 * SVL_OK, SVL_EMISUSE (l or out NULL, unknown options version),
 * SVL_EINVAL (unknown period, from_ms >= to_ms), SVL_ENOMEM, or a read
 * error (SVL_ECORRUPT, SVL_EIO); the detail is svl_ledger_errmsg(l).
 */
SVL_API int svl_figures_get(svl_ledger *l, const svl_figures_options *opt,
			    svl_figures **out);

/* svl_figures_free - free a result of svl_figures_get; NULL is fine. */
SVL_API void svl_figures_free(svl_figures *f);

/* svl_figures_ratios_of - the ratios of counters c (for sums of rows). */
SVL_API void svl_figures_ratios_of(const svl_figures_counts *c,
				   svl_figures_ratios *out);

#ifdef __cplusplus
}
#endif
#endif /* SVL_FIGURES_H */
