"""axe-core in the page under test: every browser test calls assert_accessible on each page."""

from pytest_playwright_axe import Axe
from pytest_playwright_axe.axe import WCAG_22AA_RULESET

_axe = Axe()


def assert_accessible(page):
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_22AA_RULESET}},
        html_report_generated=False,
        json_report_generated=False,
    )
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
    ]
    assert not problems, f"axe found problems on {page.url}:\n" + "\n".join(problems)
