"""Writes engine/tests/data/dotenv-cases.json and configparser-cases.json: generated `.env` and INI
texts with what python-dotenv's `dotenv_values` (no interpolation) and Python's `configparser`
(no interpolation, keys as written, keys without values allowed) read from each. Texts either
reader refuses or warns about are left out: driftwise refuses or reads them on its own terms
(a key given twice in a section is a list of its values; see the README's formats table).
Run by hand (`pip install python-dotenv` first); the data is committed.

    python3 scripts/python-readers/make.py
"""
import configparser, io, json, logging, os, random
from dotenv import dotenv_values

DATA = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'tests', 'data')

def dotenv_cases(rng, count):
    keys = ['A', 'DB_HOST', 'x.y', 'a-b', 'K1', '_U', 'lower']
    # Not here, since driftwise departs on purpose: `\\` inside single quotes (two backslashes, as
    # Docker Compose reads them; python-dotenv reads one) and `\$` in double quotes (a literal `$`,
    # as Compose reads it). `\'` inside single quotes is a quote for all three.
    values = ['v', 'hello world', '"quoted"', "'single'", '"a\\nb"', "'a\\nb'", '"esc \\" q"', 'x #c', 'x#c',
              '"x #c"', "'x #c'", '', ' ', '${HOME}', '"${HOME}"', '"multi\nline"', "'multi\nline'", '"tab\\t"',
              'trail   ', 'a=b', '"unterminated', "'unterminated", '`bt`', '"a"b', "'a'b", '"é"', 'é',
              '"\\u00e9"', '"\\x"', "'Let\\'s go!'", "'a\\'b'"]
    out = []
    while len(out) < count:
        lines = []
        for i in range(rng.randint(1, 5)):
            r = rng.random()
            if r < 0.1:
                lines.append(rng.choice(['# comment', '   # indented', '']))
            elif r < 0.15:
                lines.append(rng.choice(keys) + str(i))
            else:
                lines.append(rng.choice(['', 'export ', '  ', '\u00a0']) + rng.choice(keys) + str(i)
                             + rng.choice(['=', ' = ', '= ', ' =', '=\u00a0', '=\x0c', '\u00a0=\x0b'])
                             + rng.choice(values)
                             + rng.choice(['', ' # c', '  ']))
        eol = rng.choice(['\n', '\r\n'])
        text = eol.join(lines) + rng.choice(['', eol])
        warned = []
        class Warned(logging.Handler):
            def emit(self, record):
                warned.append(record.getMessage())
        log = logging.getLogger('dotenv.main')
        handler = Warned()
        log.addHandler(handler)
        try:
            read = dict(dotenv_values(stream=io.StringIO(text), interpolate=False))
        finally:
            log.removeHandler(handler)
        if not warned:
            out.append({'text': text, 'read': read})
    return out

def ini_cases(rng, count):
    out = []
    while len(out) < count:
        lines = []
        for s in range(rng.randint(1, 3)):
            lines.append(rng.choice(['', ' ']) + '[' + rng.choice(['s', 'sec one', 'a.b', 'x:y', 'S']) + str(s) + ']'
                         + rng.choice(['', ' ', ' ; c']))
            for i in range(rng.randint(0, 4)):
                r = rng.random()
                if r < 0.1:
                    lines.append(rng.choice(['# c', '; c', '  # indented c', '']))
                elif r < 0.15:
                    lines.append(rng.choice(['k', 'K', 'a b']) + str(i))
                else:
                    key = rng.choice(['k', 'K', 'a b', 'a.b', 'x-y', 'é']) + str(i)
                    sep = rng.choice(['=', ' = ', ':', ' : ', '= ', ' =', '=='])
                    value = rng.choice(['v', 'hello world', '', '"q"', 'a=b', 'a:b', 'x ; not comment', 'x # not',
                                        '%(y)s', 'trail  ', 'é'])
                    lines.append(key + sep + value)
                    if rng.random() < 0.2:
                        lines.append(rng.choice(['  ', '\t']) + rng.choice(['cont', 'more = x', '# c', '']))
                        if rng.random() < 0.3:
                            lines.append('')
                        if rng.random() < 0.3:
                            lines.append('  again')
        eol = rng.choice(['\n', '\r\n'])
        text = eol.join(lines) + rng.choice(['', eol])
        parser = configparser.ConfigParser(interpolation=None, allow_no_value=True)
        parser.optionxform = str
        try:
            parser.read_string(text)
        except (configparser.Error, AttributeError):
            # (configparser 3.11 fails with an AttributeError on a line that continues a key
            # without a value.)
            continue
        out.append({'text': text, 'read': {s: dict(parser.items(s, raw=True)) for s in parser.sections()}})
    return out

def write(name, cases):
    with open(os.path.join(DATA, name), 'w', encoding='utf-8') as f:
        f.write('[' + ',\n'.join(json.dumps(c, ensure_ascii=False) for c in cases) + ']\n')

write('dotenv-cases.json', dotenv_cases(random.Random(18), 500))
write('configparser-cases.json', ini_cases(random.Random(18), 500))
