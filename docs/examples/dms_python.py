# dms_python.py - the example of docs/embedding.md, "From Python", run by
# `make test` (tests/python/test_example.py). Usage: dms_python.py LEDGER_DIR
import sys, svcledger

def cmd(type, who, **payload):  # one NDJSON command (docs/events.md); who: actor, role
    return {"type": type, "actor": who[0], "role": who[1],
            "occurred_at": "2026-10-01T09:30:00+08:00", "payload": payload}

def appoint(staff, role):       # the service manager gives someone a role
    return cmd("staff_role_assigned", ("E001", "service_manager"), staff_id=staff,
               role=role, from_at_ms=1790812800000)

booking = cmd("booking_requested", ("E013", "customer_service"), wo_id="WO-1001",
              customer_id="C-88213", owner_name="Li Wei", phone="13800138000",
              target="customer_request", job_kind="repair", items="brake squeal",
              wanted_at_ms=1790841600000)

with svcledger.Ledger.open(sys.argv[1], create=True) as ledger:
    ledger.submit_json([appoint("E001", "service_manager")])
    try:
        ledger.submit_json([booking])      # E013 holds no role yet
    except svcledger.Refused as e:         # ... so nothing was written
        print("refused by", e.rule, "on line", e.line)
    ledger.submit_json([appoint("E013", "customer_service"), booking])
    print("WO-1001 is", svcledger.state_name(ledger.work_order("WO-1001")["state"]))
    for ev in ledger.events_after(0):      # the outbox: keep ev.seq with your commit
        print(ev.seq, ev.type, ev.stream, ev.payload)
