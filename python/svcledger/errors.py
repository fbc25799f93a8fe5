"""The library's error codes (svl_error.h) and the exceptions they become.

A call that fails raises SvcledgerError or one of its classes, carrying
the C code (`code`, e.g. -7), its name (`name`, "SVL_EREFUSED") and the
library's one-line detail (`detail`). The classes are kept apart as the C
ones are, because a caller reacts to each in a different way:

    Refused       SVL_EREFUSED: a rule said no; `rule` names it ("R-ISS-1")
    InvalidInput  SVL_EINVAL, SVL_ELIMIT: fix the input
    Conflict      SVL_ECONFLICT: a stream moved (re-read, retry) or an
                  event id was reused for another event (a bug to fix)

Submissions also say which NDJSON line (`line`, from 1; 0 when the failure
was no line's doing, such as a full disk).
"""

# svl_error.h: values are part of the ABI and never renumbered.
OK = 0
EINVAL = -1
ENOMEM = -2
EIO = -3
ECORRUPT = -4
ECONFLICT = -5
ENOTFOUND = -6
EREFUSED = -7
ELIMIT = -8
EMISUSE = -9
EREADONLY = -10
EBUSY = -11
EFORMAT = -12
ITEROVER = -13
EEXISTS = -14
ETIMEDOUT = -15
EREADERS = -16

NAMES = {value: "SVL_" + name for name, value in globals().items()
         if name.isupper() and isinstance(value, int)}


class SvcledgerError(Exception):
    """A libsvcledger call failed: `code`, `name`, `detail`."""

    def __init__(self, code, detail, line=0):
        self.code = code
        self.name = NAMES.get(code, "SVL_%d" % code)
        self.detail = detail
        self.line = line
        super().__init__("%s: %s" % (self.name, detail))


class InvalidInput(SvcledgerError):
    """Bad input (SVL_EINVAL) or over a documented limit (SVL_ELIMIT)."""


class Conflict(SvcledgerError):
    """A stream's expected version, or an event id reused (SVL_ECONFLICT)."""


class Refused(SvcledgerError):
    """A business rule refused the command (SVL_EREFUSED): `rule`,
    `message` (the reason, as the library words it) and `line`."""

    def __init__(self, rule, message, line=0):
        super().__init__(EREFUSED, message, line)
        self.rule = rule
        self.message = message


class LibraryError(OSError):
    """libsvcledger could not be loaded, or is of another major version."""


_CLASSES = {EINVAL: InvalidInput, ELIMIT: InvalidInput,
            ECONFLICT: Conflict}


def error(code, detail, line=0, rule=""):
    """The exception for a failed call's code and detail."""
    if code == EREFUSED:
        return Refused(rule, detail, line)
    return _CLASSES.get(code, SvcledgerError)(code, detail, line)
