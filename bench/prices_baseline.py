#!/usr/bin/env python3
"""The Python peer of the price import: the same Inter Cars pair into SQLite, doing the same work as `nakladna run`
does for it (supplier-feeds.md §9): both files read with the csv module and their headers checked; the brand key
and search number of every row (NFKC, Cyrillic look-alikes, brand aliases); a net price made gross by its VAT and
rounded half away from zero to 0.01, 9999.99 kept as "on request"; stock words as "at least" or exact; every row
inserted with its stock as JSON into an indexed table, in one transaction per file. The archive copy and the
quarantine are skipped.

Usage: prices_baseline.py STATION DATABASE
Prints "rows N".
"""
import csv
import json
import os
import sqlite3
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from year_baseline import Brands, number_key, r2  # noqa: E402

PRICE_COLUMNS = ["TOW_KOD", "INDEKS", "MARKA", "WALUTA", "CENA_NETTO", "VAT"]
STOCK_COLUMNS = ["TOW_KOD", "INDEKS", "MARKA", "NAZWA", "MAGAZYN", "ILOSC"]
ON_REQUEST = Decimal("9999.99")


def stock_level(text):
    word = text.strip()
    if word == "-":
        return "0", False
    if word == "+":
        return "1", True
    if word.startswith(">"):
        return str(Decimal(word[1:]).normalize()), True
    n = Decimal(word)
    return str(n.normalize()), n >= 10


def main():
    station, database = sys.argv[1], sys.argv[2]
    brands = Brands(os.path.join(station, "mappings", "brands.yaml"))
    if os.path.exists(database):
        os.remove(database)
    db = sqlite3.connect(database)
    db.execute("CREATE TABLE offers (supplier TEXT, feed INTEGER, as_of TEXT, code TEXT, brand TEXT, article TEXT, "
               "name TEXT, brand_key TEXT, search_number TEXT, priced INTEGER, price TEXT, currency TEXT, stock TEXT)")
    db.execute("CREATE INDEX offers_part ON offers (search_number, brand_key)")
    db.execute("CREATE INDEX offers_supplier ON offers (supplier, as_of, feed)")
    inbox = os.path.join(station, "inbox", "intercars")
    rows = 0
    for feed, name, columns in [(0, "Wholesale_Pricing_2026-11-28.csv", PRICE_COLUMNS),
                                (1, "Stock_2026-11-28.csv", STOCK_COLUMNS)]:
        with open(os.path.join(inbox, name), encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter=";")
            if next(reader) != columns:
                sys.exit("%s: bad header" % name)
            batch = []
            for cells in reader:
                if feed == 0:
                    code, article, brand, currency, net, vat = cells
                    n = Decimal(net)
                    price = None if n == ON_REQUEST else str(r2(n * (1 + Decimal(vat) / 100)))
                    item = (code, brand, article, "", 1, price, currency, "[]")
                else:
                    code, article, brand, title, branch, quantity = cells
                    q, at_least = stock_level(quantity)
                    stock = json.dumps([{"branch": branch, "branch_id": "", "quantity": q, "at_least": at_least}],
                                       ensure_ascii=False, separators=(",", ":"))
                    item = (code, brand, article, title, 0, None, "", stock)
                code, brand, article, title, priced, price, currency, stock = item
                batch.append(("intercars", feed, "2026-11-28", code, brand, article, title, brands.key(brand),
                              number_key(article), priced, price, currency, stock))
                rows += 1
            with db:
                db.executemany("INSERT INTO offers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
    db.close()
    print("rows %d" % rows)


if __name__ == "__main__":
    main()
