"""The identity check at depot scale: planted variants among a million persons.

Builds (once, then reuses) a database of PERSONS persons with the names a Malaysian depot
sees (Indonesian, Bangladeshi, Myanmar, Nepali, Filipino, Vietnamese, Indian, Pakistani,
Cambodian, Thai, Sri Lankan, Chinese; bin/binti and a/l, Md/Mohd/Muhammad spellings, a few
per cent mistyped on record), dates of birth, passports for most, aliases for some, and
past detentions for most, many ended in removal with a removal case. PLANTED persons
spread through the register are the targets: each is searched for with variants of what
is on record (a transposed or wrong letter, another word order, Mohd for Muhammad, a
middle name left out, the name alone, the document number alone ...).

Reports recall per variant kind (target first, target in the top five), whether targets
removed before are flagged (s.36), and the time of ``find_candidates`` per query (cold
vocabulary load apart), against a raw baseline in the same run: the same retrieval done
plainly (a rapidfuzz extract per name part over the distinct tokens, then one grouped
token query and the persons' rows through the driver), and one indexed look-up.

    .venv/bin/python bench/bench_identity.py                    # SQLite, 1,000,000 persons
    .venv/bin/python bench/bench_identity.py \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_identity
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from db.models import (  # noqa: E402
    Depot,
    Detention,
    DetentionStage,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonNameToken,
    RemovalCase,
    User,
)
from depot_app.actor import Actor, Role  # noqa: E402
from depot_app.database import Database  # noqa: E402
from depot_app.names import name_key  # noqa: E402
from depot_app.services import identity  # noqa: E402
from depot_app.services.identity import IdentityQuery, find_candidates  # noqa: E402
from depot_app.services.name_index import token_rows  # noqa: E402

PLANTED = 500  # targets planted at build time; --targets uses the first of them
SEED = 20261202


class Zipf:
    """Words drawn with weight 1/rank**s: the first few common, a long tail of rare."""

    def __init__(self, words: str, s: float = 1.0):
        self.words = words.split()
        self.cum = list(itertools.accumulate(1 / (r + 1) ** s for r in range(len(self.words))))

    def __call__(self, rnd: random.Random) -> str:
        return rnd.choices(self.words, cum_weights=self.cum)[0]


class Syllables:
    """Long-tail names built from syllables (Javanese, Thai surnames): thousands of forms."""

    def __init__(self, *groups: str):
        self.groups = [Zipf(g, 0.6) for g in groups]

    def __call__(self, rnd: random.Random) -> str:
        return "".join(g(rnd) for g in self.groups).replace("_", "")


# Spellings of Muhammad as written on each country's passports, commonest first.
MD_BGD = Zipf("MD MOHAMMAD MOHAMMED MUHAMMAD MOHAMED MOHD", 1.2)
MD_MYS = Zipf("MUHAMMAD MOHD MOHAMAD MUHAMAD MOHAMMAD MOHAMED MOHAMMED", 1.0)
MD_PAK = Zipf("MUHAMMAD MOHAMMAD MUHAMMED MOHAMMED", 1.2)
ABDUL = Zipf("ABDUL ABD", 1.5)

BGD_M = Zipf("""RAFIQUL SHAHIDUL AMINUL KAMAL JAMAL NURUL SAIFUL ALAMGIR MIZANUR HABIBUR
    MOSTAFIZUR ARIFUL SHAFIQUL AZIZUL MAHBUB RUHUL ZAHIRUL KAMRUL SHAHIN SUMON RASEL RUBEL
    SOHEL MASUD HASAN KARIM RAHIM SALAM JALAL BELAL HELAL DULAL FARUK ANWAR BABUL LITON
    MAMUN FORHAD SHAKIL RAJU RANA ALAUDDIN NASIR TAREQ IQBAL SHAMIM ROBIUL SHARIF MOSHARRAF
    ABUL KALAM ZAKIR OMAR FAISAL RIPON JEWEL SAGOR HRIDOY EMON SHIPON MILON MONIR JAHANGIR
    SHAHJAHAN ABDUR MOZAMMEL MOTIUR LUTFOR ASHRAFUL RAKIBUL TOFAZZAL NAZRUL SIRAJUL BADSHA
    ROFIQ MOKLES JASIM KHOKON SHAH ALOM MOTIN SHOFIQ ABU BAKKAR HUMAYUN KABIR OLIUR SHAMSUL
    NAZMUL MOMIN TAJUL FAZLUL ANISUR""", 0.9)
BGD_F = Zipf("""NASRIN SHAHANA RUMANA FATEMA RAHIMA SHIRIN MOMOTAJ NAZMA JOSNA RINA TASLIMA
    SALMA ROKSANA HASINA SHAPLA MITU NUPUR PARVIN SHEULI KOHINUR""", 0.9)
BGD_SUFFIX = Zipf("""UDDIN ISLAM HOSSAIN MIAH ALAM RAHMAN ULLAH SHEIKH SARKER MOLLAH HOWLADER
    AHMED KHAN TALUKDER CHOWDHURY HOSSEN BHUIYAN MRIDHA PRAMANIK MONDOL HAQUE HASAN BEPARI
    HOSEN AKANDA SIKDER MATUBBAR GAZI FAKIR DEWAN""", 1.0)
BGD_F_SUFFIX = Zipf("AKTER BEGUM KHATUN AKTHER AKHTER SULTANA PARVIN AKTAR", 1.0)

IDN_COMMON = Zipf("""AGUS BUDI SRI DEWI EKO JOKO SITI PUTRI WAHYU ADI DWI RUDI HERU BAMBANG
    SUSANTO SETIAWAN HIDAYAT SANTOSO WIJAYA KURNIAWAN SAPUTRA PRATAMA NUGROHO SUSILO
    HARTONO GUNAWAN LESTARI RAHAYU WATI NINGSIH YULIANTI KUSUMA FITRI RINA YANTO ANDI IRWAN
    HENDRA DEDI YUSUF ARIF ANTON TEGUH BAYU RIZKI FAJAR DANI DODI SLAMET SUPARMAN SUTRISNO
    MULYADI WAHYUDI SUPRIYADI PURNOMO SUHARTO SUKARNO HARYANTO SUWARNO SUGENG TRI ROHMAN
    MARYATI SUMARNI SULASTRI SUMIATI TUTI YANI ENDANG ATIK LILIS NENENG ASEP DADANG UJANG
    ENGKOS CECEP IWAN WAWAN KOMANG KETUT WAYAN MADE NYOMAN GEDE PUTU LA ODE DAENG""", 0.8)
IDN_RARE = Syllables("SU SRI WI HAR PUR SUR SET MUL RAH KUS JU DAR SAR TRI EK AG SUK BAM",
                     "_ YA MA NA WAN TO DI JO RI YAN TA SAN MAN RA WI", "DI TO NO WATI YANTI "
                     "NINGSIH YADI SIH RI NI YONO TONO ANTO ADI MAN JONO")
MYS_GIVEN = Zipf("""RIZKI HAFIZ AMIN FAUZI IRFAN HAKIM ISMAIL YUSOF ZULKIFLI AZMAN ROSLAN
    NORDIN RAZAK HAMID FIRDAUS SYAFIQ AIMAN HARIS FAIZ IKHWAN SHAHRUL RAHMAN RAHIM KARIM
    AZIZ HASSAN HUSSEIN ALI OTHMAN IBRAHIM SULAIMAN DAUD KAMARUL ZAINAL ARIFFIN""", 0.8)
MYS_FATHER = Zipf("""ABDULLAH ISMAIL YUSOF HASSAN IBRAHIM OTHMAN AHMAD ALI OMAR SALLEH
    MAHMUD HAMZAH IDRIS JAAFAR MUSA ZAKARIA ROSLI RAHMAT SUDIRMAN SAMSUDIN BAHARUDIN
    HARUN SAIDI KASIM AWANG DOLLAH MAT LATIF""", 0.8)
MYS_F = Zipf("""AINI AMINAH FATIMAH SITI ZAINAB AISYAH HALIMAH KHADIJAH NURUL SALMAH ROSNAH
    FARIDAH MARIAM HAJAR ZULAIKHA RAHMAH SALWA""", 0.8)

MMR = Zipf("""AUNG KYAW MIN HTET ZAW MYO THAN TUN WIN OO NAING SOE HLAING THU MOE LWIN PHYO
    WAI YAN NAY HTUN THANT ZIN MAR KHIN SAN NWE EI CHO SU THET PAING KO MAUNG MYAT NYEIN
    THIHA THURA LIN HEIN SITHU KHANT ZAYAR MYINT THEIN SHWE PYAE SAI NANDA TIN YE NYI
    KHAING THAW HAN SEIN LATT""", 0.8)
MMR_ROHINGYA = Zipf("""NUR ABUL ROSHID SULTAN JAFAR AYUB HAMID ENAYET KARIM SHOFI ULLAH
    HUSSAIN ALAM YUNUS AMIR""", 0.8)

NPL_GIVEN = Zipf("""RAM HARI BISHNU KRISHNA SURESH RAJESH DIPAK BIKASH SANTOSH PRAKASH RAMESH
    DINESH GANESH MAHESH NABIN SUNIL ANIL BIJAY SAROJ KAMAL DIL MAN TEK BHIM LAXMAN
    GOPAL SHYAM NARAYAN PURNA DHAN KUL BIR CHANDRA BINOD ARJUN""", 0.8)
NPL_F = Zipf("SITA GITA SARITA SUNITA LAXMI KAMALA MAYA BIMALA SABITRI ANITA", 0.8)
NPL_MIDDLE = Zipf("BAHADUR PRASAD KUMAR RAJ NATH LAL", 0.9)
NPL_FAMILY = Zipf("""THAPA GURUNG TAMANG RAI LIMBU MAGAR SHRESTHA KC BK ADHIKARI POUDEL
    KHADKA KARKI BASNET SHARMA BHANDARI RANA GHALE SHERPA YADAV CHAUDHARY THARU PUN
    ACHARYA NEPALI BISWAKARMA PARIYAR DAMAI SUNAR""", 0.9)

PHL_GIVEN = Zipf("""JOSE MARIA JUAN MARK JOHN MICHAEL JAY RYAN ROMMEL ARNEL JOEL ROLANDO
    EDGAR JERRY RICARDO ROGELIO ANA GRACE JOY MARILOU ROSALIE CRISTINA JENNIFER LEONARDO
    DANILO REYNALDO NESTOR JUNJUN ARMANDO BENJIE""", 0.8)
PHL_FAMILY = Zipf("""SANTOS REYES CRUZ BAUTISTA OCAMPO GARCIA MENDOZA TORRES TOMAS ANDRADA
    CASTILLO FLORES VILLANUEVA RAMOS CASTRO RIVERA AQUINO NAVARRO SALAZAR MERCADO DIZON
    PASCUAL DOMINGO MANALO MACARAEG LUMIBAO DIMAGIBA PANGILINAN TAN SORIANO""", 0.8)

VNM_FAMILY = Zipf("NGUYEN TRAN LE PHAM HOANG HUYNH PHAN VU VO DANG BUI DO HO NGO DUONG LY",
                  1.3)
VNM_MIDDLE_M = Zipf("VAN DUC MINH HUU QUANG THANH CONG", 1.3)
VNM_MIDDLE_F = Zipf("THI NGOC THU KIM", 1.5)
VNM_GIVEN = Zipf("""ANH HUNG DUNG TUAN MINH HAI LONG NAM PHUONG LAN HOA HUONG LINH THAO TRANG
    HIEU KHANH TUNG SON TAI THANG CUONG QUAN BINH DUY VIET HUY PHUC TRUNG LOC HOANG
    NGA MAI YEN HANH""", 0.8)

IND_GIVEN = Zipf("""SELVAM MURUGAN RAJ KUMAR GANESAN RAVI SURESH MANI KANNAN RAMESH VIJAY
    SARAVANAN ARUMUGAM KRISHNAN RAJESH GURPREET HARJIT MANPREET SUKHDEV AMIT SANJAY ANIL
    DEEPAK MOHAN""", 0.8)
IND_FAMILY = Zipf("""KUMAR SINGH SUBRAMANIAM MUNUSAMY RAMASAMY PERUMAL VELU SHARMA PATEL
    NAIR PILLAI REDDY GOUNDER""", 0.9)
PAK_GIVEN = Zipf("""ASIF IMRAN ARSHAD TARIQ NADEEM WASEEM SHAHID ZAHID JAVED BILAL USMAN
    KASHIF NAVEED SAJID RASHID ABID AMJAD SHAHZAD FAROOQ AKRAM ASLAM YASIR""", 0.8)
PAK_FAMILY = Zipf("KHAN ALI HUSSAIN IQBAL AHMED BUTT CHAUDHRY AWAN RAJPUT MALIK SHAH QURESHI",
                  0.9)
KHM_FAMILY = Zipf("SOK CHAN KIM HENG LIM SAM CHEA KEO MEAS PHAL SOUN TEP YIM", 1.0)
KHM_GIVEN = Zipf("DARA SOPHEA VANNAK SOKHA PISETH RITHY SREY MONY BOPHA CHENDA VUTHY", 0.8)
THA_GIVEN = Zipf("SOMCHAI SOMSAK PRASERT SOMBAT WICHAI SUNEE MALEE BOONMEE ANAN CHAIYA", 0.8)
THA_FAMILY = Syllables("SAE SRI CHAI WONG PHON SUK BOON KAEW THONG SOM SIRI NAK RAT PRA",
                       "_ SA WAT KUL CHAN NOI PAN", "WONG SUK SAKUL CHAI PHAN SRI THONG DEE")
LKA_GIVEN = Zipf("NUWAN CHAMINDA KASUN SAMAN RUWAN PRIYANTHA DINESH LASANTHA", 0.8)
LKA_FAMILY = Zipf("PERERA FERNANDO SILVA DISSANAYAKE BANDARA JAYASURIYA WICKRAMASINGHE", 0.8)
CHN_FAMILY = Zipf("ZHANG WANG LI LIU CHEN YANG HUANG ZHAO WU ZHOU", 1.0)
CHN_GIVEN = Zipf("WEI FANG NA MIN JING LEI JUN YAN HUI QIANG", 0.8)


def _bgd(rnd, male):
    if not male:
        return [BGD_F(rnd), BGD_F_SUFFIX(rnd)]
    words = [MD_BGD(rnd)] if rnd.random() < 0.7 else []
    if rnd.random() < 0.15:
        words.append(ABDUL(rnd))
    words.append(BGD_M(rnd))
    if rnd.random() < 0.8:
        words.append(BGD_SUFFIX(rnd))
    return words


def _idn(rnd, male):
    if rnd.random() < 0.3:  # Malay-Muslim style, with the father's name after bin/binti
        if male:
            words = [MD_MYS(rnd)] if rnd.random() < 0.5 else []
            words += [MYS_GIVEN(rnd), "BIN"]
        else:
            words = ["NUR"] if rnd.random() < 0.3 else []
            words += [MYS_F(rnd), "BINTI"]
        return words + [MYS_FATHER(rnd)]
    n = rnd.choices((1, 2, 3), (20, 60, 20))[0]
    return [IDN_RARE(rnd) if rnd.random() < 0.35 else IDN_COMMON(rnd) for _ in range(n)]


def _mmr(rnd, male):
    if rnd.random() < 0.12:  # Rohingya
        return [MD_BGD(rnd) if male else "NUR", MMR_ROHINGYA(rnd), MMR_ROHINGYA(rnd)]
    return [MMR(rnd) for _ in range(rnd.choices((2, 3, 4), (35, 50, 15))[0])]


def _npl(rnd, male):
    if not male:
        return [NPL_F(rnd), NPL_FAMILY(rnd)]
    words = [NPL_GIVEN(rnd)]
    if rnd.random() < 0.4:
        words.append(NPL_MIDDLE(rnd))
    return words + [NPL_FAMILY(rnd)]


def _phl(rnd, male):
    words = [PHL_GIVEN(rnd)]
    if rnd.random() < 0.3:
        words.append(PHL_GIVEN(rnd))
    words.append(PHL_FAMILY(rnd))  # the mother's maiden name
    return words + (["DELA", "CRUZ"] if rnd.random() < 0.05 else [PHL_FAMILY(rnd)])


def _vnm(rnd, male):
    words = [VNM_FAMILY(rnd), VNM_MIDDLE_M(rnd) if male else VNM_MIDDLE_F(rnd)]
    if rnd.random() < 0.3:
        words.append(VNM_GIVEN(rnd))
    return words + [VNM_GIVEN(rnd)]


def _ind(rnd, male):
    if rnd.random() < 0.6:  # Tamil: father's name after a/l or a/p
        return [IND_GIVEN(rnd), "A/L" if male else "A/P", IND_GIVEN(rnd)]
    return [IND_GIVEN(rnd), IND_FAMILY(rnd)]


def _pak(rnd, male):
    words = [MD_PAK(rnd)] if rnd.random() < 0.6 else []
    return words + [PAK_GIVEN(rnd), PAK_FAMILY(rnd)]


def _khm(rnd, male):
    return [KHM_FAMILY(rnd), KHM_GIVEN(rnd)]


def _tha(rnd, male):
    return [THA_GIVEN(rnd), THA_FAMILY(rnd)]


def _lka(rnd, male):
    return [LKA_GIVEN(rnd), LKA_GIVEN(rnd), LKA_FAMILY(rnd)]


def _chn(rnd, male):
    return [CHN_FAMILY(rnd), CHN_GIVEN(rnd)] + ([CHN_GIVEN(rnd)] if rnd.random() < 0.3 else [])


NATIONS = {"IDN": (28, _idn, "B"), "BGD": (20, _bgd, "A"), "MMR": (16, _mmr, "MA"),
           "NPL": (8, _npl, "PA"), "PHL": (6, _phl, "P"), "VNM": (6, _vnm, "C"),
           "IND": (6, _ind, "Z"), "PAK": (4, _pak, "AB"), "KHM": (2, _khm, "N"),
           "THA": (2, _tha, "AA"), "LKA": (1, _lka, "N"), "CHN": (1, _chn, "E")}
NAT_CODES = list(NATIONS)
NAT_CUM = list(itertools.accumulate(w for w, _, _ in NATIONS.values()))
LETTERS = "ABCDEFGHIJKLMNOPRSTUWY"


def mistype(word: str, rnd: random.Random, how: str) -> str:
    """One keying error: 'transpose' two neighbours, 'substitute', 'drop' or 'double' one."""
    if how == "transpose":
        spots = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
        i = rnd.choice(spots)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    i = rnd.randrange(1, len(word))  # clerks get the first letter right
    if how == "substitute":
        return word[:i] + rnd.choice(LETTERS.replace(word[i], "")) + word[i + 1:]
    if how == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def person_name(rnd: random.Random, nat: str, male: bool, noisy: bool) -> str:
    words = NATIONS[nat][1](rnd, male)
    if noisy:  # a few per cent of the register was typed wrong at some earlier admission
        long = [i for i, w in enumerate(words) if len(w) >= 4]
        if long:
            i = rnd.choice(long)
            words[i] = mistype(words[i], rnd, rnd.choice(("transpose", "substitute", "drop",
                                                          "double")))
    return " ".join(words)


def alias_of(rnd: random.Random, name: str, nat: str, male: bool) -> str:
    words = name.split()
    roll = rnd.random()
    if roll < 0.4:  # another spelling of one part
        long = [i for i, w in enumerate(words) if len(w) >= 4]
        if long:
            i = rnd.choice(long)
            words[i] = mistype(words[i], rnd, rnd.choice(("substitute", "drop", "double")))
        return " ".join(words)
    if roll < 0.6:  # the short form used at work
        return " ".join(w for w in words[-2:])
    return person_name(rnd, nat, male, False)  # a name of convenience


def _date(rnd: random.Random, lo: int, hi: int) -> dt.date:
    return dt.date(lo, 1, 1) + dt.timedelta(days=rnd.randrange((hi - lo) * 365))


def planted_ids(persons: int) -> list[int]:
    return random.Random(SEED + 1).sample(range(1, persons + 1), min(PLANTED, persons))


def populate(db: Database, persons: int, seed: int = SEED) -> None:
    rnd = random.Random(seed)
    targets = {pid: k for k, pid in enumerate(planted_ids(persons))}
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with db.engine.begin() as conn:
        depot_id = conn.execute(insert(Depot).returning(Depot.id), [{
            "code": "SMY", "name": "Depot Imigresen Semenyih", "state": "Selangor",
            "address": "", "created_at": now, "version": 1}]).scalar_one()
        conn.execute(insert(User), [{"username": "bench", "full_name": "Bench", "version": 1,
                                     "password_hash": "-", "active": True, "failed_logins": 0,
                                     "created_at": now}])
    detention_ids = itertools.count(1)
    case_ids = itertools.count(1)
    batch = 20_000
    for start in range(0, persons, batch):
        people, tokens, aliases, docs, dets, cases, stages = [], [], [], [], [], [], []
        for i in range(start, min(start + batch, persons)):
            pid = i + 1
            k = targets.get(pid)
            nat = rnd.choices(NAT_CODES, cum_weights=NAT_CUM)[0]
            male = rnd.random() < 0.85
            name = person_name(rnd, nat, male, k is None and rnd.random() < 0.04)
            born = _date(rnd, 1966, 2008) if k is not None or rnd.random() < 0.97 else None
            people.append({"id": pid, "full_name": name, "name_key": name_key(name),
                           "sex": "M" if male else "F", "nationality": nat,
                           "date_of_birth": born, "created_at": now, "version": 1})
            names = [name]
            if rnd.random() < 0.06:
                alias = alias_of(rnd, name, nat, male)
                aliases.append({"person_id": pid, "name": alias, "name_key": name_key(alias)})
                names.append(alias)
            tokens += token_rows(pid, names)
            if k is not None or rnd.random() < 0.75:
                # A unique number: the person id through a bijection of 0..9,999,999.
                docs.append({"person_id": pid, "doc_type": "passport",
                             "number": f"{NATIONS[nat][2]}{(pid * 7_919_351) % 10_000_000:07d}",
                             "issuing_state": nat, "version": 1})
            if k is not None:
                episodes = 1
                statuses = ["removed" if k % 4 == 0 else ("released", "in_custody")[k % 2]]
            else:
                episodes = rnd.choices((0, 1, 2), (22, 70, 8))[0]
                statuses = [rnd.choices(("removed", "released", "in_custody"), (60, 38, 2))[0]
                            for _ in range(episodes)]
            admitted = now - dt.timedelta(days=rnd.randrange(3650))
            for n, status in enumerate(statuses):
                if n < len(statuses) - 1 and status == "in_custody":
                    status = "released"  # only the latest episode can still be open
                did = next(detention_ids)
                ended = None if status == "in_custody" else admitted + dt.timedelta(
                    days=rnd.randint(10, 120))
                dets.append({"id": did, "detainee_no": f"SMY-{admitted.year}-{did:07d}",
                             "person_id": pid, "depot_id": depot_id, "arrested_at": admitted,
                             "admitted_at": admitted, "status": status, "ended_at": ended,
                             "version": 1})
                if status == "removed":
                    cases.append({"id": next(case_ids), "detention_id": did,
                                  "order_section": "s.33", "order_no": f"PU/{did}",
                                  "order_date": (ended - dt.timedelta(days=7)).date(),
                                  "destination": nat, "status": "completed",
                                  "removed_at": ended, "version": 1})
                    if k is not None or rnd.random() < 0.1:
                        stages.append({"detention_id": did, "section": "s.34",
                                       "authority": "removal_order", "reference": "",
                                       "starts_at": ended - dt.timedelta(days=7)})
                if ended is not None:
                    admitted = ended + dt.timedelta(days=rnd.randint(30, 400))
                    if admitted >= now:
                        break
        with db.engine.begin() as conn:
            conn.execute(insert(Person), people)
            conn.execute(insert(PersonNameToken), tokens)
            if aliases:
                conn.execute(insert(PersonAlias), aliases)
            conn.execute(insert(IdentityDocument), docs)
            conn.execute(insert(Detention), dets)
            if cases:
                conn.execute(insert(RemovalCase), cases)
            if stages:
                conn.execute(insert(DetentionStage), stages)
        print(f"  populated {min(start + batch, persons):,}", end="\r", flush=True)
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            for table in ("person", "detention", "removal_case"):  # explicit ids given above
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
        # What autovacuum does to a register in use: statistics, and the visibility map
        # that lets the token index be read without visiting the table.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    print()


# ---------------------------------------------------------------------------- the queries

KINDS = {
    "exact": "the name on record, date of birth, nationality",
    "transposed": "two neighbouring letters swapped in one part",
    "wrong letter": "one letter of one part mistyped",
    "order": "the last part typed first",
    "muhammad": "another spelling of Muhammad (Md/Mohd/Mohammed ...)",
    "middle missing": "a middle part left out (names of three parts or more)",
    "name only": "the name on record, no date of birth or nationality",
    "other birth date": "the name on record, a date of birth years apart",
    "hard": "a letter dropped, order changed, day and month of birth swapped (day <= 12)",
    "document": "the document number alone",
}


def variants(rnd: random.Random, name: str, born: dt.date, nat: str, number: str):
    """(kind, IdentityQuery) pairs for one target; kinds that do not apply are left out."""
    words = name_key(name).split()
    content = [w for w in identity.name_parts(name) if w]
    plain = [w for w in words if w not in identity.CONNECTORS and w not in ("A", "L", "P")]
    long = [i for i, w in enumerate(words) if len(w) >= 4 and w not in identity.CONNECTORS]

    def q(ws, b=born, n=nat):
        return IdentityQuery(full_name=" ".join(ws).title(), date_of_birth=b, nationality=n)

    out = [("exact", q(words))]
    if long:
        i = rnd.choice(long)
        out.append(("transposed", q(words[:i] + [mistype(words[i], rnd, "transpose")]
                                    + words[i + 1:])))
        i = rnd.choice(long)
        out.append(("wrong letter", q(words[:i] + [mistype(words[i], rnd, "substitute")]
                                      + words[i + 1:])))
    if len(plain) >= 2:
        out.append(("order", q(plain[-1:] + plain[:-1])))
    md = [i for i, w in enumerate(words) if identity.CANONICAL.get(w) == "MUHAMMAD"]
    if md:
        i = md[0]
        other = rnd.choice([v for v in identity.VARIANTS["MUHAMMAD"] if v != words[i]])
        out.append(("muhammad", q(words[:i] + [other] + words[i + 1:])))
    if len(content) >= 3:
        middle = rnd.randrange(1, len(plain) - 1) if len(plain) >= 3 else None
        if middle is not None:
            out.append(("middle missing", q(plain[:middle] + plain[middle + 1:])))
    out.append(("name only", q(words, None, "")))
    out.append(("other birth date", q(words, born.replace(year=born.year + rnd.choice(
        (-4, -3, -2, 2, 3, 4)), day=min(born.day, 28)))))
    if long:
        ws = list(plain)
        i = rnd.choice([j for j, w in enumerate(ws) if len(w) >= 4] or [0])
        if len(ws[i]) >= 4:
            ws[i] = mistype(ws[i], rnd, "drop")
        if len(ws) >= 2:
            ws = ws[1:] + ws[:1]
        swapped = born.replace(day=born.month, month=born.day) if born.day <= 12 else born
        out.append(("hard", q(ws, swapped)))
    out.append(("document", IdentityQuery(document_number=number)))
    return out


# ------------------------------------------------------------------------- the raw baseline

def raw_baseline(db: Database):
    """The same retrieval done plainly through the driver: fuzzy extract, one grouped query."""
    conn = db.engine.raw_connection()
    cur = conn.cursor()
    t = time.perf_counter()
    cur.execute("SELECT DISTINCT token FROM person_name_token")
    vocabulary = [r[0] for r in cur.fetchall()]
    load_ms = (time.perf_counter() - t) * 1000
    ph = "?" if db.dialect == "sqlite" else "%s"

    def marks(n):
        return ",".join([ph] * n)

    def run(query: IdentityQuery):
        cur = conn.cursor()
        ids: list[int] = []
        number = identity.normalise_document_number(query.document_number)
        if number:
            cur.execute(f"SELECT person_id FROM identity_document WHERE number = {ph}", (number,))
            ids += [r[0] for r in cur.fetchall()]
        parts = [w for w in name_key(query.full_name).split() if w not in identity.CONNECTORS]
        if parts:
            tokens = set(parts)
            for part in parts:
                if len(part) > 2:
                    tokens.update(m for m, _s, _i in process.extract(
                        part, vocabulary, scorer=fuzz.ratio, score_cutoff=identity.TOKEN_CUTOFF,
                        limit=identity.TOKENS_PER_PART))
            tokens = sorted(tokens)
            cur.execute("SELECT person_id, count(*) AS hits FROM person_name_token "
                        f"WHERE token IN ({marks(len(tokens))}) GROUP BY person_id "
                        "ORDER BY hits DESC, person_id LIMIT 300", tokens)
            ids += [r[0] for r in cur.fetchall()]
        if ids:
            cur.execute("SELECT id, full_name, date_of_birth, nationality FROM person "
                        f"WHERE id IN ({marks(len(ids))})", ids)
            cur.fetchall()
        conn.rollback()  # the same per-call transaction boundary the service's unit of work has
        cur.close()

    def indexed(key: str):
        cur = conn.cursor()
        cur.execute(f"SELECT id FROM person WHERE name_key = {ph}", (key,))
        cur.fetchall()
        conn.rollback()
        cur.close()

    return run, indexed, load_ms, len(vocabulary), conn


# ---------------------------------------------------------------------------------- driver

def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, round(p * len(s)) - 1))]


def summary(samples: list[float]) -> str:
    return (f"{statistics.median(samples):6.1f} {pct(samples, 0.95):6.1f} "
            f"{max(samples):6.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:////tmp/depot-bench-identity.sqlite")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the timed service calls and print the top functions")
    parser.add_argument("--sort", default="cumulative", help="the profile's sort order")
    args = parser.parse_args()
    if args.targets > PLANTED:
        raise SystemExit(f"at most {PLANTED} targets are planted")

    db = Database(args.db)
    db.upgrade()
    with db.read() as uow:
        have = uow.session.scalar(select(func.count()).select_from(Person))
    if have != args.persons:
        if have:
            raise SystemExit(f"{args.db} holds {have:,} persons; give a fresh database")
        print(f"populating {args.persons:,} persons ...")
        t = time.perf_counter()
        populate(db, args.persons)
        print(f"  took {time.perf_counter() - t:.0f} s")
    actor = Actor(1, "bench", "Bench", frozenset({Role.CLERK}), "bench")

    with db.read() as uow:
        s = uow.session
        counts = {label: s.scalar(select(func.count()).select_from(model)) for label, model in (
            ("tokens", PersonNameToken), ("aliases", PersonAlias), ("documents",
                                                                   IdentityDocument),
            ("detentions", Detention), ("removal cases", RemovalCase))}
        ids = planted_ids(args.persons)[:args.targets]
        rows = s.execute(select(Person.id, Person.full_name, Person.date_of_birth,
                                Person.nationality).where(Person.id.in_(ids))).all()
        numbers = dict(s.execute(select(IdentityDocument.person_id, IdentityDocument.number)
                                 .where(IdentityDocument.person_id.in_(ids))).all())
        removed = set(s.scalars(select(Detention.person_id).where(
            Detention.person_id.in_(ids), Detention.status == "removed")))
    print(f"\n{db.dialect}: {args.persons:,} persons; "
          + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    rnd = random.Random(SEED + 2)
    queries = []  # (kind, target id, query)
    for pid, name, born, nat in sorted(rows):
        for kind, query in variants(rnd, name, born, nat, numbers[pid]):
            queries.append((kind, pid, query))
    rnd.shuffle(queries)
    print(f"{len(ids)} planted targets ({len(removed)} removed before), {len(queries):,} queries")

    # Cold: the first call in a process loads the vocabulary of distinct name parts.
    identity._VOCABULARIES.clear()
    t = time.perf_counter()
    with db.read() as uow:
        find_candidates(uow, actor, next(q for _, _, q in queries if q.full_name))
    cold_ms = (time.perf_counter() - t) * 1000
    vocab = next(iter(identity._VOCABULARIES.values()))
    print(f"cold first call (loads {len(vocab.choices):,} distinct name parts): {cold_ms:,.0f} ms")

    raw, indexed, raw_load_ms, raw_vocab, raw_conn = raw_baseline(db)
    print(f"raw baseline: SELECT DISTINCT token ({raw_vocab:,}) took {raw_load_ms:,.0f} ms")
    for _, _, query in queries[:20]:  # warm the caches of both sides
        with db.read() as uow:
            find_candidates(uow, actor, query)
        raw(query)

    profiler = None
    if args.profile:
        import cProfile
        profiler = cProfile.Profile()
    service_ms: dict[str, list[float]] = defaultdict(list)
    raw_ms: dict[str, list[float]] = defaultdict(list)
    floor_ms: list[float] = []
    top1: dict[str, int] = defaultdict(int)
    top5: dict[str, int] = defaultdict(int)
    flagged = removed_found = false_flags = kept_found = 0
    missed: dict[str, list[int]] = defaultdict(list)
    for kind, pid, query in queries:
        if profiler:
            profiler.enable()
        t = time.perf_counter()
        with db.read() as uow:
            found = find_candidates(uow, actor, query)
        service_ms[kind].append((time.perf_counter() - t) * 1000)
        if profiler:
            profiler.disable()
        t = time.perf_counter()
        raw(query)
        raw_ms[kind].append((time.perf_counter() - t) * 1000)
        if query.full_name:
            t = time.perf_counter()
            indexed(name_key(query.full_name))
            floor_ms.append((time.perf_counter() - t) * 1000)
        rank = next((i for i, c in enumerate(found) if c.person_id == pid), None)
        if rank is not None and rank < 5:
            top5[kind] += 1
            top1[kind] += rank == 0
            hit = found[rank]
            if pid in removed:
                removed_found += 1
                flagged += hit.previously_removed is not None
            else:
                kept_found += 1
                false_flags += hit.previously_removed is not None
        else:
            missed[kind].append(pid)

    per_kind = defaultdict(int)
    for kind, _, _ in queries:
        per_kind[kind] += 1
    print(f"\nrecall of the planted targets ({args.targets} targets)")
    print(f"{'variant':<16} {'queries':>7} {'top 1':>7} {'top 5':>7}   service p50 / p95 ms")
    for kind in KINDS:
        n = per_kind[kind]
        if n:
            print(f"{kind:<16} {n:7d} {100 * top1[kind] / n:6.1f}% {100 * top5[kind] / n:6.1f}%"
                  f"   {statistics.median(service_ms[kind]):6.1f} / "
                  f"{pct(service_ms[kind], 0.95):6.1f}")
    total = len(queries)
    print(f"{'all':<16} {total:7d} {100 * sum(top1.values()) / total:6.1f}% "
          f"{100 * sum(top5.values()) / total:6.1f}%")
    # A miss where five others on record bear exactly the target's name is one no ranking
    # on the name can avoid: those are told apart by the date of birth or not at all.
    keys = {pid: name_key(name) for pid, name, _, _ in rows}
    with db.read() as uow:
        namesakes = {pid: uow.session.scalar(select(func.count()).select_from(Person)
                                             .where(Person.name_key == keys[pid])) - 1
                     for pid in {p for v in missed.values() for p in v}}
    print("missed (not in the top 5): " + ", ".join(
        f"{kind} {len(v)} ({sum(namesakes[p] >= 5 for p in v)} with 5+ namesakes)"
        for kind, v in missed.items()))
    print(f"s.36: {flagged} of {removed_found} hits on removed targets flagged; "
          f"{false_flags} of {kept_found} hits on the others flagged wrongly")

    every = [x for v in service_ms.values() for x in v]
    every_raw = [x for v in raw_ms.values() for x in v]
    names = [x for k, v in service_ms.items() if k != "document" for x in v]
    names_raw = [x for k, v in raw_ms.items() if k != "document" for x in v]
    print(f"\n{db.dialect}, warm, ms{'':<12} {'p50':>6} {'p95':>6} {'max':>6}")
    print(f"{'service, all queries':<25} {summary(every)}")
    print(f"{'raw, all queries':<25} {summary(every_raw)}")
    print(f"{'service, by name':<25} {summary(names)}")
    print(f"{'raw, by name':<25} {summary(names_raw)}")
    print(f"{'service, document only':<25} {summary(service_ms['document'])}")
    print(f"{'raw, document only':<25} {summary(raw_ms['document'])}")
    print(f"{'raw, one indexed lookup':<25} {summary(floor_ms)}")
    print(f"ratio service / raw: p50 {statistics.median(every) / statistics.median(every_raw):.2f}"
          f"x, p95 {pct(every, 0.95) / pct(every_raw, 0.95):.2f}x "
          f"(by name: p50 {statistics.median(names) / statistics.median(names_raw):.2f}x)")
    raw_conn.close()
    if profiler:
        import pstats
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
