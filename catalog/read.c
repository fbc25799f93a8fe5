/*
 * read.c - reading payloads: the strict reader behind svl_event_validate
 * and the fast, allocation-free decoder behind svl_event_decode, which
 * share one record reader so that what validation accepts is exactly what
 * the decoder understands.
 *
 * Fast mode is the projections' hot path (millions of events a second):
 * it walks the map once, matches each key first against the field that
 * follows the previous match (the canonical order makes that a hit) and
 * only then searches, never allocates and never formats a message.
 */
#include <string.h>

#include "catalog_int.h"

const char *svl__mp_kind_name(enum svl_mp_kind k)
{
	switch (k) {
	case SVL_MP_NIL:
		return "nil";
	case SVL_MP_BOOL:
		return "bool";
	case SVL_MP_UINT:
	case SVL_MP_INT:
		return "integer";
	case SVL_MP_FLOAT:
		return "float";
	case SVL_MP_STR:
		return "string";
	case SVL_MP_BIN:
		return "binary";
	case SVL_MP_ARRAY:
		return "array";
	case SVL_MP_MAP:
		return "map";
	case SVL_MP_EXT:
		return "extension";
	case SVL_MP_BAD:
		break;
	}
	return "malformed msgpack";
}

static const char *kind_expected(svl_field_kind k)
{
	switch (k) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		return "integer";
	case SVL_KIND_BOOL:
		return "bool";
	case SVL_KIND_ARRAY:
		return "array";
	default:
		return "string";
	}
}

/* The encodings canonical payloads are made of, inline; anything else
 * through the general reader. Same bounds checks as mp.c. */
static inline bool next(svl_mp_reader *r, svl_mp_item *it)
{
	if (r->p < r->end) {
		uint8_t b = *r->p;
		if (b <= 0x7f) {
			it->kind = SVL_MP_UINT;
			it->u = b;
			r->p++;
			return true;
		}
		if ((b & 0xe0) == 0xa0) {
			uint32_t n = b & 0x1fu;
			if ((size_t)(r->end - r->p) <= n)
				return false;
			it->kind = SVL_MP_STR;
			it->len = n;
			it->ptr = r->p + 1;
			r->p += 1 + n;
			return true;
		}
		if (b == 0xc2 || b == 0xc3) {
			it->kind = SVL_MP_BOOL;
			it->u = b == 0xc3;
			r->p++;
			return true;
		}
		if ((b & 0xe0) == 0x80) { /* fixmap 0x8_, fixarray 0x9_ */
			it->kind = b < 0x90 ? SVL_MP_MAP : SVL_MP_ARRAY;
			it->len = b & 0x0fu;
			r->p++;
			return true;
		}
		if (b >= 0xcc && b <= 0xce) { /* uint 8, 16, 32 */
			size_t w = (size_t)1 << (b - 0xcc);
			if ((size_t)(r->end - r->p) <= w)
				return false;
			uint64_t v = 0;
			for (size_t k = 1; k <= w; k++)
				v = v << 8 | r->p[k];
			it->kind = SVL_MP_UINT;
			it->u = v;
			r->p += 1 + w;
			return true;
		}
	}
	return svl__mp_next(r, it);
}

static inline uint64_t load8(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t load4(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Equal n bytes. Field names are short: overlapping word loads that stay
 * inside [0, n) of both strings beat a call to memcmp. */
static inline bool same(const char *a, const char *b, uint32_t n)
{
	if (n >= 8) {
		for (uint32_t k = 0; k + 8 < n; k += 8)
			if (load8(a + k) != load8(b + k))
				return false;
		return load8(a + n - 8) == load8(b + n - 8);
	}
	if (n >= 4)
		return load4(a) == load4(b) &&
		       load4(a + n - 4) == load4(b + n - 4);
	for (uint32_t k = 0; k < n; k++)
		if (a[k] != b[k])
			return false;
	return true;
}

static int corrupt(const svl__rctx *c, const char *what)
{
	if (!c->err)
		return SVL_ECORRUPT;
	return svl__fail_at(c->err, c->path, SVL_EINVAL, "%s", what);
}

static int wrong_kind(const svl__rctx *c, const svl_field_def *f,
		      const svl_mp_item *it)
{
	if (!c->err)
		return SVL_ECORRUPT;
	return svl__fail_at(c->err, c->path, SVL_EINVAL, "expected %s, got %s",
			    kind_expected(f->kind),
			    svl__mp_kind_name(it->kind));
}

/* Skip `count` array elements; the reader checks every byte read. */
static bool skip_elems(svl_mp_reader *r, uint32_t count)
{
	if (count > (size_t)(r->end - r->p))
		return false;
	for (uint32_t k = 0; k < count; k++)
		if (!svl__mp_skip(r, SVL_MSGPACK_DEPTH_MAX - 1))
			return false;
	return true;
}

/* Inlined into both loops: it runs once per field of every event a
 * projection folds. */
static inline __attribute__((always_inline)) int
read_value(svl_mp_reader *r, const svl_field_def *f, svl_value *v,
	   const svl__rctx *c)
{
	svl_mp_item it;
	if (!next(r, &it))
		return corrupt(c, "malformed msgpack");
	switch (f->kind) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		if (it.kind == SVL_MP_INT) {
			v->i = it.i;
		} else if (it.kind == SVL_MP_UINT && it.u <= INT64_MAX) {
			v->i = (int64_t)it.u;
		} else if (it.kind == SVL_MP_UINT) {
			return corrupt(c, "integer out of range");
		} else {
			return wrong_kind(c, f, &it);
		}
		break;
	case SVL_KIND_BOOL:
		if (it.kind != SVL_MP_BOOL)
			return wrong_kind(c, f, &it);
		v->i = (int64_t)it.u;
		break;
	case SVL_KIND_ARRAY:
		if (it.kind != SVL_MP_ARRAY)
			return wrong_kind(c, f, &it);
		v->s = (const char *)r->p;
		if (!skip_elems(r, it.len))
			return corrupt(c, "malformed msgpack in array");
		v->len = (uint32_t)(r->p - (const uint8_t *)v->s);
		v->i = it.len;
		break;
	default: /* the string kinds */
		if (it.kind != SVL_MP_STR)
			return wrong_kind(c, f, &it);
		v->s = (const char *)it.ptr;
		v->len = it.len;
		if (f->kind == SVL_KIND_ENUM)
			v->i = svl_enum_find(f->enum_def, v->s, v->len);
		else if (f->kind == SVL_KIND_DATE &&
			 !svl__date_parse(v->s, v->len, &v->i))
			v->i = INT64_MIN;
		break;
	}
	v->present = 1;
	return SVL_OK;
}

static inline __attribute__((always_inline)) int
find_field(const svl_field_def *fields, uint32_t n, uint32_t hint,
	   const char *k, uint32_t len)
{
	if (hint < n && fields[hint].name_len == len &&
	    same(fields[hint].name, k, len))
		return (int)hint;
	for (uint32_t j = 0; j < n; j++)
		if (fields[j].name_len == len && same(fields[j].name, k, len))
			return (int)j;
	return -1;
}

/* A key that is not (or not yet) a field of this version. */
static int other_key(svl_mp_reader *r, const svl__rctx *c, const char *k,
		     uint32_t len, const svl_field_def *f)
{
	if (c->err && !(c->upcast_type && !f &&
			svl__upcast_key(c->upcast_type, c->version, k, len))) {
		if (f)
			return svl__fail_at(
			    c->err, c->path, SVL_EINVAL,
			    "unknown field in version %u (added in "
			    "version %u)",
			    c->version, f->since);
		return svl__fail_at(c->err, c->path, SVL_EINVAL,
				    "unknown field");
	}
	if (!svl__mp_skip(r, SVL_MSGPACK_DEPTH_MAX - 1))
		return corrupt(c, "malformed msgpack");
	return SVL_OK;
}

static void apply_defaults(const svl_field_def *fields, uint32_t n,
			   svl_value *vals, uint32_t version)
{
	for (uint32_t j = 0; j < n; j++) {
		const svl_field_def *f = &fields[j];
		if (f->since <= version || !f->required || vals[j].present)
			continue;
		vals[j].present = 1;
		vals[j].i = f->dflt;
		if (f->kind == SVL_KIND_ENUM) {
			vals[j].s = f->enum_def->values[f->dflt];
			vals[j].len = (uint32_t)strlen(vals[j].s);
		}
	}
}

/* The decoder's loop: no messages, no paths, no duplicate or version
 * checks (the log validated the payload), unknown keys skipped. */
static int decode_record(svl_mp_reader *r, const svl_field_def *fields,
			 uint32_t n, svl_value *vals, const svl__rctx *c)
{
	svl_mp_item it, ki;
	if (!next(r, &it) || it.kind != SVL_MP_MAP)
		return SVL_ECORRUPT;
	memset(vals, 0, n * sizeof *vals);
	uint32_t hint = 0, need_defaults = 0;
	for (uint32_t k = 0; k < it.len; k++) {
		if (!next(r, &ki) || ki.kind != SVL_MP_STR)
			return SVL_ECORRUPT;
		int j =
		    find_field(fields, n, hint, (const char *)ki.ptr, ki.len);
		if (j < 0) {
			if (!svl__mp_skip(r, SVL_MSGPACK_DEPTH_MAX - 1))
				return SVL_ECORRUPT;
			continue;
		}
		if (read_value(r, &fields[j], &vals[j], c) != SVL_OK)
			return SVL_ECORRUPT;
		hint = (uint32_t)j + 1;
	}
	/* the current version has every field: nothing to default */
	if (c->current && c->version >= c->current)
		return SVL_OK;
	for (uint32_t j = 0; j < n; j++)
		need_defaults |= fields[j].since > c->version;
	if (need_defaults)
		apply_defaults(fields, n, vals, c->version);
	return SVL_OK;
}

int svl__read_record(svl_mp_reader *r, const svl_field_def *fields, uint32_t n,
		     svl_value *vals, const svl__rctx *c)
{
	if (!c->err)
		return decode_record(r, fields, n, vals, c);
	svl_mp_item it;
	if (!next(r, &it))
		return corrupt(c, "malformed msgpack");
	if (it.kind != SVL_MP_MAP) {
		if (!c->err)
			return SVL_ECORRUPT;
		return svl__fail_at(c->err, c->path, SVL_EINVAL,
				    "expected map, got %s",
				    svl__mp_kind_name(it.kind));
	}
	memset(vals, 0, n * sizeof *vals);
	uint32_t hint = 0;
	for (uint32_t k = 0; k < it.len; k++) {
		svl_mp_item ki;
		if (!next(r, &ki) || ki.kind != SVL_MP_STR)
			return corrupt(c, "field names must be strings");
		const char *key = (const char *)ki.ptr;
		uint32_t klen = ki.len;
		int j = find_field(fields, n, hint, key, klen);
		size_t saved = c->err ? svl__path_key(c->path, key, klen) : 0;
		int rc;
		if (j < 0 || fields[j].since > c->version)
			rc = other_key(r, c, key, klen,
				       j < 0 ? NULL : &fields[j]);
		else if (vals[j].present && c->err)
			rc = svl__fail_at(c->err, c->path, SVL_EINVAL,
					  "duplicate field");
		else
			rc = read_value(r, &fields[j], &vals[j], c);
		if (rc != SVL_OK)
			return rc;
		if (c->err)
			svl__path_pop(c->path, saved);
		if (j >= 0)
			hint = (uint32_t)j + 1;
	}
	apply_defaults(fields, n, vals, c->version);
	return SVL_OK;
}

static int check_elements(const svl_field_def *f, const svl_value *v,
			  const svl__rctx *c)
{
	svl_mp_reader r = {(const uint8_t *)v->s,
			   (const uint8_t *)v->s + v->len};
	svl_value sub[SVL_EVENT_SUBFIELDS_MAX];
	svl__rctx sc = *c;
	sc.upcast_type = NULL;
	for (uint32_t k = 0; k < (uint32_t)v->i; k++) {
		size_t saved = svl__path_index(c->path, k);
		int rc = svl__read_record(&r, f->sub, f->n_sub, sub, &sc);
		if (rc == SVL_OK)
			rc = svl__check_record(f->sub, f->n_sub, sub, &sc,
					       false);
		if (rc != SVL_OK)
			return rc;
		svl__path_pop(c->path, saved);
	}
	return SVL_OK;
}

int svl__check_record(const svl_field_def *fields, uint32_t n,
		      const svl_value *vals, const svl__rctx *c,
		      bool walk_arrays)
{
	for (uint32_t j = 0; j < n; j++) {
		const svl_field_def *f = &fields[j];
		size_t saved = svl__path_key(c->path, f->name, f->name_len);
		int rc = SVL_OK;
		if (!vals[j].present) {
			if (f->required)
				rc = svl__fail_at(c->err, c->path, SVL_EINVAL,
						  "required field missing");
		} else {
			rc = svl__check_value(f, &vals[j], c->path, c->err);
			if (rc == SVL_OK && walk_arrays &&
			    f->kind == SVL_KIND_ARRAY)
				rc = check_elements(f, &vals[j], c);
		}
		if (rc != SVL_OK)
			return rc;
		svl__path_pop(c->path, saved);
	}
	return SVL_OK;
}

int svl__type_version(const svl_event_type **out, uint32_t type,
		      uint32_t version, svl__path *p, svl_event_error *err)
{
	const svl_event_type *t = svl_event_type_get(type);
	*out = t;
	if (!t)
		return svl__fail_at(err, p, SVL_ENOTFOUND,
				    "unknown event type %u", type);
	if (version == 0 || version > t->version)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "%s has no schema version %u (current %u)",
				    t->name, version, t->version);
	return SVL_OK;
}

int svl__read_payload(const svl_event_type *t, const uint8_t *payload,
		      size_t len, svl_value *vals, const svl__rctx *c)
{
	svl_mp_reader r = {payload, payload + len};
	int rc = svl__read_record(&r, t->fields, t->n_fields, vals, c);
	if (rc != SVL_OK)
		return rc;
	if (r.p != r.end) {
		if (!c->err)
			return SVL_ECORRUPT;
		return svl__fail_at(c->err, NULL, SVL_EINVAL,
				    "%zu bytes after the map",
				    (size_t)(r.end - r.p));
	}
	if (c->version < t->version)
		svl__upcast(t, c->version, vals, payload, len);
	return SVL_OK;
}

int svl_event_validate(uint32_t type, uint32_t schema_version,
		       const uint8_t *payload, size_t len, svl_event_error *err)
{
	svl__path path;
	svl_event_error scratch;
	const svl_event_type *t;
	svl__path_init(&path, NULL);
	if (!err)
		err = &scratch; /* strict mode needs somewhere to write */
	svl__err_clear(err);
	if (!payload)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "payload is NULL");
	int rc = svl__type_version(&t, type, schema_version, &path, err);
	if (rc != SVL_OK)
		return rc;
	svl_value vals[SVL_EVENT_FIELDS_MAX];
	svl__rctx c = {schema_version, t, &path, err, t->version};
	rc = svl__read_payload(t, payload, len, vals, &c);
	if (rc == SVL_OK)
		rc = svl__check_record(t->fields, t->n_fields, vals, &c, true);
	return rc;
}

int svl_event_decode(svl_event_view *out, uint32_t type,
		     uint32_t schema_version, const uint8_t *payload,
		     size_t len)
{
	if (!out || (!payload && len))
		return SVL_EMISUSE;
	const svl_event_type *t = svl_event_type_get(type);
	if (!t)
		return SVL_ENOTFOUND;
	if (schema_version == 0 || schema_version > t->version)
		return SVL_EINVAL;
	if (!payload)
		return SVL_ECORRUPT; /* no bytes is no map (and NULL + 0 is UB) */
	out->type = t;
	out->schema_version = schema_version;
	svl__rctx c = {schema_version, NULL, NULL, NULL, t->version};
	return svl__read_payload(t, payload, len, out->v, &c);
}

int svl_event_array_begin(svl_event_array *it, const svl_event_view *view,
			  uint32_t field)
{
	if (!it || !view || !view->type || field >= view->type->n_fields ||
	    view->type->fields[field].kind != SVL_KIND_ARRAY)
		return SVL_EMISUSE;
	const svl_value *v = &view->v[field];
	it->field = &view->type->fields[field];
	it->schema_version = view->schema_version;
	/* an absent array has s = NULL: no arithmetic on it (NULL + 0 is
	 * undefined) */
	it->left = v->present ? (uint32_t)v->i : 0;
	it->p = v->present ? (const uint8_t *)v->s : NULL;
	it->end = v->present ? it->p + v->len : NULL;
	return SVL_OK;
}

int svl_event_array_next(svl_event_array *it, svl_value *elem)
{
	if (!it || !elem)
		return SVL_EMISUSE;
	if (it->left == 0)
		return SVL_ITEROVER;
	svl_mp_reader r = {it->p, it->end};
	svl__rctx c = {it->schema_version, NULL, NULL, NULL, 0};
	int rc =
	    svl__read_record(&r, it->field->sub, it->field->n_sub, elem, &c);
	if (rc != SVL_OK)
		return rc;
	it->p = r.p;
	it->left--;
	return SVL_OK;
}

int svl_event_stream(char *out, size_t cap, size_t *out_len,
		     const svl_event_view *view)
{
	if (!out || !view || !view->type)
		return SVL_EMISUSE;
	const svl_event_type *t = view->type;
	const svl_value *key = &view->v[t->stream_field];
	if (!key->present || key->len == 0)
		return SVL_EINVAL;
	size_t plen = strlen(t->stream_prefix);
	size_t n = plen + 1 + key->len;
	if (n > SVL_STREAM_MAX || n + 1 > cap)
		return SVL_ELIMIT;
	memcpy(out, t->stream_prefix, plen);
	out[plen] = '-';
	memcpy(out + plen + 1, key->s, key->len);
	out[n] = '\0';
	if (out_len)
		*out_len = n;
	return SVL_OK;
}

int svl_event_stream_of(char *out, size_t cap, size_t *out_len, uint32_t type,
			uint32_t schema_version, const uint8_t *payload,
			size_t len)
{
	svl_event_view view;
	int rc = svl_event_decode(&view, type, schema_version, payload, len);
	if (rc != SVL_OK)
		return rc;
	return svl_event_stream(out, cap, out_len, &view);
}
