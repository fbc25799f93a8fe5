/*
 * calendar.h - the department's calendar and clock, once: floor division,
 * civil dates, weekdays and ISO weeks, local days and minutes in a rule
 * set's zone, the parts of a day, the texts times are written as, and
 * the one reader of times typed on the command line. Pure: no I/O, no
 * global state, no locale, no time zone database.
 *
 * Units: times are milliseconds since 1970-01-01T00:00Z (at_ms); a zone
 * is minutes east of UTC (Beijing: 480); a day number is days since
 * 1970-01-01 (floor, so times before 1970 land on the right day).
 * Every function takes any int64 at_ms, negative ones included, without
 * overflow; day numbers are those of such times (|day| < 2^37, civil
 * years of some three hundred million).
 *
 * Where each piece lives: the catalog, which is below the model, checks
 * DATE fields and reads RFC 3339 event times, so the primitives those
 * need are the catalog's (catalog/check.c, declared in catalog_int.h,
 * included here so this header is the whole calendar):
 *   svl__days_from_civil  a civil date to its day number
 *   svl__civil_parse      "YYYY-MM-DD" to its day number (any year)
 *   svl__date_parse       the same from 1970 on (the DATE field kind)
 *   svl__datetime_parse   RFC 3339 date-times, strict or as typed
 * and svl_time_parse (public) is svl__datetime_parse with the event
 * range. Everything else is here, in calendar.c. Nothing else in the
 * tree does calendar arithmetic or writes a date.
 */
#ifndef SVL_CALENDAR_H
#define SVL_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog_int.h"

#define SVL__DAY_MS INT64_C(86400000)
#define SVL__MIN_MS INT64_C(60000)

/* ---- arithmetic and civil dates ---------------------------------------- */

/* a / b rounded toward minus infinity; b > 0 (asserted). */
int64_t svl__floor_div(int64_t a, int64_t b);

/* A proleptic Gregorian date. */
typedef struct svl__civil {
	int64_t year;
	unsigned month; /* 1..12 */
	unsigned day;	/* 1..31 */
} svl__civil;

/* The civil date of day number `day` (the inverse of
 * svl__days_from_civil). */
svl__civil svl__civil_from_days(int64_t day);

/* 0 Monday .. 6 Sunday (ISO 8601; 1970-01-01 was a Thursday, 3). */
int svl__weekday(int64_t day);

/* An ISO 8601 week: Monday to Sunday, numbered in the year that holds
 * its Thursday (2027-01-01 is in 2026-W53, 2024-12-30 in 2025-W01). */
typedef struct svl__iso_week {
	int64_t year;
	unsigned week; /* 1..53 */
} svl__iso_week;

svl__iso_week svl__iso_week_of(int64_t day);

/* ---- local days in a zone ----------------------------------------------- */

/* Days since 1970-01-01 of the local time of at_ms (floor). */
int64_t svl__local_day(int64_t at_ms, int32_t tz_min);
/* Local minute of the day, 0..1439. */
int32_t svl__local_minute(int64_t at_ms, int32_t tz_min);
/* The UTC time of local midnight at the start of day number `day`. */
int64_t svl__day_start_ms(int64_t day, int32_t tz_min);
/* Part of the local day of at_ms: 0 morning (< 12:00), 1 afternoon
 * (12:00-16:59), 2 evening (>= 17:00). R-FU-4 counts distinct ones. */
int svl__day_part(int64_t at_ms, int32_t tz_min);

/* ---- texts ---------------------------------------------------------------
 *
 * Each writes a NUL-terminated text into buf (cap bytes; cut, never
 * overflowed, when cap is smaller than said) and returns buf. Years are
 * written with at least four characters ("0800"). */

/* "2026-09-30", day number `day`; cap >= 16. */
const char *svl__fmt_day(char *buf, size_t cap, int64_t day);
/* "2026-09", the month of day number `day`; cap >= 16. */
const char *svl__fmt_month(char *buf, size_t cap, int64_t day);
/* "2026-W40", the ISO week of day number `day`; cap >= 16. */
const char *svl__fmt_week(char *buf, size_t cap, int64_t day);
/* "2026-09-30 10:00", local time of at_ms; cap >= 24. */
const char *svl__fmt_time(char *buf, size_t cap, int64_t at_ms, int32_t tz_min);
/* "+08:00", "-04:30", "+00:00": the zone as an RFC 3339 offset; cap >= 8. */
const char *svl__fmt_offset(char *buf, size_t cap, int32_t tz_min);
/* RFC 3339 with milliseconds in the zone tz_min:
 * "2026-09-30T18:00:00.000+08:00", and "...Z" for zone 0 (UTC);
 * cap >= 40. svl_time_parse reads it back (within its range). */
const char *svl__fmt_rfc3339(char *buf, size_t cap, int64_t at_ms,
			     int32_t tz_min);

/* ---- reading -------------------------------------------------------------
 *
 * s is NUL-terminated; nothing is written to the outputs on false. */

/*
 * A period: a day "YYYY-MM-DD" or a month "YYYY-MM" (any year 0000-9999).
 * *first_day is its first day number, *end_day the day after its last.
 */
bool svl__period_parse(const char *s, int64_t *first_day, int64_t *end_day);

/*
 * The command line's one time dialect (docs/cli.md, "Times on the command
 * line"):
 *   [+-]DIGITS               UTC milliseconds since 1970 (any int64)
 *   YYYY-MM-DD               local midnight starting that day in zone
 *                            tz_min; with end_of_day the next one, so
 *                            that an upper bound includes the day
 *   YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|+HH:MM|-HH:MM]
 *                            a date-time (svl__datetime_parse, typed
 *                            form): with Z or an offset as written, else
 *                            local time in zone tz_min
 * Years 0000-9999; a date or time that does not exist is refused.
 */
bool svl__time_read(const char *s, int32_t tz_min, bool end_of_day,
		    int64_t *out_ms);

#endif
