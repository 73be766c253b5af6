"""The dashboard's pages, one module each; `app.py` runs them through `st.navigation`.

The folder is not called `pages/`: next to the entrypoint that name switches on Streamlit's
legacy multipage mode, in which AppTest runs a page file on its own, without the entrypoint's
sidebar filters."""
