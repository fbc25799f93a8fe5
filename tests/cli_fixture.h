/*
 * cli_fixture.h - running the svcledger tool in tests, as a user would:
 * a fresh temporary directory per test, the tool run by the shell inside
 * it with stdout and stderr captured, and scenario ledgers built with the
 * tool's own `append` from NDJSON written here.
 *
 * The tool is the sanitizer build named by $SVL_TOOL (set by `make test`),
 * else build/svcledger-san.
 */
#ifndef SVL_TEST_CLI_FIXTURE_H
#define SVL_TEST_CLI_FIXTURE_H

#include <jansson.h>

/* What the last run did. out and err are NUL-terminated. */
typedef struct svl_cli_result {
	int code;
	char *out;
	char *err;
} svl_cli_result;

extern svl_cli_result svl_cli_last;

/* Criterion .init / .fini: find the tool, make / remove the temp dir. */
void svl_cli_setup(void);
void svl_cli_teardown(void);

/* The test's temporary directory, and the tool (absolute paths). */
const char *svl_cli_dir(void);
const char *svl_cli_tool(void);

/* Run `svcledger <args>` (args are shell words, redirections allowed) in
 * the temp dir with SVCLEDGER_DIR unset. Returns the exit code. */
int svl_cli_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* `svcledger <args>` started in the background in the temp dir, its
 * stdout and stderr into NAME.out and NAME.err there (for a test that
 * kills it, or lets it follow); svl_cli_reap waits for it and returns its
 * exit code, or 128 + the signal that ended it. */
int svl_cli_spawn(const char *name, const char *args);
int svl_cli_reap(int pid);

/* Write a file in the temp dir. */
void svl_cli_write(const char *name, const char *text);

/* The last run's stdout parsed as one JSON value (asserts it parses; the
 * caller json_decref()s it). */
json_t *svl_cli_json(void);

/* The head of the ledger in dir as "seq:hash" (from head --json) into out
 * (>= 64 bytes): what "nothing was written" is checked against. */
void svl_cli_head(const char *dir, char *out);

/* 1 when s contains want. */
int svl_cli_has(const char *s, const char *want);

/* Count of lines of s. */
int svl_cli_lines(const char *s);

/* ---- scenarios (times are UTC+08:00, July 2026) ---- */

/* Staff: E001 service_manager, E010 parts_manager, E012 warehouse_keeper,
 * E005 and E006 service_advisor, E020 customer_service, E021 technician,
 * E030 workshop_manager, E040 cashier (9 events). */
extern const char svl_cli_staff[];

/*
 * A stock ledger in `dir`: the staff, then part 90915-YZZD4 at bin
 * W1-A03-2-05 (shelved 5 at 68.00 on 07-02 and 2.5 at 71.00 on 07-03,
 * 1 issued to WO-1 on 07-04) and part 04465-06240 at W1-A03-2-06
 * (shelved 4 at 460.00, 1 quarantined). 16 events; the issue is appended
 * with --roles-only (a full pick flow is the deciders' tests' business).
 */
void svl_cli_stock_ledger(const char *dir);

/* A jobs ledger in `dir`: the staff and job WO-1 from booking on 07-01 to
 * a reached follow-up on 07-04 (advisor E005, technician E021, delivered
 * on time), and job WO-2 of E006 delivered late and not yet called. */
void svl_cli_jobs_ledger(const char *dir);

#endif /* SVL_TEST_CLI_FIXTURE_H */
