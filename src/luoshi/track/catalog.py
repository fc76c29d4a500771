"""The monitoring catalog: the indicators a region follows through the year.

Written as YAML (``indicators: [{id, name, domain, unit, kind, direction, frequency,
unit_in_charge}]``) or CSV with those columns. Ids may be the extraction catalog's own
(``gdp_growth``), so annual targets found in the reports apply, or new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

KINDS = ("cumulative", "rate")
DIRECTIONS = ("up", "down", "band")
# the extraction catalog's words for the same directions
DIRECTION_ALIASES = {"floor": "up", "ceiling": "down", "higher": "up", "lower": "down"}
FREQUENCIES = ("ten_days", "month", "quarter", "year")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass(frozen=True)
class MonitorIndicator:
    id: str
    name: str
    domain: str
    unit: str
    kind: str
    direction: str
    frequency: str
    unit_in_charge: str | None = None
    # overrides of the rules' thresholds for this indicator (None: the rules file's)
    ahead: float | None = None
    tolerance: float | None = None
    alert: float | None = None


FIELDS = tuple(f.name for f in fields(MonitorIndicator))
REQUIRED = ("id", "name", "domain", "unit", "kind", "direction", "frequency")


def indicator_from_row(row: dict) -> MonitorIndicator:
    """One catalog entry from a mapping (a YAML item or a CSV row); ``ValueError`` says what is wrong."""
    unknown = [k for k in row if k not in FIELDS and k is not None]
    if unknown:
        raise ValueError(f"unknown field {', '.join(map(str, unknown))} (expected {', '.join(FIELDS)})")
    values = {k: (str(v).strip() if v is not None else None) for k, v in row.items() if k in FIELDS}
    values = {k: (v if v != "" else None) for k, v in values.items()}
    missing = [k for k in REQUIRED if not values.get(k)]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if not ID_PATTERN.match(values["id"]):
        raise ValueError(f"id {values['id']!r} must be lower-case letters, digits and _ (like gdp_growth)")
    values["direction"] = DIRECTION_ALIASES.get(values["direction"], values["direction"])
    for name, allowed in (("kind", KINDS), ("direction", DIRECTIONS), ("frequency", FREQUENCIES)):
        if values[name] not in allowed:
            raise ValueError(f"{name} {values[name]!r} is not one of {', '.join(allowed)}")
    for name in ("ahead", "tolerance", "alert"):
        if values.get(name) is not None:
            try:
                values[name] = float(values[name])
            except ValueError:
                raise ValueError(f"{name} {values[name]!r} is not a number") from None
            if values[name] < 0:
                raise ValueError(f"{name} must not be negative")
    return MonitorIndicator(**values)


def indicator_row(indicator: MonitorIndicator) -> dict:
    return {name: getattr(indicator, name) for name in FIELDS}
