{{/* The release's name prefix of every object, at most 40 characters so that suffixes fit. */}}
{{- define "kube4j.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kube4j.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels that select one component's pods; argument: dict "root" . "component" NAME. */}}
{{- define "kube4j.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image reference; argument: dict "root" . "name" IMAGE. */}}
{{- define "kube4j.image" -}}
{{- printf "%s%s:%s" .root.Values.image.prefix .name (.root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{- define "kube4j.etcdEndpoints" -}}
{{- if .Values.etcd.enabled -}}
{{- $fullname := include "kube4j.fullname" . -}}
{{- $endpoints := list -}}
{{- range $i := until (int .Values.etcd.replicas) -}}
{{- $endpoints = append $endpoints (printf "http://%s-etcd-%d.%s-etcd.%s.svc:2379" $fullname $i $fullname $.Release.Namespace) -}}
{{- end -}}
{{- join "," $endpoints -}}
{{- else -}}
{{- $endpoints := .Values.etcd.external.endpoints -}}
{{- required "etcd.external.endpoints is required when etcd.enabled is false" (ternary $endpoints (join "," $endpoints) (kindIs "string" $endpoints)) -}}
{{- end -}}
{{- end -}}

{{- define "kube4j.kafkaBootstrapServers" -}}
{{- if .Values.kafka.enabled -}}
{{- $fullname := include "kube4j.fullname" . -}}
{{- $servers := list -}}
{{- range $i := until (int .Values.kafka.replicas) -}}
{{- $servers = append $servers (printf "%s-kafka-%d.%s-kafka.%s.svc:9092" $fullname $i $fullname $.Release.Namespace) -}}
{{- end -}}
{{- join "," $servers -}}
{{- else -}}
{{- required "kafka.external.bootstrapServers is required when kafka.enabled is false" .Values.kafka.external.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{- define "kube4j.redisAddress" -}}
{{- if .Values.redis.enabled -}}
{{- printf "%s-redis.%s.svc:6379" (include "kube4j.fullname" .) .Release.Namespace -}}
{{- else -}}
{{- required "redis.external.address is required when redis.enabled is false" .Values.redis.external.address -}}
{{- end -}}
{{- end -}}

{{- define "kube4j.redisHost" -}}
{{- include "kube4j.redisAddress" . | splitList ":" | first -}}
{{- end -}}
{{- define "kube4j.redisPort" -}}
{{- $parts := include "kube4j.redisAddress" . | splitList ":" -}}
{{- if gt (len $parts) 1 }}{{ last $parts }}{{ else }}6379{{ end -}}
{{- end -}}

{{/* The gateway's Service names: the serving certificate carries them all. */}}
{{- define "kube4j.gatewayNames" -}}
{{- $service := printf "%s-gateway" (include "kube4j.fullname" .) -}}
{{- $names := list $service (printf "%s.%s" $service .Release.Namespace) (printf "%s.%s.svc" $service .Release.Namespace) (printf "%s.%s.svc.cluster.local" $service .Release.Namespace) -}}
{{- join "," (concat $names .Values.gateway.extraSans) -}}
{{- end -}}

{{- define "kube4j.gatewayUrl" -}}
{{- printf "https://%s-gateway.%s.svc:%v" (include "kube4j.fullname" .) .Release.Namespace .Values.gateway.port -}}
{{- end -}}

{{/* Non-root, no privilege escalation, no capabilities, read-only root file system. */}}
{{- define "kube4j.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}
{{- define "kube4j.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
