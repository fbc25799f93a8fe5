/*
 * test_msgcat.c - the message catalogs (model/msgcat.h): rendering stored
 * parameters into a template (positional, "%%", cut to fit, a parameter
 * missing), counting conversions, and the zh_CN refusal catalog against
 * the code: every refusal template of decide/ (every .c) (as xgettext extracts
 * them, concatenated literals joined) has a row with a non-empty
 * translation taking the same parameters, no row names a template the
 * code no longer has, and every WORD row is a word the deciders pass.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "msgcat.h"
#include "svl_events.h"

#define N(a) (sizeof a / sizeof a[0])

/* ---- render and convs ---- */

Test(msgcat, render_takes_the_parameters_in_order)
{
	const char *p[] = {"WO1", "3", "final"};
	char buf[100];
	int n = svl__msg_render("job %.*s: %lld checks, the %s one", p, 3, buf,
				sizeof buf);
	cr_assert_str_eq(buf, "job WO1: 3 checks, the final one");
	cr_assert_eq(n, (int)strlen(buf));
}

Test(msgcat, render_positional_and_percent)
{
	const char *p[] = {"WO1", "3", "final"};
	char buf[100];
	svl__msg_render("%3$s (%2$d) of %1$.*s: 100%%", p, 3, buf, sizeof buf);
	cr_assert_str_eq(buf, "final (3) of WO1: 100%");
	/* a literal precision cuts; ".0" hides an English plural */
	const char *q[] = {"2", "s", "ABCDEFGH"};
	svl__msg_render("%1$s 件%2$.0s %3$.4s", q, 3, buf, sizeof buf);
	cr_assert_str_eq(buf, "2 件 ABCD");
	const char *u[] = {"甲乙"};
	svl__msg_render("[%.4s]", u, 1, buf, sizeof buf);
	cr_assert_str_eq(buf, "[甲]", "never inside a UTF-8 character");
}

Test(msgcat, render_cuts_to_fit_and_says_what_it_needs)
{
	const char *p[] = {"WO-12345"};
	char buf[8];
	int n = svl__msg_render("job %s is late", p, 1, buf, sizeof buf);
	cr_assert_eq(n, (int)strlen("job WO-12345 is late"));
	cr_assert_str_eq(buf, "job WO-");
	cr_assert_eq(svl__msg_render("job %s", p, 1, NULL, 0), 12);
}

Test(msgcat, render_refuses_a_missing_parameter)
{
	const char *p[] = {"WO1"};
	char buf[64];
	cr_assert_eq(svl__msg_render("%s and %s", p, 1, buf, sizeof buf), -1);
	cr_assert_str_eq(buf, "WO1 and ", "what came before is kept");
	cr_assert_eq(svl__msg_render("%2$s", p, 1, buf, sizeof buf), -1);
}

Test(msgcat, convs_counts_parameters)
{
	cr_assert_eq(svl__msg_convs("no parameters, 100%%"), 0);
	cr_assert_eq(svl__msg_convs("job %.*s has %lld of %u (%c)"), 4);
	cr_assert_eq(svl__msg_convs("%2$s %1$.*s"), 2);
	cr_assert_eq(svl__msg_convs("%1$s %4$u"), 4, "the highest index");
	cr_assert_eq(svl__msg_convs("%1$s %s"), -1, "mixed forms");
	cr_assert_eq(svl__msg_convs("%-8s|%08.3f|%+d"), 3);
}

Test(msgcat, lookup_and_languages)
{
	svl__msgcat *zh = (svl__msgcat *)svl__msgcat_lib("zh_CN.UTF-8");
	cr_assert_not_null(zh);
	cr_assert_eq(svl__msgcat_lib("zh-CN"), zh);
	cr_assert_eq(svl__msgcat_lib("zh"), zh);
	cr_assert_null(svl__msgcat_lib("en_US.UTF-8"));
	cr_assert_null(svl__msgcat_lib("zhx"));
	cr_assert_null(svl__msgcat_lib(NULL));
	cr_assert_str_eq(svl__msg_tr(zh, "there is no job %.*s"),
			 "没有工单 %.*s");
	const char *unknown = "no such template %s";
	cr_assert_eq(svl__msg_tr(zh, unknown), unknown);
	cr_assert_eq(svl__msg_tr(NULL, unknown), unknown);
	char buf[64];
	svl__msgcat *w = (svl__msgcat *)svl__msgcat_lib_words("zh_CN");
	cr_assert_str_eq(svl__msg_tr_word(w, "final", buf, sizeof buf), "终检");
	cr_assert_str_eq(svl__msg_tr_word(w, "self, final", buf, sizeof buf),
			 "自检、终检");
	cr_assert_str_eq(svl__msg_tr_word(w, "WO1, final", buf, sizeof buf),
			 "WO1, final");
	/* R-ROLE-1 lists the roles that may record a type with " or " */
	cr_assert_str_eq(svl__msg_tr_word(w, "parts_manager or warehouse_keeper",
					  buf, sizeof buf),
			 "配件经理或库管员");
	cr_assert_str_eq(svl__msg_tr_word(w, "self, group or final", buf,
					  sizeof buf),
			 "自检、互检或终检");
	cr_assert_str_eq(svl__msg_tr_word(NULL, "final", buf, sizeof buf),
			 "final");
}

/* ---- the catalog against the code ---- */

static const svl__msg rows[] = {
#define MSG(id, str) {id, str},
#define WORD(id, str)
#include "msg_zh_CN.def"
#undef MSG
#undef WORD
};

static const svl__msg words[] = {
#define MSG(id, str)
#define WORD(id, str) {id, str},
#include "msg_zh_CN.def"
#undef MSG
#undef WORD
    {NULL, NULL}};

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

static int have_xgettext(void)
{
	if (system("command -v xgettext >/dev/null 2>&1") == 0)
		return 1;
	fprintf(stderr, "test_msgcat: skipped: xgettext not installed "
			"(apt-get install gettext); the catalog is NOT "
			"checked against the code\n");
	return 0;
}

typedef struct ids {
	char **v;
	size_t n;
} ids;

/* Unescape one PO string body ("...") onto out. */
static void po_append(char **out, size_t *len, const char *s)
{
	const char *q = strchr(s, '"');
	if (!q)
		return;
	for (q++; *q && *q != '"'; q++) {
		char ch = *q;
		if (ch == '\\' && q[1]) {
			q++;
			ch = *q == 'n' ? '\n' : *q == 't' ? '\t' : *q;
		}
		*out = realloc(*out, *len + 2);
		cr_assert_not_null(*out);
		(*out)[(*len)++] = ch;
		(*out)[*len] = '\0';
	}
}

/* The msgids xgettext finds with `keys` in `files` (under the root). */
static ids extract(const char *keys, const char *files)
{
	char root[4096], cmd[8192], line[4096];
	root_dir(root, sizeof root);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && xgettext --from-code=UTF-8 %s --no-wrap "
		 "--omit-header -o - %s 2>/dev/null",
		 root, keys, files);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	ids out = {NULL, 0};
	char *cur = NULL;
	size_t len = 0;
	int in_id = 0;
	while (fgets(line, sizeof line, p)) {
		if (strncmp(line, "msgid ", 6) == 0) {
			cur = calloc(1, 1);
			len = 0;
			in_id = 1;
			po_append(&cur, &len, line + 6);
		} else if (in_id && line[0] == '"') {
			po_append(&cur, &len, line);
		} else if (in_id) {
			out.v = realloc(out.v, (out.n + 1) * sizeof *out.v);
			out.v[out.n++] = cur;
			in_id = 0;
		}
	}
	cr_assert_eq(pclose(p), 0, "xgettext failed: %s", cmd);
	return out;
}

static void ids_free(ids *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i]);
	free(x->v);
}

static const svl__msg *row_of(const char *id)
{
	for (size_t k = 0; k < N(rows); k++)
		if (strcmp(rows[k].id, id) == 0)
			return &rows[k];
	return NULL;
}

/* Every template of `files` has a row, translated, taking the same
 * parameters; the problems, one a line, into report. */
static size_t check_templates(const char *files, char *report, size_t cap)
{
	ids t = extract("-k -ksvl__refuse:3", files);
	size_t bad = 0, used = strlen(report);
	cr_assert_gt(t.n, 0, "no templates in %s", files);
	for (size_t i = 0; i < t.n; i++) {
		const svl__msg *r = row_of(t.v[i]);
		const char *why =
		    !r		 ? "no row"
		    : !r->str[0] ? "no translation"
		    : svl__msg_convs(r->str) != svl__msg_convs(r->id)
			? "its parameters differ"
			: NULL;
		if (!why)
			continue;
		bad++;
		int w = snprintf(report + used, cap - used, "%s: \"%s\"\n", why,
				 t.v[i]);
		if (w > 0 && (size_t)w < cap - used)
			used += (size_t)w;
	}
	ids_free(&t);
	return bad;
}

#define FRONT                                                                  \
	"decide/decide_workshop.c decide/decide_wo.c decide/decide_front.c "   \
	"decide/decide_followup.c decide/decide_qc.c"

Test(msgcat, every_front_refusal_has_its_chinese)
{
	static char report[32768];
	if (!have_xgettext())
		cr_skip_test("skipped: xgettext not installed");
	size_t bad = check_templates(FRONT, report, sizeof report);
	cr_assert_eq(bad, 0, "%zu refusals of the front deciders:\n%s", bad,
		     report);
}

Test(msgcat, every_refusal_has_its_chinese)
{
	static char report[65536];
	if (!have_xgettext())
		cr_skip_test("skipped: xgettext not installed");
	size_t bad = check_templates("decide/*.c", report, sizeof report);
	cr_assert_eq(bad, 0, "%zu refusals:\n%s", bad, report);
}

Test(msgcat, every_row_is_a_template_of_the_code)
{
	if (!have_xgettext())
		cr_skip_test("skipped: xgettext not installed");
	ids t = extract("-k -ksvl__refuse:3", "decide/*.c");
	for (size_t k = 0; k < N(rows); k++) {
		size_t i = 0;
		while (i < t.n && strcmp(t.v[i], rows[k].id) != 0)
			i++;
		cr_expect_lt(i, t.n, "no refusal of decide/*.c is \"%s\"",
			     rows[k].id);
		for (size_t j = k + 1; j < N(rows); j++)
			cr_expect_str_neq(rows[k].id, rows[j].id,
					  "two rows of \"%s\"", rows[k].id);
	}
	ids_free(&t);
}

Test(msgcat, every_word_is_one_the_deciders_pass)
{
	if (!have_xgettext())
		cr_skip_test("skipped: xgettext not installed");
	ids all = extract("-a", "decide/*.c");
	for (size_t k = 0; words[k].id; k++) {
		size_t i = 0;
		while (i < all.n && strcmp(all.v[i], words[k].id) != 0)
			i++;
		/* a role, or an enum value a decider passes on as recorded */
		int value = svl_role_find(words[k].id, strlen(words[k].id)) >= 0 ||
			    svl_test_enum_value(words[k].id);
		cr_expect(i < all.n || value,
			  "\"%s\" is neither a string of decide/*.c nor a "
			  "catalog value",
			  words[k].id);
		cr_expect(words[k].str[0], "\"%s\" has no translation",
			  words[k].id);
		cr_expect_eq(svl__msg_convs(words[k].str), 0,
			     "the word \"%s\" takes no parameter", words[k].id);
	}
	ids_free(&all);
}
