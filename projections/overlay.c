/*
 * overlay.c - the write-back cache between apply functions and a slot's
 * table, and the slot digest.
 *
 * During a batch every get/put/del of a projection lands here; at the end
 * the dirty entries are written to LMDB in key order (B+tree friendly) and
 * the digest is updated from each key's old and new value. Reads of keys
 * not in the overlay go to LMDB; the pointers they return stay valid until
 * the flush, because nothing is written to LMDB before it.
 */
#include <stdlib.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "mp.h"
#include "proj.h"

enum { OV_EMPTY = 0, OV_PUT, OV_DEL };

typedef struct ov_entry {
	uint64_t hash;
	uint8_t *kv;     /* key bytes then value bytes */
	uint32_t klen, vlen, vcap;
	uint8_t state;
} ov_entry;

struct svl_overlay {
	ov_entry *slots;
	size_t cap, used;
};

static void digest_fold(uint64_t d[2], const void *k, size_t kl,
			const void *v, size_t vl, int sign)
{
	XXH3_state_t s;
	uint8_t len[2] = {(uint8_t)(kl >> 8), (uint8_t)kl};
	XXH3_128bits_reset(&s);
	XXH3_128bits_update(&s, len, 2);
	XXH3_128bits_update(&s, k, kl);
	XXH3_128bits_update(&s, v, vl);
	XXH128_hash_t h = XXH3_128bits_digest(&s);
	if (sign > 0) {
		d[0] += h.high64;
		d[1] += h.low64;
	} else {
		d[0] -= h.high64;
		d[1] -= h.low64;
	}
}

static svl_overlay *ov_get(svl_proj_ctx *c)
{
	if (!c->ov) {
		c->ov = calloc(1, sizeof *c->ov);
		if (c->ov && !(c->ov->slots = calloc(1024, sizeof(ov_entry)))) {
			free(c->ov);
			c->ov = NULL;
		}
		if (c->ov)
			c->ov->cap = 1024;
	}
	return c->ov;
}

static ov_entry *ov_find(svl_overlay *o, const void *k, size_t kl, uint64_t h)
{
	size_t mask = o->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		ov_entry *e = &o->slots[i];
		if (e->state == OV_EMPTY ||
		    (e->hash == h && e->klen == kl && memcmp(e->kv, k, kl) == 0))
			return e;
	}
}

static int ov_grow(svl_overlay *o)
{
	ov_entry *old = o->slots;
	size_t ocap = o->cap;
	ov_entry *n = calloc(ocap * 2, sizeof *n);
	if (!n)
		return SVL_ENOMEM;
	o->slots = n;
	o->cap = ocap * 2;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].state != OV_EMPTY)
			*ov_find(o, old[i].kv, old[i].klen, old[i].hash) = old[i];
	free(old);
	return SVL_OK;
}

int svl__proj_get(svl_proj_ctx *c, const void *key, size_t key_len,
		  const void **val, size_t *val_len)
{
	svl_overlay *o = c->ov;
	if (o && o->used) {
		ov_entry *e = ov_find(o, key, key_len, XXH3_64bits(key, key_len));
		if (e->state == OV_PUT) {
			*val = e->kv + e->klen;
			*val_len = e->vlen;
			return SVL_OK;
		}
		if (e->state == OV_DEL)
			return SVL_ENOTFOUND;
	}
	return svl_txn_get(c->txn, c->table, key, key_len, val, val_len);
}

static int ov_set(svl_proj_ctx *c, const void *key, size_t kl,
		  const void *val, size_t vl, uint8_t state)
{
	svl_overlay *o = ov_get(c);
	if (!o || kl > SVL_PROJ_KEY_MAX || kl == 0)
		return svl_txn_fail(c->txn, o ? SVL_EINVAL : SVL_ENOMEM,
				    "projection %s: bad key or no memory",
				    c->def->name);
	if ((o->used + 1) * 4 >= o->cap * 3 && ov_grow(o) != SVL_OK)
		return svl_txn_fail(c->txn, SVL_ENOMEM, "overlay: no memory");
	uint64_t h = XXH3_64bits(key, kl);
	ov_entry *e = ov_find(o, key, kl, h);
	if (e->state == OV_EMPTY || e->vcap < vl) {
		uint8_t *kv = realloc(e->state == OV_EMPTY ? NULL : e->kv,
				      kl + vl + 16);
		if (!kv)
			return svl_txn_fail(c->txn, SVL_ENOMEM,
					    "overlay: no memory");
		if (e->state == OV_EMPTY) {
			o->used++;
			memcpy(kv, key, kl);
		}
		e->kv = kv;
		e->vcap = (uint32_t)vl + 16;
	}
	e->hash = h;
	e->klen = (uint32_t)kl;
	e->vlen = (uint32_t)vl;
	if (vl)
		memmove(e->kv + kl, val, vl);
	e->state = state;
	return SVL_OK;
}

int svl__proj_put(svl_proj_ctx *c, const void *key, size_t key_len,
		  const void *val, size_t val_len)
{
	return ov_set(c, key, key_len, val, val_len, OV_PUT);
}

int svl__proj_del(svl_proj_ctx *c, const void *key, size_t key_len)
{
	return ov_set(c, key, key_len, NULL, 0, OV_DEL);
}

static int cmp_entry(const void *a, const void *b)
{
	const ov_entry *x = *(const ov_entry *const *)a;
	const ov_entry *y = *(const ov_entry *const *)b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int r = memcmp(x->kv, y->kv, n);
	return r ? r : (x->klen > y->klen) - (x->klen < y->klen);
}

static int flush_one(svl_proj_ctx *c, const ov_entry *e)
{
	const void *old;
	size_t old_len;
	int rc = svl_txn_get(c->txn, c->table, e->kv, e->klen, &old, &old_len);
	if (rc == SVL_OK) {
		digest_fold(c->st.digest, e->kv, e->klen, old, old_len, -1);
		c->st.entries--;
	} else if (rc != SVL_ENOTFOUND) {
		return rc;
	}
	if (e->state == OV_DEL)
		return rc == SVL_OK ? svl_txn_del(c->txn, c->table, e->kv,
						  e->klen)
				    : SVL_OK;
	digest_fold(c->st.digest, e->kv, e->klen, e->kv + e->klen, e->vlen, 1);
	c->st.entries++;
	return svl_txn_put(c->txn, c->table, e->kv, e->klen, e->kv + e->klen,
			   e->vlen);
}

/* Write the overlay to the table in key order and empty it. */
int svl__overlay_flush(svl_proj_ctx *c)
{
	svl_overlay *o = c->ov;
	if (!o || o->used == 0)
		return SVL_OK;
	ov_entry **list = malloc(o->used * sizeof *list);
	if (!list)
		return svl_txn_fail(c->txn, SVL_ENOMEM, "flush: no memory");
	size_t n = 0;
	for (size_t i = 0; i < o->cap; i++)
		if (o->slots[i].state != OV_EMPTY)
			list[n++] = &o->slots[i];
	qsort(list, n, sizeof *list, cmp_entry);
	int rc = SVL_OK;
	for (size_t i = 0; i < n && rc == SVL_OK; i++)
		rc = flush_one(c, list[i]);
	free(list);
	for (size_t i = 0; i < o->cap; i++) {
		free(o->slots[i].kv);
		o->slots[i] = (ov_entry){0};
	}
	o->used = 0;
	return rc;
}

size_t svl__overlay_size(const svl_proj_ctx *c)
{
	return c->ov ? c->ov->used : 0;
}

void svl__overlay_free(svl_proj_ctx *c)
{
	if (!c->ov)
		return;
	for (size_t i = 0; i < c->ov->cap; i++)
		free(c->ov->slots[i].kv);
	free(c->ov->slots);
	free(c->ov);
	c->ov = NULL;
}

int svl__proj_scan_digest(svl_txn *t, unsigned table, uint64_t digest[2],
			  uint64_t *entries)
{
	svl_cursor *cur;
	int rc = svl_cursor_open(t, table, &cur);
	if (rc != SVL_OK)
		return rc;
	digest[0] = digest[1] = 0;
	*entries = 0;
	svl_kv kv;
	for (rc = svl_cursor_seek(cur, NULL, 0, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		digest_fold(digest, kv.key, kv.key_len, kv.val, kv.val_len, 1);
		(*entries)++;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}
