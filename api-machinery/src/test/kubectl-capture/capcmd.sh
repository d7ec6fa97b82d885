#!/bin/bash
# usage: capcmd.sh live.json kubectl-args...
cd "$(dirname "$0")"
LIVE=$1; shift
PORT=$(python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
sed "s/18555/$PORT/" kubeconfig > kc.$PORT
rm -f out.txt
python3 stub.py $PORT $LIVE out.txt & PID=$!
sleep 0.6
kubectl --kubeconfig kc.$PORT "$@" >/dev/null 2>err.txt || cat err.txt >&2
kill $PID
cat out.txt; echo
