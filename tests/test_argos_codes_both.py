"""A language asked by both of its codes, and two codes of one language (session 10's attack
on ``toolkit.config.languages.IDENTIFIED_AS``).

Language id answered a language asked by both codes with the Argos-only one whatever the
caller's own code: with candidates ``zh`` and ``zt`` every Chinese text was labelled
Traditional, with ``pt`` and ``pb`` every Portuguese one Brazilian. Only ``no`` (no Argos code)
yields to ``nb``.
"""

from __future__ import annotations

import pytest

from toolkit.languages import asked_codes
from toolkit.prepare.langid import detect_language

TEXTS = {
    "simplified": "政府周一公布了明年的预算。"
    "财政部长表示，预算虽然紧缩，但仍可以在学校增聘更多教师。",
    "european": "O Governo apresentou na segunda-feira o Orçamento do Estado para o próximo ano. O "
    "ministro das Finanças afirmou que o orçamento é apertado, mas permite contratar professores.",
    "norwegian": "Regjeringen la fram statsbudsjettet for neste år på mandag. "
    "Finansministeren sa at budsjettet er stramt, men at det gir rom for flere lærere i skolen.",
}


@pytest.mark.parametrize(
    ("text", "codes", "answer"),
    [
        ("simplified", ("zh", "zt", "en"), "zh"),
        ("simplified", ("zt", "zh", "en"), "zh"),
        ("simplified", ("zt", "en"), "zt"),
        ("european", ("pt", "pb", "en"), "pt"),
        ("european", ("pb", "pt", "en"), "pt"),
        ("european", ("pb", "en"), "pb"),
        ("norwegian", ("no", "nb", "en"), "nb"),
        ("norwegian", ("nb", "no", "en"), "nb"),
        ("norwegian", ("no", "en"), "no"),
    ],
)
def test_both_codes_asked_answer_the_callers_own_real_code(
    text: str, codes: tuple[str, ...], answer: str
) -> None:
    """Both codes asked (either order): the model's own code where Argos has it (``zh``,
    ``pt``: it answered ``zt``, ``pb``), ``nb`` for ``no`` (no Argos code); one code asked:
    that one."""
    assert detect_language(TEXTS[text], codes).language == answer
    assert asked_codes(codes) == asked_codes(reversed(codes))
