/*
 * figures_fixture.h - the figures tests' ledger (test_figures*.c): a fresh
 * ledger per test, the shop's calendar (UTC+08:00) and events appended
 * straight to the log (svl_test_put: no deciders), so a story may hold
 * what a decider would refuse. Header-only; include it once per test
 * file, then declare the suite with FIG_SUITE(name).
 */
#ifndef SVL_FIGURES_FIXTURE_H
#define SVL_FIGURES_FIXTURE_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>

#include "fixture.h"
#include "ledger_fixture.h"
#include "svl_figures.h"

#define MIN INT64_C(60000)
#define HOUR INT64_C(3600000)
#define DAY INT64_C(86400000)
/* 2026-07-01T00:00+08:00 */
#define JULY1 INT64_C(1782835200000)
/* month (7 or 8), day, hour, minute in UTC+08:00 */
#define AT(mo, d, h, m)                                                        \
	(JULY1 + ((mo) == 8 ? 31 * DAY : 0) + ((d)-1) * DAY + (h)*HOUR +       \
	 (m)*MIN)

static char *dir;
static svl_ledger *led;

static inline void fig_setup(void)
{
	led = svl_test_ledger(&dir, NULL);
}

static inline void fig_teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

#define FIG_SUITE(name)                                                        \
	TestSuite(name, .init = fig_setup, .fini = fig_teardown)

/* An event that happened at `at` and was entered at `rec`. */
static void put(uint32_t type, int64_t at, int64_t rec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(uint32_t type, int64_t at, int64_t rec, const char *fmt, ...)
{
	char json[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(json, sizeof json, fmt, ap);
	va_end(ap);
	svl_test_put(led, type, at, rec, json);
}

/* Entered when it happened. */
#define NOW(type, at, ...) put(SVL_T_##type, (at), (at), __VA_ARGS__)

#endif
