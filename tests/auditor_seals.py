#!/usr/bin/env python3
"""auditor_seals.py LEDGER_DIR SEAL_FILE PUBKEY_HEX_OR_FILE...

An auditor's check of svcledger's period seals with none of its code: the
standard library, `mdb_dump` for the records, `openssl` 3 for Ed25519.
Each line of SEAL_FILE, in order, must be a seal signed by a trusted key,
for this ledger, whose signature verifies over its text; that follows the
one before (the first from seq 1 with a zero prev_digest, then from the
previous to_seq + 1 with the previous digest); whose records are in the
ledger with digest = BLAKE2b-256(prev_digest, then per record: u64 BE seq,
u32 BE length, the record as stored) and head_hash = record to_seq's last
16 bytes. Prints "seal N: seq A..B OK" per seal and exits 0, or "FAILED at
seq A..B: <why>" at the first bad seal and exits 1 (2: could not check).
Not checked: that the key was registered to the sealer then, and that each
seal's own event is in the ledger as in the file (the file's "seq", where
the seal event sits, is not signed): both need the msgpack payloads
decoded, which
`svcledger verify --seals FILE --trust KEY...` does.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

ED25519_SPKI = bytes.fromhex("302a300506032b6570032100")  # DER, then key


def die(why):
    print(f"auditor_seals: {why}", file=sys.stderr)
    sys.exit(2)


def dump(ledger, db):
    """{key: value} of one sub-database, from `mdb_dump`'s hex lines."""
    p = subprocess.run(["mdb_dump", "-s", db, ledger], capture_output=True)
    if p.returncode != 0:
        die(f"mdb_dump -s {db} {ledger} failed")
    lines = p.stdout.decode("ascii").splitlines()
    data = [bytes.fromhex(x) for x in
            lines[lines.index("HEADER=END") + 1:lines.index("DATA=END")]]
    return dict(zip(data[0::2], data[1::2]))


def key_arg(arg):
    """64 hex digits, or a file holding them (a `svcledger keygen` .pub)."""
    return (open(arg).read() if os.path.isfile(arg) else arg).strip()


def quoted(text):
    """A JSON string literal, as svcledger writes one in signed texts."""
    return '"' + "".join(
        "\\" + ch if ch in '"\\' else
        f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch
        for ch in text) + '"'


def seal_text(s):
    """The exact text a seal's signature is over (hex is lowercase)."""
    return (f"svcledger seal 1\nledger={s['ledger_id']}\n"
            f"from_seq={s['from_seq']}\nto_seq={s['to_seq']}\n"
            f"head_hash={s['head_hash']}\nprev_digest={s['prev_digest']}\n"
            f"digest={s['digest']}\nsealed_at_ms={s['sealed_at_ms']}\n"
            f"period={quoted(s['period'])}\nstaff={quoted(s['staff_id'])}\n"
            f"role={quoted(s['role'])}\nkey={s['public_key']}\n").encode()


def signature_ok(s):
    with tempfile.TemporaryDirectory() as tmp:
        key = ED25519_SPKI + bytes.fromhex(s["public_key"])
        sig = bytes.fromhex(s["signature"])
        for name, data in (("key", key), ("text", seal_text(s)), ("sig", sig)):
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        return subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER",
             "-inkey", "key", "-rawin", "-in", "text", "-sigfile", "sig"],
            cwd=tmp, capture_output=True).returncode == 0


def digest(records, prev, a, b):
    h = hashlib.blake2b(bytes.fromhex(prev), digest_size=32)
    for seq in range(a, b + 1):
        r = records.get(seq, b"")
        h.update(seq.to_bytes(8, "big") + len(r).to_bytes(4, "big") + r)
    return h.hexdigest()


def problem(s, prev, ledger_id, records, trusted):
    """What is wrong with seal s, given the seal before it; or None."""
    a, b, end = s["from_seq"], s["to_seq"], max(records, default=0)
    if s["public_key"] not in trusted:
        return (f"signed by key {s['public_key'][:16]}... ({s['staff_id']}),"
                " which is not among the trusted keys")
    if s["ledger_id"] != ledger_id:
        return "the seal is for another ledger"
    if not signature_ok(s):
        return "its signature does not verify (the seal was altered)"
    if a != prev["to_seq"] + 1 or s["prev_digest"] != prev["digest"]:
        return (f"it does not follow the seal before it, which ends at seq "
                f"{prev['to_seq']} (a seal is missing, moved or altered)")
    if not a <= b <= end:
        return f"to_seq is not in {a}..{end} (the ledger's last seq)"
    if digest(records, prev["digest"], a, b) != s["digest"]:
        return "records changed after they were sealed (digest differs)"
    if records[b][-16:].hex() != s["head_hash"]:
        return f"head_hash is not the hash of seq {b}"


def main():
    if len(sys.argv) < 4:
        die("usage: auditor_seals.py LEDGER_DIR SEAL_FILE KEY...")
    for tool in ("mdb_dump", "openssl"):
        if not shutil.which(tool):
            die(f"{tool} not found")
    try:
        trusted = [key_arg(k) for k in sys.argv[3:]]
        with open(sys.argv[2]) as f:
            seals = [json.loads(line) for line in f if line.strip()]
        records = {int.from_bytes(k, "big"): v
                   for k, v in dump(sys.argv[1], "events").items()}
        ledger_id = dump(sys.argv[1], "meta").get(b"ledger_id", b"").hex()
        prev = {"to_seq": 0, "digest": "0" * 64}
        for n, s in enumerate(seals, 1):
            why = problem(s, prev, ledger_id, records, trusted)
            a, b = s["from_seq"], s["to_seq"]
            print(f"FAILED at seq {a}..{b}: {why}" if why else
                  f"seal {n}: seq {a}..{b} OK")
            if why:
                return 1
            prev = s
    except (OSError, ValueError, KeyError, TypeError) as e:
        die(f"cannot read the keys or the seal file: {e!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
