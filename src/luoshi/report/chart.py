"""A PNG chart of one indicator: the target (band for ranges) and the outcome by year."""

from __future__ import annotations

from pathlib import Path


def draw_series(records: list[dict], out: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers
    from matplotlib import pyplot as plt

    years = [r["year"] for r in records]
    low = [r["target_low"] for r in records]
    high = [r["target_high"] for r in records]
    outcome = [r["outcome_value"] for r in records]
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    with_target = [(y, lo, hi) for y, lo, hi in zip(years, low, high) if lo is not None]
    if with_target:
        ax.fill_between([t[0] for t in with_target], [t[1] for t in with_target], [t[2] for t in with_target],
                        step="mid", alpha=0.25, label="target", color="tab:blue")
        ax.plot([t[0] for t in with_target], [t[1] for t in with_target], "o", color="tab:blue", markersize=3)
    with_outcome = [(y, v) for y, v in zip(years, outcome) if v is not None]
    if with_outcome:
        ax.plot([t[0] for t in with_outcome], [t[1] for t in with_outcome], "-o", color="tab:red", label="outcome", markersize=3)
    ax.set_title(title, fontname=None)
    ax.set_xlabel("year")
    ax.set_ylabel(records[0]["unit"] or "")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
