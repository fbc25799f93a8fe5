/*
 * stock_query.c - reading stock cards, now and as of a point in the past,
 * from the card's indexed history (never by replaying the log):
 *   as of seq S:            the card's last line with seq <= S ('l' index);
 *   known at time T:        as of the last seq recorded at or before T
 *                           (recorded time never goes back: binary search);
 *   occurred by time T:     the sum of day sums before T's day ('d') plus
 *                           the movements of T's day up to T ('o').
 */
#include <stdio.h>
#include <stdlib.h>

#include "calendar.h"
#include "fail.h"
#include "mp.h"
#include "ledger_int.h"
#include "stock_int.h"

struct q {
	svl_ledger *l;
	const char *part, *bin;
	size_t plen, blen;
	svl_asof asof;
	svl_stock_card *out;
	unsigned table;
};

static int resolve_bin(struct q *a, svl_txn *t)
{
	if (a->bin)
		return SVL_OK;
	uint8_t key[2 + SVL_PART_MAX];
	key[0] = 'b';
	key[1] = (uint8_t)a->plen;
	memcpy(key + 2, a->part, a->plen);
	const void *v;
	size_t n;
	int rc = svl_txn_get(t, a->table, key, 2 + a->plen, &v, &n);
	if (rc == SVL_ENOTFOUND) {
		a->bin = "";
		a->blen = 0;
		return SVL_OK;
	}
	if (rc == SVL_OK) {
		if (n > SVL_BIN_MAX)
			return svl_txn_fail(t, SVL_ECORRUPT, "bin too long");
		memcpy(a->out->bin, v, n);
		a->out->bin[n] = '\0';
		a->bin = a->out->bin;
		a->blen = n;
	}
	return rc;
}

static int seq_at(svl_txn *t, int64_t at_ms, uint64_t *out)
{
	svl_head h;
	int rc = svl_txn_head(t, &h);
	uint64_t lo = 0, hi = h.seq; /* answer in [lo, hi] */
	while (rc == SVL_OK && lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		svl_record r;
		if ((rc = svl_txn_record(t, mid, &r)) != SVL_OK)
			break;
		if (r.recorded_at_ms <= at_ms)
			lo = mid;
		else
			hi = mid - 1;
	}
	*out = lo;
	return rc;
}

static int card_now(struct q *a, svl_txn *t)
{
	uint8_t key[SVL_STOCK_KEY_MAX];
	size_t kl = svl__stock_pb(key, 'c', a->part, a->plen, a->bin, a->blen);
	const void *v;
	size_t n;
	int rc = svl_txn_get(t, a->table, key, kl, &v, &n);
	if (rc == SVL_ENOTFOUND)
		return svl_txn_fail(t, SVL_ENOTFOUND,
				    "no stock card for %.*s at %.*s",
				    (int)a->plen, a->part, (int)a->blen,
				    a->bin);
	if (rc != SVL_OK)
		return rc;
	if (!svl__stock_card_decode(v, n, &a->out->f, &a->out->lines,
				    &a->out->last_seq))
		return svl_txn_fail(t, SVL_ECORRUPT, "stock card does not decode");
	return SVL_OK;
}

static int card_at_seq(struct q *a, svl_txn *t, uint64_t seq)
{
	uint8_t key[SVL_STOCK_KEY_MAX];
	size_t kl = svl__stock_pb(key, 'l', a->part, a->plen, a->bin, a->blen);
	svl__be64_put(key + kl, seq);
	svl_cursor *cur;
	svl_kv kv;
	svl_stock_line line;
	int rc = svl_cursor_open(t, a->table, &cur);
	if (rc != SVL_OK)
		return rc;
	rc = svl_cursor_seek_le(cur, key, kl + 8, &kv);
	if (rc == SVL_OK && (kv.key_len != kl + 8 || memcmp(kv.key, key, kl)))
		rc = SVL_ITEROVER; /* another card's line */
	if (rc == SVL_OK && !svl__stock_line_decode(kv.val, kv.val_len, &line))
		rc = svl_txn_fail(t, SVL_ECORRUPT, "stock line does not decode");
	if (rc == SVL_OK) {
		a->out->f = line.f;
		a->out->last_seq = svl__be64_get((const uint8_t *)kv.key + kl);
	}
	svl_cursor_close(cur);
	if (rc == SVL_ITEROVER)
		return svl_txn_fail(t, SVL_ENOTFOUND,
				    "stock card %.*s at %.*s has no line at or "
				    "before seq %llu",
				    (int)a->plen, a->part, (int)a->blen, a->bin,
				    (unsigned long long)seq);
	return rc;
}

/* Sum the deltas of index `tag` for this card with key suffix in
 * [from, to] (inclusive, 8-byte big-endian values); counts entries. */
static int sum_range(struct q *a, svl_txn *t, char tag, uint64_t from,
		     uint64_t to, int64_t acc[SVL_STOCK_FIGURES],
		     uint64_t *count)
{
	uint8_t key[SVL_STOCK_KEY_MAX];
	size_t kl = svl__stock_pb(key, tag, a->part, a->plen, a->bin, a->blen);
	svl__be64_put(key + kl, from);
	svl_cursor *cur;
	svl_kv kv;
	int64_t d[SVL_STOCK_FIGURES];
	int rc = svl_cursor_open(t, a->table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, key, kl + 8, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		if (kv.key_len < kl + 8 || memcmp(kv.key, key, kl) ||
		    svl__be64_get((const uint8_t *)kv.key + kl) > to)
			break;
		if (!svl__stock_deltas_decode(kv.val, kv.val_len, d)) {
			rc = svl_txn_fail(t, SVL_ECORRUPT, "stock deltas");
			break;
		}
		for (int i = 0; i < SVL_STOCK_FIGURES; i++)
			acc[i] += d[i];
		(*count)++;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static int card_occurred(struct q *a, svl_txn *t, int64_t at_ms)
{
	int64_t acc[SVL_STOCK_FIGURES] = {0};
	uint64_t days = 0, moves = 0;
	int64_t day = svl__local_day(at_ms, 0); /* UTC day */
	int rc = sum_range(a, t, 'd', 0, svl__bias(day - 1), acc, &days);
	if (rc == SVL_OK)
		rc = sum_range(a, t, 'o', svl__bias(day * SVL__DAY_MS),
			       svl__bias(at_ms), acc, &moves);
	if (rc != SVL_OK)
		return rc;
	if (days == 0 && moves == 0)
		return svl_txn_fail(t, SVL_ENOTFOUND,
				    "stock card %.*s at %.*s has no movement "
				    "by that time",
				    (int)a->plen, a->part, (int)a->blen, a->bin);
	svl__figs_from(&a->out->f, acc);
	return SVL_OK;
}

static int get_fn(svl_txn *t, void *payload)
{
	struct q *a = payload;
	int rc = svl__ledger_table(a->l, "stock", t, &a->table);
	if (rc == SVL_OK)
		rc = resolve_bin(a, t);
	if (rc != SVL_OK)
		return rc;
	uint64_t seq;
	switch (a->asof.kind) {
	case SVL_ASOF_NOW: return card_now(a, t);
	case SVL_ASOF_SEQ: return card_at_seq(a, t, a->asof.seq);
	case SVL_ASOF_KNOWN:
		rc = seq_at(t, a->asof.at_ms, &seq);
		return rc == SVL_OK ? card_at_seq(a, t, seq) : rc;
	case SVL_ASOF_OCCURRED: return card_occurred(a, t, a->asof.at_ms);
	}
	return svl_txn_fail(t, SVL_EINVAL, "unknown as-of kind %d",
			    (int)a->asof.kind);
}

int svl__stock_read(svl_ledger *l, svl_txn *t, const char *part,
		    const char *bin, const svl_asof *asof, svl_stock_card *out)
{
	struct q a = {l, part, bin, strlen(part), bin ? strlen(bin) : 0,
		      {SVL_ASOF_NOW, 0, 0}, out, 0};
	if (asof)
		a.asof = *asof;
	return get_fn(t, &a);
}

static int check_ids(svl_ledger *l, const char *part, const char *bin)
{
	if (!l || !part)
		return svl__fail(l ? svl_ledger_log(l) : NULL, SVL_EMISUSE,
				 "stock card: ledger and part are required");
	if (strlen(part) == 0 || strlen(part) > SVL_PART_MAX ||
	    (bin && strlen(bin) > SVL_BIN_MAX))
		return svl__fail(svl_ledger_log(l), SVL_EINVAL,
				 "stock card: part 1..%d and bin 0..%d bytes",
				 SVL_PART_MAX, SVL_BIN_MAX);
	return SVL_OK;
}

int svl_stock_card_get(svl_ledger *l, const char *part_no, const char *bin,
		       const svl_asof *asof, svl_stock_card *out)
{
	int rc = check_ids(l, part_no, bin);
	if (rc != SVL_OK)
		return rc;
	memset(out, 0, sizeof *out);
	struct q a = {l, part_no, bin, strlen(part_no), bin ? strlen(bin) : 0,
		      {SVL_ASOF_NOW, 0, 0}, out, 0};
	if (asof)
		a.asof = *asof;
	memcpy(out->part_no, part_no, a.plen);
	if (bin)
		memcpy(out->bin, bin, a.blen);
	return svl__ledger_read(l, get_fn, &a);
}

struct seq_arg {
	int64_t at_ms;
	uint64_t *out;
};

static int seq_fn(svl_txn *t, void *payload)
{
	struct seq_arg *a = payload;
	return seq_at(t, a->at_ms, a->out);
}

int svl_ledger_seq_at(svl_ledger *l, int64_t at_ms, uint64_t *out)
{
	struct seq_arg a = {at_ms, out};
	if (!l || !out)
		return svl__fail(NULL, SVL_EMISUSE, "seq_at: bad arguments");
	return svl__ledger_read(l, seq_fn, &a);
}

/* ---- lines and lists ---- */

struct lines_arg {
	struct q q;
	uint64_t first, last;
	svl_stock_line_fn fn;
	void *payload;
	svl_page *page;
};

/* A page cursor must be one this list hands out. */
static int bad_cursor(svl_txn *t, const char *after)
{
	return svl_txn_fail(t, SVL_EINVAL,
			    "page: '%s' is not a cursor of this list (pass "
			    "back a page's next as it is)",
			    after);
}

static int lines_fn(svl_txn *t, void *payload)
{
	struct lines_arg *a = payload;
	int rc = svl__ledger_table(a->q.l, "stock", t, &a->q.table);
	if (rc == SVL_OK)
		rc = resolve_bin(&a->q, t);
	if (rc != SVL_OK)
		return rc;
	uint8_t key[SVL_STOCK_KEY_MAX];
	size_t kl = svl__stock_pb(key, 'l', a->q.part, a->q.plen, a->q.bin,
				  a->q.blen);
	svl__be64_put(key + kl, a->first);
	svl_cursor *cur;
	svl_kv kv;
	svl_stock_line line;
	svl__pager g;
	const char *after = a->page ? a->page->after : NULL;
	if (after && after[0] &&
	    (strlen(after) != 16 || strspn(after, "0123456789abcdef") != 16))
		return bad_cursor(t, after);
	svl__page_begin(&g, a->page);
	if ((rc = svl_cursor_open(t, a->q.table, &cur)) != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, key, kl + 8, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		if (kv.key_len != kl + 8 || memcmp(kv.key, key, kl))
			break;
		memset(&line, 0, sizeof line);
		line.seq = svl__be64_get((const uint8_t *)kv.key + kl);
		if (a->last && line.seq > a->last)
			break;
		if (!svl__stock_line_decode(kv.val, kv.val_len, &line)) {
			rc = svl_txn_fail(t, SVL_ECORRUPT, "stock line");
			break;
		}
		char cursor[17]; /* the seq: fixed-width hex sorts as seqs do */
		snprintf(cursor, sizeof cursor, "%016llx",
			 (unsigned long long)line.seq);
		if (!svl__page_take(&g, cursor))
			continue;
		if ((rc = a->fn(&line, a->payload)) != 0)
			break;
	}
	svl_cursor_close(cur);
	if (rc == SVL_ITEROVER || rc == SVL_OK) {
		svl__page_end(&g);
		return SVL_OK;
	}
	return rc;
}

int svl_stock_card_lines(svl_ledger *l, const char *part_no, const char *bin,
			 uint64_t first_seq, uint64_t last_seq,
			 svl_stock_line_fn fn, void *payload)
{
	return svl_stock_card_lines_page(l, part_no, bin, first_seq, last_seq,
					 NULL, fn, payload);
}

int svl_stock_card_lines_page(svl_ledger *l, const char *part_no,
			      const char *bin, uint64_t first_seq,
			      uint64_t last_seq, svl_page *page,
			      svl_stock_line_fn fn, void *payload)
{
	int rc = check_ids(l, part_no, bin);
	if (rc != SVL_OK)
		return rc;
	if (!fn)
		return svl__fail(svl_ledger_log(l), SVL_EMISUSE,
				 "stock lines: fn is NULL");
	svl_stock_card scratch;
	struct lines_arg a = {{l, part_no, bin, strlen(part_no),
			       bin ? strlen(bin) : 0, {SVL_ASOF_NOW, 0, 0},
			       &scratch, 0},
			      first_seq, last_seq, fn, payload, page};
	return svl__ledger_read(l, lines_fn, &a);
}

struct cards_arg {
	svl_ledger *l;
	svl_asof asof;
	svl_stock_card_fn fn;
	void *payload;
	svl_page *page;
};

/* The part and bin of a 'c' key into card; false when malformed. */
static bool card_ids(const svl_kv *kv, svl_stock_card *card)
{
	const uint8_t *k = kv->key;
	if (kv->key_len < 3)
		return false;
	size_t plen = k[1];
	if (plen > SVL_PART_MAX || 2 + plen >= kv->key_len)
		return false;
	size_t blen = k[2 + plen];
	if (blen > SVL_BIN_MAX || 3 + plen + blen != kv->key_len)
		return false;
	memcpy(card->part_no, k + 2, plen);
	card->part_no[plen] = '\0';
	memcpy(card->bin, k + 3 + plen, blen);
	card->bin[blen] = '\0';
	return true;
}

static int cards_fn(svl_txn *t, void *payload)
{
	struct cards_arg *a = payload;
	unsigned table;
	int rc = svl__ledger_table(a->l, "stock", t, &table);
	if (rc != SVL_OK)
		return rc;
	svl_cursor *cur;
	svl_kv kv;
	uint8_t tag = 'c';
	svl__pager g;
	svl__page_begin(&g, a->page);
	if ((rc = svl_cursor_open(t, table, &cur)) != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, &tag, 1, &kv);
	     rc == SVL_OK && kv.key_len && *(const uint8_t *)kv.key == 'c';
	     rc = svl_cursor_next(cur, &kv)) {
		svl_stock_card card;
		memset(&card, 0, sizeof card);
		if (!card_ids(&kv, &card) ||
		    !svl__stock_card_decode(kv.val, kv.val_len, &card.f,
					    &card.lines, &card.last_seq)) {
			rc = svl_txn_fail(t, SVL_ECORRUPT, "stock card");
			break;
		}
		if (a->asof.kind != SVL_ASOF_NOW) {
			struct q q = {a->l, card.part_no, card.bin,
				      strlen(card.part_no), strlen(card.bin),
				      a->asof, &card, table};
			rc = get_fn(t, &q);
			if (rc == SVL_ENOTFOUND) { /* nothing on it yet */
				rc = SVL_OK;
				continue;
			}
			if (rc != SVL_OK)
				break;
		}
		/* the key's order: part length, part, bin length, bin */
		char cursor[2 * SVL_PART_MAX + 8];
		_Static_assert(SVL_PART_MAX + SVL_BIN_MAX + 5 <=
				   SVL_PAGE_KEY_MAX,
			       "a card's cursor fits a page's next");
		snprintf(cursor, sizeof cursor, "%02zx%s.%02zx%s",
			 strlen(card.part_no), card.part_no, strlen(card.bin),
			 card.bin);
		if (!svl__page_take(&g, cursor))
			continue;
		if ((rc = a->fn(&card, a->payload)) != 0)
			break;
	}
	svl_cursor_close(cur);
	if (rc == SVL_ITEROVER || rc == SVL_OK) {
		svl__page_end(&g);
		return SVL_OK;
	}
	return rc;
}

int svl_stock_cards(svl_ledger *l, const svl_asof *asof, svl_stock_card_fn fn,
		    void *payload)
{
	return svl_stock_cards_page(l, asof, NULL, fn, payload);
}

int svl_stock_cards_page(svl_ledger *l, const svl_asof *asof, svl_page *page,
			 svl_stock_card_fn fn, void *payload)
{
	if (!l || !fn)
		return svl__fail(NULL, SVL_EMISUSE, "stock cards: bad arguments");
	struct cards_arg a = {l, {SVL_ASOF_NOW, 0, 0}, fn, payload, page};
	if (asof)
		a.asof = *asof;
	return svl__ledger_read(l, cards_fn, &a);
}
