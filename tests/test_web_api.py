"""The JSON API and the pages over a database of the shared corpus: status codes, bodies,
pagination, errors as JSON, escaping of untrusted text, parameterised queries."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from luoshi.store.db import Database
from luoshi.web.app import Settings, create_app


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(Settings(db=str(web_db))))


@pytest.fixture(scope="module")
def ids(client):
    items = client.get("/api/documents", params={"per_page": 200}).json()["items"]
    by_path = {item["path"].rsplit("/", 1)[-1]: item["id"] for item in items}
    return by_path


def test_web_api_documents_paginated(client):
    first = client.get("/api/documents", params={"per_page": 10}).json()
    second = client.get("/api/documents", params={"per_page": 10, "page": 2}).json()
    assert first["total"] == second["total"] == 76
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {d["id"] for d in first["items"]} & {d["id"] for d in second["items"]}
    assert {"id", "path", "title", "kind", "region", "year", "facts"} <= set(first["items"][0])


@pytest.mark.parametrize(("params", "check"), [
    ({"region": "全国", "kind": "report"}, lambda d: d["region"] == "全国" and d["kind"] == "report"),
    ({"year": 2024}, lambda d: d["year"] == 2024),
    ({"kind": "news"}, lambda d: d["kind"] == "news"),
])
def test_web_api_documents_filters(client, params, check):
    body = client.get("/api/documents", params=params | {"per_page": 200}).json()
    assert body["total"] == len(body["items"]) > 0 and all(check(d) for d in body["items"])


def test_web_api_document_layers_point_into_text(client, ids):
    body = client.get(f"/api/documents/{ids['2024.txt']}").json()
    assert (body["year"], body["region"], body["kind"]) == (2024, "全国", "report")
    assert body["facts"] and body["tasks"] and body["entities"]
    for layer in ("facts", "tasks", "entities"):
        for item in body[layer]:
            assert body["text"][item["start"] : item["end"]] == item["text"]


def test_web_api_facts_filtered(client):
    body = client.get("/api/facts", params={"indicator": "cpi", "status": "target", "per_page": 200}).json()
    assert body["total"] >= 15
    assert all(f["indicator_id"] == "cpi" and f["status"] == "target" for f in body["items"])


def test_web_api_targets_and_verdicts(client):
    body = client.get("/api/targets", params={"region": "全国", "indicator": "gdp_growth", "from": 2022, "to": 2025}).json()
    rows = {r["year"]: r for r in body["items"]}
    assert (rows[2022]["target_low"], rows[2022]["qualifier"], rows[2022]["outcome_value"], rows[2022]["verdict"]) == (
        5.5, "左右", 3.0, "missed")
    assert rows[2025]["verdict"] == "pending" and rows[2024]["target_doc_id"] and rows[2024]["target_start"]


def test_web_api_series(client):
    body = client.get("/api/series/gdp_growth").json()
    points = {p["year"]: p for p in body["points"]}
    assert (body["unit"], body["direction"]) == ("%", "floor")
    assert (points[2016]["target_low"], points[2016]["target_high"], points[2016]["outcome_value"]) == (6.5, 7.0, 6.7)


@pytest.mark.parametrize("query", ["新质生产力", "粮食", "GDP"])
def test_web_api_search(client, query):
    body = client.get("/api/search", params={"q": query}).json()
    assert body["total"] >= 1 and all(query in item["text"] for item in body["items"])


def test_web_api_search_filters(client):
    body = client.get("/api/search", params={"q": "粮食产量", "status": "target", "region": "全国", "per_page": 100}).json()
    assert body["total"] >= 10
    assert all(item["region"] == "全国" and any(f["status"] == "target" for f in item["facts"]) for item in body["items"])


@pytest.mark.parametrize(("url", "status", "code"), [
    ("/api/documents?per_page=0", 422, "E422"),
    ("/api/documents?per_page=100000", 422, "E422"),
    ("/api/documents?year=abc", 422, "E422"),
    ("/api/documents?kind=novel", 422, "E422"),
    ("/api/documents/not-an-id", 422, "E422"),
    ("/api/documents/0123456789abcdef", 404, "E404"),
    ("/api/facts?status=maybe", 422, "E422"),
    ("/api/targets?verdict=great", 422, "E422"),
    ("/api/series/no_such_indicator", 404, "E404"),
    ("/api/series/DROP%20TABLE", 422, "E422"),
    ("/api/search", 422, "E422"),
    ("/api/search?q=" + "长" * 101, 422, "E422"),
    ("/api/nothing-here", 404, "E404"),
])
def test_web_api_bad_parameters_are_json_errors(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (code, status) and error["message"]


def test_web_api_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/facts", "/api/targets", "/api/series/{indicator_id}",
            "/api/search"} <= set(paths)


def test_web_request_body_is_bounded(client):
    response = client.post("/api/search", content=b"x" * (200 * 1024))
    assert response.status_code == 413 and response.json()["error"]["code"] == "E413"


@pytest.mark.parametrize("injection", ["' OR 1=1 --", '" OR ""="', "粮食' UNION SELECT text FROM documents --",
                                       "NEAR(粮食 产量)", "*", "%", "_"])
def test_web_search_is_parameterised(client, web_db, injection):
    before = Database(web_db).count("facts")
    response = client.get("/api/search", params={"q": injection})
    assert response.status_code == 200
    assert all(injection in item["text"] for item in response.json()["items"])
    page = client.get("/search", params={"q": injection, "region": "全国' OR '1'='1"})
    assert page.status_code == 200 and "0 句" in page.text
    assert Database(web_db).count("facts") == before


def test_web_filters_are_parameterised(client):
    body = client.get("/api/documents", params={"region": "全国' OR '1'='1"}).json()
    assert body["total"] == 0


def test_web_document_page_escapes_untrusted_text(client, ids):
    page = client.get(f"/doc/{ids['示例市-2024-hostile.txt']}")
    assert page.status_code == 200
    assert "<script>window.pwned" not in page.text and "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page.text
    assert "<img" not in page.text and 'onerror="window' not in page.text and "<b onmouseover" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("url", ["/search?q=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E", "/digest/{hostile}",
                                 "/digest/{hostile}?focus=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"])
def test_web_pages_escape_queries_and_digests(client, ids, url):
    page = client.get(url.format(hostile=ids["示例市-2024-hostile.txt"]))
    assert page.status_code == 200
    assert "<script>window" not in page.text and "<img src=x" not in page.text


@pytest.mark.parametrize("url", ["/", "/search?q=新质生产力", "/targets", "/targets?indicator=gdp_growth&verdict=missed",
                                 "/indicator/gdp_growth", "/doc/{d2024}", "/digest/{d2024}", "/digest/{seed}?focus=郑州",
                                 "/compare?old={d2024}&new={d2025}"])
def test_web_pages_render(client, ids, url):
    page = client.get(url.format(d2024=ids["2024.txt"], d2025=ids["2025.txt"], seed=ids["zhengzhou-2024-keywords.txt"]))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "luoshi 落实" in page.text


def test_web_targets_page_links_cells_to_quotes(client, ids):
    page = client.get("/targets", params={"indicator": "gdp_growth", "region": "全国", "from": 2022, "to": 2022}).text
    assert 'class="verdict-missed"' in page
    assert f'/doc/{ids["2022.txt"]}#f' in page and f'/doc/{ids["2023.txt"]}#f' in page


@pytest.mark.parametrize(("url", "status"), [("/doc/0123456789abcdef", 404), ("/doc/..%2F..%2Fetc%2Fpasswd", 404),
                                             ("/static/..%2F..%2Fapp.py", 404), ("/indicator/nope", 404),
                                             ("/targets?from=abc", 422)])
def test_web_page_errors_are_pages(client, url, status):
    page = client.get(url)
    assert page.status_code == status and "text/html" in page.headers["content-type"]
    assert "回到首页" in page.text


@pytest.mark.parametrize("url", ["/api/search?q=ab%00c", "/search?q=a%00b", "/api/search?q=%E7%B2%AE%01",
                                 "/api/documents?region=%00"])
def test_web_control_characters_are_refused(client, url):
    response = client.get(url)
    assert response.status_code == 422


def test_web_unknown_parameters_do_not_grow_the_page_cache(client, ids):
    service = client.app.state.service
    client.get(f"/doc/{ids['2024.txt']}")
    before = service._pages._used
    for i in range(30):
        assert client.get(f"/doc/{ids['2024.txt']}", params={"junk": i}).status_code == 200
    assert service._pages._used == before


def test_web_links_land_on_anchors(client, ids):
    import re

    doc_page = client.get(f"/doc/{ids['zhengzhou-2024-keywords.txt']}").text
    anchors = set(re.findall(r'id="([a-z]\d+)"', doc_page))
    digest_page = client.get(f"/digest/{ids['zhengzhou-2024-keywords.txt']}").text
    digest_links = re.findall(rf'/doc/{ids["zhengzhou-2024-keywords.txt"]}#([a-z]\d+)', digest_page)
    assert digest_links and set(digest_links) <= anchors
    search_page = client.get("/search", params={"q": "航空港区"}).text
    for doc_id, anchor in re.findall(r'/doc/([0-9a-f]+)#([a-z]\d+)', search_page):
        assert f'id="{anchor}"' in client.get(f"/doc/{doc_id}").text


def test_web_search_ignores_ascii_case(client):
    upper, lower = (client.get("/api/search", params={"q": q}).json()["total"] for q in ("GDP", "gdp"))
    short_upper, short_lower = (client.get("/api/search", params={"q": q}).json()["total"] for q in ("PM", "pm"))
    assert upper == lower > 0 and short_upper == short_lower > 0
    assert client.get("/search", params={"q": "gdp"}).text.count('<mark class="hit">GDP</mark>') > 0


def test_web_indicator_blank_region_is_the_country(client):
    assert client.get("/indicator/gdp_growth", params={"region": ""}).text == client.get("/indicator/gdp_growth").text


def test_web_pages_follow_a_new_ingest(tmp_path):
    import time

    from luoshi.batch import ingest

    report = tmp_path / "in" / "示例市-2024.txt"
    report.parent.mkdir()
    report.write_text("2024年，示例市要建设甲乙丙科技城。", encoding="utf-8")
    database = Database(tmp_path / "x.db")
    ingest([report.parent], database, jobs=1)
    local = TestClient(create_app(Settings(db=str(tmp_path / "x.db"))))
    assert "甲乙丙" in local.get("/search", params={"q": "甲乙丙"}).text
    report.write_text("2024年，示例市要建设丁戊己科技城。", encoding="utf-8")
    assert ingest([report.parent], database, jobs=1).replaced == 1  # within the same second, often
    time.sleep(1.1)  # the data version is re-read at most once a second
    assert "0 句" in local.get("/search", params={"q": "甲乙丙"}).text
    assert "丁戊己" in local.get("/search", params={"q": "丁戊己"}).text


def test_web_serve_command_runs_workers(web_db):
    """`luoshi serve` itself: the factory, two worker processes, the httptools protocol."""
    import json
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "luoshi", "serve", "--db", str(web_db), "--port", str(port),
                               "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/documents?per_page=1", timeout=2) as response:
                    body = json.load(response)
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"luoshi serve did not answer: {server.stderr.read().decode()[-500:]}")
                time.sleep(0.2)
        assert body["total"] == 76 and response.headers["content-security-policy"]
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_web_targets_page_is_paginated(tmp_path, make_report, monkeypatch):
    import luoshi.web.pages as pages
    from luoshi.store.db import Database

    db = Database(tmp_path / "p.db")
    for year in range(2015, 2025):
        db.save(make_report(year, growth=5.0 + (year % 3) / 10, target=5.5))
    db.close()
    monkeypatch.setattr(pages, "TARGET_ROWS_PER_PAGE", 7)
    client = TestClient(create_app(Settings(db=str(tmp_path / "p.db"))))
    first = client.get("/targets").text
    total = int(first.split('id="row-count">')[1].split(" 行")[0])
    assert total > 14 and first.count('<tr class="verdict-') == 7
    last_page = -(-total // 7)
    assert f"第 1 / {last_page} 页" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = client.get("/targets", params={"page": last_page}).text
    assert last.count('<tr class="verdict-') == total - 7 * (last_page - 1) and 'rel="prev"' in last
    assert client.get("/targets", params={"page": 0}).status_code == 422
