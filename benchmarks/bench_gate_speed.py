"""Gate throughput against raw pylat-ru, and the sentence cache.

On 1,000 distinct report-like sentences: (1) pylat-ru called directly on each sentence,
(2) the gate on the whole text in a fresh workspace (cold cache: every sentence checked and
stored), (3) the gate on the same text again (every sentence from the cache). Each of (1) and
(2) runs twice, alternating, and the faster run counts, so neither profits from the other
having warmed pylat-ru's internal caches. Prints the figures and writes them into
docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_gate_speed.py [--sentences 1000] [--no-write]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section
from srgcli.gate.engine import open_gate
from srgcli.gate.pylat import shared_languagetool
from srgcli.workspace import create_workspace

TEMPLATES = [
    "Заявка № {n} поступила {date} и зарегистрирована в информационной системе Заказчика.",
    "Клиент {name} сообщил, что отчёт об оценке {obj} был подготовлен с опозданием на {k} дня.",
    "Оценщик {appr} провёл осмотр объекта по адресу {addr} {date}.",
    "По истории заказа № {order} оплата поступила {date}, а осмотр состоялся через {k} дня.",
    "Рыночная стоимость {obj} определена в размере {amount} рублей.",
    "Ответ клиенту {name} направлен по электронной почте {date}.",
    "Претензия признана частично обоснованной: срок подготовки отчёта нарушен на {k} дня.",
    "Оценщику {appr} указано на необходимость соблюдать сроки осмотра.",
    "Исправленный отчёт об оценке {obj} передан в {bank} {date}.",
    "С клиентом {name} связались по телефону {date}, вопрос урегулирован.",
    "Повторный осмотр {obj} по адресу {addr} переносился {k} раза по просьбе клиента.",
    "Отчёт № {order} загружен в систему {date} и передан в банк {bank}.",
]
SLOTS = {
    "n": [f"2026-{i:06d}" for i in range(100, 400)],
    "order": [f"ЗК-{i:05d}" for i in range(1000, 1300)],
    # Past dates only: a past-tense verb with a future date is rightly flagged.
    "date": [f"{d} {m} 2026 года" for d in range(1, 25) for m in ("октября", "ноября")],
    "name": [
        "Иванова Мария Петровна",
        "Смирнов Олег Игоревич",
        "Кузнецова Анна Викторовна",
        "Попов Дмитрий Сергеевич",
        "Соколова Елена Андреевна",
        "Лебедев Павел Юрьевич",
    ],
    "appr": ["Морозов А. В.", "Новикова Е. С.", "Фёдоров И. Н.", "Волкова Т. М."],
    "obj": [
        "квартиры",
        "жилого дома",
        "земельного участка",
        "нежилого помещения",
        "транспортного средства",
    ],
    "addr": [
        "г. Москва, ул. Тверская, д. 7, кв. 12",
        "г. Тула, пр. Ленина, д. 45",
        "Московская обл., г. Химки, ул. Мира, д. 3",
        "г. Казань, ул. Баумана, д. 19",
    ],
    "amount": [f"{v:,}".replace(",", " ") for v in range(2_100_000, 9_900_000, 37_000)],
    "k": ["2", "3", "4"],
    "bank": ["ПАО Сбербанк", "Банк ВТБ (ПАО)", "АО «Альфа-Банк»", "ПАО «Промсвязьбанк»"],
}


def sentences(count: int, seed: int = 20261125) -> list[str]:
    """`count` distinct report-like sentences."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < count:
        template = rng.choice(TEMPLATES)
        values = {k: rng.choice(v) for k, v in SLOTS.items()}
        seen[template.format(**values)] = None
    return list(seen)


def run_direct(items: list[str]) -> float:
    """Seconds for pylat-ru on each sentence."""
    lt = shared_languagetool()
    started = time.perf_counter()
    for sentence in items:
        lt.check(sentence)
    return time.perf_counter() - started


def run_gate(text: str) -> tuple[float, float, int, int]:
    """Seconds cold and warm in a fresh workspace, and the error counts of both runs."""
    with tempfile.TemporaryDirectory() as folder:
        ws = create_workspace(Path(folder) / "ws")
        try:
            started = time.perf_counter()
            cold = open_gate(ws).check(text)
            cold_seconds = time.perf_counter() - started
            started = time.perf_counter()
            warm = open_gate(ws).check(text)
            warm_seconds = time.perf_counter() - started
        finally:
            ws.close()
    return cold_seconds, warm_seconds, cold.errors, warm.errors


def main() -> None:
    """Measure, print, record."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    items = sentences(args.sentences)
    # A report: paragraphs of five sentences.
    text = "\n".join(" ".join(items[i : i + 5]) for i in range(0, len(items), 5))
    shared_languagetool().check("Прогрев движка перед замерами.")
    direct, gate_cold, gate_warm = [], [], []
    errors = (0, 0)
    for _ in range(2):
        direct.append(run_direct(items))
        cold, warm, cold_errors, warm_errors = run_gate(text)
        gate_cold.append(cold)
        gate_warm.append(warm)
        errors = (cold_errors, warm_errors)
    best_direct, best_cold, best_warm = min(direct), min(gate_cold), min(gate_warm)
    n = len(items)
    body = f"""
| measure | value |
|---|---|
| sentences | {n} |
| pylat-ru directly, sentences/s | {n / best_direct:.1f} |
| gate, cold cache, sentences/s | {n / best_cold:.1f} |
| gate throughput / pylat-ru (goal >= 0.9) | {best_direct / best_cold:.2f} |
| gate, same text from the cache, s | {best_warm:.3f} |
| cache speed-up over the cold run (goal >= 20) | {best_cold / best_warm:.0f}x |

Runs (s): pylat-ru directly {", ".join(f"{d:.1f}" for d in direct)}; gate cold
{", ".join(f"{c:.1f}" for c in gate_cold)}; gate warm {", ".join(f"{w:.3f}" for w in gate_warm)}.
Errors reported on the generated text: {errors[0]} cold, {errors[1]} from the cache (the same).
The gate's cold run includes cutting sentences, srgcli's etiquette rules and filters (pymorphy3)
and writing every sentence's result to SQLite.
"""
    print(body)
    if not args.no_write:
        write_section("Gate speed (bench_gate_speed.py)", body)


if __name__ == "__main__":
    main()
