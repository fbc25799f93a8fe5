/*
 * fuzz_record.c - a ledger's stored records: the value under a seq key in
 * `events` (envelope || hash, docs/format.md), read by svl__record_decode
 * (engine/envelope.c), which every reader applies: svl_log_verify
 * (through svl__record_check: decoding, then the one canonical encoding),
 * export, the iterators and the append hook.
 *
 * Properties of a record that reads:
 *   - every pointer it yields lies inside the value, the hash is its last
 *     16 bytes, and the limits of the envelope hold;
 *   - re-encoding it (svl__envelope_encode, what append writes) gives
 *     exactly its envelope bytes: a record that reads has one encoding,
 *     so its hash is reproducible; the re-encoding reads back the same.
 */
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "svl_events.h"

static int inside(const void *p, size_t n, const uint8_t *data, size_t size)
{
	const uint8_t *b = p;
	return b >= data && b <= data + size && n <= (size_t)(data + size - b);
}

static int same_bytes(const void *a, size_t na, const void *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static int same_opt_id(const uint8_t *a, const uint8_t *b)
{
	return (!a || !b) ? a == b : memcmp(a, b, SVL_ID_SIZE) == 0;
}

static int same_record(const svl_record *a, const svl_record *b)
{
	return a->seq == b->seq && a->stream_version == b->stream_version &&
	       a->type == b->type && a->schema_version == b->schema_version &&
	       a->occurred_at_ms == b->occurred_at_ms &&
	       a->recorded_at_ms == b->recorded_at_ms &&
	       same_bytes(a->stream, a->stream_len, b->stream, b->stream_len) &&
	       same_bytes(a->actor, a->actor_len, b->actor, b->actor_len) &&
	       same_bytes(a->role, a->role_len, b->role, b->role_len) &&
	       !memcmp(a->id, b->id, SVL_ID_SIZE) &&
	       same_opt_id(a->correlation_id, b->correlation_id) &&
	       same_opt_id(a->causation_id, b->causation_id) &&
	       same_bytes(a->payload, a->payload_len, b->payload,
			  b->payload_len) &&
	       !memcmp(a->prev_hash, b->prev_hash, SVL_HASH_SIZE);
}

static void check_pointers(const svl_record *r, const uint8_t *data,
			   size_t size)
{
	FUZZ_CHECK(r->hash == data + size - SVL_HASH_SIZE,
		   "the hash is the last 16 bytes");
	FUZZ_CHECK(inside(r->stream, r->stream_len, data, size) &&
		       inside(r->actor, r->actor_len, data, size) &&
		       inside(r->role, r->role_len, data, size) &&
		       inside(r->id, SVL_ID_SIZE, data, size) &&
		       inside(r->payload, r->payload_len, data, size) &&
		       inside(r->prev_hash, SVL_HASH_SIZE, data, size),
		   "a decoded record borrows only its value");
	FUZZ_CHECK(!r->correlation_id ||
		       inside(r->correlation_id, SVL_ID_SIZE, data, size),
		   "correlation id inside the value");
	FUZZ_CHECK(!r->causation_id ||
		       inside(r->causation_id, SVL_ID_SIZE, data, size),
		   "causation id inside the value");
	FUZZ_CHECK(r->stream_len >= 1 && r->stream_len <= SVL_STREAM_MAX &&
		       r->actor_len <= SVL_ACTOR_MAX &&
		       r->role_len <= SVL_ROLE_MAX && r->stream_version >= 1 &&
		       r->schema_version >= 1,
		   "the envelope's limits hold");
}

static void check_reencode(const svl_record *r, const uint8_t *data,
			   size_t size)
{
	svl_event_in ev;
	memset(&ev, 0, sizeof ev);
	ev.stream = r->stream;
	ev.stream_len = r->stream_len;
	ev.type = r->type;
	ev.schema_version = r->schema_version;
	ev.occurred_at_ms = r->occurred_at_ms;
	ev.actor = r->actor;
	ev.actor_len = r->actor_len;
	ev.role = r->role;
	ev.role_len = r->role_len;
	ev.correlation_id = r->correlation_id;
	ev.causation_id = r->causation_id;
	ev.payload = r->payload;
	ev.payload_len = r->payload_len;
	uint8_t *buf = malloc(size + SVL_HASH_SIZE);
	if (!buf)
		abort();
	size_t n = svl__envelope_encode(buf, &ev, r->seq, r->stream_version,
					r->recorded_at_ms, r->id, r->prev_hash);
	FUZZ_CHECK(n <= size, "re-encoding is no longer than the record");
	svl_record back;
	const char *why = NULL;
	FUZZ_CHECK(svl__record_decode(buf, n, &back, &why),
		   "a re-encoded record decodes");
	FUZZ_CHECK(same_record(r, &back), "a re-encoded record is the same");
	FUZZ_CHECK(n == size && !memcmp(buf, data, size - SVL_HASH_SIZE),
		   "a record that reads re-encodes to its envelope bytes");
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	svl_record r;
	const char *why = NULL;
	if (!svl__record_decode(data, size, &r, &why)) {
		FUZZ_CHECK(why && why[0], "an undecodable record says why");
		return 0;
	}
	check_pointers(&r, data, size);
	uint8_t sk[SVL_STREAM_KEY_MAX];
	FUZZ_CHECK(svl__stream_key(sk, r.stream, r.stream_len,
				   r.stream_version) <= sizeof sk,
		   "the stream index key fits");
	check_reencode(&r, data, size);
	svl_event_view v;
	(void)svl_event_decode(&v, r.type, r.schema_version, r.payload,
			       r.payload_len);
	return 0;
}
