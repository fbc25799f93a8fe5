"""What the binding's tests share: where the source tree is, a fresh
ledger per test, the C tool for cross-checks, and the department's
commands in July 2026 (UTC+08:00), the scenario tests/cli_fixture.c builds
for the CLI tests: nine staff, job WO-1 from booking to a reached
follow-up, two parts on their bins, one filter issued to WO-1.

The package is imported from python/ of this tree unless PYTHONPATH
already names one (make test-python sets both it and SVCLEDGER_LIB).
"""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if not any(Path(p, "svcledger", "__init__.py").is_file()
           for p in sys.path if p):
    sys.path.insert(0, str(ROOT / "python"))

import svcledger  # noqa: E402


def cmd(type_, actor, role, at, payload, **envelope):
    """One command; `at` is "DDTHH:MM" of July 2026, local time."""
    c = {"type": type_, "actor": actor, "role": role,
         "occurred_at": "2026-07-%s:00+08:00" % at, "payload": payload}
    c.update(envelope)
    return c


def ndjson(commands):
    return "".join(json.dumps(c) + "\n" for c in commands)


JULY_1 = 1782835200000  # 2026-07-01T00:00+08:00

STAFF = [cmd("staff_role_assigned", "E001", "service_manager", "01T08:00",
             {"staff_id": who, "role": role, "from_at_ms": JULY_1})
         for who, role in [("E001", "service_manager"),
                           ("E010", "parts_manager"),
                           ("E012", "warehouse_keeper"),
                           ("E005", "service_advisor"),
                           ("E006", "service_advisor"),
                           ("E020", "customer_service"),
                           ("E021", "technician"),
                           ("E030", "workshop_manager"),
                           ("E040", "cashier")]]


def booking(wo_id, items="45,000 km service", actor="E020"):
    return cmd("booking_requested", actor, "customer_service", "01T09:00",
               {"wo_id": wo_id, "customer_id": "C-1", "owner_name": "Li Wei",
                "phone": "13800138000", "plate": "B-12345",
                "target": "maintenance_due", "job_kind": "maintenance",
                "items": items, "wanted_at_ms": 1782954000000})


def _keeper(type_, at, payload):
    return cmd(type_, "E012", "warehouse_keeper", at, payload)


FILTER, FILTER_BIN = "90915-YZZD4", "W1-A03-2-05"
PADS, PADS_BIN = "04465-06240", "W1-A03-2-06"

STOCK = [
    _keeper("bin_assigned", "01T09:00", {
        "part_no": FILTER, "bin": FILTER_BIN, "description": "oil filter",
        "unit": "piece"}),
    _keeper("bin_assigned", "01T09:05", {
        "part_no": PADS, "bin": PADS_BIN,
        "description": "front brake pads", "unit": "set"}),
    _keeper("parts_shelved", "02T09:00", {
        "part_no": FILTER, "bin": FILTER_BIN, "qty_milli": 5000,
        "unit_cost_fen": 6800, "supplier_id": "SUP-9"}),
    _keeper("parts_shelved", "02T10:00", {
        "part_no": PADS, "bin": PADS_BIN, "qty_milli": 4000,
        "unit_cost_fen": 46000, "supplier_id": "SUP-2"}),
    _keeper("parts_shelved", "03T09:00", {
        "part_no": FILTER, "bin": FILTER_BIN, "qty_milli": 2500,
        "unit_cost_fen": 7100, "supplier_id": "SUP-9"}),
    _keeper("parts_quarantined", "03T11:00", {
        "part_no": PADS, "bin": PADS_BIN, "qty_milli": 1000,
        "reason": "cracked backing plate"}),
]

# Recorded with roles_only, as the CLI fixture does: the pick list and its
# signatures are the deciders' tests' business.
ISSUE = [_keeper("parts_issued", "04T10:00", {
    "part_no": FILTER, "bin": FILTER_BIN, "qty_milli": 1000,
    "pick_id": "PK-1", "wo_id": "WO-1"})]


def _adv(type_, at, payload):
    return cmd(type_, "E005", "service_advisor", at, payload)


_WO1 = {"wo_id": "WO-1"}
PROMISED_MS = 1782982800000  # 07-02 17:00

# WO-1 after its booking, to a reached follow-up (roles_only: the
# workshop's order is the deciders' tests' business).
JOB = [
    _adv("vehicle_received", "02T09:00", dict(
        _WO1, customer_id="C-1", plate="B-12345", job_kind="maintenance",
        mileage_km=45210, fuel_pct=40, covers_laid=3, first_visit=False,
        fault_description="service", customer_confirmed=True)),
    _adv("quote_issued", "02T09:30", dict(
        _WO1, labor=[], parts=[], total_fen=128000,
        promised_at_ms=PROMISED_MS, customer_agreed=True)),
    _adv("work_order_confirmed", "02T09:40", dict(
        _WO1, quote_revision=1, customer_signed=True, total_fen=128000,
        promised_at_ms=PROMISED_MS)),
    cmd("work_dispatched", "E030", "workshop_manager", "02T10:00", dict(
        _WO1, technician_id="E021", bay="B1", est_labor_min=120)),
    cmd("work_completed", "E021", "technician", "02T13:00", dict(
        _WO1, technician_id="E021", labor_min=150)),
    _adv("settlement_issued", "02T15:00", dict(
        _WO1, labor_fen=60000, parts_fen=68000, materials_fen=0,
        total_fen=128000, customer_signed=True)),
    cmd("payment_received", "E040", "cashier", "02T15:10", dict(
        _WO1, amount_fen=128000, method="wechat_pay")),
    _adv("vehicle_delivered", "02T15:30", dict(
        _WO1, old_parts="returned_to_customer", valuables_returned=True,
        next_service_date="2027-01-02", next_service_mileage_km=50000)),
    cmd("followup_attempted", "E020", "customer_service", "04T10:00", dict(
        _WO1, called_at_ms=1783130400000, outcome="reached",
        satisfaction_score=5)),
]


class LedgerTest(unittest.TestCase):
    """A fresh ledger in a temporary directory per test: self.ledger."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="svl-py-"))
        self.ledger = svcledger.Ledger.open(self.tmp / "ledger", create=True)

    def tearDown(self):
        self.ledger.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def department(self, job=False):
        """Staff, the booking of WO-1, stock and the issue; with job, WO-1
        on to its follow-up."""
        self.ledger.submit_json(STAFF)
        self.ledger.submit_json([booking("WO-1")])
        self.ledger.submit_json(STOCK)
        self.ledger.submit_json(ISSUE, roles_only=True)
        if job:
            self.ledger.submit_json(JOB, roles_only=True)


def tool():
    """The svcledger tool built beside the library ($SVCLEDGER_TOOL, else
    next to $SVCLEDGER_LIB, else build/), or None."""
    given = os.environ.get("SVCLEDGER_TOOL")
    lib = os.environ.get("SVCLEDGER_LIB")
    for p in ([given] if given else []) + (
            [str(Path(lib).parent / "svcledger")] if lib else []) + [
            str(ROOT / "build" / "svcledger")]:
        if os.access(p, os.X_OK):
            return p
    return None


def tool_json(*args):
    """Run the C tool read-only on a ledger; its --json output, parsed."""
    out = subprocess.run([tool(), *args, "--json"], capture_output=True,
                         text=True, timeout=60)
    if out.returncode:
        raise AssertionError("svcledger %s: %s" % (" ".join(args),
                                                   out.stderr))
    return json.loads(out.stdout)


def compiler():
    """The C compiler for probes ($CC, else cc) as a command list, or
    None."""
    words = shlex.split(os.environ.get("CC") or "cc")
    return words if words and shutil.which(words[0]) else None
