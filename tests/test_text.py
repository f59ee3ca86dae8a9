from mujaz.core.text import arabic_share, fold, normalise, words


def test_normalise_removes_what_harms_models():
    raw = "الخار\u0640\u0640جية\u200b الروسية\u200f\r\nسطر\u202bثان\u202c\rثالث"
    assert normalise(raw) == "الخارجية الروسية\nسطرثان\nثالث"


def test_normalise_composes_nfc_and_keeps_diacritics_and_punctuation():
    decomposed = "e\u0301"  # é in NFD
    assert normalise(decomposed) == "\u00e9"
    voweled = "كَتَبَ، «نعم»؟"
    assert normalise(voweled) == voweled


def test_normalise_is_idempotent():
    raw = " a\u0640b \t c \r\n\r\n d\u200d "
    once = normalise(raw)
    assert normalise(once) == once


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
