/*
 * metrics_int.h - the metrics projection's keys, counters and calendar,
 * shared by its fold (metrics.c) and its queries (metrics_query.c).
 *
 * Keys of the "metrics" slot table (ids never contain NUL):
 *   'm' period(1) by(1) day(4) id -> a row's counters: msgpack array in
 *                                  SVL__MC order, trailing zeros left out;
 *                                  a row whose counters are all 0 is
 *                                  deleted, so every stored row says
 *                                  something
 *       period 'D' day, 'W' ISO week, 'M' month; by 'O' overall (id ""),
 *       'A' advisor, 'T' technician; day = the period's first local day,
 *       biased by 2^31
 *   'j' wo            -> what the figures need of a job (SVL__MJ below)
 *   'c' cmp           -> a complaint: [wo or "", opened_at_ms, severity,
 *                        major]
 *   'v' 'V'|'P' id    -> the vehicle's last delivery (work_orders_int.h)
 *
 * Why a job record: a job's contribution to its rows is a function of the
 * record alone (svl__mc_contrib). Every event that changes the record
 * takes the old contribution out of the old rows and puts the new one
 * into the new rows, so anything learnt after delivery (a follow-up, a
 * complaint, a comeback, a moved delivery) revises the right rows, and a
 * rebuild under other rules recomputes every contribution from scratch.
 */
#ifndef SVL_METRICS_INT_H
#define SVL_METRICS_INT_H

#include "svl_metrics.h"
#include "work_orders_int.h"

extern const svl_proj_def svl__proj_metrics;

/* The counters, in stored order (= svl_metrics_counters' order). */
#define SVL__MC(X)                                                             \
	X(DELIVERED, delivered)                                                \
	X(FU_COVERED, fu_covered)                                              \
	X(FU_IN_WINDOW, fu_in_window)                                          \
	X(FU_ATTEMPTS, fu_attempts)                                            \
	X(FU_ATTEMPTS_CW, fu_attempts_in_call_window)                          \
	X(FU_REACHED, fu_reached)                                              \
	X(FU_FAILED, fu_failed)                                                \
	X(ANSWERED, answered)                                                  \
	X(SATISFIED, satisfied)                                                \
	X(SCORE_SUM, score_sum)                                                \
	X(COMPLAINTS, complaints)                                              \
	X(MAJOR_COMPLAINTS, major_complaints)                                  \
	X(REWORKED, reworked)                                                  \
	X(COMEBACKS, comebacks)                                                \
	X(FIRST_TIME_FIX, first_time_fix)                                      \
	X(PROMISED, promised)                                                  \
	X(ON_TIME, on_time)                                                    \
	X(WRITEOFFS, writeoffs)                                                \
	X(WOF_TOTAL_FEN, wof_total_fen)                                        \
	X(WOF_COMPANY_FEN, wof_company_fen)                                    \
	X(WOF_SM_FEN, wof_service_manager_fen)                                 \
	X(WOF_PM_FEN, wof_parts_manager_fen)                                   \
	X(WOF_WK_FEN, wof_warehouse_keeper_fen)

#define SVL__X(E, m) SVL__MC_##E,
enum { SVL__MC(SVL__X) SVL__MC_N };
#undef SVL__X

_Static_assert(sizeof(svl_metrics_counters) == SVL__MC_N * sizeof(int64_t),
	       "one int64_t member per counter");

/* The job record: ints then strings, one msgpack array. */
#define SVL__MJ_INTS(X)                                                        \
	X(FIRST_AT_MS)                                                         \
	X(DELIVERED_AT_MS)                                                     \
	X(PROMISED_AT_MS)                                                      \
	X(JOB_KIND)                                                            \
	X(ADVISOR_RANK)                                                        \
	X(REWORKED)                                                            \
	X(CAME_BACK)                                                           \
	X(IS_COMEBACK)                                                         \
	X(FU_ATTEMPTS)                                                         \
	X(FU_ATTEMPTS_CW)                                                      \
	X(FU_FIRST_AT_MS)                                                      \
	X(FU_RESULT)                                                           \
	X(SCORE)                                                               \
	X(COMPLAINTS)                                                          \
	X(MAJOR)                                                               \
	X(FU_UNREACHED)                                                        \
	X(FU_PARTS)                                                            \
	X(FU_LAST)                                                             \
	X(FU_FAILING)
#define SVL__MJ_STRS(X) X(ADVISOR) X(TECHNICIAN) X(VIN) X(PLATE)

#define SVL__X(E) SVL__MJ_##E,
enum { SVL__MJ_INTS(SVL__X) SVL__MJ_NI };
enum { SVL__MJ_STRS(SVL__X) SVL__MJ_NS };
#undef SVL__X

typedef struct svl__mj {
	int64_t v[SVL__MJ_NI];
	char s[SVL__MJ_NS][SVL_WO_ID_MAX + 1];
} svl__mj;

#define SVL__MJ_BUF (5 + SVL__MJ_NI * 9 + SVL__MJ_NS * (2 + SVL_WO_ID_MAX))
#define SVL__MROW_KEY_MAX (7 + SVL_METRICS_KEY_MAX)
#define SVL__MROW_BUF (5 + SVL__MC_N * 9)

/* ---- calendar (metrics_query.c) ---- */

/* The first day of the period holding local day `day`: itself, its
 * Monday, the 1st of its month. */
int64_t svl__period_start(enum svl_metrics_period p, int64_t day);
/* "2026-09-30", "2026-W40" (ISO week-numbering year), "2026-09". */
void svl__period_label(enum svl_metrics_period p, int64_t start_day,
		       char out[SVL_METRICS_LABEL_MAX]);

/* ---- ratios ---- */

/* num / den x scale, rounded half up; SVL_METRICS_NONE when den is 0 (or
 * num < 0): every ratio of the metrics, and of the figures built beside
 * them (ledger/figures.c), is this one. */
int32_t svl__metrics_ratio(int64_t num, int64_t den, int64_t scale);

/* ---- rows ---- */

/* Counters from a row's value; false when malformed. */
bool svl__mrow_decode(const void *v, size_t n, int64_t out[SVL__MC_N]);
/* A row's value (trailing zeros left out); returns its length. */
size_t svl__mrow_encode(const int64_t c[SVL__MC_N], uint8_t *buf);

/* A row's key prefix: 'm', period tag, breakdown tag, u32 biased day. */
#define SVL__MROW_PREFIX 7
void svl__metrics_row_prefix(uint8_t k[SVL__MROW_PREFIX],
			     enum svl_metrics_period period,
			     enum svl_metrics_by by, int64_t start_day);
/* A stored row as the public struct (counters and ratios; the period's
 * start in ms is the reader's, in its rule set's zone). */
bool svl__metrics_row_of(const void *key, size_t key_len, const void *val,
			 size_t val_len, svl_metrics_row *row);
int svl__metrics_describe(const void *key, size_t key_len, const void *old_v,
			  size_t old_len, const void *new_v, size_t new_len,
			  char *out, size_t out_len);

/* The rows of one slot table (the public call finds the live one). */
int svl__metrics_get_txn(svl_txn *t, unsigned table, const svl_rules *rules,
			 enum svl_metrics_period period, int64_t from_ms,
			 int64_t to_ms, enum svl_metrics_by by,
			 svl_metrics_fn fn, void *payload);

#endif
