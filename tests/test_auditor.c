/*
 * test_auditor.c - `svcledger verify` against an auditor's own check
 * (tests/auditor_check.py, written from docs/format.md alone), on a clean
 * ledger and on each kind of damage: a record re-encoded in a longer form
 * with its chain recomputed, a damaged B-tree branch key, index damage, a
 * cut tail, a missing head, and a page damaged so that liblmdb aborts.
 * Both must pass the clean ledger and fail the others at the same seq with
 * the same problem; verify must say so in one stderr line, exit 4, and
 * agree with export about non-canonical records.
 *
 * Page damage edits bytes of data.mdb by LMDB's own page layout (mdb.c,
 * 64-bit: a 16-byte page header, then 2-byte node offsets; a node is lo,
 * hi, flags, key size (2 bytes each, little-endian), key, data), reached
 * from the newer meta page, so that the live page is the one damaged.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "fixture.h"
#include "mp.h"

#define last svl_cli_last
#define run svl_cli_run

enum { N = 300, BATCH = 50 };

static char ledger[4200];

static void setup(void)
{
	svl_cli_setup();
	snprintf(ledger, sizeof ledger, "%s/L", svl_cli_dir());
}

TestSuite(auditor, .init = setup, .fini = svl_cli_teardown);

/* N events over 23 streams in batches: several leaf pages under a branch
 * root in `events`. */
static void build(void)
{
	svl_log *log = svl_test_open(ledger, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	static char streams[N][16];
	for (uint64_t s = 1; s <= N; s += BATCH) {
		uint8_t bufs[BATCH][16];
		svl_event_in ev[BATCH];
		for (size_t i = 0; i < BATCH; i++) {
			uint64_t seq = s + i;
			snprintf(streams[seq - 1], 16, "part-%02llu",
				 (unsigned long long)(seq % 23));
			ev[i] = svl_test_event(streams[seq - 1], bufs[i],
					       (int64_t)seq);
			svl_test_id(ev[i].id, 7, seq);
		}
		cr_assert_eq(svl_log_append(log, ev, BATCH, NULL), SVL_OK, "%s",
			     svl_log_errmsg(log));
	}
	svl_log_close(log);
}

/* ---- the two verifiers ---- */

static int have_python(void)
{
	int st;
	free(svl_test_shell("command -v python3 >/dev/null 2>&1", &st));
	if (st != 0) {
		fprintf(stderr, "\n*** test_auditor: skipped: python3 missing "
				"***\n\n");
		cr_skip_test("skipped: python3 missing");
	}
	return 1;
}

/* The auditor's output (stdout and stderr) and exit status. */
static char *auditor(int *status)
{
	char here[4096], cmd[8800];
	snprintf(here, sizeof here, "%s", __FILE__);
	char *slash = strrchr(here, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(here, sizeof here, ".");
	snprintf(cmd, sizeof cmd, "python3 '%s/auditor_check.py' '%s' 2>&1",
		 here, ledger);
	char *out = svl_test_shell(cmd, status);
	cr_assert_not_null(out);
	return out;
}

/* Both fail at seq with problem: verify in one stderr line, exit 4. */
static void both_fail(uint64_t seq, const char *problem)
{
	have_python();
	char want[256];
	cr_assert_eq(run("verify -d L"), 4, "verify missed it: %s%s", last.out,
		     last.err);
	snprintf(want, sizeof want, "svcledger: verify: FAILED at seq %llu: %s: ",
		 (unsigned long long)seq, problem);
	cr_assert(strncmp(last.err, want, strlen(want)) == 0, "want '%s' in %s",
		  want, last.err);
	cr_assert_eq(svl_cli_lines(last.err), 1, "one line: %s", last.err);
	cr_assert_str_eq(last.out, "", "nothing on stdout");
	int st;
	char *out = auditor(&st);
	snprintf(want, sizeof want, "auditor: FAILED at seq %llu: %s: ",
		 (unsigned long long)seq, problem);
	cr_assert_eq(st, 1, "the auditor missed it (%d): %s", st, out);
	cr_assert(svl_cli_has(out, want), "want '%s' in %s", want, out);
	free(out);
}

Test(auditor, agrees_with_verify_on_a_clean_ledger)
{
	have_python();
	build();
	cr_assert_eq(run("verify -d L"), 0, "%s", last.err);
	cr_assert_str_eq(last.err, "");
	const char *hash = strstr(last.out, "hash ");
	cr_assert_not_null(hash, "%s", last.out);
	int st;
	char *out = auditor(&st);
	cr_assert_eq(st, 0, "%s", out);
	char want[128];
	snprintf(want, sizeof want, "ok: %d records, head seq %d hash %.32s", N,
		 N, hash + 5);
	cr_assert(svl_cli_has(out, want), "want '%s' in %s", want, out);
	free(out);
}

Test(auditor, agrees_with_verify_on_an_empty_ledger_without_a_head)
{
	have_python();
	svl_log *log = svl_test_open(ledger, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log);
	svl_log_close(log);
	cr_assert_eq(run("verify -d L"), 0, "%s", last.err);
	int st;
	char *out = auditor(&st);
	cr_assert_eq(st, 0, "%s", out);
	free(out);
}

/* ---- raw edits through LMDB's API ---- */

static svl_test_raw raw;

static void raw_open(void)
{
	cr_assert_eq(svl_test_raw_begin(&raw, ledger, 1), MDB_SUCCESS);
}

static void raw_commit(void)
{
	cr_assert_eq(svl_test_raw_end(&raw, 1), MDB_SUCCESS);
}

/* Relink records from..N and rewrite the head, as whoever can write the
 * file can. */
static void rechain_from(uint64_t from)
{
	size_t len;
	uint8_t *v = svl_test_raw_get(&raw, from - 1, &len);
	uint8_t hash[SVL_HASH_SIZE];
	memcpy(hash, v + len - SVL_HASH_SIZE, SVL_HASH_SIZE);
	free(v);
	for (uint64_t s = from; s <= N; s++) {
		v = svl_test_raw_get(&raw, s, &len);
		memcpy(v + len - 2 * SVL_HASH_SIZE, hash, SVL_HASH_SIZE);
		svl_test_rehash(v, len);
		memcpy(hash, v + len - SVL_HASH_SIZE, SVL_HASH_SIZE);
		cr_assert_eq(svl_test_raw_put(&raw, s, v, len), MDB_SUCCESS);
		free(v);
	}
	uint8_t head[8 + SVL_HASH_SIZE];
	svl_test_be64(head, N);
	memcpy(head + 8, hash, SVL_HASH_SIZE);
	MDB_val k = {4, "head"}, val = {sizeof head, head};
	cr_assert_eq(mdb_put(raw.txn, raw.meta, &k, &val, 0), MDB_SUCCESS);
}

/* Record k's schema_version (a positive fixint) as a uint 64: the same
 * value in a longer form, with its hash and every later link recomputed. */
static void lengthen_schema_version(uint64_t k)
{
	size_t len;
	uint8_t *v = svl_test_raw_get(&raw, k, &len);
	svl_mp_reader r = {v, v + len - SVL_HASH_SIZE};
	uint32_t n;
	cr_assert(svl__mp_read_array(&r, &n));
	for (int f = 0; f < 5; f++)
		cr_assert(svl__mp_skip(&r, SVL_MSGPACK_DEPTH_MAX));
	size_t at = (size_t)(r.p - v);
	cr_assert_lt(v[at], 0x80, "schema_version is a positive fixint");
	uint8_t *nv = malloc(len + 8);
	memcpy(nv, v, at);
	nv[at] = 0xcf;
	svl_test_be64(nv + at + 1, v[at]);
	memcpy(nv + at + 9, v + at + 1, len - at - 1);
	svl_test_rehash(nv, len + 8);
	cr_assert_eq(svl_test_raw_put(&raw, k, nv, len + 8), MDB_SUCCESS);
	free(nv);
	free(v);
	rechain_from(k + 1);
}

Test(auditor, non_canonical_record_fails_verify_export_and_the_auditor_alike)
{
	build();
	uint64_t k = 123;
	raw_open();
	lengthen_schema_version(k);
	raw_commit();
	both_fail(k, "not canonical");
	/* export refuses it with verify's own words */
	char detail[512];
	const char *d = strstr(last.err, "not canonical: ") + 15;
	snprintf(detail, sizeof detail, "%s", d);
	cr_assert_eq(run("verify -d L"), 4);
	cr_assert_eq(run("export -d L -o x.ndjson"), 4, "%s", last.err);
	char want[600];
	snprintf(want, sizeof want, "svcledger: export: %s", detail);
	cr_assert_str_eq(last.err, want);
	cr_assert(svl_cli_has(detail, "not canonical"), "%s", detail);
}

Test(auditor, deleted_stream_index_entry_fails_both_at_its_seq)
{
	build();
	uint64_t k = 77;
	char stream[16];
	snprintf(stream, sizeof stream, "part-%02llu",
		 (unsigned long long)(k % 23));
	uint64_t version = 0;
	for (uint64_t s = 1; s <= k; s++)
		version += s % 23 == k % 23;
	uint8_t key[1 + SVL_STREAM_MAX + 8];
	size_t kl = svl_test_stream_key(key, stream, version);
	raw_open();
	MDB_val mk = {kl, key}, mv;
	cr_assert_eq(mdb_get(raw.txn, raw.streams, &mk, &mv), MDB_SUCCESS);
	cr_assert_eq(svl_test_get_be64(mv.mv_data), k, "the key of seq k");
	cr_assert_eq(mdb_del(raw.txn, raw.streams, &mk, NULL), MDB_SUCCESS);
	raw_commit();
	both_fail(k, "stream index disagrees");
	cr_assert(svl_cli_has(last.err, "(the index holds 299 entries for 300 "
					"records)"),
		  "%s", last.err);
}

Test(auditor, wrong_id_index_entry_fails_both_at_its_seq)
{
	build();
	uint64_t k = 200;
	uint8_t id[SVL_ID_SIZE], v[8];
	svl_test_id(id, 7, k);
	svl_test_be64(v, k + 1);
	raw_open();
	MDB_val mk = {SVL_ID_SIZE, id}, mv = {8, v};
	cr_assert_eq(mdb_put(raw.txn, raw.ids, &mk, &mv, 0), MDB_SUCCESS);
	raw_commit();
	both_fail(k, "idempotency index disagrees");
}

Test(auditor, cut_tail_fails_both_after_the_new_last_record)
{
	build();
	raw_open();
	for (uint64_t s = N; s > N - 3; s--)
		cr_assert_eq(svl_test_raw_del(&raw, s), MDB_SUCCESS);
	raw_commit();
	both_fail(N - 2, "truncated tail");
}

Test(auditor, missing_head_fails_both_as_no_head_not_as_a_cut_tail)
{
	build();
	raw_open();
	MDB_val k = {4, "head"};
	cr_assert_eq(mdb_del(raw.txn, raw.meta, &k, NULL), MDB_SUCCESS);
	raw_commit();
	both_fail(N, "no recorded head");
}

/* ---- page damage ---- */

static uint8_t *file;
static size_t file_len;

static void file_load(void)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/data.mdb", ledger);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	file_len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	file = malloc(file_len);
	cr_assert_eq(fread(file, 1, file_len, f), file_len);
	fclose(f);
}

static void file_save(void)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/data.mdb", ledger);
	FILE *f = fopen(path, "r+b");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(file, 1, file_len, f), file_len);
	fclose(f);
	free(file);
	file = NULL;
}

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

enum { PAGE_HDR = 16, META = 16, DB_SIZE = 48, DB_ROOT = 40, P_BRANCH = 1,
       P_LEAF = 2 };

static size_t psize;

static uint8_t *page(uint64_t pgno)
{
	cr_assert_lt((pgno + 1) * psize, file_len + 1, "page %llu",
		     (unsigned long long)pgno);
	return file + pgno * psize;
}

static unsigned nkeys(const uint8_t *p)
{
	return (unsigned)(le(p + 12, 2) - PAGE_HDR) / 2;
}

static uint8_t *node(uint8_t *p, unsigned i)
{
	return p + le(p + PAGE_HDR + 2 * i, 2);
}

static uint64_t child(const uint8_t *nd)
{
	return le(nd, 2) | le(nd + 2, 2) << 16 | le(nd + 4, 2) << 32;
}

/* The root page of `events`, found from the newer meta page through the
 * main database (one leaf: a log alone has four named databases). */
static uint8_t *events_root(void)
{
	const uint8_t *m0 = file + META, *m1 = file + 4096 + META;
	psize = (size_t)le(m0 + 24, 4); /* the free DB's md_pad */
	const uint8_t *m = le(m1 + 128, 8) > le(m0 + 128, 8) ? m1 : m0;
	uint8_t *main_root = page(le(m + 24 + DB_SIZE + DB_ROOT, 8));
	cr_assert_eq(le(main_root + 10, 2) & P_LEAF, P_LEAF);
	for (unsigned i = 0; i < nkeys(main_root); i++) {
		uint8_t *nd = node(main_root, i);
		if (le(nd + 6, 2) == 6 && memcmp(nd + 8, "events", 6) == 0)
			return page(le(nd + 8 + 6 + DB_ROOT, 8));
	}
	cr_assert_fail("no events database");
	return NULL;
}

/* The events root is a branch over leaves; its node i >= 1 holds the
 * first key of leaf i. */
static uint8_t *events_branch(void)
{
	uint8_t *root = events_root();
	cr_assert_eq(le(root + 10, 2) & P_BRANCH, P_BRANCH,
		     "N events make a branch root");
	cr_assert_geq(nkeys(root), 4);
	return root;
}

Test(auditor, damaged_branch_key_fails_both_where_lookups_go_astray)
{
	build();
	file_load();
	uint8_t *nd = node(events_branch(), 2);
	cr_assert_eq(le(nd + 6, 2), 8, "an 8-byte seq key");
	uint64_t first = svl_test_get_be64(nd + 8);
	svl_test_be64(nd + 8, first + 3); /* first..first+2 routed left */
	file_save();
	both_fail(first, "lookup by key misses the record");
	/* the library says the same */
	svl_log *log = svl_test_open(ledger, SVL_LOG_RDONLY, 0);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	svl_log_close(log);
	cr_assert_eq(rep.problem, SVL_VERIFY_LOOKUP, "%s", rep.detail);
	cr_assert_eq(rep.bad_seq, first);
	cr_assert_eq(rep.head.seq, first - 1);
	/* and a read from that seq never hands out an earlier record */
	cr_assert_eq(svl_cli_run("log -d %s --from %llu --limit 1 --json",
				 ledger, (unsigned long long)first + 1),
		     4, "%s%s", svl_cli_last.out, svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.err, "B-tree is damaged"), "%s",
		  svl_cli_last.err);
}

Test(auditor, branch_key_lowered_into_the_leaf_before_names_its_first_lost)
{
	build();
	file_load();
	uint8_t *nd = node(events_branch(), 2);
	uint64_t first = svl_test_get_be64(nd + 8);
	svl_test_be64(nd + 8, first - 3); /* first-3..first-1 routed right */
	file_save();
	both_fail(first - 3, "lookup by key misses the record");
}

Test(auditor, page_that_makes_lmdb_abort_is_exit_4_and_one_line)
{
	build();
	file_load();
	uint8_t *root = events_branch();
	uint64_t after = svl_test_get_be64(node(root, 2) + 8) - 1;
	uint8_t *leaf = page(child(node(root, 2)));
	cr_assert_eq(le(leaf + 10, 2), P_LEAF);
	leaf[10] = P_BRANCH; /* mdb_cursor_next asserts IS_LEAF on entering */
	file_save();
	cr_assert_eq(run("verify -d L"), 4, "%s%s", last.out, last.err);
	char want[160];
	snprintf(want, sizeof want,
		 "svcledger: verify: the ledger's B-tree is damaged: reading "
		 "stopped after seq %llu (LMDB aborted: SIGABRT",
		 (unsigned long long)after);
	cr_assert(strncmp(last.err, want, strlen(want)) == 0, "want '%s' in %s",
		  want, last.err);
	cr_assert(svl_cli_has(last.err, "IS_LEAF"), "%s", last.err);
	cr_assert_eq(svl_cli_lines(last.err), 1, "one line: %s", last.err);
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("verify -d L --json"), 4);
	cr_assert_eq(svl_cli_lines(last.err), 1, "one line: %s", last.err);
	have_python();
	int st;
	char *out = auditor(&st);
	cr_assert_eq(st, 1, "the auditor cannot read it either: %s", out);
	cr_assert(svl_cli_has(out, "auditor: FAILED"), "%s", out);
	free(out);
}
