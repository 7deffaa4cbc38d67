"""Figure builders (plotly). Plain functions; no Streamlit."""
