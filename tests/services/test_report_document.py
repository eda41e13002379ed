"""The account plan's pieces that need no server: its words in both languages, the layout
of the power map picture, and escaping in Markdown."""

from __future__ import annotations

from graphsvc.domain.enums import BuyingRole, Stance
from graphsvc.services.report.markdown import escape_markdown
from graphsvc.services.report.power_picture import BAND_COLUMNS, _layout
from graphsvc.services.report.texts import ReportLanguage, role_word, stance_word, words


def test_both_languages_have_every_word() -> None:
    english, japanese = words(ReportLanguage.EN), words(ReportLanguage.JA)
    assert set(english) == set(japanese)
    for key in english:
        fields = {part.split("}")[0] for part in english[key].split("{")[1:]}
        assert fields == {part.split("}")[0] for part in japanese[key].split("{")[1:]}, key
    for lang in ReportLanguage:
        assert all(stance_word(lang, s) for s in Stance)
        assert all(role_word(lang, r) for r in BuyingRole)


def test_a_manager_is_centred_over_their_reports_and_small_trees_wrap() -> None:
    people = ["boss", "a", "b", *[f"solo{i}" for i in range(BAND_COLUMNS)]]
    placed = _layout(people, {"a": "boss", "b": "boss"})
    assert placed["a"] == (0.0, 1)
    assert placed["b"] == (1.0, 1)
    assert placed["boss"] == (0.5, 0)
    # the first band holds the boss's two leaves and six single people; the rest wrap
    assert placed["solo5"] == (7.0, 0)
    assert placed["solo6"] == (0.0, 2)


def test_markdown_escaping_keeps_names_literal() -> None:
    assert escape_markdown("<b>A|B</b> *x* [y](z)") == (r"&lt;b&gt;A\|B&lt;/b&gt; \*x\* \[y\](z)")
    assert escape_markdown("two\nlines") == "two lines"
