import json, subprocess, sys, yaml, copy, os
def merge(a, b):
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict): merge(a[k], v)
        elif isinstance(v, list) and isinstance(a.get(k), list) and v and all(isinstance(x, dict) and 'name' in x for x in v + a[k]):
            for item in v:
                match = [x for x in a[k] if x['name'] == item['name']]
                if match: merge(match[0], item)
                else: a[k].append(item)
        else: a[k] = v
cases = json.load(open('cases.json'))
out = []
for c in cases:
    old = yaml.safe_load(c['old']); new = yaml.safe_load(c['new'])
    extra = c.get('server', {})
    open('old.yaml','w').write(c['old']); open('new.yaml','w').write(c['new'])
    json.dump(extra, open('extra.json','w'))
    res = subprocess.run(['./capture.sh', 'old.yaml', 'new.yaml', 'extra.json'], capture_output=True, text=True, timeout=30)
    lines = res.stdout.split('\n', 1)
    if not lines[0].startswith('application/'):
        print('FAILED', c['name'], res.stdout, res.stderr, file=sys.stderr); continue
    patch = json.loads(lines[1])
    live = json.load(open('live.last.json'))
    expected = copy.deepcopy(new)
    expected['metadata']['namespace'] = 'default'
    expected['metadata'].setdefault('annotations', {})['kubectl.kubernetes.io/last-applied-configuration'] = \
        patch['metadata']['annotations']['kubectl.kubernetes.io/last-applied-configuration']
    merge(expected, extra)
    if 'expected' in c: expected = c['expected'](expected) if callable(c['expected']) else c['expected']
    out.append({'name': c['name'], 'kind': new['kind'], 'group': new['apiVersion'].split('/')[0] if '/' in new['apiVersion'] else '',
                'live': live, 'patch': patch, 'expected': expected})
json.dump(out, sys.stdout, indent=1)
