"""The runnable examples in the docstrings, run against the installed package (one copy of each module)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import samverkan.cli
import samverkan.graphs
import samverkan.registry


def _modules() -> list[str]:
    names = []
    for package in (samverkan.registry, samverkan.graphs, samverkan.cli):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
