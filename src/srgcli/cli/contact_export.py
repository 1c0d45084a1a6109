"""`srgcli contact-log export`: a logged letter as an e-mail draft, text or Word document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from srgcli.cli.common import emit_json, err, open_ws, out


def export_command(
    ctx: typer.Context,
    contact_id: Annotated[
        str,
        typer.Argument(
            help="Номер контакта с письмом (столбец «Текст» в srgcli contact-log list ID, "
            "поле id в --json).",
            metavar="КОНТАКТ",
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="eml — письмо для почтовой программы (от исполнителя клиенту, открывается "
            "как черновик к отправке), txt — текст, docx — документ Word.",
            metavar="ФОРМАТ",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Файл или папка для письма; по умолчанию — outbox/letters/ЗАЯВКА/ "
            "рабочей папки. Существующий файл заменяется.",
            metavar="ПУТЬ",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывод в JSON для скриптов.")] = False,
) -> None:
    """Выгрузить записанное письмо клиенту в файл: .eml, .txt или .docx.

    Текст — тот, что прошёл проверку при записи контакта. Путь к файлу печатается в stdout.
    Код выхода 2 — нет такого контакта, у контакта нет текста письма (звонок), путь
    недоступен для записи, а для .eml — ещё и входящее сообщение или письмо не клиенту;
    3 — для .eml не указан e-mail клиента или исполнителя.
    """
    from srgcli.contact.export import export_letter

    ws = open_ws(ctx)
    exported = export_letter(ws, contact_id, fmt.strip().lower().lstrip("."), output)
    if as_json:
        emit_json(exported.to_json())
    else:
        out().print(str(exported.path), highlight=False, markup=False, soft_wrap=True)
    what = {
        "eml": "откройте его в почтовой программе, проверьте и отправьте",
        "txt": "текст письма",
        "docx": "документ Word",
    }[exported.format]
    err().print(
        f"[green]Письмо № {exported.contact_id} по заявке {exported.ticket_id} выгружено[/] "
        f"({what}).",
        highlight=False,
    )
