"""Month arithmetic on 'YYYY-MM' strings."""

from __future__ import annotations


def previous_month(month: str) -> str:
    """'2025-01' -> '2024-12'."""
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def next_month(month: str) -> str:
    """'2024-12' -> '2025-01'."""
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from first to last, both included ('2025-05', '2025-08' -> May, June, July, August)."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months
