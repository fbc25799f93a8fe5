/*
 * test_ship.c - `svcledger ship` and `restore` against a real three-node
 * NATS cluster with JetStream (nats_cluster.h): a shipped ledger restores
 * to the same head; shipping is resumable and lands every record exactly
 * once, in order, through a node killed mid-ship and a shipper killed
 * mid-ship; a stream that holds another ledger or a fork is refused with
 * nothing published; --follow ships appends until SIGTERM.
 *
 * Every test is skipped, loudly, when nats-server is missing or the
 * cluster cannot start.
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
	nats_cluster_test_start(&cluster, 3, "test_ship");
}

static void setup1(void)
{
	nats_cluster_test_start(&cluster, 1, "test_ship");
}

static void teardown(void)
{
	nats_cluster_test_stop(&cluster);
}

/* one suite, each test saying what it runs on (Criterion's runner leaks
 * a little when several suites share a run) */
TestSuite(ship, .timeout = 60);
#define ON_3_NODES .init = setup3, .fini = teardown
#define ON_1_NODE .init = setup1, .fini = teardown

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the stream, as the servers see it ---- */

typedef struct stream_state {
	uint64_t msgs, first_seq, last_seq;
	char leader[32];
} stream_state;

static char stream_why[512]; /* why stream_get last failed */

/* 0 with *out, or -1 when the stream cannot be read (yet). */
static int stream_get(const char *store, stream_state *out)
{
	natsConnection *nc = NULL;
	jsCtx *js = NULL;
	jsStreamInfo *si = NULL;
	char name[64];
	memset(out, 0, sizeof *out);
	snprintf(name, sizeof name, "SVL_default_%s", store);
	natsStatus s = natsConnection_ConnectTo(&nc, cluster.urls);
	if (s == NATS_OK)
		s = natsConnection_JetStream(&js, nc, NULL);
	if (s == NATS_OK)
		s = js_GetStreamInfo(&si, js, name, NULL, NULL);
	if (s == NATS_OK) {
		out->msgs = si->State.Msgs;
		out->first_seq = si->State.FirstSeq;
		out->last_seq = si->State.LastSeq;
		if (si->Cluster && si->Cluster->Leader)
			snprintf(out->leader, sizeof out->leader, "%s",
				 si->Cluster->Leader);
	}
	if (s != NATS_OK)
		snprintf(stream_why, sizeof stream_why, "%s: %s",
			 natsStatus_GetText(s), nats_GetLastError(NULL));
	jsStreamInfo_Destroy(si);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	return s == NATS_OK ? 0 : -1;
}

static uint64_t stream_msgs(const char *store)
{
	stream_state st;
	cr_assert_eq(stream_get(store, &st), 0, "stream of %s: %s", store,
		     stream_why);
	return st.msgs;
}

/* Exactly the ledger's records, once each, in order: as many messages as
 * the head's seq, numbered 1..seq, and a restore gives the same head. */
static void stream_is_ledger(const char *store, const char *dir)
{
	char want[64], got[64];
	stream_state st;
	svl_cli_head(dir, want);
	uint64_t n = strtoull(want, NULL, 10);
	/* a replica just restarted may answer for a moment with what it
	 * had: fewer messages is worth another look, more never is */
	int64_t end = now_ms() + 10000;
	do
		cr_assert_eq(stream_get(store, &st), 0);
	while (st.msgs < n && now_ms() < end && usleep(50000) == 0);
	cr_assert_eq(st.msgs, n, "%llu msgs for %s",
		     (unsigned long long)st.msgs, want);
	cr_assert_eq(st.first_seq, 1);
	cr_assert_eq(st.last_seq, st.msgs);
	cr_assert_eq(run("restore -d R-%s --nats %s --store %s", store,
			 cluster.urls, store),
		     0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "head seq"), "%s", last.out);
	char rdir[64];
	snprintf(rdir, sizeof rdir, "R-%s", store);
	svl_cli_head(rdir, got);
	cr_assert_str_eq(got, want);
	cr_assert_eq(run("verify -d %s", rdir), 0, "%s%s", last.out, last.err);
}

static json_int_t json_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_integer(v), "no %s", key);
	return json_integer_value(v);
}

/* `ship -d dir --store store OPTIONS --json`, which must succeed: its
 * summary (the caller json_decref()s it). */
static json_t *ship_ok(const char *dir, const char *store, const char *opts)
{
	cr_assert_eq(run("ship -d %s --nats %s --store %s %s --json", dir,
			 cluster.urls, store, opts),
		     0, "%s", last.err);
	return svl_cli_json();
}

/* ---- the tool in the background ---- */

/* Wait until a node holds at least n messages of the stream (1) or pid
 * ended or timeout_ms passed (0). */
static int wait_msgs(const char *store, long long n, pid_t pid, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	char name[64];
	snprintf(name, sizeof name, "SVL_default_%s", store);
	while (now_ms() < end) {
		if (nats_cluster_stream_msgs(&cluster, name) >= n)
			return 1;
		siginfo_t si;
		si.si_pid = 0;
		/* ended? (left to reap: its exit code is the caller's) */
		if (pid &&
		    waitid(P_PID, (id_t)pid, &si,
			   WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid)
			return 0;
		usleep(10000);
	}
	return 0;
}

/* The text of name in the test's directory ("" when absent; static). */
static const char *slurp(const char *name)
{
	static char buf[8192];
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", svl_cli_dir(), name);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static void demo(const char *dir, int days)
{
	cr_assert_eq(run("demo -d %s --days %d --quiet", dir, days), 0, "%s",
		     last.err);
}

#define MORE                                                                   \
	"{\"type\":\"parts_shelved\",\"actor\":\"E012\",\"role\":"             \
	"\"warehouse_keeper\",\"occurred_at\":\"2026-07-05T09:00:00+08:00\","  \
	"\"payload\":{\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\","    \
	"\"qty_milli\":%d,\"unit_cost_fen\":6900,\"supplier_id\":\"SUP-9\"}}"  \
	"\n"

/* Append n parts_shelved events (qty distinguishes two ledgers). */
static void append_more(const char *dir, int n, int qty)
{
	char text[4096];
	size_t off = 0;
	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, sizeof text - off, MORE,
					qty + i);
	svl_cli_write("more.ndjson", text);
	cr_assert_eq(run("append -d %s more.ndjson", dir), 0, "%s", last.err);
}

/* ---- the tests ---- */

Test(ship, restore_gives_the_same_head_a_second_ship_ships_none, ON_3_NODES)
{
	char head[64];
	demo("L", 1);
	svl_cli_head("L", head);
	json_t *j = ship_ok("L", "S017", "");
	cr_assert_eq(json_int(j, "shipped"), (json_int_t)strtoll(head, 0, 10));
	cr_assert_eq(json_int(j, "first_seq"), 1);
	cr_assert_eq(json_int(j, "replicas"), 3);
	cr_assert_str_eq(json_string_value(json_object_get(j, "stream")),
			 "SVL_default_S017");
	json_decref(j);

	cr_assert_eq(run("ship -d L --nats %s --store S017", cluster.urls), 0,
		     "%s", last.err);
	cr_assert(svl_cli_has(last.out, "shipped 0 records"), "%s", last.out);
	stream_is_ledger("S017", "L");

	/* the copy keeps the ledger's id, so it may ship on where L stopped */
	cr_assert_eq(run("head -d L --json"), 0);
	json_t *a = svl_cli_json();
	cr_assert_eq(run("head -d R-S017 --json"), 0);
	json_t *b = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(a, "ledger_id")),
			 json_string_value(json_object_get(b, "ledger_id")));
	json_decref(a);
	json_decref(b);
	j = ship_ok("R-S017", "S017", "");
	cr_assert_eq(json_int(j, "shipped"), 0);
	json_decref(j);

	/* restoring onto a ledger is import's refusal */
	cr_assert_eq(run("restore -d L --nats %s --store S017", cluster.urls),
		     6);
	cr_assert(svl_cli_has(last.err, "svcledger: restore: "), "%s",
		  last.err);
}

Test(ship, ships_only_the_events_appended_since, ON_3_NODES)
{
	svl_cli_stock_ledger("A");
	json_t *j = ship_ok("A", "S1", "");
	cr_assert_eq(json_int(j, "shipped"), 16);
	json_decref(j);
	append_more("A", 3, 1000);
	j = ship_ok("A", "S1", "");
	cr_assert_eq(json_int(j, "shipped"), 3);
	cr_assert_eq(json_int(j, "first_seq"), 17);
	cr_assert_eq(json_int(j, "last_seq"), 19);
	json_decref(j);
	stream_is_ledger("S1", "A");
}

/* A demo ledger L being shipped as store in the background (with
 * --json), once a node holds at least n of its records; returns its pid
 * and the command's arguments in args. */
static pid_t ship_in_background(const char *store, long long n, char *args,
				size_t size)
{
	demo("L", 14);
	snprintf(args, size, "ship -d L --nats %s --store %s --json",
		 cluster.urls, store);
	pid_t p = (pid_t)svl_cli_spawn("ship1", args);
	cr_assert(wait_msgs(store, n, p, 20000),
		  "the ship ended before %lld records: exit %d, %s%s", n,
		  svl_cli_reap(p), slurp("ship1.out"), slurp("ship1.err"));
	return p;
}

Test(ship, a_node_killed_mid_ship_loses_nothing_and_doubles_nothing, ON_3_NODES)
{
	char args[1024];
	pid_t p = ship_in_background("S2", 1000, args, sizeof args);
	/* the stream's leader: the node whose loss hurts most */
	int victim = nats_cluster_stream_leader(&cluster, "SVL_default_S2");
	cr_assert_geq(victim, 0, "no leader for the stream");
	nats_cluster_kill(&cluster, victim);
	/* it rides out the election, or gives up saying so (exit 5) */
	int code = svl_cli_reap(p);
	cr_assert(code == 0 || code == 5, "ship exited %d: %s", code,
		  slurp("ship1.err"));
	cr_assert_eq(nats_cluster_restart(&cluster, victim, 20000), 0, "%s",
		     cluster.why);
	cr_assert_eq(run("%s", args), 0, "%s", last.err);
	stream_is_ledger("S2", "L");
}

Test(ship, a_shipper_killed_mid_ship_resumes_exactly_once, ON_3_NODES)
{
	char args[1024];
	pid_t p = ship_in_background("S3", 500, args, sizeof args);
	kill(p, SIGKILL);
	cr_assert_eq(svl_cli_reap(p), 128 + SIGKILL, "the ship ended before the kill");
	uint64_t before = stream_msgs("S3");
	cr_assert_eq(run("%s", args), 0, "%s", last.err);
	json_t *j = svl_cli_json();
	/* the killed run's last publishes may land after it died */
	cr_assert_gt(json_int(j, "first_seq"), (json_int_t)before);
	json_decref(j);
	stream_is_ledger("S3", "L");
}

Test(ship, another_ledger_or_a_fork_is_refused_nothing_published, ON_3_NODES)
{
	svl_cli_stock_ledger("A");
	svl_cli_jobs_ledger("B");
	cr_assert_eq(run("ship -d A --nats %s --store S4", cluster.urls), 0,
		     "%s", last.err);
	cr_assert_eq(run("ship -d B --nats %s --store S4", cluster.urls), 6);
	cr_assert(svl_cli_has(last.err, "holds ledger"), "%s", last.err);
	cr_assert_eq(svl_cli_lines(last.err), 1, "%s", last.err);
	cr_assert_eq(stream_msgs("S4"), 16);

	/* a copy of A (same id) that went its own way: a fork */
	cr_assert_eq(run("restore -d A2 --nats %s --store S4", cluster.urls), 0,
		     "%s", last.err);
	append_more("A2", 1, 2000);
	append_more("A", 1, 3000);
	cr_assert_eq(run("ship -d A2 --nats %s --store S4", cluster.urls), 0,
		     "%s", last.err);
	cr_assert_eq(run("ship -d A --nats %s --store S4", cluster.urls), 6);
	cr_assert(svl_cli_has(last.err, "forked"), "%s", last.err);
	append_more("A", 1, 4000);
	cr_assert_eq(run("ship -d A --nats %s --store S4", cluster.urls), 6);
	cr_assert(svl_cli_has(last.err, "forked"), "%s", last.err);
	cr_assert_eq(stream_msgs("S4"), 17);
	stream_is_ledger("S4", "A2");
}

Test(ship, follow_ships_appends_until_sigterm, ON_3_NODES)
{
	svl_cli_stock_ledger("A");
	char args[1024];
	snprintf(args, sizeof args,
		 "ship -d A --nats %s --store S5 --follow --json",
		 cluster.urls);
	pid_t p = (pid_t)svl_cli_spawn("follow", args);
	cr_assert(wait_msgs("S5", 16, p, 20000), "nothing shipped");
	append_more("A", 2, 1000);
	cr_assert(wait_msgs("S5", 18, p, 10000), "the appends never arrived");
	append_more("A", 1, 5000);
	cr_assert(wait_msgs("S5", 19, p, 10000), "the append never arrived");
	kill(p, SIGTERM);
	cr_assert_eq(svl_cli_reap(p), 0);
	char path[4200];
	snprintf(path, sizeof path, "%s/follow.out", svl_cli_dir());
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	char line[1024] = "";
	cr_assert_not_null(fgets(line, sizeof line, f));
	fclose(f);
	json_t *j = json_loads(line, 0, NULL);
	cr_assert_not_null(j, "%s", line);
	cr_assert_eq(json_int(j, "shipped"), 19);
	json_decref(j);
	stream_is_ledger("S5", "A");
}

Test(ship, a_damaged_record_stops_the_ship_right_before_it, ON_3_NODES)
{
	svl_cli_stock_ledger("A");
	/* every qty_milli key renamed in the file: record 12 is the first
	 * whose bytes no longer hash to its hash */
	char cmd[4400];
	snprintf(cmd, sizeof cmd,
		 "perl -0777 -pi -e 's/qty_milli/qty_millj/g' '%s/A/data.mdb'",
		 svl_cli_dir());
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(run("ship -d A --nats %s --store S8", cluster.urls), 4,
		     "%s", last.err);
	cr_assert(svl_cli_has(last.err, "seq 12: the record does not hash"),
		  "%s", last.err);
	cr_assert_eq(stream_msgs("S8"), 11);
}

Test(ship, more_replicas_than_servers_is_a_clear_error, ON_3_NODES)
{
	svl_cli_stock_ledger("A");
	cr_assert_eq(
	    run("ship -d A --nats %s --store S6 --replicas 5", cluster.urls),
	    5);
	cr_assert(svl_cli_has(last.err, "cannot hold 5 replicas"), "%s",
		  last.err);
	json_t *j = ship_ok("A", "S6", "--replicas 1");
	cr_assert_eq(json_int(j, "replicas"), 1);
	json_decref(j);
}

Test(ship, a_single_server_keeps_one_copy, ON_1_NODE)
{
	svl_cli_stock_ledger("A");
	json_t *j = ship_ok("A", "S7", "");
	cr_assert_eq(json_int(j, "replicas"), 1);
	cr_assert_eq(json_int(j, "shipped"), 16);
	json_decref(j);
	stream_is_ledger("S7", "A");
}

Test(ship, names_and_servers_are_checked_first, .init = svl_cli_setup,
     .fini = svl_cli_teardown)
{
	svl_cli_stock_ledger("A");
	cr_assert_eq(run("ship -d A --store S017"), 1);
	cr_assert(svl_cli_has(last.err, "--nats"), "%s", last.err);
	cr_assert_eq(run("ship -d A --nats nats://127.0.0.1:1"), 1);
	cr_assert(svl_cli_has(last.err, "--store"), "%s", last.err);
	cr_assert_eq(run("ship -d A --nats nats://127.0.0.1:1 --store a.b"), 1);
	cr_assert_eq(run("ship -d A --nats nats://127.0.0.1:1 --store S "
			 "--replicas 0"),
		     1);
	cr_assert_eq(run("restore --nats nats://127.0.0.1:1 --store S"), 1);
	/* no server there: an error, one line */
	cr_assert_eq(run("ship -d A --nats nats://127.0.0.1:1 --store S"), 5);
	cr_assert_eq(svl_cli_lines(last.err), 1, "%s", last.err);
	cr_assert_eq(run("restore -d R --nats nats://127.0.0.1:1 --store S"),
		     5);
	cr_assert_eq(run("ship --help"), 0);
	cr_assert(svl_cli_has(last.out, "--follow"), "%s", last.out);
}
