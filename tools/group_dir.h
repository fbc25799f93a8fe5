/*
 * group_dir.h - a dealer group's ledger directory, as `svcledger group`
 * keeps it (docs/group.md, "Group ledger"):
 *
 *   G/group.json            {"group": "<name>"}
 *   G/stores/<store>/       each store's replica: a whole ledger, with
 *                           the store's id, records, chain and projections
 *
 * The group's figures are read from the replicas' own projections and
 * added up here, so a figure of the group is by construction the sum of
 * the figures each store computes for itself: `metrics -d G` (the group's
 * rows), `metrics -d G --by store`, `stock-card PART -d G --all-stores`,
 * `transfers -d G`.
 */
#ifndef SVL_TOOLS_GROUP_DIR_H
#define SVL_TOOLS_GROUP_DIR_H

#include "cli.h"

#define GROUP_STORE_MAX 32 /* bytes of a store name (ship.h: SHIP_NAME_MAX) */

typedef struct group_replica {
	char name[GROUP_STORE_MAX + 1];
	svl_ledger *l;
} group_replica;

typedef struct group_dir {
	group_replica *v; /* sorted by name */
	size_t n;
} group_dir;

/* Whether dir is a group ledger (it holds group.json). */
int group_dir_is(const char *dir);

/* Open every replica of G read-only, in name order. Returns 0, or prints
 * the error and returns its exit code (a group with no store yet is
 * CLI_EXIT_INPUT: nothing was consumed). group_dir_close is safe after
 * either. */
int group_dir_open(const cli_ctx *ctx, const char *dir, group_dir *out);
void group_dir_close(group_dir *g);

#endif /* SVL_TOOLS_GROUP_DIR_H */
