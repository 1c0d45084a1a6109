"""Rendering documents: the report's data context, Russian filters, DOCX templates, checks."""

from srgcli.render.check import TemplateProblem, check_template
from srgcli.render.context import build_context, input_hash, sample_context
from srgcli.render.docx import TemplateFault, render

__all__ = [
    "TemplateFault",
    "TemplateProblem",
    "build_context",
    "check_template",
    "input_hash",
    "render",
    "sample_context",
]
