/*
 * documents_rec.c - the documents projection's record codec, keys,
 * public form and names.
 */
#include <string.h>

#include "documents_int.h"
#include "pick_order.h"

static const char *const kind_names[SVL_DOC_KINDS] = {
    NULL, "pick", "purchase_order", "complaint", "writeoff"};

static const char *const state_names[SVL_DOC_STATES] = {
    NULL,
    "waiting_signatures",
    "waiting_issue",
    "waiting_acceptance",
    "waiting_claim",
    "waiting_classification",
    "waiting_plan",
    "waiting_resolution",
    "waiting_confirmation",
    "waiting_appraisal",
    "waiting_approval",
    "waiting_disposal",
    "done",
};

const char *svl_doc_kind_name(int kind)
{
	return kind > 0 && kind < SVL_DOC_KINDS ? kind_names[kind] : NULL;
}

const char *svl_doc_state_name(int state)
{
	return state > 0 && state < SVL_DOC_STATES ? state_names[state] : NULL;
}

static int find(const char *const *names, int n, const char *s, size_t len)
{
	for (int i = 1; s && i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	return -1;
}

int svl_doc_kind_find(const char *name, size_t len)
{
	return find(kind_names, SVL_DOC_KINDS, name, len);
}

int svl_doc_state_find(const char *name, size_t len)
{
	return find(state_names, SVL_DOC_STATES, name, len);
}

size_t svl__doc_encode(const svl__doc *d, uint8_t *buf)
{
	uint8_t *p = svl__mp_put_array_hdr(buf, SVL__D_NI + SVL__D_NS);
	for (int i = 0; i < SVL__D_NI; i++)
		p = svl__mp_put_int(p, d->v[i]);
	for (int i = 0; i < SVL__D_NS; i++)
		p = svl__mp_put_str(p, d->s[i], (uint32_t)strlen(d->s[i]));
	return (size_t)(p - buf);
}

bool svl__doc_decode(const void *val, size_t len, svl__doc *d)
{
	svl_mp_reader r = {val, (const uint8_t *)val + len};
	uint32_t n;
	if (!svl__mp_read_array(&r, &n) || n != SVL__D_NI + SVL__D_NS)
		return false;
	for (int i = 0; i < SVL__D_NI; i++)
		if (!svl__mp_read_int(&r, &d->v[i]))
			return false;
	for (int i = 0; i < SVL__D_NS; i++) {
		const char *s;
		if (!svl__mp_read_str(&r, &s, &n) || n > SVL_DOC_ID_MAX ||
		    memchr(s, 0, n))
			return false;
		memcpy(d->s[i], s, n);
		d->s[i][n] = '\0';
	}
	return r.p == r.end;
}

void svl__doc_public(const svl__doc *d, int kind, const char *id, size_t n,
		     svl_document *out)
{
	const int64_t *v = d->v;
	memset(out, 0, sizeof *out);
	out->kind = (enum svl_doc_kind)kind;
	memcpy(out->id, id, n);
	out->state = (enum svl_doc_state)v[SVL__D_STATE];
	out->opened_at_ms = v[SVL__D_OPENED_AT_MS];
	out->updated_at_ms = v[SVL__D_UPDATED_AT_MS];
	strcpy(out->wo_id, d->s[SVL__DS_WO]);
	out->purpose = kind == SVL_DOC_PICK ? (int)v[SVL__D_PURPOSE] : 0;
	out->signed_mask = (uint32_t)v[SVL__D_SIGNED];
	if (kind == SVL_DOC_PICK && out->state == SVL_DOC_WAITING_SIGNATURES)
		out->missing_mask =
		    svl__pick_next(out->purpose, out->signed_mask);
	out->qty_milli = v[SVL__D_QTY_MILLI];
	out->done_milli = v[SVL__D_DONE_MILLI];
	strcpy(out->supplier_id, d->s[SVL__DS_SUPPLIER]);
	out->acceptance_stage = (int)v[SVL__D_STAGE];
	out->claims_open = (int)v[SVL__D_CLAIMS];
	out->severity = kind == SVL_DOC_COMPLAINT ? (int)v[SVL__D_SEVERITY] : 0;
	out->department =
	    kind == SVL_DOC_COMPLAINT ? (int)v[SVL__D_DEPARTMENT] : 0;
	out->deadline_at_ms = v[SVL__D_DEADLINE_AT_MS];
	out->appraisals = (int)v[SVL__D_APPRAISALS];
	out->total_fen = v[SVL__D_TOTAL_FEN];
}

size_t svl__doc_key(uint8_t *k, int kind, const char *id, size_t n)
{
	k[0] = 'd';
	k[1] = (uint8_t)kind;
	memcpy(k + 2, id, n);
	return n + 2;
}

size_t svl__doc_key_state(uint8_t *k, int state, int kind, const char *id,
			  size_t n)
{
	k[0] = 's';
	k[1] = (uint8_t)state;
	k[2] = (uint8_t)kind;
	memcpy(k + 3, id, n);
	return n + 3;
}

size_t svl__doc_key_job(uint8_t *k, const char *wo, int kind, const char *id,
			size_t n)
{
	size_t w = strlen(wo);
	k[0] = 'j';
	memcpy(k + 1, wo, w);
	k[w + 1] = 0;
	k[w + 2] = (uint8_t)kind;
	memcpy(k + w + 3, id, n);
	return w + 3 + n;
}
