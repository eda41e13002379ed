"""A small request pays only for what it asks: limits built once, verdicts reused, no waste.

bench/request_overhead.py measures person(id) over HTTP against a bare Strawberry app; these
tests keep the causes of the overhead it found from coming back, and show that every check
still holds on every request.
"""

from __future__ import annotations

from graphql import parse
from strawberry.extensions import AddValidationRules, SchemaExtension

from graphsvc.api.graphql.loaders import create_loaders
from graphsvc.api.graphql.schema import schema
from graphsvc.api.limits import ExtensionFactory, limit_extensions
from graphsvc.api.limits.cost import CostCheck
from graphsvc.api.validation_cache import ValidationCache
from graphsvc.config import Settings
from graphsvc.services.graph import GraphService
from graphsvc.store.base import GraphStore
from tests.factories import changes, org, person

PAGE = "query ($n: Int) { people(first: $n) { edges { node { id } } } }"


def _rules(factories: list[ExtensionFactory]) -> list[type]:
    """The validation rules the limit extensions of one operation add."""
    extensions = [factory() for factory in factories]
    return [
        rule
        for extension in extensions
        if isinstance(extension, ValidationCache)
        for rule in extension.rules
    ]


def test_the_limit_rules_are_built_once_not_per_request() -> None:
    # given the limit extensions of one schema (introspection off: its rule too)
    settings = Settings(introspection=False)
    factories = limit_extensions(settings)
    # when two operations get their extensions
    first, second = _rules(factories), _rules(factories)
    # then they share the same rule classes: none is built per request (a class built per
    # request cost time to build and left cyclic garbage for the collector)
    assert len(first) == 3
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_the_limits_add_no_hook_that_a_validation_cache_can_do() -> None:
    # given the limit extensions of the served schema
    extensions = [factory() for factory in limit_extensions(Settings(introspection=False))]
    # then none only adds rules to each operation, and none runs around execution: every
    # extension costs each request its hook wrappers; the rules are the validation cache's,
    # the time limit the execution's (api.graphql.execution)
    assert not [e for e in extensions if isinstance(e, AddValidationRules)]
    assert [
        type(e).__name__ for e in extensions if type(e).on_execute is not SchemaExtension.on_execute
    ] == []


def test_a_repeated_query_is_costed_once_per_page_size_and_anew_for_another() -> None:
    # given the cost check of the served schema and a query with a page-size variable
    settings = Settings()
    check = CostCheck(settings)
    document = parse(PAGE)

    def cost(variables: dict[str, object]) -> list[object]:
        return list(check(schema._schema, document, PAGE, variables, None))

    # when it is checked twice with a small page, then it passes both times, from one verdict
    assert cost({"n": 10}) == []
    verdict = check(schema._schema, document, PAGE, {"n": 10}, None)
    assert verdict is check(schema._schema, document, PAGE, {"n": 10}, None)
    # when the same text comes with a page above the maximum, it is refused
    refused = cost({"n": settings.max_page_size + 1})
    assert [str(e).split(";")[0] for e in refused] == [
        f"people(first: {settings.max_page_size + 1}) asks for more than the maximum page "
        f"size {settings.max_page_size}"
    ]
    # and variables that the estimate does not read do not split the verdicts
    assert check(schema._schema, document, PAGE, {"n": 10, "other": "x"}, None) is verdict
    # a pre-parsed document (no text) is costed every time, never remembered
    assert check(schema._schema, document, None, {"n": 10}, None) is not verdict


async def test_a_request_makes_only_the_loaders_its_fields_ask_for(
    sqlite_store: GraphStore,
) -> None:
    # given the loaders of a new request over a store holding one person
    await sqlite_store.apply("w", changes(org("o"), person("p", "o")))
    loaders = create_loaders(GraphService(sqlite_store), "w")
    # then none of the seventeen is made before a field asks for it
    assert loaders._made == []
    # when person(id) asks for a person, only the person loader is made, and it reads
    found = await loaders.person.load("p")
    assert found is not None
    assert found.id == "p"
    assert loaders._made == [loaders.person]
    # and after a write, clearing forgets its reads (a new load reads the store again)
    await sqlite_store.apply("w", changes(person("p", "o", name="Renamed")))
    loaders.clear_all()
    again = await loaders.person.load("p")
    assert again is not None
    assert again.name == "Renamed"
