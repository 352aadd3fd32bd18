# ruff: noqa: E501 — translation data reads best one string per line
"""Machine-produced seed translations for the portal's catalogues (portal/locale/*/django.po).

Every entry written from here carries the translator comment
"machine translation — needs review by a native speaker", so reviewers can find them; once a
native speaker has reviewed an entry in the .po file, they delete that comment there.
`python -m portal.i18n.fill` only fills entries that are still empty, so reviewed work is kept.

Plural lists follow each catalogue's Plural-Forms: ru 4 forms, tg 2, uz 1, ky 1.
"""

from __future__ import annotations

T: dict[str, dict[str, str]] = {
    "Please fill this in.": {
        "ru": "Заполните это поле.",
        "tg": "Лутфан, инро пур кунед.",
        "uz": "Iltimos, buni toʻldiring.",
        "ky": "Сураныч, муну толтуруңуз.",
    },
    "Case code": {"ru": "Код дела", "tg": "Рамзи парванда", "uz": "Ish kodi", "ky": "Иштин коду"},
    "PIN or date of birth (DD.MM.YYYY)": {
        "ru": "PIN-код или дата рождения (ДД.ММ.ГГГГ)",
        "tg": "PIN-код ё санаи таваллуд (РР.ММ.СССС)",
        "uz": "PIN-kod yoki tugʻilgan sana (KK.OO.YYYY)",
        "ky": "PIN-код же туулган күн (КК.АА.ЖЖЖЖ)",
    },
    "Tajikistan": {"ru": "Таджикистан", "tg": "Тоҷикистон", "uz": "Tojikiston", "ky": "Тажикстан"},
    "Uzbekistan": {"ru": "Узбекистан", "tg": "Ӯзбекистон", "uz": "Oʻzbekiston", "ky": "Өзбекстан"},
    "Kyrgyzstan": {
        "ru": "Кыргызстан",
        "tg": "Қирғизистон",
        "uz": "Qirgʻiziston",
        "ky": "Кыргызстан",
    },
    "Kazakhstan": {"ru": "Казахстан", "tg": "Қазоқистон", "uz": "Qozogʻiston", "ky": "Казакстан"},
    "Armenia": {"ru": "Армения", "tg": "Арманистон", "uz": "Armaniston", "ky": "Армения"},
    "Registering my stay": {
        "ru": "Постановка на миграционный учёт (регистрация)",
        "tg": "Бақайдгирии муҳоҷиратӣ (қайд)",
        "uz": "Migratsiya hisobiga turish (roʻyxatdan oʻtish)",
        "ky": "Миграциялык каттоо (катталуу)",
    },
    "Patent: permission to work": {
        "ru": "Патент: разрешение на работу",
        "tg": "Патент: иҷозат барои кор",
        "uz": "Patent: ishlashga ruxsat",
        "ky": "Патент: иштөөгө уруксат",
    },
    "My employer has not paid me": {
        "ru": "Работодатель мне не заплатил",
        "tg": "Корфармо ба ман музд надод",
        "uz": "Ish beruvchi menga pul toʻlamadi",
        "ky": "Иш берүүчү мага акы төлөгөн жок",
    },
    "Someone is keeping my passport": {
        "ru": "Кто-то удерживает мой паспорт",
        "tg": "Касе шиносномаи маро нигоҳ медорад",
        "uz": "Kimdir pasportimni ushlab turibdi",
        "ky": "Бирөө паспортумду кармап турат",
    },
    "Ban on entering Russia": {
        "ru": "Запрет на въезд в Россию",
        "tg": "Манъи вуруд ба Русия",
        "uz": "Rossiyaga kirish taqiqi",
        "ky": "Россияга кирүүгө тыюу",
    },
    "Police stopped or detained me": {
        "ru": "Меня остановила или задержала полиция",
        "tg": "Полис маро боздошт кард ё нигоҳ дошт",
        "uz": "Politsiya meni toʻxtatdi yoki ushlab qoldi",
        "ky": "Полиция мени токтотту же кармады",
    },
    "Something else": {
        "ru": "Другое",
        "tg": "Чизи дигар",
        "uz": "Boshqa narsa",
        "ky": "Башка нерсе",
    },
    "Your citizenship": {
        "ru": "Ваше гражданство",
        "tg": "Шаҳрвандии шумо",
        "uz": "Fuqaroligingiz",
        "ky": "Жарандыгыңыз",
    },
    "Choose from the list.": {
        "ru": "Выберите из списка.",
        "tg": "Аз рӯйхат интихоб кунед.",
        "uz": "Roʻyxatdan tanlang.",
        "ky": "Тизмеден тандаңыз.",
    },
    "Date you arrived in Russia": {
        "ru": "Дата въезда в Россию",
        "tg": "Санаи ба Русия омадани шумо",
        "uz": "Rossiyaga kelgan sanangiz",
        "ky": "Россияга келген күнүңүз",
    },
    "Write the date like 31.12.2025.": {
        "ru": "Напишите дату так: 31.12.2025.",
        "tg": "Санаро чунин нависед: 31.12.2025.",
        "uz": "Sanani shunday yozing: 31.12.2025.",
        "ky": "Күндү мындай жазыңыз: 31.12.2025.",
    },
    "What do you need help with?": {
        "ru": "С чем вам нужна помощь?",
        "tg": "Ба шумо дар чӣ ёрӣ лозим аст?",
        "uz": "Sizga nima boʻyicha yordam kerak?",
        "ky": "Сизге эмне боюнча жардам керек?",
    },
    "Help": {"ru": "Помощь", "tg": "Ёрӣ", "uz": "Yordam", "ky": "Жардам"},
    "Call": {"ru": "Позвонить", "tg": "Занг задан", "uz": "Qoʻngʻiroq qilish", "ky": "Чалуу"},
    "Emergency hotline": {
        "ru": "Горячая линия (срочно)",
        "tg": "Хатти боварӣ (фаврӣ)",
        "uz": "Ishonch telefoni (shoshilinch)",
        "ky": "Ишеним телефону (шашылыш)",
    },
    "My documents": {
        "ru": "Мои документы",
        "tg": "Ҳуҷҷатҳои ман",
        "uz": "Hujjatlarim",
        "ky": "Менин документтерим",
    },
    "Quick exit": {
        "ru": "Быстрый выход",
        "tg": "Баромади фаврӣ",
        "uz": "Tez chiqish",
        "ky": "Тез чыгуу",
    },
    "Language": {"ru": "Язык", "tg": "Забон", "uz": "Til", "ky": "Тил"},
    "Hello, %(name)s": {
        "ru": "Здравствуйте, %(name)s",
        "tg": "Салом, %(name)s",
        "uz": "Assalomu alaykum, %(name)s",
        "ky": "Саламатсызбы, %(name)s",
    },
    "You are offline. This is the copy saved on your phone.": {
        "ru": "Нет интернета. Это копия, сохранённая на вашем телефоне.",
        "tg": "Интернет нест. Ин нусхаест, ки дар телефони шумо нигоҳ дошта шудааст.",
        "uz": "Internet yoʻq. Bu telefoningizda saqlangan nusxa.",
        "ky": "Интернет жок. Бул телефонуңузда сакталган көчүрмө.",
    },
    "Updated": {"ru": "Обновлено", "tg": "Навсозӣ шуд", "uz": "Yangilangan", "ky": "Жаңыртылды"},
    "Deadlines": {"ru": "Сроки", "tg": "Мӯҳлатҳо", "uz": "Muddatlar", "ky": "Мөөнөттөр"},
    "Today is the last day": {
        "ru": "Сегодня последний день",
        "tg": "Имрӯз рӯзи охирин аст",
        "uz": "Bugun oxirgi kun",
        "ky": "Бүгүн акыркы күн",
    },
    "Last day": {
        "ru": "Последний день",
        "tg": "Рӯзи охирин",
        "uz": "Oxirgi kun",
        "ky": "Акыркы күн",
    },
    "Call us today: we will help you.": {
        "ru": "Позвоните нам сегодня: мы поможем.",
        "tg": "Имрӯз ба мо занг занед: мо ёрӣ мерасонем.",
        "uz": "Bugun bizga qoʻngʻiroq qiling: biz yordam beramiz.",
        "ky": "Бүгүн бизге чалыңыз: биз жардам беребиз.",
    },
    "No deadlines right now.": {
        "ru": "Сейчас сроков нет.",
        "tg": "Ҳоло мӯҳлате нест.",
        "uz": "Hozircha muddatlar yoʻq.",
        "ky": "Азырынча мөөнөттөр жок.",
    },
    "Your documents": {
        "ru": "Ваши документы",
        "tg": "Ҳуҷҷатҳои шумо",
        "uz": "Hujjatlaringiz",
        "ky": "Сиздин документтериңиз",
    },
    "How to get it": {
        "ru": "Как получить",
        "tg": "Чӣ тавр гирифтан",
        "uz": "Qanday olish mumkin",
        "ky": "Кантип алуу керек",
    },
    "Cost": {"ru": "Стоимость", "tg": "Нарх", "uz": "Narxi", "ky": "Баасы"},
    "You have it": {
        "ru": "Есть у вас",
        "tg": "Дар шумо ҳаст",
        "uz": "Bu sizda bor",
        "ky": "Бул сизде бар",
    },
    "I have it": {"ru": "У меня есть", "tg": "Дар ман ҳаст", "uz": "Menda bor", "ky": "Менде бар"},
    "Your caseworker has not listed any documents yet.": {
        "ru": "Ваш консультант ещё не добавил документы.",
        "tg": "Мушовири шумо ҳанӯз ҳуҷҷатҳоро илова накардааст.",
        "uz": "Maslahatchingiz hali hujjatlarni qoʻshmagan.",
        "ky": "Кеңешчиңиз азырынча документтерди кошо элек.",
    },
    "Print or show at an office": {
        "ru": "Распечатать или показать в учреждении",
        "tg": "Чоп кардан ё дар идора нишон додан",
        "uz": "Chop etish yoki idorada koʻrsatish",
        "ky": "Басып чыгаруу же мекемеде көрсөтүү",
    },
    "Print this page and give it to the migrant. The link and PIN are shown only now: print before leaving the page.": {
        "ru": "Распечатайте эту страницу и отдайте мигранту. Ссылка и PIN-код показываются только сейчас: распечатайте, прежде чем уйти со страницы.",
        "tg": "Ин саҳифаро чоп карда, ба муҳоҷир диҳед. Пайванд ва PIN-код танҳо ҳоло нишон дода мешаванд: пеш аз тарк кардани саҳифа чоп кунед.",
        "uz": "Bu sahifani chop etib, migrantga bering. Havola va PIN-kod faqat hozir koʻrsatiladi: sahifadan chiqishdan oldin chop eting.",
        "ky": "Бул баракты басып чыгарып, мигрантка бериңиз. Шилтеме жана PIN-код азыр гана көрсөтүлөт: барактан чыгаардан мурун басып чыгарыңыз.",
    },
    "Back": {"ru": "Назад", "tg": "Бозгашт", "uz": "Orqaga", "ky": "Артка"},
    "Your personal page": {
        "ru": "Ваша личная страница",
        "tg": "Саҳифаи шахсии шумо",
        "uz": "Shaxsiy sahifangiz",
        "ky": "Сиздин жеке барагыңыз",
    },
    "Scan the code with your phone camera, or type the address. It shows your documents and deadlines in your language.": {
        "ru": "Наведите камеру телефона на код или введите адрес. Там ваши документы и сроки на вашем языке.",
        "tg": "Рамзро бо камераи телефон скан кунед ё суроғаро нависед. Дар он ҳуҷҷатҳо ва мӯҳлатҳои шумо бо забони шумо нишон дода мешаванд.",
        "uz": "Kodni telefon kamerasi bilan skanerlang yoki manzilni yozing. Unda hujjatlaringiz va muddatlaringiz oʻz tilingizda koʻrsatiladi.",
        "ky": "Кодду телефондун камерасы менен сканерлеңиз же даректи жазыңыз. Анда документтериңиз жана мөөнөттөрүңүз өз тилиңизде көрсөтүлөт.",
    },
    "If you lose this paper": {
        "ru": "Если вы потеряете эту бумагу",
        "tg": "Агар ин коғазро гум кунед",
        "uz": "Agar bu qogʻozni yoʻqotsangiz",
        "ky": "Эгер бул кагазды жоготуп алсаңыз",
    },
    "Open": {"ru": "Открыть", "tg": "Кушодан", "uz": "Ochish", "ky": "Ачуу"},
    "PIN": {"ru": "PIN-код", "tg": "PIN-код", "uz": "PIN-kod", "ky": "PIN-код"},
    "Keep this paper safe. Do not show it to your employer: anyone with it can see your page.": {
        "ru": "Храните эту бумагу. Не показывайте её работодателю: с ней любой может открыть вашу страницу.",
        "tg": "Ин коғазро эҳтиёт кунед. Ба корфармо нишон надиҳед: ҳар кас бо он саҳифаи шуморо дида метавонад.",
        "uz": "Bu qogʻozni ehtiyot qiling. Uni ish beruvchiga koʻrsatmang: u bilan har kim sahifangizni koʻra oladi.",
        "ky": "Бул кагазды сактаңыз. Аны иш берүүчүгө көрсөтпөңүз: аны менен ар ким барагыңызды көрө алат.",
    },
    "Open your page": {
        "ru": "Откройте свою страницу",
        "tg": "Саҳифаи худро кушоед",
        "uz": "Sahifangizni oching",
        "ky": "Барагыңызды ачыңыз",
    },
    "Enter the case code and the PIN from your paper. Instead of the PIN you can write your date of birth.": {
        "ru": "Введите код дела и PIN-код с вашей бумаги. Вместо PIN-кода можно написать дату рождения.",
        "tg": "Рамзи парванда ва PIN-кодро аз коғази худ ворид кунед. Ба ҷои PIN-код санаи таваллудро навиштан мумкин аст.",
        "uz": "Qogʻozingizdagi ish kodi va PIN-kodni kiriting. PIN-kod oʻrniga tugʻilgan sanangizni yozishingiz mumkin.",
        "ky": "Кагазыңыздагы иштин кодун жана PIN-кодду киргизиңиз. PIN-коддун ордуна туулган күнүңүздү жазсаңыз болот.",
    },
    "The code or PIN is not right. Check them and try again.": {
        "ru": "Код или PIN-код неверны. Проверьте и попробуйте ещё раз.",
        "tg": "Рамз ё PIN-код нодуруст аст. Санҷед ва боз кӯшиш кунед.",
        "uz": "Kod yoki PIN-kod notoʻgʻri. Tekshirib, qayta urinib koʻring.",
        "ky": "Код же PIN-код туура эмес. Текшерип, кайра аракет кылыңыз.",
    },
    "What applies to me": {
        "ru": "Что касается меня",
        "tg": "Чӣ ба ман дахл дорад",
        "uz": "Menga nima taalluqli",
        "ky": "Мага эмне тиешелүү",
    },
    "Choose your situation to see which documents and deadlines the rules give. Nothing you enter is saved.": {
        "ru": "Выберите свою ситуацию, чтобы увидеть, какие документы и сроки установлены правилами. Введённое нигде не сохраняется.",
        "tg": "Вазъияти худро интихоб кунед, то бинед, ки қоидаҳо кадом ҳуҷҷатҳо ва мӯҳлатҳоро талаб мекунанд. Чизе, ки ворид мекунед, нигоҳ дошта намешавад.",
        "uz": "Qoidalar qaysi hujjat va muddatlarni talab qilishini koʻrish uchun vaziyatingizni tanlang. Kiritganlaringiz saqlanmaydi.",
        "ky": "Эрежелер кайсы документтерди жана мөөнөттөрдү талап кыларын көрүү үчүн абалыңызды тандаңыз. Киргизгениңиз сакталбайт.",
    },
    "Show": {"ru": "Показать", "tg": "Нишон додан", "uz": "Koʻrsatish", "ky": "Көрсөтүү"},
    "Source": {"ru": "Источник", "tg": "Манбаъ", "uz": "Manba", "ky": "Булак"},
    "not yet checked by a lawyer": {
        "ru": "ещё не проверено юристом",
        "tg": "ҳанӯз аз ҷониби ҳуқуқшинос санҷида нашудааст",
        "uz": "hali huquqshunos tomonidan tekshirilmagan",
        "ky": "юрист азырынча текшере элек",
    },
    "No deadlines for this situation, or enter your arrival date to see them.": {
        "ru": "Для этой ситуации сроков нет — или укажите дату въезда, чтобы их увидеть.",
        "tg": "Барои ин вазъият мӯҳлат нест ё барои дидани онҳо санаи омаданатонро ворид кунед.",
        "uz": "Bu vaziyat uchun muddatlar yoʻq yoki ularni koʻrish uchun kelgan sanangizni kiriting.",
        "ky": "Бул абал үчүн мөөнөттөр жок, же аларды көрүү үчүн келген күнүңүздү киргизиңиз.",
    },
    "Documents": {"ru": "Документы", "tg": "Ҳуҷҷатҳо", "uz": "Hujjatlar", "ky": "Документтер"},
    "The rules list no documents for this situation.": {
        "ru": "Для этой ситуации правила не называют документов.",
        "tg": "Барои ин вазъият қоидаҳо ягон ҳуҷҷат нишон намедиҳанд.",
        "uz": "Bu vaziyat uchun qoidalarda hujjatlar koʻrsatilmagan.",
        "ky": "Бул абал үчүн эрежелерде документтер көрсөтүлгөн эмес.",
    },
    "This is general information. For your own case, talk to a caseworker.": {
        "ru": "Это общая информация. О вашем деле поговорите с консультантом.",
        "tg": "Ин маълумоти умумӣ аст. Дар бораи парвандаи худ бо мушовир гап занед.",
        "uz": "Bu umumiy maʼlumot. Oʻz ishingiz boʻyicha maslahatchi bilan gaplashing.",
        "ky": "Бул жалпы маалымат. Өз ишиңиз боюнча кеңешчи менен сүйлөшүңүз.",
    },
    "Migrant's personal page": {
        "ru": "Личная страница мигранта",
        "tg": "Саҳифаи шахсии муҳоҷир",
        "uz": "Migrantning shaxsiy sahifasi",
        "ky": "Мигранттын жеке барагы",
    },
    "Your role does not allow this.": {
        "ru": "Ваша роль этого не позволяет.",
        "tg": "Нақши шумо ба ин иҷозат намедиҳад.",
        "uz": "Rolingiz bunga ruxsat bermaydi.",
        "ky": "Ролуңуз буга уруксат бербейт.",
    },
    "A personal link is active.": {
        "ru": "Личная ссылка действует.",
        "tg": "Пайванди шахсӣ фаъол аст.",
        "uz": "Shaxsiy havola faol.",
        "ky": "Жеке шилтеме активдүү.",
    },
    "Issued": {"ru": "Выдана", "tg": "Дода шуд", "uz": "Berilgan", "ky": "Берилген"},
    "Last opened": {
        "ru": "Последнее открытие",
        "tg": "Бори охир кушода шуд",
        "uz": "Oxirgi marta ochilgan",
        "ky": "Акыркы жолу ачылган",
    },
    "Not opened yet.": {
        "ru": "Ещё не открывалась.",
        "tg": "Ҳанӯз кушода нашудааст.",
        "uz": "Hali ochilmagan.",
        "ky": "Азырынча ачыла элек.",
    },
    "The case is closed; the link stops working on": {
        "ru": "Дело закрыто; ссылка перестанет работать",
        "tg": "Парванда баста шуд; пайванд аз ин сана кор намекунад:",
        "uz": "Ish yopilgan; havola shu sanadan ishlamaydi:",
        "ky": "Иш жабылды; шилтеме бул күндөн тартып иштебейт:",
    },
    "Issue a new link and PIN (the old ones stop working)": {
        "ru": "Выдать новую ссылку и PIN-код (старые перестанут работать)",
        "tg": "Пайванд ва PIN-коди нав додан (кӯҳнаҳо кор намекунанд)",
        "uz": "Yangi havola va PIN-kod berish (eskilari ishlamay qoladi)",
        "ky": "Жаңы шилтеме жана PIN-код берүү (эскилери иштебей калат)",
    },
    "Revoke the link": {
        "ru": "Отозвать ссылку",
        "tg": "Пайвандро бекор кардан",
        "uz": "Havolani bekor qilish",
        "ky": "Шилтемени жокко чыгаруу",
    },
    "No active personal link.": {
        "ru": "Действующей личной ссылки нет.",
        "tg": "Пайванди шахсии фаъол нест.",
        "uz": "Faol shaxsiy havola yoʻq.",
        "ky": "Активдүү жеке шилтеме жок.",
    },
    "Issue a link and print the handout": {
        "ru": "Выдать ссылку и распечатать памятку",
        "tg": "Пайванд додан ва варақаро чоп кардан",
        "uz": "Havola berish va varaqani chop etish",
        "ky": "Шилтеме берүү жана баракчаны басып чыгаруу",
    },
    "Back to the case": {
        "ru": "Назад к делу",
        "tg": "Бозгашт ба парванда",
        "uz": "Ishga qaytish",
        "ky": "Ишке кайтуу",
    },
    "This link does not work": {
        "ru": "Эта ссылка не работает",
        "tg": "Ин пайванд кор намекунад",
        "uz": "Bu havola ishlamaydi",
        "ky": "Бул шилтеме иштебейт",
    },
    "The link may be old or mistyped. Your caseworker can give you a new one.": {
        "ru": "Возможно, ссылка устарела или набрана с ошибкой. Консультант может выдать вам новую.",
        "tg": "Шояд пайванд кӯҳна ё нодуруст навишта шуда бошад. Мушовири шумо метавонад пайванди нав диҳад.",
        "uz": "Havola eskirgan yoki xato yozilgan boʻlishi mumkin. Maslahatchingiz sizga yangisini berishi mumkin.",
        "ky": "Шилтеме эскирген же ката жазылган болушу мүмкүн. Кеңешчиңиз сизге жаңысын бере алат.",
    },
    "The migrant says they have:": {
        "ru": "Мигрант отметил, что у него есть:",
        "tg": "Муҳоҷир қайд кард, ки инҳо дар ӯ ҳаст:",
        "uz": "Migrant bular borligini belgiladi:",
        "ky": "Мигрант булар бар экенин белгиледи:",
    },
    "Personal link, QR handout, revoke": {
        "ru": "Личная ссылка, памятка с QR-кодом, отзыв",
        "tg": "Пайванди шахсӣ, варақа бо рамзи QR, бекор кардан",
        "uz": "Shaxsiy havola, QR-kodli varaqa, bekor qilish",
        "ky": "Жеке шилтеме, QR-коддуу баракча, жокко чыгаруу",
    },
    "Enter your case code": {
        "ru": "Ввести код дела",
        "tg": "Рамзи парвандаро ворид кунед",
        "uz": "Ish kodini kiriting",
        "ky": "Иштин кодун киргизиңиз",
    },
}

# Plurals: msgid → {language: [forms in the catalogue's plural order]}.
P: dict[str, dict[str, list[str]]] = {
    "%(days)s day left": {
        "ru": [
            "Остался %(days)s день",
            "Осталось %(days)s дня",
            "Осталось %(days)s дней",
            "Осталось %(days)s дней",
        ],
        "tg": ["%(days)s рӯз монд", "%(days)s рӯз монд"],
        "uz": ["%(days)s kun qoldi"],
        "ky": ["%(days)s күн калды"],
    },
    "%(days)s day late": {
        "ru": [
            "Просрочено на %(days)s день",
            "Просрочено на %(days)s дня",
            "Просрочено на %(days)s дней",
            "Просрочено на %(days)s дней",
        ],
        "tg": ["Мӯҳлат %(days)s рӯз гузаштааст", "Мӯҳлат %(days)s рӯз гузаштааст"],
        "uz": ["Muddat %(days)s kun oʻtib ketdi"],
        "ky": ["Мөөнөтү %(days)s күн өтүп кетти"],
    },
    "Too many wrong tries. For your safety, wait %(minutes)s minute or call the hotline.": {
        "ru": [
            "Слишком много неверных попыток. Для вашей безопасности подождите %(minutes)s минуту или позвоните на горячую линию.",
            "Слишком много неверных попыток. Для вашей безопасности подождите %(minutes)s минуты или позвоните на горячую линию.",
            "Слишком много неверных попыток. Для вашей безопасности подождите %(minutes)s минут или позвоните на горячую линию.",
            "Слишком много неверных попыток. Для вашей безопасности подождите %(minutes)s минут или позвоните на горячую линию.",
        ],
        "tg": [
            "Кӯшишҳои нодуруст хеле зиёд шуданд. Барои бехатарии шумо %(minutes)s дақиқа интизор шавед ё ба хатти боварӣ занг занед.",
            "Кӯшишҳои нодуруст хеле зиёд шуданд. Барои бехатарии шумо %(minutes)s дақиқа интизор шавед ё ба хатти боварӣ занг занед.",
        ],
        "uz": [
            "Notoʻgʻri urinishlar juda koʻp. Xavfsizligingiz uchun %(minutes)s daqiqa kuting yoki ishonch telefoniga qoʻngʻiroq qiling."
        ],
        "ky": [
            "Туура эмес аракеттер өтө көп болду. Коопсуздугуңуз үчүн %(minutes)s мүнөт күтүңүз же ишеним телефонуна чалыңыз."
        ],
    },
}
