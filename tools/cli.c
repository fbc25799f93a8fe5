/*
 * cli.c - the shared machinery of the svcledger subcommands: exit codes,
 * errors, option parsing and help, opening the ledger, formatting.
 *
 * The option parser is table-driven rather than getopt_long so that the
 * same table produces the --help text: an option cannot be accepted and
 * undocumented, or documented and refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"

/* ---- exit codes ---- */

int cli_exit_code(int svl_rc)
{
	switch (svl_rc) {
	case SVL_OK: return CLI_EXIT_OK;
	case SVL_EINVAL:
	case SVL_ELIMIT:
	case SVL_ENOTFOUND: return CLI_EXIT_INPUT;
	case SVL_EREFUSED: return CLI_EXIT_REFUSED;
	case SVL_ECORRUPT: return CLI_EXIT_INTEGRITY;
	case SVL_ECONFLICT:
	case SVL_EEXISTS: return CLI_EXIT_CONFLICT;
	default: return CLI_EXIT_ERROR; /* EIO ENOMEM EBUSY EFORMAT ... */
	}
}

/* ---- errors ---- */

/* An error is one line whatever it quotes: control characters that came
 * from the input (an escaped newline in a field, a NUL) are shown escaped.
 * The format is translated here, once for every call site (cli_tr). */
int cli_error(const cli_ctx *ctx, int code, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	fflush(stdout);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	fprintf(stderr, "svcledger: %s: ", ctx && ctx->cmd ? ctx->cmd : "?");
	for (const char *p = msg; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n')
			fputs("\\n", stderr);
		else if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputc('\n', stderr);
	return code;
}

/* The library's detail in the tool's language: the whole of it, or what
 * follows a "PATH: " prefix, when the tool's catalog has it. */
static const char *tr_detail(const char *d, char *buf, size_t len)
{
	if (_(d) != d)
		return _(d);
	for (const char *p = strstr(d, ": "); p; p = strstr(p + 1, ": ")) {
		const char *t = _(p + 2);
		if (t != p + 2) {
			snprintf(buf, len, "%.*s: %s", (int)(p - d), d, t);
			return buf;
		}
	}
	return d;
}

int cli_svl_error(const cli_ctx *ctx, int svl_rc, const char *detail)
{
	char buf[1024];
	const char *d = detail && *detail ? detail : svl_strerror(svl_rc);
	return cli_error(ctx, cli_exit_code(svl_rc), "%s",
			 tr_detail(d, buf, sizeof buf));
}

/* ---- help ---- */

static void print_opt(const cli_opt *o, FILE *f)
{
	char left[64];
	if (o->short_name)
		snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name,
			 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	else
		snprintf(left, sizeof left, "    --%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(f, "  %-24s %s\n", left, _(o->help));
}

void cli_print_help(const cli_spec *spec, FILE *f)
{
	fprintf(f, _("usage: svcledger %s %s\n\n%s\n\noptions:\n"), spec->name,
		spec->synopsis, _(spec->about));
	for (const cli_opt *o = spec->opts; o && o->name; o++)
		print_opt(o, f);
	static const cli_opt help = {"help", 'h', NULL, "show this help"};
	print_opt(&help, f);
	if (spec->example)
		fprintf(f, _("\nexample:\n%s"), spec->example);
}

/* ---- parsing ---- */

static int find_long(const cli_opt *opts, const char *name, size_t len)
{
	for (int i = 0; opts && opts[i].name; i++)
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return i;
	return -1;
}

static int find_short(const cli_opt *opts, char c)
{
	for (int i = 0; opts && opts[i].name; i++)
		if (opts[i].short_name == c)
			return i;
	return -1;
}

/* A usage error: what is wrong with the argument, and where help is. */
static int usage(const cli_ctx *ctx, const char *what, const char *arg)
{
	return cli_error(ctx, CLI_EXIT_USAGE,
			 "%s '%s' (see 'svcledger %s --help')", _(what), arg,
			 ctx->cmd);
}

/* One option at argv[*i]: its index and value. -1 and *code on error. */
static int parse_one(const cli_ctx *ctx, const cli_opt *opts, int argc,
		     char **argv, int *i, const char **val, int *code)
{
	const char *a = argv[*i];
	const char *inline_val = NULL;
	int k;
	if (a[1] == '-') {
		const char *eq = strchr(a + 2, '=');
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		k = find_long(opts, a + 2, len);
		inline_val = eq ? eq + 1 : NULL;
	} else {
		k = find_short(opts, a[1]);
		inline_val = a[2] ? a + 2 : NULL;
	}
	if (k < 0) {
		*code = usage(ctx, "unknown option", a);
		return -1;
	}
	if (!opts[k].arg) {
		if (inline_val && a[1] == '-') {
			*code = usage(ctx, "value given to flag", a);
			return -1;
		}
		if (inline_val) { /* -xy: only one flag per dash */
			*code = usage(ctx, "unknown option", a);
			return -1;
		}
		*val = "";
		return k;
	}
	if (!inline_val) {
		if (*i + 1 >= argc) {
			*code = usage(ctx, "missing value for option", a);
			return -1;
		}
		inline_val = argv[++*i];
	}
	*val = inline_val;
	return k;
}

static bool is_help(const char *a)
{
	return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

bool cli_parse(const cli_ctx *ctx, const cli_spec *spec, int argc,
	       char **argv, cli_args *out, int *exit_code)
{
	memset(out, 0, sizeof *out);
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && is_help(a)) {
			cli_print_help(spec, stdout);
			*exit_code = CLI_EXIT_OK;
			return false;
		}
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
		} else if (!only_pos && a[0] == '-' && a[1] != '\0') {
			const char *v = NULL;
			int k = parse_one(ctx, spec->opts, argc, argv, &i, &v,
					  exit_code);
			if (k < 0)
				return false;
			out->val[k] = v;
		} else if (out->npos < spec->max_pos &&
			   out->npos < CLI_POS_MAX) {
			out->pos[out->npos++] = a;
		} else {
			*exit_code = usage(ctx, "unexpected argument", a);
			return false;
		}
	}
	return true;
}

int cli_opt_u64(const cli_ctx *ctx, const char *opt, const char *s,
		uint64_t *out)
{
	if (!s)
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--%s: '%s' is not an unsigned integer", opt,
				 s);
	*out = v;
	return 0;
}

int cli_opt_time(const cli_ctx *ctx, const char *opt, const char *s,
		 int32_t tz_offset_min, bool end_of_day, int64_t *out_ms)
{
	char zone[16];
	if (!s || svl__time_read(s, tz_offset_min, end_of_day, out_ms))
		return 0;
	return cli_error(ctx, CLI_EXIT_USAGE,
			 "--%s: '%s' is not a time: UTC milliseconds, or "
			 "YYYY-MM-DD[THH:MM[:SS[.fff]]] in UTC%s, or with Z "
			 "or +HH:MM",
			 opt, s, svl__fmt_offset(zone, sizeof zone,
						 tz_offset_min));
}

/* ---- the ledger ---- */

const char *cli_ledger_dir(const char *opt_val)
{
	if (opt_val && *opt_val)
		return opt_val;
	const char *env = getenv("SVCLEDGER_DIR");
	return env && *env ? env : "./ledger";
}

int cli_open(const cli_ctx *ctx, const char *dir, unsigned flags,
	     svl_log **out)
{
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = flags;
	int rc = svl_log_open(out, dir, &o);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_last_error());
	return CLI_EXIT_OK;
}

/* ---- formatting ---- */

char *cli_hex(char *out, const uint8_t *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

void cli_put_safe(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
	}
}
