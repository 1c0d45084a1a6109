"""Helpers shared by the benchmark scripts: the machine description, docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def machine_line() -> str:
    """ "x86_64, 2 cores, 23.4 GiB, Linux 6.1" — what the figures were measured on."""
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kib = int(fh.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = " (" + line.split(":", 1)[1].strip() + ")"
                    break
    except OSError:
        pass
    return (
        f"{platform.machine()}{cpu}, {os.cpu_count()} cores{memory}, "
        f"{platform.system()} {platform.release()}"
    )


def update_section(path: Path, title: str, body: str) -> None:
    """Replace (or append) the `## title` section of a Markdown file with `body`."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, "utf-8")
