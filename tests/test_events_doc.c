/*
 * test_events_doc.c - docs/events.md is generated from the catalog; this
 * test regenerates it into build/events.md and fails when the checked-in
 * file differs, telling how to refresh it. It also checks the page names
 * every type, field and enum value.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "svl_events.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, f);
	fclose(f);
	buf[got] = '\0';
	*len = got;
	return buf;
}

Test(events_doc, docs_events_md_is_up_to_date)
{
	mkdir("build", 0755);
	FILE *f = fopen("build/events.md", "wb");
	cr_assert_not_null(f, "cannot write build/events.md (run from the "
			      "repository root)");
	cr_assert_eq(svl_events_doc_markdown(f), SVL_OK);
	cr_assert_eq(fclose(f), 0);
	size_t n_new, n_old;
	char *fresh = slurp("build/events.md", &n_new);
	char *old = slurp("docs/events.md", &n_old);
	cr_assert_not_null(fresh);
	cr_assert_not_null(old, "docs/events.md is missing: "
				"cp build/events.md docs/events.md");
	cr_assert(n_new == n_old && !memcmp(fresh, old, n_new),
		  "docs/events.md is out of date with events/catalog.def: "
		  "cp build/events.md docs/events.md");
	free(fresh);
	free(old);
}

Test(events_doc, names_every_type_field_and_enum_value)
{
	char *buf;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	cr_assert_eq(svl_events_doc_markdown(f), SVL_OK);
	fclose(f);
	char want[160];
	for (size_t k = 0; k < svl_event_type_count(); k++) {
		const svl_event_type *t = svl_event_type_at(k);
		snprintf(want, sizeof want, "### %u `%s` (v%u)", t->id, t->name,
			 t->version);
		cr_assert(strstr(buf, want), "missing %s", want);
		for (uint32_t j = 0; j < t->n_fields; j++) {
			const svl_field_def *fd = &t->fields[j];
			snprintf(want, sizeof want, "| `%s` |", fd->name);
			cr_assert(strstr(buf, want), "%s: missing %s", t->name,
				  want);
			if (fd->kind == SVL_KIND_ENUM)
				for (uint32_t v = 0; v < fd->enum_def->n; v++) {
					snprintf(want, sizeof want, "| `%s` |",
						 fd->enum_def->values[v]);
					cr_assert(strstr(buf, want), "%s",
						  want);
				}
		}
	}
	cr_assert(strstr(buf, "upcaster v1 -> v2"));
	cr_assert(strstr(buf, "`part-<part_no>`"));
	cr_assert_eq(svl_events_doc_markdown(NULL), SVL_EMISUSE);
	free(buf);
}
