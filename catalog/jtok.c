/*
 * jtok.c - JSON text (or a jansson value) as a flat array of tokens, the
 * form the JSON payload converter and the NDJSON event input read.
 *
 * Why not jansson's tree for input: an NDJSON import parses hundreds of
 * thousands of lines a second, and building and freeing a jansson tree
 * per line (a malloc per value) cost several times more than everything
 * else the line goes through. The tokenizer makes one pass, allocates
 * nothing for ordinary lines (the caller's token array), points strings
 * into the text unless they hold escapes, and checks the JSON grammar
 * (RFC 8259) strictly: no trailing commas, no leading zeros, no control
 * characters in strings, nothing after the value. Numbers with a fraction
 * or an exponent become REAL tokens (no payload field accepts them).
 * A jansson value is turned into the same tokens, so one converter serves
 * both.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"

typedef struct jp {
	svl__jdoc *d;
	const char *p, *start, *end;
	const char *why; /* first error */
} jp;

static int jfail(jp *j, const char *why)
{
	if (!j->why)
		j->why = why;
	return -1;
}

static void ws(jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int new_tok(jp *j, uint8_t type)
{
	svl__jdoc *d = j->d;
	if (d->n == d->cap) {
		d->full = 1;
		return jfail(j, "too many values");
	}
	svl__jtok *t = &d->t[d->n];
	memset(t, 0, sizeof *t);
	t->type = type;
	return (int)d->n++;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		unsigned h = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16u;
		if (h > 15)
			return -1;
		v = v * 16 + h;
	}
	*out = v;
	return 0;
}

static char *put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xc0 | (c >> 6));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (char)(0xe0 | (c >> 12));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (c >> 18));
		*o++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	}
	return o;
}

/* One \u escape at p (after the backslash-u), surrogate pairs joined. */
static int unicode(jp *j, const char **pp, char **oo)
{
	const char *p = *pp;
	unsigned c, lo;
	if (j->end - p < 4 || hex4(p, &c))
		return jfail(j, "bad \\u escape");
	p += 4;
	if (c >= 0xd800 && c <= 0xdbff) {
		if (j->end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
		    hex4(p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return jfail(j, "unpaired surrogate");
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
	} else if (c >= 0xdc00 && c <= 0xdfff) {
		return jfail(j, "unpaired surrogate");
	}
	*oo = put_utf8(*oo, c);
	*pp = p;
	return 0;
}

/* The string's escapes, decoded into the doc's escape buffer. */
static int unescape(jp *j, svl__jtok *t, const char *s, const char *e)
{
	svl__jdoc *d = j->d;
	if (d->esc_cap - d->esc_used < (size_t)(e - s)) {
		d->full = 1;
		return jfail(j, "strings too long");
	}
	char *o = d->esc + d->esc_used, *o0 = o;
	for (const char *p = s; p < e;) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		char c = *p++;
		switch (c) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '/':
			*o++ = '/';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (unicode(j, &p, &o))
				return -1;
			break;
		default:
			return jfail(j, "bad escape");
		}
	}
	t->s = o0;
	t->len = (uint32_t)(o - o0);
	d->esc_used += (size_t)(o - o0);
	return 0;
}

static int string(jp *j)
{
	int k = new_tok(j, SVL__JT_STR);
	if (k < 0)
		return -1;
	const char *s = ++j->p; /* past the quote */
	bool esc = false;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return jfail(j, "control character in string");
		if (c == '\\') {
			esc = true;
			if (++j->p == j->end)
				break;
		}
		j->p++;
	}
	if (j->p >= j->end)
		return jfail(j, "unterminated string");
	svl__jtok *t = &j->d->t[k];
	if ((size_t)(j->p - s) > UINT32_MAX)
		return jfail(j, "string too long");
	if (esc) {
		if (unescape(j, t, s, j->p))
			return -1;
	} else {
		t->s = s;
		t->len = (uint32_t)(j->p - s);
	}
	j->p++;
	t->next = j->d->n;
	return k;
}

static int number(jp *j)
{
	int k = new_tok(j, SVL__JT_INT);
	if (k < 0)
		return -1;
	svl__jtok *t = &j->d->t[k];
	const char *p = j->p;
	bool neg = *p == '-';
	if (neg)
		p++;
	if (p == j->end || *p < '0' || *p > '9')
		return jfail(j, "bad number");
	if (*p == '0' && p + 1 < j->end && p[1] >= '0' && p[1] <= '9')
		return jfail(j, "leading zero");
	uint64_t v = 0;
	bool big = false;
	for (; p < j->end && *p >= '0' && *p <= '9'; p++) {
		unsigned dgt = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - dgt) / 10)
			big = true;
		else
			v = v * 10 + dgt;
	}
	if (p < j->end && (*p == '.' || *p == 'e' || *p == 'E')) {
		t->type = SVL__JT_REAL;
		if (*p == '.') {
			p++;
			if (p == j->end || *p < '0' || *p > '9')
				return jfail(j, "bad number");
			while (p < j->end && *p >= '0' && *p <= '9')
				p++;
		}
		if (p < j->end && (*p == 'e' || *p == 'E')) {
			p++;
			if (p < j->end && (*p == '+' || *p == '-'))
				p++;
			if (p == j->end || *p < '0' || *p > '9')
				return jfail(j, "bad number");
			while (p < j->end && *p >= '0' && *p <= '9')
				p++;
		}
	} else if (big || v > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) {
		return jfail(j, "integer out of range");
	} else {
		t->i = neg ? (int64_t)(0 - v) : (int64_t)v;
	}
	j->p = p;
	t->next = j->d->n;
	return k;
}

static int word(jp *j, const char *w, uint8_t type)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return jfail(j, "unexpected character");
	j->p += n;
	int k = new_tok(j, type);
	if (k >= 0)
		j->d->t[k].next = j->d->n;
	return k;
}

static int value(jp *j, int depth);

static int container(jp *j, int depth, bool obj)
{
	int k = new_tok(j, obj ? SVL__JT_OBJ : SVL__JT_ARR);
	if (k < 0)
		return -1;
	char close = obj ? '}' : ']';
	uint32_t size = 0;
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
	} else {
		for (;;) {
			if (obj) {
				ws(j);
				if (j->p >= j->end || *j->p != '"')
					return jfail(j, "expected a key");
				if (string(j) < 0)
					return -1;
				ws(j);
				if (j->p >= j->end || *j->p != ':')
					return jfail(j, "expected ':'");
				j->p++;
			}
			if (value(j, depth - 1) < 0)
				return -1;
			size++;
			ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == close) {
				j->p++;
				break;
			}
			return jfail(j, obj ? "expected ',' or '}'"
					    : "expected ',' or ']'");
		}
	}
	j->d->t[k].size = size;
	j->d->t[k].next = j->d->n;
	return k;
}

static int value(jp *j, int depth)
{
	if (depth <= 0)
		return jfail(j, "nested too deeply");
	ws(j);
	if (j->p >= j->end)
		return jfail(j, "unexpected end");
	switch (*j->p) {
	case '{':
		return container(j, depth, true);
	case '[':
		return container(j, depth, false);
	case '"':
		return string(j);
	case 't':
		return word(j, "true", SVL__JT_TRUE);
	case 'f':
		return word(j, "false", SVL__JT_FALSE);
	case 'n':
		return word(j, "null", SVL__JT_NULL);
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return number(j);
		return jfail(j, "unexpected character");
	}
}

int svl__jparse(svl__jdoc *d, const char *text, size_t len, size_t *err_col,
		const char **why)
{
	jp j = {d, text, text, text + len, NULL};
	d->n = 0;
	d->esc_used = 0;
	d->full = 0;
	if (value(&j, SVL_MSGPACK_DEPTH_MAX) >= 0) {
		ws(&j);
		if (j.p != j.end)
			jfail(&j, "text after the value");
	}
	if (!j.why)
		return SVL_OK;
	*why = j.why;
	*err_col = (size_t)(j.p - j.start) + 1;
	return d->full ? SVL_ELIMIT : SVL_EINVAL;
}

/* ---- jansson values as tokens ---- */

static int from_json_t(svl__jdoc *d, const json_t *v, int depth)
{
	if (depth <= 0 || d->n == d->cap) {
		d->full = d->n == d->cap;
		return -1;
	}
	uint32_t k = d->n++;
	svl__jtok *t = &d->t[k];
	const char *key;
	json_t *e;
	size_t i;
	memset(t, 0, sizeof *t);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		t->type = SVL__JT_OBJ;
		t->size = (uint32_t)json_object_size(v);
		json_object_foreach((json_t *)v, key, e)
		{
			if (d->n == d->cap) {
				d->full = 1;
				return -1;
			}
			svl__jtok *kt = &d->t[d->n++];
			memset(kt, 0, sizeof *kt);
			kt->type = SVL__JT_STR;
			kt->s = key;
			kt->len = (uint32_t)strlen(key);
			kt->next = d->n;
			if (from_json_t(d, e, depth - 1) < 0)
				return -1;
		}
		break;
	case JSON_ARRAY:
		t->type = SVL__JT_ARR;
		t->size = (uint32_t)json_array_size(v);
		json_array_foreach(v, i, e) if (from_json_t(d, e, depth - 1) <
						0) return -1;
		break;
	case JSON_STRING:
		t->type = SVL__JT_STR;
		t->s = json_string_value(v);
		t->len = (uint32_t)json_string_length(v);
		break;
	case JSON_INTEGER:
		t->type = SVL__JT_INT;
		t->i = json_integer_value(v);
		break;
	case JSON_REAL:
		t->type = SVL__JT_REAL;
		break;
	case JSON_TRUE:
		t->type = SVL__JT_TRUE;
		break;
	case JSON_FALSE:
		t->type = SVL__JT_FALSE;
		break;
	case JSON_NULL:
		t->type = SVL__JT_NULL;
		break;
	}
	d->t[k].next = d->n;
	return (int)k;
}

static size_t count_json_t(const json_t *v)
{
	const char *key;
	json_t *e;
	size_t i, n = 1;
	if (json_is_object(v))
		json_object_foreach((json_t *)v, key, e) n +=
		    1 + count_json_t(e);
	else if (json_is_array(v))
		json_array_foreach(v, i, e) n += count_json_t(e);
	return n;
}

int svl__jdoc_from_json_t(svl__jdoc *d, const json_t *v)
{
	size_t need = count_json_t(v);
	d->n = 0;
	d->esc_used = 0;
	d->full = 0;
	if (need > d->cap) {
		d->full = 1;
		return SVL_ELIMIT;
	}
	return from_json_t(d, v, SVL_MSGPACK_DEPTH_MAX) < 0 ? SVL_EINVAL
							    : SVL_OK;
}

const char *svl__jt_name(const svl__jtok *t)
{
	static const char *const names[] = {
	    [SVL__JT_OBJ] = "object", [SVL__JT_ARR] = "array",
	    [SVL__JT_STR] = "string", [SVL__JT_INT] = "integer",
	    [SVL__JT_REAL] = "real",  [SVL__JT_TRUE] = "bool",
	    [SVL__JT_FALSE] = "bool", [SVL__JT_NULL] = "null"};
	return names[t->type];
}

/* ---- growing a doc for big input ---- */

int svl__jdoc_grow(svl__jdoc *d, size_t text_len)
{
	/* every token takes at least one byte of text; escapes shrink */
	size_t cap = text_len + 2;
	svl__jtok *t = malloc(cap * sizeof *t);
	char *esc = malloc(text_len + 1);
	if (!t || !esc) {
		free(t);
		free(esc);
		return SVL_ENOMEM;
	}
	d->t = t;
	d->cap = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
	d->esc = esc;
	d->esc_cap = text_len + 1;
	d->owned = 1;
	return SVL_OK;
}

void svl__jdoc_free(svl__jdoc *d)
{
	if (d->owned) {
		free(d->t);
		free(d->esc);
		d->owned = 0;
	}
}
