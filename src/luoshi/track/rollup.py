"""Roll-ups of the status rows: by domain, by unit in charge, projects by batch, and the
cadence view (以旬保月、以月保季、以季保年)."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date

from luoshi.track.catalog import MonitorIndicator
from luoshi.track.periods import TEN_DAYS, month_position
from luoshi.track.rules import TrackRules
from luoshi.track.status import STATUSES, URGENCY, Observation, Target, judge_above, judge_band, judge_below, \
    target_value, thresholds, year_to_date

STATUS_WORDS = {"ahead": "ahead", "on_track": "on track", "behind": "behind", "alert": "alert", "no_data": "no data",
                "no_target": "no target"}


def counts(rows: list[dict]) -> dict[str, int]:
    found = Counter(r["status"] for r in rows)
    return {s: found.get(s, 0) for s in STATUSES}


def summary_line(name: str, group: dict[str, int], total: int) -> str:
    """经济运行 12 项: 9 on track, 2 behind, 1 alert (statuses with none left out)."""
    order = ("on_track", "ahead", "behind", "alert", "no_data", "no_target")
    parts = [f"{group[s]} {STATUS_WORDS[s]}" for s in order if group.get(s)]
    return f"{name} {total} 项: " + ", ".join(parts)


def by_group(rows: list[dict], key: str) -> list[dict]:
    """Rows grouped by ``key`` in order of first appearance, each with its counts and line."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row.get(key) or "（未指定）", []).append(row)
    out = []
    for name, members in groups.items():
        group = counts(members)
        out.append({key: name, "total": len(members), **group, "late": sum(1 for m in members if m.get("late")),
                    "line": summary_line(name, group, len(members))})
    return out


def by_unit(indicator_rows: list[dict], project_rows: list[dict]) -> list[dict]:
    """Per unit in charge: its indicators and its projects, counted by status."""
    units: dict[str, dict] = {}
    for kind, rows in (("indicators", indicator_rows), ("projects", project_rows)):
        for row in rows:
            name = row.get("unit_in_charge") or "（未指定）"
            entry = units.setdefault(name, {"unit_in_charge": name, "indicators": 0, "projects": 0,
                                            **{s: 0 for s in STATUSES}, "late": 0})
            entry[kind] += 1
            entry[row["status"]] += 1
            entry["late"] += 1 if row.get("late") else 0
    return sorted(units.values(), key=lambda u: (-(u["alert"] * 100 + u["behind"]), u["unit_in_charge"]))


def alerts_first(rows: list[dict]) -> list[dict]:
    """Behind and alert first (alerts before behind), then late ones, keeping the catalog's order."""
    return sorted(rows, key=lambda r: (URGENCY[r["status"]] if r["status"] in ("alert", "behind") else 9,
                                       0 if r.get("late") else 1))


def needs_attention(row: dict) -> bool:
    return row["status"] in ("alert", "behind") or bool(row.get("late"))


# ---------------------------------------------------------------- cadence

def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _ten_day_ends(year: int, month: int) -> list[date]:
    return [date(year, month, 10), date(year, month, 20), _month_end(year, month)]


def cadence(indicator: MonitorIndicator, target: Target | None, observations: list[Observation], as_of: date,
            rules: TrackRules) -> list[dict]:
    """Checkpoints of the year up to ``as_of``: at each quarter's end whether the year is on
    track (季保年), at each month's end the quarter (月保季), at each 旬's end the month
    (旬保月). A cumulative indicator's quarter and month shares are a quarter and a twelfth of
    the annual target (no seasonal profile); a rate indicator is judged at each checkpoint
    with the value it had then."""
    if target is None or target_value(indicator, target) is None:
        return []
    year = as_of.year
    seen = [o for o in observations if o.period.year == year and o.period.end <= as_of]
    if not seen:
        return []
    checkpoints = [("季保年", f"Q{q}", _month_end(year, 3 * q)) for q in range(1, 5)]
    checkpoints += [("月保季", f"{m}月", _month_end(year, m)) for m in range(1, 13)]
    if indicator.frequency == "ten_days":
        checkpoints += [("旬保月", f"{m}月{TEN_DAYS[i]}", end) for m in range(1, 13)
                        for i, end in enumerate(_ten_day_ends(year, m))]
    checkpoints = [c for c in checkpoints if c[2] <= as_of]
    out = []
    if indicator.kind == "cumulative":
        totals = year_to_date(seen)
        goal = target_value(indicator, target)
        t = thresholds(indicator, rules)
        for level, label, end in checkpoints:
            if end not in totals:
                continue
            if level == "季保年":
                window_start, share_of_goal = date(year, 1, 1), 1.0
            elif level == "月保季":
                window_start, share_of_goal = date(year, (end.month - 1) // 3 * 3 + 1, 1), 0.25
            else:
                window_start, share_of_goal = date(year, end.month, 1), 1 / 12
            before = window_start.toordinal() - 1
            base = 0.0 if window_start == date(year, 1, 1) else totals.get(date.fromordinal(before))
            if base is None:
                continue
            months_in_window = {"季保年": 12, "月保季": 3, "旬保月": 1}[level]
            gone = (month_position(end) - (window_start.month - 1)) / months_in_window
            progress = (totals[end] - base) / (goal * share_of_goal) if goal else 0.0
            judge = judge_below if indicator.direction == "down" else judge_above
            status = judge(progress, gone, t)
            out.append({"level": level, "checkpoint": label, "end": end.isoformat(), "status": status,
                        "progress": round(progress, 4), "elapsed": round(gone, 4)})
        return out
    goal = target_value(indicator, target)
    for level, label, end in checkpoints:
        at = [o for o in seen if o.period.end == end]
        if not at:
            continue
        value = min(at, key=lambda o: o.period.start).value
        if indicator.direction == "band":
            low = target.low if target.low is not None else target.high
            high = target.high if target.high is not None else target.low
            status = judge_band(value, low, high, thresholds(indicator, rules, scale=(low + high) / 2))
        elif indicator.direction == "down":
            status = judge_below(value, goal, thresholds(indicator, rules, scale=goal))
        else:
            status = judge_above(value, goal, thresholds(indicator, rules, scale=goal))
        out.append({"level": level, "checkpoint": label, "end": end.isoformat(), "status": status, "value": value})
    return out
