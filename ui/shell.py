"""The app's frame: page setup, navigation, the shared filters, then the chosen page.

app.py calls :func:`main`; every page file begins with :func:`page_context`. Page files are named after their
addresses (``pages/ban-do-toc-do.py`` is ``/ban-do-toc-do``), so however the app is started (``make run``,
``streamlit run app.py``, a hosting platform) a shared deep link finds its page. When Streamlit's legacy handling
of a ``pages/`` folder runs a page file by itself (a deep link as the first request to a fresh server), the page
runs the app's frame first, so it always has its navigation, filters and data.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core.errors import UserError
from core.i18n import t
from store.folder import Store, StoreChanged
from store.locks import current_writer
from ui.auth import view_gate
from ui.bootstrap import ensure_demo_ready
from ui.context import Context, is_default_demo, load_context, store_path
from ui.filters import View, language, sidebar_filters
from ui.safe import plain
from ui.words import widget_words_css, writer_words

# (file, title key, icon, address); the first is the default page, served at "/".
PAGES = [
    ("pages/tong-quan.py", "page_overview", ":material/dashboard:", "tong-quan"),
    ("pages/ban-do-toc-do.py", "page_speed_map", ":material/speed:", "ban-do-toc-do"),
    ("pages/ban-do-do-phu-mau.py", "page_coverage_map", ":material/map:", "ban-do-do-phu-mau"),
    ("pages/nha-mang.py", "page_carriers", ":material/cell_tower:", "nha-mang"),
    ("pages/xu-huong.py", "page_trends", ":material/trending_up:", "xu-huong"),
    ("pages/xa-phuong.py", "page_commune", ":material/location_on:", "xa-phuong"),
    ("pages/du-lieu.py", "page_data", ":material/database:", "du-lieu"),
]
DATA_PAGE = "pages/du-lieu.py"
COMMUNE_PAGE = "pages/xa-phuong.py"

_frame = threading.local()  # how deep this script thread is inside main(): 0 means a page runs on its own


@dataclass(frozen=True)
class PageContext:
    """What every page reads: the store's current version (None without boundaries), the view, the language."""

    ctx: Context | None
    view: View | None
    lang: str
    store_root: Path

    def require(self) -> tuple[Context, View]:
        """The context and view of a store with measurements (main() stops before other pages otherwise)."""
        if self.ctx is None or self.view is None:
            st.stop()
        return self.ctx, self.view


def main() -> None:
    """Everything around the page: setup, language, the store, navigation, filters; then the page itself."""
    _frame.depth = getattr(_frame, "depth", 0) + 1
    try:
        _run_frame()
    finally:
        _frame.depth -= 1


def page_context() -> PageContext:
    """The page's context; a page that Streamlit runs on its own is run through main() first."""
    if getattr(_frame, "depth", 0) == 0:
        main()
        st.stop()
    return st.session_state["_page_context"]


def _run_frame() -> None:
    st.set_page_config(page_title="i-Speed Atlas", page_icon="📶", layout="wide")  # an emoji: no icon from the internet
    lang = st.session_state.get("ui_lang") or ("en" if st.query_params.get("lang") == "en" else "vi")
    st.html(widget_words_css(lang))
    st.sidebar.title(t("app_title", lang))
    st.sidebar.caption(t("app_subtitle", lang))
    lang = language()
    view_gate(lang)
    # Navigation first: while the demo is built or a store derived, the sidebar already lists the pages by name.
    pages = [
        st.Page(path, title=t(title, lang), icon=icon, url_path=address, default=(i == 0))
        for i, (path, title, icon, address) in enumerate(PAGES)
    ]
    page = st.navigation(pages)
    root = store_path()
    if is_default_demo(root):
        ensure_demo_ready(root, lang)
    try:
        ctx = load_context(root, lang)
    except UserError as exc:
        st.error(plain(exc.text(lang, store=t("the_store", lang))))
        st.stop()
    view = None
    if ctx is None or not ctx.months:
        if page.url_path != "du-lieu":
            _explain_empty_store(root, ctx, lang)
            st.page_link(DATA_PAGE, label=t("page_data", lang), icon=":material/database:")
            st.stop()
    else:
        view = sidebar_filters(ctx, lang)
        if ctx.is_demo:
            st.info(t("demo_banner", lang), icon=":material/science:")
    st.session_state["_page_context"] = PageContext(ctx=ctx, view=view, lang=lang, store_root=root)
    try:
        page.run()
    except StoreChanged:  # data landed while the page was read: draw it again from the new version
        st.rerun()


def _explain_empty_store(root: Path, ctx: Context | None, lang: str) -> None:
    """Why there is nothing to show: a load in progress, boundaries lost, or simply nothing loaded yet."""
    store = Store(root)
    holder = current_writer(store)
    if holder:
        st.info(writer_words(holder, "store_loading", lang))
    elif ctx is None and store.months():
        st.warning(t("store_boundaries_lost", lang, months=len(store.months())))
    else:
        st.warning(t("no_boundaries" if ctx is None else "no_months", lang))
