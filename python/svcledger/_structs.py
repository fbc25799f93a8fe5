"""The C structs the binding reads and writes, mirrored field for field.

Each class names its C type in `_cname_` and lists the fields in the C
order with the C names, so that ctypes lays it out exactly as the compiler
does: tests/python/test_mirror.py compiles a probe against include/ and
compares every size and offset, and the checked-in ABI baseline's sizes.
A struct the C library grows within a major version grows only in its
`reserved` words (docs/embedding.md, "Upgrades"), so the mirror of major 1
stays right for every 1.x library.

`to_dict` turns a struct the library filled into plain Python values under
the C field names: char arrays become str, uint8_t arrays hex strings,
other arrays lists, nested structs dicts. Enums stay ints.
"""
import ctypes
from ctypes import (POINTER, c_char, c_char_p, c_int, c_int32, c_int64,
                    c_size_t, c_uint, c_uint8, c_uint32, c_uint64, c_void_p)

# The limits the arrays below are sized by (the headers' SVL_..._MAX).
ID_SIZE = 16
HASH_SIZE = 16
RULES_ID_MAX = 63
RULES_WINDOWS_MAX = 8
WOF_SHARES = 4
PART_MAX = 40
BIN_MAX = 40
DOC_MAX = 40
WO_ID_MAX = 40
WO_PLATE_MAX = 16
WO_VIN_MAX = 17
METRICS_KEY_MAX = 40
METRICS_LABEL_MAX = 16
EVENT_PATH_MAX = 96
EVENT_ERR_MAX = 512


def _value(v):
    if isinstance(v, bytes):  # a char array, read up to its NUL
        return v.decode("utf-8", "replace")
    if isinstance(v, ctypes.Structure):
        return to_dict(v)
    if isinstance(v, ctypes.Array):
        if v._type_ is c_uint8:
            return bytes(v).hex()
        return [_value(x) for x in v]
    return v


def to_dict(s):
    """The struct's fields under their C names, as plain Python values."""
    return {name: _value(getattr(s, name)) for name, _ in s._fields_}


class Struct(ctypes.Structure):
    _cname_ = ""


# ---- svl_log.h -------------------------------------------------------------

class Head(Struct):
    _cname_ = "svl_head"
    _fields_ = [("seq", c_uint64), ("hash", c_uint8 * HASH_SIZE),
                ("recorded_at_ms", c_int64)]


class Record(Struct):
    _cname_ = "svl_record"
    _fields_ = [("seq", c_uint64), ("stream", c_void_p),
                ("stream_len", c_size_t), ("stream_version", c_uint64),
                ("type", c_uint32), ("schema_version", c_uint32),
                ("occurred_at_ms", c_int64), ("recorded_at_ms", c_int64),
                ("actor", c_void_p), ("actor_len", c_size_t),
                ("role", c_void_p), ("role_len", c_size_t),
                ("id", c_void_p), ("correlation_id", c_void_p),
                ("causation_id", c_void_p), ("payload", c_void_p),
                ("payload_len", c_size_t), ("prev_hash", c_void_p),
                ("hash", c_void_p), ("raw", c_void_p), ("raw_len", c_size_t)]


class VerifyReport(Struct):
    _cname_ = "svl_verify_report"
    _fields_ = [("ok", c_int), ("events", c_uint64), ("head", Head),
                ("problem", c_int), ("bad_seq", c_uint64),
                ("detail", c_char * 256)]


# ---- svl_rules.h -----------------------------------------------------------

class Rules(Struct):
    _cname_ = "svl_rules"
    _fields_ = [("id", c_char * (RULES_ID_MAX + 1)), ("hash", c_uint8 * 16),
                ("tz_offset_min", c_int32), ("followup_min_days", c_int32),
                ("followup_max_days", c_int32),
                ("n_call_windows", c_uint32),
                ("call_window_start_min", c_int32 * RULES_WINDOWS_MAX),
                ("call_window_end_min", c_int32 * RULES_WINDOWS_MAX),
                ("followup_attempts_for_failure", c_int32),
                ("satisfaction_scale", c_int32),
                ("satisfaction_threshold", c_int32),
                ("comeback_window_days", c_int32),
                ("major_complaint_mask", c_uint32), ("valuation", c_int),
                ("wof_split_permille", c_int32 * WOF_SHARES),
                ("require_signed", c_uint32),
                ("day_capacity_jobs", c_int32), ("waived", c_uint32 * 2),
                ("writeoff_charge_days", c_int32),
                ("reserved", c_uint32 * 27)]


# ---- svl_events.h ----------------------------------------------------------

class EventType(Struct):
    _cname_ = "svl_event_type"
    _fields_ = [("id", c_uint32), ("name", c_char_p), ("version", c_uint32),
                ("stream_prefix", c_char_p), ("stream_field", c_uint32),
                ("roles", c_uint32), ("rules", c_char_p), ("doc", c_char_p),
                ("fields", c_void_p), ("n_fields", c_uint32)]


class EventError(Struct):
    _cname_ = "svl_event_error"
    _fields_ = [("path", c_char * EVENT_PATH_MAX),
                ("msg", c_char * EVENT_ERR_MAX)]


# ---- svl_ledger.h ----------------------------------------------------------

class LedgerOptions(Struct):
    _cname_ = "svl_ledger_options"
    _fields_ = [("version", c_uint), ("flags", c_uint),
                ("map_size_bytes", c_size_t), ("rules", POINTER(Rules)),
                ("day_capacity_jobs", c_uint32),
                ("ledger_id", POINTER(c_uint8)), ("max_readers", c_uint32),
                ("reserved", c_uint32 * 7)]


class SubmitResult(Struct):
    _cname_ = "svl_submit_result"
    _fields_ = [("events", c_size_t), ("appended", c_size_t),
                ("duplicates", c_size_t), ("first_seq", c_uint64),
                ("last_seq", c_uint64), ("failed", c_size_t),
                ("rule", c_char * 16), ("message", c_char * 512)]


# ---- svl_stock.h -----------------------------------------------------------

class Asof(Struct):
    _cname_ = "svl_asof"
    _fields_ = [("kind", c_int), ("seq", c_uint64), ("at_ms", c_int64)]


class StockFigures(Struct):
    _cname_ = "svl_stock_figures"
    _fields_ = [(name, c_int64) for name in (
        "on_hand_milli", "reserved_milli", "quarantined_milli",
        "wof_held_milli", "value_fen", "quarantined_value_fen",
        "wof_held_value_fen", "last_cost_fen", "received_milli",
        "issued_milli", "returned_milli", "adjusted_milli",
        "written_off_milli", "unsettled_issued_milli",
        "old_parts_pending_milli", "claims_pending_milli")]


class StockCard(Struct):
    _cname_ = "svl_stock_card"
    _fields_ = [("part_no", c_char * (PART_MAX + 1)),
                ("bin", c_char * (BIN_MAX + 1)), ("f", StockFigures),
                ("lines", c_uint64), ("last_seq", c_uint64)]


class StockLine(Struct):
    _cname_ = "svl_stock_line"
    _fields_ = [("seq", c_uint64), ("occurred_at_ms", c_int64),
                ("recorded_at_ms", c_int64), ("type", c_uint32),
                ("doc", c_char * (DOC_MAX + 1)),
                ("counterparty", c_char * (DOC_MAX + 1)),
                ("in_milli", c_int64), ("out_milli", c_int64),
                ("balance_milli", c_int64), ("unit_cost_fen", c_int64),
                ("value_fen", c_int64), ("f", StockFigures)]


# ---- svl_work_orders.h -----------------------------------------------------

_WO_ID = c_char * (WO_ID_MAX + 1)


def _ints(*names):
    return [(name, c_int64) for name in names]


class WorkOrder(Struct):
    _cname_ = "svl_work_order"
    _fields_ = (
        [("wo_id", _WO_ID), ("state", c_int)]
        + _ints("state_at_ms", "transitions")
        + [("customer_id", _WO_ID),
           ("plate", c_char * (WO_PLATE_MAX + 1)),
           ("vin", c_char * (WO_VIN_MAX + 1)), ("job_kind", c_int64),
           ("advisor_id", _WO_ID), ("technician_id", _WO_ID)]
        + _ints("first_at_ms", "booked_at_ms", "wanted_at_ms", "slot_at_ms",
                "reschedules", "received_at_ms", "mileage_km",
                "inspected_at_ms", "quotes", "quote_revision",
                "quote_total_fen", "promised_at_ms", "signed_at_ms",
                "signed_total_fen", "dispatched_at_ms", "est_labor_min",
                "addl_found", "addl_found_fen", "addl_approved",
                "addl_approved_fen", "addl_declined", "addl_declined_fen",
                "consultations", "parts_issues", "parts_issued_milli",
                "parts_returns", "parts_returned_milli",
                "old_parts_returned", "labor_min", "completed_at_ms")
        + [("qc_passed", c_int64 * 3), ("qc_failed", c_int64 * 3),
           ("reworks", c_int64 * 3)]
        + _ints("ready_at_ms", "labor_fen", "parts_fen", "materials_fen",
                "discount_fen", "warranty_fen", "total_fen",
                "settled_at_ms", "payments", "paid_fen", "paid_at_ms",
                "delivered_at_ms")
        + [("on_time", c_int)]
        + _ints("fu_attempts", "fu_first_at_ms", "fu_last_at_ms")
        + [("fu_result", c_int)]
        + _ints("fu_closed_at_ms", "satisfaction_score", "reverifications",
                "complaints", "major_complaints")
        + [("comeback_of", _WO_ID), ("came_back_as", _WO_ID)])


class WoFilter(Struct):
    _cname_ = "svl_wo_filter"
    _fields_ = [("version", c_uint), ("state", c_int),
                ("advisor_id", c_char_p), ("technician_id", c_char_p),
                ("date", c_int), ("from_ms", c_int64), ("to_ms", c_int64),
                ("customer_id", c_char_p), ("plate", c_char_p),
                ("vin", c_char_p)]


class WoTransition(Struct):
    _cname_ = "svl_wo_transition"
    _fields_ = [("state", c_int), ("at_ms", c_int64), ("seq", c_uint64)]


class WoPart(Struct):
    _cname_ = "svl_wo_part"
    _fields_ = [("part_no", _WO_ID)] + _ints(
        "issued_milli", "returned_milli", "issues", "returns")


class WoComplaint(Struct):
    _cname_ = "svl_wo_complaint"
    _fields_ = [("cmp_id", _WO_ID), ("severity", c_int), ("major", c_int)]


# ---- svl_metrics.h ---------------------------------------------------------

class MetricsCounters(Struct):
    _cname_ = "svl_metrics_counters"
    _fields_ = _ints(
        "delivered", "fu_covered", "fu_in_window", "fu_attempts",
        "fu_attempts_in_call_window", "fu_reached", "fu_failed", "answered",
        "satisfied", "score_sum", "complaints", "major_complaints",
        "reworked", "comebacks", "first_time_fix", "promised", "on_time",
        "writeoffs", "wof_total_fen", "wof_company_fen",
        "wof_service_manager_fen", "wof_parts_manager_fen",
        "wof_warehouse_keeper_fen")


class MetricsRatios(Struct):
    _cname_ = "svl_metrics_ratios"
    _fields_ = [(name, c_int32) for name in (
        "fu_coverage_permille", "fu_in_window_permille",
        "fu_call_window_permille", "fu_success_permille",
        "satisfaction_permille", "score_avg_milli", "major_complaint_bp",
        "first_time_fix_permille", "comeback_permille", "on_time_permille")]


class MetricsRow(Struct):
    _cname_ = "svl_metrics_row"
    _fields_ = [("period", c_int), ("period_day", c_int64),
                ("period_start_ms", c_int64),
                ("label", c_char * METRICS_LABEL_MAX), ("by", c_int),
                ("key", c_char * (METRICS_KEY_MAX + 1)),
                ("c", MetricsCounters), ("r", MetricsRatios)]


PAGE_KEY_MAX = 96
DOC_ID_MAX = 40
_DOC_ID = c_char * (DOC_ID_MAX + 1)


class Page(Struct):
    _cname_ = "svl_page"
    _fields_ = [("limit", c_size_t), ("after", c_char_p),
                ("total", c_size_t), ("returned", c_size_t),
                ("next", c_char * (PAGE_KEY_MAX + 1))]


class DocFilter(Struct):
    _cname_ = "svl_doc_filter"
    _fields_ = [("version", c_uint), ("kind", c_int), ("state", c_int),
                ("wo_id", c_char_p)]


class Document(Struct):
    _cname_ = "svl_document"
    _fields_ = ([("kind", c_int), ("id", _DOC_ID), ("state", c_int)]
                + _ints("opened_at_ms", "updated_at_ms")
                + [("wo_id", _DOC_ID), ("purpose", c_int),
                   ("signed_mask", c_uint32), ("missing_mask", c_uint32)]
                + _ints("qty_milli", "done_milli")
                + [("supplier_id", _DOC_ID), ("acceptance_stage", c_int),
                   ("claims_open", c_int), ("severity", c_int),
                   ("department", c_int)]
                + _ints("deadline_at_ms")
                + [("appraisals", c_int)]
                + _ints("total_fen"))


# Every mirror, for the layout check.
# ---- svl_report.h ----------------------------------------------------------

class ReportOptions(Struct):
    _cname_ = "svl_report_options"
    _fields_ = [("version", c_uint), ("from_ms", c_int64), ("to_ms", c_int64),
                ("lang", c_char_p), ("generated_at_ms", c_int64),
                ("trend_months", c_int32), ("reserved", c_uint32 * 9)]


MIRRORED = (Head, Record, VerifyReport, Rules, EventType, EventError,
            LedgerOptions, SubmitResult, Asof, StockFigures, StockCard,
            StockLine, WorkOrder, WoFilter, WoTransition, WoPart,
            WoComplaint, MetricsCounters, MetricsRatios, MetricsRow, Page,
            DocFilter, Document, ReportOptions)

# The callbacks the library calls: fn(const T *row, void *payload) -> int.
RECORD_FN = ctypes.CFUNCTYPE(c_int, POINTER(Record), c_void_p)
# svl_report_sink: fn(const char *bytes, size_t n, void *payload) -> int
REPORT_SINK = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_void_p)
WO_FN = ctypes.CFUNCTYPE(c_int, POINTER(WorkOrder), c_void_p)
WO_TRANSITION_FN = ctypes.CFUNCTYPE(c_int, POINTER(WoTransition), c_void_p)
WO_PART_FN = ctypes.CFUNCTYPE(c_int, POINTER(WoPart), c_void_p)
WO_COMPLAINT_FN = ctypes.CFUNCTYPE(c_int, POINTER(WoComplaint), c_void_p)
STOCK_CARD_FN = ctypes.CFUNCTYPE(c_int, POINTER(StockCard), c_void_p)
STOCK_LINE_FN = ctypes.CFUNCTYPE(c_int, POINTER(StockLine), c_void_p)
METRICS_FN = ctypes.CFUNCTYPE(c_int, POINTER(MetricsRow), c_void_p)
DOC_FN = ctypes.CFUNCTYPE(c_int, POINTER(Document), c_void_p)
