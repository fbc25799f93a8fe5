/*
 * ledger_int.h - what the ledger's files share (not public).
 */
#ifndef SVL_LEDGER_INT_H
#define SVL_LEDGER_INT_H

#include <pthread.h>

#include "decide_policy.h"
#include "proj.h"
#include "svl_ledger.h"

/* Events folded per catch-up transaction: large enough to amortise the
 * commit, small enough that appends of other writers wait little. */
#define SVL_CATCH_UP_EVENTS 8192

/* The projections, in a fixed order (registry.c). */
extern const svl_proj_def *const svl__projections[];
extern const size_t svl__n_projections;

/* The seq of the event a projection's key records (history keys), or 0:
 * lets the invariant check name the first event where two states
 * diverge (registry.c). */
uint64_t svl__proj_key_seq(const svl_proj_def *def, const void *key,
			   size_t key_len);

/* One submission waiting for its group's commit (group.c). */
typedef struct svl__group_req {
	const svl_event_in *evs;
	size_t n;
	unsigned flags;	   /* SVL_SUBMIT_ROLES_ONLY (never a dry run) */
	svl_position *pos; /* n positions out */
	/* the outcome */
	int rc;
	svl_refusal why;
	svl_refusal_info info; /* why as data, when rc is SVL_EREFUSED */
	size_t failed;	/* index of the event at fault, SIZE_MAX: none */
	char msg[512];	/* one line, when rc != SVL_OK */
	/* the queue */
	int done, dropped;
	struct svl__group_req *next;
} svl__group_req;

/* Until svl__ledger_fold_all, the appends of this thread's write
 * transaction on l are not folded into the projections one by one (the
 * append hook returns at once); svl__ledger_fold_all then folds every
 * projection (and the slots being rebuilt beside) up to the transaction's
 * head, and ends the deferral. Deciders read streams and the decider
 * index, never projections, so they are not affected. */
void svl__ledger_defer_folds(const svl_ledger *l);
int svl__ledger_fold_all(svl_ledger *l, svl_txn *t);

/* Submit r with whatever other threads submit meanwhile, in one write
 * transaction and one commit; returns when r's outcome is in r. */
void svl__group_submit(svl_ledger *l, svl__group_req *r);
/* A failure that is the submission's own rather than the machine's. */
int svl__event_fault(int rc);

struct svl_ledger {
	svl_log *log;
	/* group commit (group.c) */
	pthread_mutex_t gc_lock;
	pthread_cond_t gc_cond;
	svl__group_req *gc_head, *gc_tail;
	int gc_leader; /* a thread is writing a group */
	/* in-process waiters (follow.c): commits of this process, counted
	 * under gc_lock; commit_cond uses CLOCK_MONOTONIC */
	uint64_t commits;
	pthread_cond_t commit_cond;
	svl_proj_slot slots[SVL_PROJECTIONS];
	/* the deciders' policy: the live rule set, with the options' day
	 * capacity when not 0 (svl__ledger_policy) */
	svl_rules policy;
	uint32_t day_capacity_jobs; /* svl_ledger_options', 0: the rules' */
	int needs_rebuild;     /* a projection's code changed since it was built */
	int recovered;         /* live states refolded because they did not decode */
	_Atomic int shadow_attached; /* hook also keeps the non-live slots current */
};

/* The live slot's table of projection `name` as seen by txn (a read or
 * write transaction of l's log): what query functions read. Returns
 * SVL_OK, SVL_ENOTFOUND (no such projection). */
/* Read the live rule set into l->policy (at open and after a switch). */
int svl__ledger_policy(svl_ledger *l);
int svl__ledger_table(svl_ledger *l, const char *name, svl_txn *txn,
		      unsigned *table);

int svl__ledger_catch_up(svl_ledger *l, int other, svl_progress_fn progress,
			 void *payload, uint64_t *events);
int svl__ledger_infos(svl_ledger *l, int other, svl_projection_info *out);

/* snapshot.c: run fn in the calling thread's pinned snapshot of l
 * (svl_ledger_read_begin), else in a fresh one, as svl_log_read. Every
 * query of the ledger reads through it. */
int svl__ledger_read(svl_ledger *l, svl_txn_fn fn, void *payload);
/* End the calling thread's pin of l, if any (svl_ledger_close). */
void svl__ledger_unpin(svl_ledger *l);

/* page.c: one list call's paging (svl_page). Begin with the caller's
 * page (NULL: no paging, every item taken); hand every matching item's
 * cursor, in list order, to take (1: give it to the caller, 0: skip it);
 * end after the walk. Cursors sort by strcmp in list order and are at
 * most SVL_PAGE_KEY_MAX bytes. */
typedef struct svl__pager {
	svl_page *p;
	const char *after;
	int more;
} svl__pager;
void svl__page_begin(svl__pager *g, svl_page *p);
int svl__page_take(svl__pager *g, const char *cursor);
void svl__page_end(svl__pager *g);

/* work_orders_query.c: the live slot's table of projection `name` and
 * the rules it was built under (rules may be NULL), inside t. */
int svl__proj_live_table(svl_ledger *l, const char *name, svl_txn *t,
			 unsigned *table, svl_rules *rules);

#endif
