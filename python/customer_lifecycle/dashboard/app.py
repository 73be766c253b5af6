"""The marketing dashboard: Streamlit + Plotly, read-only over schema `marts`.

Start it with `python -m customer_lifecycle.dashboard` (which runs `streamlit run` on this file,
bound to 127.0.0.1 unless STREAMLIT_SERVER_ADDRESS says otherwise).
"""

from __future__ import annotations

import streamlit as st

from customer_lifecycle.dashboard import data, filters, ui

st.set_page_config(
    page_title="Customer lifecycle",
    page_icon=":material/insights:",
    layout="wide",
)

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/segments.py", title="Segments", icon=":material/donut_small:"),
    st.Page("views/risk.py", title="Risk", icon=":material/warning:"),
    st.Page("views/actions.py", title="Actions", icon=":material/campaign:"),
    st.Page("views/customer_lookup.py", title="Customer lookup", icon=":material/person_search:"),
    st.Page("views/data_quality.py", title="Data quality", icon=":material/fact_check:"),
]

page = st.navigation(PAGES)

try:
    status = data.warehouse_status()
    if status.warehouse is None or not status.ready:
        ui.no_warehouse(status)
    else:
        filters.render_sidebar(status.warehouse)
        page.run()
except data.WarehouseError as error:
    st.error(str(error), icon=":material/error:")
