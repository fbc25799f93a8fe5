/*
 * count_sheet.c - parsing a blind count sheet (CSV). Strict on purpose: a
 * count that cannot be read exactly must stop the reconciliation with the
 * line and the column, not be guessed at.
 *
 *   bin,part,counted,counter
 *   A-01-02-03,90915-YZZD4,12,E014
 *   A-01-02-04,08880-83715,3.5,E014
 *
 * Fields may be wrapped in double quotes; no field may contain a comma or a
 * quote. Blank lines and lines starting with '#' are skipped. Every field
 * is required and checked as the proposed events will carry it (bin:
 * R-BIN-1; part and counter: ids).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"
#include "svl_reconcile.h"

enum { COL_BIN, COL_PART, COL_COUNTED, COL_COUNTER, COLS };
static const char *const col_names[COLS] = {"bin", "part", "counted",
					    "counter"};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return SVL_EINVAL;
}

/* Split a line into at most `max` fields (pointers into line, trimmed and
 * unquoted, NUL-terminated in place). Returns the count, -1 if too many. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return -1;
		while (*p == ' ' || *p == '\t')
			p++;
		char *start = p, *end;
		if (*p == '"') {
			start = ++p;
			while (*p && *p != '"')
				p++;
			end = p;
			if (*p == '"')
				p++;
			while (*p == ' ' || *p == '\t')
				p++;
		} else {
			while (*p && *p != ',')
				p++;
			end = p;
			while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
					       end[-1] == '\r'))
				end--;
		}
		char sep = *p;
		*end = '\0';
		f[n++] = start;
		if (sep != ',')
			return n;
		p++;
	}
}

/* "12", "0.5", "1.125" -> thousandths. */
static int parse_qty(const char *s, int64_t *out)
{
	int64_t units = 0, frac = 0;
	int digits = 0, decimals = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (units > (INT64_MAX / 1000 - 9) / 10)
			return -1;
		units = units * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++decimals > 3)
				return -2;
			frac = frac * 10 + (*p - '0');
		}
	}
	if (*p || (digits == 0 && decimals == 0))
		return -1;
	while (decimals++ < 3)
		frac *= 10;
	*out = units * 1000 + frac;
	return 0;
}

static int header(char *line, int *map, char *err, size_t errlen)
{
	char sb[SVL__SHOWN_SIZE];
	char *f[COLS + 1];
	int n = split(line, f, COLS + 1);
	if (n != COLS)
		return fail(err, errlen,
			    "line 1: expected the header bin,part,counted,"
			    "counter");
	for (int i = 0; i < COLS; i++) {
		map[i] = -1;
		for (int k = 0; k < COLS; k++)
			if (strcmp(f[i], col_names[k]) == 0)
				map[i] = k;
		if (map[i] < 0)
			return fail(err, errlen,
				    "line 1: unknown column '%s' (expected "
				    "bin, part, counted, counter)",
				    svl__shown(sb, f[i], strlen(f[i])));
		for (int k = 0; k < i; k++)
			if (map[k] == map[i])
				return fail(err, errlen,
					    "line 1: column '%s' twice",
					    col_names[map[i]]);
	}
	return SVL_OK;
}

/* A field as the events that the reconciliation proposes will carry it:
 * a bin as R-BIN-1 writes it, a part number and a counter's staff id as
 * ids, so that what is read here is what `append` accepts. */
static int copy_field(char *dst, size_t cap, const char *src, unsigned line,
		      const char *col, char *err, size_t errlen)
{
	char sb[SVL__SHOWN_SIZE];
	size_t n = strlen(src);
	if (n == 0)
		return fail(err, errlen, "line %u: %s: empty", line, col);
	if (n >= cap)
		return fail(err, errlen, "line %u: %s: longer than %zu bytes",
			    line, col, cap - 1);
	if (strcmp(col, "bin") == 0 && !svl__bin_valid(src, n))
		return fail(err, errlen,
			    "line %u: bin: expected a bin location like "
			    "W1-A03-2-05 (R-BIN-1), got \"%s\"",
			    line, svl__shown(sb, src, n));
	if (strcmp(col, "bin") != 0 && !svl__id_valid(src, n))
		return fail(err, errlen,
			    "line %u: %s: expected letters, digits, '.', '_' "
			    "or '-', starting with a letter or digit, got "
			    "\"%s\"",
			    line, col, svl__shown(sb, src, n));
	memcpy(dst, src, n + 1);
	return SVL_OK;
}

static int row(char *text, unsigned line, const int *map, svl_count_line *o,
	       char *err, size_t errlen)
{
	char sb[SVL__SHOWN_SIZE];
	char *f[COLS + 1];
	int n = split(text, f, COLS + 1);
	if (n != COLS)
		return fail(err, errlen, "line %u: expected 4 fields, got %d",
			    line, n < 0 ? COLS + 1 : n);
	memset(o, 0, sizeof *o);
	o->sheet_line = line;
	for (int i = 0; i < COLS; i++) {
		int rc = SVL_OK;
		switch (map[i]) {
		case COL_BIN:
			rc = copy_field(o->bin, sizeof o->bin, f[i], line, "bin",
					err, errlen);
			break;
		case COL_PART:
			rc = copy_field(o->part_no, sizeof o->part_no, f[i],
					line, "part", err, errlen);
			break;
		case COL_COUNTER:
			rc = copy_field(o->counter, sizeof o->counter, f[i],
					line, "counter", err, errlen);
			break;
		default: {
			int q = parse_qty(f[i], &o->counted_milli);
			if (q == -2)
				return fail(err, errlen,
					    "line %u: counted: '%s' has more "
					    "than 3 decimals",
					    line, f[i]);
			if (q)
				return fail(err, errlen,
					    "line %u: counted: '%s' is not a "
					    "quantity >= 0",
					    line, svl__shown(sb, f[i], strlen(f[i])));
		}
		}
		if (rc != SVL_OK)
			return rc;
	}
	return SVL_OK;
}

int svl_count_sheet_parse(const char *text, size_t len, svl_count_line **out,
			  size_t *n, char *err, size_t errlen)
{
	char *copy = malloc(len + 1);
	svl_count_line *lines = NULL;
	size_t count = 0, cap = 0;
	int map[COLS], rc = SVL_OK, have_header = 0;
	if (!copy)
		return SVL_ENOMEM;
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		unsigned at = 1;
		for (const char *p = text; p < nul; p++)
			at += *p == '\n';
		free(copy);
		return fail(err, errlen, "line %u: a NUL byte (not a text file?)",
			    at);
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	unsigned lineno = 0;
	for (char *save = NULL, *l = copy; l && rc == SVL_OK; l = save) {
		save = strchr(l, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		if (l[0] == '\0' || l[0] == '\r' || l[0] == '#')
			continue;
		if (!have_header) {
			rc = header(l, map, err, errlen);
			have_header = 1;
			continue;
		}
		if (count == SVL_COUNT_LINES_MAX) {
			rc = fail(err, errlen, "line %u: more than %d lines",
				  lineno, SVL_COUNT_LINES_MAX);
			break;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			svl_count_line *nl = realloc(lines, cap * sizeof *nl);
			if (!nl) {
				rc = SVL_ENOMEM;
				break;
			}
			lines = nl;
		}
		rc = row(l, lineno, map, &lines[count], err, errlen);
		count += rc == SVL_OK;
	}
	free(copy);
	if (rc == SVL_OK && !have_header)
		rc = fail(err, errlen, "line 1: the sheet is empty");
	if (rc != SVL_OK) {
		free(lines);
		return rc;
	}
	*out = lines;
	*n = count;
	return SVL_OK;
}
