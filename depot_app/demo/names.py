"""Names, documents and languages for the nationalities most held in Malaysian depots.

Names are upper case, as they are written on passports and depot registers. Vietnamese
keeps its diacritics (search folds them: "NGUYEN" finds "NGUYỄN").
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Nationality:
    code: str
    weight: int  # share of the demo population, roughly as in the depots
    order: str  # "given_family", "family_given" (VNM, KHM) or "syllables" (MMR)
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    languages: str
    interpreter: float  # how often an interpreter is needed
    passport: str  # "L": a letter from passport_letters, "#": a digit, others literal
    passport_letters: str
    places: tuple[str, ...]
    removal_to: str
    family_female: tuple[str, ...] = ()
    middle_male: tuple[str, ...] = ()
    middle_female: tuple[str, ...] = ()


def _t(words: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in words.split(",") if w.strip())


NATIONALITIES: tuple[Nationality, ...] = (
    Nationality(
        "IDN", 30, "given_family",
        _t("AGUS, BUDI, DEDI, EKO, HENDRA, IWAN, JOKO, RUDI, SLAMET, WAHYU, ANDI, RAHMAT, "
           "BAMBANG, SUPRIYADI, MUHAMMAD RIZKY, ARIF, YUSUF, HERU"),
        _t("SITI, DEWI, SRI, NUR, RINA, YULIANA, ENDANG, PUTRI, AYU, RATNA, WATI, FITRI"),
        _t("SETIAWAN, SANTOSO, PRASETYO, HIDAYAT, SAPUTRA, KURNIAWAN, GUNAWAN, WIBOWO, "
           "NUGROHO, SUSANTO, PURNOMO, SIREGAR, NASUTION, LUBIS"),
        "Bahasa Indonesia, Jawa", 0.05, "L#######", "ABCX",
        _t("Lombok Timur, Surabaya, Medan, Jember, Bawean, Sampang, Kupang, Makassar"),
        "Dumai, Indonesia (feri dari Pelabuhan Klang)",
        family_female=_t("RAHAYU, LESTARI, WULANDARI, HANDAYANI, NINGSIH, ANGGRAINI, SARI, "
                         "PURNAMASARI"),
    ),
    Nationality(
        "BGD", 15, "given_family",
        _t("MD RAFIQUL, MD SHAHIDUL, MOHAMMAD KARIM, MD JAHANGIR, ABDUL, MD NAZRUL, SAIFUL, "
           "MIZANUR, HABIBUR, KAMRUL, MD ANWAR, RAHIM, MD SUMON, JAHIDUL"),
        _t("NASRIN, FATEMA, SHAHNAZ, RUMANA, MST ROKSANA, TASLIMA, SHIRIN"),
        _t("ISLAM, HOSSAIN, RAHMAN, UDDIN, MIAH, AHMED, ALAM, SARKAR, MOLLA, SHEIKH, KHAN, "
           "BEPARI, HOWLADER"),
        "Bengali", 0.6, "LL#######", "ABEKW",
        _t("Dhaka, Comilla, Chattogram, Sylhet, Tangail, Noakhali, Brahmanbaria"),
        "Dhaka, Bangladesh (via KLIA)",
        family_female=_t("AKTER, BEGUM, KHATUN, SULTANA, PARVIN"),
    ),
    Nationality(
        "MMR", 15, "syllables",
        _t("AUNG, KYAW, MIN, THAN, ZAW, HTET, TUN, NAING, SOE, WIN, MYO, THURA, HLAING, OO, "
           "LWIN, MOE, THEIN, HTAY"),
        _t("AYE, MYA, SU, THIN, KHIN, NWE, HNIN, ZIN, MAR, PHYU, SANDAR, EI, THIDA, WAI"),
        (), "Burmese", 0.9, "ML######", "ABCDE",
        _t("Yangon, Mandalay, Mawlamyine, Dawei, Bago, Pathein, Sittwe"),
        "Yangon, Myanmar (via KLIA)",
    ),
    Nationality(
        "PHL", 8, "given_family",
        _t("JUAN, JOSE, MARK ANTHONY, JOHN PAUL, RICARDO, ROMMEL, JERRY, ARNEL, RODEL, JOMAR, "
           "ABDULHAKIM, NURHASAN"),
        _t("MARIA CRISTINA, MARICEL, JOCELYN, ROSALIE, MARILOU, LORNA, JENNIFER, ANALYN, "
           "NURHAIDA"),
        _t("DELA CRUZ, SANTOS, REYES, BAUTISTA, GARCIA, MENDOZA, VILLANUEVA, RAMOS, AQUINO, "
           "CASTILLO, TOLENTINO, HAJAN, ABUBAKAR"),
        "Filipino, Tausug", 0.2, "P#######L", "ABC",
        _t("Zamboanga City, Jolo, Bongao, Cebu City, Davao City, Manila, Cotabato"),
        "Zamboanga, Philippines (via KLIA)",
    ),
    Nationality(
        "IND", 8, "given_family",
        _t("RAJESH, SURESH, MURUGAN, RAMESH, SANJAY, VIJAY, ARUN, MANOJ, SELVAM, KARTHIK, "
           "GURPREET, PRAKASH"),
        _t("LAKSHMI, PRIYA, KAVITHA, SUNITA, ANITA, MEENA, GEETHA, REKHA"),
        _t("KUMAR, SHARMA, YADAV, PILLAI, NAIR, REDDY, SINGH, GUPTA, RAJ, SUBRAMANIAM, "
           "KRISHNAN, MURUGESAN"),
        "Tamil, Hindi", 0.3, "L#######", "JKLMNPRSTUVZ",
        _t("Chennai, Tiruchirappalli, Madurai, Thanjavur, Ramanathapuram, Amritsar, Lucknow"),
        "Chennai, India (via KLIA)",
    ),
    Nationality(
        "NPL", 5, "given_family",
        _t("RAM BAHADUR, KRISHNA, BISHNU, HARI, DIL BAHADUR, MAN BAHADUR, PREM, GOPAL, "
           "BIKASH, SANTOSH, DAMBAR, TEK BAHADUR"),
        _t("SITA, GITA, MAYA, SABITRA, KAMALA, PARBATI, SUNITA, ANJALI"),
        _t("THAPA, GURUNG, MAGAR, TAMANG, RAI, LIMBU, SHRESTHA, KC, BK, SHERPA, POUDEL, "
           "ADHIKARI"),
        "Nepali", 0.6, "########", "",
        _t("Kathmandu, Pokhara, Jhapa, Dhading, Chitwan, Rupandehi, Sunsari"),
        "Kathmandu, Nepal (via KLIA)",
    ),
    Nationality(
        "PAK", 5, "given_family",
        _t("MUHAMMAD ASIF, IMRAN, ZAHID, TARIQ, SHAHID, NAVEED, KASHIF, WASEEM, FAISAL, "
           "BILAL, USMAN, MUHAMMAD ADNAN"),
        _t("AYESHA, FATIMA, SADIA, NAZIA, RUBINA, SHAZIA"),
        _t("KHAN, ALI, AHMED, HUSSAIN, BUTT, MALIK, IQBAL, QURESHI, CHAUDHRY, RAZA, SHAH, "
           "AKHTAR"),
        "Urdu, Punjabi", 0.4, "LL#######", "ABCDEFGHJK",
        _t("Lahore, Sialkot, Peshawar, Gujranwala, Faisalabad, Mardan"),
        "Lahore, Pakistan (via KLIA)",
        family_female=_t("BIBI, BEGUM, AKHTAR, KHAN"),
    ),
    Nationality(
        "VNM", 6, "family_given",
        _t("AN, BÌNH, CƯỜNG, DŨNG, HÙNG, HẢI, LONG, NAM, PHÚC, THẮNG, TUẤN, VIỆT, ĐỨC"),
        _t("HOA, LAN, MAI, HƯƠNG, THẢO, LINH, TRANG, HẰNG, NGA, YẾN"),
        _t("NGUYỄN, TRẦN, LÊ, PHẠM, HOÀNG, VŨ, ĐẶNG, BÙI, ĐỖ, HỒ, NGÔ, DƯƠNG"),
        "Vietnamese", 0.95, "L#######", "BCN",
        _t("Nghệ An, Thanh Hóa, Hà Tĩnh, Quảng Bình, Hải Phòng, Cần Thơ"),
        "Hà Nội, Vietnam (via KLIA)",
        middle_male=_t("VĂN, ĐỨC, QUANG, MINH, HỮU"),
        middle_female=_t("THỊ, NGỌC, THU, KIM"),
    ),
    Nationality(
        "KHM", 4, "family_given",
        _t("CHEA, SOPHAL, VANNAK, DARA, RITHY, SAMNANG, VIBOL, PISETH, SOKHA, BORA"),
        _t("SREYMOM, CHANTHA, SOPHEAP, BOPHA, SREYNEANG, DAVY, KUNTHEA, LEAKHENA"),
        _t("SOK, CHAN, KIM, HENG, LIM, CHEA, PHAN, SAR, MEAS, SENG, NOP, OUK"),
        "Khmer", 0.95, "N#######", "",
        _t("Phnom Penh, Kampong Cham, Battambang, Prey Veng, Takeo, Siem Reap"),
        "Phnom Penh, Cambodia (via KLIA)",
    ),
    Nationality(
        "THA", 4, "given_family",
        _t("SOMCHAI, SOMSAK, PRASERT, WICHAI, ANAN, SUCHART, BOONMEE, KITTI, CHAIWAT, "
           "SOMPONG"),
        _t("SUDA, MALEE, PORNTIP, WANNA, SIRIPORN, NIPA, ARUNEE, KANYA"),
        _t("JAIDEE, SRISUK, SAETANG, WONGSA, BOONYARAT, CHAIYAPORN, THONGDEE, SUKSAWAT, "
           "KAEWMANEE, PHROMMA"),
        "Thai", 0.7, "LL#######", "AABC",
        _t("Hat Yai, Songkhla, Narathiwat, Pattani, Yala, Satun"),
        "Bukit Kayu Hitam border crossing (to Thailand)",
    ),
)

BY_CODE = {n.code: n for n in NATIONALITIES}


def pick_nationality(rng: random.Random) -> Nationality:
    return rng.choices(NATIONALITIES, weights=[n.weight for n in NATIONALITIES])[0]


def full_name(rng: random.Random, nat: Nationality, sex: str, family: str | None = None) -> str:
    """A plausible name; ``family`` keeps a child's family name the same as the parent's."""
    female = sex == "F"
    given = rng.choice(nat.female if female else nat.male)
    if nat.order == "syllables":
        pool = nat.female if female else nat.male
        parts = [given] + [rng.choice(pool) for _ in range(rng.choice((1, 2, 2)))]
        if rng.random() < 0.3:
            parts.insert(0, "MA" if female else "MAUNG")
        return " ".join(parts)
    surnames = (nat.family_female or nat.family) if female else nat.family
    surname = family or rng.choice(surnames)
    if nat.order == "family_given":
        middles = nat.middle_female if female else nat.middle_male
        middle = [m for m in (rng.choice(middles),) if m != given] if middles else []
        return " ".join([surname, *middle, given])
    return f"{given} {surname}"


def family_name(name: str, nat: Nationality) -> str | None:
    """The part of a name a child would share, where the naming custom has one."""
    if nat.order == "family_given":
        return name.split()[0]
    return None


def alias_for(rng: random.Random, nat: Nationality, sex: str, name: str) -> str:
    """Another name the person has used: a shortened form or a different given name."""
    parts = name.split()
    if len(parts) >= 3 and rng.random() < 0.5:
        return f"{parts[0]} {parts[-1]}"
    if parts[0] in ("MD", "MOHAMMAD", "MUHAMMAD"):
        return " ".join(["MOHD", *parts[1:]])
    return full_name(rng, nat, sex)


def passport_number(rng: random.Random, nat: Nationality) -> str:
    out = []
    for ch in nat.passport:
        if ch == "L":
            out.append(rng.choice(nat.passport_letters))
        elif ch == "#":
            out.append(str(rng.randrange(10)))
        else:
            out.append(ch)
    return "".join(out)


# Plausible Malaysian staff names, one per role.
STAFF = (
    ("admin", "Aminah binti Yusof", ("admin",)),
    ("clerk1", "Nurul Huda binti Ismail", ("clerk",)),
    ("warden1", "Muhammad Faizal bin Hassan", ("warden",)),
    ("medical1", "Dr. Priya a/p Ramasamy", ("medical",)),
    ("officer1", "Tan Wei Liang", ("officer",)),
)
