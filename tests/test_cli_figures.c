/*
 * test_cli_figures.c - `svcledger figures` on a small July built here
 * with `append --roles-only` (who may record each event is checked; the
 * order of the steps is the deciders' tests' business). Entered now,
 * months after it happened, so every stock movement is a late entry.
 *
 *   WO-1  confirmed for 07-02 09:00, reminded 07:50 (in time), received
 *         09:00, its pick approved at 10:05: not pre-picked.
 *   WO-2  confirmed for 07-03 14:00, never reminded, received 14:00 with
 *         no pick.
 *   July: booked with parts 1, pre-picked 0 (0.0%, below 100%); reminders
 *   due 2, in time 1 (50.0%); movements 2 (the shelving on 07-01, the
 *   write-off on 07-10), both late (100.0%, over 0); stocktake STK-1
 *   opened 07-05 17:00 counts 5 of a book of 5 (100.0%); write-off W-1,
 *   100.00 approved 07-10: 10.00 per role, the keeper E012 charged, the
 *   service and parts managers' shares overdue since 08-09: 1/3 charged,
 *   2 overdue.
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
#define CS(type, at, payload) EV(type, "E020", "customer_service", at, payload)
#define WK(type, at, payload) EV(type, "E012", "warehouse_keeper", at, payload)
#define PM(type, at, payload) EV(type, "E010", "parts_manager", at, payload)
#define SM(type, at, payload) EV(type, "E001", "service_manager", at, payload)
#define RECEIVE(wo, at)                                                        \
	EV("vehicle_received", "E005", "service_advisor", at,                  \
	   "\"wo_id\":\"" wo "\",\"customer_id\":\"C-1\",\"plate\":\"B-1\","   \
	   "\"job_kind\":\"maintenance\",\"mileage_km\":1000,\"fuel_pct\":50," \
	   "\"covers_laid\":3,\"first_visit\":false,\"fault_description\":"    \
	   "\"service\",\"customer_confirmed\":true")
#define PART "\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\""

/* clang-format off */
static const char july[] =
	WK("bin_assigned", "01T08:00", PART)
	WK("parts_shelved", "01T09:00", PART ",\"qty_milli\":5000,"
	   "\"unit_cost_fen\":10000,\"po_id\":\"PO-1\"")
	CS("booking_confirmed", "01T10:00", "\"wo_id\":\"WO-1\",\"slot_at_ms\":"
	   "1782954000000,\"est_labor_min\":60,\"est_amount_fen\":50000")
	CS("booking_confirmed", "01T11:00", "\"wo_id\":\"WO-2\",\"slot_at_ms\":"
	   "1783058400000,\"est_labor_min\":60,\"est_amount_fen\":50000")
	CS("booking_reminded", "02T07:50", "\"wo_id\":\"WO-1\",\"reached\":true")
	RECEIVE("WO-1", "02T09:00")
	EV("pick_requested", "E021", "technician", "02T10:00",
	   "\"pick_id\":\"PK-1\",\"wo_id\":\"WO-1\",\"purpose\":\"repair\","
	   "\"lines\":[{\"part_no\":\"90915-YZZD4\",\"qty_milli\":1000}]")
	PM("pick_signed", "02T10:05",
	   "\"pick_id\":\"PK-1\",\"signed_as\":\"outbound_approval\"")
	RECEIVE("WO-2", "03T14:00")
	PM("stocktake_opened", "05T17:00", "\"stk_id\":\"STK-1\",\"kind\":"
	   "\"daily_spot\",\"finance_present\":false")
	WK("stocktake_line_counted", "05T17:10", "\"stk_id\":\"STK-1\"," PART
	   ",\"counted_qty_milli\":5000")
	SM("writeoff_approved", "10T10:00", "\"wof_id\":\"W-1\",\"total_fen\":"
	   "10000,\"lines\":[{" PART ",\"qty_milli\":1000,\"unit_cost_fen\":"
	   "10000}]")
	SM("liability_charged", "11T10:00", "\"staff_id\":\"E012\","
	   "\"amount_fen\":1000,\"cause\":\"writeoff_share\",\"wof_id\":"
	   "\"W-1\"");
/* clang-format on */

static void setup(void)
{
	svl_cli_setup();
	cr_assert_eq(run("init -d L"), 0, "%s", last.err);
	svl_cli_write("staff.ndjson", svl_cli_staff);
	svl_cli_write("july.ndjson", july);
	cr_assert_eq(run("append -d L staff.ndjson"), 0, "%s", last.err);
	cr_assert_eq(run("append -d L --roles-only july.ndjson"), 0, "%s",
		     last.err);
}

TestSuite(cli_figures, .init = setup, .fini = svl_cli_teardown);

/* The line of the table that starts with `label`. */
static const char *row_of(const char *out, const char *label)
{
	char want[32];
	snprintf(want, sizeof want, "\n%s ", label);
	const char *p = strstr(out, want);
	cr_assert_not_null(p, "no row %s in:\n%s", label, out);
	return p + 1;
}

static int row_has(const char *row, const char *want)
{
	const char *end = strchr(row, '\n');
	const char *p = strstr(row, want);
	return p && (!end || p < end);
}

Test(cli_figures, month_table_marks_the_targets)
{
	cr_assert_eq(run("figures -d L --period month"), 0, "%s", last.err);
	const char *o = last.out;
	cr_assert(strncmp(o, "figures per month (times UTC+08:00", 34) == 0,
		  "%s", o);
	const char *jul = row_of(o, "2026-07");
	cr_assert(row_has(jul, "0.0% below"), "pre-picked: %s", jul);
	cr_assert(row_has(jul, "50.0% below"), "reminded: %s", jul);
	cr_assert(row_has(jul, "100.0% over"), "late entries: %s", jul);
	cr_assert(row_has(jul, "100.0% ok"), "stock accuracy: %s", jul);
	cr_assert(row_has(jul, "1/3") && row_has(jul, "2 over"), "%s", jul);
	cr_assert(svl_cli_has(o, "targets: pre-picked 100% (R-WO-3"), "%s", o);
}

Test(cli_figures, lists_name_what_missed)
{
	cr_assert_eq(run("figures -d L --period month"), 0, "%s", last.err);
	const char *o = last.out;
	const char *pre = strstr(o, "R-WO-3, booked jobs");
	const char *rem = strstr(o, "R-BKG-8, confirmed bookings");
	const char *late = strstr(o, "R-BIN-2, stock movements");
	const char *stk = strstr(o, "stocktakes, each count");
	const char *wof = strstr(o, "R-WOF-6, approved write-offs");
	cr_assert(pre && rem && late && stk && wof, "%s", o);
	cr_assert(svl_cli_has(pre, ": 1\n") && svl_cli_has(pre, "WO-1") &&
		      svl_cli_has(pre, "PK-1"),
		  "%s", pre);
	cr_assert(svl_cli_has(rem, ": 1\n") && strstr(rem, "WO-2") < late, "%s",
		  rem);
	cr_assert(svl_cli_has(late, ": 2\n") &&
		      svl_cli_has(late, "parts_shelved") &&
		      svl_cli_has(late, "writeoff_approved"),
		  "%s", late);
	cr_assert(svl_cli_has(stk, "STK-1") && svl_cli_has(stk, "daily_spot"),
		  "%s", stk);
	cr_assert(svl_cli_has(wof, "10.00 E012") &&
		      svl_cli_has(wof, "10.00 overdue") &&
		      svl_cli_has(wof, "70.00"),
		  "%s", wof);
}

Test(cli_figures, max_lines_cuts_each_list)
{
	cr_assert_eq(run("figures -d L --period day --max-lines 1"), 0, "%s",
		     last.err);
	cr_assert(svl_cli_has(last.out, "  ... and 1 more (--max-lines 0 "
					"shows all)"),
		  "%s", last.out);
}

static json_int_t num(json_t *o, const char *group, const char *name)
{
	return json_integer_value(
	    json_object_get(json_object_get(o, group), name));
}

Test(cli_figures, json_in_library_units)
{
	cr_assert_eq(run("figures -d L --period week --json"), 0, "%s",
		     last.err);
	json_t *v = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(v, "period")),
			 "week");
	cr_assert_eq(json_integer_value(json_object_get(v, "charge_days")), 30);
	json_t *t = json_object_get(v, "total");
	cr_assert_eq(num(t, "counters", "booked_received"), 1);
	cr_assert_eq(num(t, "counters", "booked_no_pick"), 1);
	cr_assert_eq(num(t, "ratios", "prepick_permille"), 0);
	cr_assert_eq(num(t, "ratios", "reminded_permille"), 500);
	cr_assert_eq(num(t, "ratios", "late_entry_permille"), 1000);
	cr_assert_eq(num(t, "ratios", "accuracy_bp"), 10000);
	cr_assert_eq(num(t, "counters", "wof_shares_overdue"), 2);
	cr_assert(json_is_false(json_object_get(
	    json_object_get(json_object_get(t, "ratios"), "targets_met"),
	    "prepick")));
	json_t *w = json_array_get(json_object_get(v, "writeoffs"), 0);
	cr_assert_eq(json_integer_value(json_object_get(w, "company_fen")),
		     7000);
	json_t *wk =
	    json_object_get(json_object_get(w, "shares"), "warehouse_keeper");
	cr_assert_str_eq(json_string_value(json_object_get(wk, "charged_to")),
			 "E012");
	cr_assert_eq(json_array_size(json_object_get(v, "late_entries")), 2);
	json_decref(v);
}

Test(cli_figures, a_range_with_nothing_in_it)
{
	cr_assert_eq(run("figures -d L --period day --from 2026-08-01 --to "
			 "2026-08-31"),
		     0, "%s", last.err);
	cr_assert(svl_cli_has(last.out, "nothing counted in that range"), "%s",
		  last.out);
	cr_assert(svl_cli_has(last.out, "R-WOF-6, approved write-offs and who "
					"was charged each share (a share not "
					"charged 30 days after the approval "
					"is overdue): none"),
		  "%s", last.out);
}

Test(cli_figures, usage_errors_exit_1_before_opening)
{
	cr_assert_eq(run("figures -d nowhere"), 1);
	cr_assert(svl_cli_has(last.err, "svcledger: figures: --period "
					"day|week|month is required"),
		  "%s", last.err);
	cr_assert_eq(run("figures -d L --period year"), 1);
	cr_assert(svl_cli_has(last.err, "'year' is not one of day, week, "
					"month"),
		  "%s", last.err);
	cr_assert_eq(run("figures -d L --period day --max-lines many"), 1);
	cr_assert_eq(run("figures -d L --period day --from 2026-07-05 --to "
			 "2026-07-01"),
		     1);
	cr_assert(svl_cli_has(last.err, "--from must come before --to"), "%s",
		  last.err);
	cr_assert_eq(run("figures -d L --period day --from yesterday"), 1);
	cr_assert(svl_cli_has(last.err, "--from: 'yesterday' is not a time"),
		  "%s", last.err);
	cr_assert_eq(run("figures -d nowhere --period day"), 2);
}
