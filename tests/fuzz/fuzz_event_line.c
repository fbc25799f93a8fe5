/*
 * fuzz_event_line.c - one NDJSON event line, as `svcledger append` and
 * svl_ledger_submit_json read it: svl_event_input_json (events/input.c
 * over the tokenizer of events/jtok.c).
 *
 * Properties, for any bytes:
 *   - an empty arena of SVL_EVENT_ARENA_MIN bytes always holds one event
 *     (SVL_ELIMIT never comes back), and a refused line takes nothing
 *     from the arena and says why;
 *   - an accepted line gives a payload that validates at the type's
 *     current version and a stream equal to the one its payload derives;
 *   - differential: when jansson parses the same text (duplicates
 *     refused), the tree path svl_event_input_jsont must reach the same
 *     verdict and, on success, the same event, byte for byte; and what
 *     the tokenizer accepts, jansson must parse (every string of an
 *     accepted line can be written out as JSON and read back). The one
 *     known leniency of jansson, a NUL byte after a value read as if it
 *     were not there, is not held against the tokenizer.
 */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "svcledger.h"
#include "svl_jansson.h" /* svl_event_input_jsont */

static int same_bytes(const void *a, size_t na, const void *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static int same_opt_id(const uint8_t *a, const uint8_t *b)
{
	if (!a || !b)
		return a == b;
	return memcmp(a, b, SVL_ID_SIZE) == 0;
}

static int same_event(const svl_event_in *a, const svl_event_in *b)
{
	return a->type == b->type && a->schema_version == b->schema_version &&
	       a->occurred_at_ms == b->occurred_at_ms &&
	       a->recorded_at_ms == b->recorded_at_ms &&
	       a->expected_version == b->expected_version &&
	       same_bytes(a->stream, a->stream_len, b->stream, b->stream_len) &&
	       same_bytes(a->actor, a->actor_len, b->actor, b->actor_len) &&
	       same_bytes(a->role, a->role_len, b->role, b->role_len) &&
	       memcmp(a->id, b->id, SVL_ID_SIZE) == 0 &&
	       same_opt_id(a->correlation_id, b->correlation_id) &&
	       same_opt_id(a->causation_id, b->causation_id) &&
	       same_bytes(a->payload, a->payload_len, b->payload,
			  b->payload_len);
}

static void check_accepted(const svl_event_in *ev)
{
	char stream[SVL_STREAM_MAX + 1];
	size_t n = 0;
	svl_event_error err;
	FUZZ_CHECK(svl_event_validate(ev->type, ev->schema_version, ev->payload,
				      ev->payload_len, &err) == SVL_OK,
		   "an accepted line's payload validates");
	FUZZ_CHECK(svl_event_stream_of(stream, sizeof stream, &n, ev->type,
				       ev->schema_version, ev->payload,
				       ev->payload_len) == SVL_OK &&
		       same_bytes(stream, n, ev->stream, ev->stream_len),
		   "an accepted line's stream is its payload's");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *buf_tok, *buf_tree;
	if (!buf_tok) {
		buf_tok = malloc(SVL_EVENT_ARENA_MIN);
		buf_tree = malloc(SVL_EVENT_ARENA_MIN);
		if (!buf_tok || !buf_tree)
			abort();
	}
	svl_event_arena tok = {buf_tok, SVL_EVENT_ARENA_MIN, 0};
	svl_event_arena tree = {buf_tree, SVL_EVENT_ARENA_MIN, 0};
	svl_event_in a, b;
	svl_event_error ea, eb;
	const char *line = (const char *)data;

	int rc = svl_event_input_json(&a, &tok, line, size, &ea);
	FUZZ_CHECK(rc != SVL_ELIMIT, "one event fits an empty arena");
	if (rc == SVL_OK) {
		check_accepted(&a);
	} else {
		FUZZ_CHECK(tok.used == 0, "a refused line takes nothing");
		FUZZ_CHECK(ea.msg[0] != '\0', "a refusal says why");
	}

	json_error_t je;
	json_t *o = json_loadb(line, size, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		FUZZ_CHECK(rc != SVL_OK,
			   "what the tokenizer accepts, jansson parses");
		return 0;
	}
	int rc2 = svl_event_input_jsont(&b, &tree, o, &eb);
	json_decref(o);
	FUZZ_CHECK(rc2 != SVL_ELIMIT, "one event fits an empty arena (tree)");
	/* jansson reads a NUL byte after a value as if it were not there;
	 * the tokenizer refuses it, as JSON does */
	int has_nul = memchr(data, 0, size) != NULL;
	FUZZ_CHECK(rc == SVL_OK ? rc2 == SVL_OK : rc2 != SVL_OK || has_nul,
		   "text and tree paths reach the same verdict");
	if (rc == SVL_OK)
		FUZZ_CHECK(same_event(&a, &b),
			   "text and tree paths give the same event");
	return 0;
}
