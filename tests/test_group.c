/*
 * test_group.c - group commit (projections/group.c): concurrent
 * svl_ledger_submit calls share a transaction and a commit, and every
 * submitter is told its own outcome. A refused command does not sink its
 * neighbours, a command refused half-way leaves nothing of itself, and
 * every acknowledged command is in the log exactly once.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_fixture.h"
#include "svcledger.h"

#define THREADS 16
#define ROUNDS 40
#define T0 INT64_C(1790726400000)

typedef struct gt {
	svl_ledger *l;
	int id;
	pthread_barrier_t *go;
	/* per round: what was submitted and what came back */
	int kind[ROUNDS];	  /* 0 ok, 1 refused alone, 2 refused half-way */
	int rc[ROUNDS];
	char rule[ROUNDS][16];
	size_t failed[ROUNDS];
	uint64_t seq[ROUNDS][2];
} gt;

static void staff(svl_ledger *l)
{
	char buf[THREADS * 300 + 600];
	size_t n = 0;
	svl_submit_result r;
	for (int t = -1; t < THREADS; t++)
		n += (size_t)sprintf(
		    buf + n,
		    "{\"type\":\"staff_role_assigned\",\"actor\":\"G001\","
		    "\"role\":\"general_manager\",\"occurred_at_ms\":%lld,"
		    "\"payload\":{\"staff_id\":\"%s%02d\",\"role\":\"%s\","
		    "\"from_at_ms\":%lld}}\n",
		    (long long)T0, t < 0 ? "G0" : "C", t < 0 ? 1 : t,
		    t < 0 ? "general_manager" : "customer_service",
		    (long long)T0);
	cr_assert_eq(svl_ledger_submit_json(l, buf, n, 0, &r), SVL_OK, "%s",
		     r.message);
}

/* A booking of job wo by thread t's staff member, as an NDJSON line. */
static size_t booking(char *out, size_t cap, int t, const char *wo)
{
	return (size_t)snprintf(
	    out, cap,
	    "{\"type\":\"booking_requested\",\"actor\":\"C%02d\","
	    "\"role\":\"customer_service\",\"occurred_at_ms\":%lld,"
	    "\"payload\":{\"wo_id\":\"%s\",\"customer_id\":\"C-1\","
	    "\"owner_name\":\"Li Wei\",\"phone\":\"13800138000\","
	    "\"target\":\"customer_request\",\"job_kind\":\"repair\","
	    "\"items\":\"brake squeal\",\"wanted_at_ms\":%lld}}\n",
	    t, (long long)T0 + 60000, wo, (long long)T0 + 86400000);
}

/* Round k of thread t: every fifth is a second booking of the job booked
 * in round 0 (R-BKG-2, refused alone); every seventh is two bookings of
 * which the second repeats the first (refused half-way, after one
 * append). */
static void one_round(gt *g, int k)
{
	char text[2048], wo[32];
	size_t n;
	svl_submit_result r;
	snprintf(wo, sizeof wo, "WO-%02d-%03d", g->id, k);
	g->kind[k] = k % 7 == 6 ? 2 : (k % 5 == 4 && k > 0) ? 1 : 0;
	if (g->kind[k] == 1) /* round 0 is always booked */
		snprintf(wo, sizeof wo, "WO-%02d-000", g->id);
	n = booking(text, sizeof text, g->id, wo);
	if (g->kind[k] == 2)
		n += booking(text + n, sizeof text - n, g->id, wo);
	g->rc[k] = svl_ledger_submit_json(g->l, text, n, 0, &r);
	snprintf(g->rule[k], sizeof g->rule[k], "%s", r.rule);
	g->failed[k] = r.failed;
	g->seq[k][0] = r.first_seq;
	g->seq[k][1] = r.last_seq;
}

static void *run(void *arg)
{
	gt *g = arg;
	for (int k = 0; k < ROUNDS; k++) {
		pthread_barrier_wait(g->go); /* all threads submit together */
		one_round(g, k);
	}
	return NULL;
}

/* The number of records of stream "wo-<wo>" in the log. */
static uint64_t versions(svl_ledger *l, const char *wo)
{
	char stream[40];
	uint64_t v = 0;
	snprintf(stream, sizeof stream, "wo-%s", wo);
	int rc = svl_log_stream_version(svl_ledger_log(l), stream,
					strlen(stream), &v);
	cr_assert(rc == SVL_OK || rc == SVL_ENOTFOUND);
	return v;
}

static void check_thread(svl_ledger *l, const gt *g, uint64_t *appended)
{
	for (int k = 0; k < ROUNDS; k++) {
		char wo[32];
		snprintf(wo, sizeof wo, "WO-%02d-%03d", g->id, k);
		if (g->kind[k] == 0) {
			cr_assert_eq(g->rc[k], SVL_OK, "thread %d round %d", g->id,
				     k);
			cr_assert_eq(g->seq[k][0], g->seq[k][1]);
			cr_assert_eq(versions(l, wo), 1, "%s once", wo);
			(*appended)++;
			continue;
		}
		cr_assert_eq(g->rc[k], SVL_EREFUSED, "thread %d round %d: %s",
			     g->id, k, svl_strerror(g->rc[k]));
		cr_assert_str_eq(g->rule[k], "R-BKG-2");
		/* its own line is named: the second of a half-way refusal */
		cr_assert_eq(g->failed[k], g->kind[k] == 2 ? 2u : 1u);
		if (g->kind[k] == 2)
			cr_assert_eq(versions(l, wo), 0,
				     "%s: nothing of a half-refused command",
				     wo);
	}
}

Test(group, every_submitter_gets_its_own_outcome_and_nothing_half)
{
	char *dir;
	svl_ledger *l = svl_test_ledger(&dir, NULL);
	static gt g[THREADS];
	pthread_t th[THREADS];
	pthread_barrier_t go;
	svl_head before, after;
	staff(l);
	cr_assert_eq(svl_log_head(svl_ledger_log(l), &before), SVL_OK);
	pthread_barrier_init(&go, NULL, THREADS);
	for (int t = 0; t < THREADS; t++) {
		memset(&g[t], 0, sizeof g[t]);
		g[t].l = l;
		g[t].id = t;
		g[t].go = &go;
		cr_assert_eq(pthread_create(&th[t], NULL, run, &g[t]), 0);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&go);
	uint64_t appended = 0;
	for (int t = 0; t < THREADS; t++)
		check_thread(l, &g[t], &appended);
	cr_assert_eq(svl_log_head(svl_ledger_log(l), &after), SVL_OK);
	cr_assert_eq(after.seq - before.seq, appended,
		     "the log holds exactly the acknowledged commands");
	svl_verify_report vr;
	cr_assert_eq(svl_log_verify(svl_ledger_log(l), &vr), SVL_OK);
	cr_assert(vr.ok, "%s", vr.detail);
	int ok = 0;
	char detail[512];
	cr_assert_eq(svl_ledger_check(l, &ok, detail, sizeof detail), SVL_OK);
	cr_assert(ok, "the projections equal a fold of the log: %s", detail);
	svl_ledger_close(l);
	free(dir);
}

/* A dry run is never grouped with others and never appends. */
Test(group, dry_run_decides_alone_and_appends_nothing)
{
	char *dir, text[1024];
	svl_ledger *l = svl_test_ledger(&dir, NULL);
	svl_submit_result r;
	svl_head before, after;
	staff(l);
	cr_assert_eq(svl_log_head(svl_ledger_log(l), &before), SVL_OK);
	size_t n = booking(text, sizeof text, 3, "WO-DRY");
	cr_assert_eq(svl_ledger_submit_json(l, text, n, SVL_SUBMIT_DRY_RUN, &r),
		     SVL_OK, "%s", r.message);
	cr_assert_eq(r.appended, 0);
	cr_assert_eq(svl_log_head(svl_ledger_log(l), &after), SVL_OK);
	cr_assert_eq(after.seq, before.seq);
	svl_ledger_close(l);
	free(dir);
}
