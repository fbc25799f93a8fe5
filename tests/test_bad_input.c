/*
 * test_bad_input.c - the bad-input corpus of the reliability suite
 * (docs/reliability.md): hundreds of broken inputs to append (NDJSON),
 * reconcile (count sheets), rebuild --rules (rule sets) and import
 * (exports), read from the case files in tests/bad_input/<command>.cases.
 *
 * The promise each case holds: the documented exit code (2 bad input,
 * 3 rule refusal, 4 integrity), exactly ONE line on stderr starting with
 * "svcledger: " that names what is wrong (the line, the field path, the
 * rule id: the case's `want:` texts), and nothing written: the head of
 * the ledger (seq:hash) is unchanged, and import leaves no target
 * directory. Rule-set cases marked `after: opens` may be accepted, but
 * then the ledger must still open (check, projections, stock-card).
 *
 * The tool is the sanitizer build ($SVL_TOOL, cli_fixture.h), so memory
 * errors on bad input end the run with a signal and are reported too.
 * Every case runs; each broken promise is logged with the case's name and
 * the test fails at the end with a count and the first one.
 *
 * Case file format: see the head of any tests/bad_input/<command>.cases.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_fixture.h"
#include "fixture.h"
#include "harness.h"

TestSuite(bad_input, .init = svl_cli_setup, .fini = svl_cli_teardown,
	  .timeout = 900);

#define WANTS_MAX 4
#define DIRS_MAX 8

typedef struct bcase {
	char name[256];
	int exits[2], n_exits;
	char wants[WANTS_MAX][128];
	int n_wants;
	char dirs[DIRS_MAX][256];
	int n_dirs;
	int after_opens;
	char *input; /* raw text, before \x{HH} decoding; NULL: none */
	size_t input_len;
} bcase;

typedef struct buf {
	char *p;
	size_t n, cap;
} buf;

static void buf_put(buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		cr_assert_not_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* Text with \x{HH} escapes -> bytes. */
static void decode_into(buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (s[i] == '\\' && i + 6 <= n && s[i + 1] == 'x' &&
		    s[i + 2] == '{' && s[i + 5] == '}' &&
		    sscanf(s + i + 3, "%2x", &v) == 1) {
			char c = (char)v;
			buf_put(out, &c, 1);
			i += 5;
		} else {
			buf_put(out, s + i, 1);
		}
	}
}

/* ---- the case files ---- */

static char *case_file(const char *name, size_t *len)
{
	const char *dir = getenv("SVL_BAD_INPUT_DIR");
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.cases",
		 dir && *dir ? dir : "tests/bad_input", name);
	char *text = svl_h_slurp(path, len);
	cr_assert_not_null(text, "no case file %s (run from the repository "
				 "root or set SVL_BAD_INPUT_DIR)",
			   path);
	return text;
}

static void parse_exit(bcase *c, const char *v)
{
	c->n_exits = sscanf(v, "%d|%d", &c->exits[0], &c->exits[1]);
	cr_assert_gt(c->n_exits, 0, "case %s: bad exit: %s", c->name, v);
}

/* One header line of a case. */
static void parse_directive(bcase *c, const char *l)
{
	if (strncmp(l, "exit: ", 6) == 0)
		parse_exit(c, l + 6);
	else if (strncmp(l, "want: ", 6) == 0 && c->n_wants < WANTS_MAX)
		snprintf(c->wants[c->n_wants++], 128, "%s", l + 6);
	else if (strcmp(l, "after: opens") == 0)
		c->after_opens = 1;
	else if (c->n_dirs < DIRS_MAX)
		snprintf(c->dirs[c->n_dirs++], 256, "%s", l);
}

/* Split a case file into cases (pointers into text, which is modified). */
static bcase *parse_cases(char *text, size_t len, int *count)
{
	int cap = 64, n = 0;
	bcase *cs = calloc((size_t)cap, sizeof *cs);
	bcase *c = NULL;
	int in_input = 0;
	char *end = text + len;
	for (char *l = text; l < end;) {
		char *nl = memchr(l, '\n', (size_t)(end - l));
		char *next = nl ? nl + 1 : end;
		if (nl)
			*nl = '\0';
		if (strncmp(l, "== ", 3) == 0) {
			if (n == cap) {
				cap *= 2;
				cs = realloc(cs, (size_t)cap * sizeof *cs);
			}
			c = &cs[n++];
			memset(c, 0, sizeof *c);
			snprintf(c->name, sizeof c->name, "%s", l + 3);
			in_input = 0;
		} else if (c && in_input) {
			if (!c->input)
				c->input = l;
			c->input_len = (size_t)(next - c->input);
			if (nl)
				*nl = '\n'; /* input keeps its newlines */
		} else if (c && strcmp(l, "input:") == 0) {
			in_input = 1;
		} else if (c && *l && *l != '#') {
			parse_directive(c, l);
		}
		l = next;
	}
	/* trailing blank lines separate cases; they are not input */
	for (int k = 0; k < n; k++)
		while (cs[k].input_len > 0 &&
		       cs[k].input[cs[k].input_len - 1] == '\n' &&
		       (cs[k].input_len == 1 ||
			cs[k].input[cs[k].input_len - 2] == '\n'))
			cs[k].input_len--;
	*count = n;
	return cs;
}

/* ---- import's transformations of a runtime export ---- */

/* Line k (1-based) of b: its start and length including the newline. */
static int line_at(const buf *b, long k, size_t *start, size_t *len)
{
	size_t at = 0;
	for (long i = 1; at < b->n; i++) {
		char *nl = memchr(b->p + at, '\n', b->n - at);
		size_t e = nl ? (size_t)(nl - b->p) + 1 : b->n;
		if (i == k) {
			*start = at;
			*len = e - at;
			return 1;
		}
		at = e;
	}
	return 0;
}

static void splice(buf *b, size_t at, size_t del, const char *ins,
		   size_t ins_len)
{
	buf o = {NULL, 0, 0};
	buf_put(&o, b->p, at);
	buf_put(&o, ins, ins_len);
	buf_put(&o, b->p + at + del, b->n - at - del);
	free(b->p);
	*b = o;
}

static size_t where(const buf *b, const char *v)
{
	long x = strcmp(v, "half") == 0 ? (long)b->n / 2 : strtol(v, NULL, 10);
	return (size_t)(x < 0 ? (long)b->n + x : x);
}

static void transform(const bcase *c, const char *d, buf *b)
{
	size_t s, n, s2, n2;
	long a = 0, z = 0;
	if (sscanf(d, "dropline: %ld", &a) == 1 && line_at(b, a, &s, &n)) {
		splice(b, s, n, "", 0);
	} else if (sscanf(d, "dupline: %ld", &a) == 1 && line_at(b, a, &s, &n)) {
		char *copy = strndup(b->p + s, n);
		splice(b, s, 0, copy, n);
		free(copy);
	} else if (sscanf(d, "keeplines: %ld", &a) == 1 &&
		   line_at(b, a, &s, &n)) {
		b->n = s + n;
	} else if (sscanf(d, "cutline: %ld", &a) == 1 && line_at(b, a, &s, &n)) {
		splice(b, s + n / 2, n - n / 2 - 1, "", 0);
	} else if (sscanf(d, "swaplines: %ld %ld", &a, &z) == 2 &&
		   line_at(b, a, &s, &n) && line_at(b, z, &s2, &n2) && s < s2) {
		char *la = strndup(b->p + s, n), *lz = strndup(b->p + s2, n2);
		splice(b, s2, n2, la, n);
		splice(b, s, n, lz, n2);
		free(la);
		free(lz);
	} else if (strncmp(d, "replace: ", 9) == 0) {
		const char *arrow = strstr(d, " => ");
		cr_assert_not_null(arrow, "case %s: replace needs =>", c->name);
		char *old = strndup(d + 9, (size_t)(arrow - d - 9));
		char *hit = strstr(b->p, old);
		cr_assert_not_null(hit, "case %s: no '%s' in the export", c->name,
				   old);
		buf nw = {NULL, 0, 0};
		decode_into(&nw, arrow + 4, strlen(arrow + 4));
		splice(b, (size_t)(hit - b->p), strlen(old), nw.p, nw.n);
		free(nw.p);
		free(old);
	} else if (strncmp(d, "hexdigit: ", 10) == 0) {
		const char *sp = strrchr(d, ' ');
		char *mark = strndup(d + 10, (size_t)(sp - d - 10));
		long k = strtol(sp + 1, NULL, 10);
		char *hit = b->p;
		for (long i = 0; i < k && hit; i++)
			hit = strstr(i ? hit + 1 : hit, mark);
		cr_assert_not_null(hit, "case %s: no %ld x '%s'", c->name, k,
				   mark);
		char *digit = hit + strlen(mark);
		*digit = *digit == '0' ? '1' : '0';
		free(mark);
	} else if (strncmp(d, "cut: ", 5) == 0) {
		b->n = where(b, d + 5);
	} else if (strncmp(d, "flip: ", 6) == 0) {
		b->p[where(b, d + 6)] ^= (char)0xff;
	} else if (strncmp(d, "append: ", 8) == 0) {
		decode_into(b, d + 8, strlen(d + 8));
	} else {
		cr_assert_fail("case %s: cannot apply '%s'", c->name, d);
	}
}

/* The bytes of a case's input file. */
static void case_input(const bcase *c, buf *out)
{
	memset(out, 0, sizeof *out);
	buf_put(out, "", 0);
	for (int k = 0; k < c->n_dirs; k++) {
		const char *d = c->dirs[k];
		if (strncmp(d, "base: ", 6) == 0) {
			char path[4200];
			size_t n;
			snprintf(path, sizeof path, "%s/base.%s", svl_cli_dir(),
				 strcmp(d + 6, "msgpack") == 0 ? "mp" : "ndjson");
			char *t = svl_h_slurp(path, &n);
			cr_assert_not_null(t);
			out->n = 0;
			buf_put(out, t, n);
			free(t);
		} else {
			transform(c, d, out);
		}
	}
	if (c->input)
		decode_into(out, c->input, c->input_len);
}

/* ---- running the cases ---- */

typedef struct findings {
	int cases, broken;
	char first[1200];
} findings;

static void broke(findings *f, const bcase *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void broke(findings *f, const bcase *c, const char *fmt, ...)
{
	char what[900], line[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	for (char *p = what; *p; p++)
		if (*p == '\n')
			*p = '|';
	snprintf(line, sizeof line, "[%s] %s", c->name, what);
	cr_log_error("%s", line);
	if (f->broken++ == 0)
		snprintf(f->first, sizeof f->first, "%s", line);
}

static void restore_ledger(void)
{
	char cmd[4400];
	int st;
	snprintf(cmd, sizeof cmd, "cd '%s' && rm -rf L new && cp -a L0 L",
		 svl_cli_dir());
	free(svl_test_shell(cmd, &st));
	cr_assert_eq(st, 0, "cannot restore the case ledger");
}

static int exit_ok(const bcase *c, int code)
{
	for (int k = 0; k < c->n_exits; k++)
		if (c->exits[k] == code)
			return 1;
	return 0;
}

/* The ledger still opens after an accepted odd input. */
static void check_opens(findings *f, const bcase *c)
{
	static const char *const cmds[] = {"check -d L", "projections -d L",
					   "stock-card 90915-YZZD4 -d L",
					   "verify -d L"};
	for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
		if (svl_cli_run("%s", cmds[k]) != 0)
			broke(f, c,
			      "accepted, but then `%s` exits %d: %.300s", cmds[k],
			      svl_cli_last.code, svl_cli_last.err);
}

static void run_case(findings *f, const bcase *c, const char *args_fmt,
		     int is_import)
{
	char head0[64], head1[64], newdir[4200];
	buf in;
	case_input(c, &in);
	char path[4200];
	snprintf(path, sizeof path, "%s/case.in", svl_cli_dir());
	cr_assert_eq(svl_h_spit(path, in.p, in.n), 0);
	free(in.p);
	char args[512], promised[32];
	const char *hole = strstr(args_fmt, "{in}");
	snprintf(args, sizeof args, "%.*scase.in%s", (int)(hole - args_fmt),
		 args_fmt, hole + 4);
	if (c->n_exits > 1)
		snprintf(promised, sizeof promised, "%d or %d", c->exits[0],
			 c->exits[1]);
	else
		snprintf(promised, sizeof promised, "%d", c->exits[0]);
	svl_cli_head("L", head0);
	int code = svl_cli_run("%s", args);
	const char *err = svl_cli_last.err;
	char why[512];
	f->cases++;
	if (code > 128)
		broke(f, c, "killed by signal %d; stderr: %.300s", code - 128,
		      err);
	else if (!exit_ok(c, code))
		broke(f, c, "exit %d, promised %s; stderr: %.300s", code,
		      promised, err);
	if (code != 0 && code <= 128) {
		if (!svl_h_one_line(err, why, sizeof why))
			broke(f, c, "%s", why);
		else
			for (int k = 0; k < c->n_wants; k++)
				if (!strstr(err, c->wants[k]))
					broke(f, c,
					      "the message does not name \"%s\": "
					      "%.300s",
					      c->wants[k], err);
	}
	if (code == 0 && c->after_opens)
		check_opens(f, c);
	svl_cli_head("L", head1);
	if (strcmp(head0, head1) != 0)
		broke(f, c, "something was written: the head moved %s -> %s",
		      head0, head1);
	snprintf(newdir, sizeof newdir, "%s/new", svl_cli_dir());
	if (is_import && code != 0 && !svl_h_absent_or_empty(newdir))
		broke(f, c, "the failed import left the target directory");
	if (code == 0 || strcmp(head0, head1) != 0 || is_import)
		restore_ledger();
}

/* The case ledger L (cli_fixture's stock ledger), its pristine copy L0
 * and its exports base.ndjson and base.mp. */
static void case_ledger(void)
{
	svl_cli_stock_ledger("L");
	cr_assert_eq(svl_cli_run("export -d L -o base.ndjson"), 0, "%s",
		     svl_cli_last.err);
	cr_assert_eq(svl_cli_run("export -d L --format msgpack -o base.mp"), 0,
		     "%s", svl_cli_last.err);
	char cmd[4400];
	int st;
	snprintf(cmd, sizeof cmd, "cd '%s' && cp -a L L0", svl_cli_dir());
	free(svl_test_shell(cmd, &st));
	cr_assert_eq(st, 0);
}

static void run_file(const char *name, const char *args_fmt, int is_import,
		     int min_cases)
{
	size_t len;
	int n;
	char *text = case_file(name, &len);
	bcase *cs = parse_cases(text, len, &n);
	cr_assert_geq(n, min_cases, "%s.cases holds %d cases", name, n);
	case_ledger();
	findings f = {0, 0, ""};
	for (int k = 0; k < n; k++)
		run_case(&f, &cs[k], args_fmt, is_import);
	fprintf(stderr, "bad input figures: %s: %d cases, %d broken promises\n",
		name, f.cases, f.broken);
	cr_assert_eq(f.broken, 0, "%s: %d broken promises in %d cases; first: %s",
		     name, f.broken, f.cases, f.first);
	free(cs);
	free(text);
}

Test(bad_input, append_refuses_bad_ndjson_with_one_line_naming_line_and_field)
{
	run_file("append", "append -d L {in}", 0, 100);
}

Test(bad_input, reconcile_refuses_bad_count_sheets_with_one_line_naming_line_and_column)
{
	run_file("reconcile", "reconcile {in} --at 2026-07-05T17:30 -d L", 0, 35);
}

Test(bad_input, rebuild_refuses_bad_rule_sets_with_one_line_naming_the_key)
{
	run_file("rules", "rebuild -d L --rules {in} --switch", 0, 40);
}

Test(bad_input, import_refuses_bad_exports_with_one_line_and_leaves_no_ledger)
{
	run_file("import", "import -d new {in}", 1, 25);
}
