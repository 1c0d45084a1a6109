"""`srgcli serve`: the gate as a local LanguageTool-compatible server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from srgcli.cli.common import command_options, emit_json, err, open_ws, optional_ws, out
from srgcli.exit import ExitCode, SrgError


def register(app: typer.Typer) -> None:
    """Add `serve` to the application."""
    app.command("serve", **command_options("srgcli serve --detach"))(serve_command)


def serve_command(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Адрес, на котором слушать. По умолчанию только этот компьютер; другой "
            "адрес открывает проверку сети (без пароля и шифрования).",
            metavar="АДРЕС",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(
            "--port", help="Порт (0 — любой свободный).", metavar="ПОРТ", min=0, max=65535
        ),
    ] = 8081,
    detach: Annotated[
        bool,
        typer.Option("--detach", help="Запустить в фоне для рабочей папки и вернуть управление."),
    ] = False,
    show_status: Annotated[
        bool, typer.Option("--status", help="Показать, запущен ли сервер рабочей папки.")
    ] = False,
    stop: Annotated[bool, typer.Option("--stop", help="Остановить сервер рабочей папки.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="С --status: вывод в JSON для скриптов.")
    ] = False,
) -> None:
    """Проверка текста как сервер LanguageTool: для LibreOffice, редакторов и самой srgcli.

    Отвечает на POST /v2/check и GET /v2/languages по протоколу LanguageTool теми же
    правилами, что srgcli check, со словарём и отключёнными правилами рабочей папки. Пока
    сервер рабочей папки запущен, её команды проверяют текст через него — без загрузки
    движка при каждом вызове; если он не отвечает, проверяют сами, с тем же результатом.
    Ctrl-C или --stop останавливают сервер. --status: код выхода 0 — запущен, 1 — нет.
    """
    if sum((detach, show_status, stop)) > 1:
        raise SrgError("Укажите только одно из --detach, --status, --stop.", ExitCode.USAGE)
    if as_json and not show_status:
        raise SrgError("--json выводит только --status.", ExitCode.USAGE)
    if show_status:
        _status(ctx, as_json)
    elif stop:
        _stop(ctx)
    else:
        _start(ctx, host, port, detach)


def _status(ctx: typer.Context, as_json: bool) -> None:
    from srgcli.gate.daemon import status

    current = status(open_ws(ctx).root)
    if as_json:
        emit_json(current.to_json())
    elif current.running and current.record is not None:
        out().print(
            f"Сервер проверки запущен: {current.record.url} (процесс {current.record.pid}, "
            f"проверок: {current.checks}).",
            markup=False,
        )
        if not current.current:
            err().print(
                "Он запущен другой версией srgcli, и команды проверяют текст сами. "
                "Перезапустите его: srgcli serve --stop, затем srgcli serve --detach.",
                markup=False,
            )
    else:
        out().print("Сервер проверки не запущен.")
    if not current.running:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _stop(ctx: typer.Context) -> None:
    from srgcli.gate.daemon import stop

    record = stop(open_ws(ctx).root)
    if record is None:
        err().print("Сервер проверки не был запущен.")
    else:
        err().print(f"Сервер проверки остановлен (процесс {record.pid}).")


def _warn_if_open(host: str) -> None:
    from srgcli.gate.server import is_loopback

    if not is_loopback(host):
        err().print(
            f"[bold yellow]Внимание:[/] сервер будет доступен с других компьютеров по адресу "
            f"{host}. Доступ не защищён паролем, тексты передаются без шифрования."
        )


def _start(ctx: typer.Context, host: str, port: int, detach: bool) -> None:
    _warn_if_open(host)
    if detach:
        from srgcli.gate.daemon import start_detached

        root = open_ws(ctx).root
        err().print("Запускаю сервер проверки в фоне (загрузка движка — несколько секунд)…")
        record = start_detached(root, host, port)
        err().print(f"Сервер проверки запущен: {record.url} (процесс {record.pid}).")
        err().print("Остановить: [bold]srgcli serve --stop[/]")
        return
    _run_foreground(ctx, host, port)


def _run_foreground(ctx: typer.Context, host: str, port: int) -> None:
    from contextlib import nullcontext

    from srgcli.gate.daemon import claimed

    ws = optional_ws(ctx)
    root = ws.root if ws is not None else None
    if ws is not None:
        ws.close()
    # The serve lock before anything is loaded: a second server of the workspace stops here.
    with claimed(root) if root is not None else nullcontext():
        _serve(root, host, port)


def _serve(root: Path | None, host: str, port: int) -> None:
    import errno

    from srgcli.gate.server import GateService, configure_logging, make_server, serve

    configure_logging()
    service = GateService.open(root)
    try:
        server = make_server(service, host, port)  # the port first: a busy one fails at once
    except OSError as exc:
        service.close()
        if exc.errno == errno.EADDRINUSE:
            raise SrgError(
                f"Порт {port} на {host} уже занят.",
                ExitCode.USAGE,
                hint="Укажите другой: --port ПОРТ (0 — любой свободный).",
            ) from None
        raise SrgError(f"Не удалось открыть {host}:{port}.", ExitCode.USAGE) from None

    err().print("Загружаю движок проверки…")
    try:
        service.warm_up()
    except BaseException:
        server.server_close()
        service.close()
        raise

    def ready(url: str) -> None:
        where = f" для рабочей папки {root}" if root is not None else ""
        err().print(
            f"Сервер проверки слушает {url}{where}. Адрес для клиентов LanguageTool: {url} "
            f"(API: {url}/v2). Остановить: Ctrl-C.",
            markup=False,
        )

    serve(server, root, ready)
