"""Legacy encodings of a report give the same facts, at the same offsets, as the UTF-8 original."""

from __future__ import annotations

import pytest

from luoshi.io import read_file
from luoshi.pipeline import process


@pytest.fixture(scope="module")
def original(national_dir):
    return process(read_file(national_dir / "2024.txt")[0])


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-be", "utf-8-sig"])
def test_encodings_same_facts(original, tmp_path, encoding):
    text = original.text
    path = tmp_path / f"2024-{encoding}.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    copy = process(read_file(path)[0])
    assert copy.text == text
    assert [f.to_dict() for f in copy.facts] == [f.to_dict() for f in original.facts]
    assert len(original.facts) > 30


def test_encodings_gbk_copy_of_seed(corpus_dir, tmp_path):
    source = corpus_dir / "seed" / "zhengzhou-2024-keywords.txt"
    original = process(read_file(source)[0])
    path = tmp_path / "seed-gbk.txt"
    path.write_bytes(original.text.encode("gbk"))
    copy = process(read_file(path)[0])
    assert copy.text == original.text
    assert [f.to_dict() for f in copy.facts] == [f.to_dict() for f in original.facts]
