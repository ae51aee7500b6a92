"""A documented extension point: another app may wrap the public organisation pages (arena keeps
them in its cache for anonymous visitors; orgs does not depend on arena).

`register_page_decorator("organisation-detail", decorator)` applies `decorator` to that view
from then on; a page without one is served as it is.
"""

from collections.abc import Callable
from functools import wraps

_decorators: dict[str, Callable] = {}
_wrapped: dict[str, Callable] = {}


def register_page_decorator(name: str, decorator: Callable) -> None:
    _decorators[name] = decorator
    _wrapped.pop(name, None)


def extensible_page(name: str):
    """Mark a view as one that `register_page_decorator(name, …)` may wrap."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            decorator = _decorators.get(name)
            if decorator is None:
                return view(request, *args, **kwargs)
            if name not in _wrapped:
                _wrapped[name] = decorator(view)
            return _wrapped[name](request, *args, **kwargs)
        return wrapper
    return decorate
