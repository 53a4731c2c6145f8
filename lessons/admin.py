from django.contrib import admin

from lessons import access, events
from lessons.models import Lesson, PolicyArea, Tag, TechnologyArea


class ReindexesLessons:
    """Lessons are searched by their tags' and areas' names: a rename reindexes them."""

    lessons_field = ""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            lessons = Lesson.objects.filter(**{self.lessons_field: obj})
            events.lessons_changed.send(
                sender=Lesson, lesson_ids=list(lessons.values_list("pk", flat=True))
            )


@admin.register(TechnologyArea)
class TechnologyAreaAdmin(ReindexesLessons, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    lessons_field = "technology_area"


@admin.register(PolicyArea)
class PolicyAreaAdmin(TechnologyAreaAdmin):
    lessons_field = "policy_area"


@admin.register(Tag)
class TagAdmin(ReindexesLessons, admin.ModelAdmin):
    search_fields = ["name"]
    lessons_field = "tags"


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    """Platform admins see lessons for operations; writing goes through the app's services."""

    list_display = ["title", "network", "state", "audience", "attribution", "published_at"]
    list_filter = ["state", "audience", "attribution", "network"]
    search_fields = ["title"]
    readonly_fields = [
        field.name
        for field in Lesson._meta.concrete_fields
        if field.name not in ("search_config", "search_vector")
    ]
    exclude = ["tags", "search_config", "search_vector"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        # The change page shows the real author: a hidden one's sight is logged.
        lesson = super().get_object(request, object_id, from_field)
        if lesson is not None:
            access.record_author_seen(request.user, lesson, in_admin=True)
        return lesson
