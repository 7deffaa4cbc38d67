"""Streamlit's own words in the reader's language: the file uploader's button and limit are written in English by
the front end, so they are set here by CSS (the only hook Streamlit gives); element toolbars (English tooltips, a
second and poorer download of each table) are hidden: every table and chart has its own download button. Also the
words for the write in progress, said by the Data page and by a page whose store is still empty."""

from __future__ import annotations

from core.formats import date_time
from core.i18n import Msg, t
from ui.safe import plain

_MAX_UPLOAD_MB = 250  # .streamlit/config.toml, server.maxUploadSize


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def widget_words_css(lang: str) -> str:
    """A style-only block (Streamlit sends it without taking room on the page)."""
    button = _css_string(t("upload_button", lang))
    limit = _css_string(t("upload_limit", lang, mb=_MAX_UPLOAD_MB))
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {button}; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {limit}; font-size: 0.8rem; }}
[data-testid="stElementToolbar"] {{ display: none; }}
</style>"""


def writer_words(holder: dict, key: str, lang: str) -> str:
    """'<action> by <actor> (since <time>)' in the sentence ``key``, from the writer lock's record."""
    action = holder.get("action")
    return t(
        key,
        lang,
        action=Msg(f"action_{action}") if action else "?",
        actor=plain(holder.get("actor", "?")),
        since=date_time(holder.get("since", ""), lang),
    )
