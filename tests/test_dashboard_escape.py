"""The one escaping function and the URL check used for every popup, tooltip and table value."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.escape import esc, safe_url


@pytest.mark.parametrize("payload", [
    "<img src=x onerror=alert(1)>", "${alert(1)}", "`alert(1)`", "</script><script>alert(1)</script>",
    "\\u003c", "\" onmouseover=\"alert(1)", "' onload='x'",
])
def test_esc_leaves_no_active_characters(payload: str) -> None:
    out = esc(payload)
    for ch in "<>\"'`$\\{}":
        assert ch not in out


def test_esc_known_forms() -> None:
    assert esc("<b>&") == "&lt;b&gt;&amp;"
    assert esc("`${x}`") == "&#x60;&#x24;&#x7B;x&#x7D;&#x60;"
    assert esc("a\\b") == "a&#x5C;b"
    assert esc("عين زارة") == "عين زارة"


def test_esc_missing_values() -> None:
    assert esc(None) == "" and esc(math.nan) == "" and esc("NaT") == ""
    assert esc(0.5) == "0.5"


@given(st.text())
def test_esc_never_emits_dangerous_characters(text: str) -> None:
    out = esc(text)
    assert not set(out) & set("<>\"'`$\\{}\n")


@pytest.mark.parametrize("url,ok", [
    ("https://www.alhurra.com/a", True), ("http://example.org/x?y=1", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("data:text/html,<b>", False),
    ("//evil.example/x", False), ("", False), (None, False), ("https://", False), ("https://a b", False),
])
def test_safe_url(url: object, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_bidi_overrides_are_dropped_and_long_text_is_clipped():
    from dashboard.escape import clip

    assert esc("abc\u202edcba\u2066x\u2069") == "abcdcbax"
    assert clip("ترهونة" * 100, 10) == ("ترهونة" * 100)[:10] + "…"
    assert clip(None, 5) == ""
