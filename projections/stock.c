/*
 * stock.c - stock cards: the card record, its lines and indexes, and the
 * valuation arithmetic. The mapping from events to movements is in
 * stock_apply.c.
 *
 * Every event that changes a card writes, in the same overlay flush:
 * the card ('c'), one line with the figures after it ('l', for as-of by
 * seq), its deltas by business time ('o') and the day's sum ('d', for
 * as-of by business time). Lines are never rewritten: a late entry adds a
 * line; nothing is reposted.
 *
 * Valuation (rule set `valuation`):
 *  moving_average  receipts add qty * unit cost; an outflow of q from on
 *                  hand h with value V takes round(V * q / h), and all of V
 *                  when q >= h, so the value of an empty shelf is exactly 0
 *                  and rounding never accumulates.
 *  latest_cost     after every movement V = round(h * last receipt cost).
 * Rounding is model/money.h's: half away from zero, in 128-bit
 * intermediates; costs are fen per unit, quantities thousandths of a unit,
 * so value = qty_milli * cost / 1000 (svl__line_value_fen).
 */
#include <stdlib.h>

#include "calendar.h"
#include "stock_int.h"
#include "stock_move.h"

size_t svl__stock_pb(uint8_t *key, char tag, const char *part, size_t plen,
		     const char *bin, size_t blen)
{
	uint8_t *p = key;
	*p++ = (uint8_t)tag;
	*p++ = (uint8_t)plen;
	memcpy(p, part, plen);
	p += plen;
	*p++ = (uint8_t)blen;
	memcpy(p, bin, blen);
	p += blen;
	return (size_t)(p - key);
}

void svl__figs_to(const svl_stock_figures *f, int64_t out[SVL_STOCK_FIGURES])
{
	memcpy(out, f, sizeof *f);
}

void svl__figs_from(svl_stock_figures *f, const int64_t in[SVL_STOCK_FIGURES])
{
	memcpy(f, in, sizeof *f);
}

/* ---- valuation ---- */

int64_t svl__stock_share(int64_t value_fen, int64_t have_milli, int64_t q)
{
	if (q >= have_milli)
		return value_fen;
	return svl__div_round((svl_i128)value_fen * q, have_milli);
}

int64_t svl__stock_out_value(const svl_stock_figures *f, int64_t q)
{
	if (f->on_hand_milli <= 0)
		return svl__line_value_fen(q, f->last_cost_fen);
	return svl__stock_share(f->value_fen, f->on_hand_milli, q);
}

int64_t svl__stock_avg_cost(const svl_stock_figures *f)
{
	if (f->on_hand_milli <= 0)
		return f->last_cost_fen;
	return svl__unit_cost_fen(f->value_fen, f->on_hand_milli);
}

void svl__stock_revalue(svl_stock_figures *f, const svl_rules *r)
{
	if (r->valuation != SVL_VALUATION_LATEST_COST)
		return;
	f->value_fen =
	    f->on_hand_milli > 0
		? svl__line_value_fen(f->on_hand_milli, f->last_cost_fen)
		: 0;
}

/* ---- codecs ---- */

bool svl__stock_card_decode(const void *v, size_t n, svl_stock_figures *f,
			    uint64_t *lines, uint64_t *last_seq)
{
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len;
	int64_t a[SVL_STOCK_FIGURES];
	if (!svl__mp_read_array(&r, &len) || len != SVL_STOCK_FIGURES + 2)
		return false;
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		if (!svl__mp_read_int(&r, &a[i]))
			return false;
	svl__figs_from(f, a);
	return svl__mp_read_uint(&r, lines) && svl__mp_read_uint(&r, last_seq);
}

bool svl__stock_deltas_decode(const void *v, size_t n,
			      int64_t d[SVL_STOCK_FIGURES])
{
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len;
	if (!svl__mp_read_array(&r, &len) || len != SVL_STOCK_FIGURES)
		return false;
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		if (!svl__mp_read_int(&r, &d[i]))
			return false;
	return true;
}

static bool read_text(svl_mp_reader *r, char *out, size_t cap)
{
	const char *s;
	uint32_t n;
	if (!svl__mp_read_str(r, &s, &n))
		return false;
	if (n >= cap)
		n = (uint32_t)cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

bool svl__stock_line_decode(const void *v, size_t n, svl_stock_line *out)
{
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len;
	uint64_t type;
	int64_t a[SVL_STOCK_FIGURES];
	if (!svl__mp_read_array(&r, &len) || len != SVL_STOCK_LINE_FIELDS ||
	    !svl__mp_read_int(&r, &out->occurred_at_ms) ||
	    !svl__mp_read_int(&r, &out->recorded_at_ms) ||
	    !svl__mp_read_uint(&r, &type) ||
	    !read_text(&r, out->doc, sizeof out->doc) ||
	    !read_text(&r, out->counterparty, sizeof out->counterparty) ||
	    !svl__mp_read_int(&r, &out->in_milli) ||
	    !svl__mp_read_int(&r, &out->out_milli) ||
	    !svl__mp_read_int(&r, &out->unit_cost_fen))
		return false;
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		if (!svl__mp_read_int(&r, &a[i]))
			return false;
	out->type = (uint32_t)type;
	svl__figs_from(&out->f, a);
	out->balance_milli = out->f.on_hand_milli;
	out->value_fen = out->f.value_fen;
	return true;
}

/* ---- loading and storing a card within a fold ---- */

int svl__stock_card_load(svl_proj_ctx *c, svl_card *card, const char *part,
			 size_t plen, const char *bin, size_t blen)
{
	if (plen == 0 || plen > SVL_PART_MAX || blen > SVL_BIN_MAX)
		return svl_txn_fail(c->txn, SVL_EINVAL,
				    "stock: part or bin of bad length");
	memset(card, 0, sizeof *card);
	card->part = part;
	card->plen = plen;
	card->bin = bin;
	card->blen = blen;
	card->key_len = svl__stock_pb(card->key, 'c', part, plen, bin, blen);
	const void *v;
	size_t n;
	int rc = svl__proj_get(c, card->key, card->key_len, &v, &n);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	card->exists = 1;
	if (!svl__stock_card_decode(v, n, &card->f, &card->lines,
				    &card->last_seq))
		return svl_txn_fail(c->txn, SVL_ECORRUPT,
				    "stock: card %.*s does not decode",
				    (int)plen, part);
	card->before = card->f;
	return SVL_OK;
}

static int put_card(svl_proj_ctx *c, const svl_card *card)
{
	uint8_t buf[SVL_STOCK_FIGURES * 9 + 32], *p = buf;
	int64_t a[SVL_STOCK_FIGURES];
	svl__figs_to(&card->f, a);
	p = svl__mp_put_array_hdr(p, SVL_STOCK_FIGURES + 2);
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		p = svl__mp_put_int(p, a[i]);
	p = svl__mp_put_uint(p, card->lines);
	p = svl__mp_put_uint(p, card->last_seq);
	return svl__proj_put(c, card->key, card->key_len, buf,
			     (size_t)(p - buf));
}

static int put_line(svl_proj_ctx *c, const svl_card *card, const svl_record *r,
		    const svl_card_line *m)
{
	uint8_t key[SVL_STOCK_KEY_MAX];
	uint8_t buf[SVL_STOCK_LINE_FIELDS * 9 + 2 * SVL_DOC_MAX + 32], *p = buf;
	int64_t a[SVL_STOCK_FIGURES];
	size_t kl = svl__stock_pb(key, 'l', card->part, card->plen, card->bin,
				  card->blen);
	svl__be64_put(key + kl, r->seq);
	svl__figs_to(&card->f, a);
	p = svl__mp_put_array_hdr(p, SVL_STOCK_LINE_FIELDS);
	p = svl__mp_put_int(p, r->occurred_at_ms);
	p = svl__mp_put_int(p, r->recorded_at_ms);
	p = svl__mp_put_uint(p, r->type);
	p = svl__mp_put_str(p, m->doc, m->doc_len);
	p = svl__mp_put_str(p, m->party, m->party_len);
	p = svl__mp_put_int(p, m->in_milli);
	p = svl__mp_put_int(p, m->out_milli);
	p = svl__mp_put_int(p, m->unit_cost_fen);
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		p = svl__mp_put_int(p, a[i]);
	return svl__proj_put_new(c, key, kl + 8, buf, (size_t)(p - buf));
}

/* Add the deltas already recorded for this event on this card (an event
 * that moves one card twice, e.g. two write-off lines of one bin). */
static int merge_deltas(svl_proj_ctx *c, const uint8_t *key, size_t kl,
			int64_t d[SVL_STOCK_FIGURES])
{
	const void *v;
	size_t n;
	int64_t prev[SVL_STOCK_FIGURES];
	int rc = svl__proj_get(c, key, kl, &v, &n);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	if (!svl__stock_deltas_decode(v, n, prev))
		return svl_txn_fail(c->txn, SVL_ECORRUPT, "stock: bad deltas");
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		d[i] += prev[i];
	return SVL_OK;
}

/* 'o' and 'd': the deltas by business time. */
static int put_deltas(svl_proj_ctx *c, const svl_card *card,
		      const svl_record *r, int again)
{
	int64_t after[SVL_STOCK_FIGURES], before[SVL_STOCK_FIGURES];
	int64_t d[SVL_STOCK_FIGURES], day[SVL_STOCK_FIGURES];
	uint8_t key[SVL_STOCK_KEY_MAX], buf[SVL_STOCK_FIGURES * 9 + 8], *p;
	svl__figs_to(&card->f, after);
	svl__figs_to(&card->before, before);
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		d[i] = after[i] - before[i];
	size_t kl = svl__stock_pb(key, 'o', card->part, card->plen, card->bin,
				  card->blen);
	svl__be64_put(key + kl, svl__bias(r->occurred_at_ms));
	svl__be64_put(key + kl + 8, r->seq);
	int64_t od[SVL_STOCK_FIGURES];
	memcpy(od, d, sizeof od);
	int rc = again ? merge_deltas(c, key, kl + 16, od) : SVL_OK;
	if (rc != SVL_OK)
		return rc;
	p = svl__mp_put_array_hdr(buf, SVL_STOCK_FIGURES);
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		p = svl__mp_put_int(p, od[i]);
	rc = svl__proj_put_new(c, key, kl + 16, buf, (size_t)(p - buf));
	if (rc != SVL_OK)
		return rc;
	key[0] = 'd';
	int64_t dayno = svl__local_day(r->occurred_at_ms, 0); /* UTC day */
	svl__be64_put(key + kl, svl__bias(dayno));
	const void *v;
	size_t n;
	rc = svl__proj_get(c, key, kl + 8, &v, &n);
	if (rc == SVL_ENOTFOUND)
		memset(day, 0, sizeof day);
	else if (rc != SVL_OK)
		return rc;
	else if (!svl__stock_deltas_decode(v, n, day))
		return svl_txn_fail(c->txn, SVL_ECORRUPT, "stock: bad day sum");
	p = svl__mp_put_array_hdr(buf, SVL_STOCK_FIGURES);
	for (int i = 0; i < SVL_STOCK_FIGURES; i++)
		p = svl__mp_put_int(p, day[i] + d[i]);
	return svl__proj_put(c, key, kl + 8, buf, (size_t)(p - buf));
}

/* Write the card with a line for event r (movement m). */
int svl__stock_card_store(svl_proj_ctx *c, svl_card *card, const svl_record *r,
			  const svl_card_line *m)
{
	/* a second change of this card by the same event: one line, merged */
	int again = card->exists && card->last_seq == r->seq;
	svl__stock_revalue(&card->f, &c->st.rules);
	card->lines += !again;
	card->last_seq = r->seq;
	int rc = put_card(c, card);
	if (rc == SVL_OK)
		rc = put_line(c, card, r, m);
	if (rc == SVL_OK)
		rc = put_deltas(c, card, r, again);
	card->before = card->f;
	return rc;
}

/* A card that exists without lines yet (a bin assigned). */
int svl__stock_card_open(svl_proj_ctx *c, svl_card *card)
{
	return card->exists ? SVL_OK : put_card(c, card);
}
