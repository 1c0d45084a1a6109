"""The world one invocation runs in: its consoles, terminal, interactivity and clock.

Made once per invocation (as httpie's `Environment`) and kept on the app state, so that a
test can set a width, a TTY or a time by passing its own to the runner
(`runner.invoke(app, args, obj=Environment(...))`) instead of spawning a process.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console


def system_clock() -> datetime:
    """The system's clock (or SRGCLI_NOW), as `calendar.system_now` reads it."""
    from srgcli.calendar import system_now

    return system_now()


@dataclass
class Environment:
    """Terminal facts and the clock of one invocation; the consoles are made on first use."""

    stdin_isatty: bool = False
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    # Columns of the consoles; None: the terminal's own (or COLUMNS), as Rich finds it.
    width: int | None = None
    # False: never colour; True: always; None: Rich decides (a terminal, NO_COLOR).
    color: bool | None = None
    # Returns now; `calendar.now()` reads it while the command runs (see `use_clock`).
    clock: Callable[[], datetime] = system_clock

    @classmethod
    def detect(cls) -> Environment:
        """The environment of the running process: its standard streams and system clock."""
        return cls(
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
        )

    @cached_property
    def stdout(self) -> Console:
        """Console for data (stdout)."""
        return self._console(stderr=False)

    @cached_property
    def stderr(self) -> Console:
        """Console for human messages (stderr)."""
        return self._console(stderr=True)

    def prompts_allowed(self, no_input: bool) -> bool:
        """True when questions may be asked: a terminal on stdin and no --no-input."""
        return not no_input and self.stdin_isatty

    def _console(self, *, stderr: bool) -> Console:
        from srgcli.cli.views.terminal import SafeConsole

        return SafeConsole(
            stderr=stderr,
            highlight=False,
            width=self.width,
            no_color=True if self.color is False else None,
            force_terminal=True if self.color else None,
        )


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
