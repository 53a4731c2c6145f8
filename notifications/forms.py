from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery


class NotificationSettingsForm(forms.Form):
    """One choice of email per network the official belongs to."""

    def __init__(self, *args, networks, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.networks = list(networks)
        for network in self.networks:
            self.fields[self.field_name(network)] = forms.ChoiceField(
                label=_("Email from %(network)s") % {"network": network.name},
                choices=Delivery.choices,
                initial=current.get(network.pk, Delivery.IMMEDIATELY),
                widget=forms.RadioSelect,
                required=False,
            )

    @staticmethod
    def field_name(network):
        return f"network_{network.pk}"

    def chosen(self):
        """(network, delivery) for each network whose choice was sent."""
        return [
            (network, self.cleaned_data[self.field_name(network)])
            for network in self.networks
            if self.cleaned_data.get(self.field_name(network))
        ]
