"""The `languagetool` engine: a LanguageTool server through language-tool-python.

The server is the user's (self-hosted, or LanguageTool's API with a user name and key from the
environment); srgcli never downloads or starts one on its own.
"""

from __future__ import annotations

import os
from typing import Any

from srgcli.exit import ExitCode, SrgError
from srgcli.gate.issue import Issue
from srgcli.gate.pylat import category_of, clean_message, severity_of

USERNAME_ENV = "SRGCLI_LT_USERNAME"
API_KEY_ENV = "SRGCLI_LT_API_KEY"
LANGUAGE = "ru-RU"


def _unreachable(url: str) -> SrgError:
    return SrgError(
        f"Сервер LanguageTool по адресу {url} недоступен или ответил не по протоколу LanguageTool.",
        ExitCode.EXTERNAL,
        hint="Проверьте, что сервер запущен, и адрес в [checker] languagetool_url "
        "(или SRGCLI_LT_URL); либо проверьте встроенным движком: --engine pylat.",
    )


def _client_class() -> Any:
    """A language-tool-python client that sends API credentials and remembers the version."""
    import language_tool_python

    class Client(language_tool_python.LanguageTool):
        software_version = ""

        def _create_params(self, text: str) -> dict[str, str]:
            params: dict[str, str] = super()._create_params(text)
            username, key = os.environ.get(USERNAME_ENV), os.environ.get(API_KEY_ENV)
            if username and key:
                params["username"], params["apiKey"] = username, key
            return params

        def check_raw(self, text: str) -> list[dict[str, Any]]:
            import urllib.parse

            url = urllib.parse.urljoin(self._url, "check")
            response = self._query_server(url, self._create_params(text), method="post")
            software = response.get("software") or {}
            self.software_version = str(software.get("version") or "")
            return list(response.get("matches") or [])

    return Client


class LanguageToolEngine:
    """Checks text on a LanguageTool server."""

    name = "languagetool"

    def __init__(self, client: Any, url: str):
        self.client = client
        self.url = url

    @classmethod
    def connect(cls, url: str) -> LanguageToolEngine:
        """Connect to the server at `url`; a clear error (exit 4) if it does not answer."""
        if not url:
            raise SrgError(
                "Не задан адрес сервера LanguageTool.",
                ExitCode.USAGE,
                hint="Укажите его в [checker] languagetool_url файла srgcli.toml или в "
                "переменной SRGCLI_LT_URL, например http://127.0.0.1:8081.",
            )
        from language_tool_python.exceptions import LanguageToolError

        try:
            client = _client_class()(LANGUAGE, remote_server=url)
        except (LanguageToolError, OSError, ValueError, KeyError) as exc:
            raise _unreachable(url) from exc
        return cls(client, url)

    @property
    def version(self) -> str:
        """The server's LanguageTool version, learnt from its first answer."""
        if not self.client.software_version:
            self._raw("Проверка.")
        return str(self.client.software_version or "unknown")

    def _raw(self, text: str) -> list[dict[str, Any]]:
        from language_tool_python.exceptions import LanguageToolError

        try:
            return list(self.client.check_raw(text))
        except (LanguageToolError, OSError, ValueError) as exc:
            raise _unreachable(self.url) from exc

    def check(self, text: str) -> list[Issue]:
        """Issues the server finds in `text`."""
        from language_tool_python.match import Match

        if not text.strip():
            return []
        issues = []
        for raw in self._raw(text):
            try:
                match = Match(dict(raw), text)
            except (KeyError, TypeError) as exc:
                raise _unreachable(self.url) from exc
            category = category_of(str(match.category))
            issues.append(
                Issue(
                    rule=str(match.rule_id),
                    category=category,
                    severity=severity_of(str(match.rule_id), category),
                    message=clean_message(str(match.message)),
                    offset=int(match.offset),
                    length=int(match.error_length),
                    replacements=tuple(str(r) for r in match.replacements)[:5],
                )
            )
        return issues
