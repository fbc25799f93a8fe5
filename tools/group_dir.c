/*
 * group_dir.c - the replicas of a group ledger, opened together
 * (group_dir.h).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_common.h"
#include "group_dir.h"

int group_dir_is(const char *dir)
{
	char path[4096];
	struct stat st;
	if ((size_t)snprintf(path, sizeof path, "%s/group.json", dir) >=
	    sizeof path)
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const group_replica *)a)->name,
		      ((const group_replica *)b)->name);
}

/* The store directories under G/stores, sorted, into g (ledgers not yet
 * open). */
static int list_stores(const cli_ctx *ctx, const char *dir, group_dir *g)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/stores", dir);
	DIR *d = opendir(path);
	if (!d)
		return cli_error(ctx, CLI_EXIT_INPUT,
				 "%s: a group ledger with no store yet (run "
				 "svcledger group)",
				 dir);
	size_t cap = 0;
	int code = 0;
	for (struct dirent *e; !code && (e = readdir(d));) {
		if (e->d_name[0] == '.' || strlen(e->d_name) > GROUP_STORE_MAX)
			continue; /* ., .., a replica being built (hidden) */
		if (g->n == cap) {
			cap = cap ? 2 * cap : 16;
			group_replica *v = realloc(g->v, cap * sizeof *v);
			if (!v) {
				code = cli_error(ctx, CLI_EXIT_ERROR,
						 "out of memory");
				break;
			}
			g->v = v;
		}
		group_replica *s = &g->v[g->n++];
		memset(s, 0, sizeof *s);
		strcpy(s->name, e->d_name);
	}
	closedir(d);
	if (!code && g->n == 0)
		code = cli_error(ctx, CLI_EXIT_INPUT,
				 "%s: a group ledger with no store yet (run "
				 "svcledger group)",
				 dir);
	if (g->n > 1)
		qsort(g->v, g->n, sizeof *g->v, by_name);
	return code;
}

int group_dir_open(const cli_ctx *ctx, const char *dir, group_dir *out)
{
	memset(out, 0, sizeof *out);
	int code = list_stores(ctx, dir, out);
	for (size_t i = 0; !code && i < out->n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/stores/%s", dir,
			 out->v[i].name);
		code = cmd_ledger_open(ctx, path, SVL_LOG_RDONLY, &out->v[i].l);
	}
	return code;
}

void group_dir_close(group_dir *g)
{
	for (size_t i = 0; i < g->n; i++)
		svl_ledger_close(g->v[i].l);
	free(g->v);
	memset(g, 0, sizeof *g);
}
