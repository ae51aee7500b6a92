"""A paginator told its count, for lists whose count is already known (kept in the cache)."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """Django's paginator without its COUNT query: the caller knows how many objects there are."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its value
