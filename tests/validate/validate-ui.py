#!/usr/bin/env python3
"""validate-ui.py MODULE FILE: gtk4-builder-tool validate FILE, with MODULE
(lb-ui-types.c linked with the whole app library) preloaded so that the tool
knows libadwaita's types and ours, and with the class and parent of FILE's
<template> registered before the tool looks them up. A template of ours is so
built by its real class, as the app builds it.

Fails on the tool's failure and also on any warning or critical it logs: it
only warns about a value it cannot parse, its own log writer ignores
G_DEBUG=fatal-*, and a broken template is only a critical.

Run it with a display (xvfb-run): a GtkWindow cannot be made without one, and
gtk4-builder-tool 4.8 then crashes instead of saying so.
"""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

module, ui = sys.argv[1:3]
env = dict(os.environ)

types = []
for template in ET.parse(ui).getroot().iter('template'):
    types += [template.get('class', ''), template.get('parent', '')]
env['LB_UI_TYPES'] = ' '.join(t for t in types if t)

# In a sanitizer build the module needs the sanitizer's runtime loaded first.
preload = [os.path.abspath(module)]
ldd = subprocess.run(['ldd', module], capture_output=True, text=True, check=True).stdout
for runtime in re.findall(r'=> (\S*/lib(?:a|ub|t)san\.so\S*)', ldd):
    preload.insert(0, runtime)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=0')
if env.get('LD_PRELOAD'):
    preload.append(env['LD_PRELOAD'])
env['LD_PRELOAD'] = ':'.join(preload)

tool = subprocess.run(['gtk4-builder-tool', 'validate', ui], env=env,
                      stderr=subprocess.PIPE, text=True)
sys.stderr.write(tool.stderr)
logged = re.findall(r'^\S+-(?:CRITICAL|WARNING): .*$', tool.stderr, re.MULTILINE)
if tool.returncode != 0:
    sys.exit(f'{ui}: gtk4-builder-tool failed ({tool.returncode})')
if logged:
    sys.exit(f'{ui}: {len(logged)} warnings and criticals')
print(f'{ui}: valid')
