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
 *   R-FU-7   follow-up quality: per period the follow-up calls made, the
 *            jobs whose follow-up was reached or failed (the R-FU-4/5
 *            round of model/followup.c), the success rate against the
 *            80% of R-FU-2, and the quality problems the calls found, by
 *            department; the list of those problems, per day (the
 *            supervisor's daily list; the month's rows are the report due
 *            to the service manager by the 3rd of the next month)
 *   R-FU-8   satisfaction per department (the mean score of each job's
 *            first reached answer, under the department its call named);
 *            the complaint-resolution table (complaints opened, resolved
 *            on time or late against the general manager's deadline,
 *            closed with the customer's confirmation; the major ones of
 *            R-CMP-5); lost customers by reason, and their list
 *   R-BKG-7  the warranty-warning vehicles (flagged at booking or at
 *            reception) and their hand-off to the front desk supervisor:
 *            the outcome, or pending
 *   R-BKG-8  delays notified (delay_notified): how many, how many in
 *            advance (at or before the promise then in force), how many
 *            late, and the late ones
 *   R-QUO-3  requisition lines (parts_requisitioned) not yet taken into a
 *            parts plan (a parts_plan_drafted line naming the job)
 *   counter sales priced, paid and outstanding; warranty claims filed,
 *            settled, and those whose claim parts are not all shipped
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

#include "svl_events.h"
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
/* R-FU-2: follow-up success at least 80% (回訪成功率不低於80%). */
#define SVL_FIGURES_TARGET_FU_SUCCESS_PERMILLE 800

/* Departments of R-FU-7 and R-FU-8: the catalog's department values
 * (SVL_DEPARTMENT_..., svl_events.h), then one for a follow-up that named
 * none. Lost-customer reasons: the catalog's SVL_LOST_REASON_... */
#define SVL_FIGURES_DEPT_UNASSIGNED SVL_DEPARTMENT__COUNT
#define SVL_FIGURES_DEPTS (SVL_DEPARTMENT__COUNT + 1)
#define SVL_FIGURES_LOST_REASONS SVL_LOST_REASON__COUNT

#define SVL_FIGURES_TEXT_MAX SVL_EV_NOTE_MAX /* bytes of a problem */

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
	/* R-FU-7, R-FU-2: calls in the period of their called_at_ms; jobs
	 * in the period of the call that settled their follow-up */
	int64_t fu_calls;    /* followup_attempted */
	int64_t fu_reached;  /* jobs whose follow-up is reached */
	int64_t fu_failed;   /* ... failed (R-FU-4, R-FU-5), for now */
	int64_t fu_problems; /* calls with a quality_issue */
	int64_t fu_problems_dept[SVL_FIGURES_DEPTS]; /* ... by department */
	/* R-FU-8 satisfaction, in the period of the answering call */
	int64_t sat_answers[SVL_FIGURES_DEPTS];	  /* jobs' first scores */
	int64_t sat_score_sum[SVL_FIGURES_DEPTS]; /* ... their sum */
	/* R-FU-8 complaints, in the period of complaint_opened */
	int64_t complaints;    /* opened */
	int64_t cmp_major;     /* ... classed major (R-CMP-5) */
	int64_t cmp_resolved;  /* ... resolved (complaint_resolved) */
	int64_t cmp_on_time;   /* ... at or before the plan's deadline */
	int64_t cmp_late;      /* resolved after it, or open past it */
	int64_t cmp_confirmed; /* closed, the customer confirming */
	/* R-FU-8 lost customers, in the period of customer_lost */
	int64_t lost;
	int64_t lost_reason[SVL_FIGURES_LOST_REASONS];
	/* R-BKG-7, in the period of the vehicle's first flag */
	int64_t warnings;	     /* warranty-warning vehicles */
	int64_t warnings_handed_off; /* ... with a warning_handed_off */
	/* R-BKG-8, in the period of the notice */
	int64_t delays_notified;   /* delay_notified */
	int64_t delays_in_advance; /* ... at or before the promise */
	int64_t delays_late;	   /* ... after it (no promise: neither) */
	/* R-QUO-3, in the period of the requisition */
	int64_t req_lines;	   /* parts_requisitioned lines */
	int64_t req_lines_planned; /* ... taken into a parts plan */
	/* counter sales, in the period of the pricing */
	int64_t sales;		   /* counter_sale_priced */
	int64_t sales_paid;	   /* ... paid in full */
	int64_t sales_due_fen;	   /* their totals */
	int64_t sales_paid_fen;	   /* counter_sale_paid on them */
	/* warranty claims, in the period of the filing */
	int64_t claims;		    /* warranty_claim_filed */
	int64_t claims_fen;	    /* ... amounts claimed */
	int64_t claims_settled;	    /* ... with a warranty_claim_settled */
	int64_t claims_paid_fen;    /* ... what the maker paid */
	int64_t claims_unshipped;   /* ... with claim parts not all shipped */
} svl_figures_counts;

/* Ratios rounded half up, as the metrics' (SVL_METRICS_NONE when the
 * denominator is 0). */
typedef struct svl_figures_ratios {
	int32_t prepick_permille;    /* prepicked / booked_received */
	int32_t reminded_permille;   /* reminded_in_time / reminders_due */
	int32_t late_entry_permille; /* late_entries / stock_moves */
	int32_t accuracy_bp; /* count_lines_exact / count_lines, basis points */
	int32_t fu_success_permille;  /* fu_reached / (reached + failed) */
	int32_t cmp_on_time_permille; /* cmp_on_time / (on_time + late) */
	/* sat_score_sum / sat_answers, thousandths of a point (1..10) */
	int32_t sat_avg_milli[SVL_FIGURES_DEPTS];
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

/* R-FU-7: a follow-up call that found a quality problem. */
typedef struct svl_fig_problem {
	char label[SVL_METRICS_LABEL_MAX]; /* the period of the call */
	int64_t day;			   /* the call's local day */
	int64_t called_at_ms;
	char wo_id[SVL_FIGURES_ID_MAX + 1];
	char problem[SVL_FIGURES_TEXT_MAX + 1]; /* its quality_issue */
	int department; /* SVL_DEPARTMENT_..., or SVL_FIGURES_DEPT_UNASSIGNED */
	char who[SVL_FIGURES_ID_MAX + 1]; /* who called: the actor */
} svl_fig_problem;

/* R-FU-8: a complaint opened in the range, as its events leave it
 * (-1, 0: not yet). */
typedef struct svl_fig_complaint {
	char label[SVL_METRICS_LABEL_MAX]; /* the period of its opening */
	char cmp_id[SVL_FIGURES_ID_MAX + 1];
	char wo_id[SVL_FIGURES_ID_MAX + 1]; /* "" when it names no job */
	int64_t opened_at_ms;
	int severity;		/* SVL_CMP_SEVERITY_..., the last class; -1 */
	int major;		/* 1: its class is major in the live rule set */
	int department;		/* SVL_DEPARTMENT_... of the last plan; -1 */
	int64_t deadline_at_ms; /* the last plan's deadline; 0 */
	int64_t resolved_at_ms; /* the first complaint_resolved; 0 */
	int64_t closed_at_ms;	/* the first complaint_closed; 0 */
	int customer_confirmed; /* the closing's confirmation (R-CMP-4) */
	int on_time; /* 1 resolved by the deadline, 0 late (resolved after
		      * it, or open past it by the ledger's clock), -1 not
		      * yet known (no plan, or open before its deadline) */
} svl_fig_complaint;

/* R-FU-8: a customer recorded as lost. */
typedef struct svl_fig_lost {
	char label[SVL_METRICS_LABEL_MAX];
	char customer_id[SVL_FIGURES_ID_MAX + 1];
	int64_t lost_at_ms;
	int reason;			    /* SVL_LOST_REASON_... */
	char wo_id[SVL_FIGURES_ID_MAX + 1]; /* the last job; "" */
	char who[SVL_FIGURES_ID_MAX + 1];   /* who recorded it */
} svl_fig_lost;

/* R-BKG-7: a vehicle flagged with a warranty warning, and its hand-off. */
typedef struct svl_fig_warning {
	char label[SVL_METRICS_LABEL_MAX]; /* the period of its first flag */
	char wo_id[SVL_FIGURES_ID_MAX + 1];
	int64_t flagged_at_ms;	  /* the first flag */
	uint32_t flagged_by;	  /* SVL_T_BOOKING_REQUESTED or
				   * SVL_T_VEHICLE_RECEIVED: that flag */
	int64_t handed_off_at_ms; /* the first warning_handed_off; 0 */
	int outcome;		  /* SVL_WARNING_OUTCOME_...; -1 pending */
	char who[SVL_FIGURES_ID_MAX + 1]; /* the supervisor; "" pending */
} svl_fig_warning;

/* R-BKG-8: a delay told the customer after the promise had passed. */
typedef struct svl_fig_delay {
	char label[SVL_METRICS_LABEL_MAX]; /* the period of the notice */
	char wo_id[SVL_FIGURES_ID_MAX + 1];
	int64_t notified_at_ms;
	int64_t promised_at_ms;	 /* the promise then in force */
	int64_t new_ready_at_ms; /* the new one */
} svl_fig_delay;

/* R-QUO-3: a requisition line no parts plan has taken in (yet). */
typedef struct svl_fig_requisition {
	char label[SVL_METRICS_LABEL_MAX]; /* the period of the requisition */
	char wo_id[SVL_FIGURES_ID_MAX + 1];
	char part_no[SVL_FIGURES_ID_MAX + 1];
	int64_t qty_milli;
	int64_t requisitioned_at_ms;
} svl_fig_requisition;

/* A counter sale priced and not paid in full. */
typedef struct svl_fig_sale {
	char label[SVL_METRICS_LABEL_MAX]; /* the period of the pricing */
	char pick_id[SVL_FIGURES_ID_MAX + 1];
	int64_t priced_at_ms; /* the last pricing */
	int64_t due_fen;      /* its total */
	int64_t paid_fen;     /* paid so far */
} svl_fig_sale;

/* A warranty claim whose claim parts are not all shipped. */
typedef struct svl_fig_claim {
	char label[SVL_METRICS_LABEL_MAX]; /* the period of the filing */
	char claim_id[SVL_FIGURES_ID_MAX + 1];
	char wo_id[SVL_FIGURES_ID_MAX + 1];
	int64_t filed_at_ms;
	int64_t claimed_fen;
	int64_t parts;		 /* part numbers on the claim */
	int64_t parts_unshipped; /* ... shipped short of the claim */
	int64_t settled_at_ms;	 /* 0: not settled */
	int64_t paid_fen;
} svl_fig_claim;

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
	size_t n_problems;
	svl_fig_problem *problems; /* R-FU-7: every one in the range */
	size_t n_complaints;
	svl_fig_complaint *complaints; /* R-FU-8: opened in the range */
	size_t n_lost;
	svl_fig_lost *lost; /* R-FU-8 */
	size_t n_warnings;
	svl_fig_warning *warnings; /* R-BKG-7: flagged in the range */
	size_t n_late_delays;
	svl_fig_delay *late_delays; /* R-BKG-8: told after the promise */
	size_t n_unplanned;
	svl_fig_requisition *unplanned; /* R-QUO-3: not in a parts plan */
	size_t n_unpaid_sales;
	svl_fig_sale *unpaid_sales; /* counter sales not paid in full */
	size_t n_unshipped_claims;
	svl_fig_claim *unshipped_claims; /* claim parts not all shipped */
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
