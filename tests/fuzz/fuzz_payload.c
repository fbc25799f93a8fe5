/*
 * fuzz_payload.c - payload msgpack against the catalog (events/read.c):
 * the strict reader (svl_event_validate, svl_event_normalize), the fast
 * decoder and its array iterator (svl_event_decode,
 * svl_event_array_begin/next), and the JSON form (events/json.c).
 *
 * Input: type id (2 bytes, big-endian), schema version (1 byte), then the
 * payload bytes. Properties:
 *   - what validation accepts, the decoder reads, and every element of
 *     every array field walks (as many as the count says);
 *   - an accepted payload normalizes; its canonical form validates at the
 *     current version and normalizes to itself;
 *   - its JSON form converts back to exactly the canonical bytes, and the
 *     canonical bytes give the same JSON text.
 */
#include <string.h>

#include "fuzz.h"
#include "svcledger.h"

static uint8_t canon[SVL_PAYLOAD_MAX], again[SVL_PAYLOAD_MAX];

/* Walk every array field; returns whether every element decoded and
 * their number matched the count. */
static int walk_arrays(const svl_event_view *v)
{
	int ok = 1;
	for (uint32_t f = 0; f < v->type->n_fields; f++) {
		if (v->type->fields[f].kind != SVL_KIND_ARRAY)
			continue;
		svl_event_array it;
		svl_value el[SVL_EVENT_SUBFIELDS_MAX];
		FUZZ_CHECK(svl_event_array_begin(&it, v, f) == SVL_OK,
			   "an array field begins");
		int64_t k = 0;
		int rc;
		while ((rc = svl_event_array_next(&it, el)) == SVL_OK)
			k++;
		if (rc != SVL_ITEROVER ||
		    k != (v->v[f].present ? v->v[f].i : 0))
			ok = 0;
	}
	return ok;
}

static void check_json(const svl_event_type *t, uint32_t version,
		       const uint8_t *p, size_t n, size_t canon_len)
{
	char *js = NULL, *js2 = NULL;
	size_t back_len = 0;
	svl_event_error err;
	FUZZ_CHECK(svl_event_to_json_text(&js, t->id, version, p, n, &err) ==
		       SVL_OK,
		   "an accepted payload has a JSON form");
	FUZZ_CHECK(svl_event_from_json_text(again, sizeof again, &back_len,
					    t->id, js, strlen(js),
					    &err) == SVL_OK,
		   "the JSON form converts back");
	FUZZ_CHECK(back_len == canon_len && !memcmp(again, canon, canon_len),
		   "the JSON form converts back to the canonical bytes");
	FUZZ_CHECK(svl_event_to_json_text(&js2, t->id, t->version, canon,
					  canon_len, &err) == SVL_OK &&
		       strcmp(js, js2) == 0,
		   "the canonical bytes give the same JSON");
	free(js);
	free(js2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint32_t type = (uint32_t)data[0] << 8 | data[1];
	uint32_t version = data[2];
	const uint8_t *p = data + 3;
	size_t n = size - 3;
	svl_event_view v;
	svl_event_error err;
	char stream[SVL_STREAM_MAX + 1];

	int rd = svl_event_decode(&v, type, version, p, n);
	int rv = svl_event_validate(type, version, p, n, &err);
	if (rv == SVL_OK)
		FUZZ_CHECK(rd == SVL_OK,
			   "what validation accepts, decode reads");
	if (rd != SVL_OK)
		return 0;
	int arrays_ok = walk_arrays(&v);
	(void)svl_event_stream(stream, sizeof stream, NULL, &v);
	if (rv != SVL_OK)
		return 0;
	FUZZ_CHECK(arrays_ok, "every element of a valid payload decodes");

	size_t len = 0, len2 = 0;
	FUZZ_CHECK(svl_event_normalize(canon, sizeof canon, &len, type, version,
				       p, n, &err) == SVL_OK,
		   "a valid payload normalizes");
	FUZZ_CHECK(svl_event_validate(type, v.type->version, canon, len,
				      &err) == SVL_OK,
		   "the canonical form validates");
	FUZZ_CHECK(svl_event_normalize(again, sizeof again, &len2, type,
				       v.type->version, canon, len,
				       &err) == SVL_OK &&
		       len2 == len && !memcmp(again, canon, len),
		   "the canonical form normalizes to itself");
	check_json(v.type, version, p, n, len);
	return 0;
}
