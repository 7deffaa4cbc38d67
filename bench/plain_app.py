"""The plain baseline of bench.concurrency: the least a Streamlit page can be that is driven the same way.

Two sidebar selectboxes (month, metric) and one small Plotly chart whose title names both; no data, no cache, no
store. Whatever this page costs per change is Streamlit's own floor on the machine, browsers included.

streamlit run bench/plain_app.py  (BENCH_MONTHS=2026-05,2026-06 chooses the months offered)
"""

from __future__ import annotations

import os

import plotly.graph_objects as go
import streamlit as st

from bench.concurrency import METRICS

months = os.environ.get("BENCH_MONTHS", "2026-10").split(",")
labels = dict(METRICS)
month = st.sidebar.selectbox("Tháng", list(reversed(months)), format_func=lambda m: f"tháng {m[5:]}/{m[:4]}")
metric = st.sidebar.selectbox("Chỉ số", list(labels), format_func=labels.get)
title = f"{labels[metric]} · {month[5:]}/{month[:4]}"
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2]), layout={"title": {"text": title}}), key="chart")
