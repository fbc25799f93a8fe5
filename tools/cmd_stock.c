/*
 * cmd_stock.c - `svcledger stock-card` and `stock-cards`: the bin cards of
 * R-BIN-2, now or as of any point in the past.
 *
 * As-of (svl_stock.h) has three meanings and the command line keeps them
 * apart: a plain integer is a seq (after that log record), unless it is
 * large enough to be UTC milliseconds (from 2000 on); a time is by
 * default what the book said at that moment (--known: every event recorded
 * by then), and with --occurred what we now know about that moment (every
 * event that happened by then, including ones entered later). An auditor
 * asking "what did the card show on the 30th at 18:00" wants --known; one
 * asking "what was really on the shelf" wants --occurred.
 *
 * The lines of an --occurred card are the lines whose business time is at
 * or before T, in log order; their balance column is the running balance
 * in the order the book recorded them.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "fmt.h"
#include "group_stock.h"

#define LINES_DEFAULT 20
/* A plain integer below this is a seq, from it on UTC milliseconds: no
 * ledger holds 946 billion events, and no event happened before 2000. */
#define SEQ_LIMIT ((unsigned long long)SVL_TIME_MIN_MS)

static const cli_opt card_opts[] = {
    CLI_OPT_LEDGER,
    {"as-of", 0, "SEQ|TIME", "the card after seq SEQ, or at TIME"},
    {"known", 0, NULL, "TIME means: as the book stood then (default)"},
    {"occurred", 0, NULL,
     "TIME means: everything that happened by then, entered later too"},
    {"lines", 0, "N", "show the last N lines (default 20, 0: all)"},
    {"all-stores", 0, NULL, "every store of a group ledger, and the total"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { SC_DIR, SC_ASOF, SC_KNOWN, SC_OCCURRED, SC_LINES, SC_ALL, SC_JSON };

static const cli_spec card_spec = {
    "stock-card",
    "PART [BIN] [-d DIR] [--as-of SEQ|TIME [--known|--occurred]] "
    "[--lines N] [--all-stores] [--json]",
    "Show the stock card of PART at BIN (default: the part's assigned\n"
    "bin, R-BIN-1): on hand, reserved, quarantined (R-BIN-3), written off\n"
    "and held (R-WOF-5), value, the reconciling items, and the bin card\n"
    "lines (R-BIN-2): date, document, counterparty, in, out, balance,\n"
    "unit cost and value. Quantities in units (thousandths shown as\n"
    "decimals), money in yuan, times in the ledger's zone.\n"
    "--as-of SEQ reads the card after that log record; --as-of TIME\n"
    "(YYYY-MM-DD[THH:MM[:SS]] in the ledger's zone, with Z or +HH:MM, or\n"
    "UTC ms: an integer from 946684800000, 2000-01-01, on) reads it as\n"
    "the book stood at TIME (--known, the default) or\n"
    "with everything that happened by TIME (--occurred). Exit 2 when the\n"
    "card does not exist (or has nothing on it yet at that point).\n"
    "--all-stores, on a group ledger (svcledger group): the part's card\n"
    "in every store that has one, and the group's total.",
    card_opts,
    2,
    "  $ svcledger stock-card 90915-YZZD4 --as-of 13\n"
    "  stock card 90915-YZZD4 at W1-A03-2-05, as of seq 13 (times UTC+08:00)\n"
    "    figure                 quantity   value\n"
    "    on hand                       5  340.00  book quantity on the shelf\n"
    "  ...\n"
    "    seq  date              document       doc  counterparty  in  out  "
    "balance  unit cost   value\n"
    "     12  2026-07-02 09:00  parts_shelved       SUP-9          5           "
    "  5      68.00  340.00\n"};

static const cli_opt cards_opts[] = {
    CLI_OPT_LEDGER,
    {"as-of", 0, "SEQ|TIME", "the cards after seq SEQ, or at TIME"},
    {"known", 0, NULL, "TIME means: as the book stood then (default)"},
    {"occurred", 0, NULL, "TIME means: everything that happened by then"},
    {"limit", 0, "N", "at most N cards (a page); the total is still counted"},
    {"after", 0, "CURSOR", "the page after CURSOR (a page's \"next\")"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum {
	SL_DIR,
	SL_ASOF,
	SL_KNOWN,
	SL_OCCURRED,
	SL_LIMIT,
	SL_AFTER,
	SL_JSON
};

static const cli_spec cards_spec = {
    "stock-cards",
    "[-d DIR] [--as-of SEQ|TIME [--known|--occurred]] [--limit N]\n"
    "                     [--after CURSOR] [--json]",
    "List every stock card in part number order (shorter numbers first):\n"
    "on hand, reserved, quarantined, written off and held, value, average\n"
    "cost, lines. --as-of as for stock-card; cards with nothing on them\n"
    "yet at that point are left out. --limit shows one page and the\n"
    "cursor of the next (--after); --json gives count, total and next.",
    cards_opts,
    0,
    "  $ svcledger stock-cards\n"
    "  part         bin          on hand  reserved  quarantined  w/o held     "
    "value  avg cost  lines  last seq\n"
    "  04465-06240  W1-A03-2-06        3         0            1         0  "
    "1,380.00    460.00      2        15\n"
    "  90915-YZZD4  W1-A03-2-05      6.5         0            0         0    "
    "448.50     69.00      4        27\n"};

/* ---- as-of ---- */

typedef struct asof_arg {
	svl_asof asof;
	char words[192]; /* English, as JSON gives it */
	char shown[256]; /* the same in the tool's language */
} asof_arg;

static int parse_asof(const cli_ctx *ctx, svl_ledger *l, const char *val,
		      int known, int occurred, asof_arg *out)
{
	char when[FMT_TIME_SIZE];
	int32_t z = cmd_ledger_tz(l);
	memset(out, 0, sizeof *out);
	if (known && occurred)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--known and --occurred exclude each other");
	if (!val) {
		if (known || occurred)
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--known and --occurred need --as-of "
					 "TIME");
		out->asof.kind = SVL_ASOF_NOW;
		snprintf(out->words, sizeof out->words, "now");
		snprintf(out->shown, sizeof out->shown, "%s", _("now"));
		return 0;
	}
	if (cmd_is_uint(val) && strtoull(val, NULL, 10) < SEQ_LIMIT) {
		if (known || occurred)
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--as-of %s is a seq; --known and "
					 "--occurred apply to a time",
					 val);
		out->asof.kind = SVL_ASOF_SEQ;
		out->asof.seq = strtoull(val, NULL, 10);
		snprintf(out->words, sizeof out->words, "as of seq %s", val);
		snprintf(out->shown, sizeof out->shown, _("as of seq %s"), val);
		return 0;
	}
	int code = cli_opt_time(ctx, "as-of", val, z, false, &out->asof.at_ms);
	if (code)
		return code;
	out->asof.kind = occurred ? SVL_ASOF_OCCURRED : SVL_ASOF_KNOWN;
	fmt_time(when, out->asof.at_ms, z);
	snprintf(out->words, sizeof out->words,
		 occurred ? "with everything that happened by %s"
			  : "as the book stood at %s",
		 when);
	snprintf(out->shown, sizeof out->shown,
		 occurred ? _("with everything that happened by %s")
			  : _("as the book stood at %s"),
		 when);
	return 0;
}

/* ---- the lines shown: the last `keep` of those in range ---- */

/* A ring of the last `keep` lines (keep 0: a growing array of all). */
typedef struct lines_acc {
	svl_stock_line *v;
	size_t n, cap, keep;
	uint64_t total;
	int64_t occurred_by; /* OCCURRED: only lines at or before this */
	int has_occurred, oom;
} lines_acc;

static int line_fn(const svl_stock_line *line, void *payload)
{
	lines_acc *a = payload;
	if (a->has_occurred && line->occurred_at_ms > a->occurred_by)
		return 0;
	if (a->keep && a->n == a->keep) { /* overwrite the oldest */
		a->v[a->total++ % a->keep] = *line;
		return 0;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 32;
		if (a->keep && cap > a->keep)
			cap = a->keep;
		svl_stock_line *nv = realloc(a->v, cap * sizeof *nv);
		if (!nv) {
			a->oom = 1;
			return 1;
		}
		a->v = nv;
		a->cap = cap;
	}
	a->v[a->n++] = *line;
	a->total++;
	return 0;
}

/* Put a wrapped ring back in order, oldest first. */
static int unwrap(lines_acc *a)
{
	if (!a->keep || a->total <= a->keep)
		return 0;
	size_t start = (size_t)(a->total % a->keep);
	svl_stock_line *o = malloc(a->n * sizeof *o);
	if (!o)
		return -1;
	memcpy(o, a->v + start, (a->n - start) * sizeof *o);
	memcpy(o + (a->n - start), a->v, start * sizeof *o);
	free(a->v);
	a->v = o;
	return 0;
}

/* The last seq whose lines belong to the card as of `asof` (0: none). */
static int last_seq_of(svl_ledger *l, const svl_asof *asof,
		       const svl_stock_card *card, uint64_t *out)
{
	switch (asof->kind) {
	case SVL_ASOF_SEQ:
		*out = asof->seq;
		return SVL_OK;
	case SVL_ASOF_KNOWN:
		return svl_ledger_seq_at(l, asof->at_ms, out);
	default:
		*out = card->last_seq;
		return SVL_OK;
	}
}

static int card_lines(const cli_ctx *ctx, svl_ledger *l, const asof_arg *as,
		      const svl_stock_card *card, lines_acc *acc)
{
	uint64_t last = 0;
	int rc = last_seq_of(l, &as->asof, card, &last);
	if (rc == SVL_OK && as->asof.kind == SVL_ASOF_OCCURRED) {
		acc->has_occurred = 1;
		acc->occurred_by = as->asof.at_ms;
		last = UINT64_MAX; /* every line, filtered by business time */
	}
	if (rc == SVL_OK && last)
		rc = svl_stock_card_lines(l, card->part_no, card->bin, 1,
					  last == UINT64_MAX ? 0 : last,
					  line_fn, acc);
	if (acc->oom || (rc == SVL_OK && unwrap(acc) != 0))
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	return 0;
}

static int show_card(const cli_ctx *ctx, svl_ledger *l, const cli_args *a,
		     const asof_arg *as, uint64_t keep)
{
	const char *part = a->pos[0], *bin = a->npos > 1 ? a->pos[1] : NULL;
	svl_stock_card card;
	int rc = svl_stock_card_get(l, part, bin, &as->asof, &card);
	char tz[FMT_NUM_SIZE];
	fmt_tz(tz, cmd_ledger_tz(l));
	if (rc == SVL_ENOTFOUND)
		return cli_error(ctx, CLI_EXIT_INPUT,
				 "no stock card for part %s%s%s %s%s%s", part,
				 bin ? _(" at bin ") : "", bin ? bin : "",
				 as->asof.kind == SVL_ASOF_NOW
				     ? _("(unknown part, or nothing on it)")
				     : as->shown,
				 as->asof.kind >= SVL_ASOF_KNOWN ? " " : "",
				 as->asof.kind >= SVL_ASOF_KNOWN ? tz : "");
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	lines_acc acc;
	memset(&acc, 0, sizeof acc);
	acc.keep = (size_t)keep;
	int code = card_lines(ctx, l, as, &card, &acc);
	if (!code && as->asof.kind != SVL_ASOF_NOW) {
		/* an as-of card carries the figures, not its line count */
		card.lines = acc.total;
		card.last_seq = acc.n ? acc.v[acc.n - 1].seq : 0;
	}
	if (!code) {
		fmt_card c = {&card,
			      acc.v,
			      acc.n,
			      acc.total - acc.n,
			      a->val[SC_JSON] ? as->words : as->shown,
			      cmd_ledger_tz(l)};
		if (a->val[SC_JSON])
			code = cli_json_print(ctx, json_stock_card(&c));
		else if (print_stock_card(stdout, &c) != 0)
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "out of memory or cannot write");
	}
	free(acc.v);
	return code;
}

/* A group ledger's stock card: the part in every store (group_stock.c). */
static int all_stores(const cli_ctx *ctx, const cli_args *a, const char *dir)
{
	if (!group_dir_is(dir))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--all-stores reads a group ledger (svcledger "
				 "group)");
	if (!a->val[SC_ALL])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "%s is a group ledger: give --all-stores, or "
				 "-d one store's replica (%s/stores/STORE)",
				 dir, dir);
	group_dir g;
	asof_arg as;
	int code = group_dir_open(ctx, dir, &g);
	if (!code)
		code = parse_asof(ctx, g.v[0].l, a->val[SC_ASOF],
				  a->val[SC_KNOWN] != NULL,
				  a->val[SC_OCCURRED] != NULL, &as);
	if (!code)
		code = group_stock_card(ctx, &g, a->pos[0],
					a->npos > 1 ? a->pos[1] : NULL,
					&as.asof, as.words, as.shown,
					a->val[SC_JSON] != NULL);
	group_dir_close(&g);
	return code;
}

int cli_cmd_stock_card(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &card_spec, argc, argv, &a, &code))
		return code;
	if (a.npos < 1)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "which part? (svcledger stock-card PART "
				 "[BIN])");
	uint64_t keep = LINES_DEFAULT;
	if ((code = cli_opt_u64(ctx, "lines", a.val[SC_LINES], &keep)))
		return code;
	const char *dir = cli_ledger_dir(a.val[SC_DIR]);
	if (group_dir_is(dir) || a.val[SC_ALL])
		return all_stores(ctx, &a, dir);
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, dir, SVL_LOG_RDONLY, &l)))
		return code;
	asof_arg as;
	code = parse_asof(ctx, l, a.val[SC_ASOF], a.val[SC_KNOWN] != NULL,
			  a.val[SC_OCCURRED] != NULL, &as);
	if (!code)
		code = show_card(ctx, l, &a, &as, keep);
	svl_ledger_close(l);
	return code;
}

/* ---- the list ---- */

typedef struct cards_acc {
	fmt_table *t;
	json_t *arr;
	int asof;
} cards_acc;

static int card_fn(const svl_stock_card *c, void *payload)
{
	cards_acc *a = payload;
	if (a->arr) /* as of the past: the line count is not known */
		return json_array_append_new(
			   a->arr,
			   json_pack(
			       "{s:s,s:s,s:o,s:o,s:o}", "part_no", c->part_no,
			       "bin", c->bin, "lines",
			       a->asof ? json_null()
				       : json_integer((json_int_t)c->lines),
			       "last_seq",
			       a->asof ? json_null()
				       : json_integer((json_int_t)c->last_seq),
			       "figures", json_stock_figures(&c->f)))
			   ? 1
			   : 0;
	fmt_stock_cards_row(a->t, c, a->asof);
	return 0;
}

static int list_cards(const cli_ctx *ctx, svl_ledger *l, const asof_arg *as,
		      svl_page *page, int json)
{
	cards_acc acc = {NULL, NULL, as->asof.kind != SVL_ASOF_NOW};
	if (json)
		acc.arr = json_array();
	else
		acc.t = fmt_stock_cards_table();
	if (!acc.arr && !acc.t)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	int rc = svl_stock_cards_page(l, &as->asof, page, card_fn, &acc);
	int code = 0;
	if (rc == 1)
		code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	else if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	else if (json) {
		code = cli_json_print(
		    ctx, json_pack("{s:s,s:I,s:I,s:s,s:o}", "asof", as->words,
				   "count", (json_int_t)page->returned, "total",
				   (json_int_t)page->total, "next", page->next,
				   "cards", acc.arr));
		acc.arr = NULL; /* taken */
	} else if (fmt_table_print(acc.t, stdout, 0) != 0)
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "out of memory or cannot write");
	else if (page->limit || (page->after && page->after[0]))
		cmd_page_footer(stdout, page, "card", "cards");
	json_decref(acc.arr);
	fmt_table_free(acc.t);
	return code;
}

int cli_cmd_stock_cards(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &cards_spec, argc, argv, &a, &code))
		return code;
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[SL_DIR]),
				    SVL_LOG_RDONLY, &l)))
		return code;
	asof_arg as;
	code = parse_asof(ctx, l, a.val[SL_ASOF], a.val[SL_KNOWN] != NULL,
			  a.val[SL_OCCURRED] != NULL, &as);
	svl_page page = SVL_PAGE_INIT;
	uint64_t limit = 0;
	page.after = a.val[SL_AFTER];
	if (!code)
		code = cli_opt_u64(ctx, "limit", a.val[SL_LIMIT], &limit);
	page.limit = (size_t)limit;
	if (!code)
		code = list_cards(ctx, l, &as, &page, a.val[SL_JSON] != NULL);
	svl_ledger_close(l);
	return code;
}
