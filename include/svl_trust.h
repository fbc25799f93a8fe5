/*
 * svl_trust.h - proof against deliberate rewrites: staff keys, signed
 * signatures and period seals (docs/trust.md).
 *
 * The XXH3 chain catches damage; it does not catch someone who can write
 * the ledger's files and recomputes the chain. Three things do:
 *
 *   keys        a person's Ed25519 key pair; the public key is registered
 *               in the ledger by a manager (staff_key_registered) and
 *               signs for that person from then until it is revoked;
 *   signatures  a pick signature (R-ISS-3), a write-off appraisal or
 *               approval (R-WOF-2/5) or an adjustment approval (R-STK-2)
 *               may carry the signer's Ed25519 signature over what they
 *               sign; a rule set may require it (svl_rules.require_signed);
 *   seals       a manager signs, at the end of a period, a BLAKE2b-256
 *               digest over every record since the previous seal, chained
 *               with that seal's digest; the seal is an event in the
 *               ledger and a JSON line in a seal file that leaves the
 *               machine. Verifying the file against the ledger with the
 *               managers' public keys shows that not a byte of a sealed
 *               period changed.
 *
 * Crypto is libsodium's (Ed25519, BLAKE2b). Threads: as for the ledger;
 * nothing here keeps state between calls. Secret keys live in caller
 * memory: wipe them with svl_keypair_wipe().
 */
#ifndef SVL_TRUST_H
#define SVL_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "svl_decide.h"
#include "svl_error.h"
#include "svl_events.h"
#include "svl_ledger.h"
#include "svl_log.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_PUBLIC_KEY_SIZE 32
#define SVL_SECRET_KEY_SIZE 64
#define SVL_SIGNATURE_SIZE 64
#define SVL_DIGEST_SIZE 32

/* ---- keys ---------------------------------------------------------------- */

typedef struct svl_keypair {
	uint8_t public_key[SVL_PUBLIC_KEY_SIZE];
	uint8_t secret_key[SVL_SECRET_KEY_SIZE]; /* libsodium's: seed || pk */
} svl_keypair;

/* svl_key_generate - a new random Ed25519 key pair. SVL_OK, SVL_EIO. */
SVL_API int svl_key_generate(svl_keypair *out);

/* svl_key_from_seed - the key pair of a 32-byte seed (the secret key
 * file's content): the same seed always gives the same keys. Keep the seed
 * as secret as the key. SVL_OK, SVL_EIO. */
SVL_API int svl_key_from_seed(svl_keypair *out, const uint8_t seed[32]);

/*
 * svl_key_save - write the secret key file `path` (mode 0600, refused with
 * SVL_EEXISTS if it exists; one line "svcledger-ed25519-secret-key <64 hex
 * digits of the seed>") and the public key file "<path>.pub" (one line of
 * 64 hex digits; also refused if it exists). Both are fsync'd; on failure
 * neither is left behind. err (errlen bytes, may be 0) says why.
 */
SVL_API int svl_key_save(const svl_keypair *k, const char *path, char *err,
			 size_t errlen);

/* svl_key_load - read a secret key file written by svl_key_save. Refuses
 * (SVL_EINVAL) a file that others may read. SVL_OK, SVL_ENOTFOUND, SVL_EIO,
 * SVL_EINVAL. */
SVL_API int svl_key_load(svl_keypair *out, const char *path, char *err,
			 size_t errlen);

/* svl_key_public - a public key from 64 hex digits or from a file holding
 * them (a ".pub" file). SVL_OK, SVL_EINVAL, SVL_ENOTFOUND. */
SVL_API int svl_key_public(uint8_t out[SVL_PUBLIC_KEY_SIZE], const char *arg,
			   char *err, size_t errlen);

/* svl_key_hex - 64 lowercase hex digits and a NUL. */
SVL_API void svl_key_hex(const uint8_t key[SVL_PUBLIC_KEY_SIZE],
			 char out[2 * SVL_PUBLIC_KEY_SIZE + 1]);

/* svl_keypair_wipe - zero the key pair's memory (never optimised away). */
SVL_API void svl_keypair_wipe(svl_keypair *k);

/* ---- signed signatures ---------------------------------------------------- */

/*
 * svl_sign_command - sign a parsed pick_signed, writeoff_appraised,
 * writeoff_approved or adjustment_approved as its actor, with key k: the
 * signature text (docs/trust.md: the event's identity and fields, and the
 * pick's or write-off's request read from `log`) is signed and the payload
 * is re-encoded with signer_key and signature into `arena`; ev->payload
 * then points there (*ev is changed only on success). An event without an id gets one (a signature covers
 * its event's id). The key must be registered to the actor when the event
 * is appended, or the deciders refuse it (R-KEY-3). Returns SVL_OK,
 * SVL_EINVAL (not a signable type; err says), SVL_ENOTFOUND (the pick or
 * write-off is not in the log), SVL_ELIMIT (arena full), SVL_EIO.
 */
SVL_API int svl_sign_command(svl_log *log, svl_event_in *ev,
			     svl_event_arena *arena, const svl_keypair *k,
			     svl_event_error *err);

/* ---- seals --------------------------------------------------------------- */

#define SVL_SEAL_PERIOD_MAX 16

/* One seal: the ledger_sealed event's fields and its position. */
typedef struct svl_seal {
	uint64_t seq; /* the seal event's own seq */
	uint8_t ledger_id[SVL_ID_SIZE];
	uint64_t from_seq, to_seq;	 /* the records sealed */
	uint8_t head_hash[SVL_HASH_SIZE]; /* record to_seq's hash */
	uint8_t prev_digest[SVL_DIGEST_SIZE];
	uint8_t digest[SVL_DIGEST_SIZE];
	int64_t sealed_at_ms;
	char period[SVL_SEAL_PERIOD_MAX + 1]; /* "2026-09", or "" */
	char staff_id[SVL_ACTOR_MAX + 1];
	char role[SVL_ROLE_MAX + 1];
	uint8_t public_key[SVL_PUBLIC_KEY_SIZE];
	uint8_t signature[SVL_SIGNATURE_SIZE];
} svl_seal;

#define SVL_SEAL_OPTIONS_VERSION 1

typedef struct svl_seal_options {
	unsigned version; /* SVL_SEAL_OPTIONS_VERSION */
	/* the sealer's staff id; NULL: the person the key is registered to */
	const char *actor;
	/* service_manager, parts_manager or general_manager; NULL: the
	 * first of them the sealer holds at the seal's time */
	const char *role;
	/* through: the last record sealed. 0 with period NULL = the head. */
	uint64_t through_seq;
	/* "2026-09" or "2026-09-30": through the last record recorded before
	 * the end of that month or day, in the rule set's time zone */
	const char *period;
	/* the seal's time, 0 = now. Set it only to seal replayed history
	 * (the demo): it is also the event's recorded_at */
	int64_t at_ms;
	/* the seal event's id, an idempotency key (a retried seal with the
	 * same id is not appended twice); NULL: a new one */
	const uint8_t *event_id;
	uint32_t reserved[8]; /* zero */
} svl_seal_options;

#define SVL_SEAL_OPTIONS_INIT                                                  \
	{SVL_SEAL_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, NULL, {0}}

/*
 * svl_seal_append - seal the ledger from the record after the previous
 * seal through opt's bound, signed with k, as opt->actor: the seal is
 * decided (R-SEAL-1/2, R-KEY-3, R-ROLE-1/2) and appended in one write
 * transaction; *out (may be NULL) gets it, with its seq. Returns SVL_OK,
 * SVL_EREFUSED (res names the rule), SVL_EINVAL (options; res says), the
 * codes of svl_ledger_submit; SVL_ENOTFOUND when there is nothing new to
 * seal.
 */
SVL_API int svl_seal_append(svl_ledger *l, const svl_keypair *k,
			    const svl_seal_options *opt, svl_seal *out,
			    svl_submit_result *res);

/* svl_seal_to_json - the seal as one line of the seal file (NUL-terminated,
 * no newline). Returns the length, or the length needed when cap is too
 * small (like snprintf). */
SVL_API size_t svl_seal_to_json(const svl_seal *s, char *buf, size_t cap);

/* svl_seal_from_json - parse one seal-file line. SVL_OK, SVL_EINVAL (err
 * names the key). */
SVL_API int svl_seal_from_json(svl_seal *out, const char *line, size_t len,
			       char *err, size_t errlen);

/* svl_seal_each - call fn for every seal in the ledger, in seq order; fn
 * returns 0 to go on. Returns SVL_OK, fn's value, or a read error. */
typedef int (*svl_seal_fn)(const svl_seal *s, void *payload);
SVL_API int svl_seal_each(svl_log *log, svl_seal_fn fn, void *payload);

/* What a trust check found. */
typedef struct svl_trust_report {
	int ok;
	/* the first failure: its seq range (0, 0 when none applies) and one
	 * line saying what is wrong */
	uint64_t bad_from, bad_to;
	char problem[320];
	uint64_t head_seq;
	size_t seals;		  /* seals checked */
	uint64_t sealed_through;  /* last sealed seq, 0 = none */
	int64_t last_sealed_at_ms;
	char last_sealed_by[SVL_ACTOR_MAX + 1];
	size_t signatures;	  /* signed signatures checked */
	size_t unsigned_signatures; /* signable events without one */
	size_t keys_registered;	  /* staff_key_registered events (R-KEY-1
				   * checked again: each key once) */
	size_t keys_revoked;
} svl_trust_report;

/*
 * svl_seal_verify - check the seals of a seal file (n, in file order)
 * against the ledger: each seal signed by one of the n_trusted keys in
 * `trusted` (SVL_PUBLIC_KEY_SIZE bytes each, back to back) and
 * by a key registered to its sealer then; the file's seals chained from
 * seq 1 (none missing); each one's records present, with its head hash
 * and its digest; the seal event itself in the ledger as in the file.
 * Stops at the first failure. Returns SVL_OK (report->ok says the
 * verdict) or a read error.
 */
SVL_API int svl_seal_verify(svl_log *log, const svl_seal *seals, size_t n,
			    const uint8_t *trusted, size_t n_trusted,
			    svl_trust_report *report);

/*
 * svl_trust_check - the ledger's own evidence: every seal event in the
 * log (chain, signature, key, digest), every signed signature (key
 * registered to the signer then, signature over its text) and the key
 * registry (each key registered once), each judged as its decider saw the
 * log. What `svcledger verify` adds to the chain check. It cannot know
 * which rule set required signatures when: it counts the unsigned ones.
 * Same returns as svl_seal_verify.
 */
SVL_API int svl_trust_check(svl_log *log, svl_trust_report *report);

#ifdef __cplusplus
}
#endif
#endif /* SVL_TRUST_H */
