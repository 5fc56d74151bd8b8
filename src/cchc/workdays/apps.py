from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "cchc.workdays"
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import (
            hooks,  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
            services,
        )
        from .models import CalendarDay, CalendarYear

        for model in (CalendarDay, CalendarYear):
            post_save.connect(
                services.invalidate_calendar, sender=model, dispatch_uid=f"cal-{model}"
            )
            post_delete.connect(
                services.invalidate_calendar, sender=model, dispatch_uid=f"cal-del-{model}"
            )
