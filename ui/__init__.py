"""Shared Streamlit pieces: store context, cached queries, sidebar filters, widgets."""
