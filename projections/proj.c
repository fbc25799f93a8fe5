/*
 * proj.c - projection slots: their persistent state, applying records,
 * catching up with the log, and comparing two slots.
 *
 * Table "proj" holds, per projection name:
 *   "<name>"    -> "a" or "b": the live slot
 *   "<name>#a"  -> state of slot a: msgpack [checkpoint, code_version,
 *                  digest_hi, digest_lo, entries, rules_json]
 *   "<name>#b"  -> state of slot b (when a rebuild made one)
 * The rule set is stored as its canonical JSON, so the state says exactly
 * which rules built it (and its hash follows from the text).
 */
#include <stdio.h>
#include <stdlib.h>

#include "mp.h"
#include "proj.h"

#define SVL_CATCH_UP_CHUNK 65536

int svl__proj_slot_open(svl_log *log, const svl_proj_def *def,
			svl_proj_slot *out)
{
	char name[SVL_TABLE_NAME_MAX + 1];
	int rc = svl_log_table(log, "proj", &out->meta);
	for (int i = 0; i < 2 && rc == SVL_OK; i++) {
		snprintf(name, sizeof name, "p.%s.%c", def->name, 'a' + i);
		rc = svl_log_table(log, name, &out->table[i]);
	}
	out->def = def;
	return rc;
}

int svl__proj_live(svl_txn *t, const svl_proj_slot *s, int *live)
{
	const void *v;
	size_t n;
	int rc = svl_txn_get(t, s->meta, s->def->name, strlen(s->def->name), &v,
			     &n);
	*live = 0;
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	if (n != 1 || (*(const char *)v != 'a' && *(const char *)v != 'b'))
		return svl_txn_fail(t, SVL_ECORRUPT,
				    "projection %s: bad live-slot record",
				    s->def->name);
	*live = *(const char *)v - 'a';
	return SVL_OK;
}

int svl__proj_set_live(svl_txn *t, const svl_proj_slot *s, int live)
{
	char v = (char)('a' + live);
	return svl_txn_put(t, s->meta, s->def->name, strlen(s->def->name), &v,
			   1);
}

/*
 * A state record is loaded and saved around every batch, and commands are
 * appended one event per batch: parsing the stored rule set each time and
 * writing it out again would dominate. The parsed rules and their
 * canonical JSON are cached per thread (no lock), keyed by the JSON's
 * bytes on load and by the rule set's hash on save.
 */
#define SVL_RULES_CACHE 4

typedef struct rules_cache_entry {
	uint32_t len;
	char json[1024];
	svl_rules rules;
} rules_cache_entry;

static _Thread_local rules_cache_entry rules_cache[SVL_RULES_CACHE];
static _Thread_local unsigned rules_cache_next;

static int rules_from_json(const char *json, uint32_t len, svl_rules *out)
{
	for (unsigned i = 0; i < SVL_RULES_CACHE; i++) {
		rules_cache_entry *e = &rules_cache[i];
		if (e->len == len && memcmp(e->json, json, len) == 0) {
			*out = e->rules;
			return SVL_OK;
		}
	}
	char err[160];
	int rc = svl_rules_parse(json, len, out, err, sizeof err);
	if (rc == SVL_OK && len <= sizeof rules_cache[0].json) {
		rules_cache_entry *e =
			&rules_cache[rules_cache_next++ % SVL_RULES_CACHE];
		memcpy(e->json, json, len);
		e->len = len;
		e->rules = *out;
	}
	return rc;
}

/* The canonical JSON of r into buf (1024 bytes); its length, or 0. */
static size_t rules_to_json(const svl_rules *r, char *buf)
{
	for (unsigned i = 0; i < SVL_RULES_CACHE; i++) {
		rules_cache_entry *e = &rules_cache[i];
		if (e->len && memcmp(e->rules.hash, r->hash, sizeof r->hash) == 0 &&
		    memcmp(&e->rules, r, sizeof *r) == 0) {
			memcpy(buf, e->json, e->len);
			return e->len;
		}
	}
	size_t n = svl_rules_to_json(r, buf, 1024);
	if (n >= 1024)
		return 0;
	rules_cache_entry *e = &rules_cache[rules_cache_next++ % SVL_RULES_CACHE];
	memcpy(e->json, buf, n);
	e->len = (uint32_t)n;
	e->rules = *r;
	return n;
}

static size_t state_key(char *key, const svl_proj_slot *s, int which)
{
	return (size_t)snprintf(key, SVL_PROJ_KEY_MAX, "%s#%c", s->def->name,
				'a' + which);
}

/* A stored state's bytes into out; 0 when they do not decode. */
static int state_decode(const void *v, size_t n, svl_proj_state *out)
{
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len;
	uint64_t cv;
	const char *json;
	if (!svl__mp_read_array(&r, &len) || len != 6 ||
	    !svl__mp_read_uint(&r, &out->checkpoint) ||
	    !svl__mp_read_uint(&r, &cv) ||
	    !svl__mp_read_uint(&r, &out->digest[0]) ||
	    !svl__mp_read_uint(&r, &out->digest[1]) ||
	    !svl__mp_read_uint(&r, &out->entries) ||
	    !svl__mp_read_str(&r, &json, &len) ||
	    rules_from_json(json, len, &out->rules) != SVL_OK)
		return 0;
	out->code_version = (uint32_t)cv;
	return 1;
}

int svl__proj_load(svl_txn *t, const svl_proj_slot *s, int which,
		   svl_proj_state *out, int *exists)
{
	int status;
	int rc = svl__proj_probe(t, s, which, out, &status);
	*exists = status != 0;
	if (rc != SVL_OK)
		return rc;
	if (status < 0)
		return svl_txn_fail(t, SVL_ECORRUPT,
				    "projection %s: state of slot %c does not "
				    "decode (a writable open rebuilds it from "
				    "the log)",
				    s->def->name, 'a' + which);
	if (status == 0) {
		svl_rules_default(&out->rules);
		out->code_version = s->def->code_version;
	}
	return SVL_OK;
}

int svl__proj_probe(svl_txn *t, const svl_proj_slot *s, int which,
		    svl_proj_state *out, int *status)
{
	char key[SVL_PROJ_KEY_MAX];
	const void *v;
	size_t n;
	int rc = svl_txn_get(t, s->meta, key, state_key(key, s, which), &v, &n);
	memset(out, 0, sizeof *out);
	*status = 0;
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	*status = state_decode(v, n, out) ? 1 : -1;
	return SVL_OK;
}

int svl__proj_save(svl_txn *t, const svl_proj_slot *s, int which,
		   const svl_proj_state *st)
{
	char key[SVL_PROJ_KEY_MAX], json[1024];
	uint8_t buf[1200], *p = buf;
	size_t jl = rules_to_json(&st->rules, json);
	if (jl == 0)
		return svl_txn_fail(t, SVL_ELIMIT, "rule set too long");
	p = svl__mp_put_array_hdr(p, 6);
	p = svl__mp_put_uint(p, st->checkpoint);
	p = svl__mp_put_uint(p, st->code_version);
	p = svl__mp_put_uint(p, st->digest[0]);
	p = svl__mp_put_uint(p, st->digest[1]);
	p = svl__mp_put_uint(p, st->entries);
	p = svl__mp_put_str(p, json, (uint32_t)jl);
	return svl_txn_put(t, s->meta, key, state_key(key, s, which), buf,
			   (size_t)(p - buf));
}

int svl__proj_reset(svl_txn *t, const svl_proj_slot *s, int which,
		    const svl_rules *rules)
{
	int rc = svl_txn_table_clear(t, s->table[which]);
	if (rc != SVL_OK)
		return rc;
	svl_proj_state st;
	memset(&st, 0, sizeof st);
	st.code_version = s->def->code_version;
	st.rules = *rules;
	return svl__proj_save(t, s, which, &st);
}

static int apply_records(svl_proj_ctx *c, const svl_record *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (recs[i].seq != c->st.checkpoint + 1)
			return svl_txn_fail(c->txn, SVL_ECORRUPT,
					    "projection %s at seq %llu was "
					    "given seq %llu",
					    c->def->name,
					    (unsigned long long)c->st.checkpoint,
					    (unsigned long long)recs[i].seq);
		int rc = c->def->apply(c, &recs[i]);
		if (rc != SVL_OK)
			return rc;
		c->st.checkpoint = recs[i].seq;
	}
	return SVL_OK;
}

/* Apply log records (from, to] read from t's own view. */
static int apply_from_log(svl_proj_ctx *c, uint64_t to)
{
	svl_iter *it;
	int rc = svl_txn_iter_seq(c->txn, c->st.checkpoint + 1, to, &it);
	if (rc != SVL_OK)
		return rc;
	svl_record r;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK)
		if ((rc = apply_records(c, &r, 1)) != SVL_OK)
			break;
	svl_iter_close(it);
	if (rc == SVL_ITEROVER && c->st.checkpoint != to)
		rc = svl_txn_fail(c->txn, SVL_ECORRUPT,
				  "projection %s: log ends at %llu, before %llu",
				  c->def->name,
				  (unsigned long long)c->st.checkpoint,
				  (unsigned long long)to);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static int ctx_open(svl_txn *t, const svl_proj_slot *s, int which,
		    svl_proj_ctx *c)
{
	int exists;
	memset(c, 0, sizeof *c);
	c->txn = t;
	c->def = s->def;
	c->table = s->table[which];
	return svl__proj_load(t, s, which, &c->st, &exists);
}

static int ctx_close(svl_proj_ctx *c, const svl_proj_slot *s, int which,
		     int rc)
{
	if (rc == SVL_OK)
		rc = svl__overlay_flush(c);
	if (rc == SVL_OK)
		rc = svl__proj_save(c->txn, s, which, &c->st);
	svl__overlay_free(c);
	return rc;
}

int svl__proj_apply(svl_txn *t, const svl_proj_slot *s, int which,
		    const svl_record *recs, size_t n)
{
	svl_proj_ctx c;
	int rc = ctx_open(t, s, which, &c);
	if (rc == SVL_OK && n && c.st.checkpoint + 1 < recs[0].seq)
		rc = apply_from_log(&c, recs[0].seq - 1);
	if (rc == SVL_OK)
		rc = apply_records(&c, recs, n);
	return ctx_close(&c, s, which, rc);
}

int svl__proj_catch_up(svl_txn *t, const svl_proj_slot *s, int which,
		       uint64_t max, int *done)
{
	svl_head head;
	svl_proj_ctx c;
	int rc = svl_txn_head(t, &head);
	if (rc != SVL_OK)
		return rc;
	if ((rc = ctx_open(t, s, which, &c)) != SVL_OK)
		return rc;
	uint64_t to = head.seq;
	if (max && to > c.st.checkpoint + max)
		to = c.st.checkpoint + max;
	if (c.st.checkpoint < to)
		rc = apply_from_log(&c, to);
	*done = rc == SVL_OK && to == head.seq;
	return ctx_close(&c, s, which, rc);
}

static int kv_cmp(const svl_kv *a, const svl_kv *b)
{
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int r = memcmp(a->key, b->key, n);
	return r ? r : (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

int svl__proj_diff(svl_txn *t, unsigned old_table, unsigned new_table,
		   svl_proj_diff_fn cb, void *payload, uint64_t *n_diff)
{
	svl_cursor *a, *b;
	svl_kv ka, kb;
	int rc = svl_cursor_open(t, old_table, &a);
	if (rc != SVL_OK)
		return rc;
	if ((rc = svl_cursor_open(t, new_table, &b)) != SVL_OK) {
		svl_cursor_close(a);
		return rc;
	}
	*n_diff = 0;
	int ra = svl_cursor_seek(a, NULL, 0, &ka);
	int rb = svl_cursor_seek(b, NULL, 0, &kb);
	rc = SVL_OK;
	while (rc == SVL_OK && (ra == SVL_OK || rb == SVL_OK)) {
		int c = ra != SVL_OK ? 1 : rb != SVL_OK ? -1 : kv_cmp(&ka, &kb);
		int same = c == 0 && ka.val_len == kb.val_len &&
			   memcmp(ka.val, kb.val, ka.val_len) == 0;
		if (!same) {
			(*n_diff)++;
			rc = cb ? cb(c <= 0 ? &ka : NULL, c >= 0 ? &kb : NULL,
				     payload)
				: SVL_OK;
		}
		if (c <= 0)
			ra = svl_cursor_next(a, &ka);
		if (c >= 0)
			rb = svl_cursor_next(b, &kb);
	}
	svl_cursor_close(a);
	svl_cursor_close(b);
	if (rc == SVL_OK && ra != SVL_OK && ra != SVL_ITEROVER)
		rc = ra;
	if (rc == SVL_OK && rb != SVL_OK && rb != SVL_ITEROVER)
		rc = rb;
	return rc;
}
