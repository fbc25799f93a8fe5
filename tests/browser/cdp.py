#!/usr/bin/env python3
"""cdp.py - load one HTML page in headless Chromium and say what it saw.

usage: cdp.py PAGE.html [--screenshot OUT.png] [--pdf OUT.pdf] [--width 1200]
              [--top HEIGHT] [--timeout 60]

The report's browser test (tests/test_report_browser.c) and the README's
screenshot (tests/browser/report_shot.sh) drive Chromium through the
Chrome DevTools Protocol with the Python standard library alone: the build
machines have no pip, so the WebSocket client below is the minimum RFC 6455
needs (client frames masked, server frames read whole, pings answered).

It launches Chromium with a fresh profile and an OS-chosen debugging port,
opens the page from file://, waits for its load event, and prints one JSON
document on stdout:

  console_errors  every console.error/assert, uncaught exception and log
                  entry of level error (CSP violations and blocked loads
                  arrive there), each {"source", "level", "text", "url"}
  page            the page's absolute path
  lang, title     <html lang> and <title>
  csp             the content of <meta http-equiv="Content-Security-Policy">
  sections        ids of <section id=...>, in page order
  sections_without_h2
  kpi_attrs       the data-* attributes of <section id="kpi">
  rows            every <tr data-label> of table.kpi: {"kind", "label"}
  cells           every <td data-kpi> in them: {"kind", "label", "kpi",
                  "value", "text"}
  head            {"seq", "hash", "hash_text", "verify"} from #head-seq,
                  #head-hash and #verify (null where missing)
  scripts, svgs   how many <script> and <svg> elements the page has
  external        src/href values that are neither data: nor #fragments
  screenshot      {"path", "width", "height", "bytes"} when asked
  pdf, pdf_pages  path and page count when asked (A4, backgrounds printed)

The page is laid out WIDTH CSS pixels wide (default 1200). The screenshot
is the full page, or with --top H only the top H pixels (the viewport is
then H high). Chromium and its profile directory are removed whatever
happens; after --timeout seconds (default 60) the run stops with a message
on stderr. CDP_TRACE=1 in the environment times each step on stderr.
Exit codes: 0 the page was read (console errors or not; the
caller judges), 2 usage, 3 Chromium or the protocol failed or timed out.
"""

import base64
import hashlib
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
    "--hide-scrollbars", "--mute-audio",
    "--remote-debugging-port=0",
]

# Screenshots taller than this are clipped: Chromium's own limit for one
# capture is 16384 device pixels.
MAX_SHOT_PX = 16384


T0 = time.monotonic()


def trace(what):
    """With CDP_TRACE=1 in the environment, say on stderr when each step
    ends: where a slow run spends its time."""
    if os.environ.get("CDP_TRACE") == "1":
        print("cdp.py: %6.2f s %s" % (time.monotonic() - T0, what),
              file=sys.stderr)


class Failure(Exception):
    """Chromium, the protocol or the time limit failed us: exit 3."""


class Deadline:
    def __init__(self, seconds):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self, what):
        t = self.end - time.monotonic()
        if t <= 0:
            raise Failure("timed out after %g s %s" % (self.seconds, what))
        return t


# ---- a WebSocket client (RFC 6455), enough for the DevTools endpoint ----

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WebSocket:
    def __init__(self, host, port, path, deadline):
        self.deadline = deadline
        self.sock = socket.create_connection(
            (host, port), timeout=deadline.left("connecting to Chromium"))
        key = base64.b64encode(os.urandom(16))
        # no Origin header: Chromium refuses foreign origins unless told
        # otherwise, and a client without one is not a web page
        req = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n"
               % (path, host, port, key.decode()))
        self.sock.sendall(req.encode())
        # a bytearray: appending the chunks of a large screenshot to a
        # bytes object would copy it over and over
        self.buf = bytearray()
        while b"\r\n\r\n" not in self.buf:
            self._fill("for the WebSocket handshake")
        end = self.buf.index(b"\r\n\r\n")
        head = bytes(self.buf[:end])
        del self.buf[:end + 4]
        lines = head.decode("latin-1").split("\r\n")
        if " 101 " not in lines[0] + " ":
            raise Failure("WebSocket handshake refused: %s" % lines[0])
        want = base64.b64encode(hashlib.sha1(key + WS_GUID).digest())
        accept = [l.split(":", 1)[1].strip() for l in lines[1:]
                  if l.lower().startswith("sec-websocket-accept:")]
        if accept != [want.decode()]:
            raise Failure("WebSocket handshake: bad Sec-WebSocket-Accept")

    def _fill(self, what):
        self.sock.settimeout(self.deadline.left(what))
        try:
            chunk = self.sock.recv(1 << 20)
        except socket.timeout:
            raise Failure("timed out after %g s %s"
                          % (self.deadline.seconds, what))
        if not chunk:
            raise Failure("Chromium closed the connection %s" % what)
        self.buf += chunk

    def _take(self, n, what):
        while len(self.buf) < n:
            self._fill(what)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def _send_frame(self, opcode, data):
        n = len(data)
        if n < 126:
            hdr = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 1 << 16:
            hdr = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            hdr = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        mask = os.urandom(4)
        # XOR the whole payload at once as one big integer: a per-byte
        # Python loop is slow on large messages
        reps = (n + 3) // 4
        m = int.from_bytes(mask * reps, "big") >> (8 * (4 * reps - n))
        masked = (int.from_bytes(data, "big") ^ m).to_bytes(n, "big")
        self.sock.settimeout(self.deadline.left("sending to Chromium"))
        self.sock.sendall(hdr + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self, what):
        """The next whole text or binary message."""
        parts = []
        while True:
            b0, b1 = self._take(2, what)
            fin, opcode, n = b0 & 0x80, b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._take(2, what))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._take(8, what))[0]
            mask = self._take(4, what) if b1 & 0x80 else None
            data = self._take(n, what)
            if mask:
                data = bytes(c ^ mask[i % 4] for i, c in enumerate(data))
            if opcode == 0x8:
                raise Failure("Chromium closed the WebSocket %s" % what)
            if opcode == 0x9:
                self._send_frame(0xA, data)
                continue
            if opcode == 0xA:
                continue
            parts.append(data)
            if fin:
                return b"".join(parts)

    def close(self):
        try:
            self._send_frame(0x8, b"")
        except (OSError, Failure):
            pass
        self.sock.close()


# ---- the DevTools session ----

class Session:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    def call(self, method, what=None, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method,
                                 "params": params}))
        what = what or "for the answer to " + method
        while True:
            msg = json.loads(self.ws.recv(what))
            if msg.get("id") == mid:
                if "error" in msg:
                    raise Failure("%s failed: %s"
                                  % (method, msg["error"].get("message")))
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, method, what):
        for i, ev in enumerate(self.events):
            if ev["method"] == method:
                del self.events[i]
                return ev
        while True:
            msg = json.loads(self.ws.recv(what))
            if msg.get("method") == method:
                return msg
            if "method" in msg:
                self.events.append(msg)

    def drain(self, seconds):
        """Collect the events that arrive within the next few moments."""
        end = time.monotonic() + seconds
        while True:
            t = end - time.monotonic()
            if t <= 0:
                return
            self.ws.sock.settimeout(t)
            if not self.ws.buf:
                try:
                    chunk = self.ws.sock.recv(1 << 20)
                except socket.timeout:
                    return
                if not chunk:
                    return
                self.ws.buf += chunk
            msg = json.loads(self.ws.recv("collecting late console errors"))
            if "method" in msg:
                self.events.append(msg)


def remote_text(obj):
    if "value" in obj:
        v = obj["value"]
        return v if isinstance(v, str) else json.dumps(v)
    return obj.get("description") or obj.get("unserializableValue") or \
        obj.get("type", "")


def console_errors(events):
    out = []
    for ev in events:
        m, p = ev["method"], ev.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in (
                "error", "assert"):
            out.append({"source": "console", "level": p["type"],
                        "text": " ".join(remote_text(a)
                                         for a in p.get("args", [])),
                        "url": ((p.get("stackTrace") or {}).get(
                            "callFrames") or [{}])[0].get("url", "")})
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            exc = d.get("exception") or {}
            out.append({"source": "exception", "level": "error",
                        "text": exc.get("description") or d.get("text", ""),
                        "url": d.get("url", "")})
        elif m == "Log.entryAdded":
            e = p.get("entry", {})
            if e.get("level") == "error":
                out.append({"source": e.get("source", "log"),
                            "level": "error", "text": e.get("text", ""),
                            "url": e.get("url", "")})
    return out


# Runs in the page; returns plain data (returnByValue).
PAGE_PROBE = r"""
(() => {
  const all = (sel, root) =>
    Array.from((root || document).querySelectorAll(sel));
  const byId = (id) => document.getElementById(id);
  const attr = (el, name) => el ? el.getAttribute(name) : null;
  const out = {};
  out.lang = document.documentElement.getAttribute('lang');
  out.title = document.title;
  const csp = document.querySelector(
    'meta[http-equiv="Content-Security-Policy" i]');
  out.csp = csp ? csp.getAttribute('content') : null;
  out.sections = all('section[id]').map(s => s.id);
  out.sections_without_h2 =
    all('section[id]').filter(s => !s.querySelector('h2')).map(s => s.id);
  const kpi = document.querySelector('section#kpi');
  out.kpi_attrs = {};
  if (kpi)
    for (const a of Array.from(kpi.attributes))
      if (a.name.startsWith('data-')) out.kpi_attrs[a.name] = a.value;
  out.rows = [];
  out.cells = [];
  for (const t of all('table.kpi')) {
    const kind = t.getAttribute('data-period-kind');
    for (const tr of all('tr[data-label]', t)) {
      const label = tr.getAttribute('data-label');
      out.rows.push({kind: kind, label: label});
      for (const td of all('[data-kpi]', tr))
        out.cells.push({kind: kind, label: label,
                        kpi: td.getAttribute('data-kpi'),
                        value: td.getAttribute('data-value'),
                        text: td.textContent.trim()});
    }
  }
  const hs = byId('head-seq'), hh = byId('head-hash'), v = byId('verify');
  out.head = {seq: attr(hs, 'data-value'),
              hash: attr(hh, 'data-value'),
              hash_text: hh ? hh.textContent.trim() : null,
              verify: attr(v, 'data-ok')};
  out.scripts = all('script').length;
  out.svgs = all('svg').length;
  out.external = [];
  for (const el of all('[src], [href]'))
    for (const name of ['src', 'href']) {
      const val = el.getAttribute(name);
      if (val !== null && !/^(data:|#)/i.test(val.trim()))
        out.external.push(val);
    }
  return out;
})()
"""


# ---- Chromium ----

def http_get_json(port, path, method, deadline):
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=deadline.left("asking Chromium " + path))
    try:
        conn.request(method, path)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise Failure("Chromium %s %s: HTTP %d %s"
                          % (method, path, resp.status, body[:200]))
        return json.loads(body)
    finally:
        conn.close()


def start_chromium(profile):
    log = open(os.path.join(profile, "chromium.log"), "wb")
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    # own session: the browser and its renderers are one process group,
    # ended together whatever state they are in
    proc = subprocess.Popen(
        [exe] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile,
                                  "about:blank"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        start_new_session=True)
    log.close()
    return proc


def chromium_log_tail(profile):
    try:
        with open(os.path.join(profile, "chromium.log"), "rb") as f:
            data = f.read()[-1500:]
        return data.decode("utf-8", "replace")
    except OSError:
        return ""


def wait_port(proc, profile, deadline):
    path = os.path.join(profile, "DevToolsActivePort")
    while True:
        if proc.poll() is not None:
            raise Failure("chromium exited with %s before it listened:\n%s"
                          % (proc.returncode, chromium_log_tail(profile)))
        try:
            with open(path) as f:
                first = f.readline().strip()
            if first.isdigit():
                return int(first)
        except OSError:
            pass
        deadline.left("waiting for Chromium's DevToolsActivePort")
        time.sleep(0.05)


def stop_chromium(proc):
    if proc is None:
        return
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            # the renderers may outlive the browser for a moment
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        except subprocess.TimeoutExpired:
            continue


# ---- output files ----

def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise Failure("the screenshot is not a PNG")
    return struct.unpack("!II", data[16:24])


def pdf_pages(data):
    n = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    if n:
        return n
    counts = [int(c) for c in re.findall(rb"/Count\s+(\d+)", data)]
    return max(counts) if counts else 0


def write_file(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ---- the run ----

def load_page(s, url, width, height, deadline):
    s.call("Runtime.enable")
    s.call("Log.enable")
    s.call("Page.enable")
    s.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
           deviceScaleFactor=1, mobile=False)
    nav = s.call("Page.navigate", url=url)
    if nav.get("errorText"):
        raise Failure("cannot open %s: %s" % (url, nav["errorText"]))
    s.wait_event("Page.loadEventFired", "waiting for the page to load")
    # a blocked load may be logged a moment after the load event
    s.drain(min(0.5, deadline.left("after the load event")))


def probe(s):
    r = s.call("Runtime.evaluate", expression=PAGE_PROBE,
               returnByValue=True)
    if "exceptionDetails" in r:
        raise Failure("the page probe threw: %s"
                      % r["exceptionDetails"].get("text"))
    return r["result"]["value"]


def screenshot(s, path, width, top):
    if top:
        height = top
    else:
        m = s.call("Page.getLayoutMetrics")
        size = m.get("cssContentSize") or m["contentSize"]
        height = min(int(size["height"] + 0.999), MAX_SHOT_PX)
    r = s.call("Page.captureScreenshot", format="png",
               captureBeyondViewport=not top,
               clip={"x": 0, "y": 0, "width": width, "height": height,
                     "scale": 1})
    data = base64.b64decode(r["data"])
    w, h = png_size(data)
    write_file(path, data)
    return {"path": path, "width": w, "height": h, "bytes": len(data)}


def print_pdf(s, path):
    r = s.call("Page.printToPDF", "for the PDF", paperWidth=8.27,
               paperHeight=11.69, printBackground=True)
    data = base64.b64decode(r["data"])
    if not data.startswith(b"%PDF-"):
        raise Failure("Page.printToPDF did not return a PDF")
    write_file(path, data)
    return pdf_pages(data)


def run(args, deadline):
    page = os.path.abspath(args["page"])
    if not os.path.isfile(page):
        raise Failure("no page at %s" % page)
    profile = tempfile.mkdtemp(prefix="svl-cdp-")
    proc = ws = None
    try:
        proc = start_chromium(profile)
        port = wait_port(proc, profile, deadline)
        trace("chromium listens on port %d" % port)
        targets = http_get_json(port, "/json/list", "GET", deadline)
        pages = [t for t in targets if t.get("type") == "page"]
        target = pages[0] if pages else http_get_json(
            port, "/json/new?about:blank", "PUT", deadline)
        wsurl = target["webSocketDebuggerUrl"]
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", wsurl)
        if not m:
            raise Failure("odd webSocketDebuggerUrl %r" % wsurl)
        ws = WebSocket(m.group(1), int(m.group(2)), m.group(3), deadline)
        trace("connected to the page")
        s = Session(ws)
        width = args["width"]
        load_page(s, pathlib.Path(page).as_uri(), width, args["top"] or 900,
                  deadline)
        trace("page loaded")
        out = {"page": page}
        out.update(probe(s))
        trace("page read")
        if args["screenshot"]:
            out["screenshot"] = screenshot(
                s, os.path.abspath(args["screenshot"]), width, args["top"])
            trace("screenshot taken")
        if args["pdf"]:
            out["pdf"] = os.path.abspath(args["pdf"])
            out["pdf_pages"] = print_pdf(s, out["pdf"])
            trace("pdf printed")
        # anything logged while drawing counts too
        s.drain(0.1)
        out["console_errors"] = console_errors(s.events)
        return out
    finally:
        # cleanup has its own bounded waits: the backstop must not cut it
        signal.alarm(0)
        if ws is not None:
            ws.close()
        stop_chromium(proc)
        shutil.rmtree(profile, ignore_errors=True)
        trace("chromium stopped")


USAGE = ("usage: cdp.py PAGE.html [--screenshot OUT.png] [--pdf OUT.pdf] "
         "[--width 1200] [--top HEIGHT] [--timeout 60]")


def parse_args(argv):
    args = {"page": None, "screenshot": None, "pdf": None, "width": 1200,
            "top": 0, "timeout": 60.0}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(USAGE)
            sys.exit(0)
        if a in ("--screenshot", "--pdf", "--width", "--top", "--timeout"):
            if i + 1 >= len(argv):
                raise ValueError("%s needs a value" % a)
            v = argv[i + 1]
            key = a[2:]
            if key in ("width", "top"):
                args[key] = int(v)
                if args[key] < 1 or args[key] > MAX_SHOT_PX:
                    raise ValueError("%s must be 1..%d" % (a, MAX_SHOT_PX))
            elif key == "timeout":
                args[key] = float(v)
                if args[key] <= 0:
                    raise ValueError("--timeout must be positive")
            else:
                args[key] = v
            i += 2
            continue
        if a.startswith("-") or args["page"]:
            raise ValueError("unexpected argument %r" % a)
        args["page"] = a
        i += 1
    if not args["page"]:
        raise ValueError("no page given")
    return args


class Alarm(Exception):
    pass


def on_alarm(signum, frame):
    raise Alarm()


def on_term(signum, frame):
    # run the finally blocks: Chromium and its profile go too
    sys.exit(3)


def main(argv):
    try:
        args = parse_args(argv)
    except ValueError as e:
        print("cdp.py: %s\n%s" % (e, USAGE), file=sys.stderr)
        return 2
    deadline = Deadline(args["timeout"])
    # the socket timeouts enforce the deadline; the alarm is the backstop
    # for anything that blocks elsewhere (a hung wait, a slow file)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.alarm(int(args["timeout"]) + 5)
    try:
        out = run(args, deadline)
    except Alarm:
        print("cdp.py: timed out after %g s" % args["timeout"],
              file=sys.stderr)
        return 3
    except (Failure, OSError, ValueError, KeyError) as e:
        print("cdp.py: %s" % e, file=sys.stderr)
        return 3
    finally:
        signal.alarm(0)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
