import hashlib
import http.server
import json
import os
import re
import threading
import time

import pytest

from mujaz.core.source import is_arabic_article, load_article, looks_like_html
from mujaz.core.text import arabic_share
from mujaz.errors import BadInput

from conftest import SHARED_EVAL, Socks5Proxy, closed_port


@pytest.fixture(scope="module")
def sample_text(sample) -> str:
    return sample.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), ("utf-8", False)),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), ("utf-8", True)),
        (lambda t: t.encode("utf-16"), ("utf-16", True)),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), ("utf-16", True)),
        (lambda t: t.replace("“", '"').replace("”", '"').encode("cp1256"), ("cp1256", False)),
    ],
)
def test_encodings_are_detected_and_reported(tmp_path, sample_text, encode, expected):
    path = tmp_path / "article.txt"
    path.write_bytes(encode(sample_text))
    article = load_article(str(path))
    # A codec's name, that a script can hand to Python or iconv, and the byte-order mark apart:
    # it said "utf-16 (BOM)", "utf-16-le (no BOM)".
    assert (article.source.encoding, article.source.bom) == expected
    assert article.source.to_json()["encoding"] == expected[0] and article.source.to_json()["bom"] is expected[1]
    assert article.text.startswith("الخارجية الروسية")
    assert "\r" not in article.text and "\ufeff" not in article.text


def test_utf8_with_a_few_bad_bytes_is_read_with_them_replaced(mujaz, tmp_path, sample_text):
    raw = sample_text.encode("utf-8")
    cut = tmp_path / "cut.txt"
    lead = next(i for i in range(1000, len(raw)) if raw[i] >= 0xC0)  # the first byte of a letter
    cut.write_bytes(raw[:lead + 1])  # as `head -c` leaves it: the last letter cut in two
    stray = tmp_path / "stray.txt"
    at = raw.index("موسكو".encode("utf-8"))
    stray.write_bytes(raw[:at] + b"\xff" + raw[at:])
    for path in (cut, stray):
        article = load_article(str(path))
        assert article.source.encoding == "utf-8" and article.source.replaced == 1
    for command in (["summarise", "--method", "extractive"], ["segment"]):  # segment says it too
        done = mujaz(*command, str(stray), "-f", "json")
        assert done.returncode == 0
        assert json.loads(done.stdout)["warnings"] == ["1 invalid UTF-8 sequence(s) in the input, read as U+FFFD"]
        assert "mujaz: warning: 1 invalid UTF-8 sequence(s) in the input" in done.stderr.decode()
    assert mujaz("segment", str(stray), "-q").stderr == b""


def test_utf8_with_a_paragraph_of_another_encoding_is_said_to_be_so(tmp_path, sample_text):
    """It was "cannot decode the bytes as text in any known encoding (save it as UTF-8)": it is UTF-8."""
    from mujaz.errors import BadInput

    mixed = tmp_path / "mixed.txt"
    utf8 = sample_text.encode("utf-8")
    added = "\nنعم، وأضاف الوزير أن المحادثات ستستمر، الأسبوع المقبل في موسكو.".encode("cp1256")
    mixed.write_bytes(utf8 + added)
    bad = len(added) - len(added.decode("utf-8", errors="ignore").encode("utf-8"))  # bytes (one U+FFFD may stand for two)
    assert bad > added.decode("utf-8", errors="replace").count("\ufffd")
    said = f"UTF-8 text with {bad} bytes that are not UTF-8 \\(the first at byte {len(utf8) + 1:,}\\)"
    with pytest.raises(BadInput, match=said):
        load_article(str(mixed))


def test_utf16_cut_short_and_utf8_with_windows_quotes_are_read(tmp_path, sample_text):
    raw = sample_text.encode("utf-16")  # with a byte-order mark
    for name, data, encoding in (
        ("bom.txt", raw[:2001], "utf-16"),  # cut inside a character: was "not valid utf-16"
        ("no-bom.txt", sample_text.encode("utf-16-le")[:2001], "utf-16-le"),  # was "binary data"
        # curly quotes typed on Windows (cp1252 0x93/0x94) in a UTF-8 file: was "cannot decode"
        ("quotes.txt", sample_text.encode("utf-8").replace("“".encode(), b"\x93").replace("”".encode(), b"\x94"), "utf-8"),
    ):
        (tmp_path / name).write_bytes(data)
        article = load_article(str(tmp_path / name))
        assert article.source.encoding == encoding and 1 <= article.source.replaced <= 8, name
        assert article.text.startswith("الخارجية الروسية")


def test_a_declared_charset_python_cannot_use_is_only_a_hint(tmp_path, sample_text):
    page = f'<html><head><meta charset="undefined"><title>خبر</title></head><body><p>{sample_text}</p></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode("cp1256", errors="ignore"))
    assert load_article(str(tmp_path / "page.html")).source.encoding == "cp1256"  # was a UnicodeError, exit 1


def test_a_path_that_cannot_be_reached_says_why(tmp_path):
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    with pytest.raises(BadInput, match="one: cannot read: too many levels of symbolic links"):
        load_article(str(tmp_path / "one"))
    with pytest.raises(BadInput, match="no such file") as missing:
        load_article(str(tmp_path / "missing.txt"))
    assert "https://" not in missing.value.hint
    with pytest.raises(BadInput, match="no such file") as web_address:
        load_article("www.aljazeera.net/news/2024/12/2/article")
    assert web_address.value.hint == "for the web page, give https://www.aljazeera.net/news/2024/12/2/article"
    with pytest.raises(BadInput, match="is a directory"):
        load_article(str(tmp_path))


@pytest.mark.parametrize(("encoding", "declared", "expected"), [
    ("cp1256", "iso-8859-1", "cp1256"),  # a page that declares a Western charset over Arabic bytes
    ("iso8859-6", "windows-1256", "iso8859-6"),  # the other Arabic code page, mislabelled (it read as mojibake)
    ("cp1256", "cp864", "cp1256"),  # an Arabic code page named over another's bytes: Arabic letters, wrong words
    ("cp1256", "cp720", "cp1256"),
    ("cp1256", "mac-arabic", "cp1256"),
    ("iso8859-6", "cp864", "iso8859-6"),  # the same letters, as shaped glyphs, and its tanween as ض
    ("utf-16-le", None, "utf-16-le"),  # refused as binary before
    ("utf-16-be", None, "utf-16-be"),
])
def test_a_wrong_or_missing_charset_does_not_hide_the_arabic(tmp_path, encoding, declared, expected):
    body = "<p>وكان وانغ يي وصل إلى موسكو في وقت سابق اليوم الإثنين، في مستهل رحلة تستغرق أربعة أيام إلى روسيا.</p>" * 3
    meta = f'<meta charset="{declared}">' if declared else ""
    page = f"<!DOCTYPE html><html><head>{meta}<title>عنوان الخبر</title></head><body>{body}</body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    article = load_article(str(path))
    assert article.source.encoding == expected
    assert "وصل إلى موسكو" in article.text


def test_a_right_declared_arabic_charset_spares_the_detection(monkeypatch, sample_text):
    """A page declaring its Arabic code page rightly ran charset detection anyway, to compare (1.7 s for a
    2.3 MB page, where the undeclared took 0.5 s); it is needed only where the declared reading may be wrong."""
    import charset_normalizer

    from mujaz.core.source import decode

    raw = sample_text.encode("cp1256")
    asked = []
    real = charset_normalizer.from_bytes
    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda *a, **k: asked.append(1) or real(*a, **k))
    assert decode(raw, declared="windows-1256") == (sample_text, "cp1256", 0, False) and asked == []
    assert decode(raw, declared="cp864").text == sample_text and asked  # another page's letters: detection decides


def test_crlf_and_tatweel_are_normalised(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("عنوان الخبـــر\r\nنص الخبر هنا.\r\n".encode("utf-8"))
    assert load_article(str(path)).text == "عنوان الخبر\nنص الخبر هنا."


def test_sha256_and_chars(sample):
    import hashlib

    article = load_article(str(sample))
    assert article.source.sha256 == hashlib.sha256(sample.read_bytes()).hexdigest()
    assert article.source.chars == len(article.text)
    assert article.source.to_json()["path"] == str(sample)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t\n", "is empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"Hello, this is an English text about the weather.", "not Arabic"),
        (b"\xff\xfe\x00\xd8", "byte-order mark"),
        ("وزیر امور خارجه ایران گفت\nوزیر امور خارجه ایران روز دوشنبه گفت که کشورش آماده گفتگو است.".encode(),
         "Persian, Urdu or Kurdish"),
        ("پاکستان کے وزیر اعظم نے کہا\nحکومت عوام کی خدمت کرے گی۔".encode(), "Persian, Urdu or Kurdish"),
        # Persian in Arabic's yeh and kaf, without its own four letters: known by its words.
        ("رئيس جمهور ايران روز دوشنبه در سفر به مسكو با همتاي روسي خود ديدار كرد.\nاو در اين ديدار از آماده بودن"
         " كشورش براي همكاري بيشتر در زمينه انرژي خبر داد و افزود كه دو كشور بايد روابط خود را توسعه دهند.".encode(),
         "Persian, Urdu or Kurdish"),
        ("سەرۆکی هەرێمی کوردستان گوتی\nسەرۆکی هەرێم ئەمڕۆ لە هەولێر کۆبوونەوەیەکی ئەنجامدا.".encode(),
         "Persian, Urdu or Kurdish"),
        ("<html><head><title>عنوان الخبر</title></head><body><nav>الرئيسية</nav></body></html>".encode(),
         "no article text found"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(BadInput) as raised:
        load_article(str(path))
    assert message in raised.value.message
    assert str(path) in raised.value.message


def test_an_arabic_article_with_a_borrowed_letter_is_still_arabic(tmp_path, sample):
    # A Persian name (گ, پ) in an Arabic article is not Persian.
    path = tmp_path / "names.txt"
    path.write_text(sample.read_text(encoding="utf-8") + "\nوقال مراسل صحيفة گاردین إن پوتين وصل.\n", encoding="utf-8")
    assert "گاردين" in load_article(str(path)).text  # the Farsi yeh in Arabic's form


def test_an_arabic_article_a_page_follows_with_english_is_arabic(tmp_path, sample):
    """ARGEn's "السودان اليوم" pages end in English spam longer than the article (row 41: 48% of the
    letters Arabic): refused as not Arabic. Its opening (headline and lead) is what decides; an English
    article under an Arabic line is still refused."""
    spam = " ".join(["so please keep your comments smart and civil, says Martin Turner of the outlet."] * 30)
    path = tmp_path / "spam.txt"
    path.write_text(sample.read_text(encoding="utf-8") + "\n" + spam + "\n", encoding="utf-8")
    assert load_article(str(path)).text.endswith("of the outlet.")
    path.write_text("خبر عاجل\n" + spam + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match="not Arabic"):
        load_article(str(path))
    # nor an English article under an Arabic title and quotation (a review: 20% Arabic in all, half its
    # opening; its summary was the quotation alone), said with its share in all, rounded down
    quoted = "وزير الخارجية يصل إلى موسكو\nقال الوزير: «سنعمل معا من أجل السلام والاستقرار في المنطقة كلها»."
    path.write_text(quoted + "\n" + spam + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"not Arabic text \(only \d+% of its letters"):
        load_article(str(path))
    assert not is_arabic_article(quoted + " " + spam) and is_arabic_article(quoted)
    # 49.7%: not "only 50%". (In words, as English is written: a 503-letter "word" is no English sentence,
    # and beside 497 Arabic letters reads as Arabic with a name in it.)
    path.write_text(" ".join(["x"] * 503 + ["ب"] * 497) + "\n", encoding="utf-8")
    with pytest.raises(BadInput, match="only 49% of its letters"):
        load_article(str(path))


def test_arabic_news_with_a_link_or_english_names_in_its_lines_is_arabic(tmp_path):
    """A link's letters were counted: an item with one tracking link was refused as "only 45%" Arabic, a
    sentence with a long one as "only 0%"; and a tech item that names its products in English (45%) too."""
    link = ("https://www.moh.gov.sa/ar/Ministry/MediaCenter/News/Pages/news-2024-05-01-001.aspx"
            "?utm_source=twitter&utm_medium=social&utm_campaign=launch_platform_2024")
    item = ("وزارة الصحة تطلق منصة جديدة\nأطلقت وزارة الصحة منصة لحجز المواعيد.\nللتسجيل: " + link
            + "\nوأكد الوزير أن المنصة ستخدم الجميع، وللاستفسار: info.platform@moh.gov.sa\n")
    tech = ("آبل تكشف عن iPhone 16 Pro Max\n"
            "كشفت Apple عن هاتف iPhone 16 Pro Max بمعالج A18 Pro وكاميرا Telephoto ونظام iOS 18 مع Apple Intelligence.\n"
            "ويدعم الهاتف شبكات Wi-Fi 7 و Bluetooth 5.3 ومنفذ USB-C بسرعة USB 3.\n")
    for text in (item, tech, "قال الوزير إن المنصة متاحة على " + link * 20 + " للجميع."):
        assert arabic_share(text) < 0.5 and is_arabic_article(text)
    path = tmp_path / "item.txt"
    path.write_text(item, encoding="utf-8")
    assert link in load_article(str(path)).text  # read, the link kept
    # An English article under an Arabic title, Arabic quotations after it: a third Arabic, its lines not.
    english = "The minister arrived in Moscow on Monday for talks with his counterpart, officials said.\n" * 5
    quotation = "وقال الوزير في ختام المباحثات: «سنعمل معا من أجل السلام والاستقرار في المنطقة كلها».\n" * 2
    text = "وزير الخارجية يصل إلى موسكو\n" + english + quotation
    assert 0.25 < arabic_share(text) < 0.5 and not is_arabic_article(text)
    # nor English that glosses its terms in Arabic, the glosses breaking its sentences into short runs
    glossed = ("The Saudi cabinet (مجلس الوزراء) approved on Monday a new law (نظام) on personal data "
               "(البيانات الشخصية), the ministry (الوزارة) said. It takes effect (يدخل حيز التنفيذ) next year. ") * 3
    assert 0.25 < arabic_share(glossed) < 0.5 and not is_arabic_article(glossed)


def test_arabic_typed_on_a_persian_keyboard_is_read_in_arabic_letters(tmp_path, sample):
    text = sample.read_text(encoding="utf-8")
    path = tmp_path / "keyboard.txt"
    path.write_text(text.replace("ي", "ی").replace("ك", "ک"), encoding="utf-8")
    article = load_article(str(path))
    assert article.text == load_article(str(sample)).text


@pytest.mark.parametrize(("text", "arabic"), [
    # Dialects saying what Persian says too: Moroccan را, Yemeni با (the future), شد.
    ("را قلت ليك ما تمشيش لهيه، ولكن نتا ما كتسمعش. را الدنيا صعيبة بزاف وخاصك تخدم على راسك. را حنا كاملين كنعانيو "
     "من الغلا، والحكومة ما دايرة والو.", True),
    ("با نروح السوق بكرة إن شاء الله، وبا نشتري القات والخضرة. قال لي أبوي: با تجي معانا؟ قلت له: با اجي بس بعد "
     "الظهر. الحر شد علينا اليوم.", True),
    # Iraqi, with چ and گ and little of the article.
    ("يا جماعة آني ما أدري شنو صاير بيكم، كل يوم نفس الحچي. چان أكو أمل بس هسة ماكو. أخوي گال راح يجي باچر بس ما "
     "إجه. گلبي محروگ عليه. گلتله مية مرة لا تگعد وية هذولة، بس ما يسمع الحچي. وأمه تبچي عليه كل ليلة.", True),
    # A short Arabic article quoting a Persian verse.
    ("الأمم المتحدة تستذكر سعدي الشيرازي\nيستقبل زوار مقر الأمم المتحدة في نيويورك سجادا كتبت عليه أبيات سعدي: "
     "«بنی آدم اعضای یک پیکرند / که در آفرینش ز یک گوهرند / چو عضوی به درد آورد روزگار / دگر عضوها را نماند قرار». "
     "وقال المتحدث باسم المنظمة إن الأبيات تلخص رسالتها.", True),
    # Urdu, with ؤ (چناؤ، دباؤ) and ان ("them"), and short Persian, which Arabic's words once let through.
    ("الیکشن کمیشن نے چناؤ کی تاریخ کا اعلان کر دیا۔ ان کا کہنا ہے کہ ان انتخابات میں ان تمام جماعتوں کو حصہ لینے "
     "کی اجازت ہوگی، اور ان کے امیدواروں پر کوئی دباؤ نہیں ڈالا جائے گا۔", False),
    ("آن مرد گفت من فردا به تهران می‌روم", False),
    # Urdu's والے and والی ("the one who") and الیکشن are no Arabic article.
    ("پاکستان میں عام انتخابات کے لیے الیکشن کمیشن نے شیڈول جاری کر دیا ہے۔ الیکشن کمیشن کے مطابق کاغذات نامزدگی جمع "
     "کرانے والے امیدوار بیس دسمبر تک درخواستیں دے سکیں گے۔ الیکشن میں حصہ لینے والی جماعتوں کو انتخابی نشانات الاٹ "
     "کیے جائیں گے۔", False),
])
def test_dialects_and_quotes_are_arabic_and_urdu_and_persian_are_not(tmp_path, text, arabic):
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    if arabic:
        assert load_article(str(path)).text
    else:
        with pytest.raises(BadInput, match="Persian, Urdu or Kurdish"):
            load_article(str(path))


def test_arabic_typed_on_a_persian_keyboard_without_hamza_or_ta_marbuta_is_arabic(tmp_path, sample):
    # Its letters alone look Persian (keheh and Farsi yeh, no ة أ إ ؤ); its words are Arabic's.
    text = sample.read_text(encoding="utf-8")
    for arabic, persian_keyboard in ("يی", "كک", "أا", "إا", "ؤو", "ةه"):
        text = text.replace(arabic, persian_keyboard)
    path = tmp_path / "keyboard.txt"
    path.write_text(text, encoding="utf-8")
    assert "وزير" in load_article(str(path)).text
    # and with the Urdu keyboard's heh doachashmee for a heh inside a word
    path.write_text(re.sub("ه(?=\\w)", "ھ", text), encoding="utf-8")
    assert "وزير" in load_article(str(path)).text


def test_a_file_that_cannot_be_read_says_what_to_do_where_that_is_known():
    import errno

    from mujaz.core.source import cannot_read

    assert cannot_read("a.txt", PermissionError(errno.EACCES, "Permission denied")).line() == (
        "mujaz: error: a.txt: cannot read: permission denied (check its permissions (ls -l), or read it as a user who may)")
    assert cannot_read("a.txt", OSError(errno.EIO, "Input/output error")).hint is None  # nothing to advise


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(BadInput, match="empty source name"):
        load_article("")
    with pytest.raises(BadInput, match="no such file"):
        load_article(str(tmp_path / "nope.txt"))
    with pytest.raises(BadInput, match="directory"):
        load_article(str(tmp_path))


def test_text_that_names_tags_is_text_and_a_fragment_is_html(tmp_path, sample_text):
    about_tags = tmp_path / "about.txt"
    about_tags.write_text(sample_text + "\nوكتب: استخدموا الوسم <p> و <div> و <span> في الصفحة.\n", encoding="utf-8")
    article = load_article(str(about_tags))
    assert article.source.format == "text" and article.text.endswith("استخدموا الوسم <p> و <div> و <span> في الصفحة.")
    lines = sample_text.splitlines()
    # and one paragraph in its tags, the whole file (a new user's fragment, read with its tags as text)
    for name, page in (("closed.txt", "".join(f"<p>{line}</p>" for line in lines)),
                       ("broken.txt", "<br>\n".join(lines)),
                       ("one.txt", f"<p class='lead'>{max(lines, key=len)}</p>\n"),
                       ("div.txt", f"<div>\n{max(lines, key=len)}\n</div>")):
        (tmp_path / name).write_text(page, encoding="utf-8")
        article = load_article(str(tmp_path / name))
        assert article.source.format == "html" and "<p>" not in article.text and "<br>" not in article.text


def test_html_is_recognised_by_content(tmp_path):
    html = (
        "<!DOCTYPE html><html><head><meta charset='windows-1256'><title>عنوان الصفحة</title></head><body>"
        "<article><h1>عنوان الصفحة</h1><p>أكد وزير الخارجية الروسي أهمية التعاون مع الصين في الشؤون الدولية "
        "خلال جلسة مباحثات في موسكو اليوم.</p><p>وقال الوزير إن البلدين يعملان على إيجاد عالم متعدد الأقطاب "
        "ويرفضان الهيمنة من طرف واحد.</p></article></body></html>"
    )
    path = tmp_path / "page.txt"  # not .html: the content decides
    path.write_bytes(html.encode("cp1256"))
    assert looks_like_html(path.read_bytes())
    article = load_article(str(path))
    assert article.source.format == "html"
    assert article.source.encoding == "cp1256"
    assert article.title == "عنوان الصفحة"
    assert "متعدد الأقطاب" in article.text and "<p>" not in article.text


def test_a_page_dated_in_a_time_zone_dateutil_does_not_know_says_nothing_of_it(mujaz, tmp_path):
    """dateutil's UnknownTimezoneWarning (trafilatura reading the page's date, which mujaz does not use)
    reached stderr past --quiet: two lines of a library's source for a <meta> of Gulf time."""
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><meta name="last-modified" content="2020-03-15 20:18:45 GST" />'
        "<title>عنوان الصفحة</title></head><body><article><h1>عنوان الصفحة</h1><p>أكد وزير الخارجية الروسي أهمية "
        "التعاون مع الصين في الشؤون الدولية خلال جلسة مباحثات في موسكو اليوم.</p><p>وقال الوزير إن البلدين يعملان "
        "على إيجاد عالم متعدد الأقطاب ويرفضان الهيمنة من طرف واحد.</p></article></body></html>", encoding="utf-8")
    done = mujaz("segment", str(page), "-q")
    assert done.returncode == 0 and "متعدد الأقطاب" in done.stdout.decode() and done.stderr == b"", done.stderr.decode()


@pytest.mark.skipif(not (SHARED_EVAL / "html").is_dir(), reason="shared eval data absent")
def test_real_news_page():
    page = SHARED_EVAL / "html" / "cnn_arabic_2013" / "arabic_article.html"
    article = load_article(str(page))
    assert article.source.format == "html"
    assert article.title
    assert len(article.text) > 500


@pytest.mark.skipif(not (SHARED_EVAL / "html").is_dir(), reason="shared eval data absent")
def test_real_pages_keep_their_lead_and_lose_the_site_name():
    pages = SHARED_EVAL / "html" / "mediacloud_2020"
    sputnik = load_article(str(pages / "1550981615.html"))  # its lead sits apart from the body
    lead = sputnik.text.split("\n")[0]
    assert lead.startswith("أعلنت وزارة الصحة والسكان المصرية، اليوم الثلاثاء، تسجيل 30 حالة جديدة")
    assert lead.endswith("بالإضافة إلى تسجيل حالتي وفاة جديدتين.")  # whole, not the description's "تسجيل..."
    assert load_article(str(pages / "1691196862.html")).title.endswith("مع جامعة القاهرة")  # "... - اليوم السابع"
    madina = load_article(str(pages / "1588107198.html"))  # "المدينة نيوز - ..."
    assert madina.title == "أميركا :50 الفا حصيلة الوفيات بسبب فيروس كورونا"
    from mujaz.core.segment import segment_article

    said = [segment.text for segment in segment_article(madina.text, madina.title)]
    assert said.count(madina.title) == 1  # the body's copy of it is not said again as a heading
    assert "اصابات بفيروس كورونا" not in madina.text  # the photo's caption, in the photo's box: no sub-heading
    beirut = load_article(str(pages / "1764731404.html"))  # the description is the site's tagline: not a lead
    assert "موقع إخباري" not in beirut.text.split("\n")[0]
    # The page's furniture goes: its date line, the site's name opening the lead, the agency's credit.
    assert "تم نشره" not in madina.text and "(بترا)" not in madina.text
    assert "\nبلغت حصيلة الوفيات" in madina.text and "المدينة نيوز" not in madina.text
    cnn = load_article(str(SHARED_EVAL / "html" / "cnn_arabic_2013" / "arabic_article.html")).text
    assert "سياسة الخصوصية" not in cnn and "لا تعبر عن رأي" not in cnn  # its comment policy under the article
    assert cnn.split("\n")[-1].endswith("في سوريا بشكل مستقل.")  # and the article's last paragraph stays
    assert cnn.startswith("دمشق، سوريا (CNN) --")  # a city's dateline is no site name


def test_page_furniture_goes_and_the_article_stays():
    from mujaz.core.page import _without_page_furniture

    body = "أعلنت وزارة الصحة اليوم تسجيل ثلاثين إصابة جديدة بالفيروس في العاصمة والمحافظات المجاورة."
    policy = "الآراء الواردة أدناه لا تعبر عن رأي الموقع. جميع الحقوق محفوظة."
    page = (f"تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً\nالموقع الإخباري :- {body}\n{body}\n{policy}"
            "\n-- (أ ف ب)")
    assert _without_page_furniture(page, ["الموقع الإخباري"]) == f"{body}\n{body}"
    # The same words in the article's own sentences stay, at its end or at its top; so does a
    # credit that is not the last line, and a one-word site name that is a city's too.
    kept = [
        f"{body}\nوقال المتحدث إن تصريحات النائب لا تعبر عن رأي الحكومة الرسمي، داعيا إلى التهدئة.",
        f"{body}\nوأكدت الشركة أن سياسة الخصوصية الجديدة ستدخل حيز التنفيذ.\nوقالت إن شروط الاستخدام لم تتغير منذ 2018.",
        f"{body}\nوأثارت تعليقات القراء على المقال جدلا واسعا على مواقع التواصل.",
        f"نشر في الجريدة الرسمية القرار رقم 12 لسنة 2020 بشأن الحجر.\n{body}",
        f"آخر تحديث للحصيلة صدر مساء الأحد وأشار إلى 40 وفاة.\n{body}",
        f"{body}\n(أ ف ب)\n{body}",
        f"الرياض - {body}",
    ]
    for text in kept:
        assert _without_page_furniture(text, ["الرياض"]) == text
    assert _without_page_furniture(f"الموقع الإخباري - {body}", ["موقع آخر"]) == f"الموقع الإخباري - {body}"
    assert _without_page_furniture("الموقع الإخباري - قصير", ["الموقع الإخباري"]) == "الموقع الإخباري - قصير"
    # A date alone at the top, a link to another article or an advertisement's label anywhere,
    # the source or "follow us" at the end: each was kept as a heading or sentence (a teaser summarised).
    page = "\n".join(["الأحد 12 مارس 2023 - 10:45 ص", body, "اقرأ أيضا: الحكومة تعلن خطة لدعم المزارعين",
                      "إعلان", body, "المصدر: رويترز", "تابعونا على تطبيق نبض وعلى تويتر"])
    assert _without_page_furniture(page, []) == f"{body}\n{body}"
    kept = [f"{body}\nوقالت المصادر إن الوزير سيزور بكين.", f"{body}\nتابعونا الأسبوع الماضي حين زار الوزير بكين وأعلن "
            "أن البلدين سيوقعان اتفاقا للتعاون في مجال الطاقة والنقل والاتصالات خلال الأشهر المقبلة.",
            f"{body}\nشاهد المئات العرض في الساحة الرئيسية.",
            f"{body}\nواشترك في المؤتمر وزراء من عشر دول عربية.", f"{body}\nوقال إن الحقوق محفوظة للجميع بموجب الدستور."]
    for text in kept:
        assert _without_page_furniture(text, []) == text
    # Other labels of lists of links ("أخبار متعلقة", "المزيد من الأخبار", its titles a line each), the tags, and
    # the page's end ("للمزيد من الأخبار تابعونا ...", "اشترك في النشرة ...", "© جميع الحقوق محفوظة لصحيفة الوطن
    # 2023"): each was kept, and a long summary took them (a review of awkward articles).
    titles = ["زلزال بقوة خمس درجات يضرب شرق إيران", "تركيا تعلن الحداد الوطني على ضحايا الفيضانات"]
    for label in ("أخبار متعلقة", "مواضيع مشابهة", "المزيد من الأخبار"):
        for listed in ([f"- {title}" for title in titles], titles):
            page = "\n".join([body, body, label, *listed, "الوسوم: زلزال - تركيا - أضنة",
                              "للمزيد من الأخبار تابعونا على صفحتنا في فيسبوك وحسابنا على تويتر.",
                              "حمّل تطبيق الخليج الآن لتصلك آخر الأخبار لحظة بلحظة.",
                              "اشترك في النشرة البريدية ليصلك أهم الأخبار يوميا على بريدك الإلكتروني.",
                              "© جميع الحقوق محفوظة لصحيفة الوطن 2023"])
            assert _without_page_furniture(page, [], links=set(titles)) == f"{body}\n{body}", (label, listed)


def test_a_photo_caption_in_the_photos_box_is_no_part_of_the_article(tmp_path):
    body = "".join(f"<p>أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين بقيمة {n} مليون دينار في المحافظات.</p>"
                   for n in range(100, 104))
    photo = '<div class="article-photo"><img src="a.jpg" alt=""><div class="red">وزير الزراعة خلال المؤتمر</div></div>'
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>خطة لدعم المزارعين</title></head><body><article><h1>خطة لدعم المزارعين</h1>"
                    f"{photo}{body}</article></body></html>", encoding="utf-8")
    article = load_article(str(page))
    assert "وزير الزراعة" not in article.text and "بقيمة 100 مليون" in article.text
    # So too where an editor set the picture in a paragraph of its own, or the box is a <p> itself
    for photo in ('<div class="article-image"><p><img src="a.jpg"></p><div>وزير الزراعة خلال المؤتمر</div></div>',
                  '<p class="image"><img src="a.jpg"><br>وزير الزراعة خلال المؤتمر</p>'):
        page.write_text(f"<html><head><title>خطة لدعم المزارعين</title></head><body><article><h1>خطة لدعم المزارعين</h1>"
                        f"{photo}{body}</article></body></html>", encoding="utf-8")
        assert "وزير الزراعة" not in load_article(str(page)).text, photo
    # A box so named that holds a heading, a paragraph, or more than a caption's words is the
    # article's: kept (a lead beside the photo, a photo story, WordPress's has-post-thumbnail post).
    lead = "أعلن وزير الزراعة اليوم خطة لدعم المزارعين كلمة كلمة كلمة"
    for box in ('<div class="image-story"><img src="a.jpg"><h2>وزير الزراعة خلال المؤتمر</h2>'
                f'<p>{"كلمة " * 30}</p></div>', f'<div class="with-photo"><img src="a.jpg"><p>{"كلمة " * 30}</p></div>',
                f'<div class="post-thumbnail-wrap"><img src="a.jpg"><p>{lead}</p></div>',
                f'<div class="post has-post-thumbnail"><img src="a.jpg">{lead}</div>',
                f'<div class="photo-box"><img src="a.jpg">{lead} {"كلمة " * 10}</div>'):
        page.write_text(f"<html><head><title>خطة لدعم المزارعين</title></head><body><article>{box}{body}</article>"
                        "</body></html>", encoding="utf-8")
        assert "كلمة كلمة" in load_article(str(page)).text, box
    # A page that is a photo and its caption is read whole, not refused for want of text.
    caption = "صورة تظهر وزير الزراعة يتفقد حقول القمح في المحافظات الشمالية صباح اليوم"
    page.write_text(f'<html><head><title>جولة الوزير</title></head><body><div class="photo"><img src="a.jpg">'
                    f"<p>{caption}</p></div></body></html>", encoding="utf-8")
    assert caption in load_article(str(page)).text


def test_site_names_in_titles():
    from mujaz.core.page import _dropped_lead, _without_site_name

    text = "أكد وزير الخارجية الروسي أهمية التعاون مع الصين."
    assert _without_site_name("لافروف في بكين - اليوم السابع", "اليوم السابع", text)[0] == "لافروف في بكين"
    assert _without_site_name("الموقع | لافروف في بكين", None, "لافروف في بكين\n" + text) == ("لافروف في بكين", "الموقع")
    assert _without_site_name("سعر الدولار - اليورو اليوم", "موقع", text)[0] == "سعر الدولار - اليورو اليوم"  # both ends are news
    # A word of the headline that is also in the site's name is not the site's name.
    assert _without_site_name("مصر - السودان: موعد المباراة", "مصراوي", text)[0] == "مصر - السودان: موعد المباراة"
    assert _without_site_name("الأهلي | الزمالك في النهائي", "الأهلي نيوز", text)[0] == "الأهلي | الزمالك في النهائي"
    assert _without_site_name("لافروف في بكين | Example", "https://www.example/", text)[0] == "لافروف في بكين"
    # The text starts with the whole title (its <h1>): all of it is the headline, not "عاجل".
    assert _without_site_name("عاجل | لافروف في بكين", None, "عاجل | لافروف في بكين\n" + text) == (
        "عاجل | لافروف في بكين", None)
    lead = "أعلنت وزارة الخارجية الروسية اليوم أن الوزير لافروف سيزور بكين الأسبوع المقبل."
    page = f"<div><p>{lead}</p><p>{text}</p></div>"  # no <body> tag
    assert _dropped_lead(lead[:70] + "...", "لافروف يزور بكين", text, page) == lead  # the paragraph, whole
    assert _dropped_lead(lead, "سعر الذهب اليوم", text, page) is None  # nothing shared with the headline


def test_a_site_name_as_dateline_or_beside_the_h1_is_no_headline(tmp_path):
    """A site's name that opens the article as its dateline was taken for the headline ("المدينة نيوز",
    the real one dropped), and one the page names nowhere else stayed in it ("... - اليوم السابع")."""
    from mujaz.core.page import _without_site_name

    text = "المدينة نيوز :- بلغت حصيلة الوفيات الناجمة عن الفيروس في الولايات المتحدة 50 ألفا مساء الخميس."
    assert _without_site_name("المدينة نيوز - أميركا: 50 ألفا حصيلة الوفيات", None, text) == (
        "أميركا: 50 ألفا حصيلة الوفيات", "المدينة نيوز")
    # a short headline too, either side, when the name reads as a site's ("نيوز"): it became the title
    for title in ("ارتفاع أسعار النفط - المدينة نيوز", "المدينة نيوز - ارتفاع أسعار النفط"):
        assert _without_site_name(title, None, text)[0] == "ارتفاع أسعار النفط", title
    # ...but a short headline that opens the text is no site for holding قناة, صحيفة, شبكة ("صحيفة أمريكية:")
    for headline, site, site_given in [("قناة السويس", "الأهرام", None), ("صحيفة أمريكية", "الشروق", None),
                                       ("شبكة الكهرباء", "اليوم السابع", None), ("قناة السويس", "الأهرام", "الأهرام")]:
        opening = f"{headline}: سجلت الإيرادات ارتفاعا كبيرا خلال الشهر الماضي بحسب الأرقام الرسمية."
        for title in (f"{headline} - {site}", f"{site} - {headline}"):
            assert _without_site_name(title, site_given, opening) == (headline, site), title
    body = "".join(f"<p>أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين بقيمة {n} مليون دينار في المحافظات.</p>"
                   for n in range(100, 106))
    headline = "وزير الري يشهد توقيع عقد دراسة السحب الآمن للخزانات الجوفية"
    page = tmp_path / "page.html"
    for logo in ("", "<h1>اليوم السابع</h1>"):  # a site's logo may be an <h1> too: not the headline
        page.write_text(f"<html><head><title>{headline} - اليوم السابع</title></head><body>{logo}<article>"
                        f"<h1>{headline}</h1>{body}</article></body></html>", encoding="utf-8")
        assert load_article(str(page)).title == headline, logo
    # A short headline that opens the text ("موازنة 2025: ...") is no dateline; a site's logo that is
    # an <h1> with a name longer than three words is not taken for the headline.
    page.write_text(f"<html><head><title>موازنة 2025 - سكاي نيوز عربية</title></head><body><article>"
                    f"<p>موازنة 2025: الحكومة تخصص نصف مليار دينار لدعم المشاريع الصغيرة في كل المحافظات.</p>{body}"
                    "</article></body></html>", encoding="utf-8")
    article = load_article(str(page))
    assert article.title == "موازنة 2025" and article.text.startswith("موازنة 2025: الحكومة تخصص")
    page.write_text(f'<html><head><title>{headline} - وكالة الأنباء القطرية قنا</title><meta property="og:title" '
                    f'content="{headline} - وكالة الأنباء القطرية قنا"></head><body>'
                    f'<h1><a href="/"><img src="l.png">وكالة الأنباء القطرية قنا</a></h1><article>{body}</article>'
                    "</body></html>", encoding="utf-8")
    assert load_article(str(page)).title == f"{headline} - وكالة الأنباء القطرية قنا"
    # A title's end is no site's name because the headline is an <h1>: the <h1> must be all of the rest
    page.write_text(f"<html><head><title>الحكومة تعلن خطة - الزراعة أولا وأخيرا</title></head><body><article>"
                    f"<h1>الحكومة تعلن خطة - الزراعة أولا وأخيرا</h1>{body}</article></body></html>", encoding="utf-8")
    assert load_article(str(page)).title == "الحكومة تعلن خطة - الزراعة أولا وأخيرا"


def test_a_read_also_link_is_known_by_its_text_as_a_reader_sees_it(tmp_path):
    """An entity, an inner tag or a line break in the link's HTML kept another article's title in the text."""
    body = "".join(f"<p>أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين بقيمة {n} مليون دينار في المحافظات.</p>"
                   for n in range(100, 104))
    page = tmp_path / "page.html"
    for link in ('الحكومة تقر &quot;خطة&quot; لدعم القطاع الصحي', '<span>الحكومة</span> تقر "خطة" لدعم القطاع الصحي',
                 'الحكومة تقر "خطة"\n   لدعم&nbsp;القطاع الصحي'):
        page.write_text(f"<html><head><title>خطة لدعم المزارعين</title></head><body><article><h1>خطة لدعم المزارعين</h1>"
                        f'{body}<p><strong>اقرأ أيضا</strong></p><p><a href="/n/1">{link}</a></p>{body}</article>'
                        "</body></html>", encoding="utf-8")
        assert "القطاع الصحي" not in load_article(str(page)).text, link


def test_the_titles_a_bare_read_also_label_introduces_go_with_it():
    """"اقرأ أيضا:" alone on its line, the other article's title (or a list of them) under it: the
    title was kept as a heading of the article, the list as its sentences."""
    from mujaz.core.page import _without_page_furniture

    body = "أعلنت وزارة الصحة اليوم تسجيل ثلاثين إصابة جديدة بالفيروس في العاصمة والمحافظات المجاورة."
    other = "وزير الري: لجنة إيراد النهر في انعقاد مستمر لمتابعة الفيضان"
    second = "الري: طرح الاعتمادات المالية لتأهيل الترع.. صور"
    links = {other, second}  # the page's links' texts
    for teaser in ([" اقرأ أيضًا:", other], ["اقرأ أيضا", f"- {other}", f"- {second}"], ["اقرأ أيضا:", "", other, ""]):
        kept = "\n".join([body, *[line for line in teaser if not line], body])  # blank lines: paragraphs' ends
        assert _without_page_furniture("\n".join([body, *teaser, body]), [], links) == kept, teaser
    # What follows the label's list stays; so does the article's own line after a bare label, whose
    # links the extractor left out (it was taken for a title), or that is no link's text.
    page = "\n".join([body, "اقرأ أيضا:", f"- {other}", "عودة الوفد", body])
    assert _without_page_furniture(page, [], links) == f"{body}\nعودة الوفد\n{body}"
    for line in ("وبين الوزير شروط البرنامج:", "فهل تنجح الحكومة هذه المرة؟", body):
        assert _without_page_furniture(f"{body}\nاقرأ أيضا:\n{line}", [], links) == f"{body}\n{line}"
    assert _without_page_furniture(f"{body}\nاقرأ أيضا:\n{other}", []) == f"{body}\n{other}"  # not a link
    # The other labels a page puts on its links to other articles (a review)
    for label in ("مواضيع ذات صلة", "ذات صلة:", "اقرأ المزيد:", "للمزيد:", "قد يهمك:", "يهمك أيضا", "قد تهمك:"):
        assert _without_page_furniture(f"{body}\n{label}\n- {other}\n{body}", [], links) == f"{body}\n{body}", label
        assert _without_page_furniture(f"{body}\n{label} {other}\n{body}", [], links) == f"{body}\n{body}", label


def test_a_title_cut_to_its_first_part_is_judged_whole(tmp_path):
    """trafilatura takes a <title>'s first part on a page without one <h1>: the site's name, or "مصر"."""
    body = "".join(f"<p>أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين بقيمة {n} مليون دينار في المحافظات.</p>"
                   for n in range(100, 106))
    for title, headline in [("جريدة الوطن | الحكومة تعلن خطة جديدة لدعم المزارعين", None),
                            ("مصر - السودان: اتفاق على تقاسم مياه النيل", None),
                            ("الحكومة تعلن خطة جديدة لدعم المزارعين - جريدة الوطن", "الحكومة تعلن خطة جديدة لدعم المزارعين")]:
        page = tmp_path / "page.html"
        page.write_text(f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>",
                        encoding="utf-8")
        assert load_article(str(page)).title == (headline or title), title
    # A short headline the page gives as such (og:title, <h1>) is kept, without the site's name.
    for given in ('<meta property="og:title" content="استقالة الحكومة">', ""):
        h1 = "" if given else "<h1>استقالة الحكومة</h1>"
        page.write_text(f"<html><head><title>استقالة الحكومة | الغد</title>{given}</head><body><article>{h1}{body}"
                        "</article></body></html>", encoding="utf-8")
        assert load_article(str(page)).title == "استقالة الحكومة", given
    # A page of <title>s without an end is read in bounded time (the search once went quadratic).
    page.write_text(f"<html><head></head><body><article>{body}</article>{'<title>x' * 40_000}</body></html>",
                    encoding="utf-8")
    started = time.monotonic()
    load_article(str(page))
    assert time.monotonic() - started < 10


def test_a_feed_is_refused_and_a_control_reference_does_not_sink_a_page(tmp_path, sample_text):
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>أخبار</title><item>'
                    f"<title>خبر</title><description>{sample_text}</description></item></channel></rss>", encoding="utf-8")
    with pytest.raises(BadInput, match="a news feed \\(RSS or Atom\\), not an article"):
        load_article(str(feed))
    paragraphs = "".join(f"<p>{line}</p>" for line in sample_text.splitlines()[1:])
    page = tmp_path / "page.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>عنوان&#27;</title></head><body>x&#x1;{paragraphs}</body></html>",
                    encoding="utf-8")
    assert "متعدد الأقطاب" in load_article(str(page)).text  # lxml gave up on the whole page


@pytest.mark.skipif(not (SHARED_EVAL / "easc").is_dir(), reason="shared eval data absent")
def test_real_articles_in_legacy_encodings_decode_back_exactly():
    from mujaz.core.source import decode

    checked = 0
    for path in sorted((SHARED_EVAL / "easc" / "Articles").iterdir()):
        text = path.read_text(encoding="utf-8-sig")
        for encoding in ("cp1256", "iso8859_6", "utf-16-le"):
            try:
                raw = text.encode(encoding)
            except UnicodeEncodeError:
                continue  # a letter that code page lacks
            for declared in (None, "iso-8859-1", "windows-1256", "cp864", "cp720"):
                assert decode(raw, declared=declared)[0] == text, (path.name, encoding, declared)
                checked += 1
    assert checked > 500


def test_stdin(sample):
    import io

    article = load_article("-", stdin=io.BytesIO(sample.read_bytes()))
    assert article.source.kind == "stdin" and article.source.location == "-"


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}  # a redirect's body is its Location
    seen: list[tuple[str, str | None]] = []  # each request's path and Authorization header

    def do_GET(self):  # noqa: N802
        self.seen.append((self.path, self.headers.get("Authorization")))
        status, content_type, body = self.pages.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", body.decode("latin-1"))  # its bytes as they are, UTF-8 ones too
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server(sample):
    _Handler.pages = {
        "/article.txt": (200, "text/plain; charset=utf-8", sample.read_bytes()),
        "/legacy": (200, "text/plain; charset=windows-1256", "خبر عاجل: انتهى الاجتماع.".encode("cp1256")),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_sources(local_server):
    article = load_article(f"{local_server}/article.txt")
    assert article.source.kind == "url" and article.text.startswith("الخارجية")
    assert article.source.to_json()["url"] == f"{local_server}/article.txt"
    legacy = load_article(f"{local_server}/legacy")
    assert legacy.source.encoding == "cp1256"
    # Spaces copied with an address are no part of it, as a browser reads it ("no such file", or a 404 for "article.txt%20")
    spaced = load_article(f" {local_server}/article.txt \n")
    assert spaced.text.startswith("الخارجية") and spaced.source.location == f"{local_server}/article.txt"


def test_url_errors(local_server):
    with pytest.raises(BadInput, match="HTTP 404"):
        load_article(f"{local_server}/missing")
    with pytest.raises(BadInput, match="refused"):
        load_article(f"http://127.0.0.1:{closed_port()}/x")


def test_a_redirect_to_an_arabic_address_in_utf8_is_followed(local_server, sample):
    """A site that sends its Location as UTF-8 bytes ("/أخبار/سوريا", as PHP sites do, and browsers
    and curl follow): read as Latin-1, the address was encoded twice, and "HTTP 404 (check the address)"."""
    from urllib.parse import quote

    _Handler.pages["/old"] = (302, "text/plain", "/أخبار/سوريا".encode("utf-8"))
    _Handler.pages[quote("/أخبار/سوريا")] = (200, "text/plain; charset=utf-8", sample.read_bytes())
    assert load_article(f"{local_server}/old").text.startswith("الخارجية")


def test_a_redirect_is_said_where_it_failed_and_one_to_nowhere_is_no_article(local_server):
    """A failure past a redirect was said of the address typed ("refused" of a host that answered), and
    a 302 without a Location had its body taken for the article (a fetch review)."""
    elsewhere = f"http://127.0.0.1:{closed_port()}/news"
    _Handler.pages["/moved"] = (302, "text/plain", elsewhere.encode())
    with pytest.raises(BadInput, match="refused") as refused:
        load_article(f"{local_server}/moved")
    assert refused.value.message.startswith(f"{local_server}/moved (redirected to {elsewhere}): cannot fetch")
    _Handler.pages["/nowhere"] = (302, "text/plain; charset=utf-8", "".encode())
    with pytest.raises(BadInput, match="HTTP 302 without the address it redirects to"):
        load_article(f"{local_server}/nowhere")


def _page(body: str, head: str = "") -> bytes:
    return f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()


FORWARDING_NOTE = ("<p>جار تحويلك إلى الصفحة المطلوبة، إذا لم يتم تحويلك تلقائيا خلال ثوان فاضغط على الرابط التالي "
                   "للانتقال إلى الخبر.</p>")


def test_a_page_that_only_sends_its_reader_on_is_followed(local_server, sample_text, tmp_path):
    """A page whose meta refresh sends the reader on at once (a short link's, a moved article's) was
    itself summarised, its "you are being redirected" line for the article (a fetch review)."""
    article = _page("".join(f"<p>{line}</p>" for line in sample_text.splitlines()), "<title>عنوان الخبر</title>")
    _Handler.pages["/news/article.html"] = (200, "text/html; charset=utf-8", article)
    # relative, its attributes in either order, its URL quoted, upper-case, after a comma
    forwards = ['<meta http-equiv="refresh" content="0; url=article.html">',
                "<meta content=\"1;URL='/news/article.html'\" http-equiv=\"Refresh\">",
                f'<meta http-equiv="REFRESH" content="0,{local_server}/news/article.html">']
    for number, meta in enumerate(forwards):
        _Handler.pages[f"/news/go{number}"] = (200, "text/html", _page(FORWARDING_NOTE, meta))
        read = load_article(f"{local_server}/news/go{number}")
        assert read.text.startswith("الخارجية") and "تحويلك" not in read.text, meta
        assert read.source.location == f"{local_server}/news/go{number}"  # the address given, as for a 302
    # A page that reloads itself, or only in a while, or sends on only readers without scripts, is read as it is
    kept = ['<meta http-equiv="refresh" content="300">', '<meta http-equiv="refresh" content="0; url=stays">',
            '<meta http-equiv="refresh" content="600; url=/">',
            '<noscript><meta http-equiv="refresh" content="0; url=/lite"></noscript>']
    for number, meta in enumerate(kept):
        _Handler.pages[f"/stays{'' if number == 1 else number}"] = (200, "text/html", _page(FORWARDING_NOTE * 3, meta))
        assert "تحويلك" in load_article(f"{local_server}/stays{'' if number == 1 else number}").text, meta
    # Pages that send the reader round in a circle end as redirects do; a failure names both addresses
    _Handler.pages["/round"] = (200, "text/html", _page(FORWARDING_NOTE, '<meta http-equiv="refresh" content="0; url=/about">'))
    _Handler.pages["/about"] = (200, "text/html", _page(FORWARDING_NOTE, '<meta http-equiv="refresh" content="0; url=/round">'))
    with pytest.raises(BadInput, match="more than 5 redirects"):
        load_article(f"{local_server}/round")
    _Handler.pages["/gone"] = (200, "text/html", _page(FORWARDING_NOTE, '<meta http-equiv="refresh" content="0; url=/missing">'))
    with pytest.raises(BadInput) as failed:
        load_article(f"{local_server}/gone")
    assert failed.value.message == (f"{local_server}/gone (redirected to {local_server}/missing): "
                                    "the server answered HTTP 404 Not Found")
    # A saved page that only sends its reader on names where to; one that reloads itself is read
    saved = tmp_path / "go.html"
    saved.write_bytes(_Handler.pages["/news/go0"][2])
    with pytest.raises(BadInput, match="go.html: the page only sends its reader on to article.html") as failed:
        load_article(str(saved))
    assert "give that page's address" in failed.value.hint
    itself = tmp_path / "self.html"
    itself.write_bytes(_page(FORWARDING_NOTE * 3, '<meta http-equiv="refresh" content="5; url=self.html">'))
    assert "تحويلك" in load_article(str(itself)).text


def test_a_refresh_after_a_redirect_is_read_from_where_the_redirect_led(local_server, sample_text):
    """A refresh was resolved against the address typed, not the page's, and counted and timed apart
    from the redirects (a review of this session's change)."""
    article = _page("".join(f"<p>{line}</p>" for line in sample_text.splitlines()), "<title>عنوان الخبر</title>")
    _Handler.pages["/dir/article.html"] = (200, "text/html; charset=utf-8", article)
    _Handler.pages["/dir/go.html"] = (200, "text/html",
                                      _page(FORWARDING_NOTE, '<meta http-equiv="refresh" content="0; url=article.html">'))
    _Handler.pages["/short"] = (302, "text/plain", b"/dir/go.html")
    assert load_article(f"{local_server}/short").text.startswith("الخارجية")  # /dir/article.html, not /article.html
    reloading = b'<head><meta http-equiv="refresh" content="5; url=self.html">'
    _Handler.pages["/dir/self.html"] = (200, "text/html; charset=utf-8", article.replace(b"<head>", reloading))
    _Handler.pages["/moved"] = (302, "text/plain", b"/dir/self.html")
    assert load_article(f"{local_server}/moved").text.startswith("الخارجية")  # it reloads itself
    # Redirects and refreshes count together: 3 redirects, a refresh, 3 more
    for hop in range(3):
        _Handler.pages[f"/r{hop}"] = (302, "text/plain", f"/r{hop + 1}".encode())
        _Handler.pages[f"/s{hop}"] = (302, "text/plain", f"/s{hop + 1}".encode())
    _Handler.pages["/r3"] = (200, "text/html", _page(FORWARDING_NOTE, '<meta http-equiv="refresh" content="0; url=/s0">'))
    _Handler.pages["/s3"] = (200, "text/html; charset=utf-8", article)
    with pytest.raises(BadInput, match=r"/r0: cannot fetch: more than 5 redirects"):
        load_article(f"{local_server}/r0")
    assert load_article(f"{local_server}/r2").text.startswith("الخارجية")  # 1, a refresh, 3: five


def test_what_a_page_shows_only_without_scripts_is_no_article(tmp_path, sample_text):
    """A page whose scripts build it, its <noscript> notice ("enable JavaScript ...") its only text,
    was summarised; an article's own page keeps its text, without the notice (a fetch review)."""
    notice = ("<noscript><p>يجب تفعيل جافا سكريبت في متصفحك لعرض هذا الموقع بشكل صحيح، يرجى تفعيلها ثم إعادة تحميل "
              "الصفحة.</p></noscript>")
    scripted = tmp_path / "app.html"
    scripted.write_bytes(_page(notice + '<div id="root"></div>', "<title>الأخبار</title><script src='app.js'></script>"))
    with pytest.raises(BadInput, match="app.html: no article text found in the HTML page"):
        load_article(str(scripted))
    article = tmp_path / "article.html"
    article.write_bytes(_page(notice + "".join(f"<p>{line}</p>" for line in sample_text.splitlines()[1:])))
    read = load_article(str(article)).text
    assert "متعدد الأقطاب" in read and "جافا سكريبت" not in read


def test_a_page_of_links_to_articles_is_no_article(tmp_path):
    """A home or section page (its text the titles of its links) was "summarised": its last link's
    title, exit 0 (a fetch review)."""
    titles = ["الحكومة تعلن خطة جديدة لدعم المزارعين", "وزير الخارجية يلتقي نظيره الفرنسي في باريس",
              "ارتفاع أسعار النفط في الأسواق العالمية", "افتتاح معرض الكتاب الدولي بمشاركة واسعة"]
    cards = "".join(f'<div class="card"><h3><a href="/n/{n}">{title}</a></h3><p><a href="/n/{n}">{title} - اقرأ التفاصيل</a>'
                    f"</p></div>" for n, title in enumerate(titles))
    listed = "".join(f'<li><a href="/n/{n}">{title}</a></li>' for n, title in enumerate(titles))
    for name, body in (("home.html", f"<main><h2>آخر الأخبار</h2>{cards}</main>"),
                       ("section.html", f"<h1>سياسة</h1><ul>{listed}</ul>")):
        page = tmp_path / name
        page.write_bytes(_page(body, "<title>الرئيسية - موقع الأخبار</title>"))
        with pytest.raises(BadInput, match=f"{name}: no article text found in the HTML page"):
            load_article(str(page))
    # An article with a link in its text, or a line that is a link's whole text, reads as it did
    article = tmp_path / "article.html"
    article.write_bytes(_page("<p>أعلنت <a href='/x'>الحكومة</a> اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية "
                              "بقيمة مئة مليون دينار.</p><p>وقال الوزير إن الخطة تشمل البذور والأسمدة والمعدات.</p>"
                              f"<p><a href='/n/0'>{titles[0]}</a></p><p>وأضاف أن التنفيذ يبدأ الشهر المقبل في كل المحافظات.</p>"))
    assert load_article(str(article)).text.startswith("أعلنت الحكومة اليوم")
    # ...and so does a short article with more links than paragraphs under it
    article.write_bytes(_page("<p>أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية بقيمة مئة مليون "
                              "دينار، تشمل البذور والأسمدة والمعدات.</p><p>وقال وزير الزراعة إن التنفيذ يبدأ الشهر المقبل في "
                              "كل المحافظات، وإن الدعم يصل إلى المزارعين مباشرة دون وسطاء.</p>"
                              + "".join(f"<p><a href='/n/{n}'>{title}</a></p>" for n, title in enumerate(titles))))
    assert load_article(str(article)).text.startswith("أعلنت الحكومة اليوم")


def test_a_sitemap_is_refused_as_a_feed_is(tmp_path):
    """A news sitemap's titles were summarised as an article (a fetch review)."""
    sitemap = tmp_path / "sitemap.xml"
    titles = ["الحكومة تعلن خطة جديدة لدعم المزارعين في المناطق الريفية", "وزير الخارجية يلتقي نظيره الفرنسي لبحث العلاقات"]
    sitemap.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                       'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                       + "".join(f"<url><loc>https://example.com/{n}</loc><news:news><news:title>{title}</news:title>"
                                 "</news:news></url>" for n, title in enumerate(titles)) + "</urlset>", encoding="utf-8")
    with pytest.raises(BadInput, match="sitemap.xml: a sitemap, not an article"):
        load_article(str(sitemap))
    sitemap.write_text('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       "<sitemap><loc>https://example.com/news.xml</loc></sitemap></sitemapindex>", encoding="utf-8")
    with pytest.raises(BadInput, match="a sitemap, not an article"):
        load_article(str(sitemap))


@pytest.mark.parametrize("proxy", ["http://[::1]:9", "not a url", '"http://proxy:3128"', "http://exa mple:3128"])
def test_a_proxy_that_is_no_address_fails_the_source_not_the_run(local_server, monkeypatch, proxy):
    """An IPv6 proxy lost its brackets, and a value no address crashed in urllib3 (exit 1, a whole batch
    lost with it): each is the source's failure, said with the variable to mend."""
    for variable in ("no_proxy", "NO_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("http_proxy", proxy)
    with pytest.raises(BadInput, match="http_proxy") as failed:
        load_article(f"{local_server}/article.txt")
    assert "not an address" in failed.value.line() or "proxy" in failed.value.line()


def test_no_proxy_takes_address_ranges_as_curl_does(local_server, monkeypatch):
    """no_proxy=10.0.0.0/8 (curl and Go read ranges; Python's urllib does not) sent a host in it
    through the proxy, which could not reach it."""
    for variable in ("NO_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{closed_port()}")  # a proxy that is down
    for ranges in ("10.0.0.0/8, 127.0.0.0/8", "::1/128,127.0.0.1/32", "127.0.0.1"):
        monkeypatch.setenv("no_proxy", ranges)
        assert load_article(f"{local_server}/article.txt").text.startswith("الخارجية"), ranges
    for ranges in ("10.0.0.0/8", "127.0.0.0/33,example.com"):  # another range; one that is no range
        monkeypatch.setenv("no_proxy", ranges)
        with pytest.raises(BadInput, match="through the proxy"):
            load_article(f"{local_server}/article.txt")


@pytest.fixture
def socks_proxy(local_server):
    """A SOCKS5 proxy in front of local_server, and the environment with no other proxy set."""
    host, port = local_server.removeprefix("http://").split(":")
    proxy = Socks5Proxy((host, int(port)))
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


def test_a_socks_proxy_all_proxy_names_is_used_as_curl_uses_it(socks_proxy, monkeypatch, sample_text):
    """all_proxy=socks5h://127.0.0.1:1080 (ssh -D, Tor: how many read news sites their network blocks) was not
    read, and a SOCKS proxy in http(s)_proxy was refused: the page was fetched without it, or not at all."""
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    port = socks_proxy.server_address[1]
    monkeypatch.setenv("all_proxy", f"socks5h://127.0.0.1:{port}")
    article = load_article("http://news.example.invalid/article.txt")  # only the proxy can reach it
    assert article.text.startswith(sample_text.split("\n")[0]) and socks_proxy.asked == [("news.example.invalid", True)]
    with pytest.raises(BadInput, match=rf"through the proxy 127\.0\.0\.1:{port} \(all_proxy\): 0x04: Host unreachable"):
        load_article("http://news.unreachable/article.txt")
    monkeypatch.setenv("all_proxy", f"socks5://127.0.0.1:{port}")  # socks5: the name is looked up here
    load_article("http://localhost:9/article.txt")  # (the proxy connects every address to the server)
    assert socks_proxy.asked[-1] == ("127.0.0.1", False)
    # a site's name not found here is the address's fault, not the proxy's (it was blamed on the proxy)
    with pytest.raises(BadInput) as not_found:
        load_article("http://no-such-host.invalid/article.txt")
    assert not_found.value.line() == ("mujaz: error: http://no-such-host.invalid/article.txt: cannot fetch: the host "
                                      "name could not be resolved (check the address and the network, or save the page "
                                      "and give the file)")
    monkeypatch.setenv("all_proxy", "socks5://proxy.no-such-host.invalid:1080")  # the proxy's own name: the proxy's
    with pytest.raises(BadInput, match=r"through the proxy proxy\.no-such-host\.invalid:1080 \(all_proxy\): the host name"):
        load_article("http://localhost:9/article.txt")
    monkeypatch.setenv("all_proxy", f"socks5://127.0.0.1:{port}")
    # A user and password in the proxy's address are the proxy's, and never said
    socks_proxy.credentials = (b"user", b"p@ss")
    monkeypatch.delenv("all_proxy")
    monkeypatch.setenv("ALL_PROXY", f"socks5h://user:p%40ss@127.0.0.1:{port}")
    assert load_article("http://news.example.invalid/article.txt").text.startswith(sample_text.split("\n")[0])
    monkeypatch.setenv("ALL_PROXY", f"socks5h://user:wrong-secret@127.0.0.1:{port}")
    with pytest.raises(BadInput, match=r"\(ALL_PROXY\): SOCKS5 authentication failed") as refused:
        load_article("http://news.example.invalid/article.txt")
    assert "wrong-secret" not in refused.value.line() and "unset ALL_PROXY" in refused.value.hint
    # A scheme's own proxy comes first; one down is named, and so is a SOCKS proxy down
    monkeypatch.setenv("http_proxy", f"socks5h://127.0.0.1:{closed_port()}")
    with pytest.raises(BadInput, match=r"through the proxy 127\.0\.0\.1:\d+ \(http_proxy\): the connection was refused"):
        load_article("http://news.example.invalid/article.txt")
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # no_proxy holds for all_proxy too
    monkeypatch.delenv("http_proxy")
    assert load_article(f"http://127.0.0.1:{socks_proxy.target[1]}/article.txt").text.startswith(sample_text.split("\n")[0])


def test_odd_streams_and_names_are_said_plainly(tmp_path, sample_text):
    import io
    import os

    from mujaz.core.source import read_file

    class NothingYet(io.RawIOBase):  # a non-blocking stdin with no data yet: read() gives None
        def readable(self):
            return True

        def read(self, size=-1):
            return None

    with pytest.raises(BadInput, match="^standard input: is empty"):
        load_article("-", stdin=NothingYet())
    name = tmp_path / os.fsdecode(b"\xd8\xae\xff.txt")  # "خ" and a byte no UTF-8 name holds
    name.write_text(sample_text, encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        read_file(str(name), max_bytes=100)
    assert refused.value.message.endswith("\u062e\ufffd.txt: larger than 100 bytes; not a news article")


def test_a_non_blocking_stdin_is_read_to_its_end(sample):
    """A parent may hand over a non-blocking pipe: "nothing yet" was read as the end (an empty or a cut article)."""
    import fcntl
    import subprocess
    import sys
    import time

    text = sample.read_bytes()
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_NONBLOCK)
    run = subprocess.Popen([sys.executable, "-m", "mujaz", "segment", "-f", "json", "-"], stdin=read_end,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(read_end)
    try:
        time.sleep(0.5)  # mujaz is reading, and nothing has come
        os.write(write_end, text[:1500])
        time.sleep(0.5)  # half an article, then a pause
        os.write(write_end, text[1500:])
    finally:
        os.close(write_end)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err.decode()
    assert json.loads(out)["source"]["sha256"] == hashlib.sha256(text).hexdigest()


@pytest.mark.parametrize("text", ["ـــ\n", "١٢٣ ٤٥٦ ...\n", "ً ٌ ٍ\n"])
def test_text_without_letters_is_said_to_have_none(tmp_path, text):
    # a run of tatweel passed as Arabic and was "summarised"; digits were "0% Arabic"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match="has no letters"):
        load_article(str(tmp_path / "a.txt"))


def test_a_password_in_a_url_is_never_written(local_server):
    from mujaz.core.fetch import without_password

    assert without_password("https://user:p%40ss@example.org:8080/a?b=1") == "https://user:***@example.org:8080/a?b=1"
    assert without_password("https://user@example.org/a") == "https://user@example.org/a"  # no password to hide
    url = local_server.replace("http://", "http://reader:secret@")
    article = load_article(f"{url}/article.txt")
    assert "secret" not in article.source.location and "reader:***@" in article.source.location
    with pytest.raises(BadInput) as failed:
        load_article(f"{url}/missing.html")
    assert "secret" not in failed.value.line()


def test_a_password_in_a_url_is_sent_to_its_own_site_only(local_server):
    import base64

    url = local_server.replace("http://", "http://reader:p%40ss@")
    _Handler.pages["/moved"] = (302, "text/plain", b"/article.txt")
    _Handler.pages["/away"] = (302, "text/plain", local_server.replace("127.0.0.1", "localhost").encode() + b"/article.txt")
    _Handler.seen = []
    load_article(f"{url}/moved")
    load_article(f"{url}/away")  # another host: not given the password
    basic = "Basic " + base64.b64encode(b"reader:p@ss").decode()
    assert _Handler.seen == [("/moved", basic), ("/article.txt", basic), ("/away", basic), ("/article.txt", None)]
    _Handler.seen = []
    load_article(local_server.replace("http://", "http://reader:%D9%83@") + "/article.txt")  # an Arabic password
    assert _Handler.seen == [("/article.txt", "Basic " + base64.b64encode("reader:ك".encode()).decode())]  # UTF-8
    from mujaz.core.fetch import _basic

    assert _basic("u", "p%E9") == "Basic " + base64.b64encode(b"u:p\xe9").decode()  # a Latin-1 escape: its byte, as curl


def test_a_short_article_with_an_escape_sequence_is_text_and_binary_data_is_not(tmp_path):
    from mujaz.errors import BadInput

    article = tmp_path / "escape.txt"  # one control character in 60: it was "binary data, not text"
    article.write_text("عنوان الخبر\n\nقال الجيش إن الوضع هادئ في المنطقة \x1b[31m اليوم.\n", encoding="utf-8")
    assert "\x1b" not in load_article(str(article)).text and "[31m" in load_article(str(article)).text
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(1, 32)) * 20 + "قال الجيش إن الوضع هادئ.".encode() * 20)
    with pytest.raises(BadInput, match="binary data, not text"):
        load_article(str(noise))
