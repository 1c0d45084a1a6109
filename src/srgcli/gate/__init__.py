"""The gate: spelling, grammar, style and etiquette checks that outgoing texts must pass."""

from srgcli.gate.engine import Gate, configured_disabled_rules, make_engine, open_gate
from srgcli.gate.issue import Category, Engine, GateResult, GateSummary, Issue, Severity

__all__ = [
    "Category",
    "Engine",
    "Gate",
    "GateResult",
    "GateSummary",
    "Issue",
    "Severity",
    "configured_disabled_rules",
    "make_engine",
    "open_gate",
]
