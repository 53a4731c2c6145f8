"""Nothing half-done: every write service is one transaction, and mail and tasks leave only
once it commits.

For each service a dry run counts the rows it writes (INSERT, UPDATE and DELETE statements);
then the service runs again with its first, middle and last write made to fail. After each
failure every table of the database is as it was (its row count and the checksum of its
contents), no file was left behind, no on-commit callback is waiting (those that are would be
run: `django_capture_on_commit_callbacks(execute=True)`), no task is queued and no email sent.

The guard at the end finds every service (a public function of a service module taking
`acting_user`) and fails for one that is not atomic or has no case here.
"""

import importlib
import inspect
import os
import pkgutil
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from demo.lessons import DEMO_PDF
from discussion import services as discussion
from discussion.models import Comment
from lessons import services
from lessons.models import Lesson
from moderation import curation
from moderation import services as moderation
from moderation.models import Collection
from networks import account_services
from networks import services as network_services
from networks.account_forms import ProfileForm
from networks.models import Country, Invitation, Membership, NetworkCountry, User
from notifications import services as notifications
from search import params as search_params
from search import services as search_services

SERVICE_MODULES = [
    services,
    moderation,
    curation,
    discussion,
    notifications,
    # networks.services is a package: its services live in one module per topic.
    *(
        importlib.import_module(f"{network_services.__name__}.{module.name}")
        for module in pkgutil.iter_modules(network_services.__path__)
    ),
    account_services,
]


class InjectedFault(Exception):
    """The failure this test injects; nothing in the app catches it."""


def _is_write(sql):
    return sql.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")


class WriteCounter:
    def __init__(self, fail_at=None):
        self.count = 0
        self.fail_at = fail_at

    def __call__(self, execute, sql, params, many, context):
        if _is_write(sql):
            self.count += 1
            if self.count == self.fail_at:
                raise InjectedFault(sql[:200])
        return execute(sql, params, many, context)


def database_state():
    """Every table's row count and a checksum of its contents."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608  # nosec B608: table names from the catalogue
                f"FROM {quoted} t"
            )
            state[table] = cursor.fetchone()
    return state


def stored_files():
    found = set()
    for folder, _folders, files in os.walk(settings.MEDIA_ROOT):
        found |= {os.path.join(folder, name) for name in files}
    return found


# The cases: each prepares what the service acts on (before the state is taken) and returns
# the call, which fetches its objects afresh, so that every run starts from the same rows.


def _lesson(c):
    return Lesson.objects.get(title__startswith="AI chatbot for tax questions")


def _fresh(model, pk):
    return lambda: model.objects.get(pk=pk)


def _draft(c, *, state=Lesson.State.DRAFT):
    draft = services.lesson_create(
        acting_user=c.member,
        network=c.digital_nations,
        data={
            "title": "Cloud first, then what?",
            "summary": "A summary.",
            "worked": "Shared procurement.",
            "did_not_work": "Lift and shift.",
            "language": "en",
        },
        tags=["cloud"],
    )
    Lesson.objects.filter(pk=draft.pk).update(state=state)
    return _fresh(Lesson, draft.pk)


def _playbook():
    return Collection.objects.get(title="Digital identity playbook")


def _comment(c):
    comment = discussion.comment_create(
        acting_user=c.member, lesson=_lesson(c), body="Did @Min-jun Kim try a pilot first?"
    ).comment
    return _fresh(Comment, comment.pk)


def _membership(user, network):
    return lambda: Membership.objects.get(user=user, network=network)


def _dane(c):
    return User.objects.create_user(
        "freja.holm@digst.dk", c.password, full_name="Freja Holm", country=_country("DK")
    )


def _country(code):
    return Country.objects.get(code=code)


def _new_country(c):
    return (
        Country.objects.exclude(
            pk__in=NetworkCountry.objects.filter(network=c.digital_nations).values("country_id")
        )
        .order_by("code")
        .first()
    )


def _old_invitation(c):
    """An open invitation sent two days ago (a resend a moment after a send is refused)."""
    invitation = Invitation.objects.create(
        email="old.invite@gov.pt",
        network=c.digital_nations,
        country=_country("PT"),
        invited_by=c.convenor,
        token_digest=network_services.token_digest("fault-injection-old-invitation"),
        created_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() + timedelta(days=12),
    )
    return _fresh(Invitation, invitation.pk)


def _invited(c):
    user = User.objects.create_user(
        "ines.costa@gov.pt", c.password, full_name="Inês Costa", country=_country("PT")
    )
    invitation = network_services.membership_invite(
        acting_user=c.convenor, network=c.digital_nations, email=user.email
    ).invitation
    return user, _fresh(Invitation, invitation.pk)


def lesson_create(c):
    data = {
        "title": "Open source licences: ask legal first",
        "summary": "What we learned publishing code.",
        "worked": "A licence chosen early.",
        "did_not_work": "Asking legal at the end.",
        "language": "en",
        "audience": "all_networks",
    }
    return lambda: services.lesson_create(
        acting_user=c.member, network=c.digital_nations, data=data, tags=["open source"]
    )


def lesson_update(c):
    def call():
        lesson = _lesson(c)
        return services.lesson_update(
            acting_user=lesson.author,
            lesson=lesson,
            data={"title": "AI chatbot: the hand-over was the hard part", "audience": "public"},
            tags=["chatbots", "tax"],
            version=lesson.version,
        )

    return call


def lesson_publish(c):
    draft = _draft(c)
    return lambda: services.lesson_publish(acting_user=c.member, lesson=draft())


def lesson_review_approve(c):
    waiting = _draft(c, state=Lesson.State.IN_REVIEW)
    return lambda: services.lesson_review_approve(acting_user=c.moderator, lesson=waiting())


def lesson_review_return(c):
    waiting = _draft(c, state=Lesson.State.IN_REVIEW)
    return lambda: services.lesson_review_return(
        acting_user=c.moderator, lesson=waiting(), message="Say what it cost."
    )


def lesson_withdraw(c):
    return lambda: services.lesson_withdraw(acting_user=c.moderator, lesson=_lesson(c))


def lesson_restore(c):
    services.lesson_withdraw(acting_user=c.moderator, lesson=_lesson(c))
    return lambda: services.lesson_restore(acting_user=c.moderator, lesson=_lesson(c))


def lesson_change_audience(c):
    return lambda: services.lesson_change_audience(
        acting_user=_lesson(c).author, lesson=_lesson(c), audience="all_networks"
    )


def audience_request_decide(c):
    lesson = _lesson(c)
    request = services.lesson_change_audience(
        acting_user=lesson.author, lesson=lesson, audience="all_networks"
    )
    return lambda: services.audience_request_decide(
        acting_user=c.moderator, request=type(request).objects.get(pk=request.pk), approve=True
    )


def endorsement_toggle(c):
    return lambda: services.endorsement_toggle(
        acting_user=c.focal_point, lesson=_lesson(c), kind="applied", note="It worked for us."
    )


def attachment_add(c):
    return lambda: services.attachment_add(
        acting_user=_lesson(c).author,
        lesson=_lesson(c),
        upload=ContentFile(DEMO_PDF, name="evaluation.pdf"),
    )


def attachment_remove(c):
    lesson = _lesson(c)
    attachment = services.attachment_add(
        acting_user=lesson.author, lesson=lesson, upload=ContentFile(DEMO_PDF, name="a.pdf")
    )
    return lambda: services.attachment_remove(
        acting_user=lesson.author, attachment=type(attachment).objects.get(pk=attachment.pk)
    )


def saved_search_create(c):
    return lambda: search_services.saved_search_create(
        acting_user=c.member, params=search_params.SearchParams.from_query({"q": "tax"}), name="Tax"
    )


def saved_search_delete(c):
    saved = search_services.saved_search_create(
        acting_user=c.member, params=search_params.SearchParams.from_query({"q": "tax"})
    )
    return lambda: search_services.saved_search_delete(
        acting_user=c.member, saved_search=type(saved).objects.get(pk=saved.pk)
    )


def flag_raise(c):
    c.digital_nations.__class__.objects.filter(pk=c.digital_nations.pk).update(flag_threshold=1)
    return lambda: moderation.flag_raise(
        acting_user=c.focal_point, lesson=_lesson(c), reason="inaccurate", note="Old figures."
    )


def lesson_hide(c):
    return lambda: moderation.lesson_hide(
        acting_user=c.moderator, lesson=_lesson(c), reason="Names a supplier."
    )


def lesson_unhide(c):
    moderation.lesson_hide(acting_user=c.moderator, lesson=_lesson(c), reason="Checking.")
    return lambda: moderation.lesson_unhide(
        acting_user=c.moderator, lesson=_lesson(c), reason="Checked."
    )


def lesson_feature(c):
    return lambda: moderation.lesson_feature(
        acting_user=c.moderator, lesson=_lesson(c), featured=not _lesson(c).is_featured
    )


def lesson_correct_taxonomy(c):
    return lambda: moderation.lesson_correct_taxonomy(
        acting_user=c.moderator,
        lesson=_lesson(c),
        technology_area=None,
        policy_area=None,
        tags=["chatbots", "a new tag"],
        reason="Tidier tags.",
    )


def tags_merge(c):
    source = _lesson(c).tags.order_by("name").first().name
    return lambda: moderation.tags_merge(
        acting_user=c.moderator, network=c.digital_nations, source=source, target="merged tag"
    )


def comment_flag_raise(c):
    c.digital_nations.__class__.objects.filter(pk=c.digital_nations.pk).update(flag_threshold=1)
    comment = _comment(c)  # by Lucía: Min-jun flags it, and the threshold hides it
    return lambda: moderation.comment_flag_raise(
        acting_user=c.group_member, comment=comment(), reason="rules", note="Off topic."
    )


def comment_hide(c):
    comment = _comment(c)
    return lambda: moderation.comment_hide(
        acting_user=c.moderator, comment=comment(), reason="Names a supplier's staff."
    )


def comment_restore(c):
    comment = _comment(c)
    moderation.comment_hide(acting_user=c.moderator, comment=comment(), reason="Checking.")
    return lambda: moderation.comment_restore(
        acting_user=c.moderator, comment=comment(), reason="Checked."
    )


def comment_flags_dismiss(c):
    comment = _comment(c)
    moderation.comment_flag_raise(acting_user=c.group_member, comment=comment(), reason="other")
    return lambda: moderation.comment_flags_dismiss(acting_user=c.moderator, comment=comment())


def lesson_comments_lock(c):
    return lambda: moderation.lesson_comments_lock(
        acting_user=c.moderator, lesson=_lesson(c), locked=True, reason="Heated."
    )


def moderator_note_add(c):
    return lambda: moderation.moderator_note_add(
        acting_user=c.moderator, lesson=_lesson(c), body="Ask for the evaluation."
    )


def collection_create(c):
    return lambda: curation.collection_create(
        acting_user=c.moderator, network=c.digital_nations, title="Chatbots", audience="network"
    )


def collection_update(c):
    return lambda: curation.collection_update(
        acting_user=c.moderator,
        collection=_playbook(),
        title="Identity playbook",
        introduction="Read in order.",
        audience="network",
    )


def collection_add_lesson(c):
    return lambda: curation.collection_add_lesson(
        acting_user=c.moderator, collection=_playbook(), lesson=_lesson(c)
    )


def collection_remove_lesson(c):
    return lambda: curation.collection_remove_lesson(
        acting_user=c.moderator,
        collection=_playbook(),
        lesson=_playbook().items.order_by("position").first().lesson,
    )


def collection_move(c):
    return lambda: curation.collection_move(
        acting_user=c.moderator,
        collection=_playbook(),
        lesson=_playbook().items.order_by("position").first().lesson,
        direction="down",
    )


def brief_export(c):
    return lambda: curation.brief_export(
        acting_user=c.moderator,
        network=c.digital_nations,
        title="For the OECD",
        audience="public",
        collection=_playbook(),
    )


def comment_create(c):
    return lambda: discussion.comment_create(
        acting_user=c.member, lesson=_lesson(c), body="Thank you, @Min-jun Kim: what did it cost?"
    )


def comment_edit(c):
    comment = _comment(c)
    return lambda: discussion.comment_edit(
        acting_user=c.member, comment=comment(), body="Did @Kadri Tamm try a pilot first?"
    )


def comment_delete(c):
    comment = _comment(c)
    return lambda: discussion.comment_delete(acting_user=c.member, comment=comment())


def follow_set(c):
    return lambda: discussion.follow_set(
        acting_user=c.focal_point, lesson=_lesson(c), following=True
    )


def notification_preference_set(c):
    _comment(c)  # an email waiting for Min-jun, which "never" skips
    return lambda: notifications.notification_preference_set(
        acting_user=_lesson(c).author, network=c.digital_nations, delivery="never"
    )


def notifications_mark_read(c):
    _comment(c)
    return lambda: notifications.notifications_mark_read(acting_user=_lesson(c).author)


def membership_invite(c):
    return lambda: network_services.membership_invite(
        acting_user=c.convenor, network=c.digital_nations, email="new.person@gov.pt"
    )


def membership_invite_many(c):
    return lambda: network_services.membership_invite_many(
        acting_user=c.convenor,
        network=c.digital_nations,
        addresses="one.person@gov.pt\ntwo.people@gub.uy",
    )


def invitation_accept(c):
    user, invitation = _invited(c)
    return lambda: network_services.invitation_accept(
        acting_user=User.objects.get(pk=user.pk), invitation=invitation()
    )


def invitation_resend(c):
    invitation = _old_invitation(c)
    return lambda: network_services.invitation_resend(
        acting_user=c.convenor, invitation=invitation()
    )


def invitation_revoke(c):
    invitation = _old_invitation(c)
    return lambda: network_services.invitation_revoke(
        acting_user=c.convenor, invitation=invitation()
    )


def join_request_create(c):
    dane = _dane(c)
    return lambda: network_services.join_request_create(
        acting_user=dane, network=c.digital_nations, message="Denmark's identity team."
    )


def join_request_approve(c):
    request = _fresh(type(c.join_request), c.join_request.pk)
    return lambda: network_services.join_request_approve(
        acting_user=c.convenor, join_request=request()
    )


def join_request_decline(c):
    request = _fresh(type(c.join_request), c.join_request.pk)
    return lambda: network_services.join_request_decline(
        acting_user=c.convenor, join_request=request()
    )


def membership_change_role(c):
    lucia = _membership(c.member, c.digital_nations)
    return lambda: network_services.membership_change_role(
        acting_user=c.convenor, membership=lucia(), role=Membership.Role.MODERATOR
    )


def membership_suspend(c):
    lucia = _membership(c.member, c.digital_nations)
    return lambda: network_services.membership_suspend(acting_user=c.convenor, membership=lucia())


def membership_reinstate(c):
    aroha = _membership(c.suspended, c.digital_nations)
    return lambda: network_services.membership_reinstate(acting_user=c.convenor, membership=aroha())


def membership_remove(c):
    lucia = _membership(c.member, c.digital_nations)
    return lambda: network_services.membership_remove(acting_user=c.convenor, membership=lucia())


def membership_leave(c):
    return lambda: network_services.membership_leave(
        acting_user=User.objects.get(pk=c.group_member.pk), network=c.digital_nations
    )


def network_country_add(c):
    country = _new_country(c)
    return lambda: network_services.network_country_add(
        acting_user=c.convenor, network=c.digital_nations, country=country
    )


def network_country_remove(c):
    return lambda: network_services.network_country_remove(
        acting_user=c.convenor, network=c.digital_nations, country=_country("PT")
    )


def focal_point_add(c):
    return lambda: network_services.focal_point_add(
        acting_user=c.convenor, network=c.digital_nations, country=_country("UY"), user=c.member
    )


def focal_point_remove(c):
    return lambda: network_services.focal_point_remove(
        acting_user=c.convenor, network=c.digital_nations, country=_country("PT"), user=c.moderator
    )


def _group(c):
    return c.group.__class__.objects.get(pk=c.group.pk)


def working_group_create(c):
    return lambda: network_services.working_group_create(
        acting_user=c.convenor, network=c.digital_nations, name="Cloud procurement"
    )


def working_group_update(c):
    return lambda: network_services.working_group_update(
        acting_user=c.convenor, group=_group(c), name="Digital identity wallets", purpose="Wallets."
    )


def working_group_archive(c):
    return lambda: network_services.working_group_archive(acting_user=c.convenor, group=_group(c))


def working_group_set_members(c):
    return lambda: network_services.working_group_set_members(
        acting_user=c.convenor, group=_group(c), members=[c.member, c.convenor]
    )


def network_update(c):
    def call():
        network = c.digital_nations.__class__.objects.get(pk=c.digital_nations.pk)
        return network_services.network_update(
            acting_user=c.convenor,
            network=network,
            purpose="A new charter.",
            is_listed=not network.is_listed,
            requires_review=not network.requires_review,
            default_attribution="named",
        )

    return call


def profile_update(c):
    def call():
        user = User.objects.get(pk=c.member.pk)
        form = ProfileForm(
            {"full_name": "Lucía Pérez Gómez", "job_title": "Director", "bio": "Hello."},
            instance=user,
        )
        assert form.is_valid(), form.errors
        return account_services.profile_update(acting_user=user, form=form)

    return call


def official_language_set(c):
    return lambda: account_services.official_language_set(
        acting_user=User.objects.get(pk=c.member.pk), language="fr"
    )


def account_deactivate(c):
    return lambda: account_services.account_deactivate(acting_user=User.objects.get(pk=c.member.pk))


def account_export_data(c):
    return lambda: account_services.account_export_data(acting_user=c.member)


def official_erase(c):
    return lambda: account_services.official_erase(
        acting_user=c.admin, official=User.objects.get(pk=c.member.pk)
    )


def _case(name):
    case = globals().get(name)
    if name.startswith("_") or not inspect.isfunction(case) or case.__module__ != __name__:
        return None
    return case


CASES = {
    f"{module.__name__}.{name}": _case(name)
    for module in SERVICE_MODULES
    for name in vars(module)
    if _case(name) is not None
}


def _services():
    """Every public function of a service module that takes `acting_user`."""
    for module in SERVICE_MODULES:
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__:
                continue
            parameters = inspect.signature(inspect.unwrap(function)).parameters
            if "acting_user" in parameters:
                yield f"{module.__name__}.{name}", function


def _run(call, counter):
    with connection.execute_wrapper(counter):
        return call()


@pytest.mark.parametrize("service", sorted(CASES))
def test_a_service_that_fails_late_leaves_nothing_behind(
    cast, service, django_capture_on_commit_callbacks
):
    call = CASES[service](cast)
    before, files = database_state(), stored_files()
    mail.outbox.clear()

    # A dry run, rolled back: how many rows the service writes, and that it writes at all.
    dry = WriteCounter()
    with transaction.atomic():
        _run(call, dry)
        assert database_state() != before, f"{service} changed nothing: the case is wrong"
        transaction.set_rollback(True)
    assert dry.count > 0
    assert database_state() == before
    created_files = stored_files() - files
    for path in created_files:  # what the dry run stored
        os.remove(path)

    for fail_at in sorted({1, (dry.count + 1) // 2, dry.count}):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(InjectedFault),
        ):
            _run(call, WriteCounter(fail_at=fail_at))
        where = f"{service}, failing at write {fail_at} of {dry.count}"
        changed = {table for table, value in database_state().items() if before.get(table) != value}
        assert changed == set(), f"{where}: rows left in {changed}"
        assert callbacks == [], f"{where}: work waiting for a commit"
        assert mail.outbox == [], f"{where}: an email was sent"
        assert stored_files() == files, f"{where}: files left behind"


def test_every_service_is_atomic_and_has_a_fault_injection_case():
    found = dict(_services())
    assert len(found) > 40, "the service modules were not found"
    not_atomic = {name for name, function in found.items() if not hasattr(function, "__wrapped__")}
    assert not_atomic == set(), f"services outside a transaction: {not_atomic}"
    assert set(found) - set(CASES) == set(), f"services without a case: {set(found) - set(CASES)}"
    assert set(CASES) - set(found) == set(), f"cases of no service: {set(CASES) - set(found)}"


def test_the_injected_fault_is_really_injected(cast):
    """The harness itself: a failing write raises, and a count of writes is a count."""
    counter = WriteCounter(fail_at=2)
    with pytest.raises(InjectedFault), transaction.atomic():
        _run(collection_create(cast), counter)
    assert counter.count == 2
    assert not Collection.objects.filter(title="Chatbots").exists()
