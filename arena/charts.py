"""Server-side bar charts as plain data for SVG templates (no chart service, no script)."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    href: str = ""
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    tick: str = ""


def horizontal_bars(rows: list[tuple[str, int, str]], *, width: int = 640, row_height: int = 40,
                    bar_height: int = 16) -> dict:
    """Bars with their label above them: [(label, value, href)] → geometry."""
    maximum = max((value for _l, value, _h in rows), default=0)
    usable = width - 60  # room for the value after the bar
    bars = []
    for index, (label, value, href) in enumerate(rows):
        bar_width = usable * value / maximum if maximum else 0
        bars.append(Bar(label=label, value=value, href=href, x=0, y=index * row_height + 20,
                        width=round(max(bar_width, 1 if value else 0), 1), height=bar_height))
    return {"bars": bars, "width": width, "height": len(rows) * row_height + 8, "max": maximum}


def vertical_bars(rows: list[tuple[str, int, str]], *, width: int = 640, height: int = 240,
                  every: int = 3) -> dict:
    """Columns with a tick label every `every` columns: [(label, value, tick)] → geometry."""
    maximum = max((value for _l, value, _t in rows), default=0)
    plot_height = height - 40
    slot = width / max(len(rows), 1)
    bars = []
    for index, (label, value, tick) in enumerate(rows):
        bar_height = plot_height * value / maximum if maximum else 0
        bars.append(Bar(label=label, value=value, x=round(index * slot + slot * 0.15, 1),
                        y=round(plot_height - bar_height + 10, 1), width=round(slot * 0.7, 1),
                        height=round(bar_height, 1), tick=tick if index % every == 0 else ""))
    return {"bars": bars, "width": width, "height": height, "max": maximum, "baseline": plot_height + 10,
            "label_y": plot_height + 30}
