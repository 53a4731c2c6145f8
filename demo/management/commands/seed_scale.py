"""Build a large world on top of the demo cast, for measuring the pages at scale.

    python manage.py seed_scale --lessons 100000

About 50 networks, 200 countries, 5,000 officials and N lessons with Zipf-distributed comments
(about ten per lesson), endorsements, tags and working groups, plus the fixed lessons with
exactly 20, 200 and 1,000 comments and the 16 benchmark officials of `demo/scale.py`.
Smaller worlds scale down with --lessons (or name --networks, --countries, --officials).

Deterministic: the same --seed on the same demo world builds the same rows. Rows go in with
PostgreSQL's COPY (measured: `bulk_create` took several times as long for the comments), in
one transaction, then the search index is written in SQL (`search.index.reindex_lessons`,
as the services would, the comments with their lessons) and `VACUUM ANALYZE` runs. It refuses
to run twice on one database (start from a fresh one), and, like seed_demo, with DEBUG off
unless --force.
"""

import io
import json
import random
import time
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from demo import scale
from demo.management.commands.seed_demo import DEMO_PASSWORD
from discussion.models import Comment, Follow
from lessons.models import Audience, Endorsement, Lesson, PolicyArea, Tag, TechnologyArea
from networks.models import (
    Attribution,
    Country,
    GovernmentDomain,
    Membership,
    Network,
    NetworkCountry,
    User,
    WorkingGroup,
)
from search.index import reindex_lessons

DEFAULT_SEED = 2026
# Every timestamp is counted back from here, not from now, so that a seed builds the same rows.
REFERENCE_TIME = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
BENCHMARK_NETWORK_SLUG = "scale-open-government"
BENCHMARK_NETWORK_NAME = "Open Government Exchange"
COMMENTS_PER_LESSON = 10  # on average, over the published lessons
MAX_COMMENTS_PER_LESSON = 1500
ENDORSEMENTS_PER_LESSON = 3
REINDEX_BATCH = 5000

# Word lists for names and text. Small, but enough to make pages, lists and searches look real.
FIRST_NAMES = [
    "Ana",
    "Amara",
    "Ben",
    "Chen",
    "Diego",
    "Elif",
    "Emma",
    "Fatima",
    "Hana",
    "Ines",
    "Ivan",
    "Jonas",
    "Kaito",
    "Lars",
    "Leila",
    "Liam",
    "Maya",
    "Mei",
    "Nadia",
    "Nikos",
    "Omar",
    "Pablo",
    "Priya",
    "Rafael",
    "Sara",
    "Sofia",
    "Tariq",
    "Tomas",
    "Yara",
    "Zanele",
    "Aiko",
    "Bruno",
    "Clara",
    "Dmitri",
    "Esther",
    "Farid",
    "Grace",
    "Hugo",
    "Ingrid",
    "Jamal",
    "Keiko",
    "Lucas",
    "Marta",
    "Noor",
    "Oskar",
    "Paula",
    "Rohan",
    "Selin",
]
LAST_NAMES = [
    "Almeida",
    "Andersen",
    "Banda",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Kim",
    "Larsen",
    "Mensah",
    "Moreau",
    "Nakamura",
    "Novak",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Sato",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Wong",
    "Yilmaz",
    "Zhou",
    "Abebe",
    "Bakker",
    "Cruz",
    "Diallo",
    "Estrada",
    "Farah",
    "Gomez",
    "Horvat",
    "Ito",
    "Jovanovic",
    "Keller",
]
JOB_TITLES = [
    "Digital Services Lead",
    "Chief Data Officer",
    "Head of Digital Identity",
    "Service Designer",
    "Policy Adviser",
    "Enterprise Architect",
    "Head of Procurement",
    "Chief Information Security Officer",
    "Product Manager",
    "Deputy Director, Digital Government",
]
ORGANISATIONS = [
    "Ministry of Digital Affairs",
    "Government Digital Service",
    "National Data Agency",
    "Tax Administration",
    "Ministry of Health",
    "Social Security Institute",
    "Cabinet Office",
    "Ministry of Finance",
    "Digital Identity Authority",
    "Public Procurement Agency",
]
COUNTRY_SYLLABLES = [
    "al",
    "an",
    "ar",
    "ba",
    "bel",
    "bor",
    "ca",
    "dor",
    "el",
    "en",
    "gal",
    "ha",
    "is",
    "ka",
    "lan",
    "lor",
    "ma",
    "mon",
    "na",
    "nor",
    "or",
    "pa",
    "ra",
    "ria",
    "sal",
    "sta",
    "ta",
    "tan",
    "ur",
    "va",
    "vi",
    "za",
]
COUNTRY_ENDINGS = ["ia", "land", "stan", "ora", "ania", "ica", "esia", "is", "ova", "ary"]
NETWORK_THEMES = [
    "Digital Public Infrastructure",
    "Open Data",
    "GovTech",
    "Digital Identity",
    "Cloud Government",
    "Public Sector AI",
    "Cyber Resilience",
    "Service Design",
    "Digital Health",
    "Payments Interoperability",
    "Data Exchange",
    "Digital Inclusion",
]
NETWORK_KINDS = ["Network", "Forum", "Alliance", "Circle", "Partnership", "Peer Group"]
NETWORK_REGIONS = [
    "Nordic-Baltic",
    "Pacific",
    "Andean",
    "African",
    "Mediterranean",
    "Atlantic",
    "Asian",
    "Caribbean",
    "Global",
    "Small States",
    "Francophone",
    "Lusophone",
]
GROUP_TOPICS = [
    "Digital identity",
    "Cloud procurement",
    "AI in public services",
    "Open source",
    "Data sharing",
    "Cybersecurity",
    "Payments",
    "Accessibility",
    "Digital skills",
    "Health records",
]
TAG_WORDS = [
    "adoption",
    "wallet",
    "consent",
    "procurement",
    "cloud",
    "open-source",
    "interoperability",
    "accessibility",
    "privacy",
    "security",
    "identity",
    "payments",
    "data-exchange",
    "api",
    "registry",
    "chatbot",
    "ai",
    "machine-learning",
    "ethics",
    "inclusion",
    "skills",
    "agile",
    "legacy",
    "migration",
    "mainframe",
    "vendor-lock-in",
    "standards",
    "open-data",
    "transparency",
    "e-signature",
    "health-records",
    "tax",
    "social-protection",
    "justice",
    "elections",
    "census",
    "land-registry",
    "education",
    "mobile",
    "sms",
    "offline",
    "rural",
    "trust",
    "fraud",
    "audit",
    "budget",
    "change-management",
    "leadership",
    "user-research",
    "design-system",
    "gov-cloud",
    "residency",
    "encryption",
    "biometrics",
    "onboarding",
    "call-centre",
    "kpis",
    "dashboards",
]

# Per language: openings, subjects, verbs, objects and endings of sentences.
TEXT = {
    "en": {
        "subjects": [
            "The pilot",
            "Our team",
            "The ministry",
            "The new service",
            "The vendor",
            "Front-line staff",
            "Citizens",
            "The data office",
            "The steering group",
            "Local governments",
        ],
        "verbs": [
            "underestimated",
            "simplified",
            "rebuilt",
            "measured",
            "published",
            "tested",
            "delayed",
            "opened up",
            "replaced",
            "negotiated",
        ],
        "objects": [
            "the enrolment process",
            "the identity checks",
            "the procurement rules",
            "the legacy database",
            "the consent screens",
            "the service standard",
            "the data sharing agreement",
            "the cloud contract",
            "the user research",
            "the help desk",
        ],
        "endings": [
            "before the national launch.",
            "in the first six months.",
            "with three regional offices.",
            "after a public consultation.",
            "because the law had changed.",
            "and adoption doubled.",
            "while budgets were frozen.",
            "with help from open-source peers.",
        ],
        "titles": [
            "{topic}: {finding}",
            "What we learned rolling out {topic_lower}",
            "{topic} at scale: {finding}",
            "Why our {topic_lower} project {outcome}",
        ],
        "findings": [
            "trust came before features",
            "the contract was the hard part",
            "users wanted fewer steps",
            "legacy data slowed everything",
            "small teams moved faster",
            "the law had to change first",
            "open standards paid off",
            "support staff made the difference",
        ],
        "outcomes": ["stalled", "worked", "took twice as long", "surprised us"],
    },
    "fr": {
        "subjects": [
            "Le pilote",
            "Notre équipe",
            "Le ministère",
            "Le nouveau service",
            "Les agents",
        ],
        "verbs": ["a simplifié", "a reconstruit", "a mesuré", "a publié", "a testé", "a retardé"],
        "objects": [
            "le parcours d'inscription",
            "les contrôles d'identité",
            "les règles d'achat public",
            "la base de données historique",
            "le contrat d'hébergement",
        ],
        "endings": [
            "avant le lancement national.",
            "pendant les six premiers mois.",
            "après une consultation publique.",
            "et l'adoption a doublé.",
        ],
        "titles": ["{topic} : {finding}", "Ce que nous avons appris : {finding}"],
        "findings": [
            "la confiance avant les fonctionnalités",
            "le contrat était le plus difficile",
            "les usagers voulaient moins d'étapes",
            "les normes ouvertes ont payé",
        ],
        "outcomes": ["a calé", "a fonctionné"],
    },
    "es": {
        "subjects": ["El piloto", "Nuestro equipo", "El ministerio", "El nuevo servicio"],
        "verbs": ["simplificó", "reconstruyó", "midió", "publicó", "probó", "retrasó"],
        "objects": [
            "el proceso de registro",
            "los controles de identidad",
            "las reglas de contratación",
            "la base de datos heredada",
            "el contrato de nube",
        ],
        "endings": [
            "antes del lanzamiento nacional.",
            "en los primeros seis meses.",
            "después de una consulta pública.",
            "y la adopción se duplicó.",
        ],
        "titles": ["{topic}: {finding}", "Lo que aprendimos: {finding}"],
        "findings": [
            "la confianza antes que las funciones",
            "el contrato fue lo más difícil",
            "los usuarios querían menos pasos",
            "los estándares abiertos valieron la pena",
        ],
        "outcomes": ["se estancó", "funcionó"],
    },
    "pt": {
        "subjects": ["O piloto", "A nossa equipa", "O ministério", "O novo serviço"],
        "verbs": ["simplificou", "reconstruiu", "mediu", "publicou", "testou", "atrasou"],
        "objects": [
            "o processo de registo",
            "os controlos de identidade",
            "as regras de contratação",
            "a base de dados antiga",
            "o contrato de nuvem",
        ],
        "endings": [
            "antes do lançamento nacional.",
            "nos primeiros seis meses.",
            "depois de uma consulta pública.",
            "e a adoção duplicou.",
        ],
        "titles": ["{topic}: {finding}", "O que aprendemos: {finding}"],
        "findings": [
            "a confiança antes das funcionalidades",
            "o contrato foi o mais difícil",
            "os utilizadores queriam menos passos",
            "as normas abertas compensaram",
        ],
        "outcomes": ["parou", "funcionou"],
    },
}
LANGUAGE_WEIGHTS = [("en", 70), ("fr", 10), ("es", 12), ("pt", 8)]
COMMENT_PHRASES = [
    "We saw the same thing in our rollout.",
    "How did you handle the procurement side?",
    "Thank you for sharing this, very useful for our team.",
    "Did the law need to change first, or could you pilot without it?",
    "We tried this and the support costs surprised us.",
    "Could you share the evaluation report?",
    "Our experience was different: adoption grew only after the app store listing.",
    "Interesting. What did the front-line staff think?",
    "We would be glad to compare notes at the next meeting.",
    "The point about legacy data is spot on.",
]
ENDORSEMENT_NOTES = [
    "We moved enrolment closer to people, as suggested.",
    "Applied in our tax service; call volumes fell.",
    "We adapted the procurement clauses.",
    "Used the hand-over design in our chatbot.",
]


class Copier:
    """Rows into a table with COPY: much faster than INSERT for a million rows."""

    def __init__(self, cursor):
        self.cursor = cursor

    @staticmethod
    def _value(value):
        if value is None:
            return r"\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, list):
            items = ",".join('"' + str(item).replace('"', r"\"") + '"' for item in value)
            value = "{" + items + "}"
        elif isinstance(value, dict):
            value = json.dumps(value)
        text = str(value)
        return (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )

    def copy(self, model, fields, rows):
        """COPY `rows` (tuples in the order of `fields`, model field names) into the model's
        table; returns how many."""
        meta = model._meta
        # A column added later with a default (another issue's) gets it, so loading still works;
        # so does a text column without one (its default is the empty string, e.g. the search
        # configuration, which the reindex at the end writes).
        defaults = [
            field
            for field in meta.concrete_fields
            if field.name not in fields
            and not field.primary_key
            and not field.null
            and (field.has_default() or field.empty_strings_allowed)
        ]
        fields = [*fields, *(field.name for field in defaults)]
        tail = "".join("\t" + self._value(field.get_default()) for field in defaults)
        columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
        table = connection.ops.quote_name(meta.db_table)
        buffer = io.StringIO()
        count = 0
        for row in rows:
            buffer.write("\t".join(self._value(value) for value in row))
            buffer.write(tail)
            buffer.write("\n")
            count += 1
        buffer.seek(0)
        self.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        return count

    def copy_through(self, through, left, right, pairs):
        """COPY (left id, right id) pairs into a many-to-many table."""
        return self.copy(through, [left, right], pairs)

    def next_id(self, model):
        table = connection.ops.quote_name(model._meta.db_table)
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608  # nosec B608
        return self.cursor.fetchone()[0]

    def sync_sequence(self, model):
        """After explicit ids: the next INSERT gets an id above them."""
        last = self.next_id(model) - 1
        self.cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [model._meta.db_table, max(last, 1)],
        )


def zipf_counts(rng, size, total, *, exponent, cap):
    """`size` counts summing to about `total`, Zipf-distributed over a random order (rank r gets
    a share proportional to 1/r**exponent), none above `cap`."""
    if size == 0:
        return []
    weights = [1 / (rank**exponent) for rank in range(1, size + 1)]
    scale_by = total / sum(weights)
    for _ in range(3):  # capping loses rows: spread them over the rest
        counts = [min(cap, w * scale_by) for w in weights]
        missing = total - sum(counts)
        uncapped = sum(w for w, c in zip(weights, counts, strict=True) if c < cap)
        if missing <= 1 or not uncapped:
            break
        scale_by += missing / uncapped
    # Random rounding keeps the sum and gives the long tail its ones and zeros.
    result = [int(c) + (rng.random() < c - int(c)) for c in counts]
    rng.shuffle(result)
    return result


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
        self.started = time.monotonic()
        if not Network.objects.filter(slug="digital-nations").exists():
            self.say("The demo world is missing: running seed_demo first.")
            call_command("seed_demo", force=True, stdout=self.stdout)
        sizes = {
            "lessons": lessons,
            "networks": networks or min(50, max(4, lessons // 2000)),
            "countries": countries or min(200, max(20, lessons // 500)),
            "officials": max(
                scale.BENCHMARK_OFFICIAL_COUNT + 20,
                officials or min(5000, max(60, lessons // 20)),
            ),
        }
        self.say("Building " + ", ".join(f"{value:,} {name}" for name, value in sizes.items()))
        # Test data, not secrets: a seeded generator, so that a seed builds the same world.
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311
        with transaction.atomic(), connection.cursor() as cursor:
            self.copier = Copier(cursor)
            self.build(**sizes)
            self.say("Writing the search index")
            ids = list(Lesson.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), REINDEX_BATCH):
                reindex_lessons(ids[start : start + REINDEX_BATCH])
                self.say(f"{min(start + REINDEX_BATCH, len(ids)):,} of {len(ids):,} indexed")
        if not options["no_vacuum"]:
            self.say("VACUUM ANALYZE")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.report()

    def say(self, message):
        elapsed = time.monotonic() - self.started if hasattr(self, "started") else 0
        self.stdout.write(f"[{elapsed:6.1f}s] {message}")
        self.stdout.flush()

    def report(self):
        counts = {
            "countries": Country.objects.count(),
            "networks": Network.objects.count(),
            "officials": User.objects.count(),
            "memberships": Membership.objects.count(),
            "working groups": WorkingGroup.objects.count(),
            "lessons": Lesson.objects.count(),
            "published lessons": Lesson.objects.filter(state=Lesson.State.PUBLISHED).count(),
            "public lessons": Lesson.objects.filter(
                state=Lesson.State.PUBLISHED, audience=Audience.PUBLIC
            ).count(),
            "comments": Comment.objects.count(),
            "endorsements": Endorsement.objects.count(),
            "tags": Tag.objects.count(),
            "lesson tags": Lesson.tags.through.objects.count(),
        }
        for name, value in counts.items():
            self.stdout.write(f"  {name}: {value:,}")
        elapsed = time.monotonic() - self.started
        self.stdout.write(self.style.SUCCESS(f"The scale world is ready ({elapsed:.0f} s)."))

    # The world, table by table

    def build(self, *, lessons, networks, countries, officials):
        self.password = make_password(DEMO_PASSWORD)  # hashed once: one hash for everyone
        self.build_countries(countries)
        self.build_networks(networks)
        self.build_officials(officials)
        self.build_memberships()
        self.build_working_groups()
        self.build_tags()
        self.build_lessons(lessons)
        self.build_comments(lessons)
        self.build_endorsements()

    def when(self, days_back_max, days_back_min=0):
        seconds = self.rng.randint(int(days_back_min * 86400), int(days_back_max * 86400))
        return REFERENCE_TIME - timedelta(seconds=seconds)

    def build_countries(self, total):
        rng = self.rng
        existing = list(Country.objects.order_by("pk"))
        codes = {c.code for c in existing}
        names = {c.name for c in existing}
        free_codes = [
            a + b
            for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            if a + b not in codes
        ]
        rng.shuffle(free_codes)
        rows = []
        next_id = self.copier.next_id(Country)
        while len(existing) + len(rows) < total:
            name = (
                "".join(rng.choice(COUNTRY_SYLLABLES) for _ in range(rng.randint(1, 2)))
                + rng.choice(COUNTRY_ENDINGS)
            ).capitalize()
            if name in names:
                continue
            names.add(name)
            rows.append((next_id + len(rows), free_codes.pop(), name))
        self.copier.copy(Country, ["id", "code", "name"], rows)
        self.copier.copy(
            GovernmentDomain,
            ["country", "domain"],
            [(pk, f"gov.{code.lower()}.{scale.BENCHMARK_EMAIL_DOMAIN}") for pk, code, _ in rows],
        )
        self.copier.sync_sequence(Country)
        self.copier.sync_sequence(GovernmentDomain)
        self.countries = [c.pk for c in existing] + [row[0] for row in rows]
        self.domains = {c.pk: f"gov.{c.code.lower()}.scale" for c in existing}
        self.domains.update({pk: f"gov.{code.lower()}.scale" for pk, code, _ in rows})
        self.say(f"{len(rows):,} countries added ({len(self.countries):,} in all)")

    def build_networks(self, total):
        rng = self.rng
        demo = list(Network.objects.order_by("pk"))
        taken = {n.name for n in demo}
        next_id = self.copier.next_id(Network)
        rows = []
        # The benchmark's network first: the largest, holding the fixed discussions.
        wanted = [BENCHMARK_NETWORK_NAME]
        while len(demo) + len(wanted) < total:
            name = " ".join(
                [rng.choice(NETWORK_REGIONS), rng.choice(NETWORK_THEMES), rng.choice(NETWORK_KINDS)]
            )
            if name not in taken and name not in wanted:
                wanted.append(name)
        for index, name in enumerate(wanted):
            slug = BENCHMARK_NETWORK_SLUG if index == 0 else slugify(name)[:90]
            rows.append(
                (
                    next_id + index,
                    name,
                    slug,
                    f"Officials of {name} share what worked and what didn't in {name.lower()}.",
                    True,
                    index != 0 and rng.random() < 0.2,  # the benchmark's network publishes at once
                    3,
                    rng.choice(list(Attribution)).value,
                    self.when(2000, 400),
                )
            )
        self.copier.copy(
            Network,
            [
                "id",
                "name",
                "slug",
                "purpose",
                "is_listed",
                "requires_review",
                "flag_threshold",
                "default_attribution",
                "created_at",
            ],
            rows,
        )
        self.copier.sync_sequence(Network)
        self.benchmark_network = rows[0][0]
        self.new_networks = [row[0] for row in rows]
        self.networks = [n.pk for n in demo] + self.new_networks
        # Member countries: the demo networks keep theirs; every country belongs to 1-3 networks
        # and the benchmark's network has the most (the benchmark officials come from its first).
        existing = set(NetworkCountry.objects.values_list("network_id", "country_id"))
        links = set(existing)
        new_networks = self.new_networks
        for country in self.countries:
            for network in rng.sample(new_networks, k=min(len(new_networks), rng.randint(1, 3))):
                links.add((network, country))
        for country in rng.sample(self.countries, k=min(len(self.countries), 25)):
            links.add((self.benchmark_network, country))
        added = sorted(links - existing)
        self.copier.copy(
            NetworkCountry,
            ["network", "country", "is_active", "joined_on"],
            [(n, c, rng.random() > 0.02, self.when(1500, 30).date()) for n, c in added],
        )
        self.network_countries = {}
        for network, country in NetworkCountry.objects.filter(is_active=True).values_list(
            "network_id", "country_id"
        ):
            self.network_countries.setdefault(network, []).append(country)
        self.say(f"{len(rows):,} networks added, {len(added):,} member countries")

    def build_officials(self, total):
        rng = self.rng
        next_id = self.copier.next_id(User)
        benchmark_countries = sorted(self.network_countries[self.benchmark_network])
        rows = []
        for index in range(total):
            pk = next_id + index
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if index < scale.BENCHMARK_OFFICIAL_COUNT:
                email = scale.benchmark_email(index + 1)
                country = benchmark_countries[index % len(benchmark_countries)]
            else:
                country = rng.choice(self.countries)
                email = f"{first}.{last}.{pk}@{self.domains[country]}.minilateral.test".lower()
            rows.append(
                (
                    pk,
                    self.password,
                    False,
                    email,
                    f"{first} {last}",
                    rng.choice(JOB_TITLES),
                    rng.choice(ORGANISATIONS),
                    country,
                    ["en"] if rng.random() < 0.7 else ["en", rng.choice(["fr", "es", "pt"])],
                    "",
                    None,
                    False,
                    True,
                    self.when(1500, 60),
                )
            )
        fields = [
            "id",
            "password",
            "is_superuser",
            "email",
            "full_name",
            "job_title",
            "organisation",
            "country",
            "languages",
            "bio",
            "deactivated_at",
            "is_staff",
            "is_active",
            "date_joined",
        ]
        self.copier.copy(User, fields, rows)
        self.copier.sync_sequence(User)
        self.copier.copy(
            EmailAddress,
            ["user", "email", "verified", "primary"],
            [(row[0], row[3], True, True) for row in rows],
        )
        self.officials = {row[0]: row[7] for row in rows}  # id: country id
        self.benchmark_ids = [row[0] for row in rows[: scale.BENCHMARK_OFFICIAL_COUNT]]
        self.say(f"{len(rows):,} officials added")

    def build_memberships(self):
        """Each official joins 1-3 networks their country belongs to; each new network gets a
        convenor and moderators. The benchmark officials are plain members (no MFA needed) of
        the benchmark's network."""
        rng = self.rng
        networks_of_country = {}
        for network, countries in self.network_countries.items():
            for country in countries:
                networks_of_country.setdefault(country, []).append(network)
        memberships = {}  # (user, network): (role, state)
        for user, country in self.officials.items():
            candidates = networks_of_country.get(country, [])
            if not candidates:
                continue
            for network in rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3))):
                state = Membership.State.ACTIVE
                if rng.random() < 0.04:
                    state = rng.choice([Membership.State.SUSPENDED, Membership.State.LEFT])
                memberships[(user, network)] = [Membership.Role.MEMBER, state]
        for user in self.benchmark_ids:
            memberships[(user, self.benchmark_network)] = [
                Membership.Role.MEMBER,
                Membership.State.ACTIVE,
            ]
        # The benchmark's network is the largest: a fifth of the officials of its countries.
        benchmark_countries = set(self.network_countries[self.benchmark_network])
        for user, country in self.officials.items():
            if country in benchmark_countries and rng.random() < 0.5:
                memberships.setdefault(
                    (user, self.benchmark_network),
                    [Membership.Role.MEMBER, Membership.State.ACTIVE],
                )
        by_network = {}
        for (user, network), (_, state) in memberships.items():
            if state == Membership.State.ACTIVE and user not in self.benchmark_ids:
                by_network.setdefault(network, []).append(user)
        # Each new network gets a convenor and two moderators; the demo networks keep their own.
        self.moderators = {}
        for network, users in sorted(by_network.items()):
            if network not in self.new_networks:
                continue
            users.sort()
            chosen = rng.sample(users, k=min(3, len(users)))
            for position, user in enumerate(chosen):
                role = Membership.Role.CONVENOR if position == 0 else Membership.Role.MODERATOR
                memberships[(user, network)][0] = role
            self.moderators[network] = chosen
        rows = [
            (user, network, role.value, state.value, when, when)
            for (user, network), (role, state) in sorted(memberships.items())
            for when in [self.when(1000, 10)]
        ]
        self.copier.copy(
            Membership, ["user", "network", "role", "state", "created_at", "updated_at"], rows
        )
        # Who may write and discuss in each network: its active members with an active country.
        self.active_members = {}
        for (user, network), (_, state) in sorted(memberships.items()):
            if state == Membership.State.ACTIVE and self.officials[
                user
            ] in self.network_countries.get(network, ()):
                self.active_members.setdefault(network, []).append(user)
        self.say(f"{len(rows):,} memberships added")

    def build_working_groups(self):
        rng = self.rng
        next_id = self.copier.next_id(WorkingGroup)
        rows, pairs = [], []
        self.groups = {}  # network: [(group id, [member ids])]
        for network in self.networks:
            members = self.active_members.get(network, [])
            # The demo networks have their groups already.
            if network not in self.new_networks:
                continue
            if len(members) < 8:
                continue
            for topic in rng.sample(GROUP_TOPICS, k=rng.randint(1, 4)):
                pk = next_id + len(rows)
                rows.append(
                    (
                        pk,
                        network,
                        topic,
                        slugify(topic),
                        f"{topic}: a small circle.",
                        False,
                        self.when(900, 30),
                    )
                )
                chosen = sorted(rng.sample(members, k=min(len(members), rng.randint(4, 25))))
                pairs.extend((pk, user) for user in chosen)
                self.groups.setdefault(network, []).append((pk, chosen))
        self.copier.copy(
            WorkingGroup,
            ["id", "network", "name", "slug", "purpose", "is_archived", "created_at"],
            rows,
        )
        self.copier.sync_sequence(WorkingGroup)
        through = WorkingGroup.members.through
        self.copier.copy_through(through, "workinggroup", "user", pairs)
        self.say(f"{len(rows):,} working groups added, {len(pairs):,} places in them")

    def build_tags(self):
        rng = self.rng
        names = set(TAG_WORDS)
        for first in TAG_WORDS[:20]:
            for second in rng.sample(TAG_WORDS, k=8):
                if first != second:
                    names.add(f"{first} {second}")
        existing = set(Tag.objects.values_list("name", flat=True))
        wanted = sorted({name.replace("-", " ") for name in names} - existing)
        self.copier.copy(Tag, ["name"], [(name,) for name in wanted])
        self.tags = sorted(Tag.objects.values_list("pk", flat=True))
        rng.shuffle(self.tags)  # popularity follows this order: Zipf over the shuffled tags
        self.tag_weights = list(accumulate(1 / rank for rank in range(1, len(self.tags) + 1)))
        self.technology_areas = sorted(TechnologyArea.objects.values_list("pk", "name"))
        self.policy_areas = sorted(PolicyArea.objects.values_list("pk", flat=True))
        self.say(f"{len(wanted):,} tags added")

    def sentence(self, language):
        words = TEXT[language]
        rng = self.rng
        return " ".join(
            [
                rng.choice(words["subjects"]),
                rng.choice(words["verbs"]),
                rng.choice(words["objects"]),
                rng.choice(words["endings"]),
            ]
        )

    def paragraph(self, language, low=1, high=3):
        return " ".join(self.sentence(language) for _ in range(self.rng.randint(low, high)))

    def title(self, language, topic):
        words = TEXT[language]
        return (
            self.rng.choice(words["titles"])
            .format(
                topic=topic,
                topic_lower=topic.lower(),
                finding=self.rng.choice(words["findings"]),
                outcome=self.rng.choice(words["outcomes"]),
            )
            .capitalize()[:200]
        )

    def build_lessons(self, total):
        rng = self.rng
        next_id = self.copier.next_id(Lesson)
        networks = [n for n in self.networks if self.active_members.get(n)]
        networks.remove(self.benchmark_network)
        networks.insert(0, self.benchmark_network)
        weights = [1 / (rank**0.8) for rank in range(1, len(networks) + 1)]
        fixed = [(size, self.benchmark_network) for size in scale.DISCUSSION_SIZES]
        placed = fixed + [(None, n) for n in rng.choices(networks, weights, k=total - len(fixed))]
        languages, language_weights = zip(*LANGUAGE_WEIGHTS, strict=True)
        rows, tag_pairs, follows = [], [], []
        self.lesson_space = {}  # lesson id: (network, group, readers who may discuss, author)
        self.fixed_lessons = {}
        states = [
            (Lesson.State.PUBLISHED, 88),
            (Lesson.State.DRAFT, 6),
            (Lesson.State.IN_REVIEW, 2),
            (Lesson.State.WITHDRAWN, 4),
        ]
        state_values, state_weights = zip(*states, strict=True)
        for index, (size, network) in enumerate(placed):
            pk = next_id + index
            group, space = None, self.active_members[network]
            groups = self.groups.get(network)
            if size is None and groups and rng.random() < 0.15:
                group, space = rng.choice(groups)
            author = rng.choice(self.benchmark_ids if size else space)
            language = "en" if size else rng.choices(languages, language_weights)[0]
            area, area_name = rng.choice(self.technology_areas)
            state = Lesson.State.PUBLISHED if size else rng.choices(state_values, state_weights)[0]
            if group is not None and rng.random() < 0.6:
                audience = Audience.GROUP
            elif size:
                audience = Audience.NETWORK
            else:
                audience = rng.choices(
                    [Audience.NETWORK, Audience.ALL_NETWORKS, Audience.PUBLIC], [60, 25, 15]
                )[0]
            created = self.when(2200, 20)
            published = None
            if state in (Lesson.State.PUBLISHED, Lesson.State.WITHDRAWN):
                published = created + timedelta(days=rng.randint(0, 10))
            title = scale.discussion_title(size) if size else self.title(language, area_name)
            summary = self.paragraph(language, 1, 2)
            sections = [self.paragraph(language) for _ in Lesson.SECTIONS]
            for empty in rng.sample(range(len(sections)), k=rng.randint(0, 3)):
                if Lesson.SECTIONS[empty] not in ("worked", "did_not_work"):
                    sections[empty] = ""
            rows.append(
                (
                    pk,
                    network,
                    group,
                    author,
                    self.officials[author],
                    rng.choice(ORGANISATIONS),
                    title,
                    summary,
                    area,
                    rng.choice(self.policy_areas) if rng.random() < 0.8 else None,
                    rng.choice(list(Lesson.Stage)).value,
                    rng.randint(2015, 2026),
                    *sections,
                    rng.choice(list(Lesson.Outcome)).value,
                    language,
                    audience.value,
                    rng.choices(list(Attribution), [30, 30, 40])[0].value,
                    state.value,
                    "",
                    False,
                    1,
                    False,  # featured: a few per network, below
                    False,
                    "",
                    created,
                    published or created,
                    published,
                    published + timedelta(days=30) if state == Lesson.State.WITHDRAWN else None,
                    "",
                    [],
                )
            )
            for tag in set(
                rng.choices(self.tags, cum_weights=self.tag_weights, k=rng.randint(1, 5))
            ):
                tag_pairs.append((pk, tag))
            follows.append((author, pk, created))
            if state == Lesson.State.PUBLISHED or state == Lesson.State.WITHDRAWN:
                self.lesson_space[pk] = (network, group, space, author, published)
            if size:
                self.fixed_lessons[size] = pk
        fields = [
            "id",
            "network",
            "working_group",
            "author",
            "author_country",
            "organisation",
            "title",
            "summary",
            "technology_area",
            "policy_area",
            "stage",
            "year",
            *Lesson.SECTIONS,
            "outcome",
            "language",
            "audience",
            "attribution",
            "state",
            "review_message",
            "comments_locked",
            "version",
            "is_featured",
            "is_hidden",
            "hidden_reason",
            "created_at",
            "updated_at",
            "published_at",
            "withdrawn_at",
            "search_config",
            "search_tags",
        ]
        self.copier.copy(Lesson, fields, rows)
        self.copier.sync_sequence(Lesson)
        tag_pairs = sorted(set(tag_pairs))
        self.copier.copy_through(Lesson.tags.through, "lesson", "tag", tag_pairs)
        self.copier.copy(
            Follow,
            ["user", "lesson", "created_at"],
            follows,
        )
        # A few featured lessons at the top of each network's home.
        featured = []
        by_network = {}
        for pk, (network, group, *_rest) in sorted(self.lesson_space.items()):
            if group is None and pk not in self.fixed_lessons.values():
                by_network.setdefault(network, []).append(pk)
        for _network, ids in sorted(by_network.items()):
            featured.extend(rng.sample(ids, k=min(3, len(ids))))
        Lesson.objects.filter(pk__in=featured, state=Lesson.State.PUBLISHED).update(
            is_featured=True
        )
        self.say(f"{len(rows):,} lessons added, {len(tag_pairs):,} tags on them")

    def build_comments(self, total_lessons):
        rng = self.rng
        discussed = sorted(pk for pk in self.lesson_space if pk not in self.fixed_lessons.values())
        counts = zipf_counts(
            rng,
            len(discussed),
            COMMENTS_PER_LESSON * total_lessons,
            exponent=0.8,
            cap=MAX_COMMENTS_PER_LESSON,
        )
        plan = list(zip(discussed, counts, strict=True))
        plan += [(pk, size) for size, pk in sorted(self.fixed_lessons.items())]
        fields = [
            "id",
            "lesson",
            "author",
            "parent",
            "body",
            "created_at",
            "edited_at",
            "deleted_at",
            "is_hidden",
            "hidden_by",
            "hidden_reason",
        ]
        next_id = self.copier.next_id(Comment)
        written = 0
        rows, mentions = [], []
        names = dict(User.objects.filter(pk__in=self.officials).values_list("pk", "full_name"))
        for lesson, count in plan:
            if not count:
                continue
            network, _group, space, author, published = self.lesson_space[lesson]
            fixed = lesson in self.fixed_lessons.values()
            people = self.benchmark_ids + space[:40] if fixed else space
            moderators = self.moderators.get(network, [])
            offsets = sorted(rng.randint(60, 120 * 86400) for _ in range(count))
            tops = []
            for offset in offsets:
                pk = next_id + written
                written += 1
                commenter = rng.choice(people)
                parent = rng.choice(tops) if tops and rng.random() < 0.35 else None
                if parent is None:
                    tops.append(pk)
                body = " ".join(rng.sample(COMMENT_PHRASES, k=rng.randint(1, 3)))
                if rng.random() < 0.03 and commenter != author and names.get(author):
                    body = f"@{names[author]} {body}"
                    mentions.append((pk, author))
                posted = published + timedelta(seconds=offset)
                roll = rng.random()
                hidden = roll < 0.005 and bool(moderators)
                rows.append(
                    (
                        pk,
                        lesson,
                        commenter,
                        parent,
                        body,
                        posted,
                        posted + timedelta(hours=2) if 0.005 <= roll < 0.035 else None,
                        posted + timedelta(days=1) if 0.035 <= roll < 0.045 else None,
                        hidden,
                        moderators[0] if hidden else None,
                        "Off topic." if hidden else "",
                    )
                )
            if len(rows) >= 100_000:
                self.copier.copy(Comment, fields, rows)
                self.say(f"{written:,} comments")
                rows = []
        self.copier.copy(Comment, fields, rows)
        self.copier.sync_sequence(Comment)
        self.copier.copy_through(Comment.mentions.through, "comment", "user", mentions)
        self.say(f"{written:,} comments added, {len(mentions):,} mentions")

    def build_endorsements(self):
        rng = self.rng
        lessons = sorted(self.lesson_space)
        counts = zipf_counts(
            rng, len(lessons), ENDORSEMENTS_PER_LESSON * len(lessons), exponent=0.7, cap=200
        )
        kinds = [Endorsement.Kind.USEFUL, Endorsement.Kind.TRYING, Endorsement.Kind.APPLIED]
        rows = []
        for lesson, count in zip(lessons, counts, strict=True):
            _network, _group, space, author, published = self.lesson_space[lesson]
            if not count:
                continue
            # Sampling one more and dropping the author is much cheaper than copying the space.
            readers = [u for u in rng.sample(space, k=min(count + 1, len(space))) if u != author]
            for user in readers[:count]:
                kind = rng.choices(kinds, [60, 25, 15])[0]
                note = rng.choice(ENDORSEMENT_NOTES) if kind == Endorsement.Kind.APPLIED else ""
                rows.append(
                    (
                        lesson,
                        user,
                        kind.value,
                        note,
                        published + timedelta(days=rng.randint(1, 200)),
                    )
                )
        self.copier.copy(Endorsement, ["lesson", "user", "kind", "note", "created_at"], rows)
        self.say(f"{len(rows):,} endorsements added")
