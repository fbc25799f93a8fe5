/*
 * nats_cluster.c - a real NATS cluster for tests (nats_cluster.h).
 *
 * Readiness is read from each node's monitoring port (/jsz, plain HTTP
 * over a socket: no client library needed): JetStream is usable once
 * every running node names the same meta leader.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <nats/nats.h>

#include "cli_fixture.h"
#include "fixture.h"
#include "nats_cluster.h"

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int nats_cluster_find_server(char *out, size_t size)
{
	const char *path = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof dirs, "%s:/usr/sbin:/usr/bin:/usr/local/bin",
		 path ? path : "");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/nats-server", d);
		if (access(out, X_OK) == 0)
			return 1;
	}
	return 0;
}

/* n distinct free loopback ports: all bound at once, then released. */
static int free_ports(int *ports, int n)
{
	int fds[3 * NATS_CLUSTER_MAX], ok = 0;
	for (int i = 0; i < n; i++) {
		struct sockaddr_in a;
		socklen_t len = sizeof a;
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 ||
		    bind(fds[i], (struct sockaddr *)&a, sizeof a) != 0 ||
		    getsockname(fds[i], (struct sockaddr *)&a, &len) != 0) {
			for (int j = 0; j <= i; j++)
				if (fds[j] >= 0)
					close(fds[j]);
			return -1;
		}
		ports[i] = ntohs(a.sin_port);
		ok++;
	}
	for (int i = 0; i < ok; i++)
		close(fds[i]);
	return 0;
}

static int write_config(nats_cluster *c, int i)
{
	char path[512], routes[NATS_CLUSTER_MAX * 48] = "";
	size_t off = 0;
	for (int j = 0; j < c->n; j++)
		off += (size_t)snprintf(routes + off, sizeof routes - off,
					"%snats-route://127.0.0.1:%d",
					j ? ", " : "", c->route_port[j]);
	snprintf(path, sizeof path, "%s/n%d.conf", c->dir, i + 1);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f,
		"server_name: n%d\n"
		"listen: 127.0.0.1:%d\n"
		"http: 127.0.0.1:%d\n"
		"jetstream { store_dir: \"%s/store%d\" }\n",
		i + 1, c->client_port[i], c->http_port[i], c->dir, i + 1);
	if (c->n > 1)
		fprintf(f,
			"cluster {\n  name: svl\n  listen: 127.0.0.1:%d\n"
			"  routes: [%s]\n}\n",
			c->route_port[i], routes);
	return fclose(f) == 0 ? 0 : -1;
}

static int spawn(nats_cluster *c, int i)
{
	char conf[512], log[512];
	snprintf(conf, sizeof conf, "%s/n%d.conf", c->dir, i + 1);
	snprintf(log, sizeof log, "%s/n%d.log", c->dir, i + 1);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		/* the servers never outlive the test */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(c->server, "nats-server", "-c", conf, (char *)NULL);
		_exit(127);
	}
	c->pid[i] = pid;
	return 0;
}

/* GET path from 127.0.0.1:port into buf (NUL-terminated); -1 when the
 * node does not answer. */
static int http_get(int port, const char *path, char *buf, size_t size)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	char req[256];
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
	size_t got = 0;
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    write(fd, req, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	for (ssize_t r;
	     got + 1 < size && (r = read(fd, buf + got, size - 1 - got)) > 0;)
		got += (size_t)r;
	buf[got] = '\0';
	close(fd);
	return got ? 0 : -1;
}

/* The meta leader node i sees into out ("" when none yet); -1 when it
 * does not answer or JetStream is off. */
static int meta_leader(nats_cluster *c, int i, char *out, size_t size)
{
	char buf[16384];
	*out = '\0';
	if (http_get(c->http_port[i], "/jsz", buf, sizeof buf))
		return -1;
	if (!strstr(buf, "\"config\""))
		return -1; /* JetStream not (yet) enabled */
	if (c->n == 1)
		return snprintf(out, size, "n1") > 0 ? 0 : -1;
	const char *m = strstr(buf, "\"meta_cluster\"");
	const char *l = m ? strstr(m, "\"leader\"") : NULL;
	if (!l || !(l = strchr(l + 8, '"')))
		return 0;
	const char *e = strchr(l + 1, '"');
	if (!e)
		return 0;
	snprintf(out, size, "%.*s", (int)(e - l - 1), l + 1);
	return 0;
}

int nats_cluster_wait_ready(nats_cluster *c, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	char first[64], leader[64];
	for (;;) {
		int ready = 1;
		first[0] = '\0';
		for (int i = 0; i < c->n && ready; i++) {
			if (!c->pid[i])
				continue;
			if (meta_leader(c, i, leader, sizeof leader) ||
			    !*leader || (*first && strcmp(first, leader)))
				ready = 0;
			else
				snprintf(first, sizeof first, "%s", leader);
		}
		if (ready && *first)
			return 0;
		if (now_ms() > end) {
			snprintf(c->why, sizeof c->why,
				 "JetStream not ready after %d ms (logs in "
				 "%s)",
				 timeout_ms, c->dir);
			return -1;
		}
		sleep_ms(100);
	}
}

int nats_cluster_start(nats_cluster *c, int n, int timeout_ms)
{
	int ports[3 * NATS_CLUSTER_MAX];
	memset(c, 0, sizeof *c);
	if (n < 1 || n > NATS_CLUSTER_MAX) {
		snprintf(c->why, sizeof c->why, "%d nodes?", n);
		return -1;
	}
	c->n = n;
	if (!nats_cluster_find_server(c->server, sizeof c->server)) {
		snprintf(c->why, sizeof c->why, "nats-server not found");
		return -1;
	}
	if (!(c->dir = svl_test_mkdtemp()) || free_ports(ports, 3 * n)) {
		snprintf(c->why, sizeof c->why, "temp dir or ports: %s",
			 strerror(errno));
		nats_cluster_stop(c);
		return -1;
	}
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		c->client_port[i] = ports[3 * i];
		c->route_port[i] = ports[3 * i + 1];
		c->http_port[i] = ports[3 * i + 2];
		off += (size_t)snprintf(c->urls + off, sizeof c->urls - off,
					"%snats://127.0.0.1:%d", i ? "," : "",
					c->client_port[i]);
	}
	for (int i = 0; i < n; i++)
		if (write_config(c, i) || spawn(c, i)) {
			snprintf(c->why, sizeof c->why,
				 "cannot start node %d: %s", i + 1,
				 strerror(errno));
			nats_cluster_stop(c);
			return -1;
		}
	if (nats_cluster_wait_ready(c, timeout_ms)) {
		char why[sizeof c->why];
		memcpy(why, c->why, sizeof why);
		nats_cluster_stop(c);
		memcpy(c->why, why, sizeof why);
		return -1;
	}
	return 0;
}

void nats_cluster_kill(nats_cluster *c, int i)
{
	if (i < 0 || i >= c->n || !c->pid[i])
		return;
	kill(c->pid[i], SIGKILL);
	waitpid(c->pid[i], NULL, 0);
	c->pid[i] = 0;
}

int nats_cluster_restart(nats_cluster *c, int i, int timeout_ms)
{
	if (i < 0 || i >= c->n || c->pid[i])
		return -1;
	if (spawn(c, i)) {
		snprintf(c->why, sizeof c->why, "cannot restart node %d: %s",
			 i + 1, strerror(errno));
		return -1;
	}
	return nats_cluster_wait_ready(c, timeout_ms);
}

/* Where node i's /jsz describes stream (in buf), or NULL. */
static const char *stream_detail(nats_cluster *c, int i, const char *stream,
				 char *buf, size_t size)
{
	char key[128];
	snprintf(key, sizeof key, "\"name\": \"%s\"", stream);
	if (!c->pid[i] ||
	    http_get(c->http_port[i], "/jsz?streams=true", buf, size))
		return NULL;
	return strstr(buf, key);
}

int nats_cluster_stream_leader(nats_cluster *c, const char *stream)
{
	static char buf[1 << 16];
	for (int i = 0; i < c->n; i++) {
		const char *at = stream_detail(c, i, stream, buf, sizeof buf);
		const char *l = at ? strstr(at, "\"leader\": \"n") : NULL;
		int n = l ? atoi(l + 12) : 0;
		if (n >= 1 && n <= c->n)
			return n - 1;
	}
	return -1;
}

long long nats_cluster_stream_msgs(nats_cluster *c, const char *stream)
{
	static char buf[1 << 16];
	long long most = -1;
	for (int i = 0; i < c->n; i++) {
		const char *at = stream_detail(c, i, stream, buf, sizeof buf);
		const char *m = at ? strstr(at, "\"messages\":") : NULL;
		if (m) {
			long long n = strtoll(m + 11, NULL, 10);
			most = n > most ? n : most;
		}
	}
	return most;
}

void nats_cluster_stop(nats_cluster *c)
{
	for (int i = 0; i < c->n; i++)
		if (c->pid[i])
			kill(c->pid[i], SIGTERM);
	int64_t end = now_ms() + 5000;
	for (int i = 0; i < c->n; i++) {
		while (c->pid[i] && waitpid(c->pid[i], NULL, WNOHANG) == 0) {
			if (now_ms() > end) {
				kill(c->pid[i], SIGKILL);
				waitpid(c->pid[i], NULL, 0);
				break;
			}
			sleep_ms(20);
		}
		c->pid[i] = 0;
	}
	if (c->dir && getenv("SVL_KEEP_NATS")) {
		fprintf(stderr, "nats_cluster: kept %s\n", c->dir);
		free(c->dir);
	} else {
		svl_test_rmdir(c->dir);
	}
	c->dir = NULL;
}

#define NATS_SKIP(test, ...)                                                   \
	do {                                                                   \
		fprintf(stderr, "***** %s: ", test);                            \
		fprintf(stderr, __VA_ARGS__);                                  \
		fprintf(stderr, " *****\n");                                   \
		cr_skip_test(__VA_ARGS__);                                     \
	} while (0)

void nats_cluster_test_start(nats_cluster *c, int n, const char *test)
{
	char server[256];
	svl_cli_setup();
	if (!nats_cluster_find_server(server, sizeof server))
		NATS_SKIP(test, "skipped: nats-server not found (Debian package "
				"nats-server; `sh tools/deps.sh test` installs "
				"it)");
	if (nats_cluster_start(c, n, 20000))
		NATS_SKIP(test, "skipped: the NATS cluster did not start: %s",
			  c->why);
}

void nats_cluster_test_stop(nats_cluster *c)
{
	nats_cluster_stop(c);
	nats_CloseAndWait(2000);
	svl_cli_teardown();
}
