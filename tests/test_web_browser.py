"""The pages in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium): load each page over a database of the shared corpus, click a figure and read its
details, filter the targets table, render the GDP chart, and prove that a script in a
document is shown and never run. A screenshot of each page goes to out/screenshots/.

Without a browser the tests skip locally; under CI (CI=true) a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parent.parent / "out" / "screenshots"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("CI"):
        pytest.fail("CI needs Debian's chromium and chromium-driver for the browser tests (.ci/run installs them)",
                    pytrace=False)
    pytest.skip("no chromium/chromedriver here (apt-get install chromium chromium-driver)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(web_db):
    yield from _serve(web_db)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def ids(server):
    import json
    import urllib.request

    with urllib.request.urlopen(f"{server}/api/documents?per_page=200") as response:
        items = json.load(response)["items"]
    return {item["path"].rsplit("/", 1)[-1]: item["id"] for item in items}


def _wait(driver, condition, timeout: float = 10):
    return WebDriverWait(driver, timeout).until(condition)


def _shot(driver, name: str) -> None:
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000  # a rendered page, not a blank one


def test_browser_home(browser, server):
    browser.get(server + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.documents tbody tr")
    assert len(rows) >= 70
    _shot(browser, "home")


def test_browser_search_highlights_hits(browser, server):
    browser.get(server + "/")
    box = browser.find_element(By.CSS_SELECTOR, "header .searchbox input[name=q]")
    box.send_keys("粮食产量")
    box.submit()
    _wait(browser, EC.presence_of_element_located((By.ID, "result-count")))
    hits = browser.find_elements(By.CSS_SELECTOR, "li.result mark.hit")
    assert hits and all(h.text == "粮食产量" for h in hits)
    assert browser.find_elements(By.CSS_SELECTOR, "li.result .fact")
    _shot(browser, "search")


def test_browser_click_figure_shows_details(browser, server, ids):
    browser.get(f"{server}/doc/{ids['2024.txt']}")
    figure = browser.find_element(By.CSS_SELECTOR, "mark.fact[data-indicator-id=gdp_growth][data-status=target]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", figure)
    figure.click()
    details = _wait(browser, EC.visibility_of_element_located((By.ID, "details-list")))
    fields = {dd.get_attribute("data-field"): dd.text for dd in details.find_elements(By.TAG_NAME, "dd")}
    assert (fields["text"], fields["value"], fields["unit"], fields["period"], fields["indicator-id"]) == (
        "5%左右", "5", "%", "2024", "gdp_growth")
    assert fields["status"].startswith("target") and fields["qualifier"] == "左右"
    assert browser.find_elements(By.CSS_SELECTOR, "aside .targets li a")
    _shot(browser, "document")


def test_browser_filter_targets_table(browser, server):
    browser.get(server + "/targets")
    total = len(browser.find_elements(By.CSS_SELECTOR, "#targets-table tbody tr"))
    Select(browser.find_element(By.ID, "filter-indicator")).select_by_value("gdp_growth")
    Select(browser.find_element(By.ID, "filter-verdict")).select_by_value("missed")
    browser.find_element(By.ID, "apply-filters").click()
    _wait(browser, EC.url_contains("verdict=missed"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#targets-table tbody tr")
    assert 0 < len(rows) < total
    assert {(r.get_attribute("data-indicator"), r.get_attribute("data-verdict")) for r in rows} == {("gdp_growth", "missed")}
    years = {r.find_elements(By.TAG_NAME, "td")[1].text for r in rows}
    assert "2022" in years
    _shot(browser, "targets")


def test_browser_gdp_chart_renders(browser, server):
    browser.get(server + "/indicator/gdp_growth")
    chart = _wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#chart[data-rendered=true]")))
    assert chart.find_elements(By.CSS_SELECTOR, "svg path")
    years = browser.execute_script("return echarts.getInstanceByDom(arguments[0]).getOption().xAxis[0].data", chart)
    assert "2003" in years and "2024" in years
    _shot(browser, "indicator-gdp")


@pytest.mark.parametrize(("name", "url"), [("digest-seed", "/digest/{seed}?focus=郑州"), ("digest-2024", "/digest/{d2024}"),
                                           ("compare", "/compare?old={d2024}&new={d2025}")])
def test_browser_digest_and_compare(browser, server, ids, name, url):
    browser.get(server + url.format(seed=ids["zhengzhou-2024-keywords.txt"], d2024=ids["2024.txt"], d2025=ids["2025.txt"]))
    assert browser.find_elements(By.CSS_SELECTOR, "h2")
    assert "luoshi" in browser.title
    _shot(browser, name)


def test_browser_script_in_document_is_shown_not_run(browser, server, ids):
    browser.get(f"{server}/doc/{ids['示例市-2024-hostile.txt']}")
    text = browser.find_element(By.ID, "doctext").text
    assert "<script>window.pwned = 1</script>" in text and 'onerror="window.pwned=2"' in text
    figure = browser.find_element(By.CSS_SELECTOR, "mark.fact")
    figure.click()
    assert browser.execute_script("return window.pwned === undefined")
    _shot(browser, "hostile")


# ---------------------------------------------------------------- monitoring dashboard (/track)

TRACK_SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "track"
TRACK_URL = "/track?region=示例市&as_of=2024-06-30"
# 示例市 as of 2024-06-30, per domain (examples/track/README.md): the statuses with a count above 0
TRACK_DOMAINS = {
    "经济运行": {"on_track": 5, "ahead": 1, "behind": 1, "no_data": 1, "no_target": 1},
    "工业运行": {"on_track": 9, "behind": 1},
    "固定资产投资": {"on_track": 9, "behind": 1},
    "消费与服务业": {"on_track": 9},
    "外贸外资": {"on_track": 6, "behind": 1, "alert": 2},
    "财政金融": {"on_track": 8, "no_target": 1},
    "民生与生态": {"on_track": 9, "behind": 1},
}
# collects script errors, failed loads and CSP violations from the first moment of every document
TRACK_PROBE = """
window.__problems = [];
window.addEventListener('error', function (e) {
  var t = e.target;
  window.__problems.push('error: ' + (e.message || (t && (t.src || t.href || t.outerHTML)) || 'unknown'));
}, true);
window.addEventListener('unhandledrejection', function (e) { window.__problems.push('rejection: ' + e.reason); });
document.addEventListener('securitypolicyviolation', function (e) {
  window.__problems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""


def _serve(db_path: Path):
    """Start the app over ``db_path`` in a thread (like ``server``); yield its base URL."""
    import uvicorn

    from luoshi.web.app import Settings, create_app

    port = free_port()
    config = uvicorn.Config(create_app(Settings(db=str(db_path))), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def track_db(tmp_path_factory) -> Path:
    """A database of the sample monitoring set only (examples/track), loaded through the library."""
    from luoshi.store.db import Database
    from luoshi.track.load import load_set
    from luoshi.track.units import unit_converter

    path = tmp_path_factory.mktemp("track") / "track.db"
    database = Database(path)
    try:
        reports = load_set(database, TRACK_SAMPLE, unit_converter())
    finally:
        database.close()
    for report in reports:
        assert not report.bad, [str(b) for b in report.bad]
    assert [r.inserted for r in reports] == [66, 64, 819, 30, 142]
    return path


@pytest.fixture(scope="module")
def track_server(track_db):
    yield from _serve(track_db)


@pytest.fixture(scope="module")
def track_status(track_server) -> dict:
    """The JSON of the same sheet: what the page must agree with (kinds, points)."""
    import json
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"region": "示例市", "as_of": "2024-06-30"})
    with urllib.request.urlopen(f"{track_server}/api/track/status?{query}") as response:
        return json.load(response)


@pytest.fixture()
def track_page(browser, track_server):
    """The dashboard of 示例市 as of 2024-06-30, loaded with the problem probe installed."""
    probe = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRACK_PROBE})
    try:
        browser.get(track_server + TRACK_URL)
        _wait(browser, EC.presence_of_element_located((By.ID, "units")))
        yield browser
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": probe["identifier"]})


def _problems(driver) -> list[str]:
    return driver.execute_script("return window.__problems || ['the probe did not run']")


def test_browser_track_header_and_domain_tiles(track_page):
    header = track_page.find_element(By.CSS_SELECTOR, "main h1 small").text
    assert "示例市" in header and "截至 2024-06-30" in header and "序时进度 50.0%" in header
    tiles = track_page.find_elements(By.CSS_SELECTOR, "#domain-tiles .tile[data-domain]")
    assert [t.get_attribute("data-domain") for t in tiles] == list(TRACK_DOMAINS)
    for tile in tiles:
        domain = tile.get_attribute("data-domain")
        found = {s.get_attribute("data-status"): int(s.get_attribute("data-count"))
                 for s in tile.find_elements(By.CSS_SELECTOR, "span[data-status][data-count]")}
        assert found == TRACK_DOMAINS[domain], domain
        assert tile.find_element(By.CSS_SELECTOR, ".tile-total").text == f"{sum(found.values())} 项"
        assert tile.is_displayed() and tile.size["width"] > 0
    trade = track_page.find_element(By.CSS_SELECTOR,
                                    "#domain-tiles .tile[data-domain=外贸外资] span[data-status=alert]")
    assert trade.get_attribute("data-count") == "2" and "预警 2" in trade.text
    late = track_page.find_elements(By.CSS_SELECTOR, "#domain-tiles .tile[data-domain=消费与服务业] .count-late")
    assert [e.text for e in late] == ["逾期 1"]  # online_retail_sales stopped after March
    _shot(track_page, "track")


def test_browser_track_alerts_come_first(track_page):
    sections = track_page.execute_script(
        "return Array.from(document.querySelectorAll('main > section, main > form'))"
        ".map(e => e.id || e.className + ':' + (e.dataset.domain || ''))")
    assert sections.index("alerts") < sections.index("projects") < sections.index("domain:经济运行")
    assert sections[:3] == ["track-filters", "domain-tiles", "alerts"]  # right under the tiles, above every table
    rows = track_page.find_elements(By.CSS_SELECTOR, "#alerts tbody tr[data-id]")
    ids = [r.get_attribute("data-id") for r in rows]
    assert ids == ["fdi", "fdi_growth", "tech_contract_value", "industry_growth", "key_project_investment",
                   "trade_level", "pm25", "online_retail_sales", "P2024-012", "P2024-001", "P2024-009", "P2024-017"]
    statuses = [r.find_element(By.CSS_SELECTOR, "span[data-status]").get_attribute("data-status") for r in rows]
    assert statuses[:2] == ["alert", "alert"] and set(statuses[2:7]) == {"behind"}
    assert statuses[8] == "alert" and set(statuses[9:]) == {"behind"}  # the projects: alert before behind
    assert [r.get_attribute("data-id") for r in rows if "row-alert" in r.get_attribute("class")] == [
        "fdi", "fdi_growth", "P2024-012"]
    assert "逾期" in rows[7].text  # on track but late
    assert "预警与滞后（12）" in track_page.find_element(By.CSS_SELECTOR, "#alerts h2").text
    fdi = rows[0].find_elements(By.TAG_NAME, "td")
    assert fdi[1].text == "实际使用外资" and fdi[2].text == "外贸外资" and fdi[3].text == "市商务局"
    assert "落后14.1个百分点" in fdi[4].text


def test_browser_track_indicator_charts(track_page, track_status):
    kinds = {r["indicator_id"]: r for r in track_status["indicators"]}
    rows = track_page.find_elements(By.CSS_SELECTOR, ".track-table tbody tr[data-id][data-status]")
    assert len(rows) == 66 and {r.get_attribute("data-id") for r in rows} == set(kinds)
    # one query for all rows (66 round trips per element would be slow): what each row's chart draws
    drawn = track_page.execute_script("""
        return Array.from(document.querySelectorAll('.track-table tbody tr[data-id]')).map(function (tr) {
          var svg = tr.querySelector('svg.track-chart'), box = svg && svg.getBoundingClientRect();
          var line = svg && svg.querySelector('polyline.observed');
          return {id: tr.dataset.id, status: tr.dataset.status, svg: !!svg, width: box ? box.width : 0,
                  height: box ? box.height : 0, targets: svg ? svg.querySelectorAll('line.target-line').length : 0,
                  elapsed: svg ? svg.querySelectorAll('line.elapsed-line').length : 0,
                  points: line ? line.points.numberOfItems : 0};
        });""")
    for chart in drawn:
        row = kinds[chart["id"]]
        assert chart["status"] == row["status"], chart
        assert chart["svg"] and chart["width"] > 100 and chart["height"] > 40, chart
        expected_lines = sum(v is not None for v in (row["target_low"], row["target_high"]))
        assert chart["targets"] == expected_lines, chart  # a band draws two lines, no target none
        has_goal = row["status"] != "no_target"
        assert chart["elapsed"] == (1 if row["kind"] == "cumulative" and has_goal else 0), chart
        assert chart["points"] == len(row["points"]), chart
    by_id = {c["id"]: c for c in drawn}
    assert sum(1 for c in drawn if c["elapsed"]) == 27  # every cumulative indicator (all have targets)
    assert by_id["energy_intensity"]["points"] == 0 and by_id["energy_intensity"]["targets"] == 1  # no data yet
    assert by_id["power_consumption_growth"]["targets"] == 0 and by_id["power_consumption_growth"]["points"] > 0
    assert by_id["cpi"]["targets"] == 2  # 2–3 %, a band
    assert by_id["online_retail_sales"]["points"] == 3  # stopped after March
    fdi = track_page.find_element(By.CSS_SELECTOR, "tr#i-fdi[data-status=alert]")
    assert fdi.find_element(By.CSS_SELECTOR, "polyline.observed").get_attribute("stroke") == "#c62828"
    assert "落后" in fdi.find_element(By.CSS_SELECTOR, "svg.track-chart title").get_attribute("textContent")


def test_browser_track_projects_table(track_page):
    rows = track_page.find_elements(By.CSS_SELECTOR, "#projects tbody tr[data-id]")
    assert len(rows) == 30
    ids = [r.get_attribute("data-id") for r in rows]
    assert len(set(ids)) == 30 and set(ids) == {f"P2024-{n:03d}" for n in range(1, 31)}
    assert ids[:4] == ["P2024-012", "P2024-001", "P2024-009", "P2024-017"]  # alert, then behind
    assert "重点项目（30）" in track_page.find_element(By.CSS_SELECTOR, "#projects h2").text
    cells = track_page.execute_script("""
        return Array.from(document.querySelectorAll('#projects tbody tr[data-id]')).map(
          tr => Array.from(tr.cells).map(td => td.textContent.trim()));""")
    for row in cells:
        assert row[2] and row[2] != "—" and row[2].startswith("市"), row  # 责任单位
        assert row[1] in ("签约", "开工", "投产"), row
    statuses = {r.get_attribute("data-id"): r.get_attribute("data-status") for r in rows}
    assert statuses["P2024-019"] == "no_data" and statuses["P2024-004"] == "ahead"
    assert len(track_page.find_elements(By.CSS_SELECTOR, "#projects svg.track-bar")) == 30


def test_browser_track_cadence_and_units(track_page):
    cadence = track_page.find_elements(By.CSS_SELECTOR, "#cadence table.cadence-table tbody tr[data-id]")
    assert len(cadence) >= 60
    assert track_page.find_elements(By.CSS_SELECTOR, "#cadence td[data-status]")
    units = track_page.find_elements(By.CSS_SELECTOR, "#units tbody tr")
    assert units and units[0].find_elements(By.TAG_NAME, "td")[0].text == "市商务局"  # the most alerts first


def test_browser_track_no_errors_no_outside_requests(track_page, track_server):
    assert _problems(track_page) == []
    origin = track_server
    resources = track_page.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(e => e.name)")
    assert resources and all(url.startswith(origin + "/") for url in resources), resources
    assert any(url.endswith("/static/app.css") for url in resources)
    loaded = track_page.execute_script(
        "return Array.from(document.querySelectorAll('[src], link[href], [srcset], object[data], iframe'))"
        ".map(e => e.src || e.href || e.getAttribute('srcset') || e.data || 'iframe')")
    assert all(url.startswith(origin + "/") for url in loaded), loaded
    # every stylesheet loaded and applied: the tiles are laid out by app.css, not unstyled blocks
    assert track_page.execute_script("return document.styleSheets.length") >= 1


def test_browser_track_filter_changes_date(track_page, track_server):
    date_box = track_page.find_element(By.CSS_SELECTOR, "#track-filters input[name=as_of]")
    assert date_box.get_attribute("value") == "2024-06-30"
    region = Select(track_page.find_element(By.CSS_SELECTOR, "#track-filters select[name=region]"))
    assert region.first_selected_option.get_attribute("value") == "示例市"
    # a date input's typing order depends on the locale; set its value as a date picker would
    track_page.execute_script("arguments[0].value = '2024-03-31'", date_box)
    track_page.find_element(By.ID, "track-apply").click()
    _wait(track_page, EC.url_contains("as_of=2024-03-31"))
    _wait(track_page, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1 small"), "截至 2024-03-31"))
    assert "序时进度 25.0%" in track_page.find_element(By.CSS_SELECTOR, "main h1 small").text
    date_box = track_page.find_element(By.CSS_SELECTOR, "#track-filters input[name=as_of]")
    assert date_box.get_attribute("value") == "2024-03-31"
    counts = {}
    for span in track_page.find_elements(By.CSS_SELECTOR, "#domain-tiles span[data-status][data-count]"):
        counts[span.get_attribute("data-status")] = counts.get(span.get_attribute("data-status"), 0) + int(
            span.get_attribute("data-count"))
    assert sum(counts.values()) == 66 and counts != {"on_track": 55, "ahead": 1, "behind": 5, "alert": 2,
                                                     "no_data": 1, "no_target": 2}
    assert "region=" in track_page.current_url
    assert _problems(track_page) == []
    _shot(track_page, "track-2024-03-31")


def test_browser_track_bad_date_and_unknown_region(browser, track_server):
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    for query, code in (({"region": "示例市", "as_of": "2024-13-45"}, 422),
                        ({"region": "无此市", "as_of": "2024-06-30"}, 404)):
        with pytest.raises(urllib.error.HTTPError) as failure:
            urllib.request.urlopen(f"{track_server}/api/track/status?{urllib.parse.urlencode(query)}")
        assert failure.value.code == code
        assert failure.value.headers.get_content_type() == "application/json"
        assert json.load(failure.value)
    browser.get(track_server + "/track?region=无此市&as_of=2024-06-30")
    assert not browser.find_elements(By.ID, "domain-tiles")


def test_browser_track_empty_database(browser, server):
    """The corpus database holds documents but no monitoring data: the page says how to load some."""
    browser.get(server + "/track")
    hint = _wait(browser, EC.visibility_of_element_located((By.ID, "track-empty")))
    assert "监测数据" in hint.text
    assert not browser.find_elements(By.ID, "domain-tiles") and not browser.find_elements(By.ID, "track-filters")
    assert "luoshi track load catalog" in browser.find_element(By.CSS_SELECTOR, "main pre").text
