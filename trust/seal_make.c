/*
 * seal_make.c - sealing a period: find where the previous seal ended and
 * where this one ends, digest the records between, sign, and append the
 * ledger_sealed event through the deciders (docs/trust.md "Seals").
 */
#include <sodium.h>
#include <stdio.h>
#include <time.h>

#include "calendar.h"
#include "catalog_int.h"
#include "seals_int.h"

/* ---- svl_seal from a ledger_sealed record ---- */

static int unhex_v(uint8_t *out, size_t n, const svl_value *v)
{
	return svl__unhex(out, n, v->s, v->len);
}

int svl__seal_of(const svl_record *r, svl_seal *out)
{
	svl_event_view v;
	if (svl_event_decode(&v, r->type, r->schema_version, r->payload,
			     r->payload_len) != SVL_OK)
		return SVL_ECORRUPT;
	memset(out, 0, sizeof *out);
	out->seq = r->seq;
	out->from_seq = (uint64_t)v.v[SVL_F_LEDGER_SEALED_FROM_SEQ].i;
	out->to_seq = (uint64_t)v.v[SVL_F_LEDGER_SEALED_TO_SEQ].i;
	out->sealed_at_ms = v.v[SVL_F_LEDGER_SEALED_SEALED_AT_MS].i;
	svl__vcopy(out->period, sizeof out->period,
		   &v.v[SVL_F_LEDGER_SEALED_PERIOD]);
	svl_value actor = {0, r->actor, (uint32_t)r->actor_len, 1};
	svl_value role = {0, r->role, (uint32_t)r->role_len, 1};
	svl__vcopy(out->staff_id, sizeof out->staff_id, &actor);
	svl__vcopy(out->role, sizeof out->role, &role);
	if (!unhex_v(out->ledger_id, SVL_ID_SIZE,
		     &v.v[SVL_F_LEDGER_SEALED_LEDGER_ID]) ||
	    !unhex_v(out->head_hash, SVL_HASH_SIZE,
		     &v.v[SVL_F_LEDGER_SEALED_HEAD_HASH]) ||
	    !unhex_v(out->prev_digest, SVL__DIG,
		     &v.v[SVL_F_LEDGER_SEALED_PREV_DIGEST]) ||
	    !unhex_v(out->digest, SVL__DIG, &v.v[SVL_F_LEDGER_SEALED_DIGEST]) ||
	    !unhex_v(out->public_key, SVL__PK,
		     &v.v[SVL_F_LEDGER_SEALED_PUBLIC_KEY]) ||
	    !unhex_v(out->signature, SVL__SIG,
		     &v.v[SVL_F_LEDGER_SEALED_SIGNATURE]))
		return SVL_ECORRUPT;
	return SVL_OK;
}

void svl__seal_fields_of(const svl_seal *s, svl__seal_fields *f)
{
	*f = (svl__seal_fields){s->ledger_id,
				s->from_seq,
				s->to_seq,
				s->head_hash,
				s->prev_digest,
				s->digest,
				s->sealed_at_ms,
				s->period,
				s->staff_id,
				s->role,
				strlen(s->period),
				strlen(s->staff_id),
				strlen(s->role),
				s->public_key};
}

void svl__seal_stream(svl_log *log, char out[SVL__SEAL_STREAM_MAX])
{
	memcpy(out, "seal-", 5);
	svl__hex(out + 5, svl_log_id(log), SVL_ID_SIZE);
}

struct each_arg {
	svl_seal_fn fn;
	void *payload;
};

int svl__seal_walk(svl_txn *txn, svl_seal_fn fn, void *payload)
{
	char stream[SVL__SEAL_STREAM_MAX];
	svl_iter *it;
	svl_record r;
	svl__seal_stream(svl_txn_log(txn), stream);
	int rc = svl_txn_iter_stream(txn, stream, strlen(stream), 1, 0, &it);
	if (rc != SVL_OK)
		return rc == SVL_ENOTFOUND ? SVL_OK : rc;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK) {
		svl_seal s;
		if (r.type != SVL_T_LEDGER_SEALED)
			continue;
		if ((rc = svl__seal_of(&r, &s)) != SVL_OK) {
			rc = svl_txn_fail(txn, rc, "seal at seq %llu does not "
						   "decode",
					  (unsigned long long)r.seq);
			break;
		}
		if ((rc = fn(&s, payload)) != 0)
			break;
	}
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static int each_fn(svl_txn *txn, void *payload)
{
	struct each_arg *a = payload;
	return svl__seal_walk(txn, a->fn, a->payload);
}

int svl_seal_each(svl_log *log, svl_seal_fn fn, void *payload)
{
	if (!log || !fn)
		return SVL_EMISUSE;
	struct each_arg a = {fn, payload};
	return svl_log_read(log, each_fn, &a);
}

/* ---- where the seal ends ---- */

/* The UTC ms at which local day or month `period` ends. */
static int period_end(const char *p, int32_t tz_min, int64_t *end_ms)
{
	int64_t first, end;
	if (!svl__period_parse(p, &first, &end))
		return SVL_EINVAL;
	*end_ms = svl__day_start_ms(end, tz_min);
	return SVL_OK;
}

/* The last seq recorded before end_ms (recorded_at never decreases). */
static int last_before(svl_txn *txn, uint64_t head, int64_t end_ms,
		       uint64_t *out)
{
	uint64_t lo = 0, hi = head; /* answer in [lo, hi] */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		svl_record r;
		int rc = svl_txn_record(txn, mid, &r);
		if (rc != SVL_OK)
			return rc;
		if (r.recorded_at_ms < end_ms)
			lo = mid;
		else
			hi = mid - 1;
	}
	*out = lo;
	return SVL_OK;
}

/* ---- the seal ---- */

typedef struct plan {
	const svl_seal_options *o;
	int32_t tz_min;
	svl_seal *s; /* ledger_id .. digest, sealed_at_ms, public_key in */
	int have_prev;
	svl_seal prev;
	uint64_t version; /* of the seal stream */
} plan;

/* The sealer when the options leave it to the key: the person the key is
 * registered to, in the first sealing role they hold at the seal's time. */
static int plan_sealer(svl_txn *txn, plan *p)
{
	static const int roles[] = {SVL_ROLE_SERVICE_MANAGER,
				    SVL_ROLE_PARTS_MANAGER,
				    SVL_ROLE_GENERAL_MANAGER};
	svl_seal *s = p->s;
	svl_refusal why;
	svl__dctx c;
	memset(&c, 0, sizeof c);
	c.txn = txn;
	c.why = &why;
	char pk[2 * SVL__PK + 1];
	svl__hex(pk, s->public_key, SVL__PK);
	svl_value pkv = {0, pk, 2 * SVL__PK, 1};
	int found = 1, rc = SVL_OK;
	if (p->o->actor)
		snprintf(s->staff_id, sizeof s->staff_id, "%s", p->o->actor);
	else if ((rc = svl__index_key_owner(&c, &pkv, s->staff_id,
					    sizeof s->staff_id, &found)))
		return rc;
	if (!found)
		return svl_txn_fail(txn, SVL_EREFUSED,
				    "R-KEY-3: key %.16s... is not registered "
				    "to anyone; a manager registers it first",
				    pk);
	if (p->o->role) {
		snprintf(s->role, sizeof s->role, "%s", p->o->role);
		return SVL_OK;
	}
	for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
		int held;
		rc = svl__role_held(&c, s->staff_id, strlen(s->staff_id),
				    roles[k], s->sealed_at_ms, &held, NULL,
				    NULL);
		if (rc != SVL_OK || held) {
			snprintf(s->role, sizeof s->role, "%s",
				 svl_role_name(roles[k]));
			return rc;
		}
	}
	return svl_txn_fail(txn, SVL_EREFUSED,
			    "R-ROLE-2: %s holds none of service_manager, "
			    "parts_manager, general_manager: only they seal",
			    s->staff_id);
}

static int keep_last(const svl_seal *s, void *payload)
{
	plan *p = payload;
	p->prev = *s;
	p->have_prev = 1;
	return 0;
}

/* to_seq by the options: a period's last record, a seq, or the head. */
static int plan_to(svl_txn *txn, plan *p, uint64_t head, uint64_t *to)
{
	const svl_seal_options *o = p->o;
	if (o->period) {
		int64_t end;
		if (period_end(o->period, p->tz_min, &end) != SVL_OK)
			return svl_txn_fail(txn, SVL_EINVAL,
					    "period: expected a month YYYY-MM "
					    "or a day YYYY-MM-DD, got \"%.16s\"",
					    o->period);
		return last_before(txn, head, end, to);
	}
	*to = o->through_seq ? o->through_seq : head;
	if (*to > head)
		return svl_txn_fail(txn, SVL_EINVAL,
				    "through: seq %llu is past the head, %llu",
				    (unsigned long long)*to,
				    (unsigned long long)head);
	return SVL_OK;
}

static int plan_fn(svl_txn *txn, void *payload)
{
	plan *p = payload;
	svl_seal *s = p->s;
	svl_head h;
	char stream[SVL__SEAL_STREAM_MAX];
	int rc = svl__seal_walk(txn, keep_last, p);
	if (rc == SVL_OK)
		rc = svl_txn_head(txn, &h);
	if (rc != SVL_OK)
		return rc;
	if ((rc = plan_sealer(txn, p)) != SVL_OK)
		return rc;
	svl__seal_stream(svl_txn_log(txn), stream);
	if ((rc = svl_txn_stream_version(txn, stream, strlen(stream),
					 &p->version)) != SVL_OK &&
	    rc != SVL_ENOTFOUND)
		return rc;
	memcpy(s->ledger_id, svl_log_id(svl_txn_log(txn)), SVL_ID_SIZE);
	s->from_seq = p->have_prev ? p->prev.to_seq + 1 : 1;
	if (p->have_prev)
		memcpy(s->prev_digest, p->prev.digest, SVL__DIG);
	if ((rc = plan_to(txn, p, h.seq, &s->to_seq)) != SVL_OK)
		return rc;
	/* the previous seal's own event alone is nothing new to seal */
	if (s->to_seq < s->from_seq ||
	    (p->have_prev && s->from_seq == p->prev.seq &&
	     s->to_seq == p->prev.seq))
		return svl_txn_fail(txn, SVL_ENOTFOUND,
				    "nothing to seal: the ledger is sealed "
				    "through seq %llu%s",
				    (unsigned long long)(s->from_seq - 1),
				    p->o->period ? " (past that period)" : "");
	return svl__seal_digest(txn, s->from_seq, s->to_seq, s->prev_digest,
				s->digest, s->head_hash);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sign the planned seal with k. */
static int sign_seal(svl_seal *s, const svl_keypair *k)
{
	svl__seal_fields f;
	svl__text t = {0};
	svl__seal_fields_of(s, &f);
	int rc = svl__seal_text(&f, &t);
	if (rc == SVL_OK)
		crypto_sign_detached(s->signature, NULL,
				     (const unsigned char *)t.p, t.len,
				     k->secret_key);
	svl__text_free(&t);
	return rc;
}

static svl_value hexval(char *buf, const uint8_t *b, size_t n)
{
	svl__hex(buf, b, n);
	return (svl_value){0, buf, (uint32_t)(2 * n), 1};
}

/* The ledger_sealed payload of s into out (cap bytes). */
static int encode_seal(const svl_seal *s, uint8_t *out, size_t cap,
		       size_t *len, svl_event_error *err)
{
	char lid[33], head[33], prev[65], dig[65], pk[65], sig[129];
	svl_value v[SVL_EVENT_FIELDS_MAX];
	memset(v, 0, sizeof v);
	v[SVL_F_LEDGER_SEALED_LEDGER_ID] = hexval(lid, s->ledger_id, 16);
	v[SVL_F_LEDGER_SEALED_FROM_SEQ] = svl_val_int((int64_t)s->from_seq);
	v[SVL_F_LEDGER_SEALED_TO_SEQ] = svl_val_int((int64_t)s->to_seq);
	v[SVL_F_LEDGER_SEALED_HEAD_HASH] = hexval(head, s->head_hash, 16);
	v[SVL_F_LEDGER_SEALED_PREV_DIGEST] = hexval(prev, s->prev_digest, 32);
	v[SVL_F_LEDGER_SEALED_DIGEST] = hexval(dig, s->digest, 32);
	v[SVL_F_LEDGER_SEALED_SEALED_AT_MS] = svl_val_int(s->sealed_at_ms);
	if (s->period[0])
		v[SVL_F_LEDGER_SEALED_PERIOD] = (svl_value){
		    0, s->period, (uint32_t)strlen(s->period), 1};
	v[SVL_F_LEDGER_SEALED_PUBLIC_KEY] = hexval(pk, s->public_key, 32);
	v[SVL_F_LEDGER_SEALED_SIGNATURE] = hexval(sig, s->signature, 64);
	return svl_event_encode(out, cap, len, SVL_T_LEDGER_SEALED, v,
				SVL_EVENT_FIELDS_MAX, err);
}

static int said(svl_submit_result *res, int rc, const char *msg)
{
	if (res) {
		memset(res, 0, sizeof *res);
		snprintf(res->message, sizeof res->message, "%s", msg);
		size_t n = strcspn(msg, ":");
		if (rc == SVL_EREFUSED && !strncmp(msg, "R-", 2) &&
		    n < sizeof res->rule)
			memcpy(res->rule, msg, n);
	}
	return rc;
}

int svl_seal_append(svl_ledger *l, const svl_keypair *k,
		    const svl_seal_options *opt, svl_seal *out,
		    svl_submit_result *res)
{
	if (!l || !k || !opt || opt->version != SVL_SEAL_OPTIONS_VERSION)
		return said(res, SVL_EMISUSE, "seal: ledger, key and options "
					      "(SVL_SEAL_OPTIONS_INIT) needed");
	if ((opt->actor && !*opt->actor) || (opt->role && !*opt->role) ||
	    (opt->period && strlen(opt->period) > SVL_SEAL_PERIOD_MAX))
		return said(res, SVL_EINVAL, "seal: an empty staff id or role, "
					     "or a period longer than 16");
	svl_rules rules;
	svl_seal s;
	memset(&s, 0, sizeof s);
	s.sealed_at_ms = opt->at_ms ? opt->at_ms : now_ms();
	memcpy(s.public_key, k->public_key, SVL__PK);
	snprintf(s.period, sizeof s.period, "%s", opt->period ? opt->period : "");
	int rc = svl_ledger_rules(l, &rules);
	plan p = {opt, rules.tz_offset_min, &s, 0, {0}, 0};
	svl_log *log = svl_ledger_log(l);
	if (rc == SVL_OK && (rc = svl_log_read(log, plan_fn, &p)) != SVL_OK)
		return said(res, rc, svl_log_errmsg(log));
	if (rc != SVL_OK || (rc = svl__sodium()) != SVL_OK ||
	    (rc = sign_seal(&s, k)) != SVL_OK)
		return said(res, rc, "seal: cannot read the rules or sign");
	uint8_t payload[1024];
	char stream[SVL__SEAL_STREAM_MAX];
	svl_event_error err;
	svl_event_in ev;
	memset(&ev, 0, sizeof ev);
	if ((rc = encode_seal(&s, payload, sizeof payload, &ev.payload_len,
			      &err)) != SVL_OK)
		return said(res, rc, err.msg);
	svl__seal_stream(log, stream);
	ev.stream = stream;
	ev.stream_len = strlen(stream);
	ev.type = SVL_T_LEDGER_SEALED;
	ev.schema_version = 1;
	ev.occurred_at_ms = s.sealed_at_ms;
	ev.recorded_at_ms = opt->at_ms;
	ev.actor = s.staff_id;
	ev.actor_len = strlen(s.staff_id);
	ev.role = s.role;
	ev.role_len = strlen(s.role);
	ev.payload = payload;
	ev.expected_version = (int64_t)p.version;
	if (opt->event_id)
		memcpy(ev.id, opt->event_id, SVL_ID_SIZE);
	else
		svl_event_id_generate(ev.id);
	svl_position pos;
	if ((rc = svl_ledger_submit(l, &ev, 1, 0, &pos, res)) != SVL_OK)
		return rc;
	s.seq = pos.seq;
	if (out)
		*out = s;
	return SVL_OK;
}
