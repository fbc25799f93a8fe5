/*
 * stock_moves.h - the stock-move table (stock_moves.def) as data, and the
 * one function that reads an event through it. Pure: no I/O, no state.
 *
 * The decider's counters (decide/decide_stockidx.c: its index and its
 * as-of fold) and the stock card (projections/stock_apply.c) see a
 * stock-moving event only as the lines svl__move_lines() gives them, each
 * with the rows of the table that apply to it, so they move the same
 * buckets by the same quantities; tests/test_stock_moves.c checks every
 * row on both sides, and random stories through the ledger.
 *
 * Invariants: a line's rules move quantity between buckets, so the
 * deltas of one line (OUTSIDE included) sum to zero; a type has one kind
 * row (duplicates do not compile); every rule and tally names a type that
 * has one.
 */
#ifndef SVL_STOCK_MOVES_H
#define SVL_STOCK_MOVES_H

#include <stddef.h>
#include <stdint.h>

#include "svl_events.h"

/* Buckets of one part at one bin (stock_moves.def says what each holds). */
enum svl__bucket {
	SVL__BUCKET_OUTSIDE,
	SVL__BUCKET_ON_HAND,
	SVL__BUCKET_QUARANTINE,
	SVL__BUCKET_HELD,
	SVL__BUCKET_RESERVED,
	SVL__BUCKETS
};

/* The card's running totals a move may count. */
enum svl__total {
	SVL__TOTAL_NONE,
	SVL__TOTAL_RECEIVED,
	SVL__TOTAL_ISSUED,
	SVL__TOTAL_RETURNED,
	SVL__TOTAL_ADJUSTED,
	SVL__TOTAL_WRITTEN_OFF,
};

/* The decider's counts per document. */
enum svl__tally {
	SVL__TALLY_JOB_ISSUED,	 /* net issued to the job (R-ISS-5, R-BIN-2) */
	SVL__TALLY_PICK_ISSUED,	 /* issued on the pick list (R-ISS-1) */
	SVL__TALLY_PO_SHELVED,	 /* shelved from the purchase order (R-RCV-1) */
	SVL__TALLY_JOB_RESERVED, /* reserved for the job, per bin (R-BKG-6) */
	SVL__TALLIES
};

/* When an SVL_MOVE_IF row applies. */
enum svl__when {
	SVL__WHEN_ALWAYS,
	SVL__WHEN_PRESENT,
	SVL__WHEN_ABSENT,
	SVL__WHEN_IS,
	SVL__WHEN_NOT,
};

#define SVL__FIELD_NONE (-1)  /* no such column */
#define SVL__FIELD_ACTOR (-2) /* party: the person who recorded the event */

/* One SVL_STOCK, SVL_STOCK_LINES or SVL_STOCK_FACT row. */
typedef struct svl__move_kind {
	uint32_t type;
	int32_t lines;		  /* the array field; SVL__FIELD_NONE: none */
	int32_t part, bin, qty;	  /* fields (an element's when lines >= 0) */
	int32_t doc, party, cost; /* top-level fields or SVL__FIELD_... */
	int fact;		  /* SVL_STOCK_FACT: no bucket moves */
} svl__move_kind;

/* One SVL_MOVE or SVL_MOVE_IF row. */
typedef struct svl__move_rule {
	uint32_t type;
	uint8_t from, to; /* enum svl__bucket */
	uint8_t total;	  /* enum svl__total */
	uint8_t when;	  /* enum svl__when */
	int32_t field;	  /* the top-level field tested */
	int64_t value;	  /* for IS and NOT */
} svl__move_rule;

/* One SVL_TALLY row. */
typedef struct svl__move_tally {
	uint32_t type;
	uint8_t tally; /* enum svl__tally */
	int8_t sign;   /* +1 or -1 */
	int32_t field; /* the top-level field naming the document */
} svl__move_tally;

#define SVL__LINE_RULES_MAX 4
#define SVL__LINE_TALLIES_MAX 4

/* One line of an event (the event itself, or one element of its array)
 * as the table reads it. Borrows the view: valid during the callback. */
typedef struct svl__move_line {
	const svl__move_kind *kind;
	const svl_event_view *v; /* the event */
	const svl_value *el;	 /* the line's fields: an element's, or v->v */
	const svl_value *part, *bin;
	int64_t qty_milli; /* as written: an adjustment's may be < 0 */
	uint32_t n_rules, n_tallies;
	const svl__move_rule *rule[SVL__LINE_RULES_MAX];     /* that apply */
	const svl__move_tally *tally[SVL__LINE_TALLIES_MAX]; /* doc present */
} svl__move_line;

/* The kind row of a type; NULL when neither card nor decider reads it. */
const svl__move_kind *svl__move_kind_of(uint32_t type);

/*
 * svl__move_lines - call fn(st, line) for each line of the decoded event
 * v, in array order: nothing for a type without a row or a fact. Returns
 * SVL_OK, fn's first code other than SVL_OK, or SVL_ECORRUPT from an
 * element that does not decode.
 */
typedef int (*svl__move_fn)(void *st, const svl__move_line *ln);
int svl__move_lines(const svl_event_view *v, svl__move_fn fn, void *st);

/* Where rule r takes qty_milli: *from to *to, *q >= 0 (a negative
 * quantity moves the other way). */
void svl__move_dir(const svl__move_rule *r, int64_t qty_milli, int *from,
		   int *to, int64_t *q);

/* What the line's rules do to each bucket: d[bucket], OUTSIDE included. */
void svl__move_deltas(const svl__move_line *ln, int64_t d[SVL__BUCKETS]);

/* Bits (1u << enum svl__bucket) of every bucket a rule of type may move,
 * whatever its test; 0 for a type without rules. */
unsigned svl__move_buckets(uint32_t type);
/* Whether a tally row names type. */
int svl__move_tallied(uint32_t type);

/* The rows in table order, NULL past the last (walking the table). */
const svl__move_kind *svl__move_kind_at(size_t i);
const svl__move_rule *svl__move_rule_at(size_t i);
const svl__move_tally *svl__move_tally_at(size_t i);

#endif
