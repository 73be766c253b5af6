"""Stand-in for dbt's `exceptions` context object, for linting only."""


def raise_compiler_error(message: str) -> str:
    return ""
