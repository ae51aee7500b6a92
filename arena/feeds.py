"""Atom feed of the latest published actions (the list's filters apply)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors

FEED_SIZE = 30


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
                    .defer("need", "solution", "results", "tips", "makers", "search_vector")[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.organisation.name if item.organisation_id else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [sector.name for sector in item.sectors.all()]
