"""Exports for briefings: images (kaleido), the PPTX deck (python-pptx), the monthly XLSX. No Streamlit."""
