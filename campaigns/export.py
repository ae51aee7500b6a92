"""Results as a flat table: the same columns for the CSV download and the management command."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arena.spreadsheet import SafeWriter

from .ranking import ALREADY_AWARDED, BELOW_MINIMUM, NO_CONSENT, NO_EMPLOYEE_COUNT, NOT_SCORED, CategoryResult

REASONS = {
    NO_EMPLOYEE_COUNT: gettext_lazy("no employee count for the year"),
    BELOW_MINIMUM: gettext_lazy("fewer actions than the minimum"),
    NOT_SCORED: gettext_lazy("no complete jury scores"),
    ALREADY_AWARDED: gettext_lazy("already awarded in another category"),
    NO_CONSENT: gettext_lazy("no consent from the person yet: cannot take an award place"),
}


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


def _number(value) -> str:
    return "" if value is None else str(value)


def results_rows(categories: list[CategoryResult]) -> tuple[list[str], list[list[str]]]:
    header = [
        _("category"), _("rank"), _("winner"), _("name"), _("organisation"), _("actions"), _("employees"),
        _("actions per 1 000 employees"), _("jury score"), _("jurors"), _("not ranked because"),
    ]
    rows = []
    for category in categories:
        for row in [*category.display_rows(), *category.unranked]:
            is_winner = row.rank is not None and row.rank <= category.winners
            if category.is_jury:
                figures = [row.title, row.organisation_name, "", "", "", _number(row.score), _number(row.jurors)]
            elif category.is_people:
                figures = [row.person_name or _("Name withheld"), row.organisation_name if row.person_name else "",
                           "", "", "", _number(row.score), _number(row.jurors)]
            elif category.is_wonder:
                figures = [row.name, row.name, _number(row.actions), "", "", _number(row.score), _number(row.jurors)]
            else:
                figures = [row.name, row.name, _number(row.actions), _number(row.employees),
                           _number(row.per_thousand), "", ""]
            rows.append([
                category.name, _number(row.rank), _("yes") if is_winner else "", *figures,
                reason_label(row.reason) if row.reason else "",
            ])
    return header, rows


def results_csv(categories: list[CategoryResult]) -> str:
    header, rows = results_rows(categories)
    buffer = io.StringIO()
    writer = SafeWriter(csv.writer(buffer))
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def results_table(categories: list[CategoryResult]) -> str:
    """A plain-text table for the terminal."""
    header, rows = results_rows(categories)
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
             for line in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def results_json(*, campaign, mode: str, snapshot, categories: list[CategoryResult]) -> dict:
    return {
        "campaign": campaign.slug,
        "results": mode,
        "frozen_at": snapshot.frozen_at.isoformat() if snapshot else None,
        "published_at": snapshot.published_at.isoformat() if snapshot and snapshot.published_at else None,
        "categories": [{**category.to_dict(), "name": category.name} for category in categories],
    }
