/*
 * mp.h - a small msgpack writer and a bounds-checked msgpack reader for the
 * hot paths (envelopes on append, verify and rebuild).
 *
 * Why not msgpack-c here: the envelope is a fixed array of a dozen scalars;
 * writing it byte by byte into a caller buffer and reading it back with a
 * cursor costs a few nanoseconds and allocates nothing, where msgpack-c's
 * unpacker builds an object tree in a zone. msgpack-c stays the reference:
 * the format tests decode our bytes with it (tests/test_format.c).
 *
 * Invariants: the writer always emits the shortest encoding of an integer
 * (so bytes are canonical and hashes reproducible); the reader never reads
 * past `end` and reports malformed input as a failed read, never an assert.
 */
#ifndef SVL_MP_H
#define SVL_MP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- big-endian helpers (on-disk integers are always big-endian) ---- */

static inline void svl__be64_put(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

static inline uint64_t svl__be64_get(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static inline void svl__be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t svl__be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* ---- writer: the caller guarantees room (see SVL_MP_*_MAX below) ---- */

#define SVL_MP_UINT_MAX_BYTES 9
#define SVL_MP_HDR_MAX_BYTES 5

static inline uint8_t *svl__mp_put_uint(uint8_t *p, uint64_t v)
{
	if (v < 0x80) {
		*p++ = (uint8_t)v;
	} else if (v <= 0xff) {
		*p++ = 0xcc;
		*p++ = (uint8_t)v;
	} else if (v <= 0xffff) {
		*p++ = 0xcd;
		*p++ = (uint8_t)(v >> 8);
		*p++ = (uint8_t)v;
	} else if (v <= 0xffffffffu) {
		*p++ = 0xce;
		svl__be32_put(p, (uint32_t)v);
		p += 4;
	} else {
		*p++ = 0xcf;
		svl__be64_put(p, v);
		p += 8;
	}
	return p;
}

static inline uint8_t *svl__mp_put_int(uint8_t *p, int64_t v)
{
	if (v >= 0)
		return svl__mp_put_uint(p, (uint64_t)v);
	if (v >= -32) {
		*p++ = (uint8_t)(0xe0 | (v + 32));
	} else if (v >= INT8_MIN) {
		*p++ = 0xd0;
		*p++ = (uint8_t)(int8_t)v;
	} else if (v >= INT16_MIN) {
		uint16_t u = (uint16_t)(int16_t)v;
		*p++ = 0xd1;
		*p++ = (uint8_t)(u >> 8);
		*p++ = (uint8_t)u;
	} else if (v >= INT32_MIN) {
		*p++ = 0xd2;
		svl__be32_put(p, (uint32_t)(int32_t)v);
		p += 4;
	} else {
		*p++ = 0xd3;
		svl__be64_put(p, (uint64_t)v);
		p += 8;
	}
	return p;
}

static inline uint8_t *svl__mp_put_str_hdr(uint8_t *p, uint32_t n)
{
	if (n < 32) {
		*p++ = (uint8_t)(0xa0 | n);
	} else if (n <= 0xff) {
		*p++ = 0xd9;
		*p++ = (uint8_t)n;
	} else if (n <= 0xffff) {
		*p++ = 0xda;
		*p++ = (uint8_t)(n >> 8);
		*p++ = (uint8_t)n;
	} else {
		*p++ = 0xdb;
		svl__be32_put(p, n);
		p += 4;
	}
	return p;
}

static inline uint8_t *svl__mp_put_str(uint8_t *p, const void *s, uint32_t n)
{
	p = svl__mp_put_str_hdr(p, n);
	memcpy(p, s, n);
	return p + n;
}

static inline uint8_t *svl__mp_put_bin(uint8_t *p, const void *s, uint32_t n)
{
	if (n <= 0xff) {
		*p++ = 0xc4;
		*p++ = (uint8_t)n;
	} else if (n <= 0xffff) {
		*p++ = 0xc5;
		*p++ = (uint8_t)(n >> 8);
		*p++ = (uint8_t)n;
	} else {
		*p++ = 0xc6;
		svl__be32_put(p, n);
		p += 4;
	}
	memcpy(p, s, n);
	return p + n;
}

static inline uint8_t *svl__mp_put_nil(uint8_t *p)
{
	*p++ = 0xc0;
	return p;
}

static inline uint8_t *svl__mp_put_bool(uint8_t *p, bool b)
{
	*p++ = b ? 0xc3 : 0xc2;
	return p;
}

static inline uint8_t *svl__mp_put_array_hdr(uint8_t *p, uint32_t n)
{
	if (n < 16) {
		*p++ = (uint8_t)(0x90 | n);
	} else if (n <= 0xffff) {
		*p++ = 0xdc;
		*p++ = (uint8_t)(n >> 8);
		*p++ = (uint8_t)n;
	} else {
		*p++ = 0xdd;
		svl__be32_put(p, n);
		p += 4;
	}
	return p;
}

static inline uint8_t *svl__mp_put_map_hdr(uint8_t *p, uint32_t n)
{
	if (n < 16) {
		*p++ = (uint8_t)(0x80 | n);
	} else if (n <= 0xffff) {
		*p++ = 0xde;
		*p++ = (uint8_t)(n >> 8);
		*p++ = (uint8_t)n;
	} else {
		*p++ = 0xdf;
		svl__be32_put(p, n);
		p += 4;
	}
	return p;
}

/* ---- reader ---------------------------------------------------------- */

typedef struct svl_mp_reader {
	const uint8_t *p;
	const uint8_t *end;
} svl_mp_reader;

enum svl_mp_kind {
	SVL_MP_NIL,
	SVL_MP_BOOL,
	SVL_MP_UINT,
	SVL_MP_INT,   /* negative integers only */
	SVL_MP_FLOAT,
	SVL_MP_STR,
	SVL_MP_BIN,
	SVL_MP_ARRAY,
	SVL_MP_MAP,
	SVL_MP_EXT,
	SVL_MP_BAD,
};

/* One decoded item header. For STR/BIN/EXT `len` bytes at `ptr` follow;
 * for ARRAY/MAP `len` is the element (pair) count. */
typedef struct svl_mp_item {
	enum svl_mp_kind kind;
	uint64_t u;      /* UINT value, BOOL value */
	int64_t i;       /* INT value */
	double f;        /* FLOAT value */
	uint32_t len;
	const uint8_t *ptr;
} svl_mp_item;

/* Read one header; false on malformed or truncated input. */
bool svl__mp_next(svl_mp_reader *r, svl_mp_item *out);

/* Skip one whole object (with its children), at most `depth` levels deep. */
bool svl__mp_skip(svl_mp_reader *r, int depth);
/* The same, and when it fails because the object nests deeper than
 * `depth`, *too_deep is set: callers report that as a limit, not as
 * malformed input. */
bool svl__mp_skip_depth(svl_mp_reader *r, int depth, bool *too_deep);

/* Shortcuts: read a value of one kind or fail. */
bool svl__mp_read_uint(svl_mp_reader *r, uint64_t *out);
bool svl__mp_read_int(svl_mp_reader *r, int64_t *out);
bool svl__mp_read_str(svl_mp_reader *r, const char **s, uint32_t *n);
bool svl__mp_read_bin(svl_mp_reader *r, const uint8_t **b, uint32_t *n);
bool svl__mp_read_array(svl_mp_reader *r, uint32_t *n);
bool svl__mp_read_map(svl_mp_reader *r, uint32_t *n);
/* nil -> *b = NULL; bin of exactly `want` bytes -> *b points at it */
bool svl__mp_read_opt_bin(svl_mp_reader *r, uint32_t want, const uint8_t **b);

#endif /* SVL_MP_H */
