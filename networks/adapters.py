from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Sign-up is closed to the world. Invitations and registered government domains
        # open it (issue B); until then nobody can sign themselves up.
        return False
