/*
 * registry.c - the projections every ledger keeps, in a fixed order. The
 * order is part of nothing on disk (slots are found by name); it is the
 * order of svl_ledger_projections().
 */
#include "documents_int.h"
#include "ledger_int.h"
#include "metrics_int.h"
#include "stock_int.h"
#include "work_orders_int.h"

const svl_proj_def *const svl__projections[] = {
	&svl__proj_stock,
	&svl__proj_work_orders,
	&svl__proj_metrics,
	&svl__proj_documents,
};
const size_t svl__n_projections =
	sizeof svl__projections / sizeof svl__projections[0];
_Static_assert(sizeof svl__projections / sizeof svl__projections[0] ==
		   SVL_PROJECTIONS,
	       "SVL_PROJECTIONS counts the projections (add new ones last)");

uint64_t svl__proj_key_seq(const svl_proj_def *def, const void *key,
			   size_t key_len)
{
	return def == &svl__proj_stock ? svl__stock_key_seq(key, key_len) : 0;
}
