"""Decoding: every encoding a newsroom produces, and every kind of file that is not an article."""

from __future__ import annotations

import codecs

import pytest

from toolkit.config.prepare import DecodeConfig
from toolkit.errors import InputError
from toolkit.prepare.decode import decode_bytes

GERMAN = "Grüße aus Köln – „schön“, sagte sie. Das kostet 5 €."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + GERMAN.encode("utf-8"), "utf-8-sig"),
        (GERMAN.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + GERMAN.encode("utf-16-be"), "utf-16"),
        (GERMAN.encode("utf-32"), "utf-32"),
        (GERMAN.encode("cp1252"), "cp1252"),
    ],
)
def test_decodes_each_encoding_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == GERMAN
    assert decoded.encoding == encoding


def test_latin1_article_is_decoded_as_a_single_byte_encoding() -> None:
    text = "Der Bürgermeister äußerte sich über die Größe des Platzes in Köln."
    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded.text == text
    assert decoded.encoding in {"cp1252", "latin-1", "iso8859-15"}


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "is empty"),
        (b"  \n\r\n\t ", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (b"%PDF-1.7\n" + bytes(200), "PDF"),
        (b"abc\x00def\x00" * 50, "NUL"),
        (bytes(range(1, 32)) * 20, "control bytes"),
    ],
)
def test_refuses_empty_and_binary_input_with_one_line(data: bytes, needle: str) -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    message = str(err.value)
    assert needle in message
    assert "\n" not in message


def test_utf16_bom_with_broken_body_names_the_fix() -> None:
    with pytest.raises(InputError, match="re-save it as UTF-8"):
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")


def test_oversized_article_is_refused_and_limit_is_configurable() -> None:
    data = ("Ein Satz. " * 300).encode()
    with pytest.raises(InputError, match="--max-bytes"):
        decode_bytes(data, DecodeConfig(max_bytes=1000))
    assert decode_bytes(data, DecodeConfig(max_bytes=10_000)).text.startswith("Ein Satz.")


def test_error_can_name_the_file() -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(b"")
    assert str(err.value.for_file("original/x.txt")).startswith("original/x.txt: is empty")


def test_bytes_no_encoding_explains_are_refused() -> None:
    # Only C1 bytes: undefined in cp1252, control characters in latin-1; no text decodes so.
    with pytest.raises(InputError, match="re-save it as UTF-8"):
        decode_bytes(bytes(range(0x80, 0xA0)) * 100)


# As a word processor and a browser save them (the attacker's c13/original/word.txt, page.txt).
_RTF = (
    b"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\n\\pard\\f0\\fs22 Die Regierung "
    b"hat am Montag beschlossen, die Steuern zu senken.\\par\nDer Finanzminister \\u252?ber die "
    b"Stra\\'dfe ist zufrieden.\\par\n}\n"
)
_HTML = (
    "<!DOCTYPE html><html><head><title>Nachrichten</title><script>var x=1;</script></head><body>"
    "<p>Die Regierung hat am Montag beschlossen, die Steuern zu senken.</p></body></html>\n"
)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (_RTF, "an RTF document (Word, WordPad)"),
        (_HTML.encode(), "an HTML page"),
        (codecs.BOM_UTF8 + b"\n  " + _HTML.replace("<!DOCTYPE html>", "").encode(), "an HTML page"),
        (_HTML.encode("utf-16"), "an HTML page"),
    ],
)
def test_rtf_and_html_saved_as_txt_are_refused_naming_the_fix(data: bytes, kind: str) -> None:
    for config in (None, DecodeConfig(encoding="cp1252" if data[:1] == b"{" else None)):
        with pytest.raises(InputError) as err:
            decode_bytes(data, config)
        way_out = "" if kind.startswith("an RTF") else (
            "; if it is plain text after all, list its name under plain_text: in "
            "corpus/settings.yaml"
        )
        assert str(err.value) == (
            f"is {kind}, not plain text; export it as plain text (.txt) and replace this file"
            + way_out
        )


def test_prose_about_html_is_text() -> None:
    text = "<html> ist ein Tag. {\\rtf ist ein Format.\n"
    assert decode_bytes(("Im Kurs: " + text).encode()).text == "Im Kurs: " + text


@pytest.mark.parametrize(
    "page",
    [
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
        ' Strict//EN"><html><body><p>Wien.</p></body></html>',
        "<!-- saved from url=(0014)about:internet -->\n<html><head><title>x</title></head>"
        "<body><p>Wien.</p></body></html>",
    ],
)
def test_xhtml_and_saved_pages_are_html_too(page: str) -> None:
    # An XML declaration or IE's "saved from url" comment before the first tag hid the page:
    # its markup was built as article text (attack finding).
    with pytest.raises(InputError, match="is an HTML page, not plain text"):
        decode_bytes(page.encode())


def test_an_html5_page_without_closing_tags_is_html() -> None:
    # HTML5 may leave <p> and <body> open: requiring closing tags let this page through as
    # article text, script included (second attack).
    page = "<html>\n<body>\n<p>Der Gemeinderat hat am Montag den Haushalt beschlossen.\n" \
        "<p>Die Schulen bekommen mehr Geld.<br>\n<script>var x = 1; track();</script>\n"
    with pytest.raises(InputError, match="is an HTML page, not plain text"):
        decode_bytes(page.encode())


def test_an_article_starting_with_the_word_html_is_text() -> None:
    # "<html>" as the first word of an article about HTML is no page (attack finding: it
    # was refused); a page has a head, a body or closing tags too.
    text = "<html> ist das erste Tag jeder Webseite. Danach folgt <head>.\n"
    assert decode_bytes(text.encode()).text == text
    # A tag named at the start of a later line is still prose (third attack).
    text = "<html> ist das erste Tag jeder Webseite.\n\nDanach folgen\n<head> und <body>.\n"
    assert decode_bytes(text.encode()).text == text


# HTML5 needs no <html> and no doctype: these were built as text, every tag a word.
_FRAGMENTS = (
    '<meta charset="utf-8"><title>Wien</title><p>Der Gemeinderat hat getagt.</p>',
    "<p>Der Gemeinderat hat am Montag getagt.</p>\n<p>Die Schulen bekommen mehr Geld.</p>\n",
    "<p>Der Gemeinderat hat am Montag getagt.\n<p>Die Schulen bekommen mehr Geld.\n",
    "Der Gemeinderat hat am Montag getagt.<br>\nDie Schulen bekommen mehr Geld.<br>\n",
    "Der Gemeinderat hat getagt.<br><br>Die Schulen bekommen mehr Geld.<br><br>Ende.",
    '<body class="article">\n<div id="main">\n<h1>Wien</h1>\nDer Rat hat getagt.\n</div>\n',
    '<DIV\nCLASS="BOOK"\n><H1\nCLASS="TITLE"\n>Wien</H1\n></DIV\n>',  # DocBook's line breaks
    "Der Gemeinderat hat am Montag getagt. Die Schulen bekommen mehr Geld.\n</body>\n</html>\n",
    # A page after a line of something else (a note, a pasted URL).
    "Gespeichert von https://example.at/wien am 30.11.2026\n\n"
    "<html>\n<body>\n<p>Der Gemeinderat hat am Montag getagt.</p>\n</body>\n</html>\n",
    # Built as text until the markup's share of the text was judged (fourth attack):
    # spaced paragraphs, inline tags only, a header line first, a figure, XHTML prefixes,
    # a page opening with its style sheet, a body's text with the page's end on one line.
    "<p> Die Gewerkschaft lanciert den Rechner. </p>\n<p> Wien – Sie sieht Bedarf. </p>\n",
    '<p>\u00a0Die Gewerkschaft lanciert den Rechner.</p>\n<p>\u00a0Wien – Sie sieht Bedarf.</p>\n',
    'Die Gewerkschaft <a href="https://www.gpa.at/">GPA-djp</a> lanciert den <b>Rechner</b>.\n\n'
    'Wien – Die <a href="https://www.gpa.at/">GPA-djp</a> sieht Bedarf bei <em>Verträgen</em>.\n',
    'Quelle: derstandard.at\n\n<div class="article"> <p> Die Gewerkschaft lanciert den Rechner.'
    " </p> <p> Wien. </p> </div>\n",
    '<figure><img src="a.jpg"><figcaption>Foto: dpa</figcaption></figure>\n'
    "Die Gewerkschaft lanciert den Rechner.\nWien – Die Gewerkschaft sieht Bedarf.\n",
    '<h:p xmlns:h="http://www.w3.org/1999/xhtml">Text</h:p>\n<h:p>Mehr</h:p>\n',
    "<style>\n  .titel { font-family: serif; }\n</style>\n<div>Der Rat hat getagt.</div>\n",
    "\n  Der Gemeinderat hat am Montag getagt. Die Schulen bekommen mehr Geld.\n</body></html>\n",
    "<!--" + "x" * 600 + "-->\n<p>Text eins</p>\n<p>Text zwei</p>\n",  # a long comment first
    # Inline tags through most lines (a title aside) are a page's text, not a quotation.
    "HTML-Kurs\n\nMit <b>fett</b> und <i>kursiv</i> formatiert man Text.\n"
    "Mit <u>unterstrichen</u> und <em>betont</em> auch.\n",
    # Two linked paragraphs under a headline, dateline and byline, with a credit after
    # (s7attack4: the six short untagged lines outvoted the body, and <a href> was translated).
    "Regierung beschließt Haushalt\n\nBerlin, 3. Mai\n\nVon Anna Schmidt\n\n"
    'Der Bundestag hat den Haushalt beschlossen, wie <a href="https://www.bundestag.de/">das '
    "Parlament mitteilte</a>. Die Opposition will vor das Verfassungsgericht ziehen.\n\n"
    'Der Minister sprach von einem <b>soliden</b> Haushalt, der die <a href="https://bmf.de/">'
    "Schuldenbremse</a> einhalte.\n\nMehr zum Thema\n\nFoto: dpa\n",
)


@pytest.mark.parametrize("text", _FRAGMENTS)
def test_html_without_a_leading_html_tag_or_doctype_is_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"^is (an|part of an) HTML page, not plain text; "):
        decode_bytes(text.encode())


_MAIL = (
    'From: Redaktion <redaktion@example.at>\nSubject: Budget\nMIME-Version: 1.0\nContent-Type: '
    'multipart/alternative; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset="utf-8"\n'
    "Content-Transfer-Encoding: quoted-printable\n\nDer Gemeinderat hat das Budget beschlossen. "
    'Die Schulen bekommen 2=\n0 Millionen Euro mehr.\n\n--b1\nContent-Type: text/html; '
    'charset="utf-8"\n\n<div dir=3D"ltr"><p>Der Gemeinderat hat das B=\nudget beschlossen.'
    '</p></div>\n\n--b1--\n'
)


def test_an_e_mail_saved_with_its_mime_parts_is_refused() -> None:
    # Gmail's HTML part has no <html>: the headers, both parts and their quoted-printable
    # "=3D" were built as one article. An article that starts with "Label: value" lines is text.
    with pytest.raises(InputError, match=r"^is an e-mail message \(MIME\), not plain text; "):
        decode_bytes(_MAIL.encode())
    text = "Wien: Der Gemeinderat tagte.\nFoto: APA\n\nDie Schulen bekommen 20 Millionen Euro.\n"
    assert decode_bytes(text.encode()).text == text
    # A metadata block naming plain text is no e-mail (fourth attack: it was refused as MIME);
    # a header name over 61 characters no longer hides one.
    text = "Title: Streik\nDate: 2024-01-10\nContent-Type: text/plain\n\nDie Lokführer streiken.\n"
    assert decode_bytes(text.encode()).text == text
    mail = "Received: from x\nContent-Type: text/html\n" + "X-" + "Lang" * 20 + ": 1\n\n<p>Hallo"
    with pytest.raises(InputError, match=r"^is an e-mail message \(MIME\), not plain text; "):
        decode_bytes(mail.encode())


@pytest.mark.parametrize(
    "text",
    [
        "<p> ist das Absatz-Tag, </p> schließt es. Ein Zeilenumbruch ist <br>.\n",
        "Im Kurs lernen Kinder <b>, <i> und <p>.\nDer Kurs kostet 20 Euro.\n",
        # A Markdown file with one inline <br>: text with one tag, kept (one word of markup).
        "# Gemeinderat\n\nDer Rat hat am Montag getagt.<br>\nDie Schulen bekommen mehr Geld.\n"
        "\n* Budget: 20 Millionen Euro\n* Beschluss: einstimmig\n",
        "Er schrieb: „<div> und </div> umschließen einen Block.“\n",
        "Die Mail von <redaktion@example.at> kam am Montag.\n",
        # An IT article: tags named in compounds and in a list, closing tags mentioned.
        "<div>-Container ordnen die Seite.\n<p>-Elemente und </p> stehen für Absätze.\n",
        "Die wichtigsten Tags:\n<p>: ein Absatz\n<br>: ein Zeilenumbruch\n<b>: fett, </b> endet\n",
        # Articles that quote markup were refused by one line of it (fourth attack): a page
        # quoted between paragraphs, a lone </body> line, an XSS report opening with its code.
        "Ein minimales HTML-Dokument braucht nur wenige Zeilen, erklärt der Entwickler.\n\n"
        "So sieht es aus:\n\n<html>\n<body>Hallo Welt</body>\n</html>\n\n"
        "Das reicht, sagt er. Viele Seiten im Netz sind deutlich komplizierter aufgebaut.\n",
        "Der Fehler steckte in einer Zeile. Statt des Tags stand dort\n\n</body>\n\n"
        "an der falschen Stelle, sagte der Entwickler.\n",
        "<script>alert(1)</script> – mit diesen Zeichen ließ sich die Seite der Bank angreifen. "
        "Der Fehler ist behoben.\n",
        "Forscher fanden eine Lücke. Wer dort\n<script>alert(document.cookie)</script>\n"
        "eingab, konnte Code ausführen. Die Bank hat den Fehler behoben.\n",
        "Gedicht des Tages<br>\nvon Erich Kästner\n",
        # One sentence quoting inline markup among untagged lines (s7attack3: refused as HTML).
        "HTML-Kurs für Einsteiger\n\nMit <b>fett</b> und <i>kursiv</i> formatiert man Text.\n\n"
        "Das lernen Schüler heute.\n",
        "Titel\n\nMit <b>fett</b> und <i>kursiv</i> formatiert man Text.\n"
        'Ein <a href="https://example.at/">Link</a> führt weiter.\nDas lernen Schüler.\nEnde.\n',
        # The same sentence in a news article with headline, dateline, byline and credit:
        # the body's lines decide, and one of three is tagged (s7attack4).
        "Programmieren in der Schule\n\nWien, 3. Mai\n\nVon Anna Schmidt\n\n"
        "Im neuen Kurs lernen die Kinder, wie Webseiten gebaut werden.\n\n"
        "Mit <b>fett</b> und <i>kursiv</i> formatiert man Text.\n\n"
        "Danach bauen die Schüler eine eigene Seite über ihre Stadt.\n\nFoto: dpa\n",
        # Two of three sentences quote tags, one with an attribute (s7attack5: refused as
        # part of an HTML page once the body's lines decided and more than half sufficed).
        "Webkurs für Senioren\nHTML in zehn Minuten\nVon Anna Muster\nWien, 1. Dezember\n"
        "Foto: privat\n\nMit <b>fett</b> und <i>kursiv</i> formatiert man Text, erklärt die "
        "Kursleiterin den zwölf Teilnehmern in der Volkshochschule.\nWer einen Link setzen "
        'will, schreibt <a href="https://example.org">Beispiel</a> und speichert die Datei '
        "anschließend ab.\nAm Ende des Abends hatte jeder Teilnehmer eine eigene kleine "
        "Webseite gebaut und war stolz darauf.\n",
    ],
)
def test_prose_that_names_tags_is_text(text: str) -> None:
    assert decode_bytes(text.encode()).text == text


def test_utf8_bom_with_cp1252_body_names_the_file_offset_byte_and_the_fix() -> None:
    # The attacker's bom_legacy.txt: a UTF-8 BOM, UTF-8 text, then a cp1252 line ("Größere").
    data = codecs.BOM_UTF8 + "Die Straße ist gesperrt.\n".encode() + "Größere Schäden.\n".encode(
        "cp1252"
    )
    offset = data.index(b"\xf6")
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    assert str(err.value) == (
        f"starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte offset {offset}: 0xf6); "
        "re-save it as UTF-8, or name its encoding with --encoding or under encodings: "
        "in corpus/settings.yaml"
    )


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["Grüße aus Wien, 5 €.\n", "Hi"])
def test_wide_text_without_a_bom_is_named_with_its_codec(codec: str, text: str) -> None:
    # UTF-32 without a BOM, and UTF-16 of a few characters, were "binary data (NUL bytes)":
    # the fix (--encoding) went unsaid (attack finding).
    with pytest.raises(InputError) as err:
        decode_bytes(text.encode(codec))
    assert str(err.value) == (
        f"looks like {codec.upper()} text without a byte-order mark; pass --encoding {codec}, "
        "or re-save it as UTF-8"
    )
    assert decode_bytes(text.encode(codec), DecodeConfig(encoding=codec)).text == text
