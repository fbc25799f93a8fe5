/*
 * svl_documents.h - the department's open paperwork, as a dealer
 * management system's screens ask for it: pick lists and the signatures
 * they still wait for, purchase orders and their acceptance, complaints
 * and their deadlines, write-offs awaiting approval or disposal. The
 * "documents" projection folds them from the log; docs/projections.md
 * ("Documents") defines every state.
 *
 * Units and conventions as svl_work_orders.h. Threads and memory: as
 * svl_ledger.h; each call reads one snapshot (or the thread's pinned one,
 * svl_ledger_read_begin).
 */
#ifndef SVL_DOCUMENTS_H
#define SVL_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "svl_ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_DOC_ID_MAX 40 /* bytes of a pick, PO, complaint, write-off id */

/* The kinds of document. Stored in the projection: never renumbered. */
enum svl_doc_kind {
	SVL_DOC_PICK = 1,	    /* a pick list (pick_requested) */
	SVL_DOC_PURCHASE_ORDER = 2, /* a purchase order (purchase_ordered) */
	SVL_DOC_COMPLAINT = 3,	    /* a complaint ticket (complaint_opened) */
	SVL_DOC_WRITEOFF = 4,	    /* a write-off (writeoff_requested) */
};
#define SVL_DOC_KINDS 5 /* one past the last value */

/* What a document waits for; SVL_DOC_DONE when nothing. Stored in the
 * projection: never renumbered. */
enum svl_doc_state {
	/* pick lists (R-ISS-1, R-ISS-3, R-ISS-4) */
	SVL_DOC_WAITING_SIGNATURES = 1, /* missing_mask says whose */
	SVL_DOC_WAITING_ISSUE = 2,	/* signed; not every part issued */
	/* purchase orders (R-RCV-1, R-RCV-3) */
	SVL_DOC_WAITING_ACCEPTANCE = 3, /* goods not yet accepted at stage 3
					 * or rejected, all of them */
	SVL_DOC_WAITING_CLAIM = 4,	/* all accepted; a discrepancy claim
					 * is not settled */
	/* complaints (R-CMP-2..4) */
	SVL_DOC_WAITING_CLASSIFICATION = 5,
	SVL_DOC_WAITING_PLAN = 6,	  /* the general manager's plan */
	SVL_DOC_WAITING_RESOLUTION = 7,	  /* by deadline_at_ms */
	SVL_DOC_WAITING_CONFIRMATION = 8, /* resolved; the customer to
					   * confirm the close */
	/* write-offs (R-WOF-2, R-WOF-5) */
	SVL_DOC_WAITING_APPRAISAL = 9, /* fewer than three appraisals */
	SVL_DOC_WAITING_APPROVAL = 10, /* appraised, not approved */
	SVL_DOC_WAITING_DISPOSAL = 11, /* approved; held parts not all
					* disposed of */
	SVL_DOC_DONE = 12, /* issued, received, closed, disposed, rejected */
};
#define SVL_DOC_STATES 13 /* one past the last value */

/* "pick" ... ; "waiting_signatures" ... "done"; NULL when out of range. */
SVL_API const char *svl_doc_kind_name(int kind);
SVL_API const char *svl_doc_state_name(int state);
/* The kind or state named `name` (len bytes), or -1. */
SVL_API int svl_doc_kind_find(const char *name, size_t len);
SVL_API int svl_doc_state_find(const char *name, size_t len);

/* One document. Fields a kind does not use are 0 or "". */
typedef struct svl_document {
	enum svl_doc_kind kind;
	char id[SVL_DOC_ID_MAX + 1];
	enum svl_doc_state state;
	int64_t opened_at_ms;  /* occurred_at of the event that opened it */
	int64_t updated_at_ms; /* of the last event that changed it */
	char wo_id[SVL_DOC_ID_MAX + 1]; /* the job it names, or "" */
	/* pick lists */
	int purpose;		/* SVL_PICK_PURPOSE_... (svl_events.h) */
	uint32_t signed_mask;	/* 1 << SVL_SIGN_AS_...: signatures made */
	uint32_t missing_mask;	/* signatures the pick may take next, in
				 * the signing order (docs/rules.md) */
	/* pick: requested / issued; purchase order: ordered / accepted at
	 * stage 3 or rejected; write-off: approved / disposed of */
	int64_t qty_milli;
	int64_t done_milli;
	/* purchase orders */
	char supplier_id[SVL_DOC_ID_MAX + 1];
	int acceptance_stage; /* highest stage recorded, 0 none yet */
	int claims_open;      /* discrepancy slips not settled (R-RCV-3) */
	/* complaints */
	int severity;	       /* SVL_CMP_SEVERITY_..., -1 not classified */
	int department;	       /* SVL_DEPARTMENT_..., -1 no plan yet */
	int64_t deadline_at_ms; /* the plan's deadline, 0 none */
	/* write-offs */
	int appraisals;	   /* of three (R-WOF-2) */
	int64_t total_fen; /* requested value; the approved total once
			    * approved */
} svl_document;

/* svl_document_get - the document `id` of `kind`. Returns SVL_OK,
 * SVL_ENOTFOUND, SVL_EMISUSE (NULL), SVL_EINVAL (bad kind, id too long),
 * SVL_ECORRUPT. */
SVL_API int svl_document_get(svl_ledger *l, int kind, const char *id,
			     svl_document *out);

#define SVL_DOC_FILTER_VERSION 1

/* What svl_documents_page lists: documents matching every criterion. */
typedef struct svl_doc_filter {
	unsigned version; /* SVL_DOC_FILTER_VERSION */
	int kind;	  /* enum svl_doc_kind, 0 = any */
	int state;	  /* enum svl_doc_state, 0 = any open one (not done),
			   * -1 = any at all */
	const char *wo_id; /* the job's documents only, NULL = any */
} svl_doc_filter;

#define SVL_DOC_FILTER_INIT {SVL_DOC_FILTER_VERSION, 0, 0, NULL}

typedef int (*svl_doc_fn)(const svl_document *d, void *payload);

/*
 * svl_documents_page - call fn for the documents matching filter (NULL:
 * every open document), one page at a time (svl_page; page NULL: all).
 * Order: by state, then kind, then id (a job's documents: by kind, then
 * id). Each walk is a range scan of an index. Returns SVL_OK, fn's
 * non-zero value, SVL_EMISUSE (NULL l or fn, bad version), SVL_EINVAL
 * (unknown kind or state, id too long, a cursor of another walk),
 * SVL_ECORRUPT.
 */
SVL_API int svl_documents_page(svl_ledger *l, const svl_doc_filter *filter,
			       svl_page *page, svl_doc_fn fn, void *payload);

#ifdef __cplusplus
}
#endif
#endif /* SVL_DOCUMENTS_H */
