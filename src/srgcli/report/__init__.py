"""`srgcli report`: the DOCX report, generated only when its text passes the gate (step 4)."""

from srgcli.report.make import (
    BUILTIN_DIR,
    ReportOutcome,
    TemplateRef,
    builtin_templates,
    gate_context,
    make_report,
    reportable_ids,
    resolve_template,
    text_sources,
    workspace_templates,
)

__all__ = [
    "BUILTIN_DIR",
    "ReportOutcome",
    "TemplateRef",
    "builtin_templates",
    "gate_context",
    "make_report",
    "reportable_ids",
    "resolve_template",
    "text_sources",
    "workspace_templates",
]
