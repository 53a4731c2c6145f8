"""A French-speaking official's day in a real Chromium, in French from the sign-in on: she picks
French in the frame, signs in with her second factor, writes and publishes a lesson, comments on
a peer's lesson, and reads the notice of a Spanish-speaking peer's comment on hers, in French.
axe checks every page visited, and no page shows the English of the interface."""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import Lesson
from tests.browser.axe import assert_accessible
from tests.browser.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Le guichet unique a tenu grâce au registre"
# Words of the English interface that a French page must never show.
ENGLISH = [
    "Sign in",
    "Sign out",
    "My networks",
    "Write a lesson",
    "unread",
    "Save draft",
    "Your comment",
    "What worked",
    "commented on your lesson",
    "Language of Minilateral",
]


def in_french(page):
    """The page declares French, says nothing of the English interface, and passes axe."""
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    text = page.locator("body").inner_text()
    assert not [words for words in ENGLISH if words in text], page.url
    assert_accessible(page)


def test_a_french_official_signs_in_writes_comments_and_reads_a_notice_in_french(
    page, browser, live_server, demo
):
    kadri = demo.convenor  # a convenor: she signs in with a second factor
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Language of Minilateral").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à Minilateral")
    in_french(page)

    page.locator("input[name=login]").fill(kadri.email)
    page.get_by_label("Mot de passe").fill(demo.password)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authentification à deux facteurs")
    in_french(page)
    page.get_by_label("Code").fill(totp_code(demo.totp_secret))
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    in_french(page)

    page.get_by_role("link", name="Mes leçons").click()
    in_french(page)
    page.get_by_role("link", name="Rédiger une leçon").click()
    page.get_by_role("link", name="Digital Nations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rédiger une leçon")
    in_french(page)
    summary = "Un registre fiable d'abord, le guichet ensuite."
    page.get_by_label("Résumé").fill(summary)
    page.get_by_label("Ce qui a fonctionné").fill("Le registre partagé entre ministères.")
    page.get_by_label("Ce qui n’a pas fonctionné").fill("Les formulaires papier en parallèle.")
    # Without a title, the form says so in French and keeps what was typed.
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", name="Un problème a été détecté")).to_be_visible()
    expect(page.get_by_label("Résumé")).to_have_value(summary)
    in_french(page)
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    in_french(page)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Votre leçon a été publiée.")).to_be_visible()
    in_french(page)
    lesson = Lesson.objects.get(title=TITLE)
    assert lesson.state == Lesson.State.PUBLISHED
    assert lesson.language == "fr"  # the language she works in

    # She comments on a peer's lesson.
    peers = Lesson.objects.filter(
        network=demo.digital_nations, author=demo.member, state=Lesson.State.PUBLISHED
    )
    peer_lesson = peers.filter(audience="network").first() or peers.first()
    page.goto(live_server.url + peer_lesson.get_absolute_url())
    in_french(page)
    page.get_by_label("Votre commentaire").fill("Combien de temps a duré le pilote ?")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.get_by_text("Votre commentaire a été publié.")).to_be_visible()
    in_french(page)

    # A Uruguayan peer, working in Spanish, comments on her lesson.
    uruguay = browser.new_context(base_url=live_server.url, locale="es")
    other = uruguay.new_page()
    other.goto(live_server.url + "/accounts/login/")
    expect(other.locator("html")).to_have_attribute("lang", "es")
    other.locator("input[name=login]").fill(demo.member.email)
    other.locator("input[name=password]").fill(demo.password)
    other.get_by_role("button", name="Iniciar sesión", exact=True).click()
    expect(other.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    other.goto(live_server.url + lesson.get_absolute_url())
    other.get_by_label("Su comentario").fill("¿Cuántos ministerios comparten el registro?")
    other.get_by_role("button", name="Publicar comentario").click()
    expect(other.get_by_text("Se ha publicado su comentario.")).to_be_visible()
    assert_accessible(other)
    uruguay.close()

    # She reads the notice in French.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile(r"^Notifications \d+ non lues?$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    in_french(page)
    page.get_by_role("link", name=f"Lucía Pérez a commenté votre leçon « {TITLE} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("¿Cuántos ministerios comparten el registro?")).to_be_visible()
    in_french(page)
