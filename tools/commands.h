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
SVL_CLI_COMMAND("append", cli_cmd_append, "decide and append NDJSON commands, atomically")
SVL_CLI_COMMAND("log", cli_cmd_log, "list events (table, JSON or NDJSON)")
SVL_CLI_COMMAND("head", cli_cmd_head, "show the last event's seq and hash")
SVL_CLI_COMMAND("verify", cli_cmd_verify, "check the hash chain and indexes")
SVL_CLI_COMMAND("backup", cli_cmd_backup, "an online, verified copy of the ledger")
SVL_CLI_COMMAND("keygen", cli_cmd_keygen, "create an Ed25519 key pair for seals and signatures")
SVL_CLI_COMMAND("seal", cli_cmd_seal, "sign a seal over the records since the last one")
SVL_CLI_COMMAND("seals", cli_cmd_seals, "print the ledger's seals as a seal file")
SVL_CLI_COMMAND("sign", cli_cmd_sign, "sign pick, write-off and adjustment commands with a key")
SVL_CLI_COMMAND("stock-card", cli_cmd_stock_card, "a part's bin card, now or as of a seq or time")
SVL_CLI_COMMAND("stock-cards", cli_cmd_stock_cards, "every stock card, now or as of a seq or time")
SVL_CLI_COMMAND("reconcile", cli_cmd_reconcile, "a count sheet against the book as of the count")
SVL_CLI_COMMAND("work-order", cli_cmd_work_order, "one job from booking to follow-up")
SVL_CLI_COMMAND("work-orders", cli_cmd_work_orders, "list jobs by state, advisor, technician, date, customer, car")
SVL_CLI_COMMAND("metrics", cli_cmd_metrics, "the department's figures per period, with targets")
SVL_CLI_COMMAND("documents", cli_cmd_documents, "open paperwork: signatures, acceptances, deadlines, disposals")
SVL_CLI_COMMAND("figures", cli_cmd_figures, "the seed's other figures: pre-picks, follow-up quality, complaints, more")
SVL_CLI_COMMAND("report", cli_cmd_report, "the month as one HTML page with charts, for meetings and audits")
SVL_CLI_COMMAND("projections", cli_cmd_projections, "projection checkpoints, digests and rules")
SVL_CLI_COMMAND("rebuild", cli_cmd_rebuild, "rebuild projections under a rule set, diff, switch")
SVL_CLI_COMMAND("check", cli_cmd_check, "prove the projections equal a fold of the log")
SVL_CLI_COMMAND("export", cli_cmd_export, "every event with every envelope field (NDJSON, msgpack)")
SVL_CLI_COMMAND("import", cli_cmd_import, "an export into a new ledger: same chain, same head")
SVL_CLI_COMMAND("ship", cli_cmd_ship, "publish the ledger's records to a NATS JetStream stream")
SVL_CLI_COMMAND("restore", cli_cmd_restore, "rebuild a store's ledger from its JetStream stream")
SVL_CLI_COMMAND("group", cli_cmd_group, "consume every store's stream into the group ledger's replicas")
SVL_CLI_COMMAND("transfers", cli_cmd_transfers, "parts sent between a group's stores: received, in transit, overdue")
SVL_CLI_COMMAND("demo", cli_cmd_demo, "generate a quarter of the department and tour it")
SVL_CLI_COMMAND("bench", cli_cmd_bench, "measure the engine beside raw limits")
