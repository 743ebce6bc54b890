"""Browser harness: Debian's Chromium driven by selenium against a running Haven server.

Environment (scripts/test sets all of it):
  HAVEN_URL             base URL of the running server, e.g. http://127.0.0.1:58080 (required)
  HAVEN_DEMO_PASSWORD   password of the demo accounts (required)
  AXE_JS                path to axe.min.js (axe-core 4.12, taken from the axe-playwright-python wheel)
  HAVEN_SCREENSHOTS     folder for screenshots (default test-output/screenshots)
  HAVEN_MAX_PAGES       pages crawled per role (default 60)
  CHROME_BIN            default /usr/bin/chromium
  CHROMEDRIVER          default /usr/bin/chromedriver
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

# Never let selenium-manager try to download a driver or a browser: there is no network here.
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

REPO = Path(__file__).resolve().parents[2]

VIEWPORTS = {
    # name: (width, height, mobile emulation)
    "390": (390, 844, True),
    "1280": (1280, 900, False),
}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if not value:
        pytest.fail(f"environment variable {name} is not set (run the suites through scripts/test)", pytrace=False)
    return value


def _find_axe() -> Path:
    candidates = [os.environ.get("AXE_JS"), REPO / ".build-venv" / "axe.min.js", REPO / "test-output" / "axe.min.js"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.fail("axe.min.js not found: set AXE_JS (scripts/test extracts it from the axe-playwright-python wheel)",
                pytrace=False)


def _slugify(path_and_query: str) -> str:
    """'/' -> 'home', '/incidents/new' -> 'incidents-new', queries get a short hash to stay unique."""
    split = urlsplit(path_and_query)
    slug = re.sub(r"[^a-z0-9]+", "-", split.path.lower()).strip("-") or "home"
    if split.query:
        slug += "-q" + hashlib.sha1(split.query.encode()).hexdigest()[:8]
    return slug[:100]


def format_violations(violations: list[dict], limit_nodes: int = 5) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v.get('impact') or 'n/a'}] {v['id']}: {v['help']}  ({v.get('helpUrl', '')})")
        nodes = v.get("nodes", [])
        for node in nodes[:limit_nodes]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
            lines.append(f"      at {target}: {html}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
        if len(nodes) > limit_nodes:
            lines.append(f"      ... and {len(nodes) - limit_nodes} more element(s)")
    return "\n".join(lines)


_AXE_RUN = """
var done = arguments[arguments.length - 1];
if (typeof window.axe === 'undefined') { done({error: 'axe is not loaded'}); return; }
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']}).then(
  function (r) {
    done({violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
              nodes: v.nodes.map(function (n) {
                return {target: n.target, html: n.html, failureSummary: n.failureSummary};
              })};
    })});
  },
  function (e) { done({error: String(e)}); });
"""


class Browser:
    """One Chromium session with the helpers the page tests need."""

    def __init__(self, driver: webdriver.Chrome, base_url: str, axe_source: str, shots: Path):
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(self.base_url)
        self.axe_source = axe_source
        self.shots = shots
        self.viewport = None
        self.set_viewport("1280")

    # navigation ---------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/")) if not path.startswith("http") else path

    def get(self, path: str) -> None:
        self.driver.get(self.url(path))

    @property
    def path(self) -> str:
        return urlsplit(self.driver.current_url).path

    @property
    def path_and_query(self) -> str:
        split = urlsplit(self.driver.current_url)
        return split.path + ("?" + split.query if split.query else "")

    def status(self) -> int | None:
        """HTTP status of the current document (Navigation Timing responseStatus), None if unknown."""
        try:
            value = self.driver.execute_script(
                "var e = performance.getEntriesByType('navigation')[0];"
                "return e && typeof e.responseStatus === 'number' ? e.responseStatus : null;")
            return int(value) if value else None
        except WebDriverException:
            return None

    def content_type(self) -> str:
        return self.driver.execute_script("return document.contentType || ''") or ""

    def wait_for(self, condition, timeout: float = 15, message: str = "") -> None:
        WebDriverWait(self.driver, timeout, ignored_exceptions=[WebDriverException]).until(
            lambda d: condition(), message)

    def same_origin(self, url: str) -> bool:
        split = urlsplit(url)
        return (split.scheme, split.hostname, split.port or (443 if split.scheme == "https" else 80)) == (
            self.origin.scheme, self.origin.hostname,
            self.origin.port or (443 if self.origin.scheme == "https" else 80))

    def links(self) -> list[tuple[str, bool]]:
        """(absolute href, has download attribute) for every <a href> on the page."""
        return [tuple(x) for x in self.driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]'))"
            ".map(function (a) { return [a.href, a.hasAttribute('download')]; });")]

    # sign-in ------------------------------------------------------------------------------

    def submit_login(self, email: str, password: str) -> None:
        self.get("/login")
        email_field = self.driver.find_element(By.NAME, "email")
        password_field = self.driver.find_element(By.NAME, "password")
        email_field.clear()
        email_field.send_keys(email)
        password_field.clear()
        password_field.send_keys(password)
        form = email_field.find_element(By.XPATH, "./ancestor::form")
        buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], input[type=submit], button:not([type])")
        assert buttons, "the sign-in form has no submit button"
        self.click_and_wait_for_new_page(buttons[0], "the sign-in form did not load a new page")

    def click_and_wait_for_new_page(self, element, message: str, timeout: float = 20) -> None:
        """Click (e.g. a form's submit button) and wait until a new document has loaded."""
        old_html = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        # While the browser navigates, chromedriver may answer with transient errors ("unhandled
        # inspector error"): retry those; a stale reference means the old document is gone.
        wait = WebDriverWait(self.driver, timeout, ignored_exceptions=[WebDriverException])
        wait.until(EC.staleness_of(old_html), message)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete", message)

    @staticmethod
    def account(role: str) -> str:
        return f"{role}@demo.haven.example"

    @staticmethod
    def slugify(path_and_query: str) -> str:
        return _slugify(path_and_query)

    @staticmethod
    def format_violations(violations: list[dict]) -> str:
        return format_violations(violations)

    @staticmethod
    def format_grouped_violations(entries: list[tuple[str, str, dict]]) -> str:
        return format_grouped_violations(entries)

    def login(self, role: str, password: str) -> None:
        self.submit_login(self.account(role), password)
        if self.path != "/":
            summary = self.driver.find_elements(By.CSS_SELECTOR, ".error-summary")
            text = summary[0].text if summary else self.driver.find_element(By.TAG_NAME, "body").text[:500]
            pytest.fail(f"signing in as {self.account(role)} landed on {self.path_and_query}, not /\n{text}",
                        pytrace=False)

    # page checks --------------------------------------------------------------------------

    def set_viewport(self, name: str) -> None:
        width, height, mobile = VIEWPORTS[name]
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.viewport = name

    def inject_axe(self) -> None:
        if self.driver.execute_script("return typeof window.axe") == "object":
            return
        self.driver.execute_script(self.axe_source)
        if self.driver.execute_script("return typeof window.axe") != "object":
            # A Content-Security-Policy could in principle stop it: bypass CSP and reload once.
            self.driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
            self.driver.refresh()
            self.driver.execute_script(self.axe_source)
        assert self.driver.execute_script("return typeof window.axe") == "object", "could not inject axe.min.js"

    def axe(self) -> list[dict]:
        self.inject_axe()
        result = self.driver.execute_async_script(_AXE_RUN, AXE_TAGS)
        if result.get("error"):
            raise AssertionError(f"axe.run failed: {result['error']}")
        return result["violations"]

    def structure_problems(self) -> list[str]:
        problems = []
        facts = self.driver.execute_script(
            "return {lang: document.documentElement.getAttribute('lang') || '',"
            " h1: document.querySelectorAll('h1').length,"
            " main: document.querySelectorAll('main').length,"
            " title: (document.title || '').trim()};")
        if not facts["lang"].strip():
            problems.append("<html> has no lang attribute")
        if facts["h1"] < 1:
            problems.append("page has no <h1>")
        if facts["main"] < 1:
            problems.append("page has no <main>")
        return problems

    def screenshot(self, folder: str, slug: str) -> Path:
        """Full-page PNG at the current viewport: <shots>/<folder>/<slug>-<width>.png."""
        target = self.shots / folder / f"{slug}-{self.viewport}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            height = int(self.driver.execute_script(
                "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"))
            width, vh, _ = VIEWPORTS[self.viewport]
            clip = {"x": 0, "y": 0, "width": width, "height": max(vh, min(height, 8000)), "scale": 1}
            data = self.driver.execute_cdp_cmd("Page.captureScreenshot",
                                               {"format": "png", "captureBeyondViewport": True, "clip": clip})
            target.write_bytes(base64.b64decode(data["data"]))
        except WebDriverException:
            self.driver.save_screenshot(str(target))
        return target

    def check_page_details(self, folder: str, slug: str, viewports=("1280", "390")):
        """axe + structure + screenshot at each viewport.

        Returns (structure problems, [(viewport, axe violation), ...]). The viewport is switched
        in place (CSS media queries re-apply, no reload), and the order alternates so that each
        page costs one navigation and one switch.
        """
        order = list(viewports)
        if self.viewport in order:
            order.remove(self.viewport)
            order.insert(0, self.viewport)
        structure = self.structure_problems()
        found = []
        for name in order:
            if self.viewport != name:
                self.set_viewport(name)
            found += [(name, violation) for violation in self.axe()]
            self.screenshot(folder, slug)
        return structure, found

    def check_page(self, folder: str, slug: str, viewports=("1280", "390")) -> list[str]:
        """Readable problems of one page (empty = fine)."""
        structure, found = self.check_page_details(folder, slug, viewports)
        problems = list(structure)
        for name in viewports:
            violations = [v for vp, v in found if vp == name]
            if violations:
                problems.append(f"axe at {name}px: {len(violations)} violation(s)\n" + format_violations(violations))
        return problems

    def console_errors(self) -> list[str]:
        """SEVERE browser console entries since the last call (CSP violations, failed loads)."""
        try:
            return [e["message"] for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]
        except WebDriverException:
            return []


def format_grouped_violations(entries: list[tuple[str, str, dict]], limit_nodes: int = 8, limit_pages: int = 12) -> str:
    """entries: (page, viewport, violation). One block per rule and element, listing where it occurs."""
    rules: dict[str, dict] = {}
    for page, viewport, violation in entries:
        rule = rules.setdefault(violation["id"], {"violation": violation, "nodes": {}})
        for node in violation.get("nodes", []):
            key = (" ".join(str(t) for t in node.get("target", [])), re.sub(r"\s+", " ", node.get("html", ""))[:200])
            where = rule["nodes"].setdefault(key, {"summary": node.get("failureSummary") or "", "pages": {}})
            where["pages"].setdefault(page, []).append(viewport)
    lines = []
    for rule_id, rule in rules.items():
        v = rule["violation"]
        lines.append(f"[{v.get('impact') or 'n/a'}] {rule_id}: {v['help']}  ({v.get('helpUrl', '')})")
        nodes = list(rule["nodes"].items())
        for (target, html), where in nodes[:limit_nodes]:
            lines.append(f"    at {target}: {html}")
            summary = where["summary"].strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
            pages = [f"{page} ({'+'.join(sorted(set(vps)))}px)" for page, vps in where["pages"].items()]
            more = f" and {len(pages) - limit_pages} more" if len(pages) > limit_pages else ""
            lines.append(f"       on {len(pages)} page(s): {', '.join(pages[:limit_pages])}{more}")
        if len(nodes) > limit_nodes:
            lines.append(f"    ... and {len(nodes) - limit_nodes} more element(s)")
    return "\n".join(lines)


def _chrome_options() -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROME_BIN", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--force-device-scale-factor=1", "--lang=en-GB",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--password-store=basic", "--disable-features=Translate,PasswordLeakDetection"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture(scope="session")
def base_url() -> str:
    return _env("HAVEN_URL").rstrip("/")


@pytest.fixture(scope="session")
def demo_password() -> str:
    return _env("HAVEN_DEMO_PASSWORD")


@pytest.fixture(scope="session")
def axe_source() -> str:
    return _find_axe().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("HAVEN_SCREENSHOTS", REPO / "test-output" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser(base_url, axe_source, screenshot_dir):
    """A fresh Chromium (fresh cookies) per test."""
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    last_error = None
    for attempt in range(3):
        try:
            driver = webdriver.Chrome(service=service, options=_chrome_options())
            break
        except WebDriverException as error:  # a slow first start on a busy 2-core machine
            last_error = error
            time.sleep(2)
    else:
        raise last_error
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield Browser(driver, base_url, axe_source, screenshot_dir)
    finally:
        driver.quit()


@pytest.fixture
def max_pages() -> int:
    return int(os.environ.get("HAVEN_MAX_PAGES", "60"))

