/*
 * sign_cmd.c - svl_sign_command: a signer's key signs a pick signature,
 * a write-off appraisal or approval, or an adjustment approval on its way
 * to the deciders (docs/trust.md "Signed signatures").
 *
 * The text signed is the deciders' own (decide/sign.c), built from the
 * same log, so what the signer signs is exactly what the decider and
 * verify check.
 */
#include <sodium.h>
#include <stdio.h>

#include "svl_trust.h"
#include "trust_int.h"

static int fail(svl_event_error *err, int rc, const char *msg)
{
	if (err) {
		memset(err, 0, sizeof *err);
		snprintf(err->msg, sizeof err->msg, "%s", msg);
	}
	return rc;
}

struct text_arg {
	const svl__signable *s;
	const svl__signed *e;
	const uint8_t *pk;
	svl__text *t;
};

static int text_fn(svl_txn *txn, void *payload)
{
	struct text_arg *a = payload;
	return svl__sig_text(txn, a->s, a->e, a->pk, a->t);
}

/* The payload again, with the two signature fields set, into the arena. */
static int reencode(svl_event_in *ev, const svl__signable *s,
		    const svl_event_view *v, const uint8_t *pk,
		    const uint8_t *sig, svl_event_arena *arena,
		    svl_event_error *err)
{
	char pk_hex[2 * SVL__PK + 1], sig_hex[2 * SVL__SIG + 1];
	svl_value vals[SVL_EVENT_FIELDS_MAX];
	memcpy(vals, v->v, sizeof vals);
	svl__hex(pk_hex, pk, SVL__PK);
	svl__hex(sig_hex, sig, SVL__SIG);
	vals[s->key_field] = (svl_value){0, pk_hex, 2 * SVL__PK, 1};
	vals[s->sig_field] = (svl_value){0, sig_hex, 2 * SVL__SIG, 1};
	size_t room = arena->cap - arena->used, n = 0;
	uint8_t *out = arena->buf + arena->used;
	int rc = svl_event_encode(out, room, &n, ev->type, vals,
				  SVL_EVENT_FIELDS_MAX, err);
	if (rc != SVL_OK)
		return rc;
	arena->used += n;
	ev->payload = out;
	ev->payload_len = n;
	return SVL_OK;
}

int svl_sign_command(svl_log *log, svl_event_in *ev, svl_event_arena *arena,
		     const svl_keypair *k, svl_event_error *err)
{
	if (!log || !ev || !arena || !k)
		return fail(err, SVL_EMISUSE, "sign: log, event, arena and key "
					      "are required");
	const svl__signable *s = svl__signable_of(ev->type);
	const svl_event_type *t = svl_event_type_get(ev->type);
	if (!s || !t)
		return fail(err, SVL_EINVAL,
			    "sign: only pick_signed, writeoff_appraised, "
			    "writeoff_approved and adjustment_approved carry a "
			    "signature");
	svl_event_view v;
	if (svl_event_decode(&v, ev->type, ev->schema_version, ev->payload,
			     ev->payload_len) != SVL_OK)
		return fail(err, SVL_EINVAL, "sign: the payload does not decode");
	if (v.v[s->key_field].present || v.v[s->sig_field].present)
		return fail(err, SVL_EINVAL, "sign: the event is already signed");
	if (svl__sodium() != SVL_OK)
		return fail(err, SVL_EIO, "sign: libsodium did not start");
	/* the event as it will be stored; *ev changes only on success */
	static const uint8_t zero[SVL_ID_SIZE];
	svl_event_in out = *ev;
	if (memcmp(out.id, zero, SVL_ID_SIZE) == 0)
		svl_event_id_generate(out.id);
	out.schema_version = t->version;
	v.schema_version = t->version;
	svl__signed e = {svl_log_id(log), out.id,	    out.type,
			 t->version,	  out.actor,	    out.role,
			 out.actor_len,	  out.role_len,	    out.occurred_at_ms,
			 &v};
	svl__text text = {0};
	struct text_arg a = {s, &e, k->public_key, &text};
	int rc = svl_log_read(log, text_fn, &a);
	uint8_t sig[SVL__SIG];
	if (rc == SVL_OK)
		crypto_sign_detached(sig, NULL, (const unsigned char *)text.p,
				     text.len, k->secret_key);
	svl__text_free(&text);
	if (rc != SVL_OK)
		return fail(err, rc, svl_log_errmsg(log));
	rc = reencode(&out, s, &v, k->public_key, sig, arena, err);
	if (rc == SVL_OK)
		*ev = out;
	return rc;
}
