from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cchc.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from cchc.dossiers.events import dossier_changed

        from . import hooks, subscribers  # noqa: F401  (hooks: the outbox job)

        dossier_changed.subscribe(subscribers.notify_on_event, key=subscribers.KEY)
