"""Bar charts drawn on the server as SVG: the geometry of one bar a month.

Coordinates are computed here as plain strings (never localised: "12,5" is no coordinate);
templates/insights/_chart.html draws them, with the same numbers in a table beside.
"""

import math
from dataclasses import dataclass

WIDTH = 560
HEIGHT = 220
LEFT = 48  # room for the axis's numbers
RIGHT = 8
TOP = 12
BOTTOM = 28  # room for the months
GAP = 0.25  # of each month's width, between bars


@dataclass(frozen=True)
class Bar:
    month: object  # a date, the first day of the month
    value: int
    x: str
    y: str
    width: str
    height: str
    label_x: str


@dataclass(frozen=True)
class Tick:
    value: int
    y: str


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    bars: list
    ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: str = str(HEIGHT - BOTTOM)
    label_y: str = str(HEIGHT - 8)
    tick_x: str = str(LEFT - 6)


def _number(value):
    return f"{value:.1f}"


def axis_top(largest):
    """The smallest of 1, 2, 5 x 10^n at or above the largest value (at least 2, so that the
    axis can be halved into whole numbers)."""
    if largest <= 2:
        return 2
    magnitude = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 5, 10):
        if step * magnitude >= largest:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover (the loop ends at 10)


def bar_chart(*, key, title, points):
    """A chart of `points`, [(month, value)] oldest first."""
    top = axis_top(max((value for _, value in points), default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    bars = []
    for index, (month, value) in enumerate(points):
        height = plot_height * value / top
        x = LEFT + index * slot + slot * GAP / 2
        bars.append(
            Bar(
                month=month,
                value=value,
                x=_number(x),
                y=_number(HEIGHT - BOTTOM - height),
                width=_number(slot * (1 - GAP)),
                height=_number(height),
                label_x=_number(LEFT + (index + 0.5) * slot),
            )
        )
    ticks = [
        Tick(value=value, y=_number(HEIGHT - BOTTOM - plot_height * value / top))
        for value in (0, top // 2, top)
    ]
    return BarChart(key=key, title=title, bars=bars, ticks=ticks)
