/*
 * signable.c - the signable types (signable.h): one table.
 */
#include <stddef.h>

#include "signable.h"
#include "svl_decide.h"

static const svl__signable signables[] = {
    {SVL_T_PICK_SIGNED, SVL_SIGNED_PICK, SVL_F_PICK_SIGNED_SIGNER_KEY,
     SVL_F_PICK_SIGNED_SIGNATURE, SVL_T_PICK_REQUESTED, "pick",
     SVL_F_PICK_SIGNED_PICK_ID},
    {SVL_T_WRITEOFF_APPRAISED, SVL_SIGNED_WRITEOFF_APPRAISAL,
     SVL_F_WRITEOFF_APPRAISED_SIGNER_KEY, SVL_F_WRITEOFF_APPRAISED_SIGNATURE,
     SVL_T_WRITEOFF_REQUESTED, "wof", SVL_F_WRITEOFF_APPRAISED_WOF_ID},
    {SVL_T_WRITEOFF_APPROVED, SVL_SIGNED_WRITEOFF_APPROVAL,
     SVL_F_WRITEOFF_APPROVED_SIGNER_KEY, SVL_F_WRITEOFF_APPROVED_SIGNATURE, 0,
     NULL, 0},
    {SVL_T_ADJUSTMENT_APPROVED, SVL_SIGNED_ADJUSTMENT,
     SVL_F_ADJUSTMENT_APPROVED_SIGNER_KEY,
     SVL_F_ADJUSTMENT_APPROVED_SIGNATURE, 0, NULL, 0},
};

const svl__signable *svl__signable_of(uint32_t type)
{
	for (size_t k = 0; k < sizeof signables / sizeof signables[0]; k++)
		if (signables[k].type == type)
			return &signables[k];
	return NULL;
}

uint32_t svl__signed_bit(const char *name, size_t len)
{
	const svl_event_type *t = svl_event_type_find(name, len);
	const svl__signable *s = t ? svl__signable_of(t->id) : NULL;
	return s ? s->require_bit : 0;
}

const char *svl__signed_name(size_t k)
{
	if (k >= sizeof signables / sizeof signables[0])
		return NULL;
	return svl_event_type_get(signables[k].type)->name;
}

const char *svl__signable_rule(const svl__signable *s, const svl_event_view *v)
{
	switch (s->type) {
	case SVL_T_PICK_SIGNED: {
		int64_t as = v->v[SVL_F_PICK_SIGNED_SIGNED_AS].i;
		if (as == SVL_SIGN_AS_OUTBOUND_APPROVAL)
			return "R-ISS-1";
		if (as == SVL_SIGN_AS_REQUISITION_TECHNICIAN ||
		    as == SVL_SIGN_AS_REQUISITION_ADVISOR ||
		    as == SVL_SIGN_AS_REQUISITION_CLAIMS)
			return "R-ISS-4";
		return "R-ISS-3";
	}
	case SVL_T_WRITEOFF_APPRAISED:
		return "R-WOF-2";
	case SVL_T_WRITEOFF_APPROVED:
		return "R-WOF-5";
	default:
		return "R-STK-2";
	}
}

