"""Shared sidebar filters, kept across pages and written to the URL so a link reproduces the view.

Only plain, allow-listed values go into the URL (month, codes, carrier names, network types, metric,
thresholds, language, commune); anything unknown in a URL is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.formats import month_label
from core.i18n import t
from core.settings import Settings
from metrics.filters import Filters
from store.schema import NETWORK_TYPES
from ui.context import Context

METRICS = ("mean", "median", "upload", "latency")
DEFAULTS = {"target": 40.0, "quota": 300, "min": 30}
_URL_KEYS = ("lang", "month", "prov", "dist", "car", "net", "metric", "target", "quota", "min", "commune")


@dataclass(frozen=True)
class View:
    """What every page needs: language, filters, thresholds, metric."""

    lang: str
    filters: Filters
    settings: Settings
    metric: str

    @property
    def net_label(self) -> str:
        return "+".join(self.filters.networks) if self.filters.networks else "di động"


def language() -> str:
    """The language radio; Vietnamese unless the URL or the user says English.

    The choice lives in a plain session key (``ui_lang``), not only in the radio's own state, which Streamlit
    drops when the page changes under it."""
    s = st.session_state
    if "ui_lang" not in s:
        s["ui_lang"] = s.get("lang") or ("en" if st.query_params.get("lang") == "en" else "vi")
    s["lang"] = s["ui_lang"]

    def chosen() -> None:
        s["ui_lang"] = s["lang"]

    st.sidebar.radio(
        t("language", s["ui_lang"]),
        ["vi", "en"],
        key="lang",
        horizontal=True,
        format_func=lambda v: "Tiếng Việt" if v == "vi" else "English",
        on_change=chosen,
    )
    return s["ui_lang"]


def sidebar_filters(ctx: Context, lang: str) -> View:
    """Draw the filters (seeded from the URL on a session's first run) and mirror them to the URL."""
    _seed_from_url(ctx)
    _restore_widget_state()
    sb = st.sidebar
    sb.header(t("filters", lang))
    months = list(reversed(ctx.months))
    sb.selectbox(t("month", lang), months, key="f_month", format_func=lambda m: month_label(m, lang))
    provinces = ctx.provinces
    if len(provinces) > 1:
        province_names = dict(zip(provinces["province_code"], provinces["province_name"], strict=True))
        sb.selectbox(
            t("province", lang),
            ["", *province_names],
            key="f_prov",
            format_func=lambda c: province_names.get(c, t("all_provinces", lang)),
        )
    if ctx.has_districts:
        areas = ctx.areas
        if st.session_state.get("f_prov"):
            areas = areas[areas["province_code"] == st.session_state["f_prov"]]
        districts = areas[["district_code", "district_name"]].dropna().drop_duplicates().sort_values("district_code")
        district_names = dict(zip(districts["district_code"], districts["district_name"], strict=True))
        st.session_state["f_dist"] = [d for d in st.session_state.get("f_dist", []) if d in district_names]
        sb.multiselect(
            t("districts", lang),
            list(district_names),
            key="f_dist",
            format_func=lambda c: district_names[c],
            placeholder=t("all_districts", lang),
        )
    sb.multiselect(t("carriers", lang), ctx.carriers, key="f_car", placeholder=t("all_carriers", lang))
    sb.multiselect(t("network", lang), NETWORK_TYPES, key="f_net")
    sb.selectbox(t("metric", lang), METRICS, key="f_metric", format_func=lambda m: t(f"metric_{m}", lang))
    with sb.expander(t("settings", lang)):
        st.number_input(t("speed_target", lang), min_value=1.0, max_value=1000.0, step=5.0, key="f_target")
        st.number_input(t("quota", lang), min_value=1, max_value=100_000, step=50, key="f_quota")
        st.number_input(t("min_samples", lang), min_value=2, max_value=10_000, step=5, key="f_min")
    sb.caption(t("share_link", lang))
    _keep_widget_state()
    view = current_view(lang)
    write_url(view)
    return view


_FILTER_KEYS = ("f_month", "f_prov", "f_dist", "f_car", "f_net", "f_metric", "f_target", "f_quota", "f_min")
_KEPT = "_kept_filters"


def _restore_widget_state() -> None:
    """Streamlit drops widget state when code switches the page (st.switch_page, e.g. a click on the map);
    the values kept at the end of the previous run bring the filters back as they were."""
    for key, value in st.session_state.get(_KEPT, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def _keep_widget_state() -> None:
    st.session_state[_KEPT] = {k: st.session_state[k] for k in _FILTER_KEYS if k in st.session_state}


def current_view(lang: str) -> View:
    s = st.session_state
    filters = Filters(
        month=s["f_month"],
        networks=tuple(s.get("f_net") or ()),
        carriers=tuple(s.get("f_car") or ()),
        provinces=(s["f_prov"],) if s.get("f_prov") else (),
        districts=tuple(s.get("f_dist") or ()),
    )
    settings = Settings(speed_target_mbps=float(s["f_target"]), quota=int(s["f_quota"]), min_samples=int(s["f_min"]))
    return View(lang=lang, filters=filters, settings=settings, metric=s["f_metric"])


def _seed_from_url(ctx: Context) -> None:
    """On a session's first run, take allow-listed values from the URL; defaults otherwise."""
    s = st.session_state
    if s.get("_seeded"):
        return
    q = st.query_params
    s["f_month"] = q.get("month") if q.get("month") in ctx.months else ctx.months[-1]
    provinces = set(ctx.provinces["province_code"])
    s["f_prov"] = q.get("prov") if q.get("prov") in provinces else ""
    districts = set(ctx.areas["district_code"].dropna())
    s["f_dist"] = [d for d in _list(q.get("dist")) if d in districts]
    s["f_car"] = [c for c in _list(q.get("car")) if c in ctx.carriers]
    nets = [n for n in _list(q.get("net")) if n in NETWORK_TYPES]
    s["f_net"] = nets if nets or "net" in q else ["4G"]
    s["f_metric"] = q.get("metric") if q.get("metric") in METRICS else "mean"
    s["f_target"] = _number(q.get("target"), DEFAULTS["target"], float)
    s["f_quota"] = _number(q.get("quota"), DEFAULTS["quota"], int)
    s["f_min"] = _number(q.get("min"), DEFAULTS["min"], int)
    codes = set(ctx.areas["commune_code"])
    if q.get("commune") in codes:
        s["commune"] = q.get("commune")
    s["_seeded"] = True


def write_url(view: View) -> None:
    """Mirror the view into the URL, leaving defaults out so links stay short."""
    f, s = view.filters, view.settings
    wanted = {
        "lang": "en" if view.lang == "en" else None,
        "month": f.month,
        "prov": f.provinces[0] if f.provinces else None,
        "dist": ",".join(f.districts) or None,
        "car": ",".join(f.carriers) or None,
        "net": ",".join(f.networks) if tuple(f.networks) != ("4G",) else None,
        "metric": view.metric if view.metric != "mean" else None,
        "target": _fmt(s.speed_target_mbps) if s.speed_target_mbps != DEFAULTS["target"] else None,
        "quota": str(s.quota) if s.quota != DEFAULTS["quota"] else None,
        "min": str(s.min_samples) if s.min_samples != DEFAULTS["min"] else None,
        "commune": st.session_state.get("commune"),
    }
    for key in _URL_KEYS:
        value = wanted.get(key)
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def _list(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _number(value: str | None, default, kind):
    try:
        number = kind(value)
        return number if number > 0 else default
    except (TypeError, ValueError):
        return default


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
