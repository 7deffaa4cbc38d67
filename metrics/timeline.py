"""Months as a reader sees them in a trend (RULES §18): every month between the first and the last, a month without
data shown as a gap (never joined across), and the boundary changes (a reform, a change of area) marked.

The boundary sets come from the store (store.Store.boundary_versions): each later set in force from a month
(``effective_from``) is a change; a set without that month corrects the same system and marks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.months import month_range


@dataclass(frozen=True)
class BoundaryMark:
    """A change of boundaries in force from ``month``."""

    month: str
    districts_before: bool  # the earlier set had districts (a reform to two levels when the new one has none)
    districts_after: bool
    area_changed: bool  # the area covered changed (e.g. provinces merged)
    communes_before: int
    communes_after: int

    @property
    def system_changed(self) -> bool:
        return self.districts_before != self.districts_after


def boundary_marks(versions: list[dict]) -> list[BoundaryMark]:
    """The changes of boundaries, oldest first (from the store's list of boundary sets)."""
    marks = []
    for before, after in zip(versions, versions[1:], strict=False):
        if not after.get("effective_from"):
            continue
        marks.append(
            BoundaryMark(
                month=after["effective_from"],
                districts_before=bool(before.get("districts")),
                districts_after=bool(after.get("districts")),
                area_changed=bool(after.get("area_change", {}).get("changed")),
                communes_before=int(before.get("communes", 0)),
                communes_after=int(after.get("communes", 0)),
            )
        )
    return marks


def marks_between(marks: list[BoundaryMark], first: str, last: str) -> list[BoundaryMark]:
    """The changes in force from a month after ``first`` and no later than ``last``."""
    return [m for m in marks if first < m.month <= last]


def comparable(earlier: str, later: str, marks: list[BoundaryMark]) -> bool:
    """Two months are compared (a change, an arrow) only when no boundary change falls between them: across one,
    the figures describe different communes or a different area."""
    low, high = min(earlier, later), max(earlier, later)
    return not marks_between(marks, low, high)


def continuous(monthly: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """The by-month table over every month from the first to the last of ``months``: a month without data gets a
    row of zero samples and empty figures (``has_data`` False), so a chart shows a gap rather than joining across
    it. ``period`` numbers the stretches of months between changes of boundaries (set by :func:`with_periods`)."""
    if not months:
        return monthly.assign(has_data=pd.Series(dtype=bool))
    every = month_range(min(months), max(months))
    table = pd.DataFrame({"month": every}).merge(monthly, on="month", how="left")
    for col in ("samples", "speed_samples", "all_samples"):
        if col in table:
            table[col] = table[col].fillna(0).astype("int64")
    table["has_data"] = (table["samples"] > 0) | (table["speed_samples"] > 0)
    if "sufficient" in table:
        table["sufficient"] = table["sufficient"].astype("boolean").fillna(False).astype(bool)
    return table


def with_periods(table: pd.DataFrame, marks: list[BoundaryMark]) -> pd.DataFrame:
    """Number the months by the boundary set in force (0 before the first change shown, 1 after it, ...)."""
    starts = sorted(m.month for m in marks)
    table = table.copy()
    table["period"] = (
        np.searchsorted(np.array(starts), table["month"].to_numpy(dtype=str), side="right") if starts else 0
    )
    return table
