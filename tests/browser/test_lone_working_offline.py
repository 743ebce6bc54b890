"""The lone-working session page opens from the service worker's copy when the server cannot be reached.

Chromedriver's network emulation does not reach a service worker's own fetches, so this test starts a server of its
own (HAVEN_BIN, a fresh SQLite file, a free port), lets the worker keep the page, stops the server and opens the page.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import _chrome_options

PASSWORD = "offline-copy-check-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(condition, message: str, timeout: float = 20) -> None:
    WebDriverWait(None, timeout, ignored_exceptions=[WebDriverException]).until(lambda _: condition(), message)


@pytest.fixture
def own_server():
    binary = os.environ.get("HAVEN_BIN")
    if not binary:
        pytest.fail("HAVEN_BIN is not set (scripts/test sets it to the haven it built)", pytrace=False)
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="haven-offline-")
    server = subprocess.Popen([binary, "serve", "--demo", "--port", str(port), "--database-url", f"sqlite://{folder}/haven.sqlite"],
                              env=dict(os.environ, HAVEN_DEMO_PASSWORD=PASSWORD), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if requests.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None:
                pytest.fail(f"haven serve exited with {server.returncode} before it was ready", pytrace=False)
            time.sleep(0.1)
        else:
            pytest.fail("haven serve was not ready within 60 s", pytrace=False)
        yield url, server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(20)


def test_session_page_opens_from_its_copy_when_the_server_is_down(own_server):
    url, server = own_server
    driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=_chrome_options())
    try:
        driver.get(url + "/login")
        driver.find_element(By.NAME, "email").send_keys("staff@demo.haven.example")
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        _wait(lambda: driver.current_url.rstrip("/") == url, "signing in did not reach the home page")
        driver.get(url + "/lone-working")
        driver.find_element(By.NAME, "location").send_keys("Hill farm, server down")
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        _wait(lambda: re.search(r"/lone-working/sessions/[^/?]+", driver.current_url), "starting a visit did not open its page")
        session = driver.current_url.split("?")[0]
        _wait(lambda: driver.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)"),
              "the lone-working service worker did not take the session page")
        driver.get(session)
        end = driver.find_element(By.ID, "lone-due").get_attribute("data-end")

        server.terminate()
        server.wait(20)
        with pytest.raises(requests.RequestException):
            requests.get(url + "/healthz", timeout=2)

        driver.get(session)
        assert "Hill farm, server down" in driver.page_source, "the session page did not open with the server down"
        assert driver.find_element(By.ID, "lone-due").get_attribute("data-end") == end
        assert "minute" in driver.find_element(By.ID, "lone-countdown").text, "the countdown did not run on the copy"
        # Only session pages are kept: another page needs the server.
        with pytest.raises(WebDriverException):
            driver.get(url + "/lone-working/board")
    finally:
        driver.quit()
