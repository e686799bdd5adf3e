"""Quality checks of every (source, English) pair and corpus summaries.

- ``checks``: the per-pair checks, :func:`~toolkit.qa.checks.check_pair` and ``pair_flags``
  (with glossary and protected spans: the build's, repair's and pairs files' rule); ``consistency``
  the corpus-wide ``inconsistent`` check (light: ``status`` counts it); ``numbers`` and
  ``number_words`` the number check; ``text`` the text predicates they share; ``flags``
  every check and its severity (the one list: README's table follows it).
- ``pairs``: the one reader of bilingual files (:func:`~toolkit.qa.pairs.read_bilingual`);
  ``mojibake`` the check of a pairs file's text as read (a build's text is cleaned first).
- ``summary``: flag counts of a built corpus; ``calibrate``: thresholds from real data.
- ``report``: what ``toolkit qa`` prints (a pairs file, a corpus, a calibration table), and
  :func:`~toolkit.qa.report.check_pairs`, the one QA of a pairs file (``qa PAIRS``, the
  workbench and ``export --pairs`` ask it).

A new check: a function in ``checks`` (or its own module) returning ``qa_flag``s, its
name and severity in ``flags.SEVERITY`` and ``toolkit.config.qa.PAIR_CHECKS``, a call in
``check_pair``, a row in README's "QA checks" table (tests/test_qa_checks_listed.py).
"""
