"""Regular expressions built from word lists."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, compiled as a trie so that
    thousands of names (the gazetteer) cost one character test per step, not one per name."""
    trie: dict = {}
    for word in set(words):
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie) or "(?!)"


def _trie_pattern(node: dict) -> str:
    ends_here = "" in node
    leaves = sorted(re.escape(c) for c, child in node.items() if c and not child.keys() - {""} and "" in child)
    branches = [re.escape(c) + _trie_pattern(child) for c, child in sorted(node.items())
                if c and (child.keys() - {""})]
    if len(leaves) > 1:
        branches.append("[" + "".join(leaves) + "]")
    elif leaves:
        branches.append(leaves[0])
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body
