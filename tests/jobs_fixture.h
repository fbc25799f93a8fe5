/*
 * jobs_fixture.h - building service jobs for the work-order and metrics
 * tests: one event from a few words of JSON, the usual steps of a job, and
 * a seeded random workload of interleaved jobs.
 */
#ifndef SVL_TEST_JOBS_FIXTURE_H
#define SVL_TEST_JOBS_FIXTURE_H

#include <stdint.h>

#include "svl_log.h"

/* 2026-09-28T00:00+08:00, a Monday (ISO week 2026-W40), local day 20724
 * in the default rule set's zone. */
#define SVL_T0 INT64_C(1790524800000)
#define SVL_T0_DAY 20724
#define SVL_HOUR INT64_C(3600000)
#define SVL_DAY (24 * SVL_HOUR)

/*
 * Append one event of `type` recorded by actor in role at at_ms; the
 * payload is the body of a JSON object given printf-style ("\"wo_id\":
 * \"W1\", ..."). Returns the code of parsing or appending; on failure the
 * line and the reason go to stderr.
 */
int svl_jobs_ev(svl_log *log, const char *type, const char *actor,
		const char *role, int64_t at_ms, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ---- the usual steps of a job (each returns svl_jobs_ev's code) ---- */

/* booking_requested by customer service; vin may be NULL */
int svl_jobs_book(svl_log *log, const char *wo, int64_t at_ms, const char *kind,
		  const char *vin);
/* vehicle_received by advisor `adv`; vin may be NULL */
int svl_jobs_receive(svl_log *log, const char *wo, const char *adv,
		     int64_t at_ms, const char *kind, const char *vin);
/* quote_issued by `adv`, total 10000 fen, promised at promised_ms */
int svl_jobs_quote(svl_log *log, const char *wo, const char *adv, int64_t at_ms,
		   int64_t promised_ms);
int svl_jobs_dispatch(svl_log *log, const char *wo, const char *tech,
		      int64_t at_ms);
/* qc_checked at stage ("self", "group", "final") by the technician */
int svl_jobs_qc(svl_log *log, const char *wo, const char *tech,
		const char *stage, int passed, int64_t at_ms);
int svl_jobs_deliver(svl_log *log, const char *wo, const char *adv,
		     int64_t at_ms);
/* followup_attempted; score 0 = none given */
int svl_jobs_call(svl_log *log, const char *wo, int64_t at_ms,
		  const char *outcome, int score);
/* complaint_opened (wo may be NULL) and, unless severity is NULL,
 * complaint_classified an hour later */
int svl_jobs_complain(svl_log *log, const char *cmp, const char *wo,
		      int64_t at_ms, const char *severity);

/*
 * A realistic random workload: n_jobs jobs over about two months, each
 * going as far as chance takes it through the service process (cancelled
 * bookings, reworks, extra work, parts, several follow-up calls,
 * complaints, comebacks on a small pool of vehicles), their events
 * interleaved at random, plus write-offs. The same seed gives the same
 * log. Returns the number of events appended, or a negative code.
 */
int64_t svl_jobs_random(svl_log *log, uint64_t seed, int n_jobs);

#endif
