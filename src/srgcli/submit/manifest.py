"""The submission manifest: what was handed over, so the receiver can verify it.

The manifest names the ticket and the report version, carries the report's sha256 and the
gate's summary (engine, rules, dictionary, counts), and the times. It holds no client data:
the report itself is the document; the manifest only describes it. Format: docs/manifest.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srgcli.model import ReportVersion, Ticket
from srgcli.workspace.config import ExecutorProfile
from srgcli.workspace.files import sha256_of

FORMAT = "srgcli.submission/1"


@dataclass(frozen=True)
class ManifestInput:
    """What a manifest is built from."""

    ticket: Ticket
    report: ReportVersion
    variant: str
    channel: str
    submitted_at: str
    executor: ExecutorProfile
    mark_ref: str | None = None


def build_manifest(
    item: ManifestInput, report_file_name: str, pdf: Path | None = None
) -> dict[str, Any]:
    """The manifest as JSON-ready data (keys documented in docs/manifest.md); `pdf` is the
    report's PDF/A copy handed over with it, if any."""
    from srgcli import __version__

    return {
        "format": FORMAT,
        "generator": f"srgcli {__version__}",
        "ticket": {"id": item.ticket.id, "order_id": item.ticket.order_id},
        "variant": item.variant,
        "channel": item.channel,
        "submitted_at": item.submitted_at,
        "report": {
            "version": item.report.version,
            "file": report_file_name,
            "sha256": item.report.sha256,
            "template": item.report.template,
            "created_at": item.report.created_at,
        },
        "pdf": {"file": pdf.name, "sha256": sha256_of(pdf)} if pdf is not None else None,
        "gate": item.report.gate,
        "executor": {
            "name": item.executor.name,
            "status": item.executor.status,
            "inn": item.executor.inn,
        },
        "mark_ref": item.mark_ref,
    }
