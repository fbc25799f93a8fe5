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

bool svl__mp_skip_depth(svl_mp_reader *r, int depth, bool *too_deep)
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
			if (!svl__mp_skip_depth(r, depth - 1, too_deep))
				return false;
	}
	return true;
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
