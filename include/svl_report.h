/*
 * svl_report.h - the department's month as one self-contained HTML page:
 * the ledger's head and its proofs, the figures against the seed's
 * targets as charts with their numbers, follow-up and complaints, stock
 * value and movements, the last stocktake's variances and what explains
 * them, write-offs and their shares, and the work in progress.
 * docs/report.md describes every section and where its figures come from.
 *
 * The page needs nothing but itself: inline CSS and inline SVG, no
 * script, no font, no image file, no network (its Content-Security-Policy
 * forbids every load), and a print stylesheet for A4. It is deterministic:
 * the same ledger and options give the same bytes, because every time on
 * it is the ledger's (the head record's recorded time stands for
 * "generated at" unless the caller gives one).
 *
 * Threads and memory: as svl_ledger.h. The report reads one snapshot per
 * query; start svl_ledger_read_begin first to read every section in one.
 */
#ifndef SVL_REPORT_H
#define SVL_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "svl_ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_REPORT_OPTIONS_VERSION 1

typedef struct svl_report_options {
	unsigned version; /* SVL_REPORT_OPTIONS_VERSION */
	/* the period reported: from_ms <= time < to_ms (UTC ms; give local
	 * midnights in the rule set's zone for whole days). Both 0: the
	 * month of the ledger's last record. */
	int64_t from_ms, to_ms;
	/* "en" (NULL) or "zh-CN": the page's language */
	const char *lang;
	/* the time the head says the report was generated; 0: the ledger's
	 * clock (its last record's recorded time), so that the bytes depend
	 * on the ledger alone */
	int64_t generated_at_ms;
	/* months of KPI trend ending with the period's last, 1..24; 0: 12 */
	int32_t trend_months;
	uint32_t reserved[9]; /* zero */
} svl_report_options;

#define SVL_REPORT_OPTIONS_INIT                                                \
	{                                                                      \
		SVL_REPORT_OPTIONS_VERSION, 0, 0, NULL, 0, 0,                  \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/* Receives the page in pieces, in order; a non-zero return stops the
 * report and is returned by it. */
typedef int (*svl_report_sink)(const char *bytes, size_t n, void *payload);

/*
 * svl_report_write - write the report of opt (NULL: SVL_REPORT_OPTIONS_INIT)
 * to sink. The page is built whole before the first byte is handed over,
 * so a failure never leaves half a page with the sink. Returns SVL_OK,
 * the sink's non-zero value, SVL_EMISUSE (l or sink NULL, unknown options
 * version), SVL_EINVAL (from_ms >= to_ms, one of them 0, an unknown
 * language, trend_months out of range; svl_ledger_errmsg says which),
 * SVL_ELIMIT (a page beyond 64 MiB), SVL_ENOMEM, or a read error.
 */
SVL_API int svl_report_write(svl_ledger *l, const svl_report_options *opt,
			     svl_report_sink sink, void *payload);

/* svl_report_write_file - the same into out (fwrite); SVL_EIO when a
 * write fails. The caller flushes and closes out. */
SVL_API int svl_report_write_file(svl_ledger *l,
				  const svl_report_options *opt, FILE *out);

#ifdef __cplusplus
}
#endif
#endif /* SVL_REPORT_H */
