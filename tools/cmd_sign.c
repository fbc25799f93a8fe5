/*
 * cmd_sign.c - `svcledger sign`: sign NDJSON commands on their way to
 * `append` with the signer's key (docs/trust.md "Signed signatures").
 *
 * Each line that is a pick_signed, writeoff_appraised, writeoff_approved
 * or adjustment_approved comes out with signer_key and signature in its
 * payload and the id the signature covers; other lines come out as they
 * went in. Nothing is appended: the deciders check the signature when
 * the output is appended.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "cmd_trust.h"
#include "svl_jansson.h"

static const cli_opt sign_opts[] = {
    CLI_OPT_LEDGER, {"key", 'k', "FILE", "the signer's secret key file"},
    CLI_OPT_END};
enum { SG_DIR, SG_KEY };

static const cli_spec sign_spec = {
	"sign", "[-d DIR] --key FILE [FILE|-]",
	"Sign the signable commands of an NDJSON input (default: stdin) with\n"
	"the signer's key and print the input again on stdout: pick\n"
	"signatures, write-off appraisals and approvals, adjustment approvals\n"
	"get signer_key, signature and an id; other lines pass unchanged.\n"
	"The signature covers the event and what it signs for (the pick's\n"
	"lines, the write-off's lines and costs), read from the ledger; the\n"
	"key must be registered to each line's actor by the time it is\n"
	"appended (R-KEY-3).",
	sign_opts, 1,
	"  $ svcledger sign --key e012.key pick-sign.ndjson | svcledger "
	"append\n"
	"  appended 1 event (seq 4814)\n"};

/* The line with the signed payload and its id, compact JSON on stdout. */
static int print_signed(const cli_ctx *ctx, json_t *obj,
			const svl_event_in *ev, size_t line)
{
	char id[CLI_HEX_SIZE(SVL_ID_SIZE)];
	json_t *payload = NULL;
	svl_event_error err;
	if (svl_event_to_json(&payload, ev->type, ev->schema_version,
			      ev->payload, ev->payload_len, &err) != SVL_OK)
		return cli_error(ctx, CLI_EXIT_ERROR, "line %zu: %s", line,
				 err.msg);
	cli_hex(id, ev->id, SVL_ID_SIZE);
	json_object_set_new(obj, "id", json_string(id));
	json_object_del(obj, "schema_version");
	json_object_set_new(obj, "payload", payload);
	char *text = json_dumps(obj, JSON_COMPACT);
	if (!text)
		return cli_error(ctx, CLI_EXIT_ERROR, "no memory");
	puts(text);
	free(text);
	return CLI_EXIT_OK;
}

static int sign_line(const cli_ctx *ctx, svl_log *log, const svl_keypair *k,
		     const char *p, size_t l, size_t line,
		     svl_event_arena *arena)
{
	json_error_t je;
	svl_event_error err;
	svl_event_in ev;
	json_t *obj = json_loadb(p, l, JSON_REJECT_DUPLICATES, &je);
	if (!obj)
		return cli_error(ctx, CLI_EXIT_INPUT, "line %zu: %s", line,
				 je.text);
	arena->used = 0;
	int code = CLI_EXIT_OK;
	int rc = svl_event_input_jsont(&ev, arena, obj, &err);
	if (rc == SVL_OK && (rc = svl_sign_command(log, &ev, arena, k, &err)) ==
				SVL_OK)
		code = print_signed(ctx, obj, &ev, line);
	else if (rc == SVL_EINVAL && !strncmp(err.msg, "sign: only", 10))
		printf("%.*s\n", (int)l, p); /* not a signable type */
	else
		code = cli_error(ctx, cli_exit_code(rc), "line %zu: %s%s%s",
				 line, err.path, err.path[0] ? ": " : "",
				 err.msg);
	json_decref(obj);
	return code;
}

int cli_cmd_sign(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &sign_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[SG_KEY])
		return cli_error(ctx, CLI_EXIT_USAGE, "--key FILE is required");
	const char *in = a.npos ? a.pos[0] : "-";
	svl_keypair k;
	svl_log *log = NULL;
	char *buf;
	size_t len, line = 0;
	if ((code = cmd_trust_load_key(ctx, a.val[SG_KEY], &k)))
		return code;
	if ((code = cmd_read_input(ctx, in, &buf, &len))) {
		svl_keypair_wipe(&k);
		return code;
	}
	svl_event_arena arena = {malloc(2 * SVL_EVENT_ARENA_MIN),
				 2 * SVL_EVENT_ARENA_MIN, 0};
	code = arena.buf ? cli_open(ctx, cli_ledger_dir(a.val[SG_DIR]),
				    SVL_LOG_RDONLY, &log)
			 : cli_error(ctx, CLI_EXIT_ERROR, "no memory");
	for (char *p = buf, *end = buf + len; !code && p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		if (strspn(p, " \t\r") < l)
			code = sign_line(ctx, log, &k, p, l, line, &arena);
		p += l + 1;
	}
	svl_log_close(log);
	svl_keypair_wipe(&k);
	free(arena.buf);
	free(buf);
	return code;
}
