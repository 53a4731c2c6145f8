from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Network insights")

    def ready(self):
        """Add the link to the insights on the network's home, for those who may see them."""
        from insights import views
        from networks import pages as network_pages

        network_pages.network_home.add(views.network_home_link)
