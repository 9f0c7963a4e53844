{{/* Names, labels and the small computations the templates share. */}}

{{- define "nexus-orleans.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "nexus-orleans.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "nexus-orleans.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "nexus-orleans.labels" -}}
helm.sh/chart: {{ include "nexus-orleans.chart" . }}
app.kubernetes.io/name: {{ include "nexus-orleans.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: nexus-orleans
{{- end -}}

{{/* Selector labels of one component ("silo" or "gateway"): (dict "ctx" $ "component" "silo"). */}}
{{- define "nexus-orleans.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nexus-orleans.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "nexus-orleans.componentLabels" -}}
{{ include "nexus-orleans.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "nexus-orleans.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "nexus-orleans.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Image reference: (dict "image" .Values.silo.image "ctx" $). */}}
{{- define "nexus-orleans.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag | toString) -}}
{{- end -}}

{{/* Secret names: the existing one named in values, else "<fullname>-<suffix>". */}}
{{- define "nexus-orleans.postgresSecret" -}}
{{- default (printf "%s-postgres" (include "nexus-orleans.fullname" .)) .Values.postgres.existingSecret -}}
{{- end -}}
{{- define "nexus-orleans.relaySecret" -}}
{{- default (printf "%s-relay" (include "nexus-orleans.fullname" .)) .Values.relay.existingSecret -}}
{{- end -}}
{{- define "nexus-orleans.anchorSecret" -}}
{{- default (printf "%s-anchor" (include "nexus-orleans.fullname" .)) .Values.chain.anchor.existingSecret -}}
{{- end -}}

{{/* The headless Service of the silos. */}}
{{- define "nexus-orleans.siloHeadless" -}}
{{- printf "%s-silo-headless" (include "nexus-orleans.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Seconds as a .NET TimeSpan setting, hh:mm:ss. */}}
{{- define "nexus-orleans.timespan" -}}
{{- $s := int . -}}
{{- printf "%02d:%02d:%02d" (div $s 3600) (div (mod $s 3600) 60) (mod $s 60) -}}
{{- end -}}

{{/* Where mounted secrets live in the pods. */}}
{{- define "nexus-orleans.relayDir" -}}/var/run/secrets/nexus/relay{{- end -}}
{{- define "nexus-orleans.anchorDir" -}}/var/run/secrets/nexus/anchor{{- end -}}

{{/* terminationGracePeriodSeconds of a silo: the stop's own budget, the host's 5 s over it, 5 s to exit. */}}
{{- define "nexus-orleans.siloGrace" -}}
{{- add (int .Values.silo.preStopSleepSeconds) (int .Values.silo.shutdownTimeoutSeconds) 10 -}}
{{- end -}}

{{/* terminationGracePeriodSeconds of a gateway: the host's default 30 s stop timeout and 10 s to exit. */}}
{{- define "nexus-orleans.gatewayGrace" -}}
{{- add (int .Values.gateway.preStopSleepSeconds) 40 -}}
{{- end -}}

{{/* "Section:Key" settings as environment entries of a ConfigMap (Section__Key). */}}
{{- define "nexus-orleans.settingsEnv" -}}
{{- range $key, $value := . }}
{{ $key | replace ":" "__" }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The pod-level pieces both workloads share: /tmp, security context. */}}
{{- define "nexus-orleans.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}
