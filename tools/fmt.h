/*
 * fmt.h - the printers the svcledger commands and the demo share: numbers
 * in the units people read, local times, aligned tables, and the reports
 * (stock card, reconciliation, work order, metrics, rebuild) both as
 * tables and as JSON.
 *
 * Units, the same everywhere so that a figure reads the same in every
 * report:
 *   quantities  qty_milli / 1000, up to 3 decimals with trailing zeros
 *               trimmed ("12", "0.5", "1.125"), thousands separated;
 *   money       fen / 100 as yuan with exactly 2 decimals ("1,234.56");
 *   ratios      percent with one decimal, rounded half away from zero
 *               ("80.0%"), "-" when undefined (no denominator);
 *   times       local time of the ledger's rule set ("2026-09-30 18:00"),
 *               the zone named in the report's header; "-" for 0 (a time
 *               that has not happened yet).
 * JSON output never converts: it carries the library's integers
 * (qty_milli, *_fen, *_ms, *_permille, *_bp) under the library's names,
 * so that a script computes with exactly what the ledger stores.
 *
 * Memory: every fmt_* number printer writes into the caller's buffer
 * (FMT_NUM_SIZE or FMT_TIME_SIZE bytes) and returns it. json_* builders
 * return a new reference (NULL when out of memory). print_* return 0, or
 * -1 when out of memory or the stream failed.
 */
#ifndef SVL_TOOLS_FMT_H
#define SVL_TOOLS_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "svcledger.h"

/* ---- numbers and times --------------------------------------------------- */

#define FMT_NUM_SIZE 40
#define FMT_TIME_SIZE 128 /* room for any int the compiler can imagine */
/* The zone of the commands that read the log alone (head, log, verify):
 * the engine's recorded times, shown and read in UTC. */
#define FMT_UTC 0

/* 12000 -> "12", 500 -> "0.5", -1125 -> "-1.125", 1234000 -> "1,234" */
char *fmt_qty(char *out, int64_t qty_milli);
/* 123456 -> "1,234.56", -5 -> "-0.05" */
char *fmt_money(char *out, int64_t fen);
/* 1234567 -> "1,234,567" */
char *fmt_count(char *out, int64_t n);
/* 800 -> "80.0%"; SVL_METRICS_NONE (or any negative) -> "-" */
char *fmt_permille(char *out, int64_t permille);
/* signed basis points: -1250 -> "-12.5%"; INT64_MAX -> "new" (no book) */
char *fmt_bp(char *out, int64_t bp);
/* "2026-09-30 18:00" in the zone tz_offset_min (local = UTC + that);
 * 0 -> "-" */
char *fmt_time(char *out, int64_t ms, int32_t tz_offset_min);
/* "2026-09-30" */
char *fmt_date(char *out, int64_t ms, int32_t tz_offset_min);
/* "2026-09-30T18:00:00.000+08:00" (RFC 3339 with the offset; "...Z" in
 * zone 0, UTC) */
char *fmt_iso(char *out, int64_t ms, int32_t tz_offset_min);
/* "UTC+08:00" */
char *fmt_tz(char *out, int32_t tz_offset_min);
/* the catalog's name of an event type, or "type N" */
const char *fmt_type_name(uint32_t type, char *out);

/* ---- aligned tables ------------------------------------------------------ */

/* A column: its header and alignment ('l' or 'r'). */
typedef struct fmt_col {
	const char *head;
	char align;
} fmt_col;

typedef struct fmt_table fmt_table;

/* A table of n columns; cols is borrowed for the table's life. NULL on
 * out of memory. */
fmt_table *fmt_table_new(const fmt_col *cols, size_t n);
/* Add a row of exactly n cells (const char *; NULL prints as ""). Cells
 * are copied. Out of memory is remembered and reported by print. */
void fmt_table_add(fmt_table *t, ...);
/* The same from an array of n cells. */
void fmt_table_addv(fmt_table *t, const char *const *cells);
size_t fmt_table_rows(const fmt_table *t);
/*
 * Print the header and the rows, each column as wide as its widest cell
 * (display width: a CJK character counts two), two spaces apart, every
 * line after `indent` spaces. Control characters print as '?'. Returns 0,
 * or -1 when a row could not be stored or the stream failed.
 */
int fmt_table_print(const fmt_table *t, FILE *f, int indent);
void fmt_table_free(fmt_table *t);

/* Display width of UTF-8 text (a CJK character counts two). */
size_t fmt_width(const char *s);

/* ---- stock cards (fmt_stock.c) ------------------------------------------- */

/* A stock card as shown: the card, the lines shown (oldest first), how many
 * earlier lines were left out, and what "as of" means in words. */
typedef struct fmt_card {
	const svl_stock_card *card;
	const svl_stock_line *lines;
	size_t n_lines;
	uint64_t omitted;
	const char *asof; /* "now", "as of seq 12", ... */
	int32_t tz_offset_min;
} fmt_card;

int print_stock_card(FILE *f, const fmt_card *c);
json_t *json_stock_card(const fmt_card *c);
/* The figures of a card as a JSON object (every svl_stock_figures field). */
json_t *json_stock_figures(const svl_stock_figures *f);
/* One bin card line as a JSON object. */
json_t *json_stock_line(const svl_stock_line *l, int32_t tz_offset_min);
/* The list of cards: a table row per card. asof: the cards were read as
 * of a point in the past (their line counts are not shown: the library
 * gives the figures as of, the line count of now). */
fmt_table *fmt_stock_cards_table(void);
void fmt_stock_cards_row(fmt_table *t, const svl_stock_card *c, int asof);

/* ---- reconciliation (fmt_recon.c) ---------------------------------------- */

/* The three sections: lines with the movements explaining each variance,
 * the reconciling items, the summary. */
int print_reconcile(FILE *f, const svl_reconcile_result *r,
		    int32_t tz_offset_min);
json_t *json_reconcile(const svl_reconcile_result *r, int32_t tz_offset_min);

/* ---- work orders (fmt_jobs.c) -------------------------------------------- */

typedef struct fmt_wo {
	const svl_work_order *wo;
	const svl_wo_transition *trans;
	size_t n_trans;
	const svl_wo_part *parts;
	size_t n_parts;
	const svl_wo_complaint *cmps;
	size_t n_cmps;
	int32_t tz_offset_min;
} fmt_wo;

int print_work_order(FILE *f, const fmt_wo *w);
json_t *json_work_order(const fmt_wo *w);
/* The job's own fields only (for lists). */
json_t *json_work_order_fields(const svl_work_order *wo, int32_t tz_offset_min);
fmt_table *fmt_work_orders_table(void);
void fmt_work_orders_row(fmt_table *t, const svl_work_order *wo,
			 int32_t tz_offset_min);

/* ---- metrics (fmt_metrics.c) --------------------------------------------- */

/*
 * The seed's targets (domain.md section 4) beside the figures: follow-up
 * coverage 100% (R-FU-1), follow-up success >= 80% (R-FU-2), major
 * complaints <= 1% of jobs (R-CMP-5). A figure with no denominator meets
 * no target and misses none ("-").
 */
#define FMT_TARGET_FU_COVERAGE_PERMILLE 1000
#define FMT_TARGET_FU_SUCCESS_PERMILLE 800
#define FMT_TARGET_MAJOR_COMPLAINT_BP 100

/* The rows (period order, then key), then a total row over all of them. */
int print_metrics(FILE *f, const svl_metrics_row *rows, size_t n,
		  enum svl_metrics_by by);
json_t *json_metrics(const svl_metrics_row *rows, size_t n,
		     enum svl_metrics_period period, enum svl_metrics_by by);
const char *fmt_metrics_period_name(enum svl_metrics_period p);
const char *fmt_metrics_by_name(enum svl_metrics_by by);
/* The tool's own breakdown beside enum svl_metrics_by: one row per store
 * of a group ledger (cmd_metrics.c, group_dir.h), the store as the key. */
#define FMT_METRICS_BY_STORE 3

/* ---- projections and rebuilds (fmt_proj.c) ------------------------------- */

/* What a rebuild did, with the readable difference lines kept (at most
 * max_lines; `more` counts the rest). */
typedef struct fmt_rebuild {
	const svl_rebuild_report *rep;
	const uint64_t *changed;	 /* differing keys per projection */
	const svl_projection_info *proj; /* names, in the order of changed[] */
	size_t n_proj;
	const svl_rules *rules;
	int diff;     /* the lines were asked for */
	char **lines; /* "stock: ..." */
	size_t n_lines;
	uint64_t more;	     /* lines not kept */
	uint64_t unreadable; /* differences with no readable line */
} fmt_rebuild;

int print_rebuild_report(FILE *f, const fmt_rebuild *r);
json_t *json_rebuild_report(const fmt_rebuild *r);
/* p: the n projections svl_ledger_projections filled (name != NULL). */
int print_projections(FILE *f, const svl_projection_info *p, size_t n);
json_t *json_projections(const svl_projection_info *p, size_t n,
			 const svl_rules *rules);
/* A rule set as JSON (its canonical form), NULL on failure. */
json_t *json_rules(const svl_rules *r);

#endif /* SVL_TOOLS_FMT_H */
