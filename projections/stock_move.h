/*
 * stock_move.h - one card being changed by one event, inside the fold.
 */
#ifndef SVL_STOCK_MOVE_H
#define SVL_STOCK_MOVE_H

#include "money.h"
#include "stock_int.h"
#include "svl_events.h"

typedef struct svl_card {
	uint8_t key[SVL_STOCK_KEY_MAX];
	size_t key_len;
	const char *part, *bin;
	size_t plen, blen;
	int exists;
	svl_stock_figures f;       /* being changed */
	svl_stock_figures before;  /* as loaded (or as last stored) */
	uint64_t lines, last_seq;
} svl_card;

/* What the card's line of a movement says besides the figures. */
typedef struct svl_card_line {
	const char *doc;
	uint32_t doc_len;
	const char *party;
	uint32_t party_len;
	int64_t in_milli, out_milli;
	int64_t unit_cost_fen;
} svl_card_line;

/* Valuation (stock.c; the rounding is model/money.h's). */
/* The value leaving on hand with an outflow of q (moving average). */
int64_t svl__stock_out_value(const svl_stock_figures *f, int64_t q);
/* Average cost a unit of on hand (the last cost when the shelf is empty). */
int64_t svl__stock_avg_cost(const svl_stock_figures *f);
/* The share of value_fen that leaves a bucket of have_milli with q of it:
 * all of it when q >= have_milli, so an emptied bucket is worth exactly 0
 * and rounding never accumulates. */
int64_t svl__stock_share(int64_t value_fen, int64_t have_milli, int64_t q);
void svl__stock_revalue(svl_stock_figures *f, const svl_rules *r);

int svl__stock_card_load(svl_proj_ctx *c, svl_card *card, const char *part,
			 size_t plen, const char *bin, size_t blen);
int svl__stock_card_store(svl_proj_ctx *c, svl_card *card, const svl_record *r,
			  const svl_card_line *m);
int svl__stock_card_open(svl_proj_ctx *c, svl_card *card);

/* ---- small keyed records of the fold (stock_records.c) ---- */

/* tag | u8 len | a [| u8 len | b]; returns the length */
size_t svl__stock_key2(uint8_t *key, char tag, const svl_value *a,
		       const svl_value *b);
/* The part's bin (R-BIN-1), "" when none was ever assigned. */
int svl__stock_part_bin(svl_proj_ctx *c, const svl_value *part,
			const char **bin, size_t *blen);
int svl__stock_set_part_bin(svl_proj_ctx *c, const svl_value *part,
			    const svl_value *bin, int only_if_absent);
/* A list of [part, bin, qty] under key: add qty to (part, bin). */
int svl__stock_list_add(svl_proj_ctx *c, const uint8_t *key, size_t kl,
			const svl_value *part, const char *bin, size_t blen,
			int64_t qty);
typedef int (*svl_stock_list_fn)(svl_proj_ctx *c, const svl_record *r,
			    const char *part, uint32_t plen, const char *bin,
			    uint32_t blen, int64_t qty, void *arg);
/* Take a whole list away, calling fn for each item. */
int svl__stock_list_drain(svl_proj_ctx *c, const svl_record *rec,
			  const uint8_t *key, size_t kl, svl_stock_list_fn fn,
			  void *arg);
/* n int64 counters under key (all 0 when absent); a put of all zeros
 * deletes the key. */
int svl__stock_get_i64(svl_proj_ctx *c, const uint8_t *key, size_t kl,
		       int64_t *out, int n);
int svl__stock_put_i64(svl_proj_ctx *c, const uint8_t *key, size_t kl,
		       const int64_t *vals, int n);

#endif
