"""Network notices and invitations are written in each recipient's language (their
`email_language`), subject, plain text and HTML alike, whatever language the official who caused
them was using. The words checked are the catalogue's (locale/<language>/LC_MESSAGES)."""

from django.utils import translation
from django.utils.formats import date_format

from networks import services
from networks.models import Country, JoinRequest, User


def _speaking(user, *languages):
    user.languages = list(languages)
    user.save(update_fields=["languages"])
    return user


def _applicant(email, name, *languages):
    user = User.objects.create_user(
        email, "a long enough password", full_name=name, country=Country.objects.get(code="DK")
    )
    return _speaking(user, *languages)


def _to(outbox, user):
    (message,) = [message for message in outbox if message.to == [user.email]]
    return message


def _everything(message):
    return message.subject + message.body + message.alternatives[0].content


def test_a_decision_of_a_french_convenor_reaches_each_applicant_in_their_language(
    cast, outbox, django_capture_on_commit_callbacks, run_worker
):
    _speaking(cast.convenor, "fr")
    english = _applicant("ida.holm@digst.dk", "Ida Holm")  # no language said: the site's
    spanish = _applicant("carla.ruiz@digst.dk", "Carla Ruiz", "es-mx", "en")
    requests = [
        JoinRequest.objects.create(user=user, network=cast.digital_nations)
        for user in (english, spanish)
    ]
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        for join_request in requests:
            services.join_request_approve(acting_user=cast.convenor, join_request=join_request)
    run_worker()

    in_spanish = _to(outbox, spanish)
    assert in_spanish.subject == "Le damos la bienvenida a Digital Nations"
    approved = "Se ha aprobado su solicitud de adhesión a Digital Nations. Ya es miembro."
    assert approved in in_spanish.body
    assert "Abrir Digital Nations" in in_spanish.body
    html = in_spanish.alternatives[0].content
    assert '<html lang="es">' in html
    assert approved in html
    assert "aprendizaje entre pares" in html  # the frame's own words too

    in_english = _to(outbox, english)
    assert in_english.subject == "Welcome to Digital Nations"
    approved = "Your request to join Digital Nations was approved. You are now a member."
    assert approved in in_english.body
    assert approved in in_english.alternatives[0].content
    assert '<html lang="en">' in in_english.alternatives[0].content

    for message in (in_spanish, in_english):
        text = _everything(message)
        for french in ("Bienvenue", "approuvée", "Ouvrir", 'lang="fr"'):
            assert french not in text
    assert "Welcome" not in _everything(in_spanish)


def test_one_notice_to_several_officials_is_written_for_each_in_their_own_language(
    cast, outbox, django_capture_on_commit_callbacks, run_worker
):
    _speaking(cast.convenor, "fr")
    _speaking(cast.focal_point, "es")  # Denmark's focal point decides with the convenor
    applicant = _applicant("ida.holm@digst.dk", "Ida Holm", "en")
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_create(
            acting_user=applicant, network=cast.digital_nations, message="Hello"
        )
    run_worker()

    to_convenor = _to(outbox, cast.convenor)
    assert to_convenor.subject == "Ida Holm demande à rejoindre Digital Nations"
    assert "Statuer sur la demande" in to_convenor.body
    assert "Statuer sur la demande" in to_convenor.alternatives[0].content
    to_focal_point = _to(outbox, cast.focal_point)
    assert to_focal_point.subject == "Ida Holm solicita unirse a Digital Nations"
    assert "Decidir sobre la solicitud" in to_focal_point.body
    assert "Decidir sobre la solicitud" in to_focal_point.alternatives[0].content
    assert "Decide on the request" not in _everything(to_convenor) + _everything(to_focal_point)


def test_an_invitation_is_in_the_invitees_language_never_the_inviters(
    cast, outbox, django_capture_on_commit_callbacks, run_worker
):
    """An address with an account gets its official's language; a bare address the site's
    default (an invitation records no language, and the convenor's says nothing of theirs)."""
    _speaking(cast.convenor, "fr")
    spanish = _speaking(cast.applicant, "es")  # Lars has an account, not yet a membership
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        for address in (spanish.email, "ana.costa@gov.pt"):
            services.membership_invite(
                acting_user=cast.convenor, network=cast.digital_nations, email=address
            )
    run_worker()

    in_spanish = _to(outbox, spanish)
    assert in_spanish.subject == "Invitación para unirse a Digital Nations en Minilateral"
    invitation = cast.digital_nations.invitations.get(email=spanish.email)
    with translation.override("es"):
        expires = date_format(invitation.expires_at, "DATE_FORMAT")
    assert " de " in expires  # a Spanish date, such as "5 de enero de 2027"
    assert f"La invitación caduca el {expires}." in in_spanish.body
    html = in_spanish.alternatives[0].content
    assert "Aceptar la invitación" in html
    assert f"La invitación caduca el {expires}." in html

    bare = _to(outbox, User(email="ana.costa@gov.pt"))
    assert bare.subject == "You are invited to join Digital Nations on Minilateral"
    assert "Accept the invitation" in bare.alternatives[0].content

    for message in (in_spanish, bare):
        assert "Invitation à rejoindre" not in _everything(message)
        assert "Accepter l’invitation" not in _everything(message)


def test_a_withdrawn_invitation_is_told_in_the_language_of_the_addresss_account(
    cast, outbox, django_capture_on_commit_callbacks, run_worker
):
    spanish = _speaking(cast.applicant, "es")
    invitation = services.membership_invite(
        acting_user=cast.convenor, network=cast.digital_nations, email=spanish.email
    ).invitation
    run_worker()
    outbox.clear()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        services.invitation_revoke(acting_user=cast.convenor, invitation=invitation)
    run_worker()
    (message,) = outbox
    assert message.subject == "Se ha retirado su invitación a Digital Nations"
    assert "Si cree que se trata de un error, consulte al coordinador de la red." in message.body
    assert '<html lang="es">' in message.alternatives[0].content
