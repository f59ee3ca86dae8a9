"""A model-free, deterministic extractive summariser for Arabic news.

It picks whole sentences. What decides, measured on EASC's human extractive
summaries (bench/summary_peers.py, README): position above all — the first
sentence is in most human summaries and news puts its gist early — then
sharing words with the headline (a sentence saying what it says, where the lead
does not, comes second to the lead), and not being overly long (annotators with a
budget skip 50-word sentences), though a long lead still comes first, a
fragment (a byline) or a question after the first sentence weighs a fifth, a
sentence that leans on the one before it comes only with it, and a source,
credit or "read also" line never comes. Centrality-style scores (TextRank,
LexRank, word frequency) did worse than position alone on that data, so they are
not used; see the README for the figures and what was tried. The summary passes
over a sentence that would take it further past the budget than it falls short,
or fills the budget for a scorer that cuts every summary there (LengthBudget.fill).
"""

from __future__ import annotations

import heapq
import itertools
import re

# BULLET_ITEM: a list's item ("- ...", "• ..."); TERMINATORS and CLOSERS_AFTER_A_MARK: how a sentence ends
from mujaz.core.segment import (ACCUSATIVE_ALEF, BULLET_ITEM, CLOSERS_AFTER_A_MARK, INTERVIEW_PROMPT, KICKERS, LINK_LABEL,
                                TERMINATORS, is_bare_label, is_list_item, joined)
from mujaz.core.text import DIACRITICS, WESTERN_DIGITS, arabic_share, fold, has_letters, in_words, without_diacritics, words
from mujaz.models.base import LENGTHS, LengthBudget, Summariser, Summary

# Frequent Arabic function words, folded as by mujaz.core.text.fold.
STOPWORDS = frozenset(
    fold(
        """
        في من على الى إلى عن مع أن إن ان أو او ثم لا لم لن ما ماذا هذا هذه ذلك تلك هو هي هم هن
        كان كانت يكون تكون قد قال وقال وقالت قالت التي الذي الذين اللذين اللتين كل بعد قبل بين
        حتى عند عندما كما أيضا ايضا حيث وهو وهي فيه فيها منه منها عليه عليها به بها له لها لهم
        وفي ومن وعلى وأن وإن ولا ولم إلا الا غير أي اي نحو خلال ضمن لدى لكن ولكن بل إذا اذا
        أكثر اكثر أول اول وكان وقد فقد يوم اليوم أمس امس العام عام وذلك كذلك وكانت هناك هنا
        """
    ).split()
)
DEFAULT_SHARE = 0.25  # of the article's words, when no budget is given
DEFAULT_MAX_WORDS = 80
# A budget set from an article's length under --length short's words (35) is a short article's.
SHORT_ARTICLE_BUDGET = LENGTHS["short"].words
FIRST_SENTENCE_WEIGHT = 3.0
POSITION_DECAY = 0.15
LONG_SENTENCE_WORDS = 50  # whitespace tokens, as it was set on EASC (counted as words() it scores a little lower)
# A long lead is still the news: passed over, a summary would open on "وأضاف ..." with the who and
# what left out (29 of ARGEn's 919 of two sentences or more: leads of 90 words and more). Its length weighs at most
# this much, which keeps it first however long; a summary cuts it near the budget when it runs far past.
LEAD_LENGTH_FLOOR = 0.5
# A "sentence" of a few words is a byline, a source ("المصدر: وكالات"), a list's figure: no sentence
# for a summary (21 of those ARGEn summaries held one, being short), though it may stand in one
# where nothing else will do.
FRAGMENT_WORDS = 4
FRAGMENT_WEIGHT = 0.2
HEADLINE_WEIGHT = 0.5
# A question after the first sentence is an interviewer's, or a column's hook: the news is in the
# answer. An interview's questions are short and its answers long, so on length alone a summary
# could be all questions (the first sentence, a question or not, names the subject).
QUESTION_WEIGHT = 0.2
_QUESTION = re.compile(r"[؟?][!؟?.»\"'”’)\]]*\s*$")  # and "؟." "؟!" as typed
# What a wire or a page says around the news: a source or credit line (a short one: text without
# line breaks glues "بقلم فلان" to the lead), a "read also" teaser, an invitation to follow the
# site. Never in a summary, even where the budget covers the article.
CREDIT_WORDS = 8
_CREDIT = re.compile(r"\s*(?:(?:المصدر|مصدر الخبر|تحرير|بقلم|إعداد|اعداد|ترجمة)\s*:|بقلم\s)")
# A wire's credit for its Arabic service: "(إعداد رحاب علاء للنشرة العربية - تحرير محمد اليماني)" (Reuters').
_WIRE_CREDIT = re.compile(r"\s*\(?\s*(?:إعداد|اعداد|تحرير)\s+[^.()]{1,60}?للنشرة\s+العربية")
WIRE_CREDIT_WORDS = 16
_ALSO = r"[أا]يض" + ACCUSATIVE_ALEF
# (A page's share buttons' label in its copied text: "شارك هذا الخبر :", "مشاركه الخبر :", a review's.)
# ("التفاصيل في هذه الورقة التي تنشرها «الشعب»": the details are elsewhere, ARGEn row 642; not "والتفاصيل على
# النحو التالي:", a list's lead-in; mujaz.core.page has its own teasers, a page's lines around the article)
_TEASER = re.compile(r"\s*(?:" + LINK_LABEL + r"|تابعونا\s|(?:شارك|مشارك[ةه])\s+(?:هذا\s+)?(?:ال)?(?:خبر|مقال|موضوع)"
                     r"|[وف]?التفاصيل\s+(?:في|فى|على|عبر)\s+(?:هذ[اهة]\s+(?:ال)?|ال)(?:ورق|رابط|عدد|فيديو|موقع|صفح|ملف))")
TEASER_WORDS = 25  # a teaser's title ends without a mark: a longer "sentence" runs on into the news


# A sentence hardly in Arabic is no part of an Arabic brief: a page's English spam or caption
# ("Bootsy Collins. was his “No Parker since 1948.”"), a code or a link. Counted in words, not
# letters: "أطلقت شركة Samsung هاتفها Galaxy S24 Ultra" is Arabic news with long Latin names
# (4 of its 10 words Arabic, a fifth of its letters).
MIN_ARABIC_WORDS = 0.25  # or under: dropped, as the caption "هاتف HUAWEI P40 Pro (1) هاتف HUAWEI P40 Pro (2)"


def _arabic_word_share(sentence: str) -> float:
    """The share of a sentence's words with letters that are written in Arabic letters (1.0 when none has letters)."""
    lettered = [word for word in sentence.split() if has_letters(word)]
    return sum(arabic_share(word) > 0.5 for word in lettered) / len(lettered) if lettered else 1.0


# What a body of nothing but such sentences is said to be (a summary's note; brief's and summarise's error).
NOTHING_TO_SUMMARISE = ("nothing to summarise: the body is only source, credit, 'read also' or label lines, "
                        "or not in Arabic")


def not_the_news(sentence: str) -> bool:
    length = len(sentence.split())
    return bool((_TEASER.match(sentence) and length <= TEASER_WORDS) or (_CREDIT.match(sentence) and length <= CREDIT_WORDS)
                or (_WIRE_CREDIT.match(sentence) and length <= WIRE_CREDIT_WORDS)
                or _arabic_word_share(sentence) <= MIN_ARABIC_WORDS
                or fold(sentence.strip(" :-–|.")) in KICKERS)  # a site's label or button alone: "طباعة", "فيديو"


def _a_label_alone(sentences: list[str], index: int) -> bool:
    """A label with nothing after its colon and no list under it ("مشاركة:", "الكلمات الدالة :", "تاجز:", over
    the buttons or tags that a page's copied text lost): it says nothing, and as the body's first sentence it
    was taken for the lead, the real one passed over (a review). A list's lead-in ("وأبرزها:" over "- ...",
    "كما يلي:") stays with its list."""
    following = sentences[index + 1] if index + 1 < len(sentences) else ""
    return (is_bare_label(sentences[index]) and not _LIST_LEAD_IN.search(sentences[index])
            and not is_list_item(following))


def _is_news(sentences: list[str], index: int) -> bool:
    """A sentence a summary may say: not what is said around the news, not a label alone. One rule for the
    summariser (news_indices) and brief's and summarise's refusal of a body with none (has_news)."""
    return not not_the_news(sentences[index]) and not _a_label_alone(sentences, index)


def news_indices(sentences: list[str]) -> list[int]:
    return [index for index in range(len(sentences)) if _is_news(sentences, index)]


def has_news(sentences: list[str]) -> bool:
    """Whether any sentence is news (read up to the first that is, mostly the lead)."""
    return any(_is_news(sentences, index) for index in range(len(sentences)))


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and not w.isdigit() and len(w) > 1}


def score_sentences(sentences: list[str], title: str | None = None, lead: int = 0) -> list[float]:
    """A score per sentence: position prior (from the `lead`, the first sentence: see opening_fragments)
    x length factor x headline overlap."""
    headline = content_words(title) if title else set()
    scores = []
    for index, sentence in enumerate(sentences):
        position = abs(index - lead)
        prior = FIRST_SENTENCE_WEIGHT if position == 0 else 1.0 / (1.0 + POSITION_DECAY * position)
        length = len(sentence.split())
        length_factor = 1.0 if length <= LONG_SENTENCE_WORDS else (LONG_SENTENCE_WORDS / length) ** 2
        if position == 0:
            length_factor = max(length_factor, LEAD_LENGTH_FLOOR)
        if length <= FRAGMENT_WORDS and len(sentences) > 1:
            length_factor *= FRAGMENT_WEIGHT
        if position > 0 and _QUESTION.search(sentence):
            length_factor *= QUESTION_WEIGHT
        overlap = len(headline & content_words(sentence)) / len(headline) if headline else 0.0
        scores.append(prior * length_factor * (1.0 + HEADLINE_WEIGHT * overlap))
    return scores


class ExtractiveSummariser(Summariser):
    method = "extractive"
    ref = None

    def summarise(self, sentences: list[str], budget: LengthBudget, title: str | None = None) -> Summary:
        """The best sentences, in document order, until the budget of words is reached."""
        if not sentences:
            return Summary(text="", method=self.method, model=None, notes=[], sentences=[])
        limit = budget_in_words(sentences, budget)
        news = news_indices(sentences)
        if not news:
            return Summary(text="", method=self.method, model=None, sentences=[], words=limit,
                           notes=[NOTHING_TO_SUMMARISE])
        news = news[opening_fragments(sentences, news):]
        chosen, passed_over = choose_sentences(sentences, news, score_sentences(sentences, title, lead=news[0]), limit,
                                                budget.fill, title)
        order = sorted(chosen)
        kept, notes = _as_kept(sentences, order, limit)
        # In this order: quotations_closed reads a kept sentence unlike its own as one cut near the budget, and
        # lists_left_out may leave one out, after which `kept` no longer lines up with `order`.
        kept = quotations_closed(sentences, news, order, kept)
        kept = lists_left_out(sentences, news, order, kept)
        used = sum(len(words(sentence)) for sentence in kept)
        # Whole sentences otherwise: say so when that doubles the budget, all of them chosen too
        # (short ones, then a 90-word one); but for a one-sentence article, its own summary, and for
        # a short article's lead alone at a budget mujaz set from its length (a 16-word article's 4;
        # under 140 words, where a quarter is less than short's 35: a 112-word lead over a 200-word
        # article's 51 is said).
        set_by_length = (budget.words is None or limit < budget.words) and limit < SHORT_ARTICLE_BUDGET
        if used > 2 * limit and len(sentences) > 1 and not (set_by_length and kept == sentences[:1]):
            notes.append(f"a budget of {in_words(limit)} is shorter than the sentences chosen; "
                         f"the summary keeps whole sentences ({in_words(used)})")
        elif passed_over and used < limit / 2:  # nearer the budget than with that sentence, but far from it
            notes.append(f"a budget of {in_words(limit)}: the summary holds {in_words(used)} (its next best sentence, "
                         f"of {in_words(passed_over)}, would have taken it to {in_words(used + passed_over)})")
        return Summary(text=joined(kept), method=self.method, model=None, notes=notes, sentences=kept, words=limit)


def budget_in_words(sentences: list[str], budget: LengthBudget) -> int:
    """The budget asked for, or for medium a quarter of the article (at most DEFAULT_MAX_WORDS);
    --length short is never longer than that: under 140 words a quarter is less than 35."""
    if budget.words is not None and budget.name != "short":
        return budget.words
    total = sum(len(words(s)) for s in sentences)
    default = min(DEFAULT_MAX_WORDS, max(1, round(total * DEFAULT_SHARE)))
    return default if budget.words is None else min(budget.words, default)


def opening_fragments(sentences: list[str], news: list[int]) -> int:
    """How many of the news sentences open the text mid-sentence, before its lead: text whose first
    lines were lost (a page's deck, a cut: "التي شملها الاستطلاع شهدت ...", "مما ولد حالة من الاحتقان
    ...", ARGEn rows 52, 57, 88, 201, 418, 872) opens on the end of a sentence no reader gets, and a
    summary opening on it opened on nothing. Each is a clause cut off ("الذي ...", "مما ...", "مؤكدا أن
    ...") or opens on "and" and leans on a sentence before it ("وأضاف في جانب آخر أن ...") or points back
    at it ("وهو ما يطرح ...", "وتلاها توقيع ...", "وعلاوة على ذلك"; ARGEn rows 180, 650); a verb
    without "and" opens news ("قال أنطونيو غوتيريش ...", "أعلن عن وفاة الفنان ..."), and so do "بينما ..."
    and "في حين ...". None when every one is cut: the text is that."""
    count = 0
    while count < len(news) and _opens_mid_sentence(sentences[news[count]]):
        count += 1
    return 0 if count == len(news) else count


def _opens_mid_sentence(sentence: str) -> bool:
    opening = _opening(sentence)
    return bool(_CUT_OFF.match(opening) or _PARTICIPLE_OPENING.match(opening)
                or (_AND.match(opening) and (leans_on_the_one_before(opening) or _POINTS_BACK.match(opening))))


_AND = re.compile(r"و|ف(?!ي\s|يما\s)")  # not في, فيما ("في حين أعلنت ..." opens news)


# Words a sentence may run to, past twice the budget, before it is cut rather than kept whole.
RUN_ON_WORDS = 120


def runs_on(length: int, limit: int) -> bool:
    """Whether a "sentence" of `length` words is a run-on one (text without full stops reads as
    one): it would make the summary the article itself, and its translation as long."""
    return length > max(2 * limit, RUN_ON_WORDS)


def counted_words(sentence: str, limit: int) -> int:
    """A sentence's words as budgets count them (mujaz.core.text.words: a dash or a lone comma is
    not a word); a run-on one counts the budget, being cut near it (_as_kept)."""
    length = len(words(sentence))
    return limit if runs_on(length, limit) else length


def _neighbours(news: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Each news sentence's news sentence before it and after it. What a sentence leans on is the news
    sentence before it: a source line between them is no part of a summary, and would keep "وأضاف أن ..."
    out of it."""
    return dict(zip(news[1:], news)), dict(zip(news, news[1:]))


def choose_sentences(sentences: list[str], news: list[int], scores: list[float], limit: int,
                     fill: bool = False, title: str | None = None) -> tuple[set[int], int]:
    """The indices of the news sentences a summary of `limit` words takes, and the words of the best
    one passed over for its length (0 when none was). Sentences are taken best first.

    A sentence that would take the summary further past the budget than it falls short is passed
    over for a shorter one, unless `fill` (LengthBudget.fill: a scorer that cuts every summary at
    the budget)."""
    one_before, one_after = _neighbours(news)
    chosen: set[int] = set()
    said: list[set[str]] = []  # what each sentence chosen (with its lead-in) says
    named = stems(title) if title else set()  # every word the headline and the sentences chosen say
    used = 0
    passed_over = 0
    # The sentence that says what the headline says, where the lead does not, comes second to the lead
    headline_index = headline_sentence(sentences, news, title)
    if headline_index is not None and runs_on(len(words(sentences[headline_index])), limit):
        headline_index = None  # cut near the budget, it would keep its first words, not the headline's
    priority = {i: -scores[i] for i in news}
    if headline_index is not None:
        priority[headline_index] = -max(scores[i] for i in news)  # a tie with the lead: after it, by index
    # Best first. A sentence that leans on the one before it waits for that one, and comes back
    # in its place once that one is chosen (the one before often scores lower: longer, or a
    # list's short lead-in).
    queue = [(priority[i], i) for i in news]
    heapq.heapify(queue)
    waiting: set[int] = set()
    quoted = inside_quotations(sentences, news)
    answers, answers_going_on = interview_answers(sentences, news)
    first_said = _where_first_said(sentences, news)

    def speaker_not_introduced(index: int) -> bool:
        """A speaker named by one word the article said before (the speaker introduced there), the summary not."""
        speaker = speaker_named_by_one_word(sentences[index])
        return speaker is not None and first_said.get(speaker, index) < index and not _named(speaker, named)

    def waits(index: int) -> bool:
        # (An interview's answer does not wait for its question: it comes with it, "هذه خطوة أولى ..." too.)
        return index in one_before and one_before[index] not in chosen and index not in answers and (
            index in quoted or index in answers_going_on or leans_on(sentences[one_before[index]], sentences[index])
            or points_at_the_unsaid(sentences[index], named) or speaker_not_introduced(index))

    while queue:
        _, index = heapq.heappop(queue)
        if index in chosen:
            continue  # taken with the lead-in before it
        if waits(index):
            waiting.add(index)
            continue
        taken = _taken_with(index, sentences, news[0], one_before, one_after, chosen, answers)
        length = sum(counted_words(sentences[i], limit) for i in taken)
        if passed_over and (length <= FRAGMENT_WORDS or _QUESTION.search(sentences[taken[-1]])):
            continue  # a byline, a figure or a question filling the gap a longer sentence left
        says = what_it_says(" ".join(sentences[i] for i in taken))
        if any(repeats(says, earlier) for earlier in said):
            continue  # the news again, in other words or as a page's teaser of itself
        past_the_budget, short_of_it = used + length - limit, limit - used
        if (chosen and not fill and past_the_budget > short_of_it
                and not (index == headline_index and used + length <= HEADLINE_SENTENCE_REACH * limit)):
            passed_over = passed_over or length
            continue  # a shorter one further down may come nearer
        chosen.update(taken)
        said.append(says)
        named.update(*(stems(sentences[i]) for i in taken))
        used += length
        if used >= limit:
            break
        # What waited comes back once it waits no more: the sentence before it, its speaker or the thing
        # it points at now in the summary
        for ready in [waiting_one for waiting_one in waiting if not waits(waiting_one)]:
            waiting.discard(ready)
            heapq.heappush(queue, (priority[ready], ready))
    return chosen, passed_over


def _where_first_said(sentences: list[str], news: list[int]) -> dict[str, int]:
    """Each word the article says (as a stem), and the news sentence it says it first in."""
    first_said: dict[str, int] = {}
    for index in news:
        for stem in stems(sentences[index]):
            first_said.setdefault(stem, index)
    return first_said


def _taken_with(index: int, sentences: list[str], lead: int, one_before: dict[int, int], one_after: dict[int, int],
                chosen: set[int], answers: set[int]) -> list[int]:
    """The sentence `index` and those that come with it into a summary, in order. A lead-in ending in a
    colon comes with what it introduces, or not at all, and a bulleted list's first item (which waits for
    its lead-in, colon or not) with all the others: "the five winners: ● Amal" named one. So does a
    question (but the first sentence's) with its answer, and an interview's answer with its question."""
    taken = [index]
    if index in answers and one_before[index] not in chosen:
        taken.insert(0, one_before[index])
    while taken[-1] in one_after and one_after[taken[-1]] not in chosen:
        sentence, following = sentences[taken[-1]], sentences[one_after[taken[-1]]]
        # a list's next item, the list being taken from its lead-in (not a digest's items, each a piece
        # of news: the first sentence of one would pull them all in)
        in_a_list_begun = len(taken) > 1 or one_before.get(taken[0]) in chosen
        if not (introduces(sentence, first=taken[-1] == lead, following=following)
                or _lead_in_to_a_list(sentence, following) or (_next_item(sentence, following) and in_a_list_begun)):
            break
        taken.append(one_after[taken[-1]])
    return taken


HEADLINE_SHARE = 0.5  # of the headline's words a sentence says, to say the headline
HEADLINE_SENTENCE_REACH = 1.5  # of the budget: how far that sentence may take a summary


# Where a two-part headline is cut in two: "بعد تعليق الإضراب: ملف جديد ...", "... بالرباط .. وتوقعات ...".
_HEADLINE_PARTS = re.compile(r"\s*(?::|\.\.+|…|!)\s*")


def headline_sentence(sentences: list[str], news: list[int], title: str | None) -> int | None:
    """The news sentence after the lead that says what the headline says, where the lead does not:
    it holds half the headline's words or more (as stems; a figure of it counts as two), and two more
    than the lead. A headline is often written from the second or third paragraph ("39% يتوقعون ارتفاع
    التضخم" over a lead on the optimists; "صندوق النقد يحذر: ..." over the news of a visit), and a summary
    without that sentence misses the story the reader was promised. A two-part headline is two headlines, when the whole
    finds none: a kicker and a title of 14 words had no sentence saying half of it. (EASC's titles,
    a topic's word or two, never have one.)"""
    if not title:
        return None
    for headline in [title, *(part for part in _HEADLINE_PARTS.split(title) if part != title)]:
        found = _sentence_saying(sentences, news, headline)
        if found is not None:
            return found
    return None


# A figure of the headline says as much as two of its words: "'دايس' تستغنى عن 900 عامل .. ورئيسها: 200 فقط"
# was written from the sentences holding 900 and 200 (ARGEn rows 411, 418, 544: the summary took the lead
# and its next sentences, and never said the headline's figures).
HEADLINE_FIGURE_WEIGHT = 2


def _sentence_saying(sentences: list[str], news: list[int], title: str) -> int | None:
    def content_stems(text: str) -> set[str]:
        return {_stem(word) for word in content_words(text)}

    headline, figures = content_stems(title), telling_figures(title)
    if len(headline) < 3 or len(news) < 2:
        return None

    def how_much_it_says(sentence: str) -> int:
        return len(headline & content_stems(sentence)) + HEADLINE_FIGURE_WEIGHT * len(figures & telling_figures(sentence))

    share = HEADLINE_SHARE * (len(headline) + HEADLINE_FIGURE_WEIGHT * len(figures))
    lead_says = how_much_it_says(sentences[news[0]])
    if lead_says >= share:
        return None
    # Not a question: an interviewer's words the headline's echo ("هل يمكن ...؟" over "لا يمكن ...")
    says = {index: how_much_it_says(sentences[index]) for index in news[1:] if not _QUESTION.search(sentences[index])}
    best = max(says, key=lambda index: (says[index], -index), default=None)
    return best if best is not None and says[best] >= max(share, lead_says + 2) else None


def _as_kept(sentences: list[str], indices: list[int], limit: int) -> tuple[list[str], list[str]]:
    """The chosen sentences as the summary keeps them, and notes on those it cut."""
    kept, notes = [], []
    for index in indices:
        sentence, length = sentences[index], len(words(sentences[index]))
        if runs_on(length, limit):  # cut near the budget
            sentence = cut_near(sentence, limit)
            notes.append(f"a sentence of {in_words(length)} was cut near the budget of {in_words(limit)}")
        kept.append(sentence)
    return kept, notes


_DETACHED_AND = re.compile(r"^\s*([وف])\s+(?=\w)")  # "و أضاف": "وأضاف" as some type it


def _opening(sentence: str) -> str:
    """The sentence as the rules on its opening read it: "و أضاف أن" as "وأضاف أن" (28 of ARGEn's sentences
    open so), "وأَضافَ" as "وأضاف" (2% of ARGEn's and EASC's sentences have diacritics)."""
    return _DETACHED_AND.sub(r"\1", without_diacritics(sentence))

# A speaker's verb opening a sentence ("وقد أشار", "ثم أضاف" too), and the present: "ويضيف", "ويرى". (The
# past's "وأعتبر" as some misspell it, not the first person's "أعتبر أن".) Speech verbs are listed in two more
# places, each for its own grammar and not to be merged with this one: _OPENS_A_QUOTATION (the word before a
# quotation mark: a statement's nouns too, with articles) and _SAID_AFTER (a speaker after a quotation, on
# folded text: "كتب", "صرح", "علق" too); and deeds in _A_DEED_WITH_NO_DOER and _PARTICIPLE_OPENING.
_SAYS = (r"(?:(?:كما|وقد|فقد|قد|ثم)\s+)?[وف]?(?:[أا]ضاف|[أا]كد|قال|[أا]شار|[أا]وضح|تابع|لفت|بين|[أا]بان|شدد|ذكر|اعتبر"
         r"|(?<=[وف])أعتبر|كشف|[أا]فاد|نوه|استطرد|[أا]ردف|مضى|اختتم|ختم|[أا]علن|ر[أا](?:ى|ت|وا)|لاحظ"
         r"|[يت](?:ضيف|قول|ؤكد|شير|وضح|رى|رون))(?:ت|وا|ون)?")
# "His talk", "her speech": what a speaker ends ("واختتم حديثه بالقول", "وختم كلمته قائلا").
_TALK = ("حديث", "كلمت", "تصريح")
_HIS_TALK = r"(?:" + "|".join(_TALK) + r")(?:ه|ها)"
# After a deed's verb and what it was done to, "ذلك" or "هذا" then a word that is no preposition or time: the doer
# ("وأشارت إلى ذلك مصادر مطلعة", "كشف عن ذلك مدير مكتب العمل").
_NO_DOER_AFTER = (r"(?!(?:ذلك|هذا)\s+(?!(?:في|فى|خلال|أمس|امس|اليوم|عبر|أثناء|اثناء|لدى|أمام|امام|بعد|قبل|من|إلى|الى|"
                  r"عل[يى]|مع)(?!\w)))")
# The second half of a sentence a full stop cut: "حيث أن ...", "إذ تتميز ...", a reason or a relative clause
# ("للقراء . لأن التعرف عليه ...", "التي توضع باللحوم ...": EASC's health (8)); "provided that ...", "which led
# to ...": the one before's condition and consequence (ARGEn rows 394, 741), not "among what is told" ("مما يذكر
# أن", "مما يجدر ذكره") nor "no doubt" ("مما لا شك فيه").
_CLAUSE_CUT_OFF = r"(?:حيث|إذ|اذ|لأن|الت[يى]|الذ[يى]|الذين)\s|عل[ىي]\s+[أا]ن\s|مما\s+(?!يذكر|يجدر|تجدر|لا)"
_CUT_OFF = re.compile(_CLAUSE_CUT_OFF)
# The kinds of sentence that cannot stand without the one before it (_LEANS_ON_THE_ONE_BEFORE). A summary
# that takes one without the other tells of "he", of a deed no one did, or of item 2 out of nowhere.
# A speaker's words with the speaker left to the sentence before ("وأضاف أن ...", "وتابع: "): a speaker's
# verb, then what is said at once: no speaker named between ("وأضاف الوزير أن", "وأضافت «زين» أن" name one),
# "also" or "for his part" at most ("وبين ايضا ان", "وأضاف في جانب آخر أن")
_SPEAKERS_WORDS_AT_ONCE = (
    _SAYS +
    r"(?:\s+(?:" + _ALSO + r"|كذلك|بدور(?:ه|ها|هم)|من\s+(?:جهت|جانب)(?:ه|ها|هم)"
    r"|(?:في|من)\s+(?:جانب|ناحية|جهة|سياق)\s+\S+))?"
    # (أن a word: not "ذكرت أنباء", "قال أنطونيو غوتيريش", "إبان انتخابات")
    r"\s*،?\s*(?:قائلا\s*:?|(?:(?:إلى|الى|عل[ىي])\s+|ب)?[أاإ]ن(?:ه|ها|هم|هما|نا|ني)?(?!\w)|:"
    # or a quotation at once ("وأضافت 'إننا ..."), but not a speaker named in quotes ("وأكد «مميش» أن",
    # "وأشارت 'السعيد'، في بيان")
    r"|[«“”'\"](?![^«»“”'\"]{1,25}[»”“'\"]))"
)
_GOES_ON = r"[وف]تابع(?:ت)?\s*،"  # "وتابع، ..." goes on with the speaker's words
# A deed of the one before's subject, none named: "ودعا إلى ...", "وأعرب عن ...", "وعبر عن اندهاشه ...",
# "فيما أشاد بروح التعاون"
# (a بـ after the verb may open its subject: "طالب بنك السودان", "وحذر بوب", "فيما رحبت بكين")
_A_DEED_WITH_NO_DOER = (
    r"(?:(?:كما|فيما)\s+)?[وف]?(?:[أا]شاد|رحب|[أا]عرب|عبر|دعا|دعت|طالب|حذر|ناشد|[أا]شار|لفت|نوه)(?:ت|وا)?\s+(?:عن|إلى|الى|من)\s"
    + _NO_DOER_AFTER
)
# "كما أعلن عن خفض ...", "وكشف أيضا عن وجود ..." (ARGEn row 21: the central bank's governor in a sentence left out)
# (not "كشف عن ذلك مدير مكتب العمل ...", the doer after what was revealed, ARGEn row 880; "وأعلن عن ذلك في
# مؤتمر صحفي" names none)
_TOLD_OF_WITH_NO_DOER = (
    r"(?:(?:كما|فيما)\s+)?[وف]?(?:[أا]علن|كشف|تحدث)(?:ت|وا)?\s+(?:(?:" + _ALSO + r"|كذلك)\s+)?عن\s" + _NO_DOER_AFTER
)
# "وتطرق إلى موضوع النمو ...", "وختم بالتأكيد على ...", "واختتم حديثه بالقول" (ARGEn rows 418, 872)
# (not "اختتمت بورصة اثينا ...", a subject opening with ب)
_TOUCHED_ON = r"[وف]?تطرق(?:ت|وا)?\s+(?:إلى|الى|ل)"
_ENDED_WITH = r"[وف]?(?:اختتم|ختم)(?:ت|وا)?\s+(?:" + _HIS_TALK + r"\s+)?ب(?:ال|[أا]ن)"
_PRAISED_OR_ASKED_FOR = r"(?:كما|فيما)\s+(?:[أا]شاد|رحب|طالب|ناشد)(?:ت|وا)?\s+ب(?:ال|جهود|دور|روح)"  # not "كما طالب بوتين"
# The second half of a sentence a full stop cut: "بينما تمتلك ...", "في حين أعلنت ...", _CLAUSE_CUT_OFF
_SECOND_HALF = r"(?:بينما|في\s+حين)\s|" + _CLAUSE_CUT_OFF
_NUMBERED_ITEM = r"[\d٠-٩]{1,2}\s*[-.)–]\s*[^\W\d_]"  # an item's number, and a letter after it (the first's: on its lead-in)
# or its ordinal, from the second on: "ثانيا: شركات تجاوزت خسائرها ..." (ARGEn rows 286, 512); "أولا"
# opens prose too ("أولا، لا بد من ...")
_ORDINAL_ITEM = r"[وف]?(?:ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع|عاشر)" + ACCUSATIVE_ALEF + r"\s*[:،,\-–—ـ]"
_LEANS_ON_THE_ONE_BEFORE = re.compile("|".join([
    _SPEAKERS_WORDS_AT_ONCE, _GOES_ON, _A_DEED_WITH_NO_DOER, _TOLD_OF_WITH_NO_DOER, _TOUCHED_ON, _ENDED_WITH,
    _PRAISED_OR_ASKED_FOR, _SECOND_HALF, _NUMBERED_ITEM, _ORDINAL_ITEM,
]))


# Or a clause whose subject was the sentence before's, cut off by a full stop: "مؤكدا أن ...",
# "مشيرة إلى ...", "داعيا إلى ..." (22 such sentences in ARGEn's 1,000 articles, every one a continuation).
# The masculine "-ا" is that clause's own form; the others are nouns too ("لافتة كبيرة", "مضيفة
# طيران", "داعية إسلامي", the name "مشيرة"), so they need what is said after them: أن(ه), إلى, على,
# عن, من, بـ, ":".
_PARTICIPLE_OPENING = re.compile(
    r"[وف]?(?:مؤكد|مشير|مضيف|لافت|واصف|داعي|معتبر|موضح|مبين|منوه|مشدد|قائل|كاشف|معرب|مطالب|مبرز|معلن|مستدرك|مستطرد|محذر|مشيد)"
    r"(?:" + ACCUSATIVE_ALEF + r"(?=\s|$)|(?:ة|ين|تين|ان|ات)\s*(?:(?:أن|إن|ان)\w*|(?:إلى|الى|على|عن|من)(?=\s)|ب\w+|:))"
)


def leans_on_the_one_before(sentence: str) -> bool:
    """Whether `sentence`, as _opening reads it (diacritics off, "و أضاف" joined), opens as one of the kinds
    that lean on the sentence before it (_LEANS_ON_THE_ONE_BEFORE, _PARTICIPLE_OPENING)."""
    return bool(_LEANS_ON_THE_ONE_BEFORE.match(sentence) or _PARTICIPLE_OPENING.match(sentence))


# "In addition to", "besides", as some spell them ("فضلاً", "علاوه").
_IN_ADDITION_TO = r"[وف]?(?:(?:ب?ال)?[إا]ضاف[ةه]\s+(?:إلى|الى|ل)|علاو[ةه]\s+عل[ىي]|فضل" + ACCUSATIVE_ALEF + r"\s+عن)"

# A sentence that points back at what was said before it: "هذا بالإضافة إلى ...", "وهذه الأسئلة ...",
# "كل ما سبق", or an answer's "نعم، ..." (taken alone, it answers a question the summary left out).
_POINTS_BACK = re.compile(
    r"[وف]?(?:هذا|هذه|ذلك|تلك|هؤلاء)\s+(?:بالإضافة|الحديث|الأسئلة|الأمر|الإجراء|الكلام|القول|الرأي)(?!\w)"
    # what follows from, or comes after, the one before: "ويمكن بالتالي ...", "ولذلك ...", "وتلاه سهم ..."
    r"|(?:\S+\s+)?[وف]?(?:بالتالي|لذلك|لذا|لهذا(?!\s+ال)|تلاه|تلته|تلاها|يليه|تليه)(?!\w)"  # not "لهذا العام"
    r"|.*(?<!\w)ما\s+سبق(?!\w)"
    r"|(?:نعم|كلا|طبعا|بالتأكيد|بالطبع)\s*[،,]"
    # "it too ...", "which is what ...": the one before's subject ("كما أنها تستند ...", "وهو ما ...")
    r"|[وف]?كما\s+(?:[أا]ن|إن)(?:ه|ها|هم|هما)(?!\w)"
    r"|(?:وهو|وهي|فهو|فهي)\s+ما(?!\w)"
    # "as for the second one": a list's later item, its first in the one before ("أما النموذج الثاني فهو ...")
    r"|[وف]?[أا]ما\s+(?:ب?ال\w+\s+){1,2}ال(?:ثاني|ثالث|رابع|خامس|سادس|[أا]خير)[ةه]?(?!\w)"
    # "in addition to that", "even so": to what the one before said ("وعلاوة على ذلك، فإن النفط ...",
    # "ومع هذا ..."); "in addition to" a thing, with no clause of its own after a comma: a list's end
    # ("بالإضافة إلى العيدان المدرفلة، ومصنوعات أخرى ...", ARGEn rows 274, 960), where "وفضلا عن الكاميرا
    # الخلفية، تضم السلسلة ..." and "..., فإن الوزارة ..." stand (one with no comma before its clause waits)
    rf"|{_IN_ADDITION_TO}\s+(?:ذلك|هذا|ما)(?!\w)|{_IN_ADDITION_TO}(?!.*[،,]\s*(?!و)\w)"
    r"|[وف]?(?:مع|رغم|برغم|بالرغم\s+من|عل[ىي]\s+الرغم\s+من)\s+(?:ذلك|هذا)(?!\w)(?!\s+ال)"  # not "ومع هذا التطور"
    # set against it, or going its way: "ومقابل ذلك إستقرت أسعار ...", "وفي الاتجاه ذاته، ارتفعت القروض ..." (a review:
    # ARGEn rows 16, 230, each the rise in a sentence left out)
    r"|[وف]?(?:في\s+)?(?:ب?مقابل\s+(?:ذلك|هذا)(?!\w)(?!\s+ال)|(?:ال)?اتجاه\s+(?:ذاته|نفسه)(?!\w))"  # not "مقابل ذلك الدعم"
    # what the one before said, explained: "وفسر خرباش ذلك بأن ..." (ARGEn row 347), "وبرر المتحدث الموازنة هذه بـ"
    r"|[وف]?(?:فسر|عزا|عزت|[أا]رجع|برر|علل)\w*\s+(?:\S+\s+){0,2}?(?:ذلك|هذا|هذه)(?!\w)(?!\s+ال)"
    # "this" as the subject, no noun of its own: "وهذا يعني ...", "وذلك بعد أن ...", "هذه خطوة ...", "و هذا
    # قرار الجهات الصحية" (ARGEn row 709), "هذا ما ...". Not a new paragraph's "so": "هذا وقد ...", "هذا، ...",
    # "هذا تضم الجامعة ..." (a feminine verb: not هذا's), "هذا يذكر/يشار/تجدر الإشارة ..."; "هذا العام" and
    # "هذه الاتفاقية" are _POINTED_AT's.
    r"|[وف]?هذا\s+(?!ال|و|ت|(?:يذكر|يشار|فيما|كما)(?!\w))|[وف]?(?:ذلك|هذ[هة])\s+(?!ال|و)"
    # or what the one before's "this" is said of: "وأكدت الشبكة أن هذا لا يعني ..." (ARGEn rows 540, 603)
    r"|(?:\S+\s+){0,5}?(?:أن|إن|ان|ب[أا]ن)\s+(?:هذا|هذه|ذلك)\s+(?!ال|و)"
    # and why the one before's thing is so: "ويعود هذا الارتفاع إلى ..." (ARGEn row 710: the rise in a
    # sentence left out, a rise of another thing said before); not a time that "returns": "ويعود هذا العام ..."
    r"|[وف]?(?:يعود|يرجع|يعز[ىي]|تعود|ترجع|تعز[ىي])\s+(?:هذا|هذه|ذلك)(?!\w)"
    r"(?!\s+ال(?:عام|شهر|[أا]سبوع|[أا]يام|موسم|يوم|ليل[ةه]|صباح|مساء|مر[ةه]|سن[ةه]|صيف|شتاء|ربيع|خريف)(?!\w))"
)

# A speaker named by one word, what is said at once after it: "وأكدت الورع أن ...", "وأشار النجيب في
# تصريحات ...", "وأضاف البيان أن ...". Named so, the speaker is one the article introduced before
# ("أماني الورع، نائبة المدير العام"): without that sentence a summary tells of "الورع" out of nowhere
# (ARGEn rows 382, 706, 716, 786, 902). Not a title and where, the name after it: "وأكد النائب في
# مجلس الأمة جمال سليماني أن ...".
_SAID_BY_ONE_WORD = re.compile(
    # the name in quotes too ("وأشارت 'السعيد' إلى"), after بن, أبو ... ("وأضاف بن يوسف أن": حاتم بن يوسف)
    _SAYS + r"\s+(?:['«\"“](\w{3,})['»\"”]|(?:(بن|ابن|[أا]بو|آل|ولد)\s+)?(\w{3,}))\s*[،,]?\s*"
    r"(?:(?:(?:[أا]ن|إن|ب[أا]ن)(?:ه|ها|هم|هما|نا)?|إلى|الى|(?:" + _HIS_TALK + r"\s+)?قائلا)(?!\w)|:"
    r"|(?:في|فى)\s+(?:تصريح|بيان|حديث|كلم|مؤتمر|لقاء|مقابل))")
# Words there that are no speaker (folded, without the article): when and how it was said, what is said;
# and the voices news reads without an introduction, the spokesman, the sources, the statement, the
# report, the ministry ("وأشار البيان إلى أن ..." after "أعلنت شركة النفط ..."), some, many, others, all
# ("ويرى البعض أن"), and the talk itself ("وختم حديثه قائلا").
_NOT_A_SPEAKER = STOPWORDS | frozenset(fold(
    """
    ايضا كذلك مجددا لاحقا سابقا مؤخرا حينها بدوره بدورها صراحه رسميا مرارا احد اثنين ثلاثاء اربعاء خميس جمعه سبت
    انه انها انهم اننا انني
    متحدث متحدثة مصادر بيان تقرير دراسة وزارة
    بعض كثير كثيرون كثيرين اخرون اخرين جميع معظم اغلب عديد
    """).split()) | frozenset(fold(talk + his) for talk in _TALK for his in ("ه", "ها"))
# And a speaker of no name, without the article ("وقال مصدر إن": a new one, whoever the article quoted
# before); "وقال المصدر إن" is one named before.
_NO_NAME = frozenset(fold(
    """
    مصدر مسؤول مسؤولة مسؤولون مسؤولين خبير خبيرة خبراء محلل محللة محللون مراقب مراقبون شاهد شهود ساكن سكان
    ناشط ناشطة ناشطون مواطن مواطنة مواطنون
    """).split())


def speaker_named_by_one_word(sentence: str) -> str | None:
    """The speaker of `sentence` as its stem, when one word names the speaker at its start (_SAID_BY_ONE_WORD)."""
    said = _SAID_BY_ONE_WORD.match(_opening(sentence))
    if not said:
        return None
    quoted, after_a_name_word, name = said.groups()
    word = fold(quoted or name)
    speaker = _stem(word)
    if after_a_name_word:  # "بن علي", "أبو علي": a name, whatever the word
        return speaker
    return None if speaker in _NOT_A_SPEAKER or (speaker == word and speaker in _NO_NAME) else speaker


# A speaker's words set apart as a sentence of their own, the speaker named in the one before
# (translated and wire news: 'كتب فلايشر: ...' then '"هذا يشير إلى ...'): a quotation of two words or
# more opening the sentence, no speaker after it ('"لن نتراجع"، قال الوزير', '«الخطة جاهزة» بحسب
# الوزارة'), and no word at once after it (a quoted name, the subject: '"الحزب الديمقراطي" فاز ...').
_OPENING_QUOTATION = re.compile(r'\s*[«“"”]([^«»“”"]*)(?:[»”"“]|$)')
_WORD_AT_ONCE = re.compile(r"\s*(?![وف]?[«“\"])\w")  # not "و" joining another quotation: '"..." و"..."'
# On folded text (no diacritics, one alef): "صرّح", "أكّد" are صرح, اكد. (Speech verbs opening a sentence: _SAYS.)
_SAID_AFTER = re.compile(r"(?<!\w)[وف]?(?:قال|اضاف|اكد|اوضح|اشار|افاد|ذكر|كتب|صرح|علق|تابع|اعلن|شدد|تساءل|اخبر)"
                         r"(?:ت|وا|ته|تها|ها|ه)?(?!\w)"
                         r"|(?<!\w)[يت](?:قول|ضيف|ؤكد|وضح|علق)(?:ون)?(?!\w)"
                         r"|(?<!\w)(?:حسب|حسبما|بحسب|وفقا|وفق|نقلا|مضيفا|مضيفه|قائلا|قائله)(?!\w)"
                         r"|علي\s+حد\s+قول|كما\s+جاء")  # "على حد قوله", folded
QUOTED_MIN_WORDS = 2


def a_speakers_words_alone(sentence: str) -> bool:
    opening = _OPENING_QUOTATION.match(sentence)
    if not opening or len(opening.group(1).split()) < QUOTED_MIN_WORDS:
        return False
    rest = sentence[opening.end():]
    return not _WORD_AT_ONCE.match(rest) and not _SAID_AFTER.search(fold(rest))


# "هذه الاتفاقية", "لهذا المعرض": a thing pointed at, as named before. Not "بما في ذلك" ("including")
# nor "مثل هذه" ("such"), and not the nouns "this" makes a time or a frame ("هذا العام", "في هذا
# الصدد"), which stand without what came before. (Not هؤلاء, often the subject itself: "سيدفع هؤلاء
# الأعباء", nor a demonstrative after its noun: "تجار الأراضي هذه واحدة من ...".)
_POINTED_AT = re.compile(r"(?<!\w)(?<!(?<!\w)بما في )(?<!(?<!\w)بما فى )(?<!(?<!\w)مثل )"
                         # "كذلك", "بذلك", "لذلك" are "also", "thereby", "therefore"
                         r"(?:[وفبلك]?(?:هذا|هذه|تلك|هذين|هاتين|هذان|هاتان)|[وف]?ذلك)\s+"
                         r"(?!(?:التي|الذي|الذين|اللذين|اللتين|اللاتي|اللواتي)(?!\w))(ال\w{2,})")  # not "تلك التي"
# Nor those that point at what the same sentence just said ("وفسر المتحدث هذا الأمر", "على هذه الحالة").
_NOW_OR_A_FRAME = frozenset(fold(
    """
    عام سنه شهر اسبوع يوم فتره مرحله وقت ايام موسم ليله ساعه صباح مساء عالم صدد شان اطار سياق مجال جانب خصوص اثناء
    امر حاله وضع وضعيه
    """).split())


# "The same" source or report, as named before: "المصادر ذاتها", "المصدر ذاته", "نفس الحصيلة" (ARGEn
# rows 47, 455, 476: the sources named in a sentence left out). Only such nouns: "نفسه" is "himself"
# too ("ووجد السائق نفسه مضطرا"), and "the same" makes frames of times and ways ("في الوقت ذاته",
# "المرة نفسها", "في السياق نفسه") that stand alone.
_TOLD_BY = (r"(?:مصدر|مصادر|تقرير|بيان|حصيل[ةه]|دراس[ةه]|وكال[ةه]|صحيف[ةه]|موقع|مسؤول|متحدث|ناطق|مراسل"
            r"|[إا]حصائي[ةه]|مسح|استطلاع)(?:ات|ان|ين|ون)?")
_THE_SAME = re.compile(rf"(?<!\w)[وفبلك]?(?:ال|لل)({_TOLD_BY})\s+(?:ذاته|ذاتها|نفسه|نفسها)(?!\w)"
                       rf"|(?<!\w)[وفبلك]?(?:نفس|ذات)\s+(?:ال|لل)({_TOLD_BY})(?!\w)")  # "ووفقا لذات المصدر"


# What a thing named before holds or aims at, the thing the sentence's subject at once: "وتضمن العرض
# ...", "ويهدف المشروع ..." (ARGEn rows 214, 352: the presentation named in a sentence left out).
_CONTENT_OF = re.compile(r"^\s*[وف]?(?:[يت]?(?:تضمن|شمل|تناول)|(?:تضمن|اشتمل|شمل|تناول)ت?|[يت]شتمل|[يت]هدف)"
                         r"\s+(ال\w{2,})(?!\w)")


def _stem(word: str) -> str:
    """A folded word without its article and the particles before it: "والاتفاقيه" -> "اتفاقيه"."""
    for prefix in ("وال", "فال", "بال", "كال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    return word


def stems(text: str) -> set[str]:
    """The words of `text`, each without its article (_stem): what a summary has named."""
    return {_stem(word) for word in words(text)}


def _without_ending(word: str) -> str:
    """A folded word without a plural's or the ta marbuta's ending: "اتفاقيات", "اتفاقيه" -> "اتفاقي";
    nor a pronoun on it ("خطتها" -> "خط"), nor the accusative's alef ("اتفاقا" -> "اتفاق")."""
    for pronoun in ("هما", "هم", "ها"):
        if word.endswith(pronoun) and len(word) - len(pronoun) >= 3:
            word = word[: -len(pronoun)]
            word = word[:-1] + "ه" if word.endswith("ت") else word  # "خطت(ها)": the ta marbuta's
            break
    if word.endswith("ا") and len(word) >= 5:
        word = word[:-1]
    for ending in ("ات", "ين", "ون", "ان", "ه"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word


def _named(noun: str, named: set[str]) -> bool:
    """Whether a word of `named` names `noun`: as it is, after a particle ("بعلاقه" for "علاقه"), in
    the plural or the singular ("صوبه" for "صوبات"), with another ending or a pronoun ("اتفاقيه" for
    "اتفاق", "خطتها" for "خطه"; _without_ending), or one beginning the other, either way.
    (Not by another word: "التجمع" for "هذا المؤتمر", nor a broken plural: "عقود" for "هذا العقد".)"""
    if noun in named:
        return True
    bare = _without_ending(noun)
    for word in named:
        stripped = _without_ending(word)
        if ((word[1:] == noun and word[0] in "وفبلك") or stripped == bare
                or _one_begins_the_other(word, noun) or _one_begins_the_other(stripped, bare)):
            return True
    return False


def _one_begins_the_other(word: str, other: str) -> bool:
    return min(len(word), len(other)) >= 4 and (word.startswith(other) or other.startswith(word))


def points_at_the_unsaid(sentence: str, named: set[str]) -> bool:
    """Whether `sentence` points at a thing ("هذه الاتفاقية", "المصادر ذاتها", "وتضمن العرض") that
    neither `named` (what the summary has said: its headline and sentences) nor the sentence itself
    names before: it was named in a sentence left out."""
    sentence = without_diacritics(sentence)
    for pattern, frames in ((_POINTED_AT, _NOW_OR_A_FRAME), (_THE_SAME, frozenset()), (_CONTENT_OF, frozenset())):
        for match in pattern.finditer(sentence):
            noun = _stem("".join(words(match.group(match.lastindex))))
            if noun not in frames and not _named(noun, named | stems(sentence[:match.start()])):
                return True
    return False


INTERVIEW_MIN_QUESTIONS = 3
# An interviewer's question, marked as one: "* كيف كان عرضك ...؟", "– معنى ذلك ...؟", "س: ...؟".
_MARKED_QUESTION = re.compile(r"\s*(?:[-–—•*▪●◦ـ]|" + INTERVIEW_PROMPT + ")")
# Or put to "you", as a page's questions come when their bold type is lost ("ما رأيك في الدوري الجزائري؟", "كيف
# ترى ...؟", "برأيكم ...؟", ARGEn rows 368, 735, 851): a word ending in the pronoun ك or كم (not a noun with
# the article, which takes none, nor a verb of "he" whose root ends so, "يملك", nor these words), or a verb an
# interviewer asks with (on folded text).
_NOT_YOURS = STOPWORDS | frozenset(fold(
    """
    بذلك وكذلك ولذلك بتلك وتلك هنالك وهناك أولئك اولئك شك بنك ملك سمك مستهلك مشترك شريك سلوك ملوك بنوك شبك مبارك
    معارك ترك شارك أدرك تحرك تملك تدرك تترك تشارك تمتلك امتلك حكم تحكم محكم متحكم بكم وكم فكم لذلك فلذلك لتلك مالك
    نيويورك مارك تفكيك تماسك سلك
    """).split())
_ARTICLE_OR_HE = re.compile(r"(?:[وفبك]?ال|لل|[وف]?ي)")  # the article, or "he" of a verb ("يملك")
_YOUR = re.compile(r"\w+(?<!ا)(?:ك|كم)")  # not a noun's "-اك", "-اكم" ("استهلاك", "حراك", "حاكم", "تراكم")
# An interviewer's verbs ("كيف ترى الوضعية ...؟"), but after هل not followed at once by a noun with the article,
# its subject as well as its object there ("هل تتوقع الأسواق ...؟" asks of the markets); and "can you".
_ASKING = r"(?:تري|تعتقد|تتوقع|تقيم|تصف|تنظر)"
_ASKS_YOU = re.compile(rf"(?<!\w)(?:(?<!هل ){_ASKING}|{_ASKING}(?!\s+ال)|انت|انتم|حضرتك|يمكنك|يمكنكم)(?!\w)")


def _put_to_you(question: str) -> bool:
    return bool(_ASKS_YOU.search(fold(question))) or any(
        _YOUR.fullmatch(word) and word not in _NOT_YOURS and not _ARTICLE_OR_HE.match(word) for word in words(question))


def interview_answers(sentences: list[str], news: list[int]) -> tuple[set[int], set[int]]:
    """In an interview (INTERVIEW_MIN_QUESTIONS questions or more after the first sentence, each
    marked as one or put to "you"), the first sentence of each answer, which comes with its question
    ("نعم لدينا مشكلة في الإدارة" answers one the summary would leave out), and the answers' later
    sentences, each waiting for the one before. (Questions alone are not enough: an essay's or a
    dossier's rhetorical questions have no answers of that kind.)"""
    questions = {i for i in news[1:] if _QUESTION.search(sentences[i])
                 and (_MARKED_QUESTION.match(sentences[i]) or _put_to_you(sentences[i]))}
    if len(questions) < INTERVIEW_MIN_QUESTIONS:
        return set(), set()
    opening, going_on = set(), set()
    for previous, index in zip(news, news[1:]):
        if previous >= min(questions) and index not in questions:
            (opening if previous in questions else going_on).add(index)
    return opening, going_on


QUOTATION_MAX_SENTENCES = 4  # a quotation left open longer is a stray mark, not one
_QUOTE_MARKS = "«»“”'\""
# Where a quotation a sentence leaves open begins: after a speaker's verb, past or present, or a
# statement's word ("وقالت في بيان لها اليوم 'تابعت ...", "وتقول لنا “انظري ..."), or after a colon.
# The word whole, with its particles, article and endings: not "انتقاله", "مقال", "بالاضافة", "بيانات"
# (data) or "تابعونا", which hold one. (Speech verbs opening a sentence: _SAYS.)
_OPENS_A_QUOTATION = re.compile(r"(?:(?<!\w)(?:[وفبل]|وب|ال|وال|بال|وبال|فال|لل)?"
                                r"(?:(?:قال|[أا]ضاف|[أا]كد|تابع|اختتم)(?:ت|وا|ا|تا)?"
                                r"|س?[يت](?:قول|ضيف|ؤكد)(?:ون|ان)?"
                                r"|بيان(?:ا|ه|ها|هم|هما)?"
                                r"|تصريح(?:ات|ا)?(?:ه|ها|هم|هما)?|(?:كلم|رسال)(?:ة|ته|تها|تهم))"
                                # explained, pointed out, mentioned ("وأوضح ... العسيري 'أن ...", ARGEn row 724):
                                # the verbs only, not "والجدير بالذكر" nor the comparative "بشكل أوضح"
                                r"|(?<!\w)(?<!بشكل )(?<!بصورة )[وف]?(?:[أا]وضح|[أا]شار|ذكر)(?:ت|وا|ا|تا)?)"
                                r"(?!\w)[^'\"«“”.]{0,60}[«“”'\"]"
                                r"|:\s*[«“”'\"]")
_CLOSES_A_QUOTATION = re.compile(r"[»“”'\"][.!؟?]*\s*$|[.!؟?][»“”'\"]\s*$")


def inside_quotations(sentences: list[str], news: list[int]) -> set[int]:
    """The news sentences inside a speaker's quotation that an earlier one opened, up to the one
    closing it (within QUOTATION_MAX_SENTENCES): each goes on the speaker's words ("ونقول ثلاثة
    مستشفيات ..." in a statement's third sentence), the speaker named where it opened, so each waits
    for the one before. (ends_a_quotation_begun_before sees the sentence right after the opening one.)"""
    def odd_marks(text: str) -> bool:
        return sum(map(text.count, _QUOTE_MARKS)) % 2 == 1

    inside: set[int] = set()
    at = 0
    while at < len(news):
        opening = sentences[news[at]]
        if odd_marks(opening) and _OPENS_A_QUOTATION.search(opening) and not _CLOSES_A_QUOTATION.search(opening):
            for end in range(at + 1, min(at + 1 + QUOTATION_MAX_SENTENCES, len(news))):
                if odd_marks(sentences[news[end]]):  # the mark that closes it, or a stray one
                    if _CLOSES_A_QUOTATION.search(sentences[news[end]]):
                        inside.update(news[at + 1:end + 1])
                        at = end
                    break
        at += 1
    return inside


_CLOSING_MARK = {"«": "»", "“": "”"}  # and ”, ', " close as they open


def quotations_closed(sentences: list[str], news: list[int], chosen: list[int], kept: list[str]) -> list[str]:
    """The kept sentences, where one opens a speaker's quotation that goes on in sentences the summary
    leaves out ('وقال ...: «لقد قطعنا شوطا طويلا.' then '... التي نعمل فيها.»') ending in "…" and the
    closing mark: the quotation was left open, a mark the reader looked for in vain."""
    quoted = inside_quotations(sentences, news)
    one_before, one_after = _neighbours(news)
    closed = []
    for index, sentence in zip(chosen, kept):
        if (one_after.get(index) in quoted and one_after[index] not in chosen
                and sentence == sentences[index]):  # not cut near the budget: that ends in "…" already
            opening = index
            while opening in quoted:  # its second sentence, say: the mark is the first one's
                opening = one_before[opening]
            mark = _left_open(sentences[opening]) or _quotation_marks_opened(sentences[opening])[-1]
            sentence = sentence.rstrip().rstrip(".…").rstrip() + " …" + _CLOSING_MARK.get(mark, mark)
        elif sentence != sentences[index] and (mark := _left_open(sentence)):  # cut near the budget inside it
            sentence += _CLOSING_MARK.get(mark, mark)
        closed.append(sentence)
    return closed


# A list's lead-in: "وجاءت على النحو التالي:", "كما يلي:", "والتى جاءت كالتالى:", "وفيما يلي أهم ...".
# ("كما يلي"/"كما يأتي" before a mark: "كما يأتي ذلك في إطار ..." is "as it comes").
_LIST_LEAD_IN = re.compile(r"(?<!\w)(?:كما\s+(?:يل[يى]|يأت[يى])(?=\s*(?:[:.\-–]|$))|كال(?:تال|آت|ات|أت)[يى]|ما\s+يل[يى]\s*:"
                           r"|عل[ىي]\s+(?:النحو|الشكل)\s+(?:ال)?(?:تال|آت|ات|أت)[يى]|[وف]?فيما\s+يل[يى])(?!\w)")
# Where the clause leading in to it begins, when one of these opens it a few words before: "وجاءت أسعار
# الأسمنت اليوم كما يلي", "والتى جاءت كالتالى", "وذلك على النحو الآتي". Else the cut is at the lead-in itself:
# "وأوضح الوزير، في مؤتمر صحفي، أن الخطة تتضمن ثلاثة محاور كما يلي" keeps all but "كما يلي".
_LEAD_IN_OPENS = re.compile(r"(?<!\w)و(?:جاءت|جاء|ذلك|التي|التى|كانت)(?!\w)")
LEAD_IN_WORDS = 12
LIST_ITEM_WORDS = 15  # or fewer after the lead-in: its first item, or a line that it is


def lists_left_out(sentences: list[str], news: list[int], chosen: list[int], kept: list[str]) -> list[str]:
    """The kept sentences, where one ends on a list's lead-in and the list is left out ("... للبرميل
    وجاءت على النحو التالي:-" with no list, or with its first item alone: "كما يلى: - سعر طن الأسمنت
    بشركة ... 733 جنيها." of nine; ARGEn rows 83, 372, 376, 993) cut before the lead-in, with "…"; one
    that is nothing but the lead-in and its item is left out, unless it is the summary's only one. The
    list's other items are the sentences after it that read as items of it (_an_item); a sentence
    holding the whole list after its lead-in, or one whose next sentence the summary takes, is kept."""
    _, one_after = _neighbours(news)
    cut = []
    for index, sentence in zip(chosen, kept):
        lead_in = _last_match(_LIST_LEAD_IN, sentence)
        if lead_in and one_after.get(index) not in chosen:
            first_item = sentence[lead_in.end():]
            items = []
            while (following := one_after.get(items[-1] if items else index)) is not None and _an_item(
                    sentences[following], first_item):
                items.append(following)
            said = len(words(first_item))
            if said <= LIST_ITEM_WORDS and (items or not said) and not any(item in chosen for item in items):
                head = _before_the_lead_in(sentence[:lead_in.start()])
                if words(head):
                    sentence = head + " …"
                elif len(chosen) > 1:
                    continue  # the lead-in alone: "وجاءت نتائج السحب على النحو التالي: ..."
        cut.append(sentence)
    return cut


def _an_item(sentence: str, first_item: str) -> bool:
    """Whether `sentence` reads as a list's item after its first, `first_item`: bulleted, a fragment
    ("URL جنيه للبيع."), or a short line saying some of the same words ("سعر الدولار فى بنك مصر ...")."""
    length = len(words(sentence))
    return (bool(BULLET_ITEM.match(sentence)) or length <= FRAGMENT_WORDS
            or (length <= LIST_ITEM_WORDS and bool(content_words(sentence) & content_words(first_item))))


def _before_the_lead_in(before: str) -> str:
    opening = _last_match(_LEAD_IN_OPENS, before)
    if opening and len(words(before[opening.start():])) <= LEAD_IN_WORDS:
        before = before[:opening.start()]
    return before.rstrip(" ،؛,;:.-")


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    found = None
    for found in pattern.finditer(text):
        pass
    return found


def _left_open(sentence: str) -> str | None:
    """The mark of a speaker's quotation `sentence` leaves open: the first mark opening one that it
    leaves unbalanced ('«إن الشركة أصدرت بيانا "عاجلا" ...' is «); None when it leaves none open."""
    def unbalanced(opener: str) -> bool:
        closer = _CLOSING_MARK.get(opener, opener)
        count = sentence.count(opener)
        return count > sentence.count(closer) if closer != opener else count % 2 == 1
    return next((mark for mark in _quotation_marks_opened(sentence) if unbalanced(mark)), None)


def _quotation_marks_opened(sentence: str) -> list[str]:
    """The marks opening a speaker's quotation in `sentence`, in order (_OPENS_A_QUOTATION, each match
    ending on its mark)."""
    return [match.group()[-1] for match in _OPENS_A_QUOTATION.finditer(sentence)]


def ends_a_quotation_begun_before(before: str, sentence: str) -> bool:
    """Whether `sentence` is the end of a quotation a full stop inside it cut ("... 'هذا أمر محتمل."
    then "يتوقف على سلوك الحكومات الأخرى'."): it closes a « the one before left open, or it and the
    one before each hold an odd count of the same quotes (straight, or curly: many type ” to open as
    well as to close), or its one quote mark closes it at its end, the one before holding none: the
    opening lost. (Not the end of one whose opening is further back in view: waiting for the sentence
    before would not bring its speaker; inside_quotations sees those.)"""
    if _ENDS_ON_ITS_ONLY_MARK.match(sentence) and not any(mark in before for mark in _QUOTE_MARKS):
        return True
    depth = 0
    for at, ch in enumerate(sentence):
        if ch == "«":
            depth += 1
        elif ch == "»":
            if depth == 0:  # the quotation's end, but a » typed to open one: "«نولتي» و»بوش»"
                return (before.count("«") > before.count("»") and "«" not in sentence[at:]
                        and "»" not in sentence[at + 1:])
            depth -= 1
    return any(sum(map(sentence.count, marks)) % 2 and sum(map(before.count, marks)) % 2 for marks in ("'", '"', "“”"))


# A quotation's end whose opening mark the text lost: the sentence's one quote mark closes it at its
# end ('وهامش أرباح زيت الوقود في أبريل كان افضل منه في مارس."', EASC's finance (7): the speaker named
# in the sentence before, which holds no mark).
_ENDS_ON_ITS_ONLY_MARK = re.compile(r"[^«»“”\"']*[»”“\"'][.!؟?…]*\s*$")  # “ typed for ” too


def leans_on(before: str, sentence: str) -> bool:
    """Whether `sentence` cannot stand without the one `before` it: by its own words, or as what
    follows a lead-in ending in a colon ("وتتضمن الخطة ما يلي:", "وقال الوزير:"), or as a bulleted
    list's item (the first leans on its lead-in, with a colon or without: "وفاز بالجائزة كل من").
    (Not every sentence after a question: an essay's rhetorical
    question is left out of a summary, and the sentences after it stand; EASC's annotators took
    them alone, ROUGE-1/2 -0.15/-0.18 when they waited for it.)"""
    before = before.rstrip()
    sentence = _opening(sentence)
    return (leans_on_the_one_before(sentence) or bool(_POINTS_BACK.match(sentence))
            or a_speakers_words_alone(sentence) or ends_a_quotation_begun_before(before, sentence)
            or before.endswith(":") or bool(BULLET_ITEM.match(sentence)))  # an item: of the list, or its first


def _lead_in_to_a_list(sentence: str, following: str) -> bool:
    """Whether `sentence` leads into the bulleted list `following` opens without a mark of its own
    ("وفاز بالجائزة كل من", a colon left out): it is nothing without the list."""
    return bool(BULLET_ITEM.match(following) and not BULLET_ITEM.match(sentence)
                and sentence.rstrip(CLOSERS_AFTER_A_MARK)[-1:] not in TERMINATORS)


def _next_item(sentence: str, following: str) -> bool:
    """Whether `following` is the next item of the bulleted list `sentence` is an item of."""
    return bool(BULLET_ITEM.match(sentence) and BULLET_ITEM.match(following))


SHORT_ANSWER_WORDS = 15


def introduces(sentence: str, first: bool = False, following: str | None = None) -> bool:
    """Whether `sentence` is said for the one after it (`following`), and is nothing in a summary
    without it: a lead-in ending in a colon, or a question. An article's first sentence names its
    subject however it is put, but a question it opens on comes with a short answer ("هل من الحكمة
    أن ...؟" then "الإجابة المختصرة هي «لا»."); a long one is left to the budget."""
    if sentence.rstrip().endswith(":"):
        return True
    if not _QUESTION.search(sentence):
        return False
    return not first or (following is not None and len(words(following)) <= SHORT_ANSWER_WORDS
                         and not _QUESTION.search(following))  # an interview's next question is no answer


# A sentence whose content words are mostly in one sentence of the summary adds nothing to it: the
# lead again, as a page's teaser of itself ("البورصة تربح 4.5 مليار جنيه أنهت البورصة ..."). One
# sentence, not the summary's words all together: a long summary holds most words of the next.
# A teaser of the lead shares over 0.9 of its words, a bank's price line the lead gave 0.8-0.9; news on
# the same subject 0.5-0.75. A figure not said yet is news: yesterday's 30.60 under today's 30.85.
REPEATED_SHARE = 0.8


_FIGURE = re.compile(r"\d+(?:[.,٫]\d+)*")  # whole: today's 30.85 is not yesterday's 30.60


def figures_in(text: str) -> list[str]:
    """The figures of `text`, whole and in Western digits ("٥٨٢" is 582, "٢٫٥" 2.5)."""
    return _FIGURE.findall(text.translate(WESTERN_DIGITS))


def what_it_says(text: str) -> set[str]:
    """Content words and figures (figures_in): a price list's lines differ by their figures alone
    ("عيار 21 سجل 675")."""
    return content_words(text) | set(figures_in(text))


def repeats(sentence_words: set[str], said: set[str]) -> bool:
    """Whether a sentence saying `sentence_words` says again what one saying `said` said: its words, and
    no figure but a year next to one said ("من 582 تصريح في 2013 إلى 661 تصريح في 2014" after a lead that
    said 582, 2013 and 661: the same fact, dated; ARGEn row 476). A price of 1900 after 1850 is news."""
    new = sentence_words - said
    return (bool(sentence_words) and len(new) <= (1 - REPEATED_SHARE) * len(sentence_words)
            and not any(_FIGURE.fullmatch(word) and not _a_year_near(word, said) for word in new))


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
YEARS_NEAR = 3


def _a_year_near(word: str, said: set[str]) -> bool:
    return bool(_YEAR.fullmatch(word)) and any(
        _YEAR.fullmatch(other) and abs(int(other) - int(word)) <= YEARS_NEAR for other in said)


TELLING_FIGURE_MIN = 10


def telling_figures(text: str) -> set[str]:
    """The figures of `text` (figures_in) that tell one piece of news from another: not a year, said of
    many things, nor a count under TELLING_FIGURE_MIN ("3 آلاف" is not "3 ملايين")."""
    return {figure for figure in figures_in(text)
            if not _YEAR.fullmatch(figure) and not (figure.isdigit() and int(figure) < TELLING_FIGURE_MIN)}


# A word, as a place to cut: letters and digits with their diacritics, Quranic marks too (a diacritic
# is no word character to a regex, and would end one mid-word); words joined by marks alone ("أ،ب،ج")
# count one by one, as text.words counts them.
_CUT_WORD = re.compile(rf"\d+(?:[.,٫]\d+)+|[\w{DIACRITICS}]+")  # a decimal is one: "12.5", not "12"
# Not a colon: what it leads in to is the point ("وقال: ...", "كالتالي: ..."), and a cut there keeps none of it.
_CLAUSE_MARK = re.compile(r"[،؛,;]")
# A cut leaves none of these last, wanting what follows them ("... حول …"), nor a figure without its
# sign or its bracket ("(5 …" for "(5%)").
_NOT_LAST = frozenset("في فى من على إلى الى عن حول مع بين ضد نحو منذ حتى أن إن ان و أو او ثم".split())
_STAYS_WITH_THE_WORD = "%٪)]}»”\"'"


def cut_near(sentence: str, limit: int) -> str:
    """The sentence's first `limit` words or so, ending at a clause mark (، ؛ ,) after one of the
    second half of them when there is one, and "…" to say it goes on."""
    found = list(itertools.islice(_CUT_WORD.finditer(sentence), limit + 1))
    if len(found) <= limit:
        return sentence
    at_mark = [n for n in range(limit // 2, limit) if _CLAUSE_MARK.search(sentence, found[n].end(), found[n + 1].start())]
    last = at_mark[-1] if at_mark else limit - 1
    while not at_mark and last > limit // 2 and found[last].group() in _NOT_LAST:
        last -= 1
    end = found[last].end()
    while end < len(sentence) and sentence[end] in _STAYS_WITH_THE_WORD:
        end += 1
    return sentence[:end] + " …"
