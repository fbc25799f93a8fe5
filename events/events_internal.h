/*
 * events_internal.h - what the files of events/ share: the error and path
 * helpers, the value checks every codec applies, and the upcasters.
 * Nothing here is public API.
 */
#ifndef SVL_EVENTS_INTERNAL_H
#define SVL_EVENTS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mp.h"
#include "svl_events.h"

/* ---- schema.c ---- */
const svl_enum_def *svl__role_enum(void);
size_t svl__enum_count(void);
const svl_enum_def *svl__enum_at(size_t i);

#endif
