/*
 * fail.h - what the engine lends the layers above it inside the library:
 * the error helper and a write transaction's failed state.
 *
 * The engine header the layers above may include besides mp.h
 * (tests/layers.sh checks that engine/internal.h stays the engine's own).
 */
#ifndef SVL_FAIL_H
#define SVL_FAIL_H

#include <stdarg.h>

#include "svl_log.h"

/* Set the handle's detail (per thread) to the formatted line; returns rc. */
int svl__fail(const svl_log *log, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int svl__vfail(const svl_log *log, int rc, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Nonzero when a batch failed after putting part of itself into t: the
 * transaction must not commit (svl_log_write aborts it). */
int svl__txn_failed(const svl_txn *t);

#endif
