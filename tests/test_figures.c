/*
 * test_figures.c - the seed's figures beyond the metrics (svl_figures.h)
 * on a small ledger built here, every number worked out by hand in the
 * comment of the story below and asserted exactly; then the range, the
 * overdue boundary of a write-off share, and the caller's errors.
 *
 * Events are appended straight to the log (svl_test_put: no deciders, a
 * chosen recorded time), so that the ledger's clock and the late entries
 * are what the story says. Times are the shop's, UTC+08:00.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "figures_fixture.h"

FIG_SUITE(figures);

static void staff(const char *id, const char *role)
{
	NOW(STAFF_ROLE_ASSIGNED, AT(7, 1, 0, 0),
	    "{\"staff_id\":\"%s\",\"role\":\"%s\",\"from_at_ms\":%lld}", id,
	    role, (long long)AT(7, 1, 0, 0));
}

static void confirm(const char *wo, int64_t at, int64_t slot)
{
	NOW(BOOKING_CONFIRMED, at,
	    "{\"wo_id\":\"%s\",\"slot_at_ms\":%lld,\"est_labor_min\":60,"
	    "\"est_amount_fen\":50000}",
	    wo, (long long)slot);
}

static void remind(const char *wo, int64_t at)
{
	NOW(BOOKING_REMINDED, at, "{\"wo_id\":\"%s\",\"reached\":true}", wo);
}

static void receive(const char *wo, int64_t at)
{
	NOW(VEHICLE_RECEIVED, at,
	    "{\"wo_id\":\"%s\",\"customer_id\":\"C-%s\",\"plate\":\"B-1\","
	    "\"job_kind\":\"maintenance\",\"mileage_km\":1000,\"fuel_pct\":50,"
	    "\"covers_laid\":3,\"first_visit\":false,\"fault_description\":"
	    "\"service\",\"customer_confirmed\":true}",
	    wo, wo);
}

static void pick(const char *pk, const char *wo, int64_t at)
{
	NOW(PICK_REQUESTED, at,
	    "{\"pick_id\":\"%s\",\"wo_id\":\"%s\",\"purpose\":\"repair\","
	    "\"lines\":[{\"part_no\":\"P1\",\"qty_milli\":1000}]}",
	    pk, wo);
}

static void approve_pick(const char *pk, int64_t at)
{
	NOW(PICK_SIGNED, at,
	    "{\"pick_id\":\"%s\",\"signed_as\":\"outbound_approval\"}", pk);
}

static void shelve(const char *part, const char *bin, int64_t qty, int64_t at,
		   int64_t rec)
{
	put(SVL_T_PARTS_SHELVED, at, rec,
	    "{\"part_no\":\"%s\",\"bin\":\"%s\",\"qty_milli\":%lld,"
	    "\"unit_cost_fen\":5000,\"po_id\":\"PO-1\"}",
	    part, bin, (long long)qty);
}

static void issue(const char *pk, const char *wo, int64_t at, int64_t rec)
{
	char job[64] = "";
	if (wo)
		snprintf(job, sizeof job, ",\"wo_id\":\"%s\"", wo);
	put(SVL_T_PARTS_ISSUED, at, rec,
	    "{\"part_no\":\"P1\",\"bin\":\"W1-A01-1-01\",\"qty_milli\":1000,"
	    "\"pick_id\":\"%s\"%s}",
	    pk, job);
}

static void count(const char *stk, const char *part, const char *bin,
		  int64_t qty, int64_t at)
{
	NOW(STOCKTAKE_LINE_COUNTED, at,
	    "{\"stk_id\":\"%s\",\"part_no\":\"%s\",\"bin\":\"%s\","
	    "\"counted_qty_milli\":%lld}",
	    stk, part, bin, (long long)qty);
}

static void write_off(const char *wof, int64_t total, int64_t at)
{
	NOW(WRITEOFF_APPROVED, at,
	    "{\"wof_id\":\"%s\",\"total_fen\":%lld,\"lines\":[{\"part_no\":"
	    "\"P4\",\"bin\":\"W1-A01-1-04\",\"qty_milli\":1000,"
	    "\"unit_cost_fen\":%lld}]}",
	    wof, (long long)total, (long long)total);
}

static void charge(const char *staff_id, const char *wof, int64_t fen,
		   int64_t at)
{
	NOW(LIABILITY_CHARGED, at,
	    "{\"staff_id\":\"%s\",\"amount_fen\":%lld,\"cause\":"
	    "\"writeoff_share\",\"wof_id\":\"%s\"}",
	    staff_id, (long long)fen, wof);
}

static void bins(void)
{
	static const char *const b[][2] = {{"P1", "W1-A01-1-01"},
					   {"P2", "W1-A01-1-02"},
					   {"P4", "W1-A01-1-04"}};
	for (int i = 0; i < 3; i++)
		NOW(BIN_ASSIGNED, AT(7, 1, 8, i),
		    "{\"part_no\":\"%s\",\"bin\":\"%s\"}", b[i][0], b[i][1]);
}

/*
 * The story, in the order it was entered (staff E001 service manager,
 * E010 parts manager, E012 warehouse keeper from 07-01):
 *
 * Bookings (R-WO-3, R-BKG-8; a reminder is due an hour before the slot):
 *   WO-A  confirmed for 07-03 09:00; pick PK-A approved 07-02 17:00;
 *         reminded 07-03 07:30 (by 08:00: in time); received 07-03 09:05.
 *         Pre-picked, reminded.
 *   WO-B  confirmed for 07-04 10:00; reminded 09:30 (after 09:00: late);
 *         received 10:10; pick PK-B requested 11:00, issued 11:30: after
 *         the reception. Not pre-picked, not reminded in time.
 *   WO-C  confirmed for 07-05 14:00; reminded 07-04 12:00; moved on 07-04
 *         16:00 to 07-06 14:00 (the reminder was for the old slot);
 *         received 07-06 14:00 with no pick ever. No parts: counted
 *         apart; not reminded for its slot (no reminder since it moved).
 *   WO-D  confirmed for 07-07 09:00, cancelled 07-06 17:00: before its
 *         reminder was due, so not counted.
 *   WO-E  confirmed for 07-08 11:00; received early at 09:30, before its
 *         reminder was due (10:00): not counted for R-BKG-8; pick PK-E
 *         approved at 09:30, the reception's minute: pre-picked.
 *   WO-W  a walk-in received 07-05 with a pick: no booking, not counted.
 *   WO-F  confirmed on 07-20 for 08-05 10:00, reminded 08-05 08:00: an
 *         August booking reminded in time (never received).
 *   WO-G  confirmed on 08-10 12:00 (the ledger's last event: its clock)
 *         for 08-20 10:00: its reminder is not due yet, not counted.
 *   July: booked received with parts 3 (A, B, E), pre-picked 2 (A, E):
 *         2/3 = 667 permille; no pick 1 (C). Reminders due 3 (A, B, C),
 *         in time 1: 333. August: reminders due 1, in time 1: 1000.
 *
 * Stock (R-BIN-2: late when entered on a later local day):
 *   cards P1 W1-A01-1-01, P2 W1-A01-1-02, P4 W1-A01-1-04 (bin_assigned:
 *   facts, not movements). Movements that happened in July: shelved P1
 *   10, P2 3, P4 10 (07-01); write-off WOF-0 P4 1 (07-01 12:00); issued
 *   P1 1 on PK-B (07-04); shelved P1 5 on 07-10 17:00 entered 07-12
 *   09:00 (2 days late); adjustment P1 -1 (07-16); write-off WOF-1 P4 1
 *   (07-20): 8 movements, 1 late: 1/8 = 125 permille. The settlement of
 *   WO-B (07-04 15:00, entered 07-05) is on P1's card but moves nothing:
 *   not counted. August: P1 1 issued over the counter 08-02 23:30,
 *   entered 08-03 00:10 (the same UTC day, the next local day): 1 of 1,
 *   1000 permille, 1 day late.
 *
 * Stocktakes (the book as of the opening, as reconcile reads it):
 *   STK-1 monthly, opened 07-15 18:00: P1 counted 12 then recounted 13
 *   (the recount replaces it; book 10 - 1 + 5 = 14: differs), P2 3 (book
 *   3), P3 0 at W1-A01-1-03 (no card: book 0). 3 lines, 2 agreeing:
 *   6667 bp (2/3 rounded half up); 1 adjustment proposed, 1 approved.
 *   STK-2 daily, opened 08-01 18:00, not closed: P2 3 (book 3): 1 of 1.
 *
 * Write-offs (R-WOF-6, 700/100/100/100; overdue 30 days after approval,
 * the clock being 08-10 12:00):
 *   WOF-0 approved 07-01 12:00, 10.00: roles 1.00 each, company 7.00;
 *         E012 (keeper) charged 07-02. Due 07-31 12:00, passed: the
 *         service manager's and the parts manager's shares are overdue.
 *   WOF-1 approved 07-20 10:00, 123.45: roles floor(12.345) = 12.34
 *         each, company 123.45 - 37.02 = 86.43; E001 charged 07-21, E010
 *         07-22, the keeper not yet: due 08-19 10:00, not passed.
 *   July: 2 write-offs, 6 role shares due, 3 charged, 2 overdue.
 *
 * Totals: booked 3, pre-picked 2 (667); reminders 4, in time 2 (500);
 * movements 9, late 2 (2/9 = 222); lines 4, agreeing 3 (7500).
 */
static void story(void)
{
	staff("E001", "service_manager");
	staff("E010", "parts_manager");
	staff("E012", "warehouse_keeper");
	bins();
	shelve("P1", "W1-A01-1-01", 10000, AT(7, 1, 9, 0), AT(7, 1, 9, 0));
	shelve("P2", "W1-A01-1-02", 3000, AT(7, 1, 9, 10), AT(7, 1, 9, 10));
	shelve("P4", "W1-A01-1-04", 10000, AT(7, 1, 9, 30), AT(7, 1, 9, 30));
	confirm("WO-A", AT(7, 1, 10, 0), AT(7, 3, 9, 0));
	confirm("WO-B", AT(7, 1, 11, 0), AT(7, 4, 10, 0));
	write_off("WOF-0", 1000, AT(7, 1, 12, 0));
	confirm("WO-C", AT(7, 2, 9, 0), AT(7, 5, 14, 0));
	confirm("WO-D", AT(7, 2, 10, 0), AT(7, 7, 9, 0));
	charge("E012", "WOF-0", 100, AT(7, 2, 11, 0));
	pick("PK-A", "WO-A", AT(7, 2, 16, 0));
	approve_pick("PK-A", AT(7, 2, 17, 0));
	remind("WO-A", AT(7, 3, 7, 30));
	confirm("WO-E", AT(7, 3, 8, 0), AT(7, 8, 11, 0));
	receive("WO-A", AT(7, 3, 9, 5));
	remind("WO-B", AT(7, 4, 9, 30));
	receive("WO-B", AT(7, 4, 10, 10));
	pick("PK-B", "WO-B", AT(7, 4, 11, 0));
	issue("PK-B", "WO-B", AT(7, 4, 11, 30), AT(7, 4, 11, 30));
	remind("WO-C", AT(7, 4, 12, 0));
	NOW(BOOKING_RESCHEDULED, AT(7, 4, 16, 0),
	    "{\"wo_id\":\"WO-C\",\"slot_at_ms\":%lld,\"reason\":"
	    "\"customer_request\"}",
	    (long long)AT(7, 6, 14, 0));
	put(SVL_T_SETTLEMENT_ISSUED, AT(7, 4, 15, 0), AT(7, 5, 10, 0),
	    "{\"wo_id\":\"WO-B\",\"labor_fen\":1000,\"parts_fen\":5000,"
	    "\"materials_fen\":0,\"total_fen\":6000,\"customer_signed\":true}");
	receive("WO-W", AT(7, 5, 11, 0));
	pick("PK-W", "WO-W", AT(7, 5, 11, 30));
	approve_pick("PK-W", AT(7, 5, 11, 45));
	receive("WO-C", AT(7, 6, 14, 0));
	NOW(BOOKING_CANCELLED, AT(7, 6, 17, 0),
	    "{\"wo_id\":\"WO-D\",\"reason\":\"customer_request\"}");
	pick("PK-E", "WO-E", AT(7, 8, 9, 30));
	approve_pick("PK-E", AT(7, 8, 9, 30));
	receive("WO-E", AT(7, 8, 9, 30));
	shelve("P1", "W1-A01-1-01", 5000, AT(7, 10, 17, 0), AT(7, 12, 9, 0));
	NOW(STOCKTAKE_OPENED, AT(7, 15, 18, 0),
	    "{\"stk_id\":\"STK-1\",\"kind\":\"monthly_full\","
	    "\"finance_present\":false}");
	count("STK-1", "P1", "W1-A01-1-01", 12000, AT(7, 15, 18, 5));
	count("STK-1", "P2", "W1-A01-1-02", 3000, AT(7, 15, 18, 10));
	count("STK-1", "P3", "W1-A01-1-03", 0, AT(7, 15, 18, 15));
	count("STK-1", "P1", "W1-A01-1-01", 13000, AT(7, 15, 18, 20));
	NOW(STOCKTAKE_CLOSED, AT(7, 15, 18, 30),
	    "{\"stk_id\":\"STK-1\",\"lines_counted\":3}");
	NOW(ADJUSTMENT_PROPOSED, AT(7, 15, 18, 40),
	    "{\"stk_id\":\"STK-1\",\"adj_no\":1,\"part_no\":\"P1\",\"bin\":"
	    "\"W1-A01-1-01\",\"delta_qty_milli\":-1000,\"cause\":\"short\","
	    "\"responsible_id\":\"E012\"}");
	NOW(ADJUSTMENT_APPROVED, AT(7, 16, 9, 0),
	    "{\"part_no\":\"P1\",\"bin\":\"W1-A01-1-01\",\"delta_qty_milli\":"
	    "-1000,\"stk_id\":\"STK-1\",\"adj_no\":1}");
	write_off("WOF-1", 12345, AT(7, 20, 10, 0));
	confirm("WO-F", AT(7, 20, 11, 0), AT(8, 5, 10, 0));
	charge("E001", "WOF-1", 1234, AT(7, 21, 10, 0));
	charge("E010", "WOF-1", 1234, AT(7, 22, 10, 0));
	NOW(STOCKTAKE_OPENED, AT(8, 1, 18, 0),
	    "{\"stk_id\":\"STK-2\",\"kind\":\"daily_spot\","
	    "\"finance_present\":false}");
	count("STK-2", "P2", "W1-A01-1-02", 3000, AT(8, 1, 18, 5));
	issue("PK-X", NULL, AT(8, 2, 23, 30), AT(8, 3, 0, 10));
	remind("WO-F", AT(8, 5, 8, 0));
	confirm("WO-G", AT(8, 10, 12, 0), AT(8, 20, 10, 0));
}

static svl_figures *get(enum svl_metrics_period p, int64_t from, int64_t to)
{
	svl_figures_options o = SVL_FIGURES_OPTIONS_INIT;
	svl_figures *r = NULL;
	o.period = p;
	o.from_ms = from;
	o.to_ms = to;
	cr_assert_eq(svl_figures_get(led, &o, &r), SVL_OK, "%s",
		     svl_ledger_errmsg(led));
	return r;
}

#define EQ(a, b) cr_assert_eq((int64_t)(a), (int64_t)(b), "%s", #a)

Test(figures, the_story_by_month_worked_by_hand)
{
	story();
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	EQ(r->as_of_ms, AT(8, 10, 12, 0));
	EQ(r->charge_days, 30);
	EQ(r->tz_offset_min, 480);
	cr_assert_eq(r->n_rows, 2);
	const svl_figures_row *jul = &r->rows[0], *aug = &r->rows[1];
	cr_assert_str_eq(jul->label, "2026-07");
	cr_assert_str_eq(aug->label, "2026-08");
	EQ(jul->period_start_ms, JULY1);
	/* R-WO-3 */
	EQ(jul->c.booked_received, 3);
	EQ(jul->c.prepicked, 2);
	EQ(jul->c.booked_no_pick, 1);
	EQ(jul->r.prepick_permille, 667);
	EQ(aug->r.prepick_permille, SVL_METRICS_NONE);
	/* R-BKG-8 */
	EQ(jul->c.reminders_due, 3);
	EQ(jul->c.reminded_in_time, 1);
	EQ(jul->r.reminded_permille, 333);
	EQ(aug->c.reminders_due, 1);
	EQ(aug->r.reminded_permille, 1000);
	/* R-BIN-2 */
	EQ(jul->c.stock_moves, 8);
	EQ(jul->c.late_entries, 1);
	EQ(jul->r.late_entry_permille, 125);
	EQ(aug->c.stock_moves, 1);
	EQ(aug->r.late_entry_permille, 1000);
	/* stocktakes */
	EQ(jul->c.stocktakes, 1);
	EQ(jul->c.count_lines, 3);
	EQ(jul->c.count_lines_exact, 2);
	EQ(jul->r.accuracy_bp, 6667);
	EQ(aug->r.accuracy_bp, 10000);
	/* R-WOF-6 */
	EQ(jul->c.writeoffs, 2);
	EQ(jul->c.wof_shares_due, 6);
	EQ(jul->c.wof_shares_charged, 3);
	EQ(jul->c.wof_shares_overdue, 2);
	/* the total: ratios of the sums */
	cr_assert_str_eq(r->total.label, "total");
	EQ(r->total.r.prepick_permille, 667);
	EQ(r->total.c.reminders_due, 4);
	EQ(r->total.r.reminded_permille, 500);
	EQ(r->total.c.stock_moves, 9);
	EQ(r->total.r.late_entry_permille, 222);
	EQ(r->total.r.accuracy_bp, 7500);
	svl_figures_free(r);
}

Test(figures, the_lists_behind_the_figures)
{
	story();
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	/* R-WO-3: WO-B, picked an hour and twenty minutes after */
	cr_assert_eq(r->n_prepick_misses, 1);
	const svl_fig_job *b = &r->prepick_misses[0];
	cr_assert_str_eq(b->wo_id, "WO-B");
	cr_assert_str_eq(b->label, "2026-07");
	cr_assert_str_eq(b->pick_id, "PK-B");
	EQ(b->received_at_ms, AT(7, 4, 10, 10));
	EQ(b->picked_at_ms, AT(7, 4, 11, 30));
	/* R-BKG-8: WO-B reminded too late, WO-C not since its slot moved */
	cr_assert_eq(r->n_unreminded, 2);
	cr_assert_str_eq(r->unreminded[0].wo_id, "WO-B");
	EQ(r->unreminded[0].reminded_at_ms, AT(7, 4, 9, 30));
	cr_assert_str_eq(r->unreminded[1].wo_id, "WO-C");
	EQ(r->unreminded[1].slot_at_ms, AT(7, 6, 14, 0));
	EQ(r->unreminded[1].reminded_at_ms, 0);
	/* R-BIN-2 */
	cr_assert_eq(r->n_late, 2);
	const svl_fig_late_entry *l0 = &r->late[0], *l1 = &r->late[1];
	cr_assert_str_eq(l0->part_no, "P1");
	cr_assert_str_eq(l0->bin, "W1-A01-1-01");
	EQ(l0->type, SVL_T_PARTS_SHELVED);
	cr_assert_str_eq(l0->doc, "PO-1");
	EQ(l0->occurred_at_ms, AT(7, 10, 17, 0));
	EQ(l0->recorded_at_ms, AT(7, 12, 9, 0));
	EQ(l0->days_late, 2);
	cr_assert_str_eq(l1->label, "2026-08");
	EQ(l1->type, SVL_T_PARTS_ISSUED);
	cr_assert_str_eq(l1->doc, "PK-X");
	EQ(l1->days_late, 1);
	/* stocktakes */
	cr_assert_eq(r->n_stocktakes, 2);
	const svl_fig_stocktake *s1 = &r->stocktakes[0];
	cr_assert_str_eq(s1->stk_id, "STK-1");
	EQ(s1->kind, SVL_STK_KIND_MONTHLY_FULL);
	EQ(s1->opened_at_ms, AT(7, 15, 18, 0));
	EQ(s1->closed_at_ms, AT(7, 15, 18, 30));
	EQ(s1->lines, 3);
	EQ(s1->lines_exact, 2);
	EQ(s1->accuracy_bp, 6667);
	EQ(s1->adj_proposed, 1);
	EQ(s1->adj_approved, 1);
	cr_assert_str_eq(r->stocktakes[1].stk_id, "STK-2");
	EQ(r->stocktakes[1].closed_at_ms, 0);
	/* R-WOF-6 */
	cr_assert_eq(r->n_writeoffs, 2);
	const svl_fig_writeoff *w0 = &r->writeoffs[0], *w1 = &r->writeoffs[1];
	cr_assert_str_eq(w0->wof_id, "WOF-0");
	EQ(w0->share_fen[SVL_WOF_COMPANY], 700);
	EQ(w0->share_fen[SVL_WOF_SERVICE_MANAGER], 100);
	EQ(w0->due_at_ms, AT(7, 31, 12, 0));
	EQ(w0->overdue[SVL_WOF_SERVICE_MANAGER], 1);
	EQ(w0->overdue[SVL_WOF_PARTS_MANAGER], 1);
	EQ(w0->overdue[SVL_WOF_WAREHOUSE_KEEPER], 0);
	cr_assert_str_eq(w0->charged_to[SVL_WOF_WAREHOUSE_KEEPER], "E012");
	EQ(w0->charged_at_ms[SVL_WOF_WAREHOUSE_KEEPER], AT(7, 2, 11, 0));
	cr_assert_str_eq(w1->wof_id, "WOF-1");
	EQ(w1->share_fen[SVL_WOF_COMPANY], 8643);
	EQ(w1->share_fen[SVL_WOF_WAREHOUSE_KEEPER], 1234);
	cr_assert_str_eq(w1->charged_to[SVL_WOF_SERVICE_MANAGER], "E001");
	cr_assert_str_eq(w1->charged_to[SVL_WOF_PARTS_MANAGER], "E010");
	EQ(w1->charged_at_ms[SVL_WOF_WAREHOUSE_KEEPER], 0);
	EQ(w1->overdue[SVL_WOF_WAREHOUSE_KEEPER], 0);
	svl_figures_free(r);
}

Test(figures, a_range_keeps_its_periods_items_only)
{
	story();
	/* August only: a date's midnight in the ledger's zone */
	svl_figures *r = get(SVL_METRICS_DAY, AT(8, 1, 0, 0), JULY1 + 62 * DAY);
	cr_assert_eq(r->n_rows, 3, "08-01 count, 08-02 issue, 08-05 slot");
	cr_assert_str_eq(r->rows[0].label, "2026-08-01");
	EQ(r->rows[0].c.count_lines, 1);
	cr_assert_str_eq(r->rows[1].label, "2026-08-02");
	EQ(r->rows[1].c.late_entries, 1);
	cr_assert_str_eq(r->rows[2].label, "2026-08-05");
	EQ(r->rows[2].c.reminded_in_time, 1);
	cr_assert_eq(r->n_prepick_misses + r->n_unreminded + r->n_writeoffs, 0);
	cr_assert_eq(r->n_late, 1);
	cr_assert_eq(r->n_stocktakes, 1);
	cr_assert_str_eq(r->stocktakes[0].stk_id, "STK-2");
	svl_figures_free(r);
}

/* A share is overdue once the clock reaches the approval plus 30 days. */
Test(figures, a_share_is_overdue_from_the_30th_day)
{
	staff("E001", "service_manager");
	write_off("WOF-9", 1000, AT(7, 1, 12, 0));
	NOW(STAFF_ROLE_ASSIGNED, AT(7, 31, 11, 59),
	    "{\"staff_id\":\"E099\",\"role\":\"technician\",\"from_at_ms\":%"
	    "lld}",
	    (long long)AT(7, 1, 0, 0));
	svl_figures *r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	EQ(r->writeoffs[0].due_at_ms, AT(7, 31, 12, 0));
	EQ(r->rows[0].c.wof_shares_due, 3);
	EQ(r->rows[0].c.wof_shares_overdue, 0);
	svl_figures_free(r);
	NOW(STAFF_ROLE_ASSIGNED, AT(7, 31, 12, 0),
	    "{\"staff_id\":\"E098\",\"role\":\"technician\",\"from_at_ms\":%"
	    "lld}",
	    (long long)AT(7, 1, 0, 0));
	r = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	EQ(r->rows[0].c.wof_shares_overdue, 3);
	svl_figures_free(r);
}

/* The rule set's writeoff_charge_days moves the day a share falls due. */
Test(figures, the_rule_set_sets_the_days_to_charge_a_share)
{
	svl_rules r;
	char err[128];
	const char *j = "{\"id\": \"ten\", \"writeoff_charge_days\": 10}";
	cr_assert_eq(svl_rules_parse(j, strlen(j), &r, err, sizeof err), SVL_OK,
		     "%s", err);
	svl_ledger_close(led);
	svl_test_rmdir(dir);
	led = svl_test_ledger(&dir, &r);
	staff("E001", "service_manager");
	write_off("WOF-9", 1000, AT(7, 1, 12, 0));
	svl_figures *f = get(SVL_METRICS_MONTH, INT64_MIN, INT64_MAX);
	EQ(f->writeoffs[0].due_at_ms, AT(7, 11, 12, 0));
	svl_figures_free(f);
}

Test(figures, an_empty_ledger_has_no_rows)
{
	svl_figures *r = get(SVL_METRICS_WEEK, INT64_MIN, INT64_MAX);
	cr_assert_eq(r->n_rows, 0);
	EQ(r->head_seq, 0);
	EQ(r->total.r.prepick_permille, SVL_METRICS_NONE);
	svl_figures_free(r);
	svl_figures_free(NULL);
}

Test(figures, caller_errors_are_named)
{
	svl_figures *r = NULL;
	svl_figures_options o = SVL_FIGURES_OPTIONS_INIT;
	cr_assert_eq(svl_figures_get(NULL, &o, &r), SVL_EMISUSE);
	cr_assert_eq(svl_figures_get(led, &o, NULL), SVL_EMISUSE);
	o.version = 99;
	cr_assert_eq(svl_figures_get(led, &o, &r), SVL_EMISUSE);
	cr_assert(strstr(svl_ledger_errmsg(led), "options version 99"), "%s",
		  svl_ledger_errmsg(led));
	o = (svl_figures_options)SVL_FIGURES_OPTIONS_INIT;
	o.from_ms = o.to_ms = JULY1;
	cr_assert_eq(svl_figures_get(led, &o, &r), SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(led), "must be before"), "%s",
		  svl_ledger_errmsg(led));
	o = (svl_figures_options)SVL_FIGURES_OPTIONS_INIT;
	o.period = (enum svl_metrics_period)7;
	cr_assert_eq(svl_figures_get(led, &o, &r), SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(led), "no period 7"), "%s",
		  svl_ledger_errmsg(led));
	/* NULL options: every month */
	cr_assert_eq(svl_figures_get(led, NULL, &r), SVL_OK);
	cr_assert_eq(r->period, SVL_METRICS_MONTH);
	svl_figures_free(r);
}
