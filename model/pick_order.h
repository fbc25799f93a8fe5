/*
 * pick_order.h - the signing order of a pick list (R-ISS-1, R-ISS-3,
 * R-ISS-4), as data: which capacities (enum SVL_SIGN_AS_...) a pick of a
 * purpose needs, and which of them may sign now. Pure; read by the pick
 * decider (decide/decide_issue.c) and the documents projection, so that
 * "what this pick still waits for" and "what may sign next" are one rule.
 *
 *   warranty:         claims first, then as a repair
 *   repair, warranty: requisition (technician, advisor) -> outbound
 *                     approval (parts manager) -> the three issue
 *                     signatures (parts manager, keeper, picker) -> issue
 *   counter sale,
 *   internal:         outbound approval -> the three issue signatures
 */
#ifndef SVL_PICK_ORDER_H
#define SVL_PICK_ORDER_H

#include <stdint.h>

#include "svl_events.h"

#define SVL__SIGN_BIT(as) (1u << (as))
/* The three issue capacities (R-ISS-3). */
#define SVL__SIGN_ISSUE_BITS                                                   \
	(SVL__SIGN_BIT(SVL_SIGN_AS_ISSUE_PARTS_MANAGER) |                     \
	 SVL__SIGN_BIT(SVL_SIGN_AS_ISSUE_KEEPER) |                            \
	 SVL__SIGN_BIT(SVL_SIGN_AS_ISSUE_PICKER))

/* Does a pick of this purpose go through the job's requisition
 * (technician and advisor, R-ISS-4)? Repair and warranty picks do. */
int svl__pick_for_job(int purpose);

/* The capacities a pick of `purpose` needs before its parts are issued. */
uint32_t svl__pick_required(int purpose);

/* Of the required capacities not in `done`, those that may sign now: the
 * next step of the order (several when a step has several signers). 0
 * when every required signature is done. */
uint32_t svl__pick_next(int purpose, uint32_t done);

#endif
