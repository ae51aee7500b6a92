"""Writes about organisations and memberships, and the employee-count CSV import.

Every service is keyword-only, runs in one transaction, records a `MembershipEvent`
where a membership changes, and sends its mail after the commit, in each recipient's
own language.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# The domain services and the errors live in their own modules; they are importable from here too.
from .domains import (  # noqa: F401
    PUBLIC_MAIL_DOMAINS, email_domain_add, email_domain_remove, membership_auto_confirms,
)
from .exceptions import MembershipError, NotAllowed  # noqa: F401
from .limits import join_request_refusal
from .mail import render_subject
from .models import EmployeeCount, Membership, MembershipEvent, Organisation, User
from .permissions import can_admin_organisation, can_leave_membership


# --- Mail ----------------------------------------------------------------------------

def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}"


def _send(*, to: str, language: str, template: str, context: dict) -> None:
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_subject(f"orgs/email/{template}_subject.txt", context)
        body = render_to_string(f"orgs/email/{template}_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _language_of(email: str) -> str:
    user = User.objects.filter(email__iexact=email).only("preferred_language").first()
    return user.preferred_language if user else settings.LANGUAGE_CODE


def pending_request_recipients(organisation: Organisation) -> list[tuple[str, str]]:
    """(address, language) of the organisation's admins and of KT staff (`STAFF_EMAILS`)."""
    recipients: dict[str, str] = {}
    admins = Membership.objects.admins().filter(organisation=organisation, user__is_active=True)
    for membership in admins.select_related("user"):
        recipients[membership.user.email.lower()] = membership.user.preferred_language
    for address in settings.STAFF_EMAILS:
        recipients.setdefault(address.lower(), _language_of(address))
    return sorted(recipients.items())


def _mail_pending_request(membership: Membership) -> None:
    for address, language in pending_request_recipients(membership.organisation):
        with translation.override(language):
            url = _absolute(reverse("orgs:organisation-members", kwargs={"slug": membership.organisation.slug}))
            organisation_name = membership.organisation.name
        _send(to=address, language=language, template="membership_requested", context={
            "member": membership.user, "organisation_name": organisation_name, "url": url,
        })


def _mail_confirmed(membership: Membership) -> None:
    language = membership.user.preferred_language
    with translation.override(language):
        url = _absolute(reverse("orgs:organisation-detail", kwargs={"slug": membership.organisation.slug}))
        organisation_name = membership.organisation.name
    _send(to=membership.user.email, language=language, template="membership_confirmed", context={
        "member": membership.user, "organisation_name": organisation_name, "url": url,
    })


# --- Memberships ---------------------------------------------------------------------

def _event(membership: Membership, action: str, actor: User | None, detail: str = "") -> None:
    MembershipEvent.objects.create(
        organisation=membership.organisation, user=membership.user, actor=actor, action=action, detail=detail
    )


def membership_request(*, user: User, organisation: Organisation) -> Membership:
    """The user asks to join: confirmed at once when one of their confirmed addresses
    auto-confirms them (`orgs.domains.address_auto_confirms`), otherwise waiting for an admin,
    within the limits on open and recent requests (`orgs.limits.join_request_refusal`)."""
    if not organisation.is_active:
        raise MembershipError(_("This organisation no longer takes new members."))
    with transaction.atomic():
        # One request of a person at a time, so that two at once cannot both pass the limits.
        User.objects.select_for_update().filter(pk=user.pk).first()
        existing = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
        if existing:
            if existing.is_confirmed:
                raise MembershipError(_("You are already a member of this organisation."))
            raise MembershipError(_("Your request to join this organisation is already waiting for confirmation."))
        membership = Membership(user=user, organisation=organisation, role=Membership.Role.MEMBER)
        if membership_auto_confirms(user=user, organisation=organisation):
            membership.status = Membership.Status.CONFIRMED
            membership.confirmed_at = timezone.now()
            membership.save()
            _event(membership, MembershipEvent.Action.AUTO_CONFIRMED, user)
        else:
            refusal = join_request_refusal(user=user, now=timezone.now())
            if refusal:
                raise MembershipError(refusal)
            membership.status = Membership.Status.PENDING
            membership.save()
            _event(membership, MembershipEvent.Action.REQUESTED, user)
            transaction.on_commit(lambda: _mail_pending_request(membership))
    return membership


def membership_confirm(*, membership: Membership, by: User) -> Membership:
    if not can_admin_organisation(by, membership.organisation):
        raise NotAllowed(_("Only an admin of this organisation can confirm its members."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user", "organisation").get(
            pk=membership.pk
        )
        if membership.is_confirmed:
            return membership
        membership.status = Membership.Status.CONFIRMED
        membership.confirmed_at = timezone.now()
        membership.confirmed_by = by
        membership.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        _event(membership, MembershipEvent.Action.CONFIRMED, by)
        transaction.on_commit(lambda: _mail_confirmed(membership))
    return membership


def membership_set_role(*, membership: Membership, role: str, by: User) -> Membership:
    if not can_admin_organisation(by, membership.organisation):
        raise NotAllowed(_("Only an admin of this organisation can change roles."))
    if role not in Membership.Role.values:
        raise MembershipError(_("Unknown role."))
    if not membership.is_confirmed:
        raise MembershipError(_("Confirm the membership before changing the role."))
    if membership.user_id == by.pk and not by.is_staff:
        raise MembershipError(_("You cannot change your own role."))
    with transaction.atomic():
        if membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            _event(membership, MembershipEvent.Action.ROLE_CHANGED, by, detail=role)
    return membership


def membership_remove(*, membership: Membership, by: User) -> None:
    """An admin removes a member (or declines a request), or the user leaves."""
    leaving = can_leave_membership(by, membership)
    if not leaving and not can_admin_organisation(by, membership.organisation):
        raise NotAllowed(_("Only an admin of this organisation can remove its members."))
    with transaction.atomic():
        _event(membership, MembershipEvent.Action.LEFT if leaving else MembershipEvent.Action.REMOVED, by)
        membership.delete()


# --- Organisation pages --------------------------------------------------------------

LOGO_MAX_SIDE = 800


def logo_reencode(upload) -> ContentFile:
    """Re-encode an uploaded logo as PNG (metadata dropped, at most 800 px a side)."""
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload, formats=["JPEG", "PNG", "WEBP"]) as image:
            # A logo is decoded whole: the bound of the images that cannot be decoded at a reduced size.
            if image.width * image.height > settings.IMAGE_MAX_PIXELS_UNSCALED or min(image.size) < 1:
                raise ValueError("too many or too few pixels")
            image = image.convert("RGBA")
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    except (OSError, SyntaxError, ZeroDivisionError, Image.DecompressionBombError) as error:
        # Damaged or truncated files fail only while decoding; the caller shows one message for all.
        raise ValueError("unreadable image") from error
    return ContentFile(out.getvalue())


def organisation_update(*, organisation: Organisation, by: User, data: dict, logo=None,
                        clear_logo: bool = False) -> Organisation:
    """Org admins edit the description (per language) and the logo."""
    if not can_admin_organisation(by, organisation):
        raise NotAllowed(_("Only an admin of this organisation can edit it."))
    allowed = {"description_fi", "description_sv", "description_en"}
    changed = []
    with transaction.atomic():
        for name, value in data.items():
            if name in allowed and getattr(organisation, name) != value:
                setattr(organisation, name, value)
                changed.append(name)
        if logo is not None:
            new_logo = logo_reencode(logo)
            if organisation.logo:
                organisation.logo.delete(save=False)
            organisation.logo.save(f"{organisation.slug}.png", new_logo, save=False)
            changed.append("logo")
        elif clear_logo and organisation.logo:
            organisation.logo.delete(save=False)
            organisation.logo = ""
            changed.append("logo")
        if changed:
            organisation.save(update_fields=[*changed, "updated_at"])
    return organisation


# --- Employee counts from CSV --------------------------------------------------------

MAX_EMPLOYEES = 10_000_000
YEAR_RANGE = (1990, 2100)
HEADER_WORDS = {"code", "koodi", "kod", "kuntanumero"}


@dataclass
class ParsedEmployeeCount:
    line: int
    organisation: Organisation
    year: int
    employees: int
    previous: int | None = None


@dataclass
class CsvProblem:
    line: int
    text: str
    message: str


@dataclass
class EmployeeCountImport:
    rows: list[ParsedEmployeeCount] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)
    text: str = ""

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.problems


def _decode(data: bytes) -> tuple[str | None, CsvProblem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raw = data.split(b"\n")[line - 1].decode("utf-8", errors="replace").strip()
        return None, CsvProblem(line, raw, _(
            "The file is not in UTF-8. Save it as “CSV UTF-8” and upload it again."
        ))


def _organisation_index() -> dict[str, list[Organisation]]:
    index: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.exclude(code="").only("pk", "code", "kind", "name", "name_fi",
                                                                    "name_sv", "name_en", "slug"):
        index.setdefault(organisation.code.upper(), []).append(organisation)
    return index


def _find_organisation(code: str, index: dict) -> tuple[Organisation | None, str]:
    code = code.strip().upper()
    exact = index.get(code, [])
    padded = index.get(code.zfill(3), []) if code.isdigit() and len(code) < 3 else []
    candidates = exact + [o for o in padded if o not in exact]
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, _("Unknown organisation code “%(code)s”.") % {"code": code}
    return None, _("The code “%(code)s” matches several organisations (%(names)s); "
                   "write municipality codes with three digits.") % {
        "code": code, "names": ", ".join(str(o) for o in candidates)}


def _parse_number(text: str) -> int | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if cleaned.startswith(("-", "+")):
        sign, digits = cleaned[0], cleaned[1:]
    else:
        sign, digits = "", cleaned
    if not digits.isdigit():
        return None
    return int(sign + digits)


def employee_counts_parse(data: bytes) -> EmployeeCountImport:
    """Check a CSV of `code, year, employees` lines; every problem is reported with its line.

    Accepts a header line, comma or semicolon separators, a UTF-8 byte-order mark and
    municipality codes that lost their leading zeros in a spreadsheet ("91" → "091").
    """
    result = EmployeeCountImport()
    text, problem = _decode(data)
    if problem:
        result.problems.append(problem)
        return result
    result.text = text
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    index = _organisation_index()
    seen: dict[tuple[int, int], int] = {}
    header_checked = False

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
        if not header_checked:
            header_checked = True
            if cells and cells[0].lower() in HEADER_WORDS:
                continue
        if len(cells) != 3:
            result.problems.append(CsvProblem(number, line, _(
                "Expected three values (code, year, employees), found %(count)d.") % {"count": len(cells)}))
            continue
        code, year_text, employees_text = cells
        messages = []
        organisation, message = _find_organisation(code, index)
        if message:
            messages.append(message)
        year = _parse_number(year_text)
        if year is None or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            messages.append(_("The year “%(value)s” is not a year between %(low)d and %(high)d.") % {
                "value": year_text, "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]})
        employees = _parse_number(employees_text)
        if employees is None:
            messages.append(_("The number of employees “%(value)s” is not a whole number.") % {
                "value": employees_text})
        elif employees < 0:
            messages.append(_("The number of employees cannot be negative."))
        elif employees > MAX_EMPLOYEES:
            messages.append(_("The number of employees is too large."))
        if organisation and year is not None and not messages:
            key = (organisation.pk, year)
            if key in seen:
                messages.append(_("The same organisation and year are already on line %(line)d.") % {
                    "line": seen[key]})
            else:
                seen[key] = number
        if messages:
            result.problems.append(CsvProblem(number, line, " ".join(messages)))
        else:
            result.rows.append(ParsedEmployeeCount(number, organisation, year, employees))

    if not result.rows and not result.problems:
        result.problems.append(CsvProblem(0, "", _("The file has no lines to import.")))
    if result.rows:
        previous = {
            (c.organisation_id, c.year): c.employees
            for c in EmployeeCount.objects.filter(
                organisation_id__in={row.organisation.pk for row in result.rows},
                year__in={row.year for row in result.rows},
            )
        }
        for row in result.rows:
            row.previous = previous.get((row.organisation.pk, row.year))
    return result


def employee_counts_import(*, data: bytes) -> int:
    """Save every row of a valid file, or nothing: returns the number of rows saved."""
    parsed = employee_counts_parse(data)
    if not parsed.is_valid:
        raise ValueError("the file is not valid")
    with transaction.atomic():
        for row in parsed.rows:
            EmployeeCount.objects.update_or_create(
                organisation=row.organisation, year=row.year, defaults={"employees": row.employees}
            )
    return len(parsed.rows)
