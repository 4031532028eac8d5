"""The house holds together: no import cycles, and every stored fact has a fold handler."""

from __future__ import annotations

import grimp

from ledger.events import Fact
from ledger.fold.corrections import CORRECTIONS
from ledger.fold.table import HANDLERS

PACKAGES = ("ledger", "projections", "commands")


def every_subclass(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub} | every_subclass(sub)
    return found


def cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Groups of modules that import one another, round (Tarjan's strongly connected parts);
    imports made only for type checking or inside a function count too."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while not group or module not in group:
                group.add(stack.pop())
            if len(group) > 1:
                found.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*PACKAGES)
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="a")
    graph.add_import(importer="b", imported="c")
    assert cycles(graph) == [{"a", "b"}]


def test_every_kind_of_stored_fact_is_folded_or_corrects_another() -> None:
    # a new event class without a handler would be stored and folded into nothing
    events = {cls for cls in every_subclass(Fact) if cls.__module__ == "ledger.events"}
    assert events == set(HANDLERS.facts) | set(CORRECTIONS)
    assert not set(HANDLERS.facts) & set(CORRECTIONS)
