#!/usr/bin/env python3
"""The Python peers of `make bench`. Each does the work nakladna does on the same file: extract the same fields,
apply the same rules (decimal text with comma or point, Kyiv dates, the brand from the description, the join of
<poz> to <nag>, amounts rounded half away from zero), and prints the same summary line, so that the two can be
compared and the comparison means something.

Usage: baselines.py lxml-intercars FILE | json-omega FILE
"""
import datetime
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def dec(value):
    if isinstance(value, (int, float)):
        # json gives floats; the text of the number is what the feed said.
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return Decimal(text)


def r2(x):
    return x.quantize(CENT, rounding=ROUND_HALF_UP)  # half away from zero for Decimal


def lxml_intercars(path):
    from lxml import etree

    heads, lines = {}, {}
    for _, el in etree.iterparse(path, events=("end",), tag=("nag", "poz"), resolve_entities=False,
                                 no_network=True):
        t = {c.tag: (c.text or "").strip() for c in el}
        if el.tag == "nag":
            date = t["dat_w"]
            date = (datetime.datetime.strptime(date, "%Y%m%d") if len(date) == 8
                    else datetime.datetime.fromisoformat(date)).date()
            heads[t["id"]] = (t["numer"], date, t["wal_kod"], t["rod_d_kod"], t.get("zam_nr", ""),
                              dec(t["war_n"]), dec(t["war_v"]), dec(t["war_b"]))
        else:
            q, p, v = dec(t["ilosc"]), dec(t["cena"]), dec(t.get("vat") or "20")
            net = r2(q * p)
            vat = r2(net * v / HUNDRED)
            lines.setdefault(t["id_nag"], []).append(
                (int(t["lp"]), t["marka"], t["indeks"], t["tow_kod"], t["nazwa"], q, net, vat, net + vat))
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    documents = n = 0
    gross = Decimal(0)
    for key, head in heads.items():
        doc_lines = sorted(lines.pop(key, []))
        documents += 1
        n += len(doc_lines)
        gross += sum((l[8] for l in doc_lines), Decimal(0))
    return documents, n, gross


BRAND = re.compile(r"\(пр-во\s+([^()]+)\)\s*$")
LAST = re.compile(r"\(([^()]+)\)\s*$")


def json_omega(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("Success") is False:
        raise SystemExit("error answer")
    documents = n = 0
    gross = Decimal(0)
    for doc in data["Data"]:
        datetime.datetime.strptime(doc["Date"], "%d.%m.%Y %H:%M:%S").date()
        dec(doc["Summ"])
        documents += 1
        for d in doc["Details"]:
            brand = d.get("Brand") or ""
            if not brand:
                m = BRAND.search(d["ProductDescrition"]) or LAST.search(d["ProductDescrition"])
                brand = m.group(1).strip() if m else ""
            q, g = dec(d["Count"]), dec(d["PiceWithVAT"])
            line_gross = r2(q * g)
            net = r2(line_gross / Decimal("1.2"))
            _ = (brand, d["Code"], d["ProductDescrition"], net, line_gross - net)
            gross += line_gross
            n += 1
    return documents, n, gross


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    documents, n, gross = {"lxml-intercars": lxml_intercars, "json-omega": json_omega}[kind](path)
    print("documents %d lines %d gross %s" % (documents, n, r2(gross)))
