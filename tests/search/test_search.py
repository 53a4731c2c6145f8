"""Search finds what the reader may read, and nothing else, anywhere: results, snippets, facet
counts, totals, suggestions and saved searches. Personas are the demo cast (tests/conftest.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from discussion import services as discussion
from discussion.models import Comment
from lessons import access as lesson_access
from lessons import services
from lessons.models import Lesson, TechnologyArea
from networks.models import Attribution, Membership, User
from networks.services import membership_suspend
from search import engine as search
from search import params as search_params
from search import services as search_services
from search.models import SavedSearch, SearchTerm

# A phrase no demo lesson has, placed in lessons of every space.
SECRET = "quokkaboard"
SECRET_TAG = "zebrafish registry"


def find(user, q="", **filters):
    data = {"q": q, **{name: [v] if isinstance(v, str | int) else v for name, v in filters.items()}}
    outcome = search.search_lessons(user, search_params.SearchParams.from_query(data))
    return outcome, list(outcome.page.object_list)


def titles(results):
    return [result.lesson.title for result in results]


def facet_values(outcome):
    return {facet.name: {o.value: o.count for o in facet.options} for facet in outcome.facets}


def everything_shown(outcome, results):
    """All the text of a search page's content about its lessons, as the template gets it."""
    parts = [str(outcome.total), str(outcome.suggestion)]
    for facet in outcome.facets:
        parts += [f"{o.value} {o.label} {o.count}" for o in facet.options]
    for result in results:
        parts += [
            result.title_html,
            result.snippet_html,
            result.author.label,
            result.network.name if result.network else "",
            result.working_group.name if result.working_group else "",
            " ".join(result.tags),
        ]
    return " ".join(parts)


@pytest.fixture
def secrets(demo, write_lesson):
    """The secret word in a network lesson (Digital Nations), a working group lesson
    ("Digital identity") and a draft, each with the secret tag."""
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    made = {
        "network": write_lesson(
            author=demo.member, title=f"Network lesson on {SECRET}", worked=f"The {SECRET} worked."
        ),
        "group": write_lesson(
            author=demo.group_member,
            group=group,
            title=f"Group lesson on {SECRET}",
            worked=f"The {SECRET} helped.",
        ),
        "draft": write_lesson(
            author=demo.member, publish=False, title=f"Draft on {SECRET}", summary=SECRET
        ),
    }
    for lesson in made.values():
        services.lesson_update(
            acting_user=lesson.author,
            lesson=lesson,
            data={},
            tags=["consent", SECRET_TAG],
            version=lesson.version,
        )
    return made


# Results, totals, snippets


def test_search_finds_words_phrases_exclusions_and_either(demo):
    _, results = find(demo.member, "wallet")
    assert titles(results) == ["Digital identity wallet: trust came before features"]
    _, results = find(demo.member, '"trust came before features"')
    assert len(results) == 1
    _, results = find(demo.member, '"features before trust"')
    assert results == []
    with_data = titles(find(demo.member, "data")[1])
    without_consent = titles(find(demo.member, "data -registries")[1])
    assert "Once-only principle: the registry clean-up nobody budgeted" in with_data
    assert "Once-only principle: the registry clean-up nobody budgeted" not in without_consent
    assert len(find(demo.member, "cloud OR chatbot")[1]) == 2


def test_accents_and_capitals_do_not_matter_in_any_language(demo):
    assert titles(find(demo.member, "ELECTRONICA")[1]) == [
        "Firma electrónica en la nube: la confianza se construyó en los municipios"
    ]
    assert titles(find(demo.member, "balcao unico")[1]) == [
        "Balcão único digital: menos formulários, mais confiança"
    ]
    # Stemmed in its own language: the Spanish lesson says "municipios", the Portuguese
    # "formulários".
    assert len(find(demo.member, "municipio")[1]) == 1
    assert len(find(demo.member, "formulario")[1]) == 1


def test_each_lesson_is_indexed_in_its_languages_configuration(demo, write_lesson):
    lesson = write_lesson(title="Les formulaires de la mairie", language="fr")
    german = write_lesson(title="Die Bürgerämter und ihre Formulare", language="de")
    lesson.refresh_from_db()
    german.refresh_from_db()
    assert lesson.search_config == "minilateral_french"
    assert german.search_config == "minilateral_simple"
    assert "Les formulaires de la mairie" in titles(find(demo.member, "formulaire")[1])
    assert "Die Bürgerämter und ihre Formulare" in titles(find(demo.member, "burgeramter")[1])


def test_title_matches_rank_first_and_newer_breaks_ties(demo, write_lesson):
    older = write_lesson(title="Kiosk rollout in rural areas", summary="What kiosks taught us.")
    newer = write_lesson(title="Kiosk rollout in cities", summary="What kiosks taught us.")
    body = write_lesson(title="Libraries as service points", worked="A kiosk in every library.")
    Lesson.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=9))
    ranked = titles(find(demo.member, "kiosk")[1])
    assert ranked == [newer.title, older.title, body.title]
    assert titles(find(demo.member, "kiosk", sort="newest")[1])[-1] == older.title


def test_sorted_by_most_endorsed_and_most_applied(demo, write_lesson):
    plain = write_lesson(title="Chatbots one", summary="chatbot")
    endorsed = write_lesson(title="Chatbots two", summary="chatbot")
    applied = write_lesson(title="Chatbots three", summary="chatbot")
    services.endorsement_toggle(acting_user=demo.moderator, lesson=endorsed, kind="useful")
    services.endorsement_toggle(acting_user=demo.convenor, lesson=endorsed, kind="trying")
    services.endorsement_toggle(acting_user=demo.moderator, lesson=applied, kind="applied")
    most_endorsed = titles(find(demo.member, "chatbots", sort="endorsed")[1])
    assert most_endorsed[:2] == [endorsed.title, applied.title]
    assert titles(find(demo.member, "chatbots", sort="applied")[1])[0] == applied.title
    assert plain.title in most_endorsed


def test_snippets_highlight_the_words_and_escape_the_text(demo, write_lesson):
    write_lesson(
        title="Escaping <script>alert(1)</script> lessons",
        worked="A **bold** move: the [register](https://example.org/x) of gravel roads.",
    )
    _, results = find(demo.member, "gravel")
    (result,) = results
    assert "<mark>gravel</mark>" in result.snippet_html
    assert "<script>" not in result.title_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.title_html
    assert "https://example.org" not in result.snippet_html
    assert "**" not in result.snippet_html


def test_highlight_markers_in_a_lessons_text_cannot_open_tags():
    html = search_params.highlighted("a \x01b\x01 c\x02\x02 <i>d\x01")
    assert html == "a <mark>b c</mark> &lt;i&gt;d<mark></mark>"


def test_private_lessons_never_surface_for_those_outside_their_space(demo, secrets):
    expected = {
        # persona: the secret lessons they may find
        "outsider": set(),
        "suspended": set(),
        "member": {"network"},  # not in the "Digital identity" group
        "group_member": {"network", "group"},
        "moderator": {"network", "group"},  # the network's moderators see its groups' lessons
    }
    for persona, kinds in expected.items():
        user = getattr(demo, persona)
        outcome, results = find(user, SECRET)
        found = {kind for kind, lesson in secrets.items() if lesson.title in titles(results)}
        assert found == kinds, persona
        assert outcome.total == len(kinds), persona
        tagged, _ = find(user, tag=SECRET_TAG)
        assert tagged.total == len(kinds), persona
        assert facet_values(tagged).get("tag", {}).get(SECRET_TAG, 0) == len(kinds), persona
        if not kinds:
            assert SECRET not in everything_shown(outcome, results)
            assert SECRET_TAG not in everything_shown(tagged, [])


def test_outsiders_counts_and_totals_do_not_move_when_a_private_lesson_is_written(
    demo, write_lesson
):
    before = find(demo.outsider)[0]
    write_lesson(author=demo.member, title="Lesson about parking permits")
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    write_lesson(author=demo.group_member, group=group, title="Parking in the group")
    after = find(demo.outsider)[0]
    assert after.total == before.total
    assert facet_values(after) == facet_values(before)
    assert find(demo.outsider, "parking")[0].total == 0


def test_suggestions_come_only_from_lessons_the_reader_may_read(demo, secrets):
    assert SearchTerm.objects.filter(word=SECRET).exists()  # it is in the vocabulary...
    for persona in ("outsider", "suspended"):
        outcome, _ = find(getattr(demo, persona), "quokkabord")
        assert outcome.suggestion is None, persona  # ...but never suggested outside
    outcome, _ = find(demo.member, "quokkabord")
    assert outcome.suggestion == SECRET
    assert outcome.suggestion_url.endswith(f"?q={SECRET}")


def test_did_you_mean_corrects_only_the_misspelt_words(demo):
    outcome, results = find(demo.member, "walet enrolment")
    assert results == []
    assert outcome.suggestion == "wallet enrolment"
    outcome, results = find(demo.member, "wallet")
    assert outcome.suggestion is None
    assert find(demo.member, "-walet")[0].suggestion is None  # an excluded word stays so


def test_suspended_member_loses_search_results_on_their_next_search(demo, write_lesson):
    write_lesson(author=demo.group_member, title=f"Notes on {SECRET}")
    assert find(demo.member, SECRET)[0].total == 1
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    membership_suspend(acting_user=demo.convenor, membership=membership)
    member = User.objects.get(pk=demo.member.pk)  # the next request's user
    outcome, results = find(member, SECRET)
    assert (outcome.total, results) == (0, [])
    assert find(member, "quokkabord")[0].suggestion is None


# Comments: found only inside the lesson's home space


def comment_results(user, q, **filters):
    data = {"q": q, "in": "comments", **{name: [v] for name, v in filters.items()}}
    outcome = search.search_lessons(user, search_params.SearchParams.from_query(data))
    return outcome, list(outcome.page.object_list)


def test_comments_never_surface_outside_their_home_space(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    shared = write_lesson(author=demo.member, title="A lesson shared with every network")
    in_group = write_lesson(author=demo.group_member, group=group, title="A group lesson")
    # Both read far beyond their home spaces: their discussions stay inside.
    Lesson.objects.filter(pk=shared.pk).update(audience="all_networks")
    Lesson.objects.filter(pk=in_group.pk).update(audience="network")
    discussion.comment_create(
        acting_user=demo.moderator, lesson=shared, body=f"The {SECRET} was worth it."
    )
    discussion.comment_create(
        acting_user=demo.group_member, lesson=in_group, body=f"Our {SECRET} failed twice."
    )
    expected = {
        # persona: the lessons whose comments they may find
        "outsider": set(),  # reads the shared lesson, not its discussion
        "suspended": set(),
        "member": {shared.pk},  # reads the group lesson, not its discussion
        "group_member": {shared.pk, in_group.pk},
        "moderator": {shared.pk, in_group.pk},
    }
    for persona, lessons in expected.items():
        user = getattr(demo, persona)
        outcome, results = comment_results(user, SECRET)
        assert {result.comment.lesson_id for result in results} == lessons, persona
        assert outcome.comment_total == len(lessons), persona
        assert find(user, SECRET)[0].comment_total == len(lessons), persona  # the lessons tab
        if not lessons:
            shown = " ".join(str(result.snippet_html) for result in results)
            assert SECRET not in shown + everything_shown(outcome, [])
            assert outcome.suggestion is None


def test_deleted_and_hidden_comments_are_found_by_no_one(demo, write_lesson):
    lesson = write_lesson(author=demo.member)
    deleted = discussion.comment_create(
        acting_user=demo.member, lesson=lesson, body=f"A {SECRET} I regret."
    ).comment
    hidden = discussion.comment_create(
        acting_user=demo.group_member, lesson=lesson, body=f"A {SECRET} out of line."
    ).comment
    assert comment_results(demo.moderator, SECRET)[0].comment_total == 2
    discussion.comment_delete(acting_user=demo.member, comment=deleted)
    Comment.objects.filter(pk=hidden.pk).update(is_hidden=True, hidden_by=demo.moderator)
    for persona in ("member", "group_member", "moderator"):
        assert comment_results(getattr(demo, persona), SECRET)[0].comment_total == 0, persona


def test_suspended_member_loses_comment_results_on_their_next_search(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    discussion.comment_create(acting_user=demo.group_member, lesson=lesson, body=SECRET)
    assert comment_results(demo.member, SECRET)[0].comment_total == 1
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    membership_suspend(acting_user=demo.convenor, membership=membership)
    member = User.objects.get(pk=demo.member.pk)
    outcome, results = comment_results(member, SECRET)
    assert (outcome.comment_total, results) == (0, [])


def test_comment_results_keep_to_lessons_the_filters_keep(demo, write_lesson):
    piloted = write_lesson(author=demo.member, stage=Lesson.Stage.PILOT)
    scaled = write_lesson(author=demo.member, stage=Lesson.Stage.AT_SCALE)
    for lesson in (piloted, scaled):
        discussion.comment_create(acting_user=demo.moderator, lesson=lesson, body=SECRET)
    _, results = comment_results(demo.member, SECRET, stage=Lesson.Stage.AT_SCALE)
    assert [result.comment.lesson_id for result in results] == [scaled.pk]


# Attribution: who wrote it, their country and network show only as the rule allows


@pytest.fixture
def portuguese_lessons(demo, write_lesson):
    """Lessons by João Silva (Portugal, AMA Portugal) shared with every network."""

    def write(attribution, word):
        return write_lesson(
            author=demo.moderator,
            audience="all_networks",
            attribution=attribution,
            title=f"The {word} programme",
            summary=f"How the {word} programme went.",
            organisation="Agência Secreta Lusitana",
        )

    return {
        "chatham": write(Attribution.CHATHAM, "periwinkle"),
        "country": write(Attribution.COUNTRY, "marigold"),
        "named": write(Attribution.NAMED, "snowdrop"),
    }


def test_snippets_never_reveal_a_chatham_house_authors_name_or_country(demo, portuguese_lessons):
    outcome, results = find(demo.outsider, "periwinkle")
    (result,) = results
    shown = everything_shown(outcome, results)
    assert result.author.label == "a member of Digital Nations"
    for secret in ("João", "Silva", "Portugal", "Lusitana", "PT"):
        assert secret not in shown, secret
    assert "country" not in facet_values(outcome)
    # The organisation is never indexed: not even an insider finds a lesson by it.
    assert find(demo.outsider, "Lusitana")[0].total == 0
    assert find(demo.member, "Lusitana")[0].total == 0


def test_country_facet_counts_and_filters_only_lessons_whose_country_is_shown(
    demo, portuguese_lessons
):
    outcome, _ = find(demo.outsider, "programme")
    assert outcome.total == 3
    assert facet_values(outcome)["country"] == {"PT": 2}  # country and named, not Chatham
    outcome, results = find(demo.outsider, "programme", country="PT")
    assert sorted(titles(results)) == ["The marigold programme", "The snowdrop programme"]
    # Inside the home space the author is known: all three count under Portugal.
    assert facet_values(find(demo.member, "programme")[0])["country"] == {"PT": 3}


def test_network_of_a_lesson_is_another_network_unless_the_reader_may_see_it(
    demo, portuguese_lessons
):
    outcome, results = find(demo.outsider, "programme")
    networks = {result.lesson.title: result.network for result in results}
    assert networks["The periwinkle programme"] == demo.digital_nations  # the label names it
    assert networks["The marigold programme"] is None
    assert networks["The snowdrop programme"] is None
    assert facet_values(outcome)["network"] == {"digital-nations": 1}
    _, filtered = find(demo.outsider, "programme", network="digital-nations")
    assert titles(filtered) == ["The periwinkle programme"]
    _, results = find(demo.member, "programme")
    assert all(result.network == demo.digital_nations for result in results)


def test_working_group_shows_only_to_members_of_its_network(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    write_lesson(author=demo.group_member, group=group, audience="all_networks", title="Gates")
    (inside,) = find(demo.member, "gates")[1]
    (outside,) = find(demo.outsider, "gates")[1]
    assert inside.working_group == group
    assert outside.working_group is None
    assert str(group.pk) in facet_values(find(demo.member, "gates")[0])["group"]
    assert "group" not in facet_values(find(demo.outsider, "gates")[0])
    assert find(demo.outsider, "gates", group=group.pk)[0].total == 0


def test_search_predicates_agree_with_their_querysets_for_every_reader(demo, portuguese_lessons):
    for user in User.objects.filter(is_active=True):
        readable = lesson_access.readable_lessons(user).select_related(
            "network", "author", "author_country"
        )
        country = set(
            readable.filter(lesson_access.country_shown_q(user)).values_list("pk", flat=True)
        )
        network = set(
            readable.filter(lesson_access.network_shown_q(user)).values_list("pk", flat=True)
        )
        groups = set(
            readable.filter(lesson_access.working_group_shown_q(user)).values_list("pk", flat=True)
        )
        for lesson in readable:
            assert (lesson.pk in country) == bool(lesson_access.shown_author(user, lesson).country)
            assert (lesson.pk in network) == (lesson_access.shown_network(user, lesson) is not None)
            assert (lesson.pk in groups) == lesson_access.working_group_is_shown(user, lesson)


# Facets


def expected_counts(user, lessons, filters):
    """What each facet must count, computed one lesson at a time from the policy's predicates:
    over the lessons matching every filter but the facet's own."""

    def values(lesson):
        shown = lesson_access.shown_author(user, lesson)
        return {
            "network": {lesson.network.slug}
            if lesson_access.shown_network(user, lesson)
            else set(),
            "group": {str(lesson.working_group_id)}
            if lesson_access.working_group_is_shown(user, lesson)
            else set(),
            "technology": {lesson.technology_area.slug} if lesson.technology_area else set(),
            "policy": {lesson.policy_area.slug} if lesson.policy_area else set(),
            "stage": {lesson.stage},
            "outcome": {lesson.outcome},
            "year": {str(lesson.year)} if lesson.year else set(),
            "tag": set(lesson.tags.values_list("name", flat=True)),
            "country": {lesson.author_country.code} if shown.country else set(),
            "language": {lesson.language},
        }

    by_lesson = [values(lesson) for lesson in lessons]
    counts = {}
    for facet in search_params.FACET_NAMES:
        counts[facet] = {}
        for lesson_values in by_lesson:
            others = all(
                lesson_values[name] & {str(v) for v in chosen}
                for name, chosen in filters.items()
                if name != facet
            )
            if others:
                for value in lesson_values[facet]:
                    counts[facet][value] = counts[facet].get(value, 0) + 1
    return {name: values for name, values in counts.items() if values}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"stage": ["pilot", "at_scale"]},
        {"tag": ["digital identity"], "year": [2025]},
        {"language": ["es", "pt"], "stage": ["at_scale", "scaling"]},
    ],
)
def test_facet_counts_are_those_of_the_lessons_the_reader_may_read(
    demo, portuguese_lessons, filters, monkeypatch
):
    monkeypatch.setattr(search, "FACET_OPTIONS", 1000)  # every value, to compare them all
    for persona in ("outsider", "member", "group_member", "suspended", "moderator"):
        user = getattr(demo, persona)
        outcome, _ = find(user, **filters)
        lessons = search.matching_lessons(
            user, search_params.SearchParams.from_query({})
        ).select_related("network", "author", "author_country", "technology_area", "policy_area")
        assert facet_values(outcome) == expected_counts(user, lessons, filters), persona
        assert (
            outcome.total
            == search.matching_lessons(user, search_params.SearchParams.from_query(filters)).count()
        )


def test_facets_combine_across_facets_and_offer_either_within_one(demo):
    _, identity = find(demo.member, technology="digital-identity")
    _, at_scale = find(demo.member, technology="digital-identity", stage="at_scale")
    _, either = find(demo.member, technology="digital-identity", stage=["at_scale", "scaling"])
    assert len(at_scale) < len(either) <= len(identity)
    assert all(r.lesson.stage == "at_scale" for r in at_scale)
    assert {r.lesson.stage for r in either} == {"at_scale", "scaling"}


def test_facet_values_are_cleaned_never_errors(demo):
    outcome, _ = find(
        demo.member,
        year=["20x5", "-1", "99999"],
        group=["abc", "0"],
        country=["PTX", "1"],
        stage=["nonsense"],
        network=["<script>"],
        technology=["a b"],
        language=["xx", "french", "fr'", ""],
    )
    assert outcome.params.filters == {}
    assert find(demo.member, language=["FR", "zh-Hans"])[0].params.filters == {
        "language": ["fr", "zh-hans"]
    }


# The language facet


@pytest.fixture
def lessons_in_three_languages(demo, write_lesson):
    """The secret word in English, French and Spanish lessons of Digital Nations, and in a
    French lesson of the "Digital identity" working group."""
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    return {
        "en": write_lesson(title=f"The {SECRET} in English"),
        "fr": write_lesson(title=f"Le {SECRET} en français", language="fr"),
        "es": write_lesson(title=f"El {SECRET} en español", language="es"),
        "group_fr": write_lesson(
            author=demo.group_member, group=group, title=f"Le {SECRET} du groupe", language="fr"
        ),
    }


def test_language_facet_counts_the_lessons_in_each_language(demo, lessons_in_three_languages):
    outcome, _ = find(demo.group_member, SECRET)
    assert facet_values(outcome)["language"] == {"en": 1, "fr": 2, "es": 1}
    (language,) = [facet for facet in outcome.facets if facet.name == "language"]
    assert str(language.label) == "Language"
    assert [option.value for option in language.options] == ["fr", "en", "es"]  # most first
    assert {option.value: option.label for option in language.options}["es"] == "Spanish"


def test_language_facet_filters_one_or_several_languages(demo, lessons_in_three_languages):
    made = lessons_in_three_languages
    _, french = find(demo.group_member, SECRET, language="fr")
    assert sorted(titles(french)) == sorted([made["fr"].title, made["group_fr"].title])
    outcome, either = find(demo.group_member, SECRET, language=["fr", "es"])
    assert len(either) == outcome.total == 3
    assert {result.lesson.language for result in either} == {"fr", "es"}
    # Its own facet still offers the other languages, with what choosing them would add.
    assert facet_values(outcome)["language"] == {"en": 1, "fr": 2, "es": 1}
    # Other facets count only the lessons in the chosen languages.
    assert facet_values(outcome)["tag"] == {"consent": 3}


def test_language_counts_only_lessons_the_reader_may_read(demo, lessons_in_three_languages):
    # Lucía is not in the working group: its French lesson is not counted for her.
    assert facet_values(find(demo.member, SECRET)[0])["language"] == {"en": 1, "fr": 1, "es": 1}
    assert find(demo.member, SECRET, language="fr")[0].total == 1
    # Priya is in another network: no lesson, no language, no count, filtered or not.
    for filters in ({}, {"language": "fr"}, {"language": ["fr", "es", "en"]}):
        outcome, results = find(demo.outsider, SECRET, **filters)
        assert (outcome.total, results) == (0, [])
        assert "language" not in facet_values(outcome)
    browsing, _ = find(demo.outsider, language="fr")
    readable = lesson_access.readable_lessons(demo.outsider)
    assert browsing.total == readable.filter(language="fr").count()
    assert facet_values(find(demo.outsider)[0])["language"] == {
        language: readable.filter(language=language).count()
        for language in readable.values_list("language", flat=True).distinct()
    }


def test_language_facet_names_languages_in_the_readers_language(demo, lessons_in_three_languages):
    with translation.override("fr"):
        outcome, _ = find(demo.group_member, SECRET)
    (language,) = [facet for facet in outcome.facets if facet.name == "language"]
    labels = {option.value: option.label for option in language.options}
    assert labels == {"en": "Anglais", "fr": "Français", "es": "Espagnol"}
    with translation.override("es"):
        outcome, _ = find(demo.group_member, SECRET)
    (language,) = [facet for facet in outcome.facets if facet.name == "language"]
    assert {option.value: option.label for option in language.options}["fr"] == "Francés"


# Quotation marks of every language make a phrase


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("« trust came »", '" trust came "'),
        ("«\xa0trust came\xa0»", '" trust came "'),
        ("«\u202ftrust came\u202f»", '" trust came "'),
        ("“trust came”", '"trust came"'),
        ("„trust came“", '"trust came"'),
        ("”trust came”", '"trust came"'),
        ("l’État -“trust came”", 'l’État -"trust came"'),
        ('"trust came"', '"trust came"'),
    ],
)
def test_clean_query_makes_every_double_quotation_mark_straight(typed, searched):
    assert search_params.clean_query(typed) == (searched, False)


def test_a_phrase_in_french_or_spanish_quotes_is_searched_as_a_phrase(demo, write_lesson):
    write_lesson(
        title="Le guichet unique",
        summary="La confiance est venue avant les fonctionnalités.",
        language="fr",
    )
    write_lesson(
        title="Primero la firma",
        summary="Primero la firma digital, luego el portal ciudadano.",
        language="es",
    )
    assert titles(find(demo.member, "«\xa0confiance est venue\xa0»")[1]) == ["Le guichet unique"]
    assert titles(find(demo.member, "« venue est confiance »")[1]) == []
    assert titles(find(demo.member, "“portal ciudadano”")[1]) == ["Primero la firma"]
    assert titles(find(demo.member, "„ciudadano portal“")[1]) == []
    _, english = find(demo.member, "“trust came before features”")
    assert len(english) == 1


# Saved searches: what the digest calls


def test_saved_search_new_matches_are_what_the_owner_may_read_now(demo, write_lesson):
    params = search_params.SearchParams.from_query({"q": SECRET})
    saved = search_services.saved_search_create(acting_user=demo.member, params=params)
    outsiders = search_services.saved_search_create(acting_user=demo.outsider, params=params)
    since = timezone.now()
    old = write_lesson(author=demo.group_member, title=f"Old {SECRET}")
    Lesson.objects.filter(pk=old.pk).update(published_at=since - timedelta(hours=1))
    new = write_lesson(author=demo.group_member, title=f"New {SECRET}")
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    write_lesson(author=demo.group_member, group=group, title=f"Group {SECRET}")
    assert list(search.saved_search_new_matches(saved, since)) == [new]
    assert list(search.saved_search_new_matches(outsiders, since)) == []
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    membership_suspend(acting_user=demo.convenor, membership=membership)
    assert list(search.saved_search_new_matches(saved, since)) == []


def test_saved_search_of_a_closed_account_matches_nothing(demo, write_lesson):
    params = search_params.SearchParams.from_query({"q": "chatbot"})
    saved = search_services.saved_search_create(acting_user=demo.member, params=params)
    since = timezone.now()
    write_lesson(author=demo.group_member, title="A chatbot", audience="all_networks")
    assert search.saved_search_new_matches(saved, since).count() == 1
    User.objects.filter(pk=demo.member.pk).update(deactivated_at=timezone.now())
    assert search.saved_search_new_matches(saved, since).count() == 0


def test_saved_search_keeps_its_filters_and_attribution_rules(demo, portuguese_lessons):
    params = search_params.SearchParams.from_query({"q": "programme", "country": ["PT"]})
    saved = search_services.saved_search_create(acting_user=demo.outsider, params=params)
    assert saved.name == "“programme”, 1 filter"
    matches = search.saved_search_new_matches(saved, timezone.now() - timedelta(days=1))
    assert sorted(m.title for m in matches) == ["The marigold programme", "The snowdrop programme"]
    assert saved.get_absolute_url() == "/search/?q=programme&country=PT"


def test_a_saved_search_needs_something_to_search_for(demo):
    with pytest.raises(services.ActionRefused):
        search_services.saved_search_create(
            acting_user=demo.member, params=search_params.SearchParams.from_query({})
        )
    assert not SavedSearch.objects.filter(owner=demo.member).exists()


def test_saved_search_with_a_tampered_query_still_runs(demo):
    saved = SavedSearch.objects.create(
        owner=demo.member, name="odd", query={"q": 5, "filters": {"year": "x", "tag": [None]}}
    )
    assert search.saved_search_new_matches(saved, timezone.now()).count() == 0
    assert saved.get_absolute_url().startswith("/search/")


def test_facet_technology_areas_are_counted_by_slug(demo):
    area = TechnologyArea.objects.get(slug="digital-identity")
    outcome, results = find(demo.member, technology=area.slug)
    assert outcome.total == len(results) > 0
    assert all(result.lesson.technology_area == area for result in results)
