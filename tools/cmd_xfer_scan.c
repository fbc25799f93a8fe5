/*
 * cmd_xfer_scan.c - the fast path for reading an NDJSON export record.
 *
 * Parsing each line into a jansson tree costs most of an import's time
 * (a tree per line, a malloc per value, the readable payload copy parsed
 * only to be thrown away). An export line is a flat object of integers,
 * plain strings and null, plus the readable payload, which import ignores.
 * This scanner reads exactly that without allocating; anything else (an
 * escaped string, a {"$hex": ...} form, a missing or repeated key, a
 * malformed line) makes it give up, and the caller parses the line with
 * jansson, which also produces the precise error message. So the fast
 * path never decides what a line means on its own: every line it accepts
 * is one jansson would read the same way.
 */
#include <string.h>

#include "cmd_xfer.h"
#include "catalog_int.h"

typedef struct scan {
	const char *p, *end;
} scan;

static void ws(scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\r' || *s->p == '\n'))
		s->p++;
}

static int eat(scan *s, char c)
{
	ws(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return 1;
	}
	return 0;
}

/* A string without escapes: its bytes between the quotes. */
static int plain_str(scan *s, const char **out, size_t *len)
{
	if (!eat(s, '"'))
		return 0;
	const char *start = s->p;
	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\' || (unsigned char)*s->p < 0x20)
			return 0;
		s->p++;
	}
	if (s->p == s->end || !svl__utf8_valid(start, (size_t)(s->p - start)))
		return 0;
	*out = start;
	*len = (size_t)(s->p++ - start);
	return 1;
}

static int int64(scan *s, int64_t *out)
{
	ws(s);
	int neg = s->p < s->end && *s->p == '-';
	const char *q = s->p + neg;
	uint64_t v = 0;
	int digits = 0;
	for (; q < s->end && *q >= '0' && *q <= '9'; q++, digits++) {
		if (v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	if (!digits || digits > 19 || v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return 0;
	if (digits > 1 && s->p[neg] == '0')
		return 0; /* a leading zero: not JSON */
	if (q < s->end && (*q == '.' || *q == 'e' || *q == 'E'))
		return 0;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	s->p = q;
	return 1;
}

/* The four hex digits of a \u escape at p: a character jansson takes as
 * it is (no NUL, no surrogate: those go to the full parser). */
static int plain_u_escape(const char *p, const char *end)
{
	unsigned v = 0;
	if (end - p < 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return 0;
		v = v * 16 + (unsigned)d;
	}
	return v != 0 && (v < 0xd800 || v > 0xdfff);
}

/* A JSON string that jansson reads without complaint: valid escapes, no
 * raw control character, valid UTF-8. */
static int skip_str(scan *s)
{
	const char *start = ++s->p;
	for (; s->p < s->end && *s->p != '"'; s->p++) {
		if ((unsigned char)*s->p < 0x20)
			return 0;
		if (*s->p != '\\')
			continue;
		if (++s->p == s->end)
			return 0;
		if (*s->p == 'u') {
			if (!plain_u_escape(s->p + 1, s->end))
				return 0;
			s->p += 4;
		} else if (!strchr("\"\\/bfnrt", *s->p)) {
			return 0;
		}
	}
	if (s->p == s->end || !svl__utf8_valid(start, (size_t)(s->p - start)))
		return 0;
	s->p++; /* the closing quote */
	return 1;
}

/* A number as JSON writes it, small enough for jansson's integers and
 * doubles either way (longer ones go to the full parser). */
static int skip_num(scan *s)
{
	const char *p = s->p, *digits;
	if (p < s->end && *p == '-')
		p++;
	digits = p;
	if (p < s->end && *p == '0')
		p++;
	else
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	if (p == digits || p - digits > 18)
		return 0;
	if (p < s->end && *p == '.') {
		const char *f = ++p;
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
		if (p == f || p - f > 17)
			return 0;
	}
	if (p < s->end && (*p == 'e' || *p == 'E'))
		return 0;
	s->p = p;
	return 1;
}

static int skip_word(scan *s, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

/* Skip any value (the readable payload, type_name), accepting only what
 * jansson accepts too: one input, one verdict, whichever path reads it.
 * Nesting bounded. */
static int skip(scan *s, int depth)
{
	ws(s);
	if (s->p >= s->end || depth > SVL_MSGPACK_DEPTH_MAX + 2)
		return 0;
	char c = *s->p;
	if (c == '"')
		return skip_str(s);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		s->p++;
		if (eat(s, close))
			return 1;
		do {
			if (c == '{' && (ws(s), s->p >= s->end || *s->p != '"' ||
					 !skip_str(s) || !eat(s, ':')))
				return 0;
			if (!skip(s, depth + 1))
				return 0;
		} while (eat(s, ','));
		return eat(s, close);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return skip_num(s);
	return skip_word(s, "true") || skip_word(s, "false") ||
	       skip_word(s, "null");
}

static int hexbytes(scan *s, uint8_t *out, size_t n)
{
	const char *h;
	size_t len;
	if (!plain_str(s, &h, &len) || len != 2 * n)
		return 0;
	for (size_t i = 0; i < 2 * n; i++) {
		char c = h[i];
		int v = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
					       : -1;
		if (v < 0)
			return 0;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | v : v << 4);
	}
	return 1;
}

/* an id, or null when *present may be 0 */
static int opt_id(scan *s, uint8_t *out, int *present)
{
	ws(s);
	if (s->end - s->p >= 4 && memcmp(s->p, "null", 4) == 0) {
		s->p += 4;
		*present = 0;
		return 1;
	}
	*present = 1;
	return hexbytes(s, out, SVL_ID_SIZE);
}

enum {
	K_SEQ,
	K_ID,
	K_STREAM,
	K_SV,
	K_TYPE,
	K_SCHEMA,
	K_OCC,
	K_REC,
	K_ACTOR,
	K_ROLE,
	K_CORR,
	K_CAUS,
	K_PAYLOAD,
	K_PREV,
	K_HASH,
	K_N
};

static const char *const keys[K_N] = {"seq",
				      "id",
				      "stream",
				      "stream_version",
				      "type",
				      "schema_version",
				      "occurred_at_ms",
				      "recorded_at_ms",
				      "actor",
				      "role",
				      "correlation_id",
				      "causation_id",
				      "payload_b64",
				      "prev_hash",
				      "hash"};

static int value(scan *s, int k, xfer_rec *r, const char **b64, size_t *b64_len)
{
	int64_t v = 0;
	switch (k) {
	case K_ID:
		return hexbytes(s, r->id, SVL_ID_SIZE);
	case K_STREAM:
		return plain_str(s, &r->stream, &r->stream_len);
	case K_ACTOR:
		return plain_str(s, &r->actor, &r->actor_len);
	case K_ROLE:
		return plain_str(s, &r->role, &r->role_len);
	case K_CORR:
		return opt_id(s, r->corr, &r->has_corr);
	case K_CAUS:
		return opt_id(s, r->caus, &r->has_caus);
	case K_PAYLOAD:
		return plain_str(s, b64, b64_len);
	case K_PREV:
		return hexbytes(s, r->prev_hash, SVL_HASH_SIZE);
	case K_HASH:
		return hexbytes(s, r->hash, SVL_HASH_SIZE);
	default:
		break;
	}
	if (!int64(s, &v))
		return 0;
	switch (k) {
	case K_SEQ:
		r->seq = (uint64_t)v;
		return v >= 1;
	case K_SV:
		r->stream_version = (uint64_t)v;
		return v >= 1;
	case K_TYPE:
		r->type = (uint32_t)v;
		return v >= 0 && v <= UINT32_MAX;
	case K_SCHEMA:
		r->schema_version = (uint32_t)v;
		return v >= 1 && v <= UINT32_MAX;
	case K_OCC:
		r->occurred_at_ms = v;
		return 1;
	default:
		r->recorded_at_ms = v;
		return v >= 1;
	}
}

static int key_index(const char *k, size_t n)
{
	for (int i = 0; i < K_N; i++)
		if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
			return i;
	return -1;
}

int xfer_rec_scan_json(xfer_rec *r, xfer_arena *arena, const char *line,
		       size_t len)
{
	scan s = {line, line + len};
	unsigned seen = 0;
	const char *b64 = NULL;
	size_t b64_len = 0;
	memset(r, 0, sizeof *r);
	if (!eat(&s, '{'))
		return 0;
	do {
		const char *k;
		size_t kn;
		if (!plain_str(&s, &k, &kn) || !eat(&s, ':'))
			return 0;
		int i = key_index(k, kn);
		if (i < 0) {
			if (!skip(&s, 0)) /* type_name, payload */
				return 0;
			continue;
		}
		if ((seen & (1u << i)) || !value(&s, i, r, &b64, &b64_len))
			return 0;
		seen |= 1u << i;
	} while (eat(&s, ','));
	if (!eat(&s, '}') || (ws(&s), s.p != s.end) || seen != (1u << K_N) - 1)
		return 0;
	return xfer_payload_b64(r, arena, b64, b64_len) == 0;
}
