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

static int run_check(const char *root, char *out, size_t cap)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "sh '%s/layers.sh' '%s' 2>&1", here, root);
	FILE *p = popen(cmd, "r");
	cr_assert(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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
