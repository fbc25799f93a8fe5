/*
 * waivers.h - the rules a rule set may waive (waivers.def): a decider
 * asks svl__waives(rules, SVL__W_...) before refusing by one of them.
 */
#ifndef SVL_WAIVERS_H
#define SVL_WAIVERS_H

#include <stddef.h>

#include "svl_rules.h"

enum svl__waiver {
#define SVL_WAIVER(tag, rule, doc) SVL__W_##tag,
#include "waivers.def"
#undef SVL_WAIVER
	SVL__WAIVERS
};

_Static_assert(SVL__WAIVERS <= 64, "waivers fit svl_rules.waived");

/* Whether the rule set waives rule w. */
static inline int svl__waives(const svl_rules *r, enum svl__waiver w)
{
	return (int)((r->waived[w / 32] >> (w % 32)) & 1u);
}

/* The rule id of waiver k ("R-REC-2"), NULL past the last. */
const char *svl__waiver_rule(size_t k);

#endif
