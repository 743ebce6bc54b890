"""Every page a demo user can reach, in a real browser: WCAG 2.2 AA (axe), structure, screenshots.

Run through scripts/test, which starts `haven serve --demo` and sets HAVEN_URL etc. (see conftest.py).
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROLES = [
    "staff",
    "manager",
    "safety-lead",
    "restrictive-practice-lead",
    "trainer",
    "hr-case-handler",
    "partnership-rep",
    "executive",
    "admin",
]

# Links the crawler never follows: JSON API, assets, anything that would end the session,
# and downloads (exports are checked by the API and Swift suites, not as pages).
SKIP_PREFIXES = ("/api/", "/static/")
SKIP_PATH = re.compile(r"(^|/)(log-?out|sign-?out)(/|$)", re.IGNORECASE)
SKIP_EXTENSIONS = re.compile(r"\.(csv|jsonl|ndjson|json|pdf|zip|png|jpe?g|gif|svg|ico|txt|xml|css|js)$", re.IGNORECASE)


def crawl_target(browser, href: str, has_download: bool) -> str | None:
    """The path+query to visit for a link, or None when the crawler skips it."""
    if has_download or not browser.same_origin(href):
        return None
    split = urlsplit(href)
    if split.scheme not in ("http", "https"):
        return None
    path = split.path or "/"
    if path.startswith(SKIP_PREFIXES) or SKIP_PATH.search(path) or SKIP_EXTENSIONS.search(path):
        return None
    return path + ("?" + split.query if split.query else "")


CSP_VIOLATION = re.compile(r"Content Security Policy", re.IGNORECASE)


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_is_accessible(browser, demo_password, max_pages, role):
    """Sign in as the role, crawl every same-origin page linked from / (GET only), check each one.

    Fails on: an axe WCAG 2.2 AA violation at 390 px or 1280 px, a page without <h1>, <main> or
    <html lang>, a linked page answering 4xx/5xx or bouncing to the sign-in page, and anything the
    Content-Security-Policy blocked (an inline script or style). Other console errors are only
    written to <screenshots>/<role>/console.log.
    """
    browser.login(role, demo_password)
    browser.console_errors()  # drop what the sign-in pages logged

    queue: deque[str] = deque(["/"])
    seen = {"/"}
    visited: list[str] = []
    page_problems: dict[str, list[str]] = {}
    violations: list[tuple[str, str, dict]] = []
    console: list[str] = []

    while queue and len(visited) < max_pages:
        target = queue.popleft()
        try:
            browser.get(target)
        except TimeoutException:
            page_problems[target] = ["did not load within 30 s"]
            continue
        landed = browser.path_and_query
        visited.append(target)
        seen.add(landed)
        problems = []
        if browser.path == "/login":
            page_problems[target] = [f"sent to the sign-in page ({landed}): the session ended, or the page "
                                     f"refused {role} although a page linked to it"]
            break
        status = browser.status()
        if status is not None and status >= 400:
            problems.append(f"HTTP {status}, but a page links to it")
        if not browser.content_type().startswith("text/html"):
            continue  # a download that was not marked as one: nothing to check as a page

        links = browser.links()
        structure, found = browser.check_page_details(role, browser.slugify(target))
        problems += structure
        violations += [(target, viewport, violation) for viewport, violation in found]
        for message in browser.console_errors():
            console.append(f"{target}: {message}")
            if CSP_VIOLATION.search(message):
                problems.append(f"blocked by the Content-Security-Policy: {message[:300]}")
        if problems:
            page_problems[target] = problems + ([f"(landed on {landed})"] if landed != target else [])

        for href, has_download in links:
            next_target = crawl_target(browser, href, has_download)
            if next_target and next_target not in seen:
                seen.add(next_target)
                queue.append(next_target)

    if console:
        log = browser.shots / role / "console.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("\n".join(console) + "\n", encoding="utf-8")
        print(f"{len(console)} browser console error(s) for {role}: see {log}")
    print(f"{role}: checked {len(visited)} page(s): {', '.join(visited)}")
    if queue:
        print(f"{role}: stopped at the cap of {max_pages} pages; {len(queue)} more link(s) not visited")

    if page_problems or violations:
        bad_pages = set(page_problems) | {page for page, _, _ in violations}
        report = [f"{role}: {len(bad_pages)} of {len(visited)} page(s) have problems"]
        if violations:
            report += ["", "axe (WCAG 2.2 AA) violations:", browser.format_grouped_violations(violations)]
        if page_problems:
            report += ["", "other problems:"]
            for page, items in page_problems.items():
                report.append(f"  {page}")
                report += ["    " + item.replace("\n", "\n    ") for item in items]
        pytest.fail("\n".join(report), pytrace=False)


def test_login_page_is_accessible(browser):
    browser.get("/login")
    assert browser.path == "/login"
    problems = browser.check_page("anonymous", "login")
    assert not problems, "/login:\n" + "\n".join(problems)


def test_anonymous_report_receipt_and_follow_pages_are_accessible(browser):
    """The demo organisation accepts reports without signing in: the form, the receipt and the follow page."""
    browser.get("/report")
    assert browser.path == "/report"
    problems = browser.check_page("anonymous", "report")
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=type][value=threat]").click()
    browser.driver.find_element(By.CSS_SELECTOR, "#unitId option:nth-child(2)").click()
    browser.driver.find_element(By.NAME, "area").send_keys("Car park")
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=perpetrator][value=member-of-the-public]").click()
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=harm][value=none]").click()
    browser.driver.find_element(By.NAME, "description").send_keys("Threatened while walking to the car")
    button = browser.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    browser.click_and_wait_for_new_page(button, "sending the anonymous report did not load a new page")
    code = browser.driver.find_element(By.CSS_SELECTOR, ".receipt-code").text.strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code), f"no receipt code on the page: {code!r}"
    problems += browser.check_page("anonymous", "receipt")
    browser.get("/report/follow")
    browser.driver.find_element(By.NAME, "receiptCode").send_keys(code)
    button = browser.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    browser.click_and_wait_for_new_page(button, "following the report did not load a new page")
    assert "Threat" in browser.driver.page_source, "the followed report is not shown"
    problems += browser.check_page("anonymous", "follow")
    assert not problems, "anonymous report pages:\n" + "\n".join(problems)


def test_report_case_and_detail_pages_are_accessible(browser, demo_password):
    """A report made on the page, seen by its reporter (with the detail page) and by the manager who handles it."""
    browser.login("staff", demo_password)
    browser.get("/incidents/new")
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=type][value=verbal-abuse]").click()
    browser.driver.find_element(By.NAME, "area").send_keys("Day room")
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=perpetrator][value=patient-or-service-user]").click()
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=harm][value=none]").click()
    browser.driver.find_element(By.NAME, "description").send_keys("Shouted at during the evening medication round")
    button = browser.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    browser.click_and_wait_for_new_page(button, "sending the report did not load a new page")
    report_path = browser.path
    assert re.fullmatch(r"/incidents/[^/]+", report_path), f"the report landed on {browser.path_and_query}"
    problems = browser.check_page("case", "reporter-view")
    browser.get(report_path + "/detail")
    problems += browser.check_page("case", "detail")
    browser.driver.delete_all_cookies()   # sign out, as far as the server can tell
    browser.login("manager", demo_password)
    browser.get(report_path)
    assert "Move the case on" in browser.driver.page_source, "the manager does not see the handler's forms"
    problems += browser.check_page("case", "handler-view")
    browser.get("/incidents/regulator")
    problems += browser.check_page("case", "regulator")
    assert not problems, "report and case pages:\n" + "\n".join(problems)


def test_signed_out_visitor_is_sent_to_login(browser):
    browser.get("/")
    assert browser.path == "/login", f"GET / without a session landed on {browser.path_and_query}"


def _tab_to_first_stop(browser):
    # Start from the top of the document: nothing focused yet.
    browser.driver.execute_script("if (document.activeElement) { document.activeElement.blur(); } window.scrollTo(0, 0);")
    ActionChains(browser.driver).send_keys(Keys.TAB).perform()
    return browser.driver.switch_to.active_element


def _assert_skip_link(browser, page: str):
    element = _tab_to_first_stop(browser)
    tag = element.tag_name.lower()
    text = " ".join((element.text or element.get_attribute("textContent") or "").split())
    assert tag == "a" and "skip to main content" in text.lower(), (
        f"on {page} the first Tab stop is <{tag}> {text!r}, not a 'Skip to main content' link")
    rect = browser.driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return {w: r.width, h: r.height, top: r.top, left: r.left, vw: innerWidth, vh: innerHeight};", element)
    assert element.is_displayed() and rect["w"] > 1 and rect["h"] > 1, (
        f"on {page} the skip link is focused but not visible ({rect})")
    assert 0 <= rect["top"] < rect["vh"] and rect["left"] < rect["vw"], (
        f"on {page} the focused skip link is outside the viewport ({rect})")
    href = element.get_attribute("href") or ""
    fragment = urlsplit(href).fragment
    assert fragment, f"on {page} the skip link has no #fragment: {href!r}"
    targets = browser.driver.find_elements(By.ID, fragment)
    assert targets, f"on {page} the skip link points to #{fragment}, which does not exist"
    inside_main = browser.driver.execute_script(
        "var t = arguments[0]; return t.tagName === 'MAIN' || !!t.closest('main');", targets[0])
    assert inside_main, f"on {page} the skip link target #{fragment} is not <main> or inside it"


def test_keyboard_first_tab_reaches_skip_link(browser, demo_password):
    browser.get("/login")
    _assert_skip_link(browser, "/login")
    browser.login("staff", demo_password)
    _assert_skip_link(browser, "/")


def test_wrong_password_shows_error_summary(browser):
    email = browser.account("staff")
    browser.submit_login(email, "not-the-password-0")
    assert browser.path != "/", "signing in with a wrong password landed on /"
    summaries = browser.driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    assert summaries, "no .error-summary after a failed sign-in"
    summary = summaries[0]
    assert summary.get_attribute("role") == "alert", (
        f".error-summary has role={summary.get_attribute('role')!r}, expected 'alert'")
    assert summary.is_displayed() and summary.text.strip(), ".error-summary is empty or hidden"
    kept = browser.driver.find_element(By.NAME, "email").get_attribute("value")
    assert kept == email, f"the e-mail field was not kept after the error (value {kept!r})"
    problems = browser.check_page("anonymous", "login-error")
    assert not problems, "sign-in page with an error:\n" + "\n".join(problems)


def test_sign_out_returns_to_login(browser, demo_password):
    browser.login("staff", demo_password)
    buttons = [b for b in browser.driver.find_elements(
        By.CSS_SELECTOR, "header form button, header form input[type=submit]")
        if " ".join((b.text or b.get_attribute("value") or "").split()).lower() == "sign out"]
    assert buttons, "no 'Sign out' form button in the <header>"
    browser.click_and_wait_for_new_page(buttons[0], "signing out did not load a new page")
    assert browser.path == "/login", f"signing out landed on {browser.path_and_query}, not /login"
    browser.get("/")
    assert browser.path == "/login", "after signing out, GET / still shows a signed-in page"



def test_incident_filters_keep_values_and_name_a_bad_date(browser, demo_password):
    """The incident list's GET form: typed words and choices survive a submit, a bad date is named in the
    error summary and beside its field (400, never a 500), and the page passes axe at both widths."""
    browser.login("manager", demo_password)
    browser.get("/incidents")
    box = browser.driver.find_element(By.NAME, "q")
    box.send_keys("kicked corridor")
    button = [b for b in browser.driver.find_elements(By.CSS_SELECTOR, "main form button") if b.text.strip() == "Show reports"][0]
    browser.click_and_wait_for_new_page(button, "submitting the filter form did not load a new page")
    assert "q=kicked+corridor" in browser.path_and_query or "q=kicked%20corridor" in browser.path_and_query, browser.path_and_query
    assert browser.driver.find_element(By.NAME, "q").get_attribute("value") == "kicked corridor"
    browser.get("/incidents?q=kicked&from=2026-02-30")
    assert browser.status() == 400
    summary = browser.driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.find_element(By.CSS_SELECTOR, "a[href='#from']"), "the summary links to the from field"
    assert browser.driver.find_element(By.ID, "from-error").is_displayed()
    assert browser.driver.find_element(By.ID, "from").get_attribute("aria-invalid") == "true"
    problems = browser.check_page("manager", "incidents-bad-date")
    assert not problems, "incident list with a bad date:\n" + "\n".join(problems)
