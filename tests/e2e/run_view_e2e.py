"""End-to-end tests of the run view at scale and at the edges: a 10,000-item run opens, an item
near its end is marked and is still marked after a restart; a date field refuses a value that is
not a date, with a message; the fail-note box of an item at the bottom edge is fully visible.

Run through tests/e2e/run.sh (the suite runs every *_e2e.py module).
"""

import os
import subprocess
import tempfile
import unittest

from harness import *  # noqa: F401,F403 (the shared steps and constants)


def big_template(sections=100, per_section=100):
    """A 10,000-item checklist: `sections` sections of `per_section` items."""
    lines = ["# Ten thousand checks", ""]
    for s in range(sections):
        lines += [f"## Section {s + 1:03d}", ""]
        lines += [f"- [ ] Check {s + 1:03d}.{i + 1:03d}" for i in range(per_section)]
        lines.append("")
    return "\n".join(lines)


SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "seeds", "002_8dfab29aebc9c7b2.txt")


class RunView(AppSession):
    def cli(self, *args):
        """The same binary, headless, on the same data folder (the window must be closed)."""
        return subprocess.run([APP, *args], check=True, capture_output=True, text=True, timeout=120).stdout

    def current_item_id(self):
        return self.driver.execute_script(
            "return document.querySelector('[data-testid=\"item\"][aria-current=\"step\"]')?.dataset.itemId ?? null"
        )

    def item_titled(self, title):
        """The id of the rendered item titled `title`, or None."""
        return self.driver.execute_script(
            """return [...document.querySelectorAll('[data-testid="item"]')]
                 .find(i => i.querySelector('[data-testid="item-title"]').textContent.trim() === arguments[0])
                 ?.dataset.itemId ?? null""",
            title,
        )

    def press(self, key):
        self.driver.execute_script("document.activeElement && document.activeElement.blur()")
        self.driver.find_element(By.TAG_NAME, "body").send_keys(key)

    def test_a_ten_thousand_item_run_opens_and_an_item_near_the_end_stays_marked_after_a_restart(self):
        self.start_app()  # the first start makes the database and answers who is using it
        self.quit_app()
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "ten-thousand.md")
            with open(path, "w") as f:
                f.write(big_template())
            template_id = self.cli("template", "import", path).split("\t")[0]
        run_id = self.cli(
            "run", "start", "--template", template_id, "--release", "huge", "--release-version", "1", "--env", "staging"
        ).strip()

        self.start_app()
        self.open_run(run_id)
        self.wait.until(lambda d: d.find_elements(*by_testid("item")))
        rendered = len(self.driver.find_elements(*by_testid("item")))
        self.assertLess(rendered, 200, "only the rows near the screen are in the page")
        self.shot("30-ten-thousand-open")

        # Jump to the last section through the outline, then find its last-but-one item (/), and mark it with p.
        self.driver.find_elements(*by_testid("outline-section"))[-1].click()
        self.wait.until(lambda d: self.item_titled("Check 100.001"))
        self.press("/")
        find = self.wait.until(EC.visibility_of_element_located(by_testid("run-find-input")))
        find.send_keys("Check 100.099")
        find.send_keys(Keys.ENTER)
        target = self.wait.until(lambda d: self.item_titled("Check 100.099"))
        self.wait.until(lambda d: self.current_item_id() == target)
        find.send_keys(Keys.ESCAPE)
        self.wait.until(lambda d: not d.find_elements(*by_testid("run-find-input")))
        self.press("p")
        self.wait_state(target, "pass")
        self.wait.until(lambda d: "1 / 10000" in d.find_element(*by_testid("progress-overall")).text.replace(",", ""))
        self.shot("31-ten-thousand-marked-near-end")

        self.quit_app()
        self.start_app()
        self.open_run(run_id)
        self.wait.until(lambda d: "1 / 10000" in d.find_element(*by_testid("progress-overall")).text.replace(",", ""))
        self.press("/")
        find = self.wait.until(EC.visibility_of_element_located(by_testid("run-find-input")))
        find.send_keys("Check 100.099")
        find.send_keys(Keys.ENTER)
        self.wait.until(lambda d: self.item_titled("Check 100.099") == target)
        self.assertEqual(self.item_by_id(target).get_attribute("data-state"), "pass")

    def test_a_date_field_refuses_a_value_that_is_not_a_date_and_says_what_to_type(self):
        self.start_app()
        self.import_and_start_run(
            "# Date drill\n\n## Window\n\n- [ ] Maintenance agreed\n  - Deployment date: ____\n- [ ] Done\n",
            "Date drill",
            "dates",
        )
        self.item(0).click()
        field = self.wait.until(EC.visibility_of_element_located(by_testid("field-input")))
        field.send_keys("1.8 GB")
        field.send_keys(Keys.ENTER)
        problem = self.text_once("field-problem", lambda text: text.strip() != "")
        self.assertIn("not a date", problem)
        self.assertIn("YYYY-MM-DD", problem)
        self.shot("32-date-refused")
        self.assertNotIn("1.8 GB", self.sqlite("SELECT group_concat(value, '|') FROM entries"))

        field = self.driver.find_element(*by_testid("field-input"))
        field.clear()
        field.send_keys("2026-12-01")
        field.send_keys(Keys.ENTER)
        self.text_once("field-saved", lambda text: "saved" in text)
        self.assertIn("2026-12-01", self.sqlite("SELECT group_concat(value, '|') FROM entries"))

    def test_the_fail_note_box_of_an_item_at_the_bottom_edge_is_fully_visible(self):
        self.start_app()
        self.start_bundled_run("Blue-Green Release", "edge")
        # The lowest item fully on screen becomes current through a click, then f opens its box.
        bottom = self.driver.execute_script(
            """
            const list = document.querySelector('[data-testid="run-list"]').getBoundingClientRect();
            const items = [...document.querySelectorAll('[data-testid="item"]')];
            const inside = items.filter(i => i.getBoundingClientRect().bottom <= list.bottom);
            return inside[inside.length - 1].dataset.itemId;
            """
        )
        self.item_by_id(bottom).click()
        self.wait.until(lambda d: self.current_item_id() == bottom)
        self.press("f")
        save = self.wait.until(EC.visibility_of_element_located(by_testid("fail-note-save")))
        self.driver.execute_script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        inside = self.driver.execute_script(
            """
            const list = document.querySelector('[data-testid="run-list"]').getBoundingClientRect();
            const box = arguments[0].getBoundingClientRect();
            return box.top >= list.top && box.bottom <= list.bottom;
            """,
            save,
        )
        self.shot("33-fail-box-at-bottom")
        self.assertTrue(inside, "the fail box's buttons are on screen")

    @unittest.skipUnless(os.path.exists(SEED), f"seed 002 not found at {SEED} (../shared/seeds is product material)")
    def test_a_real_seed_is_walked_with_the_keyboard_one_line_per_item(self):
        self.start_app()
        self.quit_app()
        template_id = self.cli("template", "import", SEED).split("\t")[0]
        run_id = self.cli(
            "run", "start", "--template", template_id, "--release", "checkout-service", "--release-version",
            "4.2.0", "--env", "production",
        ).strip()
        self.start_app()
        self.open_run(run_id)
        self.wait.until(lambda d: self.current_item_id())
        first = self.current_item_id()
        for key in "ppppsp":
            before = self.current_item_id()
            self.press(key)
            self.wait.until(lambda d: self.current_item_id() != before)
        failing = self.current_item_id()
        self.press("f")
        note = self.wait.until(EC.visibility_of_element_located(by_testid("fail-note-input")))
        note.send_keys("p95 at 1.8 s after the cutover, rolled back the canary")
        note.send_keys(Keys.ENTER)
        self.wait_state(failing, "fail")
        self.wait.until(lambda d: "1 failed" in d.find_element(*by_testid("progress-fails")).text)
        self.assertEqual(self.item_by_id(first).get_attribute("data-state"), "pass")
        # One line per item at rest: many items fit on one screen.
        on_screen = self.driver.execute_script(
            """const list = document.querySelector('[data-testid="run-list"]').getBoundingClientRect();
               return [...document.querySelectorAll('[data-testid="item"]')].filter(i => {
                 const r = i.getBoundingClientRect(); return r.top >= list.top && r.bottom <= list.bottom; }).length"""
        )
        self.assertGreaterEqual(on_screen, 12, "items fully on one screen")
        self.shot("34-seed-002-walked")
