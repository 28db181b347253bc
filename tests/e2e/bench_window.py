"""Bench (not a test): how fast the real window answers, for the largest seed and a generated
10,000-item checklist, with 50 runs in the database. Prints Markdown tables.

Run with scripts/bench-window.sh (release build, under Xvfb, through tests/e2e/run.sh). Every time is
measured in the page, not through WebDriver: a capture-phase listener stamps `performance.now()` when
the key or click arrives, a MutationObserver stamps the DOM change that shows the expected result
(the item's new state, the new current item, the first item, the Runs list), and two
`requestAnimationFrame` callbacks after it stamp "on screen". Memory is PSS from
/proc/PID/smaps_rollup and CPU is utime+stime from /proc/PID/stat, both for the app process and every
process below it (WebKit's web and network processes).

Environment: GREENLIGHT_E2E_APP, GREENLIGHT_HOME (set by run.sh); BENCH_WINDOW_ITEMS (default
10000; 0 skips the generated run), BENCH_WINDOW_LABEL (names the rendering mode in the headings).
"""

import math
import re
import os
import statistics
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

APP = os.environ["GREENLIGHT_E2E_APP"]
HOME = os.environ["GREENLIGHT_HOME"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED = os.path.join(ROOT, "..", "shared", "seeds", "002_8dfab29aebc9c7b2.txt")
BIG_ITEMS = int(os.environ.get("BENCH_WINDOW_ITEMS", "10000"))
LABEL = os.environ.get("BENCH_WINDOW_LABEL", "as configured")
RUNS_IN_DATABASE = 50
BUILD = "release build" if "/release/" in APP else "debug build"
MACHINE = f"2 shared cores, Xvfb 1280x800x24, no GPU acceleration, {BUILD}"
SLOW = 180  # seconds: the current window needs tens of seconds for some 10,000-item steps

# The in-page probe. `arm` waits for the next event of a type (capture phase, before the app's
# handlers), then for the first DOM mutation after which `check` holds (the run clock's ticks are
# ignored), then for two animation frames. `wait` hands the record back when done or after a limit.
PROBE_JS = r"""
if (!window.__gb) {
  const IGNORE = '[data-testid="run-clock"]';
  const gb = {rec: null};
  const currentItem = () =>
    document.querySelector('[data-testid="item"][aria-current="step"]') ||
    document.querySelector('[data-testid="item"].current');
  const scroller = (el) => {
    for (let e = el && el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (/(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight) return e;
    }
    return document.scrollingElement;
  };
  const inView = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const box = scroller(el).getBoundingClientRect();
    return r.bottom > Math.max(box.top, 0) && r.top < Math.min(box.bottom, innerHeight);
  };
  gb.current = () => {
    const el = currentItem();
    return el ? {id: el.dataset.itemId, state: el.dataset.state || null} : null;
  };
  gb.checks = {
    stateIs: (id, state) => {
      const el = document.querySelector(`[data-testid="item"][data-item-id="${CSS.escape(id)}"]`);
      return !!el && el.dataset.state === state;
    },
    currentChanged: (from) => { const c = gb.current(); return !!c && c.id !== from; },
    jumped: (from) => { const el = currentItem(); return !!el && el.dataset.itemId !== from && inView(el); },
    itemsShown: () => !!document.querySelector('[data-testid="item"]'),
    runsShown: () => !!document.querySelector('[data-testid="run-row"]') &&
      !document.querySelector('[data-testid="run-view"]'),
  };
  const relevant = (mutations) => mutations.some((m) => {
    const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    return !(el && el.closest(IGNORE));
  });
  gb.arm = (eventType, checkName, args) => {
    gb.cancel();
    const check = () => gb.checks[checkName](...args);
    const errorBefore = !!document.querySelector('[data-testid="error-banner"]');
    const rec = {t0: null, firstDom: null, dom: null, screen: null, error: null, done: false, waiters: []};
    gb.rec = rec;
    const settle = () => {
      if (rec.dom !== null) return;
      rec.dom = performance.now();
      rec.cleanup();
      requestAnimationFrame(() => requestAnimationFrame(() => {
        rec.screen = performance.now();
        rec.done = true;
        rec.waiters.forEach((w) => w());
      }));
    };
    const onMutations = (mutations) => {
      if (rec.dom !== null || !relevant(mutations)) return;
      if (rec.firstDom === null) rec.firstDom = performance.now();
      const banner = document.querySelector('[data-testid="error-banner"]');
      if (!errorBefore && banner) rec.error = banner.textContent.trim().slice(0, 160);
      if (rec.error || check()) settle();
    };
    const onScroll = () => { if (rec.dom === null && check()) settle(); };
    const observer = new MutationObserver(onMutations);
    const onEvent = () => {
      if (rec.t0 !== null) return;
      rec.t0 = performance.now();
      window.removeEventListener(eventType, onEvent, true);
      observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
      window.addEventListener('scroll', onScroll, true);
    };
    rec.cleanup = () => {
      observer.disconnect();
      window.removeEventListener(eventType, onEvent, true);
      window.removeEventListener('scroll', onScroll, true);
    };
    window.addEventListener(eventType, onEvent, true);
    return gb.current();
  };
  gb.cancel = () => { if (gb.rec && !gb.rec.done) gb.rec.cleanup(); };
  gb.wait = (limitMs, done) => {
    const rec = gb.rec;
    const answer = () => done({t0: rec.t0, firstDom: rec.firstDom, dom: rec.dom, screen: rec.screen,
                               error: rec.error, done: rec.done});
    if (rec.done) return answer();
    const timer = setTimeout(() => { rec.cleanup(); answer(); }, limitMs);
    rec.waiters.push(() => { clearTimeout(timer); answer(); });
  };
  gb.scroller = () => scroller(document.querySelector('[data-testid="item"]'));
  window.__gb = gb;
}
"""

# Scrolls the item list's scroll container by one screen per animation frame and returns the
# frames' timestamps (a frame's duration is the gap between two callbacks).
SCROLL_JS = r"""
const [steps, done] = arguments;
const el = window.__gb.scroller();
el.scrollTop = 0;
requestAnimationFrame(() => requestAnimationFrame(() => {
  const stamps = [];
  let moved = 0;
  requestAnimationFrame(function step(ts) {
    stamps.push(ts);
    if (stamps.length > steps || el.scrollTop + el.clientHeight >= el.scrollHeight - 1) {
      done({stamps, moved, height: el.clientHeight, scrollHeight: el.scrollHeight,
            container: el.className || el.tagName});
      return;
    }
    el.scrollTop += el.clientHeight;
    moved++;
    requestAnimationFrame(step);
  });
}));
"""

WAIT_JS = "window.__gb.wait(arguments[0], arguments[arguments.length - 1]);"


# ---------------------------------------------------------------------------------------------
# Data: templates and 50 runs, through the CLI


def cli(*args):
    """Runs the app's CLI on the bench's data folder and returns its standard output."""
    return subprocess.run([APP, *args], capture_output=True, text=True, check=True).stdout


def synthetic_template(items, folder):
    """Writes a Markdown checklist of `items` items (100 per `##` section, every 20th a write-in
    with a blank) and returns its path."""
    lines = [f"# Synthetic {items:,}-item release", "", "**Release:** ____", ""]
    for n in range(items):
        section, index = divmod(n, 100)
        if index == 0:
            lines += ["", f"## Section {section + 1}: service group {section + 1}", ""]
        if index % 20 == 7:
            lines.append(f"- [ ] Response time P95 for service {section + 1}.{index + 1}: ____ ms")
        else:
            lines.append(f"- [ ] Check {section + 1}.{index + 1}: service {section + 1}-{index + 1} is healthy")
    path = os.path.join(folder, f"synthetic-{items}.md")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def import_template(path):
    """Imports a template file; returns (template id, item count as the CLI reported it)."""
    answer = cli("template", "import", path).strip()
    count = re.search(r"\((\d+) items\)", answer)
    return answer.split("\t")[0], int(count.group(1)) if count else "?"


def start_run(template_id, release):
    """Starts a run of a template; returns its id."""
    return cli("run", "start", "--template", template_id, "--release", release, "--release-version", "1",
               "--env", "staging").strip()


def largest_seed():
    """The seed the issue measured (002), or the largest bundled checklist when it is absent."""
    if os.path.exists(SEED):
        return SEED, None
    folder = os.path.join(ROOT, "checklists")
    fallback = max((os.path.join(folder, f) for f in os.listdir(folder)), key=os.path.getsize)
    return fallback, f"seed not found at {SEED}: using the largest bundled checklist {fallback}"


def prepare_data(folder):
    """Identity, templates and 50 runs; returns the seed run, the big run (or None) and notes."""
    notes = []
    cli("identity", "set", "--name", "Bench Release", "--email", "bench@example.com", "--role", "Release manager")
    seed, reason = largest_seed()
    if reason:
        notes.append(reason)
    seed_template, seed_items = import_template(seed)
    fillers = [import_template(os.path.join(ROOT, "checklists", f))[0] for f in sorted(os.listdir(
        os.path.join(ROOT, "checklists")))] + [seed_template]
    big = None
    if BIG_ITEMS > 0:
        big_template, big_items = import_template(synthetic_template(BIG_ITEMS, folder))
        big = {"name": f"generated {BIG_ITEMS:,} items", "items": big_items,
               "run": start_run(big_template, "bench-big")}
    name = "seed 002" if seed == SEED else os.path.basename(seed)
    seed_run = {"name": name, "items": seed_items, "run": start_run(seed_template, "bench-seed")}
    for n in range(RUNS_IN_DATABASE - 1 - (big is not None)):
        start_run(fillers[n % len(fillers)], f"filler-{n:02d}")
    runs = len([line for line in cli("run", "list").splitlines() if line.strip()])
    notes.append(f"{runs} lines in `greenlight run list`")
    return seed_run, big, notes


# ---------------------------------------------------------------------------------------------
# Processes: PSS and CPU of the app and its WebKit children


def our_app_pid():
    """The app process started for this bench (its binary and our GREENLIGHT_HOME)."""
    target = os.path.realpath(APP)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.path.realpath(f"/proc/{pid}/exe") != target:
                continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:
            continue
        if f"GREENLIGHT_HOME={HOME}".encode() in environ:
            return int(pid)
    raise RuntimeError("app process not found")


def app_environ(pid, names):
    """The values of some environment variables as the app process sees them."""
    with open(f"/proc/{pid}/environ", "rb") as f:
        pairs = dict(entry.split(b"=", 1) for entry in f.read().split(b"\0") if b"=" in entry)
    return {name: pairs.get(name.encode(), b"(unset)").decode() for name in names}


def process_tree(root):
    """{pid: name} of `root` and every process below it."""
    children, names = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        names[int(pid)] = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(pid))
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        tree[pid] = names.get(pid, "?")
        todo += children.get(pid, [])
    return tree


def pss_mib(root):
    """PSS in MiB of the app process and of everything below it (WebKit), from smaps_rollup."""
    app = webkit = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                kib = next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
        if pid == root:
            app += kib
        else:
            webkit += kib
    return app / 1024, webkit / 1024


def cpu_ticks(pids):
    """utime + stime of the given processes, in clock ticks."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total


def idle_cpu_percent(root, seconds=10):
    """CPU used by the app and its WebKit processes over `seconds` of doing nothing, in % of one core."""
    pids = list(process_tree(root))
    before, started = cpu_ticks(pids), time.monotonic()
    time.sleep(seconds)
    used = cpu_ticks(pids) - before
    return 100.0 * used / os.sysconf("SC_CLK_TCK") / (time.monotonic() - started)


# ---------------------------------------------------------------------------------------------
# The window


def session():
    """Starts the app through tauri-driver and waits for the Runs list."""
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": APP})
    port = os.environ.get("GREENLIGHT_E2E_PORT", "4444")
    driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
    driver.set_script_timeout(SLOW + 60)
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="run-row"]'))
    return driver


def probe(driver):
    """Installs the in-page probe (once per page) and returns nothing."""
    driver.execute_script(PROBE_JS)


def measured(driver, event, check, args, act, limit_s):
    """Arms the probe for the next `event`, runs `act` (which sends it) and returns the record:
    ms from the event to the expected DOM change and to the screen, or a timeout / error."""
    probe(driver)
    driver.execute_script("window.__gb.arm(arguments[0], arguments[1], arguments[2]);", event, check, args)
    act()
    rec = driver.execute_async_script(WAIT_JS, int(limit_s * 1000))
    if rec["t0"] is None:
        return {"timeout": True, "error": "the event never arrived"}
    result = {"timeout": not rec["done"], "error": rec["error"]}
    if rec["done"]:
        result["dom"] = rec["dom"] - rec["t0"]
        result["screen"] = rec["screen"] - rec["t0"]
    return result


def current_item(driver):
    """{id, state} of the current item, or None."""
    probe(driver)
    return driver.execute_script("return window.__gb.current();")


def press(driver, key, limit_s):
    """Presses one walkthrough key and measures it; marks wait for the item's new state, moves for a
    new current item. Returns the record with the key and kind, or None when nothing is current."""
    current = current_item(driver)
    if current is None:
        return None
    states = {"p": "pass", "s": "skipped", "n": "not_applicable"}
    if key in states and current["state"] == states[key]:
        key = "s" if key != "s" else "p"  # the item already has that state: pick one that changes it
    if key in states:
        check, args, kind = "stateIs", [current["id"], states[key]], "mark"
    else:
        check, args, kind = "currentChanged", [current["id"]], "move"
    record = measured(driver, "keydown", check, args, lambda: ActionChains(driver).send_keys(key).perform(), limit_s)
    record.update(key=key, kind=kind)
    time.sleep(0.05)
    return record


def walk(driver, keys, limit_s, budget_s):
    """Presses `keys` one after another (each measured) until done or the time budget is spent."""
    records, started = [], time.monotonic()
    for key in keys:
        if time.monotonic() - started > budget_s:
            break
        record = press(driver, key, limit_s)
        if record is not None:
            records.append(record)
    return records


def pattern(actions):
    """A walk of marks and moves that changes something on every key: p j s k n j, repeated."""
    cycle = "pjsknj"
    return [cycle[i % len(cycle)] for i in range(actions)]


def dismiss_error(driver):
    """Closes the error banner if a refused action left one (so the next refusal is seen)."""
    for button in driver.find_elements(By.CSS_SELECTOR, '[data-testid="error-banner"] button'):
        button.click()


def open_run(driver, run_id, limit_s):
    """Clicks the run's row in the Runs list; measured until the first item is in the DOM + 2 frames."""
    row = WebDriverWait(driver, limit_s).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f'[data-testid="run-row"][data-run-id="{run_id}"]'))
    record = measured(driver, "click", "itemsShown", [], row.click, limit_s)
    WebDriverWait(driver, limit_s).until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="run-view"]'))
    return record


def leave_run(driver, limit_s):
    """Clicks "Runs" in the sidebar; measured until the Runs list replaced the run + 2 frames."""
    button = driver.find_element(By.CSS_SELECTOR, '[data-testid="nav-runs"]')
    return measured(driver, "click", "runsShown", [], button.click, limit_s)


def jumps(driver, count, limit_s, budget_s):
    """Clicks outline entries far apart (the last one first); measured until a new current item is
    in view + 2 frames. Only entries of sections with items (they show a done/total count) that are
    not the current section (class `active`) are clicked: the others change no current item."""
    records, started = [], time.monotonic()
    fractions = [1.0, 0.5, 0.25, 0.75, 0.1, 0.9, 0.6, 0.35][:count]
    for fraction in fractions:
        if time.monotonic() - started > budget_s:
            break
        entries = outline_entries(driver)
        if not entries:
            return records
        entry = entries[min(len(entries) - 1, int(fraction * (len(entries) - 1)))]
        if "active" in (entry.get_attribute("class") or ""):
            continue
        current = current_item(driver)
        record = measured(driver, "click", "jumped", [current["id"] if current else ""], entry.click, limit_s)
        record["kind"] = "jump"
        records.append(record)
        time.sleep(0.1)
    return records


def outline_entries(driver):
    """The outline's entries of sections that hold items (they show a done/total count)."""
    return [e for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="outline-section"]')
            if e.find_elements(By.CSS_SELECTOR, ".count")]


def jump_to_last_section(driver, limit_s):
    """Clicks the last outline entry with items (measured, like any jump) to bring the walk near the end."""
    entries = outline_entries(driver)
    current = current_item(driver)
    record = measured(driver, "click", "jumped", [current["id"] if current else ""], entries[-1].click, limit_s)
    record["kind"] = "jump"
    return record


def scroll_frames(driver, steps):
    """Scrolls the list one screen per frame; returns frame durations (ms) and what was scrolled."""
    answer = driver.execute_async_script(SCROLL_JS, steps)
    stamps = answer["stamps"]
    answer["frames"] = [b - a for a, b in zip(stamps, stamps[1:])]
    return answer


def dom_nodes(driver):
    """Elements in the document."""
    return driver.execute_script("return document.getElementsByTagName('*').length;")


def settle(seconds=2.0):
    """Lets the window finish what a step started (background checks, late paints)."""
    time.sleep(seconds)


# ---------------------------------------------------------------------------------------------
# One checklist, measured


def bench_run(driver, app_pid, run, big):
    """Everything measured on one run: open/leave, memory, idle CPU, walk at the start and near the
    end, jumps, scroll. `big` caps the walk and raises timeouts for the 10,000-item run."""
    limit = SLOW if big else 30
    result = {"name": run["name"], "items": run["items"], "opens": [], "leaves": []}
    cycles = 1 if big else 3
    for cycle in range(cycles):
        result["opens"].append(open_run(driver, run["run"], limit))
        if cycle < cycles - 1:
            settle(1)
            result["leaves"].append(leave_run(driver, limit))
            settle(1)
    settle(10 if big else 3)  # let the open finish its late work (background log check, paints)
    result["nodes"] = dom_nodes(driver)
    result["pss_open"] = pss_mib(app_pid)
    result["idle_cpu"] = idle_cpu_percent(app_pid)
    budget = 60 if big else 600
    start_keys = pattern(18 if big else 42)
    result["walk_start"] = walk(driver, start_keys, limit, budget)
    dismiss_error(driver)
    result["jumps"] = jumps(driver, 3 if big else 8, limit, 90 if big else 300)
    result["jumps"].append(jump_to_last_section(driver, limit))
    back = ["k"] * (6 if big else 20)
    result["walk_end"] = walk(driver, back + pattern(12 if big else 30), limit, budget)
    dismiss_error(driver)
    settle(1)
    result["scroll"] = scroll_frames(driver, 60)
    settle(1)
    result["leaves"].append(leave_run(driver, limit))
    settle(5)
    result["pss_left"] = pss_mib(app_pid)
    return result


# ---------------------------------------------------------------------------------------------
# Tables


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(value):
    """A duration for a table: no decimals from 10 ms on."""
    return "—" if value is None else (f"{value:,.0f}" if value >= 10 else f"{value:.1f}")


def latency_row(label, records):
    """One table row: n, DOM and screen p50/p95/p99, max, timeouts and refusals."""
    ok = [r for r in records if not r.get("timeout") and not r.get("error")]
    timeouts = sum(1 for r in records if r.get("timeout"))
    errors = sum(1 for r in records if r.get("error") and not r.get("timeout"))
    if not ok:
        return f"| {label} | 0 | — | — | — | — | — | — | — | {timeouts} / {errors} |"
    dom = [r["dom"] for r in ok]
    screen = [r["screen"] for r in ok]
    cells = [ms(percentile(dom, p)) for p in (50, 95, 99)] + [ms(percentile(screen, p)) for p in (50, 95, 99)]
    return f"| {label} | {len(ok)} | {' | '.join(cells)} | {ms(max(screen))} | {timeouts} / {errors} |"


def print_latency(results):
    """Input → screen table of every run: marks and moves, near the start and near the end."""
    print(f"\n#### Input → screen, ms ({LABEL})\n")
    print("| run · action | n | DOM p50 | DOM p95 | DOM p99 | screen p50 | screen p95 | screen p99 | screen max"
          " | timeouts / refused |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        everything = r["walk_start"] + r["walk_end"]
        print(latency_row(f"{r['name']} · all keys", everything))
        for where, records in (("near the start", r["walk_start"]), ("near the end", r["walk_end"])):
            for kind, what in (("mark", "mark p/s/n"), ("move", "move j/k")):
                print(latency_row(f"{r['name']} · {what} {where}", [x for x in records if x.get("kind") == kind]))
        print(latency_row(f"{r['name']} · jump to a section (outline click)", r["jumps"]))
        print(latency_row(f"{r['name']} · open the run (row click → first item)", r["opens"]))
        print(latency_row(f"{r['name']} · leave the run (Runs → Runs list)", r["leaves"]))


def print_scroll(results):
    """Scroll frame-time table."""
    print(f"\n#### Scrolling one screen per frame ({LABEL})\n")
    print("| run | steps scrolled | screen px | frames | p50 ms | p95 ms | max ms | frames > 50 ms | total s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s = r["scroll"]
        frames = s["frames"]
        if not frames:
            print(f"| {r['name']} | 0 | {s['height']} | 0 | — | — | — | — | — |")
            continue
        over = sum(1 for f in frames if f > 50)
        print(f"| {r['name']} | {s['moved']} | {s['height']} | {len(frames)} | {ms(statistics.median(frames))} | "
              f"{ms(percentile(frames, 95))} | {ms(max(frames))} | {over} | {sum(frames) / 1000:.1f} |")


def print_resources(results, baseline, app_env):
    """Memory and idle CPU table."""
    print(f"\n#### Memory (PSS, MiB: app + WebKit) and idle CPU ({LABEL})\n")
    print("| state | app | WebKit | total | DOM elements | idle CPU, % of a core (10 s) |")
    print("|---|---|---|---|---|---|")
    print(f"| Runs list, before any run was opened | {baseline[0]:.0f} | {baseline[1]:.0f} | {sum(baseline):.0f} | — | — |")
    for r in results:
        a, w = r["pss_open"]
        print(f"| {r['name']} open | {a:.0f} | {w:.0f} | {a + w:.0f} | {r['nodes']:,} | {r['idle_cpu']:.1f} |")
        a, w = r["pss_left"]
        print(f"| after leaving {r['name']} (+5 s) | {a:.0f} | {w:.0f} | {a + w:.0f} | — | — |")
    print("\nApp environment: " + ", ".join(f"`{k}={v}`" for k, v in app_env.items()))


def print_details(results):
    """Timeouts and refusals, so a gap in a table can be explained."""
    for r in results:
        for group in ("opens", "leaves", "jumps", "walk_start", "walk_end"):
            for x in r[group]:
                if x.get("timeout") or x.get("error"):
                    what = "timeout" if x.get("timeout") else "refused"
                    print(f"- {r['name']} {group} {x.get('key', '')}: {what} {x.get('error') or ''}".rstrip())


def main():
    """Prepares the data, starts the window and prints the tables."""
    folder = tempfile.mkdtemp(prefix="bench-window-")
    seed_run, big_run, notes = prepare_data(folder)
    driver = session()
    try:
        app_pid = our_app_pid()
        extra = [pair.split("=", 1)[0] for pair in os.environ.get("GREENLIGHT_BENCH_ENV", "").split() if "=" in pair]
        app_env = app_environ(app_pid, ["WEBKIT_DISABLE_COMPOSITING_MODE", "GREENLIGHT_RENDERING", *extra])
        settle(3)
        baseline = pss_mib(app_pid)
        results = [bench_run(driver, app_pid, seed_run, big=False)]
        if big_run:
            results.append(bench_run(driver, app_pid, big_run, big=True))
        else:
            notes.append("generated run skipped (BENCH_WINDOW_ITEMS=0)")
    finally:
        driver.quit()
    print(f"\n### Window: {LABEL}\n")
    print(f"Machine: {MACHINE}. {RUNS_IN_DATABASE} runs in the database; "
          + ", ".join(f"{r['name']}: {r['items']:,} items" for r in [seed_run] + ([big_run] if big_run else []))
          + ". " + "; ".join(notes) + ".")
    print_latency(results)
    print_scroll(results)
    print_resources(results, baseline, app_env)
    print_details(results)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
