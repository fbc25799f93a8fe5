/*
 * cli_json.c - JSON output helpers: text that may not be UTF-8, hex and
 * base64 bytes, and a msgpack payload converted to JSON.
 *
 * The converter uses msgpack-c, the reference decoder, rather than the
 * engine's private reader: what `svcledger log --ndjson` shows is what any
 * third-party msgpack decoder would see in the ledger. The engine already
 * bounds payload nesting (SVL_MSGPACK_DEPTH_MAX), and the converter checks
 * the depth again because it may be handed arbitrary bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "cli.h"

/* Text JSON can carry and any JSON reader reads back: UTF-8 without NUL
 * (jansson and many others refuse \u0000). Anything else as {"$hex"}. */
json_t *cli_json_text(const char *s, size_t n)
{
	json_t *v = n && memchr(s, '\0', n) ? NULL : json_stringn(s, n);
	if (v)
		return v;
	char *hex = malloc(CLI_HEX_SIZE(n));
	if (!hex)
		return NULL;
	v = json_pack("{s:s}", "$hex", cli_hex(hex, (const uint8_t *)s, n));
	free(hex);
	return v;
}

json_t *cli_json_base64(const uint8_t *b, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t olen = 4 * ((n + 2) / 3);
	char *out = malloc(olen + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t w = (uint32_t)b[i] << 16;
		if (i + 1 < n)
			w |= (uint32_t)b[i + 1] << 8;
		if (i + 2 < n)
			w |= b[i + 2];
		out[o++] = tab[(w >> 18) & 63];
		out[o++] = tab[(w >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(w >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[w & 63] : '=';
	}
	json_t *v = json_stringn(out, o);
	free(out);
	return v;
}

json_t *cli_json_hex(const uint8_t *bytes, size_t n)
{
	if (!bytes)
		return json_null();
	char *hex = malloc(CLI_HEX_SIZE(n));
	if (!hex)
		return NULL;
	json_t *v = json_string(cli_hex(hex, bytes, n));
	free(hex);
	return v;
}

/* ---- msgpack to JSON ---- */

static json_t *convert(const msgpack_object *o, int depth);

/* A map key as a JSON object key: strings as themselves, anything else as
 * its compact JSON text. Caller frees; *len gets its length. */
static char *key_text(const msgpack_object *k, int depth, size_t *len)
{
	if (k->type == MSGPACK_OBJECT_STR &&
	    !(k->via.str.size && memchr(k->via.str.ptr, '\0', k->via.str.size))) {
		char *s = malloc(k->via.str.size + 1);
		if (s) { /* an empty key has no bytes: ptr may be NULL */
			if (k->via.str.size)
				memcpy(s, k->via.str.ptr, k->via.str.size);
			s[k->via.str.size] = '\0';
		}
		*len = k->via.str.size;
		return s;
	}
	json_t *j = convert(k, depth);
	if (!j)
		return NULL;
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	*len = s ? strlen(s) : 0;
	return s;
}

static json_t *convert_map(const msgpack_object_map *m, int depth)
{
	json_t *obj = json_object();
	for (uint32_t i = 0; obj && i < m->size; i++) {
		size_t klen = 0;
		char *key = key_text(&m->ptr[i].key, depth, &klen);
		json_t *val = convert(&m->ptr[i].val, depth);
		/* a key of bad UTF-8 fails here: the caller falls back to
		 * base64 for the whole payload */
		if (!key || !val) {
			json_decref(val);
			json_decref(obj);
			obj = NULL;
		} else if (json_object_setn_new(obj, key, klen, val) != 0) {
			json_decref(obj);
			obj = NULL;
		}
		free(key);
	}
	return obj;
}

static json_t *convert_array(const msgpack_object_array *a, int depth)
{
	json_t *arr = json_array();
	for (uint32_t i = 0; arr && i < a->size; i++) {
		if (json_array_append_new(arr, convert(&a->ptr[i], depth))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

static json_t *convert_uint(uint64_t u)
{
	if (u <= INT64_MAX)
		return json_integer((json_int_t)u);
	char buf[24];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)u);
	return json_string(buf);
}

static json_t *convert(const msgpack_object *o, int depth)
{
	if (depth > SVL_MSGPACK_DEPTH_MAX)
		return NULL;
	switch (o->type) {
	case MSGPACK_OBJECT_NIL: return json_null();
	case MSGPACK_OBJECT_BOOLEAN: return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_POSITIVE_INTEGER: return convert_uint(o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return json_integer(o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: return json_real(o->via.f64);
	case MSGPACK_OBJECT_STR:
		return cli_json_text(o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_BIN:
		return json_pack("{s:o}", "$bin",
				 cli_json_base64((const uint8_t *)o->via.bin.ptr,
						 o->via.bin.size));
	case MSGPACK_OBJECT_EXT:
		return json_pack("{s:i,s:o}", "$ext", (int)o->via.ext.type,
				 "data",
				 cli_json_base64((const uint8_t *)o->via.ext.ptr,
						 o->via.ext.size));
	case MSGPACK_OBJECT_ARRAY:
		return convert_array(&o->via.array, depth + 1);
	case MSGPACK_OBJECT_MAP: return convert_map(&o->via.map, depth + 1);
	}
	return NULL;
}

json_t *cli_msgpack_to_json(const uint8_t *bytes, size_t n)
{
	msgpack_zone zone;
	if (!msgpack_zone_init(&zone, 2048))
		return NULL;
	msgpack_object obj;
	size_t off = 0;
	json_t *out = NULL;
	msgpack_unpack_return r =
		msgpack_unpack((const char *)bytes, n, &off, &zone, &obj);
	if (r == MSGPACK_UNPACK_SUCCESS && off == n)
		out = convert(&obj, 0);
	msgpack_zone_destroy(&zone);
	return out;
}

int cli_json_print(const cli_ctx *ctx, json_t *v)
{
	if (!v)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	int bad = json_dumpf(v, stdout, JSON_COMPACT) != 0 ||
		  fputc('\n', stdout) < 0;
	json_decref(v);
	return bad ? cli_error(ctx, CLI_EXIT_ERROR, "cannot write output")
		   : CLI_EXIT_OK;
}
