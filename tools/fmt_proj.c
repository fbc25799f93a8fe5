/*
 * fmt_proj.c - the projections' state (checkpoints, digests, rule sets)
 * and what a rebuild under new rules changed, for people and machines.
 *
 * The difference lines come from the projections' own describe functions
 * ("stock P-1@A-01-02-03: value_fen 12000 -> 12100"); this file only
 * counts, caps and prints them.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

json_t *json_rules(const svl_rules *r)
{
	char buf[2048];
	size_t n = svl_rules_to_json(r, buf, sizeof buf);
	if (n >= sizeof buf)
		return NULL;
	return json_loadb(buf, n, 0, NULL);
}

int print_rebuild_report(FILE *f, const fmt_rebuild *r)
{
	static const fmt_col cols[] = {{"projection", 'l'},
				       {"keys changed", 'r'}};
	char n[FMT_NUM_SIZE], h[CLI_HEX_SIZE(16)];
	fprintf(f,
		_("rebuilt %zu projection%s from %s events under rules '%s' "
		  "(hash %s)\n"),
		r->n_proj, r->n_proj == 1 ? "" : "s",
		fmt_count(n, (int64_t)r->rep->events), r->rules->id,
		cli_hex(h, r->rules->hash, 16));
	fmt_table *t = fmt_table_new(cols, 2);
	for (size_t i = 0; i < r->n_proj; i++)
		fmt_table_add(t, r->proj[i].name,
			      fmt_count(n, (int64_t)r->changed[i]));
	int rc = fmt_table_print(t, f, 2);
	fmt_table_free(t);
	if (r->diff) {
		fputs(r->n_lines ? _("differences (live -> rebuilt):\n")
				 : _("no readable differences\n"),
		      f);
		for (size_t i = 0; i < r->n_lines; i++) {
			fputs("  ", f);
			cli_put_safe(f, r->lines[i], strlen(r->lines[i]));
			fputc('\n', f);
		}
		if (r->more)
			fprintf(f, _("  ... and %s more\n"),
				fmt_count(n, (int64_t)r->more));
		if (r->unreadable)
			fprintf(f,
				_("  (%s detail keys differ without a "
				  "readable line)\n"),
				fmt_count(n, (int64_t)r->unreadable));
	}
	if (r->rep->switched)
		fprintf(f,
			_("switched: the rebuilt projections are live, under "
			  "rules '%s'\n"),
			r->rules->id);
	else
		fputs(_("not switched: the live projections are unchanged "
			"(--switch makes the rebuilt ones live)\n"),
		      f);
	return rc || ferror(f) ? -1 : 0;
}

json_t *json_rebuild_report(const fmt_rebuild *r)
{
	char h[CLI_HEX_SIZE(16)];
	json_t *changed = json_object(), *lines = json_array();
	for (size_t i = 0; changed && i < r->n_proj; i++)
		if (json_object_set_new(
			changed, r->proj[i].name,
			json_integer((json_int_t)r->changed[i]))) {
			json_decref(changed);
			changed = NULL;
		}
	for (size_t i = 0; lines && i < r->n_lines; i++)
		if (json_array_append_new(lines, json_string(r->lines[i]))) {
			json_decref(lines);
			lines = NULL;
		}
	return json_pack(
	    "{s:I,s:s,s:s,s:o,s:o,s:I,s:I,s:b}", "events",
	    (json_int_t)r->rep->events, "rules_id", r->rules->id, "rules_hash",
	    cli_hex(h, r->rules->hash, 16), "changed", changed, "lines", lines,
	    "more_lines", (json_int_t)r->more, "unreadable",
	    (json_int_t)r->unreadable, "switched", r->rep->switched);
}

int print_projections(FILE *f, const svl_projection_info *p, size_t n)
{
	static const fmt_col cols[] = {{"projection", 'l'}, {"checkpoint", 'r'},
				       {"keys", 'r'},	    {"digest", 'l'},
				       {"rules", 'l'},	    {"rules hash", 'l'},
				       {"slot", 'l'}};
	fmt_table *t = fmt_table_new(cols, 7);
	for (size_t i = 0; i < n; i++) {
		char cp[FMT_NUM_SIZE], k[FMT_NUM_SIZE];
		char d[CLI_HEX_SIZE(16)], h[CLI_HEX_SIZE(16)];
		snprintf(cp, sizeof cp, "%llu",
			 (unsigned long long)p[i].checkpoint);
		fmt_table_add(t, p[i].name, cp,
			      fmt_count(k, (int64_t)p[i].entries),
			      cli_hex(d, p[i].digest, 16), p[i].rules_id,
			      cli_hex(h, p[i].rules_hash, 16),
			      p[i].live_slot ? "b" : "a");
	}
	int rc = fmt_table_print(t, f, 0);
	fmt_table_free(t);
	return rc;
}

json_t *json_projections(const svl_projection_info *p, size_t n,
			 const svl_rules *rules)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		char d[CLI_HEX_SIZE(16)], h[CLI_HEX_SIZE(16)];
		if (json_array_append_new(
			arr,
			json_pack("{s:s,s:I,s:I,s:s,s:s,s:s,s:s}", "name",
				  p[i].name, "checkpoint",
				  (json_int_t)p[i].checkpoint, "entries",
				  (json_int_t)p[i].entries, "digest",
				  cli_hex(d, p[i].digest, 16), "rules_id",
				  p[i].rules_id, "rules_hash",
				  cli_hex(h, p[i].rules_hash, 16), "live_slot",
				  p[i].live_slot ? "b" : "a"))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return json_pack("{s:o,s:o}", "projections", arr, "rules",
			 rules ? json_rules(rules) : json_null());
}
