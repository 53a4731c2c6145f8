from django.contrib import admin

from lessons.models import Lesson, PolicyArea, Tag, TechnologyArea


@admin.register(TechnologyArea, PolicyArea)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    """Platform admins see lessons for operations; writing goes through the app's services."""

    list_display = ["title", "network", "state", "audience", "attribution", "published_at"]
    list_filter = ["state", "audience", "attribution", "network"]
    search_fields = ["title"]
    readonly_fields = [field.name for field in Lesson._meta.concrete_fields]
    exclude = ["tags"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
