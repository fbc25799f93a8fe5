/*
 * test_stock_page.c - stock cards and a card's lines a page at a time
 * (svl_stock_cards_page, svl_stock_card_lines_page): every item once, in
 * the list's order, with the total; a foreign cursor is refused.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "svcledger.h"

static char *dir;
static svl_ledger *led;

static void submit(const char *ndjson)
{
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(led, ndjson, strlen(ndjson), 0, &r),
		     SVL_OK, "%s", r.message);
}

#define EV(type, payload)                                                      \
	"{\"type\":\"" type "\",\"actor\":\"E012\",\"role\":"                  \
	"\"warehouse_keeper\",\"occurred_at_ms\":1782900000000,\"payload\":" \
	payload "}"

static void setup(void)
{
	dir = svl_test_mkdtemp();
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC | SVL_LOG_CREATE;
	cr_assert_eq(svl_ledger_open(&led, dir, &o), SVL_OK);
	submit("{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"
	       "\"service_manager\",\"occurred_at_ms\":1782835200000,"
	       "\"payload\":{\"staff_id\":\"E012\",\"role\":"
	       "\"warehouse_keeper\",\"from_at_ms\":1782835200000}}");
	for (int k = 1; k <= 12; k++) {
		char buf[512];
		snprintf(buf, sizeof buf,
			 EV("bin_assigned", "{\"part_no\":\"P%d\",\"bin\":"
					    "\"W1-A01-1-%02d\"}"),
			 k, k);
		submit(buf);
		snprintf(buf, sizeof buf,
			 EV("parts_shelved",
			    "{\"part_no\":\"P%d\",\"bin\":\"W1-A01-1-%02d\","
			    "\"qty_milli\":1000,\"unit_cost_fen\":100}"),
			 k, k);
		for (int i = 0; i < (k == 1 ? 7 : 1); i++)
			submit(buf); /* P1: seven lines */
	}
}

static void teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

TestSuite(stock_page, .init = setup, .fini = teardown, .timeout = 60);

typedef struct seen {
	char parts[16][SVL_PART_MAX + 1];
	uint64_t seqs[16];
	size_t n;
} seen;

static int card(const svl_stock_card *c, void *p)
{
	seen *s = p;
	cr_assert_lt(s->n, 16);
	snprintf(s->parts[s->n++], sizeof s->parts[0], "%s", c->part_no);
	return 0;
}

static int line(const svl_stock_line *l, void *p)
{
	seen *s = p;
	cr_assert_lt(s->n, 16);
	s->seqs[s->n++] = l->seq;
	return 0;
}

Test(stock_page, cards_page_by_page_in_key_order)
{
	static const char *const want[] = {"P1", "P2",  "P3",  "P4",
					   "P5", "P6",	"P7",  "P8",
					   "P9", "P10", "P11", "P12"};
	seen all = {.n = 0};
	svl_page p = SVL_PAGE_INIT;
	char after[SVL_PAGE_KEY_MAX + 1] = "";
	int pages = 0;
	p.limit = 5;
	do {
		p.after = after;
		cr_assert_eq(svl_stock_cards_page(led, NULL, &p, card, &all),
			     SVL_OK, "%s", svl_ledger_errmsg(led));
		cr_assert_eq(p.total, 12);
		snprintf(after, sizeof after, "%s", p.next);
		pages++;
	} while (after[0]);
	cr_assert_eq(pages, 3);
	cr_assert_eq(all.n, 12);
	for (size_t i = 0; i < 12; i++)
		cr_assert_str_eq(all.parts[i], want[i]);
}

Test(stock_page, a_cards_lines_page_by_page)
{
	seen s = {.n = 0}, all = {.n = 0};
	cr_assert_eq(svl_stock_card_lines(led, "P1", NULL, 0, 0, line, &s),
		     SVL_OK);
	cr_assert_eq(s.n, 7);
	svl_page p = SVL_PAGE_INIT;
	char after[SVL_PAGE_KEY_MAX + 1] = "";
	p.limit = 3;
	do {
		p.after = after;
		cr_assert_eq(svl_stock_card_lines_page(led, "P1", NULL, 0, 0,
						       &p, line, &all),
			     SVL_OK, "%s", svl_ledger_errmsg(led));
		cr_assert_eq(p.total, 7);
		snprintf(after, sizeof after, "%s", p.next);
	} while (after[0]);
	cr_assert_eq(all.n, 7);
	for (size_t i = 0; i < 7; i++)
		cr_assert_eq(all.seqs[i], s.seqs[i]);
	p.after = "P1";
	cr_assert_eq(
	    svl_stock_card_lines_page(led, "P1", NULL, 0, 0, &p, line, &all),
	    SVL_EINVAL);
}
