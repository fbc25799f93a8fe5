/*
 * demo_tour.c - what `svcledger demo` shows once the quarter is in the
 * ledger, in the order the design brief names its uses:
 *   1. the chain, verified from seq 1 without trusting any derived state;
 *   2. one part's stock card with its bin card lines (R-BIN-2);
 *   3. the quarter-end reconciliation: the quarterly count sheet, read
 *      back from the log itself, against the book as of the count
 *      (variances, the movements that explain them, reconciling items);
 *   4. one work order's whole life, transition by transition;
 *   5. the department's figures per month against the seed's targets,
 *      with the write-off and each role's share (R-WOF-6);
 *   6. a rule change rebuilt beside the live projections, its
 *      differences, then switched.
 * Every report is printed by the shared printers of fmt.h, so the tour
 * reads exactly like the commands that print the same things; --json
 * gives one document with the same sections.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "demo.h"
#include "fmt.h"

#define R(x) SVL_ROLE_##x
#define CARD_LINES_SHOWN 16
#define DIFF_LINES_SHOWN 10
#define MOVES_SHOWN 6 /* per reconciled line: the latest movements */

typedef struct tour {
	demo_gen *g;
	const demo_tour_opts *o;
	json_t *doc; /* --json: the sections */
	int32_t tz;
} tour;

static void heading(const tour *t, const char *title)
{
	if (!t->o->json)
		printf("\n== %s\n\n", title);
}

static int put(tour *t, const char *key, json_t *v)
{
	if (!v || json_object_set_new(t->doc, key, v) != 0) {
		demo_fail(t->g, "out of memory");
		return SVL_ENOMEM;
	}
	return SVL_OK;
}

static int fail(tour *t, int rc)
{
	demo_fail(t->g, "%s", svl_ledger_errmsg(t->g->ledger));
	return rc;
}

/* ---- 0. what was generated ---------------------------------------------- */

/* fmt_count into one of a few rotating buffers, so that one printf can
 * take several. */
static const char *num(uint64_t n)
{
	static char buf[8][FMT_NUM_SIZE];
	static unsigned next;
	return fmt_count(buf[next++ % 8], (int64_t)n);
}

static void volumes(tour *t)
{
	const demo_stats *s = &t->g->st;
	char from[16], to[16];
	demo_date(from, sizeof from, 0);
	demo_date(to, sizeof to, t->g->days - 1);
	printf(_("svcledger demo: a quarter of a 4S dealership's after-sales "
		 "department\n  seed %llu, %s..%s (%d days, UTC+08:00), ledger "
		 "%s\n"),
	       (unsigned long long)t->g->seed, from, to, t->g->days, t->o->dir);
	printf(_("  %s events in %s daily batches, every one decided by the "
		 "department's rules; generated in %.1f s\n"),
	       num(s->events), num(s->batches), t->o->gen_ms / 1000.0);
	printf(
	    _("  %s jobs: %s booked (%s offered another day for capacity, %s "
	      "no-shows, %s cancelled), %s walk-ins, %s comebacks\n"),
	    num(s->jobs), num(s->bookings), num(s->booking_moved),
	    num(s->no_shows), num(s->cancelled), num(s->walk_ins),
	    num(s->comebacks));
	printf(
	    _("  %s delivered; %s quote revisions, %s findings during repair, "
	      "%s reworks, %s waited overnight for parts\n"),
	    num(s->delivered), num(s->revisions), num(s->findings),
	    num(s->reworks), num(s->waited_parts));
	printf(_("  %s follow-up calls (%s follow-ups failed); complaints: %s "
		 "grumble, %s general, %s medium, %s severe\n"),
	       num(s->fu_calls), num(s->fu_failed), num(s->complaints[0]),
	       num(s->complaints[1]), num(s->complaints[2]),
	       num(s->complaints[3]));
	printf(_("  %s parts; %s purchase orders received (%s lines short or "
		 "rejected, %s discrepancy slips); %s picks, %s issues\n"),
	       num(t->g->n_parts), num(s->receipts), num(s->rejected_lines),
	       num(s->slips), num(s->picks), num(s->issues));
	printf(
	    _("  counts: %s daily spot, %s monthly, %s quarterly (%s lines); "
	      "%s differences written up and approved\n"),
	    num(s->counts[0]), num(s->counts[1]), num(s->counts[2]),
	    num(s->count_lines), num(s->adjustments));
}

static json_t *volumes_json(const tour *t)
{
	const demo_stats *s = &t->g->st;
	return json_pack(
	    "{s:I,s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:[I,I,I,"
	    "I],"
	    "s:I,s:I,s:I,s:[I,I,I],s:I}",
	    "seed", (json_int_t)t->g->seed, "days", t->g->days, "events",
	    (json_int_t)s->events, "batches", (json_int_t)s->batches, "jobs",
	    (json_int_t)s->jobs, "booked", (json_int_t)s->bookings, "walk_ins",
	    (json_int_t)s->walk_ins, "no_shows", (json_int_t)s->no_shows,
	    "cancelled", (json_int_t)s->cancelled, "delivered",
	    (json_int_t)s->delivered, "reworks", (json_int_t)s->reworks,
	    "followup_calls", (json_int_t)s->fu_calls, "followups_failed",
	    (json_int_t)s->fu_failed, "comebacks", (json_int_t)s->comebacks,
	    "complaints", (json_int_t)s->complaints[0],
	    (json_int_t)s->complaints[1], (json_int_t)s->complaints[2],
	    (json_int_t)s->complaints[3], "purchase_orders",
	    (json_int_t)s->receipts, "picks", (json_int_t)s->picks, "issues",
	    (json_int_t)s->issues, "counts", (json_int_t)s->counts[0],
	    (json_int_t)s->counts[1], (json_int_t)s->counts[2], "adjustments",
	    (json_int_t)s->adjustments);
}

/* ---- 1. the chain
 * ------------------------------------------------------------ */

static int chain(tour *t)
{
	svl_verify_report rep;
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)], n[FMT_NUM_SIZE];
	int rc = svl_log_verify(svl_ledger_log(t->g->ledger), &rep);
	if (rc != SVL_OK)
		return fail(t, rc);
	cli_hex(hash, rep.head.hash, SVL_HASH_SIZE);
	if (t->o->json)
		return put(t, "chain",
			   json_pack("{s:b,s:I,s:I,s:s,s:s}", "ok", rep.ok,
				     "events", (json_int_t)rep.events,
				     "head_seq", (json_int_t)rep.head.seq,
				     "hash", hash, "problem",
				     rep.ok ? "" : rep.detail));
	if (!t->o->quiet)
		heading(t, _("1. The chain, verified from seq 1"));
	printf(_("chain: %s, %s events, head seq %llu, hash %s\n"),
	       rep.ok ? "OK" : "FAILED", fmt_count(n, (int64_t)rep.events),
	       (unsigned long long)rep.head.seq, hash);
	if (!rep.ok)
		printf(_("  first bad seq %llu: %s\n"),
		       (unsigned long long)rep.bad_seq, rep.detail);
	return rep.ok ? SVL_OK : SVL_ECORRUPT;
}

/* ---- 1b. the seals
 * ------------------------------------------------------------ */

/* The seal file the demo wrote, read back as an auditor would. */
static int read_seal_file(tour *t, svl_seal *out, size_t cap, size_t *n)
{
	char path[4096], line[2048];
	snprintf(path, sizeof path, "%s/seals.ndjson", t->o->dir);
	FILE *f = fopen(path, "r");
	*n = 0;
	if (!f)
		return t->g->n_seals ? SVL_EIO : SVL_OK;
	while (*n < cap && fgets(line, sizeof line, f))
		if (svl_seal_from_json(&out[*n], line, strcspn(line, "\n"), NULL,
				       0) == SVL_OK)
			(*n)++;
	fclose(f);
	return SVL_OK;
}

static int seals(tour *t)
{
	svl_seal file[16];
	size_t n;
	svl_trust_report r;
	char pub[4096], at[FMT_TIME_SIZE];
	int rc = read_seal_file(t, file, 16, &n);
	if (rc == SVL_OK)
		rc = svl_seal_verify(svl_ledger_log(t->g->ledger), file, n,
				     t->g->keys[0].public_key, 1, &r);
	if (rc != SVL_OK)
		return fail(t, rc);
	if (t->o->json)
		return put(t, "seals",
			   json_pack("{s:b,s:I,s:I,s:I,s:s}", "ok", r.ok,
				     "seals", (json_int_t)r.seals,
				     "sealed_through",
				     (json_int_t)r.sealed_through, "unsealed",
				     (json_int_t)(r.head_seq - r.sealed_through),
				     "problem", r.problem));
	demo_key_path(t->g, pub, sizeof pub, 1);
	if (!r.ok)
		printf(_("seals: FAILED at seq %llu..%llu: %s\n"),
		       (unsigned long long)r.bad_from,
		       (unsigned long long)r.bad_to, r.problem);
	else if (r.seals)
		printf(_("seals: OK, %zu month%s sealed by %s, seq 1..%llu "
			 "unchanged since (last %s); %llu events after it\n"
			 "  $ svcledger verify -d %s --seals %s/seals.ndjson "
			 "--trust %s\n"),
		       r.seals, r.seals == 1 ? "" : "s", r.last_sealed_by,
		       (unsigned long long)r.sealed_through,
		       fmt_iso(at, r.last_sealed_at_ms, FMT_UTC),
		       (unsigned long long)(r.head_seq - r.sealed_through),
		       t->o->dir, t->o->dir, pub);
	return r.ok ? SVL_OK : SVL_ECORRUPT;
}

/* ---- 2. a stock card
 * ----------------------------------------------------------- */

typedef struct lines_acc {
	svl_stock_line *v;
	size_t n, cap;
} lines_acc;

static int keep_line(const svl_stock_line *l, void *payload)
{
	lines_acc *a = payload;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 256;
		svl_stock_line *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return SVL_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *l;
	return 0;
}

/* The part with a variance in the quarterly count (or the busiest one):
 * its card shows receipts, issues, returns and the approved adjustment. */
static const demo_part *card_part(const demo_gen *g)
{
	if (g->q_part >= 0)
		return &g->parts[g->q_part];
	const demo_part *best = &g->parts[0];
	for (size_t k = 0; k < g->n_parts; k++)
		if (g->parts[k].issues > best->issues)
			best = &g->parts[k];
	return best;
}

static int stock_card(tour *t)
{
	const demo_part *p = card_part(t->g);
	svl_stock_card card;
	lines_acc acc = {0};
	int rc = svl_stock_card_get(t->g->ledger, p->no, p->bin, NULL, &card);
	if (rc == SVL_OK)
		rc = svl_stock_card_lines(t->g->ledger, p->no, p->bin, 0, 0,
					  keep_line, &acc);
	if (rc != SVL_OK) {
		free(acc.v);
		return fail(t, rc);
	}
	size_t shown = acc.n < CARD_LINES_SHOWN ? acc.n : CARD_LINES_SHOWN;
	fmt_card c = {
	    &card, acc.v + (acc.n - shown), shown, acc.n - shown, "now", t->tz};
	if (t->o->json) {
		c.lines = acc.v;
		c.n_lines = acc.n;
		c.omitted = 0;
		rc = put(t, "stock_card", json_stock_card(&c));
	} else {
		heading(
		    t,
		    _("2. A stock card (R-BIN-2: book, card and goods agree)"));
		printf(_("%s, %s; the last %zu lines of the bin card:\n\n"),
		       p->name, p->unit, shown);
		rc = print_stock_card(stdout, &c) == 0 ? SVL_OK : SVL_EIO;
	}
	free(acc.v);
	return rc;
}

/* ---- 3. the quarter-end reconciliation
 * ------------------------------------------ */

/* The count sheet, read back from the log: the quarterly stocktake's
 * counted lines, in the order they were counted. */
static int count_sheet(tour *t, svl_count_line **out, size_t *n)
{
	char stream[64];
	svl_iter *it;
	svl_record r;
	size_t cap = t->g->n_parts + 8;
	*n = 0;
	if (!(*out = calloc(cap, sizeof **out)))
		return SVL_ENOMEM;
	snprintf(stream, sizeof stream, "stk-%s", t->g->q_stk);
	int rc = svl_log_iter_stream(svl_ledger_log(t->g->ledger), stream,
				     strlen(stream), 1, 0, &it);
	while (rc == SVL_OK && (rc = svl_iter_next(it, &r)) == SVL_OK) {
		svl_event_view v;
		if (r.type != SVL_T_STOCKTAKE_LINE_COUNTED || *n == cap)
			continue;
		if ((rc = svl_event_decode(&v, r.type, r.schema_version,
					   r.payload, r.payload_len)) != SVL_OK)
			break;
		svl_count_line *c = &(*out)[(*n)++];
		const svl_value *x = v.v;
		snprintf(c->bin, sizeof c->bin, "%.*s",
			 (int)x[SVL_F_STOCKTAKE_LINE_COUNTED_BIN].len,
			 x[SVL_F_STOCKTAKE_LINE_COUNTED_BIN].s);
		snprintf(c->part_no, sizeof c->part_no, "%.*s",
			 (int)x[SVL_F_STOCKTAKE_LINE_COUNTED_PART_NO].len,
			 x[SVL_F_STOCKTAKE_LINE_COUNTED_PART_NO].s);
		c->counted_milli =
		    x[SVL_F_STOCKTAKE_LINE_COUNTED_COUNTED_QTY_MILLI].i;
		snprintf(c->counter, sizeof c->counter, "%.*s",
			 (int)r.actor_len, r.actor);
		c->sheet_line = (uint32_t)*n;
	}
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* Keep the latest MOVES_SHOWN movements of a reconciled line. */
static void trim_moves(svl_recon_line *l)
{
	if (l->n_moves <= MOVES_SHOWN)
		return;
	size_t drop = l->n_moves - MOVES_SHOWN;
	memmove(l->moves, l->moves + drop, MOVES_SHOWN * sizeof l->moves[0]);
	l->n_moves = MOVES_SHOWN;
	l->moves_omitted += drop;
}

/* Goods legitimately not on the shelf (fmt_recon.c's reconciling items). */
static int has_items(const svl_stock_figures *f)
{
	return f->unsettled_issued_milli || f->old_parts_pending_milli ||
	       f->quarantined_milli || f->claims_pending_milli ||
	       f->wof_held_milli;
}

/* The report shows the lines with a variance or a reconciling item (the
 * summary covers the whole sheet). */
static int reconcile(tour *t)
{
	svl_count_line *sheet = NULL;
	svl_reconcile_result *r = NULL;
	size_t n = 0;
	int rc = count_sheet(t, &sheet, &n);
	if (rc == SVL_OK)
		rc = svl_reconcile(t->g->ledger, sheet, n, t->g->q_count_at_ms,
				   &r);
	free(sheet);
	if (rc != SVL_OK)
		return fail(t, rc);
	svl_recon_line *keep = malloc((r->n ? r->n : 1) * sizeof *keep);
	svl_reconcile_result view = *r;
	size_t differ = 0;
	view.n = 0;
	for (size_t i = 0; keep && i < r->n; i++) {
		differ += r->lines[i].variance_milli != 0;
		if (r->lines[i].variance_milli != 0 ||
		    has_items(&r->lines[i].figures)) {
			keep[view.n] = r->lines[i];
			if (!t->o->json)
				trim_moves(&keep[view.n]);
			view.n++;
		}
	}
	view.lines = keep;
	if (!keep) {
		rc = SVL_ENOMEM;
	} else if (t->o->json) {
		rc = put(t, "reconciliation", json_reconcile(&view, t->tz));
	} else {
		heading(t,
			_("3. The quarter-end count against the book (R-STK-1, "
			  "R-STK-2)"));
		printf(
		    _("the quarterly count %s, with finance present, read back "
		      "from the log: %zu lines; %zu differ from the book (each "
		      "written up and approved by the service manager, "
		      "R-STK-2). Shown: those, and the lines with reconciling "
		      "items.\n\n"),
		    t->g->q_stk, r->n, differ);
		rc = print_reconcile(stdout, &view, t->tz) == 0 ? SVL_OK
								: SVL_EIO;
	}
	free(keep);
	svl_reconcile_free(r);
	return rc;
}

/* ---- 4. one work order's life
 * ------------------------------------------------------- */

typedef struct wo_acc {
	svl_wo_transition tr[128];
	size_t n_tr;
	svl_wo_part parts[16];
	size_t n_parts;
	svl_wo_complaint cmps[8];
	size_t n_cmps;
} wo_acc;

static int keep_tr(const svl_wo_transition *x, void *payload)
{
	wo_acc *a = payload;
	if (a->n_tr < sizeof a->tr / sizeof a->tr[0])
		a->tr[a->n_tr++] = *x;
	return 0;
}

static int keep_part(const svl_wo_part *x, void *payload)
{
	wo_acc *a = payload;
	if (a->n_parts < sizeof a->parts / sizeof a->parts[0])
		a->parts[a->n_parts++] = *x;
	return 0;
}

static int keep_cmp(const svl_wo_complaint *x, void *payload)
{
	wo_acc *a = payload;
	if (a->n_cmps < sizeof a->cmps / sizeof a->cmps[0])
		a->cmps[a->n_cmps++] = *x;
	return 0;
}

static int work_order(tour *t)
{
	svl_work_order wo;
	wo_acc *a = calloc(1, sizeof *a);
	const char *id = t->g->tour_wo;
	if (!a)
		return SVL_ENOMEM;
	int rc = svl_work_order_get(t->g->ledger, id, &wo);
	if (rc == SVL_OK)
		rc = svl_work_order_transitions(t->g->ledger, id, keep_tr, a);
	if (rc == SVL_OK)
		rc = svl_work_order_parts(t->g->ledger, id, keep_part, a);
	if (rc == SVL_OK)
		rc = svl_work_order_complaints(t->g->ledger, id, keep_cmp, a);
	if (rc != SVL_OK) {
		free(a);
		return fail(t, rc);
	}
	fmt_wo w = {&wo,	a->tr,	 a->n_tr,   a->parts,
		    a->n_parts, a->cmps, a->n_cmps, t->tz};
	if (t->o->json) {
		rc = put(t, "work_order", json_work_order(&w));
	} else {
		heading(t, _("4. One work order's life, booking to follow-up"));
		rc = print_work_order(stdout, &w) == 0 ? SVL_OK : SVL_EIO;
	}
	free(a);
	return rc;
}

/* ---- 5. the figures against the targets
 * ----------------------------------------- */

typedef struct rows_acc {
	svl_metrics_row r[16];
	size_t n;
} rows_acc;

static int keep_row(const svl_metrics_row *row, void *payload)
{
	rows_acc *a = payload;
	if (a->n < sizeof a->r / sizeof a->r[0])
		a->r[a->n++] = *row;
	return 0;
}

static int months(tour *t, rows_acc *a)
{
	a->n = 0;
	int rc = svl_metrics_get(t->g->ledger, SVL_METRICS_MONTH, DEMO_Q3_MS,
				 demo_day_ms(t->g->days), SVL_METRICS_OVERALL,
				 keep_row, a);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK; /* a ledger built without the metrics projection
				*/
	return rc == SVL_OK ? SVL_OK : fail(t, rc);
}

/* R-WOF-6 as the metrics projection computed it, and R-WOF-3's charges. */
static void writeoff_lines(const tour *t, const svl_metrics_counters *c)
{
	char a[FMT_NUM_SIZE], b[FMT_NUM_SIZE], d[FMT_NUM_SIZE], e[FMT_NUM_SIZE];
	char f[FMT_NUM_SIZE];
	const demo_person *sm = demo_person_get(ST_SM),
			  *pm = demo_person_get(ST_PM);
	const demo_person *wk = demo_person_get(ST_WK);
	printf(_("\nwrite-offs after the quarterly count (R-WOF-1..6):\n"));
	printf(
	    _("  WOF2026-Q3-01, obsolete and defective parts: three appraisers "
	      "agreed, the general manager approved %s yuan\n"
	      "    borne by the company %s (70%%), the service manager %s %s "
	      "%s, the parts manager %s %s %s, the keeper %s %s %s (10%% "
	      "each)\n"),
	    fmt_money(a, c->wof_total_fen), fmt_money(b, c->wof_company_fen),
	    sm->id, sm->name, fmt_money(d, c->wof_service_manager_fen), pm->id,
	    pm->name, fmt_money(e, c->wof_parts_manager_fen), wk->id, wk->name,
	    fmt_money(f, c->wof_warehouse_keeper_fen));
	int64_t keeper = t->g->wof_fen[1] * 6 / 10;
	printf(
	    _("  WOF2026-Q3-02, brake pads rusted under a reported roof leak: "
	      "not written off but charged as caused by people (R-WOF-3): "
	      "%s yuan, %s to the keeper, %s to the parts manager\n"),
	    fmt_money(a, t->g->wof_fen[1]), fmt_money(b, keeper),
	    fmt_money(d, t->g->wof_fen[1] - keeper));
}

static int kpis(tour *t)
{
	rows_acc *a = calloc(1, sizeof *a);
	if (!a)
		return SVL_ENOMEM;
	int rc = months(t, a);
	if (rc == SVL_OK && t->o->json) {
		rc = put(t, "kpis",
			 json_metrics(a->r, a->n, SVL_METRICS_MONTH,
				      SVL_METRICS_OVERALL));
	} else if (rc == SVL_OK) {
		svl_metrics_counters sum;
		memset(&sum, 0, sizeof sum);
		for (size_t i = 0; i < a->n; i++)
			svl_metrics_add(&sum, &a->r[i].c);
		heading(t,
			_("5. The figures the department is judged by, per "
			  "month (by delivery), against the seed's targets"));
		rc = print_metrics(stdout, a->r, a->n, SVL_METRICS_OVERALL) == 0
			 ? SVL_OK
			 : SVL_EIO;
		writeoff_lines(t, &sum);
	}
	free(a);
	return rc;
}

/* ---- 6. a rule change
 * ---------------------------------------------------------------- */

typedef struct diff_acc {
	char *lines[DIFF_LINES_SHOWN];
	size_t n;
	uint64_t more, unreadable;
	int oom;
} diff_acc;

static void on_diff(const svl_rebuild_diff *d, void *payload)
{
	diff_acc *a = payload;
	if (!d->what)
		a->unreadable++;
	else if (a->n == DIFF_LINES_SHOWN)
		a->more++;
	else if (!(a->lines[a->n++] = strdup(d->what)))
		a->oom = 1;
}

static void compare(const rows_acc *before, const rows_acc *after)
{
	char a[FMT_NUM_SIZE], b[FMT_NUM_SIZE];
	printf(_("\nsatisfied answers by month, threshold 4 -> 3:"));
	for (size_t i = 0; i < before->n && i < after->n; i++)
		printf("%s %s %s -> %s", i ? "," : "", before->r[i].label,
		       fmt_permille(a, before->r[i].r.satisfaction_permille),
		       fmt_permille(b, after->r[i].r.satisfaction_permille));
	printf("\n");
}

static int rebuild(tour *t, const svl_rules *rules, diff_acc *d,
		   svl_rebuild_report *rep, svl_projection_info *info,
		   uint64_t *changed)
{
	svl_rebuild_options o = SVL_REBUILD_OPTIONS_INIT;
	o.changed = changed;
	o.flags = SVL_REBUILD_DIFF | SVL_REBUILD_SWITCH;
	o.diff = on_diff;
	o.payload = d;
	int rc = svl_ledger_rebuild(t->g->ledger, rules, &o, rep);
	memset(info, 0, SVL_PROJECTIONS * sizeof *info);
	if (rc == SVL_OK)
		rc =
		    svl_ledger_projections(t->g->ledger, info, SVL_PROJECTIONS);
	if (rc != SVL_OK)
		return fail(t, rc);
	return d->oom ? SVL_ENOMEM : SVL_OK;
}

/* The satisfaction threshold moves from 4 to 3 on the 1..5 scale: the
 * projections are rebuilt from seq 1 beside the live ones, the
 * differences shown, and the rebuilt ones switched in. */
static int rule_change(tour *t)
{
	static const char json[] =
	    "{\"id\": \"q3-satisfied-from-3\", \"satisfaction_threshold\": 3}";
	svl_rules rules;
	svl_rebuild_report rep;
	svl_projection_info info[SVL_PROJECTIONS];
	uint64_t changed[SVL_PROJECTIONS] = {0};
	diff_acc d = {{0}, 0, 0, 0, 0};
	rows_acc *before = calloc(2, sizeof *before), *after = before + 1;
	char err[160];
	if (!before)
		return SVL_ENOMEM;
	int rc =
	    svl_rules_parse(json, sizeof json - 1, &rules, err, sizeof err);
	if (rc != SVL_OK)
		demo_fail(t->g, "rules: %s", err);
	if (rc == SVL_OK && (rc = months(t, before)) == SVL_OK &&
	    (rc = rebuild(t, &rules, &d, &rep, info, changed)) == SVL_OK)
		rc = months(t, after);
	size_t n_proj = 0;
	while (rc == SVL_OK && n_proj < SVL_PROJECTIONS && info[n_proj].name)
		n_proj++;
	fmt_rebuild fr = {&rep,	   changed, info, n_proj,     &rules, 1,
			  d.lines, d.n,	    d.more, d.unreadable};
	if (rc == SVL_OK && t->o->json) {
		rc = put(t, "rule_change", json_rebuild_report(&fr));
	} else if (rc == SVL_OK) {
		heading(
		    t,
		    _("6. A rule change: satisfied from a score of 3, not 4, "
		      "rebuilt beside the live projections"));
		rc = print_rebuild_report(stdout, &fr) == 0 ? SVL_OK : SVL_EIO;
		compare(before, after);
	}
	for (size_t i = 0; i < d.n; i++)
		free(d.lines[i]);
	free(before);
	return rc;
}

/* ---- the tour
 * ----------------------------------------------------------------------------
 */

int demo_tour(demo_gen *g, const demo_tour_opts *o)
{
	svl_rules rules;
	tour t = {g, o, NULL, DEMO_TZ_MIN};
	if (svl_ledger_rules(g->ledger, &rules) == SVL_OK)
		t.tz = rules.tz_offset_min;
	if (o->json && !(t.doc = json_object()))
		return SVL_ENOMEM;
	int rc = SVL_OK;
	if (!o->json && !o->quiet)
		volumes(&t);
	else if (o->json)
		rc = put(&t, "quarter", volumes_json(&t));
	if (rc == SVL_OK)
		rc = chain(&t);
	if (o->quiet && !o->json)
		return rc;
	if (rc == SVL_OK)
		rc = seals(&t);
	if (rc == SVL_OK)
		rc = stock_card(&t);
	if (rc == SVL_OK)
		rc = reconcile(&t);
	if (rc == SVL_OK)
		rc = work_order(&t);
	if (rc == SVL_OK)
		rc = kpis(&t);
	if (rc == SVL_OK)
		rc = rule_change(&t);
	if (rc == SVL_OK && o->json) {
		char *text = json_dumps(t.doc, JSON_COMPACT);
		if (!text)
			rc = SVL_ENOMEM;
		else
			printf("%s\n", text);
		free(text);
	}
	json_decref(t.doc);
	if (rc == SVL_OK && !o->json)
		printf(
		    _("\nnext, for instance:\n  svcledger work-order %s -d %s\n"
		      "  svcledger stock-card %s -d %s --as-of "
		      "2026-08-31T18:00\n"
		      "  svcledger metrics --period week --by advisor -d %s\n"),
		    g->tour_wo, o->dir, card_part(g)->no, o->dir, o->dir);
	return rc;
}
