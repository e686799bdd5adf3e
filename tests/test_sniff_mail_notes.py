"""The forwarder's long note (toolkit/prepare/sniff_mail.py, 74b72a4), attacked: a real
article quoting a signed reply above the message it answers was refused, and so were
articles with a line that only looks like a sign-off ("LG Electronics") above a forwarded
block; a forward signed with a company's whole signature, or on one long "|" line, was built
as English. BENCHMARKS.md, "Markup saved as text"."""

from __future__ import annotations

import pytest
from test_sniff_mail_attacks import _refused
from test_sniff_mail_pages import _article

from toolkit.prepare.decode import decode_bytes

REPLY = (
    "Sehr geehrter Herr Mayer,\n\nwir bedauern, Ihnen mitteilen zu m\u00fcssen, dass eine "
    "Stellungnahme derzeit nicht m\u00f6glich ist. Wir bitten um Verst\u00e4ndnis.\n\n"
    "Mit freundlichen Gr\u00fc\u00dfen\nMaria Huber\nPressesprecherin\n\n"
)
BLOCK = (
    "-----Urspr\u00fcngliche Nachricht-----\nVon: Stefan Mayer\n"
    "Gesendet: Montag, 30. November 2026 09:12\nAn: Presse BMAS\n"
    "Betreff: Anfrage All-in-Vertr\u00e4ge\n\n"
)
NOTE = (
    "Hallo Frau Berger,\n\nanbei die Pressemitteilung zur Er\u00f6ffnung unseres neuen "
    "Standorts in Graz, wie telefonisch besprochen. Bei R\u00fcckfragen stehe ich Ihnen "
    "jederzeit gerne zur Verf\u00fcgung, auch f\u00fcr ein Interview mit der "
    "Gesch\u00e4ftsf\u00fchrung.\n\nMit freundlichen Gr\u00fc\u00dfen\n"
)


def _builds(text: str) -> None:
    assert decode_bytes(text.encode()).text == text


@pytest.mark.parametrize("lead", [700, 150])
def test_an_article_quoting_a_signed_reply_still_builds(lead: int) -> None:
    """The ministry's reply, signed, above the journalist's request: the article's prose
    opens the text, no greeting (74b72a4 refused it, the reply signed right above the block)."""
    text = (
        f"{_article(0)[:lead]}\n\nDie Antwort des Ministeriums, die dem STANDARD vorliegt, im "
        f"Wortlaut:\n\n{REPLY}{BLOCK}{_article(1)}\n"
    )
    _builds(text)


@pytest.mark.parametrize(
    "line",
    ["LG Electronics", "Best Western Hotels", "Danke Deutschland", "Vielen Dank, Herr M\u00fcller.",
     "Thank you, Mr. President"],
)
@pytest.mark.parametrize("opening", ["", "Liebe Leserinnen und Leser,\n\n"])
def test_a_line_like_a_sign_off_above_a_block_is_no_signature(line: str, opening: str) -> None:
    """A brand, a slogan or an interview's thanks above a forwarded block, below an article's
    prose (with an editor's greeting above it too): text, not a forwarder's signed note."""
    prose = _article(2)[:800].rsplit(". ", 1)[0] + "."
    _builds(f"{opening}{prose}\n\n{line}\n\n{BLOCK}{_article(3)}\n")


@pytest.mark.parametrize(
    "signature",
    [
        "\nHans M\u00fcller\nPressesprecher\nBeispiel GmbH\nMusterstra\u00dfe 1\n8010 Graz\n"
        "Tel.: +43 316 123456\nE-Mail: presse@beispiel.at\nwww.beispiel.at\n",
        "Hans M\u00fcller | Pressesprecher | Beispiel GmbH | Musterstra\u00dfe 1, 8010 Graz | "
        "+43 316 123456\n",
    ],
)
def test_a_forward_signed_with_a_whole_signature_is_refused(signature: str) -> None:
    """Seven lines below the sign-off, or one long "|" line: the forwarded message was built
    as English below them."""
    _refused(f"{NOTE}{signature}\n{BLOCK}{_article(1)}\n")


@pytest.mark.parametrize("greeting", ["Hallo zusammen\n\n", "Hi Jane, see below.\n\n",
                                      "Liebe Kolleginnen und Kollegen,\n\n", "Dear all:\n\n"])
def test_a_note_opening_with_a_greeting_is_the_forwarders(greeting: str) -> None:
    """The greetings a forwarder's note opens with, on a line of its own or not."""
    note = NOTE.split("\n\n", 1)[1]
    _refused(f"{greeting}{note}Hans M\u00fcller\n\n{BLOCK}{_article(1)}\n")


def test_a_headline_is_no_greeting() -> None:
    """A first line that starts like a greeting but goes on is an article's headline."""
    note = NOTE.split("\n\n", 1)[1]
    _builds(f"Liebe in Zeiten der Krise\n\n{note}Hans M\u00fcller\n\n{BLOCK}{_article(1)}\n")
