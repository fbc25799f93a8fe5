/*
 * work_orders_int.h - the work-order projection's keys and record layout,
 * shared by its fold (work_orders.c) and its queries (work_orders_query.c),
 * and the few rules both job projections (work orders and metrics) must
 * read the same way: the R-FU-5 follow-up outcome and comebacks.
 *
 * Keys of the "work_orders" slot table. Ids never contain NUL (the
 * catalog's id kind is [A-Za-z0-9._-]; the fold refuses a NUL), so a NUL
 * ends an id inside a key and keys sort by id:
 *   'w' wo                   -> the job: [ints..., strings...] (below)
 *   'x' wo 0 seq(8)          -> a transition: [state, at_ms]
 *   'f' wo 0 finding(1)      -> additional work: [est_fen, status, amount]
 *   'p' wo 0 part            -> parts: [issued, returned, issues, returns]
 *   'k' wo 0 cmp             -> a complaint naming it: [severity, major]
 *   'c' cmp                  -> the job a complaint names: wo (str)
 *   'v' 'V'|'P' vin|plate    -> the vehicle's last delivery: [wo, at_ms]
 *   's' state(1) wo          -> index by state
 *   'a' advisor 0 wo         -> index by advisor
 *   't' technician 0 wo      -> index by technician
 *   'u' customer 0 wo        -> index by customer
 *   'l' plate 0 wo           -> index by licence plate
 *   'n' vin 0 wo             -> index by VIN
 *   'b' day(4) wo            -> index by booking day (first_at_ms)
 *   'd' day(4) wo            -> index by delivery day
 * Index values are one msgpack nil. Days are local days (rule set's zone)
 * biased by 2^31 so that they sort as unsigned.
 */
#ifndef SVL_WORK_ORDERS_INT_H
#define SVL_WORK_ORDERS_INT_H

#include <stdbool.h>

#include "calendar.h"
#include "followup.h"
#include "mp.h"
#include "proj.h"
#include "svl_events.h"
#include "svl_work_orders.h"

extern const svl_proj_def svl__proj_work_orders;

#define SVL__WO_KEY_MAX (2 + 2 * SVL_WO_ID_MAX + 2 + 8)
_Static_assert(SVL__WO_KEY_MAX <= SVL_PROJ_KEY_MAX, "keys fit the overlay");
_Static_assert(SVL_WO_ID_MAX == SVL_EV_ID_MAX, "ids as the catalog's");

/*
 * The job record: the integer fields, then the string fields, as one
 * msgpack array. X(index name, svl_work_order member, doc name). The
 * special ones are not plain int64_t members (enums, or internal) and are
 * converted by hand. Adding a field: append it to the plain list and bump
 * the projection's code_version.
 */
#define SVL__WO_SPECIAL(X)                                                     \
	X(STATE, state, "state")                                               \
	X(FU_RESULT, fu_result, "fu_result")                                   \
	X(ADVISOR_RANK, advisor_rank, "advisor_rank")                          \
	X(FU_UNREACHED, fu_unreached, "fu_unreached")                          \
	X(FU_PARTS, fu_parts, "fu_parts")                                      \
	X(FU_LAST, fu_last, "fu_last")                                         \
	X(FU_FAILING, fu_failing, "fu_failing")
#define SVL__WO_INTS(X) SVL__WO_SPECIAL(X) SVL__WO_PLAIN(X)
#define SVL__WO_PLAIN(X)                                                       \
	X(STATE_AT_MS, state_at_ms, "state_at_ms")                             \
	X(TRANSITIONS, transitions, "transitions")                             \
	X(JOB_KIND, job_kind, "job_kind")                                      \
	X(FIRST_AT_MS, first_at_ms, "first_at_ms")                             \
	X(BOOKED_AT_MS, booked_at_ms, "booked_at_ms")                          \
	X(WANTED_AT_MS, wanted_at_ms, "wanted_at_ms")                          \
	X(SLOT_AT_MS, slot_at_ms, "slot_at_ms")                                \
	X(RESCHEDULES, reschedules, "reschedules")                             \
	X(RECEIVED_AT_MS, received_at_ms, "received_at_ms")                    \
	X(MILEAGE_KM, mileage_km, "mileage_km")                                \
	X(INSPECTED_AT_MS, inspected_at_ms, "inspected_at_ms")                 \
	X(QUOTES, quotes, "quotes")                                            \
	X(QUOTE_REVISION, quote_revision, "quote_revision")                    \
	X(QUOTE_TOTAL_FEN, quote_total_fen, "quote_total_fen")                 \
	X(PROMISED_AT_MS, promised_at_ms, "promised_at_ms")                    \
	X(SIGNED_AT_MS, signed_at_ms, "signed_at_ms")                          \
	X(SIGNED_TOTAL_FEN, signed_total_fen, "signed_total_fen")              \
	X(DISPATCHED_AT_MS, dispatched_at_ms, "dispatched_at_ms")              \
	X(EST_LABOR_MIN, est_labor_min, "est_labor_min")                       \
	X(ADDL_FOUND, addl_found, "addl_found")                                \
	X(ADDL_FOUND_FEN, addl_found_fen, "addl_found_fen")                    \
	X(ADDL_APPROVED, addl_approved, "addl_approved")                       \
	X(ADDL_APPROVED_FEN, addl_approved_fen, "addl_approved_fen")           \
	X(ADDL_DECLINED, addl_declined, "addl_declined")                       \
	X(ADDL_DECLINED_FEN, addl_declined_fen, "addl_declined_fen")           \
	X(CONSULTATIONS, consultations, "consultations")                       \
	X(PARTS_ISSUES, parts_issues, "parts_issues")                          \
	X(PARTS_ISSUED_MILLI, parts_issued_milli, "parts_issued_milli")        \
	X(PARTS_RETURNS, parts_returns, "parts_returns")                       \
	X(PARTS_RETURNED_MILLI, parts_returned_milli, "parts_returned_milli")  \
	X(OLD_PARTS_RETURNED, old_parts_returned, "old_parts_returned")        \
	X(LABOR_MIN, labor_min, "labor_min")                                   \
	X(COMPLETED_AT_MS, completed_at_ms, "completed_at_ms")                 \
	X(QC_PASSED_0, qc_passed[0], "qc_passed_self")                         \
	X(QC_PASSED_1, qc_passed[1], "qc_passed_group")                        \
	X(QC_PASSED_2, qc_passed[2], "qc_passed_final")                        \
	X(QC_FAILED_0, qc_failed[0], "qc_failed_self")                         \
	X(QC_FAILED_1, qc_failed[1], "qc_failed_group")                        \
	X(QC_FAILED_2, qc_failed[2], "qc_failed_final")                        \
	X(REWORKS_0, reworks[0], "reworks_self")                               \
	X(REWORKS_1, reworks[1], "reworks_group")                              \
	X(REWORKS_2, reworks[2], "reworks_final")                              \
	X(READY_AT_MS, ready_at_ms, "ready_at_ms")                             \
	X(LABOR_FEN, labor_fen, "labor_fen")                                   \
	X(PARTS_FEN, parts_fen, "parts_fen")                                   \
	X(MATERIALS_FEN, materials_fen, "materials_fen")                       \
	X(DISCOUNT_FEN, discount_fen, "discount_fen")                          \
	X(WARRANTY_FEN, warranty_fen, "warranty_fen")                          \
	X(TOTAL_FEN, total_fen, "total_fen")                                   \
	X(SETTLED_AT_MS, settled_at_ms, "settled_at_ms")                       \
	X(PAYMENTS, payments, "payments")                                      \
	X(PAID_FEN, paid_fen, "paid_fen")                                      \
	X(PAID_AT_MS, paid_at_ms, "paid_at_ms")                                \
	X(DELIVERED_AT_MS, delivered_at_ms, "delivered_at_ms")                 \
	X(FU_ATTEMPTS, fu_attempts, "fu_attempts")                             \
	X(FU_FIRST_AT_MS, fu_first_at_ms, "fu_first_at_ms")                    \
	X(FU_LAST_AT_MS, fu_last_at_ms, "fu_last_at_ms")                       \
	X(FU_CLOSED_AT_MS, fu_closed_at_ms, "fu_closed_at_ms")                 \
	X(SATISFACTION_SCORE, satisfaction_score, "satisfaction_score")        \
	X(REVERIFICATIONS, reverifications, "reverifications")                 \
	X(COMPLAINTS, complaints, "complaints")                                \
	X(MAJOR_COMPLAINTS, major_complaints, "major_complaints")

#define SVL__WO_STRS(X)                                                        \
	X(CUSTOMER, customer_id, SVL_WO_ID_MAX)                                \
	X(PLATE, plate, SVL_WO_PLATE_MAX)                                      \
	X(VIN, vin, SVL_WO_VIN_MAX)                                            \
	X(ADVISOR, advisor_id, SVL_WO_ID_MAX)                                  \
	X(TECHNICIAN, technician_id, SVL_WO_ID_MAX)                            \
	X(COMEBACK_OF, comeback_of, SVL_WO_ID_MAX)                             \
	X(CAME_BACK_AS, came_back_as, SVL_WO_ID_MAX)

#define SVL__X_ENUM(E, m, n) SVL__WO_##E,
enum { SVL__WO_INTS(SVL__X_ENUM) SVL__WO_NI };
#undef SVL__X_ENUM
#define SVL__X_ENUM(E, m, n) SVL__WS_##E,
enum { SVL__WO_STRS(SVL__X_ENUM) SVL__WO_NS };
#undef SVL__X_ENUM

_Static_assert(SVL_QC_STAGE_SELF == 0 && SVL_QC_STAGE_GROUP == 1 &&
		   SVL_QC_STAGE_FINAL == 2 && SVL_QC_STAGE__COUNT == 3,
	       "qc arrays are indexed by stage");

typedef struct svl__wo {
	int64_t v[SVL__WO_NI];
	char s[SVL__WO_NS][SVL_WO_ID_MAX + 1]; /* NUL-terminated */
} svl__wo;

/* An empty job: every count 0, job kind unknown (-1). */
void svl__wo_init(svl__wo *w);
/* Encode into buf (SVL__WO_BUF bytes always suffice); returns the length. */
#define SVL__WO_BUF (5 + SVL__WO_NI * 9 + SVL__WO_NS * (2 + SVL_WO_ID_MAX))
size_t svl__wo_encode(const svl__wo *w, uint8_t *buf);
/* Decode a stored record; false when it is malformed. */
bool svl__wo_decode(const void *val, size_t len, svl__wo *w);
/* The public view of a record (on_time derived here). */
void svl__wo_public(const svl__wo *w, const char *wo_id, size_t wo_len,
		    svl_work_order *out);
/* Field names for diffs and docs. */
const char *svl__wo_int_name(int i);

int svl__wo_describe(const void *key, size_t key_len, const void *old_v,
		     size_t old_len, const void *new_v, size_t new_len,
		     char *out, size_t out_len);

/* ---- queries over one slot table (work_orders_query.c) ----
 * The public calls find the live table and its rules and call these; the
 * tests call them on a slot they built. */
int svl__wo_get_txn(svl_txn *t, unsigned table, const char *wo_id,
		    svl_work_order *out);
int svl__wo_list_txn(svl_txn *t, unsigned table, const svl_rules *rules,
		     const svl_wo_filter *f, svl_page *page, svl_wo_fn fn,
		     void *payload);
int svl__wo_transitions_txn(svl_txn *t, unsigned table, const char *wo_id,
			    svl_wo_transition_fn fn, void *payload);
int svl__wo_parts_txn(svl_txn *t, unsigned table, const char *wo_id,
		      svl_wo_part_fn fn, void *payload);
int svl__wo_complaints_txn(svl_txn *t, unsigned table, const char *wo_id,
			   svl_wo_complaint_fn fn, void *payload);

/* ---- keys ---- */

static inline uint32_t svl__day_bias(int64_t day)
{
	int64_t b = day + (INT64_C(1) << 31);
	return b < 0 ? 0 : b > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

/* A caller's time bound brought into a range where local-day arithmetic
 * cannot overflow (INT64_MIN / INT64_MAX are fine "open" bounds). */
static inline int64_t svl__clamp_ms(int64_t ms)
{
	const int64_t lim = INT64_C(1) << 60;
	return ms < -lim ? -lim : ms > lim ? lim : ms;
}

static inline int64_t svl__day_unbias(uint32_t b)
{
	return (int64_t)b - (INT64_C(1) << 31);
}

static inline size_t svl__wo_key(uint8_t *k, char tag, const char *id, size_t n)
{
	k[0] = (uint8_t)tag;
	memcpy(k + 1, id, n);
	return n + 1;
}

/* tag a NUL b */
static inline size_t svl__wo_key2(uint8_t *k, char tag, const char *a,
				  size_t an, const char *b, size_t bn)
{
	size_t n = svl__wo_key(k, tag, a, an);
	k[n++] = 0;
	memcpy(k + n, b, bn);
	return n + bn;
}

static inline size_t svl__wo_key_day(uint8_t *k, char tag, int64_t day,
				     const char *wo, size_t n)
{
	k[0] = (uint8_t)tag;
	svl__be32_put(k + 1, svl__day_bias(day));
	memcpy(k + 5, wo, n);
	return n + 5;
}

/* Read an integer of a record: the encodings the writer uses for the
 * counts, ids of enums and millisecond times that fill records are decoded
 * inline (a rebuild reads millions); anything else goes to the reader. */
static inline bool svl__rd_i64(svl_mp_reader *r, int64_t *out)
{
	const uint8_t *p = r->p;
	size_t left = (size_t)(r->end - p);
	if (left >= 1 && (*p < 0x80 || *p >= 0xe0)) { /* fixint */
		*out = (int8_t)*p;
		r->p = p + 1;
		return true;
	}
	if (left >= 9 && *p == 0xcf && !(p[1] & 0x80)) { /* uint64 < 2^63 */
		*out = (int64_t)svl__be64_get(p + 1);
		r->p = p + 9;
		return true;
	}
	if (left >= 5 && *p == 0xce) { /* uint32 */
		*out = (int64_t)svl__be32_get(p + 1);
		r->p = p + 5;
		return true;
	}
	return svl__mp_read_int(r, out);
}

/* ---- comebacks (first-time fix) ----
 *
 * A comeback is a new job of kind repair or warranty for the same vehicle
 * (same VIN, else same plate) whose first event (booking, or reception of
 * a walk-in) falls within comeback_window_days x 24 h after the vehicle's
 * last delivery, and whose first booking or reception names the vehicle.
 * Scheduled maintenance and accident jobs are new work, never comebacks.
 */
static inline bool svl__comeback_kind(int64_t job_kind)
{
	return job_kind == SVL_JOB_KIND_REPAIR ||
	       job_kind == SVL_JOB_KIND_WARRANTY;
}

/* The vehicle's last delivered job, found in either projection's table
 * under the 'v' keys above. wo (SVL_WO_ID_MAX + 1 bytes) gets "" and
 * *at_ms 0 when none is known. */
int svl__vehicle_last(svl_proj_ctx *c, const char *vin, const char *plate,
		      char *wo, int64_t *at_ms);
/* Record a delivery of wo at at_ms for the vehicle's VIN and plate (either
 * may be ""), unless a later delivery is already recorded. */
int svl__vehicle_delivered(svl_proj_ctx *c, const char *vin, const char *plate,
			   const char *wo, int64_t at_ms);
/* Whether a job first seen at first_at_ms comes back for one delivered at
 * delivered_at_ms, under the rule set's window. */
static inline bool svl__comeback_within(int64_t delivered_at_ms,
					int64_t first_at_ms, const svl_rules *r)
{
	return delivered_at_ms > 0 && first_at_ms >= delivered_at_ms &&
	       first_at_ms - delivered_at_ms <=
		   (int64_t)r->comeback_window_days * SVL__DAY_MS;
}

/* Copy an id-like value (present, 1..max bytes, no NUL) into dst; false
 * when it does not fit. An absent value gives "". */
bool svl__wo_copy_id(char *dst, const svl_value *v, size_t max);

#endif
