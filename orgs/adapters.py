from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mails in the recipient's preferred language; sends new people to
    "choose your organisation" after their first login."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def get_login_redirect_url(self, request):
        """A user without any membership (confirmed or waiting) first chooses an organisation."""
        user = request.user
        if user.is_authenticated and not user.is_staff and not user.memberships.exists():
            return reverse("orgs:join")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        """Someone who just signed up has no organisation yet: they choose one first
        (this is also where they land after confirming their e-mail address)."""
        return reverse("orgs:join")


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-step verification, with a wrong code explained in plain words."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": gettext_lazy(
            "The code is wrong or has already been used. Enter the six-digit code "
            "your authenticator app shows now."
        ),
    }
