# Slotwise as a container image: `docker build -t slotwise .`
#
# One process per container. Without DATABASE_URL it keeps its embedded database in the
# /data volume (one container per volume: the directory is locked); with DATABASE_URL it is
# stateless and any number of containers share one PostgreSQL (compose.yaml runs two).
# test/container.test.ts starts the app exactly as this file's CMD and ENV describe, and
# scripts/container-check.sh builds and runs the image where a container runtime exists.

# The official Node 20 image, Debian slim, pinned by minor version (the Node the tests run on).
# A build where no registry is reachable passes a locally made base (scripts/container-check.sh).
ARG NODE_IMAGE=node:20.20-bookworm-slim

# ---- build: every dependency, then the project's build step (the web UI), if it has one.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The whole context first: an install script of the project's own (postinstall) may need it.
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build --if-present \
 && mkdir -p dist

# ---- runtime: production dependencies only, the source (run by tsx) and the built output.
FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it forwards SIGTERM to Node (which drains in-flight requests, closes the
# database and exits 0) and reaps any orphaned process, even without `docker run --init`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# No install scripts: the only dependency with one (esbuild, under tsx) finds its binary
# without it, and the project's own lifecycle scripts are build steps, done above.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/src ./src
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/dist ./dist
# The code stays root's and read-only; the process runs as the image's unprivileged `node`
# user and writes only to /data (a named volume takes this directory's owner when created).
RUN mkdir -p /data && chown node:node /data
ENV PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 3000
USER node
# Ready = the database answers. Node rather than curl: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# Plain node, not npm: no lifecycle scripts, and SIGTERM reaches the server itself.
CMD ["node", "--import", "tsx", "src/server.ts"]
