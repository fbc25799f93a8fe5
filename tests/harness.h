/*
 * harness.h - running the release svcledger tool from the reliability
 * suite (test_crash.c, test_edges.c, test_bad_input.c): started with
 * fork and exec so a test holds its pid (to kill it at a chosen moment),
 * with extra environment (the failshim LD_PRELOAD), stdout and stderr
 * captured in files, and the exit code or the signal that ended it.
 *
 * Why not cli_fixture's svl_cli_run: that goes through the shell, which
 * hides the tool's pid and would carry LD_PRELOAD into the shell itself.
 *
 * Tools: $SVL_TOOL_REL (the release build, set by `make test`), else
 * build/svcledger; the shim: $SVL_SHIM, else build/failshim.so.
 */
#ifndef SVL_TEST_HARNESS_H
#define SVL_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What a run did: code is the exit status, or 128 + the signal number
 * when a signal ended it; out and err are NUL-terminated (caller frees
 * with svl_h_res_free). */
typedef struct svl_h_res {
	int code;
	char *out;
	char *err;
} svl_h_res;

void svl_h_res_free(svl_h_res *r);

/* Absolute path of the release tool / the shim, or NULL when absent. */
const char *svl_h_tool_rel(void);
const char *svl_h_shim(void);

/* Start `tool argv[1..]` (argv[0] is ignored; NULL-terminated) in cwd with
 * env (NULL-terminated "K=V" strings added to the environment, or NULL),
 * stdout and stderr to out_path and err_path. Returns the pid. */
pid_t svl_h_spawn(const char *cwd, const char *const *env, const char *tool,
		  char *const argv[], const char *out_path,
		  const char *err_path);

/* Wait for pid: exit status, or 128 + signal number; after
 * $SVL_H_TIMEOUT_S seconds (default 300) it is killed and the answer is
 * SVL_H_TIMED_OUT. */
#define SVL_H_TIMED_OUT 1124
int svl_h_wait(pid_t pid);

/* Run the release tool with the NULL-terminated words after env, in cwd,
 * and wait: fills *r (freed first if it held a result). */
int svl_h_run(svl_h_res *r, const char *cwd, const char *const *env, ...)
	__attribute__((sentinel));

/* Same, with the words in an array (argv[0] ignored). */
int svl_h_runv(svl_h_res *r, const char *cwd, const char *const *env,
	       const char *tool, char *const argv[]);

/* The stderr promise of every failing command: exactly one line, ending in
 * a newline, starting "svcledger: ". Returns 1 when err keeps it, else 0
 * with the reason in why. */
int svl_h_one_line(const char *err, char *why, size_t why_len);

/* "seq:hash" of the ledger in dir from the release tool's head --json, or
 * "exit N" when head failed; out holds >= 80 bytes. */
void svl_h_head(const char *cwd, const char *dir, char *out);

/* A malloc'd copy of a file's bytes (NUL-terminated; *len may be NULL), or
 * NULL; write a file whole (returns 0 on success). */
char *svl_h_slurp(const char *path, size_t *len);
int svl_h_spit(const char *path, const void *buf, size_t len);

/* Microseconds on the monotonic clock; sleep for us microseconds. */
int64_t svl_h_now_us(void);
void svl_h_sleep_us(int64_t us);

/* 1 when path is absent or an empty directory. */
int svl_h_absent_or_empty(const char *path);

/* The seed of a randomised reliability test: $name (e.g. SVL_CRASH_SEED)
 * when set, else from the clock. */
uint64_t svl_h_seed(const char *name);

/* An integer knob from the environment, or dflt. */
long svl_h_env_long(const char *name, long dflt);

#endif /* SVL_TEST_HARNESS_H */
