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
import functools
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


def unique_slug(base: str, *, taken: set[str] | None = None) -> str:
    """`base` slugified, with "-2", "-3"… added while it is taken (by `taken` or the database)."""
    base = slugify(base)[:190] or "organisation"
    taken = set(Organisation.objects.values_list("slug", flat=True)) if taken is None else taken
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class _Upserter:
    """Create or update rows by natural key, saving only what really changed.

    Reads the existing rows once, so a full load costs a few hundred queries."""

    def __init__(self, result: LoadResult):
        self.result = result
        self.regions = {r.code: r for r in Region.objects.all()}
        self.organisations = {(o.kind, o.code): o for o in Organisation.objects.all()}
        self.slugs = set(Organisation.objects.values_list("slug", flat=True))
        self.domains = {(d.organisation_id, d.domain): d for d in EmailDomain.objects.all()}
        self.new_domains: list[EmailDomain] = []

    def _apply(self, obj, values: dict, label: str, extra_fields=()):
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=[*changed, *extra_fields])
            self.result.count("updated", label)
        return obj

    def region(self, code: str, values: dict) -> Region:
        region = self.regions.get(code)
        if region is None:
            region = self.regions[code] = Region.objects.create(code=code, **values)
            self.result.count("created", "regions")
            return region
        return self._apply(region, values, "regions")

    def organisation(self, kind: str, code: str, values: dict, label: str, slug_base: str = "") -> Organisation:
        organisation = self.organisations.get((kind, code))
        if organisation is None:
            slug = unique_slug(slug_base or values["name_fi"], taken=self.slugs)
            self.slugs.add(slug)
            organisation = Organisation.objects.create(kind=kind, code=code, slug=slug, **values)
            self.organisations[(kind, code)] = organisation
            self.result.count("created", label)
            return organisation
        return self._apply(organisation, values, label, extra_fields=["updated_at"])

    def domains_for(self, organisation: Organisation, domains: list[str], *, verified: bool) -> None:
        for domain in domains:
            key = (organisation.pk, domain.lower())
            existing = self.domains.get(key)
            how = EmailDomain.Verification.REFERENCE if verified else ""
            if existing is None:
                self.domains[key] = EmailDomain(organisation=organisation, domain=key[1], verified=verified,
                                                verification=how)
                self.new_domains.append(self.domains[key])
            elif verified and not existing.verified:
                existing.verified, existing.verification = True, how
                existing.requested_at, existing.pending_reason = None, ""
                if existing.pk:
                    existing.save(update_fields=["verified", "verification", "requested_at", "pending_reason"])

    def flush(self) -> None:
        EmailDomain.objects.bulk_create(self.new_domains)
        self.result.domains_created += len(self.new_domains)


def _int_or_none(value: str):
    return int(value) if value and value.strip() else None


def _suggested_domains(row: dict) -> list[str]:
    if row["region_code"] == "21":  # Åland uses .ax
        return [f"{slugify(row['name_sv'])}.ax"]
    domains = [f"{slugify(row['name_fi'])}.fi"]
    if row["language_status"].startswith("sv") and slugify(row["name_sv"]) != slugify(row["name_fi"]):
        domains.append(f"{slugify(row['name_sv'])}.fi")
    return domains


@functools.cache
def reference_domain_owners(data_dir: Path = DATA_DIR) -> dict[str, frozenset[tuple[str, str]]]:
    """Every domain the reference data gives an organisation, with its owners' (kind, code):
    the verified ones and the name-derived suggestions, exactly as `load_reference_data` seeds them."""
    owners: dict[str, set[tuple[str, str]]] = {}
    for row in read_csv("municipalities.csv", data_dir):
        key = (Organisation.Kind.MUNICIPALITY.value, row["code"])
        if key not in VERIFIED_DOMAINS:
            for domain in _suggested_domains(row):
                owners.setdefault(domain, set()).add(key)
    for (kind, code), domains in VERIFIED_DOMAINS.items():
        for domain in domains:
            owners.setdefault(domain, set()).add((str(kind), code))
    return {domain: frozenset(keys) for domain, keys in owners.items()}


@transaction.atomic
def load_reference_data(data_dir: Path = DATA_DIR) -> LoadResult:
    result = LoadResult()
    upsert = _Upserter(result)
    kind = Organisation.Kind

    regions = {}
    for row in read_csv("regions.csv", data_dir):
        regions[row["code"]] = upsert.region(
            row["code"], {"name_fi": row["name_fi"], "name_sv": row["name_sv"], "name_en": row["name_en"]}
        )

    welfare_areas = {}
    for row in read_csv("welfare_areas.csv", data_dir):
        if row["kind"] != "wellbeing_services_county":
            continue  # 90 = City of Helsinki (a municipality), 91 = Åland (outside the reform)
        welfare_areas[row["code"]] = upsert.organisation(
            kind.WELFARE_AREA, row["code"],
            {
                "name_fi": row["name_fi"], "name_sv": row["name_sv"], "name_en": row["name_en"],
                "region": regions[row["region_code"]],
                "population": _int_or_none(row["population"]),
                "population_year": _int_or_none(row["population_year"]),
            },
            "wellbeing services counties",
        )

    municipalities = {}
    for row in read_csv("municipalities.csv", data_dir):
        organisation = upsert.organisation(
            kind.MUNICIPALITY, row["code"],
            {
                "name_fi": row["name_fi"], "name_sv": row["name_sv"], "name_en": row["name_en"],
                "region": regions[row["region_code"]],
                "welfare_area": welfare_areas.get(row["welfare_area_code"]),
                "organises_welfare_services": row["welfare_area_code"] == HELSINKI_WELFARE_CODE,
                "outside_welfare_reform": row["welfare_area_code"] == ALAND_WELFARE_CODE,
                "population": _int_or_none(row["population"]),
                "population_year": _int_or_none(row["population_year"]),
            },
            "municipalities",
        )
        municipalities[row["code"]] = organisation
        if (kind.MUNICIPALITY, row["code"]) not in VERIFIED_DOMAINS:
            upsert.domains_for(organisation, _suggested_domains(row), verified=False)

    members = [welfare_areas[code] for code in UUSIMAA_WELFARE_AREAS] + [municipalities[HELSINKI_CODE]]
    hus = upsert.organisation(
        kind.WELFARE_JOINT_AUTHORITY, HUS["code"],
        {
            "name_fi": HUS["name_fi"], "name_sv": HUS["name_sv"], "name_en": HUS["name_en"],
            "region": regions[UUSIMAA_REGION],
            "population": sum(m.population or 0 for m in members) or None,
            "population_year": members[0].population_year,
        },
        "welfare joint authorities", slug_base=HUS["slug"],
    )
    hus.member_organisations.add(*members)

    for (org_kind, code), domains in VERIFIED_DOMAINS.items():
        organisation = upsert.organisations.get((org_kind, code))
        if organisation:
            upsert.domains_for(organisation, domains, verified=True)
    upsert.flush()
    return result
