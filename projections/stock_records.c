/*
 * stock_records.c - the small keyed records the stock fold keeps beside
 * the cards: a part's bin, lists of [part, bin, qty] (issued to a job and
 * not settled, on a discrepancy slip and not claimed), and counters. Keys
 * and values: stock_int.h.
 */
#include "stock_move.h"

/* ---- small keyed records (lists and counters) ---- */

size_t svl__stock_key2(uint8_t *key, char tag, const svl_value *a,
		       const svl_value *b)
{
	uint8_t *p = key;
	*p++ = (uint8_t)tag;
	*p++ = (uint8_t)a->len;
	memcpy(p, a->s, a->len);
	p += a->len;
	if (b) {
		*p++ = (uint8_t)b->len;
		memcpy(p, b->s, b->len);
		p += b->len;
	}
	return (size_t)(p - key);
}

/* The part's bin (R-BIN-1), "" when none was ever assigned. */
int svl__stock_part_bin(svl_proj_ctx *c, const svl_value *part,
			const char **bin, size_t *blen)
{
	uint8_t key[2 + SVL_PART_MAX];
	const void *v;
	size_t n;
	int rc = svl__proj_get(c, key, svl__stock_key2(key, 'b', part, NULL),
			       &v, &n);
	*bin = "";
	*blen = 0;
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc == SVL_OK) {
		*bin = v;
		*blen = n;
	}
	return rc;
}

int svl__stock_set_part_bin(svl_proj_ctx *c, const svl_value *part,
			    const svl_value *bin, int only_if_absent)
{
	uint8_t key[2 + SVL_PART_MAX];
	size_t kl = svl__stock_key2(key, 'b', part, NULL);
	const void *v;
	size_t n;
	if (only_if_absent && svl__proj_get(c, key, kl, &v, &n) == SVL_OK)
		return SVL_OK;
	return svl__proj_put(c, key, kl, bin->s, bin->len);
}

/* A list of [part, bin, qty] under key: add qty to (part, bin). */
int svl__stock_list_add(svl_proj_ctx *c, const uint8_t *key, size_t kl,
			const svl_value *part, const char *bin, size_t blen,
			int64_t qty)
{
	const void *v;
	size_t n;
	uint8_t body[16384], *p = body;
	uint32_t items = 0, len;
	int found = 0, rc = svl__proj_get(c, key, kl, &v, &n);
	if (rc == SVL_OK) {
		svl_mp_reader r = {v, (const uint8_t *)v + n};
		if (!svl__mp_read_array(&r, &len))
			return svl_txn_fail(c->txn, SVL_ECORRUPT, "stock list");
		for (uint32_t i = 0; i < len; i++) {
			const char *ps, *bs;
			uint32_t pl, bl, three;
			int64_t q;
			if (!svl__mp_read_array(&r, &three) ||
			    !svl__mp_read_str(&r, &ps, &pl) ||
			    !svl__mp_read_str(&r, &bs, &bl) ||
			    !svl__mp_read_int(&r, &q))
				return svl_txn_fail(c->txn, SVL_ECORRUPT,
						    "stock list item");
			if (pl == part->len && !memcmp(ps, part->s, pl) &&
			    bl == blen && !memcmp(bs, bin, bl)) {
				q += qty;
				found = 1;
			}
			if (q == 0)
				continue;
			if ((size_t)(p - body) + pl + bl + 32 > sizeof body)
				return svl_txn_fail(c->txn, SVL_ELIMIT,
						    "stock list too long");
			p = svl__mp_put_array_hdr(p, 3);
			p = svl__mp_put_str(p, ps, pl);
			p = svl__mp_put_str(p, bs, bl);
			p = svl__mp_put_int(p, q);
			items++;
		}
	} else if (rc != SVL_ENOTFOUND) {
		return rc;
	}
	if (!found && qty != 0) {
		p = svl__mp_put_array_hdr(p, 3);
		p = svl__mp_put_str(p, part->s, part->len);
		p = svl__mp_put_str(p, bin, (uint32_t)blen);
		p = svl__mp_put_int(p, qty);
		items++;
	}
	if (items == 0)
		return rc == SVL_OK ? svl__proj_del(c, key, kl) : SVL_OK;
	uint8_t out[sizeof body + SVL_MP_HDR_MAX_BYTES];
	uint8_t *o = svl__mp_put_array_hdr(out, items);
	memcpy(o, body, (size_t)(p - body));
	o += p - body;
	return svl__proj_put(c, key, kl, out, (size_t)(o - out));
}

/* Take a whole list away, calling fn for each item. */
int svl__stock_list_drain(svl_proj_ctx *c, const svl_record *rec,
			  const uint8_t *key, size_t kl, svl_stock_list_fn fn,
			  void *arg)
{
	const void *v;
	size_t n;
	uint32_t len;
	int rc = svl__proj_get(c, key, kl, &v, &n);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	/* copy: the fold writes to the overlay while walking */
	uint8_t copy[16384];
	if (n > sizeof copy)
		return svl_txn_fail(c->txn, SVL_ELIMIT, "stock list too long");
	memcpy(copy, v, n);
	svl_mp_reader r = {copy, copy + n};
	if (!svl__mp_read_array(&r, &len))
		return svl_txn_fail(c->txn, SVL_ECORRUPT, "stock list");
	for (uint32_t i = 0; i < len && rc == SVL_OK; i++) {
		const char *ps, *bs;
		uint32_t pl, bl, three;
		int64_t q;
		if (!svl__mp_read_array(&r, &three) ||
		    !svl__mp_read_str(&r, &ps, &pl) ||
		    !svl__mp_read_str(&r, &bs, &bl) ||
		    !svl__mp_read_int(&r, &q))
			return svl_txn_fail(c->txn, SVL_ECORRUPT, "stock list");
		rc = fn(c, rec, ps, pl, bs, bl, q, arg);
	}
	return rc == SVL_OK ? svl__proj_del(c, key, kl) : rc;
}

/* ---- counters ---- */

int svl__stock_get_i64(svl_proj_ctx *c, const uint8_t *key, size_t kl,
		       int64_t *out, int n)
{
	const void *v;
	size_t len;
	memset(out, 0, (size_t)n * sizeof *out);
	int rc = svl__proj_get(c, key, kl, &v, &len);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	svl_mp_reader r = {v, (const uint8_t *)v + len};
	uint32_t m;
	if (!svl__mp_read_array(&r, &m) || m != (uint32_t)n)
		return svl_txn_fail(c->txn, SVL_ECORRUPT, "stock counter");
	for (int i = 0; i < n; i++)
		if (!svl__mp_read_int(&r, &out[i]))
			return svl_txn_fail(c->txn, SVL_ECORRUPT,
					    "stock counter");
	return SVL_OK;
}

int svl__stock_put_i64(svl_proj_ctx *c, const uint8_t *key, size_t kl,
		       const int64_t *vals, int n)
{
	uint8_t buf[64], *p = svl__mp_put_array_hdr(buf, (uint32_t)n);
	int zero = 1;
	for (int i = 0; i < n; i++) {
		p = svl__mp_put_int(p, vals[i]);
		zero &= vals[i] == 0;
	}
	if (zero) {
		int rc = svl__proj_del(c, key, kl);
		return rc;
	}
	return svl__proj_put(c, key, kl, buf, (size_t)(p - buf));
}
