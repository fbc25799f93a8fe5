/*
 * dms_trust.c - keys, a tablet signature and the month-end seal, as a
 * dealer management system (DMS) does them with libsvcledger
 * (docs/trust.md, docs/embedding.md section 9).
 *
 *   cc dms_trust.c $(pkg-config --cflags --libs svcledger) -o dms-trust
 *   ./dms-trust /var/lib/dms/ledger-trust
 *
 * 1. The service manager registers two staff keys: his own (he seals)
 *    and the warehouse keeper's tablet key (she signs picks).
 * 2. On the tablet, the keeper's three-party signature of a pick (R-ISS-3)
 *    is signed with her key before it is submitted: she cannot later say
 *    she never signed these lines, and no one can sign in her name.
 * 3. At month end the service manager seals the ledger; the seal line goes
 *    to the auditor; the auditor's check passes.
 * In a real DMS each secret key lives with its holder (the tablet's key
 * store, the manager's workstation); here both are generated in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <svcledger.h>

#define EV(type, actor, role, ms, payload)                                   \
	"{\"type\":\"" type "\",\"actor\":\"" actor "\",\"role\":\"" role    \
	"\",\"occurred_at_ms\":" ms ",\"payload\":" payload "}\n"

static const char setup[] =
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E001\",\"role\":\"service_manager\","
	   "\"from_at_ms\":1782835200000}")
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E012\",\"role\":\"warehouse_keeper\","
	   "\"from_at_ms\":1782835200000}")
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E020\",\"role\":\"parts_manager\","
	   "\"from_at_ms\":1782835200000}")
	EV("bin_assigned", "E012", "warehouse_keeper", "1790755200001",
	   "{\"part_no\":\"04465-YZZR4\",\"bin\":\"W1-A02-3-04\","
	   "\"description\":\"brake pads, front\",\"unit\":\"set\"}")
	EV("pick_requested", "E020", "parts_manager", "1790841600000",
	   "{\"pick_id\":\"PK-7001\",\"purpose\":\"internal\",\"lines\":"
	   "[{\"part_no\":\"04465-YZZR4\",\"qty_milli\":1000}]}")
	EV("pick_signed", "E020", "parts_manager", "1790841603000",
	   "{\"pick_id\":\"PK-7001\",\"signed_as\":\"outbound_approval\"}")
	EV("pick_signed", "E020", "parts_manager", "1790841605000",
	   "{\"pick_id\":\"PK-7001\",\"signed_as\":\"issue_parts_manager\","
	   "\"counted\":true}");

/* The keeper's signature, as the tablet builds it before signing. */
static const char keeper_signs[] =
	EV("pick_signed", "E012", "warehouse_keeper", "1790841606000",
	   "{\"pick_id\":\"PK-7001\",\"signed_as\":\"issue_keeper\","
	   "\"counted\":true}");

static int submit_json(svl_ledger *l, const char *what, const char *ndjson)
{
	svl_submit_result r;
	int rc = svl_ledger_submit_json(l, ndjson, strlen(ndjson), 0, &r);
	if (rc != SVL_OK)
		fprintf(stderr, "%s: %s: %s\n", what, svl_strerror(rc),
			r.message);
	return rc;
}

/* 1. A manager registers a person's public key. */
static int register_key(svl_ledger *l, const char *staff,
			const svl_keypair *k)
{
	char hex[2 * SVL_PUBLIC_KEY_SIZE + 1], line[512];
	svl_key_hex(k->public_key, hex);
	snprintf(line, sizeof line,
		 EV("staff_key_registered", "E001", "service_manager",
		    "1782835200000",
		    "{\"staff_id\":\"%s\",\"public_key\":\"%s\","
		    "\"from_at_ms\":1782835200000}"),
		 staff, hex);
	return submit_json(l, "register key", line);
}

/* 2. The tablet: parse the command, sign it with the keeper's key, submit. */
static int tablet_sign(svl_ledger *l, const svl_keypair *keeper)
{
	static uint8_t buf[2 * SVL_EVENT_ARENA_MIN];
	svl_event_arena arena = {buf, sizeof buf, 0};
	svl_event_error err;
	svl_event_in ev;
	svl_submit_result r;
	int rc = svl_event_input_json(&ev, &arena, keeper_signs,
				      strlen(keeper_signs) - 1, &err);
	if (rc == SVL_OK)
		rc = svl_sign_command(svl_ledger_log(l), &ev, &arena, keeper,
				      &err);
	if (rc != SVL_OK) {
		fprintf(stderr, "sign: %s %s\n", err.path, err.msg);
		return rc;
	}
	rc = svl_ledger_submit(l, &ev, 1, 0, NULL, &r);
	printf("keeper's signed pick signature: %s\n",
	       rc == SVL_OK ? "accepted" : r.message);
	return rc;
}

/* 3. Month end: seal, hand the line to the auditor, who checks it. */
static int month_end(svl_ledger *l, const svl_keypair *manager)
{
	svl_seal_options o = SVL_SEAL_OPTIONS_INIT; /* sealer: the key's owner */
	svl_seal seal;
	svl_submit_result r;
	svl_trust_report rep;
	char line[1024];
	int rc = svl_seal_append(l, manager, &o, &seal, &r);
	if (rc != SVL_OK) {
		fprintf(stderr, "seal: %s\n", r.message);
		return rc;
	}
	svl_seal_to_json(&seal, line, sizeof line);
	printf("seal for the auditor: %.100s...\n", line);
	/* the auditor: the seal line, the manager's public key, the ledger */
	svl_seal copy;
	rc = svl_seal_from_json(&copy, line, strlen(line), NULL, 0);
	if (rc == SVL_OK)
		rc = svl_seal_verify(svl_ledger_log(l), &copy, 1,
				     manager->public_key, 1, &rep);
	if (rc == SVL_OK)
		printf("auditor: seq %llu..%llu %s\n",
		       (unsigned long long)copy.from_seq,
		       (unsigned long long)copy.to_seq,
		       rep.ok ? "unchanged since sealed" : rep.problem);
	return rc == SVL_OK && !rep.ok ? SVL_ECORRUPT : rc;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "./dms-trust-ledger";
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE;
	svl_ledger *l;
	svl_keypair manager, keeper;
	if (svl_ledger_open(&l, dir, &o) != SVL_OK) {
		fprintf(stderr, "open %s: %s\n", dir, svl_log_last_error());
		return 1;
	}
	int rc = svl_key_generate(&manager);
	if (rc == SVL_OK)
		rc = svl_key_generate(&keeper);
	if (rc == SVL_OK)
		rc = submit_json(l, "setup", setup);
	if (rc == SVL_OK)
		rc = register_key(l, "E001", &manager);
	if (rc == SVL_OK)
		rc = register_key(l, "E012", &keeper);
	if (rc == SVL_OK)
		rc = tablet_sign(l, &keeper);
	if (rc == SVL_OK)
		rc = month_end(l, &manager);
	svl_trust_report t;
	if (rc == SVL_OK && (rc = svl_trust_check(svl_ledger_log(l), &t)) ==
				SVL_OK)
		printf("ledger: %zu signature verified, sealed through seq "
		       "%llu\n",
		       t.signatures, (unsigned long long)t.sealed_through);
	svl_keypair_wipe(&manager);
	svl_keypair_wipe(&keeper);
	svl_ledger_close(l);
	return rc == SVL_OK ? 0 : 1;
}
