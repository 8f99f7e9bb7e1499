#!/usr/bin/env python3
"""Generates a busy station's year for `make bench`: about LINES invoice lines over 365 days from the five
suppliers with invoice feeds, in their own formats (the shapes of supplier-feeds.md), and about 1.08 × LINES
order lines in orders.csv: one per delivered line, plus orders never delivered. With DAYS (1095 for three years),
LINES are spread over that many days from 2026-01-01 at the same rate per day; 365 makes the same files as before.

Deterministic (fixed seed). Usage: station.py OUTDIR LINES [DAYS]
"""
import datetime
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SUPPLIERS = ["omega", "busmarket", "uniquetrade", "vesna", "intercars"]
BRANDS = [("BOSCH", "BOS"), ("MANN-FILTER", "MAN"), ("KNECHT", "KNE"), ("TRW", "TRW"), ("SACHS", "SAC"),
          ("NGK", "NGK"), ("VALEO", "VAL"), ("FEBI BILSTEIN", "FEB")]
NAMES = ["Фільтр масляний", "Колодки гальмівні передні", "Свічка запалювання", "Ремінь поліклиновий",
         "Амортизатор задній", "Фільтр повітряний", "Диск гальмівний", "Тяга рульова"]
CONFIG = """timezone: Europe/Kyiv
lang: en
base_currency: UAH
inbox: inbox
archive: archive
quarantine: quarantine
out: out
database: out/nakladna.sqlite
orders: orders.csv
rates: rates.csv
reconcile:
  price_tolerance: { percent: 0.5, absolute: 0.05 }
  overdue_after_days: 7
suppliers:
  omega:       { enabled: true, mapping: mappings/omega.yaml }
  busmarket:   { enabled: true, mapping: mappings/busmarket.yaml }
  uniquetrade: { enabled: true, mapping: mappings/uniquetrade.yaml }
  vesna:       { enabled: true, mapping: mappings/vesna.yaml, credentials: { customer_id: 4411 } }
  intercars:   { enabled: true, mapping: mappings/intercars.yaml }
"""


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def main(out, lines, days=365):
    rnd = random.Random(7)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    shutil.copytree(os.path.join(ROOT, "mappings"), os.path.join(out, "mappings"))
    with open(os.path.join(out, "nakladna.yaml"), "w") as f:
        f.write(CONFIG)
    start = datetime.date(2026, 1, 1)
    with open(os.path.join(out, "rates.csv"), "w") as f:
        f.write("date,currency,rate\n")
        for d in range(days):
            f.write("%s,EUR,%s\n" % (start + datetime.timedelta(days=d), "%.4f" % (44 + (d % 50) / 10)))
    articles = ["%d %03d %03d %03d" % (rnd.randint(0, 9), rnd.randint(0, 999), rnd.randint(0, 999), rnd.randint(0, 999))
                for _ in range(20000)]
    orders = []
    per_day = max(1, lines // days)
    number = 0
    for supplier in SUPPLIERS:
        os.makedirs(os.path.join(out, "inbox", supplier))
    for day in range(days):
        date = start + datetime.timedelta(days=day)
        for s_index, supplier in enumerate(SUPPLIERS):
            count = per_day // 5 + (1 if s_index < per_day % 5 else 0)
            docs = []
            while count > 0:
                n = min(count, rnd.randint(1, 9))
                count -= n
                number += 1
                ref = "R%d" % number
                is_return = rnd.random() < 0.01
                doc_lines = []
                for _ in range(n):
                    brand, prefix = rnd.choice(BRANDS)
                    article = rnd.choice(articles)
                    qty = rnd.randint(1, 6)
                    cents = rnd.randint(500, 300000) if supplier != "vesna" else rnd.randint(100, 8000)
                    invoiced = cents + (cents // 50 if rnd.random() < 0.03 else 0)  # a few priced above the order
                    doc_lines.append((brand, prefix, article, qty, invoiced))
                    roll = rnd.random()
                    if not is_return and roll > 0.05:  # 5 % of lines were never ordered
                        ordered = qty - (1 if roll > 0.97 and qty > 1 else 0)  # a few over-delivered
                        order_date = date - datetime.timedelta(days=rnd.randint(0, 5))
                        orders.append(("ORD-%d" % number, supplier, ref, order_date, brand, article, ordered,
                                       money(cents), "EUR" if supplier == "vesna" else "UAH"))
                docs.append((number, ref, is_return, doc_lines))
            write_feed(out, supplier, date, docs)
    # Orders that never came.
    for i in range(len(orders) * 15 // 100):
        brand, _ = rnd.choice(BRANDS)
        supplier = rnd.choice(SUPPLIERS)
        orders.append(("ORD-X%d" % i, supplier, "", start + datetime.timedelta(days=rnd.randint(0, days - 1)), brand,
                       rnd.choice(articles), rnd.randint(1, 4), money(rnd.randint(500, 300000)),
                       "EUR" if supplier == "vesna" else "UAH"))
    with open(os.path.join(out, "orders.csv"), "w") as f:
        f.write("order_number,supplier,supplier_order_id,order_date,brand,article,name,quantity,unit_price,currency\n")
        for o in orders:
            f.write("%s,%s,%s,%s,%s,%s,Запчастина,%d,%s,%s\n" % o)


def write_feed(out, supplier, date, docs):
    folder = os.path.join(out, "inbox", supplier)
    iso = date.isoformat()
    if supplier == "omega":
        data = [{"Id": "o%d" % n, "Number": "ВН-%07d" % n, "Date": date.strftime("%d.%m.%Y") + " 10:00:00",
                 "InvoiceDocIds": [ref], "Customer": {"Key": "CB-1"},
                 "Details": [{"Code": a.replace(" ", ""), "Brand": b if i % 2 else None,
                              "ProductDescrition": "Фільтр (пр-во %s)" % b, "Count": -q if ret else q,
                              "PiceWithVAT": money(c).replace(".", ",")} for i, (b, p, a, q, c) in enumerate(lines)]}
                for n, ref, ret, lines in docs]
        body = {"Success": True, "Data": data, "Errors": []}
        with open(os.path.join(folder, "omega-%s.json" % iso), "w") as f:
            json.dump(body, f, ensure_ascii=False)
    elif supplier == "busmarket":
        data = []
        for n, ref, ret, lines in docs:
            items = []
            for b, p, a, q, c in lines:
                net = c * 100 // 120  # a net price in kopecks
                items.append({"product_uuid": "P%s" % a.replace(" ", ""), "article": a, "brand": b, "name": "Фільтр",
                              "quantity": str(q), "price": money(net), "sum": money(net * q)})
            data.append({"uuid": "U%d" % n, "number": "РН-%07d" % n, "type": "return" if ret else "sale",
                         "date": iso + "T08:00:00Z", "currency": "X", "currency_name": "ГРН", "order_uuid": ref,
                         "items": items})
        with open(os.path.join(folder, "bm-%s.json" % iso), "w") as f:
            json.dump({"documents": data, "meta": {"page": 1, "per_page": len(data), "total": len(data)}}, f,
                      ensure_ascii=False)
    elif supplier == "uniquetrade":
        data = [{"accounting_number": "UT-%07d" % n, "type": "return" if ret else "sale", "date": iso,
                 "order_code": ref,
                 "items": [{"detail_id": int(a.replace(" ", "")) % 10000000, "article": a, "brand": {"name": b},
                            "title": "Фільтр", "quantity": q, "price": {"amount": money(c)}}
                           for b, p, a, q, c in lines]} for n, ref, ret, lines in docs]
        with open(os.path.join(folder, "utr-%s.json" % iso), "w") as f:
            json.dump(data, f, ensure_ascii=False)
    elif supplier == "vesna":
        data = [{"invoice_id": n, "number": "ВС-%07d" % n, "date": iso, "customer_id": 4411, "currency": "EUR",
                 "order_id": ref,
                 "lines": [{"sku": "VS-%s" % a.replace(" ", ""), "article": a, "brand": b, "name": "Фільтр",
                            "quantity": -q if ret else q, "price": money(c)} for b, p, a, q, c in lines]}
                for n, ref, ret, lines in docs]
        with open(os.path.join(folder, "vesna-%s.json" % iso), "w") as f:
            json.dump({"data": data}, f, ensure_ascii=False)
    else:
        parts = ['<?xml version="1.0" encoding="windows-1251" standalone="yes"?>\n<VFPDataSet>\n']
        for n, ref, ret, lines in docs:
            parts.append("<nag><id>%d</id><numer>FV/%07d</numer><rod_d_kod>%s</rod_d_kod><dat_w>%s</dat_w>"
                         "<wal_kod>UAH</wal_kod><zam_nr>%s</zam_nr></nag>\n"
                         % (n, n, "KF" if ret else "FV", date.strftime("%Y%m%d"), ref))
            for i, (b, p, a, q, c) in enumerate(lines):
                net = c * 100 // 120
                parts.append("<poz><id_nag>%d</id_nag><lp>%d</lp><tow_kod>%s%s</tow_kod><indeks>%s</indeks>"
                             "<marka>%s</marka><nazwa>Фільтр</nazwa><ilosc>%s%d.000</ilosc><cena>%s</cena>"
                             "<vat>20</vat></poz>\n" % (n, i + 1, p, a.replace(" ", ""), a, b, "-" if ret else "",
                                                         q, money(net)))
        parts.append("</VFPDataSet>\n")
        with open(os.path.join(folder, "intercars-%s.xml" % iso), "wb") as f:
            f.write("".join(parts).encode("cp1251"))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 365)
