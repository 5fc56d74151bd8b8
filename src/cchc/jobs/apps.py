from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "cchc.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from . import hooks  # noqa: F401  (the queue's dispatcher and readiness check)
