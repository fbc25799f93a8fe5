/*
 * money.h - money and quantities, once: the rounding division, the value
 * of a line and the cost per unit of a value, the write-off split
 * (R-WOF-6) and quantities as text. Pure: no I/O, no state.
 *
 * Units (docs/events.md "Units and rounding"): money is int64 fen;
 * quantities are int64 thousandths of the part's unit (qty_milli); a cost
 * is fen per whole unit. So a line is worth qty_milli * unit_cost_fen /
 * 1000, and a value over a quantity costs value_fen * 1000 / qty_milli a
 * unit. Every division that rounds is svl__div_round: half away from
 * zero, on 128-bit intermediates, so the product of two int64 never
 * overflows before it is divided.
 *
 * The public forms, which check their input, are svl_line_value_fen and
 * svl_writeoff_split (svl_decide.h); they are implemented in money.c with
 * the rest.
 */
#ifndef SVL_MONEY_H
#define SVL_MONEY_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 svl_i128;

/* a / b rounded half away from zero (-2.5 -> -3); 0 when b == 0. The
 * quotient must fit in int64: callers divide products of bounded figures
 * (SVL_FEN_MAX, SVL_QTY_MILLI_MAX) by at least 1. */
int64_t svl__div_round(svl_i128 a, svl_i128 b);

/* The value in fen of qty_milli at unit_cost_fen a unit: qty_milli *
 * unit_cost_fen / 1000, rounded half away from zero. Either may be
 * negative (a stocktake loss valued at the book's cost). */
int64_t svl__line_value_fen(int64_t qty_milli, int64_t unit_cost_fen);

/* The cost a unit of value_fen spread over qty_milli: value_fen * 1000 /
 * qty_milli, rounded half away from zero; 0 when qty_milli is 0. */
int64_t svl__unit_cost_fen(int64_t value_fen, int64_t qty_milli);

/* "1.5" for 1500 thousandths, "-0.25" for -250, "2" for 2000: at most
 * three decimals, no trailing zeros. Writes into buf (cap >= 32) and
 * returns it. */
const char *svl__fmt_qty(char *buf, size_t cap, int64_t qty_milli);

#endif
