# syntax=docker/dockerfile:1
# Stitchboard's production image: the web UI built in a first stage, production dependencies only,
# Node 24 (which runs the TypeScript sources directly: there is no server build), as a non-root user.
# Used by deploy/kubernetes (docs/deploy.md). tools/deploy/dockerfile.test.ts checks what can be
# checked without building it.

FROM node:24-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` package's postinstall would download a second Node 24; the image has one.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY web ./web
COPY src ./src
RUN npm run build:web

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY --from=web /app/web/dist ./web/dist
# The node image's `node` user (uid 1000); the Deployment runs with readOnlyRootFilesystem and mounts
# its config at /app/config and an emptyDir for data at /app/data.
USER 1000:1000
EXPOSE 7007
ENTRYPOINT ["node", "bin/stitchboard.js"]
CMD ["serve", "--config", "config/app-config.yaml"]
