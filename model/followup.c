/*
 * followup.c - the follow-up round (followup.h).
 */
#include "followup.h"

#include "calendar.h"
#include "svl_events.h"

int64_t svl__fu_attempts(const svl_rules *r)
{
	return r->followup_attempts_for_failure;
}

int64_t svl__fu_spread(const svl_rules *r)
{
	int64_t n = svl__fu_attempts(r);
	return n < 3 ? n : 3;
}

int svl__fu_is_retry(int64_t outcome)
{
	switch (outcome) {
	case SVL_FU_OUTCOME_REACHED:
	case SVL_FU_OUTCOME_NO_ANSWER:
	case SVL_FU_OUTCOME_WRONG_NUMBER:
	case SVL_FU_OUTCOME_DETAILS_MISMATCH:
	case SVL_FU_OUTCOME_REFUSED:
		return 0;
	default:
		return 1;
	}
}

void svl__fu_init(svl__fu_round *f)
{
	f->result = SVL_FU_NONE;
	f->unreached = f->parts = f->failing = 0;
	f->last = -1;
}

enum svl__fu_verdict svl__fu_verdict(const svl__fu_round *f,
				     const svl_rules *r)
{
	if (f->result == SVL_FU_REACHED)
		return SVL__FU_REACHED;
	if (f->failing)
		return SVL__FU_FAILED;
	if (f->unreached < svl__fu_attempts(r))
		return SVL__FU_TOO_FEW;
	if (__builtin_popcountll((uint64_t)f->parts) < svl__fu_spread(r))
		return SVL__FU_TOO_NARROW;
	return SVL__FU_FAILED;
}

void svl__fu_call(svl__fu_round *f, int64_t outcome, int64_t at_ms,
		  const svl_rules *r)
{
	switch (outcome) {
	case SVL_FU_OUTCOME_REACHED:
		f->result = SVL_FU_REACHED;
		break;
	case SVL_FU_OUTCOME_WRONG_NUMBER:
	case SVL_FU_OUTCOME_DETAILS_MISMATCH:
	case SVL_FU_OUTCOME_REFUSED:
		f->failing = 1;
		break;
	case SVL_FU_OUTCOME_NO_ANSWER:
		f->unreached++;
		f->parts |= INT64_C(1) << svl__day_part(at_ms, r->tz_offset_min);
		break;
	default: /* a retry (R-FU-5): counts toward nothing */
		break;
	}
	f->last = outcome;
	if (f->result == SVL_FU_REACHED)
		return;
	f->result = svl__fu_verdict(f, r) == SVL__FU_FAILED ? SVL_FU_FAILED
							     : SVL_FU_OPEN;
}

void svl__fu_new_round(svl__fu_round *f)
{
	if (f->result == SVL_FU_REACHED)
		return;
	f->unreached = f->parts = f->failing = 0;
	f->last = -1;
	if (f->result == SVL_FU_FAILED)
		f->result = SVL_FU_OPEN;
}
