/*
 * rules_int.h - the rule set inside the library: the seed's defaults as
 * one shared constant (rules.c computes them once, from rules.def).
 */
#ifndef SVL_RULES_INT_H
#define SVL_RULES_INT_H

#include "svl_rules.h"

/* The default rule set (svl_rules_default's), valid for the process. */
const svl_rules *svl__rules_default(void);

#endif
