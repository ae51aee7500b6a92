"""A user's own data: download it all, or delete the account.

The user's actions stay after the account is deleted; they are then shown as the
organisation's (Action.author is set to NULL). Likes go with the account, so the
denormalised like counts of the actions are recounted in the same transaction.
"""

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from orgs.models import User

from .models import Action, Adoption, Like, Report


def user_data_export(*, user: User) -> dict:
    """Everything the portal keeps about the user, as JSON-ready data."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
        },
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "status": m.status,
             "created_at": m.created_at.isoformat()}
            for m in user.memberships.select_related("organisation")
        ],
        "actions": [
            {"id": a.pk, "title": a.title, "status": a.status, "language": a.language,
             "organisation": a.organisation.name if a.organisation else None,
             "created_at": a.created_at.isoformat(),
             "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None}
            for a in Action.objects.filter(author=user).select_related("organisation").order_by("pk")
        ],
        "likes": [
            {"action_id": like.action_id, "action": like.action.title, "at": like.created_at.isoformat()}
            for like in Like.objects.filter(user=user).select_related("action").order_by("pk")
        ],
        "adoptions_marked": [
            {"action_id": a.action_id, "organisation": a.organisation.name, "note": a.note,
             "at": a.created_at.isoformat()}
            for a in Adoption.objects.filter(user=user).select_related("organisation").order_by("pk")
        ],
        "reports": [
            {"action_id": r.action_id, "reason": r.reason, "comment": r.comment, "at": r.created_at.isoformat()}
            for r in Report.objects.filter(reporter=user).order_by("pk")
        ],
    }


def user_delete(*, user: User) -> None:
    """Delete the account; keep the actions (credited to their organisation)."""
    with transaction.atomic():
        liked = list(Like.objects.filter(user=user).values_list("action_id", flat=True))
        user.delete()
        if liked:
            recount = Like.objects.filter(action=OuterRef("pk")).values("action").annotate(n=Count("pk")).values("n")
            Action.objects.filter(pk__in=liked).update(like_count=Coalesce(Subquery(recount), 0))
