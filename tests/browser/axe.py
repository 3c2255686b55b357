"""Where the browser tests put screenshots and axe-core reports, and the run's axe summary.

The summary is rebuilt from the per-page reports on disk (artifacts/axe-<page>-<lang>.json),
not from memory: with the suite split over pytest-xdist workers, each worker checks some pages
and only the files see them all. The process that starts the run clears old reports first.
"""

import json
import os
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# tools/run_tests.py gives each database's run its own folder, so parallel runs never
# overwrite each other's screenshots.
ARTIFACTS = Path(os.environ.get("YUYUE_ARTIFACTS") or ROOT / "artifacts")
IMPACTS = ("critical", "serious", "moderate", "minor")
SUMMARY = "axe-summary.json"


def page_reports() -> list[dict]:
    if not ARTIFACTS.is_dir():
        return []
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(ARTIFACTS.glob("axe-*.json"))
        if path.name != SUMMARY
    ]


def clear_page_reports() -> None:
    if ARTIFACTS.is_dir():
        for path in ARTIFACTS.glob("axe-*.json"):
            path.unlink(missing_ok=True)


def axe_summary() -> dict:
    reports = page_reports()
    by_impact: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for report in reports:
        for violation in report["violations"]:
            by_impact[violation["impact"]] += 1
            rules[f"{violation['id']} ({violation['impact']})"] += 1
    return {
        "pages_checked": len(reports),
        "pages": sorted(f"{report['page']}-{report['language']}" for report in reports),
        "violations_by_impact": {impact: by_impact.get(impact, 0) for impact in IMPACTS},
        "rules": dict(rules.most_common()),
    }


def write_axe_summary() -> dict | None:
    summary = axe_summary()
    if not summary["pages_checked"]:
        return None
    (ARTIFACTS / SUMMARY).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return summary
