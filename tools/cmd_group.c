/*
 * cmd_group.c - `svcledger group`: the group ledger's consumer (group.h,
 * docs/group.md "Group ledger").
 *
 * G is a directory of replicas, one whole ledger per store:
 *
 *   G/group.json         {"group": NAME, "consumer": DURABLE}, written
 *                        when G is made; a G of another group is refused
 *   G/stores/<store>/    the store's ledger: same id, records, chain and
 *                        head hash, with its projections
 *
 * The stores are the group's streams, SVL_<group>_<store>, found at the
 * start (and every GROUP_DISCOVER_MS with --follow). Each store is
 * consumed on its own (group_store.c): one that stops for a gap, a fork
 * or damage leaves the others going; the run's exit code is that of the
 * first store (by name) that stopped.
 *
 * The durable consumer's name is made once per G (a random suffix kept in
 * group.json): two group ledgers of one group never share a consumer, so
 * neither takes the other's messages.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_common.h"
#include "group.h"

#define GROUP_DISCOVER_MS 3000	 /* --follow: how often new stores are seen */
#define GROUP_FOLLOW_WAIT_MS 200 /* --follow: one store's fetch, idle */
#define GROUP_FOLLOW_BURST                                                     \
	16 /* --follow: full fetches of one store in a                         \
	    * row */

static const cli_opt gr_opts[] = {
    {"ledger", 'd', "G", "the group ledger's directory (made when missing)"},
    {"nats", 0, "URL[,URL...]", "the NATS servers, with JetStream"},
    {"group", 0, "NAME", "the dealer group (default: G's, else default)"},
    {"follow", 'f', NULL, "go on consuming until SIGINT/SIGTERM"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { GR_DIR, GR_NATS, GR_GROUP, GR_FOLLOW, GR_JSON };

static const cli_spec gr_spec = {
    "group",
    "-d G --nats URL[,URL...] [--group NAME] [--follow] [--json]",
    "Consume every store's JetStream stream of the group (SVL_<group>_*,\n"
    "as svcledger ship writes them) into G/stores/<store>/, a replica of\n"
    "the store's ledger with the same id, records, chain and head hash,\n"
    "through a durable consumer with explicit acks. Each record is checked\n"
    "(seq run, link, hash) and appended with its id and recorded time;\n"
    "a message is acked only once its record is durably in the replica,\n"
    "so every record lands exactly once however often the run is killed.\n"
    "A store whose stream has a gap, a fork or a damaged record stops\n"
    "there (its error names it) and the others go on; the exit code is\n"
    "then that store's. --follow goes on, picking up new stores, until\n"
    "SIGINT or SIGTERM.",
    gr_opts,
    0,
    "  $ svcledger group -d ./G --nats nats://n1:4222,nats://n2:4222 "
    "--group acme\n"
    "  store S017: 1,204 records added, head seq 1204, up to date\n"
    "  store S018: 0 records added, head seq 980, up to date\n"};

typedef struct group_run {
	group_conn g;
	const char *dir;
	group_store **st;
	size_t n;
	int listed; /* the streams were listed at least once */
} group_run;

/* ---- G: group.json ---- */

static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SHIP_NAME_MAX)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789-_") == n;
}

/* Write G/group.json for a new G, through a temporary file renamed. */
static int marker_write(const cli_ctx *ctx, const char *path, const char *group,
			char *consumer, size_t size)
{
	uint8_t rnd[8];
	char hex[CLI_HEX_SIZE(sizeof rnd)], tmp[4300];
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		return cli_error(ctx, CLI_EXIT_ERROR, "getrandom: %s",
				 strerror(errno));
	snprintf(consumer, size, "svl-group-%s", cli_hex(hex, rnd, sizeof rnd));
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	json_t *o =
	    json_pack("{s:s,s:s}", "group", group, "consumer", consumer);
	int bad = !o || json_dump_file(o, tmp, JSON_INDENT(2)) != 0 ||
		  rename(tmp, path) != 0;
	json_decref(o);
	return bad ? cli_error(ctx, CLI_EXIT_ERROR, "%s: cannot write", path)
		   : 0;
}

/* 1 when dir is missing or holds nothing (but a marker never renamed
 * into place). */
static int dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;
	if (!d)
		return errno == ENOENT;
	while (empty && (e = readdir(d)))
		empty = strcmp(e->d_name, ".") == 0 ||
			strcmp(e->d_name, "..") == 0 ||
			strcmp(e->d_name, "group.json.tmp") == 0;
	closedir(d);
	return empty;
}

/*
 * G made or checked: its group (opt, else G's, else the default) into
 * *group (static storage), its consumer's name into consumer.
 */
static int open_g(const cli_ctx *ctx, const char *dir, const char *opt,
		  const char **group, char *consumer, size_t size)
{
	static char name[SHIP_NAME_MAX + 1];
	char path[4200], stores[4200];
	snprintf(path, sizeof path, "%s/group.json", dir);
	snprintf(stores, sizeof stores, "%s/stores", dir);
	json_t *o = json_load_file(path, 0, NULL);
	if (!o) {
		if (!dir_empty(dir))
			return cli_error(ctx, CLI_EXIT_CONFLICT,
					 "%s is not empty and has no "
					 "group.json: not a group ledger",
					 dir);
		*group = opt ? opt : SHIP_DEFAULT_GROUP;
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			return cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", dir,
					 strerror(errno));
		/* the marker first: a G cut short is a G with no stores */
		int code = marker_write(ctx, path, *group, consumer, size);
		if (!code && mkdir(stores, 0777) != 0)
			code = cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", stores,
					 strerror(errno));
		return code;
	}
	const char *g = json_string_value(json_object_get(o, "group"));
	const char *c = json_string_value(json_object_get(o, "consumer"));
	int code = 0;
	if (!g || !name_ok(g))
		code = cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s: no group name: not a group ledger", path);
	else if (opt && strcmp(opt, g) != 0)
		code = cli_error(ctx, CLI_EXIT_CONFLICT,
				 "%s is the group ledger of group %s, not %s",
				 dir, g, opt);
	else {
		snprintf(name, sizeof name, "%s", g);
		*group = name;
		snprintf(consumer, size, "%s",
			 c && name_ok(c) ? c : "svl-group");
		if (mkdir(stores, 0777) != 0 && errno != EEXIST)
			code = cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", stores,
					 strerror(errno));
	}
	json_decref(o);
	return code;
}

/* ---- the stores ---- */

static int by_name(const void *a, const void *b)
{
	return strcmp((*(group_store *const *)a)->name,
		      (*(group_store *const *)b)->name);
}

/* Add store name unless it is there; 0, or an exit code (out of memory:
 * the run ends; a replica that cannot be opened only stops the store). */
static int add_store(group_run *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->st[i]->name, name) == 0)
			return 0;
	if (r->n == GROUP_STORES_MAX)
		return 0;
	group_store **grown = realloc(r->st, (r->n + 1) * sizeof *grown);
	group_store *st = calloc(1, sizeof *st);
	if (grown)
		r->st = grown;
	if (!grown || !st) {
		free(st);
		return cli_error(r->g.ctx, CLI_EXIT_ERROR, "out of memory");
	}
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/stores/%s", r->dir, name);
	group_store_init(&r->g, st, name, dir);
	r->st[r->n++] = st;
	qsort(r->st, r->n, sizeof *r->st, by_name);
	return 0;
}

/* The group's streams, SVL_<group>_<store>, as stores. A failure to list
 * them is an error at the start (exit 5), a pause with --follow. */
static int discover(group_run *r, int quiet)
{
	char filter[64], prefix[64];
	jsOptions jo;
	jsStreamNamesList *list = NULL;
	jsErrCode jerr = 0;
	snprintf(filter, sizeof filter, "svl.%s.*.events", r->g.group);
	size_t plen =
	    (size_t)snprintf(prefix, sizeof prefix, "SVL_%s_", r->g.group);
	jsOptions_Init(&jo);
	jo.Wait = SHIP_WAIT_MS;
	jo.Stream.Info.SubjectsFilter = filter;
	natsStatus s = js_StreamNames(&list, r->g.c.js, &jo, &jerr);
	if (s == NATS_OK || s == NATS_NOT_FOUND)
		r->listed = 1;
	if (s == NATS_NOT_FOUND)
		return 0;
	if (s != NATS_OK)
		return quiet ? 0
			     : cli_error(r->g.ctx, CLI_EXIT_ERROR,
					 "cannot list the streams of group "
					 "%s: %s",
					 r->g.group, ship_nats_error(s, jerr));
	int code = 0;
	for (int i = 0; !code && i < list->Count; i++) {
		const char *n = list->List[i];
		if (strncmp(n, prefix, plen) == 0 && name_ok(n + plen))
			code = add_store(r, n + plen);
	}
	jsStreamNamesList_Destroy(list);
	return code;
}

static void follow(group_run *r)
{
	ship_stop_on_signals();
	int64_t next = ship_now_ms() + GROUP_DISCOVER_MS;
	while (!ship_stop) {
		if (ship_now_ms() >= next) {
			if (discover(r, 1))
				return;
			next = ship_now_ms() + GROUP_DISCOVER_MS;
		}
		int live = 0;
		for (size_t i = 0; i < r->n && !ship_stop; i++) {
			if (r->st[i]->code)
				continue;
			live++;
			/* a store with a backlog takes a few full batches
			 * in a row, not one per round of idle waits */
			for (int k = 0; k < GROUP_FOLLOW_BURST && !ship_stop &&
					group_store_pull(&r->g, r->st[i],
							 GROUP_FOLLOW_WAIT_MS,
							 0) == GROUP_FETCH;
			     k++)
				;
		}
		if (!live)
			nats_Sleep(GROUP_FOLLOW_WAIT_MS);
	}
}

/* ---- the summary ---- */

static json_t *store_json(group_store *st)
{
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)] = "";
	if (st->ap && st->head)
		cli_hex(hash, st->ap->prev, SVL_HASH_SIZE);
	json_t *o = json_pack(
	    "{s:s,s:s,s:I,s:I,s:s?,s:s,s:s?,s:i}", "store", st->name, "stream",
	    st->stream, "added", (json_int_t)st->added, "head_seq",
	    (json_int_t)st->head, "head_hash", *hash ? hash : NULL, "state",
	    st->code ? "stopped" : "up to date", "error",
	    st->code ? st->state : NULL, "exit", st->code);
	if (o && st->gap_want &&
	    json_object_set_new(o, "gap",
				json_pack("{s:I,s:I}", "expected_seq",
					  (json_int_t)st->gap_want, "got_seq",
					  (json_int_t)st->gap_got)))
		json_decref(o), o = NULL;
	return o;
}

static int summary(const group_run *r, int64_t ms, int json)
{
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < r->n; i++)
			if (json_array_append_new(a, store_json(r->st[i])))
				json_decref(a), a = NULL;
		return cli_json_print(
		    r->g.ctx, a ? json_pack("{s:s,s:s,s:o,s:I}", "group",
					    r->g.group, "dir", r->dir, "stores",
					    a, "elapsed_ms", (json_int_t)ms)
				: NULL);
	}
	if (!r->n)
		printf(_("no stores: group %s has no streams SVL_%s_* yet\n"),
		       r->g.group, r->g.group);
	for (size_t i = 0; i < r->n; i++) {
		char n[FMT_NUM_SIZE];
		const group_store *st = r->st[i];
		fmt_count(n, (int64_t)st->added);
		if (st->gap_want)
			printf(_("store %s: %s records added, head seq %llu, "
				 "stopped: a gap, expected seq %llu, got seq "
				 "%llu\n"),
			       st->name, n, (unsigned long long)st->head,
			       (unsigned long long)st->gap_want,
			       (unsigned long long)st->gap_got);
		else if (st->code)
			printf(_("store %s: %s records added, head seq %llu, "
				 "stopped: %s\n"),
			       st->name, n, (unsigned long long)st->head,
			       _(st->state));
		else
			printf(_("store %s: %s records added, head seq %llu, "
				 "up to date\n"),
			       st->name, n, (unsigned long long)st->head);
	}
	return 0;
}

/* ---- the command ---- */

static int run(group_run *r, const cli_args *a)
{
	const cli_ctx *ctx = r->g.ctx;
	if (!a->val[GR_DIR])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "which group ledger? give -d G");
	if (!a->val[GR_NATS])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "which servers? give --nats URL[,URL...]");
	if (a->val[GR_GROUP] && !name_ok(a->val[GR_GROUP]))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--group takes 1..%d letters, digits, '-' "
				 "or '_'",
				 SHIP_NAME_MAX);
	r->dir = a->val[GR_DIR];
	int code = open_g(ctx, r->dir, a->val[GR_GROUP], &r->g.group,
			  r->g.consumer, sizeof r->g.consumer);
	if (!code)
		code = ship_connect(ctx, &r->g.c, a->val[GR_NATS], r->g.group,
				    r->g.group, NULL);
	int64_t t0 = ship_now_ms();
	/* a cluster electing a leader answers again within seconds */
	while (!code &&
	       (code = discover(r, ship_now_ms() - t0 < GROUP_STALL_MS)) == 0 &&
	       !r->listed)
		nats_Sleep(250);
	if (code)
		return code;
	for (size_t i = 0; i < r->n; i++)
		if (!r->st[i]->code)
			group_store_catch_up(&r->g, r->st[i]);
	if (a->val[GR_FOLLOW])
		follow(r);
	/* the acks of the last batch leave before the connection closes */
	natsConnection_FlushTimeout(r->g.c.nc, 2000);
	code = summary(r, ship_now_ms() - t0, a->val[GR_JSON] != NULL);
	for (size_t i = 0; !code && i < r->n; i++)
		code = r->st[i]->code;
	return code;
}

int cli_cmd_group(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &gr_spec, argc, argv, &a, &code))
		return code;
	group_run r;
	memset(&r, 0, sizeof r);
	r.g.ctx = ctx;
	code = run(&r, &a);
	for (size_t i = 0; i < r.n; i++) {
		group_store_close(r.st[i]);
		free(r.st[i]);
	}
	free(r.st);
	ship_close(&r.g.c);
	return code;
}
