/*
 * test_roles.c - who may record what: the whole role x event-type matrix
 * against the catalog's roles column (R-ROLE-1), roles held per the log at
 * the event's time (R-ROLE-2), consistent assignments (R-ROLE-3), the
 * bootstrap of an empty ledger, and the envelope errors of svl_decide.
 */
#include "test_rules_fixture.h"

/* The first person of the roster holding role r. */
static const char *holder_of(int r)
{
	const char *name = svl_role_name(r);
	for (size_t k = 0; k < sizeof rt_roster / sizeof rt_roster[0]; k++)
		if (strcmp(rt_roster[k].role, name) == 0)
			return rt_roster[k].id;
	return NULL;
}

typedef struct one {
	svl_event_in ev;
	svl_decide_options opt;
	svl_refusal why;
	int decided;
} one;

/* Decide and append, then abort the transaction: nothing is kept. */
static int decide_and_abort(svl_txn *txn, void *payload)
{
	one *o = payload;
	svl_position pos;
	o->decided = svl_decide_append(txn, &o->ev, 1, &o->opt, &pos, &o->why,
				       NULL);
	return o->decided == SVL_OK ? SVL_ECONFLICT : o->decided;
}

static void sample_step(uint32_t type, const char *actor, const char *role,
			rt_step *s)
{
	*s = (rt_step){type, actor, role, 0, svl_event_sample_json(type)};
	cr_assert(s->json, "type %u has a sample", type);
}

/* Every type, every role: allowed exactly when the catalog says so, for an
 * actor who holds that role. */
Test(roles, matrix_every_type_every_role_R_ROLE_1)
{
	rt t;
	rt_open(&t);
	uint64_t head = rt_head(&t);
	size_t allowed = 0, refused = 0;
	for (size_t i = 0; i < svl_event_type_count(); i++) {
		const svl_event_type *ty = svl_event_type_at(i);
		for (int r = 0; r < SVL_ROLE__COUNT; r++) {
			rt_step s;
			uint8_t buf[RT_PAYLOAD_MAX];
			char stream[SVL_STREAM_MAX + 1], ctx[128];
			one o = {.opt = t.opt};
			o.opt.flags = SVL_DECIDE_ROLES_ONLY;
			snprintf(ctx, sizeof ctx, "%s by a %s", ty->name,
				 svl_role_name(r));
			sample_step(ty->id, holder_of(r), svl_role_name(r), &s);
			rt_build(&s, &o.ev, buf, stream, ctx);
			int rc = svl_log_write(t.log, decide_and_abort, &o);
			if (svl_event_type_allows(ty, r)) {
				cr_assert_eq(o.decided, SVL_OK, "%s: allowed by "
					     "the catalog, got %s: %s", ctx,
					     svl_strerror(o.decided), o.why.msg);
				allowed++;
				continue;
			}
			cr_assert_eq(rc, SVL_EREFUSED, "%s: not in the roles "
				     "column, got %s", ctx, svl_strerror(rc));
			cr_assert_str_eq(o.why.rule, "R-ROLE-1", "%s", ctx);
			cr_assert(strstr(o.why.msg, ty->name) &&
				  strstr(o.why.msg, svl_role_name(r)),
				  "%s: the message names both: %s", ctx,
				  o.why.msg);
			refused++;
		}
	}
	cr_assert_eq(rt_head(&t), head, "nothing appended");
	cr_assert_eq(allowed + refused,
		     svl_event_type_count() * (size_t)SVL_ROLE__COUNT);
	cr_assert_gt(allowed, 61u, "every type has at least one role");
	rt_close(&t);
}

/* Every type: the role is in the column but the actor does not hold it
 * (nobody, or someone holding another role). */
/* For every role r: "F<r>" holds it only from 2026-10-01, "P<r>" held it
 * only until 2026-09-01 (events are on 2026-09-30). */
static void appoint_outside_now(rt *t)
{
	for (int r = 0; r < SVL_ROLE__COUNT; r++) {
		char js[3][200], ctx[32];
		snprintf(js[0], sizeof js[0], "{\"staff_id\": \"F%d\", \"role\": "
			 "\"%s\", \"from_at_ms\": 1790812800000}", r,
			 svl_role_name(r));
		snprintf(js[1], sizeof js[1], "{\"staff_id\": \"P%d\", \"role\": "
			 "\"%s\", \"from_at_ms\": 1767225600000}", r,
			 svl_role_name(r));
		snprintf(js[2], sizeof js[2], "{\"staff_id\": \"P%d\", \"role\": "
			 "\"%s\", \"until_at_ms\": 1788220800000}", r,
			 svl_role_name(r));
		const rt_step steps[] = {
			{SVL_T_STAFF_ROLE_ASSIGNED, "E001", NULL, -5, js[0]},
			{SVL_T_STAFF_ROLE_ASSIGNED, "E001", NULL, -4, js[1]},
			{SVL_T_STAFF_ROLE_REVOKED, "E001", NULL, -3, js[2]},
		};
		snprintf(ctx, sizeof ctx, "appoint %d", r);
		rt_ok(t, steps, 3, ctx);
	}
}

/* Every type, with a role of its column the actor does not hold at the
 * event's time: nobody, someone in another role, someone who holds it
 * only later, someone who held it only before. */
Test(roles, matrix_actor_without_the_role_R_ROLE_2)
{
	rt t;
	rt_open(&t);
	appoint_outside_now(&t);
	for (size_t i = 0; i < svl_event_type_count(); i++) {
		const svl_event_type *ty = svl_event_type_at(i);
		int r = __builtin_ctz(ty->roles);
		char future[8], past[8];
		snprintf(future, sizeof future, "F%d", r);
		snprintf(past, sizeof past, "P%d", r);
		const char *actors[] = {"E999", r == SVL_ROLE_CASHIER ? "E030"
								      : "E031",
					future, past};
		const char *says[] = {"does not hold", "does not hold",
				      "only from 2026-10-01 08:00",
				      "only until 2026-09-01 08:00"};
		for (size_t a = 0; a < 4; a++) {
			rt_step s;
			uint8_t buf[RT_PAYLOAD_MAX];
			char stream[SVL_STREAM_MAX + 1], ctx[128];
			one o = {.opt = t.opt};
			o.opt.flags = SVL_DECIDE_ROLES_ONLY;
			snprintf(ctx, sizeof ctx, "%s by %s claiming %s",
				 ty->name, actors[a], svl_role_name(r));
			sample_step(ty->id, actors[a], svl_role_name(r), &s);
			rt_build(&s, &o.ev, buf, stream, ctx);
			int rc = svl_log_write(t.log, decide_and_abort, &o);
			cr_assert_eq(rc, SVL_EREFUSED, "%s: got %s", ctx,
				     svl_strerror(rc));
			cr_assert_str_eq(o.why.rule, "R-ROLE-2", "%s: %s", ctx,
					 o.why.msg);
			cr_assert(strstr(o.why.msg, says[a]), "%s: '%s' should "
				  "say '%s'", ctx, o.why.msg, says[a]);
		}
	}
	rt_close(&t);
}

/* Held only after, only before, and during occurred_at. */
Test(roles, held_only_before_or_after_occurred_at_R_ROLE_2)
{
	static const rt_step staff[] = {
		{SVL_T_STAFF_ROLE_ASSIGNED, "E001", NULL, -10, J({"staff_id": "E060",
			"role": "warehouse_keeper", "from_at_ms": 1790812800000})},
		{SVL_T_STAFF_ROLE_ASSIGNED, "E001", NULL, -9, J({"staff_id": "E061",
			"role": "warehouse_keeper", "from_at_ms": 1767225600000})},
		{SVL_T_STAFF_ROLE_REVOKED, "E001", NULL, -8, J({"staff_id": "E061",
			"role": "warehouse_keeper", "until_at_ms": 1788220800000})},
	};
	static const struct {
		const char *actor;
		int64_t at_min;
		const char *rule, *says;
	} cases[] = {
		{"E060", 0, "R-ROLE-2", "only from 2026-10-01 08:00"},
		{"E060", 1440, NULL, NULL},          /* from 2026-10-01T00:00Z */
		{"E061", 0, "R-ROLE-2", "only until 2026-09-01 08:00"},
		{"E061", -43200, NULL, NULL},        /* 2026-08-31: still held */
		{"E012", 0, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rt t;
		char ctx[64];
		rt_open(&t);
		rt_ok(&t, staff, sizeof staff / sizeof staff[0], "staff");
		rt_step cmd = {SVL_T_BIN_ASSIGNED, cases[i].actor,
			       "warehouse_keeper", cases[i].at_min,
			       J({"part_no": "P1", "bin": "W1-A01-1-01"})};
		snprintf(ctx, sizeof ctx, "%s at minute %lld", cases[i].actor,
			 (long long)cases[i].at_min);
		rt_expect(&t, &cmd, cases[i].rule, ctx);
		if (cases[i].says) {
			svl_refusal why;
			cr_assert_eq(rt_run(&t, &cmd, 1, &why, ctx), SVL_EREFUSED);
			cr_assert(strstr(why.msg, cases[i].says), "%s: '%s' "
				  "should say '%s'", ctx, why.msg,
				  cases[i].says);
		}
		rt_close(&t);
	}
}

/* An empty ledger appoints its first manager without anyone holding a
 * role; from then on only a manager assigns roles. */
Test(roles, bootstrap_then_only_managers_assign)
{
	rt t;
	rt_open_ex(&t, 0);
	rt_step tech = {SVL_T_STAFF_ROLE_ASSIGNED, "E999", "service_manager", 0,
			J({"staff_id": "E021", "role": "technician",
			   "from_at_ms": 1767225600000})};
	rt_step boot = {SVL_T_STAFF_ROLE_ASSIGNED, "E001", "service_manager", 1,
			J({"staff_id": "E001", "role": "service_manager",
			   "from_at_ms": 1767225600000})};
	rt_step as_tech = boot;
	as_tech.role = "technician";
	rt_expect(&t, &as_tech, "R-ROLE-1", "bootstrap claiming technician");
	rt_expect(&t, &tech, NULL, "no manager yet: any assignment");
	rt_expect(&t, &boot, NULL, "the first manager");
	rt_step again = tech;
	again.json = J({"staff_id": "E022", "role": "technician",
			"from_at_ms": 1767225600000});
	rt_expect(&t, &again, "R-ROLE-2", "a manager exists: E999 holds no role");
	again.actor = "E001";
	again.at_min = 2;
	rt_expect(&t, &again, NULL, "the manager assigns");
	rt_close(&t);
}

Test(roles, assignments_stay_consistent_R_ROLE_3)
{
	const rt_case cases[] = {
		{"assign a role held", {{0}}, {SVL_T_STAFF_ROLE_ASSIGNED, "E001",
			NULL, 0, J({"staff_id": "E012", "role": "warehouse_keeper",
				    "from_at_ms": 1790726400000})}, "R-ROLE-3"},
		{"assign a new role", {{0}}, {SVL_T_STAFF_ROLE_ASSIGNED, "E001",
			NULL, 0, J({"staff_id": "E012", "role": "purchaser",
				    "from_at_ms": 1790726400000})}, NULL},
		{"revoke a role not held", {{0}}, {SVL_T_STAFF_ROLE_REVOKED, "E001",
			NULL, 0, J({"staff_id": "E012", "role": "finance",
				    "until_at_ms": 1790726400000})}, "R-ROLE-3"},
		{"revoke before it began", {{0}}, {SVL_T_STAFF_ROLE_REVOKED, "E002",
			NULL, 0, J({"staff_id": "E012", "role": "warehouse_keeper",
				    "until_at_ms": 1704067200000})}, "R-ROLE-3"},
		{"revoke", {{0}}, {SVL_T_STAFF_ROLE_REVOKED, "E002", NULL, 0,
			J({"staff_id": "E012", "role": "warehouse_keeper",
			   "until_at_ms": 1790726400000})}, NULL},
		{"a keeper cannot assign", {{0}}, {SVL_T_STAFF_ROLE_ASSIGNED,
			"E012", NULL, 0, J({"staff_id": "E099", "role":
			"technician", "from_at_ms": 1790726400000})}, "R-ROLE-1"},
	};
	RT_CASES(cases);
}

Test(roles, refusal_names_who_may_record_it_R_ROLE_1)
{
	rt t;
	svl_refusal why;
	rt_open(&t);
	rt_step s = {SVL_T_BOOKING_CONFIRMED, "E012", NULL, 0,
		     svl_event_sample_json(SVL_T_BOOKING_CONFIRMED)};
	cr_assert_eq(rt_run(&t, &s, 1, &why, "keeper confirms"), SVL_EREFUSED);
	cr_assert_str_eq(why.msg, "R-ROLE-1: a warehouse_keeper may not record "
			 "booking_confirmed; it is recorded by service_advisor "
			 "or customer_service");
	rt_close(&t);
}

/* ---- the envelope: problems of the event itself are SVL_EINVAL ---- */

typedef struct raw {
	svl_event_in ev;
	svl_refusal why;
} raw;

static int decide_only(svl_txn *txn, void *payload)
{
	raw *r = payload;
	return svl_decide(txn, &r->ev, NULL, &r->why);
}

Test(roles, envelope_errors_are_einval)
{
	rt t;
	uint8_t buf[RT_PAYLOAD_MAX];
	char stream[SVL_STREAM_MAX + 1];
	rt_open(&t);
	rt_step s = {SVL_T_BIN_ASSIGNED, "E012", NULL, 0,
		     J({"part_no": "P1", "bin": "W1-A01-1-01"})};
	raw r;
	rt_build(&s, &r.ev, buf, stream, "bin");
	cr_assert_eq(svl_log_read(t.log, decide_only, &r), SVL_OK);
	struct {
		const char *what;
		void (*mess)(svl_event_in *);
	} bad[] = {
		{"unknown type", NULL}, {"stream", NULL}, {"role", NULL},
		{"actor", NULL}, {"payload", NULL},
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		rt_build(&s, &r.ev, buf, stream, "bin");
		switch (k) {
		case 0: r.ev.type = 99; break;
		case 1: r.ev.stream = "part-P2"; r.ev.stream_len = 7; break;
		case 2: r.ev.role = "boss"; r.ev.role_len = 4; break;
		case 3: r.ev.actor_len = 0; break;
		default: r.ev.payload_len = 3; break;
		}
		int rc = svl_log_read(t.log, decide_only, &r);
		cr_assert_eq(rc, SVL_EINVAL, "%s: got %s", bad[k].what,
			     svl_strerror(rc));
		cr_assert_str_eq(r.why.rule, "", "%s: not a refusal",
				 bad[k].what);
		cr_assert_neq(svl_log_errmsg(t.log)[0], '\0', "%s: detail",
			      bad[k].what);
	}
	rt_close(&t);
}

Test(roles, decide_without_prepare_is_misuse)
{
	char *dir = svl_test_mkdtemp();
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE | SVL_LOG_NOSYNC, 0);
	cr_assert(log);
	uint8_t buf[RT_PAYLOAD_MAX];
	char stream[SVL_STREAM_MAX + 1];
	rt_step s = {SVL_T_STAFF_ROLE_ASSIGNED, "E001", "service_manager", 0,
		     J({"staff_id": "E001", "role": "service_manager",
			"from_at_ms": 1767225600000})};
	raw r;
	rt_build(&s, &r.ev, buf, stream, "boot");
	cr_assert_eq(svl_log_read(log, decide_only, &r), SVL_EMISUSE);
	cr_assert(strstr(svl_log_errmsg(log), "svl_decide_prepare"), "%s",
		  svl_log_errmsg(log));
	svl_log_close(log);
	svl_test_rmdir(dir);
}

/* The deciders read the stream key of wo-, cmp-, stk-, plan-, po-, pick-
 * and wof- types as field 0 of the payload (svl__decide_*). */
Test(roles, stream_key_is_field_0_where_deciders_expect_it)
{
	static const char *const prefixes[] = {"wo", "cmp", "stk", "plan",
					       "po", "pick", "wof"};
	for (size_t i = 0; i < svl_event_type_count(); i++) {
		const svl_event_type *ty = svl_event_type_at(i);
		for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
			if (strcmp(ty->stream_prefix, prefixes[k]) == 0)
				cr_assert_eq(ty->stream_field, 0u, "%s", ty->name);
	}
}

/* A read-only handle decides (dry runs) on an index that is up to date,
 * and a log that never had the deciders opens read-only without them. */
Test(roles, read_only_handles)
{
	rt t;
	uint8_t buf[RT_PAYLOAD_MAX];
	char stream[SVL_STREAM_MAX + 1];
	rt_open(&t);
	svl_log_close(t.log);
	svl_log *ro = svl_test_open(t.dir, SVL_LOG_RDONLY, 0);
	cr_assert(ro, "%s", svl_log_last_error());
	cr_assert_eq(svl_decide_prepare(ro), SVL_OK, "%s", svl_log_errmsg(ro));
	rt_step s = {SVL_T_BIN_ASSIGNED, "E012", NULL, 0,
		     J({"part_no": "P1", "bin": "W1-A01-1-01"})};
	raw r;
	rt_build(&s, &r.ev, buf, stream, "bin");
	cr_assert_eq(svl_log_read(ro, decide_only, &r), SVL_OK, "%s",
		     svl_log_errmsg(ro));
	r.ev.actor = "E999";
	r.ev.actor_len = 4;
	cr_assert_eq(svl_log_read(ro, decide_only, &r), SVL_EREFUSED);
	cr_assert_str_eq(r.why.rule, "R-ROLE-2");
	svl_log_close(ro);
	t.log = NULL;
	rt_close(&t);

	char *dir = svl_test_mkdtemp();
	svl_log *log = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert(log);
	svl_log_close(log);
	/* never prepared: every decision says so, whatever its type */
	ro = svl_test_open(dir, SVL_LOG_RDONLY, 0);
	cr_assert(ro);
	cr_assert_eq(svl_decide_prepare(ro), SVL_OK, "%s", svl_log_errmsg(ro));
	rt_build(&s, &r.ev, buf, stream, "bin");
	cr_assert_eq(svl_log_read(ro, decide_only, &r), SVL_EMISUSE);
	svl_log_close(ro);
	svl_test_rmdir(dir);
}
