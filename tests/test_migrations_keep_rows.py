"""Moving the capabilities' models out of `lessons` (into discussion, moderation, notifications
and search) must not lose a row of an existing database.

The moves are state-only: each new app's 0001 creates its models in the migration state over the
very `lessons_*` tables `lessons` 0001..0011 created (kept by Meta.db_table) and moves their
content types, and `lessons` 0012 deletes them from lessons' state. These tests take a database
back to the old layout, write a row in every moved table through the old historical models, and
migrate it forward again.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks_db.models import DBTaskResult

from discussion.models import Comment, CommentRevision, Follow
from moderation.models import Brief, Collection, CollectionItem, Flag, ModeratorNote
from networks.models import User
from notifications.digests import send_digests
from notifications.models import Notification, NotificationPreference
from search.models import SavedSearch, SearchTerm

OLD_LESSONS = ("lessons", "0011_unread_index_and_names")
NEW_APPS = ("discussion", "moderation", "notifications", "search")
# The database as it was before the move: lessons at 0011, none of the new apps' migrations.
OLD_LAYOUT = [OLD_LESSONS, *((app, None) for app in NEW_APPS)]

# Every moved model, under its new app: its table is still `lessons_<model name>`.
MOVED_MODELS = [
    Comment,
    CommentRevision,
    Follow,
    Flag,
    ModeratorNote,
    Collection,
    CollectionItem,
    Brief,
    Notification,
    NotificationPreference,
    SearchTerm,
    SavedSearch,
]
MODEL_NAMES = [model.__name__ for model in MOVED_MODELS]
MOVED_TABLES = [f"lessons_{model._meta.model_name}" for model in MOVED_MODELS]
# The auto-created table of Comment.mentions, named after the model's table.
MENTIONS_TABLE = "lessons_comment_mentions"

WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def _old_layout_nodes(executor):
    """The migrations of the old layout, every app of it included: the state its historical
    models come from (project_state needs nodes, not the (app, None) targets). Apps that came
    after the move (their migrations need the new apps) are not part of it."""
    graph = executor.loader.graph
    old_lessons = set(graph.forwards_plan(OLD_LESSONS))

    def of_old_layout(node):
        return all(
            app not in NEW_APPS and (app != "lessons" or (app, name) in old_lessons)
            for app, name in graph.forwards_plan(node)
        )

    leaves = [node for node in graph.leaf_nodes() if node[0] not in {*NEW_APPS, "lessons"}]
    return [node for node in leaves if of_old_layout(node)] + [OLD_LESSONS]


def _row_counts():
    """How many rows each moved table holds (the demo world's rows as well as the test's)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in [*MOVED_TABLES, MENTIONS_TABLE, "django_content_type", "auth_permission"]:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (our own table names)
            counts[table] = cursor.fetchone()[0]
    return counts


def _write_old_rows(apps):
    """One row in every moved table, written through the old layout's historical models (all in
    app `lessons`). Returns, per current model, the pk and the values to find again."""
    old = {name: apps.get_model("lessons", name) for name in ("Lesson", *MODEL_NAMES)}
    Country = apps.get_model("networks", "Country")
    Network = apps.get_model("networks", "Network")
    HistoricalUser = apps.get_model("networks", "User")

    country = Country.objects.create(code="XM", name="Migrationland")
    network = Network.objects.create(
        name="Network kept through migrations", slug="kept-through-migrations", purpose="Rows."
    )
    author = HistoricalUser.objects.create(
        email="author@kept.example", full_name="Ada Author", password="!", country=country
    )
    mentioned = HistoricalUser.objects.create(
        email="mentioned@kept.example", full_name="Mo Mentioned", password="!"
    )
    lesson = old["Lesson"].objects.create(
        network=network,
        author=author,
        author_country=country,
        title="A lesson whose discussion must survive",
        summary="Kept.",
        audience="network",
        attribution="chatham",
    )

    comment = old["Comment"].objects.create(
        lesson=lesson, author=author, body="The comment written before the move.", created_at=WHEN
    )
    comment.mentions.add(mentioned)
    revision = old["CommentRevision"].objects.create(
        comment=comment, number=1, body="The comment before its edit.", created_at=WHEN
    )
    follow = old["Follow"].objects.create(user=mentioned, lesson=lesson, created_at=WHEN)
    flag = old["Flag"].objects.create(
        comment=comment, reporter=mentioned, reason="rules", note="Flagged before the move."
    )
    note = old["ModeratorNote"].objects.create(
        lesson=lesson, author=author, body="A moderator's note before the move."
    )
    collection = old["Collection"].objects.create(
        network=network,
        title="A playbook before the move",
        slug="playbook-before-the-move",
        created_by=author,
    )
    item = old["CollectionItem"].objects.create(collection=collection, lesson=lesson, position=4)
    brief = old["Brief"].objects.create(
        network=network,
        title="A brief before the move",
        audience="network",
        collection=collection,
        filters={"q": "consent"},
        lesson_count=1,
        created_by=author,
        pdf="briefs/old.pdf",
        markdown="briefs/old.md",
        csv="briefs/old.csv",
        json="briefs/old.json",
    )
    notification = old["Notification"].objects.create(
        recipient=author,
        kind="mention",
        network=network,
        lesson=lesson,
        comment=comment,
        actor=mentioned,
        data={"before": "the move"},
    )
    preference = old["NotificationPreference"].objects.create(
        user=author, network=network, delivery="weekly"
    )
    term = old["SearchTerm"].objects.create(word="migrationkeptword")
    saved = old["SavedSearch"].objects.create(
        owner=author, name="Saved before the move", query={"q": "kept"}
    )

    return {
        "users": (author.pk, mentioned.pk),
        "comment": comment.pk,
        "rows": {
            Comment: (
                comment.pk,
                {
                    "body": comment.body,
                    "lesson_id": lesson.pk,
                    "author_id": author.pk,
                    "created_at": WHEN,
                },
            ),
            CommentRevision: (
                revision.pk,
                {"comment_id": comment.pk, "number": 1, "body": revision.body},
            ),
            Follow: (follow.pk, {"user_id": mentioned.pk, "lesson_id": lesson.pk}),
            Flag: (
                flag.pk,
                {"comment_id": comment.pk, "lesson_id": None, "reason": "rules", "note": flag.note},
            ),
            ModeratorNote: (note.pk, {"lesson_id": lesson.pk, "body": note.body}),
            Collection: (
                collection.pk,
                {"network_id": network.pk, "title": collection.title, "slug": collection.slug},
            ),
            CollectionItem: (
                item.pk,
                {"collection_id": collection.pk, "lesson_id": lesson.pk, "position": 4},
            ),
            Brief: (
                brief.pk,
                {
                    "title": brief.title,
                    "collection_id": collection.pk,
                    "filters": {"q": "consent"},
                    "pdf": "briefs/old.pdf",
                    "json": "briefs/old.json",
                },
            ),
            Notification: (
                notification.pk,
                {
                    "recipient_id": author.pk,
                    "kind": "mention",
                    "comment_id": comment.pk,
                    "data": {"before": "the move"},
                },
            ),
            NotificationPreference: (
                preference.pk,
                {"user_id": author.pk, "network_id": network.pk, "delivery": "weekly"},
            ),
            SearchTerm: (term.pk, {"word": "migrationkeptword"}),
            SavedSearch: (
                saved.pk,
                {"owner_id": author.pk, "name": saved.name, "query": {"q": "kept"}},
            ),
        },
    }


def _old_task_runs(apps):
    """Runs of the notifications' tasks queued under the old layout's paths: two waiting (the
    digests' schedule and one notification's email) and one finished, which stays as it was."""
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")

    def run(path, status, kwargs):
        return DBTaskResult.objects.create(
            status=status,
            task_path=path,
            args_kwargs={"args": [], "kwargs": kwargs},
            backend_name="default",
            queue_name="default",
            run_after=WHEN,
            exception_class_path="",
            traceback="",
        ).pk

    return {
        run("lessons.notifications.send_digests", "READY", {"frequency": "daily"}): (
            "notifications.digests.send_digests"
        ),
        run("lessons.notifications.email_notification", "READY", {"notification_id": 1}): (
            "notifications.services.email_notification"
        ),
        run("lessons.notifications.email_notification", "SUCCESSFUL", {"notification_id": 2}): (
            "lessons.notifications.email_notification"
        ),
    }


def _old_content_types(apps, user_pk):
    """The old content type of every moved model (app_label "lessons"), created if absent, and a
    permission on the comment's, granted to a user: they must follow the models."""
    OldContentType = apps.get_model("contenttypes", "ContentType")
    OldPermission = apps.get_model("auth", "Permission")
    content_types = {
        model._meta.model_name: OldContentType.objects.get_or_create(
            app_label="lessons", model=model._meta.model_name
        )[0].pk
        for model in MOVED_MODELS
    }
    permission = OldPermission.objects.create(
        content_type_id=content_types["comment"],
        codename="keep_comment_through_migrations",
        name="Can keep a comment through migrations",
    )
    apps.get_model("networks", "User").objects.get(pk=user_pk).user_permissions.add(permission)
    return content_types, permission.pk


@pytest.mark.django_db(transaction=True)
def test_migrating_a_database_of_the_old_layout_keeps_every_row():
    """A database of the old layout (lessons at 0011, holding every model) migrated to the latest
    keeps every row of every moved table, with its pk and values, the comments' mentions, and the
    moved models' content types (same ids, now under the new apps) with their permissions.

    Migrating back to the old layout touches no table either: the tables are all still there."""
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(OLD_LAYOUT)
        executor.loader.build_graph()
        applied = executor.loader.applied_migrations
        assert OLD_LESSONS in applied
        assert ("lessons", "0012_capabilities_moved_out") not in applied
        assert not [node for node in applied if node[0] in NEW_APPS]
        tables = set(connection.introspection.table_names())
        assert {*MOVED_TABLES, MENTIONS_TABLE} <= tables, "migrating back dropped a table"
        old_apps = executor.loader.project_state(_old_layout_nodes(executor)).apps
        assert not [model for model in old_apps.get_models() if model._meta.app_label in NEW_APPS]

        written = _write_old_rows(old_apps)
        author_pk, mentioned_pk = written["users"]
        content_types, permission_pk = _old_content_types(old_apps, author_pk)
        task_runs = _old_task_runs(old_apps)
        counts = _row_counts()

        executor.migrate(executor.loader.graph.leaf_nodes())
        executor.loader.build_graph()
        assert set(executor.loader.graph.leaf_nodes()) <= set(executor.loader.applied_migrations)

        assert _row_counts() == counts, "a migration added or removed rows"
        for model, (pk, values) in written["rows"].items():
            found = model.objects.filter(pk=pk).values(*values).first()
            assert found == values, f"{model.__name__} {pk} was lost or changed"
        comment = Comment.objects.get(pk=written["comment"])
        assert list(comment.mentions.values_list("pk", flat=True)) == [mentioned_pk]

        ContentType.objects.clear_cache()
        for model in MOVED_MODELS:
            content_type = ContentType.objects.get(pk=content_types[model._meta.model_name])
            assert (content_type.app_label, content_type.model) == (
                model._meta.app_label,
                model._meta.model_name,
            )
            assert ContentType.objects.get_for_model(model).pk == content_type.pk
        assert not ContentType.objects.filter(
            app_label="lessons", model__in=[model._meta.model_name for model in MOVED_MODELS]
        ).exists()
        permission = Permission.objects.get(pk=permission_pk)
        assert permission.content_type_id == content_types["comment"]
        assert User.objects.get(pk=author_pk).has_perm("discussion.keep_comment_through_migrations")

        # Waiting runs now name their task where the worker can import it.
        for pk, path in task_runs.items():
            assert DBTaskResult.objects.get(pk=pk).task_path == path
        assert DBTaskResult.objects.get(pk=next(iter(task_runs))).task.func is send_digests.func
        DBTaskResult.objects.filter(pk__in=task_runs).delete()
    finally:
        # Other tests on this worker reuse the database: leave it fully migrated, even on failure.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_moved_models_keep_their_tables():
    """Every moved model still reads and writes the table `lessons` created it in."""
    tables = set(connection.introspection.table_names())
    for model in MOVED_MODELS:
        assert model._meta.db_table == f"lessons_{model._meta.model_name}", model
        assert model._meta.db_table in tables, model
    assert Comment.mentions.through._meta.db_table == MENTIONS_TABLE
    assert MENTIONS_TABLE in tables
