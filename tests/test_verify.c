/*
 * test_verify.c - tamper tests for svl_log_verify (engine/verify.c).
 *
 * Each test builds a small ledger, closes it, changes its bytes with
 * LMDB's own C API (as an attacker or a disk fault would: the engine is
 * not involved), reopens it and checks that verify names the right problem
 * and the right first bad seq. The layout edited here is docs/format.md's:
 * events u64be seq -> envelope || hash(16), streams u8 len|stream|u64be
 * version -> u64be seq, ids id(16) -> u64be seq, meta "head" -> seq||hash.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mp.h"

enum { N = 10, KEY_MAX = 1 + SVL_STREAM_MAX + 8 };

/* The ledger every test starts from: seq -> stream (1-based). */
static const char *const stream_of[N + 1] = {NULL, "a", "b", "a", "c", "a",
					     "b",  "a", "c", "a", "b"};

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

TestSuite(verify, .init = setup, .fini = teardown);

/* Stream version of seq in the ledger built by build(). */
static uint64_t version_at(uint64_t seq)
{
	uint64_t v = 0;
	for (uint64_t s = 1; s <= seq; s++)
		v += strcmp(stream_of[s], stream_of[seq]) == 0;
	return v;
}

static void build(void)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	size_t batches[] = {3, 4, 3};
	uint64_t seq = 1;
	for (size_t b = 0; b < 3; b++) {
		uint8_t bufs[4][16];
		svl_event_in ev[4];
		for (size_t i = 0; i < batches[b]; i++, seq++) {
			ev[i] = svl_test_event(stream_of[seq], bufs[i],
					       (int64_t)seq);
			svl_test_id(ev[i].id, 100, seq);
		}
		cr_assert_eq(svl_log_append(log, ev, batches[b], NULL), SVL_OK,
			     "%s", svl_log_errmsg(log));
	}
	svl_log_close(log);
}

static svl_verify_report verify_now(void)
{
	svl_log *log = svl_test_open(dir, 0, 0);
	cr_assert_not_null(log, "reopen after tampering: %s",
			   svl_log_last_error());
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK, "%s",
		     svl_log_errmsg(log));
	svl_log_close(log);
	cr_assert_null(strchr(rep.detail, '\n'));
	return rep;
}

static void assert_problem(const svl_verify_report *rep,
			   enum svl_verify_problem p, uint64_t bad_seq)
{
	cr_assert_not(rep->ok, "tampering went unnoticed: %s", rep->detail);
	cr_assert_eq(rep->problem, p, "problem '%s', want '%s': %s",
		     svl_verify_problem_name(rep->problem),
		     svl_verify_problem_name(p), rep->detail);
	cr_assert_eq(rep->bad_seq, bad_seq, "bad_seq %llu, want %llu: %s",
		     (unsigned long long)rep->bad_seq,
		     (unsigned long long)bad_seq, rep->detail);
	if (p == SVL_VERIFY_TRUNCATED)
		return; /* names the last record and the recorded head */
	char num[32];
	snprintf(num, sizeof num, "%llu", (unsigned long long)bad_seq);
	cr_assert_not_null(strstr(rep->detail, num),
			   "detail does not name seq %s: %s", num, rep->detail);
}

static void assert_detail(const svl_verify_report *rep, const char *want)
{
	cr_assert_not_null(strstr(rep->detail, want), "want '%s' in: %s",
			   want, rep->detail);
}

/* ---- raw access ---- */

static svl_test_raw raw;

static void raw_open(void)
{
	int rc = svl_test_raw_begin(&raw, dir, 1);
	cr_assert_eq(rc, MDB_SUCCESS, "%s", mdb_strerror(rc));
}

static void raw_commit(void)
{
	int rc = svl_test_raw_end(&raw, 1);
	cr_assert_eq(rc, MDB_SUCCESS, "%s", mdb_strerror(rc));
}

/* A malloc'd copy of record seq's value. */
static uint8_t *get_record(uint64_t seq, size_t *len)
{
	uint8_t *v = svl_test_raw_get(&raw, seq, len);
	cr_assert_not_null(v, "no record %llu", (unsigned long long)seq);
	return v;
}

static void put_record(uint64_t seq, const uint8_t *v, size_t len)
{
	cr_assert_eq(svl_test_raw_put(&raw, seq, v, len), MDB_SUCCESS);
}

static void del_record(uint64_t seq)
{
	cr_assert_eq(svl_test_raw_del(&raw, seq), MDB_SUCCESS);
}

static void rehash(uint8_t *v, size_t len)
{
	svl_test_rehash(v, len);
}

/* The payload {"n": seq} ends right before the prev hash (c4 10 + 16
 * bytes) and the record's own hash: its last byte is n. */
static size_t payload_last_byte(size_t len)
{
	return len - SVL_HASH_SIZE - (2 + SVL_HASH_SIZE) - 1;
}

static void flip_payload(uint64_t seq, int recompute_hash)
{
	size_t len;
	uint8_t *v = get_record(seq, &len);
	cr_assert_eq(v[payload_last_byte(len)], (uint8_t)seq,
		     "layout assumption: payload {n: seq} ends there");
	v[payload_last_byte(len)] ^= 0x40; /* still a positive fixint */
	if (recompute_hash)
		rehash(v, len);
	put_record(seq, v, len);
	free(v);
}

static void put_index(MDB_dbi dbi, const void *k, size_t klen, uint64_t seq)
{
	uint8_t v[8];
	svl_test_be64(v, seq);
	MDB_val key = {klen, (void *)k}, val = {8, v};
	cr_assert_eq(mdb_put(raw.txn, dbi, &key, &val, 0), MDB_SUCCESS);
}

static void del_index(MDB_dbi dbi, const void *k, size_t klen)
{
	MDB_val key = {klen, (void *)k};
	cr_assert_eq(mdb_del(raw.txn, dbi, &key, NULL), MDB_SUCCESS);
}

/* ---- untampered ---- */

Test(verify, empty_ledger_is_ok_with_seq_0_and_the_genesis_hash)
{
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log);
	svl_verify_report rep;
	memset(&rep, 0xab, sizeof rep); /* verify must fill it all in */
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);
	cr_assert_eq(rep.problem, SVL_VERIFY_OK);
	cr_assert_eq(rep.bad_seq, 0);
	cr_assert_eq(rep.events, 0);
	cr_assert_eq(rep.head.seq, 0);
	static const uint8_t zero[SVL_HASH_SIZE];
	cr_assert_eq(memcmp(rep.head.hash, zero, SVL_HASH_SIZE), 0);
	cr_assert_eq(memcmp(svl_log_genesis_hash(), zero, SVL_HASH_SIZE), 0);
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	cr_assert_eq(h.seq, 0);
	cr_assert_eq(memcmp(h.hash, zero, SVL_HASH_SIZE), 0);
	svl_log_close(log);
}

Test(verify, untouched_ledger_is_ok_and_reports_its_head)
{
	build();
	svl_verify_report rep = verify_now();
	cr_assert(rep.ok, "%s", rep.detail);
	cr_assert_eq(rep.events, N);
	cr_assert_eq(rep.head.seq, N);
	svl_log *log = svl_test_open(dir, 0, 0);
	svl_head h;
	cr_assert_eq(svl_log_head(log, &h), SVL_OK);
	svl_log_close(log);
	cr_assert_eq(memcmp(rep.head.hash, h.hash, SVL_HASH_SIZE), 0);
	cr_assert_eq(rep.head.recorded_at_ms, h.recorded_at_ms);

	/* the tamper helpers themselves change nothing when unused */
	raw_open();
	size_t len;
	uint8_t *v = get_record(4, &len);
	put_record(4, v, len);
	free(v);
	raw_commit();
	rep = verify_now();
	cr_assert(rep.ok, "%s", rep.detail);
}

/* ---- the chain ---- */

ParameterizedTestParameters(verify, flipped_payload_byte_is_hash_mismatch_at_k)
{
	static uint64_t ks[] = {1, 5, N};
	return cr_make_param_array(uint64_t, ks, 3);
}

ParameterizedTest(uint64_t *k, verify,
		  flipped_payload_byte_is_hash_mismatch_at_k)
{
	build();
	raw_open();
	flip_payload(*k, 0);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_HASH_MISMATCH, *k);
	cr_assert_eq(rep.head.seq, *k - 1, "head is the last good record");
	cr_assert_eq(rep.events, *k - 1);
}

ParameterizedTestParameters(verify, deleted_record_is_a_gap_at_k)
{
	static uint64_t ks[] = {1, 4, N - 1};
	return cr_make_param_array(uint64_t, ks, 3);
}

ParameterizedTest(uint64_t *k, verify, deleted_record_is_a_gap_at_k)
{
	build();
	raw_open();
	del_record(*k);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_SEQ_GAP, *k);
}

Test(verify, swapped_records_are_a_problem_at_k)
{
	build();
	uint64_t k = 6;
	raw_open();
	size_t la, lb;
	uint8_t *a = get_record(k, &la), *b = get_record(k + 1, &lb);
	put_record(k, b, lb);
	put_record(k + 1, a, la);
	free(a);
	free(b);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_SEQ_MISMATCH, k);
}

ParameterizedTestParameters(verify, truncated_tail_is_reported_after_new_last)
{
	static uint64_t cut[] = {1, 3, N};
	return cr_make_param_array(uint64_t, cut, 3);
}

ParameterizedTest(uint64_t *cut, verify,
		  truncated_tail_is_reported_after_new_last)
{
	build();
	raw_open();
	for (uint64_t s = N; s > N - *cut; s--)
		del_record(s);
	raw_commit();
	svl_verify_report rep = verify_now();
	uint64_t new_last = N - *cut;
	assert_problem(&rep, SVL_VERIFY_TRUNCATED, new_last + 1);
	cr_assert_eq(rep.events, new_last);
	cr_assert_eq(rep.head.seq, new_last);
}

Test(verify, recomputed_hash_after_edit_breaks_the_next_link)
{
	build();
	uint64_t k = 4;
	raw_open();
	flip_payload(k, 1);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_BROKEN_LINK, k + 1);
	cr_assert_eq(rep.head.seq, k, "record k itself is consistent");
}

Test(verify, recomputed_hash_of_the_last_record_differs_from_the_head)
{
	build();
	raw_open();
	flip_payload(N, 1);
	raw_commit();
	svl_verify_report rep = verify_now();
	/* no next link to break: the recorded head catches it */
	assert_problem(&rep, SVL_VERIFY_TRUNCATED, N);
}

Test(verify, undecodable_record_is_reported_at_k)
{
	build();
	uint64_t k = 3;
	raw_open();
	size_t len;
	uint8_t *v = get_record(k, &len);
	v[0] = 0x94; /* an array of 4, not 15 */
	rehash(v, len);
	put_record(k, v, len);
	free(v);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_UNDECODABLE, k);
}

/* Offset of envelope field `field` (0-based) in a record. */
static size_t field_offset(const uint8_t *v, size_t len, int field)
{
	svl_mp_reader r = {v, v + len - SVL_HASH_SIZE};
	uint32_t n;
	cr_assert(svl__mp_read_array(&r, &n));
	for (int f = 0; f < field; f++)
		cr_assert(svl__mp_skip(&r, SVL_MSGPACK_DEPTH_MAX));
	return (size_t)(r.p - v);
}

/* Relink records from..N to their predecessors and rewrite the head, as
 * someone who can write the file can (XXH3 is not a seal). */
static void rechain_from(uint64_t from)
{
	size_t len;
	uint8_t *prev = get_record(from - 1, &len);
	uint8_t hash[SVL_HASH_SIZE];
	memcpy(hash, prev + len - SVL_HASH_SIZE, SVL_HASH_SIZE);
	free(prev);
	for (uint64_t s = from; s <= N; s++) {
		uint8_t *v = get_record(s, &len);
		memcpy(v + len - 2 * SVL_HASH_SIZE, hash, SVL_HASH_SIZE);
		rehash(v, len);
		memcpy(hash, v + len - SVL_HASH_SIZE, SVL_HASH_SIZE);
		put_record(s, v, len);
		free(v);
	}
	uint8_t head[8 + SVL_HASH_SIZE];
	svl_test_be64(head, N);
	memcpy(head + 8, hash, SVL_HASH_SIZE);
	MDB_val k = {4, "head"}, val = {sizeof head, head};
	cr_assert_eq(mdb_put(raw.txn, raw.meta, &k, &val, 0), MDB_SUCCESS);
}

Test(verify, recorded_time_going_back_is_reported_at_k)
{
	build();
	uint64_t k = 5;
	raw_open();
	size_t len;
	uint8_t *v = get_record(k, &len);
	size_t at = field_offset(v, len, 7); /* recorded_at */
	cr_assert_eq(v[at], 0xcf, "recorded_at of today is a uint 64");
	uint64_t ms = svl_test_get_be64(v + at + 1);
	svl_test_be64(v + at + 1, ms - 86400000); /* a day earlier */
	put_record(k, v, len);
	free(v);
	rechain_from(k);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_TIME_ORDER, k);
}

Test(verify, envelope_seq_differing_from_its_key_is_reported_at_k)
{
	build();
	uint64_t k = 5;
	raw_open();
	size_t len;
	uint8_t *v = get_record(k, &len);
	size_t at = field_offset(v, len, 1); /* seq, a positive fixint */
	cr_assert_eq(v[at], (uint8_t)k);
	v[at] = 77;
	put_record(k, v, len);
	free(v);
	rechain_from(k);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_SEQ_MISMATCH, k);
}

Test(verify, full_rewrite_of_the_chain_passes_as_documented)
{
	/* docs/format.md: XXH3 catches damage and naive edits; whoever can
	 * write the file can recompute every hash. This pins that limit so
	 * that nobody mistakes verify for a seal. */
	build();
	raw_open();
	flip_payload(3, 1);
	rechain_from(4);
	raw_commit();
	svl_verify_report rep = verify_now();
	cr_assert(rep.ok, "%s", rep.detail);
}

Test(verify, missing_head_record_is_reported_as_such_at_the_last_seq)
{
	build();
	raw_open();
	MDB_val k = {4, "head"};
	cr_assert_eq(mdb_del(raw.txn, raw.meta, &k, NULL), MDB_SUCCESS);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_NO_HEAD, N);
	cr_assert_not_null(strstr(rep.detail, "no head record"), "%s",
			   rep.detail);
	cr_assert_null(strstr(rep.detail, "truncated"), "%s", rep.detail);
	cr_assert_eq(rep.events, N, "every record itself is good");
}

Test(verify, head_record_of_the_wrong_size_is_reported)
{
	build();
	raw_open();
	MDB_val k = {4, "head"}, v = {3, "abc"};
	cr_assert_eq(mdb_put(raw.txn, raw.meta, &k, &v, 0), MDB_SUCCESS);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_NO_HEAD, N);
}

Test(verify, empty_ledger_without_a_head_record_is_ok)
{
	/* docs/format.md: the head is written by the first append */
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log);
	svl_log_close(log);
	raw_open();
	MDB_val k = {4, "head"}, v;
	cr_assert_eq(mdb_get(raw.txn, raw.meta, &k, &v), MDB_NOTFOUND,
		     "a new ledger has no head record");
	raw_commit();
	svl_verify_report rep = verify_now();
	cr_assert(rep.ok, "%s", rep.detail);
}

/* ---- the canonical encoding ---- */

/* How a test re-encodes one element longer than its shortest form. */
typedef struct longer {
	int field;        /* envelope field, or -1: the array header */
	uint8_t how;      /* the msgpack type byte of the longer form */
	char name[24];    /* the element verify names (no pointers: each
			   * parameter reaches a test in another process) */
} longer;

/* The element at v[at..] (one item, not the payload) re-encoded as
 * `how`, into out; returns its length. */
static size_t reencode(const uint8_t *v, size_t at, size_t end, uint8_t how,
		       uint8_t *out)
{
	svl_mp_reader r = {v + at, v + end};
	svl_mp_item it;
	cr_assert(svl__mp_next(&r, &it));
	size_t n = 0;
	out[n++] = how;
	switch (how) {
	case 0xcc: out[n++] = (uint8_t)it.u; break;
	case 0xcf:
	case 0xd3: svl_test_be64(out + n, it.u); n += 8; break;
	case 0xd2:
		for (int i = 3; i >= 0; i--)
			out[n++] = (uint8_t)(it.u >> (8 * i));
		break;
	case 0xd9: out[n++] = (uint8_t)it.len; break;
	case 0xc5:
	case 0xda:
		out[n++] = 0;
		out[n++] = (uint8_t)it.len;
		break;
	case 0xdc: out[n++] = 0; out[n++] = (uint8_t)it.len; return n;
	default: cr_assert_fail("no such form %02x", how);
	}
	if (it.ptr) {
		memcpy(out + n, it.ptr, it.len);
		n += it.len;
	}
	return n;
}

/* Record k with one element in a longer form, its hash and every later
 * link recomputed and the head rewritten: a consistent chain whose only
 * fault is the encoding. */
static void make_longer(uint64_t k, const longer *l)
{
	size_t len;
	uint8_t *v = get_record(k, &len);
	size_t at = l->field < 0 ? 0 : field_offset(v, len, l->field);
	size_t end = l->field < 0 ? 1 : field_offset(v, len, l->field + 1);
	if (l->field == 14)
		end = len - SVL_HASH_SIZE;
	uint8_t elem[64];
	size_t n = reencode(v, at, len - SVL_HASH_SIZE, l->how, elem);
	cr_assert_gt(n, end - at, "the longer form is longer");
	size_t nlen = len - (end - at) + n;
	uint8_t *nv = malloc(nlen);
	memcpy(nv, v, at);
	memcpy(nv + at, elem, n);
	memcpy(nv + at + n, v + end, len - end);
	rehash(nv, nlen);
	put_record(k, nv, nlen);
	free(nv);
	free(v);
	rechain_from(k + 1);
}

ParameterizedTestParameters(verify, longer_encoding_is_not_canonical_at_k)
{
	static longer cases[] = {
	    {-1, 0xdc, "the array header"}, {0, 0xcc, "format"},
	    {1, 0xcf, "seq"},		    {2, 0xd9, "stream"},
	    {3, 0xd3, "stream_version"},    {4, 0xd2, "type"},
	    {5, 0xd3, "schema_version"},    {8, 0xc5, "id"},
	    {10, 0xda, "role"},		    {14, 0xc5, "prev_hash"}};
	return cr_make_param_array(longer, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(longer *l, verify, longer_encoding_is_not_canonical_at_k)
{
	build();
	uint64_t k = 6;
	raw_open();
	make_longer(k, l);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_NOT_CANONICAL, k);
	cr_assert_not_null(strstr(rep.detail, "not canonical"), "%s",
			   rep.detail);
	cr_assert_not_null(strstr(rep.detail, l->name), "names %s: %s",
			   l->name, rep.detail);
	cr_assert_eq(rep.head.seq, k - 1, "head is the last good record");
}

Test(verify, readers_refuse_a_non_canonical_record_with_verifys_words)
{
	/* export reads through the iterator: one check, one message */
	build();
	uint64_t k = N;
	longer l = {5, 0xcf, "schema_version"};
	raw_open();
	make_longer(k, &l);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_NOT_CANONICAL, k);
	svl_log *log = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log, k, 0, &it), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_ECORRUPT);
	cr_assert_str_eq(svl_log_errmsg(log), rep.detail);
	svl_iter_close(it);
	svl_log_close(log);
}

/* ---- the stream index ---- */

Test(verify, extra_entry_in_stream_index_names_its_seq)
{
	build();
	raw_open();
	uint8_t key[KEY_MAX];
	size_t kl = svl_test_stream_key(key, "ghost", 1);
	put_index(raw.streams, key, kl, 4);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_STREAM_INDEX, 4);
	assert_detail(&rep, "the entry for stream 'ghost' version 1 names "
			    "seq 4, which is another event");
	assert_detail(&rep, "the index holds 11 entries for 10 records");
}

Test(verify, extra_version_of_a_real_stream_names_its_seq)
{
	build();
	raw_open();
	uint8_t key[KEY_MAX];
	/* "a" has versions 1..5: a sixth that points at seq 6 (a "b") */
	size_t kl = svl_test_stream_key(key, "a", version_at(N - 1) + 1);
	put_index(raw.streams, key, kl, 6);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_STREAM_INDEX, 6);
}

Test(verify, missing_entry_in_stream_index_names_its_seq)
{
	build();
	uint64_t k = 5; /* "a" version 3 */
	raw_open();
	uint8_t key[KEY_MAX];
	size_t kl = svl_test_stream_key(key, stream_of[k], version_at(k));
	del_index(raw.streams, key, kl);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_STREAM_INDEX, k);
	assert_detail(&rep, "no entry for stream 'a' version 3");
	assert_detail(&rep, "the index holds 9 entries for 10 records");
}

Test(verify, missing_last_entry_of_a_stream_names_its_seq)
{
	build();
	uint64_t k = 8; /* "c" version 2, its last */
	raw_open();
	uint8_t key[KEY_MAX];
	size_t kl = svl_test_stream_key(key, stream_of[k], version_at(k));
	del_index(raw.streams, key, kl);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_STREAM_INDEX, k);
}

Test(verify, wrong_entry_in_stream_index_names_its_seq)
{
	build();
	uint64_t k = 7; /* "a" version 4 */
	raw_open();
	uint8_t key[KEY_MAX];
	size_t kl = svl_test_stream_key(key, stream_of[k], version_at(k));
	put_index(raw.streams, key, kl, 9);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_STREAM_INDEX, k);
	assert_detail(&rep, "the entry for stream 'a' version 4 names seq 9");
	assert_detail(&rep, "the index holds 10 entries for 10 records");
}

Test(verify, stream_version_jump_names_the_key_and_real_counts)
{
	/* an entry moved to a later version: every record's own key is
	 * missing or present, and the versions no longer run 1, 2, 3 */
	build();
	uint64_t k = 9; /* "a" version 5, its last */
	raw_open();
	uint8_t key[KEY_MAX];
	size_t kl = svl_test_stream_key(key, "a", version_at(k));
	del_index(raw.streams, key, kl);
	kl = svl_test_stream_key(key, "a", version_at(k) + 2);
	put_index(raw.streams, key, kl, k);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_STREAM_INDEX, k);
	assert_detail(&rep, "no entry for stream 'a' version 5");
	assert_detail(&rep, "the index holds 10 entries for 10 records");
}

Test(verify, stream_index_entry_naming_a_seq_past_the_log_is_reported)
{
	build();
	raw_open();
	uint8_t key[KEY_MAX];
	size_t kl = svl_test_stream_key(key, "ghost", 1);
	put_index(raw.streams, key, kl, 999);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_STREAM_INDEX, 999);
}

/* ---- the id index ---- */

Test(verify, extra_entry_in_id_index_names_its_seq)
{
	build();
	raw_open();
	uint8_t id[SVL_ID_SIZE];
	svl_test_id(id, 555, 1);
	put_index(raw.ids, id, SVL_ID_SIZE, 4);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_ID_INDEX, 4);
}

Test(verify, missing_entry_in_id_index_names_its_seq)
{
	build();
	uint64_t k = 6;
	raw_open();
	uint8_t id[SVL_ID_SIZE];
	svl_test_id(id, 100, k);
	del_index(raw.ids, id, SVL_ID_SIZE);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_ID_INDEX, k);
	char want[64] = "no entry for id ";
	for (int i = 0; i < SVL_ID_SIZE; i++)
		snprintf(want + 16 + 2 * i, 3, "%02x", id[i]);
	assert_detail(&rep, want);
	assert_detail(&rep, "the index holds 9 entries for 10 records");
}

Test(verify, wrong_entry_in_id_index_names_its_seq)
{
	build();
	uint64_t k = 6;
	raw_open();
	uint8_t id[SVL_ID_SIZE];
	svl_test_id(id, 100, k);
	put_index(raw.ids, id, SVL_ID_SIZE, k + 1);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_ID_INDEX, k);
}

Test(verify, id_index_entry_naming_a_seq_past_the_log_is_reported)
{
	build();
	raw_open();
	uint8_t id[SVL_ID_SIZE];
	svl_test_id(id, 555, 2);
	put_index(raw.ids, id, SVL_ID_SIZE, 999);
	raw_commit();
	svl_verify_report rep = verify_now();
	assert_problem(&rep, SVL_VERIFY_ID_INDEX, 999);
}

/* ---- verify beside a writer ---- */

struct appender {
	svl_log *log;
	volatile int done;
	int rc, batches;
};

static void *append_main(void *p)
{
	struct appender *a = p;
	for (int b = 0; b < a->batches && a->rc == SVL_OK; b++) {
		uint8_t bufs[20][16];
		svl_event_in ev[20];
		for (int i = 0; i < 20; i++)
			ev[i] = svl_test_event(i % 2 ? "a" : "z", bufs[i], i);
		a->rc = svl_log_append(a->log, ev, 20, NULL);
	}
	a->done = 1;
	return NULL;
}

Test(verify, verify_while_another_thread_appends_is_ok)
{
	/* appends land between verify's snapshots: none of them may look
	 * like a damaged log */
	build();
	svl_log *log = svl_test_open(dir, SVL_LOG_NOSYNC, 0);
	cr_assert_not_null(log);
	struct appender a = {log, 0, SVL_OK, 150};
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, append_main, &a), 0);
	int runs = 0;
	while (!a.done || runs < 3) {
		svl_verify_report rep;
		cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
		cr_assert(rep.ok, "verify %d: %s", runs, rep.detail);
		cr_assert_geq(rep.events, N);
		runs++;
	}
	pthread_join(th, NULL);
	cr_assert_eq(a.rc, SVL_OK, "%s", svl_log_errmsg(log));
	svl_log_close(log);
}

/* ---- what verify does not do ---- */

Test(verify, verify_changes_nothing)
{
	build();
	svl_verify_report a = verify_now(), b = verify_now();
	cr_assert(a.ok && b.ok);
	cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
}
