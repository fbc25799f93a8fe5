/*
 * followup.h - the follow-up round (R-FU-4, R-FU-5, R-FU-6), once: what a
 * call does to the round and whether the round has failed, under a rule
 * set. The deciders (whether a contact may be re-verified) and the work
 * orders and metrics (fu_result) fold calls through these functions only.
 *
 * Calls come in rounds; contact_reverified (R-FU-6) starts a new one. The
 * seed (回訪失敗) fails a round only when one of its calls ended in a wrong
 * or empty number, details that do not match the file, or a refusal
 * (R-FU-5); or when the customer did not answer N = the rule set's
 * followup_attempts_for_failure (3) times or more (無人接聽三次以上), those
 * calls spread over at least min(N, 3) parts of the day (morning before
 * 12:00, afternoon 12:00-16:59, evening from 17:00, in the rule set's
 * zone; R-FU-4: at different times of day). Busy, switched off,
 * voicemail, driving and "call me later" are retries: they never count
 * toward a failure. A reached customer is reached for good.
 */
#ifndef SVL_FOLLOWUP_H
#define SVL_FOLLOWUP_H

#include <stdint.h>

#include "svl_rules.h"
#include "svl_work_orders.h"

/* One round; the work-order record stores these five integers. */
typedef struct svl__fu_round {
	int64_t result;	   /* enum svl_fu_result */
	int64_t unreached; /* calls of this round with no answer */
	int64_t parts;	   /* bits: their parts of the day */
	int64_t last;	   /* outcome of the round's last call, -1 none */
	int64_t failing;   /* a call of this round failed it (R-FU-5) */
} svl__fu_round;

/* Where a round stands, and if not failed, why not. */
enum svl__fu_verdict {
	SVL__FU_REACHED,     /* the customer was reached (for good) */
	SVL__FU_FAILED,	     /* the round failed (R-FU-4 or R-FU-5) */
	SVL__FU_TOO_FEW,     /* fewer than N calls with no answer (R-FU-4) */
	SVL__FU_TOO_NARROW,  /* in fewer than min(N, 3) parts of the day */
};

void svl__fu_init(svl__fu_round *f);
/* A call with this outcome (enum svl_fu_outcome) at at_ms. */
void svl__fu_call(svl__fu_round *f, int64_t outcome, int64_t at_ms,
		  const svl_rules *r);
/* R-FU-6: the contact was re-verified; a new round of calls begins. */
void svl__fu_new_round(svl__fu_round *f);
enum svl__fu_verdict svl__fu_verdict(const svl__fu_round *f,
				     const svl_rules *r);
/* Whether an outcome is a retry (R-FU-5): neither reached, nor failing,
 * nor "no answer". */
int svl__fu_is_retry(int64_t outcome);
/* The N of R-FU-4 and the number of parts of the day it asks for. */
int64_t svl__fu_attempts(const svl_rules *r);
int64_t svl__fu_spread(const svl_rules *r);

#endif
