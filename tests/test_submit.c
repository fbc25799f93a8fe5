/*
 * test_submit.c - commands through the ledger: NDJSON parsed, decided in
 * order, appended with the projections in one transaction; a bad line or a
 * refusal appends nothing and says which line and which rule.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "fixture.h"
#include "ledger_fixture.h"
#include "svl_stock.h"

static char *dir;
static svl_ledger *led;

static void setup(void)
{
	led = svl_test_ledger(&dir, NULL);
}

static void teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

TestSuite(submit, .init = setup, .fini = teardown);

#define AT "\"occurred_at\":\"2026-07-01T09:00:00+08:00\""

static const char staff[] =
	"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	"\"service_manager\"," AT ",\"payload\":{\"staff_id\":\"E001\","
	"\"role\":\"service_manager\",\"from_at_ms\":1782835200000}}\n"
	"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	"\"service_manager\"," AT ",\"payload\":{\"staff_id\":\"E012\","
	"\"role\":\"warehouse_keeper\",\"from_at_ms\":1782835200000}}\n";

static const char bin_a[] =
	"{\"type\":\"bin_assigned\",\"actor\":\"E012\",\"role\":"
	"\"warehouse_keeper\"," AT ",\"payload\":{\"part_no\":\"90915-YZZD4\","
	"\"bin\":\"W1-A03-2-05\"}}\n";

static uint64_t head_seq(void)
{
	svl_head h;
	cr_assert_eq(svl_log_head(svl_ledger_log(led), &h), SVL_OK);
	return h.seq;
}

Test(submit, commands_append_and_update_projections)
{
	char text[4096];
	snprintf(text, sizeof text, "%s\n%s", staff, bin_a);
	svl_submit_result r;
	int rc = svl_ledger_submit_json(led, text, strlen(text), 0, &r);
	cr_assert_eq(rc, SVL_OK, "%s", r.message);
	cr_assert_eq(r.events, 3);
	cr_assert_eq(r.appended, 3);
	cr_assert_eq(r.first_seq, 1);
	cr_assert_eq(r.last_seq, 3);
	svl_stock_card c;
	cr_assert_eq(svl_stock_card_get(led, "90915-YZZD4", NULL, NULL, &c),
		     SVL_OK, "the card opened with the bin");
	cr_assert_str_eq(c.bin, "W1-A03-2-05");
}

Test(submit, bad_line_names_line_and_field_and_appends_nothing)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "%s{\"type\":\"bin_assigned\",\"actor\":\"E012\",\"role\":"
		 "\"warehouse_keeper\"," AT ",\"payload\":{\"part_no\":"
		 "\"90915-YZZD4\",\"bin\":\"nowhere\"}}\n",
		 staff);
	svl_submit_result r;
	int rc = svl_ledger_submit_json(led, text, strlen(text), 0, &r);
	cr_assert_eq(rc, SVL_EINVAL);
	cr_assert_eq(r.failed, 3);
	cr_assert(strstr(r.message, "line 3: ") == r.message, "%s", r.message);
	cr_assert(strstr(r.message, "bin"), "%s", r.message);
	cr_assert_eq(head_seq(), 0, "nothing appended");
	cr_assert_str_eq(svl_ledger_errmsg(led), r.message);
}

Test(submit, refusal_names_the_rule_and_appends_nothing_R_BIN_1)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "%s%s{\"type\":\"bin_assigned\",\"actor\":\"E012\",\"role\":"
		 "\"warehouse_keeper\"," AT ",\"payload\":{\"part_no\":"
		 "\"04152-YZZA1\",\"bin\":\"W1-A03-2-05\"}}\n",
		 staff, bin_a);
	svl_submit_result r;
	int rc = svl_ledger_submit_json(led, text, strlen(text), 0, &r);
	cr_assert_eq(rc, SVL_EREFUSED, "%s", r.message);
	cr_assert_str_eq(r.rule, "R-BIN-1");
	cr_assert_eq(r.failed, 4);
	cr_assert(strstr(r.message, "line 4: R-BIN-1"), "%s", r.message);
	cr_assert_eq(head_seq(), 0, "the whole submission is refused");
}

Test(submit, role_not_held_is_refused_R_ROLE_2)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "%s{\"type\":\"bin_assigned\",\"actor\":\"E099\",\"role\":"
		 "\"warehouse_keeper\"," AT ",\"payload\":{\"part_no\":"
		 "\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\"}}\n",
		 staff);
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(led, text, strlen(text), 0, &r),
		     SVL_EREFUSED, "%s", r.message);
	cr_assert_str_eq(r.rule, "R-ROLE-2");
	cr_assert(strstr(r.message, "E099"), "%s", r.message);
}

Test(submit, dry_run_decides_but_appends_nothing)
{
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(led, staff, strlen(staff),
					    SVL_SUBMIT_DRY_RUN, &r),
		     SVL_OK, "%s", r.message);
	cr_assert_eq(r.events, 2);
	cr_assert_eq(r.appended, 0);
	cr_assert_eq(head_seq(), 0);
}

Test(submit, retried_ids_return_original_positions)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "{\"type\":\"staff_role_assigned\",\"id\":"
		 "\"0190f0e0a1b2c3d4e5f60718293a4b5c\",\"actor\":\"E001\","
		 "\"role\":\"service_manager\"," AT ",\"payload\":{"
		 "\"staff_id\":\"E001\",\"role\":\"service_manager\","
		 "\"from_at_ms\":1782835200000}}\n");
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(led, text, strlen(text), 0, &r),
		     SVL_OK, "%s", r.message);
	cr_assert_eq(r.appended, 1);
	cr_assert_eq(svl_ledger_submit_json(led, text, strlen(text), 0, &r),
		     SVL_OK, "%s", r.message);
	cr_assert_eq(r.appended, 0);
	cr_assert_eq(r.duplicates, 1);
	cr_assert_eq(r.first_seq, 1);
	cr_assert_eq(head_seq(), 1);
}

/* A DMS bug that reuses an id for another command loses nothing in
 * silence: the command is refused as a conflict naming the id, the line
 * and both seqs, and nothing of its submission is appended. */
Test(submit, reused_id_with_other_content_is_a_conflict)
{
	char text[4096];
	svl_submit_result r;
	const char *id = "\"id\":\"0190f0e0a1b2c3d4e5f60718293a4b5c\",";
	snprintf(text, sizeof text,
		 "{\"type\":\"staff_role_assigned\",%s\"actor\":\"E001\","
		 "\"role\":\"service_manager\"," AT ",\"payload\":{"
		 "\"staff_id\":\"E001\",\"role\":\"service_manager\","
		 "\"from_at_ms\":1782835200000}}\n",
		 id);
	cr_assert_eq(svl_ledger_submit_json(led, text, strlen(text), 0, &r),
		     SVL_OK, "%s", r.message);
	snprintf(text, sizeof text,
		 "%s{\"type\":\"staff_role_assigned\",%s\"actor\":\"E001\","
		 "\"role\":\"service_manager\"," AT ",\"payload\":{"
		 "\"staff_id\":\"E013\",\"role\":\"warehouse_keeper\","
		 "\"from_at_ms\":1782835200000}}\n",
		 staff + strcspn(staff, "\n") + 1, id);
	int rc = svl_ledger_submit_json(led, text, strlen(text), 0, &r);
	cr_assert_eq(rc, SVL_ECONFLICT, "%s: %s", svl_strerror(rc), r.message);
	cr_assert_eq(r.failed, 2);
	cr_assert(strstr(r.message, "line 2: id 0190f0e0a1b2c3d4e5f60718293a4b5c "
				    "is already the id of seq 1"),
		  "%s", r.message);
	cr_assert(strstr(r.message, "stream differs"), "%s", r.message);
	cr_assert(strstr(r.message, "would have been seq 3"), "%s", r.message);
	cr_assert_eq(head_seq(), 1, "nothing of the submission");
}

Test(submit, blank_lines_are_skipped_and_empty_submission_is_ok)
{
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(led, "\n  \n", 4, 0, &r), SVL_OK);
	cr_assert_eq(r.events, 0);
	cr_assert_eq(head_seq(), 0);
}
