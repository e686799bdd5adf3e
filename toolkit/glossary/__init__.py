"""The glossary stage: proper nouns and protected spans pinned through translation.

One job per module, in the order a build uses them:
``model`` (entries, :class:`Glossary`, the one collision rule), ``load`` (the strict YAML
reader, :func:`load_glossary`), ``discover`` (the one rule for which glossary applies),
``match`` (find names, verify a translation, canonicalize English), ``pin`` (placeholders,
restore, splice; :data:`LOST_FLAG`), ``report`` (how terms fared), ``spans`` (URLs, e-mail
addresses, handles, hashtags, credits). Import from the submodule.
"""
