/*
 * documents_query.c - reading the documents projection: one document, and
 * lists by state (open ones by default) or by job, a page at a time. Each
 * call reads the live slot inside one read snapshot (svl__ledger_read).
 */
#include <stdio.h>
#include <string.h>

#include "documents_int.h"
#include "fail.h"
#include "ledger_int.h"

static const char proj_name[] = "documents";

static int check_id(svl_txn *t, const char *id, const char *what)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > SVL_DOC_ID_MAX)
		return svl_txn_fail(t, SVL_EINVAL,
				    "%s must be 1 to %d bytes, got %zu", what,
				    SVL_DOC_ID_MAX, n);
	return SVL_OK;
}

static int check_kind(svl_txn *t, int kind, int any_ok)
{
	if ((kind == 0 && any_ok) || svl_doc_kind_name(kind))
		return SVL_OK;
	return svl_txn_fail(t, SVL_EINVAL, "no document kind %d", kind);
}

/* The record of kind/id into *d. */
static int doc_get(svl_txn *t, unsigned table, int kind, const char *id,
		   size_t n, svl__doc *d)
{
	uint8_t k[SVL__DOC_KEY_MAX];
	const void *v;
	size_t vl;
	int rc = svl_txn_get(t, table, k, svl__doc_key(k, kind, id, n), &v, &vl);
	if (rc == SVL_ENOTFOUND)
		return svl_txn_fail(t, rc, "no %s %.*s", svl_doc_kind_name(kind),
				    (int)n, id);
	if (rc == SVL_OK && !svl__doc_decode(v, vl, d))
		rc = svl_txn_fail(t, SVL_ECORRUPT,
				  "document %.*s does not decode", (int)n, id);
	return rc;
}

/* ---- lists ---- */

struct walk {
	svl_txn *t;
	unsigned table;
	const svl_doc_filter *f;
	svl__pager g;
	svl_doc_fn fn;
	void *payload;
};

/* One index entry naming kind/id in state `state` (-1: read it from the
 * record, for the job index); cursor is its place in the walk. The
 * filter is checked on the key when it can be, so that a document off
 * the page is counted without being read. */
static int visit(struct walk *w, int kind, int state, const uint8_t *id,
		 size_t n, const char *cursor)
{
	char sid[SVL_DOC_ID_MAX + 1];
	svl__doc d;
	if (!svl_doc_kind_name(kind) || n == 0 || n > SVL_DOC_ID_MAX ||
	    memchr(id, 0, n))
		return svl_txn_fail(w->t, SVL_ECORRUPT, "documents index key");
	if (w->f->kind && kind != w->f->kind)
		return SVL_OK;
	memcpy(sid, id, n);
	sid[n] = '\0';
	int rc = SVL_OK;
	if (state < 0) {
		if ((rc = doc_get(w->t, w->table, kind, sid, n, &d)) != SVL_OK)
			return rc;
		state = (int)d.v[SVL__D_STATE];
	}
	if ((w->f->state > 0 && state != w->f->state) ||
	    (w->f->state == 0 && state == SVL_DOC_DONE))
		return SVL_OK;
	if (!svl__page_take(&w->g, cursor))
		return SVL_OK;
	if (w->f->wo_id == NULL &&
	    (rc = doc_get(w->t, w->table, kind, sid, n, &d)) != SVL_OK)
		return rc;
	svl_document out;
	svl__doc_public(&d, kind, sid, n, &out);
	return w->fn(&out, w->payload);
}

/* Walk keys from start while they share its first `prefix` bytes. */
static int walk(struct walk *w, const uint8_t *start, size_t sl,
		size_t prefix)
{
	svl_cursor *cur;
	svl_kv kv;
	int rc = svl_cursor_open(w->t, w->table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, start, sl, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		const uint8_t *k = kv.key;
		if (kv.key_len < prefix + 2 || memcmp(k, start, prefix) != 0)
			break;
		char cursor[SVL_PAGE_KEY_MAX + 1];
		int kind;
		size_t off;
		if (k[0] == 's') { /* state kind id: "ss.k.id" */
			kind = k[2];
			off = 3;
			snprintf(cursor, sizeof cursor, "%02u.%u.%.*s",
				 (unsigned)k[1], (unsigned)kind,
				 (int)(kv.key_len - off),
				 (const char *)k + off);
		} else { /* 'j' wo 0 kind id: "k.id" */
			kind = k[prefix];
			off = prefix + 1;
			snprintf(cursor, sizeof cursor, "%u.%.*s",
				 (unsigned)kind, (int)(kv.key_len - off),
				 (const char *)k + off);
		}
		if (k[0] == 's' && ((w->f->state > 0 && k[1] != w->f->state) ||
				    (w->f->state == 0 && k[1] == SVL_DOC_DONE)))
			break; /* past the state(s) asked for */
		rc = visit(w, kind, k[0] == 's' ? k[1] : -1, k + off,
			   kv.key_len - off, cursor);
		if (rc != SVL_OK)
			break;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || rc == SVL_OK ? SVL_OK : rc;
}

/* A cursor of this walk: "ss.k.id" for a state walk, "k.id" for a job. */
static int check_cursor(svl_txn *t, const char *after, int by_job)
{
	size_t n = after ? strlen(after) : 0;
	if (n == 0)
		return SVL_OK;
	unsigned a, b;
	int used = 0;
	int ok = by_job ? sscanf(after, "%1u.%n", &a, &used) == 1 && used == 2
			: sscanf(after, "%2u.%1u.%n", &a, &b, &used) == 2 &&
			      used == 5;
	if (ok && (size_t)used < n && n - (size_t)used <= SVL_DOC_ID_MAX)
		return SVL_OK;
	return svl_txn_fail(t, SVL_EINVAL,
			    "page: '%s' is not a cursor of this list (pass "
			    "back a page's next as it is)",
			    after);
}

static int list_txn(svl_txn *t, unsigned table, const svl_doc_filter *filter,
		    svl_page *page, svl_doc_fn fn, void *payload)
{
	svl_doc_filter open = SVL_DOC_FILTER_INIT;
	const svl_doc_filter *f = filter ? filter : &open;
	if (f->version != SVL_DOC_FILTER_VERSION)
		return svl_txn_fail(t, SVL_EMISUSE,
				    "filter version %u, expected %d (use "
				    "SVL_DOC_FILTER_INIT)",
				    f->version, SVL_DOC_FILTER_VERSION);
	int rc = check_kind(t, f->kind, 1);
	if (rc != SVL_OK)
		return rc;
	if (f->state < -1 || f->state >= SVL_DOC_STATES)
		return svl_txn_fail(t, SVL_EINVAL, "no document state %d",
				    f->state);
	if (f->wo_id && (rc = check_id(t, f->wo_id, "wo_id")) != SVL_OK)
		return rc;
	if ((rc = check_cursor(t, page ? page->after : NULL, f->wo_id != NULL)) !=
	    SVL_OK)
		return rc;
	struct walk w = {t, table, f, {0}, fn, payload};
	svl__page_begin(&w.g, page);
	uint8_t k[SVL__DOC_KEY_MAX];
	if (f->wo_id) {
		size_t n = strlen(f->wo_id);
		k[0] = 'j';
		memcpy(k + 1, f->wo_id, n);
		k[n + 1] = 0;
		rc = walk(&w, k, n + 2, n + 2);
	} else {
		/* one state, or every state from the first (the open ones
		 * first, done last; done is skipped unless asked for) */
		k[0] = 's';
		k[1] = (uint8_t)(f->state > 0 ? f->state : 1);
		rc = walk(&w, k, f->state > 0 ? 2 : 1, f->state > 0 ? 2 : 1);
	}
	if (rc == SVL_OK)
		svl__page_end(&w.g);
	return rc;
}

/* ---- the public calls ---- */

struct q {
	svl_ledger *l;
	int kind;
	const char *id;
	svl_document *out;
	const svl_doc_filter *filter;
	svl_page *page;
	svl_doc_fn fn;
	void *payload;
};

static int get_fn(svl_txn *t, void *payload)
{
	struct q *q = payload;
	unsigned table;
	svl__doc d;
	int rc = svl__proj_live_table(q->l, proj_name, t, &table, NULL);
	if (rc == SVL_OK)
		rc = check_kind(t, q->kind, 0);
	if (rc == SVL_OK)
		rc = check_id(t, q->id, "document id");
	if (rc == SVL_OK &&
	    (rc = doc_get(t, table, q->kind, q->id, strlen(q->id), &d)) ==
		SVL_OK)
		svl__doc_public(&d, q->kind, q->id, strlen(q->id), q->out);
	return rc;
}

int svl_document_get(svl_ledger *l, int kind, const char *id,
		     svl_document *out)
{
	struct q q = {l, kind, id, out, NULL, NULL, NULL, NULL};
	if (!l || !id || !out)
		return svl__fail(l ? svl_ledger_log(l) : NULL, SVL_EMISUSE,
				 "document_get: NULL argument");
	return svl__ledger_read(l, get_fn, &q);
}

static int list_fn(svl_txn *t, void *payload)
{
	struct q *q = payload;
	unsigned table;
	int rc = svl__proj_live_table(q->l, proj_name, t, &table, NULL);
	return rc == SVL_OK
		   ? list_txn(t, table, q->filter, q->page, q->fn, q->payload)
		   : rc;
}

int svl_documents_page(svl_ledger *l, const svl_doc_filter *filter,
		       svl_page *page, svl_doc_fn fn, void *payload)
{
	struct q q = {l, 0, NULL, NULL, filter, page, fn, payload};
	if (!l || !fn)
		return svl__fail(l ? svl_ledger_log(l) : NULL, SVL_EMISUSE,
				 "documents: NULL argument");
	return svl__ledger_read(l, list_fn, &q);
}
