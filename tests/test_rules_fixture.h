/*
 * test_rules_fixture.h - the harness of the decider tests (test_rules_*.c,
 * test_roles.c): a fresh ledger with the department's staff appointed,
 * events written as (type, actor, role, minute, JSON payload) steps, and
 * table-driven cases that replay a story and then expect one command to
 * be accepted or refused by a named rule with nothing appended.
 *
 * Header-only (static inline) so that only the files that include it
 * carry it. Times: minute m of a step is T0 + m minutes, T0 =
 * 2026-09-30T00:00Z = 08:00 at the shop (UTC+08:00).
 */
#ifndef SVL_TEST_RULES_FIXTURE_H
#define SVL_TEST_RULES_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "svl_decide.h"
#include "svl_events.h"
#include "svl_ledger.h"

#define J(...) #__VA_ARGS__

/* The reception of repair job `wo` by advisor E010 at minute `min`, the
 * sheet confirmed with its estimate (R-REC-1..3), and its inspection by
 * technician E021, the checklist whole and in order (R-INS-1): the steps
 * every story through the workshop takes before its quote. */
#define RT_CHECKLIST                                                           \
	"\"checklist\": [{\"step\": \"hood\", \"ok\": true}, {\"step\": "      \
	"\"plate_vin\", \"ok\": true}, {\"step\": \"engine_bay_fluids\", "     \
	"\"ok\": true}, {\"step\": \"body_walkaround\", \"ok\": true}, "       \
	"{\"step\": \"spare_tire\", \"ok\": true}, {\"step\": "                \
	"\"gauges_interior_electrics\", \"ok\": true}, {\"step\": "            \
	"\"valuables\", \"ok\": true}]"
#define RT_RECEIVED(wo, min)                                                   \
	{SVL_T_VEHICLE_RECEIVED, "E010", NULL, min,                            \
	 "{\"wo_id\": \"" wo "\", \"customer_id\": \"C1\", \"plate\": "        \
	 "\"B12345\", \"job_kind\": \"repair\", \"mileage_km\": 45000, "       \
	 "\"fuel_pct\": 40, \"covers_laid\": 3, \"first_visit\": false, "      \
	 "\"fault_description\": \"squeal\", \"est_amount_fen\": 10000, "      \
	 "\"est_ready_at_ms\": 1790769600000, \"customer_confirmed\": true}"}
#define RT_INSPECTED(wo, min)                                                  \
	{SVL_T_INSPECTION_RECORDED, "E021", NULL, min,                         \
	 "{\"wo_id\": \"" wo "\", " RT_CHECKLIST ", \"diagnosis\": "           \
	 "\"pads worn\", \"road_test\": false}"}

/* Opt-in: a file that defines RT_ON_REFUSAL(ctx) before including this
 * header has it called after every refused write of rt_run, while
 * svl_refusal_last still holds the refusal (tests/test_refusal_zh.c
 * reads each one in Chinese). */
#ifndef RT_ON_REFUSAL
#define RT_ON_REFUSAL(ctx) ((void)0)
#endif

#define RT_T0 INT64_C(1790726400000)      /* 2026-09-30T00:00Z */
#define RT_STAFF_FROM INT64_C(1767225600000) /* 2026-01-01T00:00Z */
#define RT_MIN(m) (RT_T0 + (int64_t)(m) * 60000)
#define RT_PAYLOAD_MAX 8192
#define RT_BATCH_MAX 64

/* One event: type, actor, role (NULL: the actor's role in the roster),
 * minute after T0, payload as JSON. */
typedef struct rt_step {
	uint32_t type;
	const char *actor;
	const char *role;
	int64_t at_min;
	const char *json;
} rt_step;

typedef struct rt_chunk {
	const rt_step *s;
	size_t n;
} rt_chunk;

#define CH(a) {a, sizeof a / sizeof a[0]}
#define RT_CHUNKS 10

/* A case: replay the setup chunks (each step must be accepted), then the
 * command must be accepted (rule NULL) or refused by `rule`. */
typedef struct rt_case {
	const char *name;
	rt_chunk setup[RT_CHUNKS];
	rt_step cmd;
	const char *rule;
} rt_case;

/* The department: one person per role, and E050 holding both parts_manager
 * and warehouse_keeper, and E006 holding service_manager, warehouse_keeper
 * and parts_manager (a small shop), for segregation-of-duty cases. */
static const struct {
	const char *id, *role;
} rt_roster[] = {
	{"E001", "service_manager"},  {"E002", "general_manager"},
	{"E003", "workshop_manager"}, {"E004", "technical_director"},
	{"E005", "front_desk_supervisor"}, {"E010", "service_advisor"},
	{"E011", "claims_specialist"}, {"E013", "customer_service"},
	{"E020", "parts_manager"},     {"E012", "warehouse_keeper"},
	{"E021", "technician"},        {"E022", "technician"},
	{"E030", "finance"},           {"E031", "cashier"},
	{"E040", "purchaser"},         {"E050", "parts_manager"},
	{"E050", "warehouse_keeper"},  {"E006", "service_manager"},
	{"E006", "warehouse_keeper"},  {"E006", "parts_manager"},
};

/* On a log, decided under `opt`; or (rt_open_ledger) on a ledger, decided
 * under its rule set and folded into its projections. */
typedef struct rt {
	char *dir;
	svl_log *log;
	svl_decide_options opt;
	svl_ledger *ledger;
} rt;

static inline const char *rt_role_of(const char *actor)
{
	for (size_t k = 0; k < sizeof rt_roster / sizeof rt_roster[0]; k++)
		if (strcmp(rt_roster[k].id, actor) == 0)
			return rt_roster[k].role;
	return "technician";
}

/* Build one event into ev, its payload into buf. */
static inline void rt_build(const rt_step *s, svl_event_in *ev, uint8_t *buf,
			    char *stream, const char *ctx)
{
	svl_event_error err;
	size_t len = 0, slen = 0;
	memset(ev, 0, sizeof *ev);
	int rc = svl_event_from_json_text(buf, RT_PAYLOAD_MAX, &len, s->type,
					  s->json, strlen(s->json), &err);
	cr_assert_eq(rc, SVL_OK, "%s: payload of type %u: %s (%s)", ctx,
		     s->type, err.msg, s->json);
	rc = svl_event_stream_of(stream, SVL_STREAM_MAX + 1, &slen, s->type,
				 svl_event_type_get(s->type)->version, buf, len);
	cr_assert_eq(rc, SVL_OK, "%s: stream of type %u", ctx, s->type);
	const char *role = s->role ? s->role : rt_role_of(s->actor);
	ev->stream = stream;
	ev->stream_len = slen;
	ev->type = s->type;
	ev->schema_version = svl_event_type_get(s->type)->version;
	ev->occurred_at_ms = RT_MIN(s->at_min);
	ev->actor = s->actor;
	ev->actor_len = strlen(s->actor);
	ev->role = role;
	ev->role_len = strlen(role);
	ev->payload = buf;
	ev->payload_len = len;
	ev->expected_version = SVL_VERSION_ANY;
}

typedef struct rt_batch {
	const svl_event_in *evs;
	size_t n;
	const svl_decide_options *opt;
	svl_refusal *why;
	size_t failed;
	svl_position pos[RT_BATCH_MAX];
} rt_batch;

static inline int rt_batch_fn(svl_txn *txn, void *payload)
{
	rt_batch *b = payload;
	return svl_decide_append(txn, b->evs, b->n, b->opt, b->pos, b->why,
				 &b->failed);
}

/* Decide and append the n steps as one batch; the code of the write. */
static inline int rt_run(rt *t, const rt_step *s, size_t n, svl_refusal *why,
			 const char *ctx)
{
	cr_assert_leq(n, RT_BATCH_MAX);
	svl_event_in evs[RT_BATCH_MAX];
	uint8_t *bufs = malloc(n * RT_PAYLOAD_MAX + 1);
	char (*streams)[SVL_STREAM_MAX + 1] = malloc((n + 1) * sizeof *streams);
	cr_assert(bufs && streams);
	for (size_t i = 0; i < n; i++)
		rt_build(&s[i], &evs[i], bufs + i * RT_PAYLOAD_MAX, streams[i],
			 ctx);
	int rc;
	if (t->ledger) {
		svl_submit_result res;
		rc = svl_ledger_submit(t->ledger, evs, n, 0, NULL, &res);
		if (why && rc == SVL_EREFUSED) { /* "event 1: R-..." */
			const char *m = strstr(res.message, ": R-");
			snprintf(why->rule, sizeof why->rule, "%s", res.rule);
			snprintf(why->msg, sizeof why->msg, "%.255s",
				 m ? m + 2 : res.message);
		}
	} else {
		rt_batch b = {evs, n, &t->opt, why, 0, {{0}}};
		rc = svl_log_write(t->log, rt_batch_fn, &b);
	}
	free(bufs);
	free(streams);
	if (rc == SVL_EREFUSED)
		RT_ON_REFUSAL(ctx);
	return rc;
}

static inline uint64_t rt_head(rt *t)
{
	svl_head h;
	cr_assert_eq(svl_log_head(t->log, &h), SVL_OK);
	return h.seq;
}

/* Every step of the chunk accepted, one transaction each. */
static inline void rt_ok(rt *t, const rt_step *s, size_t n, const char *ctx)
{
	for (size_t i = 0; i < n; i++) {
		svl_refusal why;
		int rc = rt_run(t, &s[i], 1, &why, ctx);
		cr_assert_eq(rc, SVL_OK, "%s: setup step %zu (type %u by %s) "
			     "gave %s: %s", ctx, i, s[i].type, s[i].actor,
			     svl_strerror(rc), rc == SVL_EREFUSED ? why.msg
				     : svl_log_errmsg(t->log));
	}
}

/* The staff, appointed as one batch: E001 bootstraps the ledger. */
static inline void rt_roster_steps(rt_step *out, size_t *n, char (*json)[160])
{
	size_t k;
	for (k = 0; k < sizeof rt_roster / sizeof rt_roster[0]; k++) {
		snprintf(json[k], 160, "{\"staff_id\": \"%s\", \"role\": \"%s\", "
			 "\"from_at_ms\": %lld}", rt_roster[k].id,
			 rt_roster[k].role, (long long)RT_STAFF_FROM);
		out[k] = (rt_step){SVL_T_STAFF_ROLE_ASSIGNED, "E001",
				   "service_manager", -391679, json[k]};
	}
	*n = k;
}

static inline void rt_appoint(rt *t)
{
	rt_step steps[RT_BATCH_MAX];
	char json[RT_BATCH_MAX][160];
	size_t n;
	svl_refusal why;
	rt_roster_steps(steps, &n, json);
	int rc = rt_run(t, steps, n, &why, "roster");
	cr_assert_eq(rc, SVL_OK, "roster: %s %s", svl_strerror(rc),
		     rc == SVL_EREFUSED ? why.msg : svl_log_errmsg(t->log));
}

/* A fresh log; with_staff: the roster appointed. */
static inline void rt_open_ex(rt *t, int with_staff)
{
	svl_decide_options o = SVL_DECIDE_OPTIONS_INIT;
	t->opt = o;
	t->ledger = NULL;
	t->dir = svl_test_mkdtemp();
	cr_assert(t->dir);
	t->log = svl_test_open(t->dir, SVL_LOG_CREATE | SVL_LOG_NOSYNC, 0);
	cr_assert(t->log, "%s", svl_log_last_error());
	cr_assert_eq(svl_decide_prepare(t->log), SVL_OK, "%s",
		     svl_log_errmsg(t->log));
	if (with_staff)
		rt_appoint(t);
}

/* A fresh ledger under `rules` (NULL: the defaults), the roster appointed:
 * the deciders and the projections read the same rule set. */
static inline void rt_open_ledger(rt *t, const svl_rules *rules)
{
	svl_decide_options o = SVL_DECIDE_OPTIONS_INIT;
	t->opt = o;
	t->dir = svl_test_mkdtemp();
	cr_assert(t->dir);
	svl_ledger_options lo = SVL_LEDGER_OPTIONS_INIT;
	lo.flags = SVL_LOG_CREATE | SVL_LOG_NOSYNC;
	lo.rules = rules;
	int rc = svl_ledger_open(&t->ledger, t->dir, &lo);
	cr_assert_eq(rc, SVL_OK, "ledger open: %s", svl_log_last_error());
	t->log = svl_ledger_log(t->ledger);
	rt_appoint(t);
}

static inline void rt_open(rt *t)
{
	rt_open_ex(t, 1);
}

static inline void rt_close(rt *t)
{
	if (t->ledger)
		svl_ledger_close(t->ledger);
	else
		svl_log_close(t->log);
	t->ledger = NULL;
	svl_test_rmdir(t->dir);
	t->log = NULL;
	t->dir = NULL;
}

/* The command must be refused by `rule` (NULL: accepted); when refused,
 * nothing is appended and the message names the rule. */
static inline void rt_expect(rt *t, const rt_step *cmd, const char *rule,
			     const char *ctx)
{
	svl_refusal why;
	uint64_t before = rt_head(t);
	int rc = rt_run(t, cmd, 1, &why, ctx);
	if (!rule) {
		cr_assert_eq(rc, SVL_OK, "%s: expected to be accepted, got %s: "
			     "%s", ctx, svl_strerror(rc),
			     rc == SVL_EREFUSED ? why.msg
						: svl_log_errmsg(t->log));
		cr_assert_eq(rt_head(t), before + 1, "%s: one event appended",
			     ctx);
		return;
	}
	cr_assert_eq(rc, SVL_EREFUSED, "%s: expected refusal by %s, got %s "
		     "(%s)", ctx, rule, svl_strerror(rc),
		     rc == SVL_OK ? "accepted" : svl_log_errmsg(t->log));
	cr_assert_str_eq(why.rule, rule, "%s: refused by %s, expected %s: %s",
			 ctx, why.rule, rule, why.msg);
	/* the catalog's rules column lists every rule a type is bound by */
	const svl_event_type *ty = svl_event_type_get(cmd->type);
	/* the ids before a '|' are those its decider refuses with */
	char padded[128];
	snprintf(padded, sizeof padded, " %.*s ",
		 (int)strcspn(ty->rules, "|"), ty->rules);
	char want[24];
	snprintf(want, sizeof want, " %s ", rule);
	cr_assert(strncmp(rule, "R-ROLE-", 7) == 0 || strstr(padded, want),
		  "%s: %s refused by %s, which its rules column (%s) does not "
		  "list", ctx, ty->name, rule, ty->rules);
	if (getenv("RT_VERBOSE")) /* to read the messages a manager sees */
		fprintf(stderr, "%-60s %s\n", ctx, why.msg);
	cr_assert(strncmp(why.msg, rule, strlen(rule)) == 0 &&
		  strlen(why.msg) > strlen(rule) + 10,
		  "%s: the message starts with the rule and says why: '%s'",
		  ctx, why.msg);
	cr_assert_eq(rt_head(t), before, "%s: nothing appended", ctx);
}

/* The command is refused by `rule` with `words` in its message. */
static inline void rt_refused_saying(rt *t, const rt_step *cmd,
				     const char *rule, const char *words)
{
	svl_refusal why;
	int rc = rt_run(t, cmd, 1, &why, words);
	cr_assert_eq(rc, SVL_EREFUSED, "%s: %s", words, svl_strerror(rc));
	cr_assert_str_eq(why.rule, rule, "%s", why.msg);
	cr_assert(strstr(why.msg, words), "'%s' not in '%s'", words, why.msg);
}

/* Run each case on a fresh ledger. */
static inline void rt_cases(const rt_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rt t;
		char ctx[200];
		rt_open(&t);
		for (size_t k = 0; k < RT_CHUNKS && cases[i].setup[k].s; k++) {
			snprintf(ctx, sizeof ctx, "case '%s', setup chunk %zu",
				 cases[i].name, k);
			rt_ok(&t, cases[i].setup[k].s, cases[i].setup[k].n, ctx);
		}
		snprintf(ctx, sizeof ctx, "case '%s'", cases[i].name);
		rt_expect(&t, &cases[i].cmd, cases[i].rule, ctx);
		rt_close(&t);
	}
}

#define RT_CASES(tab) rt_cases(tab, sizeof tab / sizeof tab[0])

#endif
