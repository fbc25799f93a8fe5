"""The Python binding (python/svcledger) against the shared library: the
calls a DMS backend makes, each error class with its C code, the outbox,
and the queries' figures against what the C tool prints from the same
ledger. Run by `make test-python` (part of `make test`)."""
import json
import os
import subprocess
import sys
import threading
import time
import unittest

import support
from support import (FILTER, FILTER_BIN, PADS, STAFF, STOCK, LedgerTest,
                     booking, ndjson)

import svcledger
from svcledger import errors, ledger as ledger_module

EVENT_ID = "0123456789abcdef0123456789abcdef"


class Submit(LedgerTest):
    def test_roster_and_booking_are_appended(self):
        staff = self.ledger.submit_json(ndjson(STAFF))
        self.assertEqual(staff, svcledger.Submitted(9, 9, 0, 1, 9))
        r = self.ledger.submit_json([booking("WO-1")])
        self.assertEqual((r.appended, r.first_seq, r.last_seq), (1, 10, 10))
        self.assertEqual(self.ledger.head()["seq"], 10)
        wo = self.ledger.work_order("WO-1")
        self.assertEqual(svcledger.state_name(wo["state"]), "booked")
        self.assertEqual(wo["customer_id"], "C-1")

    def test_refusal_raises_Refused_with_the_rule_and_appends_nothing(self):
        self.ledger.submit_json(STAFF)
        head = self.ledger.head()
        # line 1 would do, line 2 is refused: E099 holds no role
        with self.assertRaises(svcledger.Refused) as caught:
            self.ledger.submit_json([booking("WO-1"),
                                     booking("WO-2", actor="E099")])
        e = caught.exception
        self.assertEqual((e.rule, e.line, e.code), ("R-ROLE-2", 2,
                                                    errors.EREFUSED))
        self.assertIn("E099", e.message)
        self.assertEqual(e.detail, e.message)
        self.assertIsInstance(e, svcledger.SvcledgerError)
        self.assertEqual(self.ledger.head(), head)
        self.assertIsNone(self.ledger.work_order("WO-1"))

    def test_a_second_booking_of_a_job_is_refused_by_its_rule(self):
        self.ledger.submit_json(STAFF + [booking("WO-1")])
        with self.assertRaises(svcledger.Refused) as caught:
            self.ledger.submit_json([booking("WO-1")])
        self.assertEqual(caught.exception.rule, "R-BKG-2")

    def test_malformed_line_raises_InvalidInput_naming_the_line(self):
        self.ledger.submit_json(STAFF)
        head = self.ledger.head()
        bad = dict(STOCK[2], payload=dict(STOCK[2]["payload"],
                                          qty_milli=-5))
        with self.assertRaises(svcledger.InvalidInput) as caught:
            self.ledger.submit_json(ndjson([STOCK[0], bad]))
        e = caught.exception
        self.assertEqual((e.code, e.line), (errors.EINVAL, 2))
        self.assertIn("line 2", e.detail)
        self.assertIn("qty_milli", e.detail)
        with self.assertRaises(svcledger.InvalidInput) as caught:
            self.ledger.submit_json(ndjson(STOCK[:1]) + "\n{not json\n")
        self.assertEqual(caught.exception.line, 3)
        self.assertEqual(self.ledger.head(), head)

    def test_reused_id_with_other_content_raises_Conflict(self):
        self.ledger.submit_json(STAFF)
        first = booking("WO-1")
        first["id"] = EVENT_ID
        r = self.ledger.submit_json([first])
        again = self.ledger.submit_json([first])  # a retry: a duplicate
        self.assertEqual((again.appended, again.duplicates, again.first_seq),
                         (0, 1, r.first_seq))
        head = self.ledger.head()
        other = booking("WO-1", items="brake squeal")
        other["id"] = EVENT_ID
        with self.assertRaises(svcledger.Conflict) as caught:
            self.ledger.submit_json([booking("WO-2"), other])
        e = caught.exception
        self.assertEqual((e.code, e.line), (errors.ECONFLICT, 2))
        self.assertIn(EVENT_ID, e.detail)
        self.assertEqual(self.ledger.head(), head)

    def test_dry_run_decides_and_appends_nothing(self):
        self.ledger.submit_json(STAFF)
        head = self.ledger.head()
        r = self.ledger.submit_json([booking("WO-1")], dry_run=True)
        self.assertEqual((r.events, r.appended), (1, 0))
        self.assertEqual(self.ledger.head(), head)
        with self.assertRaises(svcledger.Refused):
            self.ledger.submit_json([booking("WO-1", actor="E099")],
                                    dry_run=True)

    def test_each_code_becomes_its_class(self):
        for code, cls in [(errors.EINVAL, svcledger.InvalidInput),
                          (errors.ELIMIT, svcledger.InvalidInput),
                          (errors.ECONFLICT, svcledger.Conflict),
                          (errors.EIO, svcledger.SvcledgerError)]:
            e = errors.error(code, "detail", 3)
            self.assertIs(type(e), cls)
            self.assertEqual((e.code, e.detail, e.line), (code, "detail", 3))
        e = errors.error(errors.EREFUSED, "no", 1, "R-ISS-1")
        self.assertEqual((type(e), e.rule), (svcledger.Refused, "R-ISS-1"))


class Outbox(LedgerTest):
    def setUp(self):
        super().setUp()
        self.ledger.submit_json(STAFF + [booking("WO-1")])

    def test_events_after_yields_every_event_in_order(self):
        events = list(self.ledger.events_after(0))
        self.assertEqual([e.seq for e in events], list(range(1, 11)))
        first, last = events[0], events[-1]
        self.assertEqual((first.type, first.stream, first.actor, first.role),
                         ("staff_role_assigned", "staff-E001", "E001",
                          "service_manager"))
        self.assertEqual(json.loads(first.payload)["role"],
                         "service_manager")
        self.assertEqual((last.type, last.stream, last.stream_version),
                         ("booking_requested", "wo-WO-1", 1))
        self.assertEqual(json.loads(last.payload)["wo_id"], "WO-1")
        self.assertEqual(last.occurred_at_ms, support.JULY_1 + 9 * 3600000)
        self.assertEqual(last.hash, self.ledger.head()["hash"])
        self.assertEqual(len(last.id), 32)
        self.assertIsNone(last.correlation_id)
        self.assertEqual([e.seq for e in self.ledger.events_after(8)],
                         [9, 10])
        self.assertEqual([e.seq for e in self.ledger.events_after(8, 1)],
                         [9])
        self.assertEqual(list(self.ledger.events_after(10)), [])

    def test_pages_join_without_a_seam(self):
        whole = list(self.ledger.events_after(0))
        page = ledger_module.OUTBOX_PAGE
        ledger_module.OUTBOX_PAGE = 3
        try:
            self.assertEqual(list(self.ledger.events_after(0)), whole)
            self.assertEqual(list(self.ledger.events_after(2, 5)),
                             whole[2:7])
        finally:
            ledger_module.OUTBOX_PAGE = page

    def test_wait_returns_when_another_thread_submits(self):
        head = self.ledger.head()["seq"]
        self.assertFalse(self.ledger.wait(head, 50))

        def later():
            time.sleep(0.2)
            self.ledger.submit_json([booking("WO-2")])
        t = threading.Thread(target=later)
        start = time.monotonic()
        t.start()
        try:
            self.assertTrue(self.ledger.wait(head, 10000))
        finally:
            t.join()
        self.assertLess(time.monotonic() - start, 5)
        [new] = self.ledger.events_after(head)
        self.assertEqual(new.stream, "wo-WO-2")

    def test_an_error_in_the_walk_is_raised_after_it(self):
        def boom(record):
            raise KeyError("deliver failed")
        saved = self.ledger._event
        self.ledger._event = boom
        try:
            with self.assertRaises(KeyError):
                list(self.ledger.events_after(0))
        finally:
            self.ledger._event = saved


def ints(d):
    """The int fields of a dict (bools are not the library's)."""
    return {k: v for k, v in d.items()
            if isinstance(v, int) and not isinstance(v, bool)}


@unittest.skipUnless(support.tool(), "the svcledger tool is not built")
class SameFiguresAsTheCTool(LedgerTest):
    """Each query's numbers against `svcledger ... --json`, which prints
    the C API's integers under the C names."""

    def setUp(self):
        super().setUp()
        self.department(job=True)
        self.dir = str(self.tmp / "ledger")

    def assertSameInts(self, ours, theirs, at_least):
        shared = set(ints(ours)) & set(ints(theirs))
        self.assertGreaterEqual(len(shared), at_least, sorted(shared))
        for k in sorted(shared):
            self.assertEqual(ours[k], theirs[k], k)

    def test_work_order(self):
        wo = self.ledger.work_order("WO-1")
        c = support.tool_json("work-order", "WO-1", "-d", self.dir)
        self.assertSameInts(wo, c, 50)
        self.assertEqual(svcledger.state_name(wo["state"]), c["state"])
        self.assertEqual(svcledger.fu_result_name(wo["fu_result"]),
                         c["fu_result"])
        self.assertEqual((wo["advisor_id"], wo["technician_id"]),
                         ("E005", "E021"))
        self.assertEqual(wo["qc_passed"], [0, 0, 0])
        self.assertEqual((wo["total_fen"], wo["paid_fen"],
                          wo["satisfaction_score"]), (128000, 128000, 5))
        steps = self.ledger.work_order_transitions("WO-1")
        self.assertEqual([(t["seq"], t["at_ms"]) for t in steps],
                         [(t["seq"], t["at_ms"])
                          for t in c["transitions_list"]])
        [part] = self.ledger.work_order_parts("WO-1")
        self.assertEqual((part["part_no"], part["issued_milli"]),
                         (FILTER, 1000))
        self.assertEqual(self.ledger.work_order_complaints("WO-1"), [])

    def test_stock_card_now_and_as_of(self):
        card = self.ledger.stock_card(FILTER)
        c = support.tool_json("stock-card", FILTER, "-d", self.dir)
        self.assertEqual((card["part_no"], card["bin"]), (FILTER, FILTER_BIN))
        self.assertSameInts(card["f"], c["figures"], 16)
        self.assertEqual(card["f"]["on_hand_milli"], 6500)
        lines = self.ledger.stock_card_lines(FILTER)
        self.assertEqual(len(lines), card["lines"])
        for ours, theirs in zip(lines, c["lines"]):
            self.assertSameInts(ours, theirs, 9)
        issued = next(x["seq"] for x in lines if x["out_milli"])
        before = issued - 1  # both lots shelved, the filter not yet issued
        then = self.ledger.stock_card(FILTER, seq=before)
        c = support.tool_json("stock-card", FILTER, "-d", self.dir,
                              "--as-of", str(before))
        self.assertSameInts(then["f"], c["figures"], 16)
        self.assertEqual(then["f"]["on_hand_milli"], 7500)
        july_4 = support.JULY_1 + 3 * 86400000
        self.assertEqual(self.ledger.stock_card(
            FILTER, occurred_at_ms=july_4)["f"]["on_hand_milli"], 7500)
        now = self.ledger.head()["recorded_at_ms"]
        self.assertEqual(self.ledger.stock_card(FILTER, known_at_ms=now)["f"],
                         card["f"])
        self.assertIsNone(self.ledger.stock_card(FILTER, seq=1))
        self.assertIsNone(self.ledger.stock_card("NO-SUCH-PART"))
        with self.assertRaises(ValueError):
            self.ledger.stock_card(FILTER, seq=1, known_at_ms=now)

    def test_stock_cards(self):
        cards = self.ledger.stock_cards()
        c = support.tool_json("stock-cards", "-d", self.dir)
        self.assertEqual([k["part_no"] for k in cards], sorted([FILTER, PADS]))
        self.assertEqual(len(c["cards"]), len(cards))
        for ours, theirs in zip(cards, c["cards"]):
            self.assertEqual(ours["part_no"], theirs["part_no"])
            self.assertSameInts(ours["f"], theirs["figures"], 16)
        pads = next(k for k in cards if k["part_no"] == PADS)
        self.assertEqual((pads["f"]["on_hand_milli"],
                          pads["f"]["quarantined_milli"]), (3000, 1000))

    def test_work_orders_filtered(self):
        self.ledger.submit_json([booking("WO-2")])
        ids = lambda **f: [w["wo_id"] for w in self.ledger.work_orders(**f)]
        self.assertEqual(ids(), ["WO-1", "WO-2"])
        self.assertEqual(ids(state="booked"), ["WO-2"])
        self.assertEqual(ids(advisor_id="E005"), ["WO-1"])
        self.assertEqual(ids(technician_id="E021", state="closed"),
                         ["WO-1"])
        self.assertEqual(ids(technician_id="E021", state="booked"), [])
        july_2 = support.JULY_1 + 86400000
        self.assertEqual(ids(date="delivered", from_ms=july_2,
                             to_ms=july_2 + 86400000), ["WO-1"])
        self.assertEqual(ids(date="booked", from_ms=july_2,
                             to_ms=july_2 + 86400000), [])
        c = support.tool_json("work-orders", "-d", self.dir)
        mine = self.ledger.work_orders()
        self.assertEqual(len(c["work_orders"]), len(mine))
        for ours, theirs in zip(mine, c["work_orders"]):
            self.assertSameInts(ours, theirs, 50)
        with self.assertRaises(ValueError):
            self.ledger.work_orders(state="lost")

    def test_pages_lookups_and_documents(self):
        self.ledger.submit_json([booking("WO-2"), booking("WO-3")])
        first = self.ledger.work_orders_page(2)
        self.assertEqual([w["wo_id"] for w in first["items"]],
                         ["WO-1", "WO-2"])
        self.assertEqual(first["total"], 3)
        rest = self.ledger.work_orders_page(2, after=first["next"])
        self.assertEqual([w["wo_id"] for w in rest["items"]], ["WO-3"])
        self.assertEqual(rest["next"], "")
        wo1 = self.ledger.work_order("WO-1")
        self.assertEqual([w["wo_id"] for w in self.ledger.work_orders(
            customer_id=wo1["customer_id"], state="closed")], ["WO-1"])
        self.ledger.submit_json([{
            "type": "pick_requested", "actor": "E021", "role": "technician",
            "occurred_at": "2026-07-05T10:00:00+08:00",
            "payload": {"pick_id": "PK-9", "wo_id": "WO-1",
                        "purpose": "repair",
                        "lines": [{"part_no": FILTER, "qty_milli": 1000}]}}],
            roles_only=True)
        c = support.tool_json("documents", "--state", "all", "-d", self.dir)
        docs = self.ledger.documents(state="all")
        self.assertEqual(docs["total"], c["total"])
        self.assertEqual([(d["kind"], d["state"]) for d in docs["items"]],
                         [(ledger_module.lib().svl_doc_kind_find(
                             x["kind"].encode(), len(x["kind"])),
                           ledger_module.lib().svl_doc_state_find(
                             x["state"].encode(), len(x["state"])))
                          for x in c["documents"]])
        pick = next(d for d in docs["items"] if d["wo_id"] == "WO-1")
        self.assertEqual(pick["id"], "PK-9")
        self.assertEqual(self.ledger.document("pick", pick["id"])["state"],
                         pick["state"])
        self.assertIsNone(self.ledger.document("pick", "NO-SUCH"))
        with self.assertRaises(ValueError):
            self.ledger.documents(kind="invoice")

    def test_a_snapshot_reads_one_moment(self):
        with self.ledger.snapshot():
            before = len(self.ledger.work_orders())
            self.ledger.submit_json([booking("WO-9")])
            self.assertEqual(len(self.ledger.work_orders()), before)
        self.assertEqual(len(self.ledger.work_orders()), before + 1)

    def test_report_is_the_tools_page(self):
        july = (support.JULY_1, support.JULY_1 + 31 * 86400000)
        page = self.ledger.report(from_ms=july[0], to_ms=july[1])
        self.assertTrue(page.startswith(b"<!DOCTYPE html>"))
        self.assertIn(b'<section id="kpi"', page)
        out = subprocess.run([support.tool(), "report", "-d", self.dir,
                              "--period", "2026-07", "-o", "-"],
                             capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(page, out.stdout)
        zh = self.ledger.report(from_ms=july[0], to_ms=july[1],
                                lang="zh-CN")
        self.assertIn('<html lang="zh-CN">'.encode(), zh)
        with self.assertRaises(errors.SvcledgerError) as e:
            self.ledger.report(from_ms=july[1], to_ms=july[0])
        self.assertIn("end after", str(e.exception))

    def test_metrics(self):
        [day] = self.ledger.metrics("day")
        self.assertEqual((day["label"], day["key"]), ("2026-07-02", ""))
        self.assertEqual((day["c"]["delivered"], day["c"]["fu_reached"],
                          day["c"]["on_time"]), (1, 1, 1))
        self.assertEqual(day["r"]["satisfaction_permille"], 1000)
        c = support.tool_json("metrics", "--period", "day", "-d", self.dir)
        [row] = c["rows"]
        self.assertSameInts(day, row, 2)  # period_day, period_start_ms
        self.assertSameInts(day["c"], row["counters"], 23)
        self.assertSameInts(day["r"], row["ratios"], 10)
        [adv] = self.ledger.metrics("month", "advisor")
        self.assertEqual((adv["label"], adv["key"]), ("2026-07", "E005"))
        july = support.JULY_1
        june = july - 30 * 86400000
        self.assertEqual(self.ledger.metrics("week", from_ms=june,
                                             to_ms=june + 1), [])
        [week] = self.ledger.metrics("week", from_ms=july, to_ms=july + 1)
        self.assertEqual(week["label"], "2026-W27")
        with self.assertRaises(ValueError):
            self.ledger.metrics("year")
        with self.assertRaises(svcledger.InvalidInput):
            self.ledger.metrics("day", from_ms=july, to_ms=july)


class Lifecycle(LedgerTest):
    def test_verify_and_backup(self):
        self.department()
        report = self.ledger.verify()
        head = self.ledger.head()
        self.assertEqual((report["ok"], report["events"], report["head"]),
                         (1, head["seq"], head))
        copy = self.tmp / "copy"
        made = self.ledger.backup(copy)
        self.assertEqual((made["ok"], made["head"]), (1, head))
        with self.assertRaises(svcledger.SvcledgerError) as caught:
            self.ledger.backup(copy)
        self.assertEqual(caught.exception.code, errors.EEXISTS)
        with svcledger.Ledger.open(copy) as restored:
            self.assertEqual(restored.head(), head)
            self.assertEqual(restored.stock_card(FILTER),
                             self.ledger.stock_card(FILTER))

    def test_a_closed_ledger_refuses_calls(self):
        with svcledger.Ledger.open(self.tmp / "other", create=True) as l:
            self.assertEqual(l.head()["seq"], 0)
        with self.assertRaises(svcledger.SvcledgerError) as caught:
            l.head()
        self.assertEqual(caught.exception.code, errors.EMISUSE)
        l.close()  # twice is harmless

    def test_open_reports_the_c_code(self):
        with self.assertRaises(svcledger.SvcledgerError) as caught:
            svcledger.Ledger.open(self.tmp / "absent")
        self.assertEqual(caught.exception.code, errors.ENOTFOUND)
        self.assertTrue(caught.exception.detail)
        with self.assertRaises(svcledger.SvcledgerError) as caught:
            svcledger.Ledger.open(self.tmp / "ledger")  # open here already
        self.assertEqual(caught.exception.code, errors.EBUSY)

    def test_rules_of_a_new_ledger(self):
        strict = {"id": "strict", "satisfaction_threshold": 5}
        with svcledger.Ledger.open(self.tmp / "s", create=True,
                                   rules=strict) as l:
            self.assertEqual(l.rules()["id"], "strict")
            self.assertEqual(l.rules()["satisfaction_threshold"], 5)
        with self.assertRaises(svcledger.InvalidInput) as caught:
            svcledger.Ledger.open(self.tmp / "t", create=True,
                                  rules='{"id": "x", "colour": 1}')
        self.assertIn("colour", caught.exception.detail)
        self.assertEqual(self.ledger.rules()["id"], "default")


def run_python(code, **env):
    """Run code in a fresh interpreter (the library is loaded once per
    process), with env added."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, timeout=60,
                          env=dict(os.environ, **env))


class Loading(unittest.TestCase):
    def test_the_library_is_the_expected_major(self):
        self.assertEqual(svcledger.version().split(".")[0],
                         str(svcledger.MAJOR))

    def test_a_missing_library_says_where_it_looked(self):
        out = run_python("import svcledger; svcledger.version()",
                         SVCLEDGER_LIB="/nonexistent/libsvcledger.so.1")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("LibraryError", out.stderr)
        self.assertIn("/nonexistent/libsvcledger.so.1", out.stderr)

    @unittest.skipUnless(support.compiler(), "no C compiler")
    def test_another_major_is_refused(self):
        tmp = support.Path(support.tempfile.mkdtemp(prefix="svl-py-"))
        try:
            (tmp / "v2.c").write_text("int svl_version(void);\n"
                                      "int svl_version(void) "
                                      "{ return 20000; }\n")
            subprocess.run(support.compiler() + ["-shared", "-fPIC", "-o",
                            str(tmp / "v2.so"), str(tmp / "v2.c")],
                           check=True)
            out = run_python("import svcledger; svcledger.version()",
                             SVCLEDGER_LIB=str(tmp / "v2.so"))
            self.assertIn("libsvcledger 2.0.0", out.stderr)
            self.assertIn("major 1", out.stderr)
        finally:
            support.shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
