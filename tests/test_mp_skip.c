/*
 * test_mp_skip.c - the engine's msgpack skip (engine/mp.c), which verify
 * and every reader of the log use to step over a payload, against an
 * independent decoder, msgpack-c: on random well-formed objects of every
 * kind (fix and sized strings, bins, exts, numbers of every width, nested
 * arrays and maps) it consumes exactly the object's bytes; on every
 * truncation of them it fails; on random bytes (without 16- and 32-bit
 * container counts, which msgpack-c allocates for) it accepts exactly
 * what msgpack-c accepts, ending where msgpack-c ends; an object nested deeper
 * than the limit is "too deep", one at the limit is not.
 */
#include <criterion/criterion.h>
#include <msgpack.h>
#include <string.h>

#include "fixture.h"
#include "mp.h"

static void pack_any(uint64_t *rng, msgpack_packer *pk, int depth,
		     int max_depth)
{
	static const char bytes[300] = {0};
	unsigned k = (unsigned)svl_test_below(rng, depth < max_depth ? 14 : 11);
	switch (k) {
	case 0:
		msgpack_pack_uint64(pk, svl_test_rand(rng));
		break;
	case 1:
		msgpack_pack_int64(pk, -(int64_t)svl_test_below(rng, 1u << 30));
		break;
	case 2:
		msgpack_pack_uint8(pk, (uint8_t)svl_test_below(rng, 256));
		break;
	case 3:
		msgpack_pack_int16(pk, (int16_t)-300);
		break;
	case 4:
		msgpack_pack_double(pk, 1.5);
		break;
	case 5:
		msgpack_pack_float(pk, 2.5f);
		break;
	case 6:
		msgpack_pack_nil(pk);
		break;
	case 7:
		msgpack_pack_true(pk);
		break;
	case 8: {
		size_t n = svl_test_below(rng, 300);
		msgpack_pack_str(pk, n);
		msgpack_pack_str_body(pk, bytes, n);
		break;
	}
	case 9: {
		size_t n = svl_test_below(rng, 300);
		msgpack_pack_bin(pk, n);
		msgpack_pack_bin_body(pk, bytes, n);
		break;
	}
	case 10: {
		static const size_t sizes[] = {1, 2, 4, 8, 16, 3, 200, 300};
		size_t n = sizes[svl_test_below(rng, 8)];
		msgpack_pack_ext(pk, n, 7);
		msgpack_pack_ext_body(pk, bytes, n);
		break;
	}
	case 11:
	case 12: {
		unsigned n = (unsigned)svl_test_below(rng, 5);
		msgpack_pack_array(pk, n);
		for (unsigned i = 0; i < n; i++)
			pack_any(rng, pk, depth + 1, max_depth);
		break;
	}
	default: {
		unsigned n = (unsigned)svl_test_below(rng, 4);
		msgpack_pack_map(pk, n);
		for (unsigned i = 0; i < 2 * n; i++)
			pack_any(rng, pk, depth + 1, max_depth);
	}
	}
}

/* msgpack-c's verdict on data: the bytes of the first object, or 0. */
static size_t reference(const uint8_t *data, size_t len)
{
	msgpack_unpacked u;
	size_t off = 0;
	msgpack_unpacked_init(&u);
	msgpack_unpack_return ret =
	    msgpack_unpack_next(&u, (const char *)data, len, &off);
	msgpack_unpacked_destroy(&u);
	return ret == MSGPACK_UNPACK_SUCCESS ? off : 0;
}

static int ours(const uint8_t *data, size_t len, int depth, size_t *used,
		bool *too_deep)
{
	svl_mp_reader r = {data, data + len};
	*too_deep = false;
	bool ok = svl__mp_skip_depth(&r, depth, too_deep);
	*used = (size_t)(r.p - data);
	return ok;
}

Test(mp_skip, random_objects_are_skipped_whole_and_truncations_fail)
{
	uint64_t rng = 0x5eed5c1b;
	for (int round = 0; round < 3000; round++) {
		msgpack_sbuffer sb;
		msgpack_packer pk;
		msgpack_sbuffer_init(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		pack_any(&rng, &pk, 0, 6);
		msgpack_pack_uint8(&pk, 1); /* a next object: not consumed */
		const uint8_t *d = (const uint8_t *)sb.data;
		size_t len = sb.size, used;
		size_t want = reference(d, len);
		bool deep;
		cr_assert_gt(want, 0);
		cr_assert(ours(d, len, SVL_MSGPACK_DEPTH_MAX, &used, &deep),
			  "round %d", round);
		cr_assert_eq(used, want, "round %d", round);
		for (size_t cut = 0; cut < want; cut += 1 + cut / 7)
			cr_assert(!ours(d, cut, SVL_MSGPACK_DEPTH_MAX, &used,
					&deep) &&
				      !deep,
				  "round %d: a cut at %zu passed", round, cut);
		msgpack_sbuffer_destroy(&sb);
	}
}

Test(mp_skip, random_bytes_agree_with_msgpack_c)
{
	uint64_t rng = 0xb17e5;
	uint8_t d[64];
	for (int round = 0; round < 200000; round++) {
		size_t len = 1 + svl_test_below(&rng, sizeof d);
		for (size_t i = 0; i < len; i++) {
			d[i] = (uint8_t)svl_test_rand(&rng);
			/* msgpack-c allocates an array's or map's elements
			 * before reading them: a 16- or 32-bit count would
			 * make it allocate gigabytes. Fix counts still come. */
			if (d[i] >= 0xdc && d[i] <= 0xdf)
				d[i] = 0x92;
		}
		size_t used;
		bool deep;
		int ok = ours(d, len, SVL_MSGPACK_DEPTH_MAX, &used, &deep);
		size_t want = reference(d, len);
		cr_assert_eq(ok, want > 0, "round %d: %02x.. len %zu", round,
			     d[0], len);
		if (ok)
			cr_assert_eq(used, want, "round %d", round);
	}
}

/* [[[...[1]...]]] nested n deep */
static size_t nested(uint8_t *d, int n)
{
	for (int i = 0; i < n; i++)
		d[i] = 0x91;
	d[n] = 0x01;
	return (size_t)n + 1;
}

Test(mp_skip, depth_limit_is_exact)
{
	uint8_t d[200];
	size_t used;
	bool deep;
	for (int limit = 0; limit <= 80; limit++) {
		/* an object of nesting n holds items at levels 0..n */
		size_t len = nested(d, limit - 1 < 0 ? 0 : limit - 1);
		if (limit >= 1) {
			cr_assert(ours(d, len, limit, &used, &deep), "limit %d",
				  limit);
			cr_assert_eq(used, len);
		}
		len = nested(d, limit);
		cr_assert(!ours(d, len, limit, &used, &deep), "limit %d",
			  limit);
		cr_assert(deep, "limit %d: too deep, not malformed", limit);
	}
	/* an absurd element count is malformed, not a long loop */
	const uint8_t huge[] = {0xdd, 0xff, 0xff, 0xff, 0xff, 0x01};
	cr_assert(!ours(huge, sizeof huge, 32, &used, &deep) && !deep);
	const uint8_t c1[] = {0xc1};
	cr_assert(!ours(c1, 1, 32, &used, &deep) && !deep);
}
