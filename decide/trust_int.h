/*
 * trust_int.h - what the deciders, verify and the trust API share about
 * keys, signed signatures and seals (not public API; docs/trust.md).
 *
 * Every signed thing is a text of "name=value" lines, built here once and
 * used by the signer, the deciders and verify alike:
 *
 *   signature text  svl__sig_text   an event's fields (and its subject's)
 *   seal text       svl__seal_text  a seal's fields
 *
 * and a seal's digest (svl__seal_digest) is BLAKE2b-256 over the previous
 * seal's digest and the sealed records' bytes. The crypto is libsodium's.
 */
#ifndef SVL_TRUST_INT_H
#define SVL_TRUST_INT_H

#include <stdint.h>

#include "decide_int.h"
#include "signable.h"

#define SVL__PK 32   /* Ed25519 public key bytes */
#define SVL__SIG 64  /* Ed25519 signature bytes */
#define SVL__DIG 32  /* BLAKE2b-256 digest bytes */

/* ---- a growing text buffer ---- */

typedef struct svl__text {
	char *p;
	size_t len, cap;
	int oom; /* an allocation failed: the text is incomplete */
} svl__text;

void svl__text_add(svl__text *t, const char *s, size_t n);
void svl__text_addf(svl__text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A JSON string literal of s (quotes, escapes; bytes >= 0x80 as they are). */
void svl__text_quoted(svl__text *t, const char *s, size_t n);
void svl__text_free(svl__text *t);

/* sodium_init once; SVL_EIO when libsodium cannot start. */
int svl__sodium(void);
/* Lowercase hex of n bytes into out (2n + 1 bytes). */
void svl__hex(char *out, const uint8_t *b, size_t n);
/* n bytes from exactly 2n lowercase hex digits; 0 on anything else. */
int svl__unhex(uint8_t *out, size_t n, const char *hex, size_t len);

/* ---- signed signatures (sign.c) ---- */

/* What is signed about one event: its envelope's identity and payload. */
typedef struct svl__signed {
	const uint8_t *ledger_id; /* 16 bytes */
	const uint8_t *id;	  /* 16 bytes: the event's id */
	uint32_t type, schema_version;
	const char *actor, *role;
	size_t actor_len, role_len;
	int64_t occurred_at_ms;
	const svl_event_view *v;
} svl__signed;

/* The signature text of an event (subject folded in `txn`). SVL_OK,
 * SVL_ENOTFOUND (no subject; `txn` failed with a message), SVL_ENOMEM. */
int svl__sig_text(svl_txn *txn, const svl__signable *s, const svl__signed *e,
		  const uint8_t pk[SVL__PK], svl__text *out);

/* Decider step for the signable types (R-KEY-3 and the type's rule). */
int svl__check_signature(svl__dctx *c);

/* ---- keys (keys.c) ---- */

enum svl__key_status {
	SVL__KEY_VALID,	   /* registered to the person, not revoked, at t */
	SVL__KEY_UNKNOWN,  /* never registered to the person */
	SVL__KEY_NOT_YET,  /* registered from a later time */
	SVL__KEY_REVOKED,  /* revoked at t, or t is before the revocation was
			    * recorded (a signature dated back) */
};

/* The status at at_ms of key pk_hex (64 digits) for staff (len bytes),
 * from the person's staff stream before seq before_seq (0: all the
 * transaction sees; verify passes the checked record's seq, to judge it
 * as its decider did); *edge_ms gets the registration (NOT_YET) or
 * revocation (REVOKED) time. */
int svl__key_status(svl__dctx *c, const char *staff, size_t len,
		    const char *pk_hex, int64_t at_ms, uint64_t before_seq,
		    int *status, int64_t *edge_ms);
/* R-KEY-3: refuse unless pk_hex signs for staff at at_ms. */
int svl__check_key(svl__dctx *c, const char *staff, size_t len,
		   const char *pk_hex, int64_t at_ms, const char *what);
/* R-KEY-1, R-KEY-2 for staff_key_registered / staff_key_revoked. */
int svl__decide_keys(svl__dctx *c);

/* ---- seals (seal.c) ---- */

typedef struct svl__seal_fields {
	const uint8_t *ledger_id; /* 16 */
	uint64_t from_seq, to_seq;
	const uint8_t *head_hash;   /* 16 */
	const uint8_t *prev_digest; /* 32 */
	const uint8_t *digest;	    /* 32 */
	int64_t sealed_at_ms;
	const char *period, *staff, *role;
	size_t period_len, staff_len, role_len;
	const uint8_t *public_key; /* 32 */
} svl__seal_fields;

/* The text a seal's signature is over. */
int svl__seal_text(const svl__seal_fields *f, svl__text *out);
/* BLAKE2b-256 of prev_digest and records from..to as read in txn:
 * for each, u64 BE seq || u32 BE length || the record's bytes. *last_hash
 * (may be NULL) gets record to's hash. SVL_ENOTFOUND when the log ends
 * before `to` (txn failed with a message). */
int svl__seal_digest(svl_txn *txn, uint64_t from, uint64_t to,
		     const uint8_t prev[SVL__DIG], uint8_t out[SVL__DIG],
		     uint8_t last_hash[16]);
/* R-SEAL-1, R-SEAL-2 (and R-KEY-3) for ledger_sealed. */
int svl__decide_seal(svl__dctx *c);

#endif
