/*
 * json.c - JSON payloads in and out (jansson).
 *
 * In: a JSON object becomes field values (times may be UTC ms or ISO-8601
 * text with an offset), which go through the same checks and the same
 * canonical writer as every other payload. Out: the payload decoded into
 * the current layout (so old versions come out upcast), fields in schema
 * order, times as integer ms, absent optional fields left out. Hence
 * JSON -> msgpack -> JSON is the identity on canonical JSON.
 */
#include <jansson.h>
#include <string.h>

#include "events_internal.h"

const char *svl__json_kind_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "real";
	case JSON_TRUE:
	case JSON_FALSE: return "bool";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

static int json_kind(const svl_field_def *f, const json_t *j, svl__path *p,
		     svl_event_error *err)
{
	static const char *const want[] = {
		[SVL_KIND_INT] = "integer", [SVL_KIND_TIME] = "integer",
		[SVL_KIND_BOOL] = "bool", [SVL_KIND_STR] = "string",
		[SVL_KIND_ID] = "string",   [SVL_KIND_ENUM] = "string",
		[SVL_KIND_BIN] = "string",  [SVL_KIND_DATE] = "string",
		[SVL_KIND_ARRAY] = "array"};
	return svl__fail_at(err, p, SVL_EINVAL, "expected %s, got %s",
			    want[f->kind], svl__json_kind_name(j));
}

static int json_time(svl_value *v, const json_t *j, svl__path *p,
		     svl_event_error *err)
{
	const char *s = json_string_value(j);
	size_t n = json_string_length(j);
	if (svl_time_parse(&v->i, s, n) != SVL_OK)
		return svl__fail_at(err, p, SVL_EINVAL,
				    "expected UTC ms or an ISO-8601 time with "
				    "offset like 2026-09-30T10:00:00+08:00, got "
				    "\"%.*s\"",
				    (int)(n > 40 ? 40 : n), s);
	return SVL_OK;
}

static int json_value(const svl_field_def *f, const json_t *j, svl_value *v,
		      const json_t **array, svl__path *p,
		      svl_event_error *err)
{
	switch (f->kind) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		if (json_is_integer(j))
			v->i = json_integer_value(j);
		else if (f->kind == SVL_KIND_TIME && json_is_string(j))
			return json_time(v, j, p, err);
		else
			return json_kind(f, j, p, err);
		break;
	case SVL_KIND_BOOL:
		if (!json_is_boolean(j))
			return json_kind(f, j, p, err);
		v->i = json_is_true(j);
		break;
	case SVL_KIND_ARRAY:
		if (!json_is_array(j))
			return json_kind(f, j, p, err);
		*array = j;
		v->i = (int64_t)json_array_size(j);
		break;
	default:
		if (!json_is_string(j))
			return json_kind(f, j, p, err);
		v->s = json_string_value(j);
		if (json_string_length(j) > UINT32_MAX)
			return svl__fail_at(err, p, SVL_EINVAL, "string too long");
		v->len = (uint32_t)json_string_length(j);
		if (f->kind == SVL_KIND_ENUM)
			v->i = svl_enum_find(f->enum_def, v->s, v->len);
		break;
	}
	return SVL_OK;
}

/* A JSON object -> values; arrays[] receives the JSON arrays by field. */
static int json_record(const svl_field_def *fields, uint32_t n,
		       const json_t *obj, svl_value *vals,
		       const json_t **arrays, svl__path *p,
		       svl_event_error *err)
{
	const char *key;
	json_t *j;
	if (!json_is_object(obj))
		return svl__fail_at(err, p, SVL_EINVAL, "expected object, got %s",
				    svl__json_kind_name(obj));
	memset(vals, 0, n * sizeof *vals);
	json_object_foreach((json_t *)obj, key, j) {
		size_t klen = strlen(key);
		size_t saved = svl__path_key(p, key, klen);
		uint32_t k = 0;
		while (k < n && (fields[k].name_len != klen ||
				 memcmp(fields[k].name, key, klen)))
			k++;
		if (k == n)
			return svl__fail_at(err, p, SVL_EINVAL, "unknown field");
		int rc = json_value(&fields[k], j, &vals[k], &arrays[k], p, err);
		if (rc != SVL_OK)
			return rc;
		vals[k].present = 1;
		svl__path_pop(p, saved);
	}
	return SVL_OK;
}

static int write_json_elements(void *ctx, svl__w *w, const svl_field_def *f,
			       uint32_t index, const svl_value *v,
			       svl__path *p, svl_event_error *err)
{
	const json_t *const *arrays = ctx;
	const json_t *arr = arrays[index];
	svl_value sub[SVL_EVENT_SUBFIELDS_MAX];
	const json_t *sub_arrays[SVL_EVENT_SUBFIELDS_MAX];
	svl__rctx c = {0, NULL, p, err};
	if ((size_t)(w->end - w->p) < SVL_MP_HDR_MAX_BYTES)
		return svl__fail_at(err, p, SVL_ELIMIT,
				    "payload does not fit the output buffer");
	w->p = svl__mp_put_array_hdr(w->p, (uint32_t)v->i);
	for (uint32_t k = 0; k < (uint32_t)v->i; k++) {
		size_t saved = svl__path_index(p, k);
		int rc = json_record(f->sub, f->n_sub, json_array_get(arr, k),
				     sub, sub_arrays, p, err);
		if (rc == SVL_OK)
			rc = svl__check_record(f->sub, f->n_sub, sub, &c, false);
		if (rc == SVL_OK)
			rc = svl__write_record(w, f->sub, f->n_sub, sub, NULL,
					       NULL, p, err);
		if (rc != SVL_OK)
			return rc;
		svl__path_pop(p, saved);
	}
	return SVL_OK;
}

int svl__from_json(uint8_t *out, size_t cap, size_t *out_len,
		   const svl_event_type *t, const json_t *obj, svl__path *p,
		   svl_event_error *err)
{
	svl_value vals[SVL_EVENT_FIELDS_MAX];
	const json_t *arrays[SVL_EVENT_FIELDS_MAX];
	svl__rctx c = {t->version, NULL, p, err};
	int rc = json_record(t->fields, t->n_fields, obj, vals, arrays, p, err);
	if (rc == SVL_OK)
		rc = svl__check_record(t->fields, t->n_fields, vals, &c, false);
	if (rc != SVL_OK)
		return rc;
	svl__w w = {out, out + cap};
	rc = svl__write_record(&w, t->fields, t->n_fields, vals,
			       write_json_elements, arrays, p, err);
	if (rc == SVL_OK && out_len)
		*out_len = (size_t)(w.p - out);
	return rc;
}

int svl_event_from_json(uint8_t *out, size_t cap, size_t *out_len,
			uint32_t type, const json_t *payload,
			svl_event_error *err)
{
	svl__path path;
	svl_event_error scratch;
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
	return svl__from_json(out, cap, out_len, t, payload, &path, err);
}

int svl_event_from_json_text(uint8_t *out, size_t cap, size_t *out_len,
			     uint32_t type, const char *text, size_t len,
			     svl_event_error *err)
{
	json_error_t je;
	svl__err_clear(err);
	if (!text)
		return svl__fail_at(err, NULL, SVL_EMISUSE, "NULL argument");
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return svl__fail_at(err, NULL, SVL_EINVAL,
				    "invalid JSON at line %d column %d: %s",
				    je.line, je.column, je.text);
	int rc = svl_event_from_json(out, cap, out_len, type, j, err);
	json_decref(j);
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
	case SVL_KIND_TIME: return json_integer(v->i);
	case SVL_KIND_BOOL: return json_boolean(v->i);
	case SVL_KIND_ARRAY: return array_json(f, v, version);
	default: return json_stringn(v->s, v->len); /* NULL if not UTF-8 */
	}
}

int svl_event_to_json(json_t **out, uint32_t type, uint32_t schema_version,
		      const uint8_t *payload, size_t len,
		      svl_event_error *err)
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

int svl_event_to_json_text(char **out, uint32_t type,
			   uint32_t schema_version, const uint8_t *payload,
			   size_t len, svl_event_error *err)
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
int svl__json_to_mp(svl__w *w, const json_t *v, int depth)
{
	size_t need = SVL_MP_UINT_MAX_BYTES;
	const char *key;
	json_t *e;
	size_t k;
	if (depth <= 0)
		return SVL_ELIMIT;
	if (json_is_string(v))
		need = json_string_length(v) + SVL_MP_HDR_MAX_BYTES;
	if ((size_t)(w->end - w->p) < need)
		return SVL_ELIMIT;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		w->p = svl__mp_put_map_hdr(w->p, (uint32_t)json_object_size(v));
		json_object_foreach((json_t *)v, key, e) {
			size_t n = strlen(key);
			if ((size_t)(w->end - w->p) < n + SVL_MP_HDR_MAX_BYTES)
				return SVL_ELIMIT;
			w->p = svl__mp_put_str(w->p, key, (uint32_t)n);
			int rc = svl__json_to_mp(w, e, depth - 1);
			if (rc != SVL_OK)
				return rc;
		}
		return SVL_OK;
	case JSON_ARRAY:
		w->p = svl__mp_put_array_hdr(w->p, (uint32_t)json_array_size(v));
		json_array_foreach(v, k, e) {
			int rc = svl__json_to_mp(w, e, depth - 1);
			if (rc != SVL_OK)
				return rc;
		}
		return SVL_OK;
	case JSON_STRING:
		w->p = svl__mp_put_str(w->p, json_string_value(v),
				       (uint32_t)json_string_length(v));
		return SVL_OK;
	case JSON_INTEGER:
		w->p = svl__mp_put_int(w->p, json_integer_value(v));
		return SVL_OK;
	case JSON_TRUE:
	case JSON_FALSE:
		w->p = svl__mp_put_bool(w->p, json_is_true(v));
		return SVL_OK;
	case JSON_NULL:
		w->p = svl__mp_put_nil(w->p);
		return SVL_OK;
	case JSON_REAL:
		break;
	}
	return SVL_EINVAL; /* no field kind is a real number */
}
