/*
 * test_layers.c - the layer rule of docs/architecture.md that the
 * per-layer include paths cannot enforce: engine/internal.h stays inside
 * engine/ (tests/layers.sh), checked on the tree and on a planted offender.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char here[4096];

static void find_here(void)
{
	snprintf(here, sizeof here, "%s", __FILE__);
	char *slash = strrchr(here, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(here, "tests");
}

static int run_check3(const char *root, const char *objdir,
		      const char *table, char *out, size_t cap)
{
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "sh '%s/layers.sh' '%s' %s%s%s %s%s%s 2>&1",
		 here, root, objdir ? "'" : "", objdir ? objdir : "",
		 objdir ? "'" : "", table ? "'" : "", table ? table : "",
		 table ? "'" : "");
	FILE *p = popen(cmd, "r");
	cr_assert(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_check(const char *root, char *out, size_t cap)
{
	return run_check3(root, NULL, NULL, out, cap);
}

Test(layers, the_tree_keeps_engine_internal_h_inside_engine)
{
	find_here();
	char root[4200], out[4096];
	snprintf(root, sizeof root, "%s/..", here);
	int st = run_check(root, out, sizeof out);
	cr_assert_eq(st, 0, "layers.sh failed on the tree:\n%s", out);
}

Test(layers, a_projection_including_engine_internal_h_is_named)
{
	find_here();
	char root[] = "/tmp/svl-layers-XXXXXX", out[4096], path[4200];
	cr_assert(mkdtemp(root));
	snprintf(path, sizeof path, "%s/projections", root);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/projections/bad.c", root);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs("#include \"internal.h\"\n", f);
	fclose(f);
	int st = run_check(root, out, sizeof out);
	unlink(path);
	snprintf(path, sizeof path, "%s/projections", root);
	rmdir(path);
	rmdir(root);
	cr_assert_eq(st, 1, "layers.sh missed the offender (%d):\n%s", st, out);
	cr_assert(strstr(out, "projections/bad.c:1:"), "%s", out);
}

/* The objects of the suite's own build (beside the sanitizer tool the
 * suite runs) link only downward. */
Test(layers, the_build_links_only_downward)
{
	find_here();
	const char *tool = getenv("SVL_TOOL");
	if (!tool) {
		fprintf(stderr, "skipped: SVL_TOOL is not set (run through make "
				"test), so the build's objects are unknown\n");
		return;
	}
	char build[4096], objdir[4200], table[4200], root[4200], out[8192];
	snprintf(build, sizeof build, "%s", tool);
	char *slash = strrchr(build, '/');
	cr_assert(slash);
	*slash = 0;
	snprintf(objdir, sizeof objdir, "%s/san", build);
	snprintf(table, sizeof table, "%s/layers.txt", build);
	snprintf(root, sizeof root, "%s/..", here);
	int st = run_check3(root, objdir, table, out, sizeof out);
	cr_assert_eq(st, 0, "layers.sh on %s:\n%s", objdir, out);
	cr_assert(strstr(out, "ok: every layer links only"), "%s", out);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* A projection calling a function of the ledger is named. */
Test(layers, a_projection_linking_to_the_ledger_is_named)
{
	find_here();
	char root[] = "/tmp/svl-links-XXXXXX", p[4300], cmd[9000], out[8192];
	cr_assert(mkdtemp(root));
	snprintf(p, sizeof p, "%s/projections", root);
	cr_assert_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/ledger", root);
	cr_assert_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/a.c", root);
	write_file(p, "int up(void);\nint down(void) { return up(); }\n");
	snprintf(p, sizeof p, "%s/b.c", root);
	write_file(p, "int up(void) { return 1; }\n");
	snprintf(p, sizeof p, "%s/table", root);
	write_file(p, "projections: projections\nledger: projections ledger\n");
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && cc -c a.c -o projections/a.o && "
		 "cc -c b.c -o ledger/b.o",
		 root);
	if (system(cmd) != 0) {
		fprintf(stderr, "skipped: no C compiler to build the planted "
				"objects\n");
		return;
	}
	snprintf(p, sizeof p, "%s/table", root);
	char objdir[4200];
	snprintf(objdir, sizeof objdir, "%s", root);
	int st = run_check3(root, objdir, p, out, sizeof out);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(st, 1, "layers.sh missed the upward link (%d):\n%s", st,
		     out);
	cr_assert(strstr(out, "projections/a.o uses up from ledger/"), "%s",
		  out);
}
