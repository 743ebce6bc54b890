"""The use-of-force pages in a real browser: the statutory form, its errors, the record and the review.

The crawl in test_pages.py reaches the list and the empty form; these pages need a record first, made
here through the form as a staff nurse would, then seen by the ward manager and the restrictive-practice lead.
"""

from __future__ import annotations

import base64
import datetime
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def set_value(browser, name: str, value: str) -> None:
    """Date and time inputs take typed text in the browser's locale format, so set their value directly."""
    element = browser.driver.find_element(By.NAME, name)
    browser.driver.execute_script("arguments[0].value = arguments[1]", element, value)


def choose(browser, name: str, value: str) -> None:
    browser.driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']").click()


def type_into(browser, name: str, text: str) -> None:
    browser.driver.find_element(By.NAME, name).send_keys(text)


def submit(browser, message: str) -> None:
    button = browser.driver.find_element(By.CSS_SELECTOR, "main form button.button:not(.button--secondary)")
    browser.click_and_wait_for_new_page(button, message)


def test_use_of_force_form_record_and_review_pages_are_accessible(browser, demo_password):
    browser.login("staff", demo_password)
    browser.get("/use-of-force/new")
    problems = browser.check_page("use-of-force", "form")

    # Sent with the reason left out: the error summary links to the field, and values are kept.
    type_into(browser, "place", "Oak ward lounge")
    submit(browser, "sending the incomplete form did not load a page")
    assert browser.driver.find_elements(By.CSS_SELECTOR, ".error-summary a[href='#reason']"), "no error for the reason"
    assert browser.driver.find_element(By.NAME, "place").get_attribute("value") == "Oak ward lounge"
    problems += browser.check_page("use-of-force", "form-errors")

    # Now the whole record, in London time: a prone restraint of twelve minutes that ended five minutes ago.
    end = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    start = end - datetime.timedelta(minutes=12)
    local = lambda moment: moment.astimezone(datetime.timezone(datetime.timedelta(0)))  # demo: Europe/London, GMT in winter
    type_into(browser, "reason", "Hitting another patient and would not stop")
    Select(browser.driver.find_element(By.NAME, "interventions[0].type")).select_by_value("01")
    set_value(browser, "interventions[0].startDate", local(start).strftime("%Y-%m-%d"))
    set_value(browser, "interventions[0].startTime", local(start).strftime("%H:%M"))
    set_value(browser, "interventions[0].endDate", local(end).strftime("%Y-%m-%d"))
    set_value(browser, "interventions[0].endTime", local(end).strftime("%H:%M"))
    choose(browser, "interventions[0].planned", "no")
    type_into(browser, "proneJustification", "Fell forward during the hold; turned onto the side as soon as possible")
    type_into(browser, "effortsToAvoid", "Talking down and offered a quiet room")
    type_into(browser, "description", "Two-person hold that became prone when the patient fell")
    type_into(browser, "outcome", "Settled; checked by the doctor")
    choose(browser, "harm", "serious-injury")  # so the s9 investigation opens, and its pages are checked below
    type_into(browser, "staff[0].name", "Sam Okafor")
    type_into(browser, "staff[0].jobTitle", "Staff nurse")
    choose(browser, "nonStaffInvolved", "no")
    type_into(browser, "patientLocalId", "OAK-0042")
    type_into(browser, "patientName", "Alex Doe")
    type_into(browser, "nhsNumber", "943 476 5919")
    type_into(browser, "mentalDisorder", "Psychosis")
    choose(browser, "detained", "yes")
    type_into(browser, "detentionSection", "3")
    choose(browser, "learningDisabilityOrAutism", "no")
    choose(browser, "characteristicsStatus", "recorded")
    Select(browser.driver.find_element(By.NAME, "characteristics.ethnicity")).select_by_value("N")
    choose(browser, "carePlanContactsNotified", "yes")
    submit(browser, "saving the record did not load a page")
    record = browser.path
    assert re.fullmatch(r"/use-of-force/[^/]+", record), f"the record landed on {browser.path_and_query}: " + \
        "; ".join(e.text for e in browser.driver.find_elements(By.CSS_SELECTOR, ".error-summary li"))
    page = browser.driver.page_source
    assert "Prone restraint" in page and "Alex Doe" not in page, "the recorder sees the alert but not the name"
    problems += browser.check_page("use-of-force", "record-recorder")

    browser.driver.delete_all_cookies()
    browser.login("manager", demo_password)
    browser.get(record)
    assert "Alex Doe" in browser.driver.page_source, "the ward manager sees the patient's name"
    problems += browser.check_page("use-of-force", "record-manager")
    browser.get(record + "/edit")
    problems += browser.check_page("use-of-force", "correction")
    browser.get("/use-of-force")
    problems += browser.check_page("use-of-force", "list")

    browser.driver.delete_all_cookies()
    browser.login("restrictive-practice-lead", demo_password)
    browser.get(record)
    type_into(browser, "note", "Unplanned prone; released within two minutes; discussed at the ward debrief")
    submit(browser, "recording the review did not load a page")
    assert "discussed at the ward debrief" in browser.driver.page_source
    problems += browser.check_page("use-of-force", "record-reviewed")
    browser.get(record + "/investigation")
    assert "Investigation of a death or serious injury" in browser.driver.page_source
    problems += browser.check_page("use-of-force", "investigation")
    browser.get("/use-of-force/investigations")
    problems += browser.check_page("use-of-force", "investigations")
    assert not problems, "use-of-force pages:\n" + "\n".join(problems)


def test_annual_report_prints_without_navigation_and_keeps_table_rows_whole(browser, demo_password):
    """The annual report is what organisations publish: printed, it shows the report alone (no header, navigation,
    footer or forms), tables at full width with their header row repeated and no row split across pages."""
    browser.login("restrictive-practice-lead", demo_password)
    year = datetime.date.today().year
    browser.get(f"/use-of-force/annual-report?year={year}")
    problems = browser.check_page("use-of-force", "annual-report")
    assert "are shown as *" in browser.driver.page_source, "the report says how small numbers are shown"
    driver = browser.driver
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        style = lambda selector, prop: driver.execute_script(
            "const e = document.querySelector(arguments[0]); return e ? getComputedStyle(e)[arguments[1]] : null;", selector, prop)
        for selector in ["header.header", "nav.nav", "footer.footer", "form.filters", "section.no-print", ".skip-link"]:
            assert style(selector, "display") == "none", f"{selector} is printed"
        assert style("main table", "display") == "table"
        assert style(".table-wrap", "overflow-x") == "visible", "a printed table must not be cut off at the box's edge"
        assert style("main thead", "display") == "table-header-group", "the header row repeats on each printed page"
        assert style("main tbody tr", "break-inside") == "avoid", "a row may not be split across pages"
        assert style("figure.chart", "break-inside") == "avoid", "a chart stays on one page"
        assert style("main h2", "break-after") == "avoid", "a heading stays with what follows it"
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False})
        data = base64.b64decode(pdf["data"])
        assert data.startswith(b"%PDF"), "printing gave no PDF"
        (browser.shots / "use-of-force").mkdir(parents=True, exist_ok=True)
        (browser.shots / "use-of-force" / "annual-report.pdf").write_bytes(data)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not problems, "annual report:\n" + "\n".join(problems)
