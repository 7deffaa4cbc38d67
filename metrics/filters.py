"""What the user chose, turned both into the query's parameters and into the words that describe every figure.

One object, so that a page's subtitle, a slide's title, a table's caption and the numbers under them can never
describe two different selections.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from core.formats import month_label
from core.i18n import t
from core.settings import DEFAULT_SPEED_NETWORKS

AREA_LEVELS = ("province", "district", "commune")
MANY_PROVINCES = 3  # more provinces than this are named "the whole country"


@dataclass(frozen=True)
class Filters:
    """The user's choices. Empty tuples mean 'all'; ``networks`` are the speed scope (RULES §4)."""

    month: str
    networks: tuple[str, ...] = DEFAULT_SPEED_NETWORKS
    carriers: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    communes: tuple[str, ...] = field(default=())
    device_day_cap: int = 0  # RULES §20: tests of one device per day that count (0: every test counts)

    def with_month(self, month: str) -> Filters:
        return replace(self, month=month)

    def without_area(self) -> Filters:
        return replace(self, provinces=(), districts=(), communes=())

    @property
    def has_area(self) -> bool:
        return bool(self.provinces or self.districts or self.communes)

    def area_codes(self) -> dict[str, tuple[str, ...]]:
        """Level -> chosen codes, for the levels the user narrowed."""
        chosen = {"province": self.provinces, "district": self.districts, "commune": self.communes}
        return {level: codes for level, codes in chosen.items() if codes}

    # ---- the query ------------------------------------------------------------------------------------

    def sql_where(self, area: str = "a") -> tuple[list[str], dict]:
        """Conditions and parameters for the carrier and area choices; ``area`` is the alias holding the codes."""
        clauses, params = [], {}
        if self.carriers:
            clauses.append("list_contains($carriers::VARCHAR[], s.carrier)")
            params["carriers"] = list(self.carriers)
        for level, codes in self.area_codes().items():
            clauses.append(f"list_contains(${level}s::VARCHAR[], {area}.{level}_code)")
            params[f"{level}s"] = list(codes)
        return clauses, params

    def sql_counted(self, rows: str = "s") -> tuple[str | None, dict]:
        """RULES §20: with a device cap, a device's tests beyond the cap on one day are left out of every figure
        (tests without a device identifier always count); None when every test counts."""
        if not self.device_day_cap:
            return None, {}
        return f"({rows}.day_rank IS NULL OR {rows}.day_rank <= $cap)", {"cap": int(self.device_day_cap)}

    def sql_speed_scope(self) -> tuple[str, dict]:
        """Rule 5.3: measurements of the chosen network types (default 4G); every mobile one if none is chosen."""
        if not self.networks:
            return "coalesce(s.access_type = 'mobile', false)", {}
        return "coalesce(list_contains($networks::VARCHAR[], s.network_type), false)", {"networks": list(self.networks)}

    def select_areas(self, areas: pd.DataFrame) -> pd.DataFrame:
        """The rows of an area table (one per commune) inside the chosen area."""
        mask = pd.Series(True, index=areas.index)
        for level, codes in self.area_codes().items():
            mask &= areas[f"{level}_code"].isin(codes)
        return areas[mask]

    # ---- the words ------------------------------------------------------------------------------------

    def month_words(self, lang: str) -> str:
        return month_label(self.month, lang)

    def network_words(self, lang: str) -> str:
        """'4G', '4G+5G', or 'every mobile network' when the speed scope is all of them."""
        return "+".join(self.networks) if self.networks else t("all_mobile_networks", lang)

    def carrier_words(self, lang: str) -> str:
        return ", ".join(self.carriers) if self.carriers else t("all_carriers", lang).lower()

    def area_words(self, areas: pd.DataFrame, lang: str) -> str:
        """The chosen communes, districts or provinces by name; 'the whole country' for many provinces."""
        chosen = self.select_areas(areas)
        for level in ("commune", "district"):
            if getattr(self, f"{level}s"):
                return ", ".join(sorted(chosen[f"{level}_name"].dropna().unique()))
        names = sorted(chosen["province_name"].dropna().unique())
        return t("whole_country", lang) if len(names) > MANY_PROVINCES else ", ".join(names)

    def describe(self, areas: pd.DataFrame, lang: str) -> str:
        """'Tháng 10/2025 · Tỉnh X · tất cả nhà mạng · mạng 4G': what a reader needs to know what a figure is about."""
        words = [
            self.month_words(lang).capitalize(),
            self.area_words(areas, lang),
            self.carrier_words(lang),
            t("network_words", lang, networks=self.network_words(lang)),
        ]
        if self.device_day_cap:
            words.append(t("cap_words", lang, cap=self.device_day_cap))
        return " · ".join(words)
