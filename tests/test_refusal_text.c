/*
 * test_refusal_text.c - a refusal as data (svl_refusal_last): the rule,
 * the message id and the parameters of the last decision's refusal, on
 * the thread that submitted it; rendered in English it is the refusal's
 * own line, in zh_CN the catalog's Chinese with the same parameters; and
 * `svcledger append` prints it (--json) and says it in its language.
 */
#include <pthread.h>

#include "cli_fixture.h"
#include "test_rules_fixture.h"

#define SLOT_OCT2 "1790906400000" /* Oct 2 10:00 local */

static void book(rt *t, const char *wo, int64_t at_min)
{
	char json[400];
	snprintf(json, sizeof json,
		 "{\"wo_id\": \"%s\", \"customer_id\": \"C1\", "
		 "\"owner_name\": \"Li\", \"phone\": \"13800138000\", "
		 "\"target\": \"customer_request\", \"job_kind\": \"repair\", "
		 "\"items\": \"noise\", \"wanted_at_ms\": 1790906400000}",
		 wo);
	rt_step s = {SVL_T_BOOKING_REQUESTED, "E013", NULL, at_min, json};
	rt_ok(t, &s, 1, wo);
}

static rt_step confirm(const char *wo, char *json)
{
	sprintf(json,
		"{\"wo_id\": \"%s\", \"slot_at_ms\": " SLOT_OCT2
		", \"est_labor_min\": 60, \"est_amount_fen\": 30000}",
		wo);
	return (rt_step){SVL_T_BOOKING_CONFIRMED, "E013", NULL, 30, json};
}

/* A full day: WO2's confirmation is refused by R-BKG-4, one confirmed
 * job (singular: its "s" parameter is empty) against a capacity of 1. */
static void full_day(rt *t, svl_refusal *why)
{
	char j[2][200];
	rt_open(t);
	t->opt.day_capacity_jobs = 1;
	book(t, "WO1", 1);
	book(t, "WO2", 2);
	rt_step s = confirm("WO1", j[0]);
	rt_expect(t, &s, NULL, "the first job of Oct 2");
	s = confirm("WO2", j[1]);
	cr_assert_eq(rt_run(t, &s, 1, why, "the second"), SVL_EREFUSED);
}

Test(refusal_text, the_last_refusal_as_data_R_BKG_4)
{
	rt t;
	svl_refusal why;
	svl_refusal_info r;
	full_day(&t, &why);
	cr_assert_eq(svl_refusal_last(&r), SVL_OK);
	cr_assert_str_eq(r.rule, "R-BKG-4");
	cr_assert_str_eq(r.msgid, "%s already has %u confirmed job%s "
				  "(capacity %u); propose the customer "
				  "another day");
	cr_assert_eq(r.n_params, 4);
	cr_assert_str_eq(r.params[0], "2026-10-02");
	cr_assert_str_eq(r.params[1], "1");
	cr_assert_str_eq(r.params[2], "");
	cr_assert_str_eq(r.params[3], "1");

	char en[300], zh[300];
	int n = svl_refusal_text(&r, "en", en, sizeof en);
	cr_assert_eq(n, (int)strlen(why.msg));
	cr_assert_str_eq(en, why.msg, "English is the refusal's own line");
	cr_assert_eq(svl_refusal_text(&r, NULL, en, sizeof en), n);
	cr_assert_str_eq(en, why.msg);
	cr_assert_eq(svl_refusal_text(&r, "fr_FR.UTF-8", en, sizeof en), n,
		     "a language the library lacks is English");

	const char *want =
	    "R-BKG-4: 2026-10-02 已有 1 个确认的预约（日接车能力 "
	    "1）；请与客户另约一天";
	n = svl_refusal_text(&r, "zh_CN.UTF-8", zh, sizeof zh);
	cr_assert_str_eq(zh, want);
	cr_assert_eq(n, (int)strlen(want));
	cr_assert_eq(svl_refusal_text(&r, "zh-CN", zh, sizeof zh), n);
	cr_assert_str_eq(zh, want);

	/* as snprintf: the length needed, the text cut to fit */
	char small[12];
	cr_assert_eq(svl_refusal_text(&r, "en", small, sizeof small),
		     (int)strlen(why.msg));
	cr_assert_str_eq(small, "R-BKG-4: 20");
	cr_assert_eq(svl_refusal_text(&r, "zh_CN", NULL, 0), (int)strlen(want));
	cr_assert_eq(svl_refusal_text(NULL, "en", en, sizeof en), SVL_EMISUSE);
	r.n_params = 2;
	cr_assert_eq(svl_refusal_text(&r, "en", en, sizeof en), SVL_ELIMIT,
		     "a template missing its parameters");
	rt_close(&t);
}

Test(refusal_text, an_accepted_decision_clears_the_last_refusal_R_BKG_4)
{
	rt t;
	svl_refusal why;
	svl_refusal_info r;
	full_day(&t, &why);
	cr_assert_eq(svl_refusal_last(&r), SVL_OK);
	t.opt.day_capacity_jobs = 0;
	char j[200];
	rt_step s = confirm("WO2", j);
	rt_expect(&t, &s, NULL, "no limit: accepted");
	cr_assert_eq(svl_refusal_last(&r), SVL_ENOTFOUND);
	cr_assert_eq(svl_refusal_last(NULL), SVL_EMISUSE);
	rt_close(&t);
}

/* The decider's own words, translated inside the translation: "final",
 * "a technician" (R-QC-1) come as parameters. */
Test(refusal_text, words_passed_as_parameters_are_translated)
{
	svl_refusal_info r;
	memset(&r, 0, sizeof r);
	snprintf(r.rule, sizeof r.rule, "R-QC-1");
	r.msgid = "a %s does not make the %s check";
	r.n_params = 2;
	snprintf(r.params[0], sizeof r.params[0], "technician");
	snprintf(r.params[1], sizeof r.params[1], "final");
	char buf[200];
	svl_refusal_text(&r, "en", buf, sizeof buf);
	cr_assert_str_eq(buf, "R-QC-1: a technician does not make the final "
			      "check");
	svl_refusal_text(&r, "zh_CN", buf, sizeof buf);
	cr_assert_str_eq(buf, "R-QC-1: 维修技师不能做终检");

	r.msgid = "the calls to %.*s that went unanswered were made only in "
		  "the %s; call at another time of day before giving up";
	snprintf(r.params[0], sizeof r.params[0], "WO7");
	snprintf(r.params[1], sizeof r.params[1], "morning, evening");
	svl_refusal_text(&r, "zh_CN", buf, sizeof buf);
	cr_assert_str_eq(buf,
			 "R-QC-1: WO7 未接通的回访电话都是在上午、晚上打的；"
			 "请换一个时段再打，之后才能放弃");
	snprintf(r.params[1], sizeof r.params[1], "morning, at noon");
	svl_refusal_text(&r, "zh_CN", buf, sizeof buf);
	cr_assert(strstr(buf, "都是在morning, at noon打的"),
		  "a list with an unknown item stays as it is: %s", buf);
}

/* ---- the group commit: each submitter's own refusal ---- */

#define ROUNDS 250
#define SUBMITTERS 4

typedef struct sub {
	svl_ledger *l;
	/* R-REC-1: 3 are laid, the thread's count is wrong; or 3 laid and
	 * the sheet not confirmed: R-REC-2 naming the job */
	int covers;
	pthread_barrier_t *go;
	int bad; /* rounds whose refusal was not the thread's own */
	char seen[200];
} sub;

static void *submitter(void *arg)
{
	sub *s = arg;
	for (int k = 0; k < ROUNDS; k++) {
		char line[800], want[16];
		snprintf(line, sizeof line,
			 "{\"type\":\"vehicle_received\",\"actor\":\"E010\","
			 "\"role\":\"service_advisor\",\"occurred_at_ms\":%lld,"
			 "\"payload\":{\"wo_id\":\"W%d-%d\",\"customer_id\":"
			 "\"C1\",\"plate\":\"B1\",\"job_kind\":\"repair\","
			 "\"mileage_km\":1,\"fuel_pct\":40,\"covers_laid\":%d,"
			 "\"first_visit\":true,\"fault_description\":\"x\","
			 "\"customer_confirmed\":%s}}\n",
			 (long long)RT_MIN(60), s->covers, k, s->covers,
			 s->covers == 3 ? "false" : "true");
		const char *rule = s->covers == 3 ? "R-REC-2" : "R-REC-1";
		if (s->covers == 3)
			snprintf(want, sizeof want, "W%d-%d", s->covers, k);
		else
			snprintf(want, sizeof want, "%d", s->covers);
		svl_submit_result res;
		svl_refusal_info r;
		memset(&r, 0, sizeof r);
		pthread_barrier_wait(s->go);
		int rc =
		    svl_ledger_submit_json(s->l, line, strlen(line), 0, &res);
		if (rc != SVL_EREFUSED || svl_refusal_last(&r) != SVL_OK ||
		    strcmp(r.rule, rule) || r.n_params != 1 ||
		    strcmp(r.params[0], want)) {
			if (!s->bad++)
				snprintf(s->seen, sizeof s->seen,
					 "rc %d, %.16s: %.40s", rc, r.rule,
					 r.n_params ? r.params[0] : "-");
		}
	}
	return NULL;
}

Test(refusal_text, each_submitter_of_a_group_gets_its_own_R_REC_1_R_REC_2)
{
	rt t;
	rt_open_ledger(&t, NULL);
	/* while one leads a group, the others queue and one of them leads
	 * the next group for all of them: a submitter whose request was
	 * decided on another thread */
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, SUBMITTERS);
	static const int covers[SUBMITTERS] = {0, 1, 2, 3};
	sub s[SUBMITTERS];
	pthread_t th[SUBMITTERS];
	for (int i = 0; i < SUBMITTERS; i++)
		s[i] = (sub){t.ledger, covers[i], &go, 0, ""};
	for (int i = 0; i < SUBMITTERS; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, submitter, &s[i]), 0);
	for (int i = 0; i < SUBMITTERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < SUBMITTERS; i++)
		cr_assert_eq(s[i].bad, 0, "thread %d: %d rounds wrong (%s)", i,
			     s[i].bad, s[i].seen);

	/* and on this thread: a submission that is accepted clears it */
	svl_refusal_info r;
	const char *ok = "{\"type\":\"vehicle_received\",\"actor\":\"E010\","
			 "\"role\":\"service_advisor\",\"occurred_at_ms\":"
			 "1790730000000,\"payload\":{\"wo_id\":\"W-OK\","
			 "\"customer_id\":\"C1\",\"plate\":\"B1\",\"job_kind\":"
			 "\"repair\",\"mileage_km\":1,\"fuel_pct\":40,"
			 "\"covers_laid\":3,\"first_visit\":true,"
			 "\"fault_description\":\"x\",\"est_amount_fen\":1000,"
			 "\"est_ready_at_ms\":1790769600000,"
			 "\"customer_confirmed\":true}}";
	svl_submit_result res;
	int rc = svl_ledger_submit_json(t.ledger, ok, strlen(ok), 0, &res);
	cr_assert_eq(rc, SVL_OK, "%s", res.message);
	cr_assert_eq(svl_refusal_last(&r), SVL_ENOTFOUND);
	rt_close(&t);
}

/* ---- svcledger append ---- */

TestSuite(refusal_cli, .init = svl_cli_setup, .fini = svl_cli_teardown);

#define TWO_COVERS                                                             \
	"{\"type\":\"vehicle_received\",\"actor\":\"E005\",\"role\":"          \
	"\"service_advisor\",\"occurred_at\":\"2026-07-02T09:00:00+08:00\","   \
	"\"payload\":{\"wo_id\":\"WO-9\",\"customer_id\":\"C1\",\"plate\":"    \
	"\"B1\",\"job_kind\":\"repair\",\"mileage_km\":1,\"fuel_pct\":40,"     \
	"\"covers_laid\":2,\"first_visit\":true,\"fault_description\":"        \
	"\"x\",\"customer_confirmed\":true}}\n"

Test(refusal_cli, append_prints_the_refusal_as_data_and_in_chinese_R_REC_1)
{
	svl_cli_result *last = &svl_cli_last;
	cr_assert_eq(svl_cli_run("init -d L"), 0, "%s", last->err);
	svl_cli_write("staff.ndjson", svl_cli_staff);
	cr_assert_eq(svl_cli_run("append -d L staff.ndjson"), 0, "%s",
		     last->err);
	svl_cli_write("bad.ndjson", "\n" TWO_COVERS);
	cr_assert_eq(svl_cli_run("append -d L bad.ndjson --json"), 3);
	json_t *v = svl_cli_json();
	cr_assert_str_eq(json_string_value(json_object_get(v, "rule")),
			 "R-REC-1");
	cr_assert_str_eq(json_string_value(json_object_get(v, "message_id")),
			 "three protective covers are laid at reception, not "
			 "%lld");
	json_t *p = json_object_get(v, "params");
	cr_assert_eq(json_array_size(p), 1);
	cr_assert_str_eq(json_string_value(json_array_get(p, 0)), "2");
	cr_assert_str_eq(json_string_value(json_object_get(v, "message")),
			 "line 2: R-REC-1: three protective covers are laid at "
			 "reception, not 2");
	json_decref(v);
	cr_assert(svl_cli_has(last->err, "svcledger: append: line 2: R-REC-1: "
					 "three protective covers are laid at "
					 "reception, not 2\n"),
		  "%s", last->err);

	cr_assert_eq(svl_cli_run("append -d L bad.ndjson --lang zh-CN"), 3);
	cr_assert(svl_cli_has(last->err,
			      "第 2 行：R-REC-1: 接车时须铺三件套防护，"
			      "不是 2 件\n"),
		  "%s", last->err);
	cr_assert_str_eq(last->out, "");
}
