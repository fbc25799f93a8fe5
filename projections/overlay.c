/*
 * overlay.c - the write-back cache between apply functions and a slot's
 * table, and the slot digest.
 *
 * During a batch every get/put/del of a projection lands here. A key read
 * from LMDB is cached with a copy of its value, which is also remembered as
 * the key's original value: the flush then knows what it replaces without
 * reading it again. Keys the fold declares new (svl__proj_put_new: history
 * lines keyed by seq) have a known-absent original too. At the end of the
 * batch the dirty entries are written to LMDB in key order (B+tree
 * friendly) and the digest moves from each key's original to its new
 * value. Reads of keys not in the overlay go to LMDB; nothing is written to
 * LMDB before the flush, so the pointers LMDB returns stay valid.
 */
#include <stdlib.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "mp.h"
#include "proj.h"

enum ov_state {
	OV_EMPTY = 0, /* free slot */
	OV_ABSENT,    /* clean: the key is not in the table */
	OV_CLEAN,     /* clean: the key holds the cached value */
	OV_PUT,       /* dirty: write the value */
	OV_DEL,       /* dirty: delete the key */
};

enum ov_orig { ORIG_UNKNOWN = 0, ORIG_ABSENT, ORIG_KNOWN };

typedef struct ov_entry {
	uint64_t hash;
	uint64_t prefix;  /* first 8 key bytes, big-endian: cheap ordering */
	uint8_t *kv;      /* key bytes then value bytes */
	uint8_t *orig;    /* the table's value when first seen (ORIG_KNOWN) */
	uint32_t klen, vlen, vcap, olen;
	uint8_t state, orig_state;
} ov_entry;

struct svl_overlay {
	ov_entry *slots;
	size_t cap, used;
};

static void digest_fold(uint64_t d[2], const void *k, size_t kl,
			const void *v, size_t vl, int sign)
{
	uint8_t buf[512];
	XXH128_hash_t h;
	if (2 + kl + vl <= sizeof buf) { /* the common case: one pass */
		buf[0] = (uint8_t)(kl >> 8);
		buf[1] = (uint8_t)kl;
		memcpy(buf + 2, k, kl);
		memcpy(buf + 2 + kl, v, vl);
		h = XXH3_128bits(buf, 2 + kl + vl);
	} else {
		XXH3_state_t s;
		uint8_t len[2] = {(uint8_t)(kl >> 8), (uint8_t)kl};
		XXH3_128bits_reset(&s);
		XXH3_128bits_update(&s, len, 2);
		XXH3_128bits_update(&s, k, kl);
		XXH3_128bits_update(&s, v, vl);
		h = XXH3_128bits_digest(&s);
	}
	if (sign > 0) {
		d[0] += h.high64;
		d[1] += h.low64;
	} else {
		d[0] -= h.high64;
		d[1] -= h.low64;
	}
}

/* Slots of a new overlay: enough for one command's keys; a rebuild's
 * overlay grows by doubling (ov_grow). */
#define OV_FIRST_CAP 64

static svl_overlay *ov_get(svl_proj_ctx *c)
{
	if (!c->ov) {
		c->ov = calloc(1, sizeof *c->ov);
		if (c->ov &&
		    !(c->ov->slots = calloc(OV_FIRST_CAP, sizeof(ov_entry)))) {
			free(c->ov);
			c->ov = NULL;
		}
		if (c->ov)
			c->ov->cap = OV_FIRST_CAP;
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

/* The entry for key, created empty-handed (state OV_EMPTY) when new. */
static int ov_slot(svl_proj_ctx *c, const void *key, size_t kl, uint64_t h,
		   ov_entry **out)
{
	svl_overlay *o = ov_get(c);
	if (!o)
		return svl_txn_fail(c->txn, SVL_ENOMEM, "overlay: no memory");
	if ((o->used + 1) * 4 >= o->cap * 3 && ov_grow(o) != SVL_OK)
		return svl_txn_fail(c->txn, SVL_ENOMEM, "overlay: no memory");
	*out = ov_find(o, key, kl, h);
	return SVL_OK;
}

/* Store value bytes as the entry's current value. */
static int ov_store(svl_proj_ctx *c, ov_entry *e, const void *key, size_t kl,
		    uint64_t h, const void *val, size_t vl)
{
	if (e->state == OV_EMPTY || e->vcap < vl) {
		uint8_t *kv = realloc(e->state == OV_EMPTY ? NULL : e->kv,
				      kl + vl + 16);
		if (!kv)
			return svl_txn_fail(c->txn, SVL_ENOMEM,
					    "overlay: no memory");
		if (e->state == OV_EMPTY) {
			c->ov->used++;
			memcpy(kv, key, kl);
			uint8_t pre[8] = {0};
			memcpy(pre, key, kl < 8 ? kl : 8);
			e->prefix = svl__be64_get(pre);
		}
		e->kv = kv;
		e->vcap = (uint32_t)vl + 16;
	}
	e->hash = h;
	e->klen = (uint32_t)kl;
	e->vlen = (uint32_t)vl;
	if (vl)
		memmove(e->kv + kl, val, vl);
	return SVL_OK;
}

int svl__proj_get(svl_proj_ctx *c, const void *key, size_t key_len,
		  const void **val, size_t *val_len)
{
	uint64_t h = XXH3_64bits(key, key_len);
	ov_entry *e;
	int rc = ov_slot(c, key, key_len, h, &e);
	if (rc != SVL_OK)
		return rc;
	if (e->state == OV_PUT || e->state == OV_CLEAN) {
		*val = e->kv + e->klen;
		*val_len = e->vlen;
		return SVL_OK;
	}
	if (e->state == OV_DEL || e->state == OV_ABSENT)
		return SVL_ENOTFOUND;
	const void *v;
	size_t n;
	rc = svl_txn_get(c->txn, c->table, key, key_len, &v, &n);
	if (rc == SVL_ENOTFOUND) {
		if ((rc = ov_store(c, e, key, key_len, h, NULL, 0)) != SVL_OK)
			return rc;
		e->state = OV_ABSENT;
		e->orig_state = ORIG_ABSENT;
		return SVL_ENOTFOUND;
	}
	if (rc != SVL_OK)
		return rc;
	uint8_t *orig = malloc(n ? n : 1);
	if (!orig || (rc = ov_store(c, e, key, key_len, h, v, n)) != SVL_OK) {
		free(orig);
		return rc ? rc : svl_txn_fail(c->txn, SVL_ENOMEM, "overlay");
	}
	memcpy(orig, v, n);
	e->orig = orig;
	e->olen = (uint32_t)n;
	e->orig_state = ORIG_KNOWN;
	e->state = OV_CLEAN;
	*val = e->kv + e->klen;
	*val_len = e->vlen;
	return SVL_OK;
}

static int ov_set(svl_proj_ctx *c, const void *key, size_t kl,
		  const void *val, size_t vl, uint8_t state, int is_new)
{
	if (kl > SVL_PROJ_KEY_MAX || kl == 0)
		return svl_txn_fail(c->txn, SVL_EINVAL,
				    "projection %s: key of %zu bytes",
				    c->def->name, kl);
	uint64_t h = XXH3_64bits(key, kl);
	ov_entry *e;
	int rc = ov_slot(c, key, kl, h, &e);
	if (rc != SVL_OK)
		return rc;
	if (e->state == OV_EMPTY && is_new)
		e->orig_state = ORIG_ABSENT;
	if ((rc = ov_store(c, e, key, kl, h, val, vl)) != SVL_OK)
		return rc;
	e->state = state;
	return SVL_OK;
}

int svl__proj_put(svl_proj_ctx *c, const void *key, size_t key_len,
		  const void *val, size_t val_len)
{
	return ov_set(c, key, key_len, val, val_len, OV_PUT, 0);
}

int svl__proj_put_new(svl_proj_ctx *c, const void *key, size_t key_len,
		      const void *val, size_t val_len)
{
	return ov_set(c, key, key_len, val, val_len, OV_PUT, 1);
}

int svl__proj_del(svl_proj_ctx *c, const void *key, size_t key_len)
{
	return ov_set(c, key, key_len, NULL, 0, OV_DEL, 0);
}

int svl__proj_reindex(svl_proj_ctx *c, const void *old_key, size_t old_len,
		      int has_old, const void *new_key, size_t new_len,
		      int has_new)
{
	static const uint8_t nil[1] = {0xc0};
	if (has_old == has_new && old_len == new_len &&
	    memcmp(old_key, new_key, old_len) == 0)
		return SVL_OK;
	int rc = has_old ? svl__proj_del(c, old_key, old_len) : SVL_OK;
	if (rc == SVL_OK && has_new)
		rc = svl__proj_put(c, new_key, new_len, nil, sizeof nil);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	const ov_entry *x = *(const ov_entry *const *)a;
	const ov_entry *y = *(const ov_entry *const *)b;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int r = n > 8 ? memcmp(x->kv + 8, y->kv + 8, n - 8) : 0;
	return r ? r : (x->klen > y->klen) - (x->klen < y->klen);
}

static int flush_one(svl_proj_ctx *c, const ov_entry *e)
{
	const void *old = e->orig;
	size_t old_len = e->olen;
	int present = e->orig_state == ORIG_KNOWN;
	if (e->orig_state == ORIG_UNKNOWN) {
		int rc = svl_txn_get(c->txn, c->table, e->kv, e->klen, &old,
				     &old_len);
		if (rc != SVL_OK && rc != SVL_ENOTFOUND)
			return rc;
		present = rc == SVL_OK;
	}
	if (present) {
		digest_fold(c->st.digest, e->kv, e->klen, old, old_len, -1);
		c->st.entries--;
	}
	if (e->state == OV_DEL)
		return present ? svl_txn_del(c->txn, c->table, e->kv, e->klen)
			       : SVL_OK;
	digest_fold(c->st.digest, e->kv, e->klen, e->kv + e->klen, e->vlen, 1);
	c->st.entries++;
	return svl_txn_put(c->txn, c->table, e->kv, e->klen, e->kv + e->klen,
			   e->vlen);
}

static void ov_clear(svl_overlay *o)
{
	for (size_t i = 0; i < o->cap; i++) {
		if (o->slots[i].state != OV_EMPTY) {
			free(o->slots[i].kv);
			free(o->slots[i].orig);
			o->slots[i] = (ov_entry){0};
		}
	}
	o->used = 0;
}

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
		if (o->slots[i].state == OV_PUT || o->slots[i].state == OV_DEL)
			list[n++] = &o->slots[i];
	qsort(list, n, sizeof *list, cmp_entry);
	int rc = SVL_OK;
	for (size_t i = 0; i < n && rc == SVL_OK; i++)
		rc = flush_one(c, list[i]);
	free(list);
	ov_clear(o);
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
	ov_clear(c->ov);
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
