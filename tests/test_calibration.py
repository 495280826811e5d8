"""The reliability table counts claims and precision per confidence bin and per evidence kind."""
from bench.calibration import Scored, reliability_table, suggested_confidence


def test_reliability_table_bins_and_kinds():
    scored = [Scored(0.93, "agent", True), Scored(0.93, "agent", False), Scored(0.73, "none", True)]
    table = reliability_table(scored)
    assert "| 0.9–1.0 | 2 | 0.50 |" in table and "| 0.7–0.8 | 1 | 1.00 |" in table
    assert "| agent | 2 | 0.50 |" in table


def test_a_rare_kind_is_shrunk_toward_even_odds():
    scored = [Scored(0.6, "accusation", True)] + [Scored(0.9, "agent", True)] * 96
    suggested = suggested_confidence(scored, prior_weight=4)
    assert suggested["accusation"] == 0.6 and suggested["agent"] == 0.98
