"""The gala's slide order: one category at a time, winners from the last place of the top list up."""

from campaigns.gala import gala_slides
from campaigns.ranking import CategoryResult, OrganisationRow


def org(name, rank, actions):
    return OrganisationRow(organisation_id=hash(name) % 1000, names={"fi": name}, slug=name.lower(), logo="",
                           actions=actions, rank=rank)


def test_reveals_from_the_last_place_of_the_top_list_to_the_winner():
    category = CategoryResult(category_id=1, kind="most_actions", names={"fi": "Eniten tekoja"}, position=1,
                              winners=2, rows=[org("Liminka", 1, 9), org("Oulu", 2, 5), org("Ii", 3, 1)])
    slides = gala_slides([category])
    assert [slide.kind for slide in slides] == ["title", "category", "reveal", "reveal", "end"]
    assert [row.name for row, revealed in slides[1].places if revealed] == []
    assert slides[2].newest.name == "Oulu"
    assert [(row.name, revealed) for row, revealed in slides[2].places] == [("Liminka", False), ("Oulu", True)]
    assert slides[3].newest.name == "Liminka"
    assert all(revealed for _, revealed in slides[3].places)


def test_ties_at_the_edge_of_the_top_list_are_all_revealed():
    category = CategoryResult(category_id=1, kind="most_actions", names={"fi": "Eniten tekoja"}, position=1,
                              winners=1, rows=[org("Oulu", 1, 5), org("Kemi", 1, 5), org("Ii", 3, 1)])
    slides = gala_slides([category])
    assert [slide.newest.name for slide in slides if slide.kind == "reveal"] == ["Oulu", "Kemi"]
