"""What search keeps besides the index on lessons and comments: the vocabulary "did you mean"
suggests from, and officials' saved searches. The tables keep the names they were created under
(`lessons_*`)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minilateral.validators import single_line


class SearchTerm(models.Model):
    """A word that occurs in some lesson: what "did you mean" suggests from, never as such.

    A word is suggested to a reader only when a lesson they may read matches it at that moment
    (search.engine.suggest), so words of lessons outside their spaces never surface."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        db_table = "lessons_searchterm"
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_term_trgm")]

    def __str__(self):
        return self.word


class SavedSearch(models.Model):
    """An official's search, kept to run again and to hear of new matches in their digest."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    # The search as search.params.SearchParams.as_saved() writes it: q, filters, sort.
    query = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        db_table = "lessons_savedsearch"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from search.params import SearchParams

        return SearchParams.from_saved(self.query).url()


class SavedSearchAlert(models.Model):
    """A new match of a saved search that its owner's digest has told them of: each match is
    told once, and a digest that is sent again finds it told already."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="alerts")
    lesson = models.ForeignKey("lessons.Lesson", on_delete=models.CASCADE, related_name="+")
    alerted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "lesson"], name="search_alert_once_per_lesson"
            )
        ]

    def __str__(self):
        return f"{self.saved_search} · {self.lesson_id}"
