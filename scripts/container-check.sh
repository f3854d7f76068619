#!/usr/bin/env bash
# Builds the image from the Dockerfile and runs it as the README's `docker run -v slotwise:/data`
# does: the image's HEALTHCHECK passes, the process runs as a non-root user under tini, `stop`
# (SIGTERM) exits 0, the README's demo, backup and restore commands work on the volume (a new
# container on the restored volume has the data), and a second container on one volume is
# refused. Prints the image's size. Uses podman (which builds with buildah's code); without it, says
# what is missing and exits 0, since many machines have no container runtime.
#
#   scripts/container-check.sh                the Dockerfile's base image (pulled if absent)
#   scripts/container-check.sh --local-base   no registry: a Debian bookworm base made with
#                                             debootstrap, with this machine's Node 20 in it
#                                             (as root; needs debootstrap and Debian's archive)
set -euo pipefail
cd "$(dirname "$0")/.."

local_base=false
for arg in "$@"; do
  case "$arg" in
    --local-base) local_base=true ;;
    *)
      echo "usage: $0 [--local-base]" >&2
      exit 2
      ;;
  esac
done

say() { printf 'container-check: %s\n' "$*"; }

if ! command -v podman >/dev/null 2>&1; then
  say "SKIPPED: podman is not installed, so no image was built or run."
  say "On Debian or Ubuntu: apt-get install -y podman (add runc where cgroups are hybrid)."
  exit 0
fi

image=${IMAGE:-localhost/slotwise:check}
name=slotwise-check-$$
volume=slotwise-check-$$
podman=(podman)
run_flags=(--health-interval=disable) # no timer (it needs systemd): the check runs it itself

# crun cannot create containers on a hybrid cgroup hierarchy (v1 controllers and a v2 mount).
if [ -d /sys/fs/cgroup/unified ] && [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
  if command -v runc >/dev/null 2>&1; then
    podman+=(--runtime runc)
  else
    say "SKIPPED: cgroups are hybrid here and crun cannot run on them; install runc (apt-get install -y runc)."
    exit 0
  fi
fi
# Without CAP_SYS_RESOURCE (some sandboxes), the runtime may not raise limits: ask for what we have.
capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status 2>/dev/null || echo 0)
if (((0x$capeff >> 24 & 1) == 0)); then
  run_flags+=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)
fi

base=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)
node_version=$(node --version 2>/dev/null || true)

make_local_base() {
  local missing=()
  [ "$(id -u)" = 0 ] || missing+=("root")
  command -v debootstrap >/dev/null 2>&1 || missing+=("debootstrap")
  case "$node_version" in v20.*) ;; *) missing+=("Node 20 on this machine (found ${node_version:-none})") ;; esac
  if ((${#missing[@]})); then
    say "SKIPPED: a local base needs ${missing[*]}."
    exit 0
  fi
  local tag work rootfs npm_dir
  tag="localhost/slotwise-node-base:${node_version#v}"
  if podman image exists "$tag"; then
    base=$tag
    return
  fi
  work=$(mktemp -d)
  rootfs=$work/rootfs
  say "making $tag: debootstrap bookworm (minbase) and this machine's Node ${node_version}"
  # shellcheck disable=SC2086
  debootstrap --variant=minbase bookworm "$rootfs" ${DEBIAN_MIRROR:-} >"$work/debootstrap.log" 2>&1 ||
    {
      tail -20 "$work/debootstrap.log"
      exit 1
    }
  # As Debian's slim images: no apt caches, docs, manuals or translations.
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  # Node and npm where the official image has them, and its `node` user (uid 1000).
  install -m 755 "$(command -v node)" "$rootfs/usr/local/bin/node"
  npm_dir=$(npm root -g)/npm
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  local changes=(--change 'CMD ["node"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  # The machine's extra CA certificates (a registry reached through a TLS proxy), for npm in the build.
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
    mkdir -p "$rootfs$(dirname "$NODE_EXTRA_CA_CERTS")"
    cp "$NODE_EXTRA_CA_CERTS" "$rootfs$NODE_EXTRA_CA_CERTS"
    changes+=(--change "ENV NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS")
  fi
  tar -C "$rootfs" -c . | podman import "${changes[@]}" - "$tag" >/dev/null 2>&1
  rm -rf "$work"
  base=$tag
}

if $local_base; then
  make_local_base
else
  # podman does not guess registries for short names: the official images are Docker Hub's.
  case "$base" in */*) ;; *) base=docker.io/library/$base ;; esac
fi
if ! $local_base && ! podman image exists "$base" && ! podman pull "$base"; then
  say "cannot pull $base (no registry?): run again with --local-base"
  exit 1
fi

cleanup() {
  podman rm -f "$name" "$name-2" "$name-3" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" "$volume-restored" >/dev/null 2>&1 || true
}
trap cleanup EXIT

say "building $image on $base"
start=$(date +%s)
if ! "${podman[@]}" build --format docker --build-arg "NODE_IMAGE=$base" -t "$image" . >/tmp/container-check-build.log 2>&1; then
  tail -30 /tmp/container-check-build.log
  say "FAILED: the build (whole log in /tmp/container-check-build.log)"
  exit 1
fi
say "built in $(($(date +%s) - start)) s"

# Waits for the image's own HEALTHCHECK (node scripts/healthcheck.mjs -> /readyz) to pass.
wait_healthy() {
  local container=$1
  for _ in $(seq 1 120); do
    if [ "$(podman inspect --format '{{.State.Running}}' "$container")" != true ]; then
      podman logs "$container" 2>&1 | tail -20
      say "FAILED: $container stopped before it was ready"
      exit 1
    fi
    if podman healthcheck run "$container" >/dev/null 2>&1; then return; fi
    sleep 1
  done
  podman logs "$container" 2>&1 | tail -20
  say "FAILED: $container not healthy after 120 s"
  exit 1
}
# Runs JavaScript inside a container (its Node; the slim image has no curl).
in_container() { podman exec "$1" node --input-type=module -e "$2"; }

port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null || echo 38123)
"${podman[@]}" run -d --name "$name" "${run_flags[@]}" -p "127.0.0.1:$port:3000" -v "$volume:/data" "$image" >/dev/null
wait_healthy "$name"
say "healthy: the HEALTHCHECK passed"
if command -v curl >/dev/null 2>&1; then
  say "from the host: http://127.0.0.1:$port/readyz answered $(curl -fsS "http://127.0.0.1:$port/readyz")"
fi
uid=$(podman exec "$name" id -u)
[ "$uid" != 0 ] || {
  say "FAILED: the server runs as root"
  exit 1
}
pid1=$(podman exec "$name" cat /proc/1/cmdline | tr '\0' ' ')
say "runs as uid $uid ($(podman exec "$name" id -un)); PID 1 is: $pid1"
in_container "$name" "
  const res = await fetch('http://127.0.0.1:3000/api/v1/auth/signup', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'boxed', email: 'boxed@example.com', password: 'correct horse battery' }) });
  if (res.status !== 201) { console.error(res.status, await res.text()); process.exit(1); }"
say "signed up 'boxed' (embedded store in the volume)"

"${podman[@]}" stop -t 20 "$name" >/dev/null 2>&1
code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || {
  podman logs "$name" 2>&1 | tail -20
  say "FAILED: stop (SIGTERM) ended with exit code $code"
  exit 1
}
say "stop: SIGTERM drained and exited 0"

# The README's demo data for the embedded store: the demo command on the stopped volume.
if ! "${podman[@]}" run --rm "${run_flags[@]}" -v "$volume:/data" "$image" \
  node --import tsx scripts/demo-data.ts >/tmp/container-check-demo.log 2>&1; then
  cat /tmp/container-check-demo.log
  say "FAILED: the demo data"
  exit 1
fi
say "demo data loaded into the volume: $(grep -m1 -o 'Demo users[^:]*' /tmp/container-check-demo.log)"

# The README's backup of the embedded store (the volume, while stopped) and its restore into
# a new volume; a container on the restored volume has the account.
backup=$(mktemp -d)
"${podman[@]}" run --rm "${run_flags[@]}" --user root -v "$volume:/data:ro" -v "$backup:/backup" \
  --entrypoint tar "$image" -czf /backup/slotwise-data.tgz -C /data . >/dev/null
"${podman[@]}" run --rm "${run_flags[@]}" --user root -v "$volume-restored:/data" -v "$backup:/backup" \
  --entrypoint tar "$image" -xzf /backup/slotwise-data.tgz -C /data >/dev/null
say "backup of the stopped volume: $(du -h "$backup/slotwise-data.tgz" | cut -f1), restored into a new volume"
rm -rf "$backup"

"${podman[@]}" run -d --name "$name-2" "${run_flags[@]}" -v "$volume-restored:/data" "$image" >/dev/null
wait_healthy "$name-2"
in_container "$name-2" "
  const res = await fetch('http://127.0.0.1:3000/api/v1/auth/login', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'boxed', password: 'correct horse battery' }) });
  if (res.status !== 200) { console.error(res.status, await res.text()); process.exit(1); }
  const demo = await fetch('http://127.0.0.1:3000/api/v1/public/ada/intro');
  if (demo.status !== 200) { console.error('demo link', demo.status); process.exit(1); }"
say "a new container on the restored volume: 'boxed' logs in, the demo's booking link answers"

# One container per volume: a second one on the same volume (another PID and network
# namespace) must refuse to open the store rather than write beside the first.
"${podman[@]}" run -d --name "$name-3" "${run_flags[@]}" -v "$volume-restored:/data" "$image" >/dev/null
second=serving
for _ in $(seq 1 120); do
  if [ "$(podman inspect --format '{{.State.Running}}' "$name-3")" != true ]; then
    second=exited
    break
  fi
  if podman healthcheck run "$name-3" >/dev/null 2>&1; then break; fi
  sleep 1
done
"${podman[@]}" stop -t 20 "$name-2" >/dev/null 2>&1
if [ "$second" != exited ] || [ "$(podman inspect --format '{{.State.ExitCode}}' "$name-3")" = 0 ]; then
  one_per_volume=false
  say "NOT OK: a second container on the same volume also opened the store (the data-directory lock does not hold across containers)"
else
  one_per_volume=true
  say "a second container on the same volume refuses: $(podman logs "$name-3" 2>&1 | grep -m1 -o 'in use by another process[^.]*')"
fi

size=$(podman image inspect --format '{{.Size}}' "$image")
base_size=$(podman image inspect --format '{{.Size}}' "$base")
say "image $image: $((size / 1000000)) MB, of which $(((size - base_size) / 1000000)) MB above the base $base ($((base_size / 1000000)) MB)"
$one_per_volume || {
  say "FAILED: one container per volume is not enforced (see above)"
  exit 1
}
say "OK (podman $(podman --version | awk '{print $3}'), $(date -u +%Y-%m-%d))"
