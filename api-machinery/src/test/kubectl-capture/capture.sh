#!/bin/bash
# usage: capture.sh old.yaml new.yaml [live-extra.json]
set -e
cd "$(dirname "$0")"
OLD=$1; NEW=$2
python3 - "$OLD" "${3:-}" <<'PY'
import json, sys, yaml
old = yaml.safe_load(open(sys.argv[1]))
live = json.loads(json.dumps(old))
live.setdefault('metadata', {}).setdefault('annotations', {})['kubectl.kubernetes.io/last-applied-configuration'] = json.dumps(old, separators=(',',':')) + "\n"
live['metadata']['namespace'] = 'default'
if sys.argv[2]:
    extra = json.load(open(sys.argv[2]))
    def merge(a, b):
        for k, v in b.items():
            if isinstance(v, dict) and isinstance(a.get(k), dict): merge(a[k], v)
            else: a[k] = v
    merge(live, extra)
json.dump(live, open('live.json', 'w'))
PY
rm -f out.txt
PORT=$(python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
sed "s/18555/$PORT/" kubeconfig > kc.$PORT
python3 stub.py $PORT live.json out.txt & PID=$!
sleep 0.6
kubectl --kubeconfig kc.$PORT apply --validate=false -f "$NEW" >/dev/null 2>err.txt || cat err.txt >&2
kill $PID
cat out.txt; echo
cp live.json live.last.json
