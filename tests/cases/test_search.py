"""Finding people by name in either script, by phone in any format, or by case number."""

from __future__ import annotations

import pytest
from django.db import connection

from cases import search
from cases.models import Case, Membership
from tests import factories

# (as typed in one script, as written in the other) — real Tajik, Uzbek and Kyrgyz names.
NAME_PAIRS = [
    ("Rustam", "Рустам"),
    ("Shokhrukh", "Шохрух"),
    ("Shohruh", "Шохрух"),
    ("Shoxrux", "Шохрух"),
    ("Zarina", "Зарина"),
    ("Jamshed", "Джамшед"),
    ("Dzhamshed", "Ҷамшед"),
    ("Bakhtiyor", "Бахтиёр"),
    ("Khurshed", "Хуршед"),
    ("Yusupov", "Юсупов"),
    ("Qodirov", "Кодиров"),
    ("Qurbonov", "Қурбонов"),
    ("Gʻafurov", "Гафуров"),
    ("Oʻtkir", "Уткир"),
    ("Nodira Xasanova", "Нодира Хасанова"),
    ("Aizhan", "Айжан"),
    ("Zhumabaev", "Жумабаев"),
    ("Sydykova", "Сыдыкова"),
    ("Mukhammad", "Мухаммад"),
    ("Khojaev", "Ходжаев"),
    ("Rajabov", "Раджабов"),
    ("Ibrokhim", "Иброҳим"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), NAME_PAIRS)
def test_fold_makes_both_scripts_meet(latin, cyrillic):
    assert search.fold(latin) == search.fold(cyrillic)


@pytest.mark.parametrize(
    ("a", "b"), [("Rustam", "Ruslan"), ("Zarina", "Zarema"), ("Aziz", "Asiya")]
)
def test_different_names_stay_different(a, b):
    assert search.fold(a) != search.fold(b)


PEOPLE = [
    ("Rustam Nazarov", "Рустам Назаров", "+992935550001"),
    ("Shokhrukh Rahimov", "Шохрух Рахимов", "+998901230002"),
    ("Zarina Karimova", "Зарина Каримова", "+996555000003"),
    ("Jamshed Davlatov", "", "+79161230004"),
    ("Ruslan Nazarov", "Руслан Назаров", "+79161230005"),
]


SIMILAR_HEADING = "<h2>Similar names</h2>"


@pytest.fixture
def people(org, caseworker):
    cases = {}
    for latin, cyrillic, phone in PEOPLE:
        person = factories.migrant(
            org, caseworker, full_name_latin=latin, full_name_cyrillic=cyrillic, phone=phone
        )
        cases[latin] = factories.case(org, caseworker, person)
    return cases


def _found(client, query: str, *, section: str = "exact") -> set[str]:
    """The people listed for `query`: the exact matches, or the "Similar names" below them."""
    response = client.post("/cases/search/", {"q": query}, follow=True)
    assert response.status_code == 200
    exact, _marker, similar = response.content.decode().partition(SIMILAR_HEADING)
    page = exact if section == "exact" else similar
    return {latin for latin, _cyr, _phone in PEOPLE if latin in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Rustam", {"Rustam Nazarov"}),
        ("Рустам", {"Rustam Nazarov"}),
        ("рустам назаров", {"Rustam Nazarov"}),
        ("Nazarov Rustam", {"Rustam Nazarov"}),
        ("Назаров", {"Rustam Nazarov", "Ruslan Nazarov"}),
        ("Шохрух", {"Shokhrukh Rahimov"}),
        ("Shokhrukh", {"Shokhrukh Rahimov"}),
        ("Shoxrux Rahimov", {"Shokhrukh Rahimov"}),
        ("Зарина", {"Zarina Karimova"}),
        ("Zarina", {"Zarina Karimova"}),
        ("Джамшед", {"Jamshed Davlatov"}),  # entered in Latin only, found from Cyrillic
        ("Rus", {"Rustam Nazarov", "Ruslan Nazarov"}),  # prefix of a word
        ("stam", set()),  # not the middle of a word
    ],
)
def test_name_search_in_either_script(cw_client, people, query, expected):
    assert _found(cw_client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("+992 93 555 00 01", "Rustam Nazarov"),
        ("00992935550001", "Rustam Nazarov"),
        ("93 555 0001", "Rustam Nazarov"),  # without the country code: matched on last digits
        ("8 (916) 123-00-04", "Jamshed Davlatov"),
        ("+7 916 123 0004", "Jamshed Davlatov"),
        ("90 123 00 02", "Shokhrukh Rahimov"),
    ],
)
def test_phone_search_in_any_format(cw_client, people, query, expected):
    assert _found(cw_client, query) == {expected}


def test_case_number_search(cw_client, people):
    case = people["Zarina Karimova"]
    assert _found(cw_client, case.number) == {"Zarina Karimova"}
    assert _found(cw_client, case.number.lower()) == {"Zarina Karimova"}
    sequence = int(case.number.rsplit("-", 1)[1])
    assert _found(cw_client, str(sequence)) == {"Zarina Karimova"}


def test_search_text_never_appears_in_the_url(cw_client, people):
    response = cw_client.post("/cases/search/", {"q": "Шохрух +992901230002"})
    assert response.status_code == 302
    location = response["Location"]
    assert "%D0" not in location and "Шохрух" not in location and "992" not in location
    assert location.startswith("/cases/?s=")


def test_a_search_id_from_another_session_finds_nothing_special(client, org, people):
    other = factories.member(org)
    first = factories.member(org)
    client.force_login(first)
    location = client.post("/cases/search/", {"q": "Zarina"})["Location"]
    client.force_login(other)
    page = client.get(location).content.decode()
    assert "Zarina" not in page.split("<table", 1)[0]  # the search text did not leak
    assert all(c.number in page for c in Case.objects.all())  # the unfiltered list instead


def test_query_of_over_200_characters_is_a_400(cw_client, people):
    response = cw_client.post("/cases/search/", {"q": "x" * 201})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query", ["Rustam", "Назаров", "Shoxrux Rahimov", "Rus", "Ra", "stam", "Zarina Karimova"]
)
def test_name_search_finds_the_same_cases_whichever_the_query_shape(
    people, caseworker, other_org, query
):
    """Matching migrants first (a materialised subquery, for the trigram index) finds exactly
    what the plain join finds, and never another organisation's people."""
    from cases import queries
    from cases.models import Migrant

    stranger = factories.member(other_org, Membership.Role.CASEWORKER)
    factories.case(
        other_org,
        stranger,
        factories.migrant(other_org, stranger, full_name_latin="Rustam Nazarov"),
    )
    visible = Case.objects.visible_to(caseworker)
    plain = set(visible.filter(search.case_query(query)).values_list("pk", flat=True))
    shaped_q = search.case_query(query, Migrant.objects.visible_to(caseworker))
    shaped = set(visible.filter(shaped_q).values_list("pk", flat=True))
    assert shaped == plain
    listed = queries.filter_cases(visible, queries.CaseFilters(text=query), caseworker)
    assert set(listed.values_list("pk", flat=True)) == plain
    if all(len(word) >= 3 for word in search.fold(query).split()):
        assert "MATERIALIZED" in str(listed.query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Rustan Nazarof", {"Rustam Nazarov"}),  # two letters wrong
        ("Рустан", {"Rustam Nazarov"}),
        ("Zarinna Karimva", {"Zarina Karimova"}),
        ("Shohruh Rakimov", {"Shokhrukh Rahimov"}),
    ],
)
def test_a_misspelt_name_shows_similar_names_below_no_exact_match(
    cw_client, people, caseworker, other_org, query, expected
):
    stranger = factories.member(other_org, Membership.Role.CASEWORKER)
    factories.case(
        other_org, stranger, factories.migrant(other_org, stranger, full_name_latin="Zarina Karim")
    )
    assert _found(cw_client, query) == set()
    similar = _found(cw_client, query, section="similar")
    if connection.vendor != "postgresql":
        assert similar == set()  # no trigram similarity in SQLite: the page just says so
        return
    assert similar >= expected
    assert "Zarina Karim" not in similar  # another organisation's people stay invisible


def test_similar_names_are_only_offered_when_nothing_matches(cw_client, people):
    response = cw_client.post("/cases/search/", {"q": "Rustam"}, follow=True)
    assert SIMILAR_HEADING not in response.content.decode()
