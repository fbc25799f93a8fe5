/*
 * test_rules_def.c - the rule-set knobs declared once (model/rules.def):
 * the defaults, the parser, the canonical form and its hash, the deciders'
 * options and the table of docs/projections.md all follow the table.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide_policy.h"
#include "svl_decide.h"
#include "svl_rules.h"

/* The canonical form of the default rule set, as every ledger written so
 * far recorded it: a knob added later must not change it (or its hash). */
static const char DEFAULT_CANON[] =
    "{\"id\":\"default\",\"timezone\":\"+08:00\",\"followup_window_days\":"
    "[1,3],\"call_windows\":[\"09:00-11:30\",\"14:00-19:00\"],"
    "\"followup_attempts_for_failure\":3,\"satisfaction_scale\":5,"
    "\"satisfaction_threshold\":4,\"comeback_window_days\":30,"
    "\"major_complaint_classes\":[\"medium\",\"severe\"],\"valuation\":"
    "\"moving_average\",\"writeoff_split_permille\":{\"company\":700,"
    "\"service_manager\":100,\"parts_manager\":100,\"warehouse_keeper\":"
    "100}}";

static void canon(const svl_rules *r, char *buf, size_t cap)
{
	size_t n = svl_rules_to_json(r, buf, cap);
	cr_assert_lt(n, cap);
}

static void parse(const char *json, svl_rules *r)
{
	char err[256];
	int rc = svl_rules_parse(json, strlen(json), r, err, sizeof err);
	cr_assert_eq(rc, SVL_OK, "%s: %s", json, err);
}

Test(rules_def, the_default_canonical_form_is_unchanged)
{
	svl_rules d;
	char buf[2048];
	svl_rules_default(&d);
	canon(&d, buf, sizeof buf);
	cr_assert_str_eq(buf, DEFAULT_CANON);
	cr_assert_eq(d.day_capacity_jobs, SVL_DECIDE_DAY_CAPACITY_DEFAULT);
	cr_assert_eq(d.tz_offset_min, SVL_DECIDE_TZ_DEFAULT_MIN);
}

Test(rules_def, an_empty_file_reads_as_the_defaults)
{
	svl_rules d, r;
	svl_rules_default(&d);
	parse("{\"id\": \"default\"}", &r);
	cr_assert_eq(memcmp(&d, &r, sizeof d), 0);
}

/* Each knob's default, written into a file, reads back as the default. */
Test(rules_def, each_knobs_default_reads_as_the_default)
{
	svl_rules d, r;
	char json[1024], a[2048], b[2048];
	svl_rules_default(&d);
	canon(&d, a, sizeof a);
#define SVL_KNOB(key, kind, field, lo, hi, canon, dflt, doc)                   \
	snprintf(json, sizeof json, "{\"id\": \"default\", \"%s\": %s}", #key,  \
		 dflt);                                                         \
	parse(json, &r);                                                       \
	cr_assert_eq(memcmp(&d, &r, sizeof d), 0, "%s", json);
#include "rules.def"
#undef SVL_KNOB
	(void)b;
}

/* A rule set with every knob away from its default survives its own
 * canonical form: the writer writes what the reader reads. */
Test(rules_def, the_canonical_form_reads_back)
{
	svl_rules r, back;
	char a[2048], b[2048];
	parse("{\"id\": \"all-moved\", \"timezone\": \"-05:30\", "
	      "\"followup_window_days\": [2, 5], \"call_windows\": "
	      "[\"08:00-10:00\"], \"followup_attempts_for_failure\": 4, "
	      "\"satisfaction_scale\": 10, \"satisfaction_threshold\": 8, "
	      "\"comeback_window_days\": 14, \"major_complaint_classes\": "
	      "[\"severe\"], \"valuation\": \"latest_cost\", "
	      "\"writeoff_split_permille\": {\"company\": 600, "
	      "\"service_manager\": 200, \"parts_manager\": 100, "
	      "\"warehouse_keeper\": 100}, \"require_signed\": "
	      "[\"pick_signed\"], \"day_capacity_jobs\": 0}",
	      &r);
	canon(&r, a, sizeof a);
	parse(a, &back);
	canon(&back, b, sizeof b);
	cr_assert_str_eq(a, b);
	cr_assert_eq(memcmp(&r, &back, sizeof r), 0);
	cr_assert(strstr(a, "\"day_capacity_jobs\":0"), "%s", a);
	cr_assert(strstr(a, "\"require_signed\":[\"pick_signed\"]"), "%s", a);
}

/* Knobs added after the first rule sets appear only when set. */
Test(rules_def, later_knobs_appear_only_when_set)
{
	svl_rules r;
	char a[2048];
	parse("{\"id\": \"x\", \"day_capacity_jobs\": 20, "
	      "\"require_signed\": []}",
	      &r);
	canon(&r, a, sizeof a);
	cr_assert_null(strstr(a, "day_capacity_jobs"), "%s", a);
	cr_assert_null(strstr(a, "require_signed"), "%s", a);
	parse("{\"id\": \"x\", \"day_capacity_jobs\": 12}", &r);
	canon(&r, a, sizeof a);
	cr_assert(strstr(a, ",\"day_capacity_jobs\":12}"), "%s", a);
}

Test(rules_def, out_of_range_and_unknown_knobs_are_named)
{
	svl_rules r;
	char err[256];
	const char *j = "{\"id\": \"x\", \"day_capacity_jobs\": -1}";
	cr_assert_eq(svl_rules_parse(j, strlen(j), &r, err, sizeof err),
		     SVL_EINVAL);
	cr_assert_str_eq(err, "day_capacity_jobs: must be 0..100000, got -1");
	j = "{\"id\": \"x\", \"day_capacity\": 3}";
	cr_assert_eq(svl_rules_parse(j, strlen(j), &r, err, sizeof err),
		     SVL_EINVAL);
	cr_assert_str_eq(err, "day_capacity: unknown key");
}

/* The public decide options stand for a rule set; their INIT is the
 * default rule set, so the two defaults cannot drift apart. */
Test(rules_def, decide_options_init_is_the_default_rule_set)
{
	svl_decide_options o = SVL_DECIDE_OPTIONS_INIT;
	svl_rules r, d;
	char a[2048], b[2048];
	svl__rules_of_options(&o, &r);
	svl_rules_default(&d);
	canon(&r, a, sizeof a);
	canon(&d, b, sizeof b);
	cr_assert_str_eq(a, b);
	o.tz_offset_min = 0;
	o.day_capacity_jobs = 7;
	o.require_signed = SVL_SIGNED_PICK;
	memset(o.wof_split_permille, 0, sizeof o.wof_split_permille);
	svl__rules_of_options(&o, &r);
	cr_assert_eq(r.tz_offset_min, 0);
	cr_assert_eq(r.day_capacity_jobs, 7);
	cr_assert_eq(r.require_signed, SVL_SIGNED_PICK);
	cr_assert_eq(r.wof_split_permille[SVL_SPLIT_COMPANY], 700,
		     "an all-zero split means the default");
}

/* The table in doc (from its header line to the first line not starting
 * with '|') equals want; if not, want goes to build/<name>.md. */
static void doc_table_is(const char *doc, const char *header,
			 const char *want, const char *name)
{
	char path[4096], line[2048], got[16384];
	snprintf(path, sizeof path, "%s", __FILE__);
	char *slash = strrchr(path, '/');
	cr_assert(slash);
	snprintf(slash, sizeof path - (size_t)(slash - path), "/../%s", doc);
	FILE *f = fopen(path, "r");
	cr_assert(f, "%s", path);
	size_t gn = 0;
	int in = 0;
	while (fgets(line, sizeof line, f)) {
		if (!in && strcmp(line, header) == 0)
			in = 1;
		if (in && line[0] != '|')
			break;
		if (in && gn + strlen(line) < sizeof got) {
			memcpy(got + gn, line, strlen(line));
			gn += strlen(line);
		}
	}
	fclose(f);
	got[gn] = 0;
	if (strcmp(got, want) != 0) {
		char out[256];
		snprintf(out, sizeof out, "build/%s.md", name);
		FILE *o = fopen(out, "w");
		if (o) {
			fputs(want, o);
			fclose(o);
		}
	}
	cr_assert_str_eq(got, want,
			 "%s: the table differs from its declaration (the "
			 "expected table is in build/%s.md)",
			 doc, name);
}

/* docs/projections.md's rule-set table is the knob table. */
Test(rules_def, the_docs_table_is_the_knob_table)
{
	char want[8192];
	size_t at = 0;
	at += (size_t)snprintf(want + at, sizeof want - at,
			       "| key | default | changes |\n|---|---|---|\n");
#define SVL_KNOB(key, kind, field, lo, hi, canon, dflt, doc)                   \
	at += (size_t)snprintf(want + at, sizeof want - at,                    \
			       "| `%s` | `%s` | %s |\n", #key, dflt, doc);
#include "rules.def"
#undef SVL_KNOB
	cr_assert_lt(at, sizeof want);
	doc_table_is("docs/projections.md", "| key | default | changes |\n",
		     want, "rules-table");
}

/* docs/rules.md's table of waivable rules is model/waivers.def. */
Test(rules_def, the_docs_table_is_the_waiver_table)
{
	char want[8192];
	size_t at = 0;
	at += (size_t)snprintf(want + at, sizeof want - at,
			       "| rule | a ledger that waives it accepts |\n"
			       "|---|---|\n");
#define SVL_WAIVER(tag, rule, doc)                                             \
	at += (size_t)snprintf(want + at, sizeof want - at, "| %s | %s |\n",   \
			       rule, doc);
#include "waivers.def"
#undef SVL_WAIVER
	cr_assert_lt(at, sizeof want);
	doc_table_is("docs/rules.md",
		     "| rule | a ledger that waives it accepts |\n", want,
		     "waivers-table");
}

Test(rules_def, only_waivable_rules_are_waived)
{
	svl_rules r;
	char err[256];
	const char *j = "{\"id\": \"x\", \"waive\": [\"R-ISS-3\"]}";
	cr_assert_eq(svl_rules_parse(j, strlen(j), &r, err, sizeof err),
		     SVL_EINVAL);
	cr_assert_str_eq(err, "waive[0]: not a waivable rule (docs/rules.md, "
			      "Waivable rules)");
	parse("{\"id\": \"x\", \"waive\": []}", &r);
	cr_assert_eq(r.waived[0] | r.waived[1], 0);
}
