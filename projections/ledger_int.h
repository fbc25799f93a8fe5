/*
 * ledger_int.h - what the ledger's files share (not public).
 */
#ifndef SVL_LEDGER_INT_H
#define SVL_LEDGER_INT_H

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

struct svl_ledger {
	svl_log *log;
	svl_proj_slot slots[SVL_PROJECTIONS];
	svl_decide_options decide; /* from the live rules and the options */
	int needs_rebuild;     /* a projection's code changed since it was built */
	int recovered;         /* live states refolded because they did not decode */
	_Atomic int shadow_attached; /* hook also keeps the non-live slots current */
};

/* The live slot's table of projection `name` as seen by txn (a read or
 * write transaction of l's log): what query functions read. Returns
 * SVL_OK, SVL_ENOTFOUND (no such projection). */
int svl__ledger_table(svl_ledger *l, const char *name, svl_txn *txn,
		      unsigned *table);

int svl__ledger_catch_up(svl_ledger *l, int other, svl_progress_fn progress,
			 void *payload, uint64_t *events);
int svl__ledger_infos(svl_ledger *l, int other, svl_projection_info *out);

#endif
