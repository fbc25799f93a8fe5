/*
 * test_calendar.c - the one calendar (model/calendar.h and the catalog's
 * primitives it re-exports): civil dates, weekdays and ISO weeks checked
 * against the C library's own calendar (timegm, gmtime_r, strftime: an
 * independent computation, used in this test only), local days and parts
 * of the day in several zones, the texts, and the command line's one time
 * dialect with every malformed form refused.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar.h"

#define DAY SVL__DAY_MS
#define MIN SVL__MIN_MS

/* What the C library says day number `day` is. */
static struct tm libc_day(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	cr_assert_not_null(gmtime_r(&t, &tm), "day %lld", (long long)day);
	return tm;
}

/* UTC ms of a wall-clock date-time by the C library (the test's oracle). */
static int64_t libc_ms(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm) * 1000;
}

static void check_day(int64_t day)
{
	struct tm tm = libc_day(day);
	svl__civil c = svl__civil_from_days(day);
	cr_assert_eq(c.year, (int64_t)tm.tm_year + 1900, "day %lld",
		     (long long)day);
	cr_assert_eq(c.month, (unsigned)tm.tm_mon + 1, "day %lld",
		     (long long)day);
	cr_assert_eq(c.day, (unsigned)tm.tm_mday, "day %lld", (long long)day);
	cr_assert_eq(svl__days_from_civil(c.year, c.month, c.day), day);
	cr_assert_eq(svl__weekday(day), (tm.tm_wday + 6) % 7, "day %lld",
		     (long long)day);
}

/* ---- civil dates ---- */

Test(calendar, civil_dates_round_trip_against_libc_over_three_millennia)
{
	/* every day of years -768 .. 4707: whole 400-year cycles on both
	 * sides of 1970, negative day numbers and every leap rule */
	for (int64_t day = -1000000; day <= 1000000; day++)
		check_day(day);
}

Test(calendar, civil_dates_round_trip_far_from_1970)
{
	for (int64_t day = -(INT64_C(1) << 36); day < (INT64_C(1) << 36);
	     day += 7919 * 1009 + 1)
		check_day(day);
	/* the days of the extreme int64 times */
	svl__civil lo = svl__civil_from_days(svl__local_day(INT64_MIN, -899));
	svl__civil hi = svl__civil_from_days(svl__local_day(INT64_MAX, 899));
	cr_assert_lt(lo.year, -292000000);
	cr_assert_gt(hi.year, 292000000);
}

Test(calendar, leap_years_by_the_gregorian_rules)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
	    {"2024-02-29", 1}, {"2000-02-29", 1}, {"1600-02-29", 1},
	    {"0000-02-29", 1}, {"2026-02-29", 0}, {"1900-02-29", 0},
	    {"2100-02-29", 0}, {"2024-02-30", 0}, {"2026-04-31", 0},
	    {"2026-12-31", 1}, {"2026-01-31", 1}, {"2026-06-31", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t day = 12345;
		cr_assert_eq(svl__civil_parse(cases[i].s, 10, &day),
			     cases[i].ok, "%s", cases[i].s);
		if (!cases[i].ok)
			cr_assert_eq(day, 12345, "untouched: %s", cases[i].s);
	}
	cr_assert_eq(svl__days_from_civil(2024, 3, 1) -
			 svl__days_from_civil(2024, 2, 28),
		     2);
	cr_assert_eq(svl__days_from_civil(2100, 3, 1) -
			 svl__days_from_civil(2100, 2, 28),
		     1);
	cr_assert_eq(svl__days_from_civil(1970, 1, 1), 0);
	cr_assert_eq(svl__days_from_civil(1969, 12, 31), -1);
}

Test(calendar, a_date_field_is_from_1970_a_civil_date_any_year)
{
	int64_t day;
	cr_assert(svl__civil_parse("1969-12-31", 10, &day));
	cr_assert_eq(day, -1);
	cr_assert_not(svl__date_parse("1969-12-31", 10, &day));
	cr_assert(svl__date_parse("1970-01-01", 10, &day));
	cr_assert_eq(day, 0);
	cr_assert(svl__civil_parse("9999-12-31", 10, &day));
	cr_assert_eq(day, svl__days_from_civil(9999, 12, 31));
	cr_assert_not(svl__civil_parse("2026-07-05", 9, &day), "n counts");
}

Test(calendar, floor_division_rounds_toward_minus_infinity)
{
	cr_assert_eq(svl__floor_div(7, 2), 3);
	cr_assert_eq(svl__floor_div(-7, 2), -4);
	cr_assert_eq(svl__floor_div(-8, 2), -4);
	cr_assert_eq(svl__floor_div(0, 5), 0);
	cr_assert_eq(svl__floor_div(-1, DAY), -1);
	cr_assert_eq(svl__floor_div(INT64_MIN, DAY),
		     INT64_MIN / DAY - 1);
	cr_assert_eq(svl__floor_div(INT64_MAX, DAY), INT64_MAX / DAY);
}

Test(calendar, floor_division_by_zero_is_a_bug, .signal = SIGABRT)
{
	svl__floor_div(1, 0);
}

/* ---- weeks ---- */

static int64_t ymd(int64_t y, unsigned m, unsigned d)
{
	return svl__days_from_civil(y, m, d);
}

Test(calendar, iso_weeks_of_known_dates_R_FU_8)
{
	static const struct {
		int y, m, d;
		const char *week;
		int weekday;
	} cases[] = {
	    {2026, 1, 1, "2026-W01", 3},   {2027, 1, 1, "2026-W53", 4},
	    {2024, 12, 30, "2025-W01", 0}, {2021, 1, 1, "2020-W53", 4},
	    {2020, 12, 31, "2020-W53", 3}, {2027, 1, 4, "2027-W01", 0},
	    {2027, 1, 3, "2026-W53", 6},   {2005, 1, 1, "2004-W53", 5},
	    {2008, 12, 29, "2009-W01", 0}, {2010, 1, 3, "2009-W53", 6},
	    {1970, 1, 1, "1970-W01", 3},   {1969, 12, 29, "1970-W01", 0},
	    {2026, 9, 28, "2026-W40", 0},  {2024, 2, 29, "2024-W09", 3},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[16];
		int64_t day = ymd(cases[i].y, (unsigned)cases[i].m,
				  (unsigned)cases[i].d);
		cr_assert_str_eq(svl__fmt_week(buf, sizeof buf, day),
				 cases[i].week, "%d-%d-%d", cases[i].y,
				 cases[i].m, cases[i].d);
		cr_assert_eq(svl__weekday(day), cases[i].weekday);
	}
}

Test(calendar, iso_weeks_agree_with_strftime_G_V)
{
	for (int64_t day = -200000; day <= 200000; day++) {
		struct tm tm = libc_day(day);
		char want[32], got[32];
		strftime(want, sizeof want, "%G-W%V", &tm);
		svl__fmt_week(got, sizeof got, day);
		/* strftime writes years below 1000 without padding */
		if (tm.tm_year + 1900 >= 1001)
			cr_assert_str_eq(got, want, "day %lld",
					 (long long)day);
		svl__iso_week w = svl__iso_week_of(day);
		cr_assert(w.week >= 1 && w.week <= 53);
	}
}

/* ---- local days and parts of the day ---- */

Test(calendar, local_day_turns_at_local_midnight_in_every_zone)
{
	static const int32_t zones[] = {0,    480,  -300, 345, -600,
					840, -720, 570,  -210};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		int32_t z = zones[i];
		for (int64_t day = -3; day <= 3; day++) {
			int64_t mid = svl__day_start_ms(day, z);
			cr_assert_eq(mid, day * DAY - z * MIN);
			cr_assert_eq(svl__local_day(mid, z), day, "zone %d", z);
			cr_assert_eq(svl__local_day(mid - 1, z), day - 1);
			cr_assert_eq(svl__local_minute(mid, z), 0);
			cr_assert_eq(svl__local_minute(mid - 1, z), 1439);
			cr_assert_eq(svl__local_day(mid + DAY - 1, z), day);
		}
	}
}

Test(calendar, local_day_of_negative_times)
{
	cr_assert_eq(svl__local_day(-1, 0), -1);
	cr_assert_eq(svl__local_day(-DAY, 0), -1);
	cr_assert_eq(svl__local_day(-DAY - 1, 0), -2);
	cr_assert_eq(svl__local_day(-8 * 60 * MIN, 480), 0, "00:00 +08:00");
	cr_assert_eq(svl__local_day(-8 * 60 * MIN - 1, 480), -1);
	cr_assert_eq(svl__local_day(5 * 60 * MIN - 1, -300), -1);
	cr_assert_eq(svl__local_day(5 * 60 * MIN, -300), 0);
	cr_assert_eq(svl__local_minute(-1, 0), 1439);
	cr_assert_eq(svl__local_minute(-MIN, 480), 8 * 60 - 1);
	/* no overflow at the ends of int64 */
	cr_assert_eq(svl__local_day(INT64_MIN, 0), INT64_MIN / DAY - 1);
	cr_assert_eq(svl__local_day(INT64_MAX, 0), INT64_MAX / DAY);
	/* INT64_MAX is 07:12:55.807 UTC */
	cr_assert_eq(svl__local_day(INT64_MAX, 899), INT64_MAX / DAY);
	cr_assert_eq(svl__local_day(INT64_MAX, -480), INT64_MAX / DAY - 1);
	cr_assert_eq(svl__local_minute(INT64_MAX, 0), 7 * 60 + 12);
	int32_t m = svl__local_minute(INT64_MIN, -840);
	cr_assert(m >= 0 && m < 1440);
}

Test(calendar, day_parts_turn_at_12_and_17_local_R_FU_4)
{
	static const int32_t zones[] = {480, 0, -300, 345, 840, -720};
	static const struct {
		int hh, mm, part;
	} cases[] = {
	    {0, 0, 0},	 {11, 59, 0}, {12, 0, 1},  {16, 59, 1},
	    {17, 0, 2}, {23, 59, 2}, {8, 30, 0},
	};
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++)
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			/* 2026-09-30 at that local wall time: UTC by libc */
			int64_t at =
			    libc_ms(2026, 9, 30, cases[i].hh, cases[i].mm, 0) -
			    zones[z] * MIN;
			cr_assert_eq(svl__day_part(at, zones[z]), cases[i].part,
				     "%02d:%02d in zone %d", cases[i].hh,
				     cases[i].mm, zones[z]);
			cr_assert_eq(svl__day_part(at + 59999, zones[z]),
				     cases[i].part, "the whole minute");
			cr_assert_eq(svl__local_day(at, zones[z]),
				     ymd(2026, 9, 30));
		}
	/* 12:00 in Beijing is 04:00 UTC: afternoon there, morning in UTC,
	 * and evening of the day before in UTC-05:00 */
	int64_t noon_bj = libc_ms(2026, 9, 30, 4, 0, 0);
	cr_assert_eq(svl__day_part(noon_bj, 480), 1);
	cr_assert_eq(svl__day_part(noon_bj - 1, 480), 0);
	cr_assert_eq(svl__day_part(noon_bj, 0), 0);
	cr_assert_eq(svl__day_part(noon_bj, -300), 2, "23:00 the day before");
	cr_assert_eq(svl__local_day(noon_bj, -300), ymd(2026, 9, 29));
}

/* ---- texts ---- */

Test(calendar, texts_of_days_months_times_and_offsets)
{
	char b[64];
	int64_t at = libc_ms(2026, 9, 30, 10, 5, 7) + 42;
	cr_assert_str_eq(svl__fmt_day(b, sizeof b, ymd(2026, 9, 30)),
			 "2026-09-30");
	cr_assert_str_eq(svl__fmt_day(b, sizeof b, ymd(800, 1, 2)),
			 "0800-01-02");
	cr_assert_str_eq(svl__fmt_month(b, sizeof b, ymd(2026, 9, 30)),
			 "2026-09");
	cr_assert_str_eq(svl__fmt_time(b, sizeof b, at, 480),
			 "2026-09-30 18:05");
	cr_assert_str_eq(svl__fmt_time(b, sizeof b, at, -600),
			 "2026-09-30 00:05");
	cr_assert_str_eq(svl__fmt_time(b, sizeof b, at, -660),
			 "2026-09-29 23:05");
	cr_assert_str_eq(svl__fmt_offset(b, sizeof b, 480), "+08:00");
	cr_assert_str_eq(svl__fmt_offset(b, sizeof b, -270), "-04:30");
	cr_assert_str_eq(svl__fmt_offset(b, sizeof b, 345), "+05:45");
	cr_assert_str_eq(svl__fmt_offset(b, sizeof b, 0), "+00:00");
	cr_assert_str_eq(svl__fmt_rfc3339(b, sizeof b, at, 480),
			 "2026-09-30T18:05:07.042+08:00");
	cr_assert_str_eq(svl__fmt_rfc3339(b, sizeof b, at, 0),
			 "2026-09-30T10:05:07.042Z");
	cr_assert_str_eq(svl__fmt_rfc3339(b, sizeof b, at, -270),
			 "2026-09-30T05:35:07.042-04:30");
	cr_assert_str_eq(svl__fmt_rfc3339(b, sizeof b, -1, 0),
			 "1969-12-31T23:59:59.999Z");
	/* cut, never overflowed */
	char small[8];
	cr_assert_str_eq(svl__fmt_rfc3339(small, sizeof small, at, 480),
			 "2026-09");
}

/* Seeded, so that a failure is repeatable; the seed is in the message. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

Test(calendar, rfc3339_texts_read_back_to_the_same_ms)
{
	static const int32_t zones[] = {0, 480, -300, 345, -720, 840};
	const uint64_t seed = 20260930;
	uint64_t s = seed;
	/* 0000-01-01 .. 9999-12-31 */
	const int64_t lo = ymd(0, 1, 1) * DAY + 15 * 60 * MIN,
		      span = ymd(9999, 12, 31) * DAY - lo - 15 * 60 * MIN;
	for (int i = 0; i < 20000; i++) {
		int64_t at = lo + (int64_t)(rnd(&s) % (uint64_t)span);
		int32_t z = zones[rnd(&s) % 6];
		char b[64];
		int64_t back = 0;
		svl__fmt_rfc3339(b, sizeof b, at, z);
		cr_assert(svl__time_read(b, 123, false, &back), "%s (seed %llu)",
			  b, (unsigned long long)seed);
		cr_assert_eq(back, at, "%s (seed %llu)", b,
			     (unsigned long long)seed);
		if (at >= SVL_TIME_MIN_MS && at < SVL_TIME_MAX_MS) {
			cr_assert_eq(svl_time_parse(&back, b, strlen(b)),
				     SVL_OK, "%s", b);
			cr_assert_eq(back, at, "%s", b);
		}
		/* the local text, read in its zone, is the minute */
		svl__fmt_time(b, sizeof b, at, z);
		cr_assert(svl__time_read(b, z, false, &back), "%s", b);
		cr_assert_eq(back, svl__floor_div(at, MIN) * MIN, "%s", b);
		/* the day text is the day */
		int64_t day = svl__local_day(at, z), dback;
		svl__fmt_day(b, sizeof b, day);
		cr_assert(svl__civil_parse(b, strlen(b), &dback), "%s", b);
		cr_assert_eq(dback, day);
	}
}

/* ---- the command line's times ---- */

typedef struct read_case {
	const char *s;
	int32_t tz;
	bool end_of_day;
	/* the expected UTC time: a wall time by libc, minus offset_min */
	int y, mo, d, h, mi, sec, ms, offset_min;
} read_case;

Test(calendar, every_form_of_the_time_dialect)
{
	static const read_case cases[] = {
	    /* a date: local midnight, or the next with end_of_day */
	    {"2026-07-05", 480, false, 2026, 7, 5, 0, 0, 0, 0, 480},
	    {"2026-07-05", 480, true, 2026, 7, 6, 0, 0, 0, 0, 480},
	    {"2026-07-05", 0, false, 2026, 7, 5, 0, 0, 0, 0, 0},
	    {"2026-12-31", -300, true, 2027, 1, 1, 0, 0, 0, 0, -300},
	    {"1969-12-31", 0, false, 1969, 12, 31, 0, 0, 0, 0, 0},
	    /* local date-times */
	    {"2026-07-05T17:30", 480, false, 2026, 7, 5, 17, 30, 0, 0, 480},
	    {"2026-07-05t17:30", 480, false, 2026, 7, 5, 17, 30, 0, 0, 480},
	    {"2026-07-05 17:30:00", 480, false, 2026, 7, 5, 17, 30, 0, 0, 480},
	    {"2026-07-05T17:30:09.5", 480, true, 2026, 7, 5, 17, 30, 9, 500,
	     480},
	    {"2026-07-05 17:30:09.123456789", -270, false, 2026, 7, 5, 17, 30,
	     9, 123, -270},
	    /* with Z or an offset: as written, whatever the zone */
	    {"2026-07-05T09:30:00Z", 480, false, 2026, 7, 5, 9, 30, 0, 0, 0},
	    {"2026-07-05T09:30:00.001z", 480, false, 2026, 7, 5, 9, 30, 0, 1,
	     0},
	    {"2026-07-05T17:30+08:00", 0, false, 2026, 7, 5, 17, 30, 0, 0, 480},
	    {"2026-07-05 17:30Z", 480, false, 2026, 7, 5, 17, 30, 0, 0, 0},
	    {"2026-07-05T17:30:00-04:30", 480, false, 2026, 7, 5, 17, 30, 0, 0,
	     -270},
	    {"2026-07-05T17:30:00+14:59", 0, false, 2026, 7, 5, 17, 30, 0, 0,
	     899},
	    {"1969-12-31T23:59:59.999Z", 480, false, 1969, 12, 31, 23, 59, 59,
	     999, 0},
	    {"0000-01-01T00:00Z", 0, false, 0, 1, 1, 0, 0, 0, 0, 0},
	    {"9999-12-31T23:59:59.999Z", 0, false, 9999, 12, 31, 23, 59, 59,
	     999, 0},
	    /* a leap second reads as POSIX time does: the next minute */
	    {"2016-12-31T23:59:60Z", 480, false, 2017, 1, 1, 0, 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const read_case *c = &cases[i];
		int64_t want = libc_ms(c->y, c->mo, c->d, c->h, c->mi, c->sec) +
			       c->ms - c->offset_min * MIN;
		int64_t got = 0;
		cr_assert(svl__time_read(c->s, c->tz, c->end_of_day, &got),
			  "%s", c->s);
		cr_assert_eq(got, want, "%s: %lld, want %lld", c->s,
			     (long long)got, (long long)want);
	}
}

Test(calendar, integers_are_utc_milliseconds_of_any_int64)
{
	static const struct {
		const char *s;
		int64_t ms;
	} cases[] = {
	    {"0", 0},
	    {"1782864000000", INT64_C(1782864000000)},
	    {"946684800000", INT64_C(946684800000)},
	    {"13", 13},
	    {"-5", -5},
	    {"+5", 5},
	    {"007", 7},
	    {"9223372036854775807", INT64_MAX},
	    {"-9223372036854775808", INT64_MIN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t got = 1;
		cr_assert(svl__time_read(cases[i].s, 480, true, &got), "%s",
			  cases[i].s);
		cr_assert_eq(got, cases[i].ms, "%s", cases[i].s);
	}
}

/* Text in the struct: Criterion hands parameters to a test in another
 * process, where a pointer to a literal would not point at it. */
typedef struct bad_time {
	char s[40];
} bad_time;

ParameterizedTestParameters(calendar, malformed_times_are_refused)
{
	static bad_time bad[] = {
	    {""},
	    {"-"},
	    {"+"},
	    {"--5"},
	    {"5-"},
	    {"9223372036854775808"},
	    {"-9223372036854775809"},
	    {"99999999999999999999"},
	    {"0x10"},
	    {"1e3"},
	    {" 5"},
	    {"5 "},
	    {"yesterday"},
	    {"now"},
	    {"2026-7-5"},
	    {"2026-07-5"},
	    {"26-07-05"},
	    {" 2026-07-05"},
	    {"2026-07-05 "},
	    {"2026/07/05"},
	    {"2026-02-29"},
	    {"2100-02-29"},
	    {"2026-13-01"},
	    {"2026-00-10"},
	    {"2026-07-32"},
	    {"2026-07-00"},
	    {"10000-01-01"},
	    {"-001-01-01"},
	    {"2026-07"},
	    {"2026-07-05T"},
	    {"2026-07-05T12"},
	    {"2026-07-05T12:"},
	    {"2026-07-05T1:00"},
	    {"2026-07-05T12:0"},
	    {"2026-07-05T24:00"},
	    {"2026-07-05T12:60"},
	    {"2026-07-05T12:00:61"},
	    {"2026-07-05T12:00:5"},
	    {"2026-07-05T12:00:"},
	    {"2026-07-05T12:00.5"},
	    {"2026-07-05T12:00:00."},
	    {"2026-07-05T12:00:00.1234567890"},
	    {"2026-07-05T12:00:00,5"},
	    {"2026-07-05T12:00+8"},
	    {"2026-07-05T12:00+08"},
	    {"2026-07-05T12:00+0800"},
	    {"2026-07-05T12:00+08:0"},
	    {"2026-07-05T12:00+15:00"},
	    {"2026-07-05T12:00+08:60"},
	    {"2026-07-05T12:00ZZ"},
	    {"2026-07-05T12:00 Z"},
	    {"2026-07-05T12:00Z "},
	    {"2026-07-05T12:00UTC"},
	    {"2026-07-05X12:00"},
	    {"2026-07-05  12:00"},
	    {"2026-02-30T12:00Z"},
	    {"12:00"},
	};
	return cr_make_param_array(bad_time, bad, sizeof bad / sizeof bad[0]);
}

ParameterizedTest(bad_time *b, calendar, malformed_times_are_refused)
{
	int64_t out = 42;
	cr_assert_not(svl__time_read(b->s, 480, false, &out), "'%s'", b->s);
	cr_assert_not(svl__time_read(b->s, 0, true, &out), "'%s'", b->s);
	cr_assert_eq(out, 42, "'%s': nothing written", b->s);
}

Test(calendar, rfc3339_form_refuses_what_only_people_may_type)
{
	static const char *const typed_only[] = {
	    "2026-07-05 12:00:00Z", "2026-07-05T12:00Z",
	    "2026-07-05T12:00:00",  "2016-12-31T23:59:60Z",
	    "2026-07-05T12:00:00.5",
	};
	for (size_t i = 0; i < sizeof typed_only / sizeof typed_only[0]; i++) {
		const char *s = typed_only[i];
		svl__datetime dt;
		int64_t ms;
		cr_assert(svl__datetime_parse(&dt, s, strlen(s), SVL__DT_TYPED),
			  "%s", s);
		cr_assert_not(svl__datetime_parse(&dt, s, strlen(s),
						  SVL__DT_RFC3339),
			      "%s", s);
		cr_assert_eq(svl_time_parse(&ms, s, strlen(s)), SVL_EINVAL,
			     "%s", s);
	}
	svl__datetime dt;
	const char *s = "2026-07-05T12:00:00.5-04:30";
	cr_assert(svl__datetime_parse(&dt, s, strlen(s), SVL__DT_RFC3339));
	cr_assert(dt.has_offset);
	cr_assert_eq(dt.offset_min, -270);
	cr_assert_eq(dt.wall_ms, libc_ms(2026, 7, 5, 12, 0, 0) + 500);
}

/* ---- periods ---- */

Test(calendar, periods_are_a_day_or_a_month)
{
	static const struct {
		const char *s;
		int y0, m0, d0, y1, m1, d1;
	} cases[] = {
	    {"2026-09", 2026, 9, 1, 2026, 10, 1},
	    {"2026-12", 2026, 12, 1, 2027, 1, 1},
	    {"2024-02", 2024, 2, 1, 2024, 3, 1},
	    {"2026-09-30", 2026, 9, 30, 2026, 10, 1},
	    {"2024-02-29", 2024, 2, 29, 2024, 3, 1},
	    {"1969-12", 1969, 12, 1, 1970, 1, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t first, end;
		cr_assert(svl__period_parse(cases[i].s, &first, &end), "%s",
			  cases[i].s);
		cr_assert_eq(first, ymd(cases[i].y0, (unsigned)cases[i].m0,
					(unsigned)cases[i].d0),
			     "%s", cases[i].s);
		cr_assert_eq(end, ymd(cases[i].y1, (unsigned)cases[i].m1,
				      (unsigned)cases[i].d1),
			     "%s", cases[i].s);
	}
	static const char *const bad[] = {
	    "",	       "2026",	     "2026-9",	    "2026-13", "2026-00",
	    "2026-09-", "2026-09-31", "202609",	    "2026/09", "2026-09-1",
	    "26-09",   "2026-09 ",   "2026-09-30T00:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t first = 7, end = 7;
		cr_assert_not(svl__period_parse(bad[i], &first, &end), "'%s'",
			      bad[i]);
		cr_assert(first == 7 && end == 7);
	}
}
