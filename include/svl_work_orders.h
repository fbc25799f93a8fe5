/*
 * svl_work_orders.h - work orders: each job of the service process
 * (domain.md section 2) from booking to the close of its follow-up, as the
 * "work_orders" projection folds it from the log. docs/projections.md
 * ("Work orders") defines every field and the state machine.
 *
 * Units: money in fen, quantities in thousandths of the part's unit,
 * labour in minutes, times in UTC ms; a time that has not happened yet is
 * 0. Days are local days in the time zone of the rule set the projection
 * was built under (svl_ledger_rules).
 *
 * Threads and memory: as svl_ledger.h. Every struct handed to a callback
 * is the library's and lives until the callback returns; copy what must
 * outlive it. Callbacks run inside one read snapshot of the ledger: they
 * see one consistent state, and should be quick (a long snapshot keeps
 * old pages from being reused).
 */
#ifndef SVL_WORK_ORDERS_H
#define SVL_WORK_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "svl_ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_WO_ID_MAX 40    /* bytes of a wo, staff, customer, cmp id */
#define SVL_WO_PLATE_MAX 16 /* bytes of a licence plate */
#define SVL_WO_VIN_MAX 17   /* bytes of a VIN */

/*
 * The states of a job. The values are stored in the projection: they are
 * never renumbered. Which event moves a job into which state is the table
 * in docs/projections.md; in short, in the order of domain.md section 2:
 */
enum svl_wo_state {
	SVL_WO_BOOKED = 1,	/* booking requested (R-BKG-2) */
	SVL_WO_CONFIRMED = 2,	/* slot confirmed (R-BKG-5) */
	SVL_WO_RESCHEDULED = 3, /* booking moved (R-BKG-4, R-BKG-8) */
	SVL_WO_CANCELLED = 4,	/* booking cancelled */
	SVL_WO_NO_SHOW = 5,	/* the customer did not come */
	SVL_WO_RECEIVED = 6,	/* vehicle received (R-REC-1..3) */
	SVL_WO_INSPECTED = 7,	/* inspection and diagnosis (R-INS-1/2) */
	SVL_WO_QUOTED = 8,	/* quote issued or revised (R-QUO-1/2) */
	SVL_WO_CONFIRMED_BY_CUSTOMER = 9, /* work order signed (R-WO-1) */
	SVL_WO_DISPATCHED = 10,		  /* to a technician and bay (R-WO-2) */
	SVL_WO_IN_REPAIR = 11,		  /* work under way (parts, findings) */
	SVL_WO_COMPLETED = 12,		  /* the technician finished */
	SVL_WO_IN_QC = 13,		  /* passed a check, more may follow */
	SVL_WO_REWORK = 14,		  /* a check failed (R-QC-1) */
	SVL_WO_READY = 15,		  /* in the completion area (R-QC-3) */
	SVL_WO_SETTLED = 16,		  /* settlement signed (R-SET-1) */
	SVL_WO_PAID = 17,		  /* paid in full */
	SVL_WO_DELIVERED = 18,		  /* handed back (R-SET-2) */
	SVL_WO_FOLLOWING_UP = 19,	  /* follow-up calls made, not closed */
	SVL_WO_CLOSED = 20, /* follow-up reached or failed (R-FU-5) */
};
#define SVL_WO_STATES 21 /* one past the last value */

/* svl_wo_state_name - "booked" ... "closed"; NULL when out of range. */
SVL_API const char *svl_wo_state_name(int state);
/* svl_wo_state_find - the state named `name` (len bytes), or -1. */
SVL_API int svl_wo_state_find(const char *name, size_t len);

/* The follow-up of a delivered job (R-FU-1..6). */
enum svl_fu_result {
	SVL_FU_NONE = 0,    /* no attempt yet */
	SVL_FU_OPEN = 1,    /* attempts made, neither reached nor failed */
	SVL_FU_REACHED = 2, /* the customer was reached (also after a failure,
			     * once re-verified and retried: R-FU-6) */
	SVL_FU_FAILED = 3,  /* failed per R-FU-5: wrong number, details do not
			     * match, refused, or no answer at the rule set's
			     * attempts_for_failure-th attempt or later */
};

/* svl_fu_result_name - "none", "open", "reached", "failed"; NULL else. */
SVL_API const char *svl_fu_result_name(int result);

/* One job. Every int64_t without a unit suffix is a count. */
typedef struct svl_work_order {
	char wo_id[SVL_WO_ID_MAX + 1];
	/* 0 until an event gives the job a state (one named first by a parts
	 * issue or a complaint has none yet) */
	enum svl_wo_state state;
	int64_t state_at_ms; /* occurred_at of the last transition */
	int64_t transitions; /* state changes so far */
	char customer_id[SVL_WO_ID_MAX + 1];
	char plate[SVL_WO_PLATE_MAX + 1];
	char vin[SVL_WO_VIN_MAX + 1];
	int64_t job_kind; /* SVL_JOB_KIND_... (svl_events.h), -1 */
	/* the service_advisor who received the car, else quoted, else booked */
	char advisor_id[SVL_WO_ID_MAX + 1];
	char technician_id[SVL_WO_ID_MAX + 1]; /* of the last dispatch */

	/* booking and reception */
	int64_t first_at_ms; /* first event: booking, or reception of
			      * a walk-in; the "booking day" */
	int64_t booked_at_ms;
	int64_t wanted_at_ms;
	int64_t slot_at_ms; /* the confirmed (or moved) slot */
	int64_t reschedules;
	int64_t received_at_ms;
	int64_t mileage_km;
	int64_t inspected_at_ms;

	/* quotes (R-QUO-1, R-QUO-2) and the signed work order (R-WO-1) */
	int64_t quotes;		 /* first quote + revisions */
	int64_t quote_revision;	 /* of the latest quote; first = 1 */
	int64_t quote_total_fen; /* of the latest quote */
	int64_t promised_at_ms;	 /* latest promise: quote, revision or
				  * signed work order, in log order */
	int64_t signed_at_ms;
	int64_t signed_total_fen;

	/* workshop */
	int64_t dispatched_at_ms;
	int64_t est_labor_min;	/* latest estimate: booking or dispatch */
	int64_t addl_found;	/* additional work (R-WO-4, R-WO-5) */
	int64_t addl_found_fen; /* sum of the findings' estimates */
	int64_t addl_approved;
	int64_t addl_approved_fen; /* amounts the customer signed for */
	int64_t addl_declined;
	int64_t addl_declined_fen;  /* estimates of the declined findings */
	int64_t consultations;	    /* technical consultations (R-WO-4) */
	int64_t parts_issues;	    /* parts_issued events for the job */
	int64_t parts_issued_milli; /* summed over parts: see svl_wo_part */
	int64_t parts_returns;	    /* parts_returned_to_stock events */
	int64_t parts_returned_milli;
	int64_t old_parts_returned; /* old_part_returned events (R-ISS-5) */
	int64_t labor_min;	    /* sum of work_completed labour */
	int64_t completed_at_ms;    /* last work_completed */
	int64_t qc_passed[3];	    /* by SVL_QC_STAGE_SELF/GROUP/FINAL */
	int64_t qc_failed[3];	    /* failed checks, by stage (R-QC-1) */
	int64_t reworks[3];	    /* rework orders, by failed stage */
	int64_t ready_at_ms;

	/* settlement (R-SET-1): the latest settlement's figures */
	int64_t labor_fen;
	int64_t parts_fen;
	int64_t materials_fen;
	int64_t discount_fen;
	int64_t warranty_fen;
	int64_t total_fen; /* due from the customer */
	int64_t settled_at_ms;
	int64_t payments;
	int64_t paid_fen;   /* sum of payments */
	int64_t paid_at_ms; /* when paid_fen first reached total */

	/* delivery (R-SET-2) */
	int64_t delivered_at_ms;
	int on_time; /* 1 delivered at or before promised_at,
		      * 0 later, -1 not delivered or no promise */

	/* follow-up (R-FU-1..6) */
	int64_t fu_attempts;
	int64_t fu_first_at_ms; /* called_at of the first attempt */
	int64_t fu_last_at_ms;
	enum svl_fu_result fu_result;
	int64_t fu_closed_at_ms;    /* called_at of the closing attempt */
	int64_t satisfaction_score; /* first answer on a reached call; 0 */
	int64_t reverifications;    /* contact re-verified (R-FU-6) */

	/* complaints naming this job (R-CMP-2, R-CMP-5) */
	int64_t complaints;
	int64_t major_complaints; /* classes the rule set calls major */

	/* comebacks (first-time fix, docs/projections.md) */
	char comeback_of[SVL_WO_ID_MAX + 1];  /* this job came back for it */
	char came_back_as[SVL_WO_ID_MAX + 1]; /* the job it came back as */
} svl_work_order;

/*
 * svl_work_order_get - the job wo_id into *out. Returns SVL_OK,
 * SVL_ENOTFOUND (no event names that job), SVL_EMISUSE (NULL argument),
 * SVL_EINVAL (wo_id longer than SVL_WO_ID_MAX), SVL_ECORRUPT.
 */
SVL_API int svl_work_order_get(svl_ledger *l, const char *wo_id,
			       svl_work_order *out);

/* Which day a date filter reads. */
enum svl_wo_date {
	SVL_WO_DATE_ANY = 0,	   /* no date filter */
	SVL_WO_DATE_BOOKED = 1,	   /* first_at_ms */
	SVL_WO_DATE_DELIVERED = 2, /* delivered_at_ms (undelivered jobs never
				    * match) */
};

#define SVL_WO_FILTER_VERSION 2

/* What svl_work_orders_list returns: the jobs matching every criterion
 * given. A NULL or 0 criterion matches all. Version 1 callers (without
 * the vehicle and customer fields) still work: those fields are then not
 * read. */
typedef struct svl_wo_filter {
	unsigned version;	   /* SVL_WO_FILTER_VERSION */
	int state;		   /* enum svl_wo_state, 0 = any */
	const char *advisor_id;	   /* NUL-terminated, NULL = any */
	const char *technician_id; /* NUL-terminated, NULL = any */
	enum svl_wo_date date;	   /* which time from_ms/to_ms bound */
	int64_t from_ms;	   /* from_ms <= time < to_ms */
	int64_t to_ms;
	/* version 2: a customer's jobs, a vehicle's (exact match) */
	const char *customer_id; /* NUL-terminated, NULL = any */
	const char *plate;	 /* as received, NULL = any */
	const char *vin;	 /* NULL = any */
} svl_wo_filter;

#define SVL_WO_FILTER_INIT                                                     \
	{                                                                      \
		SVL_WO_FILTER_VERSION, 0, NULL, NULL, SVL_WO_DATE_ANY, 0, 0,   \
		    NULL, NULL, NULL                                           \
	}

/* Called once per job; a non-zero return stops the walk and is returned by
 * the list call. */
typedef int (*svl_wo_fn)(const svl_work_order *wo, void *payload);

/*
 * svl_work_orders_list - call fn for every job matching filter (NULL: all
 * jobs). Every criterion is a range scan of an index: the walk is driven by
 * the VIN, else the plate, else the customer, else the advisor, else the
 * technician, else the date, else the state index, and the other criteria
 * are checked on each job found. Order: by date (then wo_id) when a date
 * range drives the walk, else by wo_id. Returns SVL_OK, fn's non-zero
 * value, SVL_EMISUSE (l or fn NULL, bad version), SVL_EINVAL (unknown
 * state or date kind, from_ms >= to_ms with a date, an id too long),
 * SVL_ECORRUPT.
 */
SVL_API int svl_work_orders_list(svl_ledger *l, const svl_wo_filter *filter,
				 svl_wo_fn fn, void *payload);

/*
 * svl_work_orders_page - the same, one page at a time (svl_page,
 * svl_ledger.h): fn sees at most page->limit jobs after page->after, in
 * the list's order; page->total counts every job matching the filter and
 * page->next is the cursor of the next page ("" after the last). A
 * cursor is only valid for the same filter. Cost: the walk of the whole
 * index range (the total needs it); a job off the page is only counted,
 * not read, when the driving index alone decides the filter; fn runs only
 * for the page. Returns as svl_work_orders_list, and SVL_EINVAL for a
 * cursor that is not one of this walk's.
 */
SVL_API int svl_work_orders_page(svl_ledger *l, const svl_wo_filter *filter,
				 svl_page *page, svl_wo_fn fn, void *payload);

/* ---- a job's detail rows ----------------------------------------------- */

/* One transition: the state entered, when (occurred_at of the event that
 * caused it) and by which log record. */
typedef struct svl_wo_transition {
	enum svl_wo_state state;
	int64_t at_ms;
	uint64_t seq;
} svl_wo_transition;

typedef int (*svl_wo_transition_fn)(const svl_wo_transition *t, void *payload);

/* svl_work_order_transitions - the job's transitions in log order. Returns
 * as svl_work_order_get, or fn's non-zero value. */
SVL_API int svl_work_order_transitions(svl_ledger *l, const char *wo_id,
				       svl_wo_transition_fn fn, void *payload);

/* The parts one job took: parts_issued and parts_returned_to_stock events
 * (in part- streams) that name the job. */
typedef struct svl_wo_part {
	char part_no[SVL_WO_ID_MAX + 1];
	int64_t issued_milli;
	int64_t returned_milli; /* unused, back to stock */
	int64_t issues;
	int64_t returns;
} svl_wo_part;

typedef int (*svl_wo_part_fn)(const svl_wo_part *p, void *payload);

/* svl_work_order_parts - the job's parts, by part number. Returns as
 * svl_work_order_get, or fn's non-zero value. */
SVL_API int svl_work_order_parts(svl_ledger *l, const char *wo_id,
				 svl_wo_part_fn fn, void *payload);

/* A complaint naming the job. */
typedef struct svl_wo_complaint {
	char cmp_id[SVL_WO_ID_MAX + 1];
	int severity; /* SVL_CMP_SEVERITY_... (svl_events.h); -1 not yet
		       * classified */
	int major;    /* 1 when the rule set counts its class as major */
} svl_wo_complaint;

typedef int (*svl_wo_complaint_fn)(const svl_wo_complaint *c, void *payload);

/* svl_work_order_complaints - the complaints naming the job, by id. */
SVL_API int svl_work_order_complaints(svl_ledger *l, const char *wo_id,
				      svl_wo_complaint_fn fn, void *payload);

#ifdef __cplusplus
}
#endif
#endif /* SVL_WORK_ORDERS_H */
