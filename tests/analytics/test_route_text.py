"""Route explanations (``route_text``): the language follows the names, namesakes are told
apart, and every relationship reads naturally in English and Japanese."""

from __future__ import annotations

import pytest

from graphsvc.analytics.projection import Projection
from graphsvc.analytics.route_text import ExplanationLanguage, explanation_language, is_japanese
from graphsvc.analytics.routes import contact_routes
from graphsvc.domain.enums import OrganizationKind, Stance
from graphsvc.domain.models import Relationship
from tests.analytics.conftest import project
from tests.factories import document, influences, knows, org, person, reports_to

EN, JA = ExplanationLanguage.EN, ExplanationLanguage.JA


def graph(*relationships: Relationship, names: dict[str, str], extra=()) -> Projection:
    """Our ``u`` (Us, SELF) and the others at Acme, named as given."""
    return project(
        document(
            organizations=[org("us", "Us", OrganizationKind.SELF), org("acme", "Acme")],
            people=[
                person(
                    pid,
                    "us" if pid == "u" else "acme",
                    name,
                    title="VP" if pid == "a" else None,
                    stance=Stance.CHAMPION if pid == "a" else Stance.UNKNOWN,
                )
                for pid, name in names.items()
            ]
            + list(extra),
            relationships=list(relationships),
        )
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Ken Ueda", "高橋 誠"], JA),  # a tie: the target's name decides
        (["高橋 誠", "Ann Lee"], EN),
        (["Ken Ueda", "高橋 誠", "Ann Lee"], EN),  # most names are Latin
        (["Ken Ueda", "たなか", "カトウ"], JA),  # kana count as Japanese
    ],
)
def test_language_follows_most_names_then_the_target(names, expected) -> None:
    assert explanation_language(names) is expected


def test_japanese_script_detection() -> None:
    assert all(is_japanese(name) for name in ("佐藤 健", "さとう", "サトウ", "ｻﾄｳ"))
    assert not any(is_japanese(name) for name in ("Sato Ken", "Zoë", ""))


def test_english_data_reads_in_english_with_namesakes_told_apart() -> None:
    # Given two people called Ann Lee, one of them on the route
    namesake = person("x", "acme", "Ann Lee", title="Clerk")
    projection = graph(
        knows("u", "a", 0.9),
        knows("a", "t", 0.8),
        names={"u": "Ken Ueda", "a": "Ann Lee", "t": "Tom Ito"},
        extra=[namesake],
    )

    [route] = contact_routes(projection, to="t", k=1)

    assert (
        route.explanation
        == route.explanations[EN]
        == ("Ken Ueda (Us) knows Ann Lee (VP, Acme, champion) (0.90), who knows Tom Ito (0.80)")
    )


def test_namesakes_on_one_route_are_told_apart() -> None:
    projection = graph(
        knows("u", "a", 0.9),
        knows("a", "t", 0.8),
        names={"u": "Ken Ueda", "a": "Tom Ito", "t": "Tom Ito"},
    )

    [route] = contact_routes(projection, to="t", k=1)

    assert route.explanations[EN] == (
        "Ken Ueda (Us) knows Tom Ito (VP, Acme, champion) (0.90), who knows Tom Ito (Acme) (0.80)"
    )


@pytest.mark.parametrize(
    ("relationship", "english", "japanese"),
    [
        (knows("u", "t", 0.9), "knows", "高橋 誠を知っている"),
        (influences("u", "t", 0.9), "influences", "高橋 誠に影響を与えている"),
        (influences("t", "u", 0.9), "is influenced by", "高橋 誠から影響を受けている"),
        (reports_to("u", "t", 0.9), "reports to", "高橋 誠の部下である"),
        (reports_to("t", "u", 0.9), "manages", "高橋 誠の上司である"),
        (
            reports_to("u", "t", 0.9, dotted=True),
            "has a dotted reporting line to",
            "高橋 誠の点線の部下である",
        ),
        (
            reports_to("t", "u", 0.9, dotted=True),
            "is the dotted-line manager of",
            "高橋 誠の点線の上司である",
        ),
    ],
)
def test_each_relationship_reads_in_both_languages(relationship, english, japanese) -> None:
    projection = graph(relationship, names={"u": "上田 健", "t": "高橋 誠"})

    [route] = contact_routes(projection, to="t", k=1)

    assert route.explanations[EN] == f"上田 健 (Us) {english} 高橋 誠 (0.90)"
    assert route.explanation == route.explanations[JA] == f"上田 健（Us）は{japanese}（0.90）。"


def test_a_name_change_updates_the_namesake_count() -> None:
    projection = graph(knows("u", "t", 0.9), names={"u": "Ken Ueda", "t": "Tom Ito"})
    assert projection.namesakes("Tom Ito") == 1

    projection.add_person_rows([("y", "Tom Ito", "acme", None, None, None, Stance.UNKNOWN)])

    assert projection.namesakes("Tom Ito") == 2
