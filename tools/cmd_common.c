/*
 * cmd_common.c - see cmd_common.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"

/* Whether a read-only open failed, or would fail its queries, because a
 * live projection state does not decode; why says so. */
static int projection_damaged(int rc, svl_ledger *l, char *why, size_t len)
{
	svl_projection_info info[SVL_PROJECTIONS];
	if (rc == SVL_OK)
		rc = svl_ledger_projections(l, info, SVL_PROJECTIONS);
	if (rc != SVL_ECORRUPT)
		return 0;
	snprintf(why, len, "%s", svl_ledger_errmsg(l));
	return 1;
}

/* The projection state is derived: one writable open refolds a damaged
 * one from the log (when the files can be written). */
static int repair_projections(const char *dir, svl_ledger_options *o)
{
	svl_ledger *l;
	unsigned ro = o->flags;
	o->flags &= ~(unsigned)SVL_LOG_RDONLY;
	int rc = svl_ledger_open(&l, dir, o);
	o->flags = ro;
	if (rc == SVL_OK)
		svl_ledger_close(l);
	return rc;
}

int cmd_ledger_open(const cli_ctx *ctx, const char *dir, unsigned flags,
		    svl_ledger **out)
{
	return cmd_ledger_open_id(ctx, dir, flags, NULL, out);
}

int cmd_ledger_open_id(const cli_ctx *ctx, const char *dir, unsigned flags,
		       const uint8_t *ledger_id, svl_ledger **out)
{
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	char why[512];
	o.flags = flags;
	o.ledger_id = ledger_id;
	int rc = svl_ledger_open(out, dir, &o);
	if ((flags & SVL_LOG_RDONLY) &&
	    projection_damaged(rc, *out, why, sizeof why)) {
		svl_ledger_close(*out);
		*out = NULL;
		if (repair_projections(dir, &o) != SVL_OK)
			return cli_error(ctx, CLI_EXIT_INTEGRITY, "%s", why);
		rc = svl_ledger_open(out, dir, &o);
	}
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_last_error());
	return CLI_EXIT_OK;
}

int32_t cmd_ledger_tz(svl_ledger *l)
{
	svl_rules r;
	if (svl_ledger_rules(l, &r) != SVL_OK)
		svl_rules_default(&r);
	return r.tz_offset_min;
}

int cmd_is_uint(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int parse_date(const char *s, int64_t *day)
{
	int y, m, d, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[n] || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	*day = days_from_civil(y, (unsigned)m, (unsigned)d);
	return 1;
}

static int has_zone(const char *s)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == 'Z')
		return 1;
	return n > 6 && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 3] == ':';
}

/* A local date-time (no zone): completed to svl_time_parse's form with
 * the ledger's offset. */
static int parse_local(const char *s, int32_t tz, int64_t *out)
{
	char buf[64];
	size_t n = strlen(s);
	if (n < 16 || n > 23)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (buf[10] == ' ')
		buf[10] = 'T';
	if (n == 16) { /* HH:MM */
		memcpy(buf + 16, ":00", 4);
		n = 19;
	}
	int32_t m = tz < 0 ? -tz : tz;
	snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", tz < 0 ? '-' : '+',
		 (int)(m / 60), (int)(m % 60));
	return svl_time_parse(out, buf, strlen(buf)) == SVL_OK;
}

int cmd_time_arg(const cli_ctx *ctx, const char *opt, const char *s, int32_t tz,
		 int end_of_day, int64_t *out, int *was_date)
{
	int64_t day;
	if (was_date)
		*was_date = 0;
	if (cmd_is_uint(s)) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno) {
			*out = v;
			return 0;
		}
	} else if (parse_date(s, &day)) {
		*out = (day + (end_of_day ? 1 : 0)) * 86400000 -
		       (int64_t)tz * 60000;
		if (was_date)
			*was_date = 1;
		return 0;
	} else if (has_zone(s) ? svl_time_parse(out, s, strlen(s)) == SVL_OK
			       : parse_local(s, tz, out)) {
		return 0;
	}
	return cli_error(ctx, CLI_EXIT_USAGE,
			 "--%s: '%s' is not a time (UTC ms, YYYY-MM-DD, "
			 "YYYY-MM-DDTHH:MM[:SS] in the ledger's zone, or "
			 "with Z or +HH:MM)",
			 opt, s);
}

int cmd_read_input(const cli_ctx *ctx, const char *path, char **buf,
		   size_t *len)
{
	int is_stdin = !path || strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return cli_error(ctx,
				 errno == ENOENT || errno == EACCES ||
					 errno == ENOTDIR
				     ? CLI_EXIT_INPUT
				     : CLI_EXIT_ERROR,
				 "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	int err = 0;
	while (b) {
		if (n + 1 >= cap) {
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
		size_t got = fread(b + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			err = ferror(f) ? errno : 0;
			break;
		}
	}
	if (!is_stdin)
		fclose(f);
	if (!b)
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: out of memory",
				 is_stdin ? "stdin" : path);
	if (err) {
		free(b);
		return cli_error(
		    ctx, err == EISDIR ? CLI_EXIT_INPUT : CLI_EXIT_ERROR,
		    "%s: %s", is_stdin ? "stdin" : path, strerror(err));
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int cmd_json_done(const cli_ctx *ctx, json_t *v, int code)
{
	int pc = cli_json_print(ctx, v);
	return pc ? pc : code;
}
