/*
 * test_cli_jobs.c - `svcledger work-order` and `work-orders` on the
 * fixture's jobs ledger: WO-1 (advisor E005) booked 07-01, delivered on
 * time 07-02, followed up and closed 07-04; WO-2 (advisor E006), a
 * walk-in of 07-03 delivered four hours late and not called yet; both by
 * technician E021.
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

TestSuite(cli_jobs, .init = setup, .fini = svl_cli_teardown);

Test(cli_jobs, work_order_shows_the_job_stage_by_stage)
{
	cr_assert_eq(run("work-order -d L WO-1"), 0, "%s", last.err);
	const char *o = last.out;
	cr_assert(strncmp(o, "work order WO-1: closed since 2026-07-04 10:00 "
			     "(13 transitions; times UTC+08:00)\n",
			  81) == 0,
		  "%s", o);
	cr_assert(svl_cli_has(o, "advisor E005, technician E021; due "
				 "1,280.00"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "  delivered        2026-07-02 15:30  "
				 "promised 2026-07-02 17:00, on time: yes\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "passed/failed: self 1/0, group 1/0, final "
				 "1/0; reworks 0"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "1 attempt, reached"), "%s", o);
	cr_assert(svl_cli_has(o, "\n  transitions\n"), "%s", o);
	cr_assert(svl_cli_has(o, "  2026-07-02 15:30  delivered\n"), "%s", o);
}

Test(cli_jobs, work_order_json_has_every_field)
{
	cr_assert_eq(run("work-order -d L WO-2 --json"), 0, "%s", last.err);
	json_t *v = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(v, "state")),
			 "delivered");
	cr_assert_str_eq(json_string_value(json_object_get(v, "advisor_id")),
			 "E006");
	cr_assert(json_is_false(json_object_get(v, "on_time")));
	cr_assert_eq(json_integer_value(json_object_get(v, "total_fen")),
		     50000);
	cr_assert_eq(json_integer_value(json_object_get(v, "labor_min")), 300);
	cr_assert_str_eq(json_string_value(json_object_get(v, "fu_result")),
			 "none");
	cr_assert_str_eq(json_string_value(json_object_get(v,
							   "job_kind_name")),
			 "repair");
	json_t *t = json_object_get(v, "transitions_list");
	cr_assert_gt(json_array_size(t), 3);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(t, json_array_size(t) - 1),
				 "state")),
			 "delivered");
	json_decref(v);
}

/* the ids a list printed, in order, joined by spaces */
static void ids(char *out, size_t cap)
{
	json_t *v = svl_cli_json();
	json_t *arr = json_object_get(v, "work_orders");
	size_t i;
	json_t *w;
	out[0] = '\0';
	json_array_foreach(arr, i, w)
	{
		if (i)
			strncat(out, " ", cap - strlen(out) - 1);
		strncat(out, json_string_value(json_object_get(w, "wo_id")),
			cap - strlen(out) - 1);
	}
	cr_assert_eq(json_integer_value(json_object_get(v, "count")),
		     (json_int_t)json_array_size(arr));
	json_decref(v);
}

/* work-orders with args lists exactly the ids in want */
static void lists(const char *args, const char *want)
{
	char got[256];
	cr_assert_eq(run("work-orders -d L --json %s", args), 0, "%s: %s",
		     args, last.err);
	ids(got, sizeof got);
	cr_assert_str_eq(got, want, "%s", args);
}

Test(cli_jobs, lists_filter_by_state_people_and_dates)
{
	cr_assert_eq(run("work-orders -d L"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, "work order  state", 17) == 0, "%s",
		  last.out);
	cr_assert(svl_cli_has(last.out, "\n2 work orders\n"), "%s", last.out);
	cr_assert(svl_cli_has(last.out, "late"), "%s", last.out);
	static const struct {
		const char *args, *want;
	} cases[] = {
		{"", "WO-1 WO-2"},
		{"--state delivered", "WO-2"},
		{"--state closed", "WO-1"},
		{"--advisor E006", "WO-2"},
		{"--technician E021", "WO-1 WO-2"},
		{"--technician E999", ""},
		{"--from 2026-07-03", "WO-2"},
		{"--to 2026-07-02", "WO-1"},
		{"--from 2026-07-03 --delivered", "WO-2"},
		{"--to 2026-07-02 --delivered --advisor E005", "WO-1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		lists(cases[i].args, cases[i].want);
}

/* --limit prints one page and the cursor of the next; the customer and
 * plate filters are exact (docs/cli.md shows this page). */
Test(cli_jobs, a_page_at_a_time_and_a_vehicles_jobs)
{
	cr_assert_eq(run("work-orders -d L --limit 1"), 0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "\nWO-1 "), "%s", last.out);
	cr_assert(!svl_cli_has(last.out, "\nWO-2 "), "%s", last.out);
	cr_assert(svl_cli_has(last.out,
			      "\n1 of 2 work orders; next page: --after WO-1\n"),
		  "%s", last.out);
	lists("--limit 1 --after WO-1", "WO-2");
	lists("--plate B-67890", "WO-2");
	lists("--customer C-1", "WO-1");
	lists("--customer C-404", "");
	cr_assert_eq(run("work-orders -d L --limit lots"), 1);
	cr_assert(svl_cli_has(last.err, "--limit: 'lots'"), "%s", last.err);
}

/* --from/--to take every form of the one time dialect: before, a
 * date-time with an offset needed seconds. */
Test(cli_jobs, from_and_to_in_every_form_of_the_time_dialect)
{
	static const struct {
		const char *args, *want;
	} cases[] = {
		{"--from 2026-07-02T16:00Z", "WO-2"},
		{"--from 2026-07-01T00:00+08:00", "WO-1 WO-2"},
		{"--to '2026-07-02 23:59'", "WO-1"},
		{"--to 2026-07-02T16:00Z", "WO-1"},
		{"--from 2026-07-03T00:00 --to 2026-07-03", "WO-2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		lists(cases[i].args, cases[i].want);
}

Test(cli_jobs, bad_input_and_unknown_jobs)
{
	cr_assert_eq(run("work-order -d L WO-9"), 2);
	cr_assert_str_eq(last.err, "svcledger: work-order: no work order WO-9 "
				   "(no event names it)\n");
	cr_assert_str_eq(last.out, "");
	cr_assert_eq(run("work-order -d L --json"), 0, "no ID: the list");
	json_t *v = svl_cli_json();
	cr_assert_eq(json_integer_value(json_object_get(v, "count")), 2);
	json_decref(v);
	cr_assert_eq(run("work-order -d L WO-1 WO-2"), 1);
	cr_assert_eq(run("work-orders -d L --state finished"), 1);
	cr_assert(svl_cli_has(last.err, "--state: no state 'finished'"));
	cr_assert_eq(run("work-orders -d L --delivered"), 1);
	cr_assert_eq(run("work-orders -d L --from 2026-07-05 --to "
			 "2026-07-01"),
		     1);
	cr_assert_eq(run("work-orders -d L --from someday"), 1);
	cr_assert_eq(run("work-orders -d nowhere"), 2);
}
