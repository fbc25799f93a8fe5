/*
 * test_figures_trade.c - the promise and trade figures of svl_figures.h
 * (R-BKG-8 delays told the customer, R-QUO-3 requisitions not in a parts
 * plan, counter sales, warranty claims) on a small ledger built here,
 * every number worked out by hand in the comment of the story below and
 * asserted exactly.
 *
 * Events are appended straight to the log (svl_test_put: no deciders,
 * actor E900), so the story may hold what a decider would refuse and the
 * ledger's clock is its last event. Times are the shop's, UTC+08:00; the
 * rule set is the default one (satisfaction scale 5; a follow-up fails
 * after 3 unanswered calls over 3 parts of the day).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "figures_fixture.h"

FIG_SUITE(figures_trade);

static void quote(const char *wo, int64_t at, int64_t promised)
{
	NOW(QUOTE_ISSUED, at,
	    "{\"wo_id\":\"%s\",\"labor\":[],\"parts\":[],\"total_fen\":0,"
	    "\"promised_at_ms\":%lld,\"customer_agreed\":true}",
	    wo, (long long)promised);
}

static void delay(const char *wo, int64_t at, int64_t new_ready)
{
	NOW(DELAY_NOTIFIED, at,
	    "{\"wo_id\":\"%s\",\"new_ready_at_ms\":%lld,\"reason\":\"parts\","
	    "\"customer_agreed\":true}",
	    wo, (long long)new_ready);
}

static void paid(const char *pick, int64_t fen, int64_t at)
{
	NOW(COUNTER_SALE_PAID, at,
	    "{\"pick_id\":\"%s\",\"amount_fen\":%lld,\"method\":\"cash\"}",
	    pick, (long long)fen);
}

static void priced(const char *pick, int64_t fen, int64_t at)
{
	NOW(COUNTER_SALE_PRICED, at,
	    "{\"pick_id\":\"%s\",\"lines\":[{\"part_no\":\"P1\",\"qty_milli\":"
	    "1000,\"unit_price_fen\":%lld}],\"total_fen\":%lld}",
	    pick, (long long)fen, (long long)fen);
}

/*
 * The story (the ledger's clock: its last event, 08-05 10:00):
 *
 * Delays (R-BKG-8; the promise in force: the last quote's, or the last
 * notice's new time):
 *   WO-1  quoted 07-02 09:00 for 07-03 17:00; told 07-03 15:00 of a delay
 *         to 07-04 12:00 (in advance); told 07-04 13:00 of another to
 *         07-05 12:00, after 12:00 had passed (late).
 *   WO-2  told 07-05 10:00 with no quote yet (neither); quoted 07-06 for
 *         07-08 17:00, revised 07-07 to 07-09 17:00; told 07-09 17:00,
 *         the promise's minute (in advance).
 *   WO-3  quoted 07-30 for 08-01 12:00; told 08-02 09:00 (late, August).
 *   July: told 4, in advance 2, late 1. August: told 1, late 1.
 *
 * Requisitions (R-QUO-3; planned by a later plan line naming the job and
 * the part):
 *   WO-1  requisitioned 07-02 10:00: P1 2, P2 1. Plan PL-1 07-02 16:00
 *         takes P1 for WO-1 (and P3 for no job). P2 is not planned.
 *   WO-4  plan PL-0 07-09 names WO-4's P5 before it is requisitioned on
 *         07-10: not planned.
 *   July: 3 lines, 1 planned; listed WO-1 P2, WO-4 P5.
 *
 * Counter sales (in the period of the last pricing):
 *   PK-S1 priced 07-11 100.00; paid 60.00, then 40.00 07-12: in full.
 *   PK-S2 priced 07-15 50.00, priced again 08-01 45.00 (August); paid
 *         20.00 08-01: 25.00 outstanding.
 *   PK-S3 paid 07-16 with no price: not a sale counted.
 *   July: 1 sale, paid, due 100.00, paid 100.00. August: 1, due 45.00,
 *   paid 20.00.
 *
 * Warranty claims (in the period of the filing):
 *   CL-1  filed 07-20 for WO-5, 300.00: P1 1, P2 2, P1 1 (P1 2 in all);
 *         shipped 07-22 P1 2, P2 1: P2 short (2 parts, 1 unshipped);
 *         settled 08-05 10:00, the maker paying 300.00.
 *   CL-2  filed 07-25 for WO-6, 100.00: P4 1; shipped P4 1 07-26; not
 *         settled.
 *   July: 2 claims, 400.00 claimed, 1 settled, 300.00 paid, 1 with parts
 *   unshipped.
 */
static void story(void)
{
	quote("WO-1", AT(7, 2, 9, 0), AT(7, 3, 17, 0));
	NOW(PARTS_REQUISITIONED, AT(7, 2, 10, 0),
	    "{\"wo_id\":\"WO-1\",\"lines\":[{\"part_no\":\"P1\",\"qty_milli\":"
	    "2000},{\"part_no\":\"P2\",\"qty_milli\":1000}],\"arrival_date\":"
	    "\"2026-07-04\"}");
	NOW(PARTS_PLAN_DRAFTED, AT(7, 2, 16, 0),
	    "{\"plan_id\":\"PL-1\",\"kind\":\"ad_hoc\",\"lines\":[{\"part_no\":"
	    "\"P1\",\"qty_milli\":2000,\"wo_id\":\"WO-1\"},{\"part_no\":\"P3\","
	    "\"qty_milli\":5000}]}");
	delay("WO-1", AT(7, 3, 15, 0), AT(7, 4, 12, 0));
	delay("WO-1", AT(7, 4, 13, 0), AT(7, 5, 12, 0));
	delay("WO-2", AT(7, 5, 10, 0), AT(7, 6, 12, 0));
	quote("WO-2", AT(7, 6, 9, 0), AT(7, 8, 17, 0));
	NOW(QUOTE_REVISED, AT(7, 7, 9, 0),
	    "{\"wo_id\":\"WO-2\",\"revision\":2,\"reason\":\"more work\","
	    "\"labor\":[],\"parts\":[],\"total_fen\":0,\"promised_at_ms\":%lld,"
	    "\"customer_agreed\":true}",
	    (long long)AT(7, 9, 17, 0));
	NOW(PARTS_PLAN_DRAFTED, AT(7, 9, 9, 0),
	    "{\"plan_id\":\"PL-0\",\"kind\":\"ad_hoc\",\"lines\":[{\"part_no\":"
	    "\"P5\",\"qty_milli\":1000,\"wo_id\":\"WO-4\"}]}");
	delay("WO-2", AT(7, 9, 17, 0), AT(7, 10, 12, 0));
	NOW(PARTS_REQUISITIONED, AT(7, 10, 10, 0),
	    "{\"wo_id\":\"WO-4\",\"lines\":[{\"part_no\":\"P5\",\"qty_milli\":"
	    "1000}],\"arrival_date\":\"2026-07-12\"}");
	priced("PK-S1", 10000, AT(7, 11, 10, 0));
	paid("PK-S1", 6000, AT(7, 11, 10, 5));
	paid("PK-S1", 4000, AT(7, 12, 10, 0));
	priced("PK-S2", 5000, AT(7, 15, 10, 0));
	paid("PK-S3", 1000, AT(7, 16, 10, 0));
	NOW(WARRANTY_CLAIM_FILED, AT(7, 20, 10, 0),
	    "{\"claim_id\":\"CL-1\",\"wo_id\":\"WO-5\",\"amount_fen\":30000,"
	    "\"lines\":[{\"part_no\":\"P1\",\"qty_milli\":1000},{\"part_no\":"
	    "\"P2\",\"qty_milli\":2000},{\"part_no\":\"P1\",\"qty_milli\":"
	    "1000}]}");
	NOW(CLAIM_PARTS_SHIPPED, AT(7, 22, 10, 0),
	    "{\"claim_id\":\"CL-1\",\"lines\":[{\"part_no\":\"P1\","
	    "\"qty_milli\":2000},{\"part_no\":\"P2\",\"qty_milli\":1000}]}");
	NOW(WARRANTY_CLAIM_FILED, AT(7, 25, 10, 0),
	    "{\"claim_id\":\"CL-2\",\"wo_id\":\"WO-6\",\"amount_fen\":10000,"
	    "\"lines\":[{\"part_no\":\"P4\",\"qty_milli\":1000}]}");
	NOW(CLAIM_PARTS_SHIPPED, AT(7, 26, 10, 0),
	    "{\"claim_id\":\"CL-2\",\"lines\":[{\"part_no\":\"P4\","
	    "\"qty_milli\":1000}]}");
	quote("WO-3", AT(7, 30, 9, 0), AT(8, 1, 12, 0));
	priced("PK-S2", 4500, AT(8, 1, 10, 0));
	paid("PK-S2", 2000, AT(8, 1, 10, 5));
	delay("WO-3", AT(8, 2, 9, 0), AT(8, 3, 12, 0));
	NOW(WARRANTY_CLAIM_SETTLED, AT(8, 5, 10, 0),
	    "{\"claim_id\":\"CL-1\",\"result\":\"approved\",\"paid_fen\":"
	    "30000}");
}

static svl_figures *get(void)
{
	svl_figures *r = NULL;
	cr_assert_eq(svl_figures_get(led, NULL, &r), SVL_OK, "%s",
		     svl_ledger_errmsg(led));
	cr_assert_eq(r->n_rows, 2);
	return r;
}

#define EQ(a, b) cr_assert_eq((int64_t)(a), (int64_t)(b), "%s", #a)

Test(figures_trade, delays_told_in_advance_or_late_R_BKG_8)
{
	story();
	svl_figures *r = get();
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	EQ(jul->c.delays_notified, 4);
	EQ(jul->c.delays_in_advance, 2);
	EQ(jul->c.delays_late, 1);
	EQ(aug->c.delays_notified, 1);
	EQ(aug->c.delays_late, 1);
	cr_assert_eq(r->n_late_delays, 2);
	const svl_fig_delay *d = r->late_delays;
	cr_assert_str_eq(d[0].wo_id, "WO-1");
	EQ(d[0].notified_at_ms, AT(7, 4, 13, 0));
	EQ(d[0].promised_at_ms, AT(7, 4, 12, 0));
	EQ(d[0].new_ready_at_ms, AT(7, 5, 12, 0));
	cr_assert_str_eq(d[1].wo_id, "WO-3");
	cr_assert_str_eq(d[1].label, "2026-08");
	EQ(d[1].promised_at_ms, AT(8, 1, 12, 0));
	svl_figures_free(r);
}

Test(figures_trade, requisitions_not_in_a_parts_plan_R_QUO_3)
{
	story();
	svl_figures *r = get();
	EQ(r->rows[0].c.req_lines, 3);
	EQ(r->rows[0].c.req_lines_planned, 1);
	cr_assert_eq(r->n_unplanned, 2);
	cr_assert_str_eq(r->unplanned[0].wo_id, "WO-1");
	cr_assert_str_eq(r->unplanned[0].part_no, "P2");
	EQ(r->unplanned[0].qty_milli, 1000);
	EQ(r->unplanned[0].requisitioned_at_ms, AT(7, 2, 10, 0));
	cr_assert_str_eq(r->unplanned[1].wo_id, "WO-4");
	cr_assert_str_eq(r->unplanned[1].part_no, "P5");
	svl_figures_free(r);
}

Test(figures_trade, counter_sales_priced_paid_outstanding)
{
	story();
	svl_figures *r = get();
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	EQ(jul->c.sales, 1);
	EQ(jul->c.sales_paid, 1);
	EQ(jul->c.sales_due_fen, 10000);
	EQ(jul->c.sales_paid_fen, 10000);
	EQ(aug->c.sales, 1);
	EQ(aug->c.sales_paid, 0);
	EQ(aug->c.sales_due_fen, 4500);
	EQ(aug->c.sales_paid_fen, 2000);
	cr_assert_eq(r->n_unpaid_sales, 1);
	cr_assert_str_eq(r->unpaid_sales[0].pick_id, "PK-S2");
	EQ(r->unpaid_sales[0].priced_at_ms, AT(8, 1, 10, 0));
	EQ(r->unpaid_sales[0].due_fen - r->unpaid_sales[0].paid_fen, 2500);
	svl_figures_free(r);
}

Test(figures_trade, warranty_claims_filed_paid_and_parts_unshipped)
{
	story();
	svl_figures *r = get();
	const svl_figures_row *jul = &r->rows[0];
	EQ(jul->c.claims, 2);
	EQ(jul->c.claims_fen, 40000);
	EQ(jul->c.claims_settled, 1);
	EQ(jul->c.claims_paid_fen, 30000);
	EQ(jul->c.claims_unshipped, 1);
	EQ(r->rows[1].c.claims, 0);
	cr_assert_eq(r->n_unshipped_claims, 1);
	const svl_fig_claim *c = r->unshipped_claims;
	cr_assert_str_eq(c->claim_id, "CL-1");
	cr_assert_str_eq(c->wo_id, "WO-5");
	EQ(c->parts, 2);
	EQ(c->parts_unshipped, 1);
	EQ(c->settled_at_ms, AT(8, 5, 10, 0));
	EQ(c->paid_fen, 30000);
	svl_figures_free(r);
}
