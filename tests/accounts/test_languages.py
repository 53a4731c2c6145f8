"""The interface's language: the browser's by default, the switcher's choice, and a signed-in
official's own choice (User.language), which holds in every browser they sign in from."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from minilateral.languages import compiled_languages
from networks import account_services
from networks.models import AuditEvent, User
from tests.accounts.test_signup import signup
from tests.networks.conftest import sign_in

SET_LANGUAGE = "/i18n/setlang/"
COOKIE = settings.LANGUAGE_COOKIE_NAME
PUBLIC_LESSONS = "/public/lessons/"


def page_language(response):
    body = response.content.decode()
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


def profile_data(**changes):
    return {
        "full_name": "Lucía Pérez",
        "job_title": "Head of digital identity",
        "organisation": "AGESIC",
        "languages": ["es", "en"],
        "bio": "",
        "language": "",
        **changes,
    }


def test_the_switcher_answers_at_its_address():
    assert reverse("officials:set_language") == SET_LANGUAGE
    assert reverse("lessons:public_list") == PUBLIC_LESSONS


def test_every_page_has_the_switcher_with_each_language_in_its_own_name(client, demo):
    body = client.get(PUBLIC_LESSONS).content.decode()
    assert f'action="{SET_LANGUAGE}"' in body
    assert '<label for="language-switcher">Language of Minilateral</label>' in body
    assert '<option value="fr" lang="fr">Français</option>' in body
    assert '<option value="es" lang="es">Español</option>' in body
    assert '<option value="en" lang="en" selected>English</option>' in body
    assert 'name="csrfmiddlewaretoken"' in body.split(f'action="{SET_LANGUAGE}"', 1)[1]


def test_visitor_switches_to_french_and_the_next_page_is_in_french(client, demo):
    response = client.post(
        SET_LANGUAGE, {"language": "fr"}, headers={"Referer": f"http://testserver{PUBLIC_LESSONS}"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{PUBLIC_LESSONS}"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "fr"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    page = client.get(PUBLIC_LESSONS)
    assert page_language(page) == "fr"
    assert page["Content-Language"] == "fr"
    body = page.content.decode()
    assert "Aller au contenu principal" in body
    assert "Leçons publiques" in body
    assert '<option value="fr" lang="fr" selected>Français</option>' in body


def test_the_switcher_answers_only_a_post(client, demo):
    response = client.get(SET_LANGUAGE, {"language": "fr"})
    assert response.status_code == 405
    assert COOKIE not in response.cookies
    assert page_language(client.get(PUBLIC_LESSONS)) == "en"


@pytest.mark.parametrize("language", ["xx", "", "pt-not-a-language", "fr<script>"])
def test_a_language_not_offered_is_ignored(client, demo, language):
    response = client.post(SET_LANGUAGE, {"language": language})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert COOKIE not in response.cookies
    assert page_language(client.get(PUBLIC_LESSONS)) == "en"


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/phish/",
        "//evil.example/",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_the_switcher_goes_back_only_to_a_page_of_this_site(client, demo, referer):
    response = client.post(SET_LANGUAGE, {"language": "es"}, headers={"Referer": referer})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[COOKIE].value == "es"


def test_the_switcher_needs_the_forms_token(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post(SET_LANGUAGE, {"language": "fr"})
    assert response.status_code == 403
    assert COOKIE not in response.cookies


def test_a_visitor_gets_the_language_of_their_browser(client, demo):
    response = client.get(PUBLIC_LESSONS, headers={"Accept-Language": "es-UY,es;q=0.9,en;q=0.5"})
    assert page_language(response) == "es"
    assert "Lecciones públicas" in response.content.decode()
    assert "Accept-Language" in response["Vary"]
    response = client.get(PUBLIC_LESSONS, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert page_language(response) == "en"


def test_the_switchers_choice_wins_over_the_browser(client, demo):
    client.post(SET_LANGUAGE, {"language": "fr"})
    response = client.get(PUBLIC_LESSONS, headers={"Accept-Language": "es"})
    assert page_language(response) == "fr"


def test_an_officials_choice_is_saved_and_followed_in_another_browser(demo):
    client = sign_in(demo.member)
    response = client.post(
        SET_LANGUAGE, {"language": "fr"}, headers={"Referer": "http://testserver/accounts/"}
    )
    assert response["Location"] == "http://testserver/accounts/"
    assert User.objects.get(pk=demo.member.pk).language == "fr"
    assert AuditEvent.objects.filter(
        action="profile.update", actor=demo.member, changes={"fields": ["language"]}
    ).exists()
    assert page_language(client.get(reverse("officials:account"))) == "fr"

    # Another browser, which asks for Spanish: signed in, every page is in French.
    elsewhere = sign_in(User.objects.get(pk=demo.member.pk))
    headers = {"Accept-Language": "es"}
    account = elsewhere.get(reverse("officials:account"), headers=headers)
    assert page_language(account) == "fr"
    body = account.content.decode()
    assert "Votre compte" in body
    assert "Langue de Minilateral" in body
    assert '<span lang="fr">Français</span>' in body
    assert page_language(elsewhere.get(reverse("networks:mine"), headers=headers)) == "fr"
    # The browser is told to remember it, so it holds after signing out.
    assert account.cookies[COOKIE].value == "fr"
    elsewhere.post(reverse("account_logout"))
    assert page_language(elsewhere.get(PUBLIC_LESSONS, headers=headers)) == "fr"


def test_an_official_without_a_choice_follows_the_browser(demo):
    client = sign_in(demo.member)
    response = client.get(reverse("officials:account"), headers={"Accept-Language": "es"})
    assert page_language(response) == "es"
    assert "El idioma de mi navegador" in response.content.decode()
    assert COOKIE not in response.cookies


def test_the_same_choice_twice_is_recorded_once(demo):
    client = sign_in(demo.member)
    client.post(SET_LANGUAGE, {"language": "es"})
    client.post(SET_LANGUAGE, {"language": "es"})
    events = AuditEvent.objects.filter(actor=demo.member, changes={"fields": ["language"]})
    assert events.count() == 1


def test_the_service_refuses_a_language_not_offered(demo):
    with pytest.raises(ValueError, match="not offered"):
        account_services.official_language_set(acting_user=demo.member, language="xx")
    assert User.objects.get(pk=demo.member.pk).language == ""


def test_profile_language_is_saved_and_the_browser_follows(demo):
    client = sign_in(demo.member)
    form = client.get(reverse("officials:profile_edit")).content.decode()
    assert '<option value="" selected>The language of my browser</option>' in form
    assert '<option value="es" lang="es">Español</option>' in form
    assert "The pages and the email Minilateral sends you are in this language." in form

    response = client.post(reverse("officials:profile_edit"), profile_data(language="es"))
    assert response.status_code == 302
    assert User.objects.get(pk=demo.member.pk).language == "es"
    assert response.cookies[COOKIE].value == "es"
    account = client.get(response["Location"])
    assert page_language(account) == "es"
    # The confirmation is in the language just chosen.
    assert "Se ha guardado su perfil." in account.content.decode()

    # Back to the browser's language: the cookie is forgotten, Accept-Language decides.
    response = client.post(
        reverse("officials:profile_edit"),
        profile_data(language=""),
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=demo.member.pk).language == ""
    assert response.cookies[COOKIE]["max-age"] == 0
    account = client.get(response["Location"], headers={"Accept-Language": "fr"})
    assert page_language(account) == "fr"
    assert "Votre profil a été enregistré." in account.content.decode()
    assert page_language(client.get(reverse("officials:account"))) == "en"


def test_profile_refuses_a_language_not_offered(demo):
    client = sign_in(demo.member)
    response = client.post(reverse("officials:profile_edit"), profile_data(language="pt-xx"))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert User.objects.get(pk=demo.member.pk).language == ""


def test_sign_up_with_a_language(client, demo, mailoutbox):
    page = client.get(reverse("account_signup"), headers={"Accept-Language": "fr"})
    assert "Langue de Minilateral" in page.content.decode()
    assert "La langue de mon navigateur" in page.content.decode()
    response = signup(client, "ana.costa@gov.pt", language="fr")
    assert response.status_code == 302
    assert User.objects.get(email="ana.costa@gov.pt").language == "fr"


def test_sign_up_without_a_language_follows_the_browser(client, demo, mailoutbox):
    response = signup(client, "ana.costa@gov.pt")
    assert response.status_code == 302
    assert User.objects.get(email="ana.costa@gov.pt").language == ""


def test_error_pages_carry_no_switcher(demo):
    client = sign_in(demo.member)
    missing = client.get("/networks/no-such-network/")
    assert missing.status_code == 404
    assert SET_LANGUAGE not in missing.content.decode()


def test_email_language_prefers_the_chosen_language(demo):
    official = User(languages=["es"], language="")
    assert official.email_language == "es"
    official.language = "fr"
    assert official.email_language == "fr"
    official.language = "pt"  # no compiled catalogue: not offered
    assert official.email_language == "es"


def test_languages_are_english_and_each_compiled_catalogue():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes[0] == "en"
    assert {"fr", "es"} <= set(codes)
    for code in codes[1:]:
        assert (settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.mo").is_file()
    assert set(codes) <= set(settings.INTERFACE_LANGUAGE_NAMES)


def test_a_catalogue_counts_only_once_compiled(tmp_path):
    names = {"en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese"}
    for code, files in {"fr": ["django.po", "django.mo"], "pt": ["django.po"]}.items():
        folder = tmp_path / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        for name in files:
            (folder / name).write_bytes(b"")
    assert compiled_languages(names, [tmp_path]) == [("en", "English"), ("fr", "French")]
    (tmp_path / "pt" / "LC_MESSAGES" / "django.mo").write_bytes(b"")
    assert [code for code, _ in compiled_languages(names, [tmp_path])] == ["en", "fr", "pt"]


def test_language_names_are_translated_lazily():
    with translation.override("fr"):
        assert str(settings.INTERFACE_LANGUAGE_NAMES["es"]) == "Espagnol"
