/*
 * roles.c - who may record what (domain.md section 1), answered from the
 * log: role assignments are events in the person's "staff-<id>" stream.
 *
 *   R-ROLE-1  the role an event claims must be one that may record its type
 *             (the catalog's roles column).
 *   R-ROLE-2  the actor must hold that role at the event's occurred_at:
 *             a staff_role_assigned with from_at_ms <= occurred_at and no
 *             staff_role_revoked of that role with until_at_ms <= it since.
 *   R-ROLE-3  assignments stay consistent: a role is revoked only while
 *             held, not before it was given, and not given twice.
 *
 * Bootstrap: while the log holds no staff_role_assigned of a
 * service_manager or general_manager (the decider index knows), a
 * staff_role_assigned is accepted without R-ROLE-2, so that an empty
 * ledger can appoint its first manager. From the first manager on, only a
 * person holding service_manager or general_manager may assign or revoke.
 *
 * A staff stream is short (a few assignments, and liability charges), so
 * it is folded for every decision.
 */
#include <stdio.h>

#include "decide_int.h"

/* Intervals of one role of one person, folded in stream order. */
typedef struct held_fold {
	int role;
	int64_t at_ms;
	int held;	    /* some interval contains at_ms */
	int64_t open_from;  /* INT64_MIN: not currently assigned */
	int64_t last_until; /* latest end before at_ms, or INT64_MIN */
	int64_t next_from;  /* earliest start after at_ms, or INT64_MIN */
} held_fold;

static void close_interval(held_fold *h, int64_t from, int64_t until)
{
	if (from <= h->at_ms && h->at_ms < until)
		h->held = 1;
	else if (until <= h->at_ms && until > h->last_until)
		h->last_until = until;
	if (from > h->at_ms &&
	    (h->next_from == INT64_MIN || from < h->next_from))
		h->next_from = from;
}

static int held_step(void *st, const svl_record *r, const svl_event_view *v)
{
	held_fold *h = st;
	if (r->type == SVL_T_STAFF_ROLE_ASSIGNED &&
	    v->v[SVL_F_STAFF_ROLE_ASSIGNED_ROLE].i == h->role) {
		int64_t from = v->v[SVL_F_STAFF_ROLE_ASSIGNED_FROM_AT_MS].i;
		if (h->open_from == INT64_MIN || from < h->open_from)
			h->open_from = from;
	} else if (r->type == SVL_T_STAFF_ROLE_REVOKED &&
		   v->v[SVL_F_STAFF_ROLE_REVOKED_ROLE].i == h->role &&
		   h->open_from != INT64_MIN) {
		close_interval(h, h->open_from,
			       v->v[SVL_F_STAFF_ROLE_REVOKED_UNTIL_AT_MS].i);
		h->open_from = INT64_MIN;
	}
	return SVL_OK;
}

static int fold_held(svl__dctx *c, const char *actor, size_t len, int role,
		     int64_t at_ms, held_fold *h)
{
	svl_value key = {0, actor, (uint32_t)len, 1};
	h->role = role;
	h->at_ms = at_ms;
	h->held = 0;
	h->open_from = h->last_until = h->next_from = INT64_MIN;
	return svl__fold(c, "staff", &key, 0, held_step, h);
}

int svl__role_held(svl__dctx *c, const char *actor, size_t len, int role,
		   int64_t at_ms, int *held, int64_t *from_ms,
		   int64_t *until_ms)
{
	held_fold h;
	int rc = fold_held(c, actor, len, role, at_ms, &h);
	if (rc != SVL_OK)
		return rc;
	if (h.open_from != INT64_MIN)
		close_interval(&h, h.open_from, INT64_MAX);
	*held = h.held;
	if (from_ms)
		*from_ms = h.next_from;
	if (until_ms)
		*until_ms = h.last_until;
	return SVL_OK;
}

/* "customer_service or service_advisor" */
static void roles_list(char *buf, size_t cap, uint32_t bits)
{
	size_t used = 0;
	int n = 0, total = __builtin_popcount(bits);
	buf[0] = '\0';
	for (int r = 0; r < SVL_ROLE__COUNT && used < cap; r++) {
		if (!(bits & (1u << r)))
			continue;
		const char *sep =
		    n == 0 ? "" : (n == total - 1 ? " or " : ", ");
		int w = snprintf(buf + used, cap - used, "%s%s", sep,
				 svl_role_name(r));
		if (w < 0)
			break;
		used += (size_t)w;
		n++;
	}
}

static int refuse_not_held(svl__dctx *c, int64_t from, int64_t until)
{
	char at[24], t[24];
	const svl_event_in *ev = c->ev;
	svl__fmt_time(at, sizeof at, ev->occurred_at_ms, c->rules->tz_offset_min);
	if (from != INT64_MIN)
		return svl__refuse(
		    c, "R-ROLE-2",
		    "%.*s holds the role %s only "
		    "from %s, not at %s",
		    (int)ev->actor_len, ev->actor, svl_role_name(c->role),
		    svl__fmt_time(t, sizeof t, from, c->rules->tz_offset_min), at);
	if (until != INT64_MIN)
		return svl__refuse(
		    c, "R-ROLE-2",
		    "%.*s held the role %s only "
		    "until %s, not at %s",
		    (int)ev->actor_len, ev->actor, svl_role_name(c->role),
		    svl__fmt_time(t, sizeof t, until, c->rules->tz_offset_min),
		    at);
	return svl__refuse(c, "R-ROLE-2",
			   "%.*s does not hold the role %s; "
			   "a manager must assign it first",
			   (int)ev->actor_len, ev->actor,
			   svl_role_name(c->role));
}

/* The bootstrap of an empty ledger (see the top). */
static int is_bootstrap(svl__dctx *c, int *yes)
{
	int has = 1;
	*yes = 0;
	if (c->ev->type != SVL_T_STAFF_ROLE_ASSIGNED)
		return SVL_OK;
	int rc = svl__index_has_manager(c, &has);
	*yes = rc == SVL_OK && !has;
	return rc;
}

int svl__check_roles(svl__dctx *c)
{
	const svl_event_in *ev = c->ev;
	if (!svl_event_type_allows(c->type, c->role)) {
		char who[256];
		roles_list(who, sizeof who, c->type->roles);
		return svl__refuse(c, "R-ROLE-1",
				   "a %s may not record %s; it "
				   "is recorded by %s",
				   svl_role_name(c->role), c->type->name, who);
	}
	int boot, held;
	int64_t from, until;
	int rc = is_bootstrap(c, &boot);
	if (rc != SVL_OK || boot)
		return rc;
	rc = svl__role_held(c, ev->actor, ev->actor_len, c->role,
			    ev->occurred_at_ms, &held, &from, &until);
	if (rc != SVL_OK || held)
		return rc;
	return refuse_not_held(c, from, until);
}

/* ---- staff_role_assigned / staff_role_revoked (R-ROLE-3) ---- */

static int decide_assigned(svl__dctx *c)
{
	const svl_value *who = SVL__F(c, SVL_F_STAFF_ROLE_ASSIGNED_STAFF_ID);
	int role = (int)SVL__F(c, SVL_F_STAFF_ROLE_ASSIGNED_ROLE)->i;
	held_fold h;
	int rc = fold_held(c, who->s, who->len, role, 0, &h);
	if (rc != SVL_OK)
		return rc;
	if (h.open_from != INT64_MIN) {
		char t[24];
		return svl__refuse(c, "R-ROLE-3",
				   "%.*s already holds the role "
				   "%s since %s",
				   SVL__V(*who), svl_role_name(role),
				   svl__fmt_time(t, sizeof t, h.open_from,
						 c->rules->tz_offset_min));
	}
	return SVL_OK;
}

static int decide_revoked(svl__dctx *c)
{
	const svl_value *who = SVL__F(c, SVL_F_STAFF_ROLE_REVOKED_STAFF_ID);
	int role = (int)SVL__F(c, SVL_F_STAFF_ROLE_REVOKED_ROLE)->i;
	int64_t until = SVL__F(c, SVL_F_STAFF_ROLE_REVOKED_UNTIL_AT_MS)->i;
	held_fold h;
	int rc = fold_held(c, who->s, who->len, role, 0, &h);
	if (rc != SVL_OK)
		return rc;
	if (h.open_from == INT64_MIN)
		return svl__refuse(c, "R-ROLE-3",
				   "%.*s does not hold the role "
				   "%s, so it cannot be revoked",
				   SVL__V(*who), svl_role_name(role));
	if (until < h.open_from) {
		char t[24];
		return svl__refuse(c, "R-ROLE-3",
				   "%.*s was given the role %s "
				   "from %s; it cannot end before that",
				   SVL__V(*who), svl_role_name(role),
				   svl__fmt_time(t, sizeof t, h.open_from,
						 c->rules->tz_offset_min));
	}
	return SVL_OK;
}

int svl__decide_staff(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_STAFF_ROLE_ASSIGNED:
		return decide_assigned(c);
	case SVL_T_STAFF_ROLE_REVOKED:
		return decide_revoked(c);
	default:
		return SVL_OK;
	}
}
