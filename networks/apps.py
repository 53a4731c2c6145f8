from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks and officials")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from minilateral.signals import access_refused
        from networks.middleware import stamp_sign_in
        from networks.receivers import record_refusal

        user_logged_in.connect(stamp_sign_in, dispatch_uid="networks.stamp_sign_in")
        access_refused.connect(record_refusal, dispatch_uid="networks.record_refusal")
