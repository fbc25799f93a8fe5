/*
 * test_refusal_zh.c - every refusal of the rule tests read in Chinese.
 *
 * The decider tests (test_rules_*.c, test_roles.c) are compiled in again
 * with the fixture's RT_ON_REFUSAL hook set: each refused write of their
 * stories is rendered in zh_CN from svl_refusal_last, and no parameter
 * shown in the line may be left as English prose. A parameter is prose
 * when it holds a lowercase word of three letters or more that is not
 * part of an id (WO2026-0001, R-ISS-3, W1-A01-1-01), a field or type name
 * (`counted`, customer_signed, parts_issued), a time or a number; such a
 * parameter needs a WORD row (model/msg_zh_CN_*.def) or a template of its
 * own.
 * A value of the catalog's enums ("busy", "recycled") passed on as the
 * event recorded it needs its WORD row too. Each offending line is
 * printed; RT_ZH_VERBOSE=1 prints every line read (ZH) and its template
 * (ID).
 *
 * The included files keep their names; a name two of them define is
 * renamed around each #include.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgcat.h"
#include "svl_decide.h"

static void zh_check(const char *ctx);
#define RT_ON_REFUSAL(ctx) zh_check(ctx)
#include "test_rules_fixture.h"

/* Words that are not prose: units and JSON literals. */
static const char *const NOT_PROSE[] = {"fen", "true", "false"};

static int listed(const char *s, size_t n, const char *const *list,
		  size_t count)
{
	for (size_t k = 0; k < count; k++)
		if (strlen(list[k]) == n && strncmp(list[k], s, n) == 0)
			return 1;
	return 0;
}

static int id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '`' || c == '.';
}

/* The first English word of p, or NULL: a run of lowercase letters and
 * hyphens holding three letters in a row, with no id character (capital,
 * digit, '_', '`', '.') joined to it. */
static const char *english_word(const char *p, size_t *len)
{
	const char *s = p;
	while (*s) {
		if (!((*s >= 'a' && *s <= 'z') || *s == '-' || id_char(*s))) {
			s++;
			continue;
		}
		const char *b = s;
		int id = 0, run = 0, best = 0;
		for (; (*s >= 'a' && *s <= 'z') || *s == '-' || id_char(*s);
		     s++) {
			if (id_char(*s))
				id = 1;
			run = *s >= 'a' && *s <= 'z' ? run + 1 : 0;
			best = run > best ? run : best;
		}
		/* a trailing '.' ends a sentence, not an id */
		size_t n = (size_t)(s - b);
		if (id && n > 1 && b[n - 1] == '.') {
			id = 0;
			for (size_t k = 0; k + 1 < n; k++)
				id |= id_char(b[k]);
			n--;
		}
		if (!id && best >= 3 &&
		    !listed(b, n, NOT_PROSE,
			    sizeof NOT_PROSE / sizeof *NOT_PROSE)) {
			*len = n;
			return b;
		}
	}
	return NULL;
}

/*
 * The parameters of r left in English in its zh_CN line (printed when
 * print is set). A value of the catalog's enums ("busy", "recycled") a
 * decider passes on as the event recorded it has a WORD row too.
 */
static int zh_english(const svl_refusal_info *r, int print)
{
	char zh[1024];
	int bad = 0;
	if (svl_refusal_text(r, "zh_CN", zh, sizeof zh) < 0)
		return -1;
	svl__msgcat *words = (svl__msgcat *)svl__msgcat_lib_words("zh_CN");
	for (size_t k = 0; k < r->n_params && k < SVL_REFUSAL_PARAMS_MAX; k++) {
		char buf[2 * SVL_REFUSAL_PARAM_MAX];
		const char *p = r->params[k];
		const char *tr = svl__msg_tr_word(words, p, buf, sizeof buf);
		size_t n;
		const char *w = english_word(tr, &n);
		if (!w || !strstr(zh, tr)) /* "%.0s" hides an English plural */
			continue;
		bad++;
		if (print)
			fprintf(stderr,
				"ENGLISH [%.*s] in parameter %zu \"%s\" of "
				"\"%s\"\n  %s\n",
				(int)n, w, k + 1, p, r->msgid, zh);
	}
	return bad;
}

static void zh_check(const char *ctx)
{
	svl_refusal_info r;
	cr_assert_eq(svl_refusal_last(&r), SVL_OK, "%s: the refusal as data",
		     ctx);
	if (getenv("RT_ZH_VERBOSE")) {
		char zh[1024];
		svl_refusal_text(&r, "zh_CN", zh, sizeof zh);
		fprintf(stderr, "ZH %s\nID %s\n", zh, r.msgid);
	}
	int bad = zh_english(&r, 1);
	cr_expect_eq(bad, 0, "%s: %d parameters of %s left in English (above)",
		     ctx, bad, r.rule);
}

/* ---- the check itself ---- */

Test(refusal_zh, english_words_are_told_from_ids)
{
	static const char *const english[] = {
	    "picker", "parts manager (outbound approval)", "disposed of", "key",
	    "must first pass the parts manager's review", "write-off",
	    "not drafted", "the end.", "an id R-ISS-3 and a word",
	};
	static const char *const ids[] = {
	    "WO2026-0001", "PK1", "E012", "R-ISS-3", "W1-A01-1-01",
	    "`counted`", "customer_signed", "parts_issued", "1.5",
	    "2026-09-30 08:16", "2026-09-30T08:16+08:00", "50000 fen", "s",
	    "配件经理", "3 个", "0a1b2c3d...", "zh_CN.UTF-8", "",
	};
	size_t n;
	for (size_t k = 0; k < sizeof english / sizeof *english; k++)
		cr_expect(english_word(english[k], &n), "\"%s\" is English",
			  english[k]);
	for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
		cr_expect(!english_word(ids[k], &n), "\"%s\" is no prose",
			  ids[k]);
}

Test(refusal_zh, an_untranslated_word_is_caught_and_a_word_row_is_not)
{
	svl_refusal_info r;
	memset(&r, 0, sizeof r);
	snprintf(r.rule, sizeof r.rule, "R-OLD-1");
	r.msgid = "the old %.*s of job %.*s are on the warranty ledger: they "
		  "belong to the maker's claim and are not %s";
	r.n_params = 3;
	snprintf(r.params[0], sizeof r.params[0], "P2");
	snprintf(r.params[1], sizeof r.params[1], "WO2");
	snprintf(r.params[2], sizeof r.params[2], "handed back");
	cr_assert_eq(zh_english(&r, 0), 0, "a WORD row");
	snprintf(r.params[2], sizeof r.params[2], "given away");
	cr_assert_eq(zh_english(&r, 0), 1, "no WORD row");
	snprintf(r.params[2], sizeof r.params[2], "scrapped");
	cr_assert_eq(zh_english(&r, 0), 0, "an enum value with its WORD row");
}

/* The rule tests themselves, each refusal read in Chinese. */
#define CLOSED followup_CLOSED
#define DELIVERED followup_DELIVERED
#define OPENED followup_OPENED
#define PLANNED followup_PLANNED
#include "test_rules_followup.c"
#undef CLOSED
#undef DELIVERED
#undef OPENED
#undef PLANNED
#define DELIVERED front_DELIVERED
#define REQUESTED front_REQUESTED
#include "test_rules_front.c"
#undef DELIVERED
#undef DISPATCH
#undef RELEASE
#undef REQUESTED
#undef REQUISITION
#undef RESERVE
#define JOB issue_JOB
#define REQUISITION issue_REQUISITION
#define STOCK issue_STOCK
#include "test_rules_issue.c"
#undef JOB
#undef REQUISITION
#undef STOCK
#define APPROVED office_APPROVED
#define CLOSED office_CLOSED
#define COUNTED office_COUNTED
#define ORDERED office_ORDERED
#define PLANNED office_PLANNED
#define SIGNED office_SIGNED
#define STAGE1 office_STAGE1
#define STAGE2 office_STAGE2
#define STOCK office_STOCK
#include "test_rules_office.c"
#undef APPROVE
#undef APPROVED
#undef CLOSED
#undef COUNTED
#undef LINE
#undef ORDERED
#undef PLANNED
#undef RECEIVED
#undef SIGNED
#undef STAGE1
#undef STAGE2
#undef STOCK
#define SETTLED oldparts_SETTLED
#include "test_rules_oldparts.c"
#undef DISPOSE
#undef LINE
#undef SETTLE
#undef SETTLED
#define APPROVED receiving_APPROVED
#define ORDERED receiving_ORDERED
#define STAGE1 receiving_STAGE1
#define STAGE2 receiving_STAGE2
#define STOCKED receiving_STOCKED
#include "test_rules_receiving.c"
#undef APPROVED
#undef ORDERED
#undef PLANNED
#undef RELEASE
#undef RESERVE
#undef STAGE1
#undef STAGE2
#undef STOCKED
#define RECEIVED reception_RECEIVED
#include "test_rules_reception.c"
#undef RECEIVED
#define APPROVED stock_APPROVED
#define CLOSED stock_CLOSED
#define COUNTED stock_COUNTED
#define OPENED stock_OPENED
#define STOCKED stock_STOCKED
#include "test_rules_stock.c"
#undef APPROVED
#undef CHARGE
#undef CLOSED
#undef COUNTED
#undef OPENED
#undef STOCKED
#define APPROVED workshop_APPROVED
#define JOB workshop_JOB
#define SETTLED workshop_SETTLED
#define SIGNED workshop_SIGNED
#include "test_rules_workshop.c"
#undef APPROVED
#undef DISPATCH
#undef JOB
#undef RECEIVED
#undef SETTLE
#undef SETTLED
#undef SIGNED
#define APPROVED writeoff_APPROVED
#define REQUESTED writeoff_REQUESTED
#define STOCK writeoff_STOCK
#include "test_rules_writeoff.c"
#undef APPROVE
#undef APPROVED
#undef CHARGE
#undef DISPOSE
#undef REQUESTED
#undef STOCK
#include "test_roles.c"

/* ---- refusals the rule tests above do not reach ---- */

static const rt_step ZH_SETTLED[] = {
	{SVL_T_SETTLEMENT_ISSUED, "E010", NULL, 150, J({"wo_id": "WO9",
		"labor_fen": 8000, "parts_fen": 3000, "materials_fen": 500,
		"warranty_fen": 0, "total_fen": 11500, "customer_signed": true})},
};

Test(refusal_zh, the_words_of_refusals_the_rule_tests_miss)
{
	const rt_step issue_pk1 = {SVL_T_PARTS_ISSUED, "E012", NULL, 40,
		J({"part_no": "P1", "bin": "W1-A01-1-01", "qty_milli": 1000,
		   "pick_id": "PK1", "wo_id": "WO1"})};
	const rt_step issue_pk2 = {SVL_T_PARTS_ISSUED, "E012", NULL, 40,
		J({"part_no": "P1", "bin": "W1-A01-1-01", "qty_milli": 1000,
		   "pick_id": "PK2", "wo_id": "WO2"})};
	const rt_case cases[] = {
		{"issued on an unsigned requisition",
		 {CH(issue_JOB), CH(issue_STOCK), CH(PICK)}, issue_pk1,
		 "R-ISS-4"},
		{"issued on an unsigned warranty requisition",
		 {CH(WARRANTY_JOB), CH(issue_STOCK), CH(W_PICK)}, issue_pk2,
		 "R-ISS-4"},
		{"a settlement of no job", {{0}}, ZH_SETTLED[0], "R-SET-1"},
	};
	RT_CASES(cases);
}
