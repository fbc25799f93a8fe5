/*
 * main.c - the svcledger command-line tool: global options and dispatch.
 *
 *   svcledger [--help | --version] [--lang LANG] <command> [options]
 *   svcledger help <command>          same as svcledger <command> --help
 *
 * --lang LANG (en, zh-CN) is global: it may stand before or after the
 * command and is taken out of argv before the command parses its own.
 *
 * The command table is generated from commands.h, so a new subcommand is
 * one line there plus its cmd_<group>.c file; nothing here changes.
 */
#include <stdio.h>
#include <string.h>

#include <lmdb.h>

#include "cli.h"

typedef struct cli_command {
	const char *name;
	int (*run)(const cli_ctx *ctx, int argc, char **argv);
	const char *summary;
} cli_command;

static const cli_command commands[] = {
#define SVL_CLI_COMMAND(name, fn, summary) {name, fn, summary},
#include "commands.h"
#undef SVL_CLI_COMMAND
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *f)
{
	fprintf(f, _("usage: svcledger [--help | --version] [--lang LANG] "
		     "<command> [options]\n\n"
		     "An event-sourced, verifiable ledger (LMDB, hash-chained "
		     "events).\n\ncommands:\n"));
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name,
			_(commands[i].summary));
	fprintf(f, _("\nThe ledger directory is -d DIR, else $SVCLEDGER_DIR, "
		     "else ./ledger.\n"
		     "--lang en|zh-CN chooses the language (else LANGUAGE, "
		     "LC_ALL, LC_MESSAGES, LANG).\n"
		     "'svcledger <command> --help' describes a command.\n"
		     "Exit codes: 0 ok, 1 usage, 2 bad input, 3 rule refusal, "
		     "4 integrity failure,\n"
		     "            5 I/O or other error, 6 conflict.\n"));
}

static void print_version(void)
{
	int maj, min, pat;
	mdb_version(&maj, &min, &pat);
	printf("svcledger %s (libsvcledger %s, LMDB %d.%d.%d)\n",
	       SVL_VERSION_STRING, svl_version_string(), maj, min, pat);
}

static const cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int unknown(const char *name)
{
	fprintf(stderr,
		_("svcledger: %s: unknown command (see 'svcledger "
		  "--help')\n"),
		name);
	return CLI_EXIT_USAGE;
}

/* Take every "--lang LANG" / "--lang=LANG" before a "--" out of argv
 * (the last one wins). Returns the new argc, or -1 when a --lang has no
 * value. */
static int take_lang(int argc, char **argv)
{
	int w = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[w++] = argv[i++];
			break;
		}
		if (strncmp(a, "--lang=", 7) == 0) {
			cli_set_lang(a + 7);
		} else if (strcmp(a, "--lang") == 0) {
			if (++i >= argc)
				return -1;
			cli_set_lang(argv[i]);
		} else {
			argv[w++] = argv[i];
		}
	}
	argv[w] = NULL;
	return w;
}

int main(int argc, char **argv)
{
	argc = take_lang(argc, argv);
	if (argc < 0) {
		fprintf(stderr, _("svcledger: --lang: missing value (en, "
				  "zh-CN)\n"));
		return CLI_EXIT_USAGE;
	}
	if (argc < 2) {
		print_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	const char *a = argv[1];
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		print_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
		print_version();
		return CLI_EXIT_OK;
	}
	if (strcmp(a, "help") == 0) {
		if (argc < 3) {
			print_usage(stdout);
			return CLI_EXIT_OK;
		}
		const cli_command *c = find_command(argv[2]);
		if (!c)
			return unknown(argv[2]);
		char *help_argv[] = {argv[2], "--help", NULL};
		cli_ctx ctx = {c->name};
		return c->run(&ctx, 2, help_argv);
	}
	const cli_command *c = find_command(a);
	if (!c)
		return unknown(a);
	cli_ctx ctx = {c->name};
	int code = c->run(&ctx, argc - 1, argv + 1);
	if (fflush(stdout) != 0 && code == CLI_EXIT_OK)
		code = cli_error(&ctx, CLI_EXIT_ERROR, "cannot write output");
	return code;
}
