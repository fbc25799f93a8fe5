/*
 * cmd_trust.c - keys, seals and signatures on the command line: keygen,
 * seal, seals, sign (docs/trust.md). verify's --seals and --trust are in
 * cmd_ledger.c, with the file and key loading it shares from here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_common.h"
#include "cmd_trust.h"
#include "fmt.h"

/* ---- keygen ---- */

static const cli_opt keygen_opts[] = {
    {"out", 'o', "FILE", "secret key file to create (FILE.pub beside it)"},
    CLI_OPT_JSON, CLI_OPT_END};
enum { KG_OUT, KG_JSON };

static const cli_spec keygen_spec = {
	"keygen", "--out FILE [--json]",
	"Create an Ed25519 key pair: the secret key in FILE (mode 0600,\n"
	"never over an existing file) and the public key in FILE.pub, which\n"
	"is also printed. A manager registers the public key in the ledger\n"
	"with a staff_key_registered event; from then it signs seals and\n"
	"signatures for that person (docs/trust.md).",
	keygen_opts, 0,
	"  $ svcledger keygen --out ~/.svcledger/e001.key\n"
	"  3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c\n"
	"  wrote /root/.svcledger/e001.key (secret, mode 0600) and "
	"/root/.svcledger/e001.key.pub\n"};

int cli_cmd_keygen(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &keygen_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[KG_OUT])
		return cli_error(ctx, CLI_EXIT_USAGE, "--out FILE is required");
	svl_keypair k;
	char err[512], hex[65];
	int rc = svl_key_generate(&k);
	if (rc == SVL_OK)
		rc = svl_key_save(&k, a.val[KG_OUT], err, sizeof err);
	else
		snprintf(err, sizeof err, "%s", _("libsodium did not start"));
	svl_key_hex(k.public_key, hex);
	svl_keypair_wipe(&k);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, err);
	if (a.val[KG_JSON])
		return cli_json_print(
		    ctx, json_pack("{s:s,s:s,s:s+}", "public_key", hex,
				   "secret_key_file", a.val[KG_OUT],
				   "public_key_file", a.val[KG_OUT], ".pub"));
	printf(_("%s\nwrote %s (secret, mode 0600) and %s.pub\n"), hex,
	       a.val[KG_OUT], a.val[KG_OUT]);
	return CLI_EXIT_OK;
}

/* ---- shared with verify ---- */

int cmd_trust_load_key(const cli_ctx *ctx, const char *path, svl_keypair *k)
{
	char err[512];
	int rc = svl_key_load(k, path, err, sizeof err);
	return rc == SVL_OK ? CLI_EXIT_OK : cli_svl_error(ctx, rc, err);
}

int cmd_trust_load_seals(const cli_ctx *ctx, const char *path,
			 svl_seal **out, size_t *n)
{
	char *buf, err[256];
	size_t len, cap = 0, line = 0;
	int code = cmd_read_input(ctx, path, &buf, &len);
	if (code)
		return code;
	*out = NULL;
	*n = 0;
	for (char *p = buf, *end = buf + len; p < end && !code;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		if (l > 0 && *n == cap) {
			cap = cap ? 2 * cap : 16;
			svl_seal *g = realloc(*out, cap * sizeof **out);
			if (!g)
				code = cli_error(ctx, CLI_EXIT_ERROR, "no memory");
			else
				*out = g;
		}
		if (l > 0 && !code &&
		    svl_seal_from_json(&(*out)[*n], p, l, err, sizeof err))
			code = cli_error(ctx, CLI_EXIT_INPUT, "%s: line %zu: %s",
					 path, line, err);
		*n += l > 0 && !code;
		p += l + 1;
	}
	free(buf);
	if (code) {
		free(*out);
		*out = NULL;
	}
	return code;
}

int cmd_trust_load_keys(const cli_ctx *ctx, const char *first,
			char *const *more, int n_more,
			uint8_t **out, size_t *n)
{
	char err[512];
	*n = 0;
	*out = calloc((size_t)n_more + 1, SVL_PUBLIC_KEY_SIZE);
	if (!*out)
		return cli_error(ctx, CLI_EXIT_ERROR, "no memory");
	for (int i = -1; i < n_more; i++) {
		const char *arg = i < 0 ? first : more[i];
		int rc = svl_key_public(*out + *n * SVL_PUBLIC_KEY_SIZE, arg,
					err, sizeof err);
		if (rc != SVL_OK) {
			free(*out);
			*out = NULL;
			return cli_svl_error(ctx, rc, err);
		}
		(*n)++;
	}
	return CLI_EXIT_OK;
}

int cmd_trust_append_seal(const char *path, const svl_seal *s)
{
	char line[1024];
	size_t n = svl_seal_to_json(s, line, sizeof line - 1);
	if (n == 0 || n >= sizeof line - 1)
		return EOVERFLOW;
	line[n++] = '\n';
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	int e = write(fd, line, n) == (ssize_t)n && fsync(fd) == 0 ? 0 : errno;
	if (close(fd) != 0 && !e)
		e = errno;
	return e ? e : 0;
}

/* The seal line into path, or one error line saying how to recover. */
static int write_seal_line(const cli_ctx *ctx, const char *path,
			   const svl_seal *s)
{
	int e = cmd_trust_append_seal(path, s);
	if (e)
		return cli_error(ctx, CLI_EXIT_ERROR,
				 "the seal is in the ledger at seq %llu, but %s "
				 "could not be written (%s): `svcledger seals` "
				 "writes the seal file again",
				 (unsigned long long)s->seq, path, strerror(e));
	return CLI_EXIT_OK;
}

/* ---- seal ---- */

static const cli_opt seal_opts[] = {
    CLI_OPT_LEDGER,
    {"key", 'k', "FILE", "the sealer's secret key file"},
    {"through", 0, "SEQ", "seal through this seq (default: the head)"},
    {"period", 0, "DAY|MONTH",
     "seal through the end of a local day or month (YYYY-MM[-DD])"},
    {"seal-file", 0, "FILE", "append the seal here (default: DIR/seals.ndjson)"},
    {"as", 0, "STAFF", "the sealer (default: whom the key is registered to)"},
    {"role", 0, "ROLE", "their sealing role (default: the first they hold)"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { SL_DIR, SL_KEY, SL_THROUGH, SL_PERIOD, SL_FILE, SL_AS, SL_ROLE, SL_JSON };

static const cli_spec seal_spec = {
	"seal",
	"[-d DIR] --key FILE [--through SEQ | --period DAY|MONTH] "
	"[--seal-file FILE] [--as STAFF] [--role ROLE] [--json]",
	"Seal the ledger from the record after the previous seal through the\n"
	"head (or --through, or the end of --period): a ledger_sealed event\n"
	"signed with the sealer's key, over a BLAKE2b-256 digest of every\n"
	"record sealed chained with the previous seal's. The seal is appended\n"
	"to the ledger and, as one JSON line, to the seal file: copy that file\n"
	"off this machine (the auditor, e-mail, a WORM store); `svcledger\n"
	"verify --seals FILE --trust KEY...` then proves the sealed records\n"
	"unchanged. Only a service, parts or general manager seals, with a key\n"
	"registered to them (R-SEAL-1/2, R-KEY-3).",
	seal_opts, 0,
	"  $ svcledger seal --key e001.key --period 2026-09\n"
	"  sealed seq 1..4812 (2026-09) as E001 (service_manager): seal at "
	"seq 4813, digest 5e2c3b7a9d1f0e8c...\n"
	"  appended to ledger/seals.ndjson: keep a copy off this machine\n"};

int cli_cmd_seal(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &seal_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[SL_KEY])
		return cli_error(ctx, CLI_EXIT_USAGE, "--key FILE is required");
	if (a.val[SL_THROUGH] && a.val[SL_PERIOD])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--through and --period exclude each other");
	svl_seal_options o = SVL_SEAL_OPTIONS_INIT;
	if ((code = cli_opt_u64(ctx, "through", a.val[SL_THROUGH],
				&o.through_seq)))
		return code;
	o.period = a.val[SL_PERIOD];
	o.actor = a.val[SL_AS];
	o.role = a.val[SL_ROLE];
	const char *dir = cli_ledger_dir(a.val[SL_DIR]);
	char path[4096];
	snprintf(path, sizeof path, "%s/seals.ndjson", dir);
	const char *file = a.val[SL_FILE] ? a.val[SL_FILE] : path;
	svl_keypair k;
	svl_ledger *l;
	if ((code = cmd_trust_load_key(ctx, a.val[SL_KEY], &k)))
		return code;
	if ((code = cmd_ledger_open(ctx, dir, 0, &l))) {
		svl_keypair_wipe(&k);
		return code;
	}
	svl_seal s;
	svl_submit_result res;
	int rc = svl_seal_append(l, &k, &o, &s, &res);
	svl_keypair_wipe(&k);
	svl_ledger_close(l);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, res.message);
	if ((code = write_seal_line(ctx, file, &s)))
		return code;
	char dig[65];
	cli_hex(dig, s.digest, 32);
	if (a.val[SL_JSON]) {
		char line[1024];
		svl_seal_to_json(&s, line, sizeof line);
		return cli_json_print(ctx, json_loads(line, 0, NULL));
	}
	printf(_("sealed seq %llu..%llu%s%s%s as %s (%s): seal at seq %llu, "
		 "digest %.16s...\nappended to %s: keep a copy off this "
		 "machine\n"),
	       (unsigned long long)s.from_seq, (unsigned long long)s.to_seq,
	       s.period[0] ? " (" : "", s.period, s.period[0] ? ")" : "",
	       s.staff_id, s.role, (unsigned long long)s.seq, dig, file);
	return CLI_EXIT_OK;
}

/* ---- seals ---- */

static const cli_opt seals_opts[] = {CLI_OPT_LEDGER, CLI_OPT_END};
enum { SS_DIR };

static const cli_spec seals_spec = {
	"seals", "[-d DIR]",
	"Print every seal in the ledger as the seal file's lines (NDJSON), in\n"
	"order: the seal file written again, e.g. when writing it failed.\n"
	"A copy made now proves nothing about the past; keep the lines that\n"
	"`seal` wrote when it sealed.",
	seals_opts, 0,
	"  $ svcledger seals > seals.ndjson\n"};

static int print_seal(const svl_seal *s, void *payload)
{
	char line[1024];
	(void)payload;
	svl_seal_to_json(s, line, sizeof line);
	return puts(line) < 0 ? SVL_EIO : 0;
}

int cli_cmd_seals(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	svl_log *log;
	if (!cli_parse(ctx, &seals_spec, argc, argv, &a, &code))
		return code;
	if ((code = cli_open(ctx, cli_ledger_dir(a.val[SS_DIR]),
			     SVL_LOG_RDONLY, &log)))
		return code;
	int rc = svl_seal_each(log, print_seal, NULL);
	if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_log_close(log);
	return code;
}

/* ---- verify's trust lines ---- */

static json_t *report_json(const svl_trust_report *r)
{
	char at[FMT_TIME_SIZE] = "";
	if (r->seals)
		fmt_iso(at, r->last_sealed_at_ms, FMT_UTC);
	return json_pack("{s:I,s:I,s:b,s:I,s:I,s:s,s:I,s:I,s:I,s:s,s:s,s:I,s:I}",
			 "keys_registered", (json_int_t)r->keys_registered,
			 "keys_revoked", (json_int_t)r->keys_revoked, "ok",
			 r->ok, "bad_from", (json_int_t)r->bad_from, "bad_to",
			 (json_int_t)r->bad_to, "problem", r->problem, "seals",
			 (json_int_t)r->seals, "sealed_through",
			 (json_int_t)r->sealed_through, "unsealed",
			 (json_int_t)(r->head_seq - r->sealed_through),
			 "last_sealed_by", r->last_sealed_by, "last_sealed_at",
			 at, "signatures", (json_int_t)r->signatures,
			 "unsigned_signatures",
			 (json_int_t)r->unsigned_signatures);
}

void cmd_trust_json(json_t *obj, const svl_trust_report *own,
		    const svl_trust_report *file)
{
	json_object_set_new(obj, "trust", report_json(own));
	if (file)
		json_object_set_new(obj, "seal_file", report_json(file));
	if (!own->ok || (file && !file->ok))
		json_object_set_new(obj, "ok", json_false());
}

static int failed(const cli_ctx *ctx, const char *what,
		  const svl_trust_report *r)
{
	if (r->bad_from)
		return cli_error(ctx, CLI_EXIT_INTEGRITY,
				 "FAILED at seq %llu..%llu: %s: %s",
				 (unsigned long long)r->bad_from,
				 (unsigned long long)r->bad_to, what,
				 r->problem);
	return cli_error(ctx, CLI_EXIT_INTEGRITY, "FAILED: %s: %s", what,
			 r->problem);
}

static void print_sealed(const char *lead, const svl_trust_report *r)
{
	char at[FMT_TIME_SIZE];
	if (!r->seals) {
		printf(_("%snone; %llu event%s not sealed\n"), lead,
		       (unsigned long long)r->head_seq,
		       r->head_seq == 1 ? "" : "s");
		return;
	}
	printf(_("%s%zu seal%s, seq 1..%llu sealed, last by %s at %s; %llu "
		 "event%s after it not sealed\n"),
	       lead, r->seals, r->seals == 1 ? "" : "s",
	       (unsigned long long)r->sealed_through, r->last_sealed_by,
	       fmt_iso(at, r->last_sealed_at_ms, FMT_UTC),
	       (unsigned long long)(r->head_seq - r->sealed_through),
	       r->head_seq - r->sealed_through == 1 ? "" : "s");
}

int cmd_trust_print(const cli_ctx *ctx, const svl_trust_report *own,
		    const svl_trust_report *file, int json)
{
	if (!own->ok)
		return failed(ctx, _("the ledger's seals and signatures"), own);
	if (file && !file->ok)
		return failed(ctx, _("seal file"), file);
	if (json)
		return CLI_EXIT_OK;
	print_sealed(_("seals in the ledger: "), own);
	if (own->keys_registered)
		printf(_("staff keys: %zu registered, %zu revoked (svcledger "
			 "log --type staff_key_registered lists them)\n"),
		       own->keys_registered, own->keys_revoked);
	if (own->signatures || own->unsigned_signatures)
		printf(_("signatures with a key: %zu verified; %zu signature%s "
			 "without one\n"),
		       own->signatures, own->unsigned_signatures,
		       own->unsigned_signatures == 1 ? "" : "s");
	if (file)
		print_sealed(_("seal file, trusted keys: OK: "), file);
	return CLI_EXIT_OK;
}
