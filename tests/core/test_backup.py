"""Backup and restore end to end: a real instance is seeded, archived, restored into an EMPTY instance, and the
restored one has the same rows, the same files and a valid audit chain. On SQLite always; on PostgreSQL when the
suite runs there (two scratch databases on the same server)."""

import io
import tarfile

import pytest

from motcua.core.backup import BackupError, _safe_members
from tests.core.instances import MOTCUA, instances, run, seed, sql


@pytest.fixture
def pair(tmp_path):
    with instances(tmp_path, "source", "target") as envs:
        yield envs


def test_backup_then_restore_into_an_empty_instance(pair, tmp_path):
    source, target = pair
    seed(source, "--dossiers", "5")
    archive = tmp_path / "backup.tar.gz"
    assert "Đã sao lưu" in run(source, MOTCUA, "backup", "--output", str(archive)).stdout

    restored = run(target, MOTCUA, "restore", str(archive))
    assert "số dòng khớp, chuỗi nhật ký hợp lệ" in restored.stdout and "5 tệp" in restored.stdout
    query = "select code, status, row_version from dossiers_dossier order by code"
    assert sql(target, query) == sql(source, query) and len(sql(target, query)) == 5
    files = sorted(p.relative_to(tmp_path / "target" / "files")
                   for p in (tmp_path / "target" / "files").rglob("*.pdf"))
    assert files == sorted(p.relative_to(tmp_path / "source" / "files")
                           for p in (tmp_path / "source" / "files").rglob("*.pdf")) and len(files) == 5
    assert "OK" in run(target, MOTCUA, "audit", "verify").stdout

    again = run(target, MOTCUA, "restore", str(archive), check=False)
    assert again.returncode != 0 and "hệ thống trống" in again.stderr


def test_restore_refuses_unsafe_paths(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"x"
        info = tarfile.TarInfo("../../etc/evil")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with tarfile.open(archive, "r:gz") as tar, pytest.raises(BackupError, match="không hợp lệ"):
        _safe_members(tar)
