"""Validation matches what the form says: a lesson's year within 1990–2100, titles and names
on one line, and a brief's file name that keeps its whole title."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lessons.models import Lesson
from moderation import curation
from moderation.curation_views import BriefForm, CollectionForm
from moderation.models import Collection
from networks.account_forms import SignupProfileForm
from networks.forms import WorkingGroupForm
from networks.services import ActionRefused
from search import params as search_params
from search import services as search_services
from tests.lessons.test_lesson_writing import form_data
from tests.networks.conftest import sign_in

ONE_LINE = "Keep this on one line"


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["5", "1989", "2101", "30000"])
def test_a_year_outside_1990_to_2100_is_refused_and_nothing_is_saved(demo, year):
    url = reverse("lessons:create") + "?network=digital-nations"
    response = sign_in(demo.member).post(url, form_data(action="draft", year=year))
    assert response.status_code in (200, 400)
    assert "Cloud contracts nobody used" in response.content.decode()  # kept what was typed
    assert not Lesson.objects.filter(title="Cloud contracts nobody used").exists()


@pytest.mark.django_db
def test_the_model_refuses_a_year_outside_the_range_too(demo):
    lesson = Lesson.objects.filter(network=demo.digital_nations).first()
    for year in (5, 1989, 30000):
        lesson.year = year
        with pytest.raises(ValidationError):
            lesson.full_clean()
    lesson.year = 2024
    lesson.full_clean(exclude=["search_vector"])


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["1990", "2100"])
def test_the_years_at_the_ends_of_the_range_are_kept(demo, year):
    url = reverse("lessons:create") + "?network=digital-nations"
    sign_in(demo.member).post(url, form_data(action="draft", year=year))
    assert Lesson.objects.get(title="Cloud contracts nobody used").year == int(year)


@pytest.mark.django_db
@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\u2028"])
def test_a_lesson_title_with_a_line_break_is_refused_with_a_message(demo, line_break):
    url = reverse("lessons:create") + "?network=digital-nations"
    title = f"Cloud contracts{line_break}nobody used"
    response = sign_in(demo.member).post(url, form_data(action="draft", title=title))
    assert ONE_LINE in response.content.decode()
    assert not Lesson.objects.filter(title__startswith="Cloud contracts").exists()


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (WorkingGroupForm, {"name": "Digital\nidentity"}, "name"),
        (BriefForm, {"title": "For the\nOECD", "audience": "public"}, "title"),
        (CollectionForm, {"title": "Play\nbook", "audience": "public"}, "title"),
        (SignupProfileForm, {"full_name": "Ana\nPérez"}, "full_name"),
        (SignupProfileForm, {"full_name": "Ana Pérez", "job_title": "CIO\nCTO"}, "job_title"),
    ],
)
@pytest.mark.django_db
def test_single_line_fields_of_the_forms_refuse_line_breaks(demo, form_class, data, field):
    extra = {"network": demo.digital_nations} if form_class is BriefForm else {}
    form = form_class(data=data, **extra)
    assert not form.is_valid()
    assert any(ONE_LINE in error for error in form.errors[field])


@pytest.mark.django_db
def test_names_of_networks_questions_and_officials_refuse_line_breaks(demo):
    from questions.models import Question

    demo.digital_nations.name = "Digital\nNations"
    demo.member.full_name = "Lucía\rPérez"
    question = Question.objects.first()
    question.title = "What\u2029broke?"
    for record, field in ((demo.digital_nations, "name"), (demo.member, "full_name")):
        with pytest.raises(ValidationError) as refused:
            record.full_clean()
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert "title" in refused.value.message_dict


@pytest.mark.django_db
def test_a_saved_search_name_with_a_line_break_is_refused(demo):
    params = search_params.SearchParams.from_query({"q": "tax"})
    with pytest.raises(ActionRefused, match="one line"):
        search_services.saved_search_create(
            acting_user=demo.member, params=params, name="Tax\nquestions"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["csv", "md", "pdf", "json"])
def test_a_brief_downloads_under_its_whole_title(demo, extension):
    brief = curation.brief_export(
        acting_user=demo.moderator,
        network=demo.digital_nations,
        title="OECD/UN brief: «données»",
        audience="public",
        collection=Collection.objects.get(title="Digital identity playbook"),
    )
    url = reverse("moderation:brief_download", args=["digital-nations", brief.pk, extension])
    disposition = sign_in(demo.moderator).get(url)["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''OECD-UN%20brief-%20%C2%ABdonn%C3%A9es%C2%BB.{extension}" in (
        disposition
    )
    assert f'filename="OECD-UN brief- donnees.{extension}"' in disposition
