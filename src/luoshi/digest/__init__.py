"""The keyword digest: the page an editor writes by hand, drafted from a report or news."""

from luoshi.digest.build import Digest, DigestSection, Item, Voice, build_digest
from luoshi.digest.render import render_html, render_markdown

__all__ = ["Digest", "DigestSection", "Item", "Voice", "build_digest", "render_html", "render_markdown"]
