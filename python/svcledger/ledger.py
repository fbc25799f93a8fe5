"""Ledger: one open libsvcledger ledger (svl_ledger.h), for Python.

The calls are the C API's, one for one: open/close, submit_json, the
queries a DMS screen uses (work orders, stock cards, metrics), the outbox
(events_after, wait), backup and verify. What they return:

  - query rows are dicts under the C struct's field names (svl_work_order,
    svl_stock_card, svl_metrics_row...), converted as _structs.to_dict
    says, so json.dumps of a row is what a DMS backend serves;
  - submit_json returns a Submitted, the outbox yields Events;
  - a failed call raises an errors.SvcledgerError class.

Threads: as in C, one Ledger may be shared by the threads of a process
(ctypes lets go of the GIL during each call, so a wait blocks only its own
thread); close() must not race with other calls. Rows handed to the C
callbacks are copied before the callback returns: nothing returned here
points into the library's memory.
"""
import contextlib
import ctypes
import json
import os
from ctypes import byref, c_uint64, c_void_p
from dataclasses import dataclass
from typing import Optional

from . import _structs as S
from ._lib import CONSTANTS as K
from ._lib import c_str, free, lib, text
from .errors import EMISUSE, ENOTFOUND, ETIMEDOUT, error, SvcledgerError

PERIODS = {"day": K["SVL_METRICS_DAY"], "week": K["SVL_METRICS_WEEK"],
           "month": K["SVL_METRICS_MONTH"]}
BREAKDOWNS = {"overall": K["SVL_METRICS_OVERALL"],
              "advisor": K["SVL_METRICS_ADVISOR"],
              "technician": K["SVL_METRICS_TECHNICIAN"]}
WO_DATES = {None: K["SVL_WO_DATE_ANY"], "booked": K["SVL_WO_DATE_BOOKED"],
            "delivered": K["SVL_WO_DATE_DELIVERED"]}
OUTBOX_PAGE = 512  # events read per snapshot by events_after


@dataclass(frozen=True)
class Submitted:
    """What a submission did (svl_submit_result of a success)."""
    events: int      # events in the submission
    appended: int    # new events appended (0 on a dry run)
    duplicates: int  # already in the log: their original positions
    first_seq: int   # seq of the first event (0 when none)
    last_seq: int


@dataclass(frozen=True)
class Event:
    """One record of the log, copied out of the library (svl_record)."""
    seq: int
    type: str             # the catalog's name, "booking_requested"
    type_id: int          # SVL_T_...
    schema_version: int   # the payload's version as written
    stream: str           # "wo-WO-1001"
    stream_version: int
    occurred_at_ms: int   # business time, UTC ms
    recorded_at_ms: int   # the ledger's clock, UTC ms
    actor: str
    role: str
    id: str                        # 32 hex digits
    correlation_id: Optional[str]  # 32 hex digits, or None
    causation_id: Optional[str]
    hash: str                      # the record's XXH3-128, hex
    payload: str  # JSON text in the type's current layout (json.loads it)


def _bytes(ptr, n):
    return ctypes.string_at(ptr, n) if n else b""


def _hex(ptr, n=S.ID_SIZE):
    return ctypes.string_at(ptr, n).hex() if ptr else None


def _asof(seq=None, known_at_ms=None, occurred_at_ms=None):
    """svl_asof from at most one of the three keywords (none: now)."""
    given = [(k, v) for k, v in (("SEQ", seq), ("KNOWN", known_at_ms),
                                 ("OCCURRED", occurred_at_ms))
             if v is not None]
    if len(given) > 1:
        raise ValueError("as of: give one of seq, known_at_ms, "
                         "occurred_at_ms")
    a = S.Asof()
    if given:
        kind, v = given[0]
        a.kind = K["SVL_ASOF_" + kind]
        if kind == "SEQ":
            a.seq = v
        else:
            a.at_ms = v
    return a


def _pick(table, name, what):
    try:
        return table[name]
    except KeyError:
        raise ValueError("%s: %r is none of %s" % (
            what, name, ", ".join(str(k) for k in table))) from None


def _parse_rules(rules):
    """svl_rules from a dict, JSON text or a rule-set file (os.PathLike)."""
    L, r = lib(), S.Rules()
    err = ctypes.create_string_buffer(256)
    if isinstance(rules, os.PathLike):
        rc = L.svl_rules_load(c_str(rules), byref(r), err, len(err))
    else:
        if isinstance(rules, dict):
            rules = json.dumps(rules)
        b = rules.encode() if isinstance(rules, str) else bytes(rules)
        rc = L.svl_rules_parse(b, len(b), byref(r), err, len(err))
    if rc:
        raise error(rc, "rules: " + text(err.value))
    return r


class Ledger:
    """An open ledger. Make one with Ledger.open(); close it with close()
    or a with block."""

    def __init__(self, handle, path):
        self._handle = handle
        self.path = path
        self._type_names = {}
        self._close = lib().svl_ledger_close  # also while Python exits

    @classmethod
    def open(cls, path, *, create=False, readonly=False, rules=None,
             day_capacity_jobs=0, map_size_bytes=0, max_readers=0):
        """svl_ledger_open. rules: the rule set of a NEW ledger, as a dict,
        JSON text or a file path (pathlib.Path); an existing ledger keeps
        its own. The other options are svl_ledger_options'."""
        L = lib()
        o = S.LedgerOptions(version=K["SVL_LEDGER_OPTIONS_VERSION"])
        o.flags = ((K["SVL_LOG_CREATE"] if create else 0) |
                   (K["SVL_LOG_RDONLY"] if readonly else 0))
        o.map_size_bytes = map_size_bytes
        o.day_capacity_jobs = day_capacity_jobs
        o.max_readers = max_readers
        kept = _parse_rules(rules) if rules is not None else None
        if kept is not None:
            o.rules = ctypes.pointer(kept)
        h = c_void_p()
        rc = L.svl_ledger_open(byref(h), c_str(path), byref(o))
        if rc:
            raise error(rc, text(L.svl_log_last_error()))
        return cls(h.value, path)

    def close(self):
        """svl_ledger_close; closing twice is harmless."""
        h, self._handle = self._handle, None
        if h:
            self._close(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_handle", None):
            self.close()

    def __repr__(self):
        state = "open" if self._handle else "closed"
        return "<svcledger.Ledger %s %s>" % (self.path, state)

    # ---- plumbing ------------------------------------------------------

    @property
    def _h(self):
        if not self._handle:
            raise SvcledgerError(EMISUSE, "the ledger is closed")
        return self._handle

    def _check(self, rc):
        if rc:
            raise error(rc, text(lib().svl_ledger_errmsg(self._handle)))

    def _walk(self, fn_type, convert, call):
        """Run call(callback); return convert(row) of every row the
        library hands the callback. An exception in convert stops the
        walk and is raised here."""
        rows, failure = [], []

        def each(p, _payload):
            try:
                rows.append(convert(p.contents))
                return 0
            except BaseException as e:  # back to Python, not through C
                failure.append(e)
                return 1
        rc = call(fn_type(each))
        if failure:
            raise failure[0]
        self._check(rc)
        return rows

    def _one(self, rc, out):
        """A get's struct as a dict, None for SVL_ENOTFOUND."""
        if rc == ENOTFOUND:
            return None
        self._check(rc)
        return S.to_dict(out)

    # ---- commands ------------------------------------------------------

    def submit_json(self, ndjson, *, dry_run=False, roles_only=False):
        """svl_ledger_submit_json: NDJSON text (str or bytes), or an
        iterable of commands as dicts (one line each). All or nothing.
        Returns a Submitted; raises Refused, InvalidInput, Conflict or
        SvcledgerError, with the line at fault."""
        if not isinstance(ndjson, (str, bytes)):
            ndjson = "\n".join(json.dumps(c, ensure_ascii=False)
                               for c in ndjson)
        data = ndjson.encode() if isinstance(ndjson, str) else ndjson
        flags = ((K["SVL_SUBMIT_DRY_RUN"] if dry_run else 0) |
                 (K["SVL_SUBMIT_ROLES_ONLY"] if roles_only else 0))
        r = S.SubmitResult()
        rc = lib().svl_ledger_submit_json(self._h, data, len(data), flags,
                                          byref(r))
        if rc:
            raise error(rc, text(r.message), r.failed, text(r.rule))
        return Submitted(r.events, r.appended, r.duplicates, r.first_seq,
                         r.last_seq)

    # ---- the log -------------------------------------------------------

    def head(self):
        """svl_log_head: {seq, hash, recorded_at_ms} (seq 0: empty)."""
        L, out = lib(), S.Head()
        self._check(L.svl_log_head(L.svl_ledger_log(self._h), byref(out)))
        return S.to_dict(out)

    def verify(self):
        """svl_log_verify: the report (ok, events, head, problem, bad_seq,
        detail). A damaged chain is ok == 0, not an exception."""
        L, rep = lib(), S.VerifyReport()
        self._check(L.svl_log_verify(L.svl_ledger_log(self._h), byref(rep)))
        return S.to_dict(rep)

    def backup(self, dir, *, compact=True):
        """svl_ledger_backup into the new directory dir; returns the
        copy's verify report."""
        rep = S.VerifyReport()
        flags = 0 if compact else K["SVL_BACKUP_NO_COMPACT"]
        self._check(lib().svl_ledger_backup(self._h, c_str(dir), flags,
                                            byref(rep)))
        return S.to_dict(rep)

    def rules(self):
        """svl_ledger_rules in its canonical JSON form, parsed."""
        L, r = lib(), S.Rules()
        self._check(L.svl_ledger_rules(self._h, byref(r)))
        buf = ctypes.create_string_buffer(4096)
        n = L.svl_rules_to_json(byref(r), buf, len(buf))
        if n >= len(buf):
            buf = ctypes.create_string_buffer(n + 1)
            L.svl_rules_to_json(byref(r), buf, len(buf))
        return json.loads(buf.value)

    # ---- the outbox ----------------------------------------------------

    def _type_name(self, type_id):
        name = self._type_names.get(type_id)
        if name is None:
            t = lib().svl_event_type_get(type_id)
            name = text(t.contents.name) if t else "type-%d" % type_id
            self._type_names[type_id] = name
        return name

    def _payload_json(self, r):
        out, err = c_void_p(), S.EventError()
        rc = lib().svl_event_to_json_text(byref(out), r.type,
                                          r.schema_version, r.payload,
                                          r.payload_len, byref(err))
        if rc:
            raise error(rc, "seq %d: payload: %s" % (r.seq, text(err.msg)))
        try:
            return ctypes.string_at(out.value).decode()
        finally:
            free(out)

    def _event(self, r):
        return Event(
            seq=r.seq, type=self._type_name(r.type), type_id=r.type,
            schema_version=r.schema_version,
            stream=_bytes(r.stream, r.stream_len).decode(),
            stream_version=r.stream_version,
            occurred_at_ms=r.occurred_at_ms, recorded_at_ms=r.recorded_at_ms,
            actor=_bytes(r.actor, r.actor_len).decode(),
            role=_bytes(r.role, r.role_len).decode(), id=_hex(r.id),
            correlation_id=_hex(r.correlation_id),
            causation_id=_hex(r.causation_id),
            hash=_hex(r.hash, S.HASH_SIZE), payload=self._payload_json(r))

    def events_after(self, seq=0, limit=0):
        """svl_ledger_events_after as a generator: the events with seq >
        `seq`, in order, at most `limit` (0: up to the head as it is when
        the walk starts). Read OUTBOX_PAGE at a time, each page from one
        snapshot; seqs have no gaps, so pages join without a seam. Store
        the last seq you delivered with your own commit and pass it back
        next time."""
        L, h = lib(), self._h
        end = seq + limit if limit else self.head()["seq"]
        while seq < end:
            n = min(OUTBOX_PAGE, end - seq)
            last = c_uint64(seq)
            page = self._walk(S.RECORD_FN, self._event, lambda fn:
                              L.svl_ledger_events_after(h, seq, n, fn, None,
                                                        byref(last)))
            if not page:
                return
            yield from page
            seq = last.value

    def wait(self, seq, timeout_ms=-1):
        """svl_ledger_wait: True once the head is past seq, False when
        timeout_ms passed first. < 0 waits without limit, and no signal
        (Ctrl-C) interrupts a call in C: a loop of short waits stays
        interruptible."""
        rc = lib().svl_ledger_wait(self._h, seq, timeout_ms)
        if rc == ETIMEDOUT:
            return False
        self._check(rc)
        return True

    # ---- work orders (svl_work_orders.h) -------------------------------

    def work_order(self, wo_id):
        """svl_work_order_get: the job as a dict, None when no event
        names it."""
        out = S.WorkOrder()
        return self._one(lib().svl_work_order_get(self._h, c_str(wo_id),
                                                  byref(out)), out)

    def work_orders(self, *, state=None, advisor_id=None, technician_id=None,
                    date=None, from_ms=0, to_ms=0, customer_id=None,
                    plate=None, vin=None):
        """svl_work_orders_list: the jobs matching every criterion given.
        state: a name ("delivered") or an SVL_WO_ value; date: "booked" or
        "delivered", bounding from_ms <= time < to_ms; customer_id, plate,
        vin: a customer's or a vehicle's jobs."""
        f = self._wo_filter(state, advisor_id, technician_id, date, from_ms,
                            to_ms, customer_id, plate, vin)
        L, h = lib(), self._h
        return self._walk(S.WO_FN, S.to_dict, lambda fn:
                          L.svl_work_orders_list(h, byref(f), fn, None))

    def work_orders_page(self, limit, after=None, **criteria):
        """svl_work_orders_page: one page of work_orders(**criteria):
        {"items": [...], "total": every job matching, "next": the cursor
        to pass as `after` for the next page ("" after the last)}."""
        f = self._wo_filter(**{k: criteria.get(k) for k in (
            "state", "advisor_id", "technician_id", "date", "customer_id",
            "plate", "vin")}, from_ms=criteria.get("from_ms", 0),
            to_ms=criteria.get("to_ms", 0))
        L, h = lib(), self._h
        return self._page(S.WO_FN, limit, after, lambda p, fn:
                          L.svl_work_orders_page(h, byref(f), p, fn, None))

    def documents(self, *, kind=None, state=None, wo_id=None, limit=0,
                  after=None):
        """svl_documents_page: the open paperwork (state None), one state
        ("waiting_signatures" ... "done") or all ("all"); kind "pick",
        "purchase_order", "complaint" or "writeoff"; a job's (wo_id).
        Returns {"items", "total", "next"} as work_orders_page; limit 0:
        every one."""
        L = lib()
        f = S.DocFilter(version=K["SVL_DOC_FILTER_VERSION"])
        f.kind = self._doc_name(L.svl_doc_kind_find, kind, "kind")
        f.state = -1 if state == "all" else self._doc_name(
            L.svl_doc_state_find, state, "state")
        f.wo_id = c_str(wo_id)
        h = self._h
        return self._page(S.DOC_FN, limit, after, lambda p, fn:
                          L.svl_documents_page(h, byref(f), p, fn, None))

    def document(self, kind, doc_id):
        """svl_document_get: one document as a dict, None when there is
        no such one."""
        L = lib()
        out = S.Document()
        k = self._doc_name(L.svl_doc_kind_find, kind, "kind")
        return self._one(L.svl_document_get(self._h, k, c_str(doc_id),
                                            byref(out)), out)

    @contextlib.contextmanager
    def snapshot(self):
        """svl_ledger_read_begin/_end: the queries made in the with-block,
        on this thread, read one moment of the ledger."""
        self._check(lib().svl_ledger_read_begin(self._h))
        try:
            yield self
        finally:
            self._check(lib().svl_ledger_read_end(self._h))

    @staticmethod
    def _doc_name(find, name, what):
        if name is None:
            return 0
        b = name.encode()
        n = find(b, len(b))
        if n < 0:
            raise ValueError("%s: no document %s %r" % (what, what, name))
        return n

    def _page(self, fn_type, limit, after, call):
        p = S.Page(limit=limit, after=c_str(after))
        items = self._walk(fn_type, S.to_dict, lambda fn: call(byref(p), fn))
        return {"items": items, "total": p.total,
                "next": text(p.next)}

    def _wo_filter(self, state=None, advisor_id=None, technician_id=None,
                   date=None, from_ms=0, to_ms=0, customer_id=None,
                   plate=None, vin=None):
        L = lib()
        f = S.WoFilter(version=K["SVL_WO_FILTER_VERSION"])
        if isinstance(state, str):
            b = state.encode()
            f.state = L.svl_wo_state_find(b, len(b))
            if f.state < 0:
                raise ValueError("state: no work-order state %r" % state)
        elif state is not None:
            f.state = state
        f.advisor_id = c_str(advisor_id)
        f.technician_id = c_str(technician_id)
        f.date = _pick(WO_DATES, date, "date")
        f.from_ms, f.to_ms = from_ms, to_ms
        f.customer_id, f.plate, f.vin = (c_str(customer_id), c_str(plate),
                                         c_str(vin))
        return f

    def _wo_rows(self, fname, fn_type, wo_id):
        call = getattr(lib(), fname)
        h, key = self._h, c_str(wo_id)
        return self._walk(fn_type, S.to_dict,
                          lambda fn: call(h, key, fn, None))

    def work_order_transitions(self, wo_id):
        """svl_work_order_transitions: {state, at_ms, seq} in log order."""
        return self._wo_rows("svl_work_order_transitions",
                             S.WO_TRANSITION_FN, wo_id)

    def work_order_parts(self, wo_id):
        """svl_work_order_parts: the parts the job took, by part number."""
        return self._wo_rows("svl_work_order_parts", S.WO_PART_FN, wo_id)

    def work_order_complaints(self, wo_id):
        """svl_work_order_complaints: complaints naming the job, by id."""
        return self._wo_rows("svl_work_order_complaints",
                             S.WO_COMPLAINT_FN, wo_id)

    # ---- stock (svl_stock.h) -------------------------------------------

    def stock_card(self, part_no, bin=None, *, seq=None, known_at_ms=None,
                   occurred_at_ms=None):
        """svl_stock_card_get: the card of part_no at bin (None: its
        assigned bin) now, or as of one of: seq (after that record),
        known_at_ms (what the book said then), occurred_at_ms (what is now
        known about then). None when there is no such card at that point."""
        a, out = _asof(seq, known_at_ms, occurred_at_ms), S.StockCard()
        return self._one(lib().svl_stock_card_get(
            self._h, c_str(part_no), c_str(bin), byref(a), byref(out)), out)

    def stock_cards(self, *, seq=None, known_at_ms=None,
                    occurred_at_ms=None):
        """svl_stock_cards: every card, in part number order, as of the
        same choices as stock_card."""
        L, h = lib(), self._h
        a = _asof(seq, known_at_ms, occurred_at_ms)
        return self._walk(S.STOCK_CARD_FN, S.to_dict, lambda fn:
                          L.svl_stock_cards(h, byref(a), fn, None))

    def stock_card_lines(self, part_no, bin=None, first_seq=0, last_seq=0):
        """svl_stock_card_lines: the bin card's movement lines with
        first_seq <= seq <= last_seq (0: open), in seq order."""
        L, h = lib(), self._h
        part, where = c_str(part_no), c_str(bin)
        return self._walk(S.STOCK_LINE_FN, S.to_dict, lambda fn:
                          L.svl_stock_card_lines(h, part, where, first_seq,
                                                 last_seq, fn, None))

    # ---- the report (svl_report.h) --------------------------------------

    def report(self, *, from_ms=0, to_ms=0, lang=None, generated_at_ms=0,
               trend_months=0):
        """svl_report_write: the period [from_ms, to_ms) as one
        self-contained HTML page (bytes, UTF-8; docs/report.md). Both 0:
        the month of the ledger's last record. lang "zh-CN" writes it in
        Chinese. The same ledger and arguments give the same bytes."""
        o = S.ReportOptions()
        o.version = K["SVL_REPORT_OPTIONS_VERSION"]
        o.from_ms, o.to_ms = from_ms, to_ms
        o.lang = lang.encode() if lang else None
        o.generated_at_ms, o.trend_months = generated_at_ms, trend_months
        parts = []

        def sink(data, n, _payload):
            parts.append(ctypes.string_at(data, n))
            return 0
        self._check(lib().svl_report_write(self._h, ctypes.byref(o),
                                           S.REPORT_SINK(sink), None))
        return b"".join(parts)

    # ---- metrics (svl_metrics.h) ---------------------------------------

    def metrics(self, period="day", by="overall", *,
                from_ms=K["SVL_TIME_MIN_MS"], to_ms=K["SVL_TIME_MAX_MS"]):
        """svl_metrics_get: the rows of every `period` ("day", "week",
        "month") overlapping [from_ms, to_ms), broken down `by`
        ("overall", "advisor", "technician"): counters in "c", ratios in
        "r" (-1: no denominator)."""
        L, h = lib(), self._h
        p = _pick(PERIODS, period, "period")
        b = _pick(BREAKDOWNS, by, "by")
        return self._walk(S.METRICS_FN, S.to_dict, lambda fn:
                          L.svl_metrics_get(h, p, from_ms, to_ms, b, fn,
                                            None))
