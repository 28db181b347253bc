"""Runs the end-to-end suite: walkthrough.py and every *_e2e.py module beside it (or the tests
named on the command line, e.g. `Walkthrough.test_x` or `preflight_e2e`). Exits 0 only when at
least one test ran and none failed.

Run through tests/e2e/run.sh, which starts Xvfb, a D-Bus session and tauri-driver.
"""

import glob
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def modules():
    """The test modules in a fixed order: the walkthrough first, then the others by name."""
    others = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "*_e2e.py")))
    return ["walkthrough", *others]


def load(names):
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for name in names:
        if "." in name and not name.split(".")[0].endswith("_e2e") and name.split(".")[0] != "walkthrough":
            name = f"walkthrough.{name}"  # `Walkthrough.test_x`, as run.sh has always accepted
        suite.addTests(loader.loadTestsFromName(name))
    return suite


def main(names=None):
    sys.path.insert(0, HERE)
    names = names or sys.argv[1:] or modules()
    result = unittest.TextTestRunner(verbosity=2).run(load(names))
    ran, failed = result.testsRun, len(result.failures) + len(result.errors)
    print(f"{ran - failed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and ran > 0 else 1)


if __name__ == "__main__":
    main()
