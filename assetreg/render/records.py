"""Record lists and record details for the terminal."""

from __future__ import annotations

from typing import Any

from assetreg.i18n import _
from assetreg.render.console import details, print_fitted, table
from assetreg.render.text import day, label, money, number

L, R = "left", "right"


def _print(*renderables: Any) -> None:
    print_fitted(*renderables)


def member_table(rows: list[dict[str, Any]]) -> None:
    _print(
        table(
            _("Members"),
            [
                (_("Id"), L),
                (_("Name"), L),
                (_("District"), L),
                (_("Kind"), L),
                (_("Restructuring"), L),
                (_("Employees"), R),
                (_("Assets"), R),
                (_("Value"), R),
            ],
            [
                (
                    m["id"],
                    m["name"],
                    m["district"],
                    label(m["kind"]),
                    label(m["restructuring"]),
                    m["employees"] if m["employees"] is not None else "",
                    m["assets"],
                    money(m["value"]),
                )
                for m in rows
            ],
        )
    )


def member_detail(m: dict[str, Any], heading: str = "") -> None:
    pairs = [
        (_("Id"), m["id"]),
        (_("Name"), m["name"]),
        (_("District"), m["district"]),
        (_("Kind"), label(m["kind"])),
        (_("Restructuring"), label(m["restructuring"])),
        (_("Restructuring since"), day(m["restructuring_since"])),
        (_("Restructuring finished"), day(m["restructuring_finished"])),
        (_("Restructuring note"), m["restructuring_note"] or ""),
        (_("Employees"), m["employees"] or ""),
        (_("Contact"), m["contact"] or ""),
        (_("Note"), m["note"] or ""),
        (_("Assets held"), m["assets"]),
        (_("Value"), money(m["value"])),
    ]
    _print(details(heading or _("Member"), pairs), _asset_rows(m["asset_list"], _("Assets")))


def _asset_rows(rows: list[dict[str, Any]], title: str) -> Any:
    return table(
        title,
        [
            (_("Id"), L),
            (_("Name"), L),
            (_("Owner"), L),
            (_("Category"), L),
            (_("Location"), L),
            (_("Area m²"), R),
            (_("Status"), L),
            (_("Title no."), L),
            (_("Value"), R),
        ],
        [
            (
                a["id"],
                a["name"],
                a["owner"],
                label(a["category"]),
                a["location"] or "",
                number(a["area"]),
                label(a["status"]),
                a["title_no"] or "",
                money(a["value"]),
            )
            for a in rows
        ],
    )


def asset_table(rows: list[dict[str, Any]]) -> None:
    _print(_asset_rows(rows, _("Assets")))


def history_table(history: list[dict[str, Any]]) -> Any:
    def how(e: dict[str, Any]) -> str:
        return label(e.get("source") or e.get("basis") or e.get("cause") or e.get("method"))

    return table(
        _("Value history"),
        [
            ("#", R),
            (_("Date"), L),
            (_("Event"), L),
            (_("How"), L),
            (_("Amount"), R),
            (_("Value before"), R),
            (_("Value after"), R),
            (_("Document"), L),
            (_("Note"), L),
        ],
        [
            (
                e["n"],
                e["date"],
                label(e["kind"]),
                how(e),
                money(e["amount"]),
                money(e["before"]),
                money(e["after"]) if e["kind"] != "dispose" else "",
                e.get("doc") or "",
                e.get("note") or "",
            )
            for e in history
        ],
    )


def asset_detail(a: dict[str, Any], heading: str = "", flags: list[Any] | None = None) -> None:
    pairs = [
        (_("Id"), a["id"]),
        (_("Name"), a["name"]),
        (_("Owner"), f"{a['owner']} {a['owner_name'] or ''}"),
        (_("Category"), label(a["category"])),
        (_("Location"), a["location"] or ""),
        (_("Area m²"), number(a["area"])),
        (_("Title no."), a["title_no"] or ""),
        (_("Acquired"), a["acquired"]),
        (_("Status"), _("{status} since {day}").format(status=label(a["status"]), day=a["status_since"])),
        (_("Value"), money(a["value"])),
        (_("Note"), a["note"] or ""),
        (_("Open incidents"), ", ".join(a["open_incidents"]) or _("none")),
    ]
    parts: list[Any] = [details(heading or _("Asset"), pairs), history_table(a["history"])]
    if a["leases"]:
        parts.append(_lease_rows(a["leases"]))
    if a["incidents"]:
        parts.append(_incident_rows(a["incidents"]))
    if flags:
        from assetreg.render.flags import flag_table

        parts.append(flag_table(flags))
    _print(*parts)


def _lease_rows(rows: list[dict[str, Any]]) -> Any:
    return table(
        _("Leases"),
        [
            (_("Id"), L),
            (_("Asset"), L),
            (_("Tenant"), L),
            (_("Start"), L),
            (_("End"), L),
            (_("Rent"), R),
            (_("Period"), L),
            (_("Status"), L),
            (_("Arrears"), R),
        ],
        [
            (
                x["id"],
                f"{x['asset']} {x['asset_name'] or ''}",
                x["tenant"],
                x["start"],
                x["end"],
                money(x["rent"]),
                label(x["period"]),
                label(x["status"]),
                money(x["arrears"]),
            )
            for x in rows
        ],
    )


def lease_table(rows: list[dict[str, Any]]) -> None:
    _print(_lease_rows(rows))


def lease_detail(x: dict[str, Any], heading: str = "") -> None:
    pairs = [
        (_("Id"), x["id"]),
        (_("Asset"), f"{x['asset']} {x['asset_name'] or ''}"),
        (_("Tenant"), x["tenant"]),
        (_("Start"), x["start"]),
        (_("End"), x["end"]),
        (_("Rent"), money(x["rent"])),
        (_("Period"), label(x["period"])),
        (_("Deposit"), money(x["deposit"])),
        (_("Status"), label(x["status"])),
        (_("Ended on"), x["ended_on"] or ""),
        (_("Note"), x.get("note") or ""),
        (_("Arrears"), money(x["arrears"])),
    ]
    payments = table(
        _("Payments"),
        [(_("Date"), L), (_("Amount"), R), (_("Note"), L)],
        [(p["date"], money(p["amount"]), p["note"] or "") for p in x["payments"]],
    )
    _print(details(heading or _("Lease"), pairs), payments)


def _incident_rows(rows: list[dict[str, Any]]) -> Any:
    return table(
        _("Incidents"),
        [
            (_("Id"), L),
            (_("Kind"), L),
            (_("Assets"), L),
            (_("Counterparty"), L),
            (_("Occurred"), L),
            (_("Status"), L),
            (_("Age (days)"), R),
            (_("Last action"), L),
        ],
        [
            (
                i["id"],
                label(i["kind"]),
                ", ".join(i["assets"]),
                i["counterparty"] or "",
                i["occurred"],
                label(i["status"]),
                i["age_days"],
                f"{i['last_action']['date']} {i['last_action']['note'] or ''}" if i["last_action"] else "",
            )
            for i in rows
        ],
    )


def incident_table(rows: list[dict[str, Any]]) -> None:
    _print(_incident_rows(rows))


def incident_detail(i: dict[str, Any], heading: str = "") -> None:
    pairs = [
        (_("Id"), i["id"]),
        (_("Kind"), label(i["kind"])),
        (_("Assets"), ", ".join(f"{a} {n}" for a, n in zip(i["assets"], i["asset_names"], strict=False))),
        (_("Counterparty"), i["counterparty"] or ""),
        (_("Occurred"), i["occurred"]),
        (_("Reported"), i["reported"] or ""),
        (_("Status"), label(i["status"])),
        (_("Age (days)"), i["age_days"]),
        (_("Estimated loss"), money(i["estimated_loss"])),
        (_("Description"), i["description"] or ""),
    ]
    timeline = table(
        _("Timeline"),
        [(_("Date"), L), (_("Action"), L), (_("Status"), L), (_("Document"), L)],
        [(t["date"], t["note"] or label(t["what"]), label(t["status"]), t["doc"] or "") for t in i["timeline"]],
    )
    _print(details(heading or _("Incident"), pairs), timeline)
