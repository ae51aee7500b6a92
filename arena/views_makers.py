"""The page behind the link mailed to a maker: confirm or remove their name (arena/makers.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import makers

TEMPLATE = "arena/maker_consent.html"


@never_cache
@require_http_methods(["GET", "POST"])
def maker_consent(request, token):
    try:
        maker = makers.maker_from_token(token)
    except makers.MakerError as error:
        return render(request, TEMPLATE, {"error": str(error)}, status=400)
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "confirm":
                makers.maker_confirm(maker=maker, now=timezone.now())
                messages.success(request, _("Thank you! Your name is now shown on the action."))
                return redirect("arena:maker-consent", token=token)
            if answer == "remove":
                makers.maker_remove(maker=maker)
                return render(request, TEMPLATE, {"removed": True})
            raise makers.MakerError(_("Choose one of the answers."))
        except makers.MakerError as error:
            messages.error(request, str(error))
            return render(request, TEMPLATE, {"maker": maker, "action": maker.action}, status=400)
    return render(request, TEMPLATE, {"maker": maker, "action": maker.action})
