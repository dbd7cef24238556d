"""Flag thresholds and other settings, stored in the registry and checked on change."""

from __future__ import annotations

from typing import Any

from assetreg.core.errors import InvalidValue
from assetreg.core.parse import ascii_forms, text, whole_number
from assetreg.i18n import N_

# key: (default, smallest allowed, largest allowed, description msgid); a text setting's bounds are unused
SPECS: dict[str, tuple[Any, int, int, str]] = {
    "stale_action_days": (90, 1, 3650, N_("days without action before an open encroachment is stale")),
    "arrears_high_days": (180, 1, 3650, N_("days an unpaid due may age before arrears are high severity")),
    "lease_expiring_days": (90, 1, 3650, N_("days ahead in which an ending lease is flagged")),
    "value_drop_percent": (10, 0, 100, N_("percent a value may drop before it is flagged")),
    "valuation_stale_years": (3, 1, 50, N_("years without a value event before a valuation is stale")),
    "idle_years": (1, 1, 50, N_("years a building or land may stand idle before it is flagged")),
    "restructuring_stalled_years": (2, 1, 50, N_("years a restructuring may take before it is flagged")),
    "lease_long_years": (5, 1, 100, N_("years a lease may run without a document before it is flagged")),
    "restructured_holding_days": (
        365,
        1,
        3650,
        N_("days after a restructuring was completed that its member may still hold assets before it is flagged"),
    ),
    "backups_kept": (10, 0, 1000, N_("previous versions of the registry kept beside it")),
    "shortfall_days": (180, 1, 3650, N_("days an asset may stay missing after a clearance before it is flagged")),
    "clearance_due": (
        "03-31",
        0,
        0,
        N_("month-day after 31 December by which that day's clearance must be closed (MM-DD)"),
    ),
    "attachment_max_mb": (100, 1, 4096, N_("largest file that may be attached, in MB")),
    "notice_contact": ("", 0, 0, N_("where objections to a clearance's public notice go (office, phone)")),
}
DEFAULTS: dict[str, Any] = {key: spec[0] for key, spec in SPECS.items()}


def month_day(raw: str, key: str) -> str:
    """A day of the year as MM-DD (3-31 and 03-31 alike); 29 February is refused (not every year has it)."""
    digits = ascii_forms(raw)
    month, _, day = digits.partition("-")
    if not (month.isdigit() and day.isdigit() and 1 <= int(month) <= 12):
        raise InvalidValue(key, raw, N_("not a day of the year as MM-DD, such as 03-31"))
    days = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[int(month) - 1]
    if not 1 <= int(day) <= days:
        raise InvalidValue(key, raw, N_("not a day of the year as MM-DD, such as 03-31"))
    return f"{int(month):02d}-{int(day):02d}"


TEXT_SETTINGS = {"clearance_due": month_day, "notice_contact": lambda raw, key: text(raw, key)}


def known(key: str) -> str:
    if key not in SPECS:
        raise InvalidValue("KEY", key, N_("not one of: {choices}"), choices=", ".join(SPECS))
    return key


def checked(key: str, raw: str) -> Any:
    _, low, high, _ = SPECS[known(key)]
    if key in TEXT_SETTINGS:
        return TEXT_SETTINGS[key](raw, key)
    value = whole_number(raw, key)
    if not low <= value <= high:
        raise InvalidValue(key, raw, N_("must be from {low} to {high}"), low=low, high=high)
    return value


def effective(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        key: str(stored.get(key, default)) if key in TEXT_SETTINGS else int(stored.get(key, default))
        for key, default in DEFAULTS.items()
    }
