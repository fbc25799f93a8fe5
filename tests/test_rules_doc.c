/*
 * test_rules_doc.c - docs/rules.md accounts for every rule of the seed:
 * each of the 61 rule ids of domain.md has exactly one row in the section
 * "The rules, where they are enforced, and their tests", which says how
 * the rule is kept:
 *   enforced      a decider refuses what breaks it: the row names the
 *                 tests (refusing and accepting cases) that exist
 *   computed      a figure measures it: the row names the test that
 *                 works the figure out by hand
 *   out of scope  neither, and the row says why
 * ("enforced, computed" for both). A test named in a row that no file of
 * tests/ defines fails here, so the page cannot claim tests that went
 * away.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* domain.md's rule ids, in its order (they are stable and never reused) */
static const char *const rule_ids[] = {
    "R-BKG-1", "R-BKG-2", "R-BKG-3", "R-BKG-4", "R-BKG-5", "R-BKG-6",
    "R-BKG-7", "R-BKG-8", "R-REC-1", "R-REC-2", "R-REC-3", "R-INS-1",
    "R-INS-2", "R-QUO-1", "R-QUO-2", "R-QUO-3", "R-WO-1",  "R-WO-2",
    "R-WO-3",  "R-WO-4",  "R-WO-5",  "R-QC-1",	"R-QC-2",  "R-QC-3",
    "R-SET-1", "R-SET-2", "R-FU-1",  "R-FU-2",	"R-FU-3",  "R-FU-4",
    "R-FU-5",  "R-FU-6",  "R-FU-7",  "R-FU-8",	"R-CMP-1", "R-CMP-2",
    "R-CMP-3", "R-CMP-4", "R-CMP-5", "R-PLN-1", "R-PUR-1", "R-RCV-1",
    "R-RCV-2", "R-RCV-3", "R-BIN-1", "R-BIN-2", "R-BIN-3", "R-ISS-1",
    "R-ISS-2", "R-ISS-3", "R-ISS-4", "R-ISS-5", "R-OLD-1", "R-STK-1",
    "R-STK-2", "R-WOF-1", "R-WOF-2", "R-WOF-3", "R-WOF-4", "R-WOF-5",
    "R-WOF-6",
};
#define N_RULES (sizeof rule_ids / sizeof rule_ids[0])

static const char section[] =
    "## The rules, where they are enforced, and their tests\n";

/* The repository's root, from this file's path. */
static void root_path(char *out, size_t cap, const char *rel)
{
	char here[4096];
	snprintf(here, sizeof here, "%s", __FILE__);
	char *slash = strrchr(here, '/');
	cr_assert(slash);
	*slash = '\0';
	snprintf(out, cap, "%s/../%s", here, rel);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	cr_assert(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Every tests/ source, concatenated (the haystack for test names). */
static char *all_tests(void)
{
	char dir[4096];
	root_path(dir, sizeof dir, "tests");
	DIR *d = opendir(dir);
	cr_assert(d, "%s", dir);
	size_t len = 0;
	char *all = calloc(1, 1);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 3 || (strcmp(e->d_name + n - 2, ".c") &&
			      strcmp(e->d_name + n - 2, ".h") &&
			      (n < 4 || strcmp(e->d_name + n - 3, ".sh"))))
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *s = slurp(path);
		size_t sn = strlen(s);
		all = realloc(all, len + sn + n + 4);
		cr_assert(all);
		/* the file's own name counts: a row may name a test file */
		memcpy(all + len, e->d_name, n);
		all[len + n] = '\n';
		memcpy(all + len + n + 1, s, sn + 1);
		len += n + 1 + sn;
		free(s);
	}
	closedir(d);
	return all;
}

/* `name` appears in hay as a whole word (identifier or file name). */
static int has_word(const char *hay, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(hay, name); p; p = strstr(p + 1, name)) {
		char before = p == hay ? ' ' : p[-1];
		char after = p[n];
		int word = (before != '_' && !(before >= 'a' && before <= 'z') &&
			    !(before >= 'A' && before <= 'Z') &&
			    !(before >= '0' && before <= '9')) &&
			   (after != '_' && !(after >= 'a' && after <= 'z') &&
			    !(after >= 'A' && after <= 'Z') &&
			    !(after >= '0' && after <= '9'));
		if (word)
			return 1;
	}
	return 0;
}

/* Split a table row "| a | b | c |" into trimmed cells; returns the count.
 * A cell may hold "\|" (an escaped bar). */
static size_t cells(char *row, char **out, size_t cap)
{
	size_t n = 0;
	char *p = row;
	cr_assert_eq(*p, '|');
	p++;
	while (*p && *p != '\n' && n < cap) {
		char *start = p;
		while (*p && *p != '\n' && !(*p == '|' && p[-1] != '\\'))
			p++;
		if (*p != '|')
			break;
		*p = '\0';
		while (*start == ' ')
			start++;
		char *end = p;
		while (end > start && end[-1] == ' ')
			*--end = '\0';
		out[n++] = start;
		p++;
	}
	return n;
}

/* The backticked tokens of a cell that look like test names or files. */
static void check_tests_named(const char *id, const char *cell,
			      const char *tests, int *named)
{
	const char *p = cell;
	while ((p = strchr(p, '`'))) {
		const char *q = strchr(p + 1, '`');
		cr_assert(q, "%s: unbalanced ` in its tests cell", id);
		char name[256];
		size_t n = (size_t)(q - p - 1);
		cr_assert_lt(n, sizeof name, "%s: test name too long", id);
		memcpy(name, p + 1, n);
		name[n] = '\0';
		/* "suite::test", or "suite::*" for every test of a suite */
		char *colons = strstr(name, "::");
		if (colons && strcmp(colons, "::*") == 0) {
			char suite[300];
			*colons = '\0';
			snprintf(suite, sizeof suite, "Test(%s,", name);
			cr_assert(strstr(tests, suite),
				  "%s: docs/rules.md names the tests of suite "
				  "`%s`, which has none",
				  id, name);
			(*named)++;
			p = q + 1;
			continue;
		}
		if (colons)
			memmove(name, colons + 2, strlen(colons + 2) + 1);
		cr_assert(has_word(tests, name),
			  "%s: docs/rules.md names test `%s`, which no file "
			  "of tests/ defines",
			  id, name);
		(*named)++;
		p = q + 1;
	}
}

Test(rules_doc, every_rule_of_the_seed_is_enforced_computed_or_out_of_scope)
{
	char path[4096];
	root_path(path, sizeof path, "docs/rules.md");
	char *doc = slurp(path);
	char *tests = all_tests();
	char *sec = strstr(doc, section);
	cr_assert(sec, "docs/rules.md has no section %s", section);
	sec += strlen(section);
	char *end = strstr(sec, "\n## ");
	if (end)
		end[1] = '\0';
	int seen[N_RULES] = {0};
	int headers = 0;
	for (char *line = sec; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, "| rule |", 8) == 0) {
			char *c[8];
			cr_assert_eq(cells(line, c, 8), 5, "table header: %s",
				     line);
			cr_assert_str_eq(c[1], "kept as", "%s", line);
			headers++;
		} else if (strncmp(line, "| R-", 4) == 0) {
			char *c[8];
			size_t n = cells(line, c, 8);
			cr_assert_eq(n, 5, "row with %zu cells (escape a bar "
					   "inside a cell as \\|): %s",
				     n, line);
			size_t k = 0;
			while (k < N_RULES && strcmp(rule_ids[k], c[0]))
				k++;
			cr_assert_lt(k, N_RULES, "%s is not a rule of the seed",
				     c[0]);
			cr_assert_eq(seen[k], 0, "%s has two rows", c[0]);
			seen[k] = 1;
			const char *how = c[1];
			int enforced = !strcmp(how, "enforced") ||
				       !strcmp(how, "enforced, computed");
			int computed = !strcmp(how, "computed") ||
				       !strcmp(how, "enforced, computed");
			int out = !strcmp(how, "out of scope");
			cr_assert(enforced || computed || out,
				  "%s: kept as '%s'; say enforced, computed, "
				  "enforced, computed, or out of scope",
				  c[0], how);
			cr_assert(strlen(c[2]) > 10, "%s: say what is kept, or "
						     "why it is out of scope",
				  c[0]);
			int named = 0;
			check_tests_named(c[0], c[4], tests, &named);
			if (enforced || computed)
				cr_assert_gt(named, 0,
					     "%s is %s but its row names no "
					     "test",
					     c[0], how);
		}
		line = nl ? nl + 1 : NULL;
	}
	cr_assert_gt(headers, 0, "no table with a 'kept as' column");
	for (size_t k = 0; k < N_RULES; k++)
		cr_assert(seen[k], "%s has no row in docs/rules.md", rule_ids[k]);
	free(tests);
	free(doc);
}
