/*
 * cmd_trust.h - what verify shares with the trust commands (cmd_trust.c):
 * loading a secret key, a seal file and trusted public keys.
 */
#ifndef SVL_TOOLS_CMD_TRUST_H
#define SVL_TOOLS_CMD_TRUST_H

#include "cli.h"

/* Each returns 0, or prints the error and returns its exit code. */
int cmd_trust_load_key(const cli_ctx *ctx, const char *path, svl_keypair *k);
/* The seals of a seal file, in file order; *out is malloc'd. */
int cmd_trust_load_seals(const cli_ctx *ctx, const char *path,
			 svl_seal **out, size_t *n);
/* Public keys from `first` and more[0..n_more) (hex or .pub files), back
 * to back in *out (malloc'd). */
int cmd_trust_load_keys(const cli_ctx *ctx, const char *first,
			char *const *more, int n_more,
			uint8_t **out, size_t *n);

/* Append the seal's line to the seal file at path, synced: 0 or errno. */
int cmd_trust_append_seal(const char *path, const svl_seal *s);

/* verify's trust lines: how far the ledger is sealed and by whom, the
 * signatures checked, the seal file's verdict (file may be NULL). Returns
 * 0, or CLI_EXIT_INTEGRITY after printing the first failure. With json,
 * only failures are printed (the JSON has the rest). */
int cmd_trust_print(const cli_ctx *ctx, const svl_trust_report *own,
		    const svl_trust_report *file, int json);
/* The same as keys "trust" and "seal_file" of verify's JSON object. */
void cmd_trust_json(json_t *obj, const svl_trust_report *own,
		    const svl_trust_report *file);

#endif
