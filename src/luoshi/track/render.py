"""The monitoring sheet as CSV (the contract's columns), a terminal table, JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json

from luoshi.track.service import Sheet
from luoshi.track.status import PROJECT_COLUMNS, STATUS_COLUMNS

TABLE_COLUMNS = ("indicator_id", "name", "target", "latest_period", "latest_value", "elapsed", "progress", "status")
PROJECT_TABLE = ("project_id", "name", "unit_in_charge", "batch", "latest_period", "elapsed", "progress", "status")
ALERT_COLUMNS = ("region", "kind", "id", "name", "domain", "unit_in_charge", "as_of", "latest_period", "status",
                 "late", "reason")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if abs(value) < 1e12 else f"{value:g}"
    return str(value)


def _csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def target_text(row: dict) -> str:
    low, high = row.get("target_low"), row.get("target_high")
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        return f"{cell(low)}–{cell(high)}"
    return cell(low if low is not None else high)


def _width(text: str) -> int:
    # CJK characters take two columns on a terminal
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _table(rows: list[dict], columns: tuple[str, ...]) -> str:
    cells = [[target_text(r) if c == "target" else cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(line[i]) for line in cells]) for i, c in enumerate(columns)]
    out = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(columns, widths)).rstrip()]
    out += ["  ".join(v + " " * (w - _width(v)) for v, w in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(out) + "\n"


def alert_rows(sheet: Sheet) -> list[dict]:
    rows = [{**r, "region": sheet.region, "kind": "indicator", "id": r["indicator_id"]} for r in sheet.alerts()]
    rows += [{**p, "kind": "project", "id": p["project_id"], "domain": None} for p in sheet.project_alerts()]
    return rows


def status_text(sheet: Sheet, fmt: str, what: str = "indicators") -> str:
    """``track status`` in a format: csv (one row per indicator, the contract), json, md, table."""
    if fmt == "csv":
        return _csv(sheet.projects, PROJECT_COLUMNS) if what == "projects" else _csv(sheet.indicators, STATUS_COLUMNS)
    if fmt == "json":
        return json.dumps(sheet.to_dict(), ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        return markdown(sheet)
    head = f"{sheet.region} as of {sheet.as_of.isoformat()} — 序时进度 {sheet.elapsed * 100:.1f}%\n\n"
    if what == "projects":
        return head + _table(sheet.projects, PROJECT_TABLE)
    body = _table(sheet.indicators, TABLE_COLUMNS)
    lines = "\n".join(d["line"] for d in sheet.domains)
    return head + body + "\n" + lines + "\n"


def alerts_text(sheet: Sheet, fmt: str) -> str:
    rows = alert_rows(sheet)
    if fmt == "csv":
        return _csv(rows, ALERT_COLUMNS)
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in ALERT_COLUMNS} for r in rows], ensure_ascii=False, indent=1) + "\n"
    if not rows:
        return f"{sheet.region} as of {sheet.as_of.isoformat()}: nothing is behind, late or on alert\n"
    if fmt == "md":
        lines = [f"# {sheet.region} 预警（截至 {sheet.as_of.isoformat()}）", ""]
        lines += [f"- **{r['name']}**（{r.get('unit_in_charge') or '—'}）{r['status']}{'，逾期' if r.get('late') else ''}："
                  f"{r['reason']}" for r in rows]
        return "\n".join(lines) + "\n"
    out = [f"{sheet.region} as of {sheet.as_of.isoformat()}: {len(rows)} to act on", ""]
    for r in rows:
        flag = r["status"] + (" (late)" if r.get("late") else "")
        out.append(f"{flag:<16} {r['kind']:<9} {r['id']}  {r['name']}  [{r.get('unit_in_charge') or '—'}]")
        out.append(f"{'':<16} {r['reason']}")
    return "\n".join(out) + "\n"


def _md_escape(text) -> str:
    return cell(text).replace("|", "\\|").replace("\n", " ")


def markdown(sheet: Sheet) -> str:
    lines = [f"# {sheet.region} 指标监测（截至 {sheet.as_of.isoformat()}，序时进度 {sheet.elapsed * 100:.1f}%）", ""]
    lines += [f"- {d['line']}" for d in sheet.domains] + [""]
    alerts = alert_rows(sheet)
    if alerts:
        lines += ["## 预警", ""] + [f"- **{_md_escape(r['name'])}**（{_md_escape(r.get('unit_in_charge') or '—')}）"
                                      f"{r['status']}：{_md_escape(r['reason'])}" for r in alerts] + [""]
    for domain in sheet.domains:
        lines += [f"## {domain['domain']}", "", "| 指标 | 目标 | 最新 | 数值 | 序时进度 | 完成进度 | 状态 | 说明 |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in sheet.indicators:
            if (r["domain"] or "（未指定）") != domain["domain"]:
                continue
            lines.append("| " + " | ".join(_md_escape(v) for v in (
                r["name"], target_text(r) + (r["unit"] if target_text(r) else ""), r["latest_period"], r["latest_value"],
                _share(r["elapsed"]), _share(r["progress"]), r["status"], r["reason"])) + " |")
        lines.append("")
    if sheet.projects:
        lines += ["## 重点项目", "", "| 项目 | 责任单位 | 批次 | 计划投资 | 累计完成 | 工期进度 | 投资进度 | 状态 |",
                  "|---|---|---|---|---|---|---|---|"]
        for p in sheet.projects:
            lines.append("| " + " | ".join(_md_escape(v) for v in (
                p["name"], p.get("unit_in_charge"), p.get("batch"), f"{cell(p['planned_investment'])}{p['unit']}",
                p["completed_investment"], _share(p["elapsed"]), _share(p["progress"]), p["status"])) + " |")
        lines.append("")
    return "\n".join(lines)


def _share(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"
