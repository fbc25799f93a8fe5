/*
 * cmd_docs.c - `svcledger documents`: the department's open paperwork
 * (svl_documents.h): pick lists and the signatures they wait for,
 * purchase orders and their acceptance, complaints and their deadlines,
 * write-offs awaiting approval or disposal. A page at a time.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd_common.h"
#include "fmt.h"

static const cli_opt opts[] = {
    CLI_OPT_LEDGER,
    {"kind", 0, "K", "pick, purchase_order, complaint or writeoff"},
    {"state", 0, "S", "waiting_signatures ... done, or all (default: open)"},
    {"job", 0, "WO", "the documents that name this job"},
    {"limit", 0, "N", "at most N documents (a page); the total is counted"},
    {"after", 0, "CURSOR", "the page after CURSOR (a page's \"next\")"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { O_DIR, O_KIND, O_STATE, O_JOB, O_LIMIT, O_AFTER, O_JSON };

static const cli_spec spec = {
    "documents",
    "[-d DIR] [--kind K] [--state S|all] [--job WO] [--limit N]\n"
    "                     [--after CURSOR] [--json]",
    "The paperwork that waits for someone, one line each: what it waits\n"
    "for, since when, the job it names, and a detail (a pick's missing\n"
    "signatures, an order's acceptance stage and open claims, a\n"
    "complaint's deadline, a write-off's appraisals and value). By\n"
    "default the open documents of every kind, by state, then kind, then\n"
    "id; --state all adds the done ones. --limit shows one page and the\n"
    "cursor of the next (--after); --json gives count, total and next.",
    opts,
    0,
    "  $ svcledger documents --kind pick\n"
    "  state               kind  id       job      since             detail\n"
    "  waiting_signatures  pick  PK-5002  WO-1002  2026-09-30 09:00  "
    "needs requisition_advisor\n"
    "  1 document\n"};

/* The name of value v of the enum of field f of type t, or "?". */
static const char *enum_name(uint32_t t, uint32_t f, int64_t v)
{
	const svl_event_type *et = svl_event_type_get(t);
	const svl_enum_def *e = et ? et->fields[f].enum_def : NULL;
	return e && v >= 0 && (uint64_t)v < e->n ? e->values[v] : "?";
}

/* The signature capacities of mask, comma separated. */
static void sign_list(char *out, size_t cap, uint32_t mask)
{
	size_t n = 0;
	out[0] = '\0';
	for (int k = 0; k < SVL_SIGN_AS__COUNT && n < cap; k++)
		if (mask & (1u << k))
			n += (size_t)snprintf(
			    out + n, cap - n, "%s%s", n ? ", " : "",
			    enum_name(SVL_T_PICK_SIGNED,
				      SVL_F_PICK_SIGNED_SIGNED_AS, k));
}

/* The English text, or its translation when the line is for people
 * (JSON stays English). */
static const char *tx(int human, const char *english)
    __attribute__((format_arg(2)));
static const char *tx(int human, const char *english)
{
	return human ? _(english) : english;
}

/* One line of what the document is about, beyond its state: in the
 * tool's language when human, else in English. */
static void detail(char *out, size_t cap, const svl_document *d, int32_t tz,
		   int human)
{
	char a[64], b[64], list[256];
	switch (d->kind) {
	case SVL_DOC_PICK:
		if (d->state == SVL_DOC_WAITING_SIGNATURES) {
			sign_list(list, sizeof list, d->missing_mask);
			snprintf(out, cap, tx(human, "needs %s"), list);
		} else {
			snprintf(out, cap, tx(human, "%s, issued %s of %s"),
				 enum_name(SVL_T_PICK_REQUESTED,
					   SVL_F_PICK_REQUESTED_PURPOSE,
					   d->purpose),
				 fmt_qty(a, d->done_milli),
				 fmt_qty(b, d->qty_milli));
		}
		return;
	case SVL_DOC_PURCHASE_ORDER:
		snprintf(out, cap,
			 tx(human, "supplier %s, acceptance %d, %s of %s "
				   "settled, %d claim%s open"),
			 d->supplier_id, d->acceptance_stage,
			 fmt_qty(a, d->done_milli), fmt_qty(b, d->qty_milli),
			 d->claims_open, d->claims_open == 1 ? "" : "s");
		return;
	case SVL_DOC_COMPLAINT:
		snprintf(
		    out, cap, tx(human, "%s, %s, deadline %s"),
		    d->severity < 0
			? tx(human, "not classified")
			: tx(human,
			     enum_name(SVL_T_COMPLAINT_CLASSIFIED,
				       SVL_F_COMPLAINT_CLASSIFIED_SEVERITY,
				       d->severity)),
		    d->department < 0
			? tx(human, "no department")
			: tx(human,
			     enum_name(SVL_T_COMPLAINT_PLAN_APPROVED,
				       SVL_F_COMPLAINT_PLAN_APPROVED_DEPARTMENT,
				       d->department)),
		    fmt_time(a, d->deadline_at_ms, tz));
		return;
	default:
		snprintf(out, cap,
			 tx(human, "%d of 3 appraisals, %s yuan, disposed %s "
				   "of %s"),
			 d->appraisals, fmt_money(a, d->total_fen),
			 fmt_qty(b, d->done_milli),
			 fmt_qty(list, d->qty_milli));
		return;
	}
}

typedef struct acc {
	fmt_table *t;
	json_t *arr;
	int32_t tz;
} acc;

static json_t *doc_json(const svl_document *d, int32_t tz)
{
	char line[512], missing[256], iso[48];
	detail(line, sizeof line, d, tz, 0);
	sign_list(missing, sizeof missing, d->missing_mask);
	return json_pack(
	    "{s:s,s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:i,s:i,"
	    "s:i,s:i,s:I,s:i,s:I}",
	    "kind", svl_doc_kind_name((int)d->kind), "id", d->id, "state",
	    svl_doc_state_name((int)d->state), "opened_at",
	    fmt_iso(iso, d->opened_at_ms, tz), "opened_at_ms",
	    (json_int_t)d->opened_at_ms, "wo_id", d->wo_id, "updated_at_ms",
	    (json_int_t)d->updated_at_ms, "detail", line, "signed_mask",
	    (json_int_t)d->signed_mask, "missing_mask",
	    (json_int_t)d->missing_mask, "qty_milli", (json_int_t)d->qty_milli,
	    "done_milli", (json_int_t)d->done_milli, "supplier_id",
	    d->supplier_id, "acceptance_stage", d->acceptance_stage,
	    "claims_open", d->claims_open, "severity", d->severity,
	    "department", d->department, "deadline_at_ms",
	    (json_int_t)d->deadline_at_ms, "appraisals", d->appraisals,
	    "total_fen", (json_int_t)d->total_fen);
}

static int row(const svl_document *d, void *p)
{
	acc *a = p;
	char since[32], line[512];
	if (a->arr)
		return json_array_append_new(a->arr, doc_json(d, a->tz)) ? 1 : 0;
	detail(line, sizeof line, d, a->tz, 1);
	fmt_table_add(a->t, svl_doc_state_name((int)d->state),
		      svl_doc_kind_name((int)d->kind), d->id,
		      d->wo_id[0] ? d->wo_id : "-",
		      fmt_time(since, d->updated_at_ms, a->tz), line);
	return 0;
}

static const fmt_col cols[] = {{"state", 'l'}, {"kind", 'l'}, {"id", 'l'},
			       {"job", 'l'},   {"since", 'l'}, {"detail", 'l'}};

static int list(const cli_ctx *ctx, svl_ledger *l, const svl_doc_filter *f,
		svl_page *page, int json)
{
	acc a = {NULL, NULL, cmd_ledger_tz(l)};
	if (json)
		a.arr = json_array();
	else
		a.t = fmt_table_new(cols, sizeof cols / sizeof cols[0]);
	if (!a.arr && !a.t)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	int rc = svl_documents_page(l, f, page, row, &a);
	return cmd_page_finish(ctx, l, rc, page, &a.arr, a.t, "documents", "document", "documents");
}

static int parse(const cli_ctx *ctx, const cli_args *a, svl_doc_filter *f,
		 svl_page *page)
{
	uint64_t limit = 0;
	const char *k = a->val[O_KIND], *s = a->val[O_STATE];
	if (k && (f->kind = svl_doc_kind_find(k, strlen(k))) < 0)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--kind: no kind '%s' (pick, purchase_order, "
				 "complaint, writeoff)",
				 k);
	if (s && strcmp(s, "all") == 0)
		f->state = -1;
	else if (s && (f->state = svl_doc_state_find(s, strlen(s))) < 0)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--state: no state '%s' (waiting_signatures "
				 "... waiting_disposal, done, all)",
				 s);
	f->wo_id = a->val[O_JOB];
	page->after = a->val[O_AFTER];
	int code = cli_opt_u64(ctx, "limit", a->val[O_LIMIT], &limit);
	page->limit = (size_t)limit;
	return code;
}

int cli_cmd_documents(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &spec, argc, argv, &a, &code))
		return code;
	svl_doc_filter f = SVL_DOC_FILTER_INIT;
	svl_page page = SVL_PAGE_INIT;
	if ((code = parse(ctx, &a, &f, &page)))
		return code;
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[O_DIR]),
				    SVL_LOG_RDONLY, &l)))
		return code;
	code = list(ctx, l, &f, &page, a.val[O_JSON] != NULL);
	svl_ledger_close(l);
	return code;
}
