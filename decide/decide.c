/*
 * decide.c - the entry points of the deciders (svl_decide.h) and what every
 * area decider shares: refusals, local times, stream folds. (The write-off
 * split, line values and quantity text are model/money.c's.)
 *
 * A decision runs in three steps, cheapest first, and stops at the first
 * "no": the envelope (type, payload, stream), who may record it (roles.c:
 * R-ROLE-1, R-ROLE-2), then the state rules of its area. Each area decider
 * folds only the streams the event touches, on the caller's transaction,
 * so a batch is decided against exactly the state it is appended to, and
 * svl_decide() itself never writes an event.
 *
 * Invariants: on SVL_OK the refusal is cleared; on SVL_EREFUSED rule and
 * msg are set and msg starts with the rule id; nothing here keeps state
 * between calls except the index table handle cache (decide_index.c).
 */
#include <stdarg.h>
#include <stdio.h>

#include "trust_int.h"

/* ---- refusals ---------------------------------------------------------- */

int svl__refuse(svl__dctx *c, const char *rule, const char *fmt, ...)
{
	char *msg = c->why->msg;
	size_t cap = sizeof c->why->msg;
	va_list ap;
	snprintf(c->why->rule, sizeof c->why->rule, "%s", rule);
	int n = snprintf(msg, cap, "%s: ", c->why->rule);
	if (n < 0 || (size_t)n >= cap)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, cap - (size_t)n, fmt, ap);
	va_end(ap);
	return svl_txn_fail(c->txn, SVL_EREFUSED, "%s", c->why->msg);
}

int svl__invalid(svl__dctx *c, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	return svl_txn_fail(c->txn, SVL_EINVAL, "%s", line);
}

void svl__vcopy(char *buf, size_t cap, const svl_value *v)
{
	size_t n = v->present && v->s ? v->len : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(buf, v->s, n);
	buf[n] = '\0';
}

/* ---- streams ------------------------------------------------------------ */

static int stream_name(svl__dctx *c, char *out, size_t cap, const char *prefix,
		       const svl_value *key, size_t *len)
{
	if (!key->present || !key->s)
		return svl__invalid(c, "%s stream: the key field is absent",
				    prefix);
	int n = snprintf(out, cap, "%s-%.*s", prefix, SVL__V(*key));
	if (n < 0 || (size_t)n >= cap || (size_t)n > SVL_STREAM_MAX)
		return svl__invalid(c, "%s stream id too long", prefix);
	*len = (size_t)n;
	return SVL_OK;
}

int svl__stream_version(svl__dctx *c, const char *prefix, const svl_value *key,
			uint64_t *out)
{
	char name[SVL_STREAM_MAX + 1];
	size_t len = 0;
	int rc = stream_name(c, name, sizeof name, prefix, key, &len);
	if (rc != SVL_OK)
		return rc;
	return svl_txn_stream_version(c->txn, name, len, out);
}

int svl__fold(svl__dctx *c, const char *prefix, const svl_value *key,
	      uint64_t upto_seq, svl__fold_fn fn, void *st)
{
	char name[SVL_STREAM_MAX + 1];
	size_t len = 0;
	svl_iter *it;
	int rc = stream_name(c, name, sizeof name, prefix, key, &len);
	if (rc != SVL_OK)
		return rc;
	if ((rc = svl_txn_iter_stream(c->txn, name, len, 1, 0, &it)) != SVL_OK)
		return rc == SVL_ENOTFOUND ? SVL_OK : rc;
	svl_record r;
	svl_event_view v;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK) {
		if (upto_seq && r.seq > upto_seq)
			break;
		if (!svl_event_type_get(r.type))
			continue; /* not a catalog event: nothing to fold */
		rc = svl_event_decode(&v, r.type, r.schema_version, r.payload,
				      r.payload_len);
		if (rc != SVL_OK) {
			rc = svl_txn_fail(c->txn, SVL_ECORRUPT,
					  "seq %llu of %s does not decode",
					  (unsigned long long)r.seq, name);
			break;
		}
		if ((rc = fn(st, &r, &v)) != SVL_OK)
			break;
	}
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* ---- svl_decide ---------------------------------------------------------- */

/* Type, payload, stream, actor and role name: problems of the event
 * itself, reported as SVL_EINVAL. */
static int check_envelope(svl__dctx *c)
{
	const svl_event_in *ev = c->ev;
	if (!(c->type = svl_event_type_get(ev->type)))
		return svl__invalid(c, "unknown event type %u", ev->type);
	if (!ev->payload || ev->payload_len == 0)
		return svl__invalid(c, "%s: no payload", c->type->name);
	if (svl_event_decode(&c->v, ev->type, ev->schema_version, ev->payload,
			     ev->payload_len) != SVL_OK)
		return svl__invalid(c,
				    "%s: payload does not decode as schema "
				    "version %u",
				    c->type->name, ev->schema_version);
	char want[SVL_STREAM_MAX + 1];
	size_t n = 0;
	if (svl_event_stream(want, sizeof want, &n, &c->v) != SVL_OK)
		return svl__invalid(c, "%s: no stream key in the payload",
				    c->type->name);
	if (!ev->stream || ev->stream_len != n || memcmp(ev->stream, want, n))
		return svl__invalid(c,
				    "%s: stream '%.*s' is not the payload's "
				    "stream '%s'",
				    c->type->name,
				    (int)(ev->stream ? ev->stream_len : 0),
				    ev->stream ? ev->stream : "", want);
	if (!ev->actor || ev->actor_len == 0)
		return svl__invalid(c,
				    "%s: no actor: every event names the "
				    "person who recorded it",
				    c->type->name);
	c->role = ev->role ? svl_role_find(ev->role, ev->role_len) : -1;
	if (c->role < 0)
		return svl__invalid(c, "%s: unknown role '%.*s'", c->type->name,
				    (int)(ev->role ? ev->role_len : 0),
				    ev->role ? ev->role : "");
	return SVL_OK;
}

static int decide_areas(svl__dctx *c)
{
	static int (*const areas[])(svl__dctx *) = {
	    svl__decide_staff,	   svl__decide_booking, svl__decide_workshop,
	    svl__decide_followup,  svl__decide_issue,	svl__decide_bins,
	    svl__decide_receiving, svl__decide_stock,	svl__decide_writeoff,
	    svl__decide_front,	   svl__decide_office,	svl__decide_oldparts,
	    svl__check_signature,  svl__decide_keys,	svl__decide_seal,
	};
	for (size_t k = 0; k < sizeof areas / sizeof areas[0]; k++) {
		int rc = areas[k](c);
		if (rc != SVL_OK)
			return rc;
	}
	return SVL_OK;
}

void svl__rules_of_options(const svl_decide_options *o, svl_rules *out)
{
	svl_rules_default(out);
	out->tz_offset_min = o->tz_offset_min;
	out->day_capacity_jobs = (int32_t)o->day_capacity_jobs;
	if (o->wof_split_permille[0] || o->wof_split_permille[1] ||
	    o->wof_split_permille[2] || o->wof_split_permille[3])
		memcpy(out->wof_split_permille, o->wof_split_permille,
		       sizeof out->wof_split_permille);
	out->require_signed = o->require_signed;
}

int svl__decide(svl_txn *txn, const svl_event_in *ev, const svl_rules *policy,
		unsigned flags, svl_refusal *why)
{
	svl_refusal scratch;
	svl__dctx c;
	if (!txn || !ev || !policy)
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide: txn and event are required");
	memset(&c, 0, sizeof c);
	c.txn = txn;
	c.ev = ev;
	c.why = why ? why : &scratch;
	memset(c.why, 0, sizeof *c.why);
	c.rules = policy;
	c.flags = flags;
	int rc = check_envelope(&c);
	if (rc == SVL_OK) /* always, so a missing prepare never goes unseen */
		rc = svl__index_open(&c);
	if (rc == SVL_OK)
		rc = svl__check_roles(&c);
	if (rc == SVL_OK && !(c.flags & SVL_DECIDE_ROLES_ONLY))
		rc = decide_areas(&c);
	if (rc != SVL_EREFUSED)
		memset(c.why, 0, sizeof *c.why);
	return rc;
}

/* The public entry points' options as a rule set and flags. */
static int policy_of(svl_txn *txn, const svl_decide_options *opt,
		     svl_rules *policy, unsigned *flags)
{
	svl_decide_options defaults = SVL_DECIDE_OPTIONS_INIT;
	if (!opt)
		opt = &defaults;
	if (opt->version < 1)
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide: options version %u", opt->version);
	svl__rules_of_options(opt, policy);
	*flags = opt->flags;
	return SVL_OK;
}

int svl_decide(svl_txn *txn, const svl_event_in *ev,
	       const svl_decide_options *opt, svl_refusal *why)
{
	svl_rules policy;
	unsigned flags;
	if (why)
		memset(why, 0, sizeof *why);
	if (!txn || !ev)
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide: txn and event are required");
	int rc = policy_of(txn, opt, &policy, &flags);
	return rc == SVL_OK ? svl__decide(txn, ev, &policy, flags, why) : rc;
}

/* ---- svl_decide_append --------------------------------------------------- */

static const uint8_t zero_id[SVL_ID_SIZE];

/* A retry of an event already committed: the engine returns its original
 * position, and deciding it again would see it in its own state. */
static int is_committed(svl_txn *txn, const svl_event_in *ev, int *yes)
{
	uint64_t seq;
	*yes = 0;
	if (memcmp(ev->id, zero_id, SVL_ID_SIZE) == 0)
		return SVL_OK;
	int rc = svl_log_find_id(svl_txn_log(txn), ev->id, &seq);
	if (rc == SVL_OK)
		*yes = 1;
	return rc == SVL_ENOTFOUND ? SVL_OK : rc;
}

int svl__decide_append(svl_txn *txn, const svl_event_in *evs, size_t n,
		       const svl_rules *policy, unsigned flags,
		       svl_position *out, svl_refusal *why,
		       size_t *failed_index)
{
	unsigned table;
	if (!txn || (!evs && n))
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide append: txn and events required");
	int rc = svl__index_find(txn, &table);
	for (size_t i = 0; rc == SVL_OK && i < n; i++) {
		int retry;
		svl_position pos;
		if (failed_index)
			*failed_index = i;
		if ((rc = is_committed(txn, &evs[i], &retry)) != SVL_OK)
			break;
		if (!retry && (rc = svl__decide(txn, &evs[i], policy, flags,
						why)) != SVL_OK)
			break;
		if ((rc = svl_txn_append(txn, &evs[i], 1, &pos)) != SVL_OK)
			break;
		if (out)
			out[i] = pos;
		if (!pos.duplicate)
			rc = svl__index_catch_up(txn, table);
	}
	return rc;
}

int svl_decide_append(svl_txn *txn, const svl_event_in *evs, size_t n,
		      const svl_decide_options *opt, svl_position *out,
		      svl_refusal *why, size_t *failed_index)
{
	svl_rules policy;
	unsigned flags;
	if (!txn || (!evs && n))
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide append: txn and events required");
	int rc = policy_of(txn, opt, &policy, &flags);
	return rc == SVL_OK ? svl__decide_append(txn, evs, n, &policy, flags,
						 out, why, failed_index)
			    : rc;
}
