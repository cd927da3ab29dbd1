{{/* Names, labels and the checks every template shares. */}}

{{- define "repflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's object name, cut to the 63 characters Kubernetes allows in a label. */}}
{{- define "repflow.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "repflow.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "repflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "repflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "repflow.labels" -}}
helm.sh/chart: {{ include "repflow.chart" . }}
{{ include "repflow.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: repflow
{{- end }}

{{- define "repflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "repflow.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "repflow.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* "true" when the server uses PostgreSQL, empty for the embedded SQLite. */}}
{{- define "repflow.postgres" -}}
{{- if or .Values.database.url .Values.database.existingSecret }}true{{ end }}
{{- end }}

{{- define "repflow.databaseSecretName" -}}
{{- default (printf "%s-database" (include "repflow.fullname" .)) .Values.database.existingSecret }}
{{- end }}

{{- define "repflow.databaseSecretKey" -}}
{{- if .Values.database.existingSecret }}{{ .Values.database.existingSecretKey }}{{ else }}url{{ end }}
{{- end }}

{{/* The most replicas the release can run at once: what the single-writer checks care about. */}}
{{- define "repflow.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ max .Values.autoscaling.maxReplicas .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{- define "repflow.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{/*
Refuse configurations that would install but not work, naming the setting to change.
*/}}
{{- define "repflow.validate" -}}
{{- if and .Values.database.url .Values.database.existingSecret }}
{{- fail "database.url and database.existingSecret are both set: keep one" }}
{{- end }}
{{- $replicas := include "repflow.maxReplicas" . | int }}
{{- if and (gt $replicas 1) (not (include "repflow.postgres" .)) }}
{{- fail (printf "replicaCount/autoscaling allow %d replicas, but the embedded database serves one: set database.url or database.existingSecret (PostgreSQL), or run one replica" $replicas) }}
{{- end }}
{{- if and (not .Values.persistence.enabled) (not (include "repflow.postgres" .)) }}
{{- fail "persistence.enabled is false with the embedded database: its data would be lost with the pod; enable persistence or set database.url/database.existingSecret" }}
{{- end }}
{{- if and .Values.persistence.enabled (not .Values.persistence.existingClaim) (gt $replicas 1) (has "ReadWriteOnce" .Values.persistence.accessModes) }}
{{- fail (printf "persistence.accessModes is ReadWriteOnce but up to %d replicas share the data volume: use ReadWriteMany, an existingClaim, or persistence.enabled=false" $replicas) }}
{{- end }}
{{- end }}

{{/* The URL people reach the server at: server.publicURL, else the first ingress host. */}}
{{- define "repflow.publicURL" -}}
{{- if .Values.server.publicURL }}
{{- .Values.server.publicURL }}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts }}
{{- $host := (first .Values.ingress.hosts).host }}
{{- $tls := false }}
{{- range .Values.ingress.tls }}{{ if has $host .hosts }}{{ $tls = true }}{{ end }}{{ end }}
{{- printf "%s://%s" (ternary "https" "http" $tls) $host }}
{{- end }}
{{- end }}

{{/* Environment shared by the server and the migration run. */}}
{{- define "repflow.env" -}}
- name: REPFLOW_DATA_DIR
  value: {{ .Values.dataDir | quote }}
- name: REPFLOW_LOG_LEVEL
  value: {{ .Values.server.logLevel | quote }}
- name: REPFLOW_LOG_FORMAT
  value: {{ .Values.server.logFormat | quote }}
{{- if include "repflow.postgres" . }}
- name: REPFLOW_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "repflow.databaseSecretName" . }}
      key: {{ include "repflow.databaseSecretKey" . }}
{{- end }}
{{- with .Values.env }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The pod-level settings the server and the migration Job share. */}}
{{- define "repflow.podCommon" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
