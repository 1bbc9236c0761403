"""What linkage compares: per-record features derived from the mapped text fields.

Everything here is derived and can be rebuilt from the source records; the names module
does the Persian/Latin work.  Each distinct input string is processed once (lists repeat
names, prisons and dates a great deal), so the cost grows with the vocabulary, not the rows.

Columns produced (``None`` where the record does not say):

- ``given_key``, ``surname_key``, ``father_key``: cross-script keys of the name parts;
- ``given1_key``: key of the first given-name word (catches dropped middle names);
- ``initial``: first letter of the Latin given name (catches «A. Akbar»);
- ``surname_skel``, ``given_skel``: the keys' consonants only (:func:`~dadkhah.names.loose_key`),
  for blocking: «Hashemi»/«Hashiim», «Sadeghfar»/«Sadiqfar» differ in vowels only;
  ``father_skel`` likewise, for the father's-name comparison («Amaar»/«امیر»);
- ``given_known``: whether the given-name key is one of the names dictionary's given names
  (:func:`~dadkhah.linkage.cluster.known_given_names`), for the given-name comparison of
  records lacking a surname: equal skeletons are one name only where one of the two is not;
- ``given_qg``, ``surname_qg``: the keys with گ folded into ق/غ
  (:func:`dadkhah.names.keys.qg_key`), for blocking: «Sadeghi»/«Sadegi», «قلامی»/«گلامی»;
- ``given_lq``, ``surname_lq``: the consonants of the ``_qg`` keys (both foldings at
  once), for blocking romanisations that differ in a vowel *and* in ق/غ/گ in the two
  parts at once («Muhamed Asgari» / «محمد اصغری», «Muhsen Sadegi» / «محسن صادقی»);
- ``given_shape``, ``surname_shape``: the keys with letters that misreading confuses
  folded (:func:`dadkhah.names.keys.shape_key`), for scanned lists;
- ``given_dotless``, ``surname_dotless``, ``father_dotless``: the Persian words of the name
  parts (and of the father's name) without their dots, run together
  (:func:`dadkhah.names.misreading.dotless_name`): «چسینی» = «حسینی», «اللهث» = «اللهی»;
  None for a part not in Persian script;
- ``misread``: the share of the record's list's Persian name words that look misread by a
  machine (:func:`dadkhah.names.misreading.name_misread_share`), the same on every record of
  a list: nothing tells which list was read by OCR, the list's own words do;
- ``surname_fix``: for a surname key that few records bear, the key one letter away that
  more records bear (:func:`likelier_spellings`), where that name's block is not dense:
  «حینی» for «حسینی», «Amadi» for «Ahmadi»; for blocking a retyped list's dropped or
  swapped letter;
- ``father_fix``: likewise for a rare father's name that the names dictionary does not know
  as a given name, the commonest one letter away, for the father's-name comparison («اكرب»
  for «اکبر»);
- ``given_print``, ``surname_print``: the Latin forms folded for letters that reading
  printed Latin confuses («Dchghani»/«Dehghani», :func:`dadkhah.names.keys.latin_print_key`),
  for blocking OCR'd Latin lists;
- ``full_key``: given-name key and surname key run together, without vowel letters and
  word markers, so a name split into words differently («مهدی اسدالله‌خانی» /
  «مهدي اسدالله خاني», read as given «مهدی اسدالله», surname «خانی») still agrees;
- ``text_key``: the whole name as written, in reading order (given name first; «Surname،
  Given» read as such), run together as ``full_key`` is, where the record has both parts:
  independent of how the name was split into given name and surname, so a title or
  surname prefix between the words read as «surname first» («علي حاج عظيمي پور» parsed as
  given «عظیمی‌پور», surname «علی») still agrees with «علی / حاج‌عظیمی‌پور»;
- ``tokens_key``: the given-name and surname keys, sorted (order-free: catches swapped
  given name and surname);
- ``given_latin``, ``surname_latin``, ``father_latin``: Latin forms, for string similarity;
- ``sex``: "m" / "f" as the list states it; ``name_sex``: as the first given name says,
  where the name dictionary gives that name one sex (:func:`sex_of_given`), for the
  clustering's consistency check only (not a comparison: it would count the given name's
  agreement twice);
- ``death_lo``/``death_hi``: the death-date interval in days since 1970-01-01, with
  ``death_precision``;
- ``birth_lo``/``birth_hi``: the birth-year interval (from a birth date, or from an age and
  the death date);
- ``birth_5``, ``birth_5b``: five-year bands of the birth interval's middle (and shifted by
  half a band), for blocking; unset for vaguer intervals;
- ``birth_text``, ``age_text``, ``death_text``: the birth-date, age and death-date cells as
  written (where they hold a digit), for the clustering to tell one slipped digit from
  another person (:mod:`dadkhah.linkage.written_dates`);
- ``prison_id``, ``city_id``, ``province_id``: gazetteer ids;
- ``prison_city``: the city the prison is in; ``region_id``: the province (as it was in
  1988) of the prison, else of the city, else the province given — lists confuse prisons
  of one town (Karun/Sepidar in Ahvaz) or one region (Evin/Gohardasht) far more often than
  prisons far apart;
- ``aff_id``, ``aff_parent``, ``aff_root``: political affiliation, its parent group and its
  family (the Fadaian minority, the Fadaian, the left).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

import pandas as pd

from dadkhah.linkage.blocking import DENSE_BLOCK
from dadkhah.linkage.cluster import known_given_names
from dadkhah.linkage.lone_names import lone_surnames
from dadkhah.linkage.written_dates import birth_years, read_born, read_death, short_number
from dadkhah.names import (
    comma_order,
    latin_form,
    load_gazetteer,
    load_name_dictionary,
    lone_titles,
    name_key,
    parse_age,
    parse_name,
    parse_sex,
    resolve_place,
    word_key,
)
from dadkhah.names.affiliations import affiliation_family, resolve_affiliation
from dadkhah.names.keys import (
    join_keys,
    latin_print_key,
    loose_key,
    name_tokens,
    qg_key,
    shape_key,
    written_initial,
)
from dadkhah.names.misreading import (
    MISREAD_LIST,
    dictionary_given_names,
    dotless_name,
    name_misread_share,
    name_reader,
    run_together,
)
from dadkhah.names.normalize import ZWNJ, has_persian
from dadkhah.names.parse import likely_swapped, surname_like

FEATURE_COLUMNS = [
    "unique_id", "source_id", "given_key", "surname_key", "father_key", "given1_key",
    "given_skel", "given_known", "surname_skel", "father_skel", "given_qg", "surname_qg",
    "given_shape",
    "surname_shape", "given_dotless", "surname_dotless", "father_dotless", "misread", "surname_fix",
    "father_fix", "given_print",
    "surname_print", "given_lq", "surname_lq", "full_key",
    "text_key",
    "initial", "tokens_key", "given_latin", "surname_latin", "father_latin", "sex", "name_sex",
    "death_lo", "death_hi", "death_precision", "birth_lo", "birth_hi", "birth_5", "birth_5b",
    "birth_text", "age_text", "death_text", "prison_id", "city_id", "home_town",
    "province_id", "prison_city", "region_id", "aff_id", "aff_parent", "aff_root",
]


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or not str(v).strip()


def _words_keys(words: tuple[str, ...]) -> list[str]:
    return [k for k in (word_key(w) for w in words) if k]


def _name_parts(full: str | None, given: str | None, surname: str | None,
                father: str | None) -> tuple:
    """(given_key, surname_key, father_key, given1_key, initial, tokens_key,
    given_latin, surname_latin, father_latin, text_key)"""
    given_text = None if _blank(given) else given
    surname_text = None if _blank(surname) else surname
    father_text = None if _blank(father) else father
    if surname_text is None and given_text is not None and comma_order(given_text):
        # «Surname، Given» typed into the given-name column: read it as a full name
        full, given_text = given_text, None
    elif surname_text is None and given_text is not None and \
            len(words := name_tokens(given_text)[1]) == 1 and surname_like(words[0]):
        # a lone surname in the given-name column («Naqavi», «Adibipour»)
        given_text, surname_text = None, given_text
    elif given_text is not None and surname_text is not None and likely_swapped(
            name_tokens(given_text)[1], name_tokens(surname_text)[1]):
        # the two columns swapped for this row (or for the whole list)
        given_text, surname_text = surname_text, given_text
    gwords: tuple[str, ...]
    swords: tuple[str, ...]
    if given_text is not None or surname_text is not None:
        g = parse_name(given_text) if given_text is not None else None
        gwords = (g.given + g.surname) if g else ()
        swords = tuple(name_tokens(surname_text)[1]) if surname_text is not None else ()
        gk = name_key(given_text) if given_text is not None else ""
        sk = name_key(surname_text) if surname_text is not None else ""
        # without the titles parse_name took out («Haj Mohammad»: initial m, not h)
        glat = "" if g is None else latin_form(" ".join(gwords)) if g.titles and gwords \
            else latin_form(g.original)
        slat = latin_form(surname_text) if surname_text is not None else ""
        fwords: tuple[str, ...] = ()
        text = " ".join(t for t in (given_text, surname_text) if t is not None)
    else:
        p = parse_name(full or "")
        text = " ".join(reversed(parts)) if (parts := comma_order(full or "")) else full or ""
        gwords, swords, fwords = p.given, p.surname, p.father
        gk, sk = p.given_key, p.surname_key
        glat = latin_form(" ".join(gwords)) if gwords else ""
        slat = latin_form(" ".join(swords)) if swords else ""
    if father_text is not None:
        fk, flat = name_key(father_text), latin_form(father_text)
        fwords = tuple(name_tokens(father_text)[1])
    elif fwords:
        fk, flat = join_keys(_words_keys(fwords)), latin_form(" ".join(fwords))
    else:
        fk, flat = "", ""
    if gk and lone_titles(name_tokens(given_text)[1] if given_text is not None else gwords):
        # «Seyed» alone where the given name goes tells a title, not a given name
        gk, glat, gwords = "", "", ()
    gkeys = _words_keys(tuple(gwords))
    given1 = gkeys[0] if gkeys else None
    if given1 and written_initial(given_text if given_text is not None else full or ""):
        # «M. Reza»: the list wrote an initial, which the keys read as Mohammad; the
        # guards that tell siblings apart hold only the initial against other names
        given1 = given1[:2] if given1.startswith("_") else given1[:1]
    tokens = sorted((gk, sk)) if gk and sk else []
    initial = glat[:1].lower() if glat else ""
    return (gk or None, sk or None, fk or None, given1,
            initial or None, " ".join(tokens) or None, glat.lower() or None,
            slat.lower() or None, flat.lower() or None,
            (name_key(text) or None) if gk and sk else None,
            dotless_name(gwords) if gk else None, dotless_name(swords) if sk else None,
            dotless_name(fwords) if fk else None,
            "".join(swords).replace(ZWNJ, "").lower() if sk else None, (*gwords, *swords))


_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1)
def sex_of_given() -> dict[str, str]:
    """First-given-name key → "m" or "f", for the given names of the name dictionary that
    it gives one sex (keys of names of both sexes, or of unknown sex, are left out).

    Lists without a sex column still name women: on tuning profile 6 (3,000 persons)
    «محمد دولت‌زاده» and «Fatma Zahraa Duwlat Zada», one surname, prison, town and day, were
    one person of the register; with the sex read from the given name, the merge is refused
    as joining two sexes (the same check as for a stated sex)."""
    sexes: dict[str, set[str]] = {}
    for e in load_name_dictionary().entries:
        if e.kind == "given" and e.sex in ("m", "f"):
            key = word_key(e.persian)
            if key:
                sexes.setdefault(key, set()).add(e.sex)
    return {k: next(iter(v)) for k, v in sexes.items() if len(v) == 1}


def _skeleton(keys: pd.Series) -> pd.Series:
    """:func:`dadkhah.names.loose_key` of each key, doubled letters written once («Hajj
    Javadzadeh» / «Hajjavadzadeh», «Mohammad» / «Mohamad»); None where nothing is left."""
    sk = keys.map(lambda k: _DOUBLED.sub(r"\1", loose_key(k)), na_action="ignore")
    return sk.where(sk.str.len() > 0)


RARE_SPELLING = 2
"""A name (surname, father's name) borne by at most this many records may be a misspelling
of a name one letter away (:func:`likelier_spellings`): a retyped list drops or swaps a
letter of a name its source spells right («حینی» for «حسینی», «كاظماد» for «کاظمراد», «اكرب»
for «اکبر»), and each slip makes a spelling that hardly any other record bears."""

COMMONER = 8
"""...or, borne by more records, when the key one letter away is borne by this many times
as many: where names are many, the same slip of a very common surname («محمي» for «محمدی»)
recurs, yet stays far rarer than the name.  Two surnames of like frequency one letter
apart («احمدی» and «محمدی», «حسینی» and «حسنی») are two families, not a slip."""


def _one_edit_variants(key: str) -> set[str]:
    return {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}


def likelier_spellings(counts: Mapping[str, int]) -> dict[str, list[str]]:
    """For each name of ``counts`` (a surname or father's name, as written or as a key →
    records bearing it) that looks like a misspelling of others, those others, likeliest
    first: one edit apart (a letter
    dropped, added or changed, or two neighbours swapped: the two keys share a key with one
    letter taken out), borne by at least as many records, and the key rare (at most
    :data:`RARE_SPELLING` records) or the other :data:`COMMONER` times as common; the
    commonest first, then in alphabetical order.  Of two keys borne equally often only the
    later one is mapped (to the earlier).  Keys of fewer than three letters are left alone:
    one letter is too much of them.

    Read by the ``surname_fix`` blocking rules (the pairs they admit are scored like any
    other) and by the father's-name comparison (``father_fix``).

    >>> likelier_spellings({"hsYnY": 30, "hYnY": 1, "hsnY": 12, "mhmdY": 40, "_hmdY": 25})
    {'hYnY': ['hsYnY', 'hsnY']}
    """
    index: dict[str, list[str]] = {}
    for key in counts:
        if len(key) >= 3:
            for v in _one_edit_variants(key):
                index.setdefault(v, []).append(key)
    out: dict[str, list[str]] = {}
    for key, n in counts.items():
        if len(key) < 3:
            continue
        found = {other for v in _one_edit_variants(key) for other in index.get(v, ())
                 if other != key and (m := counts[other]) >= n and (m > n or other < key)
                 and (n <= RARE_SPELLING or m >= COMMONER * n)}
        if found:
            out[key] = sorted(found, key=lambda o: (-counts[o], o))
    return out


def _surname_fix(out: pd.DataFrame, written: pd.Series) -> pd.Series:
    """``surname_fix``: of each record's likelier surnames (:func:`likelier_spellings`), the
    first that records of the same given name bear without making a dense block
    (:data:`dadkhah.linkage.blocking.DENSE_BLOCK`: among thousands of «محمد محمدی» a slip of
    the surname tells nothing the other rules, father, day or birth year, do not); where
    none is borne with that given name, the first (two slips of one name meet on it).

    The surnames as written (``written``: words run together, in their script) are looked
    at first, taking the key of the likelier spelling, then the keys: a letter dropped as
    written may change two letters of the key («ممدی» for «محمدی» keys as «mdY», not
    «mhmdY»; «خانمه» for «خانمهر» ends in a vowel, not in «hr»)."""
    keyed = pd.DataFrame({"w": written, "k": out["surname_key"]}).dropna()
    key_of = keyed.groupby("w")["k"].agg(lambda v: v.value_counts().index[0]).to_dict()
    by_written = likelier_spellings(keyed["w"].value_counts().to_dict())
    by_key = likelier_spellings(keyed["k"].value_counts().to_dict())
    block = out[["given_key", "surname_key"]].dropna().value_counts().to_dict()
    fixes: list[str | None] = []
    for g, k, w in zip(out["given_key"], out["surname_key"], written, strict=True):
        if not isinstance(k, str) or not isinstance(g, str):
            fixes.append(None)
            continue
        options = [key_of[o] for o in by_written.get(w, ())] if isinstance(w, str) else []
        options = [o for o in dict.fromkeys([*options, *by_key.get(k, ())]) if o != k]
        if not options:
            fixes.append(None)
            continue
        borne = [o for o in options if block.get((g, o), 0)]
        first = borne[0] if borne else options[0]
        fixes.append(first if block.get((g, first), 0) <= DENSE_BLOCK else None)
    return pd.Series(fixes, index=out.index, dtype=object)


def _cached(fn: Callable, values: pd.Series) -> pd.Series:
    uniq = values.dropna().unique()
    table = {v: fn(v) for v in uniq}
    return values.map(table)


def _ward_read(text: str) -> bool:
    """Whether a prison value was read as the prison of a ward («فرعی ۲»)."""
    return not _blank(text) and resolve_place(text, "prison").method == "ward"


def _place(kind: str) -> Callable[[str], str | None]:
    def resolve(text: str) -> str | None:
        return resolve_place(text, kind).id if not _blank(text) else None
    return resolve


def compute_features(records: pd.DataFrame) -> pd.DataFrame:
    """Linkage features for records with columns ``unique_id``, ``source_id`` and the mapped
    text fields (full_name, given_names, surname, father_name, sex, age, birth_date,
    death_date, prison, city, province; missing columns count as empty)."""
    df = records.copy()
    for col in ("full_name", "given_names", "surname", "father_name", "sex", "age",
                "birth_date", "death_date", "prison", "city", "province"):
        if col not in df:
            df[col] = None
        df[col] = df[col].where(df[col].notna(), None)
    out = pd.DataFrame({"unique_id": df["unique_id"].astype("int64"),
                        "source_id": df["source_id"]})
    name_in = list(zip(df["full_name"], df["given_names"], df["surname"], df["father_name"],
                       strict=True))
    cache: dict[tuple, tuple] = {}
    parts = [cache.get(k) or cache.setdefault(k, _name_parts(*k)) for k in name_in]
    # how misread its list looks, learnt from the list's own name words
    words: dict[object, list[str]] = {}
    for sid, p in zip(df["source_id"], parts, strict=True):
        words.setdefault(sid, []).extend(p[-1])
    share = {sid: name_misread_share(ws) for sid, ws in words.items()}
    out["misread"] = df["source_id"].map(share).astype("float64")
    misread = {sid for sid, v in share.items() if v >= MISREAD_LIST}
    if misread:
        # in a list that looks machine-read, a name word the dictionary and the case's
        # typed lists lack is read as their one (or far commonest) word of its dotless
        # shape («چسین» as «حسین», «شید» as the title «سید»), so keys agree across scripts
        reader = name_reader(w for sid, ws in words.items() if sid not in misread
                             for w in ws)
        # given names as the dictionary and the typed lists' given-name columns write them
        given = set(dictionary_given_names())
        for v in df.loc[~df["source_id"].isin(misread), "given_names"].dropna().unique():
            tokens = [t.replace(ZWNJ, "") for t in name_tokens(str(v))[1] if has_persian(t)]
            given.update(tokens)
            given.add("".join(tokens))
        reread: dict[tuple, tuple] = {}
        for i, (sid, k) in enumerate(zip(df["source_id"], name_in, strict=True)):
            if sid in misread:
                if k not in reread:
                    fixed = tuple(reader.read(v) if isinstance(v, str) else v for v in k)
                    split = run_together(fixed[0], given) \
                        if isinstance(fixed[0], str) and _blank(fixed[1]) and \
                        _blank(fixed[2]) else None
                    if split is not None:  # a lost space ran the given name and surname
                        fixed = (split, *fixed[1:])
                    reread[k] = parts[i] if fixed == k else _name_parts(*fixed)
                parts[i] = reread[k]
    # a memoir's lone «شیرکار» or «نظر پور» is a surname, not a given name
    for i, surname in lone_surnames(df["source_id"].tolist(), [k[:3] for k in name_in],
                                    [(p[0], p[1]) for p in parts]).items():
        parts[i] = _name_parts(None, None, surname, name_in[i][3])
    cols = ["given_key", "surname_key", "father_key", "given1_key", "initial", "tokens_key",
            "given_latin", "surname_latin", "father_latin", "text_key", "given_dotless",
            "surname_dotless", "father_dotless"]
    for i, c in enumerate(cols):
        out[c] = [p[i] for p in parts]
    out["full_key"] = _skeleton(out["given_key"].fillna("") + out["surname_key"].fillna(""))
    out["text_key"] = _skeleton(out["text_key"])
    out["surname_fix"] = _surname_fix(out, pd.Series([p[13] for p in parts], index=out.index))
    # a father's name one letter off a commoner one («اكرب» / «اکبر»): the likeliest reading,
    # unless the name is one people are given (تقی is not a slip for نقی)
    known = known_given_names()
    fathers = {k: v for k, v in likelier_spellings(
        out["father_key"].dropna().value_counts().to_dict()).items() if k not in known}
    # object dtype with None (not float NaN where no father's name is fixed): the database
    # must see a text column to compare with father_key
    out["father_fix"] = pd.Series([fathers[k][0] if isinstance(k, str) and k in fathers
                                   else None for k in out["father_key"]],
                                  index=out.index, dtype=object)
    out["given_skel"] = _skeleton(out["given_key"])
    # two given names of the dictionary with one skeleton are two names (Hasan, Hossein);
    # one it lacks is mostly another romanisation («Moudjtaba», «Tahara») of the other
    out["given_known"] = out["given_key"].isin(known)
    out["surname_skel"] = _skeleton(out["surname_key"])
    out["father_skel"] = _skeleton(out["father_key"])
    for part in ("given", "surname"):
        out[f"{part}_qg"] = out[f"{part}_key"].map(qg_key, na_action="ignore")
        out[f"{part}_lq"] = _skeleton(out[f"{part}_qg"])
        shape = out[f"{part}_key"].map(shape_key, na_action="ignore")
        out[f"{part}_shape"] = shape.where(shape.str.len() > 0)
        printed = out[f"{part}_latin"].map(latin_print_key, na_action="ignore")
        out[f"{part}_print"] = printed.where(printed.str.len() > 1)
    out["sex"] = _cached(parse_sex, df["sex"])
    named = out["given1_key"].map(sex_of_given())
    out["name_sex"] = named.where(named.notna(), None)
    death = _cached(read_death, df["death_date"])
    out["death_lo"] = [d[0] if isinstance(d, tuple) else None for d in death]
    out["death_hi"] = [d[1] if isinstance(d, tuple) else None for d in death]
    out["death_precision"] = [d[2] if isinstance(d, tuple) else None for d in death]
    out["birth_lo"], out["birth_hi"] = _birth_years(df, out)
    # the cells as written, for the clustering to tell a slipped digit from another person
    for col, cell in (("birth_text", "birth_date"), ("age_text", "age"),
                      ("death_text", "death_date")):
        out[col] = pd.Series([_digits_cell(v) for v in df[cell]], index=out.index, dtype=object)
    out["prison_id"] = _cached(_place("prison"), df["prison"])
    out["city_id"] = _cached(_place("city"), df["city"])
    out["province_id"] = _cached(_place("province"), df["province"])
    # the home town again, as text: its frequency among persons weighs «same home town»
    # (Tehran is shared by chance, a small town is not), and the linkage stores ``city_id``
    # as integer codes that another table's frequencies cannot be joined to
    out["home_town"] = out["city_id"]
    gaz = load_gazetteer()
    city_of = {p: (city.id if (city := gaz.ancestor(p, "city")) else None)
               for p in out["prison_id"].dropna().unique()}
    out["prison_city"] = out["prison_id"].map(city_of)
    region = {p: gaz.region_1988(p)
              for col in ("prison_id", "city_id", "province_id")
              for p in out[col].dropna().unique()}
    out["region_id"] = (out["prison_id"].map(region).fillna(out["city_id"].map(region))
                        .fillna(out["province_id"].map(region)))
    # a prison read from a ward («بند ۲۰۹» -> Evin) says where the person was held at some
    # time, not where the lists that name prisons place the killing (prisoners were moved
    # between Evin and Gohardasht): it gives the region, not the prison compared
    ward = _cached(_ward_read, df["prison"]).fillna(False).astype(bool).to_numpy()
    if ward.any():
        out.loc[ward, ["prison_id", "prison_city"]] = None
    out["region_id"] = out["region_id"].where(out["region_id"].notna(), None)
    out["prison_city"] = out["prison_city"].where(out["prison_city"].notna(), None)
    if "affiliation" not in df:
        df["affiliation"] = None
    aff = _cached(resolve_affiliation, df["affiliation"].where(df["affiliation"].notna(), None))
    fam = aff.map(lambda a: affiliation_family(a) if isinstance(a, str) else None)
    out["aff_id"] = aff
    out["aff_parent"] = fam.map(lambda f: (f[1] if len(f) > 1 else f[0]) if f else None)
    out["aff_root"] = fam.map(lambda f: f[-1] if f else None)
    for c in ("death_lo", "death_hi", "birth_lo", "birth_hi"):
        out[c] = out[c].astype("Int64")
    # five-year bands of the birth interval's middle, and the same shifted by half a band,
    # for blocking records that give an age in different ways (two ages a year or two
    # apart share one of the two bands)
    mid = (out["birth_lo"] + out["birth_hi"]) // 2
    out["birth_5"] = (mid // 5).where(out["birth_hi"] - out["birth_lo"] <= 6)
    out["birth_5b"] = ((mid + 2) // 5).where(out["birth_hi"] - out["birth_lo"] <= 6)
    return out[FEATURE_COLUMNS]


def _digits_cell(value: object) -> str | None:
    """A date or age cell as written, where it holds a digit (a year, a date, an age)."""
    text = str(value).strip() if value is not None and value == value else ""
    return text if any(c.isdigit() for c in text) else None


def _birth_years(df: pd.DataFrame, out: pd.DataFrame) -> tuple[list, list]:
    born = _cached(read_born, df["birth_date"])
    ages = _cached(parse_age, df["age"])
    short = _cached(short_number, df["birth_date"])
    lo: list[int | None] = []
    hi: list[int | None] = []
    for b, a, s, dlo, dhi in zip(born, ages, short, out["death_lo"], out["death_hi"],
                                 strict=True):
        iv = birth_years(b, a, s, None if pd.isna(dlo) else dlo, None if pd.isna(dhi) else dhi)
        lo.append(iv[0] if iv else None)
        hi.append(iv[1] if iv else None)
    return lo, hi
