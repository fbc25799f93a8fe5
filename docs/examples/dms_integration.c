/*
 * dms_integration.c - how a dealer management system (DMS) uses
 * libsvcledger: open a ledger, submit the department's commands, handle a
 * refusal, show a customer's jobs a page at a time beside a stock card
 * (one read snapshot), take a verified backup while open, and follow the
 * log for an outbox.
 *
 *   cc dms_integration.c $(pkg-config --cflags --libs svcledger) -o dms
 *   ./dms /var/lib/dms/ledger
 *
 * Every command is one NDJSON line: the event type, who does it in which
 * role, when it happened, and its payload (docs/events.md). The ledger
 * decides it against the department's rules (docs/rules.md) and appends it
 * with the projections, or refuses it naming the rule; nothing is ever
 * half-written.
 */
#include <stdio.h>
#include <string.h>

#include <svcledger.h>

/* Submit commands; on failure print which line and why. */
static int submit(svl_ledger *l, const char *what, const char *ndjson)
{
	svl_submit_result r;
	int rc = svl_ledger_submit_json(l, ndjson, strlen(ndjson), 0, &r);
	if (rc == SVL_OK) {
		printf("%-28s appended %zu, already there %zu (seq %llu..%llu)\n",
		       what, r.appended, r.duplicates,
		       (unsigned long long)r.first_seq,
		       (unsigned long long)r.last_seq);
	} else if (rc == SVL_EREFUSED) {
		/* a business rule said no: show it to the user, change nothing */
		printf("%-28s refused by %s: %s\n", what, r.rule, r.message);
	} else {
		fprintf(stderr, "%s: %s: %s\n", what, svl_strerror(rc),
			r.message);
	}
	return rc;
}

#define EV(type, actor, role, ms, payload)                                   \
	"{\"type\":\"" type "\",\"actor\":\"" actor "\",\"role\":\"" role    \
	"\",\"occurred_at_ms\":" ms ",\"payload\":" payload "}\n"

/* The people of the after-sales department (the first manager appoints
 * the others; from then on only a manager may). */
static const char staff[] =
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E001\",\"role\":\"service_manager\","
	   "\"from_at_ms\":1782835200000,\"name\":\"Liu Qiang\"}")
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E010\",\"role\":\"service_advisor\","
	   "\"from_at_ms\":1782835200000}")
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E013\",\"role\":\"customer_service\","
	   "\"from_at_ms\":1782835200000}")
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E020\",\"role\":\"parts_manager\","
	   "\"from_at_ms\":1782835200000}")
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E012\",\"role\":\"warehouse_keeper\","
	   "\"from_at_ms\":1782835200000}")
	EV("staff_role_assigned", "E001", "service_manager", "1782835200000",
	   "{\"staff_id\":\"E021\",\"role\":\"technician\","
	   "\"from_at_ms\":1782835200000}");

static const char booking[] = EV(
	"booking_requested", "E013", "customer_service", "1790755200000",
	"{\"wo_id\":\"WO-1001\",\"customer_id\":\"C-88213\",\"owner_name\":"
	"\"Li Wei\",\"phone\":\"13800138000\",\"target\":\"customer_request\","
	"\"job_kind\":\"repair\",\"items\":\"brake squeal\","
	"\"wanted_at_ms\":1790841600000}");

static const char stock[] =
	EV("bin_assigned", "E012", "warehouse_keeper", "1790755200001",
	   "{\"part_no\":\"04465-YZZR4\",\"bin\":\"W1-A02-3-04\","
	   "\"description\":\"brake pads, front\",\"unit\":\"set\"}")
	EV("parts_shelved", "E012", "warehouse_keeper", "1790755200002",
	   "{\"part_no\":\"04465-YZZR4\",\"bin\":\"W1-A02-3-04\","
	   "\"qty_milli\":6000,\"unit_cost_fen\":28500}");

/* A parts issue: the request, the requisition signatures (R-ISS-4), the
 * parts manager's approval (R-ISS-1), the old part back first (R-ISS-5),
 * three different people counting and signing (R-ISS-3), then the issue. */
static const char issue[] =
	EV("pick_requested", "E021", "technician", "1790841600000",
	   "{\"pick_id\":\"PK-5001\",\"wo_id\":\"WO-1001\",\"purpose\":"
	   "\"repair\",\"lines\":[{\"part_no\":\"04465-YZZR4\","
	   "\"qty_milli\":1000}]}")
	EV("pick_signed", "E021", "technician", "1790841601000",
	   "{\"pick_id\":\"PK-5001\",\"signed_as\":\"requisition_technician\"}")
	EV("pick_signed", "E010", "service_advisor", "1790841602000",
	   "{\"pick_id\":\"PK-5001\",\"signed_as\":\"requisition_advisor\"}")
	EV("pick_signed", "E020", "parts_manager", "1790841603000",
	   "{\"pick_id\":\"PK-5001\",\"signed_as\":\"outbound_approval\"}")
	EV("old_part_returned", "E021", "technician", "1790841604000",
	   "{\"wo_id\":\"WO-1001\",\"part_no\":\"04465-YZZR4\","
	   "\"qty_milli\":1000,\"warranty\":false}")
	EV("pick_signed", "E020", "parts_manager", "1790841605000",
	   "{\"pick_id\":\"PK-5001\",\"signed_as\":\"issue_parts_manager\","
	   "\"counted\":true}")
	EV("pick_signed", "E012", "warehouse_keeper", "1790841606000",
	   "{\"pick_id\":\"PK-5001\",\"signed_as\":\"issue_keeper\","
	   "\"counted\":true}")
	EV("pick_signed", "E021", "technician", "1790841607000",
	   "{\"pick_id\":\"PK-5001\",\"signed_as\":\"issue_picker\","
	   "\"counted\":true}")
	EV("parts_issued", "E012", "warehouse_keeper", "1790841608000",
	   "{\"part_no\":\"04465-YZZR4\",\"bin\":\"W1-A02-3-04\","
	   "\"qty_milli\":1000,\"pick_id\":\"PK-5001\",\"wo_id\":\"WO-1001\"}");

/* The same set issued again on the same pick: more than was requested. */
static const char again[] =
	EV("parts_issued", "E012", "warehouse_keeper", "1790841609000",
	   "{\"part_no\":\"04465-YZZR4\",\"bin\":\"W1-A02-3-04\","
	   "\"qty_milli\":1000,\"pick_id\":\"PK-5001\",\"wo_id\":\"WO-1001\"}");

static void print_card(svl_ledger *l, const char *part)
{
	svl_stock_card c;
	int rc = svl_stock_card_get(l, part, NULL, NULL, &c);
	if (rc != SVL_OK) {
		fprintf(stderr, "stock card: %s\n", svl_ledger_errmsg(l));
		return;
	}
	printf("stock card %s @ %s: on hand %.3f, value %.2f yuan, issued to "
	       "open jobs %.3f, %llu lines\n",
	       c.part_no, c.bin, (double)c.f.on_hand_milli / 1000.0,
	       (double)c.f.value_fen / 100.0,
	       (double)c.f.unsettled_issued_milli / 1000.0,
	       (unsigned long long)c.lines);
}

/* One row of the reception screen's job list. */
static int add_row(const svl_work_order *wo, void *payload)
{
	(void)payload;
	printf("  job %s: %s, plate %s, customer %s\n", wo->wo_id,
	       svl_wo_state_name(wo->state), wo->plate[0] ? wo->plate : "-",
	       wo->customer_id);
	return 0;
}

/* The reception screen: a customer's jobs a page at a time, with the
 * stock of the part they wait for, all read at one moment. */
static int screen(svl_ledger *l, const char *customer, const char *part)
{
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	svl_page p = SVL_PAGE_INIT;
	f.customer_id = customer;
	p.limit = 20;
	int rc = svl_ledger_read_begin(l);
	if (rc != SVL_OK)
		return rc;
	rc = svl_work_orders_page(l, &f, &p, add_row, NULL);
	if (rc == SVL_OK) {
		printf("customer %s: %zu of %zu jobs%s\n", customer, p.returned,
		       p.total, p.next[0] ? " (more pages)" : "");
		print_card(l, part);
	}
	svl_ledger_read_end(l);
	return rc;
}

/* The nightly backup: a verified copy, taken while the DMS keeps writing. */
static int backup(svl_ledger *l, const char *dir)
{
	char to[4096];
	svl_verify_report rep;
	snprintf(to, sizeof to, "%s-backup", dir);
	int rc = svl_ledger_backup(l, to, 0, &rep);
	if (rc == SVL_OK)
		printf("backup verified: %llu events in %s\n",
		       (unsigned long long)rep.events, to);
	else
		fprintf(stderr, "backup: %s\n", svl_ledger_errmsg(l));
	return rc;
}

/* An outbox: hand every event after the last one delivered to the DMS. */
static int deliver(const svl_record *r, void *payload)
{
	const svl_event_type *t = svl_event_type_get(r->type);
	(*(int *)payload)++;
	if (r->seq > 6) /* the staff are not interesting here */
		printf("  outbox seq %llu: %s on %.*s\n",
		       (unsigned long long)r->seq, t ? t->name : "?",
		       (int)r->stream_len, r->stream);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "./dms-ledger";
	if (svl_version() != SVL_VERSION_NUMBER)
		fprintf(stderr, "warning: built against %s, running %s\n",
			SVL_VERSION_STRING, svl_version_string());
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE;
	svl_ledger *l;
	if (svl_ledger_open(&l, dir, &o) != SVL_OK) {
		fprintf(stderr, "open %s: %s\n", dir, svl_log_last_error());
		return 1;
	}
	int rc = submit(l, "staff", staff);
	if (rc == SVL_OK)
		rc = submit(l, "booking", booking);
	if (rc == SVL_OK)
		rc = submit(l, "stock received", stock);
	if (rc == SVL_OK)
		rc = submit(l, "parts issue", issue);
	if (rc == SVL_OK && submit(l, "second issue", again) != SVL_EREFUSED)
		rc = SVL_EINVAL; /* it must be refused: R-ISS-1 */
	if (rc == SVL_OK)
		rc = screen(l, "C-88213", "04465-YZZR4");
	if (rc == SVL_OK)
		rc = backup(l, dir);
	if (rc == SVL_OK) {
		int n = 0;
		uint64_t last = 0;
		rc = svl_ledger_events_after(l, 0, 0, deliver, &n, &last);
		printf("outbox delivered %d events, up to seq %llu\n", n,
		       (unsigned long long)last);
	}
	svl_ledger_close(l);
	return rc == SVL_OK ? 0 : 1;
}
