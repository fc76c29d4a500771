"""The pages in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium): load each page over a database of the shared corpus, click a figure and read its
details, filter the targets table, render the GDP chart, and prove that a script in a
document is shown and never run. A screenshot of each page goes to out/screenshots/.

Without a browser the tests skip locally; under CI (CI=true) a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_db):
    import uvicorn

    from luoshi.web.app import Settings, create_app

    port = _free_port()
    config = uvicorn.Config(create_app(Settings(db=str(web_db))), host="127.0.0.1", port=port, log_level="warning")
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
