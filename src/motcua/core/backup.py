"""Backup and restore of one instance: the database and the uploaded files, as one consistent archive.

The archive (`.tar.gz`) holds `manifest.json` (engine, time, row counts of every model, audit stream heads),
the database (`database.sqlite3` from SQLite's online backup API, or `database.pgdump` from `pg_dump -Fc`, both a
consistent snapshot taken while the service runs) and `files/` (MEDIA_ROOT). The database is copied first and the
files second: uploads are written before their rows commit and never rewritten, so every row in the snapshot finds
its file (a file newer than the snapshot is merely unreferenced).

Restore goes into an EMPTY instance only (refused otherwise, unless forced), then compares the row counts with the
manifest and verifies the audit chain (`audit.verify`).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "motcua.backup/1"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"


class BackupError(Exception):
    pass


@dataclass
class RestoreReport:
    counts: dict[str, int]
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)
    audit_problems: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.audit_problems


def row_counts(using: str = "default") -> dict[str, int]:
    return {m._meta.label: m._default_manager.using(using).count() for m in apps.get_models()
            if m._meta.managed and not m._meta.proxy}


def audit_heads(using: str = "default") -> dict[str, list]:
    from motcua.audit.models import StreamHead

    return {s: [seq, h] for s, seq, h in StreamHead.objects.using(using).values_list("stream", "last_seq", "last_hash")}


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or ""]
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "")
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]}: {done.stderr.strip()[-2000:]}")


def dump_database(workdir: Path, using: str = "default") -> str:
    connection = connections[using]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(workdir / SQLITE_MEMBER)
        with target:
            connection.connection.backup(target)
        target.close()
        return SQLITE_MEMBER
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        _run(["pg_dump", *args, "-Fc", "--no-owner", "--no-privileges", "-f", str(workdir / PG_MEMBER), db["NAME"]],
             env)
        return PG_MEMBER
    raise BackupError(_("Không hỗ trợ sao lưu cơ sở dữ liệu loại %(v)s.") % {"v": connection.vendor})


def backup(output: Path, using: str = "default") -> dict:
    """Write the archive to `output`; return its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        # Counts and heads are read in the same snapshot as the dump on SQLite (one connection, no writer can
        # interleave within the backup step) and just before it on PostgreSQL, where a moving count is reported
        # by restore as a mismatch to investigate, never silently accepted.
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": connections[using].vendor,
                    "counts": row_counts(using), "audit_heads": audit_heads(using)}
        manifest["database"] = dump_database(workdir, using)
        (workdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(workdir / "manifest.json", "manifest.json")
            tar.add(workdir / manifest["database"], manifest["database"])
            if media.is_dir():
                tar.add(media, "files")
        partial.replace(output)  # a crash mid-write never leaves something that looks like a backup
    return manifest


def is_empty(using: str = "default") -> bool:
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return True
    from motcua.dossiers.models import Dossier

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return not (Dossier.objects.using(using).exists() or user_model.objects.using(using).exists())


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(_("Tệp sao lưu chứa đường dẫn không hợp lệ: %(p)s") % {"p": member.name})
        members.append(member)
    return members


def restore(archive: Path, *, force: bool = False, using: str = "default") -> RestoreReport:
    if not archive.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(p)s.") % {"p": archive})
    if not force and not is_empty(using):
        raise BackupError(_("Cơ sở dữ liệu đích đã có dữ liệu; chỉ khôi phục vào một hệ thống trống "
                            "(hoặc dùng --force)."))
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        members = _safe_members(tar)
        tar.extractall(tmp, members=members, filter="data")
        workdir = Path(tmp)
        manifest = json.loads((workdir / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(_("Tệp sao lưu không đúng định dạng %(f)s.") % {"f": FORMAT})
        load_database(workdir / manifest["database"], manifest["vendor"], using)
        files = restore_files(workdir / "files")
    return check(manifest, files, using)


def load_database(dump: Path, vendor: str, using: str) -> None:
    connection = connections[using]
    if vendor != connection.vendor:
        raise BackupError(_("Bản sao lưu của %(a)s không khôi phục được vào %(b)s.") % {"a": vendor,
                                                                                      "b": connection.vendor})
    if vendor == "sqlite":
        connection.close()
        name = Path(connection.settings_dict["NAME"])
        for suffix in ("-wal", "-shm"):
            name.with_name(name.name + suffix).unlink(missing_ok=True)
        source, target = sqlite3.connect(dump), sqlite3.connect(name)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    args, env = _pg_env(connection.settings_dict)
    connection.close()
    _run(["pg_restore", *args, "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
          "-d", connection.settings_dict["NAME"], str(dump)], env)


def restore_files(source: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    count = 0
    if source.is_dir():
        for path in source.rglob("*"):
            if path.is_file():
                target = media / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                count += 1
    return count


def check(manifest: dict, files: int, using: str = "default") -> RestoreReport:
    from motcua.audit.verify import verify

    counts = row_counts(using)
    report = RestoreReport(counts=counts, files=files)
    for label, expected in manifest["counts"].items():
        if counts.get(label) != expected:
            report.mismatches[label] = (expected, counts.get(label, 0))
    result = verify(using=using)
    report.audit_problems = [str(p) for p in result.problems[:20]]
    heads = audit_heads(using)
    for stream, head in manifest.get("audit_heads", {}).items():
        if heads.get(stream) != head:
            report.audit_problems.append(_("Đầu luồng nhật ký %(s)s khác bản sao lưu.") % {"s": stream})
    return report
