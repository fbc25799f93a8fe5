/*
 * stock_moves.c - the stock-move table (stock_moves.def) as three small
 * tables, kinds, rules and tallies, in the order of the .def, and the
 * interpreter that reads an event through them (stock_moves.h).
 *
 * The tables are short (a dozen rows each), so a line finds its rules and
 * tallies by a scan; a type finds its kind through a switch.
 */
#include <assert.h>
#include <string.h>

#include "stock_moves.h"

/* X-macro passes read better one per line: */
/* clang-format off */

/* The .def's field columns as field indexes: SVL__COL_<T>_<F> for every
 * top-level field of every catalog type, and the two names that are not
 * fields, NONE and ACTOR. */
#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc)            \
	enum { SVL__COL_##T##_NONE = SVL__FIELD_NONE,                        \
	       SVL__COL_##T##_ACTOR = SVL__FIELD_ACTOR,
#define SVL_FIELD(T, F, ...) SVL__COL_##T##_##F = SVL_F_##T##_##F,
#define SVL_ARRAY(T, F, ...) SVL__COL_##T##_##F = SVL_F_##T##_##F,
#define SVL_TYPE_END(T) };
#include "catalog.def"

/* The kinds' positions; a second row for a type is a duplicate case
 * label in svl__move_kind_of, and a rule or tally of a type without a
 * kind row names an SVL__KIND_ that does not exist: both do not compile. */
#define SVL_STOCK(T, ...) SVL__KIND_##T,
#define SVL_STOCK_LINES(T, ...) SVL__KIND_##T,
#define SVL_STOCK_FACT(T, card) SVL__KIND_##T,
enum {
#include "stock_moves.def"
	SVL__KINDS
};

#define SVL_STOCK(T, part, bin, qty, doc, party, cost, card, decide)        \
	{SVL_T_##T, SVL__FIELD_NONE, SVL_F_##T##_##part, SVL_F_##T##_##bin,  \
	 SVL_F_##T##_##qty, SVL__COL_##T##_##doc, SVL__COL_##T##_##party,    \
	 SVL__COL_##T##_##cost, 0},
#define SVL_STOCK_LINES(T, A, part, bin, qty, doc, party, cost, card,       \
			decide)                                              \
	{SVL_T_##T, SVL_F_##T##_##A, SVL_F_##T##_##A##_##part,               \
	 SVL_F_##T##_##A##_##bin, SVL_F_##T##_##A##_##qty,                   \
	 SVL__COL_##T##_##doc, SVL__COL_##T##_##party,                       \
	 SVL__COL_##T##_##cost, 0},
#define SVL_STOCK_FACT(T, card)                                              \
	{SVL_T_##T, SVL__FIELD_NONE, SVL__FIELD_NONE, SVL__FIELD_NONE,       \
	 SVL__FIELD_NONE, SVL__FIELD_NONE, SVL__FIELD_NONE, SVL__FIELD_NONE, \
	 1},
static const svl__move_kind kinds[SVL__KINDS] = {
#include "stock_moves.def"
};

#define SVL_MOVE(T, from, to, total)                                         \
	{SVL_T_##T, SVL__BUCKET_##from, SVL__BUCKET_##to,                    \
	 SVL__TOTAL_##total, SVL__WHEN_ALWAYS, SVL__FIELD_NONE, 0},
#define SVL_MOVE_IF(T, F, test, value, from, to, total)                      \
	{SVL_T_##T, SVL__BUCKET_##from, SVL__BUCKET_##to,                    \
	 SVL__TOTAL_##total, SVL__WHEN_##test, SVL_F_##T##_##F, value},
static const svl__move_rule rules[] = {
#include "stock_moves.def"
};

#define SVL_TALLY(T, counter, F, sign)                                       \
	{SVL_T_##T, SVL__TALLY_##counter, sign, SVL_F_##T##_##F},
static const svl__move_tally tallies[] = {
#include "stock_moves.def"
};

/* A rule or tally names a type with a kind row (else SVL__KIND_<T> does
 * not exist); a move goes somewhere; a tally counts up or down. */
#define SVL__HAS_KIND(T)                                                     \
	_Static_assert(SVL__KIND_##T < SVL__KINDS, #T ": no kind row");
#define SVL_MOVE(T, from, to, total)                                         \
	SVL__HAS_KIND(T)                                                     \
	_Static_assert(SVL__BUCKET_##from != SVL__BUCKET_##to,               \
		       #T ": a move from a bucket to itself");
#define SVL_MOVE_IF(T, F, test, value, from, to, total)                      \
	SVL_MOVE(T, from, to, total)
#define SVL_TALLY(T, counter, F, sign)                                       \
	SVL__HAS_KIND(T)                                                     \
	_Static_assert((sign) == 1 || (sign) == -1, #T ": a tally's sign");
#include "stock_moves.def"
/* clang-format on */

#define N_RULES (sizeof rules / sizeof rules[0])
#define N_TALLIES (sizeof tallies / sizeof tallies[0])

const svl__move_kind *svl__move_kind_of(uint32_t type)
{
	switch (type) {
#define SVL__CASE(T)                                                           \
	case SVL_T_##T:                                                        \
		return &kinds[SVL__KIND_##T];
#define SVL_STOCK(T, ...) SVL__CASE(T)
#define SVL_STOCK_LINES(T, ...) SVL__CASE(T)
#define SVL_STOCK_FACT(T, card) SVL__CASE(T)
#include "stock_moves.def"
#undef SVL__CASE
	default:
		return NULL;
	}
}

const svl__move_kind *svl__move_kind_at(size_t i)
{
	return i < SVL__KINDS ? &kinds[i] : NULL;
}

const svl__move_rule *svl__move_rule_at(size_t i)
{
	return i < N_RULES ? &rules[i] : NULL;
}

const svl__move_tally *svl__move_tally_at(size_t i)
{
	return i < N_TALLIES ? &tallies[i] : NULL;
}

unsigned svl__move_buckets(uint32_t type)
{
	unsigned bits = 0;
	for (size_t i = 0; i < N_RULES; i++)
		if (rules[i].type == type)
			bits |= 1u << rules[i].from | 1u << rules[i].to;
	return bits;
}

int svl__move_tallied(uint32_t type)
{
	for (size_t i = 0; i < N_TALLIES; i++)
		if (tallies[i].type == type)
			return 1;
	return 0;
}

void svl__move_dir(const svl__move_rule *r, int64_t qty_milli, int *from,
		   int *to, int64_t *q)
{
	int back = qty_milli < 0;
	*from = back ? r->to : r->from;
	*to = back ? r->from : r->to;
	*q = back ? -qty_milli : qty_milli;
}

void svl__move_deltas(const svl__move_line *ln, int64_t d[SVL__BUCKETS])
{
	memset(d, 0, SVL__BUCKETS * sizeof d[0]);
	for (uint32_t k = 0; k < ln->n_rules; k++) {
		d[ln->rule[k]->from] -= ln->qty_milli;
		d[ln->rule[k]->to] += ln->qty_milli;
	}
}

static int applies(const svl__move_rule *r, const svl_value *v)
{
	int is = r->field >= 0 && v[r->field].present;
	switch (r->when) {
	case SVL__WHEN_PRESENT:
		return is;
	case SVL__WHEN_ABSENT:
		return !is;
	case SVL__WHEN_IS:
		return is && v[r->field].i == r->value;
	case SVL__WHEN_NOT:
		return !(is && v[r->field].i == r->value);
	default:
		return 1;
	}
}

static int one_line(const svl__move_kind *k, const svl_event_view *v,
		    const svl_value *el, svl__move_fn fn, void *st)
{
	svl__move_line ln;
	memset(&ln, 0, sizeof ln);
	ln.kind = k;
	ln.v = v;
	ln.el = el;
	ln.part = &el[k->part];
	ln.bin = &el[k->bin];
	ln.qty_milli = el[k->qty].i;
	for (size_t i = 0; i < N_RULES; i++) {
		if (rules[i].type != k->type || !applies(&rules[i], v->v))
			continue;
		assert(ln.n_rules < SVL__LINE_RULES_MAX);
		ln.rule[ln.n_rules++] = &rules[i];
	}
	for (size_t i = 0; i < N_TALLIES; i++) {
		if (tallies[i].type != k->type ||
		    !v->v[tallies[i].field].present)
			continue;
		assert(ln.n_tallies < SVL__LINE_TALLIES_MAX);
		ln.tally[ln.n_tallies++] = &tallies[i];
	}
	return fn(st, &ln);
}

int svl__move_lines(const svl_event_view *v, svl__move_fn fn, void *st)
{
	const svl__move_kind *k = svl__move_kind_of(v->type->id);
	if (!k || k->fact)
		return SVL_OK;
	if (k->lines < 0)
		return one_line(k, v, v->v, fn, st);
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, v, (uint32_t)k->lines);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK)
		rc = one_line(k, v, el, fn, st);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}
