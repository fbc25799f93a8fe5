/*
 * svl_events.h - the dealership's event catalog: every business action of
 * the after-sales department (domain.md sections 2 and 3) as a typed event
 * with one schema, and the codecs that schema drives.
 *
 * The catalog is declared once, in catalog.def (an X-macro table shipped
 * beside this header). From it come the type ids (SVL_T_...), the field
 * indexes (SVL_F_<TYPE>_<FIELD>), the enum value constants
 * (SVL_<ENUM>_<VALUE>), the role bits, the validator, the msgpack encoder and
 * decoder, the JSON converters and docs/events.md. Nothing about a field is
 * written twice.
 *
 * Payload wire form: one msgpack map, keys are the field names (str), values
 *   int, time   msgpack int (times: UTC milliseconds)
 *   bool        msgpack bool
 *   str, id     msgpack str, UTF-8 (ids: ASCII [A-Za-z0-9] then [A-Za-z0-9._-])
 *   enum        msgpack str, one of the enum's values
 *   bin         msgpack str "warehouse-rack-shelf-position" (R-BIN-1)
 *   date        msgpack str "YYYY-MM-DD" (a calendar day in the ledger's zone)
 *   array       msgpack array of maps, each map one sub-record
 * Absent optional fields are left out (never nil). The canonical encoding
 * writes fields in schema order with the shortest integer and length
 * headers, so one payload has exactly one encoding (and one hash).
 *
 * Units: money in fen (int64), quantities in thousandths of the part's
 * unit (qty_milli), labour hours in thousandths (hours_milli), times in UTC
 * ms (*_at_ms), distances in km. The unit is always the last part of a name.
 *
 * Versions: each type has a current schema version. Payloads of older
 * versions are read through that type's upcaster into the current field
 * layout (fields added later get their documented default, then an
 * optional per-version function maps the rest); see docs/events.md.
 *
 * Threads: everything here is reentrant; the tables are static constants.
 * Memory: nothing here keeps memory between calls. svl_event_to_json and
 * svl_event_to_json_text return allocations the caller frees; JSON input
 * allocates scratch (freed before returning) only for documents too big
 * for its stack buffers (a few KB). Decoded values borrow the payload
 * bytes: they live as long as those bytes.
 */
#ifndef SVL_EVENTS_H
#define SVL_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "svl_error.h"
#include "svl_log.h"

#ifdef __cplusplus
extern "C" {
#endif


/* ---- Limits and units (every limit checked, SVL_EINVAL / SVL_ELIMIT) --- */

#define SVL_EVENT_FIELDS_MAX 24	   /* top-level fields of one type */
#define SVL_EVENT_SUBFIELDS_MAX 12 /* fields of one array element */
#define SVL_EVENT_ERR_MAX 512	   /* bytes of an error message */
#define SVL_EVENT_PATH_MAX 96	   /* bytes of an error's field path */
#define SVL_EV_ID_MAX 40	   /* bytes of an id (wo, part no, staff) */
#define SVL_EV_NAME_MAX 64	   /* bytes of a person's name, an item */
#define SVL_EV_NOTE_MAX 500	   /* bytes of a note or reason */
#define SVL_EV_TEXT_MAX 2000	   /* bytes of a description */
#define SVL_EV_ITEMS_MAX 500	   /* elements of one array */
#define SVL_FEN_MAX INT64_C(100000000000000)	 /* 1e12 yuan */
#define SVL_QTY_MILLI_MAX INT64_C(1000000000000) /* 1e9 units */
#define SVL_TIME_MIN_MS INT64_C(946684800000)	 /* 2000-01-01T00:00Z */
#define SVL_TIME_MAX_MS INT64_C(4102444800000)	 /* 2100-01-01T00:00Z */
#define SVL_MILEAGE_KM_MAX 3000000
#define SVL_LABOR_MIN_MAX 100000 /* minutes of labour on one job */
#define SVL_KEY_HEX 64	 /* hex digits of an Ed25519 public key */
#define SVL_SIG_HEX 128 /* hex digits of an Ed25519 signature */
#define SVL_DIGEST_HEX 64 /* hex digits of a BLAKE2b-256 digest */

/* ---- The catalog: enums, roles, type ids, field indexes ---------------
 *
 * catalog.def is read with these macros; each pass below keeps the columns
 * it needs. The generated names:
 *   SVL_<ENUM>_<VALUE>       index of an enum value (SVL_QC_STAGE_FINAL)
 *   SVL_<ENUM>__COUNT        number of values
 *   SVL_ROLE_<ROLE>          a role (domain.md section 1); SVL_RB(X) its bit
 *   SVL_T_<TYPE>             the stable numeric type id (SVL_T_PARTS_ISSUED)
 *   SVL_F_<TYPE>_<FIELD>     index of a top-level field in svl_event_view.v
 *   SVL_F_<TYPE>__COUNT      number of top-level fields
 *   SVL_F_<TYPE>_<ARRAY>_<FIELD>  index of a field in an array element
 *   SVL_F_<TYPE>_<ARRAY>__COUNT   number of fields of that element
 */

/* X-macro passes read better one per line: */
/* clang-format off */
#define SVL_ENUM(E, low, doc) enum {
#define SVL_ENUM_V(E, V, low, doc) SVL_##E##_##V,
#define SVL_ENUM_END(E) SVL_##E##__COUNT };
#include "catalog.def"

/* The bit of a role in svl_event_type.roles. */
#define SVL_RB(R) (1u << SVL_ROLE_##R)

#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc) \
	SVL_T_##T = id,
enum svl_event_type_id {
	SVL_T_NONE = 0,
#include "catalog.def"
};

#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc) enum {
#define SVL_FIELD(T, F, low, kind, req, min, max, en, since, dflt, doc) \
	SVL_F_##T##_##F,
#define SVL_ARRAY(T, F, low, req, min, max, since, doc) SVL_F_##T##_##F,
#define SVL_TYPE_END(T) SVL_F_##T##__COUNT };
#include "catalog.def"

#define SVL_ARRAY(T, A, low, req, min, max, since, doc) enum {
#define SVL_SUB(T, A, F, low, kind, req, min, max, en, since, dflt, doc) \
	SVL_F_##T##_##A##_##F,
#define SVL_ARRAY_END(T, A) SVL_F_##T##_##A##__COUNT };
#include "catalog.def"
/* clang-format on */

/* ---- Schema descriptors (read-only, static lifetime) ------------------- */

typedef enum svl_field_kind {
	SVL_KIND_INT = 1, /* int64 in [min, max]; unit in the field name */
	SVL_KIND_TIME,	  /* int64 UTC ms in [min, max]; JSON also ISO-8601 */
	SVL_KIND_BOOL,
	SVL_KIND_STR,	/* UTF-8, byte length in [min, max], no NUL */
	SVL_KIND_ID,	/* ASCII id, length in [min, max] */
	SVL_KIND_ENUM,	/* one of enum_def's values */
	SVL_KIND_BIN,	/* bin location, R-BIN-1 */
	SVL_KIND_DATE,	/* "YYYY-MM-DD" */
	SVL_KIND_ARRAY, /* sub-records, item count in [min, max] */
	SVL_KIND_HEX,	/* lowercase hex digits, length in [min, max] */
} svl_field_kind;

typedef struct svl_enum_def {
	const char *name; /* snake_case, e.g. "qc_stage" */
	const char *doc;
	uint32_t n;		   /* number of values */
	const char *const *values; /* n names, index = SVL_<ENUM>_<VALUE> */
	const char *const *docs;   /* n one-line docs */
} svl_enum_def;

typedef struct svl_field_def {
	const char *name; /* snake_case key in the payload */
	uint32_t name_len;
	svl_field_kind kind;
	int required;		      /* 1: must be present (current version) */
	uint32_t since;		      /* schema version that added the field */
	int64_t min, max;	      /* value range, length or item count */
	int64_t dflt;		      /* value read for versions < since when
				       * required (enum: index, bool: 0/1) */
	const svl_enum_def *enum_def; /* SVL_KIND_ENUM only */
	const struct svl_field_def *sub; /* SVL_KIND_ARRAY: element fields */
	uint32_t n_sub;
	const char *doc;
} svl_field_def;

typedef struct svl_event_type {
	uint32_t id;	  /* SVL_T_..., stable, never renumbered */
	const char *name; /* snake_case, e.g. "parts_issued" */
	uint32_t version; /* current schema version, >= 1 */
	const char
	    *stream_prefix; /* stream id = prefix "-" fields[stream_field] */
	uint32_t stream_field;
	uint32_t roles;	   /* SVL_RB() bits of the roles that may record it */
	/* space-separated R-... ids it is bound by: those its decider
	 * refuses with, then, after a '|', those it is recorded for (evidence
	 * or a figure) without a refusal */
	const char *rules;
	const char *doc;   /* one line */
	const svl_field_def *fields;
	uint32_t n_fields;
} svl_event_type;

/* svl_event_type_get - the type with numeric id `id`, or NULL. O(1). */
SVL_API const svl_event_type *svl_event_type_get(uint32_t id);

/* svl_event_type_find - the type named `name` (len bytes, no NUL needed),
 * or NULL. */
SVL_API const svl_event_type *svl_event_type_find(const char *name, size_t len);

/* svl_event_type_count / svl_event_type_at - iterate the catalog in id
 * order; svl_event_type_at returns NULL when i >= count. */
SVL_API size_t svl_event_type_count(void);
SVL_API const svl_event_type *svl_event_type_at(size_t i);

/* svl_event_type_allows - 1 if `role` (SVL_ROLE_...) is in t's roles
 * column (domain.md section 1), else 0. The column only; the deciders
 * apply finer rules (R-ISS-3, R-WOF-2, R-STK-2...). */
SVL_API int svl_event_type_allows(const svl_event_type *t, int role);

/* svl_role_name - "service_manager" ... for SVL_ROLE_...; NULL if out of
 * range. svl_role_find - the role named `name`, or -1. */
SVL_API const char *svl_role_name(int role);
SVL_API int svl_role_find(const char *name, size_t len);

/* svl_enum_find - index of `s` (len bytes) among e's values, or -1. */
SVL_API int svl_enum_find(const svl_enum_def *e, const char *s, size_t len);

/* ---- Errors ------------------------------------------------------------ */

/*
 * Filled by every function below that takes one (it may be NULL). msg is
 * one line: "<path>: <what was expected>, got <what was found>", e.g.
 *   lines[2].qty_milli: must be > 0, got -5
 *   part_no: required field missing
 *   colour: unknown field
 *   qty_milli: expected integer, got string
 * path is the field path alone ("" when the whole payload is at fault).
 * Both are cleared on entry, so they are "" after a success.
 */
typedef struct svl_event_error {
	char path[SVL_EVENT_PATH_MAX];
	char msg[SVL_EVENT_ERR_MAX];
} svl_event_error;

/* ---- Validation and canonical form ------------------------------------ */

/*
 * svl_event_validate - check a msgpack payload against the schema of type
 * `type` at `schema_version`: a map, no unknown or duplicate keys, every
 * required field present, every value of the right kind, in range, a known
 * enum value, a well-formed bin location or date, nothing after the map.
 * Keys may come in any order. An older version is checked after upcasting.
 * Returns SVL_OK, SVL_EINVAL (err says where and why), SVL_ENOTFOUND
 * (unknown type), SVL_EMISUSE (payload NULL).
 */
SVL_API int svl_event_validate(uint32_t type, uint32_t schema_version,
			       const uint8_t *payload, size_t len,
			       svl_event_error *err);

/*
 * svl_event_normalize - validate, upcast to the current version and write
 * the canonical encoding into out (cap bytes; SVL_PAYLOAD_MAX always
 * suffices). *out_len receives its length. out must not overlap payload.
 * Returns as svl_event_validate, plus SVL_ELIMIT when cap is too small.
 */
SVL_API int svl_event_normalize(uint8_t *out, size_t cap, size_t *out_len,
				uint32_t type, uint32_t schema_version,
				const uint8_t *payload, size_t len,
				svl_event_error *err);

/* ---- Decoding (the projections' hot path) -----------------------------
 *
 * A decoded value borrows the payload: strings point into it, not
 * NUL-terminated. What is set, by kind:
 *   int, time   i
 *   bool        i (0 or 1)
 *   str, id, bin  s, len
 *   enum        s, len, and i = value index (SVL_<ENUM>_<VALUE>), -1 unknown
 *   date        s, len, and i = days since 1970-01-01
 *   array       i = element count; s, len = the elements' msgpack bytes
 *               (walk them with svl_event_array_begin/next)
 * present is 0 for an absent optional field (then i = 0, s = NULL).
 */
typedef struct svl_value {
	int64_t i;
	const char *s;
	uint32_t len;
	uint8_t present;
} svl_value;

/* A decoded payload, in the current layout of its type. */
typedef struct svl_event_view {
	const svl_event_type *type;
	uint32_t schema_version; /* version the payload was written at */
	svl_value v[SVL_EVENT_FIELDS_MAX]; /* index with SVL_F_<TYPE>_<FIELD> */
} svl_event_view;

/*
 * svl_event_decode - decode payload bytes of `type` at `schema_version`
 * into out->v, indexed by the field constants, upcasting an older version
 * on the fly. Allocates nothing; costs one pass over the bytes. It checks
 * wire kinds and bounds (never reads outside the payload) but not ranges:
 * it is meant for payloads the log already validated. Unknown keys are
 * skipped. Returns SVL_OK, SVL_ENOTFOUND (unknown type), SVL_EINVAL
 * (schema_version 0 or newer than the catalog's), SVL_ECORRUPT (bytes do
 * not decode as that type). out borrows payload.
 */
SVL_API int svl_event_decode(svl_event_view *out, uint32_t type,
			     uint32_t schema_version, const uint8_t *payload,
			     size_t len);

/* An iterator over the elements of an array field of a decoded view. */
typedef struct svl_event_array {
	const svl_field_def *field; /* the array field */
	uint32_t schema_version;
	uint32_t left; /* elements not yet read */
	const uint8_t *p, *end;
} svl_event_array;

/*
 * svl_event_array_begin - start walking array field `field` (an
 * SVL_F_<TYPE>_<ARRAY> index) of a decoded view. An absent array walks as
 * empty. Returns SVL_OK, or SVL_EMISUSE if the field is not an array.
 */
SVL_API int svl_event_array_begin(svl_event_array *it,
				  const svl_event_view *view, uint32_t field);

/*
 * svl_event_array_next - decode the next element into elem[0 ..
 * SVL_EVENT_SUBFIELDS_MAX), indexed by SVL_F_<TYPE>_<ARRAY>_<FIELD>, with
 * the same rules as svl_event_decode. Returns SVL_OK, SVL_ITEROVER after
 * the last element, SVL_ECORRUPT. elem borrows the payload.
 */
SVL_API int svl_event_array_next(svl_event_array *it, svl_value *elem);

/* ---- Encoding from values (deciders build payloads with these) --------
 *
 * vals[k] is the value of field k (SVL_F_...), n_vals >= the type's field
 * count. Strings: s/len. Enums: s/len, or s = NULL and i = value index.
 * Dates: s/len "YYYY-MM-DD". Arrays: s/len = concatenated canonical
 * elements from svl_event_encode_element, i = their count.
 */

static inline svl_value svl_val_int(int64_t v)
{
	svl_value x = {v, NULL, 0, 1};
	return x;
}
static inline svl_value svl_val_bool(int b)
{
	svl_value x = {b ? 1 : 0, NULL, 0, 1};
	return x;
}
static inline svl_value svl_val_strn(const char *s, size_t n)
{
	svl_value x = {0, s, (uint32_t)n, 1};
	return x;
}
static inline svl_value svl_val_enum(int index)
{
	svl_value x = {index, NULL, 0, 1};
	return x;
}

/*
 * svl_event_encode - validate vals against the current schema of `type`
 * and write the canonical payload into out (cap bytes). Returns SVL_OK,
 * SVL_EINVAL (err names the field), SVL_ENOTFOUND, SVL_ELIMIT (cap).
 */
SVL_API int svl_event_encode(uint8_t *out, size_t cap, size_t *out_len,
			     uint32_t type, const svl_value *vals,
			     size_t n_vals, svl_event_error *err);

/*
 * svl_event_encode_element - the same for one element of array field
 * `field` of `type`: appends nothing, writes one canonical map into out.
 * Concatenate elements and pass them as the array's value.
 */
SVL_API int svl_event_encode_element(uint8_t *out, size_t cap, size_t *out_len,
				     uint32_t type, uint32_t field,
				     const svl_value *vals, size_t n_vals,
				     svl_event_error *err);

/* ---- Streams ----------------------------------------------------------- */

/*
 * svl_event_stream - the stream id of a decoded event: "<prefix>-<key>"
 * (e.g. "wo-WO2026-0001", "part-90915-YZZD4"), NUL-terminated in out (cap
 * >= SVL_STREAM_MAX + 1 always suffices); *out_len (may be NULL) gets its
 * length. Returns SVL_OK, SVL_EINVAL (key field absent), SVL_ELIMIT.
 */
SVL_API int svl_event_stream(char *out, size_t cap, size_t *out_len,
			     const svl_event_view *view);

/* svl_event_stream_of - the same from payload bytes (decodes them). */
SVL_API int svl_event_stream_of(char *out, size_t cap, size_t *out_len,
				uint32_t type, uint32_t schema_version,
				const uint8_t *payload, size_t len);

/* ---- JSON -------------------------------------------------------------- */

/*
 * svl_event_from_json_text - the canonical msgpack payload (current
 * version) of a JSON object given as text (len bytes), validated on the
 * way (same errors as validation; times may be integers of UTC ms or
 * ISO-8601 strings with an offset). Returns SVL_OK, SVL_EINVAL,
 * SVL_ENOTFOUND, SVL_ELIMIT.
 */
SVL_API int svl_event_from_json_text(uint8_t *out, size_t cap, size_t *out_len,
				     uint32_t type, const char *text,
				     size_t len, svl_event_error *err);

/*
 * svl_event_to_json_text - the payload as compact JSON text in the current
 * layout (fields in schema order, times as integer ms). *out is allocated
 * by the library: give it back with svl_free(). Returns SVL_OK,
 * SVL_ENOTFOUND, SVL_EINVAL (bad version), SVL_ECORRUPT (bytes do not
 * decode), SVL_ENOMEM.
 */
SVL_API int svl_event_to_json_text(char **out, uint32_t type,
				   uint32_t schema_version,
				   const uint8_t *payload, size_t len,
				   svl_event_error *err);

/* ---- Event input (one NDJSON line -> an event ready to append) -------- */

/* Caller-owned memory the input helper copies strings and payloads into,
 * so that a whole batch of parsed events can be appended at once. Give it
 * at least SVL_EVENT_ARENA_MIN bytes, so that any single event fits an
 * empty arena (then SVL_ELIMIT always means "flush and retry"). */
#define SVL_EVENT_ARENA_MIN                                                    \
	(SVL_PAYLOAD_MAX + SVL_STREAM_MAX + 1 + SVL_ACTOR_MAX + 2 * SVL_ID_SIZE)

typedef struct svl_event_arena {
	uint8_t *buf;
	size_t cap;
	size_t used; /* bytes taken; reset to 0 to reuse after appending */
} svl_event_arena;

/*
 * svl_event_input_json - parse one event line:
 *   {"type":"parts_issued", "actor":"E012", "role":"warehouse_keeper",
 *    "occurred_at":"2026-09-30T10:00:00+08:00" |
 * "occurred_at_ms":1759197600000, "id":"<32 hex>"?, "correlation_id"?,
 * "causation_id"?, "expected_version":<int>?, "schema_version":<int>?,
 * "stream":"..."?, "payload":{...}} and fill *out (schema version = the type's
 * current one; an older "schema_version" is upcast; a given "stream" must equal
 * the derived one; expected_version defaults to SVL_VERSION_ANY; a missing id
 * is all zero, which the log replaces by a generated one). Strings, ids and the
 * canonical payload are copied into the arena; out's pointers borrow it.
 * Returns SVL_OK, SVL_EINVAL (err.path names the envelope key or
 * "payload.<field path>"), SVL_ELIMIT (the arena is full: nothing was
 * taken from it; append what you have, reset it and retry).
 */
SVL_API int svl_event_input_json(svl_event_in *out, svl_event_arena *arena,
				 const char *line, size_t len,
				 svl_event_error *err);

/*
 * svl_time_parse - ISO-8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)"
 * (len bytes) to UTC ms, within [SVL_TIME_MIN_MS, SVL_TIME_MAX_MS) (the
 * years 2000 to 2099, as the _ms fields). Returns SVL_OK or SVL_EINVAL.
 */
SVL_API int svl_time_parse(int64_t *out_ms, const char *s, size_t len);

/* ---- Samples and docs -------------------------------------------------- */

/* svl_event_sample_json - a realistic payload of `type` as JSON text
 * (static, never free it), or NULL for an unknown type. The tests, the
 * rule tests and the demo share these. */
SVL_API const char *svl_event_sample_json(uint32_t type);

/* svl_events_doc_markdown - write docs/events.md (the catalog, generated
 * from the schema table) to `out`. Returns SVL_OK or SVL_EIO. */
SVL_API int svl_events_doc_markdown(FILE *out);

#ifdef __cplusplus
}
#endif
#endif /* SVL_EVENTS_H */
