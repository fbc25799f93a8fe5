/*
 * fuzz_seal_line.c - a line of a seal file (trust/seal_json.c):
 * svl_seal_from_json, then svl_seal_to_json. The seal file comes from
 * outside (the auditor's copy, an e-mail): verify must refuse what does
 * not parse and never read outside it.
 *
 * Properties of an accepted line:
 *   - its canonical line is valid JSON and parses to the same seal (every
 *     field);
 *   - the canonical line is a fixed point.
 */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "svcledger.h"

static int same_seal(const svl_seal *a, const svl_seal *b)
{
	return a->seq == b->seq && a->from_seq == b->from_seq &&
	       a->to_seq == b->to_seq && a->sealed_at_ms == b->sealed_at_ms &&
	       !memcmp(a->ledger_id, b->ledger_id, sizeof a->ledger_id) &&
	       !memcmp(a->head_hash, b->head_hash, sizeof a->head_hash) &&
	       !memcmp(a->prev_digest, b->prev_digest, sizeof a->prev_digest) &&
	       !memcmp(a->digest, b->digest, sizeof a->digest) &&
	       !memcmp(a->public_key, b->public_key, sizeof a->public_key) &&
	       !memcmp(a->signature, b->signature, sizeof a->signature) &&
	       !strcmp(a->period, b->period) &&
	       !strcmp(a->staff_id, b->staff_id) && !strcmp(a->role, b->role);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[2048], text2[2048];
	char err[256];
	svl_seal s, back;
	if (svl_seal_from_json(&s, (const char *)data, size, err, sizeof err) !=
	    SVL_OK)
		return 0;
	size_t n = svl_seal_to_json(&s, text, sizeof text);
	FUZZ_CHECK(n > 0 && n < sizeof text, "the canonical line is small");
	json_error_t je;
	json_t *o = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		fprintf(stderr, "fuzz: canonical line: %s\n  %s\n", je.text,
			text);
	FUZZ_CHECK(o != NULL, "the canonical line is valid JSON");
	json_decref(o);
	int rc = svl_seal_from_json(&back, text, n, err, sizeof err);
	if (rc != SVL_OK)
		fprintf(stderr, "fuzz: canonical line refused: %s\n", err);
	FUZZ_CHECK(rc == SVL_OK, "the canonical line parses");
	FUZZ_CHECK(same_seal(&s, &back),
		   "the canonical line parses to the same seal");
	size_t n2 = svl_seal_to_json(&back, text2, sizeof text2);
	FUZZ_CHECK(n2 == n && memcmp(text, text2, n) == 0,
		   "the canonical line is a fixed point");
	return 0;
}
