/*
 * fuzz_import.c - the export file that `svcledger import` reads
 * (tools/cmd_xfer.c, tools/cmd_xfer_scan.c), in both forms.
 *
 * NDJSON (the input starts with '{'): every line goes to the header
 * parser and, DIFFERENTIALLY, to both record readers import uses: the
 * fast scanner (xfer_rec_scan_json) and the full jansson parser
 * (xfer_rec_parse_json). Whatever the fast path reads, the full parser
 * must read too, to the same record (every field, the payload bytes).
 *
 * msgpack (anything else): the header map, then records as import reads
 * them (xfer_rec_parse_mp) until one is refused. Each record read must
 * borrow only bytes of the input, and must survive the trip to the NDJSON
 * form export writes (xfer_rec_json): both readers read that line back to
 * the same record, as long as the record is one NDJSON can carry at all
 * (a recorded time >= 1 ms, a payload of at most SVL_PAYLOAD_MAX bytes).
 */
#include <string.h>

#include "cmd_xfer.h"
#include "fuzz.h"

static int same_bytes(const void *a, size_t na, const void *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static int same_rec(const xfer_rec *a, const xfer_rec *b)
{
	return a->seq == b->seq && a->stream_version == b->stream_version &&
	       a->type == b->type && a->schema_version == b->schema_version &&
	       a->occurred_at_ms == b->occurred_at_ms &&
	       a->recorded_at_ms == b->recorded_at_ms &&
	       same_bytes(a->stream, a->stream_len, b->stream, b->stream_len) &&
	       same_bytes(a->actor, a->actor_len, b->actor, b->actor_len) &&
	       same_bytes(a->role, a->role_len, b->role, b->role_len) &&
	       !memcmp(a->id, b->id, SVL_ID_SIZE) &&
	       a->has_corr == b->has_corr && a->has_caus == b->has_caus &&
	       (!a->has_corr || !memcmp(a->corr, b->corr, SVL_ID_SIZE)) &&
	       (!a->has_caus || !memcmp(a->caus, b->caus, SVL_ID_SIZE)) &&
	       same_bytes(a->payload, a->payload_len, b->payload,
			  b->payload_len) &&
	       !memcmp(a->prev_hash, b->prev_hash, SVL_HASH_SIZE) &&
	       !memcmp(a->hash, b->hash, SVL_HASH_SIZE);
}

/* One record line through both readers; returns whether the full parser
 * read it (into *full when given). */
static int record_line(const char *s, size_t n, const xfer_rec *want)
{
	xfer_arena a1 = {0}, a2 = {0};
	xfer_rec fast, full;
	char err[256];
	int f = xfer_rec_scan_json(&fast, &a1, s, n);
	int g = xfer_rec_parse_json(&full, &a2, s, n, err, sizeof err) == 0;
	if (f && !g)
		fprintf(stderr, "fuzz: the full parser says: %s\n", err);
	FUZZ_CHECK(!f || g, "what the fast path reads, the full parser reads");
	FUZZ_CHECK(!f || same_rec(&fast, &full),
		   "the fast path and the full parser agree");
	if (want && !g)
		fprintf(stderr, "fuzz: the full parser says: %s\n", err);
	FUZZ_CHECK(!want || g, "an exported record line reads back");
	FUZZ_CHECK(!want || same_rec(want, &full),
		   "an exported record line reads back the same");
	if (g) {
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		(void)xfer_envelope(&sb, &full);
		msgpack_sbuffer_destroy(&sb);
	}
	xfer_arena_free(&a1);
	xfer_arena_free(&a2);
	return g;
}

static void ndjson(const char *s, size_t n)
{
	for (const char *end = s + n; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = (size_t)((nl ? nl : end) - s);
		xfer_head h;
		char err[256];
		(void)xfer_head_parse_json(&h, s, len, err, sizeof err);
		record_line(s, len, NULL);
		s = nl ? nl + 1 : end;
	}
}

/* A record read from msgpack, written as export writes it, read back. */
static void to_ndjson(const xfer_rec *r)
{
	if (r->recorded_at_ms < 1 || r->payload_len > SVL_PAYLOAD_MAX)
		return;
	json_t *o = xfer_rec_json(r);
	FUZZ_CHECK(o != NULL, "a record has an NDJSON form");
	char *line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	FUZZ_CHECK(line != NULL, "the NDJSON form serializes");
	record_line(line, strlen(line), r);
	free(line);
}

static void msgpack_form(const uint8_t *data, size_t size)
{
	size_t off = 0;
	xfer_head h;
	char err[256];
	if (xfer_head_read_mp(&h, data, size, &off, err, sizeof err) != 0)
		off = 0; /* no header: records from the start */
	while (off < size) {
		xfer_rec r;
		uint8_t env_hash[SVL_HASH_SIZE];
		size_t before = off;
		if (xfer_rec_parse_mp(&r, data, size, &off, err, sizeof err,
				      env_hash))
			break;
		FUZZ_CHECK(off > before && off <= size, "a record moves on");
		FUZZ_CHECK(r.payload >= data + before &&
			       r.payload + r.payload_len <= data + off,
			   "a record borrows only its own bytes");
		to_ndjson(&r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;
	while (i < size && strchr(" \t\r\n", data[i]) && data[i])
		i++;
	if (i < size && data[i] == '{')
		ndjson((const char *)data, size);
	else
		msgpack_form(data, size);
	return 0;
}
