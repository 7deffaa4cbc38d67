"""One month's figures for one selection, gathered once: what the overview shows, the deck repeats and the
workbook reports. Plain data (no words, no figures): the words come from metrics.filters, the verdicts and lists
from metrics.rules."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.months import previous_month
from core.settings import Settings
from metrics import rules, timeline
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.tables import month_account


@dataclass
class Briefing:
    filters: Filters
    settings: Settings
    areas: pd.DataFrame  # every commune of the store, with its district and province (names for the words)
    overall: pd.Series  # the selection this month (judged)
    previous: pd.Series  # the selection the month before (judged)
    communes: pd.DataFrame  # one judged row per commune of the selection
    carriers: pd.DataFrame  # the carriers a speed chart shows (rules.carriers_with_speed)
    monthly: pd.DataFrame  # the selection month by month (judged; every month, gaps included: metrics.timeline)
    account: rules.SampleAccount  # every measurement of the month, in a commune or not (and why not)
    marks: list[timeline.BoundaryMark]  # changes of boundaries
    referral: pd.DataFrame | None = None
    campaign: pd.DataFrame | None = None  # who/where/when and the campaign verdict per commune (RULES §20, §21)

    @property
    def headline(self) -> rules.Headline:
        comparable = timeline.comparable(previous_month(self.filters.month), self.filters.month, self.marks)
        return rules.headline(self.overall, self.previous, self.communes, self.account, self.settings, comparable)

    def below_target(self) -> pd.DataFrame:
        return rules.below_target(self.communes, self.settings)

    def below_quota(self) -> pd.DataFrame:
        return rules.below_quota(self.communes, self.settings, self.referral)

    def carrier_comparisons(self) -> list[rules.CarrierComparison]:
        return rules.carrier_comparisons(self.carriers)

    def describe(self, lang: str) -> str:
        return self.filters.describe(self.areas, lang)


def build_briefing(
    engine: StatsEngine, filters: Filters, settings: Settings, referral: pd.DataFrame | None = None
) -> Briefing:
    """Compute the month's figures for the selection (the engine's queries, the rules' verdicts)."""
    carriers = rules.judge(engine.aggregate(filters, ["carrier"]), settings)
    marks = timeline.boundary_marks(engine.store.boundary_versions())
    monthly = rules.judge(engine.aggregate(filters, ["month"], engine.months(), percentiles=False), settings)
    monthly = timeline.with_periods(timeline.continuous(monthly, engine.months()), marks)
    communes = engine.commune_table(filters, settings)
    return Briefing(
        filters=filters,
        settings=settings,
        areas=engine.areas,
        overall=engine.overall(filters, settings),
        previous=engine.overall(filters.with_month(previous_month(filters.month)), settings),
        communes=communes,
        carriers=rules.carriers_with_speed(carriers),
        monthly=monthly,
        account=month_account(engine, filters, communes),
        marks=marks,
        referral=referral,
        campaign=engine.campaign_table(filters, settings),
    )
