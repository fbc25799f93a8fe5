/*
 * work_orders_rec.c - the job record's codec and public view, the diff
 * lines of rebuilds, and the vehicle index both job projections keep
 * (work_orders_int.h has the layouts).
 */
#include <stdio.h>
#include <string.h>

#include "work_orders_int.h"

/* ---- record codec ---- */

void svl__wo_init(svl__wo *w)
{
	memset(w, 0, sizeof *w);
	w->v[SVL__WO_JOB_KIND] = -1;
	w->v[SVL__WO_FU_LAST] = -1;
}

size_t svl__wo_encode(const svl__wo *w, uint8_t *buf)
{
	uint8_t *p = svl__mp_put_array_hdr(buf, SVL__WO_NI + SVL__WO_NS);
	for (int i = 0; i < SVL__WO_NI; i++)
		p = svl__mp_put_int(p, w->v[i]);
	for (int i = 0; i < SVL__WO_NS; i++)
		p = svl__mp_put_str(p, w->s[i], (uint32_t)strlen(w->s[i]));
	return (size_t)(p - buf);
}

bool svl__wo_decode(const void *val, size_t len, svl__wo *w)
{
	svl_mp_reader r = {val, (const uint8_t *)val + len};
	uint32_t n;
	if (!svl__mp_read_array(&r, &n) || n != SVL__WO_NI + SVL__WO_NS)
		return false;
	for (int i = 0; i < SVL__WO_NI; i++)
		if (!svl__rd_i64(&r, &w->v[i]))
			return false;
	for (int i = 0; i < SVL__WO_NS; i++) {
		const char *s;
		if (!svl__mp_read_str(&r, &s, &n) || n > SVL_WO_ID_MAX ||
		    memchr(s, 0, n))
			return false;
		memcpy(w->s[i], s, n);
		w->s[i][n] = '\0';
	}
	return r.p == r.end;
}

bool svl__wo_copy_id(char *dst, const svl_value *v, size_t max)
{
	if (!v->present || !v->s) {
		dst[0] = '\0';
		return true;
	}
	if (v->len == 0 || v->len > max || memchr(v->s, 0, v->len))
		return false;
	memcpy(dst, v->s, v->len);
	dst[v->len] = '\0';
	return true;
}

/* ---- vehicles (shared with metrics: the 'v' keys of either table) ---- */

static size_t vkey(uint8_t *k, char kind, const char *id)
{
	size_t n = strlen(id);
	k[0] = 'v';
	k[1] = (uint8_t)kind;
	memcpy(k + 2, id, n);
	return n + 2;
}

/* [wo, at_ms] of a 'v' key */
static bool vehicle_read(const void *v, size_t n, char *wo, int64_t *at_ms)
{
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len;
	const char *s;
	if (!svl__mp_read_array(&r, &len) || len != 2 ||
	    !svl__mp_read_str(&r, &s, &len) || len > SVL_WO_ID_MAX ||
	    !svl__rd_i64(&r, at_ms))
		return false;
	memcpy(wo, s, len);
	wo[len] = '\0';
	return true;
}

int svl__vehicle_last(svl_proj_ctx *c, const char *vin, const char *plate,
		      char *wo, int64_t *at_ms)
{
	const char *ids[2] = {vin, plate};
	wo[0] = '\0';
	*at_ms = 0;
	for (int i = 0; i < 2; i++) {
		uint8_t k[2 + SVL_WO_ID_MAX];
		const void *v;
		size_t n;
		if (!ids[i][0])
			continue;
		int rc =
		    svl__proj_get(c, k, vkey(k, i ? 'P' : 'V', ids[i]), &v, &n);
		if (rc == SVL_ENOTFOUND)
			continue;
		if (rc == SVL_OK && !vehicle_read(v, n, wo, at_ms))
			rc = svl_txn_fail(c->txn, SVL_ECORRUPT,
					  "%s: vehicle record", c->def->name);
		return rc;
	}
	return SVL_OK;
}

int svl__vehicle_delivered(svl_proj_ctx *c, const char *vin, const char *plate,
			   const char *wo, int64_t at_ms)
{
	const char *ids[2] = {vin, plate};
	for (int i = 0; i < 2; i++) {
		uint8_t k[2 + SVL_WO_ID_MAX], buf[16 + SVL_WO_ID_MAX], *p;
		char prev[SVL_WO_ID_MAX + 1];
		int64_t prev_at;
		const void *v;
		size_t n, kl;
		if (!ids[i][0])
			continue;
		kl = vkey(k, i ? 'P' : 'V', ids[i]);
		int rc = svl__proj_get(c, k, kl, &v, &n);
		if (rc == SVL_OK && !vehicle_read(v, n, prev, &prev_at))
			return svl_txn_fail(c->txn, SVL_ECORRUPT,
					    "%s: vehicle record", c->def->name);
		if (rc == SVL_OK && prev_at > at_ms)
			continue; /* a later delivery is known (late entry) */
		if (rc != SVL_OK && rc != SVL_ENOTFOUND)
			return rc;
		p = svl__mp_put_array_hdr(buf, 2);
		p = svl__mp_put_str(p, wo, (uint32_t)strlen(wo));
		p = svl__mp_put_int(p, at_ms);
		if ((rc = svl__proj_put(c, k, kl, buf, (size_t)(p - buf))))
			return rc;
	}
	return SVL_OK;
}

/* ---- names ---- */

static const char *const state_names[SVL_WO_STATES] = {
    NULL,	  "booked",
    "confirmed",  "rescheduled",
    "cancelled",  "no_show",
    "received",	  "inspected",
    "quoted",	  "confirmed_by_customer",
    "dispatched", "in_repair",
    "completed",  "in_qc",
    "rework",	  "ready",
    "settled",	  "paid",
    "delivered",  "following_up",
    "closed"};

const char *svl_wo_state_name(int state)
{
	return state > 0 && state < SVL_WO_STATES ? state_names[state] : NULL;
}

int svl_wo_state_find(const char *name, size_t len)
{
	for (int i = 1; name && i < SVL_WO_STATES; i++)
		if (strlen(state_names[i]) == len &&
		    memcmp(state_names[i], name, len) == 0)
			return i;
	return -1;
}

const char *svl_fu_result_name(int result)
{
	static const char *const names[] = {"none", "open", "reached",
					    "failed"};
	return result >= 0 && result < 4 ? names[result] : NULL;
}

#define X(E, m, name) name,
static const char *const int_names[SVL__WO_NI] = {SVL__WO_INTS(X)};
#undef X

#define X(E, m, max) #m,
static const char *const str_names[SVL__WO_NS] = {SVL__WO_STRS(X)};
#undef X

const char *svl__wo_int_name(int i)
{
	return i >= 0 && i < SVL__WO_NI ? int_names[i] : NULL;
}

/* ---- the public view ---- */

static void copy_out(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void svl__wo_public(const svl__wo *w, const char *wo_id, size_t wo_len,
		    svl_work_order *out)
{
	memset(out, 0, sizeof *out);
	if (wo_len > SVL_WO_ID_MAX)
		wo_len = SVL_WO_ID_MAX;
	memcpy(out->wo_id, wo_id, wo_len);
	out->state = (enum svl_wo_state)w->v[SVL__WO_STATE];
	out->fu_result = (enum svl_fu_result)w->v[SVL__WO_FU_RESULT];
#define X(E, m, name) out->m = w->v[SVL__WO_##E];
	SVL__WO_PLAIN(X)
#undef X
#define X(E, m, max) copy_out(out->m, sizeof out->m, w->s[SVL__WS_##E]);
	SVL__WO_STRS(X)
#undef X
	out->on_time = -1;
	if (out->delivered_at_ms && out->promised_at_ms)
		out->on_time = out->delivered_at_ms <= out->promised_at_ms;
}

/* ---- rebuild diffs ---- */

static void int_text(char *buf, size_t cap, int i, int64_t v)
{
	const char *name = i == SVL__WO_STATE	    ? svl_wo_state_name((int)v)
			   : i == SVL__WO_FU_RESULT ? svl_fu_result_name((int)v)
						    : NULL;
	if (i == SVL__WO_STATE || i == SVL__WO_FU_RESULT)
		snprintf(buf, cap, "%s", name ? name : "-");
	else
		snprintf(buf, cap, "%lld", (long long)v);
}

/* Append ", what" to out (at *len), keeping room for a final "...". */
static void add(char *out, size_t cap, size_t *len, const char *what)
{
	size_t n = strlen(what);
	if (*len + n + 6 >= cap) {
		if (*len + 5 < cap && strcmp(out + *len - 3, "...") != 0)
			*len +=
			    (size_t)snprintf(out + *len, cap - *len, ", ...");
		return;
	}
	*len += (size_t)snprintf(out + *len, cap - *len, "%s%s",
				 out[*len - 1] == ':' ? " " : ", ", what);
}

/* One line per job whose record differs: its id and every field that
 * changed ("work_orders WO-7: state following_up -> closed, fu_result
 * open -> failed"). Index and detail rows are counted, not shown. */
int svl__wo_describe(const void *key, size_t key_len, const void *old_v,
		     size_t old_len, const void *new_v, size_t new_len,
		     char *out, size_t out_len)
{
	const char *k = key;
	svl__wo a, b;
	if (key_len < 2 || k[0] != 'w' || out_len < 32)
		return 0;
	svl__wo_init(&a);
	svl__wo_init(&b);
	if ((old_v && !svl__wo_decode(old_v, old_len, &a)) ||
	    (new_v && !svl__wo_decode(new_v, new_len, &b)))
		return 0;
	size_t len = (size_t)snprintf(
	    out, out_len, "work_orders %.*s:", (int)(key_len - 1), k + 1);
	if (len >= out_len)
		return 1;
	if (!old_v || !new_v)
		add(out, out_len, &len, old_v ? "removed" : "new");
	for (int i = 0; i < SVL__WO_NI; i++) {
		char x[48], y[48], what[160];
		if (a.v[i] == b.v[i] ||
		    (i > SVL__WO_FU_RESULT && i < SVL__WO_STATE_AT_MS))
			continue; /* internal: advisor rank, the call round */
		int_text(x, sizeof x, i, a.v[i]);
		int_text(y, sizeof y, i, b.v[i]);
		snprintf(what, sizeof what, "%s %s -> %s", int_names[i], x, y);
		add(out, out_len, &len, what);
	}
	for (int i = 0; i < SVL__WO_NS; i++) {
		char what[160];
		if (strcmp(a.s[i], b.s[i]) == 0)
			continue;
		snprintf(what, sizeof what, "%s \"%s\" -> \"%s\"", str_names[i],
			 a.s[i], b.s[i]);
		add(out, out_len, &len, what);
	}
	return 1;
}
