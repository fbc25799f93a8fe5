/*
 * seal_check.c - checking seals and signatures against a ledger
 * (docs/trust.md "Verifying").
 *
 *   svl_seal_verify   a seal file, with keys the auditor trusts: each seal
 *                     signed by a trusted key registered to its sealer,
 *                     the file's seals chained from seq 1, each one's
 *                     records present with their digest and head hash,
 *                     and its event in the ledger as in the file;
 *   svl_trust_check   the ledger's own seals (the same checks, trusting
 *                     the keys the ledger registers) and every signed
 *                     signature in it.
 *
 * Both stop at the first failure and name its seq range.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "seals_int.h"

static const uint8_t zero_digest[SVL__DIG];

static int bad(svl_trust_report *r, uint64_t from, uint64_t to,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int bad(svl_trust_report *r, uint64_t from, uint64_t to,
	       const char *fmt, ...)
{
	va_list ap;
	r->ok = 0;
	r->bad_from = from;
	r->bad_to = to;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof r->problem, fmt, ap);
	va_end(ap);
	return SVL_ITEROVER; /* stop: the verdict is in the report */
}

/* A decider context on a read transaction, for the key folds. */
static void dctx_on(svl__dctx *c, svl_txn *txn, svl_refusal *why)
{
	memset(c, 0, sizeof *c);
	c->txn = txn;
	c->why = why;
	c->rules = svl__rules_default(); /* messages in the seed's zone */
}

static int signature_ok(const svl_seal *s)
{
	svl__seal_fields f;
	svl__text t = {0};
	svl__seal_fields_of(s, &f);
	int ok = svl__seal_text(&f, &t) == SVL_OK &&
		 crypto_sign_verify_detached(s->signature,
					     (const unsigned char *)t.p, t.len,
					     s->public_key) == 0;
	svl__text_free(&t);
	return ok;
}

/* R-KEY-3 for a seal, against the ledger's registrations. */
static int key_ok(svl_txn *txn, const svl_seal *s, svl_trust_report *r)
{
	svl__dctx c;
	svl_refusal why;
	char pk[2 * SVL__PK + 1];
	int status;
	int64_t edge;
	dctx_on(&c, txn, &why);
	svl__hex(pk, s->public_key, SVL__PK);
	/* as the seal's decider saw it: registrations before the seal */
	int rc = svl__key_status(&c, s->staff_id, strlen(s->staff_id), pk,
				 s->sealed_at_ms, s->seq, &status, &edge);
	if (rc != SVL_OK || status == SVL__KEY_VALID)
		return rc;
	return bad(r, s->from_seq, s->to_seq,
		   "seal of seq %llu..%llu is signed by key %.16s..., which "
		   "%s %s when it was sealed (R-KEY-3)",
		   (unsigned long long)s->from_seq,
		   (unsigned long long)s->to_seq, pk,
		   status == SVL__KEY_REVOKED ? "was revoked for"
		   : status == SVL__KEY_NOT_YET ? "was not yet registered to"
						 : "is not registered to",
		   s->staff_id);
}

/* Chain from the seal before (prev NULL: the first), signature, records
 * present, key, digest and head hash. */
static int check_one(svl_txn *txn, const svl_seal *s, const svl_seal *prev,
		     uint64_t head, svl_trust_report *r)
{
	unsigned long long a = s->from_seq, b = s->to_seq;
	uint64_t want = prev ? prev->to_seq + 1 : 1;
	if (memcmp(s->ledger_id, svl_log_id(svl_txn_log(txn)), SVL_ID_SIZE))
		return bad(r, a, b, "seal of seq %llu..%llu is for another "
				    "ledger", a, b);
	if (!signature_ok(s))
		return bad(r, a, b,
			   "seal of seq %llu..%llu: its signature does not "
			   "verify (the seal was altered)", a, b);
	if (s->from_seq > want)
		return bad(r, want, s->from_seq - 1,
			   "no seal covers seq %llu..%llu: a seal is missing "
			   "before the seal of seq %llu..%llu",
			   (unsigned long long)want, a - 1, a, b);
	if (s->from_seq != want || s->to_seq < s->from_seq ||
	    memcmp(s->prev_digest, prev ? prev->digest : zero_digest,
		   SVL__DIG))
		return bad(r, a, b,
			   "seal of seq %llu..%llu does not follow the seal "
			   "before it (from_seq or prev_digest)", a, b);
	if (s->to_seq > head)
		return bad(r, head + 1, b,
			   "seal of seq %llu..%llu reaches past the ledger's "
			   "end at seq %llu: records %llu..%llu were removed "
			   "(tail cut or rolled back)",
			   a, b, (unsigned long long)head,
			   (unsigned long long)head + 1, b);
	int rc = key_ok(txn, s, r);
	uint8_t d[SVL__DIG], last[SVL_HASH_SIZE];
	if (rc == SVL_OK)
		rc = svl__seal_digest(txn, s->from_seq, s->to_seq,
				      s->prev_digest, d, last);
	if (rc != SVL_OK)
		return rc;
	if (memcmp(d, s->digest, SVL__DIG) ||
	    memcmp(last, s->head_hash, SVL_HASH_SIZE))
		return bad(r, a, b,
			   "records %llu..%llu changed after they were sealed "
			   "by %s (their digest is not the seal's)",
			   a, b, s->staff_id);
	return SVL_OK;
}

static void sealed(svl_trust_report *r, const svl_seal *s)
{
	r->seals++;
	r->sealed_through = s->to_seq;
	r->last_sealed_at_ms = s->sealed_at_ms;
	snprintf(r->last_sealed_by, sizeof r->last_sealed_by, "%s",
		 s->staff_id);
}

/* ---- a seal file ---- */

struct file_arg {
	const svl_seal *seals;
	size_t n;
	const uint8_t *trusted; /* n_trusted keys, back to back */
	size_t n_trusted;
	svl_trust_report *r;
};

static int trusted(const struct file_arg *a, const uint8_t *pk)
{
	for (size_t k = 0; k < a->n_trusted; k++)
		if (memcmp(a->trusted + k * SVL__PK, pk, SVL__PK) == 0)
			return 1;
	return 0;
}

static int same_seal(const svl_seal *a, const svl_seal *b)
{
	return a->seq == b->seq && a->from_seq == b->from_seq &&
	       a->to_seq == b->to_seq && a->sealed_at_ms == b->sealed_at_ms &&
	       !memcmp(a->ledger_id, b->ledger_id, sizeof a->ledger_id) &&
	       !memcmp(a->head_hash, b->head_hash, sizeof a->head_hash) &&
	       !memcmp(a->prev_digest, b->prev_digest, SVL__DIG) &&
	       !memcmp(a->digest, b->digest, SVL__DIG) &&
	       !memcmp(a->public_key, b->public_key, SVL__PK) &&
	       !memcmp(a->signature, b->signature, SVL__SIG) &&
	       !strcmp(a->period, b->period) &&
	       !strcmp(a->staff_id, b->staff_id) && !strcmp(a->role, b->role);
}

/* The seal's own event: in the ledger, as in the file. */
static int event_ok(svl_txn *txn, const svl_seal *s, uint64_t head,
		    svl_trust_report *r)
{
	unsigned long long q = s->seq;
	svl_record rec;
	svl_seal in;
	if (s->seq > head)
		return bad(r, head + 1, q,
			   "the seal event of seq %llu..%llu (seq %llu) is "
			   "past the ledger's end at seq %llu: records "
			   "%llu..%llu were removed (tail cut or rolled back)",
			   (unsigned long long)s->from_seq,
			   (unsigned long long)s->to_seq, q,
			   (unsigned long long)head,
			   (unsigned long long)head + 1, q);
	int rc = svl_txn_record(txn, s->seq, &rec);
	if (rc != SVL_OK)
		return rc;
	if (rec.type != SVL_T_LEDGER_SEALED || svl__seal_of(&rec, &in) ||
	    !same_seal(&in, s))
		return bad(r, q, q,
			   "seq %llu is not the seal of seq %llu..%llu that "
			   "the seal file holds",
			   q, (unsigned long long)s->from_seq,
			   (unsigned long long)s->to_seq);
	return SVL_OK;
}

static int file_fn(svl_txn *txn, void *payload)
{
	struct file_arg *a = payload;
	svl_trust_report *r = a->r;
	svl_head h;
	int rc = svl_txn_head(txn, &h);
	r->head_seq = h.seq;
	for (size_t i = 0; i < a->n && rc == SVL_OK; i++) {
		const svl_seal *s = &a->seals[i];
		if (!trusted(a, s->public_key)) {
			char pk[2 * SVL__PK + 1];
			svl__hex(pk, s->public_key, SVL__PK);
			rc = bad(r, s->from_seq, s->to_seq,
				 "seal of seq %llu..%llu is signed by key "
				 "%.16s... (%s), which is not among the "
				 "trusted keys",
				 (unsigned long long)s->from_seq,
				 (unsigned long long)s->to_seq, pk,
				 s->staff_id);
			break;
		}
		rc = check_one(txn, s, i ? &a->seals[i - 1] : NULL,
			       r->head_seq, r);
		if (rc == SVL_OK)
			rc = event_ok(txn, s, r->head_seq, r);
		if (rc == SVL_OK)
			sealed(r, s);
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static int start(svl_trust_report *r)
{
	memset(r, 0, sizeof *r);
	r->ok = 1;
	return svl__sodium();
}

int svl_seal_verify(svl_log *log, const svl_seal *seals, size_t n,
		    const uint8_t *trusted_keys, size_t n_trusted,
		    svl_trust_report *report)
{
	if (!log || (!seals && n) || !report)
		return SVL_EMISUSE;
	int rc = start(report);
	struct file_arg a = {seals, n, trusted_keys, n_trusted, report};
	return rc == SVL_OK ? svl_log_read(log, file_fn, &a) : rc;
}

/* ---- the ledger's own evidence ---- */

struct own_arg {
	svl_trust_report *r;
	int have_prev;
	svl_seal prev;
	uint8_t *keys; /* the registered keys so far, back to back */
	size_t cap;
};

/* R-KEY-1 again: each key registered once (to one person). */
static int check_registered(const svl_record *rec, struct own_arg *a)
{
	svl_event_view v;
	uint8_t pk[SVL__PK];
	unsigned long long q = rec->seq;
	if (svl_event_decode(&v, rec->type, rec->schema_version, rec->payload,
			     rec->payload_len) != SVL_OK)
		return bad(a->r, q, q, "seq %llu does not decode", q);
	const svl_value *k = &v.v[SVL_F_STAFF_KEY_REGISTERED_PUBLIC_KEY];
	if (!svl__unhex(pk, SVL__PK, k->s, k->len))
		return bad(a->r, q, q, "seq %llu: a key that is not hex", q);
	size_t n = a->r->keys_registered;
	for (size_t i = 0; i < n; i++)
		if (!memcmp(a->keys + i * SVL__PK, pk, SVL__PK))
			return bad(a->r, q, q,
				   "seq %llu: key %.16s... is registered a "
				   "second time (R-KEY-1)",
				   q, k->s);
	if (n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		uint8_t *g = realloc(a->keys, cap * SVL__PK);
		if (!g)
			return SVL_ENOMEM;
		a->keys = g;
		a->cap = cap;
	}
	memcpy(a->keys + n * SVL__PK, pk, SVL__PK);
	a->r->keys_registered++;
	return SVL_OK;
}

/* One signed signature: key registered to the signer then, signature
 * over its text. An unsigned one is counted. */
static int check_signed(svl_txn *txn, const svl_record *rec,
			const svl__signable *sg, svl_trust_report *r)
{
	svl_event_view v;
	unsigned long long q = rec->seq;
	if (svl_event_decode(&v, rec->type, rec->schema_version, rec->payload,
			     rec->payload_len) != SVL_OK)
		return bad(r, q, q, "seq %llu does not decode", q);
	const svl_value *key = &v.v[sg->key_field], *sig = &v.v[sg->sig_field];
	if (!key->present && !sig->present) {
		r->unsigned_signatures++;
		return SVL_OK;
	}
	uint8_t pk[SVL__PK], sb[SVL__SIG];
	svl__dctx c;
	svl_refusal why;
	int status;
	int64_t edge;
	dctx_on(&c, txn, &why);
	if (!key->present || !sig->present ||
	    !svl__unhex(pk, SVL__PK, key->s, key->len) ||
	    !svl__unhex(sb, SVL__SIG, sig->s, sig->len))
		return bad(r, q, q, "seq %llu: a half or malformed signature",
			   q);
	int rc = svl__key_status(&c, rec->actor, rec->actor_len, key->s,
				 rec->occurred_at_ms, rec->seq, &status, &edge);
	if (rc != SVL_OK)
		return rc;
	if (status != SVL__KEY_VALID)
		return bad(r, q, q,
			   "seq %llu: %s by %.*s is signed with key %.16s..., "
			   "which does not sign for them then (R-KEY-3)",
			   q, v.type->name, (int)rec->actor_len, rec->actor,
			   key->s);
	svl__signed e = {svl_log_id(svl_txn_log(txn)),
			 rec->id,
			 rec->type,
			 rec->schema_version,
			 rec->actor,
			 rec->role,
			 rec->actor_len,
			 rec->role_len,
			 rec->occurred_at_ms,
			 &v};
	svl__text t = {0};
	rc = svl__sig_text(txn, sg, &e, pk, &t);
	int ok = rc == SVL_OK &&
		 crypto_sign_verify_detached(sb, (const unsigned char *)t.p,
					     t.len, pk) == 0;
	svl__text_free(&t);
	if (rc != SVL_OK && rc != SVL_ENOTFOUND)
		return rc;
	if (!ok)
		return bad(r, q, q,
			   "seq %llu: the signature of %s by %.*s does not "
			   "verify: the event or what it signs for changed "
			   "after it was signed",
			   q, v.type->name, (int)rec->actor_len, rec->actor);
	r->signatures++;
	return SVL_OK;
}

static int check_record(svl_txn *txn, const svl_record *rec,
			struct own_arg *a)
{
	const svl__signable *sg = svl__signable_of(rec->type);
	if (sg)
		return check_signed(txn, rec, sg, a->r);
	if (rec->type == SVL_T_STAFF_KEY_REGISTERED)
		return check_registered(rec, a);
	a->r->keys_revoked += rec->type == SVL_T_STAFF_KEY_REVOKED;
	if (rec->type != SVL_T_LEDGER_SEALED)
		return SVL_OK;
	svl_seal s;
	if (svl__seal_of(rec, &s) != SVL_OK)
		return bad(a->r, rec->seq, rec->seq,
			   "seq %llu: a seal that does not decode",
			   (unsigned long long)rec->seq);
	int rc = check_one(txn, &s, a->have_prev ? &a->prev : NULL,
			   rec->seq - 1, a->r);
	if (rc != SVL_OK)
		return rc;
	sealed(a->r, &s);
	a->prev = s;
	a->have_prev = 1;
	return SVL_OK;
}

static int own_fn(svl_txn *txn, void *payload)
{
	struct own_arg *a = payload;
	svl_head h;
	svl_iter *it;
	svl_record rec;
	int rc = svl_txn_head(txn, &h);
	a->r->head_seq = h.seq;
	if (rc != SVL_OK || h.seq == 0)
		return rc;
	if ((rc = svl_txn_iter_seq(txn, 1, h.seq, &it)) != SVL_OK)
		return rc;
	while ((rc = svl_iter_next(it, &rec)) == SVL_OK)
		if ((rc = check_record(txn, &rec, a)) != SVL_OK)
			break;
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

int svl_trust_check(svl_log *log, svl_trust_report *report)
{
	if (!log || !report)
		return SVL_EMISUSE;
	struct own_arg a;
	memset(&a, 0, sizeof a);
	a.r = report;
	int rc = start(report);
	if (rc == SVL_OK)
		rc = svl_log_read(log, own_fn, &a);
	free(a.keys);
	return rc;
}
