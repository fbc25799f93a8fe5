/* fixture.c - see fixture.h. */
#include "fixture.h"

#include "svl_events.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "mp.h"

extern char **environ;

char *svl_test_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = malloc(4096);
	if (!path)
		return NULL;
	snprintf(path, 4096, "%s/svl-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void svl_test_rmdir(char *path)
{
	if (!path)
		return;
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(path);
}

size_t svl_test_payload(uint8_t *buf, int64_t n)
{
	uint8_t *p = buf;
	p = svl__mp_put_map_hdr(p, 1);
	p = svl__mp_put_str(p, "n", 1);
	p = svl__mp_put_int(p, n);
	return (size_t)(p - buf);
}

svl_event_in svl_test_event(const char *stream, uint8_t *buf, int64_t n)
{
	svl_event_in ev;
	memset(&ev, 0, sizeof ev);
	ev.stream = stream;
	ev.stream_len = strlen(stream);
	ev.type = 1;
	ev.schema_version = 1;
	ev.occurred_at_ms = 1700000000000 + n;
	ev.actor = "E001";
	ev.actor_len = 4;
	ev.role = "tester";
	ev.role_len = 6;
	ev.payload = buf;
	ev.payload_len = svl_test_payload(buf, n);
	ev.expected_version = SVL_VERSION_ANY;
	return ev;
}

/* ---- more builders ---- */

size_t svl_test_payload_sized(uint8_t *buf, int64_t n, size_t len)
{
	uint8_t scratch[16];
	size_t fixed = 1 + 2 + (size_t)(svl__mp_put_int(scratch, n) - scratch) +
		       2; /* map header, "n", n, "p" */
	size_t bin = 0;
	if (len >= fixed + 2 && len - fixed - 2 <= 0xff)
		bin = len - fixed - 2;
	else if (len >= fixed + 3 + 0x100 && len - fixed - 3 <= 0xffff)
		bin = len - fixed - 3;
	else if (len >= fixed + 5 + 0x10000)
		bin = len - fixed - 5;
	else
		return 0;
	uint8_t *fill = malloc(bin ? bin : 1);
	if (!fill)
		return 0;
	for (size_t i = 0; i < bin; i++)
		fill[i] = (uint8_t)(n + (int64_t)i * 31);
	uint8_t *p = buf;
	p = svl__mp_put_map_hdr(p, 2);
	p = svl__mp_put_str(p, "n", 1);
	p = svl__mp_put_int(p, n);
	p = svl__mp_put_str(p, "p", 1);
	p = svl__mp_put_bin(p, fill, (uint32_t)bin);
	free(fill);
	return (size_t)(p - buf) == len ? len : 0;
}

void svl_test_id(uint8_t id[SVL_ID_SIZE], uint64_t a, uint64_t b)
{
	svl__be64_put(id, a);
	svl__be64_put(id + 8, b);
}

svl_log *svl_test_open(const char *dir, unsigned flags, size_t map_bytes)
{
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = flags;
	o.map_size_bytes = map_bytes;
	svl_log *log = NULL;
	if (svl_log_open(&log, dir, &o) != SVL_OK)
		return NULL;
	return log;
}

/* ---- seeded randomness ---- */

uint64_t svl_test_seed(void)
{
	const char *s = getenv("SVL_TEST_SEED");
	if (s && *s)
		return strtoull(s, NULL, 0);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
	       (uint64_t)getpid() << 32;
}

uint64_t svl_test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

uint64_t svl_test_below(uint64_t *state, uint64_t n)
{
	return svl_test_rand(state) % n;
}

/* ---- raw LMDB ---- */

int svl_test_raw_begin(svl_test_raw *raw, const char *dir, int write)
{
	memset(raw, 0, sizeof *raw);
	int rc = mdb_env_create(&raw->env);
	if (rc != MDB_SUCCESS)
		return rc;
	mdb_env_set_maxdbs(raw->env, 64);
	rc = mdb_env_open(raw->env, dir, write ? 0 : MDB_RDONLY, 0644);
	if (rc == MDB_SUCCESS)
		rc = mdb_txn_begin(raw->env, NULL, write ? 0 : MDB_RDONLY,
				   &raw->txn);
	struct {
		const char *name;
		MDB_dbi *dbi;
	} dbs[] = {{"events", &raw->events},
		   {"streams", &raw->streams},
		   {"ids", &raw->ids},
		   {"meta", &raw->meta}};
	for (size_t i = 0; rc == MDB_SUCCESS && i < 4; i++)
		rc = mdb_dbi_open(raw->txn, dbs[i].name, 0, dbs[i].dbi);
	if (rc != MDB_SUCCESS) {
		if (raw->txn)
			mdb_txn_abort(raw->txn);
		mdb_env_close(raw->env);
		memset(raw, 0, sizeof *raw);
	}
	return rc;
}

int svl_test_raw_end(svl_test_raw *raw, int commit)
{
	int rc = MDB_SUCCESS;
	if (commit)
		rc = mdb_txn_commit(raw->txn);
	else
		mdb_txn_abort(raw->txn);
	mdb_env_close(raw->env);
	memset(raw, 0, sizeof *raw);
	return rc;
}

uint8_t *svl_test_raw_get(svl_test_raw *raw, uint64_t seq, size_t *len)
{
	uint8_t k[8];
	svl__be64_put(k, seq);
	MDB_val key = {8, k}, val;
	if (mdb_get(raw->txn, raw->events, &key, &val) != MDB_SUCCESS)
		return NULL;
	uint8_t *copy = malloc(val.mv_size);
	if (copy)
		memcpy(copy, val.mv_data, val.mv_size);
	*len = val.mv_size;
	return copy;
}

int svl_test_raw_put(svl_test_raw *raw, uint64_t seq, const uint8_t *val,
		     size_t len)
{
	uint8_t k[8];
	svl__be64_put(k, seq);
	MDB_val key = {8, k}, v = {len, (void *)val};
	return mdb_put(raw->txn, raw->events, &key, &v, 0);
}

int svl_test_raw_del(svl_test_raw *raw, uint64_t seq)
{
	uint8_t k[8];
	svl__be64_put(k, seq);
	MDB_val key = {8, k};
	return mdb_del(raw->txn, raw->events, &key, NULL);
}

void svl_test_rehash(uint8_t *record, size_t len)
{
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits(record, len - SVL_HASH_SIZE));
	memcpy(record + len - SVL_HASH_SIZE, c.digest, SVL_HASH_SIZE);
}

void svl_test_be64(uint8_t out[8], uint64_t v)
{
	svl__be64_put(out, v);
}

uint64_t svl_test_get_be64(const void *p)
{
	return svl__be64_get(p);
}

size_t svl_test_stream_key(uint8_t *out, const char *stream, uint64_t version)
{
	size_t len = strlen(stream);
	out[0] = (uint8_t)len;
	memcpy(out + 1, stream, len);
	svl__be64_put(out + 1 + len, version);
	return 1 + len + 8;
}

/* ---- helper processes ---- */

/* Test files without helpers do not define it; the strong definition of a
 * file that does wins at link time. */
__attribute__((weak)) int svl_test_child_main(const char *role, const char *arg)
{
	(void)role;
	(void)arg;
	return 127;
}

/* Runs before Criterion's main: a helper process never reaches it. */
__attribute__((constructor)) static void child_dispatch(void)
{
	const char *role = getenv("SVL_TEST_ROLE");
	if (!role)
		return;
	char r[256], a[4096];
	const char *arg = getenv("SVL_TEST_ARG");
	snprintf(r, sizeof r, "%s", role);
	snprintf(a, sizeof a, "%s", arg ? arg : "");
	unsetenv("SVL_TEST_ROLE");
	unsetenv("SVL_TEST_ARG");
	fflush(NULL);
	int status = svl_test_child_main(r, a);
	fflush(NULL);
	_exit(status);
}

static char **child_env(const char *role, const char *arg)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 3, sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "SVL_TEST_ROLE=", 14) != 0 &&
		    strncmp(environ[i], "SVL_TEST_ARG=", 13) != 0)
			env[k++] = environ[i];
	size_t rl = strlen(role) + 16, al = strlen(arg) + 16;
	env[k] = malloc(rl);
	env[k + 1] = malloc(al);
	if (env[k])
		snprintf(env[k], rl, "SVL_TEST_ROLE=%s", role);
	if (env[k + 1])
		snprintf(env[k + 1], al, "SVL_TEST_ARG=%s", arg);
	return env;
}

pid_t svl_test_spawn(const char *role, const char *arg, int *to_child,
		     int *from_child)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1};
	if ((to_child && pipe2(in, O_CLOEXEC) != 0) ||
	    (from_child && pipe2(out, O_CLOEXEC) != 0))
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (to_child)
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
						 0);
	if (from_child)
		posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	char **env = child_env(role, arg ? arg : "");
	char exe[] = "/proc/self/exe";
	char *argv[] = {exe, NULL};
	pid_t pid = -1;
	int rc = env ? posix_spawn(&pid, exe, &fa, NULL, argv, env) : ENOMEM;
	posix_spawn_file_actions_destroy(&fa);
	if (env) {
		size_t k = 0;
		while (env[k + 2])
			k++;
		free(env[k]);
		free(env[k + 1]);
		free(env);
	}
	if (to_child) {
		close(in[0]);
		*to_child = in[1];
	}
	if (from_child) {
		close(out[1]);
		*from_child = out[0];
	}
	return rc == 0 ? pid : -1;
}

int svl_test_wait(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

size_t svl_test_read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	char c;
	while (n + 1 < cap) {
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return n;
}

char *svl_test_shell(const char *cmd, int *status)
{
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);
	size_t r;
	while (out && (r = fread(out + len, 1, cap - len - 1, f)) > 0) {
		len += r;
		if (cap - len < 2) {
			char *more = realloc(out, cap * 2);
			if (!more) {
				free(out);
				out = NULL;
				break;
			}
			out = more;
			cap *= 2;
		}
	}
	int st = pclose(f);
	if (out)
		out[len] = '\0';
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

/* Is v a value of an enum of fields f[0..n) (array elements included)? */
static int enum_value_in(const svl_field_def *f, uint32_t n, const char *v)
{
	for (uint32_t i = 0; i < n; i++) {
		if (f[i].sub && enum_value_in(f[i].sub, f[i].n_sub, v))
			return 1;
		if (f[i].enum_def &&
		    svl_enum_find(f[i].enum_def, v, strlen(v)) >= 0)
			return 1;
	}
	return 0;
}

int svl_test_enum_value(const char *v)
{
	for (size_t k = 0; k < svl_event_type_count(); k++) {
		const svl_event_type *t = svl_event_type_at(k);
		if (enum_value_in(t->fields, t->n_fields, v))
			return 1;
	}
	return 0;
}
