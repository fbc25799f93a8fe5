"""Loading libsvcledger and declaring the C functions the binding calls.

Where the library comes from, first found wins:
  1. $SVCLEDGER_LIB, a path to the shared library (make test sets it);
  2. the loader's own search for the soname, libsvcledger.so.1
     (LD_LIBRARY_PATH, /etc/ld.so.cache: after `make install`);
  3. build/libsvcledger.so.1 of the source tree this package sits in.
The library's major version (svl_version() / 10000) must be MAJOR, the one
the struct mirrors in _structs.py were written for; another is refused
rather than read with the wrong layout.

Every function is declared once in PROTOTYPES with its C types, so ctypes
converts and checks the arguments; a name the library does not export
fails the load, naming it.
"""
import ctypes
import os
from ctypes import (POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint,
                    c_uint32, c_uint64, c_void_p)
from pathlib import Path

from . import _structs as S
from .errors import LibraryError

MAJOR = 1
SONAME = "libsvcledger.so.%d" % MAJOR

# Constants of the headers the binding passes to the library. The layout
# test compares each with the C value.
CONSTANTS = {
    "SVL_LOG_CREATE": 1, "SVL_LOG_RDONLY": 2, "SVL_LOG_NOSYNC": 4,
    "SVL_LEDGER_OPTIONS_VERSION": 1, "SVL_WO_FILTER_VERSION": 2,
    "SVL_DOC_FILTER_VERSION": 1, "SVL_PAGE_KEY_MAX": 96,
    "SVL_REPORT_OPTIONS_VERSION": 1,
    "SVL_SUBMIT_DRY_RUN": 1, "SVL_SUBMIT_ROLES_ONLY": 2,
    "SVL_BACKUP_NO_COMPACT": 1,
    "SVL_ASOF_NOW": 0, "SVL_ASOF_SEQ": 1, "SVL_ASOF_KNOWN": 2,
    "SVL_ASOF_OCCURRED": 3,
    "SVL_WO_DATE_ANY": 0, "SVL_WO_DATE_BOOKED": 1,
    "SVL_WO_DATE_DELIVERED": 2,
    "SVL_METRICS_DAY": 0, "SVL_METRICS_WEEK": 1, "SVL_METRICS_MONTH": 2,
    "SVL_METRICS_OVERALL": 0, "SVL_METRICS_ADVISOR": 1,
    "SVL_METRICS_TECHNICIAN": 2,
    "SVL_TIME_MIN_MS": 946684800000, "SVL_TIME_MAX_MS": 4102444800000,
}

_P = POINTER
_HANDLE = c_void_p  # svl_ledger *, opaque
PROTOTYPES = {
    "svl_version": (c_int, []),
    "svl_version_string": (c_char_p, []),
    "svl_strerror": (c_char_p, [c_int]),
    "svl_error_name": (c_char_p, [c_int]),
    "svl_free": (None, [c_void_p]),
    "svl_log_last_error": (c_char_p, []),
    "svl_ledger_open": (c_int, [_P(c_void_p), c_char_p,
                                _P(S.LedgerOptions)]),
    "svl_ledger_close": (None, [_HANDLE]),
    "svl_ledger_log": (c_void_p, [_HANDLE]),
    "svl_ledger_errmsg": (c_char_p, [_HANDLE]),
    "svl_ledger_rules": (c_int, [_HANDLE, _P(S.Rules)]),
    "svl_ledger_submit_json": (c_int, [_HANDLE, c_char_p, c_size_t, c_uint,
                                       _P(S.SubmitResult)]),
    "svl_ledger_backup": (c_int, [_HANDLE, c_char_p, c_uint,
                                  _P(S.VerifyReport)]),
    "svl_ledger_events_after": (c_int, [_HANDLE, c_uint64, c_size_t,
                                        S.RECORD_FN, c_void_p,
                                        _P(c_uint64)]),
    "svl_ledger_wait": (c_int, [_HANDLE, c_uint64, c_int64]),
    "svl_log_head": (c_int, [c_void_p, _P(S.Head)]),
    "svl_log_verify": (c_int, [c_void_p, _P(S.VerifyReport)]),
    "svl_rules_parse": (c_int, [c_char_p, c_size_t, _P(S.Rules), c_char_p,
                                c_size_t]),
    "svl_rules_load": (c_int, [c_char_p, _P(S.Rules), c_char_p, c_size_t]),
    "svl_rules_to_json": (c_size_t, [_P(S.Rules), c_char_p, c_size_t]),
    "svl_event_type_get": (_P(S.EventType), [c_uint32]),
    "svl_event_to_json_text": (c_int, [_P(c_void_p), c_uint32, c_uint32,
                                       c_void_p, c_size_t,
                                       _P(S.EventError)]),
    "svl_work_order_get": (c_int, [_HANDLE, c_char_p, _P(S.WorkOrder)]),
    "svl_work_orders_list": (c_int, [_HANDLE, _P(S.WoFilter), S.WO_FN,
                                     c_void_p]),
    "svl_work_order_transitions": (c_int, [_HANDLE, c_char_p,
                                           S.WO_TRANSITION_FN, c_void_p]),
    "svl_work_order_parts": (c_int, [_HANDLE, c_char_p, S.WO_PART_FN,
                                     c_void_p]),
    "svl_work_order_complaints": (c_int, [_HANDLE, c_char_p,
                                          S.WO_COMPLAINT_FN, c_void_p]),
    "svl_wo_state_name": (c_char_p, [c_int]),
    "svl_wo_state_find": (c_int, [c_char_p, c_size_t]),
    "svl_fu_result_name": (c_char_p, [c_int]),
    "svl_stock_card_get": (c_int, [_HANDLE, c_char_p, c_char_p, _P(S.Asof),
                                   _P(S.StockCard)]),
    "svl_stock_cards": (c_int, [_HANDLE, _P(S.Asof), S.STOCK_CARD_FN,
                                c_void_p]),
    "svl_stock_card_lines": (c_int, [_HANDLE, c_char_p, c_char_p, c_uint64,
                                     c_uint64, S.STOCK_LINE_FN, c_void_p]),
    "svl_metrics_get": (c_int, [_HANDLE, c_int, c_int64, c_int64, c_int,
                                S.METRICS_FN, c_void_p]),
    "svl_work_orders_page": (c_int, [_HANDLE, _P(S.WoFilter), _P(S.Page),
                                     S.WO_FN, c_void_p]),
    "svl_documents_page": (c_int, [_HANDLE, _P(S.DocFilter), _P(S.Page),
                                   S.DOC_FN, c_void_p]),
    "svl_document_get": (c_int, [_HANDLE, c_int, c_char_p,
                                 _P(S.Document)]),
    "svl_doc_kind_find": (c_int, [c_char_p, c_size_t]),
    "svl_doc_state_find": (c_int, [c_char_p, c_size_t]),
    "svl_doc_kind_name": (c_char_p, [c_int]),
    "svl_doc_state_name": (c_char_p, [c_int]),
    "svl_report_write": (c_int, [_HANDLE, _P(S.ReportOptions),
                                 S.REPORT_SINK, c_void_p]),
    "svl_ledger_read_begin": (c_int, [_HANDLE]),
    "svl_ledger_read_end": (c_int, [_HANDLE]),
}

_lib = None
_free = None


def _candidates():
    env = os.environ.get("SVCLEDGER_LIB")
    if env:
        return [env]
    tree = Path(__file__).resolve().parents[2]
    found = [SONAME]
    if (tree / "include" / "svcledger.h").is_file():
        found.append(str(tree / "build" / SONAME))
    return found


def _declare(lib):
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise LibraryError("%s does not export %s: not a libsvcledger "
                               "%d.x" % (lib._name, name, MAJOR)) from None
        fn.restype = restype
        fn.argtypes = argtypes


def lib():
    """The loaded library, loaded and checked on the first call."""
    global _lib, _free
    if _lib is not None:
        return _lib
    tried = []
    for path in _candidates():
        try:
            found = ctypes.CDLL(path)
            break
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    else:
        raise LibraryError("cannot load libsvcledger; tried " +
                           "; ".join(tried) + ". Set SVCLEDGER_LIB to the "
                           "library's path, or install it (make install)")
    found.svl_version.restype = c_int
    version = found.svl_version()
    if version // 10000 != MAJOR:
        raise LibraryError("%s is libsvcledger %d.%d.%d; this binding reads "
                           "the structs of major %d" % (
                               found._name, version // 10000,
                               version // 100 % 100, version % 100, MAJOR))
    _declare(found)
    # what the library allocates for the caller goes back through its own
    # svl_free, whatever C runtime this Python was built with
    _lib, _free = found, found.svl_free
    return _lib


def free(ptr):
    """Release memory the library allocated for the caller (svl_free)."""
    _free(ptr)


def text(b):
    """A C string the library returned, as str ("" for NULL)."""
    return b.decode("utf-8", "replace") if b else ""


def c_str(s):
    """A str or path argument as NUL-terminated bytes (None stays NULL)."""
    return None if s is None else os.fsencode(s)

