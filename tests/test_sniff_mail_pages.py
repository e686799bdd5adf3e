"""An e-mail saved with plain headers (no MIME) and pages written only in custom elements
or with their ``<noframes>`` text first are refused like the MIME case and other pages (one
line, the way out ``plain_text:``); datelines, bylines and metadata blocks stay text
(session 7's "Noticed and left alone"; BENCHMARKS.md, "Markup saved as text")."""

from __future__ import annotations

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
        "From: anna@example.at\nDate: Mon, 1 Dec 2026 10:00:00 +0100\n",
        "Von: Hans Müller\nAn: die Redaktion\n",  # a byline and one address line
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
