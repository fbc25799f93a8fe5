/*
 * newdir.h - a new ledger directory made whole or not at all (init,
 * import).
 *
 * The ledger is built in a hidden directory beside the target,
 * ".<name>.new-XXXXXX", and renamed into place only when it is complete
 * and synced; the rename is synced too. rename(2) onto an existing
 * directory succeeds only when that directory is empty, so of two commands
 * racing into one target exactly one wins and the other is told so (exit
 * 6); a killed command leaves the target as it was. The build directory is
 * flock()ed for its whole life: one whose lock can be taken belongs to a
 * dead command, and the next one into the same target removes it. SIGINT,
 * SIGTERM and SIGHUP remove it at once.
 */
#ifndef SVL_TOOLS_NEWDIR_H
#define SVL_TOOLS_NEWDIR_H

#include "cli.h"

#define NEWDIR_BUILD_MAX (4096 + 256 + 32)

typedef struct newdir {
	const char *dir;	       /* the target, as given */
	char parent[4096];	       /* the directory that holds it */
	char base[256];		       /* its last component */
	char build[NEWDIR_BUILD_MAX]; /* where to build: open the ledger here */
	int build_fd;		       /* flock()ed while the build runs */
} newdir;

/* Check that dir can be made (absent, or an empty directory: exit 6
 * otherwise), remove dead builds for it, make and lock the build
 * directory. Returns 0, or prints the error and returns its exit code;
 * newdir_discard is safe to call either way. */
int newdir_begin(const cli_ctx *ctx, newdir *nd, const char *dir);

/* Remove the build directory (the ledger in it must be closed). */
void newdir_discard(newdir *nd);

/* Rename the complete build into place (the ledger closed and synced).
 * Returns 0, or prints why and returns the exit code (the build is then
 * removed). */
int newdir_commit(const cli_ctx *ctx, newdir *nd);

#endif /* SVL_TOOLS_NEWDIR_H */
