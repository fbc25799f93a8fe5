/*
 * test_report.c - `svcledger report` and svl_report_write (svl_report.h,
 * docs/report.md): one self-contained page (no script, no external load,
 * a Content-Security-Policy that forbids every load), well-formed XML,
 * the same bytes for the same ledger and options, every section, the
 * KPI cells equal to the metrics projection's rows, the head equal to the
 * log's, Chinese beside English (every text row with the same
 * conversions in both), empty ledgers, bad options refused with a clear
 * message, the sink's failure returned, and the tool's file written whole
 * (never a half page, never a leftover .partial).
 *
 * The browser's view of the same page is tests/test_report_browser.c.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "svcledger.h"

static void setup(void)
{
	svl_cli_setup();
}

TestSuite(report, .init = setup, .fini = svl_cli_teardown);

/* ---- helpers ------------------------------------------------------------ */

static svl_ledger *open_dir(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", svl_cli_dir(), name);
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_RDONLY;
	svl_ledger *l;
	int rc = svl_ledger_open(&l, path, &o);
	cr_assert_eq(rc, SVL_OK, "open %s: %s", path, svl_log_last_error());
	return l;
}

typedef struct page {
	char *s;
	size_t n;
	int calls;
} page;

static int to_page(const char *bytes, size_t n, void *payload)
{
	page *p = payload;
	char *s = realloc(p->s, p->n + n + 1);
	cr_assert_not_null(s);
	memcpy(s + p->n, bytes, n);
	p->n += n;
	s[p->n] = '\0';
	p->s = s;
	p->calls++;
	return 0;
}

/* The report of [from, to) days of July 2026 (UTC+08:00) in lang. */
static page report_of(svl_ledger *l, int from_day, int to_day, const char *lang)
{
	svl_report_options o = SVL_REPORT_OPTIONS_INIT;
	int64_t day0 = INT64_C(1782835200000); /* 2026-07-01T00:00+08:00 */
	o.from_ms = day0 + (int64_t)(from_day - 1) * 86400000;
	o.to_ms = day0 + (int64_t)to_day * 86400000;
	o.lang = lang;
	page p = {NULL, 0, 0};
	int rc = svl_report_write(l, &o, to_page, &p);
	cr_assert_eq(rc, SVL_OK, "report: %s", svl_ledger_errmsg(l));
	return p;
}

static char *read_file(const char *name, size_t *n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", svl_cli_dir(), name);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)len + 1);
	cr_assert_eq(fread(s, 1, (size_t)len, f), (size_t)len);
	s[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return s;
}

static void demo14(void)
{
	cr_assert_eq(svl_cli_run("demo -d D --days 14 --quiet"), 0, "%s",
		     svl_cli_last.err);
}

/* xmllint --noout over the page when xmllint is installed. */
static void well_formed(const page *p)
{
	if (system("command -v xmllint >/dev/null 2>&1") != 0) {
		cr_log_warn("skipped: xmllint not found (Debian package "
			    "libxml2-utils): the XML check did not run");
		return;
	}
	char path[4096], cmd[4200];
	snprintf(path, sizeof path, "%s/page.xml", svl_cli_dir());
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(p->s, 1, p->n, f), p->n);
	fclose(f);
	snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
	cr_assert_eq(system(cmd), 0, "the page is not well-formed XML");
}

/* The value of attribute `attr` in the tag that holds `at`. */
static long long attr_value(const char *tag, const char *attr)
{
	char want[64];
	snprintf(want, sizeof want, " %s=\"", attr);
	const char *v = strstr(tag, want);
	cr_assert_not_null(v, "no %s in %.80s", attr, tag);
	return strtoll(v + strlen(want), NULL, 10);
}

/* ---- the page -------------------------------------------------------------
 */

Test(report, is_self_contained_and_well_formed)
{
	demo14();
	svl_ledger *l = open_dir("D");
	page p = report_of(l, 1, 14, NULL);
	cr_assert_eq(p.calls, 1, "the page is handed over whole, once");
	cr_assert(strncmp(p.s, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	cr_assert(strstr(p.s, "Content-Security-Policy\" content=\"default-src "
			      "'none'; style-src 'unsafe-inline'; img-src "
			      "data:\""));
	static const char *const never[] = {
	    "<script", "https://", " src=", "<link", "@import", "url("};
	for (size_t i = 0; i < sizeof never / sizeof *never; i++)
		cr_assert_null(strstr(p.s, never[i]), "the page holds '%s'",
			       never[i]);
	/* http:// only as the SVG namespace, which is a name, not a load */
	for (const char *h = p.s; (h = strstr(h, "http://")); h++)
		cr_assert(strncmp(h, "http://www.w3.org/2000/svg\"", 27) == 0,
			  "the page holds %.60s", h);
	static const char *const sections[] = {
	    "head",  "kpi",	  "followup",  "complaints",
	    "stock", "stocktake", "writeoffs", "wip"};
	const char *prev = p.s;
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
		char want[64];
		snprintf(want, sizeof want, "<section id=\"%s\"", sections[i]);
		const char *at = strstr(p.s, want);
		cr_assert_not_null(at, "no section %s", sections[i]);
		cr_assert_gt(at, prev, "section %s out of order", sections[i]);
		prev = at;
	}
	cr_assert(strstr(p.s, "@page{size:A4"), "no print style");
	cr_assert(strstr(p.s, "<svg"), "no chart");
	well_formed(&p);
	free(p.s);
	svl_ledger_close(l);
}

Test(report, same_ledger_same_bytes_in_library_and_tool)
{
	demo14();
	svl_ledger *l = open_dir("D");
	page a = report_of(l, 1, 14, NULL), b = report_of(l, 1, 14, NULL);
	cr_assert_eq(a.n, b.n);
	cr_assert(memcmp(a.s, b.s, a.n) == 0, "two runs differ");
	svl_ledger_close(l);
	cr_assert_eq(svl_cli_run("report -d D --from 2026-07-01 --to "
				 "2026-07-14 -o r.html"),
		     0, "%s", svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.out, "r.html"), "%s",
		  svl_cli_last.out);
	size_t n;
	char *f = read_file("r.html", &n);
	cr_assert_eq(n, a.n, "the tool's page differs from the library's");
	cr_assert(memcmp(f, a.s, n) == 0);
	cr_assert_neq(svl_cli_run("test -e r.html.partial"), 0,
		      "a .partial file was left");
	free(f);
	free(a.s);
	free(b.s);
}

/* Every KPI cell of the week and month tables holds the metrics
 * projection's value for its row; every row is there, and no other. */
typedef struct rows_seen {
	const char *page;
	const char *table; /* where the table starts */
	int rows;
} rows_seen;

static void check_cell(const char *row, const char *kpi, long long want,
		       const char *label)
{
	char key[80];
	snprintf(key, sizeof key, "data-kpi=\"%s\" data-value=\"", kpi);
	const char *end = strstr(row, "</tr>");
	const char *at = strstr(row, key);
	cr_assert(at && at < end, "row %s has no %s", label, kpi);
	at += strlen(key);
	if (want == SVL_METRICS_NONE)
		cr_assert_eq(*at, '"', "%s %s: want empty", label, kpi);
	else
		cr_assert_eq(strtoll(at, NULL, 10), want, "%s %s", label, kpi);
}

static int check_row(const svl_metrics_row *row, void *payload)
{
	rows_seen *s = payload;
	char want[64];
	snprintf(want, sizeof want, "<tr data-label=\"%s\">", row->label);
	const char *tr = strstr(s->table, want);
	const char *end = strstr(s->table, "</table>");
	cr_assert(tr && tr < end, "no row %s in the table", row->label);
	check_cell(tr, "delivered", row->c.delivered, row->label);
	check_cell(tr, "fu_coverage_permille", row->r.fu_coverage_permille,
		   row->label);
	check_cell(tr, "fu_success_permille", row->r.fu_success_permille,
		   row->label);
	check_cell(tr, "satisfaction_permille", row->r.satisfaction_permille,
		   row->label);
	check_cell(tr, "score_avg_milli", row->r.score_avg_milli, row->label);
	check_cell(tr, "major_complaint_bp", row->r.major_complaint_bp,
		   row->label);
	check_cell(tr, "first_time_fix_permille",
		   row->r.first_time_fix_permille, row->label);
	check_cell(tr, "on_time_permille", row->r.on_time_permille, row->label);
	s->rows++;
	return 0;
}

static int count_rows(const char *table)
{
	int n = 0;
	const char *end = strstr(table, "</table>");
	for (const char *p = table; (p = strstr(p, " data-label=")) && p < end;
	     p++)
		n++;
	return n;
}

Test(report, kpi_cells_are_the_metrics_rows)
{
	demo14();
	svl_ledger *l = open_dir("D");
	page p = report_of(l, 1, 14, NULL);
	const char *kpi = strstr(p.s, "<section id=\"kpi\"");
	cr_assert_not_null(kpi);
	int64_t day0 = INT64_C(1782835200000);
	int64_t to = day0 + 14 * INT64_C(86400000);
	const char *week = strstr(kpi, "data-period-kind=\"week\"");
	const char *month = strstr(kpi, "data-period-kind=\"month\"");
	cr_assert(week && month);
	rows_seen s = {p.s, week, 0};
	cr_assert_eq(svl_metrics_get(l, SVL_METRICS_WEEK, day0, to,
				     SVL_METRICS_OVERALL, check_row, &s),
		     SVL_OK);
	cr_assert_gt(s.rows, 1, "the demo's two weeks have rows");
	/* the rows, and the total row */
	cr_assert_eq(count_rows(week), s.rows + 1);
	s = (rows_seen){p.s, month, 0};
	cr_assert_eq(svl_metrics_get(l, SVL_METRICS_MONTH, day0, to,
				     SVL_METRICS_OVERALL, check_row, &s),
		     SVL_OK);
	cr_assert_eq(s.rows, 1);
	cr_assert_eq(count_rows(month), s.rows + 1);
	/* the section says which dates the tables are of */
	cr_assert(strstr(kpi, "data-from=\"2026-07-01\" data-to=\"2026-07-14\""
			      " data-trend-from=\"2025-08-01\""),
		  "%.200s", kpi);
	free(p.s);
	svl_ledger_close(l);
}

Test(report, head_is_the_logs)
{
	demo14();
	svl_ledger *l = open_dir("D");
	svl_head h;
	cr_assert_eq(svl_log_head(svl_ledger_log(l), &h), SVL_OK);
	page p = report_of(l, 1, 14, NULL);
	const char *seq = strstr(p.s, "<span id=\"head-seq\"");
	cr_assert_not_null(seq);
	cr_assert_eq(attr_value(seq, "data-value"), (long long)h.seq);
	char hash[2 * SVL_HASH_SIZE + 1];
	for (size_t i = 0; i < SVL_HASH_SIZE; i++)
		snprintf(hash + 2 * i, 3, "%02x", h.hash[i]);
	char want[128];
	snprintf(want, sizeof want, "<code id=\"head-hash\">%s</code>", hash);
	cr_assert(strstr(p.s, want), "no %s", want);
	const char *v = strstr(p.s, "<dd id=\"verify\"");
	cr_assert_not_null(v);
	cr_assert_eq(attr_value(v, "data-ok"), 1);
	/* the demo seals nothing in two weeks: the page says so */
	cr_assert(strstr(p.s, "no seals yet"));
	/* generated at: the ledger's own clock, not the machine's */
	cr_assert(strstr(p.s, "<dd id=\"generated\">2026-07-"), "%s",
		  strstr(p.s, "<dd id=\"generated\">"));
	free(p.s);
	svl_ledger_close(l);
}

Test(report, in_chinese)
{
	demo14();
	svl_ledger *l = open_dir("D");
	page zh = report_of(l, 1, 14, "zh-CN");
	page en = report_of(l, 1, 14, "en");
	cr_assert(strstr(zh.s, "<html lang=\"zh-CN\">"));
	cr_assert(strstr(zh.s, "售后服务报告"));
	cr_assert(strstr(zh.s, "回访覆盖率"));
	cr_assert_null(strstr(zh.s, "follow-up coverage"));
	/* the charts' own words too */
	cr_assert(strstr(zh.s, ">目标 100.0%<"), "no Chinese target label");
	cr_assert_null(strstr(zh.s, ">target "));
	cr_assert_null(strstr(zh.s, "axis starts at"));
	/* the numbers are the same in both languages */
	const char *kz = strstr(zh.s, "data-kpi="),
		   *ke = strstr(en.s, "data-kpi=");
	cr_assert(kz && ke);
	cr_assert(strncmp(kz, ke, 200) == 0);
	well_formed(&zh);
	free(zh.s);
	free(en.s);
	svl_ledger_close(l);
	cr_assert_eq(svl_cli_run("--lang zh-CN report -d D --period 2026-07 "
				 "-o z.html"),
		     0, "%s", svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.out, "的报告"), "%s",
		  svl_cli_last.out);
}

/* The number of "%s" in s. */
static int params(const char *s)
{
	int n = 0;
	for (; (s = strstr(s, "%s")); s += 2)
		n++;
	return n;
}

/* Every text row takes the same parameters in both languages. */
Test(report, texts_have_the_same_conversions)
{
	static const char *const rows[][2] = {
#define RT(id, en, zh) {en, zh},
#include "../report/report_text.def"
#undef RT
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		cr_assert_eq(params(rows[i][0]), params(rows[i][1]),
			     "'%s' / '%s'", rows[i][0], rows[i][1]);
		cr_assert_null(strchr(rows[i][0], '<'), "markup in '%s'",
			       rows[i][0]);
		cr_assert_null(strchr(rows[i][1], '<'), "markup in '%s'",
			       rows[i][1]);
	}
}

Test(report, empty_ledger_is_a_page_of_no_data)
{
	cr_assert_eq(svl_cli_run("init -d E"), 0, "%s", svl_cli_last.err);
	cr_assert_eq(svl_cli_run("report -d E --period 2026-07 -o e.html"), 0,
		     "%s", svl_cli_last.err);
	size_t n;
	char *s = read_file("e.html", &n);
	page p = {s, n, 1};
	cr_assert(strstr(s, "No job was delivered in the period."));
	cr_assert(strstr(s, "No complaint was opened in the period."));
	cr_assert(strstr(s, "No stocktake counted a line in the period."));
	cr_assert(strstr(s, "No write-off was approved in the period."));
	cr_assert(strstr(s, "No car was in the workshop at the period"));
	cr_assert(strstr(s, "No data"), "charts say they have no data");
	cr_assert_eq(svl_cli_run("--lang zh-CN report -d E --period 2026-07 -o "
				 "-"),
		     0, "%s", svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.out, ">暂无数据<"));
	cr_assert(!svl_cli_has(svl_cli_last.out, "No data"));
	well_formed(&p);
	free(s);
}

Test(report, jobs_ledger_counts_its_two_jobs)
{
	svl_cli_jobs_ledger("J");
	svl_ledger *l = open_dir("J");
	page p = report_of(l, 1, 31, NULL);
	/* WO-1 and WO-2 delivered in July: the month's total row */
	const char *month = strstr(p.s, "data-period-kind=\"month\"");
	cr_assert_not_null(month);
	const char *total =
	    strstr(month, "<tr class=\"total\" data-label=\"total\">");
	cr_assert_not_null(total);
	check_cell(total, "delivered", 2, "total");
	check_cell(total, "on_time_permille", 500, "total");
	free(p.s);
	svl_ledger_close(l);
}

/* ---- refusals ---------------------------------------------------------------
 */

static int fail_sink(const char *bytes, size_t n, void *payload)
{
	(void)bytes;
	(void)n;
	++*(int *)payload;
	return 77;
}

Test(report, bad_options_are_refused_with_a_reason)
{
	svl_cli_jobs_ledger("J");
	svl_ledger *l = open_dir("J");
	page p = {NULL, 0, 0};
	svl_report_options o = SVL_REPORT_OPTIONS_INIT;
	o.lang = "fr";
	cr_assert_eq(svl_report_write(l, &o, to_page, &p), SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(l), "language"), "%s",
		  svl_ledger_errmsg(l));
	o = (svl_report_options)SVL_REPORT_OPTIONS_INIT;
	o.from_ms = INT64_C(1782835200000);
	cr_assert_eq(svl_report_write(l, &o, to_page, &p), SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(l), "both ends"));
	o.to_ms = o.from_ms;
	cr_assert_eq(svl_report_write(l, &o, to_page, &p), SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(l), "end after"));
	o = (svl_report_options)SVL_REPORT_OPTIONS_INIT;
	o.trend_months = 25;
	cr_assert_eq(svl_report_write(l, &o, to_page, &p), SVL_EINVAL);
	o = (svl_report_options)SVL_REPORT_OPTIONS_INIT;
	o.version = 99;
	cr_assert_eq(svl_report_write(l, &o, to_page, &p), SVL_EMISUSE);
	cr_assert_eq(svl_report_write(NULL, NULL, to_page, &p), SVL_EMISUSE);
	cr_assert_eq(svl_report_write(l, NULL, NULL, &p), SVL_EMISUSE);
	cr_assert_eq(p.calls, 0, "nothing reached the sink");
	/* the sink's failure is the report's */
	int calls = 0;
	cr_assert_eq(svl_report_write(l, NULL, fail_sink, &calls), 77);
	cr_assert_eq(calls, 1);
	svl_ledger_close(l);
}

Test(report, tool_refuses_bad_periods_and_keeps_the_old_page)
{
	svl_cli_jobs_ledger("J");
	cr_assert_eq(svl_cli_run("report -d J --period 2026-07 -o r.html"), 0,
		     "%s", svl_cli_last.err);
	size_t n0;
	char *before = read_file("r.html", &n0);
	cr_assert_eq(svl_cli_run("report -d J --period 2026-13 -o r.html"), 1);
	cr_assert(svl_cli_has(svl_cli_last.err, "--period"), "%s",
		  svl_cli_last.err);
	cr_assert_eq(svl_cli_lines(svl_cli_last.err), 1, "%s",
		     svl_cli_last.err);
	cr_assert_eq(svl_cli_run("report -d J --period 2026-07 --from "
				 "2026-07-01 --to 2026-07-02 -o r.html"),
		     1);
	cr_assert_eq(svl_cli_run("report -d J --from 2026-07-01 -o r.html"), 1);
	cr_assert(svl_cli_has(svl_cli_last.err, "together"));
	cr_assert_eq(svl_cli_run("report -d J --period 2026-07"), 1);
	cr_assert(svl_cli_has(svl_cli_last.err, "-o FILE"));
	cr_assert_eq(svl_cli_run("report -d J --trend-months 0 -o r.html"), 1);
	cr_assert_eq(svl_cli_run("report -d nowhere --period 2026-07 -o "
				 "r.html"),
		     2, "%s", svl_cli_last.err);
	/* an output that cannot be created: the old page stays */
	cr_assert_neq(svl_cli_run("report -d J --period 2026-07 -o "
				  "no/such/dir/r.html"),
		      0);
	size_t n1;
	char *after = read_file("r.html", &n1);
	cr_assert_eq(n0, n1);
	cr_assert(memcmp(before, after, n0) == 0);
	free(before);
	free(after);
	/* --as-of: the month to date */
	cr_assert_eq(svl_cli_run("report -d J --as-of 2026-07-03T12:00 -o "
				 "-"),
		     0, "%s", svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.out,
			      "<dd id=\"period\">2026-07-01 – 2026-07-03</dd>"),
		  "%.400s", strstr(svl_cli_last.out, "id=\"period\""));
}
