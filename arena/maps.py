"""Choropleth maps of Finland drawn from the base maps in static/arena/maps/.

The SVG files are read once per process; each page redraws the paths with a CSS class
per colour level (`level-0` … `level-5`), so nothing needs an inline style.
"""

import functools
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

MAP_DIR = Path(__file__).resolve().parent / "static" / "arena" / "maps"
SVG_NS = "{http://www.w3.org/2000/svg}"
LEVELS = 5


@dataclass(frozen=True)
class BaseArea:
    code: str
    d: str
    names: dict


@functools.cache
def base_map(name: str) -> tuple[str, tuple[BaseArea, ...]]:
    """(viewBox, areas) of `map_<name>.svg`."""
    root = ET.parse(MAP_DIR / f"map_{name}.svg").getroot()
    areas = []
    for path in root.iter(f"{SVG_NS}path"):
        names = {lang: path.get(f"data-name-{lang}", "") for lang in ("fi", "sv", "en")}
        areas.append(BaseArea(code=path.get("data-code"), d=path.get("d"), names=names))
    return root.get("viewBox"), tuple(areas)


def level(count: int, maximum: int) -> int:
    if count <= 0 or maximum <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * count / maximum)))


def legend(maximum: int) -> list[dict]:
    """[{level, low, high}] for the levels in use."""
    rows = [{"level": 0, "low": 0, "high": 0}]
    if maximum <= 0:
        return rows
    previous = 0
    for step in range(1, LEVELS + 1):
        high = math.floor(maximum * step / LEVELS)
        low = previous + 1
        if high >= low:
            rows.append({"level": step, "low": low, "high": high})
        previous = max(previous, high)
    return rows


def choropleth(name: str, counts: dict[str, int], *, language: str, href) -> dict:
    """Everything the map template needs: areas with name, count, level and link."""
    view_box, base_areas = base_map(name)
    maximum = max(counts.values(), default=0)
    areas = []
    for area in base_areas:
        count = counts.get(area.code, 0)
        areas.append({
            "code": area.code,
            "d": area.d,
            "name": area.names.get(language) or area.names["fi"],
            "count": count,
            "level": level(count, maximum),
            "href": href(area.code),
        })
    table = sorted(areas, key=lambda a: (-a["count"], a["name"]))
    return {"name": name, "view_box": view_box, "areas": areas, "table": table, "legend": legend(maximum)}
