/*
 * write.c - the canonical msgpack writer and the entry points that produce
 * payloads from values: svl_event_encode, svl_event_encode_element and
 * svl_event_normalize.
 *
 * Canonical form (one payload, one encoding, one hash): a map holding the
 * present fields in schema order, no nil, shortest integer and length
 * headers (mp.h's writer), enums as their value strings, array elements
 * canonical maps themselves. Every value is checked before it is written;
 * the writer never trusts its input to be in range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"

static bool room(const svl__w *w, size_t n)
{
	return (size_t)(w->end - w->p) >= n;
}

static int full(svl__path *p, svl_event_error *err)
{
	return svl__fail_at(err, p, SVL_ELIMIT,
			    "payload does not fit the output buffer");
}

static int put_str(svl__w *w, const char *s, uint32_t n, svl__path *p,
		   svl_event_error *err)
{
	if (!room(w, (size_t)n + SVL_MP_HDR_MAX_BYTES))
		return full(p, err);
	w->p = svl__mp_put_str(w->p, s, n);
	return SVL_OK;
}

static int put_value(svl__w *w, const svl_field_def *f, const svl_value *v,
		     svl__path *p, svl_event_error *err)
{
	switch (f->kind) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		if (!room(w, SVL_MP_UINT_MAX_BYTES))
			return full(p, err);
		w->p = svl__mp_put_int(w->p, v->i);
		return SVL_OK;
	case SVL_KIND_BOOL:
		if (!room(w, 1))
			return full(p, err);
		w->p = svl__mp_put_bool(w->p, v->i != 0);
		return SVL_OK;
	case SVL_KIND_ENUM:
		if (!v->s) {
			const char *s = f->enum_def->values[v->i];
			return put_str(w, s, (uint32_t)strlen(s), p, err);
		}
		return put_str(w, v->s, v->len, p, err);
	default:
		return put_str(w, v->s, v->len, p, err);
	}
}

int svl__write_record(svl__w *w, const svl_field_def *fields, uint32_t n,
		      const svl_value *vals, svl__array_writer aw, void *ctx,
		      svl__path *p, svl_event_error *err)
{
	uint32_t present = 0;
	for (uint32_t j = 0; j < n; j++)
		present += vals[j].present ? 1u : 0u;
	if (!room(w, SVL_MP_HDR_MAX_BYTES))
		return full(p, err);
	w->p = svl__mp_put_map_hdr(w->p, present);
	for (uint32_t j = 0; j < n; j++) {
		const svl_field_def *f = &fields[j];
		if (!vals[j].present)
			continue;
		size_t saved = svl__path_key(p, f->name, f->name_len);
		int rc = put_str(w, f->name, f->name_len, p, err);
		if (rc == SVL_OK && f->kind == SVL_KIND_ARRAY)
			rc = aw(ctx, w, f, j, &vals[j], p, err);
		else if (rc == SVL_OK)
			rc = put_value(w, f, &vals[j], p, err);
		if (rc != SVL_OK)
			return rc;
		svl__path_pop(p, saved);
	}
	return SVL_OK;
}

/* Array elements given as msgpack bytes (decoded payloads, or elements
 * from svl_event_encode_element): each is read strictly at `version`,
 * checked and written again canonically. */
typedef struct mp_elems {
	uint32_t version;
} mp_elems;

static int write_mp_elements(void *ctx, svl__w *w, const svl_field_def *f,
			     uint32_t index, const svl_value *v, svl__path *p,
			     svl_event_error *err)
{
	const mp_elems *me = ctx;
	(void)index;
	if (!v->s && v->i > 0)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "array value has a count but no elements");
	if (!room(w, SVL_MP_HDR_MAX_BYTES))
		return full(p, err);
	w->p = svl__mp_put_array_hdr(w->p, (uint32_t)v->i);
	svl_mp_reader r = {(const uint8_t *)v->s,
			   (const uint8_t *)v->s + v->len};
	svl__rctx c = {me->version, NULL, p, err, 0};
	svl_value sub[SVL_EVENT_SUBFIELDS_MAX];
	for (uint32_t k = 0; k < (uint32_t)v->i; k++) {
		size_t saved = svl__path_index(p, k);
		int rc = svl__read_record(&r, f->sub, f->n_sub, sub, &c);
		if (rc == SVL_OK)
			rc =
			    svl__check_record(f->sub, f->n_sub, sub, &c, false);
		if (rc == SVL_OK)
			rc = svl__write_record(w, f->sub, f->n_sub, sub, NULL,
					       NULL, p, err);
		if (rc != SVL_OK)
			return rc;
		svl__path_pop(p, saved);
	}
	if (r.p != r.end)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "array holds more bytes than %lld elements",
				    (long long)v->i);
	return SVL_OK;
}

/* Check vals (current layout) and write them; out_len on success. */
static int encode_fields(uint8_t *out, size_t cap, size_t *out_len,
			 const svl_field_def *fields, uint32_t n,
			 const svl_value *vals, uint32_t version, svl__path *p,
			 svl_event_error *err)
{
	svl__rctx c = {version, NULL, p, err, 0};
	int rc = svl__check_record(fields, n, vals, &c, false);
	if (rc != SVL_OK)
		return rc;
	svl__w w = {out, out + cap};
	mp_elems me = {version};
	rc = svl__write_record(&w, fields, n, vals, write_mp_elements, &me, p,
			       err);
	if (rc == SVL_OK && out_len)
		*out_len = (size_t)(w.p - out);
	return rc;
}

int svl_event_encode(uint8_t *out, size_t cap, size_t *out_len, uint32_t type,
		     const svl_value *vals, size_t n_vals, svl_event_error *err)
{
	svl__path path;
	svl_event_error scratch;
	const svl_event_type *t;
	svl__path_init(&path, NULL);
	if (!err)
		err = &scratch;
	svl__err_clear(err);
	if (!out || !vals)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "NULL argument");
	t = svl_event_type_get(type);
	if (!t)
		return svl__fail_at(err, NULL, SVL_ENOTFOUND,
				    "unknown event type %u", type);
	if (n_vals < t->n_fields)
		return svl__fail_at(err, NULL, SVL_EMISUSE,
				    "%s has %u fields, %zu values given",
				    t->name, t->n_fields, n_vals);
	return encode_fields(out, cap, out_len, t->fields, t->n_fields, vals,
			     t->version, &path, err);
}

int svl_event_encode_element(uint8_t *out, size_t cap, size_t *out_len,
			     uint32_t type, uint32_t field,
			     const svl_value *vals, size_t n_vals,
			     svl_event_error *err)
{
	svl__path path;
	svl_event_error scratch;
	svl__path_init(&path, NULL);
	if (!err)
		err = &scratch;
	svl__err_clear(err);
	const svl_event_type *t = svl_event_type_get(type);
	if (!out || !vals)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "NULL argument");
	if (!t)
		return svl__fail_at(err, NULL, SVL_ENOTFOUND,
				    "unknown event type %u", type);
	if (field >= t->n_fields || t->fields[field].kind != SVL_KIND_ARRAY)
		return svl__fail_at(err, NULL, SVL_EMISUSE,
				    "field %u of %s is not an array", field,
				    t->name);
	const svl_field_def *f = &t->fields[field];
	if (n_vals < f->n_sub)
		return svl__fail_at(err, NULL, SVL_EMISUSE,
				    "%s has %u fields, %zu values given",
				    f->name, f->n_sub, n_vals);
	/* the element's index is the caller's: the path says "lines[]" */
	char prefix[SVL_EVENT_PATH_MAX];
	snprintf(prefix, sizeof prefix, "%s[]", f->name);
	svl__path_init(&path, prefix);
	return encode_fields(out, cap, out_len, f->sub, f->n_sub, vals,
			     t->version, &path, err);
}

int svl__normalize(uint8_t *out, size_t cap, size_t *out_len,
		   const svl_event_type *t, uint32_t version,
		   const uint8_t *payload, size_t len, svl__path *p,
		   svl_event_error *err)
{
	svl_value vals[SVL_EVENT_FIELDS_MAX];
	svl__rctx c = {version, t, p, err, t->version};
	int rc = svl__read_payload(t, payload, len, vals, &c);
	if (rc != SVL_OK)
		return rc;
	/* Elements keep the payload's version: they are re-read (and their
	 * since-defaults applied) while being written. */
	return encode_fields(out, cap, out_len, t->fields, t->n_fields, vals,
			     version, p, err);
}

int svl_event_normalize(uint8_t *out, size_t cap, size_t *out_len,
			uint32_t type, uint32_t schema_version,
			const uint8_t *payload, size_t len,
			svl_event_error *err)
{
	svl__path path;
	svl_event_error scratch;
	const svl_event_type *t;
	svl__path_init(&path, NULL);
	if (!err)
		err = &scratch;
	svl__err_clear(err);
	if (!out || !payload)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "NULL argument");
	int rc = svl__type_version(&t, type, schema_version, &path, err);
	if (rc != SVL_OK)
		return rc;
	return svl__normalize(out, cap, out_len, t, schema_version, payload,
			      len, &path, err);
}
