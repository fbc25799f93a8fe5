/*
 * keys.c - staff keys: which Ed25519 public key signs for which person
 * from when to when, answered from the person's "staff-<id>" stream
 * (docs/trust.md).
 *
 *   R-KEY-1  a manager registers a key for a person; a key is registered
 *            to one person once (the decider index remembers whose it is)
 *   R-KEY-2  a key is revoked only while registered to that person, not
 *            before its registration, and once
 *   R-KEY-3  a key signs (a seal, a signed signature) only for the person
 *            it is registered to, at a time within [from, until); and once
 *            its revocation is in the log, nothing dated before the
 *            revocation was recorded: whoever still holds a revoked key
 *            cannot slip a signature in by dating it back
 *
 * Who may register and revoke is R-ROLE-1/2 (service_manager or
 * general_manager), as for roles.
 */
#include <stdio.h>

#include "trust_int.h"

typedef struct key_fold {
	const char *pk; /* 64 hex digits */
	int64_t at_ms;
	int registered;	  /* a registration of the key was seen */
	int64_t from_ms;  /* its start */
	int revoked;	  /* a revocation followed it */
	int64_t until_ms; /* its end */
	int64_t revoked_recorded_ms; /* when the revocation was appended */
} key_fold;

static int same_key(const svl_value *v, const char *pk)
{
	return v->len == SVL_KEY_HEX && memcmp(v->s, pk, SVL_KEY_HEX) == 0;
}

static int key_step(void *st, const svl_record *r, const svl_event_view *v)
{
	key_fold *k = st;
	if (r->type == SVL_T_STAFF_KEY_REGISTERED &&
	    same_key(&v->v[SVL_F_STAFF_KEY_REGISTERED_PUBLIC_KEY], k->pk)) {
		k->registered = 1;
		k->from_ms = v->v[SVL_F_STAFF_KEY_REGISTERED_FROM_AT_MS].i;
	} else if (r->type == SVL_T_STAFF_KEY_REVOKED &&
		   same_key(&v->v[SVL_F_STAFF_KEY_REVOKED_PUBLIC_KEY], k->pk)) {
		k->revoked = 1;
		k->until_ms = v->v[SVL_F_STAFF_KEY_REVOKED_UNTIL_AT_MS].i;
		k->revoked_recorded_ms = r->recorded_at_ms;
	}
	return SVL_OK;
}

static int fold_key(svl__dctx *c, const char *staff, size_t len,
		    const char *pk_hex, uint64_t upto_seq, key_fold *k)
{
	svl_value key = {0, staff, (uint32_t)len, 1};
	memset(k, 0, sizeof *k);
	k->pk = pk_hex;
	return svl__fold(c, "staff", &key, upto_seq, key_step, k);
}

int svl__key_status(svl__dctx *c, const char *staff, size_t len,
		    const char *pk_hex, int64_t at_ms, uint64_t before_seq,
		    int *status, int64_t *edge_ms)
{
	key_fold k;
	memset(&k, 0, sizeof k);
	int rc = before_seq == 1 ? SVL_OK /* nothing is before seq 1 */
				 : fold_key(c, staff, len, pk_hex,
					    before_seq ? before_seq - 1 : 0,
					    &k);
	if (rc != SVL_OK)
		return rc;
	*edge_ms = 0;
	if (!k.registered) {
		*status = SVL__KEY_UNKNOWN;
	} else if (k.revoked && (at_ms >= k.until_ms ||
				 at_ms < k.revoked_recorded_ms)) {
		*status = SVL__KEY_REVOKED; /* expired, or dated back */
		*edge_ms = at_ms >= k.until_ms ? k.until_ms
					       : k.revoked_recorded_ms;
	} else if (at_ms < k.from_ms) {
		*status = SVL__KEY_NOT_YET;
		*edge_ms = k.from_ms;
	} else {
		*status = SVL__KEY_VALID;
	}
	return SVL_OK;
}

int svl__check_key(svl__dctx *c, const char *staff, size_t len,
		   const char *pk_hex, int64_t at_ms, const char *what)
{
	int status;
	int64_t edge;
	int rc =
	    svl__key_status(c, staff, len, pk_hex, at_ms, 0, &status, &edge);
	if (rc != SVL_OK || status == SVL__KEY_VALID)
		return rc;
	char at[24], e[24];
	svl__fmt_time(at, sizeof at, at_ms, c->rules->tz_offset_min);
	svl__fmt_time(e, sizeof e, edge, c->rules->tz_offset_min);
	if (status == SVL__KEY_UNKNOWN)
		return svl__refuse(c, "R-KEY-3",
				   "%s: key %.16s... is not registered to "
				   "%.*s; a manager registers it first "
				   "(staff_key_registered)",
				   what, pk_hex, (int)len, staff);
	if (status == SVL__KEY_NOT_YET)
		return svl__refuse(c, "R-KEY-3",
				   "%s: key %.16s... signs for %.*s only from "
				   "%s, not at %s",
				   what, pk_hex, (int)len, staff, e, at);
	if (at_ms < edge)
		return svl__refuse(c, "R-KEY-3",
				   "%s: key %.16s... of %.*s was revoked at %s; "
				   "it signs nothing dated before that any more "
				   "(%s)",
				   what, pk_hex, (int)len, staff, e, at);
	return svl__refuse(c, "R-KEY-3",
			   "%s: key %.16s... of %.*s was revoked from %s; "
			   "it cannot sign at %s",
			   what, pk_hex, (int)len, staff, e, at);
}

/* R-KEY-1: once, to one person. The index's 'G' key remembers the owner. */
static int decide_registered(svl__dctx *c)
{
	const svl_value *staff = SVL__F(c, SVL_F_STAFF_KEY_REGISTERED_STAFF_ID);
	const svl_value *pk = SVL__F(c, SVL_F_STAFF_KEY_REGISTERED_PUBLIC_KEY);
	char owner[SVL_EV_ID_MAX + 1];
	int found;
	int rc = svl__index_key_owner(c, pk, owner, sizeof owner, &found);
	if (rc != SVL_OK)
		return rc;
	if (!found)
		return SVL_OK;
	if (strlen(owner) == staff->len && !memcmp(owner, staff->s, staff->len))
		return svl__refuse(c, "R-KEY-1",
				   "key %.16s... is already registered to %s",
				   pk->s, owner);
	return svl__refuse(c, "R-KEY-1",
			   "key %.16s... is registered to %s; a key signs "
			   "for one person only",
			   pk->s, owner);
}

/* R-KEY-2: only while registered, not before, once. */
static int decide_revoked(svl__dctx *c)
{
	const svl_value *staff = SVL__F(c, SVL_F_STAFF_KEY_REVOKED_STAFF_ID);
	const svl_value *pk = SVL__F(c, SVL_F_STAFF_KEY_REVOKED_PUBLIC_KEY);
	int64_t until = SVL__F(c, SVL_F_STAFF_KEY_REVOKED_UNTIL_AT_MS)->i;
	key_fold k;
	int rc = fold_key(c, staff->s, staff->len, pk->s, 0, &k);
	if (rc != SVL_OK)
		return rc;
	if (!k.registered)
		return svl__refuse(c, "R-KEY-2",
				   "key %.16s... is not registered to %.*s",
				   pk->s, SVL__V(*staff));
	if (k.revoked)
		return svl__refuse(c, "R-KEY-2",
				   "key %.16s... of %.*s is already revoked",
				   pk->s, SVL__V(*staff));
	if (until < k.from_ms) {
		char f[24];
		svl__fmt_time(f, sizeof f, k.from_ms, c->rules->tz_offset_min);
		return svl__refuse(c, "R-KEY-2",
				   "key %.16s... of %.*s is registered from "
				   "%s; it cannot be revoked before that",
				   pk->s, SVL__V(*staff), f);
	}
	return SVL_OK;
}

int svl__decide_keys(svl__dctx *c)
{
	if (c->ev->type == SVL_T_STAFF_KEY_REGISTERED)
		return decide_registered(c);
	if (c->ev->type == SVL_T_STAFF_KEY_REVOKED)
		return decide_revoked(c);
	return SVL_OK;
}
