/*
 * test_group_ledger.c - `svcledger group`, the group ledger's consumer,
 * against a real three-node NATS cluster (nats_cluster.h): stores shipped
 * with `svcledger ship` come out as replicas with the stores' heads
 * (ledger id, seq, hash) that verify; a second run adds nothing, a run
 * after more was shipped adds only that; a node killed between ship and
 * group, and a group run killed with SIGKILL in the middle of a consume,
 * leave every record in the replica exactly once; a bogus message in one
 * store's stream (a gap, a damaged record) stops that store with one
 * clear line and a non-zero exit while the others are complete; --follow
 * picks up stores that appear, until SIGTERM.
 *
 * Every test that needs the cluster is skipped, loudly, when nats-server
 * is missing or the cluster cannot start.
 */
#include <criterion/criterion.h>
#include <nats/nats.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_fixture.h"
#include "nats_cluster.h"

#define last svl_cli_last
#define run svl_cli_run

static nats_cluster cluster;

static void setup3(void)
{
	nats_cluster_test_start(&cluster, 3, "test_group_ledger");
}

static void teardown(void)
{
	nats_cluster_test_stop(&cluster);
}

TestSuite(group_ledger, .timeout = 90);
#define ON_3_NODES .init = setup3, .fini = teardown

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void demo(const char *dir, int days, int seed)
{
	cr_assert_eq(
	    run("demo -d %s --days %d --seed %d --quiet", dir, days, seed), 0,
	    "%s", last.err);
}

static void ship(const char *dir, const char *store)
{
	cr_assert_eq(
	    run("ship -d %s --nats %s --store %s", dir, cluster.urls, store), 0,
	    "%s", last.err);
}

/* `group -d G --json`: its exit code, and its summary in *out (the
 * caller json_decref()s it). */
static int group(json_t **out)
{
	int code = run("group -d G --nats %s --json", cluster.urls);
	*out = *last.out ? svl_cli_json() : NULL;
	return code;
}

/* The summary's entry for store. */
static json_t *store_of(json_t *sum, const char *store)
{
	size_t i;
	json_t *s;
	json_array_foreach(
	    json_object_get(sum, "stores"), i,
	    s) if (strcmp(json_string_value(json_object_get(s, "store")),
			  store) == 0) return s;
	cr_assert_fail("no store %s in the summary", store);
	return NULL;
}

static json_int_t added(json_t *sum, const char *store)
{
	return json_integer_value(
	    json_object_get(store_of(sum, store), "added"));
}

/* `head --json` of dir as one string: ledger id, seq, hash. */
static void head_of(const char *dir, char *out, size_t size)
{
	cr_assert_eq(run("head -d %s --json", dir), 0, "%s", last.err);
	json_t *j = svl_cli_json();
	snprintf(out, size, "%s %lld %s",
		 json_string_value(json_object_get(j, "ledger_id")),
		 (long long)json_integer_value(json_object_get(j, "seq")),
		 json_string_value(json_object_get(j, "hash")));
	json_decref(j);
}

/* The replica of store is the store's ledger in dir: same id, same head,
 * and it verifies. */
static void replica_is(const char *store, const char *dir)
{
	char want[160], got[160], rep[64];
	snprintf(rep, sizeof rep, "G/stores/%s", store);
	head_of(dir, want, sizeof want);
	head_of(rep, got, sizeof got);
	cr_assert_str_eq(got, want, "replica of %s", store);
	cr_assert_eq(run("verify -d %s", rep), 0, "%s%s", last.out, last.err);
}

#define MORE                                                                   \
	"{\"type\":\"parts_shelved\",\"actor\":\"E012\",\"role\":"             \
	"\"warehouse_keeper\",\"occurred_at\":\"2026-07-05T09:00:00+08:00\","  \
	"\"payload\":{\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\","    \
	"\"qty_milli\":%d,\"unit_cost_fen\":6900,\"supplier_id\":\"SUP-9\"}}"  \
	"\n"

/* n more events in the stock ledger dir. */
static void append_more(const char *dir, int n)
{
	char text[4096];
	size_t off = 0;
	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, sizeof text - off, MORE,
					1000 + i);
	svl_cli_write("more.ndjson", text);
	cr_assert_eq(run("append -d %s more.ndjson", dir), 0, "%s", last.err);
}

/* The replica's head seq (0 while there is none). */
static long long replica_seq(const char *store)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/G/stores/%s/data.mdb", svl_cli_dir(),
		 store);
	if (access(path, F_OK) != 0 ||
	    run("head -d G/stores/%s --json", store) != 0)
		return 0;
	json_t *j = svl_cli_json();
	long long n = (long long)json_integer_value(json_object_get(j, "seq"));
	json_decref(j);
	return n;
}

/* Wait until the replica of store holds n records (1) or timeout_ms
 * passed (0). */
static int wait_replica(const char *store, long long n, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	while (now_ms() < end) {
		if (replica_seq(store) >= n)
			return 1;
		usleep(20000);
	}
	return 0;
}

/*
 * Publish a message into store's stream behind ship's back, as a raw
 * JetStream publish: headers of a record seq of ledger `ledger`, data
 * `data`.
 */
static void publish_raw(const char *store, unsigned long long seq,
			const char *ledger, const void *data, int len)
{
	natsConnection *nc = NULL;
	jsCtx *js = NULL;
	natsMsg *m = NULL;
	jsPubAck *pa = NULL;
	jsErrCode jerr = 0;
	char subject[64], s[24];
	snprintf(subject, sizeof subject, "svl.default.%s.events", store);
	snprintf(s, sizeof s, "%llu", seq);
	natsStatus st = natsConnection_ConnectTo(&nc, cluster.urls);
	if (st == NATS_OK)
		st = natsConnection_JetStream(&js, nc, NULL);
	if (st == NATS_OK)
		st = natsMsg_Create(&m, subject, NULL, data, len);
	if (st == NATS_OK)
		st = natsMsgHeader_Set(m, "Svl-Seq", s);
	if (st == NATS_OK)
		st = natsMsgHeader_Set(m, "Svl-Ledger", ledger);
	if (st == NATS_OK)
		st = js_PublishMsg(&pa, js, m, NULL, &jerr);
	cr_assert_eq(st, NATS_OK, "publish: %s (%d)", natsStatus_GetText(st),
		     (int)jerr);
	jsPubAck_Destroy(pa);
	natsMsg_Destroy(m);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
}

/* The ledger id of dir, hex. */
static void ledger_id(const char *dir, char out[33])
{
	char h[160];
	head_of(dir, h, sizeof h);
	memcpy(out, h, 32);
	out[32] = '\0';
}

/* ---- the tests ---- */

Test(group_ledger, replicas_equal_the_stores_and_only_new_records_come,
     ON_3_NODES)
{
	json_t *j;
	demo("S1", 3, 1);
	demo("S2", 3, 2);
	svl_cli_stock_ledger("S3");
	ship("S1", "S1");
	ship("S2", "S2");
	ship("S3", "S3");
	cr_assert_eq(group(&j), 0, "%s", last.err);
	cr_assert_gt(added(j, "S1"), 1000);
	cr_assert_eq(added(j, "S3"), 16);
	json_decref(j);
	replica_is("S1", "S1");
	replica_is("S2", "S2");
	replica_is("S3", "S3");
	/* the replica is a ledger with its projections */
	cr_assert_eq(run("stock-card 90915-YZZD4 -d G/stores/S3"), 0, "%s",
		     last.err);
	/* the group's figures are the sum of what each store computes for
	 * itself, on its own ledger */
	json_int_t sum = 0;
	static const char *const src[] = {"S1", "S2", "S3"};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(run("metrics -d %s --period week --json", src[i]),
			     0, "%s", last.err);
		j = svl_cli_json();
		sum += json_integer_value(json_object_get(
		    json_object_get(json_object_get(j, "total"), "counters"),
		    "delivered"));
		json_decref(j);
	}
	cr_assert_eq(run("metrics -d G --period week --json"), 0, "%s",
		     last.err);
	j = svl_cli_json();
	cr_assert_gt(sum, 0);
	cr_assert_eq(json_integer_value(json_object_get(
			 json_object_get(json_object_get(j, "total"),
					 "counters"),
			 "delivered")),
		     sum);
	json_decref(j);

	cr_assert_eq(group(&j), 0, "%s", last.err);
	cr_assert_eq(added(j, "S1") + added(j, "S2") + added(j, "S3"), 0);
	json_decref(j);

	append_more("S3", 3);
	ship("S3", "S3");
	cr_assert_eq(group(&j), 0, "%s", last.err);
	cr_assert_eq(added(j, "S3"), 3);
	cr_assert_eq(added(j, "S1") + added(j, "S2"), 0);
	json_decref(j);
	replica_is("S3", "S3");

	/* the summary, in words */
	cr_assert_eq(run("group -d G --nats %s", cluster.urls), 0);
	cr_assert(svl_cli_has(last.out, "store S3: 0 records added, head seq "
					"19, up to date"),
		  "%s", last.out);
	cr_assert_eq(svl_cli_lines(last.out), 3, "%s", last.out);
}

Test(group_ledger, a_node_killed_between_ship_and_group_loses_nothing,
     ON_3_NODES)
{
	json_t *j;
	demo("S1", 3, 3);
	ship("S1", "S1");
	int victim = nats_cluster_stream_leader(&cluster, "SVL_default_S1");
	cr_assert_geq(victim, 0, "no leader for the stream");
	nats_cluster_kill(&cluster, victim);
	/* two nodes of three: the stream and the consumer keep a quorum */
	int code = group(&j);
	json_decref(j);
	cr_assert(code == 0 || code == 5, "group exited %d: %s", code,
		  last.err);
	cr_assert_eq(nats_cluster_restart(&cluster, victim, 20000), 0, "%s",
		     cluster.why);
	cr_assert_eq(group(&j), 0, "%s", last.err);
	json_decref(j);
	replica_is("S1", "S1");
}

Test(group_ledger, a_node_killed_during_group_loses_nothing, ON_3_NODES)
{
	json_t *j;
	demo("L", 7, 5);
	ship("L", "S1");
	char args[1024];
	snprintf(args, sizeof args, "group -d G --nats %s", cluster.urls);
	pid_t p = (pid_t)svl_cli_spawn("g2", args);
	cr_assert(wait_replica("S1", 500, 30000), "no records consumed");
	int victim = nats_cluster_stream_leader(&cluster, "SVL_default_S1");
	cr_assert_geq(victim, 0, "no leader for the stream");
	nats_cluster_kill(&cluster, victim);
	long long at = replica_seq("S1");
	/* it rides out the election, or gives up saying so (exit 5) */
	int code = svl_cli_reap(p);
	cr_assert(code == 0 || code == 5, "group exited %d", code);
	char want[160];
	head_of("L", want, sizeof want);
	cr_assert_lt(at, strtoll(strchr(want, ' ') + 1, NULL, 10),
		     "the node was killed after the end");
	cr_assert_eq(nats_cluster_restart(&cluster, victim, 20000), 0, "%s",
		     cluster.why);
	cr_assert_eq(group(&j), 0, "%s", last.err);
	json_decref(j);
	replica_is("S1", "L");
}

Test(group_ledger, a_group_run_killed_mid_consume_resumes_exactly_once,
     ON_3_NODES)
{
	json_t *j;
	demo("L", 14, 4);
	ship("L", "S1");
	char args[1024];
	snprintf(args, sizeof args, "group -d G --nats %s", cluster.urls);
	pid_t p = (pid_t)svl_cli_spawn("g1", args);
	cr_assert(wait_replica("S1", 1000, 30000), "no records consumed");
	kill(p, SIGKILL);
	cr_assert_eq(svl_cli_reap(p), 128 + SIGKILL, "the run ended before the kill");
	long long before = replica_seq("S1");
	cr_assert_eq(group(&j), 0, "%s", last.err);
	/* what the killed run appended is not appended again */
	char want[160];
	head_of("L", want, sizeof want);
	long long total = strtoll(strchr(want, ' ') + 1, NULL, 10);
	cr_assert_lt(before, total, "the kill came after the end");
	cr_assert_eq(added(j, "S1"), total - before);
	json_decref(j);
	replica_is("S1", "L");
	cr_assert_eq(group(&j), 0, "%s", last.err);
	cr_assert_eq(added(j, "S1"), 0);
	json_decref(j);
}

Test(group_ledger, a_gap_or_a_damaged_record_stops_that_store_only, ON_3_NODES)
{
	json_t *j;
	char id2[33], id3[33];
	svl_cli_stock_ledger("S1");
	svl_cli_jobs_ledger("S2");
	svl_cli_stock_ledger("S3");
	ship("S1", "S1");
	ship("S2", "S2");
	ship("S3", "S3");
	cr_assert_eq(group(&j), 0, "%s", last.err);
	json_decref(j);
	long long n2 = replica_seq("S2"), n3 = replica_seq("S3");
	ledger_id("S2", id2);
	ledger_id("S3", id3);
	/* S2: record n2 + 2 where n2 + 1 belongs; S3: the right seq, bytes
	 * that are no record */
	publish_raw("S2", (unsigned long long)n2 + 2, id2,
		    "a record from nowhere, longer than a hash", 41);
	publish_raw("S3", (unsigned long long)n3 + 1, id3,
		    "\x9f\x01\x02 not an envelope at all", 27);
	append_more("S1", 2);
	ship("S1", "S1");

	cr_assert_eq(group(&j), 2, "%s", last.err);
	char err[2048];
	snprintf(err, sizeof err, "%s", last.err);
	cr_assert_eq(added(j, "S1"), 2);
	json_t *s2 = store_of(j, "S2"), *s3 = store_of(j, "S3");
	cr_assert_str_eq(json_string_value(json_object_get(s2, "state")),
			 "stopped");
	cr_assert_eq(json_integer_value(json_object_get(s2, "exit")), 2);
	cr_assert_eq(json_integer_value(json_object_get(
			 json_object_get(s2, "gap"), "expected_seq")),
		     n2 + 1);
	cr_assert_eq(json_integer_value(json_object_get(s3, "exit")), 4);
	cr_assert_eq(json_integer_value(json_object_get(s3, "head_seq")), n3);
	json_decref(j);
	/* one line per stopped store, naming it and the seqs */
	char want[256];
	snprintf(want, sizeof want,
		 "svcledger: group: store S2: stream SVL_default_S2: gap: "
		 "expected record %lld, got record %lld",
		 n2 + 1, n2 + 2);
	cr_assert(svl_cli_has(err, want), "%s", err);
	snprintf(want, sizeof want,
		 "svcledger: group: store S3: stream SVL_default_S3: message "
		 "%lld is not record %lld of the store's ledger (record at "
		 "byte 0: not an envelope",
		 n3 + 1, n3 + 1);
	cr_assert(svl_cli_has(err, want), "%s", err);
	cr_assert_eq(svl_cli_lines(err), 2, "%s", err);
	replica_is("S1", "S1");
	replica_is("S2", "S2");
	replica_is("S3", "S3");

	/* and it says so on every run, in words */
	cr_assert_eq(run("group -d G --nats %s", cluster.urls), 2);
	snprintf(want, sizeof want,
		 "store S2: 0 records added, head seq %lld, stopped: a gap, "
		 "expected seq %lld, got seq %lld",
		 n2, n2 + 1, n2 + 2);
	cr_assert(svl_cli_has(last.out, want), "%s", last.out);
}

Test(group_ledger, follow_picks_up_new_stores_until_sigterm, ON_3_NODES)
{
	svl_cli_stock_ledger("S1");
	svl_cli_jobs_ledger("S2");
	ship("S1", "S1");
	char args[1024];
	snprintf(args, sizeof args, "group -d G --nats %s --follow --json",
		 cluster.urls);
	pid_t p = (pid_t)svl_cli_spawn("f", args);
	cr_assert(wait_replica("S1", 16, 20000), "S1 never arrived");
	append_more("S1", 2);
	ship("S1", "S1");
	ship("S2", "S2");
	cr_assert(wait_replica("S1", 18, 20000), "the appends never arrived");
	char h[160];
	head_of("S2", h, sizeof h);
	cr_assert(
	    wait_replica("S2", strtoll(strchr(h, ' ') + 1, NULL, 10), 20000),
	    "the new store was never seen");
	kill(p, SIGTERM);
	cr_assert_eq(svl_cli_reap(p), 0);
	replica_is("S1", "S1");
	replica_is("S2", "S2");
}

Test(group_ledger, command_line_and_g_are_checked, .init = svl_cli_setup,
     .fini = svl_cli_teardown)
{
	cr_assert_eq(run("group --nats nats://127.0.0.1:1"), 1);
	cr_assert(svl_cli_has(last.err, "-d G"), "%s", last.err);
	cr_assert_eq(run("group -d G"), 1);
	cr_assert(svl_cli_has(last.err, "--nats"), "%s", last.err);
	cr_assert_eq(run("group -d G --nats nats://127.0.0.1:1 --group a.b"),
		     1);
	/* no server there: one line, exit 5; G is made for its group */
	cr_assert_eq(run("group -d G --nats nats://127.0.0.1:1 --group acme"),
		     5);
	cr_assert_eq(svl_cli_lines(last.err), 1, "%s", last.err);
	cr_assert_eq(run("group -d G --nats nats://127.0.0.1:1 --group other"),
		     6);
	cr_assert(svl_cli_has(last.err, "group ledger of group acme"), "%s",
		  last.err);
	svl_cli_write("X", "not a directory of replicas\n");
	cr_assert_eq(run("group -d . --nats nats://127.0.0.1:1"), 6);
	cr_assert_eq(run("group --help"), 0);
	cr_assert(svl_cli_has(last.out, "--follow"), "%s", last.out);
}
