"""`python manage.py restore FILE`: a backup into an empty database, checked against it."""

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from minilateral import backups


class Command(BaseCommand):
    help = (
        "Restore a backup (the database.dump of a backup folder) into an EMPTY database and "
        "copy its files into MEDIA_ROOT, then check row counts, table contents and file "
        "checksums against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup's database.dump")
        parser.add_argument(
            "--database-url",
            help="restore into this database (postgres://...) instead of the configured one",
        )
        parser.add_argument(
            "--media-root",
            help="copy the files here instead of MEDIA_ROOT",
        )

    def handle(self, *args, file, database_url, media_root, **options):
        settings_dict = (
            dj_database_url.parse(database_url) if database_url else connection.settings_dict
        )
        try:
            manifest = backups.restore(
                dump_file=file,
                settings_dict=settings_dict,
                media_root=media_root or settings.MEDIA_ROOT,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables ({rows} rows) and "
            f"{len(manifest['media'])} files; every one matches the manifest."
        )
