"""The errors the organisation services raise; their messages are translated."""


class MembershipError(Exception):
    """A membership or organisation change that is not allowed; the message is translated."""


class NotAllowed(MembershipError):
    """The user may not do this to this organisation (the view answers 403)."""
