#!/usr/bin/env python3
"""A station holding one Inter Cars daily price and stock pair of N rows each (supplier-feeds.md §9), for the
offers benchmark: N parts in Wholesale_Pricing (one in 200 "on request" at 9999.99), and N stock rows over the
first N/2 parts at two branches each (availability 0..10, 10 meaning "at least 10").

Usage: price_station.py STATION N
Writes STATION/nakladna.yaml, an empty orders.csv and rates.csv, the mappings, and STATION/inbox/intercars/.
Prints the parts the benchmark asks for, one "BRAND<TAB>ARTICLE" per line, to STATION/queries.txt.
"""
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BRANDS = [("BOSCH", "BOS"), ("MANN-FILTER", "MAN"), ("FEBI BILSTEIN", "FEB"), ("TRW", "TRW"), ("KYB", "KYB"),
          ("SACHS", "SAC"), ("NGK", "NGK"), ("LEMFÖRDER", "LEM"), ("MAHLE", "MAH"), ("VALEO", "VAL")]
BRANCHES = ["KIJ", "LWO", "ODE", "DNI", "CHA"]


def article(rng, i):
    # Spelled as suppliers write them: spaces, dashes, letters and digits; unique by i.
    letters = "ABCDEFGHKLMNPRSTWX"
    return "%s %03d %03d %d" % (letters[rng.randrange(len(letters))], i // 1000 % 1000, i % 1000, i // 1000000)


def main():
    station, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(7)
    shutil.rmtree(station, ignore_errors=True)
    inbox = os.path.join(station, "inbox", "intercars")
    os.makedirs(inbox)
    shutil.copytree(os.path.join(ROOT, "mappings"), os.path.join(station, "mappings"))
    with open(os.path.join(station, "nakladna.yaml"), "w", encoding="utf-8") as f:
        f.write("timezone: Europe/Kyiv\nbase_currency: UAH\ninbox: inbox\narchive: archive\nquarantine: quarantine\n"
                "out: out\ndatabase: out/nakladna.sqlite\norders: orders.csv\nrates: rates.csv\n"
                "reconcile:\n  price_tolerance: { percent: 0.5, absolute: 0.05 }\n  overdue_after_days: 7\n"
                "suppliers:\n  intercars: { enabled: true, mapping: mappings/intercars.yaml }\n")
    with open(os.path.join(station, "orders.csv"), "w", encoding="utf-8") as f:
        f.write("order_number,supplier,supplier_order_id,order_date,brand,article,name,quantity,unit_price,currency\n")
    with open(os.path.join(station, "rates.csv"), "w", encoding="utf-8") as f:
        f.write("date,currency,rate\n2026-11-27,EUR,49.0501\n")
    parts = []
    with open(os.path.join(inbox, "Wholesale_Pricing_2026-11-28.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("TOW_KOD;INDEKS;MARKA;WALUTA;CENA_NETTO;VAT\n")
        for i in range(n):
            brand, prefix = BRANDS[i % len(BRANDS)]
            art = article(rng, i)
            code = prefix + "".join(c for c in art if c.isalnum())
            parts.append((brand, art, code))
            price = "9999.99" if i % 200 == 0 else "%d.%02d" % (rng.randrange(10, 20000), rng.randrange(100))
            f.write("%s;%s;%s;UAH;%s;20\n" % (code, art, brand, price))
    with open(os.path.join(inbox, "Stock_2026-11-28.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("TOW_KOD;INDEKS;MARKA;NAZWA;MAGAZYN;ILOSC\n")
        for i in range(n):
            brand, art, code = parts[i // 2]
            f.write("%s;%s;%s;Деталь %d;%s;%d\n" % (code, art, brand, i // 2, BRANCHES[i % 2 + (i // 2) % 3],
                                                    rng.randrange(11)))
    with open(os.path.join(station, "queries.txt"), "w", encoding="utf-8") as f:
        for i in range(20):
            brand, art, _ = parts[rng.randrange(n)]
            f.write("%s\t%s\n" % (brand, art.replace(" ", "")))


if __name__ == "__main__":
    main()
