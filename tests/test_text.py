import time

from mujaz.core.text import arabic_share, fold, normalise, words


def test_normalise_removes_what_harms_models():
    raw = "الخار\u0640\u0640جية\u200b الروسية\u200f\r\nسطر\u202bثان\u202c\rثالث"
    assert normalise(raw) == "الخارجية الروسية\nسطرثان\nثالث"
    # Format characters of other kinds: invisible operators, U+180E, annotation marks, tag characters
    assert normalise("ب\u2061ت\u180e ث\ufff9ج\U000e0041ح") == "بت ثجح"


def test_normalise_turns_control_characters_into_spaces():
    # An article must not carry a terminal's escape sequences (a title, a cleared screen) to stdout.
    raw = "أكد \x1b]0;PWNED\x07\x1b[2J\x1b[31mالوزير\x00 أن\x0cالتعاون\x9b\x7fمستمر"
    cleaned = normalise(raw)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in cleaned)
    assert cleaned == "أكد ]0;PWNED [2J [31mالوزير أن التعاون مستمر"


def test_normalise_drops_the_tatweel_that_stretches_and_keeps_the_one_that_writes():
    assert normalise("الخبـــر كَـتَب") == "الخبر كَتَب"
    assert normalise("ـــــــــــ") == "ـــــــــــ"  # a separator line, not "ــ"
    for kept in ('بـ"الجيش الحر"', "خلال الـ 24 ساعة", "لـ «اليوم»", "الـ36 عامًا", "سنة 1445 هـ.", "ـ ما رأيك؟"):
        assert normalise(kept) == kept


def test_normalise_reads_presentation_forms_and_odd_line_ends_as_text():
    assert normalise("ﺍﻟﺨﺎﺭﺟﻴﺔ ﺍﻟﺮﻭﺳﻴﺔ: ﻻﻓﺮﻭﻑ ﺧﻼﻝ") == "الخارجية الروسية: لافروف خلال"  # as copied from a PDF
    assert normalise("سطر\r\r\nثان\r\rثالث") == "سطر\nثان\n\nثالث"  # CRLF converted twice is one line end
    assert normalise("كل\u00adمة\u034f") == "كلمة"  # soft hyphen, combining grapheme joiner


def test_normalise_composes_nfc_and_keeps_diacritics_and_punctuation():
    decomposed = "e\u0301"  # é in NFD
    assert normalise(decomposed) == "\u00e9"
    voweled = "كَتَبَ، «نعم»؟"
    assert normalise(voweled) == voweled


def test_normalise_is_idempotent():
    raw = " a\u0640b \t c \r\n\r\n d\u200d "
    once = normalise(raw)
    assert normalise(once) == once


def test_a_joiner_stays_only_inside_an_emoji():
    """It split 👨‍👩‍👧 (a family) into three people in the Arabic mujaz showed back (a review); between
    letters, or alone, it goes as every zero-width character does."""
    family, heart_on_fire, black_cat, head_shake = "👨\u200d👩\u200d👧", "❤\ufe0f\u200d🔥", "🐈\u200d⬛", "🙂\u200d↔\ufe0f"
    kept = f"عائلة {family} سعيدة و{heart_on_fire} {black_cat} {head_shake}"
    assert normalise(kept) == kept
    assert normalise("ب\u200dا \u200d👍 👍🏽\u200d كلمة\u200d") == "با 👍 👍🏽 كلمة"


def test_links_are_found_without_what_follows_them_and_in_time():
    from mujaz.core.text import LINKS

    found = [m[0] for m in LINKS.finditer("راسلونا (https://moh.gov.sa/ar)، «www.x.com» أو info.platform@moh.gov.sa.")]
    assert found == ["https://moh.gov.sa/ar", "www.x.com", "info.platform@moh.gov.sa"]
    # A link's own brackets are its own: a closing one that pairs with one in it (Wikipedia's) is kept
    found = [m[0] for m in LINKS.finditer("(انظر https://ar.wikipedia.org/wiki/دمشق_(مدينة)) و[www.x.com/a(1)/b]، "
                                          "https://x.com/f(x), https://x.com/a(b.")]
    assert found == ["https://ar.wikipedia.org/wiki/دمشق_(مدينة)", "www.x.com/a(1)/b", "https://x.com/f(x)", "https://x.com/a(b"]
    # from each letter of a long run of them, an e-mail address was looked for: 5 s for 40,000 letters
    started = time.perf_counter()
    assert not LINKS.search("ب" * 400_000 + " " + "a." * 100_000)
    assert len(LINKS.findall("http://" + "(a" * 100_000 + " www." + "()" * 100_000 + ")" * 100_000)) == 2
    assert time.perf_counter() - started < 1


def test_arabic_share():
    assert arabic_share("مرحبا بالعالم") == 1.0
    assert arabic_share("hello") == 0.0
    assert arabic_share("123 !") == 0.0
    assert 0.4 < arabic_share("مرحبا hello") < 0.6


def test_fold_unifies_orthographic_variants():
    assert fold("أإآا") == "اااا"
    assert fold("مدرسة مستشفى") == "مدرسه مستشفي"
    assert fold("كَتَبَ") == "كتب"
    assert words("قال: «إنّ الأمرَ» 2019") == ["قال", "ان", "الامر", "2019"]
