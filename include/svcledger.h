/*
 * svcledger.h - the whole public API of libsvcledger, and its version.
 *
 *   #include <svcledger.h>      cc app.c $(pkg-config --cflags --libs svcledger)
 *
 * One include gives the whole API; each layer also has its own header:
 *   svl_error.h        the error codes (one range for everything)
 *   svl_log.h          the event log: append, read, verify (no business)
 *   svl_events.h       the event catalog, payload codecs (+ catalog.def)
 *   svl_decide.h       the deciders: the department's rules
 *   svl_rules.h        rule sets that change what projections compute
 *   svl_ledger.h       the ledger: log + rules + projections, submit, rebuild
 *   svl_stock.h        stock cards, as of any moment
 *   svl_reconcile.h    count sheets against the book
 *   svl_work_orders.h  work orders
 *   svl_documents.h    open paperwork: picks, orders, complaints, write-offs
 *   svl_metrics.h      satisfaction metrics
 *   svl_figures.h      the seed's other figures, with their exceptions
 * docs/embedding.md is the guide.
 */
#ifndef SVCLEDGER_H
#define SVCLEDGER_H

#include "svl_decide.h"
#include "svl_documents.h"
#include "svl_error.h"
#include "svl_events.h"
#include "svl_figures.h"
#include "svl_ledger.h"
#include "svl_log.h"
#include "svl_metrics.h"
#include "svl_reconcile.h"
#include "svl_report.h"
#include "svl_rules.h"
#include "svl_stock.h"
#include "svl_trust.h"
#include "svl_work_orders.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_VERSION_MAJOR 1
#define SVL_VERSION_MINOR 0
#define SVL_VERSION_PATCH 0
#define SVL_VERSION_STRING "1.0.0"
#define SVL_VERSION_NUMBER \
	(SVL_VERSION_MAJOR * 10000 + SVL_VERSION_MINOR * 100 + SVL_VERSION_PATCH)

/* svl_version - the version of the library linked at run time, as
 * SVL_VERSION_NUMBER; compare with the macro to detect a header mismatch. */
SVL_API int svl_version(void);
SVL_API const char *svl_version_string(void);

#ifdef __cplusplus
}
#endif
#endif /* SVCLEDGER_H */
