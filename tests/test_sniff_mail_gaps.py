"""E-mails session 9's attackers still saw built as English (toolkit/prepare/sniff_mail.py):
Spanish Outlook's ``Enviado el:``, Italian/Spanish Outlook copies without a subject field, a
forwarder's signed note over 200 characters. Real articles using the same words
(``Inviato:``, ``Enviado:`` for a correspondent, a forwarded e-mail quoted below prose) still
build. BENCHMARKS.md, "Markup saved as text"."""

from __future__ import annotations

import pytest
from test_sniff_mail_attacks import _refused
from test_sniff_mail_pages import _article

from toolkit.prepare.decode import decode_bytes

NOTE = (
    "Hi Jane,\n\nthe board sent this to all department heads last night. I think we need to "
    "discuss it before Thursday's meeting, especially the part about the regional offices and "
    "the freelance budget, which affects your team more than mine. Can you read it and tell "
    "me what you think?\n\n"
)
BLOCK = (
    "-----Original Message-----\nFrom: Mark Lee\nSent: Monday, December 1, 2026 10:00 AM\n"
    "To: Department heads\nSubject: Budget 2027\n\n"
)


@pytest.mark.parametrize(
    "headers",
    [
        "De: Juan P\u00e9rez <juan@example.es>\nEnviado el: lunes, 1 de diciembre de 2026 10:00\n"
        "Para: Mar\u00eda L\u00f3pez\nAsunto: Presupuesto\n",
        "De: Juan P\u00e9rez\nEnviado el: lunes, 1 de diciembre de 2026 10:00\n"
        "Para: Redacci\u00f3n\nCC: Mar\u00eda L\u00f3pez\nAsunto: \n",
        # no subject field: the Sent line's date and time make it Outlook's
        "De: Juan P\u00e9rez\nEnviado: lunes, 1 de diciembre de 2026 10:00\nPara: Redacci\u00f3n\n",
        "Da: Mario Rossi\nInviato: luned\u00ec 1 dicembre 2026 10:00\nA: Redazione\n",
        "Da: Mario Rossi <mario@example.it>\nInviato: 01/12/2026 10:00\nA: Redazione\n",
    ],
)
def test_spanish_and_italian_outlook_copies_are_refused(headers: str) -> None:
    """Each was built with the names, the date and the recipient as English sentences."""
    _refused(headers + "\n" + _article(1))


@pytest.mark.parametrize(
    "head",
    [
        "Da: il nostro inviato\nInviato: Marco Rossi, Bruxelles 1 dicembre 2026\nA: Bruxelles\n",
        "Da: la redazione\nInviato: a Roma\nA: pagina 3\n",
        "De: Agencias\nEnviado: especial a Kiev\nPara: El Pa\u00eds\n",
        "De: nuestro corresponsal\nEnviado especial: Kiev, 1 de diciembre de 2026\nPara: todos\n",
    ],
)
def test_a_correspondents_lines_stay_text(head: str) -> None:
    """``Inviato:``/``Enviado:`` naming a correspondent (no date and time as Outlook writes)."""
    text = head + "\n" + _article(0) + "\n"
    assert decode_bytes(text.encode()).text == text


@pytest.mark.parametrize(
    "signature",
    [
        "Best regards,\nJohn Smith\nHead of Finance | Example Media\n+1 555 0100\n\n",
        "Thanks, John\n\n",
        "Viele Gr\u00fc\u00dfe\nAnna\n\n",
        "Un saludo,\nJuan\n\n________________________________\n",
    ],
)
def test_a_forwarders_signed_note_over_200_characters_is_refused(signature: str) -> None:
    """The note (over 200 characters) hid the forwarded message, built as English."""
    assert len("".join(NOTE.split())) > 200
    _refused(NOTE + signature + BLOCK + _article(1))


def _lead(case: str) -> str:
    """What stands above the quoted block in each case (real 10kGNAD text)."""
    if case == "prose":  # the article quotes the e-mail below a paragraph of its own
        return _article(3)[:400].rsplit(". ", 1)[0] + ". Die E-Mail im Wortlaut:"
    if case == "interview":  # an interview's last line: thanks, no name
        return f"DE: Wie geht es weiter?\nAN: {_article(3)[:300]}\nDE: Danke."
    # a letter reprinted, signed, after more than 1,500 characters of the article
    lead = f"{_article(0)}\n\n{_article(2)[:1200]}\n\nMit freundlichen Gr\u00fc\u00dfen\nHans Huber"
    assert len("".join(lead.split())) > 1500
    return lead


@pytest.mark.parametrize("case", ["prose", "interview", "letter"])
def test_an_article_quoting_a_forwarded_e_mail_still_builds(case: str) -> None:
    """A forwarded block below an article's prose, an unsigned line or a long text is text."""
    text = f"{_lead(case)}\n\n{BLOCK}{_article(500)}\n"
    assert decode_bytes(text.encode()).text == text
