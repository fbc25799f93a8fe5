/*
 * test_cli_metrics.c - `svcledger metrics` on the fixture's jobs ledger:
 * WO-1 (advisor E005) delivered on time on 07-02 and reached on its
 * follow-up call with a 5; WO-2 (advisor E006) delivered late on 07-03,
 * not called yet. So July has 2 jobs, follow-up coverage 50% (below the
 * 100% target, R-FU-1), success 100% (R-FU-2), no major complaint
 * (R-CMP-5), on time 50%.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

static void setup(void)
{
	svl_cli_setup();
	svl_cli_jobs_ledger("L");
}

TestSuite(cli_metrics, .init = setup, .fini = svl_cli_teardown);

static json_int_t num(json_t *o, const char *group, const char *name)
{
	return json_integer_value(
		json_object_get(json_object_get(o, group), name));
}

Test(cli_metrics, month_table_with_targets_marked)
{
	cr_assert_eq(run("metrics -d L --period month"), 0, "%s", last.err);
	const char *o = last.out;
	cr_assert(strncmp(o, "period", 6) == 0, "%s", o);
	cr_assert(svl_cli_has(o, "f-up coverage") &&
		  svl_cli_has(o, "major cmp") && svl_cli_has(o, "on time"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "\n2026-07 "), "%s", o);
	cr_assert(svl_cli_has(o, "50.0% below"), "coverage: %s", o);
	cr_assert(svl_cli_has(o, "100.0% ok"), "success: %s", o);
	cr_assert(svl_cli_has(o, "0.0% ok"), "complaints: %s", o);
	cr_assert(svl_cli_has(o, "targets (domain.md section 4)"), "%s", o);
}

Test(cli_metrics, by_advisor_per_day_in_json)
{
	cr_assert_eq(run("metrics -d L --period day --by advisor --json"), 0,
		     "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(v, "period")),
			 "day");
	cr_assert_str_eq(json_string_value(json_object_get(v, "by")),
			 "advisor");
	json_t *rows = json_object_get(v, "rows");
	cr_assert_eq(json_array_size(rows), 2, "%s", last.out);
	json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1);
	cr_assert_str_eq(json_string_value(json_object_get(r0, "label")),
			 "2026-07-02");
	cr_assert_str_eq(json_string_value(json_object_get(r0, "key")), "E005");
	cr_assert_eq(num(r0, "ratios", "fu_coverage_permille"), 1000);
	cr_assert(json_is_true(json_object_get(
		json_object_get(json_object_get(r0, "ratios"), "targets_met"),
		"fu_coverage")));
	cr_assert_str_eq(json_string_value(json_object_get(r1, "key")), "E006");
	cr_assert_eq(num(r1, "ratios", "fu_coverage_permille"), 0);
	cr_assert(json_is_null(json_object_get(json_object_get(r1, "ratios"),
					       "fu_success_permille")),
		  "no follow-up closed: no ratio");
	json_t *total = json_object_get(v, "total");
	cr_assert_eq(num(total, "counters", "delivered"), 2);
	cr_assert_eq(num(total, "ratios", "fu_coverage_permille"), 500);
	cr_assert_eq(num(total, "ratios", "on_time_permille"), 500);
	json_decref(v);
}

Test(cli_metrics, date_range_and_empty_ranges)
{
	cr_assert_eq(run("metrics -d L --period day --from 2026-07-03 --to "
			 "2026-07-03 --json"),
		     0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(json_array_size(json_object_get(v, "rows")), 1);
	cr_assert_eq(num(json_object_get(v, "total"), "counters", "delivered"),
		     1);
	json_decref(v);
	cr_assert_eq(run("metrics -d L --period week --from 2026-08-01"), 0);
	cr_assert_str_eq(last.out, "no jobs delivered in that range\n");
}

/* --from/--to take every form of the one time dialect: a local
 * date-time, a space for the T, an offset without seconds. */
Test(cli_metrics, from_and_to_in_every_form_of_the_time_dialect)
{
	static const char *const ranges[] = {
	    "--from 2026-07-03T00:00 --to '2026-07-03 23:59'",
	    "--from 2026-07-02T16:00Z --to 2026-07-03T23:59:59.999+08:00",
	    "--from 2026-07-03 --to 1783094400000",
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		cr_assert_eq(run("metrics -d L --period day --json %s",
				 ranges[i]),
			     0, "%s: %s", ranges[i], last.err);
		json_t *v = svl_cli_json();
		json_t *rows = json_object_get(v, "rows");
		cr_assert_eq(json_array_size(rows), 1, "%s", ranges[i]);
		cr_assert_str_eq(json_string_value(json_object_get(
				     json_array_get(rows, 0), "label")),
				 "2026-07-03", "%s", ranges[i]);
		json_decref(v);
	}
}

Test(cli_metrics, bad_arguments_exit_1)
{
	cr_assert_eq(run("metrics -d L"), 1);
	cr_assert(svl_cli_has(last.err, "--period day|week|month is required"));
	cr_assert_eq(run("metrics -d L --period year"), 1);
	cr_assert_str_eq(last.err, "svcledger: metrics: --period: 'year' is "
				   "not one of day, week, month\n");
	cr_assert_eq(run("metrics -d L --period day --by boss"), 1);
	cr_assert_eq(run("metrics -d L --period day --from 2026-07-05 --to "
			 "2026-07-01"),
		     1);
	cr_assert_eq(run("metrics -d nowhere --period day"), 2);
}
