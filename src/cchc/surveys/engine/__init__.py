"""SIPAS survey arithmetic and questionnaire structure: plain Python, no Django.

:mod:`.form` is a questionnaire as plain data (sections, questions, choices, skip conditions),
the form that the database, the built-in templates and XLSForm files are converted to and from.
:mod:`.sampling` gives sample sizes (Yamane, Cochran, quota, volume table) and draws the stratified
random sample of a campaign from a seed; :mod:`.statistics` turns answer matrices into item shares,
factor and overall indices with Wilson and bootstrap intervals and a ranking
(numpy; import it directly, it is not re-exported here so that :mod:`.form` stays light).
Formulas and their sources: docs/surveys.md.
"""
