/*
 * svl_rules.h - rule sets: the knobs that change what projections compute
 * without changing what happened. A rule set is a small JSON file with an
 * id; a projection records the id and hash of the rule set that built it,
 * and rebuilding under another rule set shows what the change moves.
 *
 *   {
 *     "id": "2026-q4",
 *     "timezone": "+08:00",
 *     "followup_window_days": [1, 3],            R-FU-1
 *     "call_windows": ["09:00-11:30", "14:00-19:00"],   R-FU-3
 *     "followup_attempts_for_failure": 3,        R-FU-4/5
 *     "satisfaction_scale": 5,
 *     "satisfaction_threshold": 4,               answers >= 4 are satisfied
 *     "comeback_window_days": 30,                first-time fix
 *     "major_complaint_classes": ["medium", "severe"],   R-CMP-5
 *     "valuation": "moving_average",             or "latest_cost"
 *     "writeoff_split_permille": {"company": 700, "service_manager": 100,
 *                                 "parts_manager": 100, "warehouse_keeper": 100},
 *     "require_signed": [],                      or ["pick_signed", ...]
 *     "day_capacity_jobs": 20,                   R-BKG-4, 0 = no limit
 *     "waive": [],                               or ["R-REC-3", ...]
 *     "writeoff_charge_days": 30                 R-WOF-6, figures
 *   }
 *
 * Every key is optional; a missing key takes the default shown (the seed
 * manual's values). The knobs are declared once, in model/rules.def, and
 * docs/projections.md lists them. Unknown keys are an error, so a typo cannot silently
 * fall back to a default.
 */
#ifndef SVL_RULES_H
#define SVL_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "svl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_RULES_ID_MAX 63
#define SVL_RULES_WINDOWS_MAX 8

enum svl_valuation {
	SVL_VALUATION_MOVING_AVERAGE = 0, /* weighted average, see projections.md */
	SVL_VALUATION_LATEST_COST = 1,    /* on-hand valued at the last receipt cost */
};

/* Bits of major_complaint_mask, one per R-CMP-2 severity class. */
enum svl_complaint_class {
	SVL_COMPLAINT_GRUMBLE = 1u << 0,
	SVL_COMPLAINT_GENERAL = 1u << 1,
	SVL_COMPLAINT_MEDIUM = 1u << 2,
	SVL_COMPLAINT_SEVERE = 1u << 3,
};

/* Shares of a write-off loss (R-WOF-6), in permille, summing to 1000. */
enum svl_wof_share {
	SVL_WOF_COMPANY,
	SVL_WOF_SERVICE_MANAGER,
	SVL_WOF_PARTS_MANAGER,
	SVL_WOF_WAREHOUSE_KEEPER,
	SVL_WOF_SHARES
};

typedef struct svl_rules {
	char id[SVL_RULES_ID_MAX + 1];
	uint8_t hash[16];                 /* XXH3-128 of the canonical form */
	int32_t tz_offset_min;            /* local time = UTC + this */
	int32_t followup_min_days;        /* R-FU-1 window after delivery */
	int32_t followup_max_days;
	uint32_t n_call_windows;          /* R-FU-3, local minutes of day */
	int32_t call_window_start_min[SVL_RULES_WINDOWS_MAX];
	int32_t call_window_end_min[SVL_RULES_WINDOWS_MAX];
	int32_t followup_attempts_for_failure; /* R-FU-4/5 */
	int32_t satisfaction_scale;
	int32_t satisfaction_threshold;
	int32_t comeback_window_days;
	uint32_t major_complaint_mask;    /* enum svl_complaint_class bits */
	enum svl_valuation valuation;
	int32_t wof_split_permille[SVL_WOF_SHARES];
	uint32_t require_signed;          /* enum svl_signed_types bits */
	int32_t day_capacity_jobs;        /* R-BKG-4 jobs per local day, 0 none */
	uint32_t waived[2];               /* bits: rules not enforced (waive) */
	int32_t writeoff_charge_days;     /* R-WOF-6: a share overdue after */
	uint32_t reserved[27];            /* zero; room for knobs to come */
} svl_rules;

/* svl_rules_default - the seed manual's rules, id "default". */
SVL_API void svl_rules_default(svl_rules *out);

/*
 * svl_rules_parse - parse a rule-set JSON text. On error returns SVL_EINVAL
 * and writes "key: what is wrong" into err (errlen bytes, may be 0).
 */
SVL_API int svl_rules_parse(const char *json, size_t len, svl_rules *out,
			    char *err, size_t errlen);

/* svl_rules_load - read and parse a rule-set file. */
SVL_API int svl_rules_load(const char *path, svl_rules *out, char *err,
			   size_t errlen);

/*
 * svl_rules_to_json - the canonical JSON form (keys in a fixed order, no
 * spaces): what the hash is computed over and what a projection stores.
 * Returns the length written (excluding NUL), or the length needed when
 * buf is too small (like snprintf).
 */
SVL_API size_t svl_rules_to_json(const svl_rules *r, char *buf, size_t len);

/* svl_rules_is_major - whether a complaint class name counts as major. */
SVL_API int svl_rules_is_major(const svl_rules *r, const char *class_name,
			       size_t len);

/* svl_rules_in_call_window - whether a UTC time falls in a call window. */
SVL_API int svl_rules_in_call_window(const svl_rules *r, int64_t at_ms);

/* svl_rules_local_day - days since 1970-01-01 in the rule set's time zone
 * (floor division, so times before 1970 work too). */
SVL_API int64_t svl_rules_local_day(const svl_rules *r, int64_t at_ms);

#ifdef __cplusplus
}
#endif
#endif /* SVL_RULES_H */
