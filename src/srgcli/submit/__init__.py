"""`srgcli submit`: hand the report over (variant A or B) and record the outcome."""

from srgcli.submit.handover import (
    MANIFEST_NAME,
    DecisionResult,
    SubmitResult,
    record_decision,
    submit_report,
)

__all__ = [
    "MANIFEST_NAME",
    "DecisionResult",
    "SubmitResult",
    "record_decision",
    "submit_report",
]
