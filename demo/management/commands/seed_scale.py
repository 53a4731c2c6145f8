"""Build a large world on top of the demo cast, for measuring the pages at scale.

    python manage.py seed_scale --lessons 100000

About 50 networks, 200 countries, 5,000 officials and N lessons with Zipf-distributed comments
(about ten per lesson), endorsements, tags and working groups, plus the fixed lessons with
exactly 20, 200 and 1,000 comments and the 16 benchmark officials of `demo/scale/`.
Smaller worlds scale down with --lessons (or name --networks, --countries, --officials).

The building is in demo/scale/ (world.py runs it; the same --seed builds the same rows). This
command refuses to run twice on one database (start from a fresh one), and, like seed_demo,
with DEBUG off unless --force.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import scale
from demo.scale.officials import BENCHMARK_NETWORK_SLUG
from demo.scale.world import DEFAULT_SEED, ScaleWorld
from networks.models import Network


class Command(BaseCommand):
    help = "Build a large world (networks, officials, lessons, comments) on top of the demo cast."

    def add_arguments(self, parser):
        parser.add_argument("--lessons", type=int, default=1000, help="lessons (default 1,000)")
        parser.add_argument("--networks", type=int, help="networks (default: about N/2,000, 4-50)")
        parser.add_argument("--countries", type=int, help="countries (default: N/500, 20-200)")
        parser.add_argument("--officials", type=int, help="officials (default: N/20, 60-5,000)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--no-vacuum", action="store_true", help="skip VACUUM ANALYZE (for tests)"
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, lessons, networks, countries, officials, seed, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_scale loads accounts with the demo's published password: it runs only "
                "with DEBUG on. Pass --force to run it anyway (never on a production site)."
            )
        if lessons < len(scale.DISCUSSION_SIZES) + 10:
            raise CommandError(f"Ask for at least {len(scale.DISCUSSION_SIZES) + 10} lessons.")
        if (
            scale.benchmark_officials().exists()
            or Network.objects.filter(slug=BENCHMARK_NETWORK_SLUG).exists()
        ):
            raise CommandError(
                "seed_scale has already run on this database: it builds its world once. "
                "Run it on a fresh database (migrate, then seed_scale)."
            )
        world = ScaleWorld(seed=seed, stdout=self.stdout, style=self.style)
        world.populate(
            lessons=lessons,
            networks=networks,
            countries=countries,
            officials=officials,
            vacuum=not options["no_vacuum"],
        )
