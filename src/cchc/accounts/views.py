from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import LoginForm
from .landing import start_page
from .lockout import lockout_minutes


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Each role's own start page (cchc.accounts.landing); a safe ``next`` still wins."""
        return start_page(self.request.user)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
@require_http_methods(["GET", "POST"])
def unlock(request):
    """Sign-ins of the unit's accounts locked by repeated failures; the administrator unlocks."""
    if not selectors.can_unlock_accounts(request.user):
        raise PermissionDenied
    if request.method == "POST":
        username = request.POST.get("username", "")
        try:
            services.unlock_sign_in(request.user, username)
        except services.AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Signing in to %(username)s is unlocked.") % {"username": username}
            )
        return redirect("accounts:unlock")
    return render(
        request,
        "accounts/unlock.html",
        {"locked": selectors.locked_sign_ins(request.user), "window_minutes": lockout_minutes()},
    )
