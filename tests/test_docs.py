"""The docs match the tool: README's first commands, every CLI command documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luoshi.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_docs_readme_starts_with_the_two_commands():
    first_block = re.search(r"```\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_docs_every_command_in_readme(command):
    assert f"luoshi {command}" in README
    assert main.commands[command].help and "Example:" in main.commands[command].help


def test_docs_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
