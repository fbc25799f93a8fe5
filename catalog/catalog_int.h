/*
 * catalog_int.h - what the files of catalog/ share: error and path
 * helpers, the value checks every codec applies, the record reader and
 * writer cores, and the upcaster table. Nothing here is public API.
 *
 * Shape: every codec turns its input into an array of svl_value (one per
 * field, in schema order) and hands it to the same checks and the same
 * writer, so validation, msgpack, JSON and the C encoder cannot disagree
 * on what a field accepts.
 */
#ifndef SVL_CATALOG_INT_H
#define SVL_CATALOG_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "mp.h"
#include "svl_events.h"
#include "svl_jansson.h" /* the json_t calls the catalog defines */

/* ---- schema.c ---- */
const svl_enum_def *svl__role_enum(void);
size_t svl__enum_count(void);
const svl_enum_def *svl__enum_at(size_t i);

/* ---- check.c: paths, errors, value checks ---- */

/* A field path being built while descending ("lines[2].qty_milli"). */
typedef struct svl__path {
	char buf[SVL_EVENT_PATH_MAX];
	size_t len;
} svl__path;

void svl__path_init(svl__path *p, const char *prefix);
/* push ".name" (or "name" at the root); returns the length to pop back to */
size_t svl__path_key(svl__path *p, const char *name, size_t n);
size_t svl__path_index(svl__path *p, uint32_t k);
void svl__path_pop(svl__path *p, size_t saved);

/* Fill err (may be NULL) with "<path>: <message>" and return rc. */
int svl__fail_at(svl_event_error *err, const svl__path *p, int rc,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void svl__err_clear(svl_event_error *err);

/* Check one present value against its field (range, length, enum, id,
 * bin, date, item count). Array elements are not walked here. */
int svl__check_value(const svl_field_def *f, const svl_value *v, svl__path *p,
		     svl_event_error *err);

/* Whether s (n bytes) is lowercase hex digits only (the HEX kind). */
bool svl__hex_lower(const char *s, size_t n);
bool svl__utf8_valid(const char *s, size_t n);
/* An id (letters, digits, '.', '_', '-'; starting with a letter or digit)
 * and a bin location (R-BIN-1: four segments like W1-A03-2-05). */
bool svl__id_valid(const char *s, size_t n);
bool svl__bin_valid(const char *s, size_t n);
/* UTF-8 without control characters (with lines: tab and LF allowed). */
bool svl__text_plain(const char *s, size_t n, bool lines);

/* Outside text for a message: at most 40 bytes of s, with quotes,
 * backslashes, control characters and NUL escaped (\x00), "..." when cut,
 * so that a message stays one whole line. buf holds SVL__SHOWN_SIZE. */
#define SVL__SHOWN_SIZE (40 * 4 + 4)
const char *svl__shown(char *buf, const char *s, size_t n);

/* ---- check.c: the calendar primitives (model/calendar.h re-exports
 * them and builds the rest of the calendar on them) ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31;
 * any year, negative too). */
int64_t svl__days_from_civil(int64_t y, unsigned m, unsigned d);
/* Days since 1970-01-01 of a valid "YYYY-MM-DD" (years 0000-9999; the
 * month's days checked, leap years too), or false (*days untouched). */
bool svl__civil_parse(const char *s, size_t n, int64_t *days);
/* The same for a DATE field, which is from 1970-01-01 on. */
bool svl__date_parse(const char *s, size_t n, int64_t *days);

/* What svl__datetime_parse accepts: RFC 3339 exactly ("T", seconds and
 * an offset required), or what a person types on a command line (also
 * ' ' for 'T', "HH:MM" without seconds, a leap second 60, no offset). */
enum svl__dt_form { SVL__DT_RFC3339, SVL__DT_TYPED };

/* A date-time as written: its wall-clock time and its offset. */
typedef struct svl__datetime {
	int64_t wall_ms;    /* the date and time read, counted as if UTC */
	int32_t offset_min; /* east of UTC; 0 for Z or none */
	bool has_offset;    /* false: none written (SVL__DT_TYPED only) */
} svl__datetime;

/* "YYYY-MM-DD(T|t)HH:MM:SS[.f{1,9}](Z|z|+HH:MM|-HH:MM)" (n bytes of s;
 * any year 0000-9999, offset up to 14:59, fraction digits past the
 * millisecond cut off), widened by form. The UTC time is wall_ms -
 * offset_min minutes. The one reader of date-times: svl_time_parse is it
 * with the event time range, the command line's times (calendar.h) are
 * it with a zone for a missing offset. */
bool svl__datetime_parse(svl__datetime *out, const char *s, size_t n,
			 enum svl__dt_form form);

/* ---- read.c: msgpack record reader ---- */

typedef struct svl__rctx {
	uint32_t version; /* schema version of the bytes */
	/* top-level record of an old version: the keys its upcasters consume
	 * are allowed (strict mode); NULL for array elements */
	const svl_event_type *upcast_type;
	svl__path *path;      /* strict mode only */
	svl_event_error *err; /* NULL = fast mode (decoder) */
	uint32_t current;     /* the type's version; 0 = not known */
} svl__rctx;

/* Read one map of fields into vals[0..n) and apply the since-defaults.
 * Strict mode reports unknown, duplicate and mistyped keys; fast mode
 * skips unknown keys and returns SVL_ECORRUPT on anything else wrong. */
int svl__read_record(svl_mp_reader *r, const svl_field_def *fields, uint32_t n,
		     svl_value *vals, const svl__rctx *c);

/* Required fields present and every present value valid; with
 * walk_arrays, array elements are read and checked too. */
int svl__check_record(const svl_field_def *fields, uint32_t n,
		      const svl_value *vals, const svl__rctx *c,
		      bool walk_arrays);

/* Lookup and version check shared by the public entry points. */
int svl__type_version(const svl_event_type **out, uint32_t type,
		      uint32_t version, svl__path *p, svl_event_error *err);

/* Read a whole payload (map, upcasters, nothing after it). */
int svl__read_payload(const svl_event_type *t, const uint8_t *payload,
		      size_t len, svl_value *vals, const svl__rctx *c);

const char *svl__mp_kind_name(enum svl_mp_kind k);

/* ---- write.c: canonical msgpack writer ---- */

typedef struct svl__w {
	uint8_t *p, *end;
} svl__w;

/* Writes the elements of array field f (value v) after its key. */
typedef int (*svl__array_writer)(void *ctx, svl__w *w, const svl_field_def *f,
				 uint32_t index, const svl_value *v,
				 svl__path *p, svl_event_error *err);

int svl__write_record(svl__w *w, const svl_field_def *fields, uint32_t n,
		      const svl_value *vals, svl__array_writer aw, void *ctx,
		      svl__path *p, svl_event_error *err);

/* ---- jtok.c: JSON as a flat token array ---- */

enum svl__jt {
	SVL__JT_OBJ,
	SVL__JT_ARR,
	SVL__JT_STR,
	SVL__JT_INT,
	SVL__JT_REAL,
	SVL__JT_TRUE,
	SVL__JT_FALSE,
	SVL__JT_NULL,
};

/* One JSON value. An object is followed by its size key/value pairs (key
 * token, then the value's tokens), an array by its size elements; `next`
 * is the index just past the whole subtree (how siblings are found). */
typedef struct svl__jtok {
	uint8_t type;  /* enum svl__jt */
	uint32_t size; /* OBJ: pairs, ARR: elements */
	uint32_t next;
	uint32_t len; /* STR: bytes at s (escapes decoded, not NUL-ended) */
	const char *s;
	int64_t i; /* INT */
} svl__jtok;

typedef struct svl__jdoc {
	svl__jtok *t;
	uint32_t n, cap;
	char *esc; /* decoded strings that had escapes */
	size_t esc_used, esc_cap;
	int full;  /* the last parse ran out of tokens or esc room */
	int owned; /* t and esc are malloc'd (svl__jdoc_grow) */
} svl__jdoc;

/* Parse text into d. SVL_EINVAL (err_col, why say where and what),
 * SVL_ELIMIT (d too small: grow and retry). */
int svl__jparse(svl__jdoc *d, const char *text, size_t len, size_t *err_col,
		const char **why);
struct json_t;
int svl__jdoc_from_json_t(svl__jdoc *d, const struct json_t *v);
/* Give d room for any text of text_len bytes (malloc'd). */
int svl__jdoc_grow(svl__jdoc *d, size_t text_len);
void svl__jdoc_free(svl__jdoc *d);
const char *svl__jt_name(const svl__jtok *t);

/* ---- json.c ---- */

/* Token k (an object) -> canonical payload of t, path-prefixed errors. */
int svl__from_jtok(uint8_t *out, size_t cap, size_t *out_len,
		   const svl_event_type *t, const svl__jdoc *d, uint32_t k,
		   svl__path *p, svl_event_error *err);
/* Any token subtree as schema-less msgpack (old-version input). */
int svl__jtok_to_mp(svl__w *w, const svl__jdoc *d, uint32_t k);

/* svl_event_normalize with a path prefix, type already checked. */
int svl__normalize(uint8_t *out, size_t cap, size_t *out_len,
		   const svl_event_type *t, uint32_t version,
		   const uint8_t *payload, size_t len, svl__path *p,
		   svl_event_error *err);

/* ---- upcast.c ---- */

typedef struct svl__upcaster {
	uint32_t type;
	uint32_t from_version;	     /* maps from_version -> from_version + 1 */
	const char *const *old_keys; /* NULL-terminated; consumed keys */
	/* vals is the current layout with since-defaults applied; payload is
	 * the original bytes, to read the old keys from */
	void (*fn)(svl_value *vals, const uint8_t *payload, size_t len);
	const char *doc;
} svl__upcaster;

size_t svl__upcaster_count(void);
const svl__upcaster *svl__upcaster_at(size_t i);
/* Apply the upcasters of t from `version` up to the current one. */
void svl__upcast(const svl_event_type *t, uint32_t version, svl_value *vals,
		 const uint8_t *payload, size_t len);
/* Whether an upcaster of t from `version` on consumes key k. */
bool svl__upcast_key(const svl_event_type *t, uint32_t version, const char *k,
		     size_t n);

#endif
