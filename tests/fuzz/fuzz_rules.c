/*
 * fuzz_rules.c - rule-set JSON (projections/rules.c): svl_rules_parse,
 * then the canonical form (svl_rules_to_json) that a projection stores
 * and hashes.
 *
 * Properties of an accepted rule set:
 *   - its canonical form is valid JSON (jansson parses it strictly);
 *   - parsing the canonical form gives the same rule set (every field and
 *     the hash), and its canonical form is the same text again.
 */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "svcledger.h"

static int same_rules(const svl_rules *a, const svl_rules *b)
{
	if (strcmp(a->id, b->id) || memcmp(a->hash, b->hash, sizeof a->hash) ||
	    a->tz_offset_min != b->tz_offset_min ||
	    a->followup_min_days != b->followup_min_days ||
	    a->followup_max_days != b->followup_max_days ||
	    a->n_call_windows != b->n_call_windows ||
	    a->followup_attempts_for_failure !=
		b->followup_attempts_for_failure ||
	    a->satisfaction_scale != b->satisfaction_scale ||
	    a->satisfaction_threshold != b->satisfaction_threshold ||
	    a->comeback_window_days != b->comeback_window_days ||
	    a->major_complaint_mask != b->major_complaint_mask ||
	    a->valuation != b->valuation ||
	    a->require_signed != b->require_signed ||
	    memcmp(a->wof_split_permille, b->wof_split_permille,
		   sizeof a->wof_split_permille))
		return 0;
	for (uint32_t i = 0; i < a->n_call_windows; i++)
		if (a->call_window_start_min[i] !=
			b->call_window_start_min[i] ||
		    a->call_window_end_min[i] != b->call_window_end_min[i])
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[4096], text2[4096];
	char err[256];
	svl_rules r, back;
	if (svl_rules_parse((const char *)data, size, &r, err, sizeof err) !=
	    SVL_OK)
		return 0;
	size_t n = svl_rules_to_json(&r, text, sizeof text);
	FUZZ_CHECK(n < sizeof text, "the canonical form is small");
	json_error_t je;
	json_t *o = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		fprintf(stderr, "fuzz: canonical form: %s\n  %s\n", je.text,
			text);
	FUZZ_CHECK(o != NULL, "the canonical form is valid JSON");
	json_decref(o);
	int rc = svl_rules_parse(text, n, &back, err, sizeof err);
	if (rc != SVL_OK)
		fprintf(stderr, "fuzz: canonical form refused: %s\n", err);
	FUZZ_CHECK(rc == SVL_OK, "the canonical form parses");
	FUZZ_CHECK(same_rules(&r, &back),
		   "the canonical form parses to the same rule set");
	size_t n2 = svl_rules_to_json(&back, text2, sizeof text2);
	FUZZ_CHECK(n2 == n && memcmp(text, text2, n) == 0,
		   "the canonical form is a fixed point");
	return 0;
}
