/*
 * mp.c - the msgpack reader behind mp.h. Every read is bounds-checked
 * against r->end; malformed bytes make a read return false and leave the
 * caller to report SVL_ECORRUPT or SVL_EINVAL with a position.
 */
#include "mp.h"

static bool need(const svl_mp_reader *r, size_t n)
{
	return (size_t)(r->end - r->p) >= n;
}

static uint64_t take_be(svl_mp_reader *r, int n)
{
	uint64_t v = 0;
	for (int k = 0; k < n; k++)
		v = (v << 8) | *r->p++;
	return v;
}

static bool sized(svl_mp_reader *r, svl_mp_item *out, enum svl_mp_kind kind,
		  int width)
{
	if (!need(r, (size_t)width))
		return false;
	uint64_t n = take_be(r, width);
	out->kind = kind;
	out->len = (uint32_t)n;
	if (kind == SVL_MP_ARRAY || kind == SVL_MP_MAP)
		return true;
	if (!need(r, n))
		return false;
	out->ptr = r->p;
	r->p += n;
	return true;
}

static bool fixed_ext(svl_mp_reader *r, svl_mp_item *out, uint32_t n)
{
	if (!need(r, 1 + (size_t)n))
		return false;
	r->p++; /* ext type byte */
	out->kind = SVL_MP_EXT;
	out->len = n;
	out->ptr = r->p;
	r->p += n;
	return true;
}

static bool number(svl_mp_reader *r, svl_mp_item *out, uint8_t b)
{
	static const int width[] = {[0xca - 0xca] = 4, [0xcb - 0xca] = 8,
				    [0xcc - 0xca] = 1, [0xcd - 0xca] = 2,
				    [0xce - 0xca] = 4, [0xcf - 0xca] = 8,
				    [0xd0 - 0xca] = 1, [0xd1 - 0xca] = 2,
				    [0xd2 - 0xca] = 4, [0xd3 - 0xca] = 8};
	int w = width[b - 0xca];
	if (!need(r, (size_t)w))
		return false;
	uint64_t v = take_be(r, w);
	if (b == 0xca) {
		float f;
		uint32_t u = (uint32_t)v;
		memcpy(&f, &u, sizeof f);
		out->kind = SVL_MP_FLOAT;
		out->f = f;
	} else if (b == 0xcb) {
		memcpy(&out->f, &v, sizeof out->f);
		out->kind = SVL_MP_FLOAT;
	} else if (b <= 0xcf) {
		out->kind = SVL_MP_UINT;
		out->u = v;
	} else {
		int64_t s;
		if (w == 1)
			s = (int8_t)(uint8_t)v;
		else if (w == 2)
			s = (int16_t)(uint16_t)v;
		else if (w == 4)
			s = (int32_t)(uint32_t)v;
		else
			s = (int64_t)v;
		if (s >= 0) {
			out->kind = SVL_MP_UINT;
			out->u = (uint64_t)s;
		} else {
			out->kind = SVL_MP_INT;
			out->i = s;
		}
	}
	return true;
}

static bool variable(svl_mp_reader *r, svl_mp_item *out, uint8_t b)
{
	switch (b) {
	case 0xc4: return sized(r, out, SVL_MP_BIN, 1);
	case 0xc5: return sized(r, out, SVL_MP_BIN, 2);
	case 0xc6: return sized(r, out, SVL_MP_BIN, 4);
	case 0xd9: return sized(r, out, SVL_MP_STR, 1);
	case 0xda: return sized(r, out, SVL_MP_STR, 2);
	case 0xdb: return sized(r, out, SVL_MP_STR, 4);
	case 0xdc: return sized(r, out, SVL_MP_ARRAY, 2);
	case 0xdd: return sized(r, out, SVL_MP_ARRAY, 4);
	case 0xde: return sized(r, out, SVL_MP_MAP, 2);
	case 0xdf: return sized(r, out, SVL_MP_MAP, 4);
	case 0xd4: return fixed_ext(r, out, 1);
	case 0xd5: return fixed_ext(r, out, 2);
	case 0xd6: return fixed_ext(r, out, 4);
	case 0xd7: return fixed_ext(r, out, 8);
	case 0xd8: return fixed_ext(r, out, 16);
	case 0xc7:
	case 0xc8:
	case 0xc9: {
		int w = b == 0xc7 ? 1 : b == 0xc8 ? 2 : 4;
		if (!need(r, (size_t)w))
			return false;
		uint64_t n = take_be(r, w);
		return fixed_ext(r, out, (uint32_t)n) && n <= UINT32_MAX;
	}
	default: return false; /* 0xc1 is never used */
	}
}

/*
 * The decoder behind every read, forced inline into the readers below:
 * decoding one envelope takes about 25 of these steps (15 fields and the
 * payload's items), and on scan and verify the calls themselves were the
 * largest single cost.
 */
static inline __attribute__((always_inline)) bool
next_item(svl_mp_reader *r, svl_mp_item *out)
{
	if (!need(r, 1))
		return false;
	uint8_t b = *r->p++;
	out->ptr = NULL;
	out->len = 0;
	if (b <= 0x7f) {
		out->kind = SVL_MP_UINT;
		out->u = b;
	} else if (b >= 0xe0) {
		out->kind = SVL_MP_INT;
		out->i = (int8_t)b;
	} else if (b <= 0x8f) {
		out->kind = SVL_MP_MAP;
		out->len = b & 0x0f;
	} else if (b <= 0x9f) {
		out->kind = SVL_MP_ARRAY;
		out->len = b & 0x0f;
	} else if (b <= 0xbf) {
		out->kind = SVL_MP_STR;
		out->len = b & 0x1f;
		if (!need(r, out->len))
			return false;
		out->ptr = r->p;
		r->p += out->len;
	} else if (b == 0xc0) {
		out->kind = SVL_MP_NIL;
	} else if (b == 0xc2 || b == 0xc3) {
		out->kind = SVL_MP_BOOL;
		out->u = b == 0xc3;
	} else if (b >= 0xca && b <= 0xd3) {
		return number(r, out, b);
	} else {
		return variable(r, out, b);
	}
	return true;
}

bool svl__mp_next(svl_mp_reader *r, svl_mp_item *out)
{
	return next_item(r, out);
}

/* The recursive skip: the reference the flat one below must agree with,
 * and what a depth beyond its stack uses. */
static bool skip_nested(svl_mp_reader *r, int depth, bool *too_deep)
{
	svl_mp_item it;
	if (depth <= 0) {
		*too_deep = true;
		return false;
	}
	if (!next_item(r, &it))
		return false;
	if (it.kind == SVL_MP_ARRAY || it.kind == SVL_MP_MAP) {
		uint64_t n = it.kind == SVL_MP_MAP ? 2 * (uint64_t)it.len : it.len;
		/* Each element takes at least one byte: reject absurd counts
		 * before looping over them. */
		if (n > (uint64_t)(r->end - r->p))
			return false;
		for (uint64_t k = 0; k < n; k++)
			if (!skip_nested(r, depth - 1, too_deep))
				return false;
	}
	return true;
}

/* Bytes after the type byte b that an item of b holds, before its body:
 * the width of its length, or of its number; -1 for b in the fixed
 * forms and 0xc1. */
static int head_width(uint8_t b)
{
	switch (b) {
	case 0xcc: case 0xd0: case 0xc4: case 0xd9: case 0xc7: return 1;
	case 0xcd: case 0xd1: case 0xc5: case 0xda: case 0xc8: case 0xdc:
	case 0xde: return 2;
	case 0xca: case 0xce: case 0xd2: case 0xc6: case 0xdb: case 0xc9:
	case 0xdd: case 0xdf: return 4;
	case 0xcb: case 0xcf: case 0xd3: return 8;
	default: return -1;
	}
}

#define SKIP_LEVELS 64

/*
 * Skipping is most of what verify and the log's readers do to a payload
 * (its end is where the envelope goes on), so it walks the bytes flat: one
 * counter of items left per nesting level, no item decoded, no call per
 * item. The same answers as skip_nested: the same bounds, the same
 * absurd-count check, the same depth rule (an item at nesting level L
 * needs L < depth).
 */
bool svl__mp_skip_depth(svl_mp_reader *r, int depth, bool *too_deep)
{
	if (depth > SKIP_LEVELS)
		return skip_nested(r, depth, too_deep);
	uint64_t left[SKIP_LEVELS];
	int top = 0;
	left[0] = 1;
	const uint8_t *p = r->p, *end = r->end;
	for (;;) {
		while (left[top] == 0) {
			if (top == 0) {
				r->p = p;
				return true;
			}
			top--;
		}
		left[top]--;
		if (top >= depth) {
			*too_deep = true;
			r->p = p;
			return false;
		}
		if (p >= end)
			goto bad;
		uint8_t b = *p++;
		uint64_t n = 0;      /* elements of a container */
		uint64_t body = 0;   /* bytes of a string, bin or ext */
		if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 ||
		    b == 0xc3)
			continue;
		if (b <= 0x8f) {
			n = 2 * (uint64_t)(b & 0x0f);
		} else if (b <= 0x9f) {
			n = b & 0x0f;
		} else if (b <= 0xbf) {
			body = b & 0x1f;
		} else if (b >= 0xd4 && b <= 0xd8) {
			body = 1 + ((uint64_t)1 << (b - 0xd4)); /* type + data */
		} else {
			int w = head_width(b);
			if (w < 0 || (size_t)(end - p) < (size_t)w)
				goto bad;
			uint64_t v = 0;
			for (int k = 0; k < w; k++)
				v = (v << 8) | *p++;
			if ((b >= 0xca && b <= 0xd3))
				continue; /* a number: its bytes were the item */
			if (b == 0xdc || b == 0xdd)
				n = v;
			else if (b == 0xde || b == 0xdf)
				n = 2 * v;
			else if (b >= 0xc7 && b <= 0xc9)
				body = 1 + v; /* ext: type byte + data */
			else
				body = v;
		}
		if (body) {
			if ((uint64_t)(end - p) < body)
				goto bad;
			p += body;
			continue;
		}
		if (!n)
			continue;
		/* each element takes at least one byte */
		if (n > (uint64_t)(end - p))
			goto bad;
		if (top + 1 >= SKIP_LEVELS) {
			/* deeper than the stack (depth <= SKIP_LEVELS makes this
			 * too deep anyway: the elements sit at level top + 1) */
			*too_deep = true;
			r->p = p;
			return false;
		}
		left[++top] = n;
	}
bad:
	r->p = p;
	return false;
}

bool svl__mp_skip(svl_mp_reader *r, int depth)
{
	bool too_deep = false;
	return svl__mp_skip_depth(r, depth, &too_deep);
}

bool svl__mp_read_uint(svl_mp_reader *r, uint64_t *out)
{
	svl_mp_item it;
	if (!next_item(r, &it) || it.kind != SVL_MP_UINT)
		return false;
	*out = it.u;
	return true;
}

bool svl__mp_read_int(svl_mp_reader *r, int64_t *out)
{
	svl_mp_item it;
	if (!next_item(r, &it))
		return false;
	if (it.kind == SVL_MP_INT) {
		*out = it.i;
		return true;
	}
	if (it.kind == SVL_MP_UINT && it.u <= INT64_MAX) {
		*out = (int64_t)it.u;
		return true;
	}
	return false;
}

bool svl__mp_read_str(svl_mp_reader *r, const char **s, uint32_t *n)
{
	svl_mp_item it;
	if (!next_item(r, &it) || it.kind != SVL_MP_STR)
		return false;
	*s = (const char *)it.ptr;
	*n = it.len;
	return true;
}

bool svl__mp_read_bin(svl_mp_reader *r, const uint8_t **b, uint32_t *n)
{
	svl_mp_item it;
	if (!next_item(r, &it) || it.kind != SVL_MP_BIN)
		return false;
	*b = it.ptr;
	*n = it.len;
	return true;
}

bool svl__mp_read_array(svl_mp_reader *r, uint32_t *n)
{
	svl_mp_item it;
	if (!next_item(r, &it) || it.kind != SVL_MP_ARRAY)
		return false;
	*n = it.len;
	return true;
}

bool svl__mp_read_map(svl_mp_reader *r, uint32_t *n)
{
	svl_mp_item it;
	if (!next_item(r, &it) || it.kind != SVL_MP_MAP)
		return false;
	*n = it.len;
	return true;
}

bool svl__mp_read_opt_bin(svl_mp_reader *r, uint32_t want, const uint8_t **b)
{
	svl_mp_item it;
	if (!next_item(r, &it))
		return false;
	if (it.kind == SVL_MP_NIL) {
		*b = NULL;
		return true;
	}
	if (it.kind != SVL_MP_BIN || it.len != want)
		return false;
	*b = it.ptr;
	return true;
}
