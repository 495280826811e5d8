"""Event dates: weekdays as ACLED codes them, relative days, explicit dates with their precision."""
import datetime as dt

import pytest

from gazetteer.normalize import normalize_aligned
from pipeline.dates import find_dates, most_recent_weekday
from pipeline.models import DatePrecision

PUB = dt.date(2020, 6, 3)  # a Wednesday


def first(text, published=PUB):
    found = find_dates(normalize_aligned(text)[0], published)
    return (found[0].date.date, found[0].date.precision) if found else None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("أعلن قنونو، الأربعاء، السيطرة", dt.date(2020, 6, 3)),
        ("أعلن قنونو، الاربعاء، السيطرة", dt.date(2020, 6, 3)),
        ("قتل عشرات، ليل الثلاثاء، في غارة", dt.date(2020, 6, 2)),
        ("مساء الخميس", dt.date(2020, 5, 28)),
        ("GNA forces said on Tuesday they had taken control", dt.date(2020, 6, 2)),
        ("The LNA said on Thursday", dt.date(2020, 5, 28)),
        ("قصف أمس", dt.date(2020, 6, 2)),
        ("clashes yesterday", dt.date(2020, 6, 2)),
    ],
)
def test_weekday_and_relative_days_resolve_on_or_before_publication(text, day):
    assert first(text) == (day, DatePrecision.DAY)


def test_explicit_day_without_year_takes_the_latest_year_not_after_publication():
    assert first("الاقتراح الذي قدمته الأمم المتحدة في 23 فبراير") == (dt.date(2020, 2, 23), DatePrecision.DAY)
    assert first("the attack of 5 June") == (dt.date(2019, 6, 5), DatePrecision.DAY)


def test_month_and_year_have_month_precision():
    assert first("شن حفتر هجوما في أبريل عام 2019") == (dt.date(2019, 4, 1), DatePrecision.MONTH)
    assert first("an offensive launched in April 2019") == (dt.date(2019, 4, 1), DatePrecision.MONTH)


def test_since_opens_a_period_and_dates_nothing():
    assert first("هجوما منذ أبريل من العام الماضي") is None


def test_no_publication_date_no_weekday_resolution():
    assert first("on Tuesday", published=None) is None


def test_most_recent_weekday():
    assert most_recent_weekday(2, PUB) == PUB
    assert most_recent_weekday(3, PUB) == dt.date(2020, 5, 28)


def test_last_week_has_week_precision():
    assert first("clashes last week in Ain Zara") == (dt.date(2020, 5, 27), DatePrecision.WEEK)
    assert first("اشتباكات الأسبوع الماضي") == (dt.date(2020, 5, 27), DatePrecision.WEEK)


def anchored(text):
    from pipeline.dates import find_anchored
    return [(a.days, a.before_event) for a in find_anchored(normalize_aligned(text)[0])]


def test_a_future_weekday_resolves_forward():
    assert first("الاجتماع الأحد المقبل في جنيف") == (dt.date(2020, 6, 7), DatePrecision.DAY)
    assert first("talks resume next Sunday") == (dt.date(2020, 6, 7), DatePrecision.DAY)


def test_late_and_midnight_weekdays():
    assert first("shelling late Tuesday") == (dt.date(2020, 6, 2), DatePrecision.DAY)
    assert first("منتصف ليل الأحد") == (dt.date(2020, 5, 31), DatePrecision.DAY)


def test_phrases_counting_from_another_date():
    assert anchored("pulled back the following day") == [(1, False)]
    assert anchored("في اليوم التالي انسحبت") == [(1, False)]
    assert anchored("في اليوم ذاته") == [(0, False)]
    assert anchored("two days after forces seized the town") == [(2, True)]
    assert anchored("وبعد ثلاثة أيام من سيطرتها") == [(3, True)]
    assert anchored("بعد يومين من استعادة المطار") == [(2, True)]
    assert first("في اليوم التالي") is None  # not "today"


def test_one_day_is_not_sunday():
    assert first("بعد أقل من يوم واحد على استعادة المطار") is None
    assert first("يوم الأحد") == (dt.date(2020, 5, 31), DatePrecision.DAY)
