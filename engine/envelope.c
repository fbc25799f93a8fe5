/*
 * envelope.c - the record codec: envelope bytes, hash, and decoding.
 *
 * A record (the value under key seq in `events`) is
 *
 *   +-------------------------------+------------------+
 *   | envelope: msgpack array of 15 | hash: 16 bytes   |
 *   +-------------------------------+------------------+
 *
 * hash = XXH3-128(envelope) in xxHash's canonical big-endian form. The
 * envelope's last field is the previous record's hash, so every record
 * commits to all records before it. Field order and types: docs/format.md.
 * Every element the engine writes is in its shortest msgpack form, so one
 * event has exactly one encoding and re-encoding a decoded record
 * reproduces its hash. Decoding enforces that (svl__envelope_canonical):
 * every reader, verify and export alike, refuses a record in any other
 * form, so they cannot disagree about what a record is. The payload is the
 * producer's bytes, kept as given: the log checks its shape and size only.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

void svl__hash(const void *data, size_t len, uint8_t out[SVL_HASH_SIZE])
{
	XXH128_hash_t h = XXH3_128bits(data, len);
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, h);
	memcpy(out, c.digest, SVL_HASH_SIZE);
}

size_t svl__stream_key(uint8_t *key, const char *stream, size_t len,
		       uint64_t version)
{
	key[0] = (uint8_t)len;
	memcpy(key + 1, stream, len);
	svl__be64_put(key + 1 + len, version);
	return 1 + len + 8;
}

static uint8_t *put_opt_id(uint8_t *p, const uint8_t *id)
{
	return id ? svl__mp_put_bin(p, id, SVL_ID_SIZE) : svl__mp_put_nil(p);
}

size_t svl__envelope_encode(uint8_t *buf, const svl_event_in *ev,
			    uint64_t seq, uint64_t stream_version,
			    int64_t recorded_ms, const uint8_t *id,
			    const uint8_t prev[SVL_HASH_SIZE])
{
	uint8_t *p = buf;
	p = svl__mp_put_array_hdr(p, SVL_ENVELOPE_FIELDS);
	p = svl__mp_put_uint(p, SVL_FORMAT_VERSION);
	p = svl__mp_put_uint(p, seq);
	p = svl__mp_put_str(p, ev->stream, (uint32_t)ev->stream_len);
	p = svl__mp_put_uint(p, stream_version);
	p = svl__mp_put_uint(p, ev->type);
	p = svl__mp_put_uint(p, ev->schema_version);
	p = svl__mp_put_int(p, ev->occurred_at_ms);
	p = svl__mp_put_int(p, recorded_ms);
	p = svl__mp_put_bin(p, id, SVL_ID_SIZE);
	p = svl__mp_put_str(p, ev->actor ? ev->actor : "",
			    (uint32_t)ev->actor_len);
	p = svl__mp_put_str(p, ev->role ? ev->role : "",
			    (uint32_t)ev->role_len);
	p = put_opt_id(p, ev->correlation_id);
	p = put_opt_id(p, ev->causation_id);
	memcpy(p, ev->payload, ev->payload_len);
	p += ev->payload_len;
	p = svl__mp_put_bin(p, prev, SVL_HASH_SIZE);
	size_t env_len = (size_t)(p - buf);
	svl__hash(buf, env_len, p);
	return env_len + SVL_HASH_SIZE;
}

static bool fail(const char **why, const char *reason)
{
	*why = reason;
	return false;
}

static bool decode_times(svl_mp_reader *r, svl_record *rec, const char **why)
{
	uint64_t v;
	if (!svl__mp_read_uint(r, &v) || v > UINT32_MAX)
		return fail(why, "type is not a 32-bit unsigned integer");
	rec->type = (uint32_t)v;
	if (!svl__mp_read_uint(r, &v) || v > UINT32_MAX || v == 0)
		return fail(why, "schema version is not a positive integer");
	rec->schema_version = (uint32_t)v;
	if (!svl__mp_read_int(r, &rec->occurred_at_ms))
		return fail(why, "occurred_at is not an integer");
	if (!svl__mp_read_int(r, &rec->recorded_at_ms))
		return fail(why, "recorded_at is not an integer");
	return true;
}

static bool decode_who(svl_mp_reader *r, svl_record *rec, const char **why)
{
	const uint8_t *b;
	uint32_t n;
	if (!svl__mp_read_bin(r, &b, &n) || n != SVL_ID_SIZE)
		return fail(why, "event id is not 16 bytes of bin");
	rec->id = b;
	if (!svl__mp_read_str(r, &rec->actor, &n) || n > SVL_ACTOR_MAX)
		return fail(why, "actor is not a string of at most 64 bytes");
	rec->actor_len = n;
	if (!svl__mp_read_str(r, &rec->role, &n) || n > SVL_ROLE_MAX)
		return fail(why, "role is not a string of at most 32 bytes");
	rec->role_len = n;
	if (!svl__mp_read_opt_bin(r, SVL_ID_SIZE, &rec->correlation_id))
		return fail(why, "correlation id is neither nil nor 16 bytes");
	if (!svl__mp_read_opt_bin(r, SVL_ID_SIZE, &rec->causation_id))
		return fail(why, "causation id is neither nil nor 16 bytes");
	return true;
}

static bool decode_tail(svl_mp_reader *r, svl_record *rec, const char **why)
{
	const uint8_t *start = r->p;
	svl_mp_item it;
	svl_mp_reader peek = *r;
	if (!svl__mp_next(&peek, &it) || it.kind != SVL_MP_MAP)
		return fail(why, "payload is not a msgpack map");
	if (!svl__mp_skip(r, SVL_MSGPACK_DEPTH_MAX))
		return fail(why, "payload is not well-formed msgpack");
	rec->payload = start;
	rec->payload_len = (size_t)(r->p - start);
	if (rec->payload_len > SVL_PAYLOAD_MAX)
		return fail(why, "payload is over the limit of 65536 bytes");
	const uint8_t *b;
	uint32_t n;
	if (!svl__mp_read_bin(r, &b, &n) || n != SVL_HASH_SIZE)
		return fail(why, "previous hash is not 16 bytes of bin");
	rec->prev_hash = b;
	return true;
}

static bool decode_record(const uint8_t *val, size_t len, svl_record *rec,
			  const char **why)
{
	if (len < SVL_HASH_SIZE + 1)
		return fail(why, "record shorter than its hash");
	svl_mp_reader r = {val, val + len - SVL_HASH_SIZE};
	uint32_t n;
	uint64_t v;
	if (!svl__mp_read_array(&r, &n) || n != SVL_ENVELOPE_FIELDS)
		return fail(why, "envelope is not an array of 15 fields");
	if (!svl__mp_read_uint(&r, &v) || v != SVL_FORMAT_VERSION)
		return fail(why, "unknown envelope format version");
	if (!svl__mp_read_uint(&r, &rec->seq))
		return fail(why, "seq is not an unsigned integer");
	if (!svl__mp_read_str(&r, &rec->stream, &n) || n == 0 ||
	    n > SVL_STREAM_MAX)
		return fail(why, "stream is not a string of 1..128 bytes");
	rec->stream_len = n;
	if (!svl__mp_read_uint(&r, &rec->stream_version) ||
	    rec->stream_version == 0)
		return fail(why, "stream version is not a positive integer");
	if (!decode_times(&r, rec, why) || !decode_who(&r, rec, why) ||
	    !decode_tail(&r, rec, why))
		return false;
	if (r.p != r.end)
		return fail(why, "bytes after the envelope's last field");
	rec->hash = r.end;
	rec->raw = val;
	rec->raw_len = len;
	return true;
}

/* ---- canonical form ---- */

static size_t uint_size(uint64_t v)
{
	return v < 0x80 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3
	       : v <= 0xffffffffu ? 5 : 9;
}

static size_t int_size(int64_t v)
{
	if (v >= 0)
		return uint_size((uint64_t)v);
	return v >= -32 ? 1 : v >= INT8_MIN ? 2 : v >= INT16_MIN ? 3
	       : v >= INT32_MIN ? 5 : 9;
}

static size_t str_size(size_t n)
{
	return n + (n < 32 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5);
}

static size_t opt_id_size(const uint8_t *id)
{
	return id ? 2 + SVL_ID_SIZE : 1;
}

enum { CANON_FIELDS = SVL_ENVELOPE_FIELDS - 1 }; /* header, 0..12 */

/* The canonical size of the envelope's header and fields 0..12 (the
 * payload and prev_hash follow), per element into size[]. */
static size_t canonical_sizes(const svl_record *rec,
			      size_t size[CANON_FIELDS])
{
	size[0] = 1; /* fixarray of 15 */
	size[1] = uint_size(SVL_FORMAT_VERSION);
	size[2] = uint_size(rec->seq);
	size[3] = str_size(rec->stream_len);
	size[4] = uint_size(rec->stream_version);
	size[5] = uint_size(rec->type);
	size[6] = uint_size(rec->schema_version);
	size[7] = int_size(rec->occurred_at_ms);
	size[8] = int_size(rec->recorded_at_ms);
	size[9] = 2 + SVL_ID_SIZE;
	size[10] = str_size(rec->actor_len);
	size[11] = str_size(rec->role_len);
	size[12] = opt_id_size(rec->correlation_id);
	size[13] = opt_id_size(rec->causation_id);
	size_t sum = 0;
	for (int f = 0; f < CANON_FIELDS; f++)
		sum += size[f];
	return sum;
}

/* A non-negative integer is canonical in the uint family only, but int16,
 * int32 and int64 are as long as uint16, uint32 and uint64: a record of
 * the canonical length may still hold one. Their tags are checked at the
 * fields' offsets. */
static bool signed_family_used(const uint8_t *val, const svl_record *rec,
			       const size_t size[CANON_FIELDS], const char **why)
{
#define SIGNED(what)                                                       \
	"envelope not canonical: " what " is a non-negative integer in the " \
	"signed family"
	static const char *const reason[CANON_FIELDS] = {
	    [1] = SIGNED("format"),	    [2] = SIGNED("seq"),
	    [4] = SIGNED("stream_version"), [5] = SIGNED("type"),
	    [6] = SIGNED("schema_version"), [7] = SIGNED("occurred_at"),
	    [8] = SIGNED("recorded_at")};
#undef SIGNED
	size_t at = 0;
	for (int f = 0; f <= 8; at += size[f++]) {
		bool neg = (f == 7 && rec->occurred_at_ms < 0) ||
			   (f == 8 && rec->recorded_at_ms < 0);
		if (reason[f] && !neg && val[at] >= 0xd0 && val[at] <= 0xd3) {
			*why = reason[f];
			return true;
		}
	}
	return false;
}

/*
 * Each element's canonical encoding is the unique shortest encoding of its
 * value, so a record that decodes to these values is canonical exactly
 * when it is as short as the canonical encoding: one sum on the fast path.
 * Only a longer record is walked again, to name its first long element.
 */
bool svl__envelope_canonical(const uint8_t *val, const svl_record *rec,
			     const char **why)
{
#define NOT_SHORTEST(what) \
	"envelope not canonical: " what " is not in its shortest msgpack form"
	static const char *const reason[CANON_FIELDS + 1] = {
	    NOT_SHORTEST("the array header"), NOT_SHORTEST("format"),
	    NOT_SHORTEST("seq"),	      NOT_SHORTEST("stream"),
	    NOT_SHORTEST("stream_version"),   NOT_SHORTEST("type"),
	    NOT_SHORTEST("schema_version"),   NOT_SHORTEST("occurred_at"),
	    NOT_SHORTEST("recorded_at"),      NOT_SHORTEST("id"),
	    NOT_SHORTEST("actor"),	      NOT_SHORTEST("role"),
	    NOT_SHORTEST("correlation_id"),   NOT_SHORTEST("causation_id"),
	    NOT_SHORTEST("prev_hash")};
#undef NOT_SHORTEST
	size_t size[CANON_FIELDS];
	size_t want = canonical_sizes(rec, size);
	const uint8_t *tail = rec->payload + rec->payload_len;
	if ((size_t)(rec->payload - val) == want &&
	    (size_t)(rec->hash - tail) == 2 + SVL_HASH_SIZE) {
		return !signed_family_used(val, rec, size, why);
	}
	svl_mp_reader r = {val, rec->payload};
	svl_mp_item it;
	for (int f = 0; f < CANON_FIELDS; f++) {
		const uint8_t *at = r.p;
		if (!svl__mp_next(&r, &it) || (size_t)(r.p - at) != size[f]) {
			*why = reason[f];
			return false;
		}
	}
	*why = reason[CANON_FIELDS];
	return false;
}

enum svl__record_status svl__record_check(const uint8_t *val, size_t len,
					  svl_record *rec, const char **why)
{
	if (!decode_record(val, len, rec, why))
		return SVL__RECORD_UNDECODABLE;
	if (!svl__envelope_canonical(val, rec, why))
		return SVL__RECORD_NOT_CANONICAL;
	return SVL__RECORD_OK;
}

bool svl__record_decode(const uint8_t *val, size_t len, svl_record *rec,
			const char **why)
{
	return svl__record_check(val, len, rec, why) == SVL__RECORD_OK;
}
