"""`srgcli stress`: stress marks on commonly misstressed words in any text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from srgcli.cli.common import command_options, environment
from srgcli.exit import ExitCode, SrgError


def register(app: typer.Typer) -> None:
    """Add `stress` to the application."""
    app.command("stress", **command_options('srgcli stress "Звонит по договору"'))(stress_command)


def stress_command(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Argument(
            help="Текст, файл (UTF-8) или «-» (по умолчанию) — стандартный ввод.",
            metavar="[ТЕКСТ|ФАЙЛ|-]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Расставить ударения в словах, где в деловой речи часто ошибаются.

    Знак ударения (U+0301) ставится после ударной гласной в словах орфоэпического списка
    srgcli (более 300 слов и их формы: догово́р, звони́т, катало́г, кварта́л, …); всё
    остальное в тексте остаётся как было. Имена и слова вне списка не размечаются.
    """
    from srgcli.stress import mark_stress

    if source in (None, "-") and environment(ctx).stdin_isatty:
        raise SrgError(
            "Нет текста: укажите текст, файл или передайте текст на стандартный ввод.",
            ExitCode.USAGE,
            hint='Например: srgcli stress "Звонит по договору" или srgcli stress письмо.txt',
        )
    text = _read(source)
    # Bytes, not text mode: line ends and a BOM go out exactly as they came in.
    sys.stdout.flush()
    sys.stdout.buffer.write(mark_stress(text).encode("utf-8"))
    sys.stdout.buffer.flush()


def _read(source: str | None) -> str:
    if source is None or source == "-":
        data = sys.stdin.buffer.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise SrgError("stdin: текст не в кодировке UTF-8.", ExitCode.USAGE) from None
    path = Path(source)
    looks_like_file = "\n" not in source and len(source) < 4096 and path.is_file()
    if not looks_like_file:
        return source if source.endswith("\n") else source + "\n"
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise SrgError(f"{path}: файл не в кодировке UTF-8.", ExitCode.USAGE) from None
    except OSError as exc:
        from srgcli.exit import os_error_text

        raise SrgError(f"{path}: {os_error_text(exc)}.", ExitCode.USAGE) from None
