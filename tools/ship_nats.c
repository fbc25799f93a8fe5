/*
 * ship_nats.c - the NATS side shared by ship and restore (ship.h): the
 * connection, the store's stream and its last message.
 *
 * The last message is what makes shipping resumable without any state on
 * the store's side: it names the last record the stream holds (Svl-Seq)
 * and carries that record's bytes, whose last 16 bytes are its hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ship.h"

#define SHIP_SERVERS_MAX 16

int64_t ship_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *ship_nats_error(natsStatus s, jsErrCode jerr)
{
	static char buf[320];
	const char *last = nats_GetLastError(NULL);
	const char *at = last && *last == '(' ? strstr(last, "): ") : NULL;
	if (at) /* "(conn.c:2088): No server..." without the source line */
		last = at + 3;
	if (jerr)
		snprintf(buf, sizeof buf, "%s (JetStream error %d)",
			 last && *last ? last : natsStatus_GetText(s),
			 (int)jerr);
	else
		snprintf(buf, sizeof buf, "%s",
			 last && *last ? last : natsStatus_GetText(s));
	return buf;
}

/* A group or store name becomes a token of a subject and part of a
 * stream name: no dots, wildcards or spaces, and short. */
static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SHIP_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/* Errors of the connection are reported by the calls that fail; the
 * library's own printing on stderr would break the one-line rule. */
static void quiet(natsConnection *nc, natsSubscription *sub, natsStatus err,
		  void *closure)
{
	(void)nc;
	(void)sub;
	(void)err;
	(void)closure;
}

static int split_urls(const cli_ctx *ctx, char *urls, const char **out, int *n)
{
	*n = 0;
	for (char *save = NULL, *u = strtok_r(urls, ",", &save); u;
	     u = strtok_r(NULL, ",", &save)) {
		if (*n == SHIP_SERVERS_MAX)
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--nats: more than %d servers",
					 SHIP_SERVERS_MAX);
		out[(*n)++] = u;
	}
	return *n ? 0
		  : cli_error(ctx, CLI_EXIT_USAGE,
			      "--nats: give the servers' URLs "
			      "(nats://host:4222[,nats://host2:4222...])");
}

static natsStatus options(natsOptions **o, const char **servers, int n)
{
	natsStatus s = natsOptions_Create(o);
	if (s == NATS_OK)
		s = natsOptions_SetServers(*o, servers, n);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(*o, 2000);
	/* a node restarting or a leader moving is a pause, not an end */
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(*o, -1);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectWait(*o, 100);
	if (s == NATS_OK)
		s = natsOptions_SetErrorHandler(*o, quiet, NULL);
	return s;
}

int ship_connect(const cli_ctx *ctx, ship_conn *c, const char *urls,
		 const char *group, const char *store, jsOptions *jo)
{
	memset(c, 0, sizeof *c);
	if (!urls)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "which servers? give --nats URL[,URL...]");
	if (!store)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "which store? give --store NAME (S017)");
	if (!name_ok(store) || !name_ok(group))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--store and --group take 1..%d letters, "
				 "digits, '-' or '_'",
				 SHIP_NAME_MAX);
	snprintf(c->stream, sizeof c->stream, "SVL_%s_%s", group, store);
	snprintf(c->subject, sizeof c->subject, "svl.%s.%s.events", group,
		 store);
	char *copy = strdup(urls);
	const char *servers[SHIP_SERVERS_MAX];
	int n, code;
	if (!copy)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	if ((code = split_urls(ctx, copy, servers, &n))) {
		free(copy);
		return code;
	}
	natsOptions *o = NULL;
	natsStatus s = options(&o, servers, n);
	if (s == NATS_OK)
		s = natsConnection_Connect(&c->nc, o);
	natsOptions_Destroy(o);
	free(copy);
	if (s != NATS_OK)
		return cli_error(ctx, CLI_EXIT_ERROR, "NATS %s: %s", urls,
				 ship_nats_error(s, 0));
	jsOptions def;
	if (!jo) {
		jsOptions_Init(&def);
		def.Wait = SHIP_WAIT_MS;
		jo = &def;
	}
	if ((s = natsConnection_JetStream(&c->js, c->nc, jo)) != NATS_OK)
		return cli_error(ctx, CLI_EXIT_ERROR, "JetStream: %s",
				 ship_nats_error(s, 0));
	return 0;
}

void ship_close(ship_conn *c)
{
	jsCtx_Destroy(c->js);
	natsConnection_Destroy(c->nc);
	c->js = NULL;
	c->nc = NULL;
	/* the library's threads end here, so that nothing runs past exit */
	nats_CloseAndWait(2000);
}

int ship_stream_info(const cli_ctx *ctx, ship_conn *c, jsStreamInfo **out)
{
	jsErrCode jerr = 0;
	*out = NULL;
	natsStatus s = js_GetStreamInfo(out, c->js, c->stream, NULL, &jerr);
	if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
		*out = NULL;
		return 0;
	}
	if (s != NATS_OK)
		return cli_error(ctx, CLI_EXIT_ERROR, "stream %s: %s",
				 c->stream, ship_nats_error(s, jerr));
	return 0;
}

static int header_u64(natsMsg *m, const char *key, uint64_t *out)
{
	const char *v = NULL;
	char *end;
	if (natsMsgHeader_Get(m, key, &v) != NATS_OK || !v || !*v || *v < '0' ||
	    *v > '9')
		return -1;
	unsigned long long x = strtoull(v, &end, 10);
	if (*end)
		return -1;
	*out = (uint64_t)x;
	return 0;
}

int ship_msg_tail(natsMsg *m, ship_tail *out)
{
	const char *v = NULL;
	int len = natsMsg_GetDataLength(m);
	if (header_u64(m, SHIP_HDR_SEQ, &out->seq) || out->seq == 0 ||
	    natsMsgHeader_Get(m, SHIP_HDR_LEDGER, &v) != NATS_OK || !v ||
	    strlen(v) != 2 * SVL_ID_SIZE || len <= SVL_HASH_SIZE)
		return -1;
	memcpy(out->ledger, v, sizeof out->ledger);
	memcpy(out->hash,
	       (const uint8_t *)natsMsg_GetData(m) + len - SVL_HASH_SIZE,
	       SVL_HASH_SIZE);
	return 0;
}

int ship_last(const cli_ctx *ctx, ship_conn *c, ship_tail *out, char *why,
	      size_t why_size)
{
	natsMsg *m = NULL;
	jsErrCode jerr = 0;
	memset(out, 0, sizeof *out);
	natsStatus s =
	    js_GetLastMsg(&m, c->js, c->stream, c->subject, NULL, &jerr);
	if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr)
		return 0;
	if (s != NATS_OK && why) {
		snprintf(why, why_size, "cannot read its last message: %s",
			 ship_nats_error(s, jerr));
		return CLI_EXIT_ERROR;
	}
	if (s != NATS_OK)
		return cli_error(ctx, CLI_EXIT_ERROR,
				 "stream %s: cannot read its last message: %s",
				 c->stream, ship_nats_error(s, jerr));
	int bad = ship_msg_tail(m, out);
	out->stream_seq = natsMsg_GetSequence(m);
	natsMsg_Destroy(m);
	if (bad)
		return cli_error(ctx, CLI_EXIT_CONFLICT,
				 "stream %s: its last message is not a ledger "
				 "record (no %s / %s headers): the stream is "
				 "not svcledger's",
				 c->stream, SHIP_HDR_SEQ, SHIP_HDR_LEDGER);
	return 0;
}

int ship_unhex_id(uint8_t out[SVL_ID_SIZE], const char *hex)
{
	for (size_t i = 0; i < SVL_ID_SIZE; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return 0;
}

volatile sig_atomic_t ship_stop;

static void on_stop(int sig)
{
	(void)sig;
	ship_stop = 1;
}

void ship_stop_on_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
