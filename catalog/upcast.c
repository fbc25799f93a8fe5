/*
 * upcast.c - reading payloads written under older schema versions.
 *
 * Policy (docs/events.md, "Versions"): a payload is never rewritten in the
 * log; it is read into the current field layout every time. Two steps:
 *   1. by the table: a field added in version N (catalog.def `since`) is
 *      absent from older payloads; if it is required, its documented
 *      default (`dflt`) is read instead (read.c, apply_defaults);
 *   2. by code: when a default is not enough (a field renamed, split,
 *      re-expressed), an upcaster here maps version N to N + 1, reading
 *      the old keys it names from the original bytes.
 * Both run in the zero-allocation decoder, so projections fold old and new
 * events alike. Upcasters work on top-level fields; array elements use
 * the table step only.
 */
#include <string.h>

#include "catalog_int.h"

/* Find top-level `key` in a payload map; false if absent or malformed. */
static bool map_find(const uint8_t *payload, size_t len, const char *key,
		     svl_mp_item *out)
{
	svl_mp_reader r = {payload, payload + len};
	uint32_t n;
	size_t klen = strlen(key);
	if (!svl__mp_read_map(&r, &n))
		return false;
	for (uint32_t k = 0; k < n; k++) {
		const char *s;
		uint32_t slen;
		if (!svl__mp_read_str(&r, &s, &slen))
			return false;
		if (slen == klen && !memcmp(s, key, klen))
			return svl__mp_next(&r, out);
		if (!svl__mp_skip(&r, SVL_MSGPACK_DEPTH_MAX - 1))
			return false;
	}
	return false;
}

static void set_enum(svl_value *v, const svl_enum_def *e, int index)
{
	v->present = 1;
	v->i = index;
	v->s = e->values[index];
	v->len = (uint32_t)strlen(v->s);
}

/*
 * followup_attempted v1 -> v2. Version 1 recorded only whether the
 * customer was reached (`reached`, bool). Version 2 records the R-FU-5
 * outcome class, because a failed follow-up (wrong number, refusal...)
 * and a retry (busy, voicemail...) count differently in the success rate.
 * reached = true reads as "reached"; false or absent as "no_answer" (a
 * retry: v1 did not say why, and counting it failed would overstate
 * failures).
 */
static const char *const fu_v1_keys[] = {"reached", NULL};

static void followup_v1(svl_value *vals, const uint8_t *payload, size_t len)
{
	const svl_event_type *t = svl_event_type_get(SVL_T_FOLLOWUP_ATTEMPTED);
	const svl_enum_def *e =
	    t->fields[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME].enum_def;
	svl_mp_item it;
	bool reached = map_find(payload, len, "reached", &it) &&
		       it.kind == SVL_MP_BOOL && it.u;
	set_enum(&vals[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME], e,
		 reached ? SVL_FU_OUTCOME_REACHED : SVL_FU_OUTCOME_NO_ANSWER);
}

static const svl__upcaster upcasters[] = {
    {SVL_T_FOLLOWUP_ATTEMPTED, 1, fu_v1_keys, followup_v1,
     "v1 had `reached` (bool) instead of `outcome`: true reads as "
     "`reached`, false or absent as `no_answer` (a retry, R-FU-5)"},
};

size_t svl__upcaster_count(void)
{
	return sizeof upcasters / sizeof upcasters[0];
}

const svl__upcaster *svl__upcaster_at(size_t i)
{
	return i < svl__upcaster_count() ? &upcasters[i] : NULL;
}

void svl__upcast(const svl_event_type *t, uint32_t version, svl_value *vals,
		 const uint8_t *payload, size_t len)
{
	/* In version order: each step sees the layout the previous made. */
	for (uint32_t v = version; v < t->version; v++)
		for (size_t k = 0; k < svl__upcaster_count(); k++)
			if (upcasters[k].type == t->id &&
			    upcasters[k].from_version == v)
				upcasters[k].fn(vals, payload, len);
}

bool svl__upcast_key(const svl_event_type *t, uint32_t version, const char *key,
		     size_t n)
{
	for (size_t k = 0; k < svl__upcaster_count(); k++) {
		const svl__upcaster *u = &upcasters[k];
		if (u->type != t->id || u->from_version < version)
			continue;
		for (const char *const *o = u->old_keys; o && *o; o++)
			if (strlen(*o) == n && !memcmp(*o, key, n))
				return true;
	}
	return false;
}
