/*
 * fixture.h - shared test helpers: a fresh ledger directory per test,
 * removed afterwards, and small event builders.
 */
#ifndef SVL_TEST_FIXTURE_H
#define SVL_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

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

#endif
