/*
 * calendar.c - local days and minutes, parts of the day, civil dates and
 * their texts (calendar.h).
 */
#include <stdio.h>

#include "calendar.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t svl__local_day(int64_t at_ms, int32_t tz_min)
{
	return floor_div(at_ms + (int64_t)tz_min * 60000, SVL__DAY_MS);
}

int32_t svl__local_minute(int64_t at_ms, int32_t tz_min)
{
	int64_t local = at_ms + (int64_t)tz_min * 60000;
	int64_t ms = local - floor_div(local, SVL__DAY_MS) * SVL__DAY_MS;
	return (int32_t)(ms / 60000);
}

/* Civil date of a day number (Howard Hinnant's algorithm). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

const char *svl__fmt_day(char *buf, size_t cap, int64_t day)
{
	int64_t y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, cap, "%04lld-%02u-%02u", (long long)y, m, d);
	return buf;
}

const char *svl__fmt_time(char *buf, size_t cap, int64_t at_ms, int32_t tz_min)
{
	char day[16];
	int32_t min = svl__local_minute(at_ms, tz_min);
	svl__fmt_day(day, sizeof day, svl__local_day(at_ms, tz_min));
	snprintf(buf, cap, "%s %02d:%02d", day, (int)(min / 60),
		 (int)(min % 60));
	return buf;
}

int svl__day_part(int64_t at_ms, int32_t tz_min)
{
	int32_t m = svl__local_minute(at_ms, tz_min);
	return m < 12 * 60 ? 0 : m < 17 * 60 ? 1 : 2;
}
