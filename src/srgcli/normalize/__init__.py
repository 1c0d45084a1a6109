"""Parsing and validating received and typed values: shared by `fetch` and `fill`."""

from srgcli.normalize.values import (
    deadline_problem,
    inn_problem,
    normalize_datetime,
    normalize_email,
    normalize_field,
    normalize_phone,
    parse_datetime,
    ticket_problems,
)

__all__ = [
    "deadline_problem",
    "inn_problem",
    "normalize_datetime",
    "normalize_email",
    "normalize_field",
    "normalize_phone",
    "parse_datetime",
    "ticket_problems",
]
