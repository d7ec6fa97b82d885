import json, sys, http.server
LIVE = json.load(open(sys.argv[2]))
OUT = sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def send(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code); self.send_header('Content-Type','application/json'); self.send_header('Content-Length',str(len(b))); self.end_headers(); self.wfile.write(b)
    def log_message(self, *a): pass
    def do_GET(self):
        p = self.path.split('?')[0]
        if p == '/api': return self.send(200, {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]})
        if p == '/apis': return self.send(200, {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]})
        if p == '/api/v1': return self.send(200, {"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"pods","singularName":"pod","namespaced":True,"kind":"Pod","verbs":["get","list","patch","create","update","delete"]},{"name":"configmaps","singularName":"configmap","namespaced":True,"kind":"ConfigMap","verbs":["get","list","patch","create","update","delete"]},{"name":"services","singularName":"service","namespaced":True,"kind":"Service","verbs":["get","list","patch","create","update","delete"]}]})
        if p == '/apis/apps/v1': return self.send(200, {"kind":"APIResourceList","groupVersion":"apps/v1","resources":[{"name":"deployments","singularName":"deployment","namespaced":True,"kind":"Deployment","verbs":["get","list","patch","create","update","delete"]}]})
        if p.endswith('/' + LIVE['metadata']['name']): return self.send(200, LIVE)
        return self.send(404, {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"})
    def do_PATCH(self):
        n = int(self.headers['Content-Length']); body = self.rfile.read(n)
        open(OUT,'w').write(self.headers['Content-Type'] + "\n" + body.decode())
        self.send(200, LIVE)
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
