"""How many join requests a person may have open, and how fast they may ask.

Every request that waits mails the organisation's admins and KT staff, so a person (or a
script with their account) must not be able to ask every organisation in the country at
once, nor ask, withdraw and ask again all day.
"""

import datetime

from django.utils.translation import gettext as _

from .models import Membership, MembershipEvent

OPEN_JOIN_REQUESTS_MAX = 5
JOIN_REQUESTS_PER_WINDOW = 10
JOIN_REQUEST_WINDOW = datetime.timedelta(hours=24)


def join_request_refusal(*, user, now: datetime.datetime) -> str | None:
    """Why `user` may not open one more join request at `now` (a translated sentence), or None.

    Counts the requests still waiting and those asked within the last 24 hours, including
    the ones withdrawn since."""
    waiting = Membership.objects.pending().filter(user=user).count()
    if waiting >= OPEN_JOIN_REQUESTS_MAX:
        return _("You already have %(count)d requests to join waiting for confirmation. Wait until they "
                 "are answered, or withdraw one under My organisations, before asking to join another "
                 "organisation.") % {"count": waiting}
    recent = MembershipEvent.objects.filter(
        user=user, actor=user, action=MembershipEvent.Action.REQUESTED, created_at__gt=now - JOIN_REQUEST_WINDOW
    ).count()
    if recent >= JOIN_REQUESTS_PER_WINDOW:
        return _("You have asked to join %(count)d organisations within 24 hours. You can ask again "
                 "tomorrow; KT staff can help sooner.") % {"count": recent}
    return None
