"""The number parser: every form the seed articles use, what it must not read, and properties."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.numbers import (
    NumberMention,
    find_quantity,
    format_value,
    normalize_unit,
    parse_numbers,
    units_compatible,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

Expected = tuple[str, float, float, str, str, bool]
"""(raw, low, high, unit, kind, approximate) of one mention."""


def _shape(mention: NumberMention) -> Expected:
    return (
        mention.raw,
        mention.low,
        mention.high,
        mention.unit,
        mention.kind,
        mention.approximate,
    )


def _assert_mentions(text: str, expected: list[Expected]) -> None:
    got = [_shape(m) for m in parse_numbers(text)]
    assert len(got) == len(expected), got
    for (raw, low, high, unit, kind, approx), want in zip(got, expected, strict=True):
        assert (raw, unit, kind, approx) == (want[0], want[3], want[4], want[5]), (got, want)
        assert low == pytest.approx(want[1], rel=1e-9)
        assert high == pytest.approx(want[2], rel=1e-9)


# --------------------------------------------------------------------------- single forms

SINGLE: list[tuple[str, Expected]] = [
    # Korean money, with composed magnitudes and spaces before the unit
    ("560만달러", ("560만달러", 5.6e6, 5.6e6, "USD", "money", False)),
    ("3440억달러", ("3440억달러", 3.44e11, 3.44e11, "USD", "money", False)),
    ("1조 위안", ("1조 위안", 1e12, 1e12, "CNY", "money", False)),
    ("1조달러를", ("1조달러", 1e12, 1e12, "USD", "money", False)),  # 조달 is also a word
    ("$1,746억", ("$1,746억", 1.746e11, 1.746e11, "USD", "money", False)),
    ("5천억달러", ("5천억달러", 5e11, 5e11, "USD", "money", False)),
    ("약 45조원", ("약 45조원", 4.5e13, 4.5e13, "KRW", "money", True)),
    ("60억 달러", ("60억 달러", 6e9, 6e9, "USD", "money", False)),
    ("1조 2천억원", ("1조 2천억원", 1.2e12, 1.2e12, "KRW", "money", False)),
    ("5조7천억원", ("5조7천억원", 5.7e12, 5.7e12, "KRW", "money", False)),
    ("2천5백만 달러", ("2천5백만 달러", 2.5e7, 2.5e7, "USD", "money", False)),
    ("천억달러", ("천억달러", 1e11, 1e11, "USD", "money", False)),
    ("100엔", ("100엔", 100, 100, "JPY", "money", False)),
    ("10억달러 이상", ("10억달러 이상", 1e9, 1e9, "USD", "money", True)),
    ("100억 달러 가량", ("100억 달러 가량", 1e10, 1e10, "USD", "money", True)),
    ("1.5~2조원", ("1.5~2조원", 1.5e12, 2e12, "KRW", "money", False)),
    ("50억~60억달러", ("50억~60억달러", 5e9, 6e9, "USD", "money", False)),
    # bare Korean numerals
    ("1만1800", ("1만1800", 11800, 11800, "", "number", False)),
    ("5천억", ("5천억", 5e11, 5e11, "", "number", False)),
    ("3440억", ("3440억", 3.44e11, 3.44e11, "", "number", False)),
    ("1조 2천억", ("1조 2천억", 1.2e12, 1.2e12, "", "number", False)),
    ("1,746억", ("1,746억", 1.746e11, 1.746e11, "", "number", False)),
    ("1.5조", ("1.5조", 1.5e12, 1.5e12, "", "number", False)),
    ("5만~6만", ("5만~6만", 5e4, 6e4, "", "number", False)),
    # English money and magnitudes
    ("$5.6M", ("$5.6M", 5.6e6, 5.6e6, "USD", "money", False)),
    ("5.6 million", ("5.6 million", 5.6e6, 5.6e6, "", "number", False)),
    ("US$6 billion", ("US$6 billion", 6e9, 6e9, "USD", "money", False)),
    ("USD 5bn", ("USD 5bn", 5e9, 5e9, "USD", "money", False)),
    ("RMB 1 trillion", ("RMB 1 trillion", 1e12, 1e12, "CNY", "money", False)),
    ("6 billion yuan", ("6 billion yuan", 6e9, 6e9, "CNY", "money", False)),
    ("€5 billion", ("€5 billion", 5e9, 5e9, "EUR", "money", False)),
    ("₩5,000", ("₩5,000", 5000, 5000, "KRW", "money", False)),
    ("a billion dollars", ("a billion dollars", 1e9, 1e9, "USD", "money", False)),
    ("$5-6 billion", ("$5-6 billion", 5e9, 6e9, "USD", "money", False)),
    (
        "between 5 and 6 million dollars",
        ("between 5 and 6 million dollars", 5e6, 6e6, "USD", "money", False),
    ),
    ("50K", ("50K", 5e4, 5e4, "", "number", False)),
    ("1,234,567.89", ("1,234,567.89", 1234567.89, 1234567.89, "", "number", False)),
    # percent, ratio, times
    ("10%도", ("10%", 10, 10, "percent", "percent", False)),
    ("약 60%", ("약 60%", 60, 60, "percent", "percent", True)),
    ("15 per cent", ("15 per cent", 15, 15, "percent", "percent", False)),
    ("30퍼센트", ("30퍼센트", 30, 30, "percent", "percent", False)),
    ("0.5%p", ("0.5%p", 0.5, 0.5, "percentage-points", "percent", False)),
    ("10~20%", ("10~20%", 10, 20, "percent", "percent", False)),
    ("10분의 1", ("10분의 1", 0.1, 0.1, "ratio", "ratio", False)),
    ("4분의 3", ("4분의 3", 0.75, 0.75, "ratio", "ratio", False)),
    ("절반", ("절반", 0.5, 0.5, "ratio", "ratio", False)),
    ("3배", ("3배", 3, 3, "times", "ratio", False)),
    ("두 배 이상", ("두 배 이상", 2, 2, "times", "ratio", True)),
    ("10x faster", ("10x", 10, 10, "times", "ratio", False)),
    ("10-fold", ("10-fold", 10, 10, "times", "ratio", False)),
    # ranks
    ("세계 4위", ("4위", 4, 4, "rank", "rank", False)),
    ("10~20위", ("10~20위", 10, 20, "rank", "rank", False)),
    ("두 번째로", ("두 번째", 2, 2, "rank", "rank", False)),
    ("제3차 위원회", ("제3차", 3, 3, "rank", "rank", False)),
    ("No. 1", ("No. 1", 1, 1, "rank", "rank", False)),
    ("the 4th largest", ("4th", 4, 4, "rank", "rank", False)),
    # durations
    ("1~2년 뒤처진", ("1~2년", 1, 2, "years", "duration", False)),
    ("30여 년 만에", ("30여 년", 30, 30, "years", "duration", True)),
    ("6개월", ("6개월", 6, 6, "months", "duration", False)),
    ("2시간도", ("2시간", 2, 2, "hours", "duration", False)),
    ("3일간", ("3일간", 3, 3, "days", "duration", False)),
    ("하루 앞서", ("하루", 1, 1, "days", "duration", False)),
    ("two hours", ("two hours", 2, 2, "hours", "duration", False)),
    ("one to two years", ("one to two years", 1, 2, "years", "duration", False)),
    ("a 5-year plan", ("5-year", 5, 5, "years", "duration", False)),
    ("at least 5 years", ("at least 5 years", 5, 5, "years", "duration", True)),
    # dates and years
    ("2023년 7월 6일", ("2023년 7월 6일", 20230706, 20230706, "date", "date", False)),
    ("2023년 7월", ("2023년 7월", 202307, 202307, "year-month", "date", False)),
    ("2024년", ("2024년", 2024, 2024, "year", "year", False)),
    ("2020년대 초반", ("2020년대", 2020, 2029, "year", "year", False)),
    ("2021~2023년", ("2021~2023년", 2021, 2023, "year", "year", False)),
    ("2월에", ("2월", 2, 2, "month", "date", False)),
    ("11월 4일 기준", ("11월 4일", 1104, 1104, "month-day", "date", False)),
    ("15(현지시각)", ("15", 15, 15, "day", "date", False)),
    ("16일(현지시각)", ("16일", 16, 16, "day", "date", False)),
    ("2024-03-15", ("2024-03-15", 20240315, 20240315, "date", "date", False)),
    ("발행일 : 2024.04.02", ("2024.04.02", 20240402, 20240402, "date", "date", False)),
    ("July 6, 2023", ("July 6, 2023", 20230706, 20230706, "date", "date", False)),
    ("6 July 2023", ("6 July 2023", 20230706, 20230706, "date", "date", False)),
    ("March 2024", ("March 2024", 202403, 202403, "year-month", "date", False)),
    ("in 2024, the", ("2024", 2024, 2024, "year", "year", False)),
    ("the 1990s", ("1990s", 1990, 1999, "year", "year", False)),
    ("between 2021 and 2023", ("between 2021 and 2023", 2021, 2023, "year", "year", False)),
    ("1분기", ("1분기", 1, 1, "quarter", "date", False)),
    ("00:30", ("00:30", 30, 30, "time", "date", False)),
    # counts
    ("1만1800개소", ("1만1800개소", 11800, 11800, "sites", "count", False)),
    ("300개 이상", ("300개 이상", 300, 300, "items", "count", True)),
    ("300여 종", ("300여 종", 300, 300, "kinds", "count", True)),
    ("5~6만개", ("5~6만개", 5e4, 6e4, "items", "count", False)),
    ("1만8천개", ("1만8천개", 18000, 18000, "items", "count", False)),
    ("10여개국", ("10여개국", 10, 10, "countries", "count", True)),
    ("3천명", ("3천명", 3000, 3000, "people", "count", False)),
    ("5만여 명", ("5만여 명", 5e4, 5e4, "people", "count", True)),
    ("5건", ("5건", 5, 5, "cases", "count", False)),
    ("세 곳이나", ("세 곳", 3, 3, "places", "count", False)),
    ("여섯 가지 측면", ("여섯 가지", 6, 6, "kinds", "count", False)),
    ("최소 다섯 개의", ("최소 다섯 개", 5, 5, "items", "count", True)),
    ("스물한 개", ("스물한 개", 21, 21, "items", "count", False)),
    ("3대", ("3대", 3, 3, "units", "count", False)),
    ("논문 12편", ("12편", 12, 12, "papers", "count", False)),
    ("300 startups", ("300 startups", 300, 300, "startups", "count", False)),
    ("about 300 startups", ("about 300 startups", 300, 300, "startups", "count", True)),
    ("over 10,000 GPUs", ("over 10,000 GPUs", 1e4, 1e4, "gpus", "count", True)),
    ("300+ startups", ("300+ startups", 300, 300, "startups", "count", True)),
    ("six aspects", ("six aspects", 6, 6, "aspects", "count", False)),
    (
        "two hundred fifty thousand people",
        ("two hundred fifty thousand people", 250000, 250000, "people", "count", False),
    ),
    ("50,000-60,000", ("50,000-60,000", 5e4, 6e4, "", "number", False)),
    ("5 to 6 million", ("5 to 6 million", 5e6, 6e6, "", "number", False)),
    ("양즈린(35세)", ("35세", 35, 35, "years-old", "number", False)),
    ("-5%", ("-5%", -5, -5, "percent", "percent", False)),
    ("‘클로드 3.5 소넷’", ("3.5", 3.5, 3.5, "", "number", False)),
    # a Korean word that merely starts like a unit is not one (개발, 일본, 위원회, 원칙)
    ("3 개발", ("3", 3, 3, "", "number", False)),
    ("4 일본", ("4", 4, 4, "", "number", False)),
    ("3위원회", ("3", 3, 3, "", "number", False)),
    ("3원칙", ("3", 3, 3, "", "number", False)),
]


@pytest.mark.parametrize(("text", "expected"), SINGLE, ids=[text for text, _ in SINGLE])
def test_single_form(text: str, expected: Expected) -> None:
    _assert_mentions(text, [expected])


# --------------------------------------------------------------------------- seed sentences

SEED_SENTENCES: list[tuple[str, list[Expected]]] = [
    (
        "AI(인공지능) 간판이 2023년 7월 6일 중국 상하이에서 열린 세계 인공지능 회의(WAIC)에서",
        [("2023년 7월 6일", 20230706, 20230706, "date", "date", False)],
    ),
    (
        "여섯 가지 측면에서 여전히 미국의 선진 경제국에 뒤처져 있어 개선이 필요하다고 "
        "15(현지시각) 사우스차이나모닝포스트(SCMP)가 보도했다.",
        [
            ("여섯 가지", 6, 6, "kinds", "count", False),
            ("15", 15, 15, "day", "date", False),
        ],
    ),
    (
        "중국 생태계가 향후 3년에서 5년 내에 화웨이의 하모니OS와 안드로이드처럼",
        [
            ("3년", 3, 3, "years", "duration", False),
            ("5년", 5, 5, "years", "duration", False),
        ],
    ),
    (
        "중국 AI 스타트업들은 11월 4일 기준으로 작년 총액의 약 60%인 60억 달러를 조달했으며, "
        "이는 미국 기업의 모금액($1,746억)에 크게 뒤처진다.",
        [
            ("11월 4일", 1104, 1104, "month-day", "date", False),
            ("약 60%", 60, 60, "percent", "percent", True),
            ("60억 달러", 6e9, 6e9, "USD", "money", False),
            ("$1,746억", 1.746e11, 1.746e11, "USD", "money", False),
        ],
    ),
    (
        "3월, 중국 정부는 기술 개발 지원을 위해 1조 위안 규모의 국가 벤처캐피털 펀드를",
        [
            ("3월", 3, 3, "month", "date", False),
            ("1조 위안", 1e12, 1e12, "CNY", "money", False),
        ],
    ),
    (
        "미 경제방송 CNBC가 16일(현지시각) 보도했다. 딥시크(DeepSeek-R1) 모델은 'o1'과 비교해도",
        [("16일", 16, 16, "day", "date", False)],
    ),
    (
        "美와 1~2년 격차… 추격 불가능 中 외국인 투자 2년 새 10분의 1로",
        [
            ("1~2년", 1, 2, "years", "duration", False),
            ("2년", 2, 2, "years", "duration", False),
            ("10분의 1", 0.1, 0.1, "ratio", "ratio", False),
        ],
    ),
    (
        "미국 경제 전문 CNBC는 지난 31일(현지 시각) 'GPT-4'를 최근 선보였다. 메타의 LLM인 '라마1'",
        [("31일", 31, 31, "day", "date", False)],
    ),
    (
        "지난해 중국에 대한 외국인 직접투자(FDI)는 330억달러(약 45조원) 규모로, 역대 최고에 "
        "달했던 2021년(3440억달러)의 10%도 채 안 되는 수준으로 폭락했다.",
        [
            ("330억달러", 3.3e10, 3.3e10, "USD", "money", False),
            ("약 45조원", 4.5e13, 4.5e13, "KRW", "money", True),
            ("2021년", 2021, 2021, "year", "year", False),
            ("3440억달러", 3.44e11, 3.44e11, "USD", "money", False),
            ("10%", 10, 10, "percent", "percent", False),
        ],
    ),
    (
        "덩샤오핑 중국 전 국가주석이 1992년 외국자본을 적극 유치하기 시작한 후 30여 년 만의 최저치",
        [
            ("1992년", 1992, 1992, "year", "year", False),
            ("30여 년", 30, 30, "years", "duration", True),
        ],
    ),
    (
        "투자된 자금은 425억달러로, 그중 310억달러가 미국 기업에 투입됐다. "
        "중국 기업에 들어간 돈은 20억달러에 불과했다.",
        [
            ("425억달러", 4.25e10, 4.25e10, "USD", "money", False),
            ("310억달러", 3.1e10, 3.1e10, "USD", "money", False),
            ("20억달러", 2e9, 2e9, "USD", "money", False),
        ],
    ),
    ("엔비디아의 A100, H100 등 제품은 모두 대중 수출이 엄격하게 금지된 상황이다.", []),
    (
        "대형 데이터센터 보유수 세계 4위 중국의 AI 스타트업, 300개 이상.. 알리바바",
        [
            ("4위", 4, 4, "rank", "rank", False),
            ("300개 이상", 300, 300, "items", "count", True),
        ],
    ),
    (
        "AI 분야에 5천억달러를 투자하는 ‘스타게이트 프로젝트’를 발표했다. 그러나 하루 앞서 "
        "‘딥시크(DeepSeek)’는 불과 560만달러만 소요되었음에도 1억달러 이상 투입된 "
        "챗지피티-4(ChatGPT-4) 이상의 성능",
        [
            ("5천억달러", 5e11, 5e11, "USD", "money", False),
            ("하루", 1, 1, "days", "duration", False),
            ("560만달러", 5.6e6, 5.6e6, "USD", "money", False),
            ("1억달러 이상", 1e8, 1e8, "USD", "money", True),
        ],
    ),
    (
        "중국 대학은 2016년에 10위 안에 베이징대 한 개뿐이었으나, 2024년에는 2위(중국과학원대)부터 "
        "9위(상하이교통대)까지 8개나 될 정도로",
        [
            ("2016년", 2016, 2016, "year", "year", False),
            ("10위", 10, 10, "rank", "rank", False),
            ("한 개", 1, 1, "items", "count", False),
            ("2024년", 2024, 2024, "year", "year", False),
            ("2위", 2, 2, "rank", "rank", False),
            ("9위", 9, 9, "rank", "rank", False),
            ("8개", 8, 8, "items", "count", False),
        ],
    ),
    (
        "중국 대학들은 10~20위 내에도 12위 푸단대를 비롯 세 곳이 있었으며, 21~30위 내에도",
        [
            ("10~20위", 10, 20, "rank", "rank", False),
            ("12위", 12, 12, "rank", "rank", False),
            ("세 곳", 3, 3, "places", "count", False),
            ("21~30위", 21, 30, "rank", "rank", False),
        ],
    ),
    (
        "현재 전세계에는 1만1800개소의 대형 데이터센터가 있는 것으로 알려져 있는데 미국이 "
        "압도적으로 많아 5381개소에 달하지만, 중국 역시 449개소를 갖고 있어 2위 독일(521개소)",
        [
            ("1만1800개소", 11800, 11800, "sites", "count", False),
            ("5381개소", 5381, 5381, "sites", "count", False),
            ("449개소", 449, 449, "sites", "count", False),
            ("2위", 2, 2, "rank", "rank", False),
            ("521개소", 521, 521, "sites", "count", False),
        ],
    ),
    (
        "일본 니혼게이자이신문의 2월 3일 기사에 따르면 AI 상위 3개 학회의 채택 논문 중 2024년 "
        "저자수 순위에서 중국 기관은 상위 100개 중 31개를 차지해 미국 37개에 이어 두 번째로",
        [
            ("2월 3일", 203, 203, "month-day", "date", False),
            ("3개", 3, 3, "items", "count", False),
            ("2024년", 2024, 2024, "year", "year", False),
            ("100개", 100, 100, "items", "count", False),
            ("31개", 31, 31, "items", "count", False),
            ("37개", 37, 37, "items", "count", False),
            ("두 번째", 2, 2, "rank", "rank", False),
        ],
    ),
    (
        "베이징대는 17위에서 공동 6위로, 저장대는 89위에서",
        [
            ("17위", 17, 17, "rank", "rank", False),
            ("6위", 6, 6, "rank", "rank", False),
            ("89위", 89, 89, "rank", "rank", False),
        ],
    ),
    (
        "딥시크가 공개된 지 2시간도 채 안되어 ‘Kimi k1.5’가 ‘클로드 3.5 소넷’을 능가하는",
        [
            ("2시간", 2, 2, "hours", "duration", False),
            ("3.5", 3.5, 3.5, "", "number", False),
        ],
    ),
    (
        "문샷 AI의 기업가치는 1월 기준 33억달러(약 5100억원)에 달한다.",
        [
            ("1월", 1, 1, "month", "date", False),
            ("33억달러", 3.3e9, 3.3e9, "USD", "money", False),
            ("약 5100억원", 5.1e11, 5.1e11, "KRW", "money", True),
        ],
    ),
    (
        "‘지푸 AI(2019년 설립)’ 등이 기업가치 10억달러 이상인 주요 유니콘 기업으로 알려져 있다. "
        "설립 1년 만에 10억달러를 조달했으며",
        [
            ("2019년", 2019, 2019, "year", "year", False),
            ("10억달러 이상", 1e9, 1e9, "USD", "money", True),
            ("1년", 1, 1, "years", "duration", False),
            ("10억달러", 1e9, 1e9, "USD", "money", False),
        ],
    ),
    (
        "알리바바 클라우드’는 1월 29일 자사 LLM ‘Qwen’의 최신 버전인 ‘2.5-Max’를 발표하면서 "
        "딥시크 V3의 성능을 넘어섰다고",
        [("1월 29일", 129, 129, "month-day", "date", False)],
    ),
    (
        "생성형 AI 서비스는 이미 300여 종을 넘어섰는데",
        [("300여 종", 300, 300, "kinds", "count", True)],
    ),
    (
        "딥시크 한 회사가 고성능 GPU 5~6만개를 보유하고 있는데 비해 우리는 국가적으로 몇천개 "
        "정도에 불과한 실정이다.",
        [("5~6만개", 5e4, 6e4, "items", "count", False)],
    ),
    (
        "2월 20일 ‘제3차 국가인공지능위원회’를 통해 고성능 GPU 1만8천개를 확보하고 2027년까지 "
        "유니콘 5개 육성 및 제조 AI 전문기업 10개에 대한 집중 지원 방안을 수립하며 금년에 "
        "정책 금융 5조7천억원을 투입해",
        [
            ("2월 20일", 220, 220, "month-day", "date", False),
            ("제3차", 3, 3, "rank", "rank", False),
            ("1만8천개", 18000, 18000, "items", "count", False),
            ("2027년", 2027, 2027, "year", "year", False),
            ("5개", 5, 5, "items", "count", False),
            ("10개", 10, 10, "items", "count", False),
            ("5조7천억원", 5.7e12, 5.7e12, "KRW", "money", False),
        ],
    ),
    (
        "최봉 산업경제 전문기자 입력 : 2025.02.24 00:30 ㅣ 수정 : 2025.02.24 00:30",
        [
            ("2025.02.24", 20250224, 20250224, "date", "date", False),
            ("00:30", 30, 30, "time", "date", False),
            ("2025.02.24", 20250224, 20250224, "date", "date", False),
            ("00:30", 30, 30, "time", "date", False),
        ],
    ),
    (
        "양즈린(35세)은 중국 칭화대 출신으로",
        [("35세", 35, 35, "years-old", "number", False)],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), SEED_SENTENCES, ids=[text[:24] for text, _ in SEED_SENTENCES]
)
def test_seed_sentence(text: str, expected: list[Expected]) -> None:
    _assert_mentions(text, expected)


def test_seed_articles_parse_cleanly() -> None:
    """Whole articles: no model name becomes a number, and mentions stay in order."""
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip("no seed articles in this checkout")
    for path in files:
        text = path.read_text(encoding="utf-8")
        mentions = parse_numbers(text)
        assert all(m.raw == text[m.start : m.end] for m in mentions)
        assert all(a.end <= b.start for a, b in pairwise(mentions))
        raws = {m.raw for m in mentions}
        assert not raws & {"4", "100", "1", "3", "8", "1.5", "2.5"}, path.name


# --------------------------------------------------------------------------- not numbers

NOT_NUMBERS = [
    "GPT-4",
    "'GPT-4'를 최근 선보였다",
    "GPT-4o",
    "A100",
    "H100",
    "Qwen2.5",
    "V3",
    "딥시크 V3의 성능",
    "DeepSeek-R1",
    "R1",
    "o1",
    "챗지피티-4(ChatGPT-4)",
    "라마1",
    "‘2.5-Max’",
    "Kimi k1.5",
    "version 3.5.1",
    "5G",
    "7nm",
    "COVID-19",
    "010-1234-5678",
    "X is safe",
    "one of the six",
    "한편 국내 대학은",
    "세대",
    "세계",
    "만약 그가",
    "수십개",
    "몇천개",
    "두 주요 주체",
    "딥시크 한 회사가",
    "자금을 조달했다",
    "",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_number(text: str) -> None:
    assert parse_numbers(text) == []


def test_value_is_none_for_a_range() -> None:
    (single,) = parse_numbers("560만달러")
    (span,) = parse_numbers("5만~6만")
    assert single.value == 5.6e6
    assert span.value is None


# --------------------------------------------------------------------------- NFD offsets


def test_offsets_refer_to_the_callers_nfd_text() -> None:
    nfc = "지난해 330억달러(약 45조원) 규모로, 1만1800개소 세 곳 2023년 7월 6일"
    nfd = unicodedata.normalize("NFD", nfc)
    assert len(nfd) > len(nfc)
    composed = parse_numbers(nfc)
    decomposed = parse_numbers(nfd)
    assert [(m.low, m.high, m.unit, m.kind, m.approximate) for m in decomposed] == [
        (m.low, m.high, m.unit, m.kind, m.approximate) for m in composed
    ]
    for m in decomposed:
        assert m.raw == nfd[m.start : m.end]
    assert [unicodedata.normalize("NFC", m.raw) for m in decomposed] == [m.raw for m in composed]


# --------------------------------------------------------------------------- find_quantity

QUOTE = "딥시크는 불과 560만달러만 소요되었음에도 1억달러 이상 투입된 모델, 데이터센터 1만1800개소"


@pytest.mark.parametrize(
    ("low", "high", "unit", "raw"),
    [
        (5.6e6, 5.6e6, "USD", "560만달러"),
        (5.6e6, 5.6e6, "dollars", "560만달러"),
        (5.62e6, 5.62e6, "USD", "560만달러"),  # within 0.5 %
        (1e8, 1e8, "USD", "1억달러 이상"),
        (11800, 11800, "data-centers", "1만1800개소"),
        (11800, 11800, "", "1만1800개소"),
    ],
)
def test_find_quantity_matches(low: float, high: float, unit: str, raw: str) -> None:
    found = find_quantity(QUOTE, low, high, unit)
    assert found is not None
    assert found.raw == raw


@pytest.mark.parametrize(
    ("low", "high", "unit"),
    [
        (5.7e6, 5.7e6, "USD"),  # 1.8 % off: outside the default tolerance
        (5.6e6, 5.6e6, "KRW"),  # another currency
        (5.6e6, 5.6e6, "percent"),
        (11800, 11800, "years"),
        (5e6, 6e6, "USD"),
    ],
)
def test_find_quantity_rejects(low: float, high: float, unit: str) -> None:
    assert find_quantity(QUOTE, low, high, unit) is None


def test_find_quantity_tolerance_and_ranges() -> None:
    assert find_quantity(QUOTE, 5.7e6, 5.7e6, "USD", rel_tol=0.02) is not None
    found = find_quantity("고성능 GPU 5~6만개를 보유", 5e4, 6e4, "GPUs")
    assert found is not None and found.raw == "5~6만개"
    assert find_quantity("고성능 GPU 5~6만개를 보유", 5e4, 5e4, "GPUs") is None


def test_find_quantity_prefers_the_claims_unit() -> None:
    text = "5.6 million, or $5.6M"
    found = find_quantity(text, 5.6e6, 5.6e6, "USD")
    assert found is not None and found.raw == "$5.6M"
    bare = find_quantity("5.6 million", 5.6e6, 5.6e6, "USD")
    assert bare is not None and bare.unit == ""


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("USD", "USD", True),
        ("USD", "dollars", True),
        ("USD", "$", True),
        ("USD", "KRW", False),
        ("USD", "items", False),
        ("CNY", "yuan", True),
        ("", "USD", True),
        ("years", "", True),
        ("items", "companies", True),
        ("sites", "data-centers", True),
        ("people", "researchers", True),
        ("models", "papers", True),
        ("percent", "%", True),
        ("percent", "percentage-points", False),
        ("percent", "ratio", False),
        ("years", "year", False),
        ("years", "months", False),
        ("rank", "items", False),
        ("times", "x", True),
        ("date", "year", False),
    ],
)
def test_units_compatible(a: str, b: str, ok: bool) -> None:
    assert units_compatible(a, b) is ok
    assert units_compatible(b, a) is ok


@pytest.mark.parametrize(
    ("unit", "normal"),
    [
        ("USD", "USD"),
        ("usd", "USD"),
        ("달러", "USD"),
        ("%", "percent"),
        ("Data centers", "data-centers"),
        ("  ", ""),
        ("1", ""),
    ],
)
def test_normalize_unit(unit: str, normal: str) -> None:
    assert normalize_unit(unit) == normal


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (5.6e6, "USD", "5.6 million USD"),
        (3.3e10, "USD", "33 billion USD"),
        (1.746e11, "USD", "174.6 billion USD"),
        (4.5e13, "KRW", "45 trillion KRW"),
        (11800, "data-centers", "11,800 data-centers"),
        (10, "percent", "10 percent"),
        (10, "%", "10 percent"),
        (0.1, "ratio", "0.1 (ratio)"),
        (3, "times", "3 times"),
        (4, "rank", "rank 4"),
        (1, "years", "1 year"),
        (2, "years", "2 years"),
        (20230706, "date", "2023-07-06"),
        (202307, "year-month", "2023-07"),
        (2024, "year", "2024"),
        (2, "month", "February"),
        (1104, "month-day", "November 4"),
        (30, "time", "00:30"),
        (1234.5, "", "1,234.5"),
    ],
)
def test_format_value(value: float, unit: str, text: str) -> None:
    assert format_value(value, unit) == text


# --------------------------------------------------------------------------- properties


def _korean_group(n: int, style: int) -> str:
    """n (1..9999) as a quote might write it: "3440", "3,440" or "3천4백40"."""
    if style == 1 and n >= 1000:
        return f"{n:,}"
    if style == 2:
        thousands, hundreds, rest = n // 1000, n // 100 % 10, n % 100
        parts = [f"{thousands}천" if thousands else "", f"{hundreds}백" if hundreds else ""]
        return "".join(parts) + (str(rest) if rest else "")
    return str(n)


@st.composite
def korean_numbers(draw: st.DrawFn) -> tuple[int, str]:
    """An integer with at least one of 조/억/만, written the ways Korean news writes it."""
    groups = [draw(st.integers(0, 9999)) for _ in range(4)]  # 조, 억, 만, units
    if not any(groups[:3]):
        groups[draw(st.integers(0, 2))] = draw(st.integers(1, 9999))
    value = groups[0] * 10**12 + groups[1] * 10**8 + groups[2] * 10**4 + groups[3]
    text = ""
    for group, big in zip(groups[:3], "조억만", strict=True):
        if group:
            space = " " if text and draw(st.booleans()) else ""
            text += space + _korean_group(group, draw(st.integers(0, 2))) + big
    if groups[3]:
        text += _korean_group(groups[3], draw(st.sampled_from([0, 2])))
    return value, text


@settings(max_examples=300)
@given(korean_numbers(), st.sampled_from(["", "달러", " 위안", "원", "개"]))
def test_korean_magnitudes_round_trip(number: tuple[int, str], unit: str) -> None:
    value, written = number
    mentions = parse_numbers(f"총 {written}{unit}를 투자했다")
    assert len(mentions) == 1, (written, mentions)
    assert mentions[0].value == pytest.approx(value, rel=1e-12)
    assert mentions[0].raw == written + unit


@settings(max_examples=300)
@given(st.integers(0, 10**13), st.sampled_from(["", "$", "US$"]))
def test_english_integers_with_separators(value: int, prefix: str) -> None:
    written = f"{prefix}{value:,}"
    (mention,) = parse_numbers(f"They raised {written} last year.")
    assert mention.value == value
    assert mention.raw == written
    assert mention.unit == ("USD" if prefix else "")


@settings(max_examples=300)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_english_decimals(value: Decimal) -> None:
    written = f"{value:,.2f}"
    (mention,) = parse_numbers(f"about {written} percent")
    assert mention.value == pytest.approx(float(value), rel=1e-12, abs=1e-12)
    assert mention.unit == "percent"
    assert mention.approximate


@settings(max_examples=200)
@given(
    st.integers(1, 999),
    st.integers(0, 9),
    st.sampled_from([("million", 1e6), ("billion", 1e9), ("M", 1e6), ("bn", 1e9), ("K", 1e3)]),
)
def test_english_magnitudes(whole: int, tenth: int, magnitude: tuple[str, float]) -> None:
    word, factor = magnitude
    sep = " " if len(word) > 2 else ""
    (mention,) = parse_numbers(f"${whole}.{tenth}{sep}{word} in funding")
    assert mention.value == pytest.approx((whole + tenth / 10) * factor, rel=1e-12)
    assert mention.unit == "USD"


def _check_invariants(text: str, mentions: list[NumberMention]) -> None:
    previous_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert m.start >= previous_end
        assert m.raw == text[m.start : m.end]
        assert m.low <= m.high or m.low != m.low
        previous_end = m.end


@settings(max_examples=500)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check_invariants(text, parse_numbers(text))


NUMBERISH = st.text(
    alphabet=st.sampled_from(
        list("0123456789 ,.-~%$()+:") + list("만억조천백원달러위안개명년월일배분의여약이상세곳")
    ),
    max_size=40,
)


@settings(max_examples=500)
@given(NUMBERISH)
def test_numberish_text_keeps_invariants(text: str) -> None:
    _check_invariants(text, parse_numbers(text))


@settings(max_examples=300)
@given(NUMBERISH)
def test_nfd_text_gives_the_same_mentions(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    composed = parse_numbers(text)
    decomposed = parse_numbers(nfd)
    _check_invariants(nfd, decomposed)
    assert [(m.low, m.high, m.unit, m.kind) for m in decomposed] == [
        (m.low, m.high, m.unit, m.kind) for m in composed
    ]
    assert [unicodedata.normalize("NFC", m.raw) for m in decomposed] == [m.raw for m in composed]


def test_find_quantity_accepts_a_range_written_as_two_numbers() -> None:
    quote = "3년에서 5년 내에 별도의 생태계를 구축할 것"
    found = find_quantity(quote, 3, 5, "years")
    assert found is not None
    assert (found.low, found.high, found.raw) == (3, 5, "3년에서 5년")
    assert find_quantity(quote, 3, 6, "years") is None
    assert find_quantity(quote, 5, 3, "years") is None
