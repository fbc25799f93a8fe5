/*
 * bench_scale.c - how the bench's figures grow with the ledger's size:
 * each run of `svcledger bench --scale-record FILE` appends one line of
 * its figures to FILE, and `--scale-svg OUT` draws the lines of FILE as
 * one SVG (docs/benchmarks-scale.svg, `make bench-scale`): one line chart
 * per figure, stacked, x = the sizes ("100k", "1M", "10M"), one series
 * per side (ours, SQLite's). The runs are separate processes so that each
 * size starts with the same memory and page cache state, and a long run
 * that fails leaves the sizes before it recorded.
 *
 * A record line is "svcledger-bench-scale 1" then key=value pairs of
 * integers (rates rounded to events or reads a second; 0 = not measured);
 * unknown keys are skipped, so that older files still draw.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "chart.h"
#include "svcledger.h"

#define SCALE_TAG "svcledger-bench-scale 1"

/* The keys of a record line, in bench_scale_row's order. */
static const char *const keys[BENCH_SCALE_FIGS] = {
    "events",	     "proj_events",   "append",	     "append_sqlite",
    "import",	     "import_sqlite", "rebuild",     "rebuild_sql",
    "rebuild_c",     "rebuild_c_ours", "verify",     "verify_sqlite",
    "asof",	     "asof_sqlite",
};

int bench_scale_record(const char *path, const bench_scale_row *row)
{
	FILE *f = fopen(path, "a");
	if (!f)
		return -1;
	fputs(SCALE_TAG, f);
	for (size_t i = 0; i < BENCH_SCALE_FIGS; i++)
		fprintf(f, " %s=%" PRId64, keys[i], row->v[i]);
	fputc('\n', f);
	int bad = ferror(f);
	return fclose(f) != 0 || bad ? -1 : 0;
}

/* One line into row; 0, or -1 when it is not a record line. */
static int parse_line(const char *line, bench_scale_row *row)
{
	size_t tl = strlen(SCALE_TAG);
	memset(row, 0, sizeof *row);
	if (strncmp(line, SCALE_TAG, tl) != 0)
		return -1;
	for (const char *p = line + tl; *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		const char *eq = strchr(p, '=');
		if (!*p || !eq)
			break;
		size_t kl = (size_t)(eq - p);
		char *end;
		errno = 0;
		long long v = strtoll(eq + 1, &end, 10);
		if (errno || end == eq + 1 || v < 0)
			return -1;
		for (size_t i = 0; i < BENCH_SCALE_FIGS; i++)
			if (strlen(keys[i]) == kl && !memcmp(keys[i], p, kl))
				row->v[i] = v;
		p = end;
	}
	return row->v[BENCH_SCALE_EVENTS] > 0 ? 0 : -1;
}

int bench_scale_read(const char *path, bench_scale_row *rows, size_t cap,
		     size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	*n = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (*n < cap && parse_line(line, &rows[*n]) == 0)
			(*n)++;
	fclose(f);
	return 0;
}

/* "100k", "1M", "2.5M", "10M", "999" */
static void size_label(char *buf, size_t cap, int64_t n)
{
	if (n >= 1000000 && n % 1000000 == 0)
		snprintf(buf, cap, "%" PRId64 "M", n / 1000000);
	else if (n >= 1000000 && n % 100000 == 0)
		snprintf(buf, cap, "%" PRId64 ".%" PRId64 "M", n / 1000000,
			 n / 100000 % 10);
	else if (n >= 1000 && n % 1000 == 0)
		snprintf(buf, cap, "%" PRId64 "k", n / 1000);
	else
		snprintf(buf, cap, "%" PRId64, n);
}

/* One chart of the file: what it shows and where its figures are. */
typedef struct scale_chart {
	const char *title, *units;
	int size_key;	/* BENCH_SCALE_EVENTS or _PROJ_EVENTS: the x */
	size_t n_series;
	const char *name[4];
	int key[4];
} scale_chart;

/* Titles say what each side does (they differ: see docs/benchmarks.md);
 * series names stay short enough for the legend. */
static const scale_chart charts[] = {
    {"Bulk append, batch 10,000, no sync: svl_log_append / INSERT",
     "events/s; x = events in the ledger",
     BENCH_SCALE_EVENTS,
     2,
     {"ours", "SQLite"},
     {BENCH_SCALE_APPEND, BENCH_SCALE_APPEND_SQLITE}},
    {"Import: ours with the 3 projections inline, SQLite rows only",
     "events/s; x = events in the generated ledger",
     BENCH_SCALE_PROJ_EVENTS,
     2,
     {"ours", "SQLite"},
     {BENCH_SCALE_IMPORT, BENCH_SCALE_IMPORT_SQLITE}},
    {"Rebuild: ours all 3 projections, SQLite the stock cards only",
     "events of the log/s; x = events in the generated ledger",
     BENCH_SCALE_PROJ_EVENTS,
     4,
     {"ours", "SQLite, SQL", "SQLite, C cursor", "C over our log"},
     {BENCH_SCALE_REBUILD, BENCH_SCALE_REBUILD_SQL, BENCH_SCALE_REBUILD_C,
      BENCH_SCALE_REBUILD_C_OURS}},
    {"Verify: svl_log_verify / PRAGMA integrity_check",
     "events/s; x = events in the ledger",
     BENCH_SCALE_EVENTS,
     2,
     {"ours", "SQLite"},
     {BENCH_SCALE_VERIFY, BENCH_SCALE_VERIFY_SQLITE}},
    {"A stock card as of a seq: svl_stock_card_get / stock_lines",
     "reads/s; x = events in the generated ledger",
     BENCH_SCALE_PROJ_EVENTS,
     2,
     {"ours", "SQLite"},
     {BENCH_SCALE_ASOF, BENCH_SCALE_ASOF_SQLITE}},
};

#define CHART_H 360 /* SVL__CHART_FULL's height */
#define CHART_W 720

static int draw_one(svl__sbuf *b, const scale_chart *c,
		    const bench_scale_row *rows, size_t n, const char *source)
{
	char labels[BENCH_SCALE_ROWS_MAX][24];
	const char *xl[BENCH_SCALE_ROWS_MAX];
	int64_t vals[4][BENCH_SCALE_ROWS_MAX];
	unsigned char present[4][BENCH_SCALE_ROWS_MAX];
	struct svl__chart_series s[4];
	for (size_t i = 0; i < n; i++) {
		size_label(labels[i], sizeof labels[i], rows[i].v[c->size_key]);
		xl[i] = labels[i];
		for (size_t k = 0; k < c->n_series; k++) {
			vals[k][i] = rows[i].v[c->key[k]];
			present[k][i] = vals[k][i] > 0;
		}
	}
	for (size_t k = 0; k < c->n_series; k++) {
		s[k].name = c->name[k];
		s[k].values = vals[k];
		s[k].present = present[k];
	}
	struct svl__line_chart lc;
	memset(&lc, 0, sizeof lc);
	lc.text.title = c->title;
	lc.text.units = c->units;
	lc.text.source = source;
	lc.fmt = SVL__CHART_COUNT;
	lc.size = SVL__CHART_FULL;
	lc.x_labels = xl;
	lc.n_x = n;
	lc.series = s;
	lc.n_series = c->n_series;
	lc.zero_based = 1;
	return svl__chart_line(b, &lc);
}

/* The rows sorted by size (the file is in run order). */
static int by_size(const void *a, const void *b)
{
	const bench_scale_row *x = a, *y = b;
	int64_t p = x->v[BENCH_SCALE_EVENTS], q = y->v[BENCH_SCALE_EVENTS];
	return (p > q) - (p < q);
}

int bench_scale_svg(svl__sbuf *b, bench_scale_row *rows, size_t n,
		    const char *source)
{
	size_t nc = sizeof charts / sizeof charts[0];
	if (n == 0 || n > BENCH_SCALE_ROWS_MAX)
		return svl__sbuf_fail(b, SVL_EINVAL,
				      "%zu sizes recorded: 1 to %d drawn", n,
				      BENCH_SCALE_ROWS_MAX);
	qsort(rows, n, sizeof rows[0], by_size);
	svl__sbuf_printf(b,
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			 "viewBox=\"0 0 %d %zu\" width=\"%d\" height=\"%zu\" "
			 "role=\"img\" aria-label=\"svcledger bench: "
			 "events/s against ledger size\">\n"
			 "<title>svcledger bench: events/s against ledger "
			 "size, ours and SQLite's</title>\n",
			 CHART_W, CHART_H * nc, CHART_W, CHART_H * nc);
	for (size_t i = 0; i < nc; i++) {
		svl__sbuf_printf(b, "<g transform=\"translate(0,%zu)\">\n",
				 CHART_H * i);
		draw_one(b, &charts[i], rows, n, source);
		svl__sbuf_printf(b, "</g>\n");
	}
	svl__sbuf_printf(b, "</svg>\n");
	return b->rc;
}

int bench_scale_write(const char *out, const char *record, const char *source,
		      char *err, size_t errlen)
{
	bench_scale_row rows[BENCH_SCALE_ROWS_MAX];
	size_t n;
	svl__sbuf b = SVL__SBUF_INIT;
	if (bench_scale_read(record, rows, BENCH_SCALE_ROWS_MAX, &n) != 0) {
		snprintf(err, errlen, "%s: %s", record, strerror(errno));
		return -1;
	}
	if (bench_scale_svg(&b, rows, n, source) != SVL_OK) {
		snprintf(err, errlen, "%s: %s", record, b.errmsg);
		svl__sbuf_free(&b);
		return -1;
	}
	FILE *f = fopen(out, "w");
	int rc = f && fwrite(b.data, 1, b.len, f) == b.len ? 0 : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc)
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
	svl__sbuf_free(&b);
	return rc;
}
