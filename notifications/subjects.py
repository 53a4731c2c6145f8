"""Notifications about what the layers above notifications own (a question, an answer).

Notifications cannot import those apps, so each registers here, in its AppConfig.ready, what
it knows of its own kinds of notification: which of them a user may still see, and what one
says to its reader. A notification of a registered kind carries what it is about in `data`
(neither `lesson` nor `comment`), and is shown or sent only while the registered rule allows.

They may also add a section to every digest (`DigestSection`): what the digest of one network
lists for its recipient besides their notifications, worked out when it is sent, as they may see
it then (questions: those still waiting for an answer).
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Q
from django.utils.html import conditional_escape


@dataclass(frozen=True)
class Subject:
    kinds: tuple
    # user -> Q over Notification: the notifications of these kinds the user may still see.
    visible_q: Callable
    # (user, data) -> bool: the same rule, for a notification about to be recorded.
    may_see: Callable
    # (notification, viewer) -> (title, excerpt, url), in the active language.
    describe: Callable
    # (notifications) -> None: reads at once what `describe` will need of each (a list page).
    prepare: Callable = lambda notifications: None


_subjects = {}


def register(subject):
    for kind in subject.kinds:
        _subjects[kind] = subject
    return subject


def subject_of(kind):
    return _subjects.get(kind)


def registered_kinds():
    return list(_subjects)


def prepare(notifications):
    """Let each registered subject read what its notifications on a page need, in one go."""
    for subject in {id(s): s for s in _subjects.values()}.values():
        mine = [n for n in notifications if n.kind in subject.kinds]
        if mine:
            subject.prepare(mine)


def visible_q(user):
    """Notifications of registered kinds that `user` may see (nothing if none is registered)."""
    shown = Q(pk__in=[])
    for subject in {id(s): s for s in _subjects.values()}.values():
        shown |= Q(kind__in=subject.kinds) & subject.visible_q(user)
    return shown


# Digest sections


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest section, as its recipient may see it, in their language."""

    title: str
    excerpt: str
    url: str

    @property
    def html_title(self):
        return conditional_escape(self.title)

    @property
    def absolute_url(self):
        return urljoin(settings.SITE_URL, self.url)


@dataclass(frozen=True)
class DigestSection:
    # () -> the section's heading, in the active language
    heading: Callable
    # (recipient, network, notifications) -> [DigestItem]: what the recipient's digest of the
    # network lists, as they may see it at that moment; `notifications` are those the digest
    # holds already, so that nothing is listed twice.
    items: Callable


_digest_sections = []


def add_digest_section(section):
    _digest_sections.append(section)
    return section


def digest_sections(recipient, network, notifications):
    """[(heading, [DigestItem])] of every registered section with something to list."""
    sections = []
    for section in _digest_sections:
        items = section.items(recipient, network, notifications)
        if items:
            sections.append((section.heading(), items))
    return sections
