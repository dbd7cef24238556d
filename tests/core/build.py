"""Hand-built registries for core tests: every record entered through the same rules as the CLI."""

from __future__ import annotations

from typing import Any

from assetreg.core import records
from assetreg.core.registry import Registry


def registry() -> Registry:
    return Registry({"settings": {"settings": {"id": "settings"}}})


def member(reg: Registry, name: str = "柳市布厂", **fields: Any) -> str:
    return str(records.add_member(reg, {"name": name, "district": "柳市片", "kind": "enterprise", **fields})["id"])


def asset(reg: Registry, owner: str, value: str, acquired: str = "2000-01-01", **fields: Any) -> str:
    raw = {
        "name": fields.pop("name", "厂房"),
        "owner": owner,
        "category": "building",
        "acquired": acquired,
        "value": value,
        "title_no": f"T-{len(reg.assets) + 1}",  # each its own certificate: a repeated one is refused
        **fields,
    }
    return str(records.add_asset(reg, raw)["id"])


def event(reg: Registry, asset_id: str, kind: str, day: str, amount: str, **extra: Any) -> None:
    records.add_event(reg, asset_id, kind, {"date": day, "amount": amount, "doc": "文号1", **extra})


def lease(reg: Registry, asset_id: str, start: str, end: str, rent: str, period: str = "monthly") -> str:
    raw = {"asset": asset_id, "tenant": "某公司", "start": start, "end": end, "rent": rent, "period": period}
    return str(records.add_lease(reg, raw)["id"])


def pay(reg: Registry, lease_id: str, day: str, amount: str) -> None:
    records.pay(reg, lease_id, {"date": day, "amount": amount})


def incident(reg: Registry, assets: list[str], occurred: str, kind: str = "encroachment", **fields: Any) -> str:
    raw = {"kind": kind, "assets": assets, "occurred": occurred, "counterparty": "上峰村", **fields}
    return str(records.add_incident(reg, raw)["id"])
