/*
 * test_wo_page.c - what a DMS screen asks of the work orders: a
 * customer's jobs, a vehicle's (plate, VIN), and every list a page at a
 * time with its total (svl_work_orders_page, svl_page); version 1
 * filters still work; and `svcledger work-orders` pages the same way.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "svcledger.h"

static char *dir;
static svl_ledger *led;

/* Job k: customer C<k%3>, plate P<k%4>, VIN of plate, booked on day k%5. */
#define JOBS 12

static void submit(const char *ndjson)
{
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(led, ndjson, strlen(ndjson), 0, &r),
		     SVL_OK, "%s", r.message);
}

static void vin_of(int plate, char *out)
{
	snprintf(out, 18, "LVVDB11B%09d", plate);
}

static void setup(void)
{
	dir = svl_test_mkdtemp();
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC | SVL_LOG_CREATE;
	cr_assert_eq(svl_ledger_open(&led, dir, &o), SVL_OK, "%s",
		     svl_log_last_error());
	submit("{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	       "\"service_manager\",\"occurred_at_ms\":1782835200000,"
	       "\"payload\":{\"staff_id\":\"E030\",\"role\":"
	       "\"customer_service\",\"from_at_ms\":1782835200000}}");
	for (int k = 0; k < JOBS; k++) {
		char buf[1024], vin[18];
		vin_of(k % 4, vin);
		long long at = 1782900000000LL + (long long)(k % 5) * 86400000;
		snprintf(buf, sizeof buf,
			 "{\"type\":\"booking_requested\",\"actor\":\"E030\","
			 "\"role\":\"customer_service\",\"occurred_at_ms\":%lld,"
			 "\"payload\":{\"wo_id\":\"WO-%02d\",\"customer_id\":"
			 "\"C%d\",\"owner_name\":\"Owner\",\"phone\":"
			 "\"13800000000\",\"plate\":\"P%d\",\"vin\":\"%s\","
			 "\"target\":\"maintenance_due\",\"job_kind\":"
			 "\"maintenance\",\"items\":\"service\","
			 "\"wanted_at_ms\":%lld}}",
			 at, k, k % 3, k % 4, vin, at + 86400000);
		submit(buf);
	}
}

static void teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

TestSuite(wo_page, .init = setup, .fini = teardown, .timeout = 60);

typedef struct seen {
	char ids[JOBS][SVL_WO_ID_MAX + 1];
	size_t n;
} seen;

static int collect(const svl_work_order *wo, void *p)
{
	seen *s = p;
	cr_assert_lt(s->n, JOBS);
	snprintf(s->ids[s->n++], sizeof s->ids[0], "%s", wo->wo_id);
	return 0;
}

/* The jobs k in [0, JOBS) with k % m == r, as "WO-kk" in id order. */
static size_t expect(int m, int r, char out[JOBS][16])
{
	size_t n = 0;
	for (int k = 0; k < JOBS; k++)
		if (k % m == r)
			snprintf(out[n++], 16, "WO-%02d", k);
	return n;
}

static void same(const seen *s, char want[JOBS][16], size_t n)
{
	cr_assert_eq(s->n, n, "%zu jobs, expected %zu", s->n, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(s->ids[i], want[i]);
}

Test(wo_page, jobs_by_customer_plate_and_vin)
{
	char want[JOBS][16], vin[18];
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	seen s = {.n = 0};
	f.customer_id = "C1";
	cr_assert_eq(svl_work_orders_list(led, &f, collect, &s), SVL_OK);
	same(&s, want, expect(3, 1, want));

	svl_wo_filter g = SVL_WO_FILTER_INIT;
	g.plate = "P2";
	s.n = 0;
	cr_assert_eq(svl_work_orders_list(led, &g, collect, &s), SVL_OK);
	same(&s, want, expect(4, 2, want));

	svl_wo_filter h = SVL_WO_FILTER_INIT;
	vin_of(3, vin);
	h.vin = vin;
	s.n = 0;
	cr_assert_eq(svl_work_orders_list(led, &h, collect, &s), SVL_OK);
	same(&s, want, expect(4, 3, want));
}

Test(wo_page, customer_and_vin_together_must_both_hold)
{
	char vin[18];
	svl_wo_filter h = SVL_WO_FILTER_INIT;
	seen s = {.n = 0};
	vin_of(3, vin);
	h.vin = vin;
	h.customer_id = "C2";
	cr_assert_eq(svl_work_orders_list(led, &h, collect, &s), SVL_OK);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.ids[0], "WO-11");
}

Test(wo_page, pages_walk_the_whole_list_once_with_its_total)
{
	char want[JOBS][16];
	size_t n = expect(1, 0, want);
	svl_page p = SVL_PAGE_INIT;
	char after[SVL_PAGE_KEY_MAX + 1] = "";
	seen all = {.n = 0};
	int pages = 0;
	p.limit = 5;
	do {
		p.after = after;
		seen s = {.n = 0};
		cr_assert_eq(svl_work_orders_page(led, NULL, &p, collect, &s),
			     SVL_OK, "%s", svl_ledger_errmsg(led));
		cr_assert_eq(p.total, n);
		cr_assert_eq(p.returned, s.n);
		cr_assert_leq(s.n, 5);
		for (size_t i = 0; i < s.n; i++)
			memcpy(all.ids[all.n++], s.ids[i], sizeof s.ids[0]);
		snprintf(after, sizeof after, "%s", p.next);
		pages++;
	} while (after[0]);
	cr_assert_eq(pages, 3); /* 5 + 5 + 2 */
	same(&all, want, n);
}

Test(wo_page, a_day_walk_pages_in_date_order)
{
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	f.date = SVL_WO_DATE_BOOKED;
	f.from_ms = 1782900000000LL + 86400000;	   /* days 1.. */
	f.to_ms = 1782900000000LL + 3 * 86400000; /* ..2 */
	svl_page p = SVL_PAGE_INIT;
	seen s = {.n = 0};
	p.limit = 3;
	cr_assert_eq(svl_work_orders_page(led, &f, &p, collect, &s), SVL_OK);
	/* day 1: k = 1, 6, 11; day 2: k = 2, 7 */
	cr_assert_eq(p.total, 5);
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.ids[0], "WO-01");
	cr_assert_str_eq(s.ids[2], "WO-11");
	cr_assert_neq(p.next[0], 0);
	char after[SVL_PAGE_KEY_MAX + 1];
	snprintf(after, sizeof after, "%s", p.next);
	p.after = after;
	s.n = 0;
	cr_assert_eq(svl_work_orders_page(led, &f, &p, collect, &s), SVL_OK);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.ids[0], "WO-02");
	cr_assert_str_eq(s.ids[1], "WO-07");
	cr_assert_str_eq(p.next, "", "the last page has no next");
	/* an id walk's cursor is not one of a day walk's */
	p.after = "WO-03";
	cr_assert_eq(svl_work_orders_page(led, &f, &p, collect, &s),
		     SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(led), "not a cursor"));
}

Test(wo_page, a_version_1_filter_is_read_without_the_new_fields)
{
	/* a version 1 caller's struct ends before customer_id: the bytes
	 * after it may be anything */
	union {
		svl_wo_filter f;
		unsigned char raw[sizeof(svl_wo_filter)];
	} u;
	memset(u.raw, 0xff, sizeof u.raw);
	svl_wo_filter v1 = SVL_WO_FILTER_INIT;
	memcpy(&u.f, &v1, offsetof(svl_wo_filter, customer_id));
	u.f.version = 1;
	u.f.advisor_id = NULL;
	seen s = {.n = 0};
	cr_assert_eq(svl_work_orders_list(led, &u.f, collect, &s), SVL_OK);
	cr_assert_eq(s.n, JOBS);
	u.f.version = 3;
	cr_assert_eq(svl_work_orders_list(led, &u.f, collect, &s),
		     SVL_EMISUSE);
}

Test(wo_page, bad_criteria_and_a_null_page_are_refused)
{
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	seen s = {.n = 0};
	f.vin = "TOO-LONG-FOR-A-VIN-1";
	cr_assert_eq(svl_work_orders_list(led, &f, collect, &s), SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(led), "vin"));
	cr_assert_eq(svl_work_orders_page(led, NULL, NULL, collect, &s),
		     SVL_EMISUSE);
}

/* The tool under test, as tests/cli_fixture.c finds it. */
static const char *tool(void)
{
	const char *t = getenv("SVL_TOOL");
	return t && *t ? t : "build/svcledger-san";
}

Test(wo_page, the_tool_pages_and_says_the_total)
{
	char cmd[4096];
	int status;
	snprintf(cmd, sizeof cmd,
		 "%s work-orders -d %s --customer C0 --limit 3 --json",
		 tool(),
		 dir);
	svl_ledger_close(led);
	char *out = svl_test_shell(cmd, &status);
	cr_assert_eq(status, 0, "%s", out);
	cr_assert(strstr(out, "\"count\":3,\"total\":4,\"next\":\"WO-06\""),
		  "%s", out);
	free(out);
	snprintf(cmd, sizeof cmd,
		 "%s work-orders -d %s --customer C0 --limit 3 --after WO-06",
		 tool(),
		 dir);
	out = svl_test_shell(cmd, &status);
	cr_assert_eq(status, 0, "%s", out);
	cr_assert(strstr(out, "WO-09"), "%s", out);
	cr_assert(strstr(out, "1 of 4 work orders\n"), "%s", out);
	free(out);
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC;
	cr_assert_eq(svl_ledger_open(&led, dir, &o), SVL_OK);
}
