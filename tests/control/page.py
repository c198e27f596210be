"""page.py - a kiosk's own control page (--http): the page is served, it
needs the kiosk's token, the event stream starts with the kiosk's state, a
command from the page runs on the kiosk and its reply comes back on the
stream with its id, thumbnails come while a page watches, and the page's
SCREENSHOT makes a fresh one. Beyond loopback without a token it does not
start. Over plain HTTP from Python (the browser test is control_hub)."""
import http.client
import json
import os
import socket
import subprocess
import time

from kiosk import BIN, EMU, Kiosk, check, free_port, workdir
import kiosk

TOKEN = "page-%d" % os.getpid()


class Stream:
    """An SSE stream: events as (type, data) pairs."""

    def __init__(self, port, cookie):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.c.request("GET", "/events", headers={"Cookie": cookie})
        self.r = self.c.getresponse()
        check(self.r.status == 200 and self.r.getheader("Content-Type") == "text/event-stream",
              "/events is an event stream")

    def until(self, pred, what, timeout=30):
        end = time.time() + timeout
        kind = None
        while time.time() < end:
            line = self.r.fp.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: ") and kind:
                data = json.loads(line[6:])
                if pred(kind, data):
                    return data
        check(False, "no event with " + what)


def request(port, method, path, body=None, cookie=None, marker=True):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {}
    if body is not None:
        headers["Content-Type"] = "application/json"
        if marker:
            headers["X-Metahall"] = "1"
    if cookie:
        headers["Cookie"] = cookie
    c.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("Set-Cookie"), data


def main():
    work = workdir("control_page")
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(token_file, 0o600)
    hport = free_port()
    k = Kiosk(work, "p1", unix=False, args=["--token-file", token_file, "--http", "127.0.0.1:%d" % hport])
    k.token = TOKEN
    try:
        status, _, body = request(hport, "GET", "/")
        check(status == 200 and b"<title>metahall" in body, "the page is served")
        status, _, body = request(hport, "GET", "/api/session")
        check(json.loads(body) == {"logged_in": False, "token_required": True, "mode": "kiosk"}, "a kiosk's page, "
              "not logged in: %s" % body)
        check(request(hport, "POST", "/api/cmd", {"target": "default/p1", "cmd": "QUIT"})[0] == 401,
              "no command without logging in")
        check(request(hport, "POST", "/api/login", {"token": "wrong"})[0] == 403, "a wrong token is refused")
        status, cookie, _ = request(hport, "POST", "/api/login", {"token": TOKEN})
        check(status == 200 and cookie and cookie.startswith("mh_session="), "the kiosk's token logs in")
        cookie = cookie.split(";")[0]

        ev = Stream(hport, cookie)
        snap = ev.until(lambda t, d: t == "snapshot", "a snapshot")
        check([x["key"] for x in snap["kiosks"]] == ["default/p1"], "the snapshot is this kiosk: %s" % snap)
        ev.until(lambda t, d: t == "state" and d["state"]["kiosk"] == "p1", "the kiosk's state")
        thumb = ev.until(lambda t, d: t == "thumb", "a thumbnail while the page watches")
        status, _, png = request(hport, "GET", "/api/thumb?k=default/p1", cookie=cookie)
        check(status == 200 and png[:4] == b"\x89PNG", "the thumbnail is a PNG (%d bytes)" % len(png))

        check(request(hport, "POST", "/api/cmd", {"target": "default/p1", "cmd": "SWITCH xiamen", "id": "w1"},
                      cookie=cookie)[0] == 202, "the page's SWITCH is taken")
        r = ev.until(lambda t, d: t == "reply" and d["id"] == "w1", "the reply to w1")
        check(r["reply"] == "OK featured xiamen", "the reply comes back with its id: %s" % r)
        check(k.status()["exhibit"] == "xiamen", "the kiosk switched")
        check(request(hport, "POST", "/api/cmd", {"target": "default/k9", "cmd": "PING"}, cookie=cookie)[0] == 400,
              "another kiosk's key is refused")
        request(hport, "POST", "/api/cmd", {"target": "default/p1", "cmd": "SCREENSHOT THUMB", "id": "w2"}, cookie=cookie)
        r = ev.until(lambda t, d: t == "reply" and d["id"] == "w2", "the reply to w2")
        check(r["reply"].startswith("OK png "), "SCREENSHOT from the page: %s" % r)
        newer = ev.until(lambda t, d: t == "thumb", "the fresh thumbnail")
        check(newer["version"] > thumb["version"], "a newer thumbnail version")
        request(hport, "POST", "/api/cmd", {"target": "default/all", "cmd": "QUIT", "id": "w3"}, cookie=cookie)
        check(k.proc.wait(30) == 0, "QUIT from the page (logged in with the token) stops the kiosk cleanly")
    finally:
        k.stop()

    r = subprocess.run(EMU + [BIN, "--platform", "headless", "--frames", "1", "--http", "0.0.0.0:%d" % free_port()],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    check(r.returncode == 1 and "reachable from the network: set a token" in r.stderr,
          "--http beyond loopback without a token does not start: %r" % r.stderr[-200:])
    # metahall hub's command line
    r = subprocess.run(EMU + [BIN, "hub"], capture_output=True, text=True, timeout=60)
    check(r.returncode == 2 and "--mqtt HOST:PORT is required" in r.stderr, "hub without --mqtt: exit 2")
    r = subprocess.run(EMU + [BIN, "hub", "--mqtt", "127.0.0.1:1", "--listen", "0.0.0.0:%d" % free_port()],
                       capture_output=True, text=True, timeout=60, env=dict(os.environ, METAHALL_TOKEN=""))
    check(r.returncode == 1 and "reachable from the network: set a token" in r.stderr,
          "hub beyond loopback without a token: exit 1: %r" % r.stderr[-200:])
    r = subprocess.run(EMU + [BIN, "hub", "--help"], capture_output=True, text=True, timeout=60)
    check(r.returncode == 0 and "usage: metahall hub" in r.stdout, "hub --help")
    print("page: %d checks passed" % kiosk.checks)


main()
