/*
 * ledger_fixture.h - building business events for ledger-level tests:
 * payloads from JSON text, appended straight to the log (no deciders), with
 * chosen business and recorded times.
 */
#ifndef SVL_TEST_LEDGER_FIXTURE_H
#define SVL_TEST_LEDGER_FIXTURE_H

#include "svl_events.h"
#include "svl_ledger.h"

/* 2026-09-30T00:00:00Z */
#define SVL_TEST_T0 INT64_C(1790726400000)

/*
 * Append one event of `type` whose payload is the JSON object text `json`,
 * with business time occurred_ms and recorded time recorded_ms (0 = now).
 * Aborts the test with the codec's message when the payload is refused.
 * Returns the seq.
 */
uint64_t svl_test_put(svl_ledger *l, uint32_t type, int64_t occurred_ms,
		      int64_t recorded_ms, const char *json);

/* The same with printf-style JSON. */
uint64_t svl_test_putf(svl_ledger *l, uint32_t type, int64_t occurred_ms,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Open an existing ledger again. */
svl_ledger *svl_test_ledger_reopen(const char *dir);

/* A fresh ledger in a temp dir (rules NULL: defaults). */
svl_ledger *svl_test_ledger(char **dir, const svl_rules *rules);

#endif
