/*
 * signable.h - the event types whose signatures may carry a signer's key
 * and an Ed25519 signature (docs/trust.md): which field holds the key and
 * the signature, what document the signature also covers, which rule it
 * stands for, and the rule set's require_signed bit of each.
 *
 * Read by the rule set (require_signed by name), the deciders and the
 * signer (decide/sign.c), and verify.
 */
#ifndef SVL_SIGNABLE_H
#define SVL_SIGNABLE_H

#include <stddef.h>
#include <stdint.h>

#include "svl_events.h"

/* The signable types: which rule a signature belongs to, and the bit of
 * enum svl_signed_types that requires it. NULL for other types. */
typedef struct svl__signable {
	uint32_t type;
	uint32_t require_bit;
	uint32_t key_field, sig_field;	 /* signer_key, signature */
	uint32_t subject_type;		 /* 0: the event signs only itself */
	const char *subject_prefix;	 /* its stream: prefix "-" <key> */
	uint32_t subject_key_field;	 /* field of the event naming it */
} svl__signable;

const svl__signable *svl__signable_of(uint32_t type);
/* The enum svl_signed_types bit of a signable type's name, or 0; and the
 * k-th signable type's name (k = bit index), or NULL past the last. */
uint32_t svl__signed_bit(const char *name, size_t len);
const char *svl__signed_name(size_t k);
/* The rule a signature of this event stands for (R-ISS-3, R-WOF-2...). */
const char *svl__signable_rule(const svl__signable *s,
			       const svl_event_view *v);

#endif
