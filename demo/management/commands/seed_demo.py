"""Build the demo world of PRODUCT.md: the same small world every time.

Idempotent: running it again changes nothing. Refuses to run with DEBUG off unless --force.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.lessons import seed_lessons
from demo.questions import seed_questions
from networks.models import (
    Attribution,
    Country,
    FocalPoint,
    GovernmentDomain,
    Membership,
    Network,
    NetworkCountry,
    User,
    WorkingGroup,
)

DEMO_PASSWORD = "minilateral-demo-2026"  # nosec B105
# Demo data only: the TOTP secret of every account with a privileged role.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # nosec B105

COUNTRIES = [
    # code, name, government email domains
    ("EE", "Estonia", ["riik.ee"]),
    ("PT", "Portugal", ["gov.pt"]),
    ("UY", "Uruguay", ["gub.uy"]),
    ("KR", "Korea", ["korea.kr"]),
    ("NZ", "New Zealand", ["govt.nz"]),
    ("CA", "Canada", ["canada.ca"]),
    ("DK", "Denmark", ["digst.dk"]),
    ("GB", "United Kingdom", ["gov.uk"]),
    ("MX", "Mexico", ["gob.mx"]),
    ("IL", "Israel", ["gov.il"]),
    ("IN", "India", ["gov.in"]),
    ("KE", "Kenya", ["go.ke"]),
    ("BR", "Brazil", ["gov.br"]),
    ("SG", "Singapore", ["gov.sg"]),
]

NETWORKS = [
    {
        "slug": "digital-nations",
        "name": "Digital Nations",
        "purpose": (
            "A collaborative network of the world's leading digital governments, sharing what "
            "worked and what didn't in digital public services, identity and open standards."
        ),
        "requires_review": False,
        "default_attribution": Attribution.CHATHAM,
        "countries": ["EE", "PT", "UY", "KR", "NZ", "CA", "DK", "GB", "MX", "IL"],
    },
    {
        "slug": "dpi-peer-network",
        "name": "DPI Peer Network",
        "purpose": (
            "Peers building digital public infrastructure (identity, payments and data exchange) "
            "learning from each other's roll-outs."
        ),
        "requires_review": True,
        "default_attribution": Attribution.COUNTRY,
        "countries": ["IN", "KE", "BR", "SG", "EE"],
    },
]

OFFICIALS = [
    # email, full name, country code, job title, organisation
    ("kadri.tamm@riik.ee", "Kadri Tamm", "EE", "Government CIO", "Government Office of Estonia"),
    ("joao.silva@gov.pt", "João Silva", "PT", "Head of Digital Services", "AMA Portugal"),
    ("lucia.perez@gub.uy", "Lucía Pérez", "UY", "Digital Identity Lead", "AGESIC"),
    ("minjun.kim@korea.kr", "Min-jun Kim", "KR", "Deputy Director", "Ministry of the Interior"),
    (
        "aroha.ngata@govt.nz",
        "Aroha Ngata",
        "NZ",
        "Service Design Lead",
        "Department of Internal Affairs",
    ),
    ("priya.sharma@gov.in", "Priya Sharma", "IN", "Director, DPI", "MeitY"),
    ("wanjiru.kamau@go.ke", "Wanjiru Kamau", "KE", "Director of E-Government", "ICT Authority"),
]


Role = Membership.Role
State = Membership.State
MEMBERSHIPS = [
    # email, network slug, role, state
    ("kadri.tamm@riik.ee", "digital-nations", Role.CONVENOR, State.ACTIVE),
    ("joao.silva@gov.pt", "digital-nations", Role.MODERATOR, State.ACTIVE),
    ("lucia.perez@gub.uy", "digital-nations", Role.MEMBER, State.ACTIVE),
    ("minjun.kim@korea.kr", "digital-nations", Role.MEMBER, State.ACTIVE),
    ("aroha.ngata@govt.nz", "digital-nations", Role.MEMBER, State.SUSPENDED),
    ("priya.sharma@gov.in", "dpi-peer-network", Role.MEMBER, State.ACTIVE),
    ("wanjiru.kamau@go.ke", "dpi-peer-network", Role.CONVENOR, State.ACTIVE),
]
FOCAL_POINTS = [
    # email, network slug, country code
    ("joao.silva@gov.pt", "digital-nations", "PT"),
]
WORKING_GROUPS = [
    # network slug, slug, name, purpose, member emails
    (
        "digital-nations",
        "digital-identity",
        "Digital identity",
        "Countries rolling out digital identity wallets compare notes on adoption and trust.",
        ["minjun.kim@korea.kr", "kadri.tamm@riik.ee"],
    ),
    (
        "dpi-peer-network",
        "payments-interoperability",
        "Payments interoperability",
        "Real-time payment systems and how they connect across borders.",
        ["priya.sharma@gov.in", "wanjiru.kamau@go.ke"],
    ),
]
PRIVILEGED = {
    "admin@minilateral.test",
    "kadri.tamm@riik.ee",
    "joao.silva@gov.pt",
    "wanjiru.kamau@go.ke",
}


class Command(BaseCommand):
    help = "Load the demo cast (countries, networks, accounts). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo loads demo accounts with a published password: it runs only with "
                "DEBUG on. Pass --force to run it anyway (never on a production site)."
            )
        with transaction.atomic():
            countries = self.seed_countries()
            self.seed_networks(countries)
            users = self.seed_accounts(countries)
            self.seed_memberships(users)
            seed_lessons(users, {network.slug: network for network in Network.objects.all()})
            seed_questions(users)
        self.stdout.write(self.style.SUCCESS("The demo world is ready."))

    def seed_countries(self):
        countries = {}
        for code, name, domains in COUNTRIES:
            country, _ = Country.objects.get_or_create(code=code, defaults={"name": name})
            for domain in domains:
                GovernmentDomain.objects.get_or_create(domain=domain, defaults={"country": country})
            countries[code] = country
        return countries

    def seed_networks(self, countries):
        for spec in NETWORKS:
            network, _ = Network.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    key: spec[key]
                    for key in ("name", "purpose", "requires_review", "default_attribution")
                },
            )
            for code in spec["countries"]:
                NetworkCountry.objects.get_or_create(network=network, country=countries[code])

    def seed_accounts(self, countries):
        users = {
            "admin@minilateral.test": self._account(
                "admin@minilateral.test", "Platform Admin", None, superuser=True
            )
        }
        for email, name, code, job_title, organisation in OFFICIALS:
            users[email] = self._account(
                email, name, countries[code], job_title=job_title, organisation=organisation
            )
        for email in PRIVILEGED:
            if not Authenticator.objects.filter(
                user=users[email], type=Authenticator.Type.TOTP
            ).exists():
                TOTP.activate(users[email], DEMO_TOTP_SECRET)
        return users

    def seed_memberships(self, users):
        networks = {network.slug: network for network in Network.objects.all()}
        for email, slug, role, state in MEMBERSHIPS:
            Membership.objects.get_or_create(
                user=users[email], network=networks[slug], defaults={"role": role, "state": state}
            )
        for email, slug, code in FOCAL_POINTS:
            link = NetworkCountry.objects.get(network=networks[slug], country__code=code)
            FocalPoint.objects.get_or_create(network_country=link, user=users[email])
        for network_slug, slug, name, purpose, emails in WORKING_GROUPS:
            group, created = WorkingGroup.objects.get_or_create(
                network=networks[network_slug],
                slug=slug,
                defaults={"name": name, "purpose": purpose},
            )
            if created:
                group.members.set([users[email] for email in emails])

    def _account(self, email, full_name, country, *, superuser=False, **profile):
        user = User.objects.filter(email=email).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(email, DEMO_PASSWORD, full_name=full_name, country=country, **profile)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user
