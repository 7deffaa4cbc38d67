"""Dữ liệu: what the store holds, and loading new files through the same ingest as the command line."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.formats import month_label, number
from core.i18n import t
from ingest.commands import import_referral
from ingest.measurements import ingest_files
from store.transaction import open_store
from ui import context as data
from ui.widgets import show_table

ctx = st.session_state.get("ctx")
view = st.session_state.get("view")
lang = view.lang if view else st.session_state.get("lang", "vi")
store = open_store(st.session_state["store_root"], create=True)

st.title(t("page_data", lang))
st.caption(str(store.root))

# ---- months loaded -------------------------------------------------------------------------------
batches = store.batch_summaries()
if batches and ctx is not None:
    st.subheader(t("months_loaded", lang))
    per_month = data.stored_by_month(ctx, ctx.signature).copy()
    # A rejected row may have no readable time: it is counted under its file's main month.
    rejected: dict[str, int] = {}
    for b in batches:
        if b.get("months"):
            main = max(b["months"], key=b["months"].get)
            rejected[main] = rejected.get(main, 0) + b["rejected"]
    per_month["rejected"] = per_month["month"].map(rejected).fillna(0).astype(int)
    per_month["month"] = [month_label(m, lang, short=True) for m in per_month["month"]]
    show_table(
        per_month.rename(
            columns={
                "month": t("col_month", lang),
                "rows": t("rows", lang),
                "unassigned": t("unassigned", lang),
                "rejected": t("rejected", lang),
            }
        ),
        lang,
        key="data_months",
        name="thang-da-nap",
    )
    per_batch = pd.DataFrame(
        [
            {
                t("col_file", lang): Path(b["source"]).name,
                t("col_batch", lang): b["batch"],
                t("col_ingested_at", lang): b["ingested_at"],
                t("col_month", lang): ", ".join(b.get("months", {})),
                t("rows", lang): b["read"],
                t("col_accepted", lang): b["accepted"],
                t("rejected", lang): b["rejected"],
                t("duplicates", lang): b["duplicate"],
                t("unassigned", lang): b["unassigned"],
            }
            for b in reversed(batches)
        ]
    )
    show_table(per_batch, lang, key="data_batches", name="cac-lan-nap")

# ---- upload ----------------------------------------------------------------------------------------
st.subheader(t("upload_title", lang))
st.caption(t("upload_help", lang))
uploaded = st.file_uploader(
    t("upload_title", lang), type=["csv", "xlsx", "parquet"], key="data_upload", label_visibility="collapsed"
)
if uploaded is not None and st.button(
    t("ingest_button", lang), key="data_ingest", type="primary", disabled=not store.has_boundaries()
):
    bar = st.progress(0.0, text=t("stage_read", lang))
    stages = {"read": (0.0, 0.6), "validate": (0.6, 0.7), "assign": (0.7, 0.9), "write": (0.9, 1.0)}

    def progress(stage: str, fraction: float) -> None:
        start, end = stages.get(stage, (0.0, 1.0))
        bar.progress(min(1.0, start + (end - start) * fraction), text=t(f"stage_{stage}", lang))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        try:
            [summary] = ingest_files(store, [path], progress)
        except UserError as exc:
            bar.empty()
            st.error(t("ingest_refused", lang, reason=str(exc).replace(str(path), uploaded.name)))
        else:
            bar.progress(1.0, text="OK")
            st.session_state["last_ingest"] = summary
if st.session_state.get("last_ingest"):
    summary = st.session_state["last_ingest"]
    st.success(
        t(
            "ingest_done",
            lang,
            name=Path(summary.source).name,
            read=number(summary.read, 0, lang),
            accepted=number(summary.accepted, 0, lang),
            rejected=number(summary.rejected, 0, lang),
            duplicate=number(summary.duplicate, 0, lang),
            unassigned=number(summary.unassigned, 0, lang),
        )
    )
    if summary.rejects_file and (store.root / summary.rejects_file).exists():
        rejects = pd.read_csv(store.root / summary.rejects_file, dtype=str, keep_default_na=False)
        st.dataframe(rejects.head(200), hide_index=True, key="data_rejects")
        st.download_button(
            t("rejects_download", lang),
            data=(store.root / summary.rejects_file).read_bytes(),
            file_name=Path(summary.rejects_file).name,
            mime="text/csv",
            key="data_rejects_dl",
        )

# ---- boundaries and referral codes -----------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(t("boundaries_status", lang))
    if ctx is None:
        st.warning(t("no_boundaries", lang))
    else:
        areas = ctx.areas
        st.write(
            f"{number(len(areas), 0, lang)} xã/phường · {areas['province_code'].nunique()} tỉnh · "
            + (f"{areas['district_code'].nunique()} huyện" if ctx.has_districts else "không có cấp huyện")
        )
with right:
    st.subheader(t("referral_status", lang))
    if store.referral_path.exists():
        ref = pd.read_parquet(store.referral_path)
        matched = int(ref["commune_code"].notna().sum())
        st.write(
            f"{number(len(ref), 0, lang)} mã · {number(matched, 0, lang)} khớp xã · "
            f"{number(len(ref) - matched, 0, lang)} chưa khớp"
        )
        problems = ref[ref["note"].notna() | ref["commune_code"].isna()]
        if len(problems):
            st.dataframe(problems, hide_index=True, key="data_ref_problems")
    else:
        st.info(t("no_referral", lang))
    ref_file = st.file_uploader("CSV / XLSX", type=["csv", "xlsx"], key="data_ref_upload")
    if ref_file is not None and st.button(
        t("ingest_button", lang), key="data_ref_ingest", disabled=not store.has_boundaries()
    ):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(ref_file.name).name
            path.write_bytes(ref_file.getvalue())
            try:
                result = import_referral(store, path)
                st.success(f"{len(result.table)} / {result.matched}")
            except UserError as exc:
                st.error(str(exc).replace(str(path), ref_file.name))
