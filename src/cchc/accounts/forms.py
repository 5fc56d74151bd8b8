from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import services


class RateLimitedLoginMixin:
    """Refuses to check a password while the username or address is locked out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again."
        ),
    }

    def clean(self):
        username = self.data.get("username", "")
        address = services.client_address(self.request)
        if services.login_blocked(username, address):
            from django.conf import settings

            raise forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": settings.CCHC_LOGIN_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.record_failure(username, address)
            raise
        if self.get_user() is not None:  # a blank password is no success
            services.record_success(username, address)
        return cleaned


class LoginForm(RateLimitedLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(RateLimitedLoginMixin, AdminAuthenticationForm):
    pass
