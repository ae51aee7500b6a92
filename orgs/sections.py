"""Extension point: extra sections on the organisation page, added by other apps.

`orgs` knows nothing of actions or campaigns (dependencies point campaigns → arena →
orgs), yet the organisation page shows an organisation's published actions, the actions
it adopted and its campaign results. Those apps add them here, from their
`AppConfig.ready()`::

    # arena/apps.py
    class ArenaConfig(AppConfig):
        def ready(self):
            from orgs.sections import register_organisation_section
            from . import sections
            register_organisation_section(sections.published_actions)

    # arena/sections.py
    def published_actions(request, organisation):
        actions = Action.objects.published().filter(organisation=organisation)[:10]
        if not actions:
            return None                      # nothing to show: no section at all
        return {
            "title": _("Published actions"),  # the section's <h2>
            "template": "arena/includes/organisation_actions.html",
            "context": {"actions": actions},
            "order": 10,                      # lower comes first
        }

A section callable takes `(request, organisation)` and returns `None` (no section) or a
dict with `title` (str, shown as the section's `<h2>`), `template` (a template name),
`context` (dict, added to `request`, `organisation` and `user` for that template) and
`order` (int, default 100; ties are broken by title); or, instead of `template` and
`context`, `html`: the section already rendered (a section that is the same for everyone
can keep its rendering in the cache). The organisation page renders
each section's template inside `<section aria-labelledby=…><h2>title</h2>…</section>`,
so section templates start their own headings at `<h3>`. The template gets plain
context: decide permissions in the callable, not in the template.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

SectionCallable = Callable[..., dict | None]

_registry: list[SectionCallable] = []


@dataclass(frozen=True)
class RenderedSection:
    title: str
    html: SafeString
    order: int
    key: str


def register_organisation_section(section: SectionCallable) -> SectionCallable:
    """Add a section callable (once; registering it again does nothing). Usable as a decorator."""
    if section not in _registry:
        _registry.append(section)
    return section


def unregister_organisation_section(section: SectionCallable) -> None:
    if section in _registry:
        _registry.remove(section)


def registered_organisation_sections() -> list[SectionCallable]:
    return list(_registry)


def render_organisation_sections(request, organisation) -> list[RenderedSection]:
    """Call every registered section and render the ones that return something."""
    sections = []
    for number, section in enumerate(_registry):
        spec = section(request, organisation)
        if not spec:
            continue
        if "html" in spec:
            html = mark_safe(spec["html"])  # noqa: S308 (rendered by the section from its own template)
        else:
            context = {
                **spec.get("context", {}),
                "organisation": organisation,
                "user": getattr(request, "user", None),
            }
            html = render_to_string(spec["template"], context, request=request)
        name = getattr(section, "__name__", "section")
        sections.append(RenderedSection(
            title=str(spec["title"]), html=html, order=int(spec.get("order", 100)),
            key=f"section-{number}-{name}".replace("_", "-").lower(),
        ))
    return sorted(sections, key=lambda s: (s.order, s.title))
