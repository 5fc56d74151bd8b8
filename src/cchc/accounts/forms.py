from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from .lockout import lockout_message


class LockoutAwareLoginMixin:
    """Says so when the sign-in was refused by the lockout (django-axes), not by the password.

    Axes' backend refuses a locked user name and address pair before any password is checked, and
    flags the request (``axes_locked_out``); the form then shows the wait in Vietnamese instead of
    "wrong user name or password". The failure that reaches the limit is flagged too, so the
    officer learns of the lock at once.
    """

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(lockout_message(), code="locked_out") from None
            raise


class LoginForm(LockoutAwareLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutAwareLoginMixin, AdminAuthenticationForm):
    pass
