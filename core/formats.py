"""Vietnamese and English number and date formats (35,2 Mbps; 1.234 mẫu; tháng 10/2024)."""

from __future__ import annotations

import math

from core.i18n import t


def number(value: float | int | None, decimals: int = 1, lang: str = "vi") -> str:
    """35.2 -> '35,2' (vi) or '35.2' (en); 1234 -> '1.234' / '1,234'; missing -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def signed(value: float | None, decimals: int = 1, lang: str = "vi") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return ("+" if value > 0 else "") + number(value, decimals, lang)


def percent(value: float | None, decimals: int = 0, lang: str = "vi") -> str:
    return (
        "–"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{number(value, decimals, lang)}%"
    )


def month_label(month: str, lang: str = "vi", short: bool = False) -> str:
    """'2024-10' -> 'tháng 10/2024' (vi), 'October 2024' (en); short: '10/2024' / 'Oct 2024'."""
    year, mon = month[:4], int(month[5:7])
    name = t(f"month_name_{mon}", lang)
    return t("month_short" if short else "month_long", lang, mm=f"{mon:02d}", yyyy=year, name=name, abbr=name[:3])


def mbps(value: float | None, lang: str = "vi", decimals: int = 1) -> str:
    return (
        "–"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{number(value, decimals, lang)} Mbps"
    )


def date_time(iso: str, lang: str = "vi") -> str:
    """An ISO time ('2025-11-03T02:12:40+00:00') in Vietnam time: '03/11/2025 09:12' (both languages use the
    day-first form Vietnamese offices write); '–' when there is none."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if not iso:
        return "–"
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    return moment.strftime("%d/%m/%Y %H:%M")
