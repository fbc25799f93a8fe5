/*
 * rules.c - rule sets: defaults, JSON parsing, the canonical form and its
 * hash, and the small time helpers every projection shares.
 *
 * The hash is taken over the canonical JSON (fixed key order, no spaces),
 * not over the file, so reformatting a file does not look like a rule
 * change while changing any value does.
 */
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "svl_rules.h"
#include "signable.h"

static const char *const class_names[] = {"grumble", "general", "medium",
					  "severe"};
static const char *const share_names[SVL_WOF_SHARES] = {
	"company", "service_manager", "parts_manager", "warehouse_keeper"};

static void rules_hash(svl_rules *r)
{
	char buf[1024];
	size_t n = svl_rules_to_json(r, buf, sizeof buf);
	XXH128_hash_t h = XXH3_128bits(buf, n < sizeof buf ? n : sizeof buf);
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, h);
	memcpy(r->hash, c.digest, sizeof r->hash);
}

void svl_rules_default(svl_rules *r)
{
	memset(r, 0, sizeof *r);
	strcpy(r->id, "default");
	r->tz_offset_min = 8 * 60;
	r->followup_min_days = 1; /* R-FU-1 */
	r->followup_max_days = 3;
	r->n_call_windows = 2; /* R-FU-3 */
	r->call_window_start_min[0] = 9 * 60;
	r->call_window_end_min[0] = 11 * 60 + 30;
	r->call_window_start_min[1] = 14 * 60;
	r->call_window_end_min[1] = 19 * 60;
	r->followup_attempts_for_failure = 3; /* R-FU-4/5 */
	r->satisfaction_scale = 5;
	r->satisfaction_threshold = 4;
	r->comeback_window_days = 30;
	r->major_complaint_mask = SVL_COMPLAINT_MEDIUM | SVL_COMPLAINT_SEVERE;
	r->valuation = SVL_VALUATION_MOVING_AVERAGE;
	r->wof_split_permille[SVL_WOF_COMPANY] = 700; /* R-WOF-6 */
	r->wof_split_permille[SVL_WOF_SERVICE_MANAGER] = 100;
	r->wof_split_permille[SVL_WOF_PARTS_MANAGER] = 100;
	r->wof_split_permille[SVL_WOF_WAREHOUSE_KEEPER] = 100;
	rules_hash(r);
}

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
	if (x < lo || x > hi) {
		if (errlen)
			snprintf(err, errlen, "%s: must be %lld..%lld, got %lld",
				 key, (long long)lo, (long long)hi,
				 (long long)x);
		return SVL_EINVAL;
	}
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

static int parse_windows(json_t *v, svl_rules *r, char *err, size_t errlen)
{
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > SVL_RULES_WINDOWS_MAX)
		return bad(err, errlen,
			   "%s: expected 1..8 strings \"HH:MM-HH:MM\"",
			   "call_windows");
	r->n_call_windows = (uint32_t)json_array_size(v);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *w = json_array_get(v, i);
		if (!json_is_string(w) ||
		    parse_window(json_string_value(w),
				 &r->call_window_start_min[i],
				 &r->call_window_end_min[i]) != SVL_OK) {
			if (errlen)
				snprintf(err, errlen,
					 "call_windows[%zu]: expected "
					 "\"HH:MM-HH:MM\" with start < end",
					 i);
			return SVL_EINVAL;
		}
	}
	return SVL_OK;
}

static int parse_classes(json_t *v, svl_rules *r, char *err, size_t errlen)
{
	if (!json_is_array(v))
		return bad(err, errlen, "%s: expected an array of class names",
			   "major_complaint_classes");
	r->major_complaint_mask = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *c = json_array_get(v, i);
		size_t k;
		for (k = 0; k < 4; k++)
			if (json_is_string(c) &&
			    strcmp(json_string_value(c), class_names[k]) == 0)
				break;
		if (k == 4) {
			if (errlen)
				snprintf(err, errlen,
					 "major_complaint_classes[%zu]: must be "
					 "one of grumble, general, medium, "
					 "severe (R-CMP-2)",
					 i);
			return SVL_EINVAL;
		}
		r->major_complaint_mask |= 1u << k;
	}
	return SVL_OK;
}

static int parse_split(json_t *v, svl_rules *r, char *err, size_t errlen)
{
	const char *key;
	json_t *x;
	int32_t sum = 0;
	if (!json_is_object(v))
		return bad(err, errlen, "%s: expected an object of shares",
			   "writeoff_split_permille");
	memset(r->wof_split_permille, 0, sizeof r->wof_split_permille);
	json_object_foreach(v, key, x)
	{
		size_t k;
		for (k = 0; k < SVL_WOF_SHARES; k++)
			if (strcmp(key, share_names[k]) == 0)
				break;
		if (k == SVL_WOF_SHARES)
			return bad(err, errlen,
				   "writeoff_split_permille.%s: unknown share "
				   "(company, service_manager, parts_manager, "
				   "warehouse_keeper)",
				   key);
		int rc = get_int(x, "writeoff_split_permille", 0, 1000,
				 &r->wof_split_permille[k], err, errlen);
		if (rc != SVL_OK)
			return rc;
		sum += r->wof_split_permille[k];
	}
	if (sum != 1000)
		return bad(err, errlen, "%s: shares must sum to 1000",
			   "writeoff_split_permille");
	return SVL_OK;
}

/* "require_signed": ["pick_signed", ...] (enum svl_signed_types). */
static int parse_signed(json_t *v, svl_rules *r, char *err, size_t errlen)
{
	size_t i;
	json_t *x;
	if (!json_is_array(v))
		return bad(err, errlen, "%s: expected an array of event types",
			   "require_signed");
	r->require_signed = 0;
	json_array_foreach(v, i, x)
	{
		uint32_t bit = json_is_string(x)
				   ? svl__signed_bit(json_string_value(x),
						     json_string_length(x))
				   : 0;
		if (!bit)
			return bad(err, errlen,
				   "require_signed[%zu]: expected pick_signed, "
				   "writeoff_appraised, writeoff_approved or "
				   "adjustment_approved",
				   i);
		r->require_signed |= bit;
	}
	return SVL_OK;
}

static int parse_key(const char *key, json_t *v, svl_rules *r, char *err,
		     size_t errlen)
{
	if (strcmp(key, "require_signed") == 0)
		return parse_signed(v, r, err, errlen);
	if (strcmp(key, "id") == 0) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > SVL_RULES_ID_MAX)
			return bad(err, errlen, "%s: expected 1..63 characters",
				   key);
		/* a name shown in tables and messages: one printable line */
		for (const char *s = json_string_value(v); *s; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				return bad(err, errlen,
					   "%s: control characters are not "
					   "allowed",
					   key);
		if (strlen(json_string_value(v)) != json_string_length(v))
			return bad(err, errlen, "%s: NUL is not allowed", key);
		strcpy(r->id, json_string_value(v));
		return SVL_OK;
	}
	if (strcmp(key, "timezone") == 0)
		return json_is_string(v) &&
				       parse_tz(json_string_value(v),
						&r->tz_offset_min) == SVL_OK
			       ? SVL_OK
			       : bad(err, errlen,
				     "%s: expected \"+HH:MM\", \"-HH:MM\" or \"Z\"",
				     key);
	if (strcmp(key, "followup_window_days") == 0) {
		if (!json_is_array(v) || json_array_size(v) != 2)
			return bad(err, errlen, "%s: expected [min, max]", key);
		int rc = get_int(json_array_get(v, 0), key, 0, 365,
				 &r->followup_min_days, err, errlen);
		if (rc == SVL_OK)
			rc = get_int(json_array_get(v, 1), key,
				     r->followup_min_days, 365,
				     &r->followup_max_days, err, errlen);
		return rc;
	}
	if (strcmp(key, "call_windows") == 0)
		return parse_windows(v, r, err, errlen);
	if (strcmp(key, "followup_attempts_for_failure") == 0)
		return get_int(v, key, 1, 20, &r->followup_attempts_for_failure,
			       err, errlen);
	if (strcmp(key, "satisfaction_scale") == 0)
		return get_int(v, key, 2, 100, &r->satisfaction_scale, err,
			       errlen);
	if (strcmp(key, "satisfaction_threshold") == 0)
		return get_int(v, key, 1, 100, &r->satisfaction_threshold, err,
			       errlen);
	if (strcmp(key, "comeback_window_days") == 0)
		return get_int(v, key, 0, 3650, &r->comeback_window_days, err,
			       errlen);
	if (strcmp(key, "major_complaint_classes") == 0)
		return parse_classes(v, r, err, errlen);
	if (strcmp(key, "valuation") == 0) {
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		if (strcmp(s, "moving_average") == 0)
			r->valuation = SVL_VALUATION_MOVING_AVERAGE;
		else if (strcmp(s, "latest_cost") == 0)
			r->valuation = SVL_VALUATION_LATEST_COST;
		else
			return bad(err, errlen,
				   "%s: expected \"moving_average\" or "
				   "\"latest_cost\"",
				   key);
		return SVL_OK;
	}
	if (strcmp(key, "writeoff_split_permille") == 0)
		return parse_split(v, r, err, errlen);
	return bad(err, errlen, "%s: unknown key", key);
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
	svl_rules_default(&r);
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
			if ((rc = parse_key(key, v, &r, err, errlen)) != SVL_OK)
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

int svl_rules_load(const char *path, svl_rules *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? SVL_ENOTFOUND : SVL_EIO;
	}
	char buf[65536];
	size_t n = fread(buf, 1, sizeof buf, f);
	int too_big = !feof(f);
	fclose(f);
	if (too_big)
		return bad(err, errlen, "%s: larger than 64 KiB", path);
	return svl_rules_parse(buf, n, out, err, errlen);
}

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

size_t svl_rules_to_json(const svl_rules *r, char *buf, size_t len)
{
	int tz = r->tz_offset_min < 0 ? -r->tz_offset_min : r->tz_offset_min;
	size_t at = put(buf, len, 0, "{\"id\":");
	at = put_jstr(buf, len, at, r->id);
	at = put(buf, len, at,
			",\"timezone\":\"%c%02d:%02d\","
			"\"followup_window_days\":[%d,%d],\"call_windows\":[",
			r->tz_offset_min < 0 ? '-' : '+', tz / 60,
			tz % 60, r->followup_min_days, r->followup_max_days);
	for (uint32_t i = 0; i < r->n_call_windows; i++)
		at = put(buf, len, at, "%s\"%02d:%02d-%02d:%02d\"",
			 i ? "," : "", r->call_window_start_min[i] / 60,
			 r->call_window_start_min[i] % 60,
			 r->call_window_end_min[i] / 60,
			 r->call_window_end_min[i] % 60);
	at = put(buf, len, at,
		 "],\"followup_attempts_for_failure\":%d,"
		 "\"satisfaction_scale\":%d,\"satisfaction_threshold\":%d,"
		 "\"comeback_window_days\":%d,\"major_complaint_classes\":[",
		 r->followup_attempts_for_failure, r->satisfaction_scale,
		 r->satisfaction_threshold, r->comeback_window_days);
	int first = 1;
	for (unsigned k = 0; k < 4; k++)
		if (r->major_complaint_mask & (1u << k)) {
			at = put(buf, len, at, "%s\"%s\"", first ? "" : ",",
				 class_names[k]);
			first = 0;
		}
	at = put(buf, len, at, "],\"valuation\":\"%s\",\"writeoff_split_permille\":{",
		 r->valuation == SVL_VALUATION_LATEST_COST ? "latest_cost"
							   : "moving_average");
	for (unsigned k = 0; k < SVL_WOF_SHARES; k++)
		at = put(buf, len, at, "%s\"%s\":%d", k ? "," : "",
			 share_names[k], r->wof_split_permille[k]);
	at = put(buf, len, at, "}");
	/* keys added after the first rule sets appear only when set, so an
	 * older rule set keeps its canonical form and hash */
	if (r->require_signed) {
		at = put(buf, len, at, ",\"require_signed\":[");
		for (size_t k = 0, n = 0; svl__signed_name(k); k++)
			if (r->require_signed & (1u << k))
				at = put(buf, len, at, "%s\"%s\"", n++ ? "," : "",
					 svl__signed_name(k));
		at = put(buf, len, at, "]");
	}
	at = put(buf, len, at, "}");
	return at;
}

int svl_rules_is_major(const svl_rules *r, const char *name, size_t len)
{
	for (unsigned k = 0; k < 4; k++)
		if (strlen(class_names[k]) == len &&
		    memcmp(class_names[k], name, len) == 0)
			return (r->major_complaint_mask >> k) & 1u;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t svl_rules_local_day(const svl_rules *r, int64_t at_ms)
{
	return floor_div(at_ms + (int64_t)r->tz_offset_min * 60000, 86400000);
}

int svl_rules_in_call_window(const svl_rules *r, int64_t at_ms)
{
	int64_t local = at_ms + (int64_t)r->tz_offset_min * 60000;
	int64_t min = (local - floor_div(local, 86400000) * 86400000) / 60000;
	for (uint32_t i = 0; i < r->n_call_windows; i++)
		if (min >= r->call_window_start_min[i] &&
		    min < r->call_window_end_min[i])
			return 1;
	return 0;
}
