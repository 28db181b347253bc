"""Bench (not a test): cold start of the app to its first rendered UI, and resident memory after
opening the largest seed checklist, in the real window under Xvfb. Prints a table.

Run with scripts/bench-app.sh (release build). The seed is read from ../shared/seeds when present.
"""

import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

APP = os.environ["GREENLIGHT_E2E_APP"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED = os.path.join(ROOT, "..", "shared", "seeds", "002_8dfab29aebc9c7b2.txt")
FALLBACK = os.path.join(ROOT, "checklists", "blue-green-release.md")


def rss_kib(names):
    """Resident memory of every process whose name starts with one of `names`."""
    total, seen = 0, []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        name = fields.get("Name", "").strip()
        if any(name.startswith(n) for n in names) and "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0])
            seen.append(name)
    return total, seen


def session():
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": APP})
    return webdriver.Remote(command_executor="http://127.0.0.1:4444", options=options)


def main():
    source = SEED if os.path.exists(SEED) else FALLBACK
    if source == FALLBACK:
        print(f"seed not found at {SEED}: using {FALLBACK}", file=sys.stderr)
    cli = [APP]
    template = subprocess.run(cli + ["template", "import", source], capture_output=True, text=True, check=True)
    template_id = template.stdout.split("\t")[0]
    run = subprocess.run(
        cli + ["run", "start", "--template", template_id, "--release", "bench", "--release-version", "1", "--env", "staging"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()

    starts = []
    for attempt in range(3):
        started = time.monotonic()
        driver = session()
        WebDriverWait(driver, 60).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="nav-runs"]')))
        starts.append((time.monotonic() - started) * 1000)
        if attempt < 2:
            driver.quit()
            time.sleep(1)

    driver.find_element(By.CSS_SELECTOR, f'[data-testid="run-row"][data-run-id="{run}"]').click()
    WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="item"]')) > 50)
    items = len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="item"]'))
    time.sleep(2)
    app_kib, _ = rss_kib(["greenlight"])
    web_kib, names = rss_kib(["WebKitWebProces", "WebKitNetworkPr"])
    driver.quit()

    print(f"app: cold start and memory (release build, {os.path.basename(source)}, {items} items on screen)")
    print("| measure | value |")
    print("|---|---|")
    print(f"| start to first rendered UI, ms (3 starts) | {', '.join(f'{s:.0f}' for s in starts)} |")
    print(f"| resident memory, app process, MiB | {app_kib / 1024:.0f} |")
    print(f"| resident memory, WebKit processes ({len(names)}), MiB | {web_kib / 1024:.0f} |")


if __name__ == "__main__":
    main()
