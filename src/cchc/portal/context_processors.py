from django.utils.translation import gettext as _

from cchc.conf import conf

from .menu import menu_for


def site(request):
    return {
        "agency_name": conf.AGENCY_NAME or _("Administrative procedure portal"),
        "menu": menu_for(request.user, request.path) if hasattr(request, "user") else [],
    }
