"""Flag thresholds and other settings, stored in the registry and checked on change."""

from __future__ import annotations

from typing import Any

from assetreg.core.errors import InvalidValue
from assetreg.core.parse import whole_number
from assetreg.i18n import N_

# key: (default, smallest allowed, largest allowed, description msgid)
SPECS: dict[str, tuple[int, int, int, str]] = {
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
}
DEFAULTS: dict[str, int] = {key: spec[0] for key, spec in SPECS.items()}


def known(key: str) -> str:
    if key not in SPECS:
        raise InvalidValue("KEY", key, N_("not one of: {choices}"), choices=", ".join(SPECS))
    return key


def checked(key: str, raw: str) -> int:
    _, low, high, _ = SPECS[known(key)]
    value = whole_number(raw, key)
    if not low <= value <= high:
        raise InvalidValue(key, raw, N_("must be from {low} to {high}"), low=low, high=high)
    return value


def effective(stored: dict[str, Any]) -> dict[str, int]:
    return {key: int(stored.get(key, default)) for key, default in DEFAULTS.items()}
