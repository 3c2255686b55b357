"""The package declares its licence in the SPDX form (PEP 639), with a setuptools that reads
it, so installs do not warn "project.license as a TOML table is deprecated"."""

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_license_is_an_spdx_expression_and_setuptools_is_new_enough():
    data = tomllib.loads(PYPROJECT.read_text())

    assert data["project"]["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in data["project"].get("classifiers", []))
    (requirement,) = [r for r in data["build-system"]["requires"] if r.startswith("setuptools")]
    floor = tuple(int(part) for part in re.search(r">=\s*([\d.]+)", requirement)[1].split("."))
    # setuptools 77.0 reads PEP 639 license expressions (77.0.3 fixes its first bugs).
    assert floor >= (77, 0, 3)
