#!/usr/bin/env python3
"""A loopback stub of the five suppliers' APIs (supplier-feeds.md §10), serving the documents of a station's
fixture feeds. The tests start it on 127.0.0.1 with a free port; each supplier lives under /<supplier>/.

Usage: supplier_stub.py FIXTURES_INBOX PORT_FILE [--scenario NAME]... ; writes its port to PORT_FILE once it
listens.
Scenarios: omega-drop (the first details answer is cut mid-body), utr-expire (the first token has expired),
vesna-429 (the first call is told to retry after 1 s), ic-500 (the first invoices call fails with 500),
vesna-timeout (every Vesna call is slower than the client waits).
Credentials it accepts: omega key "omega-secret-7Qx2Lk9", busmarket key "bm-secret-Zr48Tn1", uniquetrade
email "station@example.com" / password "utr-secret-Pq71", vesna token "vesna-secret-Hh90" for customer 4411,
intercars client "station-42" / secret "ic-secret-Ww33".
"""
import base64
import datetime
import json
import re
import os
import sys
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")
CREDENTIALS = {"omega": "omega-secret-7Qx2Lk9", "busmarket": "bm-secret-Zr48Tn1", "utr_email": "station@example.com",
               "utr_password": "utr-secret-Pq71", "vesna": "vesna-secret-Hh90", "ic_id": "station-42",
               "ic_secret": "ic-secret-Ww33"}
STATE = {"omega-drop": 0, "utr-expire": 0, "vesna-429": 0, "ic-500": 0}
LOCK = threading.Lock()


# Amounts are served with the digits their file has, as a server that stores them as decimals would: each is
# read as a marked string and written back bare.
MARK = "\x00N"


def exact(path):
    return json.load(open(path, encoding="utf-8"), parse_float=lambda text: MARK + text + "\x00")


def dumps(body):
    return re.sub(r'"\\u0000N([^"\\]*)\\u0000"', r"\1", json.dumps(body, ensure_ascii=False))


def load(inbox):
    def files(supplier):
        folder = os.path.join(inbox, supplier)
        # The APIs serve invoices; the demo's price and stock files are not among them.
        names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        return [os.path.join(folder, f) for f in names
                if "-prices-" not in f and not f.startswith(("Stock_", "Wholesale_Pricing_"))]
    data = {"omega": [], "busmarket": [], "uniquetrade": [], "vesna": [], "intercars": []}
    for f in files("omega"):
        data["omega"] += exact(f)["Data"]
    for f in files("busmarket"):
        data["busmarket"] += exact(f)["documents"]
    for f in files("uniquetrade"):
        data["uniquetrade"] += exact(f)
    for f in files("vesna"):
        data["vesna"] += exact(f)["data"]
    for f in files("intercars"):
        root = ET.parse(f).getroot()
        heads = [e for e in root if e.tag == "nag"]
        for h in heads:
            key = h.find("id").text
            data["intercars"].append((h, [p for p in root if p.tag == "poz" and p.find("id_nag").text == key]))
    return data


def kyiv_date(text):
    if len(text) == 8 and text.isdigit():
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if "." in text[:3]:
        return datetime.datetime.strptime(text, "%d.%m.%Y %H:%M:%S").date()
    when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (when.astimezone(KYIV) if when.tzinfo else when).date()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    data = {}
    scenarios = set()

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json", headers=()):
        payload = body if isinstance(body, bytes) else dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        return raw

    def first(self, scenario):
        with LOCK:
            if scenario in self.scenarios and STATE[scenario] == 0:
                STATE[scenario] = 1
                return True
        return False

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/", 1)
        supplier, rest = parts[0], parts[1] if len(parts) > 1 else ""
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        raw = self.body()
        try:
            getattr(self, supplier.replace("-", "_"))(method, rest, query, raw)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def omega(self, method, path, query, raw):
        body = json.loads(raw or b"{}")
        if "omega-echo" in self.scenarios:
            # A 200 answer that is an error, echoing the key it was sent.
            return self.reply(200, {"Success": False, "Data": None,
                                    "Errors": [{"Description": "Invalid key " + str(body.get("Key"))}]})
        if body.get("Key") != CREDENTIALS["omega"]:
            return self.reply(401, {"Success": False, "Data": None, "Errors": [{"Description": "Invalid key"}]})
        docs = self.data["omega"]
        if path == "expense/getExpenseDocumentList":
            lo = datetime.datetime.strptime(body["StartDate"], "%d.%m.%Y").date()
            hi = datetime.datetime.strptime(body["EndDate"], "%d.%m.%Y").date()
            ids = [{"Id": d["Id"]} for d in docs if lo <= kyiv_date(d["Date"]) <= hi]
            return self.reply(200, {"Success": True, "Data": {"Result": ids}, "Errors": []})
        doc = next((d for d in docs if d["Id"] == body.get("DocId")), None)
        if doc is None:
            return self.reply(404, {"Success": False, "Errors": [{"Description": "no such document"}]})
        if path == "expense/getExpenseDocument":
            return self.reply(200, {"Success": True, "Data": {k: v for k, v in doc.items() if k != "Details"}, "Errors": []})
        if path == "expense/getExpenseDocumentDetails":
            payload = dumps({"Success": True, "Data": doc["Details"], "Errors": []}).encode()
            if self.first("omega-drop"):
                # Promise the whole body, send half of it, and hang up.
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            return self.reply(200, payload)
        self.reply(404, {"Success": False, "Errors": [{"Description": "unknown call"}]})

    def busmarket(self, method, path, query, raw):
        if self.headers.get("Authorization") != CREDENTIALS["busmarket"]:
            return self.reply(401, {"error": "Unauthorized"})
        lo, hi = datetime.date.fromisoformat(query["date_from"]), datetime.date.fromisoformat(query["date_to"])
        # BusMarket filters by UTC date.
        docs = [d for d in self.data["busmarket"]
                if lo <= datetime.datetime.fromisoformat(d["date"].replace("Z", "+00:00")).date() <= hi]
        page = int(query.get("page", "1"))
        per_page = 1  # fewer than asked: the client must follow meta.total
        chunk = docs[(page - 1) * per_page: page * per_page]
        self.reply(200, {"documents": chunk, "meta": {"page": page, "per_page": per_page, "total": len(docs)}})

    def uniquetrade(self, method, path, query, raw):
        if path == "api/login_check":
            body = json.loads(raw or b"{}")
            if body.get("email") != CREDENTIALS["utr_email"] or body.get("password") != CREDENTIALS["utr_password"]:
                return self.reply(412, {"code": 412, "message": "Bad credentials"})
            token = "t-expired" if "utr-expire" in self.scenarios and STATE["utr-expire"] == 0 else "t-good"
            return self.reply(200, {"token": token, "refresh_token": "r-1", "expires_at": "2026-11-30 10:00:00"})
        if path == "api/token/refresh":
            body = json.loads(raw or b"{}")
            if body.get("refresh_token") != "r-1":
                return self.reply(401, {"code": 401, "message": "Invalid refresh token"})
            with LOCK:
                STATE["utr-expire"] = 1
            return self.reply(200, {"token": "t-good", "refresh_token": "r-2", "expires_at": "2026-11-30 10:00:00"})
        auth = self.headers.get("Authorization", "")
        if auth == "Bearer t-expired":
            return self.reply(401, {"code": 401, "message": "Expired JWT Token"})
        if auth != "Bearer t-good":
            return self.reply(401, {"code": 401, "message": "JWT Token not found"})
        if self.headers.get("Language") != "ua":
            return self.reply(400, {"code": 400, "message": "Language header missing"})
        lo, hi = datetime.date.fromisoformat(query["date_from"]), datetime.date.fromisoformat(query["date_to"])
        self.reply(200, [d for d in self.data["uniquetrade"] if lo <= kyiv_date(d["date"]) <= hi])

    def vesna(self, method, path, query, raw):
        if "vesna-timeout" in self.scenarios:
            time.sleep(3)
        if self.headers.get("Authorization") != "Token " + CREDENTIALS["vesna"]:
            return self.reply(401, {"detail": "Invalid token."})
        body = json.loads(raw or b"{}")
        if body.get("customer_id") != 4411:
            return self.reply(403, {"detail": "customer_id is not yours"})
        if self.first("vesna-429"):
            return self.reply(429, {"detail": "slow down"}, headers=[("Retry-After", "1")])
        lo, hi = datetime.date.fromisoformat(body["date_from"]), datetime.date.fromisoformat(body["date_to"])
        self.reply(200, {"data": [d for d in self.data["vesna"] if lo <= kyiv_date(d["date"]) <= hi]})

    def intercars(self, method, path, query, raw):
        if path == "oauth2/token":
            expected = "Basic " + base64.b64encode(("%s:%s" % (CREDENTIALS["ic_id"], CREDENTIALS["ic_secret"])).encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self.reply(401, {"error": "invalid_client"})
            return self.reply(200, {"access_token": "ic-token", "token_type": "Bearer", "expires_in": 3600})
        if self.headers.get("Authorization") != "Bearer ic-token":
            return self.reply(401, {"error": "invalid_token"})
        if self.first("ic-500"):
            return self.reply(500, {"error": "internal"})
        lo, hi = kyiv_date(query["from"]), kyiv_date(query["to"])
        root = ET.Element("VFPDataSet")
        for head, lines in self.data["intercars"]:
            if lo <= kyiv_date(head.find("dat_w").text) <= hi:
                root.append(head)
                root.extend(lines)
        xml = b'<?xml version="1.0" encoding="windows-1251" standalone="yes"?>\n' + ET.tostring(root, encoding="unicode").encode("cp1251")
        self.reply(200, xml, content_type="application/xml")


def main():
    inbox, port_file = sys.argv[1], sys.argv[2]
    scenarios = set()
    args = sys.argv[3:]
    while args:
        if args[0] == "--scenario":
            scenarios.add(args[1])
            args = args[2:]
        else:
            sys.exit("unknown argument " + args[0])
    Handler.data = load(inbox)
    Handler.scenarios = scenarios
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
