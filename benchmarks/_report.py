"""Writing a benchmark's figures into its own section of docs/benchmarks.md."""

from __future__ import annotations

import platform
import re
from datetime import datetime
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Figures written by the scripts in `benchmarks/` (run them with `.venv/bin/python "
    "benchmarks/NAME.py`). Each section names the machine and date of its run.\n"
)


def machine() -> str:
    """CPU model, core count and Python version of this machine."""
    import os

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(title: str, body: str) -> None:
    """Replace (or append) the `## title` section of docs/benchmarks.md."""
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    section = f"## {title}\n\nMachine: {machine()}. Date: {stamp}.\n\n{body.strip()}\n"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
