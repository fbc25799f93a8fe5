/*
 * test_report_browser.c - `svcledger report` as a reader's browser shows
 * it. The page is opened in headless Chromium by tests/browser/cdp.py
 * (the DevTools protocol, Python's standard library only), which says what
 * the browser logged and what the page holds; this file judges it.
 *
 * The report promises one self-contained file: inline CSS and SVG, no
 * JavaScript, no network, under a Content-Security-Policy that turns any
 * outside load into a console error. So a clean page logs no error at
 * all. Its KPI tables carry their figures as data-* attributes (the DOM
 * contract in docs/report.md): every cell must equal `metrics --json` for
 * the period the kpi section names, row for row, and the head shown must
 * be the ledger's head, in English and in Chinese, and in a quiet week
 * whose undefined ratios must show as no figure. Fixture pages that break
 * the policy or throw show the check can fail.
 *
 * The ledger is the demo's first two weeks (2026-07-01..14): jobs with
 * follow-ups and complaints, stock, the closing stocktake and its
 * write-offs, in about a second of the sanitizer build. Without chromium
 * or python3 the tests say so and are skipped.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "fixture.h"

#define last svl_cli_last
#define run svl_cli_run

#define FROM "2026-07-01"
#define TO "2026-07-14"
/* the report's Content-Security-Policy: nothing but inline style and
 * data: images */
#define POLICY "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

static char cdp[4096];

static void setup(void)
{
	svl_cli_setup();
	/* beside this file; the tests run from the tree's root */
	char here[4096];
	snprintf(here, sizeof here, "%s", __FILE__);
	char *slash = strrchr(here, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(here, sizeof here, ".");
	char want[4200];
	snprintf(want, sizeof want, "%s/browser/cdp.py", here);
	if (!realpath(want, cdp))
		cr_assert_fail("no %s (run the test from the tree's root)",
			       want);
}

TestSuite(report_browser, .init = setup, .fini = svl_cli_teardown,
	  .timeout = 300);

static int have(const char *prog)
{
	char cmd[256];
	int st;
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	free(svl_test_shell(cmd, &st));
	return st == 0;
}

static void need_browser(void)
{
	if (!have("python3")) {
		fprintf(stderr, "\n*** test_report_browser: skipped: python3 "
				"not found (Debian package python3) ***\n\n");
		cr_skip_test("skipped: python3 not found (Debian package "
			     "python3)");
	}
	if (!have("chromium")) {
		fprintf(stderr, "\n*** test_report_browser: skipped: chromium "
				"not found (Debian package chromium; `sh "
				"tools/deps.sh test` installs it) ***\n\n");
		cr_skip_test("skipped: chromium not found (Debian package "
			     "chromium; `sh tools/deps.sh test` installs it)");
	}
}

/* What Chromium saw of `page` in the temp dir, drawn also into the files
 * `png` and `pdf` there when they are not NULL. The caller json_decref()s
 * it. */
static json_t *browse(const char *page, const char *png, const char *pdf)
{
	const char *dir = svl_cli_dir();
	char shot[4300] = "", print[4300] = "", cmd[16384];
	if (png)
		snprintf(shot, sizeof shot, "--screenshot '%s/%s'", dir, png);
	if (pdf)
		snprintf(print, sizeof print, "--pdf '%s/%s'", dir, pdf);
	/* CDP_TRACE: a run that fails shows how far it got, and when */
	snprintf(cmd, sizeof cmd,
		 "CDP_TRACE=1 python3 '%s' '%s/%s' %s %s 2>'%s/cdp.err'", cdp,
		 dir, page, shot, print, dir);
	int st;
	char *out = svl_test_shell(cmd, &st);
	cr_assert_not_null(out);
	if (st != 0) {
		snprintf(cmd, sizeof cmd, "cat '%s/cdp.err'", dir);
		char *err = svl_test_shell(cmd, NULL);
		cr_assert_fail("cdp.py exited %d: %s", st, err ? err : "");
	}
	json_error_t e;
	json_t *v = json_loads(out, 0, &e);
	cr_assert_not_null(v, "cdp.py printed no JSON (%s): %.400s", e.text,
			   out);
	free(out);
	return v;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void no_console_errors(json_t *seen)
{
	json_t *errs = json_object_get(seen, "console_errors");
	cr_assert(json_is_array(errs));
	if (json_array_size(errs) == 0)
		return;
	char *text = json_dumps(errs, JSON_INDENT(1));
	cr_assert_fail("%zu console errors in %s:\n%s", json_array_size(errs),
		       str(seen, "page"), text);
}

static const char *const sections[] = {"head",	     "kpi",   "followup",
				       "complaints", "stock", "stocktake",
				       "writeoffs",  "wip"};

static void every_section(json_t *seen)
{
	json_t *ids = json_object_get(seen, "sections");
	for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) {
		int n = 0;
		for (size_t i = 0; i < json_array_size(ids); i++)
			n += strcmp(json_string_value(json_array_get(ids, i)),
				    sections[k]) == 0;
		cr_assert_eq(n, 1, "%d sections with id '%s'", n, sections[k]);
	}
	json_t *bare = json_object_get(seen, "sections_without_h2");
	cr_assert_eq(json_array_size(bare), 0, "sections with no <h2>: %s",
		     json_dumps(bare, 0));
}

/* ---- the KPI tables against metrics --json ---- */

static const char *const kpis[] = {"delivered",
				   "fu_coverage_permille",
				   "fu_success_permille",
				   "satisfaction_permille",
				   "score_avg_milli",
				   "major_complaint_bp",
				   "first_time_fix_permille",
				   "on_time_permille"};

static int is_kpi(const char *name)
{
	for (size_t k = 0; k < sizeof kpis / sizeof *kpis; k++)
		if (name && strcmp(name, kpis[k]) == 0)
			return 1;
	return 0;
}

/* The data-value a metrics row (or total) calls for: the integer, or ""
 * where the ratio is undefined (null, or -1). */
static void want_value(json_t *mrow, const char *kpi, char *out, size_t n)
{
	const char *group = strcmp(kpi, "delivered") ? "ratios" : "counters";
	json_t *v = json_object_get(json_object_get(mrow, group), kpi);
	cr_assert(json_is_integer(v) || json_is_null(v),
		  "metrics --json has no %s.%s", group, kpi);
	json_int_t x = json_is_null(v) ? -1 : json_integer_value(v);
	if (x == -1 && strcmp(kpi, "delivered") != 0)
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%lld", (long long)x);
}

/* How many of the page's rows (or cells, with kpi) are kind/label[/kpi];
 * *match is the last one. */
static int count(json_t *list, const char *kind, const char *label,
		 const char *kpi, json_t **match)
{
	int n = 0;
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *x = json_array_get(list, i);
		const char *xk = str(x, "kind"), *xl = str(x, "label");
		if (!xk || !xl || strcmp(xk, kind) || strcmp(xl, label))
			continue;
		if (kpi && (!str(x, "kpi") || strcmp(str(x, "kpi"), kpi)))
			continue;
		n++;
		*match = x;
	}
	return n;
}

static void check_row(json_t *seen, const char *kind, const char *label,
		      json_t *mrow)
{
	json_t *m;
	int n = count(json_object_get(seen, "rows"), kind, label, NULL, &m);
	cr_assert_eq(n, 1, "%d rows '%s' in the %s table (metrics has one)", n,
		     label, kind);
	for (size_t k = 0; k < sizeof kpis / sizeof *kpis; k++) {
		json_t *cell = NULL;
		n = count(json_object_get(seen, "cells"), kind, label, kpis[k],
			  &cell);
		cr_assert_eq(n, 1, "%d cells %s in row '%s' of the %s table", n,
			     kpis[k], label, kind);
		char want[32];
		want_value(mrow, kpis[k], want, sizeof want);
		const char *got = str(cell, "value");
		cr_assert(got && strcmp(got, want) == 0,
			  "%s table, row '%s', %s: the page says "
			  "data-value=\"%s\" (\"%s\"), metrics --json %s",
			  kind, label, kpis[k], got ? got : "(none)",
			  str(cell, "text"), *want ? want : "null");
	}
}

static int count_kind(json_t *rows, const char *kind)
{
	int n = 0;
	for (size_t i = 0; i < json_array_size(rows); i++) {
		const char *k = str(json_array_get(rows, i), "kind");
		n += k && strcmp(k, kind) == 0;
	}
	return n;
}

/* The kind's table holds exactly the rows of `metrics --period kind` over
 * from..to, then its total, with the same figures. */
static void check_table(json_t *seen, const char *kind, const char *from,
			const char *to)
{
	cr_assert_eq(run("metrics -d D --period %s --from %s --to %s --json",
			 kind, from, to),
		     0, "%s", last.err);
	json_t *m = svl_cli_json();
	json_t *mrows = json_object_get(m, "rows");
	for (size_t i = 0; i < json_array_size(mrows); i++) {
		json_t *r = json_array_get(mrows, i);
		check_row(seen, kind, str(r, "label"), r);
	}
	check_row(seen, kind, "total", json_object_get(m, "total"));
	int n = count_kind(json_object_get(seen, "rows"), kind);
	cr_assert_eq((size_t)n, json_array_size(mrows) + 1,
		     "the %s table has %d rows; metrics has %zu and a total",
		     kind, n, json_array_size(mrows));
	json_decref(m);
}

/* A YYYY-MM-DD date: safe to hand to the shell. */
static int is_date(const char *s)
{
	static const char form[] = "dddd-dd-dd";
	if (!s || strlen(s) != sizeof form - 1)
		return 0;
	for (size_t i = 0; form[i]; i++)
		if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != '-')
			return 0;
	return 1;
}

/* The kpi section names the period asked for, and its tables show what
 * metrics --json says of it. */
static void kpi_matches_metrics(json_t *seen, const char *want_from,
				const char *want_to)
{
	json_t *cells = json_object_get(seen, "cells");
	for (size_t i = 0; i < json_array_size(cells); i++) {
		const char *k = str(json_array_get(cells, i), "kpi");
		cr_assert(is_kpi(k), "a cell data-kpi=\"%s\"", k ? k : "");
	}
	json_t *attrs = json_object_get(seen, "kpi_attrs");
	const char *from = str(attrs, "data-from"), *to = str(attrs, "data-to"),
		   *trend = str(attrs, "data-trend-from");
	cr_assert(is_date(from) && is_date(to) && is_date(trend),
		  "kpi section: data-from \"%s\", data-to \"%s\", "
		  "data-trend-from \"%s\"",
		  from ? from : "", to ? to : "", trend ? trend : "");
	cr_assert_str_eq(from, want_from);
	cr_assert_str_eq(to, want_to);
	cr_assert(strcmp(trend, from) <= 0, "trend from %s, after %s", trend,
		  from);
	check_table(seen, "week", from, to);
	check_table(seen, "month", trend, to);
}

static void head_matches(json_t *seen)
{
	json_t *page = json_object_get(seen, "head");
	cr_assert_eq(run("head -d D --json"), 0, "%s", last.err);
	json_t *h = svl_cli_json();
	char seq[32];
	snprintf(seq, sizeof seq, "%lld",
		 (long long)json_integer_value(json_object_get(h, "seq")));
	const char *got = str(page, "seq");
	cr_assert(got && strcmp(got, seq) == 0,
		  "#head-seq data-value=\"%s\", head --json seq %s",
		  got ? got : "(none)", seq);
	const char *hash = str(h, "hash");
	const char *shown =
	    str(page, "hash") ? str(page, "hash") : str(page, "hash_text");
	cr_assert(shown && strcmp(shown, hash) == 0,
		  "#head-hash shows \"%s\", head --json hash %s",
		  shown ? shown : "(none)", hash);
	const char *ok = str(page, "verify");
	cr_assert(ok && strcmp(ok, "1") == 0,
		  "#verify data-ok=\"%s\" on a ledger that verifies",
		  ok ? ok : "(none)");
	json_decref(h);
}

/* ---- the files Chromium drew ---- */

static unsigned char *read_all(const char *name, size_t *len)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", svl_cli_dir(), name);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "no %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	unsigned char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* A PNG 1200 pixels wide, as tall as a report, of a plausible size. */
static void screenshot_ok(const char *name)
{
	size_t n;
	unsigned char *png = read_all(name, &n);
	cr_assert(n > 24 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0 &&
		      memcmp(png + 12, "IHDR", 4) == 0,
		  "%s is not a PNG", name);
	uint32_t w = be32(png + 16), h = be32(png + 20);
	cr_assert_eq(w, 1200, "screenshot %u pixels wide", w);
	cr_assert(h >= 600 && h <= 16384, "screenshot %u pixels high", h);
	cr_assert(n >= 20000 && n <= 50u << 20,
		  "screenshot of %zu bytes: blank or broken", n);
	free(png);
}

static void pdf_ok(json_t *seen, const char *name)
{
	size_t n;
	unsigned char *pdf = read_all(name, &n);
	cr_assert(n > 5 && memcmp(pdf, "%PDF-", 5) == 0, "%s is not a PDF",
		  name);
	free(pdf);
	json_int_t pages =
	    json_integer_value(json_object_get(seen, "pdf_pages"));
	cr_assert_geq(pages, 1, "the PDF has %lld pages", (long long)pages);
}

/* ---- the tests ---- */

static void demo_and_report(const char *from, const char *to, const char *lang)
{
	cr_assert_eq(run("demo -d D --days 14 --quiet"), 0, "%s", last.err);
	cr_assert_eq(run("report -d D --from %s --to %s --lang %s -o r.html",
			 from, to, lang),
		     0, "%s", last.err);
}

/* The page itself: inline, no script, nothing loaded from outside, and
 * a policy that would make any outside load a console error. */
static void self_contained(json_t *seen, const char *lang)
{
	no_console_errors(seen);
	const char *csp = str(seen, "csp");
	cr_assert(csp && strcmp(csp, POLICY) == 0,
		  "Content-Security-Policy \"%s\"", csp ? csp : "(none)");
	cr_assert_str_eq(str(seen, "lang"), lang, "<html lang>");
	every_section(seen);
	cr_assert_eq(json_integer_value(json_object_get(seen, "scripts")), 0,
		     "the report has <script> elements");
	json_t *ext = json_object_get(seen, "external");
	cr_assert_eq(json_array_size(ext), 0, "outside references: %s",
		     json_dumps(ext, 0));
}

Test(report_browser, loads_clean_and_shows_the_ledgers_figures)
{
	need_browser();
	demo_and_report(FROM, TO, "en");
	json_t *seen = browse("r.html", "r.png", "r.pdf");
	self_contained(seen, "en");
	kpi_matches_metrics(seen, FROM, TO);
	/* three weeks and their total: the comparison did compare */
	cr_assert_eq(count_kind(json_object_get(seen, "rows"), "week"), 4);
	head_matches(seen);
	screenshot_ok("r.png");
	pdf_ok(seen, "r.pdf");
	json_decref(seen);
}

Test(report_browser, chinese_report_loads_clean)
{
	need_browser();
	demo_and_report(FROM, TO, "zh-CN");
	json_t *seen = browse("r.html", NULL, NULL);
	self_contained(seen, "zh-CN");
	kpi_matches_metrics(seen, FROM, TO);
	head_matches(seen);
	json_decref(seen);
}

/* A week after the demo's two: nothing delivered, so every ratio of the
 * week's total is undefined (null in metrics --json) and its cell must
 * carry an empty data-value, not a 0 that would read as a figure. */
Test(report_browser, a_quiet_week_shows_undefined_figures_as_empty)
{
	need_browser();
	demo_and_report("2026-08-03", "2026-08-09", "en");
	json_t *seen = browse("r.html", NULL, NULL);
	self_contained(seen, "en");
	kpi_matches_metrics(seen, "2026-08-03", "2026-08-09");
	json_t *cells = json_object_get(seen, "cells"), *cell = NULL;
	int n = count(cells, "week", "total", "on_time_permille", &cell);
	const char *v = n == 1 ? str(cell, "value") : NULL;
	cr_assert(v && *v == '\0', "the quiet week's on-time share: \"%s\"",
		  v ? v : "(none)");
	json_decref(seen);
}

#define CSP                                                                    \
	"<meta http-equiv=\"Content-Security-Policy\" content=\"" POLICY "\">"

/* The check can fail: under the report's policy an outside image and an
 * inline script are refused, and each refusal is a console error. */
Test(report_browser, an_outside_load_is_a_console_error)
{
	need_browser();
	svl_cli_write("bad.html",
		      "<!DOCTYPE html><html lang=\"en\"><head>"
		      "<meta charset=\"utf-8\">" CSP "<title>bad</title>"
		      "</head><body><section id=\"head\"><h2>x</h2></section>"
		      "<img src=\"http://127.0.0.1:9/x.png\" alt=\"\">"
		      "<script>throw new Error(\"boom\")</script>"
		      "</body></html>\n");
	json_t *seen = browse("bad.html", NULL, NULL);
	json_t *errs = json_object_get(seen, "console_errors");
	cr_assert_geq(json_array_size(errs), 1,
		      "an outside image under the policy went unnoticed");
	char *text = json_dumps(errs, 0);
	cr_assert(svl_cli_has(text, "127.0.0.1:9"), "%s", text);
	free(text);
	json_decref(seen);
}

/* And a script that does run and throws is caught too. */
Test(report_browser, an_uncaught_exception_is_a_console_error)
{
	need_browser();
	svl_cli_write("throws.html",
		      "<!DOCTYPE html><html lang=\"en\"><head>"
		      "<meta charset=\"utf-8\"><title>throws</title></head>"
		      "<body><script>throw new Error(\"boom\")</script>"
		      "</body></html>\n");
	json_t *seen = browse("throws.html", NULL, NULL);
	char *text = json_dumps(json_object_get(seen, "console_errors"), 0);
	cr_assert(svl_cli_has(text, "boom"), "no exception seen: %s", text);
	free(text);
	json_decref(seen);
}
