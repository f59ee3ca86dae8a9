"""Arabic text: the normalisation that models need, and telling Arabic apart."""

from __future__ import annotations

import re
import unicodedata

from mujaz.errors import CONTROL_CHARACTERS

TATWEEL = "\u0640"
# Zero-width and bidi control characters carry no meaning for a model and split
# words into odd subword pieces: ZWSP, ZWNJ, ZWJ, word joiner, BOM, LRM, RLM,
# the Arabic letter mark, the embeddings/overrides and the isolates.
# The soft hyphen and the combining grapheme joiner are as invisible, and as harmful; so are the
# other format characters: invisible operators, the Mongolian vowel separator, interlinear
# annotation marks and the tag characters (an emoji flag's tail).
_INVISIBLE = ("\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
              "\u00ad\u034f\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\u180e\ufff9\ufffa\ufffb"
              + "".join(map(chr, range(0xE0000, 0xE0080))))
ZWJ = "\u200d"
# Control characters (NUL, ESC, ...) become spaces: an article must never carry a terminal's
# escape sequences to stdout, nor odd bytes to a model. Line ends are made "\n" first.
_STRIP_TABLE = {**{code: space for code, space in CONTROL_CHARACTERS.items() if code != ord("\n")},
                **{ord(ch): None for ch in _INVISIBLE if ch != ZWJ}}
# The zero-width joiner goes too, but between two symbols, where it makes one emoji of them (👨‍👩‍👧, a
# family, not three people; 🐈‍⬛, 🏳️‍🌈): next to a letter, a digit, a space or an end of the text it goes.
_JOINER_OUTSIDE_AN_EMOJI = re.compile(rf"(?<![^\w\s]){ZWJ}|{ZWJ}(?![^\w\s])")
# A link or an e-mail address written in an article, without the mark or bracket after it ("(https://x.com/ar)",
# "... على www.x.com."). An address is looked for only where a word starts: from each letter of a long run of
# them (a PDF's text without spaces) the search took seconds. A closing bracket is the link's own where
# it pairs with one in it (Wikipedia's ".../دمشق_(مدينة)"): a pair is taken whole (an opening bracket
# alone only where none pairs with it), so that it can end the link.
_LINK_END = r"[^\s.,،؛:!?؟)\]}»”'\"]"
_IN_LINK = r"(?:\([^\s()]*\)|\((?![^\s()]*\))|[^\s()])"
_LINK_TAIL = rf"{_IN_LINK}*(?:\([^\s()]*\)|{_LINK_END})"
LINKS = re.compile(rf"(?:https?|ftp)://{_LINK_TAIL}|(?<![\w.-])www\.{_LINK_TAIL}|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Tatweel stretches a word (الخبـــر) and goes; where it joins a letter to what is not one it is
# writing, and stays: بـ"الجيش الحر", الـ 24 ساعة, لـ«اليوم», 1445 هـ.
# Letters and their diacritics, not the stroke itself: a run of it alone ("ـــــ", a separator line) stays whole.
_STRETCHING = re.compile(rf"(?<=[\u0620-\u063f\u0641-\u065f]){TATWEEL}+(?=[\u0620-\u063f\u0641-\u065f])")
# CRLF, CR alone, and CRLF converted twice (CR CR LF) are each one line end.
_LINE_ENDS = re.compile(r"\r*\n|\r|[\u2028\u2029\x85]")
_SPACES = re.compile(r"[^\S\n]+")
# Arabic presentation forms: the shaped glyphs text copied from a PDF holds (ﻻ for لا);
# compatibility folding gives back the letters every other rule and every model reads.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")


def normalise(text: str) -> str:
    """NFC, presentation forms as letters, no stretching tatweel, invisible or control characters,
    LF line ends, single spaces.

    Only what harms models goes: letters, digits, punctuation and diacritics stay.
    """
    text = PRESENTATION_FORMS.sub(lambda forms: unicodedata.normalize("NFKC", forms[0]), text)
    text = unicodedata.normalize("NFC", text)
    text = _LINE_ENDS.sub("\n", text)
    text = text.translate(_STRIP_TABLE)
    text = _JOINER_OUTSIDE_AN_EMOJI.sub("", text)
    text = _STRETCHING.sub("", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def is_arabic_letter(ch: str) -> bool:
    code = ord(ch)
    return (
        0x0620 <= code <= 0x064A
        or 0x066E <= code <= 0x06D3
        or 0x06FA <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08C9
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFC
    )


def is_letter(ch: str) -> bool:
    """A letter, as mujaz reads one: Unicode counts the stretching stroke (tatweel) a letter, mujaz not."""
    return ch.isalpha() and ch != TATWEEL


def has_letters(text: str) -> bool:
    """Whether `text` holds a letter: not "***", "2023", nor the stretching stroke alone ("ـــ", a separator)."""
    return any(map(is_letter, text))


def arabic_share(text: str) -> float:
    """The share of letters in `text` that are Arabic (0.0 when there are none)."""
    letters = arabic = 0
    for ch in text:
        if is_letter(ch):
            letters += 1
            if is_arabic_letter(ch):
                arabic += 1
    return arabic / letters if letters else 0.0


# Letters of the Arabic script that Persian, Urdu and Kurdish write and Arabic does not (an
# Arabic article may borrow one for a name), with the keheh and Farsi yeh they write for kaf and
# yeh (so does a Persian keyboard typing Arabic); and what only Arabic writes often: ta marbuta
# and the hamza on alef and waw, some 4% of an Arabic text's letters and rare in the others.
OTHER_LANGUAGE_LETTERS = frozenset("پچژگۀےںٹڈڑھہەێۆڵڕکی")
ARABIC_ONLY_LETTERS = frozenset("ةأإؤ")
# Words tell what letters cannot: Persian typed with Arabic's yeh and kaf and none of its own
# four letters (a font or keyboard may give that), and Arabic typed on a Persian or Urdu keyboard
# (keheh, Farsi yeh, heh doachashmee) without hamza or ta marbuta. Folded (fold):
# - Persian's own function words: 9.4% of Persian text by wordfreq's figures, and not one in the
#   434,000 words of EASC's, ARGEn's, NTREX-128's and UN's Arabic (را, با and شد are left out:
#   Moroccan and Yemeni Arabic say them; شده is شدة without its ta marbuta);
# - Arabic's article (ال, وال, بال, فال, كال, لل): a tenth or more of the words of 99% of ARGEn's
#   articles, 9.7% or more of every EASC summary's, and next to none of Persian's, Urdu's
#   or Kurdish's (aside: الله; Persian's البته and الان; Urdu's والا والی والے والوں, "the one
#   who", and its words in its own letters, الیکشن).
PERSIAN_WORDS = frozenset("از است كه در بود يك نيز".split())
_DEFINITE = ("ال", "وال", "بال", "فال", "كال", "لل", "ولل")
_NOT_DEFINITE = frozenset(["الله", "اللہ", "البته", "الان", "والا", "والي", "والے", "والوں"])
_URDU_LETTERS = re.compile("[ےںٹڈڑہ]")


def definite_words(tokens: list[str]) -> int:
    """How many of the folded tokens carry Arabic's article (ال, وال, بال ...)."""
    return sum(1 for token in tokens if token.startswith(_DEFINITE) and len(token) > 3 and token not in _NOT_DEFINITE
               and not _URDU_LETTERS.search(token))


def looks_other_language(text: str) -> bool:
    """True for Persian, Urdu or Kurdish: Persian's own words outnumbering Arabic's article, or
    their own letters with little of Arabic's article and of its ة أ إ ؤ."""
    tokens = fold(arabic_letter_forms(text)).split()
    definite = definite_words(tokens)
    persian = sum(map(PERSIAN_WORDS.__contains__, tokens))
    if persian >= 3 and persian > 0.03 * len(tokens) and persian > definite:  # an Arabic article may quote a verse
        return True
    theirs = sum(text.count(ch) for ch in OTHER_LANGUAGE_LETTERS)  # str.count runs in C
    if not theirs:
        return False
    letters = sum(1 for ch in text if is_arabic_letter(ch))
    if theirs <= 0.02 * letters:  # names, in an Arabic article
        return False
    ours = sum(text.count(ch) for ch in ARABIC_ONLY_LETTERS)
    share = definite / max(1, len(tokens))
    # Ta marbuta at 1.5% of the letters (Iraqi or Gulf dialect, with چ and گ and little of the
    # article): half of ARGEn's leads have 3.5%, and 1 in 30,000 40-word pieces of Urdu and
    # Kashmiri Quran translations had so much (زكوٰة; a reviewer's set). Persian and Azeri write
    # hamza (تأکید، مؤسسه، دؤنوم), not ta marbuta.
    marbuta = text.count("ة")
    return not (share >= 0.10 or marbuta >= 0.015 * letters or (share >= 0.05 and ours >= 0.01 * letters))


def as_read(text: str) -> str:
    """Text as mujaz reads an article: normalised, then in Arabic's own letters (arabic_letter_forms).
    What evaluation puts on both sides of a score; the loader does the same, with its checks between."""
    return arabic_letter_forms(normalise(text))


def arabic_letter_forms(text: str) -> str:
    """Arabic typed on a Persian keyboard, in Arabic's own letters: keheh as kaf, Farsi yeh as yeh.

    A final Farsi yeh may stand for alef maqsura (على) as well; yeh is the likelier (63% of
    word-final yeh or alef maqsura in ARGEn's news) and the two are read alike.
    """
    return text.replace("ی", "ي").replace("ک", "ك")


# Unicode's control characters (category Cc: C0, DEL, C1) but the whitespace among them, \t to \r.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def control_count(text: str) -> int:
    """How many characters are control characters other than whitespace (a regex: a loop in Python
    over every character was a tenth of the time a batch of extractive summaries took)."""
    return len(_CONTROL.findall(text))


# Folding for comparison (not for display or models): the orthographic variants
# that Arabic writers use interchangeably become one form, as in EASC's summaries.
# The marks written on letters (harakat, shadda, the dagger alef, honorific and Quranic signs), as a
# regex character class's ranges: no word characters to a regex, they end a word mid-word.
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_DIACRITICS = re.compile(f"[{DIACRITICS}]")
_FOLD_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", TATWEEL: None})
_WORD = re.compile(r"\w+")
# Arabic-Indic and Persian digits, and the Arabic decimal and thousands separators, as Western ones ("٢٫٥" is 2.5).
WESTERN_DIGITS = str.maketrans({**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)},
                                "٫": ".", "٬": ","})


def without_diacritics(text: str) -> str:
    """The text without its diacritics (harakat, shadda, Quranic marks): "كان والِدُه" as "كان والده"."""
    return _DIACRITICS.sub("", text)


def fold(text: str) -> str:
    """Diacritics and tatweel removed; alef, ya/alef maqsura and ta marbuta/ha unified; lower case."""
    return without_diacritics(text).translate(_FOLD_TABLE).lower()


def in_words(number: int) -> str:
    """A count of words as a message says it: "1 word", "2,011 words"."""
    return f"{number:,} word{'' if number == 1 else 's'}"


def words(text: str) -> list[str]:
    """Unicode words of the folded text: the unit of summary budgets and ROUGE."""
    return _WORD.findall(fold(text))


# What JSON leaves raw with ensure_ascii=False and readers take for line ends: Python's
# str.splitlines() (and JavaScript before ES2019 for the first two) cut a record there.
_LINE_ENDS_IN_JSON = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def json_line(record) -> str:
    """A record as one line of JSON Lines, Arabic readable, and one line however a reader splits
    lines: a U+2028 in an id or a text (it comes in pasted and scraped text) split a record in pieces."""
    import json

    return json.dumps(record, ensure_ascii=False).translate(_LINE_ENDS_IN_JSON)


class JsonNumber(str):
    """A JSON number as its line writes it (json.loads' parse_int and parse_float): an id 1.10 stays
    "1.10" (read as a float it was "1.1", another line's id) and 1E2 stays "1E2" (it was "100.0")."""


def loads_keeping_numbers(line: str, **options):
    """json.loads, each number a JsonNumber."""
    import json

    return json.loads(line, parse_int=JsonNumber, parse_float=JsonNumber, **options)


def as_written(value) -> str:
    """An id read by loads_keeping_numbers, as text: a string as it is; anything else as JSON, its
    numbers as the line wrote them (7 -> "7", true -> "true": not a Python repr). RecursionError for
    lists in lists deeper than Python recurses."""
    import json

    if isinstance(value, JsonNumber):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_as_json(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_as_json(key)}: {_as_json(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)


def _as_json(value) -> str:
    """A value inside an id, as JSON: a string quoted, the rest as_written."""
    import json

    if isinstance(value, str) and not isinstance(value, JsonNumber):
        return json.dumps(value, ensure_ascii=False)
    return as_written(value)
