/*
 * fuzz_seal_line.c - a line of a seal file (trust/seal_json.c):
 * svl_seal_from_json, then svl_seal_to_json. The seal file comes from
 * outside (the auditor's copy, an e-mail): verify must refuse what does
 * not parse and never read outside it.
 *
 * Properties of an accepted line:
 *   - its canonical line is valid JSON and parses again;
 *   - the canonical line is a fixed point: the line of what it parses to
 *     is the same text, so every field (the line holds all of them)
 *     survived the trip.
 */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "svcledger.h"

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
	size_t n2 = svl_seal_to_json(&back, text2, sizeof text2);
	FUZZ_CHECK(n2 == n && memcmp(text, text2, n) == 0,
		   "the canonical line is a fixed point");
	return 0;
}
