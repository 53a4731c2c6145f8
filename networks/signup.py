"""allauth's sign-up page, made whole: an account is created with everything that goes with it
(the account, its email address, the membership and the used invitation with their audit event)
in one transaction, or not at all.

When the browser opened an invitation link, the address is the invitation's: the field shows it
but cannot be changed, and whatever a POST carries for it is ignored.
"""

from allauth.account.views import SignupView
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks import services
from networks.adapters import INVITATION_SESSION_KEY, pending_invitation
from networks.signup_form import SignupForm

# What the sign-up writes into the session (the invitation's secret, and the address its link
# verified); put back as it was when the sign-up is rolled back, so that the official can try
# again with the same invitation.
_SESSION_KEYS = (INVITATION_SESSION_KEY, "account_verified_email")


def _current_request():
    from allauth.core import context

    return context.request


class InvitationSignupForm(SignupForm):
    """The sign-up form (the same work whether or not the address has an account), with the
    address of an opened invitation fixed. allauth takes it from ACCOUNT_FORMS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = _current_request()
        self.invitation_token = request.session.get(INVITATION_SESSION_KEY) if request else None
        invitation = pending_invitation(request)
        if invitation is not None:
            # A disabled field takes its value from `initial`, never from the POST.
            self.initial["email"] = invitation.email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = gettext_lazy(
                "The address your invitation was sent to."
            )

    def clean(self):
        cleaned_data = super().clean()
        if self.invitation_token and pending_invitation(_current_request()) is None:
            # The invitation was withdrawn, used or expired since its link was opened.
            self.add_error(
                None,
                _(
                    "The invitation you opened has expired, been used or been withdrawn, so "
                    "your account was not created. Ask the network’s convenor for a new one."
                ),
            )
        return cleaned_data


class AtomicSignupView(SignupView):
    """allauth's sign-up view; the whole of it (account, address, invitation, first sign-in)
    commits together, and a failure shows the form again with what went wrong."""

    form_class = InvitationSignupForm

    def form_valid(self, form):
        session = self.request.session
        saved = {key: session[key] for key in _SESSION_KEYS if key in session}
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except services.ActionRefused as refusal:
            message = _("Your account was not created: %(reason)s") % {"reason": refusal.message}
        except IntegrityError:
            # Most often the same form sent twice: the first submission made the account.
            message = _(
                "Your account was not created: an account with this address was created a "
                "moment ago (was the form sent twice?). Sign in with it instead."
            )
        except DatabaseError:
            message = _(
                "Your account could not be created just now and nothing was saved. "
                "Please try again."
            )
        for key in _SESSION_KEYS:
            session.pop(key, None)
        session.update(saved)
        form.add_error(None, message)
        return self.form_invalid(form)


signup = AtomicSignupView.as_view()
