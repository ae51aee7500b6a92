"""The gala presentation as a list of slides: one category at a time, winners revealed from
the last place of the top list up to the winner."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ranking import CategoryResult, public_person_rows


@dataclass
class Slide:
    kind: str  # "title", "category", "reveal" or "end"
    category: CategoryResult | None = None
    places: list = field(default_factory=list)  # (row, revealed) in rank order, winner first
    newest: object = None  # the row revealed on this slide


def gala_slides(categories: list[CategoryResult]) -> list[Slide]:
    """The gala is shown on a big screen to everyone: a person without consent is never named."""
    public_person_rows(categories)
    slides = [Slide(kind="title")]
    for category in categories:
        top = category.winner_rows()
        slides.append(Slide(kind="category", category=category, places=[(row, False) for row in top]))
        for revealed in range(1, len(top) + 1):
            shown = len(top) - revealed  # rows above this index are still hidden
            slides.append(Slide(
                kind="reveal", category=category, newest=top[shown],
                places=[(row, index >= shown) for index, row in enumerate(top)],
            ))
    slides.append(Slide(kind="end"))
    return slides
