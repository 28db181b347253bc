"""End-to-end test of preflight in the window: a run of a template whose probes use a variable its
environment does not define and a credential the keychain does not hold is started; its preflight
list names each item, and the fix buttons lead to the Environments and Credentials views. Once both
are fixed there, the run's own preflight (More → Preflight…) finds no problems.

Run through tests/e2e/run.sh (the suite runs every *_e2e.py module).
"""

from harness import *  # noqa: F401,F403 (the shared steps and constants)

VARIABLE = "payments_base"
CREDENTIAL = "ledger-preflight-token"
SECRET = "ledger-S3cret-Preflight-7731"
VARIABLE_ITEM = "Payments API answers on its health path"
CREDENTIAL_ITEM = "Ledger API accepts our token"

# Preflight contacts no target unless asked, so the addresses need not answer.
TEMPLATE = f"""# Preflight drill

## Checks

- [ ] {VARIABLE_ITEM}
  ```probe
  kind = "http"
  url = "{{{{{VARIABLE}}}}}/health"
  expect = {{ status = 200 }}
  ```
- [ ] {CREDENTIAL_ITEM}
  ```probe
  kind = "http"
  url = "http://127.0.0.1:9/ledger"
  auth = {{ credential = "{CREDENTIAL}", scheme = "bearer" }}
  expect = {{ status = 200 }}
  ```
- [ ] Change freeze announced
"""


class Preflight(AppSession):
    def problems(self):
        """(kind, text) of every problem the preflight list shows."""
        return [
            (p.get_attribute("data-kind"), p.text) for p in self.driver.find_elements(*by_testid("preflight-problem"))
        ]

    def problem(self, kind):
        """The shown problem of `kind`, found anew (the list re-renders)."""
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="preflight-problem"][data-kind="{kind}"]')

    def assert_view(self, nav, testid):
        """The window shows the view whose nav entry is `nav`, with the element `testid` in it."""
        self.wait.until(EC.visibility_of_element_located(by_testid(testid)))
        self.assertEqual(self.driver.find_element(*by_testid(nav)).get_attribute("aria-current"), "page")

    def start_run_expecting_preflight(self, release):
        """Starts a run of the drill in staging from the template list; returns the preflight list shown."""
        self.click("start-run", within=lambda: self.template_row("Preflight drill"))
        self.wait.until(EC.visibility_of_element_located(by_testid("new-run-release"))).send_keys(release)
        self.driver.find_element(*by_testid("new-run-version")).send_keys("1")
        env = self.driver.find_element(*by_testid("new-run-environment"))
        env.clear()
        env.send_keys("staging")
        self.click("new-run-submit")
        return self.wait.until(EC.visibility_of_element_located(by_testid("new-run-preflight")))

    def define_variable_in_new_environment(self, name, key, value):
        """In the Environments view (no environment yet, so the editor is a new one): saves `name`
        with one variable."""
        self.wait.until(EC.visibility_of_element_located(by_testid("environment-name"))).send_keys(name)
        self.driver.find_element(*by_testid("variable-key")).send_keys(key)
        self.driver.find_element(*by_testid("variable-value")).send_keys(value)
        self.click("environment-save")
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-testid="environment"][data-name="{name}"]'))

    def run_preflight_from_the_run(self, run_id):
        """Opens the run, then More → Preflight… → Run preflight; returns the summary's text."""
        self.open_run(run_id)
        self.click("run-menu")
        self.click("run-preflight-open")
        self.click("preflight-run")
        return self.wait.until(EC.visibility_of_element_located(by_testid("preflight-summary"))).text

    def test_preflight_names_each_items_problem_sends_to_its_fix_and_is_clean_once_both_are_fixed(self):
        self.start_app()
        self.paste_and_preview(TEMPLATE)
        self.click("import-confirm")
        self.wait_for_template_row("Preflight drill")

        # Starting the run shows its preflight instead of the run: one problem per probe, each
        # under its kind's heading, naming its item and the variable or credential.
        self.start_run_expecting_preflight("preflight")
        self.wait.until(lambda d: len(self.problems()) == 2)
        kinds = dict(self.problems())
        self.assertEqual(set(kinds), {"missing_variable", "missing_credential"}, kinds)
        self.assertIn(VARIABLE_ITEM, kinds["missing_variable"])
        self.assertIn(VARIABLE, kinds["missing_variable"])
        self.assertIn(CREDENTIAL_ITEM, kinds["missing_credential"])
        self.assertIn(CREDENTIAL, kinds["missing_credential"])
        self.assertNotIn(CREDENTIAL_ITEM, kinds["missing_variable"])
        self.assertIn("2 problems in 2 probes", self.driver.find_element(*by_testid("preflight-summary")).text)
        self.assertEqual(
            [g.get_attribute("data-kind") for g in self.driver.find_elements(*by_testid("preflight-group"))],
            ["missing_variable", "missing_credential"],
            "what blocks a probe first",
        )
        self.shot("40-preflight-new-run-problems")
        run_id = self.sqlite("SELECT id FROM runs WHERE release_name = 'preflight'").strip()
        self.assertTrue(run_id, "the run was started before its preflight was shown")

        # The variable's fix button leads to the Environments view, where it is defined.
        fix = self.problem("missing_variable").find_element(*by_testid("preflight-fix"))
        self.assertIn(VARIABLE, fix.text)
        fix.click()
        self.assert_view("nav-environments", "environment-editor")
        self.define_variable_in_new_environment("staging", VARIABLE, "http://127.0.0.1:9")

        # The run's own preflight now finds only the credential; its fix button leads to the
        # Credentials view with the name filled in.
        summary = self.run_preflight_from_the_run(run_id)
        self.assertIn("1 problem in 2 probes", summary)
        self.assertEqual([kind for kind, _ in self.problems()], ["missing_credential"])
        self.shot("41-preflight-run-credential-left")
        self.click("preflight-fix", within=lambda: self.problem("missing_credential"))
        self.assert_view("nav-credentials", "credential-form")
        self.assertEqual(self.driver.find_element(*by_testid("credential-name")).get_attribute("value"), CREDENTIAL)
        self.save_credential(CREDENTIAL, SECRET)
        self.wait_credential_listed(CREDENTIAL)

        # Both fixed: no problems, and the check is recorded in the run's log.
        summary = self.run_preflight_from_the_run(run_id)
        self.assertIn("No problems in 2 probes", summary)
        self.assertIn("recorded in the run's log", summary)
        self.assertEqual(self.problems(), [])
        self.shot("42-preflight-run-clean")
        recorded = self.sqlite(
            f"SELECT COUNT(*) FROM audit_events WHERE stream = 'run:{run_id}' AND kind = 'preflight_checked'"
        )
        self.assertEqual(recorded.strip(), "3", "the start, after the variable, and the clean check")
        self.assert_nowhere_in_our_files(SECRET)


if __name__ == "__main__":
    import unittest

    unittest.main()
