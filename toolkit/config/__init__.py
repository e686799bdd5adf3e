"""Every setting of the toolkit, one frozen model per stage, all rejecting unknown fields.

Import from the submodule: :mod:`toolkit.config.prepare`, :mod:`~toolkit.config.glossary`,
:mod:`~toolkit.config.translation`, :mod:`~toolkit.config.qa`, :mod:`~toolkit.config.build`.
These modules import only pydantic, the standard library and each other
(:mod:`~toolkit.config.languages` holds the default language lists), so reading a
configuration never loads ftfy, regex or a model.
"""
