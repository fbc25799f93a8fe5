/*
 * cmd_work.c - `svcledger work-order ID` (one job with its transitions,
 * parts and complaints) and `svcledger work-orders` (lists by state,
 * advisor, technician and date), from the work_orders projection.
 *
 * Detail rows are collected into arrays first and printed after the
 * library's read snapshot ends: callbacks run inside it, and a terminal
 * that blocks our output must not hold a reader slot.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "fmt.h"

static const cli_opt wo_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON, CLI_OPT_END};
enum { WO_DIR, WO_JSON };

static const cli_spec wo_spec = {
    "work-order",
    "ID [-d DIR] [--json]",
    "Show one job from booking to follow-up (domain.md section 2): its\n"
    "state, customer and vehicle, each stage with its time (booked,\n"
    "received, quoted, signed, dispatched, completed, quality checks,\n"
    "settled, paid, delivered, follow-up), then its state transitions,\n"
    "the parts it took and the complaints naming it. Money in yuan, times\n"
    "in the ledger's zone. Exit 2 when no event names the job.",
    wo_opts,
    1,
    "  $ svcledger work-order WO-1\n"
    "  work order WO-1: closed since 2026-07-04 10:00 (12 transitions; times "
    "UTC+08:00)\n"
    "    customer C-1, plate B-12345, VIN -, maintenance job; advisor E005, "
    "technician E021; due 1,280.00\n"
    "  ...\n"
    "    delivered        2026-07-02 15:30  promised 2026-07-02 17:00, on "
    "time: yes\n"};

/* ---- one job ---- */

typedef struct wo_rows {
	svl_wo_transition *trans;
	svl_wo_part *parts;
	svl_wo_complaint *cmps;
	size_t n_trans, n_parts, n_cmps, cap_trans, cap_parts, cap_cmps;
} wo_rows;

/* Append one element of `size` bytes to a growing array; 1 on OOM. */
static int grow(void **v, size_t *n, size_t *cap, size_t size, const void *el)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		void *nv = realloc(*v, c * size);
		if (!nv)
			return 1;
		*v = nv;
		*cap = c;
	}
	memcpy((char *)*v + *n * size, el, size);
	(*n)++;
	return 0;
}

static int trans_fn(const svl_wo_transition *t, void *p)
{
	wo_rows *r = p;
	return grow((void **)&r->trans, &r->n_trans, &r->cap_trans, sizeof *t,
		    t);
}

static int part_fn(const svl_wo_part *x, void *p)
{
	wo_rows *r = p;
	return grow((void **)&r->parts, &r->n_parts, &r->cap_parts, sizeof *x,
		    x);
}

static int cmp_fn(const svl_wo_complaint *c, void *p)
{
	wo_rows *r = p;
	return grow((void **)&r->cmps, &r->n_cmps, &r->cap_cmps, sizeof *c, c);
}

static int show_wo(const cli_ctx *ctx, svl_ledger *l, const char *id, int json)
{
	svl_work_order wo;
	wo_rows r;
	memset(&r, 0, sizeof r);
	int rc = svl_work_order_get(l, id, &wo);
	if (rc == SVL_ENOTFOUND)
		return cli_error(ctx, CLI_EXIT_INPUT,
				 "no work order %s (no event names it)", id);
	if (rc == SVL_OK)
		rc = svl_work_order_transitions(l, id, trans_fn, &r);
	if (rc == SVL_OK)
		rc = svl_work_order_parts(l, id, part_fn, &r);
	if (rc == SVL_OK)
		rc = svl_work_order_complaints(l, id, cmp_fn, &r);
	int code = 0;
	if (rc == 1)
		code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	else if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	if (!code) {
		fmt_wo w = {&wo,       r.trans, r.n_trans, r.parts,
			    r.n_parts, r.cmps,	r.n_cmps,  cmd_ledger_tz(l)};
		if (json)
			code = cli_json_print(ctx, json_work_order(&w));
		else if (print_work_order(stdout, &w) != 0)
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "out of memory or cannot write");
	}
	free(r.trans);
	free(r.parts);
	free(r.cmps);
	return code;
}

int cli_cmd_work_order(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &wo_spec, argc, argv, &a, &code))
		return code;
	if (a.npos < 1) /* no job named: every job, as work-orders lists */
		return cli_cmd_work_orders(ctx, argc, argv);
	if (strlen(a.pos[0]) > SVL_WO_ID_MAX)
		return cli_error(ctx, CLI_EXIT_INPUT,
				 "'%s' is longer than a work order id (%d)",
				 a.pos[0], SVL_WO_ID_MAX);
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[WO_DIR]),
				    SVL_LOG_RDONLY, &l)))
		return code;
	code = show_wo(ctx, l, a.pos[0], a.val[WO_JSON] != NULL);
	svl_ledger_close(l);
	return code;
}

/* ---- lists ---- */

static const cli_opt list_opts[] = {
    CLI_OPT_LEDGER,
    {"state", 0, "S", "only jobs in state S (booked ... closed)"},
    {"advisor", 0, "STAFF", "only jobs of this service advisor"},
    {"technician", 0, "STAFF", "only jobs of this technician"},
    {"from", 0, "DATE", "booked (or delivered) on or after DATE"},
    {"to", 0, "DATE", "booked (or delivered) on or before DATE"},
    {"delivered", 0, NULL, "--from/--to bound the delivery, not the booking"},
    {"customer", 0, "ID", "only jobs of this customer file"},
    {"plate", 0, "PLATE", "only jobs of this licence plate"},
    {"vin", 0, "VIN", "only jobs of this VIN"},
    {"limit", 0, "N", "at most N jobs (a page); the total is still counted"},
    {"after", 0, "CURSOR", "the page after CURSOR (a page's \"next\")"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum {
	WL_DIR,
	WL_STATE,
	WL_ADV,
	WL_TECH,
	WL_FROM,
	WL_TO,
	WL_DELIV,
	WL_CUST,
	WL_PLATE,
	WL_VIN,
	WL_LIMIT,
	WL_AFTER,
	WL_JSON
};

static const cli_spec list_spec = {
    "work-orders",
    "[-d DIR] [--state S] [--advisor STAFF] [--technician STAFF]\n"
    "                     [--customer ID] [--plate PLATE] [--vin VIN]\n"
    "                     [--from DATE] [--to DATE] [--delivered]\n"
    "                     [--limit N] [--after CURSOR] [--json]",
    "List jobs, one line each: state and since when, advisor, technician,\n"
    "plate, booked, promised and delivered times, on time, total due and\n"
    "follow-up result. Every filter given must hold. --from and --to are\n"
    "days in the ledger's zone, both included (or exact times), and bound\n"
    "the day the job was booked (its first event), or with --delivered\n"
    "its delivery. Sorted by date when dates are given, else by id.\n"
    "--limit shows one page and the cursor of the next (--after);\n"
    "--json gives count (this page), total (every page) and next.",
    list_opts,
    0,
    "  $ svcledger work-orders --advisor E006 --from 2026-07-03 --to "
    "2026-07-03\n"
    "  work order  state      since             advisor  technician  plate    "
    "booked            promised          delivered         on time   total  "
    "follow-up\n"
    "  WO-2        delivered  2026-07-03 16:00  E006     E021        B-67890  "
    "2026-07-03 08:30  2026-07-03 12:00  2026-07-03 16:00  late     500.00  "
    "none\n"
    "  1 work order\n"};

typedef struct list_acc {
	fmt_table *t;
	json_t *arr;
	int32_t tz;
} list_acc;

static int list_fn(const svl_work_order *wo, void *p)
{
	list_acc *a = p;
	if (a->arr)
		return json_array_append_new(a->arr,
					     json_work_order_fields(wo, a->tz))
			   ? 1
			   : 0;
	fmt_work_orders_row(a->t, wo, a->tz);
	return 0;
}

static int parse_list(const cli_ctx *ctx, const cli_args *a, int32_t tz,
		      svl_wo_filter *f)
{
	int code;
	if (a->val[WL_STATE]) {
		f->state = svl_wo_state_find(a->val[WL_STATE],
					     strlen(a->val[WL_STATE]));
		if (f->state < 0)
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--state: no state '%s' (booked, "
					 "received, ..., delivered, closed)",
					 a->val[WL_STATE]);
	}
	f->advisor_id = a->val[WL_ADV];
	f->technician_id = a->val[WL_TECH];
	f->customer_id = a->val[WL_CUST];
	f->plate = a->val[WL_PLATE];
	f->vin = a->val[WL_VIN];
	if (!a->val[WL_FROM] && !a->val[WL_TO])
		return a->val[WL_DELIV]
			   ? cli_error(ctx, CLI_EXIT_USAGE,
				       "--delivered goes with --from/--to")
			   : 0;
	f->date = a->val[WL_DELIV] ? SVL_WO_DATE_DELIVERED : SVL_WO_DATE_BOOKED;
	f->from_ms = SVL_TIME_MIN_MS;
	f->to_ms = SVL_TIME_MAX_MS;
	if ((code = cli_opt_time(ctx, "from", a->val[WL_FROM], tz, false,
				 &f->from_ms)) ||
	    (code = cli_opt_time(ctx, "to", a->val[WL_TO], tz, true,
				 &f->to_ms)))
		return code;
	if (f->from_ms >= f->to_ms)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--from must come before --to");
	return 0;
}

static int list(const cli_ctx *ctx, svl_ledger *l, const svl_wo_filter *f,
		svl_page *page, int json)
{
	list_acc acc = {NULL, NULL, cmd_ledger_tz(l)};
	if (json)
		acc.arr = json_array();
	else
		acc.t = fmt_work_orders_table();
	if (!acc.arr && !acc.t)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	int rc = svl_work_orders_page(l, f, page, list_fn, &acc);
	return cmd_page_finish(ctx, l, rc, page, &acc.arr, acc.t, "work_orders", "work order", "work orders");
}

int cli_cmd_work_orders(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &list_spec, argc, argv, &a, &code))
		return code;
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[WL_DIR]),
				    SVL_LOG_RDONLY, &l)))
		return code;
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	svl_page page = SVL_PAGE_INIT;
	page.after = a.val[WL_AFTER];
	uint64_t limit = 0;
	if (!(code = parse_list(ctx, &a, cmd_ledger_tz(l), &f)) &&
	    !(code = cli_opt_u64(ctx, "limit", a.val[WL_LIMIT], &limit))) {
		page.limit = (size_t)limit;
		code = list(ctx, l, &f, &page, a.val[WL_JSON] != NULL);
	}
	svl_ledger_close(l);
	return code;
}
