/*
 * json.c - JSON payloads in and out.
 *
 * In (from jtok.c's tokens, so JSON text and jansson values share one
 * converter): a JSON object becomes field values (times may be UTC ms or
 * ISO-8601 text with an offset), which go through the same checks and the same
 * canonical writer as every other payload. Out: the payload decoded into
 * the current layout (so old versions come out upcast), fields in schema
 * order, times as integer ms, absent optional fields left out. Hence
 * JSON -> msgpack -> JSON is the identity on canonical JSON. Out uses
 * jansson: it is not on a hot path, and callers want a json_t.
 */
#include <jansson.h>
#include <string.h>

#include "catalog_int.h"

static int jt_kind(const svl_field_def *f, const svl__jtok *j, svl__path *p,
		   svl_event_error *err)
{
	static const char *const want[] = {
	    [SVL_KIND_INT] = "integer", [SVL_KIND_TIME] = "integer",
	    [SVL_KIND_BOOL] = "bool",	[SVL_KIND_STR] = "string",
	    [SVL_KIND_ID] = "string",	[SVL_KIND_ENUM] = "string",
	    [SVL_KIND_BIN] = "string",	[SVL_KIND_DATE] = "string",
	    [SVL_KIND_HEX] = "string",
	    [SVL_KIND_ARRAY] = "array"};
	return svl__fail_at(err, p, SVL_EINVAL, "expected %s, got %s",
			    want[f->kind], svl__jt_name(j));
}

static int jt_time(svl_value *v, const svl__jtok *j, svl__path *p,
		   svl_event_error *err)
{
	char sb[SVL__SHOWN_SIZE];
	if (svl_time_parse(&v->i, j->s, j->len) != SVL_OK)
		return svl__fail_at(
		    err, p, SVL_EINVAL,
		    "expected UTC ms or an ISO-8601 time with "
		    "offset like 2026-09-30T10:00:00+08:00 (years 2000 to "
		    "2099), got \"%s\"",
		    svl__shown(sb, j->s, j->len));
	return SVL_OK;
}

static int jt_value(const svl_field_def *f, const svl__jdoc *d, uint32_t k,
		    svl_value *v, svl__path *p, svl_event_error *err)
{
	const svl__jtok *j = &d->t[k];
	switch (f->kind) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		if (j->type == SVL__JT_INT)
			v->i = j->i;
		else if (f->kind == SVL_KIND_TIME && j->type == SVL__JT_STR)
			return jt_time(v, j, p, err);
		else
			return jt_kind(f, j, p, err);
		break;
	case SVL_KIND_BOOL:
		if (j->type != SVL__JT_TRUE && j->type != SVL__JT_FALSE)
			return jt_kind(f, j, p, err);
		v->i = j->type == SVL__JT_TRUE;
		break;
	case SVL_KIND_ARRAY:
		if (j->type != SVL__JT_ARR)
			return jt_kind(f, j, p, err);
		/* the token index travels in s until the writer needs it */
		v->len = k;
		v->i = j->size;
		break;
	default:
		if (j->type != SVL__JT_STR)
			return jt_kind(f, j, p, err);
		v->s = j->s;
		v->len = j->len;
		if (f->kind == SVL_KIND_ENUM)
			v->i = svl_enum_find(f->enum_def, v->s, v->len);
		break;
	}
	return SVL_OK;
}

/* Object token k -> values of `fields`. */
static int jt_record(const svl_field_def *fields, uint32_t n,
		     const svl__jdoc *d, uint32_t k, svl_value *vals,
		     svl__path *p, svl_event_error *err)
{
	const svl__jtok *obj = &d->t[k];
	if (obj->type != SVL__JT_OBJ)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "expected object, got %s",
				    svl__jt_name(obj));
	memset(vals, 0, n * sizeof *vals);
	uint32_t key = k + 1;
	for (uint32_t m = 0; m < obj->size; m++) {
		const svl__jtok *kt = &d->t[key];
		uint32_t val = kt->next;
		size_t saved = svl__path_key(p, kt->s, kt->len);
		uint32_t f = 0;
		while (f < n && (fields[f].name_len != kt->len ||
				 memcmp(fields[f].name, kt->s, kt->len)))
			f++;
		if (f == n)
			return svl__fail_at(err, p, SVL_EINVAL,
					    "unknown field");
		if (vals[f].present)
			return svl__fail_at(err, p, SVL_EINVAL,
					    "duplicate field");
		int rc = jt_value(&fields[f], d, val, &vals[f], p, err);
		if (rc != SVL_OK)
			return rc;
		vals[f].present = 1;
		svl__path_pop(p, saved);
		key = d->t[val].next;
	}
	return SVL_OK;
}

static int write_jt_elements(void *ctx, svl__w *w, const svl_field_def *f,
			     uint32_t index, const svl_value *v, svl__path *p,
			     svl_event_error *err)
{
	const svl__jdoc *d = ctx;
	svl_value sub[SVL_EVENT_SUBFIELDS_MAX];
	svl__rctx c = {0, NULL, p, err, 0};
	(void)index;
	if ((size_t)(w->end - w->p) < SVL_MP_HDR_MAX_BYTES)
		return svl__fail_at(err, p, SVL_ELIMIT,
				    "payload does not fit the output buffer");
	w->p = svl__mp_put_array_hdr(w->p, (uint32_t)v->i);
	uint32_t el = v->len + 1; /* the array token, then its elements */
	for (uint32_t k = 0; k < (uint32_t)v->i; k++) {
		size_t saved = svl__path_index(p, k);
		int rc = jt_record(f->sub, f->n_sub, d, el, sub, p, err);
		if (rc == SVL_OK)
			rc =
			    svl__check_record(f->sub, f->n_sub, sub, &c, false);
		if (rc == SVL_OK)
			rc = svl__write_record(w, f->sub, f->n_sub, sub, NULL,
					       NULL, p, err);
		if (rc != SVL_OK)
			return rc;
		svl__path_pop(p, saved);
		el = d->t[el].next;
	}
	return SVL_OK;
}

int svl__from_jtok(uint8_t *out, size_t cap, size_t *out_len,
		   const svl_event_type *t, const svl__jdoc *d, uint32_t k,
		   svl__path *p, svl_event_error *err)
{
	svl_value vals[SVL_EVENT_FIELDS_MAX];
	svl__rctx c = {t->version, NULL, p, err, t->version};
	int rc = jt_record(t->fields, t->n_fields, d, k, vals, p, err);
	if (rc == SVL_OK)
		rc = svl__check_record(t->fields, t->n_fields, vals, &c, false);
	if (rc != SVL_OK)
		return rc;
	svl__w w = {out, out + cap};
	rc = svl__write_record(&w, t->fields, t->n_fields, vals,
			       write_jt_elements, (void *)d, p, err);
	if (rc == SVL_OK && out_len)
		*out_len = (size_t)(w.p - out);
	return rc;
}

/* Small documents use these; bigger ones a malloc'd doc. */
#define LOCAL_TOKENS 256
#define LOCAL_ESC 2048

int svl_event_from_json(uint8_t *out, size_t cap, size_t *out_len,
			uint32_t type, const json_t *payload,
			svl_event_error *err)
{
	svl__path path;
	svl_event_error scratch;
	svl__jtok toks[LOCAL_TOKENS];
	svl__jdoc d = {toks, 0, LOCAL_TOKENS, NULL, 0, 0, 0, 0};
	svl__path_init(&path, NULL);
	if (!err)
		err = &scratch;
	svl__err_clear(err);
	if (!out || !payload)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "NULL argument");
	const svl_event_type *t = svl_event_type_get(type);
	if (!t)
		return svl__fail_at(err, NULL, SVL_ENOTFOUND,
				    "unknown event type %u", type);
	int rc = svl__jdoc_from_json_t(&d, payload);
	if (rc == SVL_ELIMIT) {
		/* grow by token count: a json_t has no text length */
		size_t n = 2 * LOCAL_TOKENS;
		do {
			svl__jdoc_free(&d);
			if (svl__jdoc_grow(&d, n) != SVL_OK)
				return svl__fail_at(err, NULL, SVL_ENOMEM,
						    "out of memory");
			rc = svl__jdoc_from_json_t(&d, payload);
			n *= 4;
		} while (rc == SVL_ELIMIT);
	}
	if (rc == SVL_OK)
		rc = svl__from_jtok(out, cap, out_len, t, &d, 0, &path, err);
	else
		rc = svl__fail_at(err, NULL, SVL_EINVAL, "nested too deeply");
	svl__jdoc_free(&d);
	return rc;
}

int svl_event_from_json_text(uint8_t *out, size_t cap, size_t *out_len,
			     uint32_t type, const char *text, size_t len,
			     svl_event_error *err)
{
	svl__path path;
	svl_event_error scratch;
	svl__jtok toks[LOCAL_TOKENS];
	char esc[LOCAL_ESC];
	svl__jdoc d = {toks, 0, LOCAL_TOKENS, esc, 0, LOCAL_ESC, 0, 0};
	size_t col;
	const char *why;
	svl__path_init(&path, NULL);
	if (!err)
		err = &scratch;
	svl__err_clear(err);
	if (!out || !text)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "NULL argument");
	const svl_event_type *t = svl_event_type_get(type);
	if (!t)
		return svl__fail_at(err, NULL, SVL_ENOTFOUND,
				    "unknown event type %u", type);
	int rc = svl__jparse(&d, text, len, &col, &why);
	if (rc == SVL_ELIMIT) {
		if (svl__jdoc_grow(&d, len) != SVL_OK)
			return svl__fail_at(err, NULL, SVL_ENOMEM,
					    "out of memory");
		rc = svl__jparse(&d, text, len, &col, &why);
	}
	if (rc == SVL_OK)
		rc = svl__from_jtok(out, cap, out_len, t, &d, 0, &path, err);
	else
		rc = svl__fail_at(err, NULL, SVL_EINVAL,
				  "invalid JSON at column %zu: %s", col, why);
	svl__jdoc_free(&d);
	return rc;
}

/* ---- out ---- */

static json_t *value_json(const svl_field_def *f, const svl_value *v,
			  uint32_t version);

static json_t *record_json(const svl_field_def *fields, uint32_t n,
			   const svl_value *vals, uint32_t version)
{
	json_t *obj = json_object();
	for (uint32_t k = 0; obj && k < n; k++) {
		if (!vals[k].present)
			continue;
		json_t *j = value_json(&fields[k], &vals[k], version);
		if (!j || json_object_set_new(obj, fields[k].name, j)) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}

static json_t *array_json(const svl_field_def *f, const svl_value *v,
			  uint32_t version)
{
	svl_event_array it = {f, version, (uint32_t)v->i, (const uint8_t *)v->s,
			      (const uint8_t *)v->s + v->len};
	svl_value sub[SVL_EVENT_SUBFIELDS_MAX];
	json_t *arr = json_array();
	int rc;
	while (arr && (rc = svl_event_array_next(&it, sub)) == SVL_OK) {
		json_t *e = record_json(f->sub, f->n_sub, sub, version);
		if (!e || json_array_append_new(arr, e)) {
			json_decref(arr);
			return NULL;
		}
	}
	if (arr && rc != SVL_ITEROVER) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *value_json(const svl_field_def *f, const svl_value *v,
			  uint32_t version)
{
	switch (f->kind) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		return json_integer(v->i);
	case SVL_KIND_BOOL:
		return json_boolean(v->i);
	case SVL_KIND_ARRAY:
		return array_json(f, v, version);
	default:
		return json_stringn(v->s, v->len); /* NULL if not UTF-8 */
	}
}

int svl_event_to_json(json_t **out, uint32_t type, uint32_t schema_version,
		      const uint8_t *payload, size_t len, svl_event_error *err)
{
	svl__path path;
	const svl_event_type *t;
	svl__path_init(&path, NULL);
	svl__err_clear(err);
	if (!out || !payload)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "NULL argument");
	*out = NULL;
	int rc = svl__type_version(&t, type, schema_version, &path, err);
	if (rc != SVL_OK)
		return rc;
	svl_event_view view;
	rc = svl_event_decode(&view, type, schema_version, payload, len);
	if (rc != SVL_OK)
		return svl__fail_at(err, NULL, SVL_ECORRUPT,
				    "does not decode as %s v%u", t->name,
				    schema_version);
	*out = record_json(t->fields, t->n_fields, view.v, schema_version);
	if (!*out)
		return svl__fail_at(err, NULL, SVL_ECORRUPT,
				    "%s v%u: an array or a string does not "
				    "decode (or out of memory)",
				    t->name, schema_version);
	return SVL_OK;
}

int svl_event_to_json_text(char **out, uint32_t type, uint32_t schema_version,
			   const uint8_t *payload, size_t len,
			   svl_event_error *err)
{
	json_t *j;
	if (!out)
		return SVL_EMISUSE;
	*out = NULL;
	int rc = svl_event_to_json(&j, type, schema_version, payload, len, err);
	if (rc != SVL_OK)
		return rc;
	*out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return *out ? SVL_OK : SVL_ENOMEM;
}

/* Schema-less: for payloads of older versions given as JSON, which the
 * current schema cannot read; normalize() upcasts the result. */
int svl__jtok_to_mp(svl__w *w, const svl__jdoc *d, uint32_t k)
{
	const svl__jtok *t = &d->t[k];
	size_t need = SVL_MP_UINT_MAX_BYTES;
	if (t->type == SVL__JT_STR)
		need = (size_t)t->len + SVL_MP_HDR_MAX_BYTES;
	if ((size_t)(w->end - w->p) < need)
		return SVL_ELIMIT;
	switch (t->type) {
	case SVL__JT_OBJ:
	case SVL__JT_ARR: {
		bool obj = t->type == SVL__JT_OBJ;
		w->p = obj ? svl__mp_put_map_hdr(w->p, t->size)
			   : svl__mp_put_array_hdr(w->p, t->size);
		uint32_t c = k + 1;
		for (uint32_t m = 0; m < (obj ? 2 * t->size : t->size); m++) {
			int rc = svl__jtok_to_mp(w, d, c);
			if (rc != SVL_OK)
				return rc;
			c = d->t[c].next;
		}
		return SVL_OK;
	}
	case SVL__JT_STR:
		w->p = svl__mp_put_str(w->p, t->s, t->len);
		break;
	case SVL__JT_INT:
		w->p = svl__mp_put_int(w->p, t->i);
		break;
	case SVL__JT_TRUE:
	case SVL__JT_FALSE:
		w->p = svl__mp_put_bool(w->p, t->type == SVL__JT_TRUE);
		break;
	case SVL__JT_NULL:
		w->p = svl__mp_put_nil(w->p);
		break;
	default:
		return SVL_EINVAL; /* no field kind is a real number */
	}
	return SVL_OK;
}
