"""The marketing dashboard: Streamlit + Plotly, read-only over the marts.

Start it with `python -m customer_lifecycle.dashboard`.
"""
