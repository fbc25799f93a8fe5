/*
 * calendar.c - floor division, civil dates, weekdays and ISO weeks, local
 * days and the parts of the day, the texts of dates and times, and the
 * command line's times (calendar.h).
 *
 * Civil dates by Howard Hinnant's algorithms (the inverse,
 * days_from_civil, is the catalog's): exact for the proleptic Gregorian
 * calendar, no tables. A time is split into its UTC day and the ms into
 * it before a zone is added, so that no int64 time overflows.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"

/* Day numbers of int64 times, in any zone (calendar.h). */
#define DAY_LIMIT (INT64_C(1) << 37)
/* Day numbers whose midnight is an int64 time in any int32 zone (2^31
 * minutes are 1,492 days; rule sets hold +-14:59). */
#define DAY_START_MAX (INT64_MAX / SVL__DAY_MS - 1500)

int64_t svl__floor_div(int64_t a, int64_t b)
{
	assert(b > 0);
	int64_t q = a / b;
	return a % b < 0 ? q - 1 : q;
}

/* a - floor(a / b) * b, in 0..b-1 (b > 0). */
static int64_t floor_mod(int64_t a, int64_t b)
{
	int64_t r = a % b;
	return r < 0 ? r + b : r;
}

svl__civil svl__civil_from_days(int64_t day)
{
	assert(day > -DAY_LIMIT);
	assert(day < DAY_LIMIT);
	int64_t z = day + 719468; /* days since 0000-03-01 */
	int64_t era = svl__floor_div(z, 146097);
	int64_t doe = z - era * 146097; /* day of the 400-year era */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* from Mar 1 */
	int64_t mp = (5 * doy + 2) / 153; /* month from March, 0..11 */
	svl__civil c;
	c.day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	c.month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	c.year = yoe + era * 400 + (c.month <= 2);
	assert(c.month >= 1);
	assert(c.month <= 12);
	assert(c.day >= 1);
	assert(c.day <= 31);
	return c;
}

int svl__weekday(int64_t day)
{
	return (int)((floor_mod(day, 7) + 3) % 7); /* day 0 was a Thursday */
}

svl__iso_week svl__iso_week_of(int64_t day)
{
	int64_t thu = day - svl__weekday(day) + 3; /* the week's Thursday */
	svl__iso_week w;
	w.year = svl__civil_from_days(thu).year;
	w.week = (unsigned)((thu - svl__days_from_civil(w.year, 1, 1)) / 7 + 1);
	assert(w.week >= 1);
	assert(w.week <= 53);
	return w;
}

/* The local day of at_ms; *ms_of_day the ms into it (0..DAY_MS-1). */
static int64_t local_split(int64_t at_ms, int32_t tz_min, int64_t *ms_of_day)
{
	int64_t day = svl__floor_div(at_ms, SVL__DAY_MS);
	int64_t ms = floor_mod(at_ms, SVL__DAY_MS) + (int64_t)tz_min * SVL__MIN_MS;
	int64_t carry = svl__floor_div(ms, SVL__DAY_MS);
	*ms_of_day = ms - carry * SVL__DAY_MS;
	assert(*ms_of_day >= 0);
	assert(*ms_of_day < SVL__DAY_MS);
	return day + carry;
}

int64_t svl__local_day(int64_t at_ms, int32_t tz_min)
{
	int64_t ms;
	return local_split(at_ms, tz_min, &ms);
}

int32_t svl__local_minute(int64_t at_ms, int32_t tz_min)
{
	int64_t ms;
	local_split(at_ms, tz_min, &ms);
	return (int32_t)(ms / SVL__MIN_MS);
}

int64_t svl__day_start_ms(int64_t day, int32_t tz_min)
{
	assert(day >= -DAY_START_MAX);
	assert(day <= DAY_START_MAX);
	return day * SVL__DAY_MS - (int64_t)tz_min * SVL__MIN_MS;
}

int svl__day_part(int64_t at_ms, int32_t tz_min)
{
	int32_t m = svl__local_minute(at_ms, tz_min);
	return m < 12 * 60 ? 0 : m < 17 * 60 ? 1 : 2;
}

/* ---- texts ---- */

const char *svl__fmt_day(char *buf, size_t cap, int64_t day)
{
	svl__civil c = svl__civil_from_days(day);
	snprintf(buf, cap, "%04lld-%02u-%02u", (long long)c.year, c.month,
		 c.day);
	return buf;
}

const char *svl__fmt_month(char *buf, size_t cap, int64_t day)
{
	svl__civil c = svl__civil_from_days(day);
	snprintf(buf, cap, "%04lld-%02u", (long long)c.year, c.month);
	return buf;
}

const char *svl__fmt_week(char *buf, size_t cap, int64_t day)
{
	svl__iso_week w = svl__iso_week_of(day);
	snprintf(buf, cap, "%04lld-W%02u", (long long)w.year, w.week);
	return buf;
}

const char *svl__fmt_time(char *buf, size_t cap, int64_t at_ms, int32_t tz_min)
{
	char day[24];
	int64_t ms;
	svl__fmt_day(day, sizeof day, local_split(at_ms, tz_min, &ms));
	int min = (int)(ms / SVL__MIN_MS);
	snprintf(buf, cap, "%s %02d:%02d", day, min / 60, min % 60);
	return buf;
}

const char *svl__fmt_offset(char *buf, size_t cap, int32_t tz_min)
{
	int64_t m = tz_min < 0 ? -(int64_t)tz_min : tz_min;
	snprintf(buf, cap, "%c%02lld:%02lld", tz_min < 0 ? '-' : '+',
		 (long long)(m / 60), (long long)(m % 60));
	return buf;
}

const char *svl__fmt_rfc3339(char *buf, size_t cap, int64_t at_ms,
			     int32_t tz_min)
{
	char day[24], off[24];
	int64_t ms;
	svl__fmt_day(day, sizeof day, local_split(at_ms, tz_min, &ms));
	int s = (int)(ms / 1000);
	snprintf(buf, cap, "%sT%02d:%02d:%02d.%03d%s", day, s / 3600,
		 s / 60 % 60, s % 60, (int)(ms % 1000),
		 tz_min ? svl__fmt_offset(off, sizeof off, tz_min) : "Z");
	return buf;
}

/* ---- reading ---- */

bool svl__period_parse(const char *s, int64_t *first_day, int64_t *end_day)
{
	size_t n = strlen(s);
	char first[11];
	int64_t day;
	if (svl__civil_parse(s, n, &day)) {
		*first_day = day;
		*end_day = day + 1;
		return true;
	}
	if (n != 7) /* a month: its first day must be a date */
		return false;
	memcpy(first, s, 7);
	memcpy(first + 7, "-01", 4);
	if (!svl__civil_parse(first, 10, &day))
		return false;
	svl__civil c = svl__civil_from_days(day);
	*first_day = day;
	*end_day = svl__days_from_civil(c.year + (c.month == 12),
					c.month % 12 + 1, 1);
	return true;
}

/* "[+-]DIGITS" that fits an int64, or false (*out untouched). */
static bool read_int(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t lim = neg ? UINT64_C(1) << 63 : (UINT64_C(1) << 63) - 1;
	uint64_t v = 0;
	if (*s == '+' || *s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = !neg ? (int64_t)v : v == lim ? INT64_MIN : -(int64_t)v;
	return true;
}

bool svl__time_read(const char *s, int32_t tz_min, bool end_of_day,
		    int64_t *out_ms)
{
	size_t n = strlen(s);
	int64_t day;
	svl__datetime dt;
	if (read_int(s, out_ms))
		return true;
	if (svl__civil_parse(s, n, &day)) {
		*out_ms = svl__day_start_ms(day + (end_of_day ? 1 : 0), tz_min);
		return true;
	}
	if (!svl__datetime_parse(&dt, s, n, SVL__DT_TYPED))
		return false;
	int32_t off = dt.has_offset ? dt.offset_min : tz_min;
	*out_ms = dt.wall_ms - (int64_t)off * SVL__MIN_MS;
	return true;
}
