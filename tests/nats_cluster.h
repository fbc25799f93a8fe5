/*
 * nats_cluster.h - a real NATS cluster for tests: n nats-server processes
 * (JetStream on, one cluster) on free loopback ports in a temporary
 * directory, each with its own config file and store, started, killed and
 * restarted one by one, and stopped at the end.
 *
 * It needs nothing but libc and fixture.c (every helper here is linked
 * into every test binary) and the nats-server program (Debian package
 * nats-server). The
 * servers die with the test process (PR_SET_PDEATHSIG), so a crashed test
 * leaves none behind; nats_cluster_stop also removes the directory.
 */
#ifndef SVL_TEST_NATS_CLUSTER_H
#define SVL_TEST_NATS_CLUSTER_H

#include <sys/types.h>

#define NATS_CLUSTER_MAX 5

typedef struct nats_cluster {
	int n;
	char *dir;	  /* configs, logs and stores */
	char server[256]; /* the nats-server program */
	int client_port[NATS_CLUSTER_MAX];
	int route_port[NATS_CLUSTER_MAX];
	int http_port[NATS_CLUSTER_MAX];  /* monitoring: /jsz */
	pid_t pid[NATS_CLUSTER_MAX];	  /* 0 while a node is down */
	char urls[NATS_CLUSTER_MAX * 32]; /* "nats://127.0.0.1:p1,..." */
	char why[512];			  /* why start or wait failed */
} nats_cluster;

/* The nats-server program (PATH, /usr/sbin, /usr/bin) into out, or 0 when
 * there is none. */
int nats_cluster_find_server(char *out, size_t size);

/*
 * Start n (1..NATS_CLUSTER_MAX) nodes; with n > 1 they form one cluster.
 * Waits until JetStream is ready: every node sees a meta leader (or, for
 * one node, JetStream is enabled). Returns 0, or -1 with c->why set and
 * everything started stopped again.
 */
int nats_cluster_start(nats_cluster *c, int n, int timeout_ms);

/* Kill node i at once (SIGKILL) and reap it. */
void nats_cluster_kill(nats_cluster *c, int i);

/* Start node i again with its config and store; waits until JetStream is
 * ready again. Returns 0 or -1 with c->why. */
int nats_cluster_restart(nats_cluster *c, int i, int timeout_ms);

/* Wait until every running node sees a JetStream meta leader. */
int nats_cluster_wait_ready(nats_cluster *c, int timeout_ms);

/* The most messages any running node holds for stream, from the nodes'
 * monitoring (cheap, and not held up by a busy JetStream API: for
 * watching a ship); -1 when no node has the stream yet. */
long long nats_cluster_stream_msgs(nats_cluster *c, const char *stream);

/* The index of the node that leads stream, as the running nodes'
 * monitoring says; -1 when none says. */
int nats_cluster_stream_leader(nats_cluster *c, const char *stream);

/* Stop every node and remove the directory. Safe on a cluster that never
 * started (zeroed). SVL_KEEP_NATS=1 keeps the directory, to read the
 * servers' logs. */
void nats_cluster_stop(nats_cluster *c);

/* A test's set-up on an n-node cluster: the CLI fixture's temp dir
 * (cli_fixture.h), then the cluster; where nats-server is missing or the
 * cluster does not start, the test is skipped, saying why on stderr too
 * (where a run's summary shows it), tagged with `test`. */
void nats_cluster_test_start(nats_cluster *c, int n, const char *test);
/* The matching tear-down: the cluster, the NATS library's threads, the
 * temp dir. */
void nats_cluster_test_stop(nats_cluster *c);

#endif /* SVL_TEST_NATS_CLUSTER_H */
