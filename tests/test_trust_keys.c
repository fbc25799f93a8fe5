/*
 * test_trust_keys.c - staff keys outside the deciders: key pairs and their
 * files (svl_key_save/load/public: mode 0600, never overwritten, refused
 * when others may read them or when malformed), `svcledger keygen` and
 * `svcledger sign` as a user runs them, and the rule-set knob
 * require_signed (its errors, and a canonical form that leaves older rule
 * sets' hashes as they were).
 *
 * Every test runs in the CLI fixture's fresh temporary directory; files
 * are named relative to it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_fixture.h"
#include "svl_rules.h"
#include "svl_trust.h"

#define last svl_cli_last
#define run svl_cli_run

TestSuite(trust_keys, .init = svl_cli_setup, .fini = svl_cli_teardown);

#define TAG "svcledger-ed25519-secret-key "
#define HEX63 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"

/* name in the test's directory (one static buffer per slot) */
static const char *P(const char *name)
{
	static char buf[4][4200];
	static unsigned slot;
	char *p = buf[slot++ % 4];
	snprintf(p, sizeof buf[0], "%s/%s", svl_cli_dir(), name);
	return p;
}

/* The file's content (at most cap - 1 bytes), "" when it is absent. */
static const char *slurp(const char *name, char *out, size_t cap)
{
	FILE *f = fopen(P(name), "rb");
	size_t n = f ? fread(out, 1, cap - 1, f) : 0;
	if (f)
		fclose(f);
	out[n] = '\0';
	return out;
}

static unsigned mode_of(const char *name)
{
	struct stat st;
	cr_assert_eq(stat(P(name), &st), 0, "%s is missing", name);
	return (unsigned)(st.st_mode & 0777);
}

static svl_keypair key(uint8_t n)
{
	uint8_t seed[32];
	svl_keypair k;
	memset(seed, n, sizeof seed);
	cr_assert_eq(svl_key_from_seed(&k, seed), SVL_OK);
	return k;
}

/* Write a secret key file of `text` with mode 0600. */
static void secret_file(const char *name, const char *text)
{
	svl_cli_write(name, text);
	cr_assert_eq(chmod(P(name), 0600), 0);
}

/* ---- key files ---- */

Test(trust_keys, save_writes_a_0600_secret_and_a_pub_that_load_back)
{
	svl_keypair k = key(7), got;
	char err[256], hex[65], text[256];
	cr_assert_eq(svl_key_save(&k, P("k"), err, sizeof err), SVL_OK, "%s",
		     err);
	cr_assert_eq(mode_of("k"), 0600u);
	svl_key_hex(k.public_key, hex);
	slurp("k.pub", text, sizeof text);
	cr_assert(strlen(text) == 65 && !strncmp(text, hex, 64) &&
		  text[64] == '\n', "k.pub: '%s'", text);
	slurp("k", text, sizeof text);
	cr_assert(strlen(text) == sizeof TAG - 1 + 65 &&
		  !strncmp(text, TAG, sizeof TAG - 1), "k: '%s'", text);
	cr_assert_eq(svl_key_load(&got, P("k"), err, sizeof err), SVL_OK, "%s",
		     err);
	cr_assert_eq(memcmp(&got, &k, sizeof k), 0, "the pair survives");
	svl_keypair_wipe(&got);
	static const svl_keypair zero;
	cr_assert_eq(memcmp(&got, &zero, sizeof got), 0, "wiped");
}

Test(trust_keys, save_never_overwrites_and_leaves_nothing)
{
	svl_keypair k = key(7), other = key(8), got;
	char err[256], before[256], after[256];
	cr_assert_eq(svl_key_save(&k, P("k"), err, sizeof err), SVL_OK);
	slurp("k.pub", before, sizeof before);
	cr_assert_eq(svl_key_save(&other, P("k"), err, sizeof err),
		     SVL_EEXISTS, "over an existing key");
	cr_assert(strstr(err, "never overwritten"), "%s", err);
	cr_assert_eq(svl_key_load(&got, P("k"), err, sizeof err), SVL_OK);
	cr_assert_eq(memcmp(got.public_key, k.public_key, 32), 0);
	cr_assert_str_eq(slurp("k.pub", after, sizeof after), before);
	svl_cli_write("k2.pub", "not mine\n");
	cr_assert_eq(svl_key_save(&other, P("k2"), err, sizeof err),
		     SVL_EEXISTS, "over an existing .pub");
	cr_assert_eq(access(P("k2"), F_OK), -1, "no secret left behind");
	cr_assert_str_eq(slurp("k2.pub", after, sizeof after), "not mine\n");
}

Test(trust_keys, load_refuses_readable_and_malformed_files)
{
	svl_keypair k = key(7), got;
	char err[256];
	cr_assert_eq(svl_key_save(&k, P("k"), err, sizeof err), SVL_OK);
	static const unsigned modes[] = {0644, 0640, 0604};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(chmod(P("k"), modes[i]), 0);
		cr_assert_eq(svl_key_load(&got, P("k"), err, sizeof err),
			     SVL_EINVAL, "mode %o", modes[i]);
		cr_assert(strstr(err, "chmod 600"), "%s", err);
	}
	cr_assert_eq(chmod(P("k"), 0400), 0);
	cr_assert_eq(svl_key_load(&got, P("k"), err, sizeof err), SVL_OK,
		     "%s", err);
	static const char *const bad[] = {
	    TAG HEX63 "\n",			/* 63 digits */
	    TAG HEX63 "F\n",			/* uppercase */
	    TAG HEX63 "0",			/* no newline */
	    "svcledger-x25519-secret-key " HEX63 "0\n", /* another tag */
	    TAG HEX63 "0\n" TAG HEX63 "0\n",	/* two lines */
	    "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		secret_file("bad", bad[i]);
		cr_assert_eq(svl_key_load(&got, P("bad"), err, sizeof err),
			     SVL_EINVAL, "accepted '%s'", bad[i]);
		cr_assert(unlink(P("bad")) == 0);
	}
	cr_assert_eq(svl_key_load(&got, P("none"), err, sizeof err),
		     SVL_ENOTFOUND);
}

Test(trust_keys, public_key_from_hex_or_pub_file)
{
	svl_keypair k = key(7);
	uint8_t pk[SVL_PUBLIC_KEY_SIZE];
	char err[256], hex[65], upper[65];
	svl_key_hex(k.public_key, hex);
	cr_assert_eq(svl_key_public(pk, hex, err, sizeof err), SVL_OK, "%s",
		     err);
	cr_assert_eq(memcmp(pk, k.public_key, 32), 0);
	cr_assert_eq(svl_key_save(&k, P("k"), err, sizeof err), SVL_OK);
	memset(pk, 0, sizeof pk);
	cr_assert_eq(svl_key_public(pk, P("k.pub"), err, sizeof err), SVL_OK,
		     "%s", err);
	cr_assert_eq(memcmp(pk, k.public_key, 32), 0);
	cr_assert_eq(svl_key_public(pk, HEX63, err, sizeof err), SVL_EINVAL,
		     "63 hex digits are bad input, not a missing file");
	for (size_t i = 0; i < 65; i++)
		upper[i] = (char)(hex[i] >= 'a' ? hex[i] - 32 : hex[i]);
	cr_assert_neq(strcmp(upper, hex), 0, "the key has a letter");
	cr_assert_neq(svl_key_public(pk, upper, err, sizeof err), SVL_OK);
	static const char *const bad[] = {HEX63 "\n", "", " " HEX63 "0\n"};
	for (size_t i = 0; i < 3; i++) {
		svl_cli_write("bad.pub", bad[i]);
		cr_assert_eq(svl_key_public(pk, P("bad.pub"), err, sizeof err),
			     SVL_EINVAL, "accepted '%s'", bad[i]);
	}
	svl_cli_write("bad.pub", upper);
	cr_assert_eq(svl_key_public(pk, P("bad.pub"), err, sizeof err),
		     SVL_EINVAL, "uppercase in a .pub file");
}

Test(trust_keys, keygen_creates_a_pair_once)
{
	char pub[128], again[128], hex[65];
	svl_keypair got;
	cr_assert_eq(run("keygen"), 1, "--out is required");
	cr_assert_eq(run("keygen --out k"), 0, "%s", last.err);
	slurp("k.pub", pub, sizeof pub);
	cr_assert_eq(strlen(pub), 65u, "k.pub: '%s'", pub);
	cr_assert(strncmp(last.out, pub, 65) == 0, "printed '%s', k.pub '%s'",
		  last.out, pub);
	cr_assert_eq(mode_of("k"), 0600u);
	cr_assert_eq(svl_key_load(&got, P("k"), NULL, 0), SVL_OK);
	svl_key_hex(got.public_key, hex);
	cr_assert(strncmp(hex, pub, 64) == 0, "the secret is the pub's pair");
	cr_assert_eq(run("keygen --out k"), 6, "a second keygen: %s",
		     last.err);
	cr_assert_str_neq(last.err, "");
	cr_assert_str_eq(slurp("k.pub", again, sizeof again), pub);
}

/* ---- svcledger sign ---- */

#define EV(type, actor, role, at, payload)                                   \
	"{\"type\":\"" type "\",\"actor\":\"" actor "\",\"role\":\"" role   \
	"\",\"occurred_at\":\"2026-07-05T" at ":00+08:00\",\"payload\":{"    \
	payload "}}\n"

/* Job WO-9 and pick PK-9, its requisition signed (unsigned, by E021 and
 * E005): waiting for the parts manager E010's approval. */
static const char pick_flow[] =
	EV("booking_requested", "E020", "customer_service", "09:00",
	   "\"wo_id\":\"WO-9\",\"customer_id\":\"C9\",\"owner_name\":\"Li Wei\","
	   "\"phone\":\"13800138000\",\"target\":\"customer_request\","
	   "\"job_kind\":\"repair\",\"items\":\"brake squeal\","
	   "\"wanted_at_ms\":1783299600000")
	EV("pick_requested", "E021", "technician", "09:10",
	   "\"pick_id\":\"PK-9\",\"wo_id\":\"WO-9\",\"purpose\":\"repair\","
	   "\"lines\":[{\"part_no\":\"90915-YZZD4\",\"qty_milli\":1000}]")
	EV("pick_signed", "E021", "technician", "09:11",
	   "\"pick_id\":\"PK-9\",\"signed_as\":\"requisition_technician\"")
	EV("pick_signed", "E005", "service_advisor", "09:12",
	   "\"pick_id\":\"PK-9\",\"signed_as\":\"requisition_advisor\"");

#define OTHER_LINE                                                           \
	EV("bin_assigned", "E012", "warehouse_keeper", "09:12",               \
	   "\"part_no\":\"P-77\",\"bin\":\"W1-A01-1-01\"")
#define APPROVAL_LINE                                                        \
	EV("pick_signed", "E010", "parts_manager", "09:13",                   \
	   "\"pick_id\":\"PK-9\",\"signed_as\":\"outbound_approval\"")

/* Ledger L: the staff, E010's key k10 registered by E001, the pick flow;
 * k99 made but never registered. pub gets k10's hex. */
static void sign_ledger(char pub[65])
{
	char reg[512], text[128];
	cr_assert_eq(run("init -d L"), 0, "%s", last.err);
	cr_assert_eq(run("keygen --out k10"), 0, "%s", last.err);
	cr_assert_eq(run("keygen --out k99"), 0, "%s", last.err);
	snprintf(pub, 65, "%s", slurp("k10.pub", text, sizeof text));
	snprintf(reg, sizeof reg,
		 EV("staff_key_registered", "E001", "service_manager", "08:00",
		    "\"staff_id\":\"E010\",\"public_key\":\"%s\","
		    "\"from_at_ms\":1782835200000"), pub);
	svl_cli_write("staff.ndjson", svl_cli_staff);
	svl_cli_write("reg.ndjson", reg);
	svl_cli_write("flow.ndjson", pick_flow);
	svl_cli_write("in.ndjson", OTHER_LINE APPROVAL_LINE);
	cr_assert_eq(run("append -d L staff.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L reg.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L flow.ndjson"), 0, "%s", last.err);
}

/* The signed approval line of `out` (its second line), checked. */
static json_t *signed_line(const char *out, const char *pub)
{
	const char *nl = strchr(out, '\n');
	json_error_t e;
	cr_assert(nl, "%s", out);
	json_t *o = json_loadb(nl + 1, strcspn(nl + 1, "\n"), 0, &e);
	cr_assert_not_null(o, "%s: %s", e.text, nl + 1);
	json_t *p = json_object_get(o, "payload");
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *sk = json_string_value(json_object_get(p, "signer_key"));
	const char *sig = json_string_value(json_object_get(p, "signature"));
	cr_assert(id && strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32,
		  "id: %s", nl + 1);
	cr_assert(sk && !strcmp(sk, pub), "signer_key: %s", nl + 1);
	cr_assert(sig && strlen(sig) == 128, "signature: %s", nl + 1);
	cr_assert_str_eq(json_string_value(json_object_get(p, "signed_as")),
			 "outbound_approval");
	cr_assert_str_eq(json_string_value(json_object_get(o, "actor")), "E010");
	return o;
}

/* `out` with its second line's signature changed in its first digit. */
static void write_tampered(const char *name, const char *out, json_t *o)
{
	char sig[129], *text, buf[8192];
	json_t *p = json_object_get(o, "payload");
	snprintf(sig, sizeof sig, "%s",
		 json_string_value(json_object_get(p, "signature")));
	sig[0] = sig[0] == '0' ? '1' : '0';
	json_object_set_new(p, "signature", json_string(sig));
	text = json_dumps(o, JSON_COMPACT);
	cr_assert_not_null(text);
	snprintf(buf, sizeof buf, "%.*s%s\n", (int)(strchr(out, '\n') - out + 1),
		 out, text);
	free(text);
	svl_cli_write(name, buf);
}

Test(trust_keys, sign_signs_the_signable_lines_for_append)
{
	char pub[65], out[8192];
	sign_ledger(pub);
	cr_assert_eq(run("sign -d L --key k10 in.ndjson"), 0, "%s", last.err);
	snprintf(out, sizeof out, "%s", last.out);
	cr_assert_eq(svl_cli_lines(out), 2, "%s", out);
	cr_assert(strncmp(out, OTHER_LINE, strlen(OTHER_LINE)) == 0,
		  "the other line passes unchanged: %s", out);
	json_t *o = signed_line(out, pub);
	write_tampered("bad.ndjson", out, o);
	json_decref(o);
	cr_assert_eq(run("append -d L bad.ndjson"), 3, "a broken signature");
	cr_assert(svl_cli_has(last.err, "does not verify"), "%s", last.err);
	cr_assert_eq(run("sign -d L --key k99 in.ndjson"), 0, "%s", last.err);
	svl_cli_write("k99.ndjson", last.out);
	cr_assert_eq(run("append -d L k99.ndjson"), 3, "an unregistered key: "
		     "%s", last.err);
	cr_assert(svl_cli_has(last.err, "R-KEY-3"), "%s", last.err);
	svl_cli_write("out.ndjson", out);
	cr_assert_eq(run("append -d L out.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("verify -d L"), 0, "%s", last.err);
	if (getenv("RT_VERBOSE"))
		fprintf(stderr, "%s%s", out, last.out);
	cr_assert(svl_cli_has(last.out, "signatures with a key: 1 verified; "
				 "2 signatures without one"), "%s", last.out);
}

/* ---- require_signed in rule sets ---- */

static int parse(const char *json, svl_rules *r, char *err)
{
	return svl_rules_parse(json, strlen(json), r, err, 256);
}

Test(trust_keys, require_signed_names_the_bad_entry)
{
	svl_rules r;
	char err[256];
	static const struct {
		const char *json, *says;
	} bad[] = {
	    {"{\"id\":\"x\",\"require_signed\":[\"pick_signed\",\"bogus\"]}",
	     "require_signed[1]"},
	    {"{\"id\":\"x\",\"require_signed\":[\"parts_issued\"]}",
	     "require_signed[0]"},
	    {"{\"id\":\"x\",\"require_signed\":[\"pick_signed\",7]}",
	     "require_signed[1]"},
	    {"{\"id\":\"x\",\"require_signed\":\"pick_signed\"}",
	     "require_signed: expected an array"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		cr_assert_eq(parse(bad[i].json, &r, err), SVL_EINVAL, "%s",
			     bad[i].json);
		cr_assert(strstr(err, bad[i].says), "%s: '%s'", bad[i].json,
			  err);
	}
}

Test(trust_keys, require_signed_in_the_canonical_form_only_when_set)
{
	svl_rules def, none, empty, set, again;
	char err[256], a[2048], b[2048];
	svl_rules_default(&def);
	cr_assert_eq(parse("{\"id\":\"default\"}", &none, err), SVL_OK, "%s", err);
	cr_assert_eq(parse("{\"id\":\"default\",\"require_signed\":[]}", &empty,
			   err), SVL_OK, "%s", err);
	cr_assert_eq(parse("{\"id\":\"default\",\"require_signed\":"
			   "[\"writeoff_approved\",\"pick_signed\"]}", &set,
			   err), SVL_OK, "%s", err);
	cr_assert_eq(set.require_signed,
		     SVL_SIGNED_PICK | SVL_SIGNED_WRITEOFF_APPROVAL);
	svl_rules_to_json(&def, a, sizeof a);
	cr_assert_null(strstr(a, "require_signed"), "%s", a);
	cr_assert_eq(memcmp(none.hash, def.hash, 16), 0, "older hash kept");
	cr_assert_eq(memcmp(empty.hash, def.hash, 16), 0, "[] is the default");
	cr_assert_neq(memcmp(set.hash, def.hash, 16), 0, "the knob is hashed");
	svl_rules_to_json(&set, b, sizeof b);
	cr_assert(strstr(b, ",\"require_signed\":[\"pick_signed\","
			    "\"writeoff_approved\"]}"), "%s", b);
	cr_assert_eq(parse(b, &again, err), SVL_OK, "%s: %s", b, err);
	cr_assert_eq(again.require_signed, set.require_signed);
	cr_assert_eq(memcmp(again.hash, set.hash, 16), 0, "round trip");
}
