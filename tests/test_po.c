/*
 * test_po.c - the GNU gettext files made from the catalogs (tools/po.sh):
 * zh_CN.po passes `msgfmt --check` with every entry translated and none
 * fuzzy, the conversions of each translation checked against its English
 * ("#, c-format"); svcledger.pot holds the same entries untranslated;
 * and a translation whose conversion differs makes msgfmt fail. Without
 * msgfmt (the gettext package) the tests say so and are skipped.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"
#include "fixture.h"

static char root[4096];
static char *dir;

static void setup(void)
{
	snprintf(root, sizeof root, "%s", __FILE__);
	char *slash = strrchr(root, '/');
	if (slash)
		snprintf(slash, sizeof root - (size_t)(slash - root), "/..");
	else
		snprintf(root, sizeof root, ".");
	dir = svl_test_mkdtemp();
	cr_assert_not_null(dir);
}

static void teardown(void)
{
	svl_test_rmdir(dir);
	dir = NULL;
}

TestSuite(po, .init = setup, .fini = teardown);

static void need_msgfmt(void)
{
	if (system("command -v msgfmt >/dev/null 2>&1") == 0)
		return;
	fprintf(stderr, "***** test_po skipped: msgfmt not found (apt-get "
			"install gettext) *****\n");
	cr_skip_test("skipped: msgfmt not found");
}

/* Run a shell command; its exit status and stdout + stderr into out. */
static int sh(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int sh(char *out, size_t cap, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void generate(void)
{
	char out[4096];
	cr_assert_eq(sh(out, sizeof out, "sh '%s/tools/po.sh' '%s'", root, dir),
		     0, "tools/po.sh failed: %s", out);
}

/* The first number of msgfmt's statistics line before `what`, or -1. */
static long stat_of(const char *out, const char *what)
{
	const char *p = strstr(out, what);
	if (!p)
		return -1;
	while (p > out && p[-1] == ' ')
		p--;
	while (p > out && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return strtol(p, NULL, 10);
}

Test(po, every_entry_translated_none_fuzzy_formats_checked)
{
	need_msgfmt();
	generate();
	char out[8192];
	int rc = sh(out, sizeof out,
		    "cd '%s' && msgfmt --check --statistics -o zh_CN.mo "
		    "zh_CN.po",
		    dir);
	cr_assert_eq(rc, 0, "msgfmt --check failed:\n%s", out);
	size_t n;
	cli_msgs(&n);
	cr_assert_gt(stat_of(out, " translated message"), (long)n, "%s", out);
	cr_assert(!strstr(out, "untranslated"), "%s", out);
	cr_assert(!strstr(out, "fuzzy"), "%s", out);
}

Test(po, pot_holds_the_same_entries_untranslated)
{
	need_msgfmt();
	generate();
	char po[8192], pot[8192];
	cr_assert_eq(sh(po, sizeof po,
			"cd '%s' && msgfmt --statistics -o /dev/null zh_CN.po",
			dir),
		     0, "%s", po);
	cr_assert_eq(sh(pot, sizeof pot,
			"cd '%s' && msgfmt --statistics -o /dev/null "
			"svcledger.pot",
			dir),
		     0, "%s", pot);
	cr_assert_eq(stat_of(pot, " untranslated message"),
		     stat_of(po, " translated message"), "%s\n%s", po, pot);
	cr_assert_eq(stat_of(pot, " translated message"), 0, "%s", pot);
}

/* A translation taking another type than its English fails the build. */
Test(po, a_mismatched_conversion_fails_msgfmt)
{
	need_msgfmt();
	generate();
	char out[8192];
	cr_assert_eq(sh(out, sizeof out,
			"cd '%s' && grep -q '^\"用法：svcledger %%s %%s' "
			"zh_CN.po && sed 's/^\"用法：svcledger %%s %%s/"
			"\"用法：svcledger %%d %%s/' zh_CN.po > bad.po",
			dir),
		     0, "%s", out);
	int rc = sh(out, sizeof out,
		    "cd '%s' && msgfmt --check -o /dev/null bad.po", dir);
	cr_assert_neq(rc, 0, "msgfmt took a mismatched conversion");
	cr_assert(strstr(out, "format"), "%s", out);
}
