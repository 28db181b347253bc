"""End-to-end test of the real Greenlight window (tauri-driver + WebKitWebDriver under Xvfb).

Imports a template by pasting Markdown (with hostile HTML inside it), starts a run, marks items
(buttons and keyboard), fails one with a note, adds a note, quits the app, starts it again on the
same data folder and checks that everything is still there. Screenshots go to tests/e2e/out/.

Run through tests/e2e/run.sh, which starts Xvfb, a D-Bus session and tauri-driver.
"""

import os
import subprocess
import time
import unittest

from harness import *  # noqa: F401,F403 (the shared steps and constants)


class Walkthrough(AppSession):
    def test_import_run_mark_restart_and_everything_is_still_there(self):
        self.start_app()
        self.shot("01-start")

        # Import by pasting Markdown, through the preview.
        preview = self.paste_and_preview(TEMPLATE)
        self.assertIn("<script>", preview.text, "hostile markup is shown as text")
        self.shot("02-import-preview")
        self.click("import-confirm")
        self.wait_for_template_row("Night release")
        self.assertIn("<img src=x", self.template_row("Night release").text)
        self.assert_not_pwned()

        # Start a run of it.
        self.click("start-run", within=lambda: self.template_row("Night release"))
        run_view = self.submit_new_run("payments-api", "2.1.0", "production")
        run_id = run_view.get_attribute("data-run-id")
        self.assertTrue(run_id)

        ids = [e.get_attribute("data-item-id") for e in self.driver.find_elements(*by_testid("item"))]
        self.assertEqual(len(ids), 6, "six checkbox items")
        self.assertIn("0 / 6", self.driver.find_element(*by_testid("progress-overall")).text)

        # Pass the first item with its button.
        self.click("mark-pass", within=self.item_by_id(ids[0]))
        self.wait_state(ids[0], "pass")

        # Fail the second: a note is required.
        self.click("mark-fail", within=self.item_by_id(ids[1]))
        note = self.wait.until(EC.visibility_of_element_located(by_testid("fail-note-input")))
        note.send_keys("health endpoint returned 503")
        self.click("fail-note-save")
        self.wait_state(ids[1], "fail")

        # Mark the third n/a with the keyboard: focus it by walking with j, then press n.
        body = self.driver.find_element(By.TAG_NAME, "body")
        self.driver.execute_script("document.activeElement && document.activeElement.blur()")
        body.send_keys("j")
        body.send_keys("n")
        self.wait.until(lambda d: "not_applicable" in [self.item_by_id(i).get_attribute("data-state") for i in ids])

        # A note on the fourth item.
        # At rest an item is one line; its note box opens on demand (the pencil, or a on the current item).
        self.click("note-open", within=self.item_by_id(ids[3]))
        fourth = self.item_by_id(ids[3])
        self.wait.until(lambda d: fourth.find_element(*by_testid("note-input"))).send_keys("runbook link checked by hand")
        self.click("note-save", within=fourth)
        self.wait.until(lambda d: "runbook link checked by hand" in self.item_by_id(ids[3]).text)

        self.wait.until(lambda d: "3 / 6" in d.find_element(*by_testid("progress-overall")).text)
        self.assert_not_pwned()
        self.shot("03-run-marked")
        states_before = {i: self.item_by_id(i).get_attribute("data-state") for i in ids}

        # Quit the app and start it again on the same data folder.
        self.quit_app()
        self.start_app()
        self.click("nav-runs")
        self.wait.until(
            lambda d: d.find_element(By.CSS_SELECTOR, f'[data-testid="run-row"][data-run-id="{run_id}"]')
        ).click()
        self.wait.until(EC.visibility_of_element_located(by_testid("run-view")))
        self.wait.until(lambda d: "3 / 6" in d.find_element(*by_testid("progress-overall")).text)
        states_after = {i: self.item_by_id(i).get_attribute("data-state") for i in ids}
        self.assertEqual(states_before, states_after)
        self.assertIn("health endpoint returned 503", self.item_by_id(ids[1]).text)
        self.assertIn("runbook link checked by hand", self.item_by_id(ids[3]).text)
        self.assert_not_pwned()

        # The audit log verifies.
        self.run_menu("verify-run")
        self.wait.until(EC.visibility_of_element_located(by_testid("verify-result")))
        verdict = self.text_once("verify-result", lambda text: text.strip() != "")
        self.assertRegex(verdict.lower(), r"intact|verif")
        self.shot("04-after-restart")

    def test_sign_decide_a_gate_export_and_find_the_signer_in_the_pdf(self):
        self.start_app()
        self.start_bundled_run("Blue-Green Release", "storefront")

        # Sign the first signature slot by drawing on the pad: the sign-off lines are at the end of the
        # checklist (the list renders what is on screen), reached through the outline.
        self.jump_to_section("Sign-off")
        opener = self.wait.until(EC.element_to_be_clickable(by_testid("sign-open")))
        slot_id = opener.get_attribute("data-slot-id")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", opener)
        opener.click()
        pad = self.wait.until(EC.visibility_of_element_located(by_testid("signature-pad")))
        self.draw_signature(pad)
        self.driver.find_element(*by_testid("signature-name")).send_keys("Sofia Signer")
        self.shot("05-signature-pad")
        self.click("signature-submit")
        signed = self.wait.until(
            lambda d: next(
                (e for e in d.find_elements(*by_testid("signature")) if "Sofia Signer" in e.text), None
            )
        )
        self.assertEqual(signed.get_attribute("data-slot-id"), slot_id)
        self.assertEqual(signed.get_attribute("data-stale"), "false")

        # GO at a gate whose items are pending needs an override justification.
        self.jump_to_section("Go/No-Go: Start the Window")
        gate = self.wait.until(lambda d: d.find_element(*by_testid("gate")))
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", gate)
        gate.find_element(By.CSS_SELECTOR, '[data-testid="gate-option"][data-option="GO"]').click()
        justification = self.wait.until(EC.visibility_of_element_located(by_testid("gate-override-input")))
        justification.send_keys("CAB approved: remaining checks run after cutover")
        self.click("gate-override-submit")
        self.wait.until(EC.visibility_of_element_located(by_testid("override-badge")))
        self.shot("06-gate-override")

        # Export the record and read the PDF's text.
        self.click("export-run")
        exported = self.text_once("export-result", lambda text: ".pdf" in text)
        pdf_path = re.search(r"(/\S+\.pdf)", exported).group(1)
        self.assertTrue(os.path.exists(pdf_path), pdf_path)
        text = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], capture_output=True, text=True, check=True).stdout
        self.assertIn("Sofia Signer", text)
        self.assertIn("OVERRIDE", text)
        self.assertIn("CAB approved", text)
        self.shot("07-exported")

        # Check the exported JSON record from the window: it matches; a copy with one event edited does not.
        # The driver runs on this machine: send the path itself (Selenium would try to upload it to a grid).
        from selenium.webdriver.remote.file_detector import UselessFileDetector

        self.driver.file_detector = UselessFileDetector()
        json_path = self.driver.find_element(*by_testid("export-json-path")).text.strip()
        self.send_file(json_path)
        checked = self.wait.until(EC.visibility_of_element_located(by_testid("record-check-result")))
        self.assertEqual(checked.get_attribute("data-matches"), "true", checked.text)
        with open(json_path, encoding="utf-8") as f:
            record = json.load(f)
        record["events"][1]["payload"] = json.dumps({**json.loads(record["events"][1]["payload"]), "edited": True})
        edited_path = os.path.join(tempfile.mkdtemp(), "edited-record.json")
        with open(edited_path, "w", encoding="utf-8") as f:
            json.dump(record, f)
        self.send_file(edited_path)
        self.wait.until(
            lambda d: d.find_element(*by_testid("record-check-result")).get_attribute("data-matches") == "false"
        )
        self.assertIn("event 2", self.driver.find_element(*by_testid("record-check-detail")).text)
        self.shot("07b-record-checked")

    def test_a_probe_runs_from_the_window_against_a_local_server_and_its_pass_is_confirmed(self):
        port = serve_json(lambda path, headers: (200 if path == "/health" else 404, {"status": "ok"}), self.addCleanup)
        markdown = f"""# Probe drill

## Health

- [ ] API reports ok
  ```probe
  kind = "http"
  url = "http://127.0.0.1:{port}/health"
  expect = {{ status = 200, json = [{{ path = "status", equals = "ok" }}] }}
  ```
- [ ] Someone looked at the dashboard
"""
        self.start_app()
        item_id = self.import_and_start_run(markdown, "Probe drill", "health")
        self.run_probe_until(item_id, "pass")
        self.assertEqual(self.item_by_id(item_id).get_attribute("data-state"), "pending", "only proposed")
        self.shot("08-probe-passed")
        self.click("accept-probe", within=self.item_by_id(item_id))
        self.wait_state(item_id, "pass")

    def test_a_keychain_credential_authenticates_a_probe_and_the_secret_stays_out_of_every_file(self):
        secret = "e2e-S3cret-Token-7731"  # ASCII: HTTP header values are bytes, Python reads them as latin-1
        port = self.start_app_with_guarded_server("e2e-token", secret)
        self.assertNotIn(secret, self.driver.page_source)
        stored = subprocess.run(
            ["secret-tool", "lookup", "service", "greenlight", "username", "e2e-token"],
            capture_output=True, text=True, check=False,
        )
        self.assertEqual(stored.stdout.rstrip("\n"), secret, "the secret is in the OS keychain")

        markdown = f"""# Keychain drill

## Guarded

- [ ] Guarded API answers
  ```probe
  kind = "http"
  url = "http://127.0.0.1:{port}/health"
  auth = {{ credential = "e2e-token", scheme = "bearer" }}
  expect = {{ status = 200, json = [{{ path = "status", equals = "ok" }}] }}
  ```
"""
        item_id = self.import_and_start_run(markdown, "Keychain drill", "guarded")
        self.run_probe_until(item_id, "pass")
        self.click("export-run")
        self.text_once("export-result", lambda text: ".pdf" in text)
        self.quit_app()

        self.assert_nowhere_in_our_files(secret)
        home = os.environ["GREENLIGHT_HOME"]
        self.assertTrue(any(n.endswith(".pdf") for _, _, fs in os.walk(home) for n in fs), "an export was written")

    def test_a_locked_keychain_gives_an_unlock_message_the_window_stays_usable_and_unlocking_recovers(self):
        port = self.start_app_with_guarded_server("locked-token", "locked-S3cret-Token-4410")
        markdown = f"""# Locked keychain drill

## Guarded

- [ ] Guarded API answers
  ```probe
  kind = "http"
  url = "http://127.0.0.1:{port}/health"
  auth = {{ credential = "locked-token", scheme = "bearer" }}
  expect = {{ status = 200 }}
  ```
- [ ] Change freeze announced
"""
        probed = self.import_and_start_run(markdown, "Locked keychain drill", "locked")
        other = self.driver.find_elements(*by_testid("item"))[1].get_attribute("data-item-id")

        # The desktop locks the keychain (screen lock): the login collection is locked over D-Bus.
        lock_keychain()
        self.addCleanup(unlock_keychain)
        self.click("run-probe", within=self.item_by_id(probed))
        # While the probe waits on the keychain (under Xvfb gcr's unlock prompt opens and nobody
        # answers it), the walkthrough goes on: another item is marked at once.
        started = time.monotonic()
        self.click("mark-pass", within=self.item_by_id(other))
        self.wait_state(other, "pass")
        self.assertLess(time.monotonic() - started, 3.0, "marking an item waited on the keychain")

        # The probe ends in an error that says what to do, not a hang and not a pass.
        self.wait.until(
            lambda d: self.item_by_id(probed).find_elements(
                By.CSS_SELECTOR, '[data-testid="probe-evidence"][data-outcome="error"]'
            )
        )
        summary = self.item_by_id(probed).find_element(*by_testid("probe-summary")).text
        self.assertIn("unlock", summary)
        self.assertIn("locked-token", summary)
        self.assertEqual(self.item_by_id(probed).get_attribute("data-state"), "pending")
        self.assertFalse(
            self.item_by_id(probed).find_elements(*by_testid("probe-proposal")),
            "a probe that never reached its target proposes neither Pass nor Fail",
        )
        self.shot("09-keychain-locked-probe")

        # Saving a credential says the same and stores nothing; the name stays, the secret field is
        # emptied (a secret lives in the window only until its request returns).
        self.save_credential("locked-second", "second-S3cret-0077")
        failure = self.wait.until(EC.visibility_of_element_located(by_testid("credential-error")))
        self.assertIn(failure.get_attribute("data-code"), ("keychain_locked", "keychain_timeout"))
        self.assertIn("unlock", failure.text)
        self.assertNotIn("second-S3cret-0077", self.driver.page_source)
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, '[data-testid="credential"][data-name="locked-second"]'))
        self.assertEqual(self.driver.find_element(*by_testid("credential-name")).get_attribute("value"), "locked-second")
        self.assertEqual(self.driver.find_element(*by_testid("credential-secret")).get_attribute("value"), "")
        self.shot("10-keychain-locked-credential")

        # Unlocked again, without restarting Greenlight: the same save and the same probe work.
        unlock_keychain()
        self.save_credential("locked-second", "second-S3cret-0077")
        self.wait_credential_listed("locked-second")
        self.click("nav-runs")
        self.wait.until(lambda d: next((r for r in d.find_elements(*by_testid("run-row")) if "locked" in r.text), None)).click()
        self.wait.until(EC.visibility_of_element_located(by_testid("run-view")))
        self.run_probe_until(probed, "pass")

    def test_a_damaged_database_opens_a_recovery_screen_that_saves_a_copy_of_the_data(self):
        home = os.environ["GREENLIGHT_HOME"]
        database = os.path.join(home, "greenlight.sqlite3")
        # Keep the other tests' data aside and put a damaged file where the database was.
        aside = tempfile.mkdtemp()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(database + suffix):
                shutil.move(database + suffix, os.path.join(aside, "greenlight.sqlite3" + suffix))

        def restore():
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(database + suffix):
                    os.remove(database + suffix)
                if os.path.exists(os.path.join(aside, "greenlight.sqlite3" + suffix)):
                    shutil.move(os.path.join(aside, "greenlight.sqlite3" + suffix), database + suffix)

        self.addCleanup(restore)
        damaged = b"this was a database until the disk said otherwise\n" * 200
        with open(database, "wb") as f:
            f.write(damaged)

        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": APP})
        self.driver = webdriver.Remote(command_executor=DRIVER_URL, options=options)
        self.wait = patient_wait(self.driver)
        screen = self.wait.until(EC.visibility_of_element_located(by_testid("startup-problem")))
        self.assertEqual(screen.get_attribute("data-code"), "database_corrupt")
        self.assertIn(database, screen.text, "the message names the damaged file")
        self.assertFalse(self.driver.find_elements(*by_testid("nav-runs")), "nothing else is offered")

        self.click("save-data-copy")
        result = self.wait.until(EC.visibility_of_element_located(by_testid("data-copy-result")))
        folder = re.search(r"(/\S+)", result.text).group(1)
        with open(os.path.join(folder, "greenlight.sqlite3"), "rb") as f:
            self.assertEqual(f.read(), damaged, "the copy is byte for byte")
        self.shot("11-startup-problem-copy-saved")
        self.quit_app()
        with open(database, "rb") as f:
            self.assertEqual(f.read(), damaged, "Greenlight wrote nothing to the damaged file")

    def test_a_target_that_never_answers_times_out_or_is_cancelled_while_the_walkthrough_goes_on(self):
        # A listener that accepts connections and never says a word.
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        held = []
        threading.Thread(target=lambda: [held.append(silent.accept()) for _ in range(16)], daemon=True).start()
        self.addCleanup(silent.close)
        port = silent.getsockname()[1]
        markdown = f"""# Silent target drill

## Checks

- [ ] Slow API answers within its timeout
  ```probe
  kind = "http"
  url = "http://127.0.0.1:{port}/health"
  timeout_ms = 1500
  ```
- [ ] Hanging API is cancelled by hand
  ```probe
  kind = "http"
  url = "http://127.0.0.1:{port}/slow"
  timeout_ms = 120000
  ```
- [ ] Stakeholders informed
"""
        self.start_app()
        self.import_and_start_run(markdown, "Silent target drill", "silent")
        ids = [e.get_attribute("data-item-id") for e in self.driver.find_elements(*by_testid("item"))]
        timed, hanging, manual = ids
        self.click("run-section-probes")
        self.wait.until(lambda d: self.item_by_id(hanging).find_elements(*by_testid("probe-running")))

        # The walkthrough goes on while both probes wait on the silent target.
        started = time.monotonic()
        self.click("mark-pass", within=self.item_by_id(manual))
        self.wait_state(manual, "pass")
        self.assertLess(time.monotonic() - started, 3.0, "marking an item waited on the probes")

        # The short timeout ends in a Fail that says so, and proposes Fail (the target did not answer).
        self.wait.until(
            lambda d: self.item_by_id(timed).find_elements(
                By.CSS_SELECTOR, '[data-testid="probe-evidence"][data-outcome="fail"]'
            )
        )
        self.assertIn("1500 ms", self.item_by_id(timed).find_element(*by_testid("probe-summary")).text)
        self.assertEqual(
            self.item_by_id(timed).find_element(*by_testid("probe-proposal")).get_attribute("data-proposal"), "fail"
        )

        # The long one is still running; Cancel stops it at once and it proposes nothing.
        self.assertTrue(self.item_by_id(hanging).find_elements(*by_testid("probe-running")))
        self.shot("12-probe-waiting-on-silent-target")
        self.click("cancel-item-probes", within=self.item_by_id(hanging))
        self.wait.until(
            lambda d: self.item_by_id(hanging).find_elements(
                By.CSS_SELECTOR, '[data-testid="probe-evidence"][data-outcome="error"]'
            )
        )
        self.assertIn("cancelled", self.item_by_id(hanging).find_element(*by_testid("probe-summary")).text)
        self.assertFalse(self.item_by_id(hanging).find_elements(*by_testid("probe-proposal")))
        self.wait.until(lambda d: not d.find_elements(*by_testid("cancel-probes")))
        self.assertEqual(self.item_by_id(hanging).get_attribute("data-state"), "pending")

    def test_a_suggested_probe_is_added_to_a_new_version_of_the_template_in_one_click(self):
        port = serve_json(lambda path, headers: (200, {"status": "ok"}), self.addCleanup)
        markdown = f"""# Suggestion drill

## Health

- [ ] API health endpoint answers
  ```bash
  curl -s http://127.0.0.1:{port}/health
  # Expected: HTTP 200
  ```
"""
        self.start_app()
        self.paste_and_preview(markdown)
        self.click("import-confirm")
        self.wait_for_template_row("Suggestion drill")
        old_id = self.template_row("Suggestion drill").get_attribute("data-template-id")
        self.template_row("Suggestion drill").find_element(By.CSS_SELECTOR, "button.open").click()
        # The checklist comes first; probes, suggestions and preflight are one click away.
        self.click("template-tools-toggle")
        suggestion = self.wait.until(EC.visibility_of_element_located(by_testid("probe-suggestion")))
        self.assertIn("http", suggestion.text)
        self.click("suggestion-add", within=suggestion)

        # The new version opens, with the probe block under the item and nothing left to suggest.
        self.wait.until(
            lambda d: any(
                v.get_attribute("data-template-id") != old_id and "v2" in v.text
                for v in d.find_elements(*by_testid("template-view"))
            )
        )
        if not self.driver.find_element(*by_testid("template-tools")).get_attribute("open"):
            self.click("template-tools-toggle")
        self.wait.until(lambda d: "1 probe block declared" in d.find_element(*by_testid("probe-suggestions")).text)
        self.assertFalse(self.driver.find_elements(*by_testid("probe-suggestion")))
        self.shot("13-suggestion-added")

        # A run of the new version runs that probe against the local server.
        self.click("start-run")
        self.submit_new_run("suggested", "1", "staging")
        item_id = self.driver.find_elements(*by_testid("item"))[0].get_attribute("data-item-id")
        self.run_probe_until(item_id, "pass")


    # Records signed at export and checked in the window; edits made behind Greenlight's back.
    DRILL = """# {title}

## Before the window

- [ ] Backups verified
- [ ] Change freeze announced
"""

    def test_an_exported_record_pdf_is_signed_by_dana_and_checks_intact_in_the_run_and_the_run_list(self):
        self.start_app()
        first = self.import_and_start_run(self.DRILL.format(title="Signed record drill"), "Signed record drill", "signed-record")
        second = self.driver.find_elements(*by_testid("item"))[1].get_attribute("data-item-id")
        for item_id in (first, second):
            self.click("mark-pass", within=self.item_by_id(item_id))
            self.wait_state(item_id, "pass")
        self.click("complete-run")
        self.click("confirm-yes")
        self.wait.until(lambda d: d.find_element(*by_testid("run-status")).text.strip() == "completed")

        self.click("export-run")
        self.text_once("export-result", lambda text: ".pdf" in text)
        signing = self.wait.until(EC.visibility_of_element_located(by_testid("export-signing")))
        self.assertEqual(signing.get_attribute("data-signed"), "true", signing.text)
        self.assertIn("Dana Release", signing.text)
        pdf_path = self.driver.find_element(*by_testid("export-pdf-path")).text.strip()
        self.assertTrue(pdf_path.endswith(".pdf") and os.path.exists(pdf_path), pdf_path)
        # The signing key the export made lives in the real keychain, and nowhere in our files.
        key = subprocess.run(
            ["secret-tool", "lookup", "service", "greenlight", "username", "greenlight-record-signing-key"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        self.assertGreater(len(key), 40, "the signing key is in the keychain")
        self.assert_nowhere_in_our_files(key)

        # The record PDF itself, chosen in "Check a record file…" of its run.
        self.send_file(pdf_path)
        checked = self.wait.until(EC.visibility_of_element_located(by_testid("record-check-result")))
        self.assertEqual(checked.get_attribute("data-verdict"), "intact", checked.text)
        signatures = self.driver.find_elements(*by_testid("record-check-signature"))
        self.assertEqual(len(signatures), 1, checked.text)
        self.assertIn("Dana Release", signatures[0].text)
        self.assertIn("no trusted timestamp", signatures[0].text)
        self.assertEqual(signatures[0].get_attribute("data-valid"), "true")
        self.shot("14-record-pdf-checked-intact")

        # The same file from the run list, where any run's record can be checked.
        self.click("nav-runs")
        self.wait.until(lambda d: d.find_elements(*by_testid("run-row")))
        self.send_file(pdf_path)
        listed = self.wait.until(EC.visibility_of_element_located(by_testid("record-check-result")))
        self.assertEqual(listed.get_attribute("data-verdict"), "intact", listed.text)
        self.assertIn("Dana Release", self.driver.find_element(*by_testid("record-check-signature")).text)
        self.shot("15-record-pdf-checked-from-run-list")

        # Settings shows the certificate the record was signed with.
        self.click("nav-settings")
        fingerprint = self.wait.until(EC.visibility_of_element_located(by_testid("settings-signing-fingerprint")))
        self.assertRegex(fingerprint.text, r"^[0-9A-F]{2}(:[0-9A-F]{2}){31}$")
        self.assertIn("Dana Release", self.driver.find_element(*by_testid("settings-signing-subject")).text)
        self.click("settings-signing-save")
        saved = self.text_once("settings-signing-path", lambda text: ".pem" in text or "/" in text)
        pem_path = re.search(r"(/\S+)", saved).group(1)
        with open(pem_path, encoding="utf-8") as f:
            self.assertIn("BEGIN CERTIFICATE", f.read())
        self.shot("16-settings-signing")

    def test_settings_keep_a_time_stamp_authority_and_switch_to_a_company_certificate(self):
        self.start_app()
        self.click("nav-settings")
        url = self.wait.until(EC.visibility_of_element_located(by_testid("settings-tsa-url")))
        self.assertEqual(url.get_attribute("placeholder"), "https://tsa.example.com/tsr")

        # Not http(s): refused inline, nothing stored.
        url.clear()
        url.send_keys("ftp://x")
        self.click("settings-tsa-save")
        self.text_once("settings-tsa-error", lambda text: "http:// or https://" in text)
        self.shot("17-settings-tsa-refused")

        # A valid one (nothing listens there: only exports would notice) is kept after reopening Settings.
        tsa = "http://127.0.0.1:9/tsr"
        url = self.driver.find_element(*by_testid("settings-tsa-url"))
        url.clear()
        url.send_keys(tsa)
        self.click("settings-tsa-save")
        self.text_once("settings-tsa-done", lambda text: tsa in text)
        self.assertFalse(self.driver.find_elements(*by_testid("settings-tsa-error")))
        self.click("nav-runs")
        self.wait.until(lambda d: not d.find_elements(*by_testid("settings-tsa-url")))
        self.click("nav-settings")
        self.wait.until(lambda d: d.find_element(*by_testid("settings-tsa-url")).get_attribute("value") == tsa)
        self.shot("18-settings-tsa-kept")

        # Cleared (later tests export records; they should not wait for an authority that never answers).
        self.click("settings-tsa-clear")
        self.text_once("settings-tsa-done", lambda text: "without a trusted time" in text)
        self.assertEqual(self.driver.find_element(*by_testid("settings-tsa-url")).get_attribute("value"), "")

        # A company certificate in a PKCS#12 file.
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, True)
        key, cert, p12 = (os.path.join(folder, name) for name in ("k", "c", "d.p12"))
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "30",
             "-subj", "/O=Example Corp/CN=Dana Release"],
            check=True, capture_output=True,
        )
        subprocess.run(
            ["openssl", "pkcs12", "-export", "-inkey", key, "-in", cert, "-out", p12, "-passout", "pass:secret7"],
            check=True, capture_output=True,
        )
        from selenium.webdriver.remote.file_detector import UselessFileDetector

        # The driver runs on this machine: send the path itself (Selenium would try to upload it to a grid).
        self.driver.file_detector = UselessFileDetector()
        self.driver.find_element(*by_testid("settings-p12-file")).send_keys(p12)

        # A wrong password: refused inline, the password field emptied.
        password = self.driver.find_element(*by_testid("settings-p12-password"))
        self.assertEqual(password.get_attribute("type"), "password")
        password.send_keys("wrong")
        self.click("settings-p12-use")
        error = self.wait.until(EC.visibility_of_element_located(by_testid("settings-p12-error")))
        self.assertEqual(error.get_attribute("data-code"), "pkcs12", error.text)
        self.assertEqual(self.driver.find_element(*by_testid("settings-p12-password")).get_attribute("value"), "")
        self.shot("19-settings-p12-wrong-password")

        # The right one: records are now signed with the company certificate.
        self.driver.find_element(*by_testid("settings-p12-password")).send_keys("secret7")
        self.click("settings-p12-use")
        self.text_once("settings-signing-subject", lambda text: "Example Corp" in text)
        self.assertFalse(self.driver.find_elements(*by_testid("settings-p12-error")))
        self.assertEqual(self.driver.find_element(*by_testid("settings-p12-password")).get_attribute("value"), "")
        self.assertIn("Example Corp", self.driver.find_element(*by_testid("settings-p12-used")).text)
        self.shot("20-settings-company-certificate")

    def test_an_item_state_edited_in_the_database_shows_the_run_integrity_banner(self):
        self.start_app()
        backups = self.import_and_start_run(self.DRILL.format(title="Edited state drill"), "Edited state drill", "edited-state")
        run_id = self.driver.find_element(*by_testid("run-view")).get_attribute("data-run-id")
        self.click("mark-fail", within=self.item_by_id(backups))
        self.wait.until(EC.visibility_of_element_located(by_testid("fail-note-input"))).send_keys("restore test failed")
        self.click("fail-note-save")
        self.wait_state(backups, "fail")
        self.assertFalse(self.driver.find_elements(*by_testid("run-integrity")), "an untouched run is intact")

        # Someone with the file and sqlite3 turns the failure into a pass behind Greenlight's back.
        self.quit_app()
        self.sqlite(f"UPDATE entries SET state='pass' WHERE state='fail' AND run_id='{run_id}'")
        self.start_app()
        self.open_run(run_id)
        self.wait_state(backups, "pass")  # the window shows what the table says ...
        banner = self.wait.until(EC.visibility_of_element_located(by_testid("run-integrity")))
        self.assertIn("This run's data differs from its audit log", banner.text)
        # The collapsed banner's one line (cut with an ellipsis when long) names the item: read its text content.
        summary = banner.get_attribute("textContent")
        self.assertIn("item 'Backups verified' shows pass, the log says fail", summary)  # ... and the log disagrees
        self.shot("17-run-integrity-banner")
        self.click("run-integrity-toggle")
        listed = self.wait.until(EC.visibility_of_element_located(by_testid("run-integrity-discrepancy")))
        self.assertIn("shows pass, the log says fail", listed.text)
        self.shot("18-run-integrity-details")

        # The manual check says the same.
        self.run_menu("verify-run")
        verdict = self.text_once("verify-result", lambda text: "differs" in text)
        self.assertIn("shows pass, the log says fail", verdict)

        # Marking still works (the background check never blocks it).
        other = self.driver.find_elements(*by_testid("item"))[1].get_attribute("data-item-id")
        self.click("mark-pass", within=self.item_by_id(other))
        self.wait_state(other, "pass")

    def test_a_dropped_safeguard_is_reported_and_restored_after_confirmation(self):
        self.start_app()  # makes the database (and answers the first-start question if this runs first)
        self.quit_app()
        self.sqlite("DROP TRIGGER audit_events_are_append_only_update")

        self.start_app()
        banner = self.wait.until(EC.visibility_of_element_located(by_testid("schema-problems")))
        self.assertEqual(banner.get_attribute("role"), "alert")
        self.assertIn("changed outside Greenlight", banner.text)
        self.assertIn("audit_events_are_append_only_update", banner.text)
        self.shot("19-schema-problems")

        # Restoring asks first; cancelling changes nothing.
        self.click("schema-restore")
        self.click("confirm-no")
        self.assertTrue(self.driver.find_element(*by_testid("schema-problems")).is_displayed())
        self.click("schema-restore")
        self.shot("20-schema-restore-confirm")
        self.click("confirm-yes")
        self.wait.until(lambda d: not d.find_elements(*by_testid("schema-problems")))
        self.assertIn(
            "audit_events_are_append_only_update",
            self.sqlite("SELECT name FROM sqlite_master WHERE type = 'trigger'"),
        )

        # The next start finds nothing to report.
        self.quit_app()
        self.start_app()
        self.click("nav-runs")
        self.wait.until(lambda d: d.find_element(*by_testid("acting-as")).text.strip() != "")
        time.sleep(1)
        self.assertFalse(self.driver.find_elements(*by_testid("schema-problems")))


if __name__ == "__main__":
    import suite

    suite.main(["walkthrough"])
