{{/*
One role of the control plane: its ServiceAccount, a Deployment or DaemonSet, a Service (for a
Deployment) and a PodDisruptionBudget (for a Deployment of more than one replica).
Argument: dict "root" $ "component" NAME "role" VALUES, where VALUES has the shape of the
gateway's, relay's and controllers' blocks in values.yaml. A role of the machine (node and proxy
agents) may also set hostNetwork (the machine's network identity), root (runs as root with
securityContext as its container's security context) and emptyDirs (mount path → emptyDir).
*/}}
{{- define "kube4j.workload" -}}
{{- $root := .root -}}
{{- $role := .role -}}
{{- $name := printf "%s-%s" (include "kube4j.fullname" $root) .component -}}
{{- $selector := include "kube4j.selectorLabels" (dict "root" $root "component" .component) -}}
{{- if $role.enabled }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  labels:
    {{- include "kube4j.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
# kube4j's services talk to their own gateway, never to the API of the cluster they run in.
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: {{ $role.kind }}
metadata:
  name: {{ $name }}
  labels:
    {{- include "kube4j.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if eq $role.kind "Deployment" }}
  replicas: {{ $role.replicas }}
  {{- end }}
  selector:
    matchLabels:
      {{- $selector | nindent 6 }}
  template:
    metadata:
      labels:
        {{- $selector | nindent 8 }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      {{- if $role.hostNetwork }}
      hostNetwork: true
      dnsPolicy: ClusterFirstWithHostNet
      {{- end }}
      {{- if not $role.root }}
      securityContext:
        {{- include "kube4j.podSecurityContext" $root | nindent 8 }}
      {{- end }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $role.pki }}
      # Every replica starts from the release's CA, admin token and ServiceAccount token key and issues its own serving
      # certificate from that CA, so clients trust all replicas alike.
      initContainers:
        - name: pki
          image: {{ include "kube4j.image" (dict "root" $root "name" $role.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: [sh, -c, "cp /var/lib/kube4j/pki-seed/ca.crt /var/lib/kube4j/pki-seed/ca.key /var/lib/kube4j/pki-seed/tokens.csv /var/lib/kube4j/pki-seed/sa.key /var/lib/kube4j/pki/"]
          securityContext:
            {{- include "kube4j.containerSecurityContext" $root | nindent 12 }}
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {memory: 64Mi}
          volumeMounts:
            - {name: pki-seed, mountPath: /var/lib/kube4j/pki-seed, readOnly: true}
            - {name: pki, mountPath: /var/lib/kube4j/pki}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "kube4j.image" (dict "root" $root "name" $role.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          env:
            - {name: SERVER_PORT, value: {{ $role.port | quote }}}
            - {name: MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED, value: "true"}
            - {name: JAVA_TOOL_OPTIONS, value: {{ $role.javaOpts | quote }}}
            {{- if $role.pki }}
            - {name: KUBE4J_GATEWAY_PKIDIR, value: /var/lib/kube4j/pki}
            - {name: KUBE4J_GATEWAY_TLS_EXTRASANS, value: {{ include "kube4j.gatewayNames" $root | quote }}}
            {{- end }}
            {{- range $key, $value := $role.env }}
            - {name: {{ $key }}, value: {{ tpl (toString $value) $root | quote }}}
            {{- end }}
          ports:
            - {name: http, containerPort: {{ $role.port }}, protocol: TCP}
          startupProbe:
            httpGet: {path: {{ $role.livenessPath }}, port: http, scheme: {{ $role.scheme }}}
            periodSeconds: 5
            failureThreshold: 60
          readinessProbe:
            httpGet: {path: {{ $role.readinessPath }}, port: http, scheme: {{ $role.scheme }}}
            periodSeconds: 5
            timeoutSeconds: 3
          livenessProbe:
            httpGet: {path: {{ $role.livenessPath }}, port: http, scheme: {{ $role.scheme }}}
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 6
          resources:
            {{- toYaml $role.resources | nindent 12 }}
          securityContext:
            {{- if $role.root }}
            {{- toYaml $role.securityContext | nindent 12 }}
            {{- else }}
            {{- include "kube4j.containerSecurityContext" $root | nindent 12 }}
            {{- end }}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
            {{- range $i, $path := $role.emptyDirs }}
            - {name: {{ printf "state-%d" $i }}, mountPath: {{ $path }}}
            {{- end }}
            {{- if $role.pki }}
            - {name: pki, mountPath: /var/lib/kube4j/pki}
            {{- end }}
            {{- if $role.kubeconfig }}
            - {name: kubeconfig, mountPath: /var/lib/kube4j/kubeconfig, readOnly: true}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- range $i, $path := $role.emptyDirs }}
        - name: {{ printf "state-%d" $i }}
          emptyDir: {}
        {{- end }}
        {{- if $role.pki }}
        - name: pki
          emptyDir: {}
        - name: pki-seed
          secret:
            secretName: {{ include "kube4j.fullname" $root }}-pki
            defaultMode: 0440
        {{- end }}
        {{- if $role.kubeconfig }}
        - name: kubeconfig
          secret:
            secretName: {{ include "kube4j.fullname" $root }}-kubeconfig
            defaultMode: 0440
        {{- end }}
{{- if eq $role.kind "Deployment" }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "kube4j.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  type: {{ dig "service" "type" "ClusterIP" $role }}
  selector:
    {{- $selector | nindent 4 }}
  ports:
    - {name: http, port: {{ $role.port }}, targetPort: http, protocol: TCP}
{{- if and $role.pdb (gt (int $role.replicas) 1) }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "kube4j.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- toYaml $role.pdb | nindent 2 }}
  selector:
    matchLabels:
      {{- $selector | nindent 6 }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
