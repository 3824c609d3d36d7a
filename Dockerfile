# syntax=docker/dockerfile:1.7
# tradeops — multi-stage image on Node 22 (slim). The build stage compiles the TypeScript sources to
# JavaScript once (dist/); the runtime stage runs that JavaScript: no transpiler, no sources.

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Every dependency (the build needs the TypeScript compiler); their install scripts run below
# (npm rebuild), after the sources are copied, so this layer is cached until the lockfile changes.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
# Dependencies' install scripts, the build (src/ + commands/ → dist/), then drop dev dependencies.
RUN npm rebuild --no-audit --no-fund \
 && node scripts/build.mjs --clean \
 && test -f dist/src/cli.js \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM node:22-slim AS runtime
# Fonts for server-side chart rendering (resvg draws text with system fonts); tini reaps children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core fontconfig tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    LOG_FORMAT=json \
    MALLOC_ARENA_MAX=2
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY bin ./bin
COPY migrations ./migrations
RUN mkdir -p /data && chown -R node:node /data
# Non-root, and nothing but /data needs to be writable: run with a read-only root filesystem
# (`docker run --read-only --tmpfs /tmp -v tradeops:/data …`; docker-compose.yml does).
USER node
VOLUME ["/data"]
EXPOSE 8080
# Shutdown: the bot finishes the tick in flight, flushes and closes the database within 10 s;
# docker-compose gives it 20 s (stop_grace_period) before SIGKILL.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=2", "--v8-pool-size=1", "bin/tradeops.js"]
CMD ["start"]
