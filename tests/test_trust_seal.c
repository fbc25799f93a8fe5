/*
 * test_trust_seal.c - period seals against an insider who can write the
 * ledger's files (docs/trust.md "Verifying"): `svcledger verify --seals
 * FILE --trust KEY...` fails with exit 4 and one stderr line naming the
 * first bad seq range, for
 *
 *   - a payload edited with the XXH3 chain and head recomputed;
 *   - a history rewritten to a consistent head (seal events cut away);
 *   - a tail rolled back through the meta page or cut (a seal, or its
 *     event, reaching past the head);
 *   - a seal removed from the middle of the seal file;
 *   - a seal signed by an unregistered, a revoked or an untrusted key;
 *
 * while plain `verify` (the chain and the ledger's own seal events) says
 * what it can: OK where only the seal file can tell, or the ledger's own
 * seal where that still stands. The forgeries are tests/forge.c's; the
 * forged seal-file lines are signed here with the real seal text
 * (svl__seal_text), so that only the check under test can refuse them.
 *
 * Ledgers come from the deterministic demo, run with the release tool for
 * speed: --days 35 seals July; --days 62 seals July and August. Every
 * range asserted is read from the seal file the tool wrote, not assumed.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "fixture.h"
#include "forge.h"
#include "harness.h"
#include "seals_int.h"

#define last svl_cli_last
#define run svl_cli_run

TestSuite(trust_seal, .init = svl_cli_setup, .fini = svl_cli_teardown,
	  .timeout = 300);

/* 2026-10-01T00:00:00+08:00: keys rotate from here (after all demo data). */
#define ROTATE_MS INT64_C(1790784000000)
#define SEALS_MAX 8
#define TRUST_E001 "--trust D/keys/E001.key.pub"

typedef struct sealfile {
	svl_seal s[SEALS_MAX];
	size_t n;
} sealfile;

/* ---- the ledger and its files ---- */

/* The demo ledger D in the test's directory, `days` long. */
static void demo(int days)
{
	char d[16];
	int code;
	snprintf(d, sizeof d, "%d", days);
	svl_h_res r = {0, NULL, NULL};
	if (svl_h_tool_rel()) {
		code = svl_h_run(&r, svl_cli_dir(), NULL, "demo", "-d", "D",
				 "--days", d, "--quiet", (char *)NULL);
		cr_assert_eq(code, 0, "demo: %s", r.err);
		svl_h_res_free(&r);
		return;
	}
	code = run("demo -d D --days %d --quiet", days);
	cr_assert_eq(code, 0, "demo: %s", last.err);
}

/* Absolute path of name in the test's directory (the last four results
 * stay valid: the forgeries and key loads take absolute paths). */
static const char *at(const char *name)
{
	static char p[4][4200];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", svl_cli_dir(), name);
	return p[k];
}

static char *slurp(const char *name)
{
	char *b = svl_h_slurp(at(name), NULL);
	cr_assert_not_null(b, "cannot read %s", name);
	return b;
}

/* The seals of the seal file `name`, parsed. */
static void load_seals(const char *name, sealfile *f)
{
	char *buf = slurp(name), err[256];
	f->n = 0;
	for (char *p = buf, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		cr_assert_not_null(nl, "%s: last line without newline", name);
		cr_assert_lt(f->n, SEALS_MAX);
		cr_assert_eq(svl_seal_from_json(&f->s[f->n++], p,
						(size_t)(nl - p), err,
						sizeof err),
			     SVL_OK, "%s: %s", name, err);
	}
	free(buf);
}

static void save_seals(const char *name, const svl_seal *s, size_t n)
{
	char *buf = malloc(n * 1024 + 1);
	size_t len = 0;
	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++) {
		len += svl_seal_to_json(&s[i], buf + len, 1023);
		buf[len++] = '\n';
	}
	cr_assert_eq(svl_h_spit(at(name), buf, len), 0);
	free(buf);
}

static uint64_t head_seq(void)
{
	char h[64];
	svl_cli_head("D", h);
	return strtoull(h, NULL, 10);
}

/* Append NDJSON lines to D with the tool. */
static void append(const char *ndjson)
{
	svl_cli_write("in.ndjson", ndjson);
	cr_assert_eq(run("append -d D in.ndjson"), 0, "append: %s", last.err);
}

/* Seal D with `key` and extra options; the new seal from the file. */
static svl_seal seal_ok(const char *key, const char *opts)
{
	sealfile f;
	cr_assert_eq(run("seal -d D --key %s %s", key, opts), 0, "seal: %s",
		     last.err);
	load_seals("D/seals.ndjson", &f);
	return f.s[f.n - 1];
}

/* `seal` with key exits `code` naming `why`, and writes neither the
 * ledger nor the seal file. */
static void seal_refused(const char *key, const char *opts, int code,
			 const char *why)
{
	char h0[64], h1[64], err[1024];
	char *f0 = slurp("D/seals.ndjson");
	svl_cli_head("D", h0);
	int got = run("seal -d D --key %s %s", key, opts);
	snprintf(err, sizeof err, "%s%s", last.out, last.err);
	svl_cli_head("D", h1);
	char *f1 = slurp("D/seals.ndjson");
	int same_file = strcmp(f0, f1) == 0;
	free(f0);
	free(f1);
	cr_assert_eq(got, code, "exit %d (want %d): %s", got, code, err);
	cr_assert(svl_cli_has(err, why), "want: %s\ngot:  %s", why, err);
	cr_assert_str_eq(h1, h0, "a refused seal changed the ledger");
	cr_assert(same_file, "a refused seal wrote the seal file");
}

/* A fresh key pair NAME.key / NAME.key.pub; its public key in hex. */
static void keygen(const char *name, char hex[65])
{
	cr_assert_eq(run("keygen --out %s.key", name), 0, "%s", last.err);
	cr_assert(strlen(last.out) > 64 && last.out[64] == '\n', "%s",
		  last.out);
	memcpy(hex, last.out, 64);
	hex[64] = '\0';
}

/* Sign s again as the forger holding key file `key` (its public key
 * replaces the seal's): a seal line that verifies on its own. */
static void resign(svl_seal *s, const char *key)
{
	svl_keypair k;
	svl__seal_fields f;
	svl__text t = {NULL, 0, 0, 0};
	char err[512];
	cr_assert_eq(svl__sodium(), SVL_OK);
	cr_assert_eq(svl_key_load(&k, at(key), err, sizeof err), SVL_OK, "%s",
		     err);
	memcpy(s->public_key, k.public_key, SVL_PUBLIC_KEY_SIZE);
	svl__seal_fields_of(s, &f);
	cr_assert_eq(svl__seal_text(&f, &t), SVL_OK);
	crypto_sign_detached(s->signature, NULL, (const unsigned char *)t.p,
			     t.len, k.secret_key);
	svl__text_free(&t);
	svl_keypair_wipe(&k);
}

/* ---- what verify says ---- */

static void verify_ok(const char *args)
{
	cr_assert_eq(run("verify -d D %s", args), 0, "verify %s: exit %d: %s",
		     args, last.code, last.err);
	cr_assert(svl_cli_has(last.out, "OK: "), "%s", last.out);
}

/* The last run failed verification (exit 4) on one stderr line naming
 * seq from..to, the evidence `who` that failed, and the problem. */
static void failed_at(uint64_t from, uint64_t to, const char *who,
		      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void failed_at(uint64_t from, uint64_t to, const char *who,
		      const char *fmt, ...)
{
	char problem[400], want[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	snprintf(want, sizeof want,
		 "svcledger: verify: FAILED at seq %llu..%llu: %s: %s",
		 (unsigned long long)from, (unsigned long long)to, who,
		 problem);
	cr_assert_eq(last.code, 4, "exit %d (want 4): %s", last.code, last.err);
	cr_assert(svl_cli_has(last.err, want), "want: %s\ngot:  %s", want,
		  last.err);
	cr_assert_eq(svl_cli_lines(last.err), 1, "%s", last.err);
}

#define SEAL_FILE "seal file"
#define OWN "the ledger's seals and signatures"

/* "N seal(s), seq 1..T sealed, last by E001 at " for the report lines. */
static void sealed_line(char *out, size_t cap, const char *lead, size_t n,
			uint64_t to)
{
	snprintf(out, cap, "%s%zu seal%s, seq 1..%llu sealed, last by E001 at ",
		 lead, n, n == 1 ? "" : "s", (unsigned long long)to);
}

/* ---- the tests ---- */

Test(trust_seal, untouched_ledger_passes_with_its_seal_file_R_SEAL_1)
{
	sealfile f;
	char own[200], file[200], rest[100];
	demo(62);
	load_seals("D/seals.ndjson", &f);
	cr_assert_eq(f.n, 2, "the demo seals July and August");
	cr_assert_str_eq(f.s[0].period, "2026-07");
	cr_assert_str_eq(f.s[1].period, "2026-08");
	cr_assert_eq(f.s[1].from_seq, f.s[0].to_seq + 1);
	uint64_t head = head_seq(), to = f.s[1].to_seq;
	verify_ok("--seals D/seals.ndjson " TRUST_E001);
	sealed_line(own, sizeof own, "seals in the ledger: ", 2, to);
	sealed_line(file, sizeof file, "seal file, trusted keys: OK: ", 2, to);
	snprintf(rest, sizeof rest, "; %llu events after it not sealed\n",
		 (unsigned long long)(head - to));
	cr_assert(svl_cli_has(last.out, own), "want %s: %s", own, last.out);
	cr_assert(svl_cli_has(last.out, file), "want %s: %s", file, last.out);
	cr_assert(svl_cli_has(last.out, rest), "want %s: %s", rest, last.out);
	cr_assert_str_eq(last.err, "");
}

/* A July payment of 1225.40 recorded as 1125.40 (msgpack uint32, same
 * width): seq 2953 of the 35-day demo. */
#define JULY_SEQ 2953
#define JULY_WAS "amount_fen\xce\x00\x01\xde\xac"
#define JULY_NOW "amount_fen\xce\x00\x01\xb7\x9c"

static void forge_july_payment(void)
{
	char err[512];
	cr_assert_eq(forge_replace_in_record(at("D"), JULY_SEQ, JULY_WAS,
					     JULY_NOW, sizeof JULY_WAS - 1, err,
					     sizeof err),
		     0, "forge: %s", err);
}

Test(trust_seal,
     edited_payload_with_recomputed_chain_fails_at_its_seal_R_SEAL_1)
{
	sealfile f;
	demo(35);
	load_seals("D/seals.ndjson", &f);
	cr_assert_eq(f.n, 1);
	uint64_t to = f.s[0].to_seq;
	cr_assert_lt(JULY_SEQ, to, "the edited record is in the sealed July");
	forge_july_payment();
	/* The chain holds; the ledger's own July seal event does not. */
	run("verify -d D");
	failed_at(1, to, OWN,
		  "records 1..%llu changed after they were sealed by E001 "
		  "(their digest is not the seal's)",
		  (unsigned long long)to);
	/* The seal file names the same range on its own (--json shows it);
	 * the stderr line still reports the ledger's evidence first. */
	run("verify -d D --json --seals D/seals.ndjson " TRUST_E001);
	failed_at(1, to, OWN, "records 1..%llu changed after",
		  (unsigned long long)to);
	json_t *v = svl_cli_json(), *sf = json_object_get(v, "seal_file");
	cr_assert(json_is_false(json_object_get(v, "ok")), "%s", last.out);
	cr_assert_eq(json_integer_value(json_object_get(sf, "bad_from")), 1);
	cr_assert_eq(json_integer_value(json_object_get(sf, "bad_to")),
		     (json_int_t)to);
	cr_assert(svl_cli_has(json_string_value(json_object_get(sf, "problem")),
			      "changed after they were sealed by E001"));
	json_decref(v);
}

/* An August payment of 3008.00 recorded as 2008.00: seq 32698 of the
 * 62-day demo. */
#define AUG_SEQ 32698
#define AUG_WAS "amount_fen\xce\x00\x04\x97\x00"
#define AUG_NOW "amount_fen\xce\x00\x03\x10\x60"

Test(trust_seal,
     rewritten_history_to_a_consistent_head_needs_the_seal_file_R_SEAL_1)
{
	sealfile f;
	char err[512], own[200];
	demo(62);
	load_seals("D/seals.ndjson", &f);
	cr_assert_eq(f.n, 2);
	const svl_seal *aug = &f.s[1];
	cr_assert(AUG_SEQ >= aug->from_seq && AUG_SEQ <= aug->to_seq);
	/* The forger drops August's seal event and all after it, then edits
	 * August: the chain and head are consistent, July's seal holds. */
	uint64_t head = head_seq();
	cr_assert_eq(
	    forge_cut_tail(at("D"), head - aug->seq + 1, err, sizeof err), 0,
	    "%s", err);
	cr_assert_eq(forge_replace_in_record(at("D"), AUG_SEQ, AUG_WAS, AUG_NOW,
					     sizeof AUG_WAS - 1, err,
					     sizeof err),
		     0, "%s", err);
	cr_assert_eq(head_seq(), aug->to_seq);
	verify_ok("");
	snprintf(own, sizeof own,
		 "seals in the ledger: 1 seal, seq 1..%llu sealed",
		 (unsigned long long)f.s[0].to_seq);
	cr_assert(svl_cli_has(last.out, own), "want %s: %s", own, last.out);
	/* Only the seal file knows August was sealed. */
	run("verify -d D --seals D/seals.ndjson " TRUST_E001);
	failed_at(aug->from_seq, aug->to_seq, SEAL_FILE,
		  "records %llu..%llu changed after they were sealed by E001",
		  (unsigned long long)aug->from_seq,
		  (unsigned long long)aug->to_seq);
}

Test(trust_seal,
     rolled_back_seal_transaction_is_caught_by_the_seal_file_R_SEAL_1)
{
	char err[512];
	demo(35);
	uint64_t head = head_seq();
	svl_seal s = seal_ok("D/keys/E001.key", "");
	cr_assert_eq(s.seq, head + 1, "the seal is the last transaction");
	cr_assert_eq(s.to_seq, head);
	cr_assert_eq(forge_rollback_last_txn(at("D"), err, sizeof err), 0, "%s",
		     err);
	cr_assert_eq(head_seq(), head, "the rollback removed the seal event");
	/* The chain and the one seal left in the ledger hold. */
	verify_ok("");
	cr_assert(svl_cli_has(last.out, "seals in the ledger: 1 seal,"), "%s",
		  last.out);
	/* The sealed records are all there; the seal event is not. */
	run("verify -d D --seals D/seals.ndjson " TRUST_E001);
	failed_at(head + 1, s.seq, SEAL_FILE,
		  "the seal event of seq %llu..%llu (seq %llu) is past the "
		  "ledger's end at seq %llu: records %llu..%llu were removed "
		  "(tail cut or rolled back)",
		  (unsigned long long)s.from_seq, (unsigned long long)s.to_seq,
		  (unsigned long long)s.seq, (unsigned long long)head,
		  (unsigned long long)head + 1, (unsigned long long)s.seq);
}

#define ROLE_LINE(staff)                                                       \
	"{\"type\":\"staff_role_assigned\",\"actor\":\"G001\",\"role\":"       \
	"\"general_manager\",\"occurred_at\":\"2026-10-01T09:00:00+08:00\","   \
	"\"payload\":{\"staff_id\":\"" staff "\",\"role\":\"technician\","     \
	"\"from_at_ms\":1790784000000}}\n"

Test(trust_seal,
     seal_reaching_past_a_cut_head_names_the_removed_records_R_SEAL_1)
{
	char err[512];
	demo(35);
	uint64_t head = head_seq();
	append(ROLE_LINE("E090") ROLE_LINE("E091"));
	svl_seal s = seal_ok("D/keys/E001.key", "");
	cr_assert_eq(s.to_seq, head + 2);
	verify_ok("--seals D/seals.ndjson " TRUST_E001);
	/* The two new events and the seal cut away: a consistent head. */
	cr_assert_eq(forge_cut_tail(at("D"), 3, err, sizeof err), 0, "%s", err);
	verify_ok("");
	run("verify -d D --seals D/seals.ndjson " TRUST_E001);
	failed_at(head + 1, head + 2, SEAL_FILE,
		  "seal of seq %llu..%llu reaches past the ledger's end at "
		  "seq %llu: records %llu..%llu were removed (tail cut or "
		  "rolled back)",
		  (unsigned long long)s.from_seq, (unsigned long long)s.to_seq,
		  (unsigned long long)head, (unsigned long long)head + 1,
		  (unsigned long long)head + 2);
}

Test(trust_seal,
     seal_removed_from_the_middle_of_the_file_names_the_gap_R_SEAL_1)
{
	sealfile f;
	demo(35);
	uint64_t head = head_seq();
	char through[40];
	snprintf(through, sizeof through, "--through %llu",
		 (unsigned long long)head - 1000);
	seal_ok("D/keys/E001.key", through);
	seal_ok("D/keys/E001.key", "");
	load_seals("D/seals.ndjson", &f);
	cr_assert_eq(f.n, 3);
	verify_ok("--seals D/seals.ndjson " TRUST_E001);
	const svl_seal *mid = &f.s[1], *end = &f.s[2];
	cr_assert_eq(mid->to_seq, head - 1000);
	svl_seal cut[2] = {f.s[0], f.s[2]};
	save_seals("cut.ndjson", cut, 2);
	run("verify -d D --seals cut.ndjson " TRUST_E001);
	failed_at(
	    mid->from_seq, mid->to_seq, SEAL_FILE,
	    "no seal covers seq %llu..%llu: a seal is missing before the "
	    "seal of seq %llu..%llu",
	    (unsigned long long)mid->from_seq, (unsigned long long)mid->to_seq,
	    (unsigned long long)end->from_seq, (unsigned long long)end->to_seq);
}

Test(trust_seal,
     unregistered_key_neither_seals_nor_passes_in_a_seal_file_R_KEY_3)
{
	sealfile f;
	char hex[65], why[160];
	demo(35);
	keygen("X", hex);
	snprintf(why, sizeof why,
		 "R-KEY-3: key %.16s... is not registered to anyone", hex);
	seal_refused("X.key", "", 3, why);
	snprintf(
	    why, sizeof why,
	    "R-KEY-3: ledger_sealed: key %.16s... is not registered to E001",
	    hex);
	seal_refused("X.key", "--as E001", 3, why);
	/* The forger signs July's seal with their own key: the line verifies
	 * by itself, and the auditor was even talked into trusting the key. */
	load_seals("D/seals.ndjson", &f);
	resign(&f.s[0], "X.key");
	save_seals("forged.ndjson", f.s, 1);
	run("verify -d D --seals forged.ndjson " TRUST_E001 " X.key.pub");
	failed_at(1, f.s[0].to_seq, SEAL_FILE,
		  "seal of seq 1..%llu is signed by key %.16s..., which is not "
		  "registered to E001 when it was sealed (R-KEY-3)",
		  (unsigned long long)f.s[0].to_seq, hex);
}

/* G001 registers NEW for E001 from ROTATE_MS and revokes E001's demo key
 * from then: a rotation. */
static void rotate_e001(const char *old_hex, const char *new_hex)
{
	char nd[1200];
	snprintf(nd, sizeof nd,
		 "{\"type\":\"staff_key_registered\",\"actor\":\"G001\","
		 "\"role\":\"general_manager\",\"occurred_at\":"
		 "\"2026-10-01T09:00:00+08:00\",\"payload\":{\"staff_id\":"
		 "\"E001\",\"public_key\":\"%s\",\"from_at_ms\":%lld}}\n"
		 "{\"type\":\"staff_key_revoked\",\"actor\":\"G001\","
		 "\"role\":\"general_manager\",\"occurred_at\":"
		 "\"2026-10-01T09:01:00+08:00\",\"payload\":{\"staff_id\":"
		 "\"E001\",\"public_key\":\"%s\",\"until_at_ms\":%lld,"
		 "\"reason\":\"rotated\"}}\n",
		 new_hex, (long long)ROTATE_MS, old_hex, (long long)ROTATE_MS);
	append(nd);
}

static int digest_fn(svl_txn *txn, void *payload)
{
	svl_seal *s = payload;
	return svl__seal_digest(txn, s->from_seq, s->to_seq, s->prev_digest,
				s->digest, s->head_hash);
}

/* The seal after `prev` through D's head, placed where its event would
 * go, with the digest and head hash of the records as they are: what a
 * forger who can read the files computes. Sign it with resign(). */
static svl_seal next_seal(const svl_seal *prev, int64_t at_ms)
{
	svl_seal s = *prev;
	uint64_t head = head_seq();
	s.from_seq = prev->to_seq + 1;
	s.to_seq = head;
	s.seq = head + 1;
	s.sealed_at_ms = at_ms;
	s.period[0] = '\0';
	memcpy(s.prev_digest, prev->digest, SVL_DIGEST_SIZE);
	svl_log *log = svl_test_open(at("D"), SVL_LOG_RDONLY, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	int rc = svl_log_read(log, digest_fn, &s);
	svl_log_close(log);
	cr_assert_eq(rc, SVL_OK, "digest: %s", svl_strerror(rc));
	return s;
}

Test(trust_seal, revoked_key_cannot_seal_and_earlier_seals_stay_valid_R_KEY_3)
{
	sealfile f;
	char old_hex[65], new_hex[65], why[160];
	demo(35);
	load_seals("D/seals.ndjson", &f);
	svl_key_hex(f.s[0].public_key, old_hex);
	keygen("Y", new_hex);
	rotate_e001(old_hex, new_hex);
	snprintf(
	    why, sizeof why,
	    "R-KEY-3: ledger_sealed: key %.16s... of E001 was revoked from "
	    "2026-10-01 00:00",
	    old_hex);
	seal_refused("D/keys/E001.key", "", 3, why);
	/* Not retroactive: July's seal, made before, still holds. */
	verify_ok("--seals D/seals.ndjson " TRUST_E001);
	/* Whoever kept the old key seals the rest in the file alone. */
	f.s[1] = next_seal(&f.s[0], ROTATE_MS + INT64_C(86400000));
	resign(&f.s[1], "D/keys/E001.key");
	save_seals("late.ndjson", f.s, 2);
	run("verify -d D --seals late.ndjson " TRUST_E001);
	failed_at(f.s[1].from_seq, f.s[1].to_seq, SEAL_FILE,
		  "seal of seq %llu..%llu is signed by key %.16s..., which was "
		  "revoked for E001 when it was sealed (R-KEY-3)",
		  (unsigned long long)f.s[1].from_seq,
		  (unsigned long long)f.s[1].to_seq, old_hex);
	/* The new key seals for E001. */
	svl_seal s = seal_ok("Y.key", "");
	cr_assert_str_eq(s.staff_id, "E001");
	cr_assert_eq(s.to_seq, f.s[1].to_seq);
	verify_ok("--seals D/seals.ndjson " TRUST_E001 " Y.key.pub");
}

Test(trust_seal, untrusted_sealer_key_fails_and_seal_file_needs_keys)
{
	sealfile f;
	char hex[65];
	demo(35);
	load_seals("D/seals.ndjson", &f);
	svl_key_hex(f.s[0].public_key, hex);
	run("verify -d D --seals D/seals.ndjson --trust D/keys/G001.key.pub "
	    "D/keys/E008.key.pub");
	failed_at(1, f.s[0].to_seq, SEAL_FILE,
		  "seal of seq 1..%llu is signed by key %.16s... (E001), which "
		  "is not among the trusted keys",
		  (unsigned long long)f.s[0].to_seq, hex);
	cr_assert_eq(run("verify -d D --seals D/seals.ndjson"), 1, "%s",
		     last.err);
	cr_assert(svl_cli_has(last.err, "go together"), "%s", last.err);
	cr_assert_eq(run("verify -d D " TRUST_E001), 1, "%s", last.err);
	cr_assert(svl_cli_has(last.err, "go together"), "%s", last.err);
	cr_assert_str_eq(last.out, "");
}

Test(trust_seal, seals_command_reprints_the_seal_file_byte_for_byte)
{
	demo(35);
	seal_ok("D/keys/E001.key", "");
	char *file = slurp("D/seals.ndjson");
	cr_assert_eq(svl_cli_lines(file), 2, "the demo's seal and ours");
	cr_assert_eq(run("seals -d D"), 0, "%s", last.err);
	cr_assert_str_eq(last.out, file);
	free(file);
}

/* "nothing to seal" (exit 2) naming seq `through`. */
static void nothing_to_seal(const char *period, uint64_t through)
{
	char why[160], opt[40];
	snprintf(why, sizeof why,
		 "nothing to seal: the ledger is sealed through seq %llu "
		 "(past that period)",
		 (unsigned long long)through);
	snprintf(opt, sizeof opt, "--period %s", period);
	seal_refused("D/keys/E001.key", opt, 2, why);
}

Test(trust_seal, sealing_a_month_a_later_seal_covers_seals_nothing_R_SEAL_1)
{
	sealfile f;
	demo(62);
	load_seals("D/seals.ndjson", &f);
	uint64_t head = head_seq(), aug_to = f.s[1].to_seq;
	nothing_to_seal("2026-07", aug_to);
	/* September is not sealed yet: it is, from August's end on. */
	svl_seal s = seal_ok("D/keys/E001.key", "--period 2026-09");
	cr_assert_eq(s.from_seq, aug_to + 1);
	cr_assert_eq(s.to_seq, head);
	cr_assert_str_eq(s.period, "2026-09");
	cr_assert_eq(memcmp(s.prev_digest, f.s[1].digest, SVL_DIGEST_SIZE), 0);
	verify_ok("--seals D/seals.ndjson " TRUST_E001);
}

/* The demo seals August at 23:30 on 08-31, so August's seal event is
 * itself recorded in August: sealing August again must not make a seal
 * of that event alone. */
Test(trust_seal, resealing_the_last_sealed_month_seals_nothing_R_SEAL_1)
{
	sealfile f;
	demo(62);
	load_seals("D/seals.ndjson", &f);
	nothing_to_seal("2026-08", f.s[1].to_seq);
}
