"""Atom feed of the latest published actions (the list's filters apply)."""

import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors

FEED_SIZE = 30
# Characters XML 1.0 cannot carry (Django's feed writer refuses them with an exception): control
# characters other than tab and line breaks, and the non-characters U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """User text as the feed can carry it: without characters XML 1.0 cannot hold."""
    return NOT_XML.sub("", value) if isinstance(value, str) else value


class LatestActionsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return selectors.action_browse(request.GET, with_choices=False)

    def title(self, browse):
        return _("Tekojen tori: latest development actions")

    def subtitle(self, browse):
        return _("Development actions by employees of Finnish municipalities and wellbeing services counties.")

    def link(self, browse):
        return reverse("arena:action-list")

    def items(self, browse):
        qs = browse.queryset
        if not browse.query.terms:
            qs = qs.order_by("-published_at", "-id")
        return list(qs.select_related("organisation").prefetch_related("sectors")
                    .defer("need", "solution", "results", "tips", "search_vector")[:FEED_SIZE])

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(item.summary)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return xml_text(item.organisation.name) if item.organisation_id else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [xml_text(sector.name) for sector in item.sectors.all()]
