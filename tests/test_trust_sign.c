/*
 * test_trust_sign.c - staff keys and signed signatures through the whole
 * ledger: R-KEY-1 (a manager registers a key, once, to one person),
 * R-KEY-2 (a key is revoked while registered, not before, once), R-KEY-3
 * (a key signs only for its person, within [from, until)), the signature
 * rules of the signable types under the rule set's require_signed
 * (R-ISS-1/3/4, R-WOF-2, R-WOF-5, R-STK-2), and svl_trust_check finding a
 * signature that a forger broke with the chain recomputed.
 *
 * Every ledger is an svl_ledger opened with a parsed rule set, so the path
 * rule set -> decide options -> deciders is the one under test. Commands
 * are NDJSON lines read by svl_event_input_json and signed with
 * svl_sign_command, as an integrator would. Keys come from fixed seeds
 * (seed byte = the staff number), so a failure replays exactly. The
 * department is test_rules_fixture.h's roster; minute m is T0 + m minutes
 * (T0 = 2026-09-30 08:00 at the shop).
 */
#include "test_rules_fixture.h"

#include "forge.h"
#include "svl_ledger.h"
#include "svl_rules.h"
#include "svl_trust.h"

typedef struct ts {
	char *dir;
	svl_ledger *l;
	svl_event_arena arena;
	svl_submit_result res;
} ts;

/* A fresh ledger (ledger_id may be NULL) whose rule set requires the
 * signed types of the JSON array `require` (NULL: the default rule set),
 * with the roster appointed. */
static void ts_open_id(ts *t, const char *require, const uint8_t *ledger_id)
{
	char json[256], err[256];
	svl_rules rules;
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	if (require) {
		snprintf(json, sizeof json,
			 "{\"id\": \"signed\", \"require_signed\": %s}", require);
		cr_assert_eq(svl_rules_parse(json, strlen(json), &rules, err,
					     sizeof err), SVL_OK, "%s", err);
		o.rules = &rules;
	}
	o.flags = SVL_LOG_CREATE | SVL_LOG_NOSYNC;
	o.ledger_id = ledger_id;
	t->dir = svl_test_mkdtemp();
	cr_assert_eq(svl_ledger_open(&t->l, t->dir, &o), SVL_OK, "%s",
		     svl_log_last_error());
	t->arena = (svl_event_arena){malloc(2 * SVL_EVENT_ARENA_MIN),
				     2 * SVL_EVENT_ARENA_MIN, 0};
	cr_assert_not_null(t->arena.buf);
	rt_step steps[RT_BATCH_MAX];
	char names[RT_BATCH_MAX][160];
	svl_event_in evs[RT_BATCH_MAX];
	char streams[RT_BATCH_MAX][SVL_STREAM_MAX + 1];
	size_t n;
	uint8_t *bufs = malloc(RT_BATCH_MAX * RT_PAYLOAD_MAX);
	cr_assert_not_null(bufs);
	rt_roster_steps(steps, &n, names);
	for (size_t i = 0; i < n; i++)
		rt_build(&steps[i], &evs[i], bufs + i * RT_PAYLOAD_MAX,
			 streams[i], "roster");
	int rc = svl_ledger_submit(t->l, evs, n, 0, NULL, &t->res);
	free(bufs);
	cr_assert_eq(rc, SVL_OK, "roster: %s", t->res.message);
}

static void ts_open(ts *t, const char *require)
{
	ts_open_id(t, require, NULL);
}

static void ts_close(ts *t)
{
	svl_ledger_close(t->l);
	free(t->arena.buf);
	svl_test_rmdir(t->dir);
	memset(t, 0, sizeof *t);
}

static uint64_t ts_head(ts *t)
{
	svl_head h;
	cr_assert_eq(svl_log_head(svl_ledger_log(t->l), &h), SVL_OK);
	return h.seq;
}

/* The step as an NDJSON command line, parsed into ev (arena reused). */
static void ts_cmd(ts *t, const rt_step *s, svl_event_in *ev)
{
	char line[4096];
	svl_event_error err;
	const char *role = s->role ? s->role : rt_role_of(s->actor);
	int n = snprintf(line, sizeof line,
			 "{\"type\":\"%s\",\"actor\":\"%s\",\"role\":\"%s\","
			 "\"occurred_at_ms\":%lld,\"payload\":%s}",
			 svl_event_type_get(s->type)->name, s->actor, role,
			 (long long)RT_MIN(s->at_min), s->json);
	t->arena.used = 0;
	int rc = svl_event_input_json(ev, &t->arena, line, (size_t)n, &err);
	cr_assert_eq(rc, SVL_OK, "%s: %s: %s", line, err.path, err.msg);
}

/* The key pair of seed byte n (E021's is key(21)). */
static svl_keypair key(uint8_t n)
{
	uint8_t seed[32];
	svl_keypair k;
	memset(seed, n, sizeof seed);
	cr_assert_eq(svl_key_from_seed(&k, seed), SVL_OK);
	return k;
}

static svl_keypair staff_key(const char *actor)
{
	return key((uint8_t)atoi(actor + 1));
}

/* The step as a command signed with k. */
static void ts_signed(ts *t, const rt_step *s, const svl_keypair *k,
		      svl_event_in *ev)
{
	svl_event_error err;
	ts_cmd(t, s, ev);
	int rc = svl_sign_command(svl_ledger_log(t->l), ev, &t->arena, k, &err);
	cr_assert_eq(rc, SVL_OK, "sign %s by %s: %s", svl_strerror(rc),
		     s->actor, err.msg);
}

/* Submit ev: accepted (rule NULL), or refused by `rule` with `want` (may
 * be NULL) in the message and nothing appended. */
static void ts_expect(ts *t, const svl_event_in *ev, const char *rule,
		      const char *want, const char *ctx)
{
	uint64_t before = ts_head(t);
	int rc = svl_ledger_submit(t->l, ev, 1, 0, NULL, &t->res);
	if (getenv("RT_VERBOSE"))
		fprintf(stderr, "%-50s %s\n", ctx, t->res.message);
	if (!rule) {
		cr_assert_eq(rc, SVL_OK, "%s: expected accepted, got %s: %s",
			     ctx, svl_strerror(rc), t->res.message);
		cr_assert_eq(ts_head(t), before + 1, "%s: one appended", ctx);
		return;
	}
	cr_assert_eq(rc, SVL_EREFUSED, "%s: expected refusal by %s, got %s: "
		     "%s", ctx, rule, svl_strerror(rc), t->res.message);
	cr_assert_str_eq(t->res.rule, rule, "%s: %s", ctx, t->res.message);
	cr_assert(!want || strstr(t->res.message, want),
		  "%s: '%s' does not say '%s'", ctx, t->res.message, want);
	cr_assert_eq(ts_head(t), before, "%s: nothing appended", ctx);
}

static void ts_ok(ts *t, const rt_step *s, size_t n)
{
	svl_event_in ev;
	for (size_t i = 0; i < n; i++) {
		ts_cmd(t, &s[i], &ev);
		ts_expect(t, &ev, NULL, NULL, "setup");
	}
}

/* staff_key_registered (from_at_ms = minute edge) or staff_key_revoked
 * (until_at_ms = minute edge) of k for staff, by `by` at minute 1. */
static void ts_key_cmd(ts *t, uint32_t type, const char *by, const char *staff,
		       const svl_keypair *k, int64_t edge, svl_event_in *ev)
{
	char hex[65], json[256];
	svl_key_hex(k->public_key, hex);
	snprintf(json, sizeof json,
		 "{\"staff_id\":\"%s\",\"public_key\":\"%s\",\"%s\":%lld}",
		 staff, hex,
		 type == SVL_T_STAFF_KEY_REGISTERED ? "from_at_ms"
						    : "until_at_ms",
		 (long long)RT_MIN(edge));
	rt_step s = {type, by, NULL, 1, json};
	ts_cmd(t, &s, ev);
}

/* k registered to staff from minute `from`, revoked from minute `until`
 * (-1: not revoked), by E001: both accepted. */
static void ts_key_ok(ts *t, const char *staff, const svl_keypair *k,
		      int64_t from, int64_t until)
{
	svl_event_in ev;
	ts_key_cmd(t, SVL_T_STAFF_KEY_REGISTERED, "E001", staff, k, from, &ev);
	ts_expect(t, &ev, NULL, NULL, "register");
	if (until < 0)
		return;
	ts_key_cmd(t, SVL_T_STAFF_KEY_REVOKED, "E001", staff, k, until, &ev);
	ts_expect(t, &ev, NULL, NULL, "revoke");
}

static void ts_register(ts *t, const char *staff, const svl_keypair *k,
			int64_t from)
{
	ts_key_ok(t, staff, k, from, -1);
}

static void ts_trust(ts *t, size_t signatures, size_t unsigned_n)
{
	svl_trust_report r;
	cr_assert_eq(svl_trust_check(svl_ledger_log(t->l), &r), SVL_OK);
	cr_assert(r.ok, "trust check: %s", r.problem);
	cr_assert_eq(r.signatures, signatures);
	cr_assert_eq(r.unsigned_signatures, unsigned_n);
}

/* ---- a pick: job WO1, pick PK1 of 2 x P1, its six signatures ---- */

static const rt_step PICK_FLOW[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO1",
		"customer_id": "C1", "owner_name": "Li Wei", "phone": "13800138000",
		"target": "customer_request", "job_kind": "repair",
		"items": "brake squeal", "wanted_at_ms": 1790755200000})},
	{SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK1", "wo_id": "WO1",
		"purpose": "repair", "lines": [{"part_no": "P1", "qty_milli": 2000}]})},
};
enum { REQ_TECH, REQ_ADV, APPROVAL, PM, KEEPER, PICKER, N_SIGN };
static const rt_step SIGN[N_SIGN] = {
	{SVL_T_PICK_SIGNED, "E021", NULL, 11, J({"pick_id": "PK1", "signed_as": "requisition_technician"})},
	{SVL_T_PICK_SIGNED, "E010", NULL, 12, J({"pick_id": "PK1", "signed_as": "requisition_advisor"})},
	{SVL_T_PICK_SIGNED, "E020", NULL, 13, J({"pick_id": "PK1", "signed_as": "outbound_approval"})},
	{SVL_T_PICK_SIGNED, "E020", NULL, 14, J({"pick_id": "PK1", "signed_as": "issue_parts_manager", "counted": true})},
	{SVL_T_PICK_SIGNED, "E012", NULL, 15, J({"pick_id": "PK1", "signed_as": "issue_keeper", "counted": true})},
	{SVL_T_PICK_SIGNED, "E021", NULL, 16, J({"pick_id": "PK1", "signed_as": "issue_picker", "counted": true})},
};
static const char *const SIGN_RULE[N_SIGN] = {
	"R-ISS-4", "R-ISS-4", "R-ISS-1", "R-ISS-3", "R-ISS-3", "R-ISS-3"};

/* The job and the pick request `pick`, then signatures 0..upto-1: signed
 * with their signers' keys (all registered from minute 0) when `sign`,
 * else not. */
static void ts_pick_as(ts *t, const rt_step *pick, int upto, int sign)
{
	static const char *const signers[] = {"E021", "E010", "E020", "E012"};
	for (size_t i = 0; sign && i < 4; i++) {
		svl_keypair k = staff_key(signers[i]);
		ts_register(t, signers[i], &k, 0);
	}
	ts_ok(t, PICK_FLOW, 1);
	ts_ok(t, pick, 1);
	for (int i = 0; i < upto; i++) {
		svl_event_in ev;
		svl_keypair k = staff_key(SIGN[i].actor);
		if (sign)
			ts_signed(t, &SIGN[i], &k, &ev);
		else
			ts_cmd(t, &SIGN[i], &ev);
		ts_expect(t, &ev, NULL, NULL, SIGN[i].json);
	}
}

static void ts_pick(ts *t, int upto, int sign)
{
	ts_pick_as(t, &PICK_FLOW[1], upto, sign);
}

/* ---- R-KEY-1, R-KEY-2 ---- */

Test(trust_sign, manager_registers_a_key_once_R_KEY_1)
{
	ts t;
	svl_event_in ev;
	svl_keypair k21 = key(21), k20 = key(20), k10 = key(10);
	ts_open(&t, NULL);
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REGISTERED, "E001", "E021", &k21, 0, &ev);
	ts_expect(&t, &ev, NULL, NULL, "service manager registers");
	ts_expect(&t, &ev, "R-KEY-1", "already registered to E021",
		  "the same key again");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REGISTERED, "E002", "E010", &k21, 0, &ev);
	ts_expect(&t, &ev, "R-KEY-1", "registered to E021",
		  "the same key for another person");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REGISTERED, "E020", "E020", &k20, 0, &ev);
	ts_expect(&t, &ev, "R-ROLE-1", NULL, "a parts manager registers");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REGISTERED, "E012", "E012", &k20, 0, &ev);
	ts_expect(&t, &ev, "R-ROLE-1", NULL, "a keeper registers");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REGISTERED, "E002", "E010", &k10, 0, &ev);
	ts_expect(&t, &ev, NULL, NULL, "general manager registers");
	ts_close(&t);
}

Test(trust_sign, same_key_twice_in_one_batch_R_KEY_1)
{
	ts t;
	svl_event_in evs[2];
	svl_keypair k = key(21);
	uint8_t buf[2][1024];
	ts_open(&t, NULL);
	uint64_t before = ts_head(&t);
	for (int i = 0; i < 2; i++) { /* the arena is reused: keep a copy */
		ts_key_cmd(&t, SVL_T_STAFF_KEY_REGISTERED, "E001",
			   i ? "E010" : "E021", &k, 0, &evs[i]);
		memcpy(buf[i], evs[i].payload, evs[i].payload_len);
		evs[i].payload = buf[i];
		evs[i].stream = i ? "staff-E010" : "staff-E021";
		evs[i].actor = "E001";
		evs[i].role = "service_manager";
	}
	int rc = svl_ledger_submit(t.l, evs, 2, 0, NULL, &t.res);
	cr_assert_eq(rc, SVL_EREFUSED, "%s", t.res.message);
	cr_assert_str_eq(t.res.rule, "R-KEY-1", "%s", t.res.message);
	cr_assert_eq(t.res.failed, 2);
	cr_assert_eq(ts_head(&t), before);
	ts_close(&t);
}

Test(trust_sign, revocation_while_registered_once_R_KEY_2)
{
	ts t;
	svl_event_in ev;
	svl_keypair k21 = key(21), k99 = key(99);
	ts_open(&t, NULL);
	ts_register(&t, "E021", &k21, 10);
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REVOKED, "E001", "E010", &k21, 20, &ev);
	ts_expect(&t, &ev, "R-KEY-2", "not registered to E010",
		  "revoking another person's key");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REVOKED, "E001", "E021", &k99, 20, &ev);
	ts_expect(&t, &ev, "R-KEY-2", "not registered to E021",
		  "revoking a key never registered");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REVOKED, "E001", "E021", &k21, 5, &ev);
	ts_expect(&t, &ev, "R-KEY-2", "registered from 2026-09-30 08:10",
		  "revoking before the registration");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REVOKED, "E020", "E021", &k21, 20, &ev);
	ts_expect(&t, &ev, "R-ROLE-1", NULL, "a parts manager revokes");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REVOKED, "E002", "E021", &k21, 10, &ev);
	ts_expect(&t, &ev, NULL, NULL, "revoked from its registration");
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REVOKED, "E001", "E021", &k21, 30, &ev);
	ts_expect(&t, &ev, "R-KEY-2", "already revoked", "revoking twice");
	ts_close(&t);
}

/* ---- signed pick signatures ---- */

Test(trust_sign, signed_pick_signature_accepted_and_verified_R_ISS_1)
{
	ts t;
	svl_event_in ev;
	svl_keypair k20 = staff_key("E020");
	char hex[65];
	ts_open(&t, NULL);
	ts_register(&t, "E020", &k20, 0);
	ts_pick(&t, APPROVAL, 0);
	ts_signed(&t, &SIGN[APPROVAL], &k20, &ev);
	svl_event_view v;
	cr_assert_eq(svl_event_decode(&v, ev.type, ev.schema_version,
				      ev.payload, ev.payload_len), SVL_OK);
	svl_key_hex(k20.public_key, hex);
	const svl_value *sk = &v.v[SVL_F_PICK_SIGNED_SIGNER_KEY];
	cr_assert(sk->present && sk->len == 64 && !memcmp(sk->s, hex, 64));
	cr_assert(v.v[SVL_F_PICK_SIGNED_SIGNATURE].present);
	ts_expect(&t, &ev, NULL, NULL, "signed approval");
	ts_trust(&t, 1, 2);
	ts_close(&t);
}

Test(trust_sign, sign_command_refuses_what_it_cannot_sign)
{
	ts t;
	svl_event_in ev;
	svl_event_error err;
	svl_keypair k = staff_key("E020");
	svl_log *log;
	ts_open(&t, NULL);
	log = svl_ledger_log(t.l);
	ts_cmd(&t, &PICK_FLOW[0], &ev);
	cr_assert_eq(svl_sign_command(log, &ev, &t.arena, &k, &err),
		     SVL_EINVAL, "a booking is not signable");
	ts_cmd(&t, &SIGN[APPROVAL], &ev);
	cr_assert_eq(svl_sign_command(log, &ev, &t.arena, &k, &err),
		     SVL_ENOTFOUND, "PK1 is not in the log: %s", err.msg);
	ts_pick(&t, 0, 0);
	ts_signed(&t, &SIGN[APPROVAL], &k, &ev);
	cr_assert_eq(svl_sign_command(log, &ev, &t.arena, &k, &err),
		     SVL_EINVAL, "signed twice");
	ts_close(&t);
}

/* The capacity `c` unsigned: refused by its rule naming the signer under
 * require_signed (then accepted signed), accepted without it. */
static void unsigned_capacity(int c)
{
	ts req, free_;
	svl_event_in ev;
	svl_rules r;
	svl_keypair k = staff_key(SIGN[c].actor);
	ts_open(&req, "[\"pick_signed\"]");
	ts_open(&free_, NULL);
	cr_assert_eq(svl_ledger_rules(req.l, &r), SVL_OK);
	cr_assert_eq(r.require_signed, SVL_SIGNED_PICK);
	ts_pick(&req, c, 1);
	ts_pick(&free_, c, 1);
	ts_cmd(&req, &SIGN[c], &ev);
	ts_expect(&req, &ev, SIGN_RULE[c], SIGN[c].actor, SIGN[c].json);
	cr_assert(strstr(req.res.message, "require_signed"));
	ts_signed(&req, &SIGN[c], &k, &ev);
	ts_expect(&req, &ev, NULL, NULL, "signed under require_signed");
	ts_cmd(&free_, &SIGN[c], &ev);
	ts_expect(&free_, &ev, NULL, NULL, "unsigned without require_signed");
	ts_close(&req);
	ts_close(&free_);
}

Test(trust_sign, require_signed_requisition_R_ISS_4)
{
	unsigned_capacity(REQ_TECH);
	unsigned_capacity(REQ_ADV);
}

Test(trust_sign, require_signed_approval_R_ISS_1)
{
	unsigned_capacity(APPROVAL);
}

Test(trust_sign, require_signed_issue_R_ISS_3)
{
	unsigned_capacity(PM);
	unsigned_capacity(KEEPER);
	unsigned_capacity(PICKER);
}

Test(trust_sign, another_persons_key_R_KEY_3)
{
	ts t;
	svl_event_in ev;
	svl_keypair k12 = staff_key("E012"), k99 = key(99);
	ts_open(&t, NULL);
	ts_pick(&t, APPROVAL, 1);
	ts_signed(&t, &SIGN[APPROVAL], &k12, &ev);
	ts_expect(&t, &ev, "R-KEY-3", "is not registered to E020",
		  "E020 signs with E012's key");
	ts_signed(&t, &SIGN[APPROVAL], &k99, &ev);
	ts_expect(&t, &ev, "R-KEY-3", "is not registered to E020",
		  "a key nobody registered");
	ts_close(&t);
}

/* Re-encode ev's payload into buf with field f set to i (present) or
 * dropped. */
static void reencode(svl_event_in *ev, uint32_t f, int64_t i, int present,
		     uint8_t *buf, size_t cap)
{
	svl_event_view v;
	svl_value vals[SVL_EVENT_FIELDS_MAX];
	svl_event_error err;
	size_t n;
	cr_assert_eq(svl_event_decode(&v, ev->type, ev->schema_version,
				      ev->payload, ev->payload_len), SVL_OK);
	memcpy(vals, v.v, sizeof vals);
	vals[f].i = i;
	vals[f].present = (uint8_t)present;
	cr_assert_eq(svl_event_encode(buf, cap, &n, ev->type, vals,
				      SVL_EVENT_FIELDS_MAX, &err), SVL_OK,
		     "%s", err.msg);
	ev->payload = buf;
	ev->payload_len = n;
}

Test(trust_sign, changed_after_signing_does_not_verify_R_ISS_1)
{
	ts t;
	svl_event_in ev;
	svl_keypair k20 = staff_key("E020");
	uint8_t buf[RT_PAYLOAD_MAX];
	ts_open(&t, NULL);
	ts_pick(&t, APPROVAL, 1);
	ts_signed(&t, &SIGN[APPROVAL], &k20, &ev);
	reencode(&ev, SVL_F_PICK_SIGNED_COUNTED, 1, 1, buf, sizeof buf);
	ts_expect(&t, &ev, "R-ISS-1", "does not verify", "counted added");
	ts_signed(&t, &SIGN[APPROVAL], &k20, &ev);
	ev.id[0] ^= 1;
	ts_expect(&t, &ev, "R-ISS-1", "does not verify", "another event id");
	ts_signed(&t, &SIGN[APPROVAL], &k20, &ev);
	ev.occurred_at_ms += 60000;
	ts_expect(&t, &ev, "R-ISS-1", "does not verify", "another time");
	ts_signed(&t, &SIGN[APPROVAL], &k20, &ev);
	reencode(&ev, SVL_F_PICK_SIGNED_SIGNATURE, 0, 0, buf, sizeof buf);
	ts_expect(&t, &ev, "R-ISS-1", "go together", "the signature dropped");
	ts_signed(&t, &SIGN[APPROVAL], &k20, &ev);
	ts_expect(&t, &ev, NULL, NULL, "as signed");
	ts_close(&t);
}

/* Two ledgers with one id whose PK1 asks for 2 or for 3 of P1: the
 * approval signed in one does not verify in the other. */
Test(trust_sign, signed_for_other_pick_lines_R_ISS_1)
{
	static const uint8_t id[SVL_ID_SIZE] = {0x5a, 0x17, 0x2b};
	static const rt_step PICK3 = {SVL_T_PICK_REQUESTED, "E021", NULL, 10,
		J({"pick_id": "PK1", "wo_id": "WO1", "purpose": "repair",
		   "lines": [{"part_no": "P1", "qty_milli": 3000}]})};
	ts two, three;
	svl_event_in ev;
	svl_keypair k20 = staff_key("E020");
	ts_open_id(&two, NULL, id);
	ts_open_id(&three, NULL, id);
	ts_pick(&two, APPROVAL, 1);
	ts_pick_as(&three, &PICK3, APPROVAL, 1);
	ts_signed(&two, &SIGN[APPROVAL], &k20, &ev);
	ts_expect(&three, &ev, "R-ISS-1", "does not verify",
		  "signed for 2, submitted where 3 are asked for");
	ts_expect(&two, &ev, NULL, NULL, "where it was signed");
	ts_close(&two);
	ts_close(&three);
}

Test(trust_sign, key_outside_its_registration_R_KEY_3)
{
	ts t;
	svl_event_in ev;
	svl_keypair later = key(31), revoked = key(32), from13 = key(33),
		    until14 = key(34);
	ts_open(&t, NULL);
	ts_key_ok(&t, "E020", &later, 20, -1);
	ts_key_ok(&t, "E020", &revoked, 0, 5);
	ts_key_ok(&t, "E020", &from13, 13, -1);
	ts_key_ok(&t, "E020", &until14, 0, 14);
	ts_pick(&t, APPROVAL, 0);
	ts_signed(&t, &SIGN[APPROVAL], &later, &ev);
	ts_expect(&t, &ev, "R-KEY-3", "only from 2026-09-30 08:20, not at "
		  "2026-09-30 08:13", "before the registration's from");
	ts_signed(&t, &SIGN[APPROVAL], &revoked, &ev);
	ts_expect(&t, &ev, "R-KEY-3", "revoked from 2026-09-30 08:05; it "
		  "cannot sign at 2026-09-30 08:13", "after the revocation");
	ts_signed(&t, &SIGN[APPROVAL], &from13, &ev);
	ts_expect(&t, &ev, NULL, NULL, "at from exactly");
	ts_signed(&t, &SIGN[PM], &until14, &ev);
	ts_expect(&t, &ev, "R-KEY-3", "revoked from 2026-09-30 08:14; it "
		  "cannot sign at 2026-09-30 08:14", "at until exactly");
	ts_trust(&t, 1, 2);
	ts_close(&t);
}

/* ---- write-offs (after test_rules_writeoff.c) and adjustments ---- */

static const rt_step WOF_FLOW[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P9", "bin": "W2-C01-3-02"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P9",
		"bin": "W2-C01-3-02", "qty_milli": 2000, "unit_cost_fen": 182000})},
	{SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
		"kind": "quarterly_full", "finance_present": true,
		"finance_staff_id": "E030"})},
	{SVL_T_STOCKTAKE_CLOSED, "E020", NULL, 101, J({"stk_id": "STK1",
		"lines_counted": 1})},
	{SVL_T_WRITEOFF_REQUESTED, "E012", NULL, 110, J({"wof_id": "WOF1",
		"stk_id": "STK1", "not_claimable": true, "not_returnable": true,
		"not_repairable": true, "lines": [{"part_no": "P9",
		"bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000,
		"reason": "obsolete"}]})},
};
#define APPRAISE(actor) {SVL_T_WRITEOFF_APPRAISED, actor, NULL, 111, \
	J({"wof_id": "WOF1", "agree": true, "human_caused": false})}
static const rt_step WOF_SIGN[] = {
	APPRAISE("E001"), APPRAISE("E011"), APPRAISE("E020"),
	{SVL_T_WRITEOFF_APPROVED, "E002", NULL, 120, J({"wof_id": "WOF1",
		"total_fen": 182000, "lines": [{"part_no": "P9",
		"bin": "W2-C01-3-02", "qty_milli": 1000, "unit_cost_fen": 182000}]})},
};
static const char *const WOF_RULE[] = {"R-WOF-2", "R-WOF-2", "R-WOF-2",
				       "R-WOF-5"};

static const rt_step ADJ_FLOW[] = {
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
	{SVL_T_STOCKTAKE_OPENED, "E020", NULL, 100, J({"stk_id": "STK1",
		"kind": "quarterly_full", "finance_present": true,
		"finance_staff_id": "E030"})},
	{SVL_T_STOCKTAKE_LINE_COUNTED, "E012", NULL, 102, J({"stk_id": "STK1",
		"part_no": "P1", "bin": "W1-A01-1-01", "counted_qty_milli": 4000})},
	{SVL_T_ADJUSTMENT_PROPOSED, "E012", NULL, 104, J({"stk_id": "STK1",
		"adj_no": 1, "part_no": "P1", "bin": "W1-A01-1-01",
		"delta_qty_milli": -1000, "cause": "issued without a pick entry",
		"responsible_id": "E021"})},
};
static const rt_step ADJ_APPROVED = {SVL_T_ADJUSTMENT_APPROVED, "E001", NULL,
	105, J({"part_no": "P1", "bin": "W1-A01-1-01", "delta_qty_milli": -1000,
		"stk_id": "STK1", "adj_no": 1})};

#define REQUIRE_WOF_ADJ \
	"[\"writeoff_appraised\", \"writeoff_approved\", \"adjustment_approved\"]"

/* s unsigned: refused by `rule` naming its actor; signed: accepted. */
static void unsigned_then_signed(ts *t, const rt_step *s, const char *rule)
{
	svl_event_in ev;
	svl_keypair k = staff_key(s->actor);
	ts_cmd(t, s, &ev);
	ts_expect(t, &ev, rule, s->actor, "unsigned");
	cr_assert(strstr(t->res.message, "require_signed"), "%s",
		  t->res.message);
	ts_signed(t, s, &k, &ev);
	ts_expect(t, &ev, NULL, NULL, "signed");
}

Test(trust_sign, require_signed_writeoff_R_WOF_2_R_WOF_5)
{
	ts t;
	ts_open(&t, REQUIRE_WOF_ADJ);
	for (size_t i = 0; i < 4; i++) {
		svl_keypair k = staff_key(WOF_SIGN[i].actor);
		ts_register(&t, WOF_SIGN[i].actor, &k, 0);
	}
	ts_ok(&t, WOF_FLOW, sizeof WOF_FLOW / sizeof WOF_FLOW[0]);
	for (size_t i = 0; i < 4; i++)
		unsigned_then_signed(&t, &WOF_SIGN[i], WOF_RULE[i]);
	ts_trust(&t, 4, 0);
	ts_close(&t);
}

Test(trust_sign, require_signed_adjustment_R_STK_2)
{
	ts t;
	svl_keypair k = staff_key("E001");
	ts_open(&t, REQUIRE_WOF_ADJ);
	ts_register(&t, "E001", &k, 0);
	ts_ok(&t, ADJ_FLOW, sizeof ADJ_FLOW / sizeof ADJ_FLOW[0]);
	unsigned_then_signed(&t, &ADJ_APPROVED, "R-STK-2");
	ts_trust(&t, 1, 0);
	ts_close(&t);
}

/* ---- svl_trust_check against a forger ---- */

/* The parts manager's signed count, counted true -> false (msgpack c3 ->
 * c2) with the chain recomputed: the chain holds, the signature does
 * not. */
Test(trust_sign, trust_check_finds_a_forged_signed_event)
{
	ts t;
	svl_event_in ev;
	svl_keypair k20 = staff_key("E020");
	svl_trust_report r;
	svl_verify_report vr;
	char err[256];
	ts_open(&t, NULL);
	ts_register(&t, "E020", &k20, 0);
	ts_pick(&t, PM, 0);
	ts_signed(&t, &SIGN[PM], &k20, &ev);
	ts_expect(&t, &ev, NULL, NULL, "signed count");
	uint64_t seq = t.res.last_seq;
	ts_ok(&t, &SIGN[KEEPER], 2);
	ts_trust(&t, 1, 5);
	svl_ledger_close(t.l);
	t.l = NULL;
	cr_assert_eq(forge_replace_in_record(t.dir, seq, "\xa7" "counted\xc3",
					     "\xa7" "counted\xc2", 9, err,
					     sizeof err), 0, "%s", err);
	svl_log *log = svl_test_open(t.dir, SVL_LOG_RDONLY, 0);
	cr_assert_not_null(log, "%s", svl_log_last_error());
	cr_assert_eq(svl_log_verify(log, &vr), SVL_OK);
	cr_assert(vr.ok, "the forger recomputed the chain: %s", vr.detail);
	cr_assert_eq(svl_trust_check(log, &r), SVL_OK);
	cr_assert_eq(r.ok, 0, "the forged count went unseen");
	cr_assert_eq(r.bad_from, seq);
	cr_assert_eq(r.bad_to, seq);
	cr_assert(strstr(r.problem, "does not verify"), "%s", r.problem);
	svl_log_close(log);
	ts_close(&t);
}

/* ---- a revoked key cannot sign by dating back, and verify agrees ---- */

Test(trust_sign, revoked_key_cannot_sign_dated_back_R_KEY_3)
{
	ts t;
	svl_event_in ev;
	svl_keypair k20 = staff_key("E020"), k = key(35);
	ts_open(&t, NULL);
	/* revoked from minute 20, the revocation recorded now (the clock
	 * is months after minute 13): the holder dates a signature at 13 */
	ts_key_ok(&t, "E020", &k, 0, 20);
	ts_register(&t, "E020", &k20, 0);
	ts_pick(&t, APPROVAL, 0);
	ts_signed(&t, &SIGN[APPROVAL], &k, &ev);
	ts_expect(&t, &ev, "R-KEY-3", "signs nothing dated before that",
		  "dated back after the revocation");
	ts_signed(&t, &SIGN[APPROVAL], &k20, &ev);
	ts_expect(&t, &ev, NULL, NULL, "the current key");
	svl_trust_report r;
	cr_assert_eq(svl_trust_check(svl_ledger_log(t.l), &r), SVL_OK);
	cr_assert(r.ok, "%s", r.problem);
	cr_assert_eq(r.signatures, 1);
	cr_assert_eq(r.keys_registered, 2);
	cr_assert_eq(r.keys_revoked, 1);
	ts_close(&t);
}

/* Registrations appended around the deciders (--roles-only) are checked
 * again by verify: one key, two people. */
Test(trust_sign, verify_finds_a_key_registered_twice_R_KEY_1)
{
	ts t;
	svl_event_in ev;
	svl_keypair k = key(36);
	svl_trust_report r;
	ts_open(&t, NULL);
	ts_register(&t, "E021", &k, 0);
	ts_key_cmd(&t, SVL_T_STAFF_KEY_REGISTERED, "E001", "E012", &k, 0, &ev);
	cr_assert_eq(svl_ledger_submit(t.l, &ev, 1, 0, NULL, &t.res),
		     SVL_EREFUSED, "the deciders refuse it");
	cr_assert_str_eq(t.res.rule, "R-KEY-1");
	cr_assert_eq(svl_ledger_submit(t.l, &ev, 1, SVL_SUBMIT_ROLES_ONLY, NULL,
				       &t.res),
		     SVL_OK, "%s", t.res.message);
	uint64_t seq = t.res.last_seq;
	cr_assert_eq(svl_trust_check(svl_ledger_log(t.l), &r), SVL_OK);
	cr_assert_eq(r.ok, 0, "the second registration went unseen");
	cr_assert_eq(r.bad_from, seq);
	cr_assert(strstr(r.problem, "R-KEY-1"), "%s", r.problem);
	ts_close(&t);
}

/* A seal's period is a month YYYY-MM or a day YYYY-MM-DD, nothing looser. */
Test(trust_sign, seal_period_is_a_strict_month_or_day_R_SEAL_1)
{
	ts t;
	svl_keypair k = staff_key("E001");
	static const char *const bad[] = {"2026-1x", "2026-7 ", "2026-13",
					  "2026-09-31", "26-09", ""};
	ts_open(&t, NULL);
	ts_register(&t, "E001", &k, 0);
	uint64_t before = ts_head(&t);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		svl_seal_options o = SVL_SEAL_OPTIONS_INIT;
		o.period = bad[i];
		int rc = svl_seal_append(t.l, &k, &o, NULL, &t.res);
		cr_assert_eq(rc, SVL_EINVAL, "'%s': %s", bad[i],
			     svl_strerror(rc));
		cr_assert(strstr(t.res.message, "period"), "%s",
			  t.res.message);
	}
	cr_assert_eq(ts_head(&t), before, "nothing sealed");
	svl_seal_options o = SVL_SEAL_OPTIONS_INIT;
	svl_seal s;
	o.period = "2099-12";
	cr_assert_eq(svl_seal_append(t.l, &k, &o, &s, &t.res), SVL_OK, "%s",
		     t.res.message);
	cr_assert_eq(s.from_seq, 1);
	cr_assert_eq(s.to_seq, before);
	cr_assert_str_eq(s.period, "2099-12");
	cr_assert_str_eq(s.staff_id, "E001");
	cr_assert_str_eq(s.role, "service_manager");
	ts_close(&t);
}
