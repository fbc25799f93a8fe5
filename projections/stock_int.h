/*
 * stock_int.h - the stock-card projection's keys and codecs, shared by its
 * fold (stock.c) and its queries (stock_query.c).
 *
 * Keys of the "stock" slot table (pb = u8 len | part | u8 len | bin):
 *   'c' pb                 -> card: [16 figures, lines, last_seq]
 *   'l' pb seq(8)          -> line: [occurred, recorded, type, doc, party,
 *                             in, out, unit_cost, 16 figures after]
 *   'o' pb occ(8) seq(8)   -> the line's 16 figure deltas, by business time
 *   'd' pb day(8)          -> sum of the deltas of one UTC day
 *   'k' pb seq(8)          -> a count: [stk_id, counted_milli, occurred]
 *   'b' u8 len | part      -> the part's bin (R-BIN-1)
 *   'w' u8 len | wo        -> [[part, bin, qty]...] issued, not settled
 *   'p' u8 len | wo | u8 len | part -> [issued, old parts returned]
 *   's' u8 len | po | u8 len | slip -> [[part, bin, qty]...] claims open
 *   'r' pb u8 len | wo     -> quantity reserved for the job
 *   'j' u8 len | wo        -> job kind (enum index + 1)
 *   'q' u8 len | pick      -> pick purpose (enum index + 1)
 * Times and days are biased by 2^63 so that they sort as unsigned.
 */
#ifndef SVL_STOCK_INT_H
#define SVL_STOCK_INT_H

#include "mp.h"
#include "proj.h"
#include "svl_stock.h"

#define SVL_STOCK_FIGURES 16
#define SVL_STOCK_LINE_FIELDS (8 + SVL_STOCK_FIGURES)
#define SVL_STOCK_KEY_MAX (1 + 2 + SVL_PART_MAX + SVL_BIN_MAX + 16)

_Static_assert(sizeof(svl_stock_figures) ==
		       SVL_STOCK_FIGURES * sizeof(int64_t),
	       "figures are a plain array of int64");

extern const svl_proj_def svl__proj_stock;
/* The seq a line or delta key ends with; 0 for other keys. */
uint64_t svl__stock_key_seq(const void *key, size_t key_len);

static inline uint64_t svl__bias(int64_t v)
{
	return (uint64_t)v ^ (UINT64_C(1) << 63);
}

static inline int64_t svl__unbias(uint64_t v)
{
	return (int64_t)(v ^ (UINT64_C(1) << 63));
}

/* tag | len | part | len | bin; returns the length */
size_t svl__stock_pb(uint8_t *key, char tag, const char *part, size_t plen,
		     const char *bin, size_t blen);
/* the figures as an array, and back */
void svl__figs_to(const svl_stock_figures *f, int64_t out[SVL_STOCK_FIGURES]);
void svl__figs_from(svl_stock_figures *f, const int64_t in[SVL_STOCK_FIGURES]);

bool svl__stock_card_decode(const void *v, size_t n, svl_stock_figures *f,
			    uint64_t *lines, uint64_t *last_seq);
bool svl__stock_line_decode(const void *v, size_t n, svl_stock_line *out);
bool svl__stock_deltas_decode(const void *v, size_t n,
			      int64_t d[SVL_STOCK_FIGURES]);

/* A card as of asof inside the read transaction t (see stock_query.c). */
int svl__stock_read(svl_ledger *l, svl_txn *t, const char *part,
		    const char *bin, const svl_asof *asof, svl_stock_card *out);

#endif
