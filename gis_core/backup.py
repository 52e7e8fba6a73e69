"""Backups that restore: the database (pg_dump custom format), the photos (a tar of
MEDIA_ROOT) and the private originals (a tar of PRIVATE_MEDIA_ROOT), side by side in one
dated folder with a manifest of what they hold.

The dump is taken first, then the photos: a photo file is written before its row commits and
only orphans are ever deleted, so every photo row in the dump finds its file in the tar.
Restoring goes into an empty database: the extensions the dump lists (PostGIS) are created
first by name, then pg_restore loads everything else in one transaction, so a failed restore
leaves the target as empty as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg2
from django.conf import settings
from django.db import connections

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar"
# The private originals (photos before their blur, clips before transcoding): staff's only
# copy of what was sent, never public (PRIVATE_MEDIA_ROOT, always on local disk).
PRIVATE_NAME = "private-media.tar"
MANIFEST_NAME = "manifest.json"
# Rows that a restore must bring back, counted into the manifest and checked by tests.
COUNTED_TABLES = (
    "ward_boundaries_boundaryversion",
    "ward_boundaries_ward",
    "gis_core_report",
    "gis_core_reportphoto",
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says what to do."""


@dataclass(frozen=True)
class Connection:
    """libpq connection values, from Django's DATABASES or a database URL."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_django(cls, alias: str = "default") -> Connection:
        # connections[...].settings_dict, not settings.DATABASES: under the tests it names the
        # test database.
        d = connections[alias].settings_dict
        return cls(d["NAME"], d.get("USER") or "", d.get("PASSWORD") or "",
                   d.get("HOST") or "", str(d.get("PORT") or ""))  # fmt: skip

    @classmethod
    def parse(cls, url_or_default: str) -> Connection:
        if url_or_default in ("", "default"):
            return cls.from_django()
        d = dj_database_url.parse(url_or_default)
        return cls(d["NAME"], d.get("USER") or "", d.get("PASSWORD") or "",
                   d.get("HOST") or "", str(d.get("PORT") or ""))  # fmt: skip

    def args(self) -> list[str]:
        out = ["--dbname", self.name]
        if self.host:
            out += ["--host", self.host]
        if self.port:
            out += ["--port", self.port]
        if self.user:
            out += ["--username", self.user]
        return out

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password  # not on the command line, where ps shows it
        return env

    def connect(self):
        return psycopg2.connect(
            dbname=self.name, user=self.user or None, password=self.password or None,
            host=self.host or None, port=self.port or None,
        )  # fmt: skip


def pg_tool(name: str, conn: Connection) -> str:
    """The pg_dump/pg_restore of the server's major version: an older pg_dump refuses a newer
    server, and a newer one writes archives an older pg_restore cannot read."""
    override = getattr(settings, "PG_BIN_DIR", "")
    if override:
        return str(Path(override) / name)
    with conn.connect() as pg, pg.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    pg.close()
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} for PostgreSQL {major} not found: install postgresql-client-{major} "
            "or set HT_PG_BIN_DIR."
        )
    return found


def _run(command: list[str], conn: Connection) -> str:
    result = subprocess.run(command, env=conn.env(), capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts(conn: Connection) -> dict[str, int]:
    counts = {}
    with conn.connect() as pg, pg.cursor() as cursor:
        for table in COUNTED_TABLES:
            # Raw: the table names are constants of this module, not input.
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    pg.close()
    return counts


def media_root() -> Path | None:
    """MEDIA_ROOT when photos are on local disk; None with object storage (S3), whose
    bucket is backed up by the object store itself (versioning, replication)."""
    from django.core.files.storage import FileSystemStorage, default_storage

    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(settings.MEDIA_ROOT)


def private_media_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def _tar_folder(tar_path: Path, root: Path | None) -> tuple[int, int]:
    """Every regular file under `root` into a tar at `tar_path`: (files, bytes)."""
    files = size = 0
    with tarfile.open(tar_path, "w") as tar:
        if root is not None and root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    files += 1
                    size += path.stat().st_size
    return files, size


def backup_create(*, output_dir: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Writes <output_dir>/hientruong-YYYYmmdd-HHMMSS/{database.dump, media.tar,
    private-media.tar, manifest.json} and returns the folder. A folder is complete only once
    manifest.json is in it."""
    conn = Connection.from_django()
    now = now or dt.datetime.now(dt.UTC)
    base = Path(output_dir or settings.BACKUP_DIR)
    target = base / f"hientruong-{now:%Y%m%d-%H%M%S}"
    if target.exists():
        raise BackupError(f"{target} already exists.")
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=_mkdir(base)))
    try:
        dump = work / DUMP_NAME
        _run([pg_tool("pg_dump", conn), *conn.args(), "--format=custom", "--file", str(dump)],
             conn)  # fmt: skip
        media = media_root()
        files, size = _tar_folder(work / MEDIA_NAME, media)
        private_files, private_size = _tar_folder(work / PRIVATE_NAME, private_media_root())
        manifest = {
            "created_at": now.isoformat(),
            "database": conn.name,
            "tables": table_counts(conn),
            "media_files": files,
            "media_bytes": size,
            "media_in_object_storage": media is None,
            "private_files": private_files,
            "private_bytes": private_size,
            "sha256": {
                DUMP_NAME: _sha256(dump),
                MEDIA_NAME: _sha256(work / MEDIA_NAME),
                PRIVATE_NAME: _sha256(work / PRIVATE_NAME),
            },
        }
        (work / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        work.rename(target)  # atomic: a half-written backup never has the final name
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_is_empty(conn: Connection) -> bool:
    """No table, view or sequence of its own (objects of extensions, like PostGIS's
    spatial_ref_sys, do not count)."""
    with conn.connect() as pg, pg.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              AND n.nspname NOT LIKE 'pg_temp%%' AND n.nspname NOT LIKE 'pg_toast_temp%%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                AND d.deptype = 'e')
            """
        )
        count = cursor.fetchone()[0]
    pg.close()
    return count == 0


_EXTENSION = re.compile(r"^\d+; \d+ \d+ EXTENSION - (\S+)")


def backup_check(folder: Path) -> dict:
    """The manifest, after checking both files against its checksums."""
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.exists():
        raise BackupError(f"{folder} is not a complete backup (no {MANIFEST_NAME}).")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, expected in manifest["sha256"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is damaged (checksum differs from the manifest).")
    return manifest


def backup_restore(
    *,
    folder: Path,
    target: Connection,
    media_dir: Path | None,
    private_dir: Path | None = None,
    force: bool = False,
) -> dict:
    """Restores a backup folder into `target` (empty unless `force`), its photos into
    `media_dir` and its private originals into `private_dir` (None: leave those files alone;
    a backup made before it held originals has none). Returns the manifest."""
    manifest = backup_check(folder)
    if not force and not database_is_empty(target):
        raise BackupError(
            f"Database {target.name!r} is not empty: restore into an empty database "
            "(createdb), or pass --force to replace the objects the backup holds."
        )
    dump = folder / DUMP_NAME
    listing = _run([pg_tool("pg_restore", target), "--list", str(dump)], target)
    extensions = [m.group(1) for line in listing.splitlines() if (m := _EXTENSION.match(line))]
    keep = [
        line
        for line in listing.splitlines()
        if not _EXTENSION.match(line) and " COMMENT - EXTENSION " not in line
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as handle:
        handle.write("\n".join(keep) + "\n")
        list_file = handle.name
    try:
        with target.connect() as pg, pg.cursor() as cursor:
            # PostGIS first, by name, in the target's own default schema: its types must
            # exist before the tables that use them.
            for name in sorted(extensions, key=lambda e: e != "postgis"):
                if not re.fullmatch(r"[a-z0-9_]+", name):
                    raise BackupError(f"Unexpected extension name {name!r} in the dump.")
                cursor.execute(f'CREATE EXTENSION IF NOT EXISTS "{name}"')
        pg.close()
        command = [pg_tool("pg_restore", target), *target.args(), "--no-owner",
                   "--no-privileges", "--exit-on-error", "--use-list", list_file]  # fmt: skip
        command += ["--clean", "--if-exists"] if force else ["--single-transaction"]
        command.append(str(dump))
        _run(command, target)
    finally:
        os.unlink(list_file)
    if media_dir is not None:
        media_dir.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA_NAME) as tar:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            tar.extractall(media_dir, filter="data")
    if private_dir is not None and (folder / PRIVATE_NAME).exists():
        private_dir.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / PRIVATE_NAME) as tar:
            tar.extractall(private_dir, filter="data")
    return manifest
