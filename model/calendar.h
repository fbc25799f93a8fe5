/*
 * calendar.h - the department's calendar and clock, once: local days and
 * minutes in a rule set's zone, the parts of a day, civil dates, and the
 * texts times are written as. Pure: no I/O, no global state, no locale.
 *
 * Times are milliseconds since 1970-01-01T00:00Z; a zone is minutes east
 * of UTC (Beijing: 480); a day number is days since 1970-01-01 (floor,
 * so times before 1970 land on the right day).
 */
#ifndef SVL_CALENDAR_H
#define SVL_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#define SVL__DAY_MS INT64_C(86400000)

/* Days since 1970-01-01 of the local time of at_ms (floor). */
int64_t svl__local_day(int64_t at_ms, int32_t tz_min);
/* Local minute of the day, 0..1439. */
int32_t svl__local_minute(int64_t at_ms, int32_t tz_min);
/* Part of the local day of at_ms: 0 morning (< 12:00), 1 afternoon
 * (12:00-16:59), 2 evening (>= 17:00). R-FU-4 counts distinct ones. */
int svl__day_part(int64_t at_ms, int32_t tz_min);

/* "2026-09-30", day number `day`; buf >= 16 bytes. */
const char *svl__fmt_day(char *buf, size_t cap, int64_t day);
/* "2026-09-30 10:00", local time of at_ms; buf >= 24 bytes. */
const char *svl__fmt_time(char *buf, size_t cap, int64_t at_ms, int32_t tz_min);

#endif
