"""A deterministic synthetic corpus of Arabic and English war reports for the benchmarks.

Articles are built from the gazetteer's names (English, Arabic and alias spellings, some
with Arabic clitics or misspelt) in news-like claim sentences, mixed with neutral filler
(politics, economy, weather) so that place names are a small share of the tokens.
Half the articles are Arabic, half English. The same seed always gives the same corpus.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gazetteer.normalize import is_arabic
from gazetteer.records import Place, default_places
from pipeline.models import Article

FIRST_DAY = dt.date(2019, 4, 4)
LAST_DAY = dt.date(2020, 6, 30)
PLACE_SHARE = 0.3  # share of sentences that name a place
CLITIC_RATE = 0.15  # share of Arabic place names written with a clitic (و ب ل)
TYPO_RATE = 0.06  # share of place names misspelt

AR_DAYS = ("السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")
EN_DAYS = ("Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
AR_GNA = ("قوات الوفاق", "قوات حكومة الوفاق", "عملية بركان الغضب", "القوات الحكومية")
AR_LNA = ("قوات حفتر", "الجيش الوطني الليبي", "قوات القيادة العامة", "ميليشيات حفتر")
EN_GNA = ("GNA forces", "the Government of National Accord", "forces loyal to the Tripoli government",
          "Operation Volcano of Rage")
EN_LNA = ("the LNA", "Haftar's forces", "the Libyan National Army", "eastern-based forces")

#: Arabic claim sentences: {place}, {place2} place names, {gna}/{lna} a side, {day} a weekday.
AR_CLAIMS = (
    "أعلنت {gna} السيطرة على {place} {day}.",
    "اشتباكات عنيفة في محور {place} بين {gna} و{lna}.",
    "قال المتحدث باسم {lna} إن قواته صدت هجوما على {place} صباح {day}.",
    "تقدمت {lna} نحو منطقة {place} جنوب العاصمة.",
    "شن الطيران المسيّر غارة على مواقع في {place} فجر {day}.",
    "أكدت {gna} أنها استعادت {place} و{place2} بعد معارك استمرت ساعات.",
    "انسحبت {lna} من {place} تحت ضغط الهجمات المتواصلة.",
    "سقطت قذائف عشوائية على أحياء سكنية في {place} مساء {day}.",
    "تواصلت المواجهات المسلحة على تخوم {place} لليوم الثالث على التوالي.",
    "قصفت {lna} مطار {place} بصواريخ غراد {day}.",
    "أفاد مصدر عسكري بأن {gna} تصدت لمحاولة تقدم نحو {place}.",
    "دخلت {gna} بلدة {place} وسط انهيار في صفوف {lna}.",
    "أعلن المركز الإعلامي لـ{lna} السيطرة الكاملة على {place} و{place2}.",
    "هاجمت {gna} تمركزات {lna} قرب {place} ليلة {day}.",
    "تجددت الاشتباكات في محيط {place} رغم الدعوات إلى التهدئة.",
)
#: English claim sentences.
EN_CLAIMS = (
    "The LNA said it repelled an attack on {place} on {day}.",
    "{gna} announced they had taken full control of {place} on {day}.",
    "Heavy clashes broke out near {place} between {gna} and {lna}.",
    "{lna} advanced towards {place}, south of the capital, according to residents.",
    "A drone strike hit positions in {place} early on {day}.",
    "{gna} said they recaptured {place} and {place2} after hours of fighting.",
    "{lna} withdrew from {place} under sustained pressure.",
    "Shells landed on residential areas of {place} on {day} evening.",
    "Fighting continued on the outskirts of {place} for a third day.",
    "{lna} shelled the airport at {place} with Grad rockets on {day}.",
    "A military source said {gna} pushed back an attempt to advance on {place}.",
    "{gna} entered the town of {place} as {lna} lines collapsed.",
    "{lna} claimed full control of {place} and {place2}.",
    "{gna} attacked {lna} positions near {place} on {day} night.",
    "Clashes resumed around {place} despite calls for calm.",
)
#: Neutral Arabic filler sentences; {n} is a number.
AR_FILLER = (
    "ناقش مجلس النواب مشروع قانون الميزانية العامة للدولة في جلسة مطولة.",
    "ارتفعت أسعار السلع الغذائية في الأسواق المحلية بنسبة {n} بالمئة خلال الشهر الماضي.",
    "توقعت الأرصاد الجوية طقسا معتدلا مع رياح نشطة على المناطق الساحلية.",
    "أعلن المصرف المركزي عن إجراءات جديدة لمعالجة أزمة السيولة في المصارف التجارية.",
    "دعت الأمم المتحدة جميع الأطراف إلى العودة إلى طاولة الحوار السياسي.",
    "شهدت محطات الوقود طوابير طويلة بسبب نقص الإمدادات.",
    "قالت وزارة الصحة إنها سجلت {n} حالة جديدة خلال الأسبوع.",
    "عقد المبعوث الأممي لقاءات مع ممثلين عن المجتمع المدني لبحث سبل التسوية.",
    "تراجع إنتاج النفط إلى نحو {n} ألف برميل يوميا بعد إغلاق عدد من الحقول.",
    "أكد وزير التعليم استئناف الدراسة في المدارس بعد انتهاء عطلة الربيع.",
    "انقطع التيار الكهربائي لساعات طويلة عن عدد من الأحياء بسبب الأحمال الزائدة.",
    "طالب أهالي المهجرين بتوفير مساكن مؤقتة وتحسين الخدمات الأساسية.",
    "وصلت شحنة من المساعدات الطبية إلى الموانئ الليبية على متن سفينة تجارية.",
    "تستمر درجات الحرارة في الارتفاع لتتجاوز {n} درجة مئوية في بعض المناطق.",
    "أشار تقرير اقتصادي إلى تراجع قيمة الدينار في السوق الموازية.",
    "بحث اجتماع وزاري عربي تطورات الأزمة الليبية وسبل دعم الاستقرار.",
    "أطلقت منظمات إغاثية نداء عاجلا لجمع التبرعات لصالح الأسر النازحة.",
    "قال محللون إن المفاوضات تواجه عقبات كبيرة في ظل تباين المواقف.",
    "افتتحت بلدية العاصمة مشروعا لصيانة الطرق وتصريف مياه الأمطار.",
    "أعلنت شركة الكهرباء عن خطة لطرح الأحمال خلال فصل الصيف.",
)
#: Neutral English filler sentences.
EN_FILLER = (
    "Parliament debated the draft state budget in a lengthy session.",
    "Food prices in local markets rose by {n} percent over the past month.",
    "Forecasters expect mild weather with strong winds along the coast.",
    "The central bank announced new measures to ease the cash shortage at commercial banks.",
    "The United Nations urged all parties to return to political dialogue.",
    "Long queues formed at petrol stations because of supply shortages.",
    "The health ministry said it recorded {n} new cases during the week.",
    "The UN envoy met civil society representatives to discuss a settlement.",
    "Oil output fell to about {n} thousand barrels a day after several fields were shut.",
    "The education minister said schools would reopen after the spring holiday.",
    "Power cuts lasted for hours in several districts because of excess load.",
    "Families of displaced people demanded temporary housing and better basic services.",
    "A shipment of medical aid arrived at Libyan ports aboard a commercial vessel.",
    "Temperatures continued to rise, exceeding {n} degrees Celsius in some areas.",
    "An economic report pointed to a fall in the value of the dinar on the parallel market.",
    "Arab ministers discussed developments in the Libyan crisis and ways to support stability.",
    "Relief organisations launched an urgent appeal for donations to displaced families.",
    "Analysts said the negotiations face major obstacles amid divergent positions.",
    "The municipality opened a project to maintain roads and drain rainwater.",
    "The electricity company announced a load-shedding plan for the summer months.",
)
AR_TITLES = ("معارك عنيفة في {place}", "تطورات ميدانية جديدة حول {place}", "الوضع في {place} اليوم")
EN_TITLES = ("Fierce fighting in {place}", "New developments around {place}", "Situation in {place} today")


def _names(places: Sequence[Place]) -> tuple[list[str], list[str]]:
    """Arabic and Latin names of the gazetteer (name, name_ar and aliases), each list sorted and unique."""
    ar: set[str] = set()
    lat: set[str] = set()
    for p in places:
        for name in (p.name, p.name_ar, *p.aliases):
            name = name.strip()
            if len(name) >= 3:
                (ar if is_arabic(name) else lat).add(name)
    return sorted(ar), sorted(lat)


def _misspell(name: str, rng: random.Random) -> str:
    """The name with one letter dropped, doubled or two letters swapped (first letter kept)."""
    if len(name) < 5:
        return name
    i = rng.randrange(1, len(name) - 1)
    op = rng.randrange(3)
    if op == 0:
        return name[:i] + name[i + 1 :]
    if op == 1:
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _with_clitic(name: str, rng: random.Random) -> str:
    """The Arabic name with و, ب or ل attached (ل + ال written لل)."""
    prefix = rng.choice("وبل")
    if prefix == "ل" and name.startswith("ال"):
        return "لل" + name[2:]
    return prefix + name


class _Writer:
    """Draws sentences for one language from the templates and the name lists."""

    def __init__(self, arabic: bool, names: list[str], rng: random.Random) -> None:
        self.arabic = arabic
        self.names = names
        self.rng = rng
        self.claims = AR_CLAIMS if arabic else EN_CLAIMS
        self.filler = AR_FILLER if arabic else EN_FILLER
        self.titles = AR_TITLES if arabic else EN_TITLES
        self.days = AR_DAYS if arabic else EN_DAYS
        self.gna = AR_GNA if arabic else EN_GNA
        self.lna = AR_LNA if arabic else EN_LNA

    def place(self, clitic_ok: bool = True) -> str:
        name = self.rng.choice(self.names)
        if self.rng.random() < TYPO_RATE:
            name = _misspell(name, self.rng)
        if self.arabic and clitic_ok and self.rng.random() < CLITIC_RATE:
            name = _with_clitic(name, self.rng)
        return name

    def fill(self, template: str) -> str:
        rng = self.rng
        at = template.find("{place}")
        clitic_ok = at <= 0 or template[at - 1] == " "  # not after a template's own clitic ("و{place}")
        return template.format(
            place=self.place(clitic_ok), place2=self.place(False), gna=rng.choice(self.gna),
            lna=rng.choice(self.lna), day=rng.choice(self.days), n=rng.randrange(2, 900),
        )

    def sentence(self) -> str:
        pool = self.claims if self.rng.random() < PLACE_SHARE else self.filler
        return self.fill(self.rng.choice(pool))

    def title(self) -> str:
        return self.rng.choice(self.titles).format(place=self.place(False))


def make_corpus(n_articles: int = 2000, words: int = 500, seed: int = 0,
                places: Sequence[Place] | None = None) -> list[Article]:
    """n_articles synthetic articles of about `words` words each, half Arabic and half English."""
    return list(iter_corpus(n_articles, words, seed, places))


def iter_corpus(n_articles: int = 2000, words: int = 500, seed: int = 0,
                places: Sequence[Place] | None = None) -> Iterator[Article]:
    """The articles of make_corpus one at a time (for corpora too large to hold in memory)."""
    rng = random.Random(seed)
    ar_names, lat_names = _names(places if places is not None else default_places())
    writers = {"ar": _Writer(True, ar_names, rng), "en": _Writer(False, lat_names, rng)}
    span = (LAST_DAY - FIRST_DAY).days
    for i in range(n_articles):
        lang = "ar" if i % 2 == 0 else "en"
        w = writers[lang]
        paragraphs: list[str] = []
        sentences: list[str] = []
        count = 0
        while count < words:
            s = w.sentence()
            sentences.append(s)
            count += len(s.split())
            if len(sentences) >= rng.randint(3, 6):
                paragraphs.append(" ".join(sentences))
                sentences = []
        if sentences:
            paragraphs.append(" ".join(sentences))
        yield Article(
            id=f"syn-{seed}-{i:06d}", title=w.title(), text="\n\n".join(paragraphs),
            published=FIRST_DAY + dt.timedelta(days=rng.randint(0, span)), source="synthetic", lang=lang,
            origin="bench.corpus",
        )


def write_jsonl(path: str | Path, articles: Iterable[Article]) -> int:
    """Writes articles as JSON Lines (the pipeline's input format); the number written."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            rec = {"id": a.id, "title": a.title, "text": a.text, "source": a.source, "lang": a.lang,
                   "published": a.published.isoformat() if a.published else None}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


if __name__ == "__main__":
    corpus = make_corpus(4, 120)
    for art in corpus[:2]:
        print(art.id, art.lang, art.published, art.title)
        print(art.text, "\n")
