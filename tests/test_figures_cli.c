/*
 * test_figures_cli.c - the after-care sections of `svcledger figures`
 * (R-FU-7, R-FU-8, R-BKG-7) on a small July built with `append
 * --roles-only` (who may record each event is checked; the steps' order
 * is the deciders' tests' business):
 *
 *   WO-1  reached 07-02 10:00, score 2, problem "brakes squeal" named
 *         workshop.
 *   WO-2  refused 07-02 11:00 (failed, R-FU-5); customer C-2 lost to a
 *         competitor 11:05.
 *   WO-3  no answer 07-03 09:00, 14:00, 18:00: failed (R-FU-4).
 *   July: 5 calls, reached 1, failed 2: 1/3 = 33.3%, below 80%; 1
 *   problem (workshop); satisfaction workshop 2.00 (1 answer).
 *   CMP-1 opened 07-04 10:00, medium (major), plan workshop due 07-06
 *         18:00, resolved 07-07 10:00 (late), closed confirmed 07-08.
 *   WO-4  flagged with a warranty warning at reception 07-05 09:00,
 *         never handed off: pending. WO-5 flagged 10:00, handed off
 *         10:10 as a claims case by E004.
 *   WO-5  quoted 07-05 11:00 for 07-06 12:00; the delay to 07-07 12:00
 *         told 07-06 13:00, after the promise passed (R-BKG-8: late).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

#define EV(type, actor, role, at, payload)                                     \
	"{\"type\":\"" type "\",\"actor\":\"" actor "\",\"role\":\"" role      \
	"\",\"occurred_at\":\"2026-07-" at ":00+08:00\",\"payload\":{" payload \
	"}}\n"
#define STAFF(id, role)                                                        \
	EV("staff_role_assigned", "E001", "service_manager", "01T08:00",       \
	   "\"staff_id\":\"" id "\",\"role\":\"" role "\",\"from_at_ms\":"     \
	   "1782835200000")
#define CS(type, at, payload) EV(type, "E020", "customer_service", at, payload)
#define CALL(wo, at, ms, rest)                                                 \
	CS("followup_attempted", at,                                           \
	   "\"wo_id\":\"" wo "\",\"called_at_ms\":" ms rest)
#define RECEIVE(wo, at)                                                        \
	EV("vehicle_received", "E005", "service_advisor", at,                  \
	   "\"wo_id\":\"" wo "\",\"customer_id\":\"C-1\",\"plate\":\"B-1\","   \
	   "\"job_kind\":\"warranty\",\"mileage_km\":1000,\"fuel_pct\":50,"    \
	   "\"covers_laid\":3,\"first_visit\":false,\"fault_description\":"    \
	   "\"noise\",\"customer_confirmed\":true,\"warranty_warning\":true")

/* clang-format off */
static const char staff[] =
	STAFF("E000", "general_manager")
	STAFF("E004", "front_desk_supervisor");

static const char july[] =
	CALL("WO-1", "02T10:00", "1782957600000", ",\"outcome\":\"reached\","
	     "\"satisfaction_score\":2,\"quality_issue\":\"brakes squeal\","
	     "\"department\":\"workshop\"")
	CALL("WO-2", "02T11:00", "1782961200000", ",\"outcome\":\"refused\"")
	CS("customer_lost", "02T11:05", "\"customer_id\":\"C-2\",\"reason\":"
	   "\"competitor\",\"wo_id\":\"WO-2\"")
	CALL("WO-3", "03T09:00", "1783040400000", ",\"outcome\":\"no_answer\"")
	CALL("WO-3", "03T14:00", "1783058400000", ",\"outcome\":\"no_answer\"")
	CALL("WO-3", "03T18:00", "1783072800000", ",\"outcome\":\"no_answer\"")
	CS("complaint_opened", "04T10:00", "\"cmp_id\":\"CMP-1\",\"wo_id\":"
	   "\"WO-1\",\"channel\":\"phone\",\"description\":\"squeal\"")
	EV("complaint_classified", "E004", "front_desk_supervisor", "04T11:00",
	   "\"cmp_id\":\"CMP-1\",\"severity\":\"medium\"")
	EV("complaint_plan_approved", "E000", "general_manager", "04T15:00",
	   "\"cmp_id\":\"CMP-1\",\"department\":\"workshop\","
	   "\"deadline_at_ms\":1783332000000,\"plan\":\"re-inspect\","
	   "\"customer_agreed\":true")
	RECEIVE("WO-4", "05T09:00")
	RECEIVE("WO-5", "05T10:00")
	EV("warning_handed_off", "E004", "front_desk_supervisor", "05T10:10",
	   "\"wo_id\":\"WO-5\",\"outcome\":\"claims_case\"")
	EV("quote_issued", "E005", "service_advisor", "05T11:00",
	   "\"wo_id\":\"WO-5\",\"labor\":[],\"parts\":[],\"total_fen\":0,"
	   "\"promised_at_ms\":1783310400000,\"customer_agreed\":true")
	EV("delay_notified", "E005", "service_advisor", "06T13:00",
	   "\"wo_id\":\"WO-5\",\"new_ready_at_ms\":1783396800000,"
	   "\"reason\":\"parts late\",\"customer_agreed\":true")
	EV("complaint_resolved", "E001", "service_manager", "07T10:00",
	   "\"cmp_id\":\"CMP-1\",\"resolution\":\"shim fitted\"")
	CS("complaint_closed", "08T10:00", "\"cmp_id\":\"CMP-1\","
	   "\"customer_confirmed\":true");
/* clang-format on */

static void setup(void)
{
	svl_cli_setup();
	cr_assert_eq(run("init -d L"), 0, "%s", last.err);
	svl_cli_write("staff.ndjson", svl_cli_staff);
	svl_cli_write("more.ndjson", staff);
	svl_cli_write("july.ndjson", july);
	cr_assert_eq(run("append -d L staff.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L more.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L --roles-only july.ndjson"), 0, "%s",
		     last.err);
}

TestSuite(figures_cli, .init = setup, .fini = svl_cli_teardown);

/* The line starting with `label` after `heading`. */
static const char *row_after(const char *out, const char *heading,
			     const char *label)
{
	char want[32];
	const char *h = strstr(out, heading);
	cr_assert_not_null(h, "no %s in:\n%s", heading, out);
	snprintf(want, sizeof want, "\n%s ", label);
	const char *p = strstr(h, want);
	cr_assert_not_null(p, "no row %s in:\n%s", label, h);
	return p + 1;
}

/* The words of a line, each separated by one or more spaces. */
static int line_is(const char *row, const char *words)
{
	char got[512];
	size_t n = 0;
	for (const char *p = row; *p && *p != '\n' && n + 1 < sizeof got; p++)
		if (*p != ' ' || (n && got[n - 1] != ' '))
			got[n++] = *p;
	got[n] = '\0';
	return strcmp(got, words) == 0;
}

Test(figures_cli, after_care_table_by_hand_R_FU_7_R_FU_8_R_BKG_7)
{
	cr_assert_eq(run("figures -d L --period month"), 0, "%s", last.err);
	const char *o = last.out;
	const char *jul = row_after(o, "\nafter-care per month", "2026-07");
	cr_assert(line_is(jul, "2026-07 5 1 2 33.3% below 1 1 1 1 0 1 1 1 2 "
			       "1 1"),
		  "%s", jul);
	cr_assert(svl_cli_has(o, "targets: follow-up success >= 80% (R-FU-2)"),
		  "%s", o);
	const char *dep = row_after(
	    o, "R-FU-7, quality problems found in follow-ups per", "2026-07");
	cr_assert(line_is(dep, "2026-07 0 1 0 0 0 0"), "%s", dep);
	const char *sat =
	    row_after(o, "R-FU-8, satisfaction per department", "2026-07");
	cr_assert(line_is(sat, "2026-07 - 2.00 (1) - - - -"), "%s", sat);
	const char *lost =
	    row_after(o, "R-FU-8, lost customers by reason", "2026-07");
	cr_assert(line_is(lost, "2026-07 0 0 0 0 0 1 0 1"), "%s", lost);
}

Test(figures_cli, after_care_lists_R_FU_7_R_FU_8_R_BKG_7)
{
	cr_assert_eq(run("figures -d L --period day"), 0, "%s", last.err);
	const char *o = last.out;
	const char *p = row_after(o,
				  "R-FU-7, quality problems found in "
				  "follow-up calls",
				  "  2026-07-02");
	cr_assert(line_is(p, "2026-07-02 2026-07-02 10:00 WO-1 workshop E020 "
			     "brakes squeal"),
		  "%s", p);
	const char *c =
	    row_after(o, "R-FU-8, complaints opened", "  2026-07-04");
	cr_assert(line_is(c, "2026-07-04 CMP-1 WO-1 2026-07-04 10:00 medium * "
			     "workshop 2026-07-06 18:00 2026-07-07 10:00 "
			     "2026-07-08 10:00 yes late"),
		  "%s", c);
	const char *l =
	    row_after(o, "R-FU-8, lost customers: 1", "  2026-07-02");
	cr_assert(line_is(l, "2026-07-02 C-2 2026-07-02 11:05 competitor WO-2 "
			     "E020"),
		  "%s", l);
	const char *w = strstr(o, "R-BKG-7, warranty-warning vehicles");
	cr_assert(w && svl_cli_has(w, ": 2\n"), "%s", o);
	const char *w4 = row_after(w, "R-BKG-7", "  2026-07-05");
	cr_assert(line_is(w4, "2026-07-05 WO-4 2026-07-05 09:00 reception - "
			      "PENDING"),
		  "%s", w4);
	const char *w5 = row_after(w4, "WO-4", "  2026-07-05");
	cr_assert(line_is(w5, "2026-07-05 WO-5 2026-07-05 10:00 reception "
			      "2026-07-05 10:10 claims_case E004"),
		  "%s", w5);
}

static json_t *get(json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

Test(figures_cli, after_care_json_R_FU_7_R_FU_8_R_BKG_7)
{
	cr_assert_eq(run("figures -d L --period month --json"), 0, "%s",
		     last.err);
	json_t *v = svl_cli_json();
	cr_assert_eq(
	    json_integer_value(get(v, "targets", "fu_success_permille")), 800);
	json_t *t = json_object_get(v, "total");
	cr_assert_eq(json_integer_value(get(t, "counters", "fu_calls")), 5);
	cr_assert_eq(json_integer_value(get(t, "counters", "fu_failed")), 2);
	cr_assert_eq(
	    json_integer_value(get(t, "ratios", "fu_success_permille")), 333);
	cr_assert(json_is_false(
	    get(json_object_get(t, "ratios"), "targets_met", "fu_success")));
	cr_assert_eq(
	    json_integer_value(get(json_object_get(t, "counters"),
				   "fu_problems_by_department", "workshop")),
	    1);
	json_t *ws = get(json_object_get(t, "ratios"),
			 "satisfaction_by_department", "workshop");
	cr_assert_eq(json_integer_value(json_object_get(ws, "avg_milli")),
		     2000);
	cr_assert_eq(json_integer_value(get(t, "counters", "warnings_pending")),
		     1);
	json_t *c = json_array_get(json_object_get(v, "complaints"), 0);
	cr_assert(json_is_false(json_object_get(c, "on_time")));
	cr_assert(json_is_true(json_object_get(c, "major")));
	cr_assert_str_eq(json_string_value(json_object_get(c, "department")),
			 "workshop");
	json_t *l = json_array_get(json_object_get(v, "lost_customers"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(l, "reason")),
			 "competitor");
	json_t *w = json_array_get(json_object_get(v, "warranty_warnings"), 0);
	cr_assert(json_is_true(json_object_get(w, "pending")));
	cr_assert(json_is_null(json_object_get(w, "outcome")));
	json_t *p = json_array_get(json_object_get(v, "problems"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(p, "day")),
			 "2026-07-02");
	json_decref(v);
}

Test(figures_cli, a_delay_told_after_the_promise_R_BKG_8)
{
	cr_assert_eq(run("figures -d L --period month"), 0, "%s", last.err);
	const char *o = last.out;
	const char *jul =
	    row_after(o, "\npromises and trade per month", "2026-07");
	cr_assert(line_is(jul, "2026-07 1 0 1 0 0 0 0 0.00 0.00 0 0.00 0.00 0"),
		  "%s", jul);
	const char *d = row_after(o, "R-BKG-8, delays told the customer after",
				  "  2026-07");
	cr_assert(line_is(d, "2026-07 WO-5 2026-07-06 13:00 2026-07-06 12:00 "
			     "2026-07-07 12:00"),
		  "%s", d);
	cr_assert(svl_cli_has(o, "counter sales not paid in full: none"), "%s",
		  o);
	cr_assert_eq(run("figures -d L --period month --json"), 0, "%s",
		     last.err);
	json_t *v = svl_cli_json();
	json_t *t = json_object_get(v, "total");
	cr_assert_eq(json_integer_value(get(t, "counters", "delays_late")), 1);
	json_t *x = json_array_get(json_object_get(v, "late_delays"), 0);
	cr_assert_eq(json_integer_value(json_object_get(x, "promised_at_ms")),
		     1783310400000);
	json_decref(v);
}
