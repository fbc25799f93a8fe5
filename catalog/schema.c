/*
 * schema.c - the catalog's tables, generated from catalog.def: enums,
 * element fields, type fields and the type table, plus the lookups.
 *
 * Everything here is a static constant; the order of each table is the
 * order of catalog.def, which is also the order of the generated index
 * constants in svl_events.h (a field's index is its position). The type
 * table is in ascending id order (the test checks it), so
 * svl_event_type_at() walks the catalog by id.
 */
#include <string.h>

#include "catalog_int.h"

/* X-macro passes read better one per line: */
/* clang-format off */

/* ---- enums ---- */

#define SVL_ENUM(E, low, doc) static const char *const enum_vals_##E[] = {
#define SVL_ENUM_V(E, V, low, doc) #low,
#define SVL_ENUM_END(E) };
#include "catalog.def"

#define SVL_ENUM(E, low, doc) static const char *const enum_docs_##E[] = {
#define SVL_ENUM_V(E, V, low, doc) doc,
#define SVL_ENUM_END(E) };
#include "catalog.def"

/* One-element arrays so that SVL__ER_<E> is an address constant and
 * SVL__ER_NONE (NULL) can stand in the same column. */
#define SVL__ER_NONE NULL
#define SVL_ENUM(E, low, doc)                                                \
	static const svl_enum_def SVL__ER_##E[1] = {                         \
		{#low, doc, SVL_##E##__COUNT, enum_vals_##E, enum_docs_##E}};
#include "catalog.def"

#define SVL__REQ_REQ 1
#define SVL__REQ_OPT 0

/* ---- array element fields ---- */

#define SVL_ARRAY(T, F, low, req, min, max, since, doc)                      \
	static const svl_field_def sub_##T##_##F[] = {
#define SVL_SUB(T, A, F, low, kind, req, min, max, en, since, dflt, doc)     \
	{#low, sizeof(#low) - 1, SVL_KIND_##kind, SVL__REQ_##req, since,     \
	 min, max, dflt, SVL__ER_##en, NULL, 0, doc},
#define SVL_ARRAY_END(T, A) };
#include "catalog.def"

/* ---- type fields ---- */

#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc)            \
	static const svl_field_def fields_##T[] = {
#define SVL_FIELD(T, F, low, kind, req, min, max, en, since, dflt, doc)      \
	{#low, sizeof(#low) - 1, SVL_KIND_##kind, SVL__REQ_##req, since,     \
	 min, max, dflt, SVL__ER_##en, NULL, 0, doc},
#define SVL_ARRAY(T, F, low, req, min, max, since, doc)                      \
	{#low, sizeof(#low) - 1, SVL_KIND_ARRAY, SVL__REQ_##req, since, min, \
	 max, 0, NULL, sub_##T##_##F, SVL_F_##T##_##F##__COUNT, doc},
#define SVL_TYPE_END(T) };
#include "catalog.def"

/* ---- limits the decoder's fixed arrays rely on ---- */

#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc)            \
	_Static_assert(SVL_F_##T##__COUNT <= SVL_EVENT_FIELDS_MAX,           \
		       #low ": too many fields");                            \
	_Static_assert(ver >= 1, #low ": version starts at 1");
#define SVL_ARRAY(T, F, low, req, min, max, since, doc)                      \
	_Static_assert(SVL_F_##T##_##F##__COUNT <= SVL_EVENT_SUBFIELDS_MAX,  \
		       #low ": too many element fields");
#include "catalog.def"
_Static_assert(SVL_ROLE__COUNT <= 32, "role bits fit in a u32");
/* clang-format on */

/* ---- the type table ---- */

#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc) SVL__TI_##T,
enum {
#include "catalog.def"
	SVL__TI_COUNT
};

#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc)              \
	{id,	#low,  ver, prefix,	SVL_F_##T##_##key,                     \
	 roles, rules, doc, fields_##T, SVL_F_##T##__COUNT},
static const svl_event_type types[SVL__TI_COUNT] = {
#include "catalog.def"
};

const svl_event_type *svl_event_type_get(uint32_t id)
{
	/* A switch, so the compiler builds the jump table: projections look
	 * a type up for every event they fold. */
	switch (id) {
#define SVL_TYPE(T, low, id_, ver, prefix, key, roles, rules, doc)             \
	case id_:                                                              \
		return &types[SVL__TI_##T];
#include "catalog.def"
	default:
		return NULL;
	}
}

const svl_event_type *svl_event_type_find(const char *name, size_t len)
{
	if (!name)
		return NULL;
	for (size_t k = 0; k < SVL__TI_COUNT; k++) {
		const char *n = types[k].name;
		if (n[0] == name[0] && strlen(n) == len &&
		    !memcmp(n, name, len))
			return &types[k];
	}
	return NULL;
}

size_t svl_event_type_count(void)
{
	return SVL__TI_COUNT;
}

const svl_event_type *svl_event_type_at(size_t i)
{
	return i < SVL__TI_COUNT ? &types[i] : NULL;
}

int svl_event_type_allows(const svl_event_type *t, int role)
{
	if (!t || role < 0 || role >= SVL_ROLE__COUNT)
		return 0;
	return (t->roles >> role) & 1u;
}

const svl_enum_def *svl__role_enum(void)
{
	return SVL__ER_ROLE;
}

const char *svl_role_name(int role)
{
	if (role < 0 || role >= SVL_ROLE__COUNT)
		return NULL;
	return SVL__ER_ROLE->values[role];
}

int svl_role_find(const char *name, size_t len)
{
	return svl_enum_find(SVL__ER_ROLE, name, len);
}

int svl_enum_find(const svl_enum_def *e, const char *s, size_t len)
{
	if (!e || !s)
		return -1;
	for (uint32_t k = 0; k < e->n; k++) {
		const char *v = e->values[k];
		if (strlen(v) == len && !memcmp(v, s, len))
			return (int)k;
	}
	return -1;
}

/* All enums, for the docs. */
#define SVL_ENUM(E, low, doc) SVL__ER_##E,
static const svl_enum_def *const all_enums[] = {
#include "catalog.def"
};

size_t svl__enum_count(void)
{
	return sizeof all_enums / sizeof all_enums[0];
}

const svl_enum_def *svl__enum_at(size_t i)
{
	return i < svl__enum_count() ? all_enums[i] : NULL;
}
