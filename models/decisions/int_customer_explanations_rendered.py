"""One plain-English explanation paragraph per customer.

This model is Python, not SQL, only because its grammar lives in the tested package:
`customer_lifecycle.explain` keeps the sentence templates as Python constants, covered by
python/tests/test_explain.py, and compiles them to one SQL expression. The words for each code
(stage, value segment, RFM segment, risk level, driver phrase, action purpose) are columns of
int_customer_explanation_facts, joined there from the label seeds. DuckDB evaluates that
expression for every row, so there is no per-row Python and no pandas round trip.

Reads `config.meta.currency_symbol` (set from the `currency_symbol` var in the YAML).
"""

from customer_lifecycle.explain import explanation_sql


def model(dbt, session):
    dbt.config(materialized="table")
    currency_symbol = dbt.config.meta_get("currency_symbol")
    if not currency_symbol:
        raise ValueError(
            "int_customer_explanations_rendered needs config.meta.currency_symbol; set it in"
            " the model's YAML from the currency_symbol var"
        )
    facts = dbt.ref("int_customer_explanation_facts")
    return facts.select(
        f"customer_id, as_of_date, {explanation_sql(currency_symbol)} as explanation"
    )
