"""An e-mail saved with plain headers (no MIME) and pages written only in custom elements
or with their ``<noframes>`` text first are refused like the MIME case and other pages (one
line, the way out ``plain_text:``); datelines, bylines and metadata blocks stay text
(session 7's "Noticed and left alone"; BENCHMARKS.md, "Markup saved as text")."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config.prepare import DecodeConfig
from toolkit.errors import InputError
from toolkit.prepare.decode import decode_bytes

BODY = (
    "Die Regierung hat am Montag das Budget beschlossen. Der Finanzminister zeigte sich "
    "zufrieden und sprach von einem guten Tag.\n"
)
WAY_OUT = (
    ", not plain text; export it as plain text (.txt) and replace this file; if it is plain "
    "text after all, list its name under plain_text: in corpus/settings.yaml"
)


@pytest.mark.parametrize(
    "headers",
    [
        "From: Anna Huber <anna.huber@example.at>\nTo: redaktion@example.at\n"
        "Subject: Budget\nDate: Mon, 1 Dec 2026 10:00:00 +0100\n",
        # an mbox's first message: its "From " line, a folded Received: header
        "From anna@example.at Mon Dec  1 10:00:00 2026\nReturn-Path: <anna@example.at>\n"
        "Received: from mail.example.at\n\tby mx.example.at; Mon, 1 Dec 2026\n"
        "From: anna@example.at\nSubject: Budget\n",
        "From: anna@example.at\r\nSubject: Budget\r\n",
        # Outlook's copy with names only, German and English
        "Von: Hans Müller\nGesendet: Montag, 1. Dezember 2026 10:00\nAn: Redaktion\n"
        "Betreff: Budget\n",
        "From: Hans Müller\nSent: Monday, December 1, 2026 10:00 AM\nTo: Newsroom\n"
        "Subject: Budget\n",
        # Gmail's and Thunderbird's forwarded message, after a line of the forwarder's
        "FYI\n\n---------- Forwarded message ---------\nFrom: Anna Huber <anna@example.at>\n"
        "Date: Mon, 1 Dec 2026 at 10:00\nSubject: Budget\nTo: <redaktion@example.at>\n",
        "-------- Weitergeleitete Nachricht --------\nBetreff: \tBudget\n"
        "Datum: \tMon, 1 Dec 2026 10:00:00 +0100\nVon: \tAnna Huber <anna@example.at>\n"
        "An: \tredaktion@example.at\n",
        # Outlook's copy of a German message's headers
        "Von: Anna Huber <anna@example.at>\nGesendet: Montag, 1. Dezember 2026 10:00\n"
        "An: redaktion@example.at\nBetreff: Budget\n",
        # session 9: French (a space before the colon, "À"), Dutch, forwarded in each
        "De : Anna Huber <anna@example.fr>\nEnvoy\u00e9 : lundi 1 d\u00e9cembre 2026 10:00\n"
        "\u00c0 : redaction@example.fr\nObjet : Budget\n",
        "De: Hans M\u00fcller\nEnvoy\u00e9: lundi 1 d\u00e9cembre 2026 10:00\n"
        "\u00c0: R\u00e9daction\nObjet: Budget\n",
        "-------- Message transf\u00e9r\u00e9 --------\nSujet : Budget\n"
        "Date : Mon, 1 Dec 2026 10:00:00 +0100\nDe : Anna <anna@example.fr>\n"
        "Pour : redaction@example.fr\n",
        "-----Message d'origine-----\nDe : Anna Huber\nEnvoy\u00e9 : lundi 1 d\u00e9cembre\n",
        "Van: Anna de Vries <anna@example.nl>\nVerzonden: maandag 1 december 2026 10:00\n"
        "Aan: redactie@example.nl\nOnderwerp: Begroting\n",
        "-----Oorspronkelijk bericht-----\nVan: Anna de Vries\nVerzonden: maandag\n",
        # Spanish and Italian Outlook, names only
        "De: Ana Garc\u00eda\nEnviado: lunes, 1 de diciembre de 2026 10:00\nPara: Redacci\u00f3n\n"
        "Asunto: Presupuesto\n",
        "Da: Anna Rossi\nInviato: luned\u00ec 1 dicembre 2026 10:00\nA: Redazione\n"
        "Oggetto: Bilancio\n",
        # a bare sender and date, the date as only mail software writes it
        "From: anna@example.at\nDate: Mon, 1 Dec 2026 10:00:00 +0100\n",
        "Von: Anna Huber <anna@example.at>\nDatum: 1 Dec 2026 10:00 GMT\n",
    ],
)
def test_an_e_mail_with_plain_headers_is_refused(headers: str) -> None:
    """Its headers were built as the article's first sentences (names, addresses, dates)."""
    newline = "\r\n" if "\r\n" in headers else "\n"
    data = (headers + newline + BODY).encode()
    with pytest.raises(InputError) as refused:
        decode_bytes(data)
    assert str(refused.value) == f"is an e-mail message with its headers{WAY_OUT}"
    listed = DecodeConfig(plain_text=("x.txt",))  # the way out named
    assert decode_bytes(data, listed, file_name="x.txt").text.replace("\r", "").endswith(BODY)


@pytest.mark.parametrize(
    "head",
    [
        "Berlin: Die Regierung hat am Montag getagt.\n",
        "Von: Hans Müller\n",
        "Von: Hans Müller, Berlin\nFoto: dpa\n",
        "From: Reuters\nDate: 1 December 2026\n",  # no address: a news agency's header
        "Title: Budget\nDate: 2026-12-01\nContent-Type: text/plain\n",
        "Kontakt: presse@example.at\nDatum: 1. Dezember 2026\n",
        "An: alle Haushalte\nBetreff: Müllabfuhr\n",  # no sender with an address
        # a press release, a CMS's metadata block, a social handle: content of a news corpus
        "From: Press Office <press@acme.com>\nDate: 1 December 2026\n",
        "Title: Budget\nAuthor: Jane Doe\nFrom: jane@gazette.com\nDate: 2026-12-01\n",
        "From: Anna Huber (@annahuber)\nDate: 1 December 2026\n",
        "Von: Hans Müller\nAn: die Redaktion\n",  # a byline and one address line
        # press releases and bylines in French and Dutch: dates as people write them
        "De : Service de presse <presse@example.fr>\nDate : 1er d\u00e9cembre 2026\n",
        "From: Press Office <press@acme.com>\nDate: December 1, 2026, 10:00 a.m.\n",
        "De : Anna Huber\nDate : 1er d\u00e9cembre 2026\n",
        "Van: onze correspondent\nDatum: 1 december 2026\n",
        "Objet : Budget 2027\nContact : presse@example.fr\n",
        "F: Wie geht es weiter?\nA: Das entscheidet der Rat.\n",  # an interview's lines
        "Da: il nostro inviato\nA: Roma\n",
    ],
)
def test_datelines_bylines_and_metadata_blocks_stay_text(head: str) -> None:
    text = head + "\n" + BODY
    assert decode_bytes(text.encode()).text == text


@pytest.mark.parametrize(
    "page",
    [
        "<my-app>\n<news-header>Budget beschlossen</news-header>\n<news-body>" + BODY.strip()
        + "</news-body>\n</my-app>\n",
        "<x-article><x-title>Budget beschlossen</x-title><x-text>" + BODY.strip()
        + "</x-text></x-article>",
        '<app-root>\n  <article-view data-id="12">\n    <story-text>' + BODY.strip()
        + "</story-text>\n  </article-view>\n</app-root>\n",
        "<noframes>" + BODY.strip() + '</noframes>\n<frameset rows="*"><frame src="x.html">'
        "</frameset>\n",
        '<frameset cols="20%,80%">\n  <frame src="nav.html">\n  <frame src="inhalt.html">\n'
        "</frameset>\n",
    ],
)
def test_pages_in_custom_elements_or_frames_are_refused(page: str) -> None:
    """A page written only in custom elements (``<my-app>``: HTML requires their hyphen) or
    opening with its ``<noframes>`` text passed the sniff: every tag sent to the model."""
    with pytest.raises(InputError, match=r"^is part of an HTML page, not plain text; "):
        decode_bytes(page.encode())


@pytest.mark.parametrize(
    "text",
    [
        "Das Element <my-app> ist ein eigenes HTML-Element. " + BODY,
        "Die Mail von <redaktion@example.at> kam am Montag.\n" + BODY,
        "Der Wert lag bei <-5> Grad. " + BODY,
        "<Anzeige-Beginn>\n" + BODY + "<Anzeige-Ende>\n" + BODY,  # marker lines around prose
    ],
)
def test_prose_naming_a_custom_element_stays_text(text: str) -> None:
    assert decode_bytes(text.encode()).text == text


def _article(index: int) -> str:
    """A real 10kGNAD article's text (``../shared/data``)."""
    import csv

    data = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "10kGNAD-test.csv"
    if not data.is_file():
        pytest.skip(f"reference data missing: {data}")
    with data.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter=";", quotechar="'")
        return next(row[1] for i, row in enumerate(rows) if i == index)


@pytest.mark.parametrize("index", [0, 1, 500])
@pytest.mark.parametrize("case", [str.lower, str.upper, str.title])
def test_ad_marker_lines_around_a_real_article_stay_text_in_any_case(index: int, case) -> None:
    """``<anzeige-beginn>`` ... ``<anzeige-ende>`` (an ad's marker lines, 10kGNAD-style) around
    a real article was refused as a custom-element page when lower-case (a custom element's
    name is, and HTML closes every one: these never are); upper case passed."""
    article = _article(index)
    half = len(article) // 2
    cut = article.index(". ", half) + 2
    begin, end = case("<anzeige-beginn>"), case("<anzeige-ende>")
    for text in (
        f"{begin}\n{article[:cut]}\n{end}\n\n{article[cut:]}\n",
        f"{article[:cut]}\n\n{begin}\nJetzt bestellen!\n{end}\n\n{article[cut:]}\n",
        f"{begin}{article}{end}\n",
    ):
        assert decode_bytes(text.encode()).text == text


def test_a_custom_element_page_around_a_real_article_is_still_refused() -> None:
    article = _article(1)
    for page in (
        f"<news-story>\n<story-title>Budget</story-title>\n<story-body>{article}</story-body>\n"
        "</news-story>\n",
        f"<my-app>\n  <story-body>{article}</story-body>\n",  # its root never closed
        f"<x-text>{article}</x-text>",
    ):
        with pytest.raises(InputError, match=r"^is part of an HTML page, not plain text; "):
            decode_bytes(page.encode())


def test_the_build_names_the_file_and_the_way_out_for_a_french_e_mail(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    mail = (
        "De : Anna Huber <anna@example.fr>\nEnvoy\u00e9 : lundi 1 d\u00e9cembre 2026 10:00\n"
        "\u00c0 : redaction@example.fr\nObjet : Budget\n\n" + _article(1) + "\n"
    )
    (corpus / "original" / "courriel.txt").write_text(mail, encoding="utf-8")
    args = ["build", str(corpus), "--no-glossary", "--packages-dir", str(tmp_path / "none")]
    built = CliRunner().invoke(cli, args)
    assert built.exit_code == 1
    way_out = WAY_OUT.replace("corpus/settings.yaml", str(corpus / "settings.yaml"))
    line = f"original/courriel.txt: is an e-mail message with its headers{way_out}"
    assert any(shown.endswith(line) for shown in built.output.splitlines()), built.output
    (corpus / "settings.yaml").write_text("plain_text: [courriel.txt]\n", encoding="utf-8")
    listed = CliRunner().invoke(cli, args)  # the way out taken: read, waiting for de→en
    assert listed.exit_code == 3 and "needs model de→en" in listed.output, listed.output
