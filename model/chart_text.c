/*
 * chart_text.c - what the charts of chart.h write with: the growing
 * buffer and its XML escaper, the ledger's integers as text, and nice
 * scales. Integers only (chart.c says why).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "money.h"
#include "svl_error.h"
#include "svl_events.h"

_Static_assert(SVL__CHART_VALUE_MAX >= SVL_FEN_MAX,
	       "a chart holds any amount the ledger holds");
_Static_assert(SVL__CHART_VALUE_MAX <= INT64_MAX / 8,
	       "nice bounds and differences of two values fit in int64");

/* ---- the buffer --------------------------------------------------------- */

void svl__sbuf_free(svl__sbuf *b)
{
	if (!b)
		return;
	size_t max = b->max;
	free(b->data);
	*b = (svl__sbuf)SVL__SBUF_INIT;
	b->max = max;
}

int svl__sbuf_fail(svl__sbuf *b, int rc, const char *fmt, ...)
{
	assert(rc < 0);
	if (b->rc)
		return b->rc;
	b->rc = rc;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->errmsg, sizeof b->errmsg, fmt, ap);
	va_end(ap);
	return rc;
}

/* Makes room for n more bytes and the NUL. */
static int sbuf_reserve(svl__sbuf *b, size_t n)
{
	if (b->rc)
		return b->rc;
	size_t max = b->max ? b->max : SVL__CHART_OUT_MAX;
	if (b->len >= max || n >= max - b->len)
		return svl__sbuf_fail(b, SVL_ELIMIT, "output passes %zu bytes",
				      max);
	if (b->len + n + 1 <= b->cap)
		return SVL_OK;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return svl__sbuf_fail(b, SVL_ENOMEM,
				      "chart: out of memory at %zu bytes", cap);
	b->data = p;
	b->cap = cap;
	return SVL_OK;
}

int svl__sbuf_put(svl__sbuf *b, const char *s, size_t n)
{
	if (sbuf_reserve(b, n))
		return b->rc;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return SVL_OK;
}

int svl__sbuf_printf(svl__sbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	if (b->rc)
		return b->rc;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	assert(n >= 0);
	if ((size_t)n < sizeof small)
		return svl__sbuf_put(b, small, (size_t)n);
	if (sbuf_reserve(b, (size_t)n))
		return b->rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return SVL_OK;
}

/* The length of the valid XML character encoded at s (n bytes left), or 0
 * for a byte that starts none: overlong forms, surrogates, beyond
 * U+10FFFF, U+FFFE and U+FFFF, and control bytes other than \t \n \r. */
static size_t utf8_char_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	if (c == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
		return 0;
	return len;
}

int svl__sbuf_put_xml(svl__sbuf *b, const char *s, size_t max_bytes)
{
	if (!s)
		return b->rc;
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	while (i < n && !b->rc) {
		size_t len = utf8_char_len(u + i, n - i);
		if (i + (len ? len : 1) > max_bytes) {
			svl__sbuf_put(b, "\xE2\x80\xA6", 3); /* U+2026 */
			break;
		}
		switch (len ? u[i] : 0) {
		case 0: /* U+FFFD, the replacement character */
			svl__sbuf_put(b, "\xEF\xBF\xBD", 3);
			break;
		case '&':
			svl__sbuf_put(b, "&amp;", 5);
			break;
		case '<':
			svl__sbuf_put(b, "&lt;", 4);
			break;
		case '>':
			svl__sbuf_put(b, "&gt;", 4);
			break;
		case '"':
			svl__sbuf_put(b, "&quot;", 6);
			break;
		case '\'':
			svl__sbuf_put(b, "&apos;", 6);
			break;
		default:
			svl__sbuf_put(b, s + i, len);
			break;
		}
		i += len ? len : 1;
	}
	return b->rc;
}

/* ---- numbers as text ---------------------------------------------------- */

const char *svl__chart_fmt_value(char *buf, size_t cap, enum svl__chart_fmt fmt,
				 int64_t v)
{
	unsigned decimals = fmt == SVL__CHART_PERMILLE ? 1
			    : fmt == SVL__CHART_FEN    ? 2
						       : 0;
	uint64_t div = decimals == 1 ? 10 : decimals == 2 ? 100 : 1;
	/* the magnitude, unsigned: INT64_MIN has no int64 negation */
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (fmt == SVL__CHART_YUAN) /* half a yuan rounds away from zero */
		m = m / 100 + (m % 100 >= 50);
	uint64_t whole = m / div, frac = m % div;
	char rev[32];
	size_t k = 0;
	int digits = 0;
	do {
		if (digits > 0 && digits % 3 == 0)
			rev[k++] = ',';
		rev[k++] = (char)('0' + whole % 10);
		whole /= 10;
		digits++;
	} while (whole);
	char num[40];
	size_t j = 0;
	if (v < 0)
		num[j++] = '-';
	while (k)
		num[j++] = rev[--k];
	num[j] = '\0';
	if (j == 2 && num[0] == '-' && num[1] == '0' && frac == 0)
		memmove(num, num + 1, 2); /* -0.4 yuan is "0", not "-0" */
	assert(cap >= 32);
	if (decimals == 0)
		snprintf(buf, cap, "%s", num);
	else
		snprintf(buf, cap, "%s.%0*llu%s", num, (int)decimals,
			 (unsigned long long)frac,
			 fmt == SVL__CHART_PERMILLE ? "%" : "");
	return buf;
}

/* Tenths of a pixel as "12" or "12.5". */
const char *svl__chart_dp(char buf[24], int64_t dp)
{
	uint64_t m = dp < 0 ? (uint64_t)0 - (uint64_t)dp : (uint64_t)dp;
	if (m % 10 == 0)
		snprintf(buf, 24, "%s%llu", dp < 0 ? "-" : "",
			 (unsigned long long)(m / 10));
	else
		snprintf(buf, 24, "%s%llu.%llu", dp < 0 ? "-" : "",
			 (unsigned long long)(m / 10),
			 (unsigned long long)(m % 10));
	return buf;
}

/* ---- scales ------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a > 0) ? q + 1 : q;
}

/* The widening of a degenerate domain: one whole thing of the unit. */
static int64_t fmt_unit(enum svl__chart_fmt fmt)
{
	return fmt == SVL__CHART_PERMILLE ? 10
	       : fmt == SVL__CHART_COUNT  ? 1
					  : 100;
}

int svl__scale_make(struct svl__scale *out, int64_t dmin, int64_t dmax,
		    int zero_based, int max_ticks, enum svl__chart_fmt fmt,
		    int64_t px_lo_dp, int64_t px_hi_dp)
{
	if (!out || dmin > dmax || max_ticks < 3 ||
	    max_ticks > SVL__CHART_TICKS_MAX)
		return SVL_EMISUSE;
	if (dmin < -SVL__CHART_VALUE_MAX || dmax > SVL__CHART_VALUE_MAX)
		return SVL_ELIMIT;
	if (zero_based && dmin > 0)
		dmin = 0;
	if (zero_based && dmax < 0)
		dmax = 0;
	if (dmin == dmax) {
		int64_t u = fmt_unit(fmt);
		if (dmin == 0) {
			dmax = u;
		} else if (dmin > 0) {
			dmin = dmin - u < 0 ? 0 : dmin - u;
			dmax += u;
		} else {
			dmin -= u;
			dmax = dmax + u > 0 ? 0 : dmax + u;
		}
	}
	/* steps 1, 2, (2.5,) 5 times 10^k, smallest first (from a whole yuan
	 * when ticks are written in yuan, so no two read the same); a domain
	 * within +-1e15 fits 3 ticks of 1e15 at the latest, so the loop ends */
	int64_t p0 = fmt == SVL__CHART_YUAN ? 100 : 1;
	for (int64_t p = p0; p <= SVL__CHART_VALUE_MAX; p *= 10) {
		const int64_t steps[4] = {p, 2 * p, p >= 10 ? p / 10 * 25 : 0,
					  5 * p};
		for (int i = 0; i < 4; i++) {
			int64_t st = steps[i];
			if (st == 0)
				continue;
			int64_t lo = floor_div(dmin, st),
				hi = ceil_div(dmax, st);
			if (hi - lo + 1 > max_ticks)
				continue;
			*out = (struct svl__scale){lo * st,  hi * st,
						   st,	     (int)(hi - lo + 1),
						   px_lo_dp, px_hi_dp};
			assert(out->lo < out->hi);
			assert(out->lo <= dmin && dmax <= out->hi);
			return SVL_OK;
		}
	}
	assert(0 /* a bounded domain always finds a step */);
	return SVL_EMISUSE;
}

int64_t svl__scale_px_dp(const struct svl__scale *s, int64_t v)
{
	assert(s->hi > s->lo);
	return s->px_lo_dp + svl__div_round((svl_i128)(v - s->lo) *
						(s->px_hi_dp - s->px_lo_dp),
					    s->hi - s->lo);
}
