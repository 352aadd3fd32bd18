"""Server-rendered SVG charts (bar and line). No JavaScript, no chart library.

Each chart carries a title and description for screen readers; the numbers are also in the
table printed beneath it. Hidden (suppressed) values draw no bar or point, only their mark.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ACCENT = "#1f5f8b"
SECOND = "#b54708"


def bar_chart(
    labels: Sequence[str], shown: Sequence[int | str], *, title: str, width: int = 640
) -> SafeString:
    """Horizontal bars, one per category; `shown` holds numbers or suppression marks."""
    numbers = [v for v in shown if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    label_w, bar_h, gap = 200, 22, 8
    plot_w = width - label_w - 60
    height = max(1, len(labels)) * (bar_h + gap) + gap
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="t-{id(labels)}"><title id="t-{id(labels)}">{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(zip(labels, shown, strict=True)):
        y = gap + index * (bar_h + gap)
        text_y = y + bar_h * 0.7
        parts.append(
            f'<text x="{label_w - 8}" y="{text_y:.1f}" text-anchor="end" font-size="13">'
            f"{escape(_clip(label))}</text>"
        )
        if isinstance(value, int):
            bar = plot_w * value / top
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{bar:.1f}" height="{bar_h}" fill="{ACCENT}"/>'
            )
            parts.append(
                f'<text x="{label_w + bar + 6:.1f}" y="{text_y:.1f}" font-size="13">{value}</text>'
            )
        else:
            parts.append(
                f'<text x="{label_w + 6}" y="{text_y:.1f}" font-size="13" fill="#667085">'
                f"{escape(str(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label and value is escaped above


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | str]]],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Lines over months; a hidden value breaks the line."""
    left, right, top_pad, bottom = 40, 40, 10, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    numbers = [v for _name, values in series for v in values if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    step = plot_w / max(1, len(labels) - 1)
    colours = [ACCENT, SECOND]

    def xy(i: int, v: int) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h - plot_h * v / top

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="l-{id(labels)}"><title id="l-{id(labels)}">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" '
        'stroke="#d0d5dd"/>',
        f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end" font-size="12">{top}</text>',
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end" font-size="12">0</text>',
    ]
    every = max(1, len(labels) // 6)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            x = left + i * step
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'font-size="12">{escape(label)}</text>'
            )
    for n, (name, values) in enumerate(series):
        colour = colours[n % len(colours)]
        segment: list[str] = []
        for i, value in enumerate([*values, None]):
            if isinstance(value, int):
                x, y = xy(i, value)
                segment.append(f"{x:.1f},{y:.1f}")
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            elif segment:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(segment)}"/>'
                )
                segment = []
        legend_x = left + n * 160
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 16}" y="{height - 4}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label and value is escaped above


def _clip(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
