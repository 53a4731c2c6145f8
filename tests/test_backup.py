"""Backups: the demo world, backed up and restored into a scratch database, comes back equal."""

import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from minilateral import backups


def _params(dbname=None):
    params = backups.connection_params(connection.settings_dict)
    if dbname:
        params["dbname"] = dbname
    return params


@pytest.fixture
def scratch_database():
    """An empty database on the same server, dropped afterwards."""
    name = f"scratch_restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(**_params("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        admin.close()


def _url(dbname):
    p = _params(dbname)
    credentials = p.get("user", "") + (f":{p['password']}" if p.get("password") else "")
    return f"postgres://{credentials}@{p.get('host', '')}:{p.get('port', '5432')}/{dbname}"


def _every_table(params):
    """Per table: its row count and the md5 of its rows' text in primary-key order (or in
    text order when it has no primary key), computed here, independently of the manifest."""
    conn = psycopg2.connect(**params)
    conn.set_session(readonly=True)
    found = {}
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            cursor.execute(
                "SELECT c.relname, ("
                "  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)"
                "  FROM pg_index i"
                "  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                "  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                "  WHERE i.indrelid = c.oid AND i.indisprimary)"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r'"
            )
            for table, primary_key in cursor.fetchall():
                order = sql.SQL(primary_key) if primary_key else sql.SQL("t::text")
                cursor.execute(
                    sql.SQL(
                        "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {}),"
                        " '')) FROM {} AS t"
                    ).format(order, sql.Identifier(table))
                )
                found[table] = cursor.fetchone()
    finally:
        conn.close()
    return found


@pytest.mark.django_db(transaction=True)
def test_demo_world_backed_up_and_restored_has_every_row_and_file(demo, tmp_path, scratch_database):
    from lessons.models import Attachment

    assert Attachment.objects.exists(), "the demo world should hold stored files"
    call_command("backup", "--output", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    assert (folder / "manifest.json").is_file()

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore",
        str(folder / "database.dump"),
        "--database-url",
        _url(scratch_database),
        "--media-root",
        str(restored_media),
    )

    original = _every_table(_params())
    restored = _every_table(_params(scratch_database))
    assert original.keys() == restored.keys()
    assert original["networks_user"][0] > 0
    assert original["lessons_lesson"][0] > 0
    for table, summary in original.items():
        assert restored[table] == summary, f"{table} differs after restore"

    media_root = Path(settings.MEDIA_ROOT)
    files = backups.media_files(media_root)
    assert files
    assert files == backups.media_files(restored_media)
    for attachment in Attachment.objects.all():
        assert attachment.file.name in files
    for relative in files:
        assert (restored_media / relative).read_bytes() == (media_root / relative).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_tables(demo, tmp_path):
    call_command("backup", "--output", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    with pytest.raises(CommandError, match="restore only into an empty database"):
        call_command("restore", str(folder / "database.dump"), "--media-root", str(tmp_path / "m"))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_dump(demo, tmp_path, scratch_database):
    call_command("backup", "--output", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    with open(folder / "database.dump", "ab") as dump:
        dump.write(b"tampered")
    with pytest.raises(CommandError, match="damaged"):
        call_command(
            "restore", str(folder / "database.dump"), "--database-url", _url(scratch_database)
        )


def test_backup_says_so_when_no_client_matches_the_server(monkeypatch):
    monkeypatch.setattr(backups, "_client_major_version", lambda program: 9)
    with pytest.raises(backups.BackupError, match="No pg_dump for PostgreSQL 15"):
        backups.find_client("pg_dump", 15)
