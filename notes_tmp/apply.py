import sys, polib
sys.path.insert(0, '/work/wt/plans/notes_tmp')
from vi import VI
po = polib.pofile('/work/wt/plans/src/cchc/locale/vi/LC_MESSAGES/django.po')
missing = []
for e in po:
    if 'fuzzy' in e.flags:
        e.flags.remove('fuzzy')
        e.previous_msgid = None
        e.previous_msgctxt = None
        if e.msgid in VI:
            e.msgstr = VI[e.msgid]
        else:
            e.msgstr = ''
            missing.append(e.msgid)
    elif not e.msgstr and not e.msgstr_plural:
        if e.msgid in VI:
            e.msgstr = VI[e.msgid]
        else:
            missing.append(e.msgid)
po.save()
print('MISSING', missing)
