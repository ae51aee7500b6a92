import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .privacy import user_data_export, user_delete


class DeleteAccountForm(forms.Form):
    confirm_email = forms.EmailField(
        label=gettext_lazy("Type your e-mail address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self):
        value = self.cleaned_data["confirm_email"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of your account."))
        return value


@login_required
def my_data(request):
    form = DeleteAccountForm(user=request.user)
    return render(request, "arena/my_data.html", {"form": form})


@login_required
def my_data_download(request):
    data = user_data_export(user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="tekojentori-my-data.json"'
    return response


@login_required
@require_POST
def my_account_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "arena/my_data.html", {"form": form}, status=400)
    user = request.user
    logout(request)
    user_delete(user=user)
    messages.success(request, _("Your account has been deleted. Your published actions remain, shown as your organisation's."))
    return redirect("home")
