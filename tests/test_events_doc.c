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

/* ---- the rules column: "refused by" means a decider refuses with it ---- */

#include <dirent.h>

/* Append every quoted "R-XXX-n" of the C sources in dir to ids. */
static void quoted_ids(const char *dir, char *ids, size_t cap)
{
	DIR *d = opendir(dir);
	cr_assert(d, "%s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "r");
		cr_assert(f, "%s", path);
		char line[1024];
		while (fgets(line, sizeof line, f))
			for (char *p = strstr(line, "\"R-"); p;
			     p = strstr(p + 1, "\"R-")) {
				size_t k = strcspn(p + 1, "\"");
				if (k < 16 && strlen(ids) + k + 3 < cap) {
					strcat(ids, " ");
					strncat(ids, p + 1, k);
					strcat(ids, " ");
				}
			}
		fclose(f);
	}
	closedir(d);
}

/* Each id a type lists before its '|' is one some decider refuses with:
 * an id the deciders never name belongs after the '|' ("recorded for"). */
Test(events_doc, refused_by_names_only_rules_a_decider_refuses_with)
{
	static char ids[1 << 16];
	char root[4096];
	snprintf(root, sizeof root, "%s", __FILE__);
	char *slash = strrchr(root, '/');
	cr_assert(slash);
	*slash = 0;
	char dir[4200];
	ids[0] = 0;
	snprintf(dir, sizeof dir, "%s/../decide", root);
	quoted_ids(dir, ids, sizeof ids);
	snprintf(dir, sizeof dir, "%s/../model", root);
	quoted_ids(dir, ids, sizeof ids);
	for (size_t i = 0; i < svl_event_type_count(); i++) {
		const svl_event_type *t = svl_event_type_at(i);
		char col[256];
		snprintf(col, sizeof col, "%.*s", (int)strcspn(t->rules, "|"),
			 t->rules);
		for (char *tok = strtok(col, " "); tok; tok = strtok(NULL, " ")) {
			char want[24];
			snprintf(want, sizeof want, " %s ", tok);
			cr_expect(strstr(ids, want) != NULL,
				  "%s lists %s as refused by its decider, but no "
				  "decider refuses with it (move it after the '|')",
				  t->name, tok);
		}
	}
}
