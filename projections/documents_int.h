/*
 * documents_int.h - the documents projection's keys and record, shared by
 * its fold (documents.c) and its queries (ledger/documents_query.c).
 *
 * Keys of the "documents" slot table (ids never contain NUL):
 *   'd' kind(1) id              -> the document: [ints..., strings...]
 *   's' state(1) kind(1) id     -> index by state (nil)
 *   'j' wo 0 kind(1) id         -> index by the job it names (nil)
 */
#ifndef SVL_DOCUMENTS_INT_H
#define SVL_DOCUMENTS_INT_H

#include <stdbool.h>

#include "mp.h"
#include "proj.h"
#include "svl_documents.h"
#include "svl_events.h"

extern const svl_proj_def svl__proj_documents;

#define SVL__DOC_KEY_MAX (2 * SVL_DOC_ID_MAX + 4)
_Static_assert(SVL__DOC_KEY_MAX <= SVL_PROJ_KEY_MAX, "keys fit the overlay");

/* The record's integers, then its strings. STEP is the complaint's
 * (opened, classified, planned, resolved, closed) or the write-off's
 * (requested, approved, rejected) progress. */
enum {
	SVL__D_STATE,
	SVL__D_OPENED_AT_MS,
	SVL__D_UPDATED_AT_MS,
	SVL__D_PURPOSE,
	SVL__D_SIGNED,
	SVL__D_QTY_MILLI,
	SVL__D_DONE_MILLI,
	SVL__D_STAGE,
	SVL__D_CLAIMS,
	SVL__D_STEP,
	SVL__D_SEVERITY,
	SVL__D_DEPARTMENT,
	SVL__D_DEADLINE_AT_MS,
	SVL__D_APPRAISALS,
	SVL__D_TOTAL_FEN,
	SVL__D_NI
};
enum { SVL__DS_WO, SVL__DS_SUPPLIER, SVL__D_NS };

typedef struct svl__doc {
	int64_t v[SVL__D_NI];
	char s[SVL__D_NS][SVL_DOC_ID_MAX + 1];
} svl__doc;

#define SVL__DOC_BUF (16 + SVL__D_NI * 9 + SVL__D_NS * (SVL_DOC_ID_MAX + 5))

size_t svl__doc_encode(const svl__doc *d, uint8_t *buf);
bool svl__doc_decode(const void *val, size_t len, svl__doc *d);
/* The public form of a record. */
void svl__doc_public(const svl__doc *d, int kind, const char *id, size_t n,
		     svl_document *out);
/* Keys: 'd' kind id; 's' state kind id; 'j' wo 0 kind id. */
size_t svl__doc_key(uint8_t *k, int kind, const char *id, size_t n);
size_t svl__doc_key_state(uint8_t *k, int state, int kind, const char *id,
			  size_t n);
size_t svl__doc_key_job(uint8_t *k, const char *wo, int kind, const char *id,
			size_t n);

#endif
