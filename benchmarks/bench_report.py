"""Report speed: rendering and gating 50 reports against docxtpl rendering alone.

A workspace with 55 settled tickets (different clients, addresses and complaints). The gate's
sentence cache is warmed by 5 reports, so the template's boilerplate is cached and each of the
50 timed reports brings its own new sentences (names, addresses, complaint, history). Then, in
the same run:

- `render only`: docxtpl (sandbox, filters) into a file, 50 times;
- `render + gate`: the same and the final text through the gate (`check_docx`), 50 times;
- `make_report`: the whole command path (context, render, gate, file, row, audit), 50 times.

Run: python benchmarks/bench_report.py [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from common import machine_line, update_section  # noqa: E402

os.environ.setdefault("SRGCLI_NOW", "2026-11-25T10:00:00+03:00")

from srgcli.calendar import now  # noqa: E402
from srgcli.demo import demo_config  # noqa: E402
from srgcli.gate.documents import check_docx  # noqa: E402
from srgcli.gate.engine import open_gate  # noqa: E402
from srgcli.model import Finding  # noqa: E402
from srgcli.render.context import build_context  # noqa: E402
from srgcli.render.docx import render  # noqa: E402
from srgcli.report.make import gate_context, make_report, resolve_template  # noqa: E402
from srgcli.tickets import detail  # noqa: E402
from srgcli.workspace import Workspace, create_workspace, open_workspace, reads, writes  # noqa: E402
from tests.builders import add_ticket  # noqa: E402

SURNAMES = ["Смирнова", "Иванова", "Кузнецова", "Попова", "Соколова", "Лебедева", "Козлова"]
NAMES = ["Ольга Викторовна", "Анна Сергеевна", "Мария Петровна", "Елена Андреевна"]
STREETS = ["Профсоюзная", "Тверская", "Ленинская", "Садовая", "Пушкинская", "Лесная"]
COMPLAINTS = [
    "Отчёт об оценке обещали через три рабочих дня после осмотра, прошло больше недели.",
    "Оценщик не приехал на осмотр в назначенное время и не предупредил об этом.",
    "В отчёте указана неверная площадь квартиры, банк вернул документы.",
    "Стоимость услуги оказалась выше, чем было указано на сайте при заказе.",
    "Отчёт передан в банк без согласования с клиентом.",
]
HISTORY = [
    {"at": "2026-10-27T11:02:00+03:00", "kind": "order_created", "actor": "сайт"},
    {"at": "2026-11-05T12:30:00+03:00", "kind": "inspection_done", "actor": "оценщик"},
    {"at": "2026-11-17T16:45:00+03:00", "kind": "report_uploaded", "actor": "оценщик"},
]


def build(root: Path, count: int) -> list[str]:
    """A workspace with `count` settled tickets; returns their ids."""
    create_workspace(root, demo_config()).close()
    ws = open_workspace(root)
    ids = []
    for n in range(count):
        tid = add_ticket(
            ws,
            HISTORY,
            id=f"2026-{n:06d}",
            client_name=f"{SURNAMES[n % 7]} {NAMES[n % 4]}",
            object_address=f"г. Москва, ул. {STREETS[n % 6]}, д. {n + 1}, кв. {n + 10}",
            complaint_text=COMPLAINTS[n % 5],
            order_id=f"ОЦ-{48000 + n}",
        )
        evidence = tuple(e.id for e in reads.events(ws, tid))[-2:]
        writes.save_finding(
            ws,
            Finding(
                tid,
                "confirmed",
                "deadlines",
                "Нарушен срок.",
                "Задержка оценщика.",
                "appraiser",
                evidence,
                "Оценщику указано на сроки.",
            ),
        )
        writes.add_contact(
            ws,
            tid,
            at="2026-11-17T11:00:00+03:00",
            channel="phone",
            direction="out",
            party="client",
            outcome="reached",
            summary=f"Клиенту сообщён срок передачи отчёта по заказу № {n + 1}.",
        )
        writes.save_resolution(ws, tid, "satisfied", f"Отчёт передан клиенту ({n + 1}).")
        ids.append(tid)
    ws.close()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        ids = build(root, 105)
        ws: Workspace = open_workspace(root)
        gate = open_gate(ws)
        template = resolve_template(ws, None).path
        out = Path(tmp) / "out.docx"
        items = {tid: detail(ws, tid) for tid in ids}
        contexts = {tid: build_context(ws, items[tid], now(), 1) for tid in ids}
        for tid in ids[:5]:  # warm the sentence cache with the template's boilerplate
            render(template, contexts[tid], out)
            check_docx(gate, out, gate_context(ws, items[tid]))
        timed = ids[5:55]
        started = time.perf_counter()
        for tid in timed:
            render(template, contexts[tid], out)
        render_only = time.perf_counter() - started
        started = time.perf_counter()
        for tid in timed:
            render(template, contexts[tid], out)
            check_docx(gate, out, gate_context(ws, items[tid]))
        render_gate_first = time.perf_counter() - started
        started = time.perf_counter()
        for tid in ids[55:105]:
            make_report(ws, tid, gate=gate)
        whole = time.perf_counter() - started
        ws.close()
    n = len(timed)
    body = f"""Machine: {machine_line()}; {date.today().isoformat()}.
Default template, 50 settled tickets, each with its own client, address and complaint; the
sentence cache warmed by 5 other reports (template boilerplate cached, each report's own
sentences new). pylat engine, loaded before timing.

| what (50 reports) | total, s | per report, ms |
| --- | ---: | ---: |
| docxtpl render only (sandbox, filters) | {render_only:.2f} | {render_only / n * 1000:.0f} |
| render + gate of the final text | {render_gate_first:.2f} | {render_gate_first / n * 1000:.0f} |
| `make_report` (context, render, gate, file, row, audit) | {whole:.2f} | {whole / n * 1000:.0f} |

Render + gate takes {render_gate_first / render_only:.1f}× the time of rendering alone. The
`make_report` row runs last, on 50 further tickets, after 100 gated reports have warmed the
engine's in-memory caches; it renders and gates too, so the gap to the row above is that warmth,
not less work.
"""
    print(body)
    if args.write:
        update_section(args.write, "Reports (bench_report.py)", body)


if __name__ == "__main__":
    main()
