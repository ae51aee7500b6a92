"""A paginator told its count, for lists whose count is already known (kept in the cache)."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """Django's paginator without its COUNT query: the caller knows how many objects there are.

    `total` is the number of matches to show when it differs from the rows one can page through
    (a list pages through its first `count` only); `capped` says that there are more than `total`.
    """

    def __init__(self, object_list, per_page, *, count: int, total: int | None = None, capped: bool = False,
                 **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its value
        self.total = count if total is None else total
        self.capped = capped
