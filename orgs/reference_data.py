"""Loading the reference data in `orgs/data/` (see its README.md) into the database.

`load_reference_data()` creates or updates, by official code, every region, the 21
wellbeing services counties, the 308 municipalities and HUS. It never deletes and never
overwrites what staff edit in the admin (slug, description, logo, verified flags), so
running it again adds nothing and changes nothing unless the data files changed.

E-mail domains. Only a handful of domains are known to be the organisation's own and are
seeded as *verified* (a member on a verified domain is confirmed at once); see
`VERIFIED_DOMAINS`. Every other municipality gets *unverified* suggestion domains derived
from its name (`<finnish-name>.fi`, plus `<swedish-name>.fi` for Swedish-majority
municipalities, or `<swedish-name>.ax` on Åland). Unverified domains only preselect the
organisation on the "choose your organisation" page; membership then waits for an
organisation admin or KT staff. No name-derived domain is added where a verified one is
known, because some derived names belong to someone else (helsinki.fi and oulu.fi are
the universities').
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .models import EmailDomain, Organisation, Region

DATA_DIR = Path(__file__).resolve().parent / "data"

HELSINKI_WELFARE_CODE = "90"
ALAND_WELFARE_CODE = "91"
HELSINKI_CODE = "091"
UUSIMAA_REGION = "01"
UUSIMAA_WELFARE_AREAS = ("01", "02", "03", "04")

# HUS has no Statistics Finland code; "HUS" is its code in this portal.
HUS = {
    "code": "HUS",
    "slug": "hus",
    "name_fi": "HUS-yhtymä",
    "name_sv": "HUS-sammanslutningen",
    "name_en": "HUS Group",
}

# Domains known to be the organisation's own: memberships on them are confirmed at once.
# (kind, code) → domains.
VERIFIED_DOMAINS = {
    (Organisation.Kind.MUNICIPALITY, "425"): ["liminka.fi"],
    (Organisation.Kind.MUNICIPALITY, "091"): ["hel.fi"],
    (Organisation.Kind.MUNICIPALITY, "049"): ["espoo.fi"],
    (Organisation.Kind.MUNICIPALITY, "092"): ["vantaa.fi"],
    (Organisation.Kind.MUNICIPALITY, "837"): ["tampere.fi"],
    (Organisation.Kind.MUNICIPALITY, "853"): ["turku.fi"],
    (Organisation.Kind.MUNICIPALITY, "564"): ["ouka.fi"],
    (Organisation.Kind.WELFARE_JOINT_AUTHORITY, HUS["code"]): ["hus.fi"],
}


@dataclass
class LoadResult:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    domains_created: int = 0

    def count(self, bucket: str, label: str) -> None:
        target = self.created if bucket == "created" else self.updated
        target[label] = target.get(label, 0) + 1

    def summary(self) -> str:
        created = ", ".join(f"{n} {k}" for k, n in sorted(self.created.items())) or "nothing"
        updated = ", ".join(f"{n} {k}" for k, n in sorted(self.updated.items())) or "nothing"
        return f"created {created}; updated {updated}; {self.domains_created} new e-mail domains"


def read_csv(name: str, data_dir: Path = DATA_DIR) -> list[dict]:
    with open(data_dir / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(base)[:190] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _upsert(model, lookup: dict, values: dict, result: LoadResult, label: str, slug_base: str = ""):
    """Create or update `model` by `lookup`; saves only when a value really changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        if model is Organisation:
            obj.slug = unique_slug(slug_base or values["name_fi"])
        obj.save()
        result.count("created", label)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed + (["updated_at"] if model is Organisation else []))
        result.count("updated", label)
    return obj


def _int_or_none(value: str):
    return int(value) if value and value.strip() else None


def _suggested_domains(row: dict) -> list[str]:
    if row["region_code"] == "21":  # Åland uses .ax
        return [f"{slugify(row['name_sv'])}.ax"]
    domains = [f"{slugify(row['name_fi'])}.fi"]
    if row["language_status"].startswith("sv") and slugify(row["name_sv"]) != slugify(row["name_fi"]):
        domains.append(f"{slugify(row['name_sv'])}.fi")
    return domains


def _add_domains(organisation: Organisation, domains: list[str], *, verified: bool, result: LoadResult):
    for domain in domains:
        email_domain, created = EmailDomain.objects.get_or_create(
            organisation=organisation, domain=domain.lower(), defaults={"verified": verified}
        )
        if created:
            result.domains_created += 1
        elif verified and not email_domain.verified:
            email_domain.verified = True
            email_domain.save(update_fields=["verified"])


@transaction.atomic
def load_reference_data(data_dir: Path = DATA_DIR) -> LoadResult:
    result = LoadResult()
    kind = Organisation.Kind

    regions = {}
    for row in read_csv("regions.csv", data_dir):
        regions[row["code"]] = _upsert(
            Region, {"code": row["code"]},
            {"name_fi": row["name_fi"], "name_sv": row["name_sv"], "name_en": row["name_en"]},
            result, "regions",
        )

    welfare_areas = {}
    for row in read_csv("welfare_areas.csv", data_dir):
        if row["kind"] != "wellbeing_services_county":
            continue  # 90 = City of Helsinki (a municipality), 91 = Åland (outside the reform)
        welfare_areas[row["code"]] = _upsert(
            Organisation, {"kind": kind.WELFARE_AREA, "code": row["code"]},
            {
                "name_fi": row["name_fi"], "name_sv": row["name_sv"], "name_en": row["name_en"],
                "region": regions[row["region_code"]],
                "population": _int_or_none(row["population"]),
                "population_year": _int_or_none(row["population_year"]),
            },
            result, "wellbeing services counties",
        )

    municipalities = {}
    for row in read_csv("municipalities.csv", data_dir):
        organisation = _upsert(
            Organisation, {"kind": kind.MUNICIPALITY, "code": row["code"]},
            {
                "name_fi": row["name_fi"], "name_sv": row["name_sv"], "name_en": row["name_en"],
                "region": regions[row["region_code"]],
                "welfare_area": welfare_areas.get(row["welfare_area_code"]),
                "organises_welfare_services": row["welfare_area_code"] == HELSINKI_WELFARE_CODE,
                "outside_welfare_reform": row["welfare_area_code"] == ALAND_WELFARE_CODE,
                "population": _int_or_none(row["population"]),
                "population_year": _int_or_none(row["population_year"]),
            },
            result, "municipalities",
        )
        municipalities[row["code"]] = organisation
        if (kind.MUNICIPALITY, row["code"]) not in VERIFIED_DOMAINS:
            _add_domains(organisation, _suggested_domains(row), verified=False, result=result)

    members = [welfare_areas[code] for code in UUSIMAA_WELFARE_AREAS] + [municipalities[HELSINKI_CODE]]
    hus = _upsert(
        Organisation, {"kind": kind.WELFARE_JOINT_AUTHORITY, "code": HUS["code"]},
        {
            "name_fi": HUS["name_fi"], "name_sv": HUS["name_sv"], "name_en": HUS["name_en"],
            "region": regions[UUSIMAA_REGION],
            "population": sum(m.population or 0 for m in members) or None,
            "population_year": members[0].population_year,
        },
        result, "welfare joint authorities", slug_base=HUS["slug"],
    )
    hus.member_organisations.add(*members)

    for (org_kind, code), domains in VERIFIED_DOMAINS.items():
        organisation = Organisation.objects.filter(kind=org_kind, code=code).first()
        if organisation:
            _add_domains(organisation, domains, verified=True, result=result)
    return result
