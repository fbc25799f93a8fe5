/*
 * svl_decide.h - the deciders: whether a proposed event may be appended,
 * checked against the current state of the streams it touches, inside the
 * write transaction that appends it (domain.md sections 1 to 3).
 *
 * A command (a booking confirmation, a pick signature, a write-off
 * approval...) arrives as one or more parsed events (svl_event_in, payload
 * canonical: see svl_event_input_json). svl_decide() checks one of them:
 *
 *   1. the envelope: a known type, a payload that decodes, the stream the
 *      payload names (SVL_EINVAL otherwise, detail via svl_txn_fail);
 *   2. who: the role the event claims may record that type (R-ROLE-1) and
 *      the actor holds that role at occurred_at per the log's
 *      staff_role_assigned / staff_role_revoked events (R-ROLE-2);
 *   3. the business rules of its type (R-ISS-3, R-WOF-2, ...), folded from
 *      the streams it touches and the small decider index.
 *
 * A refusal is SVL_EREFUSED with an svl_refusal naming the rule and saying
 * in one line what is wrong, in the words of the parts desk; the same
 * refusal as data (rule, message id, parameters) is the thread's
 * svl_refusal_last, and svl_refusal_text renders it in English or in the
 * department's Chinese. Nothing is ever
 * appended by svl_decide(); svl_decide_append() appends what was decided.
 * docs/rules.md lists every rule, where it is checked and its tests.
 *
 * Threads: as for svl_txn (one thread per transaction). Memory: nothing
 * returned here is borrowed; refusals are copied into the caller's struct.
 */
#ifndef SVL_DECIDE_H
#define SVL_DECIDE_H

#include <stddef.h>
#include <stdint.h>

#include "svl_error.h"
#include "svl_log.h"
#include "svl_rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a command was refused. Both strings are NUL-terminated. */
typedef struct svl_refusal {
	char rule[16]; /* the rule id, "R-ISS-3" */
	/* one line a parts manager understands, starting with the rule id:
	 * "R-ISS-3: pick P-17 is already signed by E012 as parts_manager;
	 * three different people must sign" */
	char msg[256];
} svl_refusal;

/* ---- refusals as data ------------------------------------------------- */

#define SVL_REFUSAL_PARAMS_MAX 8 /* parameters kept per refusal */
/* bytes per parameter, NUL included: as long as svl_refusal.msg, so the
 * English rendering always equals it */
#define SVL_REFUSAL_PARAM_MAX 256

/*
 * A refusal as data, so it can be shown in any language later: the rule,
 * the message id (the English template, a printf-style format such as
 * "pick %.*s is already signed by %s as %s; three different people must
 * sign") and the text of each of its conversions, in order, as the
 * English line printed them (width and precision applied; "%.*s" is one
 * parameter). A parameter longer than SVL_REFUSAL_PARAM_MAX - 1 bytes is
 * cut; a template with more than SVL_REFUSAL_PARAMS_MAX conversions keeps
 * its first ones (svl_refusal_text then answers SVL_ELIMIT).
 */
typedef struct svl_refusal_info {
	char rule[16];	   /* the rule id, "R-ISS-3" */
	const char *msgid; /* static storage of the library: never freed */
	size_t n_params;
	char params[SVL_REFUSAL_PARAMS_MAX][SVL_REFUSAL_PARAM_MAX];
} svl_refusal_info;

/*
 * svl_refusal_last - the calling thread's last refusal, as data: the one
 * of its last decision (svl_decide, svl_decide_append, svl_ledger_submit,
 * svl_ledger_submit_json; a submission decided on another thread by the
 * group commit counts as the submitter's). Kept per thread until the
 * thread's next decision or submission. Returns SVL_OK, SVL_ENOTFOUND
 * (the last one refused nothing), SVL_EMISUSE (out NULL).
 */
SVL_API int svl_refusal_last(svl_refusal_info *out);

/*
 * svl_refusal_text - the refusal's one line in language lang ("en",
 * "zh_CN", "zh-CN", "zh_CN.UTF-8", "zh"; NULL or a language the library
 * does not have: English), "R-ISS-3: ..." as svl_refusal.msg has it (in
 * English, byte for byte, when it fits there). Never touches the process
 * locale; thread-safe. buf (len bytes, may be NULL when len is 0) is
 * always NUL-terminated when len > 0, cut to fit. Returns the length the
 * whole line needs (as snprintf), or SVL_EMISUSE (r or its msgid NULL),
 * SVL_ELIMIT (the template takes more parameters than r holds).
 */
SVL_API int svl_refusal_text(const svl_refusal_info *r, const char *lang,
			     char *buf, size_t len);

enum svl_decide_flags {
	/*
	 * Check only the envelope and who may record the event (R-ROLE-1,
	 * R-ROLE-2), not the state rules: for re-importing history whose
	 * rules were checked when it was first recorded.
	 */
	SVL_DECIDE_ROLES_ONLY = 1u << 0,
};

#define SVL_DECIDE_OPTIONS_VERSION 1
#define SVL_DECIDE_TZ_DEFAULT_MIN 480	   /* UTC+08:00, the seed's shop */
#define SVL_DECIDE_DAY_CAPACITY_DEFAULT 20 /* R-BKG-4 jobs per day */

/*
 * The deciders' policy, for a caller of svl_decide without a ledger: it
 * stands for the rule set (svl_rules.h) with these knobs set and the
 * others at their defaults; SVL_DECIDE_OPTIONS_INIT is the default rule
 * set (tests/test_rules_def.c holds them equal). A ledger decides under its
 * live rule set.
 */
typedef struct svl_decide_options {
	unsigned version; /* SVL_DECIDE_OPTIONS_VERSION */
	/* local time = UTC + this; days (R-BKG-4) and times of day (R-FU-4)
	 * are taken in it */
	int32_t tz_offset_min;
	/* confirmed jobs per local day (R-BKG-4); 0 = no limit */
	uint32_t day_capacity_jobs;
	unsigned flags; /* enum svl_decide_flags */
	/* R-WOF-6 shares in permille (company, service_manager,
	 * parts_manager, warehouse_keeper) the liability charges of an
	 * approved write-off must match; all zero = 700, 100, 100, 100. Pass
	 * the ledger's rule set (svl_rules.wof_split_permille). */
	int32_t wof_split_permille[4];
	/* enum svl_signed_types bits: those signatures must carry a valid
	 * Ed25519 signature by the signer's registered key (docs/trust.md);
	 * pass the ledger's rule set (svl_rules.require_signed) */
	uint32_t require_signed;
	uint32_t reserved[7]; /* zero */
} svl_decide_options;

/* Signatures that a rule set may require to be signed with a key
 * (svl_decide_options.require_signed, svl_rules.require_signed). A
 * signature that is present is always checked. */
enum svl_signed_types {
	SVL_SIGNED_PICK = 1u << 0,		 /* pick_signed: R-ISS-1/3/4 */
	SVL_SIGNED_WRITEOFF_APPRAISAL = 1u << 1, /* writeoff_appraised: R-WOF-2 */
	SVL_SIGNED_WRITEOFF_APPROVAL = 1u << 2,	 /* writeoff_approved: R-WOF-5 */
	SVL_SIGNED_ADJUSTMENT = 1u << 3,	 /* adjustment_approved: R-STK-2 */
	SVL_SIGNED_ALL = 0xfu
};

#define SVL_DECIDE_OPTIONS_INIT                                                \
	{                                                                      \
		SVL_DECIDE_OPTIONS_VERSION, SVL_DECIDE_TZ_DEFAULT_MIN,         \
		    SVL_DECIDE_DAY_CAPACITY_DEFAULT, 0,                        \
		{700, 100, 100, 100}, 0, {0}                                   \
	}

/*
 * svl_decide_prepare - open the decider index table ("decide.index") and
 * bring it up to the log's head, folding only the few event types it keeps
 * (confirmed booking slots, bin owners, written-off quantities, whether a
 * manager has been appointed; docs/rules.md "The decider index"). Call it
 * once after opening the log and before any svl_decide* call on that
 * handle; it runs its own write transaction, so never inside one. On a
 * read-only log the table is only opened, if it exists (if not, or if it
 * lags the log, svl_decide answers SVL_EMISUSE on that handle). Returns
 * SVL_OK, SVL_ELIMIT (no table slot left), SVL_ECORRUPT, SVL_EIO.
 */
SVL_API int svl_decide_prepare(svl_log *log);

/*
 * svl_decide_rebuild - empty the decider index and fold it again from
 * seq 1, in one write transaction (after restoring a log, or to prove the
 * index equals the log). Same codes as svl_decide_prepare.
 */
SVL_API int svl_decide_rebuild(svl_log *log);

/*
 * svl_decide - may the proposed event `ev` be appended, given the state
 * visible in `txn` (which includes events appended earlier in the same
 * transaction, so a batch is decided in order)? `opt` may be NULL.
 * Returns
 *   SVL_OK        it may be appended;
 *   SVL_EREFUSED  a rule says no: *why names the rule and the reason;
 *   SVL_EINVAL    the event itself is wrong (unknown type, payload that
 *                 does not decode, stream not the one the payload names,
 *                 unknown role name, no actor); detail via svl_txn_fail;
 *   SVL_EMISUSE   svl_decide_prepare was not called on this log;
 *   SVL_ECORRUPT, SVL_EIO  reading the log failed.
 * In a write transaction the decider index may be caught up with appends
 * that bypassed the deciders (table writes, never events). `why` may be
 * NULL; when given it is cleared on SVL_OK.
 */
SVL_API int svl_decide(svl_txn *txn, const svl_event_in *ev,
		       const svl_decide_options *opt, svl_refusal *why);

/*
 * svl_decide_append - decide and append n events in order: each is
 * decided (svl_decide), then appended with svl_txn_append, so the next one
 * sees it, and the decider index is updated in the same transaction. An
 * event whose client id is already committed in the log is a retry: it is
 * not decided again and svl_txn_append returns its original position.
 * Stops at the first event that is refused or fails: *failed_index (may be
 * NULL) gets its index and the caller must abort the transaction (return
 * the code from its svl_log_write function), so nothing of the batch
 * remains. out (may be NULL) receives n positions. Returns the codes of
 * svl_decide and svl_txn_append.
 */
SVL_API int svl_decide_append(svl_txn *txn, const svl_event_in *evs, size_t n,
			      const svl_decide_options *opt, svl_position *out,
			      svl_refusal *why, size_t *failed_index);

/* ---- the write-off split (R-WOF-6) ------------------------------------ */

/* Shares: the names of svl_rules.h's enum svl_wof_share, kept for
 * callers of svl_writeoff_split. */
#define SVL_SPLIT_COMPANY SVL_WOF_COMPANY
#define SVL_SPLIT_SERVICE_MANAGER SVL_WOF_SERVICE_MANAGER
#define SVL_SPLIT_PARTS_MANAGER SVL_WOF_PARTS_MANAGER
#define SVL_SPLIT_WAREHOUSE_KEEPER SVL_WOF_WAREHOUSE_KEEPER
#define SVL_SPLIT_SHARES SVL_WOF_SHARES

/*
 * svl_writeoff_split - split an approved write-off loss of total_fen (>= 0)
 * into out_fen[4]: company, service_manager, parts_manager,
 * warehouse_keeper. permille[] are the shares in that order (700, 100,
 * 100, 100 by default; they must be >= 0 and sum to 1000). Each role share
 * (index 1..3) is floor(total_fen * permille / 1000); the company (index
 * 0) takes the rest, so the four always add up to total_fen exactly and
 * the company bears every rounding remainder (at most 2 fen). Returns
 * SVL_OK, or SVL_EINVAL (negative total, permilles not summing to 1000,
 * out NULL) with out_fen zeroed.
 */
SVL_API int svl_writeoff_split(int64_t total_fen, const int32_t permille[4],
			       int64_t out_fen[4]);

/* The line value of qty_milli units at unit_cost_fen per unit, in fen,
 * rounded half up: (qty_milli * unit_cost_fen + 500) / 1000. The value
 * written off (R-WOF-6) is the sum of its lines' values. Returns SVL_OK or
 * SVL_ELIMIT (the product overflows 64 bits). */
SVL_API int svl_line_value_fen(int64_t qty_milli, int64_t unit_cost_fen,
			       int64_t *out_fen);

#ifdef __cplusplus
}
#endif
#endif /* SVL_DECIDE_H */
