"""Quality checks of every (source, English) pair and corpus summaries.

- ``checks``: the per-pair checks and :func:`~toolkit.qa.checks.check_pair`, plus the
  corpus-wide consistency check; ``numbers`` and ``number_words`` the number check;
  ``text`` the text predicates they share; ``flags`` each check's severity.
- ``pairs``: the one reader of bilingual files (:func:`~toolkit.qa.pairs.read_bilingual`).
- ``summary``: flag counts of a built corpus; ``calibrate``: thresholds from real data.
- ``report``: what ``toolkit qa`` prints (a pairs file, a corpus, a calibration table).

A new check: a function in ``checks`` (or its own module) returning ``qa_flag``s, its
name and severity in ``flags.SEVERITY`` and ``toolkit.config.qa.PAIR_CHECKS``, a call in
``check_pair``.
"""
