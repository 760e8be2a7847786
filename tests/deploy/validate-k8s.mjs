// Validates rendered Kubernetes manifests offline: every object against the API
// schema (kubernetes-models), and Seimbang's own rules for every container.
// Usage: node validate-k8s.mjs rendered.yaml [more.yaml...]
import fs from "node:fs";
import yaml from "js-yaml";

const failures = [];
const fail = (where, what) => failures.push(`${where}: ${what}`);

async function modelFor(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion : `v1`;
  const path = apiVersion.includes("/") ? `kubernetes-models/${group}/${kind}` : `kubernetes-models/v1/${kind}`;
  try {
    const mod = await import(path);
    return mod[kind] ?? mod.default;
  } catch (e) {
    return null;
  }
}

function checkPodSpec(where, spec, { isDatabase }) {
  const podCtx = spec.securityContext ?? {};
  if (podCtx.runAsNonRoot !== true) fail(where, "pod securityContext.runAsNonRoot must be true");
  for (const c of spec.containers ?? []) {
    const at = `${where} container ${c.name}`;
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      if (!c[probe]) fail(at, `has no ${probe}`);
    }
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) fail(at, "has no cpu/memory requests");
    if (!c.resources?.limits?.memory) fail(at, "has no memory limit");
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) fail(at, "must set allowPrivilegeEscalation: false");
    if (sc.readOnlyRootFilesystem !== true) fail(at, "must have a read-only root filesystem");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail(at, "must drop ALL capabilities");
    const uid = sc.runAsUser ?? podCtx.runAsUser;
    if (uid === undefined || uid === 0) fail(at, "must run as a non-root uid");
    if (!isDatabase && !(c.readinessProbe?.grpc)) fail(at, "readiness must be a native gRPC probe");
  }
}

let objects = 0;
for (const file of process.argv.slice(2)) {
  const docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter(Boolean);
  for (const obj of docs) {
    objects++;
    const where = `${file} ${obj.kind}/${obj.metadata?.name}`;
    const Model = await modelFor(obj.apiVersion, obj.kind);
    if (!Model) {
      fail(where, `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      fail(where, `schema: ${e.message}`);
    }
    if (obj.kind === "Deployment" || obj.kind === "StatefulSet") {
      checkPodSpec(where, obj.spec.template.spec, { isDatabase: obj.kind === "StatefulSet" });
    }
    if (obj.kind === "Deployment") {
      const grace = obj.spec.template.spec.terminationGracePeriodSeconds ?? 30;
      if (grace < 25) fail(where, `terminationGracePeriodSeconds ${grace} does not cover the 20 s drain`);
    }
  }
}
if (objects === 0) fail("input", "no objects rendered");
if (failures.length) {
  console.error(failures.join("\n"));
  console.error(`${failures.length} problem(s) in ${objects} objects`);
  process.exit(1);
}
console.log(`${objects} objects valid`);
