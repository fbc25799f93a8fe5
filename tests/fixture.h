/*
 * fixture.h - shared test helpers: a fresh ledger directory per test,
 * removed afterwards, small event builders, seeded randomness, raw LMDB
 * access for tamper and format tests, and helper processes.
 */
#ifndef SVL_TEST_FIXTURE_H
#define SVL_TEST_FIXTURE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "svl_log.h"

/* A fresh empty directory under $TMPDIR (or /tmp); caller frees with
 * svl_test_rmdir(). */
char *svl_test_mkdtemp(void);
/* Remove a directory tree (rm -rf) and free the path. NULL is a no-op. */
void svl_test_rmdir(char *path);

/* A payload {"n": n} in msgpack; returns its length (buf >= 16 bytes). */
size_t svl_test_payload(uint8_t *buf, int64_t n);

/* An event for `stream` with a {"n": n} payload held in `buf`. */
svl_event_in svl_test_event(const char *stream, uint8_t *buf, int64_t n);

/* ---- more builders ---- */

/* A payload {"n": n, "p": bin} of exactly `len` bytes (len >= 16; buf holds
 * len bytes). Returns len, or 0 when no such map has that length. */
size_t svl_test_payload_sized(uint8_t *buf, int64_t n, size_t len);

/* A client-chosen event id made of two numbers (big-endian a, then b). */
void svl_test_id(uint8_t id[SVL_ID_SIZE], uint64_t a, uint64_t b);

/* Open the ledger in dir with flags (SVL_LOG_CREATE, ...) and an initial
 * map of map_bytes (0 = default). NULL on failure (svl_log_last_error()). */
svl_log *svl_test_open(const char *dir, unsigned flags, size_t map_bytes);

/* ---- seeded randomness (splitmix64) ---- */

/* The seed of a randomised test: $SVL_TEST_SEED if set, else from the
 * clock. Print it in the test's assertion messages. */
uint64_t svl_test_seed(void);
uint64_t svl_test_rand(uint64_t *state);
/* uniform in [0, n) (n > 0) */
uint64_t svl_test_below(uint64_t *state, uint64_t n);

/* ---- raw LMDB access to a closed ledger (tamper and format tests) ---- */

typedef struct svl_test_raw {
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi events, streams, ids, meta;
} svl_test_raw;

/* Open the environment in dir with LMDB's own API and begin a transaction
 * (write or read-only) with the four named sub-databases open. Returns an
 * LMDB code. The ledger must not be open in this process. */
int svl_test_raw_begin(svl_test_raw *raw, const char *dir, int write);
/* Commit (commit = 1) or abort, and close the environment. */
int svl_test_raw_end(svl_test_raw *raw, int commit);
/* A malloc'd copy of record seq's value (NULL if absent); replace or
 * delete record seq. The last two return an LMDB code. */
uint8_t *svl_test_raw_get(svl_test_raw *raw, uint64_t seq, size_t *len);
int svl_test_raw_put(svl_test_raw *raw, uint64_t seq, const uint8_t *val,
		     size_t len);
int svl_test_raw_del(svl_test_raw *raw, uint64_t seq);
/* Store XXH3-128 (canonical form) of a record's envelope as its hash, as
 * anyone who can write the file can. */
void svl_test_rehash(uint8_t *record, size_t len);
/* Key helpers: 8-byte big-endian seq; stream index key (returns length). */
void svl_test_be64(uint8_t out[8], uint64_t v);
uint64_t svl_test_get_be64(const void *p);
size_t svl_test_stream_key(uint8_t *out, const char *stream, uint64_t version);

/* ---- helper processes ----
 *
 * A helper process is this test binary run again: a constructor in
 * fixture.c sees $SVL_TEST_ROLE before Criterion starts and calls
 * svl_test_child_main(role, arg), whose return value is the exit status. A
 * test file that spawns helpers defines svl_test_child_main. The helper is
 * a fresh process (fork and exec), so it never inherits an LMDB
 * environment of the test: LMDB forbids using one across fork.
 */
int svl_test_child_main(const char *role, const char *arg);

/* Start a helper; its stdin and stdout are pipes: *to_child (write end,
 * may be NULL to give it /dev/null) and *from_child (read end, may be
 * NULL). Returns the pid, or -1. */
pid_t svl_test_spawn(const char *role, const char *arg, int *to_child,
		     int *from_child);
/* Wait for pid: its exit status, or 128 + signal number. */
int svl_test_wait(pid_t pid);
/* Read one line (without the newline) from fd into buf; 0 on EOF. */
size_t svl_test_read_line(int fd, char *buf, size_t cap);

/* Run a shell command; its stdout as a malloc'd string (caller frees) and
 * its exit status in *status (may be NULL). */
char *svl_test_shell(const char *cmd, int *status);

/* Is v a value of one of the event catalog's enums ("busy", "recycled")? */
int svl_test_enum_value(const char *v);

#endif
