"""SIPAS survey arithmetic and questionnaire structure: plain Python, no Django.

:mod:`.form` is a questionnaire as plain data (sections, questions, choices, skip conditions),
the form that the database, the built-in templates and XLSForm files are converted to and from.
Formulas and their sources: docs/surveys.md.
"""
