"""Python helpers for the customer_lifecycle dbt project."""
