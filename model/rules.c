/*
 * rules.c - rule sets: the defaults, the parser and the canonical form
 * with its hash, all read from the knob table (rules.def), and the rule
 * set's small questions (is a class major, is a time in a call window).
 *
 * The hash is taken over the canonical JSON (fixed key order, no spaces),
 * not over the file, so reformatting a file does not look like a rule
 * change while changing any value does.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "calendar.h"
#include "signable.h"
#include "rules_int.h"
#include "svl_rules.h"
#include "waivers.h"

enum knob_kind {
	INT,
	TZ,
	DAYS,
	WINDOWS,
	CLASSES,
	VALUATION,
	SPLIT,
	SIGNED,
	WAIVERS
};
enum knob_canon { ALWAYS, SET };

typedef struct knob {
	const char *key;
	enum knob_kind kind;
	size_t off; /* of the field in svl_rules */
	int64_t lo, hi;
	enum knob_canon canon;
	const char *dflt; /* JSON */
} knob;

static const knob knobs[] = {
#define SVL_KNOB(key, kind, field, lo, hi, canon, dflt, doc)                   \
	{#key, kind, offsetof(svl_rules, field), lo, hi, canon, dflt},
#include "rules.def"
#undef SVL_KNOB
};
#define N_KNOBS (sizeof knobs / sizeof knobs[0])

static void defaults(svl_rules *r);

static const char *const class_names[] = {"grumble", "general", "medium",
					  "severe"};
static const char *const share_names[SVL_WOF_SHARES] = {
	"company", "service_manager", "parts_manager", "warehouse_keeper"};

static int32_t *i32(svl_rules *r, const knob *k)
{
	return (int32_t *)(void *)((char *)r + k->off);
}

static const int32_t *ci32(const svl_rules *r, const knob *k)
{
	return (const int32_t *)(const void *)((const char *)r + k->off);
}

/* ---- reading a value ------------------------------------------------------ */

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return SVL_EINVAL;
}

static int get_int(json_t *v, const char *key, int64_t lo, int64_t hi,
		   int32_t *out, char *err, size_t errlen)
{
	if (!json_is_integer(v))
		return bad(err, errlen, "%s: expected an integer", key);
	json_int_t x = json_integer_value(v);
	if (x < lo || x > hi)
		return bad(err, errlen, "%s: must be %lld..%lld, got %lld", key,
			   (long long)lo, (long long)hi, (long long)x);
	*out = (int32_t)x;
	return SVL_OK;
}

/* "+08:00" / "-05:30" / "Z" */
static int parse_tz(const char *s, int32_t *out)
{
	if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0) {
		*out = 0;
		return SVL_OK;
	}
	int h, m;
	char sign;
	if (sscanf(s, "%c%2d:%2d", &sign, &h, &m) != 3 ||
	    (sign != '+' && sign != '-') || h > 14 || m > 59 ||
	    strlen(s) != 6)
		return SVL_EINVAL;
	*out = (sign == '-' ? -1 : 1) * (h * 60 + m);
	return SVL_OK;
}

/* "09:00-11:30" */
static int parse_window(const char *s, int32_t *start, int32_t *end)
{
	int h1, m1, h2, m2;
	if (strlen(s) != 11 ||
	    sscanf(s, "%2d:%2d-%2d:%2d", &h1, &m1, &h2, &m2) != 4 || h1 > 24 ||
	    h2 > 24 || m1 > 59 || m2 > 59)
		return SVL_EINVAL;
	*start = h1 * 60 + m1;
	*end = h2 * 60 + m2;
	return *start < *end && *end <= 24 * 60 ? SVL_OK : SVL_EINVAL;
}

static int read_days(const knob *k, json_t *v, svl_rules *r, char *err,
		     size_t errlen)
{
	if (!json_is_array(v) || json_array_size(v) != 2)
		return bad(err, errlen, "%s: expected [min, max]", k->key);
	int rc = get_int(json_array_get(v, 0), k->key, k->lo, k->hi,
			 &r->followup_min_days, err, errlen);
	if (rc == SVL_OK)
		rc = get_int(json_array_get(v, 1), k->key, r->followup_min_days,
			     k->hi, &r->followup_max_days, err, errlen);
	return rc;
}

static int read_windows(const knob *k, json_t *v, svl_rules *r, char *err,
			size_t errlen)
{
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > SVL_RULES_WINDOWS_MAX)
		return bad(err, errlen,
			   "%s: expected 1..8 strings \"HH:MM-HH:MM\"", k->key);
	r->n_call_windows = (uint32_t)json_array_size(v);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *w = json_array_get(v, i);
		if (!json_is_string(w) ||
		    parse_window(json_string_value(w),
				 &r->call_window_start_min[i],
				 &r->call_window_end_min[i]) != SVL_OK)
			return bad(err, errlen,
				   "%s[%zu]: expected \"HH:MM-HH:MM\" with "
				   "start < end",
				   k->key, i);
	}
	return SVL_OK;
}

static int read_classes(const knob *k, json_t *v, svl_rules *r, char *err,
			size_t errlen)
{
	if (!json_is_array(v))
		return bad(err, errlen, "%s: expected an array of class names",
			   k->key);
	r->major_complaint_mask = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *c = json_array_get(v, i);
		size_t n;
		for (n = 0; n < 4; n++)
			if (json_is_string(c) &&
			    strcmp(json_string_value(c), class_names[n]) == 0)
				break;
		if (n == 4)
			return bad(err, errlen,
				   "%s[%zu]: must be one of grumble, general, "
				   "medium, severe (R-CMP-2)",
				   k->key, i);
		r->major_complaint_mask |= 1u << n;
	}
	return SVL_OK;
}

static int read_valuation(const knob *k, json_t *v, svl_rules *r, char *err,
			  size_t errlen)
{
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	if (strcmp(s, "moving_average") == 0)
		r->valuation = SVL_VALUATION_MOVING_AVERAGE;
	else if (strcmp(s, "latest_cost") == 0)
		r->valuation = SVL_VALUATION_LATEST_COST;
	else
		return bad(err, errlen,
			   "%s: expected \"moving_average\" or \"latest_cost\"",
			   k->key);
	return SVL_OK;
}

static int read_split(const knob *k, json_t *v, svl_rules *r, char *err,
		      size_t errlen)
{
	const char *key;
	json_t *x;
	int32_t sum = 0;
	if (!json_is_object(v))
		return bad(err, errlen, "%s: expected an object of shares",
			   k->key);
	memset(r->wof_split_permille, 0, sizeof r->wof_split_permille);
	json_object_foreach(v, key, x)
	{
		size_t n;
		for (n = 0; n < SVL_WOF_SHARES; n++)
			if (strcmp(key, share_names[n]) == 0)
				break;
		if (n == SVL_WOF_SHARES)
			return bad(err, errlen,
				   "%s.%s: unknown share (company, "
				   "service_manager, parts_manager, "
				   "warehouse_keeper)",
				   k->key, key);
		int rc = get_int(x, k->key, k->lo, k->hi,
				 &r->wof_split_permille[n], err, errlen);
		if (rc != SVL_OK)
			return rc;
		sum += r->wof_split_permille[n];
	}
	if (sum != 1000)
		return bad(err, errlen, "%s: shares must sum to 1000", k->key);
	return SVL_OK;
}

static int read_signed(const knob *k, json_t *v, svl_rules *r, char *err,
		       size_t errlen)
{
	size_t i;
	json_t *x;
	if (!json_is_array(v))
		return bad(err, errlen, "%s: expected an array of event types",
			   k->key);
	r->require_signed = 0;
	json_array_foreach(v, i, x)
	{
		uint32_t bit = json_is_string(x)
				   ? svl__signed_bit(json_string_value(x),
						     json_string_length(x))
				   : 0;
		if (!bit)
			return bad(err, errlen,
				   "%s[%zu]: expected pick_signed, "
				   "writeoff_appraised, writeoff_approved or "
				   "adjustment_approved",
				   k->key, i);
		r->require_signed |= bit;
	}
	return SVL_OK;
}

static int read_waivers(const knob *k, json_t *v, svl_rules *r, char *err,
			size_t errlen)
{
	size_t i, w;
	json_t *x;
	if (!json_is_array(v))
		return bad(err, errlen, "%s: expected an array of rule ids",
			   k->key);
	memset(r->waived, 0, sizeof r->waived);
	json_array_foreach(v, i, x)
	{
		for (w = 0; svl__waiver_rule(w); w++)
			if (json_is_string(x) &&
			    strcmp(json_string_value(x), svl__waiver_rule(w)) ==
				0)
				break;
		if (!svl__waiver_rule(w))
			return bad(err, errlen,
				   "%s[%zu]: not a waivable rule (docs/rules.md, "
				   "Waivable rules)",
				   k->key, i);
		r->waived[w / 32] |= 1u << (w % 32);
	}
	return SVL_OK;
}

static int read_knob(const knob *k, json_t *v, svl_rules *r, char *err,
		     size_t errlen)
{
	switch (k->kind) {
	case INT:
		return get_int(v, k->key, k->lo, k->hi, i32(r, k), err, errlen);
	case TZ:
		return json_is_string(v) &&
				       parse_tz(json_string_value(v), i32(r, k)) ==
					   SVL_OK
			       ? SVL_OK
			       : bad(err, errlen,
				     "%s: expected \"+HH:MM\", \"-HH:MM\" or "
				     "\"Z\"",
				     k->key);
	case DAYS:
		return read_days(k, v, r, err, errlen);
	case WINDOWS:
		return read_windows(k, v, r, err, errlen);
	case CLASSES:
		return read_classes(k, v, r, err, errlen);
	case VALUATION:
		return read_valuation(k, v, r, err, errlen);
	case SPLIT:
		return read_split(k, v, r, err, errlen);
	case SIGNED:
		return read_signed(k, v, r, err, errlen);
	case WAIVERS:
		return read_waivers(k, v, r, err, errlen);
	}
	return bad(err, errlen, "%s: unknown kind", k->key);
}

static int read_id(json_t *v, svl_rules *r, char *err, size_t errlen)
{
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > SVL_RULES_ID_MAX)
		return bad(err, errlen, "%s: expected 1..63 characters", "id");
	/* a name shown in tables and messages: one printable line */
	for (const char *s = json_string_value(v); *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return bad(err, errlen,
				   "%s: control characters are not allowed",
				   "id");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return bad(err, errlen, "%s: NUL is not allowed", "id");
	strcpy(r->id, json_string_value(v));
	return SVL_OK;
}

static int read_key(const char *key, json_t *v, svl_rules *r, char *err,
		    size_t errlen)
{
	if (strcmp(key, "id") == 0)
		return read_id(v, r, err, errlen);
	for (size_t i = 0; i < N_KNOBS; i++)
		if (strcmp(key, knobs[i].key) == 0)
			return read_knob(&knobs[i], v, r, err, errlen);
	return bad(err, errlen, "%s: unknown key", key);
}

/* ---- writing a value ------------------------------------------------------ */

static size_t put(char *buf, size_t len, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t put(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(at < len ? buf + at : NULL, at < len ? len - at : 0,
			  fmt, ap);
	va_end(ap);
	return at + (n > 0 ? (size_t)n : 0);
}

/* s as a JSON string: quotes, backslashes and control characters
 * escaped (the id is the only free text of a rule set). */
static size_t put_jstr(char *buf, size_t len, size_t at, const char *s)
{
	at = put(buf, len, at, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			at = put(buf, len, at, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			at = put(buf, len, at, "\\u%04x", c);
		else
			at = put(buf, len, at, "%c", c);
	}
	return put(buf, len, at, "\"");
}

/* The names of the set bits of mask (words of 32 bits), name(k) for bit
 * k, as a JSON array. */
static size_t put_names(char *buf, size_t len, size_t at,
			const uint32_t *mask, const char *(*name)(size_t k))
{
	at = put(buf, len, at, "[");
	for (size_t k = 0, n = 0; name(k); k++)
		if (mask[k / 32] & (1u << (k % 32)))
			at = put(buf, len, at, "%s\"%s\"", n++ ? "," : "",
				 name(k));
	return put(buf, len, at, "]");
}

static const char *const waiver_rules[] = {
#define SVL_WAIVER(tag, rule, doc) rule,
#include "waivers.def"
#undef SVL_WAIVER
	NULL};

const char *svl__waiver_rule(size_t k)
{
	return k + 1 < sizeof waiver_rules / sizeof waiver_rules[0]
		   ? waiver_rules[k]
		   : NULL;
}

static const char *class_name(size_t k)
{
	return k < 4 ? class_names[k] : NULL;
}

static size_t put_knob(char *buf, size_t len, size_t at, const knob *k,
		       const svl_rules *r)
{
	switch (k->kind) {
	case INT:
		return put(buf, len, at, "%d", *ci32(r, k));
	case TZ: {
		int32_t z = *ci32(r, k), a = z < 0 ? -z : z;
		return put(buf, len, at, "\"%c%02d:%02d\"", z < 0 ? '-' : '+',
			   a / 60, a % 60);
	}
	case DAYS:
		return put(buf, len, at, "[%d,%d]", r->followup_min_days,
			   r->followup_max_days);
	case WINDOWS:
		at = put(buf, len, at, "[");
		for (uint32_t i = 0; i < r->n_call_windows; i++)
			at = put(buf, len, at, "%s\"%02d:%02d-%02d:%02d\"",
				 i ? "," : "", r->call_window_start_min[i] / 60,
				 r->call_window_start_min[i] % 60,
				 r->call_window_end_min[i] / 60,
				 r->call_window_end_min[i] % 60);
		return put(buf, len, at, "]");
	case CLASSES:
		return put_names(buf, len, at, &r->major_complaint_mask,
				 class_name);
	case VALUATION:
		return put(buf, len, at, "\"%s\"",
			   r->valuation == SVL_VALUATION_LATEST_COST
				   ? "latest_cost"
				   : "moving_average");
	case SPLIT:
		at = put(buf, len, at, "{");
		for (unsigned n = 0; n < SVL_WOF_SHARES; n++)
			at = put(buf, len, at, "%s\"%s\":%d", n ? "," : "",
				 share_names[n], r->wof_split_permille[n]);
		return put(buf, len, at, "}");
	case SIGNED:
		return put_names(buf, len, at, &r->require_signed,
				 svl__signed_name);
	case WAIVERS:
		return put_names(buf, len, at, r->waived, svl__waiver_rule);
	}
	return at;
}

/* Whether knob k of r has its default value (compared as canonical text). */
static int is_default(const knob *k, const svl_rules *r, const svl_rules *d)
{
	char a[512], b[512];
	size_t na = put_knob(a, sizeof a, 0, k, r);
	size_t nb = put_knob(b, sizeof b, 0, k, d);
	return na == nb && na < sizeof a && memcmp(a, b, na) == 0;
}

size_t svl_rules_to_json(const svl_rules *r, char *buf, size_t len)
{
	svl_rules d;
	defaults(&d);
	size_t at = put(buf, len, 0, "{\"id\":");
	at = put_jstr(buf, len, at, r->id);
	for (size_t i = 0; i < N_KNOBS; i++) {
		if (knobs[i].canon == SET && is_default(&knobs[i], r, &d))
			continue;
		at = put(buf, len, at, ",\"%s\":", knobs[i].key);
		at = put_knob(buf, len, at, &knobs[i], r);
	}
	return put(buf, len, at, "}");
}

/* ---- the rule set --------------------------------------------------------- */

static void rules_hash(svl_rules *r)
{
	char buf[1024];
	size_t n = svl_rules_to_json(r, buf, sizeof buf);
	XXH128_hash_t h = XXH3_128bits(buf, n < sizeof buf ? n : sizeof buf);
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, h);
	memcpy(r->hash, c.digest, sizeof r->hash);
}

/* The knobs' defaults, read once from their JSON by the knobs' own
 * readers (a default that does not read is caught by
 * tests/test_rules_def.c). */
static svl_rules the_defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void read_defaults(void)
{
	svl_rules *r = &the_defaults;
	memset(r, 0, sizeof *r);
	strcpy(r->id, "default");
	for (size_t i = 0; i < N_KNOBS; i++) {
		json_t *v = json_loads(knobs[i].dflt, JSON_DECODE_ANY, NULL);
		if (v)
			read_knob(&knobs[i], v, r, NULL, 0);
		json_decref(v);
	}
}

static void defaults(svl_rules *r)
{
	pthread_once(&defaults_once, read_defaults);
	*r = the_defaults;
}

static svl_rules the_hashed_defaults;
static pthread_once_t hashed_once = PTHREAD_ONCE_INIT;

static void hash_defaults(void)
{
	defaults(&the_hashed_defaults);
	rules_hash(&the_hashed_defaults);
}

const svl_rules *svl__rules_default(void)
{
	pthread_once(&hashed_once, hash_defaults);
	return &the_hashed_defaults;
}

void svl_rules_default(svl_rules *r)
{
	*r = *svl__rules_default();
}

int svl_rules_parse(const char *json, size_t len, svl_rules *out, char *err,
		    size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (errlen)
			snprintf(err, errlen, "line %d: %s", je.line, je.text);
		return SVL_EINVAL;
	}
	svl_rules r;
	defaults(&r);
	int rc = json_is_object(root)
			 ? SVL_OK
			 : bad(err, errlen, "%s: expected an object", "rules");
	const char *key;
	json_t *v;
	if (rc == SVL_OK && !json_object_get(root, "id"))
		rc = bad(err, errlen, "%s: required (names the rule set)", "id");
	if (rc == SVL_OK)
		json_object_foreach(root, key, v)
		{
			if ((rc = read_key(key, v, &r, err, errlen)) != SVL_OK)
				break;
		}
	if (rc == SVL_OK && r.satisfaction_threshold > r.satisfaction_scale)
		rc = bad(err, errlen, "%s: must not exceed satisfaction_scale",
			 "satisfaction_threshold");
	json_decref(root);
	if (rc != SVL_OK)
		return rc;
	rules_hash(&r);
	*out = r;
	return SVL_OK;
}

int svl_rules_is_major(const svl_rules *r, const char *name, size_t len)
{
	for (unsigned k = 0; k < 4; k++)
		if (strlen(class_names[k]) == len &&
		    memcmp(class_names[k], name, len) == 0)
			return (r->major_complaint_mask >> k) & 1u;
	return 0;
}

int64_t svl_rules_local_day(const svl_rules *r, int64_t at_ms)
{
	return svl__local_day(at_ms, r->tz_offset_min);
}

int svl_rules_in_call_window(const svl_rules *r, int64_t at_ms)
{
	int32_t min = svl__local_minute(at_ms, r->tz_offset_min);
	for (uint32_t i = 0; i < r->n_call_windows; i++)
		if (min >= r->call_window_start_min[i] &&
		    min < r->call_window_end_min[i])
			return 1;
	return 0;
}
