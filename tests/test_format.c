/*
 * test_format.c - docs/format.md proved with independent code: records are
 * read with LMDB's own API, envelopes decoded with msgpack-c (not the
 * engine's reader), hashes recomputed with libxxhash, and the whole chain
 * checked by tests/format_check.sh with stock tools only (mdb_dump, xxd,
 * xxhsum), on a good ledger and on tampered ones.
 */
#include <criterion/criterion.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "fixture.h"

static char *dir;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	cr_assert_not_null(dir);
}

static void teardown(void)
{
	svl_test_rmdir(dir);
	dir = NULL;
}

TestSuite(format, .init = setup, .fini = teardown);

/* ---- the ledger under test ---- */

enum { N = 300, SMALL = 24, BIG = 60000 };

typedef struct written {
	char stream[SVL_STREAM_MAX];
	size_t stream_len;
	uint32_t type, schema;
	int64_t occurred;
	char actor[SVL_ACTOR_MAX], role[SVL_ROLE_MAX];
	size_t actor_len, role_len;
	uint8_t id[SVL_ID_SIZE];
	int has_corr, has_caus;
	uint8_t corr[SVL_ID_SIZE], caus[SVL_ID_SIZE];
	msgpack_sbuffer payload;
	uint64_t version;
} written;

static written w[N + 1]; /* 1-based by seq */
static uint8_t ledger_id[SVL_ID_SIZE];

/* Payloads are written with msgpack-c too, in various shapes. */
static void make_payload(written *e, uint64_t seq)
{
	msgpack_sbuffer_init(&e->payload);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &e->payload, msgpack_sbuffer_write);
	if (seq == 9) {
		static uint8_t blob[BIG];
		memset(blob, 0x5a, sizeof blob);
		msgpack_pack_map(&pk, 1);
		msgpack_pack_str_with_body(&pk, "blob", 4);
		msgpack_pack_bin_with_body(&pk, blob, sizeof blob);
		return;
	}
	msgpack_pack_map(&pk, 4);
	msgpack_pack_str_with_body(&pk, "n", 1);
	msgpack_pack_uint64(&pk, seq);
	msgpack_pack_str_with_body(&pk, "qty_milli", 9);
	msgpack_pack_int64(&pk, -(int64_t)seq * 1500);
	msgpack_pack_str_with_body(&pk, "a", 1);
	msgpack_pack_array(&pk, 3);
	msgpack_pack_true(&pk);
	msgpack_pack_nil(&pk);
	msgpack_pack_double(&pk, 0.25);
	msgpack_pack_str_with_body(&pk, "m", 1);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "bin", 3);
	msgpack_pack_str_with_body(&pk, "A-01-03", 7);
}

/* Boundary values of the shortest-encoding rules for the first events. */
static void make_event(written *e, uint64_t seq)
{
	static const uint32_t types[] = {0,	0x7f,	0x80,	 0xff,
					 0x100, 0xffff, 0x10000, UINT32_MAX};
	static const int64_t times[] = {
	    1700000000000, -1, -32, -33, -128, -129, INT64_MIN, INT64_MAX};
	static const size_t stream_lens[] = {12, 31, 32, SVL_STREAM_MAX};
	memset(e, 0, sizeof *e);
	if (seq <= 4) {
		e->stream_len = stream_lens[seq - 1];
		for (size_t i = 0; i < e->stream_len; i++)
			e->stream[i] = (char)('a' + (i + seq) % 26);
	} else {
		e->stream_len =
		    (size_t)snprintf(e->stream, sizeof e->stream, "part-%04llu",
				     (unsigned long long)(seq % 7));
	}
	e->type = seq <= 8 ? types[seq - 1] : (uint32_t)seq;
	e->schema = seq == 8 ? UINT32_MAX : 1 + (uint32_t)(seq % 3);
	e->occurred = seq <= 8 ? times[seq - 1] : 1700000000000 + (int64_t)seq;
	e->actor_len = seq == 5 ? SVL_ACTOR_MAX : (seq % 4 ? 4 : 0);
	memset(e->actor, 'E', e->actor_len);
	e->role_len = seq == 5 ? SVL_ROLE_MAX : 11;
	memset(e->role, 'R', e->role_len);
	if (seq != 5)
		memcpy(e->role, "storekeeper", e->role_len);
	svl_test_id(e->id, 0x5e5e, seq);
	e->has_corr = seq % 2 == 0;
	e->has_caus = seq % 3 == 0;
	svl_test_id(e->corr, 0xc0, seq);
	svl_test_id(e->caus, 0xca, seq);
	make_payload(e, seq);
}

static svl_event_in event_in(const written *e)
{
	svl_event_in ev;
	memset(&ev, 0, sizeof ev);
	ev.stream = e->stream;
	ev.stream_len = e->stream_len;
	ev.type = e->type;
	ev.schema_version = e->schema;
	ev.occurred_at_ms = e->occurred;
	ev.actor = e->actor;
	ev.actor_len = e->actor_len;
	ev.role = e->role;
	ev.role_len = e->role_len;
	memcpy(ev.id, e->id, SVL_ID_SIZE);
	ev.correlation_id = e->has_corr ? e->corr : NULL;
	ev.causation_id = e->has_caus ? e->caus : NULL;
	ev.payload = (const uint8_t *)e->payload.data;
	ev.payload_len = e->payload.size;
	ev.expected_version = SVL_VERSION_ANY;
	return ev;
}

/* Build the ledger of n records (batches of 1, 8 and the rest) and close
 * it. The decoding tests use all N (seq takes 1, 2 and 3 bytes); the
 * script tests fewer, since the script runs xxd once per record. */
static void build_n(uint64_t n)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	memcpy(ledger_id, svl_log_id(log), SVL_ID_SIZE);
	static svl_event_in ev[N];
	static svl_position pos[N];
	for (uint64_t s = 1; s <= N; s++) {
		make_event(&w[s], s);
		ev[s - 1] = event_in(&w[s]);
	}
	cr_assert(n > 9 && n <= N);
	size_t cuts[] = {0, 1, 9, n};
	for (int b = 0; b < 3; b++) {
		size_t from = cuts[b], k = cuts[b + 1] - cuts[b];
		cr_assert_eq(svl_log_append(log, ev + from, k, pos + from),
			     SVL_OK, "%s", svl_log_errmsg(log));
	}
	for (uint64_t s = 1; s <= n; s++) {
		cr_assert_eq(pos[s - 1].seq, s);
		w[s].version = pos[s - 1].stream_version;
	}
	svl_log_close(log);
}

static void build(void)
{
	build_n(N);
}

static void free_written(void)
{
	for (uint64_t s = 1; s <= N; s++)
		msgpack_sbuffer_destroy(&w[s].payload);
}

/* ---- decoding with msgpack-c ---- */

static void hash128(const void *p, size_t len, uint8_t out[16])
{
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits(p, len));
	memcpy(out, c.digest, 16);
}

static int64_t as_int(const msgpack_object *o)
{
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		return (int64_t)o->via.u64;
	cr_assert_eq(o->type, MSGPACK_OBJECT_NEGATIVE_INTEGER);
	return o->via.i64;
}

static uint64_t as_uint(const msgpack_object *o, const char *what)
{
	cr_assert_eq(o->type, MSGPACK_OBJECT_POSITIVE_INTEGER,
		     "%s is not a positive int", what);
	return o->via.u64;
}

static void assert_str(const msgpack_object *o, const char *s, size_t len,
		       const char *what)
{
	cr_assert_eq(o->type, MSGPACK_OBJECT_STR, "%s is not a str", what);
	cr_assert_eq(o->via.str.size, len, "%s length", what);
	cr_assert_eq(memcmp(o->via.str.ptr, s, len), 0, "%s bytes", what);
}

static void assert_bin16(const msgpack_object *o, const uint8_t *want,
			 const char *what)
{
	cr_assert_eq(o->type, MSGPACK_OBJECT_BIN, "%s is not a bin", what);
	cr_assert_eq(o->via.bin.size, 16, "%s is not 16 bytes", what);
	cr_assert_eq(memcmp(o->via.bin.ptr, want, 16), 0, "%s bytes", what);
}

static void assert_opt_id(const msgpack_object *o, int has, const uint8_t *want,
			  const char *what)
{
	if (has)
		assert_bin16(o, want, what);
	else
		cr_assert_eq(o->type, MSGPACK_OBJECT_NIL, "%s is not nil",
			     what);
}

/* msgpack-c packs every integer and length in its shortest form: packing
 * the decoded object again must give back the same bytes. */
static void assert_repacks_to(const msgpack_object *o, const void *bytes,
			      size_t len, const char *what)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(msgpack_pack_object(&pk, *o), 0);
	cr_assert_eq(sb.size, len, "%s: %zu bytes re-packed, %zu stored", what,
		     sb.size, len);
	cr_assert_eq(memcmp(sb.data, bytes, len), 0,
		     "%s is not in msgpack's shortest form", what);
	msgpack_sbuffer_destroy(&sb);
}

static void check_envelope(uint64_t seq, const uint8_t *env, size_t len,
			   const uint8_t prev[16], int64_t *last_recorded)
{
	const written *e = &w[seq];
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	size_t off = 0;
	cr_assert_eq(msgpack_unpack_next(&u, (const char *)env, len, &off),
		     MSGPACK_UNPACK_SUCCESS, "seq %llu does not unpack",
		     (unsigned long long)seq);
	cr_assert_eq(off, len, "seq %llu: bytes after the envelope",
		     (unsigned long long)seq);
	const msgpack_object *o = &u.data;
	cr_assert_eq(o->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_eq(o->via.array.size, 15, "envelope of %u fields",
		     o->via.array.size);
	const msgpack_object *f = o->via.array.ptr;
	cr_assert_eq(as_uint(&f[0], "format"), 1);
	cr_assert_eq(as_uint(&f[1], "seq"), seq);
	assert_str(&f[2], e->stream, e->stream_len, "stream");
	cr_assert_eq(as_uint(&f[3], "stream_version"), e->version);
	cr_assert_eq(as_uint(&f[4], "type"), e->type);
	cr_assert_eq(as_uint(&f[5], "schema_version"), e->schema);
	cr_assert_eq(as_int(&f[6]), e->occurred, "occurred_at of seq %llu",
		     (unsigned long long)seq);
	int64_t recorded = as_int(&f[7]);
	cr_assert_geq(recorded, *last_recorded, "recorded_at went back");
	cr_assert_gt(recorded, 1700000000000, "recorded_at is UTC ms");
	*last_recorded = recorded;
	assert_bin16(&f[8], e->id, "id");
	assert_str(&f[9], e->actor, e->actor_len, "actor");
	assert_str(&f[10], e->role, e->role_len, "role");
	assert_opt_id(&f[11], e->has_corr, e->corr, "correlation_id");
	assert_opt_id(&f[12], e->has_caus, e->caus, "causation_id");
	cr_assert_eq(f[13].type, MSGPACK_OBJECT_MAP, "payload is not a map");
	assert_repacks_to(&f[13], e->payload.data, e->payload.size, "payload");
	assert_bin16(&f[14], prev, "prev_hash");
	assert_repacks_to(o, env, len, "envelope");
	/* "the last 18 bytes of every envelope are c4 10 and the prev hash" */
	cr_assert_eq(env[len - 18], 0xc4);
	cr_assert_eq(env[len - 17], 0x10);
	cr_assert_eq(memcmp(env + len - 16, prev, 16), 0);
	msgpack_unpacked_destroy(&u);
}

Test(format, every_record_decodes_with_msgpack_c_and_hashes_with_xxh3)
{
	build();
	svl_test_raw raw;
	cr_assert_eq(svl_test_raw_begin(&raw, dir, 0), MDB_SUCCESS);
	MDB_cursor *c;
	cr_assert_eq(mdb_cursor_open(raw.txn, raw.events, &c), MDB_SUCCESS);
	MDB_val k, v;
	uint8_t prev[16] = {0}; /* genesis: 16 zero bytes */
	uint64_t seq = 0;
	int64_t last_recorded = INT64_MIN;
	int rc;
	while ((rc = mdb_cursor_get(c, &k, &v, seq ? MDB_NEXT : MDB_FIRST)) ==
	       MDB_SUCCESS) {
		seq++;
		cr_assert_eq(k.mv_size, 8, "keys are u64 big-endian");
		const uint8_t *kb = k.mv_data;
		uint64_t key = 0;
		for (int i = 0; i < 8; i++)
			key = key << 8 | kb[i];
		cr_assert_eq(key, seq, "keys run 1, 2, 3, ...");
		cr_assert_gt(v.mv_size, 16);
		const uint8_t *val = v.mv_data;
		size_t env_len = v.mv_size - 16;
		check_envelope(seq, val, env_len, prev, &last_recorded);
		uint8_t h[16];
		hash128(val, env_len, h);
		cr_assert_eq(memcmp(h, val + env_len, 16), 0,
			     "seq %llu: stored hash is not XXH3-128 of the "
			     "envelope in canonical form",
			     (unsigned long long)seq);
		memcpy(prev, h, 16);
	}
	cr_assert_eq(rc, MDB_NOTFOUND);
	cr_assert_eq(seq, N);
	mdb_cursor_close(c);

	/* meta: format, ledger id, head */
	MDB_val mk = {6, "format"}, mv;
	cr_assert_eq(mdb_get(raw.txn, raw.meta, &mk, &mv), MDB_SUCCESS);
	cr_assert_eq(mv.mv_size, 4);
	cr_assert_eq(memcmp(mv.mv_data, "\0\0\0\1", 4), 0);
	mk = (MDB_val){9, "ledger_id"};
	cr_assert_eq(mdb_get(raw.txn, raw.meta, &mk, &mv), MDB_SUCCESS);
	cr_assert_eq(mv.mv_size, 16);
	cr_assert_eq(memcmp(mv.mv_data, ledger_id, 16), 0);
	mk = (MDB_val){4, "head"};
	cr_assert_eq(mdb_get(raw.txn, raw.meta, &mk, &mv), MDB_SUCCESS);
	cr_assert_eq(mv.mv_size, 8 + 16);
	cr_assert_eq(svl_test_get_be64(mv.mv_data), N);
	cr_assert_eq(memcmp((uint8_t *)mv.mv_data + 8, prev, 16), 0);
	svl_test_raw_end(&raw, 0);
	free_written();
}

Test(format, indexes_hold_the_documented_keys_and_values)
{
	build();
	svl_test_raw raw;
	cr_assert_eq(svl_test_raw_begin(&raw, dir, 0), MDB_SUCCESS);
	MDB_stat st;
	cr_assert_eq(mdb_stat(raw.txn, raw.streams, &st), MDB_SUCCESS);
	cr_assert_eq(st.ms_entries, N, "one stream entry per event");
	cr_assert_eq(mdb_stat(raw.txn, raw.ids, &st), MDB_SUCCESS);
	cr_assert_eq(st.ms_entries, N, "one id entry per event");
	for (uint64_t s = 1; s <= N; s++) {
		/* streams: u8 length | stream | u64 BE version -> u64 BE seq */
		uint8_t key[1 + SVL_STREAM_MAX + 8];
		key[0] = (uint8_t)w[s].stream_len;
		memcpy(key + 1, w[s].stream, w[s].stream_len);
		svl_test_be64(key + 1 + w[s].stream_len, w[s].version);
		MDB_val k = {1 + w[s].stream_len + 8, key}, v;
		cr_assert_eq(mdb_get(raw.txn, raw.streams, &k, &v), MDB_SUCCESS,
			     "no stream entry for seq %llu",
			     (unsigned long long)s);
		cr_assert_eq(v.mv_size, 8);
		cr_assert_eq(svl_test_get_be64(v.mv_data), s);
		/* ids: id (16) -> u64 BE seq */
		k = (MDB_val){16, w[s].id};
		cr_assert_eq(mdb_get(raw.txn, raw.ids, &k, &v), MDB_SUCCESS);
		cr_assert_eq(v.mv_size, 8);
		cr_assert_eq(svl_test_get_be64(v.mv_data), s);
	}
	svl_test_raw_end(&raw, 0);
	free_written();
}

/* ---- stock tools: tests/format_check.sh ---- */

/* The script sits beside this file; tests run from the repository root. */
static char *check_script(int *status, const char *ledger)
{
	char here[4096], cmd[8400];
	snprintf(here, sizeof here, "%s", __FILE__);
	char *slash = strrchr(here, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(here, sizeof here, ".");
	snprintf(cmd, sizeof cmd, "sh '%s/format_check.sh' '%s' 2>&1", here,
		 ledger);
	char *out = svl_test_shell(cmd, status);
	cr_assert_not_null(out);
	return out;
}

Test(format, format_check_script_verifies_a_good_ledger)
{
	build_n(SMALL);
	int st;
	char *out = check_script(&st, dir);
	cr_assert_eq(st, 0, "format_check.sh failed on a good ledger:\n%s",
		     out);
	char want[64];
	snprintf(want, sizeof want, "ok: %d records", SMALL);
	cr_assert_not_null(strstr(out, want), "%s", out);
	/* and it names the same head hash as the engine */
	svl_log *log = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	svl_log_close(log);
	char hex[33];
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", h.hash[i]);
	cr_assert_not_null(strstr(out, hex), "head %s not in: %s", hex, out);
	free(out);
	free_written();
}

Test(format, format_check_script_accepts_an_empty_ledger)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log);
	svl_log_close(log);
	int st;
	char *out = check_script(&st, dir);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_not_null(strstr(out, "ok: 0 records"), "%s", out);
	free(out);
}

enum tamper { FLIP, FLIP_REHASH, DELETE, CUT_TAIL, SWAP };

static void tamper(enum tamper how, uint64_t k)
{
	svl_test_raw raw;
	cr_assert_eq(svl_test_raw_begin(&raw, dir, 1), MDB_SUCCESS);
	size_t len, len2;
	uint8_t *v = svl_test_raw_get(&raw, k, &len), *v2;
	cr_assert_not_null(v);
	switch (how) {
	case FLIP:
	case FLIP_REHASH:
		v[len - 16 - 18 - 1] ^= 0x01; /* the payload's last byte */
		if (how == FLIP_REHASH)
			svl_test_rehash(v, len);
		cr_assert_eq(svl_test_raw_put(&raw, k, v, len), MDB_SUCCESS);
		break;
	case DELETE:
	case CUT_TAIL:
		cr_assert_eq(svl_test_raw_del(&raw, k), 0);
		break;
	case SWAP:
		v2 = svl_test_raw_get(&raw, k + 1, &len2);
		cr_assert_not_null(v2);
		cr_assert_eq(svl_test_raw_put(&raw, k, v2, len2), 0);
		cr_assert_eq(svl_test_raw_put(&raw, k + 1, v, len), 0);
		free(v2);
		break;
	}
	free(v);
	cr_assert_eq(svl_test_raw_end(&raw, 1), MDB_SUCCESS);
}

static void assert_script_fails(const char *needle)
{
	int st;
	char *out = check_script(&st, dir);
	cr_assert_eq(st, 1, "format_check.sh missed the tampering (%d):\n%s",
		     st, out);
	cr_assert_not_null(strstr(out, needle), "want '%s' in:\n%s", needle,
			   out);
	cr_assert_null(strstr(out, "ok:"), "%s", out);
	free(out);
}

Test(format, format_check_script_fails_on_a_flipped_byte)
{
	build_n(SMALL);
	tamper(FLIP, 5);
	assert_script_fails("seq 5: hash mismatch");
	free_written();
}

Test(format, format_check_script_fails_on_a_relinked_edit)
{
	build_n(SMALL);
	tamper(FLIP_REHASH, 5);
	assert_script_fails("seq 6: broken link");
	free_written();
}

Test(format, format_check_script_fails_on_a_deleted_record)
{
	build_n(SMALL);
	tamper(DELETE, 5);
	assert_script_fails("seq 5: key");
	free_written();
}

Test(format, format_check_script_fails_on_swapped_records)
{
	build_n(SMALL);
	tamper(SWAP, 5);
	assert_script_fails("seq 5: broken link");
	free_written();
}

Test(format, format_check_script_fails_on_a_cut_tail)
{
	build_n(SMALL);
	tamper(CUT_TAIL, SMALL);
	assert_script_fails("cut or extended tail");
	free_written();
}

Test(format, format_check_script_fails_on_an_edited_big_record)
{
	build_n(SMALL);
	tamper(FLIP_REHASH, 9); /* the 60 KB payload: overflow pages */
	assert_script_fails("seq 10: broken link");
	free_written();
}
