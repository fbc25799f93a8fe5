/*
 * harness.c - see harness.h. Nothing here asserts: the reliability tests
 * count and describe failures themselves, so one broken promise does not
 * hide the next.
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define H_ARGS_MAX 32

void svl_h_res_free(svl_h_res *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}

static const char *resolve(char *buf, const char *env, const char *dflt)
{
	const char *p = getenv(env);
	if (!p || !*p)
		p = dflt;
	return realpath(p, buf) ? buf : NULL;
}

const char *svl_h_tool_rel(void)
{
	static char buf[4096];
	return resolve(buf, "SVL_TOOL_REL", "build/svcledger");
}

const char *svl_h_shim(void)
{
	static char buf[4096];
	return resolve(buf, "SVL_SHIM", "build/failshim.so");
}

pid_t svl_h_spawn(const char *cwd, const char *const *env, const char *tool,
		  char *const argv[], const char *out_path,
		  const char *err_path)
{
	/* The parent returns only once the child has exec'd (the pipe closes
	 * on exec): a signal sent before that would hit a copy of the test
	 * process, with the test runner's handlers. */
	int gate[2];
	if (pipe2(gate, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid != 0) {
		char c;
		close(gate[1]);
		while (pid > 0 && read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		close(gate[0]);
		return pid;
	}
	/* the child: no return from here */
	close(gate[0]);
	if (chdir(cwd) != 0)
		_exit(120);
	int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int n = open("/dev/null", O_RDONLY);
	if (o < 0 || e < 0 || n < 0)
		_exit(121);
	dup2(n, 0);
	dup2(o, 1);
	dup2(e, 2);
	unsetenv("SVCLEDGER_DIR");
	/* English whatever the developer's locale; env may set one */
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	for (size_t k = 0; env && env[k]; k++)
		putenv((char *)env[k]);
	char *args[H_ARGS_MAX + 2];
	size_t a = 0;
	args[a++] = (char *)tool;
	for (size_t k = 1; argv[k] && a < H_ARGS_MAX; k++)
		args[a++] = argv[k];
	args[a] = NULL;
	execv(tool, args);
	_exit(122);
}

int svl_h_wait(pid_t pid)
{
	int st;
	int64_t deadline =
	    svl_h_now_us() + svl_h_env_long("SVL_H_TIMEOUT_S", 300) * 1000000;
	for (int64_t nap = 200;;) {
		pid_t got = waitpid(pid, &st, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return -1;
		if (svl_h_now_us() > deadline) {
			/* a hung tool is a finding, not a hung suite */
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return SVL_H_TIMED_OUT;
		}
		svl_h_sleep_us(nap);
		nap = nap < 20000 ? nap * 2 : nap;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

char *svl_h_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int svl_h_spit(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t put = fwrite(buf, 1, len, f);
	return fclose(f) == 0 && put == len ? 0 : -1;
}

int svl_h_runv(svl_h_res *r, const char *cwd, const char *const *env,
	       const char *tool, char *const argv[])
{
	char out_path[4200], err_path[4200];
	snprintf(out_path, sizeof out_path, "%s/.h_out", cwd);
	snprintf(err_path, sizeof err_path, "%s/.h_err", cwd);
	svl_h_res_free(r);
	pid_t pid = svl_h_spawn(cwd, env, tool, argv, out_path, err_path);
	r->code = pid < 0 ? -1 : svl_h_wait(pid);
	r->out = svl_h_slurp(out_path, NULL);
	r->err = svl_h_slurp(err_path, NULL);
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
	return r->code;
}

int svl_h_run(svl_h_res *r, const char *cwd, const char *const *env, ...)
{
	char *argv[H_ARGS_MAX + 2];
	size_t n = 0;
	va_list ap;
	va_start(ap, env);
	argv[n++] = NULL; /* argv[0]: the tool, set by spawn */
	for (char *w; (w = va_arg(ap, char *)) != NULL && n <= H_ARGS_MAX;)
		argv[n++] = w;
	va_end(ap);
	argv[n] = NULL;
	argv[0] = (char *)"svcledger";
	const char *tool = svl_h_tool_rel();
	if (!tool) {
		svl_h_res_free(r);
		r->code = -1;
		r->out = strdup("");
		r->err = strdup("no release tool ($SVL_TOOL_REL)\n");
		return -1;
	}
	return svl_h_runv(r, cwd, env, tool, argv);
}

int svl_h_one_line(const char *err, char *why, size_t why_len)
{
	size_t len = strlen(err);
	const char *nl = strchr(err, '\n');
	if (len == 0) {
		snprintf(why, why_len, "stderr is empty");
		return 0;
	}
	if (!nl || nl[1] != '\0') {
		snprintf(why, why_len, "stderr is not exactly one line: \"%.300s\"",
			 err);
		return 0;
	}
	if (strncmp(err, "svcledger: ", 11) != 0) {
		snprintf(why, why_len,
			 "stderr does not start with \"svcledger: \": \"%.300s\"",
			 err);
		return 0;
	}
	return 1;
}

void svl_h_head(const char *cwd, const char *dir, char *out)
{
	svl_h_res r = {0, NULL, NULL};
	int code = svl_h_run(&r, cwd, NULL, "head", "-d", dir, "--json",
			     (char *)NULL);
	const char *seq = strstr(r.out, "\"seq\":");
	const char *hash = strstr(r.out, "\"hash\":\"");
	if (code != 0 || !seq || !hash)
		snprintf(out, 80, "exit %d", code);
	else
		snprintf(out, 80, "%lld:%.32s", strtoll(seq + 6, NULL, 10),
			 hash + 8);
	svl_h_res_free(&r);
}

int64_t svl_h_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void svl_h_sleep_us(int64_t us)
{
	struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int svl_h_absent_or_empty(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT;
	int empty = 1;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

uint64_t svl_h_seed(const char *name)
{
	const char *s = getenv(name);
	if (s && *s)
		return strtoull(s, NULL, 0);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^
	       (uint64_t)getpid() << 32;
}

long svl_h_env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	return s && *s ? strtol(s, NULL, 10) : dflt;
}
