#!/usr/bin/env python3
"""Checks, independently of Hearth, that each link warning of a repository
build (`hearth build REPO --format json > diags.json`) is a link that is
broken on GitHub too.

    tools/verify-repo-warnings.py GIT_DIR diags.json REPO_ROOT

GIT_DIR is the repository's git directory: the list of what exists comes
from `git ls-tree`, not from the disk Hearth read. A link is resolved as
GitHub resolves it in a file view: relative to the file's folder, `/`
from the repository root, query and fragment dropped, percent-decoded.
An anchor is looked up among GitHub's heading ids of the target
(lowercase; letters, marks, numbers, `_`, `-` and spaces kept, each space
a `-`; duplicates `-1`, `-2`) and its `name`/`id` attributes.
Prints each warning that is NOT broken on GitHub, and a count per code.
"""
import json, re, subprocess, sys, unicodedata, posixpath, urllib.parse, collections

git_dir, diags_path, root = sys.argv[1], sys.argv[2], sys.argv[3].rstrip('/')
files = set(subprocess.run(['git', '--git-dir', git_dir, 'ls-tree', '-r', '--name-only', '-z', 'HEAD'],
                           capture_output=True).stdout.decode().split('\0')) - {''}
dirs = {posixpath.dirname(f) for f in files}
for d in list(dirs):
    while d:
        d = posixpath.dirname(d)
        dirs.add(d)

def blob(path):
    r = subprocess.run(['git', '--git-dir', git_dir, 'show', f'HEAD:{path}'], capture_output=True)
    return r.stdout.decode('utf-8', 'replace')

def slug(text):
    out = []
    for c in text.strip().lower():
        cat = unicodedata.category(c)
        if c in ' -':
            out.append('-')
        elif cat[0] in 'LMN' or cat == 'Pc':
            out.append(c)
    return ''.join(out)

def anchors(path):
    text = blob(path)
    ids, seen = set(), collections.Counter()
    fence = False
    for line in text.splitlines():
        if re.match(r'^\s*(```|~~~)', line):
            fence = not fence
            continue
        if fence:
            continue
        m = re.match(r'^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$', line)
        if m:
            t = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', m.group(1))
            t = re.sub(r'<[^>]+>', '', t).replace('`', '').replace('*', '').replace('_', '_')
            s = slug(t)
            n = seen[s]
            seen[s] += 1
            ids.add(s if n == 0 else f'{s}-{n}')
    for m in re.finditer(r'<[^>]+\b(?:name|id)\s*=\s*["\']([^"\']+)', text):
        ids.add(m.group(1))
    return ids

def resolve(src, target):
    t = target.split('#')[0].split('?')[0]
    t = urllib.parse.unquote(t)
    if t.startswith('/'):
        p = posixpath.normpath(t.lstrip('/')) if t.strip('/') else ''
    else:
        p = posixpath.normpath(posixpath.join(posixpath.dirname(src), t))
    return '' if p == '.' else p

counts, not_broken = collections.Counter(), []
for line in open(diags_path):
    if not line.startswith('{'):
        continue
    d = json.loads(line)
    code, msg = d['code'], d['message']
    src = d['file'][len(root) + 1:] if d['file'].startswith(root) else d['file']
    if code in ('H0301', 'H0304', 'H0306'):
        target = msg.split('`')[1]
        p = resolve(src, target)
        exists = p in files or p in dirs
        broken = not exists
        if code == 'H0306':
            broken = False  # exists on GitHub: a warning only without repo_url
    elif code in ('H0302', 'H0308'):
        m = re.match(r"anchor `#([^`]*)` (?:does not exist in|differs from `#[^`]*` in) (.*?)(?:,| only)", msg)
        anchor, target = m.group(1), m.group(2)
        ids = anchors(target)
        # GitHub finds an id in any letter case (H0308: the hub fixes it).
        broken = anchor not in ids and anchor.lower() not in {i.lower() for i in ids}
        if code == 'H0308':
            broken = not broken  # expected: found only ignoring case
    else:
        counts[(code, 'not a link')] += 1
        continue
    if code == 'H0308':
        label = 'found by GitHub only ignoring case' if broken else 'NOT as reported'
    else:
        label = 'broken on GitHub' if broken else 'NOT broken on GitHub'
    counts[(code, label)] += 1
    if not broken:
        not_broken.append(f"{src}:{d['line']} {code} {msg}")

for k, v in sorted(counts.items()):
    print(f'{k[0]} {k[1]}: {v}')
for n in not_broken:
    print('  ', n)
