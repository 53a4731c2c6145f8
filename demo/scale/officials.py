"""Who is in the scale world: countries, networks and their member countries, officials,
memberships (with a convenor and moderators in each new network) and working groups."""

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from demo import scale
from demo.scale.words import (
    COUNTRY_ENDINGS,
    COUNTRY_SYLLABLES,
    FIRST_NAMES,
    GROUP_TOPICS,
    JOB_TITLES,
    LAST_NAMES,
    NETWORK_KINDS,
    NETWORK_REGIONS,
    NETWORK_THEMES,
    ORGANISATIONS,
)
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

BENCHMARK_NETWORK_SLUG = "scale-open-government"
BENCHMARK_NETWORK_NAME = "Open Government Exchange"


class OfficialsBuilder:
    """Part of ScaleWorld (demo/scale/world.py): uses its `rng`, `copier`, `password`, `when`
    and `say`, and leaves what the later builders place lessons and comments with:
    `countries`, `networks`, `new_networks`, `benchmark_network`, `network_countries`,
    `officials` ({id: country id}), `benchmark_ids`, `moderators`, `active_members` and
    `groups`."""

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
