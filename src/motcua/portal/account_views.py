"""Registration of citizens (e-mail or phone as login name) and businesses (tax code as login name).

Login itself is the existing /accounts/login/ (password) or the e-ID login of `portal.oidc` when configured.
"""

from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.accounts.models import AccountKind, User
from motcua.portal import oidc
from motcua.portal.citizen_forms import BusinessRegistrationForm, CitizenRegistrationForm

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def register_citizen(request):
    form = CitizenRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            user = User(username=d["login"], kind=AccountKind.CITIZEN, full_name=d["full_name"].strip(),
                        personal_id=d["personal_id"], birth_date=d["birth_date"])
            if form.login_kind == "email":
                user.email = d["login"]
            else:
                user.phone = d["login"]
            user.set_password(d["password1"])
            user.full_clean(exclude=["password"])
            user.save()
        return _welcome(request, user)
    return render(request, "portal/account/register.html", {
        "form": form, "business": False, "next": safe_next(request, ""), "oidc_enabled": oidc.enabled()})


def register_business(request):
    form = BusinessRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            user = User(username=d["tax_code"], kind=AccountKind.BUSINESS, full_name=d["full_name"].strip(),
                        tax_code=d["tax_code"], email=d["email"], phone=d["phone"])
            user.set_password(d["password1"])
            user.full_clean(exclude=["password"])
            user.save()
        return _welcome(request, user)
    return render(request, "portal/account/register.html", {
        "form": form, "business": True, "next": safe_next(request, ""), "oidc_enabled": oidc.enabled()})


def _welcome(request, user):
    from django.contrib import messages

    login(request, user, backend=PASSWORD_BACKEND)
    messages.success(request, _("Đăng ký tài khoản thành công. Tên đăng nhập của bạn: %(u)s") % {"u": user.username})
    return redirect(safe_next(request, "/ho-so-cua-toi/"))
