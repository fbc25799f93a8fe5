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

void cmd_page_footer(FILE *f, const svl_page *p, const char *one,
		     const char *many)
{
	if (p->returned == p->total)
		fprintf(f, _("%zu %s\n"), p->total,
			_(p->total == 1 ? one : many));
	else
		fprintf(f, _("%zu of %zu %s%s%s\n"), p->returned, p->total,
			_(many), p->next[0] ? _("; next page: --after ") : "",
			p->next);
}

json_t *cmd_page_json(const svl_page *p, const char *key, json_t *items)
{
	return json_pack("{s:I,s:I,s:s,s:o}", "count", (json_int_t)p->returned,
			 "total", (json_int_t)p->total, "next", p->next, key,
			 items);
}

int cmd_page_finish(const cli_ctx *ctx, svl_ledger *l, int rc,
		    const svl_page *p, json_t **items, fmt_table *t,
		    const char *key, const char *one, const char *many)
{
	int code = 0;
	if (rc == 1)
		code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	else if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	else if (*items) {
		code = cli_json_print(ctx, cmd_page_json(p, key, *items));
		*items = NULL; /* taken */
	} else if (fmt_table_print(t, stdout, 0) != 0)
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "out of memory or cannot write");
	else
		cmd_page_footer(stdout, p, one, many);
	json_decref(*items);
	fmt_table_free(t);
	return code;
}
