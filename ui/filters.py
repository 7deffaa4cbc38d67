"""Shared sidebar filters, kept across pages and written to the URL so a link reproduces the view.

Only plain, allow-listed values go into the URL (month, codes, carrier names, network types, metric,
thresholds, language, commune); anything unknown in a URL is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from core.formats import month_label
from core.i18n import t
from core.settings import DEFAULT_SPEED_NETWORKS, REGISTRY, Setting, Settings, parse_setting
from metrics.filters import Filters
from store.schema import NETWORK_TYPES
from ui.context import Context

METRICS = ("mean", "median", "upload", "latency")
_URL_KEYS = ("lang", "month", "prov", "dist", "car", "net", "metric", *(s.url for s in REGISTRY), "commune")


@dataclass(frozen=True)
class View:
    """What every page needs: language, filters, thresholds, metric."""

    lang: str
    filters: Filters
    settings: Settings
    metric: str


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
        format_func=lambda v: t(f"lang_{v}", v),
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
            select_all=False,  # Streamlit's bulk option is in English only; 'none chosen' already means all
        )
    sb.multiselect(
        t("carriers", lang), ctx.carriers, key="f_car", placeholder=t("all_carriers", lang), select_all=False
    )
    sb.multiselect(t("network", lang), NETWORK_TYPES, key="f_net", select_all=False, placeholder=t("choose", lang))
    sb.selectbox(t("metric", lang), METRICS, key="f_metric", format_func=lambda m: t(f"metric_{m}", lang))
    with sb.expander(t("settings", lang)):
        for setting in REGISTRY:  # the registry gives each input its bounds, step and help
            st.number_input(
                t(setting.label, lang),
                min_value=setting.kind(setting.minimum),
                max_value=setting.kind(setting.maximum),
                step=setting.kind(setting.step),
                key=_key(setting),
                help=t(setting.help, lang),
            )
    sb.caption(t("share_link", lang))
    _keep_widget_state()
    view = current_view(lang)
    write_url(view)
    return view


_FILTER_KEYS = ("f_month", "f_prov", "f_dist", "f_car", "f_net", "f_metric", *(f"f_{s.url}" for s in REGISTRY))


def _key(setting: Setting) -> str:
    """The session key of a setting's sidebar input (its URL name after 'f_')."""
    return f"f_{setting.url}"


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
    settings = Settings(**{setting.name: setting.kind(s[_key(setting)]) for setting in REGISTRY})
    filters = replace(filters, device_day_cap=settings.device_day_cap)
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
    s["f_net"] = nets if nets or "net" in q else list(DEFAULT_SPEED_NETWORKS)
    s["f_metric"] = q.get("metric") if q.get("metric") in METRICS else "mean"
    for setting in REGISTRY:  # a value outside the setting's bounds in a URL is ignored
        value = parse_setting(setting, q.get(setting.url))
        s[_key(setting)] = setting.kind(setting.default if value is None else value)
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
        "net": ",".join(f.networks) if tuple(f.networks) != DEFAULT_SPEED_NETWORKS else None,
        "metric": view.metric if view.metric != "mean" else None,
        "commune": st.session_state.get("commune"),
    }
    for setting in REGISTRY:  # defaults stay out of the URL, so links stay short
        value = getattr(s, setting.name)
        wanted[setting.url] = _fmt(value) if value != setting.default else None
    for key in _URL_KEYS:
        value = wanted.get(key)
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def _list(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
