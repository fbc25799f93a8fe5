/*
 * input.c - one NDJSON line (or JSON object) -> an svl_event_in ready for
 * svl_log_append, with its stream derived from the payload.
 *
 * Why an arena: the CLI's append and an embedding application parse many
 * lines and append them as one batch; every string and payload the events
 * point to must outlive the parse. Copying them into caller memory keeps
 * the parse allocation-free and lets the caller free a whole batch at
 * once (reset `used`). A failed parse gives the arena back untouched.
 * Lines are tokenized by jtok.c (no jansson tree per line: that would be
 * most of an import's time).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"

typedef struct in_ctx {
	svl_event_in *ev;
	svl_event_arena *arena;
	svl__path path;
	svl_event_error *err;
	const svl_event_type *type;
	uint32_t schema_version;
	const svl__jdoc *d;
	int64_t payload; /* token index, -1 = absent */
	int64_t stream;	 /* token index, -1 = absent */
	int times;	 /* occurred_at and occurred_at_ms seen */
	unsigned seen;	 /* envelope keys seen, to refuse duplicates */
} in_ctx;

static int fail(in_ctx *c, const char *key, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error on envelope key `key` ("event": the whole line). */
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

/* Text of a token for messages: escaped, cut to one line's worth. */
#define SHOW(t) svl__shown(sb, (t)->s, (t)->len)

static int copy_str(in_ctx *c, const svl__jtok *j, const char *key, size_t max,
		    const char **out, size_t *out_len)
{
	if (j->type != SVL__JT_STR)
		return fail(c, key, SVL_EINVAL, "expected string, got %s",
			    svl__jt_name(j));
	if (j->len == 0 || j->len > max)
		return fail(c, key, SVL_EINVAL,
			    "must be 1 to %zu bytes, got %u", max, j->len);
	char *p = take(c->arena, j->len);
	if (!p)
		return arena_full(c);
	memcpy(p, j->s, j->len);
	*out = p;
	*out_len = j->len;
	return SVL_OK;
}

static int hex_id(in_ctx *c, const svl__jtok *j, const char *key, uint8_t *out)
{
	static const char *const want = "expected 32 hex digits (a 16-byte id)";
	if (j->type != SVL__JT_STR || j->len != 2 * SVL_ID_SIZE)
		return fail(c, key, SVL_EINVAL, "%s", want);
	for (size_t k = 0; k < SVL_ID_SIZE; k++) {
		unsigned v = 0;
		for (size_t h = 0; h < 2; h++) {
			char ch = j->s[2 * k + h];
			unsigned d =
			    ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
			    : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
			    : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
						     : 16u;
			if (d > 15)
				return fail(c, key, SVL_EINVAL, "%s", want);
			v = v * 16 + d;
		}
		out[k] = (uint8_t)v;
	}
	return SVL_OK;
}

static int opt_id(in_ctx *c, const svl__jtok *j, const char *key,
		  const uint8_t **out)
{
	uint8_t *p = take(c->arena, SVL_ID_SIZE);
	if (!p)
		return arena_full(c);
	*out = p;
	return hex_id(c, j, key, p);
}

static int get_int(in_ctx *c, const svl__jtok *j, const char *key, int64_t min,
		   int64_t max, int64_t *out)
{
	if (j->type != SVL__JT_INT)
		return fail(c, key, SVL_EINVAL, "expected integer, got %s",
			    svl__jt_name(j));
	*out = j->i;
	if (*out < min || *out > max)
		return fail(c, key, SVL_EINVAL,
			    "must be between %lld and %lld, got %lld",
			    (long long)min, (long long)max, (long long)*out);
	return SVL_OK;
}

static int get_type(in_ctx *c, const svl__jtok *j)
{
	char sb[SVL__SHOWN_SIZE];
	if (j->type == SVL__JT_INT)
		c->type = j->i > 0 && j->i <= UINT32_MAX
			      ? svl_event_type_get((uint32_t)j->i)
			      : NULL;
	else if (j->type == SVL__JT_STR)
		c->type = svl_event_type_find(j->s, j->len);
	else
		return fail(c, "type", SVL_EINVAL, "expected string, got %s",
			    svl__jt_name(j));
	if (!c->type && j->type == SVL__JT_STR)
		return fail(c, "type", SVL_EINVAL, "unknown event type %s",
			    SHOW(j));
	if (!c->type)
		return fail(c, "type", SVL_EINVAL, "unknown event type %lld",
			    (long long)j->i);
	c->ev->type = c->type->id;
	return SVL_OK;
}

static int get_role(in_ctx *c, const svl__jtok *j)
{
	char sb[SVL__SHOWN_SIZE];
	int r = j->type == SVL__JT_STR ? svl_role_find(j->s, j->len) : -1;
	if (r < 0 && j->type == SVL__JT_STR)
		return fail(c, "role", SVL_EINVAL,
			    "expected one of the roles of domain.md section 1 "
			    "(service_manager ... general_manager), got %s",
			    SHOW(j));
	if (r < 0)
		return fail(c, "role", SVL_EINVAL, "expected string, got %s",
			    svl__jt_name(j));
	c->ev->role = svl_role_name(r); /* static: no arena needed */
	c->ev->role_len = strlen(c->ev->role);
	return SVL_OK;
}

static int get_time(in_ctx *c, const svl__jtok *j)
{
	char sb[SVL__SHOWN_SIZE];
	if (j->type != SVL__JT_STR)
		return fail(c, "occurred_at", SVL_EINVAL,
			    "expected string, got %s", svl__jt_name(j));
	if (svl_time_parse(&c->ev->occurred_at_ms, j->s, j->len) != SVL_OK)
		return fail(c, "occurred_at", SVL_EINVAL,
			    "expected an ISO-8601 time with offset like "
			    "2026-09-30T10:00:00+08:00 (years 2000 to 2099), "
			    "got %s",
			    SHOW(j));
	return SVL_OK;
}

static const char *const envelope_keys[] = {
    "type",
    "actor",
    "role",
    "occurred_at",
    "occurred_at_ms",
    "recorded_at_ms",
    "id",
    "correlation_id",
    "causation_id",
    "expected_version",
    "schema_version",
    "payload",
    "stream",
};

/* One envelope key; payload and stream are kept for later. */
static int envelope_key(in_ctx *c, unsigned key, uint32_t vk)
{
	svl_event_in *ev = c->ev;
	const svl__jtok *j = &c->d->t[vk];
	const char *name = envelope_keys[key];
	int64_t v;
	int rc;
	switch (key) {
	case 0:
		return get_type(c, j);
	case 1: /* a staff id: shown in tables, exported, imported */
		if (j->type == SVL__JT_STR && !svl__text_plain(j->s, j->len, false))
			return fail(c, name, SVL_EINVAL, "%s",
				    "expected UTF-8 text without control "
				    "characters or NUL");
		return copy_str(c, j, name, SVL_ACTOR_MAX, &ev->actor,
				&ev->actor_len);
	case 2:
		return get_role(c, j);
	case 3:
		c->times++;
		return get_time(c, j);
	case 4:
		c->times++;
		return get_int(c, j, name, SVL_TIME_MIN_MS, SVL_TIME_MAX_MS,
			       &ev->occurred_at_ms);
	case 5: /* the ledger's clock alone: a client could push it ahead */
		return fail(c, name, SVL_EINVAL, "%s",
			    "set by the ledger when it records the event, not "
			    "by the client (import restores it from an "
			    "export)");
	case 6:
		return hex_id(c, j, name, ev->id);
	case 7:
		return opt_id(c, j, name, &ev->correlation_id);
	case 8:
		return opt_id(c, j, name, &ev->causation_id);
	case 9:
		return get_int(c, j, name, SVL_VERSION_ANY, INT64_MAX,
			       &ev->expected_version);
	case 10:
		rc = get_int(c, j, name, 1, UINT32_MAX, &v);
		c->schema_version = (uint32_t)v;
		return rc;
	case 11:
		c->payload = vk;
		return SVL_OK;
	default:
		c->stream = vk;
		return SVL_OK;
	}
}

static int envelope(in_ctx *c)
{
	const svl__jtok *obj = &c->d->t[0];
	if (obj->type != SVL__JT_OBJ)
		return fail(c, "event", SVL_EINVAL, "expected object, got %s",
			    svl__jt_name(obj));
	uint32_t k = 1;
	for (uint32_t m = 0; m < obj->size; m++) {
		const svl__jtok *kt = &c->d->t[k];
		unsigned e = 0;
		while (e < sizeof envelope_keys / sizeof envelope_keys[0] &&
		       (strlen(envelope_keys[e]) != kt->len ||
			memcmp(envelope_keys[e], kt->s, kt->len)))
			e++;
		if (e == sizeof envelope_keys / sizeof envelope_keys[0]) {
			char key[SVL_EVENT_PATH_MAX], sb[SVL__SHOWN_SIZE];
			snprintf(key, sizeof key, "%s", SHOW(kt));
			return fail(c, key, SVL_EINVAL, "%s", "unknown field");
		}
		if (c->seen & (1u << e))
			return fail(c, envelope_keys[e], SVL_EINVAL, "%s",
				    "duplicate field");
		c->seen |= 1u << e;
		int rc = envelope_key(c, e, kt->next);
		if (rc != SVL_OK)
			return rc;
		k = c->d->t[kt->next].next;
	}
	return SVL_OK;
}

static int required(in_ctx *c)
{
	if (!c->type)
		return fail(c, "type", SVL_EINVAL, "%s",
			    "required field missing");
	if (!c->ev->actor)
		return fail(c, "actor", SVL_EINVAL, "%s",
			    "required field missing");
	if (!c->ev->role)
		return fail(c, "role", SVL_EINVAL, "%s",
			    "required field missing");
	if (c->times == 0)
		return fail(c, "occurred_at", SVL_EINVAL, "%s",
			    "required field missing (or give occurred_at_ms)");
	if (c->times > 1)
		return fail(c, "occurred_at", SVL_EINVAL, "%s",
			    "give occurred_at or occurred_at_ms, not both");
	if (c->payload < 0)
		return fail(c, "payload", SVL_EINVAL, "%s",
			    "required field missing");
	if (c->schema_version > c->type->version)
		return fail(c, "schema_version", SVL_EINVAL,
			    "%s has no schema version %u (current %u)",
			    c->type->name, c->schema_version, c->type->version);
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
	int rc = svl__jtok_to_mp(&w, c->d, (uint32_t)c->payload);
	if (rc == SVL_OK)
		rc = svl__normalize(out, cap, len, c->type, c->schema_version,
				    tmp, (size_t)(w.p - tmp), &c->path, c->err);
	else if (rc == SVL_ELIMIT)
		rc = fail(c, "payload", SVL_EINVAL, "%s",
			  "larger than SVL_PAYLOAD_MAX bytes once encoded");
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
		rc = svl__from_jtok(out, cap, &len, c->type, c->d,
				    (uint32_t)c->payload, &c->path, c->err);
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
	if (c->stream >= 0) {
		const svl__jtok *j = &c->d->t[c->stream];
		if (j->type != SVL__JT_STR || j->len != n ||
		    memcmp(j->s, out, n))
			return fail(
			    c, "stream", SVL_EINVAL,
			    "does not match the payload's stream \"%s\"", out);
	}
	return SVL_OK;
}

static int input_doc(svl_event_in *out, svl_event_arena *arena,
		     const svl__jdoc *d, svl_event_error *err)
{
	in_ctx c;
	memset(&c, 0, sizeof c);
	c.err = err;
	c.d = d;
	c.payload = c.stream = -1;
	memset(out, 0, sizeof *out);
	out->expected_version = SVL_VERSION_ANY;
	c.ev = out;
	c.arena = arena;
	size_t saved = arena->used;
	int rc = envelope(&c);
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

static bool args_ok(svl_event_in *out, const svl_event_arena *arena)
{
	return out && arena && (arena->buf || !arena->cap) &&
	       arena->used <= arena->cap;
}

/* Lines of ordinary events parse into these without a malloc. */
#define LOCAL_TOKENS 512
#define LOCAL_ESC 4096

int svl_event_input_json(svl_event_in *out, svl_event_arena *arena,
			 const char *line, size_t len, svl_event_error *err)
{
	svl_event_error scratch;
	svl__jtok toks[LOCAL_TOKENS];
	char esc[LOCAL_ESC];
	svl__jdoc d = {toks, 0, LOCAL_TOKENS, esc, 0, LOCAL_ESC, 0, 0};
	svl__path path;
	size_t col;
	const char *why;
	if (!err)
		err = &scratch;
	svl__err_clear(err);
	svl__path_init(&path, "event");
	if (!line || !args_ok(out, arena))
		return svl__fail_at(err, &path, SVL_EMISUSE, "bad argument");
	int rc = svl__jparse(&d, line, len, &col, &why);
	if (rc == SVL_ELIMIT) {
		if (svl__jdoc_grow(&d, len) != SVL_OK)
			return svl__fail_at(err, &path, SVL_ENOMEM,
					    "out of memory");
		rc = svl__jparse(&d, line, len, &col, &why);
	}
	if (rc == SVL_OK)
		rc = input_doc(out, arena, &d, err);
	else
		rc = svl__fail_at(err, &path, SVL_EINVAL,
				  "invalid JSON at column %zu: %s", col, why);
	svl__jdoc_free(&d);
	return rc;
}

int svl_event_input_jsont(svl_event_in *out, svl_event_arena *arena,
			  const json_t *obj, svl_event_error *err)
{
	svl_event_error scratch;
	svl__jtok toks[LOCAL_TOKENS];
	svl__jdoc d = {toks, 0, LOCAL_TOKENS, NULL, 0, 0, 0, 0};
	svl__path path;
	if (!err)
		err = &scratch;
	svl__err_clear(err);
	svl__path_init(&path, "event");
	if (!obj || !args_ok(out, arena))
		return svl__fail_at(err, &path, SVL_EMISUSE, "bad argument");
	int rc = svl__jdoc_from_json_t(&d, obj);
	for (size_t n = 4 * LOCAL_TOKENS; rc == SVL_ELIMIT; n *= 4) {
		svl__jdoc_free(&d);
		if (svl__jdoc_grow(&d, n) != SVL_OK)
			return svl__fail_at(err, &path, SVL_ENOMEM,
					    "out of memory");
		rc = svl__jdoc_from_json_t(&d, obj);
	}
	if (rc == SVL_OK)
		rc = input_doc(out, arena, &d, err);
	else
		rc = svl__fail_at(err, &path, SVL_EINVAL, "nested too deeply");
	svl__jdoc_free(&d);
	return rc;
}
