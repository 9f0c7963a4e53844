// Structural checks over a rendered chart (the output of `helm template` or helm-render): what review would otherwise
// have to catch by eye. Each check prints its violations and exits 1, or exits 0.
//
// usage: node manifests.mjs CHECK RENDERED.yaml [ARG]
//   security     every pod and container: non-root, read-only root filesystem, no privilege escalation, all
//                capabilities dropped, seccomp RuntimeDefault, an emptyDir at /tmp
//   probes       every container: startup and readiness probes on /health/ready, liveness on /health/live
//   secrets      no Secret's value appears in a ConfigMap or a literal env value; secrets reach pods only by reference
//   grace        each silo's terminationGracePeriodSeconds covers Grains:ShutdownTimeout + 5 s (the host's margin) + preStop
//   cluster      Cluster:Host comes from the downward API, Cluster:Generation is never fixed, silos and gateways agree on
//                Cluster:PartitionCount
//   hpa          a Deployment scaled by an HPA does not also fix its replicas
//   dashboards N exactly N dashboard files in ConfigMaps labelled for Grafana's sidecar (none rendered for N = 0)
//   kinds K,K…   the rendered objects' kinds, sorted, are exactly K,K…
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const [check, file, arg] = process.argv.slice(2);
const docs = parseAllDocuments(readFileSync(file, 'utf8'))
  .map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors[0].message}`);
    }
    return doc.toJS();
  })
  .filter((doc) => doc && doc.kind);
const problems = [];
const fail = (message) => problems.push(message);
const nameOf = (doc) => `${doc.kind}/${doc.metadata?.name}`;

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
const workloads = docs.filter((doc) => workloadKinds.has(doc.kind));
const podSpec = (doc) => doc.spec.template.spec;
const containersOf = (doc) => [...(podSpec(doc).initContainers ?? []), ...podSpec(doc).containers];
const configMaps = docs.filter((doc) => doc.kind === 'ConfigMap');
const envOf = (doc, container) => {
  const env = {};
  for (const source of container.envFrom ?? []) {
    const map = configMaps.find((cm) => cm.metadata.name === source.configMapRef?.name);
    Object.assign(env, map?.data ?? {});
  }
  for (const entry of container.env ?? []) {
    env[entry.name] = entry.value ?? entry.valueFrom;
  }
  return env;
};
const seconds = (timespan) => {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timespan ?? '');
  return match ? (+(match[1] ?? 0) * 86400 + +match[2] * 3600 + +match[3] * 60 + +match[4]) : NaN;
};
const preStopSeconds = (container) => {
  const command = container.lifecycle?.preStop?.exec?.command;
  return command?.[0] === 'sleep' ? +command[1] : (container.lifecycle?.preStop?.sleep?.seconds ?? 0);
};

const checks = {
  security() {
    if (workloads.length === 0) fail('no workload rendered');
    for (const doc of workloads) {
      const pod = podSpec(doc);
      if (pod.securityContext?.runAsNonRoot !== true) fail(`${nameOf(doc)}: pod securityContext.runAsNonRoot is not true`);
      if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') fail(`${nameOf(doc)}: pod seccompProfile is not RuntimeDefault`);
      const tmpVolumes = (pod.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name);
      for (const container of containersOf(doc)) {
        const where = `${nameOf(doc)} container ${container.name}`;
        const context = container.securityContext ?? {};
        if (context.runAsNonRoot !== true) fail(`${where}: runAsNonRoot is not true`);
        if (context.readOnlyRootFilesystem !== true) fail(`${where}: readOnlyRootFilesystem is not true`);
        if (context.allowPrivilegeEscalation !== false) fail(`${where}: allowPrivilegeEscalation is not false`);
        if (!(context.capabilities?.drop ?? []).includes('ALL')) fail(`${where}: capabilities.drop lacks ALL`);
        if (context.seccompProfile?.type !== 'RuntimeDefault') fail(`${where}: seccompProfile is not RuntimeDefault`);
        if (!(container.volumeMounts ?? []).some((mount) => mount.mountPath === '/tmp' && tmpVolumes.includes(mount.name))) {
          fail(`${where}: no emptyDir mounted at /tmp`);
        }
      }
    }
  },
  probes() {
    for (const doc of workloads) {
      for (const container of podSpec(doc).containers) {
        const where = `${nameOf(doc)} container ${container.name}`;
        const ports = (container.ports ?? []).map((port) => port.name);
        for (const [probe, path] of [['startupProbe', '/health/ready'], ['readinessProbe', '/health/ready'], ['livenessProbe', '/health/live']]) {
          const get = container[probe]?.httpGet;
          if (!get) {
            fail(`${where}: no ${probe} (httpGet)`);
            continue;
          }
          if (get.path !== path) fail(`${where}: ${probe} checks ${get.path}, expected ${path}`);
          if (typeof get.port === 'string' && !ports.includes(get.port)) fail(`${where}: ${probe} port ${get.port} is not a container port`);
        }
      }
    }
  },
  secrets() {
    const secretValues = [];
    for (const secret of docs.filter((doc) => doc.kind === 'Secret')) {
      for (const value of Object.values(secret.data ?? {})) secretValues.push(Buffer.from(value, 'base64').toString('utf8'));
      for (const value of Object.values(secret.stringData ?? {})) secretValues.push(String(value));
    }
    if (arg === 'expect-secrets' && secretValues.length === 0) fail('no Secret rendered, so nothing was checked');
    const literals = [
      ...configMaps.flatMap((cm) => Object.entries(cm.data ?? {}).map(([key, value]) => [`${nameOf(cm)} ${key}`, String(value)])),
      ...workloads.flatMap((doc) => containersOf(doc).flatMap((container) =>
        (container.env ?? []).filter((entry) => entry.value !== undefined).map((entry) => [`${nameOf(doc)} env ${entry.name}`, String(entry.value)]))),
    ];
    for (const secret of secretValues.filter((value) => value.length >= 8)) {
      for (const [where, value] of literals) {
        if (value.includes(secret)) fail(`${where} holds a Secret's value`);
      }
    }
    const secretSettings = /^(Storage__Postgres__ConnectionString|Relay__Mnemonic|Canaries__ProbeMnemonic)$/;
    for (const [where] of literals.filter(([where]) => secretSettings.test(where.split(' ').pop()))) {
      fail(`${where}: a secret setting given as a literal, not a Secret reference`);
    }
    for (const doc of workloads) {
      for (const container of containersOf(doc)) {
        const connection = (container.env ?? []).find((entry) => entry.name === 'Storage__Postgres__ConnectionString');
        if (!connection?.valueFrom?.secretKeyRef) fail(`${nameOf(doc)} container ${container.name}: the connection string is not a secretKeyRef`);
      }
    }
  },
  grace() {
    const silos = workloads.filter((doc) => doc.kind === 'StatefulSet');
    if (silos.length === 0) fail('no silo StatefulSet rendered');
    for (const doc of silos) {
      const container = podSpec(doc).containers[0];
      const shutdown = seconds(envOf(doc, container).Grains__ShutdownTimeout);
      const needed = shutdown + 5 + preStopSeconds(container);
      const grace = podSpec(doc).terminationGracePeriodSeconds;
      if (Number.isNaN(shutdown)) fail(`${nameOf(doc)}: Grains__ShutdownTimeout is not set`);
      else if (!(grace >= needed)) fail(`${nameOf(doc)}: terminationGracePeriodSeconds ${grace} < ${needed} (Grains:ShutdownTimeout ${shutdown} s + 5 s + preStop)`);
    }
  },
  cluster() {
    const partitionCounts = new Set();
    for (const doc of workloads) {
      for (const container of podSpec(doc).containers) {
        const env = envOf(doc, container);
        const where = `${nameOf(doc)} container ${container.name}`;
        const host = String(env.Cluster__Host ?? '');
        const fieldOf = (name) => container.env.find((entry) => entry.name === name)?.valueFrom?.fieldRef?.fieldPath;
        const fromPodIp = host === '$(POD_IP)' && fieldOf('POD_IP') === 'status.podIP';
        const fromPodName = host.startsWith('$(POD_NAME).') && fieldOf('POD_NAME') === 'metadata.name';
        if (!fromPodIp && !fromPodName) fail(`${where}: Cluster__Host '${host}' is not the pod's IP or DNS name from the downward API`);
        if ('Cluster__Generation' in env) fail(`${where}: Cluster__Generation is fixed; it must come from each process start`);
        partitionCounts.add(env.Cluster__PartitionCount);
      }
    }
    if (partitionCounts.size !== 1 || partitionCounts.has(undefined)) fail(`silos and gateways disagree on Cluster__PartitionCount: ${[...partitionCounts].join(', ')}`);
  },
  hpa() {
    for (const hpa of docs.filter((doc) => doc.kind === 'HorizontalPodAutoscaler')) {
      const target = docs.find((doc) => doc.kind === hpa.spec.scaleTargetRef.kind && doc.metadata.name === hpa.spec.scaleTargetRef.name);
      if (!target) fail(`${nameOf(hpa)} scales ${hpa.spec.scaleTargetRef.name}, which is not rendered`);
      else if (target.spec.replicas !== undefined) fail(`${nameOf(target)} fixes replicas although ${nameOf(hpa)} scales it`);
    }
  },
  dashboards() {
    const expected = Number(arg);
    const labelled = configMaps.filter((cm) => cm.metadata.labels?.grafana_dashboard === '1');
    const files = labelled.flatMap((cm) => Object.keys(cm.data ?? {}));
    if (files.length !== expected) fail(`${files.length} dashboard files in ConfigMaps labelled grafana_dashboard: "1", expected ${expected}`);
    for (const cm of labelled) {
      for (const [key, value] of Object.entries(cm.data ?? {})) {
        try {
          JSON.parse(value);
        } catch (error) {
          fail(`${nameOf(cm)} ${key} is not JSON: ${error.message}`);
        }
      }
    }
  },
  kinds() {
    const actual = docs.map((doc) => doc.kind).sort().join(',');
    const expected = (arg ?? '').split(',').filter(Boolean).sort().join(',');
    if (actual !== expected) fail(`rendered kinds ${actual}, expected ${expected}`);
  },
};

if (!checks[check]) {
  console.error(`manifests.mjs: unknown check '${check}'; one of ${Object.keys(checks).join(', ')}`);
  process.exit(2);
}
checks[check]();
for (const problem of problems) console.error(`  ${problem}`);
process.exit(problems.length === 0 ? 0 : 1);
