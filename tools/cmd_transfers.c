/*
 * cmd_transfers.c - `svcledger transfers -d G`: the parts moved between a
 * dealer group's stores, each transfer's two halves paired across the
 * stores' replicas (group_dir.h, docs/group.md "Transfers between
 * stores").
 *
 * A half is a stock_transferred_out in the sending store's ledger or a
 * stock_transferred_in in the receiving one's; they pair by transfer id,
 * part and sending store. Each replica holds each record once (the group
 * ledger appends a redelivered record never twice), so a quantity is
 * never counted twice; several halves of one key (a transfer sent in two
 * lots) add up. "Now", for a transfer still in transit, is the group's
 * clock: the latest business time of any store's records (the times a
 * transfer's halves carry are business times too), so the same replicas
 * give the same answer.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "fmt.h"
#include "group_dir.h"

#define OVERDUE_HOURS_DEFAULT 48
/* A text marked where it is written, translated where it is shown (by
 * _()); tests/tool_msgs.sh extracts N_() like _(). */
#define N_(s) s

static const cli_opt t_opts[] = {
    CLI_OPT_LEDGER,
    {"overdue-hours", 0, "N",
     "a transfer still in transit after N hours is overdue (default 48)"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { T_DIR, T_OVERDUE, T_JSON };

static const cli_spec t_spec = {
    "transfers",
    "-d GROUPDIR [--overdue-hours N] [--json]",
    "Pair the parts sent between the stores of a group ledger (svcledger\n"
    "group): every stock_transferred_out of a store with the\n"
    "stock_transferred_in of the same transfer id and part in the store\n"
    "it names, and say where each stands: arrived, arrived short or\n"
    "over, received by another store than named, in transit, or overdue\n"
    "(in transit longer than --overdue-hours, by the group's clock: the\n"
    "latest business time of any store), and receipts whose sending half\n"
    "is not in the group (yet). Then the count and quantity in transit.",
    t_opts,
    0,
    "  $ svcledger transfers -d group\n"
    "  transfer  part         from  to    sent  received  sent at           "
    "received at       state\n"
    "  TR-1      90915-YZZD4  S017  S018     2         2  2026-07-05 09:00  "
    "2026-07-05 15:00  arrived\n"};

enum xstate {
	X_RECEIVED,
	X_SHORT,
	X_OVER,
	X_MISDIRECTED,
	X_IN_TRANSIT,
	X_OVERDUE,
	X_NO_SENDER
};

static const char *const state_names[] = {
    N_("arrived"),	  N_("arrived short"), N_("arrived over"),
    N_("misdirected"),	  N_("in transit"),    N_("overdue"),
    N_("no sending half")};

typedef struct xfer {
	char id[SVL_EV_ID_MAX + 1];
	char part[SVL_EV_ID_MAX + 1];
	char from[SVL_EV_ID_MAX + 1];	/* the sending store */
	char to[SVL_EV_ID_MAX + 1];	/* named by the out half */
	char got_by[SVL_EV_ID_MAX + 1]; /* the store whose ledger has the in */
	int64_t sent_milli, got_milli;
	int64_t sent_at, got_at; /* the first of each half */
	int has_out, has_in;
} xfer;

typedef struct xfers {
	xfer *v;
	size_t n, cap;
	int64_t clock; /* the latest occurred_at of any record read */
} xfers;

static void copy_v(char *dst, const svl_value *v)
{
	size_t n = v->len <= SVL_EV_ID_MAX ? v->len : SVL_EV_ID_MAX;
	memcpy(dst, v->s, n);
	dst[n] = '\0';
}

/* The transfer of (id, part, from), made when new; NULL: out of memory. */
static xfer *find(xfers *x, const char *id, const char *part, const char *from)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->v[i].id, id) && !strcmp(x->v[i].part, part) &&
		    !strcmp(x->v[i].from, from))
			return &x->v[i];
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		xfer *v = realloc(x->v, cap * sizeof *v);
		if (!v)
			return NULL;
		x->v = v;
		x->cap = cap;
	}
	xfer *t = &x->v[x->n++];
	memset(t, 0, sizeof *t);
	snprintf(t->id, sizeof t->id, "%s", id);
	snprintf(t->part, sizeof t->part, "%s", part);
	snprintf(t->from, sizeof t->from, "%s", from);
	return t;
}

/* One half, read from the ledger of store `store`. */
static int half(xfers *x, const char *store, const svl_record *r)
{
	svl_event_view v;
	int rc = svl_event_decode(&v, r->type, r->schema_version, r->payload,
				  r->payload_len);
	if (rc != SVL_OK)
		return rc;
	int out = r->type == SVL_T_STOCK_TRANSFERRED_OUT;
	char id[SVL_EV_ID_MAX + 1], part[SVL_EV_ID_MAX + 1],
	    other[SVL_EV_ID_MAX + 1];
	copy_v(id, &v.v[out ? SVL_F_STOCK_TRANSFERRED_OUT_TRANSFER_ID
			    : SVL_F_STOCK_TRANSFERRED_IN_TRANSFER_ID]);
	copy_v(part, &v.v[out ? SVL_F_STOCK_TRANSFERRED_OUT_PART_NO
			      : SVL_F_STOCK_TRANSFERRED_IN_PART_NO]);
	copy_v(other, &v.v[out ? SVL_F_STOCK_TRANSFERRED_OUT_TO_STORE
			       : SVL_F_STOCK_TRANSFERRED_IN_FROM_STORE]);
	int64_t qty = v.v[out ? SVL_F_STOCK_TRANSFERRED_OUT_QTY_MILLI
			      : SVL_F_STOCK_TRANSFERRED_IN_QTY_MILLI]
			  .i;
	xfer *t = find(x, id, part, out ? store : other);
	if (!t)
		return SVL_ENOMEM;
	if (out) {
		if (!t->has_out++)
			t->sent_at = r->occurred_at_ms;
		snprintf(t->to, sizeof t->to, "%s", other);
		t->sent_milli += qty;
	} else {
		if (!t->has_in++)
			t->got_at = r->occurred_at_ms;
		snprintf(t->got_by, sizeof t->got_by, "%s", store);
		t->got_milli += qty;
	}
	return SVL_OK;
}

static int read_store(xfers *x, const group_replica *s)
{
	svl_iter *it;
	svl_record r;
	int rc = svl_log_iter_seq(svl_ledger_log(s->l), 1, 0, &it);
	if (rc != SVL_OK)
		return rc;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK) {
		if (r.occurred_at_ms > x->clock)
			x->clock = r.occurred_at_ms;
		if ((r.type == SVL_T_STOCK_TRANSFERRED_OUT ||
		     r.type == SVL_T_STOCK_TRANSFERRED_IN) &&
		    (rc = half(x, s->name, &r)) != SVL_OK)
			break;
	}
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static enum xstate state_of(const xfer *t, int64_t clock, int64_t overdue_ms)
{
	if (!t->has_out)
		return X_NO_SENDER;
	if (!t->has_in)
		return clock - t->sent_at >= overdue_ms ? X_OVERDUE
							: X_IN_TRANSIT;
	if (strcmp(t->to, t->got_by))
		return X_MISDIRECTED;
	if (t->got_milli != t->sent_milli)
		return t->got_milli < t->sent_milli ? X_SHORT : X_OVER;
	return X_RECEIVED;
}

static int by_sent(const void *a, const void *b)
{
	const xfer *x = a, *y = b;
	int64_t tx = x->has_out ? x->sent_at : x->got_at;
	int64_t ty = y->has_out ? y->sent_at : y->got_at;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	int c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->part, y->part);
}

static json_t *xfer_json(const xfer *t, enum xstate st, int32_t tz)
{
	char a[FMT_TIME_SIZE], b[FMT_TIME_SIZE];
	return json_pack(
	    "{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:s}", "transfer_id", t->id,
	    "part_no", t->part, "from_store", t->from, "to_store", t->to,
	    "received_by", t->got_by, "sent_milli", (json_int_t)t->sent_milli,
	    "received_milli", (json_int_t)t->got_milli, "sent_at",
	    t->has_out ? json_string(fmt_iso(a, t->sent_at, tz)) : json_null(),
	    "received_at",
	    t->has_in ? json_string(fmt_iso(b, t->got_at, tz)) : json_null(),
	    "state", state_names[st]);
}

static int show(const cli_ctx *ctx, xfers *x, int64_t clock, int64_t overdue_ms,
		int32_t tz, int json)
{
	static const fmt_col cols[] = {
	    {"transfer", 'l'}, {"part", 'l'},	     {"from", 'l'},
	    {"to", 'l'},       {"sent", 'r'},	     {"received", 'r'},
	    {"sent at", 'l'},  {"received at", 'l'}, {"state", 'l'}};
	int64_t transit = 0, transit_milli = 0, overdue = 0;
	if (x->n > 1)
		qsort(x->v, x->n, sizeof *x->v, by_sent);
	fmt_table *t = json ? NULL : fmt_table_new(cols, 9);
	json_t *arr = json ? json_array() : NULL;
	if (json ? !arr : !t) {
		fmt_table_free(t);
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	}
	for (size_t i = 0; i < x->n; i++) {
		const xfer *r = &x->v[i];
		enum xstate st = state_of(r, clock, overdue_ms);
		if (st == X_IN_TRANSIT || st == X_OVERDUE) {
			transit++;
			transit_milli += r->sent_milli;
			overdue += st == X_OVERDUE;
		}
		if (arr) {
			json_array_append_new(arr, xfer_json(r, st, tz));
			continue;
		}
		char s[FMT_NUM_SIZE], g[FMT_NUM_SIZE], a[FMT_TIME_SIZE],
		    b[FMT_TIME_SIZE];
		fmt_table_add(t, r->id, r->part, r->from,
			      r->has_out ? r->to : r->got_by,
			      r->has_out ? fmt_qty(s, r->sent_milli) : "-",
			      r->has_in ? fmt_qty(g, r->got_milli) : "-",
			      r->has_out ? fmt_time(a, r->sent_at, tz) : "-",
			      r->has_in ? fmt_time(b, r->got_at, tz) : "-",
			      _(state_names[st]));
	}
	char q[FMT_NUM_SIZE], when[FMT_TIME_SIZE];
	int code = 0;
	if (arr) {
		code = cli_json_print(
		    ctx, json_pack(
			     "{s:o,s:s,s:I,s:I,s:I,s:I}", "transfers", arr,
			     "clock", fmt_iso(when, clock, tz), "overdue_hours",
			     (json_int_t)(overdue_ms / 3600000), "in_transit",
			     (json_int_t)transit, "in_transit_milli",
			     (json_int_t)transit_milli, "overdue",
			     (json_int_t)overdue));
		return code;
	}
	if (x->n && fmt_table_print(t, stdout, 0))
		code = cli_error(ctx, CLI_EXIT_ERROR, "cannot write");
	printf(_("%zu transfers; in transit: %lld (%s units), of which overdue "
		 "(over %lld h by the group's clock, %s): %lld\n"),
	       x->n, (long long)transit, fmt_qty(q, transit_milli),
	       (long long)(overdue_ms / 3600000), fmt_time(when, clock, tz),
	       (long long)overdue);
	fmt_table_free(t);
	return code;
}

int cli_cmd_transfers(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	uint64_t hours = OVERDUE_HOURS_DEFAULT;
	if (!cli_parse(ctx, &t_spec, argc, argv, &a, &code))
		return code;
	if ((code =
		 cli_opt_u64(ctx, "overdue-hours", a.val[T_OVERDUE], &hours)))
		return code;
	if (hours > 24 * 366)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--overdue-hours: at most a year (8784)");
	const char *dir = cli_ledger_dir(a.val[T_DIR]);
	if (!group_dir_is(dir))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "%s is not a group ledger (svcledger group "
				 "makes one)",
				 dir);
	group_dir g;
	xfers x = {NULL, 0, 0, 0};
	if (!(code = group_dir_open(ctx, dir, &g))) {
		for (size_t i = 0; !code && i < g.n; i++) {
			int rc = read_store(&x, &g.v[i]);
			if (rc != SVL_OK)
				code = cli_error(ctx, cli_exit_code(rc),
						 "%s: %s", g.v[i].name,
						 svl_ledger_errmsg(g.v[i].l));
		}
		if (!code)
			code = show(ctx, &x, x.clock, (int64_t)hours * 3600000,
				    cmd_ledger_tz(g.v[0].l),
				    a.val[T_JSON] != NULL);
	}
	free(x.v);
	group_dir_close(&g);
	return code;
}
