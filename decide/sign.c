/*
 * sign.c - signed signatures: the text a signer's key signs for a pick
 * signature, a write-off appraisal or approval, a stocktake adjustment
 * approval, and the decider step that checks it (docs/trust.md).
 *
 *   R-KEY-3   a key signs only for the person it is registered to, from
 *             its registration until its revocation (keys.c)
 *   the type's own rule (R-ISS-1/3/4, R-WOF-2, R-WOF-5, R-STK-2): a
 *             signature that is present verifies; with the rule set's
 *             require_signed bit for the type, one must be present
 *
 * The text is "name=value" lines: the envelope's identity (ledger, event
 * id, type, actor, role, business time), every payload field but the two
 * signature fields, in schema order, then the fields of the document
 * signed for (the pick's request with its lines and quantities, the
 * write-off's request with its lines and costs), then the key. Strings are
 * JSON string literals, numbers decimal, booleans true/false; array
 * elements are "lines.0.part_no". Only fields of the payload's own schema
 * version are rendered, so a later schema cannot change an old text.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog_int.h"
#include "trust_int.h"

/* ---- text ---------------------------------------------------------------- */

void svl__text_add(svl__text *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 1024;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *p = realloc(t->p, cap);
		if (!p) {
			t->oom = 1;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void svl__text_addf(svl__text *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		t->oom = 1; /* every caller's line is short */
	else
		svl__text_add(t, buf, (size_t)n);
}

void svl__text_quoted(svl__text *t, const char *s, size_t n)
{
	svl__text_add(t, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			char e[2] = {'\\', (char)ch};
			svl__text_add(t, e, 2);
		} else if (ch < 0x20 || ch == 0x7f) {
			svl__text_addf(t, "\\u%04x", ch);
		} else {
			svl__text_add(t, s + i, 1);
		}
	}
	svl__text_add(t, "\"", 1);
}

void svl__text_free(svl__text *t)
{
	free(t->p);
	memset(t, 0, sizeof *t);
}

int svl__sodium(void)
{
	return sodium_init() < 0 ? SVL_EIO : SVL_OK;
}

void svl__hex(char *out, const uint8_t *b, size_t n)
{
	sodium_bin2hex(out, 2 * n + 1, b, n);
}

int svl__unhex(uint8_t *out, size_t n, const char *hex, size_t len)
{
	if (len != 2 * n || !svl__hex_lower(hex, len))
		return 0;
	size_t got = 0;
	return sodium_hex2bin(out, n, hex, len, NULL, &got, NULL) == 0 &&
	       got == n;
}

/* ---- the text ------------------------------------------------------------ */

static void render_value(svl__text *t, const svl_field_def *f,
			 const svl_value *v)
{
	if (f->kind == SVL_KIND_INT || f->kind == SVL_KIND_TIME)
		svl__text_addf(t, "%lld", (long long)v->i);
	else if (f->kind == SVL_KIND_BOOL)
		svl__text_add(t, v->i ? "true" : "false", v->i ? 4 : 5);
	else
		svl__text_quoted(t, v->s, v->len);
}

/* "<prefix><name>=<value>\n" for every present field of the payload's
 * version, skipping fields `skip_a` and `skip_b` (UINT32_MAX: none). */
static int render_fields(svl__text *t, const char *prefix,
			 const svl_event_view *v, uint32_t skip_a,
			 uint32_t skip_b)
{
	const svl_event_type *ty = v->type;
	for (uint32_t k = 0; k < ty->n_fields; k++) {
		const svl_field_def *f = &ty->fields[k];
		if (k == skip_a || k == skip_b || f->since > v->schema_version ||
		    !v->v[k].present)
			continue;
		if (f->kind != SVL_KIND_ARRAY) {
			svl__text_addf(t, "%s%s=", prefix, f->name);
			render_value(t, f, &v->v[k]);
			svl__text_add(t, "\n", 1);
			continue;
		}
		svl_event_array it;
		svl_value el[SVL_EVENT_SUBFIELDS_MAX];
		int rc = svl_event_array_begin(&it, v, k);
		for (uint32_t i = 0;
		     rc == SVL_OK && (rc = svl_event_array_next(&it, el)) ==
					 SVL_OK;
		     i++)
			for (uint32_t j = 0; j < f->n_sub; j++) {
				const svl_field_def *sf = &f->sub[j];
				if (sf->since > v->schema_version ||
				    !el[j].present)
					continue;
				svl__text_addf(t, "%s%s.%u.%s=", prefix,
					       f->name, i, sf->name);
				render_value(t, sf, &el[j]);
				svl__text_add(t, "\n", 1);
			}
		if (rc != SVL_ITEROVER)
			return SVL_ECORRUPT;
	}
	return SVL_OK;
}

typedef struct subject_fold {
	uint32_t type;
	svl__text *t;
	int found;
	int rc;
} subject_fold;

static int subject_step(void *st, const svl_record *r, const svl_event_view *v)
{
	subject_fold *s = st;
	if (r->type != s->type)
		return SVL_OK;
	s->found = 1;
	svl__text_addf(s->t, "subject.type=%s\n", v->type->name);
	s->rc = render_fields(s->t, "subject.", v, UINT32_MAX, UINT32_MAX);
	return SVL_ITEROVER;
}

static int render_subject(svl_txn *txn, const svl__signable *s,
			  const svl__signed *e, svl__text *t)
{
	svl_refusal scratch;
	svl__dctx c;
	memset(&c, 0, sizeof c);
	c.txn = txn;
	c.why = &scratch;
	subject_fold sf = {s->subject_type, t, 0, SVL_OK};
	const svl_value *key = &e->v->v[s->subject_key_field];
	int rc = svl__fold(&c, s->subject_prefix, key, 0, subject_step, &sf);
	if (rc != SVL_OK)
		return rc;
	if (!sf.found)
		return svl_txn_fail(txn, SVL_ENOTFOUND,
				    "%s-%.*s has no %s to sign for",
				    s->subject_prefix, SVL__V(*key),
				    svl_event_type_get(s->subject_type)->name);
	return sf.rc;
}

int svl__sig_text(svl_txn *txn, const svl__signable *s, const svl__signed *e,
		  const uint8_t pk[SVL__PK], svl__text *out)
{
	char hex[2 * SVL__PK + 1];
	svl__text_add(out, "svcledger signature 1\n", 22);
	svl__hex(hex, e->ledger_id, SVL_ID_SIZE);
	svl__text_addf(out, "ledger=%s\n", hex);
	svl__hex(hex, e->id, SVL_ID_SIZE);
	svl__text_addf(out, "event=%s\n", hex);
	svl__text_addf(out, "type=%s\nschema_version=%u\nactor=",
		       e->v->type->name, e->schema_version);
	svl__text_quoted(out, e->actor, e->actor_len);
	svl__text_add(out, "\nrole=", 6);
	svl__text_quoted(out, e->role, e->role_len);
	svl__text_addf(out, "\noccurred_at_ms=%lld\n",
		       (long long)e->occurred_at_ms);
	int rc = render_fields(out, "", e->v, s->key_field, s->sig_field);
	if (rc == SVL_OK && s->subject_type)
		rc = render_subject(txn, s, e, out);
	if (rc != SVL_OK)
		return rc;
	svl__hex(hex, pk, SVL__PK);
	svl__text_addf(out, "key=%s\n", hex);
	return out->oom ? SVL_ENOMEM : SVL_OK;
}

/* ---- the decider step ------------------------------------------------------ */

static const uint8_t zero_id[SVL_ID_SIZE];

static int check_present(svl__dctx *c, const svl__signable *s,
			 const char *rule)
{
	const svl_value *key = SVL__F(c, s->key_field);
	const svl_value *sig = SVL__F(c, s->sig_field);
	const svl_event_in *ev = c->ev;
	if (!key->present && !sig->present) {
		if (c->rules->require_signed & s->require_bit)
			return svl__refuse(
			    c, rule,
			    "%s by %.*s is not signed with a key; the rule "
			    "set requires it (require_signed)",
			    c->type->name, (int)ev->actor_len, ev->actor);
		return SVL_ITEROVER; /* unsigned, and allowed to be */
	}
	if (!key->present || !sig->present)
		return svl__refuse(c, rule,
				   "%s by %.*s: signer_key and signature go "
				   "together",
				   c->type->name, (int)ev->actor_len,
				   ev->actor);
	if (memcmp(ev->id, zero_id, SVL_ID_SIZE) == 0)
		return svl__refuse(c, rule,
				   "%s by %.*s: a signed event carries the id "
				   "it was signed with",
				   c->type->name, (int)ev->actor_len,
				   ev->actor);
	return SVL_OK;
}

int svl__check_signature(svl__dctx *c)
{
	const svl__signable *s = svl__signable_of(c->ev->type);
	if (!s)
		return SVL_OK;
	const char *rule = svl__signable_rule(s, &c->v);
	int rc = check_present(c, s, rule);
	if (rc != SVL_OK)
		return rc == SVL_ITEROVER ? SVL_OK : rc;
	const svl_event_in *ev = c->ev;
	const svl_value *key = SVL__F(c, s->key_field);
	const svl_value *sig = SVL__F(c, s->sig_field);
	rc = svl__check_key(c, ev->actor, ev->actor_len, key->s,
			    ev->occurred_at_ms, c->type->name);
	if (rc != SVL_OK)
		return rc;
	uint8_t pk[SVL__PK], sg[SVL__SIG];
	if (!svl__unhex(pk, SVL__PK, key->s, key->len) ||
	    !svl__unhex(sg, SVL__SIG, sig->s, sig->len))
		return svl__invalid(c, "%s: signer_key or signature is not hex",
				    c->type->name);
	svl__signed e = {svl_log_id(svl_txn_log(c->txn)),
			 ev->id,
			 ev->type,
			 ev->schema_version,
			 ev->actor,
			 ev->role,
			 ev->actor_len,
			 ev->role_len,
			 ev->occurred_at_ms,
			 &c->v};
	svl__text t = {0};
	if ((rc = svl__sodium()) == SVL_OK)
		rc = svl__sig_text(c->txn, s, &e, pk, &t);
	if (rc == SVL_OK &&
	    crypto_sign_verify_detached(sg, (const unsigned char *)t.p, t.len,
					pk) != 0)
		rc = svl__refuse(c, rule,
				 "%s by %.*s: the signature does not verify "
				 "with key %.16s...: not signed by that key, or "
				 "signed for other content",
				 c->type->name, (int)ev->actor_len, ev->actor,
				 key->s);
	svl__text_free(&t);
	return rc;
}
