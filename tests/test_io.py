"""The readers (luoshi.io): decoding, HTML main text, DOCX, PDF, JSONL, folder walking."""

from __future__ import annotations

import codecs
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from luoshi.errors import ReadError, message
from luoshi.io import decode_bytes, html_to_text, iter_files, read_all, read_file
from luoshi.model import Document

from hostile import docx_of

SENTENCE_PDF = "GDP grew 5.2% in 2023"


# --------------------------------------------------------------------------- helpers


def _only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def _make_pdf(path: Path, *pages: str) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.cell(text=text)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def report_2024(national_dir) -> tuple[Path, str]:
    path = national_dir / "2024.txt"
    with open(path, encoding="utf-8") as handle:
        return path, handle.read()


# --------------------------------------------------------------------------- text


def _gbk_subset(text: str) -> str:
    """GBK cannot encode U+2003 (EM SPACE), which 2024.txt contains once: leave it out."""
    kept = "".join(ch for ch in text if ch.encode("gbk", errors="ignore"))
    assert len(text) - len(kept) == 1
    return kept


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("gb18030"), id="gb18030"),
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf8-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), id="utf16le-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), id="utf16be-bom"),
        pytest.param(lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"), id="utf32le-bom"),
        pytest.param(lambda t: t.encode("utf-16-le"), id="utf16le-no-bom"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r").encode("gb18030"), id="cr-gb18030"),
    ],
)
def test_text_encoded_copies_decode_to_the_utf8_text(tmp_path, report_2024, encode):
    _, text = report_2024
    path = tmp_path / "2024.txt"
    path.write_bytes(encode(text))
    document = _only(read_file(path))
    assert document.text == text
    assert document.path == str(path)
    assert (document.title, document.year, document.region) == (None, None, None)


def test_text_gbk_copy_decodes_as_gb18030(tmp_path, report_2024):
    _, text = report_2024
    expected = _gbk_subset(text)
    path = tmp_path / "2024-gbk.txt"
    path.write_bytes(expected.encode("gbk"))
    assert _only(read_file(path)).text == expected


def test_text_short_gbk_sample_decodes(tmp_path):
    sample = "示例市2024年政府工作报告\n地区生产总值增长5.5%左右。\n"
    assert decode_bytes(sample.encode("gbk")) == sample


def test_text_big5_is_not_forced_to_gb18030():
    sample = "政府工作報告：國內生產總值增長百分之五左右，經濟發展穩中求進。"
    assert decode_bytes(sample.encode("big5")) == sample


def test_text_only_newlines_are_normalized():
    raw = "  \u3000\u3000第一段，\u00a0保留。 \t\r\n\r\n第二段\r末尾  \n\n"
    assert decode_bytes(raw.encode("utf-8")) == "  \u3000\u3000第一段，\u00a0保留。 \t\n\n第二段\n末尾  \n\n"


# --------------------------------------------------------------------------- errors


def _write(name: str, data: bytes):
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


def _png_like(tmp_path: Path) -> Path:
    noise = random.Random(7).randbytes(4000)
    return _write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise)(tmp_path)


def _truncated_pdf(tmp_path: Path) -> Path:
    data = _make_pdf(tmp_path / "full.pdf", SENTENCE_PDF).read_bytes()
    return _write("truncated.pdf", data[: int(len(data) * 0.6)])(tmp_path)


def _empty_page_pdf(tmp_path: Path) -> Path:
    return _make_pdf(tmp_path / "blank.pdf", "")


def _zip_not_docx(tmp_path: Path) -> Path:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return path


def _docx_without_text(tmp_path: Path) -> Path:
    return docx_of(tmp_path / "blank.docx", "", "  ")


ERROR_CASES = [
    pytest.param(_write("empty.txt", b""), message("empty"), id="txt-empty"),
    pytest.param(_write("blank.txt", codecs.BOM_UTF8 + b" \r\n\t\n"), message("empty"), id="txt-bom-whitespace"),
    pytest.param(_write("binary.txt", bytes(range(256)) * 20), message("binary"), id="txt-binary"),
    pytest.param(_png_like, message("binary"), id="txt-png"),
    pytest.param(_write("controls.txt", bytes(range(1, 128)) * 20), message("binary"), id="txt-control-chars"),
    pytest.param(_truncated_pdf, message("bad_pdf", detail="truncated"), id="pdf-truncated"),
    pytest.param(_write("fake.pdf", b"just some text\n%%EOF\n"), message("bad_pdf", detail="no %PDF- header"),
                 id="pdf-no-header"),
    pytest.param(_empty_page_pdf, message("no_text_layer"), id="pdf-no-text"),
    pytest.param(_write("report.docx", "地区生产总值增长5.5%左右。".encode()), message("not_zip"), id="docx-not-zip"),
    pytest.param(_zip_not_docx, message("bad_docx", detail="There is no item named '[Content_Types].xml' in the archive"),
                 id="docx-zip-not-docx"),
    pytest.param(_docx_without_text, message("no_text"), id="docx-no-text"),
    pytest.param(
        _write("scripts.html", b"<html><head><script>var a = {x: 1};</script><style>p{color:red}</style></head>"
               b"<body><script>document.write('hi')</script><noscript>enable js</noscript></body></html>"),
        message("html_no_text"),
        id="html-only-scripts",
    ),
    pytest.param(_write("empty.jsonl", b"\n  \n"), message("empty"), id="jsonl-blank"),
    pytest.param(lambda tmp_path: tmp_path / "nowhere" / "missing.txt", message("missing"), id="missing"),
    pytest.param(_write("table.csv", b"a,b\n1,2\n"), message("unsupported", suffix=".csv"), id="unsupported"),
]


@pytest.mark.parametrize(("make", "reason"), ERROR_CASES)
def test_io_bad_file_gives_read_error(tmp_path, make, reason):
    path = make(tmp_path)
    error = _only(read_all([path]))
    assert isinstance(error, ReadError)
    assert (error.path, error.reason) == (str(path), reason)
    with pytest.raises(ReadError) as raised:
        read_file(path)
    assert (raised.value.path, raised.value.reason) == (str(path), reason)


# --------------------------------------------------------------------------- HTML

FORBIDDEN_IN_NEWS = ("责任编辑", "海量资讯", "appendQr", "news_keyword_pub", "sinaimg", "{", "}")


def _article_paragraphs(source: str) -> list[str]:
    """Independent oracle: the non-empty <p> texts outside comments, minus the editor line."""
    source = re.sub(r"<!--.*?-->", "", source, flags=re.S)
    paragraphs = []
    for match in re.finditer(r"<p(?:\s[^>]*)?>(.*?)</p>", source, flags=re.S):
        text = re.sub(r"<[^>]+>", "", match.group(1)).strip(" \t\r\n")
        if text and "责任编辑" not in text:
            paragraphs.append(text)
    return paragraphs


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("04.html", "今年的政府工作报告，把这一目标确定在增长5.5%左右"),
        ("08.html", "GDP增速上，郴州勇夺第一，张家界市受疫情冲击“垫底”。"),
    ],
)
def test_html_news_page_main_text(corpus_dir, name, sentence):
    path = corpus_dir / "news" / name
    source = path.read_text(encoding="utf-8")
    document = _only(read_file(path))
    assert document.path == str(path)
    assert document.title == re.search(r"<title>(.*?)</title>", source).group(1)
    assert sentence in document.text
    for unwanted in FORBIDDEN_IN_NEWS:
        assert unwanted not in document.text
    assert document.text.split("\n") == _article_paragraphs(source)
    assert all(line.startswith("\u3000\u3000") for line in document.text.split("\n"))


def test_html_news_keeps_trailing_ideographic_spaces(corpus_dir):
    document = _only(read_file(corpus_dir / "news" / "08.html"))
    assert "　　应该可以说，岳阳暂时坐稳了全省“第二经济强市”的位置，且发展后劲相对充足。　　" in document.text.split("\n")


def test_html_blocks_inline_and_whitespace():
    page = """<html><head><title>  示例
      标题 </title><style>.x{color:red}</style></head><body>
    <nav>首页 &gt; 新闻</nav><header>站点头</header>
    <h1>示例市政府工作报告</h1>
    <div class="content">
      <p>　　第一段<b>加粗</b>，<a href="#">链接</a>&#123;实体&#125;。</p>
      <p>  多个   空格
         与换行\u00a0不间断空格 </p>
      <p>上一行<br>下一行</p>
      <div>外层文字<p>内层段落</p>尾巴文字</div>
      <!-- 注释不要 -->
      <div class="img_wrapper"><img src="x.png"><span class="img_descr">图片说明</span></div>
      <p class="article-editor">责任编辑：某某</p>
      <div class="share-box">分享到微博</div>
      <div id="ad_top">广告</div>
      <p class="lead_para">导语保留。</p>
      <div class="TRS_Editor"><p>正文保留。</p></div>
      <p>前<script>alert(1)</script>后</p>
      <table><tr><td>指标</td><td>增速</td></tr><tr><th>GDP</th><td>5.5%</td></tr></table>
      <ul><li>一</li><li>二</li></ul>
      <pre>第一行
  第二行</pre>
    </div>
    <footer>版权所有</footer><aside>相关阅读</aside>
    </body></html>"""
    title, text = html_to_text(page)
    assert title == "示例 标题"
    assert text.split("\n") == [
        "示例市政府工作报告",
        "　　第一段加粗，链接{实体}。",
        "多个 空格 与换行\u00a0不间断空格",
        "上一行",
        "下一行",
        "外层文字",
        "内层段落",
        "尾巴文字",
        "导语保留。",
        "正文保留。",
        "前后",
        "指标 增速",
        "GDP 5.5%",
        "一",
        "二",
        "第一行",
        "第二行",
    ]


def test_html_title_falls_back_to_h1():
    title, text = html_to_text("<html><body><h1> 标题 <small>副</small></h1><p>正文。</p></body></html>")
    assert title == "标题 副"
    assert text == "标题 副\n正文。"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("<html><body><p>张家界市受疫情冲击。</p></body></html>".encode("utf-8"),
                     "张家界市受疫情冲击。", id="utf8-no-meta"),
        pytest.param('<html><head><meta charset="gb2312"></head><body><p>郴州勇夺第一。</p></body></html>'.encode("gbk"),
                     "郴州勇夺第一。", id="gb2312-meta"),
        pytest.param('<?xml version="1.0" encoding="gbk"?><html><body><p>长沙摘金。</p></body></html>'.encode("gbk"),
                     "长沙摘金。", id="xml-declaration"),
        pytest.param(codecs.BOM_UTF16_LE + "<html><body><p>岳阳第二。</p></body></html>".encode("utf-16-le"),
                     "岳阳第二。", id="utf16-bom"),
    ],
)
def test_html_decoding(tmp_path, data, expected):
    path = tmp_path / "page.htm"
    path.write_bytes(data)
    assert _only(read_file(path)).text == expected


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("示例市2024年政府工作报告")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "目标"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "合并单元格"
    document.add_paragraph("地区生产总值增长5.5%左右。")
    path = tmp_path / "report.docx"
    document.save(str(path))
    read = _only(read_file(path))
    assert read.text == "示例市2024年政府工作报告\n指标\n目标\n合并单元格\n地区生产总值增长5.5%左右。"
    assert read.path == str(path)


def test_docx_chinese_paragraphs(tmp_path):
    path = docx_of(tmp_path / "示例.docx", "示例市2024年政府工作报告", "", "地区生产总值增长5.5%左右。")
    assert _only(read_file(path)).text == "示例市2024年政府工作报告\n\n地区生产总值增长5.5%左右。"


# --------------------------------------------------------------------------- PDF


def test_pdf_pages_text(tmp_path):
    path = _make_pdf(tmp_path / "report.pdf", SENTENCE_PDF, "Second page.")
    document = _only(read_file(path))
    assert document.text == f"{SENTENCE_PDF}\n\nSecond page."
    assert document.path == str(path)


# --------------------------------------------------------------------------- JSONL

JSONL = (
    '{"text": "第一篇\\r\\n正文", "title": "标题一", "year": 2024, "id": "x", "path": "ignored"}\n'
    "\n"
    "{not json}\n"
    '{"title": "no text"}\n'
    '{"text": "第三篇", "year": "2023"}\n'
    '["a list"]\n'
    '{"text": "坏年份", "year": "2023年"}\n'
)


def test_jsonl_lines_are_documents_or_errors(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text(JSONL, encoding="utf-8")
    items = list(read_all([path]))
    assert [type(item) for item in items] == [Document, ReadError, ReadError, Document, ReadError, ReadError]
    first, second = items[0], items[3]
    assert (first.path, first.text, first.title, first.year) == (f"{path}#1", "第一篇\n正文", "标题一", 2024)
    assert (second.path, second.text, second.title, second.year) == (f"{path}#5", "第三篇", None, 2023)
    errors = [(item.path, item.reason) for item in items if isinstance(item, ReadError)]
    assert [error_path for error_path, _ in errors] == [f"{path}#{n}" for n in (3, 4, 6, 7)]
    assert errors[0][1].startswith("line 3: invalid JSON (")
    assert errors[1][1] == message("bad_jsonl", line=4, detail='no "text" (a non-empty string is required)')
    assert errors[2][1] == message("bad_jsonl", line=6, detail="not a JSON object")
    assert errors[3][1] == message("bad_jsonl", line=7, detail='"year" must be a year, 1 to 9999 (an integer or a string of digits)')


def test_jsonl_read_file_is_strict(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "好"}\n{"text": ""}\n', encoding="utf-8")
    with pytest.raises(ReadError) as raised:
        read_file(path)
    assert raised.value.path == f"{path}#2"
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "甲"}\n{"text": "乙", "year": 2020}\n', encoding="utf-8")
    assert [(d.text, d.year, d.path) for d in read_file(good)] == [("甲", None, f"{good}#1"), ("乙", 2020, f"{good}#2")]


# --------------------------------------------------------------------------- walking


def test_paths_folder_walk_is_sorted_and_filtered(tmp_path):
    for name in ("b.txt", "a/z.md", "a/.hidden.txt", ".git/config.txt", "a.html", "index.json", "c.PDF",
                 "~$lock.docx", "notes.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = list(iter_files([tmp_path, tmp_path / "gone.txt", tmp_path / "notes.csv", tmp_path / "a" / ".hidden.txt"]))
    assert found[:4] == [tmp_path / "a" / "z.md", tmp_path / "a.html", tmp_path / "b.txt", tmp_path / "c.PDF"]
    assert [(e.path, e.reason) for e in found[4:6]] == [
        (str(tmp_path / "gone.txt"), message("missing")),
        (str(tmp_path / "notes.csv"), message("unsupported", suffix=".csv")),
    ]
    assert found[6:] == [tmp_path / "a" / ".hidden.txt"]  # explicitly given: not skipped


def test_io_read_all_folder(tmp_path, report_2024):
    _, text = report_2024
    (tmp_path / "sub").mkdir()
    (tmp_path / "a-report.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "b-empty.txt").write_bytes(b"")
    (tmp_path / "index.json").write_text('{"files": []}', encoding="utf-8")
    (tmp_path / "sub" / "news.html").write_text(
        "<html><head><title>新闻</title></head><body><p>　　郴州<a href='#'>勇夺</a>第一。</p>"
        "<p class='article-editor'>责任编辑：某</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "sub" / "corpus.jsonl").write_text('{"text": "好", "year": 2021}\nnot json\n', encoding="utf-8")

    items = list(read_all([tmp_path]))
    summary = [
        (type(item).__name__, item.path, item.reason if isinstance(item, ReadError) else item.text[:12])
        for item in items
    ]
    assert summary == [
        ("Document", str(tmp_path / "a-report.txt"), text[:12]),
        ("ReadError", str(tmp_path / "b-empty.txt"), message("empty")),
        ("Document", f"{tmp_path / 'sub' / 'corpus.jsonl'}#1", "好"),
        ("ReadError", f"{tmp_path / 'sub' / 'corpus.jsonl'}#2", items[3].reason),
        ("Document", str(tmp_path / "sub" / "news.html"), "　　郴州勇夺第一。"),
    ]
    assert items[3].reason.startswith("line 2: invalid JSON (")
    assert items[0].text == text
    assert (items[2].year, items[4].title, items[4].text) == (2021, "新闻", "　　郴州勇夺第一。")
