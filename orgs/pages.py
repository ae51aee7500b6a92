"""A documented extension point: another app may wrap the public organisation pages (arena keeps
them in its cache for anonymous visitors; orgs does not depend on arena).

`register_page_decorator("organisation-detail", decorator)` applies `decorator` to that view
from then on; a page without one is served as it is.

`register_fragment_keeper("organisation-facts", keep)` lets that app keep a part of a page that is
the same for every visitor: the page asks `kept_fragment(name, key, render)`, which calls
`keep(key, render)` (returning the HTML, rendered or kept) or, without a keeper, `render()`.
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


_keepers: dict[str, Callable[[str, Callable[[], str]], str]] = {}


def register_fragment_keeper(name: str, keep: Callable[[str, Callable[[], str]], str]) -> None:
    _keepers[name] = keep


def kept_fragment(name: str, key: str, render: Callable[[], str]) -> str:
    """The fragment `name` of the object `key` (the same for every visitor): kept by the
    registered keeper, else rendered now."""
    keep = _keepers.get(name)
    return render() if keep is None else keep(key, render)
