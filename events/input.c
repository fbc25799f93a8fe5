/*
 * input.c - one NDJSON line (or JSON object) -> an svl_event_in ready for
 * svl_log_append, with its stream derived from the payload.
 *
 * Why an arena: the CLI's append and an embedding application parse many
 * lines and append them as one batch; every string and payload the events
 * point to must outlive the parse. Copying them into caller memory keeps
 * the parse allocation-free and lets the caller free a whole batch at
 * once (reset `used`). A failed parse gives the arena back untouched.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events_internal.h"

typedef struct in_ctx {
	svl_event_in *ev;
	svl_event_arena *arena;
	svl__path path;
	svl_event_error *err;
	const svl_event_type *type;
	uint32_t schema_version;
	const json_t *payload;
	const json_t *stream;
	int times;     /* occurred_at and occurred_at_ms seen */
} in_ctx;

static int fail(in_ctx *c, const char *key, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An error on envelope key `key` (NULL: the whole event). */
static int fail(in_ctx *c, const char *key, int rc, const char *fmt, ...)
{
	char what[SVL_EVENT_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	svl__path_init(&c->path, key);
	return svl__fail_at(c->err, &c->path, rc, "%s", what);
}

static void *take(svl_event_arena *a, size_t n)
{
	if (a->cap - a->used < n)
		return NULL;
	void *p = a->buf + a->used;
	a->used += n;
	return p;
}

static int arena_full(in_ctx *c)
{
	return fail(c, "event", SVL_ELIMIT, "%s",
		    "the event arena is full: append the batch and reset it");
}

static int copy_str(in_ctx *c, const json_t *j, const char *key,
		    size_t max, const char **out, size_t *out_len)
{
	if (!json_is_string(j))
		return fail(c, key, SVL_EINVAL, "expected string, got %s",
			    svl__json_kind_name(j));
	size_t n = json_string_length(j);
	if (n == 0 || n > max) {
		svl__path_init(&c->path, key);
		return svl__fail_at(c->err, &c->path, SVL_EINVAL,
				    "must be 1 to %zu bytes, got %zu", max, n);
	}
	char *p = take(c->arena, n);
	if (!p)
		return arena_full(c);
	memcpy(p, json_string_value(j), n);
	*out = p;
	*out_len = n;
	return SVL_OK;
}

static int hex_id(in_ctx *c, const json_t *j, const char *key, uint8_t *out)
{
	const char *s = json_string_value(j);
	if (!s || json_string_length(j) != 2 * SVL_ID_SIZE)
		return fail(c, key, SVL_EINVAL, "%s",
			    "expected 32 hex digits (a 16-byte id)");
	for (size_t k = 0; k < SVL_ID_SIZE; k++) {
		unsigned v = 0;
		for (size_t h = 0; h < 2; h++) {
			char ch = s[2 * k + h];
			unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
				     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
				     : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
							      : 16u;
			if (d > 15)
				return fail(c, key, SVL_EINVAL, "%s",
					    "expected 32 hex digits (a 16-byte id)");
			v = v * 16 + d;
		}
		out[k] = (uint8_t)v;
	}
	return SVL_OK;
}

static int opt_id(in_ctx *c, const json_t *j, const char *key,
		  const uint8_t **out)
{
	uint8_t *p = take(c->arena, SVL_ID_SIZE);
	if (!p)
		return arena_full(c);
	*out = p;
	return hex_id(c, j, key, p);
}

static int get_int(in_ctx *c, const json_t *j, const char *key,
		   int64_t min, int64_t max, int64_t *out)
{
	if (!json_is_integer(j))
		return fail(c, key, SVL_EINVAL, "expected integer, got %s",
			    svl__json_kind_name(j));
	*out = json_integer_value(j);
	if (*out < min || *out > max) {
		svl__path_init(&c->path, key);
		return svl__fail_at(c->err, &c->path, SVL_EINVAL,
				    "must be between %lld and %lld, got %lld",
				    (long long)min, (long long)max,
				    (long long)*out);
	}
	return SVL_OK;
}

static int get_type(in_ctx *c, const json_t *j)
{
	if (json_is_integer(j))
		c->type = svl_event_type_get((uint32_t)json_integer_value(j));
	else if (json_is_string(j))
		c->type = svl_event_type_find(json_string_value(j),
					      json_string_length(j));
	else
		return fail(c, "type", SVL_EINVAL, "expected string, got %s",
			    svl__json_kind_name(j));
	if (!c->type)
		return fail(c, "type", SVL_EINVAL, "unknown event type %s",
			    json_is_string(j) ? json_string_value(j) : "id");
	c->ev->type = c->type->id;
	return SVL_OK;
}

static int get_role(in_ctx *c, const json_t *j)
{
	int r = json_is_string(j) ? svl_role_find(json_string_value(j),
						  json_string_length(j))
				  : -1;
	if (r < 0)
		return fail(c, "role", SVL_EINVAL,
			    "expected one of the roles of domain.md section 1 "
			    "(service_manager ... general_manager), got %s",
			    json_is_string(j) ? json_string_value(j)
					      : svl__json_kind_name(j));
	c->ev->role = svl_role_name(r); /* static: no arena needed */
	c->ev->role_len = strlen(c->ev->role);
	return SVL_OK;
}

static int get_time(in_ctx *c, const json_t *j)
{
	if (!json_is_string(j) ||
	    svl_time_parse(&c->ev->occurred_at_ms, json_string_value(j),
			   json_string_length(j)) != SVL_OK)
		return fail(c, "occurred_at", SVL_EINVAL,
			    "expected an ISO-8601 time with offset like "
			    "2026-09-30T10:00:00+08:00, got %s",
			    json_is_string(j) ? json_string_value(j)
					      : svl__json_kind_name(j));
	return SVL_OK;
}

/* One envelope key; payload and stream are kept for later. */
static int envelope_key(in_ctx *c, const char *key, const json_t *j)
{
	svl_event_in *ev = c->ev;
	int64_t v;
	if (!strcmp(key, "type"))
		return get_type(c, j);
	if (!strcmp(key, "actor"))
		return copy_str(c, j, "actor", SVL_ACTOR_MAX, &ev->actor,
				&ev->actor_len);
	if (!strcmp(key, "role"))
		return get_role(c, j);
	if (!strcmp(key, "occurred_at")) {
		c->times++;
		return get_time(c, j);
	}
	if (!strcmp(key, "occurred_at_ms")) {
		c->times++;
		return get_int(c, j, key, SVL_TIME_MIN_MS, SVL_TIME_MAX_MS,
			       &ev->occurred_at_ms);
	}
	if (!strcmp(key, "recorded_at_ms"))
		return get_int(c, j, key, SVL_TIME_MIN_MS, SVL_TIME_MAX_MS,
			       &ev->recorded_at_ms);
	if (!strcmp(key, "id"))
		return hex_id(c, j, key, ev->id);
	if (!strcmp(key, "correlation_id"))
		return opt_id(c, j, key, &ev->correlation_id);
	if (!strcmp(key, "causation_id"))
		return opt_id(c, j, key, &ev->causation_id);
	if (!strcmp(key, "expected_version"))
		return get_int(c, j, key, SVL_VERSION_ANY, INT64_MAX,
			       &ev->expected_version);
	if (!strcmp(key, "schema_version")) {
		int rc = get_int(c, j, key, 1, UINT32_MAX, &v);
		c->schema_version = (uint32_t)v;
		return rc;
	}
	if (!strcmp(key, "payload")) {
		c->payload = j;
		return SVL_OK;
	}
	if (!strcmp(key, "stream")) {
		c->stream = j;
		return SVL_OK;
	}
	return fail(c, key, SVL_EINVAL, "%s", "unknown field");
}

static int required(in_ctx *c)
{
	if (!c->type)
		return fail(c, "type", SVL_EINVAL, "%s", "required field missing");
	if (!c->ev->actor)
		return fail(c, "actor", SVL_EINVAL, "%s", "required field missing");
	if (!c->ev->role)
		return fail(c, "role", SVL_EINVAL, "%s", "required field missing");
	if (c->times == 0)
		return fail(c, "occurred_at", SVL_EINVAL, "%s",
			    "required field missing (or give occurred_at_ms)");
	if (c->times > 1)
		return fail(c, "occurred_at", SVL_EINVAL, "%s",
			    "give occurred_at or occurred_at_ms, not both");
	if (!c->payload)
		return fail(c, "payload", SVL_EINVAL, "%s",
			    "required field missing");
	if (c->schema_version > c->type->version) {
		svl__path_init(&c->path, "schema_version");
		return svl__fail_at(c->err, &c->path, SVL_EINVAL,
				    "%s has no schema version %u (current %u)",
				    c->type->name, c->schema_version,
				    c->type->version);
	}
	return SVL_OK;
}

/* A payload of an older version: schema-less msgpack, then normalize
 * (which validates it at its version and upcasts it). */
static int old_payload(in_ctx *c, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t *tmp = malloc(SVL_PAYLOAD_MAX);
	if (!tmp)
		return fail(c, "payload", SVL_ENOMEM, "%s", "out of memory");
	svl__w w = {tmp, tmp + SVL_PAYLOAD_MAX};
	int rc = svl__json_to_mp(&w, c->payload, SVL_MSGPACK_DEPTH_MAX);
	if (rc == SVL_OK)
		rc = svl__normalize(out, cap, len, c->type, c->schema_version,
				    tmp, (size_t)(w.p - tmp), &c->path, c->err);
	else if (rc == SVL_ELIMIT)
		rc = fail(c, "payload", SVL_EINVAL, "%s",
			  "too large or too deeply nested");
	else
		rc = fail(c, "payload", SVL_EINVAL, "%s",
			  "real numbers are not allowed in payloads");
	free(tmp);
	return rc;
}

static int make_payload(in_ctx *c)
{
	svl_event_arena *a = c->arena;
	size_t room = a->cap - a->used;
	size_t cap = room < SVL_PAYLOAD_MAX ? room : SVL_PAYLOAD_MAX;
	uint8_t *out = a->buf + a->used;
	size_t len = 0;
	int rc;
	svl__path_init(&c->path, "payload");
	if (c->schema_version == 0 || c->schema_version == c->type->version)
		rc = svl__from_json(out, cap, &len, c->type, c->payload,
				    &c->path, c->err);
	else
		rc = old_payload(c, out, cap, &len);
	if (rc == SVL_ELIMIT && cap == SVL_PAYLOAD_MAX)
		return fail(c, "payload", SVL_EINVAL, "%s",
			    "larger than SVL_PAYLOAD_MAX bytes once encoded");
	if (rc == SVL_ELIMIT)
		return arena_full(c);
	if (rc != SVL_OK)
		return rc;
	a->used += len;
	c->ev->payload = out;
	c->ev->payload_len = len;
	c->ev->schema_version = c->type->version;
	return SVL_OK;
}

static int make_stream(in_ctx *c)
{
	svl_event_view view;
	char *out = (char *)c->arena->buf + c->arena->used;
	size_t room = c->arena->cap - c->arena->used, n;
	int rc = svl_event_decode(&view, c->type->id, c->type->version,
				  c->ev->payload, c->ev->payload_len);
	if (rc == SVL_OK)
		rc = svl_event_stream(out, room, &n, &view);
	if (rc == SVL_ELIMIT && room > SVL_STREAM_MAX)
		return fail(c, "payload", SVL_EINVAL, "%s",
			    "the stream id is longer than SVL_STREAM_MAX");
	if (rc == SVL_ELIMIT)
		return arena_full(c);
	if (rc != SVL_OK)
		return fail(c, "payload", SVL_EINVAL, "%s",
			    "no stream key in the payload");
	c->arena->used += n + 1;
	c->ev->stream = out;
	c->ev->stream_len = n;
	if (c->stream && (!json_is_string(c->stream) ||
			  json_string_length(c->stream) != n ||
			  memcmp(json_string_value(c->stream), out, n)))
		return fail(c, "stream", SVL_EINVAL,
			    "does not match the payload's stream \"%s\"", out);
	return SVL_OK;
}

int svl_event_input_jsont(svl_event_in *out, svl_event_arena *arena,
			  const json_t *obj, svl_event_error *err)
{
	svl_event_error scratch;
	in_ctx c;
	memset(&c, 0, sizeof c);
	c.err = err ? err : &scratch;
	svl__err_clear(c.err);
	if (!out || !arena || !obj || (!arena->buf && arena->cap) ||
	    arena->used > arena->cap)
		return fail(&c, "event", SVL_EMISUSE, "%s", "bad argument");
	memset(out, 0, sizeof *out);
	out->expected_version = SVL_VERSION_ANY;
	c.ev = out;
	c.arena = arena;
	if (!json_is_object(obj))
		return fail(&c, "event", SVL_EINVAL, "expected object, got %s",
			    svl__json_kind_name(obj));
	size_t saved = arena->used;
	const char *key;
	json_t *j;
	int rc = SVL_OK;
	json_object_foreach((json_t *)obj, key, j) {
		rc = envelope_key(&c, key, j);
		if (rc != SVL_OK)
			break;
	}
	if (rc == SVL_OK)
		rc = required(&c);
	if (rc == SVL_OK)
		rc = make_payload(&c);
	if (rc == SVL_OK)
		rc = make_stream(&c);
	if (rc != SVL_OK) {
		arena->used = saved; /* a failed parse takes nothing */
		memset(out, 0, sizeof *out);
	}
	return rc;
}

int svl_event_input_json(svl_event_in *out, svl_event_arena *arena,
			 const char *line, size_t len, svl_event_error *err)
{
	json_error_t je;
	svl__err_clear(err);
	if (!line)
		return SVL_EMISUSE;
	json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		if (err)
			snprintf(err->msg, sizeof err->msg,
				 "line: invalid JSON at column %d: %s",
				 je.column, je.text);
		return SVL_EINVAL;
	}
	int rc = svl_event_input_jsont(out, arena, j, err);
	json_decref(j);
	return rc;
}
