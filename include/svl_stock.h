/*
 * svl_stock.h - stock cards (R-BIN-2): per part and bin, every movement
 * with its running balance and value, and the figures an auditor
 * reconciles a count against. Quantities in thousandths of the part's unit,
 * money in fen. docs/projections.md defines every field.
 *
 * As-of: a card can be read as it stood at any point, answered from the
 * card's own indexed history, never by replaying the log:
 *   SVL_ASOF_NOW       the current card;
 *   SVL_ASOF_SEQ       after log record `seq`;
 *   SVL_ASOF_KNOWN     "what the book said at time T": every event
 *                      recorded (appended) at or before T;
 *   SVL_ASOF_OCCURRED  "what we now know about time T": every event that
 *                      happened (business time) at or before T, including
 *                      ones entered later.
 * A late-entered receipt for 30 September changes OCCURRED as of 30
 * September but not KNOWN as of 30 September. Neither needs any reposting:
 * each movement's value is fixed when it is recorded.
 */
#ifndef SVL_STOCK_H
#define SVL_STOCK_H

#include <stddef.h>
#include <stdint.h>

#include "svl_ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_PART_MAX 40   /* bytes in a part number (+1 for NUL below) */
#define SVL_BIN_MAX 40    /* bytes in a bin location */
#define SVL_DOC_MAX 40

enum svl_asof_kind {
	SVL_ASOF_NOW = 0,
	SVL_ASOF_SEQ,
	SVL_ASOF_KNOWN,
	SVL_ASOF_OCCURRED,
};

typedef struct svl_asof {
	enum svl_asof_kind kind;
	uint64_t seq;        /* SVL_ASOF_SEQ */
	int64_t at_ms;       /* SVL_ASOF_KNOWN / SVL_ASOF_OCCURRED, UTC ms */
} svl_asof;

/* The figures of one card. All quantities are _milli, money _fen. */
typedef struct svl_stock_figures {
	int64_t on_hand_milli;        /* book quantity on the shelf (sellable) */
	int64_t reserved_milli;       /* of on hand, set aside for bookings */
	int64_t quarantined_milli;    /* R-BIN-3: separate ledger, not sellable */
	int64_t wof_held_milli;       /* R-WOF-5: written off, held until disposal */
	int64_t value_fen;            /* value of on hand */
	int64_t quarantined_value_fen;
	int64_t wof_held_value_fen;
	int64_t last_cost_fen;        /* unit cost of the last receipt, per unit */
	int64_t received_milli;       /* totals since the card opened */
	int64_t issued_milli;
	int64_t returned_milli;       /* unused parts back to stock */
	int64_t adjusted_milli;       /* approved stocktake gains - losses */
	int64_t written_off_milli;
	/* reconciling items */
	int64_t unsettled_issued_milli; /* issued to jobs not yet settled */
	int64_t old_parts_pending_milli; /* issued for repairs, old part not back */
	int64_t claims_pending_milli;  /* on discrepancy slips, claim open */
} svl_stock_figures;

typedef struct svl_stock_card {
	char part_no[SVL_PART_MAX + 1];
	char bin[SVL_BIN_MAX + 1];
	svl_stock_figures f;
	uint64_t lines;               /* movement lines on the card: NOW only
				       * (0 for an as-of read) */
	uint64_t last_seq;            /* seq of the last line: NOW, SEQ and
				       * KNOWN; 0 for OCCURRED */
} svl_stock_card;

/* One movement line of the bin card (R-BIN-2). */
typedef struct svl_stock_line {
	uint64_t seq;
	int64_t occurred_at_ms;
	int64_t recorded_at_ms;
	uint32_t type;                /* event type id: the document type */
	char doc[SVL_DOC_MAX + 1];    /* PO, pick, stocktake, write-off id */
	char counterparty[SVL_DOC_MAX + 1]; /* supplier, work order, staff */
	int64_t in_milli, out_milli;  /* on-hand movement */
	int64_t balance_milli;        /* on hand after the line */
	int64_t unit_cost_fen;        /* per unit: receipt cost or average */
	int64_t value_fen;            /* value of on hand after the line */
	svl_stock_figures f;          /* every figure after the line */
} svl_stock_line;

/*
 * svl_stock_card_get - the card of part_no at bin (bin NULL: the part's
 * assigned bin, R-BIN-1) as of `asof` (NULL: now). Returns SVL_OK,
 * SVL_ENOTFOUND (no such card, or nothing on it yet at that point),
 * SVL_EINVAL. Answers from indexed history: cost grows with the card's
 * days of history, never with the log's length.
 */
SVL_API int svl_stock_card_get(svl_ledger *l, const char *part_no,
			       const char *bin, const svl_asof *asof,
			       svl_stock_card *out);

/* svl_stock_card_lines - call fn for each line of the card with
 * first_seq <= seq <= last_seq (0 = open), in seq order. fn returns 0 to
 * go on, anything else stops (and is returned). */
typedef int (*svl_stock_line_fn)(const svl_stock_line *line, void *payload);
SVL_API int svl_stock_card_lines(svl_ledger *l, const char *part_no,
				 const char *bin, uint64_t first_seq,
				 uint64_t last_seq, svl_stock_line_fn fn,
				 void *payload);

/* svl_stock_card_lines_page - the same, one page at a time (svl_page,
 * svl_ledger.h): at most page->limit lines after page->after, the total
 * of lines in the range, and the cursor of the next page. */
SVL_API int svl_stock_card_lines_page(svl_ledger *l, const char *part_no,
				      const char *bin, uint64_t first_seq,
				      uint64_t last_seq, svl_page *page,
				      svl_stock_line_fn fn, void *payload);

/* svl_stock_cards - call fn for every card (current figures, or as of
 * asof: a card with nothing on it yet is left out), ordered by the part
 * number's length, then the part number. fn returns 0 to go on. */
typedef int (*svl_stock_card_fn)(const svl_stock_card *card, void *payload);
SVL_API int svl_stock_cards(svl_ledger *l, const svl_asof *asof,
			    svl_stock_card_fn fn, void *payload);
/* svl_stock_cards_page - the same, one page at a time (svl_page). */
SVL_API int svl_stock_cards_page(svl_ledger *l, const svl_asof *asof,
				 svl_page *page, svl_stock_card_fn fn,
				 void *payload);

/* svl_ledger_seq_at - the last seq recorded at or before at_ms (0 if
 * none): how SVL_ASOF_KNOWN maps a time onto the log. O(log n). */
SVL_API int svl_ledger_seq_at(svl_ledger *l, int64_t at_ms, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif /* SVL_STOCK_H */
