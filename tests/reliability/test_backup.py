"""`srgcli backup` and `srgcli restore`: one archive with a manifest of hashes, restored into a
new folder only when every hash matches; consistent while another process writes."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest

from srgcli.workspace import Workspace
from tests.builders import (
    TICKET,
    add_ticket,
    file_hashes,
    make_report,
    srgcli_command,
    srgcli_env,
    write_jsonl,
)
from tests.conftest import Cli


def _modes(root: Path) -> set[tuple[str, int]]:
    return {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [root, *root.rglob("*")]
    }


def test_round_trip_keeps_everything_with_owner_only_modes(
    cli: Cli, ws_root: Path, tmp_path: Path
) -> None:
    report = make_report(ws_root)
    act = ws_root / "acts" / "2026" / "akt-1-2026-v1.docx"  # the acts to the Customer too
    act.parent.mkdir(parents=True)
    act.write_bytes(b"PK act")
    archive = tmp_path / "copy.tar.gz"
    result = cli("backup", str(archive))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert names[-1] == "manifest.json"
    listed = {f["path"] for f in manifest["files"]}
    assert {"srgcli.db", "srgcli.toml", report.relative_to(ws_root).as_posix()} <= listed
    assert manifest["tickets"] == 1

    target = tmp_path / "restored"
    restored = Cli(None)("restore", str(archive), str(target))
    assert restored.exit_code == 0, restored.stderr
    assert _modes(target) == {("dir", 0o700), ("file", 0o600)}
    assert (target / report.relative_to(ws_root)).read_bytes() == report.read_bytes()
    assert (target / act.relative_to(ws_root)).read_bytes() == b"PK act"
    shown = Cli(target)("list", "--json").json()
    assert [t["id"] for t in shown] == [TICKET]
    doctor = Cli(target)("doctor", "--json", "--offline")
    assert doctor.exit_code == 0, doctor.stdout


def test_restore_refuses_a_folder_that_is_not_empty(ws_root: Path, tmp_path: Path) -> None:
    archive = tmp_path / "copy.tar.gz"
    assert Cli(ws_root)("backup", str(archive)).exit_code == 0
    target = tmp_path / "busy"
    target.mkdir()
    (target / "mine.txt").write_text("моё", "utf-8")
    result = Cli(None)("restore", str(archive), str(target))
    assert result.exit_code == 2
    assert "не пуста" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["mine.txt"]


def _tampered(archive: Path, out: Path, name: str, data: bytes) -> Path:
    """A copy of `archive` with member `name` replaced by `data` (manifest unchanged)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == name:
                content = data
                member.size = len(data)
            dst.addfile(member, io.BytesIO(content))
    return out


@pytest.mark.parametrize("member", ["srgcli.toml", "srgcli.db"])
def test_a_hash_mismatch_restores_nothing(ws_root: Path, tmp_path: Path, member: str) -> None:
    archive = tmp_path / "copy.tar.gz"
    assert Cli(ws_root)("backup", str(archive)).exit_code == 0
    bad = _tampered(archive, tmp_path / "bad.tar.gz", member, b"changed")
    result = Cli(None)("restore", str(bad), str(tmp_path / "restored"))
    assert result.exit_code == 2
    assert "не совпадает" in result.stderr
    assert member in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tar.gz", "copy.tar.gz", "ws"]


def test_not_an_archive_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball")
    result = Cli(None)("restore", str(junk), str(tmp_path / "restored"))
    assert result.exit_code == 2
    assert not (tmp_path / "restored").exists()


def test_backup_never_overwrites_a_file(cli: Cli, tmp_path: Path) -> None:
    archive = tmp_path / "copy.tar.gz"
    archive.write_bytes(b"older copy")
    result = cli("backup", str(archive))
    assert result.exit_code == 2
    assert archive.read_bytes() == b"older copy"


def test_default_name_is_dated_beside_the_workspace(
    cli: Cli, ws_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ws_root)
    result = cli("backup")
    assert result.exit_code == 0, result.stderr
    made = sorted(ws_root.parent.glob("srgcli-backup-*.tar.gz"))
    assert [p.name for p in made] == ["srgcli-backup-20261125-100000.tar.gz"]
    assert not list(ws_root.glob("*.tar.gz"))


def test_backup_while_another_process_writes_restores_a_sound_workspace(
    ws: Workspace, tmp_path: Path
) -> None:
    add_ticket(ws)
    before = file_hashes(ws.root / "reports")
    env = srgcli_env()
    writer = subprocess.Popen(
        srgcli_command(ws.root, "fetch", str(write_jsonl(tmp_path / "t.jsonl", 20_000))),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    archives = []
    try:
        for n in range(3):
            archive = tmp_path / f"copy{n}.tar.gz"
            done = subprocess.run(
                srgcli_command(ws.root, "backup", str(archive)),
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
            )
            assert done.returncode == 0, done.stderr
            archives.append(archive)
            subprocess.run(
                srgcli_command(ws.root, "fill", TICKET, "--set", f"bank=Банк {n}"),
                env=env,
                check=True,
                capture_output=True,
                timeout=180,
            )
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    for n, archive in enumerate(archives):
        target = tmp_path / f"restored{n}"
        restored = Cli(None)("restore", str(archive), str(target))
        assert restored.exit_code == 0, restored.stderr
        tickets = Cli(target)("list", "--json").json()
        # All or nothing of the fetch: one committed state, never half a batch.
        assert len(tickets) in (1, 20_001)
        assert TICKET in {t["id"] for t in tickets}
    assert file_hashes(ws.root / "reports") == before
    doctor = Cli(tmp_path / "restored2")("doctor", "--json", "--offline")
    assert doctor.exit_code == 0, doctor.stdout


def test_a_restore_that_fails_while_writing_leaves_no_staging_folder(tmp_path: Path) -> None:
    # Every hash matches, but "reports" is a file and "reports/x" needs it to be a folder:
    # writing fails half-way (an OSError, as a full disk would be). Exit 2, nothing left.
    import hashlib

    entries = {"reports": b"a file", "reports/x": b"inside"}
    manifest = {
        "format": "srgcli-backup",
        "version": 1,
        "files": [
            {"path": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
            for n, d in entries.items()
        ],
    }
    archive = tmp_path / "odd.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in [*entries.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = Cli(None)("restore", str(archive), str(tmp_path / "restored"))
    assert result.exit_code == 2, result.stderr
    assert "Ничего не восстановлено" in " ".join(result.stderr.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odd.tar.gz"]
