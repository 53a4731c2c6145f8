"""GET never changes state: every page of the URL sweep, opened by each persona, writes no row.

A mail scanner or a link preview opens links by GET; a GET that marked, counted or created
something would act for the official behind their back. The check is PostgreSQL's own count of
the rows inserted, updated and deleted in the current transaction (pg_stat_xact_user_tables),
taken before and after each request of the sweep.
"""

from django.db import connection

from tests.networks.conftest import sign_in
from tests.test_translations import (  # noqa: F401 (world: a fixture)
    PERSONAS,
    brief_pages,
    pages,
    world,
)

# Bookkeeping a GET may write, and why.
EXEMPT = {
    # The session: a page may remember in it where the official was (a list's filters, the
    # language chosen, allauth's sign-in state); it is the browser's, not the official's data.
    "django_session",
    # allauth's record of each session (its address, browser and last sight), shown to the
    # official on their sessions page: bookkeeping of the session, like the session itself.
    "usersessions_usersession",
    # The database caches (when there is no Redis): remembered results, never state.
    "minilateral_cache",
    "minilateral_search_cache",
    # The log of refused pages (a signed-in official's 403 and 404): the record of the request
    # itself, like a web server's access log, kept so that probing stands out.
    "networks_accessdenial",
}


def _written():
    """Rows inserted, updated and deleted so far in this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {name: counts for name, *counts in cursor.fetchall() if name not in EXEMPT}


def _last_audit_event():
    from networks.models import AuditEvent

    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _only_sights_logged(changed, since):
    """A moderator's sight of an author the readers do not see is logged by the page that shows
    it (the access policy's promise): the audit log's new rows are dropped from `changed` when
    each of them is such a sight, and nothing else of the table changed."""
    from networks.models import AuditEvent

    counts = changed.get("networks_auditevent")
    if counts is None or counts[1:] != [0, 0]:
        return changed
    actions = set(AuditEvent.objects.filter(pk__gt=since).values_list("action", flat=True))
    if actions == {"author.seen"}:
        return {table: c for table, c in changed.items() if table != "networks_auditevent"}
    return changed


def _changed(before, after):
    return {
        table: [now - then for now, then in zip(counts, before.get(table, [0, 0, 0]), strict=True)]
        for table, counts in after.items()
        if counts != before.get(table, [0, 0, 0])
    }


def test_the_check_sees_a_write(db):
    from networks.models import Country

    before = _written()
    Country.objects.create(code="ZZ", name="Nowhere")
    assert _changed(before, _written())["networks_country"] == [1, 0, 0]


def test_no_get_of_the_sweep_changes_a_row_for_any_persona(world):  # noqa: F811
    briefs = brief_pages(world)  # first: `pages` names the brief
    paths = [*pages(world), *briefs, world.notification.get_absolute_url()]
    changes, opened = [], 0
    for persona in PERSONAS:
        client = sign_in(getattr(world.cast, persona, None))
        for path in paths:
            before, since = _written(), _last_audit_event()
            response = client.get(path)
            opened += response.status_code == 200
            changed = _only_sights_logged(_changed(before, _written()), since)
            if changed:
                changes.append(f"{persona} GET {path} ({response.status_code}): {changed}")
    assert opened > 150, f"only {opened} pages opened: the sweep lost its arguments"
    assert not changes, "GET changed rows:\n" + "\n".join(changes)
