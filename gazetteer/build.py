"""Build Mihwar's Libya gazetteer (gazetteer/data/places.jsonl) from open data plus curated rows.

Usage: ``python -m gazetteer.build SOURCES_DIR [-o gazetteer/data/places.jsonl]``

SOURCES_DIR holds the open-data extracts described in its SOURCES.md (GeoNames cities500 and admin1,
Who's On First places and admin1 polygons, two OpenStreetMap node extracts, airportsdata).  The curated
front-line rows (``curated.tsv``) and the list of ambiguous words (``ambiguous_words.txt``) live next to
the output in ``gazetteer/data``.  The build is deterministic: same inputs, same bytes out.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wordfreq import zipf_frequency

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_OUT = DATA_DIR / "places.jsonl"

# Source rank: lower wins the point, the id and (mostly) the names.
RANK = {"curated": 0, "gn": 1, "wof": 2, "icao": 3, "osm19": 4, "osm25": 5}

KINDS = (
    "city", "town", "village", "suburb", "neighbourhood", "hamlet", "locality",
    "airport", "air_base", "military_camp", "port", "front", "road", "bridge", "region",
)
SETTLEMENT = {"city", "town", "village", "suburb", "neighbourhood", "hamlet", "locality"}
AVIATION = {"airport", "air_base"}
OSM_PLACE_KIND = {
    "city": "city", "town": "town", "village": "village", "suburb": "suburb", "district": "suburb",
    "neighbourhood": "neighbourhood", "quarter": "neighbourhood", "hamlet": "hamlet",
    "isolated_dwelling": "hamlet", "locality": "locality",
}
KIND_BASE_IMPORTANCE = {
    "city": 0.6, "town": 0.4, "village": 0.25, "suburb": 0.3, "neighbourhood": 0.2, "hamlet": 0.1,
    "locality": 0.1, "airport": 0.6, "air_base": 0.6, "military_camp": 0.4, "front": 0.6, "road": 0.3,
    "bridge": 0.3, "region": 0.5, "port": 0.5,
}
BIG_CITY_POP = 100_000
AMBIGUOUS_ZIPF = 3.8
DROP_LATIN_ZIPF = 5.0
MERGE_KM = 5.0
MERGE_CITY_KM = 15.0
AVIATION_MERGE_KM = 3.0

# GeoNames admin1 code -> (English short name used in `admin1`, English name of the region record).
REGION_NAMES = {
    "63": "Jabal al Akhdar", "64": "Jufra", "65": "Kufra", "66": "Marj", "67": "Nuqat al Khams",
    "68": "Zawiya", "69": "Benghazi", "70": "Derna", "71": "Ghat", "72": "Misrata", "73": "Murzuq",
    "74": "Nalut", "75": "Sabha", "76": "Sirte", "77": "Tripoli", "78": "Wadi al Shatii", "79": "Butnan",
    "80": "Jabal al Gharbi", "81": "Jafara", "82": "Murqub", "83": "Al Wahat", "84": "Wadi al Hayaa",
}
# Names in the sources that are not place names.
GENERIC_NAMES = {
    "ly", "lby", "libya", "ليبيا", "بوابة", "مكتب تجنيد", "مكان اقامه عزاء", "checkpoint",
}

ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
FARSI_TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك", "ے": "ي", "ە": "ه", "ہ": "ه"})
APOSTROPHES = re.compile("['‘’`ʿʾʻʼ´]")
LATIN_ARTICLE = re.compile(r"^(?:al|el|an|ar|as|ash|at|ad|adh|az|ath)[- ]+", re.IGNORECASE)
DIGIT = re.compile(r"\d")
STD_ARABIC = re.compile("[\u0621-\u063a\u0641-\u064a]")


# --------------------------------------------------------------------------- text helpers

def clean_text(text: str) -> str:
    """Remove invisible marks, unify spaces and Arabic presentation forms; keep letters as written."""
    text = INVISIBLE.sub("", text or "")
    if any("\ufb50" <= ch <= "\ufeff" for ch in text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(FARSI_TO_ARABIC)
    text = ARABIC_DIACRITICS.sub("", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip(" ,;/|-")


def char_script(ch: str) -> str:
    """'ar' for Arabic letters, 'la' for Latin letters, 'other' for other letters, '' for non-letters."""
    if not ch.isalpha():
        return ""
    code = ord(ch)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "ar"
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "la"
    return "other"


def script_of(text: str) -> str:
    """Script of a name: 'ar', 'la', 'mixed' or 'other'."""
    scripts = {char_script(ch) for ch in text} - {""}
    if scripts == {"ar"}:
        return "ar"
    if scripts == {"la"}:
        return "la"
    if scripts == {"ar", "la"}:
        return "mixed"
    return "other"


def split_scripts(text: str) -> list[str]:
    """Split a name like 'Qasr Bin Ghashir قصر بن غشير' into its Latin and Arabic runs."""
    runs: list[tuple[str, list[str]]] = []
    for token in text.split():
        scr = script_of(token)
        if runs and (runs[-1][0] == scr or (scr == "other" and not token.isalpha())):
            runs[-1][1].append(token)
        else:
            runs.append((scr, [token]))
    return [" ".join(tokens) for _, tokens in runs]


def fold_latin(text: str) -> str:
    """ASCII-fold a Latin name ('Qaşr Bin Ghashīr' -> 'Qasr Bin Ghashir'), keeping apostrophes."""
    text = text.replace("ʿ", "'").replace("ʾ", "'").replace("‘", "'").replace("’", "'").replace("ı", "i")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", folded).strip()


def norm_arabic(text: str) -> str:
    """Matching key of an Arabic name: unified alef/ta marbuta/ya, no diacritics, no ال, no spaces."""
    text = clean_text(text)
    text = re.sub("[أإآٱ]", "ا", text).replace("ة", "ه").replace("ى", "ي").replace("ؤ", "و").replace("ئ", "ي")
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in re.split(r"[\s\-_]+", text)]
    return "".join(ch for ch in "".join(words) if char_script(ch) == "ar")


def norm_latin(text: str) -> str:
    """Matching key of a Latin name: lowercase ASCII, no apostrophes, no al-/el- article, no spaces."""
    text = APOSTROPHES.sub("", fold_latin(clean_text(text))).lower().replace("-", " ")
    words = [w for w in text.split() if w not in {"al", "el", "an", "ar", "as", "ash", "at", "ad", "az"}]
    return re.sub(r"[^a-z]", "", "".join(words))


def name_key(text: str) -> str:
    """Script-aware matching key of a name ('' when the name is neither Arabic nor Latin)."""
    scr = script_of(text)
    if scr == "ar":
        return "ar:" + norm_arabic(text)
    if scr == "la":
        return "la:" + norm_latin(text)
    return ""


def strip_article(alias: str) -> str:
    """Alias without a leading ال / al- / el- (used to test for one-word common nouns)."""
    if script_of(alias) == "ar":
        return alias[2:] if alias.startswith("ال") and len(alias) > 4 else alias
    return LATIN_ARTICLE.sub("", alias)


def letter_count(text: str) -> int:
    """Number of letters in a string."""
    return sum(ch.isalpha() for ch in text)


def usable_alias(alias: str, allow_digits: bool = False) -> bool:
    """Whether a cleaned name may be an alias: Arabic or Latin, ≥3 letters, no digits, not junk."""
    if script_of(alias) not in {"ar", "la"} or letter_count(alias) < 3:
        return False
    if DIGIT.search(alias) and not allow_digits:
        return False
    if script_of(alias) == "la" and alias == alias.lower():
        return False  # machine transliterations like 'albrdyt'
    if script_of(alias) == "la" and alias.isupper() and letter_count(alias) <= 3:
        return False  # IATA codes such as 'TIP', 'BEN'
    if script_of(alias) == "ar" and any(char_script(ch) == "ar" and not STD_ARABIC.match(ch) for ch in alias):
        return False  # Persian/Urdu/Uyghur spellings
    if "," in alias or "،" in alias:
        return False  # 'هون، ليبيا'
    return alias.lower() not in GENERIC_NAMES and clean_text(alias) not in GENERIC_NAMES


def split_names(values: Iterable[str]) -> list[str]:
    """Expand '|'-joined, 'key=value' and mixed-script name fields into cleaned single-script names."""
    out: list[str] = []
    for value in values:
        for part in (value or "").split("|"):
            if re.match(r"^[A-Za-z_:\-]+=", part):
                part = part.split("=", 1)[1]
            part = clean_text(part)
            if script_of(part) == "mixed":
                out.extend(clean_text(run) for run in split_scripts(part))
            elif part:
                out.append(part)
    return [p for p in out if p]


AR_TRANSLIT = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a",
    "و": "w", "ي": "y", "ى": "a", "ء": "'", "ئ": "'", "ؤ": "'",
}


def transliterate_word(word: str) -> str:
    """Rough consonantal romanization of one Arabic word (fallback display name only)."""
    prefix = ""
    if word.startswith("ال") and len(word) > 3:
        prefix, word = "al-", word[2:]
    out = []
    for i, ch in enumerate(word):
        if ch == "ع" and i == 0:
            out.append("A")
        elif ch == "و" and i > 0:
            out.append("u")
        elif ch == "ي" and i > 0:
            out.append("i")
        else:
            out.append(AR_TRANSLIT.get(ch, ""))
    text = "".join(out).strip("'")
    return prefix + text[:1].upper() + text[1:] if text else ""


def transliterate(text: str) -> str:
    """Rough romanization of an Arabic name, e.g. 'وادي الربيع' -> 'Wadi al-Rbi''."""
    words = [transliterate_word(w) for w in clean_text(text).split()]
    name = " ".join(w for w in words if w)
    return name[:1].upper() + name[1:]


# --------------------------------------------------------------------------- geometry helpers

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def point_in_ring(lat: float, lon: float, ring: list[list[float]]) -> bool:
    """Ray-casting point-in-polygon test for one linear ring of [lon, lat] pairs."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygons_of(geometry: dict) -> list[list[list[list[float]]]]:
    """List of polygons (each a list of rings) of a GeoJSON Polygon/MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


# --------------------------------------------------------------------------- data model

@dataclass
class SourcePlace:
    """One place as read from one source row, before merging."""

    src_id: str
    rank: int
    lat: float
    lon: float
    kind: str
    names_en: list[tuple[int, str]]  # (preference, Latin display candidate)
    names_ar: list[tuple[int, str]]  # (preference, Arabic display candidate)
    aliases: list[str]
    population: int = 0
    gnid: str = ""
    osm_node: str = ""
    admin1_code: str = ""
    kind_rank: int = 9


@dataclass
class Place:
    """A merged place; becomes one line of places.jsonl."""

    id: str
    rank: int
    lat: float
    lon: float
    kind: str
    kind_rank: int
    names_en: list[tuple[int, str]] = field(default_factory=list)
    names_ar: list[tuple[int, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    population: int = 0
    sources: list[str] = field(default_factory=list)
    gnids: set[str] = field(default_factory=set)
    osm_nodes: set[str] = field(default_factory=set)
    admin1_code: str = ""
    admin1: str = ""
    geo_precision: int = 1
    importance: float | None = None
    note: str = ""
    curated: bool = False
    keep_digits: set[str] = field(default_factory=set)
    pop_rank: int = 99
    point_node: str = ""  # the OSM node the point was taken from, if it was
    _keys: set[str] | None = None

    def keys(self) -> set[str]:
        """Matching keys of every alias and display name (cached until the next merge)."""
        if self._keys is None:
            names = self.aliases + [n for _, n in self.names_en] + [n for _, n in self.names_ar]
            self._keys = {k for k in (name_key(n) for n in names) if len(k) > 5}
        return self._keys

    def absorb(self, sp: SourcePlace) -> None:
        """Merge a source row into this place; the better-ranked source keeps the point, and a newer extract's
        row of the OSM node the point came from moves it (the 2019 extract puts Benghazi's node 60 km
        south-east of the city; 2025 has it in the centre)."""
        if sp.rank < self.rank or (sp.osm_node and sp.osm_node == self.point_node):
            self.lat, self.lon, self.rank = sp.lat, sp.lon, min(sp.rank, self.rank)
            self.point_node = sp.osm_node
        if sp.kind_rank < self.kind_rank:
            self.kind, self.kind_rank = sp.kind, sp.kind_rank
        self.names_en += sp.names_en
        self.names_ar += sp.names_ar
        self.aliases += sp.aliases
        self._keys = None
        if sp.population > 0 and sp.rank < self.pop_rank:
            self.population, self.pop_rank = sp.population, sp.rank
        self.sources.append(sp.src_id)
        if sp.gnid:
            self.gnids.add(sp.gnid)
        if sp.osm_node:
            self.osm_nodes.add(sp.osm_node)
        if sp.admin1_code and (not self.admin1_code or sp.rank <= self.rank):
            self.admin1_code = sp.admin1_code


def new_place(sp: SourcePlace) -> Place:
    """Start a merged place from its first source row; the id follows the source."""
    pid = f"gn:{sp.gnid}" if sp.gnid and sp.rank <= RANK["wof"] else sp.src_id
    place = Place(id=pid, rank=sp.rank, lat=sp.lat, lon=sp.lon, kind=sp.kind, kind_rank=sp.kind_rank,
                  point_node=sp.osm_node)
    place.absorb(sp)
    place.sources = [sp.src_id]
    return place


def kind_group(kind: str) -> str:
    """Kinds that may describe the same real place."""
    if kind in SETTLEMENT:
        return "settlement"
    if kind in AVIATION:
        return "aviation"
    return kind


# --------------------------------------------------------------------------- readers

def read_tsv(path: Path, delimiter: str = "\t") -> list[dict[str, str]]:
    """Rows of a UTF-8 TSV/CSV file as dicts of strings."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh, delimiter=delimiter)]


def to_int(value: str) -> int:
    """Integer from a possibly empty/float string (0 when unknown)."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def gn_kind(population: int) -> str:
    """Settlement kind of a GeoNames populated place from its population."""
    if population >= 50_000:
        return "city"
    if population >= 5_000:
        return "town"
    return "village"


def read_geonames(src: Path) -> Iterator[SourcePlace]:
    """GeoNames cities500 rows."""
    for row in read_tsv(src / "geonames_LY_cities500.tsv"):
        pop = to_int(row["population"])
        names = split_names([row["name"], row["alternatenames"], row["alternatenames_ar"]])
        arabic = [n for n in split_names([row["alternatenames_ar"]]) if script_of(n) == "ar"]
        yield SourcePlace(
            src_id=f"gn:{row['geonameid']}", rank=RANK["gn"], lat=float(row["latitude"]),
            lon=float(row["longitude"]), kind=gn_kind(pop), kind_rank=6,
            names_en=[(40, fold_latin(clean_text(row["name"])))], names_ar=[(40, a) for a in arabic[:1]],
            aliases=names, population=pop, gnid=row["geonameid"], admin1_code=row["admin1_code"],
        )


def read_wof(src: Path) -> Iterator[SourcePlace]:
    """Who's On First localities and neighbourhoods (regions are read separately)."""
    for row in read_tsv(src / "wof_LY_places.tsv"):
        if row["placetype"] not in {"locality", "neighbourhood"} or row["mz_is_current"] == "0":
            continue
        kind = "neighbourhood" if row["placetype"] == "neighbourhood" else "village"
        if row["gn_feature_code"] in {"PPLQ", "PPLL"}:
            kind = "locality"
        pop = to_int(row["gn_population"])
        if pop and kind == "village":
            kind = gn_kind(pop)
        names = split_names([row["name"], row["gn_name"], row["names_ar"], row["names_all"]])
        arabic = [n for n in split_names([row["name_ar_preferred"], row["names_ar"]]) if script_of(n) == "ar"]
        latin = [n for n in split_names([row["name"]]) if script_of(n) == "la"]
        yield SourcePlace(
            src_id=f"wof:{row['wof_id']}", rank=RANK["wof"], lat=float(row["lat"]), lon=float(row["lon"]),
            kind=kind, kind_rank=7, names_en=[(50, fold_latin(n)) for n in latin[:1]],
            names_ar=[(30, a) for a in arabic[:1]], aliases=names, population=pop,
            gnid=row["gn_geonameid"], admin1_code=row["gn_admin1"],
        )


def airport_kind(name: str) -> str:
    """'air_base' for military fields, else 'airport'."""
    return "air_base" if re.search(r"air ?base|airborne base|قاعد", name, re.IGNORECASE) else "airport"


def airport_aliases(name: str, city: str) -> list[str]:
    """Name variants of an airport, adding 'X Airport' for its city when sensible."""
    out = [name]
    bare = re.sub(r"\s+(International\s+)?Airport$", "", name).strip()
    if bare != name:
        out.append(f"{bare} Airport")
    if city and not DIGIT.search(city) and letter_count(city) >= 3:
        out.append(f"{city} Airport")
    return out


def read_airports(src: Path) -> Iterator[SourcePlace]:
    """airportsdata rows (ICAO-keyed)."""
    for row in read_tsv(src / "airports_LY.csv", delimiter=","):
        name = clean_text(row["name"])
        aliases = airport_aliases(name, clean_text(row["city"]))
        yield SourcePlace(
            src_id=f"icao:{row['icao']}", rank=RANK["icao"], lat=float(row["lat"]), lon=float(row["lon"]),
            kind=airport_kind(name), kind_rank=5, names_en=[(10, name)], names_ar=[], aliases=aliases,
        )


def osm_names(*fields: str) -> tuple[list[str], list[str], list[str]]:
    """(all names, Latin names, Arabic names) of an OSM node's name fields."""
    names = split_names(fields)
    return names, [n for n in names if script_of(n) == "la"], [n for n in names if script_of(n) == "ar"]


def osm19_kind(row: dict[str, str]) -> str:
    """Gazetteer kind of an OSM 2019 node, or '' when the node is not kept."""
    if row["tag"] == "place":
        return OSM_PLACE_KIND.get(row["value"], "")
    if row["tag"] == "aeroway" and row["value"] == "aerodrome":
        return airport_kind(" ".join([row["name"], row["name_en"]]))
    if row["tag"] == "military" and row["value"] in {"barracks", "base", "camp", "naval_base", "airfield"}:
        return "air_base" if row["value"] == "airfield" else "military_camp"
    if row["tag"] == "military":
        return "locality"
    return ""


def read_osm2019(src: Path) -> Iterator[SourcePlace]:
    """OSM 2019-09 place, aerodrome and named military nodes (no shops/amenities)."""
    for row in read_tsv(src / "osm_LY_nodes_2019-09.tsv"):
        kind = osm19_kind(row)
        if not kind or not (row["name"] or row["name_en"]):
            continue
        names, latin, arabic = osm_names(row["name"], row["name_en"], row["name_de"])
        if not names:
            continue
        latin_en = [n for n in split_names([row["name_en"]]) if script_of(n) == "la"]
        yield SourcePlace(
            src_id=f"osm:n{row['osm_node_id']}", rank=RANK["osm19"], lat=float(row["lat"]),
            lon=float(row["lon"]), kind=kind, kind_rank=8 if kind == "locality" else 2 if kind in SETTLEMENT else 4,
            names_en=[(20, n) for n in latin_en[:1]] + [(60, n) for n in latin[:1]],
            names_ar=[(20, a) for a in arabic[:1]], aliases=names, population=to_int(row["population"]),
            osm_node=row["osm_node_id"],
        )


def read_osm2025(src: Path) -> Iterator[SourcePlace]:
    """OSM 2025-06 city/town/village/hamlet nodes (geonames:id tag kept for linking)."""
    for row in read_tsv(src / "osm_LY_places_2025-06.tsv"):
        other = [p for p in row["names_other"].split("|") if re.match(r"^(name|alt_name|old_name|official_name"
                                                                      r"|short_name|int_name|loc_name)", p)]
        names, latin, _ = osm_names(row["name"], row["name_ar"], row["name_en"], row["names_ar_all"], *other)
        if not names:
            continue
        en = [n for n in split_names([row["name_en"]]) if script_of(n) == "la"]
        ar = [n for n in split_names([row["name_ar"], row["name"]]) if script_of(n) == "ar"]
        yield SourcePlace(
            src_id=f"osm:n{row['osm_id']}", rank=RANK["osm25"], lat=float(row["lat"]), lon=float(row["lon"]),
            kind=OSM_PLACE_KIND.get(row["place"], "village"), kind_rank=3,
            names_en=[(15, n) for n in en[:1]] + [(65, n) for n in latin[:1]],
            names_ar=[(10, a) for a in ar[:1]], aliases=names, population=to_int(row["population"]),
            gnid=row["geonames_id"], osm_node=row["osm_id"],
        )


# --------------------------------------------------------------------------- regions

@dataclass
class Region:
    """A first-level district (sha'biyah) with its polygons."""

    code: str
    gnid: str
    wof_id: str
    short: str
    name_ar: str
    aliases: list[str]
    lat: float
    lon: float
    polygons: list[list[list[list[float]]]]
    bbox: tuple[float, float, float, float]


def read_regions(src: Path) -> list[Region]:
    """GeoNames admin1 districts joined to WOF polygons by geonameid."""
    shapes = {str(f["properties"]["gn_geonameid"]): f
              for f in json.loads((src / "wof_LY_admin1.geojson").read_text(encoding="utf-8"))["features"]}
    regions = []
    for row in read_tsv(src / "geonames_LY_admin1.tsv"):
        if row["admin_level"] != "1" or row["geonameid"] not in shapes:
            continue
        code = row["geonames_code"].split(".")[1]
        feat = shapes[row["geonameid"]]
        props = feat["properties"]
        polys = polygons_of(feat["geometry"])
        lons = [pt[0] for poly in polys for pt in poly[0]]
        lats = [pt[1] for poly in polys for pt in poly[0]]
        aliases = split_names([row["name"], row["aliases"]])
        name_ar = next((a for a in aliases if a.startswith("شعبية")), "")
        regions.append(Region(
            code=code, gnid=row["geonameid"], wof_id=str(props["wof_id"]), short=REGION_NAMES[code],
            name_ar=name_ar, aliases=aliases, lat=float(props["lbl_lat"]), lon=float(props["lbl_lon"]),
            polygons=polys, bbox=(min(lats), min(lons), max(lats), max(lons)),
        ))
    return regions


def region_of(lat: float, lon: float, regions: list[Region]) -> Region | None:
    """The district whose polygon holds the point (nearest label point if none does, e.g. offshore)."""
    for reg in regions:
        s, w, n, e = reg.bbox
        if s <= lat <= n and w <= lon <= e:
            for poly in reg.polygons:
                if point_in_ring(lat, lon, poly[0]) and not any(point_in_ring(lat, lon, h) for h in poly[1:]):
                    return reg
    near = min(regions, key=lambda r: (haversine_km(lat, lon, r.lat, r.lon), r.code), default=None)
    return near


def region_places(regions: list[Region], taken_keys: set[str]) -> list[Place]:
    """Region records; bare names that collide with a city/town stay with the settlement."""
    places = []
    for reg in regions:
        en = f"{reg.short} District"
        aliases = [en, f"Sha'biyat {reg.short}"]
        for alias in reg.aliases:
            bare = not re.match(r"^(شعبية|محافظة)\s|.*\bDistrict$", alias)
            if bare and name_key(alias) in taken_keys:
                continue
            aliases.append(alias)
        if name_key(reg.short) not in taken_keys:
            aliases.append(reg.short)
        place = Place(id=f"gn:{reg.gnid}", rank=RANK["gn"], lat=reg.lat, lon=reg.lon, kind="region",
                      kind_rank=0, names_en=[(0, en)], names_ar=[(0, reg.name_ar)], aliases=aliases,
                      sources=[f"gn:{reg.gnid}", f"wof:{reg.wof_id}"], admin1_code=reg.code, geo_precision=3,
                      note="centroid: WOF admin1 label point (lbl_lat/lbl_lon)")
        places.append(place)
    return places


# --------------------------------------------------------------------------- merging

class Index:
    """Merged places with lookups by geonameid, OSM node id and name key + grid cell."""

    def __init__(self) -> None:
        """Empty index."""
        self.places: list[Place] = []
        self.by_gnid: dict[str, Place] = {}
        self.by_osm: dict[str, Place] = {}
        self.by_src: dict[str, Place] = {}
        self.by_cell: dict[tuple[int, int], list[Place]] = defaultdict(list)
        self.removed: set[int] = set()

    @staticmethod
    def cell(lat: float, lon: float) -> tuple[int, int]:
        """Grid cell of ~0.2 degrees."""
        return math.floor(lat * 5), math.floor(lon * 5)

    def register(self, place: Place) -> None:
        """(Re)index a place's links and location."""
        for gnid in place.gnids:
            self.by_gnid.setdefault(gnid, place)
        for node in place.osm_nodes:
            self.by_osm.setdefault(node, place)
        for src in place.sources:
            self.by_src[src] = place
        cell = self.cell(place.lat, place.lon)
        if place not in self.by_cell[cell]:
            self.by_cell[cell].append(place)

    def nearby(self, lat: float, lon: float) -> Iterator[Place]:
        """Places in the 7x7 cells around a point (covers >15 km)."""
        ci, cj = self.cell(lat, lon)
        seen: set[int] = set()
        for di in range(-3, 4):
            for dj in range(-3, 4):
                for place in self.by_cell.get((ci + di, cj + dj), []):
                    if id(place) not in seen and id(place) not in self.removed:
                        seen.add(id(place))
                        yield place

    def find(self, sp: SourcePlace) -> Place | None:
        """Existing place this source row describes, if any."""
        for hit in (self.by_gnid.get(sp.gnid) if sp.gnid else None,
                    self.by_osm.get(sp.osm_node) if sp.osm_node else None):
            if hit is not None and kind_group(hit.kind) == kind_group(sp.kind):
                return hit
        keys = {k for k in (name_key(n) for n in sp.aliases) if len(k) > 5}
        best: tuple[float, str, Place] | None = None
        for place in self.nearby(sp.lat, sp.lon):
            if kind_group(place.kind) != kind_group(sp.kind):
                continue
            dist = haversine_km(sp.lat, sp.lon, place.lat, place.lon)
            if kind_group(sp.kind) == "aviation" and dist <= AVIATION_MERGE_KM:
                pass
            else:
                big = "city" in {place.kind, sp.kind} or max(place.population, sp.population) >= 50_000
                if dist > (MERGE_CITY_KM if big else MERGE_KM) or not keys & place.keys():
                    continue
            if best is None or (dist, place.id) < best[:2]:
                best = (dist, place.id, place)
        return best[2] if best else None

    def add(self, sp: SourcePlace) -> None:
        """Merge a source row into an existing place or start a new one."""
        place = self.find(sp)
        if place is None:
            place = new_place(sp)
            self.places.append(place)
        else:
            place.absorb(sp)
        self.register(place)

    def merge_into(self, target: Place, other: Place) -> None:
        """Fold one merged place into another (used by curated rows listing several ids)."""
        if other is target:
            return
        target.names_en += other.names_en
        target.names_ar += other.names_ar
        target.aliases += other.aliases
        target._keys = None
        if other.population > 0 and other.pop_rank < target.pop_rank:
            target.population, target.pop_rank = other.population, other.pop_rank
        target.sources += other.sources
        target.gnids |= other.gnids
        target.osm_nodes |= other.osm_nodes
        target.admin1_code = target.admin1_code or other.admin1_code
        self.places.remove(other)
        self.removed.add(id(other))
        for src in other.sources:
            self.by_src[src] = target
        for gnid in other.gnids:
            self.by_gnid[gnid] = target
        for node in other.osm_nodes:
            self.by_osm[node] = target
        self.register(target)

    def consolidate(self) -> None:
        """Second pass: merge places that only became linkable after later sources added names."""
        for place in sorted(self.places, key=lambda p: (p.rank, -p.population, p.id)):
            if id(place) in self.removed:
                continue
            for other in sorted(self.nearby(place.lat, place.lon), key=lambda p: p.id):
                if other is place or kind_group(other.kind) != kind_group(place.kind):
                    continue
                if place.gnids and other.gnids and not place.gnids & other.gnids:
                    continue  # GeoNames already tells these apart
                dist = haversine_km(place.lat, place.lon, other.lat, other.lon)
                big = "city" in {place.kind, other.kind} or max(place.population, other.population) >= 50_000
                if dist <= (MERGE_CITY_KM if big else MERGE_KM) and place.keys() & other.keys():
                    if other.kind_rank < place.kind_rank:
                        place.kind, place.kind_rank = other.kind, other.kind_rank
                    self.merge_into(place, other)

    def lookup(self, src_id: str) -> Place | None:
        """Merged place holding a given source id (gn:…, wof:…, osm:n…, icao:…)."""
        if src_id.startswith("gn:") and src_id[3:] in self.by_gnid:
            return self.by_gnid[src_id[3:]]
        return self.by_src.get(src_id)


# --------------------------------------------------------------------------- curated rows

def read_curated(path: Path) -> list[dict[str, str]]:
    """Rows of curated.tsv (comment lines starting with '#' are skipped)."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return [dict(row) for row in csv.DictReader(lines, delimiter="\t")]


def apply_curated(index: Index, rows: list[dict[str, str]]) -> None:
    """Create curated places or override/enrich the open-data places they name in merge_with. A name a
    curated row lists as an alias is that place's alone: another place that got it as an alias from open data
    (an airport's generated "Tripoli Airport") loses it, unless its own curated row lists it too; other
    places' own primary names (names_en, names_ar) are kept."""
    owners: dict[str, set[str]] = {}
    for row in rows:
        aliases = [clean_text(a) for a in row["aliases"].split("|") if clean_text(a)]
        for a in aliases:
            owners.setdefault(name_key(a), set()).add(row["id"])
        targets = [p for p in (index.lookup(s.strip()) for s in row["merge_with"].split("|") if s.strip()) if p]
        missing = [s for s in row["merge_with"].split("|") if s.strip() and not index.lookup(s.strip())]
        if missing:
            print(f"warning: {row['id']}: merge_with not found: {missing}", file=sys.stderr)
        if targets:
            place = targets[0]
            for other in targets[1:]:
                index.merge_into(place, other)
        else:
            place = Place(id=row["id"], rank=0, lat=0.0, lon=0.0, kind=row["kind"], kind_rank=0)
            index.places.append(place)
        place.id = row["id"]
        place.lat, place.lon, place.rank = float(row["lat"]), float(row["lon"]), 0
        place.kind, place.kind_rank = row["kind"], 0
        place.names_en.insert(0, (-1, clean_text(row["name"])))
        if row["name_ar"]:
            place.names_ar.insert(0, (-1, clean_text(row["name_ar"])))
        place.aliases = aliases + place.aliases
        place._keys = None
        place.keep_digits |= {a for a in aliases if DIGIT.search(a)}
        place.sources = [row["id"]] + [s for s in place.sources if s != row["id"]]
        place.geo_precision = int(row["geo_precision"])
        place.importance = float(row["importance"])
        place.note = row["note"]
        place.curated = True
        if row["admin1"]:
            place.admin1 = row["admin1"]
        index.register(place)
    for place in index.places:
        kept = [a for a in place.aliases if place.id in owners.get(name_key(a), {place.id})]
        if len(kept) != len(place.aliases):
            place.aliases, place._keys = kept, None


# --------------------------------------------------------------------------- finishing

def load_word_list(path: Path) -> set[str]:
    """Normalized entries of ambiguous_words.txt (one per line, '#' comments)."""
    words = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(name_key(strip_article(word)))
    return words


def zipf(alias: str) -> float:
    """wordfreq Zipf frequency of an alias in its own language (Arabic or English)."""
    lang = "ar" if script_of(alias) == "ar" else "en"
    return max(zipf_frequency(alias, lang), zipf_frequency(strip_article(alias), lang))


def is_big_city(place: Place) -> bool:
    """Cities whose names are never treated as ambiguous."""
    return place.kind == "city" and place.population >= BIG_CITY_POP


#: An Arabic name opening with «أبو» («أبو سليم»), which Libyan writing often joins to the next word («أبوسليم»).
_ABU = re.compile(r"^([أا]بو) (?=\S)")


def finish_aliases(place: Place, name: str, name_ar: str) -> list[str]:
    """Deduplicated, filtered alias list (Arabic and Latin only), display names first; an Arabic name
    opening with «أبو» also joined («أبو سليم» → «أبوسليم»)."""
    out: list[str] = []
    seen: set[str] = set()
    joined = [_ABU.sub(r"\1", a, count=1) for a in [name_ar, *place.aliases] if a and _ABU.match(a)]
    for alias in [name, name_ar] + place.aliases + [fold_latin(a) for a in place.aliases if script_of(a) == "la"] + joined:
        alias = clean_text(alias)
        if not alias or alias in seen or not usable_alias(alias, alias in place.keep_digits):
            continue
        if script_of(alias) == "la" and " " not in strip_article(alias) and not is_big_city(place) \
                and zipf_frequency(alias, "en") >= DROP_LATIN_ZIPF and not place.curated:
            continue
        seen.add(alias)
        out.append(alias)
    return out


def ambiguous(place: Place, aliases: list[str], words: set[str]) -> list[str]:
    """Aliases that are single common words and need a place cue in text."""
    if is_big_city(place):
        return []
    out = []
    for alias in aliases:
        bare = strip_article(alias)
        if " " in bare or "-" in bare:
            continue
        if name_key(bare) in words or zipf(alias) >= AMBIGUOUS_ZIPF:
            out.append(alias)
    return out


def pick(cands: list[tuple[int, str]], script: str) -> str:
    """Best display name of the given script (lowest preference, then shortest, then alphabetic)."""
    good = [(pref, len(n), n) for pref, n in cands if n and script_of(n) == script and usable_alias(n, True)]
    return min(good)[2] if good else ""


def importance_of(place: Place) -> float:
    """0..1 prominence: population on a log scale, else a base value by kind."""
    if place.importance is not None:
        return place.importance
    base = KIND_BASE_IMPORTANCE[place.kind]
    if place.population >= 1_000_000:
        return 1.0
    if place.population > 0:
        score = 0.35 + 0.6 * (math.log10(place.population) - 3) / 2.5
        base = max(base if place.kind not in SETTLEMENT else 0.0, min(0.95, max(0.05, score)))
    return round(base, 3)


def finish(place: Place, regions: dict[str, Region], region_list: list[Region], words: set[str]) -> dict:
    """The output record of a merged place."""
    name_ar = pick(place.names_ar, "ar") or pick([(0, a) for a in place.aliases], "ar")
    name = pick(place.names_en, "la")
    if not name:
        name = transliterate(name_ar)
    name = fold_latin(name) if not place.curated else name
    if name.isupper() and len(name) > 4:
        name = name.title()
    if not place.admin1:
        reg = regions.get(place.admin1_code) or region_of(place.lat, place.lon, region_list)
        place.admin1 = reg.short if reg else ""
    aliases = finish_aliases(place, name, name_ar)
    return {
        "id": place.id,
        "name": name,
        "name_ar": name_ar,
        "aliases": aliases,
        "lat": round(place.lat, 6),
        "lon": round(place.lon, 6),
        "kind": place.kind,
        "admin1": place.admin1,
        "population": int(place.population),
        "importance": importance_of(place),
        "geo_precision": place.geo_precision,
        "ambiguous_aliases": ambiguous(place, aliases, words),
        "sources": sorted(dict.fromkeys(place.sources), key=lambda s: (s.startswith("mihwar:") is False, s)),
        "note": place.note,
    }


def approximate_notes(place: Place) -> None:
    """Mark open-data localities/areas without a curated note as approximate where that applies."""
    if place.kind == "locality" and not place.curated:
        place.geo_precision = 2
        place.note = place.note or "area/locality point as mapped in the source"


def build(src: Path, curated_path: Path, words_path: Path) -> list[dict]:
    """Read every source, merge, apply curated rows and return the sorted output records."""
    index = Index()
    for reader in (read_geonames, read_wof, read_airports, read_osm2019, read_osm2025):
        rows = sorted(reader(src), key=lambda sp: (-sp.population, sp.src_id))
        for sp in rows:
            index.add(sp)
    index.consolidate()
    apply_curated(index, read_curated(curated_path))
    region_list = read_regions(src)
    regions = {r.code: r for r in region_list}
    taken = {k for p in index.places if p.kind in {"city", "town"} or p.population >= 5000
             for k in (name_key(n) for n in p.aliases + [n for _, n in p.names_en] + [n for _, n in p.names_ar])}
    index.places += region_places(region_list, taken)
    words = load_word_list(words_path)
    records = []
    for place in index.places:
        approximate_notes(place)
        record = finish(place, regions, region_list, words)
        if record["aliases"] and record["name"]:
            records.append(record)
    records.sort(key=lambda r: r["id"])
    ids = [r["id"] for r in records]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate ids in output")
    return records


def write_jsonl(records: list[dict], out: Path) -> None:
    """Write records as UTF-8 JSON lines."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, help="folder with the open-data source files")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="output JSONL path")
    parser.add_argument("--curated", type=Path, default=DATA_DIR / "curated.tsv", help="curated rows TSV")
    parser.add_argument("--ambiguous-words", type=Path, default=DATA_DIR / "ambiguous_words.txt",
                        help="ambiguous word list")
    args = parser.parse_args(argv)
    records = build(args.sources, args.curated, args.ambiguous_words)
    write_jsonl(records, args.output)
    counts: dict[str, int] = defaultdict(int)
    for rec in records:
        counts[rec["kind"]] += 1
    print(f"wrote {len(records)} places to {args.output}: "
          + ", ".join(f"{k} {counts[k]}" for k in KINDS if counts[k]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
