"""The end-to-end harness: one real Greenlight window per test (tauri-driver + WebKitWebDriver under
Xvfb), and the steps tests share (start, click, import, start a run, sign, read the database).

Run through tests/e2e/run.sh, which starts Xvfb, a D-Bus session and tauri-driver.
"""
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from selenium import webdriver
from selenium.common.exceptions import (
    TimeoutException,
    NoAlertPresentException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

APP = os.environ["GREENLIGHT_E2E_APP"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
DRIVER_URL = os.environ.get("GREENLIGHT_E2E_DRIVER", "http://127.0.0.1:4444")

HOSTILE_TITLE = 'Night release <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>'
TEMPLATE = f"""# {HOSTILE_TITLE}

**Release:** ____

## Before the window

- [ ] Backups verified <b onmouseover="window.__pwned=3">bold?</b>
- [ ] Health endpoint answers
  ```bash
  curl -s https://api.example.test/health
  # Expected: status = "ok"
  ```
- [ ] Error budget checked
- [ ] [Runbook](javascript:window.__pwned=4) read

## After the window

- [ ] Smoke tests green
- [ ] Release announced
"""


def by_testid(testid):
    return (By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def serve_json(answer, add_cleanup):
    """Starts a loopback HTTP server; `answer(path, headers)` returns (status, body dict).
    Registers its shutdown with `add_cleanup` and returns its port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, payload = answer(self.path, self.headers)
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    add_cleanup(server.server_close)
    add_cleanup(server.shutdown)
    return server.server_address[1]


def patient_wait(root, seconds=20):
    """A wait that retries when Svelte replaced an element between finding it and reading it."""
    return WebDriverWait(root, seconds, ignored_exceptions=(StaleElementReferenceException,))


class AppSession(unittest.TestCase):
    """A test case that owns one app window at a time; no tests of its own."""

    driver = None

    def start_app(self):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": APP})
        self.driver = webdriver.Remote(command_executor=DRIVER_URL, options=options)
        self.wait = patient_wait(self.driver)
        self.wait.until(EC.element_to_be_clickable(by_testid("nav-runs")))
        self.answer_identity_question()

    def answer_identity_question(self):
        """At the first start on a data folder the window asks who is using it (the tests of one run
        share a data folder, so only the first start asks): Dana Release answers."""
        # The question and the sidebar's "Acting as" line render together once the app info arrived.
        self.wait.until(lambda d: d.find_element(*by_testid("acting-as")).text.strip() != "")
        if not self.driver.find_elements(*by_testid("identity-dialog")):
            return
        name = self.wait.until(EC.visibility_of_element_located(by_testid("identity-name")))
        name.clear()
        name.send_keys("Dana Release")
        self.driver.find_element(*by_testid("identity-email")).send_keys("dana@example.com")
        self.driver.find_element(*by_testid("identity-role")).send_keys("Release manager")
        self.shot("00-identity-question")
        self.click("identity-save")
        self.wait.until(lambda d: not d.find_elements(*by_testid("identity-dialog")))
        self.wait.until(lambda d: "Dana Release" in d.find_element(*by_testid("acting-as")).text)

    def quit_app(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None
        time.sleep(1)

    def tearDown(self):
        if self.driver is not None:
            self.shot("last-" + self._testMethodName)
        self.quit_app()

    def shot(self, name):
        os.makedirs(OUT, exist_ok=True)
        # Let the webview paint the latest DOM change before capturing it.
        self.driver.execute_script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        time.sleep(0.5)
        # The X display as the user sees it (ImageMagick), not WebDriver's snapshot: with compositing
        # off (the app's choice on a machine without a GPU, as here) WebKitWebDriver's snapshot can
        # hang forever.
        subprocess.run(
            ["import", "-window", "root", os.path.join(OUT, f"{name}.png")], check=True, timeout=30, capture_output=True
        )

    def click(self, testid, within=None):
        def ready(d):
            # `within` may be a function, so that a container Svelte re-rendered is found anew.
            root = within() if callable(within) else (within or d)
            element = root.find_element(*by_testid(testid))
            return element if element.is_displayed() and element.is_enabled() else None

        for attempt in range(3):
            element = self.wait.until(ready)
            try:
                # The run view scrolls inside its own container; WebKitWebDriver does not always bring
                # an element near the window's bottom edge fully into view, and the click then lands
                # beside it.
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
                self.wait_until_still(element)
                element.click()
                return element
            except StaleElementReferenceException:
                # Re-rendered between finding and clicking: find the new one and click that.
                if attempt == 2:
                    raise

    def wait_until_still(self, element):
        """Waits (up to a second) until `element` stays put for two frames: the run list is virtualised and
        corrects its row heights as rows are measured, which can move an element just after a scroll."""
        self.driver.execute_async_script(
            """
            const el = arguments[0];
            const done = arguments[arguments.length - 1];
            const at = () => { const r = el.getBoundingClientRect(); return `${r.top},${r.left}`; };
            const deadline = performance.now() + 1000;
            let last = at();
            const frame = () => requestAnimationFrame(() => requestAnimationFrame(() => {
              const now = at();
              if (now === last || performance.now() > deadline) return done();
              last = now;
              frame();
            }));
            frame();
            """,
            element,
        )

    def jump_to_section(self, title):
        """Clicks the outline entry of the section titled `title` and waits until its heading is on screen."""

        def entry(d):
            return next(
                (
                    e
                    for e in d.find_elements(*by_testid("outline-section"))
                    if e.get_attribute("textContent").strip().startswith(title)
                ),
                None,
            )

        def heading_shown(d):
            return any(
                h.get_attribute("textContent").strip().startswith(title) and h.is_displayed()
                for h in d.find_elements(*by_testid("section"))
            )

        # A run that just opened may still be settling its first scroll: let it, and click again if needed.
        self.wait_until_still(self.wait.until(entry))
        for _ in range(3):
            self.wait.until(entry).click()
            try:
                patient_wait(self.driver, 3).until(heading_shown)
                return
            except TimeoutException:
                continue
        self.wait.until(heading_shown)

    def run_menu(self, testid):
        """Clicks an entry of the run header's "More" menu (verify, preflight, audit log, abandon, archive)."""
        if self.driver.find_element(*by_testid("run-menu")).get_attribute("aria-expanded") != "true":
            self.click("run-menu")
        return self.click(testid)

    def item(self, index):
        items = self.wait.until(lambda d: d.find_elements(*by_testid("item")))
        return items[index]

    def text_once(self, testid, condition):
        """Waits until the element's text meets `condition`, finding it anew each time; returns the text."""
        return self.wait.until(
            lambda d: (lambda text: text if condition(text) else None)(d.find_element(*by_testid(testid)).text)
        )

    def template_row(self, title):
        """The template list's row whose text contains `title`, found anew (the list re-renders)."""
        row = next((r for r in self.driver.find_elements(*by_testid("template-row")) if title in r.text), None)
        if row is None:
            raise NoSuchElementException(f"no template row titled {title!r}")
        return row

    def wait_for_template_row(self, title):
        self.wait.until(lambda d: self.template_row(title))

    def item_by_id(self, item_id):
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="item"][data-item-id="{item_id}"]')

    def wait_state(self, item_id, state):
        self.wait.until(lambda d: self.item_by_id(item_id).get_attribute("data-state") == state)

    def assert_not_pwned(self):
        self.assertIsNone(self.driver.execute_script("return window.__pwned || null"))
        try:
            alert = self.driver.switch_to.alert
            self.fail(f"an alert opened: {alert.text}")
        except NoAlertPresentException:
            pass

    def paste_and_preview(self, markdown):
        self.click("nav-templates")
        self.click("import-paste-open")
        text = self.wait.until(EC.presence_of_element_located(by_testid("import-paste-text")))
        self.driver.execute_script(
            "const el = arguments[0]; el.value = arguments[1]; el.dispatchEvent(new Event('input', {bubbles: true}));",
            text,
            markdown,
        )
        self.click("import-paste-preview")
        return self.wait.until(EC.visibility_of_element_located(by_testid("import-preview")))

    def import_and_start_run(self, markdown, title, release):
        """Imports pasted Markdown, starts a run of it in staging; returns the first item's id."""
        self.paste_and_preview(markdown)
        self.click("import-confirm")
        self.click("start-run", within=lambda: self.template_row(title))
        self.submit_new_run(release, "1", "staging")
        return self.driver.find_elements(*by_testid("item"))[0].get_attribute("data-item-id")

    def run_probe_until(self, item_id, outcome):
        self.click("run-probe", within=self.item_by_id(item_id))
        self.wait.until(
            lambda d: self.item_by_id(item_id).find_elements(
                By.CSS_SELECTOR, f'[data-testid="probe-evidence"][data-outcome="{outcome}"]'
            )
        )

    def save_credential(self, name, secret):
        """Fills the Credentials form and saves; returns nothing (callers wait for the outcome)."""
        self.click("nav-credentials")
        field = self.wait.until(EC.visibility_of_element_located(by_testid("credential-name")))
        field.clear()
        field.send_keys(name)
        secret_field = self.driver.find_element(*by_testid("credential-secret"))
        secret_field.clear()
        secret_field.send_keys(secret)
        self.click("credential-save")

    def wait_credential_listed(self, name):
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-testid="credential"][data-name="{name}"]'))

    def start_app_with_guarded_server(self, credential, secret):
        """Starts a loopback server that answers 200 only to `Bearer <secret>` (401 otherwise),
        starts the app and stores the secret in the keychain as `credential`; returns the port."""

        def guarded(path, headers):
            ok = headers.get("Authorization") == f"Bearer {secret}"
            return (200, {"status": "ok"}) if ok else (401, {"status": "denied"})

        port = serve_json(guarded, self.addCleanup)
        self.start_app()
        self.save_credential(credential, secret)
        self.wait_credential_listed(credential)
        return port

    def submit_new_run(self, release, version, environment):
        """Fills in the new-run form that "Start a run" opened and submits it; returns the run view."""
        self.wait.until(EC.visibility_of_element_located(by_testid("new-run-release"))).send_keys(release)
        self.driver.find_element(*by_testid("new-run-version")).send_keys(version)
        env = self.driver.find_element(*by_testid("new-run-environment"))
        env.clear()
        env.send_keys(environment)
        self.click("new-run-submit")
        return self.wait.until(EC.visibility_of_element_located(by_testid("run-view")))

    def start_bundled_run(self, title, release):
        self.click("nav-templates")
        self.click("start-run", within=lambda: self.template_row(title))
        return self.submit_new_run(release, "5.4.0", "production")

    def draw_signature(self, pad):
        """Draws a signature with real pointer actions: press, move in strokes, release."""
        size = pad.size
        w, h = size["width"], size["height"]
        actions = ActionChains(self.driver, duration=20)
        actions.move_to_element_with_offset(pad, -w // 3, 0).click_and_hold()
        for dx, dy in [(20, -18), (20, 30), (20, -30), (20, 28), (25, -12)]:
            actions.move_by_offset(dx, dy)
        actions.release()
        actions.move_to_element_with_offset(pad, w // 6, -h // 5).click_and_hold()
        actions.move_by_offset(40, 25).move_by_offset(10, -30).release()
        actions.perform()

    def assert_nowhere_in_our_files(self, secret):
        """The database, its WAL, the logs and the exports hold no trace of `secret`. (The keychain's
        own encrypted store lives under home/ and is not ours to grep.)"""
        home = os.environ["GREENLIGHT_HOME"]
        needle = secret.encode()
        hits = []
        for folder, dirs, files in os.walk(home):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) != os.path.join(home, "home")]
            for name in files:
                with open(os.path.join(folder, name), "rb") as f:
                    if needle in f.read():
                        hits.append(os.path.join(folder, name))
        self.assertEqual(hits, [], "the secret leaked into these files")

    def home(self):
        return os.environ["GREENLIGHT_HOME"]

    def sqlite(self, sql):
        database = os.path.join(self.home(), "greenlight.sqlite3")
        return subprocess.run(["sqlite3", database, sql], check=True, capture_output=True, text=True).stdout

    def open_run(self, run_id):
        self.click("nav-runs")
        self.wait.until(
            lambda d: d.find_element(By.CSS_SELECTOR, f'[data-testid="run-row"][data-run-id="{run_id}"]')
        ).click()
        return self.wait.until(EC.visibility_of_element_located(by_testid("run-view")))

    def send_file(self, path):
        from selenium.webdriver.remote.file_detector import UselessFileDetector

        # The driver runs on this machine: send the path itself (Selenium would try to upload it to a grid).
        self.driver.file_detector = UselessFileDetector()
        # In a run the file input is in the header's "More" menu; on the Runs list it is on the page.
        menu = self.driver.find_elements(*by_testid("run-menu"))
        if menu and menu[0].get_attribute("aria-expanded") != "true":
            self.click("run-menu")
        self.driver.find_element(*by_testid("record-check-input")).send_keys(path)


def lock_keychain():
    """Locks gnome-keyring's login collection, as a desktop does when the screen locks."""
    subprocess.run(
        ["busctl", "--user", "call", "org.freedesktop.secrets", "/org/freedesktop/secrets",
         "org.freedesktop.Secret.Service", "Lock", "ao", "1", "/org/freedesktop/secrets/collection/login"],
        check=True, capture_output=True,
    )


def unlock_keychain():
    """Unlocks it the way a login does: a daemon given the password replaces the running one."""
    subprocess.run(
        ["gnome-keyring-daemon", "--replace", "--unlock", "--components=secrets"],
        input=os.environ["GREENLIGHT_E2E_KEYRING_PASSWORD"].encode(), check=True, capture_output=True,
    )
