"""The power map picture: the key persons in their reporting tree, as a standalone SVG.

Who is drawn (``key_people``): every approach target (economic buyers and decision-makers),
the ``KEY_BY_INFLUENCE`` most influential people of ``powerMap``, and the hidden
influencers among the ``2 × KEY_BY_INFLUENCE`` most influential, at most ``MAX_KEY_PEOPLE``
in all. Each is drawn under their nearest manager *among the drawn people* (following solid
REPORTS_TO lines up through the people left out), so the tree stays readable whatever the
size of the account; INFLUENCES between drawn people are dashed arrows.

A box's outline colour and glyph say the stance (the glyph keeps it readable in black and
white and for colour-blind readers); a hidden influencer has a ★ and a thick dashed outline.
Every text is XML-escaped here; the SVG carries its namespace so it also works as a data
URI (the Markdown plan) and references nothing outside itself.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from graphsvc.domain.enums import RelationshipType, Stance
from graphsvc.services.report.facts import AccountFacts
from graphsvc.services.report.wording import Say, score

__all__ = ["KEY_BY_INFLUENCE", "MAX_KEY_PEOPLE", "STANCE_STYLE", "key_people", "power_picture"]

KEY_BY_INFLUENCE = 10
MAX_KEY_PEOPLE = 24
BAND_COLUMNS = 8
"""Leaves side by side before the next tree starts a new band below (about A4 landscape)."""

STANCE_STYLE: dict[Stance, tuple[str, str]] = {
    Stance.CHAMPION: ("#1a7f37", "◎"),
    Stance.SUPPORTER: ("#4a9e4f", "○"),
    Stance.NEUTRAL: ("#6e7781", "△"),
    Stance.SKEPTIC: ("#c77700", "▽"),
    Stance.BLOCKER: ("#cf222e", "✕"),
    Stance.UNKNOWN: ("#8c959f", "?"),
}
"""Outline colour and glyph of each stance."""

_BOX_W, _BOX_H, _GAP_X, _ROW_H, _MARGIN = 168, 62, 16, 96, 16
_LEGEND_H = 56
_FONT = "'Noto Sans JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif"


def key_people(facts: AccountFacts) -> list[str]:
    """The people the picture and the key-person table show, in powerMap order."""
    order = [s.person_id for s in facts.power]
    chosen = set(facts.targets)
    for index, power in enumerate(facts.power[: 2 * KEY_BY_INFLUENCE]):
        if len(chosen) >= MAX_KEY_PEOPLE:
            break
        if index < KEY_BY_INFLUENCE or power.hidden_influencer:
            chosen.add(power.person_id)
    return [p for p in order if p in chosen]


def _tree(facts: AccountFacts, people: list[str]) -> dict[str, str]:
    """Each drawn person's nearest drawn manager, up the solid reporting lines."""
    drawn = set(people)
    above: dict[str, str] = {}
    for person in people:
        seen = {person}
        manager = facts.managers.get(person)
        while manager is not None and manager not in seen:
            if manager in drawn:
                above[person] = manager
                break
            seen.add(manager)
            manager = facts.managers.get(manager)
    return above


def _layout(people: list[str], above: dict[str, str]) -> dict[str, tuple[float, int]]:
    """Slot (x, in box widths) and row of each person: leaves side by side, a manager centred
    over their reports, trees in powerMap order; trees wrap onto a new band of rows below
    once a band holds ``BAND_COLUMNS`` leaves, so a forest of small trees stays printable."""
    rank = {p: i for i, p in enumerate(people)}
    children: dict[str, list[str]] = {p: [] for p in people}
    for person, manager in above.items():
        children[manager].append(person)
    for reports in children.values():
        reports.sort(key=rank.__getitem__)

    def leaves(person: str) -> int:
        return sum(leaves(r) for r in children[person]) or 1

    def depth(person: str) -> int:
        return 1 + max((depth(r) for r in children[person]), default=0)

    placed: dict[str, tuple[float, int]] = {}
    next_slot, band_top, band_rows = 0.0, 0, 0

    def place(person: str, row: int) -> float:
        nonlocal next_slot
        if not children[person]:
            x = next_slot
            next_slot += 1
        else:
            xs = [place(r, row + 1) for r in children[person]]
            x = (xs[0] + xs[-1]) / 2
        placed[person] = (x, row)
        return x

    for root in (p for p in people if p not in above):
        if next_slot and next_slot + leaves(root) > BAND_COLUMNS:
            next_slot, band_top, band_rows = 0.0, band_top + band_rows, 0
        band_rows = max(band_rows, depth(root))
        place(root, band_top)
    return placed


def power_picture(say: Say, people: list[str]) -> str:
    """The SVG of ``people`` (from ``key_people``)."""
    facts = say.facts
    above = _tree(facts, people)
    placed = _layout(people, above)
    columns = max((x for x, _ in placed.values()), default=0) + 1
    rows = max((d for _, d in placed.values()), default=0) + 1
    width = int(2 * _MARGIN + columns * (_BOX_W + _GAP_X))
    height = int(2 * _MARGIN + rows * _ROW_H + _LEGEND_H)

    def corner(person: str) -> tuple[float, float]:
        x, depth = placed[person]
        return _MARGIN + x * (_BOX_W + _GAP_X), _MARGIN + depth * _ROW_H

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="{_FONT}" font-size="12">',
        f"<title>{escape(say('picture_alt', name=facts.organization.name))}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        'fill="#8250df"/></marker></defs>',
    ]
    for person, manager in above.items():
        (x1, y1), (x2, y2) = corner(manager), corner(person)
        mid = y2 - (_ROW_H - _BOX_H) / 2
        parts.append(
            f'<path d="M{x1 + _BOX_W / 2:.0f},{y1 + _BOX_H:.0f}V{mid:.0f}H{x2 + _BOX_W / 2:.0f}'
            f'V{y2:.0f}" fill="none" stroke="#57606a" stroke-width="1.5"/>'
        )
    parts.extend(_influences(facts, people, corner))
    powers = {s.person_id: s for s in facts.power}
    for person in people:
        parts.append(
            _box(
                say,
                person,
                *corner(person),
                powers[person].hidden_influencer,
                powers[person].influence,
            )
        )
    parts.append(_legend(say, height - _LEGEND_H + 8))
    parts.append("</svg>")
    return "".join(parts)


def _influences(
    facts: AccountFacts, people: list[str], corner: Callable[[str], tuple[float, float]]
) -> list[str]:
    """Dashed arrows for INFLUENCES between drawn people (influencer → influenced)."""
    found = []
    for a in people:
        for b in people:
            if a != b and facts.projection.link(RelationshipType.INFLUENCES, a, b) is not None:
                (x1, y1), (x2, y2) = corner(a), corner(b)
                found.append(
                    f'<line x1="{x1 + _BOX_W / 2:.0f}" y1="{y1 + _BOX_H / 2:.0f}" '
                    f'x2="{x2 + _BOX_W / 2:.0f}" y2="{y2 + _BOX_H / 2:.0f}" stroke="#8250df" '
                    'stroke-width="1.5" stroke-dasharray="5 4" marker-end="url(#arrow)"/>'
                )
    return found


def _box(say: Say, person: str, x: float, y: float, hidden: bool, influence: float) -> str:
    node = say.facts.projection.people[person]
    colour, glyph = STANCE_STYLE[node.stance]
    outline = (
        f'stroke="{colour}" stroke-width="4" stroke-dasharray="8 3"'
        if hidden
        else f'stroke="{colour}" stroke-width="2"'
    )
    title = node.title or ""
    lines = [
        f'<g class="person" data-person="{escape(person)}">',
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{_BOX_W}" height="{_BOX_H}" rx="6" '
        f'fill="#ffffff" {outline}/>',
        f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" font-weight="bold">'
        f"{escape(_clip(node.name, 16))}</text>",
        f'<text x="{x + 8:.0f}" y="{y + 35:.0f}" fill="#57606a">{escape(_clip(title, 20))}</text>',
        f'<text x="{x + 8:.0f}" y="{y + 53:.0f}" fill="{colour}">'
        f"{glyph} {escape(say.stance(node.stance))} · {score(influence)}</text>",
    ]
    if hidden:
        lines.append(
            f'<text x="{x + _BOX_W - 20:.0f}" y="{y + 20:.0f}" font-size="16" '
            f'fill="#8250df">★</text>'
        )
    lines.append("</g>")
    return "".join(lines)


def _legend(say: Say, y: float) -> str:
    parts = [f'<g class="legend" transform="translate({_MARGIN},{y:.0f})">']
    x = 0
    for stance, (colour, glyph) in STANCE_STYLE.items():
        word = f"{glyph} {say.stance(stance)}"
        parts.append(f'<text x="{x}" y="14" fill="{colour}">{escape(word)}</text>')
        x += 14 + 9 * len(word)
    parts.append(f'<text x="{x}" y="14" fill="#8250df">{escape(say("legend_hidden"))}</text>')
    parts.append("</g>")
    return "".join(parts)


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
