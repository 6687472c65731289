"""Deployment files: the k8s manifests parse, probe the endpoints the worker serves, give it more
grace than its shutdown timeout, and carry a configuration the worker itself accepts; the image's
HEALTHCHECK uses the healthcheck command."""
import glob
import os
import subprocess

import yaml

from harness import BIN, ROOT, check, scratch_dir

K8S = os.path.join(ROOT, "deploy", "k8s")


def load_all():
    docs = {}
    for path in sorted(glob.glob(os.path.join(K8S, "*.yaml"))):
        with open(path) as f:
            for d in yaml.safe_load_all(f):
                check(isinstance(d, dict) and d.get("apiVersion") and d.get("kind") and d.get("metadata", {}).get("name"),
                      "%s: every document has apiVersion, kind and a name" % os.path.basename(path))
                docs[(d["kind"], d["metadata"]["name"])] = d
    return docs


def test_k8s_manifests_match_the_worker():
    docs = load_all()
    dep = docs[("Deployment", "ingest-worker")]
    pod = dep["spec"]["template"]["spec"]
    c = pod["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    check(c["livenessProbe"]["httpGet"]["path"] == "/livez", "liveness probe on /livez")
    check(c["readinessProbe"]["httpGet"]["path"] == "/readyz", "readiness probe on /readyz")
    for probe in ("livenessProbe", "readinessProbe"):
        check(ports.get(c[probe]["httpGet"]["port"]) == 8080, probe + " targets the health port")
    env = {e["name"]: e for e in c["env"]}
    check(env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name", "pod name for static membership")
    check(env["INGEST_HEALTH_ADDR"]["value"] == ":8080", "health address")
    check(pod["securityContext"]["runAsNonRoot"] is True, "non-root")
    check(c["resources"]["requests"] and c["resources"]["limits"], "resources set")

    # the ConfigMap's worker.conf is a configuration the worker accepts, with these values
    conf_text = docs[("ConfigMap", "ingest-worker")]["data"]["worker.conf"]
    d = scratch_dir()
    path = os.path.join(d, "worker.conf")
    with open(path, "w") as f:
        f.write(conf_text)
    r = subprocess.run([BIN, "run", "--config", path, "-X", "sasl.username=u", "-X", "sasl.password=p",
                        "--print-config"], capture_output=True, cwd=ROOT, timeout=30, env={"POD_NAME": "pod-0"})
    check(r.returncode == 0, "worker rejects the ConfigMap: " + r.stderr.decode())
    conf = dict(l.split(" = ", 1) for l in r.stdout.decode().splitlines())
    check(conf["kafka.partition.assignment.strategy"] == "cooperative-sticky", "cooperative-sticky assignment")
    check(conf["instance-id"] == "pod-0", "static membership from POD_NAME")
    check(conf["kafka.sasl.password"] == "********", "SASL password masked")
    check(pod["terminationGracePeriodSeconds"] * 1000 > int(conf["shutdown-timeout"]),
          "grace period above the shutdown timeout")

    secret = docs[("Secret", "ingest-worker-kafka")]
    refs = [e["valueFrom"]["secretKeyRef"] for e in c["env"] if "secretKeyRef" in e.get("valueFrom", {})]
    check(refs and all(r["name"] == "ingest-worker-kafka" and r["key"] in secret["stringData"] for r in refs),
          "the Deployment reads the example Secret's keys")
    args = " ".join(c["args"])
    check("sasl.password=$(KAFKA_SASL_PASSWORD)" in args, "password passed through -X from the Secret")

    svc = docs[("Service", "ingest-worker")]
    check(svc["spec"]["selector"] == dep["spec"]["template"]["metadata"]["labels"], "Service selects the pods")
    pm = docs[("PodMonitor", "ingest-worker")]
    check(pm["spec"]["podMetricsEndpoints"][0]["path"] == "/metrics", "PodMonitor scrapes /metrics")
    so = docs[("ScaledObject", "ingest-worker")]
    trig = so["spec"]["triggers"][0]["metadata"]
    check(trig["consumerGroup"] == conf["group"] and trig["topic"] == conf["input"], "KEDA follows the group's lag")


def test_dockerfile_healthcheck_uses_the_command():
    with open(os.path.join(ROOT, "deploy", "Dockerfile")) as f:
        lines = [l for l in f.read().splitlines() if l.startswith("HEALTHCHECK")]
    check(len(lines) == 1 and '"healthcheck"' in lines[0], "HEALTHCHECK runs ingest-worker healthcheck")
