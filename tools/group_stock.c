/*
 * group_stock.c - `svcledger stock-card PART -d G --all-stores`: where a
 * part is on hand across a dealer group, one line per store that has a
 * card for it (each read from that store's replica, as of the same
 * point), and the group's total (group_dir.h).
 */
#include <string.h>

#include "fmt.h"
#include "group_dir.h"
#include "group_stock.h"

static void add_figures(svl_stock_figures *sum, const svl_stock_figures *f)
{
	sum->on_hand_milli += f->on_hand_milli;
	sum->reserved_milli += f->reserved_milli;
	sum->quarantined_milli += f->quarantined_milli;
	sum->wof_held_milli += f->wof_held_milli;
	sum->value_fen += f->value_fen;
	sum->quarantined_value_fen += f->quarantined_value_fen;
	sum->wof_held_value_fen += f->wof_held_value_fen;
}

static void row(fmt_table *t, const char *store, const char *bin,
		const svl_stock_figures *f)
{
	char oh[FMT_NUM_SIZE], rs[FMT_NUM_SIZE], q[FMT_NUM_SIZE],
	    h[FMT_NUM_SIZE], v[FMT_NUM_SIZE];
	fmt_table_add(
	    t, store, bin, fmt_qty(oh, f->on_hand_milli),
	    fmt_qty(rs, f->reserved_milli), fmt_qty(q, f->quarantined_milli),
	    fmt_qty(h, f->wof_held_milli), fmt_money(v, f->value_fen));
}

int group_stock_card(const cli_ctx *ctx, const group_dir *g, const char *part,
		     const char *bin, const svl_asof *asof, const char *words,
		     const char *shown, int json)
{
	static const fmt_col cols[] = {{"store", 'l'},	     {"bin", 'l'},
				       {"on hand", 'r'},     {"reserved", 'r'},
				       {"quarantined", 'r'}, {"w/o held", 'r'},
				       {"value", 'r'}};
	fmt_table *t = json ? NULL : fmt_table_new(cols, 7);
	json_t *arr = json ? json_array() : NULL;
	svl_stock_figures sum;
	memset(&sum, 0, sizeof sum);
	size_t found = 0;
	int code = (json ? !arr : !t)
		       ? cli_error(ctx, CLI_EXIT_ERROR, "out of memory")
		       : 0;
	for (size_t i = 0; !code && i < g->n; i++) {
		svl_stock_card c;
		int rc = svl_stock_card_get(g->v[i].l, part, bin, asof, &c);
		if (rc == SVL_ENOTFOUND)
			continue; /* this store never had the part */
		if (rc != SVL_OK) {
			code = cli_error(ctx, cli_exit_code(rc), "%s: %s",
					 g->v[i].name,
					 svl_ledger_errmsg(g->v[i].l));
			break;
		}
		found++;
		add_figures(&sum, &c.f);
		if (t)
			row(t, g->v[i].name, c.bin, &c.f);
		else if (json_array_append_new(
			     arr,
			     json_pack("{s:s,s:s,s:o}", "store", g->v[i].name,
				       "bin", c.bin, "figures",
				       json_stock_figures(&c.f))))
			code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	}
	if (!code && !found)
		code = cli_error(ctx, CLI_EXIT_INPUT,
				 "no store of the group has a stock card for "
				 "part %s %s",
				 part, shown);
	if (!code && json) {
		code = cli_json_print(
		    ctx, json_pack("{s:s,s:s,s:I,s:O,s:o}", "part_no", part,
				   "as_of", words, "stores_with_card",
				   (json_int_t)found, "stores", arr, "total",
				   json_stock_figures(&sum)));
	} else if (!code) {
		row(t, _("total"), "", &sum);
		printf(_("part %s in the group's %zu stores, %s: %zu with a "
			 "card\n"),
		       part, g->n, shown, found);
		if (fmt_table_print(t, stdout, 2))
			code = cli_error(ctx, CLI_EXIT_ERROR, "cannot write");
	}
	json_decref(arr);
	fmt_table_free(t);
	return code;
}
