"""The Data page's parts: what the store holds (for everyone) and the data officer's loads and deletions.

Every change goes through the same functions as the command line (ingest, boundaries, referral, delete), with the
signed-in officer as the actor, so it is recorded in the store's audit log. Nothing shown here names a server
path, and no error shows a traceback: a refusal is its one-line reason, anything unexpected a plain sentence.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.formats import date_time, month_label, number
from core.i18n import TEXT, Msg, t
from ingest.boundaries import import_boundaries
from ingest.measurements import delete_batch, ingest_files
from ingest.referral import import_referral
from store.audit import Actor, read_audit
from store.folder import MONTH_RE, Store
from store.locks import current_writer
from store.placement import reason_words
from ui.safe import plain
from ui.words import writer_words

log = logging.getLogger(__name__)
BROWSER_WAIT_SECONDS = 5.0  # a browser change waits this long for another writer, then is refused


def writer_banner(store: Store, lang: str) -> None:
    """Say so when a load is running right now (its result appears when it is committed)."""
    holder = current_writer(store)
    if holder:
        st.info(writer_words(holder, "writing_now", lang), icon=":material/hourglass_top:")


def batches_table(batches: list[dict], lang: str) -> pd.DataFrame:
    """Every loaded file, newest first: when, which file, which months, and its counts."""
    return pd.DataFrame(
        [
            {
                t("col_ingested_at", lang): date_time(b.get("ingested_at", ""), lang),
                t("col_file", lang): Path(b["source"]).name,
                t("col_month", lang): ", ".join(month_label(m, lang, short=True) for m in b.get("months", {})),
                t("rows", lang): b["read"],
                t("col_accepted", lang): b["accepted"],
                t("rejected", lang): b["rejected"],
                t("duplicates", lang): b["duplicate"],
                t("unassigned", lang): b["unassigned"],
            }
            for b in reversed(batches)
        ],
        columns=[
            t(k, lang)
            for k in (
                "col_ingested_at",
                "col_file",
                "col_month",
                "rows",
                "col_accepted",
                "rejected",
                "duplicates",
                "unassigned",
            )
        ],
    )


def audit_table(store: Store, lang: str) -> pd.DataFrame:
    """The audit log in words: when, who, what, which file (and its SHA-256), what it added or replaced."""
    rows = []
    for r in read_audit(store):
        file = r.get("file") or {}
        files = r.get("files") or ([file] if file else [])
        rows.append(
            {
                t("col_when", lang): date_time(r.get("at", ""), lang),
                t("col_who", lang): f"{r.get('actor', '?')} ({t('via_' + r.get('via', 'cli'), lang)})",
                t("col_action", lang): t(f"action_{r.get('action', 'ingest')}", lang),
                t("col_file", lang): ", ".join(f.get("name", "?") for f in files),
                t("col_what", lang): _what(r, lang),
                "SHA-256": ", ".join((f.get("sha256") or "")[:16] for f in files),
            }
        )
    return pd.DataFrame(rows)


def _what(record: dict, lang: str) -> str:
    action = record.get("action")
    n = lambda v: number(v, 0, lang)  # noqa: E731 - a short local formatter
    if action == "ingest":
        files = record.get("files", [])
        return t(
            "audit_ingest",
            lang,
            accepted=n(sum(f.get("accepted", 0) for f in files)),
            rejected=n(sum(f.get("rejected", 0) for f in files)),
            duplicate=n(sum(f.get("duplicate", 0) for f in files)),
        )
    if action == "boundaries":
        replaced = record.get("replaced_communes")
        moved = record.get("reassigned") or {}
        text = t("audit_boundaries", lang, communes=n(record.get("communes", 0)))
        if replaced is not None:
            text += " " + t(
                "audit_replaced",
                lang,
                old=n(replaced),
                rows=n(moved.get("rows", 0)),
                changed=n(moved.get("changed", 0)),
            )
        return text
    if action == "referral":
        replaced = record.get("replaced_codes")
        text = t("audit_referral", lang, codes=n(record.get("codes", 0)), matched=n(record.get("matched", 0)))
        return text + (" " + t("audit_referral_replaced", lang, old=n(replaced)) if replaced is not None else "")
    if action == "rebuild":
        moved = record.get("reassigned") or {}
        return t("audit_rebuild", lang, rows=n(moved.get("rows", 0)), changed=n(moved.get("changed", 0)))
    if action == "delete":
        return t("audit_delete", lang, rows=n(sum((record.get("removed_rows") or {}).values())))
    if action == "derive":
        return t("audit_derive", lang, months=n(len(record.get("months") or [])))
    return ""


def run_change(lang: str, name: str, change: Callable[[], object]) -> object | None:
    """Run a change for the browser: its result, or None after showing why it was refused (no traceback)."""
    try:
        return change()
    except UserError as exc:
        st.error(plain(exc.text(lang, file=name, store=t("the_store", lang))), icon=":material/block:")
    except Exception:  # told plainly; the details go to the server's log, never to the page
        log.exception("change from the browser failed: %s", name)
        st.error(t("change_failed", lang, name=plain(name)), icon=":material/error:")
    return None


def saved_upload(uploaded, folder: str) -> Path:
    """The upload as a file in a private temporary folder, under the name the user gave it."""
    path = Path(folder) / Path(uploaded.name).name
    path.write_bytes(uploaded.getvalue())
    return path


def ingest_upload(store: Store, uploaded, actor: Actor, lang: str) -> None:
    bar = st.progress(0.0, text=t("stage_read", lang))
    stages = {"read": (0.0, 0.6), "validate": (0.6, 0.7), "assign": (0.7, 0.9), "write": (0.9, 1.0)}

    def progress(stage: str, fraction: float) -> None:
        if stage in stages:
            start, end = stages[stage]
            bar.progress(min(1.0, start + (end - start) * fraction), text=t(f"stage_{stage}", lang))

    with tempfile.TemporaryDirectory() as tmp:
        path = saved_upload(uploaded, tmp)
        result = run_change(
            lang,
            uploaded.name,
            lambda: ingest_files(
                store, [path], progress, actor=actor, names=[uploaded.name], wait=BROWSER_WAIT_SECONDS
            ),
        )
    bar.empty()
    if result:
        st.session_state["last_ingest"] = result[0]


def referral_upload(store: Store, uploaded, actor: Actor, lang: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = saved_upload(uploaded, tmp)
        result = run_change(
            lang,
            uploaded.name,
            lambda: import_referral(store, path, actor=actor, shown_name=uploaded.name, wait=BROWSER_WAIT_SECONDS),
        )
    if result is not None:
        lines = list(result.problems[:40])
        if result.kept_former:
            lines.append(Msg("referral_former_kept", n=result.kept_former))
        if result.moves is not None and result.moves.changed:
            lines += [Msg("plain_text", text=result.moves.summary(lang)), *result.moves.lines(10)]
        st.session_state["last_referral"] = {
            "name": uploaded.name,
            "codes": result.codes,
            "matched": result.matched,
            "lines": lines,
        }


def boundaries_upload(store: Store, uploaded, replace: bool, since: str | None, actor: Actor, lang: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = saved_upload(uploaded, tmp)
        change = run_change(
            lang,
            uploaded.name,
            lambda: import_boundaries(
                store,
                path,
                replace=replace,
                effective_from=since,
                actor=actor,
                shown_name=uploaded.name,
                wait=BROWSER_WAIT_SECONDS,
            ),
        )
    if change is not None:
        st.session_state["last_boundaries"] = {
            "name": uploaded.name,
            "communes": len(change.result.frame),
            "dropped": len(change.result.dropped),
            "lines": boundary_change_lines(change, lang),
        }


def boundary_change_lines(change, lang: str) -> list[Msg]:
    """What replacing the boundaries did: from when, the referral list matched again, what moved where."""
    lines: list[Msg] = []
    if change.moves is None:
        return lines
    since = change.entry.get("effective_from")
    lines.append(
        Msg("boundaries_in_force_from", month=month_label(since, lang)) if since else Msg("cli_effective_always")
    )
    if change.referral is not None:
        ref = change.referral
        lineage = int((ref.table["match_method"] == "lineage").sum())
        lines.append(Msg("cli_referral_rematched", matched=ref.matched, codes=ref.codes, lineage=lineage))
        lines += ref.problems[:20]
    lines.append(Msg("plain_text", text=change.moves.summary(lang)))
    return lines + change.moves.lines(10)


def effective_from_input(lang: str) -> str | None:
    """The month new boundaries come into force (empty: the default of ingest.history.default_effective_from)."""
    text = st.text_input(
        t("effective_from_label", lang),
        key="data_bound_since",
        placeholder="2025-07",
        help=t("effective_from_help", lang),
    )
    text = text.strip()
    if text and not MONTH_RE.match(text):
        st.error(t("cli_month_syntax", lang, month=plain(text)))
        st.stop()
    return text or None


def boundary_history_lines(store: Store, lang: str) -> list[str]:
    """One line per boundary set the store has had, the one in force first."""
    lines = []
    for i, v in enumerate(reversed(store.boundary_versions())):
        since = (
            month_label(v["effective_from"], lang, short=True) if v.get("effective_from") else t("since_always", lang)
        )
        key = "boundary_version_current" if i == 0 else "boundary_version_earlier"
        districts = t("n_districts", lang, n=v["districts"]) if v.get("districts") else t("no_district_level", lang)
        lines.append(
            t(
                key,
                lang,
                communes=number(v.get("communes", 0), 0, lang),
                districts=districts,
                since=since,
                loaded=date_time(v.get("loaded_at", ""), lang),
            )
        )
    return lines


def unassigned_for_reader(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The measurements in no commune by reason, in words (metrics.rules.unassigned_summary)."""
    return pd.DataFrame(
        {
            t("col_reason", lang): [reason_words(r).render(lang) for r in summary["unassigned_reason"]],
            t("account_col_samples", lang): summary["samples"],
            t("col_month", lang): [", ".join(month_label(m, lang, short=True) for m in ms) for ms in summary["months"]],
            t("account_col_codes", lang): summary["codes"],
        }
    )


def referral_for_reader(ref: pd.DataFrame, lang: str, problems_only: bool = False) -> pd.DataFrame:
    """The stored referral list with headings, how each code was matched and what to look at, in words."""
    if problems_only:
        ref = ref[ref["problem"].notna() | ref["commune_code"].isna()]
    note = "problem_en" if lang == "en" else "problem"
    return pd.DataFrame(
        {
            t("col_referral", lang): ref["referral_code"],
            t("col_commune", lang): ref["commune_name"].fillna("–"),
            t("col_match_method", lang): [
                t(f"method_{m}", lang) if f"method_{m}" in TEXT else m for m in ref["match_method"]
            ],
            t("col_note", lang): ref[note].fillna(""),
        }
    )


def delete_upload(store: Store, batch: str, name: str, actor: Actor, lang: str) -> None:
    removed = run_change(lang, name, lambda: delete_batch(store, batch, actor=actor, wait=BROWSER_WAIT_SECONDS))
    if removed is not None:
        st.session_state["last_delete"] = {"name": name, "rows": sum(removed.values())}


def batch_label(batch: dict, lang: str) -> str:
    """'ispeed_10.csv · 03/11/2025 09:12 · 12.345 mẫu' for the delete picker."""
    when = date_time(batch.get("ingested_at", ""), lang)
    return (
        f"{Path(batch['source']).name} · {when} · {number(batch.get('accepted', 0), 0, lang)} {t('samples_unit', lang)}"
    )


def now_label(lang: str) -> str:
    return date_time(datetime.now().astimezone().isoformat(), lang)


def rejects_for_reader(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rejected rows with headings and reasons in the reader's language, then the row's original values."""
    reason = "reason_en" if lang == "en" else "reason"
    names = {
        "source_file": t("col_file", lang),
        "sheet": t("col_sheet", lang),
        "line": t("col_line", lang),
        reason: t("col_reason", lang),
    }
    front = [c for c in ("source_file", "sheet", "line", reason) if c in rejects]
    rest = [c for c in rejects.columns if c not in front and c not in ("reason", "reason_en", "reason_code")]
    return rejects[front + rest].rename(columns=names)


def rejects_csv(rejects: pd.DataFrame, lang: str) -> Callable[[], bytes]:
    """The rejected rows as a CSV for Excel (built when clicked; no cell from the data is a live formula)."""
    from io import BytesIO

    from core.spreadsheet import write_csv

    def build() -> bytes:
        buffer = BytesIO()
        write_csv(rejects_for_reader(rejects, lang), buffer)
        return buffer.getvalue()

    return build
