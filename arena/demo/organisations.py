"""The organisations the demo content uses, found by official code (created if missing)."""

# key → (kind, code, name_fi, name_sv, region code, region fi, region sv, welfare-area key)
ORGANISATIONS = {
    "pohde": ("welfare_area", "19", "Pohjois-Pohjanmaan hyvinvointialue", "Norra Österbottens välfärdsområde",
              "17", "Pohjois-Pohjanmaa", "Norra Österbotten", None),
    "pohjanmaa": ("welfare_area", "17", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde",
                  "15", "Pohjanmaa", "Österbotten", None),
    "pirha": ("welfare_area", "08", "Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde",
              "06", "Pirkanmaa", "Birkaland", None),
    "itu": ("welfare_area", "01", "Itä-Uudenmaan hyvinvointialue", "Östra Nylands välfärdsområde",
            "01", "Uusimaa", "Nyland", None),
    "lansi": ("welfare_area", "03", "Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde",
              "01", "Uusimaa", "Nyland", None),
    "varha": ("welfare_area", "05", "Varsinais-Suomen hyvinvointialue", "Egentliga Finlands välfärdsområde",
              "02", "Varsinais-Suomi", "Egentliga Finland", None),
    "liminka": ("municipality", "425", "Liminka", "Limingo", "17", "Pohjois-Pohjanmaa", "Norra Österbotten",
                "pohde"),
    "oulu": ("municipality", "564", "Oulu", "Uleåborg", "17", "Pohjois-Pohjanmaa", "Norra Österbotten", "pohde"),
    "vaasa": ("municipality", "905", "Vaasa", "Vasa", "15", "Pohjanmaa", "Österbotten", "pohjanmaa"),
    "porvoo": ("municipality", "638", "Porvoo", "Borgå", "01", "Uusimaa", "Nyland", "itu"),
    "espoo": ("municipality", "049", "Espoo", "Esbo", "01", "Uusimaa", "Nyland", "lansi"),
    "helsinki": ("municipality", "091", "Helsinki", "Helsingfors", "01", "Uusimaa", "Nyland", None),
    "tampere": ("municipality", "837", "Tampere", "Tammerfors", "06", "Pirkanmaa", "Birkaland", "pirha"),
    "turku": ("municipality", "853", "Turku", "Åbo", "02", "Varsinais-Suomi", "Egentliga Finland", "varha"),
}


def demo_organisations() -> dict:
    """key → Organisation: the real one when organisations are loaded, else a minimal stand-in."""
    from django.utils.text import slugify

    from orgs.models import Organisation, Region

    found = {}
    for key, (kind, code, name_fi, name_sv, region_code, region_fi, region_sv, _wa) in ORGANISATIONS.items():
        organisation = Organisation.objects.filter(kind=kind, code=code).first()
        if organisation is None:
            region, _ = Region.objects.get_or_create(code=region_code,
                                                     defaults={"name_fi": region_fi, "name_sv": region_sv})
            slug = slugify(name_fi)
            if Organisation.objects.filter(slug=slug).exists():
                slug = f"{slug}-{code}"
            organisation = Organisation.objects.create(
                kind=kind, code=code, name=name_fi, name_fi=name_fi, name_sv=name_sv, slug=slug, region=region,
            )
        found[key] = organisation
    for key, spec in ORGANISATIONS.items():
        welfare_key = spec[7]
        organisation = found[key]
        if welfare_key and organisation.welfare_area_id is None:
            organisation.welfare_area = found[welfare_key]
            organisation.save(update_fields=["welfare_area"])
    return found
