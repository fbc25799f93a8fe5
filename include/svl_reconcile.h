/*
 * svl_reconcile.h - counting the shelf against the book (R-STK-1, R-STK-2,
 * R-BIN-2: book, card and goods agree).
 *
 * A count sheet is blind: bin, part, counted quantity, counter; no book
 * quantity on it. Reconciliation reads each card as it stood at the count
 * time (business time: every movement that happened before the count,
 * including ones entered later), compares, values the variance at the
 * card's average cost, and lists the movements since the previous count
 * that explain it, then the reconciling items an auditor asks about.
 */
#ifndef SVL_RECONCILE_H
#define SVL_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "svl_stock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_COUNTER_MAX 40
#define SVL_RECON_MOVES_MAX 64   /* movements listed per line (newest kept) */
#define SVL_COUNT_LINES_MAX 100000

/* One line of a count sheet. */
typedef struct svl_count_line {
	char bin[SVL_BIN_MAX + 1];
	char part_no[SVL_PART_MAX + 1];
	int64_t counted_milli;
	char counter[SVL_COUNTER_MAX + 1];
	uint32_t sheet_line;          /* line number in the sheet (1-based) */
} svl_count_line;

/*
 * svl_count_sheet_parse - parse a CSV count sheet: a header line
 * "bin,part,counted,counter" (in any column order; other columns are an
 * error), then one line per count. Quantities are decimal units with at
 * most three decimals ("12", "0.5", "1.125"). On error returns SVL_EINVAL
 * with "line 17: counted: '1.2345' has more than 3 decimals" in err and
 * nothing in *out. On success *out is malloc'd (free() it), *n its length.
 */
SVL_API int svl_count_sheet_parse(const char *text, size_t len,
				  svl_count_line **out, size_t *n, char *err,
				  size_t errlen);

typedef struct svl_recon_line {
	svl_count_line count;
	int64_t book_milli;           /* on hand as of the count */
	int64_t variance_milli;       /* counted - book */
	int64_t unit_cost_fen;        /* average cost as of the count */
	int64_t variance_value_fen;   /* signed value of the variance */
	int64_t abs_variance_value_fen;
	int64_t variance_bp;          /* variance / book in basis points;
				       * 0 when both are 0, INT64_MAX when the
				       * book is 0 and the count is not */
	svl_stock_figures figures;    /* the card as of the count */
	int64_t prev_count_at_ms;     /* previous count of this card, 0: none */
	int64_t prev_counted_milli;
	size_t n_moves;               /* movements since the previous count */
	size_t moves_omitted;         /* older ones beyond SVL_RECON_MOVES_MAX */
	svl_stock_line moves[SVL_RECON_MOVES_MAX];
} svl_recon_line;

typedef struct svl_recon_summary {
	uint64_t lines;
	uint64_t lines_exact;         /* counted == book */
	int64_t accuracy_bp;          /* lines_exact / lines, basis points */
	int64_t net_variance_value_fen;   /* gains - losses */
	int64_t abs_variance_value_fen;   /* gains + losses, never netted */
	int64_t gains_value_fen;
	int64_t losses_value_fen;
	/* reconciling items over the counted cards, as of the count */
	int64_t unsettled_issued_milli;
	int64_t old_parts_pending_milli;
	int64_t quarantined_milli;
	int64_t quarantined_value_fen;
	int64_t claims_pending_milli;
	int64_t wof_held_milli;
	int64_t wof_held_value_fen;
} svl_recon_summary;

typedef struct svl_reconcile_result {
	int64_t count_at_ms;
	uint64_t book_seq;            /* the log's head the book was read at */
	svl_recon_summary summary;
	size_t n;
	svl_recon_line *lines;        /* n lines, in sheet order */
} svl_reconcile_result;

/*
 * svl_reconcile - reconcile count lines against the book as of count_at_ms.
 * A part with no card is book 0 (the whole count is a gain). *out is
 * allocated; free it with svl_reconcile_free. Returns SVL_OK, SVL_EINVAL,
 * SVL_ENOMEM, or a read error.
 */
SVL_API int svl_reconcile(svl_ledger *l, const svl_count_line *lines,
			  size_t n, int64_t count_at_ms,
			  svl_reconcile_result **out);

SVL_API void svl_reconcile_free(svl_reconcile_result *r);

/*
 * svl_reconcile_proposals_ndjson - the stocktake adjustment proposals of a
 * reconciliation, one `adjustment_proposed` event line per line with a
 * variance, for stocktake stk_id, proposed by actor (a parts_manager or
 * warehouse_keeper). They still need the service_manager's approval
 * (R-STK-2). Returns a malloc'd NUL-terminated text (free() it) or NULL.
 */
SVL_API char *svl_reconcile_proposals_ndjson(const svl_reconcile_result *r,
					     const char *stk_id,
					     const char *actor,
					     const char *role);

#ifdef __cplusplus
}
#endif
#endif /* SVL_RECONCILE_H */
