/*
 * seals_int.h - what the trust layer's files share (not public API).
 */
#ifndef SVL_SEALS_INT_H
#define SVL_SEALS_INT_H

#include "svl_trust.h"
#include "trust_int.h"

#define SVL__SEAL_STREAM_MAX (5 + 2 * SVL_ID_SIZE + 1)

/* A ledger_sealed record as an svl_seal. SVL_ECORRUPT if it does not
 * decode. */
int svl__seal_of(const svl_record *r, svl_seal *out);
/* The fields of the seal text, borrowing s. */
void svl__seal_fields_of(const svl_seal *s, svl__seal_fields *f);
/* "seal-<ledger id hex>": the stream of the log's seals. */
void svl__seal_stream(svl_log *log, char out[SVL__SEAL_STREAM_MAX]);
/* Every seal of the transaction's log in seq order; fn returns 0 to go
 * on. */
int svl__seal_walk(svl_txn *txn, svl_seal_fn fn, void *payload);

#endif
