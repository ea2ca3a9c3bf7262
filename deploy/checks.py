#!/usr/bin/python3
"""Structural checks of deploy/ that need no container engine or cluster (run by deploy/check).

Subcommands (each exits 1 with one line per problem):
  rules-sync [--write]   deploy/k8s/base/prometheusrule.yaml carries exactly the groups of
                         deploy/prometheus/rules/spoils-alerts.yml (--write regenerates it)
  kustomize              every kustomization.yaml under deploy/k8s: referenced files exist, every
                         resource has apiVersion/kind/metadata.name, patches name existing objects
  policy FILE...         rendered manifests (kubectl kustomize output, or '-' for stdin): the
                         gateway's probes, drain timing, security context, resources; Triton's GPU,
                         start-up limits and TLS agreeing on both sides
  compose                deploy/compose/docker-compose.yaml: services, pinned images, mounts on disk
  dockerfile             deploy/docker/Dockerfile: pinned bases, non-root user, health check, ...
  dashboard-rules OUT    the dashboard's PromQL as a rules file, for `promtool check rules`
Uses the Debian python3 (python3-yaml comes with yamllint).
"""
import json
import re
import shlex
import sys
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
RULES = DEPLOY / "prometheus/rules/spoils-alerts.yml"
PROM_RULE = DEPLOY / "k8s/base/prometheusrule.yaml"
DASHBOARD = DEPLOY / "grafana/spoils-dashboard.json"
COMPOSE = DEPLOY / "compose/docker-compose.yaml"
DOCKERFILE = DEPLOY / "docker/Dockerfile"
PREAMBLE = (
    "# Generated from deploy/prometheus/rules/spoils-alerts.yml by `deploy/check --write`:\n"
    "# edit that file, not this one (deploy/check fails while the two differ).\n"
    "# yamllint disable rule:line-length\n")

problems = []


def problem(msg):
    problems.append(msg)


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


# ---------------------------------------------------------------- rules-sync
def prometheus_rule():
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
            "metadata": {"name": "spoils", "labels": {"app.kubernetes.io/name": "spoils-gateway"}},
            "spec": {"groups": groups}}


def rules_sync(write):
    want = prometheus_rule()
    if write:
        PROM_RULE.write_text(PREAMBLE + yaml.safe_dump(want, sort_keys=False, width=96,
                                                       default_flow_style=False))
        return
    if not PROM_RULE.exists() or load_all(PROM_RULE) != [want]:
        problem(f"{PROM_RULE.relative_to(ROOT)} differs from {RULES.relative_to(ROOT)}: "
                "run deploy/check --write")


# ---------------------------------------------------------------- kustomize
def kustomize(directory, seen=None):
    """Checks one kustomization; returns its (kind, name) objects (bases included)."""
    seen = seen if seen is not None else {}
    if directory in seen:
        return seen[directory]
    kfile = directory / "kustomization.yaml"
    where = kfile.relative_to(ROOT)
    if not kfile.exists():
        problem(f"{directory.relative_to(ROOT)}: no kustomization.yaml")
        return set()
    k = yaml.safe_load(kfile.read_text())
    if k.get("kind") != "Kustomization":
        problem(f"{where}: kind is not Kustomization")
    objects = set()
    for ref in k.get("resources", []):
        target = (directory / ref).resolve()
        if target.is_dir():
            objects |= kustomize(target, seen)
        elif target.is_file():
            objects |= resource_file(target)
        else:
            problem(f"{where}: resource {ref} does not exist")
    for gen in k.get("configMapGenerator", []) + k.get("secretGenerator", []):
        for f in gen.get("files", []) + gen.get("envs", []):
            if not (directory / f.split("=")[-1]).is_file():
                problem(f"{where}: generator file {f} does not exist")
        if gen.get("behavior") != "merge":
            objects.add(("ConfigMap", gen["name"]))
    for p in k.get("patches", []) + k.get("patchesStrategicMerge", []):
        p = {"path": p} if isinstance(p, str) else p
        if "path" in p:
            path = directory / p["path"]
            if not path.is_file():
                problem(f"{where}: patch {p['path']} does not exist")
                continue
            # a JSON 6902 patch (a list of operations) needs a target, checked below
            docs = [d for d in load_all(path) if isinstance(d, dict)]
        else:
            docs = [d for d in yaml.safe_load_all(p.get("patch", "")) if isinstance(d, dict)]
        t = p.get("target", {})
        if "kind" in t and "name" in t and (t["kind"], t["name"]) not in objects:
            problem(f"{where}: patch target {t['kind']}/{t['name']} matches no resource")
        for d in docs:
            if "target" not in p and (d.get("kind"), d.get("metadata", {}).get("name")) not in objects:
                problem(f"{where}: patch for {d.get('kind')}/{d.get('metadata', {}).get('name')} "
                        "matches no resource")
            if d.get("$patch") == "delete":
                objects.discard((d.get("kind"), d["metadata"]["name"]))
    seen[directory] = objects
    return objects


def resource_file(path):
    objects = set()
    for d in load_all(path):
        name = (d.get("metadata") or {}).get("name")
        if not d.get("apiVersion") or not d.get("kind") or not name:
            problem(f"{path.relative_to(ROOT)}: a document lacks apiVersion, kind or metadata.name")
            continue
        if (d["kind"], name) in objects:
            problem(f"{path.relative_to(ROOT)}: {d['kind']}/{name} twice")
        objects.add((d["kind"], name))
    return objects


def kustomize_all():
    k8s = DEPLOY / "k8s"
    dirs = sorted(p.parent for p in k8s.rglob("kustomization.yaml"))
    if not dirs:
        problem("deploy/k8s: no kustomization.yaml")
    seen = {}
    for d in dirs:
        kustomize(d, seen)


# ---------------------------------------------------------------- policy
def policy(files):
    docs = []
    for f in files:
        text = sys.stdin.read() if f == "-" else Path(f).read_text()
        docs += [d for d in yaml.safe_load_all(text) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    gw = by_kind.get("Deployment", {}).get("spoils-gateway")
    if gw is None:
        problem("no Deployment spoils-gateway")
        return
    pod = gw["spec"]["template"]["spec"]
    c = next(c for c in pod["containers"] if c["name"] == "gateway")
    for probe, path in (("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live"),
                        ("startupProbe", "/health/live")):
        if c.get(probe, {}).get("httpGet", {}).get("path") != path:
            problem(f"gateway {probe} must GET {path}")
    env = {}
    for ref in c.get("envFrom", []):
        cm = by_kind.get("ConfigMap", {}).get(ref["configMapRef"]["name"])
        if cm is None:
            problem(f"gateway envFrom names a missing ConfigMap {ref['configMapRef']['name']}")
        else:
            env.update(cm.get("data", {}))
    drain = float(env.get("SPOILS_DRAIN_SECONDS", 30))
    pre = c.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
    pre_s = float(pre[1]) if pre[:1] == ["sleep"] and len(pre) == 2 else 0
    grace = pod.get("terminationGracePeriodSeconds", 30)
    if grace < pre_s + drain + 2 + 5:
        problem(f"terminationGracePeriodSeconds {grace} < preStop {pre_s} + drain {drain} + 7 s")
    sc = {**pod.get("securityContext", {}), **c.get("securityContext", {})}
    for key, want in (("runAsNonRoot", True), ("readOnlyRootFilesystem", True),
                      ("allowPrivilegeEscalation", False)):
        if sc.get(key) != want:
            problem(f"gateway securityContext.{key} must be {want}")
    if not c.get("resources", {}).get("requests") or not c["resources"].get("limits", {}).get("memory"):
        problem("gateway needs resource requests and a memory limit")
    mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
    if "/tmp" not in mounts:
        problem("gateway needs a writable /tmp (native libraries) with a read-only root")
    exposure(env, "gateway")
    if env.get("SPOILS_TLS_CERT"):
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            if c.get(probe, {}).get("httpGet", {}).get("scheme") != "HTTPS":
                problem(f"gateway serves TLS: its {probe} must use scheme HTTPS")
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for key in ("SPOILS_TLS_CERT", "SPOILS_TLS_KEY", "SPOILS_AUTH_TOKENS_FILE"):
            if not env.get(key):
                continue
            folder = env[key].rsplit("/", 1)[0]
            mount = next((m for m in c.get("volumeMounts", [])
                          if m["mountPath"].rstrip("/") == folder), None)
            if mount is None or "secret" not in volumes.get(mount["name"], {}):
                problem(f"gateway {key} {env[key]} is not in a mounted Secret (whole folder)")
    backend = env.get("SPOILS_BACKEND", "embedded")
    tr = by_kind.get("Deployment", {}).get("spoils-triton")
    if backend == "triton":
        if tr is None:
            problem("SPOILS_BACKEND=triton but no Deployment spoils-triton")
        else:
            host = env.get("SPOILS_TRITON_HOST", "")
            svc = by_kind.get("Service", {}).get(host.split(".")[0])
            if svc is None:
                problem(f"SPOILS_TRITON_HOST {host} names no Service")
            elif svc["spec"].get("clusterIP") != "None":
                problem(f"Service {host} should be headless (clusterIP: None)")
            tc = tr["spec"]["template"]["spec"]["containers"][0]
            if str(tc.get("resources", {}).get("limits", {}).get("nvidia.com/gpu")) != "1":
                problem("Triton container must limit nvidia.com/gpu: 1")
            triton_policy(env, c, tc)
    for kind in ("HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"):
        if "spoils-gateway" not in by_kind.get(kind, {}):
            problem(f"no {kind} spoils-gateway")


def exposure(env, where):
    """The image listens on every interface (SPOILS_HOST=0.0.0.0): serve refuses to start there
    without TLS and API tokens unless SPOILS_INSECURE=true (a service mesh terminates TLS)."""
    if str(env.get("SPOILS_INSECURE", "false")).lower() == "true":
        return
    for key in ("SPOILS_TLS_CERT", "SPOILS_TLS_KEY", "SPOILS_AUTH_TOKENS_FILE"):
        if not env.get(key):
            problem(f"{where}: {key} unset: serve refuses every interface without TLS and "
                    "tokens (or set SPOILS_INSECURE=true behind a mesh that terminates TLS)")


def mounted(container, path):
    return any(path.startswith(m["mountPath"].rstrip("/") + "/")
               for m in container.get("volumeMounts", []))


def triton_policy(env, gateway, triton):
    """The gateway waits for Triton as long as Triton's startupProbe lets it load, and both
    sides of the gRPC link agree on TLS, with every certificate file mounted."""
    sp = triton.get("startupProbe", {})
    triton_start = sp.get("periodSeconds", 10) * sp.get("failureThreshold", 3)
    if float(env.get("SPOILS_TRITON_STARTUP_SECONDS", 300)) < triton_start:
        problem(f"SPOILS_TRITON_STARTUP_SECONDS must be >= Triton's startupProbe ({triton_start} s)")
    args = triton.get("args", []) + triton.get("command", [])
    tls = "--grpc-use-ssl=true" in args
    mutual = "--grpc-use-ssl-mutual=true" in args
    gw_tls = env.get("SPOILS_TRITON_TLS") == "true" or "SPOILS_TRITON_CA_FILE" in env \
        or "SPOILS_TRITON_CLIENT_CERT" in env
    if tls != gw_tls:
        problem("Triton's --grpc-use-ssl and the gateway's SPOILS_TRITON_TLS / _CA_FILE disagree")
    if mutual and not ("SPOILS_TRITON_CLIENT_CERT" in env and "SPOILS_TRITON_CLIENT_KEY" in env):
        problem("Triton requires client certificates: set SPOILS_TRITON_CLIENT_CERT and _KEY")
    for key in ("SPOILS_TRITON_CA_FILE", "SPOILS_TRITON_CLIENT_CERT", "SPOILS_TRITON_CLIENT_KEY"):
        if key in env and not mounted(gateway, env[key]):
            problem(f"gateway {key} {env[key]} is not on a mounted volume")
    for arg in args:
        for flag in ("--grpc-server-cert=", "--grpc-server-key=", "--grpc-root-cert="):
            if arg.startswith(flag) and not mounted(triton, arg[len(flag):]):
                problem(f"Triton {arg} is not on a mounted volume")


# ---------------------------------------------------------------- compose
def pinned(image):
    name, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "")
    return "@sha256:" in image or (tag and tag != "latest")


def compose():
    c = yaml.safe_load(COMPOSE.read_text())
    base = COMPOSE.parent
    services = c.get("services", {})
    for want in ("gateway", "triton", "prometheus", "grafana"):
        if want not in services:
            problem(f"compose: no service {want}")
    named = set((c.get("volumes") or {}).keys())
    for name, s in services.items():
        image = s.get("image")
        if not image:
            problem(f"compose: {name} has no image")
        elif "build" not in s and not pinned(image):
            problem(f"compose: {name} image {image} is not pinned to a tag or digest")
        if "build" in s:
            ctx = base / s["build"].get("context", ".")
            if not (ctx / s["build"].get("dockerfile", "Dockerfile")).is_file():
                problem(f"compose: {name} build Dockerfile does not exist")
        for v in s.get("volumes", []):
            src = v.split(":")[0]
            if src.startswith((".", "/")):
                if not (base / src).exists():
                    problem(f"compose: {name} mounts {src}, which does not exist")
            elif src not in named:
                problem(f"compose: {name} uses undeclared volume {src}")
    tr = services.get("triton", {})
    devices = tr.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices", [])
    if not any("gpu" in d.get("capabilities", []) for d in devices):
        problem("compose: triton reserves no GPU")
    if "healthcheck" not in tr:
        problem("compose: triton has no healthcheck")
    for arg in tr.get("command", []):
        if arg.startswith("--load-model="):
            model = arg.split("=", 1)[1]
            if not (ROOT / "triton-models" / model / "config.pbtxt").is_file():
                problem(f"compose: triton loads {model}, not in triton-models/")
    gw = services.get("gateway", {})
    env = gw.get("environment", {})
    if env.get("SPOILS_BACKEND") != "triton" or env.get("SPOILS_TRITON_HOST") != "triton":
        problem("compose: gateway must use SPOILS_BACKEND=triton at host triton")
    exposure(env, "compose: gateway")
    declared = c.get("secrets") or {}
    for name in gw.get("secrets", []):
        if name not in declared or "file" not in declared[name]:
            problem(f"compose: gateway uses undeclared secret {name}")
    for key in ("SPOILS_TLS_CERT", "SPOILS_TLS_KEY", "SPOILS_AUTH_TOKENS_FILE"):
        path = str(env.get(key, ""))
        if path and (not path.startswith("/run/secrets/")
                     or path.rsplit("/", 1)[1] not in gw.get("secrets", [])):
            problem(f"compose: gateway {key} must name one of its secrets (/run/secrets/NAME)")
    probe = " ".join(gw.get("healthcheck", {}).get("test", []))
    if "/health/ready" not in probe:
        problem("compose: gateway healthcheck must probe /health/ready (healthy = ready)")
    if gw.get("restart", "no") == "no":
        problem("compose: gateway needs a restart policy (it exits after its Triton start-up limit)")
    grace = re.fullmatch(r"(\d+)s", str(gw.get("stop_grace_period", "10s")))
    if not grace or int(grace.group(1)) < float(env.get("SPOILS_DRAIN_SECONDS", 30)) + 2:
        problem("compose: gateway stop_grace_period must exceed SPOILS_DRAIN_SECONDS + 2 s")


# ---------------------------------------------------------------- dockerfile
def instructions(text):
    out, buf = [], ""
    for line in text.splitlines():
        s = line.strip()
        if not buf and (not s or s.startswith("#")):
            continue
        if buf and s.startswith("#"):
            continue
        buf += " " + s[:-1] if s.endswith("\\") else " " + s
        if not s.endswith("\\"):
            word, _, rest = buf.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            buf = ""
    return out


def dockerfile():
    ins = instructions(DOCKERFILE.read_text())
    args = {}
    stages = []
    for word, rest in ins:
        if word == "ARG" and "=" in rest and not stages:
            k, v = rest.split("=", 1)
            args[k] = v
        if word == "FROM":
            image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), rest.split()[0])
            if not pinned(image):
                problem(f"Dockerfile: base image {image} is not pinned")
            stages.append([])
        if stages:
            stages[-1].append((word, rest))
        if word == "RUN" and "apt-get install" in rest:
            if "--no-install-recommends" not in rest:
                problem("Dockerfile: apt-get install without --no-install-recommends")
            if "rm -rf /var/lib/apt/lists" not in rest:
                problem("Dockerfile: apt lists not removed in the installing RUN")
            if "apt-get update" not in rest:
                problem("Dockerfile: apt-get install without apt-get update in the same RUN")
        if word == "COPY" and "--from=" not in rest:
            for src in shlex.split(rest)[:-1]:
                if not src.startswith("--") and not (ROOT / src).exists():
                    problem(f"Dockerfile: COPY source {src} does not exist")
    final = dict((w, r) for w, r in stages[-1]) if stages else {}
    user = final.get("USER", "root").split(":")[0]
    if user in ("root", "0") or (user.isdigit() and int(user) == 0):
        problem("Dockerfile: the runtime stage must run as a non-root USER")
    for word in ("HEALTHCHECK", "EXPOSE", "STOPSIGNAL", "ENTRYPOINT"):
        if word not in final:
            problem(f"Dockerfile: the runtime stage has no {word}")
    if "/health/live" not in final.get("HEALTHCHECK", ""):
        problem("Dockerfile: HEALTHCHECK must probe /health/live")
    if not final.get("ENTRYPOINT", "").startswith("["):
        problem("Dockerfile: ENTRYPOINT must be in exec form (signals reach the JVM)")
    # runtime apart from tooling: the image carries the runtime jar and target/lib only, never the
    # training and evaluation tools (spoils-gateway-tools.jar, target/tools-lib)
    for word, rest in ins:
        if word in ("RUN", "COPY", "ADD") and ("tools-lib" in rest or "-tools.jar" in rest):
            problem("Dockerfile: the image must not carry the tools jar or tools-lib")
    if "MaxRAMPercentage" not in DOCKERFILE.read_text():
        problem("Dockerfile: set -XX:MaxRAMPercentage for container memory limits")
    ignore = DOCKERFILE.with_name("Dockerfile.dockerignore")
    if not ignore.is_file():
        problem("Dockerfile: no Dockerfile.dockerignore")


# ---------------------------------------------------------------- dashboard
def dashboard_rules(out):
    d = json.loads(DASHBOARD.read_text())
    ids = [p["id"] for p in d["panels"]]
    if len(ids) != len(set(ids)):
        problem("dashboard: panel ids are not unique")
    if not d.get("uid"):
        problem("dashboard: no uid")
    rules = []
    for p in d["panels"]:
        for t in p.get("targets", []):
            expr = t.get("expr", "").strip()
            if not expr:
                problem(f"dashboard: panel {p['title']!r} has an empty query")
                continue
            expr = expr.replace("$__rate_interval", "5m").replace("$job", ".*")
            rules.append({"record": f"dashboard:panel_{p['id']}:{t['refId']}", "expr": expr})
    Path(out).write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "rules-sync":
        rules_sync("--write" in argv)
    elif cmd == "kustomize":
        kustomize_all()
    elif cmd == "policy":
        policy(argv[2:])
    elif cmd == "compose":
        compose()
    elif cmd == "dockerfile":
        dockerfile()
    elif cmd == "dashboard-rules":
        dashboard_rules(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for p in problems:
        print(f"deploy/check: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
