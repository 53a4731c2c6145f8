"""The scale world's lessons: tags, areas, the lessons themselves in four languages (with the
fixed discussions' lessons in the benchmark's network), their tags, followers and featuring."""

from datetime import timedelta
from itertools import accumulate

from demo import scale
from demo.scale.words import LANGUAGE_WEIGHTS, ORGANISATIONS, TAG_WORDS, TEXT
from discussion.models import Follow
from lessons.models import Audience, Lesson, PolicyArea, Tag, TechnologyArea
from networks.models import Attribution


class LessonsBuilder:
    """Part of ScaleWorld (demo/scale/world.py): places lessons in the networks and groups
    that OfficialsBuilder made, and leaves `lesson_space` ({lesson id: (network, group,
    readers who may discuss, author, published at)} for the published and withdrawn ones)
    and `fixed_lessons` ({size: lesson id}) for the comments and endorsements."""

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
