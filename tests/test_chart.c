/*
 * test_chart.c - model/chart.c: nice scales and their ticks (ordinary
 * ranges, one value, all zeros, negatives, the largest amounts), numbers
 * as text, the XML escaper, the buffer's limit, and the three charts: "no
 * data" instead of a division by zero, a single point, the target line's
 * position, breach marks on exactly the breaching points, stacked segments
 * that meet, refusals that write nothing, the same bytes for the same
 * input, and well-formed XML (a small checker here, and xmllint when it
 * is installed).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "fixture.h"
#include "svl_error.h"
#include "svl_events.h"

/* ---- helpers ------------------------------------------------------------ */

/* A tiny well-formedness check: tags nest and close, attribute values are
 * quoted, '&' starts an entity, no '<' or '>' is loose in text. Returns
 * NULL or what is wrong. */
static const char *xml_check(const char *s)
{
	static char why[160];
	char stack[64][32];
	int depth = 0, roots = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '&') {
			const char *e = strchr(p, ';');
			if (!e || e - p > 8 || e - p < 3)
				return "bare &";
			continue;
		}
		if (*p == '>')
			return "loose >";
		if (*p != '<')
			continue;
		int closing = p[1] == '/';
		const char *n = p + 1 + closing, *q = n;
		while (*q && !strchr(" \t\n/>", *q))
			q++;
		size_t len = (size_t)(q - n);
		if (len == 0 || len >= 32)
			return "bad tag name";
		const char *end = q;
		char quote = 0;
		for (; *end && (quote || *end != '>'); end++) {
			if (quote && *end == '<')
				return "< in an attribute";
			if (*end == '"' || *end == '\'')
				quote = quote == *end ? 0
					: quote	      ? quote
						      : *end;
		}
		if (!*end)
			return "unterminated tag";
		if (closing) {
			if (depth == 0 || strlen(stack[depth - 1]) != len ||
			    memcmp(stack[depth - 1], n, len) != 0) {
				snprintf(why, sizeof why, "</%.*s> closes %s",
					 (int)len, n,
					 depth ? stack[depth - 1] : "nothing");
				return why;
			}
			depth--;
		} else if (end[-1] != '/') {
			if (depth == 64)
				return "too deep";
			memcpy(stack[depth], n, len);
			stack[depth++][len] = '\0';
			roots += depth == 1;
		} else {
			roots += depth == 0;
		}
		p = end;
	}
	if (depth)
		return "unclosed tag";
	return roots == 1 ? NULL : "not exactly one root element";
}

/* xmllint --noout over s when xmllint is installed; says so loudly and
 * passes when it is not. */
static void xmllint_check(const char *s)
{
	if (system("command -v xmllint >/dev/null 2>&1") != 0) {
		cr_log_warn("xmllint not found: only the built-in XML check "
			    "ran (apt-get install libxml2-utils)");
		return;
	}
	char path[] = "/tmp/svl-chart-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs(s, f);
	fclose(f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
	int rc = system(cmd);
	unlink(path);
	cr_assert_eq(rc, 0, "xmllint refused:\n%s", s);
}

static void assert_svg(const char *s)
{
	cr_assert_not_null(s);
	const char *why = xml_check(s);
	cr_assert_null(why, "%s in:\n%s", why, s);
	cr_assert(strstr(s, "role=\"img\""));
	cr_assert(strstr(s, "aria-label=\""));
	cr_assert(strstr(s, "<title>"));
	xmllint_check(s);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* "12.5" -> 125 (tenths of a pixel). */
static long dp_of(const char *s)
{
	char *end;
	long whole = strtol(s, &end, 10), tenth = 0;
	if (*end == '.')
		tenth = end[1] - '0';
	return whole * 10 + (s[0] == '-' ? -tenth : tenth);
}

/* The value of attribute name in the first tag at or after p. */
static long attr_dp(const char *p, const char *name)
{
	char key[32];
	snprintf(key, sizeof key, " %s=\"", name);
	const char *tag_end = strchr(p, '>');
	const char *a = strstr(p, key);
	cr_assert(a && a < tag_end, "no %s in %.80s", name, p);
	return dp_of(a + strlen(key));
}

/* ---- scales ------------------------------------------------------------- */

struct scale_case {
	int64_t dmin, dmax;
	int zero_based, max_ticks;
	enum svl__chart_fmt fmt;
	int64_t lo, hi, step;
	int n_ticks;
};

ParameterizedTestParameters(scale, nice_domains_and_steps)
{
	static struct scale_case cases[] = {
	    /* ordinary counts from zero */
	    {0, 87, 1, 6, SVL__CHART_COUNT, 0, 100, 20, 6},
	    /* a satisfaction share on a floored axis: step 2.5% */
	    {812, 934, 0, 7, SVL__CHART_PERMILLE, 800, 950, 25, 7},
	    /* the same forced to zero */
	    {812, 934, 1, 7, SVL__CHART_PERMILLE, 0, 1000, 200, 6},
	    /* negative and positive */
	    {-350, 1200, 1, 6, SVL__CHART_COUNT, -500, 1500, 500, 5},
	    /* all negative, from zero down */
	    {-870, -120, 1, 6, SVL__CHART_FEN, -1000, 0, 200, 6},
	    /* a single value, zero-based */
	    {500, 500, 1, 6, SVL__CHART_COUNT, 0, 500, 100, 6},
	    /* a single value on a floored axis: widened by 1.0% each way */
	    {875, 875, 0, 5, SVL__CHART_PERMILLE, 865, 885, 5, 5},
	    /* a single small value: widened, never below zero */
	    {3, 3, 0, 6, SVL__CHART_FEN, 0, 125, 25, 6},
	    /* a single negative value on a floored axis */
	    {-40, -40, 0, 6, SVL__CHART_COUNT, -41, -39, 1, 3},
	    /* all zeros: one whole unit */
	    {0, 0, 1, 6, SVL__CHART_COUNT, 0, 1, 1, 2},
	    {0, 0, 0, 6, SVL__CHART_FEN, 0, 100, 20, 6},
	    {0, 0, 1, 6, SVL__CHART_PERMILLE, 0, 10, 2, 6},
	    /* the largest amount the ledger holds, 1e12 yuan */
	    {0, SVL_FEN_MAX, 1, 6, SVL__CHART_FEN, 0, SVL_FEN_MAX,
	     SVL_FEN_MAX / 5, 6},
	    /* whole yuan: no step below 100 fen, so no two ticks read alike */
	    {0, 12345, 1, 6, SVL__CHART_YUAN, 0, 12500, 2500, 6},
	    {0, 0, 1, 6, SVL__CHART_YUAN, 0, 100, 100, 2},
	    {0, 30, 1, 6, SVL__CHART_YUAN, 0, 100, 100, 2},
	    /* the chart's own bounds */
	    {-SVL__CHART_VALUE_MAX, SVL__CHART_VALUE_MAX, 1, 3, SVL__CHART_FEN,
	     -SVL__CHART_VALUE_MAX, SVL__CHART_VALUE_MAX, SVL__CHART_VALUE_MAX,
	     3},
	};
	return cr_make_param_array(struct scale_case, cases,
				   sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct scale_case *c, scale, nice_domains_and_steps)
{
	struct svl__scale s;
	cr_assert_eq(svl__scale_make(&s, c->dmin, c->dmax, c->zero_based,
				     c->max_ticks, c->fmt, 2840, 560),
		     SVL_OK);
	cr_assert(s.lo == c->lo && s.hi == c->hi && s.step == c->step &&
		      s.n_ticks == c->n_ticks,
		  "[%lld, %lld] gave [%lld, %lld] step %lld, %d ticks; want "
		  "[%lld, %lld] step %lld, %d ticks",
		  (long long)c->dmin, (long long)c->dmax, (long long)s.lo,
		  (long long)s.hi, (long long)s.step, s.n_ticks,
		  (long long)c->lo, (long long)c->hi, (long long)c->step,
		  c->n_ticks);
	cr_assert_eq(svl__scale_px_dp(&s, s.lo), 2840);
	cr_assert_eq(svl__scale_px_dp(&s, s.hi), 560);
}

/* The nice step before step: 1, 2, 5, 10, 20, 25, 50, 100, ...; 0 before 1. */
static int64_t prev_nice_step(int64_t step)
{
	int64_t prev = 0;
	for (int64_t p = 1; p <= step; p *= 10) {
		const int64_t steps[4] = {p, 2 * p, p >= 10 ? p / 10 * 25 : 0,
					  5 * p};
		for (int i = 0; i < 4; i++) {
			if (steps[i] == step)
				return prev;
			if (steps[i])
				prev = steps[i];
		}
	}
	cr_assert_fail("%lld is not a nice step", (long long)step);
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && a < 0);
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return a / b + (a % b != 0 && a > 0);
}

/* Any domain: it holds the data, its ends are multiples of a nice step,
 * it has at most max_ticks ticks, and the next smaller nice step would
 * have needed more. */
Test(scale, random_domains_are_nice_and_minimal)
{
	uint64_t seed = svl_test_seed(), st = seed;
	for (int i = 0; i < 20000; i++) {
		int64_t span = (int64_t)1 << svl_test_below(&st, 49);
		int64_t a =
		    (int64_t)svl_test_below(&st, (uint64_t)span * 2) - span;
		int64_t b = a + (int64_t)svl_test_below(&st, (uint64_t)span);
		int zb = (int)svl_test_below(&st, 2);
		int mt = 3 + (int)svl_test_below(&st, SVL__CHART_TICKS_MAX - 2);
		struct svl__scale s;
		cr_assert_eq(svl__scale_make(&s, a, b, zb, mt, SVL__CHART_COUNT,
					     0, 1000),
			     SVL_OK, "seed %llu", (unsigned long long)seed);
		cr_assert(s.lo <= a && b <= s.hi && s.lo < s.hi, "seed %llu",
			  (unsigned long long)seed);
		cr_assert(!zb || (s.lo <= 0 && 0 <= s.hi));
		cr_assert(s.lo % s.step == 0 && s.hi % s.step == 0);
		cr_assert(s.n_ticks <= mt && s.n_ticks >= 2);
		cr_assert_eq((s.hi - s.lo) / s.step + 1, s.n_ticks);
		int64_t m = s.step;
		while (m % 10 == 0)
			m /= 10;
		cr_assert(m == 1 || m == 2 || m == 5 || m == 25,
			  "step %lld, seed %llu", (long long)s.step,
			  (unsigned long long)seed);
		int64_t p = prev_nice_step(s.step), lo = zb && a > 0 ? 0 : a,
			hi = zb && b < 0 ? 0 : b;
		if (p && lo < hi)
			cr_assert_gt(ceil_div(hi, p) - floor_div(lo, p) + 1, mt,
				     "[%lld, %lld] fits %d ticks of %lld, seed "
				     "%llu",
				     (long long)a, (long long)b, mt,
				     (long long)p, (unsigned long long)seed);
	}
}

Test(scale, refuses_misuse_and_values_beyond_the_limit)
{
	struct svl__scale s;
	cr_assert_eq(svl__scale_make(NULL, 0, 1, 1, 6, 0, 0, 10), SVL_EMISUSE);
	cr_assert_eq(svl__scale_make(&s, 2, 1, 1, 6, 0, 0, 10), SVL_EMISUSE);
	cr_assert_eq(svl__scale_make(&s, 0, 1, 1, 2, 0, 0, 10), SVL_EMISUSE);
	cr_assert_eq(
	    svl__scale_make(&s, 0, 1, 1, SVL__CHART_TICKS_MAX + 1, 0, 0, 10),
	    SVL_EMISUSE);
	cr_assert_eq(
	    svl__scale_make(&s, 0, SVL__CHART_VALUE_MAX + 1, 1, 6, 0, 0, 10),
	    SVL_ELIMIT);
	cr_assert_eq(svl__scale_make(&s, INT64_MIN, 0, 1, 6, 0, 0, 10),
		     SVL_ELIMIT);
}

/* 1e12 yuan over 2280 tenths of a pixel: the product passes 2^63, the
 * 128-bit intermediate does not. */
Test(scale, huge_amounts_map_without_overflow)
{
	struct svl__scale s;
	cr_assert_eq(svl__scale_make(&s, 0, SVL_FEN_MAX, 1, 6, SVL__CHART_FEN,
				     2840, 560),
		     SVL_OK);
	cr_assert_eq(svl__scale_px_dp(&s, SVL_FEN_MAX / 2), 1700);
	cr_assert_eq(svl__scale_px_dp(&s, SVL_FEN_MAX / 4), 2270);
	cr_assert_eq(svl__scale_px_dp(&s, SVL_FEN_MAX - 1), 560);
}

/* ---- numbers as text ---------------------------------------------------- */

Test(chart_text, values_are_written_in_their_unit)
{
	static const struct {
		enum svl__chart_fmt fmt;
		int64_t v;
		const char *want;
	} rows[] = {
	    {SVL__CHART_COUNT, 0, "0"},
	    {SVL__CHART_COUNT, 999, "999"},
	    {SVL__CHART_COUNT, 1234, "1,234"},
	    {SVL__CHART_COUNT, -1234567, "-1,234,567"},
	    {SVL__CHART_COUNT, INT64_MIN, "-9,223,372,036,854,775,808"},
	    {SVL__CHART_PERMILLE, 875, "87.5%"},
	    {SVL__CHART_PERMILLE, 1000, "100.0%"},
	    {SVL__CHART_PERMILLE, 0, "0.0%"},
	    {SVL__CHART_PERMILLE, -5, "-0.5%"},
	    {SVL__CHART_FEN, 123456, "1,234.56"},
	    {SVL__CHART_FEN, 5, "0.05"},
	    {SVL__CHART_FEN, -100, "-1.00"},
	    {SVL__CHART_FEN, SVL_FEN_MAX, "1,000,000,000,000.00"},
	    {SVL__CHART_FEN, INT64_MAX, "92,233,720,368,547,758.07"},
	    {SVL__CHART_YUAN, 123456, "1,235"},
	    {SVL__CHART_YUAN, 123449, "1,234"},
	    {SVL__CHART_YUAN, -150, "-2"},
	    {SVL__CHART_YUAN, -40, "0"},
	    {SVL__CHART_YUAN, SVL_FEN_MAX, "1,000,000,000,000"},
	};
	char buf[32];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_assert_str_eq(svl__chart_fmt_value(buf, sizeof buf,
						      rows[i].fmt, rows[i].v),
				 rows[i].want);
}

static char *escaped(const char *s, size_t max)
{
	static char out[256];
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__sbuf_put_xml(&b, s, max), SVL_OK);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	svl__sbuf_free(&b);
	return out;
}

Test(chart_text, xml_escapes_markup_controls_and_bad_utf8)
{
	cr_assert_str_eq(escaped("a&b<c>\"d'e", 100),
			 "a&amp;b&lt;c&gt;&quot;d&apos;e");
	cr_assert_str_eq(escaped("tab\there", 100), "tab\there");
	cr_assert_str_eq(escaped("bell\a", 100), "bell\xEF\xBF\xBD");
	cr_assert_str_eq(escaped("\xC3(", 100), "\xEF\xBF\xBD(");
	cr_assert_str_eq(escaped("\xED\xA0\x80", 100), /* a surrogate */
			 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	cr_assert_str_eq(escaped("\xEF\xBF\xBF", 100), /* U+FFFF */
			 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	cr_assert_str_eq(escaped("王师傅", 100), "王师傅");
	/* cut at a character, never inside one */
	cr_assert_str_eq(escaped("王师傅", 7), "王师\xE2\x80\xA6");
	cr_assert_str_eq(escaped("王师傅", 9), "王师傅");
	cr_assert_str_eq(escaped(NULL, 9), "");
}

/* The buffer stops at its limit, says so, and writes nothing more. */
Test(chart_text, buffer_refuses_to_pass_its_limit)
{
	static char chunk[1 << 20];
	memset(chunk, 'x', sizeof chunk);
	svl__sbuf b = SVL__SBUF_INIT;
	for (int i = 0; i < 3; i++)
		cr_assert_eq(svl__sbuf_put(&b, chunk, sizeof chunk), SVL_OK);
	size_t len = b.len;
	cr_assert_eq(svl__sbuf_put(&b, chunk, sizeof chunk), SVL_ELIMIT);
	cr_assert(strstr(b.errmsg, "passes"), "%s", b.errmsg);
	cr_assert_eq(svl__sbuf_printf(&b, "more"), SVL_ELIMIT);
	cr_assert_eq(b.len, len);
	svl__sbuf_free(&b);
	cr_assert_null(b.data);
	svl__sbuf_free(NULL);
}

/* ---- line charts -------------------------------------------------------- */

static const char *const weeks[] = {"2026-W43", "2026-W44", "2026-W45",
				    "2026-W46", "2026-W47", "2026-W48"};
static const int64_t first_time_fix[] = {950, 880, 900, 870, 100, 910};
static const unsigned char fix_present[] = {1, 1, 1, 1, 0, 1};

static struct svl__line_chart kpi_chart(enum svl__chart_better better)
{
	static struct svl__chart_series series[1];
	series[0] = (struct svl__chart_series){"First-time fix", first_time_fix,
					       fix_present};
	return (struct svl__line_chart){
	    .text = {"First-time fix rate by week", "share of jobs, %",
		     "ledger demo, seq 1..4,211", NULL},
	    .fmt = SVL__CHART_PERMILLE,
	    .x_labels = weeks,
	    .n_x = 6,
	    .series = series,
	    .n_series = 1,
	    .has_target = 1,
	    .target = 900,
	    .better = better,
	    .zero_based = 1,
	};
}

/* The periods of the breach marks, in order, as "1,3". */
static const char *breach_periods(const char *svg)
{
	static char out[128];
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = svg; (p = strstr(p, "class=\"breach\"")); p++) {
		const char *d = strstr(p, "data-period=\"");
		cr_assert_not_null(d);
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%ld",
				      n ? "," : "", strtol(d + 13, NULL, 10));
	}
	return out;
}

Test(line_chart, breaches_marked_on_exactly_the_breaching_points)
{
	svl__sbuf b = SVL__SBUF_INIT;
	struct svl__line_chart c = kpi_chart(SVL__BETTER_HIGHER);
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	assert_svg(b.data);
	/* 880 and 870 are below 900; 900 is on target, not a breach; the
	 * absent 100 of W47 is not drawn at all */
	cr_assert_str_eq(breach_periods(b.data), "1,3");
	cr_assert(strstr(b.data, "2 points breach the target"));
	cr_assert_eq(count(b.data, "r=\"2.5\""), 5, "a dot per present value");
	/* the gap ends the line after W46; W48, alone, is a dot */
	cr_assert_eq(count(b.data, "<polyline"), 1);
	svl__sbuf_free(&b);

	c = kpi_chart(SVL__BETTER_LOWER);
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert_str_eq(breach_periods(b.data), "0,5");
	cr_assert(strstr(b.data, "lower is better"));
	svl__sbuf_free(&b);

	c.has_target = 0;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert_str_eq(breach_periods(b.data), "");
	cr_assert_null(strstr(b.data, "class=\"target\""));
	svl__sbuf_free(&b);
}

/* The FULL plot runs from y 56 px (top) to 284 px (360 - 76); a
 * zero-based axis of [0, 1000] permille puts 90.0% at 284 - 0.9 * 228 =
 * 78.8 px. */
Test(line_chart, target_line_at_its_value)
{
	svl__sbuf b = SVL__SBUF_INIT;
	struct svl__line_chart c = kpi_chart(SVL__BETTER_HIGHER);
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	const char *t = strstr(b.data, "stroke-dasharray");
	cr_assert_not_null(t);
	while (t > b.data && strncmp(t, "<line", 5))
		t--;
	cr_assert_eq(attr_dp(t, "y1"), 788);
	cr_assert_eq(attr_dp(t, "y2"), 788);
	cr_assert_eq(attr_dp(t, "x1"), 760);
	cr_assert_eq(attr_dp(t, "x2"), 6960);
	cr_assert(strstr(b.data, ">target 90.0%</text>"));
	svl__sbuf_free(&b);

	c.target_label = "goal <90%> & up";
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert(strstr(b.data, ">goal &lt;90%&gt; &amp; up</text>"));
	assert_svg(b.data);
	svl__sbuf_free(&b);
}

/* A floored axis says where it starts and draws no zero line; a
 * zero-based one draws it and says nothing. */
Test(line_chart, floored_axis_says_so_and_has_no_zero_line)
{
	svl__sbuf b = SVL__SBUF_INIT;
	struct svl__line_chart c = kpi_chart(SVL__BETTER_HIGHER);
	c.series = &(struct svl__chart_series){"", first_time_fix, NULL};
	c.n_x = 4; /* 950, 880, 900, 870 */
	c.zero_based = 0;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert(strstr(b.data, "axis starts at 86.0%"), "%s", b.data);
	cr_assert(strstr(b.data, "The value axis starts at 86.0%, not at 0."));
	cr_assert_null(strstr(b.data, "class=\"zero\""));
	svl__sbuf_free(&b);
	c.zero_based = 1;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert_null(strstr(b.data, "axis starts"));
	cr_assert_eq(count(b.data, "class=\"zero\""), 1);
	svl__sbuf_free(&b);
}

Test(line_chart, nothing_to_draw_says_no_data)
{
	static const unsigned char none[6] = {0};
	struct svl__chart_series empty = {"x", first_time_fix, none};
	struct svl__line_chart cases[3] = {kpi_chart(0), kpi_chart(0),
					   kpi_chart(0)};
	cases[0].n_x = 0;
	cases[1].n_series = 0;
	cases[2].series = &empty;
	for (int i = 0; i < 3; i++) {
		svl__sbuf b = SVL__SBUF_INIT;
		cr_assert_eq(svl__chart_line(&b, &cases[i]), SVL_OK, "%s",
			     b.errmsg);
		assert_svg(b.data);
		cr_assert(strstr(b.data, ">No data</text>"), "case %d", i);
		cr_assert_null(strstr(b.data, "<circle"));
		svl__sbuf_free(&b);
	}
}

Test(line_chart, a_single_point_is_a_dot_without_a_line)
{
	static const char *const one_week[] = {"2026-W48"};
	static const int64_t one[] = {42};
	struct svl__chart_series s = {"Zhang Wei", one, NULL};
	struct svl__line_chart c = {
	    .text = {"Comebacks", "jobs", "demo", NULL},
	    .size = SVL__CHART_SMALL,
	    .x_labels = one_week,
	    .n_x = 1,
	    .series = &s,
	    .n_series = 1,
	    .zero_based = 1,
	};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	assert_svg(b.data);
	cr_assert(strstr(b.data, "viewBox=\"0 0 320 200\""));
	cr_assert_eq(count(b.data, "<circle cx"), 1);
	cr_assert_eq(count(b.data, "<polyline"), 0);
	/* the one point sits mid-plot: 56 + (320 - 56 - 12) / 2 px */
	cr_assert_eq(attr_dp(strstr(b.data, "<circle cx"), "cx"), 1820);
	svl__sbuf_free(&b);
}

/* Small multiples share an axis through has_domain. */
Test(line_chart, a_given_domain_widens_the_axis)
{
	static const int64_t v[] = {3, 4};
	struct svl__chart_series s = {"a", v, NULL};
	struct svl__line_chart c = {.text = {"t", "u", "s", NULL},
				    .x_labels = weeks,
				    .n_x = 2,
				    .series = &s,
				    .n_series = 1,
				    .zero_based = 1,
				    .has_domain = 1,
				    .domain_lo = 0,
				    .domain_hi = 40};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert(strstr(b.data, ">40</text>"), "%s", b.data);
	svl__sbuf_free(&b);
}

Test(line_chart, refusals_write_nothing_and_name_the_limit)
{
	static const int64_t big[] = {SVL__CHART_VALUE_MAX + 1};
	static struct svl__chart_series many[SVL__CHART_SERIES_MAX + 1];
	struct svl__line_chart c = kpi_chart(0);
	svl__sbuf b = SVL__SBUF_INIT;

	c.series = many;
	c.n_series = SVL__CHART_SERIES_MAX + 1;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_ELIMIT);
	cr_assert(strstr(b.errmsg, "8 series, limit 7"), "%s", b.errmsg);
	cr_assert_eq(b.len, 0);
	/* the failure sticks: a later chart into the same buffer is refused */
	c = kpi_chart(0);
	cr_assert_eq(svl__chart_line(&b, &c), SVL_ELIMIT);
	svl__sbuf_free(&b);

	c.series = &(struct svl__chart_series){"x", big, NULL};
	c.n_x = 1;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_ELIMIT);
	cr_assert(strstr(b.errmsg, "beyond"), "%s", b.errmsg);
	cr_assert_eq(b.len, 0);
	svl__sbuf_free(&b);

	c = kpi_chart(0);
	c.x_labels = NULL;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_EMISUSE);
	svl__sbuf_free(&b);
	cr_assert_eq(svl__chart_line(&b, NULL), SVL_EMISUSE);
	svl__sbuf_free(&b);
	cr_assert_eq(svl__chart_line(NULL, &c), SVL_EMISUSE);
}

Test(line_chart, same_input_same_bytes)
{
	static const int64_t a[] = {912, 887, 930, 901, 875, 940};
	static const int64_t z[] = {850, 905, 899, 910, 920, 870};
	struct svl__chart_series s[2] = {{"Wang & Sons", a, NULL},
					 {"李<advisor>", z, fix_present}};
	struct svl__line_chart c = kpi_chart(SVL__BETTER_HIGHER);
	c.series = s;
	c.n_series = 2;
	c.zero_based = 0;
	svl__sbuf b1 = SVL__SBUF_INIT, b2 = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_line(&b1, &c), SVL_OK, "%s", b1.errmsg);
	cr_assert_eq(svl__chart_line(&b2, &c), SVL_OK, "%s", b2.errmsg);
	cr_assert_eq(b1.len, b2.len);
	cr_assert_eq(memcmp(b1.data, b2.data, b1.len), 0);
	assert_svg(b1.data);
	cr_assert(strstr(b1.data, "class=\"legend\""));
	cr_assert(strstr(b1.data, "李&lt;advisor&gt;"));
	cr_assert_null(strstr(b1.data, "<advisor>"));
	svl__sbuf_free(&b1);
	svl__sbuf_free(&b2);
}

/* ---- bar charts --------------------------------------------------------- */

Test(bar_chart, bars_from_zero_with_their_values)
{
	static const char *const channels[] = {"phone", "walk-in", "app",
					       "12315 hotline"};
	static const int64_t n[] = {12, 7, 0, 3};
	struct svl__bar_chart c = {
	    {"Complaints by channel", "complaints", "ledger demo", NULL},
	    SVL__CHART_COUNT,
	    SVL__CHART_FULL,
	    channels,
	    n,
	    4};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_bar(&b, &c), SVL_OK, "%s", b.errmsg);
	assert_svg(b.data);
	cr_assert_eq(count(b.data, "<rect class=\"bar\""), 4);
	cr_assert(strstr(b.data, "class=\"value\">12</text>"));
	cr_assert(strstr(b.data, "class=\"zero\""));
	/* a zero bar has no height and stands on the axis (284 px) */
	const char *r = strstr(b.data, "<rect class=\"bar\"");
	for (int i = 0; i < 2; i++)
		r = strstr(r + 1, "<rect class=\"bar\"");
	cr_assert_eq(attr_dp(r, "height"), 0);
	cr_assert_eq(attr_dp(r, "y"), 2840);
	svl__sbuf_free(&b);
}

Test(bar_chart, negative_and_huge_values)
{
	static const char *const kinds[] = {"receipts", "stocktake loss"};
	static const int64_t v[] = {SVL_FEN_MAX, -SVL_FEN_MAX / 2};
	struct svl__bar_chart c = {{"Stock movements", "yuan", "demo", NULL},
				   SVL__CHART_FEN,
				   SVL__CHART_FULL,
				   kinds,
				   v,
				   2};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_bar(&b, &c), SVL_OK, "%s", b.errmsg);
	assert_svg(b.data);
	cr_assert(strstr(b.data, ">1,000,000,000,000.00</text>"));
	cr_assert(strstr(b.data, ">-500,000,000,000.00</text>"));
	svl__sbuf_free(&b);
}

Test(bar_chart, empty_and_refused)
{
	struct svl__bar_chart c = {{"Nothing", "", "", NULL}, 0, 0, NULL, NULL, 0};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_bar(&b, &c), SVL_OK, "%s", b.errmsg);
	assert_svg(b.data);
	cr_assert(strstr(b.data, "No data"));
	svl__sbuf_free(&b);
	c.n = SVL__CHART_BARS_MAX + 1;
	cr_assert_eq(svl__chart_bar(&b, &c), SVL_ELIMIT);
	cr_assert(strstr(b.errmsg, "61 bars"), "%s", b.errmsg);
	svl__sbuf_free(&b);
	c.n = 1;
	cr_assert_eq(svl__chart_bar(&b, &c), SVL_EMISUSE);
	svl__sbuf_free(&b);
}

/* ---- stacked bars ------------------------------------------------------- */

static const char *const roles[] = {"technician", "advisor", "manager",
				    "company"};
static const char *const months[] = {"2026-09", "2026-10", "2026-11"};
static const int64_t shares[] = {
    100, 100, 100, 0,	  /* thirds: rounding must still meet */
    0,	 0,   0,   0,	  /* a month without write-offs */
    50,	 25,  25,  12345, /* mostly the company */
};

/* Bar i's segment rects, bottom first: each one's top is the next one's
 * bottom, and the last one's top is the plot's top (56 px) when shares. */
Test(stack_chart, shares_meet_and_fill_the_bar)
{
	struct svl__stack_chart c = {
	    {"Write-offs: who bears them", "share", "ledger demo", NULL},
	    SVL__CHART_FEN,
	    SVL__CHART_FULL,
	    months,
	    3,
	    roles,
	    4,
	    shares,
	    1};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_stack(&b, &c), SVL_OK, "%s", b.errmsg);
	assert_svg(b.data);
	cr_assert_eq(count(b.data, "<rect class=\"bar\""), 3 + 4,
		     "zero segments are not drawn");
	const char *r = strstr(b.data, "<rect class=\"bar\"");
	long bottom = 2840;
	for (int j = 0; j < 3; j++, r = strstr(r + 1, "<rect class=\"bar\"")) {
		cr_assert_eq(attr_dp(r, "y") + attr_dp(r, "height"), bottom);
		bottom = attr_dp(r, "y");
	}
	cr_assert_eq(bottom, 560);
	cr_assert(strstr(b.data, "100.0%</text>"), "the share axis");
	cr_assert(
	    strstr(b.data, "<title>2026-09, technician: 1.00 (33.3%)</title>"));
	cr_assert(strstr(b.data, "class=\"legend\""));
	cr_assert(strstr(b.data, "class=\"value\">3.00</text>"), "the total");
	svl__sbuf_free(&b);

	c.as_share = 0;
	cr_assert_eq(svl__chart_stack(&b, &c), SVL_OK, "%s", b.errmsg);
	assert_svg(b.data);
	cr_assert(strstr(b.data, "class=\"value\">124.45</text>"));
	svl__sbuf_free(&b);
}

Test(stack_chart, a_negative_share_is_refused)
{
	static const int64_t bad[] = {10, -1};
	struct svl__stack_chart c = {
	    {"t", "u", "s", NULL}, SVL__CHART_FEN, 0, months, 1, roles, 2, bad, 0};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_stack(&b, &c), SVL_EINVAL);
	cr_assert(strstr(b.errmsg, "bar 0 segment 1 is negative"), "%s",
		  b.errmsg);
	cr_assert_eq(b.len, 0);
	svl__sbuf_free(&b);
	c.n_segments = 0;
	cr_assert_eq(svl__chart_stack(&b, &c), SVL_OK);
	cr_assert(strstr(b.data, "No data"));
	svl__sbuf_free(&b);
}

/* ---- sizes and layout --------------------------------------------------- */

/* Ten years of weeks in a small multiple: four labels at most, every
 * series drawn, the whole well within the buffer's limit. */
Test(layout, many_periods_thin_their_labels)
{
	static char names[SVL__CHART_PERIODS_MAX][16];
	static const char *labels[SVL__CHART_PERIODS_MAX];
	static int64_t v[SVL__CHART_SERIES_MAX][SVL__CHART_PERIODS_MAX];
	struct svl__chart_series s[SVL__CHART_SERIES_MAX];
	for (size_t i = 0; i < SVL__CHART_PERIODS_MAX; i++) {
		snprintf(names[i], sizeof names[i], "W%zu", i);
		labels[i] = names[i];
		for (size_t k = 0; k < SVL__CHART_SERIES_MAX; k++)
			v[k][i] = (int64_t)((i * 37 + k * 101) % 1000);
	}
	for (size_t k = 0; k < SVL__CHART_SERIES_MAX; k++)
		s[k] = (struct svl__chart_series){"advisor", v[k], NULL};
	struct svl__line_chart c = {.text = {"t", "u", "s", NULL},
				    .fmt = SVL__CHART_PERMILLE,
				    .size = SVL__CHART_SMALL,
				    .x_labels = labels,
				    .n_x = SVL__CHART_PERIODS_MAX,
				    .series = s,
				    .n_series = SVL__CHART_SERIES_MAX,
				    .has_target = 1,
				    .target = 500};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert_leq(count(b.data, "text-anchor=\"middle\">W"), 4);
	cr_assert_geq(count(b.data, "text-anchor=\"middle\">W"), 2);
	cr_assert_eq(count(b.data, "<polyline"), SVL__CHART_SERIES_MAX);
	cr_assert_eq(count(b.data, "r=\"2.5\""),
		     SVL__CHART_SERIES_MAX * SVL__CHART_PERIODS_MAX);
	cr_assert_lt(b.len, SVL__CHART_OUT_MAX / 4);
	assert_svg(b.data);
	svl__sbuf_free(&b);
}

/* Sixty bars of large amounts: every bar is drawn, a value too wide for
 * its bar is left to the bar's <title> rather than drawn over its
 * neighbours. */
Test(layout, values_too_wide_for_their_bar_are_not_drawn)
{
	static const char *labels[SVL__CHART_BARS_MAX];
	static int64_t v[SVL__CHART_BARS_MAX];
	for (size_t i = 0; i < SVL__CHART_BARS_MAX; i++) {
		labels[i] = "part";
		v[i] = (int64_t)(i + 1) * 123456789;
	}
	struct svl__bar_chart c = {
	    {"t", "u", "s", NULL},	SVL__CHART_FEN, SVL__CHART_FULL, labels, v,
	    SVL__CHART_BARS_MAX};
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_bar(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert_eq(count(b.data, "<rect class=\"bar\""), SVL__CHART_BARS_MAX);
	cr_assert_eq(count(b.data, "class=\"value\""), 0);
	cr_assert(strstr(b.data, "<title>part: 74,074,073.40</title>"));
	assert_svg(b.data);
	svl__sbuf_free(&b);
	c.n = 3; /* wide bars: the values are drawn */
	cr_assert_eq(svl__chart_bar(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert_eq(count(b.data, "class=\"value\""), 3);
	svl__sbuf_free(&b);
}

/* Markup in a title is escaped in the aria-label attribute, the <title>
 * and the heading alike. */
Test(layout, title_markup_is_escaped_everywhere)
{
	struct svl__line_chart c = kpi_chart(SVL__BETTER_HIGHER);
	c.text.title = "Q&A \"rework\" <7d> 'tyres'";
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	const char *esc =
	    "Q&amp;A &quot;rework&quot; &lt;7d&gt; &apos;tyres&apos;";
	cr_assert_eq(count(b.data, esc), 3, "%s", b.data);
	cr_assert_null(strstr(b.data, "<7d>"));
	assert_svg(b.data);
	svl__sbuf_free(&b);
}

/* No state is kept between charts: two charts written one after the
 * other are the two written alone, byte for byte. */
Test(layout, charts_keep_no_state_between_calls)
{
	struct svl__line_chart c = kpi_chart(SVL__BETTER_LOWER);
	struct svl__bar_chart bc = {{"b", "", "", NULL},  0, 0, weeks,
				    first_time_fix, 6};
	svl__sbuf both = SVL__SBUF_INIT, one = SVL__SBUF_INIT,
		  two = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_line(&both, &c), SVL_OK);
	cr_assert_eq(svl__chart_bar(&both, &bc), SVL_OK);
	cr_assert_eq(svl__chart_line(&one, &c), SVL_OK);
	cr_assert_eq(svl__chart_bar(&two, &bc), SVL_OK);
	cr_assert_eq(both.len, one.len + two.len);
	cr_assert_eq(memcmp(both.data, one.data, one.len), 0);
	cr_assert_eq(memcmp(both.data + one.len, two.data, two.len), 0);
	svl__sbuf_free(&both);
	svl__sbuf_free(&one);
	svl__sbuf_free(&two);
}

/* A chart's own words follow its texts' language: the target's label,
 * the note of an axis that starts above zero, and "No data". */
Test(chart, own_words_in_chinese)
{
	struct svl__line_chart c = kpi_chart(SVL__BETTER_HIGHER);
	c.text.lang = "zh-CN";
	c.zero_based = 0;
	svl__sbuf b = SVL__SBUF_INIT;
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK, "%s", b.errmsg);
	cr_assert(strstr(b.data, ">目标 90.0%<"), "%s", b.data);
	cr_assert(strstr(b.data, "坐标轴起于 "), "no axis note");
	cr_assert_null(strstr(b.data, ">target "));
	svl__sbuf_free(&b);
	c.text.lang = NULL; /* English by default */
	cr_assert_eq(svl__chart_line(&b, &c), SVL_OK);
	cr_assert(strstr(b.data, ">target 90.0%<"));
	cr_assert(strstr(b.data, "axis starts at "));
	svl__sbuf_free(&b);
	struct svl__bar_chart e = {{"t", "u", "s", "zh"}, 0, 0, NULL, NULL, 0};
	cr_assert_eq(svl__chart_bar(&b, &e), SVL_OK);
	cr_assert(strstr(b.data, ">暂无数据<"), "%s", b.data);
	svl__sbuf_free(&b);
}
