"""Small claim frames for tests, demos and benchmarks (real Tripoli-front places, synthetic claims)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.schema import CLAIM_COLUMNS, CLAIM_TYPES, normalize_claims

PLACES: dict[str, tuple[str, str, float, float]] = {
    "ain_zara": ("Ain Zara", "عين زارة", 32.8133, 13.2697),
    "tripoli_airport": ("Tripoli International Airport", "مطار طرابلس العالمي", 32.6635, 13.159),
    "wadi_rabie": ("Wadi al-Rabie", "وادي الربيع", 32.7299, 13.3109),
    "tripoli": ("Tripoli", "طرابلس", 32.8872, 13.1913),
    "khallat_bu_oun": ("Khallat Bu Oun", "خلة بوعون", 32.745, 13.21),
    "al_nahr": ("al-Nahr", "النهر", 32.76, 13.18),
}


def make_claim(claim_id: str, place_id: str, side: str | None, claim: str, date: str | None, **extra) -> dict:
    """One claim row at a known place with sensible defaults for the other columns."""
    name, name_ar, lat, lon = PLACES[place_id]
    row = {
        "claim_id": claim_id, "article_id": extra.pop("article_id", "art1"), "place_id": place_id,
        "place": name, "place_ar": name_ar, "lat": lat, "lon": lon, "side": side, "claim": claim,
        "claimed_by": extra.pop("claimed_by", side), "date": pd.Timestamp(date) if date else pd.NaT,
        "date_precision": "day" if date else None, "geo_precision": 2, "evidence": f"{name}: {claim}",
        "confidence": 0.8, "title": "Clashes south of Tripoli", "source": "alhurra",
        "url": "https://www.alhurra.com/libya/2020/06/03/example", "published": pd.Timestamp("2020-06-04"),
    }
    row.update(extra)
    return row


def seed_like_claims() -> pd.DataFrame:
    """Claims like those the pipeline draws from the seed articles (battle for Tripoli, 2020-06-03)."""
    rows = [
        make_claim("c1", "ain_zara", "LNA", "repelled", "2020-06-03",
                   evidence="أعلنت شعبة الإعلام الحربي أن قواته نجحت في صد هجوم قوات الوفاق "
                            "في محاور طرابلس عين زارة"),
        make_claim("c2", "tripoli_airport", "LNA", "repelled", "2020-06-03", confidence=0.7),
        make_claim("c3", "wadi_rabie", "LNA", "repelled", "2020-06-03"),
        make_claim("c4", "tripoli_airport", "GNA", "control", "2020-06-03", confidence=0.9,
                   evidence="أعلن محمد قنونو السيطرة على مطار طرابلس العالمي جنوبي العاصمة الليبية"),
        make_claim("c5", "khallat_bu_oun", None, "clash", "2020-06-03", claimed_by="GNA"),
        make_claim("c6", "al_nahr", None, "clash", "2020-06-03", claimed_by="GNA"),
        make_claim("c7", "tripoli", "LNA", "attack", None, article_id="art0", claimed_by=None, confidence=0.5,
                   published=pd.Timestamp("2020-03-20")),
    ]
    return normalize_claims(pd.DataFrame(rows, columns=list(CLAIM_COLUMNS)))


def synthetic_claims(n: int, seed: int = 0, n_places: int = 300) -> pd.DataFrame:
    """n random claims over n_places places around Tripoli between April 2019 and June 2020."""
    rng = np.random.default_rng(seed)
    place_idx = rng.integers(0, n_places, n)
    plat = 32.5 + rng.random(n_places) * 0.5
    plon = 12.9 + rng.random(n_places) * 0.6
    sides = np.array(["GNA", "LNA", None], dtype=object)[rng.choice(3, n, p=[0.45, 0.45, 0.10])]
    days = rng.integers(0, 430, n)
    df = pd.DataFrame({
        "claim_id": [f"s{i}" for i in range(n)],
        "article_id": [f"a{i // 4}" for i in range(n)],
        "place_id": [f"p{i}" for i in place_idx],
        "place": [f"Place {i}" for i in place_idx],
        "place_ar": [f"مكان {i}" for i in place_idx],
        "lat": plat[place_idx], "lon": plon[place_idx],
        "side": sides,
        "claim": np.array(CLAIM_TYPES, dtype=object)[rng.integers(0, len(CLAIM_TYPES), n)],
        "claimed_by": sides,
        "date": pd.Timestamp("2019-04-04") + pd.to_timedelta(days, unit="D"),
        "date_precision": "day", "geo_precision": 2,
        "evidence": "قالت شعبة الإعلام الحربي إن القوات صدت هجوما",
        "confidence": rng.random(n).round(2),
        "title": "Synthetic report", "source": "synthetic", "url": "",
        "published": pd.Timestamp("2019-04-04") + pd.to_timedelta(days + 1, unit="D"),
    })
    return normalize_claims(df)
