"""Ingest, validation, counting rules and statistics for i-Speed Atlas. Plain functions; no Streamlit."""
