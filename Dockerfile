# Copydesk server, compiled, with the built admin UI. Used by
# docker-compose.yml, which supplies PostgreSQL through DATABASE_URL (the
# embedded PostgreSQL is for single-machine installs without Docker).
#
# Two stages: the build stage installs every dependency and compiles the
# server, the commands and the admin UI; the runtime stage holds the
# production dependencies and the compiled output only. tests/cli/image.test.ts
# rebuilds the runtime stage's layout (its COPY lines) without Docker and
# starts Copydesk from it.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
# --ignore-scripts: nothing may download at install time (Prisma's postinstall
# would fetch native engines); Copydesk generates its client itself.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20.20.2-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/admin/dist ./admin/dist
COPY --from=build /app/scripts/run.mjs ./scripts/run.mjs
COPY --from=build /app/scripts/lib/buildStamp.js ./scripts/lib/buildStamp.js
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/prisma.config.ts ./prisma.config.ts
COPY --from=build /app/server/db/migrationAdapter.ts ./server/db/migrationAdapter.ts
RUN mkdir -p /app/data && chown node:node /app/data

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
CMD ["node", "scripts/run.mjs", "start"]
