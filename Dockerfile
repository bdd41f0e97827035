# Copydesk server + built admin UI. Used by docker-compose.yml, which supplies
# PostgreSQL 16 through DATABASE_URL (the embedded PostgreSQL is for
# single-machine installs without Docker).
# Pinned to an exact release; docs/deployment.md says how to upgrade.
FROM node:20.20.2-bookworm-slim

WORKDIR /app

# Dependencies first, for layer caching. Dev dependencies are needed to build
# the admin UI (Vite, react-admin); tsx runs the server without a build step.
# --ignore-scripts: nothing may download at install time (Prisma's postinstall
# would fetch native engines); Copydesk generates its client itself.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY . .
# Generates the Prisma client and builds admin/dist; `npm start` then finds
# both up to date and starts at once.
RUN npm run build \
 && mkdir -p /app/data \
 && chown node:node /app/data

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    COPYDESK_DATA_DIR=/app/data

USER node
EXPOSE 3000
VOLUME ["/app/data"]

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# What `npm start` runs, without npm in between: npm passes SIGTERM only to
# the `sh -c` it starts, which dies without forwarding it, so `docker stop`
# would kill the server instead of letting it finish requests and close its
# database connections.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
