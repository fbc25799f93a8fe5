/*
 * pick_order.c - the signing order of a pick list (pick_order.h).
 */
#include <stddef.h>

#include "pick_order.h"

#define B(as) SVL__SIGN_BIT(SVL_SIGN_AS_##as)

int svl__pick_for_job(int purpose)
{
	return purpose == SVL_PICK_PURPOSE_REPAIR ||
	       purpose == SVL_PICK_PURPOSE_WARRANTY;
}

/* The steps, in order; a step is done when all its capacities are. */
static const uint32_t steps[] = {
    B(REQUISITION_CLAIMS),
    B(REQUISITION_TECHNICIAN) | B(REQUISITION_ADVISOR),
    B(OUTBOUND_APPROVAL),
    SVL__SIGN_ISSUE_BITS,
};

uint32_t svl__pick_required(int purpose)
{
	uint32_t r = B(OUTBOUND_APPROVAL) | SVL__SIGN_ISSUE_BITS;
	if (svl__pick_for_job(purpose))
		r |= B(REQUISITION_TECHNICIAN) | B(REQUISITION_ADVISOR);
	if (purpose == SVL_PICK_PURPOSE_WARRANTY)
		r |= B(REQUISITION_CLAIMS);
	return r;
}

uint32_t svl__pick_next(int purpose, uint32_t done)
{
	uint32_t need = svl__pick_required(purpose);
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		uint32_t left = steps[k] & need & ~done;
		if (left)
			return left;
	}
	return 0;
}
