/*
 * test_refusals_doc.c - docs/refusals.md, the refusal catalog in both
 * languages, is the catalog of model/msg_zh_CN.def: every English
 * template the deciders refuse with beside its Chinese. The test writes
 * the page from the catalog into build/refusals.md and fails when the
 * checked-in page differs (cp build/refusals.md docs/refusals.md).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
	const char *id, *str;
} row;

static const row rows[] = {
#define MSG(id, str) {id, str},
#define WORD(id, str)
#include "msg_zh_CN.def"
#undef MSG
#undef WORD
};

static const row words[] = {
#define MSG(id, str)
#define WORD(id, str) {id, str},
#include "msg_zh_CN.def"
#undef MSG
#undef WORD
    {NULL, NULL}};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *b = malloc((size_t)n + 1);
	cr_assert(b);
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	return b;
}

/* A table cell: '|' escaped, the conversions shown as code. */
static void cell(FILE *f, const char *s)
{
	fputc('`', f);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '`')
			fputc('\'', f);
		else
			fputc(*s, f);
	}
	fputc('`', f);
}

Test(refusals_doc, docs_refusals_md_is_the_catalog)
{
	FILE *f = fopen("build/refusals.md", "wb");
	cr_assert_not_null(f, "cannot write build/refusals.md (run from the "
			      "repository root)");
	fputs("# Refusals in English and Chinese\n\n"
	      "Every message a decider refuses with, as the library renders it "
	      "in English\nand in the department's Chinese "
	      "(`svl_refusal_text`, `svcledger --lang\nzh-CN`); each "
	      "conversion (`%s`, `%.*s`, `%lld`, `%2$s`...) is one of the\n"
	      "refusal's parameters (`svl_refusal_last`). The rendered text "
	      "starts with the\nrule id (\"R-ISS-3: \"). Generated from "
	      "`model/msg_zh_CN.def` by\n`tests/test_refusals_doc.c`; the "
	      "terms follow docs/glossary.md, the rules\ndocs/rules.md.\n\n"
	      "| English | 中文 |\n|---|---|\n",
	      f);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		fputs("| ", f);
		cell(f, rows[i].id);
		fputs(" | ", f);
		cell(f, rows[i].str);
		fputs(" |\n", f);
	}
	fputs("\n## Words passed as parameters\n\n"
	      "Fixed English words a decider passes into a message (a role, a "
	      "check,\na state); in Chinese they are shown translated, a list "
	      "item by item\n(\", \" becomes \"、\", \" or \" becomes "
	      "\"或\").\n\n| English | 中文 |\n|---|---|\n",
	      f);
	for (size_t i = 0; words[i].id; i++) {
		fputs("| ", f);
		cell(f, words[i].id);
		fputs(" | ", f);
		cell(f, words[i].str);
		fputs(" |\n", f);
	}
	cr_assert_eq(fclose(f), 0);
	char *fresh = slurp("build/refusals.md");
	char *doc = slurp("docs/refusals.md");
	cr_assert_not_null(fresh);
	cr_assert(doc && strcmp(doc, fresh) == 0,
		  "docs/refusals.md is not the catalog: cp build/refusals.md "
		  "docs/refusals.md");
	free(fresh);
	free(doc);
}
