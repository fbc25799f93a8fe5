/*
 * cmd_ledger.c - commands on the ledger as a whole: init, head, verify.
 *
 * init creates the ledger through svl_ledger_open, so that the projection
 * and decider tables exist before anything reads them. head and verify
 * open the log alone, read-only: they must work for an auditor
 * who may read the files but not write them, and they can never change
 * what they inspect.
 *
 * verify runs svl_log_verify in a child process: a page damaged so that
 * liblmdb's own assertions fail aborts the process that reads it, and a
 * verifier must report damage, not die of it. The child sends its report
 * through a pipe and its stderr through another; when it dies of a signal,
 * a second child walks the log with the iterator, counting in shared
 * memory how far it reads, and the parent prints one line naming that.
 * The library never forks behind its embedder's back; the tool does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd_common.h"
#include "cmd_trust.h"
#include "fmt.h"
#include "newdir.h"

/* ---- init ---- */

static const cli_opt init_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON,
				    CLI_OPT_END};
enum { INIT_DIR, INIT_JSON };

static const cli_spec init_spec = {
	"init", "[-d DIR] [--json]",
	"Create a new, empty ledger in DIR (the directory is created if it\n"
	"does not exist), with its projections under the default rules.\n"
	"Fails with exit code 6 if DIR already holds one, or anything else.",
	init_opts, 0,
	"  $ svcledger init\n"
	"  created ledger ./ledger (id 01a21c7583a8e624078452c5d85e62d0, "
	"rules 'default')\n"};

int cli_cmd_init(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &init_spec, argc, argv, &a, &code))
		return code;
	const char *dir = cli_ledger_dir(a.val[INIT_DIR]);
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_RDONLY;
	svl_log *log = NULL;
	int rc = svl_log_open(&log, dir, &o);
	if (rc == SVL_OK) {
		svl_log_close(log);
		return cli_error(ctx, cli_exit_code(SVL_EEXISTS),
				 "%s: a ledger already exists there; nothing "
				 "was changed",
				 dir);
	}
	if (rc != SVL_ENOTFOUND)
		return cli_svl_error(ctx, rc, svl_log_last_error());
	/* through the ledger, so that the projection and decider tables
	 * exist from the start (a read-only open needs them); built beside
	 * dir and renamed into place, so that a full disk or a kill leaves
	 * nothing half-made (newdir.h) */
	newdir nd;
	svl_ledger *l = NULL;
	if ((code = newdir_begin(ctx, &nd, dir)) != 0 ||
	    (code = cmd_ledger_open(ctx, nd.build, SVL_LOG_CREATE, &l)) != 0) {
		newdir_discard(&nd);
		return code;
	}
	char id[CLI_HEX_SIZE(SVL_ID_SIZE)];
	svl_rules rules;
	cli_hex(id, svl_log_id(svl_ledger_log(l)), SVL_ID_SIZE);
	rc = svl_ledger_rules(l, &rules);
	svl_ledger_close(l);
	if (rc != SVL_OK) {
		newdir_discard(&nd);
		return cli_svl_error(ctx, rc, "cannot read the new ledger's rules");
	}
	if ((code = newdir_commit(ctx, &nd)) != 0)
		return code;
	if (a.val[INIT_JSON])
		return cli_json_print(ctx, json_pack("{s:s,s:s,s:s}", "dir", dir,
						     "ledger_id", id, "rules_id",
						     rules.id));
	printf(_("created ledger %s (id %s, rules '%s')\n"), dir, id, rules.id);
	return CLI_EXIT_OK;
}

/* ---- head ---- */

static const cli_opt head_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON,
				    CLI_OPT_END};
enum { HEAD_DIR, HEAD_JSON };

static const cli_spec head_spec = {
	"head", "[-d DIR] [--json]",
	"Show the end of the chain: the last event's seq, its hash and when\n"
	"it was recorded. An empty ledger has seq 0 and the genesis hash.",
	head_opts, 0,
	"  $ svcledger head\n"
	"  head seq 42, hash 24b3fe68e574b72f1d43df0857c67ed3, recorded "
	"2026-11-27T10:03:13.263Z\n"};

static int print_head(const cli_ctx *ctx, svl_log *log, const svl_head *h,
		      int json)
{
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)], id[CLI_HEX_SIZE(SVL_ID_SIZE)];
	char iso[FMT_TIME_SIZE];
	cli_hex(hash, h->hash, SVL_HASH_SIZE);
	cli_hex(id, svl_log_id(log), SVL_ID_SIZE);
	if (json)
		return cli_json_print(
			ctx, json_pack("{s:I,s:s,s:I,s:s*,s:s}", "seq",
				       (json_int_t)h->seq, "hash", hash,
				       "recorded_at_ms",
				       (json_int_t)h->recorded_at_ms,
				       "recorded_at",
				       h->seq ? fmt_iso(iso, h->recorded_at_ms,
							FMT_UTC)
					      : NULL,
				       "ledger_id", id));
	if (h->seq == 0)
		printf(_("head seq 0 (empty ledger), hash %s\n"), hash);
	else
		printf(_("head seq %llu, hash %s, recorded %s\n"),
		       (unsigned long long)h->seq, hash,
		       fmt_iso(iso, h->recorded_at_ms, FMT_UTC));
	return CLI_EXIT_OK;
}

int cli_cmd_head(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &head_spec, argc, argv, &a, &code))
		return code;
	svl_log *log;
	if ((code = cli_open(ctx, cli_ledger_dir(a.val[HEAD_DIR]),
			     SVL_LOG_RDONLY, &log)) != 0)
		return code;
	svl_head h;
	int rc = svl_log_head(log, &h);
	if (rc == SVL_OK)
		code = print_head(ctx, log, &h, a.val[HEAD_JSON] != NULL);
	else
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_log_close(log);
	return code;
}

/* ---- verify ---- */

static const cli_opt verify_opts[] = {
    CLI_OPT_LEDGER,
    {"seals", 0, "FILE", "check the seals of this seal file (with --trust)"},
    {"trust", 0, "KEY",
     "a public key (hex or .pub file) trusted to seal; more may follow"},
    CLI_OPT_JSON, CLI_OPT_END};
enum { VERIFY_DIR, VERIFY_SEALS, VERIFY_TRUST, VERIFY_JSON };

static const cli_spec verify_spec = {
	"verify", "[-d DIR] [--seals FILE --trust KEY [KEY...]] [--json]",
	"Walk the whole log from seq 1: recompute every event's XXH3-128\n"
	"hash, check every link of the chain, the sequence, that every\n"
	"envelope is in its one canonical encoding, that every record is\n"
	"found by a lookup of its key, the recorded head, and that the stream\n"
	"and id indexes say exactly what the log says. Then the ledger's own\n"
	"seals (signature, registered key, digest of the records they cover)\n"
	"and every signed signature; it says how far the ledger is sealed\n"
	"and by whom. --seals FILE checks a seal file kept off the machine\n"
	"against the ledger, trusting only the keys given: a record changed\n"
	"after it was sealed, a cut or rolled-back tail, a seal missing from\n"
	"the file or signed by an unregistered or revoked key fails, naming\n"
	"the seq range (docs/trust.md). Exit code 0 when all holds; 4 at the\n"
	"first problem found, named on one stderr line.\n"
	"Runs in a child process, so a ledger damaged badly enough to make\n"
	"LMDB abort is reported (exit 4) rather than killing the command.",
	verify_opts, CLI_POS_MAX,
	"  $ svcledger verify\n"
	"  OK: 42 events, head seq 42, hash "
	"24b3fe68e574b72f1d43df0857c67ed3\n"
	"  $ svcledger verify   (after one byte of a payload was changed)\n"
	"  svcledger: verify: FAILED at seq 12: hash mismatch: seq 12: stored "
	"hash is not the hash of its envelope\n"};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the verifying child sends its parent. */
typedef struct verify_msg {
	int64_t elapsed_ms;
	svl_verify_report rep;
	int trust_done;		 /* the chain held, so trust was checked */
	svl_trust_report own;	 /* the ledger's seals and signatures */
	svl_trust_report file;	 /* the seal file's seals (when given) */
} verify_msg;

/* The seal file and the keys trusted to have signed it. */
typedef struct verify_seals {
	svl_seal *seals;
	size_t n;
	uint8_t *keys; /* n_keys public keys, back to back */
	size_t n_keys;
	int given;
} verify_seals;

static int print_verify(const cli_ctx *ctx, const verify_msg *m,
			const verify_seals *vs, int json)
{
	const svl_verify_report *r = &m->rep;
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)];
	cli_hex(hash, r->head.hash, SVL_HASH_SIZE);
	int code = r->ok ? CLI_EXIT_OK : CLI_EXIT_INTEGRITY;
	const svl_trust_report *file = vs->given ? &m->file : NULL;
	if (json) {
		json_t *o = json_pack(
		    "{s:b,s:I,s:I,s:s,s:s,s:I,s:s,s:I}", "ok", r->ok, "events",
		    (json_int_t)r->events, "head_seq", (json_int_t)r->head.seq,
		    "head_hash", hash, "problem",
		    svl_verify_problem_name(r->problem), "bad_seq",
		    (json_int_t)r->bad_seq, "detail", r->detail, "elapsed_ms",
		    (json_int_t)m->elapsed_ms);
		if (o && m->trust_done)
			cmd_trust_json(o, &m->own, file);
		int pc = cli_json_print(ctx, o);
		if (pc)
			return pc;
	} else if (r->ok) {
		printf(_("OK: %llu events, head seq %llu, hash %s\n"),
		       (unsigned long long)r->events,
		       (unsigned long long)r->head.seq, hash);
	}
	if (!r->ok)
		return cli_error(ctx, code, "FAILED at seq %llu: %s: %s",
				 (unsigned long long)r->bad_seq,
				 _(svl_verify_problem_name(r->problem)),
				 r->detail);
	return cmd_trust_print(ctx, &m->own, file, json);
}

/* The child: verify, send the report through fd, return the exit code
 * (errors are printed to stderr, which the parent relays). */
static int verify_child(const cli_ctx *ctx, const char *dir, int fd,
			const verify_seals *vs)
{
	svl_log *log;
	int code = cli_open(ctx, dir, SVL_LOG_RDONLY, &log);
	if (code)
		return code;
	verify_msg m;
	memset(&m, 0, sizeof m);
	int64_t t0 = mono_ms();
	int rc = svl_log_verify(log, &m.rep);
	if (rc == SVL_OK && m.rep.ok) {
		m.trust_done = 1;
		rc = svl_trust_check(log, &m.own);
		if (rc == SVL_OK && vs->given)
			rc = svl_seal_verify(log, vs->seals, vs->n, vs->keys,
					     vs->n_keys, &m.file);
	}
	m.elapsed_ms = mono_ms() - t0;
	if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_log_close(log);
	if (rc == SVL_OK && write(fd, &m, sizeof m) != (ssize_t)sizeof m)
		code = cli_error(ctx, CLI_EXIT_ERROR, "cannot send the report");
	return code;
}

/* Read both pipes of the child to their end: the report into m (*got
 * bytes), its stderr into err (at most cap - 1 bytes kept, the rest
 * drained so that the child never blocks). */
static void drain(int rfd, int efd, verify_msg *m, size_t *got, char *err,
		  size_t cap)
{
	struct pollfd p[2] = {{rfd, POLLIN, 0}, {efd, POLLIN, 0}};
	size_t elen = 0;
	*got = 0;
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			char junk[4096];
			char *to = junk;
			size_t room = sizeof junk;
			if (i == 0 && *got < sizeof *m) {
				to = (char *)m + *got;
				room = sizeof *m - *got;
			} else if (i == 1 && elen + 1 < cap) {
				to = err + elen;
				room = cap - 1 - elen;
			}
			ssize_t n = read(p[i].fd, to, room);
			if (n <= 0) {
				p[i].fd = -1;
				continue;
			}
			if (to != junk)
				*(i == 0 ? got : &elen) += (size_t)n;
		}
	}
	err[elen] = '\0';
}

/* A probe child walks the log with the iterator and counts in shared
 * memory how far it reads before it ends or dies. *whole: read to the
 * end without an error. */
static uint64_t readable_seq(const char *dir, int *whole)
{
	volatile uint64_t *shm = mmap(NULL, 2 * sizeof(uint64_t),
				      PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*whole = 0;
	if (shm == MAP_FAILED)
		return 0;
	shm[0] = shm[1] = 0;
	pid_t pid = fork();
	if (pid == 0) {
		close(STDOUT_FILENO);
		close(STDERR_FILENO); /* LMDB's assertion text: said once */
		svl_log_options o = SVL_LOG_OPTIONS_INIT;
		o.flags = SVL_LOG_RDONLY;
		svl_log *log;
		svl_iter *it;
		svl_record r;
		int rc = svl_log_open(&log, dir, &o);
		if (rc == SVL_OK)
			rc = svl_log_iter_seq(log, 1, 0, &it);
		while (rc == SVL_OK && (rc = svl_iter_next(it, &r)) == SVL_OK)
			shm[0] = r.seq;
		shm[1] = rc == SVL_ITEROVER;
		_exit(0);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	uint64_t seq = shm[0];
	*whole = pid > 0 && shm[1];
	munmap((void *)shm, 2 * sizeof(uint64_t));
	return seq;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGABRT: return "SIGABRT";
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGKILL: return "SIGKILL";
	default: return "a signal";
	}
}

/* The child died of sig with err on its stderr: one line naming how far
 * the log can be read, and liblmdb's assertion if it printed one. */
static int verify_died(const cli_ctx *ctx, const char *dir, int sig,
		       char *err)
{
	char *assertion = strstr(err, "Assertion");
	if (assertion) {
		while (assertion > err && assertion[-1] != '\n')
			assertion--;
		assertion[strcspn(assertion, "\r\n")] = '\0';
	}
	int whole;
	uint64_t seq = readable_seq(dir, &whole);
	const char *sep = assertion ? ", " : "", *text = assertion ? assertion : "";
	if (whole)
		return cli_error(ctx, CLI_EXIT_INTEGRITY,
				 "the ledger's B-tree is damaged: the log reads "
				 "to seq %llu, but a lookup or an index read "
				 "stopped verify (LMDB aborted: %s%s%s)",
				 (unsigned long long)seq, signal_name(sig), sep,
				 text);
	return cli_error(ctx, CLI_EXIT_INTEGRITY,
			 "the ledger's B-tree is damaged: reading stopped "
			 "after seq %llu (LMDB aborted: %s%s%s)",
			 (unsigned long long)seq, signal_name(sig), sep, text);
}

/* Run the child and turn what it sent into output and an exit code. */
static int verify_isolated(const cli_ctx *ctx, const char *dir, int json,
			   const verify_seals *vs)
{
	int rp[2], ep[2];
	if (pipe2(rp, O_CLOEXEC) != 0)
		return cli_error(ctx, CLI_EXIT_ERROR, "pipe: %s",
				 strerror(errno));
	if (pipe2(ep, O_CLOEXEC) != 0) {
		close(rp[0]);
		close(rp[1]);
		return cli_error(ctx, CLI_EXIT_ERROR, "pipe: %s",
				 strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		close(rp[0]);
		close(ep[0]);
		dup2(ep[1], STDERR_FILENO);
		int code = verify_child(ctx, dir, rp[1], vs);
		fflush(stderr);
		_exit(code);
	}
	close(rp[1]);
	close(ep[1]);
	verify_msg m;
	size_t got = 0;
	char err[4096];
	err[0] = '\0';
	if (pid > 0)
		drain(rp[0], ep[0], &m, &got, err, sizeof err);
	close(rp[0]);
	close(ep[0]);
	if (pid < 0)
		return cli_error(ctx, CLI_EXIT_ERROR, "fork: %s",
				 strerror(errno));
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		return verify_died(ctx, dir, WTERMSIG(st), err);
	if (got == sizeof m && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return print_verify(ctx, &m, vs, json);
	fputs(err, stderr); /* the child's own error line */
	return WIFEXITED(st) && WEXITSTATUS(st) ? WEXITSTATUS(st)
						: CLI_EXIT_ERROR;
}

int cli_cmd_verify(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &verify_spec, argc, argv, &a, &code))
		return code;
	verify_seals vs;
	memset(&vs, 0, sizeof vs);
	vs.given = a.val[VERIFY_SEALS] != NULL;
	if (vs.given != (a.val[VERIFY_TRUST] != NULL) ||
	    (a.npos && !a.val[VERIFY_TRUST]))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--seals FILE and --trust KEY [KEY...] go "
				 "together: a seal file proves nothing without "
				 "keys you trust");
	if (vs.given &&
	    ((code = cmd_trust_load_seals(ctx, a.val[VERIFY_SEALS], &vs.seals,
					  &vs.n)) ||
	     (code = cmd_trust_load_keys(ctx, a.val[VERIFY_TRUST],
					 (char *const *)a.pos, a.npos,
					 &vs.keys, &vs.n_keys)))) {
		free(vs.seals);
		return code;
	}
	code = verify_isolated(ctx, cli_ledger_dir(a.val[VERIFY_DIR]),
			       a.val[VERIFY_JSON] != NULL, &vs);
	free(vs.seals);
	free(vs.keys);
	return code;
}
