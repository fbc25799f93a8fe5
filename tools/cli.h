/*
 * cli.h - what every svcledger subcommand shares: exit codes, option
 * parsing with generated --help, one-line errors, opening the ledger, and
 * small formatting helpers (hex, msgpack to JSON; times are fmt.h's).
 *
 * Conventions every command follows, so that scripts can rely on them:
 *  1. Results go to stdout; errors are one line on stderr,
 *     "svcledger: <command>: <detail>", and nothing else goes there except
 *     the progress bar (only when stderr is a terminal).
 *  2. The exit code says which class of failure happened (table below);
 *     an engine code is mapped in exactly one place, cli_exit_code().
 *  3. Every command accepts -h/--help, prints usage, options and an
 *     example on stdout, and exits 0.
 *  4. The ledger directory comes from -d DIR / --ledger DIR, else
 *     $SVCLEDGER_DIR, else ./ledger.
 *
 * A command is `int cli_cmd_x(const cli_ctx *ctx, int argc, char **argv)`
 * listed in commands.h; argv[0] is the command's name and the return value
 * is the process exit code.
 */
#ifndef SVL_TOOLS_CLI_H
#define SVL_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "svcledger.h"

/* ---- Exit codes (documented in docs/cli.md; never renumbered) -------- */

enum cli_exit {
	CLI_EXIT_OK = 0,        /* success */
	CLI_EXIT_USAGE = 1,     /* bad command line: unknown command/option */
	CLI_EXIT_INPUT = 2,     /* bad input: invalid data, limit, not found */
	CLI_EXIT_REFUSED = 3,   /* a business rule (R-...) refused it */
	CLI_EXIT_INTEGRITY = 4, /* the ledger failed verification / corrupt */
	CLI_EXIT_ERROR = 5,     /* I/O, memory, busy, format or other error */
	CLI_EXIT_CONFLICT = 6,  /* stream version conflict, already exists */
};

/* The exit code for an SVL_E... code (SVL_OK gives 0). */
int cli_exit_code(int svl_rc);

/* ---- The running command --------------------------------------------- */

typedef struct cli_ctx {
	const char *cmd; /* the command's name, for error messages */
} cli_ctx;

/* Print "svcledger: <cmd>: <detail>" on stderr and return `code`. */
int cli_error(const cli_ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report an engine failure: the detail (or svl_strerror when empty) on
 * stderr, and the mapped exit code returned. */
int cli_svl_error(const cli_ctx *ctx, int svl_rc, const char *detail);

/* ---- Options ---------------------------------------------------------- */

#define CLI_OPTS_MAX 24 /* options of one command, --help excluded */
#define CLI_POS_MAX 8   /* positional arguments of one command */

typedef struct cli_opt {
	const char *name; /* long name without dashes: "ledger" */
	char short_name;  /* 'd', or 0 for none */
	const char *arg;  /* metavariable ("DIR"), NULL for a flag */
	const char *help; /* one line */
} cli_opt;

/* The description of a command: its options and its help text. */
typedef struct cli_spec {
	const char *name;     /* "log" */
	const char *synopsis; /* after the name: "[-d DIR] [--json]" */
	const char *about;    /* what it does, a few lines */
	const cli_opt *opts;  /* terminated by an entry with name NULL */
	int max_pos;          /* positional arguments accepted */
	const char *example;  /* one or more example lines, with output */
} cli_spec;

/* What cli_parse found: val[i] for opts[i] is NULL when absent, its
 * argument for valued options, "" for flags given. The last occurrence of
 * an option wins. Pointers borrow argv. */
typedef struct cli_args {
	const char *val[CLI_OPTS_MAX];
	const char *pos[CLI_POS_MAX];
	int npos;
} cli_args;

/* Options most commands take; use them as entries of an opts table. */
#define CLI_OPT_LEDGER                                                       \
	{"ledger", 'd', "DIR",                                               \
	 "ledger directory (default: $SVCLEDGER_DIR, else ./ledger)"}
#define CLI_OPT_JSON {"json", 0, NULL, "print JSON for machines"}
#define CLI_OPT_END {NULL, 0, NULL, NULL}

/*
 * cli_parse - parse argv[1..] of a command against spec. Accepts
 * --name VALUE, --name=VALUE, -x VALUE, -xVALUE, flags, "--" and -h/--help.
 * Returns true when the command should go on; false when it should exit
 * with *exit_code (help printed: 0; usage error printed: 1).
 */
bool cli_parse(const cli_ctx *ctx, const cli_spec *spec, int argc,
	       char **argv, cli_args *out, int *exit_code);

/* Print a command's help (usage, about, options, example) on `f`. */
void cli_print_help(const cli_spec *spec, FILE *f);

/* An unsigned decimal option value; absent (NULL) leaves *out unchanged.
 * Returns 0, or CLI_EXIT_USAGE after printing which option was bad. */
int cli_opt_u64(const cli_ctx *ctx, const char *opt, const char *s,
		uint64_t *out);

/*
 * A time option, in the command line's one time dialect (docs/cli.md,
 * "Times on the command line"; svl__time_read in model/calendar.h): UTC
 * milliseconds; a date, its local midnight in the zone tz_offset_min
 * (with end_of_day the next midnight, so that "--to DATE" includes the
 * day); a date-time with Z or an offset as written, else local in that
 * zone. The zone is the one the command shows times in: the ledger's
 * rule set's, or UTC for the commands that read the log alone. Absent
 * (NULL) leaves *out_ms unchanged. Returns 0, or CLI_EXIT_USAGE after
 * printing what is wrong.
 */
int cli_opt_time(const cli_ctx *ctx, const char *opt, const char *s,
		 int32_t tz_offset_min, bool end_of_day, int64_t *out_ms);

/* ---- The ledger -------------------------------------------------------- */

/* The ledger directory: the option value, else $SVCLEDGER_DIR, else
 * "./ledger". Borrowed (argv, environment or a literal). */
const char *cli_ledger_dir(const char *opt_val);

/* Open the ledger in dir with the given SVL_LOG_* flags. Returns 0 with
 * *out set, or prints the error and returns its exit code. */
int cli_open(const cli_ctx *ctx, const char *dir, unsigned flags,
	     svl_log **out);

/* ---- Formatting --------------------------------------------------------- */

#define CLI_HEX_SIZE(n) (2 * (n) + 1)

/* Lower-case hex of n bytes into out (2n + 1 bytes); returns out. */
char *cli_hex(char *out, const uint8_t *bytes, size_t n);

/* Write bytes to f with control characters shown as '?', so that stored
 * text can never drive the terminal. */
void cli_put_safe(FILE *f, const char *s, size_t n);

/* ---- JSON (cli_json.c) ------------------------------------------------- */

/* A JSON string for bytes that should be UTF-8 text; bytes that are not
 * valid UTF-8 give {"$hex": "..."} instead. New reference, NULL on OOM. */
json_t *cli_json_text(const char *s, size_t n);

/* Standard base64 (RFC 4648, padded) of n bytes as a JSON string. */
json_t *cli_json_base64(const uint8_t *bytes, size_t n);

/* Hex of n bytes as a JSON string, or JSON null when bytes is NULL. */
json_t *cli_json_hex(const uint8_t *bytes, size_t n);

/*
 * cli_msgpack_to_json - one msgpack object (a payload) as JSON. Maps with
 * non-string keys get the key's JSON text as key; bin becomes
 * {"$bin": base64}; ext {"$ext": type, "data": base64}; unsigned integers
 * above INT64_MAX a decimal string. NULL when the bytes are not exactly one
 * msgpack object. New reference.
 */
json_t *cli_msgpack_to_json(const uint8_t *bytes, size_t n);

/* Print a JSON value compactly on one line of stdout and release it (the
 * reference is stolen; NULL reports out of memory). 0 or an exit code. */
int cli_json_print(const cli_ctx *ctx, json_t *v);

/* ---- The commands (one line each in commands.h) ------------------------ */

#define SVL_CLI_COMMAND(name, fn, summary)                                   \
	int fn(const cli_ctx *ctx, int argc, char **argv);
#include "commands.h"
#undef SVL_CLI_COMMAND

/* ---- language (i18n.c) ---- */

/* The tool's language: the --lang given, else the environment's
 * (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else "en". */
const char *cli_lang(void);
void cli_set_lang(const char *lang);

/* Whether the tool speaks Chinese (cli_lang() is zh, zh_CN, zh-CN...). */
int cli_lang_is_zh(void);

/*
 * cli_tr - the tool's own text in its language: english's translation
 * from tools/msg_zh_CN.def when the tool speaks Chinese and the catalog
 * has it, else english itself. A printf format translates to a format
 * with the same conversions in the same order (a test checks every row).
 * Returns static storage (or english).
 */
const char *cli_tr(const char *english) __attribute__((format_arg(1)));
#define _(s) cli_tr(s)

/* The tool's catalog rows (for tests): *n rows of (English, Chinese). */
struct svl__msg;
const struct svl__msg *cli_msgs(size_t *n);

#endif /* SVL_TOOLS_CLI_H */
