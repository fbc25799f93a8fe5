/*
 * test_trust_auditor.c - tests/auditor_seals.py, an auditor's check of a
 * seal file written with none of svcledger's code (Python's standard
 * library, mdb_dump, openssl), against the release tool's demo ledger:
 * 62 days, so two month-end seals (July, August) in D/seals.ndjson,
 * signed by E001 whose public key is D/keys/E001.key.pub.
 *
 * The script must pass both seals, as `svcledger verify --seals` does;
 * and fail, naming the seal's seq range, when a payload byte inside a
 * sealed month was changed and the XXH3 chain recomputed (tests/forge.h:
 * the rewrite the chain alone cannot show), when the seal file lost its
 * first line, when a seal line was altered, and when the sealer's key is
 * not among the trusted ones.
 *
 * Without python3, mdb_dump, OpenSSL 3 (pkeyutl -rawin) or the release
 * tool each test says "skipped: <why>" on stderr and is skipped, never
 * passed.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "forge.h"
#include "harness.h"

static char *tmp;
static char dir[4200], seal_file[4300], key_file[4300];

/* The demo's seals, from its seal file: [0] July, [1] August. */
static unsigned long long seal_from[2], seal_to[2];

static void setup(void)
{
	tmp = svl_test_mkdtemp();
	cr_assert_not_null(tmp);
	snprintf(dir, sizeof dir, "%s/D", tmp);
	snprintf(seal_file, sizeof seal_file, "%s/seals.ndjson", dir);
	snprintf(key_file, sizeof key_file, "%s/keys/E001.key.pub", dir);
}

static void teardown(void)
{
	svl_test_rmdir(tmp);
	tmp = NULL;
}

TestSuite(trust_auditor, .init = setup, .fini = teardown, .timeout = 300);

/* Skip, loudly, when cmd (a shell test) fails. */
static void need(const char *cmd, const char *why)
{
	int st;
	free(svl_test_shell(cmd, &st));
	if (st != 0) {
		fprintf(stderr, "\n*** test_trust_auditor: skipped: %s ***\n\n",
			why);
		cr_skip_test("skipped: %s", why);
	}
}

static void have_tools(void)
{
	need("command -v python3 >/dev/null 2>&1", "python3 missing");
	need("command -v mdb_dump >/dev/null 2>&1",
	     "mdb_dump missing (package lmdb-utils)");
	need("openssl pkeyutl -help 2>&1 | grep -q -- -rawin",
	     "openssl missing or older than 3 (no pkeyutl -rawin for "
	     "Ed25519)");
	if (!svl_h_tool_rel())
		need("false", "no release tool (set SVL_TOOL_REL or build "
			      "build/svcledger)");
}

/* The demo ledger with its two seals; their ranges into seal_from/to. */
static void demo(void)
{
	have_tools();
	svl_h_res r = {0};
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "demo", "-d", dir, "--days", "62",
			       "--quiet", (char *)NULL),
		     0, "demo: %s", r.err);
	svl_h_res_free(&r);
	FILE *f = fopen(seal_file, "r");
	cr_assert_not_null(f, "no %s", seal_file);
	char line[2048];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		cr_assert_lt(n, 2, "more than two seals in %s", seal_file);
		json_error_t je;
		json_t *s = json_loads(line, 0, &je);
		cr_assert_not_null(s, "%s: %s", seal_file, je.text);
		seal_from[n] = (unsigned long long)json_integer_value(
		    json_object_get(s, "from_seq"));
		seal_to[n] = (unsigned long long)json_integer_value(
		    json_object_get(s, "to_seq"));
		json_decref(s);
		n++;
	}
	fclose(f);
	cr_assert_eq(n, 2, "two seals (July, August) in %s", seal_file);
	cr_assert(seal_from[0] == 1 && seal_to[0] > 1000 &&
		      seal_from[1] == seal_to[0] + 1 &&
		      seal_to[1] > seal_from[1],
		  "seals %llu..%llu, %llu..%llu", seal_from[0], seal_to[0],
		  seal_from[1], seal_to[1]);
}

/* The script's stdout and stderr, and its exit status: run on the demo
 * ledger with this seal file and these trusted keys (shell words). */
static char *auditor(int *status, const char *seals, const char *keys)
{
	char here[4096], cmd[16384];
	snprintf(here, sizeof here, "%s", __FILE__);
	char *slash = strrchr(here, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(here, sizeof here, ".");
	snprintf(cmd, sizeof cmd, "python3 '%s/auditor_seals.py' '%s' '%s' %s "
				  "2>&1",
		 here, dir, seals, keys);
	char *out = svl_test_shell(cmd, status);
	cr_assert_not_null(out);
	return out;
}

/* The script fails on the seal of a..b with why in its one last line,
 * after July's OK line when july_ok. */
static void fails_at(const char *seals, const char *keys, int july_ok,
		     unsigned long long a, unsigned long long b,
		     const char *why)
{
	int st;
	char *out = auditor(&st, seals, keys), want[1024];
	want[0] = '\0';
	if (july_ok)
		snprintf(want, sizeof want, "seal 1: seq 1..%llu OK\n",
			 seal_to[0]);
	snprintf(want + strlen(want), sizeof want - strlen(want),
		 "FAILED at seq %llu..%llu: ", a, b);
	cr_assert_eq(st, 1, "the auditor missed it (exit %d): %s", st, out);
	cr_assert(strncmp(out, want, strlen(want)) == 0, "want '%s' in:\n%s",
		  want, out);
	cr_assert(strstr(out, why), "want '%s' in:\n%s", why, out);
	const char *nl = strchr(out + strlen(want), '\n');
	cr_assert(nl && nl[1] == '\0', "one FAILED line, the last: %s", out);
	free(out);
}

/* `svcledger verify --seals` with the demo's key: its exit code; its
 * stdout then stderr in verify_text. */
static char verify_text[8192];

static int verify_seals(const char *seals)
{
	svl_h_res r = {0};
	int code = svl_h_run(&r, tmp, NULL, "verify", "-d", dir, "--seals",
			     seals, "--trust", key_file, (char *)NULL);
	snprintf(verify_text, sizeof verify_text, "%s%s", r.out, r.err);
	svl_h_res_free(&r);
	return code;
}

/* Change one ASCII letter or digit, the last byte of a short string value
 * in the payload of the first record from `from` on that has one, and
 * recompute the XXH3 chain and the head (forge.h). Returns its seq. The
 * bytes replaced are the value with its key before it, as msgpack fixstrs
 * (the events layer writes shortest forms), so they lie in the payload. */
static uint64_t forge_payload_byte(uint64_t from)
{
	char at[32], err[512];
	svl_h_res r = {0};
	snprintf(at, sizeof at, "%llu", (unsigned long long)from);
	cr_assert_eq(svl_h_run(&r, tmp, NULL, "log", "-d", dir, "--from", at,
			       "--limit", "50", "--json", (char *)NULL),
		     0, "log: %s", r.err);
	json_error_t je;
	json_t *recs = json_loads(r.out, 0, &je), *rec, *v;
	cr_assert(json_is_array(recs), "log --json: %s", je.text);
	svl_h_res_free(&r);
	size_t i;
	const char *k;
	json_array_foreach(recs, i, rec)
	{
		json_object_foreach(json_object_get(rec, "payload"), k, v)
		{
			size_t kl = strlen(k), vl = json_string_length(v);
			uint8_t find[64], repl[64];
			if (!json_is_string(v) || kl > 31 || vl < 1 || vl > 31 ||
			    !isalnum((unsigned char)json_string_value(v)[vl - 1]))
				continue;
			find[0] = (uint8_t)(0xa0 | kl);
			memcpy(find + 1, k, kl);
			find[1 + kl] = (uint8_t)(0xa0 | vl);
			memcpy(find + 2 + kl, json_string_value(v), vl);
			size_t n = 2 + kl + vl;
			memcpy(repl, find, n);
			repl[n - 1] = repl[n - 1] == 'x' ? 'y' : 'x';
			uint64_t seq = (uint64_t)json_integer_value(
			    json_object_get(rec, "seq"));
			if (forge_replace_in_record(dir, seq, find, repl, n, err,
						    sizeof err) != 0)
				continue; /* not found as a fixstr pair */
			json_decref(recs);
			return seq;
		}
	}
	cr_assert_fail("no short string in the payloads of seq %llu..%llu",
		       (unsigned long long)from,
		       (unsigned long long)from + 49);
	return 0;
}

Test(trust_auditor, passes_both_seals_of_the_demo_as_verify_does)
{
	demo();
	int st;
	char *out = auditor(&st, seal_file, key_file), want[256];
	snprintf(want, sizeof want,
		 "seal 1: seq 1..%llu OK\nseal 2: seq %llu..%llu OK\n",
		 seal_to[0], seal_from[1], seal_to[1]);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_str_eq(out, want);
	free(out);
	/* the key as 64 hex digits, and among others, does as well */
	char *hex = svl_h_slurp(key_file, NULL), keys[4400];
	cr_assert_not_null(hex);
	hex[strcspn(hex, "\n")] = '\0';
	snprintf(keys, sizeof keys, "'%s/keys/G001.key.pub' %s", dir, hex);
	free(hex);
	out = auditor(&st, seal_file, keys);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_str_eq(out, want);
	free(out);
	cr_assert_eq(verify_seals(seal_file), 0, "%s", verify_text);
}

Test(trust_auditor, payload_byte_changed_in_july_fails_the_july_seal)
{
	demo();
	uint64_t seq = forge_payload_byte(seal_to[0] / 2);
	cr_assert_leq(seq, seal_to[0], "the edit is inside July");
	fails_at(seal_file, key_file, 0, 1, seal_to[0],
		 "records changed after they were sealed");
	/* verify finds the chain consistent, and names the same seal */
	char want[128];
	cr_assert_neq(verify_seals(seal_file), 0, "%s", verify_text);
	cr_assert(strncmp(verify_text, "OK: ", 4) == 0, "chain: %s",
		  verify_text);
	snprintf(want, sizeof want, "records 1..%llu changed", seal_to[0]);
	cr_assert(strstr(verify_text, want), "want '%s' in:\n%s", want,
		  verify_text);
}

Test(trust_auditor, payload_byte_changed_in_august_fails_only_august)
{
	demo();
	uint64_t seq = forge_payload_byte(seal_from[1] + 100);
	cr_assert_leq(seq, seal_to[1], "the edit is inside August");
	fails_at(seal_file, key_file, 1, seal_from[1], seal_to[1],
		 "records changed after they were sealed");
}

Test(trust_auditor, seal_file_without_its_first_line_fails_the_chain)
{
	demo();
	char path[4400];
	size_t len;
	char *text = svl_h_slurp(seal_file, &len);
	cr_assert_not_null(text);
	char *second = strchr(text, '\n') + 1;
	snprintf(path, sizeof path, "%s/august.ndjson", tmp);
	cr_assert_eq(svl_h_spit(path, second, len - (size_t)(second - text)),
		     0);
	free(text);
	fails_at(path, key_file, 0, seal_from[1], seal_to[1],
		 "it does not follow the seal before it, which ends at seq 0");
}

Test(trust_auditor, altered_seal_line_fails_its_signature)
{
	demo();
	char path[4400];
	size_t len;
	char *text = svl_h_slurp(seal_file, &len);
	cr_assert_not_null(text);
	char *p = strstr(text, "\"period\":\"2026-07\"");
	cr_assert_not_null(p, "%s", text);
	p[strlen("\"period\":\"2026-0")] = '6';
	snprintf(path, sizeof path, "%s/altered.ndjson", tmp);
	cr_assert_eq(svl_h_spit(path, text, len), 0);
	free(text);
	fails_at(path, key_file, 0, 1, seal_to[0],
		 "its signature does not verify");
}

Test(trust_auditor, key_not_trusted_fails_the_first_seal)
{
	demo();
	char keys[4400];
	snprintf(keys, sizeof keys, "'%s/keys/G001.key.pub'", dir);
	fails_at(seal_file, keys, 0, 1, seal_to[0],
		 "(E001), which is not among the trusted keys");
}
