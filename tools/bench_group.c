/*
 * bench_group.c - concurrent durable submissions (`svcledger bench`): T
 * threads each submit one command at a time through svl_ledger_submit_json
 * on a durable ledger (the default: every acknowledged command synced), so
 * that what they get is what the group commit gives (projections/group.c).
 *
 * The command is a booking (booking_requested of a new job) by one of the
 * thread's own customer-service staff: decided by the rules, appended, and
 * folded into the projections, like any command of the department. Every
 * submission's latency is from the call to its return (its outcome known
 * and durable).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "svcledger.h"

#define GROUP_THREADS_MAX 64
#define T0_MS INT64_C(1790726400000) /* 2026-09-30T00:00Z */

typedef struct worker {
	svl_ledger *l;
	int id;
	double until;
	bench_lat lat;
	uint64_t ok, refused;
	int rc; /* the first failure that is not a refusal */
} worker;

static int setup_staff(svl_ledger *l, int threads)
{
	char *buf = malloc(512 * (size_t)(threads + 1));
	size_t len = 0;
	svl_submit_result r;
	if (!buf)
		return SVL_ENOMEM;
	for (int t = -1; t < threads; t++)
		len += (size_t)sprintf(
		    buf + len,
		    "{\"type\":\"staff_role_assigned\",\"actor\":\"G001\","
		    "\"role\":\"general_manager\",\"occurred_at_ms\":%lld,"
		    "\"payload\":{\"staff_id\":\"%s%02d\",\"role\":\"%s\","
		    "\"from_at_ms\":%lld}}\n",
		    (long long)T0_MS, t < 0 ? "G0" : "C", t < 0 ? 1 : t,
		    t < 0 ? "general_manager" : "customer_service",
		    (long long)T0_MS);
	int rc = svl_ledger_submit_json(l, buf, len, 0, &r);
	free(buf);
	return rc;
}

static void *work(void *arg)
{
	worker *w = arg;
	char line[640];
	for (uint64_t k = 0; bench_now() < w->until; k++) {
		int n = snprintf(
		    line, sizeof line,
		    "{\"type\":\"booking_requested\",\"actor\":\"C%02d\","
		    "\"role\":\"customer_service\",\"occurred_at_ms\":%lld,"
		    "\"payload\":{\"wo_id\":\"WO-%02d-%07llu\",\"customer_id\":"
		    "\"C-%llu\",\"owner_name\":\"Li Wei\",\"phone\":"
		    "\"13800138000\",\"target\":\"customer_request\","
		    "\"job_kind\":\"repair\",\"items\":\"brake squeal\","
		    "\"wanted_at_ms\":%lld}}",
		    w->id, (long long)T0_MS + 60000, w->id,
		    (unsigned long long)k, (unsigned long long)k,
		    (long long)T0_MS + 86400000);
		svl_submit_result r;
		double t0 = bench_now();
		int rc = svl_ledger_submit_json(w->l, line, (size_t)n, 0, &r);
		bench_lat_add(&w->lat, (bench_now() - t0) * 1e6);
		if (rc == SVL_OK) {
			w->ok++;
		} else if (rc == SVL_EREFUSED) {
			w->refused++;
		} else {
			w->rc = rc;
			break;
		}
	}
	return NULL;
}

/* Run the threads; merge their latencies into out. */
static int run_workers(svl_ledger *l, int threads, double max_s,
		       bench_rate *out)
{
	worker w[GROUP_THREADS_MAX];
	pthread_t th[GROUP_THREADS_MAX];
	bench_lat all = {0};
	double start = bench_now();
	int rc = SVL_OK, started = 0;
	for (int t = 0; t < threads; t++) {
		w[t] = (worker){l, t, start + max_s, {0}, 0, 0, SVL_OK};
		if (pthread_create(&th[t], NULL, work, &w[t]) != 0)
			break;
		started++;
	}
	for (int t = 0; t < started; t++) {
		pthread_join(th[t], NULL);
		out->ops += w[t].ok;
		for (size_t i = 0; i < w[t].lat.n; i++)
			bench_lat_add(&all, w[t].lat.us[i]);
		bench_lat_free(&w[t].lat);
		if (w[t].rc != SVL_OK || w[t].refused)
			rc = w[t].rc != SVL_OK ? w[t].rc : SVL_EREFUSED;
	}
	out->secs = bench_now() - start;
	out->p50_us = bench_lat_pct(&all, 50);
	out->p99_us = bench_lat_pct(&all, 99);
	bench_lat_free(&all);
	return started == threads ? rc : SVL_ENOMEM;
}

int bench_group(const char *dir, int threads, double max_s, bench_rate *out)
{
	char path[4200];
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	svl_ledger *l;
	memset(out, 0, sizeof *out);
	if (threads < 1 || threads > GROUP_THREADS_MAX)
		return SVL_EINVAL;
	snprintf(path, sizeof path, "%s/group-%d", dir, threads);
	o.flags = SVL_LOG_CREATE; /* durable */
	int rc = svl_ledger_open(&l, path, &o);
	if (rc != SVL_OK)
		return rc;
	if ((rc = setup_staff(l, threads)) == SVL_OK)
		rc = run_workers(l, threads, max_s, out);
	svl_ledger_close(l);
	return rc;
}
