"""Only app.py talks to Streamlit; dashboard/ stays importable and testable without it."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_dashboard_package_does_not_import_streamlit() -> None:
    for path in (ROOT / "dashboard").rglob("*.py"):
        assert not imported_modules(path) & {"streamlit", "streamlit_folium"}, path


def test_app_imports_streamlit_and_never_allows_unsafe_html() -> None:
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "streamlit" in imported_modules(ROOT / "app.py")
    assert "unsafe_allow_html" not in source
