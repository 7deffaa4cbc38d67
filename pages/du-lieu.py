"""Dữ liệu: what the store holds, who changed it, and (for the signed-in data officer) loading and deleting."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.formats import month_label, number
from core.i18n import Msg, t
from store.placement import reason_words
from store.transaction import open_store
from ui import auth
from ui import cache as data
from ui import data_admin as admin
from ui.safe import plain
from ui.shell import page_context
from ui.widgets import show_table

page = page_context()
ctx, lang = page.ctx, page.lang
store = open_store(page.store_root, create=True)
UPLOAD_TYPES = ["csv", "txt", "xlsx", "xlsm", "xls", "ods", "parquet"]

st.title(t("page_data", lang))
admin.writer_banner(store, lang)
officer = auth.officer_panel(lang)

# ---- what the store holds ----------------------------------------------------------------------------
batches = store.batch_summaries()
if batches and ctx is not None:
    st.subheader(t("months_loaded", lang))
    per_month = data.stored_by_month(ctx, ctx.signature).copy()
    per_month["month"] = [month_label(m, lang, short=True) for m in per_month["month"]]
    per_month["in_communes"] = per_month["rows"] - per_month["unassigned"]
    columns = {
        "month": t("col_month", lang),
        "rows": t("rows", lang),
        "mobile": t("col_mobile_rows", lang),
        "in_communes": t("account_in_communes", lang),
        "unassigned": t("unassigned", lang),
    }
    show_table(per_month[list(columns)].rename(columns=columns), lang, key="data_months", name="thang-da-nap")
    unplaced = data.unassigned_in_store(ctx, ctx.signature)
    if len(unplaced):
        st.subheader(t("unassigned_title", lang))
        st.caption(t("unassigned_caption", lang))
        show_table(admin.unassigned_for_reader(unplaced, lang), lang, key="data_unassigned", name="chua-xac-dinh-xa")
    st.subheader(t("files_loaded", lang))
    show_table(admin.batches_table(batches, lang), lang, key="data_batches", name="cac-tep-da-nap")

left, right = st.columns(2)
with left:
    st.subheader(t("boundaries_status", lang))
    if ctx is None:
        st.warning(t("no_boundaries", lang))
    else:
        areas = ctx.areas
        districts = (
            t("n_districts", lang, n=areas["district_code"].nunique())
            if ctx.has_districts
            else t("no_district_level", lang)
        )
        st.write(
            t(
                "boundaries_summary",
                lang,
                communes=number(len(areas), 0, lang),
                provinces=areas["province_code"].nunique(),
                districts=districts,
            )
        )
        for line in admin.boundary_history_lines(store, lang):
            st.caption(plain(line))
with right:
    st.subheader(t("referral_status", lang))
    if store.referral_path.exists():
        ref = pd.read_parquet(store.referral_path)
        listed = ref[~ref["former"].astype(bool)] if "former" in ref else ref
        matched = int(listed["commune_code"].notna().sum())
        st.write(
            t(
                "referral_summary",
                lang,
                codes=number(len(listed), 0, lang),
                matched=number(matched, 0, lang),
                unmatched=number(len(listed) - matched, 0, lang),
            )
        )
        if len(ref) > len(listed):
            st.caption(t("referral_former_kept", lang, n=number(len(ref) - len(listed), 0, lang)))
        problems = admin.referral_for_reader(ref, lang, problems_only=True)
        if len(problems):
            show_table(problems, lang, key="data_ref_problems", name="ma-gioi-thieu-can-xem")
    else:
        st.info(t("no_referral", lang))

# ---- the data officer's changes ------------------------------------------------------------------------
if officer is not None:
    st.divider()
    st.subheader(t("upload_title", lang))
    st.caption(t("upload_help", lang))
    uploaded = st.file_uploader(
        t("upload_title", lang), type=UPLOAD_TYPES, key="data_upload", label_visibility="collapsed"
    )
    if uploaded is not None and st.button(
        t("ingest_button", lang), key="data_ingest", type="primary", disabled=ctx is None
    ):
        admin.ingest_upload(store, uploaded, officer, lang)
    if st.session_state.get("last_ingest"):
        summary = st.session_state["last_ingest"]
        values = {
            k: number(getattr(summary, k), 0, lang) for k in ("read", "accepted", "rejected", "duplicate", "unassigned")
        }
        st.success(t("ingest_done", lang, name=plain(summary.source), **values))
        for note in summary.notes:
            st.caption(plain(Msg(note["key"], **{k: v for k, v in note.items() if k != "key"}).render(lang)))
        for reason, n in sorted(summary.unassigned_reasons.items(), key=lambda item: -item[1]):
            st.caption(plain(t("cli_unassigned_reason", lang, reason=reason_words(reason), n=number(n, 0, lang)).strip()))
        if summary.rejects_file and (store.root / summary.rejects_file).exists():
            rejects = pd.read_csv(store.root / summary.rejects_file, dtype=str, keep_default_na=False)
            st.dataframe(admin.rejects_for_reader(rejects, lang).head(200), hide_index=True, key="data_rejects")
            st.download_button(
                t("rejects_download", lang),
                data=admin.rejects_csv(rejects, lang),
                file_name=f"dong-bi-loai-{summary.batch}.csv",
                mime="text/csv",
                key="data_rejects_dl",
                on_click="ignore",
            )

    st.subheader(t("referral_upload_title", lang))
    st.caption(t("referral_upload_help", lang))
    ref_file = st.file_uploader(
        t("referral_upload_title", lang),
        type=["csv", "xlsx", "xls", "ods"],
        key="data_ref_upload",
        label_visibility="collapsed",
    )
    if ref_file is not None and st.button(t("ingest_button", lang), key="data_ref_ingest", disabled=ctx is None):
        admin.referral_upload(store, ref_file, officer, lang)
    if st.session_state.get("last_referral"):
        done = st.session_state["last_referral"]
        st.success(t("referral_done", lang, name=plain(done["name"]), codes=done["codes"], matched=done["matched"]))
        for line in done["lines"]:
            st.caption(plain(line.render(lang)))

    st.subheader(t("boundaries_upload_title", lang))
    st.caption(t("boundaries_upload_help", lang))
    bound_file = st.file_uploader(
        t("boundaries_upload_title", lang),
        type=["parquet", "geoparquet", "geojson", "json", "gpkg", "zip"],
        key="data_bound_upload",
        label_visibility="collapsed",
    )
    replace, since = False, None
    if ctx is not None:
        replace = st.checkbox(t("boundaries_replace", lang), key="data_bound_replace")
        if replace:
            since = admin.effective_from_input(lang)
    if bound_file is not None and st.button(
        t("ingest_button", lang), key="data_bound_ingest", disabled=ctx is not None and not replace
    ):
        admin.boundaries_upload(store, bound_file, replace, since, officer, lang)
    if st.session_state.get("last_boundaries"):
        done = st.session_state["last_boundaries"]
        st.success(
            t(
                "boundaries_done",
                lang,
                name=plain(done["name"]),
                communes=number(done["communes"], 0, lang),
                dropped=done["dropped"],
            )
        )
        for line in done["lines"]:
            st.caption(plain(line.render(lang)))

    if batches:
        st.subheader(t("delete_title", lang))
        by_batch = {b["batch"]: b for b in batches}
        choice = st.selectbox(
            t("delete_pick", lang),
            list(reversed(by_batch)),
            index=None,
            format_func=lambda b: admin.batch_label(by_batch[b], lang),
            key="data_delete_pick",
            placeholder=t("choose_file", lang),
        )
        sure = st.checkbox(t("delete_confirm", lang), key="data_delete_sure", disabled=choice is None)
        if choice and st.button(t("delete_button", lang), key="data_delete", disabled=not sure, type="secondary"):
            admin.delete_upload(store, choice, by_batch[choice]["source"], officer, lang)
            st.rerun()
    if st.session_state.get("last_delete"):
        done = st.session_state.pop("last_delete")
        st.success(t("delete_done", lang, name=plain(done["name"]), rows=number(done["rows"], 0, lang)))

# ---- who changed what --------------------------------------------------------------------------------
st.divider()
st.subheader(t("audit_title", lang))
log = admin.audit_table(store, lang)
if len(log):
    show_table(log, lang, key="data_audit", name="nhat-ky-thay-doi")
else:
    st.caption(t("audit_empty", lang))
