/*
 * append_suite.h - the fixture of the append suites (test_append.c,
 * test_append_property.c): a fresh log per test in a temporary directory,
 * reopened on demand. Include it once, from a test file.
 */
#ifndef SVL_TEST_APPEND_SUITE_H
#define SVL_TEST_APPEND_SUITE_H

#include <criterion/criterion.h>

#include "fixture.h"

static char *dir;
static svl_log *log_;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	cr_assert_not_null(dir);
	log_ = svl_test_open(dir, SVL_LOG_CREATE, 0);
	cr_assert_not_null(log_, "%s", svl_log_last_error());
}

static void teardown(void)
{
	svl_log_close(log_);
	log_ = NULL;
	svl_test_rmdir(dir);
	dir = NULL;
}

TestSuite(append, .init = setup, .fini = teardown);

static void reopen(size_t map_bytes)
{
	svl_log_close(log_);
	log_ = svl_test_open(dir, 0, map_bytes);
	cr_assert_not_null(log_, "%s", svl_log_last_error());
}

static svl_head head(void)
{
	svl_head h;
	cr_assert_eq(svl_log_head(log_, &h), SVL_OK, "%s",
		     svl_log_errmsg(log_));
	return h;
}

#endif
