/*
 * fmt.c - numbers, times and aligned tables for people (see fmt.h).
 *
 * Every number is formatted from the library's integers with integer
 * arithmetic only: a report must show exactly the fen and thousandths the
 * ledger stores, never a float's idea of them.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "fmt.h"

/* ---- numbers ---- */

/* |v| as decimal digits with a comma every three, into out; the magnitude
 * is taken as unsigned so that INT64_MIN prints too. */
static char *group_digits(char *out, uint64_t v)
{
	char tmp[32];
	int n = 0, w = 0;
	do {
		if (n && n % 3 == 0)
			tmp[w++] = ',';
		tmp[w++] = (char)('0' + v % 10);
		v /= 10;
		n++;
	} while (v);
	for (int i = 0; i < w; i++)
		out[i] = tmp[w - 1 - i];
	out[w] = '\0';
	return out + w;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

char *fmt_count(char *out, int64_t n)
{
	char *p = out;
	if (n < 0)
		*p++ = '-';
	group_digits(p, magnitude(n));
	return out;
}

char *fmt_qty(char *out, int64_t qty_milli)
{
	uint64_t m = magnitude(qty_milli);
	char *p = out;
	if (qty_milli < 0)
		*p++ = '-';
	p = group_digits(p, m / 1000);
	unsigned frac = (unsigned)(m % 1000);
	if (frac) {
		snprintf(p, 5, ".%03u", frac);
		size_t len = strlen(p);
		while (p[len - 1] == '0')
			p[--len] = '\0';
	}
	return out;
}

char *fmt_money(char *out, int64_t fen)
{
	uint64_t m = magnitude(fen);
	char *p = out;
	if (fen < 0)
		*p++ = '-';
	p = group_digits(p, m / 100);
	snprintf(p, 4, ".%02u", (unsigned)(m % 100));
	return out;
}

/* tenths of a percent, rounded half away from zero, as "x.y%" */
static char *tenths_pct(char *out, int64_t tenths)
{
	uint64_t m = magnitude(tenths);
	snprintf(out, FMT_NUM_SIZE, "%s%llu.%u%%", tenths < 0 ? "-" : "",
		 (unsigned long long)(m / 10), (unsigned)(m % 10));
	return out;
}

char *fmt_permille(char *out, int64_t permille)
{
	if (permille < 0) {
		strcpy(out, "-");
		return out;
	}
	return tenths_pct(out, permille);
}

char *fmt_bp(char *out, int64_t bp)
{
	if (bp == INT64_MAX) {
		strcpy(out, "new");
		return out;
	}
	int64_t t = bp / 10, r = bp % 10;
	if (r >= 5)
		t++;
	else if (r <= -5)
		t--;
	return tenths_pct(out, t);
}

/* ---- times (calendar.h writes them; here only "-" for "not yet") ---- */

char *fmt_time(char *out, int64_t ms, int32_t tz)
{
	if (ms == 0)
		strcpy(out, "-");
	else
		svl__fmt_time(out, FMT_TIME_SIZE, ms, tz);
	return out;
}

char *fmt_date(char *out, int64_t ms, int32_t tz)
{
	if (ms == 0)
		strcpy(out, "-");
	else
		svl__fmt_day(out, FMT_TIME_SIZE, svl__local_day(ms, tz));
	return out;
}

char *fmt_tz(char *out, int32_t tz)
{
	char off[16];
	snprintf(out, FMT_NUM_SIZE, "UTC%s",
		 svl__fmt_offset(off, sizeof off, tz));
	return out;
}

char *fmt_iso(char *out, int64_t ms, int32_t tz)
{
	svl__fmt_rfc3339(out, FMT_TIME_SIZE, ms, tz);
	return out;
}

const char *fmt_type_name(uint32_t type, char *out)
{
	const svl_event_type *t = svl_event_type_get(type);
	if (t)
		return t->name;
	snprintf(out, FMT_NUM_SIZE, "type %u", type);
	return out;
}

/* ---- display width ---- */

/* Wide (two-column) code points: CJK, Hangul, full-width forms. */
static int wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	       (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	       (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
}

size_t fmt_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	while (*p) {
		uint32_t c = *p;
		int n = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
		if (c >= 0x80)
			c &= 0x3fu >> n;
		p++;
		for (int i = 0; i < n && (*p & 0xc0) == 0x80; i++, p++)
			c = (c << 6) | (*p & 0x3fu);
		w += wide(c) ? 2 : 1;
	}
	return w;
}

/* ---- tables ---- */

#define FMT_COLS_MAX 24

struct fmt_table {
	const fmt_col *cols;
	size_t ncols;
	size_t rows, cap;
	char **cells; /* rows * ncols */
	size_t width[FMT_COLS_MAX];
	int oom;
};

fmt_table *fmt_table_new(const fmt_col *cols, size_t n)
{
	if (n == 0 || n > FMT_COLS_MAX)
		return NULL;
	fmt_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->cols = cols;
	t->ncols = n;
	for (size_t i = 0; i < n; i++)
		t->width[i] = fmt_width(_(cols[i].head));
	return t;
}

void fmt_table_addv(fmt_table *t, const char *const *cells)
{
	if (!t || t->oom)
		return;
	if (t->rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **c = realloc(t->cells, cap * t->ncols * sizeof *c);
		if (!c) {
			t->oom = 1;
			return;
		}
		t->cells = c;
		t->cap = cap;
	}
	char **row = t->cells + t->rows * t->ncols;
	for (size_t i = 0; i < t->ncols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i]) {
			for (size_t j = 0; j < i; j++)
				free(row[j]);
			t->oom = 1;
			return;
		}
		size_t w = fmt_width(row[i]);
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->rows++;
}

void fmt_table_add(fmt_table *t, ...)
{
	const char *cells[FMT_COLS_MAX];
	va_list ap;
	if (!t)
		return;
	va_start(ap, t);
	for (size_t i = 0; i < t->ncols; i++)
		cells[i] = va_arg(ap, const char *);
	va_end(ap);
	fmt_table_addv(t, cells);
}

size_t fmt_table_rows(const fmt_table *t)
{
	return t ? t->rows : 0;
}

static void put_cell(FILE *f, const char *s, size_t width, char align, int last)
{
	size_t pad = width - fmt_width(s);
	if (align == 'r')
		fprintf(f, "%*s", (int)pad, "");
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
	}
	if (align != 'r' && !last)
		fprintf(f, "%*s", (int)pad, "");
}

/* One line; cells after the last non-empty one are left out, so that no
 * line ends in spaces. */
static void put_row(const fmt_table *t, FILE *f, int indent,
		    const char *const *cells)
{
	size_t last = 0;
	for (size_t i = 0; i < t->ncols; i++)
		if (cells[i][0])
			last = i;
	fprintf(f, "%*s", indent, "");
	for (size_t i = 0; i <= last; i++) {
		if (i)
			fputs("  ", f);
		put_cell(f, cells[i], t->width[i], t->cols[i].align, i == last);
	}
	fputc('\n', f);
}

int fmt_table_print(const fmt_table *t, FILE *f, int indent)
{
	if (!t || t->oom)
		return -1;
	const char *head[FMT_COLS_MAX];
	for (size_t i = 0; i < t->ncols; i++)
		head[i] = _(t->cols[i].head);
	put_row(t, f, indent, head);
	for (size_t r = 0; r < t->rows; r++)
		put_row(t, f, indent,
			(const char *const *)t->cells + r * t->ncols);
	return ferror(f) ? -1 : 0;
}

void fmt_table_free(fmt_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->rows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
