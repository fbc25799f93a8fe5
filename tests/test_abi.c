/*
 * test_abi.c - ABI discipline. The shared library must export exactly the
 * public svl_ API, keep every symbol it exported in this major version, and
 * keep every public struct's size, unless SVL_VERSION_MAJOR (and with it
 * the soname) changes. The baseline is tests/abi/baseline.txt; the current
 * state is written to build/abi-current.txt for comparison.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svcledger.h"

#define PUBLIC_STRUCTS(X)                                                    \
	X(svl_asof) X(svl_count_line) X(svl_decide_options) X(svl_enum_def)  \
	X(svl_event_arena) X(svl_event_array) X(svl_event_error)             \
	X(svl_doc_filter) X(svl_document)                                    \
	X(svl_event_in) X(svl_event_type) X(svl_event_view) X(svl_field_def) \
	X(svl_fig_claim) X(svl_fig_complaint) X(svl_fig_delay)               \
	X(svl_fig_job) X(svl_fig_late_entry) X(svl_fig_lost)                 \
	X(svl_fig_problem) X(svl_fig_requisition) X(svl_fig_sale)            \
	X(svl_fig_stocktake) X(svl_fig_warning)                              \
	X(svl_fig_writeoff) X(svl_figures) X(svl_figures_counts)             \
	X(svl_figures_options) X(svl_figures_ratios) X(svl_figures_row)      \
	X(svl_head) X(svl_keypair) X(svl_kv) X(svl_ledger_options)           \
	X(svl_log_options) X(svl_seal) X(svl_seal_options)                   \
	X(svl_trust_report)                                                  \
	X(svl_metrics_counters) X(svl_metrics_ratios) X(svl_metrics_row)     \
	X(svl_page) X(svl_position) X(svl_projection_info)                   \
	X(svl_rebuild_diff)                                                  \
	X(svl_rebuild_options) X(svl_rebuild_report) X(svl_recon_line)       \
	X(svl_recon_summary) X(svl_reconcile_result) X(svl_record)           \
	X(svl_report_options)                                                \
	X(svl_refusal) X(svl_refusal_info) X(svl_rules) X(svl_stock_card)    \
	X(svl_stock_figures)                                                 \
	X(svl_stock_line) X(svl_submit_result) X(svl_value)                  \
	X(svl_verify_report) X(svl_wo_complaint) X(svl_wo_filter)            \
	X(svl_wo_part) X(svl_wo_transition) X(svl_work_order)

#define MAX_ITEMS 1024

typedef struct abi {
	int major;
	int n_sym, n_struct;
	char sym[MAX_ITEMS][128];
	char st[MAX_ITEMS][128];
	size_t size[MAX_ITEMS];
} abi;

static const char *lib_path(void)
{
	const char *p = getenv("SVL_LIBSO");
	return p && *p ? p : "build/libsvcledger.so";
}

/* The exported, defined dynamic symbols of the library. */
static void current(abi *a)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "nm -D --defined-only %s", lib_path());
	FILE *f = popen(cmd, "r");
	cr_assert_not_null(f, "cannot run nm");
	char line[256];
	memset(a, 0, sizeof *a);
	a->major = SVL_VERSION_MAJOR;
	while (fgets(line, sizeof line, f) && a->n_sym < MAX_ITEMS) {
		char addr[64], type[8], name[128];
		if (sscanf(line, "%63s %7s %127s", addr, type, name) != 3)
			continue;
		char *at = strchr(name, '@');
		if (at)
			*at = '\0';
		if (strcmp(type, "A") == 0) /* the version node */
			continue;
		snprintf(a->sym[a->n_sym++], 128, "%s", name);
	}
	cr_assert_eq(pclose(f), 0, "nm failed on %s", lib_path());
#define SIZE(T)                                                              \
	snprintf(a->st[a->n_struct], 128, "%s", #T);                          \
	a->size[a->n_struct++] = sizeof(T);
	PUBLIC_STRUCTS(SIZE)
#undef SIZE
}

static void write_abi(const abi *a, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "major %d\n", a->major);
	for (int i = 0; i < a->n_sym; i++)
		fprintf(f, "symbol %s\n", a->sym[i]);
	for (int i = 0; i < a->n_struct; i++)
		fprintf(f, "struct %s %zu\n", a->st[i], a->size[i]);
	fclose(f);
}

static void baseline(abi *a)
{
	FILE *f = fopen("tests/abi/baseline.txt", "r");
	cr_assert_not_null(f, "tests/abi/baseline.txt is missing");
	memset(a, 0, sizeof *a);
	char line[256], name[128];
	size_t size;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "major %d", &a->major) == 1)
			continue;
		if (sscanf(line, "symbol %127s", name) == 1)
			snprintf(a->sym[a->n_sym++], 128, "%s", name);
		else if (sscanf(line, "struct %127s %zu", name, &size) == 2) {
			snprintf(a->st[a->n_struct], 128, "%s", name);
			a->size[a->n_struct++] = size;
		}
	}
	fclose(f);
}

static int has_sym(const abi *a, const char *s)
{
	for (int i = 0; i < a->n_sym; i++)
		if (strcmp(a->sym[i], s) == 0)
			return 1;
	return 0;
}

Test(abi, exports_only_the_svl_api)
{
	abi cur;
	current(&cur);
	cr_assert_gt(cur.n_sym, 50, "too few exported symbols: wrong library?");
	for (int i = 0; i < cur.n_sym; i++)
		cr_assert(strncmp(cur.sym[i], "svl_", 4) == 0 &&
				  strncmp(cur.sym[i], "svl__", 5) != 0,
			  "exported symbol %s is not public API", cur.sym[i]);
}

Test(abi, soname_carries_the_major_version)
{
	char cmd[512], out[256] = "";
	snprintf(cmd, sizeof cmd,
		 "objdump -p %s | awk '/SONAME/ {print $2}'", lib_path());
	FILE *f = popen(cmd, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(out, sizeof out, f));
	pclose(f);
	char want[64];
	snprintf(want, sizeof want, "libsvcledger.so.%d\n", SVL_VERSION_MAJOR);
	cr_assert_str_eq(out, want);
}

Test(abi, no_symbol_disappears_and_no_struct_changes_size)
{
	abi cur, base;
	current(&cur);
	write_abi(&cur, "build/abi-current.txt");
	baseline(&base);
	cr_assert_eq(base.major, cur.major,
		     "SVL_VERSION_MAJOR is %d but the baseline is for %d: after "
		     "an incompatible change, bump the major and refresh the "
		     "baseline: cp build/abi-current.txt tests/abi/baseline.txt",
		     cur.major, base.major);
	for (int i = 0; i < base.n_sym; i++)
		cr_assert(has_sym(&cur, base.sym[i]),
			  "%s was exported in ABI %d and is gone: bump "
			  "SVL_VERSION_MAJOR or restore it",
			  base.sym[i], base.major);
	for (int i = 0; i < base.n_struct; i++) {
		int found = 0;
		for (int k = 0; k < cur.n_struct; k++) {
			if (strcmp(cur.st[k], base.st[i]) != 0)
				continue;
			found = 1;
			cr_assert_eq(cur.size[k], base.size[i],
				     "sizeof(%s) changed %zu -> %zu without "
				     "a major version bump",
				     base.st[i], base.size[i], cur.size[k]);
		}
		cr_assert(found, "public struct %s is gone", base.st[i]);
	}
}
