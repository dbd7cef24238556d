"""A lease's statement (租金对账单) as plain data: the page a tenant is sent.

Every due on or before the day, with the rent in force on its day (core/rent.py), and what settled it:
the payments and write-offs of that day or before, taken in date order (a day's payments before its
write-offs) and set against the oldest dues first, as the rent roll sets them. What that leaves unpaid
is the rent roll's arrears of the lease on that day, due by due; what is left over after the last due
is rent paid ahead. Then the payments, the write-offs, the deposit (held, set against arrears,
returned) and the balance.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from assetreg.core.registry import Record, Registry
from assetreg.core.rent import deposit_held, dues, rent_on
from assetreg.core.reports import Column, Report, Section
from assetreg.core.views import on_day
from assetreg.i18n import N_

ZERO = Decimal("0.00")
TITLE = N_("Rent statement")
# How a settlement is named beside its date in the dues table (a plain payment is its date alone).
PAYMENT, DEPOSIT, WRITE_OFF = "payment", "deposit", "write_off"
# What the rows of the deposit and balance tables are (their `item`), and the marks of a settlement or
# a payment, in words (msgids); JSON keeps the keys.
ITEMS = {
    "deposit_agreed": N_("Deposit agreed"),
    "deposit_applied": N_("Set against arrears"),
    "deposit_refunded": N_("Returned to the tenant"),
    "deposit_held": N_("Held"),
    "due": N_("Rent fallen due"),
    "paid": N_("Paid"),
    "written_off": N_("Written off"),
    "owed": N_("Still owed"),
    "paid_ahead": N_("Paid ahead"),
    DEPOSIT: N_("deposit"),
    WRITE_OFF: N_("written off"),
    "again": N_("recorded again"),
}


def settlements(lease: Record, day: date) -> list[dict[str, Any]]:
    """The payments and write-offs on or before `day`, in the order they settle dues: by date, a day's
    payments before its write-offs, each kind in the order recorded."""
    iso = day.isoformat()
    found = [
        (p["date"], 0, n, {"date": p["date"], "amount": Decimal(p["amount"]), "kind": DEPOSIT if p.get("deposit") else PAYMENT})
        for n, p in enumerate(lease["payments"])
        if p["date"] <= iso
    ]
    found += [
        (w["date"], 1, n, {"date": w["date"], "amount": Decimal(w["amount"]), "kind": WRITE_OFF})
        for n, w in enumerate(lease.get("writeoffs") or ())
        if w["date"] <= iso
    ]
    return [item for *_order, item in sorted(found, key=lambda x: x[:3])]


def allocated(lease: Record, day: date) -> tuple[list[dict[str, Any]], Decimal]:
    """The dues on or before `day`, each with what settled it (`settlements`: date, amount, kind) and what
    is unpaid, oldest first; and what was settled beyond them (rent paid ahead)."""
    queue = [dict(item) for item in settlements(lease, day)]
    rows = []
    for due in dues(lease, day):
        need, parts = due.amount, []
        while need and queue:
            item = queue[0]
            part = min(need, item["amount"])
            parts.append({"date": item["date"], "amount": part, "kind": item["kind"]})
            need -= part
            item["amount"] -= part
            if not item["amount"]:
                queue.pop(0)
        settled = due.amount - need
        rows.append({"due": due.due.isoformat(), "amount": due.amount, "settled": settled, "settlements": parts, "unpaid": need})
    return rows, sum((item["amount"] for item in queue), ZERO)


def _total(rows: list[dict[str, Any]], *keys: str) -> dict[str, Any]:
    return {k: sum((r[k] for r in rows), ZERO) for k in keys}


def statement(reg: Registry, lease_id: str, day: date) -> Report:
    """The statement of lease `lease_id` at the end of `day`: only what had happened by then counts."""
    stored = reg.get("leases", lease_id, "lease")
    lease = on_day("leases", stored, day)  # later payments, write-offs, an end or a refund left out
    asset = reg.assets.get(lease["asset"])
    rows, ahead = allocated(lease, day)
    iso = day.isoformat()
    payments = [
        {
            "date": p["date"],
            "amount": Decimal(p["amount"]),
            "deposit": bool(p.get("deposit")),
            "again": bool(p.get("again")),
            "note": p.get("note"),
        }
        for p in lease["payments"]
    ]
    writeoffs = [
        {"date": w["date"], "amount": Decimal(w["amount"]), "doc": w.get("doc"), "note": w.get("note")}
        for w in lease.get("writeoffs") or ()
    ]
    agreed = Decimal(lease.get("deposit") or ZERO)
    deposit = [{"item": "deposit_agreed", "date": lease["start"], "amount": agreed}]
    deposit += [{"item": "deposit_applied", "date": p["date"], "amount": p["amount"]} for p in payments if p["deposit"]]
    if lease.get("refunded_on"):
        deposit.append({"item": "deposit_refunded", "date": lease["refunded_on"], "amount": Decimal(lease["refunded"])})
    held = deposit_held(lease, day)
    deposit.append({"item": "deposit_held", "date": iso, "amount": held})
    due = sum((r["amount"] for r in rows), ZERO)
    paid = sum((p["amount"] for p in payments), ZERO)
    written_off = sum((w["amount"] for w in writeoffs), ZERO)
    owed = sum((r["unpaid"] for r in rows), ZERO)
    figures = {"due": due, "paid": paid, "written_off": written_off, "owed": owed, "paid_ahead": ahead, "deposit_held": held}
    balance = [{"item": key, "amount": figures[key]} for key in ("due", "paid", "written_off", "owed", "paid_ahead")]
    facts = {
        "id": lease["id"],
        "tenant": lease["tenant"],
        "contact": lease.get("contact"),
        "asset": lease["asset"],
        "asset_name": asset["name"] if asset else None,
        "start": lease["start"],
        "end": lease["end"],
        "ended_on": lease.get("ended_on"),
        "period": lease["period"],
        "rent": str(rent_on(lease, day)),
        "rents": [{"date": lease["start"], "amount": lease["rent"]}, *(lease.get("rents") or ())],
        "deposit": str(agreed),
        "doc": lease.get("doc"),
    }
    amount = Column("amount", N_("Amount"), "money")
    return Report(
        "statement",
        TITLE,
        {"as_of": iso},
        [
            Section(
                "dues",
                N_("Rent due and what settled it"),
                [
                    Column("due", N_("Due on"), "date"),
                    Column("amount", N_("Rent due"), "money"),
                    Column("settled", N_("Settled"), "money"),
                    Column("settled_by", N_("Settled by (dates)")),
                    Column("unpaid", N_("Unpaid"), "money"),
                ],
                rows,
                _total(rows, "amount", "settled", "unpaid"),
                extra={"lease": facts, **figures},
            ),
            Section(
                "payments",
                N_("Payments"),
                [Column("date", N_("Date"), "date"), amount, Column("how", N_("How")), Column("note", N_("Note"))],
                payments,
                _total(payments, "amount"),
            ),
            Section(
                "writeoffs",
                N_("Written off"),
                [Column("date", N_("Date"), "date"), amount, Column("doc", N_("Document")), Column("note", N_("Note"))],
                writeoffs,
                _total(writeoffs, "amount"),
            ),
            Section(
                "deposit",
                N_("Deposit"),
                [Column("item", N_("Item")), Column("date", N_("Date"), "date"), amount],
                deposit,
            ),
            Section("balance", N_("Balance"), [Column("item", N_("Item")), amount], balance),
        ],
    )
