"""An article's text and headline from a web page: trafilatura's extraction, then what it keeps of
the page around the article (the site's name in the title, notices, credits, teasers) taken off."""

from __future__ import annotations

import copy
import html as htmllib
import re
import warnings

from mujaz.core.segment import LINK_LABEL, is_published_line
from mujaz.core.text import fold, words

# The page's date is read by trafilatura with dateutil, which warns of a time zone it does not know
# ("GST", "EET", "MSK": Gulf and Egyptian sites' <meta name="last-modified">); mujaz uses no date, and
# stderr is for mujaz's own lines (and none with --quiet). Set once, as this module is first imported
# to read a page, not again for every page.
warnings.filterwarnings("ignore", module=r"dateutil(\.|$)")

MIN_PAGE_WORDS = 8  # what a page's extracted text needs to be an article, not a menu item or two


def extract_html(html: str, *, url: str | None = None) -> tuple[str, str | None]:
    """Main text and title of a page, by trafilatura (parsed, never executed)."""
    import trafilatura

    # A control character, raw or as a reference (&#27;), makes lxml give up on the whole page;
    # it is no part of an article's text.
    html = _CONTROL_IN_HTML.sub(" ", html)

    def extracted(tree):
        return trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False,
            # mujaz uses no page date; htmldate's extensive search (dateparser over the text) cost
            # most of the reading of a page of many short paragraphs.
            date_extraction_params={"extensive_search": False, "original_date": False},
        )

    tree = trafilatura.load_html(html)
    if tree is None:
        return _one_elements_text(html), None
    # What a page shows a reader without scripts ("enable JavaScript to see this site") is no part of
    # its article; trafilatura cleans it out, but its fallback extractors read it back.
    for shown_without_scripts in list(tree.iter("noscript")):
        shown_without_scripts.drop_tree()
    # Each link's text as a reader sees it (entities, inner tags and line breaks resolved), before
    # the extraction prunes the tree: what a bare "read also" label's lines are checked against.
    links = {" ".join(link.text_content().split()) for link in tree.iter("a")}
    document = None
    without_captions = copy.deepcopy(tree)
    if _without_photo_captions(without_captions):
        document = extracted(without_captions)
        # A page that is a photo and its caption, or whose article sits in a box so named, is read whole.
        if document and len(words(document.text or "")) < MIN_PAGE_WORDS:
            document = None
    document = document or extracted(tree)
    if not document:
        return _one_elements_text(html), None
    text = document.text or ""
    title, site_part = (_without_site_name(_whole_title(document.title, html), document.sitename, text, html)
                        if document.title else (None, None))
    lead = _dropped_lead(document.description, title, text, html)
    if lead:
        text = lead + "\n" + text
    names = [name for name in (document.sitename, site_part) if name]
    text = _without_page_furniture(text, names, links)
    return ("" if _an_index_of_links(text, links) else text), title


INDEX_MIN_LINES = 3
INDEX_LINKED_SHARE = 0.5
INDEX_MAX_OTHER_WORDS = 20  # in its lines that are no link's: a short article's two sentences are more


def _an_index_of_links(text: str, links: set[str]) -> bool:
    """Whether the text read off a page is its links' titles, one a line (a home or a section page: an
    index of articles, none of them here): half its lines or more each a link's whole text, and little
    else. An article's lines hold their links among other words (none of the 9 real pages has one
    whole), and a short one with a list of links under it has its own words."""
    lines = [" ".join(line.split()).removeprefix("- ") for line in text.split("\n") if line.strip()]
    others = [line for line in lines if line not in links]
    return (len(lines) >= INDEX_MIN_LINES and len(lines) - len(others) >= INDEX_LINKED_SHARE * len(lines)
            and len(words(" ".join(others))) < INDEX_MAX_OTHER_WORDS)


# A meta refresh that sends the reader on at once: a short link's page, a moved article's, "you are
# being redirected". One that waits longer is a page that reloads itself for the latest news.
MAX_FORWARDING_DELAY_S = 10
_HAS_REFRESH = re.compile(r"http-equiv\s*=\s*[\"']?refresh", re.I)
_HAS_REFRESH_BYTES = re.compile(_HAS_REFRESH.pattern.encode(), re.I)
# The content attribute as HTML reads it: a delay, then ";" or ",", then "url=" (optional) and the address, quoted or not.
_REFRESH_CONTENT = re.compile(r"\s*(\d+)[\d.]*\s*(?:[;,]\s*(?:url\s*=\s*)?([\"']?)(.*?)\2\s*)?$", re.I | re.S)


def mentions_a_refresh(raw: bytes) -> bool:
    """Whether a page's bytes name a meta refresh at all: the test before they are decoded for
    forwarding_address (most pages name none, and are decoded once, later, as the article's)."""
    return bool(_HAS_REFRESH_BYTES.search(raw))


def forwarding_address(html: str) -> str | None:
    """The address a page sends its reader on to at once by a meta refresh, as written there; None
    for a page without one. A refresh in <noscript> is for readers without scripts (a "lite" page),
    and the page has its own text: it is not followed."""
    if not _HAS_REFRESH.search(html):
        return None
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() != "refresh" or any(
                parent.tag == "noscript" for parent in meta.iterancestors()):
            continue
        found = _REFRESH_CONTENT.match(meta.get("content") or "")
        if found and found.group(3) and int(found.group(1)) <= MAX_FORWARDING_DELAY_S:
            return found.group(3).strip()
    return None


# A text that is one element, opening with its tag and ending with its closing one: a paragraph copied
# from a page with its markup ("<p>...</p>").
_ONE_ELEMENT = re.compile(r"<(p|div|article|span|h[1-6])\b[^>]*>.*</\1>", re.I | re.S)


def is_one_element(text: str) -> bool:
    return bool(_ONE_ELEMENT.fullmatch(text.strip()))


def _one_elements_text(html: str) -> str:
    """The words of a text that is one element, where trafilatura reads no page in so little; "" for
    any other text (a page it found no article in stays one)."""
    if not is_one_element(html):
        return ""
    import lxml.html

    return lxml.html.fragment_fromstring(html.strip(), create_parent="div").text_content().strip()


# A photo's caption in the photo's own box, not marked as a caption (trafilatura drops
# class="caption" and <figure>): <div class="article_image"><img ...><div class="red">اصابات
# بفيروس كورونا في امريكا</div></div> (almadenahnews) was read as the article's first sub-heading.
# Taken narrowly, since such boxes also hold a lead or a photo story's paragraphs: a box named for
# a picture (a class or id word: article_image, photo-box; not WordPress's has-post-thumbnail, a
# state of the whole post), holding one, with no heading, no paragraph of words (<p>; an editor's
# <p><img></p> is none) and a caption's few words. A caption written as a <p> stays: it cannot be
# told from a lead set beside the photo.
_PICTURE_NAME = re.compile(r"image|img|photo|picture|thumb|figure|gallery", re.I)
CAPTION_MAX_WORDS = 15


def _without_photo_captions(tree) -> bool:
    """Drop the photo captions in `tree` (see above); whether there were any."""
    dropped = False
    for box in list(tree.iter("div", "span", "section", "p")):
        names = f"{box.get('class') or ''} {box.get('id') or ''}".split()
        if (box.getparent() is not None and any(_PICTURE_NAME.search(name) and not name.startswith("has-") for name in names)
                and next(box.iter("img", "picture"), None) is not None
                and next(box.iterdescendants("h1", "h2", "h3", "h4", "h5", "h6"), None) is None
                and not any(paragraph.text_content().strip() for paragraph in box.iterdescendants("p"))
                and len(box.text_content().split()) <= CAPTION_MAX_WORDS):
            box.drop_tree()  # its tail, text that follows it in its parent, stays
            dropped = True
    return dropped


def _dropped_lead(description: str | None, title: str | None, text: str, html: str) -> str | None:
    """The article's lead paragraph when the extraction dropped it. trafilatura, told to leave
    comments out, can prune a lead set apart from the body (Sputnik's `b-article__lead`); the
    page's description then points to it. Taken only when a paragraph of the page's body starts
    as the description does (which is often cut short: "...") and it shares words with the
    headline, not a site's tagline; the paragraph is taken whole."""
    if not description or not title:
        return None
    opening = " ".join(description.split())[:60]
    if len(description.split()) < 8 or opening in " ".join(text.split()):
        return None
    import lxml.html

    try:
        page = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    held = [" ".join(element.text_content().split()) for element in page.iter("p", "div")]
    paragraphs = [paragraph for paragraph in held if paragraph.startswith(opening)]
    if not paragraphs:
        return None
    lead = min(paragraphs, key=len)  # the innermost element that holds it
    shared = {word for word in words(title) if len(word) > 2} & set(words(lead))
    return lead if len(shared) >= 2 else None


# What a page puts around an article that trafilatura keeps as paragraphs, each kept narrow so
# that an article's own sentence is not mistaken for it (phrases are matched folded, text.fold).
# A site's notices under the article (its comment policy, terms, copyright): a paragraph among
# the last that holds such a phrase and names the site ("الموقع", "موقع CNN", or its name).
_SITE_NOTICE = re.compile(fold(
    "ارشادات الاستخدام|شروط الاستخدام|شروط استخدام الموقع|سياسة الخصوصية|لا تعبر عن راي|الاراء الواردة"
    "|جميع الحقوق محفوظة|حقوق النشر محفوظة|مراجعة التعليقات|تعليقات القراء|اضف تعليق|اضف تعليقك"))
_THE_SITE = frozenset(fold("الموقع موقع موقعنا").split())
SITE_NOTICE_MAX_WORDS = 60  # a policy of three sentences in one paragraph (CNN Arabic) is 44
# A news agency's credit alone on the last line: "--(بترا)", "(أ ف ب)".
_CREDIT_LINE = re.compile(r"[-–—\s]*\(\s*[^()\d]{2,30}\)[-–—.\s]*")
CREDIT_MAX_WORDS = 3
_TEASER = re.compile(r"[-–—•*\s]*" + fold(LINK_LABEL))
TEASER_MAX_WORDS = 30
# The label alone on its line ("اقرأ أيضا:"), with the other article's title on the next, or a list
# of them ("- " each, as trafilatura writes <li>): a layout of many Arabic sites.
_TEASER_LABEL = re.compile(_TEASER.pattern + r"\s*:?\s*")
# An advertisement's label left where the advertisement was.
_AD_LABEL = re.compile(fold(r"إعلان|اعلان|مساحة إعلانية|advertisement"))
# Under the article: its source alone ("المصدر: رويترز"), or the site asking to be followed.
_SOURCE_LINE = re.compile(fold(r"(المصدر|مصدر الخبر)\s*:\s*[^.،]{2,40}"))
SOURCE_LINE_MAX_WORDS = 5
_FOLLOW_US = re.compile(fold(r"((للمزيد|لمتابعة)(\s+[^\s]+){1,3}?\s+)?(تابعونا|تابعوا|حمل تطبيق|حملوا تطبيق"
                             r"|اشترك(وا)?\s+(الآن|في\s+(النشرة|نشرتنا|القناة|قناتنا|خدمة)))\b"))
FOLLOW_US_MAX_WORDS = 15
# The page's copyright under the article: "© جميع الحقوق محفوظة لصحيفة الوطن 2023", "جميع الحقوق محفوظة."
_COPYRIGHT = re.compile(fold(r"©|(جميع\s+)?الحقوق\s+محفوظة|حقوق\s+النشر\s+محفوظة"))
COPYRIGHT_MAX_WORDS = 10
# The article's tags, a line of the page's: "الوسوم: زلزال - تركيا - أضنة".
_TAGS = re.compile(fold(r"(ال)?(وسوم|كلمات\s+(ال)?مفتاحية|كلمات\s+(ال)?دلالية|(ال)?كلمات\s+الدلالية)\s*:"))
TAGS_MAX_WORDS = 20
# A site's name opening a paragraph as a dateline: "المدينة نيوز :- بلغت ...". One word is too
# often a city's too (the newspaper الرياض, the dateline "الرياض - "): only names of two or more.
_NAME_SEPARATOR = re.compile(r"\s*(:-|:|[-–—]{1,2})\s*")
TOP_PARAGRAPHS = 3  # where a date line or a dateline stands
# A word that makes a short name a site's, not a headline's ("المدينة نيوز", "masrawy.com"): not
# قناة, صحيفة, وكالة, موقع or شبكة, which open headlines too ("صحيفة أمريكية: ...", "قناة السويس: ...").
_NAMES_A_SITE = re.compile(r"نيوز|[أا]ون ?لاين|\.(?:com|net|org)\b", re.I)


def _without_page_furniture(text: str, site_names: list[str], links: set[str] = frozenset()) -> str:
    """The article's text without the page's notices, date line, links to other articles,
    advertisement labels, trailing credit (an agency, a source, "follow us") and a site name
    opening its first paragraphs (each pattern above says what it takes)."""
    lines = text.split("\n")
    names = [fold(name) for name in site_names]

    def notice(line: str) -> bool:
        folded = fold(line)
        names_the_site = bool(_THE_SITE & set(words(folded))) or any(name in folded for name in names)
        return bool(_SITE_NOTICE.search(folded)) and names_the_site and len(line.split()) <= SITE_NOTICE_MAX_WORDS

    def inserted(line: str) -> bool:  # into the article by the page: a link to another, an advertisement
        folded = fold(line.strip())
        return ((bool(_TEASER.match(folded)) and len(line.split()) <= TEASER_MAX_WORDS) or bool(_AD_LABEL.fullmatch(folded))
                or (bool(_TAGS.match(folded)) and len(line.split()) <= TAGS_MAX_WORDS))

    def credit(line: str) -> bool:
        folded = fold(line.strip())
        return ((bool(_CREDIT_LINE.fullmatch(line)) and len(words(line)) <= CREDIT_MAX_WORDS)
                or (bool(_SOURCE_LINE.fullmatch(folded)) and len(line.split()) <= SOURCE_LINE_MAX_WORDS)
                or (bool(_FOLLOW_US.match(folded)) and len(line.split()) <= FOLLOW_US_MAX_WORDS)
                or (bool(_COPYRIGHT.match(folded)) and len(line.split()) <= COPYRIGHT_MAX_WORDS))

    top = [line for line in lines[:TOP_PARAGRAPHS] if not is_published_line(line)]
    lines = [line for line in _without_teaser_links(top + lines[TOP_PARAGRAPHS:], links) if not inserted(line)] or lines
    # What ends the page under the article, once the links to others among it are gone
    while len(lines) > 1 and (notice(lines[-1]) or credit(lines[-1]) or not lines[-1].strip()):
        lines.pop()
    for number, line in enumerate(lines[:TOP_PARAGRAPHS]):
        for name in site_names:
            if len(name.split()) > 1 and line.startswith(name):
                separator = _NAME_SEPARATOR.match(line, len(name))
                rest = line[separator.end():] if separator else ""
                if separator and len(words(rest)) >= MIN_PAGE_WORDS:
                    lines[number] = rest
                    break
    return "\n".join(lines)


def _without_teaser_links(lines: list[str], links: set[str]) -> list[str]:
    """The lines without the titles of other articles that a bare "read also" label introduces:
    the lines after it, or the items of the list after it, each a link on the page. The extractor
    often drops the links and keeps the label: the line after it is then the article's own, and
    stays (so does a line that is no link's whole text, or ends in a full stop)."""
    kept: list[str] = []
    after = None  # "label": the line before was a bare label; "list": an item of its list
    for line in lines:
        if not line.strip():
            kept.append(line)
            continue
        item = line.lstrip().startswith("- ")
        title = (len(line.split()) <= TEASER_MAX_WORDS and not line.rstrip().endswith((".", "…"))
                 and " ".join(line.lstrip().removeprefix("- ").split()) in links)
        if title and (after == "label" or (after == "list" and item)):
            after = "list" if item else "label"  # a list's items, or titles a line each
            continue
        after = "label" if _TEASER_LABEL.fullmatch(fold(line.strip())) else None
        kept.append(line)
    return kept


_CONTROL_IN_HTML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|&#0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|127);"
                              r"|&#x0*(?:[0-8]|[bBcC]|[eEfF]|1[0-9a-fA-F]|7[fF]);")
# What sites put between a headline and their name: "الخبر - اليوم السابع", "المدينة نيوز | الخبر".
_TITLE_PARTS = re.compile(r"\s+[-|–—»•]\s+")


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name: case, spacing and a web address's trimmings aside."""
    def plain(name: str) -> str:
        name = re.sub(r"^https?://(www\.)?|/+$", "", name.strip().casefold())
        return " ".join(name.split())
    return plain(a) == plain(b)


# [^<]*: a page of "<title>" without an end is scanned once, not once from each.
_TITLE_ELEMENT = re.compile(r"<title\b[^<>]*>([^<]*)</title\s*>", re.I)


SITE_NAME_MAX_WORDS = 3


def _whole_title(title: str, html: str) -> str:
    """The page's whole <title> where trafilatura took a part of it as short as a site's name
    ("جريدة الوطن" of "جريدة الوطن | الخبر", "مصر" of "مصر - السودان: ..."; it takes the first
    part when a page has no single <h1> nor meta title), for _without_site_name to judge;
    otherwise trafilatura's title (an <h1>, a meta title, or a part long enough to be the headline)."""
    if len(title.split()) > SITE_NAME_MAX_WORDS or _given_as_headline(title, html):
        return title
    found = _TITLE_ELEMENT.search(html)
    if not found:
        return title
    whole = " ".join(htmllib.unescape(found[1]).split())
    parts = _TITLE_PARTS.split(whole)
    return whole if len(parts) > 1 and " ".join(title.split()) in parts else title


def _given_as_headline(title: str, html: str) -> bool:
    """Whether the page gives `title` as its headline itself: an <h1> or <h2>, or a meta title (og:title)."""
    if _printed_as_heading(title, html, "12"):
        return True
    return any("title" in tag.lower() and title in tag for tag in _META_TAG.findall(html))


# Text alone in an element, within a few tags (<h1><a href=...>): [^<>] and the bounds keep a hostile page linear.
_FEW_TAGS = r"\s*(?:<[^<>]*>\s*){0,8}"


def _printed_as_heading(text: str, html: str, levels: str) -> bool:
    """Whether the page prints `text` alone as a heading of one of the `levels` ("1", "12")."""
    return bool(re.search(rf"<h[{levels}]\b[^<>]*>{_FEW_TAGS}{re.escape(text)}{_FEW_TAGS}</h[{levels}]", html, re.I))


_META_TAG = re.compile(r"<meta\b[^<>]*>", re.I)


def _without_site_name(title: str, site: str | None, text: str, html: str = "") -> tuple[str, str | None]:
    """A page's title without the site's name at either end, and the end taken off (None if none).
    An end goes when it is the site's name as the page gives it, or opens the article text as a
    site's dateline ("المدينة نيوز :- بلغت ..."), or when the rest of the title is printed alone as
    the page's <h1>, or is what the article text starts with (and the whole title is not: then it
    is all headline, "عاجل | الحكومة تعلن ..."; nor is a site's dateline the headline)."""
    parts = _TITLE_PARTS.split(title.strip())
    if len(parts) < 2:
        return title, None
    start = " ".join(text[:400].split())
    whole_at_start = start.startswith(" ".join(title.split()))

    def dateline(name: str) -> bool:  # not the headline the text opens with ("الحكومة تعلن خطة - الزراعة أولا")
        return (not whole_at_start and len(name.split()) <= SITE_NAME_MAX_WORDS and start.startswith(name)
                and bool(_NAME_SEPARATOR.match(start, len(name))))

    def longer_than_a_name(part: str, other: str) -> bool:
        return len(part.split()) > max(SITE_NAME_MAX_WORDS, len(other.split()))

    def site_dateline(name: str, other: str) -> bool:  # `name` opens the text as a site's, not a short headline
        return dateline(name) and (longer_than_a_name(other, name) or bool(_NAMES_A_SITE.search(name)))

    ends = ((parts[:-1], parts[-1]), (parts[1:], parts[0]))
    for kept, dropped in ends:  # the site's name as the page gives it decides first, at either end
        if site and _same_name(dropped, site):
            return " - ".join(kept), dropped
    for kept, dropped in ends:
        rest = " - ".join(kept)
        # A dateline or an <h1> tells the site's name from the headline when the headline is the
        # longer part, and longer than a name (a logo may be an <h1> of its own, and a short headline
        # may open the text: "موازنة 2025: ..."), or, for a dateline, when the name reads as a site's.
        is_site = site_dateline(dropped, rest) or (longer_than_a_name(rest, dropped) and _printed_as_heading(rest, html, "1"))
        a_site_dateline = site_dateline(rest, dropped)
        if is_site or (not whole_at_start and start.startswith(rest) and not a_site_dateline
                       and not start.startswith(dropped)):
            return rest, dropped
    return title, None
