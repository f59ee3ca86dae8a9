"""Arabic article structure: headline, sub-headings, paragraphs and sentences.

Every model input passes through `split_sentences`, so its rules are tuned to
Arabic news punctuation: sentences end at . ! ? ؟ (and at line ends), not at
، or ؛, not inside numbers (3.5), not after an abbreviation or a single letter
(د. for doctor), and a closing quote or bracket stays with its sentence. An
ellipsis (… or ...) is mostly a pause in Arabic prose: it ends a sentence only
at a quotation's edge. Figures: `mujaz eval segmentation` (README).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from mujaz.core.text import arabic_share, fold, has_letters, is_arabic_letter, words

TERMINATORS = ".!?؟…"
CLOSERS = "\"'”’»)]}›\ufd3e\ufd3f"  # and a verse's ornate bracket, written either way round (_inside_a_verse)
# After a mark, “ is typed where ” was meant ('قال: "انتهى الأمر."“ ثم'): a closer there too.
CLOSERS_AFTER_A_MARK = CLOSERS + "“"
# A line that ends in one of these is prose, never a heading.
_PROSE_END = set(TERMINATORS + CLOSERS + "،؛,;:")
_PARAGRAPH_END = set(TERMINATORS + ":")  # in wrapped text; a comma at a full line's end is where the wrap fell
_CLAUSE_END = "،,؛;"
LOOK_AROUND = 200  # characters around a mark that decide whether it ends a sentence
QUOTE_LOOK_BACK = 2000
HEADING_MAX_WORDS = 12
HEADLINE_MAX_WORDS = 40
# The accusative's alef, with its tanween typed after it or before it ("أيضاً", "أيضًا", "ثانيا"); the
# longer first, so that a match never leaves the tanween behind.
ACCUSATIVE_ALEF = r"(?:اً|ًا|ا)"

# Dotted abbreviations that do not end a sentence. Arabic single letters (د. م.
# أ. ق. ص. ...) are caught by the single-letter rule, before this list is read.
ABBREVIATIONS = frozenset(
    """
    أد هـ
    mr mrs ms dr prof st jr sr vs no nos fig gen col lt sgt capt rev inc ltd co corp vol vols para paras pp
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)

# Bullets that open a list's item inside a line too; "-" and "*" (BULLET_ITEM) only at a line's start,
# a line holding them for other things.
INLINE_BULLETS = "•▪●◦"
# Where a sentence may end, each kind a named group that split_sentences judges (_is_boundary and the rest).
# A run of terminators, any closing quotes or brackets after it, then the space before the next sentence
# (“ for ”: CLOSERS_AFTER_A_MARK; a bullet glued after them opens the next: "المستقبلية.• ماهو", "البنك.»• ما").
_MARKS = rf"(?P<marks>[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*[“]?)(?=\s|[{INLINE_BULLETS}]\s)"
# A closing quote directly followed by an opening one (quoted speech that ends without a mark, then more).
_QUOTE = r"(?P<quote>[\"”»])(?=\s+[\"“«])"
# A mark with no space after it, as text pasted from the web drops it: "إلى نوح.و تعني" (an Arabic letter
# right after the mark cannot be a decimal or a Latin initial); or a dash that opens the next ("التعافي.-
# «الشعب»: هل"), or a quotation opening on a letter ("التجارية.“الإقبال كان جيدا”، تؤكد": a “ after the
# mark and a space would close one).
_TIGHT = r"(?P<tight>[.!?؟]+)(?=[\u0621-\u064a]|-\s|[«“][\u0621-\u064a])"
# A list flattened into a line ("ومنها: • أقل هامش • ..."): each bullet opens an item, with or without a mark before.
_BULLET = rf"(?<=\S)(?P<bullet>)(?=\s+[{INLINE_BULLETS}]\s)"
# A footnote's number after the mark, as text copied from Wikipedia keeps it ('"البشرية".[1] كانت',
# "بعدهم.(2) امه"): an end, the number going with its sentence (not after a figure: "3.(2)").
_FOOTNOTED = (rf"(?P<footnoted>(?:[.!?؟][{re.escape(CLOSERS)}]*\[\d{{1,3}}\]|(?<!\d)[.!?؟][{re.escape(CLOSERS)}]*\(\d{{1,3}}\))"
              r"(?:\s?\[\d{1,3}\])*)(?=\s|$)")
_BOUNDARY = re.compile("|".join([_MARKS, _QUOTE, _TIGHT, _BULLET, _FOOTNOTED]))
# "And Dr.", "and Eng." written as one word: "كل من الوزير ود. تركي بن نادر".
CONJOINED_TITLES = frozenset("ود وم".split())
# Prepositions a sentence does not end on, so a full stop glued to one is no end ("روي في. وايد"):
# not على, which Egyptian spelling writes for the name علي, nor من, which is "who" too ("لا أعرف من.").
PREPOSITIONS = frozenset("في فى إلى الى عن".split())
# Latin initials spelt in Arabic letters, glued to their dot: "جون إف. كينيدي", "دي آر. بوبو".
# Not those that end the names of channels a sentence may end on ("بي بي سي.", "سي إن إن."),
# nor one in quotes ('سلسلة “إف”.' is a phone's name).
LATIN_INITIALS = frozenset("إف اف جيه آر إتش اتش دبليو".split())
_BMW = re.compile(r"بي\s+[إا]م\s+دبليو$")  # "بي إم دبليو." ends a sentence; "جورج دبليو. بوش" goes on
# After a number these letters are a unit or an era, not an initial: م (metres, or the Gregorian
# year), هـ (the Hijri year), كم (kilometres).
YEAR_AND_UNIT_LETTERS = frozenset({"م", "ه", "هـ", "كم"})
# After a time of day, ص (a.m.) and م (p.m.) close a sentence too.
TIME_LETTERS = frozenset({"ص", "م"})
TIME_OF_DAY = r"\d{1,2}:\d{2}"  # "10:45", in date lines too (here and mujaz.core.page)
_TIME_OF_DAY = re.compile(TIME_OF_DAY)
# Arabic letters standing alone between dots, ending the text before a mark: the agencies and
# bodies written so (أ.ف.ب, أ.ش.أ, و.م.ع, م.ت.ف, ش.م.ع), titles (أ.د) and eras (ق.م).
_DOTTED_LETTERS = re.compile(r"(?:^|[\s(\[«\"“])[\u0621-\u064a][\u064b-\u0652]?(?:\.[\u0621-\u064a][\u064b-\u0652]?)+$")
# Latin letters with dots between them: "J.P", "U.S", "Ph.D" before the mark (the last dot).
_DOTTED_LATIN = re.compile(r"(?:^|[\s(\[«\"“])(?:[A-Za-z]{1,3}\.)+[A-Za-z]{1,3}$")
# After quoted speech these words attribute it ("...!" كما أضاف هاميل): same sentence.
ATTRIBUTION = frozenset(
    "كما حسبما بحسب وفق وفقا قال قالت أضاف أضافت تساءل تساءلت يقول تقول صرح صرحت أوضح أوضحت".split()
)


@dataclass(frozen=True)
class Segment:
    kind: str  # "title" | "heading" | "sentence"
    paragraph: int  # 0 for the title; each body line or heading after it counts up
    text: str


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph (a line) into sentences, in order, losing no character but spaces between."""
    sentences: list[str] = []
    start = 0
    last_start = 0  # where the last sentence kept began

    def keep(piece_start: int, piece_end: int) -> None:
        nonlocal last_start
        piece = paragraph[piece_start:piece_end].strip()
        if not piece:
            return
        if sentences and not any(ch.isalnum() for ch in piece):
            # Marks alone ("الغربي. . جاء", a stray quote at the end) are no sentence: they go with the one before.
            sentences[-1] = paragraph[last_start:piece_end].strip()
            return
        credit = _CREDIT_AFTER_THE_MARK.match(paragraph, piece_start, piece_end) if sentences else None
        if credit:
            # An agency's credit after the full stop ("... في موسكو، الإثنين. (رويترز)") is the sentence's own.
            sentences[-1] = paragraph[last_start:credit.end()].strip()
            piece_start = credit.end()
            piece = paragraph[piece_start:piece_end].strip()
            if not piece:
                return
        if (title_end := _linked_title_end(piece)) is not None:
            # "اقرأ أيضا: <another article's title> وأشار ...": the title is a sentence of its own.
            sentences.append(piece[:title_end].strip())
            piece_start = paragraph.index(piece, piece_start) + title_end
            piece = paragraph[piece_start:piece_end].strip()
        sentences.append(piece)
        last_start = piece_start

    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        if match.lastgroup == "bullet":
            found = True
        elif match.lastgroup == "footnoted":  # but after a title or an initial: "وقال د.(1) محمد"; not an era's "م."
            before = paragraph[start:match.start()]
            token = _last_word(before)
            found = (not (len(token) == 1 or token.lower() in ABBREVIATIONS)
                     or token in YEAR_AND_UNIT_LETTERS and _number_before(before))
        elif match["quote"]:
            found = _closes_quotation(paragraph, start, match.start()) and not _terms_joined(paragraph, start, match.start())
        elif match["tight"] == "?" and is_arabic_letter(paragraph[match.start() - 1:match.start()]):
            # A lone "?" inside a word is a letter its code page could not hold, lost in the text's
            # making ("التوراة ... ن?يئيم", Hebrew letters in EASC); a question glued on ends with "؟".
            found = False
        elif match["tight"] and paragraph[end:end + 1] == "“" and _curly_quotation_open(
                paragraph[max(0, match.start() - QUOTE_LOOK_BACK):match.start()]):
            found = False  # a “ typed for ” closes it: 'قال: “الخطة جاهزة.“وأضاف' (ARGEn types so 30 times)
        else:
            found = _is_boundary(paragraph, start, match.start(), match["marks"] or match["tight"])
        if found:
            keep(start, end)
            start = end
    keep(start, len(paragraph))
    return sentences


def _curly_quotation_open(text: str) -> bool:
    return (text.count("“") + text.count("”")) % 2 == 1


# After an ellipsis, words that open a new sentence in Arabic news and seldom carry on the one
# before: reporting verbs and the connectives a paragraph's sentences start with. Read off the
# ellipses of ARGEn's and EASC's articles, labelled by hand (ad hoc, not kept): the list made
# 19 ends and cut no pause there; "وعلى", and all و/ف-words, cut pauses as often as not. The
# negations and demonstratives of the last line (".. لا شيء يضره", ".. هذه الأخيرة") came from a
# second reading, of all 134 ellipses inside ARGEn's sentences: 6 of the 7 cuts they add are ends.
# The reporting verbs and the like among them open a sentence, not a heading, whatever the line ends with.
SENTENCE_OPENING_VERBS = frozenset("""
    وأكد وأكدت وأضاف وأضافت وقال وقالت وأوضح وأوضحت وأشار وأشارت وتابع وتابعت ولفت ولفتت ونوه وشدد وشددت
    واعتبر واعتبرت وأفاد وأفادت وذكر وذكرت وكشف وكشفت وأعلن وأعلنت وبين وبينت وكان وكانت ويأتي وتأتي وجاء
    ويذكر ويشار وتجدر
""".split())
ELLIPSIS_THEN_NEW_SENTENCE = SENTENCE_OPENING_VERBS | frozenset("""
    وقد وفي ومن وبحسب وحسب ووفقا وهذا وهذه وهكذا وهو وهي وهناك ونحن ولكن ولكنه لكن
    وبالتالي وبذلك ولذلك فقد فإن وإن
    لا لم لن ليس هذا هذه هكذا أما
""".split())
ELLIPSIS_SENTENCE_MIN_WORDS = 3  # "لكن... وقال" is a pause at a sentence's start


def _is_boundary(text: str, sentence_start: int, mark_start: int, marks: str) -> bool:
    mark_end = mark_start + len(marks)
    after = text[mark_end : mark_end + LOOK_AROUND].lstrip()
    if marks[-1] in CLOSERS_AFTER_A_MARK and _attribution_follows(after):
        return False
    if _inside_a_verse(text, sentence_start, mark_end):
        return False
    # Only the few words around a mark decide; looking no further keeps a
    # megabyte-long line without a sentence end linear in time.
    sentence_start = max(sentence_start, mark_start - LOOK_AROUND)
    bare = marks.rstrip(CLOSERS_AFTER_A_MARK)
    closers = marks[len(bare):]
    if bare == "…" or (len(bare) > 1 and set(bare) <= {".", "…"}):
        return _ellipsis_ends_sentence(text, sentence_start, mark_start, closers, after)
    if marks[0] != ".":  # ! ? ؟ end a sentence, but not inside brackets: "(الجنيه السوداني الى أين ؟) الأربعاء"
        return not _in_brackets(text, sentence_start, mark_start, closers)
    before = text[sentence_start:mark_start]
    glued = not text[mark_end : mark_end + 1].isspace()
    if _DOTTED_LETTERS.search(before) and (glued or _NO_SENTENCE_OPENS.match(after)
                                           or closers[:1] in (")", "]") and not _opens_after_a_credit(after)):
        # Inside a dotted abbreviation: (أ.ف.ب), أ.ش.أ, م.ت.ف; its last dot is judged as any, but
        # for a word no sentence opens with, or a number: "وكالة أ.ش.أ. أن الرئيس", "ص.ب. 1234"; and in
        # brackets that close on it, whose sentence would end after them, for any word but one that opens
        # sentences: "لوكالة (أ.ف.ب.) إن الهجوم", "(د.ب.أ.) مساء الأحد".
        return False
    if glued and _LETTER_THEN_LETTER.match(text, mark_start - 1):
        return False  # "200 م.د" (million dinars): one letter, a dot, one letter more
    token = _last_word(before)
    if token in YEAR_AND_UNIT_LETTERS and _number_before(before):
        # "عام 1783 م." (the year), "ارتفاع 1500 م." (metres): the letter closes the sentence, unless
        # what follows says where or when of it: "على بعد 50 كم. شمال المدينة", "الساعة 9 م. بتوقيت مكة";
        # not after a year ("عام 1920 م. شمال أفريقيا كان ...": the era, and a new sentence)
        return _an_era(before, token) or not _PLACE_OR_TIME_OF_IT.match(after)
    if token in TIME_LETTERS and _TIME_OF_DAY.fullmatch(before.split()[-2] if len(before.split()) > 1 else ""):
        return not _PLACE_OR_TIME_OF_IT.match(after)  # "الساعة 10:30 ص." (a.m.); but "1998، ص. 45" is a page
    if token in CONJOINED_TITLES and after and is_arabic_letter(after[0]) and after[0] not in "وف":
        return False  # "and Dr." glued: "كل من الوزير ود. تركي"; "بكل ود. وغادر" is affection, and an end
    if len(token) == 1 and token.isalpha() and before.rstrip().endswith(")"):
        return True  # an item's letter in brackets, no initial: "وفقا للفقرة 5 (ب). وتلاحظ"
    if len(token) == 1 and token.isalpha():
        # An initial: "د. محمد", "J. Smith". A lone Latin letter before Arabic
        # text is more often a sentence's last word ("... the letter A."); so is an Arabic one
        # before a word that opens sentences, where an initial's name would stand ("فيتامين د. وقال").
        if (is_arabic_letter(token) and not _opens_a_sentence(after)) or after[:1].isupper():
            return False
    elif ((after[:1].isupper() or marks[1:2] == ")") and _DOTTED_LATIN.search(before)
          or _DASH_THEN_LATIN.match(after) and _DOTTED_CAPITALS.search(before)):
        # A Latin name goes on: "J.P. Morgan", "U.S. News", "TIPOFF U.S. - Canada"; or a bracket closes on it: "(U.S.)"
        return False
    if token.lower() in ABBREVIATIONS or (token in LATIN_INITIALS and before.endswith(token) and not _BMW.search(before)):
        return False
    if token in PREPOSITIONS and not before[-1:].isspace():
        return False  # a preposition needs its object: "روي في. وايد" is Roe v. Wade, no sentence end
    if token.isdigit() and (before.strip() == token or _AFTER_A_COLON.search(before)):
        return False  # a numbered list item: "1. ...", "ما يلي: 1. خفض الضرائب"
    if after[:1].isalpha() and after[:1].islower() and _LATIN_LETTER.search(token):
        # Latin text going on in lower case: "e.g. this"; not after an Arabic word or a number, where
        # what a page pasted after the sentence follows ("الجزيرة 2005. sudantribune", "يمر بها. challenging")
        return False
    return True


def _ellipsis_ends_sentence(text: str, sentence_start: int, mark_start: int, closers: str, after: str) -> bool:
    """Whether an ellipsis (… .. ...), `closers` after it, ends a sentence. Arabic writers use it as a
    pause inside a sentence; it ends one where a quotation closes on it or a new one opens after it,
    and where a word that opens sentences follows one under way ("منها.. وحسب المصادر", "الحالية..وأكدت
    في بيان")."""
    if _in_brackets(text, sentence_start, mark_start, closers):
        return False  # "(...)", "[...]": words left out of a quotation
    return (bool(closers) or after[:1] in "\"“«"
            or (_opens_a_sentence(after) and len(text[sentence_start:mark_start].split()) >= ELLIPSIS_SENTENCE_MIN_WORDS))


def _opens_a_sentence(after: str) -> bool:
    """Whether the text after a mark opens on a word that opens sentences (ELLIPSIS_THEN_NEW_SENTENCE),
    where a mark that may be a pause or an abbreviation's is taken for a sentence's end."""
    return _last_word(after.split(None, 1)[0] if after else "") in ELLIPSIS_THEN_NEW_SENTENCE


# Phrases that open a news paragraph's next sentence, beside ELLIPSIS_THEN_NEW_SENTENCE's words, read
# after an agency's bracketed initials: "... في الهجوم (أ.ف.ب.) من جهته، قال ...". With their comma:
# without one they carry the credit's sentence on as often ("وذكرت وكالة (د.ب.أ.) من جانبها أن ...",
# "ونقلت وكالة (أ.ف.ب.) في سياق تقرير لها"); and the verbs that open a closing remark ("يذكر أن").
_OPENING_PHRASE = re.compile(r"(?:(?:من\s+(?:جهت|جانب)\w*|[إا]لى\s+ذلك|في\s+(?:غضون\s+ذلك|سياق\s+متصل|المقابل|الأثناء"
                             r"|هذه\s+الأثناء)|على\s+صعيد\s+\w+)\s*[،,]|(?:يذكر|يشار|تجدر)(?!\w))")


def _opens_after_a_credit(after: str) -> bool:
    """Whether the text after an agency's initials, in brackets that close on their dot, opens a new sentence."""
    return _opens_a_sentence(after) or bool(_OPENING_PHRASE.match(after))


# A single Arabic letter (alone, or after a number) before a dot, and a single letter after it:
# "م.د", "200م.د". Not و, which text pasted from the web glues to a full stop ("نوح.و تعني").
_LETTER_THEN_LETTER = re.compile(r"(?<![\u0621-\u064a])[\u0621-\u064a]\.[\u0621-\u0647\u0649-\u064a](?=[\s.]|$)")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_DASH_THEN_LATIN = re.compile(r"[-–]\s*[A-Z]")
_DOTTED_CAPITALS = re.compile(r"(?:^|[\s(\[«\"“])(?:[A-Z]{1,3}\.)+[A-Z]{1,3}$")  # "U.S", "U.N"; not "p.m"
_AFTER_A_COLON = re.compile(r":\s+[1١]$")  # a list's first item; not a score ("2:1.") nor a count (": 15.")
# After a dotted abbreviation's last dot: a word no sentence opens with (a particle that needs the
# verb before it), or a number.
# Not إلى: "إلى ذلك، ..." opens sentences; إن: "أ.ف.ب. إن الهجوم ..." (told AFP that) far more often than one
_NO_SENTENCE_OPENS = re.compile(r"(?:أن|عن|إن)(?!\w)|\d")


# An era's letter, not a unit's: هـ always, م after a year's word ("عام 1920 م.", not "ارتفاع 1500 م.").
_YEAR_WORDS = frozenset("عام العام عامي سنة السنة سنوات منذ مطلع أوائل أواخر بداية نهاية".split())


def _an_era(before: str, letter: str) -> bool:
    if letter in ("ه", "هـ"):
        return True
    before_words = before.split()
    return letter == "م" and len(before_words) >= 3 and _last_word(before_words[-3]) in _YEAR_WORDS


# After a unit or a time of day, words that place or time it and open no sentence of their own.
_PLACE_OR_TIME_OF_IT = re.compile(r"(?:بتوقيت|توقيت|(?:شمال|جنوب|شرق|غرب)(?:ي|" + ACCUSATIVE_ALEF
                                  + r")?|تقريبا|فقط|مربع|مكعب)(?!\w)")


def _in_brackets(text: str, sentence_start: int, mark_start: int, closers: str) -> bool:
    """Whether a mark closes inside brackets its sentence opened: "(... أين ؟)", "(...)"."""
    if closers[:1] not in (")", "]"):
        return False
    opening = "(" if closers[0] == ")" else "["
    return text.count(opening, sentence_start, mark_start) > text.count(closers[0], sentence_start, mark_start)


# A Quran verse quoted in its brackets, ﴿...﴾ or {...}, is one quotation whatever its marks: each
# aya's end inside it ended a sentence ('قال تعالى: ﴿... الْقَدْرِ. وَمَا أَدْرَاكَ ...﴾ صدق الله'). The
# ornate brackets are written in either order (Unicode swapped their bidi classes), so an odd count
# of them is an open one. Only where the bracket closes ahead, within reach.
_VERSE_BRACKETS = "\ufd3e\ufd3f"
VERSE_LOOK_AHEAD = 1000


def _inside_a_verse(text: str, sentence_start: int, mark_end: int) -> bool:
    """Whether the mark ending at `mark_end` (its closers included: '.}' closes the verse) is inside one."""
    start = max(sentence_start, mark_end - QUOTE_LOOK_BACK)
    ahead = text[mark_end:mark_end + VERSE_LOOK_AHEAD]
    ornate = sum(text.count(bracket, start, mark_end) for bracket in _VERSE_BRACKETS)
    if ornate % 2 and any(bracket in ahead for bracket in _VERSE_BRACKETS):
        return True
    return text.count("{", start, mark_end) > text.count("}", start, mark_end) and "}" in ahead


def _number_before(before: str) -> bool:
    """Whether the word before the last one is a number ("1783" in "عام 1783 م")."""
    before_words = before.split()
    return len(before_words) >= 2 and _last_word(before_words[-2]).isdigit()


def _attribution_follows(after: str) -> bool:
    following = [_last_word(w) for w in after.split(None, 5)[:5]]
    if not following:
        return False
    if any(w in ("إن", "أن", "ان") for w in following[1:]):
        return False  # "قالت ساندرز إن ...": new reported speech, a new sentence
    return following[0] in ATTRIBUTION or after.startswith("هذا ما")


def _closes_quotation(text: str, sentence_start: int, quote_at: int) -> bool:
    """Whether the quote at `quote_at` closes a quotation (and so may end a sentence)."""
    if text[quote_at] != '"':
        return True  # ” and » only ever close
    if quote_at > 0 and not text[quote_at - 1].isspace():
        # Glued to the word before it, with a space after it (the match saw to that) and another
        # quote opening: it closes, whatever the count says ("...أنت" "لذا ..."); the count goes
        # wrong when a quotation opened with ” or a quoted word sits inside a quotation.
        return True
    # A straight quote closes when it pairs with an earlier one in this sentence
    # (within reach: a quotation is not kilobytes long).
    return text.count('"', max(sentence_start, quote_at - QUOTE_LOOK_BACK), quote_at + 1) % 2 == 0


# Quoted terms joined by "و" ('الفريق "منهار" "وفي صدمة" لوفاة'): quotations of a few words each, the
# second opening on و, are one sentence's, not speech ending without its mark. After any other word,
# or before a longer quotation, the second opens a sentence as often (NTREX-128: 'بمثابة "محفز"' then
# '"إنهم ...'; '"لا تعليق" "وزارة الخارجية ستصدر بيانا"', where و is the word's own).
QUOTED_TERM_MAX_WORDS = 3
_CLOSING_QUOTE = {'"': '"', "“": "”", "«": "»"}
_OPENING_QUOTE = {closing: opening for opening, closing in _CLOSING_QUOTE.items()}


def _terms_joined(text: str, sentence_start: int, quote_at: int) -> bool:
    following = text[quote_at + 1:quote_at + 1 + LOOK_AROUND].lstrip()  # the second quotation's opening quote on
    closed = following.find(_CLOSING_QUOTE.get(following[:1], '"'), 1)
    second = following[1:closed if closed > 0 else None]
    if not second.startswith("و") or len(second.split()) > QUOTED_TERM_MAX_WORDS:
        return False
    opened = text.rfind(_OPENING_QUOTE[text[quote_at]], max(sentence_start, quote_at - QUOTE_LOOK_BACK), quote_at)
    return opened >= 0 and len(text[opened + 1:quote_at].split()) <= QUOTED_TERM_MAX_WORDS


def _last_word(text: str) -> str:
    """The last word before a mark, without quotes, brackets or diacritics.

    Diacritics matter: in "عامًا." the tanween is not a word character to a
    regex, and a naive match would see the lone letter "ا" and take it for an initial.
    """
    chunk = text.rsplit(None, 1)[-1] if text.strip() else ""
    return "".join(ch for ch in chunk if ch.isalnum())


# A headline may end in a question or an exclamation, or trail off ("والسبب؟", "..تعرف على التفاصيل.."):
# then it is a short first line standing alone, which a body's first paragraph seldom is.
_HEADLINE_END = re.compile(r"(?:[؟?!]+|\.\.+|…)[\"'”’»)]*$")
MARKED_HEADLINE_MAX_WORDS = 20


def _reads_like_headline(line: str, following: str = "") -> bool:
    """Whether a line over the text reads as its headline; `following`, the line under it: a
    numbered line with no item under it is a headline ("(5) أسباب وراء ارتفاع الذهب"), but a list's
    first ("1- ...", "أ- ...", its second may come after a paragraph) or a bulleted one never."""
    if not has_letters(line):  # "***", "ـــ", "2023": a separator or a date
        return False
    if _LIST_ITEM.match(line) and (BULLET_ITEM.match(line) or _FIRST_ITEM.match(line) or _LIST_ITEM.match(following)):
        return False
    length = len(line.split())
    if not _ends_like_prose(line):
        return length <= HEADLINE_MAX_WORDS
    return bool(_HEADLINE_END.search(line)) and length <= MARKED_HEADLINE_MAX_WORDS


def _ends_like_prose(line: str) -> bool:
    # A closing quote alone does not make prose: headlines often end in a quotation.
    bare = line.rstrip(CLOSERS_AFTER_A_MARK)
    return not bare or bare[-1] in _PROSE_END


WRAPPED_MIN_WORDS = 6
WRAPPED_AT_WIDTH = 0.8  # of the open-ended lines, within 75-115% of the wrapping width
WRAPPED_PAST_WIDTH = 0.1  # of all lines, longer than that


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines (text broken at a fixed width, mid-sentence) back into paragraphs.

    Only when most long lines end without punctuation, which real paragraphs
    and headings never do together: a heading is short, a paragraph ends in a mark.
    And only when the lines look cut at one width: those open-ended lines nearly as
    long as each other, and hardly any line longer. Lines of a list, or paragraphs
    whose writer left out the full stops, have lengths of their own; a list's items count for
    nothing, and each starts a line of its own.
    A blank line always ends a paragraph. Blank lines are dropped.
    """
    text_lines = [line for line in lines if line]
    widths = _hard_wrap_widths(text_lines)
    return _join_wrapped(lines, widths) if widths else text_lines


def _hard_wrap_widths(text_lines: list[str]) -> WrapWidths | None:
    """The width the text was wrapped at (_wrap_widths), or None when it does not read as wrapped (unwrap)."""
    # The width is read off the body: a headline, the first line, has a length of its own (a short
    # article's one line of 71 characters over a body wrapped at 60 was "past the width" enough
    # to leave every line unjoined, its halves of sentences sub-headings).
    body = text_lines[1:]
    long_lines = [(line, following) for line, following in zip(body, body[1:]) if len(line.split()) >= WRAPPED_MIN_WORDS]
    # A list's items end without a mark, and may be as long as each other: no sign of wrapping.
    wrapped = [(line, following.split()[0]) for line, following in long_lines  # with the word that went on the next line
               if not _ends_like_prose(line) and not _LIST_ITEM.match(line)]
    if len(wrapped) < 3 or len(wrapped) < 0.3 * len(long_lines):
        return None
    widths = _wrap_widths(wrapped)
    open_ended = [line for line, _ in wrapped]
    width = widths.chars
    at_the_width = sum(0.75 * width <= len(line) <= 1.15 * width for line in open_ended) / len(open_ended)
    past_it = sum(len(line) > 1.15 * width for line in body) / len(body)
    # EASC's wrapped articles (developers' part): at least 0.89 at the width, at most 0.07 past it.
    if at_the_width < WRAPPED_AT_WIDTH or past_it > WRAPPED_PAST_WIDTH:
        return None
    return widths


def _join_wrapped(lines: list[str], widths: WrapWidths) -> list[str]:
    """The lines of text wrapped at `widths` joined back into paragraphs; a blank line (kept in `lines`
    for this) always ends one, and is dropped."""
    joined: list[str] = []
    previous = ""
    continuing = False  # `previous` went on from the line before it: mid-paragraph, no heading
    for line in lines:
        opening = len(joined) == 1 and not continuing  # `previous` is the text's first line, where a headline stands
        if line and previous and _wrapped_before(previous, line, widths, continuing, opening):
            joined[-1] = f"{joined[-1]} {line}"
            continuing = True
        else:
            if line:
                joined.append(line)
            continuing = False
        previous = line
    return joined


class WrapWidths(NamedTuple):
    """The wrapping width as the text shows it, in characters and in UTF-8 bytes (as the Unix `fold`
    command counts): the length most wrapped lines stay under (the 90th percentile, so one stray long
    line does not count); the widest wrapped line within reach of it (115%), which the width is no
    less than; and what it is less than: a wrapped line with the next line's first word, which did not
    fit after it (the 10th percentile, so that a paragraph's last line without a mark does not count)."""

    chars: float
    utf8: float
    widest_chars: int
    widest_utf8: int
    cut_before_chars: int
    cut_before_utf8: int


def _wrap_widths(wrapped: list[tuple[str, str]]) -> WrapWidths:
    """The widths of text whose `wrapped` lines (each with the next line's first word) show them."""
    def percentile(lengths: list[int], share: float) -> int:
        return sorted(lengths)[int(share * (len(lengths) - 1))]

    chars = percentile([len(line) for line, _ in wrapped], 0.9)
    utf8 = percentile([len(line.encode()) for line, _ in wrapped], 0.9)
    return WrapWidths(chars, utf8,
                      max(len(line) for line, _ in wrapped if len(line) <= 1.15 * chars),
                      max(len(line.encode()) for line, _ in wrapped if len(line.encode()) <= 1.15 * utf8),
                      percentile([len(line) + 1 + len(word) for line, word in wrapped], 0.1),
                      percentile([len(line.encode()) + 1 + len(word.encode()) for line, word in wrapped], 0.1))


# What starts a line of its own after a line without a mark: a list's item ("1." "2)" "3-" "2011:",
# or "1 - ..."); see _goes_on_at.
_LIST_NUMBER = re.compile(r"\d+[.):\-–]")
_DASH = frozenset("-–—")
GOES_ON_MIN_SHARE = 0.6  # of the wrap width: a line filled that far was cut, not ended (EASC's: 0.73 and up)


def _goes_on_at(line: str, following: str, widths: WrapWidths, continuing: bool) -> bool:
    """Whether a line goes on in a following line that starts with a number or a lower-case word:
    one that filled most of the wrap width, or that itself goes on a paragraph (`continuing`), is no
    heading ("...التي شاركت في استبانات الدراسة" / "5.7 أشخاص", "...قنبلة يدوية على بعد" / "30 مترا",
    EASC); but a headline's date line, a list's or a timeline's item start so."""
    first, *rest = following.split(None, 2)
    if not (first[:1].isdigit() or "a" <= first[:1] <= "z"):
        return False
    chars, utf8 = widths.chars, widths.utf8
    filled = continuing or len(line) >= GOES_ON_MIN_SHARE * chars or len(line.encode()) >= GOES_ON_MIN_SHARE * utf8
    item = bool(_LIST_NUMBER.fullmatch(first)) or (first.isdigit() and bool(rest) and rest[0] in _DASH)
    return filled and not item and not is_date_line(following)


def _wrapped_before(line: str, following: str, widths: WrapWidths, continuing: bool = False,
                    opening: bool = False) -> bool:
    """Whether a hard-wrapped text's line goes on in the following one.

    It does when the following line's first word would not have fitted after it (that is
    what made the wrapper break; 10% slack) and it ends in no final mark: a shorter line
    is the end of a headline or heading, and a comma at the end of a line as long as the
    others is where a wrap fell. Or when the line was cut before a number or a lower-case
    word (_goes_on_at), whose width the wrapper may have measured otherwise. The text's
    `opening` line, where a headline stands, is held to the widths more closely (_not_cut).
    """
    bare = line.rstrip(CLOSERS_AFTER_A_MARK)
    if bare and bare[-1] in _PARAGRAPH_END or _LIST_ITEM.match(following):
        return False  # an ended line; or a list's item, which starts a line of its own
    if _goes_on_at(line, following, widths, continuing):
        return True
    word = following.split()[0]
    if opening and _not_cut(line, word, widths):
        return False
    chars, utf8 = widths.chars, widths.utf8
    mid_phrase = continuing and bare[-1:] not in _CLAUSE_END  # a paragraph's line cut off in mid-phrase
    if len(line) > 1.15 * chars and len(line.encode()) > 1.15 * utf8 and not mid_phrase:
        # Longer than the wrapper makes lines: a paragraph (a list item ending in a comma); but a
        # paragraph's line ending in mid-phrase ("... وذلك بأخذ" / "كمية متساوية منهما") was wrapped
        # all the same, wider than the lines the width was read from.
        return False
    return (len(line) + 1 + len(word) > 0.9 * chars) or (len(line.encode()) + 1 + len(word.encode()) > 0.9 * utf8)


def _not_cut(line: str, word: str, widths: WrapWidths) -> bool:
    """Whether the text's first line, where a headline stands (its length no part of the widths, read
    off the body), is plainly no line the wrapper cut: longer than the widest wrapped line and as long
    as a wrapped line with the word that did not fit after it (past the width, both ways it is read),
    or well short of the width with the next word fitting in the widest. One in between is taken as
    any line is, with the slack a wrapper that measures otherwise needs (a word processor's
    proportional widths: EASC's). A headline of 52 letters over a body wrapped at 60 was joined to the
    body's first sentence; the first line of a text without a headline, the longest by a letter, is
    no headline (that was taken for one)."""
    longer = ((len(line) >= widths.cut_before_chars and len(line) > widths.widest_chars)
              and (len(line.encode()) >= widths.cut_before_utf8 and len(line.encode()) > widths.widest_utf8))
    short = len(line) < 0.9 * widths.chars and len(line.encode()) < 0.9 * widths.utf8
    fitted = (len(line) + 1 + len(word) <= widths.widest_chars
              and len(line.encode()) + 1 + len(word.encode()) <= widths.widest_utf8)
    return longer or (short and fitted)


# The months' names, both series (يناير ... and the Levant's كانون ...: كانون الثاني, تشرين الأول
# take a second word, which _DATE_WORDS adds); page.py's date line reads them too.
MONTH_NAMES = ("يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
               "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين")
# Lines over an article that only date it or name its writer: "الخميس 5 أكتوبر 2023 - 10:30 م",
# "2023/10/05", "November 9, 2020" (a page's in English), "بقلم: أحمد محمد". Matched folded (text.fold), word by word.
_DATE_WORDS = frozenset(fold(
    f"""
    السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة
    {MONTH_NAMES} الأول الثاني
    ص م صباحا مساء الساعة هـ ه الموافق بتوقيت غرينتش gmt am pm
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
    """
).split())
# A byline names a writer: a name of a few words after the word, not a clause ("تقرير: نقص المياه
# يهدد ..." is a headline, and so is "حوار: ..."; those words are left out).
_BYLINE = re.compile(fold(r"(بقلم\b|بواسطة\b|(كتب|كتبت|الكاتب|الكاتبة|إعداد|ترجمة|متابعة|تحرير)\s*[:/\-–])"))
# "كتب محمد أحمد", without the colon: a byline only over a line that reads as the headline, and only
# when what follows could be a name ("كتب" is "books" too: "كتب جديدة للأطفال" is a headline, over its
# deck as well; "كتب نادرة" over a deck is not told from a byline).
_WRITTEN_BY = re.compile(fold(r"(كتب|كتبت)\s"))
WRITTEN_BY_MAX_WORDS = 4
BYLINE_MAX_WORDS = 5
MASTHEAD_MAX_WORDS = 8
# A date line gives a year or a time of day: "11 سبتمبر" or "30 يونيو" alone names an event.
_YEAR_OR_TIME = re.compile(r"\b(1[89]|20)\d\d\b|" + TIME_OF_DAY + r"|[\u0660-\u0669\u06f0-\u06f9]{4}")
# The publication date under its label, as a page prints it and text copied from it keeps: "تم نشره
# الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "آخر تحديث: 12/04/2020 - 10:30" (not "آخر تحديث للأسعار ...").
# Or how long ago: "منذ 3 ساعات".
_PUBLISHED_LABEL = re.compile(fold(r"(تم نشره|نشر في|نشر بتاريخ|تاريخ النشر|التاريخ|اخر تحديث)\b[\s:|\-–]*"))
_AGO = re.compile(fold(r"(منذ|قبل)\s+(\d+\s+)?(دقيقة|دقيقتين|دقائق|ساعة|ساعتين|ساعات|يوم|يومين|أيام|أسبوع|أسبوعين|أسابيع)"))


def is_date_line(line: str) -> bool:
    """Whether a line is a date (and time) alone: "الأحد 12 مارس 2023 - 10:45 ص", "2023/10/05"."""
    tokens = words(line)
    return (0 < len(line.split()) <= MASTHEAD_MAX_WORDS and bool(_YEAR_OR_TIME.search(line))
            and all(token.isdigit() or token in _DATE_WORDS for token in tokens))


def is_published_line(line: str) -> bool:
    """Whether a line dates the article: a date alone (is_date_line), under its label ("آخر تحديث:
    12/04/2020 - 10:30"), or how long ago ("منذ 3 ساعات" and "آخر تحديث: منذ 3 ساعات"); or such
    dates and bylines side by side ("تاريخ النشر: 12/04/2020 | آخر تحديث: 13/04/2020", "نشر في:
    الأحد 12 أبريل 2020 - بواسطة أحمد محمد")."""
    if _is_dated(line):
        return True
    parts = [part for part in _PUBLISHED_PARTS.split(line) if part.strip()]
    return (len(parts) > 1 and all(_is_dated(part) or _is_byline(part) for part in parts)
            and any(_is_dated(part) for part in parts))


_PUBLISHED_PARTS = re.compile(r"\s*[|•]\s*|\s[-–—]\s")


def _is_dated(line: str) -> bool:
    folded = fold(line.strip())
    label = _PUBLISHED_LABEL.match(folded)
    after_label = folded[label.end():] if label else folded
    return is_date_line(line) or bool(_AGO.fullmatch(after_label)) or bool(label and is_date_line(after_label))


# A dateline alone on its line over the body, as wires and the sites that copy them write it: a
# place of one or two words and the agency, in brackets or after a dash or a slash ("الرياض (واس)",
# "بيروت - (أ ف ب)", "القاهرة - رويترز", "غزة/ الأناضول"). Named agencies only: "ليبيا - تونس" and
# "الحرب في (غزة)" may head a report.
AGENCIES = ("رويترز|واس|وام|كونا|سانا|واج|وفا|بترا|إرنا|ارنا|الأناضول|الاناضول"
            "|فرانس برس|أ ?ف ?ب|ا ?ف ?ب|أ\\.ف\\.ب\\.?|د ?ب ?أ|أ ?ش ?أ|ا ?ش ?ا|شينخوا|سبوتنيك|يو ?بي ?آي"
            "|AFP|AP|Reuters")
# Agencies whose names are words too ("حريق في قنا", "لنعمل معا", "آثار مملكة سبأ"): bracketed or after a separator only.
AGENCIES_THAT_ARE_WORDS = "قنا|بنا|سبأ|معا|ومع|وكالات"
_AGENCY = r"(?:" + AGENCIES + r")(?!\w)"
_ANY_AGENCY = r"(?:" + AGENCIES + "|" + AGENCIES_THAT_ARE_WORDS + r")(?!\w)"
# The labels a page puts on a link to another article ("اقرأ أيضا:", "مواضيع ذات صلة", "للمزيد:", "قد يهمك:",
# "رابط مختصر"), as written: a line that opens with one goes from a page (mujaz.core.page, its pattern
# folded, as the line is); the extractive summariser never takes a sentence that opens with one; and
# the other article's title is set apart from the body sentence run into it (split_sentences).
LINK_LABEL = (r"(?:(?:اقرأ|اقرا|إقرأ|طالع|شاهد)\s+(?:[أا]يض" + ACCUSATIVE_ALEF + r"|(?:ال)?مزيد)(?!\w)"
              r"|(?:اقرأ|اقرا|إقرأ|طالع|شاهد|للمزيد)\s*:"
              r"|(?:(?:مواضيع|موضوعات|أخبار|اخبار|مقالات|روابط)\s+)?ذات\s+صلة(?!\w)"
              r"|(?:مواضيع|موضوعات|أخبار|اخبار|مقالات)\s+(?:متعلقة|مشابهة|مرتبطة|ذات\s+علاقة)(?!\w)"
              r"|(?:مواضيع|موضوعات)\s+ساخنة(?!\w)"
              r"|المزيد\s+من\s+(?:ال)?(?:أخبار|اخبار|مقالات)(?!\w)"
              r"|(?:قد\s+)?(?:يهمك|يعجبك|تهمك)(?:\s+[أا]يض" + ACCUSATIVE_ALEF + r"(?!\w)|\s*:)"
              r"|رابط\s+مختصر(?!\w))")
# A link's label run into the text, with the other article's title after it and the body going on
# after that: "اقرأ أيضا: قطاع البترول على الطريق الصحيح.. مصر تستعد ... وأشار الوزير إلى ...". The body
# starts at "و" and a reporting verb in the past, which opens a news sentence and hardly stands in a
# title (a title's verbs are in the present: "يشعل", "تستعد"), or at a word opening with "و"/"ف" after
# a media tag that ends the title ("(صور) وعن بنود ..."; "(صور) <another title>" is no body). Not
# inside a quotation the title opened. Without any of these the two stay one sentence, as before.
_LINKED_TITLE = re.compile(r"[-–—•*\s]*" + LINK_LABEL + r"\s*:?\s*")
_MEDIA = r"(?:صور[ةه]?|فيديو|[إا]نفوجراف(?:يك)?)"  # "(صور)", "(صورة)", "(فيديو)", "(انفوجرافيك)"
_MEDIA_TAG = r"\((?:بال)?" + _MEDIA + r"(?:\s*[و+]\s*(?:بال|ال)?" + _MEDIA + r")?\)"  # "(صور وفيديو)", "(صور + فيديو)"
# Narrower than SENTENCE_OPENING_VERBS, which a mark or a line's end comes before: here nothing does, so
# only verbs a title hardly holds ("وزير الصحة يتفقد مستشفى الجيزة وأعلن عن ..." is a title). Not "وتابع",
# which is also "and follow" ("وتابع آخر الأخبار عبر تطبيقنا"), nor "وكان", "وبين" ("and between").
_REPORTING_VERB = r"و(?:(?:أشار|أضاف|أوضح|قال|أكد|لفت|ذكر|كشف|جاء)(?:ت)?)(?!\w)"
_BODY_GOES_ON = re.compile(r"(?:" + _MEDIA_TAG + r")\s+(?=[وف][\u0621-\u064a])|\s+(?=" + _REPORTING_VERB + ")")
_OPEN_QUOTATION = (("«", "»"), ("“", "”"))
LINKED_TITLE_MIN_WORDS = 3
LINKED_BODY_MIN_WORDS = 4
_BODY_WORDS = re.compile(r"\s*(?:\S+\s+){%d}\S" % (LINKED_BODY_MIN_WORDS - 1))


def _linked_title_end(sentence: str) -> int | None:
    """Where the other article's title, after a link's label that opens `sentence`, ends and the
    body run into it begins (_BODY_GOES_ON), or None. One search from the label on, past a tag that
    opens the title ("اقرأ أيضا: (صورة) <title> وأشار ..."): linear in the sentence, which may be a
    whole flattened page."""
    label = _LINKED_TITLE.match(sentence)
    if label is None:
        return None
    goes_on = next((found for found in _BODY_GOES_ON.finditer(sentence, label.end())
                    if len(sentence[label.end():found.start()].split(maxsplit=LINKED_TITLE_MIN_WORDS))
                    >= LINKED_TITLE_MIN_WORDS), None)
    if goes_on is None:
        return None
    title = sentence[label.end():goes_on.start()]
    if (not _BODY_WORDS.match(sentence, goes_on.end())
            or any(title.count(opening) > title.count(closing) for opening, closing in _OPEN_QUOTATION)
            or title.count('"') % 2):
        return None
    return goes_on.end()


# A news agency's name in brackets, alone, after a sentence's mark: its credit (split_sentences).
_CREDIT_AFTER_THE_MARK = re.compile(r"\s*[(\[]\s*" + _ANY_AGENCY + r"\s*[)\]](?=\s|$)")
_DATELINE = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)?\s*(?:(?:[-–—/:]\s*)?\(\s*" + _ANY_AGENCY + r"\s*\)"
                       r"|[-–—/:]\s*" + _ANY_AGENCY + "|" + _AGENCY + r")\s*[-–—:]*")


# What a writer's name never holds, and a clause does: a preposition or a conjunction, alone or
# joined to its noun ("كتب جديدة للأطفال", "متابعة - التطورات في غزة", "بواسطة الذكاء الاصطناعي
# في المدارس" are headlines; "كتب محمد عبد الله السيد" and "بقلم: أحمد بن علي" are bylines). Not
# "على": folded (text.fold), it is the name "علي".
# A lone "و" joins two writers' names ("محمد و أحمد"); "بال" opens Maghrebi surnames (بالحاج, بالقاسم).
_NOT_IN_A_NAME = frozenset(fold("في من عن الى مع بين بعد قبل حول ضد عند لدى منذ خلال او ثم لا لم لن قد").split())
_JOINED_PREPOSITION = re.compile(fold(r"(لل|وال)[^\s]{2}"))  # not "والي": a name
# "بقلم" and a word with its colon ("كتب: أحمد علي من القاهرة") name a writer whatever follows.
_WRITER_NAMED = re.compile(fold(r"بقلم\b|[^\s]+\s*:"))


def _is_byline(line: str) -> bool:
    """A line naming the article's writer: "بقلم: أحمد محمد", "كتب - محمد أحمد", "بواسطة أحمد محمد"."""
    folded = fold(line)
    found = _BYLINE.match(folded)
    return (bool(found) and len(line.split()) <= BYLINE_MAX_WORDS
            and (bool(_WRITER_NAMED.match(found[0])) or _could_be_a_name(folded[found.end():])))


def _could_be_a_name(folded: str) -> bool:
    return not any(word in _NOT_IN_A_NAME or _JOINED_PREPOSITION.match(word) for word in folded.split())


def _is_masthead(line: str) -> bool:
    """A date, a byline, a dateline or a line without letters over the article: never its headline."""
    if not has_letters(line) or is_published_line(line):  # "***", "ـــ", "2023"
        return True
    if len(line.split()) > MASTHEAD_MAX_WORDS or _ends_like_prose(line):
        return False
    return bool(_DATELINE.fullmatch(line)) or _is_byline(line)


# Labels a site puts over a headline; any other one-word line may be the headline itself (a
# column's "الحصار" over its writer's name).
KICKERS = frozenset(fold("عاجل خاص حصري حصريا فيديو بالفيديو صور بالصور شاهد تقرير حوار تحليل رأي مقال "
                         "إنفوجراف انفوجراف "
                         # a site's sections, and the buttons copied with the page
                         "سياسة اقتصاد رياضة ثقافة فنون منوعات محليات دولي عربي عالمي تكنولوجيا صحة مجتمع حوادث "
                         "طباعة").split()) | {fold("حجم الخط")}
# A site's path to the article, copied with it: "الرئيسية » أخبار » اقتصاد", "Home > News".
_BREADCRUMB = re.compile(r"^(?:الرئيسية|الصفحة الرئيسية)\s*[»>›/]|^[^«<]*[»>›][^«<]*[»>›]")


def _is_kicker(line: str, following: str, under: str = "") -> bool:
    """A site's label over a headline ("عاجل", "فيديو"), its section or name (_is_section_name), or its
    path to the article: the line under it (`following`; `under`, the next line with text under that)
    is the headline when it reads as one and is no byline or date."""
    folded = fold(line)
    written_by = _WRITTEN_BY.match(folded)
    label = (fold(line.strip(" :-–|")) in KICKERS or bool(_BREADCRUMB.search(line))
             or (bool(written_by) and len(line.split()) <= WRITTEN_BY_MAX_WORDS and not _ends_like_prose(line)
                 and _could_be_a_name(folded[written_by.end():]))
             or _is_section_name(line, following, under))
    return label and _reads_like_headline(following) and not _is_masthead(following)


# A site's section or name over the headline, in text copied from its page (6 of 6 such pages, a review):
# a line of a few words over a much longer one that reads as a headline, when its words are a section's
# ("أخبار الفن", "عربي ودولي", "العالم العربي"), when it is not in Arabic ("featured"), or when the longer
# line has its date or byline under it, as a page's headline has ("تقارير مصرية", "بيروت اوبزرفر"). Not a
# short headline over its deck ("كتب جديدة للأطفال"), nor a column's name over its writer's.
SECTION_MAX_WORDS = 3
SECTION_HEADLINE_MIN_WORDS = 5
SECTION_WORDS = frozenset(fold(
    "أخبار اخبار تقارير عربي عربية دولي دولية عالم عالمي عالمية محلي محلية محليات سياسة سياسية اقتصاد اقتصادية "
    "رياضة رياضية فن فنون ثقافة ثقافية منوعات صحة تكنولوجيا علوم مجتمع حوادث شؤون آراء اراء مقالات متابعات "
    "تحقيقات عرب وطن"
).split()) | KICKERS


def _is_section_name(line: str, following: str, under: str) -> bool:
    length, headline_length = len(line.split()), len(following.split())
    if not (length <= SECTION_MAX_WORDS and headline_length >= max(SECTION_HEADLINE_MIN_WORDS, 2 * length + 1)
            and has_letters(line) and not any(character.isdigit() for character in line) and not _ends_like_prose(line)):
        return False
    section_words = all(_without_and_the(word) in SECTION_WORDS for word in fold(line).split())
    # (a line without letters is a masthead's, "***" too: under the headline, only a date alone counts)
    dated_under = _is_masthead(under) if has_letters(under) else is_published_line(under)
    return section_words or (arabic_share(line) == 0 and arabic_share(following) > 0.5) or dated_under


def _without_and_the(word: str) -> str:
    """A folded word without its "و" and "ال" ("والفن" is "فن"), when a word of two letters or more is left."""
    for prefix in ("و", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
    return word


# A list's item, marked as one ("- خفض الضرائب", as trafilatura writes a page's <li>): no heading,
# however short; its text is the article's, said (and translated) as a sentence is.
BULLET_ITEM = re.compile(rf"[-–*{INLINE_BULLETS}]\s+\w")  # not "* * *", a separator (extractive reads lists by it too)
_FIRST_ITEM = re.compile(r"\(?[1١أ]\s?[-.)–]")  # a list's first: its second may come after a paragraph
_LIST_ITEM = re.compile(
    BULLET_ITEM.pattern
    + r"|\d{1,2}\s*[-.)–]\s*[^\W\d_]"  # "1- ...", "2) ..."
    # "(3) ...", not "(55) مليون دولار"
    r"|\((?:[1-9]|1\d)\)\s*[-.–]?\s*(?!(?:مليون|ملايين|مليار|مليارات|ألف|آلاف)(?!\w))[^\W\d_]"
    r"|(?:[أبجدز]|هـ?)\s?[-)]\s*[^\W\d_]"  # the letters' order: "أ- ...", "ب) ..."
)


def joined(sentences: list[str], like: list[str] | None = None) -> str:
    """Sentences as one text, a space between them; but a list's items each on a line of its own, and
    what follows the list on a new line: run together, "ما يلي: - خفض الرسوم ... - زيادة الدعم ... وقال"
    read as one sentence. `like`: the sentences these translate, one for one, whose items decide."""
    shape = sentences if like is None else like
    text = sentences[0] if sentences else ""
    for index in range(1, len(sentences)):
        on_a_line = _LIST_ITEM.match(shape[index]) or _LIST_ITEM.match(shape[index - 1])
        text += ("\n" if on_a_line else " ") + sentences[index]
    return text


# A label a site or a desk puts before an article's first words, which plain text copied from it
# keeps (149 of ARGEn's 1,000 articles): the site's name ("السودان اليوم :", "حقائق أون لاين-", "الثورة نت/..",
# "المدينة نيوز :-"), a desk ("قسم الأخبار-", "متابعات - ") or a byline with the writer's name
# ("متابعة/ صادق هزبر –"). No part of the news: split off the first paragraph as a sub-heading, so
# the summary (and a headline made of its first sentence) opens on the news, while segment and
# translate still show it. Narrow, for an unknown name cannot be told from a phrase of the news: a
# name by its last word ("X اليوم" of a place, with a colon set apart by a space, as sites insert it:
# "وصل اليوم - الثلاثاء -" and "العراق اليوم: يوم حزين" are news, "الذهب اليوم:" a price report;
# "نيوز", "أون لاين" after one word), a desk from a closed list, a byline by its "/"; and the
# paragraph goes on for MIN_LABELLED_WORDS. A city's dateline, with an agency or not ("الكويت –
# (كونا) --", "دبي:", "القاهرة (رويترز) -"), is the news's own style and stays; so does a one-word
# name (a city's too, as in page.py).
SITE_PLACES = ("السودان مصر المصري ليبيا تونس الجزائر المغرب موريتانيا اليمن العراق سوريا سورية لبنان الأردن فلسطين "
               "الكويت قطر البحرين عمان الإمارات السعودية الخليج الصومال جيبوتي روسيا تركيا إيران أفريقيا إفريقيا "
               "الخرطوم القاهرة بيروت دمشق بغداد صنعاء عدن طرابلس الرياض جدة دبي").split()
_OPENING_LABEL = re.compile(
    r"(?P<label>(?:" + "|".join(SITE_PLACES) + r")\s+اليوم(?=\s+:)"  # set apart: "العراق اليوم: يوم حزين" is news
    r"|[^\W\d_]+\s+(?:نيوز|[أا]ون\s*لاين)"
    r"|[^\W\d_]+\s+نت(?=\s*/)"  # "الثورة نت/.." (a web edition's name), before a slash only
    r"|قسم\s+ال[أا]خبار|متابعات|وكالات"
    r"|(?:متابعة|استطلاع|تقرير|حوار|[إا]عداد|تحقيق|كتب|كتبت)\s*/\s*[^\W\d_]+(?:\s+[^\W\d_]+){0,2}(?=\s*[-–—]))"
    r"\s*(?::-|:|[-–—]{1,2}|/\s*(?:\.\.)?)(?:\s*[-–—](?=\s))?\s*[,،]?\s*"  # page.py's separators, ": –", "/..", a stray comma
)
MIN_LABELLED_WORDS = 8  # after the label: a paragraph, not a date alone ("السودان اليوم : 28/10/2019")


def opening_label(line: str) -> tuple[str, str] | None:
    """(label, rest) when `line` opens with a site's, a desk's or a writer's label (see above)."""
    found = _OPENING_LABEL.match(line)
    if not found or len(words(line[found.end():])) < MIN_LABELLED_WORDS:
        return None
    return found["label"], line[found.end():]


# An interviewer's prompt: "س: حدثنا عن ...", "س/ ما هي ...", "سؤال: ..." (the extractive summariser's questions too).
INTERVIEW_PROMPT = r"(?:س\s*[:/]|سؤال\s*:)"
_PROMPT = re.compile(r"\s*" + INTERVIEW_PROMPT)


def _opens_as_a_sentence(line: str) -> bool:
    """A line no heading opens so: a reporting verb ("وأكد ..."), or an interviewer's prompt. A short
    paragraph its writer left without a full stop was a sub-heading, and never summarised."""
    return bool(_PROMPT.match(line)) or _last_word(line.split(None, 1)[0]) in SENTENCE_OPENING_VERBS


# A label alone on its line, what it labels on the next, as text copied from a page keeps them ("التاريخ:" over
# "03 يونيو 2020", "الكاتب:" over a name, "آخر تحديث:" over a date; a review: 4 of 5 such labels): read as one
# line, a heading, not the label as the body's first sentence, which a summary took for the lead, passing
# over the real one. Only over a short line that ends as no paragraph does, and is no list's item.
LABEL_MAX_WORDS = 3
_LABEL = re.compile(r"[^.!?؟…:]*[^\W\d_][^.!?؟…:]*:")


def is_bare_label(line: str) -> bool:
    """A label of a few words with nothing after its colon: "التاريخ:", "الكلمات الدالة :", "مشاركة:"."""
    return len(line.split()) <= LABEL_MAX_WORDS and bool(_LABEL.fullmatch(line.strip()))


def is_list_item(line: str) -> bool:
    """A list's item, bulleted or numbered: "- خفض الضرائب", "1- ...", "(3) ..."."""
    return bool(_LIST_ITEM.match(line))


def _labels_joined(lines: list[str]) -> list[str]:
    joined_lines: list[str] = []
    for line in lines:
        if (joined_lines and is_bare_label(joined_lines[-1]) and line and len(line.split()) <= HEADING_MAX_WORDS
                and not _ends_like_prose(line) and not is_list_item(line)):
            joined_lines[-1] = f"{joined_lines[-1]} {line}"
        else:
            joined_lines.append(line)
    return joined_lines


def _next_with_text(lines: list[str], start: int) -> str:
    return next((line for line in lines[start:] if line), "")


def segment_article(text: str, title: str | None = None) -> list[Segment]:
    """The article's segments in document order (the headline first).

    `title` comes from HTML metadata when there is one; otherwise the first line
    is the headline when it reads like one (no final punctuation, not too long),
    passing over a date or byline above it (then kept as a heading).
    """
    lines = _labels_joined(unwrap([line.strip() for line in text.split("\n")]))
    segments: list[Segment] = []
    if title:
        segments.append(Segment("title", 0, title))
        if lines and lines[0] == title:
            lines = lines[1:]
    elif lines:
        first = 0
        while first < len(lines) - 1 and (_is_masthead(lines[first])
                                           or _is_kicker(lines[first], lines[first + 1], _next_with_text(lines, first + 2))):
            first += 1
        if first < len(lines) - 1 and _reads_like_headline(lines[first], lines[first + 1]):
            segments.append(Segment("title", 0, lines[first]))
            lines = lines[:first] + lines[first + 1:]
    lead = True  # the body's first paragraph is still to come
    for number, line in enumerate(lines, start=1):
        is_last = number == len(lines)
        if (not is_last and not _ends_like_prose(line) and len(line.split()) <= HEADING_MAX_WORDS
                and not _LIST_ITEM.match(line) and not _opens_as_a_sentence(line)):
            segments.append(Segment("heading", number, line))
            continue
        labelled = opening_label(line) if lead else None
        lead = False
        if labelled:  # the label as a sub-heading of its own, the paragraph's sentences after it
            segments.append(Segment("heading", number, labelled[0]))
            line = labelled[1]
        sentences = split_sentences(line)
        if is_last and sentences:
            sentences[-1:] = _source_set_apart(sentences[-1])
        segments.extend(Segment("sentence", number, sentence) for sentence in sentences)
    return segments


# The source a site credits at an article's end, run into its last sentence when the text lost its
# line breaks, as ARGEn's did (6 of its 59 that end on one): "... وحديد عز بنسبة 3% المصدر: اليوم السابع".
_SOURCE_AT_THE_END = re.compile(r"\s(المصدر\s*:\s*[^.!?؟:]+)$")
SOURCE_MAX_WORDS = 7  # "المصدر: اليوم السابع / محمود عسكر"
# What stands before a source speaking rather than a credit: a verb of saying ("ويقول المصدر: ..."),
# its object ("وقال لنا المصدر: ..."), a particle ("وأكد أن المصدر: ..."), "according to".
_BEFORE_A_SOURCE_SPEAKING = (ATTRIBUTION | {verb.removeprefix("و") for verb in SENTENCE_OPENING_VERBS}
                             | frozenset("إن أن ان لنا له لها لهم حسب بحسب وفق وفقا عن".split()))
_SPEECH_OPENS = frozenset(fold("فإن إن أن بأن").split())  # after the colon: what it said ("المصدر: فإن ...")


def _source_set_apart(sentence: str) -> list[str]:
    """The article's last sentence, and the source's credit run into its end as a sentence of its own
    (which summaries pass over: models.extractive's credits). Only a credit that names one: not a
    source speaking ("وقال لنا المصدر: لا اتفاق بعد", "وبحسب المصدر: فإن الأسعار سترتفع")."""
    found = _SOURCE_AT_THE_END.search(sentence)
    if not found:
        return [sentence]
    before = sentence[:found.start()].split()
    named = fold(found[1]).split(":", 1)[1].split()
    if (len(found[1].split()) > SOURCE_MAX_WORDS or not before or before[-1].removeprefix("و") in _BEFORE_A_SOURCE_SPEAKING
            or not _could_be_a_name(" ".join(named)) or named[:1] and named[0] in _SPEECH_OPENS):
        return [sentence]
    return [sentence[:found.start()].rstrip(), found[1]]


def title_of(segments: list[Segment]) -> str | None:
    return next((s.text for s in segments if s.kind == "title"), None)


def sentences_of(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments if s.kind == "sentence"]
