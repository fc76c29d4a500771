"""Status of each monitored indicator and key project as of a date (序时进度).

Pure functions over plain values: the caller reads the catalog, targets, observations and
projects from the database (``track.service``) and gets rows back. The rules and their
thresholds are ``data/track.yaml`` (documented there):

- cumulative indicators: progress = year-to-date total / annual target at the end of the
  latest period, against elapsed = the share of the year gone by then;
- rate indicators: the latest value against the target by direction (up, down, band);
- an indicator with no observation for the latest period due (by its frequency) is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from luoshi.track.catalog import MonitorIndicator
from luoshi.track.periods import Period, chinese_label, due_period, elapsed, month_position, parse_period
from luoshi.track.rules import Thresholds, TrackRules
from luoshi.track.units import UnitConverter

STATUSES = ("alert", "behind", "on_track", "ahead", "no_data", "no_target")
# alerts first: the order a 调度 sheet lists indicators in
URGENCY = {"alert": 0, "behind": 1, "no_data": 2, "on_track": 3, "ahead": 4, "no_target": 5}
STATUS_COLUMNS = ("region", "indicator_id", "name", "domain", "target_low", "target_high", "unit", "as_of",
                  "latest_period", "latest_value", "elapsed", "progress", "status", "reason")
PROJECT_COLUMNS = ("project_id", "name", "region", "unit_in_charge", "leader", "batch", "planned_investment", "unit",
                   "start", "finish", "as_of", "latest_period", "completed_investment", "milestone", "elapsed",
                   "progress", "status", "reason")


@dataclass(frozen=True)
class Observation:
    period: Period
    value: float  # in the indicator's unit
    source: str | None = None
    quote: str | None = None
    doc_id: str | None = None
    start: int | None = None


@dataclass(frozen=True)
class Target:
    low: float | None
    high: float | None
    source: str  # "file" (track load targets) or "report" (a work report in the database)
    quote: str | None = None
    doc: str | None = None


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:g}"


def thresholds(indicator: MonitorIndicator, rules: TrackRules, scale: float | None = None) -> Thresholds:
    """The indicator's thresholds: its own overrides, else the rules' for its kind and unit;
    ``scale`` turns relative thresholds of a rate into its unit (the target's size)."""
    if indicator.kind == "cumulative":
        base = rules.cumulative
    elif indicator.unit in rules.point_units:
        base = rules.rate.points
    else:
        base = rules.rate.relative
    own = Thresholds(indicator.ahead if indicator.ahead is not None else base.ahead,
                     indicator.tolerance if indicator.tolerance is not None else base.tolerance,
                     indicator.alert if indicator.alert is not None else base.alert)
    if indicator.kind == "rate" and indicator.unit not in rules.point_units and scale is not None:
        return Thresholds(own.ahead * abs(scale), own.tolerance * abs(scale), own.alert * abs(scale))
    return own


def judge_above(value: float, floor: float, t: Thresholds) -> str:
    """Higher is better: ahead / on_track / behind / alert by the distance above ``floor``."""
    gap = value - floor
    if gap >= t.ahead - 1e-9:
        return "ahead"
    if gap >= -t.tolerance - 1e-9:
        return "on_track"
    if gap >= -t.alert - 1e-9:
        return "behind"
    return "alert"


def judge_below(value: float, ceiling: float, t: Thresholds) -> str:
    """Lower is better: the mirror image of ``judge_above``."""
    return judge_above(-value, -ceiling, t)


def judge_band(value: float, low: float, high: float, t: Thresholds) -> str:
    outside = max(low - value, value - high, 0.0)
    if outside <= t.tolerance + 1e-9:
        return "on_track"
    if outside <= t.alert + 1e-9:
        return "behind"
    return "alert"


def target_value(indicator: MonitorIndicator, target: Target) -> float:
    """The one number a cumulative or one-sided target is: a floor's low end, a ceiling's high end."""
    if indicator.direction == "down":
        return target.high if target.high is not None else target.low
    return target.low if target.low is not None else target.high


def year_to_date(observations: list[Observation]) -> dict[date, float]:
    """Year-to-date totals by end date: a period from 1 January gives it directly; otherwise
    periods that follow each other without a gap (three 旬, single months) add up."""
    totals: dict[date, float] = {}
    direct: set[date] = set()
    for obs in sorted(observations, key=lambda o: (o.period.end, o.period.start)):
        end = obs.period.end
        if obs.period.year_to_date:
            totals[end] = obs.value
            direct.add(end)
        elif end not in direct:
            before = obs.period.start - timedelta(days=1)
            if before in totals:
                totals[end] = totals[before] + obs.value
    return totals


def _schedule_gap(points: float, phrases: dict[str, str]) -> str:
    """超前/落后 N 个百分点 of 序时进度 (``points``: progress − elapsed, in percentage points)."""
    if abs(points) < 0.05:
        return phrases["schedule_even"]
    return phrases["schedule_ahead" if points > 0 else "schedule_behind"].format(points=f"{abs(points):.1f}")


def _late(indicator: MonitorIndicator, latest: Period | None, as_of: date, rules: TrackRules) -> dict | None:
    due = due_period(indicator.frequency, as_of, rules.due(indicator.frequency))
    if due is None or (latest is not None and latest.end >= due.end):
        return None
    return {"due": due, "due_date": due.end + timedelta(days=rules.due(indicator.frequency))}


def indicator_status(indicator: MonitorIndicator, target: Target | None, observations: list[Observation],
                     as_of: date, rules: TrackRules) -> dict:
    """One row of the status table (the contract's columns, then details for the pages)."""
    year = as_of.year
    seen = [o for o in observations if o.period.year == year and o.period.end <= as_of]
    row = {"indicator_id": indicator.id, "name": indicator.name, "domain": indicator.domain,
           "target_low": target.low if target else None, "target_high": target.high if target else None,
           "unit": indicator.unit, "as_of": as_of.isoformat(), "latest_period": None, "latest_value": None,
           "elapsed": None, "progress": None, "status": None, "reason": "",
           "kind": indicator.kind, "direction": indicator.direction, "frequency": indicator.frequency,
           "unit_in_charge": indicator.unit_in_charge, "target_source": target.source if target else None,
           "target_quote": target.quote if target else None, "late": False, "due_period": None,
           "latest_source": None, "latest_quote": None, "points": []}
    reasons = rules.reasons
    latest: Period | None = None
    if indicator.kind == "cumulative":
        totals = year_to_date(seen)
        row["points"] = [{"end": d.isoformat(), "month": month_position(d), "value": v} for d, v in sorted(totals.items())]
        if totals:
            end = max(totals)
            ending = [o for o in seen if o.period.end == end]
            direct = next((o for o in ending if o.period.year_to_date), None)
            if direct is not None:
                latest = direct.period
            elif end == _month_end(end):  # single months that add up: the year so far
                latest = parse_period(f"{year}-01..{year}-{end.month:02d}")
            else:  # 旬 that add up: named by the last one
                latest = ending[0].period
            row.update(latest_period=latest.label, latest_value=totals[end], elapsed=round(elapsed(end), 4))
            source = next((o for o in seen if o.period.end == end), None)
            row.update(latest_source=source.source if source else None, latest_quote=source.quote if source else None)
    else:
        if seen:
            last = max(seen, key=lambda o: (o.period.end, -o.period.start.toordinal()))
            latest = last.period
            row.update(latest_period=latest.label, latest_value=last.value, elapsed=round(elapsed(latest.end), 4),
                       latest_source=last.source, latest_quote=last.quote)
        row["points"] = [{"end": o.period.end.isoformat(), "month": o.period.end_month, "value": o.value}
                         for o in sorted(seen, key=lambda o: (o.period.end, -o.period.start.toordinal()))]
    row["latest_label"] = chinese_label(latest) if latest else None
    late = _late(indicator, latest, as_of, rules)

    if target is None or target_value(indicator, target) is None:
        row["status"], row["reason"] = "no_target", reasons["no_target"].format(year=year)
    elif not seen:
        row["status"], row["reason"] = "no_data", reasons["no_data"].format(year=year, as_of=as_of.isoformat())
    elif row["latest_period"] is None:
        first = min(o.period.start for o in seen)
        detail = (rules.phrases["starts_late"].format(date=first.isoformat()) if first != date(year, 1, 1)
                  else rules.phrases["has_gap"])
        row["status"], row["reason"] = "no_data", reasons["no_year_to_date"].format(detail=detail)
    elif indicator.kind == "cumulative":
        _judge_cumulative(row, indicator, target, rules, latest)
    else:
        _judge_rate(row, indicator, target, rules, latest)
    if late:
        row["late"], row["due_period"] = True, late["due"].label
        latest_text = chinese_label(latest) if latest else rules.phrases["nothing_yet"]
        note = reasons["late"].format(due=chinese_label(late["due"]), due_date=late["due_date"].isoformat(),
                                      latest=latest_text)
        row["reason"] = f"{row['reason']}；{note}" if row["reason"] else note
    return row


def _month_end(day: date) -> date:
    import calendar

    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _judge_cumulative(row: dict, indicator: MonitorIndicator, target: Target, rules: TrackRules, latest: Period) -> None:
    t = thresholds(indicator, rules)
    goal = target_value(indicator, target)
    progress = row["latest_value"] / goal if goal else 0.0
    share = elapsed(latest.end)  # exact: the row shows it rounded
    if indicator.direction == "band" and target.low is not None and target.high is not None:
        low_status = judge_above(row["latest_value"] / target.low, share, t)
        high_status = judge_below(row["latest_value"] / target.high, share, t)
        status = max((low_status, high_status), key=lambda s: -URGENCY[s])
        status = "on_track" if status == "ahead" else status
    elif indicator.direction == "down":
        status = judge_below(progress, share, t)
    else:
        status = judge_above(progress, share, t)
    difference = (progress - share) * 100 * (-1 if indicator.direction == "down" else 1)
    row["progress"] = round(progress, 4)
    row["status"] = status
    row["reason"] = rules.reasons["cumulative"].format(
        period=chinese_label(latest), value=_num(row["latest_value"]), unit=indicator.unit, target=_num(goal),
        progress=_pct(progress), elapsed=_pct(share), gap=_schedule_gap(difference, rules.phrases))


def _judge_rate(row: dict, indicator: MonitorIndicator, target: Target, rules: TrackRules, latest: Period) -> None:
    value = row["latest_value"]
    unit = indicator.unit
    if indicator.direction == "band" and target.low is not None and target.high is not None:
        low, high = target.low, target.high
        t = thresholds(indicator, rules, scale=(low + high) / 2)
        row["status"] = judge_band(value, low, high, t)
        words, unit_word = rules.phrases, _unit_word(unit, rules)
        gap = words["in_band"] if low <= value <= high else \
            (words["below_band"].format(amount=_num(low - value), unit=unit_word) if value < low else
             words["above_band"].format(amount=_num(value - high), unit=unit_word))
        row["reason"] = rules.reasons["band"].format(period=chinese_label(latest), value=_num(value), unit=unit,
                                                     target=f"{_num(low)}–{_num(high)}{unit}", gap=gap)
        return
    # a band with one end is a floor (only low) or a ceiling (only high)
    ceiling = indicator.direction == "down" or (indicator.direction == "band" and target.low is None)
    goal = (target.high if target.high is not None else target.low) if ceiling else \
        (target.low if target.low is not None else target.high)
    t = thresholds(indicator, rules, scale=goal)
    if ceiling:
        row["status"] = judge_below(value, goal, t)
        wanted = rules.phrases["at_most"].format(value=_num(goal), unit=unit)
    else:
        row["status"] = judge_above(value, goal, t)
        wanted = rules.phrases["at_least"].format(value=_num(goal), unit=unit)
    difference = value - goal
    if abs(difference) < 1e-9:
        gap = rules.phrases["target_even"]
    else:
        gap = rules.phrases["above_target" if difference > 0 else "below_target"].format(
            amount=_num(abs(difference)), unit=_unit_word(unit, rules))
    row["reason"] = rules.reasons["rate"].format(period=chinese_label(latest), value=_num(value), unit=unit,
                                                 target=wanted, gap=gap)


def _unit_word(unit: str, rules: TrackRules) -> str:
    """The unit of a difference: two % figures differ by percentage points."""
    return rules.phrases["percent_difference_unit"] if unit == "%" else unit


# ---------------------------------------------------------------- key projects

def _month_index(text: str) -> int:
    year, month = int(text[:4]), int(text[5:7])
    return year * 12 + month - 1


def project_status(project: dict, progress_rows: list[dict], as_of: date, rules: TrackRules) -> dict:
    """One key project: completed / planned investment against the share of its span gone
    (from the start of its first month to the end of its finish month), by the latest report."""
    row = {c: project.get(c) for c in PROJECT_COLUMNS if c in project}
    row.update(as_of=as_of.isoformat(), latest_period=None, latest_label=None, completed_investment=None, milestone=None, elapsed=None,
               progress=None, status=None, reason="", late=False, points=[])
    seen = sorted((r for r in progress_rows if date.fromisoformat(r["period_end"]) <= as_of),
                  key=lambda r: (r["period_end"], r["period_start"]))
    start_index = _month_index(project["start"])
    finish_index = _month_index(project["finish"]) + 1
    span = max(finish_index - start_index, 1)

    def share_at(end: date) -> float:
        gone = end.year * 12 + month_position(end) - start_index
        return min(max(gone / span, 0.0), 1.0)

    row["points"] = [{"end": r["period_end"], "month": month_position(date.fromisoformat(r["period_end"])),
                      "value": r["completed_investment"], "elapsed": share_at(date.fromisoformat(r["period_end"]))}
                     for r in seen]
    if not seen:
        started = as_of >= date.fromisoformat(project["start"] + "-01")
        row["status"] = "no_data"
        row["reason"] = (rules.reasons["no_data"].format(year=as_of.year, as_of=as_of.isoformat()) if started else
                         rules.reasons["not_started"].format(start=project["start"], as_of=as_of.isoformat()))
        return row
    last = seen[-1]
    end = date.fromisoformat(last["period_end"])
    share = share_at(end)
    progress = last["completed_investment"] / project["planned_investment"]
    t = rules.cumulative
    status = judge_above(progress, share, t)
    row.update(latest_period=last["period"], latest_label=chinese_label(parse_period(last["period"])),
               completed_investment=last["completed_investment"],
               milestone=next((r["milestone"] for r in reversed(seen) if r["milestone"]), None),
               elapsed=round(share, 4), progress=round(progress, 4), status=status)
    row["reason"] = rules.reasons["project"].format(
        value=_num(last["completed_investment"]), unit=project["unit"], target=_num(project["planned_investment"]),
        progress=_pct(progress), elapsed=_pct(share), gap=_schedule_gap((progress - share) * 100, rules.phrases))
    due = due_period("month", as_of, rules.due("month"))
    if due is not None and end < due.end and date.fromisoformat(project["start"] + "-01") <= due.start \
            and date.fromisoformat(project["finish"] + "-01") >= due.start:
        row["late"] = True
        row["reason"] += "；" + rules.reasons["late"].format(
            due=chinese_label(due), due_date=(due.end + timedelta(days=rules.due("month"))).isoformat(),
            latest=chinese_label(parse_period(last["period"])))
    return row
