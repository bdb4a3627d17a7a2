"""Fail unless both estimator-check suites ran every check they generate.

Reads the JUnit XML that ``.ci/run`` asks pytest for and compares, for
scikit-learn's and imbalanced-learn's suites in ``tests/test_common.py``, the
checks that ran (passed, skipped by the check itself, or expected to fail)
with the number the installed library generates for ``GANSampler``. A suite
that collects nothing (as when a pytest release refused imbalanced-learn's
generator at collection) or loses checks turns CI red.

Usage: ``python .ci/count_checks.py JUNIT_XML``
"""

import sys
import xml.etree.ElementTree as ET

from imblearn.utils.estimator_checks import (
    estimator_checks_generator as imblearn_checks,
)
from sklearn.utils.estimator_checks import (
    estimator_checks_generator as sklearn_checks,
)

from skgan import GANSampler

SUITES = {
    "scikit-learn": ("test_sklearn_compatible", sklearn_checks),
    "imbalanced-learn": ("test_imblearn_compatible", imblearn_checks),
}


def _outcomes(junit_path, test_name):
    """Outcome of each test case of ``test_common.py::test_name``."""
    outcomes = []
    for case in ET.parse(junit_path).getroot().iter("testcase"):
        if not case.get("classname", "").endswith("test_common"):
            continue
        if case.get("name", "").split("[")[0] != test_name:
            continue
        tags = {child.tag for child in case}
        if tags & {"failure", "error"}:
            outcomes.append("failed")
        elif "skipped" in tags:
            outcomes.append("skipped")
        else:
            outcomes.append("passed")
    return outcomes


def main(junit_path):
    ok = True
    for suite, (test_name, generate) in SUITES.items():
        expected = sum(1 for _ in generate(GANSampler(), expected_failed_checks={}))
        outcomes = _outcomes(junit_path, test_name)
        passed, skipped = outcomes.count("passed"), outcomes.count("skipped")
        line = (
            f"{suite} estimator checks: {len(outcomes)} of {expected} ran "
            f"({passed} passed, {skipped} skipped)"
        )
        if expected == 0 or len(outcomes) < expected or passed == 0:
            line += "  <-- FEWER THAN THE SUITE GENERATES"
            ok = False
        print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
