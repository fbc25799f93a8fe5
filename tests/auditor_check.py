#!/usr/bin/env python3
"""auditor_check.py DIR - verify a svcledger ledger from docs/format.md alone.

An auditor's own check, written from the format document and nothing of
svcledger's code: Python's standard library, `mdb_dump` for the data,
`xxhsum -H2` for XXH3-128, and liblmdb through ctypes for the lookup step
(docs/format.md "Verifying a ledger without our code", steps 1-11).

Prints "ok: N records, head seq N hash H" and exits 0, or one line
"auditor: FAILED at seq N: <problem>: <detail>" on stderr and exits 1
(seq 0 when no record is to blame); exits 2 when a tool is missing.
The problems use `svcledger verify`'s names, so the two can be compared.
"""
import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile

PAYLOAD_MAX = 65536
DEPTH_MAX = 32
GENESIS = bytes(16)


class Fail(Exception):
    def __init__(self, seq, problem, detail):
        super().__init__(detail)
        self.seq, self.problem, self.detail = seq, problem, detail


# ---- step 1: mdb_dump ----

def dump(ledger, db):
    """The (key, value) pairs of one sub-database, in key order."""
    p = subprocess.run(["mdb_dump", "-s", db, ledger], capture_output=True)
    if p.returncode != 0:
        how = (f"killed by signal {-p.returncode}" if p.returncode < 0
               else f"exit {p.returncode}")
        raise Fail(0, "unreadable", f"mdb_dump -s {db} failed ({how})")
    pairs, lines, body = [], [], False
    for line in p.stdout.decode("ascii").splitlines():
        if line == "HEADER=END":
            body = True
        elif line == "DATA=END":
            body = False
        elif body:
            lines.append(bytes.fromhex(line[1:]))
    for i in range(0, len(lines) - 1, 2):
        pairs.append((lines[i], lines[i + 1]))
    return pairs


# ---- msgpack, the subset docs/format.md names ----

class Bad(Exception):
    pass


def be(b, i, n):
    if i + n > len(b):
        raise Bad("truncated")
    return int.from_bytes(b[i:i + n], "big"), i + n


def head(b, i):
    """One msgpack header at b[i]: (kind, value, next index). str/bin/ext
    values are their bytes; array/map values their counts."""
    if i >= len(b):
        raise Bad("truncated")
    c = b[i]
    i += 1
    if c <= 0x7F:
        return "int", c, i
    if c >= 0xE0:
        return "int", c - 0x100, i
    if c <= 0x8F:
        return "map", c & 0x0F, i
    if c <= 0x9F:
        return "array", c & 0x0F, i
    if c <= 0xBF:
        return data("str", b, i, c & 0x1F)
    if c == 0xC0:
        return "nil", None, i
    if c in (0xC2, 0xC3):
        return "bool", c == 0xC3, i
    if 0xCC <= c <= 0xCF:
        v, i = be(b, i, 1 << (c - 0xCC))
        return "int", v, i
    if 0xD0 <= c <= 0xD3:
        w = 1 << (c - 0xD0)
        v, i = be(b, i, w)
        return "int", v - (1 << (8 * w)) if v >> (8 * w - 1) else v, i
    if c in (0xCA, 0xCB):
        return "float", None, be(b, i, 4 if c == 0xCA else 8)[1]
    sized = {0xC4: ("bin", 1), 0xC5: ("bin", 2), 0xC6: ("bin", 4),
             0xD9: ("str", 1), 0xDA: ("str", 2), 0xDB: ("str", 4),
             0xDC: ("array", 2), 0xDD: ("array", 4),
             0xDE: ("map", 2), 0xDF: ("map", 4),
             0xC7: ("ext", 1), 0xC8: ("ext", 2), 0xC9: ("ext", 4)}
    if c in sized:
        kind, w = sized[c]
        n, i = be(b, i, w)
        if kind in ("array", "map"):
            return kind, n, i
        if kind == "ext":
            return data("ext", b, i + 1, n) if i < len(b) else bad()
        return data(kind, b, i, n)
    if 0xD4 <= c <= 0xD8:
        return data("ext", b, i + 1, 1 << (c - 0xD4))
    raise Bad(f"byte {c:02x} is not msgpack")


def bad():
    raise Bad("truncated")


def data(kind, b, i, n):
    if i + n > len(b):
        raise Bad("truncated")
    return kind, bytes(b[i:i + n]), i + n


def skip(b, i, depth):
    """Skip one whole object at b[i], the object itself at nesting level
    DEPTH_MAX - depth + 1; the next index."""
    if depth <= 0:
        raise Bad(f"nests deeper than {DEPTH_MAX} levels")
    kind, v, i = head(b, i)
    if kind in ("array", "map"):
        for _ in range(v * (2 if kind == "map" else 1)):
            i = skip(b, i, depth - 1)
    return i


# ---- the envelope: types, allowed values, canonical form ----

def uint_size(v):
    return 1 if v < 0x80 else 2 if v <= 0xFF else 3 if v <= 0xFFFF \
        else 5 if v <= 0xFFFFFFFF else 9


def int_size(v):
    if v >= 0:
        return uint_size(v)
    return 1 if v >= -32 else 2 if v >= -128 else 3 if v >= -32768 \
        else 5 if v >= -(1 << 31) else 9


def str_size(n):
    return n + (1 if n < 32 else 2 if n <= 0xFF else 3 if n <= 0xFFFF else 5)


FIELDS = [  # name, kind, check of the value, canonical size of the value
    ("format", "int", lambda v: v == 1, uint_size),
    ("seq", "int", lambda v: v >= 0, uint_size),
    ("stream", "str", lambda v: 1 <= len(v) <= 128, lambda v: str_size(len(v))),
    ("stream_version", "int", lambda v: v >= 1, uint_size),
    ("type", "int", lambda v: 0 <= v < 1 << 32, uint_size),
    ("schema_version", "int", lambda v: 1 <= v < 1 << 32, uint_size),
    ("occurred_at", "int", lambda v: -(1 << 63) <= v < 1 << 63, int_size),
    ("recorded_at", "int", lambda v: -(1 << 63) <= v < 1 << 63, int_size),
    ("id", "bin", lambda v: len(v) == 16, lambda v: 18),
    ("actor", "str", lambda v: len(v) <= 64, lambda v: str_size(len(v))),
    ("role", "str", lambda v: len(v) <= 32, lambda v: str_size(len(v))),
    ("correlation_id", "optbin", lambda v: v is None or len(v) == 16,
     lambda v: 1 if v is None else 18),
    ("causation_id", "optbin", lambda v: v is None or len(v) == 16,
     lambda v: 1 if v is None else 18),
]


def decode(env):
    """The envelope's values by name; raises Bad (undecodable) or returns
    with '_canonical' naming the first element not in its one encoding."""
    kind, n, i = head(env, 0)
    if kind != "array" or n != 15:
        raise Bad("envelope is not an array of 15 elements")
    sizes = [("the array header", i, 1)]
    rec = {}
    for name, want, ok, size in FIELDS:
        start = i
        kind, v, i = head(env, i)
        if want == "optbin" and kind == "nil":
            kind = "optbin"
        elif want == "optbin" and kind == "bin":
            kind = "optbin"
        if kind != want or not ok(v):
            raise Bad(f"{name} is not a valid {want}")
        rec[name] = v
        sizes.append((name, i - start, size(v)))
    start = i
    kind, _, _ = head(env, i)
    if kind != "map":
        raise Bad("payload is not a msgpack map")
    try:
        i = skip(env, i, DEPTH_MAX)
    except RecursionError:
        raise Bad("payload nests too deep")
    if i - start > PAYLOAD_MAX:
        raise Bad(f"payload is {i - start} bytes, over {PAYLOAD_MAX}")
    pstart = i
    kind, v, i = head(env, i)
    if kind != "bin" or len(v) != 16:
        raise Bad("prev_hash is not 16 bytes of bin")
    if i != len(env):
        raise Bad("bytes after the envelope's last element")
    rec["prev_hash"] = v
    sizes.append(("prev_hash", i - pstart, 18))
    rec["_canonical"] = next((name for name, have, want in sizes
                              if have != want), None)
    return rec


# ---- hashes with xxhsum, lookups with liblmdb ----

def hashes(envelopes):
    """xxhsum -H2 of each envelope, in order, as bytes."""
    out = []
    with tempfile.TemporaryDirectory(prefix="auditor.") as tmp:
        names = []
        for n, env in enumerate(envelopes):
            name = os.path.join(tmp, f"e{n:09d}")
            with open(name, "wb") as f:
                f.write(env)
            names.append(name)
        for k in range(0, len(names), 500):
            p = subprocess.run(["xxhsum", "-H2"] + names[k:k + 500],
                               capture_output=True, check=True)
            for line in p.stdout.decode().splitlines():
                out.append(bytes.fromhex(line.split()[0]))
    return out


class Val(ctypes.Structure):
    _fields_ = [("mv_size", ctypes.c_size_t), ("mv_data", ctypes.c_void_p)]


def first_lost(ledger, pairs):
    """Step 8 in a child process (a damaged page can make liblmdb abort):
    the first key a lookup does not lead to its value, 0 if none; None
    when liblmdb cannot be loaded (said on stderr)."""
    path = ctypes.util.find_library("lmdb")
    if not path:
        print("auditor: lookup step SKIPPED: liblmdb not found",
              file=sys.stderr)
        return None
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.write(w, str(lookups(path, ledger, pairs)).encode())
        os._exit(0)
    os.close(w)
    text = os.read(r, 64).decode()
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        raise Fail(0, "unreadable", "liblmdb died looking records up "
                   f"(signal {os.WTERMSIG(status)})")
    return int(text)


def lookups(path, ledger, pairs):
    lib = ctypes.CDLL(path)
    env, txn, dbi = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_uint()
    MDB_RDONLY = 0x20000
    if (lib.mdb_env_create(ctypes.byref(env)) or
            lib.mdb_env_set_maxdbs(env, 64) or
            lib.mdb_env_open(env, ledger.encode(), MDB_RDONLY, 0o644) or
            lib.mdb_txn_begin(env, None, MDB_RDONLY, ctypes.byref(txn)) or
            lib.mdb_dbi_open(txn, b"events", 0, ctypes.byref(dbi))):
        return -1
    for key, value in pairs:
        buf = ctypes.create_string_buffer(key, len(key))
        k = Val(len(key), ctypes.cast(buf, ctypes.c_void_p))
        v = Val()
        if (lib.mdb_get(txn, dbi, ctypes.byref(k), ctypes.byref(v)) or
                ctypes.string_at(v.mv_data, v.mv_size) != value):
            return int.from_bytes(key, "big") if len(key) == 8 else -1
    return 0


# ---- the checks ----

def check_events(pairs, lost):
    """Steps 2-8; the records' decoded values, in seq order."""
    envs = [v[:-16] for _, v in pairs if len(v) >= 17]
    sums = hashes(envs)
    prev, last_ms, recs = GENESIS, None, []
    for n, (key, value) in enumerate(pairs):
        seq = n + 1
        if len(key) != 8:
            raise Fail(seq, "undecodable envelope", f"key of {len(key)} bytes")
        if int.from_bytes(key, "big") != seq:
            raise Fail(seq, "gap in the sequence", f"seq {seq} is missing")
        if len(value) < 17:
            raise Fail(seq, "undecodable envelope", "record too short")
        try:
            rec = decode(value[:-16])
        except Bad as e:
            raise Fail(seq, "undecodable envelope", str(e))
        if rec["_canonical"]:
            raise Fail(seq, "not canonical",
                       f"{rec['_canonical']} is not in its shortest form")
        if rec["seq"] != seq:
            raise Fail(seq, "seq mismatch", f"envelope says {rec['seq']}")
        if sums[n] != value[-16:]:
            raise Fail(seq, "hash mismatch", "stored hash is not xxhsum's")
        if rec["prev_hash"] != prev:
            raise Fail(seq, "broken link", f"prev_hash is not seq {n}'s hash")
        if last_ms is not None and rec["recorded_at"] < last_ms:
            raise Fail(seq, "recorded time goes back", "recorded_at")
        if lost == seq:
            raise Fail(seq, "lookup by key misses the record",
                       "a lookup by its key does not find it")
        prev, last_ms = value[-16:], rec["recorded_at"]
        recs.append(rec)
    return recs, prev


def check_head(meta, n, last_hash):
    """Step 9."""
    h = dict(meta).get(b"head")
    if h is None:
        if n:
            raise Fail(n, "no recorded head", "meta has no head record")
        return
    if len(h) != 24:
        raise Fail(n, "no recorded head", f"meta head is {len(h)} bytes")
    seq = int.from_bytes(h[:8], "big")
    if seq > n:
        raise Fail(n + 1, "truncated tail", f"head is seq {seq}, log ends "
                   f"at {n}")
    if seq < n:
        raise Fail(seq + 1, "truncated tail", f"log runs past head {seq}")
    if h[8:] != last_hash:
        raise Fail(seq, "truncated tail", "hash differs from the head's")


def check_index(entries, want, problem, n, versions=False):
    """Steps 10-11: the index holds exactly want (key -> seq). The first
    bad seq: the first record whose entry is missing or wrong; else, in
    the stream index, the first entry (in key order) whose version does
    not follow its stream's previous one; else the smallest seq an extra
    entry names."""
    have = {}
    for key, value in entries:
        have[key] = int.from_bytes(value, "big") if len(value) == 8 else 0
    for seq, key in enumerate(want, 1):
        if have.get(key) != seq:
            raise Fail(seq, problem, f"entry for record {seq} missing or "
                       f"wrong ({len(entries)} entries for {n} records)")
    prev, ver = None, 0
    for key, value in entries if versions else []:
        seq = int.from_bytes(value, "big") if len(value) == 8 else 0
        if len(key) < 10 or len(key) != key[0] + 9 or len(value) != 8:
            raise Fail(seq or 1, problem, "malformed entry")
        if seq > n:
            continue
        stream, v = key[:-8], int.from_bytes(key[-8:], "big")
        if v != (ver + 1 if stream == prev else 1):
            raise Fail(seq, problem, f"version {v} out of order")
        prev, ver = stream, v
    extra = [s if 1 <= s else n + 1 for k, s in have.items()
             if not (1 <= s <= n and want[s - 1] == k)]
    if extra or len(entries) != n:
        raise Fail(min(extra) if extra else n + 1, problem,
                   f"entries no record backs ({len(entries)} entries "
                   f"for {n} records)")


def stream_key(rec):
    s = rec["stream"]
    return bytes([len(s)]) + s + rec["stream_version"].to_bytes(8, "big")


def audit(ledger):
    pairs = dump(ledger, "events")
    lost = first_lost(ledger, pairs) if pairs else 0
    recs, last_hash = check_events(pairs, lost)
    check_head(dump(ledger, "meta"), len(recs), last_hash)
    n = len(recs)
    check_index(dump(ledger, "streams"), [stream_key(r) for r in recs],
                "stream index disagrees", n, versions=True)
    check_index(dump(ledger, "ids"), [r["id"] for r in recs],
                "idempotency index disagrees", n)
    return n, last_hash


def main():
    if len(sys.argv) != 2:
        print("usage: auditor_check.py LEDGER_DIR", file=sys.stderr)
        return 2
    for tool in ("mdb_dump", "xxhsum"):
        if not shutil.which(tool):
            print(f"auditor: {tool} not found", file=sys.stderr)
            return 2
    sys.setrecursionlimit(10000)
    try:
        n, h = audit(sys.argv[1])
    except Fail as f:
        print(f"auditor: FAILED at seq {f.seq}: {f.problem}: {f.detail}",
              file=sys.stderr)
        return 1
    print(f"ok: {n} records, head seq {n} hash {h.hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
