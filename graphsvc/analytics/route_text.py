"""A contact route's ``explanation``: one sentence naming every person and link, in English
or Japanese.

Language (``ExplanationLanguage.AUTO``): Japanese when most of the route's people have a
name written in Japanese script (kana or kanji), English otherwise; on a tie the target's
name decides. So a Japanese account read by a BDR with a Latin-script name still reads in
Japanese, and an English account in English. EN and JA force one language.

People are named by name only, except:

- our person (the first) is followed by title and organization, so the reader knows whose
  introduction it is; the target (the last) by its title;
- anyone whose name another person of the workspace (or of the route) also has is followed by
  title, organization and stance (stance left out when UNKNOWN), so two namesakes are told
  apart. In Japanese that is said once, where the person is first named.

Examples:
    English: "Ken Ueda (BDR, Nexa Systems) knows 高橋 誠 (0.90), who knows 伊藤 翔 (0.80),
    who influences 佐藤 健, CIO (0.95)"
    Japanese: "Ken Ueda（BDR、Nexa Systems）は高橋 誠を知っており（0.90）、高橋 誠は伊藤 翔を知って
    おり（0.80）、伊藤 翔は佐藤 健（CIO）に影響を与えている（0.95）。"
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple, Protocol

from graphsvc.analytics.projection import PersonNode, Projection
from graphsvc.domain.enums import RelationshipType, Stance

__all__ = ["ExplanationLanguage", "HopText", "explain", "explanation_language", "is_japanese"]


class ExplanationLanguage(StrEnum):
    """The language of a route's explanation: AUTO (from the names), EN or JA."""

    AUTO = "AUTO"
    EN = "EN"
    JA = "JA"


class HopText(Protocol):
    """What an explanation needs of a hop (``routes.RouteHop``)."""

    @property
    def to_id(self) -> str: ...
    @property
    def type(self) -> RelationshipType: ...
    @property
    def strength(self) -> float: ...
    @property
    def dotted(self) -> bool: ...
    @property
    def reversed(self) -> bool: ...


_JAPANESE_RANGES = (
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width katakana
)


def is_japanese(name: str) -> bool:
    """True when ``name`` contains kana or kanji."""
    return any(lo <= ord(c) <= hi for c in name for lo, hi in _JAPANESE_RANGES)


def explanation_language(names: Sequence[str]) -> ExplanationLanguage:
    """AUTO resolved for a route whose people (source first, target last) have ``names``."""
    japanese = sum(1 for n in names if is_japanese(n))
    if 2 * japanese == len(names):
        return ExplanationLanguage.JA if is_japanese(names[-1]) else ExplanationLanguage.EN
    return ExplanationLanguage.JA if 2 * japanese > len(names) else ExplanationLanguage.EN


_EN_VERBS = {
    (RelationshipType.KNOWS, False, False): "knows",
    (RelationshipType.KNOWS, False, True): "knows",
    (RelationshipType.INFLUENCES, False, False): "influences",
    (RelationshipType.INFLUENCES, False, True): "is influenced by",
    (RelationshipType.REPORTS_TO, False, False): "reports to",
    (RelationshipType.REPORTS_TO, False, True): "manages",
    (RelationshipType.REPORTS_TO, True, False): "has a dotted reporting line to",
    (RelationshipType.REPORTS_TO, True, True): "is the dotted-line manager of",
}

# (particle after the object, verb in the continuing form, verb in the final form)
_JA_VERBS = {
    (RelationshipType.KNOWS, False, False): ("を", "知っており", "知っている"),
    (RelationshipType.KNOWS, False, True): ("を", "知っており", "知っている"),
    (RelationshipType.INFLUENCES, False, False): ("に", "影響を与えており", "影響を与えている"),
    (RelationshipType.INFLUENCES, False, True): ("から", "影響を受けており", "影響を受けている"),
    (RelationshipType.REPORTS_TO, False, False): ("の", "部下であり", "部下である"),
    (RelationshipType.REPORTS_TO, False, True): ("の", "上司であり", "上司である"),
    (RelationshipType.REPORTS_TO, True, False): ("の", "点線の部下であり", "点線の部下である"),
    (RelationshipType.REPORTS_TO, True, True): ("の", "点線の上司であり", "点線の上司である"),
}

_JA_STANCES = {
    Stance.CHAMPION: "推進者",
    Stance.SUPPORTER: "支持者",
    Stance.NEUTRAL: "中立",
    Stance.SKEPTIC: "懐疑的",
    Stance.BLOCKER: "反対者",
}


def explain(
    projection: Projection,
    people: Sequence[str],
    hops: Sequence[HopText],
    language: ExplanationLanguage = ExplanationLanguage.AUTO,
) -> str:
    """The explanation of the route through ``people`` (see the module docstring)."""
    nodes = [projection.people[p] for p in people]
    if language is ExplanationLanguage.AUTO:
        language = explanation_language([n.name for n in nodes])
    route = _Said(projection, nodes, hops, _namesakes(projection, nodes))
    return _japanese(route) if language is ExplanationLanguage.JA else _english(route)


class _Said(NamedTuple):
    """A route being put into words: its people, hops, and who has a namesake."""

    projection: Projection
    nodes: Sequence[PersonNode]
    hops: Sequence[HopText]
    ambiguous: set[str]

    def details(self, index: int, *, ja: bool) -> list[str] | None:
        """Title, organization (and stance for a namesake) of the source and of namesakes;
        None for the others, whom each language names its own way."""
        node = self.nodes[index]
        if node.id not in self.ambiguous and index != 0:
            return None
        stance = node.id in self.ambiguous
        return _details(self.projection, node, organization=True, stance=stance, ja=ja)


def _namesakes(projection: Projection, nodes: Sequence[PersonNode]) -> set[str]:
    """The ids of the route's people whose name someone else in the workspace also has."""
    return {
        n.id
        for n in nodes
        if projection.namesakes(n.name) > 1 or sum(1 for m in nodes if m.name == n.name) > 1
    }


def _details(
    projection: Projection, node: PersonNode, *, organization: bool, stance: bool, ja: bool
) -> list[str]:
    org = projection.organizations.get(node.organization_id) if organization else None
    words = [node.title, org.name if org else None]
    if stance and node.stance is not Stance.UNKNOWN:
        words.append(_JA_STANCES[node.stance] if ja else node.stance.value.lower())
    return [w for w in words if w]


def _english(route: _Said) -> str:
    nodes, hops = route.nodes, route.hops

    def named(node: PersonNode, index: int) -> str:
        details = route.details(index, ja=False)
        if details is not None:
            return f"{node.name} ({', '.join(details)})" if details else node.name
        if index == len(nodes) - 1 and node.title:
            return f"{node.name}, {node.title}"
        return node.name

    parts = [named(nodes[0], 0)]
    for i, hop in enumerate(hops):
        verb = _EN_VERBS[(hop.type, hop.dotted, hop.reversed)]
        target = named(nodes[i + 1], i + 1)
        parts.append(f"{'' if i == 0 else ', who '}{verb} {target} ({hop.strength:.2f})")
    return parts[0] + " " + "".join(parts[1:])


def _japanese(route: _Said) -> str:
    nodes, hops = route.nodes, route.hops

    def named(node: PersonNode, index: int) -> str:
        details = route.details(index, ja=True)
        if details is None:
            details = [node.title] if index == len(nodes) - 1 and node.title else []
        return f"{node.name}（{'、'.join(details)}）" if details else node.name

    clauses = []
    subject = named(nodes[0], 0)
    for i, hop in enumerate(hops):
        particle, going_on, final = _JA_VERBS[(hop.type, hop.dotted, hop.reversed)]
        verb = final if i == len(hops) - 1 else going_on
        clauses.append(
            f"{subject}は{named(nodes[i + 1], i + 1)}{particle}{verb}（{hop.strength:.2f}）"
        )
        subject = nodes[i + 1].name
    return "、".join(clauses) + "。"
