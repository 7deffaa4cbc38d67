"""i-Speed Atlas: navigation and the shared sidebar filters. Pages live in pages/ and stay thin."""

from __future__ import annotations

import streamlit as st

from core.errors import UserError
from core.i18n import t
from ui.context import ensure_demo, load_context, store_path
from ui.filters import language, sidebar_filters

st.set_page_config(page_title="i-Speed Atlas", page_icon=":material/network_check:", layout="wide")

lang = st.session_state.get("lang") or ("en" if st.query_params.get("lang") == "en" else "vi")
st.sidebar.title(t("app_title", lang))
st.sidebar.caption(t("app_subtitle", lang))
lang = language()
root = store_path()
with st.spinner(t("building_demo", lang)):
    ensure_demo(root)
try:
    ctx = load_context(root)
except UserError as exc:
    st.error(str(exc))
    st.stop()

pages = [
    st.Page(
        "pages/overview.py",
        title=t("page_overview", lang),
        icon=":material/dashboard:",
        default=True,
        url_path="tong-quan",
    ),
    st.Page("pages/speed_map.py", title=t("page_speed_map", lang), icon=":material/speed:", url_path="ban-do-toc-do"),
    st.Page(
        "pages/coverage_map.py", title=t("page_coverage_map", lang), icon=":material/map:", url_path="ban-do-do-phu-mau"
    ),
    st.Page("pages/carriers.py", title=t("page_carriers", lang), icon=":material/cell_tower:", url_path="nha-mang"),
    st.Page("pages/trends.py", title=t("page_trends", lang), icon=":material/trending_up:", url_path="xu-huong"),
    st.Page("pages/commune.py", title=t("page_commune", lang), icon=":material/location_on:", url_path="xa-phuong"),
    st.Page("pages/data.py", title=t("page_data", lang), icon=":material/database:", url_path="du-lieu"),
]
page = st.navigation(pages)

st.session_state["ctx"] = ctx
st.session_state["store_root"] = str(root)
if ctx is None or not ctx.months:
    st.session_state["view"] = None
    if page.url_path != "du-lieu":
        st.warning(t("no_boundaries" if ctx is None else "no_months", lang))
        st.page_link("pages/data.py", label=t("page_data", lang), icon=":material/database:")
        st.stop()
else:
    st.session_state["view"] = sidebar_filters(ctx, lang)
    if ctx.is_demo:
        st.info(t("demo_banner", lang), icon=":material/science:")
page.run()
