"""Session 9's attack on the e-mail rule (toolkit/prepare/sniff_mail.py): e-mails built as
English (a blank line holding a space, ``\\r`` line ends, Outlook's underscore line below a
note), real text refused (a forwarded message quoted in an article's middle, an interview's
``DE:``/``AN:`` lines, a vote's tally). BENCHMARKS.md, "Markup saved as text"."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sniff_mail_pages import WAY_OUT, _article

from toolkit.config.prepare import DecodeConfig
from toolkit.errors import InputError
from toolkit.prepare.decode import decode_bytes

HEADERS = "From: John Smith <john@example.com>\nTo: jane@example.org\nSubject: Budget cuts\n"
OUTLOOK = (
    "________________________________\nFrom: John Smith <john@example.com>\n"
    "Sent: Monday, December 1, 2026 10:00 AM\nTo: Jane Doe\nSubject: Budget cuts\n\n"
)
FORWARDS = (
    "-------- Message transf\u00e9r\u00e9 --------\nDe : Jean Dupont\n"
    "Date : lundi 1 d\u00e9cembre 2026\nObjet : Budget\n\n",
    "-----Original Message-----\nFrom: John Smith\nSent: Monday, December 1, 2026\n"
    "Subject: Budget\n\n",
)


def _refused(text: str) -> None:
    data = text.encode()
    with pytest.raises(InputError) as refused:
        decode_bytes(data)
    assert str(refused.value) == f"is an e-mail message with its headers{WAY_OUT}"
    assert decode_bytes(data, DecodeConfig(plain_text=("x.txt",)), file_name="x.txt").text


@pytest.mark.parametrize(
    "mail",
    [
        HEADERS + " \n{body}",  # the "blank" line after the headers holds a space
        HEADERS + "\t\u00a0\n{body}",
        (HEADERS + "\n{body}").replace("\n", "\r"),  # classic Mac OS line ends
        "Please see below.\n\n" + OUTLOOK + "{body}",  # Outlook's forward below a note
        "Hi Jane,\n\nFYI, the board's note.\n\nBest,\nJohn\n" + OUTLOOK + "{body}",
        OUTLOOK + "{body}",
        "FYI\n\n" + FORWARDS[0] + "{body}",  # a forwarded block opening the text is the mail
        FORWARDS[1] + "{body}",
    ],
)
def test_e_mails_built_as_english_before_are_refused(mail: str) -> None:
    """Each was built with its names and addresses as the article's first sentences."""
    _refused(mail.format(body=_article(1)))


@pytest.mark.parametrize(
    "block",
    [*FORWARDS, "Begin forwarded message:\n\nFrom: John Smith\nSubject: Budget\n\n"],
)
def test_a_forwarded_message_quoted_in_a_real_article_is_text(block: str) -> None:
    """An article quoting a forwarded e-mail among its paragraphs was refused whole."""
    article = _article(500)
    cut = article.index(". ", len(article) // 2) + 2
    text = f"{article[:cut]}\n\n{block}{article[cut:]}\n"
    assert decode_bytes(text.encode()).text == text


@pytest.mark.parametrize(
    "head",
    [
        # an interview's speaker initials (DE, AN): a sender line repeated is a transcript
        "DE: Frau Neumann, wie geht es weiter?\nAN: Danke, wir warten auf den Rat.\n"
        "DE: Und wenn er nein sagt?\nAN: Dann klagen wir.\n",
        # a vote's tally: no address, no mail date, no subject
        "De : l'Assembl\u00e9e nationale\nPour : 312 voix\nContre : 198 voix\n"
        "\u00c0 : main lev\u00e9e\n",
        "Da: il nostro inviato\nInviato: a Roma\nPara: tutti\n",
    ],
)
def test_transcripts_and_tallies_stay_text(head: str) -> None:
    text = head + "\n" + _article(0) + "\n"
    assert decode_bytes(text.encode()).text == text


def test_a_memo_with_a_subject_is_read_as_e_mail_headers() -> None:
    """A memo's ``De :/À :/Objet :`` block has every field of an Outlook copy: refused, and
    ``plain_text:`` builds it (the documented choice)."""
    _refused("De : Direction\n\u00c0 : Tous les services\nObjet : Fermeture\n\n" + _article(1))


@pytest.mark.parametrize("names", [("my-app", "story-body"), ("MY-APP", "STORY-BODY")])
def test_a_custom_element_closed_in_another_case_is_closed(names: tuple[str, str]) -> None:
    """HTML's tag names are case-insensitive: ``<my-app>`` ... ``</MY-APP>`` is a page (its
    tags were read as never closed, and the page as text)."""
    root, body = names
    page = f"<{root}>\n<{body}>{_article(1)}</{body.swapcase()}>\n</{root.swapcase()}>\n"
    with pytest.raises(InputError, match=r"^is part of an HTML page, not plain text; "):
        decode_bytes(page.encode())


def test_a_long_text_is_masked_where_the_page_rules_read_it() -> None:
    """Only the first and last 64 KiB are masked (the rules read no more); a name closed
    only between them is closed, one never closed is no element, as for a short text."""
    from toolkit.prepare.sniff import markup_kind

    middle = (_article(0) + "\n\n") * 100
    assert len(middle) > 2 * 65536
    page = f"<my-app>\n<story-body>{_article(1)}\n{middle}</story-body></my-app>\n{middle}"
    assert markup_kind(page) == "part of an HTML page"
    markers = f"<anzeige-beginn>\n{_article(1)}\n<anzeige-ende>\n{middle}<anzeige-beginn>\n"
    assert markup_kind(markers) is None


def test_the_refusal_names_the_settings_file_of_a_corpus_in_another_folder(tmp_path) -> None:
    """``toolkit build c1`` said ``plain_text: in corpus/settings.yaml``, a file that is not
    the corpus's; build and add name ``c1/settings.yaml`` now."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    corpus = tmp_path / "c1"
    (corpus / "original").mkdir(parents=True)
    mail = HEADERS + "\n" + _article(1) + "\n"
    (corpus / "original" / "mail.txt").write_text(mail, encoding="utf-8")
    args = ["build", str(corpus), "--no-glossary", "--packages-dir", str(tmp_path / "none")]
    built = CliRunner().invoke(cli, args)
    way_out = f"list its name under plain_text: in {corpus / 'settings.yaml'}"
    assert built.exit_code == 1 and way_out in built.output, built.output
    assert "corpus/settings.yaml" not in built.output
    (tmp_path / "other.txt").write_text(mail, encoding="utf-8")
    args = ["add", "--corpus", str(corpus), "--packages-dir", str(tmp_path / "none"),
            str(tmp_path / "other.txt")]  # fmt: skip
    added = CliRunner().invoke(cli, args)
    assert added.exit_code != 0 and way_out in added.output, added.output


@pytest.mark.parametrize(
    "mail",
    [
        # Outlook's copy with an empty subject: display names only, no address or mail date
        "Von: Hans M\u00fcller\nGesendet: Montag, 1. Dezember 2026 10:00\nAn: Team Presse\n"
        "Betreff: \n\nHallo {body}",
        "From: John Smith\nSent: Monday, December 1, 2026 10:00 AM\nTo: Jane Doe\n"
        "Subject: \n\n{body}",
        "From: John Smith\nTo: Jane Doe\nCc: Press Office\nSubject:\n\n{body}",  # no Sent:
        "De : Jean Dupont\nEnvoy\u00e9 : lundi 1 d\u00e9cembre 2026 10:00\n"
        "\u00c0 : \u00c9quipe presse\n\n{body}",  # no subject field: Sent with From and To
        "Van: Jan Jansen\nVerzonden: maandag 1 december 2026 10:00\nAan: Redactie\n\n{body}",
    ],
)
def test_outlook_headers_without_a_subject_are_refused(mail: str) -> None:
    """An empty subject was no sign of e-mail (only a subject with text was): the display
    names were built as English. A subject field, empty or not, is one, and so is Outlook's
    ``Sent:`` line with a sender and a recipient."""
    _refused(mail.format(body=_article(1)))


@pytest.mark.parametrize(
    "note",
    [
        "Hi Jane,\n\nsee below.\n\nJohn\n____________________\n",
        "FYI\n\n________________________________\n\n",
    ],
)
def test_a_signature_line_above_a_forwarded_block_does_not_hide_it(note: str) -> None:
    """Only the first forwarded-line match was tried: a signature's underscores above an
    ``-----Original Message-----`` line hid it, and the message was built as English."""
    block = ("-----Original Message-----\nFrom: John Smith\nSent: Monday, December 1, 2026\n"
             "To: Jane Doe\nSubject: Budget\n\n")  # fmt: skip
    _refused(note + block + _article(1))


def test_no_10kgnad_article_is_read_as_an_e_mail() -> None:
    """The signs added for Outlook's copies (an empty subject field, ``Sent:`` with a sender
    and a recipient) and every forwarded line tried refuse none of 10kGNAD's 1,028 articles."""
    import csv

    from toolkit.prepare.sniff_mail import mail_kind

    _article(0)  # skips when the reference data is missing
    data = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "10kGNAD-test.csv"
    with data.open(encoding="utf-8", newline="") as fh:
        texts = [row[1] for row in csv.reader(fh, delimiter=";", quotechar="'")]
    assert len(texts) == 1028
    assert [i for i, text in enumerate(texts) if mail_kind(text[:16384])] == []


APPLE = "From: John Smith <john@example.com>\nSubject: Budget\nDate: 1 December 2026\nTo: Jane\n\n"


@pytest.mark.parametrize(
    "mail",
    [
        "FYI\n\nBegin forwarded message:\n\n" + APPLE,  # Apple Mail, a blank line below it
        "Anfang der weitergeleiteten Nachricht:\n\n" + APPLE,
        "D\u00e9but du message r\u00e9exp\u00e9di\u00e9 :\n\n" + APPLE,
        "---------- Mensaje reenviado ---------\nDe: Juan <juan@example.es>\n"
        "Date: lun, 1 dic 2026\nSubject: Presupuesto\nTo: <redaccion@example.es>\n\n",
        "---------- Messaggio inoltrato ---------\nDa: Anna <anna@example.it>\n"
        "Date: lun 1 dic 2026\nSubject: Bilancio\nTo: <redazione@example.it>\n\n",
        "-----Original Message-----\n\nFrom: John Smith\nSent: Monday, December 1, 2026\n"
        "To: Jane Doe\nSubject: Budget\n\n",  # a blank line below the labelled line
        (HEADERS + "\n").replace("\n", "\r\r\n"),  # \r\n written again in text mode
    ],
)
def test_other_mail_programs_forwarded_blocks_are_refused(mail: str) -> None:
    """Apple Mail's "Begin forwarded message:" (no dashes), Gmail's Spanish and Italian
    lines, an "Original Message" line with a blank line below it, and ``\\r\\r\\n`` line ends
    (every line read as a paragraph) were built as English, before this session too."""
    _refused(mail + _article(1))
