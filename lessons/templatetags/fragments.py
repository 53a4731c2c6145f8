"""Keys for the cached fragments of long pages: a lesson card, a comment.

A page of fifty cards or a discussion of a hundred comments spends most of its time rendering
the same few lines again for every reader. `{% cache %}` keeps each rendered fragment in the
`template_fragments` cache (settings.CACHES: memory of the serving process), under a key made of
everything the fragment shows *as this reader sees it*: the lesson's or comment's own text and
state, the attribution or permissions computed for this reader by the access policy, the
language and the time zone. Nothing a reader may not see is ever in another reader's key's
fragment, because what differs between readers (the author as shown to them, whether they may
read a hidden comment or edit it) is part of the key; nothing goes stale, because a change to
anything shown makes a new key. Whoever changes one of the two templates changes its key here.
"""

from django import template
from django.utils import timezone, translation

register = template.Library()


def _reader_locale():
    return (translation.get_language(), timezone.get_current_timezone_name())


@register.filter
def card_fragment_key(lesson, author):
    """templates/lessons/_lesson_card.html: the lesson (its language too), its counts and tags,
    and the author as this reader may see them (`author` comes from access.shown_author); the
    reader's interface language, in which the card names the lesson's, is in _reader_locale."""
    return repr(
        (
            lesson.pk,
            lesson.title,
            lesson.summary,
            lesson.published_at,
            lesson.outcome,
            lesson.stage,
            lesson.language,
            lesson.working_group.name if lesson.working_group_id else None,
            author.label,
            author.official_id,
            getattr(lesson, "endorsement_count", None),
            getattr(lesson, "applied_count", None),
            [tag.name for tag in lesson.tags.all()],
            _reader_locale(),
        )
    )


@register.filter
def comment_fragment_key(shown):
    """templates/discussion/_comment.html, as the discussion shows it: the comment as
    discussion.views.ShownComment holds it for this reader (its text only if they may
    read it, whether it is theirs to edit)."""
    comment = shown.comment
    author = comment.author
    return repr(
        (
            comment.pk,
            comment.lesson_id,
            comment.lesson.network.slug,
            comment.created_at,
            comment.edited_at,
            comment.is_deleted,
            comment.is_hidden,
            comment.hidden_reason,
            comment.hidden_by_id is None,  # hidden by its flags: `hidden_note` says so
            author.pk,
            author.display_name,
            str(author.country) if author.country_id else None,
            str(shown.html),
            shown.can_edit,
            shown.is_own,
            _reader_locale(),
        )
    )


@register.filter
def result_fragment_key(result):
    """templates/search/_search_result.html: a search.engine.Result as built for this reader
    (its highlighted title and snippet, the author, network and group they may see)."""
    lesson = result.lesson
    return repr(
        (
            lesson.pk,
            str(result.title_html),
            str(result.snippet_html),
            result.author.label,
            result.network.name if result.network else None,
            result.working_group.name if result.working_group else None,
            lesson.published_at,
            lesson.outcome,
            lesson.stage,
            lesson.language,
            lesson.endorsement_count,
            lesson.applied_count,
            list(result.tags or ()),
            _reader_locale(),
        )
    )


@register.simple_tag
def facets_fragment_key(outcome, keep_for_facets, clear_filters_url):
    """templates/search/search.html's filters: the facet counts this reader's search found
    (search.engine.FacetCounts) and the search they refine."""
    facets = [(facet.name, str(facet.label), _options(facet)) for facet in outcome.facets]
    return repr((facets, list(keep_for_facets), clear_filters_url, _reader_locale()))


def _options(facet):
    return [
        (option.value, str(option.label), option.count, option.selected) for option in facet.options
    ]
