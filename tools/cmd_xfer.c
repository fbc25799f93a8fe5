/*
 * cmd_xfer.c - the export format (see cmd_xfer.h): the stored envelope
 * rebuilt from a record, its hash, and the NDJSON and msgpack forms.
 *
 * The envelope is rebuilt with msgpack-c, whose packers write the
 * shortest encoding of every integer and string length, which is what
 * docs/format.md prescribes; export checks the rebuilt envelope's hash
 * against the stored hash for every record, so a divergence would stop an
 * export rather than produce a file no import can verify.
 *
 * The msgpack reader for records is our own small one (a record is a
 * fixed 15-element array of scalars and one map) so that it can hash the
 * envelope's exact bytes and hand the payload's bytes on without copying;
 * it never reads past `len` and bounds nesting by SVL_MSGPACK_DEPTH_MAX.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "cmd_xfer.h"
#include "mp.h"

#define ENVELOPE_FIELDS 15
#define ENVELOPE_FORMAT 1
#define ARENA_BLOCK ((size_t)1 << 20)

void xfer_from_record(xfer_rec *o, const svl_record *r)
{
	memset(o, 0, sizeof *o);
	o->seq = r->seq;
	o->stream_version = r->stream_version;
	o->type = r->type;
	o->schema_version = r->schema_version;
	o->occurred_at_ms = r->occurred_at_ms;
	o->recorded_at_ms = r->recorded_at_ms;
	o->stream = r->stream;
	o->stream_len = r->stream_len;
	o->actor = r->actor;
	o->actor_len = r->actor_len;
	o->role = r->role;
	o->role_len = r->role_len;
	memcpy(o->id, r->id, SVL_ID_SIZE);
	if ((o->has_corr = r->correlation_id != NULL))
		memcpy(o->corr, r->correlation_id, SVL_ID_SIZE);
	if ((o->has_caus = r->causation_id != NULL))
		memcpy(o->caus, r->causation_id, SVL_ID_SIZE);
	o->payload = r->payload;
	o->payload_len = r->payload_len;
	memcpy(o->prev_hash, r->prev_hash, SVL_HASH_SIZE);
	memcpy(o->hash, r->hash, SVL_HASH_SIZE);
}

static void pack_str(msgpack_packer *pk, const char *s, size_t n)
{
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

static void pack_id(msgpack_packer *pk, const uint8_t *id, int present)
{
	if (!present) {
		msgpack_pack_nil(pk);
		return;
	}
	msgpack_pack_bin(pk, SVL_ID_SIZE);
	msgpack_pack_bin_body(pk, id, SVL_ID_SIZE);
}

int xfer_envelope(msgpack_sbuffer *sb, const xfer_rec *r)
{
	msgpack_packer pk;
	msgpack_sbuffer_clear(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	int bad = msgpack_pack_array(&pk, ENVELOPE_FIELDS);
	bad |= msgpack_pack_uint64(&pk, ENVELOPE_FORMAT);
	bad |= msgpack_pack_uint64(&pk, r->seq);
	pack_str(&pk, r->stream, r->stream_len);
	bad |= msgpack_pack_uint64(&pk, r->stream_version);
	bad |= msgpack_pack_uint32(&pk, r->type);
	bad |= msgpack_pack_uint32(&pk, r->schema_version);
	bad |= msgpack_pack_int64(&pk, r->occurred_at_ms);
	bad |= msgpack_pack_int64(&pk, r->recorded_at_ms);
	pack_id(&pk, r->id, 1);
	pack_str(&pk, r->actor, r->actor_len);
	pack_str(&pk, r->role, r->role_len);
	pack_id(&pk, r->corr, r->has_corr);
	pack_id(&pk, r->caus, r->has_caus);
	bad |=
	    msgpack_sbuffer_write(sb, (const char *)r->payload, r->payload_len);
	pack_id(&pk, r->prev_hash, 1);
	return bad || !sb->data ? -1 : 0;
}

void xfer_hash(uint8_t out[SVL_HASH_SIZE], const void *bytes, size_t n)
{
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits(bytes, n));
	memcpy(out, c.digest, SVL_HASH_SIZE);
}

/* ---- arena ---- */

uint8_t *xfer_arena_alloc(xfer_arena *a, size_t n)
{
	size_t room = a->n_blocks ? ARENA_BLOCK - a->used : 0;
	if (n > room || n > ARENA_BLOCK) {
		if (a->n_blocks == a->cap_blocks) {
			size_t cap = a->cap_blocks ? 2 * a->cap_blocks : 8;
			uint8_t **nb = realloc(a->blocks, cap * sizeof *nb);
			if (!nb)
				return NULL;
			a->blocks = nb;
			a->cap_blocks = cap;
		}
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		if (!(a->blocks[a->n_blocks] = malloc(size)))
			return NULL;
		a->n_blocks++;
		a->used = 0;
	}
	uint8_t *p = a->blocks[a->n_blocks - 1] + a->used;
	a->used += n;
	return p;
}

void xfer_arena_reset(xfer_arena *a)
{
	/* keep the first block for the next batch, free the rest */
	for (size_t i = 1; i < a->n_blocks; i++)
		free(a->blocks[i]);
	a->n_blocks = a->n_blocks ? 1 : 0;
	a->used = 0;
}

void xfer_arena_free(xfer_arena *a)
{
	for (size_t i = 0; i < a->n_blocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof *a);
}

/* ---- NDJSON out ---- */

json_t *xfer_head_json(const xfer_head *h)
{
	char id[CLI_HEX_SIZE(SVL_ID_SIZE)], hash[CLI_HEX_SIZE(SVL_HASH_SIZE)];
	return json_pack("{s:i,s:i,s:s,s:I,s:I,s:s}", "svcledger_export", 1,
			 "format", XFER_FORMAT, "ledger_id",
			 cli_hex(id, h->ledger_id, SVL_ID_SIZE), "events",
			 (json_int_t)h->events, "head_seq",
			 (json_int_t)h->head_seq, "head_hash",
			 cli_hex(hash, h->head_hash, SVL_HASH_SIZE));
}

static int set(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v);
}

json_t *xfer_rec_json(const xfer_rec *r)
{
	const svl_event_type *t = svl_event_type_get(r->type);
	json_t *o = json_object();
	int bad = !o;
	bad |= set(o, "seq", json_integer((json_int_t)r->seq));
	bad |= set(o, "id", cli_json_hex(r->id, SVL_ID_SIZE));
	bad |= set(o, "stream", cli_json_text(r->stream, r->stream_len));
	bad |= set(o, "stream_version",
		   json_integer((json_int_t)r->stream_version));
	bad |= set(o, "type", json_integer(r->type));
	bad |= set(o, "type_name", t ? json_string(t->name) : json_null());
	bad |= set(o, "schema_version", json_integer(r->schema_version));
	bad |= set(o, "occurred_at_ms", json_integer(r->occurred_at_ms));
	bad |= set(o, "recorded_at_ms", json_integer(r->recorded_at_ms));
	bad |= set(o, "actor", cli_json_text(r->actor, r->actor_len));
	bad |= set(o, "role", cli_json_text(r->role, r->role_len));
	bad |= set(o, "correlation_id",
		   cli_json_hex(r->has_corr ? r->corr : NULL, SVL_ID_SIZE));
	bad |= set(o, "causation_id",
		   cli_json_hex(r->has_caus ? r->caus : NULL, SVL_ID_SIZE));
	bad |=
	    set(o, "payload_b64", cli_json_base64(r->payload, r->payload_len));
	json_t *p = cli_msgpack_to_json(r->payload, r->payload_len);
	bad |= set(o, "payload", p ? p : json_null());
	bad |= set(o, "prev_hash", cli_json_hex(r->prev_hash, SVL_HASH_SIZE));
	bad |= set(o, "hash", cli_json_hex(r->hash, SVL_HASH_SIZE));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- NDJSON in ---- */

static int hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

static int unhex(uint8_t *out, size_t n, const char *s, size_t len)
{
	if (len != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int b64val(int c)
{
	return c >= 'A' && c <= 'Z'   ? c - 'A'
	       : c >= 'a' && c <= 'z' ? c - 'a' + 26
	       : c >= '0' && c <= '9' ? c - '0' + 52
	       : c == '+'	      ? 62
	       : c == '/'	      ? 63
				      : -1;
}

/* Standard padded base64; returns the decoded length or -1. */
static long unbase64(uint8_t *out, const char *s, size_t len)
{
	if (len % 4)
		return -1;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		int v[4], pad = 0;
		for (size_t k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == len && k >= 2) {
				v[k] = 0;
				pad++;
			} else if ((v[k] = b64val(s[i + k])) < 0 || pad) {
				return -1;
			}
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
			     (uint32_t)v[2] << 6 | (uint32_t)v[3];
		out[o++] = (uint8_t)(w >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(w >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)w;
	}
	return (long)o;
}

typedef struct jreader {
	json_t *o;
	xfer_arena *arena;
	char *err;
	size_t errlen;
	int bad;
} jreader;

static void jfail(jreader *j, const char *key, const char *what)
{
	if (!j->bad)
		snprintf(j->err, j->errlen, "%s: %s", key, what);
	j->bad = 1;
}

static int64_t jint(jreader *j, const char *key, int64_t min)
{
	json_t *v = json_object_get(j->o, key);
	if (!json_is_integer(v) || json_integer_value(v) < min) {
		jfail(j, key,
		      min > 0 ? "expected a positive integer"
			      : "expected an integer");
		return 0;
	}
	return json_integer_value(v);
}

/* An id or hash: hex of n bytes (null allowed when *present is given). */
static void jbytes(jreader *j, const char *key, uint8_t *out, size_t n,
		   int *present)
{
	json_t *v = json_object_get(j->o, key);
	if (present && (!v || json_is_null(v))) {
		*present = 0;
		return;
	}
	if (!json_is_string(v) ||
	    unhex(out, n, json_string_value(v), json_string_length(v))) {
		jfail(j, key, "expected hex bytes");
		return;
	}
	if (present)
		*present = 1;
}

/* Text, or {"$hex": "..."} for bytes that are not UTF-8; copied into the
 * arena. */
static const char *jtext(jreader *j, const char *key, size_t *len)
{
	json_t *v = json_object_get(j->o, key);
	json_t *hex = json_is_object(v) ? json_object_get(v, "$hex") : NULL;
	const char *s = json_string_value(hex ? hex : v);
	size_t n = json_string_length(hex ? hex : v);
	uint8_t *out = s ? xfer_arena_alloc(j->arena, n + 1) : NULL;
	if (!s || !out || (hex && (n % 2 || unhex(out, n / 2, s, n)))) {
		jfail(j, key, out || !s ? "expected text" : "out of memory");
		*len = 0;
		return "";
	}
	if (!hex)
		memcpy(out, s, n);
	*len = hex ? n / 2 : n;
	return (const char *)out;
}

int xfer_payload_b64(xfer_rec *r, xfer_arena *arena, const char *s, size_t n)
{
	uint8_t *out = s ? xfer_arena_alloc(arena, n / 4 * 3 + 3) : NULL;
	long got = out ? unbase64(out, s, n) : -1;
	if (got <= 0 || got > SVL_PAYLOAD_MAX)
		return -1;
	r->payload = out;
	r->payload_len = (size_t)got;
	return 0;
}

static void jpayload(jreader *j, xfer_rec *r)
{
	json_t *v = json_object_get(j->o, "payload_b64");
	if (xfer_payload_b64(r, j->arena, json_string_value(v),
			     json_string_length(v)))
		jfail(j, "payload_b64", "expected base64 msgpack bytes");
}

int xfer_head_parse_json(xfer_head *out, const char *line, size_t len,
			 char *err, size_t errlen)
{
	json_error_t je;
	jreader j = {json_loadb(line, len, 0, &je), NULL, err, errlen, 0};
	memset(out, 0, sizeof *out);
	if (!json_is_object(j.o) ||
	    !json_is_integer(json_object_get(j.o, "svcledger_export"))) {
		snprintf(err, errlen,
			 "not a svcledger export (the first line "
			 "has no \"svcledger_export\")");
		json_decref(j.o);
		return -1;
	}
	if (json_integer_value(json_object_get(j.o, "svcledger_export")) != 1)
		jfail(&j, "svcledger_export", "unknown export version (this "
					      "tool reads 1)");
	if (jint(&j, "format", 1) != XFER_FORMAT && !j.bad)
		jfail(&j, "format", "unknown export format version");
	jbytes(&j, "ledger_id", out->ledger_id, SVL_ID_SIZE, NULL);
	out->events = (uint64_t)jint(&j, "events", 0);
	out->head_seq = (uint64_t)jint(&j, "head_seq", 0);
	jbytes(&j, "head_hash", out->head_hash, SVL_HASH_SIZE, NULL);
	json_decref(j.o);
	return j.bad ? -1 : 0;
}

int xfer_rec_parse_json(xfer_rec *r, xfer_arena *arena, const char *line,
			size_t len, char *err, size_t errlen)
{
	json_error_t je;
	jreader j = {json_loadb(line, len, 0, &je), arena, err, errlen, 0};
	memset(r, 0, sizeof *r);
	if (!json_is_object(j.o)) {
		snprintf(err, errlen, "not a JSON object: %s", je.text);
		json_decref(j.o);
		return -1;
	}
	r->seq = (uint64_t)jint(&j, "seq", 1);
	jbytes(&j, "id", r->id, SVL_ID_SIZE, NULL);
	r->stream = jtext(&j, "stream", &r->stream_len);
	r->stream_version = (uint64_t)jint(&j, "stream_version", 1);
	int64_t type = jint(&j, "type", 0), sv = jint(&j, "schema_version", 1);
	if (type > UINT32_MAX || sv > UINT32_MAX)
		jfail(&j, "type", "out of range");
	r->type = (uint32_t)type;
	r->schema_version = (uint32_t)sv;
	r->occurred_at_ms = jint(&j, "occurred_at_ms", INT64_MIN);
	r->recorded_at_ms = jint(&j, "recorded_at_ms", 1);
	r->actor = jtext(&j, "actor", &r->actor_len);
	r->role = jtext(&j, "role", &r->role_len);
	jbytes(&j, "correlation_id", r->corr, SVL_ID_SIZE, &r->has_corr);
	jbytes(&j, "causation_id", r->caus, SVL_ID_SIZE, &r->has_caus);
	jpayload(&j, r);
	jbytes(&j, "prev_hash", r->prev_hash, SVL_HASH_SIZE, NULL);
	jbytes(&j, "hash", r->hash, SVL_HASH_SIZE, NULL);
	json_decref(j.o);
	return j.bad ? -1 : 0;
}

/* ---- msgpack ---- */

static void pack_key(msgpack_packer *pk, const char *k)
{
	pack_str(pk, k, strlen(k));
}

int xfer_head_pack(msgpack_packer *pk, const xfer_head *h)
{
	int bad = msgpack_pack_map(pk, 6);
	pack_key(pk, "svcledger_export");
	bad |= msgpack_pack_uint64(pk, 1);
	pack_key(pk, "format");
	bad |= msgpack_pack_uint64(pk, XFER_FORMAT);
	pack_key(pk, "ledger_id");
	pack_id(pk, h->ledger_id, 1);
	pack_key(pk, "events");
	bad |= msgpack_pack_uint64(pk, h->events);
	pack_key(pk, "head_seq");
	bad |= msgpack_pack_uint64(pk, h->head_seq);
	pack_key(pk, "head_hash");
	pack_id(pk, h->head_hash, 1);
	return bad ? -1 : 0;
}

static const msgpack_object *mp_get(const msgpack_object *map, const char *key)
{
	size_t kl = strlen(key);
	for (uint32_t i = 0; i < map->via.map.size; i++) {
		const msgpack_object *k = &map->via.map.ptr[i].key;
		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == kl &&
		    memcmp(k->via.str.ptr, key, kl) == 0)
			return &map->via.map.ptr[i].val;
	}
	return NULL;
}

static int mp_u64(const msgpack_object *map, const char *key, uint64_t *out)
{
	const msgpack_object *v = mp_get(map, key);
	if (!v || v->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return -1;
	*out = v->via.u64;
	return 0;
}

static int mp_b16(const msgpack_object *map, const char *key, uint8_t *out)
{
	const msgpack_object *v = mp_get(map, key);
	if (!v || v->type != MSGPACK_OBJECT_BIN || v->via.bin.size != 16)
		return -1;
	memcpy(out, v->via.bin.ptr, 16);
	return 0;
}

int xfer_head_parse_mp(xfer_head *out, const msgpack_object *o, char *err,
		       size_t errlen)
{
	uint64_t marker = 0, format = 0;
	memset(out, 0, sizeof *out);
	if (o->type != MSGPACK_OBJECT_MAP ||
	    mp_u64(o, "svcledger_export", &marker)) {
		snprintf(err, errlen,
			 "not a svcledger export (no "
			 "\"svcledger_export\" header map)");
		return -1;
	}
	if (mp_u64(o, "format", &format) || format != XFER_FORMAT ||
	    mp_b16(o, "ledger_id", out->ledger_id) ||
	    mp_u64(o, "events", &out->events) ||
	    mp_u64(o, "head_seq", &out->head_seq) ||
	    mp_b16(o, "head_hash", out->head_hash)) {
		snprintf(err, errlen,
			 "the header lacks format %d, ledger_id, "
			 "events, head_seq or head_hash",
			 XFER_FORMAT);
		return -1;
	}
	return 0;
}

/* ---- the record reader ---- */

typedef struct mp_in {
	const uint8_t *p, *end;
} mp_in;

static int take(mp_in *in, size_t n, const uint8_t **out)
{
	if ((size_t)(in->end - in->p) < n)
		return -1;
	*out = in->p;
	in->p += n;
	return 0;
}

static uint64_t be(const uint8_t *b, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

/* Any integer encoding that fits an int64. */
static int rd_int(mp_in *in, int64_t *out)
{
	const uint8_t *b, *t;
	if (take(in, 1, &t))
		return -1;
	uint8_t c = *t;
	if (c <= 0x7f || c >= 0xe0) {
		*out = (int8_t)c;
		return 0;
	}
	static const int width[] = {1, 2, 4, 8};
	if (c >= 0xcc && c <= 0xd3) {
		int w = width[(c - 0xcc) & 3], sign = c >= 0xd0;
		if (take(in, (size_t)w, &b))
			return -1;
		uint64_t u = be(b, w);
		if (!sign) {
			if (u > INT64_MAX)
				return -1;
			*out = (int64_t)u;
		} else {
			int shift = 64 - 8 * w; /* sign-extend w bytes */
			*out = (int64_t)(u << shift) >> shift;
		}
		return 0;
	}
	return -1;
}

static int rd_str(mp_in *in, const char **s, size_t *n)
{
	const uint8_t *t, *b;
	if (take(in, 1, &t))
		return -1;
	uint8_t c = *t;
	size_t len;
	if ((c & 0xe0) == 0xa0)
		len = c & 0x1f;
	else if (c >= 0xd9 && c <= 0xdb) {
		int w = 1 << (c - 0xd9);
		if (take(in, (size_t)w, &b))
			return -1;
		len = (size_t)be(b, w);
	} else
		return -1;
	if (take(in, len, &b))
		return -1;
	*s = (const char *)b;
	*n = len;
	return 0;
}

/* bin 8 of 16 bytes, or nil when allowed */
static int rd_b16(mp_in *in, uint8_t *out, int *present)
{
	const uint8_t *t, *b;
	if (present && in->p < in->end && *in->p == 0xc0) {
		in->p++;
		*present = 0;
		return 0;
	}
	if (take(in, 2, &t) || t[0] != 0xc4 || t[1] != 16 || take(in, 16, &b))
		return -1;
	memcpy(out, b, 16);
	if (present)
		*present = 1;
	return 0;
}

static int skip(mp_in *in, int depth);

static int skip_n(mp_in *in, uint64_t n, int depth)
{
	for (uint64_t i = 0; i < n; i++)
		if (skip(in, depth))
			return -1;
	return 0;
}

/* Skip one object of any kind (the payload map). */
static int skip(mp_in *in, int depth)
{
	const uint8_t *t, *b;
	if (depth > SVL_MSGPACK_DEPTH_MAX || take(in, 1, &t))
		return -1;
	uint8_t c = *t;
	if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3)
		return 0;
	if ((c & 0xf0) == 0x80)
		return skip_n(in, 2u * (c & 0x0f), depth + 1);
	if ((c & 0xf0) == 0x90)
		return skip_n(in, c & 0x0f, depth + 1);
	if ((c & 0xe0) == 0xa0)
		return take(in, c & 0x1f, &b);
	switch (c) {
	case 0xcc:
	case 0xd0:
		return take(in, 1, &b);
	case 0xcd:
	case 0xd1:
		return take(in, 2, &b);
	case 0xce:
	case 0xd2:
	case 0xca:
		return take(in, 4, &b);
	case 0xcf:
	case 0xd3:
	case 0xcb:
		return take(in, 8, &b);
	case 0xc4:
	case 0xd9:
		return take(in, 1, &b) || take(in, b[0], &b);
	case 0xc5:
	case 0xda:
		return take(in, 2, &b) || take(in, (size_t)be(b, 2), &b);
	case 0xc6:
	case 0xdb:
		return take(in, 4, &b) || take(in, (size_t)be(b, 4), &b);
	case 0xdc:
		return take(in, 2, &b) || skip_n(in, be(b, 2), depth + 1);
	case 0xdd:
		return take(in, 4, &b) || skip_n(in, be(b, 4), depth + 1);
	case 0xde:
		return take(in, 2, &b) || skip_n(in, 2 * be(b, 2), depth + 1);
	case 0xdf:
		return take(in, 4, &b) || skip_n(in, 2 * be(b, 4), depth + 1);
	default:
		return -1; /* ext types never occur in an envelope */
	}
}

static int rd_scalars(mp_in *in, xfer_rec *r)
{
	int64_t fmt, seq, sv, type, schema;
	if (rd_int(in, &fmt) || fmt != ENVELOPE_FORMAT || rd_int(in, &seq) ||
	    seq < 1 || rd_str(in, &r->stream, &r->stream_len) ||
	    rd_int(in, &sv) || sv < 1 || rd_int(in, &type) || type < 0 ||
	    type > UINT32_MAX || rd_int(in, &schema) || schema < 1 ||
	    schema > UINT32_MAX || rd_int(in, &r->occurred_at_ms) ||
	    rd_int(in, &r->recorded_at_ms) || rd_b16(in, r->id, NULL) ||
	    rd_str(in, &r->actor, &r->actor_len) ||
	    rd_str(in, &r->role, &r->role_len) ||
	    rd_b16(in, r->corr, &r->has_corr) ||
	    rd_b16(in, r->caus, &r->has_caus))
		return -1;
	r->seq = (uint64_t)seq;
	r->stream_version = (uint64_t)sv;
	r->type = (uint32_t)type;
	r->schema_version = (uint32_t)schema;
	return 0;
}

/* The envelope at data[*off..len) into r, its bytes hashed into
 * env_hash; in is left right after it. */
static int parse_envelope(xfer_rec *r, mp_in *in, size_t off, char *err,
			  size_t errlen, uint8_t env_hash[SVL_HASH_SIZE])
{
	const uint8_t *start = in->p, *t, *pay;
	memset(r, 0, sizeof *r);
	if (take(in, 1, &t) || *t != (0x90 | ENVELOPE_FIELDS) ||
	    rd_scalars(in, r)) {
		snprintf(err, errlen,
			 "record at byte %zu: not an envelope "
			 "(docs/format.md)",
			 off);
		return -1;
	}
	pay = in->p;
	if (skip(in, 0) || *pay < 0x80 ||
	    (*pay > 0x8f && *pay != 0xde && *pay != 0xdf)) {
		snprintf(err, errlen,
			 "seq %llu: the payload is not a msgpack "
			 "map",
			 (unsigned long long)r->seq);
		return -1;
	}
	r->payload = pay;
	r->payload_len = (size_t)(in->p - pay);
	if (rd_b16(in, r->prev_hash, NULL)) {
		snprintf(err, errlen, "seq %llu: no previous hash",
			 (unsigned long long)r->seq);
		return -1;
	}
	xfer_hash(env_hash, start, (size_t)(in->p - start));
	return 0;
}

int xfer_rec_parse_mp(xfer_rec *r, const uint8_t *data, size_t len, size_t *off,
		      char *err, size_t errlen, uint8_t env_hash[SVL_HASH_SIZE])
{
	mp_in in = {data + *off, data + len};
	if (parse_envelope(r, &in, *off, err, errlen, env_hash))
		return -1;
	if (rd_b16(&in, r->hash, NULL)) {
		snprintf(err, errlen,
			 "seq %llu: the envelope is not followed "
			 "by its hash (bin 8 of 16 bytes)",
			 (unsigned long long)r->seq);
		return -1;
	}
	*off = (size_t)(in.p - data);
	return 0;
}

int xfer_rec_parse_stored(xfer_rec *r, const uint8_t *data, size_t len,
			  char *err, size_t errlen,
			  uint8_t env_hash[SVL_HASH_SIZE])
{
	if (len <= SVL_HASH_SIZE) {
		snprintf(err, errlen, "%zu bytes: too short for a record", len);
		return -1;
	}
	mp_in in = {data, data + len - SVL_HASH_SIZE};
	if (parse_envelope(r, &in, 0, err, errlen, env_hash))
		return -1;
	if (in.p != in.end) {
		snprintf(err, errlen,
			 "seq %llu: bytes between the envelope and its hash",
			 (unsigned long long)r->seq);
		return -1;
	}
	memcpy(r->hash, in.end, SVL_HASH_SIZE);
	return 0;
}

int xfer_head_read_mp(xfer_head *out, const uint8_t *data, size_t len,
		      size_t *off, char *err, size_t errlen)
{
	static const char *const not_export =
	    "not a svcledger export (no msgpack header)";
	svl_mp_reader bounded = {data, data + len};
	msgpack_zone zone;
	msgpack_object o;
	memset(out, 0, sizeof *out);
	*off = 0;
	if (!svl__mp_skip(&bounded, 8)) {
		snprintf(err, errlen, "%s", not_export);
		return -1;
	}
	if (!msgpack_zone_init(&zone, 4096)) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	msgpack_unpack_return u =
	    msgpack_unpack((const char *)data, len, off, &zone, &o);
	int rc = 0;
	if (u != MSGPACK_UNPACK_SUCCESS && u != MSGPACK_UNPACK_EXTRA_BYTES) {
		snprintf(err, errlen, "%s", not_export);
		rc = -1;
	} else if (xfer_head_parse_mp(out, &o, err, errlen)) {
		rc = -1;
	}
	msgpack_zone_destroy(&zone);
	return rc;
}

/* ---- the appender (import, the group ledger) ---- */

int xfer_appender_init(xfer_appender *ap, const cli_ctx *ctx, svl_log *log)
{
	svl_head h;
	int rc = svl_log_head(log, &h);
	xfer_arena_reset(&ap->arena);
	ap->ctx = ctx;
	ap->log = log;
	ap->n = 0;
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_errmsg(log));
	ap->next_seq = h.seq + 1;
	memcpy(ap->prev, h.seq ? h.hash : svl_log_genesis_hash(),
	       SVL_HASH_SIZE);
	return 0;
}

int xfer_appender_flush(xfer_appender *ap)
{
	if (ap->n == 0)
		return 0;
	int rc = svl_log_append(ap->log, ap->batch, ap->n, ap->pos);
	if (rc != SVL_OK)
		return cli_svl_error(ap->ctx, rc, svl_log_errmsg(ap->log));
	uint64_t first = ap->next_seq - ap->n;
	for (size_t i = 0; i < ap->n; i++)
		if (ap->pos[i].duplicate || ap->pos[i].seq != first + i)
			return cli_error(ap->ctx, CLI_EXIT_INPUT,
					 "seq %llu: its id repeats an earlier "
					 "record's",
					 (unsigned long long)(first + i));
	svl_head h;
	if ((rc = svl_log_head(ap->log, &h)) != SVL_OK)
		return cli_svl_error(ap->ctx, rc, svl_log_errmsg(ap->log));
	if (memcmp(h.hash, ap->prev, SVL_HASH_SIZE) != 0)
		return cli_error(ap->ctx, CLI_EXIT_INTEGRITY,
				 "seq %llu: the imported chain's hash differs "
				 "from the export's",
				 (unsigned long long)h.seq);
	ap->n = 0;
	xfer_arena_reset(&ap->arena);
	if (ap->bar)
		cli_progress_update(ap->bar, h.seq);
	return 0;
}

/* The record checked against the run, the chain and its hash. */
static int check(const xfer_appender *ap, const xfer_rec *r,
		 const uint8_t *env_hash)
{
	if (r->seq != ap->next_seq)
		return cli_error(ap->ctx, CLI_EXIT_INPUT,
				 "seq %llu where seq %llu was expected: the "
				 "records must run 1, 2, 3, ... without gaps",
				 (unsigned long long)r->seq,
				 (unsigned long long)ap->next_seq);
	if (memcmp(r->prev_hash, ap->prev, SVL_HASH_SIZE) != 0)
		return cli_error(ap->ctx, CLI_EXIT_INTEGRITY,
				 "seq %llu: does not link to the record before "
				 "it (prev_hash)",
				 (unsigned long long)r->seq);
	if (memcmp(env_hash, r->hash, SVL_HASH_SIZE) != 0)
		return cli_error(
		    ap->ctx, CLI_EXIT_INTEGRITY,
		    "seq %llu: its fields do not hash to its hash: "
		    "the export was altered or damaged",
		    (unsigned long long)r->seq);
	return 0;
}

/* An optional id copied where the batch can point at it. */
static const uint8_t *keep_id(xfer_appender *ap, const uint8_t *id, int present)
{
	if (!present)
		return NULL;
	uint8_t *p = xfer_arena_alloc(&ap->arena, SVL_ID_SIZE);
	if (p)
		memcpy(p, id, SVL_ID_SIZE);
	return p;
}

int xfer_appender_add(xfer_appender *ap, const xfer_rec *r,
		      const uint8_t env_hash[SVL_HASH_SIZE])
{
	int code = check(ap, r, env_hash);
	if (code)
		return code;
	svl_event_in *e = &ap->batch[ap->n];
	memset(e, 0, sizeof *e);
	e->stream = r->stream;
	e->stream_len = r->stream_len;
	e->type = r->type;
	e->schema_version = r->schema_version;
	e->occurred_at_ms = r->occurred_at_ms;
	e->recorded_at_ms = r->recorded_at_ms;
	e->actor = r->actor;
	e->actor_len = r->actor_len;
	e->role = r->role;
	e->role_len = r->role_len;
	memcpy(e->id, r->id, SVL_ID_SIZE);
	e->correlation_id = keep_id(ap, r->corr, r->has_corr);
	e->causation_id = keep_id(ap, r->caus, r->has_caus);
	if ((r->has_corr && !e->correlation_id) ||
	    (r->has_caus && !e->causation_id))
		return cli_error(ap->ctx, CLI_EXIT_ERROR, "out of memory");
	e->payload = r->payload;
	e->payload_len = r->payload_len;
	e->expected_version = (int64_t)r->stream_version - 1;
	memcpy(ap->prev, r->hash, SVL_HASH_SIZE);
	ap->next_seq++;
	return ++ap->n == XFER_BATCH ? xfer_appender_flush(ap) : 0;
}

void xfer_appender_free(xfer_appender *ap)
{
	xfer_arena_free(&ap->arena);
}
