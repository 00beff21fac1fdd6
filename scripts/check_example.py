#!/usr/bin/env python3
"""Independent check of a settle run of examples/aco-shared-savings on Tuva-layout CSV data.

Recomputes member-months, in-scope spending, member truncation and every payment layer
directly from the CSV files and the contract's words (docs/contract-reference.md), using
Python's decimal arithmetic, and compares them with the run's summary.json.

usage: check_example.py DATA_DIR SUMMARY_JSON [CONTRACT_TOML]
"""
import csv
import datetime as dt
import json
import os
import sys
import tomllib
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

here = os.path.dirname(os.path.abspath(__file__))
data_dir, summary_path = sys.argv[1], sys.argv[2]
contract_path = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
    here, "..", "examples", "aco-shared-savings", "contract.toml")
k = tomllib.load(open(contract_path, "rb"))
c = k["contract"]
start, end = c["period"]["start"], c["period"]["end"]
payers = set(c.get("payers", []))


def months():
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def month_bounds(y, m):
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), 1 if m == 12 else m + 1, 1)
    return max(first, start), min(nxt - dt.timedelta(days=1), end)


def pid(row):
    return row.get("person_id") or row.get("patient_id")


mm = set()
for e in csv.DictReader(open(os.path.join(data_dir, "eligibility.csv"))):
    if payers and e["payer"].lower() not in payers:
        continue
    s = dt.date.fromisoformat(e["enrollment_start_date"])
    t = dt.date.fromisoformat(e["enrollment_end_date"])
    for y, m in months():
        lo, hi = month_bounds(y, m)
        if s <= hi and t >= lo:
            mm.add((pid(e), y, m))

spend = defaultdict(Decimal)
without = Decimal(0)
for r in csv.DictReader(open(os.path.join(data_dir, "medical_claim.csv"))):
    d = dt.date.fromisoformat(r["claim_start_date"] or r["claim_end_date"])
    if not (start <= d <= end):
        continue
    amount = Decimal(r["paid_amount"] or 0)
    if (pid(r), d.year, d.month) in mm:
        spend[pid(r)] += amount
    else:
        without += amount

n_mm = len(mm)
cents = Decimal("0.01")
layers = {}
for p in k["payment"]:
    if p["kind"] == "case_rate":
        layers[p["id"]] = Decimal(str(p["pmpm"])) * n_mm
benchmark = Decimal(str(k["benchmark"]["target_pmpm"])) * n_mm
for p in k["payment"]:
    if p["kind"] != "shared_savings":
        continue
    cap = Decimal(str(p.get("member_truncation", "1e30")))
    exp = sum(min(v, cap) for v in spend.values()) + sum(layers[o] for o in p.get("offset_layers", []))
    savings = benchmark - exp
    rate = savings / benchmark
    amount = Decimal(0)
    if rate >= Decimal(str(p.get("minimum_savings_rate", 0))) and savings > 0:
        amount = Decimal(str(p["sharing_rate"])) * Decimal(str(p.get("quality_score", 1))) * savings
        if "savings_cap" in p:
            amount = min(amount, Decimal(str(p["savings_cap"])) * benchmark)
    elif "loss_sharing_rate" in p and rate <= -Decimal(str(p.get("minimum_loss_rate", 0))):
        amount = -Decimal(str(p["loss_sharing_rate"])) * -savings
        if "loss_cap" in p:
            amount = max(amount, -Decimal(str(p["loss_cap"])) * benchmark)
    layers[p["id"]] = amount.quantize(cents, rounding=ROUND_HALF_UP)

s = json.load(open(summary_path))
checks = [
    ("population.member_months", s["population"]["member_months"], n_mm),
    ("population.members", s["population"]["members"], len({m[0] for m in mm})),
    ("expenditure.total", Decimal(s["expenditure"]["total"]), sum(spend.values())),
    ("benchmark.total", Decimal(s["benchmark"]["total"]), benchmark),
    ("claims_without_enrollment.amount",
     Decimal(s["data_quality"]["claims_without_enrollment"]["amount"]), without),
]
for layer in s["layers"]:
    checks.append((f"layer {layer['id']}", Decimal(layer["amount"]), layers[layer["id"]]))
checks.append(("net", Decimal(s["net_payer_to_provider"]), sum(layers.values())))
bad = [(n, got, want) for n, got, want in checks if got != want]
for n, got, want in checks:
    print(f"{'ok ' if got == want else 'BAD'} {n}: engine {got}, independent {want}")
sys.exit(1 if bad else 0)
