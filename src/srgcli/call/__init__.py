"""`srgcli call`: the call sheet for step 3 — the client's local time, what to say, stress marks."""

from srgcli.call.localtime import CallTime, ClientZone, call_time, client_zone
from srgcli.call.output import docx_bytes, sheet_json, sheet_lines, sheet_text
from srgcli.call.sheet import CallSheet, Section, build_sheet, prepare_sheet

__all__ = [
    "CallSheet",
    "CallTime",
    "ClientZone",
    "Section",
    "build_sheet",
    "call_time",
    "client_zone",
    "docx_bytes",
    "prepare_sheet",
    "sheet_json",
    "sheet_lines",
    "sheet_text",
]
