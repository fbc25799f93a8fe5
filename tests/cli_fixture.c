/*
 * cli_fixture.c - see cli_fixture.h. The scenario NDJSON below is what a
 * user would type: each line is a command the deciders accept (the one
 * parts issue is appended with --roles-only and says why).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_fixture.h"
#include "fixture.h"

svl_cli_result svl_cli_last;

static char tool[4096];
static char *tmp;

static void clear_last(void)
{
	free(svl_cli_last.out);
	free(svl_cli_last.err);
	memset(&svl_cli_last, 0, sizeof svl_cli_last);
}

void svl_cli_setup(void)
{
	const char *t = getenv("SVL_TOOL");
	const char *path = t && *t ? t : "build/svcledger-san";
	if (!realpath(path, tool))
		cr_assert_fail("no tool at %s", path);
	tmp = svl_test_mkdtemp();
	cr_assert_not_null(tmp);
}

void svl_cli_teardown(void)
{
	clear_last();
	svl_test_rmdir(tmp);
	tmp = NULL;
}

const char *svl_cli_dir(void)
{
	return tmp;
}

const char *svl_cli_tool(void)
{
	return tool;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int svl_cli_run(const char *fmt, ...)
{
	char args[4096], cmd[12288], path[4200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	/* English whatever the developer's locale, unless the test asks for
	 * a language through SVL_CLI_LANG (the tool then gets LANG=it) */
	const char *lang = getenv("SVL_CLI_LANG");
	char lang_env[128] = "";
	if (lang && *lang)
		snprintf(lang_env, sizeof lang_env, "LANG='%s' ", lang);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && env -u SVCLEDGER_DIR -u LANGUAGE -u LC_ALL "
		 "-u LC_MESSAGES -u LANG %s'%s' %s >.out 2>.err",
		 tmp, lang_env, tool, args);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "tool did not exit: %s", cmd);
	clear_last();
	snprintf(path, sizeof path, "%s/.out", tmp);
	svl_cli_last.out = slurp(path);
	snprintf(path, sizeof path, "%s/.err", tmp);
	svl_cli_last.err = slurp(path);
	svl_cli_last.code = WEXITSTATUS(st);
	return svl_cli_last.code;
}

void svl_cli_write(const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
}

json_t *svl_cli_json(void)
{
	json_error_t e;
	json_t *v = json_loads(svl_cli_last.out, 0, &e);
	cr_assert_not_null(v, "stdout is not JSON: %s: %s", e.text,
			   svl_cli_last.out);
	return v;
}

void svl_cli_head(const char *dir, char *out)
{
	cr_assert_eq(svl_cli_run("head -d %s --json", dir), 0, "%s",
		     svl_cli_last.err);
	json_t *v = svl_cli_json();
	snprintf(out, 64, "%lld:%s",
		 (long long)json_integer_value(json_object_get(v, "seq")),
		 json_string_value(json_object_get(v, "hash")));
	json_decref(v);
}

int svl_cli_has(const char *s, const char *want)
{
	return s && strstr(s, want) != NULL;
}

int svl_cli_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- scenarios ---- */

#define STAFF(id, role)                                                       \
	"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"     \
	"\"service_manager\",\"occurred_at\":\"2026-07-01T08:00:00+08:00\","  \
	"\"payload\":{\"staff_id\":\"" id "\",\"role\":\"" role "\","         \
	"\"from_at_ms\":1782835200000}}\n"

const char svl_cli_staff[] =
	STAFF("E001", "service_manager") STAFF("E010", "parts_manager")
	STAFF("E012", "warehouse_keeper") STAFF("E005", "service_advisor")
	STAFF("E006", "service_advisor") STAFF("E020", "customer_service")
	STAFF("E021", "technician") STAFF("E030", "workshop_manager")
	STAFF("E040", "cashier");

/* An event line: type, actor, role, local time (+08:00), payload. */
#define EV(type, actor, role, at, payload)                                    \
	"{\"type\":\"" type "\",\"actor\":\"" actor "\",\"role\":\"" role    \
	"\",\"occurred_at\":\"2026-07-" at ":00+08:00\",\"payload\":{"        \
	payload "}}\n"
#define KEEPER(type, at, payload) \
	EV(type, "E012", "warehouse_keeper", at, payload)

static const char stock[] =
	KEEPER("bin_assigned", "01T09:00", "\"part_no\":\"90915-YZZD4\","
	       "\"bin\":\"W1-A03-2-05\",\"description\":\"oil filter\","
	       "\"unit\":\"piece\"")
	KEEPER("bin_assigned", "01T09:05", "\"part_no\":\"04465-06240\","
	       "\"bin\":\"W1-A03-2-06\",\"description\":\"front brake pads\","
	       "\"unit\":\"set\"")
	KEEPER("parts_shelved", "02T09:00", "\"part_no\":\"90915-YZZD4\","
	       "\"bin\":\"W1-A03-2-05\",\"qty_milli\":5000,"
	       "\"unit_cost_fen\":6800,\"supplier_id\":\"SUP-9\"")
	KEEPER("parts_shelved", "02T10:00", "\"part_no\":\"04465-06240\","
	       "\"bin\":\"W1-A03-2-06\",\"qty_milli\":4000,"
	       "\"unit_cost_fen\":46000,\"supplier_id\":\"SUP-2\"")
	KEEPER("parts_shelved", "03T09:00", "\"part_no\":\"90915-YZZD4\","
	       "\"bin\":\"W1-A03-2-05\",\"qty_milli\":2500,"
	       "\"unit_cost_fen\":7100,\"supplier_id\":\"SUP-9\"")
	KEEPER("parts_quarantined", "03T11:00", "\"part_no\":\"04465-06240\","
	       "\"bin\":\"W1-A03-2-06\",\"qty_milli\":1000,"
	       "\"reason\":\"cracked backing plate\"");

static const char issue[] =
	KEEPER("parts_issued", "04T10:00", "\"part_no\":\"90915-YZZD4\","
	       "\"bin\":\"W1-A03-2-05\",\"qty_milli\":1000,\"pick_id\":\"PK-1\","
	       "\"wo_id\":\"WO-1\"");

static void append_ok(const char *dir, const char *file, const char *flags)
{
	cr_assert_eq(svl_cli_run("append -d %s %s %s", dir, flags, file), 0,
		     "append %s: %s", file, svl_cli_last.err);
}

void svl_cli_stock_ledger(const char *dir)
{
	cr_assert_eq(svl_cli_run("init -d %s", dir), 0, "%s", svl_cli_last.err);
	svl_cli_write("staff.ndjson", svl_cli_staff);
	svl_cli_write("stock.ndjson", stock);
	svl_cli_write("issue.ndjson", issue);
	append_ok(dir, "staff.ndjson", "");
	append_ok(dir, "stock.ndjson", "");
	/* the pick list, its three signatures and the old part are the
	 * deciders' tests' business: here only who may record it is checked */
	append_ok(dir, "issue.ndjson", "--roles-only");
}

#define ADV(type, at, payload) EV(type, "E005", "service_advisor", at, payload)
#define ADV2(type, at, payload) EV(type, "E006", "service_advisor", at, payload)

static const char job1[] =
	EV("booking_requested", "E020", "customer_service", "01T09:00",
	   "\"wo_id\":\"WO-1\",\"customer_id\":\"C-1\",\"owner_name\":\"Li Wei\","
	   "\"phone\":\"13800138000\",\"plate\":\"B-12345\",\"target\":"
	   "\"maintenance_due\",\"job_kind\":\"maintenance\",\"items\":"
	   "\"45,000 km service\",\"wanted_at_ms\":1782954000000")
	ADV("vehicle_received", "02T09:00",
	    "\"wo_id\":\"WO-1\",\"customer_id\":\"C-1\",\"plate\":\"B-12345\","
	    "\"job_kind\":\"maintenance\",\"mileage_km\":45210,\"fuel_pct\":40,"
	    "\"covers_laid\":3,\"first_visit\":false,\"fault_description\":"
	    "\"service\",\"est_amount_fen\":128000,\"est_ready_at_ms\":"
	    "1782982800000,\"customer_confirmed\":true")
	ADV("inspection_recorded", "02T09:15",
	    "\"wo_id\":\"WO-1\",\"checklist\":[{\"step\":\"hood\",\"ok\":true},"
	    "{\"step\":\"plate_vin\",\"ok\":true},{\"step\":"
	    "\"engine_bay_fluids\",\"ok\":true},{\"step\":\"body_walkaround\","
	    "\"ok\":true},{\"step\":\"spare_tire\",\"ok\":true},{\"step\":"
	    "\"gauges_interior_electrics\",\"ok\":true},{\"step\":\"valuables\","
	    "\"ok\":true}],\"diagnosis\":\"service due by mileage\","
	    "\"road_test\":false")
	ADV("quote_issued", "02T09:30",
	    "\"wo_id\":\"WO-1\",\"labor\":[],\"parts\":[],\"total_fen\":128000,"
	    "\"promised_at_ms\":1782982800000,\"customer_agreed\":true")
	ADV("work_order_confirmed", "02T09:40",
	    "\"wo_id\":\"WO-1\",\"quote_revision\":1,\"customer_signed\":true,"
	    "\"total_fen\":128000,\"promised_at_ms\":1782982800000")
	EV("work_dispatched", "E030", "workshop_manager", "02T10:00",
	   "\"wo_id\":\"WO-1\",\"technician_id\":\"E021\",\"bay\":\"B1\","
	   "\"est_labor_min\":120")
	EV("work_completed", "E021", "technician", "02T13:00",
	   "\"wo_id\":\"WO-1\",\"technician_id\":\"E021\",\"labor_min\":150")
	EV("qc_checked", "E021", "technician", "02T13:10",
	   "\"wo_id\":\"WO-1\",\"stage\":\"self\",\"passed\":true")
	EV("qc_checked", "E030", "workshop_manager", "02T13:20",
	   "\"wo_id\":\"WO-1\",\"stage\":\"group\",\"passed\":true")
	EV("qc_checked", "E030", "workshop_manager", "02T13:30",
	   "\"wo_id\":\"WO-1\",\"stage\":\"final\",\"passed\":true")
	ADV("vehicle_ready", "02T14:00",
	    "\"wo_id\":\"WO-1\",\"cleaned\":true,\"old_parts_ready\":true,"
	    "\"documents_ready\":true")
	ADV("settlement_issued", "02T15:00",
	    "\"wo_id\":\"WO-1\",\"labor_fen\":60000,\"parts_fen\":68000,"
	    "\"materials_fen\":0,\"total_fen\":128000,\"customer_signed\":true")
	EV("payment_received", "E040", "cashier", "02T15:10",
	   "\"wo_id\":\"WO-1\",\"amount_fen\":128000,\"method\":\"wechat_pay\"")
	ADV("vehicle_delivered", "02T15:30",
	    "\"wo_id\":\"WO-1\",\"old_parts\":\"returned_to_customer\","
	    "\"valuables_returned\":true,\"next_service_date\":\"2027-01-02\","
	    "\"next_service_mileage_km\":50000")
	EV("followup_attempted", "E020", "customer_service", "04T10:00",
	   "\"wo_id\":\"WO-1\",\"called_at_ms\":1783130400000,\"outcome\":"
	   "\"reached\",\"satisfaction_score\":5");

/* a walk-in, promised for 07-03 12:00 and delivered at 16:00 */
static const char job2[] =
	ADV2("vehicle_received", "03T08:30",
	     "\"wo_id\":\"WO-2\",\"customer_id\":\"C-2\",\"plate\":\"B-67890\","
	     "\"job_kind\":\"repair\",\"mileage_km\":80000,\"fuel_pct\":20,"
	     "\"covers_laid\":3,\"first_visit\":true,\"fault_description\":"
	     "\"rattle\",\"customer_confirmed\":true")
	ADV2("quote_issued", "03T09:00",
	     "\"wo_id\":\"WO-2\",\"labor\":[],\"parts\":[],\"total_fen\":50000,"
	     "\"promised_at_ms\":1783051200000,\"customer_agreed\":true")
	ADV2("work_order_confirmed", "03T09:05",
	     "\"wo_id\":\"WO-2\",\"quote_revision\":1,\"customer_signed\":true,"
	     "\"total_fen\":50000,\"promised_at_ms\":1783051200000")
	EV("work_dispatched", "E030", "workshop_manager", "03T09:10",
	   "\"wo_id\":\"WO-2\",\"technician_id\":\"E021\",\"bay\":\"B2\"")
	EV("work_completed", "E021", "technician", "03T15:00",
	   "\"wo_id\":\"WO-2\",\"technician_id\":\"E021\",\"labor_min\":300")
	ADV2("settlement_issued", "03T15:30",
	     "\"wo_id\":\"WO-2\",\"labor_fen\":50000,\"parts_fen\":0,"
	     "\"materials_fen\":0,\"total_fen\":50000,\"customer_signed\":true")
	EV("payment_received", "E040", "cashier", "03T15:40",
	   "\"wo_id\":\"WO-2\",\"amount_fen\":50000,\"method\":\"cash\"")
	ADV2("vehicle_delivered", "03T16:00",
	     "\"wo_id\":\"WO-2\",\"old_parts\":\"none\","
	     "\"valuables_returned\":true,\"next_service_date\":\"2027-01-03\","
	     "\"next_service_mileage_km\":85000");

void svl_cli_jobs_ledger(const char *dir)
{
	cr_assert_eq(svl_cli_run("init -d %s", dir), 0, "%s", svl_cli_last.err);
	svl_cli_write("staff.ndjson", svl_cli_staff);
	svl_cli_write("job1.ndjson", job1);
	svl_cli_write("job2.ndjson", job2);
	append_ok(dir, "staff.ndjson", "");
	append_ok(dir, "job1.ndjson", "");
	/* the walk-in skips the quality checks: who may record each step is
	 * checked, the workshop's order (R-QC-1) is not */
	append_ok(dir, "job2.ndjson", "--roles-only");
}

int svl_cli_spawn(const char *name, const char *args)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && exec env -u SVCLEDGER_DIR -u LANGUAGE -u LC_ALL "
		 "-u LC_MESSAGES -u LANG '%s' %s >%s.out 2>%s.err",
		 svl_cli_dir(), svl_cli_tool(), args, name, name);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return (int)pid;
}

int svl_cli_reap(int pid)
{
	int st;
	cr_assert_eq(waitpid((pid_t)pid, &st, 0), (pid_t)pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
