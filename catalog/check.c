/*
 * check.c - field paths, error messages and the value checks shared by
 * every codec (msgpack validation, the C encoder, JSON input).
 *
 * Messages follow one pattern, "<path>: <what was expected>, got <what
 * was found>", because people fix input from them: a parts clerk reading
 * "lines[2].qty_milli: must be > 0, got -5" knows which line to correct.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog_int.h"

/* Quoted input in messages is cut here so one line stays one line. */
#define SHOWN_MAX 40

void svl__path_init(svl__path *p, const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;
	if (n >= sizeof p->buf)
		n = sizeof p->buf - 1;
	if (n)
		memcpy(p->buf, prefix, n);
	p->buf[n] = '\0';
	p->len = n;
}

static void path_put(svl__path *p, const char *s, size_t n)
{
	/* A path longer than the buffer is cut, never overflowed: the
	 * beginning of the path is what locates the problem. */
	size_t room = sizeof p->buf - 1 - p->len;
	if (n > room)
		n = room;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

size_t svl__path_key(svl__path *p, const char *name, size_t n)
{
	size_t saved = p->len;
	if (p->len)
		path_put(p, ".", 1);
	path_put(p, name, n);
	return saved;
}

size_t svl__path_index(svl__path *p, uint32_t k)
{
	char tmp[16];
	size_t saved = p->len;
	int n = snprintf(tmp, sizeof tmp, "[%u]", k);
	path_put(p, tmp, (size_t)n);
	return saved;
}

void svl__path_pop(svl__path *p, size_t saved)
{
	p->len = saved;
	p->buf[saved] = '\0';
}

void svl__err_clear(svl_event_error *err)
{
	if (err) {
		err->path[0] = '\0';
		err->msg[0] = '\0';
	}
}

int svl__fail_at(svl_event_error *err, const svl__path *p, int rc,
		 const char *fmt, ...)
{
	if (!err)
		return rc;
	const char *path = p && p->len ? p->buf : "";
	snprintf(err->path, sizeof err->path, "%s", path);
	int n = snprintf(err->msg, sizeof err->msg,
			 "%s: ", *path ? path : "payload");
	if (n < 0 || (size_t)n >= sizeof err->msg)
		return rc;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- calendar primitives ----
 *
 * The catalog checks DATE fields and reads RFC 3339 times, and it sits
 * below the model, so the few calendar pieces it needs live here, once:
 * model/calendar.h builds everything else (civil dates, weeks, local
 * days, the command line's times) on them. */

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no time zone database. */
int64_t svl__days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (int64_t)(m > 2 ? m - 3 : m + 9);
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		v = v * 10 + (unsigned)(s[k] - '0');
	}
	*out = v;
	return true;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const unsigned dm[12] = {31, 28, 31, 30, 31, 30,
					31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

bool svl__civil_parse(const char *s, size_t n, int64_t *days)
{
	unsigned y, m, d;
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
		return false;
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	*days = svl__days_from_civil(y, m, d);
	return true;
}

bool svl__date_parse(const char *s, size_t n, int64_t *days)
{
	int64_t day;
	if (!svl__civil_parse(s, n, &day) || day < 0) /* before 1970 */
		return false;
	*days = day;
	return true;
}

/* ".f" of 1 to 9 digits at s[*k] (already past the '.'): milliseconds,
 * the digits after the third cut off. */
static bool fraction(const char *s, size_t n, size_t *k, unsigned *ms)
{
	size_t f = *k, i = f;
	*ms = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (i - f < 3)
			*ms = *ms * 10 + (unsigned)(s[i] - '0');
	if (i == f || i - f > 9)
		return false;
	for (size_t pad = i - f; pad < 3; pad++)
		*ms *= 10;
	*k = i;
	return true;
}

/* The rest of s from k: "Z", "+HH:MM" or "-HH:MM" (|offset| <= 14:59),
 * or nothing (has_offset false). */
static bool offset(const char *s, size_t n, size_t k, svl__datetime *out)
{
	unsigned oh, om;
	out->offset_min = 0;
	out->has_offset = k < n;
	if (k == n)
		return true;
	if (k + 1 == n && (s[k] == 'Z' || s[k] == 'z'))
		return true;
	if (n - k != 6 || (s[k] != '+' && s[k] != '-') || s[k + 3] != ':' ||
	    !digits(s + k + 1, 2, &oh) || !digits(s + k + 4, 2, &om) ||
	    oh > 14 || om > 59)
		return false;
	int32_t m = (int32_t)(oh * 60 + om);
	out->offset_min = s[k] == '+' ? m : -m;
	return true;
}

/* "HH:MM[:SS[.f]]" at s[11..]: the time of day in ms, *k past it.
 * Seconds are required unless typed; 60 (a leap second) is typed only
 * and reads as POSIX time reads it, the next minute's first second. */
static bool time_of_day(const char *s, size_t n, bool typed, size_t *k,
			int64_t *ms_of_day)
{
	unsigned hh, mi, ss = 0, ms = 0;
	if (n < 16 || !digits(s + 11, 2, &hh) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi))
		return false;
	*k = 16;
	if (*k < n && s[*k] == ':') {
		if (n < 19 || !digits(s + 17, 2, &ss))
			return false;
		*k = 19;
	} else if (!typed) {
		return false;
	}
	if (*k == 19 && *k < n && s[*k] == '.') {
		++*k;
		if (!fraction(s, n, k, &ms))
			return false;
	}
	if (hh > 23 || mi > 59 || ss > (typed ? 60u : 59u))
		return false;
	*ms_of_day = (int64_t)hh * 3600000 + (int64_t)mi * 60000 +
		     (int64_t)ss * 1000 + ms;
	return true;
}

bool svl__datetime_parse(svl__datetime *out, const char *s, size_t n,
			 enum svl__dt_form form)
{
	bool typed = form == SVL__DT_TYPED;
	int64_t days, ms_of_day;
	size_t k;
	if (n < 16 || !svl__civil_parse(s, 10, &days) ||
	    !(s[10] == 'T' || s[10] == 't' || (typed && s[10] == ' ')) ||
	    !time_of_day(s, n, typed, &k, &ms_of_day) ||
	    !offset(s, n, k, out) || (!typed && !out->has_offset))
		return false;
	out->wall_ms = days * 86400000 + ms_of_day;
	return true;
}

int svl_time_parse(int64_t *out_ms, const char *s, size_t n)
{
	svl__datetime dt;
	if (!out_ms || !s || !svl__datetime_parse(&dt, s, n, SVL__DT_RFC3339))
		return SVL_EINVAL;
	/* An offset is required (the RFC 3339 form): a local time without
	 * one is ambiguous. */
	int64_t t = dt.wall_ms - (int64_t)dt.offset_min * 60000;
	/* the same range as the _ms fields: a year 10000 or 1970 is a typo */
	if (t < SVL_TIME_MIN_MS || t >= SVL_TIME_MAX_MS)
		return SVL_EINVAL;
	*out_ms = t;
	return SVL_OK;
}

/* ---- strings ---- */

bool svl__utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = 0;
	while (k < n) {
		unsigned c = s[k];
		size_t len;
		unsigned min;
		if (c == 0)
			return false; /* NUL would cut C strings and JSON */
		if (c < 0x80) {
			k++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			len = 2, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if (n - k < len)
			return false;
		for (size_t j = 1; j < len; j++) {
			if ((s[k + j] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (s[k + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		k += len;
	}
	return true;
}

bool svl__text_plain(const char *s, size_t n, bool lines)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if ((c < 0x20 && !(lines && (c == '\n' || c == '\t'))) ||
		    c == 0x7f)
			return false;
	}
	return svl__utf8_valid(s, n);
}

static bool alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

bool svl__id_valid(const char *s, size_t n)
{
	if (n == 0 || !alnum(s[0]))
		return false;
	for (size_t k = 1; k < n; k++)
		if (!alnum(s[k]) && s[k] != '-' && s[k] != '_' && s[k] != '.')
			return false;
	return true;
}

/* R-BIN-1: four segments, warehouse-rack-shelf-position, each 1..8
 * letters or digits. */
bool svl__bin_valid(const char *s, size_t n)
{
	int segs = 0;
	size_t seg_len = 0;
	for (size_t k = 0; k <= n; k++) {
		if (k == n || s[k] == '-') {
			if (seg_len == 0 || seg_len > 8)
				return false;
			segs++;
			seg_len = 0;
		} else if (alnum(s[k])) {
			seg_len++;
		} else {
			return false;
		}
	}
	return segs == 4;
}

const char *svl__shown(char *buf, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	/* bytes that are not UTF-8 are shown as \xNN; UTF-8 is cut between
	 * characters */
	bool utf8 = svl__utf8_valid(s, n);
	size_t cut = n > SHOWN_MAX ? SHOWN_MAX : n, o = 0;
	while (utf8 && cut < n && cut > 0 && (s[cut] & 0xc0) == 0x80)
		cut--;
	for (size_t k = 0; k < cut; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' ||
		    (c >= 0x80 && !utf8)) {
			buf[o++] = '\\';
			if (c == '"' || c == '\\') {
				buf[o++] = (char)c;
			} else {
				buf[o++] = 'x';
				buf[o++] = hex[c >> 4];
				buf[o++] = hex[c & 15];
			}
		} else {
			buf[o++] = (char)c;
		}
	}
	if (cut < n)
		for (int k = 0; k < 3; k++)
			buf[o++] = '.';
	buf[o] = '\0';
	return buf;
}

static int check_range(const svl_field_def *f, int64_t v, svl__path *p,
		       svl_event_error *err)
{
	if (v < f->min) {
		if (f->min == 1)
			return svl__fail_at(err, p, SVL_EINVAL,
					    "must be > 0, got %lld",
					    (long long)v);
		return svl__fail_at(err, p, SVL_EINVAL,
				    "must be >= %lld, got %lld",
				    (long long)f->min, (long long)v);
	}
	if (v > f->max)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "must be <= %lld, got %lld",
				    (long long)f->max, (long long)v);
	return SVL_OK;
}

static int check_len(const svl_field_def *f, const svl_value *v, svl__path *p,
		     svl_event_error *err)
{
	if (f->min == f->max && (int64_t)v->len != f->min)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "must be exactly %lld characters, got %u",
				    (long long)f->min, v->len);
	if (v->len == 0 && f->min > 0)
		return svl__fail_at(err, p, SVL_EINVAL, "must not be empty");
	if ((int64_t)v->len < f->min)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "too short: at least %lld bytes, got %u",
				    (long long)f->min, v->len);
	if ((int64_t)v->len > f->max)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "too long: at most %lld bytes, got %u",
				    (long long)f->max, v->len);
	return SVL_OK;
}

static int check_enum(const svl_field_def *f, const svl_value *v, svl__path *p,
		      svl_event_error *err)
{
	char sb[SVL__SHOWN_SIZE];
	const svl_enum_def *e = f->enum_def;
	int k = v->s ? svl_enum_find(e, v->s, v->len)
		     : (v->i >= 0 && v->i < (int64_t)e->n ? (int)v->i : -1);
	if (k >= 0)
		return SVL_OK;
	char list[400];
	size_t used = 0;
	list[0] = '\0';
	for (uint32_t j = 0; j < e->n && used < sizeof list; j++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s",
				 j ? ", " : "", e->values[j]);
		used += w > 0 ? (size_t)w : 0;
	}
	if (v->s)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "must be one of %s; got \"%s\"", list,
				    svl__shown(sb, v->s, v->len));
	return svl__fail_at(err, p, SVL_EINVAL,
			    "must be one of %s; got index %lld", list,
			    (long long)v->i);
}

bool svl__hex_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int svl__check_value(const svl_field_def *f, const svl_value *v, svl__path *p,
		     svl_event_error *err)
{
	char sb[SVL__SHOWN_SIZE];
	int64_t days;
	switch (f->kind) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		return check_range(f, v->i, p, err);
	case SVL_KIND_BOOL:
		return SVL_OK;
	case SVL_KIND_STR:
		if (!svl__text_plain(v->s, v->len, true))
			return svl__fail_at(
			    err, p, SVL_EINVAL,
			    "expected UTF-8 text without control characters "
			    "(tab and line feed allowed)");
		return check_len(f, v, p, err);
	case SVL_KIND_ID:
		if (!svl__id_valid(v->s, v->len) && v->len > 0)
			return svl__fail_at(
			    err, p, SVL_EINVAL,
			    "expected an id of letters, digits, '.', '_', '-' "
			    "starting with a letter or digit, got \"%s\"",
			    svl__shown(sb, v->s, v->len));
		return check_len(f, v, p, err);
	case SVL_KIND_ENUM:
		return check_enum(f, v, p, err);
	case SVL_KIND_BIN:
		if (!svl__bin_valid(v->s, v->len))
			return svl__fail_at(
			    err, p, SVL_EINVAL,
			    "expected a bin location warehouse-rack-shelf-"
			    "position like W1-A03-2-05 (R-BIN-1), got \"%s\"",
			    svl__shown(sb, v->s, v->len));
		return SVL_OK;
	case SVL_KIND_HEX:
		if (!svl__hex_lower(v->s, v->len))
			return svl__fail_at(
			    err, p, SVL_EINVAL,
			    "expected lowercase hex digits, got \"%s\"",
			    svl__shown(sb, v->s, v->len));
		return check_len(f, v, p, err);
	case SVL_KIND_DATE:
		if (!svl__date_parse(v->s, v->len, &days))
			return svl__fail_at(
			    err, p, SVL_EINVAL,
			    "expected a date YYYY-MM-DD, got \"%s\"",
			    svl__shown(sb, v->s, v->len));
		return SVL_OK;
	case SVL_KIND_ARRAY:
		if (v->i < f->min) {
			if (f->min == 1)
				return svl__fail_at(err, p, SVL_EINVAL,
						    "at least 1 item required");
			return svl__fail_at(
			    err, p, SVL_EINVAL,
			    "at least %lld items required, got %lld",
			    (long long)f->min, (long long)v->i);
		}
		if (v->i > f->max)
			return svl__fail_at(err, p, SVL_EINVAL,
					    "at most %lld items, got %lld",
					    (long long)f->max, (long long)v->i);
		return SVL_OK;
	}
	return svl__fail_at(err, p, SVL_EINVAL, "unknown field kind");
}
