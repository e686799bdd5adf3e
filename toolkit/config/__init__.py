"""Every setting of the toolkit, one frozen model per stage, all rejecting unknown fields.

Import from the submodule: :mod:`toolkit.config.prepare`, :mod:`~toolkit.config.glossary`,
:mod:`~toolkit.config.translation`, :mod:`~toolkit.config.qa`, :mod:`~toolkit.config.build`.
These modules import only pydantic and the standard library (plus the small constant module
:mod:`toolkit.languages`), so reading a configuration never loads ftfy, regex or a model.
"""
