"""The permission matrix of the lesson pages, as data: URL x persona x method -> status.

The lesson under test is Min-jun Kim's, in Digital Nations, for the network, under the Chatham
House rule; none of the personas wrote it. Personas and sign-in as in tests/networks.
"""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from demo.lessons import DEMO_PDF
from discussion import services as discussion
from lessons import services
from lessons.models import Lesson
from moderation import curation
from moderation.models import Collection
from notifications import services as notifications
from notifications.models import Notification
from search import params as search_params
from search import services as search_services
from tests.networks.conftest import sign_in
from tests.networks.test_permissions import PERSONAS
from tests.urls_sweep import all_urls

#               anon outsider member suspended moderator convenor focal admin
EVERYONE = (302, 200, 200, 200, 200, 200, 200, 200)
EVERYONE_ACTS = (302, 302, 302, 302, 302, 302, 302, 302)
VISITORS_TOO = (200, 200, 200, 200, 200, 200, 200, 200)
MEMBERS = (302, 404, 200, 404, 200, 200, 200, 404)
NOT_THE_AUTHOR = (302, 404, 403, 404, 403, 403, 403, 404)
MODERATORS = (302, 404, 403, 404, 200, 200, 403, 404)
MODERATORS_ACT = (302, 404, 403, 404, 302, 302, 403, 404)
MEMBERS_ACT = (302, 404, 302, 404, 302, 302, 302, 404)
MODERATORS_PAGE = (302, 404, 403, 404, 200, 200, 403, 404)
# A network's insights: for its convenors and moderators; for anyone else they do not exist.
RUNNING_THE_NETWORK = (302, 404, 404, 404, 200, 200, 404, 404)
NO_ONE = (302, 404, 404, 404, 404, 404, 404, 404)
NOT_THIS_METHOD = (302, 405, 405, 405, 405, 405, 405, 405)
EVERYONE_ACTS = (302,) * 8
OWNER_ONLY_ACTS = (302, 404, 302, 404, 404, 404, 404, 404)  # Lucía's own notification
PUBLIC_NOT_THIS_METHOD = (405,) * 8


@pytest.fixture
def objects(cast):
    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    public = Lesson.objects.filter(audience="public", state="published").first()
    attachment = services.attachment_add(
        acting_user=lesson.author, lesson=lesson, upload=ContentFile(DEMO_PDF, name="a.pdf")
    )
    request = services.lesson_change_audience(
        acting_user=lesson.author, lesson=lesson, audience="all_networks"
    )
    collection = Collection.objects.get(title="Digital identity playbook")  # public
    brief = curation.brief_export(
        acting_user=cast.moderator,
        network=cast.digital_nations,
        title="For the OECD",
        audience="public",
        collection=collection,
    )
    # Min-jun's comment on his lesson, mentioning Lucía (the member persona): her notification.
    comment = discussion.comment_create(
        acting_user=lesson.author, lesson=lesson, body="What would @Lucía Pérez do?"
    ).comment
    notification = Notification.objects.get(recipient=cast.member, comment=comment)
    unsubscribe = reverse(
        "notifications:unsubscribe",
        args=[notifications.unsubscribe_token(cast.member, lesson.network)],
    )
    saved = search_services.saved_search_create(  # Min-jun's, like the lesson: no persona's own
        acting_user=lesson.author, params=search_params.SearchParams.from_query({"q": "tax"})
    )
    return SimpleNamespace(
        saved=saved,
        lesson=lesson,
        public=public,
        attachment=attachment,
        request=request,
        collection=collection,
        brief=brief,
        comment=comment,
        notification=notification,
        unsubscribe=unsubscribe,
    )


def in_network(name, *more):
    return lambda o: reverse(name, args=["digital-nations", *[part(o) for part in more]])


def detail(name):
    return lambda o: reverse(name, args=[o.lesson.pk])


def on_comment(name):
    return lambda o: reverse(name, args=[o.lesson.pk, o.comment.pk])


def a_comment(o):
    return {"body": "How did you handle procurement?"}


MATRIX = [
    # name, URL, GET statuses, POST statuses, POST data
    (
        "lessons:network_list",
        lambda o: reverse("lessons:network_list", args=["digital-nations"]),
        MEMBERS,
        NOT_THIS_METHOD,
        None,
    ),
    ("lessons:mine", lambda o: reverse("lessons:mine"), EVERYONE, NOT_THIS_METHOD, None),
    # Without a network chosen, both methods show the choice of the official's own spaces.
    ("lessons:create", lambda o: reverse("lessons:create"), EVERYONE, EVERYONE, None),
    (
        "lessons:tag_suggestions",
        lambda o: reverse("lessons:tag_suggestions") + "?network=digital-nations&q=ta",
        MEMBERS,
        NOT_THIS_METHOD,
        None,
    ),
    # A lesson's own address and its files open to visitors when the lesson is public (this one
    # is not: a visitor's GET is sent to sign in), so a POST is refused to anyone.
    ("lessons:detail", detail("lessons:detail"), MEMBERS, PUBLIC_NOT_THIS_METHOD, None),
    ("lessons:edit", detail("lessons:edit"), NOT_THE_AUTHOR, NOT_THE_AUTHOR, None),
    ("lessons:history", detail("lessons:history"), MEMBERS, NOT_THIS_METHOD, None),
    ("lessons:publish", detail("lessons:publish"), NOT_THIS_METHOD, NOT_THE_AUTHOR, None),
    ("lessons:withdraw", detail("lessons:withdraw"), NOT_THIS_METHOD, MODERATORS_ACT, None),
    ("lessons:restore", detail("lessons:restore"), NOT_THIS_METHOD, NOT_THE_AUTHOR, None),
    (
        "lessons:audience",
        detail("lessons:audience"),
        MODERATORS,
        MODERATORS_ACT,
        lambda o: {"audience": "network"},
    ),
    (
        "lessons:audience_decide",
        lambda o: reverse("lessons:audience_decide", args=[o.lesson.pk, o.request.pk]),
        NOT_THIS_METHOD,
        MODERATORS_ACT,
        lambda o: {"decision": "approve"},
    ),
    (
        "lessons:endorse",
        detail("lessons:endorse"),
        NOT_THIS_METHOD,
        MEMBERS_ACT,
        lambda o: {"kind": "useful"},
    ),
    (
        "lessons:attachment_upload",
        detail("lessons:attachment_upload"),
        NOT_THIS_METHOD,
        NOT_THE_AUTHOR,
        lambda o: {"file": ContentFile(DEMO_PDF, name="b.pdf")},
    ),
    (
        "lessons:attachment",
        lambda o: o.attachment.get_absolute_url(),
        MEMBERS,
        PUBLIC_NOT_THIS_METHOD,
        None,
    ),
    (
        "lessons:attachment_delete",
        lambda o: reverse("lessons:attachment_delete", args=[o.lesson.pk, o.attachment.pk]),
        NOT_THIS_METHOD,
        NOT_THE_AUTHOR,
        None,
    ),
    # The discussion: for those inside the home space only; for anyone else it does not exist.
    (
        "discussion:comment_create",
        detail("discussion:comment_create"),
        MEMBERS,
        MEMBERS_ACT,
        a_comment,
    ),
    (
        "discussion:comment_reply",
        on_comment("discussion:comment_reply"),
        MEMBERS,
        MEMBERS_ACT,
        a_comment,
    ),
    (
        "discussion:comment_edit",
        on_comment("discussion:comment_edit"),
        NOT_THE_AUTHOR,
        NOT_THE_AUTHOR,
        a_comment,
    ),
    (
        "discussion:comment_delete",
        on_comment("discussion:comment_delete"),
        NOT_THE_AUTHOR,
        NOT_THE_AUTHOR,
        None,
    ),
    (
        "discussion:comment_history",
        on_comment("discussion:comment_history"),
        MEMBERS,
        NOT_THIS_METHOD,
        None,
    ),
    # Readers of a comment's words may report it (not its author): Min-jun's comment here.
    (
        "moderation:comment_flag",
        on_comment("moderation:comment_flag"),
        MEMBERS,
        MEMBERS_ACT,
        lambda o: {"reason": "rules", "note": "Off topic."},
    ),
    (
        "discussion:mention_suggestions",
        lambda o: reverse("discussion:mention_suggestions", args=[o.lesson.pk]) + "?q=lu",
        MEMBERS,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "discussion:follow",
        detail("discussion:follow"),
        NOT_THIS_METHOD,
        MEMBERS_ACT,
        lambda o: {"follow": "yes"},
    ),
    # Notifications: each official's own.
    (
        "notifications:inbox",
        lambda o: reverse("notifications:inbox"),
        EVERYONE,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "notifications:open",
        lambda o: o.notification.get_absolute_url(),
        OWNER_ONLY_ACTS,
        OWNER_ONLY_ACTS,
        None,
    ),
    (
        "notifications:read",
        lambda o: reverse("notifications:read"),
        NOT_THIS_METHOD,
        EVERYONE_ACTS,
        None,
    ),
    (
        "notifications:settings",
        lambda o: reverse("notifications:settings"),
        EVERYONE,
        EVERYONE_ACTS,
        lambda o: {f"network_{o.lesson.network_id}": "daily"},
    ),
    # The signed link in every email is the credential: no sign-in, one-click POST (RFC 8058).
    ("notifications:unsubscribe", lambda o: o.unsubscribe, VISITORS_TOO, VISITORS_TOO, None),
    (
        "moderation:flag",
        detail("moderation:flag"),
        MEMBERS,
        MEMBERS_ACT,
        lambda o: {"reason": "inaccurate"},
    ),
    (
        "moderation:queue",
        in_network("moderation:queue"),
        MODERATORS_PAGE,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "moderation:bulk",
        lambda o: (
            reverse("moderation:bulk", args=["digital-nations"])
            + f"?action=dismiss&lesson={o.lesson.pk}"
        ),
        MODERATORS_PAGE,
        MODERATORS_ACT,
        lambda o: {"action": "dismiss", "lesson": o.lesson.pk},
    ),
    (
        "moderation:merge_tags",
        in_network("moderation:merge_tags"),
        NOT_THIS_METHOD,
        MODERATORS_ACT,
        lambda o: {"source": "contact centre", "target": "call centre"},
    ),
    (
        "moderation:item",
        in_network("moderation:item", lambda o: o.lesson.pk),
        MODERATORS_PAGE,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "moderation:act",
        in_network("moderation:act", lambda o: o.lesson.pk, lambda o: "note"),
        NOT_THIS_METHOD,
        MODERATORS_ACT,
        lambda o: {"body": "Seen."},
    ),
    (
        "moderation:comment",
        in_network("moderation:comment", lambda o: o.comment.pk),
        MODERATORS_PAGE,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "moderation:comment_act",
        in_network("moderation:comment_act", lambda o: o.comment.pk, lambda o: "hide"),
        NOT_THIS_METHOD,
        MODERATORS_ACT,
        lambda o: {"hide-reason": "Off topic."},
    ),
    (
        "moderation:collections",
        in_network("moderation:collections"),
        MEMBERS,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "moderation:collection_create",
        in_network("moderation:collection_create"),
        MODERATORS_PAGE,
        MODERATORS_ACT,
        lambda o: {"title": "Payments", "audience": "network"},
    ),
    (
        "moderation:collection",
        in_network("moderation:collection", lambda o: o.collection.slug),
        EVERYONE,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "moderation:collection_edit",
        in_network("moderation:collection_edit", lambda o: o.collection.slug),
        MODERATORS_PAGE,
        MODERATORS_ACT,
        lambda o: {"save": "1", "title": "Identity playbook", "audience": "public"},
    ),
    (
        "moderation:briefs",
        in_network("moderation:briefs"),
        MODERATORS_PAGE,
        MODERATORS_ACT,
        lambda o: {"title": "For the UN", "audience": "public"},
    ),
    (
        "moderation:brief_download",
        in_network("moderation:brief_download", lambda o: o.brief.pk, lambda o: "pdf"),
        MODERATORS_PAGE,
        NOT_THIS_METHOD,
        None,
    ),
    (
        "moderation:public_collection",
        lambda o: o.collection.get_public_url(),
        VISITORS_TOO,
        PUBLIC_NOT_THIS_METHOD,
        None,
    ),
    (
        "search:page",
        lambda o: reverse("search:page") + "?q=tax&stage=pilot",
        EVERYONE,
        NOT_THIS_METHOD,
        None,
    ),
    # Saving answers with Post/Redirect/Get, whoever saves: each saves their own.
    (
        "search:saved_searches",
        lambda o: reverse("search:saved_searches"),
        EVERYONE,
        EVERYONE_ACTS,
        lambda o: {"q": "tax", "name": "Tax"},
    ),
    (
        "search:saved_search_delete",
        lambda o: reverse("search:saved_search_delete", args=[o.saved.pk]),
        NOT_THIS_METHOD,
        NO_ONE,
        None,
    ),
    (
        "insights:dashboard",
        in_network("insights:dashboard"),
        RUNNING_THE_NETWORK,
        NOT_THIS_METHOD,
        None,
    ),
    ("insights:csv", in_network("insights:csv"), RUNNING_THE_NETWORK, NOT_THIS_METHOD, None),
    (
        "lessons:public_list",
        lambda o: reverse("lessons:public_list"),
        VISITORS_TOO,
        PUBLIC_NOT_THIS_METHOD,
        None,
    ),
    (
        "lessons:public_feed",
        lambda o: reverse("lessons:public_feed"),
        VISITORS_TOO,
        PUBLIC_NOT_THIS_METHOD,
        None,
    ),
    (
        "lessons:public_detail",
        lambda o: o.public.get_public_url(),
        VISITORS_TOO,
        PUBLIC_NOT_THIS_METHOD,
        None,
    ),
]


def _cases():
    for name, url, get_statuses, post_statuses, data in MATRIX:
        for method, statuses in (("GET", get_statuses), ("POST", post_statuses)):
            for persona, status in zip(PERSONAS, statuses, strict=True):
                yield pytest.param(
                    url, method, data, persona, status, id=f"{name}-{method}-{persona}"
                )


@pytest.mark.parametrize(("url", "method", "data", "persona", "status"), list(_cases()))
def test_lesson_permission_matrix(cast, objects, url, method, data, persona, status):
    client = sign_in(getattr(cast, persona, None))
    address = url(objects)
    payload = data(objects) if data else {}
    response = client.get(address) if method == "GET" else client.post(address, payload)
    assert response.status_code == status, (
        f"{persona} {method} {address}: {response.status_code}, expected {status}"
    )
    if persona == "anonymous" and status == 302:
        assert response["Location"].startswith(reverse("account_login"))


# The apps whose pages this matrix covers: lessons and the capabilities built on them.
LESSON_NAMESPACES = (
    "lessons:",
    "discussion:",
    "moderation:",
    "notifications:",
    "search:",
    "insights:",
)


def test_every_lesson_page_has_rows_in_the_matrix():
    names = {name for name, _ in all_urls() if name.startswith(LESSON_NAMESPACES)}
    in_matrix = {row[0] for row in MATRIX}
    assert names - in_matrix == set(), f"lesson pages without a row: {names - in_matrix}"
    assert in_matrix - names == set(), f"rows of pages that no longer exist: {in_matrix - names}"
