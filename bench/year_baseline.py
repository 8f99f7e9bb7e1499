#!/usr/bin/env python3
"""The Python peer of the end-to-end benchmark: the same job as `nakladna run` over a generated station's year.

It reads the same feeds (json, lxml), applies the same mapping rules (decimal text, Kyiv dates, brand from the
description, the Inter Cars join, return signs), the same amount rules (rounding half away from zero), the same
article keys (NFKC, Cyrillic look-alikes, brand aliases) and the same allocation rules (contract.md: candidates
by key, the referenced order first, then the oldest; over-delivered or unordered; returns given back latest
receipt first; price tolerance; total mismatch; missing rate; not delivered at the range end), and writes the
same three CSV files and SQLite tables. It skips what a peer would: the archive copy, the report, crash safety.

Usage: year_baseline.py STATION OUTDIR FROM TO
Prints one summary line per status, to be compared with nakladna's reconciliation.csv.
"""
import csv
import datetime
import json
import os
import re
import sqlite3
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import yaml
from lxml import etree

CENT = Decimal("0.01")
KYIV = ZoneInfo("Europe/Kyiv")
LOOK = str.maketrans("АВЕКМНОРСТХІ", "ABEKMHOPCTXI")
BRAND_RE = re.compile(r"\(пр-во\s+([^()]+)\)\s*$")
LAST_RE = re.compile(r"\(([^()]+)\)\s*$")


def dec(v):
    if isinstance(v, (int, float)):
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    return Decimal(v.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))


def r2(x):
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def number_key(article):
    s = unicodedata.normalize("NFKC", article).upper().translate(LOOK)
    return "".join(c for c in s if ("A" <= c <= "Z") or ("0" <= c <= "9"))


class Brands:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            aliases = yaml.safe_load(f)["aliases"]
        self.table = {self.base(k): self.base(v) for k, v in aliases.items()}

    @staticmethod
    def base(b):
        s = "".join(c for c in unicodedata.normalize("NFKD", b.upper()) if not unicodedata.combining(c))
        return "".join(c for c in s if not (c.isspace() or c in "-&."))

    def key(self, b):
        base = self.base(b)
        return self.table.get(base, base)


def line_amounts(q, price, basis, stated=None, vat=Decimal(20)):
    factor = 1 + vat / 100
    amount = stated if stated is not None else q * price
    if basis == "net" or stated is not None:
        net = r2(amount)
        v = r2(net * vat / 100)
        gross = net + v
    else:
        gross = r2(amount)
        net = r2(gross / factor)
        v = gross - net
    unit = price * factor if basis == "net" else price
    return net, v, gross, unit


def read_feeds(station, brands):
    docs = []
    inbox = os.path.join(station, "inbox")
    for supplier in sorted(os.listdir(inbox)):
        for name in sorted(os.listdir(os.path.join(inbox, supplier))):
            path = os.path.join(inbox, supplier, name)
            if supplier == "intercars":
                docs += intercars(path, brands)
                continue
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            docs += {"omega": omega, "busmarket": busmarket, "uniquetrade": utr, "vesna": vesna}[supplier](data, brands)
    return docs


def doc(supplier, number, kind, date, currency, refs, lines, stated=None, customer=None):
    return {"supplier": supplier, "number": number, "kind": kind, "date": date, "currency": currency,
            "refs": refs, "lines": lines, "stated": stated, "customer": customer}


def line(brands, n, brand, article, code, name, q, net, vat, gross, unit):
    return {"line": n, "brand": brand, "article": article, "code": code, "name": name, "q": q, "net": net,
            "vat": vat, "gross": gross, "unit": unit, "key": (brands.key(brand), number_key(article))}


def omega(data, brands):
    out = []
    for d in data["Data"]:
        date = datetime.datetime.strptime(d["Date"], "%d.%m.%Y %H:%M:%S").date()
        qs = [dec(x["Count"]) for x in d["Details"]]
        ret = bool(qs) and all(q < 0 for q in qs)
        lines = []
        for i, x in enumerate(d["Details"]):
            brand = x.get("Brand") or ""
            if not brand:
                m = BRAND_RE.search(x["ProductDescrition"]) or LAST_RE.search(x["ProductDescrition"])
                brand = m.group(1).strip() if m else ""
            q = -qs[i] if ret else qs[i]
            net, v, gross, unit = line_amounts(q, dec(x["PiceWithVAT"]), "gross")
            lines.append(line(brands, i + 1, brand, x["Code"], x["Code"], x["ProductDescrition"], q, net, v, gross, unit))
        stated = dec(d["Summ"]) if "Summ" in d else None
        out.append(doc("omega", d["Number"], "return" if ret else "invoice", date, "UAH", d.get("InvoiceDocIds") or [],
                       lines, -stated if (ret and stated is not None) else stated, d.get("Customer", {}).get("Key")))
    return out


def busmarket(data, brands):
    out = []
    for d in data["documents"]:
        when = datetime.datetime.fromisoformat(d["date"].replace("Z", "+00:00")).astimezone(KYIV).date()
        lines = []
        for i, x in enumerate(d["items"]):
            q = dec(x["quantity"])
            net, v, gross, unit = line_amounts(q, dec(x["price"]), "net", dec(x["sum"]))
            lines.append(line(brands, i + 1, x["brand"], x["article"], x["product_uuid"], x["name"], q, net, v, gross, unit))
        currency = {"ГРН": "UAH", "UAH": "UAH", "EUR": "EUR"}[d["currency_name"]]
        out.append(doc("busmarket", d["number"], "return" if d["type"] == "return" else "invoice", when, currency,
                       [d["order_uuid"]] if d.get("order_uuid") else [], lines, dec(d["sum"]) if "sum" in d else None))
    return out


def utr(data, brands):
    out = []
    for d in data:
        lines = []
        for i, x in enumerate(d["items"]):
            q = dec(x["quantity"])
            net, v, gross, unit = line_amounts(q, dec(x["price"]["amount"]), "gross")
            lines.append(line(brands, i + 1, x["brand"]["name"], x["article"], str(x["detail_id"]), x["title"], q, net,
                              v, gross, unit))
        total = d.get("total") or {}
        out.append(doc("uniquetrade", d["accounting_number"], "return" if d["type"] == "return" else "invoice",
                       datetime.date.fromisoformat(d["date"]), total.get("currency", "UAH"),
                       [d["order_code"]] if d.get("order_code") else [], lines,
                       dec(total["amount"]) if "amount" in total else None))
    return out


def vesna(data, brands):
    out = []
    for d in data["data"]:
        qs = [dec(x["quantity"]) for x in d["lines"]]
        ret = bool(qs) and all(q < 0 for q in qs)
        lines = []
        for i, x in enumerate(d["lines"]):
            q = -qs[i] if ret else qs[i]
            net, v, gross, unit = line_amounts(q, dec(x["price"]), "gross")
            lines.append(line(brands, i + 1, x["brand"], x["article"], x["sku"], x["name"], q, net, v, gross, unit))
        stated = dec(d["total"]) if "total" in d else None
        out.append(doc("vesna", d["number"], "return" if ret else "invoice", datetime.date.fromisoformat(d["date"]),
                       d.get("currency", "EUR"), [d["order_id"]] if d.get("order_id") else [], lines,
                       -stated if (ret and stated is not None) else stated, str(d["customer_id"])))
    return out


def intercars(path, brands):
    heads, lines = {}, {}
    for _, el in etree.iterparse(path, events=("end",), tag=("nag", "poz"), resolve_entities=False, no_network=True):
        t = {c.tag: (c.text or "").strip() for c in el}
        if el.tag == "nag":
            w = t["dat_w"]
            date = (datetime.datetime.strptime(w, "%Y%m%d") if len(w) == 8 else datetime.datetime.fromisoformat(w)).date()
            heads[t["id"]] = t | {"date": date}
        else:
            lines.setdefault(t["id_nag"], []).append(t)
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    out = []
    for key, h in heads.items():
        ret = h["rod_d_kod"] == "KF"
        doc_lines = []
        for t in sorted(lines.get(key, []), key=lambda t: dec(t["lp"])):
            q = dec(t["ilosc"])
            q = -q if ret else q
            vat = dec(t.get("vat") or "20")
            net, v, gross, unit = line_amounts(q, dec(t["cena"]), "net", vat=vat)
            doc_lines.append(line(brands, int(t["lp"]), t["marka"], t["indeks"], t["tow_kod"], t.get("nazwa", ""), q, net,
                                  v, gross, unit))
        stated = dec(h["war_b"]) if h.get("war_b") else None
        out.append(doc("intercars", h["numer"], "return" if ret else "invoice", h["date"], h["wal_kod"],
                       [h["zam_nr"]] if h.get("zam_nr") else [], doc_lines, -stated if (ret and stated is not None) else stated))
    return out


def reconcile(docs, orders, rates, customers, d_from, d_to, tolerance=(Decimal("0.5"), Decimal("0.05")), overdue=7):
    by_key = {}
    for i, o in enumerate(orders):
        by_key.setdefault((o["supplier"], o["key"]), []).append(i)
    open_q = [o["q"] for o in orders]
    receipts = {}
    findings, incs, inc_lines = [], [], []
    docs.sort(key=lambda d: (d["date"], d["supplier"], d["number"]))
    seq = 0
    snapshot = None
    for d in docs:
        if snapshot is None and d["date"] > d_to:
            snapshot = list(open_q)
        s = d["supplier"]
        if customers.get(s) and d["customer"] and d["customer"] != customers[s]:
            findings.append((d, None, "", "foreign_customer", None, None, None, None, Decimal(0)))
            continue
        inc = "INC-%s-%s" % (d["supplier"], d["number"])
        doc_findings = []
        gross_total = sum((l["gross"] for l in d["lines"]), Decimal(0))
        if d["stated"] is not None and abs(d["stated"] - gross_total) > CENT * len(d["lines"]):
            doc_findings.append((d, None, "", "total_mismatch", None, None, None, None, d["stated"] - gross_total))
        rate = Decimal(1)
        if d["currency"] != "UAH":
            rate = rates_for(rates, d["currency"], d["date"])
            if rate is None:
                doc_findings.append((d, None, "", "missing_rate", None, None, None, None, Decimal(0)))
        ready = not doc_findings
        refs = set(d["refs"])
        for l in d["lines"]:
            seq += 1
            receiving = (d["kind"] == "invoice") != (l["q"] < 0)
            remaining = abs(l["q"])
            found = []
            key = (s, l["key"])
            if receiving:
                cands = [i for i in by_key.get(key, []) if orders[i]["date"] <= d["date"] and open_q[i] > 0]
                cands.sort(key=lambda i: (not (orders[i]["ref"] and orders[i]["ref"] in refs), orders[i]["date"],
                                          orders[i]["number"], i))
                for i in cands:
                    if remaining == 0:
                        break
                    take = min(open_q[i], remaining)
                    open_q[i] -= take
                    remaining -= take
                    receipts.setdefault(key, []).append([seq, i, take])
                    price = orders[i]["price"]
                    diff = l["unit"] - price
                    allowed = max(tolerance[1], tolerance[0] * price / 100)
                    status = "price_mismatch" if abs(diff) > allowed else "matched"
                    found.append((d, l, orders[i]["number"], status, orders[i]["q"], take, price, l["unit"],
                                  r2(diff * take) if status == "price_mismatch" else Decimal(0)))
                if remaining > 0:
                    ever = any(orders[i]["date"] <= d["date"] for i in by_key.get(key, []))
                    found.append((d, l, "", "over_delivered" if ever else "unordered", None, remaining, None, l["unit"],
                                  r2(remaining * l["unit"])))
            else:
                rs = receipts.get(key, [])
                order = sorted(range(len(rs)), key=lambda j: (-rs[j][0], -orders[rs[j][1]]["date"].toordinal(),
                                                              [-ord(c) for c in orders[rs[j][1]]["number"]]))
                back = {}
                for j in order:
                    if remaining == 0:
                        break
                    if rs[j][2] == 0:
                        continue
                    take = min(rs[j][2], remaining)
                    rs[j][2] -= take
                    remaining -= take
                    open_q[rs[j][1]] += take
                    back[rs[j][1]] = back.get(rs[j][1], Decimal(0)) + take
                for i, take in back.items():
                    found.append((d, l, orders[i]["number"], "returned", orders[i]["q"], take, orders[i]["price"],
                                  l["unit"], -r2(take * l["unit"])))
                if remaining > 0:
                    found.append((d, l, "", "returned", None, remaining, None, l["unit"], -r2(remaining * l["unit"])))
            statuses = [f[3] for f in found]
            status = statuses[0] if len(statuses) == 1 else min((x for x in statuses if x != "matched"),
                                                                   key=RANK.index, default="matched")
            if status not in ("matched", "returned"):
                ready = False
            inc_lines.append((inc, l["line"], l["brand"], l["article"], l["code"], l["name"], str(l["q"]),
                              str(l["unit"].quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)), "20", str(l["net"]),
                              str(l["vat"]), str(l["gross"]), ";".join(dict.fromkeys(f[2] for f in found if f[2])), status))
            findings += found
        findings += doc_findings
        net = sum((l["net"] for l in d["lines"]), Decimal(0))
        vat = sum((l["vat"] for l in d["lines"]), Decimal(0))
        incs.append((inc, s, d["number"], d["kind"], d["date"].isoformat(), d["currency"], str(net), str(vat),
                     str(gross_total), str(rate) if rate is not None else "",
                     str(r2(gross_total * rate)) if rate is not None else "", len(d["lines"]),
                     "ready" if ready else "review"))
    if snapshot is None:
        snapshot = open_q
    for i, o in enumerate(orders):
        if o["date"] <= d_to and snapshot[i] > 0 and (d_to - o["date"]).days > overdue:
            findings.append(({"supplier": o["supplier"], "number": "", "date": o["date"]}, None, o["number"],
                             "not_delivered", o["q"], o["q"] - snapshot[i], o["price"], None, r2(snapshot[i] * o["price"])))
    return incs, inc_lines, findings


RANK = ["matched", "price_mismatch", "over_delivered", "unordered", "returned", "duplicate_invoice", "total_mismatch",
        "foreign_customer", "missing_rate", "not_delivered", "manual_receipt"]


def rates_for(rates, currency, date):
    best = None
    for d, r in rates.get(currency, []):
        if d <= date:
            best = r
    return best


def main(station, out, d_from, d_to):
    d_from, d_to = datetime.date.fromisoformat(d_from), datetime.date.fromisoformat(d_to)
    brands = Brands(os.path.join(station, "mappings", "brands.yaml"))
    with open(os.path.join(station, "nakladna.yaml"), encoding="utf-8") as f:
        config = yaml.safe_load(f)
    customers = {k: str(v.get("credentials", {}).get("customer_id")) for k, v in config["suppliers"].items()
                 if v.get("credentials", {}).get("customer_id")}
    orders = []
    with open(os.path.join(station, "orders.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["supplier"] not in config["suppliers"]:
                continue
            orders.append({"number": row["order_number"], "supplier": row["supplier"], "ref": row["supplier_order_id"],
                           "date": datetime.date.fromisoformat(row["order_date"]), "q": dec(row["quantity"]),
                           "price": dec(row["unit_price"]), "key": (brands.key(row["brand"]), number_key(row["article"]))})
    rates = {}
    with open(os.path.join(station, "rates.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rates.setdefault(row["currency"], []).append((datetime.date.fromisoformat(row["date"]), dec(row["rate"])))
    docs = read_feeds(station, brands)
    incs, lines, findings = reconcile(docs, orders, rates, customers, d_from, d_to)
    os.makedirs(out, exist_ok=True)
    rows = [(f[0]["supplier"], f[0]["number"], f[1]["line"] if f[1] else "", f[2], f[3], f[4], f[5], f[6], f[7], f[8])
            for f in findings]
    with open(os.path.join(out, "inc_documents.csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(incs)
    with open(os.path.join(out, "inc_lines.csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(lines)
    with open(os.path.join(out, "reconciliation.csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    db = sqlite3.connect(os.path.join(out, "baseline.sqlite"))
    db.execute("DROP TABLE IF EXISTS inc_documents")
    db.execute("DROP TABLE IF EXISTS inc_lines")
    db.execute("DROP TABLE IF EXISTS reconciliation")
    db.execute("CREATE TABLE inc_documents (a,b,c,d,e,f,g,h,i,j,k,l,m)")
    db.execute("CREATE TABLE inc_lines (a,b,c,d,e,f,g,h,i,j,k,l,m,n)")
    db.execute("CREATE TABLE reconciliation (a,b,c,d,e,f,g,h,i,j)")
    with db:
        db.executemany("INSERT INTO inc_documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", incs)
        db.executemany("INSERT INTO inc_lines VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", lines)
        db.executemany("INSERT INTO reconciliation VALUES (?,?,?,?,?,?,?,?,?,?)",
                       [tuple(str(x) if isinstance(x, Decimal) else x for x in r) for r in rows])
    db.close()
    counts = {}
    for f in findings:
        counts[f[3]] = counts.get(f[3], 0) + 1
    print("documents %d " % len(incs) + " ".join("%s %d" % (k, counts[k]) for k in RANK if k in counts))


if __name__ == "__main__":
    main(*sys.argv[1:5])
