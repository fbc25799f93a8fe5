/*
 * test_cli_lang.c - the tool in Chinese: LANG=zh_CN.UTF-8 or --lang zh-CN
 * (before or after the command) gives the Chinese headers of stock-card
 * and work-orders, lined up by display width (a CJK character is two
 * columns); --lang en wins over the environment; --help lists the
 * commands' summaries in Chinese; the suite's own runs stay English
 * whatever the developer's locale. And every row of the tool's catalog
 * (tools/msg_zh_CN.def) takes the same parameters, of the same types, as
 * its English format, since the tool hands translations to printf.
 * Every command's --help in Chinese leaves no English prose: only the
 * usage synopsis, the option names and the example stay as printed; and
 * the one-line summaries of head, verify and check speak Chinese.
 * And the catalog is complete: every text of the tool that goes through
 * it (every cli_error format, every _() string, the texts handed to a
 * translating helper and every table header, as tests/tool_msgs.sh
 * extracts them with xgettext) has a row taking the same parameters; the
 * log's header lines up in Chinese; a failed verify names what failed in
 * Chinese.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_fixture.h"
#include "fmt.h"
#include "fmt_figures.h"
#include "msgcat.h"

#define last svl_cli_last
#define run svl_cli_run

static void setup(void)
{
	svl_cli_setup();
	svl_cli_stock_ledger("S");
	svl_cli_jobs_ledger("J");
}

static void teardown(void)
{
	unsetenv("SVL_CLI_LANG");
	svl_cli_teardown();
}

TestSuite(cli_lang, .init = setup, .fini = teardown);

/* ---- columns by display width ---- */

#define TOKS_MAX 32

/* A cell of a printed line: display columns [from, to). */
typedef struct tok {
	size_t from, to;
	char text[96];
} tok;

/* The cells of one line: runs of text apart by two spaces or more. */
static size_t cells(const char *line, size_t len, tok *out)
{
	size_t n = 0, col = 0, spaces = 0;
	tok *cur = NULL;
	for (size_t i = 0; i < len;) {
		size_t k = 1;
		while (i + k < len &&
		       ((unsigned char)line[i + k] & 0xc0) == 0x80)
			k++;
		char ch[8] = {0};
		memcpy(ch, line + i, k < sizeof ch ? k : sizeof ch - 1);
		size_t w = fmt_width(ch);
		if (line[i] == ' ') {
			spaces++;
			if (spaces == 2)
				cur = NULL;
		} else {
			if (!cur) {
				cr_assert_lt(n, TOKS_MAX);
				cur = &out[n++];
				cur->from = col;
				cur->text[0] = '\0';
			} else if (spaces == 1) {
				strncat(cur->text, " ",
					sizeof cur->text - strlen(cur->text) -
					    1);
			}
			strncat(cur->text, ch,
				sizeof cur->text - strlen(cur->text) - 1);
			cur->to = col + w;
			spaces = 0;
		}
		col += w;
		i += k;
	}
	return n;
}

/* The line of text that starts with head (after spaces), and the lines
 * after it up to a blank line or the end. */
static const char *table_at(const char *text, const char *head)
{
	for (const char *p = text; p && *p;) {
		const char *q = p;
		while (*q == ' ')
			q++;
		if (strncmp(q, head, strlen(head)) == 0)
			return p;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

/*
 * The table starting at `table` is lined up: every header cell but the
 * right-aligned ones (`right`, cells by header text) starts at the column
 * where some row has a cell starting, and every right-aligned one ends
 * where some row has a cell ending; and there is at least one row.
 */
static void assert_aligned(const char *table, const char *const *right)
{
	cr_assert_not_null(table);
	const char *eol = strchr(table, '\n');
	tok head[TOKS_MAX];
	size_t nh = cells(table, (size_t)(eol - table), head);
	cr_assert_gt(nh, 1);
	tok rows[16][TOKS_MAX];
	size_t nr = 0, nc[16];
	for (const char *p = eol + 1; *p && *p != '\n' && nr < 16; nr++) {
		const char *e = strchr(p, '\n');
		nc[nr] = cells(p, (size_t)(e - p), rows[nr]);
		p = e + 1;
	}
	cr_assert_gt(nr, 0, "no rows under %.*s", (int)(eol - table), table);
	for (size_t h = 0; h < nh; h++) {
		int r_align = 0, found = 0;
		for (size_t k = 0; right[k]; k++)
			r_align |= strcmp(right[k], head[h].text) == 0;
		for (size_t r = 0; r < nr && !found; r++)
			for (size_t c = 0; c < nc[r] && !found; c++)
				found = r_align
					    ? rows[r][c].to == head[h].to
					    : rows[r][c].from == head[h].from;
		cr_assert(found,
			  "header '%s' (columns %zu..%zu) is over no "
			  "value:\n%s",
			  head[h].text, head[h].from, head[h].to, table);
	}
}

static const char *const card_right[] = {"序号", "入",	 "出", "结存",
					 "单价", "金额", NULL};
static const char *const wo_right[] = {"合计", NULL};

static void assert_card_zh(const char *out)
{
	cr_assert(svl_cli_has(out, "库存卡 90915-YZZD4，库位 W1-A03-2-05"),
		  "%s", out);
	cr_assert(svl_cli_has(out, "  库存  "), "%s", out);
	assert_aligned(table_at(out, "序号  日期"), card_right);
}

static void assert_orders_zh(const char *out)
{
	cr_assert(strncmp(out, "工单  ", strlen("工单  ")) == 0, "%s", out);
	cr_assert(svl_cli_has(out, "服务顾问"), "%s", out);
	assert_aligned(out, wo_right);
}

/* ---- the language ---- */

Test(cli_lang, lang_env_speaks_chinese)
{
	setenv("SVL_CLI_LANG", "zh_CN.UTF-8", 1);
	cr_assert_eq(run("stock-card -d S 90915-YZZD4"), 0, "%s", last.err);
	assert_card_zh(last.out);
	cr_assert_eq(run("work-orders -d J"), 0, "%s", last.err);
	assert_orders_zh(last.out);
}

Test(cli_lang, lang_option_before_or_after_the_command)
{
	cr_assert_eq(run("--lang zh-CN stock-card -d S 90915-YZZD4"), 0, "%s",
		     last.err);
	assert_card_zh(last.out);
	cr_assert_eq(run("work-orders -d J --lang=zh-CN"), 0, "%s", last.err);
	assert_orders_zh(last.out);
}

Test(cli_lang, lang_en_wins_over_the_environment)
{
	setenv("SVL_CLI_LANG", "zh_CN.UTF-8", 1);
	cr_assert_eq(run("--lang en work-orders -d J"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, "work order  state", 17) == 0, "%s",
		  last.out);
	cr_assert_eq(run("stock-card -d S 90915-YZZD4 --lang en"), 0, "%s",
		     last.err);
	cr_assert(strncmp(last.out, "stock card 90915-YZZD4 at ", 26) == 0,
		  "%s", last.out);
}

Test(cli_lang, suite_runs_english_whatever_the_locale)
{
	/* the developer's shell: the fixture must not pass it on */
	setenv("LANGUAGE", "zh_CN", 1);
	setenv("LC_ALL", "zh_CN.UTF-8", 1);
	setenv("LANG", "zh_CN.UTF-8", 1);
	int code = run("work-orders -d J");
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LANG");
	cr_assert_eq(code, 0, "%s", last.err);
	cr_assert(strncmp(last.out, "work order  state", 17) == 0, "%s",
		  last.out);
}

Test(cli_lang, help_lists_the_summaries_in_chinese)
{
	setenv("SVL_CLI_LANG", "zh_CN.UTF-8", 1);
	cr_assert_eq(run("--help"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "\n  stock-card   一个零件的卡片帐"),
		  "%s", last.out);
	cr_assert(svl_cli_has(last.out, "\n  work-orders  按状态"), "%s",
		  last.out);
	cr_assert_eq(run("--lang en --help"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "\n  work-order   one job from booking "
					"to follow-up\n"),
		  "%s", last.out);
}

Test(cli_lang, json_stays_english)
{
	cr_assert_eq(run("--lang zh-CN stock-cards -d S --json"), 0, "%s",
		     last.err);
	cr_assert(svl_cli_has(last.out, "{\"asof\":\"now\","), "%s", last.out);
	cr_assert_eq(run("--lang zh-CN work-orders -d J --json"), 0, "%s",
		     last.err);
	cr_assert(!svl_cli_has(last.out, "工单"), "%s", last.out);
}

Test(cli_lang, common_errors_in_chinese)
{
	cr_assert_eq(run("--lang zh-CN stock-cards -d nowhere"), 2);
	cr_assert(svl_cli_has(last.err, "svcledger: stock-cards: nowhere: "
					"这里没有账本"),
		  "%s", last.err);
	cr_assert_eq(run("--lang zh-CN work-orders -d J --bogus"), 1);
	cr_assert(svl_cli_has(last.err, "未知选项 '--bogus'"), "%s", last.err);
	cr_assert_eq(run("--lang"), 1);
}

Test(cli_lang, summaries_in_chinese)
{
	cr_assert_eq(run("--lang zh-CN head -d S"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, "最新序号 ", strlen("最新序号 ")) == 0,
		  "%s", last.out);
	cr_assert_eq(run("--lang zh-CN verify -d S"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, "OK：", strlen("OK：")) == 0, "%s",
		  last.out);
	cr_assert(svl_cli_has(last.out, "\n账本中的封存：无；"), "%s",
		  last.out);
	cr_assert_eq(run("--lang zh-CN check -d S"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "OK：每个投影都等于对日志的折叠（"),
		  "%s", last.out);
	cr_assert_eq(run("verify -d S"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, "OK: ", 4) == 0, "%s", last.out);
}

/* ---- the catalog ---- */

/* The type of each parameter of a printf format, by position: length
 * modifier and letter ("lld", "zu", "s"; "%.*s" is "*s"), written into
 * types[k] for parameter k (sequential or %n$). Returns the count, -1
 * when a template mixes the two kinds. */
static int conv_types(const char *t, char types[][8], int max)
{
	int seq = 0, top = 0, pos_used = 0;
	for (const char *s = t; *s; s++) {
		if (*s != '%')
			continue;
		if (s[1] == '%') {
			s++;
			continue;
		}
		const char *p = s + 1;
		int pos = 0;
		const char *d = p;
		while (*d >= '0' && *d <= '9')
			pos = pos * 10 + (*d++ - '0');
		if (pos && *d == '$')
			p = d + 1;
		else
			pos = 0;
		char ty[8] = {0};
		size_t n = 0;
		for (; *p && strchr("-+ #0123456789.*", *p); p++)
			if (*p == '*' && n < 7)
				ty[n++] = '*';
		for (; *p && strchr("hlLqjzt", *p); p++)
			if (n < 7)
				ty[n++] = *p;
		if (*p && n < 7)
			ty[n++] = *p;
		int k = pos ? pos - 1 : seq++;
		pos_used |= pos != 0;
		if (k >= max)
			return -1;
		memcpy(types[k], ty, sizeof ty);
		top = k + 1 > top ? k + 1 : top;
		s = *p ? p : p - 1;
	}
	return seq && pos_used ? -1 : top;
}

Test(cli_lang, every_translation_takes_the_same_parameters)
{
	size_t n;
	const struct svl__msg *rows = cli_msgs(&n);
	cr_assert_gt(n, 100);
	for (size_t i = 0; i < n; i++) {
		const char *en = rows[i].id, *zh = rows[i].str;
		cr_assert(zh[0], "no translation of '%s'", en);
		cr_assert_eq(svl__msg_convs(zh), svl__msg_convs(en),
			     "'%s' -> '%s': parameters differ", en, zh);
		char te[16][8], tz[16][8];
		memset(te, 0, sizeof te);
		memset(tz, 0, sizeof tz);
		int ne = conv_types(en, te, 16), nz = conv_types(zh, tz, 16);
		cr_assert_eq(ne, nz, "'%s' -> '%s'", en, zh);
		for (int k = 0; k < ne; k++) {
			/* "%.0s" swallows an English plural "s": both take
			 * a string */
			cr_assert_str_eq(tz[k], te[k],
					 "'%s' -> '%s': parameter %d", en, zh,
					 k + 1);
		}
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(rows[j].id, en, "'%s' twice", en);
	}
}

/* A table header in Chinese measures two columns a character. */
Test(cli_lang, chinese_headers_measure_two_columns)
{
	cr_assert_eq(fmt_width("服务顾问"), 8);
	cr_assert_eq(fmt_width("last seq"), 8);
	cr_assert_eq(fmt_width("（无库位）"), 10);
}

/* ---- every command's help ---- */

static const char *const commands[] = {
#define SVL_CLI_COMMAND(name, fn, summary) name,
#include "commands.h"
#undef SVL_CLI_COMMAND
};

/* Whether s[0..n) holds a byte outside ASCII (a Chinese character). */
static int has_cjk(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* Whether the line [p, p + n) is one of the lines of text. */
static int has_line(const char *text, const char *p, size_t n)
{
	for (const char *l = text; *l;) {
		const char *e = strchr(l, '\n');
		size_t k = e ? (size_t)(e - l) : strlen(l);
		if (k == n && memcmp(l, p, n) == 0)
			return 1;
		l += k + (e != NULL);
	}
	return 0;
}

/*
 * The Chinese help of one command, up to its example: the first line is
 * the usage (translated "usage:", synopsis as printed) and the lines that
 * go on with it start with spaces and '['; the description has Chinese
 * in it; every option line's help is Chinese; and no other line is one
 * of the English help's lines (a description or option help left in
 * English).
 */
static void assert_help_zh(const char *name, const char *en, char *zh)
{
	char usage[64];
	snprintf(usage, sizeof usage, "用法：svcledger %s ", name);
	cr_assert(strncmp(zh, usage, strlen(usage)) == 0, "%s", zh);
	char *ex = strstr(zh, "\n示例：\n");
	if (ex)
		*ex = '\0';
	const char *about = strstr(zh, "\n\n");
	const char *opts = strstr(zh, "\n\n选项：\n");
	cr_assert(about && opts && about < opts, "%s: %s", name, zh);
	cr_assert(has_cjk(about, (size_t)(opts - about)),
		  "%s: the description is not translated:%.*s", name,
		  (int)(opts - about), about);
	const char *l = strchr(zh, '\n') + 1;
	while (*l) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		size_t sp = strspn(l, " ");
		int synopsis = l < about && sp > 0 && l[sp] == '[';
		int option = l > opts && l[0] == ' ' && l[sp] == '-';
		if (option)
			cr_assert(has_cjk(l, n),
				  "%s: option help in English: %.*s", name,
				  (int)n, l);
		else if (n && !synopsis)
			cr_assert(!has_line(en, l, n),
				  "%s: English left in the Chinese help: %.*s",
				  name, (int)n, l);
		l += n + (e != NULL);
	}
}

Test(cli_lang, every_command_help_in_chinese)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		cr_assert_eq(run("%s --help", commands[i]), 0, "%s: %s",
			     commands[i], last.err);
		static char en[32768];
		cr_assert_lt(strlen(last.out), sizeof en);
		strcpy(en, last.out);
		cr_assert_eq(run("--lang zh-CN %s --help", commands[i]), 0,
			     "%s: %s", commands[i], last.err);
		assert_help_zh(commands[i], en, last.out);
	}
}

/* ---- the catalog is complete ---- */

/* The repository's root, from this file's path. */
static void root_dir(char *out, size_t cap)
{
	snprintf(out, cap, "%s", __FILE__);
	char *slash = strrchr(out, '/');
	if (slash)
		snprintf(slash, cap - (size_t)(slash - out), "/..");
	else
		snprintf(out, cap, ".");
}

/* Unescape one PO string ("...", C escapes) onto out[*len], cap bytes. */
static void po_unquote(char *out, size_t *len, size_t cap, const char *s)
{
	const char *q = strchr(s, '"');
	if (!q)
		return;
	for (q++; *q && *q != '"' && *len + 1 < cap; q++) {
		char ch = *q;
		if (ch == '\\' && q[1]) {
			q++;
			ch = *q == 'n' ? '\n' : *q == 't' ? '\t' : *q;
		}
		out[(*len)++] = ch;
	}
	out[*len] = '\0';
}

/* Whether a text needs a translation: words in it, not only conversions,
 * punctuation and ids ("%s: %s", "%", "R-ISS-5"). */
static int has_words(const char *t)
{
	for (const char *s = t; *s; s++) {
		if (*s == '%') {
			s += strspn(s + 1, "0123456789$-+ #.*hlLqjzt") + 1;
			if (!*s)
				break;
			continue;
		}
		if (*s >= 'a' && *s <= 'z' && s[1] >= 'a' && s[1] <= 'z')
			return 1;
	}
	return 0;
}

/* The row of the tool's catalog for english, or NULL. */
static const svl__msg *row_of(const char *english)
{
	size_t n;
	const svl__msg *rows = cli_msgs(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].id, english) == 0)
			return &rows[i];
	return NULL;
}

/* Check one extracted text: a row, the same parameters. */
static void check_text(const char *en, size_t *texts, size_t *missing)
{
	if (!en[0] || !has_words(en))
		return;
	(*texts)++;
	const svl__msg *r = row_of(en);
	if (!r) {
		fprintf(stderr,
			"test_cli_lang: no row in tools/msg_zh_CN.def "
			"for \"%s\"\n",
			en);
		(*missing)++;
		return;
	}
	cr_expect_eq(svl__msg_convs(r->str), svl__msg_convs(en),
		     "'%s' -> '%s': parameters differ", en, r->str);
}

Test(cli_lang, every_text_of_the_tool_has_a_row)
{
	if (system("command -v xgettext >/dev/null 2>&1") != 0) {
		fprintf(stderr, "***** test_cli_lang: skipped: xgettext not "
				"installed (apt-get install gettext); the "
				"tool's catalog is NOT checked for "
				"completeness *****\n");
		cr_skip_test("skipped: xgettext not installed");
	}
	char root[4096], cmd[2 * sizeof root + 64], line[4096];
	root_dir(root, sizeof root);
	snprintf(cmd, sizeof cmd, "sh '%s/tests/tool_msgs.sh' '%s' 2>/dev/null",
		 root, root);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	static char cur[16384];
	size_t len = 0, texts = 0, missing = 0, ids = 0;
	int in_id = 0;
	while (fgets(line, sizeof line, p)) {
		if (in_id && line[0] == '"') {
			po_unquote(cur, &len, sizeof cur, line);
			continue;
		}
		if (in_id)
			check_text(cur, &texts, &missing);
		in_id = strncmp(line, "msgid ", 6) == 0;
		if (in_id) {
			ids++;
			len = 0;
			cur[0] = '\0';
			po_unquote(cur, &len, sizeof cur, line + 6);
		}
	}
	if (in_id)
		check_text(cur, &texts, &missing);
	cr_assert_eq(pclose(p), 0, "tests/tool_msgs.sh failed");
	/* the extraction works: the formats and headers are there */
	cr_assert_gt(ids, 400, "only %zu texts extracted", ids);
	fprintf(stderr,
		"test_cli_lang: %zu texts of the tool checked against "
		"tools/msg_zh_CN.def\n",
		texts);
	cr_assert_eq(missing, 0, "%zu texts have no Chinese row (listed above)",
		     missing);
}

/* ---- the log's header and a failed verify ---- */

Test(cli_lang, log_header_lines_up_in_chinese)
{
	/* English: as the fixed-width printf always printed it */
	char want[256];
	snprintf(want, sizeof want, "%10s  %-24s  %-22s  %-24s  %-22s  %6s\n",
		 "seq", "recorded (UTC)", "stream@version", "type",
		 "actor/role", "bytes");
	cr_assert_eq(run("log -d S --limit 3"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, want, strlen(want)) == 0, "%s\n%s", want,
		  last.out);
	cr_assert_eq(run("--lang zh-CN log -d S --limit 3"), 0, "%s", last.err);
	static const char *const right[] = {"序号", "字节", NULL};
	assert_aligned(table_at(last.out, "序号  记录时间"), right);
}

/* The texts the tool takes from the library or the catalog and shows as
 * words: the departments and the reasons a customer was lost (column
 * headers and cells of figures), the complaints' severities, and what a
 * failed verify found. */
Test(cli_lang, shown_names_have_rows)
{
	for (int d = 0; d < SVL_FIGURES_DEPTS; d++)
		cr_expect_not_null(row_of(fmt_fig_dept_name(d)), "%s",
				   fmt_fig_dept_name(d));
	for (int k = 0; k < SVL_FIGURES_LOST_REASONS; k++)
		cr_expect_not_null(row_of(fmt_fig_lost_reason_name(k)), "%s",
				   fmt_fig_lost_reason_name(k));
	for (int k = 0; k < SVL_CMP_SEVERITY__COUNT; k++)
		cr_expect_not_null(row_of(fmt_fig_severity_name(k)), "%s",
				   fmt_fig_severity_name(k));
	for (int p = SVL_VERIFY_HASH_MISMATCH; p <= SVL_VERIFY_NO_HEAD; p++) {
		const char *name =
		    svl_verify_problem_name((enum svl_verify_problem)p);
		cr_expect_not_null(row_of(name), "%s", name);
	}
}

/* Change every copy of a payload key in the ledger's file (as
 * tests/test_cli.c does), so the records differ from their hashes. */
static void tamper(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s/data.mdb", svl_cli_dir(), dir);
	FILE *f = fopen(path, "r+b");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	char *buf = malloc((size_t)n);
	cr_assert_not_null(buf);
	fseek(f, 0, SEEK_SET);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	int changed = 0;
	for (char *p = buf;
	     (p = memmem(p, (size_t)(buf + n - p), "qty_milli", 9));
	     p += 9, changed++)
		p[8] = 'j';
	fseek(f, 0, SEEK_SET);
	cr_assert_eq(fwrite(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	free(buf);
	cr_assert_gt(changed, 0);
}

Test(cli_lang, verify_failure_in_chinese)
{
	tamper("S");
	cr_assert_eq(run("--lang zh-CN verify -d S"), 4, "%s", last.err);
	cr_assert(svl_cli_has(last.err,
			      "svcledger: verify: 失败，在序号 12：哈希不符："),
		  "%s", last.err);
	cr_assert_eq(run("verify -d S"), 4, "%s", last.err);
	cr_assert(svl_cli_has(last.err, "svcledger: verify: FAILED at seq 12: "
					"hash mismatch: "),
		  "%s", last.err);
}
