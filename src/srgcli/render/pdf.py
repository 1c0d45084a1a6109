"""PDF/A-2b copies of DOCX documents for the archive, made by LibreOffice in headless mode.

LibreOffice is an optional external program: when it is not installed, the DOCX stands and
the caller says how to get the PDF (`PdfUnavailable`). Each conversion runs with its own
temporary LibreOffice profile, so parallel runs (and a LibreOffice open on the desktop) do
not clash, and under a timeout that ends the whole process group.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The export filter with its options as JSON (LibreOffice 7.4+): SelectPdfVersion 2 is
# PDF/A-2b (1 would be PDF/A-1b, 3 PDF/A-3b).
PDFA2B_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
PROGRAMS = ("soffice", "libreoffice")
INSTALL_HINT = (
    "Установите LibreOffice: sudo apt-get install libreoffice-writer-nogui "
    "(или с сайта libreoffice.org) либо укажите путь к программе soffice "
    "в настройке [report] soffice файла srgcli.toml."
)


@dataclass(frozen=True)
class PdfUnavailable(Exception):
    """No PDF was made: why (in Russian, no personal data) and what to do about it."""

    reason: str
    hint: str = INSTALL_HINT

    def __str__(self) -> str:
        return self.reason


def find_office(configured: str = "") -> str | None:
    """The LibreOffice program: the configured path, else `soffice` or `libreoffice` on PATH."""
    if configured.strip():
        path = Path(configured.strip()).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        return shutil.which(configured.strip())
    for name in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdfa(docx: Path, target: Path, *, office: str | None, timeout: float) -> Path:
    """Convert `docx` into the PDF/A-2b file `target` (owner-only, replaced atomically).

    `office` is the program from find_office(); None means it was not found. Raises
    PdfUnavailable when LibreOffice is missing, fails, times out or writes no PDF.
    """
    if office is None:
        raise PdfUnavailable("не найдена программа LibreOffice (soffice)")
    with tempfile.TemporaryDirectory(prefix="srgcli-pdf-") as scratch:
        work = Path(scratch)
        os.chmod(work, 0o700)
        source = work / "document.docx"  # a plain name: the ticket id may hold anything
        shutil.copyfile(docx, source)
        command = [
            office,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            PDFA2B_FILTER,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        _run(command, timeout, home=work)
        made = work / "out" / "document.pdf"
        if not made.is_file() or not made.read_bytes().startswith(b"%PDF"):
            raise PdfUnavailable(
                "LibreOffice завершил работу, но PDF не создан",
                hint="Проверьте, открывается ли отчёт DOCX в LibreOffice Writer.",
            )
        staged = staged_path(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            staged.unlink(missing_ok=True)
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as sink, made.open("rb") as pdf_data:
                shutil.copyfileobj(pdf_data, sink)
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(staged, target)
        except OSError as exc:
            staged.unlink(missing_ok=True)
            from srgcli.exit import os_error_text

            raise PdfUnavailable(
                f"не удалось записать {target.name}: {os_error_text(exc)}",
                hint="Проверьте, что папка reports/ доступна вам для записи.",
            ) from None
    return target


def staged_path(target: Path) -> Path:
    """The temporary name the PDF is written under before it is renamed to `target`."""
    return target.with_name(f".{target.name}.tmp")


def _run(command: list[str], timeout: float, *, home: Path) -> None:
    """Run LibreOffice in its own process group; on timeout, Ctrl-C or any other fault while
    waiting for it, the whole group is ended."""
    env = {**os.environ, "HOME": str(home)}  # nothing written into the user's own profile
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        from srgcli.exit import os_error_text

        raise PdfUnavailable(f"LibreOffice не запустился: {os_error_text(exc)}") from None
    try:
        process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_group(process)
        raise PdfUnavailable(
            f"LibreOffice не завершил преобразование за {timeout:g} с",
            hint="Увеличьте [report] pdf_timeout в srgcli.toml или повторите команду.",
        ) from None
    except BaseException:
        # Ctrl-C (or any other fault) while waiting: LibreOffice is in a session of its own,
        # so the terminal's SIGINT never reached it; it must not outlive its scratch folder.
        _end_group(process)
        raise
    if process.returncode != 0:
        raise PdfUnavailable(
            f"LibreOffice завершился с ошибкой (код {process.returncode})",
            hint="Проверьте, открывается ли отчёт DOCX в LibreOffice Writer.",
        )


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End LibreOffice and the helper processes it started."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.communicate()
