"""svcledger - the after-sales ledger (libsvcledger) from Python.

A binding over the C API with ctypes: nothing to compile, the shared
library libsvcledger.so.1 is all it needs (see _lib.py for where it is
looked for). docs/embedding.md, "From Python", is the guide;
docs/examples/dms_python.py the ten-line example.

    with svcledger.Ledger.open("/var/lib/dms/ledger", create=True) as l:
        l.submit_json(ndjson)          # Refused(rule, message, line) ...
        l.work_order("WO-1001")        # dicts under the C field names
        for ev in l.events_after(last_delivered): deliver(ev)
"""
from . import errors
from ._lib import MAJOR, lib, text
from .errors import (Conflict, InvalidInput, LibraryError, Refused,
                     SvcledgerError)
from .ledger import Event, Ledger, Submitted

__all__ = ["Ledger", "Submitted", "Event", "SvcledgerError", "Refused",
           "InvalidInput", "Conflict", "LibraryError", "errors", "MAJOR",
           "version", "state_name", "fu_result_name", "strerror"]


def version():
    """The loaded library's version string, "1.0.0"."""
    return text(lib().svl_version_string())


def strerror(code):
    """svl_strerror: a short description of an SVL_E... code."""
    return text(lib().svl_strerror(code))


def state_name(state):
    """svl_wo_state_name: a work order's state as its name ("booked");
    None when out of range."""
    return text(lib().svl_wo_state_name(state)) or None


def fu_result_name(result):
    """svl_fu_result_name: "none", "open", "reached", "failed"; None."""
    return text(lib().svl_fu_result_name(result)) or None
