"""Who is asking, and how often: the client address and the sign-in throttles.

The limits themselves are `ACCOUNT_RATE_LIMITS` in the settings (with the reasons there); this
module holds the two rules allauth has no setting for:

- `client_address`: the one place the portal reads a visitor's address (allauth's own, which
  trusts exactly the proxies the settings name);
- `login_code_request_allowed`: sign-in codes are limited per address *and e-mail together*
  before allauth's own limits per address and per e-mail, so that one address asking for
  someone's codes over and over runs into its own limit and never uses up the owner's.
"""

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context, ratelimit
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# allauth's error code for every sign-in throttle (failed passwords, codes).
THROTTLED = "too_many_login_attempts"
# Our own action in ACCOUNT_RATE_LIMITS: code requests per address and e-mail together.
CODE_REQUEST_PER_ADDRESS_AND_EMAIL = "request_login_code_address_email"
CODES_THROTTLED = _(
    "Too many sign-in codes were requested for this address or from your network just now. "
    "Wait a few minutes and try again, or reset your password."
)


def client_address(request: HttpRequest) -> str:
    """The visitor's IP address: the hop the trusted proxy added (ALLAUTH_TRUSTED_PROXY_COUNT or
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER), else the connection's own address. What a client writes
    in X-Forwarded-For itself never counts. Every per-address limit uses this."""
    return get_adapter(request).get_client_ip(request)


def login_code_request_allowed(request: HttpRequest, *, email: str) -> bool:
    """Counts one request for a sign-in code for `email` from this address; False once this
    address has asked for that e-mail's codes too often."""
    key = f"{client_address(request)}|{email.strip().lower()}"
    return ratelimit.consume(request, action=CODE_REQUEST_PER_ADDRESS_AND_EMAIL, key=key)


class LoginForm(AllauthLoginForm):
    """allauth's login form, telling the page when password sign-in is throttled (the page then
    offers a sign-in code by e-mail)."""

    @property
    def throttled(self) -> bool:
        return self.is_bound and self.has_error(NON_FIELD_ERRORS, THROTTLED)


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """allauth's "e-mail me a sign-in code" form, limited per address and e-mail first, and
    saying which limit was met (allauth's own words are about failed passwords)."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email and not login_code_request_allowed(context.request, email=email):
            raise ValidationError(CODES_THROTTLED, code=THROTTLED)
        try:
            return super().clean_email()
        except ValidationError as error:
            if error.code == THROTTLED:
                raise ValidationError(CODES_THROTTLED, code=THROTTLED) from error
            raise
