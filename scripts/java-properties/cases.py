"""The .properties cases: `write DIR` writes them, `collect DIR JAVA_TXT` joins each text with what
Java read from it into the JSON the conformance test reads."""
import json, os, random, sys

BLANKS = [' ', '\t', '\f', '\x0b', '\u00a0', '\u3000', '']
SEPARATORS = ['=', ':', ' ', ' = ', '\t:\t', '  ', '=\\\n  ', ' \\\n= ', '']
KEY_PIECES = ['a', 'b', 'k', '.', '-', '\\ ', '\\=', '\\:', '\\\\', '\\u0041', '\\t', 'é', '#', '!', '\\n', '\\x']
VALUE_PIECES = ['v', 'w', ' ', '\\', '\\\\', '=', ':', '#', '!', '\\u00e9', '\\uD83D\\uDE00', 'ü', '\\r', '\\ ',
                '\t', '\x0b', '\u00a0']
# By hand: what real files do.
WRITTEN = [
    'db.url=jdbc:postgresql://db:5432/app\ndb.pool.max = 20\n',
    '# comment\n! also a comment\nkey value with spaces\n',
    'path=C:\\\\Program Files\\\\app\n',
    'multi=first \\\n      second \\\n      third\n',
    'greeting=Gr\\u00fc\\u00dfe\nemoji=\\uD83D\\uDE00\n',
    'empty=\nalone\n  indented = yes\n',
    '\u00a0nbsp=key starts with a no-break space\n',
    'a\\=b=c\nx\\:y:z\n',
    'trailing=spaces kept   \n',
    'tab\tseparated\n',
    'last=no newline at the end',
    'windows=yes\r\nmore=too\r\n',
    'continued\\\r\n  =on a CRLF line\r\n',
    '# a comment ending in a backslash \\\nnext=is a key\n',
    'odd=\\\\\\\neven=\\\\\\\\\n',
    'short=\\u12\n',
    'bad=\\uZZZZ\n',
    'twice=1\ntwice=2\n',
    'half=\\uDE00\n',
]

def generated(rng):
    lines = []
    for i in range(rng.randint(1, 6)):
        r = rng.random()
        lead = rng.choice(BLANKS) * rng.randint(0, 2)
        if r < 0.12:
            lines.append(lead + rng.choice(['#', '!']) + ' comment' + rng.choice(['', '\\']))
        elif r < 0.2:
            lines.append(lead)
        else:
            key = 'k%d' % i + ''.join(rng.choice(KEY_PIECES) for _ in range(rng.randint(0, 3)))
            value = ''.join(rng.choice(VALUE_PIECES) for _ in range(rng.randint(0, 5)))
            if rng.random() < 0.2:
                value += '\\' + rng.choice(['\n', '\r\n']) + rng.choice(BLANKS) * rng.randint(0, 2) + 'cont'
            lines.append(lead + key + rng.choice(SEPARATORS) + value)
    eol = rng.choice(['\n', '\r\n'])
    return eol.join(lines) + rng.choice(['', eol])

def texts():
    rng = random.Random(18)
    return WRITTEN + [generated(rng) for _ in range(600)]

if sys.argv[1] == 'write':
    os.makedirs(sys.argv[2], exist_ok=True)
    for n, text in enumerate(texts()):
        with open(os.path.join(sys.argv[2], 'c%04d.properties' % n), 'w', encoding='utf-8', newline='') as f:
            f.write(text)
else:
    read = {}
    for line in open(sys.argv[3], encoding='utf-8'):
        name, what = line.rstrip('\n').split('\t', 1)
        read[name] = what
    out = []
    for n, text in enumerate(texts()):
        what = read['c%04d.properties' % n]
        case = {'text': text}
        if what in ('error', 'repeats', 'unpaired'):
            case[what] = True
        else:
            case['java'] = json.loads(what)
        out.append(case)
    print('[' + ',\n'.join(json.dumps(c, ensure_ascii=False) for c in out) + ']')
