"""The languages a news corpus of this toolkit plausibly mixes: the default candidates of
sentence-level language id and of QA's wrong-language check; and the English name of every
code the toolkit may show.

:mod:`toolkit.languages` (codes, names, normalisation) builds on this; the configuration
reads it from here so that it never imports language identification.
"""

from __future__ import annotations

# fmt: off
NAMES: dict[str, str] = {
    "ace": "Acehnese", "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "ar": "Arabic",
    "ary": "Moroccan Arabic", "arz": "Egyptian Arabic", "as": "Assamese",
    "az": "Azerbaijani", "ba": "Bashkir", "bcl": "Central Bikol", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "br": "Breton", "bs": "Bosnian", "ca": "Catalan",
    "crh": "Crimean Tatar", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "dz": "Dzongkha", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "ext": "Extremaduran", "fa": "Persian",
    "fi": "Finnish", "fo": "Faroese", "fr": "French", "fuv": "Nigerian Fulfulde",
    "fy": "Western Frisian", "ga": "Irish", "gcf": "Guadeloupean Creole",
    "gcr": "Guianese Creole", "gd": "Scottish Gaelic", "gl": "Galician",
    "gom": "Goan Konkani", "grc": "Ancient Greek", "gu": "Gujarati",
    "gug": "Paraguayan Guarani", "guw": "Gun", "ha": "Hausa", "hbo": "Ancient Hebrew",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "ht": "Haitian Creole",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "ig": "Igbo",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "jv": "Javanese", "ka": "Georgian",
    "kab": "Kabyle", "kik": "Kikuyu", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish",
    "lg": "Ganda", "lij": "Ligurian", "ln": "Lingala", "lo": "Lao", "lt": "Lithuanian",
    "ltg": "Latgalian", "lv": "Latvian", "mg": "Malagasy", "mk": "Macedonian",
    "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese",
    "my": "Burmese", "nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "no": "Norwegian", "nso": "Northern Sotho", "oc": "Occitan",
    "om": "Oromo", "or": "Odia", "pa": "Punjabi", "pb": "Brazilian Portuguese",
    "pcm": "Nigerian Pidgin", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "rw": "Kinyarwanda", "sa": "Sanskrit", "sdh": "Southern Kurdish", "se": "Northern Sami",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sn": "Shona", "so": "Somali",
    "sq": "Albanian", "sr": "Serbian", "st": "Southern Sotho", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai",
    "tk": "Turkmen", "tl": "Tagalog", "tr": "Turkish", "tt": "Tatar", "ug": "Uyghur",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "uzs": "Southern Uzbek",
    "vec": "Venetian", "vi": "Vietnamese", "vo": "Volapük", "wa": "Walloon",
    "wuu": "Wu Chinese", "xh": "Xhosa", "yo": "Yoruba", "yue": "Cantonese", "zh": "Chinese",
    "zt": "Traditional Chinese", "zu": "Zulu",
    "und": "undetermined", "zxx": "no linguistic content",
}
# fmt: on
"""The English name of every code language id (py3langid's model) can answer, of Argos's
codes it names otherwise (:data:`IDENTIFIED_AS`: ``nb``, ``pb``, ``zt``), and of
the two codes records carry that name no language (``und``, ``zxx``): the one table
:func:`toolkit.languages.language_name` shows them by, so a line never says "tr (tr)"
(``tests/test_language_names.py`` checks it covers the model's codes)."""

IDENTIFIED_AS: dict[str, str] = {"nb": "no", "pb": "pt", "zt": "zh"}
"""Codes of Argos Translate's packages that language id (py3langid) does not answer -> the
code it names their language by: Norwegian Bokmål ``nb`` (``translate-nb_en``) is read as
``no``, Brazilian Portuguese ``pb`` as ``pt``, Traditional Chinese ``zt`` as ``zh`` (every
code of the Argos index, argospm-index 2025-06, that py3langid lacks). The one table by
which language id is asked in Argos's codes and answers in the caller's
(:mod:`toolkit.prepare.langid`), a stated code is compared with what id read, and a document
read as ``no`` is translated by an installed ``nb`` package
(:func:`toolkit.languages.argos_codes`)."""

ARGOS_INDEX_DATE = "2025-06-21"
"""The date of the Argos Translate package index (argospm-index) that :data:`ARGOS_INDEX`
and :data:`ARGOS_PAIRS` copy: the one date the needs-model lines name
(:mod:`toolkit.translation.model_advice`)."""

# fmt: off
ARGOS_INDEX: frozenset[str] = frozenset((
    "ar", "az", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "eo", "es", "et", "eu", "fa",
    "fi", "fr", "ga", "gl", "he", "hi", "hu", "id", "it", "ja", "ko", "ky", "lt", "lv", "ms",
    "nb", "nl", "pb", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sv", "th", "tl", "tr", "uk",
    "ur", "zh", "zt",
))
# fmt: on
"""Every language code of Argos Translate's package index (argospm-index, 2025-06-21): the
languages ``toolkit models install FROM TO`` can find a package of. A needs-model line
advises installing only a pair of these (:meth:`~toolkit.translation.packages.
ModelMissingError.for_pair`): a text read as Latin (``la``) was told to install ``la→en``,
which no index holds. A package of any other code still serves once installed from a file."""

ARGOS_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {(code, "en") for code in ARGOS_INDEX - {"en"}}
    | {("en", code) for code in ARGOS_INDEX - {"en"}}
    | {("es", "pt"), ("pt", "es")}
)
"""Every pair of that index (2025-06-21): each language to and from English, and Spanish and
Portuguese both ways. A needs-model line advises ``toolkit models install`` only for one of
these: ``zh→zt`` or ``de→nl`` was advised, and the install then failed."""

LANGUAGE_NAMES: dict[str, str] = {
    code: NAMES[code] for code in ("de", "nl", "en", "fr", "es", "it")
}
"""The languages the toolkit is tuned for, by ISO 639-1 code."""

CANDIDATES: tuple[str, ...] = tuple(LANGUAGE_NAMES)
"""Default candidates of sentence-level language id and of QA's wrong-language check."""
