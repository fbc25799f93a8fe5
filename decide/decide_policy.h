/*
 * decide_policy.h - the deciders as the ledger calls them: under a rule
 * set (svl_rules, the one policy object deciders and projections read),
 * not under the public svl_decide_options, which svl_decide() maps onto a
 * rule set once (svl__rules_of_options).
 */
#ifndef SVL_DECIDE_POLICY_H
#define SVL_DECIDE_POLICY_H

#include <stddef.h>

#include "svl_decide.h"
#include "rules_int.h"
#include "svl_rules.h"

/* The rule set an svl_decide_options stands for: the defaults, with the
 * options' zone, day capacity, write-off split (unless all zero) and
 * require_signed. */
void svl__rules_of_options(const svl_decide_options *o, svl_rules *out);

/* svl_decide and svl_decide_append under a rule set; flags are enum
 * svl_decide_flags. */
int svl__decide(svl_txn *txn, const svl_event_in *ev, const svl_rules *policy,
		unsigned flags, svl_refusal *why);
int svl__decide_append(svl_txn *txn, const svl_event_in *evs, size_t n,
		       const svl_rules *policy, unsigned flags,
		       svl_position *out, svl_refusal *why,
		       size_t *failed_index);

#endif
