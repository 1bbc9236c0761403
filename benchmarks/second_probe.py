"""A second blind probe of the register: SYNTHETIC victim lists written without reading dadkhah.

Written for issue #14 from the issue's description of the independent benchmark kept outside the
repository ("households, namesakes, a copied list, OCR'd and French-style lists", an English list
with ``Name`` and ``Surname``, a memoir list whose «نام» is a given name only) and from general
knowledge of Persian names. Nothing here was taken from ``dadkhah.simulate``, ``dadkhah.linkage``,
``dadkhah.names`` or the other benchmarks: the name tables, romanisations and list habits are this
file's own, and the lists are scored only through the command line a user would type.

Everything written is SYNTHETIC (every file name starts with ``SYNTHETIC-``); no real victim.

Population (``--persons``, default 1500): persons executed July-September 1988 in Evin, Gohardasht
and provincial prisons, each with sex, birth year, father's given name, home town and address,
prison, execution date, affiliation and (for some men) the title Seyed. Given names and common
surnames are drawn with heavy-tailed (Zipf-like) weights, so namesakes are frequent: Mohammad is
about 12% of men, Ali 7%, Hossein 5%; Mohammadi about 4% of persons, the ten commonest surnames
about 17% (two to three times their share in Iran), and «محمد محمدی», «محمد حسینی» recur. Kurdish,
Arab, Baluch and Azeri towns draw a third of their names from regional tables. Rarer surnames are
built from a root and a suffix (ی، زاده، پور، نژاد، وند، لو) or a second element (نیا، فر،
راد، بخش...), about 590 distinct surnames per 1,300 persons.

About a quarter of the victims belong to a household of 2-4 victims (brothers, brother and
sister, husband and wife, father and son): siblings share surname, father, home town and address,
never a given name; 30% of sibling pairs get very similar given names
(محمد / محمود, حسن / حسین, علی / علی‌اکبر); 80% of a household share a prison and half of them
the execution day.

Lists (a person's chance of being in each list is scaled by a personal visibility drawn from
0.4-1.6, so some persons are in many lists and 20-35% of the named in one only):

* ``household`` (family_list, Persian CSV): «ردیف», «نام», «نام خانوادگی», «نام پدر», «نسبت»
  (relation to the household's first member), «شهر», «نشانی», «زندان», «تاریخ اعدام», «سال تولد».
  Listed with probability 0.38 (0.75 for household members; households listed together).
  Persian digits in 80% of rows; ZWNJ in compounds kept 50%, a space 30%, joined 20%.
  Execution date: full Jalali 45%, month only («مرداد ۱۳۶۷») 40%, blank 15%. Birth year: Jalali
  year; 3% an age instead, 6% off by 1-2, 12% blank. Town: 10% blank, 4% the prison's town.
  Father 8% blank; address 45% blank; Seyed written before the given name for 60% of Seyeds.
* ``copied`` (ngo_list): 60% of its rows copied from the household list (half of that list's
  rows), retyped: «شماره», «اسم», «فامیل», «اسم پدر», «متولد», «شهرستان», «تاریخ شهادت»,
  «ملاحظات»; address, relation and prison dropped. Each copied field is skipped with probability
  0.06 (never both names), each copied name or town has an 8% chance of a dropped letter and 4%
  of two letters swapped; 70% of rows typed with Arabic ي and ك; 5% of numbers get one wrong
  digit. Rows sorted by surname. Its own 40% of rows are hearsay about persons drawn at random
  (probability 0.15): father 40% present, town 70%, birth year 30%, date month only.
* ``ocr`` (other, Persian CSV of an OCR'd typed page): «ردیف», «نام و نام خانوادگی», «نام پدر»,
  «متولد», «زندان», «تاریخ اعدام», «اتهام»; probability 0.28. About 1 word in 4 damaged: dots
  lost or moved within the groups ب ت ث ن ی پ / ج ح خ چ / د ذ / ر ز ژ / س ش / ص ض / ط ظ / ع غ /
  ف ق, ZWNJ lost or turned to a space, two words run together, digits misread (۲/۳, ۶/۹, ۰/۵),
  stray punctuation.
* ``english`` (ngo_list): ``No.``, ``Name`` (the given name), ``Surname``, ``Father``, ``Age``,
  ``Date``, ``Prison``, ``Hometown``, ``Affiliation``; probability 0.45; 2% of its rows are
  duplicates of another row of the same person. Press romanisation with varied habits per row
  (Mohammad/Mohamad/Muhammad, Hossein/Hosein/Husain, gh/q, ou/u, -ei/-ee/-ie, -zadeh/-zade,
  -pour/-pur, -nejad/-nezhad, doubled letters single, compounds hyphenated, spaced or joined),
  surname upper-case in 15% of rows, Seyed kept in 40% of Seyeds' given names. Age 25% blank,
  off by one 20%; Date "12/08/1988" 25%, "August 1988" 35%, "late July 1988" 15%, "1988" 15%,
  blank 10%; father 35% blank; hometown 25% blank, 5% the prison's town.
* ``french`` (ngo_list): «Nom», «Prénom», «Nom du père», «Date de naissance» (or «Âge» on odd
  seeds), «Date d'exécution» («fin juillet 1988», «août 1988», «12/08/1988»), «Prison», «Ville»;
  probability 0.22; French romanisation (ch for sh, dj for j, tch for ch, ou for u, Khosro).
* ``memoir`` (memoir): «نام» only (a given name 75%, «سید» + given name for half the Seyeds,
  a surname only 20%), «شهر» home town (30% blank), «بند» ward; only prisoners of Gohardasht and
  Evin, probability 0.25 for those; no dates.

Scoring runs ``dadkhah init``, ``source add`` + ``import`` per list (the mapping dadkhah
detects), ``normalize``, ``link`` and ``export persons``, then prints records, pairwise and
B-cubed precision/recall/F1, persons found against the truly named, household members merged
(siblings with different given names apart), recall on copied-row pairs and OCR-row pairs, recall
by pair of lists, and the column mapping of each import. ``--findings`` prints a sample of
missed and false pairs with their fields; ``--rescore`` scores a kept ``--out`` folder again
without running dadkhah (the generator is deterministic for a seed and a size).

    python benchmarks/second_probe.py --seed 1 --persons 1500 --findings
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import jdatetime

ZWNJ = "\u200c"

# --------------------------------------------------------------------------------------------
# Name tables: (Persian, press romanisation variants, first = the base). Order = frequency rank.
# --------------------------------------------------------------------------------------------

MALE_NAMES: list[tuple[str, list[str]]] = [
    ("محمد", ["Mohammad", "Mohamad", "Muhammad", "Mohammed", "Mohamed"]),
    ("علی", ["Ali"]),
    ("حسین", ["Hossein", "Hosein", "Hussein", "Husain", "Hossain"]),
    ("حسن", ["Hassan", "Hasan"]),
    ("رضا", ["Reza"]),
    ("مهدی", ["Mehdi", "Mahdi"]),
    ("احمد", ["Ahmad", "Ahmed"]),
    ("محمود", ["Mahmoud", "Mahmud", "Mahmood"]),
    ("محمدرضا", ["Mohammad-Reza", "Mohammadreza", "Mohammad Reza", "Mohamad-Reza"]),
    ("علی‌اکبر", ["Ali-Akbar", "Aliakbar", "Ali Akbar"]),
    ("محمدعلی", ["Mohammad-Ali", "Mohammadali", "Mohammad Ali"]),
    ("مجید", ["Majid"]),
    ("عباس", ["Abbas", "Abas"]),
    ("جواد", ["Javad"]),
    ("مصطفی", ["Mostafa", "Mustafa"]),
    ("غلامرضا", ["Gholamreza", "Gholam-Reza", "Qolamreza"]),
    ("علی‌اصغر", ["Ali-Asghar", "Aliasghar", "Ali Asghar"]),
    ("ابراهیم", ["Ebrahim", "Ibrahim"]),
    ("مرتضی", ["Morteza", "Mortaza"]),
    ("حمید", ["Hamid"]),
    ("سعید", ["Saeed", "Saeid", "Said"]),
    ("محسن", ["Mohsen"]),
    ("اکبر", ["Akbar"]),
    ("اصغر", ["Asghar"]),
    ("جعفر", ["Jafar", "Ja'far"]),
    ("محمدحسین", ["Mohammad-Hossein", "Mohammadhossein", "Mohammad Hossein"]),
    ("یوسف", ["Yousef", "Yusef", "Yousof"]),
    ("غلامحسین", ["Gholamhossein", "Gholam-Hossein", "Gholamhosein"]),
    ("بهروز", ["Behrouz", "Behruz"]),
    ("فرهاد", ["Farhad"]),
    ("ناصر", ["Naser", "Nasser"]),
    ("منصور", ["Mansour", "Mansur"]),
    ("کاظم", ["Kazem", "Kazim"]),
    ("هادی", ["Hadi"]),
    ("قاسم", ["Ghasem", "Qasem", "Qassem"]),
    ("علیرضا", ["Alireza", "Ali-Reza", "Ali Reza"]),
    ("رحیم", ["Rahim"]),
    ("کریم", ["Karim"]),
    ("بهزاد", ["Behzad"]),
    ("شهرام", ["Shahram"]),
    ("خسرو", ["Khosrow", "Khosro", "Khosrau"]),
    ("بیژن", ["Bijan", "Bizhan"]),
    ("فریدون", ["Fereydoun", "Fereidoun", "Freydun"]),
    ("هوشنگ", ["Houshang", "Hushang"]),
    ("عبدالله", ["Abdollah", "Abdullah", "Abdolah"]),
    ("نادر", ["Nader"]),
    ("اسماعیل", ["Esmaeil", "Esmail", "Ismail"]),
    ("عزت‌الله", ["Ezzatollah", "Ezatollah", "Ezzat-Allah"]),
    ("نعمت‌الله", ["Nematollah", "Ne'matollah"]),
    ("سیروس", ["Sirous", "Cyrus", "Sirus"]),
    ("کیومرث", ["Kiumars", "Kioumars", "Kiomars"]),
    ("مسعود", ["Masoud", "Masud", "Massoud"]),
    ("داوود", ["Davoud", "Davud", "Dawood"]),
    ("تقی", ["Taghi", "Taqi"]),
    ("صادق", ["Sadegh", "Sadeq"]),
    ("باقر", ["Bagher", "Baqer"]),
    ("امیر", ["Amir"]),
    ("بهمن", ["Bahman"]),
    ("پرویز", ["Parviz", "Parwiz"]),
    ("جمشید", ["Jamshid"]),
    ("رحمان", ["Rahman"]),
    ("هیوا", ["Hiva", "Hiwa"]),
    ("آزاد", ["Azad"]),
    ("کاوه", ["Kaveh", "Kave"]),
    ("صمد", ["Samad"]),
    ("یدالله", ["Yadollah", "Yadolah"]),
    ("عبدالرحمن", ["Abdolrahman", "Abdorrahman", "Abdul-Rahman"]),
    ("نورمحمد", ["Nour-Mohammad", "Noormohammad", "Nurmohammad"]),
    ("دادشاه", ["Dadshah"]),
    ("جاسم", ["Jasem", "Jassim"]),
    ("عدنان", ["Adnan"]),
    ("عبدالحسین", ["Abdolhossein", "Abdul-Hossein", "Abdolhosein"]),
    ("فرامرز", ["Faramarz"]),
    ("سهراب", ["Sohrab"]),
    ("منوچهر", ["Manouchehr", "Manuchehr"]),
    ("ایرج", ["Iraj"]),
    ("اسدالله", ["Asadollah", "Asadolah"]),
    ("حبیب", ["Habib"]),
    ("مهرداد", ["Mehrdad"]),
    ("روح‌الله", ["Rouhollah", "Ruhollah"]),
    ("نصرالله", ["Nasrollah"]),
    ("سیامک", ["Siamak"]),
    ("جلیل", ["Jalil"]),
    ("خلیل", ["Khalil"]),
    ("طاهر", ["Taher"]),
    ("شاپور", ["Shapour", "Shapur"]),
    ("اردشیر", ["Ardeshir"]),
    ("انوشیروان", ["Anoushirvan", "Anushiravan"]),
    ("رسول", ["Rasoul", "Rasul"]),
    ("ولی‌الله", ["Valiollah", "Valiolah"]),
    ("فتح‌الله", ["Fathollah"]),
    ("مجتبی", ["Mojtaba"]),
    ("هاشم", ["Hashem"]),
    ("موسی", ["Mousa", "Musa"]),
    ("عیسی", ["Eisa", "Isa"]),
    ("کامران", ["Kamran"]),
    ("جهانگیر", ["Jahangir"]),
    ("عثمان", ["Osman", "Othman"]),
    ("ابوالفضل", ["Abolfazl", "Abolfazel"]),
    ("ابوالقاسم", ["Abolghasem", "Abolqasem"]),
]

FEMALE_NAMES: list[tuple[str, list[str]]] = [
    ("فاطمه", ["Fatemeh", "Fatima", "Fateme", "Fatemah"]),
    ("زهرا", ["Zahra"]),
    ("مریم", ["Maryam", "Mariam"]),
    ("معصومه", ["Masoumeh", "Masumeh", "Massoumeh"]),
    ("اشرف", ["Ashraf"]),
    ("زهره", ["Zohreh", "Zohre"]),
    ("اعظم", ["Azam", "A'zam"]),
    ("طاهره", ["Tahereh", "Tahere"]),
    ("شهین", ["Shahin"]),
    ("منیژه", ["Manijeh", "Manizheh"]),
    ("فریبا", ["Fariba"]),
    ("سهیلا", ["Soheila", "Soheyla", "Suhaila"]),
    ("نسرین", ["Nasrin"]),
    ("مهین", ["Mahin"]),
    ("پروین", ["Parvin"]),
    ("رقیه", ["Roghayeh", "Roqayeh", "Roghieh"]),
    ("لیلا", ["Leila", "Leyla", "Layla"]),
    ("شهلا", ["Shahla"]),
    ("ژیلا", ["Zhila", "Jila"]),
    ("فرشته", ["Fereshteh", "Fereshte"]),
    ("سودابه", ["Soudabeh", "Sudabeh"]),
    ("منیره", ["Monireh", "Monire"]),
    ("اکرم", ["Akram"]),
    ("سکینه", ["Sakineh", "Sakine"]),
    ("مهری", ["Mehri"]),
    ("فرزانه", ["Farzaneh", "Farzane"]),
    ("نرگس", ["Narges"]),
    ("صدیقه", ["Sedigheh", "Sediqeh"]),
    ("شیرین", ["Shirin"]),
    ("گلرخ", ["Golrokh"]),
    ("مینا", ["Mina"]),
    ("ناهید", ["Nahid"]),
    ("پروانه", ["Parvaneh", "Parvane"]),
    ("عفت", ["Effat", "Efat"]),
    ("خدیجه", ["Khadijeh", "Khadije"]),
    ("نازنین", ["Nazanin"]),
]

# Siblings are given different names, but families often chose close ones.
SIMILAR_SIBLING_NAMES = [
    ("محمد", "محمود"), ("حسن", "حسین"), ("محمد", "محمدعلی"), ("علی", "علی‌اکبر"),
    ("مجید", "حمید"), ("مهدی", "هادی"), ("رضا", "علیرضا"), ("علی‌اکبر", "علی‌اصغر"),
    ("محمدرضا", "محمدعلی"), ("غلامرضا", "غلامحسین"), ("اکبر", "اصغر"), ("فاطمه", "فاطمه‌زهرا"),
    ("زهرا", "زهره"), ("محسن", "حسن"), ("محمدحسین", "محمدحسن"),
]
EXTRA_NAMES = {
    "فاطمه‌زهرا": ["Fatemeh-Zahra", "Fatemehzahra", "Fatemeh Zahra"],
    "محمدحسن": ["Mohammad-Hassan", "Mohammadhasan", "Mohammad Hasan"],
}

# Surnames given whole, by frequency rank (the common ones make namesakes).
COMMON_SURNAMES: list[tuple[str, str]] = [
    ("محمدی", "Mohammadi"), ("حسینی", "Hosseini"), ("احمدی", "Ahmadi"), ("رضایی", "Rezaei"),
    ("موسوی", "Mousavi"), ("کریمی", "Karimi"), ("رحیمی", "Rahimi"), ("جعفری", "Jafari"),
    ("حیدری", "Heidari"), ("صادقی", "Sadeghi"), ("قربانی", "Ghorbani"), ("اکبری", "Akbari"),
    ("نوری", "Nouri"), ("کاظمی", "Kazemi"), ("عباسی", "Abbasi"), ("ابراهیمی", "Ebrahimi"),
    ("یوسفی", "Yousefi"), ("نجفی", "Najafi"), ("قاسمی", "Ghasemi"), ("هاشمی", "Hashemi"),
    ("مرادی", "Moradi"), ("سلیمانی", "Soleimani"), ("فرهادی", "Farhadi"), ("امیری", "Amiri"),
    ("طاهری", "Taheri"), ("باقری", "Bagheri"), ("صالحی", "Salehi"), ("رستمی", "Rostami"),
    ("اسدی", "Asadi"), ("میرزایی", "Mirzaei"), ("شریفی", "Sharifi"), ("زارعی", "Zarei"),
    ("ملکی", "Maleki"), ("بهرامی", "Bahrami"), ("عزیزی", "Azizi"), ("خسروی", "Khosravi"),
    ("تهرانی", "Tehrani"), ("تبریزی", "Tabrizi"), ("شیرازی", "Shirazi"), ("اصفهانی", "Esfahani"),
    ("رشتی", "Rashti"), ("کرمانشاهی", "Kermanshahi"), ("ویسی", "Veisi"), ("بلوچ", "Baluch"),
    ("کعبی", "Kaabi"), ("چعب", "Chaab"), ("سواری", "Savari"), ("علوی", "Alavi"),
    ("طباطبایی", "Tabatabaei"), ("میرحسینی", "Mirhosseini"), ("حاجی‌زاده", "Hajizadeh"),
    ("پاکزاد", "Pakzad"), ("شجاعی", "Shojaei"), ("دهقان", "Dehghan"), ("کشاورز", "Keshavarz"),
]
SEYED_SURNAMES = {"حسینی", "موسوی", "هاشمی", "علوی", "طباطبایی", "میرحسینی", "نجفی"}

# Roots and suffixes that build the long tail of rarer surnames.
SURNAME_ROOTS: list[tuple[str, str]] = [
    ("حسین", "Hossein"), ("رحیم", "Rahim"), ("کریم", "Karim"), ("قلی", "Gholi"),
    ("تقی", "Taghi"), ("نقی", "Naghi"), ("اکبر", "Akbar"), ("اصغر", "Asghar"),
    ("جعفر", "Jafar"), ("صادق", "Sadegh"), ("باقر", "Bagher"), ("یوسف", "Yousef"),
    ("امین", "Amin"), ("شریف", "Sharif"), ("نصیر", "Nasir"), ("عرب", "Arab"),
    ("حاجی", "Haji"), ("ملک", "Malek"), ("فتح", "Fath"), ("جهان", "Jahan"),
    ("خدا", "Khoda"), ("آقا", "Agha"), ("بیگ", "Beig"), ("قنبر", "Ghanbar"),
    ("رمضان", "Ramezan"), ("شعبان", "Shaban"), ("اسد", "Asad"), ("منصور", "Mansour"),
    ("نیک", "Nik"), ("پاک", "Pak"), ("فرخ", "Farrokh"), ("بهار", "Bahar"),
    ("کاظم", "Kazem"), ("عباس", "Abbas"), ("مهدی", "Mahdi"), ("حیدر", "Heidar"),
    ("سلطان", "Soltan"), ("خان", "Khan"), ("دوست", "Doust"), ("نور", "Nour"),
    ("زمان", "Zaman"), ("کمال", "Kamal"), ("جلال", "Jalal"), ("مختار", "Mokhtar"),
    ("قادر", "Ghader"), ("ستار", "Sattar"), ("غفار", "Ghaffar"), ("رسول", "Rasoul"),
]
SURNAME_SUFFIXES: list[tuple[str, str, bool, float]] = [
    # Persian suffix, Latin, joined with ZWNJ in careful writing, weight
    ("ی", "i", False, 0.35),
    ("زاده", "zadeh", True, 0.25),
    ("پور", "pour", True, 0.18),
    ("نژاد", "nejad", True, 0.12),
    ("وند", "vand", False, 0.05),
    ("لو", "lou", False, 0.05),
]

# Second elements of compound surnames (Niknia, Jahanbakhsh, Farrokhrad...), and whether an -i
# may follow them.
SURNAME_ELEMENTS: list[tuple[str, str]] = [
    ("نیا", "nia"), ("فر", "far"), ("راد", "rad"), ("منش", "manesh"), ("بخش", "bakhsh"),
    ("خواه", "khah"), ("دوست", "doust"), ("پناه", "panah"), ("آبادی", "abadi"), ("کار", "kar"),
    ("وش", "vash"), ("زاد", "zad"), ("مهر", "mehr"), ("بین", "bin"),
]
MORE_ROOTS: list[tuple[str, str]] = [
    ("شاه", "Shah"), ("میر", "Mir"), ("دل", "Del"), ("بهرام", "Bahram"), ("کیان", "Kian"),
    ("هوشمند", "Houshmand"), ("مهر", "Mehr"), ("زر", "Zar"), ("گل", "Gol"), ("فرهمند", "Farahmand"),
    ("روشن", "Roshan"), ("آزاد", "Azad"), ("شیر", "Shir"), ("بابا", "Baba"), ("مشهدی", "Mashhadi"),
    ("کربلایی", "Karbalaei"), ("درویش", "Darvish"), ("صفر", "Safar"), ("ولی", "Vali"),
    ("طالب", "Taleb"), ("توکل", "Tavakol"), ("عسکر", "Asgar"), ("یزدان", "Yazdan"),
    ("ایزد", "Izad"), ("امام", "Emam"), ("بنی", "Bani"), ("سبز", "Sabz"), ("ماه", "Mah"),
    ("نظر", "Nazar"), ("خلیل", "Khalil"), ("جمال", "Jamal"), ("قدیر", "Ghadir"),
    ("حبیب", "Habib"), ("سعید", "Saeed"), ("فرج", "Faraj"), ("مراد", "Morad"),
    ("الله", "Allah"), ("بهمن", "Bahman"), ("اسفندیار", "Esfandiar"), ("رستم", "Rostam"),
]

# Names and surnames of the regions with other languages: drawn more often there.
REGIONAL_NAMES: dict[str, tuple[set[str], list[str], list[tuple[str, str]]]] = {
    "kurdish": ({"sanandaj", "mahabad", "kermanshah", "urmia"},
                ["هیوا", "آزاد", "کاوه", "رحمان", "عثمان", "صمد", "جلیل", "طاهر", "عبدالله"],
                [("ویسی", "Veisi"), ("رستمی", "Rostami"), ("مرادی", "Moradi"),
                 ("قادری", "Ghaderi"), ("کریمی", "Karimi"), ("پیرانی", "Pirani"),
                 ("شیخی", "Sheikhi"), ("ملکی", "Maleki")]),
    "arab": ({"ahvaz", "abadan", "dezful", "masjed_soleyman"},
             ["جاسم", "عدنان", "عبدالحسین", "موسی", "عیسی", "حبیب", "کاظم"],
             [("کعبی", "Kaabi"), ("چعب", "Chaab"), ("سواری", "Savari"), ("عساکره", "Asakereh"),
              ("نیسی", "Neisi"), ("حیدری", "Heidari")]),
    "baluch": ({"zahedan"},
               ["دادشاه", "نورمحمد", "عبدالرحمن", "عثمان", "عبدالله"],
               [("بلوچ", "Baluch"), ("ریگی", "Rigi"), ("شه‌بخش", "Shahbakhsh"),
                ("براهویی", "Brahouei"), ("نارویی", "Narouei")]),
    "azeri": ({"tabriz", "urmia", "ardabil", "zanjan"},
              ["یوسف", "صمد", "بهروز", "ایرج", "جمشید", "اکبر", "اصغر"],
              [("تبریزی", "Tabrizi"), ("قلی‌زاده", "Gholizadeh"), ("علیزاده", "Alizadeh"),
               ("سلطانلو", "Soltanlou"), ("بیگدلی", "Bigdeli"), ("اسدی", "Asadi")]),
}
FEMALE_REGIONAL = {"kurdish": ["ژیلا", "شیرین", "نسرین"], "arab": ["خدیجه", "فاطمه"],
                   "baluch": ["خدیجه"], "azeri": ["منیژه", "پروین"]}


# --------------------------------------------------------------------------------------------
# Places: towns (Persian, English, French) and prisons (Persian, English forms, French, town).
# --------------------------------------------------------------------------------------------

TOWNS: dict[str, tuple[str, str, str, float]] = {
    # key: (Persian, English, French, weight as a home town)
    "tehran": ("تهران", "Tehran", "Téhéran", 30),
    "karaj": ("کرج", "Karaj", "Karadj", 2),
    "tabriz": ("تبریز", "Tabriz", "Tabriz", 6),
    "mashhad": ("مشهد", "Mashhad", "Machhad", 5),
    "shiraz": ("شیراز", "Shiraz", "Chiraz", 5),
    "isfahan": ("اصفهان", "Isfahan", "Ispahan", 6),
    "ahvaz": ("اهواز", "Ahvaz", "Ahvaz", 4),
    "rasht": ("رشت", "Rasht", "Racht", 4),
    "dezful": ("دزفول", "Dezful", "Dezfoul", 2),
    "hamadan": ("همدان", "Hamadan", "Hamadan", 2),
    "kermanshah": ("کرمانشاه", "Kermanshah", "Kermanchah", 3),
    "qazvin": ("قزوین", "Qazvin", "Ghazvin", 2),
    "zanjan": ("زنجان", "Zanjan", "Zandjan", 1.5),
    "urmia": ("ارومیه", "Urmia", "Ourmia", 1.5),
    "sanandaj": ("سنندج", "Sanandaj", "Sanandadj", 2),
    "mahabad": ("مهاباد", "Mahabad", "Mahabad", 1),
    "sari": ("ساری", "Sari", "Sari", 1.5),
    "babol": ("بابل", "Babol", "Babol", 1.5),
    "lahijan": ("لاهیجان", "Lahijan", "Lahidjan", 1),
    "khorramabad": ("خرم‌آباد", "Khorramabad", "Khorramabad", 1),
    "masjed_soleyman": ("مسجدسلیمان", "Masjed Soleyman", "Masdjed Soleiman", 1),
    "abadan": ("آبادان", "Abadan", "Abadan", 1.5),
    "zahedan": ("زاهدان", "Zahedan", "Zahedan", 1),
    "kerman": ("کرمان", "Kerman", "Kerman", 1),
    "arak": ("اراک", "Arak", "Arak", 1),
    "gorgan": ("گرگان", "Gorgan", "Gorgan", 1),
    "ardabil": ("اردبیل", "Ardabil", "Ardabil", 1),
    "semnan": ("سمنان", "Semnan", "Semnan", 0.5),
    "qom": ("قم", "Qom", "Qom", 0.5),
    "najafabad": ("نجف‌آباد", "Najafabad", "Nadjafabad", 0.5),
}

PRISONS: dict[str, tuple[str, list[str], str, str]] = {
    "evin": ("اوین", ["Evin", "Evin Prison"], "Evin", "tehran"),
    "gohardasht": ("گوهردشت", ["Gohardasht (Rajaei Shahr)", "Gohardasht", "Rajaei Shahr"],
                   "Gohardasht", "karaj"),
    "tabriz": ("زندان تبریز", ["Tabriz Prison", "Tabriz"], "prison de Tabriz", "tabriz"),
    "mashhad": ("زندان وکیل‌آباد مشهد", ["Vakilabad (Mashhad)", "Mashhad Prison"],
                "Vakilabad, Machhad", "mashhad"),
    "shiraz": ("زندان عادل‌آباد شیراز", ["Adelabad (Shiraz)", "Shiraz Prison"],
               "Adelabad, Chiraz", "shiraz"),
    "isfahan": ("زندان دستگرد اصفهان", ["Dastgerd (Isfahan)", "Isfahan Prison"],
                "Dastgerd, Ispahan", "isfahan"),
    "ahvaz_karun": ("زندان کارون اهواز", ["Karun Prison (Ahvaz)", "Ahvaz Prison"],
                    "prison de Karoun, Ahvaz", "ahvaz"),
    "ahvaz_sepidar": ("زندان سپیدار اهواز", ["Sepidar Prison (Ahvaz)", "Sepidar"],
                      "Sepidar, Ahvaz", "ahvaz"),
    "rasht": ("زندان لاکان رشت", ["Lakan (Rasht)", "Rasht Prison"], "Lakan, Racht", "rasht"),
    "dezful": ("زندان دزفول", ["Dezful Prison", "Dezful"], "prison de Dezfoul", "dezful"),
    "hamadan": ("زندان همدان", ["Hamadan Prison"], "prison de Hamadan", "hamadan"),
    "kermanshah": ("زندان دیزل‌آباد کرمانشاه", ["Dizelabad (Kermanshah)", "Kermanshah Prison"],
                   "Dizelabad, Kermanchah", "kermanshah"),
    "qazvin": ("زندان قزوین", ["Qazvin Prison"], "prison de Ghazvin", "qazvin"),
    "zanjan": ("زندان زنجان", ["Zanjan Prison"], "prison de Zandjan", "zanjan"),
    "urmia": ("زندان ارومیه", ["Urmia Prison"], "prison d'Ourmia", "urmia"),
    "sari": ("زندان ساری", ["Sari Prison"], "prison de Sari", "sari"),
    "sanandaj": ("زندان سنندج", ["Sanandaj Prison"], "prison de Sanandadj", "sanandaj"),
    "khorramabad": ("زندان خرم‌آباد", ["Khorramabad Prison"], "prison de Khorramabad",
                    "khorramabad"),
}
# Where a home town's prisoners were held (a provincial prison or Tehran's two).
TOWN_PRISON = {
    "tehran": "evin", "karaj": "gohardasht", "tabriz": "tabriz", "mashhad": "mashhad",
    "shiraz": "shiraz", "isfahan": "isfahan", "ahvaz": "ahvaz_karun", "rasht": "rasht",
    "dezful": "dezful", "hamadan": "hamadan", "kermanshah": "kermanshah", "qazvin": "qazvin",
    "zanjan": "zanjan", "urmia": "urmia", "sanandaj": "sanandaj", "mahabad": "urmia",
    "sari": "sari", "babol": "sari", "lahijan": "rasht", "khorramabad": "khorramabad",
    "masjed_soleyman": "ahvaz_sepidar", "abadan": "ahvaz_karun", "zahedan": "evin",
    "kerman": "evin", "arak": "evin", "gorgan": "sari", "ardabil": "tabriz", "semnan": "evin",
    "qom": "evin", "najafabad": "isfahan",
}
KURDISH_TOWNS = {"sanandaj", "mahabad", "kermanshah", "urmia"}

AFFILIATIONS: list[tuple[str, str, str, str, float]] = [
    # key, Persian, English, French, weight
    ("pmoi", "مجاهدین خلق", "PMOI (Mojahedin)", "OMPI (Moudjahidine)", 74),
    ("tudeh", "حزب توده", "Tudeh Party", "parti Toudeh", 7),
    ("majority", "فداییان اکثریت", "Fadaian (Majority)", "Fedayin (majorité)", 4),
    ("minority", "فداییان اقلیت", "Fadaian (Minority)", "Fedayin (minorité)", 3),
    ("peykar", "پیکار", "Peykar", "Peykar", 3),
    ("rahe_kargar", "راه کارگر", "Rah-e Kargar", "Rah-e Kargar", 2),
    ("komala", "کومله", "Komala", "Komala", 3),
    ("kdpi", "حزب دموکرات کردستان", "KDPI", "PDKI", 3),
]
AFFILIATION_PERSIAN_VARIANTS = {
    "pmoi": ["مجاهدین خلق", "هوادار مجاهدین", "سازمان مجاهدین خلق ایران", "مجاهدین"],
    "majority": ["فداییان اکثریت", "فدائیان خلق (اکثریت)"],
    "minority": ["فداییان اقلیت", "چریک‌های فدایی خلق (اقلیت)"],
}
STREETS = ["خیابان آزادی", "خیابان انقلاب", "خیابان ولیعصر", "خیابان شریعتی", "خیابان پیروزی",
           "خیابان نظام‌آباد", "خیابان گرگان", "خیابان ستارخان", "خیابان فردوسی", "خیابان امام",
           "خیابان شهدا", "میدان خراسان", "خیابان مولوی", "نارمک", "تهرانپارس", "خیابان خیام"]
ALLEYS = ["کوچه گلستان", "کوچه شهید رجایی", "کوچه بهار", "کوچه نسترن", "کوچه ۱۲", "کوچه لاله",
          "کوچه اقاقیا", "بن‌بست یاس", "کوچه مسجد", "کوچه حمام"]
WARDS = ["بند ۱", "بند ۲", "بند ۳", "بند ۴", "بند ۶", "بند ۷", "بند ۸", "سالن ۱۳",
         "بند ۲۰۹", "آموزشگاه ۳", "آسایشگاه ۱", "فرعی ۲"]

JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                 "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")

LISTS = ["household", "copied", "ocr", "english", "french", "memoir"]


# --------------------------------------------------------------------------------------------
# The population
# --------------------------------------------------------------------------------------------

@dataclass
class Person:
    """One SYNTHETIC victim with the true values every list derives its fields from."""

    pid: int
    sex: str
    given: str
    surname: str
    surname_latin: str
    seyed: bool
    father: str
    birth_year: int
    town: str
    address: str
    prison: str
    executed: dt.date
    affiliation: str
    household: int | None = None
    relation: str = ""
    lists: set[str] = field(default_factory=set)


def zipf_choice(rng: random.Random, items: list, exponent: float):
    """Draw from items with weight 1/rank**exponent: a few names are very common."""
    weights = [1.0 / (i + 1) ** exponent for i in range(len(items))]
    return rng.choices(items, weights=weights)[0]


def latin_of_given(name: str) -> list[str]:
    """The press variants of a Persian given name (built on the base if not in a table)."""
    for table in (MALE_NAMES, FEMALE_NAMES):
        for fa, latin in table:
            if fa == name:
                return latin
    return EXTRA_NAMES[name]


class Population:
    """Draws the SYNTHETIC persons and their households."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.persons: list[Person] = []
        self.surname_latin: dict[str, str] = {}
        self._build(n)

    def _region(self, town: str) -> str | None:
        for region, (towns, _, _) in REGIONAL_NAMES.items():
            if town in towns:
                return region
        return None

    def _surname(self, town: str) -> tuple[str, str]:
        # The most common surname is held by about 4% of persons (2-3 times its share in Iran,
        # so that namesakes are frequent), the ten commonest by about 16%.
        rng = self.rng
        region = self._region(town)
        if region and rng.random() < 0.35:
            return rng.choice(REGIONAL_NAMES[region][2])
        if rng.random() < 0.30:
            return zipf_choice(rng, COMMON_SURNAMES, 0.8)
        root, root_latin = rng.choice(SURNAME_ROOTS + MORE_ROOTS)
        if rng.random() < 0.5:
            suffixes = SURNAME_SUFFIXES
            weights = [s[3] for s in suffixes]
            fa_suffix, latin_suffix, zwnj, _ = rng.choices(suffixes, weights=weights)[0]
        else:
            fa_suffix, latin_suffix = rng.choice(SURNAME_ELEMENTS)
            zwnj = rng.random() < 0.3
            if rng.random() < 0.3 and not fa_suffix.endswith("ی"):
                if fa_suffix.endswith(("ا", "و")):
                    fa_suffix, latin_suffix = fa_suffix + "یی", latin_suffix + "ei"
                else:
                    fa_suffix, latin_suffix = fa_suffix + "ی", latin_suffix + "i"
        if fa_suffix == "ی" and root.endswith(("ی", "ا", "و")):
            fa_suffix, latin_suffix = "یی", "ei"
        fa = root + (ZWNJ if zwnj else "") + fa_suffix
        latin = root_latin + latin_suffix.lower()
        return fa, latin

    def _given(self, sex: str, avoid: set[str], town: str | None = None) -> str:
        # Mohammad, the commonest, is about 12% of men; compounds and rarer names make the tail.
        table = MALE_NAMES if sex == "m" else FEMALE_NAMES
        region = self._region(town) if town else None
        while True:
            if region and self.rng.random() < 0.35:
                pool = REGIONAL_NAMES[region][1] if sex == "m" else FEMALE_REGIONAL[region]
                name = self.rng.choice(pool)
            else:
                name = zipf_choice(self.rng, table, 0.85)[0]
            if name not in avoid:
                return name

    def _address(self, town: str) -> str:
        rng = self.rng
        return (f"{TOWNS[town][0]}، {rng.choice(STREETS)}، {rng.choice(ALLEYS)}، "
                f"پلاک {rng.randint(1, 120)}")

    def _prison_for(self, town: str) -> str:
        base = TOWN_PRISON[town]
        if base == "evin":
            return "evin" if self.rng.random() < 0.55 else "gohardasht"
        # some provincial prisoners had been moved to Tehran
        if self.rng.random() < 0.12:
            return self.rng.choice(["evin", "gohardasht"])
        return base

    def _date(self, prison: str) -> dt.date:
        # Tehran's killings ran from late July to early September; the provinces into September.
        if prison in ("evin", "gohardasht"):
            start, days = dt.date(1988, 7, 27), 40
        else:
            start, days = dt.date(1988, 7, 19), 58
        return start + dt.timedelta(days=int(self.rng.triangular(0, days, days * 0.25)))

    def _affiliation(self, town: str) -> str:
        items = AFFILIATIONS
        weights = [a[4] * (6 if town in KURDISH_TOWNS and a[0] in ("komala", "kdpi") else 1)
                   for a in items]
        return self.rng.choices(items, weights=weights)[0][0]

    def _new(self, sex: str, **fixed) -> Person:
        rng = self.rng
        town = fixed.get("town") or rng.choices(
            list(TOWNS), weights=[t[3] for t in TOWNS.values()])[0]
        if "surname" in fixed:
            surname, surname_latin = fixed["surname"]
        else:
            surname, surname_latin = self._surname(town)
        seyed = sex == "m" and (rng.random() < (0.6 if surname in SEYED_SURNAMES else 0.06))
        if "seyed" in fixed:
            seyed = fixed["seyed"] and sex == "m"
        prison = fixed.get("prison") or self._prison_for(town)
        person = Person(
            pid=len(self.persons) + 1, sex=sex,
            given=fixed.get("given") or self._given(sex, fixed.get("avoid", set()), town),
            surname=surname, surname_latin=surname_latin, seyed=seyed,
            father=fixed.get("father") or self._given("m", set(), town),
            # prisoners arrested as teenagers in 1981 were in their twenties in 1988
            birth_year=min(1970, fixed.get("birth_year") or int(rng.triangular(1938, 1971, 1962))),
            town=town, address=fixed.get("address") or self._address(town), prison=prison,
            executed=fixed.get("executed") or self._date(prison),
            affiliation=fixed.get("affiliation") or self._affiliation(town),
        )
        self.persons.append(person)
        self.surname_latin[surname] = surname_latin
        return person

    def _household(self, hid: int, size: int) -> None:
        rng = self.rng
        kind = rng.choices(["brothers", "brother_sister", "spouses", "father_son"],
                           weights=[0.5, 0.2, 0.15, 0.15])[0]
        if size > 2 and kind in ("spouses", "father_son"):
            kind = "brothers"
        # a father executed with his son was born a generation earlier
        first = self._new("m", birth_year=rng.randint(1922, 1945) if kind == "father_son" else None)
        first.household, first.relation = hid, ""
        same_prison = rng.random() < 0.8
        same_day = same_prison and rng.random() < 0.5
        names = {first.given}
        for k in range(1, size):
            sex = "m"
            if kind == "brother_sister" and k == 1:
                sex = "f"
            common = {
                "town": first.town, "address": first.address,
                "prison": first.prison if same_prison else None,
                "executed": first.executed if same_day else None,
                "affiliation": first.affiliation if rng.random() < 0.8 else None,
                "avoid": names,
            }
            if kind == "spouses":
                relation = "همسر"
                person = self._new("f", birth_year=first.birth_year + rng.randint(0, 6), **common)
            elif kind == "father_son":
                relation = "پسر"
                person = self._new("m", surname=(first.surname, first.surname_latin),
                                   father=first.given, seyed=first.seyed,
                                   birth_year=min(1970, first.birth_year + rng.randint(20, 30)),
                                   **common)
            else:
                relation = "خواهر" if sex == "f" else "برادر"
                given = None
                if sex == "m" and rng.random() < 0.3:
                    close = [b for a, b in SIMILAR_SIBLING_NAMES if a == first.given]
                    close += [a for a, b in SIMILAR_SIBLING_NAMES if b == first.given]
                    close = [c for c in close if c not in names and c != "فاطمه‌زهرا"]
                    if close:
                        given = rng.choice(close)
                person = self._new(sex, surname=(first.surname, first.surname_latin),
                                   father=first.father, seyed=first.seyed, given=given,
                                   birth_year=first.birth_year + rng.choice([-1, 1])
                                   * rng.randint(1, 9), **common)
            person.household, person.relation = hid, relation
            names.add(person.given)

    def _build(self, n: int) -> None:
        rng = self.rng
        in_households = int(n * 0.25)
        hid = 0
        while len(self.persons) < in_households:
            hid += 1
            self._household(hid, rng.choices([2, 3, 4], weights=[0.62, 0.28, 0.10])[0])
        while len(self.persons) < n:
            self._new("m" if rng.random() < 0.88 else "f")


# --------------------------------------------------------------------------------------------
# Writing habits
# --------------------------------------------------------------------------------------------

def fa_digits(text: str) -> str:
    """Write Western digits in Persian."""
    return text.translate(PERSIAN_DIGITS)


def jalali(date: dt.date) -> jdatetime.date:
    """The Solar Hijri date of a Gregorian one."""
    return jdatetime.date.fromgregorian(date=date)


def zwnj_style(text: str, rng: random.Random, weights=(0.5, 0.3, 0.2)) -> str:
    """Keep the ZWNJ, replace it by a space, or join the parts (as different typists do)."""
    style = rng.choices(["keep", "space", "join"], weights=weights)[0]
    if style == "keep":
        return text
    return text.replace(ZWNJ, " " if style == "space" else "")


def with_seyed(given: str, person: Person, rng: random.Random, p: float, word="سید") -> str:
    """Put the title before the given name for some Seyeds."""
    if person.seyed and rng.random() < p:
        return f"{word} {given}"
    return given


def retype(text: str, rng: random.Random, p_drop=0.08, p_swap=0.04) -> str:
    """A copyist's slips: a dropped letter or two adjacent letters swapped."""
    if len(text) < 4:
        return text
    letters = list(text)
    if rng.random() < p_drop:
        i = rng.randrange(1, len(letters))
        if letters[i] not in (" ", ZWNJ):
            del letters[i]
    if rng.random() < p_swap and len(letters) > 3:
        i = rng.randrange(1, len(letters) - 1)
        if " " not in letters[i:i + 2]:
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


def arabic_keyboard(text: str) -> str:
    """Typed on an Arabic keyboard: ي and ك for ی and ک."""
    return text.replace("ی", "ي").replace("ک", "ك")


def wrong_digit(text: str, rng: random.Random) -> str:
    """One digit of a number mistyped."""
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    if not positions:
        return text
    i = rng.choice(positions)
    digits = "0123456789" if text[i] in "0123456789" else "۰۱۲۳۴۵۶۷۸۹"
    return text[:i] + rng.choice([d for d in digits if d != text[i]]) + text[i + 1:]


DOT_GROUPS = ["بتثنیپ", "جحخچ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق"]
OCR_DIGITS = {"۲": "۳", "۳": "۲", "۶": "۹", "۹": "۶", "۰": "۵", "۵": "۰", "2": "3", "3": "2",
              "6": "9", "9": "6", "0": "5", "5": "0"}


def ocr_damage(text: str, rng: random.Random, rate=0.25) -> str:
    """What OCR of a typed page does to about one word in four."""
    words = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word and rng.random() < rate:
            kind = rng.choices(["dots", "zwnj", "run", "digit", "punct"],
                               weights=[0.5, 0.12, 0.13, 0.15, 0.1])[0]
            if kind == "digit" and not any(c in OCR_DIGITS for c in word):
                kind = "dots"
            if kind == "zwnj" and ZWNJ not in word:
                kind = "dots"
            if kind == "dots":
                spots = [k for k, c in enumerate(word) if any(c in g for g in DOT_GROUPS)]
                if spots:
                    k = rng.choice(spots)
                    group = next(g for g in DOT_GROUPS if word[k] in g)
                    word = word[:k] + rng.choice([c for c in group if c != word[k]]) + word[k + 1:]
            elif kind == "zwnj":
                word = word.replace(ZWNJ, rng.choice(["", " "]))
            elif kind == "run" and i + 1 < len(words):
                word = word + words[i + 1]
                i += 1
            elif kind == "digit":
                k = rng.choice([k for k, c in enumerate(word) if c in OCR_DIGITS])
                word = word[:k] + OCR_DIGITS[word[k]] + word[k + 1:]
            else:
                k = rng.randrange(len(word) + 1)
                word = word[:k] + rng.choice([".", "،", "'", "-", ":", "»"]) + word[k:]
        out.append(word)
        i += 1
    return " ".join(out)


# Latin habits --------------------------------------------------------------------------------

def press_variant(base: str, rng: random.Random) -> str:
    """One press romanisation of a surname, given its base form."""
    s = base
    rules = [
        ("Gh", "Q", 0.25), ("gh", "q", 0.2), ("ou", "u", 0.3), ("zadeh", "zade", 0.3),
        ("pour", "pur", 0.25), ("pour", "poor", 0.1), ("nejad", "nezhad", 0.25),
        ("nejad", "nejhad", 0.08), ("lou", "lu", 0.4), ("Hossein", "Hosein", 0.2),
        ("ae", "a'e", 0.1),
    ]
    for old, new, p in rules:
        if old in s and rng.random() < p:
            s = s.replace(old, new)
    if s.endswith("ei"):  # Rezaei, Rezaee, Rezaie, Rezaey
        s = s[:-2] + rng.choices(["ei", "ee", "ie", "ey"], weights=[0.65, 0.15, 0.1, 0.1])[0]
    for double in ("bb", "ss", "mm", "ff", "rr"):
        if double in s and rng.random() < 0.2:
            s = s.replace(double, double[0])
    return s


def english_given(name: str, rng: random.Random, style: int) -> str:
    """A given name as an English list writes it: mostly the list's habit, sometimes another."""
    variants = latin_of_given(name)
    if rng.random() < 0.7:
        chosen = variants[min(style, len(variants) - 1)] if style < 2 else variants[0]
    else:
        chosen = rng.choice(variants)
    if "-" in chosen and rng.random() < 0.3:
        chosen = chosen.replace("-", rng.choice([" ", ""]))
        chosen = chosen[0] + chosen[1:].lower() if " " not in chosen else chosen
    return chosen


def french_form(base: str) -> str:
    """A French romanisation of a press base form (ch for sh, dj for j, ou for u...)."""
    s = base
    s = s.replace("ch", "tch").replace("Ch", "Tch")
    s = s.replace("sh", "ch").replace("Sh", "Ch")
    s = s.replace("j", "dj").replace("J", "Dj").replace("zh", "j").replace("Zh", "J")
    out = []
    for k, c in enumerate(s):
        prev = s[k - 1] if k else ""
        if c == "u" and prev.lower() != "o":
            out.append("ou")
        elif c == "U":
            out.append("Ou")
        else:
            out.append(c)
    s = "".join(out)
    if s.endswith("ow"):
        s = s[:-2] + "o"
    return s.replace("ee", "i")


def french_given(name: str, rng: random.Random) -> str:
    """A given name as a French list writes it."""
    variants = latin_of_given(name)
    base = variants[0]
    if rng.random() < 0.15:
        base = rng.choice(variants)
    return french_form(base)


# --------------------------------------------------------------------------------------------
# The lists
# --------------------------------------------------------------------------------------------

@dataclass
class ListFile:
    """One SYNTHETIC list: its header, rows and the truth behind each row."""

    name: str
    kind: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    truth: list[int] = field(default_factory=list)
    copied_from: list[int | None] = field(default_factory=list)  # household row, 1-based

    def add(self, row: list[str], pid: int, copied_from: int | None = None) -> None:
        self.rows.append(row)
        self.truth.append(pid)
        self.copied_from.append(copied_from)


def birth_year_field(p: Person, rng: random.Random, digits_fa: bool, blank=0.12) -> str:
    """Jalali birth year, with the usual slips: blank, an age instead, off by 1-2."""
    r = rng.random()
    if r < blank:
        return ""
    year = p.birth_year - 621 - (1 if rng.random() < 0.25 else 0)
    if r < blank + 0.03:
        text = str(1988 - p.birth_year)  # an age written in the birth-year column
    elif r < blank + 0.09:
        text = str(year + rng.choice([-2, -1, 1, 2]))
    else:
        text = str(year)
    return fa_digits(text) if digits_fa else text


def jalali_date_field(date: dt.date, rng: random.Random, digits_fa: bool,
                      weights=(0.45, 0.40, 0.15)) -> str:
    """A Jalali execution date: full, month only, or blank."""
    kind = rng.choices(["full", "month", "blank"], weights=weights)[0]
    j = jalali(date)
    if kind == "blank":
        return ""
    if kind == "month":
        text = f"{JALALI_MONTHS[j.month - 1]} {j.year}"
    elif rng.random() < 0.5:
        text = f"{j.year}/{j.month:02d}/{j.day:02d}"
    else:
        text = f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}"
    return fa_digits(text) if digits_fa else text


def town_field(p: Person, rng: random.Random, lang: str, blank: float, prison_town: float) -> str:
    """Home town; sometimes blank, sometimes the prison's town instead."""
    r = rng.random()
    if r < blank:
        return ""
    key = p.town
    if r < blank + prison_town:
        key = PRISONS[p.prison][3]
    fa, en, fr, _ = TOWNS[key]
    return {"fa": fa, "en": en, "fr": fr}[lang]


def make_household_list(pop: Population, rng: random.Random, chosen: set[int]) -> ListFile:
    lf = ListFile("household", "family_list",
                  ["ردیف", "نام", "نام خانوادگی", "نام پدر", "نسبت", "شهر", "نشانی", "زندان",
                   "تاریخ اعدام", "سال تولد"])
    groups: dict[object, list[Person]] = defaultdict(list)
    for p in pop.persons:
        if p.pid in chosen:
            groups[p.household if p.household else ("single", p.pid)].append(p)
    keys = list(groups)
    rng.shuffle(keys)
    for key in keys:
        for p in groups[key]:
            digits_fa = rng.random() < 0.8
            row_no = str(len(lf.rows) + 1)
            given = zwnj_style(with_seyed(p.given, p, rng, 0.6), rng)
            lf.add([
                fa_digits(row_no) if digits_fa else row_no,
                given,
                zwnj_style(p.surname, rng),
                "" if rng.random() < 0.08 else zwnj_style(p.father, rng),
                p.relation if len(groups[key]) > 1 else "",
                town_field(p, rng, "fa", 0.10, 0.04),
                "" if rng.random() < 0.45 else (fa_digits(p.address) if digits_fa else p.address),
                "" if rng.random() < 0.3 else PRISONS[p.prison][0],
                jalali_date_field(p.executed, rng, digits_fa),
                birth_year_field(p, rng, digits_fa),
            ], p.pid)
    return lf


def make_copied_list(pop: Population, rng: random.Random, household: ListFile,
                     own: set[int]) -> ListFile:
    lf = ListFile("copied", "ngo_list",
                  ["شماره", "اسم", "فامیل", "اسم پدر", "متولد", "شهرستان", "تاریخ شهادت",
                   "ملاحظات"])
    by_pid = {p.pid: p for p in pop.persons}
    entries: list[tuple[list[str], int, int | None]] = []
    copy_rows = rng.sample(range(len(household.rows)), k=len(household.rows) // 2)
    for r in copy_rows:
        src = household.rows[r]
        arabic = rng.random() < 0.7
        fields = [src[1], src[2], src[3], src[9], src[5], src[8]]
        out = []
        for k, value in enumerate(fields):
            if rng.random() < 0.06 and not (k == 1 and not out[0]):
                # a field skipped while copying (never both names: the row would be no one)
                value = ""
            elif k in (3, 5):
                if rng.random() < 0.05:
                    value = wrong_digit(value, rng)
            else:
                value = retype(value, rng)
            out.append(arabic_keyboard(value) if arabic else value)
        entries.append((out + ["از فهرست خانواده‌ها"], household.truth[r], r + 1))
    for pid in own:
        p = by_pid[pid]
        arabic = rng.random() < 0.7
        j = jalali(p.executed)
        out = [
            retype(with_seyed(p.given, p, rng, 0.3), rng),
            retype(zwnj_style(p.surname, rng), rng),
            zwnj_style(p.father, rng) if rng.random() < 0.4 else "",
            birth_year_field(p, rng, True, blank=0.7),
            town_field(p, rng, "fa", 0.30, 0.08),
            fa_digits(f"{JALALI_MONTHS[j.month - 1]} {j.year}") if rng.random() < 0.7 else "",
        ]
        if arabic:
            out = [arabic_keyboard(v) for v in out]
        entries.append((out + ["شنیده"], pid, None))
    entries.sort(key=lambda e: e[0][1])  # this compiler sorted by surname
    for k, (out, pid, src) in enumerate(entries, start=1):
        lf.add([fa_digits(str(k))] + out, pid, src)
    return lf


def make_ocr_list(pop: Population, rng: random.Random, chosen: set[int]) -> ListFile:
    lf = ListFile("ocr", "other",
                  ["ردیف", "نام و نام خانوادگی", "نام پدر", "متولد", "زندان", "تاریخ اعدام",
                   "اتهام"])
    persons = [p for p in pop.persons if p.pid in chosen]
    rng.shuffle(persons)
    for k, p in enumerate(persons, start=1):
        name = f"{with_seyed(p.given, p, rng, 0.5)} {p.surname}"
        affiliation = next(a for a in AFFILIATIONS if a[0] == p.affiliation)
        values = [
            fa_digits(str(k)), name, p.father if rng.random() < 0.85 else "",
            birth_year_field(p, rng, True, blank=0.2),
            PRISONS[p.prison][0] if rng.random() < 0.9 else "",
            jalali_date_field(p.executed, rng, True, weights=(0.7, 0.25, 0.05)),
            rng.choice(AFFILIATION_PERSIAN_VARIANTS.get(p.affiliation, [affiliation[1]])),
        ]
        lf.add([values[0]] + [ocr_damage(v, rng) for v in values[1:]], p.pid)
    return lf


def english_date(date: dt.date, rng: random.Random) -> str:
    kind = rng.choices(["full", "month", "part", "year", "blank"],
                       weights=[0.25, 0.35, 0.15, 0.15, 0.10])[0]
    if kind == "full":
        return f"{date.day:02d}/{date.month:02d}/1988"
    if kind == "month":
        return f"{EN_MONTHS[date.month - 1]} 1988"
    if kind == "part":
        part = "early" if date.day <= 10 else ("mid" if date.day <= 20 else "late")
        return f"{part} {EN_MONTHS[date.month - 1]} 1988"
    return "1988" if kind == "year" else ""


def make_english_list(pop: Population, rng: random.Random, chosen: set[int]) -> ListFile:
    lf = ListFile("english", "ngo_list",
                  ["No.", "Name", "Surname", "Father", "Age", "Date", "Prison", "Hometown",
                   "Affiliation"])
    style = rng.randrange(3)
    persons = [p for p in pop.persons if p.pid in chosen]
    persons += rng.sample(persons, k=len(persons) // 50)  # the same person entered twice
    rng.shuffle(persons)
    for k, p in enumerate(persons, start=1):
        given = english_given(p.given, rng, style)
        if p.seyed and rng.random() < 0.4:
            given = f"{rng.choice(['Seyed', 'Seyyed', 'Sayed'])} {given}"
        surname = press_variant(p.surname_latin, rng)
        if rng.random() < 0.15:
            surname = surname.upper()
        age = 1988 - p.birth_year
        if rng.random() < 0.2:
            age += rng.choice([-1, 1])
        affiliation = next(a for a in AFFILIATIONS if a[0] == p.affiliation)
        lf.add([
            str(k), given, surname,
            "" if rng.random() < 0.35 else english_given(p.father, rng, style),
            "" if rng.random() < 0.25 else str(age),
            english_date(p.executed, rng),
            rng.choice(PRISONS[p.prison][1]) if rng.random() < 0.85 else "",
            town_field(p, rng, "en", 0.25, 0.05),
            affiliation[2] if rng.random() < 0.8 else "",
        ], p.pid)
    return lf


def make_french_list(pop: Population, rng: random.Random, chosen: set[int], seed: int) -> ListFile:
    birth_col = "Date de naissance" if seed % 2 == 0 else "Âge"
    lf = ListFile("french", "ngo_list",
                  ["Nom", "Prénom", "Nom du père", birth_col, "Date d'exécution", "Prison",
                   "Ville"])
    persons = [p for p in pop.persons if p.pid in chosen]
    persons.sort(key=lambda p: p.surname_latin)
    for p in persons:
        date = p.executed
        kind = rng.choices(["full", "month", "part", "blank"], weights=[0.3, 0.4, 0.2, 0.1])[0]
        if kind == "full":
            when = f"{date.day:02d}/{date.month:02d}/1988"
        elif kind == "month":
            when = f"{FR_MONTHS[date.month - 1]} 1988"
        elif kind == "part":
            part = "début" if date.day <= 10 else ("mi-" if date.day <= 20 else "fin")
            when = f"{part}{'' if part.endswith('-') else ' '}{FR_MONTHS[date.month - 1]} 1988"
        else:
            when = ""
        if birth_col == "Âge":
            birth = "" if rng.random() < 0.3 else str(1988 - p.birth_year)
        else:
            birth = "" if rng.random() < 0.3 else (
                str(p.birth_year + (rng.choice([-1, 1]) if rng.random() < 0.1 else 0)))
        given = french_given(p.given, rng)
        if p.seyed and rng.random() < 0.3:
            given = f"Seyed {given}"
        lf.add([
            french_form(press_variant(p.surname_latin, rng)).upper() if rng.random() < 0.3
            else french_form(press_variant(p.surname_latin, rng)),
            given,
            "" if rng.random() < 0.4 else french_given(p.father, rng),
            birth, when,
            PRISONS[p.prison][2] if rng.random() < 0.85 else "",
            town_field(p, rng, "fr", 0.3, 0.05),
        ], p.pid)
    return lf


def make_memoir_list(pop: Population, rng: random.Random, chosen: set[int]) -> ListFile:
    lf = ListFile("memoir", "memoir", ["نام", "شهر", "بند"])
    persons = [p for p in pop.persons if p.pid in chosen]
    rng.shuffle(persons)
    for p in persons:
        r = rng.random()
        if r < 0.2:
            name = zwnj_style(p.surname, rng)
        else:
            name = zwnj_style(with_seyed(p.given, p, rng, 0.5), rng)
        lf.add([name, town_field(p, rng, "fa", 0.3, 0.03),
                fa_digits(rng.choice(WARDS)) if rng.random() < 0.8 else ""], p.pid)
    return lf


def choose_members(pop: Population, rng: random.Random) -> dict[str, set[int]]:
    """Which persons each list names; a personal visibility makes the overlaps uneven."""
    members: dict[str, set[int]] = {name: set() for name in LISTS}
    for p in pop.persons:
        v = rng.uniform(0.4, 1.6)
        p_household = 0.75 if p.household else 0.38
        if rng.random() < p_household * v:
            members["household"].add(p.pid)
        if rng.random() < 0.15 * v:
            members["copied"].add(p.pid)
        if rng.random() < 0.28 * v:
            members["ocr"].add(p.pid)
        if rng.random() < 0.45 * v:
            members["english"].add(p.pid)
        if rng.random() < 0.22 * v:
            members["french"].add(p.pid)
        if p.prison in ("evin", "gohardasht") and rng.random() < 0.25 * v:
            members["memoir"].add(p.pid)
    # a household is known to the families as a whole: its members are listed together
    by_household: dict[int, list[Person]] = defaultdict(list)
    for p in pop.persons:
        if p.household:
            by_household[p.household].append(p)
    for group in by_household.values():
        if any(p.pid in members["household"] for p in group):
            members["household"].update(p.pid for p in group)
    return members


def generate(seed: int, n: int) -> tuple[Population, dict[str, ListFile]]:
    """The SYNTHETIC population and its six lists."""
    rng = random.Random(seed)
    pop = Population(rng, n)
    members = choose_members(pop, rng)
    lists: dict[str, ListFile] = {}
    lists["household"] = make_household_list(pop, rng, members["household"])
    lists["copied"] = make_copied_list(pop, rng, lists["household"], members["copied"])
    lists["ocr"] = make_ocr_list(pop, rng, members["ocr"])
    lists["english"] = make_english_list(pop, rng, members["english"])
    lists["french"] = make_french_list(pop, rng, members["french"], seed)
    lists["memoir"] = make_memoir_list(pop, rng, members["memoir"])
    return pop, lists


def write_lists(pop: Population, lists: dict[str, ListFile], out: Path) -> dict[str, Path]:
    """Write each list and the truth (every row's person and household)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, lf in lists.items():
        path = out / f"SYNTHETIC-{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(lf.header)
            writer.writerows(lf.rows)
        paths[name] = path
    by_pid = {p.pid: p for p in pop.persons}
    with (out / "SYNTHETIC-truth.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["list", "row_number", "person_id", "household_id", "relation",
                         "copied_from_household_row", "given", "surname", "father", "sex",
                         "birth_year", "town", "prison", "executed"])
        for name, lf in lists.items():
            for k, pid in enumerate(lf.truth, start=1):
                p = by_pid[pid]
                writer.writerow([name, k, pid, p.household or "", p.relation,
                                 lf.copied_from[k - 1] or "", p.given, p.surname, p.father,
                                 p.sex, p.birth_year, p.town, p.prison, p.executed])
    return paths


# --------------------------------------------------------------------------------------------
# Running dadkhah as a user would, and scoring
# --------------------------------------------------------------------------------------------

def run(args: list[str], case: Path) -> str:
    """Run one dadkhah command; stop with its output if it fails."""
    proc = subprocess.run(["dadkhah", "-C", str(case), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"dadkhah {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n"
                 f"{proc.stderr}")
    return proc.stdout


KIND_LANG = {"household": "fa", "copied": "fa", "ocr": "fa", "memoir": "fa",
             "english": "en", "french": "fr"}


def run_dadkhah(paths: dict[str, Path], work: Path) -> tuple[Path, dict[str, dict], float, str]:
    """Init, add and import every list, normalise, link, export; return the export's path."""
    case = work / "case"
    run(["init"], case)
    mappings = {}
    for name, path in paths.items():
        kind = {"household": "family_list", "copied": "ngo_list", "ocr": "other",
                "english": "ngo_list", "french": "ngo_list", "memoir": "memoir"}[name]
        run(["source", "add", name, "--title", f"SYNTHETIC {name} list", "--kind", kind,
             "--synthetic", "--language", KIND_LANG[name],
             "--script", "latin" if KIND_LANG[name] != "fa" else "persian"], case)
        out = run(["import", str(path), "--source", name, "--json"], case)
        report = json.loads(out)
        mappings[name] = {"mapping": report.get("mapping", {}),
                          "unmapped": report.get("unmapped_columns", []),
                          "unsure": report.get("mapping_unsure", {}),
                          "rejected": report.get("rows_rejected", 0),
                          "imported": report.get("rows_imported", 0),
                          "problems": [str(x) for x in report.get("problems", [])[:3]]}
    run(["normalize"], case)
    start = time.perf_counter()
    link_out = run(["link"], case)
    link_seconds = time.perf_counter() - start
    export = work / "persons.csv"
    run(["export", "persons", "--format", "csv", "-o", str(export)], case)
    return export, mappings, link_seconds, link_out


def pairs_of(clusters: dict[object, list[tuple[str, int]]]) -> set[frozenset]:
    out = set()
    for members in clusters.values():
        for a, b in combinations(members, 2):
            out.add(frozenset((a, b)))
    return out


def score(pop: Population, lists: dict[str, ListFile], export: Path, findings: bool,
          rng: random.Random) -> dict:
    """Compare dadkhah's persons with the truth."""
    truth: dict[tuple[str, int], int] = {}
    for name, lf in lists.items():
        for k, pid in enumerate(lf.truth, start=1):
            truth[(name, k)] = pid
    predicted: dict[tuple[str, int], str] = {}
    with export.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            predicted[(row["source_slug"], int(row["row_number"]))] = row["person_id"]
    missing = [key for key in truth if key not in predicted]
    for k, key in enumerate(missing):
        predicted[key] = f"missing-{k}"  # a record the export lost counts as a person alone
    true_clusters: dict[object, list] = defaultdict(list)
    pred_clusters: dict[object, list] = defaultdict(list)
    for key, pid in truth.items():
        true_clusters[pid].append(key)
        pred_clusters[predicted[key]].append(key)
    true_pairs = pairs_of(true_clusters)
    pred_pairs = pairs_of(pred_clusters)
    tp = len(true_pairs & pred_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # B-cubed
    bp = br = 0.0
    for key in truth:
        same_pred = pred_clusters[predicted[key]]
        same_true = true_clusters[truth[key]]
        overlap = sum(1 for other in same_pred if truth[other] == truth[key])
        bp += overlap / len(same_pred)
        br += overlap / len(same_true)
    bp /= len(truth)
    br /= len(truth)
    b3 = 2 * bp * br / (bp + br)
    # The memoir's one-name rows are often undecidable; the figures without them show the rest.
    true_rest = {pr for pr in true_pairs if all(k[0] != "memoir" for k in pr)}
    pred_rest = {pr for pr in pred_pairs if all(k[0] != "memoir" for k in pr)}
    tp_rest = len(true_rest & pred_rest)
    p_rest = tp_rest / len(pred_rest) if pred_rest else 1.0
    r_rest = tp_rest / len(true_rest) if true_rest else 1.0
    f1_rest = 2 * p_rest * r_rest / (p_rest + r_rest) if p_rest + r_rest else 0.0
    persons_rest = len({predicted[k] for k in truth if k[0] != "memoir"})
    named_rest = len({pid for k, pid in truth.items() if k[0] != "memoir"})
    by_pid = {p.pid: p for p in pop.persons}
    # household members merged
    merged_household = set()
    for pair in pred_pairs - true_pairs:
        a, b = tuple(pair)
        pa, pb = by_pid[truth[a]], by_pid[truth[b]]
        if pa.household and pa.household == pb.household:
            merged_household.add(frozenset((pa.pid, pb.pid)))
    siblings_different = [s for s in merged_household
                          if all(by_pid[x].relation in ("", "برادر", "خواهر") for x in s)
                          and by_pid[min(s)].father == by_pid[max(s)].father
                          and len({by_pid[x].given for x in s}) == 2]
    # copied-row pairs: a copied row and the household row it was copied from
    copied = lists["copied"]
    copied_pairs = [frozenset((("copied", k), ("household", src)))
                    for k, src in enumerate(copied.copied_from, start=1) if src]
    copied_recall = (sum(1 for pr in copied_pairs if pr in pred_pairs) / len(copied_pairs)
                     if copied_pairs else float("nan"))
    ocr_pairs = [pr for pr in true_pairs if any(key[0] == "ocr" for key in pr)]
    ocr_recall = sum(1 for pr in ocr_pairs if pr in pred_pairs) / len(ocr_pairs)
    by_lists: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for pr in true_pairs:
        a, b = sorted(pr)
        cell = by_lists[tuple(sorted((a[0], b[0])))]
        cell[1] += 1
        cell[0] += pr in pred_pairs
    false_by_kind: Counter = Counter()
    close_names = {frozenset(pair) for pair in SIMILAR_SIBLING_NAMES}

    def prefix(g1: str, g2: str) -> bool:
        a, b = g1.replace(ZWNJ, ""), g2.replace(ZWNJ, "")
        return a.startswith(b) or b.startswith(a)

    for pr in pred_pairs - true_pairs:
        a, b = tuple(pr)
        pa, pb = by_pid[truth[a]], by_pid[truth[b]]
        relations = {pa.relation, pb.relation}
        if pa.household and pa.household == pb.household:
            if "همسر" in relations:
                kind = "household: spouses"
            elif "پسر" in relations:
                kind = "household: father and son"
            elif prefix(pa.given, pb.given):
                kind = "household siblings: one given name a prefix (علی / علی‌اکبر)"
            elif frozenset((pa.given, pb.given)) in close_names:
                kind = "household siblings: close names (محمد / محمود, حسن / حسین)"
            else:
                kind = "household siblings: unrelated given names"
        elif "memoir" in (a[0], b[0]):
            kind = "a memoir one-name row"
        elif pa.given == pb.given and pa.surname == pb.surname:
            kind = "namesakes (same given name and surname)"
        elif pa.surname == pb.surname:
            kind = "same surname, not one household"
        elif pa.given == pb.given:
            kind = "same given name only"
        else:
            kind = "different names (chained through a sparse row)"
        false_by_kind[kind] += 1
    # missed pairs by what makes them hard, first matching kind wins
    full_names = Counter((p.given, p.surname) for p in pop.persons)
    missed_by_kind: Counter = Counter()
    for pr in true_pairs - pred_pairs:
        a, b = tuple(pr)
        person = by_pid[truth[a]]
        sources = {a[0], b[0]}
        if "memoir" in sources:
            missed_by_kind["a memoir row (one name only)"] += 1
        elif "ocr" in sources:
            missed_by_kind["an OCR row"] += 1
        elif full_names[(person.given, person.surname)] > 1:
            missed_by_kind["a person with a namesake"] += 1
        elif sources <= {"household", "copied"}:
            missed_by_kind["Persian-Persian, unique name"] += 1
        elif sources <= {"english", "french"}:
            missed_by_kind["Latin-Latin, unique name"] += 1
        else:
            missed_by_kind["Persian-Latin, unique name"] += 1
    named = {pid for pid in truth.values()}
    result = {
        "records": len(truth), "records_missing_from_export": len(missing),
        "pairs_true": len(true_pairs), "pairs_predicted": len(pred_pairs),
        "precision": precision, "recall": recall, "f1": f1,
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": b3,
        "persons_found": len(pred_clusters), "truly_named": len(named),
        "household_pairs_merged": len(merged_household),
        "sibling_pairs_different_given_merged": len(siblings_different),
        "copied_pairs": len(copied_pairs), "copied_recall": copied_recall,
        "ocr_pairs": len(ocr_pairs), "ocr_recall": ocr_recall,
        "recall_by_lists": {f"{a}+{b}": [c[0], c[1]] for (a, b), c in sorted(by_lists.items())},
        "false_pairs_by_kind": dict(false_by_kind),
        "missed_pairs_by_kind": dict(missed_by_kind),
        "without_memoir": {"precision": p_rest, "recall": r_rest, "f1": f1_rest,
                           "persons_found": persons_rest, "truly_named": named_rest},
    }
    if findings:
        rows = {name: lf for name, lf in lists.items()}

        def show(key: tuple[str, int]) -> str:
            lf = rows[key[0]]
            values = lf.rows[key[1] - 1]
            cells = [f"{h}={v}" for h, v in zip(lf.header, values, strict=True) if v]
            return f"{key[0]}#{key[1]} (person {truth[key]}): " + "; ".join(cells)

        missed = sorted(true_pairs - pred_pairs, key=lambda pr: sorted(pr))
        false = sorted(pred_pairs - true_pairs, key=lambda pr: sorted(pr))
        result["missed_sample"] = [[show(k) for k in sorted(pr)]
                                   for pr in rng.sample(missed, min(15, len(missed)))]
        result["false_sample"] = [[show(k) for k in sorted(pr)]
                                  for pr in rng.sample(false, min(15, len(false)))]
    return result


def describe_lists(pop: Population, lists: dict[str, ListFile]) -> str:
    counts = Counter()
    for lf in lists.values():
        for pid in set(lf.truth):
            counts[pid] += 1
    named = len(counts)
    single = sum(1 for c in counts.values() if c == 1)
    in_household = sum(1 for p in pop.persons if p.household)
    sizes = ", ".join(f"{name} {len(lf.rows)}" for name, lf in lists.items())
    return (f"SYNTHETIC population {len(pop.persons)} persons ({in_household} in "
            f"{len({p.household for p in pop.persons if p.household})} households); "
            f"named {named}, in one list only {single} ({single / named:.0%}); rows: {sizes}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--persons", type=int, default=1500)
    parser.add_argument("--out", type=Path, help="folder for the lists, case and export")
    parser.add_argument("--keep", action="store_true", help="keep the folder (default when --out)")
    parser.add_argument("--findings", action="store_true",
                        help="print 15 missed and 15 false pairs with their fields")
    parser.add_argument("--generate-only", action="store_true",
                        help="write the lists and truth and stop")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rescore", action="store_true",
                        help="score the export already in --out again (same --seed and "
                        "--persons) without running dadkhah")
    args = parser.parse_args(argv)
    if shutil.which("dadkhah") is None and not args.generate_only:
        sys.exit("dadkhah is not on PATH: activate the venv or set PATH=.venv/bin:$PATH")
    work = args.out or Path(tempfile.mkdtemp(prefix="second-probe-"))
    work.mkdir(parents=True, exist_ok=True)
    if (work / "case").exists() and not args.rescore:
        sys.exit(f"{work / 'case'} exists: give a fresh --out folder")
    pop, lists = generate(args.seed, args.persons)
    paths = write_lists(pop, lists, work / "lists")
    print(describe_lists(pop, lists))
    if args.generate_only:
        print(f"lists in {work / 'lists'}")
        return 0
    for p in pop.persons:
        p.lists = {name for name, lf in lists.items() if p.pid in lf.truth}
    start = time.perf_counter()
    if args.rescore:
        export, mappings, link_seconds, link_out = work / "persons.csv", {}, 0.0, "(rescored)"
    else:
        export, mappings, link_seconds, link_out = run_dadkhah(paths, work)
    total_seconds = time.perf_counter() - start
    result = score(pop, lists, export, args.findings, random.Random(args.seed + 1000))
    result.update({"seed": args.seed, "persons": args.persons, "mappings": mappings,
                   "link_seconds": round(link_seconds, 1),
                   "pipeline_seconds": round(total_seconds, 1)})
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print_result(result, link_out)
    if not (args.keep or args.out):
        shutil.rmtree(work)
    else:
        print(f"kept in {work}")
    return 0


def print_result(r: dict, link_out: str) -> None:
    print(f"seed {r['seed']}, {r['persons']} persons: {r['records']} records "
          f"({r['records_missing_from_export']} missing from the export)")
    print("link: " + " ".join(link_out.split())[:400])
    print(f"pairwise P/R/F1 {r['precision']:.3f} / {r['recall']:.3f} / {r['f1']:.3f} "
          f"({r['pairs_true']} true pairs, {r['pairs_predicted']} linked)")
    print(f"B-cubed P/R/F1 {r['bcubed_precision']:.3f} / {r['bcubed_recall']:.3f} / "
          f"{r['bcubed_f1']:.3f}")
    w = r["without_memoir"]
    print(f"without the memoir's rows: pairwise P/R/F1 {w['precision']:.3f} / {w['recall']:.3f} / "
          f"{w['f1']:.3f}; persons {w['persons_found']} vs {w['truly_named']} "
          f"({w['persons_found'] / w['truly_named'] - 1:+.1%})")
    diff = r["persons_found"] / r["truly_named"] - 1
    print(f"persons found {r['persons_found']} vs truly named {r['truly_named']} ({diff:+.1%})")
    print(f"household members merged: {r['household_pairs_merged']} person pairs, of which "
          f"siblings with different given names {r['sibling_pairs_different_given_merged']}")
    print(f"recall on copied-row pairs {r['copied_recall']:.3f} ({r['copied_pairs']}); "
          f"on OCR-row pairs {r['ocr_recall']:.3f} ({r['ocr_pairs']})")
    print("false pairs by kind: " + ", ".join(f"{k} {v}" for k, v in
                                               sorted(r["false_pairs_by_kind"].items())))
    print("missed pairs by kind: " + ", ".join(f"{k} {v}" for k, v in
                                                sorted(r["missed_pairs_by_kind"].items())))
    print("recall by pair of lists:")
    for cell, (hit, total) in r["recall_by_lists"].items():
        print(f"  {cell:20s} {hit / total:.3f} ({hit}/{total})")
    print("mapping detected by import:")
    for name, m in r["mappings"].items():
        fields = ", ".join(f"{k}←{v}" for k, v in m["mapping"].items())
        extra = f"; unmapped {m['unmapped']}" if m["unmapped"] else ""
        unsure = f"; unsure {m['unsure']}" if m["unsure"] else ""
        print(f"  {name}: {m['imported']} imported, {m['rejected']} rejected; {fields}{extra}"
              f"{unsure}")
        for problem in m["problems"]:
            print(f"    problem: {problem[:300]}")
    print(f"link {r['link_seconds']} s; whole pipeline {r['pipeline_seconds']} s")
    for title, key in (("missed pairs (same person, not linked)", "missed_sample"),
                       ("false pairs (different persons, linked)", "false_sample")):
        if key in r:
            print(f"\n{title}, a random sample:")
            for a, b in r[key]:
                print(f"  - {a}\n    {b}")


if __name__ == "__main__":
    raise SystemExit(main())
