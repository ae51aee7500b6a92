"""CSV cells that a spreadsheet program cannot run as formulas (CSV or formula injection).

A cell that starts with `=`, `+`, `-` or `@` is read as a formula by Excel and LibreOffice:
`=HYPERLINK(...)` in an action's title would become a link in the exported sheet, `=cmd|...`
worse. Every text cell of every CSV the portal writes goes through `safe_cell`, which puts an
apostrophe in front of such text, and of text starting with a tab or a line break, which some
programs skip before looking for a formula (OWASP's advice). Numbers stay numbers: a cell that
is a plain number, such as a negative normalised score "-0.2500", is left alone.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """A `csv.writer` whose rows are made safe first."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row):
        return self.writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writer.writerow(safe_row(row))
