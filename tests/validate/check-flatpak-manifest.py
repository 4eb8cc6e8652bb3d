#!/usr/bin/env python3
"""Checks the Flatpak manifest: identity, runtime, sandbox permissions, pinned
sources, and that Lightbox itself is built last from this checkout; and that
the README installs the runtime version the manifest names.

  check-flatpak-manifest.py MANIFEST APP_ID SOURCE_ROOT README [--self-test]

--self-test breaks a copy of the manifest in each way the checks guard against
and fails unless every broken copy is rejected for the right reason.
"""

import argparse
import copy
import json
import os
import re
import sys

FINISH_ARGS = [
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--filesystem=xdg-pictures:ro',
    '--filesystem=xdg-cache/thumbnails',
]
SHA256 = re.compile(r'^[0-9a-f]{64}$')


def check(manifest, app_id, manifest_dir, source_root, readme):
    """Returns the list of problems found in MANIFEST (a parsed dict)."""
    problems = []

    def expect(cond, message):
        if not cond:
            problems.append(message)

    ids = [manifest.get(k) for k in ('id', 'app-id') if k in manifest]
    expect(ids == [app_id], f'the app ID must be given once, as {app_id!r}: {ids}')
    expect(manifest.get('runtime') == 'org.gnome.Platform', 'runtime must be org.gnome.Platform')
    expect(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk must be org.gnome.Sdk')
    version = manifest.get('runtime-version')
    expect(isinstance(version, str) and re.fullmatch(r'\d+', version or ''),
           f'runtime-version must be a GNOME release such as "51": {version!r}')
    if isinstance(version, str):
        for ref in (f'org.gnome.Platform//{version}', f'org.gnome.Sdk//{version}'):
            expect(ref in readme, f'README must install {ref}, the runtime the manifest names')
    expect(manifest.get('command') == 'lightbox', 'command must be lightbox')
    expect(manifest.get('finish-args') == FINISH_ARGS,
           f'finish-args must be exactly {FINISH_ARGS}: {manifest.get("finish-args")}')

    modules = manifest.get('modules') or []
    names = [m.get('name') if isinstance(m, dict) else m for m in modules]
    for needed in ('libvips', 'lightbox'):
        expect(needed in names, f'no module {needed!r} in {names}')
    expect(len(set(names)) == len(names), f'module names repeat: {names}')

    for module in modules:
        if not isinstance(module, dict):
            problems.append(f'module {module!r} is not inline')
            continue
        sources = module.get('sources') or []
        expect(sources, f'module {module.get("name")} has no sources')
        for source in sources:
            kind = source.get('type')
            where = f'module {module.get("name")}, {kind} source'
            if kind in ('archive', 'file') and 'path' not in source:
                url = source.get('url', '')
                expect(url.startswith('https://'), f'{where}: URL must be https: {url!r}')
                expect(SHA256.match(source.get('sha256', '')),
                       f'{where}: needs a sha256 of 64 lowercase hex digits')
            elif kind == 'git':
                expect(re.fullmatch(r'[0-9a-f]{40}', source.get('commit', '')),
                       f'{where}: must be pinned to a commit')
            elif kind != 'dir':
                problems.append(f'{where}: unexpected source type')

    if modules and isinstance(modules[-1], dict):
        last = modules[-1]
        expect(last.get('name') == 'lightbox', 'the last module must be lightbox')
        expect(last.get('buildsystem') == 'meson', 'lightbox must build with meson')
        expect('-Dtests=false' in (last.get('config-opts') or []),
               'lightbox must be configured with -Dtests=false')
        sources = last.get('sources') or []
        dirs = [s for s in sources if s.get('type') == 'dir']
        expect(len(sources) == 1 and len(dirs) == 1,
               'lightbox must build from exactly one local dir source')
        if dirs:
            path = os.path.realpath(os.path.join(manifest_dir, dirs[0].get('path', '')))
            expect(path == os.path.realpath(source_root),
                   f'the dir source must be the source tree {source_root}, not {path}')
    return problems


def broken_copies(manifest):
    """Yields (what, manifest) pairs that check() must reject."""
    def mutate(what, keyword, change):
        m = copy.deepcopy(manifest)
        change(m)
        return what, keyword, m

    def module(m, name):
        return next(x for x in m['modules'] if x['name'] == name)

    def first_archive(m):
        return next(s for x in m['modules'] for s in x['sources'] if s['type'] == 'archive')

    yield mutate('other app ID', 'app ID', lambda m: m.update({'id': 'org.example.Other'}))
    yield mutate('KDE runtime', 'runtime must', lambda m: m.update({'runtime': 'org.kde.Platform'}))
    yield mutate('no sdk', 'sdk must', lambda m: m.pop('sdk'))
    yield mutate('no runtime version', 'runtime-version', lambda m: m.pop('runtime-version'))
    yield mutate('other command', 'command', lambda m: m.update({'command': 'sh'}))
    yield mutate('home access', 'finish-args', lambda m: m['finish-args'].append('--filesystem=home'))
    yield mutate('pictures read-write', 'finish-args', lambda m: m['finish-args'].__setitem__(
        m['finish-args'].index('--filesystem=xdg-pictures:ro'), '--filesystem=xdg-pictures'))
    yield mutate('no wayland', 'finish-args', lambda m: m['finish-args'].remove('--socket=wayland'))
    yield mutate('no libvips', "no module 'libvips'", lambda m: m['modules'].remove(module(m, 'libvips')))
    yield mutate('http URL', 'must be https', lambda m: first_archive(m).update(
        {'url': first_archive(m)['url'].replace('https://', 'http://')}))
    yield mutate('short sha256', 'sha256', lambda m: first_archive(m).update({'sha256': 'abc123'}))
    yield mutate('no sha256', 'sha256', lambda m: first_archive(m).pop('sha256'))
    yield mutate('unpinned git', 'pinned to a commit', lambda m: m['modules'][0]['sources'].append(
        {'type': 'git', 'url': 'https://example.org/x.git', 'branch': 'main'}))
    yield mutate('lightbox not last', 'last module', lambda m: m['modules'].append(
        m['modules'].pop(m['modules'].index(module(m, 'libvips')))))
    yield mutate('tests enabled', '-Dtests=false', lambda m: module(m, 'lightbox').update({'config-opts': []}))
    yield mutate('lightbox from a tarball', 'local dir source', lambda m: module(m, 'lightbox').update(
        {'sources': [copy.deepcopy(first_archive(m))]}))
    yield mutate('runtime newer than the README', 'README must install',
                 lambda m: m.update({'runtime-version': str(int(m['runtime-version']) + 1)}))
    yield mutate('wrong dir', 'source tree', lambda m: module(m, 'lightbox')['sources'][0].update({'path': '.'}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('manifest')
    parser.add_argument('app_id')
    parser.add_argument('source_root')
    parser.add_argument('readme')
    parser.add_argument('--self-test', action='store_true')
    args = parser.parse_args()

    with open(args.manifest, encoding='utf-8') as f:
        manifest = json.load(f)
    with open(args.readme, encoding='utf-8') as f:
        readme = f.read()
    context = (args.app_id, os.path.dirname(os.path.abspath(args.manifest)), args.source_root, readme)

    problems = check(manifest, *context)
    for p in problems:
        print(f'{args.manifest}: {p}', file=sys.stderr)
    if not args.self_test:
        if not problems:
            print(f'{args.manifest}: OK, {len(manifest["modules"])} modules on '
                  f'{manifest["runtime"]}//{manifest["runtime-version"]}')
        return 1 if problems else 0

    # The checks must pass on the real manifest and reject each broken copy
    # for the reason it was broken.
    missed = 0
    for what, keyword, broken in broken_copies(manifest):
        found = [p for p in check(broken, *context) if keyword in p]
        print(f'{what}: ' + (f'rejected: {found[0]}' if found else 'NOT REJECTED'))
        missed += not found
    return 1 if problems or missed else 0


if __name__ == '__main__':
    sys.exit(main())
