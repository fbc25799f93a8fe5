/*
 * svl_error.h - the one error range of libsvcledger.
 *
 * Every public function that can fail returns an int: SVL_OK (0) or one of
 * the negative SVL_E... codes below. Raw errno values and LMDB codes never
 * reach the caller: they are mapped here and the original is kept in the
 * handle's one-line detail message (svl_log_errmsg and friends).
 *
 * The classes are kept apart on purpose, because a caller reacts to each in
 * a different way:
 *   - SVL_EINVAL      bad input (a field, a limit); fix the input.
 *   - SVL_ECONFLICT   optimistic concurrency lost; re-read and retry.
 *   - SVL_EREFUSED    a business rule (R-... in domain.md) said no.
 *   - SVL_ECORRUPT    bytes from disk do not decode or do not verify.
 *   - SVL_EIO         the operating system or storage failed.
 *   - SVL_EMISUSE     the caller broke the API contract.
 * Values are part of the ABI and never renumbered.
 */
#ifndef SVL_ERROR_H
#define SVL_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SVL_API __attribute__((visibility("default")))
#else
#define SVL_API
#endif

enum svl_error {
	SVL_OK = 0,
	SVL_EINVAL = -1,    /* bad argument or input; detail names the field */
	SVL_ENOMEM = -2,    /* out of memory */
	SVL_EIO = -3,       /* storage or OS failure; detail has errno text */
	SVL_ECORRUPT = -4,  /* bytes on disk undecodable or failing checks */
	SVL_ECONFLICT = -5, /* expected stream version did not match */
	SVL_ENOTFOUND = -6, /* no such ledger, stream, record or key */
	SVL_EREFUSED = -7,  /* a business rule refused the command */
	SVL_ELIMIT = -8,    /* a documented limit was exceeded */
	SVL_EMISUSE = -9,   /* API misuse (wrong handle state, NULL, ...) */
	SVL_EREADONLY = -10, /* write attempted on a read-only handle */
	SVL_EBUSY = -11,    /* ledger already open in this process, or locked */
	SVL_EFORMAT = -12,  /* on-disk format version not supported */
	SVL_ITEROVER = -13, /* an iterator has no more records (not a failure) */
	SVL_EEXISTS = -14,  /* the thing to create already exists */
	SVL_ETIMEDOUT = -15, /* a wait ended before what it waited for */
	SVL_EREADERS = -16, /* every reader slot is taken (max_readers): close
			     * long-lived snapshots, or reopen with more */
};

/*
 * svl_strerror - a short, static, English description of an error code.
 * Always returns a valid string, also for unknown codes. Never free it.
 */
SVL_API const char *svl_strerror(int rc);

/*
 * svl_error_name - the code's name, "SVL_EINVAL"; "SVL_EUNKNOWN" for a
 * code the library does not know. Static; never free it. For logs and for
 * bindings that map codes to their own exceptions.
 */
SVL_API const char *svl_error_name(int rc);

/*
 * svl_free - free what the library allocated for the caller (the text of
 * svl_event_to_json_text, ...). Use it rather than free() where the
 * caller's C runtime may not be the library's (other languages' bindings).
 * NULL is ignored.
 */
SVL_API void svl_free(void *p);

#ifdef __cplusplus
}
#endif
#endif /* SVL_ERROR_H */
