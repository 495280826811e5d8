"""Data files load from the installed package (importlib.resources), and the wheel ships every one of them."""
import fnmatch
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "gazetteer", "dashboard")


def data_files() -> list[tuple[str, str]]:
    """(package, path inside it) of every committed data file."""
    return [(pkg, p.relative_to(ROOT / pkg).as_posix())
            for pkg in PACKAGES for p in sorted((ROOT / pkg / "data").rglob("*")) if p.is_file()]


def test_pyproject_package_data_covers_every_data_file():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]
    missing = [f"{pkg}/{rel}" for pkg, rel in data_files()
               if not any(fnmatch.fnmatch(rel, pat) and rel.count("/") == pat.count("/") for pat in patterns[pkg])]
    assert not missing


@pytest.mark.parametrize(("package", "relative"), data_files())
def test_each_data_file_reads_through_the_package_api(package, relative):
    resource = files(package).joinpath(*relative.split("/"))
    assert resource.is_file() and resource.read_bytes() == (ROOT / package / relative).read_bytes()


def test_the_loaders_read_from_the_package_not_a_path_next_to_the_source():
    from dashboard import areas, i18n, mapview
    from gazetteer import records
    from pipeline import dates, lexicon

    loaded_from = {lexicon.DATA: ("pipeline", "data"), dates.DATA: ("pipeline", "data", "dates.json"),
                   records.DATA_DIR: ("gazetteer", "data"), mapview.DATA_DIR: ("dashboard", "data"),
                   i18n.STRINGS_FILE: ("dashboard", "data", "ui_strings.json"),
                   areas.OUTLINE_FILE: ("dashboard", "data", "libya_outline.geojson")}
    for resource, (package, *parts) in loaded_from.items():
        assert resource == files(package).joinpath(*parts)
    assert len(records.load_places(records.PLACES_FILE)) == len(records.default_places()) > 1000
    assert "الوفاق" in (lexicon.DATA / "actors.json").read_text(encoding="utf-8")
