"""The organization scope (CONTRACT §5): an organization and, optionally, everything below it.

"The organization" of an analytic query, and of a list filter's ``organizationId``, is the
organization itself and, with ``include_subsidiaries``, every organization below it through
``parentId`` (subsidiaries and affiliates alike, recursively). One definition for the whole
service: the analytics walk their projection's child index with it, the list service the
organizations it read from the store, and both refuse an unknown organization the same way.

Example:
    >>> children = {"k": ["kl"], "kl": ["kx"]}
    >>> organizations_in_scope("k", children, known={"k", "kl", "kx"}, include_subsidiaries=True)
    ('k', 'kl', 'kx')
    >>> organizations_in_scope("k", children, known={"k", "kl", "kx"}, include_subsidiaries=False)
    ('k',)
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from graphsvc.errors import NotFound

__all__ = ["organizations_in_scope"]


def organizations_in_scope(
    organization_id: str,
    children: Mapping[str, Iterable[str]],
    *,
    known: Container[str],
    include_subsidiaries: bool,
) -> tuple[str, ...]:
    """The scope's organization ids, sorted; ``NotFound`` when ``organization_id`` is unknown.

    ``children`` maps an organization id to the ids of the organizations directly below it;
    ``known`` holds every organization id of the workspace.
    """
    if organization_id not in known:
        raise NotFound(f"organization {organization_id!r} does not exist")
    found = [organization_id]
    if include_subsidiaries:
        seen = {organization_id}
        stack = [organization_id]
        while stack:
            for child in children.get(stack.pop(), ()):
                # Document validation forbids parent cycles; ``seen`` keeps this finite anyway.
                if child not in seen:
                    seen.add(child)
                    found.append(child)
                    stack.append(child)
    return tuple(sorted(found))
