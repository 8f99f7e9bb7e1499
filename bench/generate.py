#!/usr/bin/env python3
"""Generates benchmark feeds: an Inter Cars VFPDataSet (windows-1251) and an Omega JSON feed of N invoice lines.

Deterministic (fixed seed), so every run of `make bench` reads the same bytes. Usage: generate.py OUTDIR N...
"""
import json
import os
import random
import sys

BRANDS = [("BOSCH", "BOS"), ("MANN-FILTER", "MAN"), ("KNECHT", "KNE"), ("TRW", "TRW"), ("SACHS", "SAC"),
          ("NGK", "NGK"), ("VALEO", "VAL"), ("FEBI BILSTEIN", "FEB")]
NAMES = ["Фільтр масляний", "Колодки гальмівні передні", "Свічка запалювання", "Ремінь поліклиновий",
         "Амортизатор задній", "Фільтр повітряний", "Диск гальмівний", "Тяга рульова"]


def intercars(path, lines):
    rnd = random.Random(1)
    with open(path, "w", encoding="cp1251", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="windows-1251" standalone="yes"?>\n')
        f.write('<VFPDataSet xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
        done, doc = 0, 0
        while done < lines:
            doc += 1
            n = min(lines - done, rnd.randint(1, 9))
            pozs, net_total, vat_total = [], 0, 0
            for lp in range(1, n + 1):
                brand, prefix = rnd.choice(BRANDS)
                number = "%d %03d %03d %03d" % (rnd.randint(0, 9), rnd.randint(0, 999), rnd.randint(0, 999),
                                                rnd.randint(0, 999))
                qty = rnd.randint(1, 12)
                cents = rnd.randint(500, 900000)
                net = qty * cents
                vat = (net * 20 + 50) // 100
                net_total += net
                vat_total += vat
                pozs.append(
                    "  <poz>\n    <id_nag>%d</id_nag>\n    <lp>%d</lp>\n    <tow_kod>%s%s</tow_kod>\n"
                    "    <indeks>%s</indeks>\n    <marka>%s</marka>\n    <nazwa>%s</nazwa>\n"
                    "    <opis xsi:nil=\"true\"/>\n    <ilosc>%d.000</ilosc>\n    <cena>%d.%02d</cena>\n"
                    "    <vat>20</vat>\n  </poz>\n"
                    % (doc, lp, prefix, number.replace(" ", ""), number, brand, rnd.choice(NAMES), qty,
                       cents // 100, cents % 100))
            day = 1 + doc % 28
            nag = ("  <nag>\n    <id>%d</id>\n    <numer>FV/UA/2026/%07d</numer>\n    <rod_d_kod>FV</rod_d_kod>\n"
                   "    <dat_w>202611%02d</dat_w>\n    <dat_pl>20261230</dat_pl>\n    <kh_kod_pla>UA123456</kh_kod_pla>\n"
                   "    <wal_kod>UAH</wal_kod>\n    <war_n>%d.%02d</war_n>\n    <war_v>%d.%02d</war_v>\n"
                   "    <war_b>%d.%02d</war_b>\n    <zam_nr>REQ-%d</zam_nr>\n  </nag>\n"
                   % (doc, doc, day, net_total // 100, net_total % 100, vat_total // 100, vat_total % 100,
                      (net_total + vat_total) // 100, (net_total + vat_total) % 100, doc))
            # One document in ten has its lines before its header, as Inter Cars files may.
            f.write("".join(pozs) + nag if doc % 10 == 0 else nag + "".join(pozs))
            done += n
        f.write("</VFPDataSet>\n")


def omega(path, lines):
    rnd = random.Random(2)
    docs, done, doc = [], 0, 0
    while done < lines:
        doc += 1
        n = min(lines - done, rnd.randint(1, 9))
        details, total = [], 0
        for _ in range(n):
            brand, _ = rnd.choice(BRANDS)
            qty = rnd.randint(1, 12)
            cents = rnd.randint(500, 900000)
            total += qty * cents
            price = "%d,%02d" % (cents // 100, cents % 100) if rnd.random() < 0.3 else round(cents / 100, 2)
            detail = {"Code": "%d%06d" % (rnd.randint(0, 9), rnd.randint(0, 999999)),
                      "ProductDescrition": rnd.choice(NAMES), "Count": qty, "PiceWithVAT": price}
            if rnd.random() < 0.5:
                detail["Brand"] = brand
            else:
                detail["ProductDescrition"] += " (пр-во %s)" % brand
            details.append(detail)
        docs.append({"Id": "doc-%d" % doc, "Number": "ВН-%07d" % doc,
                     "Date": "%02d.11.2026 %02d:%02d:00" % (1 + doc % 28, doc % 24, doc % 60),
                     "Summ": round(total / 100, 2), "Customer": {"Key": "CB-10234"},
                     "InvoiceDocIds": [str(70000 + doc)], "Details": details})
        done += n
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"Success": True, "Data": docs, "Errors": []}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for n in map(int, sys.argv[2:]):
        for name, make in (("intercars-%d.xml" % n, intercars), ("omega-%d.json" % n, omega)):
            path = os.path.join(out, name)
            if not os.path.exists(path):
                make(path + ".tmp", n)
                os.replace(path + ".tmp", path)
