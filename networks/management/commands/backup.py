"""`python manage.py backup [--output DIR]`: the database and the stored files, with a manifest."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from minilateral import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and every stored file, with a manifest "
        "of row counts and checksums, into a new folder under --output."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "backups"),
            help="folder to write the backup folder into (default: ./backups)",
        )

    def handle(self, *args, output, **options):
        try:
            folder = backups.backup(
                settings_dict=connection.settings_dict,
                media_root=settings.MEDIA_ROOT,
                output_dir=output,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {folder}")
        self.stdout.write(f"Restore it with: python manage.py restore {folder / backups.DUMP_NAME}")
