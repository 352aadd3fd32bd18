"""Russian federal subjects and their time zones: where a migrant stays decides their clock.

The stored value is the English name (what Migrant.region and the statistics already hold);
a region not in the table, or none, falls back to the organisation's zone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

# (English name, Russian name, IANA time zone)
REGIONS: tuple[tuple[str, str, str], ...] = (
    ("Kaliningrad Oblast", "Калининградская область", "Europe/Kaliningrad"),
    ("Moscow", "Москва", "Europe/Moscow"),
    ("Moscow Oblast", "Московская область", "Europe/Moscow"),
    ("Saint Petersburg", "Санкт-Петербург", "Europe/Moscow"),
    ("Leningrad Oblast", "Ленинградская область", "Europe/Moscow"),
    ("Adygea", "Республика Адыгея", "Europe/Moscow"),
    ("Arkhangelsk Oblast", "Архангельская область", "Europe/Moscow"),
    ("Belgorod Oblast", "Белгородская область", "Europe/Moscow"),
    ("Bryansk Oblast", "Брянская область", "Europe/Moscow"),
    ("Chechnya", "Чеченская Республика", "Europe/Moscow"),
    ("Chuvashia", "Чувашская Республика", "Europe/Moscow"),
    ("Crimea", "Республика Крым", "Europe/Simferopol"),
    ("Dagestan", "Республика Дагестан", "Europe/Moscow"),
    ("Ingushetia", "Республика Ингушетия", "Europe/Moscow"),
    ("Ivanovo Oblast", "Ивановская область", "Europe/Moscow"),
    ("Kabardino-Balkaria", "Кабардино-Балкарская Республика", "Europe/Moscow"),
    ("Kalmykia", "Республика Калмыкия", "Europe/Moscow"),
    ("Kaluga Oblast", "Калужская область", "Europe/Moscow"),
    ("Karachay-Cherkessia", "Карачаево-Черкесская Республика", "Europe/Moscow"),
    ("Karelia", "Республика Карелия", "Europe/Moscow"),
    ("Kirov Oblast", "Кировская область", "Europe/Kirov"),
    ("Komi", "Республика Коми", "Europe/Moscow"),
    ("Kostroma Oblast", "Костромская область", "Europe/Moscow"),
    ("Krasnodar Krai", "Краснодарский край", "Europe/Moscow"),
    ("Kursk Oblast", "Курская область", "Europe/Moscow"),
    ("Lipetsk Oblast", "Липецкая область", "Europe/Moscow"),
    ("Mari El", "Республика Марий Эл", "Europe/Moscow"),
    ("Mordovia", "Республика Мордовия", "Europe/Moscow"),
    ("Murmansk Oblast", "Мурманская область", "Europe/Moscow"),
    ("Nenets Autonomous Okrug", "Ненецкий автономный округ", "Europe/Moscow"),
    ("Nizhny Novgorod Oblast", "Нижегородская область", "Europe/Moscow"),
    ("North Ossetia", "Республика Северная Осетия — Алания", "Europe/Moscow"),
    ("Novgorod Oblast", "Новгородская область", "Europe/Moscow"),
    ("Oryol Oblast", "Орловская область", "Europe/Moscow"),
    ("Penza Oblast", "Пензенская область", "Europe/Moscow"),
    ("Pskov Oblast", "Псковская область", "Europe/Moscow"),
    ("Rostov Oblast", "Ростовская область", "Europe/Moscow"),
    ("Ryazan Oblast", "Рязанская область", "Europe/Moscow"),
    ("Sevastopol", "Севастополь", "Europe/Simferopol"),
    ("Smolensk Oblast", "Смоленская область", "Europe/Moscow"),
    ("Stavropol Krai", "Ставропольский край", "Europe/Moscow"),
    ("Tambov Oblast", "Тамбовская область", "Europe/Moscow"),
    ("Tatarstan", "Республика Татарстан", "Europe/Moscow"),
    ("Tula Oblast", "Тульская область", "Europe/Moscow"),
    ("Tver Oblast", "Тверская область", "Europe/Moscow"),
    ("Vladimir Oblast", "Владимирская область", "Europe/Moscow"),
    ("Volgograd Oblast", "Волгоградская область", "Europe/Volgograd"),
    ("Vologda Oblast", "Вологодская область", "Europe/Moscow"),
    ("Voronezh Oblast", "Воронежская область", "Europe/Moscow"),
    ("Yaroslavl Oblast", "Ярославская область", "Europe/Moscow"),
    ("Astrakhan Oblast", "Астраханская область", "Europe/Astrakhan"),
    ("Samara Oblast", "Самарская область", "Europe/Samara"),
    ("Saratov Oblast", "Саратовская область", "Europe/Saratov"),
    ("Udmurtia", "Удмуртская Республика", "Europe/Samara"),
    ("Ulyanovsk Oblast", "Ульяновская область", "Europe/Ulyanovsk"),
    ("Bashkortostan", "Республика Башкортостан", "Asia/Yekaterinburg"),
    ("Chelyabinsk Oblast", "Челябинская область", "Asia/Yekaterinburg"),
    (
        "Khanty-Mansi Autonomous Okrug",
        "Ханты-Мансийский автономный округ — Югра",
        "Asia/Yekaterinburg",
    ),
    ("Kurgan Oblast", "Курганская область", "Asia/Yekaterinburg"),
    ("Orenburg Oblast", "Оренбургская область", "Asia/Yekaterinburg"),
    ("Perm Krai", "Пермский край", "Asia/Yekaterinburg"),
    ("Sverdlovsk Oblast", "Свердловская область", "Asia/Yekaterinburg"),
    ("Tyumen Oblast", "Тюменская область", "Asia/Yekaterinburg"),
    ("Yamalo-Nenets Autonomous Okrug", "Ямало-Ненецкий автономный округ", "Asia/Yekaterinburg"),
    ("Omsk Oblast", "Омская область", "Asia/Omsk"),
    ("Altai Krai", "Алтайский край", "Asia/Barnaul"),
    ("Altai Republic", "Республика Алтай", "Asia/Barnaul"),
    ("Kemerovo Oblast", "Кемеровская область — Кузбасс", "Asia/Novokuznetsk"),
    ("Khakassia", "Республика Хакасия", "Asia/Krasnoyarsk"),
    ("Krasnoyarsk Krai", "Красноярский край", "Asia/Krasnoyarsk"),
    ("Novosibirsk Oblast", "Новосибирская область", "Asia/Novosibirsk"),
    ("Tomsk Oblast", "Томская область", "Asia/Tomsk"),
    ("Tuva", "Республика Тыва", "Asia/Krasnoyarsk"),
    ("Buryatia", "Республика Бурятия", "Asia/Irkutsk"),
    ("Irkutsk Oblast", "Иркутская область", "Asia/Irkutsk"),
    ("Amur Oblast", "Амурская область", "Asia/Yakutsk"),
    ("Sakha (Yakutia)", "Республика Саха (Якутия)", "Asia/Yakutsk"),
    ("Zabaykalsky Krai", "Забайкальский край", "Asia/Chita"),
    ("Jewish Autonomous Oblast", "Еврейская автономная область", "Asia/Vladivostok"),
    ("Khabarovsk Krai", "Хабаровский край", "Asia/Vladivostok"),
    ("Primorsky Krai", "Приморский край", "Asia/Vladivostok"),
    ("Magadan Oblast", "Магаданская область", "Asia/Magadan"),
    ("Sakhalin Oblast", "Сахалинская область", "Asia/Sakhalin"),
    ("Chukotka Autonomous Okrug", "Чукотский автономный округ", "Asia/Anadyr"),
    ("Kamchatka Krai", "Камчатский край", "Asia/Kamchatka"),
)

ZONES = {name: zone for name, _ru, zone in REGIONS}
CHOICES = [("", "—"), *((name, f"{ru} · {name}") for name, ru, _zone in REGIONS)]


def zone_of(region: str) -> ZoneInfo | None:
    """The region's time zone, or None for a blank or unknown region."""
    name = ZONES.get((region or "").strip())
    return ZoneInfo(name) if name else None
