"""The ИС's HTTP client, shared by `fetch` and `submit`: paged ticket listing, order
histories, report submission and delivery marks.

Timeouts and retries (backoff, Retry-After honoured); failures are SrgErrors with exit 4.
The token comes from an environment variable or the system keyring, never the workspace.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srgcli.exit import ExitCode, SrgError

if TYPE_CHECKING:
    from srgcli.workspace import Workspace

_LIST_KEYS = ("tickets", "items", "results", "data")
_HISTORY_KEYS = ("history", "events", "items", "data")
_MAX_PAGES = 100_000
_MAX_WAIT = 60.0
_KEYRING_USER = "token"


@dataclass(frozen=True)
class IsSettings:
    """The `[is]` section of the config."""

    base_url: str
    tickets_path: str
    history_path: str
    page_size: int
    token_env: str
    keyring_service: str
    timeout: float
    retries: int

    @property
    def shown_url(self) -> str:
        """The base URL as messages may show it: credentials and the query not shown."""
        return mask_url(self.base_url)


def mask_url(url: str) -> str:
    """`url` safe to print: credentials (https://user:pass@host) replaced by «***», the query
    (which may carry a token) left out."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "(адрес из [is] base_url)"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def settings_of(ws: Workspace) -> IsSettings:
    """The ИС connection settings; an SrgError (exit 2) when no base URL is configured."""
    s = ws.config.section("is")
    if not s["base_url"]:
        raise SrgError(
            "Не указан источник: ни файлов, ни адреса ИС.",
            ExitCode.USAGE,
            hint="Укажите файл выгрузки (srgcli fetch выгрузка.csv) или адрес ИС в "
            "srgcli.toml, раздел [is], параметр base_url.",
        )
    return IsSettings(
        base_url=str(s["base_url"]).rstrip("/"),
        tickets_path=str(s["tickets_path"]),
        history_path=str(s["history_path"]),
        page_size=max(1, int(s["page_size"])),
        token_env=str(s["token_env"]),
        keyring_service=str(s["keyring_service"]),
        timeout=float(s["timeout"]),
        retries=max(0, int(s["retries"])),
    )


def find_token(settings: IsSettings) -> str | None:
    """The access token: the environment variable named in config, else the system keyring."""
    if settings.token_env:
        value = os.environ.get(settings.token_env)
        if value:
            return value
    if not settings.keyring_service:
        return None
    try:
        import keyring

        value = keyring.get_password(settings.keyring_service, _KEYRING_USER)
    except Exception:  # no keyring backend on this machine: work without a token
        return None
    return str(value) if value else None


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from datetime import UTC
    from email.utils import parsedate_to_datetime

    from srgcli.calendar import now

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now()).total_seconds())


class IsClient:
    """GET requests to the ИС with timeouts and retries (backoff, Retry-After honoured)."""

    def __init__(
        self,
        settings: IsSettings,
        token: str | None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import httpx

        self.settings = settings
        self.sleep = sleep
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(
            base_url=settings.base_url, headers=headers, timeout=settings.timeout
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """The decoded JSON of a GET; None for 404. Failures are SrgErrors with exit 4."""
        return self.request_json("GET", path, params=params)

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded JSON of a request; None for 404 (an empty body is {} for a POST).

        Timeouts, connection errors, 429 and 5xx are retried with backoff (Retry-After
        honoured); a POST carries an Idempotency-Key header, set by the caller, so that a
        retried submission is not taken twice. Failures are SrgErrors with exit 4.
        """
        import httpx

        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TimeoutException:
                if last:
                    raise _external(
                        f"ИС не ответила за {self.settings.timeout:g} с "
                        f"({self.settings.shown_url}{mask_url(path)}).",
                        "Повторите позже или увеличьте [is] timeout в srgcli.toml.",
                    ) from None
                self.sleep(_backoff(attempt))
                continue
            except httpx.TransportError as exc:
                if last:
                    raise _external(
                        f"ИС недоступна: {self.settings.shown_url} ({type(exc).__name__}).",
                        "Проверьте подключение к сети и адрес [is] base_url в srgcli.toml.",
                    ) from None
                self.sleep(_backoff(attempt))
                continue
            except (httpx.InvalidURL, httpx.UnsupportedProtocol):
                raise SrgError(
                    f"Неверный адрес ИС: {self.settings.shown_url}.",
                    ExitCode.USAGE,
                    hint="Укажите адрес вида https://is.example.ru в [is] base_url.",
                ) from None
            status = response.status_code
            if status == 429 or status >= 500:
                if last:
                    raise _external(
                        f"ИС вернула ошибку HTTP {status} ({path}) после {attempts} попыток.",
                        "Повторите позже.",
                    )
                wait = retry_after(response.headers.get("Retry-After"))
                self.sleep(min(_MAX_WAIT, wait if wait is not None else _backoff(attempt)))
                continue
            if status in (401, 403):
                raise _external(
                    f"ИС отказала в доступе (HTTP {status}): токен не принят или не указан.",
                    f"Задайте токен в переменной окружения {self.settings.token_env} или в "
                    f"системном хранилище ключей (сервис «{self.settings.keyring_service}»).",
                )
            if status == 404:
                return None
            if status >= 400:
                raise _external(f"ИС вернула ошибку HTTP {status} ({path}).", None)
            if method != "GET" and not response.content.strip():
                return {}
            try:
                return response.json()
            except ValueError:
                raise _external(
                    f"ИС вернула ответ не в формате JSON ({path}).",
                    "Проверьте адрес [is] base_url и пути в srgcli.toml.",
                ) from None
        raise AssertionError("unreachable")

    def tickets(self, since: str | None) -> Iterator[dict[str, Any] | Any]:
        """Every ticket of the listing, page by page, changed since `since` when given."""
        size = self.settings.page_size
        for page in range(1, _MAX_PAGES + 1):
            params: dict[str, Any] = {"page": page, "page_size": size}
            if since:
                params["since"] = since
            body = self.get_json(self.settings.tickets_path, params)
            if body is None:
                raise _external(
                    f"ИС: путь списка заявок не найден (HTTP 404, {self.settings.tickets_path}).",
                    "Проверьте [is] tickets_path в srgcli.toml.",
                )
            items = _list_in(body, _LIST_KEYS)
            if items is None:
                raise _external("ИС вернула неожиданный ответ: нет списка заявок.", None)
            yield from items
            if not items:
                return
            if isinstance(body, dict) and "next" in body:
                if not body["next"]:
                    return  # the ИС says so explicitly
            elif len(items) < size:
                return

    def history(self, record: dict[str, Any]) -> list[Any] | None:
        """The order history of a listed ticket, or None when the ИС has none for it."""
        template = self.settings.history_path
        if not template:
            return None
        order_id = str(record.get("order_id") or "")
        ticket_id = str(record.get("id") or "")
        if "{order_id}" in template and not order_id:
            return None
        from urllib.parse import quote

        path = template.replace("{order_id}", quote(order_id, safe="")).replace(
            "{ticket_id}", quote(ticket_id, safe="")
        )
        body = self.get_json(path)
        return None if body is None else _list_in(body, _HISTORY_KEYS)


def _list_in(body: Any, keys: tuple[str, ...]) -> list[Any] | None:
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in keys:
            if isinstance(body.get(key), list):
                return list(body[key])
    return None


def _backoff(attempt: int) -> float:
    return float(min(8.0, 0.5 * 2**attempt))


def _external(message: str, hint: str | None) -> SrgError:
    return SrgError(
        message, ExitCode.EXTERNAL, hint=(hint + " " if hint else "") + "Ничего не записано."
    )


# --- submitting reports -----------------------------------------------------------------


class SubmitSession:
    """The ИС client for submissions, with the configured paths; closed on exit."""

    def __init__(self, ws: Workspace):
        if not ws.config.section("is")["base_url"]:
            raise SrgError(
                "Для сдачи через API не указан адрес ИС.",
                ExitCode.USAGE,
                hint="Укажите [is] base_url в srgcli.toml или сдайте через папку: --channel "
                "outbox.",
            )
        self.settings = settings_of(ws)
        self.ws = ws
        self.client = IsClient(self.settings, find_token(self.settings))
        self.paths = ws.config.section("is")

    def __enter__(self) -> tuple[IsClient, SubmitPaths]:
        return self.client, SubmitPaths(self.paths["submit_path"], self.paths["mark_path"])

    def __exit__(self, *exc: object) -> None:
        self.client.close()


@dataclass(frozen=True)
class SubmitPaths:
    """Where the ИС takes a report and a delivery mark (`{ticket_id}` in each)."""

    submit_path: str
    mark_path: str


def ticket_path(template: str, ticket_id: str) -> str:
    """A configured path with the ticket id put in, quoted."""
    from urllib.parse import quote

    return template.replace("{ticket_id}", quote(ticket_id, safe=""))


def idempotency_key(manifest: dict[str, Any], purpose: str = "report") -> str:
    """The same key for the same report, so a retried request is not taken twice."""
    import hashlib

    report = manifest.get("report") or {}
    seed = f"{purpose}:{(manifest.get('ticket') or {}).get('id')}:{report.get('sha256')}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


def send_report(
    ws: Workspace,
    ticket_id: str,
    docx: Path,
    manifest: dict[str, Any],
    *,
    pdf: Path | None = None,
) -> None:
    """Send the report and its manifest to the ИС (variant A), with its PDF/A copy if any."""
    files: dict[str, tuple[str, bytes, str]] = {
        "report": (
            docx.name,
            docx.read_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    }
    if pdf is not None:
        files["pdf"] = (pdf.name, pdf.read_bytes(), "application/pdf")
    with SubmitSession(ws) as (client, paths):
        client.request_json(
            "POST",
            ticket_path(paths.submit_path, ticket_id),
            files=files,
            data={"manifest": json.dumps(manifest, ensure_ascii=False)},
            headers={"Idempotency-Key": idempotency_key(manifest)},
        )


def request_mark(
    ws: Workspace, ticket_id: str, manifest: dict[str, Any], mark_ref: str | None
) -> str:
    """Ask the ИС to mark the delivery to the client; returns the mark's reference."""
    with SubmitSession(ws) as (client, paths):
        body = client.request_json(
            "POST",
            ticket_path(paths.mark_path, ticket_id),
            json={
                "ticket_id": ticket_id,
                "report_version": (manifest.get("report") or {}).get("version"),
                "report_sha256": (manifest.get("report") or {}).get("sha256"),
                "mark_ref": mark_ref,
            },
            headers={"Idempotency-Key": idempotency_key(manifest, "mark")},
        )
    answer = body if isinstance(body, dict) else {}
    reference = answer.get("mark_ref") or answer.get("id") or mark_ref
    if not reference:
        raise SrgError(
            "ИС приняла отметку, но не вернула её номер (ожидается поле mark_ref или id).",
            ExitCode.EXTERNAL,
            hint="Запишите номер вручную: srgcli submit ID --variant B --mark-ref НОМЕР",
        )
    return str(reference)
