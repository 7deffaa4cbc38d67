"""Boundaries, CRS, spatial join and display geometry. Plain functions; no Streamlit."""
