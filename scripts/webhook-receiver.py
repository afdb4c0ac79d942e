#!/usr/bin/env python3
"""A local receiver for duty-agent's [[alert]] targets, for tests and for trying the feature.

Records every request (method, path, query, headers, body) as one JSON line in --log, checks
DingTalk and Feishu signatures when given the secret, and answers as each vendor does:

  /dingtalk...  {"errcode":0,"errmsg":"ok"}     (DingTalk custom robot)
  /wecom...     {"errcode":0,"errmsg":"ok"}     (WeCom group robot)
  /feishu...    {"code":0,"msg":"success","data":{}} (Feishu custom bot)
  anything else 200 {"ok":true}                 (plain webhook)

Told to misbehave through a control file (--control, JSON, read at each request and rewritten):
  {"fail": N, "mode": "500" | "vendor" | "drop" | "ratelimit"}
the next N requests get HTTP 500, a vendor error code, a dropped connection, or a rate-limit
answer (HTTP 429 for the plain webhook, errcode 130101 / 45009, code 9499), and are logged with
"answered" set to what they got. Stdlib only (Python 3.8+).

  scripts/webhook-receiver.py --port 18080 --log received.jsonl \
      [--dingtalk-secret-file f] [--feishu-secret-file f] [--control control.json]

It prints "listening on PORT" once it accepts connections (port 0 picks a free one).
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def read_secret(path):
    if not path:
        return None
    with open(path, "r", encoding="utf-8") as f:
        return f.read().strip()


def dingtalk_ok(query, secret):
    ts = query.get("timestamp", [None])[0]
    sign = query.get("sign", [None])[0]
    if ts is None or sign is None:
        return False
    mac = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    # parse_qs already decoded the URL encoding of sign.
    return hmac.compare_digest(base64.b64encode(mac).decode(), sign) and abs(time.time() * 1000 - int(ts)) < 3600_000


def feishu_ok(body, secret):
    ts, sign = body.get("timestamp"), body.get("sign")
    if ts is None or sign is None:
        return False
    mac = hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(mac).decode(), sign) and abs(time.time() - int(ts)) < 3600


def take_failure(control):
    """One failure from the control file, or None."""
    if not control or not os.path.exists(control):
        return None
    with open(control, "r", encoding="utf-8") as f:
        try:
            state = json.load(f)
        except ValueError:
            return None
    n = int(state.get("fail", 0))
    if n <= 0:
        return None
    state["fail"] = n - 1
    with open(control + ".tmp", "w", encoding="utf-8") as f:
        json.dump(state, f)
    os.replace(control + ".tmp", control)
    return state.get("mode", "500")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer(200, {"ok": True}, record=False)

    def do_POST(self):
        args = self.server.args
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length) if length else b""
        parsed = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(parsed.query)
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            body = None
        vendor = "webhook"
        for name in ("dingtalk", "wecom", "feishu"):
            if parsed.path.startswith("/" + name):
                vendor = name
        signature = None
        if vendor == "dingtalk" and args.dingtalk_secret:
            signature = dingtalk_ok(query, args.dingtalk_secret)
        if vendor == "feishu" and args.feishu_secret and isinstance(body, dict):
            signature = feishu_ok(body, args.feishu_secret)
        with LOCK:
            failure = take_failure(args.control)
        record = {
            "received": time.time(), "method": self.command, "path": parsed.path, "query": query,
            "headers": dict(self.headers.items()), "body": body, "raw": raw.decode("utf-8", "replace"),
            "vendor": vendor, "signature_ok": signature, "answered": failure or "ok",
        }
        with LOCK:
            with open(args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
        if failure == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        if failure == "500":
            return self.answer(500, {"error": "test failure"})
        if signature is False:
            return self.answer(200, vendor_error(vendor, "sign"))
        if failure == "vendor":
            return self.answer(200, vendor_error(vendor, "other"))
        if failure == "ratelimit":
            if vendor == "webhook":
                return self.answer(429, {"error": "slow down"}, retry_after=1)
            return self.answer(200, vendor_error(vendor, "rate"))
        self.answer(200, vendor_ok(vendor))

    def answer(self, status, obj, record=True, retry_after=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        self.end_headers()
        self.wfile.write(data)


def vendor_ok(vendor):
    if vendor in ("dingtalk", "wecom"):
        return {"errcode": 0, "errmsg": "ok"}
    if vendor == "feishu":
        return {"code": 0, "msg": "success", "data": {}}
    return {"ok": True}


def vendor_error(vendor, what):
    codes = {
        "dingtalk": {"sign": (310000, "sign not match"), "rate": (130101, "send too fast"), "other": (300001, "token is not exist")},
        "wecom": {"sign": (93000, "invalid webhook url"), "rate": (45009, "api freq out of limit"), "other": (93000, "invalid webhook url")},
        "feishu": {"sign": (19021, "sign match fail or timestamp is not within one hour from current time"),
                   "rate": (9499, "too many request"), "other": (19001, "param invalid")},
    }
    if vendor == "webhook":
        return {"ok": False, "error": what}
    code, msg = codes[vendor][what]
    if vendor == "feishu":
        return {"code": code, "msg": msg, "data": {}}
    return {"errcode": code, "errmsg": msg}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=18080)
    p.add_argument("--log", required=True)
    p.add_argument("--control")
    p.add_argument("--dingtalk-secret-file")
    p.add_argument("--feishu-secret-file")
    args = p.parse_args()
    args.dingtalk_secret = read_secret(args.dingtalk_secret_file)
    args.feishu_secret = read_secret(args.feishu_secret_file)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.args = args
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
