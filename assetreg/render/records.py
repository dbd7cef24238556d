"""Record lists and record details for the terminal."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from rich.text import Text

from assetreg.core.attachments import SHOWN_HASH
from assetreg.core.choices import RESULT_LABELS, contextual
from assetreg.i18n import _
from assetreg.render.console import DATE, FIGURE, ID, TEXT, Col, details, print_tables, table
from assetreg.render.text import day, label, money, number


def totals_line(totals: dict[str, Any]) -> Text:
    """The line under a list: its count and the sums of its figures (core.views.list_totals)."""
    parts = [_("count {count}").format(count=totals["count"])]
    if "assets" in totals:
        parts.append(_("assets {count}").format(count=totals["assets"]))
    if "area" in totals:
        parts.append(_("area {area} m²").format(area=number(totals["area"])))
    if "value" in totals:
        parts.append(_("value {value} yuan").format(value=money(totals["value"])))
    if "rent_per_year" in totals:
        parts.append(_("rent per year {value} yuan").format(value=money(totals["rent_per_year"])))
    if "arrears" in totals:
        parts.append(_("arrears {value} yuan").format(value=money(totals["arrears"])))
    figures = functools.reduce(lambda first, then: _("{first}, {then}").format(first=first, then=then), parts)
    line = _("Total: {figures}").format(figures=figures)
    if totals.get("intra_equity"):
        line = _("{line}; left out of the value: intra-federation equity {value} yuan").format(
            line=line, value=money(totals["intra_equity"])
        )
    return Text(line)


def member_table(rows: list[dict[str, Any]], totals: dict[str, Any], *, wide: bool = False) -> None:
    print_tables(
        table(
            _("Members"),
            [
                Col(_("Id"), ID, 6),
                Col(_("Name"), TEXT, 3),
                Col(_("District"), TEXT, 1),
                Col(_("Kind"), TEXT, 0),
                Col(_("Restructuring"), TEXT, 1),
                Col(_("Employees"), FIGURE, 0),
                Col(_("Assets"), FIGURE, 2),
                Col(_("Value"), FIGURE, 4),
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
        ),
        totals_line(totals),
        wide=wide,
    )


def member_detail(m: dict[str, Any], heading: str = "", *, wide: bool = False) -> None:
    pairs = [
        (_("Id"), m["id"]),
        (_("Name"), m["name"]),
        (_("District"), m["district"]),
        (_("Kind"), label(m["kind"])),
        (_("Restructuring"), label(m["restructuring"])),
        (_("Restructuring since"), day(m["restructuring_since"])),
        (_("Restructuring finished"), day(m["restructuring_finished"])),
        (_("Restructuring note"), m["restructuring_note"] or ""),
        (_("Employees"), "" if m["employees"] is None else m["employees"]),  # 0 is a figure too
        (_("Contact"), m["contact"] or ""),
        (_("Note"), m["note"] or ""),
        (_("Assets held"), m["assets"]),
        (_("Value"), money(m["value"])),
    ]
    print_tables(details(heading or _("Member"), pairs), _asset_rows(m["asset_list"], _("Assets")), wide=wide)


def _asset_rows(rows: list[dict[str, Any]], title: str) -> Any:
    return table(
        title,
        [
            Col(_("Id"), ID, 6),
            Col(_("Name"), TEXT, 3),
            Col(_("Owner"), ID, 2),
            Col(_("Category"), TEXT, 2),
            Col(_("Location"), TEXT, 0),
            Col(_("Area m²"), FIGURE, 1),
            Col(_("Status"), TEXT, 2),
            Col(_("Title no."), TEXT, 1),
            Col(_("Value"), FIGURE, 4),
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


def asset_table(rows: list[dict[str, Any]], totals: dict[str, Any], *, wide: bool = False) -> None:
    print_tables(_asset_rows(rows, _("Assets")), totals_line(totals), wide=wide)


def history_table(history: list[dict[str, Any]]) -> Any:
    def how(e: dict[str, Any]) -> str:
        return label(e.get("source") or e.get("basis") or e.get("cause") or e.get("method"))

    return table(
        _("Value history"),
        [
            Col("#", FIGURE, 6),  # what asset edit --event N takes
            Col(_("Date"), DATE, 5),
            Col(_("Event"), TEXT, 4),
            Col(_("How"), TEXT, 1),
            Col(_("Amount"), FIGURE, 3),
            Col(_("Value before"), FIGURE, 2),
            Col(_("Value after"), FIGURE, 3),
            Col(_("Document"), TEXT, 2),  # what asset edit --event N adds: kept before How
            Col(_("Note"), TEXT, 0),
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


def asset_detail(a: dict[str, Any], heading: str = "", flags: list[Any] | None = None, *, wide: bool = False) -> None:
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
    if "last_clearance" in a:
        last = a["last_clearance"]
        counted = (
            _("{id} as of {day}: {result}, counted on {date}").format(
                id=last["clearance"], day=last["as_of"], result=contextual(_(RESULT_LABELS[last["result"]])), date=last["date"]
            )
            if last
            else _("never counted")
        )
        pairs.append((_("Last clearance"), counted))
    parts: list[Any] = [details(heading or _("Asset"), pairs), history_table(a["history"])]
    if a["leases"]:
        parts.append(_lease_rows(a["leases"]))
    if a["incidents"]:
        parts.append(_incident_rows(a["incidents"]))
    if flags:
        from assetreg.render.flags import flag_table

        parts.append(flag_table(flags))
    print_tables(*parts, wide=wide)


def _lease_rows(rows: list[dict[str, Any]]) -> Any:
    return table(
        _("Leases"),
        [
            Col(_("Id"), ID, 6),
            Col(_("Asset"), TEXT, 2),
            Col(_("Tenant"), TEXT, 3),
            Col(_("Start"), DATE, 1),
            Col(_("End"), DATE, 3),
            Col(_("Rent"), FIGURE, 3),
            Col(_("Period"), TEXT, 1),
            Col(_("Status"), TEXT, 2),
            Col(_("Arrears"), FIGURE, 4),
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


def lease_table(rows: list[dict[str, Any]], totals: dict[str, Any], *, wide: bool = False) -> None:
    print_tables(_lease_rows(rows), totals_line(totals), wide=wide)


def _deposit(x: dict[str, Any]) -> str:
    """The deposit, and once some of it was set against arrears or returned, what is still held."""
    text = money(x["deposit"])
    if Decimal(x["deposit_held"]) != Decimal(x["deposit"] or 0):
        text = _("{deposit}, still held {held}").format(deposit=text, held=money(x["deposit_held"]))
    if x.get("refunded_on"):
        text = _("{deposit}; {amount} returned on {day}").format(deposit=text, amount=money(x["refunded"]), day=x["refunded_on"])
    return text


def _rent_changes(x: dict[str, Any]) -> list[tuple[str, str]]:
    """The rent changes agreed (`lease edit --rent --from`), each from its day; "Rent" is the one in force."""
    if not x.get("rents"):
        return []
    changes = _(", ").join(_("{amount} from {day}").format(amount=money(r["amount"]), day=r["date"]) for r in x["rents"])
    return [(_("Rent changes"), changes)]


def lease_detail(x: dict[str, Any], heading: str = "", *, wide: bool = False) -> None:
    pairs = [
        (_("Id"), x["id"]),
        (_("Asset"), f"{x['asset']} {x['asset_name'] or ''}"),
        (_("Tenant"), x["tenant"]),
        (_("Contact"), x.get("contact") or ""),  # the tenant's person or telephone (version 3)
        (_("Start"), x["start"]),
        (_("End"), x["end"]),
        (_("Rent"), money(x["rent"])),
        (_("Period"), label(x["period"])),
        *_rent_changes(x),
        (_("Deposit"), _deposit(x)),
        (_("Status"), label(x["status"])),
        (_("Ended on"), x["ended_on"] or ""),
        (_("Document"), x.get("doc") or ""),
        (_("Note"), x.get("note") or ""),
        (_("Arrears"), money(x["arrears"])),
    ]
    payments = table(
        _("Payments"),
        [Col(_("Date"), DATE, 3), Col(_("Amount"), FIGURE, 3), Col(_("Note"), TEXT, 1)],
        [(p["date"], money(p["amount"]), p["note"] or "") for p in x["payments"]],
    )
    parts = [details(heading or _("Lease"), pairs), payments]
    if x["writeoffs"]:
        parts.append(
            table(
                _("Written off"),
                [Col(_("Date"), DATE, 3), Col(_("Amount"), FIGURE, 3), Col(_("Document"), TEXT, 2), Col(_("Note"), TEXT, 1)],
                [(w["date"], money(w["amount"]), w["doc"] or "", w["note"] or "") for w in x["writeoffs"]],
            )
        )
    print_tables(*parts, wide=wide)


def _incident_rows(rows: list[dict[str, Any]]) -> Any:
    return table(
        _("Incidents"),
        [
            Col(_("Id"), ID, 6),
            Col(_("Kind"), TEXT, 3),
            Col(_("Assets"), TEXT, 2),
            Col(_("Counterparty"), TEXT, 1),
            Col(_("Occurred"), DATE, 3),
            Col(_("Status"), TEXT, 3),
            Col(_("Age (days)"), FIGURE, 2),
            Col(_("Last action"), TEXT, 1),
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


def incident_table(rows: list[dict[str, Any]], totals: dict[str, Any], *, wide: bool = False) -> None:
    print_tables(_incident_rows(rows), totals_line(totals), wide=wide)


def incident_detail(i: dict[str, Any], heading: str = "", *, wide: bool = False) -> None:
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
    columns = [Col(_("Date"), DATE, 3), Col(_("Action"), TEXT, 3), Col(_("Status"), TEXT, 2), Col(_("Document"), TEXT, 1)]
    rows = [[t["date"], t["note"] or label(t["what"]), label(t["status"]), t["doc"] or ""] for t in i["timeline"]]
    tied = [a for a in i.get("attachments") or [] if a["action"] is not None]
    if tied:  # each action's files beside it: an action's number is its place among the actions
        columns.append(Col(_("Files (附件)"), TEXT, 2))
        number = 0
        for t, row in zip(i["timeline"], rows, strict=True):
            number += t["what"] == "action"
            files = [a for a in tied if t["what"] == "action" and a["action"] == number]
            row.append("; ".join(f"{a['ref']} {a['name']} {a['sha256'][:SHOWN_HASH]}" for a in files))
    timeline = table(_("Timeline"), columns, [tuple(row) for row in rows])
    print_tables(details(heading or _("Incident"), pairs), timeline, wide=wide)


def files_table(rows: list[dict[str, Any]], title: str) -> Any:
    """Attached files (as `attachments --json` gives them) as a terminal table."""

    def tied(a: dict[str, Any]) -> str:
        if a["event"] is not None:
            return _("event {n}").format(n=a["event"])
        return _("action {n}").format(n=a["action"]) if a["action"] is not None else ""

    return table(
        title,
        [
            Col(_("Ref"), "id", 3),
            Col(_("Record"), "id", 3),
            Col(_("Of"), TEXT, 1),
            Col(_("Kind"), TEXT, 2),
            Col(_("Name"), TEXT, 3),
            Col(_("Size (bytes)"), "count", 2),
            Col(_("Date"), DATE, 2),
            Col(_("SHA-256"), "id", 2),
        ],
        [
            (a["ref"], a["record"], tied(a), label(a["kind"]), a["name"], a["size"], a["date"], a["sha256"][:SHOWN_HASH])
            for a in rows
        ],
    )


def print_file_rows(rows: list[dict[str, Any]]) -> None:
    """The files of a record under its `show`, when it has any."""
    if rows:
        print_tables(files_table(rows, _("Attachments")))
