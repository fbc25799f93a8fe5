/*
 * decide_int.h - what the decider files share (not public API).
 *
 * One decision is one svl__dctx: the transaction, the proposed event and
 * its decoded payload, the claimed role, the options with defaults filled
 * in, and where a refusal goes. The area files (decide_workshop.c,
 * decide_followup.c, decide_issue.c, decide_receiving.c, decide_stock.c,
 * roles.c) each export one svl__decide_<area>() that handles the types of
 * its area and returns SVL_OK for any other type.
 *
 * State comes from two places only: folds over the streams the event
 * touches (svl__fold, on the transaction's own view, so earlier events of
 * the same batch count), and the decider index (decide_index.c) for the
 * few cross-stream aggregates no single stream holds.
 */
#ifndef SVL_DECIDE_INT_H
#define SVL_DECIDE_INT_H

#include <stdint.h>
#include <string.h>

#include "calendar.h"
#include "decide_policy.h"
#include "followup.h"
#include "waivers.h"
#include "money.h" /* svl__fmt_qty */
#include "mp.h"
#include "svl_decide.h"
#include "svl_events.h"

typedef struct svl__dctx {
	svl_txn *txn;
	const svl_event_in *ev;
	const svl_rules *rules; /* the policy (decide_policy.h) */
	unsigned flags;		/* enum svl_decide_flags */
	svl_refusal *why;	/* never NULL inside a decision */
	const svl_event_type *type;
	svl_event_view v; /* the proposed payload, decoded */
	int role;	  /* SVL_ROLE_... the event claims */
	unsigned table;	  /* the decider index */
	int table_ok;	  /* table found (svl__index_open) */
} svl__dctx;

/* ---- decide.c: refusals, times, folds ---- */

/* Fill c->why with rule and "rule: message", record the refusal as data
 * (rule, fmt as its message id, each conversion's text: svl_refusal_last),
 * set the transaction's detail message, and return SVL_EREFUSED. fmt must
 * be a string literal: it is the message id the catalogs translate
 * (model/msg_zh_CN.def). */
int svl__refuse(svl__dctx *c, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Make r (NULL: no refusal) the calling thread's last refusal
 * (svl_refusal_last): svl__refuse records each one, a decision clears it
 * first, and the group commit hands a submitter the one its request got
 * on the leader's thread. */
void svl__refusal_put(const svl_refusal_info *r);

/* SVL_EINVAL with a detail message (the event itself is wrong). */
int svl__invalid(svl__dctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Fold one stream: fn is called for every record of stream "<prefix>-<key>"
 * with seq <= upto_seq (0 = all), in stream order, with its payload
 * decoded. fn returns SVL_OK to go on, anything else stops the fold and is
 * returned (SVL_ITEROVER stops early and counts as success). The view and
 * record borrow the log: copy what must outlive the call.
 */
typedef int (*svl__fold_fn)(void *st, const svl_record *r,
			    const svl_event_view *v);
int svl__fold(svl__dctx *c, const char *prefix, const svl_value *key,
	      uint64_t upto_seq, svl__fold_fn fn, void *st);

/* The current version of stream "<prefix>-<key>" (0 when it has none). */
int svl__stream_version(svl__dctx *c, const char *prefix, const svl_value *key,
			uint64_t *out);

/* Copy a string value into buf (cap >= 1), NUL-terminated, truncated. */
void svl__vcopy(char *buf, size_t cap, const svl_value *v);

static inline int svl__veq(const svl_value *a, const svl_value *b)
{
	return a->present && b->present && a->len == b->len &&
	       (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

static inline int svl__veqs(const svl_value *a, const char *s)
{
	size_t n = strlen(s);
	return a->present && a->len == n && (n == 0 || memcmp(a->s, s, n) == 0);
}

/* Print a value as "%.*s" arguments. */
#define SVL__V(x) (int)(x).len, (x).s

/* The proposed event's field f (an SVL_F_... index). */
#define SVL__F(c, f) (&(c)->v.v[f])

/* ---- roles.c ---- */

/* Does `actor` (len bytes) hold `role` at at_ms, per the staff stream? *held
 * gets 1/0; from/until (may be NULL) describe the nearest interval for the
 * refusal message (INT64_MIN when none). */
int svl__role_held(svl__dctx *c, const char *actor, size_t len, int role,
		   int64_t at_ms, int *held, int64_t *from_ms,
		   int64_t *until_ms);
/* R-ROLE-1 and R-ROLE-2 for the proposed event. */
int svl__check_roles(svl__dctx *c);
int svl__decide_staff(svl__dctx *c);

/* ---- the area deciders ---- */
int svl__decide_booking(svl__dctx *c);	 /* decide_workshop.c */
int svl__decide_workshop(svl__dctx *c);	 /* decide_workshop.c */
int svl__decide_followup(svl__dctx *c);	 /* decide_followup.c */
int svl__decide_issue(svl__dctx *c);	 /* decide_issue.c */
int svl__decide_bins(svl__dctx *c);	 /* decide_parts.c */
int svl__decide_receiving(svl__dctx *c); /* decide_receiving.c */
int svl__decide_stock(svl__dctx *c);	 /* decide_stock.c */
int svl__decide_writeoff(svl__dctx *c);	 /* decide_writeoff.c */
int svl__decide_front(svl__dctx *c);	 /* decide_front.c */
int svl__decide_office(svl__dctx *c);	 /* decide_office.c */
int svl__decide_oldparts(svl__dctx *c);	 /* decide_oldparts.c */

/* ---- the part stream (decide_receiving.c) ---- */

/* Stock of one part at one bin, folded from its stream (and the index). */
typedef struct svl__stock {
	int has_bin;		     /* a bin is assigned (R-BIN-1) */
	char bin[SVL_EV_ID_MAX + 1]; /* the part's bin, when has_bin */
	int64_t sellable_milli;	     /* on hand at the bin, incl. reserved */
	int64_t quarantined_milli;   /* separate ledger (R-BIN-3) */
	int64_t reserved_milli;	     /* reserved for all jobs (R-BKG-6) */
	int64_t reserved_wo_milli;   /* of which for the job asked about */
	int64_t issued_wo_milli;     /* net issued to that job (R-ISS-5) */
	int64_t issued_pick_milli;   /* issued on the pick asked about */
	int64_t shelved_po_milli;    /* shelved from the PO asked about */
	uint32_t adj_approved;	     /* the adjustment asked about: approved */
} svl__stock;

/* What a stock fold should also sum (all optional, NULL/0 for none). */
typedef struct svl__stock_q {
	const svl_value *bin;	  /* the bin counted (NULL: the part's bin) */
	const svl_value *wo_id;	  /* job for reserved_wo / issued_wo */
	const svl_value *pick_id; /* pick for issued_pick */
	const svl_value *po_id;	  /* PO for shelved_po */
	const svl_value *stk_id;  /* adjustment asked about: stk and adj_no */
	int64_t adj_no;
	/* 0: the present, from the index's counters (decide_stockidx.c);
	 * else fold the part stream up to this seq (the "as of" book) */
	uint64_t upto_seq;
} svl__stock_q;

int svl__stock_fold(svl__dctx *c, const svl_value *part_no,
		    const svl__stock_q *q, svl__stock *out);

/* R-BIN-1: the part has a bin and `bin` is it. */
int svl__check_bin(svl__dctx *c, const svl_value *part_no, const svl_value *bin,
		   const svl__stock *s);

/* ---- the job stream (decide_wo.c) ---- */

#define SVL__FINDINGS 100 /* finding_no is 1..99 */

enum { SVL__FIND_NONE, SVL__FIND_OPEN, SVL__FIND_APPROVED, SVL__FIND_DECLINED };

/* svl__job.finding_flags bits: a technical problem (R-WO-4), and the
 * technical director's consultation on it recorded (R-WO-4). */
enum { SVL__FIND_TECHNICAL = 1, SVL__FIND_CONSULTED = 2 };

#define SVL__REVISIONS 100 /* quote revision is 1..99 */

/* A job as the deciders see it, folded from its wo- stream (the work
 * orders projection keeps its own record, work_orders_int.h). */
typedef struct svl__job {
	int exists;    /* the stream has events */
	int requested; /* booking_requested */
	int job_kind;  /* SVL_JOB_KIND_..., -1 unknown */
	int confirmed; /* booking confirmed and not cancelled */
	int cancelled;
	int64_t slot_at_ms;		    /* the confirmed slot */
	int received;			    /* vehicle_received */
	int inspected;			    /* inspection_recorded (R-INS-1) */
	int quote_rev;			    /* latest quote revision, 0 none */
	int quote_agreed;		    /* the latest revision is agreed */
	uint8_t rev_agreed[SVL__REVISIONS]; /* per revision (R-QUO-2) */
	int agreed_rev;	    /* the latest agreed revision, 0 none */
	int64_t agreed_fen; /* its total (R-QUO-2: the settlement's) */
	int signed_rev;	    /* revision the customer signed, 0 none */
	int dispatched;	    /* work_dispatched (R-WO-2) */
	int completed;	    /* work done since the last rework order */
	int rework_open;    /* rework ordered, not yet completed */
	int qc_passed;	    /* checks passed this round, 0..3 */
	int qc_failed;	    /* a check failed: its stage + 1; else 0 */
	uint8_t finding[SVL__FINDINGS];	      /* SVL__FIND_... per finding_no */
	uint8_t finding_flags[SVL__FINDINGS]; /* SVL__FIND_TECHNICAL... */
	uint8_t finding_rev[SVL__FINDINGS];   /* quote_rev when reported */
	int ready;			      /* vehicle_ready */
	int settled;
	int64_t due_fen, paid_fen;
	int delivered;
	int warranty_old_parts; /* old parts on the warranty ledger (R-QC-2) */
	svl__fu_round fu;	/* the follow-up round (model/followup.h) */
	/* the part asked about (R-ISS-5) */
	const svl_value *part;
	int64_t old_returned_milli;
} svl__job;

int svl__job_fold(svl__dctx *c, const svl_value *wo_id, const svl_value *part,
		 svl__job *out);

/* decide_qc.c: the workshop types after dispatch, given the job's state */
int svl__decide_workshop_findings(svl__dctx *c, const svl__job *w);
int svl__decide_workshop_qc(svl__dctx *c, const svl__job *w);
/* R-WO-2: refuse `what` (a step after the dispatch) when the job was
 * never dispatched to a technician. */
int svl__require_dispatched(svl__dctx *c, const svl__job *w, const char *what);

/* ---- decide_index.c: the decider index ---- */

/* Find the index table of this log (svl_decide_prepare opened it) and, in
 * a write transaction, catch it up with the log. SVL_EMISUSE if absent. */
int svl__index_open(svl__dctx *c);
/* Catch the index up to the transaction's head (write transaction). */
int svl__index_catch_up(svl_txn *txn, unsigned table);
/* Find the table of the transaction's log; SVL_EMISUSE when not prepared. */
int svl__index_find(svl_txn *txn, unsigned *table);

/* Confirmed jobs with a slot in [from_ms, to_ms), other than wo_id. */
int svl__index_jobs_between(svl__dctx *c, int64_t from_ms, int64_t to_ms,
			    const svl_value *except_wo, uint32_t *out);
/* The part a bin belongs to (R-BIN-1); *found 0 when free. */
int svl__index_bin_owner(svl__dctx *c, const svl_value *bin, char *part,
			 size_t cap, int *found);
/* Quantity of part at bin taken out of sellable stock by approved
 * write-offs with seq <= upto_seq (0 = all) (R-WOF-5). */
int svl__index_written_off(svl__dctx *c, const svl_value *part_no,
			   const svl_value *bin, uint64_t upto_seq,
			   int64_t *out);
/* The bin of a part (R-BIN-1), NUL-terminated into bin; *found 0: none. */
int svl__index_part_bin(svl__dctx *c, const svl_value *part, char *bin,
			size_t cap, int *found);
/* The staff id a public key (64 hex digits) is registered to (R-KEY-1). */
int svl__index_key_owner(svl__dctx *c, const svl_value *pk, char *staff,
			 size_t cap, int *found);
/* Whether a service_manager or general_manager was ever appointed. */
int svl__index_has_manager(svl__dctx *c, int *out);
/* A job's old parts of one part named by its warranty claims (what 'c')
 * or disposed of by the shop ('d'), summed over every such event. */
int svl__index_old_parts(svl__dctx *c, char what, const svl_value *wo,
			 const svl_value *part, int64_t *out);
/* Whether share k (SVL_SPLIT_...) of write-off wof was charged (R-WOF-6). */
int svl__index_share_charged(svl__dctx *c, const svl_value *wof, int share,
			     int *out);
/* Fen charged to people for the human-caused write-off wof (R-WOF-3). */
int svl__index_human_charged(svl__dctx *c, const svl_value *wof, int64_t *out);

/* ---- decide_stockidx.c: stock counters of the index ---- */

/* One change of the stock counters, named by its key kind in the index:
 * 'Q' part at bin by d = sellable, quarantined, reserved; by d[0]: 'R'
 * reserved for job doc at bin, 'I' net issued to job doc, 'K' issued on
 * pick doc, 'V' shelved from PO doc; 'J' adjustment (stocktake doc,
 * adj_no) approved. The values borrow the event's view. */
typedef struct svl__stock_delta {
	char kind;
	const svl_value *part, *bin, *doc;
	int64_t adj_no;
	int64_t d[3];
} svl__stock_delta;
typedef int (*svl__stock_delta_fn)(void *st, const svl__stock_delta *d);
/* The changes one event makes, read through model/stock_moves.def; fn's
 * first code other than SVL_OK stops the walk and is returned. */
int svl__stock_deltas(const svl_event_view *v, svl__stock_delta_fn fn,
		      void *st);
/* Whether events of this type move the stock counters. */
int svl__stockidx_type(uint32_t type);
/* Fold one event into the counters. */
int svl__stockidx_apply(svl_txn *txn, unsigned table, uint32_t type,
			const svl_event_view *v);
/* svl__stock_fold's answer (q->upto_seq 0) from the counters. */
int svl__stockidx_get(svl__dctx *c, const svl_value *part,
		      const svl__stock_q *q, svl__stock *out);

/* ---- decide_writeoff.c ---- */

/* Which share (SVL_SPLIT_...; 0 none) of the approved write-off wof falls
 * on staff: the first of service_manager, parts_manager, warehouse_keeper
 * they held when it was approved. *approved_fen gets its total. */
int svl__writeoff_share_of(svl__dctx *c, const svl_value *wof,
			   const svl_value *staff, int *share,
			   int64_t *approved_fen);

#endif
