/*
 * commands.h - the svcledger subcommands, one line each.
 *
 * This list is the dispatch table: cli.h turns every line into a prototype
 * and main.c into a table entry, so adding a command is one line here plus
 * its tools/cmd_<group>.c file (which defines the function and its help).
 * The order of the lines is the order of `svcledger --help`.
 *
 *   SVL_CLI_COMMAND(name, function, one-line summary)
 */
SVL_CLI_COMMAND("init", cli_cmd_init, "create a new, empty ledger")
SVL_CLI_COMMAND("log", cli_cmd_log, "list events (table, JSON or NDJSON)")
SVL_CLI_COMMAND("head", cli_cmd_head, "show the last event's seq and hash")
SVL_CLI_COMMAND("verify", cli_cmd_verify, "check the hash chain and indexes")
SVL_CLI_COMMAND("demo", cli_cmd_demo, "build a small example ledger")
SVL_CLI_COMMAND("bench", cli_cmd_bench, "measure the engine beside raw limits")
